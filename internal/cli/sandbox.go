package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
)

// Meta keys recording what kind of installation a database is.
const (
	metaInitialized      = "initialized"        // set once the database was set up, as sandbox or production
	metaSandbox          = "sandbox"            // "true" for a seeded sandbox; admin token minting needs it
	metaSandboxProject   = "sandbox_project_id" // the demo project `awapi serve` prints
	metaSandboxAPIKey    = "sandbox_api_key"    // kept in clear on sandboxes only, so serve can print it every start
	metaSandboxAPISecret = "sandbox_api_secret"
	metaSandboxClientID  = "sandbox_client_id"
	metaSandboxSecret    = "sandbox_client_secret"
	metaSeed             = "seed"
)

// SandboxPassword is every seeded member's login password (documented in the README).
const SandboxPassword = "sandbox-password"

// sandboxRedirectURIs are the demo project's registered redirect URIs: the server's own callback page
// on the default address, and the usual local development ports.
var sandboxRedirectURIs = []string{
	"http://127.0.0.1:8080/OAuth/Callback", "http://localhost:8080/OAuth/Callback",
	"http://localhost:3000/callback", "http://127.0.0.1:3000/callback",
}

// DefaultSandboxUsers is the size of the sandbox `awapi serve` seeds on first run: large enough for
// realistic paging and top lists, small enough to be ready in a second or two.
const DefaultSandboxUsers = 2000

type sandboxInfo struct {
	ProjectID    int64  `json:"project_id"`
	APIKey       string `json:"api_key"`
	APISecret    string `json:"api_secret"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func loadSandbox(ctx context.Context, st awapi.Store) (sandboxInfo, bool, error) {
	v, ok, err := st.Meta(ctx, metaSandbox)
	if err != nil || !ok || v != "true" {
		return sandboxInfo{}, false, err
	}
	var info sandboxInfo
	id, _, err := st.Meta(ctx, metaSandboxProject)
	if err != nil {
		return info, false, err
	}
	info.ProjectID, _ = strconv.ParseInt(id, 10, 64)
	if info.APIKey, _, err = st.Meta(ctx, metaSandboxAPIKey); err != nil {
		return info, false, err
	}
	for key, dst := range map[string]*string{metaSandboxAPISecret: &info.APISecret, metaSandboxClientID: &info.ClientID,
		metaSandboxSecret: &info.ClientSecret} {
		if *dst, _, err = st.Meta(ctx, key); err != nil {
			return info, false, err
		}
	}
	return info, true, nil
}

// A seed records its plan under metaSeedStarted before it writes anything, and metaInitialized after
// everything else: a database with the first and not the second holds an unfinished seed (interrupted,
// killed, or failed), which the next seed deletes before starting over.
const metaSeedStarted = "seed_started"

// seedPlan is what a seed creates: the same plan always gives the same data.
type seedPlan struct {
	Users int
	Seed  uint64
}

func (p seedPlan) String() string { return fmt.Sprintf("users=%d seed=%d", p.Users, p.Seed) }

func parseSeedPlan(v string) seedPlan {
	p := seedPlan{Users: DefaultSandboxUsers, Seed: 1}
	for field := range strings.FieldsSeq(v) {
		key, val, _ := strings.Cut(field, "=")
		switch key {
		case "users":
			if n, err := strconv.Atoi(val); err == nil && n >= seed.MinUsers {
				p.Users = n
			}
		case "seed":
			if n, err := strconv.ParseUint(val, 10, 64); err == nil {
				p.Seed = n
			}
		}
	}
	return p
}

// setupState says what a database holds before serve or seed touch it.
type setupState int

const (
	stateEmpty          setupState = iota // nothing yet: ready to seed, or to serve as production
	stateInitialized                      // set up as a sandbox or for production
	stateUnfinishedSeed                   // a seed started and never finished
	stateHoldsData                        // rows added by hand (user create, …) but never set up
)

// inspect classifies a database; for an unfinished seed it also answers the seed's plan.
func inspect(ctx context.Context, st awapi.Store) (setupState, seedPlan, error) {
	if _, ok, err := st.Meta(ctx, metaInitialized); err != nil || ok {
		return stateInitialized, seedPlan{}, err
	}
	if v, ok, err := st.Meta(ctx, metaSeedStarted); err != nil || ok {
		return stateUnfinishedSeed, parseSeedPlan(v), err
	}
	// Seeds by awapi versions that did not record their start create the sandbox agency first.
	g, err := st.Group(ctx, 1)
	if err == nil && g.GroupName == seed.SandboxGroupName {
		return stateUnfinishedSeed, parseSeedPlan(""), nil
	}
	if err == nil {
		return stateHoldsData, seedPlan{}, nil
	}
	if awapi.ErrorKind(err) != awapi.KindNotFound {
		return 0, seedPlan{}, err
	}
	if _, err := st.Member(ctx, 1); err == nil {
		return stateHoldsData, seedPlan{}, nil
	} else if awapi.ErrorKind(err) != awapi.KindNotFound {
		return 0, seedPlan{}, err
	}
	return stateEmpty, seedPlan{}, nil
}

// seedCommand is the command line that seeds the database again with plan, as the user can paste it.
func (c *common) seedCommand(env Env, plan seedPlan) string {
	cmd := fmt.Sprintf("%s seed --db %s --users %d", env.Self, shellQuote(c.db), plan.Users)
	if plan.Seed != 1 {
		cmd += fmt.Sprintf(" --seed %d", plan.Seed)
	}
	if c.timezone != "Europe/London" {
		cmd += " --timezone " + shellQuote(c.timezone)
	}
	return cmd
}

// unfinishedSeed is the error for a database whose seed did not finish: it says how to start over.
func (c *common) unfinishedSeed(env Env, plan seedPlan, why, then string) error {
	msg := fmt.Sprintf("%sthe sandbox seed of %s did not finish, so the database is incomplete. Start the seed over "+
		"(it deletes the partial data first) with:\n  %s", why, c.db, c.seedCommand(env, plan))
	if then != "" {
		msg += "\n" + then
	}
	return errors.New(msg)
}

// initSandbox seeds a database as a sandbox with a demo project. A database holding an unfinished seed
// is emptied first, so an interrupted seed never blocks the next one.
func initSandbox(ctx context.Context, st *sqlstore.DB, env Env, c *common, loc *time.Location, plan seedPlan) (sandboxInfo, seed.Summary, error) {
	state, _, err := inspect(ctx, st)
	if err != nil {
		return sandboxInfo{}, seed.Summary{}, err
	}
	switch state {
	case stateInitialized:
		v, _, _ := st.Meta(ctx, metaInitialized)
		return sandboxInfo{}, seed.Summary{}, fmt.Errorf("the database was already set up (%s); seed an empty database", v)
	case stateHoldsData:
		return sandboxInfo{}, seed.Summary{}, fmt.Errorf("database %s already holds members or groups but was never set up; "+
			"seed a new database (--db), or serve this one as it is with `%s serve --db %s --no-seed`", c.db, env.Self, shellQuote(c.db))
	case stateUnfinishedSeed:
		fmt.Fprintf(env.Stderr, "an earlier seed of %s did not finish: deleting its partial data and starting over\n", c.db)
		if err := st.DeleteAllData(ctx); err != nil {
			return sandboxInfo{}, seed.Summary{}, fmt.Errorf("deleting the unfinished seed: %w", err)
		}
	}
	info, sum, err := seedSandbox(ctx, st, env, loc, plan)
	if err != nil && ctx.Err() != nil {
		return info, sum, c.unfinishedSeed(env, plan, "interrupted: ", "")
	}
	return info, sum, err
}

func seedSandbox(ctx context.Context, st awapi.Store, env Env, loc *time.Location, plan seedPlan) (sandboxInfo, seed.Summary, error) {
	if err := st.SetMeta(ctx, metaSeedStarted, plan.String()); err != nil {
		return sandboxInfo{}, seed.Summary{}, err
	}
	progress, finish := progressReporter(env, plan.Users)
	sum, err := seed.Run(ctx, st, seed.Options{Users: plan.Users, Seed: plan.Seed, Now: env.Clock.Now().In(loc), Progress: progress,
		PasswordHash: awapi.HashPassword(SandboxPassword)})
	finish()
	if err != nil {
		return sandboxInfo{}, sum, fmt.Errorf("seed: %w", err)
	}
	creds, err := createClient(ctx, st, "Sandbox Demo Project", sandboxRedirectURIs, allScopes(), false, nil)
	if err != nil {
		return sandboxInfo{}, sum, err
	}
	info := sandboxInfo{ProjectID: creds.ProjectID, APIKey: creds.APIKey, APISecret: creds.APISecret,
		ClientID: creds.ClientID, ClientSecret: creds.ClientSecret}
	// metaInitialized comes last: it marks the seed complete.
	for _, kv := range [][2]string{
		{metaSandboxProject, strconv.FormatInt(info.ProjectID, 10)}, {metaSandboxAPIKey, info.APIKey},
		{metaSandboxAPISecret, info.APISecret}, {metaSandboxClientID, info.ClientID}, {metaSandboxSecret, info.ClientSecret},
		{metaSeed, strconv.FormatUint(plan.Seed, 10)}, {metaSandbox, "true"},
		{metaInitialized, "sandbox " + env.Clock.Now().UTC().Format(time.RFC3339)},
	} {
		if err := st.SetMeta(ctx, kv[0], kv[1]); err != nil {
			return sandboxInfo{}, sum, err
		}
	}
	return info, sum, nil
}

// progressReporter draws a progress bar when stderr is a terminal, and otherwise writes a line per
// batch, so logs (and tests) see the seed advance.
func progressReporter(env Env, total int) (func(done, total int), func()) {
	f, ok := env.Stderr.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func(done, total int) { fmt.Fprintf(env.Stderr, "seeded %d of %d members\n", done, total) }, func() {}
	}
	bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(env.Stderr), progressbar.OptionSetDescription("seeding members"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("members"), progressbar.OptionThrottle(100*time.Millisecond))
	return func(done, _ int) { _ = bar.Set(done) }, func() { _ = bar.Finish(); fmt.Fprintln(env.Stderr) }
}

func seedCmd(ctx context.Context, args []string, env Env) error {
	var c common
	fs := newFlags("seed", env, &c)
	users := fs.Int("users", DefaultSandboxUsers, "number of members to generate (at least 10)")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed and size give the same data")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *users < seed.MinUsers {
		return usageError{fmt.Errorf("--users must be at least %d", seed.MinUsers)}
	}
	// Ctrl-C stops the seed between statements, so it can say how to start over.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, loc, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := env.Clock.Now()
	info, sum, err := initSandbox(ctx, st, env, &c, loc, seedPlan{Users: *users, Seed: *seedValue})
	if err != nil {
		return err
	}
	c.output(env, map[string]any{"summary": sum, "sandbox": info, "seconds": time.Since(start).Seconds()},
		fmt.Sprintf("seeded %d members (%d performers, %d clients), %d groups, %d ratings, %d view counters in %s\napi key:    %s\napi secret: %s\n",
			sum.Members, sum.Performers, sum.Clients, sum.Groups, sum.Ratings, sum.Views, time.Since(start).Round(time.Millisecond), info.APIKey, info.APISecret))
	return nil
}

func tokenCmd(ctx context.Context, args []string, env Env) error {
	var c common
	fs := newFlags("token", env, &c)
	user := fs.Int64("user", 0, "member ID the token acts for (required)")
	scopes := fs.String("scopes", "", "comma-separated scopes to grant")
	project := fs.Int64("project", 0, "project the token is issued to (default: the sandbox demo project)")
	ttl := fs.Duration("ttl", time.Hour, "token lifetime")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *user <= 0 {
		return usageError{errors.New("--user is required")}
	}
	set := awapi.ParseScopes(*scopes)
	for _, s := range set {
		if !awapi.KnownScope(s) {
			return usageError{fmt.Errorf("unknown scope %q", s)}
		}
	}
	if *ttl <= 0 {
		return usageError{errors.New("--ttl must be positive")}
	}
	st, _, err := c.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	info, sandbox, err := loadSandbox(ctx, st)
	if err != nil {
		return err
	}
	if !sandbox {
		return errors.New("refused: tokens are minted by hand only on a sandbox database; use the OAuth flow")
	}
	if *project == 0 {
		*project = info.ProjectID
	}
	if _, err := st.Member(ctx, *user); err != nil {
		return fmt.Errorf("member %d: %w", *user, err)
	}
	token := awapi.NewSecret(awapi.PrefixAccessToken)
	expires := env.Clock.Now().Add(*ttl)
	if err := st.CreateAccessToken(ctx, awapi.HashSecret(token), awapi.AccessToken{
		UserID: *user, ProjectID: *project, Scopes: set, ExpiresAt: expires,
	}); err != nil {
		return err
	}
	c.output(env, map[string]any{"access_token": token, "token_type": "bearer", "expires_in": int(ttl.Seconds()),
		"user_id": *user, "project_id": *project, "scope": set.String()},
		token+"\n")
	return nil
}

func scopeList() string {
	names := make([]string, len(awapi.Scopes))
	for i, s := range awapi.Scopes {
		names[i] = string(s.Scope)
	}
	return strings.Join(names, ",")
}
