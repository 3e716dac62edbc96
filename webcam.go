package awapi

import (
	"slices"
	"time"
)

// Webcam bookings (api-v1.md §2.18). A client invites up to four performers to one session; the first
// performer to accept wins and the other invitations are cancelled; the client then confirms, which
// reserves the agreed credits; when the session is over the credits pass to the performer.

// BookingStatus is a booking's or an invitation's documented status.
type BookingStatus string

const (
	StatusPending   BookingStatus = "Pending"
	StatusAccepted  BookingStatus = "Accepted"
	StatusRejected  BookingStatus = "Rejected"
	StatusConfirmed BookingStatus = "Confirmed"
	StatusCancelled BookingStatus = "Cancelled"
)

// Webcam software types (SoftwareTypeID).
const (
	SoftwareMSN   = 1
	SoftwareYahoo = 2
	SoftwareSkype = 3
)

// SoftwareTypes lists every SoftwareTypeID with its name.
var SoftwareTypes = []struct {
	ID   int
	Name string
}{{SoftwareMSN, "MSN Messenger"}, {SoftwareYahoo, "Yahoo Messenger"}, {SoftwareSkype, "Skype"}}

// Booking rules.
const (
	MaxBookUsers          = 4                      // performers one webcam booking may invite
	MaxSessionAhead       = 3                      // months: SessionDate at most this far ahead
	MaxAcceptWindow       = 48 * time.Hour         // an invitation lapses after this, or at SessionDate if sooner
	RescheduleLead        = 5 * time.Minute        // a rescheduled session starts this long after the request
	ExpiredReason         = "Not accepted in time" // the reason an expired invitation carries
	WebcamMinimumDuration = 5                      // minutes, when a performer has set no minimum
)

// AcceptByFor is when the invitations of a booking created at created for session lapse: 48 hours
// after creation, or the session start if that is sooner (the documentation shows AcceptBy but not
// how it is chosen; this is the project's rule).
func AcceptByFor(created, session time.Time) time.Time {
	if deadline := created.Add(MaxAcceptWindow); deadline.Before(session) {
		return deadline
	}
	return session
}

// WebcamBooking is a client's booking with its invitations.
type WebcamBooking struct {
	BookingID         int64
	ClientID          int64
	ClientNickname    string
	SessionDate       time.Time
	Duration          int     // minutes
	Credits           Credits // the client's offer
	AcceptedCredits   Credits // the accepting performer's price; 0 until accepted
	Status            BookingStatus
	SoftwareTypeID    int
	SignInNameOrEmail string
	AlsoPhoneChat     bool
	PhoneNumber       string
	SendSMSOnAccept   bool
	CreatedAt         time.Time
	AcceptBy          time.Time
	AcceptedAt        time.Time
	AcceptedBy        int64 // the performer who accepted; 0 until then
	ConfirmedAt       time.Time
	CancelledAt       time.Time
	Reason            string    // the latest rejection or cancellation reason
	Reserved          Credits   // held from the client's balance since confirmation; 0 once refunded or paid
	SettledAt         time.Time // when the reserved credits passed to the performer
	RescheduledFrom   int64
	ClientDeleted     bool
	Invitations       []WebcamInvitation
}

// WebcamInvitation is one invited performer's side of a booking.
type WebcamInvitation struct {
	PerformerID      int64
	Nickname         string
	Status           BookingStatus
	Reason           string
	DecidedAt        time.Time
	PerformerDeleted bool
}

// Expired reports whether the booking's open invitations lapsed unanswered: still Pending at AcceptBy.
// Expiry is computed, never stored by a timer, so every instance sees it at the same moment.
func (b *WebcamBooking) Expired(now time.Time) bool {
	return b.Status == StatusPending && !now.Before(b.AcceptBy)
}

// StatusAt is the booking's status as the API shows it at now: a lapsed Pending booking is Rejected.
func (b *WebcamBooking) StatusAt(now time.Time) BookingStatus {
	if b.Expired(now) {
		return StatusRejected
	}
	return b.Status
}

// IsMultiple reports whether the booking was sent to several performers.
func (b *WebcamBooking) IsMultiple() bool { return len(b.Invitations) > 1 }

// Invitation returns the invitation of one performer.
func (b *WebcamBooking) Invitation(performerID int64) (WebcamInvitation, bool) {
	i := slices.IndexFunc(b.Invitations, func(inv WebcamInvitation) bool { return inv.PerformerID == performerID })
	if i < 0 {
		return WebcamInvitation{}, false
	}
	return b.Invitations[i], true
}

// InvitationStatusAt is one performer's invitation status as they see it at now.
func (b *WebcamBooking) InvitationStatusAt(inv WebcamInvitation, now time.Time) BookingStatus {
	if inv.Status == StatusPending && !now.Before(b.AcceptBy) {
		return StatusRejected
	}
	if inv.Status == StatusAccepted && b.Status != StatusAccepted {
		return b.Status // Confirmed or Cancelled after the performer accepted
	}
	return inv.Status
}

// The preconditions of each transition (api-v1.md §2.18), as 409 conflicts with stable codes. The
// store checks them on the booking read under its row lock, and its compare-and-set updates repeat
// them in SQL so a concurrent change cannot slip between the check and the write.

// CanAccept reports why performerID may not accept now: AcceptBy and SessionDate in the future, the
// booking and the performer's invitation Pending.
func (b *WebcamBooking) CanAccept(performerID int64, now time.Time) error {
	switch {
	case b.Expired(now):
		return Conflict("accept_by_passed", "The booking can no longer be accepted: it lapsed at AcceptBy.")
	case !now.Before(b.SessionDate):
		return Conflict("session_date_passed", "The session date has passed.")
	}
	return b.invitationPending(performerID)
}

// CanReject reports why performerID may not reject now: the booking and their invitation Pending.
func (b *WebcamBooking) CanReject(performerID int64, now time.Time) error {
	if b.Expired(now) {
		return Conflict("accept_by_passed", "The invitation lapsed at AcceptBy; it is already Rejected.")
	}
	return b.invitationPending(performerID)
}

func (b *WebcamBooking) invitationPending(performerID int64) error {
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
func (b *WebcamBooking) CanCancelReceived(performerID int64, now time.Time) error {
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

// CanConfirm reports why the client may not confirm now: the booking Accepted before its session.
func (b *WebcamBooking) CanConfirm(now time.Time) error {
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

// CanCancelMade reports why the client may not cancel now: not Cancelled or Rejected (a lapsed
// booking is Rejected), and a Confirmed one only before its session date and settlement.
func (b *WebcamBooking) CanCancelMade(now time.Time) error {
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

// CanReschedule reports why the client may not copy the booking now: only one that lapsed, was
// rejected or cancelled, or whose session date has passed.
func (b *WebcamBooking) CanReschedule(now time.Time) error {
	if b.Status == StatusRejected || b.Status == StatusCancelled || b.Expired(now) || !now.Before(b.SessionDate) {
		return nil
	}
	return Conflict("session_not_started",
		"Only a booking that lapsed, was rejected or cancelled, or whose session date has passed can be rescheduled; this one is %s.", b.Status)
}

// SessionEnd is when the session is over and the performer is paid.
func (b *WebcamBooking) SessionEnd() time.Time {
	return b.SessionDate.Add(time.Duration(b.Duration) * time.Minute)
}

// Deletable reports whether a booking may be deleted: its status is Rejected, Confirmed or Cancelled.
func Deletable(s BookingStatus) bool {
	return s == StatusRejected || s == StatusConfirmed || s == StatusCancelled
}

// WebcamPerformer is what booking rules need to know about an invited member.
type WebcamPerformer struct {
	UserID          int64
	Nickname        string
	IsActive        bool
	IsWebcam        bool
	DirectChatOnly  bool
	SoftwareTypeIDs []int
	MinimumDuration int
}

// Bookable reports whether the member takes webcam bookings at all: an active webcam performer who
// is not DirectChat Only.
func (p *WebcamPerformer) Bookable() bool { return p.IsActive && p.IsWebcam && !p.DirectChatOnly }

// Offers reports whether the performer offers a software type.
func (p *WebcamPerformer) Offers(software int) bool {
	return slices.Contains(p.SoftwareTypeIDs, software)
}

// Minimum is the shortest session the performer takes, in minutes.
func (p *WebcamPerformer) Minimum() int {
	if p.MinimumDuration > 0 {
		return p.MinimumDuration
	}
	return WebcamMinimumDuration
}

// BookingSide says whose view of the bookings a query or a deletion takes.
type BookingSide int

const (
	ClientSide    BookingSide = iota // the bookings a client made
	PerformerSide                    // the invitations a performer received
)

// WebcamBookingQuery pages one member's bookings.
type WebcamBookingQuery struct {
	Side        BookingSide
	UserID      int64
	CreatedFrom time.Time // zero: no lower bound
	OrderBy     string    // createddate-asc|desc, acceptdate-asc|desc, nickname-asc|desc
	Page        Page
}

// DeleteResult is one item of a batch deletion.
type DeleteResult struct {
	BookingID int64
	Deleted   bool
	Message   string
}

// LedgerEntry is one change of a member's credit balance.
type LedgerEntry struct {
	EntryID     int64
	UserID      int64
	Amount      Credits // positive: credits in; negative: credits out
	Balance     Credits // the balance after this entry
	Description string
	BookingID   int64 // the webcam booking it belongs to, if any
	CreatedAt   time.Time
}
