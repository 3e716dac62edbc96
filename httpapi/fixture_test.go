package httpapi

import (
	"strconv"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/web"
)

// fixture is the API with every area over the shared fixture's store.
type fixture struct {
	*apitest.Fixture
	srv *web.Server

	userTokens map[int64]string  // per member, with the webcam and credits scopes (see call)
	lastError  apitest.WireError // the error of the last failed call
}

func newFixture(t *testing.T, open func(testing.TB) *sqlstore.DB) *fixture {
	t.Helper()
	f := &fixture{Fixture: apitest.New(t, open), userTokens: map[int64]string{}}
	f.srv = newAPI(f.St, web.Config{Location: testdb.London, Clock: f.Clock, MaxBodyBytes: 1 << 16}, profileTestEndpoint(f))
	f.Handler = f.srv
	return f
}

// forEngines runs fn against a fixture on every configured engine.
func forEngines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, newFixture(t, e.Open)) })
	}
}

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
	w := f.Do(method, target, body, "Authorization", "bearer "+tok, "Accept", "application/xml")
	if w.Code != 200 {
		t.Fatalf("XML %s: %d %s", target, w.Code, w.Body)
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("XML %s lacks %s:\n%s", target, s, w.Body)
		}
	}
}
