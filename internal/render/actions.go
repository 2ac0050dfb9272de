package render

import (
	"strconv"
	"strings"
)

// quietActions rewrites a layout's template actions so that the HTML
// minifier reads them right, without changing what the template does. The
// minifier skips {{ … }} but treats ' and " inside as quotes, so an
// apostrophe in a comment ({{/* the footer's links */}}) or a quote in a raw
// string opened a "string" that ran to the end of the layout, which was then
// left unminified. Comments lose their text (trim markers stay) and raw
// strings become the same string double-quoted.
func quietActions(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+2])
		s = s[i+2:]
		// The comment forms text/template knows: {{/* … */}}, with "- " and " -" trim markers.
		mark := 0
		if len(s) >= 2 && s[0] == '-' && isTemplateSpace(s[1]) {
			mark = 2
		}
		if strings.HasPrefix(s[mark:], "/*") {
			if end := strings.Index(s[mark+2:], "*/"); end >= 0 {
				b.WriteString(s[:mark] + "/**/")
				s = s[mark+2+end+2:]
				continue
			}
		}
		s = copyAction(&b, s)
	}
}

// copyAction copies one action's text up to and including its "}}",
// stepping over strings and character constants, and returns the rest.
func copyAction(b *strings.Builder, s string) string {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '}':
			if strings.HasPrefix(s[i:], "}}") {
				b.WriteString(s[:i+2])
				return s[i+2:]
			}
		case '"', '\'':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			i = min(j, len(s)-1)
		case '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				b.WriteString(s)
				return ""
			}
			b.WriteString(s[:i] + strconv.Quote(s[i+1:i+1+end]))
			s = s[i+1+end+1:]
			i = -1
		}
	}
	b.WriteString(s)
	return ""
}

// isTemplateSpace reports whether c is a space text/template accepts beside a trim marker.
func isTemplateSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
