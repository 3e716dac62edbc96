package web

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/reftest"
)

// TestSandboxWarnsIgnoredParameters checks that a sandbox names, in one Warning header each, every
// query or body name the method does not bind (API key, format and a GM variant's UserID excepted),
// on successes and errors alike, and that production says nothing.
func TestSandboxWarnsIgnoredParameters(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	type aliasReq struct {
		GenderIDs []int `api:"alias=GenderID"`
	}
	alias := Handle(Endpoint{Method: "GET", Path: "/v1/Test/Alias", Auth: AuthKey},
		func(context.Context, *Call, *aliasReq) (Whoami, error) { return Whoami{}, nil })
	configure := func(cfg Config) {
		f.configure(cfg)
		f.srv.register(alias)
	}
	configure(Config{Sandbox: true})
	warning := func(name string) string { return `299 awapi "ignored parameter: ` + name + `"` }
	many := "/v1/Test/Regions?CountryID=158"
	var manyWant []string
	for i := range 25 {
		many += fmt.Sprintf("&x%02d=1", i)
		if i < maxWarnings {
			manyWant = append(manyWant, warning(fmt.Sprintf("x%02d", i)))
		}
	}
	manyWant = append(manyWant, `299 awapi "ignored 5 more parameters"`)
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		headers []string
		status  int
		want    []string
	}{
		{"query", "GET", "/v1/Test/Regions?CountryID=158&postcode=AB1&Radius=5&apiKey=" + f.Key + "&format=json", "", nil, 200,
			[]string{warning("postcode"), warning("radius")}},
		{"names in any case", "GET", "/v1/test/regions?countryId=158", "", f.WithKey(), 200, nil},
		{"alias", "GET", "/v1/Test/Alias?GenderID=1&GenderIDs=2&Gender=3", "", f.WithKey(), 200, []string{warning("gender")}},
		{"invalid input", "GET", "/v1/Test/Regions?CountryID=abc&postcode=AB1", "", f.WithKey(), 400, []string{warning("postcode")}},
		{"JSON body and query", "POST", "/v1/Test/Echo?Extra=1&Name=zz", `{"Name":"abc","Credits":1,"SessionDate":"2026-07-01 18:30","Bogus":true,"extra":2}`,
			f.Bearer("client"), 200, []string{warning("bogus"), warning("extra")}},
		{"form body", "POST", "/v1/Test/Echo", "Name=abc&Credits=1&SessionDate=2026-07-01+18:30&Radius=5",
			f.Bearer("client", "Content-Type", "application/x-www-form-urlencoded"), 200, []string{warning("radius")}},
		{"GM variant's UserID", "GET", "/v1/Groups/Test/Whoami?UserID=3&other=1", "", f.Bearer("manager"), 200, []string{warning("other")}},
		{"UserID elsewhere", "GET", "/v1/Test/Whoami?UserID=3", "", f.Bearer("client"), 200, []string{warning("userid")}},
		{"names are escaped", "GET", "/v1/Test/Regions?CountryID=158&a%22b%5C%0A%C3%A9=1", "", f.WithKey(), 200,
			[]string{warning(`a\"b\\%0A%C3%A9`)}},
		{"at most 20", "GET", many, "", f.WithKey(), 200, manyWant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.Do(tc.method, tc.target, tc.body, tc.headers...)
			apitest.WantStatus(t, w, tc.status)
			if got := w.Header().Values("Warning"); !slices.Equal(got, tc.want) {
				t.Fatalf("Warning = %q, want %q (status %d %s)", got, tc.want, w.Code, w.Body)
			}
		})
	}

	// A page on another origin can read the warnings.
	configure(Config{Sandbox: true, CORSOrigins: []string{"*"}})
	w := f.Do("GET", "/v1/Test/Regions?CountryID=158&postcode=AB1", "", f.WithKey("Origin", webOrigin)...)
	if !strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "Warning") || w.Header().Get("Warning") == "" {
		t.Fatalf("headers %v", w.Header())
	}

	// Production mode stays silent.
	configure(Config{})
	for _, tc := range tests {
		if w := f.Do(tc.method, tc.target, tc.body, tc.headers...); len(w.Header().Values("Warning")) != 0 {
			t.Errorf("%s: production answered Warning %q", tc.name, w.Header().Values("Warning"))
		}
	}
}

// TestDocsDescribeBrowserConventions checks that both reference documents tell developers about the
// sandbox's Warning headers, CORS and the camelCase rule.
func TestDocsDescribeBrowserConventions(t *testing.T) {
	s := newRefServer(t)
	doc, _ := reftest.OpenAPI(t, s)
	info, _ := reftest.At(doc, "info", "description").(string)
	page := html.UnescapeString(reftest.Get(t, s, "/docs").Body.String())
	for _, want := range []string{`Warning: 299 awapi "ignored parameter: postcode"`, "Access-Control-Allow-Origin",
		"any origin on a sandbox", "Warning`", "userID", "profileThumbnailURL"} {
		for name, text := range map[string]string{"openapi.json": info, "/docs": page} {
			text = strings.NewReplacer("<code>", "`", "</code>", "`").Replace(strings.Join(strings.Fields(text), " "))
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say %s", name, want)
			}
		}
	}
}
