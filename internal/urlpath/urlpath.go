package urlpath

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// MaxSegment is the longest segment, in bytes: a longer file name fails
	// on every common file system.
	MaxSegment = 255
	// MaxPath is the longest alias, in bytes.
	MaxPath = 2000
)

// Alias checks an alias as written in front matter ("/tin-cu/a/",
// "/tin-t%E1%BB%A9c/", "/Default.aspx?tabid=1&ArticleId=42") and returns
// its path percent-decoded (the file it names in the output) and its query
// as written ("" for a path alias).
func Alias(raw string) (p, query string, err error) {
	switch {
	case raw == "":
		return "", "", errors.New("is empty")
	case len(raw) > MaxPath:
		return "", "", fmt.Errorf("is %d bytes long, more than %d", len(raw), MaxPath)
	}
	if s := scheme(raw); s != "" {
		return "", "", fmt.Errorf("has a scheme (%s:): an alias is a path of this site, starting with /", s)
	}
	if !strings.HasPrefix(raw, "/") {
		return "", "", errors.New("must be a path from the site root, starting with /")
	}
	rawPath, query, hasQuery := strings.Cut(raw, "?")
	if err := checkPath(rawPath, true); err != nil {
		return "", "", err
	}
	p, err = url.PathUnescape(rawPath)
	if err != nil {
		return "", "", errors.New("has a % that is not followed by two hex digits (write a literal % as %25)")
	}
	if p != rawPath {
		if err := checkPath(p, false); err != nil {
			return "", "", fmt.Errorf("decoded as %q, %w", p, err)
		}
	}
	if hasQuery {
		if err := checkQuery(query); err != nil {
			return "", "", err
		}
	}
	return p, query, nil
}

// checkPath checks a path from the site root, as written (raw: % starts an
// escape) or decoded (a % or ? is then a character of a file name, which
// servers that decode twice would misread).
func checkPath(p string, raw bool) error {
	if !utf8.ValidString(p) {
		return errors.New("is not valid UTF-8")
	}
	if strings.HasPrefix(p, "//") {
		return errors.New("starts with //, which browsers read as another host")
	}
	for _, r := range p {
		if err := pathRune(r, raw); err != nil {
			return err
		}
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "" {
			if i == len(segs)-1 {
				continue // a trailing slash
			}
			return errors.New("has an empty segment (//)")
		}
		if err := segmentShape(seg); err != nil {
			return err
		}
	}
	return nil
}

// segmentShape checks what makes one segment leave its folder or hide.
func segmentShape(seg string) error {
	switch {
	case seg == "..":
		return errors.New("has a .. segment, which names a folder outside its own")
	case seg == ".":
		return errors.New("has a . segment")
	case seg[0] == '.':
		return fmt.Errorf("has a segment starting with a dot (%q): hidden files such as .git or .htaccess are not published", seg)
	case len(seg) > MaxSegment:
		return fmt.Errorf("has a segment of %d bytes, more than %d", len(seg), MaxSegment)
	}
	return nil
}

// pathRune checks one character of an alias's path.
func pathRune(r rune, raw bool) error {
	if err := invisible(r); err != nil {
		return err
	}
	switch {
	case unicode.IsSpace(r):
		return fmt.Errorf("has a space (U+%04X)", r)
	case r == '\\':
		return errors.New("has a backslash, which some servers read as /")
	case r == '#':
		return errors.New("has a #: a browser never sends what follows it")
	case r == '*':
		return errors.New("has a *, which _redirects reads as a wildcard")
	case r == ':':
		return errors.New("has a :, which _redirects reads as a placeholder")
	case r == '%' && !raw:
		return errors.New("has a % once decoded (%25)")
	case r == '?' && !raw:
		return errors.New("has a ? once decoded (%3F)")
	case r == '%', r == '/', isAlnum(r), strings.ContainsRune("-._~!$&'()+,;=@", r):
		return nil
	case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)):
		return nil
	}
	return fmt.Errorf("has %q, which a URL path should not hold", r)
}

// invisible reports a character no one can see in a file: control
// characters, line and paragraph separators, and formatting characters
// (bidirectional overrides, zero-width spaces).
func invisible(r rune) error {
	switch {
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\u0085':
		return fmt.Errorf("has a line break (U+%04X)", r)
	case r == '\t':
		return errors.New("has a tab (U+0009)")
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return fmt.Errorf("has a control character (U+%04X)", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Errorf("has an invisible formatting character (U+%04X)", r)
	case r == utf8.RuneError:
		return errors.New("is not valid UTF-8")
	}
	return nil
}

// checkQuery checks an alias's query: key=value pairs, which _redirects
// matches, with nothing that ends a line or a field.
func checkQuery(q string) error {
	if q == "" {
		return errors.New("ends with ? and no query")
	}
	if !utf8.ValidString(q) {
		return errors.New("has a query that is not valid UTF-8")
	}
	for _, r := range q {
		if err := invisible(r); err != nil {
			return fmt.Errorf("in its query, %w", err)
		}
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("has a space (U+%04X) in its query", r)
		case r == '#':
			return errors.New("has a # in its query: a browser never sends what follows it")
		}
	}
	for _, param := range strings.Split(q, "&") {
		if param == "" {
			continue
		}
		k, v, ok := strings.Cut(param, "=")
		if !ok || k == "" {
			return fmt.Errorf("has the query parameter %q, which is not key=value (_redirects matches key=value pairs)", param)
		}
		for _, s := range []string{k, v} {
			d, err := url.QueryUnescape(s)
			if err != nil {
				return fmt.Errorf("has a %% in its query that is not followed by two hex digits (%q)", s)
			}
			for _, r := range d {
				if err := invisible(r); err != nil {
					return fmt.Errorf("in its query once decoded, %w", err)
				}
			}
		}
	}
	return nil
}

// Segment checks one URL segment named in configuration (site.yaml paths:):
// letters of any script, digits and - _ . ~, not starting with a dot.
func Segment(s string) error {
	switch {
	case s == "":
		return errors.New("is empty")
	case !utf8.ValidString(s):
		return errors.New("is not valid UTF-8")
	case s == "..":
		return errors.New("is .., which names a folder outside its own")
	case s == ".":
		return errors.New("is ., which names no folder")
	}
	if sc := scheme(s); sc != "" {
		return fmt.Errorf("has a scheme (%s:): it must be one URL segment such as tin-tuc", sc)
	}
	for _, r := range s {
		if err := invisible(r); err != nil {
			return err
		}
		switch {
		case unicode.IsSpace(r):
			return fmt.Errorf("has a space (U+%04X)", r)
		case r == '/':
			return errors.New("has a /")
		case r == '\\':
			return errors.New("has a backslash")
		case isAlnum(r), r == '-', r == '_', r == '.', r == '~':
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)):
		default:
			return fmt.Errorf("has %q: use letters, digits, - _ . or ~", r)
		}
	}
	if s[0] == '.' {
		return errors.New("starts with a dot: hidden folders such as .git are not published")
	}
	return segmentShape(s)
}

// Name checks a file or folder name that editors chose, as a slash path
// relative to its folder (static/ or a page bundle): "Ảnh hội nghị 1.jpg"
// and "2023/báo cáo.pdf" are fine.
func Name(p string) error {
	switch {
	case p == "":
		return errors.New("is empty")
	case !utf8.ValidString(p):
		return errors.New("is not valid UTF-8: rename it")
	case p[0] == '/':
		return errors.New("is an absolute path")
	}
	for _, r := range p {
		if err := invisible(r); err != nil {
			return err
		}
		if r == '\\' {
			return errors.New("has a backslash, which Windows reads as a folder separator")
		}
	}
	for _, seg := range strings.Split(p, "/") {
		switch {
		case seg == "":
			return errors.New("has an empty segment (//)")
		case seg == "." || seg == "..":
			return fmt.Errorf("has a %s segment, which leaves its folder", seg)
		case len(seg) > MaxSegment:
			return fmt.Errorf("has a name of %d bytes, more than %d", len(seg), MaxSegment)
		}
	}
	return nil
}

// scheme returns the scheme a string starts with ("javascript" of
// "javascript:alert(1)"), or "".
func scheme(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i]
		default:
			return ""
		}
	}
	return ""
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}
