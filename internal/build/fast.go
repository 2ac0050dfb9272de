package build

import (
	"crypto/sha256"
	"io/fs"
	"reflect"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/site"
	"bantin/internal/source"
)

// PrepareBodies is serve's fast path for the edit editors make most: saving
// an article whose front matter did not change. The last model is kept (its
// lists, people, tags and tasks cannot have changed), only the changed bodies
// are converted again, and the pages that show them are returned for
// rendering. ok is false for any other change — a new, removed or broken
// file, different front matter, a summary taken from a body that changed, a
// body with an error — and then the caller runs Prepare, which does it all.
func (ss *Session) PrepareBodies(changed []string) (s *Site, pages []*site.Output, ok bool) {
	s = ss.last
	// Layouts of the site's own may show more of a body elsewhere (its word count on a card).
	if !ss.keep || s == nil || len(changed) == 0 || s.Templates.Custom {
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
		var links []resolved
		res, err := s.conv.ConvertWith(p.Body, func(dest string) (string, bool) {
			u, ok := s.Model.Resolve(a, dest)
			links = append(links, resolved{dest, u, ok})
			return u, ok
		}, ss.bodyImage(a))
		ss.Stats.Converted++
		if err != nil {
			return nil, nil, false
		}
		for _, pr := range res.Problems {
			if !pr.Warning {
				return nil, nil, false // Prepare reports it, with everything else
			}
			warnings = append(warnings, diag.Diagnostic{Path: f, Line: p.BodyLine + pr.Line - 1, Msg: pr.Msg, Warning: true})
		}
		// Lists show a summary taken from the body when there is none.
		if a.Page.Summary == "" && res.Summary != a.Summary {
			return nil, nil, false
		}
		updates = append(updates, update{a: a, next: &parsed{sum: sum, page: p}, conv: &converted{page: p, sum: sha256.Sum256(p.Body), links: links, res: res}})
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
		if o.IsPage() && want[o.Article] {
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
