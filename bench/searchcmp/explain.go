package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chromedp/chromedp"
)

// explain is not measured: for each query it lists every match of each engine (bantin through
// bantinSearch.open, which search.js exports; Pagefind through its JS API with verbose scores,
// loading every result's fragment), compares them with the articles the judge finds holding
// the query's words, and shows the index words Pagefind scored for its top results.

const bantinAll = `(async (q) => {
  const idx = bantinSearch.open('/tim-kiem/index.json');
  const r = await idx.search(q);
  const hs = await idx.describe(r, 0, r.total);
  return {urls: hs.map((h) => h.url), terms: []};
})(%s)`

const pagefindAll = `(async (base, q) => {
  const pf = await import(base + 'pagefind.js');
  await pf.init();
  const r = await pf.search(q, {verbose: true});
  const d = await Promise.all(r.results.map((x) => x.data()));
  const ws = (x) => { const w = x.content.split(/\s+/); return [...new Set(x.locations.map((l) => w[l]))].slice(0, 8).join(' '); };
  return {urls: d.map((x) => x.url), terms: d.slice(0, 5).map(ws)};
})(%s, %s)`

type allMatches struct {
	URLs  []string `json:"urls"`
	Terms []string `json:"terms"` // Pagefind: the words it scored, for each of the top 5
}

func explain(site, chromium string, engines []engine, qs []string) error {
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
		return err
	}
	defer b.close()
	for _, q := range qs {
		jq := parseJudgeQuery(q)
		truth := map[string]bool{}
		for _, u := range j.articles {
			if jq.all(j.pages[u].Text) {
				truth[u] = true
			}
		}
		phrase := map[string]bool{}
		for u := range truth {
			if jq.phrase(j.pages[u].Text) {
				phrase[u] = true
			}
		}
		fmt.Printf("### %q: %d articles hold all its words, %d as a phrase\n\n", q, len(truth), len(phrase))
		for _, e := range engines {
			ctx, done, err := b.tab()
			if err != nil {
				return err
			}
			var got allMatches
			if e.Bundle == "" {
				err = chromedp.Do(ctx, chromedp.Navigate(base+"/tim-kiem/"))
				if err == nil {
					got, err = eval[allMatches](ctx, fmt.Sprintf(bantinAll, jsString(q)))
				}
			} else {
				err = chromedp.Do(ctx, chromedp.Navigate(base+blankPath))
				if err == nil {
					got, err = eval[allMatches](ctx, fmt.Sprintf(pagefindAll, jsString(e.Bundle), jsString(q)))
				}
			}
			done()
			if err != nil {
				return fmt.Errorf("%s %q: %w", e.Name, q, err)
			}
			var missed, missedPhrase, extra, other []string
			seen := map[string]bool{}
			for _, u := range got.URLs {
				seen[u] = true
				switch {
				case !articleURL.MatchString(u):
					other = append(other, u)
				case !truth[u]:
					extra = append(extra, u)
				}
			}
			for u := range truth {
				if !seen[u] {
					missed = append(missed, u)
					if phrase[u] {
						missedPhrase = append(missedPhrase, u)
					}
				}
			}
			slices.Sort(missed)
			slices.Sort(missedPhrase)
			slices.Sort(extra)
			fmt.Printf("- %s: %d matches: %d articles, %d other pages; %d articles without all the words; missed: %d articles with all the words, %d of them with the phrase\n",
				e.Name, len(got.URLs), len(got.URLs)-len(other), len(other), len(extra), len(missed), len(missedPhrase))
			for _, u := range first(extra, 2) {
				fmt.Printf("  - extra %s: %s\n", u, around(j.page(u).Text, jq))
			}
			show := first(missedPhrase, 2)
			if len(show) == 0 {
				show = first(missed, 2)
			}
			for _, u := range show {
				fmt.Printf("  - missed %s: %s\n", u, around(j.pages[u].Text, jq))
			}
			if len(got.Terms) > 0 {
				fmt.Printf("  - the words it matched in its top 5: %s\n", strings.Join(got.Terms, " | "))
			}
		}
		fmt.Println()
	}
	return nil
}

func first(xs []string, n int) []string {
	return xs[:min(n, len(xs))]
}

// around shows where the query's words are in a page's folded text.
func around(text string, q query) string {
	var out []string
	for i, w := range q {
		pat := " " + w + " "
		if i == len(q)-1 {
			pat = " " + w
		}
		k := strings.Index(text, pat)
		if k < 0 {
			out = append(out, w+": -")
			continue
		}
		out = append(out, fmt.Sprintf("%s: …%s…", w, strings.TrimSpace(text[max(0, k-30):min(len(text), k+40)])))
	}
	return strings.Join(out, "; ")
}
