package images

import (
	"bytes"
	"fmt"
	"image"
	stddraw "image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// format is an image file format, told from the file's first bytes.
type format int

const (
	unknown format = iota
	fmtJPEG
	fmtPNG
	fmtGIF
	fmtWebP
)

// ext is the file extension of a format's files.
func (f format) ext() string {
	return [...]string{"", ".jpg", ".png", ".gif", ".webp"}[f]
}

func (f format) String() string {
	return [...]string{"unknown", "JPEG", "PNG", "GIF", "WebP"}[f]
}

// sniff tells the format of an image from its magic bytes; file names are not trusted.
func sniff(data []byte) format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return fmtJPEG
	case bytes.HasPrefix(data, []byte(pngSignature)):
		return fmtPNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return fmtGIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return fmtWebP
	}
	return unknown
}

// decodeConfig reads an image's stored dimensions from its header, without decoding pixels.
func decodeConfig(f format, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch f {
	case fmtJPEG:
		return jpeg.DecodeConfig(r)
	case fmtPNG:
		return png.DecodeConfig(r)
	case fmtGIF:
		return gif.DecodeConfig(r)
	case fmtWebP:
		if animated, _ := webpMeta(data); animated {
			return image.Config{}, fmt.Errorf("%w: animated WebP", ErrUnsupported)
		}
		return webp.DecodeConfig(r)
	}
	return image.Config{}, ErrUnsupported
}

// decodePixels decodes a whole image (a GIF's first frame, drawn on its logical screen). The
// decoders parse untrusted bytes, so a panic in one is reported as a corrupt image.
func decodePixels(f format, data []byte, cfg image.Config) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%w: %s decoder failed: %v", ErrCorrupt, f, r)
		}
	}()
	r := bytes.NewReader(data)
	switch f {
	case fmtJPEG:
		img, err = jpeg.Decode(r)
	case fmtPNG:
		img, err = png.Decode(r)
	case fmtGIF:
		img, err = gif.Decode(r)
		screen := image.Rect(0, 0, cfg.Width, cfg.Height)
		if err == nil && img.Bounds() != screen {
			canvas := image.NewNRGBA(screen)
			stddraw.Draw(canvas, img.Bounds(), img, img.Bounds().Min, stddraw.Src)
			img = canvas
		}
	case fmtWebP:
		img, err = webp.Decode(r)
	default:
		err = ErrUnsupported
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, fmt.Errorf("%w: header says %d×%d, image is %d×%d", ErrCorrupt, cfg.Width, cfg.Height, b.Dx(), b.Dy())
	}
	return img, nil
}

// opaque reports whether every pixel of img is fully opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// isGray reports whether img has only grey levels by type (grayscale JPEG or PNG).
func isGray(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	return false
}

// orient returns img turned upright for EXIF orientation o. The result's bounds start at (0, 0).
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dr := image.Rect(0, 0, w, h)
	if transposed(o) {
		dr = image.Rect(0, 0, h, w)
	}
	// Pixel-buffer images: copy bpp bytes per pixel.
	var (
		pix        []byte
		stride     int
		bpp        int
		dst        image.Image
		dpix       []byte
		dstride    int
		srcOffsets func(x, y int) int
	)
	switch s := img.(type) {
	case *image.RGBA:
		d := image.NewRGBA(dr)
		pix, stride, bpp, dst, dpix, dstride, srcOffsets = s.Pix, s.Stride, 4, d, d.Pix, d.Stride, s.PixOffset
	case *image.NRGBA:
		d := image.NewNRGBA(dr)
		pix, stride, bpp, dst, dpix, dstride, srcOffsets = s.Pix, s.Stride, 4, d, d.Pix, d.Stride, s.PixOffset
	case *image.Gray:
		d := image.NewGray(dr)
		pix, stride, bpp, dst, dpix, dstride, srcOffsets = s.Pix, s.Stride, 1, d, d.Pix, d.Stride, s.PixOffset
	case *image.CMYK:
		d := image.NewCMYK(dr)
		pix, stride, bpp, dst, dpix, dstride, srcOffsets = s.Pix, s.Stride, 4, d, d.Pix, d.Stride, s.PixOffset
	default:
		c := image.NewRGBA(image.Rect(0, 0, w, h))
		stddraw.Draw(c, c.Bounds(), img, b.Min, stddraw.Src)
		return orient(c, o)
	}
	// In tiles of 16 rows × 64 pixels, so that a turn reads each source cache line once, not once per
	// row.
	const tileH, tileW = 16, 64
	for ty := 0; ty < dr.Dy(); ty += tileH {
		for tx := 0; tx < dr.Dx(); tx += tileW {
			n := min(tileW, dr.Dx()-tx)
			for dy := ty; dy < min(ty+tileH, dr.Dy()); dy++ {
				sx, sy, ix, iy := orientMap(o, w, h, dy)
				step := iy*stride + ix*bpp
				si := srcOffsets(b.Min.X+sx, b.Min.Y+sy) + tx*step
				row := dpix[dy*dstride+tx*bpp : dy*dstride+(tx+n)*bpp]
				if bpp == 4 { // the common case, without a memmove call per pixel
					for di := 0; di+4 <= len(row); di += 4 {
						s, d := pix[si:si+4:si+4], row[di:di+4:di+4]
						d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
						si += step
					}
					continue
				}
				for di := 0; di < len(row); di += bpp {
					copy(row[di:di+bpp], pix[si:si+bpp])
					si += step
				}
			}
		}
	}
	return dst
}
