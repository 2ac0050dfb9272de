package images

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
)

// JPEG markers this file cares about.
const (
	mSOI  = 0xD8
	mEOI  = 0xD9
	mSOS  = 0xDA
	mAPP0 = 0xE0
	mAPP1 = 0xE1
	mAPP2 = 0xE2
	mAPPE = 0xEE // APP14, "Adobe": says how to convert the decoded channels to colour
	mAPPF = 0xEF
	mCOM  = 0xFE
)

const iccTag = "ICC_PROFILE\x00"

// walkJPEG visits a JPEG's marker segments from just after SOI up to and including EOI, calling
// visit with each marker and data[start:end], the segment's bytes (marker, length and payload, or
// just the two marker bytes for RSTn and EOI). The entropy-coded data after an SOS header is
// visited as marker 0. visit returns false to stop early. Bytes after EOI are never visited.
func walkJPEG(data []byte, visit func(m byte, start, end int) bool) error {
	if len(data) < 2 || data[0] != 0xFF || data[1] != mSOI {
		return fmt.Errorf("%w: not a JPEG", ErrCorrupt)
	}
	i := 2
	for {
		if i < len(data) && data[i] != 0xFF {
			// Junk before a marker: libjpeg and image/jpeg skip it, and so do we (dropping it).
			k := bytes.IndexByte(data[i:], 0xFF)
			if k < 0 {
				return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
			}
			i += k
		}
		if i >= len(data) {
			return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
		}
		start := i
		for i < len(data) && data[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(data) {
			return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
		}
		m := data[i]
		i++
		if m == mEOI || (m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == mSOI {
			if m == mSOI {
				return fmt.Errorf("%w: JPEG has a second SOI marker", ErrCorrupt)
			}
			if !visit(m, start, i) || m == mEOI {
				return nil
			}
			continue
		}
		if m == 0x00 {
			return fmt.Errorf("%w: JPEG marker expected at byte %d", ErrCorrupt, start)
		}
		if i+2 > len(data) {
			return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
		}
		i += n
		if !visit(m, start, i) {
			return nil
		}
		if m != mSOS {
			continue
		}
		// Entropy-coded data runs to the next marker other than a stuffed 0xFF00 or an RSTn.
		scan := i
		for {
			k := bytes.IndexByte(data[i:], 0xFF)
			if k < 0 || i+k+1 >= len(data) {
				return fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
			}
			i += k
			if b := data[i+1]; b == 0x00 || (b >= 0xD0 && b <= 0xD7) {
				i += 2
				continue
			}
			break
		}
		if i > scan && !visit(0, scan, i) {
			return nil
		}
	}
}

// jpegMeta reads what processing needs from a JPEG's header segments: the EXIF orientation (1 when
// absent) and the ICC colour profile (nil when absent). Malformed metadata is ignored; the decoder
// reports a broken image.
func jpegMeta(data []byte) (orientation int, icc []byte) {
	orientation = 1
	seenExif := false
	var chunks [][]byte
	_ = walkJPEG(data, func(m byte, start, end int) bool {
		if m == mSOS || m == 0 {
			return false
		}
		if end-start < 4 {
			return true
		}
		p := data[start+4 : end]
		switch {
		case m == mAPP1 && !seenExif && bytes.HasPrefix(p, []byte("Exif\x00\x00")):
			seenExif = true
			orientation = exifOrientation(p[6:])
		case m == mAPP2 && bytes.HasPrefix(p, []byte(iccTag)) && len(p) > len(iccTag)+2:
			chunks = append(chunks, p[len(iccTag):])
		}
		return true
	})
	icc = joinICCChunks(chunks)
	return orientation, icc
}

// joinICCChunks puts an ICC profile split over APP2 segments back together. Each chunk starts with
// its 1-based sequence number and the chunk count; a profile with missing chunks is dropped.
func joinICCChunks(chunks [][]byte) []byte {
	if len(chunks) == 0 {
		return nil
	}
	count := int(chunks[0][1])
	if count != len(chunks) {
		return nil
	}
	ordered := make([][]byte, count)
	for _, c := range chunks {
		seq := int(c[0])
		if int(c[1]) != count || seq < 1 || seq > count || ordered[seq-1] != nil {
			return nil
		}
		ordered[seq-1] = c[2:]
	}
	return bytes.Join(ordered, nil)
}

// iccSegments returns profile as the APP2 segments that carry it in a JPEG, or nil when it does not
// fit (more than 255 chunks).
func iccSegments(profile []byte) []byte {
	const max = 0xFFFF - 2 - len(iccTag) - 2
	n := (len(profile) + max - 1) / max
	if n == 0 || n > 255 {
		return nil
	}
	out := make([]byte, 0, len(profile)+n*(4+len(iccTag)+2))
	for seq := 1; len(profile) > 0; seq++ {
		c := profile[:min(max, len(profile))]
		profile = profile[len(c):]
		out = append(out, 0xFF, mAPP2)
		out = binary.BigEndian.AppendUint16(out, uint16(2+len(iccTag)+2+len(c)))
		out = append(out, iccTag...)
		out = append(out, byte(seq), byte(n))
		out = append(out, c...)
	}
	return out
}

// withSegments returns a JPEG with segs inserted right after its SOI marker.
func withSegments(jpg, segs []byte) []byte {
	if len(segs) == 0 {
		return jpg
	}
	return slices.Concat(jpg[:2], segs, jpg[2:])
}

// stripJPEG removes metadata from a JPEG without touching the image data: every APPn segment except
// a JFIF APP0 (its embedded thumbnail dropped), ICC_PROFILE APP2 and Adobe APP14, every COM segment,
// and whatever follows EOI (phones append Multi-Picture, depth and motion-photo data there, each with
// its own EXIF). Everything else is copied as it is.
func stripJPEG(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, 0xFF, mSOI)
	err := walkJPEG(data, func(m byte, start, end int) bool {
		seg := data[start:end]
		var p []byte
		if len(seg) >= 4 && m != 0 {
			p = seg[4:]
		}
		switch {
		case m == mAPP0:
			if bytes.HasPrefix(p, []byte("JFIF\x00")) && len(p) >= 14 {
				out = append(out, 0xFF, mAPP0, 0, 16)
				out = append(out, p[:12]...)
				out = append(out, 0, 0) // no thumbnail
			}
		case m == mAPP2:
			if bytes.HasPrefix(p, []byte(iccTag)) {
				out = append(out, seg...)
			}
		case m == mAPPE:
			if bytes.HasPrefix(p, []byte("Adobe")) {
				out = append(out, seg...)
			}
		case m >= mAPP0 && m <= mAPPF, m == mCOM:
			// metadata: dropped
		default:
			out = append(out, seg...)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(out) < 4 || out[len(out)-1] != mEOI {
		return nil, fmt.Errorf("%w: truncated JPEG", ErrCorrupt)
	}
	return out, nil
}
