package publish

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"
)

// recordVersion is the record's format; a record of another version is not
// trusted (an older bantin wrote it, or a person edited it).
const recordVersion = 2

// recordNote is written into every record for whoever opens it.
const recordNote = "bantin's record of the files it published in this folder (path, sha256, size). " +
	"Safe to delete: the next build then rewrites every page and deletes nothing it finds here."

// record is the marker file's content: JSON, so no path can forge another
// line of it (the text format it replaced split on newlines and spaces).
type record struct {
	Note    string `json:"note"`
	Version int    `json:"bantin"`
	// Complete is false while a build moves files into a destination it
	// cannot swap whole (a mount point): then Files lists everything the
	// old and the new output published, for cleaning up, and none of its
	// sums is believed.
	Complete bool         `json:"complete"`
	Files    []recordFile `json:"files"`
}

type recordFile struct {
	Path string `json:"p"`
	Sum  string `json:"s"` // hex of entry.sum
	Size int64  `json:"n"`
	// From is, for a precompressed companion, what it was made from (hex
	// of entry.from); absent for every other file and in older records.
	From string `json:"f,omitempty"`
}

// encodeRecord is the record for the published files, sorted by path.
func encodeRecord(paths map[string]entry, complete bool) []byte {
	r := record{Note: recordNote, Version: recordVersion, Complete: complete, Files: make([]recordFile, 0, len(paths))}
	for p, e := range paths {
		f := recordFile{Path: p, Sum: hex.EncodeToString(e.sum[:]), Size: e.size}
		if e.from != ([16]byte{}) {
			f.From = hex.EncodeToString(e.from[:])
		}
		r.Files = append(r.Files, f)
	}
	slices.SortFunc(r.Files, func(a, b recordFile) int { return strings.Compare(a.Path, b.Path) })
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // strings and numbers always marshal
	}
	return b
}

// CheckRecord reports whether b is a record bantin trusts, as a build reads
// the one in its destination: the current version, every path one Write
// could publish, none twice (scripts/recorddiff, deciding what an upload may
// delete on a server, checks the server's copy with it).
func CheckRecord(b []byte) error {
	_, _, err := decodeRecord(b)
	return err
}

// decodeRecord reads a record back. Every path in it must be one Write
// could have published (validPath); anything else makes the whole record
// untrusted, so nothing it names is ever removed or reused.
func decodeRecord(b []byte) (files map[string]entry, complete bool, err error) {
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, false, fmt.Errorf("record unreadable: %w", err)
	}
	if r.Version != recordVersion {
		return nil, false, fmt.Errorf("record version %d, want %d", r.Version, recordVersion)
	}
	files = make(map[string]entry, len(r.Files))
	for _, f := range r.Files {
		if err := validPath(f.Path); err != nil {
			return nil, false, fmt.Errorf("record: %w", err)
		}
		if _, dup := files[f.Path]; dup {
			return nil, false, fmt.Errorf("record: %q listed twice", f.Path)
		}
		var e entry
		if len(f.Sum) != hex.EncodedLen(len(e.sum)) {
			return nil, false, fmt.Errorf("record: bad sum for %q", f.Path)
		}
		if _, err := hex.Decode(e.sum[:], []byte(f.Sum)); err != nil {
			return nil, false, fmt.Errorf("record: bad sum for %q", f.Path)
		}
		if f.Size < 0 {
			return nil, false, fmt.Errorf("record: bad size for %q", f.Path)
		}
		e.size = f.Size
		if f.From != "" {
			if len(f.From) != hex.EncodedLen(len(e.from)) {
				return nil, false, fmt.Errorf("record: bad origin for %q", f.Path)
			}
			if _, err := hex.Decode(e.from[:], []byte(f.From)); err != nil {
				return nil, false, fmt.Errorf("record: bad origin for %q", f.Path)
			}
		}
		files[f.Path] = e
	}
	return files, r.Complete, nil
}

// errReserved names output paths publish keeps for itself.
var errReserved = errors.New("is reserved for bantin's own files")

// validPath reports whether p is a path publish may write or remove: a
// slash-separated path inside the output (fs.ValidPath: no "..", ".", empty
// or leading-slash element), valid UTF-8 without control characters or
// backslashes, and not one of publish's own files.
func validPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("output path %q is outside the output folder", p)
	}
	if !utf8.ValidString(p) {
		return fmt.Errorf("output path %q is not UTF-8", p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '\\' || (r >= 0x80 && r < 0xa0) {
			return fmt.Errorf("output path %q holds a control character or backslash", p)
		}
	}
	for _, seg := range strings.Split(p, "/") {
		// Never into a Git worktree's own folder (a gh-pages checkout as the
		// output): an alias named .git/hooks/x would be a program run by git.
		if strings.EqualFold(seg, ".git") {
			return fmt.Errorf("output path %q %w", p, errReserved)
		}
	}
	top, _, _ := strings.Cut(p, "/")
	if top == Marker || top == StateFile || strings.HasPrefix(top, stagingPrefix) {
		return fmt.Errorf("output path %q %w", p, errReserved)
	}
	return nil
}
