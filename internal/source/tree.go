package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// kind is the shape of a front-matter value.
type kind int

const (
	kNull kind = iota
	kScalar
	kTime // TOML datetimes arrive already typed
	kList
	kMap
)

// node is a front-matter value of any of the three formats, with the line it
// stands on, so that typed decoding can name the line of every mistake.
type node struct {
	kind kind
	str  string    // kScalar: the text as written
	tm   time.Time // kTime
	list []*node
	keys []string // kMap, in file order
	vals []*node
	line int // line in the file, 1-based
}

func (n *node) get(key string) *node {
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// describe names a node's shape for an error message.
func (n *node) describe() string {
	switch n.kind {
	case kNull:
		return "nothing"
	case kList:
		return "a list"
	case kMap:
		return "a map"
	case kTime:
		return "a date"
	}
	return fmt.Sprintf("%q", n.str)
}

// toGo converts a node to plain Go values for .Params in templates. Text is
// copied (a page must not keep its front matter's whole text alive), keys too.
func (n *node) toGo() any {
	switch n.kind {
	case kScalar:
		return strings.Clone(n.str)
	case kTime:
		return n.tm
	case kList:
		out := make([]any, len(n.list))
		for i, v := range n.list {
			out[i] = v.toGo()
		}
		return out
	case kMap:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			out[strings.Clone(k)] = n.vals[i].toGo()
		}
		return out
	}
	return nil
}

// parseError is a front-matter syntax error at a line of the file.
type parseError struct {
	line int
	msg  string
}

func (e *parseError) Error() string { return e.msg }

// parseYAML reads YAML front matter; first is the file line of data's first line.
func parseYAML(data []byte, first int) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := first
		// "yaml: line 3: did not find expected key"
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			msg = strings.TrimSpace(m[2])
			line = first + n - 1
			if yamlParserProblem(msg) {
				line = first + n // yaml.v3 numbers parser errors from 0 (decode.go, fail)
			}
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		return nil, &parseError{line: line, msg: "front matter is not valid YAML: " + msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &node{kind: kMap, line: first}, nil
	}
	return yamlNode(doc.Content[0], first-1)
}

// yamlParserProblem reports whether msg is one of yaml.v3's parser errors
// (parserc.go), whose line yaml.v3 prints 0-based; scanner errors are 1-based.
func yamlParserProblem(msg string) bool {
	for _, p := range []string{
		"did not find expected <", "did not find expected node content", "did not find expected '-' indicator",
		"did not find expected key", "did not find expected ',' or", "found undefined tag handle",
		"found duplicate %", "found incompatible YAML document",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:unmarshal errors:\s*)?line (\d+): (.*)$`)

func yamlNode(n *yaml.Node, off int) (*node, error) {
	line := off + n.Line
	switch n.Kind {
	case yaml.MappingNode:
		out := &node{kind: kMap, line: line}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, &parseError{line: off + k.Line, msg: "a front-matter key must be plain text"}
			}
			if k.Value == "<<" {
				return nil, &parseError{line: off + k.Line, msg: "YAML merge keys (<<) are not supported in front matter; write the values out"}
			}
			val, err := yamlNode(v, off)
			if err != nil {
				return nil, err
			}
			keyLine := off + k.Line
			// A value on the lines below its key (a list, a map) is reported at the key.
			if val.kind == kNull || val.kind == kList || val.kind == kMap {
				val.line = keyLine
			}
			if out.get(k.Value) != nil {
				return nil, &parseError{line: keyLine, msg: fmt.Sprintf("key %q appears twice", k.Value)}
			}
			out.keys = append(out.keys, k.Value)
			out.vals = append(out.vals, val)
		}
		return out, nil
	case yaml.SequenceNode:
		out := &node{kind: kList, line: line}
		for _, item := range n.Content {
			c, err := yamlNode(item, off)
			if err != nil {
				return nil, err
			}
			out.list = append(out.list, c)
		}
		return out, nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return &node{kind: kNull, line: line}, nil
		}
		return &node{kind: kScalar, str: n.Value, line: line}, nil
	case yaml.AliasNode:
		return nil, &parseError{line: line, msg: "YAML aliases (*name) are not supported in front matter; write the value out"}
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return &node{kind: kNull, line: line}, nil
		}
		return yamlNode(n.Content[0], off)
	}
	return nil, &parseError{line: line, msg: "unsupported YAML in front matter"}
}

// parseTOML reads TOML front matter. TOML's decoder has no positions for
// values, so lines come from finding each key in the text.
func parseTOML(data []byte, first int) (*node, error) {
	var m map[string]any
	md, err := toml.Decode(string(data), &m)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &parseError{line: first + pe.Position.Line - 1, msg: "front matter is not valid TOML: " + pe.Message}
		}
		return nil, &parseError{line: first, msg: "front matter is not valid TOML: " + err.Error()}
	}
	lines := keyLines(data, first, func(line string) string {
		// A table header ([video], [[tasks]]) places the key on its line.
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "[") {
			t = strings.Trim(t, "[] \t")
			t, _, _ = strings.Cut(t, ".")
			return strings.Trim(strings.TrimSpace(t), `"'`)
		}
		if i := strings.IndexByte(line, '='); i > 0 {
			return strings.Trim(strings.TrimSpace(line[:i]), `"'`)
		}
		return ""
	})
	// Keep the file's order of keys.
	order := map[string]int{}
	for i, k := range md.Keys() {
		if len(k) == 1 {
			order[k[0]] = i
		}
	}
	return goNode(m, first, lines, order), nil
}

// parseJSON reads JSON front matter (the object includes its braces).
func parseJSON(data []byte, first int) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		line := first
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = first + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		}
		return nil, &parseError{line: line, msg: "front matter is not valid JSON: " + err.Error()}
	}
	lines := keyLines(data, first, func(line string) string {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, `"`) {
			if i := strings.Index(line[1:], `"`); i >= 0 {
				return line[1 : 1+i]
			}
		}
		return ""
	})
	return goNode(m, first, lines, nil), nil
}

// keyLines maps each top-level key to the first line it is found on.
func keyLines(data []byte, first int, keyOf func(string) string) map[string]int {
	out := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		if k := keyOf(line); k != "" {
			if _, seen := out[k]; !seen {
				out[k] = first + i
			}
		}
	}
	return out
}

// goNode converts decoded TOML/JSON values; nested values take their top-level key's line.
func goNode(v any, line int, keyLine map[string]int, order map[string]int) *node {
	switch v := v.(type) {
	case map[string]any:
		out := &node{kind: kMap, line: line}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			oi, iok := order[keys[i]]
			oj, jok := order[keys[j]]
			if iok && jok && oi != oj {
				return oi < oj
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			l := line
			if kl, ok := keyLine[k]; ok {
				l = kl
			}
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, goNode(v[k], l, nil, nil))
		}
		return out
	case []any:
		out := &node{kind: kList, line: line}
		for _, x := range v {
			out.list = append(out.list, goNode(x, line, nil, nil))
		}
		return out
	case []map[string]any:
		out := &node{kind: kList, line: line}
		for _, x := range v {
			out.list = append(out.list, goNode(x, line, nil, nil))
		}
		return out
	case nil:
		return &node{kind: kNull, line: line}
	case time.Time:
		return &node{kind: kTime, tm: v, line: line}
	case string:
		return &node{kind: kScalar, str: v, line: line}
	case bool:
		return &node{kind: kScalar, str: strconv.FormatBool(v), line: line}
	case int64:
		return &node{kind: kScalar, str: strconv.FormatInt(v, 10), line: line}
	case float64:
		return &node{kind: kScalar, str: strconv.FormatFloat(v, 'g', -1, 64), line: line}
	case json.Number:
		return &node{kind: kScalar, str: v.String(), line: line}
	}
	return &node{kind: kScalar, str: fmt.Sprint(v), line: line}
}
