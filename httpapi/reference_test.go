package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
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

func newRefServer(t *testing.T) *Server {
	t.Helper()
	s := NewAPI(nil, Config{})
	for _, e := range refEndpoints() {
		s.register(e)
	}
	return s
}

func refGet(t *testing.T, s *Server, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// openAPIDoc fetches and decodes the document; numbers stay json.Number.
func openAPIDoc(t *testing.T, s *Server) (map[string]any, []byte) {
	t.Helper()
	w := refGet(t, s, "/openapi.json")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json = %d: %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("/openapi.json is not JSON: %v", err)
	}
	return doc, w.Body.Bytes()
}

// at walks maps by key and arrays by index; nil when a step is missing.
func at(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func compact(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
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
	doc, _ := openAPIDoc(t, s)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	if at(doc, "info", "title") != "awapi — AdultWork-style API v1" || at(doc, "info", "version") != "1" {
		t.Errorf("info = %v", doc["info"])
	}
	if got := compact(t, doc["servers"]); got != `[{"url":"/"}]` {
		t.Errorf("servers = %s", got)
	}
	for name, want := range map[string]string{
		"ApiKeyHeader": `"in":"header","name":"X-ApiKey","type":"apiKey"`,
		"ApiKeyQuery":  `"in":"query","name":"apiKey","type":"apiKey"`,
		"Bearer":       `"scheme":"bearer","type":"http"`,
	} {
		if got := compact(t, at(doc, "components", "securitySchemes", name)); !strings.Contains(got, want) {
			t.Errorf("securitySchemes.%s = %s, want %s", name, got, want)
		}
	}

	ids := map[string]string{}
	checkOp := func(path, method string, e *Endpoint) map[string]any {
		t.Helper()
		op, _ := at(doc, "paths", path, strings.ToLower(method)).(map[string]any)
		if op == nil {
			t.Errorf("no operation %s %s", method, path)
			return nil
		}
		id, _ := op["operationId"].(string)
		if prev, dup := ids[id]; dup || id == "" {
			t.Errorf("%s %s: operationId %q empty or also used by %s", method, path, id, prev)
		}
		ids[id] = method + " " + path
		if got := compact(t, op["tags"]); got != compact(t, []string{e.Area()}) {
			t.Errorf("%s %s: tags = %s, want [%s]", method, path, got, e.Area())
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
			if at(op, "responses", status) == nil {
				t.Errorf("%s %s: no %s response", method, path, status)
			}
		}
		for _, media := range []string{"application/json", "application/xml"} {
			if at(op, "responses", "200", "content", media, "schema") == nil {
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
			if !gmHasRequiredUserID(gm, m) {
				t.Errorf("%s %s: no required UserID", m, e.GMPath())
			}
		}
	}
	if at(doc, "paths", "/v1/Groups/RefTest/Book", "post") == nil {
		t.Fatal("the test endpoint's GM path is missing")
	}
	if len(ids) < len(s.Endpoints()) {
		t.Errorf("%d operations for %d endpoints", len(ids), len(s.Endpoints()))
	}
	checkRefs(t, doc, doc, "")
}

func gmHasRequiredUserID(op map[string]any, method string) bool {
	if hasBody(method) {
		schema := at(op, "requestBody", "content", "application/json", "schema")
		req, _ := at(schema, "required").([]any)
		return at(schema, "properties", "UserID", "type") == "integer" && slices.Contains(req, any("UserID"))
	}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		if at(p, "name") == "UserID" && at(p, "in") == "query" && at(p, "required") == true && at(p, "schema", "type") == "integer" {
			return true
		}
	}
	return false
}

// checkRefs fails on any $ref that does not resolve inside the document.
func checkRefs(t *testing.T, doc, v any, where string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if !strings.HasPrefix(ref, "#/") || at(doc, strings.Split(ref[2:], "/")...) == nil {
				t.Errorf("%s: $ref %q does not resolve", where, ref)
			}
		}
		for k, c := range x {
			checkRefs(t, doc, c, where+"/"+k)
		}
	case []any:
		for i, c := range x {
			checkRefs(t, doc, c, where+"/"+strconv.Itoa(i))
		}
	}
}

func TestOpenAPISecurity(t *testing.T) {
	doc, _ := openAPIDoc(t, newRefServer(t))
	const anyKey = `[{"ApiKeyHeader":[]},{"ApiKeyQuery":[]},{"Bearer":[]}]`
	tests := []struct {
		path, method string
		security     string
		scope        any
		statuses     []string
	}{
		{"/v1/Lists/GetCountries", "get", anyKey, nil, []string{"200", "400", "401", "403", "404", "409", "429", "431"}},
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
			op := at(doc, "paths", tt.path, tt.method)
			if op == nil {
				t.Fatal("missing")
			}
			if got := compact(t, at(op, "security")); got != tt.security {
				t.Errorf("security = %s, want %s", got, tt.security)
			}
			if got := at(op, "x-scope"); got != tt.scope {
				t.Errorf("x-scope = %v, want %v", got, tt.scope)
			}
			if tt.statuses != nil {
				var got []string
				for k := range at(op, "responses").(map[string]any) {
					got = append(got, k)
				}
				slices.Sort(got)
				if !slices.Equal(got, tt.statuses) {
					t.Errorf("responses = %v, want %v", got, tt.statuses)
				}
			}
		})
	}
	if got := at(doc, "paths", "/v1/Groups/RefTest/Members", "get", "x-group-manager"); got != "only" {
		t.Errorf("GM-only x-group-manager = %v", got)
	}
}

func TestOpenAPIRequestModels(t *testing.T) {
	doc, raw := openAPIDoc(t, newRefServer(t))
	bodyPath := []string{"paths", "/v1/RefTest/Book", "post", "requestBody", "content", "application/json", "schema"}
	body := at(doc, bodyPath...)
	if at(doc, "paths", "/v1/RefTest/Book", "post", "requestBody", "required") != true {
		t.Error("requestBody not required")
	}
	if got, want := keysInOrder(t, raw, append(bodyPath, "properties")...),
		[]string{"PerformerID", "SessionDate", "Cost", "Kind", "Note", "ExtraIDs", "Lines"}; !slices.Equal(got, want) {
		t.Errorf("body properties = %v, want %v (declared order)", got, want)
	}
	if got := compact(t, at(body, "required")); got != `["PerformerID","SessionDate"]` {
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
		got := compact(t, at(body, "properties", p.name))
		for _, w := range p.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s = %s, want it to contain %s", p.name, got, w)
			}
		}
	}
	gmBody := at(doc, "paths", "/v1/Groups/RefTest/Book", "post", "requestBody", "content", "application/json", "schema")
	if got := compact(t, at(gmBody, "required")); got != `["PerformerID","SessionDate","UserID"]` {
		t.Errorf("GM required = %s", got)
	}

	// The GET form of a GET-and-POST method takes query parameters.
	params, _ := at(doc, "paths", "/v1/RefTest/Find", "get", "parameters").([]any)
	var names []string
	for _, p := range params {
		if at(p, "in") == "query" && at(p, "$ref") == nil {
			names = append(names, at(p, "name").(string))
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
		if got := compact(t, params[i]); got != want {
			t.Errorf("parameter %d = %s\nwant %s", i, got, want)
		}
	}
	if at(doc, "paths", "/v1/RefTest/Find", "post", "requestBody") == nil {
		t.Error("the POST form of Find has no body")
	}
}

func TestOpenAPIResponseModels(t *testing.T) {
	doc, raw := openAPIDoc(t, newRefServer(t))
	ok := at(doc, "paths", "/v1/RefTest/Book", "post", "responses", "200", "content")
	if got := at(ok, "application/json", "schema", "$ref"); got != "#/components/schemas/RefBookingOutput" {
		t.Fatalf("200 schema = %v", got)
	}
	if got := compact(t, at(ok, "application/xml", "schema", "xml")); got !=
		`{"name":"RefBookingOutput","namespace":"http://schemas.datacontract.org/2004/07/API.Models.RefTest"}` {
		t.Errorf("xml = %s", got)
	}
	model := []string{"components", "schemas", "RefBookingOutput"}
	if got, want := keysInOrder(t, raw, append(model, "properties")...),
		[]string{"BookingID", "Cost", "CreatedAt", "Performer", "Items", "Email", "Previous", "Extra"}; !slices.Equal(got, want) {
		t.Errorf("properties = %v, want %v", got, want)
	}
	out := at(doc, model...)
	if got := compact(t, at(out, "required")); got != `["BookingID","Cost","CreatedAt","Performer","Items","Previous","Extra"]` {
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
		if got := compact(t, at(out, "properties", name)); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if got := compact(t, at(out, "properties", "Email", "type")); got != `["string","null"]` {
		t.Errorf("Email type = %s", got)
	}
	date := at(out, "properties", "CreatedAt")
	pattern := regexp.MustCompile(at(date, "pattern").(string))
	for _, s := range []string{"2016-03-26T18:20:55.14", "2016-03-26T18:20:55", "0001-01-01T00:00:00"} {
		if !pattern.MatchString(s) {
			t.Errorf("date pattern rejects %s", s)
		}
	}
	if at(date, "type") != "string" || !strings.Contains(at(date, "description").(string), "2016-03-26T18:20:55.14") {
		t.Errorf("CreatedAt = %s", compact(t, date))
	}
	if got := compact(t, at(doc, "components", "schemas", "RefItem", "properties")); got !=
		`{"Name":{"type":"string"},"Notes":{"additionalProperties":{"items":{"type":"string"},"type":"array"},"type":"object"},"Price":{"multipleOf":0.01,"type":"number"},"Tags":{"items":{"type":"string"},"type":"array"}}` {
		t.Errorf("RefItem = %s", got)
	}
	if got := compact(t, at(doc, "components", "schemas", "Error")); got !=
		`{"properties":{"Code":{"type":"string"},"Message":{"type":"string"},"ModelState":{"additionalProperties":{"items":{"type":"string"},"type":"array"},"description":"Present only when available to the caller (e.g. when the token grants the scope that reveals it).","type":"object"}},"required":["Message","Code"],"type":"object"}` {
		t.Errorf("Error = %s", got)
	}
	if got := at(doc, "components", "responses", "Conflict", "content", "application/json", "schema", "$ref"); got != "#/components/schemas/Error" {
		t.Errorf("Conflict schema = %v", got)
	}
	// A slice answer is an ArrayOf<Item> in XML.
	members := at(doc, "paths", "/v1/Groups/RefTest/Members", "get", "responses", "200", "content")
	if got := compact(t, at(members, "application/json", "schema")); got != `{"items":{"$ref":"#/components/schemas/RefPerson"},"type":"array"}` {
		t.Errorf("Members schema = %s", got)
	}
	if got := at(members, "application/xml", "schema", "xml", "name"); got != "ArrayOfRefPerson" {
		t.Errorf("Members XML root = %v", got)
	}
	if got := compact(t, at(doc, "paths", "/v1/RefTest/Find", "get", "responses", "200", "content", "application/json", "schema")); got !=
		`{"description":"The shape depends on the request."}` {
		t.Errorf("any answer = %s", got)
	}
}

// TestSchemasMatchEncoder checks every endpoint's response schema against what the encoder really
// writes for a filled value and for the zero value.
func TestSchemasMatchEncoder(t *testing.T) {
	s := newRefServer(t)
	doc, _ := openAPIDoc(t, s)
	for _, e := range s.Endpoints() {
		rt := e.ResponseType()
		if rt.Kind() == reflect.Interface {
			continue
		}
		schema := at(doc, "paths", e.Path, strings.ToLower(e.Methods()[0]), "responses", "200", "content", "application/json", "schema")
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
			if err := conforms(doc, schema, got, "$"); err != nil {
				t.Errorf("%s (%s value): %v\n%s", e.Path, name, err, enc.buf)
			}
		}
	}
}

var twoDecimals = regexp.MustCompile(`^-?\d+\.\d\d$`)

// conforms is a small JSON Schema check covering the keywords the generator uses.
func conforms(doc, schema, v any, where string) error {
	s, _ := schema.(map[string]any)
	if s == nil {
		return fmt.Errorf("%s: no schema", where)
	}
	if ref, ok := s["$ref"].(string); ok {
		return conforms(doc, at(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...), v, where)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		var errs []string
		for _, a := range alts {
			err := conforms(doc, a, v, where)
			if err == nil {
				return nil
			}
			errs = append(errs, err.Error())
		}
		return fmt.Errorf("%s: no anyOf branch fits: %s", where, strings.Join(errs, "; "))
	}
	if typ, ok := s["type"]; ok {
		var types []string
		switch x := typ.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, t := range x {
				types = append(types, t.(string))
			}
		}
		if kind := jsonKind(v); !slices.Contains(types, kind) && !(kind == "integer" && slices.Contains(types, "number")) {
			return fmt.Errorf("%s: %v is %s, want %v", where, v, kind, types)
		}
	}
	switch x := v.(type) {
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			return fmt.Errorf("%s: %q does not match %s", where, x, p)
		}
	case json.Number:
		if _, ok := s["multipleOf"]; ok && !twoDecimals.MatchString(x.String()) {
			return fmt.Errorf("%s: %s is not written with two decimals", where, x)
		}
	case []any:
		for i, item := range x {
			if err := conforms(doc, s["items"], item, where+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for k, val := range x {
			sub, ok := props[k]
			if !ok {
				sub, ok = s["additionalProperties"]
			}
			if !ok {
				return fmt.Errorf("%s: member %s is not in the schema", where, k)
			}
			if err := conforms(doc, sub, val, where+"."+k); err != nil {
				return err
			}
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Errorf("%s: required member %s missing", where, r)
			}
		}
	}
	return nil
}

func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return "number"
		}
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func TestReferenceDeterministic(t *testing.T) {
	for _, target := range []string{"/openapi.json", "/docs"} {
		t.Run(target, func(t *testing.T) {
			s := newRefServer(t)
			first := refGet(t, s, target)
			second := refGet(t, s, target)
			other := refGet(t, newRefServer(t), target)
			if first.Code != http.StatusOK || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
				!bytes.Equal(first.Body.Bytes(), other.Body.Bytes()) {
				t.Fatal("the document differs between requests or servers")
			}
			etag := first.Header().Get("ETag")
			if etag == "" || other.Header().Get("ETag") != etag {
				t.Fatalf("ETag = %q, %q", etag, other.Header().Get("ETag"))
			}
			if w := refGet(t, s, target, "If-None-Match", etag); w.Code != http.StatusNotModified {
				t.Errorf("If-None-Match = %d, want 304", w.Code)
			}
		})
	}
}

func TestReferenceFollowsLateRegistration(t *testing.T) {
	s := newRefServer(t)
	for _, target := range []string{"/openapi.json", "/docs"} {
		if w := refGet(t, s, target); strings.Contains(w.Body.String(), "/v1/RefTest/Late") {
			t.Fatalf("%s: endpoint listed before it exists", target)
		}
	}
	s.register(Handle(Endpoint{Method: "GET", Path: "/v1/RefTest/Late", Auth: AuthNone},
		func(context.Context, *Call, *noParams) (RefPerson, error) { return RefPerson{}, nil }))
	for _, target := range []string{"/openapi.json", "/docs"} {
		if w := refGet(t, s, target); !strings.Contains(w.Body.String(), "/v1/RefTest/Late") {
			t.Errorf("%s: endpoint registered after the first request is missing", target)
		}
	}
	doc, _ := openAPIDoc(t, s)
	op := at(doc, "paths", "/v1/RefTest/Late", "get")
	if at(op, "security") != nil || at(op, "responses", "401") != nil {
		t.Errorf("an AuthNone method is documented with auth: %s", compact(t, op))
	}
}

// docSection returns the unescaped text of the element with the given id, up to its </section>.
func docSection(t *testing.T, page, id string) string {
	t.Helper()
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no section %s", id)
	}
	end := strings.Index(page[start:], "</section>")
	return html.UnescapeString(page[start : start+end])
}

var externalAsset = regexp.MustCompile(`(?i)<script|<link|<img|<iframe|<object|@import|url\(|(src|href)\s*=\s*["']?\s*(https?:)?//`)

func TestDocsPage(t *testing.T) {
	s := newRefServer(t)
	w := refGet(t, s, "/docs")
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
	if lists, ref := strings.Index(page, `id="area-Lists"`), strings.Index(page, `id="area-RefTest"`); lists < 0 || ref < lists {
		t.Errorf("areas out of order: Lists at %d, RefTest at %d", lists, ref)
	}

	tests := []struct {
		id      string
		want    []string
		notWant []string
	}{
		{"Lists.GetRegions", []string{`class="badge implied"`, "API key", "CountryID", "at least 1",
			`curl "$AWAPI_URL/v1/Lists/GetRegions?CountryID=1"`, `-H "X-ApiKey: $AWAPI_KEY"`, `"RegionName": "string"`}, nil},
		{"Lists.GetCountries", []string{"ExcludeCountryIDs", "no"}, []string{`class="badge implied"`, "?Exclude"}},
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
			sec := docSection(t, page, tt.id)
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

// TestSampleRequestsPassTheRules binds every sample request through the real parameter rules (the
// per-field ones; cross-field Validate rules are the endpoints' own business).
func TestSampleRequestsPassTheRules(t *testing.T) {
	s := newRefServer(t)
	c := &Call{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Loc: time.UTC}
	for _, e := range s.Endpoints() {
		for _, m := range e.Methods() {
			target, body := sampleRequest(e, m, paramFields(e))
			u, err := url.Parse(target)
			if err != nil {
				t.Fatalf("%s %s: %v", m, target, err)
			}
			src := &source{values: queryValues(u.RawQuery)}
			if body != nil {
				b, err := marshalJSON(body, false)
				if err != nil {
					t.Fatal(err)
				}
				if src.json, err = parseJSONBody(b); err != nil {
					t.Fatalf("%s %s: %v", m, e.Path, err)
				}
			}
			v := reflect.New(e.reqType).Elem()
			for i := range e.params {
				p := &e.params[i]
				text, raw, ok := src.lookup(p.keys)
				if !ok {
					if p.required {
						t.Errorf("%s %s: sample lacks required %s", m, e.Path, p.name)
					}
					continue
				}
				if err := p.set(fieldValue(v, p.index), text, raw, c); err != nil {
					t.Errorf("%s %s: sample %s=%s: %s", m, e.Path, p.name, text, err)
				}
			}
		}
	}
}

// TestReferenceEdgeStatuses checks that both reference documents name the statuses the edges of the
// server answer (405 wrong verb with Allow, 415 body type, 431 headers too large) and that XML comes
// back as text/xml when Accept asks for text/xml.
func TestReferenceEdgeStatuses(t *testing.T) {
	s := newRefServer(t)
	doc, _ := openAPIDoc(t, s)
	description := fmt.Sprint(at(doc, "info", "description"))
	for _, want := range []string{"405", "`Allow`", "The requested resource does not support http method", "415", "431",
		"`Content-Type: text/xml`"} {
		if !strings.Contains(description, want) {
			t.Errorf("the OpenAPI description does not mention %s", want)
		}
	}
	for name, header := range map[string]string{"MethodNotAllowed": "Allow", "UnsupportedMediaType": "", "HeaderFieldsTooLarge": ""} {
		resp := at(doc, "components", "responses", name)
		if resp == nil {
			t.Errorf("no response component %s", name)
			continue
		}
		if header != "" && at(resp, "headers", header) == nil {
			t.Errorf("%s does not describe the %s header", name, header)
		}
	}
	for _, media := range []string{"application/json", "application/xml", "text/xml"} {
		if at(doc, "components", "responses", "BadRequest", "content", media, "schema") == nil {
			t.Errorf("errors have no %s schema", media)
		}
	}
	for _, e := range s.Endpoints() {
		for _, m := range e.Methods() {
			op := at(doc, "paths", e.Path, strings.ToLower(m))
			if at(op, "responses", "200", "content", "text/xml", "schema") == nil {
				t.Errorf("%s %s: no text/xml answer", m, e.Path)
			}
			if at(op, "responses", "431") == nil {
				t.Errorf("%s %s: no 431", m, e.Path)
			}
			if got := at(op, "responses", "415") != nil; got != hasBody(m) {
				t.Errorf("%s %s: 415 listed %v, want %v", m, e.Path, got, hasBody(m))
			}
		}
	}
	page := html.UnescapeString(refGet(t, s, "/docs").Body.String())
	for _, want := range []string{"405", "Allow", "The requested resource does not support http method", "415", "431",
		"Content-Type: text/xml"} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs does not mention %s", want)
		}
	}
}
