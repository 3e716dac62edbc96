package sqlstore

import (
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"
)

// openCaching opens a one-connection pool on a new SQLite file whose connections cache size
// statements, and counts what they compile.
func openCaching(t *testing.T, size int) (*sql.DB, *atomic.Int64) {
	t.Helper()
	connector, err := sqlite.NewConnector(sqliteDSN(filepath.Join(t.TempDir(), "cache.db")))
	if err != nil {
		t.Fatal(err)
	}
	var prepares atomic.Int64
	db := sql.OpenDB(&cachingConnector{Connector: connector, size: size, prepares: &prepares})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec(`INSERT INTO t (id, v) VALUES (?, ?)`, i, string(rune('a'+i-1))); err != nil {
			t.Fatal(err)
		}
	}
	return db, &prepares
}

func value(t *testing.T, q interface {
	QueryRow(query string, args ...any) *sql.Row
}, query string, id int) string {
	t.Helper()
	var v string
	if err := q.QueryRow(query, id).Scan(&v); err != nil {
		t.Fatalf("%s (%d): %v", query, id, err)
	}
	return v
}

// TestStatementCacheReuses: a text is compiled on its first run on a connection and reused after,
// in and out of transactions.
func TestStatementCacheReuses(t *testing.T) {
	db, prepares := openCaching(t, 8)
	const q = `SELECT v FROM t WHERE id = ?`
	start := prepares.Load()
	for i := range 100 {
		if got, want := value(t, db, q, i%5+1), string(rune('a'+i%5)); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if value(t, tx, q, 3) != "c" {
		t.Error("in a transaction: wrong row")
	}
	if _, err := tx.Exec(`UPDATE t SET v = ? WHERE id = ?`, "C", 3); err != nil {
		t.Fatal(err)
	}
	if value(t, tx, q, 3) != "C" {
		t.Error("a transaction does not read its own write")
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if value(t, db, q, 3) != "c" {
		t.Error("a rolled-back write is visible")
	}
	if n := prepares.Load() - start; n != 2 { // the SELECT and the UPDATE
		t.Errorf("%d statements compiled, want 2", n)
	}
}

// TestStatementCacheNested: a text run again while its rows are still open (a transaction reading
// inside a loop) gets a statement of its own, and both answer correctly.
func TestStatementCacheNested(t *testing.T) {
	db, prepares := openCaching(t, 8)
	const q = `SELECT v FROM t WHERE id >= ? ORDER BY id`
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	start := prepares.Load()
	var outer, inner string
	for i := 1; rows.Next(); i++ {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		outer += v
		inner += value(t, tx, q, i) // the same text, while its rows are open
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if outer != "abcde" || inner != "abcde" {
		t.Errorf("outer %q, inner %q; want abcde twice", outer, inner)
	}
	if n := prepares.Load() - start; n != 5 { // one statement of its own per nested run
		t.Errorf("%d nested statements compiled, want 5", n)
	}
	start = prepares.Load()
	if value(t, tx, q, 2) != "b" || prepares.Load() != start {
		t.Error("once the rows closed, the cached statement does not serve again")
	}
}

// TestStatementCacheEvicts: past its size the cache drops the least recently used statement, even
// one whose rows are still open, which keep working.
func TestStatementCacheEvicts(t *testing.T) {
	db, prepares := openCaching(t, 2)
	a, b, c := `SELECT v FROM t WHERE id = ?`, `SELECT v FROM t WHERE id = ? + 0`, `SELECT v FROM t WHERE id = ? - 1`
	run := func(q interface {
		QueryRow(query string, args ...any) *sql.Row
	}, query string, id int, want string, compiled int64) {
		t.Helper()
		before := prepares.Load()
		if got := value(t, q, query, id); got != want {
			t.Errorf("%s (%d) = %q, want %q", query, id, got, want)
		}
		if n := prepares.Load() - before; n != compiled {
			t.Errorf("%s: %d compiled, want %d", query, n, compiled)
		}
	}
	run(db, a, 1, "a", 1)
	run(db, b, 2, "b", 1)
	run(db, a, 1, "a", 0)
	run(db, c, 3, "b", 1) // evicts b, the least recently used
	run(db, b, 2, "b", 1) // compiled again; evicts a
	run(db, c, 4, "c", 0)

	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const all = `SELECT v FROM t WHERE id >= ? ORDER BY id`
	rows, err := tx.Query(all, 1) // compiled, evicts c
	if err != nil {
		t.Fatal(err)
	}
	run(tx, a, 1, "a", 1) // evicts b
	run(tx, c, 2, "a", 1) // evicts the busy statement of rows
	var got string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got += v
	}
	if err := rows.Close(); err != nil || got != "abcde" {
		t.Errorf("the evicted statement's rows read %q, %v", got, err)
	}
	before := prepares.Load()
	if rows, err := tx.Query(all, 4); err != nil {
		t.Fatal(err)
	} else {
		rows.Close()
	}
	if prepares.Load()-before != 1 {
		t.Error("an evicted statement was still cached")
	}
}
