// Command searchcmp measures bantin's search against Pagefind on one built site, for
// docs/search.md (issue 12). It is a benchmark, not a test: nothing here runs in go test.
//
//	searchcmp sizes -site DIR                 index bytes and files: tim-kiem/ and every pagefind*/ bundle
//	searchcmp run   -site DIR [-json FILE]    bytes per query, latency and the top 5, in headless Chromium
//	searchcmp explain -site DIR [QUERY…]      every match of each engine against the judge's (not measured)
//	searchcmp serve -site DIR [-addr :8080]   the same static server, for looking by hand
//
// The server (server.go) gzips text as a host would and counts the bytes it writes; the
// browser is driven with chromedp (browser.go); the judge (judge.go) reads each result's page
// from DIR and says whether it holds the query's words. bench/searchcmp/run.sh runs it all,
// timings included. Pagefind bundles are looked for as DIR/pagefind*/ (pagefind.js inside).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// queries are the ten of the brief, then document numbers the corpus has (09-QC/TW is not in it).
var queries = []string{
	"so ket", "Sơ kết", "dang uy", "Đảng ủy", "phat trien dang vien", "hội nghị ban chấp hành",
	"chuyen doi so", "kiem tra giam sat", "phat tri", "khu công nghiệp",
	"35-nq/tw", "214-kh/duk",
}

const mainQueries = 10 // the first ten are the benchmark's; the rest are extras

func main() {
	log.SetFlags(0)
	log.SetPrefix("searchcmp: ")
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	site := fs.String("site", "", "the built site (bantin build -d DIR, then pagefind --site DIR)")
	addr := fs.String("addr", "127.0.0.1:8080", "serve: the address")
	chromium := fs.String("chromium", envOr("BANTIN_CHROMIUM", "/usr/bin/chromium"), "run: the browser")
	runs := fs.Int("runs", 3, "run: cold runs of each query on each engine (the engines alternate); latency is their median")
	results := fs.Int("results", 5, "run: Pagefind results whose data() is loaded (bantin shows 10 at a time)")
	jsonOut := fs.String("json", "", "run: write every measurement and request here")
	quiet := fs.Duration("quiet", 300*time.Millisecond, "run: a measurement ends when no request has been in flight for this long")
	only := fs.String("engines", "", "run: comma-separated engines (bantin, and Pagefind bundle folder names); default all found")
	fs.Parse(os.Args[2:])
	if *site == "" {
		log.Fatal("-site is required")
	}
	switch os.Args[1] {
	case "sizes":
		if err := printSizes(*site); err != nil {
			log.Fatal(err)
		}
	case "serve":
		s := newServer(*site)
		log.Printf("serving %s at http://%s/ (Pagefind's blank page: %s)", *site, *addr, blankPath)
		log.Fatal(http.ListenAndServe(*addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.ServeHTTP(w, r)
			s.mu.Lock()
			l := s.log[len(s.log)-1]
			s.log = s.log[:0]
			s.mu.Unlock()
			log.Printf("%d %7d B %-4s %s", l.Status, l.Body, l.Enc, l.Path)
		})))
	case "run":
		engines, err := findEngines(*site, *only)
		if err != nil {
			log.Fatal(err)
		}
		if err := run(*site, *chromium, engines, *runs, *results, *quiet, *jsonOut); err != nil {
			log.Fatal(err)
		}
	case "explain":
		engines, err := findEngines(*site, *only)
		if err != nil {
			log.Fatal(err)
		}
		qs := queries
		if fs.NArg() > 0 {
			qs = fs.Args()
		}
		if err := explain(*site, *chromium, engines, qs); err != nil {
			log.Fatal(err)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: searchcmp sizes|run|explain|serve -site DIR [flags]")
	os.Exit(2)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// findEngines returns bantin and the site's Pagefind bundles (folders pagefind* with pagefind.js).
func findEngines(site, only string) ([]engine, error) {
	es := []engine{{Name: "bantin"}}
	dirs, _ := filepath.Glob(filepath.Join(site, "pagefind*", "pagefind.js"))
	for _, d := range dirs {
		name := filepath.Base(filepath.Dir(d))
		es = append(es, engine{Name: name, Bundle: "/" + name + "/"})
	}
	if only != "" {
		want := strings.Split(only, ",")
		es = slices.DeleteFunc(es, func(e engine) bool { return !slices.Contains(want, e.Name) })
	}
	if _, err := os.Stat(filepath.Join(site, "tim-kiem", "index.json")); err != nil {
		return nil, fmt.Errorf("no bantin index in %s: %w", site, err)
	}
	return es, nil
}

func printSizes(site string) error {
	pages, err := countPages(site)
	if err != nil {
		return err
	}
	files, err := countFiles(site)
	if err != nil {
		return err
	}
	fmt.Printf("site: %d HTML pages, %d files (outside tim-kiem/ and pagefind*/)\n\n", pages, files)
	fmt.Println("| | files | raw | gzip as served |")
	fmt.Println("|---|---:|---:|---:|")
	row := func(d dirSize) {
		fmt.Printf("| %s | %d | %s | %s |\n", d.Name, d.Files, kb(d.Raw), kb(d.Served))
	}
	for _, x := range []struct {
		dir, name string
		keep      func(string) bool
	}{
		{"tim-kiem", "bantin `tim-kiem/` (all)", nil},
		{"tim-kiem", "… index (`index.json`, `i/`)", func(r string) bool { return r == "tim-kiem/index.json" || strings.HasPrefix(r, "tim-kiem/i/") }},
		{"tim-kiem", "… client (`search.js`)", func(r string) bool { return r == "tim-kiem/search.js" }},
		{"tim-kiem", "… the search page (`index.html`)", func(r string) bool { return r == "tim-kiem/index.html" }},
	} {
		d, err := sizeOf(site, x.dir, x.name, x.keep)
		if err != nil {
			return err
		}
		row(d)
	}
	bundles, _ := filepath.Glob(filepath.Join(site, "pagefind*", "pagefind.js"))
	for _, b := range bundles {
		dir := filepath.Base(filepath.Dir(b))
		for _, x := range []struct {
			name string
			keep func(string) bool
		}{
			{"Pagefind `" + dir + "/` (all)", nil},
			{"… used by the JS API (not the *-ui*, highlight files)", pagefindUsed},
			{"… `index/`", func(r string) bool { return strings.HasPrefix(r, dir+"/index/") }},
			{"… `fragment/`", func(r string) bool { return strings.HasPrefix(r, dir+"/fragment/") }},
			{"… client (`pagefind.js`, worker, WASM)", func(r string) bool {
				return hasSuffixAny(r, "/pagefind.js", "/pagefind-worker.js", ".pagefind")
			}},
			{"… entry and `.pf_meta`", func(r string) bool { return hasSuffixAny(r, "pagefind-entry.json", ".pf_meta") }},
		} {
			d, err := sizeOf(site, dir, x.name, x.keep)
			if err != nil {
				return err
			}
			row(d)
		}
	}
	return nil
}

func kb(n int64) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1e3)
}

// report is everything run measured, for -json.
type report struct {
	Site      string                   `json:"site"`
	Engines   []engine                 `json:"engines"`
	Results   int                      `json:"pagefindResults"`
	Cold      []measurement            `json:"cold"`
	Warm      []measurement            `json:"warm"`
	Client    map[string]measurement   `json:"client"`
	Session   map[string][]measurement `json:"session"`
	Truth     map[string][2]int        `json:"truth"` // query → articles with all words, as a phrase
	Verdicts  map[string][]string      `json:"verdicts"`
	StartedAt time.Time                `json:"startedAt"`
}

func run(site, chromium string, engines []engine, runs, results int, quiet time.Duration, jsonOut string) error {
	rep := report{Site: site, Engines: engines, Results: results, Client: map[string]measurement{},
		Session: map[string][]measurement{}, Truth: map[string][2]int{}, Verdicts: map[string][]string{}, StartedAt: time.Now()}
	log.Printf("reading the articles of %s for the judge…", site)
	j, err := newJudge(site)
	if err != nil {
		return err
	}
	s := newServer(site)
	base, err := s.listen()
	if err != nil {
		return err
	}
	b, err := startBrowser(chromium)
	if err != nil {
		return fmt.Errorf("starting %s: %w", chromium, err)
	}
	defer b.close()
	h := &harness{b: b, s: s, base: base, results: results, quiet: quiet}

	// Warm the server's gzip cache and the page cache of the OS, so that the first measured
	// run is not the one that reads the files from disk.
	for _, e := range engines {
		for _, q := range queries {
			if _, err := h.cold(e, q, 0); err != nil {
				return fmt.Errorf("%s %q (warm-up): %w", e.Name, q, err)
			}
		}
	}
	for r := 1; r <= runs; r++ {
		log.Printf("cold run %d of %d…", r, runs)
		for _, q := range queries {
			for _, e := range engines {
				m, err := h.cold(e, q, r)
				if err != nil {
					return fmt.Errorf("%s %q: %w", e.Name, q, err)
				}
				rep.Cold = append(rep.Cold, m)
			}
		}
	}
	log.Printf("query after the client is loaded…")
	for _, q := range queries {
		for _, e := range engines {
			m, client, err := h.warm(e, q, 1)
			if err != nil {
				return fmt.Errorf("%s %q (warm): %w", e.Name, q, err)
			}
			rep.Warm = append(rep.Warm, m)
			rep.Client[e.Name] = client
		}
	}
	log.Printf("one session of all the queries…")
	for _, e := range engines {
		ms, _, err := h.session(e, queries)
		if err != nil {
			return err
		}
		rep.Session[e.Name] = ms
	}
	for _, q := range queries {
		a, p := j.truth(q)
		rep.Truth[q] = [2]int{a, p}
	}
	printRun(&rep, j)
	if jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", " ")
		if err != nil {
			return err
		}
		return os.WriteFile(jsonOut, b, 0o644)
	}
	return nil
}

func (r *report) find(list []measurement, e, q string, run int) measurement {
	for _, m := range list {
		if m.Engine == e && m.Query == q && (run == 0 || m.Run == run) {
			return m
		}
	}
	return measurement{}
}

var countRe = regexp.MustCompile(`Tìm thấy ([\d.\s\x{a0}]+) kết quả`)

// total is the number of matches a measurement showed (bantin's from its status line).
func total(m measurement) int {
	if m.Engine != "bantin" {
		return m.Shown.Total
	}
	if c := countRe.FindStringSubmatch(m.Shown.Status); c != nil {
		n, _ := strconv.Atoi(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, c[1]))
		return n
	}
	return 0
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func kB(n int64) string { return fmt.Sprintf("%.1f", float64(n)/1e3) }

func printRun(r *report, j *judge) {
	es := r.Engines
	fmt.Printf("## Bytes per query (KB = 1,000 bytes written to the connection, headers included)\n\n")
	fmt.Printf("cold: a fresh browser context, nothing cached, the client included; query: the client loaded first in a fresh context, then the query's own requests; session: all queries in order in one tab.\n\n")
	fmt.Print("| query |")
	for _, e := range es {
		fmt.Printf(" %s cold | %s query | %s session |", e.Name, e.Name, e.Name)
	}
	fmt.Print("\n|---|")
	for range es {
		fmt.Print("---:|---:|---:|")
	}
	fmt.Println()
	sess := map[string]map[string]measurement{}
	for _, e := range es {
		sess[e.Name] = map[string]measurement{}
		for _, m := range r.Session[e.Name] {
			sess[e.Name][m.Query] = m
		}
	}
	for i, q := range queries {
		if i == mainQueries {
			fmt.Printf("| *extras* |%s\n", strings.Repeat(" |", 3*len(es)))
		}
		fmt.Printf("| %s |", q)
		for _, e := range es {
			c := r.find(r.Cold, e.Name, q, 1)
			w := r.find(r.Warm, e.Name, q, 1)
			fmt.Printf(" %s | %s | %s |", kB(c.Wire), kB(w.Wire), kB(sess[e.Name][q].Wire))
		}
		fmt.Println()
	}
	fmt.Print("| **median (ten)** / max |")
	for _, e := range es {
		var c, w, s []float64
		for _, q := range queries[:mainQueries] {
			c = append(c, float64(r.find(r.Cold, e.Name, q, 1).Wire))
			w = append(w, float64(r.find(r.Warm, e.Name, q, 1).Wire))
			s = append(s, float64(sess[e.Name][q].Wire))
		}
		fmt.Printf(" **%s** / %s | **%s** / %s | **%s** / %s |", kB(int64(median(c))), kB(int64(slices.Max(c))),
			kB(int64(median(w))), kB(int64(slices.Max(w))), kB(int64(median(s))), kB(int64(slices.Max(s))))
	}
	fmt.Println()
	fmt.Print("| session total (ten) |")
	for _, e := range es {
		var n int64
		for _, q := range queries[:mainQueries] {
			n += sess[e.Name][q].Wire
		}
		fmt.Printf(" | | %s |", kB(n+r.Client[e.Name].Wire))
	}
	fmt.Printf("\n\n(session total includes the client load.)\n\n")

	fmt.Printf("### Cold, by kind (bodies as sent, KB), requests\n\n")
	fmt.Println("| query | engine | page | code | index | requests | wire |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|")
	for _, q := range queries {
		for _, e := range es {
			c := r.find(r.Cold, e.Name, q, 1)
			fmt.Printf("| %s | %s | %s | %s | %s | %d | %s |\n", q, e.Name, kB(c.body("page")), kB(c.body("code")), kB(c.body("index")), len(c.Requests), kB(c.Wire))
		}
	}
	fmt.Printf("\n### The client alone (loaded before the query in the \"query\" column)\n\n")
	for _, e := range es {
		c := r.Client[e.Name]
		var paths []string
		for _, q := range c.Requests {
			paths = append(paths, fmt.Sprintf("%s %s", q.Path, kB(q.Body)))
		}
		fmt.Printf("- %s: %s KB in %d requests: %s\n", e.Name, kB(c.Wire), len(c.Requests), strings.Join(paths, ", "))
	}
	// Were the bytes the same in every run?
	for _, m := range r.Cold {
		if f := r.find(r.Cold, m.Engine, m.Query, 1); f.Wire != m.Wire {
			fmt.Printf("\nnote: %s %q moved %d bytes in run %d, %d in run 1\n", m.Engine, m.Query, m.Wire, m.Run, f.Wire)
		}
	}

	fmt.Printf("\n## Time to results (ms, localhost, no throttling; cold: median of %d runs)\n\n", maxRun(r.Cold))
	fmt.Print("| query |")
	for _, e := range es {
		fmt.Printf(" %s cold | %s query |", e.Name, e.Name)
	}
	fmt.Print("\n|---|")
	for range es {
		fmt.Print("---:|---:|")
	}
	fmt.Println()
	for _, q := range queries {
		fmt.Printf("| %s |", q)
		for _, e := range es {
			var ms []float64
			for _, m := range r.Cold {
				if m.Engine == e.Name && m.Query == q && m.Run > 0 {
					ms = append(ms, m.Shown.Ms)
				}
			}
			fmt.Printf(" %.0f | %.0f |", median(ms), r.find(r.Warm, e.Name, q, 1).Shown.Ms)
		}
		fmt.Println()
	}

	fmt.Printf("\n## Relevance: the top 5\n\n")
	fmt.Printf("Verdict per result, from the page's own text (<main> without its navs), marks folded (đ → d): T the query as a phrase in the title, P as a phrase in the text, W all its words but not as a phrase, - not all its words. A result that is not an article shows its URL.\n\n")
	for _, q := range queries {
		t := r.Truth[q]
		fmt.Printf("### %q\n\n", q)
		fmt.Printf("Articles (of %d) holding all its words: %d; as a phrase: %d. Matches:", len(j.articles), t[0], t[1])
		for _, e := range es {
			fmt.Printf(" %s %d;", e.Name, total(r.find(r.Cold, e.Name, q, 1)))
		}
		fmt.Printf("\n\n| # |")
		for _, e := range es {
			fmt.Printf(" %s |", e.Name)
		}
		fmt.Print("\n|---|")
		for range es {
			fmt.Print("---|")
		}
		fmt.Println()
		jq := parseJudgeQuery(q)
		cols := make([][]string, len(es))
		for k, e := range es {
			c := r.find(r.Cold, e.Name, q, 1)
			var vs []string
			for i, href := range c.Shown.Hrefs {
				title := ""
				if i < len(c.Shown.Titles) {
					title = strings.TrimSpace(c.Shown.Titles[i])
				}
				u := href
				if strings.HasPrefix(u, "http") {
					if k := strings.Index(u[8:], "/"); k >= 0 {
						u = u[8+k:]
					}
				}
				v := jq.verdict(j.page(u))
				vs = append(vs, v)
				if !articleURL.MatchString(u) {
					title = "`" + u + "` " + title
				}
				cols[k] = append(cols[k], fmt.Sprintf("%s **%s**", title, v))
			}
			r.Verdicts[e.Name+"|"+q] = vs
		}
		for i := range 5 {
			fmt.Printf("| %d |", i+1)
			for k := range es {
				cell := ""
				if i < len(cols[k]) {
					cell = cols[k][i]
				}
				fmt.Printf(" %s |", strings.ReplaceAll(cell, "|", "\\|"))
			}
			fmt.Println()
		}
		fmt.Println()
	}
	fmt.Printf("## Verdicts (top 5: T/P/W/-)\n\n| query |")
	for _, e := range es {
		fmt.Printf(" %s |", e.Name)
	}
	fmt.Print("\n|---|")
	for range es {
		fmt.Print("---|")
	}
	fmt.Println()
	for _, q := range queries {
		fmt.Printf("| %s |", q)
		for _, e := range es {
			fmt.Printf(" %s |", strings.Join(r.Verdicts[e.Name+"|"+q], ""))
		}
		fmt.Println()
	}
}

func maxRun(ms []measurement) int {
	n := 0
	for _, m := range ms {
		n = max(n, m.Run)
	}
	return n
}
