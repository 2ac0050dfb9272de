package build

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bantin/internal/publish"
)

// copySite copies the committee site's source (not the generator) into a
// temporary folder the test may edit.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, p := range []string{"site.yaml", "content", "static", "layouts", "resources"} {
		src := filepath.Join(committeeSource, p)
		info, err := os.Stat(src)
		if err != nil {
			continue
		}
		if !info.IsDir() {
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dst, p), b)
			continue
		}
		if err := os.CopyFS(filepath.Join(dst, p), os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// sameTree fails unless folders a and b hold the same files with the same
// bytes (the output's own state files aside).
func sameTree(t *testing.T, what, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if rel == publish.Marker || rel == publish.StateFile {
				return nil
			}
			b, err := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	fa, fb := files(a), files(b)
	bad := 0
	for p, x := range fa {
		y, ok := fb[p]
		switch {
		case !ok:
			t.Errorf("%s: %s is in the rebuilt output but not in a fresh build", what, p)
			bad++
		case !bytes.Equal(x, y):
			t.Errorf("%s: %s differs from a fresh build", what, p)
			bad++
		}
		if bad > 5 {
			t.FailNow()
		}
	}
	for p := range fb {
		if _, ok := fa[p]; !ok {
			t.Errorf("%s: %s is missing from the rebuilt output", what, p)
		}
	}
}

// TestRebuildSkipsUnchanged: a rebuild into the output of an earlier build
// renders only the pages whose fingerprints changed, and after every kind of
// edit an editor makes, the output is byte for byte a fresh build's.
func TestRebuildSkipsUnchanged(t *testing.T) {
	src := copySite(t)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Source: src, Dest: dest, BaseURL: committeeBase, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	build := func(what string) *Result {
		t.Helper()
		res, err := Build(context.Background(), opts)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		fresh := opts
		fresh.Dest = filepath.Join(t.TempDir(), "fresh")
		fres, err := Build(context.Background(), fresh)
		if err != nil {
			t.Fatalf("%s, fresh: %v", what, err)
		}
		if fres.Kept != 0 {
			t.Errorf("%s: a build into a new folder kept %d pages", what, fres.Kept)
		}
		if len(res.Warnings) != len(fres.Warnings) {
			t.Errorf("%s: the rebuild warned %d times, a fresh build %d", what, len(res.Warnings), len(fres.Warnings))
		}
		sameTree(t, what, dest, fresh.Dest)
		return res
	}
	first := build("first build")
	if first.Kept != 0 {
		t.Fatalf("first build kept %d pages", first.Kept)
	}
	again := build("nothing changed")
	if again.Written != 0 || again.Kept < again.Pages*9/10 {
		t.Fatalf("nothing changed: %d of %d pages kept, %d files written; want ≥ 90 %% kept, none written", again.Kept, again.Pages, again.Written)
	}
	edit := func(p, old, new string) {
		t.Helper()
		full := filepath.Join(src, p)
		b, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", p, old)
		}
		writeFile(t, full, []byte(strings.Replace(string(b), old, new, 1)))
	}
	seed := "content/tin-tuc/so-ket-1-nam-quy-che-phoi-hop.md"
	// keeps: whether some pages must be left out. Adding or removing an
	// article changes every page (the sidebar counts the section's
	// articles and the tasks), as does a photo, site.yaml or a newest article.
	steps := []struct {
		what  string
		keeps bool
		do    func()
	}{
		{"an article's title", true, func() { edit(seed, `title: "Sơ kết 1 năm`, `title: "Sơ kết một năm`) }},
		{"a new article linking to another by its file", false, func() {
			writeFile(t, filepath.Join(src, "content/tin-tuc/bai-moi.md"), []byte("---\ntitle: Bài mới\ndate: 2021-03-01\ntags: [Sơ kết]\n---\nXem [hội nghị lần thứ 10](hoi-nghi-ban-chap-hanh-dang-bo-khoi-lan-thu-10.md).\n\n<b>raw</b>\n"))
		}},
		{"the linked article's URL", true, func() {
			edit("content/tin-tuc/hoi-nghi-ban-chap-hanh-dang-bo-khoi-lan-thu-10.md", "\ntitle:", "\nslug: hoi-nghi-lan-10\ntitle:")
		}},
		{"an article's body only", true, func() { edit("content/tin-tuc/bai-moi.md", "Xem", "Mời xem") }},
		{"an article deleted", false, func() {
			if err := os.Remove(filepath.Join(src, "content/tin-tuc/bai-moi.md")); err != nil {
				t.Fatal(err)
			}
		}},
		{"a newest article", false, func() {
			writeFile(t, filepath.Join(src, "content/tin-tuc/tin-moi-nhat.md"), []byte("---\ntitle: Tin mới nhất\ndate: 2025-12-30\n---\nNội dung.\n"))
		}},
		{"a photo replaced", false, func() {
			writeFile(t, filepath.Join(src, "content/hoat-dong/hoi-thao-khoi-nam-2024/keo-co.jpg"), testJPEG(t, 300, 200))
		}},
		{"site.yaml", false, func() { edit("site.yaml", "title: ", "title: Trang ") }},
	}
	for _, s := range steps {
		s.do()
		res := build(s.what)
		if s.keeps && res.Kept == 0 {
			t.Errorf("%s: nothing kept: every page rendered", s.what)
		}
		t.Logf("%s: %d of %d pages kept, %d files written", s.what, res.Kept, res.Pages, res.Written)
	}
}

// TestRebuildKeepsPhotosUnread: a rebuild into the output of an earlier
// build takes each photo whose file did not change (size and time) as that
// build published it: the source is not read, the image cache not opened.
// A published file that went missing is written again, and a photo whose
// file changed is looked at again.
func TestRebuildKeepsPhotosUnread(t *testing.T) {
	src := copySite(t)
	dest := filepath.Join(t.TempDir(), "public")
	opts := Options{Source: src, Dest: dest, BaseURL: committeeBase, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	res, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Images == 0 {
		t.Fatal("the committee site has no photos to test with")
	}
	cache := filepath.Join(src, ResourcesDir)
	// Without the cache, a photo looked at would be decoded and cached again.
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	res, err = Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 0 || res.Decoded != 0 {
		t.Errorf("nothing changed: %d files written, %d photos decoded; want none", res.Written, res.Decoded)
	}
	if _, err := os.Stat(cache); err == nil {
		t.Errorf("nothing changed, yet the image cache was written: a photo was processed")
	}

	// A published variant removed from the output is published again.
	photo := "content/hoat-dong/hoi-thao-khoi-nam-2024/keo-co.jpg"
	variant := filepath.Join(dest, "hoat-dong/hoi-thao-khoi-nam-2024/keo-co-320w.jpg")
	if _, err := os.Stat(variant); err != nil {
		t.Fatalf("the first build did not publish %s: %v", variant, err)
	}
	if err := os.Remove(variant); err != nil {
		t.Fatal(err)
	}
	if res, err = Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if res.Written != 1 || res.Decoded != 1 {
		t.Errorf("one variant removed: %d files written, %d photos decoded; want 1 and 1 (its photo, not in the cache)", res.Written, res.Decoded)
	}

	// A photo whose time changed is looked at again: same bytes, same output.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(src, photo), later, later); err != nil {
		t.Fatal(err)
	}
	if res, err = Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if res.Written != 0 || res.Decoded != 0 {
		t.Errorf("a photo touched: %d files written, %d photos decoded; want none (its result is cached)", res.Written, res.Decoded)
	}
	fresh := opts
	fresh.Dest = filepath.Join(t.TempDir(), "fresh")
	if _, err := Build(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "photos kept", dest, fresh.Dest)

	// Another baseURL on the command line: the photos' URLs are not the kept ones.
	opts.BaseURL, fresh.BaseURL = "https://example.org/sub/", "https://example.org/sub/"
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	fresh.Dest = filepath.Join(t.TempDir(), "fresh-sub")
	if _, err := Build(context.Background(), fresh); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "photos kept, another baseURL", dest, fresh.Dest)
}
