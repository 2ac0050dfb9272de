package images

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"os"
	"path/filepath"
	"testing"
)

func FuzzExifOrientation(f *testing.F) {
	for o := range 9 {
		f.Add(exifTIFF(binary.LittleEndian, o))
		f.Add(exifTIFF(binary.BigEndian, o))
	}
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x04\x00\x00\x00\x01\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if o := exifOrientation(b); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		// The JPEG reader around it must cope with the same bytes as an APP1 payload.
		jpg := append([]byte{0xFF, 0xD8}, segment(0xE1, append([]byte("Exif\x00\x00"), b[:min(len(b), 60000)]...))...)
		if o, _ := jpegMeta(jpg); o < 1 || o > 8 {
			t.Fatalf("jpegMeta orientation %d", o)
		}
	})
}

// FuzzProcess feeds arbitrary bytes to Process: it must never panic, and whatever it returns must
// be consistent and decodable.
func FuzzProcess(f *testing.F) {
	small := quadrants(24, 16)
	f.Add(phoneJPEG(encodeJPEG(f, storedFor(small, 6), 80), binary.LittleEndian, 6, fakeICC("RGB ", 200)))
	f.Add(phoneJPEG(encodeJPEG(f, small, 80), binary.BigEndian, 3, nil))
	f.Add(afterIHDR(encodePNG(f, small), pngChunk("tEXt", []byte("a\x00b")), pngChunk("iCCP", []byte("x\x00\x00\x78\x9c\x03\x00\x00\x00\x00\x01"))))
	var g bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 12, 8), color.Palette{red, color.RGBA{}})
	gif.EncodeAll(&g, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{1, 1}})
	f.Add(g.Bytes())
	files, _ := filepath.Glob("testdata/*.webp")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	p := New(Options{Widths: []int{4, 8, 16}, MaxPixels: 1 << 14})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := p.Process("fuzz", b)
		if err != nil {
			return
		}
		if r.Width < 1 || r.Height < 1 || r.Original.Width != r.Width || r.Original.Height != r.Height {
			t.Fatalf("sizes %dx%d, original %dx%d", r.Width, r.Height, r.Original.Width, r.Original.Height)
		}
		last := 0
		for _, v := range r.Variants {
			if v.Width <= last || v.Width >= r.Width || v.Height < 1 {
				t.Fatalf("variant %dx%d of %dx%d", v.Width, v.Height, r.Width, r.Height)
			}
			last = v.Width
		}
		// Stripping and encoding never break an image the decoder accepted.
		for _, v := range append([]Variant{r.Original}, r.Variants...) {
			f := sniff(v.Data)
			cfg, err := decodeConfig(f, v.Data)
			if err != nil || f.ext() != v.Ext {
				t.Fatalf("output %s %dx%d does not decode: %v", v.Ext, v.Width, v.Height, err)
			}
			if cfg.Width != v.Width || cfg.Height != v.Height {
				t.Fatalf("output %s says %dx%d, header %dx%d", v.Ext, v.Width, v.Height, cfg.Width, cfg.Height)
			}
			if _, err := decodePixels(f, v.Data, cfg); err != nil {
				t.Fatalf("output %s %dx%d: %v", v.Ext, v.Width, v.Height, err)
			}
		}
	})
}

// FuzzCacheEntry: a cache file is read back from disk, where anything can happen to it.
func FuzzCacheEntry(f *testing.F) {
	f.Add(encodeEntry(&Result{Width: 3, Height: 2, Original: Variant{3, 2, ".png", []byte("png")},
		Variants: []Variant{{1, 1, ".jpg", []byte("j")}}}))
	f.Add(encodeEntry(&Result{Width: 1, Height: 1, Original: Variant{1, 1, ".gif", nil}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeEntry(b)
		if err != nil {
			return
		}
		n := 0
		for _, v := range append([]Variant{r.Original}, r.Variants...) {
			n += len(v.Data)
		}
		if n > len(b) {
			t.Fatalf("entry of %d bytes holds %d bytes of files", len(b), n)
		}
	})
}
