package unifiedlogin

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/httpapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

func TestMain(m *testing.M) {
	// Argon2id at production cost would make the suite slow without testing anything more.
	awapi.PasswordParams = awapi.Argon2Params{Memory: 256, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

const (
	password    = "correct horse battery"
	appRedirect = "https://app.example/callback"
)

// fixture is the API server with the Unified Login mounted, over a real store, with members, a
// confidential client ("app"), a public browser client ("spa"), and an unrelated project ("other").
type fixture struct {
	t      *testing.T
	st     *sqlstore.DB
	clock  *awapi.FakeClock
	srv    *httptest.Server
	h      *Handler
	app    clientCreds
	spa    clientCreds
	other  clientCreds
	appKey string
	hashes *atomic.Int64 // password hashes evaluated, by every instance of the fixture
}

type clientCreds struct {
	id, secret string
	apiKey     string
	project    awapi.Project
}

var fixtureNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, open func(testing.TB) *sqlstore.DB) *fixture {
	t.Helper()
	return newFixtureWith(t, open, Config{})
}

// newFixtureWith is newFixture with the handler configured by cfg (its clock is the fixture's).
func newFixtureWith(t *testing.T, open func(testing.TB) *sqlstore.DB, cfg Config) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: open(t), clock: awapi.NewFakeClock(fixtureNow), hashes: new(atomic.Int64)}
	for i, nick := range []string{"Alice", "Bob", "Carol"} {
		m := storetest.NewMember(int64(i+1), nick)
		m.PasswordHash = awapi.HashPassword(password)
		if _, err := f.st.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	f.app = f.client("App", false, []string{appRedirect, "http://127.0.0.1:9999/cb"})
	f.spa = f.client("SPA", true, []string{"https://spa.example/"})
	f.other = f.client("Other", false, []string{"https://other.example/cb"})
	f.mount(cfg)
	return f
}

// narrowStore hides every method of the store but unifiedlogin.Store's.
type narrowStore struct{ Store }

// mount serves the API and the Unified Login on f.st, counting password hashes in f.hashes.
func (f *fixture) mount(cfg Config) {
	f.t.Helper()
	cfg.Clock = f.clock
	// The handler gets only its narrow Store, so every test here shows it needs no more.
	h, err := New(context.Background(), narrowStore{f.st}, cfg)
	if err != nil {
		f.t.Fatal(err)
	}
	h.verifyPassword = func(password, encoded string) bool {
		f.hashes.Add(1)
		return awapi.VerifyPassword(password, encoded)
	}
	f.h = h
	api := httpapi.NewAPI(f.st, web.Config{Location: testdb.London, Clock: f.clock})
	for pattern, fn := range h.Routes() {
		api.Handle(pattern, fn)
	}
	f.srv = httptest.NewServer(api)
	f.t.Cleanup(f.srv.Close)
}

// instances returns n server instances on one new database of the engine, each with its own
// connection pool, handler and listener, sharing the fixture's members, clients, clock and hash
// count: several processes behind a load balancer.
func instances(t *testing.T, engine string, n int, cfg Config) []*fixture {
	t.Helper()
	var dsn string
	switch engine {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "awapi.db")
	case "postgres":
		dsn = testdb.PostgresDSN(t)
	default:
		t.Fatalf("unknown engine %s", engine)
	}
	open := func(t testing.TB) *sqlstore.DB {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Location: testdb.London})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	first := newFixtureWith(t, open, cfg)
	out := []*fixture{first}
	for range n - 1 {
		f := *first
		f.st = open(t)
		f.mount(cfg)
		out = append(out, &f)
	}
	return out
}

// client registers a project with a client; origins are the web origins its pages call from (CORS).
func (f *fixture) client(name string, public bool, redirects []string, origins ...string) clientCreds {
	f.t.Helper()
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	c := clientCreds{id: awapi.NewSecret(awapi.PrefixClientID), apiKey: key}
	nc := awapi.NewClient{
		NewProject: awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:10],
			APISecretDigest: awapi.HashSecret(awapi.NewSecret(awapi.PrefixAPISecret)), Origins: origins},
		ClientID: c.id, RedirectURIs: redirects, Public: public,
		Scopes: awapi.ScopeSet{awapi.ScopeUserID, awapi.ScopeNickname, awapi.ScopeAccountInformation, awapi.ScopeAccountWebcamBookings},
	}
	if !public {
		c.secret = awapi.NewSecret(awapi.PrefixClientSecret)
		nc.ClientSecretDigest = awapi.HashSecret(c.secret)
	}
	cl, err := f.st.CreateClient(context.Background(), nc)
	if err != nil {
		f.t.Fatal(err)
	}
	c.project = cl.Project
	if name == "App" {
		f.appKey = key
	}
	return c
}

// browser is a user agent with its own cookies that does not follow redirects. When forwardedFor is
// set, every request carries it as X-Forwarded-For (the browser is behind a proxy on 127.0.0.1).
type browser struct {
	t            *testing.T
	f            *fixture
	c            *http.Client
	forwardedFor string
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: f.t, f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.f.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	p, err := b.tryPost(path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	return p
}

// tryPost is post for other goroutines than the test's: it returns the error instead of failing.
func (b *browser) tryPost(path string, form url.Values) (page, error) {
	req, _ := http.NewRequest("POST", b.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.try(req)
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	p, err := b.try(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return p
}

func (b *browser) try(req *http.Request) (page, error) {
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		return page{}, err
	}
	return read(b.t, resp), nil
}

func read(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(body), location: resp.Header.Get("Location"), header: resp.Header}
}

var inputRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hidden returns a page's hidden form fields.
func (p page) hidden() url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(p.body, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

// authorizeQuery builds an authorization request.
func authorizeQuery(clientID, responseType, redirect, scope string, extra ...string) string {
	q := url.Values{"response_type": {responseType}, "client_id": {clientID}, "scope": {scope}, "state": {"xyz"}}
	if redirect != "" {
		q.Set("redirect_uri", redirect)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return "/OAuth/Authorize?" + q.Encode()
}

// signIn runs the login form and returns the consent page.
func (b *browser) signIn(authorize, login, pw string) page {
	b.t.Helper()
	p := b.get(authorize)
	if p.status != 200 {
		b.t.Fatalf("authorize page: %d %s", p.status, p.body)
	}
	form := p.hidden()
	form.Set("login", login)
	form.Set("password", pw)
	return b.post("/OAuth/Authorize", form)
}

// approve runs the whole browser side and returns the redirect the client receives.
func (b *browser) approve(authorize string) *url.URL {
	b.t.Helper()
	consent := b.signIn(authorize, "alice", password)
	if consent.status != 200 || !strings.Contains(consent.body, `id="approve"`) {
		b.t.Fatalf("consent page: %d %s", consent.status, consent.body)
	}
	form := consent.hidden()
	form.Set("decision", "approve")
	p := b.post("/OAuth/Authorize/Consent", form)
	if p.status != http.StatusFound {
		b.t.Fatalf("consent answer: %d %s", p.status, p.body)
	}
	u, err := url.Parse(p.location)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

func pkcePair() (verifier, challenge string) {
	verifier = strings.Repeat("v", 20) + awapi.NewSecret("")[:30]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// tokenCall posts to the token endpoint, authenticating in the body unless basic is set.
func (f *fixture) tokenCall(form url.Values, basic *clientCreds) (int, map[string]any, http.Header) {
	f.t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+"/OAuth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic != nil {
		req.SetBasicAuth(url.QueryEscape(basic.id), url.QueryEscape(basic.secret))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if resp.StatusCode != 200 || resp.ContentLength != 0 {
		_ = json.NewDecoder(resp.Body).Decode(&out)
	}
	return resp.StatusCode, out, resp.Header
}

func (f *fixture) exchange(c clientCreds, code, redirect, verifier string) (int, map[string]any) {
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "client_id": {c.id}}
	if c.secret != "" {
		form.Set("client_secret", c.secret)
	}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	status, out, _ := f.tokenCall(form, nil)
	return status, out
}

func (f *fixture) refresh(c clientCreds, refresh, scope string) (int, map[string]any) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {c.id}, "client_secret": {c.secret}}
	if scope != "" {
		form.Set("scope", scope)
	}
	status, out, _ := f.tokenCall(form, nil)
	return status, out
}

// api calls an API method with a bearer token and returns the status.
func (f *fixture) api(path, token string, headers ...string) (int, string) {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	req.Header.Set("Authorization", "bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

var errNoRedirect = errors.New("no redirect")

func strconvItoa(n int64) string { return strconv.FormatInt(n, 10) }
