package search

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"bantin/internal/viet"
	"golang.org/x/text/unicode/norm"
)

// The client must do what the Go reference does. These tests run search.js under Node.js when it
// is installed; CI does not install it today, so there they skip (saying so) and only the fold
// table is checked (script_test.go).

type nodeSearch struct {
	Manifest string `json:"manifest"`
	Q        string `json:"q"`
	Section  string `json:"section"`
	Year     int    `json:"year"`
	Limit    int    `json:"limit"`
}

type nodeJob struct {
	Root     string       `json:"root"`
	Folds    []string     `json:"folds"`
	Queries  []string     `json:"queries"`
	Searches []nodeSearch `json:"searches"`
}

type nodeTerm struct {
	Exact, Fold, First, Last string
	Compound                 bool
}

type nodeResult struct {
	Total    int      `json:"total"`
	URLs     []string `json:"urls"`
	Scores   [][5]int `json:"scores"`
	Sections []struct {
		Name, URL string
		Count     int
	} `json:"sections"`
	Years []struct {
		Year, Count int
	} `json:"years"`
	Fetched []string `json:"fetched"`
}

type nodeOut struct {
	Folds    []string     `json:"folds"`
	Queries  [][]nodeTerm `json:"queries"`
	Searches []nodeResult `json:"searches"`
}

// runNode writes files under a temporary root and runs the job there with search.js.
func runNode(t *testing.T, files []File, job nodeJob) nodeOut {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal("CI=true but no node: search.js must run against the Go reference in CI (.ci/run installs nodejs)")
		}
		t.Skip("node not found: search.js is not run against the Go reference (install Node.js to run it)")
	}
	dir := t.TempDir()
	job.Root = filepath.Join(dir, "site")
	for _, f := range files {
		p := filepath.Join(job.Root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "search.js")
	if err := os.WriteFile(script, Script(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(job)
	jobFile := filepath.Join(dir, "job.json")
	if err := os.WriteFile(jobFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join("testdata", "harness.js"), script, jobFile)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res nodeOut
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node output: %v\n%.500s", err, out)
	}
	return res
}

// TestNodeFold: the client folds as viet.Fold every letter of the Latin, Greek and Cyrillic
// blocks (lowercase, as the client folds after lowercasing), every Vietnamese letter in NFD too,
// and whole Vietnamese words.
func TestNodeFold(t *testing.T) {
	var in []string
	for _, block := range [][2]rune{{0xC0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF}, {0x1E00, 0x1EFF}} {
		for r := block[0]; r <= block[1]; r++ {
			if unicode.IsLetter(r) && unicode.ToLower(r) == r {
				in = append(in, string(r))
			}
		}
	}
	for _, l := range vietLetters() {
		in = append(in, norm.NFD.String(l))
	}
	in = append(in, "đảng", "ủy", "nghiêng", "khuỷu", "người", "trường", "quốc", "giữa", "tự", "09-qc/tw", "42/2022/nđ-cp")
	out := runNode(t, nil, nodeJob{Folds: in})
	for i, s := range in {
		if want := viet.Fold(s); out.Folds[i] != want {
			t.Errorf("fold(%+q): client %+q, viet.Fold %+q", s, out.Folds[i], want)
		}
	}
}

// nodeQueries are typed queries: marks, case, NFD, joiners, format characters, other scripts.
var nodeQueries = []string{
	"so ket", "SO KET", "Sơ Kết", "dang uy", "Đảng ủy Khối", "phat tri", "09-QC/TW", "quy định 09-qc/tw",
	"42/2022/NĐ-CP", "nhiệm kỳ 2020–2025", "kinh tế-xã hội", "TP.HCM", "đả\u00ADng", norm.NFD.String("Đảng ủy"),
	"u\u0323\u031b", "  ", "?!", "🙂 đảng", "Ἀθῆναι мир 東京", "a b c d e f g h i j k l", strings.Repeat("x", 40) + " y",
	"«Phát triển»", "Quốc khánh 2/9.", "a \u0301 b", "Ðỗ Ɖức",
}

func TestNodeParseQuery(t *testing.T) {
	out := runNode(t, nil, nodeJob{Queries: nodeQueries})
	for i, q := range nodeQueries {
		var want []nodeTerm
		for _, term := range ParseQuery(q) {
			want = append(want, nodeTerm{term.Exact, term.Fold, term.First, term.Last, term.Compound})
		}
		if !slices.Equal(out.Queries[i], want) {
			t.Errorf("parseQuery(%+q):\nclient %+v\n    Go %+v", q, out.Queries[i], want)
		}
	}
}

// randomQueries makes n queries from the documents' own words: one to four neighbouring words,
// some folded, some in capitals, the last often cut short as one types.
func randomQueries(docs []Doc, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 99))
	var qs []string
	for len(qs) < n {
		d := docs[r.IntN(len(docs))]
		text := d.Title
		if r.IntN(2) == 0 {
			text = d.Body
		}
		w := strings.Fields(text)
		if len(w) == 0 {
			continue
		}
		k := 1 + r.IntN(4)
		i := r.IntN(len(w))
		q := w[i:min(len(w), i+k)]
		for j := range q {
			switch r.IntN(4) {
			case 0:
				q[j] = viet.Fold(q[j])
			case 1:
				q[j] = strings.ToUpper(q[j])
			}
		}
		if last := []rune(q[len(q)-1]); r.IntN(3) == 0 && len(last) > 1 {
			q[len(q)-1] = string(last[:1+r.IntN(len(last)-1)])
		}
		if r.IntN(10) == 0 { // two words from different documents, which may never meet
			q = append(q, strings.Fields(docs[r.IntN(len(docs))].Title)[0])
		}
		qs = append(qs, strings.Join(q, " "))
	}
	return qs
}

// TestNodeSearch: over the seed site and 2,000 generated articles (with small shards, so that
// prefixes span several), the client finds the same documents as Search, ranks them the same,
// with the same scores and facets, and fetches the same files.
func TestNodeSearch(t *testing.T) {
	indexes := []struct {
		docs []Doc
		opts Options
	}{
		{seedDocs, Options{}},
		{genDocs(2000, 21), Options{Dir: "search", ShardBytes: 4 << 10, ChunkDocs: 20}},
	}
	var all []File
	var cases []nodeSearch
	var filesOf [][]File // the index each case searches
	for _, ix := range indexes {
		files, err := Build(ix.docs, ix.opts)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, files...)
		qs := append(slices.Clone(nodeQueries), "đảng", "đăng", "dang", "huy hieu thien tai", "t", "dang t", "ph", "tri", "sở", "so")
		qs = append(qs, randomQueries(ix.docs, 150, 5)...)
		for k, q := range qs {
			c := nodeSearch{Manifest: ix.opts.withDefaults().Dir + "/" + ManifestName, Q: q, Limit: 20}
			switch k % 7 {
			case 3:
				c.Section = "/tin-tuc/"
			case 5:
				c.Year = 2024
			}
			cases = append(cases, c)
			filesOf = append(filesOf, files)
		}
	}
	out := runNode(t, all, nodeJob{Searches: cases})
	found := 0
	for i, c := range cases {
		r := search(t, filesOf[i], c.Q, Filter{Section: c.Section, Year: c.Year, Limit: c.Limit})
		got := out.Searches[i]
		var scores [][5]int
		for _, h := range r.Hits {
			scores = append(scores, [5]int{h.Score.Marks, h.Score.Phrases, h.Score.Whole, h.Score.Fields, h.Score.Lead})
		}
		var secs, gotSecs, years, gotYears []string
		for _, f := range r.Sections {
			secs = append(secs, fmt.Sprint(f.Name, f.URL, f.Count))
		}
		for _, f := range got.Sections {
			gotSecs = append(gotSecs, fmt.Sprint(f.Name, f.URL, f.Count))
		}
		for _, f := range r.Years {
			years = append(years, fmt.Sprint(f.Year, f.Count))
		}
		for _, f := range got.Years {
			gotYears = append(gotYears, fmt.Sprint(f.Year, f.Count))
		}
		fetched := slices.Sorted(slices.Values(r.Fetched))
		gotFetched := slices.Sorted(slices.Values(got.Fetched))
		if r.Total == 0 { // the client stops at the manifest or the shards alike, and describes nothing
			fetched, gotFetched = nil, nil
		}
		if got.Total != r.Total || !slices.Equal(got.URLs, urls(r)) || !slices.Equal(got.Scores, scores) ||
			!slices.Equal(gotSecs, secs) || !slices.Equal(gotYears, years) || !slices.Equal(gotFetched, fetched) {
			t.Errorf("%+v:\nclient %d %q %v %q %q %q\n    Go %d %q %v %q %q %q", c,
				got.Total, got.URLs, got.Scores, gotSecs, gotYears, gotFetched,
				r.Total, urls(r), scores, secs, years, fetched)
		}
		if r.Total > 0 {
			found++
		}
	}
	t.Logf("%d searches compared, %d with hits", len(cases), found)
}
