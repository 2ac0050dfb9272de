package publish

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Marker is the file publish leaves in every output folder it creates.
const Marker = ".bantin"

// StateFile holds what the builder wants to know about the output next time
// (SetState); it is only trusted beside a valid marker.
const StateFile = ".bantin-state"

// Options tune a publish.
type Options struct {
	Minify bool
	// Source is the site's folder; the destination may not be it, hold it, or look like it.
	Source string
}

// Stage is an output being written.
//
// Into a new destination, everything is written to the staging folder,
// which then replaces the destination in one rename. Into an output bantin
// made before, the manifest in its marker file says what each file's bytes
// were: unchanged files are not written at all, changed and new ones are
// staged, and Commit moves them into place and removes files the new site
// no longer has. Either way nothing in the destination changes before Commit.
type Stage struct {
	dest, dir string
	m         *minify.M
	mu        sync.Mutex
	paths     map[string]entry // everything this build published
	old       map[string]entry // the destination's manifest; nil for a fresh output
	minify    bool
	prevState []byte   // the destination's state file, when old is set
	state     []byte   // the state file to leave with the output
	staged    []string // paths written to the staging folder (incremental mode)
	dirs      dirSet
	files     atomic.Int64
	bytes     atomic.Int64
	unchanged atomic.Int64
}

// entry is a published file's fingerprint in the manifest.
type entry struct {
	sum  [16]byte // the first half of the bytes' SHA-256
	size int64
}

// Stats count what a publish wrote.
type Stats struct {
	Files     int   // files published
	Written   int   // files actually written (the rest had the same bytes already)
	Removed   int   // stale files removed from the destination
	Bytes     int64 // bytes published
	Unchanged int
}

// Check applies the destination safety rules without writing anything.
func Check(dest string, opts Options) error {
	absDest, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if opts.Source != "" {
		absSrc, err := filepath.Abs(opts.Source)
		if err != nil {
			return err
		}
		if absDest == absSrc || within(absSrc, absDest) {
			return fmt.Errorf("refusing to write the site into %s: it is (or holds) the source folder %s; choose an output folder such as %s", dest, opts.Source, filepath.Join(opts.Source, "public"))
		}
	}
	if absDest == filepath.Dir(absDest) {
		return fmt.Errorf("refusing to write the site into the file system root %s", absDest)
	}
	entries, err := os.ReadDir(absDest)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read output folder %s: %w", dest, err)
	}
	mine := false
	for _, e := range entries {
		switch e.Name() {
		case "content", "site.yaml":
			return fmt.Errorf("refusing to write into %s: it holds %s, so it looks like a site's source folder", dest, e.Name())
		case Marker:
			mine = true
		}
	}
	if len(entries) > 0 && !mine {
		return fmt.Errorf("refusing to replace %s: it is not empty and bantin did not create it; choose another folder with -d, or empty it yourself", dest)
	}
	return nil
}

// within reports whether child is inside parent.
func within(child, parent string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// Begin checks dest and opens a staging folder beside it.
func Begin(dest string, opts Options) (*Stage, error) {
	if err := Check(dest, opts); err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(dest)
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".staging-")
	if err != nil {
		return nil, err
	}
	s := &Stage{dest: abs, dir: dir, paths: map[string]entry{}, minify: opts.Minify}
	s.old = readManifest(abs)
	if s.old != nil {
		s.prevState, _ = os.ReadFile(filepath.Join(abs, StateFile))
	}
	if opts.Minify {
		s.m = newMinifier()
	}
	return s, nil
}

// readManifest reads the marker's manifest of a previous output; nil when
// there is none (a new destination, or one written by an older bantin).
func readManifest(dest string) map[string]entry {
	b, err := os.ReadFile(filepath.Join(dest, Marker))
	if err != nil {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) == 0 || lines[0] != manifestHeader {
		return nil
	}
	m := make(map[string]entry, len(lines))
	for _, l := range lines[1:] {
		f := strings.SplitN(l, " ", 3)
		if len(f) != 3 {
			continue
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return nil
		}
		e := entry{size: size}
		if n, err := hex.Decode(e.sum[:], []byte(f[0])); err != nil || n != len(e.sum) {
			return nil
		}
		m[f[2]] = e
	}
	return m
}

const manifestHeader = "bantin output manifest v1: safe to delete this folder; sha256 size path follow"

// manifest is the marker file's text for the files published.
func (s *Stage) manifest() []byte {
	paths := make([]string, 0, len(s.paths))
	for p := range s.paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	b.WriteString(manifestHeader + "\n")
	for _, p := range paths {
		e := s.paths[p]
		fmt.Fprintf(&b, "%x %d %s\n", e.sum, e.size, p)
	}
	return b.Bytes()
}

func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/json", json.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return m
}

// mediaType picks the minifier by file extension; "" means copy as is.
func mediaType(p string) string {
	switch path.Ext(p) {
	case ".html", ".htm":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js", ".mjs":
		return "application/javascript"
	case ".svg":
		return "image/svg+xml"
	case ".json", ".webmanifest":
		return "application/json"
	case ".xml", ".rss":
		return "application/xml"
	}
	return ""
}

// cleanPath validates an output path: slash-separated, relative, inside the output.
func cleanPath(p string) (string, error) {
	c := path.Clean(p)
	if p == "" || strings.HasPrefix(p, "/") || c == "." || c == ".." || strings.HasPrefix(c, "../") || strings.Contains(p, "\\") {
		return "", fmt.Errorf("output path %q is outside the output folder", p)
	}
	if c == Marker || c == StateFile {
		return "", fmt.Errorf("output path %q is reserved", p)
	}
	return c, nil
}

// Minify reports whether the stage minifies what it writes.
func (s *Stage) Minify() bool { return s.minify }

// PrevState is the state file the previous build left in the destination
// (nil for a fresh output or one without a valid manifest).
func (s *Stage) PrevState() []byte { return s.prevState }

// SetState gives the state file to leave with the output at Commit.
func (s *Stage) SetState(b []byte) { s.state = b }

// Keep publishes p with the bytes the destination already has, without
// writing it: the builder knows they would be the same. It reports false,
// publishing nothing, when the previous output has no such file (then the
// caller writes it). Safe for concurrent use.
func (s *Stage) Keep(p string) bool {
	c, err := cleanPath(p)
	if err != nil || s.old == nil {
		return false
	}
	e, ok := s.old[c]
	if !ok {
		return false
	}
	if info, err := os.Lstat(filepath.Join(s.dest, filepath.FromSlash(c))); err != nil || !info.Mode().IsRegular() || info.Size() != e.size {
		return false
	}
	s.mu.Lock()
	if _, dup := s.paths[c]; dup {
		s.mu.Unlock()
		return false
	}
	s.paths[c] = e
	s.mu.Unlock()
	s.files.Add(1)
	s.bytes.Add(e.size)
	s.unchanged.Add(1)
	return true
}

// writeState leaves the state file in folder dir (removing a stale one).
func (s *Stage) writeState(dir string) error {
	if s.state == nil {
		if err := os.Remove(filepath.Join(dir, StateFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return os.WriteFile(filepath.Join(dir, StateFile), s.state, 0o644)
}

// Write minifies body by its extension and writes it at p. It is safe for
// concurrent use; writing one path twice is an error.
func (s *Stage) Write(p string, body []byte) error {
	c, err := cleanPath(p)
	if err != nil {
		return err
	}
	if s.m != nil {
		if mt := mediaType(c); mt != "" {
			buf := minBufs.Get().(*bytes.Buffer)
			buf.Reset()
			defer minBufs.Put(buf)
			buf.Grow(len(body))
			if err := s.m.Minify(mt, buf, bytes.NewReader(body)); err != nil {
				return fmt.Errorf("minify %s: %w", c, err)
			}
			body = buf.Bytes()
		}
	}
	return s.put(c, body)
}

var minBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// WriteRaw writes body at p without minifying.
func (s *Stage) WriteRaw(p string, body []byte) error {
	c, err := cleanPath(p)
	if err != nil {
		return err
	}
	return s.put(c, body)
}

func (s *Stage) put(c string, body []byte) error {
	sum := sha256.Sum256(body)
	e := entry{sum: [16]byte(sum[:16]), size: int64(len(body))}
	s.mu.Lock()
	if _, dup := s.paths[c]; dup {
		s.mu.Unlock()
		return fmt.Errorf("two files want the output path %s", c)
	}
	s.paths[c] = e
	s.mu.Unlock()
	s.files.Add(1)
	s.bytes.Add(int64(len(body)))
	if s.old != nil && s.old[c] == e {
		// Same bytes as the file already published, if it is still there.
		if info, err := os.Lstat(filepath.Join(s.dest, filepath.FromSlash(c))); err == nil && info.Mode().IsRegular() && info.Size() == e.size {
			s.unchanged.Add(1)
			return nil
		}
	}
	full := filepath.Join(s.dir, filepath.FromSlash(c))
	if err := s.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	err := writeFile(full, body)
	if errors.Is(err, fs.ErrNotExist) {
		// Its folder's hash was another's (dirSet): make it for sure.
		if err = os.MkdirAll(filepath.Dir(full), 0o755); err == nil {
			err = writeFile(full, body)
		}
	}
	if err != nil {
		return err
	}
	if s.old != nil {
		s.mu.Lock()
		s.staged = append(s.staged, c)
		s.mu.Unlock()
	}
	return nil
}

// mkdir makes a folder of the staging tree and its parents, remembering what
// exists: one mkdir call per folder, where os.MkdirAll would stat first.
func (s *Stage) mkdir(dir string) error {
	if dir == s.dir {
		return nil
	}
	if s.dirs.has(dir) {
		return nil
	}
	if err := s.mkdir(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	s.dirs.add(dir)
	return nil
}

// dirSet remembers the folders made, by a 64-bit hash of their path: a
// site of 100,000 articles has 300,000 folders, and their paths took 60 MB.
// Two paths with the same hash would make the second look made already:
// the file written in it then fails to open, and writeIn makes the folder
// and tries again.
type dirSet struct {
	mu sync.Mutex
	m  map[uint64]struct{}
}

// dirHash is FNV-1a.
func dirHash(dir string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(dir); i++ {
		h ^= uint64(dir[i])
		h *= 1099511628211
	}
	return h
}

func (d *dirSet) has(dir string) bool {
	k := dirHash(dir)
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.m[k]
	return ok
}

func (d *dirSet) add(dir string) {
	k := dirHash(dir)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[uint64]struct{}{}
	}
	d.m[k] = struct{}{}
}

// Commit puts the new output in place: a new destination by one rename of
// the staging folder; an existing one by moving in the changed files and
// removing the stale ones.
func (s *Stage) Commit() (Stats, error) {
	st := Stats{Files: int(s.files.Load()), Bytes: s.bytes.Load(), Unchanged: int(s.unchanged.Load())}
	st.Written = st.Files - st.Unchanged
	if s.old != nil {
		return s.commitInPlace(st)
	}
	if err := os.WriteFile(filepath.Join(s.dir, Marker), s.manifest(), 0o644); err != nil {
		s.Abort()
		return st, err
	}
	if err := s.writeState(s.dir); err != nil {
		s.Abort()
		return st, err
	}
	old := ""
	if _, err := os.Stat(s.dest); err == nil {
		// Check again: the folder may have changed since Begin.
		if err := Check(s.dest, Options{}); err != nil {
			s.Abort()
			return st, err
		}
		old = s.dir + ".old-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		if err := os.Rename(s.dest, old); err != nil {
			s.Abort()
			return st, fmt.Errorf("cannot move the old output aside: %w", err)
		}
	}
	if err := os.Rename(s.dir, s.dest); err != nil {
		if old != "" {
			_ = os.Rename(old, s.dest)
		}
		s.Abort()
		return st, fmt.Errorf("cannot put the new output in place: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return st, fmt.Errorf("new output is in place, but the old one could not be removed from %s: %w", old, err)
		}
	}
	return st, nil
}

func (s *Stage) commitInPlace(st Stats) (Stats, error) {
	defer s.Abort()
	if err := Check(s.dest, Options{}); err != nil {
		return st, err
	}
	// The old state goes first: a state must never outlive the output it
	// describes (after a crash part-way there is none, which is safe).
	if err := os.Remove(filepath.Join(s.dest, StateFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, err
	}
	sort.Strings(s.staged)
	made := map[string]bool{}
	for _, c := range s.staged {
		to := filepath.Join(s.dest, filepath.FromSlash(c))
		if d := filepath.Dir(to); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return st, err
			}
			made[d] = true
		}
		if err := os.Rename(filepath.Join(s.dir, filepath.FromSlash(c)), to); err != nil {
			return st, fmt.Errorf("cannot put %s in place: %w", c, err)
		}
	}
	// Stale files: only ones the previous manifest lists, so nothing else is ever removed.
	var stale []string
	for c := range s.old {
		if _, ok := s.paths[c]; !ok {
			stale = append(stale, c)
		}
	}
	sort.Strings(stale)
	dirs := map[string]bool{}
	for _, c := range stale {
		full := filepath.Join(s.dest, filepath.FromSlash(c))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, fmt.Errorf("cannot remove stale %s: %w", c, err)
		}
		st.Removed++
		for d := filepath.Dir(full); d != s.dest && within(d, s.dest); d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	// Folders left empty, deepest first.
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	for _, d := range list {
		_ = os.Remove(d) // fails, as it should, when not empty
	}
	tmp := filepath.Join(s.dir, Marker)
	if err := os.WriteFile(tmp, s.manifest(), 0o644); err != nil {
		return st, err
	}
	if err := os.Rename(tmp, filepath.Join(s.dest, Marker)); err != nil {
		return st, err
	}
	if s.state != nil {
		if err := s.writeState(s.dir); err != nil {
			return st, err
		}
		if err := os.Rename(filepath.Join(s.dir, StateFile), filepath.Join(s.dest, StateFile)); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Abort removes the staging folder; the destination is untouched.
func (s *Stage) Abort() { os.RemoveAll(s.dir) }
