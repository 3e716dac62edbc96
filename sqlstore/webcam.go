package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Webcam bookings (api-v1.md §2.18).
//
// Concurrency: every transition is one transaction that first locks the booking's row (SELECT … FOR
// UPDATE on PostgreSQL; SQLite's immediate transactions already run one writer at a time), then checks
// the preconditions, then changes state with compare-and-set updates whose WHERE clauses repeat every
// precondition and must touch exactly one row. Locks are always taken in the same order — the
// booking, then its invitations, then one member's balance — so transitions racing on any number of
// instances neither deadlock nor both win. Times are compared with the caller's now, never the
// database clock; a lapsed booking (Pending at AcceptBy) is computed, never stored.

var _ awapi.WebcamStore = (*DB)(nil)

// errWebcamCASMissed reports a compare-and-set that touched no row: the state moved under the caller.
var errWebcamCASMissed = errors.New("sqlstore: webcam booking compare-and-set touched no row")

const webcamColumns = `b.booking_id, b.client_id, c.nickname, b.session_date, b.duration, b.credits, b.accepted_credits,
	b.status, b.software_type_id, b.sign_in_name_or_email, b.also_phone_chat, b.phone_number, b.send_sms_on_accept,
	b.created_at, b.accept_by, b.accepted_at, b.accepted_by, b.confirmed_at, b.cancelled_at, b.reason, b.reserved,
	b.settled_at, b.rescheduled_from, b.client_deleted`

func scanWebcamBooking(row interface{ Scan(...any) error }, extra ...any) (awapi.WebcamBooking, error) {
	var (
		b                                                          awapi.WebcamBooking
		status                                                     string
		session, created, acceptBy, accepted, confirmed, cancelled int64
		settled, credits, acceptedCredits, reserved                int64
	)
	dest := []any{&b.BookingID, &b.ClientID, &b.ClientNickname, &session, &b.Duration, &credits, &acceptedCredits,
		&status, &b.SoftwareTypeID, &b.SignInNameOrEmail, &b.AlsoPhoneChat, &b.PhoneNumber, &b.SendSMSOnAccept,
		&created, &acceptBy, &accepted, &b.AcceptedBy, &confirmed, &cancelled, &b.Reason, &reserved,
		&settled, &b.RescheduledFrom, &b.ClientDeleted}
	err := row.Scan(append(dest, extra...)...)
	b.Status = awapi.BookingStatus(status)
	b.Credits, b.AcceptedCredits, b.Reserved = awapi.Credits(credits), awapi.Credits(acceptedCredits), awapi.Credits(reserved)
	b.SessionDate, b.CreatedAt, b.AcceptBy = fromMicros(session), fromMicros(created), fromMicros(acceptBy)
	b.AcceptedAt, b.ConfirmedAt, b.CancelledAt, b.SettledAt = fromMicros(accepted), fromMicros(confirmed), fromMicros(cancelled), fromMicros(settled)
	return b, err
}

// readWebcamBooking reads one booking with its invitations, whoever may see it.
func (s *DB) readWebcamBooking(ctx context.Context, q conn, bookingID int64) (awapi.WebcamBooking, error) {
	b, err := scanWebcamBooking(q.queryRow(ctx, `SELECT `+webcamColumns+`
		FROM webcam_bookings b JOIN members c ON c.user_id = b.client_id WHERE b.booking_id = ?`, bookingID))
	if err != nil {
		return b, notFound(err, "The booking")
	}
	bs := []awapi.WebcamBooking{b}
	if err := s.loadWebcamInvitations(ctx, q, bs); err != nil {
		return b, err
	}
	return bs[0], nil
}

// loadWebcamInvitations fills in the invitations of bookings with one query, in the order the client
// listed the performers.
func (s *DB) loadWebcamInvitations(ctx context.Context, q conn, bs []awapi.WebcamBooking) error {
	if len(bs) == 0 {
		return nil
	}
	index := make(map[int64]int, len(bs))
	ids := make([]int64, len(bs))
	for i := range bs {
		index[bs[i].BookingID] = i
		ids[i] = bs[i].BookingID
		bs[i].Invitations = []awapi.WebcamInvitation{}
	}
	in, list := anyOf(s, "i.booking_id", ids)
	rows, err := q.query(ctx, `SELECT i.booking_id, i.performer_id, m.nickname, i.status, i.reason, i.decided_at,
			i.performer_deleted
		FROM webcam_invitations i JOIN members m ON m.user_id = i.performer_id
		WHERE `+in+` ORDER BY i.booking_id, i.position`, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			inv       awapi.WebcamInvitation
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

// webcamVisible reports whether a member may see a booking from side: the client's own booking they
// have not deleted, or one the performer was invited to and has not deleted.
func webcamVisible(b *awapi.WebcamBooking, side awapi.BookingSide, userID int64) bool {
	if side == awapi.ClientSide {
		return b.ClientID == userID && !b.ClientDeleted
	}
	inv, ok := b.Invitation(userID)
	return ok && !inv.PerformerDeleted
}

// visibleWebcamBooking reads a booking as side sees it; one they may not see is not found.
func (s *DB) visibleWebcamBooking(ctx context.Context, q conn, side awapi.BookingSide, userID, bookingID int64) (awapi.WebcamBooking, error) {
	b, err := s.readWebcamBooking(ctx, q, bookingID)
	if err != nil {
		return awapi.WebcamBooking{}, err
	}
	if !webcamVisible(&b, side, userID) {
		return awapi.WebcamBooking{}, awapi.NotFound("The booking")
	}
	return b, nil
}

// webcamNow drops what the database cannot store, so checks in Go and in SQL agree to the microsecond.
func webcamNow(now time.Time) time.Time { return fromMicros(micros(now)) }

// casOne runs a compare-and-set update that must touch exactly one row.
func (s *DB) casOne(ctx context.Context, tx txConn, query string, args ...any) error {
	n, err := tx.execCount(ctx, query, args...)
	if err != nil {
		return err
	}
	if n != 1 {
		return errWebcamCASMissed
	}
	return nil
}

// webcamTransition runs one state change in one transaction: it locks the booking's row, reads the
// booking as side sees it (KindNotFound when they may not), checks the preconditions and runs change,
// whose compare-and-set updates repeat them. When a compare-and-set misses, the booking is read again
// and the precise conflict reported (lost names the conflict should the preconditions still hold).
// It returns the booking as it is after the change.
func (s *DB) webcamTransition(ctx context.Context, side awapi.BookingSide, userID, bookingID int64, lost string,
	check func(b *awapi.WebcamBooking) error, change func(tx txConn, b *awapi.WebcamBooking) error) (awapi.WebcamBooking, error) {
	return inTxValue(ctx, s, func(tx txConn) (awapi.WebcamBooking, error) {
		var id int64
		err := tx.queryRow(ctx, `SELECT booking_id FROM webcam_bookings WHERE booking_id = ?`+s.forUpdate(), bookingID).Scan(&id)
		if err != nil {
			return awapi.WebcamBooking{}, notFound(err, "The booking")
		}
		b, err := s.visibleWebcamBooking(ctx, tx.conn, side, userID, bookingID)
		if err != nil {
			return awapi.WebcamBooking{}, err
		}
		if err := check(&b); err != nil {
			return awapi.WebcamBooking{}, err
		}
		if err := change(tx, &b); err != nil {
			if !errors.Is(err, errWebcamCASMissed) {
				return awapi.WebcamBooking{}, err
			}
			again, err := s.visibleWebcamBooking(ctx, tx.conn, side, userID, bookingID)
			if err != nil {
				return awapi.WebcamBooking{}, err
			}
			if err := check(&again); err != nil {
				return awapi.WebcamBooking{}, err
			}
			return awapi.WebcamBooking{}, awapi.Conflict(lost, "The booking changed while it was being updated; it is %s.", again.Status)
		}
		return s.readWebcamBooking(ctx, tx.conn, bookingID)
	})
}

// WebcamPerformers describes members for the booking rules; unknown IDs are left out, and a member
// without webcam settings offers no software and has no minimum.
func (s *DB) WebcamPerformers(ctx context.Context, userIDs []int64) (_ []awapi.WebcamPerformer, err error) {
	defer wrap(&err, "WebcamPerformers")
	if len(userIDs) == 0 {
		return []awapi.WebcamPerformer{}, nil
	}
	in, list := anyOf(s, "m.user_id", userIDs)
	rows, err := s.query(ctx, `SELECT m.user_id, m.nickname, m.is_active, m.is_webcam, m.directchat_only,
			COALESCE(w.software_types, ''), COALESCE(w.minimum_duration, 0)
		FROM members m LEFT JOIN webcam_settings w ON w.user_id = m.user_id
		WHERE `+in+` ORDER BY m.user_id`, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.WebcamPerformer{}
	for rows.Next() {
		var (
			p        awapi.WebcamPerformer
			software string
		)
		if err := rows.Scan(&p.UserID, &p.Nickname, &p.IsActive, &p.IsWebcam, &p.DirectChatOnly, &software, &p.MinimumDuration); err != nil {
			return nil, err
		}
		p.SoftwareTypeIDs = parseIDs(software)
		out = append(out, p)
	}
	return out, rows.Err()
}

// MobileVerified reports whether the member has a verified mobile number.
func (s *DB) MobileVerified(ctx context.Context, userID int64) (_ bool, err error) {
	defer wrap(&err, "MobileVerified")
	var ok bool
	err = s.queryRow(ctx, `SELECT mobile_verified FROM members WHERE user_id = ?`, userID).Scan(&ok)
	return ok, notFound(err, "The member")
}

// insertWebcamBooking stores a new Pending booking with one Pending invitation per performer (a
// performer listed twice is invited once) and returns it as stored.
func (s *DB) insertWebcamBooking(ctx context.Context, tx txConn, b *awapi.WebcamBooking) (awapi.WebcamBooking, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO webcam_bookings (client_id, session_date, duration, session_end, credits,
			status, software_type_id, sign_in_name_or_email, also_phone_chat, phone_number, send_sms_on_accept, created_at,
			accept_by, rescheduled_from)
		VALUES (?, ?, ?, ?, ?, 'Pending', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING booking_id`,
		b.ClientID, micros(b.SessionDate), b.Duration, micros(b.SessionEnd()), int64(b.Credits), b.SoftwareTypeID,
		b.SignInNameOrEmail, b.AlsoPhoneChat, b.PhoneNumber, b.SendSMSOnAccept, micros(b.CreatedAt), micros(b.AcceptBy),
		b.RescheduledFrom).Scan(&id)
	if err != nil {
		if isForeignKeyViolation(err) {
			return awapi.WebcamBooking{}, awapi.NotFound("The member")
		}
		return awapi.WebcamBooking{}, err
	}
	seen := make(map[int64]bool, len(b.Invitations))
	position := 0
	for _, inv := range b.Invitations {
		if seen[inv.PerformerID] {
			continue
		}
		seen[inv.PerformerID] = true
		if _, err := tx.exec(ctx, `INSERT INTO webcam_invitations (booking_id, performer_id, position, status)
			VALUES (?, ?, ?, 'Pending')`, id, inv.PerformerID, position); err != nil {
			if isForeignKeyViolation(err) {
				return awapi.WebcamBooking{}, awapi.NotFound("The member")
			}
			return awapi.WebcamBooking{}, err
		}
		position++
	}
	return s.readWebcamBooking(ctx, tx.conn, id)
}

func validateWebcamBooking(b *awapi.WebcamBooking) error {
	var v awapi.Validation
	if len(b.Invitations) == 0 {
		v.Addf("BookUserIDs", "A booking invites at least one performer.")
	}
	if b.Duration <= 0 {
		v.Addf("Duration", "Duration must be more than 0.")
	}
	if b.Credits < 0 || b.Credits > awapi.MaxCredits {
		v.Addf("Credits", "Credits must be between 0 and %s.", awapi.MaxCredits)
	}
	return v.Err()
}

// CreateWebcamBooking stores a new Pending booking (CreatedAt and AcceptBy as given) with one Pending
// invitation per performer, and returns it as stored.
func (s *DB) CreateWebcamBooking(ctx context.Context, b awapi.WebcamBooking) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "CreateWebcamBooking")
	if err := validateWebcamBooking(&b); err != nil {
		return awapi.WebcamBooking{}, err
	}
	return inTxValue(ctx, s, func(tx txConn) (awapi.WebcamBooking, error) { return s.insertWebcamBooking(ctx, tx, &b) })
}

// WebcamBooking reads a booking as side sees it.
func (s *DB) WebcamBooking(ctx context.Context, side awapi.BookingSide, userID, bookingID int64) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "WebcamBooking")
	return s.visibleWebcamBooking(ctx, s.pool(), side, userID, bookingID)
}

// WebcamBookings pages one member's bookings, not deleted by them, with the total count.
//
// Orders (ties broken by booking ID in the same direction): createddate by creation time;
// acceptdate by acceptance time, with bookings never accepted last in both directions; nickname,
// case-insensitively, by the client's nickname on the performer side and, on the client side, by the
// accepting performer's nickname or, before anyone accepted, the first invited performer's. An empty or
// unknown OrderBy is createddate-desc.
func (s *DB) WebcamBookings(ctx context.Context, q awapi.WebcamBookingQuery) (_ []awapi.WebcamBooking, _ int, err error) {
	defer wrap(&err, "WebcamBookings")
	search := &pagedQuery{cols: webcamColumns}
	switch q.Side {
	case awapi.PerformerSide:
		search.from = `FROM webcam_invitations v JOIN webcam_bookings b ON b.booking_id = v.booking_id
			JOIN members c ON c.user_id = b.client_id`
		search.where = `WHERE v.performer_id = ? AND NOT v.performer_deleted`
	default:
		search.from = `FROM webcam_bookings b JOIN members c ON c.user_id = b.client_id`
		search.where = `WHERE b.client_id = ? AND NOT b.client_deleted`
	}
	search.args = append(search.args, q.UserID)
	if !q.CreatedFrom.IsZero() {
		search.where += ` AND b.created_at >= ?`
		search.args = append(search.args, micros(q.CreatedFrom))
	}
	field, dir, _ := strings.Cut(strings.ToLower(q.OrderBy), "-")
	if dir != "asc" {
		dir = "desc"
	}
	switch field {
	case "acceptdate":
		search.order = `CASE WHEN b.accepted_at = 0 THEN 1 ELSE 0 END, b.accepted_at ` + dir
	case "nickname":
		if q.Side == awapi.PerformerSide {
			search.order = `c.nickname_lower ` + dir
		} else {
			search.joins = ` LEFT JOIN members am ON am.user_id = b.accepted_by
				LEFT JOIN webcam_invitations fi ON fi.booking_id = b.booking_id AND fi.position = 0
				LEFT JOIN members fm ON fm.user_id = fi.performer_id`
			search.order = `COALESCE(am.nickname_lower, fm.nickname_lower) ` + dir
		}
	default:
		if field != "createddate" {
			dir = "desc"
		}
		search.order = `b.created_at ` + dir
	}
	search.order += `, b.booking_id ` + dir

	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	out := []awapi.WebcamBooking{}
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
		b, err := scanWebcamBooking(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if err := s.loadWebcamInvitations(ctx, s.pool(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// AcceptWebcamBooking makes the booking Accepted by this performer at price: their invitation becomes
// Accepted and every other open invitation Cancelled. Only one acceptance can ever win.
func (s *DB) AcceptWebcamBooking(ctx context.Context, performerID, bookingID int64, price awapi.Credits, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "AcceptWebcamBooking")
	if price < 0 || price > awapi.MaxCredits {
		return awapi.WebcamBooking{}, awapi.InvalidField("Credits", "Credits must be between 0 and %s.", awapi.MaxCredits)
	}
	now = webcamNow(now)
	at := stamp(now)
	return s.webcamTransition(ctx, awapi.PerformerSide, performerID, bookingID, "booking_not_pending",
		func(b *awapi.WebcamBooking) error { return b.CanAccept(performerID, now) },
		func(tx txConn, b *awapi.WebcamBooking) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_bookings SET status = 'Accepted', accepted_by = ?, accepted_credits = ?, accepted_at = ?
				WHERE booking_id = ? AND status = 'Pending' AND accept_by > ? AND session_date > ?
					AND EXISTS (SELECT 1 FROM webcam_invitations i WHERE i.booking_id = webcam_bookings.booking_id
						AND i.performer_id = ? AND i.status = 'Pending' AND NOT i.performer_deleted)`,
				performerID, int64(price), at, bookingID, micros(now), micros(now), performerID); err != nil {
				return err
			}
			if err := s.casOne(ctx, tx, `UPDATE webcam_invitations SET status = 'Accepted', decided_at = ?
				WHERE booking_id = ? AND performer_id = ? AND status = 'Pending'`, at, bookingID, performerID); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `UPDATE webcam_invitations SET status = 'Cancelled', reason = ?, decided_at = ?
				WHERE booking_id = ? AND status = 'Pending'`, "Another performer accepted the booking", at, bookingID)
			return err
		})
}

// RejectWebcamBooking rejects the performer's open invitation; when none is left open the booking is
// Rejected too.
func (s *DB) RejectWebcamBooking(ctx context.Context, performerID, bookingID int64, reason string, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "RejectWebcamBooking")
	now = webcamNow(now)
	at := stamp(now)
	return s.webcamTransition(ctx, awapi.PerformerSide, performerID, bookingID, "invitation_not_pending",
		func(b *awapi.WebcamBooking) error { return b.CanReject(performerID, now) },
		func(tx txConn, b *awapi.WebcamBooking) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_invitations SET status = 'Rejected', reason = ?, decided_at = ?
				WHERE booking_id = ? AND performer_id = ? AND status = 'Pending' AND NOT performer_deleted
					AND EXISTS (SELECT 1 FROM webcam_bookings b WHERE b.booking_id = webcam_invitations.booking_id
						AND b.status = 'Pending' AND b.accept_by > ?)`,
				reason, at, bookingID, performerID, micros(now)); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `UPDATE webcam_bookings SET status = 'Rejected', reason = ?
				WHERE booking_id = ? AND status = 'Pending'
					AND NOT EXISTS (SELECT 1 FROM webcam_invitations i WHERE i.booking_id = webcam_bookings.booking_id
						AND i.status = 'Pending')`, reason, bookingID)
			return err
		})
}

// CancelReceivedWebcamBooking cancels a booking this performer accepted, before its session.
func (s *DB) CancelReceivedWebcamBooking(ctx context.Context, performerID, bookingID int64, reason string, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "CancelReceivedWebcamBooking")
	now = webcamNow(now)
	at := stamp(now)
	return s.webcamTransition(ctx, awapi.PerformerSide, performerID, bookingID, "booking_not_accepted",
		func(b *awapi.WebcamBooking) error { return b.CanCancelReceived(performerID, now) },
		func(tx txConn, b *awapi.WebcamBooking) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_bookings SET status = 'Cancelled', cancelled_at = ?, reason = ?
				WHERE booking_id = ? AND status = 'Accepted' AND accepted_by = ? AND session_date > ?`,
				at, reason, bookingID, performerID, micros(now)); err != nil {
				return err
			}
			return s.casOne(ctx, tx, `UPDATE webcam_invitations SET status = 'Cancelled', reason = ?, decided_at = ?
				WHERE booking_id = ? AND performer_id = ? AND status = 'Accepted'`, reason, at, bookingID, performerID)
		})
}

// ConfirmWebcamBooking debits the agreed price from the client, holds it as Reserved and makes the
// booking Confirmed, all in one transaction; only one confirmation can ever charge.
func (s *DB) ConfirmWebcamBooking(ctx context.Context, clientID, bookingID int64, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "ConfirmWebcamBooking")
	now = webcamNow(now)
	at := stamp(now)
	return s.webcamTransition(ctx, awapi.ClientSide, clientID, bookingID, "booking_not_accepted",
		func(b *awapi.WebcamBooking) error { return b.CanConfirm(now) },
		func(tx txConn, b *awapi.WebcamBooking) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_bookings SET status = 'Confirmed', confirmed_at = ?, reserved = accepted_credits
				WHERE booking_id = ? AND client_id = ? AND status = 'Accepted' AND session_date > ? AND accepted_credits = ?`,
				at, bookingID, clientID, micros(now), int64(b.AcceptedCredits)); err != nil {
				return err
			}
			if b.AcceptedCredits == 0 {
				return nil
			}
			_, err := s.changeBalance(ctx, tx, clientID, -b.AcceptedCredits, fmt.Sprintf("Webcam booking #%d confirmed", bookingID), bookingID, now)
			return err
		})
}

// CancelMadeWebcamBooking cancels a client's booking with its open invitations; a Confirmed one is
// refunded in the same transaction.
func (s *DB) CancelMadeWebcamBooking(ctx context.Context, clientID, bookingID int64, reason string, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "CancelMadeWebcamBooking")
	now = webcamNow(now)
	at := stamp(now)
	return s.webcamTransition(ctx, awapi.ClientSide, clientID, bookingID, "booking_cancelled",
		func(b *awapi.WebcamBooking) error { return b.CanCancelMade(now) },
		func(tx txConn, b *awapi.WebcamBooking) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_bookings SET status = 'Cancelled', cancelled_at = ?, reason = ?, reserved = 0
				WHERE booking_id = ? AND client_id = ? AND reserved = ?
					AND (status = 'Accepted' OR (status = 'Pending' AND accept_by > ?)
						OR (status = 'Confirmed' AND session_date > ? AND settled_at = 0))`,
				at, reason, bookingID, clientID, int64(b.Reserved), micros(now), micros(now)); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE webcam_invitations SET status = 'Cancelled', reason = ?, decided_at = ?
				WHERE booking_id = ? AND status IN ('Pending', 'Accepted')`, reason, at, bookingID); err != nil {
				return err
			}
			if b.Reserved == 0 {
				return nil
			}
			_, err := s.changeBalance(ctx, tx, clientID, b.Reserved, fmt.Sprintf("Webcam booking #%d cancelled: refund", bookingID), bookingID, now)
			return err
		})
}

// RescheduleWebcamBooking copies a finished booking into a new Pending one starting RescheduleLead
// from now. The original is only read.
func (s *DB) RescheduleWebcamBooking(ctx context.Context, clientID, bookingID int64, now time.Time) (_ awapi.WebcamBooking, err error) {
	defer wrap(&err, "RescheduleWebcamBooking")
	now = webcamNow(now)
	return inTxValue(ctx, s, func(tx txConn) (awapi.WebcamBooking, error) {
		b, err := s.visibleWebcamBooking(ctx, tx.conn, awapi.ClientSide, clientID, bookingID)
		if err != nil {
			return awapi.WebcamBooking{}, err
		}
		if err := b.CanReschedule(now); err != nil {
			return awapi.WebcamBooking{}, err
		}
		balance, err := s.creditBalance(ctx, tx.conn, clientID)
		if err != nil {
			return awapi.WebcamBooking{}, err
		}
		if balance < b.Credits {
			return awapi.WebcamBooking{}, awapi.Conflict("insufficient_credits", "The balance of %s credits does not cover the offer of %s.", balance, b.Credits)
		}
		session := now.Add(awapi.RescheduleLead)
		nb := awapi.WebcamBooking{
			ClientID: clientID, SessionDate: session, Duration: b.Duration, Credits: b.Credits, SoftwareTypeID: b.SoftwareTypeID,
			SignInNameOrEmail: b.SignInNameOrEmail, AlsoPhoneChat: b.AlsoPhoneChat, PhoneNumber: b.PhoneNumber,
			SendSMSOnAccept: b.SendSMSOnAccept, CreatedAt: now, AcceptBy: awapi.AcceptByFor(now, session),
			RescheduledFrom: bookingID, Invitations: b.Invitations,
		}
		return s.insertWebcamBooking(ctx, tx, &nb)
	})
}

// DeleteWebcamBookings hides finished bookings from side's lists, answering per item. The status
// that decides is the one the API shows that side: the booking's for the client, the performer's
// own invitation's for the performer (a lapsed one is Rejected).
// Each hiding is a compare-and-set on that status.
func (s *DB) DeleteWebcamBookings(ctx context.Context, side awapi.BookingSide, userID int64, bookingIDs []int64, now time.Time) (_ []awapi.DeleteResult, err error) {
	defer wrap(&err, "DeleteWebcamBookings")
	now = webcamNow(now)
	var out []awapi.DeleteResult
	err = s.inTx(ctx, func(tx txConn) error {
		out = make([]awapi.DeleteResult, 0, len(bookingIDs))
		for _, id := range bookingIDs {
			var err error
			if side == awapi.ClientSide {
				err = s.casOne(ctx, tx, `UPDATE webcam_bookings SET client_deleted = TRUE
					WHERE booking_id = ? AND client_id = ? AND NOT client_deleted
						AND (status IN ('Rejected', 'Confirmed', 'Cancelled') OR (status = 'Pending' AND accept_by <= ?))`,
					id, userID, micros(now))
			} else {
				// The performer's own invitation decides (awapi.InvitationStatusAt): one cancelled because
				// another performer won is finished for them even while the booking goes on.
				err = s.casOne(ctx, tx, `UPDATE webcam_invitations SET performer_deleted = TRUE
					WHERE booking_id = ? AND performer_id = ? AND NOT performer_deleted
						AND EXISTS (SELECT 1 FROM webcam_bookings b WHERE b.booking_id = webcam_invitations.booking_id
							AND (webcam_invitations.status IN ('Rejected', 'Cancelled')
								OR (webcam_invitations.status = 'Pending' AND b.accept_by <= ?)
								OR (webcam_invitations.status = 'Accepted' AND b.status IN ('Confirmed', 'Cancelled'))))`,
					id, userID, micros(now))
			}
			switch {
			case err == nil:
				out = append(out, awapi.DeleteResult{BookingID: id, Deleted: true})
				continue
			case !errors.Is(err, errWebcamCASMissed):
				return err
			}
			b, err := s.visibleWebcamBooking(ctx, tx.conn, side, userID, id)
			switch {
			case awapi.ErrorKind(err) == awapi.KindNotFound:
				out = append(out, awapi.DeleteResult{BookingID: id, Message: "The booking was not found."})
			case err != nil:
				return err
			default:
				status := b.StatusAt(now)
				if inv, ok := b.Invitation(userID); ok && side == awapi.PerformerSide {
					status = b.InvitationStatusAt(inv, now)
				}
				out = append(out, awapi.DeleteResult{BookingID: id, Message: fmt.Sprintf(
					"Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is %s.", status)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SettleWebcamBookings pays the performers of Confirmed sessions that ended by now, one transaction
// per booking: a compare-and-set on settled_at (and the reserved amount it pays) decides which of any
// number of concurrent settlers pays, so each booking is paid exactly once.
func (s *DB) SettleWebcamBookings(ctx context.Context, now time.Time) (_ int, err error) {
	defer wrap(&err, "SettleWebcamBookings")
	return s.settleWebcam(ctx, now, "", nil)
}

// SettleMemberWebcamBookings settles, as SettleWebcamBookings does, only the due bookings the member
// made or whose accepted performer they are: the bookings their own balance and history show.
func (s *DB) SettleMemberWebcamBookings(ctx context.Context, userID int64, now time.Time) (_ int, err error) {
	defer wrap(&err, "SettleMemberWebcamBookings")
	return s.settleWebcam(ctx, now, ` AND (client_id = ? OR accepted_by = ?)`, []any{userID, userID})
}

// settleWebcam settles the due bookings that also match the condition where (with its args). The due
// bookings are few (the partial index webcam_bookings_unsettled holds only them), so the condition
// filters them rather than needing an index of its own.
func (s *DB) settleWebcam(ctx context.Context, now time.Time, where string, args []any) (int, error) {
	now = webcamNow(now)
	type due struct {
		id, performer int64
		reserved      awapi.Credits
	}
	rows, err := s.query(ctx, `SELECT booking_id, accepted_by, reserved FROM webcam_bookings
		WHERE status = 'Confirmed' AND settled_at = 0 AND session_end <= ?`+where+` ORDER BY session_end, booking_id`,
		append([]any{micros(now)}, args...)...)
	if err != nil {
		return 0, err
	}
	var dues []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.performer, &d.reserved); err != nil {
			rows.Close()
			return 0, err
		}
		dues = append(dues, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	settled := 0
	for _, d := range dues {
		err := s.inTx(ctx, func(tx txConn) error {
			if err := s.casOne(ctx, tx, `UPDATE webcam_bookings SET settled_at = ?, reserved = 0
				WHERE booking_id = ? AND status = 'Confirmed' AND settled_at = 0 AND reserved = ? AND session_end <= ?`,
				stamp(now), d.id, int64(d.reserved), micros(now)); err != nil {
				return err
			}
			if d.reserved == 0 { // nothing was charged, so nothing is paid; the booking is still done
				return nil
			}
			_, err := s.changeBalance(ctx, tx, d.performer, d.reserved, fmt.Sprintf("Webcam booking #%d completed", d.id), d.id, now)
			return err
		})
		switch {
		case err == nil:
			settled++
		case errors.Is(err, errWebcamCASMissed): // another settler (or a refund) got there first
		default:
			return settled, err
		}
	}
	return settled, nil
}
