package sqlstore

import (
	"context"
	"slices"
)

// Hooks for the external tests (package sqlstore_test, which may import internal/testdb).

// StmtCacheSize is how many statements a SQLite connection keeps prepared.
const StmtCacheSize = sqliteStmtCacheSize

// Prepares counts the statements compiled on the store's SQLite connections.
func (s *DB) Prepares() int64 { return s.prepares.Load() }

// Texts lists the distinct query texts the executor ran, and the runs that found its map full.
func (s *DB) Texts() (texts []string, overflow int) {
	s.texts.m.Range(func(k, _ any) bool {
		texts = append(texts, k.(string))
		return true
	})
	_, overflow = s.texts.count()
	slices.Sort(texts)
	return texts, overflow
}

// anyOfQuery selects the members whose column (user_id, nickname or gender_id) is one of vals.
func anyOfQuery[T int | int64 | string](s *DB, column string, vals []T) (string, any) {
	in, arg := anyOf(s, column, vals)
	return `SELECT user_id FROM members WHERE ` + in + ` ORDER BY user_id`, arg
}

// MembersAmong answers anyOf's matches of vals in a members column, in user_id order.
func MembersAmong[T int | int64 | string](ctx context.Context, s *DB, column string, vals []T) ([]int64, error) {
	query, arg := anyOfQuery(s, column, vals)
	rows, err := s.query(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// ExplainMembersAmong is the plan of MembersAmong; on PostgreSQL with sequential scans off, as
// ExplainProfileSearch's noSeqScan.
func ExplainMembersAmong[T int | int64 | string](ctx context.Context, s *DB, column string, vals []T) (plan []string, err error) {
	query, arg := anyOfQuery(s, column, vals)
	explain := `EXPLAIN QUERY PLAN `
	if s.engine == Postgres {
		explain = `EXPLAIN `
	}
	err = s.inTx(ctx, func(tx txConn) error {
		if s.engine == Postgres {
			if _, err := tx.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		plan, err = explainPlan(ctx, tx.conn, explain+query, []any{arg})
		return err
	})
	return plan, err
}

// BeforeBookingWrite sets the hook ChangeBooking runs between the domain's decision and its write.
func (s *DB) BeforeBookingWrite(f func()) { s.beforeWrite = f }

// NoNearWalk makes location searches always probe the post code index and sort (walkNear never walks).
func (s *DB) NoNearWalk() { s.noWalk = true }

// NoBulkLoad makes inserts run as plain transactions of multi-row INSERTs (no COPY on PostgreSQL).
func (s *DB) NoBulkLoad() { s.noBulk = true }
