package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/awapi/awapi"
)

// The HTML reference: one self-contained page (inline CSS, no scripts) rendered from the endpoint
// declarations, grouped by area.

//go:embed reference/docs.html
var referenceFS embed.FS

var docsTemplate = template.Must(template.New("docs.html").Funcs(template.FuncMap{
	"lower": strings.ToLower,
}).ParseFS(referenceFS, "reference/docs.html"))

type docPage struct {
	Title  string
	Scopes []awapi.ScopeInfo
	Areas  []docArea
}

type docArea struct {
	Name, ID  string
	Endpoints []docEndpoint
}

type docEndpoint struct {
	ID, Path, GMPath string
	Methods          []string
	Aliases          []string
	GMOnly, Implied  bool
	Sandbox          bool
	Auth             string
	Scope, ScopeDesc string
	Summary          string
	Params           []docParam
	Curl             string
	Response         string // sample JSON; empty when the shape depends on the request
	XMLRoot          string
}

type docParam struct {
	Name, Type, Doc string
	Required        bool
	Rules           []string
}

func (s *Server) buildDocs() ([]byte, error) {
	page := docPage{Title: referenceTitle, Scopes: awapi.Scopes}
	byArea := map[string]int{} // lower-cased area -> index in page.Areas
	ids := idSet{}
	for _, e := range s.endpoints {
		key := strings.ToLower(e.Area())
		i, ok := byArea[key]
		if !ok {
			i = len(page.Areas)
			byArea[key] = i
			page.Areas = append(page.Areas, docArea{Name: e.Area(), ID: "area-" + e.Area()})
		}
		page.Areas[i].Endpoints = append(page.Areas[i].Endpoints, docEndpointOf(e, ids))
	}
	slices.SortStableFunc(page.Areas, func(a, b docArea) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	var buf bytes.Buffer
	if err := docsTemplate.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func docEndpointOf(e *Endpoint, ids idSet) docEndpoint {
	d := docEndpoint{
		ID: ids.take(operationID(e.Path), e.Methods()[0]), Path: e.Path, Methods: e.Methods(), Aliases: e.Aliases,
		GMOnly: e.GM == GMOnly, Implied: e.Implied, Sandbox: e.Sandbox, Summary: e.Summary, Scope: string(e.Scope),
		ScopeDesc: scopeDescription(e.Scope),
	}
	if e.GM == WithGM {
		d.GMPath = e.GMPath()
	}
	switch {
	case e.GM == GMOnly:
		d.Auth = "bearer token of a group manager"
	case e.Auth == AuthBearer:
		d.Auth = "bearer token"
	case e.Auth == AuthKey:
		d.Auth = "API key (or a bearer token in its place)"
	default:
		d.Auth = "none"
	}
	types := paramFields(e)
	for i, p := range e.Params() {
		typ := p.Type
		if typ == typeJSON {
			typ = jsonTypeName(fieldAt(types, i))
		}
		d.Params = append(d.Params, docParam{Name: p.Name, Type: typ, Doc: p.Doc, Required: p.Required, Rules: paramRules(p)})
	}
	d.Curl = curlSample(e, types)
	d.Response, _ = sampleResponse(e.ResponseType())
	d.XMLRoot, _ = xmlRootOf(e)
	return d
}

func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "JSON"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if derefType(t.Elem()).Kind() == reflect.Struct {
			return "array of objects"
		}
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "JSON"
}

// sampleRequest is a request that passes the parameter rules: GET with the required parameters in
// the query, POST and PUT with every parameter in a JSON body.
func sampleRequest(e *Endpoint, method string, types []reflect.Type) (target string, body *jsonObject) {
	target = e.Path
	if hasBody(method) {
		body = object()
		for i, p := range e.Params() {
			_, v := exampleValue(p, fieldAt(types, i))
			body.set(p.Name, v)
		}
		return target, body
	}
	var q []string
	for i, p := range e.Params() {
		if p.Required {
			text, _ := exampleValue(p, fieldAt(types, i))
			q = append(q, queryEscape(p.Name)+"="+queryEscape(text))
		}
	}
	if len(q) > 0 {
		target += "?" + strings.Join(q, "&")
	}
	return target, nil
}

// curlSample writes the sample request as a curl command. The URL and credentials come from the
// environment variables AWAPI_URL, AWAPI_KEY and AWAPI_TOKEN, so those words are double-quoted.
func curlSample(e *Endpoint, types []reflect.Type) string {
	method := e.Methods()[0]
	target, body := sampleRequest(e, method, types)
	var b strings.Builder
	b.WriteString("curl ")
	if method != http.MethodGet && method != http.MethodPost {
		b.WriteString("-X " + method + " ")
	}
	b.WriteString(`"$AWAPI_URL` + shellDQ(target) + `"`)
	switch {
	case bearerOnly(e, false):
		b.WriteString(" \\\n  -H \"Authorization: bearer $AWAPI_TOKEN\"")
	case e.Auth == AuthKey:
		b.WriteString(" \\\n  -H \"X-ApiKey: $AWAPI_KEY\"")
	}
	if body != nil {
		text, err := marshalJSON(body, true)
		if err != nil {
			text = []byte("{}")
		}
		b.WriteString(" \\\n  -H \"Content-Type: application/json\" \\\n  -d " + shellSQ(string(text)))
	}
	return b.String()
}

var queryUnescapes = strings.NewReplacer("%3A", ":", "%2C", ",")

func queryEscape(s string) string { return queryUnescapes.Replace(url.QueryEscape(s)) }

// shellDQ escapes the characters that stay special inside double quotes.
func shellDQ(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s)
}

// shellSQ single-quotes s.
func shellSQ(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
