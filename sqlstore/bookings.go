package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/awapi/awapi"
)

// Bookings of every service (the booking engine, awapi/booking.go).
//
// The rules live in the domain; the store guarantees only that each is applied to the latest state,
// exactly once. ChangeBooking reads the booking, lets the domain decide and change it in memory, then
// writes it with a compare-and-set on its version:
//
//	UPDATE bookings SET …, version = version + 1 WHERE booking_id = ? AND version = ?
//
// in one transaction with the invitations that changed and the ledger postings the decision made. When
// another change committed in between, the update touches no row, the transaction is rolled back and
// the decision is taken again on the new state: so of two accepts one wins and the other answers
// booking_not_pending, and a settlement racing a refund pays or refunds, never both. No row is locked
// while the domain decides, and the read happens before the transaction begins, so a transition holds
// a write transaction only for its writes. Every change of a booking, its invitations included, moves
// the version, and balances are changed only in the transaction of a booking's version step or of a
// top-up, by one atomic statement that refuses to overdraw (credits.go).

var _ awapi.BookingStore = (*DB)(nil)

// maxChangeAttempts bounds how often ChangeBooking decides again after losing a race; each loss means
// another change of the same booking committed, so a loop of them is contention on one booking.
const maxChangeAttempts = 16

const bookingColumns = `b.booking_id, b.service, b.client_id, c.nickname, b.session_date, b.duration, b.credits,
	b.accepted_credits, b.status, b.created_at, b.accept_by, b.accepted_at, b.accepted_by, b.confirmed_at,
	b.cancelled_at, b.reason, b.reserved, b.settled_at, b.rescheduled_from, b.client_deleted, b.details, b.version`

// scanBooking reads bookingColumns, then extra.
func scanBooking(row interface{ Scan(...any) error }, extra ...any) (awapi.Booking, error) {
	var (
		b                                                          awapi.Booking
		service, status, details                                   string
		session, created, acceptBy, accepted, confirmed, cancelled int64
		settled, credits, acceptedCredits, reserved                int64
	)
	err := row.Scan(append([]any{&b.BookingID, &service, &b.ClientID, &b.ClientNickname, &session, &b.Duration, &credits,
		&acceptedCredits, &status, &created, &acceptBy, &accepted, &b.AcceptedBy, &confirmed,
		&cancelled, &b.Reason, &reserved, &settled, &b.RescheduledFrom, &b.ClientDeleted, &details, &b.Version}, extra...)...)
	if err != nil {
		return b, err
	}
	b.Service, b.Status = awapi.Service(service), awapi.BookingStatus(status)
	b.Credits, b.AcceptedCredits, b.Reserved = awapi.Credits(credits), awapi.Credits(acceptedCredits), awapi.Credits(reserved)
	b.SessionDate, b.CreatedAt, b.AcceptBy = fromMicros(session), fromMicros(created), fromMicros(acceptBy)
	b.AcceptedAt, b.ConfirmedAt, b.CancelledAt, b.SettledAt = fromMicros(accepted), fromMicros(confirmed), fromMicros(cancelled), fromMicros(settled)
	if err := json.Unmarshal([]byte(details), &b.Details); err != nil {
		return b, err
	}
	return b, nil
}

// readBooking reads one booking with its invitations, whoever may see it, in one statement: a row
// per invitation, in the order the client listed the performers.
func (s *DB) readBooking(ctx context.Context, c conn, bookingID int64) (awapi.Booking, error) {
	rows, err := c.query(ctx, `SELECT `+bookingColumns+`, i.performer_id, m.nickname, i.status, i.reason, i.decided_at,
			i.performer_deleted
		FROM bookings b JOIN members c ON c.user_id = b.client_id
			JOIN booking_invitations i ON i.booking_id = b.booking_id JOIN members m ON m.user_id = i.performer_id
		WHERE b.booking_id = ? ORDER BY i.position`, bookingID)
	if err != nil {
		return awapi.Booking{}, err
	}
	defer rows.Close()
	var b awapi.Booking
	for rows.Next() {
		var (
			inv     awapi.Invitation
			status  string
			decided int64
		)
		row, err := scanBooking(rows, &inv.PerformerID, &inv.Nickname, &status, &inv.Reason, &decided, &inv.PerformerDeleted)
		if err != nil {
			return awapi.Booking{}, err
		}
		if b.BookingID == 0 {
			b, b.Invitations = row, make([]awapi.Invitation, 0, 4)
		}
		inv.Status, inv.DecidedAt = awapi.BookingStatus(status), fromMicros(decided)
		b.Invitations = append(b.Invitations, inv)
	}
	if err := rows.Err(); err != nil {
		return awapi.Booking{}, err
	}
	if b.BookingID == 0 {
		return awapi.Booking{}, awapi.NotFound("The booking")
	}
	return b, nil
}

// loadInvitations fills in the invitations of bookings with one query, in the order the client
// listed the performers.
func (s *DB) loadInvitations(ctx context.Context, c conn, bs []awapi.Booking) error {
	if len(bs) == 0 {
		return nil
	}
	index := make(map[int64]int, len(bs))
	ids := make([]int64, len(bs))
	for i := range bs {
		index[bs[i].BookingID] = i
		ids[i] = bs[i].BookingID
		bs[i].Invitations = []awapi.Invitation{}
	}
	in, list := anyOf(s, "i.booking_id", ids)
	rows, err := c.query(ctx, `SELECT i.booking_id, i.performer_id, m.nickname, i.status, i.reason, i.decided_at,
			i.performer_deleted
		FROM booking_invitations i JOIN members m ON m.user_id = i.performer_id
		WHERE `+in+` ORDER BY i.booking_id, i.position`, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			inv       awapi.Invitation
			bookingID int64
			status    string
			decided   int64
		)
		if err := rows.Scan(&bookingID, &inv.PerformerID, &inv.Nickname, &status, &inv.Reason, &decided, &inv.PerformerDeleted); err != nil {
			return err
		}
		inv.Status, inv.DecidedAt = awapi.BookingStatus(status), fromMicros(decided)
		if i, ok := index[bookingID]; ok {
			bs[i].Invitations = append(bs[i].Invitations, inv)
		}
	}
	return rows.Err()
}

// visibleBooking reads a booking of service as side sees it; one they may not see is not found.
func (s *DB) visibleBooking(ctx context.Context, c conn, service awapi.Service, side awapi.BookingSide, userID, bookingID int64) (awapi.Booking, error) {
	b, err := s.readBooking(ctx, c, bookingID)
	if err != nil {
		return awapi.Booking{}, err
	}
	if b.Service != service || !b.VisibleTo(side, userID) {
		return awapi.Booking{}, awapi.NotFound("The booking")
	}
	return b, nil
}

// CreateBooking stores a new Pending booking with one Pending invitation per performer and returns it
// as stored.
func (s *DB) CreateBooking(ctx context.Context, b awapi.Booking, cover awapi.Credits) (_ awapi.Booking, err error) {
	defer wrap(&err, "CreateBooking")
	details, err := json.Marshal(b.Details)
	if err != nil {
		return awapi.Booking{}, err
	}
	return inTxValue(ctx, s, func(tx txConn) (awapi.Booking, error) {
		if cover > 0 {
			balance, err := s.creditBalance(ctx, tx.conn, b.ClientID)
			if err != nil {
				return awapi.Booking{}, err
			}
			if balance < cover {
				return awapi.Booking{}, awapi.Conflict("insufficient_credits", "The balance of %s credits does not cover the offer of %s.", balance, cover)
			}
		}
		var id int64
		err := tx.queryRow(ctx, `INSERT INTO bookings (service, client_id, session_date, duration, session_end, credits,
				status, created_at, accept_by, rescheduled_from, details)
			VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?, ?, ?, ?) RETURNING booking_id`,
			string(b.Service), b.ClientID, micros(b.SessionDate), b.Duration, micros(b.SessionEnd()), int64(b.Credits),
			micros(b.CreatedAt), micros(b.AcceptBy), b.RescheduledFrom, string(details)).Scan(&id)
		if err != nil {
			if isForeignKeyViolation(err) {
				return awapi.Booking{}, awapi.NotFound("The member")
			}
			return awapi.Booking{}, err
		}
		seen := make(map[int64]bool, len(b.Invitations))
		position := 0
		for _, inv := range b.Invitations {
			if seen[inv.PerformerID] {
				continue
			}
			seen[inv.PerformerID] = true
			if _, err := tx.exec(ctx, `INSERT INTO booking_invitations (booking_id, performer_id, position, status)
				VALUES (?, ?, ?, 'Pending')`, id, inv.PerformerID, position); err != nil {
				if isForeignKeyViolation(err) {
					return awapi.Booking{}, awapi.NotFound("The member")
				}
				return awapi.Booking{}, err
			}
			position++
		}
		return s.readBooking(ctx, tx.conn, id)
	})
}

// Booking reads a booking of service as side sees it.
func (s *DB) Booking(ctx context.Context, service awapi.Service, side awapi.BookingSide, userID, bookingID int64) (_ awapi.Booking, err error) {
	defer wrap(&err, "Booking")
	return s.visibleBooking(ctx, s.pool(), service, side, userID, bookingID)
}

// errVersionMoved reports a compare-and-set on a booking's version that touched no row.
var errVersionMoved = errors.New("sqlstore: the booking changed while it was being decided")

// ChangeBooking applies a domain transition to the latest state of a booking (see the top of this
// file). hook, when set by a test, runs between the decision and the write.
func (s *DB) ChangeBooking(ctx context.Context, service awapi.Service, side awapi.BookingSide, userID, bookingID int64,
	now time.Time, change func(b *awapi.Booking) ([]awapi.Posting, error)) (_ awapi.Booking, err error) {
	defer wrap(&err, "ChangeBooking")
	for range maxChangeAttempts {
		before, err := s.visibleBooking(ctx, s.pool(), service, side, userID, bookingID)
		if err != nil {
			return awapi.Booking{}, err
		}
		after := before
		after.Invitations = slices.Clone(before.Invitations)
		postings, err := change(&after)
		if err != nil {
			return awapi.Booking{}, err
		}
		if s.beforeWrite != nil {
			s.beforeWrite()
		}
		err = s.writeBooking(ctx, &before, &after, postings, now)
		switch {
		case err == nil:
			after.Version++
			return after, nil
		case !errors.Is(err, errVersionMoved):
			return awapi.Booking{}, err
		}
	}
	return awapi.Booking{}, awapi.Conflict("booking_busy", "The booking is being changed by others; try again.")
}

// writeBooking stores after over before: the booking row under the compare-and-set on before's
// version, the invitations that changed, and the postings, in one transaction.
func (s *DB) writeBooking(ctx context.Context, before, after *awapi.Booking, postings []awapi.Posting, now time.Time) error {
	details, err := json.Marshal(after.Details)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx txConn) error {
		n, err := tx.execCount(ctx, `UPDATE bookings SET status = ?, accepted_credits = ?, accepted_at = ?, accepted_by = ?,
				confirmed_at = ?, cancelled_at = ?, reason = ?, reserved = ?, settled_at = ?, client_deleted = ?, details = ?,
				version = version + 1
			WHERE booking_id = ? AND version = ?`,
			string(after.Status), int64(after.AcceptedCredits), micros(after.AcceptedAt), after.AcceptedBy,
			micros(after.ConfirmedAt), micros(after.CancelledAt), after.Reason, int64(after.Reserved), micros(after.SettledAt),
			after.ClientDeleted, string(details), before.BookingID, before.Version)
		if err != nil {
			return err
		}
		if n != 1 {
			return errVersionMoved
		}
		for i, inv := range after.Invitations {
			if inv == before.Invitations[i] {
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE booking_invitations SET status = ?, reason = ?, decided_at = ?, performer_deleted = ?
				WHERE booking_id = ? AND performer_id = ?`,
				string(inv.Status), inv.Reason, micros(inv.DecidedAt), inv.PerformerDeleted, before.BookingID, inv.PerformerID); err != nil {
				return err
			}
		}
		for _, p := range postings {
			if _, err := s.changeBalance(ctx, tx, p.UserID, p.Amount, p.Description, before.BookingID, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// Bookings pages one member's bookings of one service, not deleted by them, with the total count.
// Ties are broken by booking ID in the same direction.
func (s *DB) Bookings(ctx context.Context, q awapi.BookingQuery) (_ []awapi.Booking, _ int, err error) {
	defer wrap(&err, "Bookings")
	search := &pagedQuery{cols: bookingColumns}
	switch q.Side {
	case awapi.PerformerSide:
		search.from = `FROM booking_invitations v JOIN bookings b ON b.booking_id = v.booking_id
			JOIN members c ON c.user_id = b.client_id`
		search.where = `WHERE v.performer_id = ? AND NOT v.performer_deleted AND b.service = ?`
	default:
		search.from = `FROM bookings b JOIN members c ON c.user_id = b.client_id`
		search.where = `WHERE b.client_id = ? AND NOT b.client_deleted AND b.service = ?`
	}
	search.args = append(search.args, q.UserID, string(q.Service))
	if !q.CreatedFrom.IsZero() {
		search.where += ` AND b.created_at >= ?`
		search.args = append(search.args, micros(q.CreatedFrom))
	}
	dir := "DESC"
	if q.OrderBy.Asc {
		dir = "ASC"
	}
	switch q.OrderBy.By {
	case awapi.OrderAccepted:
		search.order = `CASE WHEN b.accepted_at = 0 THEN 1 ELSE 0 END, b.accepted_at ` + dir
	case awapi.OrderSession:
		search.order = `b.session_date ` + dir
	case awapi.OrderNickname:
		if q.Side == awapi.PerformerSide {
			search.order = `c.nickname_lower ` + dir
		} else {
			search.joins = ` LEFT JOIN members am ON am.user_id = b.accepted_by
				LEFT JOIN booking_invitations fi ON fi.booking_id = b.booking_id AND fi.position = 0
				LEFT JOIN members fm ON fm.user_id = fi.performer_id`
			search.order = `COALESCE(am.nickname_lower, fm.nickname_lower) ` + dir
		}
	default:
		search.order = `b.created_at ` + dir
	}
	search.order += `, b.booking_id ` + dir

	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	out := []awapi.Booking{}
	offset := max(0, (max(1, q.Page.Number)-1)*q.Page.Size)
	if q.Page.Size <= 0 || offset >= total {
		return out, total, nil
	}
	rows, err := search.page(ctx, s.pool(), q.Page.Size, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if err := s.loadInvitations(ctx, s.pool(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// DueBookings lists the Confirmed, unpaid bookings whose session ended by now, soonest ended first:
// all of them, or with userID those userID made or performs.
func (s *DB) DueBookings(ctx context.Context, now time.Time, userID int64) (_ []awapi.BookingRef, err error) {
	defer wrap(&err, "DueBookings")
	query := `SELECT service, booking_id FROM bookings WHERE status = 'Confirmed' AND settled_at = 0 AND session_end <= ?`
	args := []any{micros(now)}
	if userID != 0 {
		query += ` AND (client_id = ? OR accepted_by = ?)`
		args = append(args, userID, userID)
	}
	rows, err := s.query(ctx, query+` ORDER BY session_end, booking_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []awapi.BookingRef
	for rows.Next() {
		var (
			ref     awapi.BookingRef
			service string
		)
		if err := rows.Scan(&service, &ref.BookingID); err != nil {
			return nil, err
		}
		ref.Service = awapi.Service(service)
		out = append(out, ref)
	}
	return out, rows.Err()
}
