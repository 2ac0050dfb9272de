package e2e

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestSearch is a reader searching: on an article, they type "so ket" (no
// marks) in the header's box and press Enter; the search page shows the
// seed article ("Sơ kết …") first, with the matched words marked, and
// following it opens the article. The same under a sub-path baseURL, on a
// phone; and the page passes axe with results shown.
func TestSearch(t *testing.T) {
	for _, tc := range []struct {
		name, prefix string
		v            viewport
	}{
		{"root", "/", desktop},
		{"subpath", "/bantin/", phone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := newTab(t)
			s := committeeSite(t, tc.prefix)
			s.failures()
			load(t, ctx, tc.v, s.URL+"hoat-dong/")
			box := chromedp.CSS(`header form[role="search"] input[name="q"]`)
			if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
				chromedp.SendKeys(box, "so ket\r"))); err != nil {
				t.Fatalf("typing in the header's search box: %v", err)
			}
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			u, err := url.Parse(loc)
			if err != nil || u.Path != tc.prefix+"tim-kiem/" || u.Query().Get("q") != "so ket" {
				t.Fatalf("the search box led to %s; want %stim-kiem/?q=so+ket", loc, tc.prefix)
			}
			poll(t, ctx, `document.querySelectorAll('#search-results .search-list li').length > 0`, "results")
			type result struct {
				Status string
				Titles []string
				Hrefs  []string
				Marks  []string
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[result](`({
				status: document.querySelector('#search-results .search-status')?.textContent ?? '',
				titles: [...document.querySelectorAll('#search-results .search-list li h2 a')].map(a => a.textContent),
				hrefs: [...document.querySelectorAll('#search-results .search-list li h2 a')].map(a => a.href),
				marks: [...document.querySelectorAll('#search-results .search-list li:first-child mark')].map(m => m.textContent),
			})`))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Titles) == 0 || got.Titles[0] != seedTitle {
				t.Fatalf("results for \"so ket\": %q; want the seed article first", got.Titles)
			}
			if !strings.Contains(got.Status, "kết quả") {
				t.Errorf("the count reads %q", got.Status)
			}
			marked := strings.ToLower(strings.Join(got.Marks, " "))
			if !strings.Contains(marked, "sơ") || !strings.Contains(marked, "kết") {
				t.Errorf("the first result marks %q; want Sơ and kết", got.Marks)
			}
			if !strings.HasPrefix(got.Hrefs[0], s.URL) {
				t.Errorf("the first result links to %s, outside %s", got.Hrefs[0], s.URL)
			}
			if tc.name == "root" {
				axeCheck(t, ctx)
				shot := filepath.Join(shotsDir(t), "search-so-ket-"+tc.v.name+".png")
				if buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					_ = os.WriteFile(shot, buf, 0o644)
					t.Logf("screenshot: %s", shot)
				}
			}
			clickAndWait(t, ctx, chromedp.CSS(`#search-results .search-list li:first-child h2 a`))
			assertPage(t, ctx, s, seedTitle)
			for _, f := range s.failures() {
				t.Errorf("the browser's request failed: %s", f)
			}
		})
	}
}

// TestSearchWithoutJS: the search page, as built, says search needs
// JavaScript and links to the sections (no browser needed).
func TestSearchWithoutJS(t *testing.T) {
	s := committeeSite(t, "/")
	b, err := os.ReadFile(filepath.Join(s.Dir, "tim-kiem", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	i := strings.Index(page, "<noscript>")
	if i < 0 || !strings.Contains(page[i:], "cần JavaScript") || !strings.Contains(page[i:], `href="`+s.URL+`tin-tuc/"`) && !strings.Contains(page[i:], `href=/tin-tuc/`) && !strings.Contains(page[i:], `href="/tin-tuc/"`) {
		t.Errorf("the search page's <noscript> does not say it needs JavaScript and link the sections:\n%s", page[max(i, 0):])
	}
}
