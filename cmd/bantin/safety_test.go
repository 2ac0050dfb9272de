//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bantin/internal/build"
	"bantin/internal/publish"
)

// These tests run the real command as separate processes and treat the
// output folder as a crashing machine, an impatient editor and a second
// build would: killed at any moment, interrupted, raced, locked out. After
// each, the output is compared byte for byte with fresh builds.

// bantinCmd is the command line `bantin args...`: this test binary, which
// runs the program when BANTIN_MAIN is set (TestMain).
func bantinCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "BANTIN_MAIN=1")
	return cmd
}

// outcome is how a run of bantin ended.
type outcome struct {
	stdout, stderr string
	code           int
	pid            int
}

func (o outcome) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", o.code, o.stdout, o.stderr)
}

// start starts bantin; wait ends it.
func start(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := bantinCmd(t, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

func wait(t *testing.T, cmd *exec.Cmd, stdout, stderr *bytes.Buffer) outcome {
	t.Helper()
	err := cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return outcome{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode(), cmd.Process.Pid}
}

// runBantin runs bantin to its end.
func runBantin(t *testing.T, args ...string) outcome {
	t.Helper()
	cmd, o, e := start(t, args...)
	return wait(t, cmd, o, e)
}

// mustBuild builds src into dest with the real command.
func mustBuild(t *testing.T, src, dest string, args ...string) {
	t.Helper()
	if o := runBantin(t, append([]string{"build", "-s", src, "-d", dest}, args...)...); o.code != 0 {
		t.Fatalf("bantin build -s %s -d %s: %v", src, dest, o)
	}
}

// entry is what a tree holds at a path: type and permissions, a file's
// bytes or a link's target, and with identity its inode and time.
type entry struct {
	mode  fs.FileMode
	data  string
	ino   uint64
	mtime int64
}

type tree map[string]entry

// readTree reads dir without following links ("." left out).
func readTree(t *testing.T, dir string, identity bool) tree {
	t.Helper()
	out := tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := entry{mode: info.Mode() & (fs.ModeType | fs.ModePerm)}
		switch {
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.data = string(b)
		case info.Mode()&fs.ModeSymlink != 0:
			if e.data, err = os.Readlink(p); err != nil {
				return err
			}
		}
		if identity {
			e.ino = info.Sys().(*syscall.Stat_t).Ino
			e.mtime = info.ModTime().UnixNano()
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diff says how got differs from want, in a few lines ("" when equal).
func (want tree) diff(got tree) string {
	var lines []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			lines = append(lines, "missing "+p)
		case g != w:
			lines = append(lines, fmt.Sprintf("changed %s: %v %d bytes %q (ino %d), want %v %d bytes %q (ino %d)", p, g.mode, len(g.data), short(g.data), g.ino, w.mode, len(w.data), short(w.data), w.ino))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			lines = append(lines, "unexpected "+p)
		}
	}
	sort.Strings(lines)
	if len(lines) > 10 {
		lines = append(lines[:10], fmt.Sprintf("… %d differences in all", len(lines)))
	}
	return strings.Join(lines, "\n")
}

func short(s string) string {
	if len(s) > 50 {
		return s[:50] + "…"
	}
	return s
}

// plus is want with the entries of extra added.
func (want tree) plus(extra tree) tree {
	out := tree{}
	for p, e := range want {
		out[p] = e
	}
	for p, e := range extra {
		out[p] = e
	}
	return out
}

// foreign is what a gh-pages checkout keeps in its output folder.
var foreign = map[string]string{
	"CNAME":                    "tin.example.gov.vn\n",
	".git/HEAD":                "ref: refs/heads/gh-pages\n",
	".git/config":              "[core]\n\tbare = false\n",
	".git/objects/4b/825dc6":   "x\x01\x00blob",
	".git/refs/heads/gh-pages": "4b825dc642cb6eb9a060e54bf8d69288fbee4904\n",
}

// addForeign writes the foreign files into dest and returns them as a tree.
func addForeign(t *testing.T, dest string) tree {
	t.Helper()
	out := tree{}
	for p, body := range foreign {
		full := filepath.Join(dest, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out[p] = entry{mode: 0o644, data: body}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			out[d] = entry{mode: fs.ModeDir | 0o755}
		}
	}
	return out
}

// beside lists the folder holding dest, its lock file left out.
func beside(t *testing.T, dest string) string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() != "."+filepath.Base(dest)+".lock" {
			names = append(names, e.Name())
		}
	}
	return strings.Join(names, " ")
}

// writeSite writes a generated site of n short articles into dir. Variant
// "b" is the same site edited: every 7th article rewritten, every 13th
// deleted, n/20 new ones in a new section, a static file added.
func writeSite(t *testing.T, dir string, n int, variant string) {
	t.Helper()
	files := map[string]string{
		"site.yaml":         "title: Đảng ủy Khối Thử nghiệm\nbaseURL: https://example.org/\npaginate: 20\nsections:\n  tin-tuc: Tin tức\n  hoat-dong: Hoạt động\n",
		"static/css/x.css":  "body { color: #123; }\n",
		"static/robots.txt": "User-agent: *\n",
	}
	if variant == "b" {
		files["static/moi.txt"] = "chỉ có ở bản B\n"
	}
	article := func(sec string, i int, body string) {
		files[fmt.Sprintf("content/%s/bai-%d.md", sec, i)] = fmt.Sprintf("---\ntitle: \"Bài số %d về công tác %s\"\ndate: 2022-%02d-%02dT08:%02d:00\ntags: [chủ đề %d, nhóm %d]\n---\n\n%s\n", i, sec, 1+i%12, 1+i%28, i%60, i%17, i%5, body)
	}
	for i := 1; i <= n; i++ {
		sec := "tin-tuc"
		if i%3 == 0 {
			sec = "hoat-dong"
		}
		body := fmt.Sprintf("Nội dung bài %d. Hội nghị đã thảo luận, thống nhất các nhiệm vụ trọng tâm.", i)
		if variant == "b" {
			if i%13 == 0 {
				continue
			}
			if i%7 == 0 {
				body = fmt.Sprintf("Nội dung bài %d đã được biên tập lại, dài hơn một chút so với bản đầu.", i)
			}
		}
		article(sec, i, body)
	}
	if variant == "b" {
		for i := n + 1; i <= n+max(1, n/20); i++ {
			article("van-ban", i, fmt.Sprintf("Văn bản mới số %d.", i))
		}
	}
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fixture is a site in two versions with their fresh outputs.
type fixture struct {
	root, srcA, srcB string
	freshA, freshB   tree
}

// newFixture writes both versions of an n-article site and builds each
// into a new folder.
func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	f := &fixture{root: t.TempDir()}
	f.srcA, f.srcB = filepath.Join(f.root, "site-a"), filepath.Join(f.root, "site-b")
	writeSite(t, f.srcA, n, "a")
	writeSite(t, f.srcB, n, "b")
	for _, v := range []struct {
		src string
		out *tree
	}{{f.srcA, &f.freshA}, {f.srcB, &f.freshB}} {
		dest := filepath.Join(t.TempDir(), "public")
		mustBuild(t, v.src, dest)
		*v.out = readTree(t, dest, false)
	}
	if d := f.freshA.diff(f.freshB); d == "" {
		t.Fatal("the two versions build the same output")
	}
	return f
}

// lockHolder matches the message of a build that found the lock taken.
var lockHolder = regexp.MustCompile(`another bantin build \(pid (\d+) on [^,]*, started [^)]*\) is writing to (\S+?):`)

// TestLockHeld: while another process holds the destination (between
// publish.Begin and Commit), a build stops at once, naming it, and changes
// nothing; once it is released, the build goes ahead. Not parallel: a
// process another test forks holds this one's lock until it execs.
func TestLockHeld(t *testing.T) {
	f := newFixture(t, 5)
	dest := filepath.Join(t.TempDir(), "public")
	mustBuild(t, f.srcA, dest)
	before := readTree(t, dest, true)
	stage, err := publish.Begin(dest, publish.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	o := runBantin(t, "build", "-s", f.srcB, "-d", dest)
	took := time.Since(t0)
	stage.Abort()
	if o.code == 0 {
		t.Fatalf("a build went ahead while another held the destination: %v", o)
	}
	m := lockHolder.FindStringSubmatch(o.stderr)
	if m == nil || m[1] != strconv.Itoa(os.Getpid()) || m[2] != dest {
		t.Errorf("the message does not name the other build (pid %d) and %s: %q", os.Getpid(), dest, o.stderr)
	}
	if took > 5*time.Second {
		t.Errorf("the build took %v to give up: it should stop at once", took)
	}
	if d := before.diff(readTree(t, dest, true)); d != "" {
		t.Errorf("the locked-out build changed the destination:\n%s", d)
	}
	mustBuild(t, f.srcB, dest)
	if d := f.freshB.diff(readTree(t, dest, false)); d != "" {
		t.Errorf("after the lock was released:\n%s", d)
	}
}

// TestRacingBuilds: two builds of two versions started together into one
// destination, round after round: the destination is always exactly one
// of the two fresh outputs, and a build that lost names the other.
func TestRacingBuilds(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10)
	dest := filepath.Join(t.TempDir(), "out", "public")
	mustBuild(t, f.srcA, dest)
	foreignFiles := addForeign(t, dest)
	rounds := 30
	if testing.Short() {
		rounds = 8
	}
	lost := 0
	for r := range rounds {
		srcs := []string{f.srcA, f.srcB}
		if r%2 == 1 {
			srcs[0], srcs[1] = srcs[1], srcs[0]
		}
		type run struct {
			cmd            *exec.Cmd
			stdout, stderr *bytes.Buffer
		}
		var runs [2]run
		for i, src := range srcs {
			cmd, o, e := start(t, "build", "-s", src, "-d", dest)
			runs[i] = run{cmd, o, e}
		}
		var out [2]outcome
		for i := range runs {
			out[i] = wait(t, runs[i].cmd, runs[i].stdout, runs[i].stderr)
		}
		got := readTree(t, dest, false)
		want := map[string]tree{f.srcA: f.freshA.plus(foreignFiles), f.srcB: f.freshB.plus(foreignFiles)}
		var ok []int
		for i := range out {
			if out[i].code == 0 {
				ok = append(ok, i)
				continue
			}
			lost++
			m := lockHolder.FindStringSubmatch(out[i].stderr)
			if out[i].code != 1 || m == nil || m[1] != strconv.Itoa(out[1-i].pid) {
				t.Errorf("round %d: the losing build (pid %d) does not name the other (pid %d): %v", r, out[i].pid, out[1-i].pid, out[i])
			}
		}
		switch len(ok) {
		case 0:
			t.Fatalf("round %d: neither build succeeded: %v; %v", r, out[0], out[1])
		case 1:
			if d := want[srcs[ok[0]]].diff(got); d != "" {
				t.Fatalf("round %d: the destination is not the winner's output (%s):\n%s", r, filepath.Base(srcs[ok[0]]), d)
			}
		case 2: // one after the other: either may have been last
			if want[f.srcA].diff(got) != "" && want[f.srcB].diff(got) != "" {
				t.Fatalf("round %d: the destination is neither output:\n%s", r, want[f.srcA].diff(got))
			}
		}
		if b := beside(t, dest); b != "public" {
			t.Fatalf("round %d: beside the destination: %s", r, b)
		}
	}
	t.Logf("%d rounds, %d builds lost the race", rounds, lost)
	if lost == 0 {
		t.Errorf("no build ever found the other one running: the rounds did not race")
	}
}

// interrupted is a site big enough that a rebuild takes a while, built as
// version A into dest.
type interrupted struct {
	*fixture
	dest     string
	foreign  tree
	duration time.Duration // a rebuild from A to B
}

func newInterrupted(t *testing.T) *interrupted {
	n := 300
	if testing.Short() {
		n = 80
	}
	f := newFixture(t, n)
	s := &interrupted{fixture: f, dest: filepath.Join(t.TempDir(), "public")}
	mustBuild(t, f.srcA, s.dest)
	s.foreign = addForeign(t, s.dest)
	t0 := time.Now()
	mustBuild(t, f.srcB, s.dest)
	s.duration = time.Since(t0)
	mustBuild(t, f.srcA, s.dest)
	s.check(t, f.freshA, "built again as A")
	t.Logf("%d articles, %d output files; a rebuild from A to B takes %v", n, len(f.freshB), s.duration)
	return s
}

// check compares the destination with want plus the foreign files.
func (s *interrupted) check(t *testing.T, want tree, when string) {
	t.Helper()
	if d := want.plus(s.foreign).diff(readTree(t, s.dest, false)); d != "" {
		t.Fatalf("%s, the destination differs from a fresh build:\n%s", when, d)
	}
}

// is reports whether the destination is want plus the foreign files.
func (s *interrupted) is(t *testing.T, want tree) bool {
	return want.plus(s.foreign).diff(readTree(t, s.dest, false)) == ""
}

// afterSwap is a point of a build: right after the new output took the
// destination's place (its inode changed), while the old one is removed.
const afterSwap = -1

// startAt starts a rebuild to B and returns once it reached the point:
// afterSwap, or a fraction of a rebuild's duration after it started, and
// not before it opened its staging folder (by then it listens for signals).
func (s *interrupted) startAt(t *testing.T, at float64) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ino := inode(s.dest)
	started := time.Now()
	cmd, stdout, stderr := start(t, "build", "-s", s.srcB, "-d", s.dest)
	prefix := "." + filepath.Base(s.dest) + ".staging-"
	reached := func() bool {
		if at == afterSwap {
			return inode(s.dest) != ino
		}
		entries, _ := os.ReadDir(filepath.Dir(s.dest))
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) {
				return true
			}
		}
		return false
	}
	for t0 := time.Now(); !reached(); time.Sleep(200 * time.Microsecond) {
		if time.Since(t0) > 20*time.Second {
			o := wait(t, cmd, stdout, stderr)
			t.Fatalf("the build never reached the point %v: %v", at, o)
		}
	}
	if at > 0 {
		time.Sleep(time.Until(started.Add(time.Duration(at * float64(s.duration)))))
	}
	return cmd, stdout, stderr
}

func inode(p string) uint64 {
	info, err := os.Lstat(p)
	if err != nil {
		return 0
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

// TestInterruptedBuilds kills (SIGKILL) and interrupts (SIGINT, SIGTERM)
// rebuilds of a generated site at points spread over their whole run.
func TestInterruptedBuilds(t *testing.T) {
	s := newInterrupted(t)

	t.Run("SIGKILL", func(t *testing.T) {
		points := 12
		if testing.Short() {
			points = 5
		}
		outcomes := map[string]int{}
		kill := func(cmd *exec.Cmd, when string) {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			switch {
			case s.is(t, s.freshA):
				outcomes["A"]++
			case s.is(t, s.freshB):
				outcomes["B"]++
			default:
				t.Fatalf("killed %s: the destination is neither A nor B:\n%s", when, s.freshA.plus(s.foreign).diff(readTree(t, s.dest, false)))
			}
			mustBuild(t, s.srcA, s.dest)
			s.check(t, s.freshA, "killed "+when+" and built again as A")
			if b := beside(t, s.dest); b != "public" {
				t.Fatalf("killed %s and built again: beside the destination: %s", when, b)
			}
		}
		for k := range points {
			// From the start of the process to well past a whole build.
			delay := time.Duration(float64(s.duration) * 1.3 * float64(k) / float64(points-1))
			cmd, _, _ := start(t, "build", "-s", s.srcB, "-d", s.dest)
			time.Sleep(delay)
			kill(cmd, fmt.Sprintf("after %v", delay))
		}
		// And while the old output is being removed.
		for range 2 {
			cmd, _, _ := s.startAt(t, afterSwap)
			kill(cmd, "right after the swap")
		}
		t.Logf("%d kills: the destination was %v", points+2, outcomes)
		if outcomes["B"] < 2 {
			t.Errorf("fewer than 2 kills came after the swap: %v", outcomes)
		}
	})

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			points := []float64{0, 0.5, afterSwap}
			if testing.Short() {
				points = []float64{0, afterSwap}
			}
			stopped := 0
			for _, at := range points {
				when := fmt.Sprintf("%.0f%% into the build", at*100)
				if at == afterSwap {
					when = "right after the swap"
				}
				before := readTree(t, s.dest, true)
				cmd, stdout, stderr := s.startAt(t, at)
				t0 := time.Now()
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				o := wait(t, cmd, stdout, stderr)
				took := time.Since(t0)
				t.Logf("%v %s: %v, %v later", sig, when, o, took)
				if took > 2*time.Second {
					t.Errorf("%v %s: the process ended %v after it; want within a second", sig, when, took)
				}
				switch {
				case o.code == 0:
					// The signal came once the new output was in place.
					s.check(t, s.freshB, sig.String()+" "+when+", the build finished")
				case at == afterSwap:
					t.Errorf("%v %s: %v; the new output is in place, so it must not say it failed", sig, when, o)
				default:
					stopped++
					if o.code != 1 || !strings.Contains(o.stderr, "stopped") {
						t.Errorf("%v %s: %v; want exit 1 and a message that it stopped", sig, when, o)
					}
					if d := before.diff(readTree(t, s.dest, true)); d != "" {
						t.Fatalf("%v %s: the previous output changed:\n%s", sig, when, d)
					}
				}
				mustBuild(t, s.srcA, s.dest)
				s.check(t, s.freshA, "built again as A")
				if b := beside(t, s.dest); b != "public" {
					t.Fatalf("after the next build, beside the destination: %s", b)
				}
			}
			if stopped == 0 {
				t.Errorf("no build was stopped by %v: the signals all came too late", sig)
			}
		})
	}
}

// TestBuildFaults fails the file-system changes of a real rebuild (the
// builder, its state file and all) one at a time: every time the build
// fails, the destination is as it was, and the next builds are fresh. Not
// parallel with the tests that start processes: a forked child holds the
// lock this process just released until it execs.
func TestBuildFaults(t *testing.T) {
	f := newFixture(t, 8)
	setup := func(t *testing.T) (string, tree) {
		dest := filepath.Join(t.TempDir(), "public")
		if _, err := build.Build(context.Background(), build.Options{Source: f.srcA, Dest: dest}); err != nil {
			t.Fatal(err)
		}
		return dest, addForeign(t, dest)
	}
	var mu sync.Mutex
	var ops []string
	dest, _ := setup(t)
	if _, err := build.Build(context.Background(), build.Options{Source: f.srcB, Dest: dest, Fault: func(op, p string) error {
		mu.Lock()
		ops = append(ops, op)
		mu.Unlock()
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	// Every kind of change at its first and last time, and points between.
	pick := map[int]bool{}
	first, last := map[string]int{}, map[string]int{}
	for i, op := range ops {
		if _, ok := first[op]; !ok {
			first[op] = i
		}
		last[op] = i
	}
	for op := range first {
		pick[first[op]], pick[last[op]] = true, true
	}
	n := 16
	if testing.Short() {
		n = 4
	}
	for k := range n {
		pick[k*len(ops)/n] = true
	}
	t.Logf("a rebuild makes %d changes (first/last of each kind: %v / %v); failing %d of them", len(ops), first, last, len(pick))
	for i := range pick {
		t.Run(fmt.Sprintf("%d_%s", i, ops[i]), func(t *testing.T) {
			t.Parallel()
			dest, foreignFiles := setup(t)
			before := readTree(t, dest, true)
			var mu sync.Mutex
			count, failed := 0, ""
			_, err := build.Build(context.Background(), build.Options{Source: f.srcB, Dest: dest, Fault: func(op, p string) error {
				mu.Lock()
				defer mu.Unlock()
				count++
				if count-1 == i {
					failed = op + " " + p
					return errors.New("injected fault")
				}
				return nil
			}})
			if failed == "" {
				t.Fatalf("the fault was not reached (%d changes)", count)
			}
			if err == nil {
				t.Fatalf("the build succeeded although %s failed", failed)
			}
			if d := before.diff(readTree(t, dest, true)); d != "" {
				t.Fatalf("after %s failed (%v), the destination changed:\n%s", failed, err, d)
			}
			for _, v := range []struct {
				src  string
				want tree
			}{{f.srcA, f.freshA}, {f.srcB, f.freshB}} {
				if _, err := build.Build(context.Background(), build.Options{Source: v.src, Dest: dest}); err != nil {
					t.Fatal(err)
				}
				if d := v.want.plus(foreignFiles).diff(readTree(t, dest, false)); d != "" {
					t.Fatalf("after %s failed, building %s differs from a fresh build:\n%s", failed, filepath.Base(v.src), d)
				}
			}
			if b := beside(t, dest); b != "public" {
				t.Errorf("beside the destination: %s", b)
			}
		})
	}
}

// TestUmaskBuild: under umask 077 the command still makes folders 0755 and
// files 0644 (a web server running as another user must read them). Not
// parallel: the umask is the process's, inherited by the command.
func TestUmaskBuild(t *testing.T) {
	f := newFixture(t, 5)
	dest := filepath.Join(t.TempDir(), "public")
	old := syscall.Umask(0o077)
	mustBuild(t, f.srcA, dest)
	addForeign(t, dest) // made 0700/0600: not bantin's, left as they are
	mustBuild(t, f.srcB, dest)
	syscall.Umask(old)
	n := 0
	for p, e := range readTree(t, dest, false) {
		if _, ok := foreign[p]; ok || p == ".git" || strings.HasPrefix(p, ".git/") {
			continue
		}
		want := fs.FileMode(0o644)
		if e.mode.IsDir() {
			want = fs.ModeDir | 0o755
		}
		if e.mode != want {
			t.Errorf("%s: %v, want %v", p, e.mode, want)
		}
		n++
	}
	info, err := os.Stat(dest)
	if err != nil || info.Mode() != fs.ModeDir|0o755 {
		t.Errorf("the output folder: %v, %v", info.Mode(), err)
	}
	if n < 20 {
		t.Errorf("only %d entries checked", n)
	}
}

// TestTmpfsDestination builds with the real command into a destination
// that is a mount point (a tmpfs): first build, rebuilds with changed,
// removed and unchanged files, a foreign file that stays.
func TestTmpfsDestination(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	f := newFixture(t, 10)
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dest, "tmpfs", 0, "size=64m,mode=0755"); err != nil {
		if errors.Is(err, syscall.EPERM) {
			t.Skipf("cannot mount a tmpfs (a container without CAP_SYS_ADMIN?): %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dest, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dest, err)
		}
	})
	if o := runBantin(t, "build", "-s", f.srcA, "-d", dest); o.code != 0 {
		t.Errorf("first build into an empty mount point: %v", o)
		// Go on as if the folder were bantin's (a damaged record is no record).
		if err := os.WriteFile(filepath.Join(dest, publish.Marker), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		mustBuild(t, f.srcA, dest)
	}
	if d := f.freshA.diff(readTree(t, dest, false)); d != "" {
		t.Fatalf("first build:\n%s", d)
	}
	foreignFiles := addForeign(t, dest)
	a := readTree(t, dest, true)
	mustBuild(t, f.srcB, dest)
	b := readTree(t, dest, true)
	if d := f.freshB.plus(foreignFiles).diff(readTree(t, dest, false)); d != "" {
		t.Fatalf("rebuild:\n%s", d)
	}
	if a["css/x.css"] != b["css/x.css"] || a["CNAME"] != b["CNAME"] {
		t.Errorf("unchanged files were not kept as they were")
	}
	mustBuild(t, f.srcB, dest)
	if d := b.diff(readTree(t, dest, true)); d != "" {
		t.Errorf("a build with nothing changed changed the destination:\n%s", d)
	}
	mustBuild(t, f.srcA, dest)
	if d := f.freshA.plus(foreignFiles).diff(readTree(t, dest, false)); d != "" {
		t.Fatalf("back to A:\n%s", d)
	}
	if b := beside(t, dest); b != "public" {
		t.Errorf("beside the destination: %s", b)
	}
}
