package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/awapi/awapi"
)

// DirectChat (api-v1.md §2.6, §4.2, migration 00016): performers' settings, clients' PINs and the
// calls made with them. The rules live in the domain (awapi/directchat.go).

// A call step locks the PIN's row first (FOR UPDATE on PostgreSQL; SQLite's write transactions are
// immediate, so one runs at a time), then the client's balance row, and only then lets the domain
// decide: the lock order is always PIN, then balance, as booking payments lock their booking, then the
// balance. The partial unique index on calls in progress, and the debit's own balance guard in
// changeBalance, hold even if a decision were wrong.

var _ awapi.DirectChatStore = (*DB)(nil)

const directChatSettingsColumns = `offer_directchat, ppm, available_now, available_from, available_until, max_call_minutes, updated_at`

func directChatSettingsArgs(s *awapi.DirectChatSettings) []any {
	return []any{s.UserID, s.OfferDirectChat, int64(s.PPM), s.AvailableNow, int(s.AvailableFrom), int(s.AvailableUntil),
		s.MaxCallMinutes, micros(s.UpdatedAt)}
}

// DirectChatSettings reads a member's settings; a member without a row has the zero settings.
func (s *DB) DirectChatSettings(ctx context.Context, userID int64) (_ awapi.DirectChatSettings, err error) {
	defer wrap(&err, "DirectChatSettings")
	if _, err := s.Member(ctx, userID); err != nil {
		return awapi.DirectChatSettings{}, err
	}
	return s.directChatSettings(ctx, s.pool(), userID)
}

// directChatSettings reads a member's settings with c (the pool or a transaction).
func (s *DB) directChatSettings(ctx context.Context, c conn, userID int64) (awapi.DirectChatSettings, error) {
	st := awapi.DirectChatSettings{UserID: userID}
	var ppm, updated int64
	var from, until int
	err := c.queryRow(ctx, `SELECT `+directChatSettingsColumns+` FROM directchat_settings WHERE user_id = ?`, userID).Scan(
		&st.OfferDirectChat, &ppm, &st.AvailableNow, &from, &until, &st.MaxCallMinutes, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return awapi.DirectChatSettings{UserID: userID}, nil
	}
	st.PPM, st.AvailableFrom, st.AvailableUntil, st.UpdatedAt = awapi.Credits(ppm), awapi.DayTime(from), awapi.DayTime(until), fromMicros(updated)
	return st, err
}

// SaveDirectChatSettings replaces a member's settings and sets their IsDirectChat from them, in one
// transaction.
func (s *DB) SaveDirectChatSettings(ctx context.Context, st awapi.DirectChatSettings) (_ awapi.DirectChatSettings, err error) {
	defer wrap(&err, "SaveDirectChatSettings")
	st.UpdatedAt = fromMicros(micros(st.UpdatedAt))
	err = s.inTx(ctx, func(tx txConn) error { return s.saveDirectChatSettings(ctx, tx, &st) })
	return st, err
}

// saveDirectChatSettings writes st and the member's IsDirectChat in tx, so that a caller saving more
// (PhoneChat/SaveSettings) can make it part of its own transaction.
func (s *DB) saveDirectChatSettings(ctx context.Context, tx txConn, st *awapi.DirectChatSettings) error {
	n, err := tx.execCount(ctx, `UPDATE members SET is_directchat = ? WHERE user_id = ?`, st.Enabled(), st.UserID)
	if err != nil {
		return err
	}
	if n != 1 {
		return awapi.NotFound("The member")
	}
	_, err = tx.exec(ctx, `INSERT INTO directchat_settings (user_id, `+directChatSettingsColumns+`) VALUES (`+marks(8)+`)
		ON CONFLICT (user_id) DO UPDATE SET offer_directchat = excluded.offer_directchat, ppm = excluded.ppm,
			available_now = excluded.available_now, available_from = excluded.available_from,
			available_until = excluded.available_until, max_call_minutes = excluded.max_call_minutes,
			updated_at = excluded.updated_at`,
		directChatSettingsArgs(st)...)
	return err
}

// InsertDirectChatSettings bulk-inserts settings and sets the members' IsDirectChat from them, in one
// transaction.
func (s *DB) InsertDirectChatSettings(ctx context.Context, ss []awapi.DirectChatSettings) (err error) {
	defer wrap(&err, "InsertDirectChatSettings")
	return insertServiceSettings(ctx, s, "directchat_settings", "user_id, "+directChatSettingsColumns, 8, ss, directChatSettingsArgs,
		func(st *awapi.DirectChatSettings) (int64, bool) { return st.UserID, st.Enabled() }, "is_directchat")
}

// pinColumns reads a PIN with its performer's nickname and its call counters.
const pinColumns = `p.pin_id, p.pin, p.client_id, p.performer_id, m.nickname, p.created_at, p.removed_at,
	(SELECT COUNT(*) FROM directchat_calls c WHERE c.pin_id = p.pin_id),
	(SELECT CAST(COALESCE(MAX(c.started_at), 0) AS BIGINT) FROM directchat_calls c WHERE c.pin_id = p.pin_id),
	EXISTS (SELECT 1 FROM directchat_calls c WHERE c.pin_id = p.pin_id AND c.ended_at = 0)`

const pinFrom = ` FROM directchat_pins p JOIN members m ON m.user_id = p.performer_id`

func scanPIN(row interface{ Scan(...any) error }) (awapi.DirectChatPIN, error) {
	var (
		p                      awapi.DirectChatPIN
		created, removed, last int64
	)
	err := row.Scan(&p.PINID, &p.PIN, &p.ClientID, &p.PerformerID, &p.PerformerNickname, &created, &removed, &p.NumberOfCalls,
		&last, &p.InProgress)
	p.CreatedAt, p.RemovedAt, p.LastCallDate = fromMicros(created), fromMicros(removed), fromMicros(last)
	return p, err
}

// livePIN reads a live PIN by its digits with c. With lock, it first locks the PIN's row (only that
// row, not its performer's) until tx ends, and reads the PIN and its counters in a second statement:
// on PostgreSQL a statement that waited for the lock still sees the calls as they were when it
// began, so the counters and the call in progress must be read after the lock is held.
func (s *DB) livePIN(ctx context.Context, c conn, pin string, lock bool) (awapi.DirectChatPIN, error) {
	if lock {
		var id int64
		if err := c.queryRow(ctx, `SELECT pin_id FROM directchat_pins WHERE pin = ? AND removed_at = 0`+s.forUpdate(), pin).Scan(&id); err != nil {
			return awapi.DirectChatPIN{}, notFound(err, "The PIN")
		}
	}
	p, err := scanPIN(c.queryRow(ctx, `SELECT `+pinColumns+pinFrom+` WHERE p.pin = ? AND p.removed_at = 0`, pin))
	return p, notFound(err, "The PIN")
}

// CreateDirectChatPIN answers the client's live PIN for the performer, or stores pin when check
// allows it, under the client's lock.
func (s *DB) CreateDirectChatPIN(ctx context.Context, clientID, performerID int64, pin string, now time.Time,
	check func(performer *awapi.DirectChatSettings, held int) error) (_ awapi.DirectChatPIN, created bool, err error) {
	defer wrap(&err, "CreateDirectChatPIN")
	p, err := inTxValue(ctx, s, func(tx txConn) (awapi.DirectChatPIN, error) {
		created = false
		if err := s.lockMember(ctx, tx, clientID); err != nil {
			return awapi.DirectChatPIN{}, err
		}
		existing, err := scanPIN(tx.queryRow(ctx, `SELECT `+pinColumns+pinFrom+`
			WHERE p.client_id = ? AND p.performer_id = ? AND p.removed_at = 0`, clientID, performerID))
		if err == nil {
			return existing, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return awapi.DirectChatPIN{}, err
		}
		// An inactive performer is as unknown as in profiles.
		var performer int64
		if err := tx.queryRow(ctx, `SELECT user_id FROM members WHERE user_id = ? AND is_active`, performerID).Scan(&performer); err != nil {
			return awapi.DirectChatPIN{}, notFound(err, "The member")
		}
		settings, err := s.directChatSettings(ctx, tx.conn, performerID)
		if err != nil {
			return awapi.DirectChatPIN{}, err
		}
		var held int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM directchat_pins WHERE client_id = ? AND removed_at = 0`, clientID).Scan(&held); err != nil {
			return awapi.DirectChatPIN{}, err
		}
		if err := check(&settings, held); err != nil {
			return awapi.DirectChatPIN{}, err
		}
		if _, err := tx.exec(ctx, `INSERT INTO directchat_pins (pin, client_id, performer_id, created_at) VALUES (?, ?, ?, ?)`,
			pin, clientID, performerID, micros(now)); err != nil {
			if isUniqueViolation(err) {
				return awapi.DirectChatPIN{}, awapi.Conflict("pin_taken", "The PIN %s is taken.", pin)
			}
			return awapi.DirectChatPIN{}, err
		}
		created = true
		return s.livePIN(ctx, tx.conn, pin, false)
	})
	return p, created, err
}

// DirectChatPINs lists a client's live PINs, newest first.
func (s *DB) DirectChatPINs(ctx context.Context, clientID int64) (_ []awapi.DirectChatPIN, err error) {
	defer wrap(&err, "DirectChatPINs")
	rows, err := s.query(ctx, `SELECT `+pinColumns+pinFrom+` WHERE p.client_id = ? AND p.removed_at = 0
		ORDER BY p.created_at DESC, p.pin_id DESC`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.DirectChatPIN{}
	for rows.Next() {
		p, err := scanPIN(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeleteDirectChatPIN marks a client's live PIN removed when check allows it, under the PIN's lock.
func (s *DB) DeleteDirectChatPIN(ctx context.Context, clientID int64, pin string, now time.Time,
	check func(p *awapi.DirectChatPIN) error) (_ awapi.DirectChatPIN, err error) {
	defer wrap(&err, "DeleteDirectChatPIN")
	return inTxValue(ctx, s, func(tx txConn) (awapi.DirectChatPIN, error) {
		p, err := s.livePIN(ctx, tx.conn, pin, true)
		if err == nil && p.ClientID != clientID {
			err = awapi.NotFound("The PIN")
		}
		if err != nil {
			return awapi.DirectChatPIN{}, err
		}
		if err := check(&p); err != nil {
			return awapi.DirectChatPIN{}, err
		}
		p.RemovedAt = fromMicros(micros(now))
		_, err = tx.exec(ctx, `UPDATE directchat_pins SET removed_at = ? WHERE pin_id = ?`, micros(now), p.PINID)
		return p, err
	})
}

const callColumns = `c.call_id, c.pin_id, p.pin, c.client_id, c.performer_id, c.ppm, c.max_minutes, c.started_at, c.ended_at,
	c.minutes, c.credits, c.cut`

func scanCall(row interface{ Scan(...any) error }) (awapi.DirectChatCall, error) {
	var (
		c                            awapi.DirectChatCall
		ppm, started, ended, credits int64
	)
	err := row.Scan(&c.CallID, &c.PINID, &c.PIN, &c.ClientID, &c.PerformerID, &ppm, &c.MaxMinutes, &started, &ended, &c.Minutes,
		&credits, &c.Cut)
	c.PPM, c.Credits, c.StartedAt, c.EndedAt = awapi.Credits(ppm), awapi.Credits(credits), fromMicros(started), fromMicros(ended)
	return c, err
}

// ChargeDirectChatCall runs one step of a call (start, end, or a whole placed call) under the PIN's
// lock, with its postings, in one transaction.
func (s *DB) ChargeDirectChatCall(ctx context.Context, pin string, now time.Time,
	decide func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error)) (_ awapi.DirectChatCall, _ []awapi.LedgerEntry, err error) {
	defer wrap(&err, "ChargeDirectChatCall")
	var entries []awapi.LedgerEntry
	call, err := inTxValue(ctx, s, func(tx txConn) (awapi.DirectChatCall, error) {
		entries = nil
		// The PIN's lock first, in its own statement: every read below sees the calls as the last
		// step on this PIN left them.
		l := awapi.DirectChatLine{PIN: awapi.DirectChatPIN{PIN: pin}}
		var created int64
		err := tx.queryRow(ctx, `SELECT pin_id, client_id, performer_id, created_at FROM directchat_pins
			WHERE pin = ? AND removed_at = 0`+s.forUpdate(), pin).Scan(&l.PIN.PINID, &l.PIN.ClientID, &l.PIN.PerformerID, &created)
		if err != nil {
			return awapi.DirectChatCall{}, notFound(err, "The PIN")
		}
		l.PIN.CreatedAt = fromMicros(created)
		if l.Settings, err = s.directChatSettings(ctx, tx.conn, l.PIN.PerformerID); err != nil {
			return awapi.DirectChatCall{}, err
		}
		c, err := scanCall(tx.queryRow(ctx, `SELECT `+callColumns+` FROM directchat_calls c JOIN directchat_pins p ON p.pin_id = c.pin_id
			WHERE c.pin_id = ? AND c.ended_at = 0`, l.PIN.PINID))
		switch {
		case err == nil:
			l.InProgress, l.PIN.InProgress = &c, true
		case !errors.Is(err, sql.ErrNoRows):
			return awapi.DirectChatCall{}, err
		}
		var balance int64
		err = tx.queryRow(ctx, `SELECT balance FROM credit_balances WHERE user_id = ?`+s.forUpdate(), l.PIN.ClientID).Scan(&balance)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return awapi.DirectChatCall{}, err
		}
		l.Balance = awapi.Credits(balance)
		var charge awapi.DirectChatCharge
		c, charge, err = decide(&l)
		if err != nil {
			return awapi.DirectChatCall{}, err
		}
		if c.CallID == 0 {
			err = tx.queryRow(ctx, `INSERT INTO directchat_calls (pin_id, client_id, performer_id, ppm, max_minutes, started_at,
					ended_at, minutes, credits, cut) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING call_id`,
				c.PINID, c.ClientID, c.PerformerID, int64(c.PPM), c.MaxMinutes, micros(c.StartedAt), micros(c.EndedAt), c.Minutes,
				int64(c.Credits), c.Cut).Scan(&c.CallID)
		} else {
			_, err = tx.exec(ctx, `UPDATE directchat_calls SET ended_at = ?, minutes = ?, credits = ?, cut = ? WHERE call_id = ?`,
				micros(c.EndedAt), c.Minutes, int64(c.Credits), c.Cut, c.CallID)
		}
		if err != nil {
			if isUniqueViolation(err) {
				return awapi.DirectChatCall{}, awapi.Conflict("call_in_progress", "A call on PIN %s is already in progress.", pin)
			}
			return awapi.DirectChatCall{}, err
		}
		for _, p := range charge.Postings(&c) {
			e, err := s.changeBalance(ctx, tx, p.UserID, p.Amount, p.Description, 0, now)
			if err != nil {
				return awapi.DirectChatCall{}, err
			}
			entries = append(entries, e)
		}
		return c, nil // as stored: the domain stamps its times to the microsecond
	})
	if err != nil {
		return awapi.DirectChatCall{}, nil, err
	}
	return call, entries, nil
}

// DirectChatCalls lists a PIN's calls, newest first.
func (s *DB) DirectChatCalls(ctx context.Context, pinID int64) (_ []awapi.DirectChatCall, err error) {
	defer wrap(&err, "DirectChatCalls")
	rows, err := s.query(ctx, `SELECT `+callColumns+` FROM directchat_calls c JOIN directchat_pins p ON p.pin_id = c.pin_id
		WHERE c.pin_id = ? ORDER BY c.started_at DESC, c.call_id DESC`, pinID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.DirectChatCall{}
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// InsertDirectChatPINs bulk-inserts PINs with their IDs (the seeder's).
func (s *DB) InsertDirectChatPINs(ctx context.Context, ps []awapi.DirectChatPIN) (err error) {
	defer wrap(&err, "InsertDirectChatPINs")
	err = s.insertRows(ctx, "directchat_pins", "pin_id, pin, client_id, performer_id, created_at, removed_at", 6, len(ps), func(i int) []any {
		p := &ps[i]
		return []any{p.PINID, p.PIN, p.ClientID, p.PerformerID, micros(p.CreatedAt), micros(p.RemovedAt)}
	})
	if err == nil {
		err = s.resetIdentity(ctx, "directchat_pins", "pin_id")
	}
	return err
}

// InsertDirectChatCalls bulk-inserts calls with their IDs (the seeder's); they move no money.
func (s *DB) InsertDirectChatCalls(ctx context.Context, cs []awapi.DirectChatCall) (err error) {
	defer wrap(&err, "InsertDirectChatCalls")
	err = s.insertRows(ctx, "directchat_calls", `call_id, pin_id, client_id, performer_id, ppm, max_minutes, started_at, ended_at,
		minutes, credits, cut`, 11, len(cs), func(i int) []any {
		c := &cs[i]
		return []any{c.CallID, c.PINID, c.ClientID, c.PerformerID, int64(c.PPM), c.MaxMinutes, micros(c.StartedAt), micros(c.EndedAt),
			c.Minutes, int64(c.Credits), c.Cut}
	})
	if err == nil {
		err = s.resetIdentity(ctx, "directchat_calls", "call_id")
	}
	return err
}
