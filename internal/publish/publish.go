package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
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

// Options tune a publish.
type Options struct {
	Minify bool
	// Source is the site's folder; the destination may not be it, hold it, or look like it.
	Source string
}

// Stage is an output being written.
type Stage struct {
	dest, dir string
	m         *minify.M
	mu        sync.Mutex
	paths     map[string]bool
	dirs      sync.Map
	files     atomic.Int64
	bytes     atomic.Int64
}

// Stats count what a publish wrote.
type Stats struct {
	Files int
	Bytes int64
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
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte("output of bantin build; safe to delete\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Stage{dest: abs, dir: dir, paths: map[string]bool{}}
	if opts.Minify {
		s.m = newMinifier()
	}
	return s, nil
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
	if c == Marker {
		return "", fmt.Errorf("output path %q is reserved", p)
	}
	return c, nil
}

// Write minifies body by its extension and writes it at p. It is safe for
// concurrent use; writing one path twice is an error.
func (s *Stage) Write(p string, body []byte) error {
	c, err := s.claim(p)
	if err != nil {
		return err
	}
	if s.m != nil {
		if mt := mediaType(c); mt != "" {
			var buf bytes.Buffer
			buf.Grow(len(body))
			if err := s.m.Minify(mt, &buf, bytes.NewReader(body)); err != nil {
				return fmt.Errorf("minify %s: %w", c, err)
			}
			body = buf.Bytes()
		}
	}
	return s.put(c, body)
}

// WriteRaw writes body at p without minifying.
func (s *Stage) WriteRaw(p string, body []byte) error {
	c, err := s.claim(p)
	if err != nil {
		return err
	}
	return s.put(c, body)
}

func (s *Stage) claim(p string) (string, error) {
	c, err := cleanPath(p)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paths[c] {
		return "", fmt.Errorf("two files want the output path %s", c)
	}
	s.paths[c] = true
	return c, nil
}

func (s *Stage) put(c string, body []byte) error {
	full := filepath.Join(s.dir, filepath.FromSlash(c))
	dir := filepath.Dir(full)
	if _, ok := s.dirs.Load(dir); !ok {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		s.dirs.Store(dir, true)
	}
	if err := os.WriteFile(full, body, 0o644); err != nil {
		return err
	}
	s.files.Add(1)
	s.bytes.Add(int64(len(body)))
	return nil
}

// Has reports whether p was written already.
func (s *Stage) Has(p string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[path.Clean(p)]
}

// Commit swaps the staging folder in place of the destination.
func (s *Stage) Commit() (Stats, error) {
	st := Stats{Files: int(s.files.Load()), Bytes: s.bytes.Load()}
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

// Abort removes the staging folder; the destination is untouched.
func (s *Stage) Abort() { os.RemoveAll(s.dir) }
