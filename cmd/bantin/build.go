package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"bantin/internal/build"
)

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flags("build", stderr)
	var sf siteFlags
	sf.add(fs)
	var dest, baseURL string
	minify := true
	fs.StringVar(&dest, "d", "", "output `dir` (default <source>/public)")
	fs.StringVar(&dest, "destination", "", "output `dir` (default <source>/public)")
	fs.StringVar(&baseURL, "b", "", "override site.yaml's baseURL")
	fs.StringVar(&baseURL, "baseURL", "", "override site.yaml's baseURL")
	fs.BoolVar(&minify, "minify", true, "minify HTML, CSS, JS, XML and JSON (false to turn off)")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bantin build: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := build.Options{Source: sf.source, Dest: dest, BaseURL: baseURL, Drafts: sf.drafts, Future: sf.future}
	minifySet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "minify" {
			minifySet = true
		}
	})
	if minifySet {
		opts.Minify = &minify
	}
	if opts.Dest != "" {
		// -d is relative to the current directory, as any command-line user expects.
		if abs, err := filepath.Abs(opts.Dest); err == nil {
			opts.Dest = abs
		}
	}
	opts.Progress = progressBar(stderr, "processing photos")
	res, err := build.Build(opts)
	if err != nil {
		report(stderr, err, nil)
		return 1
	}
	report(stderr, nil, res.Warnings)
	fmt.Fprintln(stdout, res.Summary())
	return 0
}
