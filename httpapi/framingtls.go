package httpapi

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"
)

// GuardFramingTLS returns a listener that serves TLS on ln with cfg and
// watches the HTTP/1 requests inside it as GuardFraming does: the heads
// can only be read above the TLS layer. It completes each handshake itself
// (within handshakeTimeout, in a goroutine of its own, so a slow client
// holds up no other). A connection that chose HTTP/2 is handed on as the
// *tls.Conn it is, which http.Server serves as HTTP/2 when its TLSConfig
// lists "h2" (HTTP/2 frames carry their own lengths: nothing to smuggle);
// HTTP/1 connections are handed on watched, so their requests' r.TLS is
// nil. Plain HTTP sent to it is answered 400, as http.Server answers it.
func GuardFramingTLS(ln net.Listener, cfg *tls.Config) net.Listener {
	l := &tlsFramingListener{Listener: ln, cfg: cfg, conns: make(chan net.Conn), errs: make(chan error), done: make(chan struct{})}
	go l.acceptLoop()
	return l
}

// handshakeTimeout bounds a TLS handshake, as ReadHeaderTimeout bounds a
// request head.
const handshakeTimeout = readHeaderTimeout

type tlsFramingListener struct {
	net.Listener
	cfg   *tls.Config
	conns chan net.Conn
	errs  chan error
	done  chan struct{}
	once  sync.Once
}

func (l *tlsFramingListener) acceptLoop() {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			select {
			case l.errs <- err:
			case <-l.done:
				return
			}
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		go l.handshake(c)
	}
}

// handshake completes c's TLS handshake and hands the connection to
// Accept.
func (l *tlsFramingListener) handshake(raw net.Conn) {
	tc := tls.Server(raw, l.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	if err := tc.HandshakeContext(ctx); err != nil {
		var rec tls.RecordHeaderError
		if errors.As(err, &rec) && rec.Conn != nil && looksLikeHTTP(rec.RecordHeader) {
			rec.Conn.SetWriteDeadline(time.Now().Add(time.Second))
			rec.Conn.Write([]byte("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"))
		}
		tc.Close()
		return
	}
	var c net.Conn = tc
	if tc.ConnectionState().NegotiatedProtocol != "h2" {
		c = newFramingConn(tc)
	}
	select {
	case l.conns <- c:
	case <-l.done:
		c.Close()
	}
}

// Accept returns the next connection whose handshake is done.
func (l *tlsFramingListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case err := <-l.errs:
		return nil, err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; connections still in their handshake are closed.
func (l *tlsFramingListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// looksLikeHTTP reports whether the first bytes of a connection are a
// plain HTTP request line.
func looksLikeHTTP(hdr [5]byte) bool {
	switch string(hdr[:]) {
	case "GET /", "HEAD ", "POST ", "PUT /", "OPTIO":
		return true
	}
	return false
}
