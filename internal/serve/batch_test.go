package serve

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// batcher runs the watcher's batching loop on events the test sends.
func batcher(t *testing.T, window, maxWait time.Duration) (*Watcher, chan<- fsnotify.Event, chan<- error) {
	t.Helper()
	root := t.TempDir()
	wt := &Watcher{root: root, window: window, maxWait: maxWait, Changes: make(chan Change, 1),
		done: make(chan struct{}), log: &syncBuffer{}, dirs: map[string]bool{}}
	events, errs := make(chan fsnotify.Event), make(chan error)
	go wt.loop(events, errs)
	t.Cleanup(func() { close(wt.done) })
	return wt, events, errs
}

func save(root string, i int) fsnotify.Event {
	return fsnotify.Event{Name: filepath.Join(root, "content", "tin-tuc", fmt.Sprintf("bai-%d.md", i)), Op: fsnotify.Write}
}

// A steady stream of saves, each inside the quiet window of the one before,
// still gives batches: each is sent maxWait after its first event.
func TestBatchMaxWait(t *testing.T) {
	t.Parallel()
	// The quiet window never ends while the saves keep coming; without a
	// maximum wait no batch would ever be sent.
	wt, events, _ := batcher(t, time.Hour, 50*time.Millisecond)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			select {
			case events <- save(wt.root, i):
			case <-stop:
				return
			}
		}
	}()
	seen := map[string]bool{}
	for n := range 3 {
		select {
		case c := <-wt.Changes:
			if len(c.Content) == 0 || c.Rescan || c.Layouts || c.Static || c.Config {
				t.Fatalf("batch %d: %+v; want content only", n, c)
			}
			for _, p := range c.Content {
				if seen[p] {
					t.Errorf("batch %d repeats %s", n, p)
				}
				seen[p] = true
			}
		case <-time.After(watchTimeout):
			t.Fatalf("batch %d not sent within %s while saves keep coming", n, watchTimeout)
		}
	}
	if !seen["content/tin-tuc/bai-0.md"] {
		t.Errorf("the first save is in no batch")
	}
}

// A single save is sent after the quiet window, not held until maxWait.
func TestBatchQuietWindow(t *testing.T) {
	t.Parallel()
	wt, events, _ := batcher(t, 10*time.Millisecond, time.Hour)
	events <- save(wt.root, 1)
	events <- save(wt.root, 2)
	select {
	case c := <-wt.Changes:
		onlyContent(t, c, "content/tin-tuc/bai-1.md", "content/tin-tuc/bai-2.md")
	case <-time.After(watchTimeout):
		t.Fatalf("no batch within %s of a save", watchTimeout)
	}
}

// An overflow while saves keep coming is sent by the deadline too.
func TestBatchOverflowMaxWait(t *testing.T) {
	t.Parallel()
	wt, events, errs := batcher(t, time.Hour, 20*time.Millisecond)
	errs <- fsnotify.ErrEventOverflow
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			select {
			case events <- save(wt.root, i):
			case <-stop:
				return
			}
		}
	}()
	select {
	case c := <-wt.Changes:
		if !c.Rescan || !c.Config || !c.Layouts || !c.Static {
			t.Errorf("batch after an overflow: %+v; want everything", c)
		}
	case <-time.After(watchTimeout):
		t.Fatalf("no batch within %s of an overflow", watchTimeout)
	}
}
