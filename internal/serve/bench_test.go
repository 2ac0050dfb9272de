package serve

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bantin/internal/build"
	"bantin/internal/render"
	"bantin/internal/testcorpus"
)

// benchSites keeps one generated corpus and its built Server per size for
// the whole test binary: the framework calls a benchmark several times.
var benchSites sync.Map // n → *benchSite

type benchSite struct {
	dir    string
	srv    *Server
	full   time.Duration // the first, full build
	file   string        // the article the benchmark edits (site-root path)
	orig   []byte
	pages  int
	genDur time.Duration
	edits  int // across calls of the benchmark, so that every edit changes the bytes
}

func TestMain(m *testing.M) {
	code := m.Run()
	benchSites.Range(func(_, v any) bool {
		bs := v.(*benchSite)
		bs.srv.Close()
		os.RemoveAll(bs.dir)
		return true
	})
	os.Exit(code)
}

// benchN is the corpus size: 1,000 articles, or BANTIN_BENCH_N.
func benchN(b *testing.B) int {
	n := 1000
	if s := os.Getenv("BANTIN_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 2 {
			b.Fatalf("BANTIN_BENCH_N=%q: want a number of articles ≥ 2", s)
		}
		n = v
	}
	return n
}

// benchKey names one benchmark site: its size and whether it has layouts of its own.
type benchKey struct {
	n      int
	custom bool
}

// customLayouts are what every real site overrides: the header and the
// footer (layouts/README.md), each with a line of its own.
var customLayouts = map[string]func(string) string{
	"partials/header.html": func(s string) string {
		return strings.Replace(s, "</header>", `<p class="own">Trang thông tin của {{.Site.Config.Title}}</p></header>`, 1)
	},
	"partials/footer.html": func(s string) string {
		return strings.Replace(s, "</footer>", `<p class="own">{{.Site.ArticleCount}} bài viết · {{.Site.Config.Footer.Phone}}</p></footer>`, 1)
	},
}

func loadBenchSite(b *testing.B, n int, custom bool) *benchSite {
	key := benchKey{n, custom}
	if v, ok := benchSites.Load(key); ok {
		return v.(*benchSite)
	}
	dir, err := os.MkdirTemp("", "bantin-serve-bench-")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := testcorpus.Write(dir, n, 42); err != nil {
		b.Fatal(err)
	}
	if custom {
		for name, edit := range customLayouts {
			text, err := render.BuiltinLayout(name)
			if err != nil {
				b.Fatal(err)
			}
			p := filepath.Join(dir, "layouts", filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(edit(text)), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	bs := &benchSite{dir: dir, genDur: time.Since(start)}
	bs.srv = NewServer(build.Options{Source: dir, BaseURL: "http://127.0.0.1:1313/"}, io.Discard, io.Discard)
	start = time.Now()
	rep := bs.srv.Rebuild(Change{Rescan: true})
	bs.full = time.Since(start)
	if rep.Err != nil {
		b.Fatalf("first build of %d articles: %v", n, rep.Err)
	}
	bs.pages = rep.Rendered
	// An article in the middle of the corpus: not on the home page, not the oldest.
	bs.file = filepath.ToSlash(testcorpus.Generate(n/2, 42, testcorpus.NewCast(42)).Path)
	if bs.orig, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(bs.file))); err != nil {
		b.Fatal(err)
	}
	benchSites.Store(key, bs)
	return bs
}

// BenchmarkRebuildOneArticle measures serve's loop after an editor saves one
// article: each iteration changes one word of its body and rebuilds.
//
//	go test ./internal/serve -run '^$' -bench RebuildOne -benchtime=1x
//	BANTIN_BENCH_N=10000 go test ./internal/serve -run '^$' -bench RebuildOne -benchtime=20x
func BenchmarkRebuildOneArticle(b *testing.B) {
	b.Run("builtin", func(b *testing.B) { benchEdits(b, false, 1, bodyEdit) })
	b.Run("own-header-footer", func(b *testing.B) { benchEdits(b, true, 1, bodyEdit) })
}

func bodyEdit(orig []byte, k int) []byte {
	words := [2]string{"Cập nhật sáng nay.", "Cập nhật chiều nay."}
	return fmt.Appendf(slices.Clip(orig), "\n%s\n", words[k%2])
}

// BenchmarkRebuildOneTitle: each iteration changes one article's title,
// which its section's list, its tags' and participants' pages, its
// neighbours and the feeds show.
func BenchmarkRebuildOneTitle(b *testing.B) {
	b.Run("builtin", func(b *testing.B) { benchEdits(b, false, 0, titleEdit) })
	b.Run("own-header-footer", func(b *testing.B) { benchEdits(b, true, 0, titleEdit) })
}

func titleEdit(orig []byte, k int) []byte {
	return bytes.Replace(orig, []byte(`title: "`), fmt.Appendf(nil, `title: "(%d) `, k%2), 1)
}

// BenchmarkRebuildDescription: each iteration changes site.yaml's
// description, which every page's header and meta description show: a
// rebuild of every page, from parses and conversions kept in memory.
func BenchmarkRebuildDescription(b *testing.B) {
	n := benchN(b)
	bs := loadBenchSite(b, n, false)
	path := filepath.Join(bs.dir, "site.yaml")
	orig, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		os.WriteFile(path, orig, 0o644)
		bs.srv.Rebuild(Change{Config: true})
	}()
	durs := make([]time.Duration, 0, b.N)
	var rendered int
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		text := strings.Replace(string(orig), "\nlanguage:", fmt.Sprintf("\ndescription: Bản tin số %d\nlanguage:", i), 1)
		if text == string(orig) {
			b.Fatal("site.yaml has no language: line to put a description before")
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep := bs.srv.Rebuild(Change{Config: true})
		durs = append(durs, time.Since(start))
		if rep.Err != nil {
			b.Fatal(rep.Err)
		}
		rendered += rep.Rendered
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)/2])/float64(time.Millisecond), "median-ms")
	b.ReportMetric(float64(rendered)/float64(b.N), "rendered")
	b.ReportMetric(float64(bs.full)/float64(time.Millisecond), "full-build-ms")
}

// benchEdits rebuilds after each of b.N edits of one article in the middle
// of the corpus; converted is how many bodies each rebuild must convert.
func benchEdits(b *testing.B, custom bool, converted int, edit func(orig []byte, k int) []byte) {
	n := benchN(b)
	bs := loadBenchSite(b, n, custom)
	b.Logf("%d articles: generated in %s, first build %s, %d files rendered; editing %s",
		n, bs.genDur.Round(time.Millisecond), bs.full.Round(time.Millisecond), bs.pages, bs.file)
	path := filepath.Join(bs.dir, filepath.FromSlash(bs.file))
	// Start from the article as generated: another benchmark may have edited it.
	if err := os.WriteFile(path, bs.orig, 0o644); err != nil {
		b.Fatal(err)
	}
	if rep := bs.srv.Rebuild(Change{Content: []string{bs.file}}); rep.Err != nil {
		b.Fatal(rep.Err)
	}
	durs := make([]time.Duration, 0, b.N)
	var rendered, nconv, parsed, changed int
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		bs.edits++
		if err := os.WriteFile(path, edit(bs.orig, bs.edits), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		rep := bs.srv.Rebuild(Change{Content: []string{bs.file}})
		durs = append(durs, time.Since(start))
		if rep.Err != nil {
			b.Fatal(rep.Err)
		}
		rendered += rep.Rendered
		nconv += rep.Stats.Converted
		parsed += rep.Stats.Parsed
		changed += len(rep.Changed)
		if rep.Stats.Converted != converted || rep.Stats.Parsed != 1 {
			b.Fatalf("one article edited: %+v; want 1 parsed and %d converted", rep.Stats, converted)
		}
		if !slices.ContainsFunc(rep.Changed, func(p string) bool { return strings.HasSuffix(p, "/index.html") }) {
			b.Fatalf("the edit changed no page: %v", rep.Changed)
		}
	}
	b.StopTimer()
	var total time.Duration
	for _, d := range durs {
		total += d
	}
	slices.Sort(durs)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	N := float64(b.N)
	b.ReportMetric(ms(total)/N, "ms/rebuild")
	b.ReportMetric(ms(durs[len(durs)/2]), "median-ms")
	b.ReportMetric(float64(rendered)/N, "rendered")
	b.ReportMetric(float64(nconv)/N, "converted")
	b.ReportMetric(float64(parsed)/N, "parsed")
	b.ReportMetric(float64(changed)/N, "changed")
	b.ReportMetric(ms(bs.full), "full-build-ms")
}
