package unifiedlogin

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

//go:embed templates/pages.html
var templateFS embed.FS

type hiddenField struct{ Name, Value string }

// pageData is everything a page may show.
type pageData struct {
	Title, Error, Code string
	Client, Nickname   string
	Action             string
	Hidden             []hiddenField
	CSRF, Ticket       string
	Login              string
	Scopes             []string
	Grants             []awapi.GrantInfo
	// RedirectOrigin is the origin of the validated redirect URI a form on this page may end up at:
	// CSP form-action also governs the redirect that answers the POST (Chromium enforces it).
	RedirectOrigin string
}

// Each page is the layout with its own "content" block.
var contents = map[string]string{
	"login": `<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">{{end}}
<input type="hidden" name="csrf" value="{{.CSRF}}">
{{if .Client}}<p class="muted">{{.Client}} asks you to sign in with your AdultWork-style account.</p>{{end}}
<label for="login">Nickname or email address</label>
<input type="text" id="login" name="login" value="{{.Login}}" autocomplete="username" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button class="primary" type="submit" id="signin">Sign in</button>
</form>`,
	"consent": `<p>Signed in as <strong>{{.Nickname}}</strong>. <strong>{{.Client}}</strong> would like to:</p>
<ul class="scopes">{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
<form method="post" action="/OAuth/Authorize/Consent">
<input type="hidden" name="ticket" value="{{.Ticket}}">
<input type="hidden" name="csrf" value="{{.CSRF}}">
<button class="primary" type="submit" name="decision" value="approve" id="approve">Allow</button>
<button class="secondary" type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>
<p class="muted">You can withdraw this at any time on the <a href="/OAuth/Grants">authorised applications</a> page.</p>`,
	"callback": `{{if .Code}}<p>Authorization code:</p><p><code id="code">{{.Code}}</code></p>
<p class="muted">Exchange it within 10 minutes at POST /OAuth/token with grant_type=authorization_code, this code,
the same redirect_uri and your client credentials.</p>{{else if .Error}}{{else}}<p>An implicit-flow token, if any, is in this page's address after the #.</p>{{end}}`,
	"error": `{{if .Code}}<p class="muted">Error code: {{.Code}}</p>{{end}}
<p class="muted">If an application sent you here, tell its developer.</p>`,
	"grants": `{{if .Nickname}}<p>Signed in as <strong>{{.Nickname}}</strong>.</p>
{{if .Grants}}<table>{{range .Grants}}<tr><td><strong>{{.ProjectName}}</strong><br><span class="muted">since {{.CreatedAt.Format "2 Jan 2006"}}</span></td>
<td><form method="post" action="/OAuth/Grants/Revoke"><input type="hidden" name="ticket" value="{{$.Ticket}}">
<input type="hidden" name="csrf" value="{{$.CSRF}}"><input type="hidden" name="project_id" value="{{.ProjectID}}">
<button class="secondary" type="submit">Revoke</button></form></td></tr>{{end}}</table>
{{else}}<p>You have not authorised any applications.</p>{{end}}{{end}}`,
}

var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for name, content := range contents {
		t := template.Must(template.ParseFS(templateFS, "templates/pages.html"))
		template.Must(t.New("content").Parse(content))
		m[name] = t
	}
	return m
}()

// render writes a page. Pages are never cached or framed: they hold tickets and take passwords.
func (h *Handler) render(w http.ResponseWriter, status int, page string, d pageData) {
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, page, d); err != nil {
		h.log.Error("render", "page", page, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Frame-Options", "DENY")
	formAction := "'self'"
	if d.RedirectOrigin != "" {
		formAction += " " + d.RedirectOrigin
	}
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action "+formAction+"; frame-ancestors 'none'; base-uri 'none'")
	hdr.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// redirectOrigin is the CSP source expression for exactly the origin of a registered redirect URI
// (scheme, host and port), or "" when it has none that a source expression can name safely.
func redirectOrigin(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	origin := u.Scheme + "://" + u.Host
	for _, c := range origin {
		// A source expression is one token: nothing that could end it or start another directive.
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(";,'\"*", c) {
			return ""
		}
	}
	return origin
}

const csrfCookieName = "awapi_csrf"

// csrf returns this browser's CSRF token, setting the cookie on first sight (double-submit pattern).
// Call it once per request: a second call before the cookie round-trips would mint another.
func (h *Handler) csrf(w http.ResponseWriter, r *http.Request) string {
	if v := h.csrfCookie(r); v != "" {
		return v
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: csrfCookieName, Value: v, Path: "/OAuth", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return v
}

func (h *Handler) csrfCookie(r *http.Request) string {
	c, err := r.Cookie(csrfCookieName)
	if err != nil || len(c.Value) < 16 {
		return ""
	}
	return c.Value
}

// csrfOK checks the form's CSRF field against the cookie.
func (h *Handler) csrfOK(r *http.Request) bool {
	cookie, form := h.csrfCookie(r), r.PostForm.Get("csrf")
	return cookie != "" && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
}

// callback is a landing page for the sandbox demo project's redirect URI: it shows the code it got.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := pageData{Title: "Unified Login callback", Code: q.Get("code")}
	if e := q.Get("error"); e != "" {
		d.Error = e + ": " + q.Get("error_description")
	}
	h.render(w, http.StatusOK, "callback", d)
}

// grantsPage asks the member to sign in to see the applications they authorised.
func (h *Handler) grantsPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, http.StatusOK, "login", pageData{Title: "Authorised applications", Action: "/OAuth/Grants", CSRF: h.csrf(w, r)})
}

// grantsLogin signs the member in and lists their grants.
func (h *Handler) grantsLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || !h.csrfOK(r) {
		h.render(w, http.StatusForbidden, "error", pageData{Title: "Please start again", Error: errBadTicket.Error()})
		return
	}
	csrf := h.csrfCookie(r)
	member, status, msg := h.authenticate(w, r)
	if member == nil {
		h.render(w, status, "login", pageData{Title: "Authorised applications", Action: "/OAuth/Grants", CSRF: csrf,
			Error: msg, Login: r.PostForm.Get("login")})
		return
	}
	h.showGrants(w, r, member.UserID, member.Nickname, csrf)
}

func (h *Handler) showGrants(w http.ResponseWriter, r *http.Request, userID int64, nickname, csrf string) {
	grants, err := h.store.Grants(r.Context(), userID)
	if err != nil {
		h.log.ErrorContext(r.Context(), "grants", "error", err)
		h.render(w, http.StatusInternalServerError, "error", pageData{Title: "Something went wrong", Error: "Please try again later."})
		return
	}
	t := h.sign(ticket{UserID: userID, Request: authReq{ClientID: nickname}, CSRF: csrf,
		Expires: h.cfg.Clock.Now().Add(15 * time.Minute), Purpose: "grants"})
	h.render(w, http.StatusOK, "grants", pageData{Title: "Authorised applications", Nickname: nickname, Grants: grants, Ticket: t, CSRF: csrf})
}

// grantsRevoke withdraws every grant the member gave one project.
func (h *Handler) grantsRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		h.render(w, http.StatusBadRequest, "error", pageData{Title: "Bad request", Error: "The form could not be read."})
		return
	}
	now := h.cfg.Clock.Now()
	t, err := h.verify(r.PostForm.Get("ticket"), "grants", h.csrfCookie(r), now)
	projectID, perr := strconv.ParseInt(r.PostForm.Get("project_id"), 10, 64)
	if err != nil || !h.csrfOK(r) || perr != nil {
		h.render(w, http.StatusForbidden, "error", pageData{Title: "Please start again", Error: errBadTicket.Error()})
		return
	}
	if !h.spend(w, r, t) {
		return
	}
	if err := h.store.RevokeProject(r.Context(), t.UserID, projectID, now); err != nil {
		h.log.ErrorContext(r.Context(), "revoke project", "error", err)
		h.render(w, http.StatusInternalServerError, "error", pageData{Title: "Something went wrong", Error: "Please try again later."})
		return
	}
	h.showGrants(w, r, t.UserID, t.Request.ClientID, h.csrfCookie(r))
}
