// Package serve is the editors' preview loop: build the site into memory,
// serve it on 127.0.0.1, watch the source folders with fsnotify, rebuild
// what a change affects, and tell open browser tabs over Server-Sent Events
// to reload (or to swap a stylesheet, or to show a build error over the last
// good page). It never exits on bad input: the last good site stays up, and
// until a site has built once every page lists what stops it.
//
// The live-reload script is injected into HTML responses by this server
// only; `bantin build` output never contains it. serve is the only package
// that imports fsnotify.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"bantin/internal/build"
)

// Options are serve's flags.
type Options struct {
	Source  string
	Drafts  bool
	Future  bool
	Expired bool
	Port    int
	Bind    string
	// Ready, when set, receives the site's base URL once it is served (tests).
	Ready chan<- string
	// Ctx stops the server when done; nil = until SIGINT/SIGTERM.
	Ctx context.Context
	// Window is how long the watcher waits for a burst of events to end.
	Window time.Duration
}

// Run builds the site and serves it until the context ends or a signal arrives.
func Run(opts Options, stdout, stderr io.Writer) error {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Window == 0 {
		opts.Window = 20 * time.Millisecond
	}
	if opts.Bind != "127.0.0.1" && opts.Bind != "localhost" && opts.Bind != "::1" {
		fmt.Fprintf(stderr, "warning: --bind %s makes the preview reachable from other machines on the network\n", opts.Bind)
	}
	src, err := filepath.Abs(opts.Source)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(src, "site.yaml")); err != nil {
		return fmt.Errorf("serve: %s has no site.yaml: is -s pointing at a site folder?", opts.Source)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	host := opts.Bind
	if host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	port := ln.Addr().(*net.TCPAddr).Port
	base := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/"

	ctx := opts.Ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	watcher, err := NewWatcher(src, opts.Window, stderr)
	if err != nil {
		ln.Close()
		return err
	}
	defer watcher.Close()

	srv := NewServer(build.Options{Source: src, BaseURL: base, Drafts: opts.Drafts, Future: opts.Future, Expired: opts.Expired}, stdout, stderr)
	srv.stopWith(ctx)
	// The first build and every rebuild run here, so that Ctrl+C is heard
	// while they run: the build stops at its next step, and Run returns
	// without waiting for it (serve writes nothing but the photo cache,
	// whose files are renamed into place whole).
	built := make(chan struct{})
	go func() {
		srv.Rebuild(Change{Rescan: true})
		close(built)
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-watcher.Changes:
				srv.Rebuild(c)
			}
		}
	}()
	select {
	case <-built:
	case <-ctx.Done():
		ln.Close()
		return nil
	}
	fmt.Fprintf(stdout, "serving the site at %s (Ctrl+C to stop)\n", base)

	hs := &http.Server{Handler: allowHosts(srv, opts.Bind, port), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
		hs.Close()
	}()
	if opts.Ready != nil {
		opts.Ready <- base
	}
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
