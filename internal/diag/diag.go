// Package diag holds the one error shape every stage reports to editors:
// "path:line:col: message", path relative to the site's source folder.
//
// Stages collect all problems of a build (not only the first) into a List;
// warnings ride in the same list and never fail a build.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is one problem at a place in a source file.
type Diagnostic struct {
	Path    string // relative to the source dir, slash-separated
	Line    int    // 1-based; 0 when unknown
	Col     int    // 1-based; 0 when unknown
	Msg     string
	Warning bool
}

// Error formats the diagnostic as path:line:col: message.
func (d Diagnostic) Error() string {
	var b strings.Builder
	writeSafe(&b, d.Path)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	b.WriteString(": ")
	if d.Warning {
		b.WriteString("warning: ")
	}
	writeSafe(&b, d.Msg)
	return b.String()
}

// writeSafe writes s with control and bidi-override characters escaped
// (\u000a): a file name or value holding a line break must not forge a line
// of the report, which CI systems read (GitHub's ::error:: commands).
func writeSafe(b *strings.Builder, s string) {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			fmt.Fprintf(b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
}

// List is the problems found by one or more stages.
type List []Diagnostic

// Errorf adds an error.
func (l *List) Errorf(path string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning.
func (l *List) Warnf(path string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// HasErrors reports whether the list holds anything but warnings.
func (l List) HasErrors() bool {
	for _, d := range l {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if !d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l List) Warnings() List {
	var out List
	for _, d := range l {
		if d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders the list by path, line and column, so output is deterministic
// however the stages ran in parallel.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// Err returns the errors of the list as one error, or nil when there are none.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &Errors{List: errs}
}

// Errors is a List as an error value.
type Errors struct{ List List }

func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, d := range e.List {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// AsList extracts the diagnostics from err, if it carries any.
func AsList(err error) (List, bool) {
	var es *Errors
	if errors.As(err, &es) {
		return es.List, true
	}
	var d Diagnostic
	if errors.As(err, &d) {
		return List{d}, true
	}
	return nil, false
}
