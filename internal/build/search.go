package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"

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

// searchDoc is one article's document without its body, and a key of it
// and of the body's source; serve keeps them between rebuilds of the same
// model (Session.docs), PrepareBodies drops those it changes.
type searchDoc struct {
	doc search.Doc
	key [32]byte
}

// searchDocs are the index's documents, in the model's order, without
// their bodies, and the articles they are of. serve keeps both lists for
// the model (Session.docs): a rebuild that keeps the model replaces the
// documents it changed (PrepareBodies), copying the lists.
func (s *Site) searchDocs() ([]*searchDoc, []*site.Article) {
	ss, m := s.session, s.Model
	if ss.keep && ss.docs != nil && ss.docs.model == m {
		return ss.docs.docs, ss.docs.arts
	}
	all := make([]*site.Article, 0, len(m.Articles)+len(m.Videos)+len(m.Standalone))
	all = append(append(append(all, m.Articles...), m.Videos...), m.Standalone...)
	out := make([]*searchDoc, len(all))
	for i, a := range all {
		out[i] = ss.searchDoc(a)
	}
	if ss.keep {
		ss.docs = &docList{model: m, docs: out, arts: all}
	}
	return out, all
}

// docList is the search documents of one model, their articles, the
// conversions their texts come from (serve converts every body) and the key.
type docList struct {
	model *site.Site
	docs  []*searchDoc
	arts  []*site.Article
	convs []*converted
	key   string
}

// redo makes the documents of changed articles again, in new lists: the
// old ones may be in an index serve has still to make.
func (l *docList) redo(ss *Session, changed map[*site.Article]bool) {
	docs, convs := slices.Clone(l.docs), slices.Clone(l.convs)
	for i, a := range l.arts {
		if changed[a] {
			docs[i], convs[i] = ss.searchDoc(a), ss.conv[a.Page.File]
		}
	}
	l.docs, l.convs, l.key = docs, convs, ""
}

// searchDoc is article a's search document without its body.
func (ss *Session) searchDoc(a *site.Article) *searchDoc {
	d := &searchDoc{doc: search.Doc{URL: a.URL, Title: a.Title, Date: a.Date}}
	if a.Section != nil {
		d.doc.Section, d.doc.SectionURL = a.Section.Title, a.Section.URL
	}
	for _, t := range a.Tags {
		d.doc.Tags = append(d.doc.Tags, t.Name)
	}
	for _, at := range a.Participants {
		p := at.Person.Name
		if at.Role != "" {
			p += ", " + at.Role
		}
		d.doc.People = append(d.doc.People, p)
	}
	for _, t := range a.Tasks {
		d.doc.Tasks = append(d.doc.Tasks, t.Text)
	}
	h := sha256.New()
	_ = json.NewEncoder(h).Encode(&d.doc)
	if pr := ss.pages[a.Page.File]; pr != nil {
		h.Write(pr.sum[:]) // the body's source
	}
	h.Sum(d.key[:0])
	return d
}

// searchKey names the index docs make: the program, site.yaml and every
// document's key, in order.
func (s *Site) searchKey(docs []*searchDoc) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", stateVersion, programSum())
	h.Write(s.session.cfgSum[:])
	for _, d := range docs {
		h.Write(d.key[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// bodyTexts gives the body text of each article of all: from its
// conversion (serve keeps them all; a one-shot build, those its render
// made), else from a conversion made now, on every core.
func (s *Site) bodyTexts(all []*site.Article) ([]string, error) {
	ss := s.session
	texts := make([]string, len(all))
	var todo []int
	s.mu.Lock()
	for i, a := range all {
		if c := ss.conv[a.Page.File]; c != nil {
			texts[i] = c.res.Text
		} else if rec, ok := s.bodies[a.Page.File]; ok && rec.hasText {
			texts[i] = rec.text
		} else {
			todo = append(todo, i)
		}
	}
	s.mu.Unlock()
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, i := range todo {
		a := all[i]
		g.Go(func() error {
			body, err := source.ReadBody(s.FS, a.Page)
			if err != nil {
				return err
			}
			c, err := ss.convertBody(s.Model, s.conv, a, a.Page, body)
			if err != nil {
				return fmt.Errorf("%s: markdown: %w", a.Page.File, err)
			}
			texts[i] = c.res.Text
			return nil
		})
	}
	return texts, g.Wait()
}

// withBodies are the documents with their bodies' texts.
func withBodies(docs []*searchDoc, texts []string) []search.Doc {
	out := make([]search.Doc, len(docs))
	for i, d := range docs {
		out[i] = d.doc
		out[i].Body = texts[i]
	}
	return out
}

// SearchFiles makes the search index and its client script.
func (s *Site) SearchFiles() ([]render.File, error) {
	docs, all := s.searchDocs()
	texts, err := s.bodyTexts(all)
	if err != nil {
		return nil, err
	}
	return searchFiles(withBodies(docs, texts), s.Model.Config.Paths.Search)
}

// Search is the search index of the site as it is now, for serve: its
// folder ("tim-kiem/"), its key (it changed when the key did) and what
// makes it, from what the site holds now (the model may change after:
// the documents and the conversions they take their texts from are
// values that do not).
func (s *Site) Search() (dir, key string, index func() ([]render.File, error)) {
	docs, _ := s.searchDocs()
	l := s.session.docs
	if l.convs == nil {
		l.convs = make([]*converted, len(l.arts))
		for i, a := range l.arts {
			l.convs[i] = s.session.conv[a.Page.File]
		}
	}
	if l.key == "" {
		l.key = s.searchKey(docs)
	}
	convs, name := l.convs, s.Model.Config.Paths.Search
	return name + "/", l.key, func() ([]render.File, error) {
		texts := make([]string, len(convs))
		for i, c := range convs {
			if c != nil {
				texts[i] = c.res.Text
			}
		}
		return searchFiles(withBodies(docs, texts), name)
	}
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
	docs, _ := s.searchDocs()
	key := s.searchKey(docs)
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
