package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tree lists the files under dir (slash paths), the marker left out.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != Marker && rel != StateFile {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// noLeftovers checks that the folder beside the output holds no staging folders.
func noLeftovers(t *testing.T, parent string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "staging") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// publishSite writes files (path → body) to dest in one publish.
func publishSite(t *testing.T, dest string, opts Options, files map[string]string) Stats {
	t.Helper()
	s, err := Begin(dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	for p, body := range files {
		if err := s.Write(p, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// site makes a source folder with site.yaml and content/.
func site(t *testing.T, dir string) string {
	t.Helper()
	write(t, filepath.Join(dir, "site.yaml"), "title: x\n")
	write(t, filepath.Join(dir, "content", "tin-tuc", "a.md"), "---\ntitle: A\n---\n")
	return dir
}

func TestCheck(t *testing.T) {
	root := t.TempDir()
	src := site(t, filepath.Join(root, "site"))
	foreign := filepath.Join(root, "docs")
	write(t, filepath.Join(foreign, "ghi-chu.txt"), "của tôi")
	other := site(t, filepath.Join(root, "other"))
	onlyContent := filepath.Join(root, "only-content")
	write(t, filepath.Join(onlyContent, "content", "x.md"), "x")
	onlyYAML := filepath.Join(root, "only-yaml")
	write(t, filepath.Join(onlyYAML, "site.yaml"), "title: y\n")
	empty := filepath.Join(root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(root, "mine")
	publishSite(t, mine, Options{}, map[string]string{"index.html": "<p>x</p>"})

	for _, tc := range []struct {
		name, dest string
		msg        string // "" = allowed
	}{
		{"the source folder", src, "source folder"},
		{"the source folder, spelled differently", filepath.Join(src, "content", ".."), "source folder"},
		{"a folder holding the source", root, "source folder"},
		{"two levels above the source", filepath.Dir(root), "source folder"},
		{"another site", other, "holds"},
		{"a folder with content/", onlyContent, "holds content"},
		{"a folder with site.yaml", onlyYAML, "holds site.yaml"},
		{"a non-empty folder bantin did not create", foreign, "not empty and bantin did not create it"},
		{"the file system root", string(filepath.Separator), "refusing"},
		{"inside the source: public/", filepath.Join(src, "public"), ""},
		{"a new folder", filepath.Join(root, "new", "public"), ""},
		{"an empty folder", empty, ""},
		{"bantin's own output", mine, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.dest, Options{Source: src})
			switch {
			case tc.msg == "" && err != nil:
				t.Errorf("Check(%s): %v", tc.dest, err)
			case tc.msg != "" && err == nil:
				t.Errorf("Check(%s) allowed", tc.dest)
			case tc.msg != "" && !strings.Contains(err.Error(), tc.msg):
				t.Errorf("Check(%s): %v; want …%s…", tc.dest, err, tc.msg)
			}
			if tc.msg != "" {
				if _, err := Begin(tc.dest, Options{Source: src}); err == nil {
					t.Errorf("Begin(%s) allowed", tc.dest)
				}
			}
		})
	}
	// Nothing was deleted or written by any of that.
	if got := tree(t, foreign); len(got) != 1 {
		t.Errorf("foreign folder: %v", got)
	}
	if got := tree(t, src); strings.Join(got, " ") != "content/tin-tuc/a.md site.yaml" {
		t.Errorf("source folder: %v", got)
	}
	noLeftovers(t, root)
}

func TestPublishNew(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "out", "public")
	st := publishSite(t, dest, Options{}, map[string]string{
		"index.html":           "<p>Trang chủ</p>\n",
		"tin-tuc/a/index.html": "<p>A</p>\n",
		"robots.txt":           "User-agent: *\n",
	})
	if got := strings.Join(tree(t, dest), " "); got != "index.html robots.txt tin-tuc/a/index.html" {
		t.Errorf("output: %s", got)
	}
	if _, err := os.Stat(filepath.Join(dest, Marker)); err != nil {
		t.Errorf("no marker: %v", err)
	}
	if st.Files != 3 {
		t.Errorf("stats: %+v", st)
	}
	if got := read(t, filepath.Join(dest, "tin-tuc", "a", "index.html")); got != "<p>A</p>\n" {
		t.Errorf("body %q", got)
	}
	noLeftovers(t, filepath.Dir(dest))
}

// TestRepublish: a second publish replaces the first: changed files change,
// files the new site lacks are gone, files nobody changed keep their bytes.
func TestRepublish(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	publishSite(t, dest, Options{}, map[string]string{"index.html": "v1", "a/index.html": "a", "b/index.html": "b"})
	publishSite(t, dest, Options{}, map[string]string{"index.html": "v2", "a/index.html": "a", "c/index.html": "c"})
	if got := strings.Join(tree(t, dest), " "); got != "a/index.html c/index.html index.html" {
		t.Errorf("output: %s", got)
	}
	if read(t, filepath.Join(dest, "index.html")) != "v2" || read(t, filepath.Join(dest, "a", "index.html")) != "a" {
		t.Errorf("contents not updated")
	}
	// A file someone put there by hand is not bantin's to remove.
	write(t, filepath.Join(dest, "ghi-chu.txt"), "x")
	publishSite(t, dest, Options{}, map[string]string{"index.html": "v3"})
	if got := strings.Join(tree(t, dest), " "); got != "ghi-chu.txt index.html" {
		t.Errorf("output: %s", got)
	}
	noLeftovers(t, filepath.Dir(dest))
}

// TestAbort: a failed build leaves the previous output exactly as it was.
func TestAbort(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	publishSite(t, dest, Options{}, map[string]string{"index.html": "cũ", "a/index.html": "a"})
	before := tree(t, dest)
	marker := read(t, filepath.Join(dest, Marker))

	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for p, body := range map[string]string{"index.html": "mới", "b/index.html": "b"} {
		if err := s.Write(p, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	// Nothing changes before Commit…
	if read(t, filepath.Join(dest, "index.html")) != "cũ" {
		t.Errorf("the destination changed before Commit")
	}
	// …and nothing after Abort.
	s.Abort()
	if got := tree(t, dest); strings.Join(got, " ") != strings.Join(before, " ") {
		t.Errorf("after Abort: %v, want %v", got, before)
	}
	if read(t, filepath.Join(dest, "index.html")) != "cũ" || read(t, filepath.Join(dest, Marker)) != marker {
		t.Errorf("after Abort the old output changed")
	}
	noLeftovers(t, filepath.Dir(dest))

	// Abort of a first build leaves no destination at all.
	fresh := filepath.Join(t.TempDir(), "public")
	s, err = Begin(fresh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Write("index.html", []byte("x"))
	s.Abort()
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("Abort of a first build left %s", fresh)
	}
	noLeftovers(t, filepath.Dir(fresh))
}

// TestCommitRechecks: if the destination stopped being bantin's between
// Begin and Commit, Commit refuses and removes nothing.
func TestCommitRechecks(t *testing.T) {
	for _, fresh := range []bool{true, false} {
		t.Run(fmt.Sprintf("first=%v", fresh), func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			if !fresh {
				publishSite(t, dest, Options{}, map[string]string{"index.html": "cũ"})
			}
			s, err := Begin(dest, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Write("index.html", []byte("mới")); err != nil {
				t.Fatal(err)
			}
			// Meanwhile someone makes it a site's source folder.
			write(t, filepath.Join(dest, "site.yaml"), "title: của tôi\n")
			if _, err := s.Commit(); err == nil {
				t.Fatalf("Commit into a folder holding site.yaml succeeded")
			}
			if read(t, filepath.Join(dest, "site.yaml")) != "title: của tôi\n" {
				t.Errorf("site.yaml changed")
			}
			if !fresh && read(t, filepath.Join(dest, "index.html")) != "cũ" {
				t.Errorf("old output changed")
			}
			noLeftovers(t, filepath.Dir(dest))
		})
	}
}

func TestPaths(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	for _, p := range []string{"", "/etc/passwd", "../x.html", "a/../../x.html", "..", ".", `a\..\x.html`, Marker, "./" + Marker} {
		if err := s.Write(p, []byte("x")); err == nil {
			t.Errorf("Write(%q) accepted", p)
		}
		if err := s.WriteRaw(p, []byte("x")); err == nil {
			t.Errorf("WriteRaw(%q) accepted", p)
		}
	}
	if err := s.Write("a/./b/../index.html", []byte("x")); err != nil {
		t.Errorf("a path that stays inside: %v", err)
	}
	// Two writes to one path, however spelled, are an error.
	if err := s.Write("a/index.html", []byte("y")); err == nil || !strings.Contains(err.Error(), "two files want the output path a/index.html") {
		t.Errorf("second write: %v", err)
	}
	if err := s.WriteRaw("a//index.html", []byte("y")); err == nil {
		t.Errorf("second write (raw): accepted")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dest), "x.html")); err == nil {
		t.Errorf("a file was written outside the output")
	}
}

func TestMinify(t *testing.T) {
	html := "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n  <title>Trang chủ</title>\n</head>\n<body>\n  <p class=\"a\">  Xin   chào  </p>\n</body>\n</html>\n"
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Begin(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ p, body string }{
		{"index.html", html},
		{"raw.html", html},
		{"css/a.css", "body {\n  color : red ;\n}\n"},
		{"index.xml", "<rss>\n  <channel>\n    <title>x</title>\n  </channel>\n</rss>\n"},
		{"anh.jpg", "\xff\xd8  \n  binary"},
	} {
		write := s.Write
		if f.p == "raw.html" {
			write = s.WriteRaw
		}
		if err := write(f.p, []byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	min := read(t, filepath.Join(dest, "index.html"))
	if len(min) >= len(html) || !strings.Contains(min, "Xin chào") || !strings.Contains(min, "<html lang=vi>") {
		t.Errorf("HTML not minified: %q", min)
	}
	if read(t, filepath.Join(dest, "raw.html")) != html {
		t.Errorf("WriteRaw changed the bytes")
	}
	if got := read(t, filepath.Join(dest, "css", "a.css")); got != "body{color:red}" {
		t.Errorf("CSS: %q", got)
	}
	if got := read(t, filepath.Join(dest, "index.xml")); strings.Contains(got, "\n  ") {
		t.Errorf("XML not minified: %q", got)
	}
	if read(t, filepath.Join(dest, "anh.jpg")) != "\xff\xd8  \n  binary" {
		t.Errorf("a binary file was changed")
	}
}

// TestConcurrentWrites: Write is safe from many goroutines (go test -race).
func TestConcurrentWrites(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Begin(dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- s.Write(fmt.Sprintf("tin-tuc/%d/index.html", i), []byte(fmt.Sprintf("<p>%d</p>", i)))
		}()
		go func() {
			defer wg.Done()
			errs <- s.Write("chung/index.html", []byte("<p>x</p>")) // one wins, 99 fail
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	if failed != 99 {
		t.Errorf("%d writes failed, want 99 (one path written 100 times)", failed)
	}
	st, err := s.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 101 || len(tree(t, dest)) != 101 {
		t.Errorf("stats %+v, %d files", st, len(tree(t, dest)))
	}
}

// TestKeepAndState: Keep publishes a file the destination has without
// writing it, and refuses when the destination lacks it or it changed size
// behind bantin's back; the state file travels with the output, is read
// back only beside a valid manifest, and is never a publishable path.
func TestKeepAndState(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.PrevState() != nil || s.Keep("a/index.html") {
		t.Fatal("a fresh output has a state or keeps a file")
	}
	for _, p := range []string{"a/index.html", "b/index.html", "c/index.html"} {
		if err := s.Write(p, []byte("page "+p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Write(StateFile, []byte("x")); err == nil {
		t.Error("the state file's name was accepted as an output path")
	}
	s.SetState([]byte("state 1"))
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dest, StateFile)); got != "state 1" {
		t.Fatalf("state after a fresh publish: %q", got)
	}

	write(t, filepath.Join(dest, "b", "index.html"), "edited by hand, longer")
	s, err = Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(s.PrevState()) != "state 1" {
		t.Fatalf("previous state: %q", s.PrevState())
	}
	if !s.Keep("a/index.html") {
		t.Error("an unchanged file was not kept")
	}
	if s.Keep("a/index.html") {
		t.Error("a file was kept twice")
	}
	if s.Keep("b/index.html") {
		t.Error("a file changed by hand was kept")
	}
	if s.Keep("d/index.html") || s.Keep("../x") {
		t.Error("a file the output does not have was kept")
	}
	if err := s.Write("b/index.html", []byte("page b/index.html")); err != nil {
		t.Fatal(err)
	}
	s.SetState([]byte("state 2"))
	st, err := s.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != 2 || st.Written != 1 || st.Removed != 1 {
		t.Errorf("stats %+v: want 2 files, 1 written, 1 removed", st)
	}
	if got := strings.Join(tree(t, dest), " "); got != "a/index.html b/index.html" {
		t.Errorf("output: %s", got)
	}
	if got := read(t, filepath.Join(dest, StateFile)); got != "state 2" {
		t.Errorf("state after an update: %q", got)
	}

	// A build that leaves no state removes the old one: it would describe
	// an output that is no longer there.
	s, err = Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write("a/index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, StateFile)); !os.IsNotExist(err) {
		t.Errorf("a stale state file was left: %v", err)
	}
	// Without a valid manifest, a state file is not trusted.
	write(t, filepath.Join(dest, StateFile), "forged")
	if err := os.WriteFile(filepath.Join(dest, Marker), []byte("not a manifest"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if s.PrevState() != nil {
		t.Errorf("state read beside an invalid manifest: %q", s.PrevState())
	}
}

// TestFolderHashCollision: the staging folders are remembered by a hash of
// their path; a folder that only looks made (another path's hash) is made
// when a file in it fails to open, and the file is written.
func TestFolderHashCollision(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s, err := Begin(dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"tin-tuc", "tin-tuc/bai-a"} {
		s.dirs.add(filepath.Join(s.dir, d)) // as if another path had its hash
	}
	if err := s.WriteRaw("tin-tuc/bai-a/index.html", []byte("<p>a</p>")); err != nil {
		t.Fatalf("writing into a folder that only looked made: %v", err)
	}
	if _, err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "tin-tuc", "bai-a", "index.html")); err != nil || string(b) != "<p>a</p>" {
		t.Fatalf("published %q, %v", b, err)
	}
}
