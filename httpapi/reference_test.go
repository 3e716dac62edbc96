package httpapi

import (
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/reftest"
	"github.com/awapi/awapi/web"
)

// The reference documents of the real areas: every endpoint is described, under its area, with
// sample requests that pass its rules and sample answers that fit its schema. How the documents are
// made is tested in package web.

func refAPI(t *testing.T) *web.Server {
	t.Helper()
	return NewAPI(nil, web.Config{})
}

// TestReferenceDescribesEveryEndpoint checks that each endpoint and method of every area has its
// operation, tagged with its area, and each Group-manager variant its own with a required UserID; that
// every $ref resolves; and that /docs shows every path.
func TestReferenceDescribesEveryEndpoint(t *testing.T) {
	s := refAPI(t)
	doc, _ := reftest.OpenAPI(t, s)
	ids := map[string]string{}
	checkOp := func(path, method string, e *web.Endpoint) map[string]any {
		t.Helper()
		op := reftest.Operation(t, doc, ids, path, method, e.Area())
		if op == nil {
			return nil
		}
		if e.Summary == "" || op["summary"] != e.Summary {
			t.Errorf("%s %s: summary = %v", method, path, op["summary"])
		}
		return op
	}
	for _, e := range s.Endpoints() {
		for _, m := range e.Methods() {
			checkOp(e.Path, m, e)
			if e.GM != web.WithGM {
				continue
			}
			if gm := checkOp(e.GMPath(), m, e); gm != nil && !reftest.RequiresUserID(gm, m != "GET") {
				t.Errorf("%s %s: no required UserID", m, e.GMPath())
			}
		}
	}
	reftest.CheckRefs(t, doc, doc, "")

	page := reftest.Get(t, s, "/docs").Body.String()
	for _, e := range s.Endpoints() {
		if !strings.Contains(page, "<code>"+e.Path+"</code>") {
			t.Errorf("/docs: no %s", e.Path)
		}
		if e.GM == web.WithGM && !strings.Contains(page, e.GMPath()) {
			t.Errorf("/docs: no GM path %s", e.GMPath())
		}
	}
	for id, want := range map[string][]string{
		"Lists.GetRegions": {`class="badge implied"`, "API key", "CountryID", "at least 1",
			`curl "$AWAPI_URL/v1/Lists/GetRegions?CountryID=1"`, `-H "X-ApiKey: $AWAPI_KEY"`, `"RegionName": "string"`},
		"Lists.GetCountries": {"ExcludeCountryIDs"},
	} {
		sec := reftest.DocSection(t, page, id)
		for _, w := range want {
			if !strings.Contains(sec, w) {
				t.Errorf("%s: missing %s in\n%s", id, w, sec)
			}
		}
	}
	if sec := reftest.DocSection(t, page, "Lists.GetCountries"); strings.Contains(sec, `class="badge implied"`) ||
		strings.Contains(sec, "?Exclude") {
		t.Errorf("GetCountries is documented, and its optional parameter stays out of the sample:\n%s", sec)
	}
}

// TestReferenceSamplesPassTheRules binds every endpoint's sample request through its parameter rules.
func TestReferenceSamplesPassTheRules(t *testing.T) {
	if err := refAPI(t).CheckSamples(); err != nil {
		t.Fatal(err)
	}
}

var samplePre = regexp.MustCompile(`(?s)<pre><code>(.*?)</code></pre>`)

// TestReferenceSamplesFitTheSchemas checks every endpoint's sample answer on /docs, which the encoder
// writes for a value with every member filled, against its schema in the OpenAPI document.
func TestReferenceSamplesFitTheSchemas(t *testing.T) {
	s := refAPI(t)
	doc, _ := reftest.OpenAPI(t, s)
	page := reftest.Get(t, s, "/docs").Body.String()
	samples := 0
	for _, e := range s.Endpoints() {
		m := e.Methods()[0]
		id, _ := reftest.At(doc, "paths", e.Path, strings.ToLower(m), "operationId").(string)
		start := strings.Index(page, `id="`+id+`"`)
		if id == "" || start < 0 {
			t.Errorf("%s %s: no section", m, e.Path)
			continue
		}
		sec := page[start : start+strings.Index(page[start:], "</section>")]
		pres := samplePre.FindAllStringSubmatch(sec, -1)
		if len(pres) < 2 {
			continue // the shape depends on the request
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(html.UnescapeString(pres[1][1]))))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s: the sample answer is not JSON: %v", e.Path, err)
			continue
		}
		schema := reftest.At(doc, "paths", e.Path, strings.ToLower(m), "responses", "200", "content", "application/json", "schema")
		if err := reftest.Conforms(doc, schema, v, "$"); err != nil {
			t.Errorf("%s: %v", e.Path, err)
		}
		samples++
	}
	if samples < len(s.Endpoints())-2 {
		t.Errorf("%d sample answers checked of %d endpoints", samples, len(s.Endpoints()))
	}
}
