package testenv

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a TCP proxy in front of the test server that a test can cut off,
// to see how the program behaves while its database is unreachable.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	state proxyState
	conns []net.Conn
}

type proxyState int

const (
	forwarding proxyState = iota
	refusing              // connections are closed as soon as they are accepted
	silent                // connections are accepted and never answered
)

// NewProxy listens on a free local port and forwards to the server of dsn.
// It is closed when t ends.
func NewProxy(t testing.TB, dsn string) *Proxy {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		t.Fatalf("testenv: the proxy needs a postgres:// URL, got %q", dsn)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: u.Host}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.dropAll() })
	return p
}

// DSN returns dsn pointed at the proxy.
func (p *Proxy) DSN(dsn string) string {
	u, _ := url.Parse(dsn)
	u.Host = p.ln.Addr().String()
	return u.String()
}

// Refuse drops every connection and refuses new ones, as a stopped server.
func (p *Proxy) Refuse() { p.set(refusing) }

// Silence drops every connection and accepts new ones without ever
// answering, as an unreachable host.
func (p *Proxy) Silence() { p.set(silent) }

// Restore forwards new connections again.
func (p *Proxy) Restore() { p.set(forwarding) }

func (p *Proxy) set(s proxyState) {
	p.mu.Lock()
	p.state = s
	p.mu.Unlock()
	if s != forwarding {
		p.dropAll()
	}
}

func (p *Proxy) dropAll() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		state := p.state
		if state != refusing {
			p.conns = append(p.conns, c)
		}
		p.mu.Unlock()
		switch state {
		case refusing:
			c.Close()
		case forwarding:
			go p.forward(c)
		}
	}
}

func (p *Proxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	cut := p.state != forwarding
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	if cut {
		up.Close()
		c.Close()
		return
	}
	go func() { io.Copy(up, c); up.Close() }()
	io.Copy(c, up)
	c.Close()
}
