package markdown

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configures a Converter.
type Options struct {
	Unsafe    bool                // site.yaml markdown.unsafe: keep raw HTML; default false: drop it with a warning
	HeadingID func(string) string // slug function for heading ids (the caller passes viet.Slug: "Đảng ủy" → "dang-uy")
	// Reserved reports ids the page layout itself uses around the body; a
	// heading that would take one gets a numbered id instead. nil = none.
	Reserved func(id string) bool
	// TimeLimit is how long parsing one body may take (0: DefaultTimeLimit);
	// a body that takes longer is an error (ErrTooSlow).
	TimeLimit time.Duration
}

// LinkFunc resolves a link or image destination written by an editor. It gets the destination as
// written (e.g. "../tin-tuc/bai-a.md", "/tin-tuc/", "bai-b.md#phan-2", "https://x.vn/"; backslash
// escapes and entities already resolved) and returns the URL to put in the HTML, and ok=false when
// the destination is an internal link to something that does not exist (the converter then records
// a Problem with the line, and writes url, or the destination as written when url is empty). Called
// only for links and images, not for autolinks. A nil LinkFunc leaves destinations unchanged.
type LinkFunc func(dest string) (url string, ok bool)

// Result is what Convert reads from one body.
type Result struct {
	HTML     []byte    // the body HTML
	Summary  string    // plain text of the first paragraph, cut to 40 words at a word boundary with "…" when cut
	Words    int       // word count of the plain text (for reading time)
	Text     string    // the plain text, a line per block (for search)
	Headings []Heading // every heading, in order
	Images   []Ref     // every image destination that resolved, with its line (after LinkFunc)
	Problems []Problem // warnings (raw HTML dropped) and errors (broken links), in document order
}

// Heading is one heading of the body.
type Heading struct {
	Level int
	ID    string
	Text  string // plain text
}

// Ref is a destination and the line it was written on.
type Ref struct {
	Dest string
	Line int
}

// Problem is something the editor should fix.
type Problem struct {
	Line    int    // 1-based line within the body passed to Convert (the caller adds the body's offset in the file)
	Msg     string // e.g. `raw HTML left out: <iframe ...>; set markdown.unsafe: true in site.yaml to keep it`
	Warning bool   // false: an error that fails the build
}

// Converter converts Markdown bodies to HTML. It is safe for concurrent use.
type Converter struct {
	md       goldmark.Markdown
	limit    time.Duration
	unsafe   bool
	slug     func(string) string
	reserved func(string) bool
	states   sync.Pool // of *state
}

// New returns a Converter configured by opts.
func New(opts Options) *Converter {
	c := &Converter{unsafe: opts.Unsafe, slug: opts.HeadingID, reserved: opts.Reserved, limit: opts.TimeLimit}
	if c.slug == nil {
		c.slug = simpleSlug
	}
	if c.limit <= 0 {
		c.limit = DefaultTimeLimit
	}
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{unsafe: opts.Unsafe}, 100)),
	}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	c.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(deadlineParser{}, deadlinePriority))),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	c.states.New = func() any { return new(state) }
	return c
}

// state is the per-Convert scratch space, pooled.
type state struct {
	out     outBuffer
	ids     headingIDs
	lines   []int // byte offset of the start of each line; built lazily
	scratch []byte
	budget  budget
}

// maxPooledBuffer keeps one huge page from pinning its buffer for the rest of the build.
const maxPooledBuffer = 1 << 20

// Convert converts one page body. The error is non-nil when parsing takes longer than the time
// limit (ErrTooSlow: a body built to be slow), or if rendering fails, which does not happen with
// well-formed goldmark extensions; problems in the content are in Result.Problems.
func (c *Converter) Convert(body []byte, link LinkFunc) (Result, error) {
	return c.ConvertWith(body, link, nil)
}

// ImageFunc gives the published form of an image written in the body (the
// destination as written, before LinkFunc); ok=false leaves the image as is.
type ImageFunc func(dest string) (ImageAttrs, bool)

// ImageAttrs is what an <img> of a processed photo carries.
type ImageAttrs struct {
	Src           string
	Srcset        string // "a-320w.jpg 320w, …"
	Width, Height int
}

// ConvertWith converts like Convert, rendering images through image when it is set.
func (c *Converter) ConvertWith(body []byte, link LinkFunc, image ImageFunc) (res Result, err error) {
	st := c.states.Get().(*state)
	defer c.putState(st)
	st.ids.reset(c.slug)
	st.ids.reserved = c.reserved
	st.lines = st.lines[:0]

	pc := parser.NewContext(parser.WithIDs(&st.ids))
	st.budget = budget{start: time.Now(), limit: c.limit}
	pc.Set(budgetKey, &st.budget)
	doc, err := c.parse(body, pc)
	if err != nil {
		return Result{}, err
	}

	w := walker{c: c, st: st, src: body, link: link, image: image, res: &res}
	w.walk(doc)
	res.Words = w.words.n
	res.Text = string(w.words.text)

	st.out.Reset()
	if err := c.md.Renderer().Render(&st.out, body, doc); err != nil {
		return Result{}, fmt.Errorf("markdown: render: %w", err)
	}
	res.HTML = bytes.Clone(st.out.Bytes())
	return res, nil
}

// parse parses a body, stopping it (a panic from the deadline hooks, see
// budget.tick) when it runs past the time limit.
func (c *Converter) parse(body []byte, pc parser.Context) (doc ast.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(slowError)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	return c.md.Parser().Parse(text.NewReader(body), parser.WithContext(pc)), nil
}

func (c *Converter) putState(st *state) {
	if st.out.Cap() > maxPooledBuffer {
		st.out = outBuffer{}
	}
	if cap(st.scratch) > maxPooledBuffer {
		st.scratch = nil
	}
	if cap(st.lines) > maxPooledBuffer/8 {
		st.lines = nil
	}
	st.ids.reset(nil)
	st.budget = budget{}
	c.states.Put(st)
}

// outBuffer is a bytes.Buffer that goldmark can write to directly (util.BufWriter), so Render does
// not wrap it in a fresh bufio.Writer on every call.
type outBuffer struct{ bytes.Buffer }

func (b *outBuffer) Buffered() int { return 0 }
func (b *outBuffer) Flush() error  { return nil }

var _ util.BufWriter = (*outBuffer)(nil)

// headingIDs is the per-page table of heading ids. It implements parser.IDs.
type headingIDs struct {
	slug     func(string) string
	reserved func(string) bool
	used     map[string]struct{}
	next     map[string]int // next suffix to try for a base id
}

var _ parser.IDs = (*headingIDs)(nil)

func (h *headingIDs) reset(slug func(string) string) {
	h.slug = slug
	if h.used == nil {
		h.used = make(map[string]struct{})
		h.next = make(map[string]int)
	}
	clear(h.used)
	clear(h.next)
}

// Generate returns a new id for a heading with the given text.
func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	return []byte(h.generate(string(value)))
}

func (h *headingIDs) generate(text string) string {
	base := h.slug(text)
	if base == "" {
		base = "phan"
	}
	if _, taken := h.used[base]; !taken && !h.isReserved(base) {
		h.used[base] = struct{}{}
		return base
	}
	for i := h.next[base] + 1; ; i++ {
		id := fmt.Sprintf("%s-%d", base, i)
		if _, taken := h.used[id]; !taken && !h.isReserved(id) {
			h.used[id] = struct{}{}
			h.next[base] = i
			return id
		}
	}
}

func (h *headingIDs) isReserved(id string) bool { return h.reserved != nil && h.reserved(id) }

// Put records an id written explicitly in the document.
func (h *headingIDs) Put(value []byte) { h.used[string(value)] = struct{}{} }
