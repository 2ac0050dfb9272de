package render

// A static typeChecker for layouts: it walks the parse trees with the static type
// of dot and of each variable, so a field a view does not have fails at load,
// naming the layout and line, and not only on the pages that take that branch.
// It follows text/template's evaluation rules (exec.go) and is permissive
// wherever the type is only known at run time: an unknown type (nil here) or an
// interface stops a chain without a report.

import (
	"cmp"
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// TypeError is one reference a layout makes that its data's type does not have.
type TypeError struct {
	Template  string // template name as parsed, e.g. "article.html" or "partials/card.html"
	Line, Col int
	Msg       string // e.g. `can't evaluate field Titel in type *render.Card`
}

func (e TypeError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Template, e.Line, e.Col, e.Msg)
}

// nilDot is the type of dot in a template invoked without a pipeline:
// text/template passes nil, so every field on it has no value.
type nilDot struct{}

var (
	nilDotType = reflect.TypeFor[nilDot]()
	typeBool   = reflect.TypeFor[bool]()
	typeInt    = reflect.TypeFor[int]()
	typeUint8  = reflect.TypeFor[uint8]()
	typeString = reflect.TypeFor[string]()
	typeError  = reflect.TypeFor[error]()
	typeValue  = reflect.TypeFor[reflect.Value]()
)

// typeCheck walks the template t (and every template it invokes with {{template}} / {{block}}), with
// dot of type dot, and reports every field, method or map key chain that cannot exist. funcs gives
// the function map's functions (their reflect types give argument and result types). exec names
// functions that execute a template by name: exec["partialCached"] = 1 means the function's first
// argument is a string constant naming a template and argument index 1 (0-based) is that
// template's dot; those templates are checked with that argument's type too.
//
// Template is the name the node was parsed under (the file, for a {{define}}
// inside it); Line and Col are as text/template reports them (Col is the byte
// offset in the line, from 0).
func typeCheck(t *template.Template, dot reflect.Type, funcs template.FuncMap, exec map[string]int) []TypeError {
	return checkUses(t, dot, funcs, exec, nil, nil)
}

// checkUses is typeCheck that also records, in use, which struct fields the
// templates can read (use may be nil). grids names functions that execute a
// fixed template with their first argument as dot (photoGrid).
func checkUses(t *template.Template, dot reflect.Type, funcs template.FuncMap, exec map[string]int, grids map[string]string, use fieldUse) []TypeError {
	c := &typeChecker{set: t, funcs: funcs, exec: exec, grids: grids, use: use, done: map[checkedTemplate]bool{}, seen: map[TypeError]bool{}}
	if t.Tree != nil {
		c.done[checkedTemplate{t.Name(), dot}] = true
		c.walkTree(t.Tree, dot)
	}
	slices.SortFunc(c.errs, func(a, b TypeError) int {
		return cmp.Or(cmp.Compare(a.Template, b.Template), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col), cmp.Compare(a.Msg, b.Msg))
	})
	return c.errs
}

// typeChecker holds what is shared by every template one typeCheck call visits.
type typeChecker struct {
	set   *template.Template
	funcs template.FuncMap
	exec  map[string]int
	grids map[string]string
	use   fieldUse
	done  map[checkedTemplate]bool // templates already walked, so recursion terminates
	seen  map[TypeError]bool
	errs  []TypeError
}

// checkedTemplate is one template walked with one type of dot.
type checkedTemplate struct {
	name string
	dot  reflect.Type
}

func (c *typeChecker) walkTree(tree *parse.Tree, dot reflect.Type) {
	f := &typeFrame{c: c, tree: tree, vars: []typedVar{{"$", dot}}}
	f.walk(dot, tree.Root)
}

// template checks the template named by a {{template}} node or an exec function.
func (c *typeChecker) template(name string, dot reflect.Type, from *typeFrame, at parse.Node) {
	t := c.set.Lookup(name)
	if t == nil || t.Tree == nil {
		from.errorf(at, "no such template %q", name)
		return
	}
	if c.done[checkedTemplate{name, dot}] {
		return
	}
	c.done[checkedTemplate{name, dot}] = true
	c.walkTree(t.Tree, dot)
}

// typedVar is one $name in scope; a nil typ is unknown.
type typedVar struct {
	name string
	typ  reflect.Type
}

// typeFrame is one template being walked: its tree (for positions) and its variables.
type typeFrame struct {
	c    *typeChecker
	tree *parse.Tree
	vars []typedVar
}

func (f *typeFrame) errorf(n parse.Node, format string, args ...any) {
	loc, _ := f.tree.ErrorContext(n)
	e := TypeError{Msg: fmt.Sprintf(format, args...)}
	e.Template, e.Line, e.Col = splitErrorContext(loc)
	if !f.c.seen[e] {
		f.c.seen[e] = true
		f.c.errs = append(f.c.errs, e)
	}
}

// splitErrorContext splits ErrorContext's "name:line:col"; the name may hold colons.
func splitErrorContext(loc string) (name string, line, col int) {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return loc, 0, 0
	}
	j := strings.LastIndexByte(loc[:i], ':')
	if j < 0 {
		return loc[:i], 0, 0
	}
	line, _ = strconv.Atoi(loc[j+1 : i])
	col, _ = strconv.Atoi(loc[i+1:])
	return loc[:j], line, col
}

func (f *typeFrame) walk(dot reflect.Type, n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil { // an absent {{else}}
			return
		}
		for _, m := range n.Nodes {
			f.walk(dot, m)
		}
	case *parse.ActionNode:
		t := f.pipe(dot, n.Pipe)
		f.bind(n.Pipe, t)
		if len(n.Pipe.Decl) == 0 {
			f.c.use.whole(t) // printed: every field of it may show
		}
	case *parse.IfNode:
		f.branch(dot, &n.BranchNode, false)
	case *parse.WithNode:
		f.branch(dot, &n.BranchNode, true)
	case *parse.RangeNode:
		mark := len(f.vars)
		key, elem := rangeTypes(f.pipe(dot, n.Pipe))
		switch d := n.Pipe.Decl; len(d) {
		case 1:
			f.setVar(d[0], elem, n.Pipe.IsAssign)
		case 2:
			f.setVar(d[0], key, n.Pipe.IsAssign)
			f.setVar(d[1], elem, n.Pipe.IsAssign)
		}
		f.walk(elem, n.List)
		f.vars = f.vars[:mark]
		f.walk(dot, n.ElseList)
	case *parse.TemplateNode:
		data := nilDotType
		if n.Pipe != nil {
			data = f.pipe(dot, n.Pipe)
			f.bind(n.Pipe, data)
		}
		f.c.template(n.Name, data, f, n)
	}
	// Text, comments, break and continue have nothing to check.
}

// branch walks if and with: with sets dot to the pipeline's type, if keeps it;
// {{else}} keeps the outer dot but sees the pipeline's variables.
func (f *typeFrame) branch(dot reflect.Type, b *parse.BranchNode, with bool) {
	mark := len(f.vars)
	t := f.pipe(dot, b.Pipe)
	f.bind(b.Pipe, t)
	declared := len(f.vars)
	inner := dot
	if with {
		inner = t
		if t == nilDotType { // nil is false: the body never runs
			inner = nil
		}
	}
	f.walk(inner, b.List)
	f.vars = f.vars[:declared]
	f.walk(dot, b.ElseList)
	f.vars = f.vars[:mark]
}

// bind gives a pipeline's declared or assigned variables its type.
func (f *typeFrame) bind(p *parse.PipeNode, t reflect.Type) {
	for _, v := range p.Decl {
		f.setVar(v, t, p.IsAssign)
	}
}

// setVar declares $name, or assigns it: an assignment of another type makes
// it unknown, since which value it holds later depends on the branch taken.
func (f *typeFrame) setVar(v *parse.VariableNode, t reflect.Type, assign bool) {
	name := v.Ident[0]
	if !assign {
		f.vars = append(f.vars, typedVar{name, t})
		return
	}
	for i := len(f.vars) - 1; i >= 0; i-- {
		if f.vars[i].name == name {
			if f.vars[i].typ != t {
				f.vars[i].typ = nil
			}
			return
		}
	}
}

func (f *typeFrame) variable(name string) reflect.Type {
	for i := len(f.vars) - 1; i >= 0; i-- {
		if f.vars[i].name == name {
			return f.vars[i].typ
		}
	}
	return nil
}

// pipe is the type of a pipeline's last command; each command after the
// first gets the previous result as its final argument.
func (f *typeFrame) pipe(dot reflect.Type, p *parse.PipeNode) reflect.Type {
	var final reflect.Type
	for i, cmd := range p.Cmds {
		final = f.command(dot, cmd, final, i > 0)
	}
	return final
}

func (f *typeFrame) command(dot reflect.Type, cmd *parse.CommandNode, final reflect.Type, hasFinal bool) reflect.Type {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return f.chain(dot, dot, n, n.Ident, args, final, hasFinal)
	case *parse.ChainNode:
		return f.chain(dot, f.arg(dot, n.Node), n, n.Field, args, final, hasFinal)
	case *parse.VariableNode:
		return f.chain(dot, f.variable(n.Ident[0]), n, n.Ident[1:], args, final, hasFinal)
	case *parse.IdentifierNode:
		return f.function(dot, n, args, final, hasFinal)
	}
	f.notAFunction(cmd.Args[0], args, hasFinal)
	return f.arg(dot, cmd.Args[0])
}

func (f *typeFrame) notAFunction(n parse.Node, args []parse.Node, hasFinal bool) {
	if len(args) > 0 || hasFinal {
		f.errorf(n, "can't give argument to non-function %s", n)
	}
}

// arg is the type of one operand evaluated on its own.
func (f *typeFrame) arg(dot reflect.Type, n parse.Node) reflect.Type {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return f.chain(dot, dot, n, n.Ident, nil, nil, false)
	case *parse.VariableNode:
		return f.chain(dot, f.variable(n.Ident[0]), n, n.Ident[1:], nil, nil, false)
	case *parse.ChainNode:
		return f.chain(dot, f.arg(dot, n.Node), n, n.Field, nil, nil, false)
	case *parse.PipeNode:
		t := f.pipe(dot, n)
		f.bind(n, t)
		return t
	case *parse.IdentifierNode:
		return f.function(dot, n, nil, nil, false)
	case *parse.StringNode:
		return typeString
	case *parse.BoolNode:
		return typeBool
	case *parse.NumberNode:
		return constantType(n)
	}
	return nil // nil is untyped
}

func (f *typeFrame) argTypes(dot reflect.Type, args []parse.Node) []reflect.Type {
	types := make([]reflect.Type, len(args), len(args)+1)
	for i, a := range args {
		types[i] = f.arg(dot, a)
	}
	return types
}

// constantType is the type text/template gives a constant used as a value.
func constantType(n *parse.NumberNode) reflect.Type {
	hexInt := len(n.Text) > 2 && n.Text[0] == '0' && (n.Text[1] == 'x' || n.Text[1] == 'X') && !strings.ContainsAny(n.Text, "pP")
	switch {
	case n.IsComplex:
		return reflect.TypeFor[complex128]()
	case n.IsFloat && !hexInt && n.Text[0] != '\'' && strings.ContainsAny(n.Text, ".eEpP"):
		return reflect.TypeFor[float64]()
	case n.IsInt:
		return typeInt
	}
	return nil
}

// chain follows .A.B.C from recv; only the last name gets the arguments.
func (f *typeFrame) chain(dot, recv reflect.Type, n parse.Node, idents []string, args []parse.Node, final reflect.Type, hasFinal bool) reflect.Type {
	if len(idents) == 0 { // a bare $x or (pipeline)
		f.notAFunction(n, args, hasFinal)
		f.argTypes(dot, args)
		return recv
	}
	for i, name := range idents {
		if i < len(idents)-1 {
			recv = f.field(dot, recv, name, n, nil, nil, false)
		} else {
			recv = f.field(dot, recv, name, n, args, final, hasFinal)
		}
	}
	return recv
}

// field is text/template's evalField on types: a method of T or *T first,
// then a struct field or a map key.
func (f *typeFrame) field(dot, recv reflect.Type, name string, n parse.Node, args []parse.Node, final reflect.Type, hasFinal bool) reflect.Type {
	types := f.argTypes(dot, args) // checked even when the chain is already lost
	if recv == nil {
		return nil
	}
	if recv == nilDotType {
		f.errorf(n, "can't evaluate field %s: dot is nil in template %q (invoked without a pipeline)", name, f.tree.Name)
		return nil
	}
	t := recv
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Interface {
		// The dynamic value has at least the interface's methods; anything
		// else is only known at run time.
		if m, ok := t.MethodByName(name); ok {
			return f.call(name, m.Type, 0, n, args, types, final, hasFinal)
		}
		return nil
	}
	if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
		f.c.use.whole(t) // what a method reads is not known: all of it
		return f.call(name, m.Type, 1, n, args, types, final, hasFinal)
	}
	hasArgs := len(args) > 0 || hasFinal
	switch t.Kind() {
	case reflect.Struct:
		if sf, ok := t.FieldByName(name); ok {
			if !sf.IsExported() {
				f.errorf(n, "%s is an unexported field of struct type %s", name, recv)
				return nil
			}
			if hasArgs {
				f.errorf(n, "%s has arguments but cannot be invoked as function", name)
			}
			f.c.use.path(t, sf.Index)
			return sf.Type
		}
	case reflect.Map:
		if typeString.AssignableTo(t.Key()) {
			if hasArgs {
				f.errorf(n, "%s is not a method but has arguments", name)
			}
			return t.Elem()
		}
	}
	f.errorf(n, "can't evaluate field %s in type %s", name, recv)
	return nil
}

// function checks a call of a FuncMap or built-in function.
func (f *typeFrame) function(dot reflect.Type, id *parse.IdentifierNode, args []parse.Node, final reflect.Type, hasFinal bool) reflect.Type {
	types := f.argTypes(dot, args)
	if fn, ok := f.c.funcs[id.Ident]; ok {
		ft := reflect.TypeOf(fn)
		if ft == nil || ft.Kind() != reflect.Func {
			return nil
		}
		t := f.call(id.Ident, ft, 0, id, args, types, final, hasFinal)
		if k, ok := f.c.exec[id.Ident]; ok && k > 0 && k < len(args) {
			// Only a constant names a template we can find now.
			if s, ok := args[0].(*parse.StringNode); ok {
				f.c.template(s.Text, types[k], f, s)
			} else {
				f.c.use.whole(types[k])
			}
			// The other arguments only choose a cache entry.
			return t
		}
		if name, ok := f.c.grids[id.Ident]; ok && len(args) == 1 {
			f.c.template(name, types[0], f, id)
			return t
		}
		// A function may read all of what it is given.
		for _, a := range types {
			f.c.use.whole(a)
		}
		if hasFinal {
			f.c.use.whole(final)
		}
		return t
	}
	all := types
	if hasFinal {
		all = append(all, final)
	}
	switch id.Ident {
	case "print", "printf", "println", "html", "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "call":
		for _, a := range all {
			f.c.use.whole(a) // printed or compared: all of it
		}
	}
	switch id.Ident {
	case "len":
		return typeInt
	case "print", "printf", "println", "html", "js", "urlquery":
		return typeString
	case "eq", "ne", "lt", "le", "gt", "ge", "not":
		return typeBool
	case "call":
		return nil
	case "and", "or": // they return one of their arguments
		if len(all) == 0 {
			return nil
		}
		for _, t := range all {
			if t != all[0] {
				return nil
			}
		}
		return all[0]
	case "index":
		if len(all) == 0 {
			return nil
		}
		return f.index(all[0], len(all)-1, id)
	case "slice":
		if len(all) == 0 {
			return nil
		}
		return f.slice(all[0], id)
	}
	if strings.HasPrefix(id.Ident, "_html_template_") || id.Ident == "_eval_args_" {
		return typeString // html/template's escapers, should a tree be checked after Execute
	}
	f.errorf(id, "function %q not defined", id.Ident)
	return nil
}

// call checks a method or function's argument count and, where both sides
// are concrete, each argument's type; it returns the first result's type.
// skip is 1 when ft's first parameter is the method's receiver.
func (f *typeFrame) call(name string, ft reflect.Type, skip int, n parse.Node, args []parse.Node, types []reflect.Type, final reflect.Type, hasFinal bool) reflect.Type {
	var result reflect.Type
	switch out := ft.NumOut(); {
	case out == 1 || out == 2 && ft.Out(1) == typeError:
		result = ft.Out(0)
	default:
		f.errorf(n, "can't call %s: it has %d results (want one, or one and an error)", name, out)
	}
	got := len(args)
	if hasFinal {
		got++
	}
	fixed := ft.NumIn() - skip
	if ft.IsVariadic() {
		fixed--
		if got < fixed {
			f.errorf(n, "wrong number of args for %s: want at least %d got %d", name, fixed, got)
			return result
		}
	} else if got != fixed {
		f.errorf(n, "wrong number of args for %s: want %d got %d", name, fixed, got)
		return result
	}
	param := func(i int) reflect.Type {
		if ft.IsVariadic() && i >= fixed {
			return ft.In(ft.NumIn() - 1).Elem()
		}
		return ft.In(i + skip)
	}
	for i, a := range args {
		f.checkArg(name, i, a, types[i], param(i))
	}
	if hasFinal { // the piped value is the last argument
		f.checkArg(name, got-1, n, final, param(got-1))
	}
	return result
}

// checkArg reports an argument that cannot be passed as p. Constants are
// converted to the parameter's kind, as text/template's evalArg does.
func (f *typeFrame) checkArg(fn string, i int, a parse.Node, t, p reflect.Type) {
	if p.Kind() == reflect.Interface || p == typeValue {
		return
	}
	fits := true
	switch a := a.(type) {
	case *parse.StringNode:
		fits = p.Kind() == reflect.String
	case *parse.BoolNode:
		fits = p.Kind() == reflect.Bool
	case *parse.NumberNode:
		k := p.Kind()
		fits = isIntKind(k) && a.IsInt || isUintKind(k) && a.IsUint ||
			(k == reflect.Float32 || k == reflect.Float64) && a.IsFloat ||
			(k == reflect.Complex64 || k == reflect.Complex128) && a.IsComplex
	case *parse.NilNode:
		fits = slices.Contains([]reflect.Kind{reflect.Chan, reflect.Func, reflect.Map, reflect.Pointer, reflect.Slice}, p.Kind())
	default:
		if t == nil || t == nilDotType || t.Kind() == reflect.Interface {
			return
		}
		// validateType also accepts one dereference or taking the address.
		fits = t.AssignableTo(p) || t.Kind() == reflect.Pointer && t.Elem().AssignableTo(p) ||
			reflect.PointerTo(t).AssignableTo(p)
		if !fits {
			f.errorf(a, "argument %d of %s: expected %s; got %s", i+1, fn, p, t)
		}
		return
	}
	if !fits {
		f.errorf(a, "argument %d of %s: expected %s; got %s", i+1, fn, p, a)
	}
}

// index is the type index gives after n indexes: pointers are followed,
// strings give bytes.
func (f *typeFrame) index(t reflect.Type, n int, at parse.Node) reflect.Type {
	for range n {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil || t == nilDotType || t.Kind() == reflect.Interface {
			return nil
		}
		switch t.Kind() {
		case reflect.Array, reflect.Slice, reflect.Map:
			t = t.Elem()
		case reflect.String:
			t = typeUint8
		default:
			f.errorf(at, "can't index item of type %s", t)
			return nil
		}
	}
	return t
}

// slice is the type slice gives: the same slice or string, or a slice of an array's elements.
func (f *typeFrame) slice(t reflect.Type, at parse.Node) reflect.Type {
	if t == nil || t == nilDotType || t.Kind() == reflect.Interface {
		return nil
	}
	switch t.Kind() {
	case reflect.String, reflect.Slice:
		return t
	case reflect.Array:
		return reflect.SliceOf(t.Elem())
	}
	f.errorf(at, "can't slice item of type %s", t)
	return nil
}

// rangeTypes are the key and element types range gives over t (after
// pointers, as text/template's indirect follows them); nil where unknown.
func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t == nilDotType {
		return nil, nil
	}
	switch k := t.Kind(); {
	case isIntKind(k) || isUintKind(k):
		return t, t
	case k == reflect.Array || k == reflect.Slice:
		return typeInt, t.Elem()
	case k == reflect.Map:
		return t.Key(), t.Elem()
	case k == reflect.Chan:
		return nil, t.Elem()
	case k == reflect.Func: // iter.Seq and iter.Seq2: func(yield func(K[, V]) bool)
		if t.NumIn() == 1 && t.In(0).Kind() == reflect.Func {
			switch y := t.In(0); y.NumIn() {
			case 1:
				return nil, y.In(0)
			case 2:
				return y.In(0), y.In(1)
			}
		}
	}
	return nil, nil
}

func isIntKind(k reflect.Kind) bool  { return reflect.Int <= k && k <= reflect.Int64 }
func isUintKind(k reflect.Kind) bool { return reflect.Uint <= k && k <= reflect.Uintptr }

// fieldUse records which fields of which struct types templates can read:
// a page's fingerprint hashes those and no others (fingerprint.go). A nil
// fieldUse records nothing.
type fieldUse map[reflect.Type]map[int]bool

// path records a field reached through index (embedded fields on the way).
func (u fieldUse) path(t reflect.Type, index []int) {
	if u == nil {
		return
	}
	for _, i := range index {
		u.mark(t, i)
		t = t.Field(i).Type
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
}

func (u fieldUse) mark(t reflect.Type, i int) {
	if u[t] == nil {
		u[t] = map[int]bool{}
	}
	u[t][i] = true
}

// whole records every field of t and of what they lead to: a value printed,
// compared or handed to a function.
func (u fieldUse) whole(t reflect.Type) {
	if u == nil || t == nil {
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
		u.whole(t.Elem())
	case reflect.Map:
		u.whole(t.Key())
		u.whole(t.Elem())
	case reflect.Struct:
		if u[t][-1] {
			return // done, or under way: recursion ends
		}
		u.mark(t, -1)
		for i := range t.NumField() {
			u.mark(t, i)
		}
		for i := range t.NumField() {
			u.whole(t.Field(i).Type)
		}
	}
}
