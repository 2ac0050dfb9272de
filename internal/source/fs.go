package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// MaxFileSize is the largest file a site may hold (100 MB): no file, and no
// file that grows while it is read, can make a build hold more.
const MaxFileSize = 100 << 20

// OpenSite opens the site folder dir as the one fs.FS every stage reads the
// site through. Paths are resolved inside dir by os.Root: a symbolic link may
// lead to a file elsewhere in the site, never out of it, and a loop is an
// error. A FIFO, a device or a socket is refused without being read (nothing
// can make a build hang), and so is a file over MaxFileSize. Listings
// (ReadDir, and so fs.WalkDir) show a link to a file of the site as that file
// and report a link out of the site, a link to a folder (walks would loop) or
// a special file as an error naming it, with the other entries; names every
// walker skips (Ignored) are left as they are. Errors are *fs.PathError.
//
// When dir cannot be opened, the error is returned with an FS whose every
// call fails with it, so a caller may also let the first read report it.
func OpenSite(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return failFS{err}, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	s := &siteFS{root: root, abs: abs}
	s.dir, _ = root.Open(".") // for readFast; without it, reads go through root
	return s, nil
}

// siteFS is a site folder read through os.Root.
type siteFS struct {
	root *os.Root
	dir  *os.File // the same folder, for readFast (nil: not used)
	abs  string   // the folder's absolute path, for messages
}

var (
	_ fs.ReadFileFS = (*siteFS)(nil)
	_ fs.ReadDirFS  = (*siteFS)(nil)
	_ fs.StatFS     = (*siteFS)(nil)
)

// Open opens a file or folder; a file is also an io.Seeker (serve hands it to
// http.ServeContent), and reads stop at MaxFileSize.
func (s *siteFS) Open(name string) (fs.File, error) {
	f, _, err := s.open("open", name)
	if err != nil {
		return nil, err
	}
	return &file{f: f, name: name, fsys: s}, nil
}

// ReadFile reads a whole file, like os.ReadFile but through the root.
func (s *siteFS) ReadFile(name string) ([]byte, error) {
	if s.dir != nil && fs.ValidPath(name) {
		if data, done, err := readFast(s.dir, name); done {
			return data, err
		}
	}
	f, info, err := s.open("open", name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a folder, not a file")}
	}
	data, err := readAll(f, info.Size())
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return data, nil
}

// Stat describes a file, following links inside the site.
func (s *siteFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	info, err := s.root.Stat(name)
	if err != nil {
		return nil, s.explain("stat", name, err)
	}
	return info, nil
}

// ReadDir lists a folder sorted by name, entries vetted (see OpenSite).
func (s *siteFS) ReadDir(name string) ([]fs.DirEntry, error) {
	f, _, err := s.open("open", name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if err != nil {
		return entries, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	return s.vet(name, entries)
}

// open opens name without blocking (a FIFO opens at once) and refuses what
// is not a regular file or a folder, and files over MaxFileSize.
func (s *siteFS) open(op, name string) (*os.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	f, err := s.root.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, nil, s.explain(op, name, err)
	}
	info, err := f.Stat()
	if err == nil {
		err = vetInfo(info)
	}
	if err != nil {
		f.Close()
		return nil, nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return f, info, nil
}

// vetInfo refuses anything but a folder or a regular file of at most MaxFileSize.
func vetInfo(info fs.FileInfo) error {
	m := info.Mode()
	switch {
	case m.IsDir():
		return nil
	case m.IsRegular():
		if info.Size() > MaxFileSize {
			return tooLarge(info.Size())
		}
		return nil
	}
	return special(m.Type())
}

// special says why a file of type t is refused.
func special(t fs.FileMode) error {
	what := "a special file"
	switch {
	case t&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		what = "a socket"
	case t&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%s, not a file: bantin reads only regular files; remove it", what)
}

func tooLarge(size int64) error {
	return fmt.Errorf("%d bytes, over the %d MB a site file may have; put it elsewhere and link to it", size, MaxFileSize>>20)
}

var errGrew = fmt.Errorf("grew past %d MB while read; a site file may have at most that", MaxFileSize>>20)

// readAll reads r to its end, expecting size bytes, never more than MaxFileSize.
func readAll(r io.Reader, size int64) ([]byte, error) {
	n := size + 1 // one more byte to see the end without growing
	if size < 512 {
		n = 512 // /proc-like files report 0
	}
	buf := make([]byte, 0, min(n, MaxFileSize+1))
	for {
		if len(buf) > MaxFileSize {
			return nil, errGrew
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(cap(buf), MaxFileSize+1-len(buf)))
		}
		m, err := r.Read(buf[len(buf):min(cap(buf), MaxFileSize+1)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			if len(buf) > MaxFileSize {
				return nil, errGrew
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// vet checks a folder's entries: a link to a file of the site becomes that
// file, a link to a folder, a link that cannot be followed and a special
// file are left out and the first is the error. A dangling link (an editor's
// lock file) and names walkers skip are kept as they are.
func (s *siteFS) vet(dir string, entries []fs.DirEntry) ([]fs.DirEntry, error) {
	var first error
	out := entries[:0]
	for _, e := range entries {
		t := e.Type()
		if t == 0 || t == fs.ModeDir || Ignored(e.Name()) {
			out = append(out, e)
			continue
		}
		p := path.Join(dir, e.Name())
		var err error
		if t&fs.ModeSymlink != 0 {
			info, serr := s.root.Stat(p)
			switch {
			case serr == nil && info.Mode().IsRegular():
				out = append(out, fs.FileInfoToDirEntry(info))
				continue
			case serr == nil && info.IsDir():
				target, _ := s.root.Readlink(p)
				err = &fs.PathError{Op: "open", Path: p, Err: fmt.Errorf("symbolic link to a folder (%s): bantin follows links to files only; copy the folder in", s.where(p, target))}
			case serr == nil:
				err = &fs.PathError{Op: "open", Path: p, Err: special(info.Mode().Type())}
			case errors.Is(serr, fs.ErrNotExist):
				out = append(out, e)
				continue
			default:
				err = s.explain("open", p, serr)
			}
		} else {
			err = &fs.PathError{Op: "open", Path: p, Err: special(t)}
		}
		if first == nil {
			first = err
		}
	}
	return out, first
}

// explain turns an error of os.Root about name into one naming the symbolic
// link to blame, what it leads to and the fix.
func (s *siteFS) explain(op, name string, err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	for depth, n := 0, name; depth < 8; depth++ {
		link, target, rest, serr := s.culprit(n)
		if link == "" {
			break
		}
		resolved := path.Join(path.Dir(link), target)
		switch {
		case errors.Is(serr, syscall.ELOOP):
			return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%ssymbolic link in a loop (to %s); remove it", which(link, name), target)}
		case filepath.IsAbs(target):
			t := filepath.Clean(target)
			if t == s.abs || strings.HasPrefix(t, s.abs+string(filepath.Separator)) {
				return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%ssymbolic link to an absolute path (%s): bantin follows relative links only; make it relative (ln -sr) or copy the file in", which(link, name), target)}
			}
			return s.outside(op, name, link, target)
		case resolved == ".." || strings.HasPrefix(resolved, "../"):
			return s.outside(op, name, link, target)
		}
		// The link stays inside: what it leads to is to blame.
		n = path.Join(resolved, rest)
	}
	// A socket cannot be opened (ENXIO); say what it is.
	if info, serr := s.root.Stat(name); serr == nil && !info.IsDir() && !info.Mode().IsRegular() {
		err = special(info.Mode().Type())
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// which names the link to blame when it is not the file asked for.
func which(link, name string) string {
	if link == name {
		return ""
	}
	return link + " is a "
}

// outside is the error for a link that leads out of the site.
func (s *siteFS) outside(op, name, link, target string) error {
	if link == name {
		what := "the file" // read
		if op == "stat" {
			what = "what it leads to"
		}
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("symbolic link leads outside the site folder (to %s); remove it or copy %s in", s.where(link, target), what)}
	}
	return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%s is a symbolic link leading outside the site folder (to %s); remove it or copy what it links to in", link, s.where(link, target))}
}

// where spells out where a link's target is, as an absolute path.
func (s *siteFS) where(link, target string) string {
	if filepath.IsAbs(target) {
		return target
	}
	return filepath.Join(s.abs, filepath.FromSlash(path.Dir(link)), filepath.FromSlash(target))
}

// culprit finds the first symbolic link on name's way that cannot be
// followed: its path, its target, the rest of name after it, and the error.
func (s *siteFS) culprit(name string) (link, target, rest string, err error) {
	parts := strings.Split(name, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		info, lerr := s.root.Lstat(p)
		if lerr != nil {
			return "", "", "", nil
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if _, serr := s.root.Stat(p); serr != nil {
			target, rerr := s.root.Readlink(p)
			if rerr != nil {
				return "", "", "", nil
			}
			return p, target, strings.Join(parts[i+1:], "/"), serr
		}
	}
	return "", "", "", nil
}

// CheckTree walks dir in fsys (from OpenSite) and returns the first thing
// in it a listing refuses: a link out of the site or to a folder, a loop, a
// special file. It is for a folder bantin writes into by path (resources/),
// so that nothing is written or read through such a link. A missing dir is
// fine.
func CheckTree(fsys fs.FS, dir string) error {
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if p == dir && errors.Is(err, fs.ErrNotExist) {
			return fs.SkipDir
		}
		return err
	})
}

// file is a file or folder opened through siteFS.
type file struct {
	f    *os.File
	name string
	fsys *siteFS
	off  int64 // where the next Read starts
}

func (f *file) Stat() (fs.FileInfo, error) { return f.f.Stat() }
func (f *file) Close() error               { return f.f.Close() }

// Read reads on, never past MaxFileSize.
func (f *file) Read(p []byte) (int, error) {
	if f.off >= MaxFileSize {
		var probe [1]byte
		if n, err := f.f.Read(probe[:]); n == 0 {
			return 0, err
		}
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: errGrew}
	}
	if rest := MaxFileSize - f.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := f.f.Read(p)
	f.off += int64(n)
	return n, err
}

func (f *file) Seek(offset int64, whence int) (int64, error) {
	n, err := f.f.Seek(offset, whence)
	if err == nil {
		f.off = n
	}
	return n, err
}

// ReadDir lists an opened folder, entries vetted like siteFS.ReadDir's.
func (f *file) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := f.f.ReadDir(n)
	if err != nil {
		return entries, err
	}
	return f.fsys.vet(f.name, entries)
}

// failFS fails every call with the error that kept the site from opening.
type failFS struct{ err error }

func (f failFS) Open(string) (fs.File, error)          { return nil, f.err }
func (f failFS) ReadFile(string) ([]byte, error)       { return nil, f.err }
func (f failFS) Stat(string) (fs.FileInfo, error)      { return nil, f.err }
func (f failFS) ReadDir(string) ([]fs.DirEntry, error) { return nil, f.err }
