package serve

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// allowHosts answers only requests addressed to the preview itself: the
// listening address, 127.0.0.1, localhost or [::1], with its port. A page on
// another site that rebinds its own name to 127.0.0.1 (DNS rebinding) sends
// its own name as Host and is refused, so it cannot read the preview (drafts
// included). Bound to every interface (0.0.0.0, ::), any IP address is
// accepted too: an address is not a name that can be rebound.
func allowHosts(next http.Handler, bind string, port int) http.Handler {
	p := strconv.Itoa(port)
	ok := map[string]bool{}
	for _, h := range []string{"127.0.0.1", "localhost", "::1", bind} {
		ok[strings.ToLower(net.JoinHostPort(strings.Trim(h, "[]"), p))] = true
	}
	wildcard := bind == "0.0.0.0" || bind == "::" || bind == "[::]" || bind == ""
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if _, _, err := net.SplitHostPort(host); err != nil && port == 80 {
			host = net.JoinHostPort(strings.Trim(host, "[]"), "80")
		}
		allowed := ok[host]
		if !allowed && wildcard {
			if h, hp, err := net.SplitHostPort(host); err == nil && hp == p {
				_, perr := netip.ParseAddr(h)
				allowed = perr == nil
			}
		}
		if !allowed {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusMisdirectedRequest)
			w.Write([]byte("bantin serve answers only requests for " + net.JoinHostPort("127.0.0.1", p) +
				", " + net.JoinHostPort("localhost", p) + " or its --bind address; this one was for " + strconv.Quote(r.Host) + "\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
