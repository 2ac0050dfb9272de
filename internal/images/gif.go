package images

import (
	"bytes"
	"fmt"
)

// stripGIF removes comment extensions, unknown extensions and application extensions other than
// looping (NETSCAPE2.0, ANIMEXTS1.0) and colour profiles (ICCRGBG1) from a GIF, XMP among them, and
// anything after the trailer. Frames, palettes and timing are copied as they are, so an animation stays animated.
func stripGIF(data []byte) ([]byte, error) {
	errTrunc := fmt.Errorf("%w: truncated GIF", ErrCorrupt)
	if len(data) < 13 || (string(data[:6]) != "GIF87a" && string(data[:6]) != "GIF89a") {
		return nil, fmt.Errorf("%w: not a GIF", ErrCorrupt)
	}
	i := 13
	if flags := data[10]; flags&0x80 != 0 {
		i += 3 << (flags&7 + 1) // global colour table
	}
	if i > len(data) {
		return nil, errTrunc
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:i]...)
	// subBlocks returns the offset just past the run of data sub-blocks starting at j.
	subBlocks := func(j int) (int, error) {
		for {
			if j >= len(data) {
				return 0, errTrunc
			}
			n := int(data[j])
			j += 1 + n
			if n == 0 {
				return j, nil
			}
		}
	}
	for {
		if i >= len(data) {
			return nil, errTrunc
		}
		switch data[i] {
		case 0x3B: // trailer
			return append(out, 0x3B), nil
		case 0x21: // extension: label, then sub-blocks
			if i+2 > len(data) {
				return nil, errTrunc
			}
			label := data[i+1]
			end, err := subBlocks(i + 2)
			if err != nil {
				return nil, err
			}
			keep := label == 0xF9 || label == 0x01 // graphic control (timing, transparency), plain text
			if label == 0xFF {
				id := data[i+2 : end]
				keep = len(id) > 12 && id[0] == 11 &&
					(bytes.HasPrefix(id[1:], []byte("NETSCAPE2.0")) ||
						bytes.HasPrefix(id[1:], []byte("ANIMEXTS1.0")) ||
						bytes.HasPrefix(id[1:], []byte("ICCRGBG1")))
			}
			if keep {
				out = append(out, data[i:end]...)
			}
			i = end
		case 0x2C: // image descriptor, local colour table, LZW code size, sub-blocks
			j := i + 10
			if j > len(data) {
				return nil, errTrunc
			}
			if flags := data[i+9]; flags&0x80 != 0 {
				j += 3 << (flags&7 + 1)
			}
			end, err := subBlocks(j + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, data[i:end]...)
			i = end
		default:
			return nil, fmt.Errorf("%w: GIF block expected at byte %d", ErrCorrupt, i)
		}
	}
}
