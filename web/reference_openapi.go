package web

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/awapi/awapi"
)

// The OpenAPI 3.1 document is generated from the endpoint declarations alone: each endpoint and
// method is an operation at its path, and a WithGM endpoint has a second one at its /v1/Groups/ path.

const (
	referenceTitle = "awapi — AdultWork-style API v1"

	openAPIDescription = "The AdultWork-style REST API v1, generated from the server's endpoint declarations. " +
		"The HTML reference is at [/docs](/docs).\n\n" +
		"* **Authentication.** API-key methods take the key in the `X-ApiKey` (or `ApiKey`) header or the `apiKey` " +
		"query parameter, with the secret in `X-ApiSecret` (or `ApiSecret`) when you send it; a member's bearer token " +
		"is accepted in place of the key. Member methods need `Authorization: bearer <token>` carrying the scope in " +
		"`x-scope`: a missing, invalid or expired token is 401, a token without the scope is 403, and " +
		"`WWW-Authenticate` says why.\n" +
		"* **Names** of paths, query parameters and JSON body members match case-insensitively. GET methods read the " +
		"query string; POST and PUT read a JSON (or form) body, falling back to the query string. Names a method does not " +
		"read are ignored, as by the original service; a sandbox names each in a header such as " +
		"`Warning: 299 awapi \"ignored parameter: postcode\"` (production says nothing).\n" +
		"* **Browsers.** Pages on other origins may call `/v1` (CORS): preflights are answered and every answer, errors " +
		"included, carries `Access-Control-Allow-Origin` for the origins the operator configured (any origin on a " +
		"sandbox) and for those a project registered, when called with that project's key or tokens. Scripts may read " +
		"`WWW-Authenticate`, `Retry-After`, `X-Request-ID` and `Warning`.\n" +
		"* **Formats.** JSON, unless `Accept: application/xml` (or `text/xml`) asks for .NET DataContract XML " +
		"(members in alphabetical order, arrays as wrapper elements), answered with the type asked for: " +
		"`Content-Type: text/xml` for `Accept: text/xml`, `application/xml` otherwise; `format=xml|json` in the query " +
		"overrides. POST and PUT bodies are JSON (`application/json`, or no `Content-Type`) or a form " +
		"(`application/x-www-form-urlencoded`). JSON " +
		"keys are PascalCase as documented; `X-CaseType: camelcase` switches every key, ModelState and other " +
		"dictionary keys included, to camelCase by Json.NET's rule: only the leading run of capitals is lowered " +
		"(`UserID` becomes `userID`, `ProfileThumbnailURL` becomes `profileThumbnailURL`). Credits are " +
		"numbers with two decimals; dates are local times in the server's zone without offset, such as " +
		"`2016-03-26T18:20:55.14`.\n" +
		"* **Images.** `X-MaskImages: 1` replaces image URLs that are not marked safe.\n" +
		"* **Errors** have one shape, `{\"Message\": \"...\", \"Code\": \"stable_snake_code\", \"ModelState\": {\"Field\": [\"...\"]}}` " +
		"(ModelState only for invalid input): 400 invalid input, 401, 403, 404 (also for objects the caller may not " +
		"see), 405 a known path called with a verb it does not answer (`Allow` lists the verbs; the message is " +
		"ASP.NET's \"The requested resource does not support http method 'X'.\"), 409 a documented prerequisite fails, " +
		"413 body too large, 415 a body of another type, 429 rate limited (`Retry-After`), 431 request line and " +
		"headers over 16 KiB.\n" +
		"* **Group managers** call the `/v1/Groups/...` variants with a bearer token and the extra `UserID` of a " +
		"member of their own group.\n" +
		"* **Implied** operations (`x-implied: true`) are implied but not shown by the original documentation; they " +
		"follow its style.\n" +
		"* **Sandbox** operations (`x-sandbox: true`, under `/v1/Sandbox/`) are test helpers that play what a sandbox " +
		"has no real counterpart for (a telephone network, a video server), moving credits through the same ledger a " +
		"real call or session would. Only a sandbox serves them; a production server answers 404."

	impliedNote = "Implied: the original documentation implies this operation but does not show it; this server " +
		"implements it in the same style."
	sandboxNote = "Sandbox only: a test helper that a production server does not serve."
)

// errorResponses are the error statuses, the component each refers to, and when it applies.
var errorResponses = []struct {
	status      int
	name, about string
	applies     func(e *Endpoint, method string, gm bool) bool
}{
	{400, "BadRequest", "The input is malformed or invalid; ModelState names every offending field.", always},
	{401, "Unauthorized", "The API key or access token is missing, unknown or expired.", needsAuth},
	{403, "Forbidden", "The access token lacks the scope this method needs (WWW-Authenticate names it), or the caller may not use this method.", needsAuth},
	{404, "NotFound", "The object does not exist, or the caller may not see it.", always},
	// 405 belongs to a path, not to an operation: it answers the verbs no operation of the path has.
	{405, "MethodNotAllowed", "The path does not answer this verb; Allow lists the verbs it answers. The message is ASP.NET's: " +
		"\"The requested resource does not support http method 'X'.\"", never},
	{409, "Conflict", "A documented prerequisite fails: wrong booking status, deadline passed, not enough credits.", always},
	{413, "TooLarge", "The request body is too large.", withBody},
	{415, "UnsupportedMediaType", "The request body is neither JSON (application/json, or no Content-Type) nor a form " +
		"(application/x-www-form-urlencoded).", withBody},
	{429, "TooManyRequests", "Rate limited: retry after the number of seconds in Retry-After.", always},
	{431, "HeaderFieldsTooLarge", "The request line and headers are larger than 16 KiB.", always},
}

func never(*Endpoint, string, bool) bool { return false }

func withBody(_ *Endpoint, method string, _ bool) bool { return hasBody(method) }

func always(*Endpoint, string, bool) bool { return true }

func needsAuth(e *Endpoint, _ string, gm bool) bool {
	return gm || e.Auth != AuthNone || e.GM == GMOnly
}

// hasBody reports whether parameters come in the body (server.source).
func hasBody(method string) bool { return method != http.MethodGet && method != http.MethodHead }

// operationID names an operation after its path: /v1/Lists/GetCountries is Lists.GetCountries.
func operationID(path string) string {
	return strings.ReplaceAll(strings.Trim(strings.TrimPrefix(path, "/v1/"), "/"), "/", ".")
}

// idSet hands out unique IDs: the plain one first, then suffixed with the method.
type idSet map[string]bool

func (ids idSet) take(id, method string) string {
	alt := id
	for i := 1; ids[alt]; i++ {
		alt = id + "." + method
		if i > 1 {
			alt += strconv.Itoa(i)
		}
	}
	ids[alt] = true
	return alt
}

func scopeDescription(s awapi.Scope) string {
	for _, i := range awapi.Scopes {
		if i.Scope == s {
			return i.Description
		}
	}
	return ""
}

// bearerOnly reports whether a call needs a member's token: member methods and Group-manager calls.
func bearerOnly(e *Endpoint, gm bool) bool { return gm || e.GM == GMOnly || e.Auth == AuthBearer }

func securityFor(e *Endpoint, gm bool) []any {
	switch {
	case bearerOnly(e, gm):
		scopes := []string{}
		if e.Scope != "" {
			scopes = append(scopes, string(e.Scope))
		}
		return []any{object("Bearer", scopes)}
	case e.Auth == AuthKey:
		return []any{object("ApiKeyHeader", []string{}), object("ApiKeyQuery", []string{}), object("Bearer", []string{})}
	}
	return nil
}

// operationNotes explain what the security requirement and extensions say, in words.
func operationNotes(e *Endpoint, gm bool) []string {
	var notes []string
	if e.Implied {
		notes = append(notes, impliedNote)
	}
	if e.Sandbox {
		notes = append(notes, sandboxNote)
	}
	switch {
	case gm:
		notes = append(notes, "Group-manager variant of "+e.Path+": a group manager calls it with a bearer token and "+
			"names in UserID the member of their own group to act for; any other member is 404.")
	case e.GM == GMOnly:
		notes = append(notes, "Only a group manager may call this, with a bearer token.")
	case e.GM == WithGM:
		notes = append(notes, "A group manager can call it for a member of their group at "+e.GMPath()+
			", or here with that member's UserID (the form some documented samples use); anyone else's UserID here is ignored.")
	}
	if len(e.Aliases) > 0 && !gm {
		notes = append(notes, "Also served at "+strings.Join(e.Aliases, ", ")+".")
	}
	switch {
	case bearerOnly(e, gm) && e.Scope != "":
		notes = append(notes, "Needs a bearer token with the "+string(e.Scope)+" scope ("+scopeDescription(e.Scope)+").")
	case bearerOnly(e, gm):
		notes = append(notes, "Needs a bearer token.")
	case e.Auth == AuthKey:
		notes = append(notes, "Needs the API key, or a bearer token in its place.")
	}
	return notes
}

// userIDParamDoc is the extra parameter of every Group-manager variant (actAsGroupManager).
var userIDParamDoc = ParamDoc{Name: "UserID", Type: "integer", Required: true, Min: ptr[int64](1),
	Doc: "The member of the manager's group to act for."}

// gmParams returns the parameters of a call, with the Group-manager UserID added (or made required).
func gmParams(e *Endpoint, gm bool) ([]ParamDoc, []reflect.Type) {
	params, types := e.Params(), paramFields(e)
	if !gm {
		return params, types
	}
	if i := slices.IndexFunc(params, func(p ParamDoc) bool { return strings.EqualFold(p.Name, "UserID") }); i >= 0 {
		params[i].Required = true
		return params, types
	}
	return append(params, userIDParamDoc), append(types, reflectInt64)
}

type openAPIBuilder struct {
	g   *schemaGen
	ids idSet
}

func (s *Server) buildOpenAPI() ([]byte, error) {
	b := &openAPIBuilder{g: newSchemaGen(), ids: idSet{}}
	paths := object()
	areas := map[string]bool{}
	add := func(path, method string, op *jsonObject) {
		item, _ := paths.get(path).(*jsonObject)
		if item == nil {
			item = object()
			paths.set(path, item)
		}
		item.set(strings.ToLower(method), op)
	}
	for _, e := range s.endpoints {
		areas[e.Area()] = true
		for _, m := range e.Methods() {
			add(e.Path, m, b.operation(e, m, false))
		}
		if e.GM == WithGM {
			for _, m := range e.Methods() {
				add(e.GMPath(), m, b.operation(e, m, true))
			}
		}
	}
	tags := []any{}
	for _, a := range sortedKeys(areas) {
		tags = append(tags, object("name", a))
	}
	errSchema := object("$ref", schemaRef(b.g.named(reflect.TypeFor[ErrorBody]())))
	responses := object()
	for _, r := range errorResponses {
		resp := object("description", r.about)
		switch r.status {
		case http.StatusUnauthorized, http.StatusForbidden:
			resp.set("headers", object("WWW-Authenticate", object(
				"description", "Bearer challenge (RFC 6750) when a token was missing, invalid or short of scope.",
				"schema", object("type", "string"))))
		case http.StatusTooManyRequests:
			resp.set("headers", object("Retry-After", object(
				"description", "Seconds to wait before retrying.", "schema", object("type", "integer"))))
		case http.StatusMethodNotAllowed:
			resp.set("headers", object("Allow", object(
				"description", "The verbs the path answers, sorted; HEAD wherever GET is.", "schema", object("type", "string"))))
		}
		xmlErr := errSchema.clone().set("xml", object("name", "Error"))
		resp.set("content", object(
			"application/json", object("schema", errSchema),
			"application/xml", object("schema", xmlErr),
			"text/xml", object("schema", xmlErr)))
		responses.set(r.name, resp)
	}
	doc := object(
		"openapi", "3.1.0",
		"info", object("title", referenceTitle, "version", "1", "description", openAPIDescription),
		"servers", []any{object("url", "/")},
		"tags", tags,
		"paths", paths,
		"components", object(
			"securitySchemes", securitySchemes(),
			"parameters", object(
				"Format", object("name", "format", "in", "query",
					"description", "Overrides the Accept header, for browsers.",
					"schema", object("type", "string", "enum", []string{"json", "xml"})),
				"CaseType", object("name", "X-CaseType", "in", "header",
					"description", "camelcase switches every JSON key, ModelState and other dictionary keys included, "+
						"to camelCase by Json.NET's rule (CamelCasePropertyNamesContractResolver): only the leading run "+
						"of capitals is lowered, so UserID becomes userID, ProfileThumbnailURL becomes profileThumbnailURL "+
						"and NickName becomes nickName.",
					"schema", object("type", "string", "enum", []string{"camelcase"})),
				"MaskImages", object("name", "X-MaskImages", "in", "header",
					"description", "1 or true (any case) replaces image URLs that are not marked safe.",
					"schema", object("type", "string", "examples", []string{"1"}))),
			"responses", responses,
			"schemas", b.g.components()),
	)
	return marshalJSON(doc, true)
}

func securitySchemes() *jsonObject {
	scopes := object()
	var list []string
	for _, i := range awapi.Scopes {
		scopes.set(string(i.Scope), i.Description)
		list = append(list, "`"+string(i.Scope)+"` "+i.Description)
	}
	return object(
		"ApiKeyHeader", object("type", "apiKey", "in", "header", "name", "X-ApiKey",
			"description", "The project's API key; the header may also be named ApiKey. Send the secret in X-ApiSecret (or ApiSecret) when you have one."),
		"ApiKeyQuery", object("type", "apiKey", "in", "query", "name", "apiKey",
			"description", "The project's API key in the query string."),
		"Bearer", object("type", "http", "scheme", "bearer",
			"description", "A member's access token (Authorization: bearer <token>). Scopes: "+strings.Join(list, "; ")+".",
			"x-scopes", scopes),
	)
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (b *openAPIBuilder) operation(e *Endpoint, method string, gm bool) *jsonObject {
	path := e.Path
	if gm {
		path = e.GMPath()
	}
	op := object("operationId", b.ids.take(operationID(path), method))
	if e.Summary != "" {
		op.set("summary", e.Summary)
	}
	if notes := operationNotes(e, gm); len(notes) > 0 {
		op.set("description", strings.Join(notes, "\n\n"))
	}
	op.set("tags", []string{e.Area()})
	if e.Implied {
		op.set("x-implied", true)
	}
	if e.Sandbox {
		op.set("x-sandbox", true)
	}
	if e.Scope != "" {
		op.set("x-scope", string(e.Scope))
	}
	switch {
	case gm:
		op.set("x-group-manager", "variant")
	case e.GM == GMOnly:
		op.set("x-group-manager", "only")
	}
	if len(e.Aliases) > 0 && !gm {
		op.set("x-aliases", e.Aliases)
	}
	if sec := securityFor(e, gm); sec != nil {
		op.set("security", sec)
	}

	params, types := gmParams(e, gm)
	parameters := []any{}
	var body *jsonObject
	if hasBody(method) {
		props, required := object(), []string{}
		for i, p := range params {
			s := paramSchema(p, fieldAt(types, i), true)
			if d := paramDescription(p); d != "" {
				s.set("description", d)
			}
			props.set(p.Name, s)
			if p.Required {
				required = append(required, p.Name)
			}
		}
		schema := object("type", "object", "properties", props)
		body = object()
		if len(required) > 0 {
			schema.set("required", required)
			body.set("required", true)
		}
		body.set("content", object("application/json", object("schema", schema)))
	} else {
		for i, p := range params {
			param := object("name", p.Name, "in", "query")
			if d := paramDescription(p); d != "" {
				param.set("description", d)
			}
			if p.Required {
				param.set("required", true)
			}
			param.set("schema", paramSchema(p, fieldAt(types, i), false))
			parameters = append(parameters, param)
		}
	}
	for _, name := range []string{"Format", "CaseType", "MaskImages"} {
		parameters = append(parameters, object("$ref", "#/components/parameters/"+name))
	}
	op.set("parameters", parameters)
	if body != nil {
		op.set("requestBody", body)
	}

	ok := b.g.schema(e.ResponseType())
	xmlOK := ok
	if name, ns := xmlRootOf(e); name != "" {
		xmlOK = ok.clone().set("xml", object("name", name, "namespace", ns))
	}
	responses := object("200", object("description", "OK", "content", object(
		"application/json", object("schema", ok),
		"application/xml", object("schema", xmlOK),
		"text/xml", object("schema", xmlOK))))
	for _, r := range errorResponses {
		if r.applies(e, method, gm) {
			responses.set(strconv.Itoa(r.status), object("$ref", "#/components/responses/"+r.name))
		}
	}
	op.set("responses", responses)
	return op
}

// xmlRootOf names the DataContract root element and namespace of the response, as write and
// xmlRoot decide them; the name is empty when only the value decides it.
func xmlRootOf(e *Endpoint) (name, ns string) {
	t := derefType(e.ResponseType())
	if prim, ok := primitiveXMLName(t); ok {
		return prim, nsScalars
	}
	name, ns = e.xmlRootName(), NamespaceBase+e.XMLNamespace
	if t.Kind() == reflect.Slice {
		item := derefType(t.Elem())
		if prim, ok := primitiveXMLName(item); ok {
			return "ArrayOf" + prim, nsArrays
		}
		if name == "" {
			name = "ArrayOf" + item.Name()
		}
	}
	return name, ns
}
