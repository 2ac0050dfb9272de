// Command bantin builds the static site of a Vietnamese committee news portal.
//
//	bantin build  [-s DIR] [-d DIR] [-b URL] [-D] [-F] [-E] [--minify=false] [--compress]
//	bantin serve  [-s DIR] [-p 1313] [--bind 127.0.0.1] [-D] [-F] [-E]
//	bantin new    [-s DIR] <section>/<title or slug>
//	bantin check  [-s DIR] [-D] [-F] [-E]
//	bantin version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"

	"bantin/internal/config"
	"bantin/internal/diag"
)

func main() {
	// A soft memory limit keeps very large builds (100,000 articles) under
	// 2 GB by collecting garbage sooner as the heap nears it; small sites
	// never get near it. GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
	// Rendering makes much short-lived garbage: collecting at 75 % growth
	// instead of 100 % keeps a 10,000-article build's peak near 270 MB
	// instead of 290–320 MB, for ~5 % more CPU. GOGC overrides it.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(75)
	}
	// BANTIN_CPUPROFILE=file writes a CPU profile of the whole run, for
	// the performance work in docs/performance.md.
	if path := os.Getenv("BANTIN_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args[1:], os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `bantin builds the committee's news site from Markdown.

Usage:
  bantin build   [-s DIR] [-d DIR] [-b URL] [-D] [-F] [-E] [--minify=false] [--compress]
  bantin serve   [-s DIR] [-p 1313] [--bind 127.0.0.1] [-D] [-F] [-E]
  bantin new     [-s DIR] <section>/<title>
  bantin check   [-s DIR] [-D] [-F] [-E]
  bantin version

Run "bantin <command> -h" for a command's flags.
`

// run is the whole program; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return runBuild(rest, stdout, stderr)
	case "serve", "server":
		return runServe(rest, stdout, stderr)
	case "new":
		return runNew(rest, stdout, stderr)
	case "check":
		return runCheck(rest, stdout, stderr)
	case "version", "--version", "-v":
		return runVersion(stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "bantin: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// flags makes a flag set that reports usage errors to stderr without exiting.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bantin "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse parses flags; it returns -1 to go on, or the exit status.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	return -1
}

// siteFlags are the flags several commands share, with Hugo's names.
type siteFlags struct {
	source  string
	drafts  bool
	future  bool
	expired bool
}

func (f *siteFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.source, "s", ".", "site source `dir`")
	fs.StringVar(&f.source, "source", ".", "site source `dir`")
	fs.BoolVar(&f.drafts, "D", false, "include drafts")
	fs.BoolVar(&f.drafts, "buildDrafts", false, "include drafts")
	fs.BoolVar(&f.future, "F", false, "include pages dated in the future")
	fs.BoolVar(&f.future, "buildFuture", false, "include pages dated in the future")
	fs.BoolVar(&f.expired, "E", false, "include pages whose expiry has passed")
	fs.BoolVar(&f.expired, "buildExpired", false, "include pages whose expiry has passed")
}

// noSite says, when dir holds no site.yaml, which folder was looked in and
// what to do, and reports whether it did: an editor who mistyped -s learns
// where bantin looked, not only that site.yaml is missing.
func noSite(stderr io.Writer, cmd, dir string) bool {
	_, err := os.Stat(filepath.Join(dir, config.File))
	if !errors.Is(err, fs.ErrNotExist) {
		return false // there, or unreadable: the build says why
	}
	abs, aerr := filepath.Abs(dir)
	if aerr != nil {
		abs = dir
	}
	why := "it has no " + config.File
	if info, err := os.Stat(dir); err != nil {
		why = "the folder does not exist"
	} else if !info.IsDir() {
		why = "it is not a folder"
	}
	fmt.Fprintf(stderr, "bantin %s: no site in %s (%s): run it in the site's folder, or give that folder with -s\n", cmd, abs, why)
	return true
}

// report prints diagnostics (errors and warnings) from err and the warnings list.
func report(stderr io.Writer, err error, warnings diag.List) {
	for _, w := range warnings.Warnings() {
		fmt.Fprintln(stderr, w.Error())
	}
	if err == nil {
		return
	}
	if list, ok := diag.AsList(err); ok {
		n := 0
		for _, d := range list {
			fmt.Fprintln(stderr, d.Error())
			if !d.Warning {
				n++
			}
		}
		if n > 0 {
			fmt.Fprintf(stderr, "bantin: %d error(s); nothing was written\n", n)
		}
		return
	}
	fmt.Fprintf(stderr, "bantin: %v\n", err)
}
