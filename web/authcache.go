package web

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/awapi/awapi"
)

// authCache remembers, for Config.AuthCacheTTL, the credentials the Gate found: an access token with
// its project by the token's digest, and a project with its secret by the API key's digest. A request
// with a credential seen in that window costs no database round trip. The price is that revoking a
// token (or a grant, or a project's key) reaches this instance's cache at most AuthCacheTTL later:
// every instance stops accepting it within AuthCacheTTL of the revocation, never later. A token's
// expiry is honoured to the instant (an entry never outlives its token), lookups that found nothing
// are never kept, and a TTL of 0 turns the cache off (every request asks the database).
type authCache struct {
	ttl    time.Duration
	mu     sync.RWMutex
	tokens map[[sha256.Size]byte]tokenEntry
	keys   map[[sha256.Size]byte]keyEntry
}

type tokenEntry struct {
	until   time.Time
	token   awapi.AccessToken
	project awapi.Project
}

type keyEntry struct {
	until   time.Time
	project awapi.Project
	secret  awapi.APISecret
}

// maxAuthEntries bounds each map: past it the cache starts afresh, so a flood of distinct valid
// credentials cannot grow memory without bound.
const maxAuthEntries = 100_000

func newAuthCache(ttl time.Duration) *authCache {
	return &authCache{ttl: ttl, tokens: map[[sha256.Size]byte]tokenEntry{}, keys: map[[sha256.Size]byte]keyEntry{}}
}

func digestKey(digest []byte) (k [sha256.Size]byte) {
	copy(k[:], digest)
	return k
}

// accessToken is Gate.AccessToken through the cache.
func (c *authCache) accessToken(ctx context.Context, gate Gate, digest []byte, now time.Time) (awapi.AccessToken, awapi.Project, error) {
	if c.ttl <= 0 {
		return gate.AccessToken(ctx, digest, now)
	}
	k := digestKey(digest)
	c.mu.RLock()
	e, ok := c.tokens[k]
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.token, e.project, nil
	}
	t, p, err := gate.AccessToken(ctx, digest, now)
	if err != nil {
		return t, p, err
	}
	until := now.Add(c.ttl)
	if t.ExpiresAt.Before(until) {
		until = t.ExpiresAt
	}
	c.mu.Lock()
	if len(c.tokens) >= maxAuthEntries {
		clear(c.tokens)
	}
	c.tokens[k] = tokenEntry{until: until, token: t, project: p}
	c.mu.Unlock()
	return t, p, nil
}

// projectByAPIKey is Gate.ProjectByAPIKey through the cache.
func (c *authCache) projectByAPIKey(ctx context.Context, gate Gate, digest []byte, now time.Time) (awapi.Project, awapi.APISecret, error) {
	if c.ttl <= 0 {
		return gate.ProjectByAPIKey(ctx, digest)
	}
	k := digestKey(digest)
	c.mu.RLock()
	e, ok := c.keys[k]
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.project, e.secret, nil
	}
	p, secret, err := gate.ProjectByAPIKey(ctx, digest)
	if err != nil {
		return p, secret, err
	}
	c.mu.Lock()
	if len(c.keys) >= maxAuthEntries {
		clear(c.keys)
	}
	c.keys[k] = keyEntry{until: now.Add(c.ttl), project: p, secret: secret}
	c.mu.Unlock()
	return p, secret, nil
}
