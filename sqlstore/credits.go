package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// The credit ledger (api-v1.md §2.3).
//
// A balance lives in credit_balances (no row means 0) and every change to it goes through
// changeBalance, which moves the balance with one atomic statement and writes the ledger row in the
// same transaction. A debit is `UPDATE … SET balance = balance - x WHERE balance >= x`, so two
// concurrent debits can never overdraw on either engine; a credit is an upsert. Both return the new
// balance (RETURNING), which the ledger row records, so balance = sum of the ledger at every commit.

var _ awapi.CreditStore = (*DB)(nil)

// changeBalance adds amount (negative: takes it away) to a member's balance and records the ledger
// row, in tx. A debit the balance does not cover is KindConflict "insufficient_credits" and changes
// nothing; crediting an unknown member is KindNotFound.
func (s *DB) changeBalance(ctx context.Context, tx txConn, userID int64, amount awapi.Credits, description string,
	bookingID int64, now time.Time) (awapi.LedgerEntry, error) {
	e := awapi.LedgerEntry{UserID: userID, Amount: amount, Description: description, BookingID: bookingID, CreatedAt: fromMicros(micros(now))}
	var err error
	switch {
	case amount == 0:
		return e, errors.New("sqlstore: a balance change of 0")
	case amount < 0:
		err = tx.queryRow(ctx, `UPDATE credit_balances SET balance = balance - ?
			WHERE user_id = ? AND balance >= ? RETURNING balance`, int64(-amount), userID, int64(-amount)).Scan(&e.Balance)
		if errors.Is(err, sql.ErrNoRows) {
			return e, awapi.Conflict("insufficient_credits", "The balance does not cover %s credits.", -amount)
		}
	default:
		err = tx.queryRow(ctx, `INSERT INTO credit_balances (user_id, balance) VALUES (?, ?)
			ON CONFLICT (user_id) DO UPDATE SET balance = credit_balances.balance + excluded.balance
			RETURNING balance`, userID, int64(amount)).Scan(&e.Balance)
		if err != nil && isForeignKeyViolation(err) {
			return e, awapi.NotFound("The member")
		}
	}
	if err != nil {
		return e, err
	}
	var booking any
	if bookingID != 0 {
		booking = bookingID
	}
	err = tx.queryRow(ctx, `INSERT INTO credit_ledger (user_id, amount, balance_after, description, booking_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING entry_id`, userID, int64(amount), int64(e.Balance), description, booking, micros(now)).
		Scan(&e.EntryID)
	return e, err
}

func isForeignKeyViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "SQLSTATE 23503")
}

// creditBalance reads a balance with q (the pool or a transaction); no row is 0.
func (s *DB) creditBalance(ctx context.Context, q conn, userID int64) (awapi.Credits, error) {
	var v int64
	err := q.queryRow(ctx, `SELECT balance FROM credit_balances WHERE user_id = ?`, userID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return awapi.Credits(v), err
}

// CreditBalance reads a member's balance; a member who never had credits has 0.
func (s *DB) CreditBalance(ctx context.Context, userID int64) (_ awapi.Credits, err error) {
	defer wrap(&err, "CreditBalance")
	return s.creditBalance(ctx, s.pool(), userID)
}

// CreditHistory pages a member's ledger in entry order, oldest first unless newestFirst, with the
// total number of entries.
func (s *DB) CreditHistory(ctx context.Context, userID int64, newestFirst bool, page awapi.Page) (_ []awapi.LedgerEntry, _ int, err error) {
	defer wrap(&err, "CreditHistory")
	search := &pagedQuery{from: `FROM credit_ledger`, where: `WHERE user_id = ?`, args: []any{userID},
		cols: `entry_id, amount, balance_after, description, booking_id, created_at`, order: `entry_id ASC`}
	if newestFirst {
		search.order = `entry_id DESC`
	}
	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	if page.Size <= 0 || total == 0 {
		return []awapi.LedgerEntry{}, total, nil
	}
	if page.Number == 0 {
		page = awapi.LastPage(nil, total, page.Size)
	}
	rows, err := search.page(ctx, s.pool(), page.Size, max(0, page.Offset()))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []awapi.LedgerEntry{}
	for rows.Next() {
		e := awapi.LedgerEntry{UserID: userID}
		var (
			amount, balance, created int64
			booking                  sql.NullInt64
		)
		if err := rows.Scan(&e.EntryID, &amount, &balance, &e.Description, &booking, &created); err != nil {
			return nil, 0, err
		}
		e.Amount, e.Balance, e.BookingID, e.CreatedAt = awapi.Credits(amount), awapi.Credits(balance), booking.Int64, fromMicros(created)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// AddCredits records a top-up (positive) or an adjustment (negative, which may not overdraw:
// KindConflict "insufficient_credits").
func (s *DB) AddCredits(ctx context.Context, userID int64, amount awapi.Credits, description string, now time.Time) (_ awapi.LedgerEntry, err error) {
	defer wrap(&err, "AddCredits")
	switch {
	case amount == 0:
		return awapi.LedgerEntry{}, awapi.InvalidField("Amount", "The amount must not be 0.")
	case amount > awapi.MaxCredits || amount < -awapi.MaxCredits:
		return awapi.LedgerEntry{}, awapi.InvalidField("Amount", "The amount is too large.")
	}
	return inTxValue(ctx, s, func(tx txConn) (awapi.LedgerEntry, error) {
		return s.changeBalance(ctx, tx, userID, amount, description, 0, now)
	})
}

// LedgerSum adds up a member's ledger; it equals the balance by construction.
func (s *DB) LedgerSum(ctx context.Context, userID int64) (_ awapi.Credits, err error) {
	defer wrap(&err, "LedgerSum")
	var v int64
	err = s.queryRow(ctx, `SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_ledger WHERE user_id = ?`, userID).Scan(&v)
	return awapi.Credits(v), err
}
