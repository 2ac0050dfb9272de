package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// keyPages are the pages every browser check covers, by a short name.
var keyPages = []struct{ name, path string }{
	{"home", ""},
	{"section", "tin-tuc/"},
	{"article", "tin-tuc/so-ket-1-nam-quy-che-phoi-hop/"},
	{"tasks", "nhiem-vu/"},
	{"person", "dai-bieu/vu-huu-thi/"},
}

// TestScreenshots writes full-page screenshots of the key pages at phone and
// desktop width into $BANTIN_SHOTS, for a person to look at. Without the
// variable there is nobody to look, so it does nothing.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("BANTIN_SHOTS")
	if dir == "" {
		t.Skip("set BANTIN_SHOTS=/tmp/bantin-shots to write full-page screenshots")
	}
	dir = shotsDir(t)
	ctx := newTab(t)
	s := committeeSite(t, "/")
	for _, v := range []viewport{phone, desktop} {
		for _, p := range keyPages {
			load(t, ctx, v, s.URL+p.path)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("%s at %s: %v", p.name, v.name, err)
			}
			out := filepath.Join(dir, p.name+"-"+v.name+".png")
			if err := os.WriteFile(out, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", out, len(png))
		}
	}
}
