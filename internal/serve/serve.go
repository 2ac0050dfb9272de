// Package serve is the editors' preview: it builds the site into a private
// folder and serves it on 127.0.0.1 (watching and live reload build on this).
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

	"bantin/internal/build"
)

// Options are serve's flags.
type Options struct {
	Source string
	Drafts bool
	Future bool
	Port   int
	Bind   string
	// Ready, when set, receives the listening address once the site is up (tests).
	Ready chan<- string
	// Ctx stops the server when done; nil = until SIGINT/SIGTERM.
	Ctx context.Context
}

// Run builds the site and serves it until the context ends or a signal arrives.
func Run(opts Options, stdout, stderr io.Writer) error {
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Bind != "127.0.0.1" && opts.Bind != "localhost" && opts.Bind != "::1" {
		fmt.Fprintf(stderr, "warning: --bind %s makes the preview reachable from other machines on the network\n", opts.Bind)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(opts.Port)))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := opts.Bind
	if host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	base := "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port)) + "/"

	dir, err := os.MkdirTemp("", "bantin-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "public")
	res, err := build.Build(build.Options{Source: opts.Source, Dest: out, BaseURL: base, Drafts: opts.Drafts, Future: opts.Future})
	if err != nil {
		ln.Close()
		return err
	}
	for _, w := range res.Warnings.Warnings() {
		fmt.Fprintln(stderr, w.Error())
	}
	fmt.Fprintln(stdout, res.Summary())
	fmt.Fprintf(stdout, "serving the site at %s (Ctrl+C to stop)\n", base)

	srv := &http.Server{Handler: http.FileServer(http.Dir(out))}
	ctx := opts.Ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if opts.Ready != nil {
		opts.Ready <- base
	}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
