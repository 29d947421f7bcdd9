package httpapi

import (
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestFramingTLSKeepsRequestTLS: a request over HTTP/1.1 on a TLS connection
// watched above the TLS layer still carries its TLS state, as one over
// HTTP/2 does (a session cookie is made Secure by it).
func TestFramingTLSKeepsRequestTLS(t *testing.T) {
	certSrc := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate for 127.0.0.1
	cert, roots := certSrc.TLS.Certificates[0], x509.NewCertPool()
	roots.AddCert(certSrc.Certificate())
	certSrc.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}
	srv := NewHTTPServer("", withFramingCheck(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || !r.TLS.HandshakeComplete {
			w.WriteHeader(http.StatusTeapot)
		}
	})), slog.New(slog.DiscardHandler))
	srv.TLSConfig = cfg
	go srv.Serve(GuardFramingTLS(ln, cfg))
	t.Cleanup(func() { srv.Close() })
	for _, h2 := range []bool{false, true} {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: h2}
		if !h2 {
			tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		resp, err := (&http.Client{Transport: tr}).Get("https://" + ln.Addr().String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("over %s the handler saw no TLS state (%d)", resp.Proto, resp.StatusCode)
		}
	}
}
