// Package apitest is the test fixture of the HTTP packages (web, and httpapi over the real areas): a
// real store on one engine holding what every HTTP test starts from, the requests the tests send and
// the API's error body read back in either format.
package apitest

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// Now is the fixture clock's start.
var Now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// Fixture is a store with groups 1 and 2; members 1 (Client, in no group), 2 (Manager, managing
// group 1), 3 (MemberOne, in group 1) and 4 (MemberTwo, in group 2); the projects Main and Other; and
// tokens by name. Handler is the server under test, set by the test's own fixture.
type Fixture struct {
	T        *testing.T
	St       *sqlstore.DB
	Clock    *awapi.FakeClock
	Key      string // the main project's API key
	Secret   string
	OtherKey string            // another project's key
	Tokens   map[string]string // by name: client, noscope, manager, member, expired, other
	Handler  http.Handler
}

// New opens a store with open and fills it.
func New(t *testing.T, open func(testing.TB) *sqlstore.DB) *Fixture {
	t.Helper()
	ctx := context.Background()
	f := &Fixture{T: t, St: open(t), Clock: awapi.NewFakeClock(Now), Tokens: map[string]string{}}
	for _, g := range []awapi.Group{{GroupID: 1, GroupName: "One"}, {GroupID: 2, GroupName: "Two"}} {
		if _, err := f.St.CreateGroup(ctx, g); err != nil {
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
	if err := f.St.InsertMembers(ctx, members); err != nil {
		t.Fatal(err)
	}
	project := func(name string) (awapi.Project, string, string) {
		key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixAPISecret)
		p, err := f.St.CreateProject(ctx, awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key),
			APIKeyPrefix: key[:10], APISecretDigest: awapi.HashSecret(secret)})
		if err != nil {
			t.Fatal(err)
		}
		return p, key, secret
	}
	main, key, secret := project("Main")
	other, otherKey, _ := project("Other")
	f.Key, f.Secret, f.OtherKey = key, secret, otherKey
	mint := func(name string, user int64, p awapi.Project, ttl time.Duration, scopes ...awapi.Scope) {
		tok := awapi.NewSecret(awapi.PrefixAccessToken)
		if err := f.St.CreateAccessToken(ctx, awapi.HashSecret(tok), awapi.AccessToken{
			UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: Now.Add(ttl)}); err != nil {
			t.Fatal(err)
		}
		f.Tokens[name] = tok
	}
	mint("client", 1, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("noscope", 1, main, time.Hour)
	mint("manager", 2, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("member", 3, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("expired", 1, main, -time.Second, awapi.ScopeAccountWebcamBookings)
	mint("other", 1, other, time.Hour, awapi.ScopeAccountWebcamBookings)
	return f
}

// Mint issues a token for user on the main project with the given scopes.
func (f *Fixture) Mint(user int64, scopes ...awapi.Scope) string {
	f.T.Helper()
	p, _, err := f.St.ProjectByAPIKey(context.Background(), awapi.HashSecret(f.Key))
	if err != nil {
		f.T.Fatal(err)
	}
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := f.St.CreateAccessToken(context.Background(), awapi.HashSecret(tok), awapi.AccessToken{
		UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: f.Clock.Now().AddDate(1, 0, 0)}); err != nil {
		f.T.Fatal(err)
	}
	return tok
}

// Do sends one request through the Handler; headers are name/value pairs.
func (f *Fixture) Do(method, target, body string, headers ...string) *httptest.ResponseRecorder {
	f.T.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.Handler.ServeHTTP(w, req)
	return w
}

// WithKey is the main project's API key header, then extra headers.
func (f *Fixture) WithKey(extra ...string) []string {
	return append([]string{"X-ApiKey", f.Key}, extra...)
}

// Bearer is the named token's Authorization header, then extra headers.
func (f *Fixture) Bearer(name string, extra ...string) []string {
	return append([]string{"Authorization", "bearer " + f.Tokens[name]}, extra...)
}

// WireError is the error body read back from either format.
type WireError struct {
	Message    string
	Code       string
	ModelState map[string][]string
}

// ReadError decodes an error body in the format its Content-Type says.
func ReadError(t testing.TB, w *httptest.ResponseRecorder) WireError {
	t.Helper()
	var e WireError
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

// Formats are the two wire formats every convention is checked in.
var Formats = []struct {
	Name   string
	Accept string // the Accept header asking for it
	CType  string // the Content-Type of the answer
}{
	{"json", "application/json", "application/json; charset=utf-8"},
	{"xml", "application/xml", "application/xml; charset=utf-8"},
}

// WantStatus fails unless w has status.
func WantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body: %s", w.Code, status, w.Body)
	}
}
