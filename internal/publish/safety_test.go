//go:build linux

package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// These tests attack the destination the way a crashing machine, a careless
// editor or someone who can commit to the output's repository would: every
// file-system change failing in turn, damaged and forged records, symbolic
// links out of the output, a strict umask, a destination that is a mount
// point. They compare whole trees, byte for byte.

// node is one entry of a tree as a snapshot saw it.
type node struct {
	mode fs.FileMode // type and permission bits
	data string      // a file's bytes or a link's target
	// ino and mtime are only kept by identity snapshots: an output left
	// "as it was" has the same inodes and times, not only the same bytes.
	ino   uint64
	mtime int64
}

// snap is a tree: slash path (the root is ".") → node.
type snap map[string]node

// snapshot reads the whole tree under dir without following symbolic links.
func snapshot(t *testing.T, dir string, identity bool) snap {
	t.Helper()
	out := snap{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		n := node{mode: info.Mode() & (fs.ModeType | fs.ModePerm)}
		switch {
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n.data = string(b)
		case info.Mode()&fs.ModeSymlink != 0:
			n.data, err = os.Readlink(p)
			if err != nil {
				return err
			}
		}
		if identity {
			n.ino = info.Sys().(*syscall.Stat_t).Ino
			n.mtime = info.ModTime().UnixNano()
		}
		out[filepath.ToSlash(rel)] = n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diff lists how got differs from want (at most a few lines).
func (want snap) diff(got snap) string {
	var lines []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			lines = append(lines, "missing "+p)
		case g != w:
			lines = append(lines, fmt.Sprintf("changed %s: %v %q (ino %d, mtime %d), want %v %q (ino %d, mtime %d)", p, g.mode, clip(g.data), g.ino, g.mtime, w.mode, clip(w.data), w.ino, w.mtime))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			lines = append(lines, "unexpected "+p)
		}
	}
	sort.Strings(lines)
	if len(lines) > 12 {
		lines = append(lines[:12], fmt.Sprintf("… and %d more", len(lines)-12))
	}
	return strings.Join(lines, "\n")
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// with returns want plus the entries of extra (the files bantin did not publish).
func (want snap) with(extra snap) snap {
	out := snap{}
	for p, n := range want {
		out[p] = n
	}
	for p, n := range extra {
		out[p] = n
	}
	return out
}

// only keeps the entries of s at the given paths and their folders.
func (s snap) only(paths []string) snap {
	out := snap{}
	for _, p := range paths {
		for q := p; q != "."; q = path.Dir(q) {
			if n, ok := s[q]; ok {
				out[q] = n
			}
		}
	}
	return out
}

// besideDest lists the parent folder of dest, its lock file left out.
func besideDest(t *testing.T, dest string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "."+filepath.Base(dest)+".lock" {
			names = append(names, e.Name())
		}
	}
	return names
}

// version is one build's output as the builder hands it to publish.
type version struct {
	write map[string]string // Write
	raw   map[string]string // WriteRaw
	keep  []string          // Keep, written from write when it cannot be kept
	state string
}

// siteA and siteB are two builds of one site: B keeps some of A's files
// (written again with the same bytes, or kept), changes some, drops a file
// and a whole folder, and adds new folders.
var (
	siteA = version{
		write: map[string]string{
			"index.html":                 "<h1>Trang chủ</h1> v1",
			"tin-tuc/a/index.html":       "<p>A không đổi</p>",
			"tin-tuc/b/index.html":       "<p>B cũ</p>",
			"tin-tuc/c/index.html":       "<p>C sẽ bị xóa</p>",
			"chuyen-muc-cu/x/index.html": "<p>folder going away</p>",
			"css/site.css":               "body{color:red}",
			"sitemap.xml":                "<urlset>a</urlset>",
		},
		raw:   map[string]string{"anh/p.jpg": "\xff\xd8 photo"},
		state: `{"state":"A"}`,
	}
	siteB = version{
		write: map[string]string{
			"index.html":                 "<h1>Trang chủ</h1> v2",
			"tin-tuc/a/index.html":       "<p>A không đổi</p>",
			"tin-tuc/b/index.html":       "<p>B mới, dài hơn</p>",
			"hoat-dong/d/index.html":     "<p>D mới</p>",
			"moi/sau/hon/nua/index.html": "<p>deep new folder</p>",
			"css/site.css":               "body{color:red}",
			"sitemap.xml":                "<urlset>b</urlset>",
		},
		raw:   map[string]string{"anh/p.jpg": "\xff\xd8 photo"},
		keep:  []string{"css/site.css", "anh/p.jpg"},
		state: `{"state":"B"}`,
	}
)

// foreignFiles are files someone else keeps in the output: a Git checkout
// (gh-pages), a custom domain, a note in a folder bantin publishes into and
// one in a folder the next build drops, a relative symbolic link.
var foreignFiles = map[string]string{
	".git/HEAD":                     "ref: refs/heads/main\n",
	".git/config":                   "[core]\n\tbare = false\n",
	".git/objects/ab/cdef0123":      "blob",
	".git/objects/pack/p.idx":       "idx",
	".git/refs/heads/main":          "0123456789abcdef\n",
	"CNAME":                         "tin.example.gov.vn\n",
	".well-known/security.txt":      "Contact: mailto:x@example.org\n",
	"tin-tuc/ghi-chu.txt":           "ghi chú của biên tập viên",
	"chuyen-muc-cu/giu-lai.txt":     "in a folder bantin drops",
	"link-to-home -> index.html":    "",
	".git/hooks/pre-commit -> ../x": "",
}

// addForeign puts foreignFiles into dest and returns their paths.
func addForeign(t *testing.T, dest string) []string {
	t.Helper()
	var paths []string
	for p, body := range foreignFiles {
		if name, target, ok := strings.Cut(p, " -> "); ok {
			full := filepath.Join(dest, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, full); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, name)
			continue
		}
		write(t, filepath.Join(dest, filepath.FromSlash(p)), body)
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// publishVersion publishes v to dest as the builder does: Begin, Keep or
// Write each file, SetState, Commit; the first error aborts.
func publishVersion(dest string, v version, opts Options) (Stats, error) {
	s, err := Begin(dest, opts)
	if err != nil {
		return Stats{}, err
	}
	defer s.Abort()
	kept := map[string]bool{}
	for _, p := range v.keep {
		kept[p] = s.Keep(p)
	}
	for _, files := range []struct {
		m   map[string]string
		raw bool
	}{{v.write, false}, {v.raw, true}} {
		paths := make([]string, 0, len(files.m))
		for p := range files.m {
			paths = append(paths, p)
		}
		sort.Strings(paths) // the same order every time, so faults can be counted
		for _, p := range paths {
			if kept[p] {
				continue
			}
			write := s.Write
			if files.raw {
				write = s.WriteRaw
			}
			if err := write(p, []byte(files.m[p])); err != nil {
				return Stats{}, err
			}
		}
	}
	if v.state != "" {
		s.SetState([]byte(v.state))
	}
	return s.Commit()
}

// mustPublish publishes v or fails the test.
func mustPublish(t *testing.T, dest string, v version) Stats {
	t.Helper()
	st, err := publishVersion(dest, v, Options{})
	if err != nil {
		t.Fatalf("publishing into %s: %v", dest, err)
	}
	return st
}

// fresh publishes v into a new folder and returns its tree.
func fresh(t *testing.T, v version) snap {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	mustPublish(t, dest, v)
	return snapshot(t, dest, false)
}

// faultAt fails the n-th change (0-based) publish is about to make; *count
// says how many it was asked about, *failed which one failed.
func faultAt(n int, count *int, failed *string) func(op, p string) error {
	return func(op, p string) error {
		i := *count
		*count++
		if i == n {
			*failed = op + " " + p
			return errors.New("injected fault")
		}
		return nil
	}
}

// TestFaultAtEveryStep publishes A, then rebuilds to B failing each change
// B's build makes in turn: every time, the destination is A exactly (the
// same bytes, inodes and times, record and state included), nothing is
// left beside it, and publishing A again and then B gives what fresh
// publishes of A and B give, with the files bantin did not publish intact.
func TestFaultAtEveryStep(t *testing.T) {
	freshA, freshB := fresh(t, siteA), fresh(t, siteB)

	// setup makes a destination holding A and the foreign files.
	setup := func(t *testing.T) (dest string, foreign []string) {
		root := t.TempDir()
		dest = filepath.Join(root, "public")
		mustPublish(t, dest, siteA)
		foreign = addForeign(t, dest)
		write(t, filepath.Join(root, "canary.txt"), "beside the output")
		return dest, foreign
	}

	// A dry run counts the changes a rebuild from A to B makes.
	dest, _ := setup(t)
	var ops []string
	count := func(op, p string) error { ops = append(ops, op+" "+p); return nil }
	if _, err := publishVersion(dest, siteB, Options{Fault: count}); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range ops {
		op, _, _ := strings.Cut(o, " ")
		kinds[op]++
	}
	for _, op := range []string{"mkdir", "write", "link", "exchange"} {
		if kinds[op] == 0 {
			t.Errorf("the rebuild made no %q: the test does not cover it (ops: %v)", op, ops)
		}
	}
	t.Logf("a rebuild from A to B makes %d changes: %v", len(ops), kinds)

	for i := range ops {
		t.Run(fmt.Sprintf("%02d %s", i, ops[i]), func(t *testing.T) {
			t.Parallel()
			dest, foreign := setup(t)
			before := snapshot(t, dest, true)
			foreignA := snapshot(t, dest, false).only(foreign)

			n, failed := 0, ""
			_, err := publishVersion(dest, siteB, Options{Fault: faultAt(i, &n, &failed)})
			if failed == "" {
				t.Fatalf("the fault was never reached (%d changes asked about)", n)
			}
			if err == nil {
				t.Fatalf("the build succeeded although %s failed", failed)
			}
			if d := before.diff(snapshot(t, dest, true)); d != "" {
				t.Fatalf("after %s failed (%v), the destination is not as it was:\n%s", failed, err, d)
			}
			if got := besideDest(t, dest); strings.Join(got, " ") != "canary.txt public" {
				t.Errorf("beside the destination after the failed build: %v", got)
			}
			s, err := Begin(dest, Options{})
			if err != nil {
				t.Fatalf("next Begin: %v", err)
			}
			if got, want := besideDest(t, dest), []string{filepath.Base(s.dir), "canary.txt", "public"}; strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("beside the destination during the next build: %v, want %v", got, want)
			}
			s.Abort()

			mustPublish(t, dest, siteA)
			if d := freshA.with(foreignA).diff(snapshot(t, dest, false)); d != "" {
				t.Errorf("publishing A again differs from a fresh A:\n%s", d)
			}
			mustPublish(t, dest, siteB)
			if d := freshB.with(foreignA).diff(snapshot(t, dest, false)); d != "" {
				t.Errorf("publishing B differs from a fresh B:\n%s", d)
			}
			if got := besideDest(t, dest); strings.Join(got, " ") != "canary.txt public" {
				t.Errorf("beside the destination at the end: %v", got)
			}
		})
	}
}

// TestRebuildKeepsInodes: a rebuild links the files it keeps (same bytes)
// and the foreign ones, so their inodes and times stay; the files it
// changes are new files; a build that changes nothing changes nothing.
func TestRebuildKeepsInodes(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustPublish(t, dest, siteA)
	foreign := addForeign(t, dest)
	a := snapshot(t, dest, true)
	st := mustPublish(t, dest, siteB)
	b := snapshot(t, dest, true)
	for _, p := range append([]string{"tin-tuc/a/index.html", "css/site.css", "anh/p.jpg"}, foreign...) {
		if a[p] != b[p] {
			t.Errorf("%s was not kept as it was: %+v, then %+v", p, a[p], b[p])
		}
	}
	if a["tin-tuc/b/index.html"].ino == b["tin-tuc/b/index.html"].ino {
		t.Errorf("a changed file kept its inode: written in place?")
	}
	if st.Unchanged != 3 || st.Removed != 2 || st.Written != 5 {
		t.Errorf("stats %+v: want 3 unchanged, 5 written, 2 removed", st)
	}
	st = mustPublish(t, dest, siteB)
	if d := b.diff(snapshot(t, dest, true)); d != "" || st.Written != 0 {
		t.Errorf("a build with nothing changed changed the destination (%+v):\n%s", st, d)
	}
}

// TestDamagedRecord: whatever the record says — garbage, an unknown
// version, a path out of the output, paths of files bantin never published
// — the files bantin did not publish stay with their bytes, and nothing
// outside the destination is touched.
func TestDamagedRecord(t *testing.T) {
	sum := strings.Repeat("00", 16)
	for _, tc := range []struct {
		name, record string
	}{
		{"garbage", "{\x00not json at all"},
		{"empty", ""},
		{"the old text format", "bantin output manifest v1\nindex.html 0123 12\n"},
		{"an unknown version", `{"bantin":3,"complete":true,"files":[{"p":"CNAME","s":"` + sum + `","n":19}]}`},
		{"a path out of the output", `{"bantin":2,"complete":true,"files":[{"p":"../outside.txt","s":"` + sum + `","n":7},{"p":"../site/site.yaml","s":"` + sum + `","n":7}]}`},
		{"an absolute path", `{"bantin":2,"complete":true,"files":[{"p":"/tmp/x","s":"` + sum + `","n":7}]}`},
		{"a forged list of foreign files", `{"bantin":2,"complete":true,"files":[` +
			`{"p":"CNAME","s":"` + sum + `","n":19},{"p":".git/config","s":"` + sum + `","n":24},` +
			`{"p":".git/HEAD","s":"` + sum + `","n":21},{"p":"tin-tuc/ghi-chu.txt","s":"` + sum + `","n":33}]}`},
		{"a forged list, .git left out", `{"bantin":2,"complete":true,"files":[` +
			`{"p":"CNAME","s":"` + sum + `","n":19},{"p":"tin-tuc/ghi-chu.txt","s":"` + sum + `","n":33},{"p":".well-known/security.txt","s":"` + sum + `","n":30}]}`},
		{"a forged incomplete list", `{"bantin":2,"complete":false,"files":[{"p":"CNAME","s":"` + sum + `","n":19},{"p":".well-known/security.txt","s":"` + sum + `","n":30}]}`},
		{"a sum too long", `{"bantin":2,"complete":true,"files":[{"p":"index.html","s":"` + sum + `00","n":7}]}`},
		{"a path through a link out", `{"bantin":2,"complete":true,"files":[{"p":"ra-ngoai/outside.txt","s":"` + sum + `","n":7}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			src := site(t, filepath.Join(root, "site"))
			dest := filepath.Join(root, "public")
			write(t, filepath.Join(root, "outside.txt"), "outside")
			write(t, filepath.Join(root, "elsewhere", "outside.txt"), "outside")
			mustPublish(t, dest, siteA)
			foreign := addForeign(t, dest)
			if err := os.Symlink(filepath.Join(root, "elsewhere"), filepath.Join(dest, "ra-ngoai")); err != nil {
				t.Fatal(err)
			}
			foreign = append(foreign, "ra-ngoai")
			write(t, filepath.Join(dest, Marker), tc.record)
			keep := snapshot(t, dest, false).only(foreign)
			outside := snapshot(t, root, false)
			outsideOf := func(s snap) snap {
				for p := range s {
					if p == "public" || strings.HasPrefix(p, "public/") || strings.HasPrefix(p, ".public.") {
						delete(s, p)
					}
				}
				return s
			}
			outside = outsideOf(outside)

			for _, v := range []version{siteB, siteA, siteB} {
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Fatalf("the build panicked: %v", r)
						}
					}()
					if _, err := publishVersion(dest, v, Options{Source: src}); err != nil {
						t.Fatal(err)
					}
				}()
				got := snapshot(t, dest, false)
				if d := keep.diff(got.only(foreign)); d != "" {
					t.Fatalf("files bantin did not publish changed:\n%s", d)
				}
				for p, body := range v.write {
					if got[p].data != body {
						t.Errorf("%s: %q, want %q", p, got[p].data, body)
					}
				}
				if d := outside.diff(outsideOf(snapshot(t, root, false))); d != "" {
					t.Fatalf("outside the destination:\n%s", d)
				}
			}
			if got := besideDest(t, dest); strings.Join(got, " ") != "elsewhere outside.txt public site" {
				t.Errorf("beside the destination: %v", got)
			}
		})
	}
}

// TestForeignFolders: folders bantin did not make stay, also empty ones (a
// fresh `git init` has only empty refs/ folders, and Git does not take a
// .git without refs/ for a repository), with their permissions.
func TestForeignFolders(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	mustPublish(t, dest, siteA)
	addForeign(t, dest)
	for _, d := range []string{".git/refs/tags", ".git/objects/info", ".git/branches", "tin-tuc/trong", "rieng"} {
		if err := os.MkdirAll(filepath.Join(dest, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dest, "rieng"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dest, "rieng", "bi-mat.txt"), "not for the web server")
	want := snapshot(t, dest, false)
	mustPublish(t, dest, siteB)
	got := snapshot(t, dest, false)
	for _, d := range []string{".git/refs/tags", ".git/objects/info", ".git/branches", "tin-tuc/trong", "rieng", "rieng/bi-mat.txt"} {
		if got[d] != want[d] {
			t.Errorf("%s: %v, want %v", d, got[d].mode, want[d].mode)
		}
	}
}

// TestSymlinkedFolder: a folder of the output replaced by a link to a
// folder outside is never written through; the build may fail, naming it.
func TestSymlinkedFolder(t *testing.T) {
	for _, tc := range []struct{ name, link string }{
		{"a section", "tin-tuc"},
		{"an article's folder", "tin-tuc/b"},
		{"a folder the new build drops", "chuyen-muc-cu"},
		{"a file", "index.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dest := filepath.Join(root, "public")
			elsewhere := filepath.Join(root, "elsewhere")
			write(t, filepath.Join(elsewhere, "index.html"), "của người khác")
			write(t, filepath.Join(elsewhere, "b", "index.html"), "của người khác")
			write(t, filepath.Join(elsewhere, "x", "index.html"), "của người khác")
			before := snapshot(t, elsewhere, true)
			mustPublish(t, dest, siteA)
			link := filepath.Join(dest, filepath.FromSlash(tc.link))
			if err := os.RemoveAll(link); err != nil {
				t.Fatal(err)
			}
			target := elsewhere
			if tc.link == "index.html" {
				target = filepath.Join(elsewhere, "index.html")
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			for _, v := range []version{siteB, siteA} {
				_, err := publishVersion(dest, v, Options{})
				if err != nil && !strings.Contains(err.Error(), link) {
					t.Errorf("the error does not name the link %s: %v", link, err)
				}
				t.Logf("build: %v", err)
				if d := before.diff(snapshot(t, elsewhere, true)); d != "" {
					t.Fatalf("the build wrote through the link:\n%s", d)
				}
			}
			if got := besideDest(t, dest); strings.Join(got, " ") != "elsewhere public" {
				t.Errorf("beside the destination: %v", got)
			}
		})
	}
	// The destination itself a link: refused.
	root := t.TempDir()
	elsewhere := filepath.Join(root, "elsewhere")
	mustPublish(t, elsewhere, siteA)
	before := snapshot(t, elsewhere, true)
	dest := filepath.Join(root, "public")
	if err := os.Symlink(elsewhere, dest); err != nil {
		t.Fatal(err)
	}
	if _, err := publishVersion(dest, siteB, Options{}); err == nil {
		t.Errorf("a destination that is a symbolic link was written")
	}
	if d := before.diff(snapshot(t, elsewhere, true)); d != "" {
		t.Fatalf("the build wrote through the link:\n%s", d)
	}
}

// TestLeftovers: what killed builds leave beside the destination is cleaned
// up by the next one — staging folders, an old output moved aside (put back
// when the destination is gone) — and links among them are removed, never
// followed; a lock file that is a link is not written through.
func TestLeftovers(t *testing.T) {
	t.Run("staging and old folders", func(t *testing.T) {
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		mustPublish(t, dest, siteA)
		a := snapshot(t, dest, true)
		write(t, filepath.Join(root, ".public.staging-123", "index.html"), "half")
		write(t, filepath.Join(root, ".public.old-0abc", "index.html"), "older")
		write(t, filepath.Join(dest, ".bantin-staging-9", "index.html"), "half, inside")
		s, err := Begin(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Abort()
		if got := besideDest(t, dest); strings.Join(got, " ") != "public" {
			t.Errorf("beside the destination: %v", got)
		}
		now := snapshot(t, dest, true)
		delete(now, ".") // its time changed: the staging folder inside went
		delete(a, ".")
		if d := a.diff(now); d != "" {
			t.Errorf("the destination changed:\n%s", d)
		}
	})
	t.Run("old output put back", func(t *testing.T) {
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		mustPublish(t, dest, siteA)
		addForeign(t, dest)
		a := snapshot(t, dest, true)
		// Killed between moving the old output aside and renaming the new in.
		if err := os.Rename(dest, filepath.Join(root, ".public.old-"+"0000000000zz")); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, ".public.old-0000000000aa", "index.html"), "older still")
		write(t, filepath.Join(root, ".public.staging-1", "index.html"), "new")
		s, err := Begin(dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Abort()
		if d := a.diff(snapshot(t, dest, true)); d != "" {
			t.Errorf("the old output was not put back as it was:\n%s", d)
		}
		if got := besideDest(t, dest); strings.Join(got, " ") != "public" {
			t.Errorf("beside the destination: %v", got)
		}
	})
	t.Run("links beside the destination", func(t *testing.T) {
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		outside := filepath.Join(root, "outside")
		write(t, filepath.Join(outside, "index.html"), "precious")
		mustPublish(t, dest, siteA)
		for _, n := range []string{".public.staging-x", ".public.old-x"} {
			if err := os.Symlink(outside, filepath.Join(root, n)); err != nil {
				t.Fatal(err)
			}
		}
		before := snapshot(t, outside, true)
		mustPublish(t, dest, siteB)
		if d := before.diff(snapshot(t, outside, true)); d != "" {
			t.Errorf("a link beside the destination was followed:\n%s", d)
		}
		if got := besideDest(t, dest); strings.Join(got, " ") != "outside public" {
			t.Errorf("beside the destination: %v", got)
		}
	})
	t.Run("a lock file that is a link", func(t *testing.T) {
		root := t.TempDir()
		dest := filepath.Join(root, "public")
		write(t, filepath.Join(root, "canary.txt"), "precious")
		mustPublish(t, dest, siteA)
		if err := os.Remove(filepath.Join(root, ".public.lock")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "canary.txt"), filepath.Join(root, ".public.lock")); err != nil {
			t.Fatal(err)
		}
		_, err := publishVersion(dest, siteB, Options{})
		t.Logf("build with a linked lock file: %v", err)
		if read(t, filepath.Join(root, "canary.txt")) != "precious" {
			t.Errorf("the lock file was written through its link")
		}
	})
}

// TestUmask: with umask 077 the output's folders are 0755 and its files
// 0644, new, rewritten or kept, so a web server running as another user can
// read them. Not parallel: the umask is the process's.
func TestUmask(t *testing.T) {
	root := t.TempDir()
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	// The folders above the output that bantin makes too (-d www/out/public).
	dest := filepath.Join(root, "www", "out", "public")
	for _, v := range []version{siteA, siteB, siteA} {
		mustPublish(t, dest, v)
		checkModes(t, dest)
	}
	for _, d := range []string{filepath.Join(root, "www"), filepath.Join(root, "www", "out")} {
		if info, err := os.Stat(d); err != nil || info.Mode().Perm() != 0o755 {
			t.Errorf("%s, made to hold the output: %v (%v); want 0755 (a web server must get through it)", d, info.Mode(), err)
		}
	}
}

// checkModes checks that every folder under dest is 0755 and every file 0644.
func checkModes(t *testing.T, dest string) {
	t.Helper()
	n := 0
	for p, nd := range snapshot(t, dest, false) {
		want := fs.FileMode(0o644)
		if nd.mode&fs.ModeSymlink != 0 {
			continue // a link's own mode means nothing
		}
		if nd.mode.IsDir() {
			want = fs.ModeDir | 0o755
		}
		if nd.mode != want {
			t.Errorf("%s: %v, want %v", p, nd.mode, want)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d entries checked", n)
	}
}

// TestMountPoint: a destination that is a mount point (tmpfs here) cannot
// be swapped whole; builds and rebuilds still give fresh outputs, keep
// foreign files, and a build failing at any step is repaired by the next.
func TestMountPoint(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dest, "tmpfs", 0, "size=64m,mode=0755"); err != nil {
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("cannot mount a tmpfs (a container without CAP_SYS_ADMIN?): %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dest, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dest, err)
		}
	})
	if !isMountPoint(dest, filepath.Dir(dest)) {
		t.Fatalf("%s is not seen as a mount point", dest)
	}
	freshA, freshB := fresh(t, siteA), fresh(t, siteB)
	// The mount point's own folder is not bantin's to make 0755 or not.
	delete(freshA, ".")
	delete(freshB, ".")
	clear := func(t *testing.T) {
		entries, err := os.ReadDir(dest)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(dest, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	current := func(t *testing.T) snap {
		s := snapshot(t, dest, false)
		delete(s, ".")
		return s
	}

	// The first build, into an empty mount point.
	if _, err := publishVersion(dest, siteA, Options{}); err != nil {
		t.Errorf("first build into an empty mount point: %v", err)
		// Go on as if the folder were bantin's (a damaged record is no
		// record) to test the rest.
		write(t, filepath.Join(dest, Marker), "")
		mustPublish(t, dest, siteA)
	}
	foreign := addForeign(t, dest)
	foreignA := current(t).only(foreign)
	if d := freshA.with(foreignA).diff(current(t)); d != "" {
		t.Fatalf("first build:\n%s", d)
	}
	inoA := snapshot(t, dest, true)
	mustPublish(t, dest, siteB)
	if d := freshB.with(foreignA).diff(current(t)); d != "" {
		t.Fatalf("rebuild:\n%s", d)
	}
	if inoB := snapshot(t, dest, true); inoB["tin-tuc/a/index.html"] != inoA["tin-tuc/a/index.html"] {
		t.Errorf("an unchanged file was not kept")
	}
	if st := mustPublish(t, dest, siteB); st.Written != 0 {
		t.Errorf("a build with nothing changed wrote %d files", st.Written)
	}
	mustPublish(t, dest, siteA)
	if d := freshA.with(foreignA).diff(current(t)); d != "" {
		t.Fatalf("back to A:\n%s", d)
	}
	checkModes(t, dest)

	// Count the changes of a rebuild to B, then fail each in turn.
	var ops []string
	if _, err := publishVersion(dest, siteB, Options{Fault: func(op, p string) error { ops = append(ops, op+" "+p); return nil }}); err != nil {
		t.Fatal(err)
	}
	t.Logf("a rebuild from A to B on a mount point makes %d changes", len(ops))
	for i := range ops {
		clear(t)
		write(t, filepath.Join(dest, Marker), "") // see the first build
		mustPublish(t, dest, siteA)
		addForeign(t, dest)
		n, failed := 0, ""
		_, err := publishVersion(dest, siteB, Options{Fault: faultAt(i, &n, &failed)})
		if err == nil || failed == "" {
			t.Fatalf("op %d (%s): build %v, fault %q", i, ops[i], err, failed)
		}
		// Mixed, maybe, but every file bantin did not publish is there.
		if d := foreignA.diff(current(t).only(foreign)); d != "" {
			t.Fatalf("after %s failed, foreign files changed:\n%s", failed, d)
		}
		mustPublish(t, dest, siteB)
		if d := freshB.with(foreignA).diff(current(t)); d != "" {
			t.Fatalf("after %s failed, the next build of B differs from a fresh B:\n%s", failed, d)
		}
		mustPublish(t, dest, siteA)
		if d := freshA.with(foreignA).diff(current(t)); d != "" {
			t.Fatalf("after %s failed, A differs from a fresh A:\n%s", failed, d)
		}
		if got := besideDest(t, dest); strings.Join(got, " ") != "public" {
			t.Fatalf("beside the destination: %v", got)
		}
	}
}

// noExchangeEnv, set to 1, runs this test binary with renameat2's
// RENAME_EXCHANGE refused (EINVAL, as file systems without it answer), so
// publish takes its other way: the old output moved aside, the new renamed
// in (every system but Linux, and Linux file systems without the exchange).
const noExchangeEnv = "BANTIN_TEST_NO_EXCHANGE"

func init() {
	if os.Getenv(noExchangeEnv) != "1" {
		return
	}
	if err := denyExchange(); err != nil {
		fmt.Fprintf(os.Stderr, "cannot refuse RENAME_EXCHANGE: %v\n", err)
		os.Exit(3)
	}
	dir, err := os.MkdirTemp("", "exchange")
	if err == nil {
		os.Mkdir(filepath.Join(dir, "a"), 0o755)
		os.Mkdir(filepath.Join(dir, "b"), 0o755)
		err = exchange(filepath.Join(dir, "a"), filepath.Join(dir, "b"))
		os.RemoveAll(dir)
	}
	if !errors.Is(err, errNoExchange) {
		fmt.Fprintf(os.Stderr, "RENAME_EXCHANGE still works under the filter: %v\n", err)
		os.Exit(3)
	}
}

// denyExchange installs a seccomp filter on every thread of the process:
// renameat2 with RENAME_EXCHANGE in its flags fails with EINVAL; every
// other system call is allowed.
func denyExchange() error {
	const (
		ldAbs   = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq     = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jset    = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
		ret     = unix.BPF_RET | unix.BPF_K
		retAll  = 0x7fff0000 // SECCOMP_RET_ALLOW
		argFlag = 16 + 4*8   // seccomp_data.args[4], its low 32 bits (little-endian)
	)
	filter := []unix.SockFilter{
		{Code: ldAbs, K: 0}, // the system call's number
		{Code: jeq, Jt: 0, Jf: 3, K: unix.SYS_RENAMEAT2},
		{Code: ldAbs, K: argFlag},
		{Code: jset, Jt: 0, Jf: 1, K: unix.RENAME_EXCHANGE},
		{Code: ret, K: unix.SECCOMP_RET_ERRNO | uint32(unix.EINVAL)},
		{Code: ret, K: retAll},
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return err
	}
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog))); e != 0 {
		return e
	}
	return nil
}

// TestWithoutExchange runs the tests of swapping outputs again in a
// process where RENAME_EXCHANGE is refused: moving the old output aside
// and the new one in must be as safe, and must work.
func TestWithoutExchange(t *testing.T) {
	if os.Getenv(noExchangeEnv) == "1" {
		t.Skip("running inside the process without RENAME_EXCHANGE")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-test.count=1", "-test.run=^(TestRepublish|TestAbort|TestCommitRechecks|TestKeepAndState|TestFaultAtEveryStep|TestRebuildKeepsInodes|TestSymlinkedFolder|TestLeftovers|TestUmask|TestMountPoint)$"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), noExchangeEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("without RENAME_EXCHANGE (%v):\n%s", err, out)
	}
}
