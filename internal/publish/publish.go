package publish

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

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
	// Fault, when set, hears every change publish is about to make to the
	// file system ("mkdir", "write", "link", "rename", "exchange", "remove"
	// and the output path or folder); an error it returns becomes that
	// change's. Tests fail builds at every step through it.
	Fault func(op, path string) error
}

// Stage is an output being written.
//
// Everything the new output holds is put together in a staging folder
// beside the destination: files whose bytes changed are written there;
// files the destination already has with the same bytes, and files in it
// that bantin did not publish (.git/, CNAME), are hard-linked there at
// Commit, keeping their inodes and times. Commit then swaps the staging
// folder and the destination in one rename (renameat2 RENAME_EXCHANGE) and
// removes the old tree. Nothing in the destination changes before Commit,
// and a reader of it sees the old output or the new one, never a mix.
type Stage struct {
	dest, dir string
	parent    string // the folder holding dest (where staging folders and the lock live)
	existed   bool   // dest was there at Begin
	mount     bool   // dest is a mount point: staged inside it, moved in entry by entry
	lock      *os.File
	fault     func(op, path string) error
	m         *minify.M
	mu        sync.Mutex
	paths     map[string]entry // everything this build published
	// old is what the destination's record says bantin published there,
	// each with whether the file is there now (found walking dest, not
	// through a symbolic link); nil without a record.
	old map[string]*oldFile
	// trusted is set when old's sums describe the files on disk (a complete
	// record of this version): only then is a file reused.
	trusted   bool
	oldRecord []byte   // the record's bytes, as read
	foreign   []string // files in dest that bantin did not publish: they stay
	// foreignDirs are the folders in dest holding no file bantin published.
	foreignDirs []foreignDir
	reuse       []string // published paths whose old file is linked into the new tree
	prevState   []byte   // the destination's state file, when trusted
	state       []byte   // the state file to leave with the output
	dirs        dirSet
	minify      bool
	compress    bool // SetCompress: .gz and .br companions
	fixMode     bool // the umask would make files other than 0644 / folders other than 0755
	files       atomic.Int64
	bytes       atomic.Int64
	unchanged   atomic.Int64
}

type foreignDir struct {
	path string
	perm fs.FileMode
}

// oldFile is a file the previous record lists.
type oldFile struct {
	entry
	onDisk bool // a regular file at its path, reached through real folders
}

// stagingPrefix starts the name of staging folders inside a destination
// that is a mount point; beside a destination they are .<name>.staging-*.
const stagingPrefix = ".bantin-staging-"

// entry is a published file's fingerprint in the manifest.
type entry struct {
	sum  [16]byte // the first half of the bytes' SHA-256
	size int64
	// from is, for a precompressed companion, what it was made from
	// (companionFrom of its source's entry); zero for every other file.
	from [16]byte
}

// Stats count what a publish wrote.
type Stats struct {
	Files     int   // files published
	Written   int   // files actually written (the rest had the same bytes already)
	Removed   int   // stale files removed from the destination
	Bytes     int64 // bytes published
	Unchanged int
	// Leftover, when set, says what could not be cleaned up after the new
	// output was in place (a warning: the next build tries again).
	Leftover string
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
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) {
			continue // a build's staging folder inside a mount point
		}
		n++
		switch e.Name() {
		case "content", "site.yaml":
			return fmt.Errorf("refusing to write into %s: it holds %s, so it looks like a site's source folder", dest, e.Name())
		case Marker:
			mine = true
		}
	}
	if n > 0 && !mine {
		return fmt.Errorf("refusing to replace %s: it is not empty and bantin did not create it; choose another folder with -d, or empty it yourself", dest)
	}
	return nil
}

// within reports whether child is inside parent.
func within(child, parent string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

// Begin checks dest, takes its lock, removes what killed builds left, reads
// the record of the last build and opens a staging folder.
func Begin(dest string, opts Options) (*Stage, error) {
	if err := Check(dest, opts); err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(dest)
	s := &Stage{dest: abs, parent: filepath.Dir(abs), paths: map[string]entry{}, minify: opts.Minify, fault: opts.Fault}
	s.fixMode = umask()&0o022 != 0
	if err := mkdirAll(s.parent, s.fixMode); err != nil {
		return nil, err
	}
	lock, err := lockDest(s.lockPath(), abs)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	ok := false
	defer func() {
		if !ok {
			s.unlock()
		}
	}()
	// Under the lock, every staging folder is a killed build's.
	if err := s.cleanStale(); err != nil {
		return nil, err
	}
	// Check again: the folder may have changed while we waited, or a
	// restored output may be there now.
	if err := Check(dest, opts); err != nil {
		return nil, err
	}
	info, err := os.Lstat(abs)
	switch {
	case err == nil && !info.IsDir():
		return nil, fmt.Errorf("refusing to replace %s: it is not a folder", dest)
	case err == nil:
		s.existed = true
		s.mount = isMountPoint(abs, s.parent)
		if err := s.readOld(); err != nil {
			return nil, err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	where, pattern := s.parent, "."+filepath.Base(abs)+".staging-"
	if s.mount {
		where, pattern = abs, stagingPrefix
	}
	dir, err := os.MkdirTemp(where, pattern)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // MkdirTemp makes it 0700
		os.Remove(dir)
		return nil, err
	}
	s.dir = dir
	if opts.Minify {
		s.m = newMinifier()
	}
	ok = true
	return s, nil
}

// mkdirAll makes dir and its parents 0755 (fix: whatever the umask), so a
// web server running as another user can reach the output.
func mkdirAll(dir string, fix bool) error {
	if info, err := os.Stat(dir); err == nil && info.IsDir() {
		return nil
	}
	if up := filepath.Dir(dir); up != dir {
		if err := mkdirAll(up, fix); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		return err
	}
	if fix {
		return os.Chmod(dir, 0o755)
	}
	return nil
}

// lockPath is the lock file beside the destination. It is never removed:
// a lock file removed while another process waits on it locks nothing.
func (s *Stage) lockPath() string {
	return filepath.Join(s.parent, "."+filepath.Base(s.dest)+".lock")
}

func (s *Stage) unlock() {
	if s.lock != nil {
		s.lock.Close() // the kernel releases the lock with the file
		s.lock = nil
	}
}

// cleanStale removes the staging and old-output folders of killed builds.
// A build killed between moving the old output aside and putting the new
// one in place (only where the swap is not available) left no destination:
// its old output is put back.
func (s *Stage) cleanStale() error {
	base := "." + filepath.Base(s.dest) + "."
	entries, err := os.ReadDir(s.parent)
	if err != nil {
		return err
	}
	var olds []string
	for _, e := range entries {
		n := e.Name()
		switch {
		case strings.HasPrefix(n, base+"staging-"):
			if err := os.RemoveAll(filepath.Join(s.parent, n)); err != nil {
				return fmt.Errorf("cannot remove %s, left by a build that did not finish: %w", n, err)
			}
		case strings.HasPrefix(n, base+"old-"):
			olds = append(olds, n)
		}
	}
	sort.Strings(olds) // the names end in a time: the last is the newest
	if _, err := os.Lstat(s.dest); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		last := olds[len(olds)-1]
		if err := os.Rename(filepath.Join(s.parent, last), s.dest); err != nil {
			return fmt.Errorf("cannot put back the output a killed build moved to %s: %w", last, err)
		}
		olds = olds[:len(olds)-1]
	}
	for _, n := range olds {
		if err := os.RemoveAll(filepath.Join(s.parent, n)); err != nil {
			return fmt.Errorf("cannot remove %s, left by a build that did not finish: %w", n, err)
		}
	}
	// Inside a destination that is a mount point.
	if entries, err := os.ReadDir(s.dest); err == nil {
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), stagingPrefix) && e.IsDir() {
				if err := os.RemoveAll(filepath.Join(s.dest, e.Name())); err != nil {
					return fmt.Errorf("cannot remove %s, left by a build that did not finish: %w", e.Name(), err)
				}
			}
		}
	}
	return nil
}

// maxRecord bounds the record and state files read back (a site of 100,000
// articles has a record of ~30 MB).
const maxRecord = 1 << 30

// readOld reads the destination's record and state and walks the
// destination, telling the files the record lists from the others. The walk
// never follows a symbolic link: a link in the output is a file like any
// other (kept as a link when bantin did not publish it), never a way out.
func (s *Stage) readOld() error {
	root, err := os.OpenRoot(s.dest)
	if err != nil {
		return err
	}
	defer root.Close()
	if b, err := readBounded(root, Marker); err == nil {
		s.oldRecord = b
		if files, complete, err := decodeRecord(b); err == nil {
			s.old = make(map[string]*oldFile, len(files))
			for p, e := range files {
				s.old[p] = &oldFile{entry: e}
			}
			s.trusted = complete
		}
	}
	if s.trusted {
		if b, err := readBounded(root, StateFile); err == nil {
			s.prevState = b
		}
	}
	// Folders holding a file the record lists are bantin's; the others
	// (.git/refs/tags, a folder of someone's own) are kept as they are,
	// empty or not, with their modes.
	ours := map[string]bool{}
	for p := range s.old {
		for d := path.Dir(p); d != "." && !ours[d]; d = path.Dir(d) {
			ours[d] = true
		}
	}
	// os.DirFS, not root.FS(): the walk never follows a link (it descends
	// only into entries the folder lists as folders), and the root's walk
	// opens every folder from the top again.
	return fs.WalkDir(os.DirFS(s.dest), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if !strings.Contains(p, "/") && (p == Marker || p == StateFile || strings.HasPrefix(p, stagingPrefix)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if !ours[p] {
				info, err := d.Info()
				if err != nil {
					return err
				}
				s.foreignDirs = append(s.foreignDirs, foreignDir{p, info.Mode().Perm()})
			}
			return nil
		}
		if f := s.old[p]; f != nil {
			f.onDisk = d.Type().IsRegular()
			if f.onDisk {
				return nil
			}
		}
		s.foreign = append(s.foreign, p)
		return nil
	})
}

// readBounded reads a regular file of root, refusing anything else or
// anything larger than maxRecord.
func readBounded(root *os.Root, name string) ([]byte, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|syscallNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() || info.Size() > maxRecord {
		return nil, fmt.Errorf("%s: not a regular file of bantin's", name)
	}
	return io.ReadAll(io.LimitReader(f, maxRecord))
}

// Minifier minifies files by their extension as Stage.Write does, for
// whoever serves the output without writing it (serve).
type Minifier struct{ m *minify.M }

// NewMinifier makes a Minifier; it is safe for concurrent use.
func NewMinifier() *Minifier { return &Minifier{newMinifier()} }

// Minifies reports whether File changes files of p's type.
func Minifies(p string) bool { return mediaType(p) != "" }

// File returns body minified for p's type, or body itself for a type that
// is not minified (images, HTML already minified by its layouts is not
// passed here).
func (m *Minifier) File(p string, body []byte) ([]byte, error) {
	mt := mediaType(p)
	if mt == "" {
		return body, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(body))
	if err := m.m.Minify(mt, &buf, bytes.NewReader(body)); err != nil {
		return nil, fmt.Errorf("minify %s: %w", p, err)
	}
	return buf.Bytes(), nil
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
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") {
		return "", fmt.Errorf("output path %q is outside the output folder", p)
	}
	c := path.Clean(p)
	if err := validPath(c); err != nil {
		return "", err
	}
	return c, nil
}

// SetMinify turns minifying on or off for what is written from now on (the
// builder knows only once site.yaml is read).
func (s *Stage) SetMinify(on bool) {
	s.minify = on
	if on && s.m == nil {
		s.m = newMinifier()
	}
	if !on {
		s.m = nil
	}
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
// publishing nothing, when the previous output has no such file or its
// record is not trusted (then the caller writes it). Safe for concurrent use.
func (s *Stage) Keep(p string) bool {
	c, err := cleanPath(p)
	if err != nil {
		return false
	}
	e, ok := s.reusable(c)
	if !ok {
		return false
	}
	s.mu.Lock()
	if _, dup := s.paths[c]; dup {
		s.mu.Unlock()
		return false
	}
	s.paths[c] = e
	s.reuse = append(s.reuse, c)
	s.mu.Unlock()
	s.files.Add(1)
	s.bytes.Add(e.size)
	s.unchanged.Add(1)
	return true
}

// CanKeep reports whether Keep(p) would keep p, without keeping it: a
// caller that keeps a set of files whole asks first.
func (s *Stage) CanKeep(p string) bool {
	c, err := cleanPath(p)
	if err != nil {
		return false
	}
	_, ok := s.reusable(c)
	return ok
}

// reusable reports whether the destination's file at c is the one the
// trusted record lists, still of its size and mode.
func (s *Stage) reusable(c string) (entry, bool) {
	if !s.trusted {
		return entry{}, false
	}
	f := s.old[c]
	if f == nil || !f.onDisk {
		return entry{}, false
	}
	info, err := os.Lstat(filepath.Join(s.dest, filepath.FromSlash(c)))
	if err != nil || !info.Mode().IsRegular() || info.Size() != f.size || info.Mode().Perm() != 0o644 {
		return entry{}, false
	}
	return f.entry, true
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

func (s *Stage) put(c string, body []byte) error { return s.putFrom(c, body, [16]byte{}) }

// putFrom is put for a file made from another (a companion: entry.from).
func (s *Stage) putFrom(c string, body []byte, from [16]byte) error {
	sum := sha256.Sum256(body)
	e := entry{sum: [16]byte(sum[:16]), size: int64(len(body)), from: from}
	s.mu.Lock()
	if _, dup := s.paths[c]; dup {
		s.mu.Unlock()
		return fmt.Errorf("two files want the output path %s", c)
	}
	s.paths[c] = e
	s.mu.Unlock()
	s.files.Add(1)
	s.bytes.Add(int64(len(body)))
	if old, ok := s.reusable(c); ok && old == e {
		// Same bytes as the file already published: linked in at Commit.
		s.mu.Lock()
		s.reuse = append(s.reuse, c)
		s.mu.Unlock()
		s.unchanged.Add(1)
		return nil
	}
	full := filepath.Join(s.dir, filepath.FromSlash(c))
	if err := s.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	if err := s.op("write", c); err != nil {
		return err
	}
	err := writeFile(full, body, s.fixMode)
	if errors.Is(err, fs.ErrNotExist) {
		// Its folder's hash was another's (dirSet): make it for sure.
		if err = os.MkdirAll(filepath.Dir(full), 0o755); err == nil {
			err = writeFile(full, body, s.fixMode)
		}
	}
	return err
}

// Published lists the paths published so far, sorted.
func (s *Stage) Published() []string {
	s.mu.Lock()
	out := make([]string, 0, len(s.paths))
	for p := range s.paths {
		out = append(out, p)
	}
	s.mu.Unlock()
	slices.Sort(out)
	return out
}

// op lets a test fail the file-system change publish is about to make.
func (s *Stage) op(name, p string) error {
	if s.fault == nil {
		return nil
	}
	if err := s.fault(name, p); err != nil {
		return &fs.PathError{Op: name, Path: p, Err: err}
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
	if err := s.op("mkdir", dir); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	} else if err == nil && s.fixMode {
		if err := os.Chmod(dir, 0o755); err != nil {
			return err
		}
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
