package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// smallTargets lists the links that stand on their own — menus, breadcrumbs,
// pagers, sidebar and footer blocks, tag pills — and are less than 44×44 CSS
// pixels. Links inside running text are exempt (WCAG 2.5.5/2.5.8 "inline").
const smallTargets = `[...document.querySelectorAll('nav a, aside a, footer a, .tags a')]
  .filter(a => a.getClientRects().length > 0)
  .map(a => ({text: a.innerText.replace(/\s+/g, ' ').trim(), w: a.getBoundingClientRect().width, h: a.getBoundingClientRect().height}))
  .filter(r => r.w < 43.5 || r.h < 43.5)`

type target struct {
	Text string  `json:"text"`
	W    float64 `json:"w"`
	H    float64 `json:"h"`
}

// TestTapTargets checks, at phone width, that every stand-alone link of the
// key pages is at least 44 CSS pixels in both directions.
func TestTapTargets(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	for _, p := range keyPages {
		load(t, ctx, phone, s.URL+p.path)
		small, err := chromedp.Run(ctx, chromedp.Evaluate[[]target](smallTargets))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range small {
			t.Errorf("%s at phone width: link %q is %.0f×%.0f px, want at least 44×44", p.name, r.Text, r.W, r.H)
		}
	}
}
