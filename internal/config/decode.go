package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"bantin/internal/diag"
)

// decoder fills a Config from site.yaml's tree one key at a time, so that
// every unknown key, wrong type and duplicate is reported, each at its own
// place, instead of the first one a strict decode happens to meet (go-yaml
// checks unknown keys in map order).
type decoder struct {
	problems []problem
	anchors  map[string]ast.Node
	keys     map[string]ast.Node // the key node of each path set ("images.widths", "menu[1].url")
	values   map[string]ast.Node // the value node of each path set, aliases resolved
	failed   map[string]bool     // paths whose value could not be decoded
}

// problem is a diagnostic and the column it sorts by: a bad value is
// printed without its column, as before, but sorts where it was written.
type problem struct {
	diag.Diagnostic
	col int
}

func newDecoder() *decoder {
	return &decoder{anchors: map[string]ast.Node{},
		keys: map[string]ast.Node{}, values: map[string]ast.Node{}, failed: map[string]bool{}}
}

// errorAt adds a problem at n's line and column.
func (d *decoder) errorAt(n ast.Node, format string, args ...any) {
	line, col := pos(n)
	d.problems = append(d.problems, problem{diag.Diagnostic{Path: File, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}, col})
}

// valueError adds a problem with the value at path, at its line.
func (d *decoder) valueError(path, format string, args ...any) {
	line, col := d.line(path)
	d.problems = append(d.problems, problem{diag.Diagnostic{Path: File, Line: line, Msg: fmt.Sprintf(format, args...)}, col})
}

// sorted is the problems in file order: by line, then column, then as found.
func (d *decoder) sorted() diag.List {
	sort.SliceStable(d.problems, func(i, j int) bool {
		a, b := d.problems[i], d.problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.col < b.col
	})
	l := make(diag.List, len(d.problems))
	for i, p := range d.problems {
		l[i] = p.Diagnostic
	}
	return l
}

func pos(n ast.Node) (line, col int) {
	if n == nil {
		return 0, 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line, tk.Position.Column
	}
	return 0, 0
}

// collectAnchors records every &anchor of the file, so an alias resolves
// wherever its anchor was written (even under a key bantin does not know).
func (d *decoder) collectAnchors(n ast.Node) {
	ast.Walk(anchorVisitor(d.anchors), n)
}

type anchorVisitor map[string]ast.Node

func (v anchorVisitor) Visit(n ast.Node) ast.Visitor {
	if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
		if _, seen := v[a.Name.GetToken().Value]; !seen {
			v[a.Name.GetToken().Value] = a.Value
		}
	}
	return v
}

// resolve looks through anchors, aliases and (when tags is set) tags to the
// value written; an alias to nothing is left as it is.
func (d *decoder) resolve(n ast.Node, tags bool) ast.Node {
	for range 64 { // an alias chain longer than this is a loop
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			t, ok := d.anchors[v.Value.GetToken().Value]
			if !ok || t == nil {
				return n
			}
			n = t
		case *ast.TagNode:
			if !tags || !strings.HasPrefix(v.Start.Value, "!!") {
				return n // a leaf's tag is go-yaml's to read; "!x" is nothing to anyone
			}
			n = v.Value
		default:
			return n
		}
	}
	return n
}

// pairs are the key-value pairs of a mapping (go-yaml gives a one-key
// mapping as the pair itself); ok is false when n is not a mapping.
func pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

func isNull(n ast.Node) bool {
	_, ok := n.(*ast.NullNode)
	return n == nil || ok
}

// describe names what a value is, for "…, not a list".
func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("the text %q", v.Value)
	case *ast.AliasNode:
		return "an alias to an anchor not defined"
	case *ast.TagNode:
		return "a value with the tag " + v.Start.Value
	}
	if tk := n.GetToken(); tk != nil {
		return fmt.Sprintf("%q", tk.Value)
	}
	return "something else"
}

// fieldKeys are the keys a struct type takes, in declaration order.
func fieldKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		if k := yamlKey(t.Field(i)); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

func yamlKey(f reflect.StructField) string {
	k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if k == "-" || !f.IsExported() {
		return ""
	}
	return k
}

func keyName(k ast.MapKeyNode) string {
	switch v := k.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.MappingKeyNode: // "? key"
		if v.Value != nil {
			return v.Value.GetToken().Value
		}
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// where names the mapping a path is, for "unknown field "x" in footer".
func where(path string) string {
	if path == "" {
		return ""
	}
	if i := strings.LastIndex(path, "["); i > 0 && strings.HasSuffix(path, "]") && !strings.Contains(path[i:], ".") {
		var n int
		fmt.Sscanf(path[i:], "[%d]", &n)
		return fmt.Sprintf(" in %s entry %d", path[:i], n+1)
	}
	return " in " + path
}

// mapping decodes a mapping into the struct v, at path ("" for the file).
func (d *decoder) mapping(n ast.Node, v reflect.Value, path string) {
	n = d.resolve(n, true)
	if isNull(n) {
		return
	}
	ps, ok := pairs(n)
	if !ok {
		if path == "" {
			d.errorAt(n, "site.yaml must be a mapping of keys such as title: …, not %s", describe(n))
		} else {
			d.errorAt(n, "%s must be a mapping of keys (%s), not %s", display(path), strings.Join(fieldKeys(v.Type()), ", "), describe(n))
		}
		d.failed[path] = true
		return
	}
	// The mapping's own keys first: they win over merged ones ("<<: *base"),
	// wherever "<<" stands among them.
	seen := map[string]ast.Node{}
	d.pairs(ps, v, path, seen, false)
	for _, p := range ps {
		if p != nil {
			if _, ok := p.Key.(*ast.MergeKeyNode); ok {
				d.merge(p, v, path, seen)
			}
		}
	}
}

func (d *decoder) pairs(ps []*ast.MappingValueNode, v reflect.Value, path string, seen map[string]ast.Node, merged bool) {
	t := v.Type()
	for _, p := range ps {
		if p == nil || p.Key == nil {
			continue
		}
		if _, ok := p.Key.(*ast.MergeKeyNode); ok {
			continue
		}
		key := keyName(p.Key)
		if first, dup := seen[key]; dup {
			if !merged {
				line, _ := pos(first)
				d.errorAt(p.Key, "duplicate key %q (first on line %d)", key, line)
			}
			continue
		}
		seen[key] = p.Key
		i := fieldIndex(t, key)
		if i < 0 {
			d.unknown(p.Key, key, t, path)
			continue
		}
		fp := join(path, key)
		d.keys[fp] = p.Key
		d.values[fp] = d.resolve(p.Value, false)
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Struct:
			d.mapping(p.Value, f, fp)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct:
			d.list(p.Value, f, fp)
		default:
			d.leaf(p, t, i, v, fp)
		}
	}
}

// merge takes the keys of a "<<: *anchor" (one mapping or a list of them)
// that are not in seen.
func (d *decoder) merge(p *ast.MappingValueNode, v reflect.Value, path string, seen map[string]ast.Node) {
	src := d.resolve(p.Value, true)
	var maps []ast.Node
	if s, ok := src.(*ast.SequenceNode); ok {
		maps = s.Values
	} else {
		maps = []ast.Node{src}
	}
	for _, m := range maps {
		ps, ok := pairs(d.resolve(m, true))
		if !ok {
			d.errorAt(m, "<< must name a mapping to merge, not %s", describe(d.resolve(m, true)))
			continue
		}
		d.pairs(ps, v, path, seen, true)
	}
}

func fieldIndex(t reflect.Type, key string) int {
	for i := range t.NumField() {
		if yamlKey(t.Field(i)) == key {
			return i
		}
	}
	return -1
}

// unknown reports a key the struct does not take, with the known key
// within two edits of it, as front matter does.
func (d *decoder) unknown(at ast.Node, key string, t reflect.Type, path string) {
	keys := fieldKeys(t)
	if k := nearKey(key, keys); k != "" {
		d.errorAt(at, "unknown field %q%s: did you mean %q?", key, where(path), k)
		return
	}
	if path == "" {
		d.errorAt(at, "unknown field %q (see SPEC §4 for the keys site.yaml takes)", key)
		return
	}
	d.errorAt(at, "unknown field %q%s (it takes %s)", key, where(path), strings.Join(keys, ", "))
}

// list decodes a list of mappings (menu, links).
func (d *decoder) list(n ast.Node, f reflect.Value, path string) {
	n = d.resolve(n, true)
	if isNull(n) {
		return
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorAt(n, "%s must be a list of entries like - {%s}, not %s", path, entryShape(f.Type().Elem()), describe(n))
		d.failed[path] = true
		return
	}
	out := reflect.MakeSlice(f.Type(), 0, len(s.Values))
	for i, e := range s.Values {
		ep := fmt.Sprintf("%s[%d]", path, i)
		el := reflect.New(f.Type().Elem()).Elem()
		r := d.resolve(e, true)
		d.values[ep] = r
		if _, ok := pairs(r); !ok {
			d.errorAt(r, "%s entry %d must be {%s}, not %s", path, i+1, entryShape(f.Type().Elem()), describe(r))
			d.failed[ep] = true
		} else {
			d.mapping(r, el, ep)
		}
		out = reflect.Append(out, el)
	}
	f.Set(out)
}

func entryShape(t reflect.Type) string {
	keys := fieldKeys(t)
	for i := range keys {
		keys[i] += ": …"
	}
	return strings.Join(keys, ", ")
}

// leaf decodes a scalar, a list of scalars or a map of them with go-yaml,
// as the one pair p of a struct of type t, so its conversions and messages
// are go-yaml's ("cannot unmarshal string into Go struct field Config.Paginate of type int").
func (d *decoder) leaf(p *ast.MappingValueNode, t reflect.Type, i int, v reflect.Value, path string) {
	val := d.resolve(p.Value, false)
	if s, ok := val.(*ast.SequenceNode); ok {
		for j, e := range s.Values {
			d.values[fmt.Sprintf("%s[%d]", path, j)] = e
		}
		// go-yaml resolves an alias only to an anchor it decoded itself.
		s2 := *s
		s2.Values = make([]ast.Node, len(s.Values))
		for j, e := range s.Values {
			s2.Values[j] = d.resolve(e, false)
		}
		val = &s2
	}
	one := ast.MappingValue(p.GetToken(), p.Key, val)
	tmp := reflect.New(t)
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s could not be read (%v)", path, r)
			}
		}()
		return yaml.NodeToValue(ast.Mapping(p.GetToken(), false, one), tmp.Interface())
	}()
	if err != nil {
		d.failed[path] = true
		de := yamlDiag(File, err)
		if dg, ok := de.(diag.Diagnostic); ok {
			if dg.Line == 0 {
				dg.Line, dg.Col = pos(val)
			}
			if what := expected(t.Field(i).Type); what != "" {
				dg.Msg = fmt.Sprintf("%s must be %s: %s", display(path), what, dg.Msg)
			}
			d.problems = append(d.problems, problem{dg, dg.Col})
		}
		return
	}
	v.Field(i).Set(tmp.Elem().Field(i))
}

// expected names what a value of type t is written as, for editors.
func expected(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Int {
			return "a list of whole numbers"
		}
		return "a list"
	case reflect.Map:
		return "a mapping of names to text"
	}
	return ""
}

// display is a path as an editor reads it: "menu entry 2" for "menu[1]",
// "name of menu entry 2" for "menu[1].name".
func display(path string) string {
	if i := strings.LastIndex(path, "]."); i > 0 {
		return path[i+2:] + " of " + display(path[:i+1])
	}
	if w := where(path); strings.HasPrefix(w, " in ") {
		return w[len(" in "):]
	}
	return path
}

// nearKey is the key of keys within two edits of key (a case slip counts
// as none), "" when there is none or key is one of them.
func nearKey(key string, keys []string) string {
	best, bestDist := "", 3
	for _, k := range keys {
		if dist := editDistance(strings.ToLower(key), strings.ToLower(k)); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best == key {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions), capped at 3.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra)-len(rb) > 2 || len(rb)-len(ra) > 2 {
		return 3
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], 3)
}

// line is where a problem with the value at path is reported: the value's
// place, else its key's (a null value), 0 when site.yaml does not set it.
func (d *decoder) line(path string) (line, col int) {
	if n := d.values[path]; !isNull(n) {
		if l, c := pos(n); l > 0 {
			return l, c
		}
	}
	return pos(d.keys[path])
}

// has reports whether site.yaml writes the key at path.
func (d *decoder) has(path string) bool { return d.keys[path] != nil }
