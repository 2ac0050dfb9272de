// Package search owns site search (SPEC §3b, issue 12): it turns the searchable pages into a
// static, sharded index under /tim-kiem/ and provides the browser client that queries it. It is a
// leaf: it takes plain [Doc] values (the caller strips HTML and knows the URLs), returns [File]
// values (the caller publishes them), does no I/O and imports only the standard library, x/text
// and viet.
//
//	files, err := search.Build(docs, search.Options{}) // tim-kiem/index.json + tim-kiem/i/<hash>.json
//	js := search.Script()                               // publish as tim-kiem/search.js
//
// [Search] runs a query over the built files exactly as the client does: it is the reference the
// client is tested against (node_test.go), and what the Go tests of ranking use.
//
// # Words
//
// Text is read in NFC and lower case, format characters (soft hyphen, zero-width space) ignored.
// A syllable is a run of letters, combining marks and decimal digits — Vietnamese is written one
// syllable per word, so this is the natural unit, and needs no dictionary. Each syllable is
// indexed under its folded form ([viet.Fold]: tone and vowel marks dropped, đ → d, so "Đảng",
// "đăng" and "dang" share the key "dang") and, inside that key, under its exact form, so that a
// query typed with marks can rank the same marks first. Two syllables are adjacent when only
// spaces (no line break) or one joiner (- / .) separate them; a comma, a dash between spaces or a
// line ends a phrase. A run of syllables tied by joiners with a digit among them — a document
// number (09-QC/TW, 42/2022/NĐ-CP), a date, 2020-2025 — is also indexed whole, as written in
// lower case, so that a number is found as typed. Runes outside the Basic Multilingual Plane
// (emoji) are not indexed, which keeps Go's byte order of keys equal to JavaScript's.
//
// # Phrases are pairs, not positions
//
// Instead of a position list per occurrence, the index holds every pair of adjacent syllables as
// a key of its own ("so ket"), with the documents where the two are adjacent. Positions would
// make a common syllable's postings as long as its occurrences — "đảng" occurs ~10 times in
// each of 10,000 articles — and a query would download all of them to find which are
// neighbours. A pair is one posting per document; a query fetches only the pairs it asks
// about. A phrase of three or more words counts each neighbouring pair: "hội nghị sơ kết" scores
// the pairs "hội nghị", "nghị sơ", "sơ kết".
//
// # Files
//
// Every file is JSON. All but the manifest are named by the first 12 hex digits of the SHA-256
// of their bytes (tim-kiem/i/3fa9c1d2e4b5.json), so hosts and browsers may cache them forever;
// the same documents give the same bytes. Documents get ids 0…n-1 in date order, oldest first
// (then by URL): ranking prefers newer documents by id without knowing dates, and a new article
// (usually the newest) changes no other document's id.
//
// The manifest, tim-kiem/index.json, is the only fixed name:
//
//	{"v":1,                       format version
//	 "n":10000, "c":32,           documents, documents per metadata chunk
//	 "d":"<hash>",                the documents file
//	 "s":[["Tin tức","/tin-tuc/"],…],   sections by URL; a document's section is an index here
//	 "y":[[2015,0],[2016,371],…],       runs of [year, first id] (ids are in date order)
//	 "w":[["",h],["bao",h],…],           word shards: first key, hash; sorted
//	 "p":[["",h],["cac don",h],…]}       pair shards, likewise
//
// A key lives in the last shard whose first key is not after it; the keys with a prefix lie in
// that shard and the following ones whose first key has the prefix.
//
// The documents file: {"s":"0021…","m":[h,…]}, one character per document for its section (in
// the alphabet below) and the hashes of the metadata chunks in order. A metadata chunk holds
// documents c·k … c·k+c-1 as [url, title, "yyyy-mm-dd", text], text being the first 240
// characters of the body for the snippet ("" date for a page without one).
//
// A word shard is [[key, [exact, t, m, b], …], …] sorted by key, the exact forms sorted, ""
// standing for the exact form equal to the key; a pair shard is [[key, t, m, b], …]. t, m and b
// are posting lists: the documents where the key occurs in the title, in the tags, people,
// numbers and tasks, and in the body. A list is a string of gaps between increasing ids (the
// first counted from -1), each gap-1 written in base 32 low digits first, with the digits of
// "0123456789abcdefghijklmnopqrstuv" ending a number and "wxyz…-_" (value 32 + d) saying more
// follow: a common word costs about one byte per document before gzip, and needs no escaping.
//
// # Shards
//
// Keys are cut into shards of at most ShardBytes (32 KiB before gzip, ~8 KiB after) at prefix
// boundaries: a set of keys too big for one shard is split by the next byte of the keys,
// recursively, and neighbouring pieces that fit together are packed into one; a key bigger than
// the limit is a shard by itself. Where a boundary falls depends only on the keys under the same
// prefix, never on a count of keys before it, so an edit moves no boundary elsewhere: editing
// one article's body rewrites the shards of the keys it touched, the documents file, its
// metadata chunk if the snippet or title changed, and the manifest (TestBuildStable). Words and
// pairs are sharded apart so that a word's prefix ("ket…") does not drag in all the pairs
// starting with it ("ket qua", "ket nap"…).
//
// # Querying
//
// The query is split like text. A run of joined syllables with a digit is one term (09-qc/tw),
// matching the number as indexed: part of a number (09-QC of 09-QC/TW) is found only as the last
// word, by prefix, or typed with spaces (09 QC). Other syllables are terms; at most 10. Every term must match. A term matches the documents
// holding its folded key; the last term also matches keys that start with it ("phat tri" finds
// "phát triển"), unless its keys span more than 4 shards (a one-letter prefix on a large site),
// then it matches whole only. Neighbouring terms look up their pair (the last one as a prefix
// too). The client fetches the manifest, then in parallel the documents file and the shards of
// the terms and pairs, intersects, ranks, and fetches the metadata chunks of the hits it shows
// (ten at a time: "Xem thêm" fetches the next). At 10,000 generated articles a query moves
// 20–80 KB gzipped (TestBuildScale).
//
// # Ranking
//
// [Match.Score] is the rule of SPEC §3b, compared field by field: (1) the number of terms typed
// with marks and found with the same marks ("đảng" ranks Đảng above đăng; a term typed without
// marks counts for no document, so "so ket" does not prefer the unmarked "so"); (2) the number of
// neighbouring terms found adjacent, a phrase above scattered words; (3) terms found whole above
// found as a prefix; (4) the sum of field weights — title 3, tags/people/numbers/tasks 2, body 1
// — of each term's best match and each phrase's best field; then (5) newer above older. A term's
// best match is one exact form in one field, the same marks first: a title with "đăng" does not
// lift a page whose "đảng" is only in the body. Facets count the matches per section and year
// before the filter, so the filters show what each choice would give.
//
// # The client
//
// search.js is vanilla JavaScript (no framework, no WASM, ~6 KB gzipped), the HTML it expects is
// described at its top. Its fold table is made by [Script] from viet.Fold for every Vietnamese
// letter; other letters fold by NFD and dropping marks, which is what viet.Fold does for them. It
// mirrors this package function by function (split, compounds, parseQuery, decode, find, span,
// score, search); node_test.go runs it under Node.js, when installed, against [Search] on
// hundreds of queries and compares hits, order, scores, facets and the files fetched.
//
// # Scale
//
// Build sorts the documents by date and indexes contiguous ranges of ids in parallel, one
// segment per processor; each appends ids to per-key posting lists kept in the file encoding
// (about a byte per posting), and syllables are normalized and folded once per distinct form.
// The segments' lists are joined as the shards are written (only each part's first gap is
// re-counted), so the files do not depend on the number of processors (TestBuildSegments).
// Memory is about twice the output (127 MB of index for 100,000 generated articles); time is
// linear in the text: ~0.8 s for 10,000 articles of ~1,000 words on two cores, ~6 s for 100,000.
// At 100,000 articles a query for common words moves 160–300 KB gzipped: a posting list costs
// what its density does (a word in half the documents is about 2 bits a document), and the
// manifest and documents file grow with the site. Splitting postings by ranges of ids (newest
// first) would bound that; at 10,000 it is not needed.
package search
