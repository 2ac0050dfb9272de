package markdown

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkConvert converts a realistic article body (about 1,000 words, two headings, a numbered
// list, bold and italic, one link) as a build does 10,000 times.
func BenchmarkConvert(b *testing.B) {
	body, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		b.Fatal(err)
	}
	c := newTestConverter(false)
	link := func(dest string) (string, bool) { return dest, true }
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Convert(body, link); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkGoldmark is the floor: the same body through a bare goldmark with the same extensions.
func BenchmarkGoldmark(b *testing.B) {
	body, err := os.ReadFile("testdata/bai-viet.md")
	if err != nil {
		b.Fatal(err)
	}
	md := newTestConverter(false).md
	var out outBuffer
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := md.Convert(body, &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkPathological converts bodies no editor writes but a fuzzer might, to catch work that grows
// faster than the input. Compare with the same bodies through bare goldmark (sub-benchmark "goldmark").
func BenchmarkPathological(b *testing.B) {
	cases := []struct{ name, body string }{
		{"empty-links", strings.Repeat("[](x)", 20000)},
		{"empty-images", strings.Repeat("![](x)", 20000)},
		{"same-heading", strings.Repeat("## Kết luận\n\n", 10000)},
		{"inline-raw-html", strings.Repeat("<b>x</b> ", 20000)},
		{"html-blocks", strings.Repeat("<div>\n\n", 20000)},
		{"nested-quotes", strings.Repeat(">", 5000) + " x\n"},
		{"nested-lists", strings.Repeat("- ", 3000) + "x\n"},
		{"long-paragraph", strings.Repeat("chữ ", 200000)},
	}
	c := newTestConverter(false)
	link := func(dest string) (string, bool) { return dest, len(dest)%2 == 0 }
	for _, tc := range cases {
		body := []byte(tc.body)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.Convert(body, link); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/goldmark", func(b *testing.B) {
			var out outBuffer
			for b.Loop() {
				out.Reset()
				if err := c.md.Convert(body, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkConvertMarkup converts a body dense with the characters the time limit's hooks watch
// (links, emphasis, code spans: about 1,500 of them), to show what the hooks cost.
func BenchmarkConvertMarkup(b *testing.B) {
	body := []byte(strings.Repeat("Hội nghị **sơ kết** [quy chế](a.md) phối hợp _năm 2024_ và `mã` ![ảnh](b.jpg) <https://example.org/>.\n", 200))
	c := newTestConverter(false)
	link := func(dest string) (string, bool) { return dest, true }
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Convert(body, link); err != nil {
			b.Fatal(err)
		}
	}
}
