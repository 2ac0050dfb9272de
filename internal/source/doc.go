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
// OpenSite (fs.go) is the one door through which a build reads the site
// folder: an fs.FS rooted with os.Root. Content, configuration, layouts and
// static files come from anyone who can commit, so a symbolic link leading
// out of the site (to /etc/passwd, /proc/self/environ, a CI secret), a loop,
// a FIFO, a device or a socket is an error naming it and the fix, never
// followed and never blocking, and no file is read past MaxFileSize (100 MB).
// Relative links to files inside the site are followed; listings refuse
// links to folders, so walks cannot loop. CheckTree vets a folder bantin
// writes into by path (resources/, the image cache) the same way. A UTF-8
// byte order mark before the front matter is dropped.
//
// Source knows nothing of URLs, lists or HTML: that is the model's job.
package source
