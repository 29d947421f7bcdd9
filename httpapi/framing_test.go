package httpapi_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/httpapi"
	"github.com/fatora-oss/fatora/internal/apitest"
)

// serveGuarded serves the API the way `fatora serve` does (NewHTTPServer
// on a GuardFraming listener, or GuardFramingTLS with cfg) and returns its
// address.
func serveGuarded(t *testing.T, e *env, cfg *tls.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httpapi.NewHTTPServer("", e.Handler, slog.New(slog.DiscardHandler))
	guarded := httpapi.GuardFraming(ln)
	if cfg != nil {
		srv.TLSConfig = cfg
		guarded = httpapi.GuardFramingTLS(ln, cfg)
	}
	go srv.Serve(guarded)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// dialRaw opens a TCP connection to addr, closed when the test ends.
func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// smuggling is a POST with both Content-Length and Transfer-Encoding whose
// chunked body ends at once, so that the GET after it is, for a server
// obeying Transfer-Encoding, a second request (hidden from a proxy that
// obeys Content-Length and reads it as the POST's body).
func smuggling(bearer string) string {
	hidden := "GET /v1/clients HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer " + bearer + "\r\n\r\n"
	return "POST /v1/clients HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer " + bearer +
		"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(5+len(hidden)) +
		"\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden
}

// readAnswers reads the answers on conn until it is closed.
func readAnswers(t *testing.T, conn net.Conn) []*http.Response {
	t.Helper()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	var out []*http.Response
	for {
		if _, err := br.Peek(1); err != nil {
			if err != io.EOF && !strings.Contains(err.Error(), "connection reset") {
				t.Fatalf("after %d answers: %v, want the connection closed", len(out), err)
			}
			return out
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("after %d answers: %v", len(out), err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		out = append(out, resp)
	}
}

func errorCode(t *testing.T, resp *http.Response) string {
	t.Helper()
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&body)
	return body.Error.Code
}

// TestSmugglingRefused sends, on a raw connection, a request with both
// Content-Length and Transfer-Encoding: it is answered 400
// malformed_request and the connection closed, so the request hidden in
// its body is never answered.
func TestSmugglingRefused(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	conn := dialRaw(t, serveGuarded(t, e, nil))
	io.WriteString(conn, smuggling(e.alpha.Tokens[fatora.ModeTest]))
	answers := readAnswers(t, conn)
	if len(answers) != 1 {
		t.Fatalf("%d answers, want 1: the hidden request was served", len(answers))
	}
	if answers[0].StatusCode != http.StatusBadRequest || errorCode(t, answers[0]) != "malformed_request" || !answers[0].Close {
		t.Errorf("answer %d %v (Connection: close %v), want 400 malformed_request and close", answers[0].StatusCode, answers[0].Header, answers[0].Close)
	}
}

// TestFramingKeepAlive: requests framed by Content-Length keep their
// connection, whatever their body holds (a head with both headers, here,
// is body and nothing else); a chunked request is served, and its
// connection closed after it.
func TestFramingKeepAlive(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	addr := serveGuarded(t, e, nil)
	conn := dialRaw(t, addr)
	auth := "Authorization: Bearer " + e.alpha.Tokens[fatora.ModeTest] + "\r\n"
	body := "GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
	io.WriteString(conn, "POST /v1/clients HTTP/1.1\r\nHost: api\r\n"+auth+"Content-Type: application/json\r\nContent-Length: "+
		strconv.Itoa(len(body))+"\r\n\r\n"+body+"GET /v1/clients HTTP/1.1\r\nHost: api\r\n"+auth+"Connection: close\r\n\r\n")
	answers := readAnswers(t, conn)
	if len(answers) != 2 || answers[0].StatusCode != http.StatusBadRequest || errorCode(t, answers[0]) != "malformed_json" ||
		answers[0].Close || answers[1].StatusCode != http.StatusOK {
		t.Fatalf("answers %v, want 400 malformed_json on a kept connection, then 200", statuses(answers))
	}

	chunked := dialRaw(t, addr)
	client := `{"name":"Chunked"}`
	io.WriteString(chunked, "POST /v1/clients HTTP/1.1\r\nHost: api\r\n"+auth+"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"+
		strconv.FormatInt(int64(len(client)), 16)+"\r\n"+client+"\r\n0\r\n\r\nGET /v1/clients HTTP/1.1\r\nHost: api\r\n"+auth+"\r\n")
	answers = readAnswers(t, chunked)
	if len(answers) != 1 || answers[0].StatusCode != http.StatusCreated || !answers[0].Close {
		t.Errorf("chunked create: answers %v, want one 201 and the connection closed", statuses(answers))
	}
}

func statuses(rs []*http.Response) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.StatusCode
	}
	return out
}

// TestFramingOverTLS: behind TLS the same refusal holds for HTTP/1.1,
// HTTP/2 is still served, and plain HTTP to the TLS port gets a 400.
func TestFramingOverTLS(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	certSrc := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate for 127.0.0.1
	cert, roots := certSrc.TLS.Certificates[0], x509.NewCertPool()
	roots.AddCert(certSrc.Certificate())
	certSrc.Close()
	addr := serveGuarded(t, e, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}})

	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, smuggling(e.alpha.Tokens[fatora.ModeTest]))
	if answers := readAnswers(t, conn); len(answers) != 1 || answers[0].StatusCode != http.StatusBadRequest {
		t.Errorf("HTTP/1.1 over TLS: answers %v, want one 400", statuses(answers))
	}

	h2 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	resp, err := h2.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Errorf("HTTP/2: %d over %s, want 200 over HTTP/2", resp.StatusCode, resp.Proto)
	}

	plain, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	plain.Body.Close()
	if plain.StatusCode != http.StatusBadRequest {
		t.Errorf("plain HTTP to the TLS port: %d, want 400", plain.StatusCode)
	}
}

// TestFramingUnhandledHeads: heads the server answers without the handler
// (OPTIONS *) do not pile up for ever: past a bound, the connection is
// closed after the next request.
func TestFramingUnhandledHeads(t *testing.T) {
	e := newEnv(t, apitest.SQLite())
	conn := dialRaw(t, serveGuarded(t, e, nil))
	io.WriteString(conn, strings.Repeat("OPTIONS * HTTP/1.1\r\nHost: api\r\n\r\n", 100)+"GET /healthz HTTP/1.1\r\nHost: api\r\n\r\n")
	answers := readAnswers(t, conn)
	if len(answers) != 101 || answers[100].StatusCode != http.StatusOK || !answers[100].Close {
		t.Errorf("%d answers, the last %v; want 101, the last 200 with the connection closed", len(answers), statuses(answers[len(answers)-1:]))
	}
}
