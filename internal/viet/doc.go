// Package viet owns the Vietnamese text rules every other stage relies on (SPEC §3, §3a): slugs,
// search folding, Unicode normalization, editors' dates, Vietnamese date display and collation.
// It is a leaf: it imports only the standard library and golang.org/x/text, holds no configuration
// and does no I/O, so any stage can call it from any goroutine.
//
// # Slugs and search folding
//
// [Slug] turns a title or file name into a URL segment: NFC, lowercase, tone and vowel marks dropped,
// đ/Đ → d, every run of other characters → one '-', no '-' at either end. The result always matches
// ^[a-z0-9-]*$ and Slug(Slug(s)) == Slug(s). [SlugMax] cuts a slug at a hyphen for `bantin new`.
//
// [Fold] is the search form of a text: the same letter folding, but spaces and punctuation are kept
// (runs of white space become one space). The browser must fold a query the same way; in JavaScript
//
//	s.toLowerCase().normalize("NFD").replace(/[\p{Mn}\p{Me}\p{Cf}]/gu, "")
//	 .replace(/[đðɖ]/g, "d").replace(/\s+/g, " ").trim().normalize("NFC")
//
// matches Fold exactly on Vietnamese text (JavaScript's case mapping and white space differ from
// Go's for a handful of other characters). Fold keeps letters that have no decomposition (ł, ß, ø)
// as they are; only slugs spell them in ASCII.
//
// Both work rune by rune from one table that covers Latin-1 Supplement, Latin Extended-A/B, IPA and
// Latin Extended Additional (U+00A0–U+02AF, U+1E00–U+1EFF): every precomposed Vietnamese letter is a
// single lookup, and ASCII input that is already in final form is returned without allocating. Runes
// outside the table take a slower path through x/text/unicode/norm that gives the same answers, so
// NFD input (macOS file names, some editors) folds exactly like NFC input. Letters that have no
// canonical decomposition but an obvious ASCII spelling (ø, ł, ß, æ, œ, þ …) are spelled out in slugs;
// other scripts have no ASCII fold and act as separators in slugs (and are kept as they are by Fold).
//
// Two deliberate extras, both for text that looks Vietnamese but was typed oddly. Ð/ð (U+00D0/U+00F0,
// Icelandic eth) and Ɖ/ɖ (U+0189/U+0256) look exactly like Đ/đ and turn up in converted text (byte
// 0xD0 is Đ in Windows-1258 but Ð in Windows-1252), so they fold to d and collate as Đ/đ. Invisible
// format characters (soft hyphen, zero-width space and joiners, BOM) are dropped instead of
// splitting a word.
//
// # Dates
//
// [ParseDate] reads the forms SPEC §2 allows (ISO, RFC 3339, day-first 24/11/2022, with optional time)
// and places zone-less text in the site's zone — never UTC. Its errors are written for an editor and
// name the accepted forms. [ParseMonthOrDate] also accepts a month (2022-12, 12/2022) for task due
// dates. [FormatDate] and [Weekday] display a time that the caller has already put in the site zone,
// with Vietnamese weekdays: "Thứ Năm, 24/11/2022".
//
// # Collation
//
// [Compare], [Less], [SortStrings] and [Key] order text the Vietnamese way (CLDR "vi": a ă â b c d đ
// e ê g h i k l m n o ô ơ p q r s t u ư v x y; tones à ả ã á ạ are a secondary difference, case is
// tertiary, lowercase first). They are built on x/text/collate, which gets the Vietnamese alphabet
// and tone order right, with four corrections:
//
//   - Input is put in NFC first. x/text does not fully normalize: it reads ư typed as u + dot below +
//     horn (marks out of canonical order) as u, and weighs NFC and NFD forms of some letters apart.
//   - Runs of ASCII digits compare by numeric value ("Chi bộ 2" before "Chi bộ 10"). x/text's own
//     collate.Numeric option misorders numbers that start with 0 ("0.5" sorts after "1.5", golang/go
//     issue 67997), so each run is rewritten before collation as a length code followed by the digits
//     without leading zeros; the length code is a prefix-free, order-preserving spelling of the length.
//   - Strings that collate equal are ordered by their NFC bytes, so the order is total and does not
//     depend on the input order; Compare(a, b) == 0 exactly when NFC(a) == NFC(b).
//   - Compare is bytes.Compare of the two [Key]s rather than x/text's CompareString, which computes
//     its answer separately from the keys and has been seen to disagree with them (golang/go issue
//     68166); so Compare and Key agree by construction.
//
// Ð/ð and Ɖ/ɖ collate as Đ/đ (see above). Sorting is by whole strings: ordering people by given name
// first, as Vietnamese lists often do, is the caller's choice of key.
//
// A collate.Collator is not safe for concurrent use; collators live in a sync.Pool. That pool and the
// folding table (built once, then only read) are the package's only package-level variables.
package viet
