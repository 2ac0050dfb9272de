package images

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"testing"
)

// photoLike returns a deterministic picture that compresses like a photo (a few megabytes for
// 12 megapixels at quality 90), not like a flat test card: smooth gradients, a few soft shapes and
// sensor-like noise.
func photoLike(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 0x62616e74696e))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	type disc struct {
		x, y, r2 int
		c        [3]int
	}
	var discs []disc
	for range 12 {
		r := w/20 + rng.IntN(w/6)
		discs = append(discs, disc{rng.IntN(w), rng.IntN(h), r * r, [3]int{rng.IntN(256), rng.IntN(256), rng.IntN(256)}})
	}
	noise := rng.Uint64()
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			c := [3]int{x * 200 / w, y * 180 / h, 255 - (x+y)*200/(w+h)}
			for _, d := range discs {
				dx, dy := x-d.x, y-d.y
				if dx*dx+dy*dy < d.r2 {
					for i := range c {
						c[i] = (c[i] + d.c[i]) / 2
					}
				}
			}
			noise ^= noise << 13
			noise ^= noise >> 7
			noise ^= noise << 17
			for i := range c {
				v := c[i] + int(noise>>(8*i)&31) - 16
				row[4*x+i] = uint8(min(max(v, 0), 255))
			}
			row[4*x+3] = 255
		}
	}
	return m
}

// BenchmarkProcess200 processes 200 photos of 12 megapixels (4000×3000, each with EXIF and GPS,
// every fourth stored sideways with orientation 6, so its original is re-encoded upright) into
// 320, 640 and 1280 pixel variants, on a cold cache and then a warm one. Eight distinct pictures
// are generated once, outside the timings; each photo differs by its EXIF block, so each is a
// separate cache entry and a full decode. With -short: 20 photos of 1600×1200.
func BenchmarkProcess200(b *testing.B) {
	n, w, h := 200, 4000, 3000
	if testing.Short() {
		n, w, h = 20, 1600, 1200
	}
	bases := make([][]byte, 8)
	for i := range bases {
		bases[i] = encodeJPEG(b, photoLike(w, h, uint64(i)), 90)
	}
	var size int
	jobs := make([]Job, n)
	for i := range jobs {
		base := bases[i%len(bases)]
		o := 1
		if i%4 == 3 {
			o = 6
		}
		tiff := exifTIFF(binary.LittleEndian, o)
		tiff = append(tiff, fmt.Sprintf("IMG_%04d", i)...) // unique bytes: one cache entry each
		size += len(base) + len(tiff)
		jobs[i] = Job{
			Name: fmt.Sprintf("IMG_%04d.jpg", i),
			Load: func() ([]byte, error) { return withExif(base, tiff), nil }, // as cheap as reading a cached file
			Done: func(r *Result) error {
				if len(r.Variants) < 2 || len(r.Original.Data) == 0 {
					return fmt.Errorf("%d variants", len(r.Variants))
				}
				return nil
			},
		}
	}
	b.Logf("%d photos of %dx%d, %.1f MB on average", n, w, h, float64(size)/float64(n)/1e6)
	dir := b.TempDir()
	primed := false
	run := func(b *testing.B, p *Processor) {
		if err := p.ProcessAll(context.Background(), jobs, nil); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("cold", func(b *testing.B) {
		var decoded int
		for range b.N {
			b.StopTimer()
			if err := os.RemoveAll(dir); err != nil {
				b.Fatal(err)
			}
			p := New(Options{CacheDir: dir})
			b.StartTimer()
			run(b, p)
			decoded += p.Stats().Decoded
		}
		primed = true
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "images/s")
		b.ReportMetric(float64(decoded)/float64(b.N), "decoded/op")
	})
	b.Run("warm", func(b *testing.B) {
		if !primed {
			b.StopTimer()
			run(b, New(Options{CacheDir: dir}))
			primed = true
			b.StartTimer()
		}
		var decoded int
		for range b.N {
			p := New(Options{CacheDir: dir})
			run(b, p)
			decoded += p.Stats().Decoded
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "images/s")
		b.ReportMetric(float64(decoded)/float64(b.N), "decoded/op")
	})
}

// BenchmarkOne is the cost of one 12-megapixel photo on one core, by step.
func BenchmarkOne(b *testing.B) {
	src := encodeJPEG(b, photoLike(4000, 3000, 1), 90)
	b.Run("process", func(b *testing.B) {
		for range b.N {
			if _, err := New(Options{}).Process("a.jpg", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("process-orientation-6", func(b *testing.B) {
		src := withExif(src, exifTIFF(binary.BigEndian, 6))
		for range b.N {
			if _, err := New(Options{}).Process("a.jpg", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("strip", func(b *testing.B) {
		for range b.N {
			if _, err := stripJPEG(src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
