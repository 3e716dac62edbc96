// Package sqlstore implements awapi.Store on SQLite (the embedded default, pure Go) and PostgreSQL
// (for several server instances). The SQL is shared; the few differences between the engines live in
// the dialect helpers (exec.go). Schema changes are versioned goose migrations, one directory per
// engine, applied on Open.
//
// # How the store runs SQL
//
// One executor, conn (exec.go), runs every statement, on the pool or inside a transaction (txConn,
// from inTx); nothing else calls database/sql's Exec, Query or QueryRow. Queries are written once,
// with ? placeholders:
//
//   - On PostgreSQL the executor rewrites ? to $n, once per distinct text (a bounded map: past
//     maxTexts distinct texts it rewrites without remembering, which a test shows never happens).
//   - Every statement is prepared once per connection and then reused. On PostgreSQL pgx already
//     does this (its default QueryExecModeCacheStatement keeps 512 prepared statements per
//     connection, keyed by text), so the executor adds nothing. modernc's SQLite driver compiles the
//     text on every Exec and Query; its connections are therefore wrapped (sqlitecache.go) in one
//     that keeps an LRU of prepared statements per connection, keyed by text: the pool and every
//     transaction on that connection share them, and no connection ever waits for another to prepare.
//   - A list of values is one parameter, never a list of ?s, so a text never depends on a list's
//     length: anyOf writes `x IN (SELECT value FROM json_each(?))` with a JSON array on SQLite and
//     `x = ANY(?)` with an array on PostgreSQL; a location search's districts are likewise one JSON
//     object (SQLite) or two arrays (PostgreSQL). The texts the store runs are thus a bounded set:
//     the fixed statements plus the combinations of a search's optional filters and orders.
//   - Multi-row bulk inserts (the seeder's) vary with the number of rows; each is prepared once for
//     the chunks of its size, then closed (prepareOnce), and never enters a cache. On PostgreSQL
//     the seeder's rows go by COPY (bulk.go).
//
// # Plans on PostgreSQL
//
// A prepared statement keeps its plan, and after five runs PostgreSQL may switch it to a generic plan
// chosen without the parameter values. For a key lookup that is what we want: planning it afresh on
// every run (plan_cache_mode=force_custom_plan, which this package used to set for the whole
// session) cost the server 0.09 to 0.19 ms per run against 0.003 ms for the cached plan, several
// times the 0.01 to 0.04 ms the lookup itself takes (EXPLAIN ANALYZE of AccessToken's and Member's
// statements). For searches over skewed data (country 158 holds 85% of members) a generic plan was
// 40 times slower (docs/search-plans.md). Searches (every pagedQuery, the top lists and their
// EXPLAIN) therefore run in pgx's QueryExecModeCacheDescribe: one round trip with the unnamed
// statement, which PostgreSQL always plans for the values at hand, while the rest keep their cached
// plans. A DSN that sets plan_cache_mode still applies it to every statement.
//
// # Paged searches
//
// Every paged list (profiles, tours, field reports, group members, feedback, the credit ledger, the
// blacklist, webcam bookings) is a pagedQuery (paged.go): one description from which both the count
// and the page statement are built; ExplainProfileSearch explains exactly the statements
// SearchProfiles runs.
//
// # Errors
//
// Every exported method starts with `defer wrap(&err, "Method")`: an unexpected error leaves the
// store as `sqlstore: Method: <cause>` (errors.Is and errors.As still reach the cause), so a 500 in
// the log says where it came from. The domain's own errors (*awapi.Error: not found, conflict,
// invalid…) pass through unchanged.
package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"

	"github.com/awapi/awapi"
)

//go:embed migrations
var migrations embed.FS

// Engine names the database engine behind a DSN.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// EngineOf reports which engine a DSN selects: postgres:// and postgresql:// URLs select PostgreSQL,
// anything else is an SQLite file name.
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// DB is the SQL implementation of awapi.Store.
type DB struct {
	db     *sql.DB
	engine Engine
	loc    *time.Location // the server's zone, for calendar days
	clock  awapi.Clock    // stamps the rows of methods whose caller gives no moment (Options.Clock)
	texts  texts          // every query text the executor ran, with its engine form
	// searches caches profile searches' counts and page ends (Options.SearchCacheTTL); nil: off.
	searches *searchCache
	migrated int  // migrations Open applied
	noWalk   bool // tests: location searches never walk an ordering's index (walkNear)
	noBulk   bool // tests: inBulkTx is inTx (no COPY)
	// bulk is set between BeginBulkLoad and EndBulkLoad: the members' counters of ratings, views
	// and field reports are recounted once at the end instead of after every insert.
	bulk atomic.Bool
	// prepares counts the statements compiled on SQLite connections (sqlitecache.go), for tests.
	prepares atomic.Int64
	// beforeWrite, set by tests, runs in ChangeBooking between the domain's decision and its write, so
	// a test can commit a competing change exactly there.
	beforeWrite func()
}

var _ awapi.Store = (*DB)(nil)

// Options tune Open.
type Options struct {
	// Location is the server's time zone; calendar days (top lists) are counted in it.
	Location *time.Location
	// Clock stamps what CreateProject, CreateClient and IssueTokens record, the methods whose caller
	// passes no moment; every other method takes now from its caller. Default: the system clock.
	Clock awapi.Clock
	// SearchCacheTTL is how long a profile search's number of matches, and the ends of the pages
	// served, are reused (docs/search-plans.md); 0 counts every time and pages with OFFSET.
	SearchCacheTTL time.Duration
	// MaxConns bounds PostgreSQL's connection pool (default DefaultMaxConns). Size it to the database
	// server's cores, not to the load: on a 2-core machine shared with PostgreSQL, 4 connections served
	// GetUserBookingRequirements a third faster than 20, and 64 half as fast (README, Figures).
	MaxConns int
}

// DefaultMaxConns is PostgreSQL's pool size when Options.MaxConns is 0.
const DefaultMaxConns = 20

// Open connects to dsn, applies pending migrations and returns the store.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	s := &DB{engine: EngineOf(dsn), loc: opt.Location, clock: opt.Clock}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.clock == nil {
		s.clock = awapi.SystemClock{}
	}
	if opt.SearchCacheTTL > 0 {
		s.searches = &searchCache{ttl: opt.SearchCacheTTL, m: map[string]*searchEntry{}}
	}
	switch s.engine {
	case Postgres:
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", s.engine, err)
		}
		if err := s.migrate(ctx, db); err != nil {
			db.Close()
			return nil, err
		}
		conns := cmp.Or(opt.MaxConns, DefaultMaxConns)
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.db = db
	default:
		connector, err := sqlite.NewConnector(sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", s.engine, err)
		}
		// The migrations run on connections of their own, so their one-off DDL never fills the
		// statement caches of the store's connections.
		migrator := sql.OpenDB(connector)
		err = s.migrate(ctx, migrator)
		if err := errors.Join(err, migrator.Close()); err != nil {
			return nil, err
		}
		s.db = sql.OpenDB(&cachingConnector{Connector: connector, size: sqliteStmtCacheSize, prepares: &s.prepares})
		// WAL lets readers run beside the single writer; the busy timeout makes writers queue
		// instead of failing; immediate transactions take the write lock up front so two
		// read-then-write transactions cannot deadlock on lock upgrade. Each connection's page cache
		// holds sqliteCachePages (see there); the pool's connections together hold at most
		// sqliteConns of them.
		s.db.SetMaxOpenConns(sqliteConns)
		s.db.SetMaxIdleConns(sqliteConns)
	}
	if s.migrated > 0 {
		// A migration may add indexes or change tables the statistics describe.
		if err := s.Optimize(ctx); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	return s, nil
}

// sqliteConns is the SQLite pool's size: enough for readers to overlap on a few cores (WAL lets them
// run beside the one writer).
const sqliteConns = 8

// sqliteCacheKiB is each SQLite connection's page cache (SQLite's default is 2 MiB). The pages a
// search reads again and again are the upper levels of the members_public_* indexes and the leaves
// near the start of each ordering: at 1,000,000 members a few MiB. Whatever the cache misses the
// operating system's file cache still holds, one copy for every connection and process, where a
// page cache holds its own. It was 32 MiB, which let 8 connections grow a server serving
// 1,000,000 members to 232 MB; at 8 MiB the searches measured as fast (docs/search-plans.md) and
// the pool holds at most 64 MiB.
const sqliteCacheKiB = 8 << 10

func sqliteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-" + strconv.Itoa(sqliteCacheKiB) + ")&_txlock=immediate"
}

// migrate applies the pending migrations through db.
func (s *DB) migrate(ctx context.Context, db *sql.DB) error {
	dir, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{}
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once; a session lock makes one of them migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	applied, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	s.migrated = len(applied)
	return nil
}

// Engine reports which engine the store runs on.
func (s *DB) Engine() Engine { return s.engine }

// SQL exposes the connection pool to tests and tools that need raw access.
func (s *DB) SQL() *sql.DB { return s.db }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "Ping")
	return s.db.PingContext(ctx)
}

// Close closes the pool.
func (s *DB) Close() (err error) {
	defer wrap(&err, "Close")
	return s.db.Close()
}

// micros stores a time as integer microseconds since the epoch; the zero time is stored as 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// notFound turns sql.ErrNoRows into the domain's not-found error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return awapi.NotFound(what)
	}
	return err
}
