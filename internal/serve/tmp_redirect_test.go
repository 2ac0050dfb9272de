package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTmpRedirect(t *testing.T) {
	s, _ := newServer(t, copySite(t))
	for _, p := range []string{"//tin-tuc", "/tin-tuc", "/./tin-tuc", "/the/../tin-tuc"} {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1313"+p, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		t.Logf("%s → %d %s", p, rec.Code, rec.Header().Get("Location"))
	}
}
