package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
)

// countingGate counts the credential lookups that reach the store.
type countingGate struct {
	Gate
	tokens, keys atomic.Int64
}

func (g *countingGate) AccessToken(ctx context.Context, digest []byte, now time.Time) (awapi.AccessToken, awapi.Project, error) {
	g.tokens.Add(1)
	return g.Gate.AccessToken(ctx, digest, now)
}

func (g *countingGate) ProjectByAPIKey(ctx context.Context, digest []byte) (awapi.Project, awapi.APISecret, error) {
	g.keys.Add(1)
	return g.Gate.ProjectByAPIKey(ctx, digest)
}

// TestAuthCacheRevocationBound: three instances share one database and one clock, each with its own
// credential cache. A token revoked on the database keeps working on an instance that had cached it
// for less than AuthCacheTTL, and on none from AuthCacheTTL on; an instance with no cache refuses it
// at once. A cached token never outlives its own expiry, and while cached it costs no lookup.
func TestAuthCacheRevocationBound(t *testing.T) {
	const ttl = 5 * time.Second
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := apitest.New(t, e.Open)
			gates := make([]*countingGate, 3)
			servers := make([]*Server, 3)
			for i, cacheTTL := range []time.Duration{ttl, ttl, 0} {
				gates[i] = &countingGate{Gate: f.St}
				servers[i] = New(gates[i], Config{Location: testdb.London, Clock: f.Clock, AuthCacheTTL: cacheTTL}, testEndpoints()...)
			}
			status := func(i int, token string) int {
				r := httptest.NewRequest("GET", "/v1/Test/Whoami", nil)
				r.Header.Set("Authorization", "bearer "+token)
				w := httptest.NewRecorder()
				servers[i].ServeHTTP(w, r)
				return w.Code
			}
			all := func(token string) [3]int { return [3]int{status(0, token), status(1, token), status(2, token)} }
			token := f.Mint(1, awapi.ScopeAccountWebcamBookings)
			if got := all(token); got != [3]int{200, 200, 200} {
				t.Fatalf("before revocation: %v", got)
			}
			for range 50 {
				status(0, token)
			}
			if n := gates[0].tokens.Load(); n != 1 {
				t.Fatalf("51 requests with one token asked the store %d times, want 1", n)
			}
			p, _, err := f.St.ProjectByAPIKey(context.Background(), awapi.HashSecret(f.Key))
			if err != nil {
				t.Fatal(err)
			}
			if err := f.St.RevokeToken(context.Background(), p.ProjectID, awapi.HashSecret(token), f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			if got := all(token); got != [3]int{200, 200, 401} {
				t.Fatalf("just after revocation: %v, want the cached instances to answer until the bound and the uncached one to refuse", got)
			}
			f.Clock.Advance(ttl - time.Microsecond)
			if got := all(token); got != [3]int{200, 200, 401} {
				t.Fatalf("just before the bound: %v", got)
			}
			f.Clock.Advance(time.Microsecond)
			if got := all(token); got != [3]int{401, 401, 401} {
				t.Fatalf("at the bound (%s after revocation): %v, want every instance to refuse", ttl, got)
			}
			// An entry never outlives its token: one expiring in 2 s is refused after 2 s.
			short := awapi.NewSecret(awapi.PrefixAccessToken)
			if err := f.St.CreateAccessToken(context.Background(), awapi.HashSecret(short), awapi.AccessToken{UserID: 1,
				ProjectID: p.ProjectID, Scopes: awapi.ScopeSet{awapi.ScopeAccountWebcamBookings}, ExpiresAt: f.Clock.Now().Add(2 * time.Second)}); err != nil {
				t.Fatal(err)
			}
			if got := status(0, short); got != http.StatusOK {
				t.Fatalf("fresh short token: %d", got)
			}
			f.Clock.Advance(2 * time.Second)
			if got := status(0, short); got != http.StatusUnauthorized {
				t.Fatalf("expired short token served from the cache: %d", got)
			}
			// API keys are cached the same way; a wrong one is never cached.
			for range 20 {
				r := httptest.NewRequest("GET", "/v1/Test/List?apiKey="+f.Key, nil)
				w := httptest.NewRecorder()
				servers[1].ServeHTTP(w, r)
				if w.Code != 200 {
					t.Fatalf("key: %d", w.Code)
				}
				r = httptest.NewRequest("GET", "/v1/Test/List?apiKey=awk_wrong", nil)
				w = httptest.NewRecorder()
				servers[1].ServeHTTP(w, r)
				if w.Code != 401 {
					t.Fatalf("wrong key: %d", w.Code)
				}
			}
			if n := gates[1].keys.Load(); n != 21 {
				t.Fatalf("20 requests with a key and 20 with a wrong one asked the store %d times, want 1 + 20", n)
			}
		})
	}
}
