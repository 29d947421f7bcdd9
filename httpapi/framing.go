package httpapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/fatora-oss/fatora"
)

// Request smuggling (RFC 9112 §6.1, §11.2): a request with both
// Content-Length and Transfer-Encoding may be framed one way by a proxy in
// front and another way here, so that a request hidden in its body reaches
// the server unseen by the proxy. RFC 9112 says to close the connection
// after such a request. net/http obeys Transfer-Encoding and drops
// Content-Length before a handler runs, so the handler cannot tell; the
// connection can. GuardFraming's connections read the head of each
// request as it passes (and skip its Content-Length body) and hand the
// handler a verdict per request through the request's context: a request
// with both headers is answered 400 malformed_request and its connection
// closed. After a request with Transfer-Encoding the connection stops
// reading heads (chunked framing is not followed) and is closed once that
// request is answered, so nothing after it is ever served unchecked.

// maxWatchedHead bounds the head a framingConn gathers; a longer head is
// refused by the server (MaxHeaderBytes) and the connection stops being
// watched.
const maxWatchedHead = 64 << 10

// maxVerdicts bounds the verdicts a connection keeps for requests not yet
// handled.
const maxVerdicts = 64

// GuardFraming returns ln whose connections are watched for requests with
// ambiguous framing. Serve them with an http.Server from NewHTTPServer
// (its ConnContext hands the verdicts to the handler).
func GuardFraming(ln net.Listener) net.Listener { return framingListener{ln} }

type framingListener struct{ net.Listener }

func (l framingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return newFramingConn(c), nil
}

// framingVerdict is what a framingConn found in one request head.
type framingVerdict struct {
	requestLine string // method and target, to match the request with
	ambiguous   bool   // both Content-Length and Transfer-Encoding
	lastWatched bool   // Transfer-Encoding: the heads after it are not read
}

// framingConn reads the heads of the HTTP/1 requests that pass through it.
type framingConn struct {
	net.Conn

	mu       sync.Mutex
	verdicts []framingVerdict
	head     []byte
	body     int64 // bytes of the current body still to pass
	stopped  bool
}

func newFramingConn(c net.Conn) *framingConn { return &framingConn{Conn: c} }

func (c *framingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.scan(p[:n])
	c.mu.Unlock()
	return n, err
}

// scan follows the requests' framing through b.
func (c *framingConn) scan(b []byte) {
	for len(b) > 0 && !c.stopped {
		if c.body > 0 {
			n := min(c.body, int64(len(b)))
			c.body, b = c.body-n, b[n:]
			continue
		}
		if len(c.head) == 0 && (b[0] == '\r' || b[0] == '\n') {
			b = b[1:] // empty lines before a request line are ignored
			continue
		}
		c.head = append(c.head, b...)
		end, size := headEnd(c.head)
		if end < 0 {
			c.stopped = len(c.head) > maxWatchedHead
			return
		}
		b = c.head[end+size:]
		c.judge(c.head[:end])
		c.head = nil
	}
}

// headEnd finds the empty line that ends a head: its index and length.
func headEnd(b []byte) (int, int) {
	crlf, lf := bytes.Index(b, []byte("\r\n\r\n")), bytes.Index(b, []byte("\n\n"))
	switch {
	case crlf >= 0 && (lf < 0 || crlf < lf):
		return crlf, 4
	case lf >= 0:
		return lf, 2
	}
	return -1, 0
}

// judge reads one head: its verdict, and the length of its body.
func (c *framingConn) judge(head []byte) {
	lines := strings.Split(strings.ReplaceAll(string(head), "\r\n", "\n"), "\n")
	v := framingVerdict{requestLine: requestTarget(lines[0])}
	length, hasLength := "", false
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		switch {
		case !ok:
		case strings.EqualFold(strings.TrimSpace(name), "Content-Length"):
			if !hasLength {
				length = strings.TrimSpace(value)
			}
			hasLength = true
		case strings.EqualFold(strings.TrimSpace(name), "Transfer-Encoding"):
			v.lastWatched = true
		}
	}
	v.ambiguous = hasLength && v.lastWatched
	c.verdicts = append(c.verdicts, v)
	if len(c.verdicts) > maxVerdicts {
		c.stopped = true // heads no handler takes (OPTIONS *): the next request closes the connection
		return
	}
	if v.lastWatched {
		c.stopped = true
		return
	}
	if hasLength {
		n, err := strconv.ParseInt(length, 10, 64)
		if err != nil || n < 0 {
			c.stopped = true // the server refuses it and closes the connection
			return
		}
		c.body = n
	}
}

// requestTarget is the method and target of a request line.
func requestTarget(line string) string {
	method, rest, _ := strings.Cut(line, " ")
	target, _, _ := strings.Cut(rest, " ")
	return method + " " + target
}

// verdictFor returns the verdict of r's head: the first one gathered for
// its method and target (heads the server answered without a handler,
// such as OPTIONS *, are skipped). ok is false if there is none.
func (c *framingConn) verdictFor(r *http.Request) (framingVerdict, bool) {
	want := r.Method + " " + r.RequestURI
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.verdicts) > 0 {
		v := c.verdicts[0]
		c.verdicts = c.verdicts[1:]
		if v.requestLine == want {
			return v, true
		}
	}
	return framingVerdict{}, false
}

type framingKey struct{}

// framingConnContext puts a watched connection in its requests' context
// (http.Server.ConnContext).
func framingConnContext(ctx context.Context, c net.Conn) context.Context {
	if fc, ok := c.(*framingConn); ok {
		return context.WithValue(ctx, framingKey{}, fc)
	}
	return ctx
}

// withFramingCheck answers a request with ambiguous framing 400
// malformed_request, and closes its connection; it closes the connection
// after a request whose framing it no longer follows. Requests on
// connections nobody watches (HTTP/2, a server not made by NewHTTPServer)
// pass.
func withFramingCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fc, ok := r.Context().Value(framingKey{}).(*framingConn)
		if !ok || r.ProtoMajor != 1 {
			next.ServeHTTP(w, r)
			return
		}
		if r.TLS == nil {
			r = withTLSState(r, fc)
		}
		v, found := fc.verdictFor(r)
		if !found || v.lastWatched {
			w.Header().Set("Connection", "close")
		}
		if v.ambiguous {
			writeError(w, r, errAmbiguousFraming)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var errAmbiguousFraming = fatora.Errorf(fatora.CodeMalformedRequest,
	"The request has both Content-Length and Transfer-Encoding; send one of them.")

// withTLSState gives r the TLS state of its connection when that is a TLS
// connection watched above the TLS layer (GuardFramingTLS), for which
// http.Server cannot fill Request.TLS itself.
func withTLSState(r *http.Request, fc *framingConn) *http.Request {
	tc, ok := fc.Conn.(*tls.Conn)
	if !ok {
		return r
	}
	state := tc.ConnectionState()
	r2 := *r
	r2.TLS = &state
	return &r2
}
