package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A page elsewhere that rebinds its own name to 127.0.0.1 sends that name as
// Host: only the preview's own addresses are answered.
func TestAllowHosts(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("the preview")) })
	tests := []struct {
		bind  string
		port  int
		host  string
		allow bool
	}{
		{"127.0.0.1", 1313, "127.0.0.1:1313", true},
		{"127.0.0.1", 1313, "localhost:1313", true},
		{"127.0.0.1", 1313, "LocalHost:1313", true},
		{"127.0.0.1", 1313, "[::1]:1313", true},
		{"127.0.0.1", 1313, "evil.example:1313", false},
		{"127.0.0.1", 1313, "127.0.0.1.nip.io:1313", false},
		{"127.0.0.1", 1313, "localhost.evil.example:1313", false},
		{"127.0.0.1", 1313, "127.0.0.1:8080", false},
		{"127.0.0.1", 1313, "127.0.0.1", false}, // port 80 implied
		{"127.0.0.1", 1313, "", false},
		{"127.0.0.1", 80, "localhost", true},
		{"127.0.0.1", 80, "localhost:80", true},
		{"127.0.0.1", 80, "evil.example", false},
		{"::1", 1313, "[::1]:1313", true},
		{"192.168.1.5", 1313, "192.168.1.5:1313", true},
		{"192.168.1.5", 1313, "192.168.1.6:1313", false},
		{"preview.lan", 1313, "preview.lan:1313", true},
		{"0.0.0.0", 1313, "192.168.1.5:1313", true}, // shown to other machines by address
		{"0.0.0.0", 1313, "[fd00::5]:1313", true},
		{"0.0.0.0", 1313, "evil.example:1313", false},
		{"0.0.0.0", 1313, "192.168.1.5:1", false},
	}
	for _, tc := range tests {
		h := allowHosts(ok, tc.bind, tc.port)
		req := httptest.NewRequest(http.MethodGet, "/tin-tuc/nhap/", nil)
		req.Host = tc.host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if tc.allow {
			if rec.Code != 200 || body != "the preview" {
				t.Errorf("--bind %s -p %d, Host %q: %d %q; want the preview", tc.bind, tc.port, tc.host, rec.Code, body)
			}
			continue
		}
		if rec.Code != http.StatusMisdirectedRequest || strings.Contains(body, "the preview") ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") || !strings.Contains(body, "127.0.0.1") {
			t.Errorf("--bind %s -p %d, Host %q: %d %q; want 421 with a plain message", tc.bind, tc.port, tc.host, rec.Code, body)
		}
	}
}

// The running server refuses a forged Host on every path, the event stream included.
func TestRunRefusesOtherHosts(t *testing.T) {
	t.Parallel()
	r := startRun(t, copySite(t))
	for _, p := range []string{"", "tin-tuc/so-ket-quy-iii/", "__bantin/events", "__bantin/reload.js"} {
		req, err := http.NewRequest(http.MethodGet, r.base+p, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "attacker.example" + strings.TrimPrefix(strings.TrimSuffix(r.base, "/"), "http://127.0.0.1")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("GET /%s with Host %s: %d; want 421", p, req.Host, resp.StatusCode)
		}
	}
	// Its own address still works, by either name.
	poll(t, r.base+"tin-tuc/so-ket-quy-iii/", "the page", 0, contains("sokettrai"))
	poll(t, strings.Replace(r.base, "127.0.0.1", "localhost", 1)+"tin-tuc/so-ket-quy-iii/", "the page by localhost", 0, contains("sokettrai"))
}

// TestLogLine: the terminal says what was built, then what each rebuild changed.
func TestLogLine(t *testing.T) {
	for _, tc := range []struct {
		rep   Report
		first bool
		want  string
	}{
		{Report{Duration: 73500 * time.Microsecond, Rendered: 87}, true, "built the site in 73.5ms: 87 files"},
		{Report{Duration: 4 * time.Millisecond}, false, "rebuilt in 4ms: nothing changed"},
		{Report{Duration: 4 * time.Millisecond, Changed: []string{"tin-tuc/a/index.html", "tim-kiem/index.html"}}, false, "rebuilt in 4ms: tim-kiem/index.html, tin-tuc/a/index.html"},
		{Report{Duration: time.Second, Changed: []string{"d", "c", "b", "a"}}, false, "rebuilt in 1s: 4 files changed (a, b, c, …)"},
	} {
		if got := logLine(tc.rep, tc.first); got != tc.want {
			t.Errorf("logLine = %q, want %q", got, tc.want)
		}
	}
}
