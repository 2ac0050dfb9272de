package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// running is serve.Run started on a site for a test.
type running struct {
	base   string // http://127.0.0.1:PORT/
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startRun runs serve.Run on dir on a free port until the test ends (or stop is called).
func startRun(t testing.TB, dir string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	r := &running{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		r.done <- Run(Options{Source: dir, Port: 0, Ready: ready, Ctx: ctx}, r.stdout, r.stderr)
	}()
	select {
	case r.base = <-ready:
	case err := <-r.done:
		cancel()
		t.Fatalf("Run returned before serving: %v\n%s", err, r.stderr.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("Run not ready after 30s")
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop cancels Run's context and fails the test unless Run returns nil soon.
func (r *running) stop(t testing.TB) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("Run did not return within 10s of its context ending")
	}
}

var client = &http.Client{Timeout: 10 * time.Second}

// httpGet gets url from a live server.
func httpGet(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// poll gets url until ok says the response is the one awaited, and returns
// how long that took.
func poll(t testing.TB, url, what string, timeout time.Duration, ok func(code int, body string) bool) time.Duration {
	t.Helper()
	start := time.Now()
	var code int
	for {
		var body string
		code, body = httpGet(t, url)
		if ok(code, body) {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			t.Fatalf("GET %s: %s not seen within %s (last status %d)", url, what, timeout, code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func contains(s string) func(int, string) bool {
	return func(code int, body string) bool { return code == 200 && strings.Contains(body, s) }
}

func status(want int) func(int, string) bool {
	return func(code int, _ string) bool { return code == want }
}

// TestRunLoop runs the whole preview loop — real watcher, real server — and
// edits the site on disk the way an editor would.
func TestRunLoop(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	r := startRun(t, dir)
	if !strings.HasPrefix(r.base, "http://127.0.0.1:") {
		t.Errorf("base %s is not on 127.0.0.1", r.base)
	}
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	page := r.base + "tin-tuc/so-ket-quy-iii/"
	if code, body := httpGet(t, page); code != 200 || !strings.Contains(body, "sokettrai") {
		t.Fatalf("GET %s: %d", page, code)
	}
	sse, first := listenURL(t, r.base+"__bantin/events")
	if first.Name != "hello" {
		t.Errorf("first event %s; want hello", first.Name)
	}

	// A new body on disk shows up.
	replaceIn(t, dir, file, "sokettrai", "noidungmoi")
	d := poll(t, page, "the new body", 5*time.Second, contains("noidungmoi"))
	t.Logf("edit seen after %s", d)
	if ev := sse.nextNamed(t, "reload", 5*time.Second); !strings.Contains(ev.Data, "/tin-tuc/so-ket-quy-iii/") {
		t.Errorf("reload event %s does not name the page", ev.Data)
	}

	// Saved the way vim does (rename away, write anew, delete the backup).
	p := filepath.Join(dir, file)
	if err := os.Rename(p, p+"~"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, file, strings.Replace(readFile(t, dir, file+"~"), "noidungmoi", "luuvim", 1))
	os.Remove(p + "~")
	poll(t, page, "the vim save", 5*time.Second, contains("luuvim"))

	// A new bundle folder with its page, then moved out of the site.
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội chi bộ\ndate: 2022-04-04\ntags: [Đại hội]\n---\n\nĐại hội điểm.\n")
	poll(t, r.base+"tin-tuc/dai-hoi/", "the new bundle", 5*time.Second, contains("Đại hội điểm"))
	poll(t, r.base+"the/dai-hoi/", "the new tag", 5*time.Second, contains("/tin-tuc/dai-hoi/"))
	writeFile(t, dir, "content/tin-tuc/dai-hoi/index.md", "---\ntitle: Đại hội chi bộ\ndate: 2022-04-04\ntags: [Đại hội]\n---\n\nĐại hội sửa.\n")
	poll(t, r.base+"tin-tuc/dai-hoi/", "an edit in the new folder", 5*time.Second, contains("Đại hội sửa"))
	if err := os.Rename(filepath.Join(dir, "content/tin-tuc/dai-hoi"), filepath.Join(t.TempDir(), "dai-hoi")); err != nil {
		t.Fatal(err)
	}
	poll(t, r.base+"tin-tuc/dai-hoi/", "the bundle gone", 5*time.Second, status(404))
	poll(t, r.base+"the/dai-hoi/", "its tag gone", 5*time.Second, status(404))

	// A section renamed: the old URLs go, the new ones come.
	if err := os.Rename(filepath.Join(dir, "content/tin-tuc"), filepath.Join(dir, "content/tin-tuc-moi")); err != nil {
		t.Fatal(err)
	}
	// The menu still links to /tin-tuc/: that is a build error, and the
	// last good site stays up.
	// (An earlier save rewrites a file in two steps, create then write: a
	// busy machine can rebuild in between and report the empty file, fixed
	// by the next rebuild. Such an error, still queued, is not this one.)
	deadline := time.Now().Add(5 * time.Second)
	ev := sse.nextNamed(t, "builderror", time.Until(deadline))
	for !strings.Contains(ev.Data, "site.yaml") && time.Now().Before(deadline) {
		ev = sse.nextNamed(t, "builderror", time.Until(deadline))
	}
	if !strings.Contains(ev.Data, "site.yaml") || !strings.Contains(ev.Data, "/tin-tuc/") {
		t.Errorf("builderror %s does not name the menu entry", ev.Data)
	}
	poll(t, page, "the last good page", time.Second, contains("luuvim"))
	replaceIn(t, dir, "site.yaml", "url: /tin-tuc/}", "url: /tin-tuc-moi/}")
	poll(t, r.base+"tin-tuc-moi/so-ket-quy-iii/", "the renamed section", 5*time.Second, contains("luuvim"))
	poll(t, page, "the old section gone", 5*time.Second, status(404))
	sse.nextNamed(t, "reload", 5*time.Second)
	// And its files are watched under the new name.
	replaceIn(t, dir, "content/tin-tuc-moi/so-ket-quy-iii.md", "luuvim", "saukhidoiten")
	poll(t, r.base+"tin-tuc-moi/so-ket-quy-iii/", "an edit in the renamed section", 5*time.Second, contains("saukhidoiten"))

	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/ into the site folder")
	}
	if out := r.stdout.String(); !strings.Contains(out, "serving the site at "+r.base) || !strings.Contains(out, "rebuilt in ") {
		t.Errorf("stdout:\n%s", out)
	}

	// Ctrl+C (the context): Run returns, the port is closed and the event stream ends.
	r.stop(t)
	if _, err := client.Get(page); err == nil {
		t.Error("the server still answers after Run returned")
	}
	select {
	case _, ok := <-sse.events:
		for ok {
			_, ok = <-sse.events
		}
	case <-time.After(5 * time.Second):
		t.Error("the event stream did not end with Run")
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	// Not a site folder.
	err := Run(Options{Source: t.TempDir(), Ctx: context.Background()}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "site.yaml") {
		t.Errorf("Run on an empty folder: %v; want an error naming site.yaml", err)
	}
	// The port is taken.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	err = Run(Options{Source: copySite(t), Port: port, Ctx: context.Background()}, io.Discard, io.Discard)
	if err == nil {
		t.Error("Run on a taken port succeeded")
	}
}

// A site that is broken from the start is served (the 404 page and the
// error overlay), and fixing it brings the pages.
func TestRunBrokenFromTheStart(t *testing.T) {
	t.Parallel()
	dir := copySite(t)
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	good := readFile(t, dir, file)
	writeFile(t, dir, file, strings.Replace(good, "date: 2022-11-24", "date: hôm qua", 1))
	r := startRun(t, dir)
	// Every page lists the problems (there is no last good site to show).
	for _, p := range []string{"", "tin-tuc/so-ket-quy-iii/", "khong-co/"} {
		code, body := httpGet(t, r.base+p)
		if code != 500 || !strings.Contains(body, "/__bantin/reload.js") || !strings.Contains(body, file+":3") {
			t.Errorf("GET /%s on a broken site: %d; want an error page naming %s:3 with the reload script:\n%s", p, code, file, body)
		}
	}
	if s := r.stderr.String(); strings.Contains(s, "last good site") || !strings.Contains(s, "does not build") {
		t.Errorf("stderr on a site that never built:\n%s", s)
	}
	_, first := listenURL(t, r.base+"__bantin/events")
	if first.Name != "builderror" || !strings.Contains(first.Data, file+":3") {
		t.Errorf("first event %s %s; want builderror naming %s:3", first.Name, first.Data, file)
	}
	if !strings.Contains(r.stderr.String(), file+":3") {
		t.Errorf("stderr does not name the file:\n%s", r.stderr.String())
	}
	sse, _ := listenURL(t, r.base+"__bantin/events")
	writeFile(t, dir, file, good)
	sse.nextNamed(t, "reload", 10*time.Second) // the error page reloads itself
	poll(t, r.base+"tin-tuc/so-ket-quy-iii/", "the fixed page", 5*time.Second, contains("sokettrai"))
	poll(t, r.base+"khong-co/", "the site's 404 page", 5*time.Second, status(404))

	// Broken again: now the last good site stays, with the overlay.
	writeFile(t, dir, file, strings.Replace(good, "date: 2022-11-24", "date: hôm qua", 1))
	sse.nextNamed(t, "builderror", 10*time.Second)
	poll(t, r.base+"tin-tuc/so-ket-quy-iii/", "the last good page", 5*time.Second, contains("sokettrai"))
	if !strings.Contains(r.stderr.String(), "still serving the last good site") {
		t.Errorf("stderr after a later failure:\n%s", r.stderr.String())
	}
}
