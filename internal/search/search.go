package search

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// maxPrefixShards bounds what the last word's prefix may fetch: a prefix whose keys span more
// shards than this (a single letter, on a large site) is matched as a whole word only.
const maxPrefixShards = 4

// Filter narrows a search and says how many hits to describe.
type Filter struct {
	Section string // a section URL, "" for all
	Year    int    // 0 for all
	Limit   int    // hits to return with their metadata; 0: all
}

// Hit is one matching document.
type Hit struct {
	ID                     int // its place in date order, oldest first
	URL, Title, Date, Text string
	Section, SectionURL    string
	Score                  Score
}

// Facet is a section or a year with the number of matches in it (before the filter).
type Facet struct {
	Name, URL string // a section's title and URL; a year's digits and ""
	Year      int
	Count     int
}

// Result is what a search found.
type Result struct {
	Terms    []Term
	Total    int   // matches passing the filter
	Hits     []Hit // the best Limit of them, best first
	Sections []Facet
	Years    []Facet  // newest first
	Fetched  []string // the files read, each once, in the order read
}

// manifest is the decoded index.json.
type manifest struct {
	V     int         `json:"v"`
	N     int         `json:"n"`
	C     int         `json:"c"`
	D     string      `json:"d"`
	S     [][2]string `json:"s"`
	Y     [][2]int    `json:"y"`
	W     [][2]string `json:"w"`
	P     [][2]string `json:"p"`
	files map[string][]byte
	dir   string
}

// Search runs query over the built files exactly as the client does (search.js), for tests and
// for tools: the reference implementation of the client's algorithm.
func Search(files []File, query string, f Filter) (Result, error) {
	var res Result
	byPath := make(map[string][]byte, len(files))
	mpath := ""
	for _, fl := range files {
		byPath[fl.Path] = fl.Body
		if path.Base(fl.Path) == ManifestName && path.Base(path.Dir(fl.Path)) != "i" {
			mpath = fl.Path
		}
	}
	fetched := map[string]bool{}
	load := func(p string, v any) error {
		b, ok := byPath[p]
		if !ok {
			return fmt.Errorf("search: no file %s", p)
		}
		if !fetched[p] {
			fetched[p] = true
			res.Fetched = append(res.Fetched, p)
		}
		return json.Unmarshal(b, v)
	}
	var m manifest
	if mpath == "" {
		return res, fmt.Errorf("search: no %s", ManifestName)
	}
	if err := load(mpath, &m); err != nil {
		return res, err
	}
	if m.V != formatVersion {
		return res, fmt.Errorf("search: index format %d, want %d", m.V, formatVersion)
	}
	m.dir = path.Dir(mpath)
	file := func(h string) string { return path.Join(m.dir, "i", h+".json") }

	terms := ParseQuery(query)
	res.Terms = terms
	if len(terms) == 0 {
		return res, nil
	}
	var docs struct {
		S string   `json:"s"`
		M []string `json:"m"`
	}
	if err := load(file(m.D), &docs); err != nil {
		return res, err
	}

	// The words: each term's documents, with how they matched.
	last := len(terms) - 1
	prefix := false // the last term matches as a prefix
	words := make([]map[int]*WordMatch, len(terms))
	for i, t := range terms {
		lo, hi := find(m.W, t.Fold), 0
		if i == last {
			if lo, hi = span(m.W, t.Fold); hi-lo <= maxPrefixShards {
				prefix = true
			}
		}
		if !prefix || i != last {
			hi = lo + 1
		}
		words[i] = map[int]*WordMatch{}
		for s := lo; s < hi; s++ {
			var entries []json.RawMessage
			if err := load(file(m.W[s][1]), &entries); err != nil {
				return res, err
			}
			for _, raw := range entries {
				var e []json.RawMessage
				var key string
				if err := json.Unmarshal(raw, &e); err != nil || len(e) == 0 || json.Unmarshal(e[0], &key) != nil {
					return res, fmt.Errorf("search: bad entry in %s", m.W[s][1])
				}
				whole := key == t.Fold
				if !whole && !(prefix && i == last && strings.HasPrefix(key, t.Fold)) {
					continue
				}
				for _, rv := range e[1:] {
					var v [4]string
					if err := json.Unmarshal(rv, &v); err != nil {
						return res, fmt.Errorf("search: bad variant of %q: %v", key, err)
					}
					exact := v[0]
					if exact == "" {
						exact = key
					}
					marks := t.Marked() && (exact == t.Exact || prefix && i == last && strings.HasPrefix(exact, t.Exact))
					for l := range numFields {
						c := WordMatch{Marks: marks, Whole: whole, Field: listField[l]}
						for _, id := range decodeList(v[1+l]) {
							if w := words[i][id]; w == nil || c.better(*w) {
								words[i][id] = &c
							}
						}
					}
				}
			}
		}
	}

	// The documents whose title starts with the first term's first syllable.
	lead := map[int]bool{}
	if key := LeadMark + terms[0].First; len(m.W) > 0 {
		var entries []json.RawMessage
		if err := load(file(m.W[find(m.W, key)][1]), &entries); err != nil {
			return res, err
		}
		for _, raw := range entries {
			var e []json.RawMessage
			var k string
			if json.Unmarshal(raw, &e) != nil || len(e) == 0 || json.Unmarshal(e[0], &k) != nil || k != key {
				continue
			}
			for _, rv := range e[1:] {
				var v []string
				if json.Unmarshal(rv, &v) == nil && len(v) > 1 {
					for _, id := range decodeList(v[1]) {
						lead[id] = true
					}
				}
			}
		}
	}

	// The pairs: for neighbouring terms, the documents where they are adjacent.
	pairs := make([]map[int]Field, last)
	for i := range pairs {
		key := terms[i].Last + " " + terms[i+1].First
		pre := i+1 == last && prefix && !terms[last].Compound
		lo, hi := find(m.P, key), 0
		if pre {
			if lo, hi = span(m.P, key); hi-lo > maxPrefixShards {
				pre = false
			}
		}
		if !pre {
			hi = lo + 1
		}
		pairs[i] = map[int]Field{}
		for s := lo; s < hi; s++ {
			var entries [][4]string
			if err := load(file(m.P[s][1]), &entries); err != nil {
				return res, err
			}
			for _, e := range entries {
				if e[0] != key && !(pre && strings.HasPrefix(e[0], key)) {
					continue
				}
				for l := range numFields {
					for _, id := range decodeList(e[1+l]) {
						pairs[i][id] = max(pairs[i][id], listField[l])
					}
				}
			}
		}
	}

	// All terms must match: walk the smallest set.
	small := 0
	for i := range words {
		if len(words[i]) < len(words[small]) {
			small = i
		}
	}
	secCount := make([]int, len(m.S))
	yearCount := map[int]int{}
	var hits []Hit
	for id := range words[small] {
		match := Match{Words: make([]WordMatch, len(terms)), Pairs: make([]Field, len(pairs))}
		ok := true
		for i := range words {
			w := words[i][id]
			if w == nil {
				ok = false
				break
			}
			match.Words[i] = *w
		}
		if !ok {
			continue
		}
		for i := range pairs {
			match.Pairs[i] = pairs[i][id]
		}
		match.Lead = lead[id]
		sec := strings.IndexByte(gapDigits, docs.S[id])
		year := yearOf(m.Y, id)
		secCount[sec]++
		yearCount[year]++
		if f.Section != "" && m.S[sec][1] != f.Section || f.Year != 0 && year != f.Year {
			continue
		}
		hits = append(hits, Hit{ID: id, Score: match.Score(), Section: m.S[sec][0], SectionURL: m.S[sec][1]})
	}
	Rank(hits)
	res.Total = len(hits)
	for k, s := range m.S {
		if secCount[k] > 0 {
			res.Sections = append(res.Sections, Facet{Name: s[0], URL: s[1], Count: secCount[k]})
		}
	}
	for y, n := range yearCount {
		res.Years = append(res.Years, Facet{Name: fmt.Sprint(y), Year: y, Count: n})
	}
	slices.SortFunc(res.Years, func(a, b Facet) int { return b.Year - a.Year })

	if f.Limit > 0 && len(hits) > f.Limit {
		hits = hits[:f.Limit]
	}
	chunks := map[int][][4]string{}
	for k := range hits {
		c := hits[k].ID / m.C
		if chunks[c] == nil {
			var meta [][4]string
			if err := load(file(docs.M[c]), &meta); err != nil {
				return res, err
			}
			chunks[c] = meta
		}
		d := chunks[c][hits[k].ID%m.C]
		hits[k].URL, hits[k].Title, hits[k].Date, hits[k].Text = d[0], d[1], d[2], d[3]
	}
	res.Hits = hits
	return res, nil
}

// find returns the shard of key: the last whose first key is not after key.
func find(shards [][2]string, key string) int {
	return max(0, sort.Search(len(shards), func(i int) bool { return shards[i][0] > key })-1)
}

// span returns the shards [lo, hi) that may hold keys starting with p.
func span(shards [][2]string, p string) (lo, hi int) {
	lo = find(shards, p)
	hi = lo + 1
	for hi < len(shards) && strings.HasPrefix(shards[hi][0], p) {
		hi++
	}
	return lo, hi
}

// yearOf returns the year of document id from the manifest's runs of [year, first id].
func yearOf(runs [][2]int, id int) int {
	i := sort.Search(len(runs), func(i int) bool { return runs[i][1] > id }) - 1
	if i < 0 {
		return 0
	}
	return runs[i][0]
}

// decodeList decodes a posting list (see appendGap).
func decodeList(s string) []int {
	var ids []int
	id, acc, shift := -1, 0, 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(gapDigits, s[i])
		acc |= (d & 31) << shift
		if d >= 32 {
			shift += 5
			continue
		}
		id += acc + 1
		ids = append(ids, id)
		acc, shift = 0, 0
	}
	return ids
}
