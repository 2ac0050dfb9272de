package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestVariantSizes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		w, h   int
		widths []int
		want   [][2]int
	}{
		{"landscape", 1600, 1000, nil, [][2]int{{320, 200}, {640, 400}, {1280, 800}}},
		{"portrait", 900, 1600, nil, [][2]int{{320, 569}, {640, 1138}}},                  // 1280 ≥ 900: skipped
		{"equal width skipped", 640, 480, []int{640, 320, 320, 0}, [][2]int{{320, 240}}}, // unsorted, duplicates, 0
		{"smaller than every width", 200, 100, nil, nil},
		{"thin", 2000, 3, []int{320}, [][2]int{{320, 1}}}, // heights never reach 0
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := encodeJPEG(t, quadrants(tc.w, tc.h), 90)
			r, err := New(Options{Widths: tc.widths}).Process(tc.name+".jpg", src)
			if err != nil {
				t.Fatal(err)
			}
			if r.Width != tc.w || r.Height != tc.h {
				t.Errorf("size %dx%d, want %dx%d", r.Width, r.Height, tc.w, tc.h)
			}
			var got [][2]int
			for _, v := range r.Variants {
				got = append(got, [2]int{v.Width, v.Height})
				img := decodeAny(t, fmt.Sprint(v.Width), v)
				if v.Ext != ".jpg" {
					t.Errorf("variant %d is %s, want .jpg", v.Width, v.Ext)
				}
				if v.Height > 8 {
					checkQuadrants(t, fmt.Sprint(v.Width), img)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("variants %v, want %v", got, tc.want)
			}
			decodeAny(t, "original", r.Original)
		})
	}
}

func TestOrientation(t *testing.T) {
	up := quadrants(240, 160)
	icc := fakeICC("RGB ", 300)
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := 1; o <= 8; o++ {
			t.Run(fmt.Sprintf("%v/%d", bo, o), func(t *testing.T) {
				src := phoneJPEG(encodeJPEG(t, storedFor(up, o), 95), bo, o, icc)
				if got, _ := jpegMeta(src); got != o {
					t.Fatalf("jpegMeta reads orientation %d, want %d", got, o)
				}
				if _, gps := tiffHeaders(src); gps != 1 {
					t.Fatalf("the test photo has %d GPS IFDs, want 1", gps)
				}
				r, err := New(Options{Widths: []int{60, 120, 480}}).Process("phone.jpg", src)
				if err != nil {
					t.Fatal(err)
				}
				if r.Width != 240 || r.Height != 160 {
					t.Errorf("size %dx%d, want upright 240x160", r.Width, r.Height)
				}
				all := append([]Variant{r.Original}, r.Variants...)
				for i, v := range all {
					what := fmt.Sprintf("file %d (%dx%d)", i, v.Width, v.Height)
					checkQuadrants(t, what, decodeAny(t, what, v))
					checkClean(t, what, v.Data)
					if _, gotICC := jpegMeta(v.Data); !bytes.Equal(gotICC, icc) {
						t.Errorf("%s lost the ICC profile", what)
					}
				}
				if got := [2][2]int{{r.Variants[0].Width, r.Variants[0].Height}, {r.Variants[1].Width, r.Variants[1].Height}}; got != [2][2]int{{60, 40}, {120, 80}} {
					t.Errorf("variants %v, want [[60 40] [120 80]]", got)
				}
				if o == 1 && !bytes.HasPrefix(r.Original.Data, []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00")) {
					t.Errorf("an upright original should be stripped losslessly, JFIF kept: % x", r.Original.Data[:20])
				}
			})
		}
	}
}

func TestStripJPEGLossless(t *testing.T) {
	plain := encodeJPEG(t, quadrants(64, 48), 90)
	src := phoneJPEG(plain, binary.BigEndian, 1, fakeICC("RGB ", 70000)) // an ICC profile over two APP2 segments
	r, err := New(Options{}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, "original", r.Original.Data)
	// What remains is exactly the encoder's output plus a thumbnail-free JFIF and the ICC segments.
	jfif := segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"))
	want := slices.Concat(plain[:2], jfif, iccSegments(fakeICC("RGB ", 70000)), plain[2:])
	if !bytes.Equal(r.Original.Data, want) {
		t.Errorf("stripped original is not the image data, JFIF and ICC only (%d bytes, want %d)", len(r.Original.Data), len(want))
	}
	if _, icc := jpegMeta(r.Original.Data); !bytes.Equal(icc, fakeICC("RGB ", 70000)) {
		t.Error("ICC profile not kept whole")
	}

	// KeepMetadata publishes the original as it is; variants stay clean.
	r, err = New(Options{KeepMetadata: true}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Original.Data, src) {
		t.Error("KeepMetadata: original changed")
	}
	// A CMYK profile does not describe the RGB variants: dropped from them.
	r, err = New(Options{Widths: []int{32}}).Process("a.jpg", phoneJPEG(plain, binary.BigEndian, 1, fakeICC("CMYK", 500)))
	if err != nil {
		t.Fatal(err)
	}
	if _, icc := jpegMeta(r.Variants[0].Data); icc != nil {
		t.Error("a CMYK profile was put on an RGB variant")
	}
}

func TestGrayJPEG(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 100, 50))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	src := withExif(encodeJPEG(t, g, 90), exifTIFF(binary.LittleEndian, 6))
	r, err := New(Options{Widths: []int{20}}).Process("g.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append([]Variant{r.Original}, r.Variants...) {
		if img := decodeAny(t, "gray", v); img.ColorModel() != color.GrayModel {
			t.Errorf("%dx%d: %T, want greyscale", v.Width, v.Height, img)
		}
		checkClean(t, "gray", v.Data)
	}
	if r.Width != 50 || r.Height != 100 || r.Variants[0].Height != 40 {
		t.Errorf("sizes %dx%d / %dx%d", r.Width, r.Height, r.Variants[0].Width, r.Variants[0].Height)
	}
}

func TestPNG(t *testing.T) {
	opaque := encodePNG(t, quadrants(200, 100))
	exifChunk := pngChunk("eXIf", exifTIFF(binary.BigEndian, 0))
	src := afterIHDR(opaque,
		pngChunk("tEXt", []byte("Author\x00"+secretMake)),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+secretXMP)),
		pngChunk("tIME", []byte{0x07, 0xE6, 11, 24, 8, 30, 0}),
		exifChunk,
		pngChunk("gAMA", []byte{0, 0, 0xB1, 0x8F}),
	)
	src = append(src, secretTrailer...)
	r, err := New(Options{Widths: []int{50}}).Process("so-do.png", src)
	if err != nil {
		t.Fatal(err)
	}
	want := afterIHDR(opaque, pngChunk("gAMA", []byte{0, 0, 0xB1, 0x8F}))
	if !bytes.Equal(r.Original.Data, want) {
		t.Error("original is not the PNG minus its metadata chunks")
	}
	checkClean(t, "original", r.Original.Data)
	checkQuadrants(t, "original", decodeAny(t, "original", r.Original))
	if v := r.Variants[0]; v.Ext != ".jpg" || v.Width != 50 || v.Height != 25 {
		t.Errorf("opaque PNG variant %s %dx%d, want .jpg 50x25", v.Ext, v.Width, v.Height)
	}

	// With transparency, variants are PNG and keep it.
	clear := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for y := range 100 {
		for x := range 100 {
			clear.SetNRGBA(x, y, color.NRGBA{230, 20, 20, 255})
		}
	}
	r, err = New(Options{Widths: []int{50}}).Process("logo.png", encodePNG(t, clear))
	if err != nil {
		t.Fatal(err)
	}
	v := r.Variants[0]
	if v.Ext != ".png" {
		t.Fatalf("transparent PNG variant is %s", v.Ext)
	}
	img := decodeAny(t, "variant", v)
	if _, _, _, a := img.At(40, 12).RGBA(); a != 0 {
		t.Errorf("transparent half has alpha %d", a)
	}
	if r, _, _, a := img.At(10, 12).RGBA(); a != 0xFFFF || r>>8 < 200 {
		t.Errorf("opaque half is r=%d a=%d", r>>8, a)
	}
}

func TestPNGNamedJPG(t *testing.T) {
	src := encodePNG(t, quadrants(100, 80))
	r, err := New(Options{Widths: []int{50}}).Process("anh-1.jpg", src)
	if err != nil {
		t.Fatalf("a PNG named .jpg: %v", err)
	}
	if r.Original.Ext != ".png" || !bytes.Equal(r.Original.Data, src) {
		t.Errorf("original: %s, %d bytes; want the PNG as it is", r.Original.Ext, len(r.Original.Data))
	}
	checkQuadrants(t, "variant", decodeAny(t, "variant", r.Variants[0]))
}

func TestGIF(t *testing.T) {
	pal := color.Palette{red, green, blue, white, color.RGBA{}}
	frame := func(c uint8) *image.Paletted {
		m := image.NewPaletted(image.Rect(0, 0, 80, 40), pal)
		for i := range m.Pix {
			m.Pix[i] = c
		}
		return m
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, &gif.GIF{Image: []*image.Paletted{frame(0), frame(2)}, Delay: []int{50, 50}}); err != nil {
		t.Fatal(err)
	}
	anim := b.Bytes()
	// Plant a comment and an XMP application extension after the global colour table.
	at := 13
	if anim[10]&0x80 != 0 {
		at += 3 << (anim[10]&7 + 1)
	}
	comment := append([]byte{0x21, 0xFE, byte(len(secretComment))}, secretComment+"\x00"...)
	xmp := slices.Concat([]byte{0x21, 0xFF, 11}, []byte("XMP DataXMP"), []byte{byte(len(secretXMP))}, []byte(secretXMP), []byte{0})
	src := slices.Concat(anim[:at], comment, xmp, anim[at:], []byte(secretTrailer))

	r, err := New(Options{Widths: []int{40}}).Process("dong.gif", src)
	if err != nil {
		t.Fatal(err)
	}
	checkClean(t, "original", r.Original.Data)
	if r.Original.Ext != ".gif" {
		t.Errorf("original is %s", r.Original.Ext)
	}
	g, err := gif.DecodeAll(bytes.NewReader(r.Original.Data))
	if err != nil || len(g.Image) != 2 {
		t.Fatalf("stripped GIF: %v, %d frames; want the animation kept", err, len(g.Image))
	}
	v := r.Variants[0]
	if v.Ext != ".jpg" || v.Width != 40 || v.Height != 20 {
		t.Errorf("variant %s %dx%d, want .jpg 40x20", v.Ext, v.Width, v.Height)
	}
	if got := color.RGBAModel.Convert(decodeAny(t, "variant", v).At(20, 10)).(color.RGBA); !near(got, red) {
		t.Errorf("variant shows %v, want the first frame's red", got)
	}

	// A transparent colour makes variants PNG.
	b.Reset()
	if err := gif.Encode(&b, frame(4), nil); err != nil {
		t.Fatal(err)
	}
	r, err = New(Options{Widths: []int{40}}).Process("trong.gif", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r.Variants[0].Ext != ".png" {
		t.Errorf("transparent GIF variant is %s", r.Variants[0].Ext)
	}
}

func TestWebP(t *testing.T) {
	for _, tc := range []struct {
		file    string
		ext     string // of the variant
		hasExif bool
	}{
		{"lossy.webp", ".jpg", false},
		{"lossy-exif.webp", ".jpg", true},
		{"lossless-alpha.webp", ".png", false},
		{"lossy-alpha.webp", ".png", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(src, []byte("SECRET-WEBP-GPS")); got != tc.hasExif {
				t.Fatalf("fixture has EXIF: %t", got)
			}
			r, err := New(Options{Widths: []int{16}}).Process(tc.file, src)
			if err != nil {
				t.Fatal(err)
			}
			if r.Width != 64 || r.Height != 32 || r.Original.Ext != ".webp" {
				t.Errorf("%dx%d %s", r.Width, r.Height, r.Original.Ext)
			}
			checkClean(t, "original", r.Original.Data)
			orig := decodeAny(t, "original", r.Original)
			if got := color.NRGBAModel.Convert(orig.At(8, 16)).(color.NRGBA); got.R < 180 || got.B > 80 {
				t.Errorf("left half is %v, want red", got)
			}
			if tc.hasExif && r.Original.Data[20]&vp8xExif != 0 {
				t.Error("VP8X still flags EXIF")
			}
			v := r.Variants[0]
			if v.Ext != tc.ext || v.Width != 16 || v.Height != 8 {
				t.Errorf("variant %s %dx%d, want %s 16x8", v.Ext, v.Width, v.Height, tc.ext)
			}
			decodeAny(t, "variant", v)
		})
	}
}

func TestBadInput(t *testing.T) {
	good := encodeJPEG(t, quadrants(300, 200), 90)
	sof := bytes.Index(good, []byte{0xFF, 0xC0})
	huge := bytes.Clone(good) // a JPEG header claiming 12000×9000
	binary.BigEndian.PutUint16(huge[sof+5:], 9000)
	binary.BigEndian.PutUint16(huge[sof+7:], 12000)
	bigPNG := slices.Concat([]byte(pngSignature), pngChunk("IHDR", []byte{0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 2, 0, 0, 0}))
	okPNG := encodePNG(t, quadrants(40, 40))

	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty.jpg", nil, ErrUnsupported},
		{"text.jpg", []byte("<html>not found</html>"), ErrUnsupported},
		{"bitmap.bmp", []byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), ErrUnsupported},
		{"junk-after-soi.jpg", append([]byte{0xFF, 0xD8, 0xFF}, strings.Repeat("junk", 50)...), ErrCorrupt},
		{"truncated-header.jpg", good[:sof+4], ErrCorrupt},
		{"truncated.jpg", good[:len(good)/2], ErrCorrupt},
		{"no-eoi.jpg", good[:len(good)-2], ErrCorrupt},
		{"truncated.png", okPNG[:len(okPNG)/2], ErrCorrupt},
		{"truncated.gif", []byte("GIF89a\x10\x00\x10\x00\x80\x00"), ErrCorrupt},
		{"truncated.webp", []byte("RIFF\x40\x00\x00\x00WEBPVP8 \x30\x00\x00\x00"), ErrCorrupt},
		{"100mp.jpg", huge, ErrTooLarge},
		{"20000x20000.png", bigPNG, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := New(Options{})
			r, err := p.Process("content/tin-tuc/a/"+tc.name, tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, %v; want %v", r, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "content/tin-tuc/a/"+tc.name+": ") {
				t.Errorf("error does not start with the image's name: %v", err)
			}
			if tc.want == ErrTooLarge && p.Stats().Decoded != 0 {
				t.Error("an image over the limit was decoded")
			}
			t.Log(err)
		})
	}
	// The limit is a setting.
	if _, err := New(Options{MaxPixels: 300*200 - 1}).Process("a.jpg", good); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxPixels: %v", err)
	}
	if _, err := New(Options{MaxPixels: 300 * 200}).Process("a.jpg", good); err != nil {
		t.Errorf("MaxPixels at the size: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	src := phoneJPEG(encodeJPEG(t, quadrants(500, 300), 90), binary.LittleEndian, 6, nil)
	a, err := New(Options{}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	if !equalResults(a, b) {
		t.Error("the same input gave different bytes")
	}
}

func equalResults(a, b *Result) bool {
	eq := func(x, y Variant) bool {
		return x.Width == y.Width && x.Height == y.Height && x.Ext == y.Ext && bytes.Equal(x.Data, y.Data)
	}
	return a.Width == b.Width && a.Height == b.Height && eq(a.Original, b.Original) && slices.EqualFunc(a.Variants, b.Variants, eq)
}

func TestCache(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "resources")
	photo := phoneJPEG(encodeJPEG(t, quadrants(800, 600), 90), binary.LittleEndian, 6, nil)
	logo := encodePNG(t, quadrants(300, 300))
	opts := Options{CacheDir: dir}

	p := New(opts)
	first, err := p.Process("photo.jpg", photo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Process("logo.png", logo); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Stats(), (Stats{Decoded: 2, CacheMisses: 2}); got != want {
		t.Fatalf("cold: %+v, want %+v", got, want)
	}

	// A rebuild: a new Processor on the same folder decodes nothing.
	p = New(opts)
	again, err := p.Process("photo-renamed.jpg", photo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Process("logo.png", logo); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Stats(), (Stats{CacheHits: 2}); got != want {
		t.Fatalf("warm: %+v, want %+v", got, want)
	}
	if !equalResults(first, again) {
		t.Error("cached result differs from the fresh one")
	}

	// Every setting that changes output changes the key.
	for _, o := range []Options{
		{CacheDir: dir, Quality: 70},
		{CacheDir: dir, Widths: []int{100}},
		{CacheDir: dir, KeepMetadata: true},
	} {
		p := New(o)
		if _, err := p.Process("photo.jpg", photo); err != nil {
			t.Fatal(err)
		}
		if p.Stats().Decoded != 1 {
			t.Errorf("%+v: served from the cache of other settings", o)
		}
	}
	// The limit is not part of the output: same entries.
	p = New(Options{CacheDir: dir, MaxPixels: 1 << 20})
	if _, err := p.Process("photo.jpg", photo); err != nil || p.Stats().CacheHits != 1 {
		t.Errorf("MaxPixels changed the key: %v %+v", err, p.Stats())
	}

	// A corrupt or truncated entry is rebuilt, and rewritten.
	key := New(opts).cacheKey(photo)
	path := New(opts).cachePath(key)
	entry, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{entry[:len(entry)/2], flip(entry, len(entry)/3), nil} {
		os.WriteFile(path, bad, 0o644)
		p := New(opts)
		r, err := p.Process("photo.jpg", photo)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.Stats(), (Stats{Decoded: 1, CacheMisses: 1}); got != want {
			t.Errorf("corrupt entry: %+v, want %+v", got, want)
		}
		if !equalResults(r, first) {
			t.Error("rebuilt result differs")
		}
		if fixed, _ := os.ReadFile(path); !bytes.Equal(fixed, entry) {
			t.Error("corrupt entry not rewritten")
		}
	}

	// Nothing outside CacheDir/images, no temporary files left.
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, path)
		if path != root && path != dir && !strings.HasPrefix(rel, cacheSubdir) {
			t.Errorf("wrote %s", path)
		}
		if strings.HasPrefix(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0x40
	return b
}

func TestCacheUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "resources")
	os.WriteFile(file, nil, 0o644) // a file where the folder should be
	_, err := New(Options{CacheDir: file}).Process("a.png", encodePNG(t, quadrants(10, 10)))
	if err == nil || !strings.Contains(err.Error(), "image cache") {
		t.Errorf("got %v, want an image cache error", err)
	}
}

func TestProcessAll(t *testing.T) {
	var srcs [][]byte
	for i := range 4 {
		srcs = append(srcs, phoneJPEG(encodeJPEG(t, quadrants(400+40*i, 300), 85), binary.BigEndian, 1+i%2*5, nil))
	}
	p := New(Options{CacheDir: t.TempDir(), Widths: []int{100, 200}})
	var (
		mu       sync.Mutex
		results  = map[string]*Result{}
		progress [][2]int
		jobs     []Job
	)
	for i := range 16 { // each photo four times, as when articles share a photo
		name := fmt.Sprintf("photo-%d.jpg", i)
		src := srcs[i%4]
		jobs = append(jobs, Job{
			Name: name,
			Load: func() ([]byte, error) { return src, nil },
			Done: func(r *Result) error {
				mu.Lock()
				defer mu.Unlock()
				results[name] = r
				return nil
			},
		})
	}
	jobs = append(jobs,
		Job{Name: "broken.jpg", Load: func() ([]byte, error) { return []byte("\xFF\xD8\xFFjunk"), nil }},
		Job{Name: "missing.jpg", Load: func() ([]byte, error) { return nil, fs.ErrNotExist }},
	)
	err := p.ProcessAll(context.Background(), jobs, func(done, total int) {
		progress = append(progress, [2]int{done, total}) // ProcessAll serializes these calls
	})
	if err == nil || !strings.Contains(err.Error(), "broken.jpg: ") || !strings.Contains(err.Error(), "missing.jpg: ") {
		t.Errorf("error %v should name broken.jpg and missing.jpg", err)
	}
	if len(results) != 16 {
		t.Errorf("%d results, want 16: one bad image must not stop the others", len(results))
	}
	for i := range 16 {
		want, err := New(Options{Widths: []int{100, 200}}).Process("x", srcs[i%4])
		if err != nil {
			t.Fatal(err)
		}
		if !equalResults(results[fmt.Sprintf("photo-%d.jpg", i)], want) {
			t.Errorf("photo-%d: result differs from a lone Process", i)
		}
	}
	if got := p.Stats().Decoded; got != 4 {
		t.Errorf("decoded %d images, want 4 (duplicates are processed once)", got)
	}
	if len(progress) != len(jobs)+1 || progress[0] != [2]int{0, 18} || progress[len(progress)-1] != [2]int{18, 18} {
		t.Errorf("progress %v", progress)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i][0] != progress[i-1][0]+1 {
			t.Errorf("progress not increasing by one: %v", progress)
			break
		}
	}

	// Concurrent Process calls on one Processor, same and different bytes.
	var wg sync.WaitGroup
	q := New(Options{Widths: []int{50}})
	for i := range 12 {
		wg.Go(func() {
			if _, err := q.Process("x.jpg", srcs[i%3]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.ProcessAll(ctx, jobs, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestExifOrientation(t *testing.T) {
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := range 9 {
			want := max(o, 1)
			if got := exifOrientation(exifTIFF(bo, o)); got != want {
				t.Errorf("%v orientation %d: got %d", bo, o, got)
			}
		}
	}
	for _, b := range [][]byte{
		nil,
		[]byte("II*\x00\xFF\xFF\xFF\xFF"), // IFD0 past the end
		[]byte("MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12"),                                         // entries cut short
		[]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00"), // 9 is not an orientation
		[]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x02\x00\x00\x00\x01\x00\x06\x00\x00"), // ASCII type
		[]byte("MM\x00+\x00\x00\x00\x08"),                                                         // not TIFF
	} {
		if got := exifOrientation(b); got != 1 {
			t.Errorf("%q: %d, want 1", b, got)
		}
	}
	// LONG is accepted.
	if got := exifOrientation([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x04\x00\x00\x00\x01\x00\x00\x00\x08")); got != 8 {
		t.Errorf("LONG orientation: %d", got)
	}
}

// TestScaleCascade checks that a variant made from a larger variant matches one made from the
// source: the shortcut must not show.
func TestScaleCascade(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 900))
	for y := range 900 {
		for x := range 1200 {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / 1200), uint8((x ^ y) & 0xFF), uint8(y * 255 / 900), 255})
		}
	}
	src := encodeJPEG(t, img, 95)
	r, err := New(Options{Widths: []int{150, 300, 600}}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := New(Options{Widths: []int{150}}).Process("a.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := jpeg.Decode(bytes.NewReader(r.Variants[0].Data))
	b, _ := jpeg.Decode(bytes.NewReader(direct.Variants[0].Data))
	var sum, n float64
	for y := range 112 {
		for x := range 150 {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(r1) - float64(r2), float64(g1) - float64(g2), float64(b1) - float64(b2)} {
				sum += d * d / 65535 / 65535
				n++
			}
		}
	}
	if rms := sum / n; rms > 0.0004 { // mean squared error under (2% of full scale)²
		t.Errorf("cascaded 150px variant differs from a direct one: MSE %.5f", rms)
	}
}

// TestJPEGJunkBeforeMarker: stray bytes between segments are skipped by libjpeg and image/jpeg;
// they must not make the image an error, and do not reach the output.
func TestJPEGJunkBeforeMarker(t *testing.T) {
	plain := encodeJPEG(t, quadrants(64, 48), 90)
	at := 4 + int(binary.BigEndian.Uint16(plain[4:])) // after the first segment
	src := slices.Concat(plain[:at], []byte("\x00junk"), plain[at:])
	r, err := New(Options{Widths: []int{32}}).Process("junk.jpg", src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Original.Data, plain) {
		t.Error("junk not dropped from the original")
	}
}

// TestPeekAndCached: Peek gives a cached image's sizes without its bytes and
// decodes nothing; Cached gives the bytes, checked; a damaged entry is
// neither peeked nor served, and the image is processed again.
func TestPeekAndCached(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "resources")
	photo := encodeJPEG(t, quadrants(800, 600), 90)
	whole, err := New(Options{CacheDir: dir}).Process("photo.jpg", photo)
	if err != nil {
		t.Fatal(err)
	}
	p := New(Options{CacheDir: dir})
	peek, err := p.Peek("photo.jpg", photo)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stats().Decoded != 0 || peek.Original.Data != nil || peek.Key != whole.Key || peek.Key == "" {
		t.Fatalf("peek of a cached image: decoded %d, data %d bytes, key %q (want %q)", p.Stats().Decoded, len(peek.Original.Data), peek.Key, whole.Key)
	}
	if peek.Width != whole.Width || peek.Height != whole.Height || len(peek.Variants) != len(whole.Variants) {
		t.Fatalf("peek sizes %dx%d, %d variants; want %dx%d, %d", peek.Width, peek.Height, len(peek.Variants), whole.Width, whole.Height, len(whole.Variants))
	}
	for i, v := range peek.Variants {
		if v.Width != whole.Variants[i].Width || v.Height != whole.Variants[i].Height || v.Ext != whole.Variants[i].Ext {
			t.Errorf("variant %d: %+v, want %+v", i, v, whole.Variants[i])
		}
	}
	got, ok := p.Cached(peek.Key)
	if !ok || !equalResults(got, whole) {
		t.Fatal("Cached does not give the processed result")
	}

	// Damage the entry: one byte of image data changed.
	path := p.cachePath(peek.Key)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-10] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Cached(peek.Key); ok {
		t.Error("a damaged entry was served")
	}
	// Truncated: not even peeked; processed again, whole.
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	p = New(Options{CacheDir: dir})
	again, err := p.Peek("photo.jpg", photo)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stats().Decoded != 1 || !equalResults(again, whole) {
		t.Errorf("after truncation: decoded %d, same result %t", p.Stats().Decoded, equalResults(again, whole))
	}
	if _, ok := New(Options{}).Cached(peek.Key); ok {
		t.Error("a processor without a cache served an entry")
	}
}
