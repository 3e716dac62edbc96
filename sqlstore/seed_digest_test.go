package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// seedDigests are the digests of every row a seed of 3,000 members (seed 1) writes, per engine,
// computed on the seeder before bulk loading changed how it writes (main at 99f4ac2, with the
// PhoneChat, DirectChat and Email seed data): a faster seeder must write exactly the same data. When the seeder's data changes on purpose, recompute them with
// the seeder before this change (main's, say), not with the bulk load under test.
var seedDigests = map[string]string{
	"sqlite":   "dac8da503bb3f486f43e6864694c12a4b085810ef9c8820fe26b2b27d47bdfe3",
	"postgres": "cdcfc19933a8600dc30539acdbef14f08786d7c6b0065d73cdcdacfcdf49ebfb",
}

// TestSeedDigest checks the seeder writes the same rows, table by table, as it always did.
func TestSeedDigest(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a sandbox")
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, testdb.London)
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			ctx := context.Background()
			if _, err := seed.Run(ctx, st, seed.Options{Users: 3000, Seed: 1, Now: now, PasswordHash: "hash"}); err != nil {
				t.Fatal(err)
			}
			got, tables := digestRows(t, st)
			t.Logf("%s: %s", e.Name, tables)
			if want := seedDigests[e.Name]; got != want {
				t.Errorf("seeded rows digest %s, want %s", got, want)
			}
		})
	}
}

// digestRows hashes every row of every table but goose's, in primary-key order, with values in a
// form both engines share; it also lists the row counts.
func digestRows(t *testing.T, st *sqlstore.DB) (string, string) {
	t.Helper()
	ctx := context.Background()
	db := st.SQL()
	// A full-text index's tables (SQLite's FTS5) are derived from the table they index and are left out.
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'
		AND name NOT LIKE '%\_fts%' ESCAPE '\'`
	if st.Engine() == sqlstore.Postgres {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`
	}
	tables := queryStrings(t, db, list)
	slices.Sort(tables)
	h := sha256.New()
	var counts []string
	for _, table := range tables {
		n := digestTable(t, ctx, db, table, h)
		if n > 0 {
			counts = append(counts, fmt.Sprintf("%s=%d", table, n))
		}
	}
	return hex.EncodeToString(h.Sum(nil)), strings.Join(counts, " ")
}

func digestTable(t *testing.T, ctx context.Context, db *sql.DB, table string, h hash.Hash) int {
	t.Helper()
	rows, err := db.QueryContext(ctx, `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	order := make([]string, len(cols))
	for i := range cols {
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err = db.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+strings.Join(order, ", "))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	fmt.Fprintf(h, "table %s %s\n", table, strings.Join(cols, ","))
	n := 0
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			switch v := v.(type) {
			case []byte:
				fmt.Fprintf(h, "%x|", v)
			case bool:
				if v {
					fmt.Fprint(h, "1|")
				} else {
					fmt.Fprint(h, "0|")
				}
			case time.Time:
				fmt.Fprintf(h, "%s|", v.UTC().Format(time.RFC3339Nano))
			default:
				fmt.Fprintf(h, "%v|", v)
			}
		}
		fmt.Fprintln(h)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestSeedBulkLoadSameRows seeds twice, once with the bulk load (indexes dropped and built after,
// COPY on PostgreSQL, counters recounted at the end) and once through the plain store methods (each
// insert recounting, multi-row INSERTs on both engines), and wants the same rows: unlike
// TestSeedDigest it needs no recorded value, so it keeps holding when the seeder's data changes.
func TestSeedBulkLoadSameRows(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a sandbox")
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, testdb.London)
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			bulk, plain := e.Open(t), e.Open(t)
			plain.NoBulkLoad()
			for _, st := range []awapi.Store{bulk, plainStore{plain}} {
				if _, err := seed.Run(ctx, st, seed.Options{Users: 2000, Seed: 7, Now: now, PasswordHash: "hash"}); err != nil {
					t.Fatal(err)
				}
			}
			got, _ := digestRows(t, bulk)
			want, _ := digestRows(t, plain)
			if got != want {
				t.Errorf("bulk-loaded rows digest %s, plain %s", got, want)
			}
		})
	}
}

// plainStore hides the store's BeginBulkLoad and EndBulkLoad from seed.Run.
type plainStore struct{ awapi.Store }

// TestSeedIndexesAndStatistics checks a seed leaves every index the migrations create (the bulk load
// drops most of them and builds them at the end) and the planner's statistics: sqlite_stat1 or
// pg_stats hold the members table. An interrupted load's indexes come back with DeleteAllData.
func TestSeedIndexesAndStatistics(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a sandbox")
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, testdb.London)
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			ctx := context.Background()
			want := indexList(t, st)
			if stats := statisticsRows(t, st); stats != 0 {
				t.Fatalf("a fresh database has %d statistics rows for members", stats)
			}
			if _, err := seed.Run(ctx, st, seed.Options{Users: 1000, Seed: 1, Now: now}); err != nil {
				t.Fatal(err)
			}
			if got := indexList(t, st); !slices.Equal(got, want) {
				t.Errorf("indexes after the seed:\n%v\nwant\n%v", got, want)
			}
			if stats := statisticsRows(t, st); stats == 0 {
				t.Error("no statistics for members after the seed")
			}

			// A load that stops between its start and its end: the next seed empties the database first.
			if err := st.BeginBulkLoad(ctx); err != nil {
				t.Fatal(err)
			}
			if got := indexList(t, st); len(got) >= len(want) {
				t.Fatalf("BeginBulkLoad dropped no index: %d of %d", len(got), len(want))
			}
			if err := st.BeginBulkLoad(ctx); err != nil { // again, as a restarted seed does
				t.Fatal(err)
			}
			if err := st.DeleteAllData(ctx); err != nil {
				t.Fatal(err)
			}
			if got := indexList(t, st); !slices.Equal(got, want) {
				t.Errorf("indexes after DeleteAllData:\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// indexList lists the database's index definitions, sorted.
func indexList(t *testing.T, st *sqlstore.DB) []string {
	q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`
	if st.Engine() == sqlstore.Postgres {
		q = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()`
	}
	list := queryStrings(t, st.SQL(), q)
	slices.Sort(list)
	return list
}

// statisticsRows counts the planner's statistics rows about members.
func statisticsRows(t *testing.T, st *sqlstore.DB) int {
	var n int
	if st.Engine() == sqlstore.SQLite {
		if err := st.SQL().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&n); err != nil || n == 0 {
			return 0
		}
	}
	q := `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'members'`
	if st.Engine() == sqlstore.Postgres {
		q = `SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'members'`
	}
	if err := st.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOptimizeAnalyzesMissingStatistics: a database holding members without statistics (seeded by an
// older awapi, which ran no ANALYZE) gets them from Optimize, which serve runs at start.
func TestOptimizeAnalyzesMissingStatistics(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			ctx := context.Background()
			for id := int64(1); id <= 20; id++ {
				if _, err := st.CreateMember(ctx, storetest.NewMember(id, fmt.Sprintf("Member%d", id))); err != nil {
					t.Fatal(err)
				}
			}
			if n := statisticsRows(t, st); n != 0 {
				t.Fatalf("%d statistics rows before Optimize", n)
			}
			if err := st.Optimize(ctx); err != nil {
				t.Fatal(err)
			}
			if n := statisticsRows(t, st); n == 0 {
				t.Error("no statistics for members after Optimize")
			}
		})
	}
}
