package main

import (
	"fmt"
	"io"

	"bantin/internal/build"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flags("check", stderr)
	var sf siteFlags
	sf.add(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bantin check: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if noSite(stderr, "check", sf.source) {
		return 1
	}
	res, err := build.Check(build.Options{Source: sf.source, Drafts: sf.drafts, Future: sf.future, Expired: sf.expired})
	if err != nil {
		report(stderr, err, nil)
		return 1
	}
	report(stderr, nil, res.Warnings)
	fmt.Fprintf(stdout, "ok: %d pages checked, %d warning(s)\n", res.Pages, len(res.Warnings.Warnings()))
	return 0
}
