package unifiedlogin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/testdb"
)

const (
	spaOrigin  = "https://web.example"
	evilOrigin = "https://evil.example"
)

// crossOriginCall posts form to path as a page on origin would (no origin when empty), with extra
// headers, and returns the status, the decoded JSON body (if any) and the headers.
func (f *fixture) crossOriginCall(method, path, origin string, form url.Values, headers ...string) (int, map[string]any, http.Header) {
	f.t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func preflight(origin string) []string {
	return []string{"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-request-id", "Origin", origin}
}

// TestBrowserAppTokenCORS: a browser app using PKCE calls the token and revocation endpoints from its
// own page, on the origin its project registered. Preflights are answered and every answer, errors
// included, may be read by that page; a page on an origin nobody allowed may read none, and the login
// pages allow no origin.
func TestBrowserAppTokenCORS(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e.Open)
			spa := f.client("Web SPA", true, []string{spaOrigin + "/cb"}, spaOrigin)
			acao := func(t *testing.T, h http.Header, want string) {
				t.Helper()
				if got := h.Get("Access-Control-Allow-Origin"); got != want {
					t.Fatalf("Access-Control-Allow-Origin = %q, want %q", got, want)
				}
				if h.Get("Access-Control-Allow-Credentials") != "" {
					t.Fatalf("credentials allowed: %v", h)
				}
			}
			for _, path := range []string{"/OAuth/token", "/OAuth/revoke", "/oauth/TOKEN"} {
				status, _, h := f.crossOriginCall("OPTIONS", path, "", nil, preflight(spaOrigin)...)
				if status != http.StatusNoContent || h.Get("Access-Control-Allow-Methods") != "POST" ||
					!strings.Contains(h.Get("Access-Control-Allow-Headers"), "X-Request-ID") {
					t.Fatalf("preflight %s: %d %v", path, status, h)
				}
				acao(t, h, spaOrigin)
				status, _, h = f.crossOriginCall("OPTIONS", path, "", nil, preflight(evilOrigin)...)
				if status != http.StatusForbidden {
					t.Fatalf("preflight %s from %s: %d", path, evilOrigin, status)
				}
				acao(t, h, "")
			}

			verifier, challenge := pkcePair()
			u := f.browser().approve(authorizeQuery(spa.id, "code", spaOrigin+"/cb", "userid",
				"code_challenge", challenge, "code_challenge_method", "S256"))
			exchange := url.Values{"grant_type": {"authorization_code"}, "code": {u.Query().Get("code")},
				"redirect_uri": {spaOrigin + "/cb"}, "client_id": {spa.id}, "code_verifier": {verifier}}
			status, tok, h := f.crossOriginCall("POST", "/OAuth/token", spaOrigin, exchange, "X-Request-ID", "spa-1")
			if status != 200 || str(tok, "access_token") == "" {
				t.Fatalf("exchange: %d %v", status, tok)
			}
			acao(t, h, spaOrigin)
			status, next, h := f.crossOriginCall("POST", "/OAuth/token", spaOrigin, url.Values{"grant_type": {"refresh_token"},
				"refresh_token": {str(tok, "refresh_token")}, "client_id": {spa.id}})
			if status != 200 {
				t.Fatalf("refresh: %d %v", status, next)
			}
			acao(t, h, spaOrigin)
			// A page on an origin nobody allowed gets an answer it may not read.
			status, _, h = f.crossOriginCall("POST", "/OAuth/revoke", evilOrigin, url.Values{"token": {str(next, "access_token")}, "client_id": {spa.id}})
			if status != 200 {
				t.Fatalf("revoke from %s: %d", evilOrigin, status)
			}
			acao(t, h, "")
			status, _, h = f.crossOriginCall("POST", "/OAuth/revoke", spaOrigin, url.Values{"token": {str(next, "refresh_token")}, "client_id": {spa.id}})
			if status != 200 {
				t.Fatalf("revoke: %d", status)
			}
			acao(t, h, spaOrigin)
			// The code is spent: the page can read why the second exchange fails.
			status, out, h := f.crossOriginCall("POST", "/OAuth/token", spaOrigin, exchange)
			if status != 400 || str(out, "error") != "invalid_grant" {
				t.Fatalf("replay: %d %v", status, out)
			}
			acao(t, h, spaOrigin)
			// The login pages are navigated to, never fetched: they allow no origin.
			status, _, h = f.crossOriginCall("GET", authorizeQuery(spa.id, "code", spaOrigin+"/cb", "userid",
				"code_challenge", challenge, "code_challenge_method", "S256"), spaOrigin, nil)
			if status != 200 {
				t.Fatalf("login page: %d", status)
			}
			acao(t, h, "")
		})
	}
}
