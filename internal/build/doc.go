// Package build is the orchestrator: it runs the stages in order —
// config, load, model, convert, templates, render+write — and returns counts.
//
// Each step's errors are wrapped with the step's name or carried as
// diagnostics with file and line; all content problems of a build are
// collected before it stops, and nothing is written when there are any.
//
// # Rebuilds: one skip decision, dependencies known by construction
//
// A rebuild — `bantin build` into an output it made, or serve after a
// change — renders again only the pages whose fingerprint changed. There is
// one decision, Site.Unchanged, for both: a page is left out when its
// fingerprint is the one its bytes at hand were made with (the output's
// .bantin-state for build, serve's memory for serve).
//
// A fingerprint covers everything a page can depend on, and this follows
// from how layouts are given data rather than from a list kept beside them.
// Of the two sound designs — typed per-page-kind views, or recording the
// model's accessors a page calls — bantin uses typed views (render.Views):
//
//   - Layouts never see the model. Each page gets a Data of plain values
//     made for it (its Page view and the shared Chrome), so what a layout —
//     built-in or a site's own — can print is what its view holds; a layout
//     that names anything else fails at load, with its file and line, on
//     every branch (render's type check).
//   - The same type check records which fields of which view types the
//     layout set can read; a page's fingerprint hashes its view by
//     reflection, those fields and no others, with the layout set's text,
//     the assets' hashes, the body's source key on pages that show it and
//     the state key (the program, site.yaml's bytes, the options, the
//     photos' published forms). Template functions take the values they read.
//   - Recorded reads would be as precise, but every template access would
//     go through a recording method (a call per field, 30,000 pages), the
//     records of cached partials would have to be merged into each page, and
//     `bantin build` would have to keep every page's read set in its state.
//     Views cost one copy of what pages show and a hash of it, and keep the
//     layouts' syntax as it was (.Page.Article.Title).
//
// What is derived from a body — its word count, a summary taken from it —
// is set once, when the body is converted (Session.convert, convertBody:
// the one conversion path), or for an unchanged file taken from the state
// its last conversion left; render workers never change the model.
//
// serve's fast paths follow from the views too (PrepareBodies): other pages
// reach an article only through its card, so an edit that leaves the card
// as it was renders the article's own pages; one that changes the card
// renders the pages whose views were seen holding it when their
// fingerprints were made (render.Fingerprints.Showing).
package build
