package images

import "encoding/binary"

// exifOrientation returns the orientation (1–8) that IFD0 tag 0x0112 of an EXIF block records, or 1
// when there is none or it is malformed. tiff is the block after the "Exif\0\0" header: a TIFF header
// ("II*\0" little-endian or "MM\0*" big-endian, then the offset of IFD0) and the IFDs it points at.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := uint64(bo.Uint32(tiff[4:]))
	if off+2 > uint64(len(tiff)) {
		return 1
	}
	n := uint64(bo.Uint16(tiff[off:]))
	entries := off + 2
	for i := range n {
		e := entries + 12*i
		if e+12 > uint64(len(tiff)) {
			return 1
		}
		if bo.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		typ, count := bo.Uint16(tiff[e+2:]), bo.Uint32(tiff[e+4:])
		if count != 1 {
			return 1
		}
		var v uint32
		switch typ {
		case 3: // SHORT, the type the standard prescribes
			v = uint32(bo.Uint16(tiff[e+8:]))
		case 4: // LONG, written by a few tools
			v = bo.Uint32(tiff[e+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}

// orientMap says where upright pixel (0, y) comes from in a w×h stored image with EXIF orientation
// o, and how the source position moves as x grows by one.
func orientMap(o, w, h, y int) (sx, sy, dx, dy int) {
	switch o {
	case 2: // mirrored left-right
		return w - 1, y, -1, 0
	case 3: // turned 180°
		return w - 1, h - 1 - y, -1, 0
	case 4: // mirrored top-bottom
		return 0, h - 1 - y, 1, 0
	case 5: // transposed
		return y, 0, 0, 1
	case 6: // stored turned 90° counter-clockwise: turn clockwise to show
		return y, h - 1, 0, -1
	case 7: // transversed
		return w - 1 - y, h - 1, 0, -1
	case 8: // stored turned 90° clockwise: turn counter-clockwise to show
		return w - 1 - y, 0, 0, 1
	}
	return 0, y, 1, 0
}

// transposed reports whether orientation o swaps width and height.
func transposed(o int) bool { return o >= 5 && o <= 8 }
