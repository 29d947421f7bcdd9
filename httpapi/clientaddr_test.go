package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

func TestClientAddr(t *testing.T) {
	proxies, err := httpapi.ParseTrustedProxies("10.0.0.0/8, 192.0.2.7, ::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy: the peer", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"an untrusted peer's header is ignored", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"a trusted proxy names the client", "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"what the client wrote itself is skipped", "10.1.2.3:4000", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies", "10.1.2.3:4000", []string{"198.51.100.1, 192.0.2.7", "10.9.9.9"}, "198.51.100.1"},
		{"every hop trusted: the left-most", "10.1.2.3:4000", []string{"10.0.0.1, 10.0.0.2"}, "10.0.0.1"},
		{"garbage stops at the last trusted hop", "10.1.2.3:4000", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"a trusted peer without the header", "[::1]:4000", nil, "::1"},
		{"IPv6 client through a proxy", "[::1]:4000", []string{"2001:db8::5"}, "2001:db8::5"},
		{"an IPv4-mapped peer is the IPv4 one", "[::ffff:10.1.2.3]:4000", []string{"198.51.100.9"}, "198.51.100.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := proxies.ClientAddr(r); got != tt.want {
				t.Errorf("ClientAddr = %q, want %q", got, tt.want)
			}
		})
	}
	var none httpapi.TrustedProxies
	r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	r.RemoteAddr, r.Header["X-Forwarded-For"] = "10.1.2.3:4000", []string{"198.51.100.1"}
	if got := none.ClientAddr(r); got != "10.1.2.3" {
		t.Errorf("with no trusted proxy ClientAddr = %q, want the peer", got)
	}
}

func TestParseTrustedProxiesRefusesNonsense(t *testing.T) {
	for _, in := range []string{"10.0.0.0/33", "example.com", "10.0.0.1:80"} {
		if _, err := httpapi.ParseTrustedProxies(in); err == nil {
			t.Errorf("ParseTrustedProxies(%q) succeeded", in)
		}
	}
}

// TestAccessLogNamesTheClient: the request line carries the client's
// address after the trusted proxies, and its User-Agent (cut when long).
func TestAccessLogNamesTheClient(t *testing.T) {
	proxies, _ := httpapi.ParseTrustedProxies("10.0.0.0/8")
	e := apitest.New(t, apitest.Options{Configure: func(s *httpapi.Server) { s.TrustedProxies = proxies }})
	send := func(peer, xff, ua string) {
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		r.RemoteAddr = peer
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		r.Header.Set("User-Agent", ua)
		e.Handler.ServeHTTP(httptest.NewRecorder(), r)
	}
	send("10.0.0.9:555", "198.51.100.1", "curl/8.5.0")
	send("203.0.113.5:555", "198.51.100.1", strings.Repeat("ب", 300))
	var lines []struct{ Remote, UserAgent string }
	for _, raw := range strings.Split(strings.TrimSpace(e.Logs.String()), "\n") {
		var l struct {
			Msg       string `json:"msg"`
			Remote    string `json:"remote"`
			UserAgent string `json:"user_agent"`
		}
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			t.Fatalf("log line %s: %v", raw, err)
		}
		if l.Msg == "request" {
			lines = append(lines, struct{ Remote, UserAgent string }{l.Remote, l.UserAgent})
		}
	}
	if len(lines) != 2 || lines[0].Remote != "198.51.100.1" || lines[0].UserAgent != "curl/8.5.0" || lines[1].Remote != "203.0.113.5" {
		t.Fatalf("request lines %+v; want the forwarded client through the trusted proxy, the peer otherwise", lines)
	}
	if ua := lines[1].UserAgent; len(ua) > 210 || !strings.HasSuffix(ua, "…") || !strings.HasPrefix(ua, "بب") {
		t.Errorf("a 600-byte User-Agent was logged as %d bytes %q; want it cut near 200 bytes on a character boundary", len(ua), ua)
	}
}
