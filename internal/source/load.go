package source

import (
	"bantin/internal/viet"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"golang.org/x/sync/errgroup"

	"bantin/internal/diag"
)

// ContentDir is the folder under the site root that holds the pages.
const ContentDir = "content"

// Options tell Load how to read dates.
type Options struct {
	Location *time.Location
}

// Tree is the list of content files found by Scan.
type Tree struct {
	Files     []string            // .md files, site-root paths (content/…), sorted
	Resources map[string][]string // folder (site-root path) → its other files' names
}

// Scan walks content/ in fsys (the site root) without reading files.
func Scan(fsys fs.FS) (Tree, diag.List) {
	var problems diag.List
	t := Tree{Resources: map[string][]string{}}
	err := fs.WalkDir(fsys, ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == ContentDir {
				return fs.SkipDir
			}
			problems.Errorf(p, 0, "cannot read: %v", err)
			return nil
		}
		name := d.Name()
		if p != ContentDir && Ignored(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if strings.HasSuffix(name, ".md") {
			t.Files = append(t.Files, p)
		} else {
			dir := path.Dir(p)
			t.Resources[dir] = append(t.Resources[dir], name)
		}
		return nil
	})
	if err != nil {
		problems.Errorf(ContentDir, 0, "cannot read: %v", err)
	}
	sort.Strings(t.Files)
	return t, problems
}

// Ignored reports whether a file or folder name is an editor's temporary or
// hidden file that is never content (.swp, ~, #…#, .#…, vim's 4913).
func Ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || name == "4913"
}

// Load reads every .md file under content/ in fsys (the site root).
// It returns the pages in path order and every problem found; a page with
// errors is left out of the result.
func Load(fsys fs.FS, opts Options) ([]*Page, diag.List) {
	tree, problems := Scan(fsys)
	pages := make([]*Page, len(tree.Files))
	lists := make([]diag.List, len(tree.Files))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range tree.Files {
		g.Go(func() error {
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				lists[i].Errorf(f, 0, "cannot read: %v", err)
				return nil
			}
			pages[i], lists[i] = Parse(f, data, opts)
			return nil
		})
	}
	_ = g.Wait()

	out := pages[:0]
	for i, p := range pages {
		problems = append(problems, lists[i]...)
		if p == nil || lists[i].HasErrors() {
			continue
		}
		out = append(out, tree.Attach(p))
	}
	return out, problems
}

// Attach returns p with its bundle's resources from the tree (a copy when
// they differ, so cached pages stay unchanged).
func (t Tree) Attach(p *Page) *Page {
	if !p.Bundle {
		return p
	}
	res := t.Resources[ContentDir+"/"+p.Dir]
	if slices.Equal(res, p.Resources) {
		return p
	}
	c := *p
	c.Resources = res
	return &c
}

// normalize puts a file's text in the form every stage reads: no byte order
// mark (Notepad writes one; it is not on a line of its own, so lines count the
// same), NFC, \n line ends. It copies only when needed: a large site must not
// hold its text twice.
func normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = viet.NFCBytes(data)
	if bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	return data
}

// ReadBody reads p's body again from fsys, for a build that let go of the
// bodies after loading to bound its memory.
func ReadBody(fsys fs.FS, p *Page) ([]byte, error) {
	if p.Body != nil {
		return p.Body, nil
	}
	data, err := fs.ReadFile(fsys, p.File)
	if err != nil {
		return nil, err
	}
	data = normalize(data)
	if p.BodyStart > len(data) {
		return nil, fmt.Errorf("%s changed while building", p.File)
	}
	return data[p.BodyStart:], nil
}

// Parse decodes one content file. file is its path from the site root
// (content/section/name.md), used in messages and to place the page.
func Parse(file string, data []byte, opts Options) (*Page, diag.List) {
	var problems diag.List
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if bad := firstNonText(data); bad >= 0 {
		// The line of the first bad byte: a photo saved as .md fails on line 1,
		// a stray legacy-encoded letter deep in an article is found at once.
		line := 1 + bytes.Count(data[:bad], []byte("\n"))
		problems.Errorf(file, line, "not a UTF-8 text file: save it as UTF-8 Markdown, or move it out of content/")
		return nil, problems
	}
	data = normalize(data)

	p := &Page{File: file, Params: map[string]any{}}
	rel := strings.TrimPrefix(file, ContentDir+"/")
	p.Path = rel
	p.Dir = path.Dir(rel)
	if p.Dir == "." {
		p.Dir = ""
	}
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		p.Section = rel[:i]
	}
	base := path.Base(rel)
	switch {
	case base == "_index.md":
		p.Kind = ListMeta
	case base == "index.md" && p.Dir != "":
		p.Bundle = true
		p.Name = path.Base(p.Dir)
	default:
		p.Name = strings.TrimSuffix(base, ".md")
	}

	tree, body, bodyLine, err := split(data)
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			problems.Errorf(file, pe.line, "%s", pe.msg)
		} else {
			problems.Errorf(file, 1, "%v", err)
		}
		return nil, problems
	}
	p.Body, p.BodyLine = body, bodyLine
	p.BodyStart = len(data) - len(body)
	d := decoder{file: file, loc: opts.Location, problems: &problems}
	d.page(p, tree)
	return p, problems
}

// split separates front matter from the body and reads the front matter into a tree.
func split(data []byte) (tree *node, body []byte, bodyLine int, err error) {
	var fm struct {
		format string
		data   []byte
	}
	in := &stopReader{data: data}
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(b []byte, _ any) error {
			fm.format, fm.data = format, b
			in.stop = true // the body is not the parser's business: it would copy it all
			return nil
		}
	}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture("yaml")),
		frontmatter.NewFormat("+++", "+++", capture("toml")),
		{Start: "{", End: "}", Unmarshal: capture("json"), UnmarshalDelims: true, RequiresNewLine: true},
	}
	rest, err := frontmatter.Parse(in, nil, formats...)
	if err != nil {
		return nil, nil, 0, err
	}
	// The parser saw data[:in.off]; what it did not take as front matter
	// starts the body, which is the caller's bytes, not a copy of them.
	start := in.off - len(rest)
	rest = data[start:]
	bodyLine = 1 + bytes.Count(data[:start], []byte("\n"))
	if fm.format == "" {
		first := strings.TrimSpace(string(data[:bytes.IndexByte(append(data, '\n'), '\n')]))
		switch first {
		case "---", "+++":
			return nil, nil, 0, &parseError{line: 1, msg: fmt.Sprintf("front matter opened with %s on line 1 is never closed: add a line with %s after it", first, first)}
		case "{":
			return nil, nil, 0, &parseError{line: 1, msg: "JSON front matter must end with a line holding only } followed by an empty line"}
		}
		return nil, nil, 0, &parseError{line: 1, msg: "no front matter: start the file with a line ---, then title: and date:, then ---"}
	}
	// Line in the file of the front matter's first line.
	first := 1 + bytes.Count(data[:max(0, bytes.Index(data, fm.data))], []byte("\n"))
	switch fm.format {
	case "yaml":
		var ok bool
		if tree, ok = parseYAMLFast(fm.data, first); !ok {
			tree, err = parseYAML(fm.data, first)
		}
	case "toml":
		tree, err = parseTOML(fm.data, first)
	case "json":
		tree, err = parseJSON(fm.data, first)
	}
	if err != nil {
		return nil, nil, 0, err
	}
	if tree.kind == kNull {
		tree = &node{kind: kMap, line: first}
	}
	if tree.kind != kMap {
		return nil, nil, 0, &parseError{line: first, msg: "front matter must be a set of key: value lines"}
	}
	return tree, rest, bodyLine, nil
}

// stopReader hands data to the front-matter parser until its front matter is
// captured, then reports the end: the parser would otherwise copy the whole
// body into its own buffer (a third of the time of reading an article).
type stopReader struct {
	data []byte
	off  int
	stop bool
}

func (r *stopReader) Read(p []byte) (int, error) {
	if r.stop || r.off >= len(r.data) {
		return 0, io.EOF
	}
	n := copy(p, r.data[r.off:])
	r.off += n
	return n, nil
}

// firstNonText returns the offset of the first byte that is not UTF-8 text
// (invalid UTF-8 or NUL), or -1.
func firstNonText(data []byte) int {
	if utf8.Valid(data) {
		return bytes.IndexByte(data, 0)
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == 0 || (r == utf8.RuneError && n == 1) {
			return i
		}
		i += n
	}
	return -1
}
