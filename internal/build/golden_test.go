package build

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// update rewrites the golden files: go test ./internal/build -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// committeeSource is the committee's own site: the repository root.
const committeeSource = "../.."

// committeeBase is the baseURL golden files are built with.
const committeeBase = "https://dangbokhoi.example.gov.vn/"

// committeeSite builds the real site, unminified, with a fixed clock, and
// returns the output folder.
func committeeSite(t *testing.T, base string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(committeeSource, "site.yaml")); err != nil {
		t.Skipf("no committee site at %s: %v", committeeSource, err)
	}
	return buildDir(t, committeeSource, Options{BaseURL: base}).dir
}

// TestGolden compares pages of the committee site with testdata/golden.
// Layouts change on purpose; when they do, run with -update and review the
// diff of testdata/golden in the commit.
func TestGolden(t *testing.T) {
	dir := committeeSite(t, committeeBase)
	for _, tc := range []struct{ page, golden string }{
		{"tin-tuc/so-ket-1-nam-quy-che-phoi-hop/index.html", "so-ket-1-nam-quy-che-phoi-hop.html"},
		{"index.html", "home.html"},
		{"nhiem-vu/index.html", "nhiem-vu.html"},
		{"hinh-anh/index.html", "gallery.html"},
		{"hinh-anh/hoi-thao-khoi-nam-2024/index.html", "album.html"},
		{"video/index.html", "videos.html"},
		{"video/phong-su-hoi-thao-khoi-nam-2024/index.html", "video.html"},
		{"lien-ket/index.html", "links.html"},
		{"tim-kiem/index.html", "search.html"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.page)))
			if err != nil {
				t.Fatal(err)
			}
			got = cacheBust.ReplaceAll(got, []byte("?v=HASH"))
			file := filepath.Join("testdata", "golden", tc.golden)
			if *update {
				writeFile(t, file, got)
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/build -run Golden -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("/%s differs from %s (if the change is intended: go test ./internal/build -run Golden -update)\n%s",
					tc.page, file, firstDiff(string(want), string(got)))
			}
		})
	}
}

// cacheBust matches the content hashes of CSS and JS URLs: a stylesheet
// edit is not a change of the page's HTML, so goldens do not pin it.
var cacheBust = regexp.MustCompile(`\?v=[0-9a-f]{8,}`)

// firstDiff shows the first differing line, with two lines of context.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		var b strings.Builder
		for j := max(0, i-2); j < i; j++ {
			b.WriteString("   " + w[j] + "\n")
		}
		b.WriteString("-  " + wl + "\n+  " + gl + "\n")
		return "line " + strconv.Itoa(i+1) + ":\n" + b.String()
	}
	return ""
}

// TestDeterministic: two builds of the committee site, minified (the
// default), give the same bytes in every file.
func TestDeterministic(t *testing.T) {
	on := true
	a := buildDir(t, committeeSource, Options{Minify: &on}).dir
	b := buildDir(t, committeeSource, Options{Minify: &on}).dir
	n := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s: only in the first build", rel)
			return nil
		}
		if string(x) != string(y) {
			t.Errorf("%s differs between two builds of the same input", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("only %d files compared", n)
	}
}
