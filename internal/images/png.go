package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

const pngSignature = "\x89PNG\r\n\x1a\n"

// walkPNG visits a PNG's chunks up to and including IEND with the chunk type and data[start:end],
// the whole chunk (length, type, payload, CRC). Bytes after IEND are never visited.
func walkPNG(data []byte, visit func(typ string, start, end int)) error {
	if !bytes.HasPrefix(data, []byte(pngSignature)) {
		return fmt.Errorf("%w: not a PNG", ErrCorrupt)
	}
	for i := len(pngSignature); ; {
		if i+12 > len(data) {
			return fmt.Errorf("%w: truncated PNG", ErrCorrupt)
		}
		n := uint64(binary.BigEndian.Uint32(data[i:]))
		end := uint64(i) + 12 + n
		if end > uint64(len(data)) {
			return fmt.Errorf("%w: truncated PNG", ErrCorrupt)
		}
		typ := string(data[i+4 : i+8])
		visit(typ, i, int(end))
		if typ == "IEND" {
			return nil
		}
		i = int(end)
	}
}

// pngKeep reports whether stripPNG keeps a chunk: the critical ones (IHDR, PLTE, IDAT, IEND: an
// upper-case first letter) and those that change how the pixels look or move (transparency,
// colour, APNG animation). Text (tEXt, zTXt, iTXt: authors, software, comments, XMP), eXIf, tIME
// and private chunks go.
func pngKeep(typ string) bool {
	if typ[0] >= 'A' && typ[0] <= 'Z' {
		return true
	}
	switch typ {
	case "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCV", "cLLI", "mDCv", "cLLi",
		"sBIT", "bKGD", "pHYs", "acTL", "fcTL", "fdAT":
		return true
	}
	return false
}

// stripPNG removes the metadata chunks of a PNG, and anything after IEND, without re-encoding it.
func stripPNG(data []byte) ([]byte, error) {
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	err := walkPNG(data, func(typ string, start, end int) {
		if pngKeep(typ) {
			out = append(out, data[start:end]...)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxICC bounds a decompressed ICC profile; real ones are a few kilobytes to a megabyte.
const maxICC = 16 << 20

// pngICC returns the ICC profile of a PNG's iCCP chunk, or nil.
func pngICC(data []byte) []byte {
	var icc []byte
	_ = walkPNG(data, func(typ string, start, end int) {
		if typ != "iCCP" || icc != nil {
			return
		}
		p := data[start+8 : end-4]
		k := bytes.IndexByte(p, 0)
		if k < 1 || k+2 > len(p) || p[k+1] != 0 { // name, NUL, method 0 (zlib)
			return
		}
		zr, err := zlib.NewReader(bytes.NewReader(p[k+2:]))
		if err != nil {
			return
		}
		b, err := io.ReadAll(io.LimitReader(zr, maxICC+1))
		if err != nil || len(b) > maxICC || len(b) == 0 {
			return
		}
		icc = b
	})
	return icc
}

// withICCChunk returns an encoded PNG with an iCCP chunk carrying profile inserted after IHDR (which
// image/png always writes first).
func withICCChunk(png, profile []byte) []byte {
	if len(profile) == 0 {
		return png
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(profile) // a bytes.Buffer does not fail
	zw.Close()
	payload := append([]byte("icc\x00\x00"), z.Bytes()...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	chunk = append(chunk, "iCCP"...)
	chunk = append(chunk, payload...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := len(pngSignature) + 8 + 13 + 4 // IHDR's payload is 13 bytes
	return slices.Concat(png[:at], chunk, png[at:])
}
