package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"bantin/internal/viet"
)

// Limits on what becomes a key; the client applies the same ones (search.js).
const (
	maxSyllableRunes = 32 // longer runs of letters (a pasted hash, a URL's tail) are not indexed
	maxCompoundRunes = 48
	maxQueryTerms    = 10 // words of a query past the tenth are ignored
)

// lexeme is one exact form of a syllable, shared by all its occurrences.
type lexeme struct {
	exact string // lowercase NFC, marks kept: "đảng"
	fold  string // viet.Fold(exact): "dang"; "" for a run of marks alone, which is not indexed
	runes int
	digit bool // has a decimal digit

	// Set by the indexer the first time it meets the lexeme.
	post *postings // where this exact form occurs
	fid  int32     // number of its fold, for the pair keys
}

// syllable is one run of letters, marks and decimal digits of a text.
type syllable struct {
	*lexeme
	adj  bool // only spaces or one joiner since the previous syllable: a phrase may go on
	join byte // the joiner ('-', '/', '.') right before it, with no space, or 0: a number may go on
}

// compound is a run of two or more syllables tied by joiners, one of them with a digit: a document
// number (09-QC/TW, 42/2022/NĐ-CP), a date (24/11/2022), a term (2020-2025). It is indexed whole,
// besides its syllables, so that a number is found as written.
type compound struct {
	exact, fold string
	first, last int // indexes of its first and last syllables
}

// tokenizer splits text into syllables. It keeps every distinct run of letters it has read, as
// written and normalized: a site has a few tens of thousands, and normalizing and folding each
// occurrence again was most of the work.
type tokenizer struct {
	raw   map[string]*lexeme // by the text as written: "Đảng"
	exact map[string]*lexeme // by exact form: "đảng"
	syls  []syllable
}

func newTokenizer() *tokenizer {
	return &tokenizer{raw: make(map[string]*lexeme), exact: make(map[string]*lexeme)}
}

// isWordRune reports whether r belongs to a syllable: a letter, a mark or a decimal digit of the
// Basic Multilingual Plane (the client compares keys as UTF-16, which orders the BMP as Go does).
func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case 0xC0 <= r && r <= 0x24F: // Latin-1 letters, Latin Extended-A and -B
		return r != 0xD7 && r != 0xF7
	case 0x300 <= r && r <= 0x36F, 0x1E00 <= r && r <= 0x1EFF: // combining marks, Latin Extended Additional
		return true
	case r > 0xFFFF:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// isHSpace reports whether r is white space that does not end a line: words with only such spaces
// between them are adjacent.
func isHSpace(r rune) bool {
	switch r {
	case ' ', '\t', 0xA0, 0x1680, 0x202F, 0x205F, 0x3000:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

// joiner returns the joiner r stands for ('-' for every dash), or 0.
func joiner(r rune) byte {
	switch {
	case r == '-', r == '/', r == '.':
		return byte(r)
	case 0x2010 <= r && r <= 0x2015:
		return '-'
	}
	return 0
}

// isFormat reports whether r is an invisible format character (Unicode Cf: soft hyphen, zero-width
// space and joiners, BOM). Text is read as if they were not there.
func isFormat(r rune) bool {
	return r >= 0xAD && unicode.Is(unicode.Cf, r)
}

// normalize is the form a syllable is read in: format characters removed, lowercase, NFC. Doing
// it syllable by syllable is the same as for the whole text: a syllable holds its marks.
func normalize(s string) string {
	if strings.IndexFunc(s, isFormat) >= 0 {
		s = strings.Map(func(r rune) rune {
			if isFormat(r) {
				return -1
			}
			return r
		}, s)
	}
	return viet.NFC(strings.ToLower(s))
}

// split returns the syllables of s; the slice is reused by the next call.
func (t *tokenizer) split(s string) []syllable {
	t.syls = t.syls[:0]
	gapStart := 0   // where the text since the last syllable began
	prevOK := false // the previous syllable was kept (a dropped one breaks phrases)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
					i++
					continue
				}
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isWordRune(r) && !isFormat(r) {
				break
			}
			i += size
		}
		gap := s[gapStart:start]
		gapStart = i
		lx := t.lexeme(s[start:i])
		if lx.fold == "" || lx.runes > maxSyllableRunes {
			prevOK = false
			continue
		}
		adj, join := gapKind(gap)
		if !prevOK {
			adj, join = false, 0
		}
		t.syls = append(t.syls, syllable{lexeme: lx, adj: adj, join: join})
		prevOK = true
	}
	return t.syls
}

// lexeme returns the lexeme of a run of letters as written.
func (t *tokenizer) lexeme(raw string) *lexeme {
	if lx := t.raw[raw]; lx != nil {
		return lx
	}
	raw = strings.Clone(raw) // the key must not pin the whole text it was cut from
	exact := normalize(raw)
	lx := t.exact[exact]
	if lx == nil {
		if exact == raw {
			exact = raw
		}
		lx = &lexeme{exact: exact, fold: viet.Fold(exact), runes: utf8.RuneCountInString(exact)}
		if lx.fold == exact {
			lx.fold = exact
		}
		lx.digit = strings.IndexFunc(exact, unicode.IsDigit) >= 0
		t.exact[exact] = lx
	}
	t.raw[raw] = lx
	return lx
}

// gapKind says what the text between two syllables makes of them: adjacent when it is only spaces
// (no line break) or one joiner; joined when it is exactly one joiner. Format characters do not count.
func gapKind(gap string) (adj bool, join byte) {
	if gap == " " {
		return true, 0
	}
	n := 0
	adj = true
	for _, r := range gap {
		switch {
		case isFormat(r):
			continue
		case joiner(r) != 0:
			join = joiner(r)
		case !isHSpace(r):
			adj = false
		}
		n++
	}
	if n == 1 && join != 0 {
		return true, join
	}
	return adj && join == 0, 0
}

// compounds calls fn for each compound of syls.
func compounds(syls []syllable, fn func(c compound)) {
	for a := 0; a < len(syls); {
		b, digit, n := a, syls[a].digit, syls[a].runes
		for b+1 < len(syls) && syls[b+1].join != 0 {
			b++
			digit = digit || syls[b].digit
			n += 1 + syls[b].runes
		}
		if b > a && digit && n <= maxCompoundRunes {
			var e, f strings.Builder
			for k := a; k <= b; k++ {
				if k > a {
					e.WriteByte(syls[k].join)
					f.WriteByte(syls[k].join)
				}
				e.WriteString(syls[k].exact)
				f.WriteString(syls[k].fold)
			}
			fn(compound{exact: e.String(), fold: f.String(), first: a, last: b})
		}
		a = b + 1
	}
}

// Term is one word of a query: a syllable, or a compound such as a document number.
type Term struct {
	Exact string // as typed, lowercase NFC: "đảng", "09-qc/tw"
	Fold  string // marks removed, đ → d: "dang"
	// First and Last are the folds of its first and last syllables (the term itself unless it is a
	// compound), which meet the neighbouring terms in phrases.
	First, Last string
	Compound    bool
}

// Marked reports whether the term was typed with marks, so that the same marks rank higher.
func (t Term) Marked() bool { return t.Exact != t.Fold }

// ParseQuery splits a query into terms: its syllables, a compound in place of the syllables it
// joins, at most maxQueryTerms of them.
func ParseQuery(q string) []Term {
	t := newTokenizer()
	syls := t.split(q)
	var terms []Term
	next := 0
	add := func(upTo int) { // the plain syllables before index upTo
		for ; next < upTo; next++ {
			s := syls[next]
			terms = append(terms, Term{Exact: s.exact, Fold: s.fold, First: s.fold, Last: s.fold})
		}
	}
	compounds(syls, func(c compound) {
		add(c.first)
		terms = append(terms, Term{Exact: c.exact, Fold: c.fold, First: syls[c.first].fold, Last: syls[c.last].fold, Compound: true})
		next = c.last + 1
	})
	add(len(syls))
	if len(terms) > maxQueryTerms {
		terms = terms[:maxQueryTerms]
	}
	return terms
}
