package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/webdriver"
)

// appPage is a browser app's page: it calls a key method with ?apikey= and X-ApiSecret (which forces
// a preflight) and a bearer method, and writes what it could read into the DOM, then adds #done.
const appPage = `<!doctype html><title>app</title><pre id="list"></pre><pre id="whoami"></pre>
<script>
const cfg = %s;
async function call(id, url, headers) {
  let text;
  try {
    const r = await fetch(url, {headers});
    text = JSON.stringify({status: r.status, requestID: r.headers.get("X-Request-ID"), body: await r.json()});
  } catch (e) {
    text = "blocked: " + e.name;
  }
  document.getElementById(id).textContent = text;
}
(async () => {
  await call("list", cfg.api + "/v1/Test/List?apikey=" + cfg.key, {"X-ApiSecret": cfg.secret});
  await call("whoami", cfg.api + "/v1/Test/Whoami", {"Authorization": "bearer " + cfg.token});
  const done = document.createElement("p");
  done.id = "done";
  document.body.append(done);
})();
</script>`

// TestCORSInBrowser serves the API on one port and apps' pages on others (other origins), and lets
// headless Chromium run them: a configured origin and a project's registered origin read both answers;
// a page on an origin nobody allowed cannot read either.
func TestCORSInBrowser(t *testing.T) {
	wd := webdriver.Start(t)
	f := newFixture(t, testdbSQLite)
	type app struct{ api, key, secret, token string }
	page := func(a *app) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cfg, _ := json.Marshal(map[string]string{"api": a.api, "key": a.key, "secret": a.secret, "token": a.token})
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, appPage, cfg)
		}))
		t.Cleanup(s.Close)
		return s
	}
	configured, registered, stranger := &app{}, &app{}, &app{}
	configuredPage, registeredPage, strangerPage := page(configured), page(registered), page(stranger)

	f.configure(Config{CORSOrigins: []string{configuredPage.URL}})
	api := httptest.NewServer(f.srv)
	t.Cleanup(api.Close)
	webKey, _ := f.webProject("Web", registeredPage.URL)
	*configured = app{api.URL, f.Key, f.Secret, f.Mint(1, awapi.ScopeAccountWebcamBookings)}
	*registered = app{api.URL, webKey, "aws_Web", f.webToken(webKey, awapi.ScopeAccountWebcamBookings)}
	*stranger = app{api.URL, f.Key, f.Secret, f.Mint(1, awapi.ScopeAccountWebcamBookings)}

	read := func(id string) (status int, requestID string, body json.RawMessage) {
		t.Helper()
		text := wd.Text("#" + id)
		var v struct {
			Status    int
			RequestID string
			Body      json.RawMessage
		}
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			t.Fatalf("#%s: %q", id, text)
		}
		return v.Status, v.RequestID, v.Body
	}
	for name, p := range map[string]*httptest.Server{"configured origin": configuredPage, "registered origin": registeredPage} {
		t.Run(name, func(t *testing.T) {
			wd.T = t
			wd.Navigate(p.URL)
			wd.Find("#done")
			status, rid, body := read("list")
			if status != 200 || rid == "" || !strings.Contains(string(body), `"Items":[{"ItemID":1`) {
				t.Errorf("Test/List: %d, X-Request-ID %q, %s", status, rid, body)
			}
			if status, _, body := read("whoami"); status != 200 || string(body) != `{"UserID":1,"ActingUserID":1}` {
				t.Errorf("Test/Whoami: %d %s", status, body)
			}
		})
	}
	t.Run("origin nobody allowed", func(t *testing.T) {
		wd.T = t
		wd.Navigate(strangerPage.URL)
		wd.Find("#done")
		for _, id := range []string{"list", "whoami"} {
			if text := wd.Text("#" + id); text != "blocked: TypeError" {
				t.Errorf("#%s = %q, want the browser to block it", id, text)
			}
		}
	})
}

// webToken mints a token of member 1 for the project whose API key is key.
func (f *fixture) webToken(key string, scopes ...awapi.Scope) string {
	f.T.Helper()
	p, _, err := f.St.ProjectByAPIKey(f.T.Context(), awapi.HashSecret(key))
	if err != nil {
		f.T.Fatal(err)
	}
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := f.St.CreateAccessToken(f.T.Context(), awapi.HashSecret(tok), awapi.AccessToken{
		UserID: 1, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: f.Clock.Now().AddDate(1, 0, 0)}); err != nil {
		f.T.Fatal(err)
	}
	return tok
}
