package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// Config tunes the server.
type Config struct {
	Location     *time.Location // the zone of zone-less input and of rendered dates; default Europe/London
	MaxBodyBytes int64          // request bodies beyond this get 413; default 8 MiB (base64 pictures)
	Logger       *slog.Logger
	Clock        awapi.Clock

	// MaxHeaderBytes bounds the request line and headers; beyond it the answer is 431 in the API's error
	// shape. Default 16 KiB. The http.Server's own, larger limit is only a backstop: net/http answers it
	// in plain text before any handler runs.
	MaxHeaderBytes int

	// Sandbox marks a sandbox database: answers name the parameters a method ignored (Warning).
	Sandbox bool
	// CORSOrigins may call /v1 from their pages besides the origins projects register; "*" allows any
	// (see cors.go).
	CORSOrigins []string
	// AuthCacheTTL is how long this instance trusts a token or API key the database confirmed before
	// asking again (authcache.go): the longest a revoked credential keeps working here. 0 asks on every
	// request.
	AuthCacheTTL time.Duration
}

// Gate is what the framework reads from storage: the credentials a request carries, the caller's
// membership of a group (for the Group-manager variants), the origins projects registered (CORS), and
// whether the database answers (readiness). awapi.Store implements it.
type Gate interface {
	// ProjectByAPIKey finds the project whose API key has this digest (KindNotFound otherwise).
	ProjectByAPIKey(ctx context.Context, keyDigest []byte) (awapi.Project, awapi.APISecret, error)
	// AccessToken finds a live token by digest (KindNotFound otherwise).
	AccessToken(ctx context.Context, tokenDigest []byte, now time.Time) (awapi.AccessToken, awapi.Project, error)
	// Member reads a member, to check a group manager and the member they act for.
	Member(ctx context.Context, userID int64) (awapi.Member, error)
	// ProjectOrigins lists every origin any project registered.
	ProjectOrigins(ctx context.Context) ([]string, error)
	Ping(ctx context.Context) error
}

// Server serves the API. It is an http.Handler.
type Server struct {
	gate      Gate
	cfg       Config
	log       *slog.Logger
	routes    map[string]*route // lower-cased path -> route
	endpoints []*Endpoint
	mux       *http.ServeMux    // everything that is not /v1/...
	paths     map[string]string // lower-cased mux path -> the path as registered
	metrics   *metrics
	cors      *corsPolicy
	// crossOrigin holds the mounted paths other origins' pages may call (lower-cased path -> the
	// methods mounted there), see cors.go.
	crossOrigin map[string][]string
	auth        *authCache
}

// route is one path; gm marks the /v1/Groups/... variant of the endpoint.
type route struct {
	pattern   string // the documented path, the metrics label
	endpoints map[string]*Endpoint
	allow     string // the Allow header: the methods answered, sorted, HEAD wherever GET is
	gm        bool
}

// New builds a server over gate with the given endpoint declarations.
func New(gate Gate, cfg Config, endpoints ...*Endpoint) *Server {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 8 << 20
	}
	if cfg.MaxHeaderBytes == 0 {
		cfg.MaxHeaderBytes = 16 << 10
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = awapi.SystemClock{}
	}
	s := &Server{gate: gate, cfg: cfg, log: cfg.Logger, routes: map[string]*route{}, mux: http.NewServeMux(), paths: map[string]string{}, metrics: newMetrics(),
		cors: newCORSPolicy(cfg.CORSOrigins), crossOrigin: map[string][]string{}, auth: newAuthCache(cfg.AuthCacheTTL)}
	preparePlans(reflect.TypeFor[ErrorBody]())
	for _, e := range endpoints {
		s.register(e)
	}
	s.Handle("GET /healthz", http.HandlerFunc(s.healthz))
	s.Handle("GET /readyz", http.HandlerFunc(s.readyz))
	s.Handle("GET /metrics", s.metrics.handler())
	s.Handle("GET /openapi.json", http.HandlerFunc(s.openAPI))
	s.Handle("GET /docs", http.HandlerFunc(s.docs))
	return s
}

// register adds an endpoint's routes and builds its response plans now, so the first requests do not
// race to build them.
func (s *Server) register(e *Endpoint) {
	if e.Sandbox != strings.HasPrefix(strings.ToLower(e.Path), "/v1/sandbox/") {
		panic("web: sandbox helpers, and only they, live under /v1/Sandbox/: " + e.Path)
	}
	if e.Sandbox && !s.cfg.Sandbox {
		return
	}
	s.endpoints = append(s.endpoints, e)
	preparePlans(e.respType)
	add := func(path string, gm bool) {
		key := strings.ToLower(path)
		r := s.routes[key]
		if r == nil {
			r = &route{pattern: path, endpoints: map[string]*Endpoint{}, gm: gm}
			s.routes[key] = r
		}
		for _, m := range e.Methods() {
			if _, dup := r.endpoints[m]; dup {
				panic("web: duplicate endpoint " + m + " " + path)
			}
			r.endpoints[m] = e
		}
		r.allow = allowHeader(r.endpoints)
	}
	for _, p := range append([]string{e.Path}, e.Aliases...) {
		add(p, false)
	}
	if e.GM == WithGM {
		add(e.GMPath(), true)
	}
}

// allowHeader lists the methods of a route for the Allow header: sorted, with HEAD wherever GET is.
func allowHeader(endpoints map[string]*Endpoint) string {
	methods := slices.Collect(maps.Keys(endpoints))
	if endpoints[http.MethodGet] != nil && endpoints[http.MethodHead] == nil {
		methods = append(methods, http.MethodHead)
	}
	slices.Sort(methods)
	return strings.Join(methods, ", ")
}

// lookup finds the API route of a path in any case, with or without a trailing slash (as ASP.NET
// routes it).
func (s *Server) lookup(path string) *route {
	key := strings.ToLower(path)
	if rt := s.routes[key]; rt != nil {
		return rt
	}
	if trimmed, ok := strings.CutSuffix(key, "/"); ok {
		return s.routes[trimmed]
	}
	return nil
}

// Endpoints returns every declared endpoint, in declaration order.
func (s *Server) Endpoints() []*Endpoint { return s.endpoints }

// Handle mounts a non-API handler (the Unified Login pages) on the server's mux. Its path, like the
// API's, matches case-insensitively (/oauth/token reaches /OAuth/token). A handler whose CrossOrigin
// method reports true may be called from other origins' pages, as /v1 may (see cors.go); its pattern
// must name its method.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.mux.Handle(pattern, h)
	method, path, _ := strings.Cut(pattern, " ")
	if path == "" {
		method, path = "", pattern
	}
	s.paths[strings.ToLower(path)] = path
	if co, ok := h.(CrossOriginHandler); ok && co.CrossOrigin() {
		if method == "" {
			panic("web: a cross-origin pattern names its method: " + pattern)
		}
		key := strings.ToLower(path)
		s.crossOrigin[key] = append(s.crossOrigin[key], method)
		slices.Sort(s.crossOrigin[key])
	}
}

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the request's ID, for log lines written further down.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validRequestID accepts a caller's X-Request-ID only when it is short and plain, so it is safe to log.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusWriter records the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

var statusWriters = sync.Pool{New: func() any { return new(statusWriter) }}

// ServeHTTP gives every request an ID, logs it, counts it by route pattern, and turns a panic into a
// 500 in the negotiated format.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := r.Header.Get("X-Request-ID")
	if !validRequestID(id) {
		id = newRequestID()
	}
	w.Header().Set("X-Request-ID", id)
	s.corsHeaders(w.Header(), r)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey, id))
	sw := statusWriters.Get().(*statusWriter)
	*sw = statusWriter{ResponseWriter: w}
	pattern := "unmatched"
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", p)
			if sw.status == 0 {
				s.writeError(sw, r, errors.New("panic"))
			}
		}
		elapsed := time.Since(start)
		s.metrics.observe(pattern, r.Method, sw.status, elapsed)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", id), slog.String("method", r.Method), slog.String("route", pattern),
			slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", elapsed))
		statusWriters.Put(sw)
	}()
	if n := headerBytes(r); n > s.cfg.MaxHeaderBytes {
		s.writeError(sw, r, awapi.Errorf(awapi.KindHeaderTooLarge, "request_header_too_large",
			"The request line and headers are %d bytes, more than the %d bytes allowed.", n, s.cfg.MaxHeaderBytes))
		return
	}
	if rt := s.lookup(r.URL.Path); rt != nil {
		pattern = rt.pattern
		s.serveAPI(sw, r, rt)
		return
	}
	if canonical, ok := s.paths[strings.ToLower(r.URL.Path)]; ok && canonical != r.URL.Path {
		r.URL.Path = canonical
	}
	if methods := s.crossOrigin[strings.ToLower(r.URL.Path)]; methods != nil && s.mountedCORS(sw, r, methods) {
		pattern = "OPTIONS " + r.URL.Path // a preflight, answered
		return
	}
	if _, p := s.mux.Handler(r); p != "" {
		pattern = p
		s.mux.ServeHTTP(sw, r)
		return
	}
	s.writeError(sw, r, awapi.Errorf(awapi.KindNotFound, "no_such_method", "No API method matches %s.", r.URL.Path))
}

// headerBytes counts the request line and header lines roughly as net/http does against
// http.Server.MaxHeaderBytes.
func headerBytes(r *http.Request) int {
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	n := len(r.Method) + len(uri) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host)
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + len(v) + 4 // ": " and CRLF
		}
	}
	return n
}

// serveAPI answers a request on a known API path. A verb the path does not answer (OPTIONS included,
// until preflights are answered before routing) gets ASP.NET's 405 with Allow.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rt *route) {
	if isPreflight(r) {
		s.preflight(w, r, rt)
		return
	}
	e := rt.endpoints[r.Method]
	if e == nil && r.Method == http.MethodHead {
		e = rt.endpoints[http.MethodGet]
	}
	if e == nil {
		w.Header().Set("Allow", rt.allow)
		s.writeError(w, r, awapi.Errorf(awapi.KindMethodNotAllowed, "method_not_allowed",
			"The requested resource does not support http method '%s'.", r.Method))
		return
	}
	resp, err := s.run(w.Header(), r, e, rt.gm)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.write(w, r, http.StatusOK, resp, e.xmlRootName(), NamespaceBase+e.XMLNamespace)
}

// run authenticates, binds and invokes one endpoint; h takes the headers that depend on the caller
// (CORS) and on the parameters (a sandbox's warnings).
func (s *Server) run(h http.Header, r *http.Request, e *Endpoint, gm bool) (any, error) {
	ctx := r.Context()
	c := &Call{Now: s.cfg.Clock.Now(), Loc: s.cfg.Location}
	caller, err := s.authenticate(r, e, c.Now)
	s.allowProjectOrigin(h, r, caller)
	if err != nil {
		return nil, err
	}
	c.Caller = caller
	src, err := s.source(r)
	if err != nil {
		return nil, err
	}
	if err := s.groupManagerCall(ctx, src, c, e, gm); err != nil {
		return nil, err
	}
	if s.cfg.Sandbox { // after the Group-manager step, which reads UserID when a manager acts for a member
		warnIgnored(h, src.ignored(e.params, gm || c.Caller.ActingUserID != c.Caller.UserID))
	}
	req, err := bind(e.reqType, e.params, src, c)
	if err != nil {
		return nil, err
	}
	return e.invoke(ctx, c, req.Interface())
}

// source reads the parameters of a request: the query string for GET, and for other methods the JSON
// or form body, with the query string as a fallback. A body is read by its Content-Type: JSON
// (application/json, text/json, …+json, or no Content-Type at all, as many clients send it), a form
// (application/x-www-form-urlencoded), or text/plain that holds a JSON object; any other type is 415.
func (s *Server) source(r *http.Request) (*source, error) {
	src := &source{values: queryValues(r.URL.RawQuery)}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return src, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, awapi.Errorf(awapi.KindTooLarge, "request_too_large", "The request body is larger than %d bytes.", s.cfg.MaxBodyBytes)
		}
		return nil, awapi.Errorf(awapi.KindInvalid, "unreadable_body", "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return src, nil // nothing to read, whatever its declared type
	}
	ctype := r.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(ctype) // a bad parameter still gives the type; a bad type gives ""
	switch {
	case ctype == "" || mediaType == "application/json" || mediaType == "text/json" || strings.HasSuffix(mediaType, "+json"):
		src.json, err = parseJSONBody(body)
		return src, err
	case mediaType == "application/x-www-form-urlencoded":
		form, err := parseForm(body)
		if err != nil {
			return nil, err
		}
		for k, v := range form {
			src.values[k] = v
		}
		return src, nil
	case mediaType == "text/plain":
		if src.json, err = parseJSONBody(body); err == nil {
			return src, nil // a JSON object sent as text/plain, as browsers do to avoid a preflight
		}
	}
	if mediaType == "" {
		mediaType = ctype // unparsable: name it as sent
	}
	return nil, awapi.Errorf(awapi.KindUnsupportedMediaType, "unsupported_media_type",
		"The request body's Content-Type %q is not supported: "+acceptedBodies+".", mediaType)
}

// acceptedBodies says which request bodies the API reads, for the messages that refuse one.
const acceptedBodies = "send a JSON object as application/json, or a form as application/x-www-form-urlencoded"

// writeError answers err in the negotiated format with the status its kind maps to.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := errors.AsType[*awapi.Error](err)
	if !ok {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", RequestID(r.Context()), "error", err)
		e = &awapi.Error{Kind: awapi.KindInternal, Code: "internal_error", Message: "An error has occurred."}
	}
	status := StatusOf(e.Kind)
	switch e.Kind {
	case awapi.KindUnauthorized:
		if e.Code == "invalid_token" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awapi", error="invalid_token", error_description="`+e.Message+`"`)
		} else if e.Code == "token_required" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awapi"`)
		}
	case awapi.KindForbidden:
		if e.Scope != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="awapi", error="insufficient_scope", scope="`+e.Scope+`"`)
		}
	case awapi.KindRateLimited:
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", "60")
		}
	}
	body := ErrorBody{Message: e.Message, Code: e.Code}
	if len(e.Fields) > 0 {
		body.ModelState = e.Fields
	}
	s.write(w, r, status, body, "Error", "")
}

// ErrorBody is the one error shape (ASP.NET style) used by every API method.
type ErrorBody struct {
	Message    string
	Code       string
	ModelState map[string][]string `wire:"omitempty"`
}

// StatusOf maps an error kind to its HTTP status: the one place this mapping lives.
func StatusOf(k awapi.Kind) int {
	switch k {
	case awapi.KindInvalid:
		return http.StatusBadRequest
	case awapi.KindUnauthorized:
		return http.StatusUnauthorized
	case awapi.KindForbidden:
		return http.StatusForbidden
	case awapi.KindNotFound:
		return http.StatusNotFound
	case awapi.KindConflict:
		return http.StatusConflict
	case awapi.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case awapi.KindRateLimited:
		return http.StatusTooManyRequests
	case awapi.KindMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case awapi.KindUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case awapi.KindHeaderTooLarge:
		return http.StatusRequestHeaderFieldsTooLarge
	}
	return http.StatusInternalServerError
}

var encoders = sync.Pool{New: func() any { return &encoder{buf: make([]byte, 0, 4096)} }}

// write encodes v in the negotiated format. X-CaseType: camelcase switches JSON keys to camelCase and
// X-MaskImages: 1 masks image URLs not marked safe.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, v any, xmlRoot, xmlNS string) {
	e := encoders.Get().(*encoder)
	e.buf = e.buf[:0]
	e.opts = encOptions{
		camel: strings.EqualFold(r.Header.Get("X-CaseType"), "camelcase"),
		mask:  maskImages(r.Header.Get("X-MaskImages")),
		loc:   s.cfg.Location,
	}
	h := w.Header()
	h.Add("Vary", "Accept, X-CaseType, X-MaskImages") // added: /v1 answers also vary by Origin
	if format, xmlType := negotiate(r); format == parse.XML {
		h.Set("Content-Type", xmlType+"; charset=utf-8")
		if xmlRoot == "" && reflect.TypeOf(v).Kind() != reflect.Slice {
			xmlRoot = reflect.TypeOf(v).Name()
		}
		e.xmlRoot(v, xmlRoot, xmlNS)
	} else {
		h.Set("Content-Type", "application/json; charset=utf-8")
		e.jsonValue(v)
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.buf)
	}
	if cap(e.buf) <= 1<<20 { // do not keep huge buffers alive in the pool
		encoders.Put(e)
	}
}

// negotiate picks the response format and, for XML, the media type to answer in: text/xml when the
// client prefers it to application/xml, application/xml otherwise and for ?format=xml.
func negotiate(r *http.Request) (parse.Format, string) {
	format := ""
	if r.URL.RawQuery != "" && strings.Contains(strings.ToLower(r.URL.RawQuery), "format=") {
		for k, v := range r.URL.Query() {
			if strings.EqualFold(k, "format") && len(v) > 0 {
				format = v[0]
			}
		}
	}
	accept := r.Header.Get("Accept")
	f := parse.Negotiate(accept, format)
	if f != parse.XML || strings.EqualFold(strings.TrimSpace(format), "xml") {
		return f, "application/xml"
	}
	return f, parse.XMLMediaType(accept)
}

func maskImages(v string) bool {
	b, err := parse.Bool(v)
	return err == nil && b
}
