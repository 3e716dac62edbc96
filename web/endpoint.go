// Package web is the endpoint framework of awapi's HTTP API: one declaration per endpoint (Handle)
// drives routing, parameter binding and validation, authentication, the Group-manager variants,
// content negotiation and the wire encoders (JSON, DataContract XML), CORS, the OpenAPI document and
// the HTML reference, metrics and health checks. It knows no API area: the areas (package httpapi)
// declare their endpoints, wire models and handlers, and reach the framework only through what is
// exported here. What it reads from storage is the Gate.
package web

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// AuthMode says how an endpoint authenticates its caller.
type AuthMode int

const (
	// AuthNone needs no credentials.
	AuthNone AuthMode = iota
	// AuthKey needs the developer API key, or a bearer token in its place (the token names its project).
	AuthKey
	// AuthBearer needs a member's access token carrying the endpoint's scope.
	AuthBearer
)

func (a AuthMode) String() string {
	return [...]string{"none", "API key", "bearer token"}[a]
}

// GMMode says whether an endpoint has a Group-manager variant (api-v1.md §1.10).
type GMMode int

const (
	NoGM GMMode = iota
	// WithGM also serves /v1/Groups/<Area>/<Operation> with a required UserID naming the member the
	// manager acts for.
	WithGM
	// GMOnly is served only to group managers, at its declared path.
	GMOnly
)

// Endpoint declares one API operation. Handle fills in the request and response types and the handler.
type Endpoint struct {
	Method  string // GET, POST or PUT; "GET POST" for the one endpoint that takes either
	Path    string // as documented, e.g. /v1/Lists/GetCountries; matched case-insensitively
	Aliases []string
	Auth    AuthMode
	Scope   awapi.Scope
	GM      GMMode
	// Implied marks operations the documentation implies but does not show (design.md §2).
	Implied bool
	// Sandbox marks a test helper that plays what no sandbox has (a telephone network, a video
	// server): only a server with Config.Sandbox serves it, and its path is under /v1/Sandbox/, so the
	// reference lists it under its own Sandbox tag. Production never routes it.
	Sandbox bool
	Summary string
	// XMLRoot and XMLNamespace override the DataContract root element (default: the response type's
	// name, or ArrayOf<Item>) and namespace (default: API.Models.<Area>).
	XMLRoot      string
	XMLNamespace string

	reqType, respType reflect.Type
	params            []param
	invoke            func(ctx context.Context, c *Call, req any) (any, error)
}

// Call is what a handler knows about the request beyond its parameters.
type Call struct {
	Caller awapi.Caller
	Now    time.Time
	Loc    *time.Location
}

// Handle binds a handler to its declaration. Req is a struct whose exported fields are the endpoint's
// parameters (see bind.go for the tags); Resp is the response model.
func Handle[Req, Resp any](e Endpoint, fn func(ctx context.Context, c *Call, req *Req) (Resp, error)) *Endpoint {
	e.reqType = reflect.TypeFor[Req]()
	e.respType = reflect.TypeFor[Resp]()
	e.params = paramsOf(e.reqType)
	e.invoke = func(ctx context.Context, c *Call, req any) (any, error) {
		return fn(ctx, c, req.(*Req))
	}
	if e.XMLNamespace == "" {
		e.XMLNamespace = "API.Models." + e.Area()
	}
	return &e
}

// Area is the documented area of the endpoint, the first segment after /v1/ (Groups skipped).
func (e *Endpoint) Area() string {
	rest := strings.TrimPrefix(e.Path, "/v1/")
	if e.GM == GMOnly {
		rest = strings.TrimPrefix(rest, "Groups/")
	}
	area, _, _ := strings.Cut(rest, "/")
	return area
}

// Methods lists the HTTP methods the endpoint answers.
func (e *Endpoint) Methods() []string { return strings.Fields(e.Method) }

// GMPath is the path of the Group-manager variant.
func (e *Endpoint) GMPath() string { return "/v1/Groups/" + strings.TrimPrefix(e.Path, "/v1/") }

// Params describes the endpoint's parameters, for the reference documents.
func (e *Endpoint) Params() []ParamDoc {
	out := make([]ParamDoc, len(e.params))
	for i, p := range e.params {
		out[i] = p.doc()
	}
	return out
}

// RequestType and ResponseType expose the models, for the reference documents.
func (e *Endpoint) RequestType() reflect.Type  { return e.reqType }
func (e *Endpoint) ResponseType() reflect.Type { return e.respType }

// xmlRootName is the DataContract root element of the response.
func (e *Endpoint) xmlRootName() string {
	if e.XMLRoot != "" {
		return e.XMLRoot
	}
	t := derefType(e.respType)
	if t.Kind() == reflect.Slice {
		return "" // ArrayOf<Item>, decided by the encoder
	}
	return t.Name()
}
