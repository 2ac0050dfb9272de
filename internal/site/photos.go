package site

import (
	"path"
	"slices"
	"strings"

	"bantin/internal/diag"
	"bantin/internal/source"
)

// photos resolves each article's album (front matter images:) to source
// files: "/images/a.jpg" is static/images/a.jpg; "anh-1.jpg" is beside the
// page. A path that leaves the site or names no file is an error with the
// article's file and line.
func (s *Site) photos(all []*Article, problems *diag.List) {
	for _, a := range all {
		for _, im := range a.Page.Images {
			file, ok := s.imageFile(a, im.Src)
			if !ok {
				problems.Errorf(a.Page.File, im.Line, "image %q: %s", im.Src, file)
				continue
			}
			a.Photos = append(a.Photos, &Photo{Src: im.Src, File: file, Caption: im.Caption, Line: im.Line, Article: a})
		}
		if len(a.Photos) == 0 {
			continue
		}
		a.Cover = a.Photos[0]
		if c := a.Page.Cover; c != "" {
			for _, ph := range a.Photos {
				if ph.Src == c {
					a.Cover = ph
				}
			}
		}
		if a.Section == nil || a.Section.Name != VideoSection {
			s.Albums = append(s.Albums, a)
		}
	}
}

// imageFile finds the source file of an image path written in article a;
// on failure the string says why.
func (s *Site) imageFile(a *Article, src string) (string, bool) {
	if strings.Contains(src, "://") || strings.HasPrefix(src, "//") {
		return "is not a file of this site: put the photo in static/ or beside the article", false
	}
	if strings.HasPrefix(src, "/") {
		p := path.Clean(src)
		if !s.statics[p] {
			return "no such file: expected static" + p, false
		}
		return "static" + p, true
	}
	if strings.HasPrefix(path.Clean(src), "../") || path.Clean(src) == ".." {
		return "leaves the article's folder: use a path from static/ starting with /, e.g. /images/anh.jpg", false
	}
	name := path.Clean(src)
	if !slices.Contains(a.Page.Resources, name) {
		where := source.ContentDir + "/" + path.Join(a.Page.Dir, name)
		if !a.Page.Bundle {
			return "no such file beside the article: make it a bundle (" + a.Page.Dir + "/" + a.Page.Name + "/index.md) with its photos, or use a path from static/", false
		}
		return "no such file: expected " + where, false
	}
	return source.ContentDir + "/" + path.Join(a.Page.Dir, name), true
}
