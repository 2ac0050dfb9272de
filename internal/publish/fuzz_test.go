package publish

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRecord: whatever the destination's record holds, decodeRecord never
// panics, every path it accepts is one publish could have written (inside
// the destination, whatever it is joined to), and a record it accepts
// comes back the same through encodeRecord.
func FuzzRecord(f *testing.F) {
	// Real records: a publish's, and ones written by hand around it.
	dest := filepath.Join(f.TempDir(), "public")
	s, err := Begin(dest, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for p, body := range map[string]string{
		"index.html":                      "<p>x</p>",
		"tin-tuc/hoi-nghi/index.html":     "<p>y</p>",
		"anh/2022/ảnh-đẹp-320w.jpg":       "\xff\xd8",
		"tags/phát-triển-đảng/index.html": "",
	} {
		if err := s.Write(p, []byte(body)); err != nil {
			f.Fatal(err)
		}
	}
	if _, err := s.Commit(); err != nil {
		f.Fatal(err)
	}
	rec, err := os.ReadFile(filepath.Join(dest, Marker))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(rec)
	sum := strings.Repeat("ab", 16)
	f.Add(encodeRecord(map[string]entry{}, true))
	f.Add(encodeRecord(map[string]entry{"a/b.html": {size: 3}, "CNAME": {size: 1 << 40}}, false))
	for _, p := range []string{"../x", "/etc/passwd", "a/../../x", ".", "", "a//b", "a\\b", ".bantin", ".bantin-state/x", ".bantin-staging-1/x", "a\x00b", "a\nb", "\xff", "./a", "a/.", "C:/x", "a/\u0085"} {
		f.Add([]byte(`{"bantin":2,"complete":true,"files":[{"p":"` + strings.ReplaceAll(p, `\`, `\\`) + `","s":"` + sum + `","n":1}]}`))
	}
	f.Add([]byte(`{"bantin":2,"complete":true,"files":[{"p":"a","s":"` + sum + `","n":1},{"p":"a","s":"` + sum + `","n":2}]}`))
	f.Add([]byte(`{"bantin":2,"complete":true,"files":[{"p":"a","s":"` + sum + `","n":-1}]}`))
	f.Add([]byte(`{"bantin":2,"complete":true,"files":[{"p":"a","s":"zz","n":1}]}`))
	f.Add([]byte(`{"bantin":2,"complete":true,"files":[{"p":"a","s":"` + sum + `ab","n":1}]}`))
	f.Add([]byte(`{"bantin":2,"files":null}`))
	f.Add([]byte(`{"bantin":2,"bantin":1,"files":[]}`))
	f.Add([]byte(`{"Bantin":2,"FILES":[{"P":"x","S":"` + sum + `","N":1}]}`))
	f.Add([]byte("bantin output manifest v1\nindex.html 0123 12\n"))
	f.Add([]byte{})

	root := filepath.Join(string(filepath.Separator), "srv", "www", "public")
	f.Fuzz(func(t *testing.T, b []byte) {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("decodeRecord(%q) panicked: %v", b, r) // fails this input, not the whole test binary
			}
		}()
		files, complete, err := decodeRecord(b)
		if err != nil {
			if files != nil || complete {
				t.Fatalf("an error (%v) with files %v, complete %v", err, files, complete)
			}
			return
		}
		for p, e := range files {
			if err := validPath(p); err != nil {
				t.Fatalf("accepted %q: %v", p, err)
			}
			if !fs.ValidPath(p) || p == "." {
				t.Fatalf("accepted %q, not fs.ValidPath", p)
			}
			if e.size < 0 {
				t.Fatalf("accepted %q with size %d", p, e.size)
			}
			full := filepath.Join(root, filepath.FromSlash(p))
			rel, err := filepath.Rel(root, full)
			if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
				t.Fatalf("accepted %q, which joined to %s is %s, outside", p, root, full)
			}
			if c, err := cleanPath(p); err != nil || c != p {
				t.Fatalf("accepted %q, which Write would take as %q (%v)", p, c, err)
			}
		}
		again, complete2, err := decodeRecord(encodeRecord(files, complete))
		if err != nil {
			t.Fatalf("the record encoded again does not decode: %v", err)
		}
		if complete2 != complete || !maps.Equal(again, files) {
			t.Fatalf("the record encoded again decodes differently: %v %v, then %v %v", files, complete, again, complete2)
		}
	})
}
