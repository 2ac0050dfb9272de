package serve

import (
	"bufio"
	"bytes"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bantin/internal/build"
)

// copySite copies testdata/site (10 articles in two sections, with tags,
// participants and tasks) into a new temporary folder and returns it.
func copySite(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", "site")))
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeFile writes a file under dir, making its folders.
func writeFile(t testing.TB, dir, rel, text string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readFile reads a file under dir.
func readFile(t testing.TB, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// replaceIn rewrites a file under dir, replacing old (which must be there) by new.
func replaceIn(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	s := readFile(t, dir, rel)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", rel, old)
	}
	writeFile(t, dir, rel, strings.Replace(s, old, new, 1))
}

// syncBuffer is a log writer that tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newServer builds the site at dir into a Server and fails the test if the
// first build fails.
func newServer(t testing.TB, dir string) (*Server, *syncBuffer) {
	t.Helper()
	var log syncBuffer
	s := NewServer(build.Options{Source: dir, BaseURL: "http://127.0.0.1:1313/"}, &log, &log)
	rep := s.Rebuild(Change{Rescan: true})
	if rep.Err != nil {
		t.Fatalf("first build: %v\n%s", rep.Err, log.String())
	}
	t.Cleanup(s.Close)
	return s, &log
}

// get sends GET path to h and returns the status and body.
func get(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313/", nil)
	req.URL.Path = path
	req.URL.RawPath = ""
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// rawGet sends a request with the path exactly as written (no client-side
// cleaning), the way a hostile or sloppy client would.
func rawGet(t testing.TB, h http.Handler, rawPath string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+rawPath, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// mustGet is get that fails the test unless the status is want.
func mustGet(t testing.TB, h http.Handler, path string, want int) string {
	t.Helper()
	code, body := get(t, h, path)
	if code != want {
		t.Fatalf("GET %s: status %d, want %d", path, code, want)
	}
	return body
}

// sseEvent is one Server-Sent Event as a browser would see it.
type sseEvent struct {
	Name string
	Data string
}

// sseClient listens to /__bantin/events on a live httptest server.
type sseClient struct {
	events chan sseEvent
	resp   *http.Response
}

// listen connects an SSE client to the server and waits for its first event
// ("hello", or "builderror" when the site is broken), which it returns.
func listen(t testing.TB, s *Server) (*sseClient, sseEvent) {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	return listenURL(t, ts.URL+"/__bantin/events")
}

// listenURL connects an SSE client to an events URL and waits for its first event.
func listenURL(t testing.TB, url string) (*sseClient, sseEvent) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: Content-Type %q", ct)
	}
	c := &sseClient{events: make(chan sseEvent, 64), resp: resp}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Name != "" {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.Name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Data += strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return c, c.next(t, 10*time.Second)
}

// nextNamed skips events until one called name arrives.
func (c *sseClient) nextNamed(t testing.TB, name string, timeout time.Duration) sseEvent {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ev := c.next(t, time.Until(deadline))
		if ev.Name == name {
			return ev
		}
	}
}

// next returns the next event, failing the test after timeout.
func (c *sseClient) next(t testing.TB, timeout time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("event stream closed")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no event in %s", timeout)
	}
	return sseEvent{}
}

// none fails the test if an event arrives within d.
func (c *sseClient) none(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if ok {
			t.Fatalf("unexpected event %s %s", ev.Name, ev.Data)
		}
	case <-time.After(d):
	}
}

// walkFiles lists every file under dir as slash paths (for "no source bytes" checks).
func walkFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(r)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawMethod sends a request with another method.
func rawMethod(t testing.TB, h http.Handler, method, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, "http://127.0.0.1:1313"+path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}
