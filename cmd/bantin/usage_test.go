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
