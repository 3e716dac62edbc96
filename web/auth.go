package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// authenticate establishes the caller of endpoint e (design.md §2): an API key in X-ApiKey, ApiKey or
// the apiKey query parameter (with its secret in X-ApiSecret or ApiSecret, checked when sent), or a
// bearer token, which also stands in for the key on key-only endpoints.
func (s *Server) authenticate(r *http.Request, e *Endpoint, now time.Time) (awapi.Caller, error) {
	var caller awapi.Caller
	if e.Auth == AuthNone {
		return caller, nil
	}
	ctx := r.Context()
	token, hasToken, err := bearerToken(r)
	if err != nil {
		return caller, err
	}
	key := firstHeader(r, "X-ApiKey", "ApiKey")
	if key == "" {
		key = queryParam(r, "apiKey")
	}
	switch {
	case hasToken:
		t, project, err := s.auth.accessToken(ctx, s.gate, awapi.HashSecret(token), now)
		if err != nil {
			if awapi.ErrorKind(err) == awapi.KindNotFound {
				return caller, awapi.Errorf(awapi.KindUnauthorized, "invalid_token", "The access token is invalid or has expired.")
			}
			return caller, err
		}
		// A key sent beside a token must be the token's own project's key: a token is not a pass for
		// another developer's application.
		if key != "" {
			p, err := s.projectByKey(ctx, r, key, now)
			if err != nil {
				return caller, err
			}
			if p.ProjectID != project.ProjectID {
				return caller, awapi.Errorf(awapi.KindUnauthorized, "invalid_token", "The access token was not issued to this API key's project.")
			}
		}
		caller = awapi.Caller{Project: project, UserID: t.UserID, ActingUserID: t.UserID, Scopes: t.Scopes}
		if e.Auth == AuthBearer && e.Scope != "" && !t.Scopes.Has(e.Scope) {
			return caller, &awapi.Error{Kind: awapi.KindForbidden, Code: "insufficient_scope", Scope: string(e.Scope),
				Message: "The access token does not grant the " + string(e.Scope) + " scope this method needs."}
		}
		return caller, nil
	case e.Auth == AuthBearer:
		return caller, awapi.Errorf(awapi.KindUnauthorized, "token_required", "This method needs an access token: send Authorization: bearer <token>.")
	case key == "":
		return caller, awapi.Errorf(awapi.KindUnauthorized, "api_key_required", "This method needs your API key in the X-ApiKey header or the apiKey query parameter.")
	}
	p, err := s.projectByKey(ctx, r, key, now)
	return awapi.Caller{Project: p}, err
}

func (s *Server) projectByKey(ctx context.Context, r *http.Request, key string, now time.Time) (awapi.Project, error) {
	p, secret, err := s.auth.projectByAPIKey(ctx, s.gate, awapi.HashSecret(key), now)
	if err != nil {
		if awapi.ErrorKind(err) == awapi.KindNotFound {
			return p, awapi.Errorf(awapi.KindUnauthorized, "invalid_api_key", "The API key is not valid.")
		}
		return p, err
	}
	if sent := firstHeader(r, "X-ApiSecret", "ApiSecret"); sent != "" && !awapi.SecretMatches(sent, secret) {
		return p, awapi.Errorf(awapi.KindUnauthorized, "invalid_api_secret", "The API secret does not match the API key.")
	}
	return p, nil
}

// bearerToken extracts a bearer token; the scheme is case-insensitive ("bearer" in the samples).
func bearerToken(r *http.Request) (string, bool, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false, nil
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	if !strings.EqualFold(scheme, "bearer") {
		return "", false, nil // another scheme is not ours to judge; treat as no token
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return "", false, awapi.Errorf(awapi.KindUnauthorized, "invalid_token", "The Authorization header has no token.")
	}
	return token, true, nil
}

func firstHeader(r *http.Request, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(r.Header.Get(n)); v != "" {
			return v
		}
	}
	return ""
}

// queryParam reads a query parameter by case-insensitive name.
func queryParam(r *http.Request, name string) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// groupManagerCall applies endpoint e's Group-manager rules to the call. The /v1/Groups/ variant (gm)
// and GM-only endpoints need a manager (actAsGroupManager). Some documented samples call a WithGM
// endpoint at its plain path with the member's UserID (api-v1.md §1.10, §4.3): a group manager sending
// UserID there acts for that member exactly as on the /v1/Groups/ path, while anyone else's UserID is
// ignored as before. An endpoint whose own request model has a UserID (variant B) keeps it as its own
// parameter.
func (s *Server) groupManagerCall(ctx context.Context, src *source, c *Call, e *Endpoint, gm bool) error {
	switch {
	case gm || e.GM == GMOnly:
		return s.actAsGroupManager(ctx, src, c, gm)
	case e.GM != WithGM || c.Caller.UserID == 0 || e.hasParam(gmUserID.keys[0]):
		return nil
	}
	if text, _, ok := src.lookup(gmUserID.keys); !ok || strings.TrimSpace(text) == "" {
		return nil
	}
	manager, err := s.gate.Member(ctx, c.Caller.UserID)
	if err != nil || !isGroupManager(manager) {
		return err
	}
	return s.actForGroupMember(ctx, src, c, manager)
}

// actAsGroupManager checks a Group-manager call: the caller must manage a group, and on a /v1/Groups/
// variant the required UserID must name a member of that group (actForGroupMember).
func (s *Server) actAsGroupManager(ctx context.Context, src *source, c *Call, variant bool) error {
	if c.Caller.UserID == 0 {
		return awapi.Errorf(awapi.KindUnauthorized, "token_required", "Group-manager methods need an access token.")
	}
	manager, err := s.gate.Member(ctx, c.Caller.UserID)
	if err != nil {
		return err
	}
	if !isGroupManager(manager) {
		return awapi.Errorf(awapi.KindForbidden, "not_group_manager", "Only the manager of a group may call the Group-manager methods.")
	}
	if !variant {
		return nil
	}
	return s.actForGroupMember(ctx, src, c, manager)
}

// hasParam reports whether the request model binds the lower-cased name (as a name or an alias).
func (e *Endpoint) hasParam(key string) bool {
	return slices.ContainsFunc(e.params, func(p param) bool { return slices.Contains(p.keys, key) })
}

func isGroupManager(m awapi.Member) bool { return m.IsGroupManager && m.GroupID != 0 }

// gmUserID is the UserID a group manager names the member they act for with.
var gmUserID = param{name: "UserID", keys: []string{"userid"}, kind: kindInt64, required: true, min: ptr[int64](1), typ: reflectInt64}

// actForGroupMember makes the call act for the member the required UserID names, who must be in the
// manager's group; anyone else is "not found", so a manager cannot probe other groups' members.
func (s *Server) actForGroupMember(ctx context.Context, src *source, c *Call, manager awapi.Member) error {
	var userID int64
	if err := gmUserID.bindInto(src, c, &userID); err != nil {
		return err
	}
	member, err := s.gate.Member(ctx, userID)
	if err != nil || member.GroupID != manager.GroupID {
		if err == nil || awapi.ErrorKind(err) == awapi.KindNotFound {
			return awapi.NotFound("The member")
		}
		return err
	}
	c.Caller.ActingUserID = userID
	return nil
}

func parseForm(body []byte) (map[string]string, error) {
	return queryValues(string(body)), nil
}
