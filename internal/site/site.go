package site

import (
	"cmp"
	"html/template"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"bantin/internal/config"
	"bantin/internal/diag"
	"bantin/internal/source"
	"bantin/internal/viet"
)

// VideoSection is the section whose entries are videos, not news.
const VideoSection = "video"

// Site is the model of the whole site.
type Site struct {
	Config     *config.Config
	Home       *Section   // the home page's meta (content/_index.md); Articles = home list
	Sections   []*Section // in menu order, then by name
	Articles   []*Article // every listed article (all sections but video), newest first
	Videos     []*Article // video entries, newest first
	Albums     []*Article // articles with photos (not videos), newest first: the gallery
	Standalone []*Article // pages at the root of content/
	Tags       []*Term    // Vietnamese collation
	People     []*Person  // Vietnamese collation
	TaskGroups []*TaskGroup
	TaskCount  int
	Aliases    []Alias
	Outputs    []*Output
	Skipped    Skipped
	Now        time.Time // what future and expired pages were judged against
	Built      time.Time // newest article date: the feeds' lastBuildDate, deterministic

	byFile  map[string]*Article // content path (tin-tuc/a.md) → article
	urls    map[string]string   // every produced URL path → what produces it
	files   map[string]origin   // every output file the model knows → what wants it
	dirs    map[string]origin   // every folder of those files → the first that needs it
	statics map[string]bool     // static files, as URL paths
	// tagCloud is the most used tags, at most maxCloud, in name order.
	tagCloud []*Term
}

// maxCloud bounds the tag cloud TopTags can return.
const maxCloud = 50

// Skipped counts pages left out of this build, and names what the next
// build will change: the first left-out page to come due and the first
// published page to expire (nil when none), so a schedule can be checked.
type Skipped struct {
	Drafts, Future, Expired int
	NextDue                 *source.Page // the earliest future-dated page left out (not drafts)
	NextExpiry              *source.Page // the published page whose expiry comes first
}

// sooner reports whether a is before b, the path breaking ties so the
// choice does not depend on the pages' order.
func sooner(a, b time.Time, pa, pb *source.Page) bool {
	if !a.Equal(b) {
		return a.Before(b)
	}
	return pa.Path < pb.Path
}

// Section is a folder of content/ and its list pages.
type Section struct {
	Name     string // folder name: tin-tuc
	Title    string
	URL      string
	Summary  string
	Meta     *source.Page // its _index.md, if any
	Content  template.HTML
	Articles []*Article
}

// Article is one published page.
type Article struct {
	Page         *source.Page
	Section      *Section // nil for standalone pages
	URL          string
	Slug         string
	Title        string
	Category     string
	Date         time.Time
	EventDate    time.Time
	Summary      string
	Pinned       bool
	Tags         []*Term
	Participants []*Attendance
	Tasks        []*Task
	Photos       []*Photo // the album (front matter images:), in order
	Cover        *Photo   // cover: or the first photo; nil without photos
	Video        *source.Video
	Newer, Older *Article // neighbours within the section

	// Words is the body's word count, set by build when it converts the body.
	Words int

	rank int // place in the site's newest-first order
}

// Photo is one image of an article's album.
type Photo struct {
	Src     string // as written in the front matter
	File    string // the source file, from the site root: static/images/a.jpg, content/tin-tuc/x/anh.jpg
	Caption string
	Line    int
	Article *Article
}

// Attendance is a person at an article's event, with the role they held then.
type Attendance struct {
	Person  *Person
	Article *Article
	Role    string
	Chair   bool
}

// Term is a tag.
type Term struct {
	Name     string
	Slug     string
	URL      string
	Articles []*Article
}

// Person is everyone of one name (or id) across all articles.
type Person struct {
	Name        string
	ID          string
	Slug        string
	URL         string
	Appearances []*Attendance // newest first
}

// Task is one conclusion of a meeting, linked back to its article.
type Task struct {
	*source.Task          // as written: Text, Lead, Support, Due, DueMonth, Status
	Article      *Article // the meeting that concluded it
	N            int      // its number in the article, from 1
}

// TaskGroup is the tasks of one lead unit ("" = no lead given).
type TaskGroup struct {
	Lead  string
	ID    string // anchor on the tracker page
	URL   string // the group's own pages: /nhiem-vu/<lead-slug>/
	Tasks []*Task
}

// NoLead names the group of tasks given to no unit.
const NoLead = "Chưa giao đơn vị chủ trì"

// Label is the group's heading: its lead unit, or NoLead.
func (g *TaskGroup) Label() string {
	if g.Lead == "" {
		return NoLead
	}
	return g.Lead
}

// Head returns the group's first n tasks (the soonest due).
func (g *TaskGroup) Head(n int) []*Task { return g.Tasks[:min(n, len(g.Tasks))] }

// Alias is an old URL redirecting to an article.
type Alias struct {
	From   string // as written: /tin-cu/a/ or /Default.aspx?tabid=1
	Path   string // the path part, percent-decoded and checked (urlpath.Alias): the file it names
	Query  string // the query part as written, "" for a path alias
	Match  string // Query as the alias page's script compares it (MatchQuery)
	Target *Article
}

// Options select what the build includes.
type Options struct {
	Drafts  bool      // -D
	Future  bool      // -F
	Expired bool      // -E: keep pages whose expiry has passed
	Now     time.Time // pages dated after Now are future; those expiring at or before Now, expired
	// Static lists the site's static files, slash paths relative to static/.
	Static []string
}

// New builds the model. Problems are duplicate URLs and the like; the
// returned Site is usable for the rest even when there are problems.
func New(cfg *config.Config, pages []*source.Page, opts Options) (*Site, diag.List) {
	s := &Site{
		Config:  cfg,
		byFile:  map[string]*Article{},
		urls:    map[string]string{},
		files:   map[string]origin{},
		dirs:    map[string]origin{},
		statics: map[string]bool{},
	}
	var problems diag.List
	for _, f := range opts.Static {
		s.statics["/"+f] = true
	}
	secs := map[string]*Section{}
	section := func(name string) *Section {
		if sec, ok := secs[name]; ok {
			return sec
		}
		sec := &Section{Name: name, Title: cfg.SectionTitle(name, defaultTitle(name)), URL: "/" + name + "/"}
		if name == VideoSection {
			sec.URL = "/" + cfg.Paths.Video + "/"
		}
		secs[name] = sec
		return sec
	}
	s.Home = &Section{Title: cfg.Title, URL: "/"}
	s.Now = opts.Now
	if cfg.Location != nil && !s.Now.IsZero() {
		s.Now = s.Now.In(cfg.Location)
	}

	for _, p := range pages {
		if p.Kind == source.ListMeta {
			sec := s.Home
			if p.Section != "" {
				if p.Dir != p.Section {
					continue // _index.md deeper than a section folder has no list of its own
				}
				sec = section(p.Section)
			}
			sec.Meta = p
			if p.Title != "" && p.Section != "" {
				sec.Title = cfg.SectionTitle(p.Section, p.Title)
			}
			sec.Summary = p.Summary
			continue
		}
		if p.Draft && !opts.Drafts {
			s.Skipped.Drafts++
			continue
		}
		if !opts.Future && !opts.Now.IsZero() && p.Date.After(opts.Now) {
			s.Skipped.Future++
			if n := s.Skipped.NextDue; n == nil || sooner(p.Date, n.Date, p, n) {
				s.Skipped.NextDue = p
			}
			continue
		}
		if !p.Expiry.IsZero() && !opts.Now.IsZero() {
			if !p.Expiry.After(opts.Now) {
				if !opts.Expired {
					s.Skipped.Expired++
					continue
				}
			} else if n := s.Skipped.NextExpiry; n == nil || sooner(p.Expiry, n.Expiry, p, n) {
				s.Skipped.NextExpiry = p
			}
		}
		a := &Article{
			Page:      p,
			Title:     p.Title,
			Date:      p.Date.In(cfg.Location),
			EventDate: p.EventDate,
			Summary:   p.Summary,
			Pinned:    p.Pinned,
			Category:  p.Category,
		}
		if !a.EventDate.IsZero() {
			a.EventDate = a.EventDate.In(cfg.Location)
		}
		a.Slug = viet.Slug(p.Name)
		if p.Slug != "" {
			a.Slug = viet.Slug(p.Slug)
		}
		if a.Slug == "" {
			a.Slug = "bai-viet"
		}
		if p.Section == "" {
			a.URL = "/" + a.Slug + "/"
			s.Standalone = append(s.Standalone, a)
		} else {
			a.Section = section(p.Section)
			a.URL = a.Section.URL + a.Slug + "/"
			a.Category = category(p, a.Section)
		}
		a.Video = p.Video
		s.byFile[p.Path] = a
	}

	// Sections: menu order first, then by name.
	for _, sec := range secs {
		s.Sections = append(s.Sections, sec)
	}
	menuPos := func(sec *Section) int {
		for i, m := range cfg.Menu {
			if strings.TrimSuffix(m.URL, "/") == strings.TrimSuffix(sec.URL, "/") {
				return i
			}
		}
		return len(cfg.Menu)
	}
	sort.Slice(s.Sections, func(i, j int) bool {
		pi, pj := menuPos(s.Sections[i]), menuPos(s.Sections[j])
		if pi != pj {
			return pi < pj
		}
		return s.Sections[i].Name < s.Sections[j].Name
	})

	// Articles in a stable order: by path, for "first form seen" rules.
	all := make([]*Article, 0, len(s.byFile))
	for _, p := range pages {
		if a, ok := s.byFile[p.Path]; ok {
			all = append(all, a)
		}
	}
	// Every list is newest first: rank the articles once, then sort lists
	// by rank (at 10,000 articles, sorting each list by dates and titles
	// cost a third of the model).
	byAge := slices.Clone(all)
	SortNewest(byAge)
	for i, a := range byAge {
		a.rank = i
	}
	for _, a := range all {
		if a.Section == nil {
			continue
		}
		a.Section.Articles = append(a.Section.Articles, a)
		if a.Section.Name == VideoSection {
			s.Videos = append(s.Videos, a)
		} else {
			s.Articles = append(s.Articles, a)
		}
	}
	// The four indexes read the articles and each fills its own fields of
	// them (Tags, Participants, Tasks, Photos): built side by side.
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); s.tags(all) }()
	go func() { defer wg.Done(); s.people(all) }()
	go func() { defer wg.Done(); s.tasks(all) }()
	s.photos(all, &problems)
	wg.Wait()

	sortByRank(s.Articles)
	sortByRank(s.Videos)
	sortByRank(s.Albums)
	for _, sec := range s.Sections {
		sortByRank(sec.Articles)
		for i, a := range sec.Articles {
			if i > 0 {
				a.Newer = sec.Articles[i-1]
			}
			if i+1 < len(sec.Articles) {
				a.Older = sec.Articles[i+1]
			}
		}
	}
	if len(s.Articles) > 0 {
		s.Built = s.Articles[0].Date
	}
	s.Home.Articles = homeList(s.Articles, cfg.Paginate)
	if s.Home.Meta != nil {
		s.Home.Summary = s.Home.Meta.Summary
	}

	s.checkNames(opts.Static, all, &problems)
	s.outputs(&problems)
	s.aliases(all, &problems)
	s.claimFiles(opts.Static, &problems)
	s.files, s.dirs = nil, nil // only for finding collisions: ~20 MB at 10,000 articles
	return s, problems
}

// defaultTitle is a section's display name when neither site.yaml nor _index.md gives one.
func defaultTitle(name string) string {
	t := strings.ReplaceAll(name, "-", " ")
	if t == "" {
		return t
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// SortNewest sorts articles by date, newest first; ties by title
// (Vietnamese collation), then by path.
func SortNewest(list []*Article) {
	sort.SliceStable(list, func(i, j int) bool { return newer(list[i], list[j]) })
}

// sortByRank sorts a model's articles newest first, as SortNewest would.
func sortByRank(list []*Article) {
	slices.SortStableFunc(list, func(a, b *Article) int { return cmp.Compare(a.rank, b.rank) })
}

func newer(a, b *Article) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.After(b.Date)
	}
	if c := viet.Compare(a.Title, b.Title); c != 0 {
		return c < 0
	}
	return a.Page.Path < b.Page.Path
}

// homeList is the newest n articles, pinned ones first.
func homeList(newestFirst []*Article, n int) []*Article {
	var out []*Article
	for _, a := range newestFirst {
		if a.Pinned {
			out = append(out, a)
		}
	}
	for _, a := range newestFirst {
		if len(out) >= n {
			break
		}
		if !a.Pinned {
			out = append(out, a)
		}
	}
	if len(out) > n && n > 0 {
		out = out[:n]
	}
	return out
}

// Head returns the first n articles of the section (for home and sidebar blocks).
func (sec *Section) Head(n int) []*Article { return head(sec.Articles, n) }

// Latest returns the newest n articles of the site.
func (s *Site) Latest(n int) []*Article { return head(s.Articles, n) }

// TopTags returns the n most used tags in name order (for a tag cloud).
func (s *Site) TopTags(n int) []*Term {
	if n >= len(s.Tags) {
		return s.Tags
	}
	return s.tagCloud[:min(n, len(s.tagCloud))]
}

// TopLinks returns the first n linked websites.
func (s *Site) TopLinks(n int) []config.Link { return s.Config.Links[:min(n, len(s.Config.Links))] }

func head(list []*Article, n int) []*Article { return list[:min(n, len(list))] }

// Retitled is article a as a new parse p of its file makes it, when p
// differs from a's parse only in what the model shows as written and uses
// for nothing else: the title, summary, category, event date, unknown keys
// and the body. ok is false for any other change (a date, tags, a slug…
// move the article between lists), and for a new title when another article
// has the same date (titles order those). a is not changed: Retitle applies
// the result.
func (s *Site) Retitled(a *Article, p *source.Page) (next Article, ok bool) {
	x, y := *a.Page, *p
	for _, q := range []*source.Page{&x, &y} {
		q.Title, q.Summary, q.Category, q.EventDate, q.Params = "", "", "", time.Time{}, nil
		q.Body, q.BodyLine, q.BodyStart = nil, 0, 0
	}
	if !reflect.DeepEqual(x, y) {
		return Article{}, false
	}
	if p.Title != a.Page.Title {
		for _, list := range [][]*Article{s.Articles, s.Videos, s.Standalone} {
			for _, b := range list {
				if b != a && b.Date.Equal(a.Date) {
					return Article{}, false
				}
			}
		}
	}
	next = *a
	next.Page, next.Title, next.Summary, next.EventDate = p, p.Title, p.Summary, p.EventDate
	if !next.EventDate.IsZero() {
		next.EventDate = next.EventDate.In(s.Config.Location)
	}
	next.Category = category(p, a.Section)
	if p.Summary == "" {
		next.Summary = a.Summary // taken from the body: the caller sets it
	}
	return next, true
}

// category is an article's category: its own, else its section's title.
func category(p *source.Page, sec *Section) string {
	if p.Category == "" && sec != nil {
		return sec.Title
	}
	return p.Category
}

// Retitle puts next (from Retitled) in a's place, with the titles of a's pages.
func (s *Site) Retitle(a *Article, next Article) {
	old := a.Title
	*a = next
	for _, o := range s.Outputs {
		if o.Article == a && o.Title == old {
			o.Title = a.Title
		}
	}
}
