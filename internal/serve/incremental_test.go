package serve

import (
	"strings"
	"testing"
)

// TestRebuildRendersOnlyWhatChanged proves the fingerprints: editing one
// article's body converts one body and renders that article's page on top
// of what every rebuild renders (home, indexes, tracker, links, 404, feeds,
// sitemap, assets), never the lists and neighbours it does not change.
func TestRebuildRendersOnlyWhatChanged(t *testing.T) {
	dir := copySite(t)
	s, _ := newServer(t, dir)
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
	if rep.Rendered != always+1 {
		t.Errorf("a body edit rendered %d files (%d with no change, %d in a full build); want only the article's page more", rep.Rendered, always, all)
	}
	if len(rep.Changed) != 1 || !strings.Contains(rep.Changed[0], "hoc-tap-nghi-quyet") {
		t.Errorf("changed %v; want only the article's page", rep.Changed)
	}
	if _, page := get(t, s, articles[file]); !strings.Contains(page, "Một đoạn văn mới") {
		t.Error("the served page lacks the new paragraph")
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
}
