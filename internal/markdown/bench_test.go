package markdown

import (
	"os"
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
