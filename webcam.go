package awapi

import (
	"slices"
	"strings"
	"time"
)

// Webcam bookings (api-v1.md §2.18). A client invites up to four performers to one session; the first
// performer to accept wins and the other invitations are cancelled; the client then confirms, which
// reserves the agreed credits; when the session is over the credits pass to the performer.

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

// Webcam booking rules.
const (
	MaxBookUsers          = 4               // performers one webcam booking may invite
	MaxSessionAhead       = 3               // months: SessionDate at most this far ahead
	RescheduleLead        = 5 * time.Minute // a rescheduled session starts this long after the request
	WebcamMinimumDuration = 5               // minutes, when a performer has set no minimum
)

// WebcamRequest is a client's request for a webcam session (Webcam/CreateBooking).
type WebcamRequest struct {
	ClientID          int64
	BookUserIDs       []int64
	SessionDate       time.Time
	Duration          int
	Credits           Credits
	SoftwareTypeID    int
	SignInNameOrEmail string
	AlsoPhoneChat     bool
	PhoneNumber       string
	SendSMSOnAccept   bool
}

// Booking checks the request against the rules of a webcam booking at now and returns the booking to
// store. performers are the invited members as the store found them (unknown ones left out);
// mobileVerified says whether the client has a verified mobile number. Input errors name their
// field (400); a performer who cannot take the booking is a conflict (409).
func (r *WebcamRequest) Booking(performers []WebcamPerformer, mobileVerified bool, now time.Time) (Booking, error) {
	var v Validation
	switch {
	case !r.SessionDate.After(now):
		v.Addf("SessionDate", "SessionDate must be in the future.")
	case r.SessionDate.After(now.AddDate(0, MaxSessionAhead, 0)):
		v.Addf("SessionDate", "SessionDate must be at most %d months ahead.", MaxSessionAhead)
	}
	if r.Credits <= 0 || r.Credits > MaxCredits {
		v.Addf("Credits", "Credits must be more than 0 and at most %s.", MaxCredits)
	}
	if r.SoftwareTypeID == SoftwareMSN && !LooksLikeEmail(r.SignInNameOrEmail) {
		v.Addf("SignInNameOrEmail", "SignInNameOrEmail must be an email address for MSN Messenger.")
	}
	if r.AlsoPhoneChat && r.PhoneNumber == "" {
		v.Addf("PhoneNumber", "PhoneNumber is required when AlsoPhoneChat is true.")
	}
	if r.PhoneNumber != "" && !ValidPhone(r.PhoneNumber) {
		v.Addf("PhoneNumber", "PhoneNumber must be 10 to 15 digits, with an optional leading +.")
	}
	switch {
	case len(r.BookUserIDs) == 0 || len(r.BookUserIDs) > MaxBookUsers:
		v.Addf("BookUserIDs", "BookUserIDs must list 1 to %d performers.", MaxBookUsers)
	case slices.Contains(r.BookUserIDs, r.ClientID):
		v.Addf("BookUserIDs", "BookUserIDs cannot include yourself.")
	}
	if err := v.Err(); err != nil {
		return Booking{}, err
	}
	for _, id := range r.BookUserIDs {
		i := slices.IndexFunc(performers, func(p WebcamPerformer) bool { return p.UserID == id })
		switch {
		case i < 0 || !performers[i].Bookable():
			return Booking{}, Conflict("performer_not_available",
				"Member %d does not take webcam bookings (not a webcam performer, DirectChat Only, or unknown).", id)
		case !performers[i].Offers(r.SoftwareTypeID):
			return Booking{}, Conflict("software_not_offered", "Member %d does not offer SoftwareTypeID %d.", id, r.SoftwareTypeID)
		case r.Duration < performers[i].Minimum():
			v.Addf("Duration", "Duration must be at least %d minutes for member %d.", performers[i].Minimum(), id)
		}
	}
	if err := v.Err(); err != nil {
		return Booking{}, err
	}
	if r.SendSMSOnAccept && !mobileVerified {
		return Booking{}, Conflict("mobile_not_verified", "SendSMSOnAccept needs a verified mobile number on your account.")
	}
	now = StoredTime(now)
	b := Booking{
		Service: ServiceWebcam, ClientID: r.ClientID, SessionDate: r.SessionDate, Duration: r.Duration, Credits: r.Credits,
		Status: StatusPending, CreatedAt: now, AcceptBy: AcceptByFor(now, r.SessionDate),
		Details: BookingDetails{SoftwareTypeID: r.SoftwareTypeID, SignInNameOrEmail: r.SignInNameOrEmail,
			AlsoPhoneChat: r.AlsoPhoneChat, PhoneNumber: r.PhoneNumber, SendSMSOnAccept: r.SendSMSOnAccept},
	}
	for _, id := range r.BookUserIDs {
		b.Invitations = append(b.Invitations, Invitation{PerformerID: id, Status: StatusPending})
	}
	return b, nil
}

// LooksLikeEmail is the loose check of an email address (Register's EmailAddress, MSN sign-in names):
// something@something.tld, without spaces.
func LooksLikeEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t") && strings.Contains(s[at:], ".")
}

// ValidPhone reports whether s is a phone number as the API takes one: 10 to 15 digits with an
// optional leading +.
func ValidPhone(s string) bool {
	digits := strings.TrimPrefix(s, "+")
	if len(digits) < 10 || len(digits) > 15 {
		return false
	}
	return strings.Trim(digits, "0123456789") == ""
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

// LedgerEntry is one change of a member's credit balance.
type LedgerEntry struct {
	EntryID     int64
	UserID      int64
	Amount      Credits // positive: credits in; negative: credits out
	Balance     Credits // the balance after this entry
	Description string
	BookingID   int64 // the booking it belongs to, if any
	CreatedAt   time.Time
}
