package source

import (
	"strings"
	"unicode/utf8"
)

// parseYAMLFast parses the simple YAML that nearly every article's front matter is written in,
// ~7x faster than yaml/v3 (BenchmarkParseYAML); ok=false means "not sure: use parseYAML" (never an error of its own).
//
// The subset, each value on one line: a block mapping of plain keys
// ([A-Za-z_][A-Za-z0-9_-]*); values that are plain, single- or double-quoted
// scalars, one-line flow sequences and mappings of those (nested too), or nothing (null, or
// a nested block mapping or sequence below); block sequences indented under
// their key or at its indent, whose items are scalars, flow collections or
// block mappings ("- name: x" with the next keys aligned under name).
// Comments and blank lines may stand anywhere, lines may end in CRLF.
// Everything else (tabs, block scalars, multi-line scalars, anchors, tags,
// escapes other than \" \\ \n \t, duplicate keys, a BOM) returns ok=false.
func parseYAMLFast(data []byte, first int) (n *node, ok bool) {
	p := fastYAML{src: string(data)}
	if !p.splitLines(first) {
		return nil, false
	}
	if len(p.lines) == 0 {
		return &node{kind: kMap, line: first}, true
	}
	p.pool = make([]node, 0, len(p.lines)*3/2+8)
	p.ptrs = make([]*node, 0, cap(p.pool))
	p.keys = make([]string, 0, len(p.lines)+8)
	p.stack = make([]fastEntry, 0, len(p.lines)+8)
	top := p.lines[0]
	if isEntry(top.text[top.indent:]) {
		return nil, false
	}
	n, ok = p.blockMap(top.indent, 0)
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	return n, true
}

// fastMaxDepth bounds nesting, far above what front matter uses.
const fastMaxDepth = 16

// fastMaxKey keeps keys well inside yaml/v3's 1,024-character simple keys.
const fastMaxKey = 128

// fastYAML is the state of one parseYAMLFast.
type fastYAML struct {
	src   string
	lines []fastLine // without blank and comment lines
	i     int        // the next line to read
	// Nodes and their slices are cut from these, a few allocations for all.
	pool  []node
	ptrs  []*node
	keys  []string
	stack []fastEntry // the entries of the collections being read
}

// fastEntry is a map's key and value, or a list's item.
type fastEntry struct {
	key string
	val *node
}

// fastLine is a line holding content.
type fastLine struct {
	text   string // without its line end
	indent int    // leading spaces
	num    int    // line in the file
}

// splitLines fills p.lines, refusing any character yaml/v3 treats specially
// or rejects: tabs, control characters, a lone CR, NEL, LS, PS, BOM.
func (p *fastYAML) splitLines(first int) bool {
	s := p.src
	p.lines = make([]fastLine, 0, strings.Count(s, "\n")+1)
	for num := first; s != ""; num++ {
		text := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			text, s = s[:i], s[i+1:]
			text = strings.TrimSuffix(text, "\r")
		} else {
			s = ""
		}
		if !fastText(text) {
			return false
		}
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		if indent < len(text) && text[indent] != '#' {
			p.lines = append(p.lines, fastLine{text: text, indent: indent, num: num})
		}
	}
	return true
}

// fastText reports whether a line holds only characters that stand for
// themselves in YAML.
func fastText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
		i += size
	}
	return true
}

func (p *fastYAML) node(k kind, str string, line int) *node {
	if len(p.pool) == cap(p.pool) {
		p.pool = make([]node, 0, 32)
	}
	p.pool = append(p.pool, node{kind: k, str: str, line: line})
	return &p.pool[len(p.pool)-1]
}

// carve cuts n elements from the arena.
func carve[T any](arena *[]T, n int) []T {
	a := *arena
	if cap(a)-len(a) < n {
		a = make([]T, 0, max(n, 64))
	}
	*arena = a[:len(a)+n]
	return a[len(a) : len(a)+n : len(a)+n]
}

// hasKey reports whether the map whose entries start at p.stack[base] has key.
func (p *fastYAML) hasKey(base int, key string) bool {
	for _, e := range p.stack[base:] {
		if e.key == key {
			return true
		}
	}
	return false
}

// finish moves the entries from p.stack[base:] into n; an empty n keeps nil slices, as yamlNode's do.
func (p *fastYAML) finish(n *node, base int) *node {
	es := p.stack[base:]
	if len(es) > 0 {
		vals := carve(&p.ptrs, len(es))
		for i, e := range es {
			vals[i] = e.val
		}
		if n.kind == kList {
			n.list = vals
		} else {
			keys := carve(&p.keys, len(es))
			for i, e := range es {
				keys[i] = e.key
			}
			n.keys, n.vals = keys, vals
		}
	}
	p.stack = p.stack[:base]
	return n
}

// blockMap reads the mapping whose keys stand at column indent, from p.i.
func (p *fastYAML) blockMap(indent, depth int) (*node, bool) {
	if depth > fastMaxDepth {
		return nil, false
	}
	m := p.node(kMap, "", p.lines[p.i].num)
	base := len(p.stack)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		key, rest, ok := fastKey(l.text[indent:])
		if !ok {
			return nil, false
		}
		if p.hasKey(base, key) {
			return nil, false
		}
		p.i++
		var v *node
		if rest == "" {
			v, ok = p.below(indent, l.num, depth)
		} else {
			v, ok = p.value(rest, l.num, depth)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, fastEntry{key, v})
	}
	return p.finish(m, base), true
}

// below reads the value of a key with nothing after its colon: a block on
// the lines below, or null. Like yamlNode, it reports the value at the key's line.
func (p *fastYAML) below(indent, keyLine, depth int) (*node, bool) {
	if p.i == len(p.lines) {
		return p.node(kNull, "", keyLine), true
	}
	l := p.lines[p.i]
	var v *node
	var ok bool
	switch entry := isEntry(l.text[l.indent:]); {
	case l.indent > indent && entry:
		v, ok = p.blockSeq(l.indent, depth+1)
	case l.indent > indent:
		v, ok = p.blockMap(l.indent, depth+1)
	case l.indent == indent && entry: // tags:\n- a
		v, ok = p.blockSeq(indent, depth+1)
	default:
		return p.node(kNull, "", keyLine), true
	}
	if ok {
		v.line = keyLine
	}
	return v, ok
}

// blockSeq reads the sequence whose dashes stand at column indent, from p.i.
func (p *fastYAML) blockSeq(indent, depth int) (*node, bool) {
	if depth > fastMaxDepth {
		return nil, false
	}
	seq := p.node(kList, "", p.lines[p.i].num)
	base := len(p.stack)
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		if !isEntry(l.text[indent:]) {
			break
		}
		c := indent + 1
		for c < len(l.text) && l.text[c] == ' ' {
			c++
		}
		if c == len(l.text) || l.text[c] == '#' {
			return nil, false // an empty item, or its value on the lines below
		}
		var item *node
		var ok bool
		if _, _, isKey := fastKey(l.text[c:]); isKey {
			// "- name: x": a mapping whose keys stand at the column of name.
			p.lines[p.i].indent = c
			item, ok = p.blockMap(c, depth+1)
		} else {
			p.i++
			item, ok = p.value(l.text[c:], l.num, depth)
		}
		if !ok {
			return nil, false
		}
		p.stack = append(p.stack, fastEntry{val: item})
	}
	return p.finish(seq, base), true
}

// isEntry reports whether s starts a block sequence entry ("- " or "-").
func isEntry(s string) bool {
	return s != "" && s[0] == '-' && (len(s) == 1 || s[1] == ' ')
}

// fastKey splits "key: rest" (rest without its leading spaces and comment).
func fastKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) && isKeyByte(s[i], i == 0) {
		i++
	}
	if i == 0 || i > fastMaxKey || i == len(s) || s[i] != ':' {
		return "", "", false
	}
	rest = s[i+1:]
	if rest != "" && rest[0] != ' ' {
		return "", "", false // key:value is one plain scalar
	}
	j := skipSpaces(rest, 0)
	if j < len(rest) && rest[j] == '#' {
		return s[:i], "", true
	}
	return s[:i], rest[j:], true
}

// isKeyByte reports whether c may stand in a key (first: as its first byte).
func isKeyByte(c byte, first bool) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || !first && ('0' <= c && c <= '9' || c == '-')
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// value reads the rest of a line after "key: " or "- ": s is not empty and
// starts with neither a space nor a comment.
func (p *fastYAML) value(s string, line, depth int) (*node, bool) {
	var n *node
	var rest string
	var ok bool
	switch s[0] {
	case '"', '\'':
		var str string
		var j int
		if s[0] == '"' {
			str, j, ok = doubleQuoted(s, 0)
		} else {
			str, j, ok = singleQuoted(s, 0)
		}
		n, rest = p.node(kScalar, str, line), s[j:]
	case '[', '{':
		var j int
		n, j, ok = p.flow(s, 0, line, depth+1)
		rest = s[j:]
	default:
		return p.plain(s, line)
	}
	if !ok || !endOfLine(rest) {
		return nil, false
	}
	return n, true
}

// endOfLine reports whether rest, after a value, holds only spaces and a comment.
func endOfLine(rest string) bool {
	if rest == "" {
		return true
	}
	if rest[0] != ' ' {
		return false
	}
	j := skipSpaces(rest, 0)
	return j == len(rest) || rest[j] == '#'
}

// plain reads a plain scalar filling the rest of a line (but for a comment).
func (p *fastYAML) plain(s string, line int) (*node, bool) {
	if !plainStart(s) {
		return nil, false
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " ")
	if s[len(s)-1] == ':' || strings.Contains(s, ": ") {
		return nil, false // a key where a value should be
	}
	return p.scalar(s, line), true
}

// plainStart reports whether s may start a plain scalar: not with an
// indicator, but "-1" and "-a" are plain.
func plainStart(s string) bool {
	switch s[0] {
	case '-':
		return len(s) > 1 && ('0' <= s[1] && s[1] <= '9' || 'a' <= s[1] && s[1] <= 'z' || 'A' <= s[1] && s[1] <= 'Z')
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// scalar makes the node of a plain scalar, null for the forms yaml/v3 resolves to !!null.
func (p *fastYAML) scalar(s string, line int) *node {
	switch s {
	case "~", "null", "Null", "NULL":
		return p.node(kNull, "", line)
	}
	return p.node(kScalar, s, line)
}

// doubleQuoted reads the double-quoted scalar at s[i], returning its value
// and the index after the closing quote.
func doubleQuoted(s string, i int) (string, int, bool) {
	start := i + 1
	j := start
	escaped := false
	for ; j < len(s) && s[j] != '"'; j++ {
		if s[j] == '\\' {
			if j+1 == len(s) {
				return "", 0, false
			}
			switch s[j+1] {
			case '"', '\\', 'n', 't':
			default:
				return "", 0, false
			}
			escaped = true
			j++
		}
	}
	if j == len(s) {
		return "", 0, false // the string goes on to the next line
	}
	if !escaped {
		return s[start:j], j + 1, true
	}
	var b strings.Builder
	b.Grow(j - start)
	for k := start; k < j; k++ {
		c := s[k]
		if c == '\\' {
			k++
			switch c = s[k]; c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			}
		}
		b.WriteByte(c)
	}
	return b.String(), j + 1, true
}

// singleQuoted reads the single-quoted scalar at s[i], where a doubled quote stands for one.
func singleQuoted(s string, i int) (string, int, bool) {
	start := i + 1
	escaped := false
	for j := start; j < len(s); j++ {
		if s[j] != '\'' {
			continue
		}
		if j+1 < len(s) && s[j+1] == '\'' {
			escaped = true
			j++
			continue
		}
		v := s[start:j]
		if escaped {
			v = strings.ReplaceAll(v, "''", "'")
		}
		return v, j + 1, true
	}
	return "", 0, false
}

// flow reads the flow sequence or mapping at s[i] (on one line), returning
// the index after its closing bracket.
func (p *fastYAML) flow(s string, i, line, depth int) (*node, int, bool) {
	if depth > fastMaxDepth {
		return nil, 0, false
	}
	closing := byte(']')
	n := p.node(kList, "", line)
	if s[i] == '{' {
		closing = '}'
		n.kind = kMap
	}
	i = skipSpaces(s, i+1)
	if i < len(s) && s[i] == closing {
		return n, i + 1, true
	}
	base := len(p.stack)
	for {
		var key string
		if n.kind == kMap {
			k := i
			for k < len(s) && isKeyByte(s[k], k == i) {
				k++
			}
			if k == i || k-i > fastMaxKey || k+1 >= len(s) || s[k] != ':' || s[k+1] != ' ' {
				return nil, 0, false
			}
			key = s[i:k]
			if p.hasKey(base, key) {
				return nil, 0, false
			}
			i = skipSpaces(s, k+1)
		}
		v, j, ok := p.flowItem(s, i, line, depth)
		if !ok {
			return nil, 0, false
		}
		p.stack = append(p.stack, fastEntry{key, v})
		j = skipSpaces(s, j)
		switch {
		case j == len(s):
			return nil, 0, false
		case s[j] == closing:
			return p.finish(n, base), j + 1, true
		case s[j] != ',':
			return nil, 0, false
		}
		i = skipSpaces(s, j+1)
		if i < len(s) && s[i] == closing {
			return nil, 0, false // a trailing comma
		}
	}
}

// flowItem reads a value inside a flow collection, returning the index after it.
func (p *fastYAML) flowItem(s string, i, line, depth int) (*node, int, bool) {
	if i == len(s) {
		return nil, 0, false
	}
	switch s[i] {
	case '"', '\'':
		var str string
		var j int
		var ok bool
		if s[i] == '"' {
			str, j, ok = doubleQuoted(s, i)
		} else {
			str, j, ok = singleQuoted(s, i)
		}
		if !ok {
			return nil, 0, false
		}
		return p.node(kScalar, str, line), j, true
	case '[', '{':
		return p.flow(s, i, line, depth+1)
	}
	if !plainStart(s[i:]) {
		return nil, 0, false
	}
	j := i
	for ; j < len(s); j++ {
		switch s[j] {
		case ',', ']', '}':
			return p.scalar(strings.TrimRight(s[i:j], " "), line), j, true
		case '[', '{', ':', '#', '?':
			return nil, 0, false
		}
	}
	return nil, 0, false // the collection goes on to the next line
}
