package search

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"testing"
	"time"
)

// gzipSize is len(b) gzipped as a host sends it.
func gzipSize(t testing.TB, b []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func TestBuildDeterministic(t *testing.T) {
	docs := genDocs(500, 7)
	a, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(docs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b, err := Build(shuffled, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Body, b[i].Body) {
			t.Fatalf("file %d differs: %s, %s", i, a[i].Path, b[i].Path)
		}
	}
}

// TestBuildSegments: indexing in parallel segments gives the files of one segment.
func TestBuildSegments(t *testing.T) {
	docs := genDocs(700, 8)
	one, err := build(docs, Options{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3, 7} {
		many, err := build(docs, Options{}, n)
		if err != nil {
			t.Fatal(err)
		}
		if d := changed(one, many); len(d) > 0 || len(one) != len(many) {
			t.Errorf("%d segments: %d of %d files differ", n, len(d), len(many))
		}
	}
}

// TestBuildFiles checks every file: valid JSON, named by its hash under Dir/i/, the manifest at
// its fixed name, shards within the size bound unless one key alone is bigger.
func TestBuildFiles(t *testing.T) {
	const max = 4 << 10
	files, err := Build(genDocs(400, 5), Options{Dir: "search", ShardBytes: max, ChunkDocs: 16})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("files are not sorted by path")
	}
	var m manifest
	for _, f := range files {
		if !json.Valid(f.Body) {
			t.Errorf("%s: invalid JSON", f.Path)
		}
		if f.Path == "search/"+ManifestName {
			if err := json.Unmarshal(f.Body, &m); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sum := sha256.Sum256(f.Body)
		if want := "search/i/" + hex.EncodeToString(sum[:6]) + ".json"; f.Path != want {
			t.Errorf("%s: want the name %s", f.Path, want)
		}
	}
	if m.V != formatVersion || m.N != 400 || m.C != 16 {
		t.Fatalf("manifest %+v", m)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[strings.TrimSuffix(path.Base(f.Path), ".json")] = f.Body
	}
	for _, list := range [][][2]string{m.W, m.P} {
		if list[0][0] != "" || !slices.IsSortedFunc(list, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) }) {
			t.Errorf("shard list not sorted from \"\": %q", list[:min(3, len(list))])
		}
		for k, s := range list {
			var entries []json.RawMessage
			if err := json.Unmarshal(byName[s[1]], &entries); err != nil {
				t.Fatalf("shard %s: %v", s[1], err)
			}
			if n := len(byName[s[1]]); n > max+2 && len(entries) > 1 {
				t.Errorf("shard %s: %d bytes, %d keys", s[1], n, len(entries))
			}
			for _, e := range entries { // each key lies in its shard's range
				var key []any
				json.Unmarshal(e, &key)
				k0 := key[0].(string)
				if k0 < s[0] || k+1 < len(list) && k0 >= list[k+1][0] {
					t.Errorf("key %q in shard [%q, %q)", k0, s[0], list[k+1][0])
				}
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		docs []Doc
		want string
	}{
		{[]Doc{{URL: "/a/"}, {URL: "/b/"}, {URL: "/a/"}}, `two documents have the URL "/a/"`},
		{[]Doc{{Title: "Không có địa chỉ"}}, `a document ("Không có địa chỉ") has no URL`},
		{func() (d []Doc) {
			for i := range 65 {
				d = append(d, Doc{URL: fmt.Sprintf("/%d/x/", i), SectionURL: fmt.Sprintf("/%d/", i)})
			}
			return d
		}(), "65 sections, at most 64"},
	} {
		if _, err := Build(tc.docs, Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build: %v, want %q", err, tc.want)
		}
	}
	files, err := Build(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := Search(files, "so ket", Filter{}); err != nil || r.Total != 0 {
		t.Errorf("empty index: %v, %v", r, err)
	}
}

// keysOf maps every key of the index to its encoded entry, "w:key" for words and "p:key" for pairs,
// and every file to the keys it holds.
func keysOf(t *testing.T, files []File) (entries map[string]string, held map[string][]string) {
	entries, held = map[string]string{}, map[string][]string{}
	var m manifest
	byName := map[string]File{}
	for _, f := range files {
		byName[strings.TrimSuffix(path.Base(f.Path), ".json")] = f
		if path.Base(f.Path) == ManifestName {
			json.Unmarshal(f.Body, &m)
		}
	}
	for kind, list := range map[string][][2]string{"w:": m.W, "p:": m.P} {
		for _, s := range list {
			f := byName[s[1]]
			var raw []json.RawMessage
			if err := json.Unmarshal(f.Body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, e := range raw {
				var key []any
				json.Unmarshal(e, &key)
				k := kind + key[0].(string)
				entries[k] = string(e)
				held[f.Path] = append(held[f.Path], k)
			}
		}
	}
	return entries, held
}

// changed returns the files of b that a does not have, byte for byte.
func changed(a, b []File) []File {
	old := map[string]bool{}
	for _, f := range a {
		old[f.Path+"\x00"+string(f.Body)] = true
	}
	var out []File
	for _, f := range b {
		if !old[f.Path+"\x00"+string(f.Body)] {
			out = append(out, f)
		}
	}
	return out
}

// TestBuildStable: editing one body, or adding the newest article, rewrites the manifest, the
// documents file, that document's metadata chunk and only the shards holding a key whose postings
// changed: no shard changes for a key it does not hold.
func TestBuildStable(t *testing.T) {
	docs := genDocs(3000, 11)
	before, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	oldKeys, _ := keysOf(t, before)
	edits := map[string]func([]Doc) []Doc{
		"edit a body": func(d []Doc) []Doc {
			d[1234].Body = strings.Replace(d[1234].Body, "đảng viên", "hội viên", 1) + " Thêm một câu về sơ kết thi đua."
			return d
		},
		"edit the start of a body": func(d []Doc) []Doc { d[77].Body = "Sáng nay, " + d[77].Body; return d },
		"add the newest article": func(d []Doc) []Doc {
			n := genDoc(99999, 11)
			n.Date = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
			return append(d, n)
		},
	}
	for name, edit := range edits {
		after, err := Build(edit(slices.Clone(docs)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		newKeys, held := keysOf(t, after)
		diff := changed(before, after)
		var shards, other []string
		for _, f := range diff {
			keys, ok := held[f.Path]
			if !ok {
				other = append(other, f.Path)
				continue
			}
			shards = append(shards, f.Path)
			touched := false
			for _, k := range keys {
				touched = touched || oldKeys[k] != newKeys[k]
			}
			if !touched {
				t.Errorf("%s: shard %s changed but none of its %d keys did", name, f.Path, len(keys))
			}
		}
		// The manifest, the documents file, at most one metadata chunk.
		if len(other) > 3 {
			t.Errorf("%s: %d non-shard files changed: %q", name, len(other), other)
		}
		t.Logf("%s: %d of %d files changed (%d shards)", name, len(diff), len(after), len(shards))
		if name != "add the newest article" && len(diff) > 25 { // a new article touches all its keys
			t.Errorf("%s: %d files changed", name, len(diff))
		}
	}
}

// TestBuildScale: at 10,000 generated articles a query fetches at most 150 KB gzipped (the
// manifest, the documents file, its shards and the metadata chunks of the first ten hits) and the
// index has fewer files than pages.
func TestBuildScale(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 documents")
	}
	const n = 10000
	docs := genDocs(n, 1)
	start := time.Now()
	files, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	total, totalGz := 0, 0
	byPath := map[string][]byte{}
	for _, f := range files {
		total += len(f.Body)
		totalGz += gzipSize(t, f.Body)
		byPath[f.Path] = f.Body
	}
	t.Logf("%d documents: %v, %d files, %d bytes (%d gzipped), manifest %d gzipped",
		n, took.Round(time.Millisecond), len(files), total, totalGz, gzipSize(t, byPath["tim-kiem/"+ManifestName]))
	if len(files) >= n {
		t.Errorf("%d files for %d documents", len(files), n)
	}
	for _, q := range []string{"so ket", "dang uy", "đảng", "phat tri", "hội nghị sơ kết", "chuyển đổi số", "nguyen van hung",
		"kiểm tra giám sát", "Huy hiệu Đảng", "09-kh/đuk", "d"} {
		r := search(t, files, q, Filter{Limit: 10})
		raw, gz := 0, 0
		for _, p := range r.Fetched {
			raw += len(byPath[p])
			gz += gzipSize(t, byPath[p])
		}
		top := ""
		if len(r.Hits) > 0 {
			top = r.Hits[0].Title
		}
		t.Logf("%-20q %5d hits, %2d files, %7d bytes, %6d gzipped; first: %s", q, r.Total, len(r.Fetched), raw, gz, top)
		if gz > 150<<10 {
			t.Errorf("%q fetched %d bytes gzipped", q, gz)
		}
	}
}
