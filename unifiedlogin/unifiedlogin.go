// Package unifiedlogin is the OAuth 2.0 authorization server ("Unified Login", api-v1.md §1.5): the
// login and consent pages behind /OAuth/Authorize (authorization code with PKCE, and the implicit
// flow), the token endpoint (code exchange and rotating refresh tokens), RFC 7009 revocation, and a
// page where members review and revoke the projects they authorised. It keeps no state in memory:
// everything lives in the store, so any number of instances can serve it.
package unifiedlogin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/awapi/awapi"
)

// Config tunes the authorization server.
type Config struct {
	AccessTTL time.Duration // lifetime of access tokens; default 3600 s as in the documented sample
	// Login throttling: at most AccountFailures failed logins per account and AddressFailures per
	// client address within ThrottleWindow, then 429.
	AccountFailures, AddressFailures int
	ThrottleWindow                   time.Duration
	// TrustProxy takes the client address from X-Forwarded-For (behind a load balancer).
	TrustProxy bool
	Clock      awapi.Clock
	Logger     *slog.Logger
}

// Handler serves the Unified Login endpoints.
type Handler struct {
	store awapi.Store
	cfg   Config
	key   []byte // the ticket signing key, shared by all instances through the store
	log   *slog.Logger
	dummy string // a hash to verify against when the login names nobody, so timing tells nothing
}

const metaSigningKey = "unified_login_signing_key"

// New builds the handler, creating the shared signing key on first use.
func New(ctx context.Context, store awapi.Store, cfg Config) (*Handler, error) {
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = awapi.DefaultAccessTTL
	}
	if cfg.AccountFailures == 0 {
		cfg.AccountFailures = 5
	}
	if cfg.AddressFailures == 0 {
		cfg.AddressFailures = 20
	}
	if cfg.ThrottleWindow == 0 {
		cfg.ThrottleWindow = 15 * time.Minute
	}
	if cfg.Clock == nil {
		cfg.Clock = awapi.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	key, err := signingKey(ctx, store)
	if err != nil {
		return nil, err
	}
	return &Handler{store: store, cfg: cfg, key: key, log: cfg.Logger, dummy: dummyHash()}, nil
}

var dummyHash = sync.OnceValue(func() string { return awapi.HashPassword("no such member") })

// signingKey reads the shared key, creating it once. Two instances racing to create it both end up
// with whichever value the store kept.
func signingKey(ctx context.Context, store awapi.Store) ([]byte, error) {
	for range 2 {
		v, ok, err := store.Meta(ctx, metaSigningKey)
		if err != nil {
			return nil, err
		}
		if ok {
			return base64.RawStdEncoding.DecodeString(v)
		}
		var b [32]byte
		_, _ = rand.Read(b[:])
		if err := store.SetMetaIfAbsent(ctx, metaSigningKey, base64.RawStdEncoding.EncodeToString(b[:])); err != nil {
			return nil, err
		}
	}
	return nil, errNoKey
}

type errString string

func (e errString) Error() string { return string(e) }

const errNoKey = errString("unified login: could not establish a signing key")

// Routes lists the patterns this handler serves, for mounting on the API server.
func (h *Handler) Routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"GET /OAuth/Authorize":          h.authorizePage,
		"POST /OAuth/Authorize":         h.login,
		"POST /OAuth/Authorize/Consent": h.consent,
		"POST /OAuth/token":             h.token,
		"POST /OAuth/revoke":            h.revoke,
		"GET /OAuth/Grants":             h.grantsPage,
		"POST /OAuth/Grants":            h.grantsLogin,
		"POST /OAuth/Grants/Revoke":     h.grantsRevoke,
		"GET /OAuth/Callback":           h.callback,
	}
}

// clientAddress is the address login throttling counts against.
func (h *Handler) clientAddress(r *http.Request) string {
	if h.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// newSecret returns a fresh token and its digest.
func newSecret(prefix string) (string, []byte) {
	s := awapi.NewSecret(prefix)
	return s, awapi.HashSecret(s)
}
