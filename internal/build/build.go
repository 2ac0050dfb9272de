package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"bantin/internal/config"
	"bantin/internal/diag"
	"bantin/internal/markdown"
	"bantin/internal/publish"
	"bantin/internal/render"
	"bantin/internal/site"
	"bantin/internal/source"
)

// StaticDir is the folder copied to the output as is.
const StaticDir = "static"

// Options are the command line's choices.
type Options struct {
	Source  string // the site folder
	Dest    string // output folder; default <Source>/public
	BaseURL string // -b: overrides site.yaml's baseURL
	Drafts  bool   // -D
	Future  bool   // -F
	Expired bool   // -E
	Minify  *bool  // --minify; nil = site.yaml's minify
	// Compress publishes .gz and .br beside every HTML, CSS, JS, XML, JSON
	// and SVG file, and a _headers file (--compress).
	Compress bool
	Now      time.Time
	// Progress, when set, hears how far photo processing got (the CLI draws
	// a progress bar on a terminal).
	Progress func(done, total int)
	// Fault, when set, fails the output's file-system changes (tests; see
	// publish.Options.Fault).
	Fault func(op, path string) error

	ctx context.Context // Build's: stops the build when done
}

// context is the build's context; a build not started by Build never stops.
func (o *Options) context() context.Context {
	if o.ctx == nil {
		return context.Background()
	}
	return o.ctx
}

// Result counts what a build did.
type Result struct {
	Pages   int // HTML pages published
	Kept    int // of them, not rendered: the output had them from a build they would come out the same as
	Files   int // files published in all
	Written int // files whose bytes changed (the rest were already in place)
	Removed int // stale files removed
	Static  int
	Images  int // photos published (each with its variants)
	Decoded int // photos decoded (the rest came from the resources/ cache)
	Drafts  int // skipped drafts
	Future  int // skipped future pages
	Expired int // skipped pages whose expiry has passed
	// Now is what future and expired pages were judged against; NextDue
	// and NextExpiry are the next pages the passing of time changes (Next).
	Now        time.Time
	NextDue    *source.Page
	NextExpiry *source.Page
	Warnings   diag.List
	Duration   time.Duration
}

// Summary is the one line the CLI prints after a build.
func (r *Result) Summary() string {
	kept := ""
	if r.Kept > 0 {
		kept = fmt.Sprintf(" (%d unchanged, not rendered)", r.Kept)
	}
	return fmt.Sprintf("built %d pages%s, %d images (%d decoded) — %d files, %d written, %d removed — in %s; skipped %d drafts, %d future, %d expired",
		r.Pages, kept, r.Images, r.Decoded, r.Files, r.Written, r.Removed, r.Duration.Round(time.Millisecond), r.Drafts, r.Future, r.Expired)
}

// Next is the lines the CLI prints after the summary for a schedule to be
// checked by: the next future-dated page left out and when it is due, and
// the next published page to expire. Times are in the site's zone (that of
// Now); the same Now gives the same lines.
func (r *Result) Next() []string {
	var lines []string
	if p := r.NextDue; p != nil {
		lines = append(lines, fmt.Sprintf("next: %s is due %s (%s)", p.File, stamp(p.Date, r.Now), until(p.Date.Sub(r.Now))))
	}
	if p := r.NextExpiry; p != nil {
		lines = append(lines, fmt.Sprintf("next: %s expires %s (%s)", p.File, stamp(p.Expiry, r.Now), until(p.Expiry.Sub(r.Now))))
	}
	return lines
}

// stamp writes t in now's zone, with the zone, so a CI log in UTC is not misread.
func stamp(t, now time.Time) string { return t.In(now.Location()).Format("2006-01-02 15:04 MST") }

// until says how far ahead d is in its two largest units: "in 3d 4h", "in 10h", "in 45m".
func until(d time.Duration) string {
	if d < time.Minute {
		return "in under a minute"
	}
	m := int64(d / time.Minute)
	days, hours, mins := m/(24*60), m/60%24, m%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("in %dd %dh", days, hours)
	case days > 0:
		return fmt.Sprintf("in %dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("in %dh %dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("in %dh", hours)
	}
	return fmt.Sprintf("in %dm", mins)
}

// skipped fills the counts of pages left out and the next ones due from the model.
func (r *Result) skipped(m *site.Site) {
	r.Drafts, r.Future, r.Expired = m.Skipped.Drafts, m.Skipped.Future, m.Skipped.Expired
	r.Now, r.NextDue, r.NextExpiry = m.Now, m.Skipped.NextDue, m.Skipped.NextExpiry
}

// Site is a site loaded, modelled and converted: everything but the writing.
type Site struct {
	Model     *site.Site
	Templates *render.Templates
	Static    []string
	FS        fs.FS
	Warnings  diag.List

	hashes         map[string]string // StaticHashes
	session        *Session
	conv           *markdown.Converter
	mu             sync.Mutex
	renderProblems diag.List // found while converting bodies during Render
	// bodies records what converting each body while rendering found.
	bodies map[string]bodyRecord
	// prev is the state the previous build left in the destination, when
	// it applies to this one (Write).
	prev *outputState
	kept int // pages Write left out

	minOnce  sync.Once
	minifier *publish.Minifier // MinifyFile's

	// views are what layouts see of Model; fps their fingerprints, made
	// once (Write asks before and after rendering).
	views  *render.Views
	fpOnce sync.Once
	fps    *render.Fingerprints
	// search is the index Write published.
	search searchState
}

// fingerprints are the pages' fingerprints for the views as they are.
func (s *Site) fingerprints() *render.Fingerprints {
	s.fpOnce.Do(func() {
		s.fps = s.Templates.NewFingerprints(s.views, s.SourceKey, s.StaticHashes(), s.session.stateKey(s.Minify()))
	})
	return s.fps
}

// refingerprint starts the fingerprints again after the views were made
// again from a model changed in place (PrepareBodies), keeping which pages
// show which card: the lists did not change.
func (s *Site) refingerprint() {
	old := s.fingerprints()
	s.fps = s.Templates.NewFingerprints(s.views, s.SourceKey, s.StaticHashes(), s.session.stateKey(s.Minify()))
	s.fps.KeepShowing(old)
}

// Prepare runs every step up to rendering. The error carries all problems found.
func Prepare(opts Options) (*Site, error) { return oneShot(opts).Prepare(nil) }

// Build prepares the site and writes it to the destination. It holds the
// destination's lock from start to end, so the previous output's state it
// reads is the one it replaces. When ctx is done the build stops, leaving
// the previous output as it was.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Source, "public")
	}
	opts.ctx = ctx
	// Refuse an unsafe destination before doing any work.
	stage, err := publish.Begin(opts.Dest, publish.Options{Source: opts.Source, Fault: opts.Fault})
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer stage.Abort()
	ss := oneShot(opts)
	ss.usePrevState(stage.PrevState())
	s, err := ss.Prepare(nil)
	if err != nil {
		return nil, err
	}
	return s.publishTo(stage, opts, start)
}

// Publish writes a prepared site to opts.Dest through a staging folder.
func (s *Site) Publish(opts Options, start time.Time) (*Result, error) {
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Source, "public")
	}
	stage, err := publish.Begin(opts.Dest, publish.Options{Source: opts.Source, Fault: opts.Fault})
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	defer stage.Abort()
	return s.publishTo(stage, opts, start)
}

func (s *Site) publishTo(stage *publish.Stage, opts Options, start time.Time) (*Result, error) {
	stage.SetMinify(s.Minify())
	stage.SetCompress(opts.Compress)
	res := &Result{Warnings: s.Warnings}
	res.skipped(s.Model)
	if err := s.Write(stage); err != nil {
		return nil, err
	}
	if opts.Compress {
		if err := s.writeHeaders(stage); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	if err := opts.context().Err(); err != nil {
		return nil, fmt.Errorf("stopped: %w", context.Cause(opts.context()))
	}
	res.Warnings = s.Warnings // with those rendering found
	res.Kept = s.kept
	st, err := stage.CommitContext(opts.context())
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if st.Leftover != "" {
		res.Warnings = append(res.Warnings, diag.Diagnostic{Path: opts.Dest, Msg: st.Leftover, Warning: true})
	}
	res.Pages = len(s.Model.Outputs)
	res.Files = st.Files
	res.Written = st.Written
	res.Removed = st.Removed
	res.Static = len(s.Static)
	res.Images = len(s.session.photos)
	res.Decoded = s.ImageStats().Decoded
	// The image cache keeps only what this build used: a replaced photo's
	// or a changed setting's old results go.
	keep := map[string]bool{}
	for _, ph := range s.session.photos {
		keep[ph.key] = true
	}
	if _, err := s.session.proc.Prune(keep); err != nil {
		res.Warnings = append(res.Warnings, diag.Diagnostic{Path: ResourcesDir, Msg: "could not remove old cached images: " + err.Error(), Warning: true})
	}
	res.Duration = time.Since(start)
	return res, nil
}

// Write renders every page into the stage and copies static files and bundle resources.
func (s *Site) Write(stage *publish.Stage) error {
	// One goroutine writes while the others render: the file system takes
	// new files into one folder tree faster one at a time than from every
	// worker at once (they contend for the folders' locks).
	type file struct {
		path string
		body []byte
		raw  bool
	}
	files := make(chan file, 256)
	written := make(chan error, 1)
	ctx := s.session.opts.context()
	go func() {
		var err error
		for f := range files {
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				continue
			}
			if f.raw {
				err = stage.WriteRaw(f.path, f.body)
			} else {
				err = stage.Write(f.path, f.body)
			}
		}
		written <- err
	}()
	// Pages whose fingerprints are the ones the previous build into this
	// folder left are not rendered at all: their files are kept.
	key := s.session.stateKey(stage.Minify())
	s.prev = s.session.trustedState(key)
	prev := func(p string) (uint64, bool) {
		if s.prev == nil {
			return 0, false
		}
		v, err := strconv.ParseUint(s.prev.Pages[p], 16, 64)
		return v, err == nil
	}
	unchanged, _ := s.Unchanged(prev, stage.Keep)
	var keptMu sync.Mutex
	kept := map[string]bool{}
	skip := func(o *site.Output) bool {
		if !unchanged(o) {
			return false
		}
		keptMu.Lock()
		kept[site.File(o.URL)] = true
		keptMu.Unlock()
		return true
	}
	err := s.RenderSkipping(skip, func(f render.File) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		files <- file{f.Path, bytes.Clone(f.Body), f.Minified}
		return nil
	})
	close(files)
	if werr := <-written; err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	s.kept = len(kept)
	// What the kept pages' bodies warned about last time, they still do.
	for _, o := range s.Model.Outputs {
		if o.IsPage() && kept[site.File(o.URL)] {
			s.Warnings = append(s.Warnings, s.prev.Articles[o.Article.Page.File].Warnings...)
		}
	}
	s.Warnings.Sort()
	// The search index is made while photos and static files are copied:
	// it is work for the processor, they for the disk.
	searched := make(chan error, 1)
	go func() { searched <- s.writeSearch(stage) }()
	err = s.WriteImages(func(f render.File) error { return stage.WriteRaw(f.Path, f.Body) }, stage.Keep)
	if err != nil {
		err = fmt.Errorf("images: %w", err)
	}
	if err == nil {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0) * 2)
		for _, c := range s.Copies() {
			g.Go(func() error {
				if err := ctx.Err(); err != nil {
					return err
				}
				b, err := fs.ReadFile(s.FS, c.Src)
				if err != nil {
					return err
				}
				if c.Minify {
					return stage.Write(c.Out, b)
				}
				return stage.WriteRaw(c.Out, b)
			})
		}
		if err = g.Wait(); err != nil {
			err = fmt.Errorf("static: %w", err)
		}
	}
	if serr := <-searched; err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	// The state for the next build: fingerprints again, now that every
	// body rendered has told its links.
	stage.SetState(s.nextState(key, s.PageFingerprints(), func(p string) bool { return kept[p] }))
	return nil
}

// Render executes every layout and emits the pages, feeds and built-in assets.
func (s *Site) Render(emit render.Emit) error { return s.RenderSkipping(nil, emit) }

// RenderSkipping renders like Render but leaves out the pages skip names
// (serve: pages whose fingerprints did not change).
func (s *Site) RenderSkipping(skip func(*site.Output) bool, emit render.Emit) error {
	return s.render(render.Options{Skip: skip}, emit)
}

// RenderPages renders only the pages PrepareBodies found, and the feeds,
// sitemap and alias pages when it says so (serve).
func (s *Site) RenderPages(todo Pages, emit render.Emit) error {
	want := make(map[*site.Output]bool, len(todo.Outputs))
	for _, o := range todo.Outputs {
		want[o] = true
	}
	return s.render(render.Options{Skip: func(o *site.Output) bool { return !want[o] }, PagesOnly: !todo.Machine}, emit)
}

func (s *Site) render(opts render.Options, emit render.Emit) error {
	hashes := s.hashes
	opts.Static = s.Static
	opts.StaticHash = func(p string) string { return hashes[p] }
	opts.Ctx = s.session.opts.context()
	opts.Content = s.content
	opts.Photo = s.photo
	err := s.Templates.Render(s.Model, s.views, opts, emit)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	// Problems in bodies converted while rendering: warnings join the
	// build's; an error (a broken link) fails it, so nothing is published.
	s.mu.Lock()
	found := s.renderProblems
	s.renderProblems = nil
	s.mu.Unlock()
	found.Sort()
	s.Warnings = append(s.Warnings, found.Warnings()...)
	s.Warnings.Sort()
	if found.HasErrors() {
		return &diag.Errors{List: found.Errors()}
	}
	return nil
}

// Minify reports whether this build minifies what it publishes (site.yaml's
// minify, or --minify).
func (s *Site) Minify() bool {
	if m := s.session.opts.Minify; m != nil {
		return *m
	}
	return s.Model.Config.MinifyOn()
}

// MinifyFile minifies a file as publishing it would (serve, which keeps the
// output in memory): what render emits unminified and static CSS, JS and SVG.
func (s *Site) MinifyFile(p string, body []byte) ([]byte, error) {
	s.minOnce.Do(func() { s.minifier = publish.NewMinifier() })
	return s.minifier.File(p, body)
}

// Minifies reports whether publishing minifies a file of p's type.
func (s *Site) Minifies(p string) bool { return s.Minify() && publish.Minifies(p) }

// Copy is a source file published as is (static files, bundle resources).
type Copy struct {
	Out    string // output path
	Src    string // path in the site folder
	Minify bool   // static CSS/JS/SVG go through the minifier
}

// Copies lists the files copied to the output.
func (s *Site) Copies() []Copy {
	var out []Copy
	for _, p := range s.Static {
		if !isImage(p) { // photos are published processed (WriteImages)
			out = append(out, Copy{Out: p, Src: StaticDir + "/" + p, Minify: true})
		}
	}
	for _, o := range s.Model.Outputs {
		a := o.Article
		if !o.IsPage() || !a.Page.Bundle {
			continue
		}
		for _, r := range a.Page.Resources {
			if isImage(r) {
				continue
			}
			out = append(out, Copy{Out: strings.TrimPrefix(a.URL, "/") + r, Src: source.ContentDir + "/" + a.Page.Dir + "/" + r})
		}
	}
	return out
}

// StaticHashes are the static CSS, JS and SVG files' content hashes, for
// cache-busting URLs; computed once when the site is prepared.
func (s *Site) StaticHashes() map[string]string { return s.hashes }

// staticHashes fingerprints static CSS, JS and SVG files.
func staticHashes(fsys fs.FS, static []string) map[string]string {
	out := map[string]string{}
	for _, p := range static {
		if ext := path.Ext(p); ext == ".css" || ext == ".js" || ext == ".svg" {
			if b, err := fs.ReadFile(fsys, StaticDir+"/"+p); err == nil {
				sum := sha256.Sum256(b)
				out[p] = hex.EncodeToString(sum[:4])
			}
		}
	}
	return out
}

// listStatic lists static/ as slash paths relative to it.
func listStatic(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, StaticDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == StaticDir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if p != StaticDir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		out = append(out, strings.TrimPrefix(p, StaticDir+"/"))
		return nil
	})
	return out, err
}

// checkMenu reports menu entries of site.yaml that point at a page the site does not produce.
func checkMenu(raw []byte, s *site.Site) diag.List {
	var out diag.List
	text := strings.Split(string(raw), "\n")
	lineOf := func(u string) int {
		for i, l := range text {
			if strings.Contains(l, u) {
				return i + 1
			}
		}
		return 0
	}
	for _, m := range s.Config.Menu {
		if !strings.HasPrefix(m.URL, "/") || strings.HasPrefix(m.URL, "//") {
			continue
		}
		p, _, _ := strings.Cut(m.URL, "#")
		if !s.Exists(p) {
			out.Errorf(config.File, lineOf(m.URL), "menu entry %q links to %s, which this site does not have", m.Name, m.URL)
		}
	}
	return out
}

// Check prepares the site and renders every page without writing anything,
// so template execution errors are found too.
func Check(opts Options) (*Result, error) {
	start := time.Now()
	ss := oneShot(opts)
	ss.check = true // validates every photo, writes no cache (reads it)
	s, err := ss.Prepare(nil)
	if err != nil {
		return nil, err
	}
	if err := s.Render(func(render.File) error { return nil }); err != nil {
		return nil, err
	}
	res := &Result{Pages: len(s.Model.Outputs), Images: len(ss.photos), Decoded: s.ImageStats().Decoded, Warnings: s.Warnings, Duration: time.Since(start)}
	res.skipped(s.Model)
	return res, nil
}
