package build

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bantin/internal/testcorpus"
)

var corpora sync.Map // n → dir

// corpus writes (once per test binary) a generated site of n articles.
func corpus(b *testing.B, n int) string {
	if d, ok := corpora.Load(n); ok {
		return d.(string)
	}
	dir, err := os.MkdirTemp("", "bantin-corpus-")
	if err != nil {
		b.Fatal(err)
	}
	if err := testcorpus.Write(dir, n, 42); err != nil {
		b.Fatal(err)
	}
	corpora.Store(n, dir)
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	corpora.Range(func(_, d any) bool { os.RemoveAll(d.(string)); return true })
	os.Exit(code)
}

// benchBuild measures a cold full build (fresh output folder each time).
func benchBuild(b *testing.B, n int) {
	src := corpus(b, n)
	out := b.TempDir()
	var res *Result
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		os.RemoveAll(filepath.Join(out, "public"))
		b.StartTimer()
		var err error
		res, err = Build(Options{Source: src, Dest: filepath.Join(out, "public"), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(res.Files), "files")
}

func BenchmarkBuild1000(b *testing.B) { benchBuild(b, 1000) }

func BenchmarkBuild10000(b *testing.B) {
	if testing.Short() {
		b.Skip("10,000 articles: skipped in -short")
	}
	benchBuild(b, 10000)
}
