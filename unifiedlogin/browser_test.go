package unifiedlogin

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/internal/webdriver"
)

// TestBrowser drives the real login pages in headless Chromium through ChromeDriver's WebDriver
// protocol: the code flow with PKCE (log in, approve, land on the redirect with a code, which the test
// exchanges, refreshes and uses) and the implicit flow (the token read from the URL fragment). The
// application's callback is served on another origin (another port), as every real application's is:
// Chromium applies the consent page's CSP form-action to the redirect that follows the POST.
func TestBrowser(t *testing.T) {
	wd := webdriver.Start(t)
	f := newFixture(t, testdb.SQLite)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>callback</title><p id="done">signed in</p>`)
	}))
	t.Cleanup(app.Close)
	callback := app.URL + "/callback"
	client := f.client("Browser App", true, []string{callback})

	t.Run("code flow with PKCE", func(t *testing.T) {
		wd.T = t
		verifier, challenge := pkcePair()
		wd.Navigate(f.srv.URL + authorizeQuery(client.id, "code", callback, scope, "code_challenge", challenge, "code_challenge_method", "S256"))
		wd.TypeInto("#login", "alice")
		wd.TypeInto("#password", password)
		wd.Click("#signin")
		wd.Click("#approve")
		wd.Find("#done") // waits, inside the browser, for the redirect to land
		u, err := url.Parse(wd.CurrentURL())
		if err != nil || !strings.HasPrefix(u.String(), callback+"?") || u.Query().Get("state") != "xyz" {
			t.Fatalf("landed on %s", u)
		}
		status, tok := f.exchange(client, u.Query().Get("code"), callback, verifier)
		if status != 200 {
			t.Fatalf("exchange: %d %v", status, tok)
		}
		status, next := f.refresh(client, str(tok, "refresh_token"), "")
		if status != 200 {
			t.Fatalf("refresh: %d %v", status, next)
		}
		status, body := f.api("/v1/Account/VerifyCredentials", str(next, "access_token"))
		if status != 200 || !strings.Contains(body, `"Nickname":"Alice"`) {
			t.Fatalf("VerifyCredentials: %d %s", status, body)
		}
	})

	t.Run("implicit flow", func(t *testing.T) {
		wd.T = t
		wd.Navigate(f.srv.URL + authorizeQuery(client.id, "token", callback, "userid nickname"))
		wd.TypeInto("#login", "bob")
		wd.TypeInto("#password", password)
		wd.Click("#signin")
		wd.Click("#approve")
		wd.Find("#done")
		u, err := url.Parse(wd.CurrentURL())
		if err != nil {
			t.Fatal(err)
		}
		frag, _ := url.ParseQuery(u.Fragment)
		token := frag.Get("access_token")
		if !strings.HasPrefix(token, awapi.PrefixAccessToken) || frag.Get("state") != "xyz" {
			t.Fatalf("landed on %s", u)
		}
		status, body := f.api("/v1/Account/VerifyCredentials", token)
		if status != 200 || !strings.Contains(body, `"Nickname":"Bob"`) {
			t.Fatalf("VerifyCredentials: %d %s", status, body)
		}
	})
}
