package unifiedlogin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// authReq is a validated authorization request (RFC 6749 §4.1.1, §4.2.1; RFC 7636 §4.3).
type authReq struct {
	ResponseType    string         `json:"rt"`
	ClientID        string         `json:"ci"`
	RedirectURI     string         `json:"ru"`
	Scopes          awapi.ScopeSet `json:"s"`
	State           string         `json:"st,omitempty"`
	CodeChallenge   string         `json:"cc,omitempty"`
	ChallengeMethod string         `json:"cm,omitempty"`
}

// authError is a problem with an authorization request. Before the redirect URI is known to be the
// client's, it can only be shown on the page (RFC 6749 §4.1.2.1); afterwards it goes back to the client.
type authError struct {
	code, description string
	redirect          bool
}

func (e *authError) Error() string { return e.description }

// parseAuthorize validates the request parameters in the order RFC 6749 demands: client and
// redirect URI first, so that nothing is ever redirected to an unregistered address.
func (h *Handler) parseAuthorize(r *http.Request, form url.Values) (*awapi.Client, authReq, error) {
	q := authReq{
		ResponseType: form.Get("response_type"), ClientID: form.Get("client_id"), RedirectURI: form.Get("redirect_uri"),
		State: form.Get("state"), CodeChallenge: form.Get("code_challenge"), ChallengeMethod: form.Get("code_challenge_method"),
	}
	if q.ClientID == "" {
		return nil, q, &authError{code: "invalid_request", description: "The request has no client_id."}
	}
	client, err := h.store.ClientByID(r.Context(), q.ClientID)
	if err != nil {
		if awapi.ErrorKind(err) == awapi.KindNotFound {
			return nil, q, &authError{code: "invalid_client", description: "No application is registered with this client_id."}
		}
		return nil, q, err
	}
	if q.RedirectURI == "" && len(client.RedirectURIs) == 1 {
		q.RedirectURI = client.RedirectURIs[0] // RFC 6749 §3.1.2.3: optional when exactly one is registered
	}
	if !client.RedirectAllowed(q.RedirectURI) {
		return nil, q, &authError{code: "invalid_request", description: "The redirect_uri is not one registered for this application."}
	}
	fail := func(code, desc string) (*awapi.Client, authReq, error) {
		return &client, q, &authError{code: code, description: desc, redirect: true}
	}
	switch q.ResponseType {
	case "code", "token":
	default:
		return fail("unsupported_response_type", "response_type must be code or token.")
	}
	q.Scopes = awapi.ParseScopes(form.Get("scope"))
	if len(q.Scopes) == 0 {
		q.Scopes = awapi.ParseScopes(form.Get("scopes")) // the JS SDK's spelling
	}
	if len(q.Scopes) == 0 {
		return fail("invalid_scope", "No scope was requested.")
	}
	for _, s := range q.Scopes {
		if !awapi.KnownScope(s) {
			return fail("invalid_scope", "Unknown scope "+string(s)+".")
		}
		if !client.Scopes.Has(s) {
			return fail("invalid_scope", "This application may not request the "+string(s)+" scope.")
		}
	}
	if q.CodeChallenge != "" || q.ChallengeMethod != "" {
		if q.ResponseType != "code" {
			return fail("invalid_request", "PKCE applies to the authorization code flow only.")
		}
		if q.ChallengeMethod != "S256" {
			return fail("invalid_request", "code_challenge_method must be S256.")
		}
		if !awapi.ValidCodeChallenge(q.CodeChallenge) {
			return fail("invalid_request", "code_challenge must be 43 base64url characters.")
		}
	} else if client.Public && q.ResponseType == "code" {
		return fail("invalid_request", "Public applications must use PKCE (code_challenge with S256).")
	}
	return &client, q, nil
}

// redirectWith sends the browser back to the client with params: in the query for the code flow, in
// the fragment for the implicit flow (RFC 6749 §4.2.2).
func redirectWith(w http.ResponseWriter, r *http.Request, q authReq, params url.Values) {
	if q.State != "" {
		params.Set("state", q.State)
	}
	target := q.RedirectURI
	if q.ResponseType == "token" {
		target += "#" + params.Encode()
	} else {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + params.Encode()
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

// authorizeFailure shows a request error on the page, or returns it to the client when that is safe.
func (h *Handler) authorizeFailure(w http.ResponseWriter, r *http.Request, q authReq, err error) {
	var ae *authError
	if !errors.As(err, &ae) {
		h.log.ErrorContext(r.Context(), "authorize", "error", err)
		h.render(w, http.StatusInternalServerError, "error", pageData{Title: "Something went wrong", Error: "Please try again later."})
		return
	}
	if ae.redirect {
		redirectWith(w, r, q, url.Values{"error": {ae.code}, "error_description": {ae.description}})
		return
	}
	h.render(w, http.StatusBadRequest, "error", pageData{Title: "This sign-in link is not valid", Error: ae.description, Code: ae.code})
}

// authorizePage validates the request and shows the login form.
func (h *Handler) authorizePage(w http.ResponseWriter, r *http.Request) {
	client, q, err := h.parseAuthorize(r, r.URL.Query())
	if err != nil {
		h.authorizeFailure(w, r, q, err)
		return
	}
	h.render(w, http.StatusOK, "login", pageData{Title: "Sign in to continue to " + client.Name, Client: client.Name,
		Action: "/OAuth/Authorize", Hidden: authHidden(r.URL.Query()), CSRF: h.csrf(w, r), RedirectOrigin: redirectOrigin(q.RedirectURI)})
}

// authHidden carries the authorization parameters through the login form.
func authHidden(form url.Values) []hiddenField {
	var out []hiddenField
	for _, k := range []string{"response_type", "client_id", "redirect_uri", "scope", "scopes", "state", "code_challenge", "code_challenge_method"} {
		if v := form.Get(k); v != "" {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}

// login checks the member's credentials and shows the consent page.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.render(w, http.StatusBadRequest, "error", pageData{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	client, q, err := h.parseAuthorize(r, r.PostForm)
	if err != nil {
		h.authorizeFailure(w, r, q, err)
		return
	}
	if !h.csrfOK(r) {
		h.render(w, http.StatusForbidden, "error", pageData{Title: "Please start again", Error: errBadTicket.Error()})
		return
	}
	csrf := h.csrfCookie(r) // csrfOK proved the cookie is set
	member, status, msg := h.authenticate(w, r)
	if member == nil {
		h.render(w, status, "login", pageData{Title: "Sign in to continue to " + client.Name, Client: client.Name,
			Action: "/OAuth/Authorize", Hidden: authHidden(r.PostForm), CSRF: csrf, Error: msg, Login: r.PostForm.Get("login"),
			RedirectOrigin: redirectOrigin(q.RedirectURI)})
		return
	}
	now := h.cfg.Clock.Now()
	t := h.sign(ticket{UserID: member.UserID, Request: q, CSRF: csrf, Expires: now.Add(10 * time.Minute), Purpose: "consent"})
	h.render(w, http.StatusOK, "consent", pageData{Title: client.Name + " would like to use your account", Client: client.Name,
		Nickname: member.Nickname, Scopes: describe(q.Scopes), Ticket: t, CSRF: csrf, RedirectOrigin: redirectOrigin(q.RedirectURI)})
}

func describe(scopes awapi.ScopeSet) []string {
	var out []string
	for _, info := range awapi.Scopes {
		if scopes.Has(info.Scope) {
			out = append(out, info.Description)
		}
	}
	return out
}

// consent carries out the member's decision.
func (h *Handler) consent(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.render(w, http.StatusBadRequest, "error", pageData{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	now := h.cfg.Clock.Now()
	t, err := h.verify(r.PostForm.Get("ticket"), "consent", h.csrfCookie(r), now)
	if err != nil || r.PostForm.Get("csrf") != h.csrfCookie(r) {
		h.render(w, http.StatusForbidden, "error", pageData{Title: "Please start again", Error: errBadTicket.Error()})
		return
	}
	if !h.spend(w, r, t) { // a decision is taken once: a second submission mints no second code or grant
		return
	}
	q := t.Request
	client, err := h.store.ClientByID(r.Context(), q.ClientID)
	if err != nil || !client.RedirectAllowed(q.RedirectURI) {
		h.render(w, http.StatusBadRequest, "error", pageData{Title: "This application is no longer available", Error: "Please start again."})
		return
	}
	if r.PostForm.Get("decision") != "approve" {
		redirectWith(w, r, q, url.Values{"error": {"access_denied"}, "error_description": {"The member declined."}})
		return
	}
	grant := awapi.Grant{UserID: t.UserID, ProjectID: client.ProjectID, Scopes: q.Scopes, CreatedAt: now}
	if q.ResponseType == "code" {
		code, digest := newSecret(awapi.PrefixAuthCode)
		_, err = h.store.Authorize(r.Context(), grant, digest, &awapi.AuthCode{RedirectURI: q.RedirectURI,
			CodeChallenge: q.CodeChallenge, CodeChallengeMethod: q.ChallengeMethod, ExpiresAt: now.Add(awapi.AuthCodeTTL)}, nil)
		if err != nil {
			h.authorizeFailure(w, r, q, err)
			return
		}
		redirectWith(w, r, q, url.Values{"code": {code}})
		return
	}
	token, digest := newSecret(awapi.PrefixAccessToken)
	expires := now.Add(h.cfg.AccessTTL)
	if _, err = h.store.Authorize(r.Context(), grant, nil, nil, &awapi.IssuedToken{Digest: digest, ExpiresAt: expires, Scopes: q.Scopes}); err != nil {
		h.authorizeFailure(w, r, q, err)
		return
	}
	redirectWith(w, r, q, url.Values{"access_token": {token}, "token_type": {"bearer"},
		"expires_in": {strconv.Itoa(int(h.cfg.AccessTTL.Seconds()))}, "scope": {q.Scopes.String()}})
}
