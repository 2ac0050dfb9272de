package urlpath

import (
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var redirectField = regexp.MustCompile(`^[A-Za-z0-9._~/%-]*$`)

// FuzzAlias: Alias never panics, and a path it accepts — as written and as
// decoded — holds no control character or space, has no .. segment, does
// not start with //, has no scheme, stays inside the output once cleaned
// and joined to it, and makes a _redirects field of nothing but URL
// characters.
func FuzzAlias(f *testing.F) {
	for _, tc := range badAliases {
		f.Add(tc.alias)
	}
	for _, s := range []string{"/tin-cu/a/", "/Default.aspx?tabid=1&ArticleId=42", "/tin-t%E1%BB%A9c/", "/a/b.html", "/%2e/", "/a%2f%2e%2e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, q, err := Alias(raw)
		if err != nil {
			return
		}
		rawPath, _, _ := strings.Cut(raw, "?")
		for _, s := range []string{rawPath, p} {
			for _, r := range s {
				if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("Alias(%q) accepted %q with %U", raw, s, r)
				}
			}
			if strings.HasPrefix(s, "//") || !strings.HasPrefix(s, "/") {
				t.Fatalf("Alias(%q) accepted %q", raw, s)
			}
			for _, seg := range strings.Split(s, "/") {
				if seg == ".." || seg == "." {
					t.Fatalf("Alias(%q) accepted %q with a dot segment", raw, s)
				}
			}
		}
		if u, err := url.Parse(raw); err == nil && (u.Scheme != "" || u.Host != "") {
			t.Fatalf("Alias(%q) accepted a URL with scheme %q host %q", raw, u.Scheme, u.Host)
		}
		if c := path.Clean(p); !strings.HasPrefix(c, "/") || c == "/.." || strings.HasPrefix(c, "/../") {
			t.Fatalf("Alias(%q): %q cleans to %q", raw, p, c)
		}
		root := filepath.FromSlash("/out")
		if j := filepath.Join(root, filepath.FromSlash(p)); j != root && !strings.HasPrefix(j, root+string(filepath.Separator)) {
			t.Fatalf("Alias(%q): %q joins to %q, outside %q", raw, p, j, root)
		}
		e := Escape(p)
		if back, err := url.PathUnescape(e); err != nil || back != p {
			t.Fatalf("Escape(%q) = %q does not decode back: %q, %v", p, e, back, err)
		}
		if rf := Redirect(e); !redirectField.MatchString(rf) {
			t.Fatalf("Redirect(Escape(%q)) = %q", p, rf)
		}
		for _, r := range q {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				t.Fatalf("Alias(%q) accepted query %q with %U", raw, q, r)
			}
		}
	})
}

// FuzzSegment: an accepted paths: segment is one segment that cleaning
// leaves as it is, with no control character, space, scheme or URL syntax.
func FuzzSegment(f *testing.F) {
	for _, s := range []string{"trang", "tìm-kiếm", "..", ".", "a/b", "a b", "a\nb", "javascript:x", ".git", "%2e%2e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Segment(s) != nil {
			return
		}
		if path.Clean("/"+s) != "/"+s || strings.ContainsAny(s, "/\\?#%:*") || strings.HasPrefix(s, ".") {
			t.Fatalf("Segment accepted %q", s)
		}
		for _, r := range s {
			if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("Segment accepted %q with %U", s, r)
			}
		}
	})
}

// FuzzName: an accepted file name stays inside its folder and has no
// control character; its escaped URL decodes back to it.
func FuzzName(f *testing.F) {
	for _, s := range []string{"Ảnh hội nghị 1.jpg", "../x", "a/../../b", "/etc/passwd", "a\nb", "a\\b", "a//b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Name(s) != nil {
			return
		}
		if c := path.Clean(s); c != s || c == ".." || strings.HasPrefix(c, "../") || strings.HasPrefix(c, "/") {
			t.Fatalf("Name accepted %q (cleans to %q)", s, c)
		}
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("Name accepted %q with %U", s, r)
			}
		}
		if back, err := url.PathUnescape(Escape("/" + s)); err != nil || back != "/"+s {
			t.Fatalf("Escape(%q) does not decode back", s)
		}
	})
}
