package build

import (
	"crypto/sha256"
	"io/fs"
	"reflect"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/render"
	"bantin/internal/site"
	"bantin/internal/source"
)

// PrepareBodies is serve's fast path for the edit editors make most: saving
// an article whose front matter did not change. The last model is kept (its
// lists, people, tags and tasks cannot have changed), only the changed bodies
// are converted again, and the pages that show them are returned for
// rendering. ok is false for any other change — a new, removed or broken
// file, different front matter, a body with an error, a card that shows
// something of the body that changed (its word count, a summary taken from
// it) — and then the caller runs Prepare, which does it all.
//
// Which pages show a body follows from the views, not from a list here:
// other pages reach an article only through its card (render.Views), so
// with every changed article's card the same, only the pages that show the
// body itself (render.HasBody) can differ.
func (ss *Session) PrepareBodies(changed []string) (s *Site, pages []*site.Output, ok bool) {
	s = ss.last
	if !ss.keep || s == nil || len(changed) == 0 {
		return nil, nil, false
	}
	ss.Stats = Stats{}
	type update struct {
		a    *site.Article
		next *parsed
		conv *converted
	}
	var updates []update
	var warnings diag.List
	for _, f := range changed {
		prev := ss.pages[f]
		a := s.Model.ArticleByFile(strings.TrimPrefix(f, source.ContentDir+"/"))
		if !strings.HasSuffix(f, ".md") || prev == nil || prev.page == nil || len(prev.problems) > 0 || a == nil || a.Page.File != f {
			return nil, nil, false
		}
		data, err := fs.ReadFile(ss.fsys, f)
		if err != nil {
			return nil, nil, false
		}
		ss.Stats.Read++
		sum := sha256.Sum256(data)
		if sum == prev.sum {
			continue
		}
		p, problems := source.Parse(f, data, source.Options{Location: s.Model.Config.Location})
		ss.Stats.Parsed++
		if p == nil || len(problems) > 0 {
			return nil, nil, false
		}
		p = ss.tree.Attach(p)
		if !sameFrontMatter(a.Page, p) {
			return nil, nil, false
		}
		c, err := ss.convertBody(s.Model, s.conv, a, p, p.Body)
		ss.Stats.Converted++
		if err != nil {
			return nil, nil, false
		}
		found := bodyProblems(p, c.res)
		if found.HasErrors() {
			return nil, nil, false // Prepare reports it, with everything else
		}
		warnings = append(warnings, found...)
		// The card as it would be made from the new body.
		next := *a
		next.Page, next.Words = p, c.res.Words
		if a.Page.Summary == "" {
			next.Summary = c.res.Summary
		}
		if !render.SameCard(s.views.Card(a), s.Templates.NewViews(s.Model).Card(&next)) {
			return nil, nil, false
		}
		updates = append(updates, update{a: a, next: &parsed{sum: sum, page: p}, conv: c})
	}
	// Nothing can fail any more: apply.
	want := map[*site.Article]bool{}
	for _, u := range updates {
		ss.pages[u.a.Page.File] = u.next
		ss.conv[u.a.Page.File] = u.conv
		u.a.Page = u.next.page
		u.a.Words = u.conv.res.Words
		want[u.a] = true
	}
	for _, o := range s.Model.Outputs {
		if render.HasBody(o) && want[o.Article] {
			pages = append(pages, o)
		}
	}
	warnings.Sort()
	s.Warnings = warnings
	return s, pages, true
}

// sameFrontMatter reports whether two parses of a file differ only in the body.
func sameFrontMatter(a, b *source.Page) bool {
	x, y := *a, *b
	x.Body, y.Body = nil, nil
	return reflect.DeepEqual(x, y)
}
