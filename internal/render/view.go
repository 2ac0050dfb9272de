package render

import (
	"html/template"
	"reflect"
	"sync"
	"time"

	"bantin/internal/config"
	"bantin/internal/site"
)

// Views are what layouts see: every page receives a Data holding its own
// view (Page) and the chrome every page shares (Site), made of the value
// types below and nothing else. They are plain values copied out of the
// model, never the model itself, so a layout can only show what a view
// holds, and a page's fingerprint (fingerprint.go) is a hash of its view:
// whatever a layout — built-in or the site's own — prints, the fingerprint
// covered. Load checks every layout against these types (typecheck.go), so
// a layout reaching for something a view does not hold fails at load.
//
// How much of a list a view holds is decided here, once: the layouts show
// all of it (the sidebar's newest articles, the tag cloud, a section's
// head on the home page…).
const (
	latestShown   = 5  // Chrome.Latest
	topTagsShown  = 20 // Chrome.TopTags
	homeHeadShown = 4  // SectionHead.Latest on the home page
	homeAlbums    = 4  // Home.Albums
	homeVideos    = 2  // Home.Videos
	homeLinks     = 6  // Home.Links
	groupHead     = 5  // Group.Head on the tasks page
)

// Data is dot for every layout.
type Data struct {
	Site *Chrome
	Page *Page
	// Content is the article's body as HTML, on an article's own pages
	// (article, standalone page, video entry). Its fingerprint is the body's
	// source key, not these bytes.
	Content template.HTML `fp:"-"`
}

// Chrome is what every page shows around its content.
type Chrome struct {
	// Config is site.yaml as loaded (with -b): fingerprints cover it
	// through its bytes and the options, in the build's state key.
	Config       *config.Config `fp:"-"`
	Latest       []*Card        // the newest articles (sidebar)
	Sections     []*SectionEntry
	TopTags      []*Counted // the most used tags, in name order
	TaskCount    int
	ArticleCount int // listed articles (all sections but video)
	summed
}

// Page is one page's own view. Which fields are set depends on its kind.
type Page struct {
	Kind, URL, Title string
	Pager            *Pager       // list pages
	Article          *Article     // article, page, video, album
	Section          *Section     // section, videos
	Term             *Counted     // tag
	Person           *Person      // person
	Group            *Group       // taskgroup
	Home             *Home        // home
	Tags             []*Counted   // tags: every tag
	People           []*Counted   // people: everyone
	Groups           []*Group     // tasks: every lead unit
	src              *site.Output `fp:"-"`
}

// Card is what lists show of an article, video or standalone page.
type Card struct {
	URL, Slug, Title, Summary, Category string
	Date, EventDate                     time.Time
	Pinned                              bool
	Section                             *SectionRef // nil for standalone pages
	Tags                                []*Ref
	Cover                               *Photo // cover:, else the first photo; nil without photos
	PhotoCount                          int
	Video                               *Video
	Words                               int // the body's word count
	Params                              map[string]any
	summed
	src *site.Article `fp:"-"`
}

// Article is an article's own page: its card and everything else of it.
type Article struct {
	*Card
	Participants []*Attendance
	Tasks        []*Task
	Photos       []*Photo
	Newer, Older *Card         // neighbours within the section
	src          *site.Article `fp:"-"`
}

// Ref is a tag or person as an article links it.
type Ref struct{ Name, URL string }

// Counted is a tag or person in a list that counts their articles.
type Counted struct {
	Name, URL string
	Count     int
	summed
}

// SectionRef is a section as a card or crumb links it.
type SectionRef struct {
	Name, Title, URL string
	summed
}

// SectionEntry is a section in the sidebar's list, with its article count.
type SectionEntry struct {
	*SectionRef
	Count int
}

// Section is a section's list page.
type Section struct {
	*SectionRef
	Summary string
	Content template.HTML // its _index.md body
	Count   int
}

// Attendance is a person at an article's event.
type Attendance struct {
	Person *Ref
	Role   string
	Chair  bool
}

// Person is a participant's page.
type Person struct {
	*Counted
	Role string // the role they held most recently
}

// Appearance is one row of a person's page.
type Appearance struct {
	Article *Card
	Role    string
	Chair   bool
}

// Task is one conclusion of a meeting.
type Task struct {
	N                  int
	Text, Lead, Status string
	Support            []string
	Due                time.Time
	DueMonth           bool
	Article            *Card // the meeting
}

// Group is the tasks of one lead unit.
type Group struct {
	Label, Lead, ID, URL string
	Count                int
	Head                 []*Task // the soonest due, on the tasks page
	summed
}

// Video is a video entry's player: a YouTube id, or a file's URL, and a poster.
type Video struct{ YouTube, Src, Poster string }

// Photo is one photo of an album; photo gives its published form.
type Photo struct {
	Src, File, Caption string
	src                *site.Photo `fp:"-"`
}

// Pager is one page of a paginated list.
type Pager struct {
	Number, Total           int
	First, Last, Prev, Next string // "" for Prev on the first page, Next on the last
	Pages                   []site.PageLink
	Items                   []*Card       // articles, videos, albums
	Tasks                   []*Task       // task group pages
	Appearances             []*Appearance // person pages
}

// Home is the home page's own view.
type Home struct {
	Articles     []*Card // pinned first, then the newest
	Sections     []*SectionHead
	Albums       []*Card // the newest articles with photos
	VideoSection *SectionRef
	Videos       []*Card
	Links        []config.Link
}

// SectionHead is a section's block on the home page.
type SectionHead struct {
	*SectionEntry
	Latest []*Card
}

// summed holds a shared part's hash, computed once when its views are
// made, so pages that show it hash eight bytes instead of walking it, and
// the articles whose cards it shows (Fingerprints.Showing).
type summed struct {
	sum   uint64
	cards []*site.Article
}

// Views makes the views of one model. Pages' views are made when asked
// for (serve renders a handful of the 30,000 pages of a large site);
// the parts pages share are made once.
type Views struct {
	s      *site.Site
	h      *viewHasher
	chrome *Chrome
	mu     sync.Mutex
	cards  map[*site.Article]*Card
	refs   map[any]any // *site.Section → *SectionRef, *site.Term → *Ref…
	groups map[*site.TaskGroup]*Group
}

// NewViews prepares the views of s for these layouts.
func (t *Templates) NewViews(s *site.Site) *Views {
	v := &Views{s: s, h: t.hasher, cards: map[*site.Article]*Card{}, refs: map[any]any{}, groups: map[*site.TaskGroup]*Group{}}
	c := &Chrome{Config: s.Config, TaskCount: s.TaskCount, ArticleCount: len(s.Articles)}
	for _, a := range s.Latest(latestShown) {
		c.Latest = append(c.Latest, v.Card(a))
	}
	for _, sec := range s.Sections {
		c.Sections = append(c.Sections, v.sectionEntry(sec))
	}
	for _, t := range s.TopTags(topTagsShown) {
		c.TopTags = append(c.TopTags, v.counted(t))
	}
	c.sum, c.cards = v.h.sumShowing(c)
	v.chrome = c
	return v
}

// Chrome is what every page of the site shows around its content.
func (v *Views) Chrome() *Chrome { return v.chrome }

// Card is article a's card.
func (v *Views) Card(a *site.Article) *Card {
	if a == nil {
		return nil
	}
	v.mu.Lock()
	c := v.cards[a]
	v.mu.Unlock()
	if c != nil {
		return c
	}
	c = &Card{src: a, URL: a.URL, Slug: a.Slug, Title: a.Title, Summary: a.Summary, Category: a.Category,
		Date: a.Date, EventDate: a.EventDate, Pinned: a.Pinned, Section: v.sectionRef(a.Section),
		Cover: photoView(a.Cover), PhotoCount: len(a.Photos), Words: a.Words}
	if a.Video != nil {
		c.Video = &Video{YouTube: a.Video.YouTube, Src: a.Video.Src, Poster: a.Video.Poster}
	}
	for _, t := range a.Tags {
		c.Tags = append(c.Tags, &Ref{Name: t.Name, URL: t.URL})
	}
	if a.Page != nil && len(a.Page.Params) > 0 {
		c.Params = a.Page.Params
	}
	c.sum, c.cards = v.h.sum(c), []*site.Article{a}
	v.mu.Lock()
	defer v.mu.Unlock()
	if prev := v.cards[a]; prev != nil {
		return prev
	}
	v.cards[a] = c
	return c
}

func (v *Views) cardsOf(list []*site.Article) []*Card {
	out := make([]*Card, len(list))
	for i, a := range list {
		out[i] = v.Card(a)
	}
	return out
}

// shared returns the view made for model value key, making it once.
func made[T any](v *Views, key any, make func() *T) *T {
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := v.refs[key]; ok {
		return r.(*T)
	}
	r := make()
	v.refs[key] = r
	return r
}

func (v *Views) sectionRef(sec *site.Section) *SectionRef {
	if sec == nil {
		return nil
	}
	return made(v, sec, func() *SectionRef {
		r := &SectionRef{Name: sec.Name, Title: sec.Title, URL: sec.URL}
		r.sum = v.h.sum(r)
		return r
	})
}

func (v *Views) sectionEntry(sec *site.Section) *SectionEntry {
	return &SectionEntry{SectionRef: v.sectionRef(sec), Count: len(sec.Articles)}
}

func (v *Views) counted(key any) *Counted {
	return made(v, key, func() *Counted {
		var r *Counted
		switch m := key.(type) {
		case *site.Term:
			r = &Counted{Name: m.Name, URL: m.URL, Count: len(m.Articles)}
		case *site.Person:
			r = &Counted{Name: m.Name, URL: m.URL, Count: len(m.Appearances)}
		}
		r.sum = v.h.sum(r)
		return r
	})
}

func (v *Views) group(g *site.TaskGroup) *Group {
	v.mu.Lock()
	r := v.groups[g]
	v.mu.Unlock()
	if r != nil {
		return r
	}
	r = &Group{Label: g.Label(), Lead: g.Lead, ID: g.ID, URL: g.URL, Count: len(g.Tasks)}
	for _, t := range g.Head(groupHead) {
		r.Head = append(r.Head, v.task(t))
	}
	r.sum, r.cards = v.h.sumShowing(r)
	v.mu.Lock()
	defer v.mu.Unlock()
	if prev := v.groups[g]; prev != nil {
		return prev
	}
	v.groups[g] = r
	return r
}

func (v *Views) task(t *site.Task) *Task {
	return &Task{N: t.N, Text: t.Text, Lead: t.Lead, Status: t.Status, Support: t.Support,
		Due: t.Due, DueMonth: t.DueMonth, Article: v.Card(t.Article)}
}

func photoView(p *site.Photo) *Photo {
	if p == nil {
		return nil
	}
	return &Photo{Src: p.Src, File: p.File, Caption: p.Caption, src: p}
}

// Page makes output o's view.
func (v *Views) Page(o *site.Output) *Page {
	p := &Page{Kind: o.Kind, URL: o.URL, Title: o.Title, src: o}
	if pg := o.Pager; pg != nil {
		vp := &Pager{Number: pg.Number, Total: pg.Total, First: pg.First(), Last: pg.Last(), Prev: pg.Prev(), Next: pg.Next(),
			Pages: pg.Pages(), Items: v.cardsOf(pg.Items)}
		for _, t := range pg.Tasks {
			vp.Tasks = append(vp.Tasks, v.task(t))
		}
		if o.Person != nil {
			for _, a := range pg.Items {
				for _, at := range a.Participants {
					if at.Person == o.Person {
						vp.Appearances = append(vp.Appearances, &Appearance{Article: v.Card(a), Role: at.Role, Chair: at.Chair})
						break
					}
				}
			}
		}
		p.Pager = vp
	}
	if a := o.Article; a != nil {
		p.Article = v.article(a)
	}
	if sec := o.Section; sec != nil {
		p.Section = &Section{SectionRef: v.sectionRef(sec), Summary: sec.Summary, Content: sec.Content, Count: len(sec.Articles)}
	}
	if o.Term != nil {
		p.Term = v.counted(o.Term)
	}
	if pr := o.Person; pr != nil {
		p.Person = &Person{Counted: v.counted(pr)}
		if len(pr.Appearances) > 0 {
			p.Person.Role = pr.Appearances[0].Role
		}
	}
	if o.Group != nil {
		p.Group = v.group(o.Group)
	}
	s := v.s
	switch o.Kind {
	case site.KindHome:
		h := &Home{Articles: v.cardsOf(s.Home.Articles), Albums: v.cardsOf(s.Albums[:min(homeAlbums, len(s.Albums))]),
			Videos: v.cardsOf(s.Videos[:min(homeVideos, len(s.Videos))]), Links: s.TopLinks(homeLinks)}
		for _, sec := range s.Sections {
			h.Sections = append(h.Sections, &SectionHead{SectionEntry: v.sectionEntry(sec), Latest: v.cardsOf(sec.Head(homeHeadShown))})
		}
		if len(s.Videos) > 0 {
			h.VideoSection = v.sectionRef(s.Videos[0].Section)
		}
		p.Home = h
	case site.KindTags:
		for _, t := range s.Tags {
			p.Tags = append(p.Tags, v.counted(t))
		}
	case site.KindPeople:
		for _, pr := range s.People {
			p.People = append(p.People, v.counted(pr))
		}
	case site.KindTasks:
		for _, g := range s.TaskGroups {
			p.Groups = append(p.Groups, v.group(g))
		}
	}
	return p
}

func (v *Views) article(a *site.Article) *Article {
	out := &Article{Card: v.Card(a), Newer: v.Card(a.Newer), Older: v.Card(a.Older), src: a}
	for _, at := range a.Participants {
		out.Participants = append(out.Participants, &Attendance{Person: &Ref{Name: at.Person.Name, URL: at.Person.URL}, Role: at.Role, Chair: at.Chair})
	}
	for _, t := range a.Tasks {
		out.Tasks = append(out.Tasks, v.task(t))
	}
	for _, ph := range a.Photos {
		out.Photos = append(out.Photos, photoView(ph))
	}
	return out
}

// Shows reports whether a layout of the set can read the field named
// field of view type v (a struct value: render.Card{}).
func (t *Templates) Shows(v any, field string) bool {
	typ := reflect.TypeOf(v)
	f, ok := typ.FieldByName(field)
	if !ok || len(f.Index) != 1 {
		panic("render: no field " + field + " in " + typ.String())
	}
	return t.hasher.used == nil || t.hasher.used[typ][f.Index[0]]
}

// SameCard reports whether two cards show the same.
func SameCard(a, b *Card) bool { return a != nil && b != nil && a.sum == b.sum }

// HasBody reports whether a page shows its article's body (Data.Content).
func HasBody(o *site.Output) bool { return o.IsPage() }
