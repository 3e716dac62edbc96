package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
)

// testDSNs gives a fresh database of each engine: an SQLite file not yet created, and a new
// PostgreSQL database when AWAPI_TEST_POSTGRES is set.
func testDSNs(t *testing.T) map[string]func(t *testing.T) string {
	dsns := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "awapi.db") },
	}
	if os.Getenv(testdb.EnvPostgres) != "" {
		dsns["postgres"] = func(t *testing.T) string { return testdb.PostgresDSN(t) }
	}
	return dsns
}

// afterLine returns the line that follows the first line containing s.
func afterLine(text, s string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, s) && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1])
		}
	}
	return ""
}

func openDSN(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Location: testdb.London})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func countRows(t *testing.T, st *sqlstore.DB, query string) int {
	t.Helper()
	var n int
	if err := st.SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestInterruptedSeed presses Ctrl-C (SIGINT) in the middle of a real `awapi seed` and of a first
// `awapi serve`: the interrupted command says how to start over, the next serve refuses with that
// exact command, and the command, pasted into a shell, deletes the partial data and seeds the same
// database a first run would have made.
func TestInterruptedSeed(t *testing.T) {
	bin := awapiBinary(t)
	dir := t.TempDir()
	const users = DefaultSandboxUsers // seeded in rounds of 200: the first progress line comes early
	for engine, newDSN := range testDSNs(t) {
		commands := []string{"seed"}
		if engine == "sqlite" {
			commands = append(commands, "serve") // a first serve seeds through the same code as seed
		}
		for _, command := range commands {
			t.Run(engine+"/"+command, func(t *testing.T) {
				dsn := newDSN(t)
				args := []string{command, "--db", dsn, "--users", fmt.Sprint(users)}
				if command == "serve" {
					args = append(args, "--addr", "127.0.0.1:0")
				}
				p := start(t, dir, nil, bin, args...)
				p.waitLine(t, fmt.Sprintf("seeded 200 of %d members", users), "awapi listening on")
				p.signal(syscall.SIGINT)
				if code := p.wait(); code != 1 || !strings.Contains(p.out(), "interrupted: the sandbox seed of") {
					t.Fatalf("interrupted %s exited %d:\n%s", command, code, p.out())
				}
				want := fmt.Sprintf("%s seed --db %s --users %d", bin, shellQuote(dsn), users)
				if got := afterLine(p.out(), "Start the seed over"); got != want {
					t.Fatalf("interrupted %s suggests %q, want %q:\n%s", command, got, want, p.out())
				}

				code, out := runCmd(t, dir, nil, bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
				suggested := afterLine(out, "Start the seed over")
				if code != 1 || suggested != want || !strings.Contains(out, "then run serve again") {
					t.Fatalf("serve on the unfinished seed exited %d, suggesting %q:\n%s", code, suggested, out)
				}

				code, out = sh(t, dir, nil, suggested)
				if code != 0 || !strings.Contains(out, "deleting its partial data and starting over") ||
					!strings.Contains(out, fmt.Sprintf("seeded %d members", users)) {
					t.Fatalf("%s exited %d:\n%s", suggested, code, out)
				}
				st := openDSN(t, dsn)
				if n := countRows(t, st, "SELECT COUNT(*) FROM members"); n != users {
					t.Errorf("%d members after the restarted seed, want %d", n, users)
				}
				// The demo project is the only project and has the ID a first seed gives it.
				if n := countRows(t, st, "SELECT COUNT(*) FROM projects"); n != 1 {
					t.Errorf("%d projects, want only the demo project", n)
				}
				if id, _, _ := st.Meta(context.Background(), metaSandboxProject); id != "1" {
					t.Errorf("demo project ID %q, want 1", id)
				}
				if code, out := runCmd(t, dir, nil, bin, "token", "--db", dsn, "--user", "1", "--scopes", "userid"); code != 0 || !strings.HasPrefix(out, "awt_") {
					t.Errorf("token on the reseeded database: %d %s", code, out)
				}
			})
		}
	}
}

// TestSetupStates covers databases that serve and seed find half made without a record of it: a
// seed by an older awapi that stopped after creating the sandbox agency, and rows added by hand.
func TestSetupStates(t *testing.T) {
	ctx := context.Background()
	for engine, newDSN := range testDSNs(t) {
		t.Run(engine+"/old unfinished seed", func(t *testing.T) {
			dsn := newDSN(t)
			st := openDSN(t, dsn)
			if _, err := st.CreateGroup(ctx, awapi.Group{GroupID: 1, GroupName: "Sandbox Agency"}); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := run(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
			want := fmt.Sprintf("awapi seed --db %s --users %d", shellQuote(dsn), DefaultSandboxUsers)
			if code != 1 || afterLine(errOut, "Start the seed over") != want {
				t.Fatalf("serve: %d %s", code, errOut)
			}
			code, out, errOut := run(t, "seed", "--db", dsn, "--users", "20")
			if code != 0 || !strings.Contains(errOut, "starting over") || !strings.Contains(out, "seeded 20 members") {
				t.Fatalf("seed: %d %s %s", code, out, errOut)
			}
		})
		t.Run(engine+"/members added by hand", func(t *testing.T) {
			dsn := newDSN(t)
			if code, _, errOut := run(t, "migrate", "--db", dsn); code != 0 {
				t.Fatal(errOut)
			}
			if code, _, errOut := run(t, "user", "create", "--db", dsn, "--nickname", "Zoe", "--email", "zoe@example.test",
				"--password", "long enough", "--birth-date", "1990-01-02"); code != 0 {
				t.Fatal(errOut)
			}
			for _, cmd := range [][]string{{"seed", "--db", dsn, "--users", "20"}, {"serve", "--db", dsn, "--addr", "127.0.0.1:0"}} {
				code, _, errOut := run(t, cmd...)
				if code != 1 || !strings.Contains(errOut, "already holds members or groups but was never set up") {
					t.Fatalf("%s: %d %s", cmd[0], code, errOut)
				}
			}
			if n := countRows(t, openDSN(t, dsn), "SELECT COUNT(*) FROM members"); n != 1 {
				t.Fatalf("%d members, want Zoe alone", n)
			}
		})
	}
}

// TestMissingDatabase checks that the commands that work on an existing database refuse a --db file
// that is not there, name the commands that create one, and create nothing.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{
		{"token", "--user", "1", "--scopes", "userid"},
		{"apikey", "create", "--name", "App"},
		{"project", "create", "--name", "App", "--redirect-uri", "https://app.example/cb", "--scopes", "userid"},
		{"user", "create", "--nickname", "Zoe", "--email", "zoe@example.test", "--password", "long enough", "--birth-date", "1990-01-02"},
		{"credits", "add", "--user", "1", "--amount", "1"},
	} {
		t.Run(args[0], func(t *testing.T) {
			code, _, errOut := run(t, append(args, "--db", db)...)
			if code != 1 || !strings.Contains(errOut, "database "+db+" does not exist") || !strings.Contains(errOut, "awapi serve --db "+db) {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if _, err := os.Stat(db); !os.IsNotExist(err) {
				t.Fatalf("%s created %s (%v)", args[0], db, err)
			}
		})
	}
	// The commands that set a database up still create it.
	if code, _, errOut := run(t, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, errOut := run(t, "apikey", "create", "--name", "App", "--db", db); code != 0 || !strings.Contains(out, "awk_") {
		t.Fatalf("apikey on the migrated database: %d %s", code, errOut)
	}
}

// TestBannerCommandsRun starts serve the three ways a user does, and runs the banner's token command
// as printed, in a shell, from the same directory: it must mint a token.
func TestBannerCommandsRun(t *testing.T) {
	bin := awapiBinary(t)
	binDir := filepath.Dir(bin)
	root := moduleRoot(t)
	pathEnv := []string{"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, tc := range []struct {
		name, dir string
		env       []string
		argv      []string
		prefix    string // how the printed commands start
	}{
		{"go run", root, nil, []string{"go", "run", "./cmd/awapi"}, "go run ./cmd/awapi "},
		{"installed on PATH", t.TempDir(), pathEnv, []string{"sh", "-c", `exec awapi "$@"`, "awapi"}, "awapi "},
		{"relative path", binDir, nil, []string{"./awapi"}, "./awapi "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "banner.db")
			args := append(tc.argv[1:], "serve", "--db", db, "--addr", "127.0.0.1:0", "--users", "20")
			p := start(t, tc.dir, tc.env, tc.argv[0], args...)
			line := p.waitLine(t, "token:")
			command := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "token:"))
			if !strings.HasPrefix(command, tc.prefix) {
				t.Errorf("banner command %q does not start with %q", command, tc.prefix)
			}
			code, out := sh(t, tc.dir, tc.env, command)
			if code != 0 || !strings.HasPrefix(out, "awt_") {
				t.Errorf("the banner's command %q exited %d: %s", command, code, out)
			}
			p.signal(syscall.SIGINT)
			// `go run` itself exits 1 when interrupted, whatever its program does.
			if code := p.wait(); code != 0 && tc.argv[0] != "go" {
				t.Errorf("serve exited %d after SIGINT:\n%s", code, p.out())
			}
		})
	}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)

// submit posts the page's form with its hidden fields plus extra.
func submit(t *testing.T, c *http.Client, base, page string, extra url.Values) (*http.Response, string) {
	t.Helper()
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the page:\n%s", page)
	}
	form := url.Values{}
	for _, h := range hiddenInput.FindAllStringSubmatch(page, -1) {
		form.Add(h[1], htmlUnescape(h[2]))
	}
	for k, v := range extra {
		form[k] = v
	}
	action := htmlUnescape(m[1])
	if strings.HasPrefix(action, "/") {
		action = base + action
	}
	resp, err := c.PostForm(action, form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}

// TestDemoLoginFollowsAddr serves the sandbox on a port other than 8080 and completes the login the
// banner offers, from the printed authorize URL to the server's own callback page showing the code.
func TestDemoLoginFollowsAddr(t *testing.T) {
	db := filepath.Join(t.TempDir(), "login.db")
	// Seeded first, as `awapi seed` does: the demo project is then registered without knowing the port.
	if code, _, errOut := run(t, "seed", "--db", db, "--users", "20"); code != 0 {
		t.Fatal(errOut)
	}
	base, banner, stop := serveInProcess(t, db)
	defer stop()
	authorize := strings.TrimSpace(afterLine(banner, "or log in as SandboxClient"))
	u, err := url.Parse(authorize)
	if err != nil || !strings.HasPrefix(authorize, base+"/OAuth/Authorize?") {
		t.Fatalf("authorize URL %q (%v) is not on %s", authorize, err, base)
	}
	if got, want := u.Query().Get("redirect_uri"), base+"/OAuth/Callback"; got != want {
		t.Fatalf("authorize URL redirects to %q, want %q", got, want)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(authorize)
	if err != nil {
		t.Fatal(err)
	}
	page := readBody(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(page, `name="password"`) {
		t.Fatalf("authorize: %d\n%s", resp.StatusCode, page)
	}
	resp, page = submit(t, c, base, page, url.Values{"login": {"SandboxClient"}, "password": {SandboxPassword}})
	if resp.StatusCode != 200 || !strings.Contains(page, `value="approve"`) {
		t.Fatalf("login: %d\n%s", resp.StatusCode, page)
	}
	resp, page = submit(t, c, base, page, url.Values{"decision": {"approve"}})
	if resp.StatusCode != 200 || resp.Request.URL.Host != u.Host || resp.Request.URL.Path != "/OAuth/Callback" ||
		!strings.Contains(page, `id="code"`) {
		t.Fatalf("consent ended at %s with %d:\n%s", resp.Request.URL, resp.StatusCode, page)
	}
}

// serveInProcess runs serve on db on a free port and returns its base URL, banner and a stop function.
func serveInProcess(t *testing.T, db string) (string, string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0"},
			Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Clock: awapi.SystemClock{},
				Ready: func(base string) { ready <- base }})
	}()
	select {
	case base := <-ready:
		return base, out.String(), func() { cancel(); <-done }
	case code := <-done:
		cancel()
		t.Fatalf("serve exited %d: %s", code, errOut.String())
		return "", "", nil
	}
}

// TestVersionText reads the version and commit from the build information Go records.
func TestVersionText(t *testing.T) {
	const rev = "fcc680b7d8e3217889e25dd707621c5c2d4250e5"
	for _, tc := range []struct {
		name, info string
		want       []string
	}{
		{"git clone", "path\tgithub.com/awapi/awapi/cmd/awapi\nmod\tgithub.com/awapi/awapi\tv0.0.0-20261127051522-fcc680b7d8e3\t\n" +
			"build\tvcs=git\nbuild\tvcs.revision=" + rev + "\nbuild\tvcs.time=2026-11-27T05:15:22Z\nbuild\tvcs.modified=false\n",
			[]string{"awapi v0.0.0-20261127051522-fcc680b7d8e3\n", "commit: " + rev + "\n", "commit time: 2026-11-27T05:15:22Z\n"}},
		{"uncommitted changes", "path\tgithub.com/awapi/awapi/cmd/awapi\nmod\tgithub.com/awapi/awapi\tv0.0.0-20261127051522-fcc680b7d8e3+dirty\t\n" +
			"build\tvcs.revision=" + rev + "\nbuild\tvcs.modified=true\n",
			[]string{"awapi v0.0.0-20261127051522-fcc680b7d8e3+dirty\n", "commit: " + rev + " (with uncommitted changes)\n"}},
		{"release", "path\tgithub.com/awapi/awapi/cmd/awapi\nmod\tgithub.com/awapi/awapi\tv1.2.0\th1:abc=\n",
			[]string{"awapi v1.2.0\n", "commit: unknown"}},
		{"no version control", "path\tgithub.com/awapi/awapi/cmd/awapi\nmod\tgithub.com/awapi/awapi\t(devel)\t\n",
			[]string{"awapi (devel)\n", "commit: unknown (built without version control information"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bi, err := debug.ParseBuildInfo(tc.info)
			if err != nil {
				t.Fatal(err)
			}
			got := versionText(bi, true)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("version text\n%s\nlacks %q", got, w)
				}
			}
		})
	}
}

// TestVersionCommand checks that `awapi version` and `awapi --version` of a real build print what
// `go version -m` reads from the binary: its module version and, when built from a git clone, commit.
func TestVersionCommand(t *testing.T) {
	bin := awapiBinary(t)
	out, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	// `go version -m` prints "FILE: GOVERSION" and then the build information indented by a tab.
	first, rest, _ := strings.Cut(string(out), "\n")
	_, goVersion, _ := strings.Cut(first, ": ")
	bi, err := debug.ParseBuildInfo(strings.ReplaceAll(strings.TrimPrefix(rest, "\t"), "\n\t", "\n"))
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	bi.GoVersion = goVersion // ParseBuildInfo leaves it unset
	want := versionText(bi, true)
	if !strings.HasPrefix(want, "awapi "+bi.Main.Version+"\ncommit: ") {
		t.Fatalf("expected text %q", want)
	}
	for _, arg := range []string{"version", "--version"} {
		if code, got := runCmd(t, t.TempDir(), nil, bin, arg); code != 0 || got != want {
			t.Errorf("awapi %s exited %d:\n%s\nwant\n%s", arg, code, got, want)
		}
	}
}
