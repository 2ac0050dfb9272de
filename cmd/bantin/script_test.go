package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets scripts run "bantin" as a real process (exit status, signals).
func TestMain(m *testing.M) {
	if os.Getenv("BANTIN_MAIN") == "1" { // safety_test.go runs the test binary as bantin
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"bantin": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar: each holds a small site and the
// commands an editor would type, with the output they should see.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                "testdata/script",
		RequireUniqueNames: true,
		Setup: func(env *testscript.Env) error {
			port, err := freePort()
			if err != nil {
				return err
			}
			env.Setenv("PORT", strconv.Itoa(port))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"httpget":   cmdHTTPGet,
			"nostaging": cmdNoStaging,
			"rootlinks": cmdRootLinks,
			"jpeg":      cmdJPEG,
		},
	})
}

// freePort asks the kernel for a port nobody listens on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// cmdHTTPGet: httpget [-want TEXT | -lacks TEXT] URL FILE — GET URL,
// retrying (at most 20 s) until the server is up and, with -want, until the
// body holds TEXT (serve rebuilds after an edit; the body is read only until
// TEXT shows, so an event stream works too), with -lacks until it does not
// (with either, a status other than 200 is waited out too); fail unless 200;
// write the body (as far as read) to FILE.
// With !, the server must answer with a status other than 200.
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	want, lacks := "", ""
	if len(args) > 0 && (args[0] == "-want" || args[0] == "-lacks") {
		if len(args) < 2 {
			ts.Fatalf("usage: httpget [-want TEXT | -lacks TEXT] URL FILE")
		}
		if args[0] == "-want" {
			want = args[1]
		} else {
			lacks = args[1]
		}
		args = args[2:]
	}
	if len(args) != 2 || (neg && (want != "" || lacks != "")) {
		ts.Fatalf("usage: httpget [-want TEXT | -lacks TEXT] URL FILE")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		resp, err := client.Get(args[0])
		if err != nil {
			last = err.Error()
			time.Sleep(100 * time.Millisecond)
			continue
		}
		body, found := readUntil(resp.Body, want)
		resp.Body.Close()
		ok := resp.StatusCode == http.StatusOK
		if !ok && !neg && (want != "" || lacks != "") {
			last = "status " + resp.Status // a page a rebuild is about to make
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if ok == neg {
			ts.Fatalf("GET %s: status %s", args[0], resp.Status)
		}
		if want != "" && !found {
			last = fmt.Sprintf("body lacks %q", want)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if lacks != "" && strings.Contains(string(body), lacks) {
			last = fmt.Sprintf("body still holds %q", lacks)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), body, 0o644))
		return
	}
	ts.Fatalf("GET %s: not as wanted after 20s: %s", args[0], last)
}

// readUntil reads r to its end, or only until it holds want (when not "").
func readUntil(r io.Reader, want string) ([]byte, bool) {
	var body []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		body = append(body, buf[:n]...)
		if want != "" && strings.Contains(string(body), want) {
			return body, true
		}
		if err != nil {
			return body, want == ""
		}
	}
}

// cmdNoStaging: nostaging DIR — DIR holds no staging or old-output folders
// left behind by publish.
func cmdNoStaging(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: nostaging DIR")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".staging-") || strings.Contains(e.Name(), ".old-") {
			ts.Fatalf("left behind in %s: %s", args[0], e.Name())
		}
	}
}

// linkAttr finds href and src values, quoted or (after minifying) not.
var linkAttr = regexp.MustCompile(`\s(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)

// cmdRootLinks: rootlinks PREFIX FILE... — every root-relative href and src
// in the files starts with PREFIX (a sub-path baseURL reaches every link).
func cmdRootLinks(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || neg {
		ts.Fatalf("usage: rootlinks PREFIX FILE...")
	}
	prefix := args[0]
	for _, f := range args[1:] {
		b, err := os.ReadFile(ts.MkAbs(f))
		ts.Check(err)
		n := 0
		for _, m := range linkAttr.FindAllStringSubmatch(string(b), -1) {
			u := m[1] + m[2] + m[3]
			if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
				continue
			}
			n++
			if !strings.HasPrefix(u, prefix) {
				ts.Fatalf("%s: link %q is not under %s", filepath.ToSlash(f), u, prefix)
			}
		}
		if n == 0 {
			ts.Fatalf("%s: no root-relative links at all", f)
		}
		ts.Logf("%s: %d root-relative links under %s", f, n, prefix)
	}
}

// cmdJPEG: jpeg FILE — write the first bytes of a JPEG photo to FILE (a
// binary file an editor saved under the wrong name; txtar holds only text).
func cmdJPEG(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: jpeg FILE")
	}
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, '\n', 0x00, 0x48, 0xff, 0xdb}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b, 0o644))
}
