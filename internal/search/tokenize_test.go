package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"bantin/internal/viet"
	"golang.org/x/text/unicode/norm"
)

// words returns the exact forms, the folds and the adjacency of s's syllables as strings:
// "đảng ủy|khối" has a phrase break before khối.
func words(s string) (exact, fold string) {
	var e, f strings.Builder
	for k, sy := range newTokenizer().split(s) {
		if k > 0 {
			sep := "|"
			if sy.adj {
				sep = " "
			}
			e.WriteString(sep)
			f.WriteString(sep)
		}
		e.WriteString(sy.exact)
		f.WriteString(sy.fold)
	}
	return e.String(), f.String()
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct{ in, exact, fold string }{
		{"Đảng ủy Khối", "đảng ủy khối", "dang uy khoi"},
		{"SƠ KẾT 6 THÁNG", "sơ kết 6 tháng", "so ket 6 thang"},
		{"đăng ký, dự thi", "đăng ký|dự thi", "dang ky|du thi"},           // a comma ends a phrase
		{"Hội nghị\nsơ kết", "hội nghị|sơ kết", "hoi nghi|so ket"},        // so does a line break
		{"Kiểm tra - giám sát", "kiểm tra|giám sát", "kiem tra|giam sat"}, // a dash between spaces too
		{"kinh tế-xã hội", "kinh tế xã hội", "kinh te xa hoi"},            // one joiner keeps it
		{"TP.HCM", "tp hcm", "tp hcm"},                                    //
		{"  Ðỗ  Ɖức ", "ðỗ ɖức", "do duc"},                                // the lookalikes of Đ
		{"Đả\u00ADng ủy\u200B", "đảng ủy", "dang uy"},                     // soft hyphen, zero-width space
		{"«Phát triển»", "phát triển", "phat trien"},                      //
		{"năm 2022.", "năm 2022", "nam 2022"},                             //
		{"a \u0301 b", "a|b", "a|b"},                                      // a mark alone is no syllable and breaks the phrase
		{"x " + strings.Repeat("a", 40) + " y", "x|y", "x|y"},             // too long to index
		{"Ἀθῆναι 東京 🙂 мир", "ἀθῆναι 東京|мир", "αθηναι 東京|мир"},             // other scripts are words too; emoji are not
	} {
		exact, fold := words(tc.in)
		if exact != tc.exact || fold != tc.fold {
			t.Errorf("split(%q) = %q, %q; want %q, %q", tc.in, exact, fold, tc.exact, tc.fold)
		}
	}
}

// TestSplitNormalizes checks that NFD text, stacked marks typed out of order and upper case read
// as the precomposed lowercase text.
func TestSplitNormalizes(t *testing.T) {
	want := "đảng ủy khối sơ kết tự phê bình"
	for _, in := range []string{
		want,
		norm.NFD.String(want),
		strings.ToUpper(want),
		norm.NFD.String(strings.ToUpper(want)),
		"đa\u0309ng u\u0309y kho\u0302\u0301i so\u031b kê\u0301t tu\u0323\u031b phê bình", // ự as u + dot below + horn
	} {
		if got, _ := words(in); got != want {
			t.Errorf("split(%+q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range strings.Fields(want) {
		if _, f := words(s); f != viet.Fold(s) {
			t.Errorf("fold of %q = %q, viet.Fold %q", s, f, viet.Fold(s))
		}
	}
}

func TestCompounds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // exact, fold, exact, fold …
	}{
		{"Quy định 09-QC/TW ngày 24/11/2022", []string{"09-qc/tw", "09-qc/tw", "24/11/2022", "24/11/2022"}},
		{"Nghị định 42/2022/NĐ-CP", []string{"42/2022/nđ-cp", "42/2022/nd-cp"}},
		{"nhiệm kỳ 2020–2025", []string{"2020-2025", "2020-2025"}}, // an en dash is written as '-'
		{"Quốc khánh 2/9.", []string{"2/9", "2/9"}},
		{"NĐ-CP, TP.HCM, kinh tế-xã hội", nil}, // no digit: syllables only
		{"số 09 - QC/TW", []string{}},          // spaces break it
	} {
		var got []string
		syls := newTokenizer().split(tc.in)
		compounds(syls, func(c compound) { got = append(got, c.exact, c.fold) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("compounds(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	show := func(terms []Term) string {
		var b strings.Builder
		for k, t := range terms {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Exact + "/" + t.Fold)
			if t.Compound {
				b.WriteString("(" + t.First + "…" + t.Last + ")")
			}
			if t.Marked() {
				b.WriteByte('*')
			}
		}
		return b.String()
	}
	for _, tc := range []struct{ in, want string }{
		{"so ket", "so/so ket/ket"},
		{"Sơ Kết", "sơ/so* kết/ket*"},
		{"  dang   uy ", "dang/dang uy/uy"},
		{"Quy định 09-QC/TW", "quy/quy định/dinh* 09-qc/tw/09-qc/tw(09…tw)"},
		{"đ", "đ/d*"},
		{"?!", ""},
		{"a b c d e f g h i j k l", "a/a b/b c/c d/d e/e f/f g/g h/h i/i j/j"}, // ten words at most
	} {
		if got := show(ParseQuery(tc.in)); got != tc.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzSplit: any text splits without panic into indexable syllables: valid UTF-8, BMP only,
// folded once for all, compounds made of their syllables.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"Đảng ủy Khối", "09-QC/TW", "u\u0323\u031b", "a\u00AD-\u200B9", "\xff\xfe", "🙂a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok := newTokenizer()
		syls := tok.split(s)
		for _, sy := range syls {
			for _, k := range []string{sy.exact, sy.fold} {
				if k == "" || !utf8.ValidString(k) || strings.ContainsFunc(k, func(r rune) bool { return r > 0xFFFF || !isWordRune(r) }) {
					t.Fatalf("split(%q): bad key %q", s, k)
				}
			}
			if viet.Fold(sy.fold) != sy.fold || viet.Fold(sy.exact) != sy.fold {
				t.Fatalf("split(%q): %q folds to %q", s, sy.exact, sy.fold)
			}
		}
		compounds(syls, func(c compound) {
			if viet.Fold(c.exact) != c.fold || c.first >= c.last {
				t.Fatalf("split(%q): compound %+v", s, c)
			}
		})
		ParseQuery(s)
	})
}
