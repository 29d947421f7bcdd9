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
	tokens map[string]Claims
}

// Verify is Signer.Verify, answered from memory for a token seen before.
func (v *CachingVerifier) Verify(raw string) (Claims, error) {
	v.mu.Lock()
	c, ok := v.tokens[raw]
	v.mu.Unlock()
	if ok {
		return c, v.current(c)
	}
	c, err := v.Signer.Verify(raw)
	if err != nil {
		return c, err
	}
	v.mu.Lock()
	if v.tokens == nil || len(v.tokens) >= maxCachedTokens {
		v.tokens = make(map[string]Claims)
	}
	v.tokens[raw] = c
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
)
