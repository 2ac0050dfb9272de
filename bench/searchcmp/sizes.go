package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dirSize is what a folder costs on disk and on the wire.
type dirSize struct {
	Name   string `json:"name"`
	Files  int    `json:"files"`
	Raw    int64  `json:"raw"`    // bytes on disk
	Served int64  `json:"served"` // bytes a host sends for all of them: text gzipped as the server does, the rest as stored
}

// sizeOf measures the files under dir (relative to the site) whose site-relative slash path
// keep accepts (nil: all).
func sizeOf(site, dir, name string, keep func(rel string) bool) (dirSize, error) {
	d := dirSize{Name: name}
	root := filepath.Join(site, dir)
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site, p)
		rel = filepath.ToSlash(rel)
		if keep != nil && !keep(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		d.Files++
		d.Raw += int64(len(b))
		if compressible(contentType(p)) {
			d.Served += int64(len(gzipBytes(b)))
		} else {
			d.Served += int64(len(b))
		}
		return nil
	})
	return d, err
}

// countPages counts the site's HTML pages (every .html file outside the search bundles).
func countPages(site string) (int, error) {
	n := 0
	err := filepath.WalkDir(site, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && strings.HasPrefix(e.Name(), "pagefind") {
			return filepath.SkipDir
		}
		if !e.IsDir() && strings.HasSuffix(p, ".html") {
			n++
		}
		return nil
	})
	return n, err
}

// countFiles counts every file of the site outside the search bundles.
func countFiles(site string) (int, error) {
	n := 0
	err := filepath.WalkDir(site, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (strings.HasPrefix(e.Name(), "pagefind") || e.Name() == "tim-kiem") {
			return filepath.SkipDir
		}
		if !e.IsDir() {
			n++
		}
		return nil
	})
	return n, err
}

// pagefindUsed reports whether a file of a Pagefind bundle is one the JS API fetches (the
// pagefind-ui*, modular-ui, component-ui and highlight files are for Pagefind's own UI).
func pagefindUsed(rel string) bool {
	base := filepath.Base(rel)
	return !strings.Contains(base, "-ui") && base != "pagefind-highlight.js"
}
