package viet

import (
	"bytes"
	"slices"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// collator is one goroutine's collation state: x/text's Collator and Buffer are not safe to share.
type collator struct {
	c      *collate.Collator
	buf    collate.Buffer
	nfc    []byte // the input in NFC
	in     []byte // the NFC input as rewritten by prepare
	ka, kb []byte // keys of the strings under comparison
}

// collators hands each caller its own collator; the pool is a cache, not state anyone can observe.
var collators = sync.Pool{New: func() any {
	return &collator{c: collate.New(language.Vietnamese)}
}}

// appendKey appends the full sort key of s to dst: the Vietnamese collation key of NFC(s) as
// rewritten by prepare, a 0 byte, then NFC(s) itself to order strings that collate equal. Collation
// keys end in tertiary weights, which are never 0, so a key that is a prefix of another sorts first.
func (c *collator) appendKey(dst []byte, s string) []byte {
	// x/text does not normalize fully: it reads "u + dot below + horn" (marks out of canonical
	// order) as u, not ư, and weighs NFC and NFD forms of some letters differently. NFC first.
	c.nfc = norm.NFC.AppendString(c.nfc[:0], s)
	c.in = prepare(c.in[:0], c.nfc)
	dst = append(dst, c.c.Key(&c.buf, c.in)...)
	c.buf.Reset()
	dst = append(dst, 0)
	return append(dst, c.nfc...)
}

// prepare rewrites s for x/text: runs of ASCII digits become a length code and the digits without
// leading zeros, so numbers compare by value; Ð, ð, Ɖ, ɖ become Đ, đ (see doc.go).
func prepare(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			j := i
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			digits := bytes.TrimLeft(s[i:j], "0")
			dst = appendLengthCode(dst, len(digits))
			dst = append(dst, digits...)
			i = j
			continue
		case c == 0xC3 && i+1 < len(s) && s[i+1] == 0x90, // Ð U+00D0
			c == 0xC6 && i+1 < len(s) && s[i+1] == 0x89: // Ɖ U+0189
			dst = append(dst, "Đ"...)
			i += 2
			continue
		case c == 0xC3 && i+1 < len(s) && s[i+1] == 0xB0, // ð U+00F0
			c == 0xC9 && i+1 < len(s) && s[i+1] == 0x96: // ɖ U+0256
			dst = append(dst, "đ"...)
			i += 2
			continue
		}
		dst = append(dst, c)
		i++
	}
	return dst
}

// appendLengthCode spells n = 9k + r (r < 9) as k '9's then the digit r. The code is prefix-free (only
// its last digit is below 9) and a longer number's code sorts after a shorter one's.
func appendLengthCode(dst []byte, n int) []byte {
	for ; n >= 9; n -= 9 {
		dst = append(dst, '9')
	}
	return append(dst, byte('0'+n))
}

// Compare orders a and b by Vietnamese collation and returns -1, 0 or +1: letters in the order
// a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, then tone marks (secondary, in the
// order a à ả ã á ạ), then case (lowercase first); numbers by value. It returns 0 only when
// NFC(a) == NFC(b). Safe for concurrent use.
func Compare(a, b string) int {
	if a == b {
		return 0
	}
	c := collators.Get().(*collator)
	c.ka = c.appendKey(c.ka[:0], a)
	c.kb = c.appendKey(c.kb[:0], b)
	r := bytes.Compare(c.ka, c.kb)
	collators.Put(c)
	return r
}

// Less reports whether a sorts before b by Compare.
func Less(a, b string) bool {
	return Compare(a, b) < 0
}

// Key returns a sort key for s: bytes.Compare(Key(a), Key(b)) == Compare(a, b). Compute keys once
// when sorting many items (a key is about five times the length of s).
func Key(s string) []byte {
	c := collators.Get().(*collator)
	c.ka = c.appendKey(c.ka[:0], s)
	k := slices.Clone(c.ka)
	collators.Put(c)
	return k
}

// SortStrings sorts s in place by Compare, computing each key once. Strings that compare equal
// (the same text in NFC and NFD) keep their order.
func SortStrings(s []string) {
	if len(s) < 2 {
		return
	}
	type item struct {
		key []byte
		i   int
	}
	c := collators.Get().(*collator)
	var arena []byte // one growing buffer for all keys rather than one allocation each
	ends := make([]int, len(s))
	for i, x := range s {
		arena = c.appendKey(arena, x)
		ends[i] = len(arena)
	}
	collators.Put(c)
	items := make([]item, len(s))
	start := 0
	for i := range s {
		items[i] = item{key: arena[start:ends[i]:ends[i]], i: i}
		start = ends[i]
	}
	// pdqsort with the index as tie-break: stable, and faster than SortStableFunc's merging.
	slices.SortFunc(items, func(a, b item) int {
		if r := bytes.Compare(a.key, b.key); r != 0 {
			return r
		}
		return a.i - b.i
	})
	sorted := make([]string, len(s))
	for k, it := range items {
		sorted[k] = s[it.i]
	}
	copy(s, sorted)
}
