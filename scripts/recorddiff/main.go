// Command recorddiff compares two of bantin's records (the .bantin file in an
// output folder: JSON, the published files under "files", each path under
// "p") for scripts/upload.sh, which needs to know what it may delete on a
// server:
//
//	go run ./scripts/recorddiff OLD NEW DELETE DIRS UNION
//
// OLD is the record last uploaded to the server ("" or a missing file: the
// first upload, nothing to delete); NEW is the record of the output about to
// be uploaded, which must be a complete record. It writes three files:
//
//   - DELETE: the paths OLD lists and NEW does not, NUL-separated (for
//     rsync --from0 --files-from --delete-missing-args): only files bantin
//     published itself, never anything else on the server;
//   - DIRS: the folders that held only such files, deepest first,
//     NUL-separated (for rmdir, which never removes a folder that is not empty);
//   - UNION: a record listing every path of OLD and NEW, marked incomplete,
//     uploaded before the files so that an upload that stops half-way still
//     leaves a record of everything bantin may have put on the server.
//
// A path that is not a plain relative path inside the output (an absolute
// path, "..", a control character, a backslash) makes OLD untrusted: nothing
// is deleted and a warning is printed. It makes NEW an error.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"bantin/internal/publish"
)

type record struct {
	Note     string `json:"note"`
	Version  int    `json:"bantin"`
	Complete bool   `json:"complete"`
	Files    []file `json:"files"`
}

type file struct {
	Path string `json:"p"`
	Sum  string `json:"s"`
	Size int64  `json:"n"`
}

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: recorddiff OLD NEW DELETE DIRS UNION")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]); err != nil {
		fmt.Fprintln(os.Stderr, "recorddiff:", err)
		os.Exit(1)
	}
}

func run(oldName, newName, deleteName, dirsName, unionName string) error {
	nr, err := read(newName)
	if err != nil {
		return fmt.Errorf("new record %s: %w", newName, err)
	}
	if !nr.Complete {
		return fmt.Errorf("new record %s is incomplete: the build into that folder did not finish; build again", newName)
	}
	var or record
	if oldName != "" {
		if _, err := os.Stat(oldName); err == nil {
			r, err := read(oldName)
			if err != nil {
				fmt.Fprintf(os.Stderr, "recorddiff: warning: the server's record is not trusted (%v): nothing is deleted this time\n", err)
			} else {
				or = r
			}
		}
	}
	keep := map[string]bool{}
	keepDirs := map[string]bool{}
	for _, f := range nr.Files {
		keep[f.Path] = true
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			keepDirs[d] = true
		}
	}
	var del []string
	dirs := map[string]bool{}
	union := record{Note: nr.Note, Version: nr.Version, Complete: false, Files: slices.Clone(nr.Files)}
	for _, f := range or.Files {
		if keep[f.Path] {
			continue
		}
		del = append(del, f.Path)
		union.Files = append(union.Files, f)
		for d := path.Dir(f.Path); d != "." && !keepDirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	slices.Sort(del)
	slices.SortFunc(union.Files, func(a, b file) int { return strings.Compare(a.Path, b.Path) })
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	// Deepest first, so that a folder is emptied of its folders before it is removed.
	slices.SortFunc(dirList, func(a, b string) int {
		if n := strings.Count(b, "/") - strings.Count(a, "/"); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	if err := os.WriteFile(deleteName, nul(del), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(dirsName, nul(dirList), 0o644); err != nil {
		return err
	}
	b, err := json.Marshal(union)
	if err != nil {
		return err
	}
	return os.WriteFile(unionName, b, 0o644)
}

// read reads a record, trusted as a build trusts the one in its
// destination (publish.CheckRecord: version, paths, duplicates).
func read(name string) (record, error) {
	var r record
	b, err := os.ReadFile(name)
	if err != nil {
		return r, err
	}
	if err := publish.CheckRecord(b); err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("not a bantin record: %w", err)
	}
	return r, nil
}

// nul joins paths, each followed by a NUL byte.
func nul(paths []string) []byte {
	var b []byte
	for _, p := range paths {
		b = append(b, p...)
		b = append(b, 0)
	}
	return b
}
