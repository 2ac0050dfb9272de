package search

import "testing"

// BenchmarkBuild10k indexes 10,000 generated articles.
func BenchmarkBuild10k(b *testing.B) {
	docs := genDocs(10000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
