package render

import (
	"bytes"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"text/template"

	"bantin/internal/config"
	"bantin/internal/site"
	"bantin/internal/source"
)

// quietActions changes no template's output, and leaves no quote the
// minifier could misread in a comment or a raw string.
func TestQuietActions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a {{/* the footer's links */}} b", "a {{/**/}} b"},
		{"a {{- /* it's */ -}} b", "a {{- /**/ -}} b"},
		{"a {{- /* \"x\n y' */}} b {{/* z' */ -}} c", "a {{- /**/}} b {{/**/ -}} c"},
		{"{{ `it's` }}", `{{ "it's" }}`},
		{"{{ printf `%s \"q\" %s` .A `b` }}", `{{ printf "%s \"q\" %s" .A "b" }}`},
		{"{{ \"`it's`\" }} {{ '`' }} {{ \"}}\" }} x", "{{ \"`it's`\" }} {{ '`' }} {{ \"}}\" }} x"},
		{"{{ -1 }} {{- .A}}", "{{ -1 }} {{- .A}}"},
		{"<p title='{{.A}}'>it's</p>", "<p title='{{.A}}'>it's</p>"},
	}
	data := map[string]string{"A": "á"}
	for _, tc := range tests {
		got := quietActions(tc.in)
		if got != tc.want {
			t.Errorf("quietActions(%q) = %q; want %q", tc.in, got, tc.want)
		}
		var before, after bytes.Buffer
		if err := template.Must(template.New("").Parse(tc.in)).Execute(&before, data); err != nil {
			t.Fatal(err)
		}
		if err := template.Must(template.New("").Parse(got)).Execute(&after, data); err != nil {
			t.Fatal(err)
		}
		if before.String() != after.String() {
			t.Errorf("%q renders %q; quieted %q renders %q", tc.in, before.String(), got, after.String())
		}
	}
}

// A layout comment with an apostrophe does not stop the minifier: the page
// after it comes out minified, and the same as without the comment.
func TestMinifyPastTemplateComments(t *testing.T) {
	footer, err := fs.ReadFile(builtin, "layouts/partials/footer.html")
	if err != nil {
		t.Fatal(err)
	}
	pages := func(comment string) map[string]string {
		t.Helper()
		fsys := fstest.MapFS{"layouts/partials/footer.html": {Data: []byte(comment + "\n" + string(footer))}}
		tmpl, err := Load(fsys, LoadOptions{Minify: true})
		if err != nil {
			t.Fatal(err)
		}
		if !tmpl.Minified {
			t.Fatalf("layouts with %q are not minified at load", comment)
		}
		cfg, err := config.Parse([]byte("title: Trang thử\nbaseURL: https://example.org/\nlinks:\n  - {name: Cổng, url: \"https://example.gov.vn/\"}\n"))
		if err != nil {
			t.Fatal(err)
		}
		pg := &source.Page{Kind: source.Article, File: "content/tin-tuc/a.md", Path: "tin-tuc/a.md", Section: "tin-tuc", Dir: "tin-tuc",
			Name: "a", Title: "A", Params: map[string]any{}}
		s, problems := site.New(cfg, []*source.Page{pg}, site.Options{})
		if problems.HasErrors() {
			t.Fatal(problems)
		}
		files := map[string]string{}
		var mu sync.Mutex // emit is called from every render worker
		err = tmpl.Render(s, nil, Options{}, func(f File) error {
			mu.Lock()
			files[f.Path] = string(f.Body)
			mu.Unlock()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	want := pages("")
	for _, comment := range []string{
		"{{/* the footer's links, edited by the committee's office */}}",
		"{{- /* don't show the address */ -}}",
		"{{/* a \"quote */}}",
		"{{ if eq (len `it's`) 9 }}x{{ end }}",
	} {
		got := pages(comment)
		home := got["index.html"]
		i := strings.Index(home, "<footer")
		if i < 0 {
			t.Fatalf("%q: no footer in the home page", comment)
		}
		if after := home[i:]; strings.Contains(after, "\n  ") || strings.Contains(after, `class="site-footer"`) {
			t.Errorf("%q: the footer is not minified:\n%s", comment, after)
		}
		for p, b := range want {
			if got[p] != b {
				t.Errorf("%q: %s differs from the page without it:\n%s\n----\n%s", comment, p, b, got[p])
			}
		}
	}
}
