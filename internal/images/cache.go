package images

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// version names the processing code. Bump it whenever the same source and settings would now give
// different bytes, so that caches kept between builds (CI keeps resources/) are not reused.
const version = 2

// cacheSubdir is where in CacheDir this package keeps its files: resources/ may be shared with
// other kinds of cached work later.
const cacheSubdir = "images"

// entryMagic starts every cache file.
const entryMagic = "bantin-images\x00"

// castagnoli is the CRC-32C table, hardware-accelerated on amd64 and arm64.
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// settingsKey spells out everything besides the source bytes that changes a result.
func settingsKey(o Options) string {
	return fmt.Sprintf("bantin/images v%d\nop=upright,strip,resize(catmullrom),encode\nwidths=%v\nquality=%d\nkeep_metadata=%t\n",
		version, o.Widths, o.Quality, o.KeepMetadata)
}

// cacheKey names the result of processing data with p's settings: a hex SHA-256 of the settings and
// of the source's own SHA-256.
func (p *Processor) cacheKey(data []byte) string {
	src := sha256.Sum256(data)
	h := sha256.New()
	h.Write([]byte(p.settings))
	h.Write(src[:])
	return hex.EncodeToString(h.Sum(nil))
}

// cachePath is the file of a key: CacheDir/images/ab/abcdef….
func (p *Processor) cachePath(key string) string {
	return filepath.Join(p.opts.CacheDir, cacheSubdir, key[:2], key)
}

// readCache returns the cached result of key, or nil. A missing, unreadable or corrupt entry is a
// miss; writeCache then replaces it.
func (p *Processor) readCache(key string) *Result {
	if p.opts.CacheDir == "" {
		return nil
	}
	b, err := os.ReadFile(p.cachePath(key))
	if err != nil {
		p.misses.Add(1)
		return nil
	}
	r, err := decodeEntry(b)
	if err != nil {
		p.misses.Add(1)
		return nil
	}
	p.hits.Add(1)
	return r
}

// writeCache stores r under key, atomically: readers see the old entry, no entry or the new one.
func (p *Processor) writeCache(key string, r *Result) (err error) {
	if p.opts.CacheDir == "" || p.opts.ReadOnly {
		return nil
	}
	path := p.cachePath(key)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-"+key[:8]+"-*")
	if err != nil {
		return fmt.Errorf("image cache: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("image cache: %w", err)
		}
	}()
	if _, err := f.Write(encodeEntry(r)); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// encodeEntry serializes a result: the magic, uvarints for the size and each file's width, height,
// extension and data length, the files' bytes, then a CRC-32C of all that.
func encodeEntry(r *Result) []byte {
	files := append([]Variant{r.Original}, r.Variants...)
	n := len(entryMagic) + 3*binary.MaxVarintLen64 + 4
	for _, v := range files {
		n += 4*binary.MaxVarintLen64 + len(v.Ext) + len(v.Data)
	}
	b := make([]byte, 0, n)
	b = append(b, entryMagic...)
	b = binary.AppendUvarint(b, uint64(r.Width))
	b = binary.AppendUvarint(b, uint64(r.Height))
	b = binary.AppendUvarint(b, uint64(len(files)))
	for _, v := range files {
		b = binary.AppendUvarint(b, uint64(v.Width))
		b = binary.AppendUvarint(b, uint64(v.Height))
		b = binary.AppendUvarint(b, uint64(len(v.Ext)))
		b = append(b, v.Ext...)
		b = binary.AppendUvarint(b, uint64(len(v.Data)))
	}
	for _, v := range files {
		b = append(b, v.Data...)
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli()))
}

var errEntry = errors.New("corrupt cache entry")

// decodeEntry parses what encodeEntry wrote. The result's data slices point into b.
func decodeEntry(b []byte) (*Result, error) {
	if len(b) < len(entryMagic)+4 || !bytes.HasPrefix(b, []byte(entryMagic)) {
		return nil, errEntry
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli()) != binary.BigEndian.Uint32(b[len(body):]) {
		return nil, errEntry
	}
	r, lens, n, err := decodeHeader(body)
	if err != nil {
		return nil, err
	}
	rest := body[n:]
	files := append([]Variant{r.Original}, r.Variants...)
	for i := range files {
		if lens[i] > len(rest) {
			return nil, errEntry
		}
		files[i].Data, rest = rest[:lens[i]:lens[i]], rest[lens[i]:]
	}
	if len(rest) != 0 {
		return nil, errEntry
	}
	r.Original = files[0]
	if len(files) > 1 {
		r.Variants = files[1:]
	}
	return r, nil
}

// decodeHeader parses an entry's sizes: the result without its bytes, each
// file's data length, and where the data starts in b. b need not hold the data.
func decodeHeader(b []byte) (r *Result, lens []int, n int, err error) {
	if !bytes.HasPrefix(b, []byte(entryMagic)) {
		return nil, nil, 0, errEntry
	}
	rest := b[len(entryMagic):]
	next := func() (int, bool) {
		v, n := binary.Uvarint(rest)
		if n <= 0 || v > 1<<31 {
			return 0, false
		}
		rest = rest[n:]
		return int(v), true
	}
	w, ok1 := next()
	h, ok2 := next()
	count, ok3 := next()
	if !ok1 || !ok2 || !ok3 || count < 1 || count > len(rest) {
		return nil, nil, 0, errEntry
	}
	files := make([]Variant, count)
	lens = make([]int, count)
	for i := range files {
		var ok [4]bool
		var extLen int
		files[i].Width, ok[0] = next()
		files[i].Height, ok[1] = next()
		extLen, ok[2] = next()
		if !ok[0] || !ok[1] || !ok[2] || extLen > len(rest) {
			return nil, nil, 0, errEntry
		}
		files[i].Ext, rest = string(rest[:extLen]), rest[extLen:]
		lens[i], ok[3] = next()
		if !ok[3] {
			return nil, nil, 0, errEntry
		}
	}
	r = &Result{Width: w, Height: h, Original: files[0]}
	if count > 1 {
		r.Variants = files[1:]
	}
	return r, lens, len(b) - len(rest), nil
}

// peekCache returns the sizes of the cached result of key, without its
// bytes and without checking them (Cached does), or nil.
func (p *Processor) peekCache(key string) *Result {
	if p.opts.CacheDir == "" {
		return nil
	}
	f, err := os.Open(p.cachePath(key))
	if err != nil {
		return nil
	}
	defer f.Close()
	var buf [1024]byte
	n, _ := io.ReadFull(f, buf[:])
	r, lens, start, err := decodeHeader(buf[:n])
	if err != nil {
		return nil
	}
	size := int64(start + 4)
	for _, l := range lens {
		size += int64(l)
	}
	if info, err := f.Stat(); err != nil || info.Size() != size {
		return nil
	}
	return r
}

// Prune removes the cache entries whose keys are not in keep (what the last
// build used), so that resources/ does not grow with every photo ever
// replaced or setting ever changed. It only removes files that look like
// this package's entries. It returns how many it removed.
func (p *Processor) Prune(keep map[string]bool) (int, error) {
	if p.opts.CacheDir == "" || p.opts.ReadOnly {
		return 0, nil
	}
	root := filepath.Join(p.opts.CacheDir, cacheSubdir)
	dirs, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		dir := filepath.Join(root, d.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			return removed, err
		}
		left := len(entries)
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || len(name) != sha256.Size*2 || name[:2] != d.Name() || keep[name] {
				continue
			}
			if _, err := hex.DecodeString(name); err != nil {
				continue
			}
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return removed, err
			}
			removed++
			left--
		}
		if left == 0 {
			_ = os.Remove(dir)
		}
	}
	return removed, nil
}
