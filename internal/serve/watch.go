package serve

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"bantin/internal/source"
)

// Change is a batch of file events reduced to what the builder needs.
type Change struct {
	Content []string // content files (site-root slash paths) that changed, were added or removed
	Rescan  bool     // something structural happened (a folder, an overflow): look at everything
	Layouts bool
	Static  bool
	CSSOnly bool // every changed file is a .css file under static/
	Config  bool
}

// Empty reports whether the batch asks for nothing.
func (c Change) Empty() bool {
	return len(c.Content) == 0 && !c.Rescan && !c.Layouts && !c.Static && !c.Config
}

// watched are the folders and files of a site that serve watches.
var watched = []string{"content", "layouts", "static"}

// maxBatchWait bounds how long a batch waits for its events to pause: a
// steady stream of saves is rebuilt every quarter second, within half a
// second of its first save (SPEC §6), not when it stops.
const maxBatchWait = 250 * time.Millisecond

// Watcher turns file system events under a site into batched Changes.
type Watcher struct {
	root    string
	w       *fsnotify.Watcher // nil when polling
	dirs    map[string]bool   // watched folders; used by loop only (after NewWatcher)
	poll    time.Duration
	window  time.Duration
	maxWait time.Duration // a batch is sent this long after its first event, even while events keep coming
	Changes chan Change
	done    chan struct{}
	log     io.Writer
}

// NewWatcher watches the site at root. When the system's inotify limit is
// reached, it says how to raise it and falls back to polling.
func NewWatcher(root string, window time.Duration, log io.Writer) (*Watcher, error) {
	wt := &Watcher{root: root, window: window, maxWait: maxBatchWait, Changes: make(chan Change, 1), done: make(chan struct{}), log: log,
		dirs: map[string]bool{}}
	fw, err := fsnotify.NewWatcher()
	if err == nil {
		wt.w = fw
		err = wt.addAll()
	}
	if err != nil {
		if wt.w != nil {
			wt.w.Close()
			wt.w = nil
		}
		if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EMFILE) {
			return nil, fmt.Errorf("watch: %w", err)
		}
		fmt.Fprintf(log, "warning: the system's limit on watched folders is reached (%v).\n"+
			"  Raise it with: sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512\n"+
			"  Falling back to checking for changes every second.\n", err)
		wt.poll = time.Second
		go wt.pollLoop(wt.snapshot())
		return wt, nil
	}
	go wt.loop(wt.w.Events, wt.w.Errors)
	return wt, nil
}

// Close stops watching.
func (wt *Watcher) Close() error {
	close(wt.done)
	if wt.w != nil {
		return wt.w.Close()
	}
	return nil
}

// addAll watches the site root (for site.yaml) and every folder under the watched ones.
func (wt *Watcher) addAll() error {
	if err := wt.w.Add(wt.root); err != nil {
		return err
	}
	for _, d := range watched {
		if err := wt.addTree(filepath.Join(wt.root, d)); err != nil {
			return err
		}
	}
	return nil
}

func (wt *Watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && source.Ignored(d.Name()) {
			return filepath.SkipDir
		}
		if err := wt.w.Add(p); err != nil {
			return err
		}
		wt.dirs[p] = true
		return nil
	})
}

// rel turns an absolute event path into a site-root slash path.
func (wt *Watcher) rel(p string) string {
	r, err := filepath.Rel(wt.root, p)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(r)
}

// classify adds one event's path to a batch; it reports false for paths serve ignores.
func (wt *Watcher) classify(c *Change, p string, op fsnotify.Op) bool {
	r := wt.rel(p)
	if r == "" || r == "." || strings.HasPrefix(r, "../") {
		return false
	}
	base := filepath.Base(p)
	if source.Ignored(base) || strings.HasPrefix(base, ".goutputstream") {
		return false
	}
	top, _, _ := strings.Cut(r, "/")
	switch {
	case r == "site.yaml":
		c.Config = true
	case top == "content":
		// .md files and bundle resources alike: the session tells folders from
		// files and ignores temporary files that are gone by now.
		c.Content = append(c.Content, r)
	case top == "layouts":
		c.Layouts = true
	case top == "static":
		c.Static = true
		if !strings.HasSuffix(r, ".css") {
			c.CSSOnly = false
		}
	case r == "public" || top == "public" || top == "resources":
		return false
	default:
		// A watched folder itself created, removed or renamed at the root.
		if op.Has(fsnotify.Create) || op.Has(fsnotify.Remove) || op.Has(fsnotify.Rename) {
			for _, d := range watched {
				if r == d {
					c.Rescan = true
					return true
				}
			}
		}
		return false
	}
	return true
}

// loop batches events: a batch ends after a quiet window, or maxWait after
// its first event.
func (wt *Watcher) loop(events <-chan fsnotify.Event, errs <-chan error) {
	var batch Change
	pending := false
	var first time.Time // of the pending batch
	cssOnly := true
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	// arm (re)starts the quiet window, never past the batch's deadline.
	arm := func() {
		if !pending {
			pending, first = true, time.Now()
		}
		timer.Reset(max(0, min(wt.window, wt.maxWait-time.Since(first))))
	}
	for {
		select {
		case <-wt.done:
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			if wt.handle(&batch, &cssOnly, ev) {
				arm()
			}
		case err, ok := <-errs:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				fmt.Fprintln(wt.log, "warning: too many file changes at once; rescanning the whole site")
				batch.Rescan, batch.Layouts, batch.Static, batch.Config = true, true, true, true
				cssOnly = false
				arm()
				continue
			}
			fmt.Fprintf(wt.log, "warning: watch: %v\n", err)
		case <-timer.C:
			if !pending {
				continue
			}
			batch.Content = dedupe(batch.Content)
			batch.CSSOnly = batch.Static && cssOnly && len(batch.Content) == 0 && !batch.Rescan && !batch.Layouts && !batch.Config
			select {
			case wt.Changes <- batch:
			case <-wt.done:
				return
			}
			batch, pending, cssOnly = Change{}, false, true
		}
	}
}

// handle adds one event to a batch; it reports false for events serve ignores.
func (wt *Watcher) handle(batch *Change, cssOnly *bool, ev fsnotify.Event) bool {
	r := wt.rel(ev.Name)
	top, _, _ := strings.Cut(r, "/")
	if !isWatchedRoot(top) || source.Ignored(filepath.Base(ev.Name)) {
		return wt.classify(batch, ev.Name, ev.Op)
	}
	// A folder renamed or moved away: inotify keeps watching it (and its
	// subfolders) under the old names, so forget them all; a rename within
	// the site comes back as a Create of the new name. Its files get no
	// events of their own, so the builder must look at everything.
	if ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Remove) {
		if wt.forget(ev.Name) {
			wt.folderChanged(batch, cssOnly, top)
			return true
		}
	}
	// A new folder (or one renamed into place) is watched at once, and
	// everything in it counts as changed.
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			if err := wt.addTree(ev.Name); err != nil {
				fmt.Fprintf(wt.log, "warning: cannot watch %s: %v\n", ev.Name, err)
			}
			wt.folderChanged(batch, cssOnly, top)
			return true
		}
	}
	if ev.Op == fsnotify.Chmod {
		return false
	}
	if !wt.classify(batch, ev.Name, ev.Op) {
		return false
	}
	if top == "static" && !strings.HasSuffix(r, ".css") {
		*cssOnly = false
	}
	return true
}

// folderChanged records that a folder under content/, layouts/ or static/
// appeared or went away.
func (wt *Watcher) folderChanged(batch *Change, cssOnly *bool, top string) {
	switch top {
	case "content":
		batch.Rescan = true
	case "layouts":
		batch.Layouts = true
	case "static":
		batch.Static, *cssOnly = true, false
	}
}

// forget stops watching a folder that was renamed or removed, and every
// folder under it; it reports whether p was a watched folder.
func (wt *Watcher) forget(p string) bool {
	if !wt.dirs[p] {
		return false
	}
	prefix := p + string(filepath.Separator)
	for d := range wt.dirs {
		if d == p || strings.HasPrefix(d, prefix) {
			delete(wt.dirs, d)
			// The kernel may have dropped the watch already (a deleted folder).
			_ = wt.w.Remove(d)
		}
	}
	return true
}

func isWatchedRoot(r string) bool {
	for _, d := range watched {
		if r == d {
			return true
		}
	}
	return false
}

func dedupe(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// pollLoop is the fallback when inotify is not available: it compares a
// snapshot of sizes and modification times with prev, the first one, every wt.poll.
func (wt *Watcher) pollLoop(prev map[string]stamp) {
	t := time.NewTicker(wt.poll)
	defer t.Stop()
	for {
		select {
		case <-wt.done:
			return
		case <-t.C:
			cur := wt.snapshot()
			var c Change
			cssOnly := true
			for p, s := range cur {
				if prev[p] != s {
					wt.classify(&c, filepath.Join(wt.root, p), fsnotify.Write)
					if strings.HasPrefix(p, "static/") && !strings.HasSuffix(p, ".css") {
						cssOnly = false
					}
				}
			}
			for p := range prev {
				if _, ok := cur[p]; !ok {
					wt.classify(&c, filepath.Join(wt.root, p), fsnotify.Remove)
					cssOnly = false
				}
			}
			prev = cur
			if !c.Empty() {
				c.Content = dedupe(c.Content)
				c.CSSOnly = c.Static && cssOnly && len(c.Content) == 0 && !c.Rescan && !c.Layouts && !c.Config
				select {
				case wt.Changes <- c:
				case <-wt.done:
					return
				}
			}
		}
	}
}

type stamp struct {
	size int64
	mod  time.Time
}

func (wt *Watcher) snapshot() map[string]stamp {
	out := map[string]stamp{}
	if info, err := os.Stat(filepath.Join(wt.root, "site.yaml")); err == nil {
		out["site.yaml"] = stamp{info.Size(), info.ModTime()}
	}
	for _, d := range watched {
		filepath.WalkDir(filepath.Join(wt.root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return nil
			}
			if info, err := e.Info(); err == nil {
				out[wt.rel(p)] = stamp{info.Size(), info.ModTime()}
			}
			return nil
		})
	}
	return out
}
