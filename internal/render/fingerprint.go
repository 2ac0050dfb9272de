package render

import (
	"runtime"
	"sort"
	"strconv"
	"sync"

	"bantin/internal/site"
)

// Fingerprints tell, without executing a layout, whether a page would come
// out the same as last time: each hashes exactly what the built-in layouts
// read for that page. serve uses them to re-render only the pages an edit
// can change. They are only valid for the built-in layouts: a site with
// layouts of its own (Templates.Custom) is rendered in full. They are the
// same in every process (build keeps them with the output, to skip pages
// a rebuild would write unchanged).
type Fingerprints struct {
	chrome uint64
	items  map[*site.Article]uint64 // what lists show of an article
	bodies map[*site.Article]uint64 // items plus the article's file and links
}

// NewFingerprints prepares fingerprints for one model. body returns a key
// of an article's source and of what its links resolved to.
// static maps the site's static files to their content hashes (layouts
// link CSS and JS with them). extra is anything else every page depends
// on (build: the photos' published sizes).
func (t *Templates) NewFingerprints(s *site.Site, body func(*site.Article) string, static map[string]string, extra string) *Fingerprints {
	n := len(s.Articles) + len(s.Videos) + len(s.Standalone)
	f := &Fingerprints{items: make(map[*site.Article]uint64, n), bodies: make(map[*site.Article]uint64, n)}
	h := newHash()
	// What every page shows around its content: config, assets, menu,
	// sidebar, footer.
	h.WriteString(extra)
	h.WriteString(s.Config.BaseURL)
	h.WriteString(s.Config.Title)
	assets := make([]string, 0, len(t.hashes))
	for p, v := range t.hashes {
		assets = append(assets, p+"="+v)
	}
	for p, v := range static {
		assets = append(assets, "static/"+p+"="+v)
	}
	sort.Strings(assets)
	for _, a := range assets {
		h.WriteString(a)
	}
	for _, a := range s.Latest(5) {
		item(&h, a)
	}
	for _, sec := range s.Sections {
		h.WriteString(sec.URL + sec.Title + strconv.Itoa(len(sec.Articles)))
	}
	for _, tg := range s.TopTags(20) {
		h.WriteString(tg.URL + tg.Name)
	}
	h.WriteString(strconv.Itoa(s.TaskCount))
	f.chrome = h.Sum64()

	all := make([]*site.Article, 0, n)
	all = append(append(append(all, s.Articles...), s.Videos...), s.Standalone...)
	items, bodies := make([]uint64, len(all)), make([]uint64, len(all))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(all); i += workers {
				h := newHash()
				item(&h, all[i])
				items[i] = h.Sum64()
				// The file's bytes (body, tasks, participants…) and its links.
				h.WriteString(body(all[i]))
				bodies[i] = h.Sum64()
			}
		}()
	}
	wg.Wait()
	for i, a := range all {
		f.items[a], f.bodies[a] = items[i], bodies[i]
	}
	return f
}

// item hashes what a list shows of an article.
func item(h *hash64, a *site.Article) {
	h.WriteString(a.URL)
	h.WriteString(a.Title)
	h.WriteString(a.Summary)
	h.WriteString(a.Category)
	writeUint(h, uint64(a.Date.UnixNano()))
	if a.Section != nil {
		h.WriteString(a.Section.URL + a.Section.Title)
	}
}

// Of returns the page's fingerprint; ok is false for kinds it does not
// track (they are always rendered).
func (f *Fingerprints) Of(o *site.Output) (uint64, bool) {
	h := newHash()
	h.WriteString(o.Kind)
	h.WriteString(o.URL)
	h.WriteString(o.Title)
	writeUint(&h, f.chrome)
	if pg := o.Pager; pg != nil {
		writeUint(&h, uint64(pg.Number))
		writeUint(&h, uint64(pg.Total))
		for _, a := range pg.Items {
			writeUint(&h, f.items[a])
		}
		for _, t := range pg.Tasks {
			// A task's text, units and dates come from its article's file.
			writeUint(&h, f.bodies[t.Article])
			writeUint(&h, uint64(t.N))
		}
	}
	switch o.Kind {
	case site.KindArticle, site.KindPage, site.KindVideo, site.KindAlbum:
		a := o.Article
		writeUint(&h, f.bodies[a])
		for _, n := range []*site.Article{a.Newer, a.Older} {
			if n != nil {
				h.WriteString(n.URL)
				h.WriteString(n.Title)
			}
			h.addByte(0)
		}
		for _, t := range a.Tags {
			h.WriteString(t.URL)
			h.WriteString(t.Name)
		}
		for _, at := range a.Participants {
			h.WriteString(at.Person.URL)
			h.WriteString(at.Person.Name)
			h.WriteString(at.Role)
			h.addBool(at.Chair)
		}
		// Tasks come from the article's own file, which its item covers.
	case site.KindSection:
		h.WriteString(o.Section.Summary + string(o.Section.Content))
	case site.KindTag:
		h.WriteString(o.Term.Name + strconv.Itoa(len(o.Term.Articles)))
	case site.KindPerson:
		p := o.Person
		h.WriteString(p.Name)
		writeUint(&h, uint64(len(p.Appearances)))
		if len(p.Appearances) > 0 {
			h.WriteString(p.Appearances[0].Role)
		}
		for _, a := range o.Pager.Items {
			for _, at := range a.Participants {
				if at.Person == p {
					h.WriteString(at.Role)
					h.addBool(at.Chair)
				}
			}
		}
	case site.KindGallery:
		// Albums: the item, the cover (its published form is in chrome) and the count.
		for _, a := range o.Pager.Items {
			h.WriteString(a.Slug + "\x00" + strconv.Itoa(len(a.Photos)))
			if a.Cover != nil {
				h.WriteString(a.Cover.File)
			}
		}
	case site.KindTaskGroup:
		h.WriteString(o.Group.Label() + strconv.Itoa(len(o.Group.Tasks)))
	default:
		return 0, false
	}
	return h.Sum64(), true
}

// hash64 is a 64-bit hash that is the same in every process, unlike
// hash/maphash, and inlined, unlike hash/fnv's interface: FNV-1a's start
// and prime, taking eight bytes a step with a multiply-xorshift mix.
type hash64 uint64

func newHash() hash64 { return 14695981039346656037 }

const hashPrime = 1099511628211

// WriteString hashes s and its length, so that "ab","c" and "a","bc" differ.
func (h *hash64) WriteString(s string) {
	v, n := uint64(*h), len(s)
	for len(s) >= 8 {
		k := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		v = (v ^ k) * 0x9e3779b97f4a7c15
		v ^= v >> 29
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		v = (v ^ uint64(s[i])) * hashPrime
	}
	v = (v ^ uint64(n) ^ 0xff00) * hashPrime
	*h = hash64(v)
}

func (h *hash64) addByte(c byte) {
	*h = (*h ^ hash64(c)) * hashPrime
}

func (h *hash64) addBool(b bool) {
	if b {
		h.addByte(1)
	} else {
		h.addByte(0)
	}
}

func (h hash64) Sum64() uint64 { return uint64(h) }

func writeUint(h *hash64, v uint64) {
	x := (uint64(*h) ^ v) * 0x9e3779b97f4a7c15
	*h = hash64(x ^ x>>29)
}
