package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUntrustedServerRecord: a server record naming a path outside the
// output (or of another version) is not trusted: nothing is deleted.
func TestUntrustedServerRecord(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sum := `"s":"000000000000000000000000000000ff","n":1`
	newRec := write("new", `{"bantin":2,"complete":true,"files":[{"p":"a.html",`+sum+`}]}`)
	for name, old := range map[string]string{
		"trusted": `{"bantin":2,"complete":true,"files":[{"p":"a.html",` + sum + `},{"p":"gone.html",` + sum + `}]}`,
		"dotdot":  `{"bantin":2,"complete":true,"files":[{"p":"../etc/passwd",` + sum + `}]}`,
		"control": `{"bantin":2,"complete":true,"files":[{"p":"a\u0007.html",` + sum + `}]}`,
		"version": `{"bantin":1,"complete":true,"files":[{"p":"gone.html",` + sum + `}]}`,
	} {
		oldRec := write("old-"+name, old)
		del, dirs, union := filepath.Join(dir, "del-"+name), filepath.Join(dir, "dirs-"+name), filepath.Join(dir, "union-"+name)
		if err := run(oldRec, newRec, del, dirs, union); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, _ := os.ReadFile(del)
		want := ""
		if name == "trusted" {
			want = "gone.html\x00"
		}
		if string(got) != want {
			t.Errorf("%s: deletes %q, want %q", name, got, want)
		}
	}
}
