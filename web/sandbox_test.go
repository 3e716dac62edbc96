package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestSandboxHelpers: a helper marked Sandbox is served and described only by a sandbox, under its
// own tag; a production server answers 404 and leaves it out of the reference; and the mark and the
// /v1/Sandbox/ path go together.
func TestSandboxHelpers(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	helper := func() *Endpoint {
		return Handle(Endpoint{Method: "POST", Path: "/v1/Sandbox/Test/Ring", Auth: AuthKey, Sandbox: true, Summary: "Rings."},
			func(context.Context, *Call, *noParams) (Whoami, error) { return Whoami{UserID: 99}, nil })
	}
	for _, tc := range []struct {
		sandbox bool
		status  int
	}{{true, http.StatusOK}, {false, http.StatusNotFound}} {
		f.configure(Config{Sandbox: tc.sandbox})
		f.srv.register(helper())
		if w := f.Do("POST", "/v1/Sandbox/Test/Ring?apiKey="+f.Key, ""); w.Code != tc.status {
			t.Errorf("sandbox %v: %d %s, want %d", tc.sandbox, w.Code, w.Body, tc.status)
		}
		openapi := f.Do("GET", "/openapi.json", "").Body.String()
		docs := f.Do("GET", "/docs", "").Body.String()
		described := strings.Contains(openapi, `"/v1/Sandbox/Test/Ring"`) && strings.Contains(openapi, `"x-sandbox": true`) &&
			strings.Contains(openapi, `"name": "Sandbox"`) && strings.Contains(docs, "sandbox only")
		if described != tc.sandbox || strings.Contains(openapi, "Sandbox/Test/Ring") != tc.sandbox {
			t.Errorf("sandbox %v: described %v", tc.sandbox, described)
		}
	}
	for _, bad := range []Endpoint{
		{Method: "POST", Path: "/v1/Sandbox/Test/Unmarked", Auth: AuthKey},
		{Method: "POST", Path: "/v1/Test/Marked", Auth: AuthKey, Sandbox: true},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s (Sandbox %v) was accepted", bad.Path, bad.Sandbox)
				}
			}()
			f.srv.register(Handle(bad, func(context.Context, *Call, *noParams) (Whoami, error) { return Whoami{}, nil }))
		}()
	}
}
