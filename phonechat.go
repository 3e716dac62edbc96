package awapi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// PhoneChat (api-v1.md §2.14): a client books one performer for a phone or Skype chat. A phone-chat
// booking is a booking of the shared engine (booking.go) with Service ServicePhoneChat and its own
// details (Method, PhoneNumber, SkypeName, Comments); accepting, confirming, cancelling, settling and
// deleting are the engine's. What differs is written here: the creation rules, the client-chosen
// AcceptBy, the performer's settings (PhoneChatPPM sets the smallest offer), and the rescheduling lead.

// PhoneChat methods (Method): who places the call.
const (
	MethodPerformerCalls = 1 // the booked performer calls the client on PhoneNumber
	MethodClientCalls    = 2 // the client calls the performer's PhoneChatNumber
	MethodSkype          = 3 // a Skype call to the client's SkypeName
)

// PhoneChatMethods lists every Method with its name, as GetUserBookingRequirements answers them.
var PhoneChatMethods = []struct {
	ID   int
	Name string
}{{MethodPerformerCalls, "Performer calls you"}, {MethodClientCalls, "You call the performer"}, {MethodSkype, "Skype"}}

// PhoneChat rules: the documented ones, and the project's where the documentation gives none.
const (
	PhoneChatMinimumDuration = 5    // minutes (documented)
	MaxPhoneChatDuration     = 240  // minutes; the project's bound, as the sandbox's DirectCam sessions
	MaxSkypeName             = 100  // characters
	MaxPhoneChatComments     = 1000 // characters
	MaxAvailableNowMinutes   = 720  // SaveSettings AvailableNowMinutes: "available now" for at most 12 hours
	// PhoneChatRescheduleStep: a rescheduled session starts on the next multiple of this many minutes
	// that is at least this far from now, so 5 to 10 minutes ahead (documented: "5–10 minutes").
	PhoneChatRescheduleStep = 5 * time.Minute
	// DefaultReInviteReason is the reason ReInvite records when the performer gives none (documented:
	// "a default text is used").
	DefaultReInviteReason = "Sorry I missed your booking. Please book me again."
)

// PhoneChatRescheduleLead is how far from now a rescheduled phone-chat session starts: to the next
// whole five minutes of the clock that is at least five minutes away, so between 5 and 10 minutes.
func PhoneChatRescheduleLead(now time.Time) time.Duration {
	earliest := now.Add(PhoneChatRescheduleStep)
	start := earliest.Truncate(PhoneChatRescheduleStep)
	if start.Before(earliest) {
		start = start.Add(PhoneChatRescheduleStep)
	}
	return start.Sub(now)
}

// PhoneChatSettings are a performer's phone-chat settings (PhoneChat/GetSettings, SaveSettings).
// OfferDirectChat and the nested DirectChat block are DirectChat's settings (DirectChatSettings),
// saved in the same transaction.
type PhoneChatSettings struct {
	UserID int64
	// PhoneChatNumber is the number clients call (Method 2), with its country code; empty: the
	// performer places every call.
	PhoneChatNumber     string
	ShowPhoneChatNumber bool    // the number is shown on the profile (HasPhoneNumber)
	PhoneChatPPM        Credits // credits per minute, VAT included; 0 only before the first save
	OfferSkype          bool    // the performer takes Skype calls (Method 3)
	// AvailableUntil: "available now" for phone chat until this instant (AvailableNowPhoneChat).
	AvailableUntil time.Time
	UpdatedAt      time.Time // zero: never saved
}

// Saved reports whether the performer ever saved settings; before that their PPM is null.
func (s *PhoneChatSettings) Saved() bool { return !s.UpdatedAt.IsZero() }

// ShowsNumber reports whether the profile shows a phone-chat number (HasPhoneNumber).
func (s *PhoneChatSettings) ShowsNumber() bool {
	return s.ShowPhoneChatNumber && s.PhoneChatNumber != ""
}

// PhoneChatSettingsInput is what SaveSettings sends, before it becomes settings at now.
type PhoneChatSettingsInput struct {
	OfferDirectChat bool
	// DirectChat is the nested block (its UserID, OfferDirectChat and UpdatedAt are ignored); nil
	// when the request carried none.
	DirectChat          *DirectChatSettings
	PhoneChatNumber     string
	ShowPhoneChatNumber bool
	PhoneChatPPM        Credits
	OfferSkype          bool
	AvailableNowMinutes int
}

// Settings checks every rule of SaveSettings and returns the settings to store for userID at now:
//   - DirectChat is required when OfferDirectChat is true and allowed only then (documented), and its
//     fields follow DirectChat's rules (named DirectChat.<Field>);
//   - PhoneChatPPM more than 0 and at most MaxPPM;
//   - PhoneChatNumber, when given, digits with an optional leading + including the country code
//     (documented), so 10 to 15 digits not starting with 0 (no country code does);
//   - ShowPhoneChatNumber needs a PhoneChatNumber to show;
//   - AvailableNowMinutes 0 (not available now) to MaxAvailableNowMinutes.
func (in *PhoneChatSettingsInput) Settings(userID int64, now time.Time) (PhoneChatSettings, error) {
	var v Validation
	switch {
	case in.OfferDirectChat && in.DirectChat == nil:
		v.Addf("DirectChat", "DirectChat is required when OfferDirectChat is true.")
	case !in.OfferDirectChat && in.DirectChat != nil:
		v.Addf("DirectChat", "DirectChat is allowed only when OfferDirectChat is true.")
	case in.DirectChat != nil:
		block := *in.DirectChat
		block.OfferDirectChat = true
		v.Include(block.Check())
	}
	if in.PhoneChatPPM <= 0 || in.PhoneChatPPM > MaxPPM {
		v.Addf("PhoneChatPPM", "PhoneChatPPM must be more than 0 and at most %s credits per minute.", MaxPPM)
	}
	if in.PhoneChatNumber != "" && !ValidInternationalPhone(in.PhoneChatNumber) {
		v.Addf("PhoneChatNumber", "PhoneChatNumber must be 10 to 15 digits with an optional leading +, including the country code (so not starting with 0).")
	}
	if in.ShowPhoneChatNumber && in.PhoneChatNumber == "" {
		v.Addf("ShowPhoneChatNumber", "ShowPhoneChatNumber needs a PhoneChatNumber to show.")
	}
	if in.AvailableNowMinutes < 0 || in.AvailableNowMinutes > MaxAvailableNowMinutes {
		v.Addf("AvailableNowMinutes", "AvailableNowMinutes must be between 0 and %d.", MaxAvailableNowMinutes)
	}
	if err := v.Err(); err != nil {
		return PhoneChatSettings{}, err
	}
	now = StoredTime(now)
	s := PhoneChatSettings{UserID: userID, PhoneChatNumber: in.PhoneChatNumber, ShowPhoneChatNumber: in.ShowPhoneChatNumber,
		PhoneChatPPM: in.PhoneChatPPM, OfferSkype: in.OfferSkype, UpdatedAt: now}
	if in.AvailableNowMinutes > 0 {
		s.AvailableUntil = now.Add(time.Duration(in.AvailableNowMinutes) * time.Minute)
	}
	return s, nil
}

// DirectChatSettings is what saving the input makes of the member's current DirectChat settings at
// now: the block sent, offered; or, without one, the current settings with DirectChat switched off
// and its fields kept for the next time it is offered.
func (in *PhoneChatSettingsInput) DirectChatSettings(current DirectChatSettings, now time.Time) DirectChatSettings {
	next := current
	if in.DirectChat != nil {
		next = *in.DirectChat
	}
	next.UserID, next.OfferDirectChat, next.UpdatedAt = current.UserID, in.DirectChat != nil, StoredTime(now)
	return next
}

// ValidInternationalPhone reports whether s is a number with its country code: 10 to 15 digits with an
// optional leading +, the first digit not 0.
func ValidInternationalPhone(s string) bool {
	return ValidPhone(s) && !strings.HasPrefix(strings.TrimPrefix(s, "+"), "0")
}

// validBookingPhone reports whether s is a PhoneNumber as CreateBooking documents it: 10 or 11 digits.
func validBookingPhone(s string) bool {
	return (len(s) == 10 || len(s) == 11) && strings.Trim(s, "0123456789") == ""
}

// CanOfferPhoneChat reports why a member may not save phone-chat settings: only a member who offers
// services may (the project's rule, as for DirectCam).
func CanOfferPhoneChat(m *Member) error {
	if m.UserTypeID != UserTypeOffering {
		return Conflict("not_offering_services", "Only a member who offers services can offer phone chat (Account/UpdateServices IsOfferingServices).")
	}
	return nil
}

// PhoneChatPerformer is what the booking rules need to know about a booked member.
type PhoneChatPerformer struct {
	UserID         int64
	Nickname       string
	IsActive       bool
	IsPhoneChat    bool
	DirectChatOnly bool
	Settings       PhoneChatSettings
}

// Bookable reports whether the member takes phone-chat bookings at all: an active phone-chat
// performer who is not DirectChat Only (documented prerequisite).
func (p *PhoneChatPerformer) Bookable() bool { return p.IsActive && p.IsPhoneChat && !p.DirectChatOnly }

// PPM is the performer's price per minute, VAT included; false when they never saved settings, so no
// minimum applies (documented: null).
func (p *PhoneChatPerformer) PPM() (Credits, bool) {
	return p.Settings.PhoneChatPPM, p.Settings.Saved() && p.Settings.PhoneChatPPM > 0
}

// Offers reports whether the performer takes calls by a method: they can always call the client (1);
// the client can call them only on a PhoneChatNumber (2); Skype only when they offer it (3).
func (p *PhoneChatPerformer) Offers(method int) bool {
	switch method {
	case MethodPerformerCalls:
		return true
	case MethodClientCalls:
		return p.Settings.PhoneChatNumber != ""
	case MethodSkype:
		return p.Settings.OfferSkype
	}
	return false
}

// MinimumCredits is the smallest offer for minutes: PPM × minutes when a PPM is set, else 0.
func (p *PhoneChatPerformer) MinimumCredits(minutes int) Credits {
	if ppm, ok := p.PPM(); ok {
		return ppm * Credits(minutes)
	}
	return 0
}

// PhoneChatRequest is a client's request for a phone chat (PhoneChat/CreateBooking).
type PhoneChatRequest struct {
	ClientID    int64
	BookUserID  int64
	SessionDate time.Time
	Duration    int
	Method      int
	PhoneNumber string
	SkypeName   string
	Credits     Credits
	AcceptBy    time.Time
	Comments    string
}

// Booking checks the request against the rules of a phone-chat booking at now and returns the booking
// to store. performer is the booked member as the store found them, nil when unknown. Input errors
// name their field (400); a performer who cannot take the booking is a conflict (409). PhoneNumber
// and SkypeName are kept only for the method that uses them.
func (r *PhoneChatRequest) Booking(performer *PhoneChatPerformer, now time.Time) (Booking, error) {
	var v Validation
	switch {
	case !r.SessionDate.After(now):
		v.Addf("SessionDate", "SessionDate must be in the future.")
	case r.SessionDate.After(now.AddDate(0, MaxSessionAhead, 0)):
		v.Addf("SessionDate", "SessionDate must be at most %d months ahead.", MaxSessionAhead)
	}
	switch {
	case !r.AcceptBy.After(now):
		v.Addf("AcceptBy", "AcceptBy must be in the future.")
	case !v.Has("SessionDate") && !r.AcceptBy.Before(r.SessionDate):
		v.Addf("AcceptBy", "AcceptBy must be before SessionDate.")
	}
	if r.Duration < PhoneChatMinimumDuration || r.Duration > MaxPhoneChatDuration {
		v.Addf("Duration", "Duration must be between %d and %d minutes.", PhoneChatMinimumDuration, MaxPhoneChatDuration)
	}
	phone, skype := "", ""
	switch r.Method {
	case MethodPerformerCalls:
		if !validBookingPhone(r.PhoneNumber) {
			v.Addf("PhoneNumber", "PhoneNumber is required when Method is 1, as 10 or 11 digits.")
		}
		phone = r.PhoneNumber
	case MethodClientCalls:
	case MethodSkype:
		if strings.TrimSpace(r.SkypeName) == "" || utf8.RuneCountInString(r.SkypeName) > MaxSkypeName {
			v.Addf("SkypeName", "SkypeName is required when Method is 3, at most %d characters.", MaxSkypeName)
		}
		skype = r.SkypeName
	default:
		v.Addf("Method", "Method must be 1 (the performer calls you), 2 (you call the performer) or 3 (Skype).")
	}
	if r.Credits <= 0 || r.Credits > MaxCredits {
		v.Addf("Credits", "Credits must be more than 0 and at most %s.", MaxCredits)
	}
	if utf8.RuneCountInString(r.Comments) > MaxPhoneChatComments {
		v.Addf("Comments", "Comments must be at most %d characters long.", MaxPhoneChatComments)
	}
	if r.BookUserID == r.ClientID {
		v.Addf("BookUserID", "BookUserID cannot be yourself.")
	}
	if err := v.Err(); err != nil {
		return Booking{}, err
	}
	switch {
	case performer == nil || !performer.Bookable():
		return Booking{}, Conflict("performer_not_available",
			"Member %d does not take phone-chat bookings (not a phone-chat performer, DirectChat Only, or unknown).", r.BookUserID)
	case !performer.Offers(r.Method):
		return Booking{}, Conflict("method_not_offered", "Member %d does not take Method %d (see GetUserBookingRequirements).", r.BookUserID, r.Method)
	}
	if least := performer.MinimumCredits(r.Duration); r.Credits < least {
		return Booking{}, InvalidField("Credits", "Credits must be at least PhoneChatPPM × Duration = %s.", least)
	}
	now = StoredTime(now)
	return Booking{
		Service: ServicePhoneChat, ClientID: r.ClientID, SessionDate: r.SessionDate, Duration: r.Duration, Credits: r.Credits,
		Status: StatusPending, CreatedAt: now, AcceptBy: StoredTime(r.AcceptBy),
		Details:     BookingDetails{Method: r.Method, PhoneNumber: phone, SkypeName: skype, Comments: r.Comments},
		Invitations: []Invitation{{PerformerID: r.BookUserID, Nickname: performer.Nickname, Status: StatusPending}},
	}, nil
}

// PhoneChatStore is what PhoneChat stores beyond the booking engine (BookingStore).
type PhoneChatStore interface {
	// PhoneChatPerformer describes a member for the booking rules, with their settings (the zero
	// settings when they never saved any). An unknown member is KindNotFound.
	PhoneChatPerformer(ctx context.Context, userID int64) (PhoneChatPerformer, error)
	// PhoneChatSettings reads a member's settings; the zero settings (UpdatedAt zero) when they never
	// saved any. An unknown member is KindNotFound.
	PhoneChatSettings(ctx context.Context, userID int64) (PhoneChatSettings, error)
	// SavePhoneChatSettings replaces a member's settings (already checked) and their DirectChat
	// settings, which directChat makes of the current ones, in one transaction that also writes what
	// profiles and search read: IsPhoneChat (true: they offer phone chat), IsDirectChat,
	// AvailableNowPhoneChat (AvailableUntil) and HasPhoneNumber (a shown PhoneChatNumber). It answers
	// both as stored.
	SavePhoneChatSettings(ctx context.Context, s PhoneChatSettings,
		directChat func(current DirectChatSettings) DirectChatSettings) (PhoneChatSettings, DirectChatSettings, error)
	// InsertPhoneChatSettings bulk-inserts settings (the seeder) and sets the same member facts.
	InsertPhoneChatSettings(ctx context.Context, ss []PhoneChatSettings) error
}
