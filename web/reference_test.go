package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/reftest"
)

// Test-only endpoints covering what the reference documents must describe: a POST body, a bearer
// scope, a Group-manager variant, a GM-only method, a method answering GET and POST, and a nested
// response with a slice, pointers, credits, dates, a hidden and an optional member, and recursion.

type refBookReq struct {
	PerformerID int           `api:"required,min=1" doc:"The performer to book."`
	SessionDate time.Time     `api:"required,format=datetime" doc:"When the session starts."`
	Cost        awapi.Credits `api:"min=1" doc:"What the client offers."`
	Kind        string        `api:"enum=Video|Audio,default=Video"`
	Note        *string       `api:"maxlen=200"`
	ExtraIDs    []int         `api:"items=1-3,min=1"`
	Lines       []refLineReq
}

type refLineReq struct {
	Label string
	When  time.Time
}

type RefBookingOutput struct {
	BookingID int64
	Cost      awapi.Credits
	CreatedAt time.Time
	Performer *RefPerson
	Items     []RefItem
	Secret    string  `wire:"-"`
	Email     *string `wire:"omitempty"`
	Previous  *RefBookingOutput
	Extra     any
}

type RefPerson struct {
	UserID   int64
	Nickname string
}

type RefItem struct {
	Name  string
	Price awapi.Credits
	Tags  []string
	Notes map[string][]string
}

type refFindReq struct {
	Kind string     `api:"required,enum=Video|Audio" doc:"What to find."`
	Page int        `api:"min=1,default=1"`
	Day  *time.Time `api:"format=ukdate"`
	At   *int       `api:"format=clock"`
}

const refScope = awapi.ScopeAccountWebcamBookings

func refEndpoints() []*Endpoint {
	return []*Endpoint{
		Handle(Endpoint{Method: "POST", Path: "/v1/RefTest/Book", Auth: AuthBearer, Scope: refScope, GM: WithGM,
			Summary: "Books a test session."},
			func(context.Context, *Call, *refBookReq) (RefBookingOutput, error) { return RefBookingOutput{}, nil }),
		Handle(Endpoint{Method: "GET POST", Path: "/v1/RefTest/Find", Auth: AuthKey, Implied: true, Summary: "Finds things."},
			func(context.Context, *Call, *refFindReq) (any, error) { return nil, nil }),
		Handle(Endpoint{Method: "GET", Path: "/v1/Groups/RefTest/Members", Auth: AuthKey, GM: GMOnly},
			func(context.Context, *Call, *noParams) ([]RefPerson, error) { return nil, nil }),
	}
}

// newRefServer serves the reference of the test endpoints (areas RefTest and Test).
func newRefServer(t *testing.T) *Server {
	t.Helper()
	return New(nil, Config{}, append(refEndpoints(), testEndpoints()...)...)
}

// keysInOrder lists the member names of the JSON object at path in raw, in document order.
func keysInOrder(t *testing.T, raw []byte, path ...string) []string {
	t.Helper()
	for _, p := range path {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("at %q: %v", p, err)
		}
		raw = m[p]
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%v is not an object", path)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestOpenAPIDescribesEveryEndpoint(t *testing.T) {
	s := newRefServer(t)
	doc, _ := reftest.OpenAPI(t, s)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	if reftest.At(doc, "info", "title") != "awapi — AdultWork-style API v1" || reftest.At(doc, "info", "version") != "1" {
		t.Errorf("info = %v", doc["info"])
	}
	if got := reftest.Compact(t, doc["servers"]); got != `[{"url":"/"}]` {
		t.Errorf("servers = %s", got)
	}
	for name, want := range map[string]string{
		"ApiKeyHeader": `"in":"header","name":"X-ApiKey","type":"apiKey"`,
		"ApiKeyQuery":  `"in":"query","name":"apiKey","type":"apiKey"`,
		"Bearer":       `"scheme":"bearer","type":"http"`,
	} {
		if got := reftest.Compact(t, reftest.At(doc, "components", "securitySchemes", name)); !strings.Contains(got, want) {
			t.Errorf("securitySchemes.%s = %s, want %s", name, got, want)
		}
	}

	ids := map[string]string{}
	checkOp := func(path, method string, e *Endpoint) map[string]any {
		t.Helper()
		op := reftest.Operation(t, doc, ids, path, method, e.Area())
		if op == nil {
			return nil
		}
		if e.Summary != "" && op["summary"] != e.Summary {
			t.Errorf("%s %s: summary = %v", method, path, op["summary"])
		}
		if implied, _ := op["x-implied"].(bool); implied != e.Implied {
			t.Errorf("%s %s: x-implied = %v, want %v", method, path, op["x-implied"], e.Implied)
		}
		if e.Implied && !strings.Contains(fmt.Sprint(op["description"]), "Implied") {
			t.Errorf("%s %s: description does not say implied: %v", method, path, op["description"])
		}
		for _, status := range []string{"200", "400", "404", "429"} {
			if reftest.At(op, "responses", status) == nil {
				t.Errorf("%s %s: no %s response", method, path, status)
			}
		}
		for _, media := range []string{"application/json", "application/xml"} {
			if reftest.At(op, "responses", "200", "content", media, "schema") == nil {
				t.Errorf("%s %s: no %s response schema", method, path, media)
			}
		}
		return op
	}
	for _, e := range s.Endpoints() {
		for _, m := range e.Methods() {
			op := checkOp(e.Path, m, e)
			if op == nil || e.GM != WithGM {
				continue
			}
			gm := checkOp(e.GMPath(), m, e)
			if gm == nil {
				continue
			}
			if want := "Groups." + op["operationId"].(string); gm["operationId"] != want {
				t.Errorf("GM operationId = %v, want %s", gm["operationId"], want)
			}
			if gm["x-group-manager"] != "variant" || !strings.Contains(fmt.Sprint(gm["description"]), "Group-manager variant") {
				t.Errorf("%s %s: not described as the Group-manager variant: %v", m, e.GMPath(), gm["description"])
			}
			if !reftest.RequiresUserID(gm, m != "GET") {
				t.Errorf("%s %s: no required UserID", m, e.GMPath())
			}
		}
	}
	if reftest.At(doc, "paths", "/v1/Groups/RefTest/Book", "post") == nil {
		t.Fatal("the test endpoint's GM path is missing")
	}
	if len(ids) < len(s.Endpoints()) {
		t.Errorf("%d operations for %d endpoints", len(ids), len(s.Endpoints()))
	}
	reftest.CheckRefs(t, doc, doc, "")
}

func TestOpenAPISecurity(t *testing.T) {
	doc, _ := reftest.OpenAPI(t, newRefServer(t))
	const anyKey = `[{"ApiKeyHeader":[]},{"ApiKeyQuery":[]},{"Bearer":[]}]`
	tests := []struct {
		path, method string
		security     string
		scope        any
		statuses     []string
	}{
		{"/v1/Test/List", "get", anyKey, nil, []string{"200", "400", "401", "403", "404", "409", "429", "431"}},
		{"/v1/RefTest/Find", "get", anyKey, nil, nil},
		{"/v1/RefTest/Find", "post", anyKey, nil, []string{"200", "400", "401", "403", "404", "409", "413", "415", "429", "431"}},
		{"/v1/RefTest/Book", "post", `[{"Bearer":["account_webcam_bookings"]}]`, "account_webcam_bookings",
			[]string{"200", "400", "401", "403", "404", "409", "413", "415", "429", "431"}},
		{"/v1/Groups/RefTest/Book", "post", `[{"Bearer":["account_webcam_bookings"]}]`, "account_webcam_bookings", nil},
		// Group-manager calls need the manager's token even where the key would do.
		{"/v1/Groups/RefTest/Members", "get", `[{"Bearer":[]}]`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+tt.path, func(t *testing.T) {
			op := reftest.At(doc, "paths", tt.path, tt.method)
			if op == nil {
				t.Fatal("missing")
			}
			if got := reftest.Compact(t, reftest.At(op, "security")); got != tt.security {
				t.Errorf("security = %s, want %s", got, tt.security)
			}
			if got := reftest.At(op, "x-scope"); got != tt.scope {
				t.Errorf("x-scope = %v, want %v", got, tt.scope)
			}
			if tt.statuses != nil {
				var got []string
				for k := range reftest.At(op, "responses").(map[string]any) {
					got = append(got, k)
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.statuses) {
					t.Errorf("responses = %v, want %v", got, tt.statuses)
				}
			}
		})
	}
	if got := reftest.At(doc, "paths", "/v1/Groups/RefTest/Members", "get", "x-group-manager"); got != "only" {
		t.Errorf("GM-only x-group-manager = %v", got)
	}
}

func TestOpenAPIRequestModels(t *testing.T) {
	doc, raw := reftest.OpenAPI(t, newRefServer(t))
	bodyPath := []string{"paths", "/v1/RefTest/Book", "post", "requestBody", "content", "application/json", "schema"}
	body := reftest.At(doc, bodyPath...)
	if reftest.At(doc, "paths", "/v1/RefTest/Book", "post", "requestBody", "required") != true {
		t.Error("requestBody not required")
	}
	if got, want := keysInOrder(t, raw, append(bodyPath, "properties")...),
		[]string{"PerformerID", "SessionDate", "Cost", "Kind", "Note", "ExtraIDs", "Lines"}; !slices.Equal(got, want) {
		t.Errorf("body properties = %v, want %v (declared order)", got, want)
	}
	if got := reftest.Compact(t, reftest.At(body, "required")); got != `["PerformerID","SessionDate"]` {
		t.Errorf("required = %s", got)
	}
	props := []struct {
		name string
		want []string // fragments of the compact schema
	}{
		{"PerformerID", []string{`"type":"integer"`, `"minimum":1`, `"description":"The performer to book."`}},
		{"SessionDate", []string{`"type":"string"`, `"pattern":`, `"examples":["2026-12-01 20:00"]`, `YYYY-MM-DD HH:MM`}},
		{"Cost", []string{`"type":"number"`, `"multipleOf":0.01`, `"minimum":1`}},
		{"Kind", []string{`"enum":["Video","Audio"]`, `"default":"Video"`}},
		{"Note", []string{`"type":"string"`, `"maxLength":200`}},
		{"ExtraIDs", []string{`"anyOf"`, `"maxItems":3`, `"minItems":1`, `"examples":["1,2"]`}},
		{"Lines", []string{`"type":"array"`, `"Label":{"type":"string"}`, `"When":{"format":"date-time","type":"string"}`}},
	}
	for _, p := range props {
		got := reftest.Compact(t, reftest.At(body, "properties", p.name))
		for _, w := range p.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s = %s, want it to contain %s", p.name, got, w)
			}
		}
	}
	gmBody := reftest.At(doc, "paths", "/v1/Groups/RefTest/Book", "post", "requestBody", "content", "application/json", "schema")
	if got := reftest.Compact(t, reftest.At(gmBody, "required")); got != `["PerformerID","SessionDate","UserID"]` {
		t.Errorf("GM required = %s", got)
	}

	// The GET form of a GET-and-POST method takes query parameters.
	params, _ := reftest.At(doc, "paths", "/v1/RefTest/Find", "get", "parameters").([]any)
	var names []string
	for _, p := range params {
		if reftest.At(p, "in") == "query" && reftest.At(p, "$ref") == nil {
			names = append(names, reftest.At(p, "name").(string))
		}
	}
	if !slices.Equal(names, []string{"Kind", "Page", "Day", "At"}) {
		t.Errorf("query parameters = %v", names)
	}
	for i, want := range []string{
		`{"description":"What to find. Matched case-insensitively.","in":"query","name":"Kind","required":true,"schema":{"enum":["Video","Audio"],"type":"string"}}`,
		`{"in":"query","name":"Page","schema":{"default":1,"format":"int32","minimum":1,"type":"integer"}}`,
		`{"description":"Format: dd-MM-yyyy.","in":"query","name":"Day","schema":{"examples":["01-12-2026"],"pattern":"^\\d{2}-\\d{2}-\\d{4}$","type":"string"}}`,
		`{"description":"Format: HH:mm.","in":"query","name":"At","schema":{"examples":["20:00"],"pattern":"^\\d{1,2}:\\d{2}$","type":"string"}}`,
	} {
		if got := reftest.Compact(t, params[i]); got != want {
			t.Errorf("parameter %d = %s\nwant %s", i, got, want)
		}
	}
	if reftest.At(doc, "paths", "/v1/RefTest/Find", "post", "requestBody") == nil {
		t.Error("the POST form of Find has no body")
	}
}

func TestOpenAPIResponseModels(t *testing.T) {
	doc, raw := reftest.OpenAPI(t, newRefServer(t))
	ok := reftest.At(doc, "paths", "/v1/RefTest/Book", "post", "responses", "200", "content")
	if got := reftest.At(ok, "application/json", "schema", "$ref"); got != "#/components/schemas/RefBookingOutput" {
		t.Fatalf("200 schema = %v", got)
	}
	if got := reftest.Compact(t, reftest.At(ok, "application/xml", "schema", "xml")); got !=
		`{"name":"RefBookingOutput","namespace":"http://schemas.datacontract.org/2004/07/API.Models.RefTest"}` {
		t.Errorf("xml = %s", got)
	}
	model := []string{"components", "schemas", "RefBookingOutput"}
	if got, want := keysInOrder(t, raw, append(model, "properties")...),
		[]string{"BookingID", "Cost", "CreatedAt", "Performer", "Items", "Email", "Previous", "Extra"}; !slices.Equal(got, want) {
		t.Errorf("properties = %v, want %v", got, want)
	}
	out := reftest.At(doc, model...)
	if got := reftest.Compact(t, reftest.At(out, "required")); got != `["BookingID","Cost","CreatedAt","Performer","Items","Previous","Extra"]` {
		t.Errorf("required = %s (Email is omitempty)", got)
	}
	for name, want := range map[string]string{
		"BookingID": `{"format":"int64","type":"integer"}`,
		"Cost":      `{"multipleOf":0.01,"type":"number"}`,
		"Performer": `{"anyOf":[{"$ref":"#/components/schemas/RefPerson"},{"type":"null"}]}`,
		"Items":     `{"items":{"$ref":"#/components/schemas/RefItem"},"type":"array"}`,
		"Previous":  `{"anyOf":[{"$ref":"#/components/schemas/RefBookingOutput"},{"type":"null"}]}`,
		"Extra":     `{"description":"The shape depends on the request."}`,
	} {
		if got := reftest.Compact(t, reftest.At(out, "properties", name)); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if got := reftest.Compact(t, reftest.At(out, "properties", "Email", "type")); got != `["string","null"]` {
		t.Errorf("Email type = %s", got)
	}
	date := reftest.At(out, "properties", "CreatedAt")
	pattern := regexp.MustCompile(reftest.At(date, "pattern").(string))
	for _, s := range []string{"2016-03-26T18:20:55.14", "2016-03-26T18:20:55", "0001-01-01T00:00:00"} {
		if !pattern.MatchString(s) {
			t.Errorf("date pattern rejects %s", s)
		}
	}
	if reftest.At(date, "type") != "string" || !strings.Contains(reftest.At(date, "description").(string), "2016-03-26T18:20:55.14") {
		t.Errorf("CreatedAt = %s", reftest.Compact(t, date))
	}
	if got := reftest.Compact(t, reftest.At(doc, "components", "schemas", "RefItem", "properties")); got !=
		`{"Name":{"type":"string"},"Notes":{"additionalProperties":{"items":{"type":"string"},"type":"array"},"type":"object"},"Price":{"multipleOf":0.01,"type":"number"},"Tags":{"items":{"type":"string"},"type":"array"}}` {
		t.Errorf("RefItem = %s", got)
	}
	if got := reftest.Compact(t, reftest.At(doc, "components", "schemas", "Error")); got !=
		`{"properties":{"Code":{"type":"string"},"Message":{"type":"string"},"ModelState":{"additionalProperties":{"items":{"type":"string"},"type":"array"},"description":"Present only when available to the caller (e.g. when the token grants the scope that reveals it).","type":"object"}},"required":["Message","Code"],"type":"object"}` {
		t.Errorf("Error = %s", got)
	}
	if got := reftest.At(doc, "components", "responses", "Conflict", "content", "application/json", "schema", "$ref"); got != "#/components/schemas/Error" {
		t.Errorf("Conflict schema = %v", got)
	}
	// A slice answer is an ArrayOf<Item> in XML.
	members := reftest.At(doc, "paths", "/v1/Groups/RefTest/Members", "get", "responses", "200", "content")
	if got := reftest.Compact(t, reftest.At(members, "application/json", "schema")); got != `{"items":{"$ref":"#/components/schemas/RefPerson"},"type":"array"}` {
		t.Errorf("Members schema = %s", got)
	}
	if got := reftest.At(members, "application/xml", "schema", "xml", "name"); got != "ArrayOfRefPerson" {
		t.Errorf("Members XML root = %v", got)
	}
	if got := reftest.Compact(t, reftest.At(doc, "paths", "/v1/RefTest/Find", "get", "responses", "200", "content", "application/json", "schema")); got !=
		`{"description":"The shape depends on the request."}` {
		t.Errorf("any answer = %s", got)
	}
}

// TestSchemasMatchEncoder checks every endpoint's response schema against what the encoder really
// writes for a filled value and for the zero value.
func TestSchemasMatchEncoder(t *testing.T) {
	s := newRefServer(t)
	doc, _ := reftest.OpenAPI(t, s)
	for _, e := range s.Endpoints() {
		rt := e.ResponseType()
		if rt.Kind() == reflect.Interface {
			continue
		}
		schema := reftest.At(doc, "paths", e.Path, strings.ToLower(e.Methods()[0]), "responses", "200", "content", "application/json", "schema")
		filled := reflect.New(rt).Elem()
		fillSample(filled, map[reflect.Type]bool{})
		for name, v := range map[string]reflect.Value{"filled": filled, "zero": reflect.New(rt).Elem()} {
			enc := &encoder{opts: encOptions{loc: time.UTC}}
			jsonEncoder(rt)(enc, v, false)
			dec := json.NewDecoder(bytes.NewReader(enc.buf))
			dec.UseNumber()
			var got any
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("%s %s: %v", e.Path, name, err)
			}
			if err := reftest.Conforms(doc, schema, got, "$"); err != nil {
				t.Errorf("%s (%s value): %v\n%s", e.Path, name, err, enc.buf)
			}
		}
	}
}

func TestReferenceDeterministic(t *testing.T) {
	for _, target := range []string{"/openapi.json", "/docs"} {
		t.Run(target, func(t *testing.T) {
			s := newRefServer(t)
			first := reftest.Get(t, s, target)
			second := reftest.Get(t, s, target)
			other := reftest.Get(t, newRefServer(t), target)
			if first.Code != http.StatusOK || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
				!bytes.Equal(first.Body.Bytes(), other.Body.Bytes()) {
				t.Fatal("the document differs between requests or servers")
			}
			etag := first.Header().Get("ETag")
			if etag == "" || other.Header().Get("ETag") != etag {
				t.Fatalf("ETag = %q, %q", etag, other.Header().Get("ETag"))
			}
			if w := reftest.Get(t, s, target, "If-None-Match", etag); w.Code != http.StatusNotModified {
				t.Errorf("If-None-Match = %d, want 304", w.Code)
			}
		})
	}
}

func TestReferenceFollowsLateRegistration(t *testing.T) {
	s := newRefServer(t)
	for _, target := range []string{"/openapi.json", "/docs"} {
		if w := reftest.Get(t, s, target); strings.Contains(w.Body.String(), "/v1/RefTest/Late") {
			t.Fatalf("%s: endpoint listed before it exists", target)
		}
	}
	s.register(Handle(Endpoint{Method: "GET", Path: "/v1/RefTest/Late", Auth: AuthNone},
		func(context.Context, *Call, *noParams) (RefPerson, error) { return RefPerson{}, nil }))
	for _, target := range []string{"/openapi.json", "/docs"} {
		if w := reftest.Get(t, s, target); !strings.Contains(w.Body.String(), "/v1/RefTest/Late") {
			t.Errorf("%s: endpoint registered after the first request is missing", target)
		}
	}
	doc, _ := reftest.OpenAPI(t, s)
	op := reftest.At(doc, "paths", "/v1/RefTest/Late", "get")
	if reftest.At(op, "security") != nil || reftest.At(op, "responses", "401") != nil {
		t.Errorf("an AuthNone method is documented with auth: %s", reftest.Compact(t, op))
	}
}

var externalAsset = regexp.MustCompile(`(?i)<script|<link|<img|<iframe|<object|@import|url\(|(src|href)\s*=\s*["']?\s*(https?:)?//`)

func TestDocsPage(t *testing.T) {
	s := newRefServer(t)
	w := reftest.Get(t, s, "/docs")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /docs = %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	page := w.Body.String()
	text := html.UnescapeString(page)
	for _, e := range s.Endpoints() {
		if !strings.Contains(page, "<code>"+e.Path+"</code>") {
			t.Errorf("no %s", e.Path)
		}
		if e.GM == WithGM && !strings.Contains(page, e.GMPath()) {
			t.Errorf("no GM path %s", e.GMPath())
		}
	}
	if m := externalAsset.FindString(page); m != "" {
		t.Errorf("the page references an external asset or script: %q", m)
	}
	for _, want := range []string{`href="/openapi.json"`, "X-ApiKey", "apiKey", "X-CaseType: camelcase", "X-MaskImages",
		"Accept: application/xml", `{"Message"`, `"ModelState"`, `name="viewport"`} {
		if !strings.Contains(text, want) {
			t.Errorf("the introduction does not mention %s", want)
		}
	}
	// Every in-page link has its target.
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(page, `id="`+m[1]+`"`) {
			t.Errorf("link to #%s has no target", m[1])
		}
	}
	// Areas in alphabetical order.
	if ref, test := strings.Index(page, `id="area-RefTest"`), strings.Index(page, `id="area-Test"`); ref < 0 || test < ref {
		t.Errorf("areas out of order: RefTest at %d, Test at %d", ref, test)
	}

	tests := []struct {
		id      string
		want    []string
		notWant []string
	}{
		{"Test.Regions", []string{`class="badge implied"`, "API key", "CountryID", "at least 1", "ExcludeRegionIDs",
			`curl "$AWAPI_URL/v1/Test/Regions?CountryID=1"`, `-H "X-ApiKey: $AWAPI_KEY"`, `"RegionName": "string"`},
			[]string{"Exclude="}},
		{"Test.List", []string{"API key", `"ItemName": "string"`}, []string{`class="badge implied"`, "List?"}},
		{"RefTest.Book", []string{"/v1/Groups/RefTest/Book", "account_webcam_bookings", scopeDescription(refScope),
			"bearer token", `-H "Authorization: bearer $AWAPI_TOKEN"`, `-H "Content-Type: application/json"`,
			`"PerformerID": 1`, `"SessionDate": "2026-12-01 20:00"`, `"Cost": 10.00`, `"Kind": "Video"`,
			"between 1 and 3", "one of Video, Audio", "default Video", "at most 200 characters", "array of objects",
			`"Cost": 12.50`, `"CreatedAt": "2016-03-26T18:20:55.14"`, `"Previous": null`, `"Extra": null`},
			[]string{`"Secret"`, `class="badge implied"`}},
		{"RefTest.Find", []string{`class="badge implied"`, "GET", "POST", `Find?Kind=Video"`, "depends on the request"}, nil},
		{"Groups.RefTest.Members", []string{"group managers only", `-H "Authorization: bearer $AWAPI_TOKEN"`, "ArrayOfRefPerson"},
			[]string{"X-ApiKey: $AWAPI_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			sec := reftest.DocSection(t, page, tt.id)
			for _, w := range tt.want {
				if !strings.Contains(sec, w) {
					t.Errorf("missing %s in\n%s", w, sec)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(sec, w) {
					t.Errorf("unexpected %s in\n%s", w, sec)
				}
			}
		})
	}
}

// TestSampleRequestsPassTheRules binds every sample request through the parameter rules (the
// per-field ones; cross-field Validate rules are the endpoints' own business), and checks that the
// check fails for rules the samples cannot meet.
func TestSampleRequestsPassTheRules(t *testing.T) {
	if err := newRefServer(t).CheckSamples(); err != nil {
		t.Fatal(err)
	}
	type longReq struct {
		Code string `api:"required,minlen=10"`
	}
	s := New(nil, Config{}, Handle(Endpoint{Method: "POST", Path: "/v1/RefTest/Long", Auth: AuthKey},
		func(context.Context, *Call, *longReq) (RefPerson, error) { return RefPerson{}, nil }))
	if err := s.CheckSamples(); err == nil || !strings.Contains(err.Error(), "POST /v1/RefTest/Long: the sample's Code=example") {
		t.Fatalf("CheckSamples = %v, want the sample Code refused", err)
	}
}

// TestReferenceEdgeStatuses checks that both reference documents name the statuses the edges of the
// server answer (405 wrong verb with Allow, 415 body type, 431 headers too large) and that XML comes
// back as text/xml when Accept asks for text/xml.
func TestReferenceEdgeStatuses(t *testing.T) {
	s := newRefServer(t)
	doc, _ := reftest.OpenAPI(t, s)
	description := fmt.Sprint(reftest.At(doc, "info", "description"))
	for _, want := range []string{"405", "`Allow`", "The requested resource does not support http method", "415", "431",
		"`Content-Type: text/xml`"} {
		if !strings.Contains(description, want) {
			t.Errorf("the OpenAPI description does not mention %s", want)
		}
	}
	for name, header := range map[string]string{"MethodNotAllowed": "Allow", "UnsupportedMediaType": "", "HeaderFieldsTooLarge": ""} {
		resp := reftest.At(doc, "components", "responses", name)
		if resp == nil {
			t.Errorf("no response component %s", name)
			continue
		}
		if header != "" && reftest.At(resp, "headers", header) == nil {
			t.Errorf("%s does not describe the %s header", name, header)
		}
	}
	for _, media := range []string{"application/json", "application/xml", "text/xml"} {
		if reftest.At(doc, "components", "responses", "BadRequest", "content", media, "schema") == nil {
			t.Errorf("errors have no %s schema", media)
		}
	}
	for _, e := range s.Endpoints() {
		for _, m := range e.Methods() {
			op := reftest.At(doc, "paths", e.Path, strings.ToLower(m))
			if reftest.At(op, "responses", "200", "content", "text/xml", "schema") == nil {
				t.Errorf("%s %s: no text/xml answer", m, e.Path)
			}
			if reftest.At(op, "responses", "431") == nil {
				t.Errorf("%s %s: no 431", m, e.Path)
			}
			if got := reftest.At(op, "responses", "415") != nil; got != hasBody(m) {
				t.Errorf("%s %s: 415 listed %v, want %v", m, e.Path, got, hasBody(m))
			}
		}
	}
	page := html.UnescapeString(reftest.Get(t, s, "/docs").Body.String())
	for _, want := range []string{"405", "Allow", "The requested resource does not support http method", "415", "431",
		"Content-Type: text/xml"} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs does not mention %s", want)
		}
	}
}
