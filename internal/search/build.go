package search

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"bantin/internal/viet"
)

// Doc is one searchable page.
type Doc struct {
	URL        string // site path, "/tin-tuc/so-ket/"; the client puts the base path before it
	Title      string
	Section    string // the section's title, "Tin tức"; "" for a page outside sections
	SectionURL string // "/tin-tuc/"
	Date       time.Time
	Tags       []string
	People     []string // "Name, role"
	Numbers    []string // document numbers as written: "09-QC/TW"
	Tasks      []string
	Body       string // plain text of the body (the caller strips the HTML)
}

// File is one output file, its path relative to the site root: "tim-kiem/i/3fa9c1d2e4b5.json".
type File struct {
	Path string
	Body []byte
}

// Options tune the index; the zero value gives the defaults.
type Options struct {
	Dir        string // folder of the index under the site root; default "tim-kiem"
	ShardBytes int    // a shard is cut before it passes this size (one key alone may); default 32 KiB
	ChunkDocs  int    // documents per metadata chunk; default 32
	TextRunes  int    // characters of the body kept for the snippet; default 240
}

func (o Options) withDefaults() Options {
	if o.Dir == "" {
		o.Dir = "tim-kiem"
	}
	if o.ShardBytes <= 0 {
		o.ShardBytes = 32 << 10
	}
	if o.ChunkDocs <= 0 {
		o.ChunkDocs = 32
	}
	if o.TextRunes <= 0 {
		o.TextRunes = 240
	}
	return o
}

// ManifestName is the manifest's file name inside Options.Dir: the one name that is not a hash.
const ManifestName = "index.json"

// Format version, written in the manifest; the client refuses another.
const formatVersion = 1

// field is where in a document a key was found. The order is that of the three lists of an
// entry in a shard.
type field uint8

const (
	fieldTitle field = iota
	fieldMeta        // tags, people, numbers, tasks
	fieldBody
	numFields
)

// listField is the rank weight of each list.
var listField = [numFields]Field{Title, Meta, Body}

// postings holds, for one key, the ids of the documents it occurs in, one list per field, each
// in the gap encoding of the files (see doc.go) so that memory is about a byte per posting.
type postings struct {
	first, last [numFields]int32 // -1 while a list is empty
	list        [numFields][]byte
}

func newPostings() *postings {
	return &postings{first: [numFields]int32{-1, -1, -1}, last: [numFields]int32{-1, -1, -1}}
}

// add records document id in field f; ids come in increasing order, a repeat is ignored.
func (p *postings) add(f field, id int32) {
	if p.last[f] == id {
		return
	}
	if p.first[f] < 0 {
		p.first[f] = id
	}
	p.list[f] = appendGap(p.list[f], int(id-p.last[f]))
	p.last[f] = id
}

// gapDigits is the alphabet of posting lists: a digit below 32 ends a number, one of 32 and above
// carries five bits and says more follow. No character needs escaping in JSON.
const gapDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// appendGap appends the gap g ≥ 1 between two ids (the first id counts from -1) as g-1, low
// five bits first.
func appendGap(dst []byte, g int) []byte {
	v := g - 1
	for v >= 32 {
		dst = append(dst, gapDigits[32+v&31])
		v >>= 5
	}
	return append(dst, gapDigits[v])
}

// variant is one exact form of a folded word, with where it occurs.
type variant struct {
	exact string
	*postings
}

// word is a folded key with its exact forms, in the order met.
type word struct {
	variants []variant
}

// indexer accumulates the postings of all documents, one document at a time.
type indexer struct {
	tok   *tokenizer
	words map[string]*word
	folds []string             // by fold id
	fids  map[string]int32     // fold → id
	pairs map[uint64]*postings // by the fold ids of the two syllables
}

func newIndexer() *indexer {
	return &indexer{tok: newTokenizer(), words: make(map[string]*word), fids: make(map[string]int32), pairs: make(map[uint64]*postings)}
}

// variant returns the postings of an exact form of fold, made on first use.
func (ix *indexer) variant(fold, exact string) *postings {
	w := ix.words[fold]
	if w == nil {
		w = &word{}
		ix.words[fold] = w
	}
	for _, v := range w.variants {
		if v.exact == exact {
			return v.postings
		}
	}
	v := variant{exact: exact, postings: newPostings()}
	w.variants = append(w.variants, v)
	return v.postings
}

// resolve gives a lexeme met for the first time its postings and fold id.
func (ix *indexer) resolve(lx *lexeme) {
	lx.post = ix.variant(lx.fold, lx.exact)
	id, ok := ix.fids[lx.fold]
	if !ok {
		id = int32(len(ix.folds))
		ix.fids[lx.fold] = id
		ix.folds = append(ix.folds, lx.fold)
	}
	lx.fid = id
}

// addText indexes one text (a title, a tag, a body) of document id: its syllables, the pairs of
// adjacent syllables and its compounds.
func (ix *indexer) addText(id int32, f field, s string) {
	syls := ix.tok.split(s)
	for k, sy := range syls {
		if sy.post == nil {
			ix.resolve(sy.lexeme)
		}
		sy.post.add(f, id)
		if k > 0 && sy.adj {
			key := uint64(syls[k-1].fid)<<32 | uint64(sy.fid)
			p := ix.pairs[key]
			if p == nil {
				p = newPostings()
				ix.pairs[key] = p
			}
			p.add(f, id)
		}
	}
	compounds(syls, func(c compound) { ix.variant(c.fold, c.exact).add(f, id) })
}

func (ix *indexer) addDoc(id int32, d *Doc) {
	ix.addText(id, fieldTitle, d.Title)
	// The title's first syllable again, marked: a title that starts with the
	// query's first word ranks above one that has it further on (Score.Lead).
	if syls := ix.tok.split(d.Title); len(syls) > 0 {
		k := LeadMark + syls[0].fold
		ix.variant(k, k).add(fieldTitle, id)
	}
	for _, list := range [...][]string{d.Tags, d.People, d.Numbers, d.Tasks} {
		for _, s := range list {
			ix.addText(id, fieldMeta, s)
		}
	}
	ix.addText(id, fieldBody, d.Body)
}

// output collects the files, named by the hash of their bytes.
type output struct {
	dir   string
	files []File
	names map[string]int // hash → index in files
}

// add stores body as a hashed file and returns its hash.
func (o *output) add(body []byte) (string, error) {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:6])
	if i, ok := o.names[h]; ok {
		if string(o.files[i].Body) != string(body) {
			return "", fmt.Errorf("search: two files hash to %s", h)
		}
		return h, nil
	}
	o.names[h] = len(o.files)
	o.files = append(o.files, File{Path: path.Join(o.dir, "i", h+".json"), Body: body})
	return h, nil
}

// Build makes the index files and the manifest for docs, given in any order. The same documents
// give the same files, byte for byte, sorted by path.
func Build(docs []Doc, opts Options) ([]File, error) {
	// One segment per processor, of at least 1,000 documents (below, starting is not worth it).
	return build(docs, opts, max(1, min(runtime.GOMAXPROCS(0), len(docs)/1000)))
}

// build is Build with the documents indexed in that many segments at once.
func build(docs []Doc, opts Options, segments int) ([]File, error) {
	opts = opts.withDefaults()
	if len(docs) > 1<<30 {
		return nil, fmt.Errorf("search: %d documents are too many", len(docs))
	}
	// Ids in date order, oldest first, so that ranking can prefer newer ids without the dates,
	// and a new article (the newest) changes no other document's id.
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := docs[a].Date.Compare(docs[b].Date); c != 0 {
			return c
		}
		return strings.Compare(docs[a].URL, docs[b].URL)
	})
	seenURL := make(map[string]bool, len(docs))
	for _, d := range docs {
		if d.URL == "" {
			return nil, fmt.Errorf("search: a document (%q) has no URL", d.Title)
		}
		if seenURL[d.URL] {
			return nil, fmt.Errorf("search: two documents have the URL %q", d.URL)
		}
		seenURL[d.URL] = true
	}
	seenURL = nil

	sections, code, err := sectionCodes(docs)
	if err != nil {
		return nil, err
	}
	out := &output{dir: opts.Dir, names: make(map[string]int)}

	// The postings: documents in contiguous ranges of ids, one indexer each, in parallel; their
	// lists are joined when written, so the files do not depend on how the work was cut.
	ixs := make([]*indexer, segments)
	var wg sync.WaitGroup
	for s := range ixs {
		lo, hi := s*len(order)/segments, (s+1)*len(order)/segments
		ixs[s] = newIndexer()
		wg.Go(func() {
			for id := lo; id < hi; id++ {
				ixs[s].addDoc(int32(id), &docs[order[id]])
			}
		})
	}

	// Meanwhile the sections, years and metadata chunks.
	var (
		secCodes = make([]byte, 0, len(docs))
		years    [][2]int // runs of [year, first id]
		chunks   []string // hashes of the metadata chunks
		chunk    []byte
	)
	for id, i := range order {
		d := &docs[i]
		secCodes = append(secCodes, gapDigits[code[d.SectionURL]])
		y := 0
		if !d.Date.IsZero() {
			y = d.Date.Year()
		}
		if len(years) == 0 || years[len(years)-1][0] != y {
			years = append(years, [2]int{y, id})
		}
		if id%opts.ChunkDocs == 0 {
			chunk = append(chunk[:0], '[')
		} else {
			chunk = append(chunk, ',')
		}
		chunk = appendMeta(chunk, d, opts.TextRunes)
		if id%opts.ChunkDocs == opts.ChunkDocs-1 || id == len(order)-1 {
			h, err := out.add(append(slices.Clone(chunk), ']', '\n'))
			if err != nil {
				wg.Wait()
				return nil, err
			}
			chunks = append(chunks, h)
		}
	}
	wg.Wait()

	words := sortedWords(ixs)
	wordShards, err := writeShards(out, words, opts.ShardBytes)
	if err != nil {
		return nil, err
	}
	pairs := sortedPairs(ixs)
	ixs = nil
	pairShards, err := writeShards(out, pairs, opts.ShardBytes)
	if err != nil {
		return nil, err
	}

	// The documents file: each document's section, and the names of the metadata chunks.
	b := append([]byte(`{"s":`), '"')
	b = append(b, secCodes...)
	b = append(b, `","m":[`...)
	for k, h := range chunks {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendString(b, h)
	}
	b = append(b, "]}\n"...)
	docsFile, err := out.add(b)
	if err != nil {
		return nil, err
	}

	m := fmt.Appendf(nil, `{"v":%d,"n":%d,"c":%d,"d":"%s","s":[`, formatVersion, len(docs), opts.ChunkDocs, docsFile)
	for k, s := range sections {
		if k > 0 {
			m = append(m, ',')
		}
		m = append(appendString(append(appendString(append(m, '['), s[0]), ','), s[1]), ']')
	}
	m = append(m, `],"y":[`...)
	for k, y := range years {
		if k > 0 {
			m = append(m, ',')
		}
		m = fmt.Appendf(m, "[%d,%d]", y[0], y[1])
	}
	m = append(m, `],"w":`...)
	m = appendShardList(m, wordShards)
	m = append(m, `,"p":`...)
	m = appendShardList(m, pairShards)
	m = append(m, "}\n"...)

	files := append(out.files, File{Path: path.Join(opts.Dir, ManifestName), Body: m})
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// sectionCodes numbers the sections by URL; a document's section is one character of gapDigits.
func sectionCodes(docs []Doc) (sections [][2]string, code map[string]int, err error) {
	title := make(map[string]string)
	for _, d := range docs {
		if t, ok := title[d.SectionURL]; !ok || d.Section < t {
			title[d.SectionURL] = d.Section // the same URL should have one title; pick one stably
		}
	}
	urls := make([]string, 0, len(title))
	for u := range title {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	if len(urls) > len(gapDigits) {
		return nil, nil, fmt.Errorf("search: %d sections, at most %d", len(urls), len(gapDigits))
	}
	code = make(map[string]int, len(urls))
	for k, u := range urls {
		code[u] = k
		sections = append(sections, [2]string{title[u], u})
	}
	return sections, code, nil
}

// appendMeta appends a document's metadata: [url, title, "yyyy-mm-dd", text].
func appendMeta(b []byte, d *Doc, textRunes int) []byte {
	b = appendString(append(b, '['), d.URL)
	b = appendString(append(b, ','), oneLine(d.Title, 0))
	date := ""
	if !d.Date.IsZero() {
		date = d.Date.Format("2006-01-02")
	}
	b = appendString(append(b, ','), date)
	b = appendString(append(b, ','), oneLine(d.Body, textRunes))
	return append(b, ']')
}

// oneLine is s in NFC with runs of white space made one space, cut at a space to at most max
// runes (0: no limit), "…" added after a cut. It reads only as much of s as it keeps.
func oneLine(s string, max int) string {
	var b strings.Builder
	n := 0
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		w := s[:end]
		s = s[end:]
		need := utf8.RuneCountInString(w)
		if n > 0 {
			need++
		}
		if max > 0 && n+need > max {
			if n == 0 { // one very long word
				b.WriteString(string([]rune(w)[:max]))
			}
			b.WriteString("…")
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		n += need
	}
	return viet.NFC(b.String())
}

// entry is one key of a shard: a word or a pair, encoded only when its shard is written. The
// postings of a key come in parts, one per segment that met it, in id order.
type entry struct {
	key   string
	size  int         // bytes of its encoding
	vars  []mvariant  // a word's exact forms, sorted
	parts []*postings // a pair's postings
}

// mvariant is an exact form of a word with its postings from each segment.
type mvariant struct {
	exact string
	parts []*postings
}

// appendEntry appends the encoding of e: ["dang",["",t,m,b],["đảng",t,m,b]] for a word, where ""
// stands for the exact form equal to the key, and ["so ket",t,m,b] for a pair.
func appendEntry(b []byte, e *entry) []byte {
	b = appendString(append(b, '['), e.key)
	if e.vars == nil {
		return append(appendLists(b, e.parts), ']')
	}
	for _, v := range e.vars {
		exact := v.exact
		if exact == e.key {
			exact = ""
		}
		b = appendLists(appendString(append(b, ",["...), exact), v.parts)
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendLists appends ,"t","m","b": the three posting lists, each the parts joined (a part's
// first gap counted again from the previous part's last id).
func appendLists(b []byte, parts []*postings) []byte {
	for f := range numFields {
		b = append(b, ',', '"')
		prev := int32(-1)
		for _, p := range parts {
			l := p.list[f]
			if len(l) == 0 {
				continue
			}
			if prev >= 0 {
				n := 0
				for strings.IndexByte(gapDigits, l[n]) >= 32 {
					n++
				}
				b = appendGap(b, int(p.first[f]-prev))
				l = l[n+1:]
			}
			b = append(b, l...)
			prev = p.last[f]
		}
		b = append(b, '"')
	}
	return b
}

// sortedWords returns the words of the segments as entries sorted by key.
func sortedWords(ixs []*indexer) []entry {
	merged := make(map[string]*entry)
	for _, ix := range ixs {
		for k, w := range ix.words {
			e := merged[k]
			if e == nil {
				e = &entry{key: k}
				merged[k] = e
			}
		next:
			for _, v := range w.variants {
				for i := range e.vars {
					if e.vars[i].exact == v.exact {
						e.vars[i].parts = append(e.vars[i].parts, v.postings)
						continue next
					}
				}
				e.vars = append(e.vars, mvariant{exact: v.exact, parts: []*postings{v.postings}})
			}
		}
		ix.words = nil
	}
	entries := make([]entry, 0, len(merged))
	for _, e := range merged {
		slices.SortFunc(e.vars, func(a, b mvariant) int { return strings.Compare(a.exact, b.exact) })
		entries = append(entries, *e)
	}
	return sortEntries(entries)
}

// sortedPairs returns the pairs of the segments as entries sorted by key ("so ket").
func sortedPairs(ixs []*indexer) []entry {
	merged := make(map[string]*entry)
	for _, ix := range ixs {
		for k, p := range ix.pairs {
			key := ix.folds[k>>32] + " " + ix.folds[k&0xFFFFFFFF]
			e := merged[key]
			if e == nil {
				e = &entry{key: key}
				merged[key] = e
			}
			e.parts = append(e.parts, p)
		}
		ix.pairs = nil
	}
	entries := make([]entry, 0, len(merged))
	for _, e := range merged {
		entries = append(entries, *e)
	}
	return sortEntries(entries)
}

func sortEntries(entries []entry) []entry {
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	var scratch []byte
	for k := range entries {
		scratch = appendEntry(scratch[:0], &entries[k])
		entries[k].size = len(scratch)
	}
	return entries
}

// shard is one file of entries and the key it starts at.
type shard struct {
	first, hash string
}

// writeShards cuts the sorted entries into shards (see cut) and stores each, letting the
// postings go as they are written.
func writeShards(out *output, entries []entry, max int) ([]shard, error) {
	var shards []shard
	for _, seg := range cut(entries, max) {
		n := 2
		for _, e := range entries[seg[0]:seg[1]] {
			n += e.size + 1
		}
		b := make([]byte, 0, n)
		b = append(b, '[')
		for k := seg[0]; k < seg[1]; k++ {
			if k > seg[0] {
				b = append(b, ',')
			}
			b = appendEntry(b, &entries[k])
			entries[k].vars, entries[k].parts = nil, nil
		}
		b = append(b, "]\n"...)
		h, err := out.add(b)
		if err != nil {
			return nil, err
		}
		first := entries[seg[0]].key
		if len(shards) == 0 {
			first = "" // the first shard holds everything before the second
		}
		shards = append(shards, shard{first: first, hash: h})
	}
	if len(shards) == 0 { // no keys at all: one empty shard, so the client needs no special case
		h, err := out.add([]byte("[]\n"))
		if err != nil {
			return nil, err
		}
		shards = append(shards, shard{hash: h})
	}
	return shards, nil
}

// cut splits sorted entries into shards of at most max bytes at prefix boundaries: a set of keys
// too big for one shard is split by the next byte of the keys, recursively, and neighbouring
// pieces that fit together are packed into one. Where a boundary falls depends only on the keys
// under the same prefix, so an edit that touches a few keys moves no boundary elsewhere. A key
// bigger than max is a shard of its own.
func cut(entries []entry, max int) [][2]int {
	if len(entries) == 0 {
		return nil
	}
	sum := make([]int, len(entries)+1) // sum[i]: bytes of entries[:i]
	for i, e := range entries {
		sum[i+1] = sum[i] + e.size + 1
	}
	return split(entries, sum, 0, len(entries), 0, max)
}

func split(entries []entry, sum []int, lo, hi, depth, max int) [][2]int {
	if sum[hi]-sum[lo] <= max || hi-lo == 1 {
		return [][2]int{{lo, hi}}
	}
	var segs [][2]int
	i := lo
	if len(entries[i].key) == depth { // the key equal to the prefix sorts first
		segs = append(segs, [2]int{i, i + 1})
		i++
	}
	for i < hi {
		c := entries[i].key[depth]
		j := i + 1
		for j < hi && entries[j].key[depth] == c {
			j++
		}
		segs = append(segs, split(entries, sum, i, j, depth+1, max)...)
		i = j
	}
	// Pack neighbours greedily.
	packed := segs[:1]
	for _, s := range segs[1:] {
		last := &packed[len(packed)-1]
		if sum[s[1]]-sum[last[0]] <= max {
			last[1] = s[1]
		} else {
			packed = append(packed, s)
		}
	}
	return packed
}

// appendShardList appends [["",hash],["ba",hash],…].
func appendShardList(b []byte, shards []shard) []byte {
	b = append(b, '[')
	for k, s := range shards {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(appendString(append(appendString(append(b, '['), s.first), ','), s.hash), ']')
	}
	return append(b, ']')
}

// appendString appends s as a JSON string. Valid UTF-8 is written as is; what JSON or a
// script element cannot hold is escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, `\u00`...)
				b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == 0x2028 || r == 0x2029:
			b = append(b, `\u`...)
			b = strconv.AppendInt(b, int64(r), 16)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
