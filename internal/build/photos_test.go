package build

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// photoSite writes a small site with a bundle article showing photos.
func photoSite(t *testing.T, frontMatterImages string, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	write := func(rel string, b []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", []byte("title: Đảng ủy Khối\nbaseURL: https://example.org/\n"))
	write("content/hoat-dong/hoi-thao/index.md", []byte("---\ntitle: Hội thao\ndate: 2024-03-23\nimages:\n"+frontMatterImages+"---\n\nNội dung.\n\n![Khai mạc](anh-1.jpg)\n"))
	for rel, b := range files {
		write(rel, b)
	}
	return dir
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPhotosPublishedAndCached: album photos and body images come out as
// variants with srcset, and a second build decodes nothing (resources/).
func TestPhotosPublishedAndCached(t *testing.T) {
	src := photoSite(t, "  - {src: anh-1.jpg, caption: Lễ khai mạc}\n  - /images/anh-2.jpg\n", map[string][]byte{
		"content/hoat-dong/hoi-thao/anh-1.jpg": testJPEG(t, 1000, 600),
		"static/images/anh-2.jpg":              testJPEG(t, 700, 500),
	})
	opts := Options{Source: src, Dest: filepath.Join(t.TempDir(), "public"), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	res, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Images != 2 || res.Decoded != 2 {
		t.Errorf("first build: %d images, %d decoded; want 2, 2", res.Images, res.Decoded)
	}
	for _, f := range []string{"hoat-dong/hoi-thao/anh-1.jpg", "hoat-dong/hoi-thao/anh-1-320w.jpg", "hoat-dong/hoi-thao/anh-1-640w.jpg",
		"images/anh-2.jpg", "images/anh-2-320w.jpg", "images/anh-2-640w.jpg", "hinh-anh/hoi-thao/index.html"} {
		if _, err := os.Stat(filepath.Join(opts.Dest, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	page, _ := os.ReadFile(filepath.Join(opts.Dest, "hoat-dong/hoi-thao/index.html"))
	for _, want := range []string{`/hoat-dong/hoi-thao/anh-1-320w.jpg 320w`, `width=1000`, `loading=lazy`, "Lễ khai mạc"} {
		quoted := strings.Replace(want, "=", `="`, 1) + `"`
		if !strings.Contains(string(page), want) && !strings.Contains(string(page), quoted) {
			t.Errorf("article page lacks %q", want)
		}
	}
	res, err = Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Decoded != 0 {
		t.Errorf("second build decoded %d images; want 0 (resources/ cache)", res.Decoded)
	}
	if res.Written != 0 {
		t.Errorf("second build wrote %d files; want 0", res.Written)
	}
}

// TestPhotoBadInput: each bad photo is an error naming the article and line.
func TestPhotoBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, images string
		files        map[string][]byte
		want         string
	}{
		{"missing", "  - khong-co.jpg\n", nil, `content/hoat-dong/hoi-thao/index.md:5: image "khong-co.jpg": no such file`},
		{"escapes", "  - ../../../site.yaml\n", nil, `content/hoat-dong/hoi-thao/index.md:5: image "../../../site.yaml": leaves the article's folder`},
		{"corrupt", "  - hong.jpg\n", map[string][]byte{"content/hoat-dong/hoi-thao/hong.jpg": []byte("\xff\xd8\xff\xe0 not really a photo")},
			`content/hoat-dong/hoi-thao/index.md:5: image "hong.jpg": `},
		{"truncated", "  - cut.jpg\n", map[string][]byte{"content/hoat-dong/hoi-thao/cut.jpg": testJPEG(t, 300, 200)[:400]},
			`content/hoat-dong/hoi-thao/index.md:5: image "cut.jpg": `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{"content/hoat-dong/hoi-thao/anh-1.jpg": testJPEG(t, 400, 300)}
			for k, v := range tc.files {
				files[k] = v
			}
			src := photoSite(t, tc.images, files)
			dest := filepath.Join(t.TempDir(), "public")
			_, err := Build(context.Background(), Options{Source: src, Dest: dest})
			if err == nil {
				t.Fatal("build succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
			if _, err := os.Stat(dest); err == nil {
				t.Error("a failed build left an output folder")
			}
		})
	}
}

// TestBodiesReadAgain: a one-shot build lets go of the bodies after loading
// and reads them again to render: the output is the same as that of a
// session that keeps them (serve's).
func TestBodiesReadAgain(t *testing.T) {
	opts := Options{Source: committeeSource, BaseURL: committeeBase, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts.Dest = filepath.Join(t.TempDir(), "a")
	s, err := NewSession(opts).Prepare(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(opts, time.Now()); err != nil {
		t.Fatal(err)
	}
	kept := opts.Dest
	opts.Dest = filepath.Join(t.TempDir(), "b")
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"tin-tuc/so-ket-1-nam-quy-che-phoi-hop/index.html", "hoat-dong/hoi-thao-khoi-nam-2024/index.html"} {
		a, _ := os.ReadFile(filepath.Join(kept, page))
		b, _ := os.ReadFile(filepath.Join(opts.Dest, page))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs when bodies are read again", page)
		}
	}
}

// TestCheckReadsTheCache: check decodes the photos the resources/ cache
// does not have (validating them) and writes nothing there; after a build
// filled the cache it decodes none.
func TestCheckReadsTheCache(t *testing.T) {
	src := photoSite(t, "  - anh-1.jpg\n", map[string][]byte{
		"content/hoat-dong/hoi-thao/anh-1.jpg": testJPEG(t, 800, 600),
	})
	opts := Options{Source: src, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	res, err := Check(opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Images != 1 || res.Decoded != 1 {
		t.Errorf("check with no cache: %d images, %d decoded; want 1, 1", res.Images, res.Decoded)
	}
	if _, err := os.Stat(filepath.Join(src, ResourcesDir)); !os.IsNotExist(err) {
		t.Errorf("check wrote the image cache: %v", err)
	}
	opts.Dest = filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	opts.Dest = ""
	if res, err = Check(opts); err != nil {
		t.Fatal(err)
	}
	if res.Decoded != 0 {
		t.Errorf("check after a build decoded %d photos; want 0 (the cache has them)", res.Decoded)
	}
}

// TestCachePruned: a build leaves in resources/ only the results it used:
// a replaced photo's old result goes, the others stay.
func TestCachePruned(t *testing.T) {
	src := photoSite(t, "  - anh-1.jpg\n  - anh-2.jpg\n", map[string][]byte{
		"content/hoat-dong/hoi-thao/anh-1.jpg": testJPEG(t, 800, 600),
		"content/hoat-dong/hoi-thao/anh-2.jpg": testJPEG(t, 600, 400),
	})
	opts := Options{Source: src, Dest: filepath.Join(t.TempDir(), "public"), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	entries := func() []string {
		var out []string
		_ = filepath.WalkDir(filepath.Join(src, ResourcesDir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				out = append(out, d.Name())
			}
			return nil
		})
		return out
	}
	if _, err := Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	before := entries()
	if len(before) != 2 {
		t.Fatalf("cache after the first build: %v; want 2 entries", before)
	}
	// Someone's note beside the cache is not bantin's to remove.
	note := filepath.Join(src, ResourcesDir, "images", "ghi-chu.txt")
	if err := os.WriteFile(note, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "content/hoat-dong/hoi-thao/anh-2.jpg"), testJPEG(t, 640, 480), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Decoded != 1 {
		t.Errorf("second build decoded %d; want 1 (the replaced photo)", res.Decoded)
	}
	after := entries()
	if len(after) != 3 || !slices.Contains(after, before[0]) && !slices.Contains(after, before[1]) {
		t.Errorf("cache after replacing a photo: %v (before %v); want one old entry, the new one and the note", after, before)
	}
	if _, err := os.Stat(note); err != nil {
		t.Errorf("the note was removed: %v", err)
	}
}
