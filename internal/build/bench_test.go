package build

import (
	"bantin/internal/publish"
	"bantin/internal/render"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bantin/internal/testcorpus"
)

var corpora sync.Map // n → dir

// corpus writes (once per test binary) a generated site of n articles, its
// photos already in the image cache.
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
	// Process the photos once (into the corpus's resources/), as a site's
	// cache has them after its first build: builds measure the rest.
	if _, err := Prepare(Options{Source: dir}); err != nil {
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
		res, err = Build(context.Background(), Options{Source: src, Dest: filepath.Join(out, "public"), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
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

// prepared loads and models a corpus once per benchmark.
func prepared(b *testing.B, n int) *Site {
	src := corpus(b, n)
	s, err := Prepare(Options{Source: src, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkPrepare1000 measures load + parse + model (no rendering).
func BenchmarkPrepare1000(b *testing.B) {
	src := corpus(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(Options{Source: src}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkRender1000 measures template execution and Markdown conversion
// of every page, with output discarded (no minify, no disk).
func BenchmarkRender1000(b *testing.B) {
	s := prepared(b, 1000)
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		pages = 0
		err := s.Render(func(f render.File) error {
			pages++
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkMinifyPage measures the runtime HTML minifier on one article page
// (what layouts minified at load spare every page).
func BenchmarkMinifyPage(b *testing.B) {
	s := prepared(b, 50)
	var page []byte
	err := s.Render(func(f render.File) error {
		if page == nil && strings.HasSuffix(f.Path, "/index.html") && strings.Count(f.Path, "/") == 2 {
			page = bytes.Clone(f.Body)
		}
		return nil
	})
	if err != nil || page == nil {
		b.Fatal("no page", err)
	}
	dir := b.TempDir()
	stage, err := publish.Begin(filepath.Join(dir, "out"), publish.Options{Minify: true})
	if err != nil {
		b.Fatal(err)
	}
	defer stage.Abort()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := stage.Write(fmt.Sprintf("p%d.html", i), page); err != nil {
			b.Fatal(err)
		}
	}
}
