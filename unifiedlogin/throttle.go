package unifiedlogin

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Login throttling.
//
// Every attempt to sign in is recorded before its password is checked, in one atomic step with the
// count (awapi.UnifiedLogin.ReserveLoginAttempt), against the account and against the client
// address; an attempt that would exceed either limit is refused with 429 before any hash is
// computed, so parallel attempts cannot outrun the count, on one instance or many. The account is
// the member, whichever of their names was typed; a name that matches nobody is an account of its
// own, so throttling behaves the same whether or not it exists. A right password releases its
// attempt afterwards, so a successful sign-in never counts as a failure; everything else (a wrong
// password, an unknown name, an inactive member, a request that died while being checked) keeps it
// as a failure. While it is being checked, an attempt holds its place in both counts: more
// simultaneous attempts on one account than its limit are refused even if their password is right.
//
// Password hashes are computed at most MaxConcurrentHashes at a time per instance. A login that
// finds no free slot within HashQueueWait answers 429 with Retry-After: 1 and its attempt is
// released, its password never having been checked.

const (
	msgThrottled = "Too many failed sign-in attempts. Please wait a while and try again."
	msgBusy      = "The server is busy. Please try again in a moment."
	msgWrong     = "The nickname, email address or password is not right."
	msgLater     = "Please try again later."
)

// authenticate checks login and password with throttling per account and per address. It returns
// the member, or nil with the status and message to show.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (*awapi.Member, int, string) {
	ctx := r.Context()
	login := strings.TrimSpace(r.PostForm.Get("login"))
	m, err := h.store.MemberByLogin(ctx, login)
	known := err == nil
	if err != nil && awapi.ErrorKind(err) != awapi.KindNotFound {
		h.log.ErrorContext(ctx, "login lookup", "error", err)
		return nil, http.StatusInternalServerError, msgLater
	}
	account := nameKey("login", strings.ToLower(login))
	if known {
		account = "member:" + strconv.FormatInt(m.UserID, 10)
	}
	attempt, err := h.reserve(r, account, h.cfg.AccountFailures)
	if err != nil {
		if awapi.ErrorKind(err) == awapi.KindRateLimited {
			w.Header().Set("Retry-After", h.retryAfter())
			return nil, http.StatusTooManyRequests, msgThrottled
		}
		h.log.ErrorContext(ctx, "login throttle", "error", err)
		return nil, http.StatusInternalServerError, msgLater
	}
	hash := dummyHash()
	if known && m.PasswordHash != "" {
		hash = m.PasswordHash
	}
	match, busy := h.checkPassword(ctx, r.PostForm.Get("password"), hash)
	if busy {
		h.release(ctx, attempt)
		w.Header().Set("Retry-After", "1")
		return nil, http.StatusTooManyRequests, msgBusy
	}
	if !match || !known || !m.IsActive {
		return nil, http.StatusUnauthorized, msgWrong
	}
	h.release(ctx, attempt)
	return &m, http.StatusOK, ""
}

// nameKey is the throttling key of a name as typed: its digest, so the database never holds what
// people type into a name field (sometimes their password) and keys stay short.
func nameKey(kind, name string) string {
	sum := sha256.Sum256([]byte(name))
	return kind + ":" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// reserve records an attempt against key (at most limit in the window) and the client's address.
func (h *Handler) reserve(r *http.Request, key string, limit int) (awapi.LoginAttempt, error) {
	now := h.cfg.Clock.Now()
	return h.store.ReserveLoginAttempt(r.Context(), []awapi.LoginLimit{
		{Key: key, Limit: limit},
		{Key: "address:" + h.clientAddress(r), Limit: h.cfg.AddressFailures},
	}, now, now.Add(-h.cfg.ThrottleWindow))
}

// release takes back an attempt that was no failure. It runs even if the client has gone: the
// attempt would otherwise count against the member.
func (h *Handler) release(ctx context.Context, a awapi.LoginAttempt) {
	if err := h.store.ReleaseLoginAttempt(context.WithoutCancel(ctx), a); err != nil {
		h.log.ErrorContext(ctx, "login throttle release", "error", err)
	}
}

// retryAfter is the Retry-After of a throttled attempt: the window, after which every attempt
// counted now has aged out.
func (h *Handler) retryAfter() string {
	return strconv.Itoa(int(h.cfg.ThrottleWindow.Seconds()))
}

// checkPassword verifies a password once one of the instance's hashing slots is free; busy reports
// that none freed up within HashQueueWait (or the client went away first).
func (h *Handler) checkPassword(ctx context.Context, password, encoded string) (match, busy bool) {
	select {
	case h.hashes <- struct{}{}:
	default:
		wait := time.NewTimer(h.cfg.HashQueueWait)
		defer wait.Stop()
		select {
		case h.hashes <- struct{}{}:
		case <-wait.C:
			return false, true
		case <-ctx.Done():
			return false, true
		}
	}
	defer func() { <-h.hashes }()
	h.passwordChecks.Inc()
	return h.verifyPassword(password, encoded), false
}
