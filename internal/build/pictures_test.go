package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPicturesInLists: an article with photos shows its cover in the lists
// that show its card (a thumbnail with its size, srcset, sizes, alt; lazy),
// as the large picture of the home page's lead story when it is the lead,
// and at the top of its own page; an article without photos shows none.
func TestPicturesInLists(t *testing.T) {
	dir := committeeSite(t, committeeBase)
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	img := regexp.MustCompile(`<img class="card-img" src="([^"]+)" srcset="[^"]+ 320w,[^"]*" sizes="[^"]+" width="\d+" height="\d+" loading="lazy" decoding="async" alt="([^"]+)">`)
	list := read("hoat-dong/index.html")
	m := img.FindAllStringSubmatch(list, -1)
	if len(m) != 1 {
		t.Fatalf("/hoat-dong/ has %d card thumbnails; want 1 (one article there has photos)", len(m))
	}
	if !strings.Contains(m[0][1], "hoi-thao-khoi-nam-2024/") || m[0][2] == "" {
		t.Errorf("the thumbnail is %q, alt %q", m[0][1], m[0][2])
	}
	if strings.Count(list, `<article class="card card-pic">`) != 1 || strings.Count(list, `<article class="card">`) == 0 {
		t.Error("only the card of the article with photos should have a picture")
	}
	page := read("hoat-dong/hoi-thao-khoi-nam-2024/index.html")
	if !regexp.MustCompile(`<figure class="article-cover">\s*<img src="[^"]+" srcset="[^"]+" sizes="[^"]+" width="\d+" height="\d+" fetchpriority="high"`).MatchString(page) {
		t.Error("the article with photos does not open with its cover")
	}
	if strings.Contains(read("tin-tuc/so-ket-1-nam-quy-che-phoi-hop/index.html"), "article-cover") {
		t.Error("an article without photos shows a cover")
	}
}
