package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Commit puts the new output in place and releases the destination.
//
// When nothing changed (no file written or removed, the same record and
// state) the destination is left as it is. Otherwise the files kept from
// the old output and those bantin did not publish are hard-linked into the
// staging folder, which then takes the destination's place in one
// RENAME_EXCHANGE; the old tree, now at the staging folder's name, is
// removed. A destination that is a mount point cannot be swapped: its
// entries are exchanged one by one instead (commitMount).
func (s *Stage) Commit() (Stats, error) { return s.CommitContext(context.Background()) }

// CommitContext is Commit, stopped (the destination untouched) when ctx is
// done before the swap begins.
func (s *Stage) CommitContext(ctx context.Context) (Stats, error) {
	defer s.Abort()
	if s.compress {
		if err := s.compressAll(ctx); err != nil {
			return Stats{}, err
		}
	}
	st := Stats{Files: int(s.files.Load()), Bytes: s.bytes.Load(), Unchanged: int(s.unchanged.Load())}
	st.Written = st.Files - st.Unchanged
	// Stale files: ones the previous record lists and that still have the
	// bytes it gives (a forged or outdated record cannot name someone's
	// file), so nothing else is ever removed.
	for p, f := range s.old {
		if _, ok := s.paths[p]; !ok && f.onDisk {
			if s.published(p, f.entry) {
				st.Removed++
			} else {
				f.onDisk = false
				s.foreign = append(s.foreign, p)
			}
		}
	}
	rec := encodeRecord(s.paths, true)
	// Check again: the folder may have changed since Begin.
	if err := Check(s.dest, Options{}); err != nil {
		return st, err
	}
	_, err := os.Lstat(s.dest)
	exists := err == nil
	if exists != s.existed {
		return st, fmt.Errorf("%s appeared or went away while the site was built; build again", s.dest)
	}
	if exists && s.trusted && st.Written == 0 && st.Removed == 0 && bytes.Equal(rec, s.oldRecord) && bytes.Equal(s.state, s.prevState) {
		return st, nil // the destination is this output already
	}
	if err := s.writeOwn(Marker, rec); err != nil {
		return st, err
	}
	if s.state != nil {
		if err := s.writeOwn(StateFile, s.state); err != nil {
			return st, err
		}
	}
	if exists {
		if err := s.linkOld(ctx); err != nil {
			return st, err
		}
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	switch {
	case !exists:
		if err := s.op("rename", "."); err != nil {
			return st, err
		}
		if err := os.Rename(s.dir, s.dest); err != nil {
			return st, fmt.Errorf("cannot put the new output in place: %w", err)
		}
		s.dir = ""
	case s.mount:
		if err := s.commitMount(); err != nil {
			return st, err
		}
	default:
		if err := s.swap(); err != nil {
			return st, err
		}
	}
	// The old tree (at the staging folder's name now) goes with Abort; a
	// build killed before it is gone leaves it to the next one's cleanStale.
	if s.dir != "" {
		done := make(chan error, 1)
		old := s.dir // the goroutine may outlive this call (stopped): it gets its own copy
		go func() { done <- os.RemoveAll(old) }()
		select {
		case err := <-done:
			if err != nil {
				st.Leftover = fmt.Sprintf("the new output is in place, but the old one could not be removed from %s (the next build tries again): %v", s.dir, err)
			}
			s.dir = ""
		case <-ctx.Done():
			// Stopped: the new output is in place; the next build removes the rest.
			s.dir = ""
		}
	}
	return st, nil
}

// published reports whether the destination's file at p has the size and
// sum e: the file bantin published there.
func (s *Stage) published(p string, e entry) bool {
	f, err := os.OpenFile(filepath.Join(s.dest, filepath.FromSlash(p)), os.O_RDONLY|syscallNonblock|syscallNofollow, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() != e.size {
		return false
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	return [16]byte(h.Sum(nil)[:16]) == e.sum
}

// writeOwn writes one of publish's own files into the staging folder.
func (s *Stage) writeOwn(name string, b []byte) error {
	if err := s.op("write", name); err != nil {
		return err
	}
	return writeFile(filepath.Join(s.dir, name), b, s.fixMode)
}

// linkOld hard-links into the staging folder the old files this build
// publishes unchanged and the files bantin did not publish. A file of the
// latter kind in the way of the new output stops the build: bantin never
// deletes what it did not publish.
func (s *Stage) linkOld(ctx context.Context) error {
	sort.Strings(s.reuse)
	for i, c := range s.reuse {
		if i%512 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := s.link(c); err != nil {
			return fmt.Errorf("cannot keep %s: %w", c, err)
		}
	}
	for _, d := range s.foreignDirs {
		if err := s.mkdir(filepath.Join(s.dir, filepath.FromSlash(d.path))); err != nil {
			if isNotDir(err) || errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s in the output folder is in the way of the new site (bantin did not publish it, so it will not delete it): move it away and build again", filepath.Join(s.dest, filepath.FromSlash(d.path)))
			}
			return err
		}
	}
	defer func() {
		// Their modes, once everything is linked into them.
		for _, d := range s.foreignDirs {
			if d.perm != 0o755 {
				_ = os.Chmod(filepath.Join(s.dir, filepath.FromSlash(d.path)), d.perm)
			}
		}
	}()
	for _, c := range s.foreign {
		if _, ok := s.paths[c]; ok {
			continue // the new output has its own file there
		}
		if err := s.link(c); err != nil {
			if errors.Is(err, fs.ErrExist) || errors.Is(err, errNotDir) {
				return fmt.Errorf("%s in the output folder is in the way of the new site (bantin did not publish it, so it will not delete it; a symbolic link there is never written through): move it away and build again", filepath.Join(s.dest, filepath.FromSlash(c)))
			}
			return fmt.Errorf("cannot keep %s, which bantin did not publish: %w", c, err)
		}
	}
	return nil
}

var errNotDir = errors.New("not a directory")

func (s *Stage) link(c string) error {
	to := filepath.Join(s.dir, filepath.FromSlash(c))
	if err := s.mkdir(filepath.Dir(to)); err != nil {
		if isNotDir(err) || errors.Is(err, fs.ErrExist) {
			return errNotDir
		}
		return err
	}
	if err := s.op("link", c); err != nil {
		return err
	}
	from := filepath.Join(s.dest, filepath.FromSlash(c))
	err := os.Link(from, to)
	if errors.Is(err, fs.ErrNotExist) {
		// Its folder's hash was another's (dirSet), or it went away.
		if err = os.MkdirAll(filepath.Dir(to), 0o755); err == nil {
			err = os.Link(from, to)
		}
	}
	if err != nil && noHardLinks(err) {
		err = copyEntry(from, to, s.fixMode)
	}
	if isNotDir(err) {
		return errNotDir
	}
	return err
}

// copyEntry copies a file or symbolic link, on file systems without hard
// links (vfat, some FUSE mounts).
func copyEntry(from, to string, fix bool) error {
	info, err := os.Lstat(from)
	if err != nil {
		return err
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(from)
		if err != nil {
			return err
		}
		return os.Symlink(target, to)
	case info.Mode().IsRegular():
		in, err := os.OpenFile(from, os.O_RDONLY|syscallNonblock, 0)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	}
	return nil // a FIFO or device bantin did not publish: not carried over
}

// swap exchanges the staging folder and the destination in one rename.
// Where the file system cannot (RENAME_EXCHANGE is Linux's, and not every
// file system has it), the destination is moved aside and the staging
// folder renamed in its place: for an instant there is no destination, and
// a build killed then leaves the old output aside, which the next build
// puts back (cleanStale).
func (s *Stage) swap() error {
	if err := s.op("exchange", "."); err != nil {
		return err
	}
	err := exchange(s.dir, s.dest)
	if err == nil {
		return nil
	}
	if !errors.Is(err, errNoExchange) {
		return fmt.Errorf("cannot put the new output in place: %w", err)
	}
	old := filepath.Join(s.parent, "."+filepath.Base(s.dest)+".old-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	if err := s.op("rename", "."); err != nil {
		return err
	}
	if err := os.Rename(s.dest, old); err != nil {
		return fmt.Errorf("cannot move the old output aside: %w", err)
	}
	if err = s.op("rename", "."); err == nil {
		err = os.Rename(s.dir, s.dest)
	}
	if err != nil {
		if rerr := os.Rename(old, s.dest); rerr != nil {
			return fmt.Errorf("cannot put the new output in place (%v), nor the old one back from %s: %w", err, old, rerr)
		}
		return fmt.Errorf("cannot put the new output in place: %w", err)
	}
	s.dir = old
	return nil
}

// commitMount moves the new output into a destination that is a mount
// point (a web root, a volume): it cannot be renamed, and nothing outside
// it is on its file system. The staging folder is inside it; each of its
// top-level entries is exchanged with the destination's, so a reader sees
// each section old or new, and the whole site mixed only for the moment
// the loop takes. Before the first exchange, the record says the move is
// under way and names every file of the old and the new output: a build
// killed part-way leaves a record that still tells bantin's files from
// others, and whose sums are not believed, so the next build rewrites
// every page and removes the stale ones.
func (s *Stage) commitMount() error {
	union := make(map[string]entry, len(s.paths)+len(s.old))
	for p, f := range s.old {
		union[p] = f.entry
	}
	for p, e := range s.paths {
		union[p] = e
	}
	tmp := filepath.Join(s.dir, Marker+".moving")
	if err := s.op("write", Marker); err != nil {
		return err
	}
	if err := writeFile(tmp, encodeRecord(union, false), s.fixMode); err != nil {
		return err
	}
	if err := s.renameOwn(tmp, Marker); err != nil {
		return err
	}
	if err := s.op("remove", StateFile); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(s.dest, StateFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	trash := filepath.Join(s.dir, stagingPrefix+"trash") // no published or kept name starts so
	if err := os.Mkdir(trash, 0o755); err != nil {
		return err
	}
	staged := map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		if n == Marker || n == StateFile || n == Marker+".moving" || n == stagingPrefix+"trash" {
			continue
		}
		staged[n] = true
		if err := s.moveEntry(n, trash); err != nil {
			return err
		}
	}
	// Top-level entries of the old output the new one does not have, when
	// they hold only files bantin published (others were linked in, so are staged).
	ours := map[string]bool{}
	for p, f := range s.old {
		if f.onDisk {
			top, _, _ := strings.Cut(p, "/")
			ours[top] = true
		}
	}
	for top := range ours {
		if staged[top] {
			continue
		}
		if err := s.op("rename", top); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(s.dest, top), filepath.Join(trash, top)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if s.state != nil {
		if err := s.renameOwn(filepath.Join(s.dir, StateFile), StateFile); err != nil {
			return err
		}
	}
	return s.renameOwn(filepath.Join(s.dir, Marker), Marker) // last: now the record is complete
}

// moveEntry puts the staged top-level entry n in the destination, the old
// one (if any) into trash.
func (s *Stage) moveEntry(n, trash string) error {
	from, to := filepath.Join(s.dir, n), filepath.Join(s.dest, n)
	if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
		if err := s.op("rename", n); err != nil {
			return err
		}
		return os.Rename(from, to)
	}
	if err := s.op("exchange", n); err != nil {
		return err
	}
	err := exchange(from, to)
	if errors.Is(err, errNoExchange) {
		if err := os.Rename(to, filepath.Join(trash, n)); err != nil {
			return err
		}
		return os.Rename(from, to)
	}
	return err
}

func (s *Stage) renameOwn(from, name string) error {
	if err := s.op("rename", name); err != nil {
		return err
	}
	return os.Rename(from, filepath.Join(s.dest, name))
}

// Abort removes the staging folder and releases the destination; the
// destination is untouched. It is safe to call more than once.
func (s *Stage) Abort() {
	if s.dir != "" {
		os.RemoveAll(s.dir)
		s.dir = ""
	}
	s.unlock()
}
