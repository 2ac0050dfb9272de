package render

import (
	"html/template"
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Fixture views: small, with the shapes real views have.
type tcPhoto struct {
	File  string
	Width int
}

type tcImage struct{ Thumb, Srcset string }

type tcShape interface{ Area() float64 }

type tcCard struct {
	Title string
	Cover *tcPhoto
	Tags  []string
	Meta  map[string]string
	Extra any
	Shape tcShape
	note  string
}

func (c *tcCard) URL() string                 { return "/" + c.Title }
func (c tcCard) Head(n int) string            { return c.Title[:n] }
func (c *tcCard) Related() ([]*tcCard, error) { return nil, nil }

type tcPage struct {
	Title  string
	Cards  []*tcCard
	Card   *tcCard
	ByName map[string]*tcCard
	Counts [3]int
	Feed   chan tcPhoto
}

type tcNode struct {
	Name     string
	Children []*tcNode
}

func tcFuncs() template.FuncMap {
	return template.FuncMap{
		"photo":         func(p *tcPhoto) (tcImage, error) { return tcImage{}, nil },
		"add":           func(a, b int) int { return a + b },
		"upper":         strings.ToUpper,
		"join":          strings.Join,
		"partialCached": func(name string, data any, variant ...any) (template.HTML, error) { return "", nil },
	}
}

// tcParse parses files in name order into one set, as parseSet does, and
// returns the template named main.
func tcParse(t *testing.T, files map[string]string, funcs template.FuncMap, main string) *template.Template {
	t.Helper()
	set := template.New("").Funcs(funcs)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if _, err := set.New(n).Parse(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	return set.Lookup(main)
}

// tcCorrect reaches only what *tcPage has; TestTypeCheckCorrectRuns shows it runs.
const tcCorrect = `{{.Title}}{{range $i, $c := .Cards}}{{$i}}{{$c.Title}}{{.Cover.File}}{{end}}` +
	`{{with .Card}}{{.URL}} {{.Head 2}}{{range .Related}}{{.Title}}{{end}}{{end}}{{$t := .Title}}{{$t = "x"}}{{len $t}}` +
	`{{(photo .Card.Cover).Thumb}}{{.Card.Cover | photo}}{{join .Card.Tags ", "}}{{add 1 (len .Cards)}}{{.Title | upper}}` +
	`{{range $k, $v := .ByName}}{{$k}}{{$v.Title}}{{end}}{{range .Feed}}{{.Width}}{{end}}{{range 3}}{{.}}{{end}}` +
	`{{if and .Card .Card}}{{(and .Card .Card).Title}}{{else}}{{.Title}}{{end}}{{printf "%d" 1}}`

func TestTypeCheck(t *testing.T) {
	page := reflect.TypeFor[*tcPage]()
	card := "{{/* card */}}\n<h2>{{.Titel}}</h2>"
	for _, tc := range []struct {
		name  string
		files map[string]string // the template checked is page.html
		dot   reflect.Type
		want  []string
	}{
		{"correct", map[string]string{"page.html": tcCorrect}, page, nil},
		{"misspelt field", map[string]string{"page.html": "<h1>\n  {{.Titel}}</h1>"}, page,
			[]string{"page.html:2:4: can't evaluate field Titel in type *render.tcPage"}},
		{"range over pointers", map[string]string{"page.html": "{{range .Cards}}\n{{.Cover.File}}{{.Cover.Fil}}{{end}}"}, page,
			[]string{"page.html:2:23: can't evaluate field Fil in type *render.tcPhoto"}},
		{"range else keeps dot", map[string]string{"page.html": "{{range .Cards}}{{.Title}}{{else}}{{.Cover}}{{end}}"}, page,
			[]string{"page.html:1:36: can't evaluate field Cover in type *render.tcPage"}},
		{"range index is int", map[string]string{"page.html": "{{range $i, $c := .Cards}}{{$i.X}}{{end}}"}, page,
			[]string{"page.html:1:30: can't evaluate field X in type int"}},
		{"range over map and int", map[string]string{"page.html": "{{range .ByName}}{{.Nom}}{{end}}{{range 2}}{{.X}}{{end}}"}, page,
			[]string{"page.html:1:19: can't evaluate field Nom in type *render.tcCard",
				"page.html:1:45: can't evaluate field X in type int"}},
		{"with on a pointer", map[string]string{"page.html": "{{with .Card}}{{.Cover}}{{.Covr}}{{else}}{{.Cards}}{{end}}"}, page,
			[]string{"page.html:1:26: can't evaluate field Covr in type *render.tcCard"}},
		{"dollar inside range", map[string]string{"page.html": "{{range .Cards}}{{$.Title}}{{$.Cover}}{{end}}"}, page,
			[]string{"page.html:1:30: can't evaluate field Cover in type *render.tcPage"}},
		{"outer variable", map[string]string{"page.html": "{{$c := .Card}}{{range .Cards}}\n{{$c.Cover.Widht}}{{end}}"}, page,
			[]string{"page.html:2:4: can't evaluate field Widht in type *render.tcPhoto"}},
		{"assignment keeps or widens", map[string]string{"page.html": "{{$x := .Card}}{{$x = .Title}}{{$x.Any}}" +
			"{{$y := .Card}}{{if .Title}}{{$y = .Card}}{{end}}{{$y.Nope}}"}, page,
			[]string{"page.html:1:93: can't evaluate field Nope in type *render.tcCard"}},
		{"template call", map[string]string{"page.html": `{{template "partials/card.html" .Card}}{{template "partials/card.html" .Card}}`,
			"partials/card.html": card}, page,
			[]string{"partials/card.html:2:6: can't evaluate field Titel in type *render.tcCard"}},
		{"missing template", map[string]string{"page.html": `{{template "nope" .}}`}, page,
			[]string{`page.html:1:11: no such template "nope"`}},
		{"template without pipeline", map[string]string{"page.html": `{{template "partials/card.html"}}`, "partials/card.html": card}, page,
			[]string{`partials/card.html:2:6: can't evaluate field Titel: dot is nil in template "partials/card.html" (invoked without a pipeline)`}},
		{"exec function", map[string]string{"page.html": `{{partialCached "partials/card.html" .Card "v"}}{{partialCached (.Title) .}}`,
			"partials/card.html": card}, page,
			[]string{"partials/card.html:2:6: can't evaluate field Titel in type *render.tcCard"}},
		{"exec function, missing template", map[string]string{"page.html": `{{partialCached "partials/none.html" .}}`}, page,
			[]string{`page.html:1:16: no such template "partials/none.html"`}},
		{"methods", map[string]string{"page.html": "{{.Card.Head 1}}{{.Card.Head}}\n{{.Card.Head \"x\"}}{{(.Card.Head 1).X}}{{range .Card.Related}}{{.Titel}}{{end}}"}, page,
			[]string{"page.html:1:23: wrong number of args for Head: want 1 got 0",
				`page.html:2:13: argument 1 of Head: expected int; got "x"`,
				"page.html:2:34: can't evaluate field X in type string",
				"page.html:2:63: can't evaluate field Titel in type *render.tcCard"}},
		{"map access", map[string]string{"page.html": "{{.ByName.any.Title}}{{.ByName.x.Titel}}{{.Card.Meta.k.X}}"}, page,
			[]string{"page.html:1:30: can't evaluate field Titel in type *render.tcCard",
				"page.html:1:47: can't evaluate field X in type string"}},
		{"interfaces are permissive", map[string]string{"page.html": "{{.Card.Extra.A.B}}{{.Card.Shape.Area}}{{.Card.Shape.Other}}{{(.Card.Shape.Area).X}}"}, page,
			[]string{"page.html:1:80: can't evaluate field X in type float64"}},
		{"dot of type any", map[string]string{"page.html": `{{.A.B}}{{range .L}}{{.X}}{{end}}{{template "p" .Q}}{{define "p"}}{{.Z}}{{end}}`},
			reflect.TypeFor[any](), nil},
		{"index slice len", map[string]string{"page.html": `{{(index .Cards 0).Titel}}{{(index .ByName "a").Title}}{{(index .Counts 1).X}}` +
			`{{(slice .Cards 1).X}}{{(len .Cards).X}}{{(index .Title 0).X}}{{index .Card 0}}`}, page,
			[]string{"page.html:1:18: can't evaluate field Titel in type *render.tcCard",
				"page.html:1:74: can't evaluate field X in type int",
				"page.html:1:96: can't evaluate field X in type []*render.tcCard",
				"page.html:1:114: can't evaluate field X in type int",
				"page.html:1:136: can't evaluate field X in type uint8",
				"page.html:1:142: can't index item of type render.tcCard"}},
		{"function results and arguments", map[string]string{"page.html": "{{(photo .Card.Cover).Thumbnail}}{{photo .Title}}\n" +
			`{{add 1}}{{add 1 "x"}}{{.Card | upper}}{{.Card.Title 3}}`}, page,
			[]string{"page.html:1:21: can't evaluate field Thumbnail in type render.tcImage",
				"page.html:1:41: argument 1 of photo: expected *render.tcPhoto; got string",
				"page.html:2:2: wrong number of args for add: want 2 got 1",
				`page.html:2:17: argument 2 of add: expected int; got "x"`,
				"page.html:2:32: argument 1 of upper: expected string; got *render.tcCard",
				"page.html:2:46: Title has arguments but cannot be invoked as function"}},
		{"unexported field", map[string]string{"page.html": "{{.Card.note}}"}, page,
			[]string{"page.html:1:7: note is an unexported field of struct type *render.tcCard"}},
		{"recursion terminates", map[string]string{"page.html": `{{define "tree"}}{{.Name}}{{range .Children}}{{template "tree" .}}{{.Nam}}{{end}}{{end}}{{template "tree" .}}`},
			reflect.TypeFor[*tcNode](), []string{"page.html:1:68: can't evaluate field Nam in type *render.tcNode"}},
		{"block inheritance", map[string]string{
			"base.html": `{{define "base"}}<main>{{block "main" .}}{{.Title}}{{end}}</main>{{end}}`,
			"page.html": "{{template \"base\" .}}{{define \"main\"}}\n  {{.Titel}}{{end}}"}, page,
			[]string{"page.html:2:4: can't evaluate field Titel in type *render.tcPage"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := tcParse(t, tc.files, tcFuncs(), "page.html")
			var got []string
			for _, e := range typeCheck(tmpl, tc.dot, tcFuncs(), map[string]int{"partialCached": 1}) {
				got = append(got, e.Error())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// TestTypeCheckCorrectRuns executes the template the checker passes, so
// "correct" is text/template's verdict, not only the checker's.
func TestTypeCheckCorrectRuns(t *testing.T) {
	feed := make(chan tcPhoto, 1)
	feed <- tcPhoto{Width: 3}
	close(feed)
	c := &tcCard{Title: "Hai", Cover: &tcPhoto{File: "a.jpg"}, Tags: []string{"x", "y"}}
	p := &tcPage{Title: "T", Cards: []*tcCard{c}, Card: c, ByName: map[string]*tcCard{"a": c}, Feed: feed}
	tmpl := tcParse(t, map[string]string{"page.html": tcCorrect}, tcFuncs(), "page.html")
	if err := tmpl.Execute(io.Discard, p); err != nil {
		t.Fatal(err)
	}
}

// TestTypeCheckUnknownFunction: a function the parse knew but the checker's map lacks.
func TestTypeCheckUnknownFunction(t *testing.T) {
	funcs := tcFuncs()
	funcs["nope"] = func() string { return "" }
	tmpl := tcParse(t, map[string]string{"page.html": "{{nope}}"}, funcs, "page.html")
	got := typeCheck(tmpl, reflect.TypeFor[*tcPage](), tcFuncs(), nil)
	want := []TypeError{{Template: "page.html", Line: 1, Col: 2, Msg: `function "nope" not defined`}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestTypeCheckBuiltinLayouts runs the checker over every built-in layout:
// it must not panic, and with dot of type any it has nothing to report.
func TestTypeCheckBuiltinLayouts(t *testing.T) {
	files := map[string]string{}
	err := fs.WalkDir(os.DirFS("layouts"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS("layouts"), p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Declare whatever functions the layouts call, so this test does not
	// depend on the FuncMap the rest of the package is built with.
	funcs := template.FuncMap{}
	undefined := regexp.MustCompile(`function "([^"]+)" not defined`)
	var set *template.Template
	for {
		set = template.New("").Funcs(funcs)
		var err error
		for n, text := range files {
			if _, err = set.New(n).Parse(text); err != nil {
				break
			}
		}
		m := undefined.FindStringSubmatch(errString(err))
		if m == nil {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		funcs[m[1]] = func(...any) any { return nil }
	}
	exec := map[string]int{"partialCached": 1}
	for _, tmpl := range set.Templates() {
		if errs := typeCheck(tmpl, reflect.TypeFor[any](), funcs, exec); len(errs) > 0 {
			t.Errorf("%s with dot any: %v", tmpl.Name(), errs)
		}
		typeCheck(tmpl, reflect.TypeFor[struct{ Site, Page *tcPage }](), funcs, exec)
		typeCheck(tmpl, nil, funcs, exec)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
