package build

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"bantin/internal/diag"
	"bantin/internal/render"
	"bantin/internal/site"
)

// outputState is what a build leaves beside its output (publish.StateFile)
// so that the next build into the same folder can leave out the pages that
// would come out the same: each page's fingerprint (render.Fingerprints),
// and for each article what its fingerprint was made from that only
// rendering its body finds out — the links in it — and the warnings that
// rendering gave. It is only used when Key is the same: the same program,
// site.yaml, options and photos.
type outputState struct {
	Key      string                  `json:"key"`
	Pages    map[string]string       `json:"pages"`    // output path → fingerprint
	Articles map[string]articleState `json:"articles"` // content file → its body's links
	// PhotoBase names what a photo's processing depends on besides its
	// bytes (the program and site.yaml); Photos are only reused under it.
	PhotoBase string                `json:"photoBase,omitempty"`
	Photos    map[string]photoState `json:"photos,omitempty"` // source image file → what it published
	// Search is the search index it published (Site.writeSearch).
	Search searchState `json:"search"`
}

// searchState names a published search index: its key (Site.searchKey) and files.
type searchState struct {
	Key   string   `json:"key,omitempty"`
	Files []string `json:"files,omitempty"`
}

// photoState is a photo as the previous build found and published it: the
// next build takes it as is while the file's size and time are the same
// (as serve does between rebuilds), instead of reading and hashing it.
type photoState struct {
	Out  string       `json:"out"`
	Size int64        `json:"size"`
	Mod  int64        `json:"mod"` // modification time, Unix nanoseconds
	Key  string       `json:"key"`
	Outs []string     `json:"outs"`
	Img  render.Image `json:"img"`
}

type articleState struct {
	Sum      string            `json:"sum"`             // the file's bytes
	Words    *int              `json:"words,omitempty"` // the body's word count
	Links    []string          `json:"links"`           // link destinations in the body, in order
	Warnings []diag.Diagnostic `json:"warnings,omitempty"`
}

const stateVersion = "bantin output state v2"

// stateKey names everything every page depends on that fingerprints do not
// see: the program (its layouts, functions and Markdown rules), site.yaml,
// the build's options and the photos' published forms.
func (ss *Session) stateKey(minify bool) string {
	h := sha256.New()
	io.WriteString(h, stateVersion+"\x00"+programSum()+"\x00")
	h.Write(ss.cfgSum[:])
	io.WriteString(h, "\x00"+ss.opts.BaseURL+"\x00"+strconv.FormatBool(ss.opts.Drafts)+strconv.FormatBool(ss.opts.Future)+strconv.FormatBool(ss.opts.Expired)+strconv.FormatBool(minify))
	io.WriteString(h, "\x00"+ss.photoDigest())
	return hex.EncodeToString(h.Sum(nil))
}

// programSum names the running program: a new bantin may render anything
// differently. Its path, size and modification time stand for its bytes (a
// new build of it has another time; hashing 20 MB cost every build ~20 ms).
// When the executable cannot be found it is random, so that no stored state
// is ever trusted.
var programSum = sync.OnceValue(func() string {
	if exe, err := os.Executable(); err == nil {
		if info, err := os.Stat(exe); err == nil {
			return exe + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
		}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
})

// photoDigest hashes every photo's published form (URLs, sizes, srcset).
func (ss *Session) photoDigest() string {
	files := make([]string, 0, len(ss.photos))
	for f := range ss.photos {
		files = append(files, f)
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		ph := ss.photos[f]
		img := ph.img
		io.WriteString(h, f+"\x00"+ph.out+"\x00"+img.URL+"\x00"+img.Srcset+"\x00"+img.Thumb+"\x00"+strconv.Itoa(img.Width)+"x"+strconv.Itoa(img.Height)+"\x00")
		if ph.err != nil {
			io.WriteString(h, ph.err.Error())
		}
		io.WriteString(h, "\x00")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// photoBase names what a photo's published form depends on besides its
// bytes: the program (its image code), site.yaml's image settings and
// baseURL (its URLs), and a baseURL given on the command line. Other
// site.yaml edits (a description, a menu entry) keep every photo.
func (ss *Session) photoBase() string {
	h := sha256.New()
	io.WriteString(h, stateVersion+"\x00"+programSum()+"\x00")
	io.WriteString(h, ss.imageSettings+"\x00"+ss.opts.BaseURL)
	return hex.EncodeToString(h.Sum(nil))
}

// usePrevState decodes the state the previous build left in the output
// (publish.Stage.PrevState), once for processImages (prevPhotos) and Write
// (readState). Anything unreadable is no state: every photo is then looked at.
func (ss *Session) usePrevState(b []byte) {
	if len(b) == 0 {
		return
	}
	var st outputState
	if json.Unmarshal(b, &st) != nil {
		return
	}
	ss.prevSum, ss.prevState = sha256.Sum256(b), &st
}

// prevPhotos is what the previous build into the same output published of
// each photo, when that holds for this build (the same photoBase); nil if not.
func (ss *Session) prevPhotos() map[string]*photo {
	st := ss.prevState
	if st == nil || st.PhotoBase == "" || st.PhotoBase != ss.photoBase() {
		return nil
	}
	out := make(map[string]*photo, len(st.Photos))
	for f, p := range st.Photos {
		out[f] = &photo{file: f, out: p.Out, size: p.Size, mod: time.Unix(0, p.Mod), key: p.Key, outs: p.Outs, img: p.Img}
	}
	return out
}

// trustedState is the state the previous build left in the output when it
// was made under key (the same program, site.yaml, options and photos); nil if not.
func (ss *Session) trustedState(key string) *outputState {
	st := ss.prevState
	if st == nil || st.Key != key || st.Pages == nil || st.Articles == nil {
		return nil
	}
	return st
}

// PageFingerprints returns the fingerprint of every page, by output path.
// Every page depends on what the state key names (site.yaml's bytes, the
// options, the program, the photos), so serve and an incremental build
// decide a skip from the same key.
func (s *Site) PageFingerprints() map[string]uint64 {
	outs := s.Model.Outputs
	all := s.fingerprints().All(outs)
	out := make(map[string]uint64, len(outs))
	for i, o := range outs {
		out[site.File(o.URL)] = all[i]
	}
	return out
}

// FingerprintBase is what every page's fingerprint starts from
// (render.Fingerprints.Base): under another base no page can be left out.
func (s *Site) FingerprintBase() uint64 { return s.fingerprints().Base() }

// LaterFingerprints returns what makes every page's fingerprint later,
// as PageFingerprints would make it now: the bodies' source keys are taken
// now (the session changes them at the next rebuild), the views hashed
// when it is called. The model may change in between only as PrepareBodies
// changes it, on pages whose fingerprints the caller drops.
func (s *Site) LaterFingerprints() func() map[string]uint64 {
	keys := map[*site.Article]string{}
	for _, o := range s.Model.Outputs {
		if render.HasBody(o) {
			keys[o.Article] = s.SourceKey(o.Article)
		}
	}
	fps := s.Templates.NewFingerprints(s.views, func(a *site.Article) string { return keys[a] }, s.StaticHashes(), s.session.stateKey(s.Minify()))
	outs := slices.Clone(s.Model.Outputs)
	return func() map[string]uint64 {
		all := fps.All(outs)
		out := make(map[string]uint64, len(outs))
		for i, o := range outs {
			out[site.File(o.URL)] = all[i]
		}
		return out
	}
}

// Unchanged is the one skip decision of a rebuild, made alike for a build
// into an existing output and for serve's files in memory: a page is left
// out when its fingerprint is the one the bytes at hand were made with.
// prev gives the fingerprint a page's previous bytes were made with; have
// reports (and for a build, claims) that those bytes can be kept. It returns
// the decision and every page's fingerprint, to record with the output.
func (s *Site) Unchanged(prev func(path string) (uint64, bool), have func(path string) bool) (skip func(*site.Output) bool, prints map[string]uint64) {
	prints = s.PageFingerprints()
	skip = func(o *site.Output) bool {
		p := site.File(o.URL)
		old, ok := prev(p)
		return ok && old == prints[p] && have(p)
	}
	return skip, prints
}

// bodyRecord is what rendering an article's body found: its links and warnings.
type bodyRecord struct {
	links    []resolved
	warnings []diag.Diagnostic
	words    int
	text     string // the plain text, for the search index
	hasText  bool
}

// nextState is the state to leave with this build's output. kept tells
// whether a page was left out of rendering (its article's record then
// comes from the previous state).
func (s *Site) nextState(key string, prints map[string]uint64, kept func(path string) bool) []byte {
	st := outputState{Key: key, Pages: make(map[string]string, len(prints)), Articles: map[string]articleState{}}
	for p, v := range prints {
		st.Pages[p] = strconv.FormatUint(v, 16)
	}
	ss := s.session
	for _, o := range s.Model.Outputs {
		if !o.IsPage() {
			continue
		}
		a := o.Article
		file := a.Page.File
		pr := ss.pages[file]
		if pr == nil {
			continue
		}
		as := articleState{Sum: hex.EncodeToString(pr.sum[:])}
		if kept(site.File(o.URL)) {
			prev, ok := s.prev.Articles[file]
			if !ok {
				continue
			}
			as.Links, as.Warnings, as.Words = prev.Links, prev.Warnings, prev.Words
		} else {
			s.mu.Lock()
			rec, ok := s.bodies[file]
			s.mu.Unlock()
			if !ok {
				continue // not rendered: nothing known of its body
			}
			for _, l := range rec.links {
				as.Links = append(as.Links, l.dest)
			}
			words := rec.words
			as.Words = &words
			as.Warnings = rec.warnings
		}
		st.Articles[file] = as
	}
	st.Search = s.search
	st.PhotoBase, st.Photos = ss.photoBase(), make(map[string]photoState, len(ss.photos))
	for f, ph := range ss.photos {
		if ph.err == nil {
			st.Photos[f] = photoState{Out: ph.out, Size: ph.size, Mod: ph.mod.UnixNano(), Key: ph.key, Outs: ph.outs, Img: ph.img}
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil
	}
	return b
}

// keptPhoto reports whether the previous build into this output published
// ph from the same processed result to the same paths, so its files there
// are the ones this build would write.
func (s *Site) keptPhoto(ph *photo) bool {
	if s.prev == nil {
		return false
	}
	old, ok := s.prev.Photos[ph.file]
	return ok && old.Key == ph.key && slices.Equal(old.Outs, ph.outs)
}

// prevLinks gives an article's links resolved in this build's model, from
// the previous state, when its file has not changed since.
func (s *Site) prevLinks(a *site.Article, sum [32]byte) ([]resolved, bool) {
	if s.prev == nil {
		return nil, false
	}
	as, ok := s.prev.Articles[a.Page.File]
	if !ok || as.Sum != hex.EncodeToString(sum[:]) {
		return nil, false
	}
	out := make([]resolved, len(as.Links))
	for i, d := range as.Links {
		u, ok := s.Model.Resolve(a, d)
		out[i] = resolved{dest: d, url: u, ok: ok}
	}
	return out, true
}
