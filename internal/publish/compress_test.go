//go:build unix

package publish

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/andybalholm/brotli"
)

// publishCompressed publishes files (path → text) into dest with companions.
func publishCompressed(t *testing.T, dest string, files map[string]string, keep ...string) Stats {
	t.Helper()
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetCompress(true)
	for _, k := range keep {
		if !s.Keep(k) {
			t.Fatalf("Keep(%s) failed", k)
		}
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		if err := s.WriteRaw(p, []byte(files[p])); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "" || !r.ModTime.IsZero() {
		t.Errorf("gzip header has name %q, time %v", r.Name, r.ModTime)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func unbrotli(t *testing.T, b []byte) []byte {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCompress: every compressible file gets a .gz and a .br that
// decompress to its bytes, the same bytes in another output; other files
// get none; a file the site publishes under a companion's name wins.
func TestCompress(t *testing.T) {
	big := strings.Repeat("<p>Hội nghị sơ kết công tác quý III.</p>\n", 500)
	files := map[string]string{
		"index.html": big, "a/index.html": "<p>a</p>", "css/x.css": "body{}", "js/y.js": "1", "index.xml": "<rss/>",
		"i.json": "{}", "f.svg": "<svg/>", "robots.txt": "User-agent: *", "p.jpg": "JPEG",
		"own.js": "2", "own.js.gz": "the site's own",
	}
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	publishCompressed(t, one, files)
	publishCompressed(t, two, files)
	for p, text := range files {
		gz, gzErr := os.ReadFile(filepath.Join(one, p+".gz"))
		br, brErr := os.ReadFile(filepath.Join(one, p+".br"))
		switch {
		case p == "own.js":
			if read(t, filepath.Join(one, "own.js.gz")) != "the site's own" || brErr != nil {
				t.Errorf("own.js: the site's own .gz replaced, or no .br")
			}
			continue
		case !Compresses(p):
			if gzErr == nil || brErr == nil {
				t.Errorf("%s: companions made", p)
			}
			continue
		}
		if gzErr != nil || brErr != nil {
			t.Fatalf("%s: %v, %v", p, gzErr, brErr)
		}
		if got := gunzip(t, gz); string(got) != text {
			t.Errorf("%s.gz decompresses to %q", p, got)
		}
		if got := unbrotli(t, br); string(got) != text {
			t.Errorf("%s.br decompresses to %q", p, got)
		}
		for _, ext := range companionExts {
			if read(t, filepath.Join(one, p+ext)) != read(t, filepath.Join(two, p+ext)) {
				t.Errorf("%s%s differs between two outputs", p, ext)
			}
		}
	}
	if gz, _ := os.Stat(filepath.Join(one, "index.html.gz")); gz.Size() > int64(len(big))/10 {
		t.Errorf("index.html.gz is %d bytes of %d", gz.Size(), len(big))
	}
}

// TestCompressUnchanged: publishing the same files again writes nothing
// and compresses nothing (the companions' inodes stay); a file kept without
// its bytes keeps its companions; a changed file's companions are made
// again; a file that goes takes its companions with it.
func TestCompressUnchanged(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"index.html": "<p>một</p>", "a/index.html": "<p>a</p>", "css/x.css": "body{}"}
	st := publishCompressed(t, dest, files)
	if st.Files != 9 || st.Written != 9 {
		t.Fatalf("first: %+v", st)
	}
	inode := func(p string) uint64 {
		info, err := os.Stat(filepath.Join(dest, p))
		if err != nil {
			t.Fatal(err)
		}
		return inodeOf(info)
	}
	before := inode("index.html.br")
	st = publishCompressed(t, dest, files)
	if st.Files != 9 || st.Written != 0 || st.Removed != 0 {
		t.Errorf("unchanged: %+v", st)
	}
	if inode("index.html.br") != before {
		t.Errorf("index.html.br rewritten")
	}
	// The builder keeps a/index.html without its bytes: its companions stay too.
	st = publishCompressed(t, dest, map[string]string{"index.html": "<p>hai</p>", "css/x.css": "body{}"}, "a/index.html")
	if st.Files != 9 || st.Written != 3 {
		t.Errorf("one changed: %+v", st)
	}
	if got := gunzip(t, []byte(read(t, filepath.Join(dest, "index.html.gz")))); string(got) != "<p>hai</p>" {
		t.Errorf("index.html.gz holds %q", got)
	}
	st = publishCompressed(t, dest, map[string]string{"index.html": "<p>hai</p>"})
	if st.Removed != 6 {
		t.Errorf("two gone: %+v", st)
	}
	if got := tree(t, dest); !slices.Equal(got, []string{"index.html", "index.html.br", "index.html.gz"}) {
		t.Errorf("left: %q", got)
	}
	// A build without --compress removes the companions (they are bantin's).
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteRaw("index.html", []byte("<p>hai</p>")); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Commit(); err != nil || st.Removed != 2 {
		t.Errorf("without compress: %+v, %v", st, err)
	}
}

// TestCompressOldCompanion: a companion whose record does not say it was
// made from the source's bytes now (another source, or a record without
// origins) is made again, never kept.
func TestCompressOldCompanion(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	// index.html.gz published as a file of its own, with index.html.
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.WriteRaw("index.html", []byte("<p>x</p>"))
	s.WriteRaw("index.html.gz", []byte("stale"))
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	publishCompressed(t, dest, map[string]string{"index.html": "<p>x</p>"})
	if got := gunzip(t, []byte(read(t, filepath.Join(dest, "index.html.gz")))); string(got) != "<p>x</p>" {
		t.Errorf("index.html.gz holds %q", got)
	}
}

func inodeOf(info os.FileInfo) uint64 { return info.Sys().(*syscall.Stat_t).Ino }
