package awapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The booking engine. Webcam (api-v1.md §2.18) and PhoneChat (§2.14) bookings share one shape: a
// client asks one or more performers for a session; the first performer to accept wins, at their own
// price, and the other invitations are cancelled; the client confirms, which reserves the agreed price
// from their balance; either side may cancel before the session (a confirmed booking is refunded); the
// performer is paid when the session ends; an invitation not accepted by AcceptBy lapses. A service
// is this engine plus its own creation rules (Service) and its own details (BookingDetails).
//
// Every rule is a method of Booking that checks its preconditions and, when they hold, applies the
// change to the booking in memory and names the money it moves (Posting). The store runs such a
// method on the booking as it reads it and writes the result with a compare-and-set on the booking's
// Version, in the same transaction as the postings; of two concurrent changes one wins and the other
// is decided again on the new state. The rules are therefore written once, here, and tested without a
// database; the store guarantees only that they are applied to the latest state, once.

// Service names what a booking is for: ServiceWebcam or ServicePhoneChat (the names ratings use).
type Service string

// BookingStatus is a booking's or an invitation's documented status.
type BookingStatus string

const (
	StatusPending   BookingStatus = "Pending"
	StatusAccepted  BookingStatus = "Accepted"
	StatusRejected  BookingStatus = "Rejected"
	StatusConfirmed BookingStatus = "Confirmed"
	StatusCancelled BookingStatus = "Cancelled"
)

// Booking rules shared by every service.
const (
	MaxAcceptWindow = 48 * time.Hour         // an invitation lapses after this, or at SessionDate if sooner
	ExpiredReason   = "Not accepted in time" // the reason an expired invitation carries
	// AcceptedElsewhereReason is the reason of the invitations cancelled because another performer won.
	AcceptedElsewhereReason = "Another performer accepted the booking"
)

// AcceptByFor is when the invitations of a booking created at created for session lapse: 48 hours
// after creation, or the session start if that is sooner (the documentation shows AcceptBy but not
// how it is chosen; this is the project's rule for services whose client does not choose it).
func AcceptByFor(created, session time.Time) time.Time {
	if deadline := created.Add(MaxAcceptWindow); deadline.Before(session) {
		return deadline
	}
	return session
}

// Booking is a client's booking with its invitations.
type Booking struct {
	BookingID       int64
	Service         Service
	ClientID        int64
	ClientNickname  string
	SessionDate     time.Time
	Duration        int     // minutes
	Credits         Credits // the client's offer
	AcceptedCredits Credits // the accepting performer's price; 0 until accepted
	Status          BookingStatus
	CreatedAt       time.Time
	AcceptBy        time.Time
	AcceptedAt      time.Time
	AcceptedBy      int64 // the performer who accepted; 0 until then
	ConfirmedAt     time.Time
	CancelledAt     time.Time
	Reason          string    // the latest rejection or cancellation reason
	Reserved        Credits   // held from the client's balance since confirmation; 0 once refunded or paid
	SettledAt       time.Time // when the reserved credits passed to the performer
	RescheduledFrom int64
	ClientDeleted   bool
	Invitations     []Invitation
	Details         BookingDetails
	// Version counts the changes the booking has had; the store writes a change only over the version
	// it was decided on.
	Version int64
}

// BookingDetails holds what one service records beyond the engine's fields; each service uses its
// own fields and leaves the others zero.
type BookingDetails struct {
	// Webcam.
	SoftwareTypeID    int    `json:",omitempty"`
	SignInNameOrEmail string `json:",omitempty"`
	AlsoPhoneChat     bool   `json:",omitempty"`
	SendSMSOnAccept   bool   `json:",omitempty"`
	// PhoneChat.
	Method    int    `json:",omitempty"`
	SkypeName string `json:",omitempty"`
	Comments  string `json:",omitempty"`
	// ReInvited: the performer rejected the lapsed booking with a re-invitation (PhoneChat/ReInvite).
	ReInvited bool `json:",omitempty"`
	// Both: the client's number (webcam with AlsoPhoneChat; phone chat Method 1).
	PhoneNumber string `json:",omitempty"`
}

// Invitation is one invited performer's side of a booking.
type Invitation struct {
	PerformerID      int64
	Nickname         string
	Status           BookingStatus
	Reason           string
	DecidedAt        time.Time
	PerformerDeleted bool
}

// Posting is a change of one member's balance that a transition makes; the store writes it as a
// ledger row in the transaction that stores the transition, and refuses a debit the balance does not
// cover (insufficient_credits).
type Posting struct {
	UserID      int64
	Amount      Credits // positive: credits in; negative: credits out
	Description string
}

// BookingSide says whose view of the bookings a query or a change takes.
type BookingSide int

const (
	ClientSide    BookingSide = iota // the bookings a client made
	PerformerSide                    // the invitations a performer received
	// EngineSide is the engine's own view, for settlement: it sees every booking, deleted or not.
	EngineSide
)

// VisibleTo reports whether a member sees the booking from side: the client's own booking they have
// not deleted, or one the performer was invited to and has not deleted. Anything else is not found.
func (b *Booking) VisibleTo(side BookingSide, userID int64) bool {
	switch side {
	case EngineSide:
		return true
	case ClientSide:
		return b.ClientID == userID && !b.ClientDeleted
	}
	i := b.invitation(userID)
	return i >= 0 && !b.Invitations[i].PerformerDeleted
}

// Expired reports whether the booking's open invitations lapsed unanswered: still Pending at AcceptBy.
// Expiry is computed, never stored by a timer, so every instance sees it at the same moment.
func (b *Booking) Expired(now time.Time) bool {
	return b.Status == StatusPending && !now.Before(b.AcceptBy)
}

// StatusAt is the booking's status as the API shows it at now: a lapsed Pending booking is Rejected.
func (b *Booking) StatusAt(now time.Time) BookingStatus {
	if b.Expired(now) {
		return StatusRejected
	}
	return b.Status
}

// ReasonAt is the booking's reason as the API shows it at now.
func (b *Booking) ReasonAt(now time.Time) string {
	if b.Expired(now) {
		return ExpiredReason
	}
	return b.Reason
}

// IsMultiple reports whether the booking was sent to several performers.
func (b *Booking) IsMultiple() bool { return len(b.Invitations) > 1 }

func (b *Booking) invitation(performerID int64) int {
	return slices.IndexFunc(b.Invitations, func(inv Invitation) bool { return inv.PerformerID == performerID })
}

// Invitation returns the invitation of one performer.
func (b *Booking) Invitation(performerID int64) (Invitation, bool) {
	if i := b.invitation(performerID); i >= 0 {
		return b.Invitations[i], true
	}
	return Invitation{}, false
}

// InvitationStatusAt is one performer's invitation status as they see it at now.
func (b *Booking) InvitationStatusAt(inv Invitation, now time.Time) BookingStatus {
	if inv.Status == StatusPending && !now.Before(b.AcceptBy) {
		return StatusRejected
	}
	if inv.Status == StatusAccepted && b.Status != StatusAccepted {
		return b.Status // Confirmed or Cancelled after the performer accepted
	}
	return inv.Status
}

// SideStatusAt is the status side sees: the booking's for the client, the performer's own
// invitation's for a performer (another performer's acceptance cancels theirs).
func (b *Booking) SideStatusAt(side BookingSide, userID int64, now time.Time) BookingStatus {
	if side == PerformerSide {
		if inv, ok := b.Invitation(userID); ok {
			return b.InvitationStatusAt(inv, now)
		}
	}
	return b.StatusAt(now)
}

// SessionEnd is when the session is over and the performer is paid.
func (b *Booking) SessionEnd() time.Time {
	return b.SessionDate.Add(time.Duration(b.Duration) * time.Minute)
}

// Price is what the client pays: the accepted price once a performer accepted, the offer before.
func (b *Booking) Price() Credits {
	if b.AcceptedBy != 0 {
		return b.AcceptedCredits
	}
	return b.Credits
}

// The transitions (api-v1.md §2.14, §2.18). Each Can… reports why the transition is not allowed now,
// as a 409 conflict with a stable code; each transition checks it and then applies the change.

// CanAccept reports why performerID may not accept now: AcceptBy and SessionDate in the future, the
// booking and the performer's invitation Pending.
func (b *Booking) CanAccept(performerID int64, now time.Time) error {
	switch {
	case b.Expired(now):
		return Conflict("accept_by_passed", "The booking can no longer be accepted: it lapsed at AcceptBy.")
	case !now.Before(b.SessionDate):
		return Conflict("session_date_passed", "The session date has passed.")
	}
	return b.invitationPending(performerID)
}

// Accept makes the booking Accepted by performerID at price; every other open invitation is
// Cancelled, so only one performer can ever win.
func (b *Booking) Accept(performerID int64, price Credits, now time.Time) error {
	if err := b.CanAccept(performerID, now); err != nil {
		return err
	}
	if price <= 0 || price > MaxCredits {
		return InvalidField("Credits", "Credits must be more than 0 and at most %s.", MaxCredits)
	}
	b.Status, b.AcceptedBy, b.AcceptedCredits, b.AcceptedAt = StatusAccepted, performerID, price, now
	for i := range b.Invitations {
		inv := &b.Invitations[i]
		switch {
		case inv.PerformerID == performerID:
			inv.Status, inv.DecidedAt = StatusAccepted, now
		case inv.Status == StatusPending:
			inv.Status, inv.Reason, inv.DecidedAt = StatusCancelled, AcceptedElsewhereReason, now
		}
	}
	return nil
}

// CanReject reports why performerID may not reject now: the booking and their invitation Pending.
func (b *Booking) CanReject(performerID int64, now time.Time) error {
	if b.Expired(now) {
		return Conflict("accept_by_passed", "The invitation lapsed at AcceptBy; it is already Rejected.")
	}
	return b.invitationPending(performerID)
}

// Reject rejects the performer's open invitation; when none is left open the booking is Rejected too.
func (b *Booking) Reject(performerID int64, reason string, now time.Time) error {
	if err := b.CanReject(performerID, now); err != nil {
		return err
	}
	open := false
	for i := range b.Invitations {
		inv := &b.Invitations[i]
		if inv.PerformerID == performerID {
			inv.Status, inv.Reason, inv.DecidedAt = StatusRejected, reason, now
		}
		open = open || inv.Status == StatusPending
	}
	if !open {
		b.Status, b.Reason = StatusRejected, reason
	}
	return nil
}

func (b *Booking) invitationPending(performerID int64) error {
	inv, _ := b.Invitation(performerID)
	switch {
	case b.Status != StatusPending:
		return Conflict("booking_not_pending", "The booking is %s, not Pending.", b.Status)
	case inv.Status != StatusPending:
		return Conflict("invitation_not_pending", "Your invitation is %s, not Pending.", inv.Status)
	}
	return nil
}

// CanCancelReceived reports why performerID may not cancel now: they accepted the booking, the
// client has not confirmed it, and its session has not started.
func (b *Booking) CanCancelReceived(performerID int64, now time.Time) error {
	switch {
	case b.Status != StatusAccepted || b.AcceptedBy != performerID:
		inv, _ := b.Invitation(performerID)
		return Conflict("booking_not_accepted", "Only a booking you accepted (and the client has not confirmed) can be cancelled; it is %s.",
			b.InvitationStatusAt(inv, now))
	case !now.Before(b.SessionDate):
		return Conflict("session_date_passed", "The session date has passed.")
	}
	return nil
}

// CancelReceived cancels a booking the performer accepted; no credits have moved yet.
func (b *Booking) CancelReceived(performerID int64, reason string, now time.Time) error {
	if err := b.CanCancelReceived(performerID, now); err != nil {
		return err
	}
	b.Status, b.CancelledAt, b.Reason = StatusCancelled, now, reason
	i := b.invitation(performerID)
	b.Invitations[i].Status, b.Invitations[i].Reason, b.Invitations[i].DecidedAt = StatusCancelled, reason, now
	return nil
}

// CanReInvite reports why performerID may not reject the booking with a re-invitation now: the booking
// and their invitation must still be Pending (as stored: it shows as lapsed) and its session date must
// have come (PhoneChat/ReInvite).
func (b *Booking) CanReInvite(performerID int64, now time.Time) error {
	if now.Before(b.SessionDate) {
		return Conflict("session_not_started", "Only a booking whose session date has passed can be re-invited; reject or accept it instead.")
	}
	return b.invitationPending(performerID)
}

// ReInvite rejects the performer's lapsed invitation with reason and invites the client to book again:
// the booking is Rejected and marked ReInvited, which the client sees with the reason and may act on
// with RescheduleMadeBooking.
func (b *Booking) ReInvite(performerID int64, reason string, now time.Time) error {
	if err := b.CanReInvite(performerID, now); err != nil {
		return err
	}
	i := b.invitation(performerID)
	b.Invitations[i].Status, b.Invitations[i].Reason, b.Invitations[i].DecidedAt = StatusRejected, reason, now
	b.Status, b.Reason, b.Details.ReInvited = StatusRejected, reason, true
	return nil
}

// CanConfirm reports why the client may not confirm now: the booking Accepted before its session.
func (b *Booking) CanConfirm(now time.Time) error {
	switch {
	case b.Expired(now):
		return Conflict("accept_by_passed", "No performer accepted the booking in time.")
	case b.Status != StatusAccepted:
		return Conflict("booking_not_accepted", "Only an Accepted booking can be confirmed; this one is %s.", b.Status)
	case !now.Before(b.SessionDate):
		return Conflict("session_date_passed", "The session date has passed.")
	}
	return nil
}

// Confirm makes the booking Confirmed and reserves the agreed price: one posting takes it from the
// client, who must be able to cover it.
func (b *Booking) Confirm(now time.Time) ([]Posting, error) {
	if err := b.CanConfirm(now); err != nil {
		return nil, err
	}
	b.Status, b.ConfirmedAt, b.Reserved = StatusConfirmed, now, b.AcceptedCredits
	return b.posting(b.ClientID, -b.Reserved, "confirmed"), nil
}

// CanCancelMade reports why the client may not cancel now: not Cancelled or Rejected (a lapsed
// booking is Rejected), and a Confirmed one only before its session date and settlement.
func (b *Booking) CanCancelMade(now time.Time) error {
	switch {
	case b.Status == StatusCancelled:
		return Conflict("booking_cancelled", "The booking is already Cancelled.")
	case b.Status == StatusRejected || b.Expired(now):
		return Conflict("booking_rejected", "The booking is Rejected.")
	case b.Status == StatusConfirmed && (!now.Before(b.SessionDate) || !b.SettledAt.IsZero()):
		return Conflict("session_date_passed", "A Confirmed booking cannot be cancelled once its session date has passed.")
	}
	return nil
}

// CancelMade cancels the client's booking with its open invitations; what a confirmation reserved
// goes back to the client in full.
func (b *Booking) CancelMade(reason string, now time.Time) ([]Posting, error) {
	if err := b.CanCancelMade(now); err != nil {
		return nil, err
	}
	refund := b.Reserved
	b.Status, b.CancelledAt, b.Reason, b.Reserved = StatusCancelled, now, reason, 0
	for i := range b.Invitations {
		if inv := &b.Invitations[i]; inv.Status == StatusPending || inv.Status == StatusAccepted {
			inv.Status, inv.Reason, inv.DecidedAt = StatusCancelled, reason, now
		}
	}
	return b.posting(b.ClientID, refund, "cancelled: refund"), nil
}

// CanSettle reports why the booking is not due for payment: it must be Confirmed, unpaid, and its
// session over.
func (b *Booking) CanSettle(now time.Time) error {
	switch {
	case b.Status != StatusConfirmed:
		return Conflict("booking_not_confirmed", "Only a Confirmed booking is paid; this one is %s.", b.Status)
	case !b.SettledAt.IsZero():
		return Conflict("booking_settled", "The booking was already paid.")
	case now.Before(b.SessionEnd()):
		return Conflict("session_not_ended", "The session has not ended.")
	}
	return nil
}

// Settle pays the performer what the confirmation reserved, once.
func (b *Booking) Settle(now time.Time) ([]Posting, error) {
	if err := b.CanSettle(now); err != nil {
		return nil, err
	}
	return b.pay(now, "completed"), nil
}

// CanMarkRun reports why the sandbox may not mark the session as having run: the booking must be
// Confirmed and not paid yet. Its session date need not have come, so a developer need not wait.
func (b *Booking) CanMarkRun() error {
	switch {
	case b.Status != StatusConfirmed:
		return Conflict("booking_not_confirmed", "Only a Confirmed booking's session can run; this one is %s.", b.Status)
	case !b.SettledAt.IsZero():
		return Conflict("booking_settled", "The session already ran and was paid.")
	}
	return nil
}

// MarkRun records that the session ran now (the sandbox's stand-in for a telephone network): the
// performer is paid what the confirmation reserved, as settlement would at the session's end, and
// the booking can no longer be cancelled or paid again.
func (b *Booking) MarkRun(now time.Time) ([]Posting, error) {
	if err := b.CanMarkRun(); err != nil {
		return nil, err
	}
	return b.pay(now, "session ran"), nil
}

// pay passes the reserved credits to the accepting performer.
func (b *Booking) pay(now time.Time, what string) []Posting {
	amount := b.Reserved
	b.SettledAt, b.Reserved = now, 0
	return b.posting(b.AcceptedBy, amount, what)
}

// posting names a balance change of this booking; nothing when the amount is 0.
func (b *Booking) posting(userID int64, amount Credits, what string) []Posting {
	if amount == 0 {
		return nil
	}
	return []Posting{{UserID: userID, Amount: amount, Description: fmt.Sprintf("%s booking #%d %s", b.Service, b.BookingID, what)}}
}

// rescheduleAfterSessionOnly names the services whose bookings may be rescheduled only once their
// session date has passed (PhoneChat documents only that precondition); the others may also copy a
// booking that was rejected or cancelled before its session (Webcam).
var rescheduleAfterSessionOnly = map[Service]bool{ServicePhoneChat: true}

// CanReschedule reports why the client may not copy the booking now: only one whose session date
// has passed or, unless its service reschedules only after the session, one that lapsed or was
// rejected or cancelled.
func (b *Booking) CanReschedule(now time.Time) error {
	if !now.Before(b.SessionDate) {
		return nil
	}
	if rescheduleAfterSessionOnly[b.Service] {
		return Conflict("session_not_started", "Only a booking whose session date has passed can be rescheduled; this one starts at %s.",
			b.SessionDate.Format("2006-01-02 15:04 MST"))
	}
	if b.Status == StatusRejected || b.Status == StatusCancelled || b.Expired(now) {
		return nil
	}
	return Conflict("session_not_started",
		"Only a booking that lapsed, was rejected or cancelled, or whose session date has passed can be rescheduled; this one is %s.", b.Status)
}

// Rescheduled is the new Pending booking that copies this one (same performers, details and offer)
// for a session starting lead from now.
func (b *Booking) Rescheduled(now time.Time, lead time.Duration) (Booking, error) {
	if err := b.CanReschedule(now); err != nil {
		return Booking{}, err
	}
	session := now.Add(lead)
	nb := Booking{
		Service: b.Service, ClientID: b.ClientID, ClientNickname: b.ClientNickname, SessionDate: session,
		Duration: b.Duration, Credits: b.Credits, Status: StatusPending, CreatedAt: now,
		AcceptBy: AcceptByFor(now, session), RescheduledFrom: b.BookingID, Details: b.Details,
	}
	nb.Details.ReInvited = false
	for _, inv := range b.Invitations {
		nb.Invitations = append(nb.Invitations, Invitation{PerformerID: inv.PerformerID, Nickname: inv.Nickname, Status: StatusPending})
	}
	return nb, nil
}

// Deletable reports whether a booking may be deleted: its status is Rejected, Confirmed or Cancelled.
func Deletable(s BookingStatus) bool {
	return s == StatusRejected || s == StatusConfirmed || s == StatusCancelled
}

// Delete hides a finished booking from side's lists. The status that decides is the one the API
// shows that side: the booking's for the client, the performer's own invitation's for a performer.
func (b *Booking) Delete(side BookingSide, userID int64, now time.Time) error {
	status := b.SideStatusAt(side, userID, now)
	if !Deletable(status) {
		return Conflict("booking_not_finished", "Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is %s.", status)
	}
	if side == ClientSide {
		b.ClientDeleted = true
	} else {
		b.Invitations[b.invitation(userID)].PerformerDeleted = true
	}
	return nil
}

// DeleteResult is one item of a batch deletion.
type DeleteResult struct {
	BookingID int64
	Deleted   bool
	Message   string
}

// BookingQuery pages one member's bookings of one service.
type BookingQuery struct {
	Service     Service
	Side        BookingSide
	UserID      int64
	CreatedFrom time.Time // zero: no lower bound
	OrderBy     BookingOrder
	Page        Page
}

// BookingOrder is a list order the engine knows; each service offers the ones its documentation lists.
// The zero order is the newest created first.
type BookingOrder struct {
	By  BookingOrderField
	Asc bool
}

// BookingOrderField is what a booking list is sorted by; ties are broken by booking ID in the same
// direction.
type BookingOrderField int

const (
	OrderCreated  BookingOrderField = iota // creation time
	OrderAccepted                          // acceptance time; bookings never accepted last in both directions
	OrderSession                           // session date
	// OrderNickname sorts case-insensitively by the other party: the client's nickname on the
	// performer side; on the client side the accepting performer's or, before anyone accepted, the
	// first invited performer's.
	OrderNickname
)

// BookingOrderOf reads an OrderBy value of the booking lists: a field (createddate or date,
// acceptdate, sessiondate, nickname) and a direction (-asc or -desc), in any case. Anything else is
// the newest created first, which every list's documentation gives as its default.
func BookingOrderOf(s string) BookingOrder {
	field, dir, _ := strings.Cut(strings.ToLower(s), "-")
	by, ok := map[string]BookingOrderField{"createddate": OrderCreated, "date": OrderCreated, "acceptdate": OrderAccepted,
		"sessiondate": OrderSession, "nickname": OrderNickname}[field]
	if !ok || dir != "asc" && dir != "desc" {
		return BookingOrder{}
	}
	return BookingOrder{By: by, Asc: dir == "asc"}
}

// BookingStore persists bookings of every service. Reads of a booking a member may not see (see
// Booking.VisibleTo) are KindNotFound, never a conflict.
type BookingStore interface {
	// CreateBooking stores a new Pending booking with one Pending invitation per performer (a
	// performer listed twice is invited once) and returns it as stored. When cover is more than 0 the
	// client's balance must hold at least that much (insufficient_credits otherwise), checked in the
	// same transaction.
	CreateBooking(ctx context.Context, b Booking, cover Credits) (Booking, error)
	// Booking reads a booking of service as side sees it.
	Booking(ctx context.Context, service Service, side BookingSide, userID, bookingID int64) (Booking, error)
	// Bookings pages one member's bookings (not deleted by them) with the total count.
	Bookings(ctx context.Context, q BookingQuery) ([]Booking, int, error)
	// ChangeBooking (in BookingSettler) reads the booking as side sees it, lets change decide and apply a transition, and
	// stores the result with the postings change returns, in one transaction whose write is a
	// compare-and-set on the booking's Version. When another change won in between, change runs again
	// on the new state, so concurrent transitions are decided one after the other on any number of
	// instances. It returns the booking as stored.
	// The ledger rows of the postings are stamped now.
	BookingSettler
}

// BookingSettler is what settling bookings reads and writes.
type BookingSettler interface {
	// DueBookings lists the Confirmed, unpaid bookings whose session ended by now: all of them, or
	// with userID those userID made or performs. The list is a candidate list; Settle decides.
	DueBookings(ctx context.Context, now time.Time, userID int64) ([]BookingRef, error)
	ChangeBooking(ctx context.Context, service Service, side BookingSide, userID, bookingID int64, now time.Time,
		change func(b *Booking) ([]Posting, error)) (Booking, error)
}

// BookingRef names one booking.
type BookingRef struct {
	Service   Service
	BookingID int64
}

// Bookings runs the engine's transitions for one service through the store: each is the rule of
// Booking applied by ChangeBooking, so every service gets the same guarantees from the same code.
type Bookings struct {
	Store   BookingStore
	Service Service
}

func (s Bookings) change(ctx context.Context, side BookingSide, userID, bookingID int64, now time.Time,
	change func(b *Booking) ([]Posting, error)) (Booking, error) {
	return s.Store.ChangeBooking(ctx, s.Service, side, userID, bookingID, now, change)
}

// StoredTime is t as bookings keep it, to the microsecond, so that a booking answered straight after
// a change reads the same later.
func StoredTime(t time.Time) time.Time { return t.Round(0).Truncate(time.Microsecond) }

// Accept: the performer accepts an invitation at price.
func (s Bookings) Accept(ctx context.Context, performerID, bookingID int64, price Credits, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, PerformerSide, performerID, bookingID, now, func(b *Booking) ([]Posting, error) {
		return nil, b.Accept(performerID, price, now)
	})
}

// Reject: the performer rejects a pending invitation.
func (s Bookings) Reject(ctx context.Context, performerID, bookingID int64, reason string, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, PerformerSide, performerID, bookingID, now, func(b *Booking) ([]Posting, error) {
		return nil, b.Reject(performerID, reason, now)
	})
}

// CancelReceived: the performer cancels a booking they accepted.
func (s Bookings) CancelReceived(ctx context.Context, performerID, bookingID int64, reason string, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, PerformerSide, performerID, bookingID, now, func(b *Booking) ([]Posting, error) {
		return nil, b.CancelReceived(performerID, reason, now)
	})
}

// Confirm: the client confirms an accepted booking and pays.
func (s Bookings) Confirm(ctx context.Context, clientID, bookingID int64, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, ClientSide, clientID, bookingID, now, func(b *Booking) ([]Posting, error) { return b.Confirm(now) })
}

// CancelMade: the client cancels their booking, refunded if it was paid.
func (s Bookings) CancelMade(ctx context.Context, clientID, bookingID int64, reason string, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, ClientSide, clientID, bookingID, now, func(b *Booking) ([]Posting, error) { return b.CancelMade(reason, now) })
}

// ReInvite: the performer rejects a lapsed invitation and invites the client to book again.
func (s Bookings) ReInvite(ctx context.Context, performerID, bookingID int64, reason string, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, PerformerSide, performerID, bookingID, now, func(b *Booking) ([]Posting, error) {
		return nil, b.ReInvite(performerID, reason, now)
	})
}

// MarkRun: the sandbox marks a confirmed session as having run, which pays the performer now.
func (s Bookings) MarkRun(ctx context.Context, bookingID int64, now time.Time) (Booking, error) {
	now = StoredTime(now)
	return s.change(ctx, EngineSide, 0, bookingID, now, func(b *Booking) ([]Posting, error) { return b.MarkRun(now) })
}

// Reschedule copies a finished booking into a new one starting lead from now; the client's balance
// must cover the offer.
func (s Bookings) Reschedule(ctx context.Context, clientID, bookingID int64, now time.Time, lead time.Duration) (Booking, error) {
	now = StoredTime(now)
	b, err := s.Store.Booking(ctx, s.Service, ClientSide, clientID, bookingID)
	if err != nil {
		return Booking{}, err
	}
	nb, err := b.Rescheduled(now, lead)
	if err != nil {
		return Booking{}, err
	}
	return s.Store.CreateBooking(ctx, nb, nb.Credits)
}

// Delete hides finished bookings from side's lists, answering per item; one item never fails the
// batch.
func (s Bookings) Delete(ctx context.Context, side BookingSide, userID int64, bookingIDs []int64, now time.Time) ([]DeleteResult, error) {
	now = StoredTime(now)
	out := make([]DeleteResult, 0, len(bookingIDs))
	for _, id := range bookingIDs {
		_, err := s.change(ctx, side, userID, id, now, func(b *Booking) ([]Posting, error) { return nil, b.Delete(side, userID, now) })
		r := DeleteResult{BookingID: id, Deleted: err == nil}
		switch e, _ := errors.AsType[*Error](err); {
		case err == nil:
		case e != nil && e.Kind == KindNotFound:
			r.Message = "The booking was not found."
		case e != nil && e.Kind == KindConflict:
			r.Message = e.Message
		default:
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Settlement pays performers for their ended sessions. Each payment is Settle applied by
// ChangeBooking, so a booking is paid exactly once however many settlers run at the same time: serve's
// periodic settler on every instance, and every read of a balance, which settles the reader's own
// sessions first (MemberSettlement).
type Settlement struct{ Store BookingSettler }

// MemberSettlement settles one member's ended sessions, as a client or as the accepted performer.
type MemberSettlement interface {
	SettleMemberBookings(ctx context.Context, userID int64, now time.Time) (int, error)
}

// SettleAll pays for every due booking and reports how many it paid.
func (s Settlement) SettleAll(ctx context.Context, now time.Time) (int, error) {
	return s.settle(ctx, now, 0)
}

// SettleMemberBookings pays for the due bookings userID made or performs.
func (s Settlement) SettleMemberBookings(ctx context.Context, userID int64, now time.Time) (int, error) {
	return s.settle(ctx, now, userID)
}

func (s Settlement) settle(ctx context.Context, now time.Time, userID int64) (int, error) {
	now = StoredTime(now)
	due, err := s.Store.DueBookings(ctx, now, userID)
	if err != nil {
		return 0, err
	}
	settled := 0
	for _, ref := range due {
		_, err := s.Store.ChangeBooking(ctx, ref.Service, EngineSide, 0, ref.BookingID, now, func(b *Booking) ([]Posting, error) { return b.Settle(now) })
		switch {
		case err == nil:
			settled++
		case ErrorKind(err) == KindConflict: // another settler, or a refund, got there first
		default:
			return settled, err
		}
	}
	return settled, nil
}
