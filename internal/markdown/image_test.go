package markdown

import (
	"strings"
	"testing"
)

func TestConvertWithImage(t *testing.T) {
	c := New(Options{})
	res, err := c.ConvertWith([]byte("Ảnh hội nghị:\n\n![Toàn cảnh hội nghị](anh-1.jpg)\n\n![x](khac.png)\n"), nil,
		func(dest string) (ImageAttrs, bool) {
			if dest != "anh-1.jpg" {
				return ImageAttrs{}, false
			}
			return ImageAttrs{Src: "/_anh/abc.jpg", Srcset: "/_anh/abc-320w.jpg 320w, /_anh/abc.jpg 1200w", Width: 1200, Height: 800}, true
		})
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{`src="/_anh/abc.jpg"`, `alt="Toàn cảnh hội nghị"`, `srcset="/_anh/abc-320w.jpg 320w, /_anh/abc.jpg 1200w"`,
		`width="1200"`, `height="800"`, `loading="lazy"`, `sizes="`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in %s", want, html)
		}
	}
	if !strings.Contains(html, `src="khac.png"`) || strings.Count(html, "srcset") != 1 {
		t.Errorf("an image the func declines must stay as written: %s", html)
	}
}
