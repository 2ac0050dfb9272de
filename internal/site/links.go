package site

import (
	"hash/maphash"
	"net/url"
	"path"
	"strings"
)

// Resolve turns a link destination written in article a's Markdown into the
// URL to publish, and reports false when it points inside the site at
// something the build does not produce.
//
//   - http:, mailto: and other schemes, and //host links, are left alone;
//   - a link to a .md file (relative to the article's file, or from content/
//     when it starts with /) becomes that page's URL;
//   - a root-relative link (/tin-tuc/) is checked and put under baseURL's path;
//   - a relative link to a bundle's own file stays relative; other relative
//     links are checked against the article's URL.
func (s *Site) Resolve(a *Article, dest string) (string, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return dest, true
	}
	u, err := url.Parse(dest)
	if err != nil {
		return dest, false
	}
	if u.Scheme != "" || u.Host != "" {
		return dest, true
	}
	frag := ""
	if u.Fragment != "" {
		frag = "#" + u.EscapedFragment()
	}
	query := ""
	if u.RawQuery != "" {
		query = "?" + u.RawQuery
	}
	p := u.Path
	if strings.HasSuffix(p, ".md") {
		var file string
		if strings.HasPrefix(p, "/") {
			file = strings.TrimPrefix(path.Clean(p), "/")
			file = strings.TrimPrefix(file, "content/")
		} else {
			file = path.Join(a.Page.Dir, p)
		}
		target := s.byFile[file]
		if target == nil {
			// A bundle may be linked by its folder's index.md or _index.md.
			target = s.byFile[strings.TrimSuffix(file, ".md")+"/index.md"]
		}
		if target == nil {
			if sec := s.sectionOfIndex(file); sec != nil {
				return s.Config.RelURL(sec.URL) + frag, true
			}
			return dest, false
		}
		return s.Config.RelURL(target.URL) + query + frag, true
	}
	if strings.HasPrefix(p, "/") {
		return s.Config.RelURL(p) + query + frag, s.Exists(path.Clean(p)) || s.Exists(p)
	}
	// Relative: a resource of the bundle, or a path relative to the page's URL.
	if a.Page.Bundle {
		for _, r := range a.Page.Resources {
			if r == p {
				return dest, true
			}
		}
	}
	abs := path.Join(a.URL, p)
	if strings.HasSuffix(p, "/") {
		abs += "/"
	}
	return dest, s.Exists(abs)
}

// sectionOfIndex finds the section (or home) whose _index.md is file.
func (s *Site) sectionOfIndex(file string) *Section {
	if file == "_index.md" {
		return s.Home
	}
	for _, sec := range s.Sections {
		if file == sec.Name+"/_index.md" {
			return sec
		}
	}
	return nil
}

// linkSeed keys LinkDigest; a digest is only compared within one process.
var linkSeed = maphash.MakeSeed()

// LinkDigest changes whenever a link in an unchanged article could resolve
// differently: it covers every article's file and URL, bundles' resources,
// every URL the site produces, the static files, the sections and baseURL.
// serve re-resolves no link while it stays the same.
func (s *Site) LinkDigest() uint64 {
	var sum uint64
	add := func(parts ...string) {
		var h maphash.Hash
		h.SetSeed(linkSeed)
		for _, p := range parts {
			h.WriteString(p)
			h.WriteByte(0)
		}
		sum += h.Sum64() // order-independent: maps are walked in any order
	}
	for f, a := range s.byFile {
		add("f", f, a.URL)
		if a.Page.Bundle {
			add(append([]string{"r", f}, a.Page.Resources...)...)
		}
	}
	for u := range s.urls {
		add("u", u)
	}
	for p := range s.statics {
		add("s", p)
	}
	for _, sec := range s.Sections {
		add("c", sec.Name, sec.URL)
	}
	add("b", s.Config.BaseURL)
	return sum
}
