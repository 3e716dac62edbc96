package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/awapi/awapi"
)

// CORS (design.md §2): browser apps call /v1 from their own pages, with ?apikey= or a bearer token and
// headers such as X-ApiSecret that make the browser ask first (a preflight OPTIONS).
//
// An origin may call when the operator configured it (Config.CORSOrigins; "*" allows any, the sandbox
// default), or when a project registered it. A preflight carries no credentials, so it is answered
// for the union of all projects' origins, read from the store at most once per registeredOriginsTTL
// per instance. The real request then carries the project's key or token: Access-Control-Allow-Origin
// is sent only when the origin is configured or registered by that very project (its origins come
// with the project row authentication reads, so that check is exact and immediate). A request that
// authenticates no project (a wrong key) gets ACAO for any registered origin, so the page can read
// the error that says why.
//
// No answer allows credentials (cookies): /v1 reads none, so the wildcard is never combined with them.

const (
	corsAllowHeaders = "Authorization, Content-Type, Accept, X-ApiKey, ApiKey, X-ApiSecret, ApiSecret, " +
		"X-CaseType, X-MaskImages, X-Request-ID"
	// corsExposeHeaders are the answer's headers a page may read beyond the CORS-safelisted ones.
	corsExposeHeaders = "WWW-Authenticate, Retry-After, X-Request-ID, Warning"
	// corsMaxAge lets a browser reuse a preflight for 10 minutes (Chromium caps it at 2 hours).
	corsMaxAge = "600"
	// registeredOriginsTTL bounds how long a newly registered origin waits for its first preflight.
	registeredOriginsTTL = 30 * time.Second
)

// corsPolicy is the server's parsed origin configuration and its cache of registered origins.
type corsPolicy struct {
	any        bool
	configured map[string]bool

	mu         sync.Mutex
	loadedAt   time.Time
	registered map[string]bool // nil until first loaded
}

func newCORSPolicy(origins []string) *corsPolicy {
	p := &corsPolicy{configured: map[string]bool{}}
	for _, o := range origins {
		if o == "*" {
			p.any = true
			continue
		}
		p.configured[strings.ToLower(o)] = true
	}
	return p
}

func isAPIPath(path string) bool { return len(path) >= 4 && strings.EqualFold(path[:4], "/v1/") }

// corsHeaders runs before routing, so every /v1 answer, errors included, allows a configured origin.
// The answer varies by Origin even when none was sent, for caches.
func (s *Server) corsHeaders(h http.Header, r *http.Request) {
	if !isAPIPath(r.URL.Path) {
		return
	}
	h.Add("Vary", "Origin")
	if origin := r.Header.Get("Origin"); origin != "" && (s.cors.any || s.cors.configured[strings.ToLower(origin)]) {
		s.allowOrigin(h, origin)
	}
}

func (s *Server) allowOrigin(h http.Header, origin string) {
	if s.cors.any {
		origin = "*"
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// preflight answers a CORS preflight on a known API path with the methods the path declares.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request, rt *route) {
	methods := make([]string, 0, len(rt.endpoints))
	for m := range rt.endpoints {
		methods = append(methods, m)
	}
	slices.Sort(methods)
	s.answerPreflight(w, r, methods, corsAllowHeaders)
}

// answerPreflight answers a preflight: 204 with methods and allowHeaders, or 403 without any CORS
// header for an origin nobody allowed. An origin the operator configured is already allowed in w.
func (s *Server) answerPreflight(w http.ResponseWriter, r *http.Request, methods []string, allowHeaders string) {
	h := w.Header()
	origin := r.Header.Get("Origin")
	if h.Get("Access-Control-Allow-Origin") == "" {
		if !s.registeredOrigin(r.Context(), strings.ToLower(origin)) {
			s.writeError(w, r, awapi.Errorf(awapi.KindForbidden, "origin_not_allowed",
				"Pages on %s may not call this API: the operator has not configured the origin and no project registered it.", origin))
			return
		}
		s.allowOrigin(h, origin)
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
	h.Set("Access-Control-Allow-Headers", allowHeaders)
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
}

// CrossOriginHandler is a handler mounted with Server.Handle that other origins' pages may call: the
// Unified Login's token and revocation endpoints, which browser apps using PKCE call from their pages.
// Their preflights are answered, and their answers allow the origins /v1 allows: those the operator
// configured, and those a project registered. Their requests name the client only in the body, which
// is not read here, so any registered origin is allowed, as for a /v1 preflight; they read no cookies,
// so a page can read no answer it could not have had from its own server.
type CrossOriginHandler interface {
	http.Handler
	CrossOrigin() bool
}

// corsMountedAllowHeaders are the request headers pages may send to a cross-origin mounted handler:
// HTTP Basic client authentication, the body's type, and the request ID.
const corsMountedAllowHeaders = "Authorization, Content-Type, Accept, X-Request-ID"

// mountedCORS adds the CORS headers of a cross-origin mounted handler's answer, and answers its
// preflight (reporting true) with the methods mounted at the path.
func (s *Server) mountedCORS(w http.ResponseWriter, r *http.Request, methods []string) bool {
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	o := strings.ToLower(origin)
	if s.cors.any || s.cors.configured[o] {
		s.allowOrigin(h, origin)
	}
	if isPreflight(r) {
		s.answerPreflight(w, r, methods, corsMountedAllowHeaders)
		return true
	}
	if h.Get("Access-Control-Allow-Origin") == "" && s.registeredOrigin(r.Context(), o) {
		s.allowOrigin(h, origin)
	}
	return false
}

// allowProjectOrigin runs once authentication is known: a real request from an origin the caller's
// project registered may read the answer; without a project, any registered origin may read it (it is
// the error saying the credentials are wrong, or a method that needs none).
func (s *Server) allowProjectOrigin(h http.Header, r *http.Request, caller awapi.Caller) {
	origin := r.Header.Get("Origin")
	if origin == "" || h.Get("Access-Control-Allow-Origin") != "" {
		return
	}
	o := strings.ToLower(origin)
	if caller.Project.ProjectID != 0 {
		if slices.Contains(caller.Project.Origins, o) {
			s.allowOrigin(h, origin)
		}
		return
	}
	if s.registeredOrigin(r.Context(), o) {
		s.allowOrigin(h, origin)
	}
}

// registeredOrigin reports whether any project registered origin, from a copy of the list at most
// registeredOriginsTTL old (by the server's clock). When the store fails, the last list stands.
func (s *Server) registeredOrigin(ctx context.Context, origin string) bool {
	p := s.cors
	p.mu.Lock()
	defer p.mu.Unlock()
	now := s.cfg.Clock.Now()
	if p.registered == nil || now.Sub(p.loadedAt) >= registeredOriginsTTL || now.Before(p.loadedAt) {
		list, err := s.gate.ProjectOrigins(ctx)
		if err != nil {
			s.log.ErrorContext(ctx, "loading projects' CORS origins", "request_id", RequestID(ctx), "error", err)
		} else {
			p.registered = make(map[string]bool, len(list))
			for _, o := range list {
				p.registered[o] = true
			}
			p.loadedAt = now
		}
	}
	return p.registered[origin]
}
