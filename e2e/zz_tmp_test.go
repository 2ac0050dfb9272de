package e2e

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestTmpIncomplete(t *testing.T) {
	axeJS, _ := os.ReadFile("testdata/axe.min.js")
	s := committeeSite(t, "/")
	ctx := newTab(t)
	for _, v := range []viewport{desktop, phone} {
		for _, p := range keyPages {
			load(t, ctx, v, s.URL+p.path)
			chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS)))
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}}).then(r => r.incomplete.map(v => v.id + ': ' + v.nodes.length + ' ' + v.nodes.slice(0,3).map(n => n.target.join(' ') + ' [' + (n.any[0]||{}).message + ']').join(' | ')).join('\n'))`, chromedp.EvalAwaitPromise))
			t.Logf("%s %s: %v\n%s", p.name, v.name, err, raw)
		}
	}
}
