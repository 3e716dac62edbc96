package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awapi/awapi"
)

// serveFor runs `awapi serve args…` until the test ends and returns its base URL and banner.
func serveFor(t *testing.T, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...),
			Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Clock: awapi.SystemClock{},
				Ready: func(base string) { ready <- base }})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	})
	select {
	case base := <-ready:
		return base, out.String()
	case code := <-done:
		done <- code
		t.Fatalf("serve exited %d: %s", code, errOut.String())
	}
	return "", ""
}

// send makes one request and returns the answer's status and headers.
func send(t *testing.T, method, url string, headers ...string) (int, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// TestServeBrowserDefaults checks what serve passes the API from the database and its flags: a sandbox
// allows any origin and warns about ignored parameters; a production database allows the origins of
// --cors-origins and of its projects (project create --origin), and stays silent.
func TestServeBrowserDefaults(t *testing.T) {
	preflight := func(origin string) []string {
		return []string{"Origin", origin, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-apisecret"}
	}
	t.Run("sandbox", func(t *testing.T) {
		base, banner := serveFor(t, "--db", filepath.Join(t.TempDir(), "s.db"), "--users", "30")
		key := field(banner, "sandbox API key:")
		status, h := send(t, "OPTIONS", base+"/v1/Lists/GetGenders", preflight("https://anywhere.example")...)
		if status != 204 || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("preflight: %d %v", status, h)
		}
		status, h = send(t, "GET", base+"/v1/Lists/GetRegions?CountryID=158&postcode=AB1", "X-ApiKey", key)
		if status != 200 || h.Get("Warning") != `299 awapi "ignored parameter: postcode"` {
			t.Fatalf("GetRegions: %d, Warning %q", status, h.Values("Warning"))
		}
	})
	t.Run("production", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "p.db")
		if code, _, errOut := run(t, "migrate", "--db", db); code != 0 {
			t.Fatalf("migrate: %d %s", code, errOut)
		}
		code, out, errOut := run(t, "project", "create", "--db", db, "--name", "Web", "--redirect-uri", "https://app.example/cb",
			"--scopes", "userid", "--origin", "https://App.example:443/", "--origin", "http://localhost:3000", "--json")
		var creds clientCreds
		if code != 0 || json.Unmarshal([]byte(out), &creds) != nil {
			t.Fatalf("project create: %d %s %s", code, out, errOut)
		}
		if strings.Join(creds.Origins, " ") != "https://app.example http://localhost:3000" {
			t.Fatalf("origins %v", creds.Origins)
		}
		base, _ := serveFor(t, "--db", db, "--no-seed", "--cors-origins", "https://ops.example, https://two.example")
		for origin, want := range map[string]int{"https://ops.example": 204, "https://two.example": 204, "https://app.example": 204,
			"http://localhost:3000": 204, "https://evil.example": 403} {
			status, h := send(t, "OPTIONS", base+"/v1/Lists/GetGenders", preflight(origin)...)
			if status != want || (want == 204) != (h.Get("Access-Control-Allow-Origin") == origin) {
				t.Errorf("preflight from %s: %d, ACAO %q", origin, status, h.Get("Access-Control-Allow-Origin"))
			}
		}
		status, h := send(t, "GET", base+"/v1/Lists/GetRegions?CountryID=158&postcode=AB1", "X-ApiKey", creds.APIKey, "Origin", "https://app.example")
		if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.example" || len(h.Values("Warning")) != 0 {
			t.Fatalf("GetRegions: %d %v", status, h)
		}
	})
	t.Run("bad flags", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "b.db")
		for _, args := range [][]string{
			{"serve", "--db", db, "--cors-origins", "app.example"},
			{"project", "create", "--db", db, "--name", "X", "--redirect-uri", "https://a.example/cb", "--scopes", "userid", "--origin", "http://app.example"},
			{"project", "create", "--db", db, "--name", "X", "--redirect-uri", "https://a.example/cb", "--scopes", "userid", "--origin", "https://app.example/path"},
		} {
			if code, _, errOut := run(t, args...); code != 2 || !strings.Contains(errOut, "origin") {
				t.Errorf("%v: exit %d, %s", args, code, errOut)
			}
		}
	})
}
