package unifiedlogin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/internal/webdriver"
)

// callbackPage is the browser app's redirect target. On the code flow it does what a single-page app
// using PKCE does, with fetch from its own origin: it exchanges the code with its verifier, refreshes
// (with an X-Request-ID header, which makes the browser preflight) and revokes the first access token,
// and writes what it could read into #result. Then it adds #done.
const callbackPage = `<!doctype html><title>callback</title><pre id="result"></pre>
<script>
const cfg = %s;
async function post(path, form, headers) {
  try {
    const r = await fetch(cfg.api + path, {method: "POST", body: new URLSearchParams(form), headers: headers || {}});
    const text = await r.text();
    return {status: r.status, body: text ? JSON.parse(text) : null};
  } catch (e) {
    return {blocked: e.name};
  }
}
(async () => {
  const out = {};
  const code = new URLSearchParams(location.search).get("code");
  if (code) {
    out.token = await post("/OAuth/token", {grant_type: "authorization_code", code: code, redirect_uri: cfg.redirect,
      client_id: cfg.clientID, code_verifier: cfg.verifier});
    const tok = out.token.body || {};
    out.refresh = await post("/OAuth/token", {grant_type: "refresh_token", refresh_token: tok.refresh_token,
      client_id: cfg.clientID}, {"X-Request-ID": "pkce-refresh"});
    out.revoke = await post("/OAuth/revoke", {token: tok.access_token, client_id: cfg.clientID}, {"X-Request-ID": "pkce-revoke"});
  }
  document.getElementById("result").textContent = JSON.stringify(out);
  const done = document.createElement("p");
  done.id = "done";
  document.body.append(done);
})();
</script>`

// pageCall is what callbackPage read of one call.
type pageCall struct {
	Status  int
	Body    map[string]any
	Blocked string
}

// TestBrowser drives the real login pages in headless Chromium through ChromeDriver's WebDriver
// protocol: the code flow with PKCE (log in, approve, land on the redirect with a code, which the
// app's page exchanges, refreshes and revokes from its own origin, as a single-page app does) and the
// implicit flow (the token read from the URL fragment). The application's callback is served on
// another origin (another port), as every real application's is: Chromium applies the consent page's
// CSP form-action to the redirect that follows the POST, and CORS to the page's calls.
func TestBrowser(t *testing.T) {
	wd := webdriver.Start(t)
	f := newFixture(t, testdb.SQLite)
	var pageConfig atomic.Pointer[[]byte] // set before each navigation, read by the app's server
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, callbackPage, *pageConfig.Load())
	}))
	t.Cleanup(app.Close)
	callback := app.URL + "/callback"
	client := f.client("Browser App", true, []string{callback}, app.URL)
	configure := func(verifier string) {
		cfg, _ := json.Marshal(map[string]string{"api": f.srv.URL, "clientID": client.id, "redirect": callback, "verifier": verifier})
		pageConfig.Store(&cfg)
	}

	t.Run("code flow with PKCE", func(t *testing.T) {
		wd.T = t
		verifier, challenge := pkcePair()
		configure(verifier)
		wd.Navigate(f.srv.URL + authorizeQuery(client.id, "code", callback, scope, "code_challenge", challenge, "code_challenge_method", "S256"))
		wd.TypeInto("#login", "alice")
		wd.TypeInto("#password", password)
		wd.Click("#signin")
		wd.Click("#approve")
		wd.Find("#done") // waits, inside the browser, for the redirect to land and the page's calls to end
		u, err := url.Parse(wd.CurrentURL())
		if err != nil || !strings.HasPrefix(u.String(), callback+"?") || u.Query().Get("state") != "xyz" {
			t.Fatalf("landed on %s", u)
		}
		var read struct{ Token, Refresh, Revoke pageCall }
		if err := json.Unmarshal([]byte(wd.Text("#result")), &read); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]pageCall{"exchange": read.Token, "refresh": read.Refresh, "revoke": read.Revoke} {
			if c.Status != 200 {
				t.Errorf("the page's %s: %+v", name, c)
			}
		}
		if t.Failed() {
			t.FailNow()
		}
		status, body := f.api("/v1/Account/VerifyCredentials", str(read.Refresh.Body, "access_token"))
		if status != 200 || !strings.Contains(body, `"Nickname":"Alice"`) {
			t.Fatalf("VerifyCredentials: %d %s", status, body)
		}
		if status, _ := f.api("/v1/Account/VerifyCredentials", str(read.Token.Body, "access_token")); status != 401 {
			t.Fatalf("the access token the page revoked: %d", status)
		}
	})

	t.Run("implicit flow", func(t *testing.T) {
		wd.T = t
		configure("")
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
