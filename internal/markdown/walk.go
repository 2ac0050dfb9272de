package markdown

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// walker makes the one pass over a parsed body that sets heading ids, resolves destinations, drops
// raw HTML and gathers the summary, word count and problems.
type walker struct {
	c     *Converter
	st    *state
	src   []byte
	link  LinkFunc
	image ImageFunc
	res   *Result

	words       wordCounter
	inImage     int  // depth inside image alt text (not counted as words)
	inFootnotes bool // inside the footnote list (not a source for the summary)
	haveSummary bool
	lastRawLine int // line of the last raw HTML warning, for one warning per line
	lastOff     int // offset of the last text or block start the walk passed, for nodes without text
}

func (w *walker) walk(n ast.Node) {
	if n.Type() == ast.TypeBlock {
		if lines := n.Lines(); lines.Len() > 0 {
			w.lastOff = max(w.lastOff, lines.At(0).Start)
		}
	}
	switch n := n.(type) {
	case *ast.HTMLBlock:
		if !w.c.unsafe {
			w.dropRawHTML(n, blockLines(n))
		}
		return
	case *ast.RawHTML:
		if !w.c.unsafe {
			w.dropRawHTML(n, n.Segments)
		}
		return
	case *ast.Heading:
		w.heading(n)
	case *ast.Link:
		n.Destination = w.resolve(n, n.Destination, false)
	case *ast.Image:
		written := unescape(n.Destination)
		n.Destination = w.resolve(n, n.Destination, true)
		if w.image != nil {
			if im, ok := w.image(written); ok {
				// Responsive and without layout shift: goldmark writes these
				// attributes (its image attribute filter allows them).
				n.Destination = escapeDest(im.Src)
				if im.Srcset != "" {
					n.SetAttributeString("srcset", []byte(im.Srcset))
					n.SetAttributeString("sizes", []byte("(min-width: 900px) 760px, 100vw"))
				}
				if im.Width > 0 && im.Height > 0 {
					n.SetAttributeString("width", []byte(strconv.Itoa(im.Width)))
					n.SetAttributeString("height", []byte(strconv.Itoa(im.Height)))
				}
				n.SetAttributeString("loading", []byte("lazy"))
				n.SetAttributeString("decoding", []byte("async"))
			}
		}
		w.inImage++
		defer func() { w.inImage-- }()
	case *ast.Text:
		w.lastOff = max(w.lastOff, n.Segment.Stop)
		if stop := n.Segment.Stop; (n.SoftLineBreak() || n.HardLineBreak()) && stop <= len(w.src) {
			// The next inline starts on the next line.
			if i := bytes.IndexByte(w.src[stop:], '\n'); i >= 0 {
				w.lastOff = stop + i + 1
			}
		}
		if w.inImage == 0 {
			w.words.add(n.Segment.Value(w.src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				w.words.brk()
			}
		}
		return
	case *ast.String:
		if w.inImage == 0 {
			w.words.add(n.Value)
		}
		return
	case *ast.AutoLink:
		if w.inImage == 0 {
			w.words.add(n.Label(w.src))
		}
		return
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			w.words.add(seg.Value(w.src))
			w.words.brk()
		}
		return
	case *east.FootnoteList:
		w.inFootnotes = true
		defer func() { w.inFootnotes = false }()
	}

	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling() // c may remove itself
		w.walk(c)
		c = next
	}

	if n.Type() == ast.TypeBlock {
		w.words.brk()
	}
	if p, ok := n.(*ast.Paragraph); ok {
		w.paragraph(p)
	}
}

func (w *walker) heading(n *ast.Heading) {
	buf := appendPlain(w.st.scratch[:0], n, w.src)
	w.st.scratch = buf
	title := collapseSpace(buf)
	id := w.st.ids.generate(title)
	n.SetAttributeString("id", []byte(id))
	w.res.Headings = append(w.res.Headings, Heading{Level: n.Level, ID: id, Text: title})
}

func (w *walker) paragraph(p *ast.Paragraph) {
	if p.ChildCount() == 0 {
		// Everything in it was raw HTML: leave no empty <p></p> behind.
		p.Parent().RemoveChild(p.Parent(), p)
		return
	}
	if w.haveSummary || w.inFootnotes {
		return
	}
	buf := appendPlain(w.st.scratch[:0], p, w.src)
	w.st.scratch = buf
	if s := summarize(buf, summaryWords); s != "" {
		w.res.Summary = s
		w.haveSummary = true
	}
}

// dropRawHTML removes a raw HTML node from the tree and warns about it, unless it is only a comment.
func (w *walker) dropRawHTML(n ast.Node, segs *text.Segments) {
	n.Parent().RemoveChild(n.Parent(), n)
	var raw []byte
	for i := range segs.Len() {
		seg := segs.At(i)
		raw = append(raw, seg.Value(w.src)...)
	}
	if isComment(raw) {
		return
	}
	line := w.lastOff
	if segs.Len() > 0 {
		line = segs.At(0).Start
	}
	line = w.lineOf(line)
	if line == w.lastRawLine {
		return
	}
	w.lastRawLine = line
	w.res.Problems = append(w.res.Problems, Problem{
		Line:    line,
		Msg:     fmt.Sprintf("raw HTML left out: %s; set markdown.unsafe: true in site.yaml to keep it", excerpt(raw)),
		Warning: true,
	})
}

// blockLines returns the lines of an HTML block, including its closing line.
func blockLines(n *ast.HTMLBlock) *text.Segments {
	if !n.HasClosure() {
		return n.Lines()
	}
	segs := text.NewSegments()
	lines := n.Lines()
	for i := range lines.Len() {
		segs.Append(lines.At(i))
	}
	segs.Append(n.ClosureLine)
	return segs
}

// isComment reports whether raw is nothing but one HTML comment (and surrounding space).
func isComment(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	if !bytes.HasPrefix(raw, []byte("<!--")) || !bytes.HasSuffix(raw, []byte("-->")) {
		return false
	}
	end := bytes.Index(raw[4:], []byte("-->"))
	return end >= 0 && 4+end+3 == len(raw)
}

// resolve passes a link or image destination through the LinkFunc and returns the destination to
// render.
func (w *walker) resolve(n ast.Node, dest []byte, image bool) []byte {
	written := unescape(dest)
	if w.link == nil {
		if image {
			w.res.Images = append(w.res.Images, Ref{Dest: written, Line: w.lineNear(n)})
		}
		return dest
	}
	url, ok := w.link(written)
	if !ok {
		w.res.Problems = append(w.res.Problems, Problem{Line: w.lineNear(n), Msg: brokenMsg(written, image)})
		if url == "" {
			return dest
		}
	} else if image {
		w.res.Images = append(w.res.Images, Ref{Dest: url, Line: w.lineNear(n)})
	}
	if url == written {
		return dest
	}
	return escapeDest(url)
}

func brokenMsg(dest string, image bool) string {
	if image {
		return fmt.Sprintf("broken image %q: no such file", dest)
	}
	p := dest
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if ext := path.Ext(p); ext != "" && ext != ".md" && ext != ".html" && ext != ".htm" {
		return fmt.Sprintf("broken link %q: no such file", dest)
	}
	return fmt.Sprintf("broken link %q: no such page", dest)
}

// lineNear returns the line of an inline node: the line of its first text, else of the last text or
// block start the walk passed before it.
func (w *walker) lineNear(n ast.Node) int {
	if off, ok := firstTextOffset(n); ok {
		return w.lineOf(off)
	}
	return w.lineOf(w.lastOff)
}

func firstTextOffset(n ast.Node) (int, bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start, true
		}
		if off, ok := firstTextOffset(c); ok {
			return off, true
		}
	}
	return 0, false
}

// lineOf maps a byte offset in the body to its 1-based line.
func (w *walker) lineOf(off int) int {
	lines := w.st.lines
	if len(lines) == 0 {
		lines = append(lines, 0)
		for i, b := range w.src {
			if b == '\n' && i+1 < len(w.src) {
				lines = append(lines, i+1)
			}
		}
		w.st.lines = lines
	}
	// The number of starts <= off is the line number; offsets past the end stay on the last line.
	line := sort.SearchInts(lines, off+1)
	return max(line, 1)
}
