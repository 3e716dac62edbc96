package unifiedlogin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/awapi/awapi"
)

// A ticket carries state between the pages of one login without a server-side session: the member
// who logged in, the request they are answering, and an expiry, signed with a key every instance
// shares (kept in the database). It also binds the CSRF cookie, so a form cannot be replayed from
// another browser, and it is single-use: submitting it spends its nonce in the database (spend), so
// the same form sent twice, to any instances, takes effect once.
type ticket struct {
	UserID  int64     `json:"u"`
	Request authReq   `json:"r"`
	CSRF    string    `json:"c"`
	Expires time.Time `json:"e"`
	Purpose string    `json:"p"` // "consent" or "grants": a ticket for one page is no use on another
	Nonce   string    `json:"n"`
}

var errBadTicket = errors.New("the form has expired or was not issued to this browser; please start again")

// sign issues a ticket with a fresh nonce.
func (h *Handler) sign(t ticket) string {
	t.Nonce = awapi.NewSecret("")
	body, _ := json.Marshal(t) // a plain struct of strings, ints and times cannot fail to marshal
	mac := hmac.New(sha256.New, h.key)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(body) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (h *Handler) verify(s, purpose, csrf string, now time.Time) (ticket, error) {
	var t ticket
	body64, sig64, ok := cut(s, '.')
	if !ok {
		return t, errBadTicket
	}
	body, err1 := base64.RawURLEncoding.Strict().DecodeString(body64)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(sig64)
	if err1 != nil || err2 != nil {
		return t, errBadTicket
	}
	mac := hmac.New(sha256.New, h.key)
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return t, errBadTicket
	}
	// A ticket without a nonce (signed before tickets had one) could not be spent on its own.
	if err := json.Unmarshal(body, &t); err != nil || t.Purpose != purpose || !now.Before(t.Expires) || t.Nonce == "" ||
		csrf == "" || !hmac.Equal([]byte(t.CSRF), []byte(csrf)) {
		return t, errBadTicket
	}
	return t, nil
}

func cut(s string, sep byte) (string, string, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// spend uses up a verified ticket. When it was used before (or the store fails) it renders the page
// that says so and reports false.
func (h *Handler) spend(w http.ResponseWriter, r *http.Request, t ticket) bool {
	err := h.store.SpendTicket(r.Context(), awapi.HashSecret(t.Nonce), t.Expires, h.cfg.Clock.Now())
	switch {
	case err == nil:
		return true
	case awapi.ErrorCode(err) == "ticket_spent":
		h.render(w, http.StatusConflict, "error", pageData{Title: "This form was already sent",
			Error: "Each form can be sent once. Please start again.", Code: "ticket_spent"})
	default:
		h.log.ErrorContext(r.Context(), "spend ticket", "error", err)
		h.render(w, http.StatusInternalServerError, "error", pageData{Title: "Something went wrong", Error: msgLater})
	}
	return false
}
