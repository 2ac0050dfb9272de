package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// blankPath is a page of the server's own, outside the site, for Pagefind's JS API: an empty
// document in Vietnamese (Pagefind picks its index by <html lang>) with no favicon to fetch.
const blankPath = "/__searchcmp/blank.html"

const blankPage = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Pagefind</title>` +
	`<link rel="icon" href="data:,"></head><body></body></html>`

// server serves a built site as a static host would: text types gzipped (level 6, the usual
// default of nginx and CDNs), everything else as stored — Pagefind's .pf_* and .pagefind files
// are gzip streams already, which its client inflates itself, so they go out as they are. It
// logs every response (the label current when the request came in, the path, the body bytes
// sent) and counts every byte written to the connections, headers included.
//
// Caching: names that carry a content hash (bantin's tim-kiem/i/, Pagefind's index/, fragment/,
// filter/, .pf_meta and wasm files, any URL with ?v=) are sent "immutable" for a year; the rest
// "no-cache" with an ETag, to be revalidated (304).
type server struct {
	dir  string
	wire atomic.Int64 // bytes written to all connections

	inflight atomic.Int64
	last     atomic.Int64 // UnixNano of the last request start or end

	mu    sync.Mutex
	label string
	log   []reqLog

	gzMu sync.Mutex
	gz   map[string]*gzBody // by file path
}

type reqLog struct {
	Label  string `json:"label"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	Body   int64  `json:"body"`     // bytes of the body as sent (compressed when gzipped)
	Raw    int64  `json:"raw"`      // the file's size on disk
	Enc    string `json:"encoding"` // "gzip" or ""
}

type gzBody struct {
	data []byte
	etag string
	mod  time.Time
}

func newServer(dir string) *server {
	return &server{dir: dir, gz: map[string]*gzBody{}}
}

// listen starts serving on 127.0.0.1 and returns the base URL (no trailing slash).
func (s *server) listen() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go (&http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}).Serve(countListener{l, &s.wire})
	return "http://" + l.Addr().String(), nil
}

type countListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countConn{c, l.n}, nil
}

type countConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countConn) Write(p []byte) (int, error) {
	k, err := c.Conn.Write(p)
	c.n.Add(int64(k))
	return k, err
}

// begin starts a measurement: requests from now on carry label.
func (s *server) begin(label string) (wire0 int64, log0 int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.label = label
	return s.wire.Load(), len(s.log)
}

// end waits until no request has been in flight for quiet, then returns the bytes written
// since begin and the responses logged since.
func (s *server) end(wire0 int64, log0 int, quiet time.Duration) (int64, []reqLog) {
	s.waitIdle(quiet)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.label = ""
	return s.wire.Load() - wire0, append([]reqLog(nil), s.log[log0:]...)
}

func (s *server) waitIdle(quiet time.Duration) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if s.inflight.Load() == 0 && time.Since(time.Unix(0, s.last.Load())) >= quiet {
			return
		}
	}
}

type countWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *countWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *countWriter) Write(p []byte) (int, error) {
	k, err := w.ResponseWriter.Write(p)
	w.n += int64(k)
	return k, err
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	s.last.Store(time.Now().UnixNano())
	defer func() {
		s.last.Store(time.Now().UnixNano())
		s.inflight.Add(-1)
	}()
	s.mu.Lock()
	label := s.label
	s.mu.Unlock()
	cw := &countWriter{ResponseWriter: w, status: http.StatusOK}
	raw, enc := s.serve(cw, r)
	s.mu.Lock()
	s.log = append(s.log, reqLog{Label: label, Path: r.URL.RequestURI(), Status: cw.status, Body: cw.n, Raw: raw, Enc: enc})
	s.mu.Unlock()
}

// hashed matches the names that change when their content does.
var hashed = regexp.MustCompile(`^/tim-kiem/i/|/(index|fragment|filter)/[^/]+\.pf_|\.pf_meta$|/wasm\.[^/]+\.pagefind$`)

func (s *server) serve(w http.ResponseWriter, r *http.Request) (raw int64, enc string) {
	if r.URL.Path == blankPath {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		fmt.Fprint(w, blankPage)
		return int64(len(blankPage)), ""
	}
	p := path.Clean("/" + r.URL.Path)
	file := filepath.Join(s.dir, filepath.FromSlash(p))
	fi, err := os.Stat(file)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return 0, ""
		}
		file = filepath.Join(file, "index.html")
		fi, err = os.Stat(file)
	}
	if err != nil {
		http.NotFound(w, r)
		return 0, ""
	}
	h := w.Header()
	ctype := contentType(file)
	h.Set("Content-Type", ctype)
	if hashed.MatchString(p) || r.URL.Query().Get("v") != "" {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if compressible(ctype) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		g, err := s.gzipped(file, fi)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return fi.Size(), ""
		}
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
		h.Set("ETag", g.etag)
		http.ServeContent(w, r, "", g.mod, bytes.NewReader(g.data))
		return fi.Size(), "gzip"
	}
	f, err := os.Open(file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return fi.Size(), ""
	}
	defer f.Close()
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, fi.Size(), fi.ModTime().UnixNano()))
	http.ServeContent(w, r, "", fi.ModTime(), f)
	return fi.Size(), ""
}

// gzipped returns the file gzipped at the default level, made once.
func (s *server) gzipped(file string, fi os.FileInfo) (*gzBody, error) {
	s.gzMu.Lock()
	g := s.gz[file]
	s.gzMu.Unlock()
	if g != nil && g.mod.Equal(fi.ModTime()) {
		return g, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	z := gzipBytes(b)
	sum := sha256.Sum256(b)
	g = &gzBody{data: z, etag: `"` + hex.EncodeToString(sum[:8]) + `-gz"`, mod: fi.ModTime()}
	s.gzMu.Lock()
	s.gz[file] = g
	s.gzMu.Unlock()
	return g, nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func contentType(file string) string {
	switch ext := strings.ToLower(filepath.Ext(file)); ext {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json"
	case ".xml":
		return "application/xml"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter":
		return "application/octet-stream"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// compressible reports whether a host would gzip a response of this type.
func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/json", "application/xml", "image/svg+xml", "application/javascript"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}
