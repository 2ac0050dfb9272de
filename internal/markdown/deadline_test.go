package markdown

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// TestTimeLimit: bodies built to make goldmark work quadratically stop at
// the time limit with ErrTooSlow, instead of running for seconds to minutes.
func TestTimeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("slow bodies")
	}
	// Far below what each body takes (0.2 s to minutes), so a fast, quiet
	// machine still reaches it: the test is about stopping, not timing.
	const limit = 20 * time.Millisecond
	c := New(Options{TimeLimit: limit})
	for _, tc := range []struct{ name, body string }{
		{"unclosed links", strings.Repeat("[a](", 40000)},          // ~15 s without the limit
		{"unclosed images", strings.Repeat("![a](", 32000)},        // ~18 s
		{"unclosed <destinations", strings.Repeat("[a](<", 32000)}, // ~5 s
		{"backticks", strings.Repeat("`a", 400000)},
		{"emphasis", strings.Repeat("a*b_", 100000)}, // ~10 s
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := c.Convert([]byte(tc.body), nil)
			took := time.Since(start)
			if !errors.Is(err, ErrTooSlow) {
				t.Errorf("err = %v after %v, want ErrTooSlow", err, took)
			}
			if took > limit+time.Second {
				t.Errorf("took %v, limit %v", took, limit)
			}
		})
	}
	// The converter works on after an abort, and the message says what to look for.
	if _, err := New(Options{}).Convert([]byte("[a]("), nil); err != nil {
		t.Fatal(err)
	}
	_, err := New(Options{TimeLimit: time.Nanosecond}).Convert([]byte(strings.Repeat("[a](", 100)), nil)
	if err == nil || !strings.Contains(err.Error(), "conversion took longer than 1ns (the limit for one article); the body probably has thousands of unclosed [ or (") {
		t.Errorf("err = %v", err)
	}
	res, err := c.Convert([]byte("Xin *chào* [bạn](x)."), nil)
	if err != nil || !strings.Contains(string(res.HTML), "<em>chào</em>") {
		t.Errorf("after an abort: %q, %v", res.HTML, err)
	}
}

// TestTimeLimitSameOutput: the hooks change nothing goldmark makes: with a
// budget in the parser context (the hooks at work, emphasis parsed by
// them) the HTML is the one goldmark makes without (the hooks idle).
func TestTimeLimitSameOutput(t *testing.T) {
	article, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		t.Fatal(err)
	}
	md := newTestConverter(true).md
	for _, body := range []string{
		string(article),
		"*a* **b** _c_ __d__ ***e*** a*b*c a_b_c *[x](y)* `*` <b>*</b> ~~s~~ ![*i*](j) **a *b* c** _a __b__ c_ *a\n\n[*a*][r] _[b]_\n\n[r]: /u\n",
		"| *a* | _b_ |\n| --- | --- |\n| **c** | `d` |\n\n- [ ] *x*\n- [x] _y_[^1]\n\n[^1]: *z*\n",
	} {
		var idle, busy outBuffer
		if err := md.Convert([]byte(body), &idle); err != nil {
			t.Fatal(err)
		}
		pc := parser.NewContext()
		b := &budget{start: time.Now(), limit: time.Hour}
		pc.Set(budgetKey, b)
		doc := md.Parser().Parse(text.NewReader([]byte(body)), parser.WithContext(pc))
		if err := md.Renderer().Render(&busy, []byte(body), doc); err != nil {
			t.Fatal(err)
		}
		if b.calls == 0 {
			t.Errorf("the hooks did not run on %q", body)
		}
		if idle.String() != busy.String() {
			t.Errorf("hooks changed the output of %q:\n%s\nwant:\n%s", body, busy.String(), idle.String())
		}
		if !strings.Contains(busy.String(), "<em>") {
			t.Errorf("no emphasis: %s", busy.String())
		}
	}
}
