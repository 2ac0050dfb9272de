// Package markdown turns the Markdown body of one page into HTML, and reads from it what the rest of
// the build needs: a plain-text summary, a word count, the headings with their ids, the images, and
// the problems an editor should fix (with line numbers).
//
// It is a leaf: it imports only the standard library and goldmark. The caller hands it everything
// site-specific as values — the slug function for heading ids (Options.HeadingID, viet.Slug in
// bantin) and, per page, a LinkFunc that maps a link written by an editor ("../tin-tuc/bai-a.md",
// "/tin-tuc/") to its URL and says whether it exists.
//
// # What it takes and returns
//
// New configures goldmark once (CommonMark + GFM tables, strikethrough, linkify, task lists +
// footnotes; no typographer, which would rewrite Vietnamese quotes). The *Converter is safe for
// concurrent use: Convert keeps all per-page state (heading ids, buffers, line table) in a value
// taken from a sync.Pool, so a build can call it from every worker.
//
// Convert(body, link) parses the body, runs one pass over the syntax tree, then renders it:
//
//   - Headings get ids from Options.HeadingID applied to the heading's plain text ("## Nhiệm vụ
//     trọng tâm" → id="nhiem-vu-trong-tam"). An empty slug becomes "phan"; a repeated id gets "-1",
//     "-2"… within the page. The ids come from the plain text, not from the raw Markdown line that
//     goldmark's parser.WithAutoHeadingID would slug, so "## Xem [bài](a.md)" is "xem-bai", as in
//     Hugo. The per-page id table is a parser.IDs, also handed to goldmark's parser context.
//   - Raw HTML (blocks and inline tags) is dropped unless Options.Unsafe, each with a warning Problem
//     carrying its line and a short excerpt (at most one warning per line). An HTML comment is dropped
//     silently: it was never meant to be seen. In the default mode the renderer also writes nothing for
//     raw HTML, so a `<script>` can reach the output only as escaped text. A paragraph left empty by
//     this is removed.
//   - Every link and image destination (not autolinks) goes through the LinkFunc; a destination it
//     reports missing becomes an error Problem with the line of the link text. Goldmark's inline nodes
//     carry no line, so the line comes from the byte offset of the link's first text segment (or the
//     last text or block start before it), looked up in a line-start table built only when needed.
//     Result.Images lists the images that resolved, as URLs, for thumbnails and the cover.
//   - Summary is the plain text of the first paragraph outside footnotes that has any text, whitespace
//     collapsed, cut to 40 words with "…". Words counts whitespace-separated words of all text (image
//     alt text and raw HTML excluded).
//   - GFM tables are wrapped in <div class="bang"> so they can scroll sideways on phones.
//
// External links are left as they are (no target or rel added). Output is deterministic.
//
// # A time limit per body
//
// Anyone who can commit writes bodies, and some inputs make goldmark itself work quadratically:
// 160 KB of "[a](" take 10–20 s (each ] scans to the end of the paragraph for a destination), "![a]("
// and "[a](<" alike, long runs of backticks, and emphasis delimiters that never pair ("a*b_" × 100,000:
// matching them at the end of the paragraph). So parsing one body has a time budget,
// Options.TimeLimit, by default DefaultTimeLimit (3 s, thousands of times what a real article takes);
// past it Convert returns ErrTooSlow ("conversion took longer than 3s (the limit for one article);
// the body probably has thousands of unclosed [ or ( or of * and _"), and the caller names the file.
//
// The budget is checked during parsing, where the time goes: an inline parser registered before
// goldmark's own on [ ] ! ` < * _ parses nothing, only looks at the clock (every 16th call) and
// aborts the parse by panicking with a private value that Convert recovers; on * and _ it parses
// the delimiter itself, as goldmark's emphasis parser does, with a processor that looks at the clock
// as delimiters are paired. A normal article calls it a few dozen times, so it costs nothing
// measurable (BenchmarkConvert, BenchmarkConvertMarkup).
//
// Why time and not a limit on the input's shape (so many brackets, so many delimiters): the
// quadratic paths are goldmark's, several and version-dependent, and a shape rule would either
// refuse real articles or miss the next path; a budget checked where the work happens catches
// them all with one number that means what the editor is told. A time limit depends on the
// machine, but only for bodies thousands of times slower than any real one, and it fails loudly
// (an error naming the file), never changing the output.
//
// Line numbers are 1-based within the body passed to Convert, counting "\n"; the caller adds the
// body's offset in the file.
package markdown
