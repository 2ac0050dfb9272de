package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// slowSite writes a site whose first build takes seconds: n articles of
// long bodies, no photos (so nothing is written into the folder while a
// stopped build winds down).
func slowSite(t testing.TB, n int) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "site.yaml", "title: Chậm\nbaseURL: https://example.org/\n")
	para := strings.Repeat("Hội nghị đã thảo luận, thống nhất các giải pháp **trọng tâm** trong thời gian tới. ", 40)
	for i := range n {
		body := fmt.Sprintf("---\ntitle: Bài %d\ndate: 2022-01-%02d\ntags: [thẻ %d]\n---\n\n", i, i%28+1, i%50)
		for j := range 12 {
			body += fmt.Sprintf("## Phần %d\n\n%s\n\n- một\n- hai\n\n", j, para)
		}
		writeFile(t, dir, fmt.Sprintf("content/tin-tuc/bai-%05d.md", i), body)
	}
	return dir
}

// Ctrl+C while the first build runs stops serve at once, not when the build ends.
func TestRunStopsDuringFirstBuild(t *testing.T) {
	t.Parallel()
	dir := slowSite(t, 2000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	go func() { done <- Run(Options{Source: dir, Port: 0, Ready: ready, Ctx: ctx}, stdout, stderr) }()
	time.Sleep(200 * time.Millisecond) // into the first build (it takes seconds)
	cancel()
	stopped := time.Now()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		if d := time.Since(stopped); d > time.Second {
			t.Errorf("Run returned %s after its context ended; want within 1s", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return within 30s of its context ending")
	}
	select {
	case base := <-ready:
		t.Skipf("the first build ended within 200ms (served at %s): the machine is too fast for this site", base)
	default:
	}
	if strings.Contains(stdout.String(), "serving the site") {
		t.Errorf("stdout says it served:\n%s", stdout.String())
	}
	if s := stderr.String(); strings.Contains(s, "rebuild failed") || strings.Contains(s, "context canceled") {
		t.Errorf("a stopped build is reported as a failure:\n%s", s)
	}
}
