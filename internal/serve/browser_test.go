package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser test runs the real preview (serve.Run) and a headless
// Chromium that opens a page, so the injected script is tested as a reader's
// tab runs it: live reload, the error overlay and the stylesheet swap.

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium for the test (see
// shared/TESTING-TOOLS.md §2) and returns a context for one tab. Without
// Chromium the test is skipped, except on CI (CI=true), where it fails.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no browser: %v", err)
		}
		t.Skipf("no browser: %v", err)
	}
	dir, err := os.MkdirTemp("", "chromedp-profile-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1000, 800),
		chromedp.Env("TMPDIR="+dir), // no /tmp/org.chromium.* left behind
	)
	allocCtx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
		for range 50 {
			if err := os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("could not remove %s", dir)
	})
	// Start the browser with no deadline; steps get their own timeouts.
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	t.Logf("browser started in %s", time.Since(start).Round(time.Millisecond))
	return ctx
}

// within runs steps with a deadline.
func within(t *testing.T, ctx context.Context, d time.Duration, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the tab.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// textOf reads the text of the first element matching a CSS selector.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// navigation waits for the tab's main frame to navigate after running change.
func navigation(t *testing.T, ctx context.Context, what string, change func()) time.Duration {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	start := time.Now()
	isMain := func(ev page.EventFrameNavigated) bool { return ev.Frame.ParentID == "" }
	trigger := chromedp.Action[chromedp.Void](func(context.Context, *chromedp.Target) (chromedp.Void, error) {
		change()
		return chromedp.Void{}, nil
	})
	if _, err := chromedp.Run(tctx, chromedp.WaitEvent(page.FrameNavigated, isMain, trigger)); err != nil {
		t.Fatalf("%s: no reload seen: %v", what, err)
	}
	return time.Since(start)
}

// sseOpen waits until the page's event stream is connected.
func sseOpen(t *testing.T, ctx context.Context) {
	t.Helper()
	within(t, ctx, 15*time.Second, "event stream open", chromedp.WaitReady(chromedp.CSS("html[data-bantin-sse=open]")))
}

// mark leaves a value in the page's window: it survives only while the page is not reloaded.
func mark(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[chromedp.Void](t, ctx, `window.bantinTestMark = 42`)
}

// keptExpr is how many reload events the page's script let pass without reloading.
const keptExpr = `+(document.documentElement.getAttribute('data-bantin-kept') || 0)`

func marked(t *testing.T, ctx context.Context) bool {
	t.Helper()
	return eval[bool](t, ctx, `window.bantinTestMark === 42`)
}

func TestBrowserLiveReload(t *testing.T) {
	ctx := newBrowser(t)
	dir := copySite(t)
	r := startRun(t, dir)
	const file = "content/tin-tuc/so-ket-quy-iii.md"
	good := readFile(t, dir, file)

	within(t, ctx, 20*time.Second, "open the article", chromedp.Navigate(r.base+"tin-tuc/so-ket-quy-iii/"))
	sseOpen(t, ctx)
	if got := textOf(t, ctx, "h1.article-title"); got != "Sơ kết công tác quý III" {
		t.Fatalf("h1 %q", got)
	}

	// An edit on disk reloads the tab, which shows the new text.
	mark(t, ctx)
	d := navigation(t, ctx, "edit", func() {
		writeFile(t, dir, file, strings.Replace(good, "sokettrai", "noidungmoi", 1))
	})
	t.Logf("reload after an edit: %s", d)
	sseOpen(t, ctx)
	if marked(t, ctx) {
		t.Error("the page was not reloaded")
	}
	if got := textOf(t, ctx, ".prose"); !strings.Contains(got, "noidungmoi") {
		t.Errorf("after the reload the page shows %q", got)
	}

	// Broken YAML: the overlay names the file, over the last good page,
	// and the tab does not reload.
	mark(t, ctx)
	writeFile(t, dir, file, strings.Replace(good, "tags: [Chuyển đổi số, Xây dựng Đảng]", "tags: [Chuyển đổi số, Xây dựng Đảng", 1))
	within(t, ctx, 15*time.Second, "error overlay", chromedp.WaitVisible(chromedp.ID("bantin-error")))
	overlay := textOf(t, ctx, "#bantin-error")
	if !strings.Contains(overlay, file+":4") {
		t.Errorf("overlay %q does not name %s:4", overlay, file)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#bantin-error li.bantin-error-line').length`); n < 1 {
		t.Errorf("%d error lines in the overlay", n)
	}
	if got := textOf(t, ctx, ".prose"); !strings.Contains(got, "noidungmoi") {
		t.Errorf("under the overlay the page shows %q; want the last good one", got)
	}
	if !marked(t, ctx) {
		t.Error("a build error reloaded the page")
	}
	if !eval[bool](t, ctx, `document.documentElement.hasAttribute('data-bantin-error')`) {
		t.Error("html has no data-bantin-error while the overlay is up")
	}

	// Fixed: the overlay goes and the tab reloads with the fix.
	d = navigation(t, ctx, "fix", func() {
		writeFile(t, dir, file, strings.Replace(good, "sokettrai", "dasuaxong", 1))
	})
	t.Logf("reload after the fix: %s", d)
	sseOpen(t, ctx)
	within(t, ctx, 10*time.Second, "overlay gone", chromedp.WaitNotPresent(chromedp.ID("bantin-error")))
	if got := textOf(t, ctx, ".prose"); !strings.Contains(got, "dasuaxong") {
		t.Errorf("after the fix the page shows %q", got)
	}

	// A stylesheet change swaps the stylesheet in place: no navigation,
	// a new href, and the new rule applies.
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(255, 255, 255)" {
		t.Fatalf("background before: %s", bg)
	}
	hrefBefore := eval[string](t, ctx, `document.querySelector('link[rel=stylesheet]').href`)
	mark(t, ctx)
	writeFile(t, dir, "static/css/bantin.css", "body { background-color: rgb(0, 128, 0); color: #222; }\n")
	within(t, ctx, 15*time.Second, "new stylesheet applied",
		chromedp.Poll[chromedp.Void](`getComputedStyle(document.body).backgroundColor === 'rgb(0, 128, 0)'`,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	if !marked(t, ctx) {
		t.Error("a CSS-only change reloaded the page")
	}
	hrefAfter := eval[string](t, ctx, `Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(l => l.href).join(' ')`)
	if hrefAfter == hrefBefore || !strings.Contains(hrefAfter, "/css/bantin.css") {
		t.Errorf("stylesheet href %q → %q; want a new href for /css/bantin.css", hrefBefore, hrefAfter)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('link[rel=stylesheet]').length`); n != 1 {
		t.Errorf("%d stylesheet links after the swap; the old one must go", n)
	}

	// An edit of another article that does not touch this page leaves the
	// tab alone.
	sse, _ := listenURL(t, r.base+"__bantin/events")
	kept := eval[int](t, ctx, keptExpr)
	replaceIn(t, dir, "content/hoat-dong/giai-bong-da.md", "bongda", "bongdamoi")
	ev := sse.nextNamed(t, "reload", 10*time.Second)
	if strings.Contains(ev.Data, "/tin-tuc/so-ket-quy-iii/") {
		t.Fatalf("an unrelated edit changed this page: %s", ev.Data)
	}
	// The tab got the same event: it either says it kept the page, or the
	// page is gone (reloaded, the mark with it).
	// (A reload under the poll ends it with an error: the mark tells.)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err := chromedp.Do(pctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(`window.bantinTestMark !== 42 || %s > %d`, keptExpr, kept),
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
	cancel()
	if !marked(t, ctx) {
		t.Error("an unrelated edit reloaded the page")
	} else if err != nil {
		t.Errorf("the tab did not handle the reload event: %v", err)
	}
}

// The overlay shows on a page opened while the site is broken, and a layout
// error names the layout file.
func TestBrowserOverlayOnOpen(t *testing.T) {
	ctx := newBrowser(t)
	dir := copySite(t)
	r := startRun(t, dir)
	const layout = "layouts/partials/footer.html"
	writeFile(t, dir, layout, "<footer>{{.Site.Config.Title}</footer>\n")
	sse, _ := listenURL(t, r.base+"__bantin/events")
	sse.nextNamed(t, "builderror", 10*time.Second)

	within(t, ctx, 20*time.Second, "open the home page", chromedp.Navigate(r.base))
	within(t, ctx, 15*time.Second, "error overlay", chromedp.WaitVisible(chromedp.ID("bantin-error")))
	if overlay := textOf(t, ctx, "#bantin-error"); !strings.Contains(overlay, layout) {
		t.Errorf("overlay %q does not name %s", overlay, layout)
	}
	if got := textOf(t, ctx, "h1, h2.section-title, main"); got == "" {
		t.Error("no page under the overlay")
	}
	navigation(t, ctx, "fix the layout", func() {
		if err := os.Remove(filepath.Join(dir, layout)); err != nil {
			t.Error(err)
		}
	})
	within(t, ctx, 10*time.Second, "overlay gone", chromedp.WaitNotPresent(chromedp.ID("bantin-error")))
}
