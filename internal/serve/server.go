package serve

import (
	sitemodel "bantin/internal/site"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"bantin/internal/build"
	"bantin/internal/diag"
	"bantin/internal/render"
)

//go:embed reload.js
var reloadJS []byte

// Server holds the last good site in memory and serves it.
type Server struct {
	opts    build.Options
	ctx     context.Context // when done, builds stop and say nothing (serve is stopping)
	session *build.Session
	stdout  io.Writer
	stderr  io.Writer

	mu      sync.RWMutex
	prints  *pagePrints       // the fingerprints the served pages were made with
	images  map[string][]byte // published photos and their variants
	files   map[string][]byte // output path → rendered bytes
	copies  map[string]string // output path → file in the site folder
	fsys    fs.FS             // the site folder, as the build reads it (copies are served from it)
	problem []string          // the failing build's messages; nil when the last build succeeded
	good    bool              // a build has succeeded: there is a last good site
	clients map[chan event]bool
	// search is the search index of the site served, made when a browser
	// first asks for a file of it (it takes ~1 s at 10,000 articles: a
	// rebuild does not wait for it).
	search *searchIndex
	// Last is what the last rebuild did (tests and the log line).
	last Report
}

// searchIndex is one site's search index, made once, from the documents
// the rebuild took from its model (build.Site.Search).
type searchIndex struct {
	dir   string // the index's folder, "tim-kiem/"
	key   string // build.Site.Search's: the same key, the same index
	once  sync.Once
	make  func() ([]render.File, error)
	minif *build.Site // minifies what build would
	files map[string][]byte
	err   error
}

func (x *searchIndex) get() (map[string][]byte, error) {
	x.once.Do(func() {
		files, err := x.make()
		if err != nil {
			x.err = err
			return
		}
		x.files = make(map[string][]byte, len(files))
		for _, f := range files {
			b := f.Body
			if x.minif.Minify() && !f.Minified {
				if b, err = x.minif.MinifyFile(f.Path, b); err != nil {
					x.err = err
					return
				}
			}
			x.files[f.Path] = b
		}
		x.make, x.minif = nil, nil
	})
	return x.files, x.err
}

// searchFile is the search index's file p, when p is in its folder.
func (s *Server) searchFile(p string) ([]byte, bool) {
	s.mu.RLock()
	x := s.search
	s.mu.RUnlock()
	if x == nil || !strings.HasPrefix(p, x.dir) {
		return nil, false
	}
	files, err := x.get()
	if err != nil {
		fmt.Fprintf(s.stderr, "search index: %v\n", err)
		return nil, false
	}
	b, ok := files[p]
	return b, ok
}

// Report says what one rebuild did.
type Report struct {
	Err       error
	Duration  time.Duration
	Stats     build.Stats
	Rendered  int      // files rendered
	Changed   []string // output paths whose bytes changed, were added or removed
	CSSOnly   bool
	Reloading int // tabs told to reload or to swap CSS
}

type event struct {
	name string
	data []byte
}

// NewServer makes a server for a site; call Rebuild to build it.
func NewServer(opts build.Options, stdout, stderr io.Writer) *Server {
	return &Server{opts: opts, session: build.NewSession(opts), stdout: stdout, stderr: stderr,
		files: map[string][]byte{}, copies: map[string]string{}, clients: map[chan event]bool{}}
}

// stopWith makes builds stop when ctx is done.
func (s *Server) stopWith(ctx context.Context) {
	s.ctx = ctx
	s.session.SetContext(ctx)
}

// Rebuild applies a batch of changes and tells the browsers. It never panics
// on bad input and keeps the last good site when the build fails.
func (s *Server) Rebuild(c Change) Report {
	start := time.Now()
	s.mu.RLock()
	first := !s.good
	s.mu.RUnlock()
	rep := s.rebuild(c)
	rep.Duration = time.Since(start)
	s.mu.Lock()
	s.last = rep
	s.mu.Unlock()
	if rep.Err != nil && s.ctx != nil && s.ctx.Err() != nil {
		return rep // stopped by Ctrl+C: not a problem of the site
	}
	if rep.Err != nil {
		s.mu.RLock()
		good := s.good
		s.mu.RUnlock()
		if good {
			fmt.Fprintf(s.stderr, "rebuild failed (%s); still serving the last good site:\n", rep.Duration.Round(time.Millisecond))
		} else {
			fmt.Fprintf(s.stderr, "the site does not build (%s); until it does, every page lists these problems:\n", rep.Duration.Round(time.Millisecond))
		}
		if l, ok := diag.AsList(rep.Err); ok {
			for _, d := range l {
				fmt.Fprintln(s.stderr, "  "+d.Error())
			}
		} else {
			fmt.Fprintln(s.stderr, "  "+rep.Err.Error())
		}
		return rep
	}
	fmt.Fprintln(s.stdout, logLine(rep, first))
	return rep
}

// logLine is what the terminal shows of a rebuild: the first says what was
// built, the others what changed (the internal counts are in Report).
func logLine(rep Report, first bool) string {
	d := rep.Duration.Round(100 * time.Microsecond)
	if first {
		return fmt.Sprintf("built the site in %s: %d files", d, rep.Rendered)
	}
	changed := slices.Sorted(slices.Values(rep.Changed))
	switch {
	case len(changed) == 0:
		return fmt.Sprintf("rebuilt in %s: nothing changed", d)
	case len(changed) <= 3:
		return fmt.Sprintf("rebuilt in %s: %s", d, strings.Join(changed, ", "))
	}
	return fmt.Sprintf("rebuilt in %s: %d files changed (%s, …)", d, len(changed), strings.Join(changed[:3], ", "))
}

func (s *Server) rebuild(c Change) (rep Report) {
	defer func() {
		if r := recover(); r != nil {
			rep.Err = fmt.Errorf("internal error while rebuilding: %v", r)
			s.fail(rep.Err)
		}
	}()
	var changed []string
	if !c.Rescan {
		changed = append([]string{}, c.Content...)
	}
	s.mu.RLock()
	healthy := s.problem == nil
	s.mu.RUnlock()
	if healthy && !c.Rescan && !c.Layouts && !c.Static && !c.Config {
		// An article's body saved, its front matter as it was: only its page changes.
		if site, pages, ok := s.session.PrepareBodies(changed); ok {
			return s.rebuildPages(c, site, pages)
		}
	}
	site, err := s.session.Prepare(changed)
	rep.Stats = s.session.Stats
	if err != nil {
		rep.Err = err
		s.fail(err)
		return rep
	}
	for _, w := range site.Warnings.Warnings() {
		fmt.Fprintln(s.stderr, w.Error())
	}
	// Pages whose fingerprints did not change keep their bytes unrendered.
	kept, prints := s.unchanged(site)
	files, err := collect(site, func(emit render.Emit) error {
		return site.RenderSkipping(func(o *sitemodel.Output) bool {
			_, ok := kept[sitemodel.File(o.URL)]
			return ok
		}, emit)
	})
	if err != nil {
		rep.Err = err
		s.fail(err)
		return rep
	}
	rep.Rendered = len(files)
	for p, b := range kept {
		files[p] = b
	}
	// Photos: published again only when one changed (they come from the
	// resources/ cache, not decoded).
	if site.ImagesChanged() || s.images == nil {
		imgs := map[string][]byte{}
		var fmu sync.Mutex
		err = site.WriteImages(func(f render.File) error {
			fmu.Lock()
			imgs[f.Path] = f.Body
			fmu.Unlock()
			return nil
		}, nil)
		if err != nil {
			rep.Err = err
			s.fail(err)
			return rep
		}
		s.images = imgs
	}
	for p, b := range s.images {
		files[p] = b
	}
	copies := map[string]string{}
	for _, cp := range site.Copies() {
		if cp.Minify && site.Minifies(cp.Out) {
			// Static CSS, JS and SVG are published minified: kept in memory
			// as build writes them, read through the build's door.
			b, err := fs.ReadFile(site.FS, cp.Src)
			if err == nil {
				b, err = site.MinifyFile(cp.Out, b)
			}
			if err != nil {
				rep.Err = err
				s.fail(err)
				return rep
			}
			files[cp.Out] = b
			continue
		}
		copies[cp.Out] = cp.Src
	}
	s.mu.Lock()
	s.fsys = site.FS
	s.mu.Unlock()
	return s.publish(c, rep, site, files, copies, prints)
}

// rebuildPages renders the pages PrepareBodies found and publishes them
// with every other file as it was.
func (s *Server) rebuildPages(c Change, site *build.Site, pages build.Pages) (rep Report) {
	rep.Stats = s.session.Stats
	for _, w := range site.Warnings.Warnings() {
		fmt.Fprintln(s.stderr, w.Error())
	}
	rendered, err := collect(site, func(emit render.Emit) error { return site.RenderPages(pages, emit) })
	if err != nil {
		rep.Err = err
		s.fail(err)
		return rep
	}
	rep.Rendered = len(rendered)
	s.mu.RLock()
	files, copies, old := maps.Clone(s.files), s.copies, s.prints
	s.mu.RUnlock()
	maps.Copy(files, rendered)
	// Their fingerprints are the last full rebuild's, not these bytes': the
	// next full rebuild must render them (if the text goes back to what it
	// was, the old fingerprint would match and keep these bytes).
	prints := old.without(rendered)
	return s.publish(c, rep, site, files, copies, prints)
}

// collect gathers what a render emits, by output path, minified as
// publishing it would be (build minifies what comes unminified: assets,
// feeds) so that serve answers with the bytes build writes.
func collect(site *build.Site, run func(render.Emit) error) (map[string][]byte, error) {
	files := map[string][]byte{}
	var mu sync.Mutex
	minify := site.Minify()
	err := run(func(f render.File) error {
		b := bytes.Clone(f.Body) // the renderer reuses its buffers
		if minify && !f.Minified {
			var err error
			if b, err = site.MinifyFile(f.Path, b); err != nil {
				return err
			}
		}
		mu.Lock()
		files[f.Path] = b
		mu.Unlock()
		return nil
	})
	return files, err
}

// publish makes files the site served, and tells the browsers what changed.
func (s *Server) publish(c Change, rep Report, site *build.Site, files map[string][]byte, copies map[string]string, prints *pagePrints) Report {
	dir, key, mk := site.Search()
	s.mu.Lock()
	if s.search == nil || s.search.key != key {
		s.search = &searchIndex{dir: dir, key: key, make: mk, minif: site}
		// Tabs on the search page run their query again.
		rep.Changed = append(rep.Changed, dir+"index.html")
	}
	for p, b := range files {
		if old, ok := s.files[p]; !ok || !bytes.Equal(old, b) {
			rep.Changed = append(rep.Changed, p)
		}
	}
	for p := range s.files {
		if _, ok := files[p]; !ok {
			rep.Changed = append(rep.Changed, p)
		}
	}
	if c.Static {
		for p := range copies {
			rep.Changed = append(rep.Changed, p)
		}
	}
	hadProblem := s.problem != nil
	s.files, s.copies, s.problem, s.prints, s.good = files, copies, nil, prints, true
	s.mu.Unlock()

	rep.CSSOnly = c.CSSOnly
	if c.CSSOnly {
		rep.Reloading = s.broadcast(event{name: "css"})
	} else if len(rep.Changed) > 0 || hadProblem {
		urls := make([]string, 0, len(rep.Changed))
		for _, p := range rep.Changed {
			urls = append(urls, urlOf(p))
		}
		data, _ := json.Marshal(map[string]any{"paths": urls})
		rep.Reloading = s.broadcast(event{name: "reload", data: data})
	}
	return rep
}

// unchanged returns the previous bytes of every page the build's skip
// decision (build.Site.Unchanged) leaves out, and the new fingerprints.
// When every page's fingerprint has a new base (site.yaml changed: it is in
// every one), no page can be left out: neither the old fingerprints nor the
// new ones are made now (30,000 views hashed for nothing), the new ones
// only when a later rebuild needs them.
func (s *Server) unchanged(b *build.Site) (map[string][]byte, *pagePrints) {
	files := map[string][]byte{}
	base := b.FingerprintBase()
	s.mu.RLock()
	old := s.prints
	s.mu.RUnlock()
	if old == nil || old.base != base {
		return files, &pagePrints{base: base, make: b.LaterFingerprints()}
	}
	prev := old.get()
	s.mu.RLock()
	defer s.mu.RUnlock()
	skip, prints := b.Unchanged(func(p string) (uint64, bool) {
		v, ok := prev[p]
		return v, ok
	}, func(p string) bool {
		_, ok := s.files[p]
		return ok
	})
	for _, o := range b.Model.Outputs {
		if skip(o) {
			p := sitemodel.File(o.URL)
			files[p] = s.files[p]
		}
	}
	return files, &pagePrints{base: base, m: prints}
}

// pagePrints are the fingerprints the served pages were made with, by
// output path: made, or to be made from site when first needed, less the
// pages serve's fast path rendered since (their bytes are newer).
type pagePrints struct {
	base    uint64
	make    func() map[string]uint64 // build.Site.LaterFingerprints
	m       map[string]uint64
	dropped map[string]bool
}

// get makes the fingerprints if they are not yet; only the rebuild loop calls it.
func (p *pagePrints) get() map[string]uint64 {
	if p.m == nil && p.make != nil {
		p.m = p.make()
		for d := range p.dropped {
			delete(p.m, d)
		}
		p.make, p.dropped = nil, nil
	}
	return p.m
}

// without is p less the pages rendered.
func (p *pagePrints) without(rendered map[string][]byte) *pagePrints {
	if p == nil {
		return nil
	}
	q := &pagePrints{base: p.base, make: p.make, m: maps.Clone(p.m), dropped: maps.Clone(p.dropped)}
	for r := range rendered {
		if q.m != nil {
			delete(q.m, r)
		} else {
			if q.dropped == nil {
				q.dropped = map[string]bool{}
			}
			q.dropped[r] = true
		}
	}
	return q
}

// urlOf is the URL path a browser uses for an output file.
func urlOf(p string) string {
	if p == "index.html" {
		return "/"
	}
	if strings.HasSuffix(p, "/index.html") {
		return "/" + strings.TrimSuffix(p, "index.html")
	}
	return "/" + p
}

// fail records a failed build and shows it in every open tab.
func (s *Server) fail(err error) {
	var msgs []string
	if l, ok := diag.AsList(err); ok {
		for _, d := range l {
			msgs = append(msgs, d.Error())
		}
	} else {
		msgs = []string{err.Error()}
	}
	s.mu.Lock()
	s.problem = msgs
	s.mu.Unlock()
	data, _ := json.Marshal(map[string]any{"errors": msgs})
	s.broadcast(event{name: "builderror", data: data})
}

func (s *Server) broadcast(e event) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for ch := range s.clients {
		select {
		case ch <- e:
			n++
		default: // a stuck tab must not block the build
		}
	}
	return n
}

// Close ends every event stream.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.clients {
		close(ch)
		delete(s.clients, ch)
	}
}

// Last returns what the last rebuild did.
func (s *Server) Last() Report {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.last
}

// ServeHTTP serves the built site only: rendered files from memory and the
// static files and bundle resources the build lists. No source file, no
// folder listing, no path outside the site.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/__bantin/events":
		s.events(w, r)
		return
	case "/__bantin/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(reloadJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	file := strings.TrimPrefix(p, "/")
	if strings.HasSuffix(r.URL.Path, "/") || file == "" {
		file = strings.TrimPrefix(path.Join(file, "index.html"), "/")
	}
	sbody, isSearch := s.searchFile(file)
	s.mu.RLock()
	body, ok := s.files[file]
	if isSearch {
		body, ok = sbody, true
	}
	src, isCopy := s.copies[file]
	fsys := s.fsys
	_, isDir := s.files[strings.TrimPrefix(file+"/index.html", "/")]
	notFound := s.files["404.html"]
	problem := s.problem
	good := s.good
	s.mu.RUnlock()
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case !good && problem != nil:
		// Nothing was ever built: every page says why (the script reloads
		// it once the site builds).
		s.write(w, r, "error.html", errorPage(problem), http.StatusInternalServerError, problem)
	case ok:
		s.write(w, r, file, body, http.StatusOK, problem)
	case isCopy:
		// Through the build's door: a file replaced since by a link out of
		// the site, a FIFO or a 1 GB file is refused, never served or waited
		// on (the next rebuild names it).
		f, err := fsys.Open(src)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		rs, ok := f.(io.ReadSeeker)
		if err != nil || !ok || info.IsDir() {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, file, info.ModTime(), rs)
	case isDir && !strings.HasSuffix(r.URL.Path, "/"):
		// The cleaned path: "//tin-tuc" must not become the off-site "//tin-tuc/".
		target := p + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	case notFound != nil:
		s.write(w, r, "404.html", notFound, http.StatusNotFound, problem)
	default:
		s.write(w, r, "404.html", []byte("<!DOCTYPE html><title>bantin</title><h1>Trang chưa được dựng</h1>"), http.StatusNotFound, problem)
	}
}

// errorPage lists a failing build's problems, for a site never built.
func errorPage(problems []string) []byte {
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Không dựng được trang</title></head><body>` +
		`<h1>Không dựng được trang — sửa lỗi dưới đây, trang sẽ tự tải lại</h1>` +
		`<p>The site does not build yet; fix these and this page reloads:</p><ul id="bantin-problems">`)
	for _, p := range problems {
		b.WriteString("<li>" + template.HTMLEscapeString(p) + "</li>")
	}
	b.WriteString("</ul></body></html>")
	return b.Bytes()
}

// write sends a file, with the live-reload script in HTML pages.
func (s *Server) write(w http.ResponseWriter, r *http.Request, name string, body []byte, status int, problem []string) {
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	w.Header().Set("Content-Type", ct)
	if strings.HasPrefix(ct, "text/html") {
		tag := []byte(`<script src="/__bantin/reload.js" defer></script>`)
		if i := bytes.LastIndex(body, []byte("</body>")); i >= 0 {
			body = append(append(append([]byte{}, body[:i]...), tag...), body[i:]...)
		} else {
			body = append(append([]byte{}, body...), tag...)
		}
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// events is the Server-Sent Events stream a tab listens to.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan event, 8)
	s.mu.Lock()
	s.clients[ch] = true
	problem := s.problem
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.clients[ch] {
			delete(s.clients, ch)
			close(ch)
		}
		s.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n\n")
	if problem != nil {
		data, _ := json.Marshal(map[string]any{"errors": problem})
		fmt.Fprintf(w, "event: builderror\ndata: %s\n\n", data)
	} else {
		fmt.Fprint(w, "event: hello\ndata: {}\n\n")
	}
	fl.Flush()
	keep := time.NewTicker(20 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case e, ok := <-ch:
			if !ok {
				return
			}
			data := e.data
			if data == nil {
				data = []byte("{}")
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, data)
			fl.Flush()
		}
	}
}
