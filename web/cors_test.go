package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
)

// webProject registers a project with CORS origins and returns its API key and a token of member 1
// with the webcam scope.
func (f *fixture) webProject(name string, origins ...string) (key, token string) {
	f.T.Helper()
	ctx := context.Background()
	key = awapi.NewSecret(awapi.PrefixAPIKey)
	p, err := f.St.CreateProject(ctx, awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:10],
		APISecretDigest: awapi.HashSecret("aws_" + name), Origins: origins})
	if err != nil {
		f.T.Fatal(err)
	}
	token = awapi.NewSecret(awapi.PrefixAccessToken)
	if err := f.St.CreateAccessToken(ctx, awapi.HashSecret(token), awapi.AccessToken{UserID: 1, ProjectID: p.ProjectID,
		Scopes: awapi.ScopeSet{awapi.ScopeAccountWebcamBookings}, ExpiresAt: f.Clock.Now().Add(time.Hour)}); err != nil {
		f.T.Fatal(err)
	}
	return key, token
}

const (
	configuredOrigin = "https://configured.example"
	webOrigin        = "https://web.example"
	otherOrigin      = "https://other.example"
	evilOrigin       = "https://evil.example"
)

func preflightHeaders(origin, method string) []string {
	return []string{"Origin", origin, "Access-Control-Request-Method", method,
		"Access-Control-Request-Headers", "x-apisecret,x-casetype"}
}

// TestCORS checks preflights and real answers for configured origins, origins projects registered
// (allowed only with that project's key or token), and origins nobody allowed.
func TestCORS(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		f.configure(Config{CORSOrigins: []string{configuredOrigin}})
		webKey, webToken := f.webProject("Web", webOrigin)
		otherKey, otherToken := f.webProject("Other", otherOrigin)
		tests := []struct {
			name    string
			method  string
			target  string
			headers []string
			status  int    // 0: any error status (the wrong verb's answer is 400 here, 405 on main)
			acao    string // "" when the answer must not allow the origin
			methods string // Access-Control-Allow-Methods of a preflight
		}{
			{"preflight, configured origin", "OPTIONS", "/v1/Test/List", preflightHeaders(configuredOrigin, "GET"), 204, configuredOrigin, "GET"},
			{"preflight, registered origin", "OPTIONS", "/v1/test/list", preflightHeaders(webOrigin, "GET"), 204, webOrigin, "GET"},
			{"preflight, POST method", "OPTIONS", "/v1/Test/Echo", preflightHeaders(configuredOrigin, "POST"), 204, configuredOrigin, "POST"},
			{"preflight, GM variant", "OPTIONS", "/v1/Groups/Test/Whoami", preflightHeaders(otherOrigin, "GET"), 204, otherOrigin, "GET"},
			{"preflight, origin nobody allowed", "OPTIONS", "/v1/Test/List", preflightHeaders(evilOrigin, "GET"), 403, "", ""},
			{"preflight, origin differs in port", "OPTIONS", "/v1/Test/List", preflightHeaders(webOrigin+":8443", "GET"), 403, "", ""},
			{"preflight, unknown path", "OPTIONS", "/v1/Test/Nothing", preflightHeaders(configuredOrigin, "GET"), 404, configuredOrigin, ""},

			{"configured origin, key", "GET", "/v1/Test/List", f.WithKey("Origin", configuredOrigin), 200, configuredOrigin, ""},
			{"configured origin, another project's key", "GET", "/v1/Test/List", []string{"X-ApiKey", otherKey, "Origin", configuredOrigin}, 200, configuredOrigin, ""},
			{"registered origin, its project's key", "GET", "/v1/Test/List?apikey=" + webKey, []string{"X-ApiSecret", "aws_Web", "Origin", webOrigin}, 200, webOrigin, ""},
			{"registered origin, its project's token", "GET", "/v1/Test/Whoami", []string{"Authorization", "bearer " + webToken, "Origin", webOrigin}, 200, webOrigin, ""},
			{"registered origin, another project's key", "GET", "/v1/Test/List", []string{"X-ApiKey", otherKey, "Origin", webOrigin}, 200, "", ""},
			{"registered origin, another project's token", "GET", "/v1/Test/Whoami", []string{"Authorization", "bearer " + otherToken, "Origin", webOrigin}, 200, "", ""},
			{"registered origin, project without origins", "GET", "/v1/Test/List", f.WithKey("Origin", webOrigin), 200, "", ""},
			{"origin nobody allowed", "GET", "/v1/Test/List", f.WithKey("Origin", evilOrigin), 200, "", ""},
			{"error, configured origin", "GET", "/v1/Test/Whoami", []string{"Origin", configuredOrigin}, 401, configuredOrigin, ""},
			{"error, token and key of two projects, a registered origin", "GET", "/v1/Test/Whoami", []string{"Authorization", "bearer " + otherToken, "Origin", otherOrigin, "X-ApiKey", webKey}, 401, otherOrigin, ""},
			{"error, scope missing", "GET", "/v1/Test/Whoami", []string{"Authorization", "bearer " + f.Tokens["noscope"], "Origin", configuredOrigin}, 403, configuredOrigin, ""},
			{"error, wrong key from a registered origin", "GET", "/v1/Test/List", []string{"X-ApiKey", "awk_nope", "Origin", webOrigin}, 401, webOrigin, ""},
			{"error, wrong key from an origin nobody allowed", "GET", "/v1/Test/List", []string{"X-ApiKey", "awk_nope", "Origin", evilOrigin}, 401, "", ""},
			{"error, unknown path", "GET", "/v1/Test/Nothing", f.WithKey("Origin", configuredOrigin), 404, configuredOrigin, ""},
			{"error, wrong verb", "POST", "/v1/Test/List", f.WithKey("Origin", configuredOrigin), 0, configuredOrigin, ""},
			{"no origin", "GET", "/v1/Test/List", f.WithKey(), 200, "", ""},
			{"not an API path", "GET", "/healthz", []string{"Origin", configuredOrigin}, 200, "", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				w := f.Do(tc.method, tc.target, "", tc.headers...)
				if tc.status != 0 {
					apitest.WantStatus(t, w, tc.status)
				} else if w.Code < 400 {
					t.Fatalf("status = %d, want an error", w.Code)
				}
				h := w.Header()
				if got := h.Get("Access-Control-Allow-Origin"); got != tc.acao {
					t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, tc.acao)
				}
				if h.Get("Access-Control-Allow-Credentials") != "" {
					t.Errorf("credentials allowed: %v", h)
				}
				if got := h.Get("Access-Control-Allow-Methods"); got != tc.methods {
					t.Errorf("Access-Control-Allow-Methods = %q, want %q", got, tc.methods)
				}
				if isAPIPath(tc.target) && !slices.Contains(h.Values("Vary"), "Origin") {
					t.Errorf("Vary = %q, want Origin among them", h.Values("Vary"))
				}
				switch {
				case tc.methods != "":
					for _, want := range []string{"Authorization", "Content-Type", "X-ApiKey", "X-ApiSecret", "ApiSecret", "X-CaseType", "X-MaskImages"} {
						if !slices.Contains(strings.Split(h.Get("Access-Control-Allow-Headers"), ", "), want) {
							t.Errorf("Access-Control-Allow-Headers = %q lacks %s", h.Get("Access-Control-Allow-Headers"), want)
						}
					}
					if h.Get("Access-Control-Max-Age") != "600" || w.Body.Len() != 0 {
						t.Errorf("Max-Age %q, body %q", h.Get("Access-Control-Max-Age"), w.Body)
					}
				case tc.acao != "":
					if got := h.Get("Access-Control-Expose-Headers"); got != "WWW-Authenticate, Retry-After, X-Request-ID, Warning" {
						t.Errorf("Access-Control-Expose-Headers = %q", got)
					}
				default:
					if h.Get("Access-Control-Expose-Headers") != "" || h.Get("Access-Control-Allow-Headers") != "" {
						t.Errorf("CORS headers on an answer that allows no origin: %v", h)
					}
				}
				if tc.status == 403 && tc.method == "OPTIONS" && apitest.ReadError(t, w).Code != "origin_not_allowed" {
					t.Errorf("body %s", w.Body)
				}
			})
		}
	})
}

// TestCORSAnyOrigin checks the sandbox default, "*": every origin may call, with the wildcard and never
// with credentials.
func TestCORSAnyOrigin(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	f.configure(Config{CORSOrigins: []string{"*"}})
	w := f.Do("OPTIONS", "/v1/Test/List", "", preflightHeaders(evilOrigin, "GET")...)
	apitest.WantStatus(t, w, 204)
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" || w.Header().Get("Access-Control-Allow-Methods") != "GET" {
		t.Fatalf("preflight headers %v", w.Header())
	}
	for _, headers := range [][]string{f.WithKey("Origin", "http://localhost:5173"), {"Origin", "null"}} {
		w = f.Do("GET", "/v1/Test/List", "", headers...)
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" || w.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("%v: %d, headers %v", headers, w.Code, w.Header())
		}
	}
}

// TestCORSProductionDefault checks that with no configured origin and none registered, nobody may call.
func TestCORSProductionDefault(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	w := f.Do("OPTIONS", "/v1/Test/List", "", preflightHeaders(configuredOrigin, "GET")...)
	apitest.WantStatus(t, w, 403)
	w = f.Do("GET", "/v1/Test/List", "", f.WithKey("Origin", configuredOrigin)...)
	apitest.WantStatus(t, w, 200)
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("Access-Control-Allow-Origin = %q", got)
	}
}

// TestCORSRegisteredOriginsCache checks the documented staleness of preflights: a newly registered
// origin is preflighted once the cached list is registeredOriginsTTL old, while real requests with the
// project's key are allowed at once.
func TestCORSRegisteredOriginsCache(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	w := f.Do("OPTIONS", "/v1/Test/List", "", preflightHeaders(webOrigin, "GET")...)
	apitest.WantStatus(t, w, 403) // loads the (empty) list
	key, _ := f.webProject("Web", webOrigin)
	w = f.Do("GET", "/v1/Test/List", "", "X-ApiKey", key, "Origin", webOrigin)
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != webOrigin {
		t.Fatalf("real request: Access-Control-Allow-Origin = %q", got)
	}
	f.Clock.Advance(registeredOriginsTTL - time.Second)
	apitest.WantStatus(t, f.Do("OPTIONS", "/v1/Test/List", "", preflightHeaders(webOrigin, "GET")...), 403)
	f.Clock.Advance(time.Second)
	w = f.Do("OPTIONS", "/v1/Test/List", "", preflightHeaders(webOrigin, "GET")...)
	apitest.WantStatus(t, w, 204)
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != webOrigin {
		t.Fatalf("preflight: Access-Control-Allow-Origin = %q", got)
	}
}

// TestCORSConcurrentPreflights runs preflights from many goroutines while the cached list expires
// again and again, so the race detector sees the cache's refreshes against its reads.
func TestCORSConcurrentPreflights(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	f.webProject("Web", webOrigin)
	var wg sync.WaitGroup
	errs := make(chan string, 64*10)
	for g := range 64 {
		wg.Go(func() {
			for range 10 {
				if g%8 == 0 {
					f.Clock.Advance(registeredOriginsTTL)
				}
				origin := webOrigin
				if g%2 == 1 {
					origin = evilOrigin
				}
				req := httptest.NewRequest("OPTIONS", "/v1/Test/List", nil)
				for i, h := 0, preflightHeaders(origin, "GET"); i < len(h); i += 2 {
					req.Header.Set(h[i], h[i+1])
				}
				w := httptest.NewRecorder()
				f.srv.ServeHTTP(w, req)
				if want := map[bool]int{true: 204, false: 403}[origin == webOrigin]; w.Code != want {
					errs <- fmt.Sprintf("%s: %d, want %d", origin, w.Code, want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// crossOriginFunc is a mounted handler other origins' pages may call.
type crossOriginFunc http.HandlerFunc

func (h crossOriginFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) { h(w, r) }
func (crossOriginFunc) CrossOrigin() bool                                  { return true }

// TestCORSMountedHandlers checks handlers mounted with Handle: those marked cross-origin (as the
// Unified Login marks /OAuth/token and /OAuth/revoke) answer preflights and allow the origins /v1
// allows; the others (the login pages) allow none.
func TestCORSMountedHandlers(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	f.configure(Config{CORSOrigins: []string{configuredOrigin}})
	f.webProject("Web", webOrigin)
	ok := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}
	f.srv.Handle("POST /OAuth/token", crossOriginFunc(ok))
	f.srv.Handle("POST /OAuth/Authorize", http.HandlerFunc(ok))
	tests := []struct {
		name    string
		method  string
		target  string
		headers []string
		status  int
		acao    string
		methods string
	}{
		{"preflight, configured origin", "OPTIONS", "/OAuth/token", preflightHeaders(configuredOrigin, "POST"), 204, configuredOrigin, "POST"},
		{"preflight, registered origin, other casing", "OPTIONS", "/oauth/TOKEN", preflightHeaders(webOrigin, "POST"), 204, webOrigin, "POST"},
		{"preflight, origin nobody allowed", "OPTIONS", "/OAuth/token", preflightHeaders(evilOrigin, "POST"), 403, "", ""},
		{"configured origin", "POST", "/OAuth/token", []string{"Origin", configuredOrigin}, 200, configuredOrigin, ""},
		{"registered origin", "POST", "/OAuth/token", []string{"Origin", webOrigin}, 200, webOrigin, ""},
		{"origin nobody allowed", "POST", "/OAuth/token", []string{"Origin", evilOrigin}, 200, "", ""},
		{"no origin", "POST", "/OAuth/token", nil, 200, "", ""},
		{"a page not marked cross-origin", "POST", "/OAuth/Authorize", []string{"Origin", configuredOrigin}, 200, "", ""},
		{"a preflight to a page not marked cross-origin", "OPTIONS", "/OAuth/Authorize", preflightHeaders(configuredOrigin, "POST"), 404, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.Do(tc.method, tc.target, "", tc.headers...)
			apitest.WantStatus(t, w, tc.status)
			h := w.Header()
			if got := h.Get("Access-Control-Allow-Origin"); got != tc.acao {
				t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, tc.acao)
			}
			if got := h.Get("Access-Control-Allow-Methods"); got != tc.methods {
				t.Errorf("Access-Control-Allow-Methods = %q, want %q", got, tc.methods)
			}
			if tc.methods != "" && h.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type, Accept, X-Request-ID" {
				t.Errorf("Access-Control-Allow-Headers = %q", h.Get("Access-Control-Allow-Headers"))
			}
			if tc.acao != "" && h.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("credentials allowed: %v", h)
			}
			if tc.target != "/OAuth/Authorize" && !slices.Contains(h.Values("Vary"), "Origin") {
				t.Errorf("Vary = %q, want Origin among them", h.Values("Vary"))
			}
		})
	}
}
