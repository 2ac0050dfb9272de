package site

import (
	"strings"
	"testing"

	"bantin/internal/source"
)

// errorsOf builds the model and returns its errors, one string each.
func errorsOf(t *testing.T, static []string, yaml string, pages ...*source.Page) []string {
	t.Helper()
	_, problems := New(cfg(t, yaml), pages, Options{Now: now, Static: static})
	var out []string
	for _, d := range problems.Errors() {
		out = append(out, d.Error())
	}
	return out
}

// TestAliasesAttacked: aliases an attacker commits to forge _redirects
// rules or write outside the output are errors at the alias's line, and
// no alias is kept.
func TestAliasesAttacked(t *testing.T) {
	for _, tc := range []struct{ alias, want string }{
		{"/cu/\n/* /x/ 301!", "line break"},
		{"/cu/\r/* /x/ 301!", "line break"},
		{"/cu/\t/x/", "tab"},
		{"/cu/ /x/ 301!", "space"},
		{"/../../etc/cron.d/x", ".. segment"},
		{"/tin-cu/%2e%2e/%2e%2e/x", ".. segment"},
		{"//evil.example/", "//"},
		{"javascript:alert(1)", "scheme"},
		{"/*", "wildcard"},
		{"/.git/hooks/post-checkout", "dot"},
		{"/Default.aspx?tabid=1\n/* /x/ 301!", "line break"},
		{"/Default.aspx?print", "key=value"},
	} {
		a := art("tin-tuc/a.md", "A", "2022-01-01")
		a.Aliases = []source.Alias{{Path: tc.alias, Line: 7}}
		s, problems := New(cfg(t, ""), []*source.Page{a}, Options{Now: now})
		errs := problems.Errors()
		if len(errs) != 1 || errs[0].Path != "content/tin-tuc/a.md" || errs[0].Line != 7 || !strings.Contains(errs[0].Msg, tc.want) {
			t.Errorf("alias %q: %v, want content/tin-tuc/a.md:7: …%s…", tc.alias, problems, tc.want)
		}
		if strings.ContainsAny(errs[0].Error(), "\n\r\t") {
			t.Errorf("alias %q: the message holds the control character itself: %q", tc.alias, errs[0].Error())
		}
		if len(s.Aliases) != 0 {
			t.Errorf("alias %q kept: %+v", tc.alias, s.Aliases)
		}
	}
}

// TestAliasDecoded: an alias copied from an address bar names the file
// its decoded path names.
func TestAliasDecoded(t *testing.T) {
	a := art("tin-tuc/a.md", "A", "2022-01-01")
	a.Aliases = []source.Alias{{Path: "/tin-t%E1%BB%A9c/bai-1/"}, {Path: "/Default.aspx?tabid=1&ArticleId=42"}, {Path: "/Default.aspx?ArticleId=43&TabID=1"}}
	s := newSite(t, cfg(t, ""), a)
	if got := s.Aliases[0].Path; got != "/tin-tức/bai-1/" || !s.Exists("/tin-tức/bai-1/") {
		t.Errorf("decoded path = %q", got)
	}
	if got := s.Aliases[2].Match; got != "articleid=43&tabid=1" {
		t.Errorf("Match = %q", got)
	}
	// The same query twice (keys in another case and order) is an error naming both.
	b := art("tin-tuc/b.md", "B", "2022-01-02")
	b.Aliases = []source.Alias{{Path: "/Default.aspx?articleid=42&TABID=1", Line: 6}}
	a.Aliases[1].Line = 5
	errs := errorsOf(t, nil, "", a, b)
	if len(errs) != 1 || !strings.Contains(errs[0], "content/tin-tuc/b.md:6: alias /Default.aspx?articleid=42&TABID=1 is also content/tin-tuc/a.md:5") {
		t.Errorf("duplicate query alias: %q", errs)
	}
}

// TestDuplicateOutputFiles: two things that want one output file are an
// error naming both, with file and line where there is one.
func TestDuplicateOutputFiles(t *testing.T) {
	withAlias := func(alias string, line int) *source.Page {
		a := art("tin-tuc/a.md", "A", "2022-01-01")
		a.Aliases = []source.Alias{{Path: alias, Line: line}}
		return a
	}
	for _, tc := range []struct {
		name   string
		static []string
		pages  []*source.Page
		want   []string
	}{
		{"alias over the feed", nil, []*source.Page{withAlias("/index.xml", 5)},
			[]string{"content/tin-tuc/a.md:5: output file index.xml is wanted twice", "the site's RSS feed", "content/tin-tuc/a.md:5 (alias /index.xml)"}},
		{"alias over _redirects", nil, []*source.Page{withAlias("/_redirects", 5)},
			[]string{"content/tin-tuc/a.md:5: output path _redirects is wanted as a folder by content/tin-tuc/a.md:5 (alias /_redirects) and as a file by the redirects of the aliases"}},
		{"static file where a section is", []string{"tin-tuc"}, []*source.Page{art("tin-tuc/a.md", "A", "2022-01-01")},
			[]string{"static/tin-tuc: output path tin-tuc is wanted as a folder by content/tin-tuc/ (the page /tin-tuc/) and as a file by static/tin-tuc"}},
		{"alias under a file", []string{"cu.html"}, []*source.Page{withAlias("/cu.html/a/", 3)},
			[]string{"content/tin-tuc/a.md:3: output path cu.html is wanted as a folder by content/tin-tuc/a.md:3 (alias /cu.html/a/) and as a file by static/cu.html"}},
		{"alias over a static file", []string{"gioi-thieu.html"}, []*source.Page{withAlias("/gioi-thieu.html", 6)},
			[]string{"output file gioi-thieu.html is wanted twice", "content/tin-tuc/a.md:6 (alias /gioi-thieu.html)", "static/gioi-thieu.html"}},
		{"alias over a page's file", nil, []*source.Page{withAlias("/tin-tuc/index.html", 4)},
			[]string{"output file tin-tuc/index.html is wanted twice", "the page /tin-tuc/", "content/tin-tuc/a.md:4 (alias /tin-tuc/index.html)"}},
		{"query alias page over a section", nil, []*source.Page{withAlias("/tin-tuc/?id=1", 4)},
			[]string{"content/tin-tuc/a.md:4: output file tin-tuc/index.html is wanted twice"}},
		{"static file over a page", []string{"tin-tuc/a/index.html"}, []*source.Page{art("tin-tuc/a.md", "A", "2022-01-01")},
			[]string{"static/tin-tuc/a/index.html: output file tin-tuc/a/index.html is wanted twice: by content/tin-tuc/a.md (the page /tin-tuc/a/) and by static/tin-tuc/a/index.html"}},
		{"static feed", []string{"index.xml"}, nil,
			[]string{"static/index.xml: output file index.xml is wanted twice: by the site's RSS feed and by static/index.xml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := strings.Join(errorsOf(t, tc.static, "", tc.pages...), "\n")
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("errors:\n%s\nwant …%s…", errs, w)
				}
			}
		})
	}
	// A bundle's file over its own page; a path alias and a query alias at one file.
	b := art("tin-tuc/b/index.md", "B", "2022-01-02")
	b.Resources = []string{"index.html", "anh.jpg"}
	c := art("tin-tuc/c.md", "C", "2022-01-03")
	c.Aliases = []source.Alias{{Path: "/Default.aspx", Line: 5}, {Path: "/Default.aspx?tabid=1", Line: 6}}
	errs := strings.Join(errorsOf(t, nil, "", b, c), "\n")
	for _, w := range []string{
		"output file tin-tuc/b/index.html is wanted twice: by content/tin-tuc/b/index.md (the page /tin-tuc/b/) and by content/tin-tuc/b/index.html",
		"content/tin-tuc/c.md:6: output file Default.aspx is wanted twice: by content/tin-tuc/c.md:5 (alias /Default.aspx) and by content/tin-tuc/c.md:6 (alias /Default.aspx?tabid=1)",
	} {
		if !strings.Contains(errs, w) {
			t.Errorf("errors:\n%s\nwant …%s…", errs, w)
		}
	}
}

// TestStaticRobots: a site's static/robots.txt replaces the generated one.
func TestStaticRobots(t *testing.T) {
	s, problems := New(cfg(t, ""), nil, Options{Now: now, Static: []string{"robots.txt"}})
	if problems.HasErrors() || s.Robots() {
		t.Errorf("static robots.txt: %v, Robots() = %v", problems, s.Robots())
	}
	if s := newSite(t, cfg(t, "")); !s.Robots() {
		t.Errorf("no robots.txt generated without a static one")
	}
}

// TestNames: editors' file names with spaces and Vietnamese letters are
// fine; control characters, backslashes and section folders that URLs
// would misread are errors.
func TestNames(t *testing.T) {
	b := art("tin-tuc/hoi-nghi/index.md", "B", "2022-01-02")
	b.Resources = []string{"Ảnh hội nghị 1.jpg", "Báo cáo (bản cuối).pdf"}
	s := newSite(t, cfg(t, ""), b)
	if !s.Exists("/tin-tuc/hoi-nghi/") {
		t.Fatal("no bundle page")
	}
	if _, problems := New(cfg(t, ""), []*source.Page{b}, Options{Now: now, Static: []string{"Tài liệu/Quy chế 2024.pdf"}}); problems.HasErrors() {
		t.Errorf("static name with spaces: %v", problems)
	}
	bad := art("tin-tuc/xau/index.md", "X", "2022-01-03")
	bad.Resources = []string{"a\n/* /x/ 301!.pdf", "..\\..\\x.pdf", "gpj\u202e.exe"}
	sec := art("tin?tuc/a.md", "Y", "2022-01-04")
	errs := errorsOf(t, []string{"css/a\x1b[31m.css"}, "", bad, sec)
	want := []string{
		`content/tin-tuc/xau/index.md: the file "a\n/* /x/ 301!.pdf" beside it has a line break (U+000A); rename the file`,
		`content/tin-tuc/xau/index.md: the file "..\\..\\x.pdf" beside it has a backslash`,
		`content/tin-tuc/xau/index.md: the file "gpj\u202e.exe" beside it has an invisible formatting character (U+202E)`,
		`static: file name "css/a\x1b[31m.css" has a control character (U+001B); rename the file`,
		`content: section folder "tin?tuc" has / ? # or %`,
	}
	got := strings.Join(errs, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("errors:\n%s\nwant …%s…", got, w)
		}
	}
	if strings.ContainsAny(got, "\x1b\u202e") {
		t.Errorf("messages hold the characters themselves:\n%q", got)
	}
}

// TestSlugStaysASegment: a slug: goes through the slug rule, so whatever it
// holds the URL is one [a-z0-9-] segment under its section.
func TestSlugStaysASegment(t *testing.T) {
	for slug, want := range map[string]string{
		"../../../etc/x":      "/tin-tuc/etc-x/",
		"a/b\\c":              "/tin-tuc/a-b-c/",
		"x\n/* /y/ 301!":      "/tin-tuc/x-y-301/",
		"javascript:alert(1)": "/tin-tuc/javascript-alert-1/",
		"//evil.example":      "/tin-tuc/evil-example/",
	} {
		a := art("tin-tuc/a.md", "A", "2022-01-01")
		a.Slug = slug
		if got := newSite(t, cfg(t, ""), a).ArticleByFile("tin-tuc/a.md").URL; got != want {
			t.Errorf("slug %q: URL %q, want %q", slug, got, want)
		}
	}
}
