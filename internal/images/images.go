package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	stddraw "image/draw"
	"image/jpeg"
	"image/png"
	"os"
	"slices"
	"sync/atomic"

	"golang.org/x/image/draw"
	"golang.org/x/sync/singleflight"
)

// Errors that Process wraps, so that callers can tell kinds of bad input apart with errors.Is.
var (
	ErrUnsupported = errors.New("unsupported image format")
	ErrCorrupt     = errors.New("corrupt or truncated image")
	ErrTooLarge    = errors.New("image too large")
)

// Defaults for the zero values of Options.
const (
	DefaultQuality   = 80
	DefaultMaxPixels = 50_000_000
)

// defaultWidths are the variant widths when Options.Widths is empty (site.yaml images.widths).
func defaultWidths() []int { return []int{320, 640, 1280} }

// originalQuality is the least JPEG quality an original is re-encoded at when it must be turned
// upright: it replaces the photographer's file, so it stays close to it.
const originalQuality = 95

// Options are the image settings of a site (site.yaml images:) plus the limits of a build.
type Options struct {
	Widths       []int  // variant widths in pixels; empty means 320, 640, 1280
	Quality      int    // JPEG quality of variants, 1–100; 0 means 80
	KeepMetadata bool   // publish originals byte for byte, metadata and all
	MaxPixels    int    // larger images are refused (ErrTooLarge); 0 means 50 megapixels
	CacheDir     string // where results are cached (the site's resources/); "" for no disk cache
	ReadOnly     bool   // read CacheDir but never write it (validating a site changes nothing)
}

// Variant is one published image file.
type Variant struct {
	Width, Height int
	Ext           string // ".jpg" or ".png"; for an original also ".gif" or ".webp"
	Data          []byte
}

// Result is what Process makes of one source image. Its byte slices are shared and read-only.
type Result struct {
	Key           string    // names the result in the cache (Cached)
	Width, Height int       // the original's size, upright
	Original      Variant   // the original, metadata stripped (unless KeepMetadata), upright
	Variants      []Variant // one per configured width below Width, ascending
}

// Stats counts work done since New.
type Stats struct {
	Decoded     int // images whose pixels were decoded
	CacheHits   int // results read from CacheDir instead
	CacheMisses int // results looked for in CacheDir and not found (or found corrupt)
}

// Processor makes published images from source images. It is safe for concurrent use; identical
// sources processed at the same time are processed once.
type Processor struct {
	opts     Options
	settings string // the part of the cache key that is not the source
	flight   singleflight.Group

	decoded, hits, misses atomic.Int64
}

// New returns a Processor for opts, with defaults filled in.
func New(opts Options) *Processor {
	var widths []int
	for _, w := range opts.Widths {
		if w > 0 {
			widths = append(widths, w)
		}
	}
	if len(widths) == 0 {
		widths = defaultWidths()
	}
	slices.Sort(widths)
	opts.Widths = slices.Compact(widths)
	if opts.Quality <= 0 {
		opts.Quality = DefaultQuality
	}
	opts.Quality = min(opts.Quality, 100)
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = DefaultMaxPixels
	}
	return &Processor{opts: opts, settings: settingsKey(opts)}
}

// Stats returns the work counters.
func (p *Processor) Stats() Stats {
	return Stats{
		Decoded:     int(p.decoded.Load()),
		CacheHits:   int(p.hits.Load()),
		CacheMisses: int(p.misses.Load()),
	}
}

// Process makes the published original and the variants of one source image. name is used only
// in error messages. The format is read from data, whatever name says. A cached result is returned
// without decoding the image; its header is still read, so MaxPixels applies to it too.
func (p *Processor) Process(name string, data []byte) (*Result, error) {
	r, err := p.process(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}

// Peek is Process for a build that needs an image's sizes now and its bytes
// later: a cached result comes back without its bytes (Data is nil), which
// are not even read; Cached(r.Key) gives them, checked. An image not in the
// cache is processed and cached as Process does, and comes back whole.
func (p *Processor) Peek(name string, data []byte) (*Result, error) {
	f, cfg, err := p.check(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	key := p.cacheKey(data)
	if r := p.peekCache(key); r != nil {
		p.hits.Add(1)
		r.Key = key
		return r, nil
	}
	r, err := p.processKey(f, cfg, key, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return r, nil
}

// Cached returns the cached result of key, its bytes checked, or false
// (then process the source again: it may have been damaged or removed).
func (p *Processor) Cached(key string) (*Result, bool) {
	if p.opts.CacheDir == "" || len(key) < 2 {
		return nil, false
	}
	b, err := os.ReadFile(p.cachePath(key))
	if err != nil {
		return nil, false
	}
	r, err := decodeEntry(b)
	if err != nil {
		return nil, false
	}
	r.Key = key
	return r, true
}

// check reads an image's format and size, refusing what cannot be published.
func (p *Processor) check(data []byte) (format, image.Config, error) {
	f := sniff(data)
	if f == unknown {
		return f, image.Config{}, fmt.Errorf("%w (not JPEG, PNG, GIF or WebP)", ErrUnsupported)
	}
	cfg, err := decodeConfig(f, data)
	switch {
	case errors.Is(err, ErrUnsupported):
		return f, cfg, err
	case err != nil:
		return f, cfg, fmt.Errorf("%w: %v", ErrCorrupt, err)
	case cfg.Width <= 0 || cfg.Height <= 0:
		return f, cfg, fmt.Errorf("%w: %s of %d×%d pixels", ErrCorrupt, f, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(p.opts.MaxPixels) {
		return f, cfg, fmt.Errorf("%w: %d×%d pixels (%.1f megapixels) is over the limit of %g megapixels",
			ErrTooLarge, cfg.Width, cfg.Height, float64(px)/1e6, float64(p.opts.MaxPixels)/1e6)
	}
	return f, cfg, nil
}

func (p *Processor) process(data []byte) (*Result, error) {
	f, cfg, err := p.check(data)
	if err != nil {
		return nil, err
	}
	return p.processKey(f, cfg, p.cacheKey(data), data)
}

func (p *Processor) processKey(f format, cfg image.Config, key string, data []byte) (*Result, error) {
	v, err, _ := p.flight.Do(key, func() (any, error) {
		if r := p.readCache(key); r != nil {
			r.Key = key
			return r, nil
		}
		r, err := p.build(f, data, cfg)
		if err != nil {
			return nil, err
		}
		r.Key = key
		if err := p.writeCache(key, r); err != nil {
			return nil, err
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Result), nil
}

// build decodes an image and makes its result.
func (p *Processor) build(f format, data []byte, cfg image.Config) (*Result, error) {
	p.decoded.Add(1)
	img, err := decodePixels(f, data, cfg)
	if err != nil {
		return nil, err
	}
	o, icc := 1, []byte(nil)
	switch f {
	case fmtJPEG:
		o, icc = jpegMeta(data)
	case fmtPNG:
		icc = pngICC(data)
	case fmtWebP:
		_, icc = webpMeta(data)
	}
	w, h := cfg.Width, cfg.Height
	if transposed(o) {
		w, h = h, w
	}
	res := &Result{Width: w, Height: h}
	enc := encoder{alpha: !opaque(img), gray: isGray(img), icc: icc}
	switch img.(type) {
	case *image.RGBA, *image.NRGBA, *image.Gray:
	default:
		// x/image/draw reads other types (YCbCr from JPEG, paletted, CMYK, 16-bit) through a colour
		// conversion at every filter tap, about 12 per pixel when shrinking 3×: converting each
		// pixel once first makes scaling a JPEG 1.5× faster.
		rgba := image.NewRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
		stddraw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, stddraw.Src)
		img = rgba
	}

	// Largest first: a variant is scaled from the smallest image already made that is at least twice
	// its size (the source otherwise), which costs a fraction of scaling from the source and looks
	// the same. Scaling happens before turning upright, on far fewer pixels.
	var made []*image.RGBA
	for _, vw := range slices.Backward(p.opts.Widths) {
		if vw >= w {
			continue
		}
		vh := max(1, (h*vw+w/2)/w)
		sw, sh := vw, vh
		if transposed(o) {
			sw, sh = vh, vw
		}
		from := img
		for _, m := range made {
			if m.Rect.Dx() >= 2*sw {
				from = m
			}
		}
		dst := image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.CatmullRom.Scale(dst, dst.Rect, from, from.Bounds(), draw.Src, nil)
		made = append(made, dst)
		v, err := enc.encode(orient(dst, o), p.opts.Quality)
		if err != nil {
			return nil, err
		}
		res.Variants = append(res.Variants, v)
	}
	slices.Reverse(res.Variants)

	res.Original = Variant{Width: w, Height: h, Ext: f.ext()}
	switch {
	case p.opts.KeepMetadata:
		res.Original.Data = bytes.Clone(data)
	case o != 1:
		// Browsers turn a JPEG by its EXIF orientation, which stripping removes: bake it in instead.
		res.Original, err = enc.encode(orient(img, o), max(originalQuality, p.opts.Quality))
	case f == fmtJPEG:
		res.Original.Data, err = stripJPEG(data)
	case f == fmtPNG:
		res.Original.Data, err = stripPNG(data)
	case f == fmtGIF:
		res.Original.Data, err = stripGIF(data)
	case f == fmtWebP:
		res.Original.Data, err = stripWebP(data)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// encoder writes variants in the format their pixels call for: PNG when the source has any
// transparency, else JPEG (greyscale for greyscale sources). The source's ICC profile goes along
// when it fits the output's colour space.
type encoder struct {
	alpha, gray bool
	icc         []byte
}

func (e encoder) encode(img image.Image, quality int) (Variant, error) {
	b := img.Bounds()
	v := Variant{Width: b.Dx(), Height: b.Dy()}
	var buf bytes.Buffer
	if e.alpha {
		if err := png.Encode(&buf, img); err != nil {
			return Variant{}, fmt.Errorf("encoding PNG: %w", err)
		}
		v.Ext, v.Data = ".png", withICCChunk(buf.Bytes(), e.profile("RGB "))
		return v, nil
	}
	space := "RGB "
	if e.gray {
		img, space = toGray(img), "GRAY"
	}
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return Variant{}, fmt.Errorf("encoding JPEG: %w", err)
	}
	v.Ext, v.Data = ".jpg", withSegments(buf.Bytes(), iccSegments(e.profile(space)))
	return v, nil
}

// profile returns the ICC profile if it describes colour space space ("RGB ", "GRAY"): a CMYK
// profile does not fit the RGB pixels the decoder produced.
func (e encoder) profile(space string) []byte {
	if len(e.icc) < 128 || string(e.icc[16:20]) != space {
		return nil
	}
	return e.icc
}

// toGray returns the grey levels of an image whose pixels are all grey.
func toGray(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.RGBA:
		g := image.NewGray(m.Rect)
		for y := range m.Rect.Dy() {
			src := m.Pix[y*m.Stride:]
			dst := g.Pix[y*g.Stride : y*g.Stride+m.Rect.Dx()]
			for x := range dst {
				dst[x] = src[4*x]
			}
		}
		return g
	}
	return img
}
