package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the networks whose X-Forwarded-For header is
// believed: the load balancers and reverse proxies in front of the server.
// The zero value trusts none, so the client is the connection's peer.
type TrustedProxies struct {
	nets []netip.Prefix
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// networks in CIDR form ("10.0.0.0/8, 127.0.0.1, ::1"); "" trusts none.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var t TrustedProxies
	for _, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		p, err := netip.ParsePrefix(field)
		if err != nil {
			a, aerr := netip.ParseAddr(field)
			if aerr != nil {
				return TrustedProxies{}, fmt.Errorf("%q is neither an IP address nor a network such as 10.0.0.0/8", field)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		t.nets = append(t.nets, p.Masked())
	}
	return t, nil
}

// String lists the trusted networks, comma-separated.
func (t TrustedProxies) String() string {
	parts := make([]string, len(t.nets))
	for i, p := range t.nets {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (t TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t.nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address of the client that sent r. It is the
// connection's peer, unless the peer is a trusted proxy: then
// X-Forwarded-For is read from its right end (the hop the trusted proxy
// added last), skipping trusted proxies, and the first address that is not
// one is the client. Entries further left were written by the client
// itself and are never believed. When every hop is trusted, the left-most
// is the client; an entry that is not an address ends the walk at the
// last trusted hop. This is the one place the rule lives: the access log
// and any per-client limit use it.
func (t TrustedProxies) ClientAddr(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	client := peer
	if !t.trusts(peer) {
		return client.String()
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break
		}
		client = a.Unmap()
		if !t.trusts(client) {
			break
		}
	}
	return client.String()
}

// peerAddr is the address of a connection's peer ("ip:port").
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// forwardedFor lists the hops of every X-Forwarded-For header, in order.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	return hops
}
