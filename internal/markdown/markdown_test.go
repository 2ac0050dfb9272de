package markdown

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// vietSlug stands in for viet.Slug (a leaf does not import it): it drops Vietnamese tone and vowel
// marks, maps đ to d, and makes every other run of characters one '-'.
func vietSlug(s string) string {
	var sb strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if b, ok := vietBase[r]; ok {
			r = b
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			dash = false
			sb.WriteRune(r)
		} else {
			dash = true
		}
	}
	return sb.String()
}

var vietBase = func() map[rune]rune {
	m := map[rune]rune{'đ': 'd'}
	for _, group := range []string{
		"aàáảãạăằắẳẵặâầấẩẫậ", "eèéẻẽẹêềếểễệ", "iìíỉĩị",
		"oòóỏõọôồốổỗộơờớởỡợ", "uùúủũụưừứửữự", "yỳýỷỹỵ",
	} {
		rs := []rune(group)
		for _, r := range rs[1:] {
			m[r] = rs[0]
		}
	}
	return m
}()

func newTestConverter(unsafe bool) *Converter {
	return New(Options{Unsafe: unsafe, HeadingID: vietSlug})
}

func mustConvert(t testing.TB, c *Converter, body string, link LinkFunc) Result {
	t.Helper()
	res, err := c.Convert([]byte(body), link)
	if err != nil {
		t.Fatalf("Convert(%q): %v", body, err)
	}
	return res
}

func TestHTML(t *testing.T) {
	tests := []struct {
		name   string
		unsafe bool
		in     string
		want   string
	}{
		{
			name: "heading with Vietnamese text",
			in:   "## Nhiệm vụ trọng tâm\n",
			want: "<h2 id=\"nhiem-vu-trong-tam\">Nhiệm vụ trọng tâm</h2>\n",
		},
		{
			name: "heading with đ",
			in:   "# Đảng ủy\n",
			want: "<h1 id=\"dang-uy\">Đảng ủy</h1>\n",
		},
		{
			name: "setext heading",
			in:   "Ban Thường vụ\n---\n",
			want: "<h2 id=\"ban-thuong-vu\">Ban Thường vụ</h2>\n",
		},
		{
			name: "heading id from plain text, not markup",
			in:   "## Xem **bài** [này](bai-b.md)\n",
			want: "<h2 id=\"xem-bai-nay\">Xem <strong>bài</strong> <a href=\"bai-b.md\">này</a></h2>\n",
		},
		{
			name: "duplicate headings",
			in:   "## Kết luận\n\n## Kết luận\n\n## Kết luận\n\n## Kết luận 1\n",
			want: "<h2 id=\"ket-luan\">Kết luận</h2>\n<h2 id=\"ket-luan-1\">Kết luận</h2>\n" +
				"<h2 id=\"ket-luan-2\">Kết luận</h2>\n<h2 id=\"ket-luan-1-1\">Kết luận 1</h2>\n",
		},
		{
			name: "heading with an empty slug",
			in:   "## ?!\n\n## …\n",
			want: "<h2 id=\"phan\">?!</h2>\n<h2 id=\"phan-1\">…</h2>\n",
		},
		{
			name: "GFM table in a scrolling wrapper",
			in:   "| Đơn vị | Số đảng viên |\n|---|---:|\n| Chi bộ 1 | 12 |\n",
			want: "<div class=\"bang\">\n<table>\n<thead>\n<tr>\n<th>Đơn vị</th>\n" +
				"<th style=\"text-align:right\">Số đảng viên</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n" +
				"<td>Chi bộ 1</td>\n<td style=\"text-align:right\">12</td>\n</tr>\n</tbody>\n</table>\n</div>\n",
		},
		{
			name: "strikethrough",
			in:   "~~dự thảo~~ chính thức\n",
			want: "<p><del>dự thảo</del> chính thức</p>\n",
		},
		{
			name: "autolinks",
			in:   "Xem www.example.vn và https://x.vn/a?b=1.\n",
			want: "<p>Xem <a href=\"http://www.example.vn\">www.example.vn</a> và " +
				"<a href=\"https://x.vn/a?b=1\">https://x.vn/a?b=1</a>.</p>\n",
		},
		{
			name: "footnote",
			in:   "Theo Chỉ thị[^1].\n\n[^1]: Chỉ thị số 33-CT/TW.\n",
			want: "<p>Theo Chỉ thị<sup id=\"fnref:1\"><a href=\"#fn:1\" class=\"footnote-ref\" role=\"doc-noteref\">1</a></sup>.</p>\n" +
				"<div class=\"footnotes\" role=\"doc-endnotes\">\n<hr>\n<ol>\n<li id=\"fn:1\">\n" +
				"<p>Chỉ thị số 33-CT/TW.&#160;<a href=\"#fnref:1\" class=\"footnote-backref\" role=\"doc-backlink\">&#x21a9;&#xfe0e;</a></p>\n" +
				"</li>\n</ol>\n</div>\n",
		},
		{
			name: "task list",
			in:   "- [x] Xong\n- [ ] Chưa\n",
			want: "<ul>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> Xong</li>\n" +
				"<li><input disabled=\"\" type=\"checkbox\"> Chưa</li>\n</ul>\n",
		},
		{
			name: "quotes are left as typed (no typographer)",
			in:   "\"Đảng\" -- 'ủy' ...\n",
			want: "<p>&quot;Đảng&quot; -- 'ủy' ...</p>\n",
		},
		{
			name: "external link left as it is",
			in:   "[Cổng tỉnh](https://example.org/)\n",
			want: "<p><a href=\"https://example.org/\">Cổng tỉnh</a></p>\n",
		},
		{
			name: "raw HTML block dropped",
			in:   "Trước.\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\nSau.\n",
			want: "<p>Trước.</p>\n<p>Sau.</p>\n",
		},
		{
			name: "inline raw HTML dropped, its text kept",
			in:   "Chữ <b>đậm</b> và <span style=\"color:red\">đỏ</span>.\n",
			want: "<p>Chữ đậm và đỏ.</p>\n",
		},
		{
			name: "paragraph of raw HTML only leaves no empty paragraph",
			in:   "<span></span>\n",
			want: "",
		},
		{
			name:   "raw HTML block kept when unsafe",
			unsafe: true,
			in:     "Trước.\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n\nSau.\n",
			want:   "<p>Trước.</p>\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n<p>Sau.</p>\n",
		},
		{
			name:   "inline raw HTML kept when unsafe",
			unsafe: true,
			in:     "Chữ <b>đậm</b>.\n",
			want:   "<p>Chữ <b>đậm</b>.</p>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustConvert(t, newTestConverter(tt.unsafe), tt.in, nil)
			if got := string(res.HTML); got != tt.want {
				t.Errorf("HTML of %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHeadings(t *testing.T) {
	res := mustConvert(t, newTestConverter(false), "# Đảng ủy Khối\n\nMở đầu.\n\n### Ý kiến *tham luận*\n", nil)
	want := []Heading{{1, "dang-uy-khoi", "Đảng ủy Khối"}, {3, "y-kien-tham-luan", "Ý kiến tham luận"}}
	if !reflect.DeepEqual(res.Headings, want) {
		t.Errorf("Headings = %+v, want %+v", res.Headings, want)
	}
}

func TestNilHeadingID(t *testing.T) {
	res := mustConvert(t, New(Options{}), "## Kế hoạch 2023\n", nil)
	if want := "<h2 id=\"kế-hoạch-2023\">Kế hoạch 2023</h2>\n"; string(res.HTML) != want {
		t.Errorf("HTML = %q, want %q", res.HTML, want)
	}
}

func TestRawHTMLProblems(t *testing.T) {
	body := "Đoạn một.\n" + // 1
		"\n" + // 2
		"<div class=\"khung\">\n" + // 3
		"Nội dung\n" + // 4
		"</div>\n" + // 5
		"\n" + // 6
		"Chữ <b>đậm</b> và\n" + // 7: one warning for the line, not two
		"<i>nghiêng</i> nữa.\n" + // 8
		"\n" + // 9
		"<!-- ghi chú của biên tập viên -->\n" + // 10: a comment is dropped silently
		"\n" + // 11
		"- mục <iframe src=\"https://www.youtube.com/embed/abcdefghijklmnopqrstuvwxyz0123456789\" width=\"560\"></iframe>\n" // 12
	res := mustConvert(t, newTestConverter(false), body, nil)
	want := []Problem{
		{Line: 3, Msg: `raw HTML left out: <div class="khung">; set markdown.unsafe: true in site.yaml to keep it`, Warning: true},
		{Line: 7, Msg: `raw HTML left out: <b>; set markdown.unsafe: true in site.yaml to keep it`, Warning: true},
		{Line: 8, Msg: `raw HTML left out: <i>; set markdown.unsafe: true in site.yaml to keep it`, Warning: true},
		{Line: 12, Msg: `raw HTML left out: <iframe src="https://www.youtube.com/embed/abcdefghijklmnopq…; set markdown.unsafe: true in site.yaml to keep it`, Warning: true},
	}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("Problems:\n got %+v\nwant %+v", res.Problems, want)
	}
	if bytes.Contains(res.HTML, []byte("<!--")) || bytes.Contains(res.HTML, []byte("<div")) {
		t.Errorf("raw HTML in output: %s", res.HTML)
	}

	res = mustConvert(t, newTestConverter(true), body, nil)
	if len(res.Problems) != 0 {
		t.Errorf("unsafe: Problems = %+v, want none", res.Problems)
	}
	for _, keep := range []string{`<div class="khung">`, "<b>đậm</b>", "<!-- ghi chú", "<iframe"} {
		if !bytes.Contains(res.HTML, []byte(keep)) {
			t.Errorf("unsafe: output lacks %q:\n%s", keep, res.HTML)
		}
	}
}

// scriptTag finds a <script (in any case) that reached the output as markup.
var scriptTag = regexp.MustCompile(`(?i)<\s*script`)

func TestScriptNeverInOutput(t *testing.T) {
	inputs := []string{
		"<script>alert(1)</script>\n",
		"Chữ <script>alert(1)</script> chữ.\n",
		"<SCRIPT src=\"x.js\"></SCRIPT>\n",
		"- mục\n\n  <script>alert(1)</script>\n",
		"> <script>alert(1)</script>\n",
		"## Tiêu đề <script>alert(1)</script>\n",
		"| a |\n|---|\n| <script>alert(1)</script> |\n",
		"![<script>alert(1)</script>](a.jpg)\n",
		"[<script>alert(1)</script>](a.md)\n",
		"[a](<script>alert(1)</script>)\n",
		"Câu[^1].\n\n[^1]: <script>alert(1)</script>\n",
		"<!-- x --> <script>alert(1)</script>\n",
		"<div>\n<script>alert(1)</script>\n</div>\n",
		"`<script>alert(1)</script>`\n",
		"    <script>alert(1)</script>\n",
		"```\n<script>alert(1)</script>\n```\n",
		"&lt;script&gt;alert(1)&lt;/script&gt;\n",
		"<a href=\"javascript:alert(1)\">x</a>\n",
	}
	c := newTestConverter(false)
	for _, in := range inputs {
		res := mustConvert(t, c, in, nil)
		if scriptTag.Match(res.HTML) {
			t.Errorf("%q: <script> in output: %s", in, res.HTML)
		}
		if bytes.Contains(res.HTML, []byte("javascript:")) {
			t.Errorf("%q: javascript: URL in output: %s", in, res.HTML)
		}
	}
	// The plain case from the brief, exactly.
	res := mustConvert(t, c, "<script>alert(1)</script>\n", nil)
	if len(res.HTML) != 0 || len(res.Problems) != 1 || res.Problems[0].Line != 1 {
		t.Errorf("script block: HTML %q, Problems %+v", res.HTML, res.Problems)
	}
}

// siteLinks resolves destinations as a site with two pages and one image would.
func siteLinks(dest string) (string, bool) {
	switch dest {
	case "bai-b.md":
		return "/tin-tuc/bai-b/", true
	case "bai-b.md#phan-2":
		return "/tin-tuc/bai-b/#phan-2", true
	case "anh.jpg":
		return "/tin-tuc/bai-a/anh.jpg", true
	case "/tin-tuc/":
		return "/bantin/tin-tuc/", true
	}
	if strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "mailto:") {
		return dest, true
	}
	return "", false
}

func TestLinks(t *testing.T) {
	body := "Xem [bài B](bai-b.md) và [phần 2](bai-b.md#phan-2).\n" + // 1
		"\n" + // 2
		"![Hội nghị](anh.jpg \"Toàn cảnh\")\n" + // 3
		"\n" + // 4
		"Đoạn dài, dòng một\n" + // 5
		"dòng hai có [liên kết hỏng](bai-cu.md) ở đây\n" + // 6
		"và ![](thieu.png) ở dòng ba.\n" + // 7
		"\n" + // 8
		"[Mục](/tin-tuc/), [tỉnh](https://x.vn/), https://y.vn/ và [tài liệu](tai-lieu.pdf).\n" + // 9
		"\n" + // 10
		"[ref]: bai-b.md\n" + // 11
		"Tham chiếu [ref].\n" // 12
	var (
		mu   sync.Mutex
		seen []string
	)
	link := func(dest string) (string, bool) {
		mu.Lock()
		seen = append(seen, dest)
		mu.Unlock()
		return siteLinks(dest)
	}
	res := mustConvert(t, newTestConverter(false), body, link)
	for _, want := range []string{
		`<a href="/tin-tuc/bai-b/">bài B</a>`,
		`<a href="/tin-tuc/bai-b/#phan-2">phần 2</a>`,
		`<img src="/tin-tuc/bai-a/anh.jpg" alt="Hội nghị" title="Toàn cảnh">`,
		`<a href="bai-cu.md">liên kết hỏng</a>`,
		`<a href="/bantin/tin-tuc/">Mục</a>`,
		`<a href="https://x.vn/">tỉnh</a>`,
		`<a href="https://y.vn/">https://y.vn/</a>`,
		`Tham chiếu <a href="/tin-tuc/bai-b/">ref</a>.`,
	} {
		if !bytes.Contains(res.HTML, []byte(want)) {
			t.Errorf("output lacks %s:\n%s", want, res.HTML)
		}
	}
	wantSeen := []string{"bai-b.md", "bai-b.md#phan-2", "anh.jpg", "bai-cu.md", "thieu.png", "/tin-tuc/", "https://x.vn/", "tai-lieu.pdf", "bai-b.md"}
	if !reflect.DeepEqual(seen, wantSeen) {
		t.Errorf("LinkFunc saw %q, want %q (no autolinks)", seen, wantSeen)
	}
	wantProblems := []Problem{
		{Line: 6, Msg: `broken link "bai-cu.md": no such page`},
		{Line: 7, Msg: `broken image "thieu.png": no such file`},
		{Line: 9, Msg: `broken link "tai-lieu.pdf": no such file`},
	}
	if !reflect.DeepEqual(res.Problems, wantProblems) {
		t.Errorf("Problems:\n got %+v\nwant %+v", res.Problems, wantProblems)
	}
	wantImages := []Ref{{Dest: "/tin-tuc/bai-a/anh.jpg", Line: 3}}
	if !reflect.DeepEqual(res.Images, wantImages) {
		t.Errorf("Images = %+v, want %+v", res.Images, wantImages)
	}
}

func TestBrokenLinkLine(t *testing.T) {
	body := "Đoạn một.\n\nĐoạn hai.\n\nXem [bài cũ](../tin-tuc/bai-cu.md).\n"
	res := mustConvert(t, newTestConverter(false), body, siteLinks)
	want := []Problem{{Line: 5, Msg: `broken link "../tin-tuc/bai-cu.md": no such page`}}
	if !reflect.DeepEqual(res.Problems, want) {
		t.Errorf("Problems = %+v, want %+v", res.Problems, want)
	}
}

func TestLineOfLinkWithoutText(t *testing.T) {
	body := "Đoạn một.\n" + // 1
		"\n" + // 2
		"Dòng ba\n" + // 3
		"[](bai-cu.md) và ![](thieu.png)\n" + // 4
		"\n" + // 5
		"[](a.md)[](b.md)\n" + // 6
		"- **x**\n" + // 7
		"  [](c.md)\n" // 8
	res := mustConvert(t, newTestConverter(false), body, siteLinks)
	var lines []int
	for _, p := range res.Problems {
		lines = append(lines, p.Line)
	}
	if want := []int{4, 4, 6, 6, 8}; !reflect.DeepEqual(lines, want) {
		t.Errorf("problem lines = %v, want %v (%+v)", lines, want, res.Problems)
	}
}

func TestLinkEscapes(t *testing.T) {
	var got string
	link := func(dest string) (string, bool) { got = dest; return "/a?x=1&y=\\2", true }
	res := mustConvert(t, newTestConverter(false), `[a](bai\_b.md?p=1&amp;q=2)`+"\n", link)
	if want := "bai_b.md?p=1&q=2"; got != want {
		t.Errorf("LinkFunc got %q, want %q", got, want)
	}
	if want := `<p><a href="/a?x=1&amp;y=%5C2">a</a></p>` + "\n"; string(res.HTML) != want {
		t.Errorf("HTML = %q, want %q", res.HTML, want)
	}
}

func TestNilLinkFunc(t *testing.T) {
	res := mustConvert(t, newTestConverter(false), "[a](bai-b.md)\n\n![x](anh.jpg)\n", nil)
	if want := "<p><a href=\"bai-b.md\">a</a></p>\n<p><img src=\"anh.jpg\" alt=\"x\"></p>\n"; string(res.HTML) != want {
		t.Errorf("HTML = %q, want %q", res.HTML, want)
	}
	if want := []Ref{{"anh.jpg", 3}}; !reflect.DeepEqual(res.Images, want) {
		t.Errorf("Images = %+v, want %+v", res.Images, want)
	}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("một hai ba bốn năm sáu bảy tám chín mười, ", 5)
	tests := []struct {
		name, in, want string
	}{
		{
			name: "starts with a heading",
			in:   "## Tin nổi bật\n\nNgày 18/11/2022, Ban Thường vụ **Đảng ủy Khối** đã tổ chức\n[hội nghị](bai-b.md) sơ kết.\n\nĐoạn hai.\n",
			want: "Ngày 18/11/2022, Ban Thường vụ Đảng ủy Khối đã tổ chức hội nghị sơ kết.",
		},
		{
			name: "long paragraph cut at 40 words",
			in:   long + "\n",
			want: strings.TrimSuffix(strings.Repeat("một hai ba bốn năm sáu bảy tám chín mười, ", 4), ", ") + "…",
		},
		{
			name: "exactly 40 words is not cut",
			in:   strings.Repeat("chữ ", 40) + "\n",
			want: strings.TrimSpace(strings.Repeat("chữ ", 40)),
		},
		{
			name: "photo-only paragraph and raw HTML skipped",
			in:   "![Ảnh](anh.jpg)\n\n<b></b>\n\nCâu   đầu\ttiên `mã` và \\*sao\\* &amp; www.x.vn.\n",
			want: "Câu đầu tiên mã và *sao* & www.x.vn.",
		},
		{
			name: "no paragraph",
			in:   "# Chỉ tiêu đề\n\n- mục một\n- mục hai\n",
			want: "",
		},
		{
			name: "footnotes are not a summary",
			in:   "# Tiêu đề[^1]\n\n[^1]: Chú thích.\n",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustConvert(t, newTestConverter(false), tt.in, nil)
			if res.Summary != tt.want {
				t.Errorf("Summary = %q, want %q", res.Summary, tt.want)
			}
		})
	}
	res := mustConvert(t, newTestConverter(false), long, nil)
	if n := len(strings.Fields(res.Summary)); n != summaryWords {
		t.Errorf("long summary has %d words, want %d", n, summaryWords)
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"Một hai ba.\n", 3},
		{"## Tiêu đề\n\nChữ **đậm**thêm và *nghiêng*.\n", 6}, // "đậmthêm" is one word
		{"dòng một\ndòng hai\n", 4},
		{"![không đếm](a.jpg) [có đếm](b.md) https://x.vn/\n", 3},
		{"- một\n- hai\n\n> ba bốn\n", 4},
		{"| a | b c |\n|---|---|\n| d | e |\n", 5},
		{"Chữ <b>đậm</b>\n", 2},
	}
	c := newTestConverter(false)
	for _, tt := range tests {
		if got := mustConvert(t, c, tt.in, nil).Words; got != tt.want {
			t.Errorf("Words(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	article, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		t.Fatal(err)
	}
	// The article has a little Markdown (list numbers, one link) that wc would count as words.
	if got, fields := mustConvert(t, c, string(article), nil).Words, len(strings.Fields(string(article))); got < fields-15 || got > fields {
		t.Errorf("article: Words = %d, want about %d", got, fields)
	}
}

func TestDeterministic(t *testing.T) {
	article, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		t.Fatal(err)
	}
	c := newTestConverter(false)
	first := mustConvert(t, c, string(article), siteLinks)
	for range 3 {
		if again := mustConvert(t, c, string(article), siteLinks); !reflect.DeepEqual(first, again) {
			t.Fatal("two conversions of the same body differ")
		}
	}
}

func TestConcurrent(t *testing.T) {
	article, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		t.Fatal(err)
	}
	bodies := []string{
		string(article),
		"## Kết luận\n\n## Kết luận\n\nXem [b](bai-b.md), [c](bai-cu.md).\n\n<div>x</div>\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n\nCâu[^1].\n\n[^1]: Chú.\n",
		"# Đảng ủy\n\n![x](anh.jpg)\n",
	}
	for _, unsafe := range []bool{false, true} {
		c := newTestConverter(unsafe)
		want := make([]Result, len(bodies))
		for i, b := range bodies {
			want[i] = mustConvert(t, c, b, siteLinks)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					k := (g + i) % len(bodies)
					got, err := c.Convert([]byte(bodies[k]), siteLinks)
					if err != nil {
						errs <- err
						return
					}
					if !reflect.DeepEqual(got, want[k]) {
						errs <- fmt.Errorf("goroutine %d: body %d converted differently", g, k)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}

// TestText: the plain text search indexes is the body's words, a line per
// block, without markup, link destinations or image alt text.
func TestText(t *testing.T) {
	c := New(Options{})
	res, err := c.ConvertWith([]byte("# Sơ kết\n\nĐoạn **một** có [liên kết](x.md) và `mã`.\n\n![ảnh](a.jpg)\n\n- mục 1\n- mục 2\n"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Sơ kết\nĐoạn một có liên kết và mã.\nmục 1\nmục 2\n"; res.Text != want {
		t.Errorf("Text = %q; want %q", res.Text, want)
	}
}
