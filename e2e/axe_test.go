package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeRun runs axe-core (injected first) on the loaded page with the WCAG 2.1
// A/AA and best-practice rules, and reduces the answer to what a failure
// message needs.
const axeRun = `axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']},
  resultTypes: ['violations']
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
  nodes: v.nodes.length,
  target: v.nodes.length ? v.nodes[0].target.join(' ') : '',
  html: v.nodes.length ? v.nodes[0].html : '',
  summary: v.nodes.length ? (v.nodes[0].failureSummary || '') : ''
})))`

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   int    `json:"nodes"`
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// TestAxe checks the key pages with axe-core at desktop and phone width and
// fails with every violation found.
func TestAxe(t *testing.T) {
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newTab(t)
	s := committeeSite(t, "/")
	for _, v := range []viewport{desktop, phone} {
		for _, p := range keyPages {
			t.Run(p.name+"/"+v.name, func(t *testing.T) {
				url := s.URL + p.path
				load(t, ctx, v, url)
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
					t.Fatalf("injecting axe-core: %v", err)
				}
				raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](axeRun, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("running axe-core on %s: %v", url, err)
				}
				var found []axeViolation
				if err := json.Unmarshal(raw, &found); err != nil {
					t.Fatalf("axe-core's answer: %v\n%s", err, raw)
				}
				for _, f := range found {
					t.Errorf("%s (%s): %s — %d node(s); first %s: %s\n\t%s\n\t%s",
						f.ID, f.Impact, f.Help, f.Nodes, f.Target, f.HTML,
						strings.ReplaceAll(f.Summary, "\n", "\n\t"), f.HelpURL)
				}
			})
		}
	}
}
