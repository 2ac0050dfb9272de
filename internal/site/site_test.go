package site

import (
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"bantin/internal/config"
	"bantin/internal/source"
	"bantin/internal/viet"
)

// Pure model tests: pages are made by hand, as source would hand them over.

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

func cfg(t *testing.T, yaml string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte("title: Trang thử\n" + yaml))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// art makes an article page from its content path (tin-tuc/a.md) and a date.
func art(p, title string, date string) *source.Page {
	pg := &source.Page{Kind: source.Article, File: "content/" + p, Path: p, Title: title, Params: map[string]any{}}
	pg.Dir = path.Dir(p)
	if pg.Dir == "." {
		pg.Dir = ""
	}
	if i := strings.IndexByte(p, '/'); i >= 0 {
		pg.Section = p[:i]
	}
	base := path.Base(p)
	if base == "index.md" {
		pg.Bundle = true
		pg.Name = path.Base(pg.Dir)
	} else {
		pg.Name = strings.TrimSuffix(base, ".md")
	}
	if date != "" {
		d, err := time.ParseInLocation("2006-01-02 15:04", date, hcm)
		if err != nil {
			d, err = time.ParseInLocation("2006-01-02", date, hcm)
		}
		if err != nil {
			panic(err)
		}
		pg.Date = d
	}
	return pg
}

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, hcm)

func newSite(t *testing.T, c *config.Config, pages ...*source.Page) *Site {
	t.Helper()
	s, problems := New(c, pages, Options{Now: now})
	if problems.HasErrors() {
		t.Fatalf("New: %v", problems)
	}
	return s
}

func urls(s *Site, kind string) []string {
	var out []string
	for _, o := range s.Outputs {
		if o.Kind == kind {
			out = append(out, o.URL)
		}
	}
	return out
}

func titles(list []*Article) string {
	var out []string
	for _, a := range list {
		out = append(out, a.Title)
	}
	return strings.Join(out, " | ")
}

func TestPagination(t *testing.T) {
	for _, tc := range []struct {
		n, per int
		want   []string
	}{
		{0, 2, nil},
		{1, 2, []string{"/tin-tuc/"}},
		{2, 2, []string{"/tin-tuc/"}},
		{3, 2, []string{"/tin-tuc/", "/tin-tuc/trang/2/"}},
		{5, 2, []string{"/tin-tuc/", "/tin-tuc/trang/2/", "/tin-tuc/trang/3/"}},
		{10, 10, []string{"/tin-tuc/"}},
		{11, 10, []string{"/tin-tuc/", "/tin-tuc/trang/2/"}},
	} {
		c := cfg(t, "paginate: "+itoa(tc.per)+"\n")
		var pages []*source.Page
		for i := range tc.n {
			pages = append(pages, art("tin-tuc/a"+itoa(i)+".md", "Bài "+itoa(i), "2022-01-"+pad(i+1)))
		}
		s := newSite(t, c, pages...)
		if got := strings.Join(urls(s, KindSection), " "); got != strings.Join(tc.want, " ") {
			t.Errorf("%d articles, %d a page: %s, want %s", tc.n, tc.per, got, strings.Join(tc.want, " "))
		}
		// Every article on exactly one page, newest first.
		seen := 0
		for _, o := range s.Outputs {
			if o.Kind != KindSection {
				continue
			}
			pg := o.Pager
			if pg.Total != len(tc.want) || len(pg.Items) > tc.per || len(pg.Items) == 0 {
				t.Errorf("%s: pager %+v", o.URL, pg)
			}
			if (pg.Number == 1) != (pg.Prev() == "") || (pg.Number == pg.Total) != (pg.Next() == "") {
				t.Errorf("%s: prev %q next %q on page %d of %d", o.URL, pg.Prev(), pg.Next(), pg.Number, pg.Total)
			}
			if pg.First() != "/tin-tuc/" || pg.Last() != tc.want[len(tc.want)-1] {
				t.Errorf("%s: first %q last %q", o.URL, pg.First(), pg.Last())
			}
			seen += len(pg.Items)
		}
		if seen != tc.n {
			t.Errorf("%d articles, %d on the pages", tc.n, seen)
		}
	}
}

// TestPagerWindow: page links show a window around the current page.
func TestPagerWindow(t *testing.T) {
	c := cfg(t, "paginate: 1\n")
	var pages []*source.Page
	for i := range 9 {
		pages = append(pages, art("tin-tuc/a"+itoa(i)+".md", "Bài "+itoa(i), "2022-01-"+pad(i+1)))
	}
	s := newSite(t, c, pages...)
	for _, o := range s.Outputs {
		if o.URL == "/tin-tuc/trang/5/" {
			var nums []string
			for _, l := range o.Pager.Pages() {
				nums = append(nums, itoa(l.Number))
				if l.Current != (l.Number == 5) {
					t.Errorf("page %d current=%v", l.Number, l.Current)
				}
			}
			if got := strings.Join(nums, ","); got != "3,4,5,6,7" {
				t.Errorf("window %s", got)
			}
			if o.Pager.Prev() != "/tin-tuc/trang/4/" || o.Pager.Next() != "/tin-tuc/trang/6/" || o.Pager.Last() != "/tin-tuc/trang/9/" {
				t.Errorf("pager %+v", o.Pager)
			}
			return
		}
	}
	t.Fatal("no /tin-tuc/trang/5/")
}

// TestPathsRenamed: site.yaml paths rename every generated segment.
func TestPathsRenamed(t *testing.T) {
	c := cfg(t, "paginate: 1\npaths: {page: page, tags: tags, participants: people, tasks: tasks}\n")
	a := art("tin-tuc/a.md", "A", "2022-01-01")
	a.Tags = []string{"Chuyển đổi số"}
	a.Participants = []source.Participant{{Name: "Vũ Hữu Thi"}}
	s := newSite(t, c, a, art("tin-tuc/b.md", "B", "2022-01-02"))
	for _, want := range []string{"/tin-tuc/page/2/", "/tags/", "/tags/chuyen-doi-so/", "/people/", "/people/vu-huu-thi/", "/tasks/"} {
		if !s.Exists(want) {
			t.Errorf("no %s", want)
		}
	}
}

func TestDuplicateURL(t *testing.T) {
	a := art("tin-tuc/so-ket.md", "Sơ kết", "2022-11-24")
	b := art("tin-tuc/bai-khac.md", "Bài khác", "2022-11-25")
	b.Slug = "so-ket"
	c := art("tin-tuc/Sơ Kết.md", "Sơ kết (tên có dấu)", "2022-11-26")
	_, problems := New(cfg(t, ""), []*source.Page{b, a, c}, Options{Now: now})
	errs := problems.Errors()
	if len(errs) != 2 {
		t.Fatalf("want 2 errors (three files, one URL), got %v", problems)
	}
	for _, d := range errs {
		if !strings.Contains(d.Msg, "/tin-tuc/so-ket/") {
			t.Errorf("error does not name the URL: %v", d)
		}
		n := 0
		for _, f := range []string{"content/tin-tuc/so-ket.md", "content/tin-tuc/bai-khac.md", "content/tin-tuc/Sơ Kết.md"} {
			if strings.Contains(d.Error(), f) {
				n++
			}
		}
		if n != 2 {
			t.Errorf("error names %d files, want both: %v", n, d)
		}
	}
	// An alias that is another page's URL, with the alias's line.
	d := art("hoat-dong/d.md", "D", "2022-11-27")
	d.Aliases = []source.Alias{{Path: "/tin-tuc/so-ket/", Line: 5}}
	_, problems = New(cfg(t, ""), []*source.Page{a, d}, Options{Now: now})
	if errs := problems.Errors(); len(errs) != 1 || errs[0].Path != "content/hoat-dong/d.md" || errs[0].Line != 5 ||
		!strings.Contains(errs[0].Msg, "content/tin-tuc/so-ket.md") {
		t.Errorf("alias collision: %v", problems)
	}
	// A page whose URL is a generated page's.
	e := art("the.md", "Thẻ", "2022-11-27")
	e.Slug = "the"
	_, problems = New(cfg(t, ""), []*source.Page{e}, Options{Now: now})
	if !problems.HasErrors() {
		t.Errorf("a standalone page at /the/ (the tag index) was accepted")
	}
}

func TestSlugs(t *testing.T) {
	a := art("tin-tuc/Hội nghị Đảng ủy.md", "x", "2022-01-01")
	b := art("hoat-dong/ung-ho-bao-so-3/index.md", "y", "2022-01-02")
	c := art("tin-tuc/c.md", "z", "2022-01-03")
	c.Slug = "Tên Riêng Đặc Biệt"
	d := art("gioi-thieu.md", "Giới thiệu", "")
	s := newSite(t, cfg(t, ""), a, b, c, d)
	for file, want := range map[string]string{
		"tin-tuc/Hội nghị Đảng ủy.md":        "/tin-tuc/hoi-nghi-dang-uy/",
		"hoat-dong/ung-ho-bao-so-3/index.md": "/hoat-dong/ung-ho-bao-so-3/",
		"tin-tuc/c.md":                       "/tin-tuc/ten-rieng-dac-biet/",
		"gioi-thieu.md":                      "/gioi-thieu/",
	} {
		if got := s.ArticleByFile(file); got == nil || got.URL != want {
			t.Errorf("%s: %+v, want %s", file, got, want)
		}
	}
	if got := urls(s, KindPage); len(got) != 1 || got[0] != "/gioi-thieu/" {
		t.Errorf("standalone pages: %v", got)
	}
}

// TestOrder: newest first; equal dates by Vietnamese collation of the
// title, then by path; the home list puts pinned articles first and leaves
// out videos.
func TestOrder(t *testing.T) {
	c := cfg(t, "paginate: 4\n")
	pin := art("tin-tuc/ghim.md", "Bài được ghim", "2020-01-01")
	pin.Pinned = true
	pages := []*source.Page{
		pin,
		art("tin-tuc/van.md", "Văn phòng họp", "2022-11-24 08:00"),
		art("tin-tuc/uy.md", "Ủy ban Kiểm tra họp", "2022-11-24 08:00"),
		art("hoat-dong/bac.md", "Bắc cầu", "2022-11-24 08:00"),
		art("hoat-dong/an.md", "Ăn Tết", "2022-11-24 08:00"),
		art("hoat-dong/an-2.md", "Ăn Tết", "2022-11-24 08:00"),
		art("tin-tuc/moi.md", "Mới nhất", "2022-12-01"),
		art("video/clip.md", "Video mới nhất", "2023-01-01"),
	}
	s := newSite(t, c, pages...)
	if got, want := titles(s.Articles), "Mới nhất | Ăn Tết | Ăn Tết | Bắc cầu | Ủy ban Kiểm tra họp | Văn phòng họp | Bài được ghim"; got != want {
		t.Errorf("articles:\n got %s\nwant %s", got, want)
	}
	if s.Articles[1].Page.Path != "hoat-dong/an-2.md" {
		t.Errorf("equal title and date: want path order, got %s first", s.Articles[1].Page.Path)
	}
	if got, want := titles(s.Home.Articles), "Bài được ghim | Mới nhất | Ăn Tết | Ăn Tết"; got != want {
		t.Errorf("home:\n got %s\nwant %s", got, want)
	}
	if got := titles(s.Videos); got != "Video mới nhất" {
		t.Errorf("videos: %s", got)
	}
	// Neighbours within a section.
	moi := s.ArticleByFile("tin-tuc/moi.md")
	if moi.Newer != nil || moi.Older == nil || moi.Older.Title != "Ủy ban Kiểm tra họp" {
		t.Errorf("neighbours of the newest: %v %v", moi.Newer, moi.Older)
	}
	// Built is the newest listed article's date (videos aside), so feeds are deterministic.
	if !s.Built.Equal(moi.Date) {
		t.Errorf("Built = %v", s.Built)
	}
	// Sections in menu order, then by name.
	c2 := cfg(t, "menu:\n  - {name: a, url: /}\n  - {name: b, url: /video/}\n  - {name: c, url: /tin-tuc/}\n")
	s2 := newSite(t, c2, pages...)
	var names []string
	for _, sec := range s2.Sections {
		names = append(names, sec.Name)
	}
	if got := strings.Join(names, " "); got != "video tin-tuc hoat-dong" {
		t.Errorf("sections: %s", got)
	}
}

// TestHomeMorePinnedThanRoom: pinned articles beyond paginate do not push the list over.
func TestHomeMorePinnedThanRoom(t *testing.T) {
	var pages []*source.Page
	for i := range 5 {
		p := art("tin-tuc/p"+itoa(i)+".md", "Ghim "+itoa(i), "2022-01-"+pad(i+1))
		p.Pinned = true
		pages = append(pages, p)
	}
	pages = append(pages, art("tin-tuc/n.md", "Mới", "2023-01-01"))
	s := newSite(t, cfg(t, "paginate: 3\n"), pages...)
	if got := titles(s.Home.Articles); got != "Ghim 4 | Ghim 3 | Ghim 2" {
		t.Errorf("home: %s", got)
	}
}

func TestDraftsAndFuture(t *testing.T) {
	d := art("tin-tuc/nhap.md", "Nháp", "2022-01-01")
	d.Draft = true
	f := art("tin-tuc/sau.md", "Sau", "2026-06-01")
	a := art("tin-tuc/a.md", "A", "2022-01-01")
	for _, tc := range []struct {
		opts   Options
		want   string
		skip   Skipped
		exists []string
	}{
		{Options{Now: now}, "A", Skipped{Drafts: 1, Future: 1, NextDue: f}, []string{"/tin-tuc/a/"}},
		{Options{Now: now, Drafts: true}, "A | Nháp", Skipped{Future: 1, NextDue: f}, []string{"/tin-tuc/nhap/"}},
		{Options{Now: now, Future: true}, "Sau | A", Skipped{Drafts: 1}, []string{"/tin-tuc/sau/"}},
		{Options{Now: now, Drafts: true, Future: true}, "Sau | A | Nháp", Skipped{}, nil},
	} {
		s, problems := New(cfg(t, ""), []*source.Page{d, f, a}, tc.opts)
		if problems.HasErrors() {
			t.Fatal(problems)
		}
		if got := titles(s.Articles); got != tc.want || s.Skipped != tc.skip {
			t.Errorf("%+v: %s, skipped %+v; want %s, %+v", tc.opts, got, s.Skipped, tc.want, tc.skip)
		}
		for _, u := range tc.exists {
			if !s.Exists(u) {
				t.Errorf("%+v: no %s", tc.opts, u)
			}
		}
	}
}

// TestExpiry: a page whose expiry is at or before Now is left out and
// counted, unless -E; the next page due and the next to expire are the
// soonest ones (ties broken by path), whatever the pages' order.
func TestExpiry(t *testing.T) {
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, hcm)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	gone := art("thong-bao/het.md", "Hết hạn", "2025-12-01")
	gone.Expiry = at("2025-12-31 17:00")
	edge := art("thong-bao/dung-luc.md", "Đúng lúc", "2025-12-01")
	edge.Expiry = now // from then on: expired at Now itself
	soon := art("thong-bao/sap.md", "Sắp hết", "2025-12-01")
	soon.Expiry = at("2026-01-03 08:00")
	later := art("thong-bao/sau.md", "Sau nữa", "2025-12-01")
	later.Expiry = at("2026-02-01 08:00")
	due1 := art("tin-tuc/b.md", "B", "2026-01-01 08:00")
	due2 := art("tin-tuc/a.md", "A", "2026-01-01 08:00") // same time: a.md before b.md
	due3 := art("tin-tuc/c.md", "C", "2026-01-01 07:00")
	due3.Draft = true // a draft does not come due
	pages := []*source.Page{gone, later, soon, edge, due1, due2, due3}
	for _, tc := range []struct {
		opts Options
		want string
		skip Skipped
	}{
		{Options{Now: now}, "Sau nữa | Sắp hết", Skipped{Drafts: 1, Future: 2, Expired: 2, NextDue: due2, NextExpiry: soon}},
		{Options{Now: now, Expired: true}, "Hết hạn | Sau nữa | Sắp hết | Đúng lúc", Skipped{Drafts: 1, Future: 2, NextDue: due2, NextExpiry: soon}},
		{Options{Now: now, Future: true}, "A | B | Sau nữa | Sắp hết", Skipped{Drafts: 1, Expired: 2, NextExpiry: soon}},
		{Options{}, "A | B | Hết hạn | Sau nữa | Sắp hết | Đúng lúc", Skipped{Drafts: 1}}, // no Now: nothing is judged by time
	} {
		for _, order := range [][]*source.Page{pages, reversed(pages)} {
			s, problems := New(cfg(t, "sections:\n  thong-bao: Thông báo\n"), order, tc.opts)
			if problems.HasErrors() {
				t.Fatal(problems)
			}
			var got []string
			for _, a := range s.Articles {
				got = append(got, a.Title)
			}
			slices.Sort(got) // by bytes: the order is not what is tested
			if g := strings.Join(got, " | "); g != tc.want || s.Skipped != tc.skip {
				t.Errorf("%+v: %s, skipped %+v; want %s, %+v", tc.opts, g, s.Skipped, tc.want, tc.skip)
			}
		}
	}
}

func reversed(p []*source.Page) []*source.Page {
	r := slices.Clone(p)
	slices.Reverse(r)
	return r
}

func TestTagsPeopleTasks(t *testing.T) {
	a := art("tin-tuc/a.md", "A", "2021-01-01")
	a.Tags = []string{"Chuyển đổi số", "Đảng viên"}
	a.Participants = []source.Participant{{Name: "Vũ Hữu Thi", Role: "Phó Bí thư"}, {Name: "Nguyễn Văn An", ID: "1"}}
	a.Tasks = []source.Task{{Text: "T1", Lead: "Văn phòng", Due: date(2022, 12, 1)}, {Text: "T2"}}
	b := art("tin-tuc/b.md", "B", "2022-01-01")
	b.Tags = []string{"chuyển đổi số", "chuyển đổi số", "Ánh sáng"}
	b.Participants = []source.Participant{{Name: "Vũ Hữu Thi", Role: "Bí thư", Chair: true}, {Name: "Nguyễn Văn An", ID: "2"}}
	b.Tasks = []source.Task{{Text: "T3", Lead: "Ban Tổ chức"}, {Text: "T4", Lead: "Văn phòng", Due: date(2022, 6, 1)}, {Text: "T5", Lead: "Ban Tuyên giáo"}}
	s := newSite(t, cfg(t, ""), a, b)

	var tags []string
	for _, tg := range s.Tags {
		tags = append(tags, tg.Name+"="+itoa(len(tg.Articles)))
	}
	if got := strings.Join(tags, " "); got != "Ánh sáng=1 Chuyển đổi số=2 Đảng viên=1" {
		t.Errorf("tags: %s", got)
	}
	if len(b.Tags) != 3 || len(s.ArticleByFile("tin-tuc/b.md").Tags) != 2 {
		t.Errorf("a tag given twice is listed twice on the article")
	}

	var people []string
	for _, p := range s.People {
		people = append(people, p.Name+"@"+p.Slug)
	}
	if got := strings.Join(people, " "); got != "Nguyễn Văn An@nguyen-van-an-1 Nguyễn Văn An@nguyen-van-an-2 Vũ Hữu Thi@vu-huu-thi" {
		t.Errorf("people: %s", got)
	}
	thi := s.People[2]
	if len(thi.Appearances) != 2 || thi.Appearances[0].Role != "Bí thư" || !thi.Appearances[0].Chair || thi.Appearances[1].Role != "Phó Bí thư" {
		t.Errorf("appearances (newest first, role then): %+v %+v", thi.Appearances[0], thi.Appearances[1])
	}

	var groups []string
	ids := map[string]bool{}
	for _, g := range s.TaskGroups {
		var ts []string
		for _, tk := range g.Tasks {
			ts = append(ts, tk.Text)
		}
		groups = append(groups, g.Lead+":"+strings.Join(ts, ","))
		if g.ID == "" || ids[g.ID] || viet.Slug(g.ID) != g.ID {
			t.Errorf("group %q: anchor %q empty, repeated or not a slug", g.Lead, g.ID)
		}
		ids[g.ID] = true
	}
	want := "Ban Tổ chức:T3 | Ban Tuyên giáo:T5 | Văn phòng:T4,T1 | :T2"
	if got := strings.Join(groups, " | "); got != want {
		t.Errorf("task groups:\n got %s\nwant %s", got, want)
	}
	if s.TaskCount != 5 || s.ArticleByFile("tin-tuc/b.md").Tasks[2].N != 3 {
		t.Errorf("task count %d", s.TaskCount)
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, hcm) }

// TestResolve: links written in Markdown.
func TestResolve(t *testing.T) {
	for _, base := range []string{"https://example.org/", "https://example.org/sub/"} {
		c := cfg(t, "baseURL: "+base+"\n")
		p := strings.TrimSuffix(c.Base.Path, "/")
		a := art("tin-tuc/a.md", "A", "2022-01-01")
		b := art("tin-tuc/b.md", "B", "2022-01-02")
		b.Slug = "bai-b"
		h := art("hoat-dong/h.md", "H", "2022-01-03")
		bundle := art("hoat-dong/bao-so-3/index.md", "Bão", "2022-01-04")
		bundle.Resources = []string{"anh-1.jpg", "bien-ban.pdf"}
		meta := &source.Page{Kind: source.ListMeta, File: "content/tin-tuc/_index.md", Path: "tin-tuc/_index.md", Section: "tin-tuc", Dir: "tin-tuc", Title: "Tin tức"}
		s, problems := New(c, []*source.Page{a, b, h, bundle, meta}, Options{Now: now, Static: []string{"files/quy-che.pdf", "css/site.css"}})
		if problems.HasErrors() {
			t.Fatal(problems)
		}
		A := s.ArticleByFile("tin-tuc/a.md")
		B := s.ArticleByFile("hoat-dong/bao-so-3/index.md")
		for _, tc := range []struct {
			from *Article
			dest string
			want string
			ok   bool
		}{
			// .md links become the page's URL (under baseURL's path).
			{A, "b.md", p + "/tin-tuc/bai-b/", true},
			{A, "./b.md", p + "/tin-tuc/bai-b/", true},
			{A, "b.md#nhiem-vu", p + "/tin-tuc/bai-b/#nhiem-vu", true},
			{A, "../hoat-dong/h.md", p + "/hoat-dong/h/", true},
			{A, "/tin-tuc/b.md", p + "/tin-tuc/bai-b/", true},
			{A, "/content/tin-tuc/b.md", p + "/tin-tuc/bai-b/", true},
			{A, "../hoat-dong/bao-so-3.md", p + "/hoat-dong/bao-so-3/", true},
			{A, "../hoat-dong/bao-so-3/index.md", p + "/hoat-dong/bao-so-3/", true},
			{A, "_index.md", p + "/tin-tuc/", true},
			{A, "khong-co.md", "khong-co.md", false},
			{A, "../khong-co/b.md", "../khong-co/b.md", false},
			// Root-relative links are checked and put under the base path.
			{A, "/tin-tuc/", p + "/tin-tuc/", true},
			{A, "/tin-tuc", p + "/tin-tuc", true},
			{A, "/", p + "/", true},
			{A, "/the/", p + "/the/", true},
			{A, "/nhiem-vu/", p + "/nhiem-vu/", true},
			{A, "/files/quy-che.pdf", p + "/files/quy-che.pdf", true},
			{A, "/hoat-dong/h/?a=1#x", p + "/hoat-dong/h/?a=1#x", true},
			{A, "/tin-tuc/khong-co/", p + "/tin-tuc/khong-co/", false},
			{A, "/files/khong-co.pdf", p + "/files/khong-co.pdf", false},
			// Relative links: a bundle's own files stay; others are checked.
			{B, "anh-1.jpg", "anh-1.jpg", true},
			{B, "bien-ban.pdf", "bien-ban.pdf", true},
			{B, "anh-9.jpg", "anh-9.jpg", false},
			{A, "../bai-b/", "../bai-b/", true},
			{A, "../khong-co/", "../khong-co/", false},
			// Other sites and schemes are left alone.
			{A, "https://dangcongsan.vn/", "https://dangcongsan.vn/", true},
			{A, "//example.com/x", "//example.com/x", true},
			{A, "mailto:vanphong@example.gov.vn", "mailto:vanphong@example.gov.vn", true},
			{A, "tel:02093870215", "tel:02093870215", true},
			{A, "#phan-2", "#phan-2", true},
			{A, "", "", true},
		} {
			got, ok := s.Resolve(tc.from, tc.dest)
			if got != tc.want || ok != tc.ok {
				t.Errorf("%s: Resolve(%s, %q) = %q, %v; want %q, %v", base, tc.from.Page.Path, tc.dest, got, ok, tc.want, tc.ok)
			}
		}
	}
}

func TestAliases(t *testing.T) {
	a := art("tin-tuc/a.md", "A", "2022-01-01")
	a.Aliases = []source.Alias{{Path: "/tin-cu/a"}, {Path: "/Default.aspx?tabid=1&ArticleId=42"}, {Path: "/tin-cu/a.html"}}
	s := newSite(t, cfg(t, ""), a)
	var got []string
	for _, al := range s.Aliases {
		got = append(got, al.Path+"|"+al.Query+"|"+al.Target.URL)
	}
	want := "/tin-cu/a/||/tin-tuc/a/ /Default.aspx|tabid=1&ArticleId=42|/tin-tuc/a/ /tin-cu/a.html||/tin-tuc/a/"
	if strings.Join(got, " ") != want {
		t.Errorf("aliases:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	for _, u := range []string{"/tin-cu/a/", "/tin-cu/a.html"} {
		if !s.Exists(u) {
			t.Errorf("alias page %s does not exist for links", u)
		}
	}
}

func TestFile(t *testing.T) {
	for url, want := range map[string]string{
		"/":                  "index.html",
		"/tin-tuc/":          "tin-tuc/index.html",
		"/tin-tuc/trang/2/":  "tin-tuc/trang/2/index.html",
		"/404.html":          "404.html",
		"/tin-cu/bai-b.html": "tin-cu/bai-b.html",
	} {
		if got := File(url); got != want {
			t.Errorf("File(%q) = %q, want %q", url, got, want)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func pad(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
