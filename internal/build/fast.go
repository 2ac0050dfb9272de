package build

import (
	"bytes"
	"crypto/sha256"
	"io/fs"
	"reflect"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/render"
	"bantin/internal/site"
	"bantin/internal/source"
)

// Pages is what PrepareBodies found to render: pages, and whether the feeds,
// sitemap and alias pages (Machine) must be made again too.
type Pages struct {
	Outputs []*site.Output
	Machine bool
}

// PrepareBodies is serve's fast path for the edits editors make most: saving
// an article whose body changed, or whose title, summary, category, event
// date or unknown keys did (site.Site.Retitled), and nothing else. The last
// model is kept (its lists, people, tags and tasks cannot have changed), the
// article is updated in place, its body converted again if it changed, and
// the pages to render are returned. ok is false for any other change — a new,
// removed or broken file, front matter that moves the article between lists,
// a body with an error, a card shown on every page (the newest articles) —
// and then the caller runs Prepare, which does it all.
//
// Which pages to render follows from the views, not from a list here: other
// pages reach an article only through its card (render.Views), so with the
// card the same only the article's own pages can differ; with a new card,
// the pages whose views show it (render.Fingerprints.Showing, recorded when
// their fingerprints were made) and the feeds.
func (ss *Session) PrepareBodies(changed []string) (s *Site, todo Pages, ok bool) {
	s = ss.last
	if !ss.keep || s == nil || len(changed) == 0 {
		return nil, Pages{}, false
	}
	ss.Stats = Stats{}
	type update struct {
		a    *site.Article
		next site.Article
		pars *parsed
		conv *converted
	}
	var updates []update
	var warnings diag.List
	for _, f := range changed {
		prev := ss.pages[f]
		a := s.Model.ArticleByFile(strings.TrimPrefix(f, source.ContentDir+"/"))
		if !strings.HasSuffix(f, ".md") || prev == nil || prev.page == nil || len(prev.problems) > 0 || a == nil || a.Page.File != f {
			return nil, Pages{}, false
		}
		data, err := fs.ReadFile(ss.fsys, f)
		if err != nil {
			return nil, Pages{}, false
		}
		ss.Stats.Read++
		sum := sha256.Sum256(data)
		if sum == prev.sum {
			continue
		}
		p, problems := source.Parse(f, data, source.Options{Location: s.Model.Config.Location})
		ss.Stats.Parsed++
		if p == nil || len(problems) > 0 {
			return nil, Pages{}, false
		}
		p = ss.tree.Attach(p)
		next, ok := s.Model.Retitled(a, p)
		if !ok {
			return nil, Pages{}, false
		}
		c := ss.conv[f]
		if c == nil || !bytes.Equal(p.Body, a.Page.Body) {
			if c, err = ss.convertBody(s.Model, s.conv, a, p, p.Body); err != nil {
				return nil, Pages{}, false
			}
			ss.Stats.Converted++
		} else {
			c2 := *c
			c2.page = p
			c = &c2
		}
		found := bodyProblems(p, c.res)
		if found.HasErrors() {
			return nil, Pages{}, false // Prepare reports it, with everything else
		}
		warnings = append(warnings, found...)
		next.Words = c.res.Words
		if p.Summary == "" {
			next.Summary = c.res.Summary
		}
		updates = append(updates, update{a: a, next: next, pars: &parsed{sum: sum, page: p}, conv: c})
	}
	// What changes: the article's own pages, and where its card shows, the
	// pages that show it. A card on every page (the newest articles) means
	// every page: Prepare does that as well.
	want := map[*site.Output]bool{}
	fresh := s.Templates.NewViews(s.Model)
	for _, u := range updates {
		retitled := !reflect.DeepEqual(displayed(*u.a), displayed(u.next))
		if !render.SameCard(s.views.Card(u.a), fresh.Card(&u.next)) {
			shown, everywhere := s.fingerprints().Showing(u.a)
			if everywhere {
				return nil, Pages{}, false
			}
			for _, o := range shown {
				want[o] = true
			}
			todo.Machine = true
		}
		for _, o := range s.Model.Outputs {
			if o.Article == u.a && (retitled || render.HasBody(o)) {
				want[o] = true
			}
		}
		if retitled {
			todo.Machine = true // feeds show titles and summaries
		}
	}
	// Nothing can fail any more: apply.
	for _, u := range updates {
		ss.pages[u.a.Page.File] = u.pars
		ss.conv[u.a.Page.File] = u.conv
		s.Model.Retitle(u.a, u.next)
	}
	if ss.docs != nil && ss.docs.model == s.Model && len(updates) > 0 {
		changed := map[*site.Article]bool{}
		for _, u := range updates {
			changed[u.a] = true
		}
		ss.docs.redo(ss, changed) // their search documents
	}
	if len(updates) > 0 {
		// Views are made again from the model as it is now; the pages
		// each card shows on stay as recorded (lists did not change).
		s.views = s.Templates.NewViews(s.Model)
		s.refingerprint()
	}
	for _, o := range s.Model.Outputs {
		if want[o] {
			todo.Outputs = append(todo.Outputs, o)
		}
	}
	warnings.Sort()
	s.Warnings = warnings
	return s, todo, true
}

// displayed is what of an article Retitled may change, but its page.
func displayed(a site.Article) [5]any {
	return [5]any{a.Title, a.Summary, a.Category, a.EventDate, a.Page.Params}
}
