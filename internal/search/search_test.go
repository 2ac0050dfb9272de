package search

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func day(y, m, d int) time.Time {
	return time.Date(y, time.Month(m), d, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
}

// seedDocs is a small site where each document stands for one rule of SPEC §3b.
var seedDocs = []Doc{
	{URL: "/tin-tuc/so-ket-6-thang/", Title: "Hội nghị sơ kết 6 tháng đầu năm 2024", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2024, 7, 10), Tags: []string{"sơ kết 6 tháng"}, People: []string{"Vũ Hữu Thi, Bí thư Đảng ủy Khối"},
		Body: "Sáng 10/7, Đảng ủy Khối tổ chức hội nghị sơ kết công tác 6 tháng đầu năm."},
	{URL: "/tin-tuc/ket-qua-co-so/", Title: "Kết quả kiểm tra tại cơ sở", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2024, 8, 1), Body: "Kết quả kiểm tra cho thấy các tổ chức cơ sở đảng hoạt động tốt."}, // sở … kết, never sơ kết
	{URL: "/tin-tuc/dang-ky-thi-dua/", Title: "Đăng ký thi đua năm 2024", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2024, 9, 1), Body: "Các chi bộ đăng ký thi đua, phấn đấu hoàn thành nhiệm vụ."}, // đăng, newer than the Đảng page
	{URL: "/hoat-dong/dang-bo-so-y-te/", Title: "Đảng bộ Sở Y tế tổ chức đại hội", Section: "Hoạt động", SectionURL: "/hoat-dong/",
		Date: day(2024, 3, 5), Body: "Đại hội Đảng bộ Sở Y tế nhiệm kỳ 2025–2030 thành công tốt đẹp."},
	{URL: "/tin-tuc/phat-trien-dang-vien/", Title: "Phát triển đảng viên mới trong doanh nghiệp", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2023, 5, 19), Tags: []string{"phát triển đảng viên"}, Body: "Trong năm, toàn Đảng bộ kết nạp 120 đảng viên mới."},
	{URL: "/van-ban/quy-dinh-09/", Title: "Quy định về quan hệ công tác", Section: "Văn bản", SectionURL: "/van-ban/",
		Date: day(2023, 2, 1), Numbers: []string{"09-QC/TW"}, Body: "Quy chế phối hợp giữa các cơ quan."},
	{URL: "/tin-tuc/dang-uy-khoi-trao-huy-hieu/", Title: "Đảng ủy Khối trao Huy hiệu Đảng", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2022, 11, 24), Body: "Đồng chí Bí thư trao Huy hiệu 30 năm tuổi Đảng."},
	{URL: "/tin-tuc/phong-chong-thien-tai/", Title: "Phòng chống thiên tai mùa mưa bão", Section: "Tin tức", SectionURL: "/tin-tuc/",
		Date: day(2022, 9, 1), Body: "Các đơn vị chủ động phòng chống thiên tai."},
	{URL: "/gioi-thieu/", Title: "Giới thiệu", Body: "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh."}, // a page: no section, no date
}

func buildSeed(t *testing.T) []File {
	t.Helper()
	files, err := Build(seedDocs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func urls(r Result) []string {
	var u []string
	for _, h := range r.Hits {
		u = append(u, h.URL)
	}
	return u
}

func search(t *testing.T, files []File, q string, f Filter) Result {
	t.Helper()
	r, err := Search(files, q, f)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	if len(r.Hits) > 0 && r.Total < len(r.Hits) {
		t.Fatalf("Search(%q): total %d < %d hits", q, r.Total, len(r.Hits))
	}
	return r
}

// TestSearchSpec runs the examples of SPEC §3b and issue 12.
func TestSearchSpec(t *testing.T) {
	files := buildSeed(t)
	first := func(q, want string) {
		t.Helper()
		r := search(t, files, q, Filter{})
		if len(r.Hits) == 0 || r.Hits[0].URL != want {
			t.Errorf("%q: got %q, want %s first", q, urls(r), want)
		}
	}
	// Case, tone and vowel marks do not matter; the phrase sơ kết ranks above sở … kết.
	for _, q := range []string{"so ket", "SO KET", "Sơ Kết", "sơ kết", "So   Ket "} {
		first(q, "/tin-tuc/so-ket-6-thang/")
		if r := search(t, files, q, Filter{}); !slices.Contains(urls(r), "/tin-tuc/ket-qua-co-so/") {
			t.Errorf("%q: the scattered match is missing: %q", q, urls(r))
		}
	}
	// đ matches d.
	first("dang uy", "/tin-tuc/dang-uy-khoi-trao-huy-hieu/")
	first("Đảng ủy khối", "/tin-tuc/dang-uy-khoi-trao-huy-hieu/")
	// Same marks above other forms: Đảng above the newer đăng.
	r := search(t, files, "đảng", Filter{})
	if i, j := slices.Index(urls(r), "/hoat-dong/dang-bo-so-y-te/"), slices.Index(urls(r), "/tin-tuc/dang-ky-thi-dua/"); i < 0 || j < 0 || i > j {
		t.Errorf("đảng: %q, want Đảng bộ above Đăng ký", urls(r))
	}
	first("đăng", "/tin-tuc/dang-ky-thi-dua/")
	// The last word is also a prefix.
	first("phat tri", "/tin-tuc/phat-trien-dang-vien/")
	first("phát triển đảng", "/tin-tuc/phat-trien-dang-vien/")
	// Every word must match: these two never meet.
	if r := search(t, files, "huy hieu thien tai", Filter{}); r.Total != 0 {
		t.Errorf("huy hieu thien tai: %q, want nothing", urls(r))
	}
	// A document number as written, in any case.
	for _, q := range []string{"09-QC/TW", "09-qc/tw", "quy định 09-qc/tw", "09-qc/t", "09-QC", "09 QC TW"} {
		if r := search(t, files, q, Filter{}); !slices.Equal(urls(r), []string{"/van-ban/quy-dinh-09/"}) {
			t.Errorf("%q: %q, want the document numbered 09-QC/TW only", q, urls(r))
		}
	}
	// Nothing typed, nothing found.
	for _, q := range []string{"", "  ", "?!", "xyzzy"} {
		if r := search(t, files, q, Filter{}); r.Total != 0 {
			t.Errorf("%q: %q", q, urls(r))
		}
	}
}

func TestSearchNewerFirst(t *testing.T) {
	files := buildSeed(t)
	// Two pages with "tốt" in the body only, matched the same way: the newer first.
	r := search(t, files, "tốt", Filter{})
	want := []string{"/tin-tuc/ket-qua-co-so/", "/hoat-dong/dang-bo-so-y-te/"}
	if !slices.Equal(urls(r), want) {
		t.Errorf("tốt: %q, want %q (newer first)", urls(r), want)
	}
}

func TestSearchFilters(t *testing.T) {
	files := buildSeed(t)
	all := search(t, files, "dang", Filter{})
	if all.Total != 7 {
		t.Fatalf("dang: %d hits %q", all.Total, urls(all))
	}
	var secs []string
	for _, s := range all.Sections {
		secs = append(secs, s.Name+":"+s.URL+":"+strings.Repeat("x", s.Count))
	}
	// The page outside sections has section "" (the client shows it as Khác); Văn bản has no đảng.
	if want := []string{"::x", "Hoạt động:/hoat-dong/:x", "Tin tức:/tin-tuc/:xxxxx"}; !slices.Equal(secs, want) {
		t.Errorf("sections %q, want %q", secs, want)
	}
	var years []int
	for _, y := range all.Years {
		years = append(years, y.Year)
	}
	if want := []int{2024, 2023, 2022, 0}; !slices.Equal(years, want) {
		t.Errorf("years %v, want %v", years, want)
	}
	if r := search(t, files, "dang", Filter{Section: "/hoat-dong/"}); !slices.Equal(urls(r), []string{"/hoat-dong/dang-bo-so-y-te/"}) {
		t.Errorf("section filter: %q", urls(r))
	}
	if r := search(t, files, "dang", Filter{Year: 2023}); r.Total != 1 || len(r.Sections) != len(all.Sections) {
		t.Errorf("year filter: %q; facets %v", urls(r), r.Sections)
	}
	if r := search(t, files, "dang", Filter{Limit: 3}); len(r.Hits) != 3 || r.Total != 7 || !slices.Equal(urls(r), urls(all)[:3]) {
		t.Errorf("limit: %q of %d", urls(r), r.Total)
	}
}

func TestSearchHit(t *testing.T) {
	files := buildSeed(t)
	r := search(t, files, "huy hieu", Filter{})
	if len(r.Hits) != 1 {
		t.Fatalf("huy hieu: %q", urls(r))
	}
	h := r.Hits[0]
	if h.Title != "Đảng ủy Khối trao Huy hiệu Đảng" || h.Date != "2022-11-24" || h.Section != "Tin tức" || h.SectionURL != "/tin-tuc/" ||
		h.Text != "Đồng chí Bí thư trao Huy hiệu 30 năm tuổi Đảng." {
		t.Errorf("hit %+v", h)
	}
}

// TestSearchPrefixBound: a last word so short that its keys span many shards matches whole only.
func TestSearchPrefixBound(t *testing.T) {
	docs := genDocs(300, 3)
	files, err := Build(docs, Options{ShardBytes: 2 << 10})
	if err != nil {
		t.Fatal(err)
	}
	r := search(t, files, "dang t", Filter{}) // t… is everywhere: thi, tổ, tác, tỉnh …
	if r.Total != 0 {
		t.Errorf("dang t: %d hits; a one-letter prefix over %d+ shards should match the word t only", r.Total, maxPrefixShards)
	}
	shards := 0
	for _, p := range r.Fetched {
		if strings.Contains(p, "/i/") {
			shards++
		}
	}
	if shards > 2+3 { // docs file, dang, t, the pair "dang t", the titles that start with dang
		t.Errorf("dang t fetched %d files: %q", len(r.Fetched), r.Fetched)
	}
	if r := search(t, files, "dang tri", Filter{}); r.Total == 0 {
		t.Error("dang tri: a longer prefix should complete")
	}
}

// TestSearchPhrase: each pair of neighbouring query words counts when the two are adjacent in
// the query's order; a comma or a spaced dash between them breaks it, a joiner does not.
func TestSearchPhrase(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "Phát triển kinh tế, xã hội", Date: day(2024, 1, 3)}, // tế, xã: a comma between
		{URL: "/b/", Title: "Xã hội và kinh tế", Date: day(2024, 1, 4)},          // the other order
		{URL: "/c/", Title: "Kinh tế - xã hội năm 2023", Date: day(2024, 1, 1)},  // a spaced dash ends the phrase
		{URL: "/d/", Title: "Phát triển kinh tế xã hội bền vững", Date: day(2023, 1, 1)},
		{URL: "/e/", Title: "Kinh tế-xã hội của tỉnh", Date: day(2022, 1, 1)}, // a joiner keeps it
	}
	files, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := search(t, files, "kinh te xa hoi", Filter{})
	// Ties: a title that starts with the first word, then newest first.
	if got, want := urls(r), []string{"/e/", "/d/", "/c/", "/b/", "/a/"}; !slices.Equal(got, want) {
		t.Errorf("kinh te xa hoi: %q, want %q", got, want)
	}
	for _, h := range r.Hits {
		want := map[string]int{"/a/": 2, "/b/": 2, "/c/": 2, "/d/": 3, "/e/": 3}[h.URL] // kinh tế, xã hội (+ tế xã)
		if h.Score.Phrases != want {
			t.Errorf("%s: %d phrases, want %d", h.URL, h.Score.Phrases, want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"  Sơ\tkết\n\n6 tháng ", 0, "Sơ kết 6 tháng"},
		{"Sơ kết 6 tháng", 7, "Sơ kết…"},
		{"Sơ kết 6 tháng", 8, "Sơ kết 6…"},
		{"Sơ kết 6 tháng", 14, "Sơ kết 6 tháng"},
		{"Đảngủykhối", 4, "Đảng…"},
		{"So\u031b ke\u0302\u0301t", 0, "Sơ kết"},
	} {
		if got := oneLine(tc.in, tc.max); got != tc.want {
			t.Errorf("oneLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}
