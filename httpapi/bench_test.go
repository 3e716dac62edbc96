package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/web"
)

// Benchmarks of the hot paths through the whole server in-process (no network): what one request
// costs the server. The load harness (cmd/awapi-load) measures the same paths over HTTP with many
// connections, against references.

// benchServer seeds a sandbox of 500 members on one engine and serves it.
func benchServer(b *testing.B, open func(testing.TB) *sqlstore.DB) (http.Handler, *sqlstore.DB, string, []int64) {
	b.Helper()
	ctx := context.Background()
	st := open(b)
	now := time.Now()
	if _, err := seed.Run(ctx, st, seed.Options{Users: 500, Seed: 1, Now: now.In(testdb.London)}); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 500)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	ps, err := st.WebcamPerformers(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	var perf []int64
	for _, p := range ps {
		if p.Bookable() && p.Offers(awapi.SoftwareSkype) && p.Minimum() <= 30 {
			perf = append(perf, p.UserID)
		}
	}
	if len(perf) < 4 {
		b.Fatal("too few webcam performers")
	}
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "bench", APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:10],
		APISecretDigest: awapi.HashSecret("x")})
	if err != nil {
		b.Fatal(err)
	}
	token := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := st.CreateAccessToken(ctx, awapi.HashSecret(token), awapi.AccessToken{UserID: 1, ProjectID: p.ProjectID,
		Scopes: awapi.ScopeSet{awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountCreditsHistory}, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	return NewAPI(st, web.Config{Location: testdb.London, AuthCacheTTL: 2 * time.Second}), st, token, perf
}

func benchEngines(b *testing.B, fn func(b *testing.B, open func(testing.TB) *sqlstore.DB)) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) { fn(b, e.Open) })
	}
}

// BenchmarkGetUserBookingRequirements: the harness's first measurement, 4 performers with a token.
func BenchmarkGetUserBookingRequirements(b *testing.B) {
	benchEngines(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		h, _, token, perf := benchServer(b, open)
		target := fmt.Sprintf("/v1/WebCam/GetUserBookingRequirements?BookUserIDs=%d,%d,%d,%d", perf[0], perf[1], perf[2], perf[3])
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "bearer "+token)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
