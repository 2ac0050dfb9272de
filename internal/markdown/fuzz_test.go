package markdown

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// safeTags is every element goldmark and its GFM and footnote extensions write, plus our table
// wrapper. In the default mode nothing else may appear in the output.
var safeTags = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"a": true, "img": true, "em": true, "strong": true, "del": true, "code": true, "pre": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "hr": true, "br": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"input": true, "div": true, "sup": true,
}

// checkTags reports the first tag in out that is not in safeTags.
func checkTags(out []byte) (bad string, ok bool) {
	for i := bytes.IndexByte(out, '<'); i >= 0; {
		rest := out[i+1:]
		rest = bytes.TrimPrefix(rest, []byte("/"))
		end := 0
		for end < len(rest) && (rest[end] >= 'a' && rest[end] <= 'z' || rest[end] >= '0' && rest[end] <= '9') {
			end++
		}
		if name := string(rest[:end]); !safeTags[name] {
			return string(out[i:min(len(out), i+20)]), false
		}
		j := bytes.IndexByte(out[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return "", true
}

// lineCount is the number of lines of body, counting "\n" and a last line without one.
func lineCount(body []byte) int {
	n := bytes.Count(body, []byte("\n"))
	if len(body) > 0 && body[len(body)-1] != '\n' {
		n++
	}
	return n
}

func FuzzConvert(f *testing.F) {
	seeds := []string{
		"",
		"## Nhiệm vụ trọng tâm\n\n## Nhiệm vụ trọng tâm\n",
		"# Đảng ủy\n\nĐoạn một [a](bai-b.md) ![x](anh.jpg).\n",
		"| a | b |\n|---|:-:|\n| 1 | 2 |\n",
		"~~x~~ www.example.vn https://x.vn/a <mailto:a@x.vn>\n",
		"Câu[^1].\n\n[^1]: Chú thích <b>x</b>.\n",
		"a\n\n<div>\nx\n</div>\n\nb <b>c</b> d\n",
		"<script>alert(1)</script>\n\nx <script>alert(1)</script>\n",
		"<!-- c --> <script>x</script>\n",
		"- [ ] a\n- [x] b\n\n> q <i>y</i>\n>\n> > z\n",
		"[ref]: <bai b.md> \"t\"\n\n[ref] [](x) ![](y)\n",
		"[a](\\\\&amp;\\)) `<b>` ```\n<b>\n```\n",
		"<a href=\"javascript:alert(1)\">x</a>\r\nb\rc\x00d",
		"    code\n\tcode\n\n***\n\nSetext\n===\n",
	}
	if article, err := os.ReadFile("testdata/bai-viet.md"); err == nil {
		seeds = append(seeds, string(article))
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	safe, unsafe := newTestConverter(false), newTestConverter(true)
	// Every other distinct destination is "broken", so problems and images both get exercised.
	link := func(dest string) (string, bool) {
		if len(dest)%2 == 1 {
			return "", false
		}
		return "/x/" + dest, true
	}

	f.Fuzz(func(t *testing.T, body []byte, keepHTML bool) {
		c := safe
		if keepHTML {
			c = unsafe
		}
		orig := bytes.Clone(body)
		res, err := c.Convert(body, link)
		if errors.Is(err, ErrTooSlow) {
			return // a body built to be slow, stopped as designed
		}
		if err != nil {
			t.Fatalf("Convert: %v", err)
		}
		if !bytes.Equal(body, orig) {
			t.Fatal("Convert changed its input")
		}
		lines := lineCount(body)
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("problem on line %d of %d: %+v", p.Line, lines, p)
			}
			if p.Msg == "" || strings.ContainsAny(p.Msg, "\n\r") {
				t.Errorf("bad problem message %q", p.Msg)
			}
		}
		for _, r := range res.Images {
			if r.Line < 1 || r.Line > lines {
				t.Errorf("image on line %d of %d: %+v", r.Line, lines, r)
			}
		}
		ids := map[string]bool{}
		for _, h := range res.Headings {
			if h.ID == "" || ids[h.ID] {
				t.Errorf("heading id %q empty or repeated", h.ID)
			}
			ids[h.ID] = true
		}
		if n := len(strings.Fields(res.Summary)); n > summaryWords {
			t.Errorf("summary has %d words", n)
		}
		if utf8.Valid(body) && !utf8.ValidString(res.Summary) {
			t.Errorf("summary is not valid UTF-8: %q", res.Summary)
		}
		if res.Words < 0 || res.Words > len(body) {
			t.Errorf("Words = %d for %d bytes", res.Words, len(body))
		}
		if !keepHTML {
			if bad, ok := checkTags(res.HTML); !ok {
				t.Errorf("unexpected markup %q in output:\n%s", bad, res.HTML)
			}
			if scriptTag.Match(res.HTML) {
				t.Errorf("<script> in output:\n%s", res.HTML)
			}
		}
		again, _ := c.Convert(body, link)
		if !bytes.Equal(again.HTML, res.HTML) {
			t.Error("output is not deterministic")
		}
	})
}
