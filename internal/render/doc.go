// Package render is the RENDER stage: it executes html/template layouts over
// the site model and hands each finished file to a caller-supplied function.
//
// Layouts are files named by page kind (home.html, article.html, …) plus
// base.html and partials/*.html. The built-in set is embedded in the binary;
// a site's layouts/ folder overrides any of them by name, so a site needs no
// layouts of its own. Template errors name the layout file and line.
//
// Feeds (RSS 2.0), sitemap.xml, robots.txt, alias redirect pages and
// _redirects are derived from the model in Go code. Render does no disk I/O:
// the emit function decides where bytes go (publish writes them, tests keep them).
package render
