package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bantin/internal/config"
	"bantin/internal/source"
	"bantin/internal/viet"
)

func runNew(args []string, stdout, stderr io.Writer) int {
	fset := flags("new", stderr)
	dir := "."
	fset.StringVar(&dir, "s", ".", "site source `dir`")
	fset.StringVar(&dir, "source", ".", "site source `dir`")
	force := false
	fset.BoolVar(&force, "f", false, "start a new section when the section's folder does not exist")
	if code := parse(fset, args); code >= 0 {
		return code
	}
	if fset.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: bantin new [-s DIR] [-f] <section>/<title>   e.g. bantin new \"tin-tuc/Hội nghị sơ kết quý III\"")
		return 2
	}
	arg := viet.NFC(strings.TrimSpace(fset.Arg(0)))
	section, title, ok := strings.Cut(arg, "/")
	title = strings.TrimSpace(strings.TrimSuffix(title, ".md"))
	if !ok || viet.Slug(section) == "" || viet.Slug(title) == "" {
		fmt.Fprintf(stderr, "bantin new: %q: give a section and a title, e.g. tin-tuc/Hội nghị sơ kết quý III\n", arg)
		return 2
	}
	if noSite(stderr, "new", dir) {
		return 1
	}
	// Read through the build's door; a folder that cannot be opened fails
	// the read of site.yaml with why.
	fsys, _ := source.OpenSite(dir)
	cfg, err := config.Load(fsys)
	if err != nil {
		report(stderr, err, nil)
		return 1
	}
	// Written inside the site folder too: never through a link out of it.
	root, err := os.OpenRoot(dir)
	if err != nil {
		fmt.Fprintf(stderr, "bantin new: %v\n", err)
		return 1
	}
	defer root.Close()
	// A section that does not exist yet is more often a typo than a new
	// section: name the ones there are, and start a new one only with -f.
	if info, err := fs.Stat(fsys, "content/"+viet.Slug(section)); (err != nil || !info.IsDir()) && !force {
		var names []string
		if entries, err := fs.ReadDir(fsys, "content"); err == nil {
			for _, e := range entries {
				if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
					names = append(names, e.Name())
				}
			}
		}
		have := "there are no sections yet"
		if len(names) > 0 {
			have = "the sections are " + strings.Join(names, ", ")
		}
		fmt.Fprintf(stderr, "bantin new: there is no section %q (content/%s/); %s: give one of them, or -f to start a new section\n", viet.Slug(section), viet.Slug(section), have)
		return 1
	}
	slug := viet.SlugMax(title, 60)
	rel := filepath.Join("content", viet.Slug(section), slug+".md")
	if title == slug {
		// Given a slug, start the title from it; the editor will correct the marks.
		title = strings.ToUpper(slug[:1]) + strings.ReplaceAll(slug[1:], "-", " ")
	}
	now := time.Now().In(cfg.Location)
	body := fmt.Sprintf(`---
title: %q
date: %s
summary: ""
category: ""
tags: []
participants:
  # - {name: "Vũ Hữu Thi", role: "Bí thư Đảng ủy Khối", chair: true}
  # - "Nguyễn Văn A — Chánh Văn phòng"
tasks:
  # - {text: "…", lead: "Văn phòng Đảng ủy Khối", support: ["…"], due: %s}
images: []
draft: true
---

Ngày %s, …
`, title, now.Format("2006-01-02 15:04"), now.AddDate(0, 1, 0).Format("2006-01"), viet.FormatDate(now, "{dd}/{mm}/{yyyy}"))
	if err := root.MkdirAll(filepath.Dir(rel), 0o755); err != nil {
		fmt.Fprintf(stderr, "bantin new: %v\n", err)
		return 1
	}
	f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "bantin new: %s already exists; choose another title\n", filepath.ToSlash(rel))
		return 1
	}
	if err == nil {
		_, err = f.WriteString(body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "bantin new: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "created %s (a draft: set draft: false to publish it; bantin serve -D shows drafts)\n", filepath.ToSlash(rel))
	return 0
}
