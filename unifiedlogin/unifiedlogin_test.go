package unifiedlogin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi/internal/testdb"
)

const scope = "userid nickname account_information"

// TestCodeFlow is the whole happy path: login, consent, code exchange, an API call, refresh.
func TestCodeFlow(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e.Open)
			u := f.browser().approve(authorizeQuery(f.app.id, "code", appRedirect, scope))
			if u.Scheme+"://"+u.Host+u.Path != appRedirect || u.Query().Get("state") != "xyz" || !strings.HasPrefix(u.Query().Get("code"), "awa_") {
				t.Fatalf("redirect %s", u)
			}
			status, tok := f.exchange(f.app, u.Query().Get("code"), appRedirect, "")
			if status != 200 || str(tok, "token_type") != "bearer" || tok["expires_in"] != float64(3600) ||
				!strings.HasPrefix(str(tok, "refresh_token"), "awr_") || str(tok, "scope") != scope {
				t.Fatalf("token: %d %v", status, tok)
			}
			status, body := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token"))
			if status != 200 || !strings.Contains(body, `"UserID":1`) || !strings.Contains(body, `"Nickname":"Alice"`) {
				t.Fatalf("VerifyCredentials: %d %s", status, body)
			}
			// Refresh rotates: a new pair, and the new access token works.
			status, next := f.refresh(f.app, str(tok, "refresh_token"), "")
			if status != 200 || str(next, "refresh_token") == str(tok, "refresh_token") || str(next, "scope") != scope {
				t.Fatalf("refresh: %d %v", status, next)
			}
			if status, _ := f.api("/v1/Account/VerifyCredentials", str(next, "access_token")); status != 200 {
				t.Fatalf("refreshed token: %d", status)
			}
			// Narrowing on refresh is allowed.
			status, narrow := f.refresh(f.app, str(next, "refresh_token"), "userid")
			if status != 200 || str(narrow, "scope") != "userid" {
				t.Fatalf("narrowing refresh: %d %v", status, narrow)
			}
		})
	}
}

// TestImplicitFlow returns the token in the fragment, and never a refresh token.
func TestImplicitFlow(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	u := f.browser().approve(authorizeQuery(f.spa.id, "token", "https://spa.example/", "userid"))
	frag, err := url.ParseQuery(u.Fragment)
	if err != nil || u.RawQuery != "" || frag.Get("state") != "xyz" || frag.Get("token_type") != "bearer" || frag.Get("expires_in") != "3600" || frag.Has("refresh_token") {
		t.Fatalf("redirect %s", u)
	}
	if status, body := f.api("/v1/Account/VerifyCredentials", frag.Get("access_token")); status != 200 {
		t.Fatalf("VerifyCredentials: %d %s", status, body)
	}
}

// TestPublicClientPKCE: a public client must use PKCE, and the verifier must match.
func TestPublicClientPKCE(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	// Without PKCE the request is refused back to the client.
	p := f.browser().get(authorizeQuery(f.spa.id, "code", "https://spa.example/", "userid"))
	if loc, _ := url.Parse(p.location); p.status != http.StatusFound || loc.Query().Get("error") != "invalid_request" {
		t.Fatalf("public client without PKCE: %d %q", p.status, p.location)
	}
	verifier, challenge := pkcePair()
	authorize := authorizeQuery(f.spa.id, "code", "https://spa.example/", "userid", "code_challenge", challenge, "code_challenge_method", "S256")
	u := f.browser().approve(authorize)
	if status, out := f.exchange(f.spa, u.Query().Get("code"), "https://spa.example/", verifier); status != 200 {
		t.Fatalf("PKCE exchange: %d %v", status, out)
	}
}

// TestAttacks tries what an attacker would, one case each.
func TestAttacks(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	code := func(c clientCreds, redirect string, extra ...string) string {
		return f.browser().approve(authorizeQuery(c.id, "code", redirect, scope, extra...)).Query().Get("code")
	}

	t.Run("redirect URI not registered, or only a prefix match", func(t *testing.T) {
		for _, bad := range []string{"https://evil.example/callback", appRedirect + "/evil", appRedirect + "?x=1",
			"https://app.example/callbac", "HTTPS://APP.EXAMPLE/callback", appRedirect + "#frag", "https://app.example.evil.example/callback"} {
			p := f.browser().get(authorizeQuery(f.app.id, "code", bad, scope))
			if p.status != 400 || p.location != "" || !strings.Contains(p.body, "redirect_uri") {
				t.Errorf("%s: status %d location %q", bad, p.status, p.location)
			}
		}
		if p := f.browser().get(authorizeQuery("awc_unknown", "code", appRedirect, scope)); p.status != 400 || p.location != "" {
			t.Errorf("unknown client: %d %q", p.status, p.location)
		}
	})

	t.Run("wrong client secret", func(t *testing.T) {
		c := code(f.app, appRedirect)
		bad := f.app
		bad.secret = "awcs_wrong"
		if status, out := f.exchange(bad, c, appRedirect, ""); status != 401 || str(out, "error") != "invalid_client" {
			t.Fatalf("%d %v", status, out)
		}
		status, out, hdr := f.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {appRedirect}}, &bad)
		if status != 401 || str(out, "error") != "invalid_client" || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
			t.Fatalf("basic: %d %v %v", status, out, hdr)
		}
	})

	t.Run("code replay revokes what the code issued", func(t *testing.T) {
		c := code(f.app, appRedirect)
		status, tok := f.exchange(f.app, c, appRedirect, "")
		if status != 200 {
			t.Fatalf("first exchange: %d %v", status, tok)
		}
		if status, out := f.exchange(f.app, c, appRedirect, ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("replay: %d %v", status, out)
		}
		if status, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token")); status != 401 {
			t.Fatalf("access token still works after a replay: %d", status)
		}
		if status, out := f.refresh(f.app, str(tok, "refresh_token"), ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("refresh token still works after a replay: %d %v", status, out)
		}
	})

	t.Run("expired code", func(t *testing.T) {
		c := code(f.app, appRedirect)
		f.clock.Advance(10*time.Minute + time.Second)
		defer f.clock.Set(fixtureNow)
		if status, out := f.exchange(f.app, c, appRedirect, ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("%d %v", status, out)
		}
	})

	t.Run("code of another client, or with another redirect URI", func(t *testing.T) {
		c := code(f.app, appRedirect)
		if status, out := f.exchange(f.other, c, appRedirect, ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("other client: %d %v", status, out)
		}
		c = code(f.app, appRedirect)
		if status, out := f.exchange(f.app, c, "http://127.0.0.1:9999/cb", ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("other redirect: %d %v", status, out)
		}
	})

	t.Run("PKCE verifier mismatch", func(t *testing.T) {
		_, challenge := pkcePair()
		other, _ := pkcePair()
		c := code(f.app, appRedirect, "code_challenge", challenge, "code_challenge_method", "S256")
		if status, out := f.exchange(f.app, c, appRedirect, other); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("wrong verifier: %d %v", status, out)
		}
		c = code(f.app, appRedirect, "code_challenge", challenge, "code_challenge_method", "S256")
		if status, out := f.exchange(f.app, c, appRedirect, ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("missing verifier: %d %v", status, out)
		}
		p := f.browser().get(authorizeQuery(f.app.id, "code", appRedirect, scope, "code_challenge", challenge, "code_challenge_method", "plain"))
		if loc, _ := url.Parse(p.location); loc.Query().Get("error") != "invalid_request" {
			t.Fatalf("plain method accepted: %q", p.location)
		}
	})

	t.Run("scope escalation", func(t *testing.T) {
		p := f.browser().get(authorizeQuery(f.app.id, "code", appRedirect, "userid profile_gallery"))
		if loc, _ := url.Parse(p.location); loc.Query().Get("error") != "invalid_scope" {
			t.Fatalf("scope the project may not request: %q", p.location)
		}
		_, tok := f.exchange(f.app, code(f.app, appRedirect, "scope", "userid"), appRedirect, "")
		if status, out := f.refresh(f.app, str(tok, "refresh_token"), "userid account_webcam_bookings"); status != 400 || str(out, "error") != "invalid_scope" {
			t.Fatalf("widening refresh: %d %v", status, out)
		}
	})

	t.Run("refresh token reuse revokes the grant", func(t *testing.T) {
		_, tok := f.exchange(f.app, code(f.app, appRedirect), appRedirect, "")
		status, next := f.refresh(f.app, str(tok, "refresh_token"), "")
		if status != 200 {
			t.Fatalf("refresh: %d %v", status, next)
		}
		if status, out := f.refresh(f.app, str(tok, "refresh_token"), ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("reuse: %d %v", status, out)
		}
		if status, _ := f.api("/v1/Account/VerifyCredentials", str(next, "access_token")); status != 401 {
			t.Fatalf("new access token survives reuse: %d", status)
		}
		if status, _ := f.refresh(f.app, str(next, "refresh_token"), ""); status != 400 {
			t.Fatalf("new refresh token survives reuse: %d", status)
		}
	})

	t.Run("refresh token of another client", func(t *testing.T) {
		_, tok := f.exchange(f.app, code(f.app, appRedirect), appRedirect, "")
		if status, out := f.refresh(f.other, str(tok, "refresh_token"), ""); status != 400 || str(out, "error") != "invalid_grant" {
			t.Fatalf("%d %v", status, out)
		}
	})

	t.Run("expired refresh token answers as documented", func(t *testing.T) {
		_, tok := f.exchange(f.app, code(f.app, appRedirect), appRedirect, "")
		f.clock.Advance(14*24*time.Hour + time.Second)
		defer f.clock.Set(fixtureNow)
		status, out := f.refresh(f.app, str(tok, "refresh_token"), "")
		if status != 401 || len(out) != 1 || str(out, "error") != "refresh_token_has_expired" {
			t.Fatalf("%d %v", status, out)
		}
	})

	t.Run("CSRF on the consent form", func(t *testing.T) {
		victim := f.browser()
		consent := victim.signIn(authorizeQuery(f.app.id, "code", appRedirect, scope), "alice", password)
		form := consent.hidden()
		form.Set("decision", "approve")
		// The attacker's page posts the victim's form from a browser without the victim's cookie.
		attacker := f.browser()
		attacker.get(authorizeQuery(f.app.id, "code", appRedirect, scope)) // gets its own cookie
		if p := attacker.post("/OAuth/Authorize/Consent", form); p.status != 403 || p.location != "" {
			t.Fatalf("forged consent: %d %q", p.status, p.location)
		}
		// A form field that does not match the cookie is refused too.
		form.Set("csrf", "forged-forged-forged")
		if p := victim.post("/OAuth/Authorize/Consent", form); p.status != 403 {
			t.Fatalf("mismatched CSRF: %d", p.status)
		}
		// And a tampered ticket.
		form = consent.hidden()
		form.Set("decision", "approve")
		ticket := []byte(form.Get("ticket"))
		ticket[0] ^= 1 // still base64, no longer what was signed
		form.Set("ticket", string(ticket))
		if p := victim.post("/OAuth/Authorize/Consent", form); p.status != 403 {
			t.Fatalf("tampered ticket: %d", p.status)
		}
		// Login without the CSRF cookie is refused as well (login CSRF).
		login := victim.get(authorizeQuery(f.app.id, "code", appRedirect, scope)).hidden()
		login.Set("login", "alice")
		login.Set("password", password)
		if p := f.browser().post("/OAuth/Authorize", login); p.status != 403 {
			t.Fatalf("login without the cookie: %d", p.status)
		}
	})

	t.Run("deny", func(t *testing.T) {
		b := f.browser()
		consent := b.signIn(authorizeQuery(f.app.id, "code", appRedirect, scope), "alice", password)
		form := consent.hidden()
		form.Set("decision", "deny")
		p := b.post("/OAuth/Authorize/Consent", form)
		if loc, _ := url.Parse(p.location); p.status != 302 || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "xyz" {
			t.Fatalf("deny: %d %q", p.status, p.location)
		}
	})

	t.Run("token of one project with another project's API key", func(t *testing.T) {
		_, tok := f.exchange(f.app, code(f.app, appRedirect), appRedirect, "")
		// Its own project's key is fine; another project's is not.
		if status, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token"), "X-ApiKey", f.appKey); status != 200 {
			t.Fatalf("own key: %d", status)
		}
		status, body := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token"), "X-ApiKey", f.other.apiKey)
		if status != 401 {
			t.Fatalf("foreign key: %d %s", status, body)
		}
	})
}

// TestLoginThrottling answers 429 after too many failures per account and per address.
func TestLoginThrottling(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	authorize := authorizeQuery(f.app.id, "code", appRedirect, scope)
	b := f.browser()
	for i := range 5 {
		if p := b.signIn(authorize, "bob", "wrong"); p.status != 401 {
			t.Fatalf("attempt %d: %d", i+1, p.status)
		}
	}
	p := b.signIn(authorize, "bob", password) // even the right password is refused now
	if p.status != 429 || p.header.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures: %d %q", p.status, p.header.Get("Retry-After"))
	}
	if p := f.browser().signIn(authorize, "BOB", password); p.status != 429 {
		t.Fatalf("the account is throttled from any browser, any case: %d", p.status)
	}
	// The window passes and the member can sign in again.
	f.clock.Advance(16 * time.Minute)
	if p := f.browser().signIn(authorize, "bob", password); p.status != 200 {
		t.Fatalf("after the window: %d", p.status)
	}
	// Per address: failures spread over many accounts from one address.
	for i := range 20 {
		f.browser().signIn(authorize, "nobody"+strings.Repeat("x", i), "wrong")
	}
	if p := f.browser().signIn(authorize, "carol", password); p.status != 429 {
		t.Fatalf("address throttling: %d", p.status)
	}
}

// TestSpoofedForwardedFor: behind a trusted proxy, a client that writes its own X-Forwarded-For
// entries is still counted by the address the proxy appended.
func TestSpoofedForwardedFor(t *testing.T) {
	proxies, _ := ParseTrustedProxies("127.0.0.1/32")
	f := newFixtureWith(t, testdb.SQLite, Config{TrustedProxies: proxies})
	authorize := authorizeQuery(f.app.id, "code", appRedirect, scope)
	for i := range 20 {
		b := f.browser()
		b.forwardedFor = fmt.Sprintf("198.51.100.%d, 203.0.113.5", i) // a new spoofed leftmost entry each time
		if p := b.signIn(authorize, fmt.Sprintf("nobody%d", i), "wrong"); p.status != 401 {
			t.Fatalf("attempt %d: %d", i+1, p.status)
		}
	}
	b := f.browser()
	b.forwardedFor = "192.0.2.1, 203.0.113.5"
	if p := b.signIn(authorize, "carol", password); p.status != 429 {
		t.Fatalf("the 21st attempt from 203.0.113.5 behind a spoofed entry: %d, want 429", p.status)
	}
	b = f.browser()
	b.forwardedFor = "203.0.113.5, 203.0.113.6" // another client, which wrote the throttled address itself
	if p := b.signIn(authorize, "carol", password); p.status != 200 {
		t.Fatalf("another client: %d, want 200", p.status)
	}
}

// TestRevocation covers RFC 7009 and the member's page of authorised applications.
func TestRevocation(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	issue := func() map[string]any {
		u := f.browser().approve(authorizeQuery(f.app.id, "code", appRedirect, scope))
		_, tok := f.exchange(f.app, u.Query().Get("code"), appRedirect, "")
		return tok
	}
	revokeAt := func(c clientCreds, token string) int {
		req, _ := http.NewRequest("POST", f.srv.URL+"/OAuth/revoke", strings.NewReader(url.Values{"token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(c.id, c.secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	tok := issue()
	if s := revokeAt(f.other, str(tok, "access_token")); s != 200 {
		t.Fatalf("another client's revoke answers %d", s)
	}
	if s, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token")); s != 200 {
		t.Fatal("another client revoked our token")
	}
	if s := revokeAt(f.app, str(tok, "access_token")); s != 200 {
		t.Fatalf("revoke: %d", s)
	}
	if s, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token")); s != 401 {
		t.Fatal("revoked access token still works")
	}
	tok = issue()
	revokeAt(f.app, str(tok, "refresh_token"))
	if s, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token")); s != 401 {
		t.Fatal("revoking the refresh token left its access token alive")
	}
	if s := revokeAt(f.app, "awt_unknown"); s != 200 {
		t.Fatalf("unknown token: %d", s)
	}

	// The member's page lists the application and revokes it.
	tok = issue()
	b := f.browser()
	login := b.get("/OAuth/Grants")
	form := login.hidden()
	form.Set("login", "alice@example.test")
	form.Set("password", password)
	list := b.post("/OAuth/Grants", form)
	if list.status != 200 || !strings.Contains(list.body, "<strong>App</strong>") {
		t.Fatalf("grants page: %d %s", list.status, list.body)
	}
	rev := list.hidden()
	rev.Set("project_id", itoa(f.app.project.ProjectID))
	after := b.post("/OAuth/Grants/Revoke", rev)
	if after.status != 200 || strings.Contains(after.body, "<strong>App</strong>") {
		t.Fatalf("after revoke: %d %s", after.status, after.body)
	}
	if s, _ := f.api("/v1/Account/VerifyCredentials", str(tok, "access_token")); s != 401 {
		t.Fatal("access token survives revoking the project")
	}
	if s, out := f.refresh(f.app, str(tok, "refresh_token"), ""); s != 400 {
		t.Fatalf("refresh survives revoking the project: %d %v", s, out)
	}
}

func itoa(n int64) string { return strconvItoa(n) }
