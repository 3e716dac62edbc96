// Package reftest reads the reference documents a server generates (/openapi.json and /docs) for
// tests: the framework's own (package web, over test endpoints) and the API's (package httpapi, over
// the real areas).
package reftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Get sends a GET for target to h; headers are name/value pairs.
func Get(t testing.TB, h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// OpenAPI fetches and decodes h's OpenAPI document; numbers stay json.Number.
func OpenAPI(t testing.TB, h http.Handler) (map[string]any, []byte) {
	t.Helper()
	w := Get(t, h, "/openapi.json")
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

// At walks maps by key and arrays by index; nil when a step is missing.
func At(v any, path ...string) any {
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

// Compact is v as compact JSON.
func Compact(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// CheckRefs fails on any $ref in v that does not resolve inside doc.
func CheckRefs(t testing.TB, doc, v any, where string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			if !strings.HasPrefix(ref, "#/") || At(doc, strings.Split(ref[2:], "/")...) == nil {
				t.Errorf("%s: $ref %q does not resolve", where, ref)
			}
		}
		for k, c := range x {
			CheckRefs(t, doc, c, where+"/"+k)
		}
	case []any:
		for i, c := range x {
			CheckRefs(t, doc, c, where+"/"+strconv.Itoa(i))
		}
	}
}

// DocSection returns the unescaped text of the /docs element with the given id, up to its
// </section>.
func DocSection(t testing.TB, page, id string) string {
	t.Helper()
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no section %s", id)
	}
	end := strings.Index(page[start:], "</section>")
	return html.UnescapeString(page[start : start+end])
}

var twoDecimals = regexp.MustCompile(`^-?\d+\.\d\d$`)

// Conforms is a small JSON Schema check of v (decoded with json.Number) against schema, resolving
// $ref in doc; it covers the keywords the generator uses.
func Conforms(doc, schema, v any, where string) error {
	s, _ := schema.(map[string]any)
	if s == nil {
		return fmt.Errorf("%s: no schema", where)
	}
	if ref, ok := s["$ref"].(string); ok {
		return Conforms(doc, At(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...), v, where)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		var errs []string
		for _, a := range alts {
			err := Conforms(doc, a, v, where)
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
			if err := Conforms(doc, s["items"], item, where+"["+strconv.Itoa(i)+"]"); err != nil {
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
			if err := Conforms(doc, sub, val, where+"."+k); err != nil {
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

// Operation returns the operation of method at path, failing when it is missing, or when its
// operationId is empty or already in ids, where it records it.
func Operation(t testing.TB, doc map[string]any, ids map[string]string, path, method, area string) map[string]any {
	t.Helper()
	op, _ := At(doc, "paths", path, strings.ToLower(method)).(map[string]any)
	if op == nil {
		t.Errorf("no operation %s %s", method, path)
		return nil
	}
	id, _ := op["operationId"].(string)
	if prev, dup := ids[id]; dup || id == "" {
		t.Errorf("%s %s: operationId %q empty or also used by %s", method, path, id, prev)
	}
	ids[id] = method + " " + path
	if got := Compact(t, op["tags"]); got != Compact(t, []string{area}) {
		t.Errorf("%s %s: tags = %s, want [%s]", method, path, got, area)
	}
	return op
}

// RequiresUserID reports whether a Group-manager operation requires the integer UserID of the member
// acted for: in the JSON body when the method has one, in the query otherwise.
func RequiresUserID(op map[string]any, inBody bool) bool {
	if inBody {
		schema := At(op, "requestBody", "content", "application/json", "schema")
		req, _ := At(schema, "required").([]any)
		return At(schema, "properties", "UserID", "type") == "integer" && slices.Contains(req, any("UserID"))
	}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		if At(p, "name") == "UserID" && At(p, "in") == "query" && At(p, "required") == true && At(p, "schema", "type") == "integer" {
			return true
		}
	}
	return false
}
