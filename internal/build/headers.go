package build

import (
	"path"
	"slices"
	"strings"

	"bantin/internal/publish"
	"bantin/internal/site"
)

// HeadersFile is the Netlify/Cloudflare Pages file of response headers that
// --compress publishes beside the site (a site's own static/_headers wins).
const HeadersFile = "_headers"

// Cache policies of _headers (docs/compress.md says why).
const (
	cacheForever = "public, max-age=31536000, immutable" // files named by their bytes' hash
	cacheShort   = "public, max-age=300"                 // everything else: pages change in place
)

// headers is the _headers file for the published paths: a year of immutable
// caching for the search index's chunks (tim-kiem/i/<hash>.json, named by
// their bytes), five minutes for the rest. Hosts combine the values of every
// rule matching a path, so the rules never overlap: the rest is covered one
// top-level folder or file at a time, and the search folder file by file.
// Names that would need escaping in a rule get no rule (the host's default).
func headers(published []string, searchDir string) []byte {
	hashed := searchDir + "/i/"
	var short []string
	seen := map[string]bool{}
	add := func(rule string) {
		if !seen[rule] {
			seen[rule] = true
			short = append(short, rule)
		}
	}
	for _, p := range published {
		top, rest, inFolder := strings.Cut(p, "/")
		switch {
		case p == HeadersFile || p == site.RedirectsFile || !plainRule(p):
		case strings.HasPrefix(p, hashed):
		case !inFolder:
			if p == "index.html" {
				add("/")
			}
			add("/" + p)
		case top == searchDir:
			sub, _, deeper := strings.Cut(rest, "/")
			if deeper {
				add("/" + top + "/" + sub + "/*")
				continue
			}
			if rest == "index.html" {
				add("/" + top + "/")
			}
			add("/" + p)
		default:
			add("/" + top + "/*")
		}
	}
	slices.Sort(short)
	var b strings.Builder
	b.WriteString("# Made by bantin build --compress (docs/compress.md); a static/_headers of the site's own replaces it.\n")
	b.WriteString("/" + hashed + "*\n  Cache-Control: " + cacheForever + "\n")
	for _, r := range short {
		b.WriteString(r + "\n  Cache-Control: " + cacheShort + "\n")
	}
	return []byte(b.String())
}

// plainRule reports whether p can be written in a rule as it is.
func plainRule(p string) bool {
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._/~", r)) {
			return false
		}
	}
	return path.Clean(p) == p
}

// writeHeaders publishes _headers when compressing, unless the site has its own.
func (s *Site) writeHeaders(stage *publish.Stage) error {
	if slices.Contains(s.Static, HeadersFile) {
		return nil
	}
	return stage.WriteRaw(HeadersFile, headers(stage.Published(), s.Model.Config.Paths.Search))
}
