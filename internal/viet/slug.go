package viet

import (
	"strings"
	"unicode/utf8"
)

// Slug makes a URL segment of s: NFC, lowercase, tone and vowel marks dropped, đ/Đ → d, every run of
// other characters → one '-', no leading or trailing '-'. The result matches ^[a-z0-9-]*$ and
// Slug(Slug(s)) == Slug(s). Letters of other scripts have no ASCII fold and act as separators.
//
//	Slug("Đảng ủy Khối")        == "dang-uy-khoi"
//	Slug("Nghị quyết 57-NQ/TW") == "nghi-quyet-57-nq-tw"
func Slug(s string) string {
	if isSlug(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	sep := false // a separator is pending; written only before the next letter
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				sep = true
				continue
			}
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		f := foldRune(r)
		if f.kind == kindDrop {
			continue
		}
		if f.kind == kindSpace || f.slug == "" {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('-')
		}
		sep = false
		b.WriteString(f.slug)
	}
	return b.String()
}

// isSlug reports whether s is already a slug, so Slug can return it without allocating.
func isSlug(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// SlugMax is Slug cut at a hyphen to at most n bytes (slugs are ASCII, so also n characters); it is
// how `bantin new` names a file after a long title. When even the first word is longer than n, the
// word is cut at n.
func SlugMax(s string, n int) string {
	if n <= 0 {
		return ""
	}
	slug := Slug(s)
	if len(slug) <= n {
		return slug
	}
	if slug[n] == '-' { // the cut falls exactly at a word end
		return slug[:n]
	}
	if i := strings.LastIndexByte(slug[:n], '-'); i > 0 {
		return slug[:i]
	}
	return slug[:n]
}

// Fold is the search form of s: NFC, lowercase, marks dropped, đ → d, as in Slug, but spaces and
// punctuation are kept; runs of white space become one space and the ends are trimmed.
// Fold("Sơ kết  1 năm!") == "so ket 1 nam!". Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	if isASCII(s) {
		return foldASCII(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending; written only before the next visible rune
	wide := false  // a non-ASCII rune was written, so the result may need NFC
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if isASCIISpace(c) {
				space = space || b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		f := foldRune(r)
		switch f.kind {
		case kindDrop:
			continue
		case kindSpace:
			space = space || b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case f.search != "":
			b.WriteString(f.search)
			wide = true
		case f.same < utf8.RuneSelf:
			b.WriteByte(byte(f.same))
		default:
			b.WriteRune(f.same)
			wide = true
		}
	}
	if wide {
		// Dropping marks leaves no combining sequences behind, but decomposed Hangul and a few
		// other scripts must be recomposed so that Fold's output is NFC like everything else.
		return NFC(b.String())
	}
	return b.String()
}

// foldASCII is Fold for ASCII text; text that is already folded is returned without allocating.
func foldASCII(s string) string {
	if isFoldedASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isASCIISpace(c) {
			space = space || b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isFoldedASCII reports whether ASCII s is already what Fold would return.
func isFoldedASCII(s string) bool {
	if s == "" {
		return true
	}
	if isASCIISpace(s[0]) || isASCIISpace(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			return false
		case c == ' ':
			if s[i-1] == ' ' {
				return false
			}
		case isASCIISpace(c):
			return false
		}
	}
	return true
}

// isASCIISpace reports whether c is white space by unicode.IsSpace.
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
