package httpapi

import (
	"context"
	"sync"
	"time"

	"github.com/fatora-oss/fatora"
)

// CredentialTTL bounds how long a server trusts what it read about an API
// key: a key revoked (or a merchant disabled) on any server is refused by
// every server, for tokens issued from it too, within this time.
const CredentialTTL = 5 * time.Second

// maxCachedCredentials bounds the cache; when it is full it starts afresh.
const maxCachedCredentials = 10000

// credentialCache remembers credentials found in the store for CredentialTTL.
// Only found credentials are kept (revoked ones included), so unknown keys
// cannot fill it.
type credentialCache struct {
	mu      sync.Mutex
	entries map[string]cachedCredential
	now     func() time.Time
}

type cachedCredential struct {
	cred    fatora.Credential
	fetched time.Time
}

func newCredentialCache(now func() time.Time) *credentialCache {
	return &credentialCache{entries: make(map[string]cachedCredential), now: now}
}

// get returns the credential cached under key, or loads and caches it.
func (c *credentialCache) get(ctx context.Context, key string, load func(context.Context) (fatora.Credential, error)) (fatora.Credential, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && now.Sub(e.fetched) < CredentialTTL && !now.Before(e.fetched) {
		return e.cred, nil
	}
	cred, err := load(ctx)
	if err != nil {
		return cred, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCachedCredentials {
		c.entries = make(map[string]cachedCredential)
	}
	c.entries[key] = cachedCredential{cred: cred, fetched: now}
	c.mu.Unlock()
	return cred, nil
}
