package site

import (
	"path"
	"sort"
	"strconv"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/source"
	"bantin/internal/urlpath"
)

// Page kinds: each is one layout in render.
const (
	KindHome      = "home"
	KindSection   = "section"
	KindArticle   = "article"
	KindPage      = "page"
	KindTags      = "tags"
	KindTag       = "tag"
	KindPeople    = "people"
	KindPerson    = "person"
	KindTasks     = "tasks"
	KindTaskGroup = "taskgroup"
	KindLinks     = "links"
	Kind404       = "404"
	KindGallery   = "gallery" // /hinh-anh/: one album per article with photos
	KindAlbum     = "album"   // /hinh-anh/<slug>/
	KindVideos    = "videos"  // /video/
	KindVideo     = "video"   // /video/<slug>/
	KindSearch    = "search"  // /tim-kiem/: the results of ?q=, found by the index beside it
)

// Output is one HTML page of the site.
type Output struct {
	Kind    string
	URL     string // site path, "/tin-tuc/trang/2/"; 404 is "/404.html"
	Title   string
	Article *Article
	Section *Section
	Term    *Term
	Person  *Person
	Group   *TaskGroup
	Pager   *Pager
}

// IsPage reports whether the output is an article's own page (article,
// standalone page or video entry): the one that shows its body.
func (o *Output) IsPage() bool {
	return o.Kind == KindArticle || o.Kind == KindPage || o.Kind == KindVideo
}

// Pager is one page of a paginated list. Its links are made when a layout
// asks for them: a site of 100,000 articles has 70,000 list pages.
type Pager struct {
	Number, Total int
	Items         []*Article
	Tasks         []*Task // on task group pages, instead of Items
	base, seg     string  // the list's URL and the page path segment
}

// First is the URL of the list's first page.
func (pg *Pager) First() string { return pg.base }

// Last is the URL of the list's last page.
func (pg *Pager) Last() string { return pageURL(pg.base, pg.seg, pg.Total) }

// Prev is the URL of the page before, "" on the first.
func (pg *Pager) Prev() string {
	if pg.Number <= 1 {
		return ""
	}
	return pageURL(pg.base, pg.seg, pg.Number-1)
}

// Next is the URL of the page after, "" on the last.
func (pg *Pager) Next() string {
	if pg.Number >= pg.Total {
		return ""
	}
	return pageURL(pg.base, pg.seg, pg.Number+1)
}

// Pages is a window of numbered links around the current page; the ends
// are First and Last.
func (pg *Pager) Pages() []PageLink {
	var out []PageLink
	for k := max(1, pg.Number-2); k <= min(pg.Total, pg.Number+2); k++ {
		out = append(out, PageLink{Number: k, URL: pageURL(pg.base, pg.seg, k), Current: k == pg.Number})
	}
	return out
}

// PageLink is one numbered link of a pager.
type PageLink struct {
	Number  int
	URL     string
	Current bool
}

// File is the output file of a page URL.
func File(url string) string {
	if strings.HasSuffix(url, "/") {
		return strings.TrimPrefix(url, "/") + "index.html"
	}
	return strings.TrimPrefix(url, "/")
}

func (s *Site) add(o *Output, from string, problems *diag.List) {
	if prev, dup := s.urls[o.URL]; dup {
		problems.Errorf(from, 0, "URL %s is made twice: by %s and by %s; rename one file or give it a different slug: in its front matter", o.URL, prev, from)
		return
	}
	s.urls[o.URL] = from
	who := origin{what: "the page " + o.URL}
	if strings.HasPrefix(from, source.ContentDir+"/") {
		who.file = from
	} else {
		who.what += " (" + from + ")"
	}
	if !s.claim(File(o.URL), who, problems) {
		return
	}
	s.Outputs = append(s.Outputs, o)
}

func (s *Site) outputs(problems *diag.List) {
	cfg := s.Config
	s.add(&Output{Kind: KindHome, URL: "/", Title: cfg.Title, Section: s.Home}, "content/_index.md", problems)
	for _, sec := range s.Sections {
		kind := KindSection
		if sec.Name == VideoSection {
			kind = KindVideos
		}
		for _, pg := range s.paginate(sec.URL, sec.Articles) {
			s.add(&Output{Kind: kind, URL: pageURL(sec.URL, cfg.Paths.Page, pg.Number), Title: sec.Title, Section: sec, Pager: pg},
				"content/"+sec.Name+"/", problems)
		}
	}
	for _, a := range append(append([]*Article(nil), s.Standalone...), s.all()...) {
		kind := KindArticle
		switch {
		case a.Section == nil:
			kind = KindPage
		case a.Section.Name == VideoSection:
			kind = KindVideo
		}
		s.add(&Output{Kind: kind, URL: a.URL, Title: a.Title, Article: a, Section: a.Section}, a.Page.File, problems)
	}
	tagsURL := "/" + cfg.Paths.Tags + "/"
	s.add(&Output{Kind: KindTags, URL: tagsURL, Title: "Chủ đề"}, "tags", problems)
	for _, t := range s.Tags {
		for _, pg := range s.paginate(t.URL, t.Articles) {
			s.add(&Output{Kind: KindTag, URL: pageURL(t.URL, cfg.Paths.Page, pg.Number), Title: t.Name, Term: t, Pager: pg}, "tag "+t.Name, problems)
		}
	}
	peopleURL := "/" + cfg.Paths.Participants + "/"
	s.add(&Output{Kind: KindPeople, URL: peopleURL, Title: "Đại biểu"}, "participants", problems)
	for _, p := range s.People {
		arts := make([]*Article, len(p.Appearances))
		for i, at := range p.Appearances {
			arts[i] = at.Article
		}
		for _, pg := range s.paginate(p.URL, arts) {
			s.add(&Output{Kind: KindPerson, URL: pageURL(p.URL, cfg.Paths.Page, pg.Number), Title: p.Name, Person: p, Pager: pg}, "participant "+p.Name, problems)
		}
	}
	s.add(&Output{Kind: KindTasks, URL: "/" + cfg.Paths.Tasks + "/", Title: "Theo dõi nhiệm vụ"}, "tasks", problems)
	for _, g := range s.TaskGroups {
		title := g.Label()
		for _, pg := range pages(g.URL, cfg.Paths.Page, TasksPerPage, len(g.Tasks)) {
			pg.Tasks = g.Tasks[(pg.Number-1)*TasksPerPage : min(pg.Number*TasksPerPage, len(g.Tasks))]
			s.add(&Output{Kind: KindTaskGroup, URL: pageURL(g.URL, cfg.Paths.Page, pg.Number), Title: "Nhiệm vụ: " + title, Group: g, Pager: pg}, "tasks of "+title, problems)
		}
	}
	s.add(&Output{Kind: KindLinks, URL: "/" + cfg.Paths.Links + "/", Title: "Website liên kết"}, "links", problems)
	galleryURL := "/" + cfg.Paths.Gallery + "/"
	for _, pg := range s.paginate(galleryURL, s.Albums) {
		s.add(&Output{Kind: KindGallery, URL: pageURL(galleryURL, cfg.Paths.Page, pg.Number), Title: "Hình ảnh hoạt động", Pager: pg}, "gallery", problems)
	}
	for _, a := range s.Albums {
		s.add(&Output{Kind: KindAlbum, URL: galleryURL + a.Slug + "/", Title: a.Title, Article: a, Section: a.Section}, a.Page.File, problems)
	}
	s.add(&Output{Kind: KindSearch, URL: "/" + cfg.Paths.Search + "/", Title: "Tìm kiếm"}, "search", problems)
	s.add(&Output{Kind: Kind404, URL: "/404.html", Title: "Không tìm thấy trang"}, "404", problems)
}

// all is every article in a section, in section order then newest first.
func (s *Site) all() []*Article {
	var out []*Article
	for _, sec := range s.Sections {
		out = append(out, sec.Articles...)
	}
	return out
}

// pageURL is the URL of page n of the list at base.
func pageURL(base, seg string, n int) string {
	if n <= 1 {
		return base
	}
	return base + seg + "/" + strconv.Itoa(n) + "/"
}

// TasksPerPage is the length of a task group's pages.
const TasksPerPage = 50

// paginate cuts a list into pagers of Config.Paginate items; an empty list has one empty page.
func (s *Site) paginate(base string, items []*Article) []*Pager {
	per := s.Config.Paginate
	pagers := pages(base, s.Config.Paths.Page, per, len(items))
	for i, pg := range pagers {
		pg.Items = items[min(i*per, len(items)):min((i+1)*per, len(items))]
	}
	return pagers
}

// pages makes the pagers of a list of n items, per to a page.
func pages(base, seg string, per, n int) []*Pager {
	total := max(1, (n+per-1)/per)
	pagers := make([]*Pager, total)
	for i := range pagers {
		pagers[i] = &Pager{Number: i + 1, Total: total, base: base, seg: seg}
	}
	return pagers
}

// aliases records each article's old URLs. Each goes through
// urlpath.Alias (it names an output file and a line of _redirects); a path
// alias must not collide with a page, nor any alias's file with another file.
func (s *Site) aliases(all []*Article, problems *diag.List) {
	queries := map[string]origin{}  // path + "?" + Match → the alias that maps it
	queryPages := map[string]bool{} // paths whose alias page is claimed
	for _, a := range all {
		for _, al := range a.Page.Aliases {
			p, q, err := urlpath.Alias(al.Path)
			if err != nil {
				problems.Errorf(a.Page.File, al.Line, "alias %q %v", al.Path, err)
				continue
			}
			trailing := strings.HasSuffix(p, "/")
			p = path.Clean(p)
			if trailing || (q == "" && path.Ext(p) == "") {
				if p != "/" {
					p += "/"
				}
			}
			out := Alias{From: al.Path, Path: p, Query: q, Match: MatchQuery(q), Target: a}
			here := origin{file: a.Page.File, line: al.Line, what: "alias " + al.Path}
			if q == "" {
				if prev, dup := s.urls[p]; dup {
					problems.Errorf(a.Page.File, al.Line, "alias %s is already the URL of %s", al.Path, prev)
					continue
				}
				if !s.claim(File(p), here, problems) {
					continue
				}
				s.urls[p] = a.Page.File
			} else {
				key := p + "?" + out.Match
				if prev, dup := queries[key]; dup {
					problems.Errorf(a.Page.File, al.Line, "alias %s is also %s", al.Path, prev)
					continue
				}
				queries[key] = here
				// One page at the path maps all its queries: claimed once.
				if !queryPages[p] {
					if !s.claim(File(p), here, problems) {
						continue
					}
					queryPages[p] = true
				}
			}
			s.Aliases = append(s.Aliases, out)
		}
	}
}

// MatchQuery puts a query in the form the alias page's script compares:
// keys lowercased (ASP.NET ignores their case), parameters sorted.
func MatchQuery(q string) string {
	parts := strings.Split(q, "&")
	out := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if ok {
			out = append(out, strings.ToLower(k)+"="+v)
		} else {
			out = append(out, strings.ToLower(k))
		}
	}
	sort.Strings(out)
	return strings.Join(out, "&")
}

// Exists reports whether the site produces the URL path (a page, an alias
// page or a static file).
func (s *Site) Exists(p string) bool {
	if _, ok := s.urls[p]; ok {
		return true
	}
	if s.statics[p] {
		return true
	}
	if !strings.HasSuffix(p, "/") {
		if _, ok := s.urls[p+"/"]; ok {
			return true
		}
	}
	return false
}

// ArticleByFile finds the article of a content path (tin-tuc/a.md).
func (s *Site) ArticleByFile(p string) *Article { return s.byFile[p] }
