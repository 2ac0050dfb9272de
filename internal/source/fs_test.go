//go:build unix

package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// site writes files (path → text) into a new site folder inside a work
// folder, beside a secret no site file may lead to; it returns both.
func site(t *testing.T, files map[string]string) (dir, secret string) {
	t.Helper()
	work := t.TempDir()
	secret = filepath.Join(work, "secret.txt")
	if err := os.WriteFile(secret, []byte("CANARY-SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(work, "site")
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, secret
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// noFast has open give an FS that reads through os.Root only (readFast off).
var noFast bool

func open(t *testing.T, dir string) fs.FS {
	t.Helper()
	fsys, err := OpenSite(dir)
	if err != nil {
		t.Fatal(err)
	}
	if noFast {
		fsys.(*siteFS).dir = nil
	}
	return fsys
}

// TestWithoutReadFast runs the tests again with every read through os.Root,
// as on a kernel without openat2.
func TestWithoutReadFast(t *testing.T) {
	noFast = true
	defer func() { noFast = false }()
	for name, f := range map[string]func(*testing.T){
		"Conforms": TestSiteFSConforms, "LinksOut": TestLinksOutRefused, "LinkToFolder": TestLinkToFolderListed,
		"Loop": TestLinkLoop, "FIFO": TestFIFONeverHangs, "DevZero": TestDevZeroLink, "Oversized": TestOversizedFile,
		"Load": TestLoadRefusesLinksOut, "BOM": TestBOM,
	} {
		t.Run(name, f)
	}
}

// TestReadFast: on Linux with openat2, a plain read takes the one-call path
// and gives the same bytes; what it cannot read is left to os.Root.
func TestReadFast(t *testing.T) {
	dir, secret := site(t, map[string]string{"content/tin-tuc/a.md": "chữ", "shared/b.css": "b"})
	symlink(t, "../shared/b.css", filepath.Join(dir, "static/b.css"))
	symlink(t, secret, filepath.Join(dir, "static/secret.txt"))
	fsys := open(t, dir).(*siteFS)
	data, done, err := readFast(fsys.dir, "content/tin-tuc/a.md")
	if runtime.GOOS == "linux" && !done {
		// Only a kernel before 5.6, or a sandbox refusing the call, may say no.
		if _, _, errno := syscall.Syscall6(437, fsys.dir.Fd(), 0, 0, 0, 0, 0); errno == syscall.ENOSYS || errno == syscall.EPERM {
			t.Skip("no openat2:", errno)
		}
		t.Fatal("readFast did not read a plain file")
	}
	if done && (err != nil || string(data) != "chữ") {
		t.Errorf("readFast: %q, %v", data, err)
	}
	if data, done, err := readFast(fsys.dir, "static/b.css"); done && (err != nil || string(data) != "b") {
		t.Errorf("readFast through a link inside: %q, %v", data, err)
	}
	if _, done, _ := readFast(fsys.dir, "static/secret.txt"); done {
		t.Error("readFast followed a link out of the site")
	}
	if _, done, _ := readFast(fsys.dir, "content"); done {
		t.Error("readFast read a folder")
	}
}

// quickly runs f and fails the test if it has not returned within 5 s (a
// FIFO opened for reading blocks until a writer comes: forever).
func quickly(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: still running after 5 s (hangs)", what)
	}
}

// wantErr checks that err is a *fs.PathError whose text has every part.
func wantErr(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one with %q", what, parts)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		t.Errorf("%s: %T is not a *fs.PathError: %v", what, err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q lacks %q", what, err, p)
		}
	}
	if strings.Contains(err.Error(), "CANARY") {
		t.Errorf("%s: error shows the secret's text: %v", what, err)
	}
}

func TestSiteFSConforms(t *testing.T) {
	dir, _ := site(t, map[string]string{
		"site.yaml":                  "title: x\n",
		"content/tin-tuc/a.md":       "---\ntitle: a\n---\n",
		"content/tin-tuc/b/index.md": "---\ntitle: b\n---\n",
		"content/tin-tuc/b/anh.jpg":  "jpeg",
		"static/css/site.css":        "body{}",
		"shared/logo.svg":            "<svg/>",
	})
	// Links inside the site are followed, to files and through folders.
	symlink(t, "../../shared/logo.svg", filepath.Join(dir, "static/img/logo.svg"))
	fsys := open(t, dir)
	if err := fstest.TestFS(fsys, "site.yaml", "content/tin-tuc/a.md", "content/tin-tuc/b/anh.jpg", "static/img/logo.svg", "static/css/site.css"); err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(fsys, "static/img/logo.svg")
	if err != nil || string(b) != "<svg/>" {
		t.Errorf("link inside: %q, %v", b, err)
	}
	// A walk sees the link as the file it leads to.
	var seen []string
	err = fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if !d.Type().IsRegular() {
				t.Errorf("%s: type %v, want a regular file", p, d.Type())
			}
			seen = append(seen, p)
		}
		return nil
	})
	if err != nil || strings.Join(seen, " ") != "static/css/site.css static/img/logo.svg" {
		t.Errorf("walk: %v, %v", seen, err)
	}
	for _, bad := range []string{"../secret.txt", "/etc/passwd", "static/../../secret.txt", ""} {
		if _, err := fs.ReadFile(fsys, bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("ReadFile(%q): %v, want invalid", bad, err)
		}
	}
}

func TestLinksOutRefused(t *testing.T) {
	dir, secret := site(t, map[string]string{"static/ok.txt": "ok"})
	symlink(t, secret, filepath.Join(dir, "static/abs.txt"))
	symlink(t, "../../secret.txt", filepath.Join(dir, "static/rel.txt"))
	symlink(t, "/etc/passwd", filepath.Join(dir, "content/tin-tuc/bai/passwd.txt"))
	symlink(t, "/proc/self/environ", filepath.Join(dir, "content/env.md"))
	symlink(t, "/etc", filepath.Join(dir, "layouts/etc"))
	symlink(t, "..", filepath.Join(dir, "up"))
	// Inside, but leading to a link that leads out.
	symlink(t, "rel.txt", filepath.Join(dir, "static/hop.txt"))
	fsys := open(t, dir)

	for _, tc := range []struct{ name, link string }{
		{"static/abs.txt", "static/abs.txt"},
		{"static/rel.txt", "static/rel.txt"},
		{"static/hop.txt", "static/rel.txt"},
		{"content/tin-tuc/bai/passwd.txt", "content/tin-tuc/bai/passwd.txt"},
		{"content/env.md", "content/env.md"},
		{"layouts/etc/passwd", "layouts/etc"},
		{"up/secret.txt", "up"},
	} {
		_, err := fs.ReadFile(fsys, tc.name)
		wantErr(t, "ReadFile "+tc.name, err, tc.name, tc.link, "symbolic link", "outside the site folder", "remove it")
		f, err := fsys.Open(tc.name)
		if err == nil {
			f.Close()
		}
		wantErr(t, "Open "+tc.name, err, tc.link, "outside the site folder")
		_, err = fs.Stat(fsys, tc.name)
		wantErr(t, "Stat "+tc.name, err, tc.link, "outside the site folder")
	}
	_, err := fs.ReadFile(fsys, "static/abs.txt")
	wantErr(t, "target named", err, "(to "+secret+")")
	_, err = fs.ReadFile(fsys, "static/rel.txt")
	wantErr(t, "relative target named", err, "(to "+secret+")")

	// An absolute link, even to a file of the site, is not followed.
	symlink(t, filepath.Join(dir, "static/ok.txt"), filepath.Join(dir, "content/ok.txt"))
	_, err = fs.ReadFile(fsys, "content/ok.txt")
	wantErr(t, "absolute link inside", err, "content/ok.txt", "absolute path", "make it relative")

	// A listing keeps the good entries and names the bad one.
	entries, err := fs.ReadDir(fsys, "static")
	wantErr(t, "ReadDir static", err, "static/abs.txt", "outside the site folder")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "ok.txt" {
		t.Errorf("ReadDir static kept %v, want only ok.txt", names)
	}
	// A walk reports it and never reads the secret.
	var walkErr error
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil && walkErr == nil {
			walkErr = err
		}
		if err == nil && !d.IsDir() {
			if b, err := fs.ReadFile(fsys, p); err == nil && bytes.Contains(b, []byte("CANARY")) {
				t.Errorf("%s: read the secret", p)
			}
		}
		return nil
	})
	if walkErr == nil {
		t.Error("walking the site: no error")
	}
}

func TestLinkToFolderListed(t *testing.T) {
	dir, _ := site(t, map[string]string{"shared/a.css": "a"})
	// A link to a folder above itself would make walks loop.
	symlink(t, "..", filepath.Join(dir, "static/loop"))
	symlink(t, "../shared", filepath.Join(dir, "static/css"))
	fsys := open(t, dir)
	entries, err := fs.ReadDir(fsys, "static")
	wantErr(t, "ReadDir", err, "static/css", "link to a folder", "copy the folder in")
	if len(entries) != 0 {
		t.Errorf("entries %v", entries)
	}
	// Read by name, a file through it is the site's own.
	if b, err := fs.ReadFile(fsys, "static/css/a.css"); err != nil || string(b) != "a" {
		t.Errorf("through a folder link inside: %q, %v", b, err)
	}
}

func TestLinkLoop(t *testing.T) {
	dir, _ := site(t, nil)
	symlink(t, "b.md", filepath.Join(dir, "content/a.md"))
	symlink(t, "a.md", filepath.Join(dir, "content/b.md"))
	symlink(t, "self.md", filepath.Join(dir, "content/self.md"))
	fsys := open(t, dir)
	quickly(t, "loop", func() {
		_, err := fs.ReadFile(fsys, "content/a.md")
		wantErr(t, "ReadFile a.md", err, "content/a.md", "loop")
		_, err = fs.ReadFile(fsys, "content/self.md")
		wantErr(t, "ReadFile self.md", err, "content/self.md", "loop")
		_, err = fs.ReadDir(fsys, "content")
		wantErr(t, "ReadDir", err, "loop")
	})
}

func TestFIFONeverHangs(t *testing.T) {
	dir, _ := site(t, map[string]string{"content/a.md": "---\n---\n"})
	for _, p := range []string{"content/pipe.md", "static/pipe.css", "site.yaml"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := syscall.Mkfifo(full, 0o644); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	symlink(t, "pipe.md", filepath.Join(dir, "content/to-pipe.md"))
	fsys := open(t, dir)
	quickly(t, "reading FIFOs", func() {
		for _, p := range []string{"content/pipe.md", "static/pipe.css", "site.yaml", "content/to-pipe.md"} {
			_, err := fs.ReadFile(fsys, p)
			wantErr(t, "ReadFile "+p, err, p, "named pipe", "remove it")
			f, err := fsys.Open(p)
			if err == nil {
				f.Close()
			}
			wantErr(t, "Open "+p, err, p, "named pipe")
		}
		_, err := fs.ReadDir(fsys, "content")
		wantErr(t, "ReadDir", err, "content/pipe.md", "named pipe")
		n := 0
		Scan(fsys)
		fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
				fs.ReadFile(fsys, p)
			}
			return nil
		})
		if n != 1 {
			t.Errorf("walk found %d files, want only content/a.md", n)
		}
	})
}

func TestSocketRefused(t *testing.T) {
	dir, err := os.MkdirTemp("", "s")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Skip("unix socket:", err)
	}
	defer ln.Close()
	fsys := open(t, dir)
	quickly(t, "socket", func() {
		_, err := fs.ReadFile(fsys, "sock")
		wantErr(t, "ReadFile", err, "sock", "socket")
	})
}

func TestDevZeroLink(t *testing.T) {
	dir, _ := site(t, nil)
	symlink(t, "/dev/zero", filepath.Join(dir, "static/zero.bin"))
	symlink(t, "/dev/zero", filepath.Join(dir, "content/zero.md"))
	fsys := open(t, dir)
	quickly(t, "/dev/zero", func() {
		for _, p := range []string{"static/zero.bin", "content/zero.md"} {
			_, err := fs.ReadFile(fsys, p)
			wantErr(t, p, err, p, "outside the site folder", "/dev/zero")
		}
	})
}

// TestReadsBounded: an endless file (a device, /proc, one that grows) is
// never read past MaxFileSize.
func TestReadsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB")
	}
	quickly(t, "readAll of an endless reader", func() {
		if _, err := readAll(endless{}, 0); !errors.Is(err, errGrew) {
			t.Errorf("readAll: %v, want errGrew", err)
		}
	})
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	f := &file{f: zero, name: "zero"}
	defer f.Close()
	quickly(t, "Read of /dev/zero", func() {
		n, err := io.Copy(io.Discard, f)
		if !errors.Is(err, errGrew) || n != MaxFileSize {
			t.Errorf("copied %d bytes, %v; want %d and errGrew", n, err, MaxFileSize)
		}
	})
	// A file that reports a size smaller than what it holds is read whole.
	b, err := readAll(strings.NewReader(strings.Repeat("x", 5000)), 10)
	if err != nil || len(b) != 5000 {
		t.Errorf("readAll: %d bytes, %v", len(b), err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestOversizedFile(t *testing.T) {
	dir, _ := site(t, nil)
	big := filepath.Join(dir, "static/video.mp4")
	os.MkdirAll(filepath.Dir(big), 0o755)
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Sparse: no disk, no time.
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	fsys := open(t, dir)
	_, err = fs.ReadFile(fsys, "static/video.mp4")
	wantErr(t, "ReadFile", err, "static/video.mp4", "104857601 bytes", "over the 100 MB")
	_, err = fsys.Open("static/video.mp4")
	wantErr(t, "Open", err, "static/video.mp4", "over the 100 MB")
	if testing.Short() {
		return
	}
	// At the limit it is read.
	if err := os.Truncate(big, MaxFileSize); err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(fsys, "static/video.mp4"); err != nil || len(b) != MaxFileSize {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
}

func TestOpenSiteMissing(t *testing.T) {
	fsys, err := OpenSite(filepath.Join(t.TempDir(), "nope"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenSite: %v", err)
	}
	if _, err := fs.ReadFile(fsys, "site.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile: %v", err)
	}
	if _, err := fs.ReadDir(fsys, "content"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDir: %v", err)
	}
}

// TestLoadRefusesLinksOut: Load reports a page or a bundle file that leads
// out of the site, naming it, and never parses the secret.
func TestLoadRefusesLinksOut(t *testing.T) {
	dir, secret := site(t, map[string]string{
		"content/tin-tuc/ok.md":          "---\ntitle: ok\ndate: 2022-11-24\n---\n",
		"content/tin-tuc/bai/index.md":   "---\ntitle: bai\ndate: 2022-11-24\n---\n",
		"content/tin-tuc/bai/anh.jpg":    "jpeg",
		"content/tin-tuc/other/index.md": "---\ntitle: other\ndate: 2022-11-24\n---\n",
	})
	os.WriteFile(secret, []byte("---\ntitle: CANARY-SECRET\ndate: 2022-11-24\n---\n"), 0o644)
	symlink(t, secret, filepath.Join(dir, "content/tin-tuc/leak.md"))
	symlink(t, secret, filepath.Join(dir, "content/tin-tuc/bai/secret.txt"))
	pages, problems := Load(open(t, dir), opts)
	text := fmt.Sprint(problems)
	for _, want := range []string{"content/tin-tuc/leak.md", "content/tin-tuc/bai/secret.txt", "outside the site folder"} {
		if !strings.Contains(text, want) {
			t.Errorf("problems %q lack %q", text, want)
		}
	}
	for _, p := range pages {
		if strings.Contains(p.Title, "CANARY") {
			t.Errorf("%s: the secret was loaded", p.File)
		}
		for _, r := range p.Resources {
			if r == "secret.txt" {
				t.Errorf("%s: the link is a resource", p.File)
			}
		}
	}
	if len(pages) != 3 {
		t.Errorf("%d pages, want the 3 good ones", len(pages))
	}
}

// TestBOM: a byte order mark (Notepad writes one) before any of the three
// front-matter fences is dropped; lines are counted as before.
func TestBOM(t *testing.T) {
	const bom = "\ufeff"
	for _, tc := range []struct{ name, text string }{
		{"yaml", bom + "---\ntitle: x\ndate: 2022-11-24\n---\nBody\n"},
		{"yaml crlf", bom + "---\r\ntitle: x\r\ndate: 2022-11-24\r\n---\r\nBody\r\n"},
		{"toml", bom + "+++\ntitle = \"x\"\ndate = 2022-11-24\n+++\nBody\n"},
		{"json", bom + "{\n\"title\": \"x\",\n\"date\": \"2022-11-24\"\n}\n\nBody\n"},
	} {
		p, problems := Parse("content/a/b.md", []byte(tc.text), opts)
		if problems.HasErrors() || p == nil {
			t.Errorf("%s: %v", tc.name, problems)
			continue
		}
		if p.Title != "x" || strings.TrimSpace(string(p.Body)) != "Body" {
			t.Errorf("%s: title %q, body %q", tc.name, p.Title, p.Body)
		}
	}
	// Error lines are the file's lines.
	_, problems := Parse("content/a/b.md", []byte(bom+"---\ntitle: x\ndate: hôm qua\n---\n"), opts)
	if len(problems) != 1 || problems[0].Line != 3 {
		t.Errorf("problems %v, want one on line 3", problems)
	}
	p, _ := parseOK(t, "content/a/b.md", bom+"---\ntitle: x\ndate: 2022-11-24\n---\n\nBody\n")
	if p.BodyLine != 5 {
		t.Errorf("body line %d, want 5", p.BodyLine)
	}
	// A build that lets go of bodies reads the same body again.
	dir, _ := site(t, map[string]string{"content/a/b.md": bom + "---\ntitle: x\ndate: 2022-11-24\n---\nBody\n"})
	fsys := open(t, dir)
	pages, problems := Load(fsys, opts)
	if problems.HasErrors() || len(pages) != 1 {
		t.Fatalf("Load: %v", problems)
	}
	body := pages[0].Body
	pages[0].Body = nil
	again, err := ReadBody(fsys, pages[0])
	if err != nil || !bytes.Equal(again, body) {
		t.Errorf("ReadBody %q, %v; want %q", again, err, body)
	}
}
