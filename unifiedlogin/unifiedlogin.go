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
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/argon2"

	"github.com/awapi/awapi"
)

// Config tunes the authorization server.
type Config struct {
	AccessTTL time.Duration // lifetime of access tokens; default 3600 s as in the documented sample
	// Login throttling: at most AccountFailures failed logins per account (per member, whichever of
	// their names was typed) and AddressFailures per client address within ThrottleWindow, then 429.
	// Wrong client secrets at the token endpoint count the same way, per client.
	AccountFailures, AddressFailures int
	ThrottleWindow                   time.Duration
	// MaxConcurrentHashes bounds the password hashes computed at once by this instance. Each takes
	// awapi.PasswordParams.Memory (64 MiB by default), so this bounds the memory a login flood can
	// take. 0 means one per core.
	MaxConcurrentHashes int
	// HashQueueWait is how long a login waits for a hashing slot before it answers 429; default 2 s.
	HashQueueWait time.Duration
	// TrustedProxies are the networks of the load balancers and proxies in front of the server. A
	// request that arrives from one of them is attributed to the rightmost X-Forwarded-For address
	// not in them; the entries left of it are written by the client and are never believed.
	TrustedProxies []netip.Prefix
	Clock          awapi.Clock
	Logger         *slog.Logger
}

// Store is what the Unified Login reads and writes: the OAuth records (awapi.UnifiedLogin) and, among
// the installation facts, the ticket signing key every instance shares. awapi.Store implements it.
type Store interface {
	awapi.UnifiedLogin
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMetaIfAbsent(ctx context.Context, key, value string) error
}

// Handler serves the Unified Login endpoints.
type Handler struct {
	store Store
	cfg   Config
	key   []byte // the ticket signing key, shared by all instances through the store
	log   *slog.Logger
	// hashes holds a token per password hash being computed (MaxConcurrentHashes of them).
	hashes chan struct{}
	// verifyPassword is awapi.VerifyPassword; tests substitute it to count and hold evaluations.
	verifyPassword func(password, encoded string) bool
	// passwordChecks counts the password hashes this instance computed (awapi_password_checks_total),
	// so an operator, or a test of several processes, sees how many guesses were ever evaluated.
	passwordChecks prometheus.Counter
}

const metaSigningKey = "unified_login_signing_key"

// New builds the handler, creating the shared signing key on first use.
func New(ctx context.Context, store Store, cfg Config) (*Handler, error) {
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
	if cfg.MaxConcurrentHashes <= 0 {
		cfg.MaxConcurrentHashes = runtime.GOMAXPROCS(0)
	}
	if cfg.HashQueueWait == 0 {
		cfg.HashQueueWait = 2 * time.Second
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
	return &Handler{store: store, cfg: cfg, key: key, log: cfg.Logger, hashes: make(chan struct{}, cfg.MaxConcurrentHashes),
		verifyPassword: awapi.VerifyPassword, passwordChecks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "awapi_password_checks_total", Help: "Password hashes computed to check a sign-in (login throttling bounds them).",
		})}, nil
}

// Metrics are the Unified Login's Prometheus collectors, for the server's /metrics.
func (h *Handler) Metrics() []prometheus.Collector { return []prometheus.Collector{h.passwordChecks} }

// dummyHash is what a login that names nobody (or a member without a password) is verified against:
// a hash with the current parameters, so it costs the time and memory of a real one and neither
// tells whether the name exists. Its salt and digest are random rather than computed, so nothing is
// hashed to make it (a hash at start held 64 MiB of an idle server's heap), and it matches nothing.
func dummyHash() string {
	p := awapi.PasswordParams
	var salt [16]byte
	var sum [32]byte
	_, _ = rand.Read(salt[:])
	_, _ = rand.Read(sum[:])
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt[:]), base64.RawStdEncoding.EncodeToString(sum[:]))
}

// signingKey reads the shared key, creating it once. Two instances racing to create it both end up
// with whichever value the store kept.
func signingKey(ctx context.Context, store Store) ([]byte, error) {
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

// Routes lists the patterns this handler serves, for mounting on the API server. The token and
// revocation endpoints are marked cross-origin: browser apps using PKCE call them from their own pages,
// so the server answers their CORS preflights and allows the origins it allows on /v1
// (web.CrossOriginHandler). The login and grants pages are not: they are navigated to, never
// fetched.
func (h *Handler) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /OAuth/Authorize":          http.HandlerFunc(h.authorizePage),
		"POST /OAuth/Authorize":         http.HandlerFunc(h.login),
		"POST /OAuth/Authorize/Consent": http.HandlerFunc(h.consent),
		"POST /OAuth/token":             crossOrigin(h.token),
		"POST /OAuth/revoke":            crossOrigin(h.revoke),
		"GET /OAuth/Grants":             http.HandlerFunc(h.grantsPage),
		"POST /OAuth/Grants":            http.HandlerFunc(h.grantsLogin),
		"POST /OAuth/Grants/Revoke":     http.HandlerFunc(h.grantsRevoke),
		"GET /OAuth/Callback":           http.HandlerFunc(h.callback),
	}
}

// crossOrigin marks a handler other origins' pages may call; the server mounting it reads the mark
// through its CrossOrigin method.
type crossOrigin http.HandlerFunc

func (f crossOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) { f(w, r) }

// CrossOrigin reports that pages on other origins may call the handler.
func (crossOrigin) CrossOrigin() bool { return true }

// clientAddress is the address login throttling counts against: the peer's, or, when the peer is a
// trusted proxy, the rightmost X-Forwarded-For address that is not a trusted proxy. Each proxy
// appends the address it received the request from, so the walk from the right stops at the first
// hop no trusted proxy vouches for. An entry that is not an address ends the walk at the last hop
// that was one; when every hop is trusted, the leftmost answers.
func (h *Handler) clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr := peer.Unmap()
	if !h.trusted(addr) {
		return addr.String()
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") { // several headers read as one list (RFC 9110 §5.3)
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		addr = hop
		if !h.trusted(addr) {
			break
		}
	}
	return addr.String()
}

// ParseTrustedProxies reads a comma-separated list of networks in CIDR notation; a bare address is a
// network of that one address. IPv4-mapped IPv6 networks are read as IPv4.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("%q is not a network (10.0.0.0/8) or an address (127.0.0.1)", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if a := p.Addr(); a.Is4In6() {
			if p.Bits() < 96 {
				return nil, fmt.Errorf("%q is not an IPv4-mapped network", f)
			}
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (h *Handler) trusted(a netip.Addr) bool {
	for _, p := range h.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads one X-Forwarded-For entry: an IPv4 or IPv6 address, optionally with a port (some
// proxies add one, bracketing IPv6). IPv4-mapped IPv6 addresses count as IPv4.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil && ap.Addr().Zone() == "" {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// newSecret returns a fresh token and its digest.
func newSecret(prefix string) (string, []byte) {
	s := awapi.NewSecret(prefix)
	return s, awapi.HashSecret(s)
}
