package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/awapi/awapi"
	"github.com/jackc/pgx/v5/stdlib"
)

// Bulk loading (the seeder's): a million members with their rows load in a fraction of the time
// when the indexes are built once at the end rather than updated row by row, and when PostgreSQL
// receives the rows by COPY.

// metaBulkIndexes is the meta key under which BeginBulkLoad records the indexes it dropped, in the
// same transaction as the drops, so whatever stops a load (a crash, Ctrl-C) the definitions survive
// and EndBulkLoad (or DeleteAllData, which the next seed runs first) builds them again.
// The index texts are run as they were read (they are the migrations' own, as the engine keeps them).
const metaBulkIndexes = "bulk_load_indexes"

// bulkTables are the tables the seeder fills with rows per member.
var bulkTables = []string{"members", "webcam_settings", "ratings", "member_views", "member_images", "tours",
	"field_reports", "member_escort_rates", "directcam_settings", "directcam_shows", "directcam_show_images"}

// keptDuringLoad matches the indexes a load keeps: those leading with user_id. Rows arrive in
// user_id order, so they only grow at their end, and the load's own statements read them
// (recountRatings, recountViews and the field report counters look rows up by user_id).
var keptDuringLoad = regexp.MustCompile(`\(\s*user_id\s*[,)]`)

// BeginBulkLoad prepares empty tables for a bulk load: it drops the secondary indexes of the
// tables the seeder fills (not unique ones, not those leading with user_id) and records them.
// Calling it again before EndBulkLoad changes nothing.
func (s *DB) BeginBulkLoad(ctx context.Context) (err error) {
	defer wrap(&err, "BeginBulkLoad")
	s.bulk.Store(true)
	return s.inTx(ctx, func(tx txConn) error {
		var saved string
		switch err := tx.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, metaBulkIndexes).Scan(&saved); {
		case err == nil:
			return nil // a load that did not finish already dropped them
		case err != sql.ErrNoRows:
			return err
		}
		list := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
			AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY name`
		arg := any(mustJSON(bulkTables))
		if s.engine == Postgres {
			list = `SELECT i.indexname, i.indexdef FROM pg_indexes i
				WHERE i.schemaname = current_schema() AND i.tablename = ANY (?) AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
				ORDER BY i.indexname`
			arg = bulkTables
		}
		rows, err := tx.query(ctx, list, arg)
		if err != nil {
			return err
		}
		var names, defs []string
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return err
			}
			if keptDuringLoad.MatchString(def) {
				continue
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, metaBulkIndexes, mustJSON(defs)); err != nil {
			return err
		}
		for _, name := range names {
			if _, err := tx.exec(ctx, `DROP INDEX `+name); err != nil {
				return err
			}
		}
		return nil
	})
}

// EndBulkLoad recounts the loaded members' counters, builds the indexes BeginBulkLoad dropped and
// refreshes the planner's statistics, so the first search on a freshly seeded database is planned
// as well as any later one.
func (s *DB) EndBulkLoad(ctx context.Context) (err error) {
	defer wrap(&err, "EndBulkLoad")
	if s.bulk.Load() {
		// One pass instead of one per insert: each member row with ratings, views or reports is
		// rewritten once, not three times per batch. Members without any keep their zero defaults,
		// which is what a recount gives them.
		if _, err := s.exec(ctx, `UPDATE members SET
				(rating_positive, rating_neutral, rating_negative, rating_disputes, rating_score) = (
					SELECT COALESCE(SUM(CASE WHEN r.score > 0 THEN 1 ELSE 0 END), 0),
					       COALESCE(SUM(CASE WHEN r.score = 0 THEN 1 ELSE 0 END), 0),
					       COALESCE(SUM(CASE WHEN r.score < 0 THEN 1 ELSE 0 END), 0),
					       COALESCE(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END), 0),
					       COALESCE(SUM(r.score), 0)
					FROM ratings r WHERE r.user_id = members.user_id),
				views = (SELECT COALESCE(SUM(v.views), 0) FROM member_views v
					WHERE v.user_id = members.user_id AND v.kind = `+strconv.Itoa(int(awapi.ViewsProfile))+`),
				field_report_count = (SELECT COUNT(*) FROM field_reports f WHERE f.user_id = members.user_id)
			WHERE user_id IN (SELECT user_id FROM ratings UNION SELECT user_id FROM member_views
				UNION SELECT user_id FROM field_reports)`); err != nil {
			return err
		}
		s.bulk.Store(false)
	}
	if err := s.restoreIndexes(ctx); err != nil {
		return err
	}
	return s.Analyze(ctx)
}

// restoreIndexes builds the indexes a bulk load dropped, if one did.
func (s *DB) restoreIndexes(ctx context.Context) error {
	return s.inTx(ctx, func(tx txConn) error {
		saved, err := bulkIndexes(ctx, tx)
		if err != nil {
			return err
		}
		return restoreIndexesTx(ctx, tx, saved)
	})
}

// bulkIndexes reads the indexes a bulk load dropped: nil when none did.
func bulkIndexes(ctx context.Context, tx txConn) ([]string, error) {
	var saved string
	err := tx.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, metaBulkIndexes).Scan(&saved)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var defs []string
	err = json.Unmarshal([]byte(saved), &defs)
	return defs, err
}

// bulkSortKiB is PostgreSQL's maintenance_work_mem while it builds the indexes after a bulk load
// (its default is 64 MB). SQLite keeps its page cache: at 100,000 members a 256 MiB cache made its
// CREATE INDEX sorts slower (4.0 s of CPU against 2.6 s).
const bulkSortKiB = 256 << 10

// restoreIndexesTx builds the given indexes and forgets the record of them.
func restoreIndexesTx(ctx context.Context, tx txConn, defs []string) error {
	if len(defs) > 0 && tx.s.engine == Postgres {
		if _, err := tx.exec(ctx, `SET LOCAL maintenance_work_mem = '`+strconv.Itoa(bulkSortKiB)+`kB'`); err != nil {
			return err
		}
	}
	for _, def := range defs {
		if _, err := tx.exec(ctx, def); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `DELETE FROM meta WHERE key = ?`, metaBulkIndexes)
	return err
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// inBulkTx is inTx for bulk inserts: on PostgreSQL the transaction runs on a connection the
// executor can reach below database/sql, so insertRowsTx can COPY into it.
func (s *DB) inBulkTx(ctx context.Context, fn func(tx txConn) error) error {
	if s.engine != Postgres || s.noBulk {
		return s.inTx(ctx, fn)
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(txConn{conn{s: s, r: tx, raw: c}}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// copyRows COPYs n rows into table inside the transaction open on c (PostgreSQL).
func copyRows(ctx context.Context, c *sql.Conn, table, columns string, n int, row func(i int) []any) error {
	cols := strings.Split(columns, ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	i := 0
	next := func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}
	return c.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(next))
		return err
	})
}

// Optimize keeps the planner's statistics current. A database holding members but no statistics
// about them (seeded by an older awapi, or loaded by other means) is analyzed in full: without
// statistics the searches at 1,000,000 members took seconds. Otherwise SQLite refreshes what
// changed enough to matter (PRAGMA optimize, over every table); PostgreSQL's autovacuum does that
// by itself. Open runs it after applying migrations, `awapi serve` at start and then every hour.
func (s *DB) Optimize(ctx context.Context) (err error) {
	defer wrap(&err, "Optimize")
	var members, stats bool
	if err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members)`).Scan(&members); err != nil {
		return err
	}
	stats, err = s.hasStatistics(ctx)
	if err != nil {
		return err
	}
	if members && !stats {
		return s.Analyze(ctx)
	}
	if s.engine == SQLite {
		_, err = s.exec(ctx, `PRAGMA optimize = 0x10002`)
	}
	return err
}

// hasStatistics reports whether the planner has statistics about members.
func (s *DB) hasStatistics(ctx context.Context) (bool, error) {
	var ok bool
	if s.engine == Postgres {
		err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'members')`).Scan(&ok)
		return ok, err
	}
	if err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')`).Scan(&ok); err != nil || !ok {
		return false, err
	}
	err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE tbl = 'members')`).Scan(&ok)
	return ok, err
}
