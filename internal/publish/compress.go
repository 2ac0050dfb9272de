package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/andybalholm/brotli"
	"golang.org/x/sync/errgroup"
)

// Precompressed companions (SetCompress): x.html.gz and x.html.br beside
// every compressible file, for nginx's gzip_static/brotli_static and GitLab
// Pages. They are made at Commit from the published bytes, so a file the
// builder kept without rendering gets them too, and they are recorded like
// any published file: removed when their source goes.
//
// A companion is reused without compressing anything when the record says
// it was made from the bytes its source has now (entry.from); otherwise it
// is made again, and put skips the write when its bytes are the ones on
// disk. The bytes depend only on the source's: gzip without name or time,
// brotli at a fixed quality and window.

// compressVersion names the compressors' settings: another one makes every
// companion again.
const compressVersion = "bantin compress v1: gzip 9, brotli 10 lgwin 22"

// brotliQuality: 11 made the committee site's companions 2% smaller than 10 at twice the time.
const brotliQuality = 10

// companionExts are the companions' suffixes, in the order they are made.
var companionExts = []string{".gz", ".br"}

// Compresses reports whether publish makes .gz and .br companions of p:
// HTML, CSS, JS, XML, JSON and SVG files.
func Compresses(p string) bool {
	switch path.Ext(p) {
	case ".html", ".htm", ".css", ".js", ".mjs", ".xml", ".rss", ".json", ".webmanifest", ".svg":
		return true
	}
	return false
}

// SetCompress turns the precompressed companions on or off.
func (s *Stage) SetCompress(on bool) { s.compress = on }

// companionFrom is what a companion records of the source it was made from.
func companionFrom(src entry) [16]byte {
	h := sha256.New()
	io.WriteString(h, compressVersion+"\x00")
	h.Write(src.sum[:])
	fmt.Fprint(h, "\x00", src.size)
	return [16]byte(h.Sum(nil)[:16])
}

// compressAll publishes the companions of every compressible file, unless
// the site publishes a file of that name itself (its own wins). Called by
// Commit once every file is in.
func (s *Stage) compressAll(ctx context.Context) error {
	type job struct {
		src  string
		from [16]byte
		make []string // companions to make; the rest were kept
	}
	var srcs []string
	for c := range s.paths {
		if Compresses(c) {
			srcs = append(srcs, c)
		}
	}
	slices.Sort(srcs)
	var jobs []job
	for _, c := range srcs {
		j := job{src: c, from: companionFrom(s.paths[c])}
		for _, ext := range companionExts {
			z := c + ext
			if _, taken := s.paths[z]; taken || validPath(z) != nil {
				continue
			}
			if old, ok := s.reusable(z); ok && old.from == j.from {
				s.keepEntry(z, old)
				continue
			}
			j.make = append(j.make, z)
		}
		if len(j.make) > 0 {
			jobs = append(jobs, j)
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			body, err := s.readPublished(j.src)
			if err != nil {
				return fmt.Errorf("compress %s: %w", j.src, err)
			}
			for _, z := range j.make {
				b, err := compress(path.Ext(z), body)
				if err != nil {
					return fmt.Errorf("compress %s: %w", z, err)
				}
				if err := s.putFrom(z, b, j.from); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// keepEntry publishes c as the file the destination has (Keep, for a path
// known to be reusable).
func (s *Stage) keepEntry(c string, e entry) {
	s.mu.Lock()
	s.paths[c] = e
	s.reuse = append(s.reuse, c)
	s.mu.Unlock()
	s.files.Add(1)
	s.bytes.Add(e.size)
	s.unchanged.Add(1)
}

// readPublished reads the bytes this build publishes at c: written into the
// staging folder, or else kept from the destination.
func (s *Stage) readPublished(c string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(c)))
	if err == nil || !os.IsNotExist(err) {
		return b, err
	}
	f, err := os.OpenFile(filepath.Join(s.dest, filepath.FromSlash(c)), os.O_RDONLY|syscallNonblock|syscallNofollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

var zBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// compress is body gzipped (".gz") or brotli-compressed (".br"), the same
// bytes for the same body.
func compress(ext string, body []byte) ([]byte, error) {
	buf := zBufs.Get().(*bytes.Buffer)
	defer zBufs.Put(buf)
	buf.Reset()
	var w io.WriteCloser
	switch ext {
	case ".gz":
		zw, err := gzip.NewWriterLevel(buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w = zw // the header's name, comment and time stay empty
	case ".br":
		w = brotli.NewWriterOptions(buf, brotli.WriterOptions{Quality: brotliQuality, LGWin: 22})
	default:
		return nil, fmt.Errorf("no compressor for %q", ext)
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}
