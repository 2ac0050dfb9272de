package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"testing"
)

// Quadrant colours of the test pictures, far apart so JPEG never confuses them.
var (
	red   = color.RGBA{230, 20, 20, 255}
	green = color.RGBA{20, 200, 20, 255}
	blue  = color.RGBA{20, 20, 230, 255}
	white = color.RGBA{250, 250, 250, 255}
)

// quadrants returns a w×h picture, upright: red top-left, green top-right, blue bottom-left,
// white bottom-right.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := [2][2]color.RGBA{{red, green}, {blue, white}}[btoi(y >= h/2)][btoi(x >= w/2)]
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkQuadrants fails unless img shows the quadrants picture upright.
func checkQuadrants(t *testing.T, what string, img image.Image) {
	t.Helper()
	b := img.Bounds()
	at := func(fx, fy float64) image.Point {
		return image.Pt(b.Min.X+int(fx*float64(b.Dx())), b.Min.Y+int(fy*float64(b.Dy())))
	}
	for _, q := range []struct {
		p    image.Point
		want color.RGBA
		name string
	}{
		{at(0.25, 0.25), red, "top-left"},
		{at(0.75, 0.25), green, "top-right"},
		{at(0.25, 0.75), blue, "bottom-left"},
		{at(0.75, 0.75), white, "bottom-right"},
	} {
		r, g, bl, _ := img.At(q.p.X, q.p.Y).RGBA()
		got := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
		if !near(got, q.want) {
			t.Errorf("%s: %s pixel is %v, want about %v", what, q.name, got, q.want)
		}
	}
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) < 40 && d(a.G, b.G) < 40 && d(a.B, b.B) < 40
}

// storedFor returns how a camera with EXIF orientation o stores the upright picture up: the
// inverse of the turn a viewer applies, written as plain geometry.
func storedFor(up *image.RGBA, o int) *image.RGBA {
	w, h := up.Rect.Dx(), up.Rect.Dy()
	var dw, dh int
	var to func(x, y int) (int, int)
	switch o {
	case 1:
		dw, dh, to = w, h, func(x, y int) (int, int) { return x, y }
	case 2: // flip left-right
		dw, dh, to = w, h, func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // rotate 180°
		dw, dh, to = w, h, func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // flip top-bottom
		dw, dh, to = w, h, func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // transpose
		dw, dh, to = h, w, func(x, y int) (int, int) { return y, x }
	case 6: // the viewer turns clockwise, so the camera stored it turned counter-clockwise
		dw, dh, to = h, w, func(x, y int) (int, int) { return y, w - 1 - x }
	case 7: // transverse
		dw, dh, to = h, w, func(x, y int) (int, int) { return h - 1 - y, w - 1 - x }
	case 8: // the viewer turns counter-clockwise, so the camera stored it turned clockwise
		dw, dh, to = h, w, func(x, y int) (int, int) { return h - 1 - y, x }
	}
	s := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			sx, sy := to(x, y)
			s.Set(sx, sy, up.At(x, y))
		}
	}
	return s
}

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Strings planted in test metadata; none may reach an output.
const (
	secretGPS     = "SECRET-HOME-ADDRESS"
	secretMake    = "SECRET-CAMERA"
	secretXMP     = "SECRET-XMP"
	secretIPTC    = "SECRET-IPTC"
	secretComment = "SECRET-COMMENT"
	secretTrailer = "SECRET-TRAILER"
)

// ifdEntry is one TIFF tag: its value bytes go inline when they fit in 4 bytes.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

// exifTIFF builds an EXIF TIFF block in byte order bo: IFD0 with Make, Orientation (when o > 0)
// and a GPS IFD pointer; the GPS IFD with latitude, longitude (21°01'N 105°51'E, made up) and an
// area string.
func exifTIFF(bo binary.ByteOrder, o int) []byte {
	ap := bo.(binary.AppendByteOrder)
	short := func(v uint16) []byte { return ap.AppendUint16(nil, v) }
	long := func(v uint32) []byte { return ap.AppendUint32(nil, v) }
	rationals := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = ap.AppendUint32(b, v)
			b = ap.AppendUint32(b, 1)
		}
		return b
	}
	gps := []ifdEntry{
		{0x0001, 2, 2, []byte("N\x00")},
		{0x0002, 5, 3, rationals(21, 1, 30)},
		{0x0003, 2, 2, []byte("E\x00")},
		{0x0004, 5, 3, rationals(105, 51, 12)},
		{0x001C, 7, uint32(len(secretGPS)), []byte(secretGPS)},
	}
	ifd0 := []ifdEntry{{0x010F, 2, uint32(len(secretMake) + 1), []byte(secretMake + "\x00")}}
	if o > 0 {
		ifd0 = append(ifd0, ifdEntry{0x0112, 3, 1, short(uint16(o))})
	}
	ifd0 = append(ifd0, ifdEntry{0x8825, 4, 1, long(0)}) // patched below

	var b []byte
	if bo == binary.ByteOrder(binary.LittleEndian) {
		b = append(b, "II*\x00"...)
	} else {
		b = append(b, "MM\x00*"...)
	}
	b = ap.AppendUint32(b, 8)
	// writeIFD appends an IFD at the end of b, its out-of-line values after it, and returns the
	// offset of each entry's value field.
	writeIFD := func(es []ifdEntry) []int {
		start := len(b)
		data := start + 2 + 12*len(es) + 4
		var extra []byte
		fields := make([]int, len(es))
		b = ap.AppendUint16(b, uint16(len(es)))
		for i, e := range es {
			b = ap.AppendUint16(b, e.tag)
			b = ap.AppendUint16(b, e.typ)
			b = ap.AppendUint32(b, e.count)
			fields[i] = len(b)
			if len(e.value) <= 4 {
				b = append(b, e.value...)
				b = append(b, make([]byte, 4-len(e.value))...)
			} else {
				b = ap.AppendUint32(b, uint32(data+len(extra)))
				extra = append(extra, e.value...)
				if len(extra)%2 == 1 {
					extra = append(extra, 0)
				}
			}
		}
		b = ap.AppendUint32(b, 0) // no next IFD
		b = append(b, extra...)
		return fields
	}
	fields := writeIFD(ifd0)
	bo.PutUint32(b[fields[len(fields)-1]:], uint32(len(b)))
	writeIFD(gps)
	return b
}

// segment returns a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker}
	s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
	return append(s, payload...)
}

// withExif puts an APP1 Exif segment holding tiff right after a JPEG's SOI.
func withExif(jpg, tiff []byte) []byte {
	return slices.Concat(jpg[:2], segment(0xE1, append([]byte("Exif\x00\x00"), tiff...)), jpg[2:])
}

// fakeICC is a minimal ICC profile header: enough for the colour-space check, not for a CMS.
func fakeICC(space string, size int) []byte {
	p := make([]byte, size)
	binary.BigEndian.PutUint32(p, uint32(size))
	copy(p[16:], space)
	copy(p[36:], "acsp")
	for i := 128; i < size; i++ {
		p[i] = byte(i)
	}
	return p
}

// phoneJPEG dresses a JPEG as a phone would: JFIF with a thumbnail, EXIF with orientation o and
// GPS, XMP, IPTC, a comment, an ICC profile and a trailer after EOI.
func phoneJPEG(jpg []byte, bo binary.ByteOrder, o int, icc []byte) []byte {
	jfif := append([]byte("JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x01\x01"), 1, 2, 3) // 1×1 thumbnail
	segs := slices.Concat(
		segment(0xE0, jfif),
		segment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(bo, o)...)),
		segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+secretXMP+"</x:xmpmeta>")),
		segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04"+secretIPTC)),
		iccSegments(icc),
		segment(0xFE, []byte(secretComment)),
	)
	return slices.Concat(jpg[:2], segs, jpg[2:], []byte(secretTrailer))
}

// pngChunk returns a PNG chunk with its CRC.
func pngChunk(typ string, payload []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	c = append(c, typ...)
	c = append(c, payload...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// afterIHDR inserts chunks right after a PNG's IHDR.
func afterIHDR(p []byte, chunks ...[]byte) []byte {
	at := 8 + 8 + 13 + 4
	return slices.Concat(p[:at], slices.Concat(chunks...), p[at:])
}

// tiffHeaders counts the TIFF (EXIF) structures anywhere in b, and among their IFD0s the entries
// with tag 0x8825, the GPS IFD pointer.
func tiffHeaders(b []byte) (tiffs, gps int) {
	for _, h := range []struct {
		magic string
		bo    binary.ByteOrder
	}{{"II*\x00", binary.LittleEndian}, {"MM\x00*", binary.BigEndian}} {
		for i := 0; ; i++ {
			k := bytes.Index(b[i:], []byte(h.magic))
			if k < 0 {
				break
			}
			i += k
			tiff := b[i:]
			if len(tiff) < 8 {
				continue
			}
			off := int(h.bo.Uint32(tiff[4:]))
			if off < 8 || off+2 > len(tiff) {
				continue
			}
			tiffs++
			n := int(h.bo.Uint16(tiff[off:]))
			for e := off + 2; e+12 <= len(tiff) && n > 0; e, n = e+12, n-1 {
				if h.bo.Uint16(tiff[e:]) == 0x8825 {
					gps++
				}
			}
		}
	}
	return tiffs, gps
}

// checkClean fails if a published file carries EXIF, a GPS IFD or any planted secret.
func checkClean(t *testing.T, what string, b []byte) {
	t.Helper()
	if bytes.Contains(b, []byte("Exif\x00\x00")) {
		t.Errorf("%s contains an Exif header", what)
	}
	if _, gps := tiffHeaders(b); gps > 0 {
		t.Errorf("%s contains a GPS IFD pointer (tag 0x8825)", what)
	}
	for _, s := range []string{secretGPS, secretMake, secretXMP, secretIPTC, secretComment, secretTrailer, "SECRET"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%s contains %q", what, s)
		}
	}
	if sniff(b) == fmtJPEG {
		walkJPEG(b, func(m byte, start, end int) bool {
			switch m {
			case 0xE1, 0xED, 0xFE:
				t.Errorf("%s has a JPEG segment 0x%X", what, m)
			}
			return true
		})
	}
}

// decodeAny decodes a published file, failing the test if it does not decode to w×h.
func decodeAny(t *testing.T, what string, v Variant) image.Image {
	t.Helper()
	f := sniff(v.Data)
	if f.ext() != v.Ext {
		t.Fatalf("%s: Ext %q but the bytes are %s", what, v.Ext, f)
	}
	cfg, err := decodeConfig(f, v.Data)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	img, err := decodePixels(f, v.Data, cfg)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Fatalf("%s: decodes to %dx%d, Variant says %dx%d", what, b.Dx(), b.Dy(), v.Width, v.Height)
	}
	return img
}
