package webhook

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"code.dny.dev/ssrf"

	"github.com/fatora-oss/fatora"
)

// Targets says which endpoint URLs are allowed.
type Targets struct {
	// AllowInsecure allows http:// URLs (development).
	AllowInsecure bool
	// AllowPrivate allows loopback, private, link-local and other reserved
	// addresses (development and tests).
	AllowPrivate bool
}

// CheckURL checks an endpoint URL when it is given: absolute https (http
// with AllowInsecure), a host, no user name or password, no fragment, and,
// for a host that is an address, one that may be reached. Names are
// checked when they are dialled (see NewHTTPClient). Errors:
// invalid_field.
func (t Targets) CheckURL(raw string) error {
	if len(raw) > fatora.MaxWebhookURLLen {
		return fatora.WebhookURLError("must be at most 2048 characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fatora.WebhookURLError("must be an absolute https:// URL")
	case u.Scheme != "https" && !(u.Scheme == "http" && t.AllowInsecure):
		return fatora.WebhookURLError("must use https (this server allows http only with --webhook-allow-insecure)")
	case u.User != nil || u.Fragment != "":
		return fatora.WebhookURLError("must not hold a user name, password or fragment")
	}
	host := strings.ToLower(u.Hostname())
	if t.AllowPrivate {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fatora.WebhookURLError("must not name this machine")
	}
	if addr, err := netip.ParseAddr(host); err == nil && guardian().SafeAddr(addr) != nil {
		return fatora.WebhookURLError("must not be a loopback, private, link-local, multicast or reserved address")
	}
	return nil
}

// guardian is the address rule: the IANA special-purpose registries (which
// hold loopback, private, link-local, multicast and the cloud metadata
// address 169.254.169.254) are refused, any port allowed.
func guardian() *ssrf.Guardian { return ssrf.New(ssrf.WithAnyPort()) }

// maxResponseBytes bounds how much of an answer is read.
const maxResponseBytes = 64 << 10

// NewHTTPClient returns the client deliveries are sent with: a 15 s
// timeout, redirects not followed (a 3xx is a failure), no proxy from the
// environment, and unless t.AllowPrivate every connection checked on the
// address actually dialled, after DNS (so a name that resolves, or later
// rebinds, to a refused address is refused).
func NewHTTPClient(t Targets) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !t.AllowPrivate {
		dialer.Control = guardian().Safe
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: fatora.DeliveryTimeout,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       fatora.DeliveryTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// errRefusedAddress tells a refused address from other failures.
var errRefusedAddress = errors.New("the endpoint's address is private or reserved")
