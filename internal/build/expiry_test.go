package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// expirySite has a notice that expires, one that has expired, and an article
// due later; Now is what a scheduled run would see.
var expirySite = map[string]string{
	"site.yaml":                          "title: Trang thử\nbaseURL: https://example.org/\n",
	"content/thong-bao/lich-tiep-dan.md": "---\ntitle: Lịch tiếp dân\ndate: 2025-12-01\nexpiry: 2026-01-02 08:00\n---\n\nThứ Sáu.\n",
	"content/thong-bao/da-qua.md":        "---\ntitle: Đã qua\ndate: 2025-12-01\nexpiry: 31/12/2025\n---\n\nHết.\n",
	"content/tin-tuc/hen-gio.md":         "---\ntitle: Hẹn giờ\ndate: 2026-01-01 17:30\n---\n\nSau.\n",
	"content/tin-tuc/hom-nay.md":         "---\ntitle: Hôm nay\ndate: 2025-12-31\n---\n\nNay.\n",
}

func writeMap(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	for f, b := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f)), []byte(b))
	}
	return dir
}

// TestExpiryAndNext: an expired page is left out and counted unless -E;
// the next lines name what the passing of time changes next, the same for
// the same Now; a later run into the same output removes the page that
// expired meanwhile and publishes the one that came due.
func TestExpiryAndNext(t *testing.T) {
	src := writeMap(t, expirySite)
	dest := filepath.Join(t.TempDir(), "public")
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	now := time.Date(2026, 1, 1, 7, 30, 0, 0, hcm)
	b := buildDir(t, src, Options{Dest: dest, Now: now})
	if b.res.Expired != 1 || b.res.Future != 1 || b.res.Drafts != 0 {
		t.Errorf("skipped %d drafts, %d future, %d expired; want 0, 1, 1", b.res.Drafts, b.res.Future, b.res.Expired)
	}
	if !b.exists("/thong-bao/lich-tiep-dan/") || b.exists("/thong-bao/da-qua/") || b.exists("/tin-tuc/hen-gio/") {
		t.Errorf("published the wrong pages")
	}
	want := []string{
		"next: content/tin-tuc/hen-gio.md is due 2026-01-01 17:30 +07 (in 10h)",
		"next: content/thong-bao/lich-tiep-dan.md expires 2026-01-02 08:00 +07 (in 1d)",
	}
	// Now in UTC (a CI runner's zone) gives the same lines: times are the site's.
	for _, n := range []time.Time{now, now.UTC()} {
		r := buildDir(t, src, Options{Now: n}).res
		if got := r.Next(); !slices.Equal(got, want) {
			t.Errorf("Now %v: Next() = %q\nwant %q", n, got, want)
		}
	}
	contains(t, "summary", b.res.Summary(), "skipped 0 drafts, 1 future, 1 expired")

	e := buildDir(t, src, Options{Now: now, Expired: true})
	if e.res.Expired != 0 || !e.exists("/thong-bao/da-qua/") {
		t.Errorf("-E: %d expired, da-qua published %v", e.res.Expired, e.exists("/thong-bao/da-qua/"))
	}

	// The scheduled run a day later, into the same output.
	later := buildDir(t, src, Options{Dest: dest, Now: now.Add(25 * time.Hour)})
	if later.res.Expired != 2 || later.res.Future != 0 || later.res.Removed == 0 {
		t.Errorf("a day later: %s", later.res.Summary())
	}
	if !later.exists("/tin-tuc/hen-gio/") || later.exists("/thong-bao/lich-tiep-dan/") {
		t.Errorf("a day later: hen-gio published %v, lich-tiep-dan still there %v", later.exists("/tin-tuc/hen-gio/"), later.exists("/thong-bao/lich-tiep-dan/"))
	}
	if got := later.res.Next(); len(got) != 0 {
		t.Errorf("nothing is due, yet Next() = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dest, "thong-bao", "lich-tiep-dan")); !os.IsNotExist(err) {
		t.Errorf("expired page's folder left behind: %v", err)
	}
}

func TestUntil(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:              "in under a minute",
		45 * time.Minute:              "in 45m",
		10 * time.Hour:                "in 10h",
		10*time.Hour + 5*time.Minute:  "in 10h 5m",
		48 * time.Hour:                "in 2d",
		50*time.Hour + 59*time.Minute: "in 2d 2h",
	} {
		if got := until(d); got != want {
			t.Errorf("until(%v) = %q, want %q", d, got, want)
		}
	}
}
