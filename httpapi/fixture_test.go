package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// fixture is the API over a real store with a project, members in two groups and tokens.
type fixture struct {
	t        *testing.T
	st       *sqlstore.DB
	srv      *web.Server
	clock    *awapi.FakeClock
	key      string // the main project's API key
	secret   string
	otherKey string            // another project's key
	tokens   map[string]string // by name: client, noscope, manager, member, expired, other

	userTokens map[int64]string // per member, with the webcam and credits scopes (see call)
	lastError  wireError        // the error of the last failed call
}

var fixtureNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, open func(testing.TB) *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: open(t), clock: awapi.NewFakeClock(fixtureNow), tokens: map[string]string{}, userTokens: map[int64]string{}}
	f.srv = newAPI(f.st, web.Config{Location: testdb.London, Clock: f.clock, MaxBodyBytes: 1 << 16}, profileTestEndpoint(f))
	for _, g := range []awapi.Group{{GroupID: 1, GroupName: "One"}, {GroupID: 2, GroupName: "Two"}} {
		if _, err := f.st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	members := []awapi.Member{
		storetest.NewMember(1, "Client"), storetest.NewMember(2, "Manager"),
		storetest.NewMember(3, "MemberOne"), storetest.NewMember(4, "MemberTwo"),
	}
	members[1].GroupID, members[1].IsGroupManager = 1, true
	members[2].GroupID = 1
	members[3].GroupID = 2
	if err := f.st.InsertMembers(ctx, members); err != nil {
		t.Fatal(err)
	}
	project := func(name string) (awapi.Project, string, string) {
		key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixAPISecret)
		p, err := f.st.CreateProject(ctx, awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key),
			APIKeyPrefix: key[:10], APISecretDigest: awapi.HashSecret(secret)})
		if err != nil {
			t.Fatal(err)
		}
		return p, key, secret
	}
	main, key, secret := project("Main")
	other, otherKey, _ := project("Other")
	f.key, f.secret, f.otherKey = key, secret, otherKey
	mint := func(name string, user int64, p awapi.Project, ttl time.Duration, scopes ...awapi.Scope) {
		tok := awapi.NewSecret(awapi.PrefixAccessToken)
		if err := f.st.CreateAccessToken(ctx, awapi.HashSecret(tok), awapi.AccessToken{
			UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: fixtureNow.Add(ttl)}); err != nil {
			t.Fatal(err)
		}
		f.tokens[name] = tok
	}
	mint("client", 1, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("noscope", 1, main, time.Hour)
	mint("manager", 2, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("member", 3, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("expired", 1, main, -time.Second, awapi.ScopeAccountWebcamBookings)
	mint("other", 1, other, time.Hour, awapi.ScopeAccountWebcamBookings)
	return f
}

// mint issues a token for user on the main project with the given scopes.
func (f *fixture) mint(user int64, scopes ...awapi.Scope) string {
	f.t.Helper()
	p, _, err := f.st.ProjectByAPIKey(context.Background(), awapi.HashSecret(f.key))
	if err != nil {
		f.t.Fatal(err)
	}
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := f.st.CreateAccessToken(context.Background(), awapi.HashSecret(tok), awapi.AccessToken{
		UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: f.clock.Now().AddDate(1, 0, 0)}); err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// do sends one request through the server; headers are name/value pairs.
func (f *fixture) do(method, target, body string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func (f *fixture) withKey(extra ...string) []string {
	return append([]string{"X-ApiKey", f.key}, extra...)
}

func (f *fixture) bearer(name string, extra ...string) []string {
	return append([]string{"Authorization", "bearer " + f.tokens[name]}, extra...)
}

// wireError is the error body read back from either format.
type wireError struct {
	Message    string
	Code       string
	ModelState map[string][]string
}

// readError decodes an error body in the format its Content-Type says.
func readError(t *testing.T, w *httptest.ResponseRecorder) wireError {
	t.Helper()
	var e wireError
	ct := w.Header().Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatalf("error body is not JSON: %v\n%s", err, w.Body)
		}
	case strings.HasPrefix(ct, "application/xml"), strings.HasPrefix(ct, "text/xml"):
		var x struct {
			XMLName    xml.Name `xml:"Error"`
			Message    string
			Code       string
			ModelState struct {
				Fields []struct {
					XMLName xml.Name
					Text    string `xml:",chardata"`
				} `xml:",any"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("error body is not XML: %v\n%s", err, w.Body)
		}
		e.Message, e.Code = x.Message, x.Code
		for _, fld := range x.ModelState.Fields {
			if e.ModelState == nil {
				e.ModelState = map[string][]string{}
			}
			e.ModelState[fld.XMLName.Local] = append(e.ModelState[fld.XMLName.Local], fld.Text)
		}
	default:
		t.Fatalf("error answered with Content-Type %q", ct)
	}
	return e
}

// formats are the two wire formats every convention is checked in.
var formats = []struct {
	name   string
	accept string
	ctype  string
}{
	{"json", "application/json", "application/json; charset=utf-8"},
	{"xml", "application/xml", "application/xml; charset=utf-8"},
}

// forEngines runs fn against a fixture on every configured engine.
func forEngines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, newFixture(t, e.Open)) })
	}
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body: %s", w.Code, status, w.Body)
	}
}

var _ = http.StatusOK

// testdbSQLite opens a fresh SQLite store; tests that are engine-independent use it alone.
var testdbSQLite = testdb.SQLite

func itoa(n int) string { return strconv.Itoa(n) }

// wantField checks that the last call failed with status and named field (or the code when field is "").
func wantField(t *testing.T, f *fixture, status, got int, field, code string) {
	t.Helper()
	if got != status {
		t.Fatalf("status %d, want %d (%+v)", got, status, f.lastError)
	}
	if field != "" && len(f.lastError.ModelState[field]) == 0 {
		t.Fatalf("error does not name %s: %+v", field, f.lastError)
	}
	if code != "" && f.lastError.Code != code {
		t.Fatalf("code %q, want %q (%+v)", f.lastError.Code, code, f.lastError)
	}
}

// xmlGet fetches target as XML with tok and checks the answer holds every want.
func xmlGet(t *testing.T, f *fixture, tok, method, target, body string, want ...string) {
	t.Helper()
	w := f.do(method, target, body, "Authorization", "bearer "+tok, "Accept", "application/xml")
	if w.Code != 200 {
		t.Fatalf("XML %s: %d %s", target, w.Code, w.Body)
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("XML %s lacks %s:\n%s", target, s, w.Body)
		}
	}
}
