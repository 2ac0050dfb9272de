package search

import "slices"

// Field is where a word was found, and its weight in ranking: title above tags, people, numbers
// and tasks ("meta") above body. NotFound is 0.
type Field int

const (
	NotFound Field = iota
	Body
	Meta
	Title
)

// WordMatch is how one query word matched a document, at its best.
type WordMatch struct {
	Marks bool  // the word was typed with marks and found with the same marks
	Whole bool  // found as a whole word (the last query word may match as a prefix only)
	Field Field // the best field it was found in
}

// better reports whether w is a better match of a word than v: the same marks first, then whole,
// then the field. A word's best match is one form found in one field: đăng in the title does
// not lift a document where the query's đảng is only in the body.
func (w WordMatch) better(v WordMatch) bool {
	if w.Marks != v.Marks {
		return w.Marks
	}
	if w.Whole != v.Whole {
		return w.Whole
	}
	return w.Field > v.Field
}

// Match is how a document matched a query: one WordMatch per query word (all of them found),
// and for each pair of neighbouring query words the best field where the two are adjacent, in
// the query's order, or NotFound; Lead when its title starts with the query's first word.
type Match struct {
	Words []WordMatch
	Pairs []Field
	Lead  bool
}

// LeadMark marks the key under which a title's first syllable is indexed again: "^so" for
// "Sơ kết …". A query cannot hold it (it is not a letter).
const LeadMark = "^"

// Score ranks a match: the fields are compared in order, the first difference decides.
type Score struct {
	Marks   int // words found with the marks typed: "đảng" ranks Đảng above đăng
	Phrases int // neighbouring query words found adjacent: "so ket" ranks "sơ kết" above "kết … cơ sở"
	Whole   int // words found whole rather than as a prefix: "ha" ranks "Hà" above "hàng"
	Fields  int // the field weights of the words and of the phrases: title above meta above body
	Lead    int // 1 when the title starts with the query's first word: "so ket" ranks "Sơ kết …" above "Hội nghị … sơ kết …"
}

// Score computes m's score. It is the client's scoring too (search.js, score).
func (m Match) Score() Score {
	var s Score
	for _, w := range m.Words {
		if w.Marks {
			s.Marks++
		}
		if w.Whole {
			s.Whole++
		}
		s.Fields += int(w.Field)
	}
	for _, f := range m.Pairs {
		if f != NotFound {
			s.Phrases++
			s.Fields += int(f)
		}
	}
	if m.Lead {
		s.Lead = 1
	}
	return s
}

// Compare returns +1 when a ranks above b, -1 when below, 0 when they tie.
func (a Score) Compare(b Score) int {
	for _, d := range [...]int{a.Marks - b.Marks, a.Phrases - b.Phrases, a.Whole - b.Whole, a.Fields - b.Fields, a.Lead - b.Lead} {
		switch {
		case d > 0:
			return 1
		case d < 0:
			return -1
		}
	}
	return 0
}

// Rank sorts hits best first: higher score, then newer (ids are given oldest first, so a higher
// id is newer; equal dates are ordered by URL when ids are given).
func Rank(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := b.Score.Compare(a.Score); c != 0 {
			return c
		}
		return b.ID - a.ID
	})
}
