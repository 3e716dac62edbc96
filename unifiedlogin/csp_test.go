package unifiedlogin

import (
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/testdb"
)

// TestConsentFormAction: the login and consent pages allow their forms to lead to exactly the origin
// of the request's registered redirect URI, besides their own; the other pages only to their own.
func TestConsentFormAction(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	formAction := func(p page) string {
		for _, d := range strings.Split(p.header.Get("Content-Security-Policy"), ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(d), "form-action "); ok {
				return v
			}
		}
		return ""
	}
	for _, c := range []struct{ redirect, want string }{
		{appRedirect, "'self' https://app.example"},
		{"http://127.0.0.1:9999/cb", "'self' http://127.0.0.1:9999"},
	} {
		b := f.browser()
		authorize := authorizeQuery(f.app.id, "code", c.redirect, scope)
		if got := formAction(b.get(authorize)); got != c.want {
			t.Errorf("login page for %s: form-action %q, want %q", c.redirect, got, c.want)
		}
		consent := b.signIn(authorize, "alice", password)
		if got := formAction(consent); consent.status != 200 || got != c.want {
			t.Errorf("consent page for %s: %d, form-action %q, want %q", c.redirect, consent.status, got, c.want)
		}
	}
	if got := formAction(f.browser().get("/OAuth/Grants")); got != "'self'" {
		t.Errorf("grants page: form-action %q", got)
	}
	// A request that fails before its redirect URI is known to be registered names no other origin.
	if got := formAction(f.browser().get(authorizeQuery(f.app.id, "code", "https://evil.example/cb", scope))); got != "'self'" {
		t.Errorf("unregistered redirect: form-action %q", got)
	}
}

func TestRedirectOrigin(t *testing.T) {
	for _, c := range []struct{ uri, want string }{
		{"https://app.example/callback?x=1", "https://app.example"},
		{"https://app.example:8443/cb", "https://app.example:8443"},
		{"http://127.0.0.1:9999/cb", "http://127.0.0.1:9999"},
		{"http://[::1]:3000/cb", "http://[::1]:3000"},
		{"https://user:pw@app.example/cb", "https://app.example"},
		{"com.example.app:/oauth", ""}, // no host: no origin a source expression could name exactly
		{"javascript:alert(1)", ""},
		{"https://app.example;script-src */cb", ""},
		{"https://app.example'/cb", ""},
		{"", ""},
		{"%zz", ""},
	} {
		if got := redirectOrigin(c.uri); got != c.want {
			t.Errorf("redirectOrigin(%q) = %q, want %q", c.uri, got, c.want)
		}
	}
}
