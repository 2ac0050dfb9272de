package images

import (
	"encoding/binary"
	"fmt"
)

// walkWebP visits the chunks of a RIFF WEBP file with their FourCC, payload and data[start:end], the
// whole chunk with its padding byte.
func walkWebP(data []byte, visit func(fourcc string, payload []byte, start, end int)) error {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return fmt.Errorf("%w: not a WebP", ErrCorrupt)
	}
	size := uint64(binary.LittleEndian.Uint32(data[4:])) + 8
	if size > uint64(len(data)) {
		return fmt.Errorf("%w: truncated WebP", ErrCorrupt)
	}
	data = data[:size] // anything after the RIFF form is not part of the image
	for i := 12; i < len(data); {
		if i+8 > len(data) {
			return fmt.Errorf("%w: truncated WebP", ErrCorrupt)
		}
		n := uint64(binary.LittleEndian.Uint32(data[i+4:]))
		end := uint64(i) + 8 + n + n&1
		if uint64(i)+8+n > uint64(len(data)) {
			return fmt.Errorf("%w: truncated WebP", ErrCorrupt)
		}
		end = min(end, uint64(len(data))) // a missing last padding byte is common and harmless
		visit(string(data[i:i+4]), data[i+8:uint64(i)+8+n], i, int(end))
		i = int(end)
	}
	return nil
}

// VP8X flag bits.
const (
	vp8xICC  = 0x20
	vp8xExif = 0x08
	vp8xXMP  = 0x04
	vp8xAnim = 0x02
)

// stripWebP removes the EXIF, XMP and unknown chunks of a WebP (and the EXIF and XMP flags in its
// VP8X header) without re-encoding it.
func stripWebP(data []byte) ([]byte, error) {
	out := make([]byte, 12, len(data))
	copy(out, data[:12])
	err := walkWebP(data, func(fourcc string, payload []byte, start, end int) {
		switch fourcc {
		case "VP8 ", "VP8L", "VP8X", "ALPH", "ICCP", "ANIM", "ANMF":
		default:
			return
		}
		out = append(out, data[start:end]...)
		if fourcc == "VP8X" && len(payload) > 0 {
			out[len(out)-(end-start)+8] &^= vp8xExif | vp8xXMP
		}
	})
	if err != nil {
		return nil, err
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out, nil
}

// webpMeta reports whether a WebP is animated (which x/image/webp cannot decode) and returns its ICC
// profile, or nil.
func webpMeta(data []byte) (animated bool, icc []byte) {
	_ = walkWebP(data, func(fourcc string, payload []byte, _, _ int) {
		switch fourcc {
		case "VP8X":
			animated = len(payload) > 0 && payload[0]&vp8xAnim != 0
		case "ANIM", "ANMF":
			animated = true
		case "ICCP":
			if icc == nil && len(payload) > 0 {
				icc = payload
			}
		}
	})
	return animated, icc
}
