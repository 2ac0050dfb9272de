package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"bantin/internal/publish"
	"bantin/internal/render"
	"bantin/internal/search"
	"bantin/internal/site"
	"bantin/internal/source"
)

// Search index (internal/search): every article, video and standalone page,
// as the model and its body's text make it. Build writes it after the
// pages; a build into an output whose index was made from the same
// documents keeps it (the skip decision for the index: its key hashes the
// documents but their bodies, and each body's source). serve makes it when
// a browser first asks for it after a change.

// searchDocs are the index's documents, in the model's order; text gives
// an article's body as plain text (nil: left empty, for the key).
func (s *Site) searchDocs(text func(a *site.Article) string) []search.Doc {
	m := s.Model
	all := make([]*site.Article, 0, len(m.Articles)+len(m.Videos)+len(m.Standalone))
	all = append(append(append(all, m.Articles...), m.Videos...), m.Standalone...)
	docs := make([]search.Doc, len(all))
	for i, a := range all {
		d := search.Doc{URL: a.URL, Title: a.Title, Date: a.Date}
		if a.Section != nil {
			d.Section, d.SectionURL = a.Section.Title, a.Section.URL
		}
		for _, t := range a.Tags {
			d.Tags = append(d.Tags, t.Name)
		}
		for _, at := range a.Participants {
			p := at.Person.Name
			if at.Role != "" {
				p += ", " + at.Role
			}
			d.People = append(d.People, p)
		}
		for _, t := range a.Tasks {
			d.Tasks = append(d.Tasks, t.Text)
		}
		if text != nil {
			d.Body = text(a)
		}
		docs[i] = d
	}
	return docs
}

// searchKey names the index docs make: the documents without their bodies
// (docs as searchDocs(nil) made them) and each body's source.
func (s *Site) searchKey(docs []search.Doc) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", stateVersion, programSum())
	h.Write(s.session.cfgSum[:])
	_ = json.NewEncoder(h).Encode(docs)
	m := s.Model
	for _, list := range [][]*site.Article{m.Articles, m.Videos, m.Standalone} {
		for _, a := range list {
			if pr := s.session.pages[a.Page.File]; pr != nil {
				h.Write(pr.sum[:])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// bodyTexts gives every article's body text: from its conversion (serve
// keeps them all; a one-shot build, those its render made), else from a
// conversion made now, on every core.
func (s *Site) bodyTexts() (func(a *site.Article) string, error) {
	ss := s.session
	texts := map[*site.Article]string{}
	var todo []*site.Article
	m := s.Model
	s.mu.Lock()
	for _, list := range [][]*site.Article{m.Articles, m.Videos, m.Standalone} {
		for _, a := range list {
			if c := ss.conv[a.Page.File]; c != nil {
				texts[a] = c.res.Text
			} else if rec, ok := s.bodies[a.Page.File]; ok && rec.hasText {
				texts[a] = rec.text
			} else {
				todo = append(todo, a)
			}
		}
	}
	s.mu.Unlock()
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, a := range todo {
		g.Go(func() error {
			body, err := source.ReadBody(s.FS, a.Page)
			if err != nil {
				return err
			}
			c, err := ss.convertBody(m, s.conv, a, a.Page, body)
			if err != nil {
				return fmt.Errorf("%s: markdown: %w", a.Page.File, err)
			}
			mu.Lock()
			texts[a] = c.res.Text
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return func(a *site.Article) string { return texts[a] }, nil
}

// SearchFiles makes the search index and its client script.
func (s *Site) SearchFiles() ([]render.File, error) {
	text, err := s.bodyTexts()
	if err != nil {
		return nil, err
	}
	return searchFiles(s.searchDocs(text), s.Model.Config.Paths.Search)
}

// Search is the search index of the site as it is now, for serve: its
// folder ("tim-kiem/"), its key (it changed when the key did) and what
// makes it, from documents taken now (the model may change after).
func (s *Site) Search() (dir, key string, make func() ([]render.File, error), err error) {
	text, err := s.bodyTexts()
	if err != nil {
		return "", "", nil, err
	}
	docs, name := s.searchDocs(text), s.Model.Config.Paths.Search
	return name + "/", s.searchKey(s.searchDocs(nil)), func() ([]render.File, error) { return searchFiles(docs, name) }, nil
}

func searchFiles(docs []search.Doc, dir string) ([]render.File, error) {
	files, err := search.Build(docs, search.Options{Dir: dir})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]render.File, 0, len(files)+1)
	for _, f := range files {
		out = append(out, render.File{Path: f.Path, Body: f.Body, Minified: true})
	}
	return append(out, render.File{Path: dir + "/" + search.ScriptName, Body: search.Script()}), nil
}

// writeSearch publishes the search index, or keeps the one the previous
// build left when it was made from the same documents (and is all there).
func (s *Site) writeSearch(stage *publish.Stage) error {
	key := s.searchKey(s.searchDocs(nil))
	if p := s.prev; p != nil && p.Search.Key == key && len(p.Search.Files) > 0 {
		whole := true
		for _, f := range p.Search.Files {
			whole = whole && stage.CanKeep(f)
		}
		if whole {
			for _, f := range p.Search.Files {
				stage.Keep(f)
			}
			s.search = p.Search
			return nil
		}
	}
	files, err := s.SearchFiles()
	if err != nil {
		return err
	}
	st := searchState{Key: key}
	for _, f := range files {
		if f.Minified {
			err = stage.WriteRaw(f.Path, f.Body)
		} else {
			err = stage.Write(f.Path, f.Body)
		}
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		st.Files = append(st.Files, f.Path)
	}
	s.search = st
	return nil
}
