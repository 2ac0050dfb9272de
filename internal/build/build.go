package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
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
	"bantin/internal/viet"
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
	Minify  *bool  // --minify; nil = site.yaml's minify
	Now     time.Time
}

// Result counts what a build did.
type Result struct {
	Pages    int // HTML pages rendered
	Files    int // files written in all
	Static   int
	Drafts   int // skipped drafts
	Future   int // skipped future pages
	Warnings diag.List
	Duration time.Duration
}

// Summary is the one line the CLI prints after a build.
func (r *Result) Summary() string {
	return fmt.Sprintf("built %d pages (%d files, %d static) in %s; skipped %d drafts, %d future",
		r.Pages, r.Files, r.Static, r.Duration.Round(time.Millisecond), r.Drafts, r.Future)
}

// Site is a site loaded, modelled and converted: everything but the writing.
type Site struct {
	Model     *site.Site
	Templates *render.Templates
	Static    []string
	FS        fs.FS
	Warnings  diag.List
}

// Prepare runs every step up to rendering. The error carries all problems found.
func Prepare(opts Options) (*Site, error) {
	fsys := os.DirFS(opts.Source)
	var problems diag.List

	// Step 1: config.
	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if opts.BaseURL != "" {
		if err := cfg.SetBaseURL(opts.BaseURL); err != nil {
			return nil, fmt.Errorf("config: -b: %w", err)
		}
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
		pages, loadProblems = source.Load(fsys, source.Options{Location: cfg.Location})
	}()
	go func() { defer wg.Done(); tmpl, tmplErr = render.Load(fsys) }()
	go func() { defer wg.Done(); static, staticErr = listStatic(fsys) }()
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
	model, modelProblems := site.New(cfg, pages, site.Options{Drafts: opts.Drafts, Future: opts.Future, Now: opts.Now, Static: static})
	problems = append(problems, modelProblems...)

	// Step 4: Markdown, in parallel, with links resolved against the model.
	problems = append(problems, convert(model)...)
	problems = append(problems, checkMenu(fsys, model)...)

	problems.Sort()
	if problems.HasErrors() {
		return nil, &diag.Errors{List: problems}
	}
	return &Site{Model: model, Templates: tmpl, Static: static, FS: fsys, Warnings: problems}, nil
}

// Build prepares the site and writes it to the destination.
func Build(opts Options) (*Result, error) {
	start := time.Now()
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Source, "public")
	}
	// Refuse an unsafe destination before doing any work.
	if err := publish.Check(opts.Dest, publish.Options{Source: opts.Source}); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	s, err := Prepare(opts)
	if err != nil {
		return nil, err
	}
	minify := s.Model.Config.MinifyOn()
	if opts.Minify != nil {
		minify = *opts.Minify
	}
	stage, err := publish.Begin(opts.Dest, publish.Options{Minify: minify, Source: opts.Source})
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	res := &Result{Drafts: s.Model.Skipped.Drafts, Future: s.Model.Skipped.Future, Warnings: s.Warnings}
	if err := s.Write(stage); err != nil {
		stage.Abort()
		return nil, err
	}
	st, err := stage.Commit()
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	res.Pages = len(s.Model.Outputs)
	res.Files = st.Files
	res.Static = len(s.Static)
	res.Duration = time.Since(start)
	return res, nil
}

// Write renders every page into the stage and copies static files and bundle resources.
func (s *Site) Write(stage *publish.Stage) error {
	hashes := s.staticHashes()
	err := s.Templates.Render(s.Model, render.Options{
		Static:     s.Static,
		StaticHash: func(p string) string { return hashes[p] },
	}, func(f render.File) error { return stage.Write(f.Path, f.Body) })
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for _, p := range s.Static {
		g.Go(func() error {
			b, err := fs.ReadFile(s.FS, StaticDir+"/"+p)
			if err != nil {
				return err
			}
			return stage.Write(p, b)
		})
	}
	for _, a := range s.bundles() {
		for _, r := range a.Page.Resources {
			g.Go(func() error {
				b, err := fs.ReadFile(s.FS, source.ContentDir+"/"+a.Page.Dir+"/"+r)
				if err != nil {
					return err
				}
				return stage.WriteRaw(strings.TrimPrefix(a.URL, "/")+r, b)
			})
		}
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("static: %w", err)
	}
	return nil
}

func (s *Site) bundles() []*site.Article {
	var out []*site.Article
	for _, o := range s.Model.Outputs {
		if o.Article != nil && o.Article.Page.Bundle && len(o.Article.Page.Resources) > 0 {
			out = append(out, o.Article)
		}
	}
	return out
}

// staticHashes fingerprints static CSS and JS, for cache-busting URLs.
func (s *Site) staticHashes() map[string]string {
	out := map[string]string{}
	for _, p := range s.Static {
		if ext := path.Ext(p); ext == ".css" || ext == ".js" || ext == ".svg" {
			if b, err := fs.ReadFile(s.FS, StaticDir+"/"+p); err == nil {
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

// convert turns every article's and list's Markdown into HTML, in parallel.
func convert(s *site.Site) diag.List {
	conv := markdown.New(markdown.Options{Unsafe: s.Config.Markdown.Unsafe, HeadingID: viet.Slug})
	type job struct {
		page    *source.Page
		article *site.Article
		section *site.Section
	}
	var jobs []job
	for _, o := range s.Outputs {
		if o.Article != nil {
			jobs = append(jobs, job{page: o.Article.Page, article: o.Article})
		}
	}
	for _, sec := range append([]*site.Section{s.Home}, s.Sections...) {
		if sec.Meta != nil && len(strings.TrimSpace(string(sec.Meta.Body))) > 0 {
			jobs = append(jobs, job{page: sec.Meta, section: sec})
		}
	}
	lists := make([]diag.List, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			var link markdown.LinkFunc
			if j.article != nil {
				link = func(dest string) (string, bool) { return s.Resolve(j.article, dest) }
			}
			res, err := conv.Convert(j.page.Body, link)
			if err != nil {
				lists[i].Errorf(j.page.File, j.page.BodyLine, "markdown: %v", err)
				return nil
			}
			for _, p := range res.Problems {
				d := diag.Diagnostic{Path: j.page.File, Line: j.page.BodyLine + p.Line - 1, Msg: p.Msg, Warning: p.Warning}
				lists[i] = append(lists[i], d)
			}
			html := template.HTML(res.HTML)
			if j.article != nil {
				j.article.Content = html
				j.article.Words = res.Words
				if j.article.Summary == "" {
					j.article.Summary = res.Summary
				}
			} else {
				j.section.Content = html
			}
			return nil
		})
	}
	_ = g.Wait()
	var out diag.List
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// checkMenu reports menu entries of site.yaml that point at a page the site does not produce.
func checkMenu(fsys fs.FS, s *site.Site) diag.List {
	var out diag.List
	var text []string
	if b, err := fs.ReadFile(fsys, config.File); err == nil {
		text = strings.Split(string(b), "\n")
	}
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
	s, err := Prepare(opts)
	if err != nil {
		return nil, err
	}
	err = s.Templates.Render(s.Model, render.Options{Static: s.Static}, func(render.File) error { return nil })
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return &Result{Pages: len(s.Model.Outputs), Drafts: s.Model.Skipped.Drafts, Future: s.Model.Skipped.Future,
		Warnings: s.Warnings, Duration: time.Since(start)}, nil
}
