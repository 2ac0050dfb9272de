// Package urlpath is the one door for every output path that content or
// configuration can name: front-matter aliases, site.yaml's paths: segments,
// and the file and folder names of static/ and page bundles that become URLs.
//
// Anyone who can commit writes these values, and CI builds them with secrets in
// its environment, so a value is checked before it is used for a file name, a
// URL or a line of _redirects:
//
//   - Alias checks an old URL written in aliases: (a path from the site root,
//     perhaps percent-encoded as copied from an address bar, perhaps with a
//     query) and returns its path decoded. Control characters, spaces, a ..
//     or other dot segment, an empty segment, a leading //, a scheme
//     (javascript:, http:), a backslash, a fragment and _redirects' own
//     syntax (the * splat, :placeholders) are errors, in the path as written
//     and as decoded (%2e%2e is ..).
//   - Segment checks one URL segment named in configuration (paths:): letters
//     of any script, digits and - _ . ~, not starting with a dot.
//   - Name checks a file or folder name that editors chose ("Ảnh hội nghị
//     1.jpg" is normal): spaces and Vietnamese letters are fine; a control or
//     invisible character, a backslash, or a segment that leaves its folder
//     (.., an absolute path) is an error.
//
// Escape percent-encodes a checked path for a URL, and Redirect for a field
// of _redirects (Netlify/Cloudflare), where whitespace ends a field and * and :
// are syntax. Normalize encodes what a URL written by people (a menu entry)
// must not hold, keeping its query, fragment and valid escapes.
//
// The package is a leaf (standard library only) so that config (paths:) and
// site (aliases, file names) can both use it: site imports config, so the
// rules cannot live in site, and they are not configuration.
//
// Errors are plain errors saying what is wrong ("has a line break (U+000A)");
// the caller adds the file and line.
package urlpath
