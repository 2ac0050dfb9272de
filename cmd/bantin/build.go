package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"bantin/internal/build"
)

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := flags("build", stderr)
	var sf siteFlags
	sf.add(fs)
	var dest, baseURL string
	minify, compress := true, false
	fs.StringVar(&dest, "d", "", "output `dir` (default <source>/public)")
	fs.StringVar(&dest, "destination", "", "output `dir` (default <source>/public)")
	fs.StringVar(&baseURL, "b", "", "override site.yaml's baseURL")
	fs.StringVar(&baseURL, "baseURL", "", "override site.yaml's baseURL")
	fs.BoolVar(&minify, "minify", true, "minify HTML, CSS, JS, XML and JSON (false to turn off)")
	fs.BoolVar(&compress, "compress", false, "write .gz and .br beside every HTML, CSS, JS, XML, JSON and SVG file, and a _headers file")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bantin build: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if noSite(stderr, "build", sf.source) {
		return 1
	}
	opts := build.Options{Source: sf.source, Dest: dest, BaseURL: baseURL, Drafts: sf.drafts, Future: sf.future, Expired: sf.expired, Compress: compress}
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
	// Ctrl+C or SIGTERM stops the build, leaving the previous output as it
	// was; a second one ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := build.Build(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "bantin build: stopped; the previous output is as it was")
			return 1
		}
		report(stderr, err, nil)
		return 1
	}
	report(stderr, nil, res.Warnings)
	fmt.Fprintln(stdout, res.Summary())
	for _, line := range res.Next() {
		fmt.Fprintln(stdout, line)
	}
	return 0
}
