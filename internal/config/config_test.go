package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"bantin/internal/diag"
)

// parseErr parses text that must fail and returns its diagnostics.
func parseErr(t *testing.T, text string) diag.List {
	t.Helper()
	_, err := Parse([]byte(text))
	if err == nil {
		t.Fatalf("Parse(%q) succeeded", text)
	}
	if l, ok := diag.AsList(err); ok {
		return l
	}
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return diag.List{d}
	}
	t.Fatalf("error without a diagnostic: %v", err)
	return nil
}

func TestDefaults(t *testing.T) {
	c, err := Parse([]byte("title: Đảng ủy Khối\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{Page: "trang", Tags: "the", Participants: "dai-bieu", Tasks: "nhiem-vu",
		Gallery: "hinh-anh", Video: "video", Links: "lien-ket", Search: "tim-kiem"}
	if c.Paths != want {
		t.Errorf("Paths = %+v", c.Paths)
	}
	for _, tc := range []struct {
		what      string
		got, want any
	}{
		{"BaseURL", c.BaseURL, "/"},
		{"Language", c.Language, "vi"},
		{"Timezone", c.Timezone, "Asia/Ho_Chi_Minh"},
		{"Location", c.Location.String(), "Asia/Ho_Chi_Minh"},
		{"Paginate", c.Paginate, 10},
		{"MinifyOn", c.MinifyOn(), true},
		{"DateFormat", c.DateFormat, "{weekday}, {dd}/{mm}/{yyyy}"},
		{"Images.Widths", c.Images.Widths, []int{320, 640, 1280}},
		{"Images.Quality", c.Images.Quality, 80},
		{"Markdown.Unsafe", c.Markdown.Unsafe, false},
		{"Base.Path", c.Base.Path, "/"},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.what, tc.got, tc.want)
		}
	}
}

// TestCommitteeSiteYAML: the committee's own site.yaml parses.
func TestCommitteeSiteYAML(t *testing.T) {
	data, err := os.ReadFile("../../site.yaml")
	if err != nil {
		t.Skip(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title == "" || len(c.Menu) == 0 || len(c.Links) == 0 || c.Base.Host == "" {
		t.Errorf("committee site.yaml: %+v", c)
	}
}

func TestAllKeys(t *testing.T) {
	text := `title: Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh
description: Trang thông tin
baseURL: https://example.org/bantin
language: vi
timezone: Asia/Bangkok
paginate: 5
minify: false
date_format: "{d}/{m}/{yyyy}"
menu:
  - {name: Trang chủ, url: /}
  - {name: Tin tức - Sự kiện, url: /tin-tuc/}
links:
  - {name: Cổng thông tin điện tử tỉnh, url: https://example.org/, group: Tỉnh}
markdown: {unsafe: true}
images: {widths: [1280, 320], quality: 90, keep_metadata: true}
paths: {page: page, tags: tags, participants: people, tasks: tasks, gallery: photos, video: videos, links: links, search: search}
sections: {tin-tuc: "Tin tức - Sự kiện"}
footer: {address: "Số 12 Hùng Vương", phone: "0209", email: a@example.org, copyright: "© 2025"}
`
	c, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if c.MinifyOn() || !c.Markdown.Unsafe || c.Paginate != 5 || c.Location.String() != "Asia/Bangkok" ||
		!reflect.DeepEqual(c.Images.Widths, []int{320, 1280}) || c.Images.Quality != 90 || !c.Images.KeepMetadata ||
		c.Paths.Participants != "people" || c.Links[0].Group != "Tỉnh" || c.Footer.Phone != "0209" ||
		c.SectionTitle("tin-tuc", "x") != "Tin tức - Sự kiện" || c.SectionTitle("hoat-dong", "Hoạt động") != "Hoạt động" {
		t.Errorf("config = %+v", c)
	}
	// A base path without its trailing slash gets one.
	if c.BaseURL != "https://example.org/bantin/" || c.Base.Path != "/bantin/" {
		t.Errorf("BaseURL %q, path %q", c.BaseURL, c.Base.Path)
	}
}

// TestStrict: an unknown or mistyped key is an error naming its line.
func TestStrict(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"unknown key", "title: x\nbaseURL: /\npaginat: 5\n", 3, `unknown field "paginat"`},
		{"unknown key in menu", "title: x\nmenu:\n  - {name: a, url: /}\n  - {name: b, link: /b/}\n", 4, `unknown field "link"`},
		{"unknown key in block map", "title: x\nmarkdown:\n  unsafe: true\n  typographer: true\n", 4, `unknown field "typographer"`},
		{"wrong type", "title: x\npaginate: mười\n", 2, "Paginate"},
		{"wrong type bool", "title: x\nminify: không\n", 2, "Minify"},
		{"list for map", "title: x\nsections: [a, b]\n", 2, ""},
		{"syntax", "title: x\nmenu: [a, b\n", 2, ""},
		{"crlf with comments", "# Cấu hình\r\ntitle: x\r\n# menu\r\n# links\r\npaginat: 5\r\n", 5, `unknown field "paginat"`},
		{"unknown tag on a list", "title: x\nmenu:\n !0 #00000000000000000", 3, "menu must be a list of entries"},
		{"bad timezone", "title: x\ntimezone: Asia/Hanoii\n", 2, `timezone "Asia/Hanoii" is not a time zone name`},
		{"bad paginate", "title: x\nlanguage: vi\npaginate: -1\n", 3, "paginate must be a positive number"},
		{"bad quality", "title: x\nimages: {quality: 101}\n", 2, "images.quality"},
		{"bad path", "title: x\npaths: {tags: the/loai}\n", 2, "one URL segment"},
		{"path with a newline", "title: x\npaths:\n  page: trang\n  tags: \"the\\n/* /x/ 301!\"\n", 4, "paths.tags"},
		{"path with a carriage return", "title: x\npaths:\n  tags: \"the\\r\"\n", 3, "line break"},
		{"path with a tab", "title: x\npaths:\n  tags: \"a\\tb\"\n", 3, "tab"},
		{"path with a space", "title: x\npaths:\n  search: tìm kiếm\n", 3, "space"},
		{"path ..", "title: x\npaths:\n  gallery: ..\n", 3, "outside"},
		{"path with a scheme", "title: x\npaths:\n  links: \"javascript:alert(1)\"\n", 3, "scheme"},
		{"path with //", "title: x\npaths:\n  video: //evil.example\n", 3, "one URL segment"},
		{"hidden path", "title: x\npaths:\n  tasks: .git\n", 3, "dot"},
		{"negative width", "title: x\nimages: {widths: [-1, 0]}\n", 2, "-1 is not a width"},
		{"zero width", "title: x\nimages:\n  widths:\n    - 320\n    - 0\n", 5, "0 is not a width"},
		{"huge width", "title: x\nimages:\n  widths: [320, 100000]\n", 3, "100000 is not a width"},
		{"too many widths", "title: x\nimages:\n  quality: 80\n  widths: [" + strings.Repeat("320, ", 1999) + "320]\n", 4, "lists 2000 widths; at most 8"},
		{"width twice", "title: x\nimages: {widths: [320, 640, 320]}\n", 2, "320 twice"},
		{"Local timezone", "title: x\ntimezone: Local\n", 2, "building machine's own zone"},
		{"empty timezone", "title: x\ntimezone: \"\"\n", 2, "timezone is empty"},
		{"null timezone", "title: x\nlanguage: vi\ntimezone:\n", 3, "timezone is empty"},
		{"menu without url", "title: x\nmenu:\n  - {name: Trang chủ}\n", 3, "menu entry 1 needs both name and url"},
		{"duplicate key", "title: x\nlanguage: vi\ntitle: y\n", 3, `duplicate key "title" (first on line 1)`},
		{"second document", "title: x\n---\npaginate: 5\n", 3, "second YAML document"},
		{"not a mapping", "- title: x\n", 1, "must be a mapping of keys"},
		{"footer not a mapping", "title: x\nfooter: Số 12\n", 2, "footer must be a mapping of keys (address"},
		{"menu not a list", "title: x\nmenu: {name: a, url: /}\n", 2, "menu must be a list of entries"},
		{"menu entry not a mapping", "title: x\nmenu:\n  - Trang chủ\n", 3, "menu entry 1 must be {name: …, url: …, group: …}"},
		{"wrong type in a list", "title: x\nimages:\n  widths: [320, rộng]\n", 3, "images.widths must be a list of whole numbers"},
		{"wrong type in a menu entry", "title: x\nmenu:\n  - {name: [a], url: /}\n", 3, "name of menu entry 1 must be text"},
		{"bad baseURL", "title: x\nbaseURL: \"https://\"\n", 2, "baseURL"},
		{"baseURL with query", "title: x\nbaseURL: https://example.org/?a=1\n", 2, "baseURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, d := range parseErr(t, tc.text) {
				if d.Path == File && d.Line == tc.line && strings.Contains(d.Msg, tc.msg) {
					return
				}
			}
			t.Errorf("want site.yaml:%d: …%s…; got %v", tc.line, tc.msg, parseErr(t, tc.text))
		})
	}
}

// TestAllProblems: every problem of the defaults step is reported at once.
func TestAllProblems(t *testing.T) {
	l := parseErr(t, "timezone: Mars/Olympus\npaginate: -2\n")
	var got []string
	for _, d := range l {
		got = append(got, d.Error())
	}
	want := []string{
		"site.yaml: title is required",
		`site.yaml:1: timezone "Mars/Olympus" is not a time zone name like Asia/Ho_Chi_Minh`,
		"site.yaml:2: paginate must be a positive number, not -2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEveryProblem: a site.yaml with many problems of every kind reports
// each, in file order, the same way on every run (go-yaml's strict decode
// reported one unknown key, which one depending on map order).
func TestEveryProblem(t *testing.T) {
	text := `title: Đảng ủy Khối Thử nghiệm
baseURL: "https://"
shareimage: /images/share.jpg
Logo: /images/logo.svg
timezone: Asia/Hanoii
paginate: mười
minify: không
menu:
  - {name: Trang chủ, url: /}
  - {name: Tin tức, link: /tin-tuc/}
images:
  widths: [320, 0, 640, 320]
  quality: 101
  keep_metdata: true
paths: {tags: the/loai, serch: tim}
footer:
  address: Số 12 Hùng Vương
  editr: "Chịu trách nhiệm chính: Vũ Hữu Thi"
  fax: "0209"
title: lần nữa
`
	want := []string{
		`site.yaml:2: baseURL "https://" is not a URL like https://example.org/ or https://example.org/sub/`,
		`site.yaml:3:1: unknown field "shareimage": did you mean "share_image"?`,
		`site.yaml:4:1: unknown field "Logo": did you mean "logo"?`,
		`site.yaml:5: timezone "Asia/Hanoii" is not a time zone name like Asia/Ho_Chi_Minh`,
		`site.yaml:6:11: paginate must be a whole number: cannot unmarshal string into Go struct field Config.Paginate of type int`,
		`site.yaml:7:9: minify must be true or false: cannot unmarshal string into Go struct field Config.Minify of type bool`,
		`site.yaml:10: menu entry 2 needs both name and url`,
		`site.yaml:10:21: unknown field "link" in menu entry 2 (it takes name, url, group)`,
		`site.yaml:12: images.widths: 0 is not a width in pixels between 1 and 4000`,
		`site.yaml:12: images.widths lists 320 twice`,
		`site.yaml:13: images.quality must be between 1 and 100, not 101`,
		`site.yaml:14:3: unknown field "keep_metdata" in images: did you mean "keep_metadata"?`,
		`site.yaml:15: paths.tags: "the/loai" must be one URL segment such as the: it has a /`,
		`site.yaml:15:25: unknown field "serch" in paths: did you mean "search"?`,
		`site.yaml:18:3: unknown field "editr" in footer: did you mean "editor"?`,
		`site.yaml:19:3: unknown field "fax" in footer (it takes address, phone, email, editor, license, copyright)`,
		`site.yaml:20:1: duplicate key "title" (first on line 1)`,
	}
	for run := range 20 {
		var got []string
		for _, d := range parseErr(t, text) {
			got = append(got, d.Error())
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d: problems:\n%s\nwant:\n%s", run, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestSuggest: an unknown key within two edits of a known one (a case slip
// counts as none) names it; one further off lists what the mapping takes.
func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"title: x\nshare_imag: /a.jpg\n", `site.yaml:2:1: unknown field "share_imag": did you mean "share_image"?`},
		{"title: x\nbaseurl: /\n", `site.yaml:2:1: unknown field "baseurl": did you mean "baseURL"?`},
		{"title: x\npaginat: 5\n", `site.yaml:2:1: unknown field "paginat": did you mean "paginate"?`},
		{"title: x\nfooter:\n  editro: A\n", `site.yaml:3:3: unknown field "editro" in footer: did you mean "editor"?`},
		{"title: x\nfooter: {licence: CC}\n", `site.yaml:2:10: unknown field "licence" in footer: did you mean "license"?`},
		{"title: x\nlinks:\n  - {name: a, url: /, grup: b}\n", `site.yaml:3:23: unknown field "grup" in links entry 1: did you mean "group"?`},
		{"title: x\nthumbnails: 3\n", `site.yaml:2:1: unknown field "thumbnails" (see SPEC §4 for the keys site.yaml takes)`},
		{"title: x\nmarkdown: {typographer: true}\n", `site.yaml:2:12: unknown field "typographer" in markdown (it takes unsafe)`},
	} {
		l := parseErr(t, tc.text)
		if len(l) != 1 || l[0].Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.text, l, tc.want)
		}
	}
}

// TestYAMLFeatures: anchors, aliases and merge keys decode as YAML has
// them, a mapping's own keys winning over merged ones.
func TestYAMLFeatures(t *testing.T) {
	c, err := Parse([]byte(`title: &t Đảng ủy Khối
description: *t
menu:
  - &home {name: Trang chủ, url: /}
  - *home
  - <<: *home
    name: Về trang chủ
images: {widths: &w [320, 640]}
footer: {address: *t}
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Description != "Đảng ủy Khối" || len(c.Menu) != 3 || c.Menu[1] != c.Menu[0] ||
		c.Menu[2] != (Link{Name: "Về trang chủ", URL: "/"}) || c.Footer.Address != "Đảng ủy Khối" ||
		!reflect.DeepEqual(c.Images.Widths, []int{320, 640}) {
		t.Errorf("config = %+v", c)
	}
	// An unknown key in a merged mapping is reported where it was written.
	l := parseErr(t, "title: x\nbase: &b {name: a, link: /}\nmenu:\n  - <<: *b\n    url: /\n")
	var got []string
	for _, d := range l {
		got = append(got, d.Error())
	}
	want := []string{`site.yaml:2:1: unknown field "base" (see SPEC §4 for the keys site.yaml takes)`,
		`site.yaml:2:20: unknown field "link" in menu entry 1 (it takes name, url, group)`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestGoodValues: what sites write is still accepted.
func TestGoodValues(t *testing.T) {
	c, err := Parse([]byte("title: x\ntimezone: UTC\nimages: {widths: [4000, 1, 640, 320, 2, 3, 4, 5]}\npaths: {search: tìm-kiếm, tags: Chu_de}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Location.String() != "UTC" || !reflect.DeepEqual(c.Images.Widths, []int{1, 2, 3, 4, 5, 320, 640, 4000}) || c.Paths.Search != "tìm-kiếm" {
		t.Errorf("got %v %v %+v", c.Location, c.Images.Widths, c.Paths)
	}
}

func TestURLs(t *testing.T) {
	for _, tc := range []struct {
		base, path, abs, rel string
	}{
		{"https://example.org/", "/tin-tuc/a/", "https://example.org/tin-tuc/a/", "/tin-tuc/a/"},
		{"https://example.org/", "/", "https://example.org/", "/"},
		{"https://example.org/bantin/", "/tin-tuc/a/", "https://example.org/bantin/tin-tuc/a/", "/bantin/tin-tuc/a/"},
		{"https://example.org/bantin", "tin-tuc/", "https://example.org/bantin/tin-tuc/", "/bantin/tin-tuc/"},
		{"https://example.org/bantin/", "/", "https://example.org/bantin/", "/bantin/"},
		{"/", "/tin-tuc/", "/tin-tuc/", "/tin-tuc/"},
		{"/sub/", "/tin-tuc/", "/sub/tin-tuc/", "/sub/tin-tuc/"},
		{"http://127.0.0.1:1313/", "/index.xml", "http://127.0.0.1:1313/index.xml", "/index.xml"},
		// Paths are file names: what a URL cannot hold is percent-encoded, % ? # included.
		{"https://example.org/", "/tin-tuc/a/Ảnh hội nghị 1.jpg", "https://example.org/tin-tuc/a/%E1%BA%A2nh%20h%E1%BB%99i%20ngh%E1%BB%8B%201.jpg", "/tin-tuc/a/%E1%BA%A2nh%20h%E1%BB%99i%20ngh%E1%BB%8B%201.jpg"},
		{"/", "/a/100% #1?.pdf", "/a/100%25%20%231%3F.pdf", "/a/100%25%20%231%3F.pdf"},
		{"/", "/x\n/* /y 301!", "/x%0A/*%20/y%20301!", "/x%0A/*%20/y%20301!"},
		{"https://example.org/bản%20tin/", "/a/", "https://example.org/b%E1%BA%A3n%20tin/a/", "/b%E1%BA%A3n%20tin/a/"},
	} {
		c, err := Parse([]byte("title: x\nbaseURL: " + tc.base + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.AbsURL(tc.path); got != tc.abs {
			t.Errorf("%s AbsURL(%q) = %q, want %q", tc.base, tc.path, got, tc.abs)
		}
		if got := c.RelURL(tc.path); got != tc.rel {
			t.Errorf("%s RelURL(%q) = %q, want %q", tc.base, tc.path, got, tc.rel)
		}
	}
	// -b goes through SetBaseURL.
	c, _ := Parse([]byte("title: x\nbaseURL: https://example.org/\n"))
	if err := c.SetBaseURL("https://example.org/sub"); err != nil || c.RelURL("/a/") != "/sub/a/" {
		t.Errorf("SetBaseURL: %v, %q", err, c.RelURL("/a/"))
	}
	if err := c.SetBaseURL("https:///x"); err == nil {
		t.Errorf("SetBaseURL accepted a URL without a host")
	}
}

func TestLoad(t *testing.T) {
	c, err := Load(fstest.MapFS{"site.yaml": {Data: []byte("title: x\n")}})
	if err != nil || c.Title != "x" {
		t.Errorf("Load: %v %+v", err, c)
	}
	_, err = Load(fstest.MapFS{"content/a.md": {Data: []byte("x")}})
	var d diag.Diagnostic
	if !errors.As(err, &d) || d.Path != File || !strings.Contains(d.Msg, "no site.yaml") {
		t.Errorf("Load without site.yaml: %v", err)
	}
}

// FuzzParse: site.yaml never panics the parser, and every line it names is in the file.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("../../site.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("title: x\npaginat: 5\n"))
	f.Add([]byte("title: x\nmenu:\n  - {name: a, url: /}\n"))
	f.Add([]byte("title: x\nfootr: {editr: a}\nshare_imag: b\npaginate: mười\ntimezone: Mars/X\n"))
	f.Add([]byte("a: &a {title: x}\n<<: *a\nmenu: [*a, {<<: [*a, *a]}]\nimages: {widths: [*a, 1]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		// The same file gives the same report, every time.
		if _, err2 := Parse(data); fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Fatalf("two runs differ:\n%v\n%v", err, err2)
		}
		if err == nil {
			if c.Location == nil || c.Base == nil || c.Paginate <= 0 {
				t.Fatalf("accepted without defaults: %+v", c)
			}
			return
		}
		lines := countLines(data)
		var list diag.List
		if l, ok := diag.AsList(err); ok {
			list = l
		} else if d := (diag.Diagnostic{}); errors.As(err, &d) {
			list = diag.List{d}
		}
		for i, d := range list {
			if d.Line < 0 || d.Line > lines {
				t.Fatalf("line %d outside the file's %d lines: %v", d.Line, lines, d)
			}
			if i > 0 && d.Line < list[i-1].Line {
				t.Fatalf("problems out of file order: %v before %v", list[i-1], d)
			}
		}
	})
}

// countLines counts lines as an editor does: \n, \r\n and a lone \r (old Mac
// files; YAML reads it as a line break too) each end one.
func countLines(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Count(s, "\n") + strings.Count(s, "\r") + 1
}

// TestBOM: Notepad's byte order mark before the first key is dropped, and
// lines are counted as the editor shows them.
func TestBOM(t *testing.T) {
	c, err := Parse([]byte("\ufefftitle: Đảng ủy Khối\r\nbaseURL: https://example.org/\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Đảng ủy Khối" {
		t.Errorf("title %q", c.Title)
	}
	l := parseErr(t, "\ufefftitle: x\nbogus: 1\n")
	if len(l) != 1 || l[0].Line != 2 || strings.Contains(l[0].Msg, "\ufeff") {
		t.Errorf("problems %v, want one on line 2 without the mark", l)
	}
}

// TestRelRefExternal: a menu entry naming another site keeps its address;
// a javascript: one stays a path under the site.
func TestRelRefExternal(t *testing.T) {
	c := &Config{}
	if err := c.SetBaseURL("https://example.org/sub/"); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"https://example.gov.vn/":  "https://example.gov.vn/",
		"//cdn.example.org/a.css":  "//cdn.example.org/a.css",
		"mailto:vp@example.gov.vn": "mailto:vp@example.gov.vn",
		"/tin-tuc/":                "/sub/tin-tuc/",
		"javascript:alert(1)":      "/sub/javascript:alert(1)",
	} {
		if got := c.RelRef(in); got != want {
			t.Errorf("RelRef(%q) = %q, want %q", in, got, want)
		}
	}
	if got := c.AbsRef("https://example.gov.vn/"); got != "https://example.gov.vn/" {
		t.Errorf("AbsRef of an external URL = %q", got)
	}
}
