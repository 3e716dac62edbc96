// Package sqlstore implements awapi.Store on SQLite (the embedded default, pure Go) and PostgreSQL
// (for several server instances). The SQL is shared; the few differences between the engines live in
// the dialect type. Schema changes are versioned goose migrations, one directory per engine, applied
// on Open.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

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
	rebind sync.Map       // query text with ? placeholders -> PostgreSQL $n text
}

var _ awapi.Store = (*DB)(nil)

// Options tune Open.
type Options struct {
	// Location is the server's time zone; calendar days (top lists) are counted in it.
	Location *time.Location
	// Clock stamps what CreateProject, CreateClient and IssueTokens record, the methods whose caller
	// passes no moment; every other method takes now from its caller. Default: the system clock.
	Clock awapi.Clock
}

// Open connects to dsn, applies pending migrations and returns the store.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	engine := EngineOf(dsn)
	var (
		db  *sql.DB
		err error
	)
	switch engine {
	case Postgres:
		db, err = sql.Open("pgx", postgresDSN(dsn))
		if err == nil {
			db.SetMaxOpenConns(20)
			db.SetMaxIdleConns(20)
			db.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			// WAL lets readers run beside the single writer; the busy timeout makes writers queue
			// instead of failing; immediate transactions take the write lock up front so two
			// read-then-write transactions cannot deadlock on lock upgrade. A 32 MB page cache per
			// connection (SQLite's default is 2 MB) keeps the search indexes' hot pages in memory:
			// seeding 200,000 members takes half the time, and memory stays bounded (8 × 32 MB).
			db.SetMaxOpenConns(8)
			db.SetMaxIdleConns(8)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", engine, err)
	}
	s := &DB{db: db, engine: engine, loc: opt.Location, clock: opt.Clock}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.clock == nil {
		s.clock = awapi.SystemClock{}
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// postgresDSN asks the server to plan every statement for its actual parameters. pgx caches
// prepared statements per connection, and after a few runs PostgreSQL may switch a statement to a
// generic plan; for searches over skewed data (country 158 holds 85% of members, age ranges vary)
// that plan was 40 times slower (a SearchProfiles page went from 20 ms to 800 ms at 1,000,000
// members). A DSN that sets plan_cache_mode itself keeps its choice.
func postgresDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Query().Has("plan_cache_mode") {
		return dsn
	}
	q := u.Query()
	q.Set("plan_cache_mode", "force_custom_plan")
	u.RawQuery = q.Encode()
	return u.String()
}

func sqliteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)&_txlock=immediate"
}

func (s *DB) migrate(ctx context.Context) error {
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
	p, err := goose.NewProvider(dialect, s.db, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Engine reports which engine the store runs on.
func (s *DB) Engine() Engine { return s.engine }

// SQL exposes the connection pool to tests and tools that need raw access.
func (s *DB) SQL() *sql.DB { return s.db }

// Ping checks that the database answers.
func (s *DB) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the pool.
func (s *DB) Close() error { return s.db.Close() }

// q adapts a query written with ? placeholders to the engine.
func (s *DB) q(query string) string {
	if s.engine != Postgres {
		return query
	}
	if v, ok := s.rebind.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	s.rebind.Store(query, b.String())
	return b.String()
}

func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.q(query), args...)
}

func (s *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.q(query), args...)
}

func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, s.q(query), args...)
}

// inTxValue runs fn in one transaction (inTx) and returns its value only once that committed, so a
// caller never sees what a rolled-back transaction computed.
func inTxValue[T any](ctx context.Context, s *DB, fn func(tx *sql.Tx) (T, error)) (T, error) {
	var out T
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// execer is a pool or a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// execCount runs one statement and answers how many rows it touched.
func (s *DB) execCount(ctx context.Context, e execer, query string, args ...any) (int64, error) {
	res, err := e.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// inTx runs fn in one transaction, committing when it returns nil.
func (s *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
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
