package viet

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// runeKind says how Slug and Fold treat a rune.
type runeKind uint8

const (
	kindText  runeKind = iota // emit the rune's folds
	kindSpace                 // white space: a separator in slugs, one space in Fold
	kindDrop                  // marks and invisible format characters: vanish without splitting a word
)

// runeFold is what one rune becomes.
type runeFold struct {
	kind   runeKind
	slug   string // ASCII [a-z0-9]+ for the slug; "" makes the rune a separator
	search string // Fold's output: lowercase, marks dropped, đ → d; NFC is restored by the caller
	same   rune   // when search is "", Fold emits this one rune (saves a string per CJK rune)
}

// Table ranges: Latin-1 Supplement through IPA, and Latin Extended Additional (all of Vietnamese).
const (
	loFirst  = 0x00A0
	loLast   = 0x02AF
	extFirst = 0x1E00
	extLast  = 0x1EFF
)

// foldTable caches foldRuneSlow for the ranges Vietnamese text lives in.
type foldTable struct {
	lo  [loLast - loFirst + 1]runeFold
	ext [extLast - extFirst + 1]runeFold
}

// folds is built once at start-up and only read afterwards, so sharing it is safe.
var folds = newFoldTable()

func newFoldTable() *foldTable {
	t := new(foldTable)
	for r := rune(loFirst); r <= loLast; r++ {
		t.lo[r-loFirst] = foldRuneSlow(r)
	}
	for r := rune(extFirst); r <= extLast; r++ {
		t.ext[r-extFirst] = foldRuneSlow(r)
	}
	return t
}

// foldRune returns how r folds, from the table when it can.
func foldRune(r rune) runeFold {
	switch {
	case r >= loFirst && r <= loLast:
		return folds.lo[r-loFirst]
	case r >= extFirst && r <= extLast:
		return folds.ext[r-extFirst]
	}
	return foldRuneSlow(r)
}

// foldRuneSlow computes a rune's folds from Unicode data; the table is built from it, so the fast
// and slow paths cannot disagree.
func foldRuneSlow(r rune) runeFold {
	if unicode.IsSpace(r) {
		return runeFold{kind: kindSpace}
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return runeFold{kind: kindDrop}
	}
	var search, slug []byte
	lower := unicode.ToLower(r)
	var enc [utf8.UTFMax]byte
	n := utf8.EncodeRune(enc[:], lower)
	dec := enc[:n]
	// A full canonical decomposition, so "ự" gives u + horn + dot below and both marks go.
	if d := norm.NFD.Properties(dec).Decomposition(); d != nil {
		dec = d
	}
	for _, c := range string(dec) {
		if unicode.In(c, unicode.Mn, unicode.Me) {
			continue
		}
		c = unicode.ToLower(c)
		if isDLookalike(c) {
			c = 'd'
		}
		search = utf8.AppendRune(search, c)
		slug = append(slug, asciiFold(c)...)
	}
	if len(search) == 0 {
		// Only marks (e.g. U+0344 decomposes to two marks): behave like a mark.
		return runeFold{kind: kindDrop}
	}
	f := runeFold{kind: kindText, slug: string(slug)}
	if c, size := utf8.DecodeRune(search); size == len(search) {
		f.same = c
	} else {
		f.search = string(search)
	}
	return f
}

// isDLookalike reports whether c is a lowercase letter that looks like đ (see doc.go).
func isDLookalike(c rune) bool {
	return c == 'đ' || c == 'ð' || c == 'ɖ'
}

// asciiFold spells a lowercase, mark-free rune in ASCII letters and digits, or returns "".
func asciiFold(c rune) string {
	switch {
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return string(c)
	case c >= 'Ａ' && c <= 'Ｚ': // fullwidth forms, from CJK input methods
		return string(c - 'Ａ' + 'a')
	case c >= 'ａ' && c <= 'ｚ':
		return string(c - 'ａ' + 'a')
	case c >= '０' && c <= '９':
		return string(c - '０' + '0')
	}
	return latinSpelling(c)
}

// latinSpelling spells Latin letters that have no canonical decomposition to an ASCII letter
// (so dropping marks is not enough). Lowercase only: callers lowercase first. Letters with no obvious
// spelling (ezh, yogh, clicks, tone letters …) are left out and so become separators.
func latinSpelling(c rune) string {
	switch c {
	case 'ª', 'ⱥ', 'ẚ', 'ɑ', 'ɐ':
		return "a"
	case 'º', 'ø', 'ɔ', 'ɵ':
		return "o"
	case 'æ':
		return "ae"
	case 'þ':
		return "th"
	case 'ß':
		return "ss"
	case 'ħ', 'ɦ', 'ʜ':
		return "h"
	case 'ı', 'ɨ', 'ɪ':
		return "i"
	case 'ĳ':
		return "ij"
	case 'ĸ', 'ƙ':
		return "k"
	case 'ŀ', 'ł', 'ƚ', 'ȴ', 'ɫ', 'ɬ', 'ɭ', 'ʟ':
		return "l"
	case 'ŉ', 'ɲ', 'ƞ', 'ȵ', 'ɳ', 'ɴ':
		return "n"
	case 'ŋ':
		return "ng"
	case 'œ', 'ɶ':
		return "oe"
	case 'ŧ', 'ƫ', 'ƭ', 'ʈ', 'ȶ', 'ⱦ':
		return "t"
	case 'ſ', 'ȿ', 'ẜ', 'ẝ', 'ʂ':
		return "s"
	case 'ƀ', 'ɓ', 'ƃ', 'ʙ':
		return "b"
	case 'ƈ', 'ȼ', 'ɕ':
		return "c"
	case 'ɗ', 'ƌ', 'ȡ':
		return "d"
	case 'ǝ', 'ə', 'ɛ', 'ɇ':
		return "e"
	case 'ƒ':
		return "f"
	case 'ɠ', 'ǥ', 'ɡ', 'ɢ':
		return "g"
	case 'ƣ':
		return "oi"
	case 'ƥ':
		return "p"
	case 'ʀ', 'ɍ', 'ɽ', 'ɾ':
		return "r"
	case 'ʋ', 'ỽ':
		return "v"
	case 'ƴ', 'ɏ', 'ỿ', 'ʏ':
		return "y"
	case 'ƶ', 'ȥ', 'ɀ', 'ʐ', 'ʑ':
		return "z"
	case 'ǆ', 'ǳ':
		return "dz"
	case 'ǉ':
		return "lj"
	case 'ǌ':
		return "nj"
	case 'ƕ':
		return "hv"
	case 'ȣ':
		return "ou"
	case 'ȷ', 'ɉ', 'ɟ', 'ʝ':
		return "j"
	case 'ȸ':
		return "db"
	case 'ȹ':
		return "qp"
	case 'ʉ':
		return "u"
	case 'ɋ':
		return "q"
	case 'ỻ':
		return "ll"
	case 'ɱ':
		return "m"
	}
	return ""
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// NFC returns s normalized to Unicode NFC. ASCII and already-NFC text is returned as is.
func NFC(s string) string {
	if isASCII(s) {
		return s
	}
	return norm.NFC.String(s)
}

// NFCBytes returns b normalized to NFC: b itself, not a copy, when it is
// already NFC. Vietnamese text typed on Windows, Android and most web forms
// is precomposed, so the common runs (ASCII, Latin letters with marks,
// U+1E00–U+1EFF, typographic punctuation) are skipped without table lookups.
func NFCBytes(b []byte) []byte {
	prev := 0 // start of the last rune known to be a safe starter
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			prev = i
			i++
			continue
		case c >= 0xC2 && c <= 0xCB && i+1 < len(b): // U+0080–U+02FF: Latin-1, Latin Extended-A/B, IPA, modifiers
			prev = i
			i += 2
			continue
		case c == 0xE1 && i+2 < len(b) && (b[i+1] == 0xB8 || b[i+1] == 0xB9 || b[i+1] == 0xBA || b[i+1] == 0xBB): // U+1E00–U+1EFF
			prev = i
			i += 3
			continue
		case c == 0xE2 && i+2 < len(b) && ((b[i+1] == 0x80 && b[i+2] >= 0x90) || (b[i+1] == 0x81 && b[i+2] <= 0x9E)): // U+2010–U+205E
			prev = i
			i += 3
			continue
		}
		// Something else: let the full check decide from the last safe
		// starter on, so a combining mark after it is seen with its base.
		if norm.NFC.IsNormal(b[prev:]) {
			return b
		}
		return norm.NFC.Bytes(b)
	}
	return b
}
