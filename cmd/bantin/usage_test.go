package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsage checks run directly: the exit statuses a script cannot reach cheaply.
func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string // in stdout+stderr
	}{
		{nil, 2, "Usage:"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"build", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"build", "extra"}, 2, "unexpected argument"},
		{[]string{"check", "extra"}, 2, "unexpected argument"},
		{[]string{"serve", "extra"}, 2, "unexpected argument"},
		{[]string{"new"}, 2, "usage: bantin new"},
		{[]string{"help"}, 0, "Usage:"},
		{[]string{"build", "-h"}, 0, "-minify"},
		{[]string{"version"}, 0, "bantin v"},
	} {
		var out strings.Builder
		code := run(tc.args, &out, &out)
		if code != tc.code || !strings.Contains(out.String(), tc.out) {
			t.Errorf("run(%q) = %d, output:\n%s\nwant %d and %q", tc.args, code, out.String(), tc.code, tc.out)
		}
	}
}

// TestBuildNoSite: a folder without site.yaml is an error naming it, and nothing is written.
func TestBuildNoSite(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if code := run([]string{"build", "-s", dir}, &out, &out); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "site.yaml") {
		t.Errorf("output does not name site.yaml:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("public/ written for a folder without a site")
	}
}

// TestRunInProcess drives build, check and new through run() on a small site:
// the scripts (go test -tags testscript) cover far more; this keeps a plain
// go test honest about the CLI.
func TestRunInProcess(t *testing.T) {
	dir := t.TempDir()
	write := func(p, text string) {
		t.Helper()
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", "title: Đảng ủy Khối Thử nghiệm\nbaseURL: https://example.org/\n")
	write("content/tin-tuc/a.md", "---\ntitle: Bài A\ndate: 2022-11-24\n---\n\nNội dung.\n")
	out := filepath.Join(dir, "out")
	runOK := func(args ...string) string {
		t.Helper()
		var stdout, stderr strings.Builder
		if code := run(args, &stdout, &stderr); code != 0 {
			t.Fatalf("bantin %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		}
		return stdout.String()
	}
	if got := runOK("build", "-s", dir, "-d", out); !strings.HasPrefix(got, "built ") || !strings.Contains(got, "skipped 0 drafts, 0 future") {
		t.Errorf("summary: %q", got)
	}
	before, err := os.ReadFile(filepath.Join(out, "tin-tuc", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if got := runOK("check", "-s", dir); !strings.HasPrefix(got, "ok: ") {
		t.Errorf("check: %q", got)
	}

	write("content/tin-tuc/b.md", "---\ntitle: Bài B\ndate: hôm qua\n---\n")
	var stdout, stderr strings.Builder
	if code := run([]string{"build", "-s", dir, "-d", out}, &stdout, &stderr); code != 1 {
		t.Errorf("bad date: exit %d", code)
	}
	if !strings.Contains(stderr.String(), "content/tin-tuc/b.md:3: date: ") {
		t.Errorf("stderr: %s", stderr.String())
	}
	after, err := os.ReadFile(filepath.Join(out, "tin-tuc", "a", "index.html"))
	if err != nil || string(after) != string(before) {
		t.Errorf("a failed build changed the previous output: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "content", "tin-tuc", "b.md")); err != nil {
		t.Fatal(err)
	}

	if got := runOK("new", "-s", dir, "tin-tuc/Hội nghị Đảng ủy Khối sơ kết quý III"); !strings.Contains(got, "content/tin-tuc/hoi-nghi-dang-uy-khoi-so-ket-quy-iii.md") {
		t.Errorf("new: %q", got)
	}
	runOK("build", "-s", dir, "-d", out, "-D")
	if _, err := os.Stat(filepath.Join(out, "tin-tuc", "hoi-nghi-dang-uy-khoi-so-ket-quy-iii", "index.html")); err != nil {
		t.Errorf("the new draft was not built with -D: %v", err)
	}
}
