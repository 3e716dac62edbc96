package unifiedlogin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/awapi/awapi"
)

// tokenError is an RFC 6749 §5.2 error answer.
type tokenError struct {
	status      int
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	basic       bool   // the client tried HTTP Basic: answer with a Basic challenge
	retryAfter  string // for a 429
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (e *tokenError) write(w http.ResponseWriter) {
	if e.basic && e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="awapi"`)
	}
	if e.retryAfter != "" {
		w.Header().Set("Retry-After", e.retryAfter)
	}
	writeJSON(w, e.status, e)
}

func badRequest(code, desc string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, Error: code, Description: desc}
}

// authenticateClient identifies the client from HTTP Basic or the body (RFC 6749 §2.3.1). A
// confidential client must present its secret; a public client presents only its id and proves
// itself with PKCE. Secrets are throttled like passwords: each check is recorded first against the
// client (an unknown client_id counts by itself) and the address, and only a right one is released.
func (h *Handler) authenticateClient(r *http.Request) (*awapi.Client, *tokenError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		if r.PostForm.Get("client_secret") != "" {
			return nil, badRequest("invalid_request", "Send the client credentials once: in the Authorization header or in the body.")
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	invalid := &tokenError{status: http.StatusUnauthorized, Error: "invalid_client", Description: "Client authentication failed.", basic: basic}
	if id == "" {
		return nil, invalid
	}
	c, err := h.store.ClientByID(r.Context(), id)
	known := err == nil
	if err != nil && awapi.ErrorKind(err) != awapi.KindNotFound {
		h.log.ErrorContext(r.Context(), "client lookup", "error", err)
		return nil, &tokenError{status: http.StatusInternalServerError, Error: "server_error"}
	}
	if known && c.Public {
		if secret != "" {
			return nil, invalid
		}
		return &c, nil
	}
	key := nameKey("client", id)
	if known {
		key = "client:" + strconv.FormatInt(c.ProjectID, 10)
	}
	attempt, err := h.reserve(r, key, h.cfg.AccountFailures)
	if err != nil {
		if awapi.ErrorKind(err) == awapi.KindRateLimited {
			return nil, &tokenError{status: http.StatusTooManyRequests, Error: "temporarily_unavailable",
				Description: "Too many failed client authentications. Try again later.", retryAfter: h.retryAfter()}
		}
		h.log.ErrorContext(r.Context(), "client throttle", "error", err)
		return nil, &tokenError{status: http.StatusInternalServerError, Error: "server_error"}
	}
	if !known || secret == "" || !awapi.SecretMatches(secret, c.ClientSecretDigest) {
		return nil, invalid
	}
	h.release(r.Context(), attempt)
	return &c, nil
}

// tokenResponse is the documented success answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
}

// clientRequest reads a form-encoded request from an authenticated client, answering the error itself
// when it cannot.
func (h *Handler) clientRequest(w http.ResponseWriter, r *http.Request) (*awapi.Client, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		badRequest("invalid_request", "The body must be application/x-www-form-urlencoded.").write(w)
		return nil, false
	}
	client, terr := h.authenticateClient(r)
	if terr != nil {
		terr.write(w)
		return nil, false
	}
	return client, true
}

// token is POST /OAuth/token: authorization_code and refresh_token grants.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	client, ok := h.clientRequest(w, r)
	if !ok {
		return
	}
	var (
		resp *tokenResponse
		terr *tokenError
	)
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		resp, terr = h.exchangeCode(r, client)
	case "refresh_token":
		resp, terr = h.refresh(r, client)
	case "":
		terr = badRequest("invalid_request", "grant_type is required.")
	default:
		terr = badRequest("unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")
	}
	if terr != nil {
		terr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *Handler) exchangeCode(r *http.Request, client *awapi.Client) (*tokenResponse, *tokenError) {
	code := r.PostForm.Get("code")
	if code == "" {
		return nil, badRequest("invalid_request", "code is required.")
	}
	now := h.cfg.Clock.Now()
	ac, grant, err := h.store.RedeemAuthCode(r.Context(), awapi.HashSecret(code), now)
	if err != nil {
		if awapi.ErrorKind(err) == awapi.KindInternal {
			return nil, h.serverError(r, err)
		}
		return nil, badRequest("invalid_grant", "The authorization code is invalid, expired or already used.")
	}
	// The code is spent from here on: any mismatch below leaves it unusable, which is the safe side.
	switch {
	case grant.ProjectID != client.ProjectID:
		return nil, badRequest("invalid_grant", "The authorization code was issued to another application.")
	case r.PostForm.Get("redirect_uri") != ac.RedirectURI:
		return nil, badRequest("invalid_grant", "redirect_uri does not match the one the code was issued for.")
	case ac.CodeChallenge != "" && !awapi.PKCEMatches(r.PostForm.Get("code_verifier"), ac.CodeChallenge):
		return nil, badRequest("invalid_grant", "The PKCE code_verifier does not match the code_challenge.")
	case ac.CodeChallenge == "" && r.PostForm.Get("code_verifier") != "":
		return nil, badRequest("invalid_grant", "A code_verifier was sent for a code issued without PKCE.")
	}
	return h.issue(r, now, grant.Scopes, func(access, refresh awapi.IssuedToken) (awapi.ScopeSet, error) {
		return grant.Scopes, h.store.IssueTokens(r.Context(), grant.GrantID, access, refresh)
	})
}

func (h *Handler) refresh(r *http.Request, client *awapi.Client) (*tokenResponse, *tokenError) {
	old := r.PostForm.Get("refresh_token")
	if old == "" {
		return nil, badRequest("invalid_request", "refresh_token is required.")
	}
	now := h.cfg.Clock.Now()
	var grant awapi.Grant
	// The store checks, inside the rotation, that the requested scopes are a subset of the old token's:
	// a refresh can narrow but never widen.
	resp, terr := h.issue(r, now, awapi.ParseScopes(r.PostForm.Get("scope")), func(access, refresh awapi.IssuedToken) (awapi.ScopeSet, error) {
		var err error
		grant, err = h.store.RotateRefreshToken(r.Context(), awapi.HashSecret(old), now, access, refresh)
		return grant.Scopes, err
	})
	if terr != nil {
		return nil, terr
	}
	// A refresh token presented by another application was stolen: the rotation spent it, and the
	// whole grant goes with it.
	if grant.ProjectID != client.ProjectID {
		if err := h.store.RevokeProject(r.Context(), grant.UserID, grant.ProjectID, now); err != nil {
			return nil, h.serverError(r, err)
		}
		return nil, badRequest("invalid_grant", "The refresh token was issued to another application.")
	}
	return resp, nil
}

// issue mints an access and a refresh token carrying scopes, has store persist them (it returns the
// scopes the tokens really carry), and shapes the answer.
func (h *Handler) issue(r *http.Request, now time.Time, scopes awapi.ScopeSet,
	store func(access, refresh awapi.IssuedToken) (awapi.ScopeSet, error)) (*tokenResponse, *tokenError) {
	access, accessDigest := newSecret(awapi.PrefixAccessToken)
	refresh, refreshDigest := newSecret(awapi.PrefixRefreshToken)
	granted, err := store(awapi.IssuedToken{Digest: accessDigest, ExpiresAt: now.Add(h.cfg.AccessTTL), Scopes: scopes},
		awapi.IssuedToken{Digest: refreshDigest, ExpiresAt: now.Add(awapi.RefreshTokenTTL), Scopes: scopes})
	if err != nil {
		switch awapi.ErrorCode(err) {
		case "refresh_token_has_expired":
			// The documented answer: 401 {"error":"refresh_token_has_expired"}.
			return nil, &tokenError{status: http.StatusUnauthorized, Error: "refresh_token_has_expired"}
		case "refresh_token_reused":
			return nil, badRequest("invalid_grant", "The refresh token was already used; the grant is revoked.")
		case "invalid_scope":
			return nil, badRequest("invalid_scope", "A refresh cannot add scopes the member did not grant.")
		}
		if awapi.ErrorKind(err) == awapi.KindNotFound {
			return nil, badRequest("invalid_grant", "The refresh token is invalid or its grant was revoked.")
		}
		return nil, h.serverError(r, err)
	}
	return &tokenResponse{AccessToken: access, TokenType: "bearer", ExpiresIn: int(h.cfg.AccessTTL.Seconds()),
		RefreshToken: refresh, Scope: granted.String()}, nil
}

func (h *Handler) serverError(r *http.Request, err error) *tokenError {
	h.log.ErrorContext(r.Context(), "token endpoint", "error", err)
	return &tokenError{status: http.StatusInternalServerError, Error: "server_error"}
}

// revoke is RFC 7009 token revocation: the client authenticates, and the answer is 200 whether or not
// the token was known, so it reveals nothing.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	client, ok := h.clientRequest(w, r)
	if !ok {
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		badRequest("invalid_request", "token is required.").write(w)
		return
	}
	if err := h.store.RevokeToken(r.Context(), client.ProjectID, awapi.HashSecret(token), h.cfg.Clock.Now()); err != nil {
		h.serverError(r, err).write(w)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
