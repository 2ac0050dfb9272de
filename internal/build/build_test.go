package build

// Whole-site tests: a site written as a txtar archive in testdata/sites is
// unpacked into a temporary folder, built with Build, and the output files
// are checked the way a reader (or a search engine) would see them.

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// testNow is the fixed "now" of every test build: output is deterministic.
var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// parseTxtar reads a txtar archive: "-- name --" lines start files.
// (A few lines of our own: go-internal's txtar needs a module go.mod lacks.)
func parseTxtar(data []byte) map[string][]byte {
	files := map[string][]byte{}
	name := ""
	var body []byte
	flush := func() {
		if name != "" {
			files[name] = body
		}
	}
	for len(data) > 0 {
		line, rest, _ := bytes.Cut(data, []byte("\n"))
		data = rest
		if l := string(line); strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
			flush()
			name, body = strings.TrimSpace(l[3:len(l)-3]), []byte{}
			continue
		}
		if name != "" {
			body = append(append(body, line...), '\n')
		}
	}
	flush()
	return files
}

// writeSite unpacks testdata/sites/<name>.txtar into a new folder and returns it.
func writeSite(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	for f, b := range parseTxtar(data) {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f)), b)
	}
	return dir
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// built is the output of one test build.
type built struct {
	t   *testing.T
	dir string
	res *Result
}

// buildDir builds the site in src, unminified unless opts says otherwise,
// into a fresh folder.
func buildDir(t *testing.T, src string, opts Options) *built {
	t.Helper()
	opts.Source = src
	if opts.Dest == "" {
		opts.Dest = filepath.Join(t.TempDir(), "public")
	}
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	if opts.Minify == nil {
		off := false
		opts.Minify = &off
	}
	res, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("build %s: %v", src, err)
	}
	return &built{t: t, dir: opts.Dest, res: res}
}

// buildSite unpacks and builds testdata/sites/<name>.txtar.
func buildSite(t *testing.T, name string, opts Options) *built {
	t.Helper()
	return buildDir(t, writeSite(t, name), opts)
}

// read returns an output file; p is a URL path or a file path.
func (b *built) read(p string) string {
	b.t.Helper()
	data, err := os.ReadFile(filepath.Join(b.dir, filepath.FromSlash(urlFile(p))))
	if err != nil {
		b.t.Fatalf("output %s: %v", p, err)
	}
	return string(data)
}

func (b *built) exists(p string) bool {
	_, err := os.Stat(filepath.Join(b.dir, filepath.FromSlash(urlFile(p))))
	return err == nil
}

// urlFile maps "/tin-tuc/" to "tin-tuc/index.html".
func urlFile(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// main is the <main> element of a page, so that menus and sidebars do not
// count when a test looks at a page's own list.
func mainOf(t *testing.T, html string) string {
	t.Helper()
	i := strings.Index(html, "<main")
	j := strings.LastIndex(html, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no <main> in page:\n%s", html)
	}
	return html[i:j]
}

// inOrder checks that each of want first appears in s after the previous one.
func inOrder(t *testing.T, what, s string, want ...string) {
	t.Helper()
	last, lastWord := -1, ""
	for _, w := range want {
		i := strings.Index(s, w)
		switch {
		case i < 0:
			t.Errorf("%s: %q missing", what, w)
			return
		case i < last:
			t.Errorf("%s: %q comes before %q; want order %q", what, w, lastWord, want)
			return
		}
		last, lastWord = i, w
	}
}

func contains(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func lacks(t *testing.T, what, s string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(s, w) {
			t.Errorf("%s: should not contain %q", what, w)
		}
	}
}

// TestHomeAndSections: the home page puts pinned articles first, then the
// newest; equal dates are ordered by title with Vietnamese collation (Ă
// before B, Ủ before V, unlike byte order). Section lists paginate.
func TestHomeAndSections(t *testing.T) {
	b := buildSite(t, "home", Options{})

	home := mainOf(t, b.read("/"))
	// paginate: 4 → the pinned article, then the three newest.
	inOrder(t, "home", home, "Bài được ghim", "Bài mới nhất", "Ăn mừng Tết", "Bắc cầu nối yêu thương")
	if i, j := strings.Index(home, "Bắc cầu nối yêu thương"), strings.Index(home, "Văn phòng họp giao ban"); j >= 0 && j < i {
		t.Errorf("home: Văn phòng… listed before Bắc cầu…: byte order, not Vietnamese collation")
	}

	// Section: newest first, not pinned first; 9 articles, 4 a page → 3 pages.
	p1 := mainOf(t, b.read("/tin-tuc/"))
	inOrder(t, "/tin-tuc/", p1, "Bài mới nhất", "Ủy ban Kiểm tra họp", "Văn phòng họp giao ban", "Tin tháng 1 ngày 10")
	lacks(t, "/tin-tuc/", p1, "Tin tháng 1 ngày 9", "Bài được ghim", "Ăn mừng Tết")
	contains(t, "/tin-tuc/", p1, `href="/tin-tuc/trang/2/"`)
	p2 := mainOf(t, b.read("/tin-tuc/trang/2/"))
	inOrder(t, "/tin-tuc/trang/2/", p2, "Tin tháng 1 ngày 9", "Tin tháng 1 ngày 8", "Tin tháng 6 năm 2021", "Bài được ghim")
	lacks(t, "/tin-tuc/trang/2/", p2, "Tin tháng 1 ngày 10", "Tin năm 2020")
	contains(t, "/tin-tuc/trang/2/", p2, `href="/tin-tuc/"`, `href="/tin-tuc/trang/3/"`)
	p3 := mainOf(t, b.read("/tin-tuc/trang/3/"))
	contains(t, "/tin-tuc/trang/3/", p3, "Tin năm 2020")
	if b.exists("/tin-tuc/trang/4/") || b.exists("/tin-tuc/trang/1/") {
		t.Errorf("pages beyond the last, or a /trang/1/ duplicate of the list, were written")
	}
	contains(t, "/hoat-dong/", mainOf(t, b.read("/hoat-dong/")), "Ăn mừng Tết", "Bắc cầu nối yêu thương")

	// The page title of page 2 says so.
	contains(t, "/tin-tuc/trang/2/ <title>", b.read("/tin-tuc/trang/2/"), "Trang 2")

	// The model agrees with the page (and is independent of layouts).
	s, err := Prepare(Options{Source: writeSite(t, "home"), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range s.Model.Home.Articles {
		titles = append(titles, a.Title)
	}
	if got, want := strings.Join(titles, " | "), "Bài được ghim | Bài mới nhất | Ăn mừng Tết | Bắc cầu nối yêu thương"; got != want {
		t.Errorf("home list:\n got %s\nwant %s", got, want)
	}
}

// TestFeedsAndSitemap: one RSS feed for the site and one per section; the
// sitemap lists every article URL.
func TestFeedsAndSitemap(t *testing.T) {
	b := buildSite(t, "home", Options{})
	all := b.read("/index.xml")
	tin := b.read("/tin-tuc/index.xml")
	hd := b.read("/hoat-dong/index.xml")
	contains(t, "/index.xml", all, "<rss version=\"2.0\"", "<link>https://example.org/tin-tuc/b-moi-nhat/</link>", "<link>https://example.org/hoat-dong/e-an-mung/</link>")
	contains(t, "/tin-tuc/index.xml", tin, "<link>https://example.org/tin-tuc/b-moi-nhat/</link>", "<link>https://example.org/tin-tuc/g5/</link>")
	lacks(t, "/tin-tuc/index.xml", tin, "hoat-dong/e-an-mung")
	contains(t, "/hoat-dong/index.xml", hd, "<link>https://example.org/hoat-dong/e-an-mung/</link>", "<link>https://example.org/hoat-dong/f-bac/</link>")
	lacks(t, "/hoat-dong/index.xml", hd, "/tin-tuc/")
	// Newest first in the feed; the date in the site's zone.
	inOrder(t, "/index.xml", all, "Bài mới nhất", "Ăn mừng Tết", "Bắc cầu nối yêu thương", "Ủy ban Kiểm tra họp")
	contains(t, "/index.xml", all, "<pubDate>Thu, 01 Dec 2022 00:00:00 +0700</pubDate>")

	sm := b.read("/sitemap.xml")
	for _, u := range []string{"/", "/tin-tuc/", "/tin-tuc/trang/2/", "/tin-tuc/a-ghim/", "/tin-tuc/b-moi-nhat/", "/tin-tuc/g5/", "/hoat-dong/e-an-mung/", "/hoat-dong/f-bac/", "/nhiem-vu/"} {
		contains(t, "/sitemap.xml", sm, "<loc>https://example.org"+u+"</loc>")
	}
	contains(t, "/sitemap.xml", sm, "<lastmod>2022-12-01</lastmod>")
	lacks(t, "/sitemap.xml", sm, "404.html")
	contains(t, "/robots.txt", b.read("/robots.txt"), "Sitemap: https://example.org/sitemap.xml")
}

// TestParticipants: a person's page lists every article they attended with
// the role they held then; "Name — Role" splits on —, – and " - "; the
// same name with extra spaces is the same person; lists use Vietnamese collation.
func TestParticipants(t *testing.T) {
	b := buildSite(t, "people", Options{})
	thi := mainOf(t, b.read("/dai-bieu/vu-huu-thi/"))
	i21 := strings.Index(thi, "Hội nghị năm 2021")
	i22 := strings.Index(thi, "Hội nghị năm 2022")
	if i21 < 0 || i22 < 0 {
		t.Fatalf("person page lacks an article:\n%s", thi)
	}
	if i22 > i21 {
		t.Errorf("person page: 2022 listed after 2021; want newest first")
	} else {
		row22, row21 := thi[i22:i21], thi[i21:]
		contains(t, "row 2022", row22, "Bí thư Đảng ủy Khối")
		lacks(t, "row 2022", row22, "Phó Bí thư Thường trực")
		contains(t, "row 2021", row21, "Phó Bí thư Thường trực")
		lacks(t, "row 2021", row21, "Bí thư Đảng ủy Khối")
	}
	if b.exists("/dai-bieu/vu-huu-thi-2/") {
		t.Errorf(`"Vũ  Hữu Thi" (two spaces) became a second person`)
	}
	an := mainOf(t, b.read("/dai-bieu/nguyen-van-an/"))
	contains(t, "en dash", an, "Chánh Văn phòng", "Hội nghị năm 2021", "Hội nghị năm 2022")
	contains(t, `" - "`, mainOf(t, b.read("/dai-bieu/tran-thi-binh/")), "Trưởng Ban Tuyên giáo")
	contains(t, "em dash", mainOf(t, b.read("/dai-bieu/au-van-hai/")), "Chánh Thanh tra")
	lacks(t, "names", b.read("/dai-bieu/"), "Nguyễn Văn An – Chánh", "Trần Thị Bình - Trưởng", "Âu Văn Hải — ")

	// Âu before Bùi before Đặng before Nguyễn … (byte order would put Â and Đ after V).
	inOrder(t, "/dai-bieu/", mainOf(t, b.read("/dai-bieu/")),
		"Âu Văn Hải", "Bùi Thị Cúc", "Dương Văn Dũng", "Đặng Văn Cường", "Nguyễn Văn An", "Trần Thị Bình", "Vũ Hữu Thi")

	// The article names the chair and links each person.
	art := mainOf(t, b.read("/tin-tuc/hn-2022/"))
	contains(t, "article", art, `href="/dai-bieu/vu-huu-thi/"`, "Bí thư Đảng ủy Khối")
}

// TestTags: tags merge by slug; the first form seen (in path order) is shown.
func TestTags(t *testing.T) {
	b := buildSite(t, "tags", Options{})
	page := mainOf(t, b.read("/the/chuyen-doi-so/"))
	contains(t, "/the/chuyen-doi-so/", page, "Chuyển đổi số", "Bài A", "Bài B", "Bài C")
	lacks(t, "/the/chuyen-doi-so/", page, "chuyển đổi số", "CHUYỂN ĐỔI SỐ")
	index := mainOf(t, b.read("/the/"))
	if n := strings.Count(index, `href="/the/chuyen-doi-so/"`); n != 1 {
		t.Errorf("/the/ links the merged tag %d times, want 1", n)
	}
	lacks(t, "/the/", index, "chuyển đổi số<", "CHUYỂN ĐỔI SỐ")
	// Ánh sáng before Bảo vệ before Đảng viên (collation, not bytes).
	inOrder(t, "/the/", index, "Ánh sáng", "Bảo vệ nền tảng", "Chuyển đổi số", "Đảng viên mới", "Xây dựng Đảng")
	if !b.exists("/the/dang-vien-moi/") || !b.exists("/the/anh-sang/") {
		t.Errorf("tag pages missing")
	}
	// The article shows the shown form, linking the one page.
	contains(t, "/tin-tuc/b/", b.read("/tin-tuc/b/"), `<a href="/the/chuyen-doi-so/">Chuyển đổi số</a>`)
}

// TestTasks: the tracker groups tasks by lead unit (Vietnamese collation,
// no lead last), inside a group by due date (none last), then by the
// article's date.
func TestTasks(t *testing.T) {
	b := buildSite(t, "tasks", Options{})
	page := mainOf(t, b.read("/nhiem-vu/"))
	inOrder(t, "group headings", page, "Ban Tổ chức", "Ban Tuyên giáo", "Ủy ban Kiểm tra", "Văn phòng Đảng ủy Khối", "Chưa giao đơn vị chủ trì")
	// The tables, in order: by lead, then due (none last), then the article's date.
	tables := page[strings.Index(page, "<table"):]
	inOrder(t, "tasks", tables,
		"T3 Ban Tổ chức không hạn",
		"T7 Ban Tuyên giáo",
		"T6 Ủy ban Kiểm tra",
		"T5 Văn phòng hạn sớm", "T1 Văn phòng tháng 12", "T9 Văn phòng cùng tháng", "T8 Văn phòng không hạn",
		"T2 không chủ trì", "T4 chuỗi đơn giản")
	contains(t, "due", page, "tháng 12/2022", "15/08/2022", "24/12/2022", "tháng 01/2023")
	contains(t, "status", page, "hoàn thành", "mới", "đang thực hiện")
	contains(t, "support", page, "Văn phòng; Ban Tổ chức")
	// Each task links to its place in its article.
	contains(t, "links", page, `href="/tin-tuc/hn-1/#nhiem-vu-1"`, `href="/tin-tuc/hn-2/#nhiem-vu-5"`)
	art := b.read("/tin-tuc/hn-2/")
	contains(t, "article", art, `id="nhiem-vu-5"`, "T9 Văn phòng cùng tháng")
}

// TestDates: every date form of SPEC §2, in YAML, TOML and JSON front matter,
// is read in the site's zone (Asia/Ho_Chi_Minh), never UTC, and shown with
// the Vietnamese weekday.
func TestDates(t *testing.T) {
	b := buildSite(t, "dates", Options{})
	for _, tc := range []struct {
		url, shown, machine string
	}{
		{"/tin-tuc/bare/", "Thứ Năm, 24/11/2022", "2022-11-24T00:00:00+07:00"},
		{"/tin-tuc/zoneless/", "Thứ Năm, 24/11/2022", "2022-11-24T23:30:00+07:00"},
		{"/tin-tuc/seconds/", "Thứ Năm, 24/11/2022", "2022-11-24T23:30:15+07:00"},
		{"/tin-tuc/rfc/", "Thứ Năm, 24/11/2022", "2022-11-24T08:30:00+07:00"},
		{"/tin-tuc/utc/", "Thứ Sáu, 25/11/2022", "2022-11-25T03:00:00+07:00"},
		{"/tin-tuc/vn/", "Thứ Năm, 24/11/2022", "2022-11-24T00:00:00+07:00"},
		{"/tin-tuc/vn-time/", "Thứ Năm, 24/11/2022", "2022-11-24T23:30:00+07:00"},
		{"/tin-tuc/toml/", "Thứ Năm, 24/11/2022", "2022-11-24T00:00:00+07:00"},
		{"/tin-tuc/toml-local/", "Thứ Năm, 24/11/2022", "2022-11-24T23:30:00+07:00"},
		{"/tin-tuc/toml-offset/", "Thứ Sáu, 25/11/2022", "2022-11-25T03:00:00+07:00"},
		{"/tin-tuc/json/", "Thứ Năm, 24/11/2022", "2022-11-24T23:30:00+07:00"},
		{"/tin-tuc/sunday/", "Chủ Nhật, 27/11/2022", "2022-11-27T00:00:00+07:00"},
	} {
		page := htmlUnescape(mainOf(t, b.read(tc.url)))
		contains(t, tc.url, page, tc.shown, `datetime="`+tc.machine+`"`)
	}
	ev := mainOf(t, b.read("/tin-tuc/bare/"))
	contains(t, "event_date", ev, "Thứ Sáu, 18/11/2022")
	// TOML and JSON front matter carry the other keys too.
	contains(t, "toml", mainOf(t, b.read("/tin-tuc/toml/")), "Theo TOML", `href="/the/toml/"`, "Người TOML")
	contains(t, "json", mainOf(t, b.read("/tin-tuc/json/")), "Theo JSON", `href="/the/json/"`, "Việc JSON")
	contains(t, "feed", b.read("/index.xml"), "<pubDate>Thu, 24 Nov 2022 23:30:00 +0700</pubDate>")
}

// TestNFD: a file saved in NFD (macOS) — name and text — is read as NFC: the
// title is NFC in the output, the slug is right, and tags merge with NFC ones.
func TestNFD(t *testing.T) {
	src := writeSite(t, "tags")
	name := norm.NFD.String("Hội nghị Đảng ủy Khối.md")
	body := norm.NFD.String("---\ntitle: Hội nghị Đảng ủy Khối quý IV\ndate: 2022-12-01\ntags: [Chuyển đổi số]\nparticipants: [\"Vũ Hữu Thi — Bí thư\"]\n---\n\nĐảng ủy Khối họp.\n")
	if body == norm.NFC.String(body) {
		t.Fatal("test input is not NFD")
	}
	writeFile(t, filepath.Join(src, "content", "tin-tuc", name), []byte(body))
	b := buildDir(t, src, Options{})
	page := b.read("/tin-tuc/hoi-nghi-dang-uy-khoi/")
	contains(t, "NFD page", page, "Hội nghị Đảng ủy Khối quý IV", "Đảng ủy Khối họp.")
	lacks(t, "NFD page", page, norm.NFD.String("Hội nghị"), norm.NFD.String("Đảng ủy"))
	contains(t, "merged tag", b.read("/the/chuyen-doi-so/"), "Hội nghị Đảng ủy Khối quý IV")
	if !b.exists("/dai-bieu/vu-huu-thi/") {
		t.Errorf("NFD participant: no /dai-bieu/vu-huu-thi/")
	}
}

// TestAliases: a path alias gets a redirect page (meta refresh + canonical);
// a query alias goes to /_redirects and to a page at its path that maps the
// query with a script and lists the links.
func TestAliases(t *testing.T) {
	b := buildSite(t, "aliases", Options{})
	old := b.read("/tin-cu/bai-a/")
	contains(t, "/tin-cu/bai-a/", old,
		`<meta http-equiv="refresh" content="0; url=/tin-tuc/a/">`,
		`<link rel="canonical" href="https://example.org/tin-tuc/a/">`,
		`<a href="/tin-tuc/a/">`)
	contains(t, "/tin-cu/bai-b.html", b.read("/tin-cu/bai-b.html"), `content="0; url=/tin-tuc/b/"`)

	red := b.read("/_redirects")
	contains(t, "_redirects", red,
		"/tin-cu/bai-a/ /tin-tuc/a/ 301\n",
		"/Default.aspx tabid=1 ArticleId=42 /tin-tuc/a/ 301\n",
		"/Default.aspx tabid=1 ArticleId=43 /tin-tuc/b/ 301\n")

	asp := b.read("/Default.aspx")
	contains(t, "/Default.aspx", asp, "<script>", "location.replace", "articleid=42", "articleid=43",
		`<a href="/tin-tuc/a/">Bài A</a>`, `<a href="/tin-tuc/b/">Bài B</a>`)
	if strings.Contains(asp, "http-equiv") {
		t.Errorf("/Default.aspx: a query alias page must not refresh to one article")
	}

	// Under a sub-path every redirect points under it.
	sub := buildSite(t, "aliases", Options{BaseURL: "https://example.org/sub/"})
	contains(t, "sub /tin-cu/bai-a/", sub.read("/tin-cu/bai-a/"), `url=/sub/tin-tuc/a/"`, `href="https://example.org/sub/tin-tuc/a/"`)
	contains(t, "sub _redirects", sub.read("/_redirects"), "/sub/tin-cu/bai-a/ /sub/tin-tuc/a/ 301\n", "/sub/Default.aspx tabid=1 ArticleId=42 /sub/tin-tuc/a/ 301\n")
	contains(t, "sub /Default.aspx", sub.read("/Default.aspx"), `"/sub/tin-tuc/a/"`)
}

// TestSubPath: with baseURL https://example.org/sub/ every link of every
// page is under /sub/, and resolves to a file of the output.
func TestSubPath(t *testing.T) {
	for _, name := range []string{"home", "people", "tasks", "aliases"} {
		t.Run(name, func(t *testing.T) {
			b := buildSite(t, name, Options{BaseURL: "https://example.org/sub/"})
			checkLinks(t, b.dir, "https://example.org/sub/")
		})
	}
}

// TestLinksResolve: the test sites' links all resolve.
func TestLinksResolve(t *testing.T) {
	for _, name := range []string{"home", "people", "tags", "tasks", "dates", "aliases"} {
		t.Run(name, func(t *testing.T) {
			b := buildSite(t, name, Options{})
			checkLinks(t, b.dir, "https://example.org/")
		})
	}
}

// TestCommitteeSiteLinks builds the real committee site (the repository
// root) and checks that every site-internal link of every page — href, src,
// canonical and feed links — resolves to a file of the output. That catches
// layouts that link to pages the build does not produce.
func TestCommitteeSiteLinks(t *testing.T) {
	for _, base := range []string{committeeBase, "https://example.org/bantin/"} {
		t.Run(base, func(t *testing.T) {
			dir := committeeSite(t, base)
			checkLinks(t, dir, base)
		})
	}
}

// attrRE finds href and src values, quoted or not (minified output).
var attrRE = regexp.MustCompile(`\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// xmlLinkRE finds the URLs of feeds and the sitemap.
var xmlLinkRE = regexp.MustCompile(`<(?:link|loc|guid)>([^<]*)</`)

// checkLinks walks every HTML file (and the XML files) of the output in dir
// and checks that every link inside the site resolves to an output file.
func checkLinks(t *testing.T, dir, baseURL string) {
	t.Helper()
	base, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	broken := map[string][]string{} // link → pages
	checked := 0
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, dir+string(filepath.Separator)))
		var links []string
		switch path.Ext(rel) {
		case ".html", ".aspx":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range attrRE.FindAllStringSubmatch(string(b), -1) {
				links = append(links, htmlUnescape(m[1]+m[2]+m[3]))
			}
		case ".xml":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range xmlLinkRE.FindAllStringSubmatch(string(b), -1) {
				links = append(links, htmlUnescape(m[1]))
			}
		default:
			return nil
		}
		// The page's own URL, to resolve relative links against.
		pageURL := base.ResolveReference(&url.URL{Path: strings.TrimSuffix(rel, "index.html")})
		for _, l := range links {
			target, internal, under := internalPath(base, pageURL, l)
			if !internal {
				continue
			}
			checked++
			if !under {
				broken[l] = append(broken[l], rel+" (not under "+base.Path+")")
				continue
			}
			if !outputHas(dir, target) {
				broken[l] = append(broken[l], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatalf("no internal links found in %s", dir)
	}
	for l, pages := range broken {
		more := ""
		if len(pages) > 3 {
			more = " …"
			pages = pages[:3]
		}
		t.Errorf("broken link %q on %s%s", l, strings.Join(pages, ", "), more)
	}
	t.Logf("%d internal links checked", checked)
}

// internalPath reports whether link points inside the site (relative, or on
// baseURL's host) and, if so, the path it names relative to the output root;
// under is false for a link on the site's host but outside baseURL's path.
func internalPath(base, page *url.URL, link string) (p string, internal, under bool) {
	if link == "" || strings.HasPrefix(link, "#") {
		return "", false, false
	}
	u, err := url.Parse(link)
	if err != nil {
		return "\x00unparsable", true, true // reported as broken
	}
	switch {
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return "", false, false // mailto:, tel:, data:
	case u.Host != "" && u.Host != base.Host:
		return "", false, false // another site
	}
	abs := page.ResolveReference(u)
	if !strings.HasPrefix(abs.Path, base.Path) {
		return "", true, false
	}
	return strings.TrimPrefix(abs.Path, base.Path), true, true
}

// outputHas reports whether the output serves p: a file, or a folder with index.html.
func outputHas(dir, p string) bool {
	f := filepath.Join(dir, filepath.FromSlash(p))
	st, err := os.Stat(f)
	if err != nil {
		return false
	}
	if st.IsDir() {
		_, err = os.Stat(filepath.Join(f, "index.html"))
		return err == nil
	}
	return true
}

var htmlEntity = strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#34;", `"`, "&#39;", "'", "&quot;", `"`)

func htmlUnescape(s string) string { return htmlEntity.Replace(s) }
