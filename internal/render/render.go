package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/html"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"bantin/internal/diag"
	"bantin/internal/site"
)

//go:embed layouts assets
var builtin embed.FS

// LayoutsDir is the folder of a site's own layouts.
const LayoutsDir = "layouts"

// File is one output file. Body is only valid during the emit call.
type File struct {
	Path string // slash path inside the output dir: tin-tuc/a/index.html
	Body []byte
	// Minified is set on pages made from minified layouts.
	Minified bool
}

// Emit receives each rendered file; it may be called from several goroutines at once.
type Emit func(File) error

// Templates is the parsed layout set, one template per page kind.
type Templates struct {
	kinds map[string]*template.Template
	plain map[string]*template.Template // as written, for error lines
	// Minified is true when the layouts were minified at load: the HTML
	// pages they make need no further minifying.
	Minified bool
	// Custom is true when the site overrides any built-in layout.
	Custom bool
	assets map[string][]byte // built-in static files by output path
	hashes map[string]string // asset path → short content hash for cache busting
	// Sources names where each layout came from, for messages and for serve.
	Sources map[string]string
	// layoutSum hashes every layout's name and text: every fingerprint covers it.
	layoutSum uint64
	// hasher hashes views: what these layouts can read of them.
	hasher *viewHasher
}

// layout is one template file and where it came from.
type layout struct {
	label  string // "layouts/article.html" or "built-in layouts/article.html"
	text   string
	custom bool // from the site's layouts/
}

// Load parses the built-in layouts overlaid by the site's layouts/ folder in
// siteFS (the site root; nil for none). All parse errors are reported.
func Load(siteFS fs.FS, opts LoadOptions) (*Templates, error) {
	files := map[string]layout{}
	err := fs.WalkDir(builtin, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(builtin, p)
		files[strings.TrimPrefix(p, "layouts/")] = layout{label: "(built-in) " + p, text: string(b)}
		return err
	})
	if err != nil {
		return nil, err
	}
	var problems diag.List
	if siteFS != nil {
		err := fs.WalkDir(siteFS, LayoutsDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == LayoutsDir {
					return fs.SkipDir
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".html") {
				return nil
			}
			b, err := fs.ReadFile(siteFS, p)
			if err != nil {
				return err
			}
			files[strings.TrimPrefix(p, LayoutsDir+"/")] = layout{label: p, text: string(b), custom: true}
			return nil
		})
		if err != nil {
			problems.Errorf(LayoutsDir, 0, "cannot read layouts: %v", err)
		}
	}

	t := &Templates{Sources: map[string]string{}}
	if err := t.loadAssets(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(files))
	for n, f := range files {
		t.Sources[n] = f.label
		t.Custom = t.Custom || f.custom
		names = append(names, n)
	}
	sort.Strings(names)
	sum := newHash()
	for _, n := range names {
		sum.WriteString(n)
		sum.WriteString(files[n].text)
	}
	t.layoutSum = sum.Sum64()
	// The layouts as written: their parse errors name the right lines, and
	// they run again to name the line of an execution error.
	t.kinds, problems = parseSet(files, problems)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	// Every layout reaches only what its view holds: checked here, on every
	// branch, rather than on the pages that happen to take it.
	if err := t.checkViews(files); err != nil {
		return nil, err
	}
	t.plain = t.kinds
	if opts.Minify {
		// Minified once here, so the thousands of pages made from them need
		// no minifying; if the minifier cannot handle a layout, pages are
		// minified one by one instead.
		if small, ok := minifySet(files); ok {
			if kinds, errs := parseSet(small, nil); len(errs) == 0 {
				t.kinds, t.Minified = kinds, true
			}
		}
	}
	return t, nil
}

// BuiltinLayout is the text of a built-in layout ("partials/footer.html"),
// for a site that starts its own from it.
func BuiltinLayout(name string) (string, error) {
	b, err := fs.ReadFile(builtin, "layouts/"+name)
	return string(b), err
}

// LoadOptions tune Load.
type LoadOptions struct {
	// Minify minifies the layouts themselves (github.com/tdewolff/minify with
	// Go template delimiters), so pages come out minified.
	Minify bool
}

// parseSet parses base.html and the partials, then one template per kind.
func parseSet(files map[string]layout, problems diag.List) (map[string]*template.Template, diag.List) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	kinds := map[string]*template.Template{}
	common := template.New("").Funcs(placeholderFuncs())
	for _, n := range names {
		if n == "base.html" || strings.HasPrefix(n, "partials/") {
			if _, err := common.New(n).Parse(files[n].text); err != nil {
				problems = append(problems, templateDiag(err, files))
			}
		}
	}
	for _, kind := range Kinds {
		f, ok := files[kind+".html"]
		if !ok {
			problems.Errorf(LayoutsDir+"/"+kind+".html", 0, "layout missing")
			continue
		}
		tk, err := common.Clone()
		if err == nil {
			_, err = tk.New(kind + ".html").Parse(f.text)
		}
		if err != nil {
			problems = append(problems, templateDiag(err, files))
			continue
		}
		kinds[kind] = tk.Lookup(kind + ".html")
	}
	return kinds, problems
}

// minifySet minifies every layout's text; false if any fails.
func minifySet(files map[string]layout) (map[string]layout, bool) {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true,
		TemplateDelims: [2]string{"{{", "}}"}})
	out := make(map[string]layout, len(files))
	for n, f := range files {
		s, err := m.String("text/html", quietActions(f.text))
		if err != nil {
			return nil, false
		}
		out[n] = layout{label: f.label, text: s}
	}
	return out, true
}

// Kinds are the page kinds that have a layout of their own.
var Kinds = []string{
	site.KindHome, site.KindSection, site.KindArticle, site.KindPage, site.KindTags, site.KindTag,
	site.KindPeople, site.KindPerson, site.KindTasks, site.KindTaskGroup, site.KindLinks, site.Kind404,
	site.KindGallery, site.KindAlbum, site.KindVideos, site.KindVideo, site.KindSearch,
}

var templateErrRE = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)

// templateDiag turns "template: article.html:12:5: msg" into a diagnostic
// naming the layout's file.
func templateDiag(err error, files map[string]layout) diag.Diagnostic {
	msg := err.Error()
	if m := templateErrRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		label := m[1]
		if f, ok := files[m[1]]; ok {
			label = f.label
		}
		return diag.Diagnostic{Path: label, Line: line, Col: col, Msg: m[4]}
	}
	return diag.Diagnostic{Path: LayoutsDir, Msg: msg}
}

func (t *Templates) loadAssets() error {
	t.assets, t.hashes = map[string][]byte{}, map[string]string{}
	return fs.WalkDir(builtin, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(builtin, p)
		out := strings.TrimPrefix(p, "assets/")
		t.assets[out] = b
		sum := sha256.Sum256(b)
		t.hashes[out] = hex.EncodeToString(sum[:4])
		return err
	})
}

// Options tune a render.
type Options struct {
	// Static lists the site's own static files (slash paths); a built-in
	// asset with the same path is not emitted, the site's file wins.
	Static []string
	// StaticHash gives a content hash of a site static file for cache busting.
	StaticHash func(path string) string
	// Skip, when set, leaves a page out of this render (serve keeps its
	// previous bytes); called once per page before it is executed.
	Skip func(o *site.Output) bool
	// PagesOnly leaves out the feeds, sitemap, alias pages and assets.
	PagesOnly bool
	// Photo gives a photo's published image (URLs, size, srcset); layouts
	// call it through the photo function. nil: photos have no variants.
	Photo func(p *site.Photo) (Image, error)
	// Content gives an article's body as HTML; it is called once per article
	// page, from the render workers, just before the page is executed.
	Content func(a *site.Article) (template.HTML, error)
	// Ctx, when set, stops the render when done: no page starts after.
	Ctx context.Context
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render executes every page of the site in parallel and emits it, then
// the feeds, sitemap, robots.txt, alias pages and built-in assets. views
// are s's (NewViews); nil makes them.
func (t *Templates) Render(s *site.Site, views *Views, opts Options, emit Emit) error {
	if views == nil {
		views = t.NewViews(s)
	}
	r := &renderer{t: t, s: s, opts: opts}
	r.funcs = r.funcMap()
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var problems diag.List
	// Templates are cloned per worker call only once per kind: Funcs on a parsed
	// template set is safe before the first Execute, so bind them here.
	bound := map[string]*template.Template{}
	for kind, tk := range t.kinds {
		c, err := tk.Clone()
		if err != nil {
			return err
		}
		bound[kind] = c.Funcs(r.funcs)
		if r.partials == nil {
			r.partials = bound[kind]
		}
	}
	// one renders and emits a page; a layout error becomes a problem.
	one := func(o *site.Output) error {
		if opts.Ctx != nil {
			if err := opts.Ctx.Err(); err != nil {
				return err
			}
		}
		buf := bufPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer bufPool.Put(buf)
		data := &Data{Site: views.Chrome(), Page: views.Page(o)}
		if HasBody(o) && opts.Content != nil {
			html, err := opts.Content(o.Article)
			if err != nil {
				return err
			}
			data.Content = html
		}
		if err := bound[o.Kind].Execute(buf, data); err != nil {
			// Run the layout as written to name the right line.
			if t.Minified {
				if plain, cerr := t.plain[o.Kind].Clone(); cerr == nil {
					if perr := plain.Funcs(r.funcs).Execute(io.Discard, data); perr != nil {
						err = perr
					}
				}
			}
			d := templateDiag(err, nil)
			if src, ok := t.Sources[d.Path]; ok {
				d.Path = src
			}
			d.Msg = fmt.Sprintf("%s (rendering %s)", d.Msg, o.URL)
			mu.Lock()
			problems = append(problems, d)
			mu.Unlock()
			return nil
		}
		return emit(File{Path: site.File(o.URL), Body: buf.Bytes(), Minified: t.Minified})
	}
	todo := make([]*site.Output, 0, len(s.Outputs))
	for _, o := range s.Outputs {
		if opts.Skip == nil || !opts.Skip(o) {
			todo = append(todo, o)
		}
	}
	// An article's album page is rendered right after the article, by the
	// same worker: the photo grid they share (photoGrid) is still cached.
	albums := map[*site.Article]*site.Output{}
	for _, o := range todo {
		if o.Kind == site.KindAlbum && o.Article != nil {
			albums[o.Article] = o
		}
	}
	withPage := map[*site.Output]*site.Output{} // article page → its album
	paired := map[*site.Output]bool{}           // albums rendered with their article
	if len(albums) > 0 {
		for _, o := range todo {
			if al := albums[o.Article]; o.IsPage() && al != nil {
				withPage[o], paired[al] = al, true
			}
		}
	}
	for _, o := range todo {
		if paired[o] {
			continue
		}
		album := withPage[o]
		g.Go(func() error {
			if err := one(o); err != nil || album == nil {
				return err
			}
			return one(album)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if len(problems) > 0 {
		problems.Sort()
		return problems.Err()
	}
	if opts.PagesOnly {
		return nil
	}
	for _, f := range r.machineFiles() {
		if err := emit(f); err != nil {
			return err
		}
	}
	static := map[string]bool{}
	for _, p := range opts.Static {
		static[p] = true
	}
	assets := make([]string, 0, len(t.assets))
	for p := range t.assets {
		assets = append(assets, p)
	}
	sort.Strings(assets)
	for _, p := range assets {
		if !static[p] {
			if err := emit(File{Path: p, Body: t.assets[p]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Image is a published photo as layouts use it.
type Image struct {
	URL           string // the original, metadata stripped
	Width, Height int    // of the original, upright
	Srcset        string // "u320 320w, u640 640w, …" including the original
	Thumb         string // the smallest variant's URL, for grids
}

// AssetPath is the output path of a built-in asset or static file, for
// templates: asset "css/bantin.css" → /css/bantin.css?v=hash.
func (r *renderer) asset(p string) string {
	p = strings.TrimPrefix(path.Clean("/"+p), "/")
	v := r.t.hashes[p]
	if r.opts.StaticHash != nil {
		if h := r.opts.StaticHash(p); h != "" {
			v = h
		}
	}
	u := r.s.Config.RelURL("/" + p)
	if v != "" {
		u += "?v=" + v
	}
	return u
}

type renderer struct {
	t     *Templates
	s     *site.Site
	opts  Options
	funcs template.FuncMap
	// partials executes partialCached; cached holds its results for this render.
	partials *template.Template
	cached   sync.Map // name + variant → template.HTML
	grids    gridCache
}

// photoGrid is an article's photo grid (partials/photo-grid.html with its
// photos), made once for its article page and its album page: the grid is
// most of an album page's work. Only the last few grids are kept.
func (r *renderer) photoGrid(a *Article) (template.HTML, error) {
	if a == nil || len(a.Photos) == 0 {
		return "", nil
	}
	if h, ok := r.grids.get(a.src); ok {
		return h, nil
	}
	var buf bytes.Buffer
	if err := r.partials.ExecuteTemplate(&buf, "partials/photo-grid.html", a); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	r.grids.put(a.src, h)
	return h, nil
}

// gridCache keeps the photo grids of the articles rendered last: each
// worker renders an article and then its album (Render), so a few per
// worker are enough, and a site of 100,000 articles does not hold them all.
type gridCache struct {
	mu    sync.Mutex
	html  map[*site.Article]template.HTML
	order []*site.Article // oldest first
}

const gridCacheSize = 64

func (c *gridCache) get(a *site.Article) (template.HTML, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.html[a]
	return h, ok
}

func (c *gridCache) put(a *site.Article, h template.HTML) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.html == nil {
		c.html = map[*site.Article]template.HTML{}
	}
	if _, ok := c.html[a]; ok {
		return
	}
	if len(c.order) == gridCacheSize {
		delete(c.html, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.order = append(c.order, a)
	c.html[a] = h
}

// partialCached renders a partial once per render and variant: blocks such as
// the sidebar and footer are the same on thousands of pages, an article's card
// is on its section's, tags' and the home page. Variants are compared as
// values (a pointer by identity).
func (r *renderer) partialCached(name string, data any, variant ...any) (template.HTML, error) {
	key := cacheKey{name: name}
	switch {
	case len(variant) <= len(key.v) && allComparable(variant):
		copy(key.v[:], variant)
	default:
		key.s = fmt.Sprint(variant...)
	}
	if v, ok := r.cached.Load(key); ok {
		return v.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := r.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	h := template.HTML(buf.String())
	r.cached.Store(key, h)
	return h, nil
}

// cacheKey names one result of partialCached.
type cacheKey struct {
	name string
	v    [3]any // the variants, when they are comparable
	s    string // else their printed form
}

func allComparable(vs []any) bool {
	for _, v := range vs {
		if v != nil && !reflect.TypeOf(v).Comparable() {
			return false
		}
	}
	return true
}
