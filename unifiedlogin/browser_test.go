package unifiedlogin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
)

// TestBrowser drives the real login pages in headless Chromium through ChromeDriver's WebDriver
// protocol: the code flow with PKCE (log in, approve, land on the redirect with a code, which the test
// exchanges, refreshes and uses) and the implicit flow (the token read from the URL fragment). The
// application's callback is served on another origin (another port), as every real application's is:
// Chromium applies the consent page's CSP form-action to the redirect that follows the POST.
func TestBrowser(t *testing.T) {
	wd := startWebDriver(t)
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
		wd.t = t
		verifier, challenge := pkcePair()
		wd.navigate(f.srv.URL + authorizeQuery(client.id, "code", callback, scope, "code_challenge", challenge, "code_challenge_method", "S256"))
		wd.typeInto("#login", "alice")
		wd.typeInto("#password", password)
		wd.click("#signin")
		wd.click("#approve")
		wd.find("#done") // waits, inside the browser, for the redirect to land
		u, err := url.Parse(wd.currentURL())
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
		wd.t = t
		wd.navigate(f.srv.URL + authorizeQuery(client.id, "token", callback, "userid nickname"))
		wd.typeInto("#login", "bob")
		wd.typeInto("#password", password)
		wd.click("#signin")
		wd.click("#approve")
		wd.find("#done")
		u, err := url.Parse(wd.currentURL())
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

// webDriver is the few WebDriver commands the test needs.
type webDriver struct {
	t       *testing.T
	base    string
	session string
}

const elementKey = "element-6066-11e4-a52e-4f735466cecf"

func startWebDriver(t *testing.T) *webDriver {
	t.Helper()
	chromium, err1 := exec.LookPath("chromium")
	driver, err2 := exec.LookPath("chromedriver")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium and ChromeDriver are required in CI (.ci/run installs them)")
		}
		t.Skip("headless Chromium is not installed (apt-get install chromium chromium-driver); skipping the browser test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, driver, fmt.Sprintf("--port=%d", port))
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	// ChromeDriver says when it listens; read until then instead of polling.
	started := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "started successfully") && !ok {
				ok = true
				started <- true
			}
		}
		if !ok {
			started <- false
		}
	}()
	select {
	case ok := <-started:
		if !ok {
			t.Fatal("ChromeDriver exited before it started")
		}
	case <-time.After(30 * time.Second): // a deadline for a stuck process, not synchronisation
		t.Fatal("ChromeDriver did not start within 30 s")
	}
	wd := &webDriver{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	var resp struct {
		Value struct {
			SessionID string `json:"sessionId"`
		} `json:"value"`
	}
	wd.call("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": chromium, "args": []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
			"--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--user-data-dir=" + t.TempDir(),
		}},
	}}}, &resp)
	wd.session = resp.Value.SessionID
	// Element lookups wait (inside the browser) for the next page to load rather than racing it.
	wd.call("POST", "/session/"+wd.session+"/timeouts", map[string]int{"implicit": 10000, "pageLoad": 30000}, nil)
	t.Cleanup(func() { wd.call("DELETE", "/session/"+wd.session, nil, nil) })
	return wd
}

func (wd *webDriver) call(method, path string, body, out any) {
	wd.t.Helper()
	if status, b := wd.try(method, path, body, out); status != 200 {
		if strings.HasSuffix(path, "/element") {
			var src struct{ Value string }
			wd.try("GET", "/session/"+wd.session+"/source", nil, &src)
			wd.t.Fatalf("webdriver %s %s: %d %.300s\npage %s:\n%s", method, path, status, b, wd.currentURL(), src.Value)
		}
		wd.t.Fatalf("webdriver %s %s: %d %s", method, path, status, b)
	}
}

// try sends one command and returns its status and body.
func (wd *webDriver) try(method, path string, body, out any) (int, []byte) {
	wd.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, wd.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		wd.t.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			wd.t.Fatal(err)
		}
	}
	return resp.StatusCode, b
}

func (wd *webDriver) navigate(u string) {
	wd.call("POST", "/session/"+wd.session+"/url", map[string]string{"url": u}, nil)
}

func (wd *webDriver) find(css string) string {
	wd.t.Helper()
	var resp struct{ Value map[string]string }
	wd.call("POST", "/session/"+wd.session+"/element", map[string]string{"using": "css selector", "value": css}, &resp)
	if resp.Value[elementKey] == "" {
		var src struct{ Value string }
		wd.call("GET", "/session/"+wd.session+"/source", nil, &src)
		wd.t.Fatalf("no element %s (%v) on %s:\n%.200s", css, resp.Value, wd.currentURL(), src.Value)
	}
	return resp.Value[elementKey]
}

func (wd *webDriver) typeInto(css, text string) {
	wd.call("POST", "/session/"+wd.session+"/element/"+wd.find(css)+"/value", map[string]string{"text": text}, nil)
}

func (wd *webDriver) click(css string) {
	wd.call("POST", "/session/"+wd.session+"/element/"+wd.find(css)+"/click", map[string]any{}, nil)
}

func (wd *webDriver) currentURL() string {
	var resp struct{ Value string }
	wd.call("GET", "/session/"+wd.session+"/url", nil, &resp)
	return resp.Value
}
