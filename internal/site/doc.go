// Package site is the MODEL stage: the whole site as plain values, derived
// from the loaded pages and the config by pure functions (no I/O).
//
// New takes the pages from package source and returns a Site: sections,
// articles with their URLs, newest first; tag, participant and task indexes;
// pagination; aliases; and Outputs, the list of every HTML page the site has,
// which render walks and the sitemap lists. Vietnamese rules live here:
// slugs for URLs, collation for lists of names, dates in the site's zone.
//
// Article bodies are converted after the model exists (links in Markdown
// resolve against it, see Resolve); render asks build for each body's HTML as it
// renders the article (render.Options.Content), so a build never holds them all.
package site
