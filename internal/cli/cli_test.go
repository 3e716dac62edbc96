package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// run runs one command in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Clock: awapi.NewFakeClock(testNow)})
	return code, out.String(), errOut.String()
}

func TestAdminCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	prod := filepath.Join(t.TempDir(), "p.db")
	code, out, errOut := run(t, "seed", "--db", db, "--users", "40", "--json")
	if code != 0 {
		t.Fatalf("seed: %d %s", code, errOut)
	}
	var seeded struct {
		Summary struct{ Members int }
		Sandbox sandboxInfo
	}
	if err := json.Unmarshal([]byte(out), &seeded); err != nil || seeded.Summary.Members != 40 || !strings.HasPrefix(seeded.Sandbox.APIKey, "awk_") {
		t.Fatalf("seed output %s (%v)", out, err)
	}
	if code, _, errOut := run(t, "migrate", "--db", prod); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string // in stdout (success) or stderr (failure)
	}{
		{"seed twice", []string{"seed", "--db", db, "--users", "40"}, 1, "already set up"},
		{"seed too small", []string{"seed", "--db", db, "--users", "3"}, 2, "at least 10"},
		{"serve seeding too small", []string{"serve", "--db", filepath.Join(t.TempDir(), "n.db"), "--users", "3"}, 2, "--users must be at least 10"},
		{"serve without a pool", []string{"serve", "--db", filepath.Join(t.TempDir(), "n.db"), "--db-max-conns", "0"}, 2, "--db-max-conns must be at least 1"},
		{"token", []string{"token", "--db", db, "--user", "1", "--scopes", "account_webcam_bookings,userid", "--json"}, 0, `"access_token": "awt_`},
		{"token plain", []string{"token", "--db", db, "--user", "2", "--scopes", "userid"}, 0, "awt_"},
		{"token unknown scope", []string{"token", "--db", db, "--user", "1", "--scopes", "everything"}, 2, "unknown scope"},
		{"token unknown user", []string{"token", "--db", db, "--user", "99999", "--scopes", "userid"}, 1, "not found"},
		{"token needs user", []string{"token", "--db", db}, 2, "--user is required"},
		{"token refused off sandbox", []string{"token", "--db", prod, "--user", "1", "--scopes", "userid"}, 1, "refused"},
		{"apikey", []string{"apikey", "create", "--db", prod, "--name", "My App", "--json"}, 0, `"api_key": "awk_`},
		{"apikey needs name", []string{"apikey", "create", "--db", prod}, 2, "--name is required"},
		{"project", []string{"project", "create", "--db", prod, "--name", "Web App", "--redirect-uri", "https://app.example/cb",
			"--redirect-uri", "http://localhost:3000/cb", "--scopes", "userid,nickname", "--json"}, 0, `"client_secret": "awcs_`},
		{"public project has no secret", []string{"project", "create", "--db", prod, "--name", "SPA", "--redirect-uri", "https://spa.example/",
			"--scopes", "userid", "--public"}, 0, "client id:     awc_"},
		{"project redirect must be https", []string{"project", "create", "--db", prod, "--name", "X", "--redirect-uri", "http://evil.example/cb",
			"--scopes", "userid"}, 2, "must be an absolute https URI"},
		{"project unknown scope", []string{"project", "create", "--db", prod, "--name", "X", "--redirect-uri", "https://a.example/",
			"--scopes", "everything"}, 2, "unknown scope"},
		{"user", []string{"user", "create", "--db", prod, "--nickname", "Zoe", "--email", "zoe@example.test", "--password", "long enough",
			"--birth-date", "1990-01-02", "--offering", "--json"}, 0, `"nickname": "Zoe"`},
		{"user nickname taken", []string{"user", "create", "--db", prod, "--nickname", "ZOE", "--email", "z2@example.test", "--password", "long enough",
			"--birth-date", "1990-01-02"}, 1, "already taken"},
		{"user under 18", []string{"user", "create", "--db", prod, "--nickname", "Kid", "--email", "k@example.test", "--password", "long enough",
			"--birth-date", "2010-01-02"}, 2, "at least 18"},
		{"user bad fields", []string{"user", "create", "--db", prod, "--nickname", "", "--email", "nope", "--password", "short",
			"--birth-date", "02-01-1990"}, 2, "--email"},
		// Zoe is member 1 of the unseeded database, so her balance is what these rows add.
		{"credits add", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "12.50", "--json"}, 0, `"balance": "12.50"`},
		{"credits add again", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "0.75"}, 0, "balance 13.25"},
		{"credits deduct", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "-3.25", "--description", "Adjustment"}, 0, "balance 10.00"},
		{"credits never negative", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "-10.01"}, 1, "does not cover"},
		{"credits bad amount", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "1.234"}, 2, "--amount"},
		{"credits zero", []string{"credits", "add", "--db", prod, "--user", "1", "--amount", "0"}, 2, "--amount"},
		{"credits unknown user", []string{"credits", "add", "--db", prod, "--user", "424242", "--amount", "1"}, 1, "not found"},
		{"credits needs user", []string{"credits", "add", "--db", prod, "--amount", "1"}, 2, "--user is required"},
		{"credits needs add", []string{"credits", "--db", prod}, 2, "usage: awapi credits add"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad flag", []string{"seed", "--nope"}, 2, "flag provided but not defined"},
		{"serve bad trusted proxies", []string{"serve", "--db", prod, "--addr", "127.0.0.1:0", "--trusted-proxies", "10.0.0.0/8,10.0.0.0/33"}, 2,
			`--trusted-proxies: "10.0.0.0/33"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			text := out
			if code != 0 {
				text = errOut
			}
			if code != tc.code || !strings.Contains(text, tc.contains) {
				t.Fatalf("exit %d, want %d; output %q / %q, want %q", code, tc.code, out, errOut, tc.contains)
			}
		})
	}
}

// TestServeFirstRun starts the real command on an empty database: it seeds, prints the banner with a
// working API key, answers requests, and exits cleanly when its context ends (as on SIGTERM).
func TestServeFirstRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--users", "30"},
			Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Clock: awapi.SystemClock{},
				Ready: func(base string) { ready <- base }})
	}()
	var base string
	select {
	case base = <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errOut.String())
	}
	banner := out.String()
	key := field(banner, "sandbox API key:")
	if !strings.HasPrefix(key, "awk_") || !strings.Contains(banner, "awapi token --db") {
		t.Fatalf("banner:\n%s", banner)
	}
	req, _ := http.NewRequest("GET", base+"/v1/Lists/GetGenders", nil)
	req.Header.Set("X-ApiKey", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GetGenders with the printed key: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, errOut.String())
	}
}

// TestTrustedProxiesFlag: --trusted-proxies names the proxies; the deprecated --trust-proxy warns and
// stands for the private networks unless the proxies are named.
func TestTrustedProxiesFlag(t *testing.T) {
	for _, tc := range []struct {
		list   string
		legacy bool
		want   string
		warn   bool
	}{
		{"", false, "", false},
		{"10.0.0.0/8,127.0.0.1/32", false, "10.0.0.0/8 127.0.0.1/32", false},
		{"192.0.2.7", false, "192.0.2.7/32", false},
		{"", true, "127.0.0.0/8 ::1/128 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7", true},
		{"10.1.0.0/16", true, "10.1.0.0/16", true},
	} {
		var errOut bytes.Buffer
		got, err := trustedProxies(tc.list, tc.legacy, Env{Stderr: &errOut})
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if err != nil || strings.Join(s, " ") != tc.want || strings.Contains(errOut.String(), "deprecated") != tc.warn {
			t.Errorf("trustedProxies(%q, %v) = %v, %v, warning %q; want %s", tc.list, tc.legacy, s, err, errOut.String(), tc.want)
		}
	}
}

func field(text, label string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if _, v, ok := strings.Cut(line, label); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestGracefulShutdown proves that shutdown drains: a request in flight when the stop signal comes
// is answered in full before the server returns.
func TestGracefulShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	var (
		mu     sync.Mutex
		events []string
	)
	record := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		record("handler done")
		_, _ = w.Write([]byte("finished"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		err := runServer(ctx, ln, h, slog.New(slog.DiscardHandler), DefaultTimeouts)
		record("server returned")
		served <- err
	}()
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-entered
	cancel() // the SIGTERM
	select {
	case err := <-served:
		t.Fatalf("server returned with a request in flight: %v", err)
	default:
	}
	close(release)
	if got := <-answer; got != "finished" {
		t.Fatalf("in-flight request got %q", got)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if strings.Join(events, ",") != "handler done,server returned" {
		t.Fatalf("events %v", events)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("server still accepts connections after shutdown")
	}
}

// TestHeaderAndIdleTimeouts checks that a client cannot hold a connection with slow headers or idly.
func TestHeaderAndIdleTimeouts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timeouts := DefaultTimeouts
	timeouts.ReadHeader, timeouts.Idle = 200*time.Millisecond, 200*time.Millisecond
	go runServer(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), slog.New(slog.DiscardHandler), timeouts)

	for _, tc := range []struct{ name, send string }{
		{"slow headers", "GET / HTTP/1.1\r\nHost: x\r\n"},        // never finishes its headers
		{"idle keep-alive", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"}, // one request, then silence
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_, _ = conn.Write([]byte(tc.send))
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second)) // a safety net, far above the timeout
			start := time.Now()
			_, err = io.Copy(io.Discard, bufio.NewReader(conn)) // returns when the server closes
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				t.Fatalf("server kept the connection open %v", time.Since(start))
			}
		})
	}
}

// TestOversizedHeaderInErrorShape sends headers over the API's limit through the real http.Server:
// the API answers 431 in its error shape and the negotiated format, because net/http's own limit,
// which answers in plain text before any handler, is only a backstop far above the API's.
func TestOversizedHeaderInErrorShape(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go runServer(ctx, ln, web.New(nil, web.Config{}), slog.New(slog.DiscardHandler), DefaultTimeouts)
	for _, tc := range []struct{ accept, ctype, code string }{
		{"application/json", "application/json; charset=utf-8", `"Code":"request_header_too_large"`},
		{"text/xml", "text/xml; charset=utf-8", `<Code>request_header_too_large</Code>`},
	} {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/v1/Lists/GetGenders", nil)
		req.Header.Set("Accept", tc.accept)
		req.Header.Set("X-Padding", strings.Repeat("p", 100<<10))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || resp.Header.Get("Content-Type") != tc.ctype ||
			!strings.Contains(string(body), tc.code) {
			t.Fatalf("Accept %s: %d %q %s", tc.accept, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
