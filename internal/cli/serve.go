package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/httpapi"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/unifiedlogin"
	"github.com/awapi/awapi/web"
)

func serve(ctx context.Context, args []string, env Env) error {
	var c common
	fs := newFlags("serve", env, &c)
	addr := fs.String("addr", envOr(env, "AWAPI_ADDR", "127.0.0.1:8080"), "listen address")
	noSeed := fs.Bool("no-seed", false, "do not seed an empty database (production)")
	users := fs.Int("users", DefaultSandboxUsers, "members to seed into an empty database")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	timeouts := &Timeouts{}
	*timeouts = DefaultTimeouts
	fs.DurationVar(&timeouts.ReadHeader, "read-header-timeout", DefaultTimeouts.ReadHeader, "time allowed to send request headers")
	fs.DurationVar(&timeouts.Idle, "idle-timeout", DefaultTimeouts.Idle, "how long an idle keep-alive connection stays open")
	fs.DurationVar(&timeouts.Drain, "drain-timeout", DefaultTimeouts.Drain, "how long shutdown waits for in-flight requests")
	accessTTL := fs.Duration("access-token-ttl", time.Hour, "lifetime of OAuth access tokens")
	authCacheTTL := fs.Duration("auth-cache-ttl", DefaultAuthCacheTTL,
		"how long an instance trusts a token or API key the database confirmed: the longest a revoked one keeps working (0: ask every time)")
	fs.DurationVar(&c.searchCacheTTL, "search-cache-ttl", DefaultSearchCacheTTL,
		"how long a search's ProfilesTotal and the ends of its pages are reused before the search is counted again (0: count every request)")
	fs.IntVar(&c.maxConns, "db-max-conns", sqlstore.DefaultMaxConns,
		"PostgreSQL: connections in this instance's pool; size it to the database server's cores (SQLite sizes its own)")
	proxyList := fs.String("trusted-proxies", "", "comma-separated networks (CIDR) of the load balancers in front of the server; "+
		"login throttling counts against the rightmost X-Forwarded-For address not in them")
	trustProxy := fs.Bool("trust-proxy", false, "deprecated: --trusted-proxies "+privateNetworks)
	corsFlag := fs.String("cors-origins", envOr(env, "AWAPI_CORS_ORIGINS", ""),
		"comma-separated origins whose pages may call /v1, or * for any (default: any on a sandbox, none otherwise; projects add their own)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *users < seed.MinUsers {
		return usageError{fmt.Errorf("--users must be at least %d", seed.MinUsers)}
	}
	if c.maxConns < 1 {
		return usageError{errors.New("--db-max-conns must be at least 1")}
	}
	proxies, err := trustedProxies(*proxyList, *trustProxy, env)
	if err != nil {
		return err
	}
	corsSet := env.Getenv("AWAPI_CORS_ORIGINS") != ""
	fs.Visit(func(f *flag.Flag) { corsSet = corsSet || f.Name == "cors-origins" })
	corsOrigins, err := parseCORSOrigins(*corsFlag)
	if err != nil {
		return usageError{fmt.Errorf("--cors-origins: %w", err)}
	}
	var handler slog.Handler = slog.NewTextHandler(env.Stderr, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(env.Stderr, nil)
	}
	log := slog.New(handler)
	// SIGINT and SIGTERM stop a first run's seed as well as the server.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	st, loc, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	state, plan, err := inspect(ctx, st)
	if err != nil {
		return err
	}
	switch {
	case state == stateUnfinishedSeed:
		return c.unfinishedSeed(env, plan, "", "then run serve again.")
	case state == stateInitialized:
	case *noSeed:
		if err := st.SetMeta(ctx, metaInitialized, "production "+env.Clock.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	default:
		if state == stateEmpty {
			fmt.Fprintf(env.Stderr, "empty database: seeding a sandbox with %d members…\n", *users)
		}
		if _, _, err := initSandbox(ctx, st, env, &c, loc, seedPlan{Users: *users, Seed: 1}); err != nil {
			if ctx.Err() != nil {
				err = fmt.Errorf("%w\nthen run serve again.", err)
			}
			return err
		}
	}
	info, sandbox, err := loadSandbox(ctx, st)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if !corsSet && sandbox {
		corsOrigins = []string{"*"} // a sandbox serves developers' pages wherever they run
	}
	api := httpapi.NewAPI(st, web.Config{Location: loc, Logger: log, Clock: env.Clock, Sandbox: sandbox, CORSOrigins: corsOrigins,
		AuthCacheTTL: *authCacheTTL})
	login, err := unifiedlogin.New(ctx, st, unifiedlogin.Config{AccessTTL: *accessTTL, Clock: env.Clock, Logger: log, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	for pattern, h := range login.Routes() {
		api.Handle(pattern, h)
	}
	api.RegisterMetrics(login.Metrics()...)
	base := baseURL(ln.Addr())
	callback := ""
	if sandbox {
		// The demo project accepts this server's own callback page, whatever --addr says.
		if u := base + "/OAuth/Callback"; awapi.ValidRedirectURI(u) {
			if _, err := st.AddRedirectURI(ctx, info.ProjectID, u); err != nil {
				return fmt.Errorf("registering the demo project's redirect URI %s: %w", u, err)
			}
			callback = u
		}
	}
	printBanner(env, base, &c, sandbox, info, callback)
	if env.Ready != nil {
		env.Ready(base)
	}
	go settleLoop(ctx, st, env.Clock, log)
	go optimizeLoop(ctx, st, log, optimizeDelay)
	return runServer(ctx, ln, api, log, *timeouts)
}

// privateNetworks are what the deprecated --trust-proxy now trusts: loopback and private addresses,
// where a load balancer usually sits.
const privateNetworks = "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"

// trustedProxies reads --trusted-proxies. The deprecated --trust-proxy believed the leftmost
// X-Forwarded-For entry, which the client writes; it now stands for the private networks, with a
// warning, unless --trusted-proxies names the proxies.
func trustedProxies(list string, legacy bool, env Env) ([]netip.Prefix, error) {
	if legacy {
		fmt.Fprintf(env.Stderr, "warning: --trust-proxy is deprecated; name your load balancers with --trusted-proxies "+
			"(--trust-proxy now trusts %s)\n", privateNetworks)
		if strings.TrimSpace(list) == "" {
			list = privateNetworks
		}
	}
	proxies, err := unifiedlogin.ParseTrustedProxies(list)
	if err != nil {
		return nil, usageError{fmt.Errorf("--trusted-proxies: %w", err)}
	}
	return proxies, nil
}

// parseCORSOrigins reads --cors-origins: "*" alone, or origins as browsers send them.
func parseCORSOrigins(list string) ([]string, error) {
	var out []string
	for o := range strings.SplitSeq(list, ",") {
		switch o = strings.TrimSpace(o); o {
		case "":
		case "*":
			out = append(out, o)
		default:
			origin, err := awapi.ParseOrigin(o)
			if err != nil {
				return nil, fmt.Errorf("%q %w", o, err)
			}
			out = append(out, origin)
		}
	}
	return out, nil
}

// settleLoop pays performers for finished sessions every 30 seconds. Each payment is a
// compare-and-set in the database, so any number of instances may run it; reads of balances also
// settle the reader's sessions first, so no answer depends on this timer.
func settleLoop(ctx context.Context, st awapi.Store, clock awapi.Clock, log *slog.Logger) {
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := (awapi.Settlement{Store: st}).SettleAll(ctx, clock.Now()); err != nil && ctx.Err() == nil {
				log.Error("settling bookings", "error", err)
			} else if n > 0 {
				log.Info("settled bookings", "count", n)
			}
		}
	}
}

// optimizeDelay is how long after start serve first refreshes the statistics: long enough that the
// refresh never competes with the first requests (cold start to the first answer stays short).
const optimizeDelay = 5 * time.Second

// optimizeLoop keeps the planner's statistics current (sqlstore.DB.Optimize): first after delay, in
// the background, then every hour.
func optimizeLoop(ctx context.Context, st interface{ Optimize(context.Context) error }, log *slog.Logger, delay time.Duration) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(delay):
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := st.Optimize(ctx); err != nil && ctx.Err() == nil {
			log.Error("refreshing the planner's statistics", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DefaultSearchCacheTTL is how long an instance reuses a search's number of matches and its page
// ends (docs/search-plans.md): ProfilesTotal may be this much out of date.
const DefaultSearchCacheTTL = 30 * time.Second

// Timeouts bound how long a client may hold a connection: slow headers, slow bodies, slow readers of
// the answer, and idle keep-alive connections.
type Timeouts struct {
	ReadHeader, Read, Write, Idle, Drain time.Duration
}

// DefaultAuthCacheTTL is how long an instance trusts a credential the database confirmed
// (web.Config.AuthCacheTTL): a revoked token stops working on every instance within this bound.
const DefaultAuthCacheTTL = 2 * time.Second

// DefaultTimeouts suit an API whose largest requests are base64 pictures.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 60 * time.Second, Write: 60 * time.Second,
	Idle: 120 * time.Second, Drain: 30 * time.Second}

// runServer serves until ctx ends (SIGTERM), then stops accepting and drains in-flight requests.
func runServer(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger, t Timeouts) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    1 << 20, // a backstop: the API answers its own, lower limit in its error shape
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "reason", context.Cause(ctx))
	drainCtx, cancel := context.WithTimeout(context.Background(), t.Drain)
	defer cancel()
	if err := srv.Shutdown(drainCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the address clients reach the listener at; a wildcard listen address is reached on the
// loopback interface.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// printBanner shows where the server listens and, on a sandbox, the credentials and commands to try;
// the commands start the way this program was started, so they run as printed.
func printBanner(env Env, base string, c *common, sandbox bool, info sandboxInfo, callback string) {
	fmt.Fprintf(env.Stdout, "awapi listening on %s (database %s)\n", base, c.db)
	fmt.Fprintf(env.Stdout, "  API reference: %s/docs   OpenAPI: %s/openapi.json\n", base, base)
	if !sandbox {
		return
	}
	fmt.Fprintf(env.Stdout, `  sandbox API key:       %s
  sandbox API secret:    %s
  sandbox client id:     %s
  sandbox client secret: %s
  try:    curl -H 'X-ApiKey: %s' %s/v1/Lists/GetGenders
  token:  %s token --db %s --user 1 --scopes %s
`, info.APIKey, info.APISecret, info.ClientID, info.ClientSecret, info.APIKey, base, env.Self, shellQuote(c.db), scopeList())
	if callback == "" {
		fmt.Fprintf(env.Stdout, "  (the login demo needs a loopback or https address: http://%s is neither)\n", strings.TrimPrefix(base, "http://"))
		return
	}
	q := url.Values{"response_type": {"code"}, "client_id": {info.ClientID}, "redirect_uri": {callback}, "scope": {"userid nickname"}}
	fmt.Fprintf(env.Stdout, "  or log in as SandboxClient (password %s) at\n          %s/OAuth/Authorize?%s\n", SandboxPassword, base, q.Encode())
}
