// Package webdriver drives headless Chromium through ChromeDriver's WebDriver protocol, for browser
// tests: the few commands they need, with a skip when the browser is not installed (outside CI).
package webdriver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Driver is one browser session. T is the test its failures are reported to; a subtest may set it.
type Driver struct {
	T       *testing.T
	base    string
	session string
}

const elementKey = "element-6066-11e4-a52e-4f735466cecf"

// Start launches ChromeDriver and a headless Chromium session, both ended when the test ends. Element
// lookups wait up to 10 s, inside the browser, for the element to appear.
func Start(t *testing.T) *Driver {
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
	wd := &Driver{T: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
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
	wd.call("POST", "/session/"+wd.session+"/timeouts", map[string]int{"implicit": 10000, "pageLoad": 30000}, nil)
	t.Cleanup(func() { wd.call("DELETE", "/session/"+wd.session, nil, nil) })
	return wd
}

// call sends one command and fails the test unless it succeeds. A failed element lookup shows the page
// the browser was on.
func (wd *Driver) call(method, path string, body, out any) {
	wd.T.Helper()
	if status, b := wd.try(method, path, body, out); status != 200 {
		if strings.HasSuffix(path, "/element") {
			var src struct{ Value string }
			wd.try("GET", "/session/"+wd.session+"/source", nil, &src)
			wd.T.Fatalf("webdriver %s %s: %d %.300s\npage %s:\n%s", method, path, status, b, wd.CurrentURL(), src.Value)
		}
		wd.T.Fatalf("webdriver %s %s: %d %.500s", method, path, status, b)
	}
}

// try sends one command and returns its status and body.
func (wd *Driver) try(method, path string, body, out any) (int, []byte) {
	wd.T.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, wd.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		wd.T.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			wd.T.Fatal(err)
		}
	}
	return resp.StatusCode, b
}

// Navigate loads u and waits for the page to load.
func (wd *Driver) Navigate(u string) {
	wd.call("POST", "/session/"+wd.session+"/url", map[string]string{"url": u}, nil)
}

// Find returns the element matching a CSS selector, waiting for it to appear.
func (wd *Driver) Find(css string) string {
	wd.T.Helper()
	var resp struct{ Value map[string]string }
	wd.call("POST", "/session/"+wd.session+"/element", map[string]string{"using": "css selector", "value": css}, &resp)
	if resp.Value[elementKey] == "" {
		wd.T.Fatalf("no element %s (%v)", css, resp.Value)
	}
	return resp.Value[elementKey]
}

// Text returns the rendered text of the element matching a CSS selector.
func (wd *Driver) Text(css string) string {
	var resp struct{ Value string }
	wd.call("GET", "/session/"+wd.session+"/element/"+wd.Find(css)+"/text", nil, &resp)
	return resp.Value
}

// TypeInto types text into the element matching a CSS selector.
func (wd *Driver) TypeInto(css, text string) {
	wd.call("POST", "/session/"+wd.session+"/element/"+wd.Find(css)+"/value", map[string]string{"text": text}, nil)
}

// Click clicks the element matching a CSS selector.
func (wd *Driver) Click(css string) {
	wd.call("POST", "/session/"+wd.session+"/element/"+wd.Find(css)+"/click", map[string]any{}, nil)
}

// CurrentURL is the URL of the page the browser shows.
func (wd *Driver) CurrentURL() string {
	var resp struct{ Value string }
	wd.call("GET", "/session/"+wd.session+"/url", nil, &resp)
	return resp.Value
}
