package serve

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"testing"

	"bantin/internal/build"
	"bantin/internal/render"
)

// TestRebuildRendersOnlyWhatChanged: editing one article's body (its front
// matter as it was) converts one body and renders that article's page
// alone; an edit that changes what lists show (a summary taken from the
// body, a title) renders, thanks to the fingerprints, what every full
// rebuild renders (home, indexes, tracker, links, 404, feeds, sitemap,
// assets) and the lists that show it, never the pages it does not change.
// The same holds for a site with layouts of its own (a footer, as every
// real site will have): its pages are fingerprinted by what its layouts read.
func TestRebuildRendersOnlyWhatChanged(t *testing.T) {
	t.Run("builtin", func(t *testing.T) { rendersOnlyWhatChanged(t, false) })
	t.Run("own-footer", func(t *testing.T) { rendersOnlyWhatChanged(t, true) })
}

func rendersOnlyWhatChanged(t *testing.T, ownFooter bool) {
	dir := copySite(t)
	if ownFooter {
		footer, err := render.BuiltinLayout("partials/footer.html")
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "layouts/partials/footer.html", strings.Replace(footer, "</footer>", `<p class="own">{{.Site.ArticleCount}} bài · {{.Site.Config.Footer.Email}}</p></footer>`, 1))
	}
	s, _ := newServer(t, dir)
	if ownFooter {
		if _, home := get(t, s, "/"); !strings.Contains(home, " bài · ") {
			t.Fatal("the site's own footer is not on the home page")
		}
	}
	all := s.Last().Rendered // the first build renders everything
	always := mustRebuild(t, s, Change{}).Rendered
	if always >= all {
		t.Fatalf("a rebuild with no change rendered %d files, as many as a full build (%d)", always, all)
	}

	const file = "content/tin-tuc/hoc-tap-nghi-quyet.md"
	writeFile(t, dir, file, readFile(t, dir, file)+"\nMột đoạn văn mới được thêm vào cuối bài.\n")
	rep := mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Converted != 1 || rep.Stats.Parsed != 1 {
		t.Errorf("stats %+v: want 1 parsed, 1 converted", rep.Stats)
	}
	if rep.Rendered != 1 {
		t.Errorf("a body edit rendered %d files (%d with no change, %d in a full build); want only the article's page", rep.Rendered, always, all)
	}
	// The search page is told to run its query again: the index changed.
	if len(rep.Changed) != 2 || !slices.ContainsFunc(rep.Changed, func(p string) bool { return strings.Contains(p, "hoc-tap-nghi-quyet") }) ||
		!slices.Contains(rep.Changed, "tim-kiem/index.html") {
		t.Errorf("changed %v; want only the article's page and the search page", rep.Changed)
	}
	if _, page := get(t, s, articles[file]); !strings.Contains(page, "Một đoạn văn mới") {
		t.Error("the served page lacks the new paragraph")
	}

	// The article has no summary: lists show its first paragraph. Changing
	// that paragraph changes the lists, found by the fingerprints.
	replaceIn(t, dir, file, "Hơn 300 cán bộ", "Gần 400 cán bộ")
	rep = mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Converted != 1 {
		t.Errorf("stats %+v: want 1 converted", rep.Stats)
	}
	if rep.Rendered <= always+1 {
		t.Errorf("a summary edit rendered only %d files; lists show the summary", rep.Rendered)
	}
	if _, list := get(t, s, "/tin-tuc/"); !strings.Contains(list, "Gần 400 cán bộ") {
		t.Error("the section list shows the old summary")
	}

	// A title shows in lists: more pages render, and they show the new title.
	replaceIn(t, dir, file, "title: Học tập", "title: Cập nhật - Học tập")
	rep = mustRebuild(t, s, Change{Content: []string{file}})
	if rep.Stats.Converted != 0 {
		t.Errorf("a title edit re-converted %d bodies", rep.Stats.Converted)
	}
	if rep.Rendered <= always+1 {
		t.Errorf("a title edit rendered only %d files; lists show titles", rep.Rendered)
	}
	if _, list := get(t, s, "/tin-tuc/"); !strings.Contains(list, "Cập nhật - Học tập") {
		t.Error("the section list shows the old title")
	}
	if _, page := get(t, s, articles[file]); !strings.Contains(page, "Một đoạn văn mới") || !strings.Contains(page, "Gần 400") {
		t.Error("after the title edit the article page lost a body edit")
	}
	// After all that, every page served is the page a fresh build makes.
	fresh := map[string][]byte{}
	site, err := build.NewSession(s.opts).Prepare(nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	err = site.Render(func(f render.File) error {
		b := bytes.Clone(f.Body)
		if site.Minify() && !f.Minified { // as publishing it would
			var err error
			if b, err = site.MinifyFile(f.Path, b); err != nil {
				return err
			}
		}
		mu.Lock()
		fresh[f.Path] = b
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for p, b := range fresh {
		if !bytes.Equal(s.files[p], b) {
			t.Errorf("%s served differs from a fresh build's", p)
		}
	}
	if len(fresh) < 20 || len(s.files) < len(fresh) {
		t.Errorf("%d files served, a fresh build renders %d", len(s.files), len(fresh))
	}
}

// TestBodyEditReverted: a page the body-edit path rendered is rendered
// again by the next full rebuild even when its text went back to what the
// last full rebuild saw (its old fingerprint must not keep the newer bytes).
func TestBodyEditReverted(t *testing.T) {
	dir := copySite(t)
	s, _ := newServer(t, dir)
	const file = "content/tin-tuc/hoc-tap-nghi-quyet.md"
	orig := readFile(t, dir, file)
	writeFile(t, dir, file, orig+"\nĐoạn tạm thời.\n")
	if rep := mustRebuild(t, s, Change{Content: []string{file}}); rep.Rendered != 1 {
		t.Fatalf("body edit rendered %d pages, want 1", rep.Rendered)
	}
	// The edit undone, in one batch with an edit of the oldest article's
	// front matter (which takes the full rebuild, and changes no block
	// every page shows).
	writeFile(t, dir, file, orig)
	const other = "content/tin-tuc/tong-ket-nam-2021.md"
	replaceIn(t, dir, other, "date: 2022-01-10", "date: 2022-01-10\ncategory: Tổng kết")
	mustRebuild(t, s, Change{Content: []string{file, other}})
	if _, page := get(t, s, articles[file]); strings.Contains(page, "Đoạn tạm thời") {
		t.Error("the page still shows the undone edit")
	}
}
