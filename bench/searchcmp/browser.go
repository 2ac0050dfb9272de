package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium, started with the flags e2e/helpers_test.go uses on this
// machine. Every measurement gets a new browser context (chromedp.WithNewBrowserContext): an
// incognito-like profile with an empty HTTP cache, disposed of afterwards.
type browser struct {
	ctx     context.Context
	cancel  func()
	profile string
}

func startBrowser(exe string) (*browser, error) {
	profile, err := os.MkdirTemp("", "searchcmp-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Env("TMPDIR="+profile),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	b := &browser{ctx: ctx, profile: profile, cancel: func() { cancelC(); cancelA() }}
	if err := chromedp.Do(ctx); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *browser) close() {
	b.cancel()
	for range 50 {
		if os.RemoveAll(b.profile) == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tab opens a tab in a new browser context (an empty cache); done closes both.
func (b *browser) tab() (ctx context.Context, done func(), err error) {
	c, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(c); err != nil {
		cancel()
		return nil, nil, err
	}
	t, tcancel := context.WithTimeout(c, 3*time.Minute)
	return t, func() { tcancel(); cancel() }, nil
}

// shown is what a query showed: the time from its start to the results, the number of
// matches and the first five results.
type shown struct {
	Ms     float64  `json:"ms"`
	Status string   `json:"status"`
	Total  int      `json:"total"`
	Titles []string `json:"titles"`
	Hrefs  []string `json:"hrefs"`
}

// bantinWatch is installed in every document of a bantin tab before its scripts run: it logs
// each text of the status line (p.search-status, which search.js fills last, once the results
// are in the list) with its time, and defines __searchcmp(q), which resolves with the first
// status naming “q” and the results then shown.
const bantinWatch = `(() => {
  const log = [], waiters = new Set();
  let last = null;
  const look = () => {
    const s = document.querySelector('#search-results .search-status');
    const t = s ? s.textContent : '';
    if (t !== last) { last = t; log.push({t: performance.now(), text: t}); for (const f of [...waiters]) f(); }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
  window.__searchcmp = (q) => new Promise((resolve) => {
    const want = '\u201c' + q.trim() + '\u201d';
    const check = () => {
      const e = log.find((e) => e.text.includes(want));
      if (!e) return false;
      waiters.delete(check);
      const links = [...document.querySelectorAll('#search-results .search-list li h2 a')].slice(0, 5);
      resolve({ms: e.t, status: e.text, titles: links.map((a) => a.textContent), hrefs: links.map((a) => a.getAttribute('href'))});
      return true;
    };
    if (!check()) waiters.add(check);
  });
})();`

// bantinSubmit types q into the search page's own form and submits it (search.js runs the query
// in place, no navigation); the time counts from the submit.
const bantinSubmit = `(async (q) => {
  const f = document.querySelector('main form[role=search]'), i = f.querySelector('input[name=q]');
  const t0 = performance.now();
  i.value = q;
  f.requestSubmit();
  const r = await window.__searchcmp(q);
  r.ms -= t0;
  return r;
})(%s)`

// pagefindPrime loads Pagefind's client in the page: pagefind.js, its worker, the WASM, the entry
// and the language's metadata (search("") returns once all are in, fetching no index chunk).
const pagefindPrime = `(async (base) => {
  window.__pf = await import(base + 'pagefind.js');
  await window.__pf.init();
  await window.__pf.search('');
  return true;
})(%s)`

// pagefindQuery runs a query through Pagefind's JS API and loads the first n results' data
// (their fragments), as Pagefind's own UI does for the first page of results.
const pagefindQuery = `(async (base, q, n) => {
  const t0 = performance.now();
  const pf = window.__pf || await import(base + 'pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  const d = await Promise.all(r.results.slice(0, n).map((x) => x.data()));
  return {ms: performance.now() - t0, total: r.results.length, titles: d.map((x) => (x.meta && x.meta.title) || ''), hrefs: d.map((x) => x.url)};
})(%s, %s, %d)`

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func eval[T any](ctx context.Context, expr string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// engine is one search to measure: bantin's page, or a Pagefind bundle through its JS API.
type engine struct {
	Name   string // "bantin", "pagefind", "pagefind-main"
	Bundle string // Pagefind: the bundle's URL path, "/pagefind/"
}

// harness runs the measurements.
type harness struct {
	b       *browser
	s       *server
	base    string // http://127.0.0.1:port
	results int    // Pagefind results whose data is loaded
	quiet   time.Duration
}

// measurement is one query (or the client's load) on one engine.
type measurement struct {
	Engine   string   `json:"engine"`
	Query    string   `json:"query"`
	Mode     string   `json:"mode"` // cold, warm, session
	Run      int      `json:"run"`
	Wire     int64    `json:"wire"` // bytes written to the connections, headers included
	Requests []reqLog `json:"requests"`
	Shown    shown    `json:"shown"`
}

func (m measurement) body(kind string) int64 {
	var n int64
	for _, r := range m.Requests {
		if kind == "" || requestKind(m.Engine, r.Path) == kind {
			n += r.Body
		}
	}
	return n
}

// requestKind sorts a request: "code" (the client: search.js; pagefind.js, its worker and WASM),
// "index" (manifests, shards, metadata, fragments), or "page" (the search page's HTML, CSS,
// icons; the blank page).
func requestKind(engine, p string) string {
	u, err := url.Parse(p)
	if err == nil {
		p = u.Path
	}
	switch {
	case p == "/tim-kiem/search.js", hasSuffixAny(p, "/pagefind.js", "/pagefind-worker.js", ".pagefind"):
		return "code"
	case p == "/tim-kiem/index.json", len(p) > 12 && p[:12] == "/tim-kiem/i/",
		hasSuffixAny(p, "pagefind-entry.json", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"):
		return "index"
	}
	return "page"
}

func hasSuffixAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) >= len(x) && s[len(s)-len(x):] == x {
			return true
		}
	}
	return false
}

func label(e engine, q, mode string, run int) string {
	return fmt.Sprintf("%s|%s|%s|%d", e.Name, mode, q, run)
}

// cold runs q in a fresh browser context: everything it needs is fetched, the client included.
func (h *harness) cold(e engine, q string, run int) (measurement, error) {
	ctx, done, err := h.b.tab()
	if err != nil {
		return measurement{}, err
	}
	defer done()
	m := measurement{Engine: e.Name, Query: q, Mode: "cold", Run: run}
	if e.Bundle == "" {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: bantinWatch}); err != nil {
			return m, err
		}
		w0, l0 := h.s.begin(label(e, q, "cold", run))
		if err := chromedp.Do(ctx, chromedp.Navigate(h.base+"/tim-kiem/?q="+url.QueryEscape(q))); err != nil {
			return m, err
		}
		m.Shown, err = eval[shown](ctx, fmt.Sprintf(`window.__searchcmp(%s)`, jsString(q)))
		m.Wire, m.Requests = h.s.end(w0, l0, h.quiet)
		return m, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(h.base+blankPath)); err != nil {
		return m, err
	}
	h.s.waitIdle(h.quiet)
	w0, l0 := h.s.begin(label(e, q, "cold", run))
	m.Shown, err = eval[shown](ctx, fmt.Sprintf(pagefindQuery, jsString(e.Bundle), jsString(q), h.results))
	m.Wire, m.Requests = h.s.end(w0, l0, h.quiet)
	return m, err
}

// open loads the engine's client in a fresh browser context and waits until it is idle:
// bantin's /tim-kiem/ with no query (the page, its CSS and search.js; no index file), or
// Pagefind's client primed (pagefindPrime). What it fetched is returned as the "client" load.
func (h *harness) open(e engine) (context.Context, func(), measurement, error) {
	ctx, done, err := h.b.tab()
	if err != nil {
		return nil, nil, measurement{}, err
	}
	m := measurement{Engine: e.Name, Mode: "client"}
	fail := func(err error) (context.Context, func(), measurement, error) {
		done()
		return nil, nil, m, err
	}
	if e.Bundle == "" {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: bantinWatch}); err != nil {
			return fail(err)
		}
		w0, l0 := h.s.begin(label(e, "", "client", 0))
		if err := chromedp.Do(ctx, chromedp.Navigate(h.base+"/tim-kiem/")); err != nil {
			return fail(err)
		}
		m.Wire, m.Requests = h.s.end(w0, l0, h.quiet)
		return ctx, done, m, nil
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(h.base+blankPath)); err != nil {
		return fail(err)
	}
	h.s.waitIdle(h.quiet)
	w0, l0 := h.s.begin(label(e, "", "client", 0))
	if _, err := eval[bool](ctx, fmt.Sprintf(pagefindPrime, jsString(e.Bundle))); err != nil {
		return fail(err)
	}
	m.Wire, m.Requests = h.s.end(w0, l0, h.quiet)
	return ctx, done, m, nil
}

// query runs q in an opened tab and measures what it alone fetched.
func (h *harness) query(ctx context.Context, e engine, q, mode string, run int) (measurement, error) {
	m := measurement{Engine: e.Name, Query: q, Mode: mode, Run: run}
	w0, l0 := h.s.begin(label(e, q, mode, run))
	var err error
	if e.Bundle == "" {
		m.Shown, err = eval[shown](ctx, fmt.Sprintf(bantinSubmit, jsString(q)))
	} else {
		m.Shown, err = eval[shown](ctx, fmt.Sprintf(pagefindQuery, jsString(e.Bundle), jsString(q), h.results))
	}
	m.Wire, m.Requests = h.s.end(w0, l0, h.quiet)
	return m, err
}

// warm runs q after the client is loaded (open), in a fresh context: the query's own files.
func (h *harness) warm(e engine, q string, run int) (measurement, measurement, error) {
	ctx, done, client, err := h.open(e)
	if err != nil {
		return measurement{}, client, err
	}
	defer done()
	m, err := h.query(ctx, e, q, "warm", run)
	return m, client, err
}

// session runs all queries one after the other in one tab, as a reader searching again and
// again: each one fetches only what the ones before it did not.
func (h *harness) session(e engine, qs []string) ([]measurement, measurement, error) {
	ctx, done, client, err := h.open(e)
	if err != nil {
		return nil, client, err
	}
	defer done()
	var out []measurement
	for _, q := range qs {
		m, err := h.query(ctx, e, q, "session", 1)
		if err != nil {
			return out, client, fmt.Errorf("%s %q: %w", e.Name, q, err)
		}
		out = append(out, m)
	}
	return out, client, nil
}
