package urlpath

import "strings"

const upperhex = "0123456789ABCDEF"

// keepInPath marks the bytes Escape leaves as they are: unreserved
// characters, / and the sub-delimiters a path may hold, but not the comma,
// which separates the candidates of an <img srcset>.
var keepInPath = byteSet("-._~/!$&'()*+;=:@")

// keepInRedirect marks the bytes a field of _redirects keeps: unreserved
// characters, / and % (the escapes Escape made).
var keepInRedirect = byteSet("-._~/%")

// keepInRef marks the bytes a URL written by people may hold as they are.
var keepInRef = byteSet("-._~:/?#[]@!$&'()*+,;=")

func byteSet(extra string) *[256]bool {
	var set [256]bool
	for c := '0'; c <= '9'; c++ {
		set[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		set[c] = true
		set[c-'a'+'A'] = true
	}
	for i := 0; i < len(extra); i++ {
		set[extra[i]] = true
	}
	return &set
}

// Escape percent-encodes a decoded path ("/tin-tuc/a/Ảnh hội nghị 1.jpg")
// for a URL: every byte but letters, digits, - . _ ~ / and the
// sub-delimiters other than the comma becomes %XX, % and ? and # included.
func Escape(p string) string { return escape(p, keepInPath, false) }

// Redirect makes a URL from Escape safe as a field of _redirects
// (Netlify/Cloudflare): only letters, digits, - . _ ~ / and the % of its
// escapes remain, so no space ends the field, no line break starts a forged
// rule, and no * or : is read as a wildcard or placeholder.
func Redirect(u string) string { return escape(u, keepInRedirect, false) }

// Normalize encodes what a URL written by people (a menu entry, a video
// file in front matter) must not hold — spaces, control characters,
// letters outside ASCII, a % that starts no escape — and keeps the rest:
// its query, fragment and valid escapes.
func Normalize(ref string) string { return escape(ref, keepInRef, true) }

func escape(s string, keep *[256]bool, keepEscapes bool) string {
	i := 0
	for i < len(s) && (keep[s[i]] || keepEscapes && isEscape(s, i)) {
		i++
	}
	if i == len(s) {
		return s // nearly every path: nothing to encode
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if keep[c] || keepEscapes && isEscape(s, i) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperhex[c>>4])
		b.WriteByte(upperhex[c&15])
	}
	return b.String()
}

// isEscape reports whether s[i] is the % of a valid %XX escape.
func isEscape(s string, i int) bool {
	return s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
