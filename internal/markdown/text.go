package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// summaryWords is how many words of the first paragraph make the summary.
const summaryWords = 40

// appendPlain appends the plain text of n's inline content to buf: the text of emphasis, links and
// code, without markup, images, raw HTML or footnote references; line breaks become spaces.
func appendPlain(buf []byte, n ast.Node, src []byte) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if !c.IsRaw() {
				v = unescapeText(v)
			}
			buf = append(buf, v...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				buf = append(buf, ' ')
			}
		case *ast.String:
			buf = append(buf, c.Value...)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					buf = append(buf, t.Segment.Value(src)...)
				}
			}
		case *ast.AutoLink:
			buf = append(buf, c.Label(src)...)
		case *ast.Image, *ast.RawHTML, *east.FootnoteLink, *east.TaskCheckBox:
			// not text a reader reads
		default:
			buf = appendPlain(buf, c, src)
		}
	}
	return buf
}

// unescapeText resolves backslash escapes and character references, as the HTML renderer does.
func unescapeText(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}

// unescape returns a destination as the editor meant it: escapes and references resolved.
func unescape(dest []byte) string {
	return string(unescapeText(dest))
}

// escapeDest makes url survive the unescaping the renderer applies to destinations.
func escapeDest(url string) []byte {
	if !strings.ContainsAny(url, `\&`) {
		return []byte(url)
	}
	return []byte(destEscaper.Replace(url))
}

var destEscaper = strings.NewReplacer(`\`, `\\`, `&`, `&amp;`)

// spaceLen returns the length of the space character at b[i], or 0 if there is none there. The
// set is unicode.IsSpace's, matched on UTF-8 bytes: Vietnamese text is mostly multi-byte letters,
// and decoding each of them to find no space costs more than the rest of the pass.
func spaceLen(b []byte, i int) int {
	if !maybeSpace[b[i]] {
		return 0
	}
	return spaceLenSlow(b, i)
}

// maybeSpace marks the bytes that can start a space character.
var maybeSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true,
	0xC2: true, 0xE1: true, 0xE2: true, 0xE3: true}

func spaceLenSlow(b []byte, i int) int {
	switch c := b[i]; c {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		return 1
	case 0xC2: // U+0085, U+00A0
		if i+1 < len(b) && (b[i+1] == 0x85 || b[i+1] == 0xA0) {
			return 2
		}
	case 0xE1: // U+1680
		if i+2 < len(b) && b[i+1] == 0x9A && b[i+2] == 0x80 {
			return 3
		}
	case 0xE2: // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
		if i+2 < len(b) {
			c1, c2 := b[i+1], b[i+2]
			if c1 == 0x80 && (c2 <= 0x8A && c2 >= 0x80 || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) ||
				c1 == 0x81 && c2 == 0x9F {
				return 3
			}
		}
	case 0xE3: // U+3000
		if i+2 < len(b) && b[i+1] == 0x80 && b[i+2] == 0x80 {
			return 3
		}
	}
	return 0
}

// collapseSpace returns b with runs of space made one ' ' and the ends trimmed.
func collapseSpace(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	pending := false
	for i := 0; i < len(b); {
		if n := spaceLen(b, i); n > 0 {
			pending = sb.Len() > 0
			i += n
			continue
		}
		if pending {
			sb.WriteByte(' ')
			pending = false
		}
		sb.WriteByte(b[i])
		i++
	}
	return sb.String()
}

// summarize returns the words of b joined by single spaces; when there are more than limit, the first
// limit of them followed by "…".
func summarize(b []byte, limit int) string {
	var sb strings.Builder
	sb.Grow(len(b) + len("…"))
	words := 0
	inWord := false
	for i := 0; i < len(b); {
		if n := spaceLen(b, i); n > 0 {
			inWord = false
			i += n
			continue
		}
		if !inWord {
			if words == limit {
				return strings.TrimRight(sb.String(), ",;:-–—") + "…"
			}
			if words > 0 {
				sb.WriteByte(' ')
			}
			words++
			inWord = true
		}
		sb.WriteByte(b[i])
		i++
	}
	return sb.String()
}

// wordCounter counts whitespace-separated words across text fed in pieces,
// and keeps the text (for search), a line per block.
type wordCounter struct {
	n      int
	inWord bool
	text   []byte
}

func (wc *wordCounter) add(b []byte) {
	wc.text = append(wc.text, b...)
	for i := 0; i < len(b); {
		if n := spaceLen(b, i); n > 0 {
			wc.inWord = false
			i += n
			continue
		}
		if !wc.inWord {
			wc.inWord = true
			wc.n++
		}
		i++
	}
}

// brk ends the current word (at a block end or line break).
func (wc *wordCounter) brk() {
	wc.inWord = false
	if len(wc.text) > 0 && wc.text[len(wc.text)-1] != '\n' {
		wc.text = append(wc.text, '\n')
	}
}

// excerpt returns the start of a piece of raw HTML, fit for a one-line message.
func excerpt(raw []byte) string {
	const limit = 60
	raw = bytes.TrimSpace(raw)
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		raw = bytes.TrimSpace(raw[:i])
	}
	var sb strings.Builder
	for i, n := 0, 0; i < len(raw); n++ {
		r, size := utf8.DecodeRune(raw[i:])
		if n == limit {
			sb.WriteString("…")
			break
		}
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) {
			r = ' '
		}
		sb.WriteRune(r)
		i += size
	}
	return sb.String()
}

// simpleSlug is the heading id slug when Options.HeadingID is nil: lower-case letters and digits,
// every other run of characters one '-'. (bantin passes viet.Slug, which also drops Vietnamese marks.)
func simpleSlug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(unicode.ToLower(r))
		} else {
			dash = true
		}
	}
	return sb.String()
}
