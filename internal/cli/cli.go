// Package cli implements the awapi command: serve, seed, migrate and the admin commands. It is a
// package of its own so tests can run every command in-process.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/sqlstore"
)

// Env carries the process's outside world, so tests can substitute it.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Clock          awapi.Clock
	// Ready, when set, receives the server's base URL once it listens (tests use it).
	Ready func(baseURL string)
	// Self is how the user runs this program (see Invocation); the commands awapi prints start with
	// it. Empty means "awapi".
	Self string
}

const usage = `awapi: an AdultWork-style API v1 server and sandbox.

Usage:
  awapi serve   [--addr 127.0.0.1:8080] [--db DSN] [--timezone Europe/London] [--no-seed] [--users N]
                [--trusted-proxies CIDR,…] [--cors-origins https://app.example,…|*]
  awapi seed    [--db DSN] [--users N] [--seed S] [--json]
  awapi migrate [--db DSN]
  awapi apikey create --name NAME [--db DSN] [--json]
  awapi token   --user ID --scopes a,b [--project ID] [--ttl 1h] [--db DSN] [--json]
  awapi project create --name NAME --redirect-uri URI [--redirect-uri URI…] --scopes a,b [--public]
                       [--origin ORIGIN…] [--db DSN] [--json]
  awapi credits add --user ID --amount 12.50 [--description TEXT] [--db DSN] [--json]
  awapi user create --nickname N --email E --password P --birth-date YYYY-MM-DD [--offering]
                    [--group-id ID] [--group-manager] [--db DSN] [--json]
  awapi version

DSN: an SQLite file name (default awapi.db) or a postgres:// URL. Flags fall back to the
environment: AWAPI_DB, AWAPI_ADDR, AWAPI_TIMEZONE, AWAPI_CORS_ORIGINS.
`

// Run runs the command in args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Clock == nil {
		env.Clock = awapi.SystemClock{}
	}
	if env.Self == "" {
		env.Self = "awapi"
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, Env) error{
		"serve":   serve,
		"seed":    seedCmd,
		"migrate": migrateCmd,
		"apikey":  apikeyCmd,
		"token":   tokenCmd,
		"project": projectCmd,
		"user":    userCmd,
		"credits": creditsCmd,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		switch args[0] {
		case "help", "-h", "--help":
			fmt.Fprint(env.Stdout, usage)
			return 0
		case "version", "--version", "-version":
			fmt.Fprint(env.Stdout, versionText(debug.ReadBuildInfo()))
			return 0
		}
		fmt.Fprintf(env.Stderr, "awapi: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(ctx, args[1:], env); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.Stderr, "awapi %s: %v\n", args[0], err)
			return 2
		}
		fmt.Fprintf(env.Stderr, "awapi %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

type usageError struct{ error }

// common holds the flags every command shares.
type common struct {
	db       string
	timezone string
	json     bool
	clock    awapi.Clock // the process's clock, which the store stamps its records with too
	// searchCacheTTL is how long searches' counts and page ends are reused (serve's --search-cache-ttl).
	searchCacheTTL time.Duration
	// maxConns bounds PostgreSQL's connection pool (serve's --db-max-conns; 0: sqlstore's default).
	maxConns int
}

func newFlags(name string, env Env, c *common) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	c.clock = env.Clock
	fs.StringVar(&c.db, "db", envOr(env, "AWAPI_DB", "awapi.db"), "database: an SQLite file or a postgres:// URL")
	fs.StringVar(&c.timezone, "timezone", envOr(env, "AWAPI_TIMEZONE", "Europe/London"), "time zone of zone-less dates")
	fs.BoolVar(&c.json, "json", false, "machine-readable output")
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

func (c *common) location() (*time.Location, error) {
	loc, err := time.LoadLocation(c.timezone)
	if err != nil {
		return nil, usageError{fmt.Errorf("--timezone: %w", err)}
	}
	return loc, nil
}

// open opens the database, creating an SQLite file that does not exist yet: serve, seed and migrate
// set databases up.
func (c *common) open(ctx context.Context) (*sqlstore.DB, *time.Location, error) {
	loc, err := c.location()
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlstore.Open(ctx, c.db, sqlstore.Options{Location: loc, Clock: c.clock, SearchCacheTTL: c.searchCacheTTL, MaxConns: c.maxConns})
	return st, loc, err
}

// openExisting opens a database the command expects to find: a missing SQLite file is an error
// naming the commands that create one, instead of a new empty file and a misleading failure later.
func (c *common) openExisting(ctx context.Context, env Env) (*sqlstore.DB, *time.Location, error) {
	if path, ok := sqliteFile(c.db); ok {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			db := shellQuote(c.db)
			return nil, nil, fmt.Errorf("database %s does not exist. Create a sandbox with `%s serve --db %s` or `%s seed --db %s`, "+
				"or an empty database with `%s migrate --db %s`; or pass --db (or AWAPI_DB) to use another one",
				c.db, env.Self, db, env.Self, db, env.Self, db)
		}
	}
	return c.open(ctx)
}

// sqliteFile answers the file an SQLite DSN names, and false for PostgreSQL and in-memory databases.
func sqliteFile(dsn string) (string, bool) {
	if sqlstore.EngineOf(dsn) != sqlstore.SQLite {
		return "", false
	}
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" || path == ":memory:" || strings.Contains(query, "mode=memory") {
		return "", false
	}
	return path, true
}

// output prints v as indented JSON with --json, or as text lines otherwise.
func (c *common) output(env Env, v any, text string) {
	if c.json {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	fmt.Fprint(env.Stdout, text)
}

func migrateCmd(ctx context.Context, args []string, env Env) error {
	var c common
	fs := newFlags("migrate", env, &c)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, _, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	c.output(env, map[string]string{"status": "migrated", "engine": string(st.Engine())}, "migrations applied\n")
	return nil
}

func apikeyCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{errors.New("usage: awapi apikey create --name NAME")}
	}
	var c common
	fs := newFlags("apikey create", env, &c)
	name := fs.String("name", "", "project name (required)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usageError{errors.New("--name is required")}
	}
	st, _, err := c.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	p, key, secret, err := createProject(ctx, st, *name)
	if err != nil {
		return err
	}
	c.output(env, map[string]any{"project_id": p.ProjectID, "name": p.Name, "api_key": key, "api_secret": secret},
		fmt.Sprintf("project %d %q\napi key:    %s\napi secret: %s\n(shown once: only their hashes are stored)\n", p.ProjectID, p.Name, key, secret))
	return nil
}

func createProject(ctx context.Context, st awapi.Store, name string) (awapi.Project, string, string, error) {
	key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixAPISecret)
	p, err := st.CreateProject(ctx, awapi.NewProject{
		Name: name, APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:len(awapi.PrefixAPIKey)+6],
		APISecretDigest: awapi.HashSecret(secret), Approved: true,
	})
	return p, key, secret, err
}
