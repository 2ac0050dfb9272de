package e2e

// The publishing workflows (.github/workflows/*.yml, .gitlab-ci.yml) and the
// upload to the committee's own server (scripts/upload.sh), tested for real:
// the site built with exactly the flags the workflows use, actionlint on the
// workflows, and an upload over SSH to a real OpenSSH server on 127.0.0.1.
//
// The tools (sshd, ssh, ssh-keygen, rsync, actionlint) skip their tests when
// missing, except under CI=true, where they fail (.ci/run installs them).

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// requireTool returns the path of a program, skipping the test when it is
// missing (failing it under CI=true). dirs are looked in after $PATH.
func requireTool(t testing.TB, name string, dirs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		t.Fatalf("CI=true but %s is not installed (.ci/run installs it)", name)
	}
	t.Skipf("%s is not installed", name)
	return ""
}

var (
	bantinOnce sync.Once
	bantinBin  string
	bantinErr  error
)

// bantinCommand is the bantin command built from ../cmd/bantin, once per package run.
func bantinCommand(t testing.TB) string {
	t.Helper()
	bantinOnce.Do(func() {
		bantinBin = filepath.Join(tmpRoot, "bin", "bantin")
		out, err := exec.Command("go", "build", "-o", bantinBin, "../cmd/bantin").CombinedOutput()
		if err != nil {
			bantinErr = fmt.Errorf("go build ../cmd/bantin: %v\n%s", err, out)
		}
	})
	if bantinErr != nil {
		t.Fatal(bantinErr)
	}
	return bantinBin
}

// copySite copies the committee site (site.yaml, content/, layouts/, static/
// and, when there, the image cache resources/) into a new folder, as a CI
// checkout holds it.
func copySite(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"site.yaml", "content", "layouts", "static", "resources"} {
		if _, err := os.Stat(filepath.Join("..", name)); os.IsNotExist(err) && name == "resources" {
			continue
		}
		copyTree(t, filepath.Join("..", name), filepath.Join(dst, name))
	}
	return dst
}

// copyTree copies a file or a folder.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// workflowBuild is a line of a workflow marked "# bantin-build": the build
// command the workflow runs.
type workflowBuild struct {
	file string   // ".github/workflows/publish.yml"
	line int      // 1-based
	args []string // after "bantin": build -d public -b $BASE_URL
	cmd  string   // the command as written
}

// workflowBuilds finds the marked build line of every workflow file, and
// fails when a workflow builds the site without one.
func workflowBuilds(t testing.TB) []workflowBuild {
	t.Helper()
	files, err := filepath.Glob("../.github/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../.gitlab-ci.yml")
	var out []workflowBuild
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(f, "../")
		n := 0
		for i, l := range strings.Split(string(b), "\n") {
			cmd, marked := strings.CutSuffix(strings.TrimSpace(l), "# bantin-build")
			if !marked {
				if strings.Contains(l, "bantin\" build") || strings.Contains(l, "bantin build") && !strings.HasPrefix(strings.TrimSpace(l), "#") {
					t.Errorf("%s:%d: a build line without the # bantin-build mark: %s", name, i+1, strings.TrimSpace(l))
				}
				continue
			}
			cmd = strings.TrimPrefix(strings.TrimSpace(cmd), "- ")
			words := shellWords(t, cmd)
			if len(words) < 2 || !strings.HasSuffix(words[0], "bantin") || words[1] != "build" {
				t.Fatalf("%s:%d: the marked line is not a bantin build: %s", name, i+1, cmd)
			}
			out = append(out, workflowBuild{file: name, line: i + 1, args: words[1:], cmd: strings.TrimSpace(cmd)})
			n++
		}
		if n != 1 && !strings.HasSuffix(name, ".gitlab-ci.yml") {
			t.Errorf("%s: %d lines marked # bantin-build, want 1", name, n)
		}
	}
	return out
}

// shellWords splits a command line as the shell would for the simple words
// the workflows use: spaces, double quotes, and no other quoting.
func shellWords(t testing.TB, s string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	in, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			in, inWord = !in, true
		case r == ' ' && !in:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\'' || r == '\\' || r == '`':
			t.Fatalf("quoting the test does not read in %q", s)
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if in {
		t.Fatalf("unclosed quote in %q", s)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// cachePaths returns the paths the job of a build line keeps between runs:
// those of its actions/cache steps (GitHub) or its cache: paths (GitLab).
func cachePaths(t testing.TB, w workflowBuild) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", w.file))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", w.file, err)
	}
	// holds reports whether a job's text holds the build line.
	holds := func(job any) bool {
		var lines []string
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				lines = append(lines, strings.Split(v, "\n")...)
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for _, e := range v {
					walk(e)
				}
			}
		}
		walk(job)
		for _, l := range lines {
			if strings.Contains(l, w.cmd) {
				return true
			}
		}
		return false
	}
	var paths []string
	add := func(v any) {
		switch v := v.(type) {
		case string:
			for _, p := range strings.Fields(v) {
				paths = append(paths, strings.TrimSuffix(p, "/"))
			}
		case []any:
			for _, p := range v {
				paths = append(paths, strings.TrimSuffix(fmt.Sprint(p), "/"))
			}
		}
	}
	if jobs, ok := doc["jobs"].(map[string]any); ok { // GitHub
		for _, j := range jobs {
			if !holds(j) {
				continue
			}
			steps, _ := j.(map[string]any)["steps"].([]any)
			for _, s := range steps {
				s, _ := s.(map[string]any)
				if uses, _ := s["uses"].(string); strings.HasPrefix(uses, "actions/cache@") {
					with, _ := s["with"].(map[string]any)
					add(with["path"])
				}
			}
		}
		return paths
	}
	for _, j := range doc { // GitLab
		if j, ok := j.(map[string]any); ok && holds(j) {
			if c, ok := j["cache"].(map[string]any); ok {
				add(c["paths"])
			}
		}
	}
	return paths
}

// runBuild runs bantin with a workflow line's arguments in the site folder
// src, the variables replaced by a base URL under a sub-path.
func runBuild(t testing.TB, w workflowBuild, src string) {
	t.Helper()
	args := slices.Clone(w.args)
	for i, a := range args {
		args[i] = os.Expand(a, func(v string) string {
			switch v {
			case "BASE_URL":
				return "https://example.github.io/bantin/"
			case "CI_PAGES_URL":
				return "https://uy-ban.gitlab.example/bantin"
			}
			t.Fatalf("%s:%d: unknown variable $%s", w.file, w.line, v)
			return ""
		})
	}
	cmd := exec.Command(bantinCommand(t), args...)
	cmd.Dir = src
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s:%d: bantin %s: %v\n%s", w.file, w.line, strings.Join(args, " "), err, out)
	}
	t.Logf("%s:%d: bantin %s: %s", w.file, w.line, strings.Join(args, " "), bytes.TrimSpace(out))
}

// outputDir is the -d of a workflow's build.
func outputDir(t testing.TB, w workflowBuild) string {
	t.Helper()
	for i, a := range w.args {
		if (a == "-d" || a == "-destination") && i+1 < len(w.args) {
			return w.args[i+1]
		}
	}
	t.Fatalf("%s:%d: no -d in the build line", w.file, w.line)
	return ""
}

// TestWorkflowBuilds builds the committee site with each workflow's own
// build line (so a workflow cannot drift from the CLI), then as the next run
// does: a fresh checkout with only the workflow's cache paths restored, which
// must give the same site.
func TestWorkflowBuilds(t *testing.T) {
	builds := workflowBuilds(t)
	if len(builds) < 5 {
		t.Fatalf("found %d marked build lines, want at least 5 (publish, review, publish-ssh, and GitLab's)", len(builds))
	}
	for _, w := range builds {
		t.Run(fmt.Sprintf("%s:%d", w.file, w.line), func(t *testing.T) {
			src := copySite(t)
			runBuild(t, w, src)
			dest := outputDir(t, w)
			index, err := os.ReadFile(filepath.Join(src, dest, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			// Links under the base URL: the workflow's sub-path, or site.yaml's.
			want := "https://dangbokhoi.example.gov.vn/"
			if slices.Contains(w.args, "-b") {
				want = "/bantin/"
				if slices.Contains(w.args, "-D") {
					want = "/xem-truoc/"
				}
			}
			if !bytes.Contains(index, []byte(`href="`+want)) && !bytes.Contains(index, []byte(`href=`+want)) {
				t.Errorf("index.html has no link under %s", want)
			}
			paths := cachePaths(t, w)
			// What the next run restores: the cache, in a fresh checkout.
			next := copySite(t)
			for _, p := range paths {
				if _, err := os.Stat(filepath.Join(src, p)); err != nil {
					t.Errorf("%s caches %s, which the build did not make: %v", w.file, p, err)
					continue
				}
				os.RemoveAll(filepath.Join(next, p))
				copyTree(t, filepath.Join(src, p), filepath.Join(next, p))
			}
			if !slices.Contains(w.args, "-D") { // the published builds keep their state
				for _, want := range []string{"resources", dest + "/.bantin", dest + "/.bantin-state"} {
					if !slices.Contains(paths, want) {
						t.Errorf("%s does not cache %s (caches %q)", w.file, want, paths)
					}
				}
			}
			runBuild(t, w, next)
			a, b := treeSums(t, filepath.Join(src, dest)), treeSums(t, filepath.Join(next, dest))
			delete(a, ".bantin-state")
			delete(b, ".bantin-state")
			if d := diffSums(a, b); d != "" {
				t.Errorf("the build after a cache restore differs from the first:\n%s", d)
			}
		})
	}
}

// TestActionlint runs actionlint on every GitHub workflow.
func TestActionlint(t *testing.T) {
	home, _ := os.UserHomeDir()
	al := requireTool(t, "actionlint", filepath.Join(home, "go", "bin"))
	files, _ := filepath.Glob(".github/workflows/*.yml")
	cmd := exec.Command(al, append([]string{"-no-color"}, files...)...)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}

// treeSums maps every file under dir (slash paths) to its sha256.
func treeSums(t testing.TB, dir string) map[string][32]byte {
	t.Helper()
	sums := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sums[filepath.ToSlash(rel)] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// diffSums describes how two trees differ ("" when they hold the same files).
func diffSums(a, b map[string][32]byte) string {
	var d []string
	for p, s := range a {
		if t, ok := b[p]; !ok {
			d = append(d, "only in the first: "+p)
		} else if s != t {
			d = append(d, "differs: "+p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			d = append(d, "only in the second: "+p)
		}
	}
	slices.Sort(d)
	return strings.Join(d, "\n")
}

// sshServer is a real OpenSSH server on 127.0.0.1 with throwaway keys,
// letting the current user in with one key.
type sshServer struct {
	port    int
	sshOpts []string // for ssh: port, key, known hosts
	user    string
}

func startSSHD(t *testing.T) *sshServer {
	t.Helper()
	sshd := requireTool(t, "sshd", "/usr/sbin")
	keygen := requireTool(t, "ssh-keygen")
	requireTool(t, "ssh")
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, k := range []string{"host_key", "user_key"} {
		if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", filepath.Join(dir, k)).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	userPub, err := os.ReadFile(filepath.Join(dir, "user_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	hostPub, err := os.ReadFile(filepath.Join(dir, "host_key.pub"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), userPub, 0o600); err != nil {
		t.Fatal(err)
	}
	// A free port: the kernel's choice, released for sshd.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	f := strings.Join([]string{
		"Port " + strconv.Itoa(port),
		"ListenAddress 127.0.0.1",
		"HostKey " + filepath.Join(dir, "host_key"),
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"AllowUsers " + u.Username,
		"UsePAM no",
		"StrictModes no",
		"PermitRootLogin prohibit-password",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"X11Forwarding no",
		"AllowTcpForwarding no",
		"LogLevel ERROR",
		"",
	}, "\n")
	conf := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(conf, []byte(f), 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// sshd started by root needs its privilege separation folder.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	cmd := exec.Command(sshd, "-D", "-e", "-f", conf)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting sshd: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("sshd's log:\n%s", logs.String())
		}
	})
	known := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(known, fmt.Appendf(nil, "[127.0.0.1]:%d %s", port, hostPub), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &sshServer{port: port, user: u.Username, sshOpts: []string{
		"-F", "/dev/null", "-p", strconv.Itoa(port), "-i", filepath.Join(dir, "user_key"), "-o", "IdentitiesOnly=yes",
		"-o", "UserKnownHostsFile=" + known, "-o", "StrictHostKeyChecking=yes",
	}}
	// Wait until it lets the user in.
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("sshd ended: %v\n%s", err, logs.String())
		default:
		}
		out, err := exec.Command("ssh", append(slices.Clone(s.sshOpts), "-o", "BatchMode=yes", u.Username+"@127.0.0.1", "true")...).CombinedOutput()
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("ssh to the test server: %v\n%s\nsshd's log:\n%s", err, out, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// uploadResult is what rsync's itemized output says one upload did.
type uploadResult struct {
	sent    []string // files sent ("<f" lines)
	deleted []string // "*deleting" lines
	lines   int
}

// upload runs scripts/upload.sh from out to the server's folder remote.
func (s *sshServer) upload(t *testing.T, out, remote string) uploadResult {
	t.Helper()
	args := append([]string{"../scripts/upload.sh", out, s.user + "@127.0.0.1:" + remote}, s.sshOpts...)
	cmd := exec.Command("bash", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("upload.sh: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	var r uploadResult
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		l := sc.Text()
		r.lines++
		flags, p, ok := strings.Cut(l, " ")
		switch {
		case !ok:
			t.Errorf("upload.sh printed %q, not an itemized line", l)
		case strings.HasPrefix(flags, "<f"):
			r.sent = append(r.sent, p)
		case flags == "*deleting":
			r.deleted = append(r.deleted, strings.TrimSpace(p))
		}
	}
	t.Logf("upload in %v: %d files sent, %d deleted, %d lines", time.Since(start).Round(time.Millisecond), len(r.sent), len(r.deleted), r.lines)
	return r
}

// checkRemote fails unless the server's folder holds exactly the build (but
// its state file) and the foreign files, byte for byte.
func checkRemote(t *testing.T, out, remote string, foreign map[string]string) {
	t.Helper()
	want := treeSums(t, out)
	delete(want, ".bantin-state")
	for p, c := range foreign {
		want[p] = sha256.Sum256([]byte(c))
	}
	if d := diffSums(want, treeSums(t, remote)); d != "" {
		t.Errorf("the server's folder is not the build (first: what it should be):\n%s", d)
	}
}

// TestUploadOverSSH uploads the committee site with scripts/upload.sh to a
// real OpenSSH server three times: the first build; after a one-article edit
// (only the changed files are sent, even with every file's date changed as in
// a fresh CI checkout); after an article is removed (its files are deleted on
// the server). Files on the server bantin never published survive every upload.
func TestUploadOverSSH(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the SSH server test runs on Linux")
	}
	requireTool(t, "rsync")
	requireTool(t, "bash")
	srv := startSSHD(t)

	var build workflowBuild
	for _, w := range workflowBuilds(t) {
		if w.file == ".github/workflows/publish-ssh.yml" {
			build = w
		}
	}
	if build.file == "" {
		t.Fatal("no marked build line in .github/workflows/publish-ssh.yml")
	}
	src := copySite(t)
	out := filepath.Join(src, outputDir(t, build))
	remote := filepath.Join(t.TempDir(), "www", "dangbokhoi")
	// Files the server holds that bantin never published: a search engine's
	// verification page, another application's folder.
	foreign := map[string]string{
		"google1234567890.html":  "google-site-verification: google1234567890.html\n",
		"van-ban/quyet-dinh.pdf": "%PDF-1.4 a document the IT office put here\n",
		"tin-tuc/ghi-chu.txt":    "a note inside a folder bantin publishes into\n",
	}
	for p, c := range foreign {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(remote, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(remote, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// 1. The first upload sends every file.
	start := time.Now()
	runBuild(t, build, src)
	first := srv.upload(t, out, remote)
	checkRemote(t, out, remote, foreign)
	files := treeSums(t, out)
	if want := len(files) - 2; len(first.sent) != want { // all but .bantin-state, and .bantin goes quietly
		t.Errorf("the first upload sent %d files, want %d", len(first.sent), want)
	}

	// 2. One article edited; every file's date changed, as in a fresh checkout.
	article := filepath.Join(src, "content", "tin-tuc", "so-ket-1-nam-quy-che-phoi-hop.md")
	b, err := os.ReadFile(article)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(article, append(b, "\n\nBan biên tập bổ sung: hội nghị đã thống nhất lịch kiểm tra quý III.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	runBuild(t, build, src)
	later := time.Now().Add(time.Hour)
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chtimes(p, later, later)
		}
		return err
	})
	after := treeSums(t, out)
	var changed []string
	for p, s := range after {
		if files[p] != s && p != ".bantin" && p != ".bantin-state" {
			changed = append(changed, p)
		}
	}
	slices.Sort(changed)
	second := srv.upload(t, out, remote)
	checkRemote(t, out, remote, foreign)
	slices.Sort(second.sent)
	t.Logf("after a one-article edit: %d of %d files sent: %s", len(second.sent), len(after)-2, strings.Join(second.sent, " "))
	if !slices.Equal(second.sent, changed) {
		t.Errorf("sent %q, want exactly the changed files %q", second.sent, changed)
	}
	if !slices.Contains(second.sent, "tin-tuc/so-ket-1-nam-quy-che-phoi-hop/index.html") {
		t.Errorf("the edited article's page was not sent")
	}
	if len(second.sent) == 0 || len(second.sent) > 12 {
		t.Errorf("a one-article edit sent %d files, want a few", len(second.sent))
	}
	for _, unchanged := range []string{"hoat-dong/hoi-thao-khoi-nam-2024/index.html", "lien-ket/index.html", "404.html"} {
		if slices.Contains(second.sent, unchanged) {
			t.Errorf("%s did not change and was sent again", unchanged)
		}
	}
	for _, p := range second.deleted { // the search index's old parts
		if _, ok := after[p]; ok || !strings.HasPrefix(p, "tim-kiem/") {
			t.Errorf("an edit deleted %s", p)
		}
	}

	// 3. An article removed: its page is deleted on the server, and its folder.
	gone := "hoat-dong/giai-bong-da-mini-cong-nhan-vien-chuc-nam-2023/index.html"
	if _, err := os.Stat(filepath.Join(remote, gone)); err != nil {
		t.Fatalf("%s was not on the server to begin with: %v", gone, err)
	}
	if err := os.Remove(filepath.Join(src, "content", "hoat-dong", "giai-bong-da-mini-cong-nhan-vien-chuc-nam-2023.md")); err != nil {
		t.Fatal(err)
	}
	runBuild(t, build, src)
	third := srv.upload(t, out, remote)
	checkRemote(t, out, remote, foreign)
	if !slices.Contains(third.deleted, gone) {
		t.Errorf("the removed article's page was not deleted: deleted %q", third.deleted)
	}
	if _, err := os.Stat(filepath.Dir(filepath.Join(remote, gone))); !os.IsNotExist(err) {
		t.Errorf("the removed article's folder is still on the server: %v", err)
	}
	t.Logf("after removing an article: %d files sent, %d deleted (%s); three builds and uploads in %v",
		len(third.sent), len(third.deleted), strings.Join(third.deleted, " "), time.Since(start).Round(time.Millisecond))
}
