package render

import (
	"html/template"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"bantin/internal/config"
	"bantin/internal/site"
	"bantin/internal/source"
)

// TestViewTypes: what layouts can reach from Data is plain values of this
// package's view types, so a page's fingerprint (its view's hash) covers
// whatever a layout prints. The model appears only behind fields tagged
// fp:"-" that layouts cannot reach (unexported) or that the build's state
// key covers (Chrome.Config: site.yaml's bytes and -b); no function, channel
// or interface a layout could call into; and an article's own view is
// reachable only as Page.Article, which serve's one-page path relies on
// (build.Session.PrepareBodies).
func TestViewTypes(t *testing.T) {
	seen := map[reflect.Type]bool{}
	articleAt := []string{}
	var walk func(typ reflect.Type, at string)
	walk = func(typ reflect.Type, at string) {
		switch typ.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(typ.Elem(), at)
			return
		case reflect.Map:
			if typ != reflect.TypeFor[map[string]any]() {
				t.Errorf("%s: a map of type %s", at, typ)
			}
			return // Params: the front matter's plain values
		case reflect.Func, reflect.Chan, reflect.Interface, reflect.UnsafePointer:
			t.Errorf("%s: a %s in a view", at, typ)
			return
		case reflect.Struct:
			if typ == timeType {
				return // hashed whole (fingerprint.go)
			}
		default:
			return
		}
		if typ == reflect.TypeFor[Article]() {
			articleAt = append(articleAt, at)
		}
		if seen[typ] {
			return
		}
		seen[typ] = true
		if p := typ.PkgPath(); p != "bantin/internal/render" && typ != timeType && typ != reflect.TypeFor[site.PageLink]() && typ != reflect.TypeFor[config.Link]() {
			t.Errorf("%s: layouts reach %s, a type that is not a view", at, typ)
			return
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Tag.Get("fp") == "-" {
				if f.IsExported() && f.Name != "Config" && f.Name != "Content" {
					t.Errorf("%s.%s: a field layouts can read that fingerprints leave out", at, f.Name)
				}
				continue
			}
			if !f.IsExported() && f.Type != summedType {
				t.Errorf("%s.%s: an unexported field fingerprints hash", at, f.Name)
			}
			if f.IsExported() {
				walk(f.Type, at+"."+f.Name)
			}
		}
	}
	walk(reflect.TypeFor[Data](), "Data")
	if len(articleAt) != 1 || articleAt[0] != "Data.Page.Article" {
		t.Errorf("an *Article view is reachable at %v; want only Data.Page.Article", articleAt)
	}
}

// TestFingerprintCoversWhatLayoutsRead: a card's hash follows what the
// layouts read of it: the built-in ones do not show a word count, so a body
// edit that changes only the count keeps every list; a site's card that
// shows it makes the count part of every page that lists the article. A
// field a layout names only on a branch no page takes still counts, and so
// does every field of a view printed whole.
func TestFingerprintCoversWhatLayoutsRead(t *testing.T) {
	cfg, err := config.Parse([]byte("title: Trang thử\nbaseURL: https://example.org/\n"))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(words int) (*site.Site, *site.Article) {
		pg := page("tin-tuc/a.md", "Bài A", "Tóm tắt")
		s, problems := site.New(cfg, []*source.Page{pg}, site.Options{})
		if problems.HasErrors() {
			t.Fatal(problems)
		}
		a := s.Articles[0]
		a.Words = words
		return s, a
	}
	section := func(tm *Templates, words int) uint64 {
		s, _ := mk(words)
		v := tm.NewViews(s)
		f := tm.NewFingerprints(v, func(*site.Article) string { return "" }, nil, "")
		for _, o := range s.Outputs {
			if o.Kind == site.KindSection {
				return f.Of(o)
			}
		}
		t.Fatal("no section page")
		return 0
	}
	load := func(files fstest.MapFS) *Templates {
		tm, err := Load(files, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	builtin := load(nil)
	if section(builtin, 10) != section(builtin, 12) {
		t.Error("built-in layouts: the section page's fingerprint follows a word count no layout shows")
	}
	words := load(fstest.MapFS{"layouts/partials/card.html": {Data: []byte(`<p>{{.Title}} · {{.Words}} từ</p>`)}})
	if section(words, 10) == section(words, 12) {
		t.Error("a card showing the word count: the section page's fingerprint does not follow it")
	}
	branch := load(fstest.MapFS{"layouts/partials/card.html": {Data: []byte(`<p>{{.Title}}{{if eq .Title "không có"}}{{.Words}}{{end}}</p>`)}})
	if section(branch, 10) == section(branch, 12) {
		t.Error("a card naming the word count on a branch: the fingerprint does not follow it")
	}
	// Handed whole to a function, a view's every field counts.
	whole := load(fstest.MapFS{"layouts/partials/card.html": {Data: []byte(`<p>{{printf "%v" .}}</p>`)}})
	if section(whole, 10) == section(whole, 12) {
		t.Error("a card printed whole: the fingerprint does not follow its word count")
	}
}

// TestLayoutOutsideItsView: Load refuses a layout naming what no view
// holds, with the file and line, on a branch no page takes too.
func TestLayoutOutsideItsView(t *testing.T) {
	_, err := Load(fstest.MapFS{"layouts/partials/sidebar.html": {Data: []byte("<aside>\n{{if false}}{{.Site.Articles}}{{end}}\n</aside>")}}, LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "layouts/partials/sidebar.html:2:") || !strings.Contains(err.Error(), "can't evaluate field Articles in type *render.Chrome") {
		t.Fatalf("Load = %v; want layouts/partials/sidebar.html:2: can't evaluate field Articles", err)
	}
	var _ template.HTML
}
