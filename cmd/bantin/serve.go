package main

import (
	"fmt"
	"io"

	"bantin/internal/serve"
)

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flags("serve", stderr)
	var sf siteFlags
	sf.add(fs)
	var port int
	var bind string
	fs.IntVar(&port, "p", 1313, "port to listen on")
	fs.IntVar(&port, "port", 1313, "port to listen on")
	fs.StringVar(&bind, "bind", "127.0.0.1", "interface to listen on")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bantin serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if noSite(stderr, "serve", sf.source) {
		return 1
	}
	err := serve.Run(serve.Options{Source: sf.source, Drafts: sf.drafts, Future: sf.future, Expired: sf.expired, Port: port, Bind: bind}, stdout, stderr)
	if err != nil {
		report(stderr, err, nil)
		return 1
	}
	return 0
}
