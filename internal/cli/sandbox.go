package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/seed"
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

// initSandbox seeds an uninitialised database as a sandbox with a demo project.
func initSandbox(ctx context.Context, st awapi.Store, env Env, loc *time.Location, users int, seedValue uint64) (sandboxInfo, seed.Summary, error) {
	if v, ok, err := st.Meta(ctx, metaInitialized); err != nil {
		return sandboxInfo{}, seed.Summary{}, err
	} else if ok {
		return sandboxInfo{}, seed.Summary{}, fmt.Errorf("the database was already set up (%s); seed an empty database", v)
	}
	progress, finish := progressReporter(env, users)
	sum, err := seed.Run(ctx, st, seed.Options{Users: users, Seed: seedValue, Now: env.Clock.Now().In(loc), Progress: progress,
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
	for _, kv := range [][2]string{
		{metaSandboxProject, strconv.FormatInt(info.ProjectID, 10)}, {metaSandboxAPIKey, info.APIKey},
		{metaSandboxAPISecret, info.APISecret}, {metaSandboxClientID, info.ClientID}, {metaSandboxSecret, info.ClientSecret},
		{metaSeed, strconv.FormatUint(seedValue, 10)}, {metaSandbox, "true"},
		{metaInitialized, "sandbox " + env.Clock.Now().UTC().Format(time.RFC3339)},
	} {
		if err := st.SetMeta(ctx, kv[0], kv[1]); err != nil {
			return sandboxInfo{}, sum, err
		}
	}
	return info, sum, nil
}

// progressReporter draws a progress bar when stderr is a terminal, and stays silent otherwise.
func progressReporter(env Env, total int) (func(done, total int), func()) {
	f, ok := env.Stderr.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
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
	if *users < 10 {
		return usageError{errors.New("--users must be at least 10")}
	}
	st, loc, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := env.Clock.Now()
	info, sum, err := initSandbox(ctx, st, env, loc, *users, *seedValue)
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
	st, _, err := c.open(ctx)
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
