package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompressHeaders: --compress publishes _headers with a year of
// immutable caching for the search chunks only, rules that never overlap,
// and companions beside the pages; a rebuild writes nothing; a site's own
// static/_headers wins.
func TestCompressHeaders(t *testing.T) {
	src := writeMap(t, expirySite)
	dest := filepath.Join(t.TempDir(), "public")
	b := buildDir(t, src, Options{Dest: dest, Compress: true})
	h := b.read("_headers")
	contains(t, "_headers", h, "/tim-kiem/i/*\n  Cache-Control: public, max-age=31536000, immutable\n", "/tin-tuc/*\n  Cache-Control: public, max-age=300\n", "/\n  Cache-Control: public, max-age=300\n")
	if strings.Count(h, "immutable") != 1 || strings.Contains(h, "\n/*\n") || strings.Contains(h, "/tim-kiem/*") {
		t.Errorf("overlapping or wider immutable rules:\n%s", h)
	}
	chunks, _ := filepath.Glob(filepath.Join(dest, "tim-kiem", "i", "*.json"))
	if len(chunks) == 0 {
		t.Fatal("no search chunks")
	}
	for _, p := range []string{"index.html.gz", "index.html.br", "tin-tuc/hom-nay/index.html.br", "sitemap.xml.gz"} {
		if !b.exists(p) {
			t.Errorf("no %s", p)
		}
	}
	again := buildDir(t, src, Options{Dest: dest, Compress: true})
	if again.res.Written != 0 || again.res.Files != b.res.Files {
		t.Errorf("rebuild: %s (first: %d files)", again.res.Summary(), b.res.Files)
	}
	writeFile(t, filepath.Join(src, "static", "_headers"), []byte("/*\n  X-Frame-Options: DENY\n"))
	own := buildDir(t, src, Options{Compress: true})
	if got := own.read("_headers"); got != "/*\n  X-Frame-Options: DENY\n" {
		t.Errorf("the site's own _headers replaced: %q", got)
	}
	plain := buildDir(t, src, Options{})
	if _, err := os.Stat(filepath.Join(plain.dir, "index.html.gz")); err == nil {
		t.Errorf("companions without --compress")
	}
}
