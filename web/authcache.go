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
	tokens expiring[tokenEntry]
	keys   expiring[keyEntry]
}

type tokenEntry struct {
	token   awapi.AccessToken
	project awapi.Project
}

type keyEntry struct {
	project awapi.Project
	secret  awapi.APISecret
}

func newAuthCache(ttl time.Duration) *authCache {
	return &authCache{ttl: ttl, tokens: newExpiring[tokenEntry](), keys: newExpiring[keyEntry]()}
}

// accessToken is Gate.AccessToken through the cache.
func (c *authCache) accessToken(ctx context.Context, gate Gate, digest []byte, now time.Time) (awapi.AccessToken, awapi.Project, error) {
	if c.ttl <= 0 {
		return gate.AccessToken(ctx, digest, now)
	}
	if e, ok := c.tokens.get(digest, now); ok {
		return e.token, e.project, nil
	}
	t, p, err := gate.AccessToken(ctx, digest, now)
	if err == nil {
		until := now.Add(c.ttl)
		if t.ExpiresAt.Before(until) {
			until = t.ExpiresAt
		}
		c.tokens.put(digest, tokenEntry{t, p}, until)
	}
	return t, p, err
}

// projectByAPIKey is Gate.ProjectByAPIKey through the cache.
func (c *authCache) projectByAPIKey(ctx context.Context, gate Gate, digest []byte, now time.Time) (awapi.Project, awapi.APISecret, error) {
	if c.ttl <= 0 {
		return gate.ProjectByAPIKey(ctx, digest)
	}
	if e, ok := c.keys.get(digest, now); ok {
		return e.project, e.secret, nil
	}
	p, secret, err := gate.ProjectByAPIKey(ctx, digest)
	if err == nil {
		c.keys.put(digest, keyEntry{p, secret}, now.Add(c.ttl))
	}
	return p, secret, err
}

// maxAuthEntries bounds each map: past it the map starts afresh, so a flood of distinct valid
// credentials cannot grow memory without bound.
const maxAuthEntries = 100_000

// expiring maps a credential's digest to what it names, until a moment.
type expiring[V any] struct {
	mu sync.RWMutex
	m  map[[sha256.Size]byte]expiringEntry[V]
}

type expiringEntry[V any] struct {
	until time.Time
	v     V
}

func newExpiring[V any]() expiring[V] {
	return expiring[V]{m: map[[sha256.Size]byte]expiringEntry[V]{}}
}

func (e *expiring[V]) get(digest []byte, now time.Time) (V, bool) {
	e.mu.RLock()
	entry, ok := e.m[[sha256.Size]byte(digest)]
	e.mu.RUnlock()
	if !ok || !now.Before(entry.until) {
		var zero V
		return zero, false
	}
	return entry.v, true
}

func (e *expiring[V]) put(digest []byte, v V, until time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.m) >= maxAuthEntries {
		clear(e.m)
	}
	e.m[[sha256.Size]byte(digest)] = expiringEntry[V]{until: until, v: v}
}
