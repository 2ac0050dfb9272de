// Package e2e checks the committee site as a reader sees it: the real build
// of the repository's site, served over HTTP and loaded in headless Chromium
// through chromedp.
//
// One browser is shared by the package (started by the first test that needs
// it, closed by TestMain); each test opens its own tab. Without
// /usr/bin/chromium (or $BANTIN_CHROMIUM) the browser tests skip, except
// under CI=true, where they fail: CI must never skip them silently.
package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bantin/internal/build"
)

// chromiumPath is the browser the tests drive: $BANTIN_CHROMIUM, else the system's Chromium.
func chromiumPath() string {
	if p := os.Getenv("BANTIN_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// Viewports the pages are checked at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 390, 844, true}
)

// emulate sets the tab's viewport.
func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	if v.mobile {
		return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(v.width, v.height)
}

// Package state shared between tests, torn down by TestMain.
var (
	tmpRoot string // every built site lives under it

	sitesMu sync.Mutex
	sites   = map[string]*servedSite{} // by URL prefix

	browserOnce   sync.Once
	browserCtx    context.Context
	browserErr    error
	browserCancel = func() {}
	profileDir    string
)

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "bantin-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	browserCancel()
	if profileDir != "" {
		removeAll(profileDir)
	}
	for _, s := range sites {
		s.srv.Close()
	}
	removeAll(tmpRoot)
	os.Exit(code)
}

// removeAll removes dir, retrying while a killed browser still lets go of its files.
func removeAll(dir string) {
	for range 50 {
		if err := os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "e2e: could not remove %s\n", dir)
}

// servedSite is the committee site built by the real build and served over HTTP.
type servedSite struct {
	URL    string // with the prefix and a trailing slash: http://127.0.0.1:4321/bantin/
	Prefix string // "/" or "/bantin/"
	Dir    string // the output folder
	srv    *httptest.Server

	mu     sync.Mutex
	failed []string // "404 /bantin/x/" for every request that did not succeed
}

// failures returns the failed requests so far and forgets them.
func (s *servedSite) failures() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.failed
	s.failed = nil
	sort.Strings(out)
	return out
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// committeeSite builds the repository's site (the folder above e2e/) once per
// prefix and serves it under that prefix. The server starts first, because the
// build needs to know its base URL.
func committeeSite(t testing.TB, prefix string) *servedSite {
	t.Helper()
	sitesMu.Lock()
	defer sitesMu.Unlock()
	if s, ok := sites[prefix]; ok {
		return s
	}
	src, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmpRoot, "site"+strings.ReplaceAll(strings.Trim(prefix, "/"), "/", "-"), "public")
	s := &servedSite{Prefix: prefix, Dir: dir}
	files := http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir)))
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if strings.HasPrefix(r.URL.Path, prefix) {
			files.ServeHTTP(rec, r)
		} else {
			http.NotFound(rec, r)
		}
		if rec.status >= 400 {
			s.mu.Lock()
			s.failed = append(s.failed, fmt.Sprintf("%d %s", rec.status, r.URL.RequestURI()))
			s.mu.Unlock()
		}
	}))
	s.URL = s.srv.URL + prefix
	res, err := build.Build(context.Background(), build.Options{Source: src, Dest: dir, BaseURL: s.URL})
	if err != nil {
		s.srv.Close()
		t.Fatalf("building the committee site at %s: %v", s.URL, err)
	}
	t.Logf("built the committee site for %s: %s", s.URL, res.Summary())
	sites[prefix] = s
	return s
}

// requireBrowser skips the test when Chromium is missing, or fails it under CI.
func requireBrowser(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(chromiumPath()); err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatalf("CI=true but no browser at %s: %v", chromiumPath(), err)
		}
		t.Skipf("no browser at %s (%v); install chromium (or set BANTIN_CHROMIUM) to run the browser tests", chromiumPath(), err)
	}
}

// startBrowser starts the shared Chromium with the flags proven on this
// machine; TMPDIR inside the profile keeps /tmp clean when it is killed.
func startBrowser() {
	profileDir, browserErr = os.MkdirTemp("", "chromedp-profile-")
	if browserErr != nil {
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profileDir),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
		chromedp.Env("TMPDIR="+profileDir),
	)
	allocCtx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(allocCtx)
	browserCtx = ctx
	browserCancel = func() { cancelC(); cancelA() }
	// Start the browser with no deadline; actions get theirs from derived contexts.
	browserErr = chromedp.Do(ctx)
}

// newTab opens a tab in the shared browser, closed when the test ends. The
// returned context has a deadline for the whole test's browser work.
func newTab(t testing.TB) context.Context {
	t.Helper()
	requireBrowser(t)
	browserOnce.Do(startBrowser)
	if browserErr != nil {
		t.Fatalf("starting %s: %v", chromiumPath(), browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("opening a tab: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 2*time.Minute) // generous: CI machines can be busy
	t.Cleanup(tcancel)
	return tctx
}

// shotsDir is where screenshots go: $BANTIN_SHOTS when set (a folder, made if
// needed), else the test's temp dir.
func shotsDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("BANTIN_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// load shows a page of the site at viewport v and waits for it to finish loading.
func load(t testing.TB, ctx context.Context, v viewport, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, v.emulate(), chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("loading %s at %s: %v", url, v.name, err)
	}
}

var (
	axeOnce   sync.Once
	axeSource []byte
	axeErr    error
)

// axeCheck runs axe-core (testdata/axe.min.js, injected into the loaded page)
// with axeRun's rules and reports every violation as an error of t.
func axeCheck(t testing.TB, ctx context.Context) {
	t.Helper()
	axeOnce.Do(func() { axeSource, axeErr = os.ReadFile("testdata/axe.min.js") })
	if axeErr != nil {
		t.Fatal(axeErr)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeSource))); err != nil {
		t.Fatalf("injecting axe-core: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe-core: %v", err)
	}
	for _, f := range found {
		t.Errorf("%s (%s): %s — %d node(s); first %s: %s\n\t%s\n\t%s",
			f.ID, f.Impact, f.Help, f.Nodes, f.Target, f.HTML,
			strings.ReplaceAll(f.Summary, "\n", "\n\t"), f.HelpURL)
	}
}

// poll waits until the JavaScript expression is true in the page, or fails
// the test after 5 s saying what it waited for.
func poll(t testing.TB, ctx context.Context, expr, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}
