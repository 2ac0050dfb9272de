package build

import (
	"bantin/internal/images"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"bantin/internal/config"
	"bantin/internal/diag"
	"bantin/internal/markdown"
	"bantin/internal/render"
	"bantin/internal/site"
	"bantin/internal/source"
	"bantin/internal/viet"
)

// Session keeps what one build learned, so that the next build (in serve)
// redoes only what changed. Only pure, expensive steps are cached, each by
// its input's content: parsing a file (by its bytes) and converting a body
// (by its bytes and what its links resolved to). A Session is not safe for
// concurrent use; serve runs one build at a time.
type Session struct {
	keep   bool // serve: keep every conversion for the next build
	opts   Options
	fsys   fs.FS
	pages  map[string]*parsed    // content file → its last parse
	conv   map[string]*converted // content file → its last conversion
	cfgSum [32]byte
	// parseKey and convKey name the settings parses and conversions were
	// made under (the timezone; the Markdown settings); imageSettings
	// site.yaml's settings photos are published under (photoBase).
	parseKey, convKey, imageSettings string
	tree                             source.Tree
	check                            bool // validating only: the image cache is read, never written
	proc                             *images.Processor
	photos                           map[string]*photo // source image file → what it publishes
	// photosBase is the photoBase photos were published under, procBase
	// the one proc was made under.
	photosBase, procBase string
	// prevState is the state the previous build left in the output (one-shot
	// builds, readPrevState), decoded; prevSum is its bytes' hash.
	prevState *outputState
	prevSum   [32]byte
	// last is the site of the last Prepare that succeeded (sessions that keep).
	last *Site
	// linkDigest is the last model's site.LinkDigest.
	linkDigest uint64
	// imagesChanged is set when the last Prepare processed or dropped an image.
	imagesChanged bool
	// docs are the search index's documents of the last model (serve).
	docs *docList
	// Stats of the last Prepare.
	Stats Stats
}

// Stats count the work a Prepare did, so tests can prove what a rebuild redid.
type Stats struct {
	Read      int // content files read
	Parsed    int // content files parsed (not served from the cache)
	Converted int // Markdown bodies converted
}

type parsed struct {
	sum      [32]byte
	page     *source.Page
	problems diag.List
}

type converted struct {
	page  *source.Page // the parse it was made from: parses are immutable, so the same page means the same body
	sum   [32]byte
	links []resolved
	res   markdown.Result
}

// resolved is one link destination and what it resolved to.
type resolved struct {
	dest, url string
	ok        bool
}

// NewSession starts a session for a site.
func NewSession(opts Options) *Session {
	ss := oneShot(opts)
	ss.keep = true
	return ss
}

// SetContext makes the session's builds stop when ctx is done (serve's
// Ctrl+C), as Build's context stops its one build.
func (ss *Session) SetContext(ctx context.Context) { ss.opts.ctx = ctx }

// oneShot is a session for a single build: it converts most bodies while
// rendering and does not keep them, so memory stays flat on large sites.
func oneShot(opts Options) *Session {
	// The one door to the site; a folder that cannot be opened fails every read with why.
	fsys, _ := source.OpenSite(opts.Source)
	return &Session{opts: opts, fsys: fsys, pages: map[string]*parsed{}, conv: map[string]*converted{}}
}

// Prepare runs every step up to rendering. changed lists the content files
// (site-root slash paths) known to have changed since the last Prepare; nil
// means "look at everything" (the first build, or after a folder change).
func (ss *Session) Prepare(changed []string) (*Site, error) {
	ss.Stats = Stats{}
	ss.last = nil
	opts := ss.opts
	var problems diag.List

	// Step 1: config. A changed config invalidates every cache.
	raw, err := fs.ReadFile(ss.fsys, config.File)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := config.Load(ss.fsys)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if opts.BaseURL != "" {
		if err := cfg.SetBaseURL(opts.BaseURL); err != nil {
			return nil, fmt.Errorf("config: -b: %w", err)
		}
	}
	// A changed config invalidates the caches that depend on it: parses on
	// the timezone (dates), conversions on the Markdown settings (links and
	// photos in bodies are checked again anyway). Editing the description
	// or a menu entry reuses every parse and conversion.
	ss.cfgSum = sha256.Sum256(raw)
	if key := cfg.Location.String(); key != ss.parseKey {
		ss.parseKey = key
		ss.pages, ss.conv = map[string]*parsed{}, map[string]*converted{}
		changed = nil
	}
	ss.imageSettings = fmt.Sprintf("%v\x00%s", cfg.Images, cfg.BaseURL)
	if key := fmt.Sprint(cfg.Markdown); key != ss.convKey {
		ss.convKey = key
		ss.conv = map[string]*converted{}
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}

	// Step 2: load content, layouts and the list of static files at once.
	var pages []*source.Page
	var loadProblems diag.List
	var tmpl *render.Templates
	var tmplErr error
	var static []string
	var staticErr error
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		pages, loadProblems = ss.load(cfg, changed)
	}()
	minify := cfg.MinifyOn()
	if opts.Minify != nil {
		minify = *opts.Minify
	}
	go func() { defer wg.Done(); tmpl, tmplErr = render.Load(ss.fsys, render.LoadOptions{Minify: minify}) }()
	go func() { defer wg.Done(); static, staticErr = listStatic(ss.fsys) }()
	wg.Wait()
	problems = append(problems, loadProblems...)
	if tmplErr != nil {
		if l, ok := diag.AsList(tmplErr); ok {
			problems = append(problems, l...)
		} else {
			return nil, fmt.Errorf("layouts: %w", tmplErr)
		}
	}
	if staticErr != nil {
		return nil, fmt.Errorf("static: %w", staticErr)
	}

	// Step 3: the model.
	model, modelProblems := site.New(cfg, pages, site.Options{Drafts: opts.Drafts, Future: opts.Future, Expired: opts.Expired, Now: opts.Now, Static: static})
	problems = append(problems, modelProblems...)

	// Step 4: photos, before the bodies that show them.
	ss.imagesChanged = false
	problems = append(problems, ss.processImages(ss.fsys, cfg, static, model)...)

	// Step 5: Markdown, in parallel, with links resolved against the model.
	conv := markdown.New(markdown.Options{Unsafe: cfg.Markdown.Unsafe, HeadingID: viet.Slug, Reserved: render.ReservedID})
	// Word counts are needed before rendering only when a layout shows them.
	words := tmpl == nil || tmpl.Shows(render.Card{}, "Words")
	problems = append(problems, ss.convert(model, conv, ss.trustedState(ss.stateKey(minify)), words)...)
	problems = append(problems, checkMenu(raw, model)...)

	problems.Sort()
	if problems.HasErrors() {
		return nil, &diag.Errors{List: problems}
	}
	s := &Site{Model: model, Templates: tmpl, Static: static, FS: ss.fsys, Warnings: problems, session: ss, conv: conv,
		hashes: staticHashes(ss.fsys, static), views: tmpl.NewViews(model)}
	if ss.keep {
		ss.last = s
	}
	return s, nil
}

// load reads and parses content files, reusing the parse of every file
// whose bytes did not change. With a changed list, only those are re-read.
func (ss *Session) load(cfg *config.Config, changed []string) ([]*source.Page, diag.List) {
	var problems diag.List
	if changed == nil || ss.tree.Files == nil {
		var scanProblems diag.List
		ss.tree, scanProblems = source.Scan(ss.fsys)
		problems = append(problems, scanProblems...)
	} else if !ss.applyChanges(changed) {
		var scanProblems diag.List
		ss.tree, scanProblems = source.Scan(ss.fsys)
		problems = append(problems, scanProblems...)
		changed = nil
	}
	reread := map[string]bool{}
	for _, c := range changed {
		reread[c] = true
	}
	files := ss.tree.Files
	results := make([]*parsed, len(files))
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		prev := ss.pages[f]
		if prev != nil && changed != nil && !reread[f] {
			results[i] = prev
			continue
		}
		g.Go(func() error {
			data, err := fs.ReadFile(ss.fsys, f)
			if err != nil {
				var l diag.List
				l.Errorf(f, 0, "cannot read: %v", err)
				results[i] = &parsed{problems: l}
				return nil
			}
			sum := sha256.Sum256(data)
			mu.Lock()
			ss.Stats.Read++
			mu.Unlock()
			if prev != nil && prev.sum == sum {
				results[i] = prev
				return nil
			}
			p, l := source.Parse(f, data, source.Options{Location: cfg.Location})
			mu.Lock()
			ss.Stats.Parsed++
			// A one-shot build lets go of article bodies and reads each again
			// when it renders it: holding them made 40 % of a 10,000-article
			// build's peak memory, and reading a file the system has just
			// read costs little.
			if p != nil && !ss.keep && p.Kind == source.Article {
				p.Body = nil
			}
			mu.Unlock()
			results[i] = &parsed{sum: sum, page: p, problems: l}
			return nil
		})
	}
	_ = g.Wait()
	next := make(map[string]*parsed, len(files))
	var pages []*source.Page
	for i, f := range files {
		r := results[i]
		next[f] = r
		problems = append(problems, r.problems...)
		if r.page != nil && !r.problems.HasErrors() {
			pages = append(pages, ss.tree.Attach(r.page))
		}
	}

	ss.pages = next
	return pages, problems
}

// applyChanges updates the file list for changed paths; it reports false
// when a change needs a full rescan (a folder appeared or went away).
// Paths of files that no longer exist and were never known (an editor's
// temporary file, renamed away) are ignored.
func (ss *Session) applyChanges(changed []string) bool {
	files := ss.tree.Files
	for _, c := range changed {
		if !strings.HasPrefix(c, source.ContentDir+"/") {
			return false
		}
		info, err := fs.Stat(ss.fsys, c)
		if err == nil && info.IsDir() {
			return false
		}
		exists := err == nil
		if !exists && ss.knownFolder(files, c) {
			return false // a folder removed or moved away in one piece
		}
		if !strings.HasSuffix(c, ".md") {
			dir, name := path.Split(c)
			dir = strings.TrimSuffix(dir, "/")
			res := ss.tree.Resources[dir]
			i, found := slicesSearch(res, name)
			switch {
			case exists && !found:
				ss.tree.Resources[dir] = append(res[:i:i], append([]string{name}, res[i:]...)...)
			case !exists && found:
				ss.tree.Resources[dir] = append(res[:i:i], res[i+1:]...)
			}
			continue
		}
		i, found := slicesSearch(files, c)
		switch {
		case exists && !found:
			files = append(files[:i:i], append([]string{c}, files[i:]...)...)
		case !exists && found:
			files = append(files[:i:i], files[i+1:]...)
		}
	}
	ss.tree.Files = files
	return true
}

// knownFolder reports whether p was a folder holding known content files or resources.
func (ss *Session) knownFolder(files []string, p string) bool {
	prefix := p + "/"
	if i, _ := slicesSearch(files, prefix); i < len(files) && strings.HasPrefix(files[i], prefix) {
		return true
	}
	for dir := range ss.tree.Resources {
		if dir == p || strings.HasPrefix(dir, prefix) {
			return true
		}
	}
	return false
}

func slicesSearch(list []string, s string) (int, bool) {
	lo, hi := 0, len(list)
	for lo < hi {
		m := (lo + hi) / 2
		if list[m] < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(list) && list[lo] == s
}

// convert turns every article's and list's Markdown into HTML, in parallel,
// reusing a conversion when the body is the same and its links resolve to
// the same URLs as before. What is derived from a body (its word count, a
// summary taken from it) is set here, before anything renders. A one-shot
// build converts here only what layouts show before a page renders: a
// summary taken from the body, and word counts when a layout shows them
// (words) — those of unchanged files it takes from the state it trusts
// (known). The other bodies are converted when their page renders
// (Site.content, through the same convertBody), and their word counts,
// which no layout shows, stay unknown.
func (ss *Session) convert(s *site.Site, conv *markdown.Converter, known *outputState, words bool) diag.List {
	type job struct {
		page    *source.Page
		article *site.Article
		section *site.Section
	}
	var jobs []job
	for _, o := range s.Outputs {
		if !o.IsPage() {
			continue
		}
		a := o.Article
		if !ss.keep && a.Summary != "" {
			if !words {
				// No layout shows the count: the body is converted when its
				// page renders (holding every body's HTML from here to there
				// made a 10,000-article build's peak memory 359 MB, not 204).
				continue
			}
			if known != nil {
				as, ok := known.Articles[a.Page.File]
				if pr := ss.pages[a.Page.File]; ok && as.Words != nil && pr != nil && as.Sum == hex.EncodeToString(pr.sum[:]) {
					a.Words = *as.Words
					continue
				}
			}
		}
		jobs = append(jobs, job{page: a.Page, article: a})
	}
	for _, sec := range append([]*site.Section{s.Home}, s.Sections...) {
		if sec.Meta != nil && len(bytes.TrimSpace(sec.Meta.Body)) > 0 {
			jobs = append(jobs, job{page: sec.Meta, section: sec})
		}
	}
	digest := s.LinkDigest()
	linksSame := ss.keep && ss.linkDigest == digest && ss.linkDigest != 0
	lists := make([]diag.List, len(jobs))
	results := make([]*converted, len(jobs))
	var nconv atomic.Int64
	// use records conversion c as job i's.
	use := func(i int, c *converted) {
		j := jobs[i]
		if c.page != j.page {
			c2 := *c
			c2.page = j.page
			c = &c2
		}
		results[i] = c
		lists[i] = append(lists[i], bodyProblems(j.page, c.res)...)
		if j.article != nil {
			j.article.Words = c.res.Words
			if j.article.Summary == "" {
				j.article.Summary = c.res.Summary
			}
		} else {
			j.section.Content = template.HTML(c.res.HTML)
		}
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		// The same parse, links that cannot resolve otherwise, the same
		// photos: the last conversion stands, without a goroutine for it.
		if c := ss.conv[j.page.File]; c != nil && c.page == j.page && linksSame && !ss.imagesChanged {
			use(i, c)
			continue
		}
		g.Go(func() error {
			body, err := source.ReadBody(ss.fsys, j.page)
			if err != nil {
				lists[i].Errorf(j.page.File, 0, "%v", err)
				return nil
			}
			c := ss.conv[j.page.File]
			var sum [32]byte
			if c == nil || c.page != j.page {
				sum = sha256.Sum256(body)
			} else {
				sum = c.sum
			}
			resolve := func(dest string) (string, bool) { return resolveIn(s, j.article, dest) }
			// A changed photo may change any body that shows it; links are
			// only looked up again when some could resolve differently.
			if c == nil || c.sum != sum || ss.imagesChanged || (!linksSame && !sameLinks(c.links, resolve)) {
				c, err = ss.convertBody(s, conv, j.article, j.page, body)
				if err != nil {
					lists[i].Errorf(j.page.File, j.page.BodyLine, "markdown: %v", err)
					return nil
				}
				nconv.Add(1)
			}
			use(i, c)
			return nil
		})
	}
	_ = g.Wait()
	ss.linkDigest = digest
	next := make(map[string]*converted, len(jobs))
	var out diag.List
	for i, l := range lists {
		out = append(out, l...)
		if results[i] != nil {
			next[jobs[i].page.File] = results[i]
		}
	}
	ss.conv = next
	ss.Stats.Converted = int(nconv.Load())
	return out
}

// convertBody is the one way a body becomes HTML: links resolved against
// the model (a nil article's, a section's, are kept as written), images
// given their published forms.
func (ss *Session) convertBody(s *site.Site, conv *markdown.Converter, a *site.Article, p *source.Page, body []byte) (*converted, error) {
	var links []resolved
	var images markdown.ImageFunc
	if a != nil {
		images = ss.bodyImage(a)
	}
	res, err := conv.ConvertWith(body, func(dest string) (string, bool) {
		u, ok := resolveIn(s, a, dest)
		links = append(links, resolved{dest, u, ok})
		return u, ok
	}, images)
	if err != nil {
		return nil, err
	}
	return &converted{page: p, sum: sha256.Sum256(body), links: links, res: res}, nil
}

// resolveIn resolves a link of article a's body; a section's are kept.
func resolveIn(s *site.Site, a *site.Article, dest string) (string, bool) {
	if a == nil {
		return dest, true
	}
	return s.Resolve(a, dest)
}

// bodyProblems are a conversion's problems with the file's lines.
func bodyProblems(p *source.Page, res markdown.Result) diag.List {
	var out diag.List
	for _, pr := range res.Problems {
		out = append(out, diag.Diagnostic{Path: p.File, Line: p.BodyLine + pr.Line - 1, Msg: pr.Msg, Warning: pr.Warning})
	}
	return out
}

// content gives an article's HTML to the render workers: the conversion
// made while preparing, else (a one-shot build that took the body's word
// count from the output's state) a fresh one whose problems are collected.
// It never changes the model: what a page shows of a body is set by Prepare.
func (s *Site) content(a *site.Article) (template.HTML, error) {
	ss := s.session
	s.mu.Lock()
	c := ss.conv[a.Page.File]
	if c != nil && !ss.keep {
		delete(ss.conv, a.Page.File) // used once; let it go
	}
	s.mu.Unlock()
	if c != nil {
		s.record(a, bodyRecord{links: c.links, words: c.res.Words, text: c.res.Text, hasText: true}) // its warnings were Prepare's
		return template.HTML(c.res.HTML), nil
	}
	body, err := source.ReadBody(s.FS, a.Page)
	if err != nil {
		return "", err
	}
	c, err = ss.convertBody(s.Model, s.conv, a, a.Page, body)
	if err != nil {
		return "", fmt.Errorf("%s: markdown: %w", a.Page.File, err)
	}
	rec := bodyRecord{links: c.links, words: c.res.Words, text: c.res.Text, hasText: true}
	found := bodyProblems(a.Page, c.res)
	rec.warnings = found.Warnings()
	s.mu.Lock()
	s.renderProblems = append(s.renderProblems, found...)
	s.mu.Unlock()
	s.record(a, rec)
	return template.HTML(c.res.HTML), nil
}

// record keeps what rendering an article's body found, for the output state.
func (s *Site) record(a *site.Article, rec bodyRecord) {
	s.mu.Lock()
	if s.bodies == nil {
		s.bodies = map[string]bodyRecord{}
	}
	s.bodies[a.Page.File] = rec
	s.mu.Unlock()
}

// sameLinks reports whether every recorded link still resolves the same way.
func sameLinks(links []resolved, resolve func(string) (string, bool)) bool {
	for _, l := range links {
		if u, ok := resolve(l.dest); u != l.url || ok != l.ok {
			return false
		}
	}
	return true
}

// SourceKey identifies everything an article's page body depends on: the
// file's bytes and what each of its links resolved to. Pages whose keys and
// fingerprints did not change need no rendering (serve).
func (s *Site) SourceKey(a *site.Article) string {
	ss := s.session
	var b strings.Builder
	if p := ss.pages[a.Page.File]; p != nil {
		b.Write(p.sum[:])
	}
	var links []resolved
	s.mu.Lock()
	rec, rendered := s.bodies[a.Page.File]
	s.mu.Unlock()
	if c := ss.conv[a.Page.File]; c != nil {
		links = c.links
	} else if rendered {
		links = rec.links
	} else if p := ss.pages[a.Page.File]; p != nil {
		links, _ = s.prevLinks(a, p.sum)
	}
	for _, l := range links {
		b.WriteString(l.dest + "\x00" + l.url + "\x00")
		if l.ok {
			b.WriteByte(1)
		}
	}
	return b.String()
}
