package source

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bantin/internal/testcorpus"
)

// fastCases are front matters for the differential tests. path: "fast" must
// take the fast path, "slow" must not, "" may do either.
var fastCases = []struct {
	name, in, path string
}{
	{"empty", "", "fast"},
	{"blank lines", "\n\n  \n", "fast"},
	{"only comments", "# a\n  # b\n", "fast"},
	{"one key", "title: x\n", "fast"},
	{"no final newline", "title: x", "fast"},
	{"plain vietnamese", "title: Hội nghị Ban Chấp hành Đảng bộ Khối lần thứ 14\n", "fast"},
	{"emoji", "title: Chúc mừng 🎉 năm mới\nnote: \"🇻🇳\"\n", "fast"},
	{"double quoted", "title: \"Sơ kết: 1 năm, quy chế # phối hợp\"\n", "fast"},
	{"double quoted escapes", `title: "a \"b\" c\\d\ne\tf"` + "\n", "fast"},
	{"double quoted slash escape", `title: "a\/b"` + "\n", "slow"},
	{"double quoted unicode escape", `title: "\u00e0"` + "\n", "slow"},
	{"double quoted empty", "title: \"\"\n", "fast"},
	{"double quoted spaces", "title: \"  a  \"  \n", "fast"},
	{"double quoted comment", "title: \"a\" # c\n", "fast"},
	{"double quoted then text", "title: \"a\" b\n", "slow"},
	{"double quoted hash glued", "title: \"a\"#b\n", "slow"},
	{"double quoted unclosed", "title: \"a\n  b\"\n", "slow"},
	{"single quoted", "x: 'it''s'\n", "fast"},
	{"single quoted empty", "x: ''\n", "fast"},
	{"single quoted backslash", `x: 'a\nb'` + "\n", "fast"},
	{"single quoted multi-line", "x: 'a\n  b'\n", "slow"},
	{"plain colon inside", "a: a:b\nurl: https://example.com/x?y=1\n", "fast"},
	{"plain hash inside", "a: a#b\n", "fast"},
	{"plain comment", "a: a #b\n", "fast"},
	{"plain comment spaces", "a: a   # b  \n", "fast"},
	{"plain spaced", "key:   spaced   \n", "fast"},
	{"plain inner spaces", "key: a   b\n", "fast"},
	{"plain colon space", "a: b: c\n", "slow"},
	{"plain ends in colon", "a: b:\n", "slow"},
	{"plain colon comment", "a: b: # c\n", "slow"},
	{"plain quotes inside", "a: Nói \"không\" với 'tham nhũng'\n", "fast"},
	{"plain brackets inside", "a: b [c] {d}, e\n", "fast"},
	{"plain indicators inside", "a: b & c * d ! e | f > g % h @ i ` j ? k - l\n", "fast"},
	{"plain negative", "a: -12\nb: -x\n", "fast"},
	{"plain dash space", "a: - b\n", "slow"},
	{"plain question", "a: ?b\n", "slow"},
	{"plain dots", "a: ...\nb: ---\n", ""},
	{"date", "date: 2022-11-24\n", "fast"},
	{"datetime", "date: 2023-12-20T08:30:00+07:00\nd2: 2025-02-03 10:00\n", "fast"},
	{"date slashes", "date: 18/07/2024\n", "fast"},
	{"numbers and bools", "a: 12\nb: 1.5\nc: true\nd: yes\ne: .inf\nf: 0x1F\ng: 1_000\n", "fast"},
	{"nulls", "a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: nULL\ng: \"null\"\nh: '~'\n", "fast"},
	{"null comment", "a: # c\nb:    \n", "fast"},
	{"null last", "a: 1\nb:", "fast"},
	{"tag null", "a: !!null x\n", "slow"},
	{"tag str", "a: !!str 12\n", "slow"},
	{"anchor", "a: &x 1\nb: *x\n", "slow"},
	{"merge", "a: {x: 1}\n<<: {y: 2}\n", "slow"},
	{"block literal", "a: |\n  x\n  y\n", "slow"},
	{"block folded", "a: >-\n  x\n  y\n", "slow"},
	{"multi-line plain", "a: x\n  y\n", "slow"},
	{"multi-line plain after blank", "a: x\n\n  y\n", "slow"},
	{"multi-line plain after comment", "a: x\n# c\n  y\n", "slow"},
	{"value below key", "a:\n  x\n", "slow"},
	{"duplicate key", "a: 1\nb: 2\na: 3\n", "slow"},
	{"duplicate nested key", "v:\n  a: 1\n  a: 2\n", "slow"},
	{"duplicate flow key", "v: {a: 1, a: 2}\n", "slow"},
	{"tab", "a:\tx\n", "slow"},
	{"tab indent", "a:\n\t- x\n", "slow"},
	{"crlf", "title: x\r\ntags:\r\n  - a\r\n  - \"b\"\r\n# c\r\nv: {a: 1}\r\n", "fast"},
	{"lone cr", "title: x\ry: 1\n", "slow"},
	{"bom", "\ufefftitle: x\n", "slow"},
	{"bom inside", "title: x\n\ufeffy: 1\n", "slow"},
	{"nel", "title: a\u0085b\n", "slow"},
	{"line separator", "title: a\u2028b\n", "slow"},
	{"nbsp", "title: a\u00a0\nb: \u00a0x\n", "fast"},
	{"control", "title: a\x01b\n", "slow"},
	{"invalid utf-8", "title: a\xffb\n", "slow"},
	{"document start", "---\ntitle: x\n", "slow"},
	{"document end", "title: x\n...\ny: 1\n", "slow"},
	{"directive", "%YAML 1.2\n---\ntitle: x\n", "slow"},
	{"key with space before colon", "a : 1\n", "slow"},
	{"key glued", "a:1\n", "slow"},
	{"quoted key", "\"a\": 1\n", "slow"},
	{"numeric key", "1: x\n", "slow"},
	{"key chars", "event_date: 1\nx-y: 2\n_z: 3\nA9: 4\n", "fast"},
	{"key null", "null: 1\ntrue: 2\n", "fast"},
	{"indented top", "  a: 1\n  b: 2\n", "fast"},
	{"indented top then less", "  a: 1\nb: 2\n", "slow"},
	{"top scalar", "hello\n", "slow"},
	{"top list", "- a\n- b\n", "slow"},
	{"top flow", "{a: 1}\n", "slow"},
	{"list", "tags:\n  - a\n  - \"b c\"\n  - 'd'\n  - 2022-11-24\n  - ~\nnext: 1\n", "fast"},
	{"list same indent", "tags:\n- a\n- b\nnext: 1\n", "fast"},
	{"list deeper", "tags:\n    - a\n    - b\n", "fast"},
	{"list misaligned", "tags:\n  - a\n   - b\n", "slow"},
	{"list misaligned less", "tags:\n    - a\n  - b\n", "slow"},
	{"list comments between", "tags:\n  # first\n  - a\n\n# out\n  - b # c\n    # in\nnext: 1\n", "fast"},
	{"list empty item", "tags:\n  - a\n  -\n  - b\n", "slow"},
	{"list empty item comment", "tags:\n  - # c\n", "slow"},
	{"list nested", "tags:\n  - - a\n", "slow"},
	{"list item continued", "tags:\n  - a\n    b\n", "slow"},
	{"list same indent continued", "tags:\n- a\n  b\n", "slow"},
	{"list of maps", "tasks:\n  - text: \"a\"\n    lead: Ban Tổ chức\n    due: 2024-01\n  - text: b\n  - \"c\"\n", "fast"},
	{"list of maps same indent", "tasks:\n- text: a\n  lead: b\n- text: c\nnext: 1\n", "fast"},
	{"list of maps wide dash", "tasks:\n  -   text: a\n      lead: b\n", "fast"},
	{"list of maps misaligned", "tasks:\n  - text: a\n     lead: b\n", "slow"},
	{"list of maps misaligned less", "tasks:\n  - text: a\n   lead: b\n", "slow"},
	{"list of maps nested list", "tasks:\n  - text: a\n    support:\n      - x\n      - y\n    due: 1\n", "fast"},
	{"list of maps nested list same indent", "tasks:\n  - text: a\n    support:\n    - x\n    - y\n    due: 1\n", "fast"},
	{"list of maps first key list", "tasks:\n  - support:\n    - x\n  - support:\n      - y\n", "fast"},
	{"list of maps null", "tasks:\n  - text:\n  - text:\n    due: 1\n", "fast"},
	{"list of maps null then item", "tasks:\n- text:\n- b\n", "fast"},
	{"list of maps duplicate", "tasks:\n  - a: 1\n    a: 2\n", "slow"},
	{"list of flow maps", "participants:\n  - {name: Vũ Hữu Thi, role: \"Bí thư, Đảng ủy\", chair: true}\n  - {name: 'A', id: lvb-1976}\n", "fast"},
	{"nested maps", "video:\n  id: x\n  title: y\n  more:\n    deep: z\n    list:\n      - 1\nnext: 2\n", "fast"},
	{"nested map misaligned", "video:\n  id: x\n   title: y\n", "slow"},
	{"nested map less", "video:\n    id: x\n  title: y\n", "slow"},
	{"nested after comment", "video:\n# c\n  id: x\n", "fast"},
	{"flow list", "tags: [học tập nghị quyết, tổ chức cơ sở đảng]\n", "fast"},
	{"flow list quoted", "aliases: [\"/tin-cu/a/\", 'b''c', \"x, y\"]\n", "fast"},
	{"flow list empty", "a: []\nb: [ ]\nc: {}\nd: { }\n", "fast"},
	{"flow list spaces", "a: [  a  ,b,   c d   ]   # c\n", "fast"},
	{"flow list nulls", "a: [~, null, x]\n", "fast"},
	{"flow list empty item", "a: [a, , b]\n", "slow"},
	{"flow list trailing comma", "a: [a, b,]\n", "slow"},
	{"flow list multi-line", "a: [a,\n  b]\n", "slow"},
	{"flow list colon", "a: [a:b]\nb: [a: b]\n", "slow"},
	{"flow list hash", "a: [a #b]\n", "slow"},
	{"flow list then text", "a: [a] b\n", "slow"},
	{"flow nested", "a: [[a, b], {c: d}]\nb: {text: x, support: [y, z], due: 2022-12}\n", "fast"},
	{"flow map", "video: {youtube: Xk3pQ7vRt2M}\n", "fast"},
	{"flow map glued", "video: {a:b}\n", "slow"},
	{"flow map empty value", "video: {a: }\n", "slow"},
	{"flow map key only", "video: {a}\n", "slow"},
	{"flow map quoted key", "video: {\"a\": 1}\n", "slow"},
	{"long key", strings.Repeat("k", 2000) + ": x\n", "slow"},
	{"long value", "title: " + strings.Repeat("chữ ", 600) + "\n", "fast"},
	{"long quoted value", "title: \"" + strings.Repeat("chữ ", 600) + "\"\n", "fast"},
	{"long list item", "tags:\n  - " + strings.Repeat("chữ ", 600) + "\n", "fast"},
	{"flow quoted brackets", "a: [\"a]\", 'b,c', \"{d}\"]\nb: {x: \"1, 2}\"}\n", "fast"},
	{"flow plain quotes inside", "a: [a'b, c\"d]\n", "fast"},
	{"flow in list", "a:\n  - {}\n  - []\n  - [x, {y: z}]\n", "fast"},
	{"merge-like values", "a: <<\nb: =\nc: <\n", "fast"},
	{"key spaces then block", "a:   \n  b: 1\n", "fast"},
	{"lone hash", "a: x #\nb: #\n", "fast"},
	{"list of maps comments", "tasks:\n  - text: a\n    # c\n\n    lead: b # c\n  # c\n  - text: c\n", "fast"},
	{"deep", "a:\n b:\n  c:\n   d:\n    e:\n     f: 1\n", "fast"},
	{"real article", "# Chuyển từ bài gốc.\n#   nhiệm vụ 2: \"x\" → \"y\"\ntitle: \"Sơ kết 1 năm\"\ndate: 2022-11-24 08:00\ntags: [phát triển đảng viên, quy chế phối hợp]\nparticipants:\n  - {name: Vũ Hữu Thi, role: \"Ủy viên BCH, Bí thư\", chair: true}\n  - \"Trần Thị Hà — Trưởng Ban Tổ chức\"\ntasks:\n  - text: \"Nắm bắt tình hình\"\n    lead: Ban Quản lý các Khu công nghiệp tỉnh\n    support: [Ban Quản lý, Đảng ủy Khối]\n    due: 2022-12\n  - \"Tổ chức kết nạp\"\n# Placeholder ID\nvideo: {youtube: Hq9LmT4wZc8}\n", "fast"},
}

// checkFast compares parseYAMLFast with parseYAML on in; it reports whether
// the fast path was taken.
func checkFast(t *testing.T, in []byte, first int) bool {
	t.Helper()
	got, ok := parseYAMLFast(in, first)
	if !ok {
		if got != nil {
			t.Errorf("%q: not ok but a tree", in)
		}
		return false
	}
	want, err := parseYAML(in, first)
	if err != nil {
		t.Fatalf("%q: fast path took what yaml/v3 rejects: %v\nfast: %s", in, err, dumpNode(got))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\nfast:   %s\nyamlv3: %s", in, dumpNode(got), dumpNode(want))
	}
	return true
}

// dumpNode writes a tree on one line, nil and empty slices told apart.
func dumpNode(n *node) string {
	if n == nil {
		return "<nil>"
	}
	var b strings.Builder
	var dump func(n *node)
	dump = func(n *node) {
		fmt.Fprintf(&b, "%d@%d", n.kind, n.line)
		switch n.kind {
		case kScalar:
			fmt.Fprintf(&b, "%q", n.str)
		case kList:
			b.WriteString("[")
			if n.list == nil {
				b.WriteString("nil")
			}
			for _, v := range n.list {
				dump(v)
				b.WriteString(" ")
			}
			b.WriteString("]")
		case kMap:
			b.WriteString("{")
			if n.keys == nil {
				b.WriteString("nil")
			}
			for i, k := range n.keys {
				fmt.Fprintf(&b, "%s:", k)
				dump(n.vals[i])
				b.WriteString(" ")
			}
			b.WriteString("}")
		default:
			if n.str != "" {
				fmt.Fprintf(&b, "%q", n.str)
			}
		}
	}
	dump(n)
	return b.String()
}

func TestParseYAMLFast(t *testing.T) {
	for _, c := range fastCases {
		t.Run(c.name, func(t *testing.T) {
			fast := checkFast(t, []byte(c.in), 2)
			switch {
			case c.path == "fast" && !fast:
				t.Errorf("%q took the slow path", c.in)
			case c.path == "slow" && fast:
				t.Errorf("%q took the fast path", c.in)
			}
			// Lines count from first wherever the front matter starts.
			checkFast(t, []byte(c.in), 7)
		})
	}
}

// yamlFrontMatter returns the YAML front matter of a content file.
func yamlFrontMatter(data []byte) ([]byte, bool) {
	data = normalize(data)
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return nil, false
	}
	for i := 0; i < len(rest); {
		end := bytes.IndexByte(rest[i:], '\n')
		if end < 0 {
			end = len(rest) - i
		}
		if string(rest[i:i+end]) == "---" {
			return rest[:i], true
		}
		i += end + 1
	}
	return nil, false
}

// checkFastFiles runs the differential check over the YAML front matters of
// the .md files under dir and returns how many there were and how many took
// the fast path.
func checkFastFiles(t *testing.T, dir string) (n, fast int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if fm, ok := yamlFrontMatter(data); ok {
			n++
			if checkFast(t, fm, 2) {
				fast++
			} else {
				t.Logf("slow path: %s", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, fast
}

func TestParseYAMLFastContent(t *testing.T) {
	n, fast := checkFastFiles(t, "../../content")
	t.Logf("content: %d of %d front matters took the fast path", fast, n)
	if n < 10 || fast != n {
		t.Errorf("content: %d of %d front matters took the fast path", fast, n)
	}
}

func TestParseYAMLFastCorpus(t *testing.T) {
	const seed = 1
	cast := testcorpus.NewCast(seed)
	n, fast := 0, 0
	for i := 1; i <= 500; i++ {
		a := testcorpus.Generate(i, seed, cast)
		fm, ok := yamlFrontMatter(a.Body)
		if !ok {
			t.Fatalf("%s: no YAML front matter", a.Path)
		}
		n++
		if checkFast(t, fm, 2) {
			fast++
		} else {
			t.Errorf("slow path: %s", a.Path)
		}
	}
	t.Logf("generated corpus: %d of %d front matters took the fast path", fast, n)

	const big = "/root/.cache/bantin-compare/n1000-bantin/content"
	if _, err := os.Stat(big); err != nil {
		t.Logf("skipping %s: %v", big, err)
		return
	}
	n, fast = checkFastFiles(t, big)
	t.Logf("%s: %d of %d front matters took the fast path", big, fast, n)
	if fast != n {
		t.Errorf("%s: %d of %d front matters took the fast path", big, fast, n)
	}
}

// TestParseYAMLFastRandom runs the differential check over front matters
// built at random: trees of mostly well-formed YAML, each line now and then
// knocked out of shape. They reach the corners of the subset far sooner than
// the fuzzer's byte mutations.
func TestParseYAMLFastRandom(t *testing.T) {
	keys := []string{"a", "b", "title", "x-y", "_k", "null", "k1"}
	badKeys := []string{"1", "\"q\"", "'q'", "a b", "<<", "? a", "a.b", "-a", "a:b", "~"}
	vals := []string{"x", "x y", "Hội nghị, Đảng ủy", "a:b", "a#c", "a #c", "~", "null", "NULL", "Null", "-1", "...", "x  ",
		"\"q\"", "\"a\\\"b\\n\\\\\"", "\"a: b # c\"", "'it''s'", "''", "\"\"", "\"a\" # c", "[a, b]", "[]", "{}", "[ a b ,c ]",
		"[a, [b, c]]", "{a: 1, b: [x]}", "[\"a\" , 'b']", "[~, null]", "[-1, ., a'b, a\"b]", "{ a: b }", "[ ]", "2022-11-24",
		"12:30", "2023-12-20T08:30:00+07:00", "🎉", "\u00a0x", "x\u00a0", "a, b", "a [b] {c}", "a ? b", "a | b > c", "a*b&c!d%e@f`g"}
	badVals := []string{"", "a: b", "a:", "-", "- x", "--- ", "\"a\\/\"", "'", "\"", "\"a\"#c", "{a: 1, a: 2}", "[a,]", "{a:1}",
		"[a:b]", "[a: b]", "[a", "{a: b", "|", ">-", "&x a", "*x", "!!str a", "%", "@a", "`a", "?", ":", ": a", "a :", "# c",
		"a\tb", "\"a\\u00e0\"", "[a #b]", "{a}", "{a: }", "[a, , b]", "[a?b]", "{\"a\": b}", "[a]b", "'a'b"}
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(good, bad []string) string {
		if rnd.IntN(30) == 0 {
			return bad[rnd.IntN(len(bad))]
		}
		return good[rnd.IntN(len(good))]
	}
	var lines []string
	line := func(indent int, s string) {
		if rnd.IntN(40) == 0 {
			indent += []int{-2, -1, 1, 2}[rnd.IntN(4)]
		}
		if rnd.IntN(15) == 0 {
			s += pick([]string{" ", "  # c", " #"}, []string{"\t", "\r", " \t"})
		}
		lines = append(lines, strings.Repeat(" ", max(0, indent))+s)
		if rnd.IntN(12) == 0 {
			lines = append(lines, pick([]string{"", "# c", strings.Repeat(" ", rnd.IntN(8)) + "# c", "   "}, []string{"---", "...", "x", "  x"}))
		}
	}
	var block func(indent, depth int, seq bool, prefix string)
	// value writes a key's or an item's value: after prefix on its line, or below it.
	value := func(indent, depth int, prefix string) {
		if depth < 4 && rnd.IntN(4) == 0 {
			line(indent, strings.TrimRight(prefix, " "))
			step := 1 + rnd.IntN(4)
			seq := rnd.IntN(2) == 0
			if seq && strings.HasSuffix(prefix, ":") && rnd.IntN(2) == 0 {
				step = 0 // tags:\n- a
			}
			block(indent+step, depth+1, seq, "")
			return
		}
		line(indent, prefix+pick([]string{" ", "  "}, []string{"", "   "})+pick(vals, badVals))
	}
	block = func(indent, depth int, seq bool, prefix string) {
		n := 1 + rnd.IntN(4)
		for i := range n {
			p := ""
			if i == 0 {
				p = prefix
			}
			if seq {
				dash := pick([]string{"- "}, []string{"-", "-   ", "- - "})
				if rnd.IntN(3) == 0 {
					// - key: value, the next keys under key
					block(indent+len(dash), depth+1, false, dash)
					continue
				}
				value(indent, depth, strings.TrimRight(dash, " "))
				continue
			}
			key := pick(keys, badKeys) + pick([]string{":"}, []string{" :", ":x"})
			if p != "" {
				// The first key of an item shares the dash's line.
				value(indent-len(p), depth, p+key)
				continue
			}
			value(indent, depth, key)
		}
	}
	n, fast := 0, 0
	for range 20000 {
		lines = lines[:0]
		block(rnd.IntN(3)/2, 0, false, "")
		sep := "\n"
		if rnd.IntN(10) == 0 {
			sep = "\r\n"
		}
		n++
		if checkFast(t, []byte(strings.Join(lines, sep)+sep), 2) {
			fast++
		}
	}
	t.Logf("%d of %d random front matters took the fast path", fast, n)
}

// FuzzParseYAMLFast: whatever the fast path accepts, yaml/v3 accepts too and
// reads into the same tree.
func FuzzParseYAMLFast(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c.in))
	}
	_ = filepath.WalkDir("../../content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			if b, err := os.ReadFile(p); err == nil {
				if fm, ok := yamlFrontMatter(b); ok {
					f.Add(fm)
				}
			}
		}
		return nil
	})
	cast := testcorpus.NewCast(1)
	for i := 1; i <= 3; i++ {
		if fm, ok := yamlFrontMatter(testcorpus.Generate(i, 1, cast).Body); ok {
			f.Add(fm)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data, 2)
	})
}

func BenchmarkParseYAML(b *testing.B) {
	fm, ok := yamlFrontMatter(testcorpus.Generate(1, 1, testcorpus.NewCast(1)).Body)
	if !ok {
		b.Fatal("no front matter")
	}
	if _, ok := parseYAMLFast(fm, 2); !ok {
		b.Fatal("the fast path refused the corpus's front matter")
	}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(fm)))
		for b.Loop() {
			parseYAMLFast(fm, 2)
		}
	})
	b.Run("yamlv3", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(fm)))
		for b.Loop() {
			if _, err := parseYAML(fm, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
}
