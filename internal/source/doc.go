// Package source is the LOAD stage: it walks content/ in an fs.FS and turns
// every Markdown file into a Page of typed front-matter values and a raw body.
//
// Front matter may be YAML (---), TOML (+++) or JSON ({ … } then a blank line),
// found by github.com/adrg/frontmatter. Each format is read into one tree of
// nodes that remembers line numbers, and the tree is decoded into typed fields
// with errors an editor can act on: file, line, what was expected. Unknown keys
// are kept in Params; a key within two edits of a known one is a typo warning.
// All text is normalized to NFC on read. Zone-less dates are in the site's zone.
//
// Source knows nothing of URLs, lists or HTML: that is the model's job.
package source
