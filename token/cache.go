package token

import (
	"fmt"
	"sync"
)

// maxCachedTokens bounds a CachingVerifier; when full it starts afresh.
const maxCachedTokens = 10000

// CachingVerifier remembers the tokens it has verified, so a client that
// sends the same token with every request pays for the signature check and
// the claims parsing once. A remembered token is still held to its time
// claims (exp, nbf) on every use. The cache key is the whole token, its
// signature included, so only a token that verified can hit it.
type CachingVerifier struct {
	Signer *Signer

	mu     sync.Mutex
	tokens map[string]verified
}

// verified is a token that verified: its claims and the id of the secret
// that signed it.
type verified struct {
	claims Claims
	kid    string
}

// Verify is Signer.Verify, answered from memory for a token seen before
// whose secret the signer still accepts.
func (v *CachingVerifier) Verify(raw string) (Claims, error) {
	v.mu.Lock()
	hit, ok := v.tokens[raw]
	v.mu.Unlock()
	if ok {
		if !v.Signer.Accepts(hit.kid) {
			return Claims{}, errRevokedSecret
		}
		return hit.claims, v.current(hit.claims)
	}
	c, kid, err := v.Signer.verify(raw)
	if err != nil {
		return c, err
	}
	v.mu.Lock()
	if v.tokens == nil || len(v.tokens) >= maxCachedTokens {
		v.tokens = make(map[string]verified)
	}
	v.tokens[raw] = verified{claims: c, kid: kid}
	v.mu.Unlock()
	return c, nil
}

// current checks a verified token's time claims against the clock, with
// the same leeway as Verify.
func (v *CachingVerifier) current(c Claims) error {
	now := v.Signer.Now()
	if c.ExpiresAt == nil || !now.Before(c.ExpiresAt.Add(Leeway)) {
		return errExpired
	}
	if c.NotBefore != nil && now.Add(Leeway).Before(c.NotBefore.Time) {
		return errNotYet
	}
	return nil
}

// Errors of a remembered token whose time has passed or not yet come; both
// wrap ErrInvalid.
var (
	errExpired = fmt.Errorf("%w: token is expired", ErrInvalid)
	errNotYet  = fmt.Errorf("%w: token is not valid yet", ErrInvalid)
	// errRevokedSecret is a remembered token whose secret was revoked.
	errRevokedSecret = fmt.Errorf("%w: %w", ErrInvalid, ErrUnknownSecret)
)
