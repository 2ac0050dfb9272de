package viet

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$|^$`)

var slugTests = []struct{ in, want string }{
	{"Đảng ủy Khối", "dang-uy-khoi"},
	{"Đảng ủy", "dang-uy"},
	{"ĐẢNG ỦY", "dang-uy"},
	{"Sơ kết 1 năm", "so-ket-1-nam"},
	{"Nghị quyết 57-NQ/TW", "nghi-quyet-57-nq-tw"},
	{"Thành phố Hồ Chí Minh", "thanh-pho-ho-chi-minh"},
	{"Hội nghị BCH lần thứ 5", "hoi-nghi-bch-lan-thu-5"},
	{"Đắk Lắk – Đắk Nông", "dak-lak-dak-nong"},
	{"Quy chế phối hợp giữa Đảng ủy Khối và các cơ quan", "quy-che-phoi-hop-giua-dang-uy-khoi-va-cac-co-quan"},
	{"Người ưu tú; Ứng xử: “Văn hóa”!", "nguoi-uu-tu-ung-xu-van-hoa"},
	{"Thủy, Thuỷ, Hòa, Hoà", "thuy-thuy-hoa-hoa"},
	{"  --so-ket--  ", "so-ket"},
	{"a  _ b", "a-b"},
	{"so-ket-1-nam", "so-ket-1-nam"},
	{"", ""},
	{"---", ""},
	{"!!!", ""},
	{"ABC", "abc"},
	// Lookalikes of Đ from old-font conversions, and letters without a decomposition.
	{"ÐẢNG ỦY ðoàn", "dang-uy-doan"},
	{"Ɖảng", "dang"},
	{"Łódź Straße Æble Øre Þing œuvre", "lodz-strasse-aeble-ore-thing-oeuvre"},
	{"Ĳssel ǅemal Ǉubljana", "ijssel-dzemal-ljubljana"},
	// Other scripts separate words; marks and invisible characters do not.
	{"Việt Nam 中国 Lào", "viet-nam-lao"},
	{"Hà Nội (Ха Ной)", "ha-noi"},
	{"Nghị\u00adquyết", "nghiquyet"},
	{"Đảng\u200bủy", "danguy"},
	{"\ufeffĐảng ủy", "dang-uy"},
	{"ＡＢＣ１２３", "abc123"},
	{"K\u212a", "kk"},         // Kelvin sign, canonically K
	{"\u212bngstr", "angstr"}, // Ångström sign
	{"bad\xffutf8", "bad-utf8"},
	{"\u0301\u0323abc", "abc"},
}

func TestSlug(t *testing.T) {
	for _, tt := range slugTests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// macOS and some editors write NFD: same slug.
		if got := Slug(norm.NFD.String(tt.in)); got != tt.want {
			t.Errorf("Slug(NFD %q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Slug(tt.want); got != tt.want {
			t.Errorf("Slug(%q) not idempotent: %q", tt.want, got)
		}
	}
}

// vietLetters maps each Vietnamese vowel with every tone, and đ, to its slug letter.
func vietLetters() map[string]string {
	m := map[string]string{"đ": "d", "Đ": "d"}
	bases := map[string]string{"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o",
		"ô": "o", "ơ": "o", "u": "u", "ư": "u", "y": "y"}
	for base, want := range bases {
		for _, tone := range []string{"", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"} {
			for _, b := range []string{base, strings.ToUpper(base)} {
				m[norm.NFC.String(b+tone)] = want
			}
		}
	}
	return m
}

func TestSlugVietnameseLetters(t *testing.T) {
	m := vietLetters()
	if len(m) != 12*6*2+2 {
		t.Fatalf("built %d letters", len(m))
	}
	for in, want := range m {
		if utf8.RuneCountInString(in) != 1 {
			t.Errorf("%q is not precomposed", in)
		}
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSlugLatinBlocks checks every letter of the tabled Latin blocks whose canonical decomposition
// is an ASCII letter plus marks.
func TestSlugLatinBlocks(t *testing.T) {
	n := 0
	for _, rg := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			d := []rune(norm.NFD.String(string(r)))
			if d[0] >= utf8.RuneSelf || !unicode.IsLetter(d[0]) {
				continue
			}
			onlyMarks := true
			for _, c := range d[1:] {
				onlyMarks = onlyMarks && unicode.Is(unicode.Mn, c)
			}
			if !onlyMarks {
				continue
			}
			want := string(unicode.ToLower(d[0]))
			if got := Slug(string(r)); got != want {
				t.Errorf("Slug(%U %c) = %q, want %q", r, r, got, want)
			}
			if got := Fold(string(r)); got != want {
				t.Errorf("Fold(%U %c) = %q, want %q", r, r, got, want)
			}
			n++
		}
	}
	if n < 480 {
		t.Errorf("only %d letters checked", n)
	}
}

// TestFoldTable checks that the table and the slow path agree.
func TestFoldTable(t *testing.T) {
	for r := rune(loFirst); r <= extLast; r++ {
		if r > loLast && r < extFirst {
			r = extFirst
		}
		if got, want := foldRune(r), foldRuneSlow(r); got != want {
			t.Errorf("%U: table %+v, computed %+v", r, got, want)
		}
	}
}

func TestSlugMax(t *testing.T) {
	long := "Hội nghị Ban Chấp hành Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh lần thứ năm"
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{long, 60, "hoi-nghi-ban-chap-hanh-dang-bo-khoi-cac-co-quan-va-doanh"},
		{"so-ket-1-nam", 12, "so-ket-1-nam"},
		{"so-ket-1-nam", 11, "so-ket-1"},
		{"so-ket-1-nam", 8, "so-ket-1"},
		{"so-ket-1-nam", 7, "so-ket"},
		{"so-ket-1-nam", 6, "so-ket"},
		{"so-ket-1-nam", 5, "so"},
		{"so-ket-1-nam", 2, "so"},
		{"so-ket-1-nam", 1, "s"},
		{"so-ket-1-nam", 0, ""},
		{"Chủtịchủybannhândântỉnh rồi", 10, "chutichuyb"},
		{"", 60, ""},
	}
	for _, tt := range tests {
		got := SlugMax(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("SlugMax(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if len(got) > tt.n || !slugRE.MatchString(got) {
			t.Errorf("SlugMax(%q, %d) = %q: too long or not a slug", tt.in, tt.n, got)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Sơ kết", "so ket"},
		{"  Sơ   kết\t1\nnăm  ", "so ket 1 nam"},
		{"Đảng ủy Khối", "dang uy khoi"},
		{"Nghị quyết 57-NQ/TW", "nghi quyet 57-nq/tw"},
		{"“Văn hóa”, con người!", "“van hoa”, con nguoi!"},
		{"ÐOÀN", "doan"},
		{"Việt\u00a0Nam", "viet nam"},
		{"Việt\u200bNam", "vietnam"},
		{"Łódź", "łodz"}, // only marks go; letters of their own stay (see doc.go)
		{"中国 Việt", "中国 viet"},
		{"한국", "한국"}, // Hangul stays composed
		{"HELLO  World", "hello world"},
		{"hello world", "hello world"},
		{"", ""},
		{"   ", ""},
		{"\u0301", ""},
	}
	for _, tt := range tests {
		for _, in := range []string{tt.in, norm.NFD.String(tt.in)} {
			if got := Fold(in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", in, got, tt.want)
			}
		}
		if got := Fold(tt.want); got != tt.want {
			t.Errorf("Fold(%q) not idempotent: %q", tt.want, got)
		}
	}
}

func TestNFC(t *testing.T) {
	nfd := "Đa\u0309ng u\u0309y"
	if got := NFC(nfd); got != "Đảng ủy" {
		t.Errorf("NFC(%q) = %q", nfd, got)
	}
	for _, s := range []string{"ascii", "Đảng ủy", ""} {
		if got := NFC(s); got != s {
			t.Errorf("NFC(%q) = %q", s, got)
		}
	}
}

func TestSlugFoldAllocs(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		max  float64
	}{
		{"Slug(slug)", func() { Slug("so-ket-1-nam") }, 0},
		{"Slug(ascii)", func() { Slug("So ket 1 nam") }, 1},
		{"Slug(viet)", func() { Slug("Sơ kết 1 năm quy chế phối hợp") }, 1},
		{"Fold(folded)", func() { Fold("so ket 1 nam") }, 0},
		{"Fold(viet)", func() { Fold("Sơ kết 1 năm quy chế phối hợp") }, 1},
		{"NFC(nfc)", func() { NFC("Sơ kết 1 năm") }, 0},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, tt.f); got > tt.max {
			t.Errorf("%s: %v allocations, want at most %v", tt.name, got, tt.max)
		}
	}
}

var fuzzSeeds = []string{
	"Đảng ủy Khối", "Sơ kết 1 năm", "Nghị quyết 57-NQ/TW", "Thành phố Hồ Chí Minh",
	"Đa\u0309ng u\u0309y", "ÐẢNG", "Trần Thị Thu Hà — Phó Bí thư", "hôm qua", "24/11/2022",
	"Việt Nam 中国", "--a--b--", "", " ", "\xff", "Łódź Straße", "한국어", "ǅ", "\u0344", "ẛ̣",
}

func FuzzSlug(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		got := Slug(s)
		if !slugRE.MatchString(got) {
			t.Fatalf("Slug(%q) = %q: not ^[a-z0-9]+(-[a-z0-9]+)*$", s, got)
		}
		if again := Slug(got); again != got {
			t.Fatalf("Slug(%q) = %q, Slug of that = %q", s, got, again)
		}
		if nfd := Slug(norm.NFD.String(s)); nfd != got {
			t.Fatalf("Slug(%q) = %q but Slug(NFD) = %q", s, got, nfd)
		}
		if nfc := Slug(norm.NFC.String(s)); nfc != got {
			t.Fatalf("Slug(%q) = %q but Slug(NFC) = %q", s, got, nfc)
		}
		if n < 0 || n > 100 {
			n = 60
		}
		m := SlugMax(s, n)
		if len(m) > n || !slugRE.MatchString(m) || !strings.HasPrefix(got, m) {
			t.Fatalf("SlugMax(%q, %d) = %q (slug %q)", s, n, m, got)
		}
		if len(m) < len(got) && len(m) > 0 && got[len(m)] != '-' && strings.Contains(got[:n], "-") {
			t.Fatalf("SlugMax(%q, %d) = %q cuts a word of %q", s, n, m, got)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%q) = %q, Fold of that = %q", s, got, again)
		}
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("Fold(%q) = %q: not valid NFC", s, got)
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q: spaces not collapsed", s, got)
		}
		if nfd := Fold(norm.NFD.String(s)); nfd != got {
			t.Fatalf("Fold(%q) = %q but Fold(NFD) = %q", s, got, nfd)
		}
		if a, b := Slug(got), Slug(s); a != b {
			t.Fatalf("Slug(Fold(%q)) = %q, Slug = %q", s, a, b)
		}
	})
}

func TestNFCBytes(t *testing.T) {
	for _, s := range []string{
		"", "ascii only", "Đảng ủy Khối Các cơ quan — “Sơ kết” … 24/11/2022",
		"Đa\u0309ng u\u0309y",  // NFD marks after ASCII bases
		"Tiếng Việt ư\u0323",   // a mark after a precomposed letter
		"Ω \u2126 Å \u212B",    // compatibility letters NFC changes
		"\u2000 \u2001 spaces", // spaces NFC maps to others
		"日本語 và tiếng Việt",
		"e\u0301\u0302 x\u0300",
	} {
		got := string(NFCBytes([]byte(s)))
		if want := norm.NFC.String(s); got != want {
			t.Errorf("NFCBytes(%q) = %q, want %q", s, got, want)
		}
	}
	b := []byte("Đảng ủy Khối — “Sơ kết”")
	if out := NFCBytes(b); &out[0] != &b[0] {
		t.Error("NFCBytes copied text that was already NFC")
	}
}

func FuzzNFCBytes(f *testing.F) {
	f.Add("Đảng ủy")
	f.Add("a\u0301")
	f.Add("\u1ea0\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(NFCBytes([]byte(s))), norm.NFC.String(s); got != want {
			t.Fatalf("NFCBytes(%q) = %q, want %q", s, got, want)
		}
	})
}
