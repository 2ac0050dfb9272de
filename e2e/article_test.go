package e2e

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// seedTitle is the title of content/tin-tuc/so-ket-1-nam-quy-che-phoi-hop.md.
const seedTitle = "Sơ kết 1 năm quy chế phối hợp giữa Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh và Ban Quản lý các Khu Công nghiệp tỉnh"

// readerView is what a reader sees on an article page, read from rendered
// text (innerText) of visible elements and found by the headings a reader
// would look for, not by class names.
type readerView struct {
	H1        []string `json:"h1"`        // every visible h1
	Dates     []string `json:"dates"`     // visible <time> texts right under the h1
	Attendees []string `json:"attendees"` // items under "Thành phần tham dự"
	Tasks     []string `json:"tasks"`     // items under "Nhiệm vụ, giải pháp"
}

const readArticle = `(() => {
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const text = el => el.innerText.replace(/\s+/g, ' ').trim();
  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  const header = h1s.length ? h1s[0].parentElement : document;
  const sectionOf = title => [...document.querySelectorAll('h2')]
    .filter(h => visible(h) && text(h) === title)
    .map(h => h.closest('section') || h.parentElement)[0];
  const items = (title, sel) => {
    const s = sectionOf(title);
    return s ? [...s.querySelectorAll(sel)].filter(visible).map(text) : [];
  };
  return {
    h1: h1s.map(text),
    dates: [...header.querySelectorAll('time')].filter(visible).map(text),
    attendees: items('Thành phần tham dự', 'li'),
    tasks: items('Nhiệm vụ, giải pháp', 'ol > li'),
  };
})()`

// TestSeedArticle checks what a reader sees on the seed article.
func TestSeedArticle(t *testing.T) {
	ctx := newTab(t)
	s := committeeSite(t, "/")
	url := s.URL + "tin-tuc/so-ket-1-nam-quy-che-phoi-hop/"
	for _, v := range []viewport{desktop, phone} {
		t.Run(v.name, func(t *testing.T) {
			load(t, ctx, v, url)
			got, err := chromedp.Run(ctx, chromedp.Evaluate[readerView](readArticle))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.H1) != 1 || got.H1[0] != seedTitle {
				t.Errorf("visible h1 = %q, want exactly [%q]", got.H1, seedTitle)
			}
			if len(got.Dates) == 0 || got.Dates[0] != "Thứ Năm, 24/11/2022" {
				t.Errorf("date line = %q, want it to start with %q", got.Dates, "Thứ Năm, 24/11/2022")
			}
			var chairs []string
			for _, a := range got.Attendees {
				if strings.Contains(a, "(chủ trì)") {
					chairs = append(chairs, a)
				}
			}
			wantChairs := []string{"Vũ Hữu Thi", "Nguyễn Hoàng Anh"}
			if len(got.Attendees) != 2 || len(chairs) != 2 {
				t.Errorf("Thành phần tham dự = %q, want 2 people, both marked (chủ trì)", got.Attendees)
			}
			for i, name := range wantChairs {
				if i >= len(chairs) || !strings.HasPrefix(chairs[i], name+",") {
					t.Errorf("chair %d = %q, want %s first", i+1, chairs, name)
				}
			}
			if len(got.Tasks) != 7 {
				t.Errorf("Nhiệm vụ, giải pháp has %d items, want 7: %q", len(got.Tasks), got.Tasks)
			}
			if i := slices.IndexFunc(got.Tasks, func(s string) bool { return strings.TrimSpace(s) == "" }); i >= 0 {
				t.Errorf("task %d is empty", i+1)
			}
		})
	}

	t.Run("phone screenshot", func(t *testing.T) {
		load(t, ctx, phone, url)
		buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(buf))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() != int(phone.width) || b.Dy() != int(phone.height) {
			t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), phone.width, phone.height)
		}
		// A blank page compresses to almost nothing; a page with text does not.
		if len(buf) < 20_000 {
			t.Errorf("screenshot is only %d bytes: is the page blank?", len(buf))
		}
		out := filepath.Join(shotsDir(t), "seed-article-phone.png")
		if err := os.WriteFile(out, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes)", out, len(buf))
	})
}
