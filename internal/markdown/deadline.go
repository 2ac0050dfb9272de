package markdown

import (
	"errors"
	"fmt"
	"time"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// DefaultTimeLimit is how long one body may take to parse. Real articles
// take well under a millisecond; goldmark needs 10–20 s for 160 KB of "[a]("
// (every ] scans to the end of the paragraph for a destination).
const DefaultTimeLimit = 3 * time.Second

// ErrTooSlow is the error of a body whose conversion ran out of time.
var ErrTooSlow = errors.New("conversion took too long")

// slowError is ErrTooSlow with the limit it ran past.
type slowError struct{ limit time.Duration }

func (e slowError) Error() string {
	return fmt.Sprintf("conversion took longer than %v (the limit for one article); the body probably has thousands of unclosed [ or ( or of * and _", e.limit)
}

func (e slowError) Is(target error) bool { return target == ErrTooSlow }

// budget is one conversion's deadline, kept in goldmark's parser context.
type budget struct {
	start time.Time
	limit time.Duration
	calls uint32
	emph  checkedDelims // goldmark's emphasis delimiter processor, checking the deadline as it pairs
}

var budgetKey = parser.NewContextKey()

// checkEvery is how many hook calls pass between two looks at the clock:
// one call costs at most one scan of the paragraph, and a normal article
// makes a few hundred calls.
const checkEvery = 16

// tick counts one hook call and aborts the conversion once it is late.
func (b *budget) tick() {
	b.calls++
	if b.calls%checkEvery == 0 && time.Since(b.start) > b.limit {
		panic(slowError{b.limit})
	}
}

func budgetOf(pc parser.Context) *budget {
	b, _ := pc.Get(budgetKey).(*budget)
	return b
}

// deadlineParser is an inline parser that parses nothing: registered before
// goldmark's own parsers on the characters that start their scans ahead
// (links and images, code spans, autolinks and raw HTML), it looks at the
// clock before each of them runs. On * and _ it parses the emphasis
// delimiter itself, as goldmark's emphasis parser does, so that matching
// delimiters at the end of a paragraph (quadratic in their number) is
// checked too.
type deadlineParser struct{}

// deadlinePriority runs the parser before every other inline parser
// (goldmark's code span parser is 100, links 200).
const deadlinePriority = 1

var emphasis = parser.NewEmphasisParser()

func (deadlineParser) Trigger() []byte { return []byte{'[', ']', '!', '`', '<', '*', '_'} }

func (deadlineParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	b := budgetOf(pc)
	if b == nil {
		return nil
	}
	b.tick()
	if c := block.Peek(); c != '*' && c != '_' {
		return nil
	}
	n := emphasis.Parse(parent, block, pc)
	if d, ok := n.(*parser.Delimiter); ok {
		if b.emph.DelimiterProcessor == nil {
			b.emph = checkedDelims{DelimiterProcessor: d.Processor, b: b}
		}
		if b.emph.DelimiterProcessor == d.Processor { // goldmark has one for * and _
			d.Processor = &b.emph
		}
	}
	return n
}

// checkedDelims is a delimiter processor that looks at the clock as
// goldmark tries to pair its delimiters.
type checkedDelims struct {
	parser.DelimiterProcessor
	b *budget
}

func (c *checkedDelims) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	c.b.tick()
	return c.DelimiterProcessor.CanOpenCloser(opener, closer)
}
