package unifiedlogin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"
)

// A ticket carries state between the pages of one login without a server-side session: the member
// who logged in, the request they are answering, and an expiry, signed with a key every instance
// shares (kept in the database). It also binds the CSRF cookie, so a form cannot be replayed from
// another browser.
type ticket struct {
	UserID  int64     `json:"u"`
	Request authReq   `json:"r"`
	CSRF    string    `json:"c"`
	Expires time.Time `json:"e"`
	Purpose string    `json:"p"` // "consent" or "grants": a ticket for one page is no use on another
}

var errBadTicket = errors.New("the form has expired or was not issued to this browser; please start again")

func (h *Handler) sign(t ticket) string {
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
	if err := json.Unmarshal(body, &t); err != nil || t.Purpose != purpose || !now.Before(t.Expires) ||
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
