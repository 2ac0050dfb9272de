package source

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"

	"bantin/internal/diag"
)

// FuzzParse: no front matter, however broken, panics or hangs the parser,
// and every line a diagnostic names is a line of the file (0 = the whole
// file). Seeded with the committee's real content files and the tricky cases of the
// unit tests; crashers found are kept in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	_ = filepath.WalkDir("../../content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	for _, s := range []string{
		allKeys, allKeysTOML, allKeysJSON,
		"---\ntitle: x\ndate: hôm qua\ntasks: 5\n---\n",
		"---\ntitle: x\ndate: 2022-11-24\ntags: [a, b\nsummary: c\n---\n",
		"+++\ntitle = \"x\"\ndate = 2022-11-24\n\n[[tasks]]\ntext = \"a\"\nstatus = \"xong\"\n+++\n",
		"{\n  \"title\": \"x\",\n  \"date\": \"2022-11-24\",\n}\n",
		"---\ntitle: x\n",
		"---\ntitle: x\ndate: 2022-11-24\nexpiry: 2022-11-01\nexpiryDate: mai\n---\n",
		"\n\n---\n---\n",
		"---\r\ntitle: x\r\n---\r\n",
		"---\n&a x: *a\n---\n",
		"{\n}\n",
		"+++\n+++\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p *Page
		var problems diag.List
		done := make(chan struct{})
		go func() { p, problems = Parse("content/tin-tuc/a.md", data, opts); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse took over 5s (a hang is a crasher too)")
		}
		lines := countLines(data)
		for _, d := range problems {
			if d.Line < 0 || d.Line > lines {
				t.Fatalf("line %d outside the file's %d lines: %v", d.Line, lines, d)
			}
			if d.Path != "content/tin-tuc/a.md" {
				t.Fatalf("path %q", d.Path)
			}
		}
		if p == nil {
			if !problems.HasErrors() {
				t.Fatalf("no page and no error")
			}
			return
		}
		if p.BodyLine < 1 || p.BodyLine > lines+1 {
			t.Fatalf("body line %d outside the file's %d lines", p.BodyLine, lines)
		}
		for _, s := range append([]string{p.Title, p.Summary, p.Category, p.Slug}, p.Tags...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		for _, pp := range p.Participants {
			if pp.Name == "" || pp.Line < 1 || pp.Line > lines {
				t.Fatalf("participant %+v (file has %d lines)", pp, lines)
			}
		}
		for _, tk := range p.Tasks {
			if tk.Text == "" || tk.Line < 1 || tk.Line > lines {
				t.Fatalf("task %+v (file has %d lines)", tk, lines)
			}
		}
	})
}

// countLines counts lines as an editor does: \n, \r\n and a lone \r (old Mac
// files; YAML reads it as a line break too) each end one.
func countLines(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Count(s, "\n") + strings.Count(s, "\r") + 1
}

// FuzzSplitBody checks that stopping the front-matter parser's input once
// the front matter is captured finds the same body as letting it read all.
func FuzzSplitBody(f *testing.F) {
	f.Add([]byte("---\ntitle: a\n---\nbody\n"))
	f.Add([]byte("\n\n+++\ntitle = 'a'\n+++\n\nbody"))
	f.Add([]byte("{\n\"title\": \"a\"\n}\n\nbody\n"))
	f.Add([]byte("{\n\"title\": \"a\"\n}\nx\n}\n\nbody\n"))
	f.Add(append([]byte("---\ntitle: a\n---\n"), bytes.Repeat([]byte("x\n"), 5000)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []byte
		capture := func(b []byte, _ any) error { return nil }
		formats := []*frontmatter.Format{
			frontmatter.NewFormat("---", "---", capture),
			frontmatter.NewFormat("+++", "+++", capture),
			{Start: "{", End: "}", Unmarshal: capture, UnmarshalDelims: true, RequiresNewLine: true},
		}
		rest, err := frontmatter.Parse(bytes.NewReader(data), nil, formats...)
		if err != nil {
			return
		}
		want = data[len(data)-len(rest):]
		_, body, _, err := split(data)
		if err != nil {
			return // front matter that does not parse: no body to compare
		}
		if !bytes.Equal(body, want) || (len(body) > 0 && &body[0] != &want[0]) {
			t.Fatalf("body %q, want %q", body, want)
		}
	})
}
