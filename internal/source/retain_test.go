package source

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"bantin/internal/diag"
)

// TestDecodedStringsOwnTheirMemory: no string a page keeps points into the
// front-matter parser's text. One that did would keep the article's whole
// front matter alive for the whole build (at 100,000 articles, 137 MB of
// them once did, through photo paths).
func TestDecodedStringsOwnTheirMemory(t *testing.T) {
	data := []byte(`title: "Sơ kết 6 tháng"
date: 2024-07-01
summary: "Tóm tắt"
category: "Xây dựng Đảng"
tags: ["chuyển đổi số", đại hội chi bộ]
participants:
  - "Vũ Hữu Thi — Bí thư Đảng ủy Khối"
  - {name: "Nguyễn Văn A", role: "Phó Bí thư", chair: true}
tasks:
  - "Nắm bắt tình hình"
  - text: "Tăng cường phối hợp"
    lead: "Ban Tuyên giáo"
    support: ["Văn phòng", "Ban Tổ chức"]
    due: 2024-12
    status: mới
images:
  - /images/2024/anh-0001.jpg
  - {src: anh-2.jpg, caption: "Quang cảnh"}
aliases: [/tin/cu/]
cover: anh-2.jpg
slug: so-ket
nguon: "Báo tỉnh"
them: {a: "b", c: [d, e]}
`)
	tree, ok := parseYAMLFast(data, 2)
	if !ok {
		t.Fatal("the fast parser refused the test's front matter")
	}
	// The parser's text is one block; every string of the tree lies in it.
	lo, hi := ^uintptr(0), uintptr(0)
	var span func(n *node)
	see := func(s string) {
		if s == "" {
			return
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo, hi = min(lo, p), max(hi, p+uintptr(len(s)))
	}
	span = func(n *node) {
		see(n.str)
		for _, k := range n.keys {
			see(k)
		}
		for _, c := range n.list {
			span(c)
		}
		for _, c := range n.vals {
			span(c)
		}
	}
	span(tree)
	if hi-lo < uintptr(len(data))/2 {
		t.Fatalf("the tree's strings span %d bytes of a %d-byte text: not one block", hi-lo, len(data))
	}

	var problems diag.List
	p := &Page{File: "content/tin-tuc/a.md", Params: map[string]any{}}
	(&decoder{file: p.File, loc: time.UTC, problems: &problems}).page(p, tree)
	if problems.HasErrors() {
		t.Fatalf("decoding: %v", problems.Err())
	}
	if p.Params["nguon"] == nil || len(p.Images) != 2 || len(p.Participants) != 2 || len(p.Tasks) != 2 {
		t.Fatalf("the page was not decoded in full: %+v", p)
	}
	checked := 0
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if s := v.String(); s != "" {
				checked++
				if q := uintptr(unsafe.Pointer(unsafe.StringData(s))); q >= lo && q < hi {
					t.Errorf("%s = %q points into the front matter's text", path, s)
				}
			}
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(path+"."+f.Name, v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			if v.Type().Elem().Kind() == reflect.Uint8 {
				return // the body: a slice of the file, not of the front matter
			}
			for i := range v.Len() {
				walk(path+"["+string(rune('0'+i%10))+"]", v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(path+"{key}", k)
				walk(path+"["+k.String()+"]", v.MapIndex(k))
			}
		}
	}
	walk("page", reflect.ValueOf(p))
	if checked < 25 {
		t.Fatalf("only %d strings checked", checked)
	}
}
