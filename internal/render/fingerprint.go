package render

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"bantin/internal/site"
)

// Fingerprints tell, without executing a layout, whether a page would come
// out the same as last time. A page's fingerprint hashes its view (Page,
// view.go) — every field of it, walked by reflection, so nothing a layout
// can print is left out — with the chrome, its body's source key on pages
// that show the body, and a base every page shares: the layout set, the
// assets' hashes and what the caller names (the build's state key:
// site.yaml, options, program, photos). Template functions read nothing
// else (funcs.go). Fingerprints are the same in every process: build keeps
// them with the output to skip pages a rebuild would write unchanged, serve
// keeps them between rebuilds.
type Fingerprints struct {
	views *Views
	base  uint64
	body  func(*site.Article) string
	// viewSums memoizes each output's view hash: build asks twice (before
	// rendering to skip pages, after to record them), and only the body
	// keys can have changed in between.
	mu       sync.Mutex
	viewSums map[*site.Output]uint64
	showing  map[*site.Article][]*site.Output // article → the pages that show its card
	complete bool                             // showing covers every page
}

// NewFingerprints prepares the fingerprints of the views v. body returns a
// key of an article's source and of what its links resolved to; static maps
// the site's static files to their content hashes; extra is anything else
// every page depends on.
func (t *Templates) NewFingerprints(v *Views, body func(*site.Article) string, static map[string]string, extra string) *Fingerprints {
	h := newHash()
	h.WriteString(extra)
	writeUint(&h, t.layoutSum)
	assets := make([]string, 0, len(t.hashes)+len(static))
	for p, s := range t.hashes {
		assets = append(assets, p+"="+s)
	}
	for p, s := range static {
		assets = append(assets, "static/"+p+"="+s)
	}
	sort.Strings(assets)
	for _, a := range assets {
		h.WriteString(a)
	}
	writeUint(&h, v.chrome.sum)
	return &Fingerprints{views: v, base: h.Sum64(), body: body, viewSums: map[*site.Output]uint64{}, showing: map[*site.Article][]*site.Output{}}
}

// Base is what every page's fingerprint starts from: when two sets of
// fingerprints have different bases, no page has the same in both.
func (f *Fingerprints) Base() uint64 { return f.base }

// Of returns page o's fingerprint.
func (f *Fingerprints) Of(o *site.Output) uint64 {
	f.mu.Lock()
	vs, ok := f.viewSums[o]
	f.mu.Unlock()
	if !ok {
		var cards []*site.Article
		vs, cards = f.views.h.sumShowing(f.views.Page(o))
		f.mu.Lock()
		f.viewSums[o] = vs
		for _, a := range cards {
			if l := f.showing[a]; len(l) == 0 || l[len(l)-1] != o {
				f.showing[a] = append(l, o)
			}
		}
		f.mu.Unlock()
	}
	h := newHash()
	writeUint(&h, f.base)
	writeUint(&h, vs)
	if HasBody(o) {
		h.WriteString(f.body(o.Article))
	}
	return h.Sum64()
}

// Showing returns the pages whose views show article a's card, and
// whether every page may (it is in the chrome, or All has not yet looked
// at every page).
func (f *Fingerprints) Showing(a *site.Article) (pages []*site.Output, everywhere bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.showing[a], !f.complete || slices.Contains(f.views.chrome.cards, a)
}

// KeepShowing takes which pages show which card from old, made for the same
// pages and lists.
func (f *Fingerprints) KeepShowing(old *Fingerprints) {
	old.mu.Lock()
	showing, complete := old.showing, old.complete
	old.mu.Unlock()
	f.mu.Lock()
	f.showing, f.complete = showing, complete
	f.mu.Unlock()
}

// All returns the fingerprint of every output, in order, on every core
// (30,000 pages take ~100 ms on one).
func (f *Fingerprints) All(outs []*site.Output) []uint64 {
	out := make([]uint64, len(outs))
	var wg sync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(outs); i += n {
				out[i] = f.Of(outs[i])
			}
		}()
	}
	wg.Wait()
	f.mu.Lock()
	f.complete = true
	f.mu.Unlock()
	return out
}

var (
	summedType = reflect.TypeFor[summed]()
	timeType   = reflect.TypeFor[time.Time]()
)

// viewHasher hashes views for one layout set: of each struct, the fields
// its layouts can read (fieldUse, found by the type check at load); all
// fields when used is nil.
type viewHasher struct {
	used  fieldUse
	plans sync.Map // reflect.Type → *plan
}

// sum hashes the view x points to.
func (vh *viewHasher) sum(x any) uint64 {
	s, _ := vh.sumShowing(x)
	return s
}

// sumShowing hashes the view x points to and names the articles whose
// cards it shows (through a field layouts read).
func (vh *viewHasher) sumShowing(x any) (uint64, []*site.Article) {
	h := newHash()
	var cards []*site.Article
	vh.hashValue(&h, reflect.ValueOf(x).Elem(), &cards)
	return h.Sum64(), cards
}

// hashValue hashes the fields of v layouts can read, exported or not, but
// those tagged fp:"-" (what the base covers, or the model a view was made
// from) and a summed part's own sum. A pointer to a shared part whose sum
// is known hashes as that sum. Nil pointers, lengths and map keys are
// always hashed: {{with}}, {{if}} and {{range}} see them.
func (vh *viewHasher) hashValue(h *hash64, v reflect.Value, cards *[]*site.Article) {
	switch v.Kind() {
	case reflect.String:
		h.WriteString(v.String())
	case reflect.Bool:
		h.addBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		writeUint(h, uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		writeUint(h, v.Uint())
	case reflect.Float32, reflect.Float64:
		writeUint(h, math.Float64bits(v.Float()))
	case reflect.Pointer:
		if v.IsNil() {
			h.addByte(0)
			return
		}
		h.addByte(1)
		if e := v.Elem(); e.Kind() == reflect.Struct {
			if p := vh.planOf(e.Type()); p.sum >= 0 {
				if s := e.Field(p.sum).Field(0).Uint(); s != 0 {
					writeUint(h, s)
					if cards != nil && v.CanInterface() {
						*cards = append(*cards, partOf(v.Interface()).cards...)
					}
					return
				}
			}
		}
		vh.hashValue(h, v.Elem(), cards)
	case reflect.Slice, reflect.Array:
		writeUint(h, uint64(v.Len()))
		for i := range v.Len() {
			vh.hashValue(h, v.Index(i), cards)
		}
	case reflect.Map:
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = keyString(k)
		}
		sort.Sort(byName{names, keys})
		writeUint(h, uint64(len(keys)))
		for i, k := range keys {
			h.WriteString(names[i])
			vh.hashValue(h, v.MapIndex(k), cards)
		}
	case reflect.Interface:
		if v.IsNil() {
			h.addByte(0)
			return
		}
		h.WriteString(v.Elem().Type().String())
		vh.hashValue(h, v.Elem(), cards)
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			name, off := t.Zone()
			writeUint(h, uint64(t.UnixNano()))
			h.WriteString(name + strconv.Itoa(off))
			return
		}
		for _, i := range vh.planOf(v.Type()).fields {
			vh.hashValue(h, v.Field(i), cards)
		}
	default:
		// A view holds plain values only (TestViewTypes).
		panic("render: a view holds a " + v.Type().String())
	}
}

// partOf is the summed part of a shared view.
func partOf(x any) *summed {
	switch p := x.(type) {
	case *Card:
		return &p.summed
	case *Chrome:
		return &p.summed
	case *Counted:
		return &p.summed
	case *SectionRef:
		return &p.summed
	case *Group:
		return &p.summed
	}
	panic(fmt.Sprintf("render: %T has a summed part partOf does not know", x))
}

// plan is what hashing a struct type looks at.
type plan struct {
	fields []int // the fields its hash covers
	sum    int   // the index of its own summed field, -1 if it has none (an embedded part's does not count)
}

func (vh *viewHasher) planOf(t reflect.Type) *plan {
	if p, ok := vh.plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{sum: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Type == summedType:
			p.sum = i
		case f.Tag.Get("fp") != "-" && (vh.used == nil || vh.used[t][i]):
			p.fields = append(p.fields, i)
		}
	}
	vh.plans.Store(t, p)
	return p
}

func keyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	h := newHash()
	(&viewHasher{}).hashValue(&h, k, nil)
	return strconv.FormatUint(h.Sum64(), 16)
}

type byName struct {
	names []string
	keys  []reflect.Value
}

func (b byName) Len() int           { return len(b.names) }
func (b byName) Less(i, j int) bool { return b.names[i] < b.names[j] }
func (b byName) Swap(i, j int) {
	b.names[i], b.names[j] = b.names[j], b.names[i]
	b.keys[i], b.keys[j] = b.keys[j], b.keys[i]
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
