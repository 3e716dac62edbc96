// Package testdb opens real databases for tests: a fresh SQLite file always, and a fresh PostgreSQL
// database when AWAPI_TEST_POSTGRES holds a DSN (`.ci/run` always sets it). Each call gets its own
// database, dropped when the test ends, so tests can run in parallel and never see each other's rows.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/awapi/awapi/sqlstore"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for the PostgreSQL suite.
const EnvPostgres = "AWAPI_TEST_POSTGRES"

// London is the server zone used by tests, the product default.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Engine opens a fresh store on one engine.
type Engine struct {
	Name string
	Open func(t testing.TB) *sqlstore.DB
}

// Engines lists SQLite, and PostgreSQL when it is configured.
func Engines() []Engine {
	engines := []Engine{{Name: "sqlite", Open: SQLite}}
	if os.Getenv(EnvPostgres) != "" {
		engines = append(engines, Engine{Name: "postgres", Open: Postgres})
	}
	return engines
}

// SQLite opens a store on a new SQLite file in the test's temporary directory.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "awapi.db"))
}

// Postgres opens a store on a new, empty PostgreSQL database, or skips the test when
// AWAPI_TEST_POSTGRES is unset.
func Postgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	dsn := PostgresDSN(t)
	return open(t, dsn)
}

// PostgresDSN creates a new, empty PostgreSQL database and returns its DSN; the database is dropped
// when the test ends.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		t.Skip(EnvPostgres + " is not set; skipping the PostgreSQL run")
	}
	dsn, drop, err := CreatePostgres(context.Background(), admin, "awapi_test_")
	if err != nil {
		t.Fatalf("%s: create test database: %v", EnvPostgres, err)
	}
	t.Cleanup(drop)
	return dsn
}

// CreatePostgres creates a new, empty database named prefix plus random hex on the server admin points
// at, and returns its DSN and a function that drops it (the load harness uses it too).
func CreatePostgres(ctx context.Context, admin, prefix string) (dsn string, drop func(), err error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := prefix + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		db.Close()
	}, nil
}

func open(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Location: London})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
