package site

import (
	"errors"
	"path"
	"strconv"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/source"
	"bantin/internal/urlpath"
)

// Files the model derives besides the HTML pages; render writes them.
const (
	FeedFile      = "index.xml"   // the site's RSS feed; a section's is <section>/index.xml
	SitemapFile   = "sitemap.xml" //
	RobotsFile    = "robots.txt"  // unless static/robots.txt replaces it (Robots)
	RedirectsFile = "_redirects"  // Netlify/Cloudflare redirects, when there are aliases
)

// origin is what wants an output file: a source file (and line), or a file
// the model generates.
type origin struct {
	file string // from the site root: content/tin-tuc/a.md, static/robots.txt; "" when generated
	line int
	what string // "alias /tin-cu/a/", "the page /tin-tuc/", "the RSS feed"
}

func (o origin) String() string {
	if o.file == "" {
		return o.what
	}
	s := o.file
	if o.line > 0 {
		s += ":" + strconv.Itoa(o.line)
	}
	if o.what != "" {
		s += " (" + o.what + ")"
	}
	return s
}

// claim records that o wants the output file f. A file two origins want,
// or a path one wants as a file and another as a folder, is an error naming
// both, reported at the later one's file and line (the earlier's when only
// it has a file or a line). It reports whether f was free.
func (s *Site) claim(f string, o origin, problems *diag.List) bool {
	report := func(prev origin, format string, args ...any) bool {
		at := o // where the editor fixes it: the later origin, unless the earlier one has a file or a line and it does not
		if at.file == "" || at.line == 0 && prev.line > 0 {
			at = prev
		}
		problems.Errorf(at.file, at.line, format, args...)
		return false
	}
	if prev, dup := s.files[f]; dup {
		return report(prev, "output file %s is wanted twice: by %s and by %s; rename one of them", f, prev, o)
	}
	if prev, dir := s.dirs[f]; dir {
		return report(prev, "output path %s is wanted as a folder by %s and as a file by %s; rename one of them", f, prev, o)
	}
	top := "." // the nearest folder of f already known (its own folders are then known too)
	for d := path.Dir(f); d != "."; d = path.Dir(d) {
		if _, ok := s.dirs[d]; ok {
			top = d
			break
		}
		if prev, ok := s.files[d]; ok {
			return report(prev, "output path %s is wanted as a file by %s and as a folder by %s; rename one of them", d, prev, o)
		}
	}
	for d := path.Dir(f); d != top; d = path.Dir(d) {
		s.dirs[d] = o
	}
	s.files[f] = o
	return true
}

// Robots reports whether the site generates robots.txt: a site's own
// static/robots.txt replaces it.
func (s *Site) Robots() bool { return !s.statics["/"+RobotsFile] }

// FeedFile is the output path of the section's RSS feed.
func (sec *Section) FeedFile() string { return sec.Name + "/" + FeedFile }

// claimFiles claims every output file the model knows of besides pages and
// aliases (claimed as they are made): the feeds, sitemap and robots.txt,
// static files and bundle resources. Resized photos (named by build) and
// built-in assets (which a static file of the same name replaces) are not
// in the model.
func (s *Site) claimFiles(static []string, problems *diag.List) {
	s.claim(FeedFile, origin{what: "the site's RSS feed"}, problems)
	for _, sec := range s.Sections {
		s.claim(sec.FeedFile(), origin{file: source.ContentDir + "/" + sec.Name + "/", what: "the section's RSS feed"}, problems)
	}
	s.claim(SitemapFile, origin{what: "the sitemap"}, problems)
	if s.Robots() {
		s.claim(RobotsFile, origin{what: "the generated robots.txt"}, problems)
	}
	if len(s.Aliases) > 0 {
		s.claim(RedirectsFile, origin{what: "the redirects of the aliases"}, problems)
	}
	for _, f := range static {
		if urlpath.Name(f) == nil {
			s.claim(f, origin{file: "static/" + f}, problems)
		}
	}
	for _, o := range s.Outputs {
		if !o.IsPage() || !o.Article.Page.Bundle {
			continue
		}
		a := o.Article
		for _, r := range a.Page.Resources {
			if urlpath.Name(r) == nil {
				s.claim(strings.TrimPrefix(a.URL, "/")+r, origin{file: source.ContentDir + "/" + path.Join(a.Page.Dir, r)}, problems)
			}
		}
	}
}

// checkNames reports file and folder names that cannot become URLs and
// output files: static files, bundle resources and section folders (their
// names are part of URLs as they are). Spaces and Vietnamese letters are
// fine; a control or invisible character, a backslash or a name that
// leaves its folder is not.
func (s *Site) checkNames(static []string, all []*Article, problems *diag.List) {
	for _, f := range static {
		if err := urlpath.Name(f); err != nil {
			problems.Errorf("static", 0, "file name %q %v; rename the file", f, err)
		}
	}
	for _, a := range all {
		if !a.Page.Bundle {
			continue
		}
		for _, r := range a.Page.Resources {
			if err := urlpath.Name(r); err != nil {
				problems.Errorf(a.Page.File, 0, "the file %q beside it %v; rename the file", r, err)
			}
		}
	}
	for _, sec := range s.Sections {
		err := urlpath.Name(sec.Name)
		if err == nil && strings.ContainsAny(sec.Name, "/?#%") {
			err = errUnsafeSection
		}
		if err != nil {
			problems.Errorf(source.ContentDir, 0, "section folder %q %v; rename the folder", sec.Name, err)
		}
	}
}

var errUnsafeSection = errors.New("has / ? # or %, which URLs would read as syntax")
