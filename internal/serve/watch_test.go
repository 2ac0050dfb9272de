package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// The watcher tests use real files in a temporary site: fsnotify's events
// (and editors' ways of saving) are the thing under test.

const (
	watchWindow  = 100 * time.Millisecond
	watchTimeout = 10 * time.Second // generous: the machine may be loaded
	settleTime   = 400 * time.Millisecond
)

// watchSite writes a small site: site.yaml, two sections with a bundle,
// a layout and static CSS and JS.
func watchSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Thử\nbaseURL: https://example.org/\n")
	writeFile(t, dir, "content/tin-tuc/a.md", "---\ntitle: A\ndate: 2022-01-01\n---\n\nA.\n")
	writeFile(t, dir, "content/tin-tuc/b.md", "---\ntitle: B\ndate: 2022-01-02\n---\n\nB.\n")
	writeFile(t, dir, "content/tin-tuc/hoi-nghi/index.md", "---\ntitle: Hội nghị\ndate: 2022-01-03\n---\n\nH.\n")
	writeFile(t, dir, "content/hoat-dong/c.md", "---\ntitle: C\ndate: 2022-01-04\n---\n\nC.\n")
	writeFile(t, dir, "layouts/partials/footer.html", "<footer>chân trang</footer>\n")
	writeFile(t, dir, "static/css/site.css", "body{color:#222}\n")
	writeFile(t, dir, "static/js/site.js", "console.log(1)\n")
	return dir
}

func startWatcher(t *testing.T, dir string) (*Watcher, *syncBuffer) {
	t.Helper()
	var log syncBuffer
	wt, err := NewWatcher(dir, watchWindow, &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wt.Close() })
	if wt.w == nil {
		t.Logf("inotify unavailable, polling: %s", log.String())
	}
	return wt, &log
}

// merge adds a batch to an accumulated one.
func merge(acc *Change, c Change) {
	acc.Content = append(acc.Content, c.Content...)
	acc.Rescan = acc.Rescan || c.Rescan
	acc.Layouts = acc.Layouts || c.Layouts
	acc.Static = acc.Static || c.Static
	acc.Config = acc.Config || c.Config
	acc.Content = dedupe(acc.Content)
}

// waitFor reads batches until done reports true for their union, then keeps
// reading for a short while so that late events of the same action are
// counted too. It returns every batch and their union.
func waitFor(t *testing.T, wt *Watcher, what string, done func(Change) bool) ([]Change, Change) {
	t.Helper()
	var batches []Change
	var all Change
	deadline := time.After(watchTimeout)
	for !done(all) {
		select {
		case c := <-wt.Changes:
			batches = append(batches, c)
			merge(&all, c)
		case <-deadline:
			t.Fatalf("%s: not seen within %s; batches: %+v", what, watchTimeout, batches)
		}
	}
	more := quiet(wt, settleTime)
	for _, c := range more {
		merge(&all, c)
	}
	return append(batches, more...), all
}

// upTo writes a file the watcher reports (a sentinel) and reads batches
// until one names it. Events come in order, so every event of what was done
// before has been handled by then: the union says whether any of it was
// reported, with no waiting for time to pass.
func upTo(t *testing.T, wt *Watcher, dir, sentinel string) Change {
	t.Helper()
	writeFile(t, dir, sentinel, "---\ntitle: Mốc\ndate: 2022-01-09\n---\n\nMốc "+time.Now().String()+".\n")
	var all Change
	deadline := time.After(watchTimeout)
	for !slices.Contains(all.Content, sentinel) {
		select {
		case c := <-wt.Changes:
			merge(&all, c)
		case <-deadline:
			t.Fatalf("the sentinel %s not seen within %s; batches: %+v", sentinel, watchTimeout, all)
		}
	}
	return all
}

// quiet collects the batches that arrive within d.
func quiet(wt *Watcher, d time.Duration) []Change {
	var out []Change
	end := time.After(d)
	for {
		select {
		case c := <-wt.Changes:
			out = append(out, c)
		case <-end:
			return out
		}
	}
}

func hasContent(p string) func(Change) bool {
	return func(c Change) bool { return slices.Contains(c.Content, p) }
}

// onlyContent fails unless the union asks for exactly these content files and nothing else.
func onlyContent(t *testing.T, all Change, want ...string) {
	t.Helper()
	if !slices.Equal(all.Content, want) || all.Rescan || all.Layouts || all.Static || all.Config {
		t.Errorf("batches ask for %+v; want only content %v", all, want)
	}
}

func TestWatchPlainWrite(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	writeFile(t, dir, "content/tin-tuc/a.md", "---\ntitle: A2\ndate: 2022-01-01\n---\n\nA2.\n")
	batches, all := waitFor(t, wt, "write a.md", hasContent("content/tin-tuc/a.md"))
	onlyContent(t, all, "content/tin-tuc/a.md")
	if len(batches) != 1 {
		t.Errorf("one write gave %d batches: %+v", len(batches), batches)
	}
	if batches[0].CSSOnly {
		t.Errorf("a content write is not CSSOnly: %+v", batches[0])
	}
}

// Many editors (and git checkout) write a temporary file and rename it over
// the real one: the rename must count as a write of the real file.
func TestWatchWriteTempThenRename(t *testing.T) {
	t.Parallel()
	for _, tmp := range []string{".a.md.tmp", "a.md.tmp-1234", "a.md___jb_tmp___"} {
		t.Run(tmp, func(t *testing.T) {
			t.Parallel()
			dir := watchSite(t)
			wt, _ := startWatcher(t, dir)
			p := writeFile(t, dir, "content/tin-tuc/"+tmp, "---\ntitle: A mới\ndate: 2022-01-01\n---\n\nMới.\n")
			if err := os.Rename(p, filepath.Join(dir, "content/tin-tuc/a.md")); err != nil {
				t.Fatal(err)
			}
			_, all := waitFor(t, wt, "rename over a.md", hasContent("content/tin-tuc/a.md"))
			// A visible temporary name may come along (the session ignores
			// files that are gone); nothing else may.
			for _, c := range all.Content {
				if c != "content/tin-tuc/a.md" && c != "content/tin-tuc/"+tmp {
					t.Errorf("unexpected path %q in %+v", c, all)
				}
			}
			if strings.HasPrefix(tmp, ".") && slices.Contains(all.Content, "content/tin-tuc/"+tmp) {
				t.Errorf("hidden temporary file %s reported: %+v", tmp, all)
			}
			if all.Rescan || all.Layouts || all.Static || all.Config {
				t.Errorf("rename of a file asks for more than content: %+v", all)
			}
		})
	}
}

// vim with backupcopy=no renames the file away and writes a new one.
func TestWatchRemoveThenCreate(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	p := filepath.Join(dir, "content/tin-tuc/a.md")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/tin-tuc/a.md", "---\ntitle: A3\ndate: 2022-01-01\n---\n\nA3.\n")
	_, all := waitFor(t, wt, "remove+create a.md", hasContent("content/tin-tuc/a.md"))
	onlyContent(t, all, "content/tin-tuc/a.md")
}

// Editors' temporary files are never a change: vim's 4913 probe, swap files,
// backups, Emacs lock links and GNOME's .goutputstream files.
func TestWatchEditorTempFilesIgnored(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	sec := filepath.Join(dir, "content", "tin-tuc")

	// Temporary files alone: no batch at all.
	writeFile(t, dir, "content/tin-tuc/4913", "")
	os.Remove(filepath.Join(sec, "4913"))
	writeFile(t, dir, "content/tin-tuc/.a.md.swp", "swap")
	writeFile(t, dir, "content/tin-tuc/.a.md.swx", "swap")
	writeFile(t, dir, "content/tin-tuc/a.md~", "backup")
	writeFile(t, dir, "content/tin-tuc/#a.md#", "emacs autosave")
	if err := os.Symlink("user@host.1234:1700000000", filepath.Join(sec, ".#a.md")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/tin-tuc/.goutputstream-XK3Z9Q", "gedit")
	os.Remove(filepath.Join(sec, ".goutputstream-XK3Z9Q"))
	writeFile(t, dir, "static/css/.site.css.swp", "swap")
	writeFile(t, dir, "layouts/.footer.html.swp", "swap")
	writeFile(t, dir, ".site.yaml.swp", "swap")
	writeFile(t, dir, "site.yaml~", "backup")
	if all := upTo(t, wt, dir, "content/hoat-dong/moc.md"); !slices.Equal(all.Content, []string{"content/hoat-dong/moc.md"}) ||
		all.Rescan || all.Layouts || all.Static || all.Config {
		t.Errorf("temporary files gave %+v; want only the sentinel", all)
	}

	// vim's whole save (backupcopy=no): probe, backup by rename, new file,
	// swap file updates, backup removed: only the real file is reported.
	writeFile(t, dir, "content/tin-tuc/4913", "")
	os.Remove(filepath.Join(sec, "4913"))
	if err := os.Rename(filepath.Join(sec, "a.md"), filepath.Join(sec, "a.md~")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/tin-tuc/a.md", "---\ntitle: A vim\ndate: 2022-01-01\n---\n\nVim.\n")
	writeFile(t, dir, "content/tin-tuc/.a.md.swp", "swap 2")
	os.Remove(filepath.Join(sec, "a.md~"))
	_, all := waitFor(t, wt, "vim save", hasContent("content/tin-tuc/a.md"))
	onlyContent(t, all, "content/tin-tuc/a.md")
}

// A new folder and a file written in it at once: the file is seen (by a
// rescan or by name), and later writes in the folder are seen too, so the
// folder is watched.
func TestWatchNewFolder(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	seen := func(p string) func(Change) bool {
		return func(c Change) bool { return c.Rescan || slices.Contains(c.Content, p) }
	}

	// A bundle folder in a section.
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội\ndate: 2022-02-01\n---\n\nĐ.\n")
	waitFor(t, wt, "new bundle folder", seen("content/tin-tuc/dai-hoi/index.md"))
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội 2\ndate: 2022-02-01\n---\n\nĐ2.\n")
	_, all := waitFor(t, wt, "write in the new folder", hasContent("content/tin-tuc/dai-hoi/index.md"))
	onlyContent(t, all, "content/tin-tuc/dai-hoi/index.md")

	// A new section with nested folders made at once (mkdir -p).
	writeFile(t, dir, "content/su-kien/2024/thang-1/e.md", "---\ntitle: E\ndate: 2024-01-05\n---\n\nE.\n")
	waitFor(t, wt, "mkdir -p", seen("content/su-kien/2024/thang-1/e.md"))
	writeFile(t, dir, "content/su-kien/2024/thang-1/e.md", "---\ntitle: E2\ndate: 2024-01-05\n---\n\nE2.\n")
	_, all = waitFor(t, wt, "write in the nested new folder", hasContent("content/su-kien/2024/thang-1/e.md"))
	onlyContent(t, all, "content/su-kien/2024/thang-1/e.md")

	// A photo added to the new bundle is a content change too.
	writeFile(t, dir, "content/tin-tuc/dai-hoi/anh-1.jpg", "not really a jpeg")
	waitFor(t, wt, "bundle resource", hasContent("content/tin-tuc/dai-hoi/anh-1.jpg"))
}

// A folder renamed: a rescan, and the folder (with its subfolders) is
// watched under its new name.
func TestWatchFolderRenamed(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	if err := os.Rename(filepath.Join(dir, "content/tin-tuc"), filepath.Join(dir, "content/tin-moi")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, wt, "rename of content/tin-tuc", func(c Change) bool { return c.Rescan })

	writeFile(t, dir, "content/tin-moi/a.md", "---\ntitle: A4\ndate: 2022-01-01\n---\n\nA4.\n")
	_, all := waitFor(t, wt, "write in the renamed folder", hasContent("content/tin-moi/a.md"))
	onlyContent(t, all, "content/tin-moi/a.md")

	// A subfolder of the renamed folder is reported under its new path, not the old one.
	writeFile(t, dir, "content/tin-moi/hoi-nghi/index.md", "---\ntitle: Hội nghị 2\ndate: 2022-01-03\n---\n\nH2.\n")
	_, all = waitFor(t, wt, "write in a subfolder of the renamed folder", func(c Change) bool { return len(c.Content) > 0 || c.Rescan })
	onlyContent(t, all, "content/tin-moi/hoi-nghi/index.md")

	// Renamed back: the same again.
	if err := os.Rename(filepath.Join(dir, "content/tin-moi"), filepath.Join(dir, "content/tin-tuc")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, wt, "rename back", func(c Change) bool { return c.Rescan })
	writeFile(t, dir, "content/tin-tuc/hoi-nghi/index.md", "---\ntitle: Hội nghị 3\ndate: 2022-01-03\n---\n\nH3.\n")
	_, all = waitFor(t, wt, "write after renaming back", func(c Change) bool { return len(c.Content) > 0 || c.Rescan })
	onlyContent(t, all, "content/tin-tuc/hoi-nghi/index.md")
}

// A folder moved out of the site (a file manager's "move to trash") gives
// one event for the folder and none for its files: the builder must rescan.
func TestWatchFolderMovedAway(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	trash := t.TempDir()
	wt, _ := startWatcher(t, dir)
	if err := os.Rename(filepath.Join(dir, "content/hoat-dong"), filepath.Join(trash, "hoat-dong")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, wt, "section moved away", func(c Change) bool { return c.Rescan })

	// A folder moved in from outside: a rescan too, and it is watched.
	if err := os.Rename(filepath.Join(trash, "hoat-dong"), filepath.Join(dir, "content/hoat-dong-cu")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, wt, "section moved in", func(c Change) bool { return c.Rescan })
	writeFile(t, dir, "content/hoat-dong-cu/c.md", "---\ntitle: C2\ndate: 2022-01-04\n---\n\nC2.\n")
	_, all := waitFor(t, wt, "write in the moved-in folder", hasContent("content/hoat-dong-cu/c.md"))
	onlyContent(t, all, "content/hoat-dong-cu/c.md")
}

// A burst of writes (a git checkout, a search-and-replace over many files)
// is one batch, or a few on a loaded machine: not one rebuild per file.
func TestWatchBurst(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	var want []string
	for i := range 50 {
		rel := fmt.Sprintf("content/tin-tuc/bai-%02d.md", i)
		want = append(want, rel)
		writeFile(t, dir, rel, fmt.Sprintf("---\ntitle: Bài %d\ndate: 2022-03-01\n---\n\nBài %d.\n", i, i))
	}
	batches, all := waitFor(t, wt, "50 writes", func(c Change) bool { return len(c.Content) >= 50 })
	onlyContent(t, all, want...)
	if len(batches) > 3 {
		t.Errorf("50 quick writes gave %d batches (window %s); want 1 to 3", len(batches), watchWindow)
	}
	t.Logf("50 writes → %d batch(es)", len(batches))
}

func TestWatchKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write []string
		want  Change // Content is not compared
	}{
		{"site.yaml", []string{"site.yaml"}, Change{Config: true}},
		{"layout", []string{"layouts/partials/footer.html"}, Change{Layouts: true}},
		{"new layout", []string{"layouts/article.html"}, Change{Layouts: true}},
		{"css only", []string{"static/css/site.css"}, Change{Static: true, CSSOnly: true}},
		{"new css", []string{"static/css/in.css"}, Change{Static: true, CSSOnly: true}},
		{"js", []string{"static/js/site.js"}, Change{Static: true}},
		{"css and js", []string{"static/css/site.css", "static/js/site.js"}, Change{Static: true}},
		{"css and content", []string{"static/css/site.css", "content/tin-tuc/a.md"}, Change{Static: true}},
		{"image", []string{"static/images/logo.png"}, Change{Static: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := watchSite(t)
			wt, _ := startWatcher(t, dir)
			for _, w := range tc.write {
				old := ""
				if b, err := os.ReadFile(filepath.Join(dir, w)); err == nil {
					old = string(b)
				}
				writeFile(t, dir, w, old+"/* sửa */\n")
			}
			batches, all := waitFor(t, wt, tc.name, func(c Change) bool {
				return c.Config == tc.want.Config && c.Layouts == tc.want.Layouts && c.Static == tc.want.Static
			})
			if all.Rescan {
				t.Errorf("%v asks for a rescan: %+v", tc.write, batches)
			}
			cssOnly := true
			for _, b := range batches {
				cssOnly = cssOnly && b.CSSOnly
			}
			if cssOnly != tc.want.CSSOnly {
				t.Errorf("%v: CSSOnly = %v in %+v, want %v", tc.write, cssOnly, batches, tc.want.CSSOnly)
			}
			if all.Config != tc.want.Config || all.Layouts != tc.want.Layouts || all.Static != tc.want.Static {
				t.Errorf("%v: got %+v, want %+v", tc.write, all, tc.want)
			}
			for _, b := range batches {
				if b.Empty() {
					t.Errorf("empty batch sent: %+v", batches)
				}
			}
		})
	}
}

// Files outside the watched folders (the output, the image cache, notes at
// the root) are never a change, even when their folders appear while serve
// runs (a `bantin build` alongside it).
func TestWatchIgnoresOtherFiles(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	writeFile(t, dir, "public/index.html", "<p>out</p>")
	writeFile(t, dir, "resources/x.jpg", "x")
	writeFile(t, dir, "ghi-chu.txt", "notes")
	writeFile(t, dir, "nhap/bai.md", "---\ntitle: Nháp\n---\n")
	writeFile(t, dir, "content/.git/HEAD", "ref: refs/heads/main")
	// Once a later file is reported, the new folders have been seen (and,
	// wrongly, watched).
	first := upTo(t, wt, dir, "content/hoat-dong/moc-1.md")
	writeFile(t, dir, "public/tin-tuc/a/index.html", "<p>out</p>")
	writeFile(t, dir, "public/index.html", "<p>out 2</p>")
	writeFile(t, dir, "content/.git/HEAD", "ref: refs/heads/dev")
	second := upTo(t, wt, dir, "content/hoat-dong/moc-2.md")
	for i, all := range []Change{first, second} {
		if want := fmt.Sprintf("content/hoat-dong/moc-%d.md", i+1); !slices.Equal(all.Content, []string{want}) ||
			all.Rescan || all.Layouts || all.Static || all.Config {
			t.Errorf("files outside the site's sources gave %+v; want only the sentinel %s", all, want)
		}
	}
	// The root (for site.yaml) and the 9 folders under content/, layouts/ and static/.
	if wt.w != nil {
		if list := wt.w.WatchList(); len(list) != 10 {
			t.Errorf("watching %d folders, want 10: %v", len(list), list)
		}
	}
}

// Layout and static folders created, removed and renamed are seen.
func TestWatchLayoutAndStaticFolders(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt, _ := startWatcher(t, dir)
	writeFile(t, dir, "layouts/shortcodes/video.html", "<video></video>")
	waitFor(t, wt, "new layouts folder", func(c Change) bool { return c.Layouts })
	writeFile(t, dir, "layouts/shortcodes/video.html", "<video controls></video>")
	waitFor(t, wt, "write in the new layouts folder", func(c Change) bool { return c.Layouts })

	writeFile(t, dir, "static/img/logo.svg", "<svg/>")
	_, all := waitFor(t, wt, "new static folder", func(c Change) bool { return c.Static })
	if all.CSSOnly {
		t.Errorf("a new static folder is not CSS only: %+v", all)
	}
	if err := os.RemoveAll(filepath.Join(dir, "static/img")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, wt, "static folder removed", func(c Change) bool { return c.Static })
}

// More events than the kernel queues (a huge checkout while a rebuild runs):
// the watcher says so and asks for everything to be looked at. Nobody reads
// the site's events while the files are written (the batching loop starts
// after), so the kernel's queue overflows for sure: every file is at least
// one event, and fsnotify's own read buffer takes at most 4,096 of them.
func TestWatchOverflow(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skip("not inotify")
	}
	var max int
	fmt.Sscan(string(b), &max)
	if max <= 0 || max > 100000 {
		t.Skipf("max_queued_events %d: too many files to write", max)
	}
	dir := watchSite(t)
	log := &syncBuffer{}
	wt := &Watcher{root: dir, window: watchWindow, maxWait: maxBatchWait, Changes: make(chan Change, 1),
		done: make(chan struct{}), log: log, dirs: map[string]bool{}}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		t.Skipf("inotify: %v", err)
	}
	wt.w = fw
	t.Cleanup(func() { wt.Close() })
	if err := wt.addAll(); err != nil {
		t.Skipf("inotify: %v", err)
	}
	for i := range max + 4096 + 100 {
		writeFile(t, dir, fmt.Sprintf("content/hoat-dong/f%05d.md", i), "x")
	}
	go wt.loop(fw.Events, fw.Errors)
	waitFor(t, wt, "overflow", func(c Change) bool { return c.Rescan && c.Config && c.Layouts && c.Static })
	if !strings.Contains(log.String(), "too many file changes") {
		t.Errorf("no warning on overflow: %q", log.String())
	}
}

// Without inotify (its limit reached) the watcher polls: the same kinds of
// changes come out, only later.
func TestWatchPolling(t *testing.T) {
	t.Parallel()
	dir := watchSite(t)
	wt := &Watcher{root: dir, poll: 50 * time.Millisecond, window: watchWindow,
		Changes: make(chan Change, 1), done: make(chan struct{}), log: &syncBuffer{}}
	go wt.pollLoop(wt.snapshot())
	t.Cleanup(func() { wt.Close() })

	writeFile(t, dir, "content/tin-tuc/a.md", "---\ntitle: A sửa\ndate: 2022-01-01\n---\n\nA sửa.\n")
	_, all := waitFor(t, wt, "poll: write", hasContent("content/tin-tuc/a.md"))
	onlyContent(t, all, "content/tin-tuc/a.md")

	writeFile(t, dir, "content/tin-tuc/moi/index.md", "---\ntitle: Mới\ndate: 2022-01-05\n---\n\nMới.\n")
	waitFor(t, wt, "poll: new folder", hasContent("content/tin-tuc/moi/index.md"))

	os.Remove(filepath.Join(dir, "content/tin-tuc/b.md"))
	waitFor(t, wt, "poll: remove", hasContent("content/tin-tuc/b.md"))

	writeFile(t, dir, "content/tin-tuc/.a.md.swp", "swap")
	writeFile(t, dir, "static/css/site.css", "body{color:red}\n")
	batches, all := waitFor(t, wt, "poll: css", func(c Change) bool { return c.Static })
	if len(all.Content) > 0 || !batches[len(batches)-1].CSSOnly {
		t.Errorf("css change by polling: %+v", batches)
	}
	writeFile(t, dir, "site.yaml", "title: Thử 2\nbaseURL: https://example.org/\n")
	waitFor(t, wt, "poll: site.yaml", func(c Change) bool { return c.Config })
}
