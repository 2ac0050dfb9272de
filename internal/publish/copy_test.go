package publish

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCopyEntry: where the file system has no hard links, a kept file is
// copied with its bytes and mode and a link is made again as a link.
func TestCopyEntry(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	if err := os.WriteFile(src, []byte("Đừng xóa"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := copyEntry(src, dst, false); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dst); err != nil || string(b) != "Đừng xóa" {
		t.Fatalf("copied %q, %v", b, err)
	}
	if info, _ := os.Stat(dst); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the source's 0600", info.Mode().Perm())
	}
	if err := copyEntry(src, dst, false); err == nil {
		t.Error("copied over an existing file")
	}
	link, linkCopy := filepath.Join(dir, "l"), filepath.Join(dir, "l2")
	if err := os.Symlink("/etc/passwd", link); err != nil {
		t.Fatal(err)
	}
	if err := copyEntry(link, linkCopy, false); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(linkCopy); err != nil || target != "/etc/passwd" {
		t.Errorf("link copied as %q, %v; want the link itself", target, err)
	}
}

// TestUnescapeMount: mountinfo writes a space in a mount point as \040.
func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{`/srv/web`: "/srv/web", `/srv/my\040web`: "/srv/my web", `/a\134b`: `/a\b`, `/end\04`: `/end\04`} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}
