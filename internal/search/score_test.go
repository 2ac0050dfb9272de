package search

import (
	"slices"
	"testing"
)

// Shorthands for the tables: how one word matched.
var (
	exactTitle = WordMatch{Marks: true, Whole: true, Field: Title}
	exactBody  = WordMatch{Marks: true, Whole: true, Field: Body}
	otherTitle = WordMatch{Whole: true, Field: Title} // another form of the word (đăng for đảng)
	otherBody  = WordMatch{Whole: true, Field: Body}
	plainTitle = WordMatch{Whole: true, Field: Title} // typed without marks, so no form is "the same"
	plainMeta  = WordMatch{Whole: true, Field: Meta}
	plainBody  = WordMatch{Whole: true, Field: Body}
	prefixBody = WordMatch{Field: Body} // the last word found only as the start of a longer word
)

// TestScoreOrder reads like SPEC §3b: each row says which of two documents ranks first.
func TestScoreOrder(t *testing.T) {
	for _, tc := range []struct {
		name         string
		above, below Match
	}{
		{"“đảng”: Đảng (same marks) above đăng, even when đăng is in the title",
			Match{Words: []WordMatch{exactBody}},
			Match{Words: []WordMatch{otherTitle}}},
		{"“sơ kết”: both words with their marks above one",
			Match{Words: []WordMatch{exactBody, exactBody}, Pairs: []Field{NotFound}},
			Match{Words: []WordMatch{exactTitle, otherTitle}, Pairs: []Field{Title}}},
		{"“so ket”: the phrase sơ kết above sơ … kết scattered in the title",
			Match{Words: []WordMatch{plainBody, plainBody}, Pairs: []Field{Body}},
			Match{Words: []WordMatch{plainTitle, plainTitle}, Pairs: []Field{NotFound}}},
		{"“dang uy”: the phrase in the title above the phrase in the body",
			Match{Words: []WordMatch{plainTitle, plainTitle}, Pairs: []Field{Title}},
			Match{Words: []WordMatch{plainTitle, plainTitle}, Pairs: []Field{Body}}},
		{"title above tags, participants, numbers and tasks",
			Match{Words: []WordMatch{plainTitle}},
			Match{Words: []WordMatch{plainMeta}}},
		{"tags, participants, numbers and tasks above body",
			Match{Words: []WordMatch{plainMeta}},
			Match{Words: []WordMatch{plainBody}}},
		{"“phat tri”: a whole last word (tri) above a prefix (triển) when nothing else differs",
			Match{Words: []WordMatch{plainBody, plainBody}, Pairs: []Field{Body}},
			Match{Words: []WordMatch{plainBody, prefixBody}, Pairs: []Field{Body}}},
		{"“phat tri”: the phrase phát triển above phát … tri scattered",
			Match{Words: []WordMatch{plainBody, prefixBody}, Pairs: []Field{Body}},
			Match{Words: []WordMatch{plainBody, plainBody}, Pairs: []Field{NotFound}}},
	} {
		a, b := tc.above.Score(), tc.below.Score()
		if a.Compare(b) != 1 || b.Compare(a) != -1 {
			t.Errorf("%s: %+v should rank above %+v", tc.name, a, b)
		}
	}
}

func TestScore(t *testing.T) {
	m := Match{Words: []WordMatch{exactTitle, prefixBody, otherBody}, Pairs: []Field{Title, NotFound}}
	if got, want := m.Score(), (Score{Marks: 1, Phrases: 1, Whole: 2, Fields: 3 + 1 + 1 + 3}); got != want {
		t.Errorf("Score = %+v, want %+v", got, want)
	}
	if got := (Score{}).Compare(Score{}); got != 0 {
		t.Errorf("equal scores compare %d", got)
	}
}

// TestRank: best first; when scores tie, newer (higher id) first.
func TestRank(t *testing.T) {
	s := Match{Words: []WordMatch{plainBody}}.Score()
	best := Match{Words: []WordMatch{plainTitle}}.Score()
	hits := []Hit{{ID: 1, Score: s}, {ID: 7, Score: s}, {ID: 0, Score: best}, {ID: 3, Score: s}}
	Rank(hits)
	var ids []int
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	if want := []int{0, 7, 3, 1}; !slices.Equal(ids, want) {
		t.Errorf("Rank: %v, want %v", ids, want)
	}
}

func TestBetter(t *testing.T) {
	// A word's match is one form in one field: the same marks in the body beat another form in the title.
	if !exactBody.better(otherTitle) || otherTitle.better(exactBody) {
		t.Error("same marks should come first")
	}
	if !plainBody.better(prefixBody) || !plainTitle.better(plainBody) || plainBody.better(plainBody) {
		t.Error("whole, then field")
	}
}

// TestLead: among pages that match equally well, a title that starts with
// the query's first word ranks first (the seed article "Sơ kết 1 năm …" above
// a newer "Hội nghị … sơ kết …"), and it decides nothing else.
func TestLead(t *testing.T) {
	docs := []Doc{
		{URL: "/so-ket/", Title: "Sơ kết 1 năm quy chế phối hợp", Date: day(2022, 11, 24)},
		{URL: "/hoi-nghi/", Title: "Hội nghị lần thứ 16 sơ kết công tác 6 tháng", Date: day(2024, 7, 18)},
		{URL: "/ket/", Title: "Kết quả sơ bộ", Body: "sơ kết", Date: day(2025, 1, 1)},
	}
	files, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"so ket", "Sơ kết", "SO KET"} {
		if got, want := urls(search(t, files, q, Filter{})), []string{"/so-ket/", "/hoi-nghi/", "/ket/"}; !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
	// A phrase in the title still ranks above a title that only starts with the word.
	if got := urls(search(t, files, "ket qua", Filter{})); len(got) == 0 || got[0] != "/ket/" {
		t.Errorf("ket qua: %q", got)
	}
	if a, b := (Match{Lead: true}).Score(), (Match{Pairs: []Field{Title}}).Score(); a.Compare(b) >= 0 {
		t.Errorf("a leading word %+v ranks with a phrase %+v", a, b)
	}
}
