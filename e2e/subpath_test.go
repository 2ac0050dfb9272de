package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pageRefs lists every URL the page refers to: links, stylesheets and icons,
// images, scripts, as the browser resolved them (absolute, with fragments).
const pageRefs = `[...document.querySelectorAll('a[href], link[href], img[src], script[src], source[src], video[src], video[poster]')]
  .map(el => el.href || el.src || el.poster || '')`

// TestSubPath builds the site for http://host/bantin/, serves it only under
// /bantin/, and follows the first article and a menu entry by clicking, as a
// reader would. No request the browser makes may fail, and every same-site
// URL on those pages must answer 200.
func TestSubPath(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/bantin/")
	s.failures() // forget anything from before this test

	load(t, ctx, desktop, s.URL)
	checked := map[string]bool{}
	checkRefs(t, ctx, s, checked)

	// The first article on the home page.
	first := chromedp.CSS("main article h3 a")
	want, err := chromedp.Run(ctx, chromedp.Text(first))
	if err != nil {
		t.Fatalf("home page has no article link: %v", err)
	}
	clickAndWait(t, ctx, first)
	assertPage(t, ctx, s, want)
	checkRefs(t, ctx, s, checked)

	// A menu entry: the tasks tracker.
	menu := chromedp.CSS(`nav[aria-label="Menu chính"] a[href$="/nhiem-vu/"]`)
	clickAndWait(t, ctx, menu)
	assertPage(t, ctx, s, "Theo dõi nhiệm vụ")
	checkRefs(t, ctx, s, checked)

	// Back home through the menu's first entry.
	clickAndWait(t, ctx, chromedp.CSS(`nav[aria-label="Menu chính"] li:first-child a`))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != s.URL {
		t.Errorf("the menu's first entry leads to %s, want %s", loc, s.URL)
	}

	for _, f := range s.failures() {
		t.Errorf("the browser's request failed: %s", f)
	}
	t.Logf("checked %d same-site URLs", len(checked))
}

// clickAndWait clicks sel and waits until the page it leads to has loaded.
func clickAndWait(t *testing.T, ctx context.Context, sel chromedp.CSS) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))); err != nil {
		t.Fatalf("clicking %s: %v", sel, err)
	}
}

// assertPage checks that the browser is on a page under the site's prefix
// whose h1 is h1.
func assertPage(t *testing.T, ctx context.Context, s *servedSite, h1 string) {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, s.URL) {
		t.Errorf("clicked through to %s, outside %s", loc, s.URL)
	}
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatalf("%s: no h1: %v", loc, err)
	}
	if strings.TrimSpace(got) != strings.TrimSpace(h1) {
		t.Errorf("%s: h1 = %q, want %q", loc, got, h1)
	}
}

// checkRefs fetches every same-site URL the current page refers to (once per
// test) and reports those that are outside the prefix or do not answer 200.
func checkRefs(t *testing.T, ctx context.Context, s *servedSite, checked map[string]bool) {
	t.Helper()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	refs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](pageRefs))
	if err != nil {
		t.Fatal(err)
	}
	site, _ := url.Parse(s.URL)
	var todo []string
	for _, r := range refs {
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("%s: bad URL %q: %v", loc, r, err)
			continue
		}
		if u.Host != site.Host || (u.Scheme != "http" && u.Scheme != "https") {
			continue // another site, mailto:, tel:
		}
		u.Fragment = ""
		if !strings.HasPrefix(u.Path, s.Prefix) {
			t.Errorf("%s refers to %s, outside the base path %s", loc, u, s.Prefix)
			continue
		}
		if k := u.String(); !checked[k] {
			checked[k] = true
			todo = append(todo, k)
		}
	}
	sort.Strings(todo)
	for _, u := range todo {
		res, err := http.Get(u)
		if err != nil {
			t.Errorf("%s → %s: %v", loc, u, err)
			continue
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s → %s: %s", loc, u, res.Status)
		}
	}
}
