package awapi

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// DirectChat (api-v1.md §2.6, §4.2): a performer's phone line that clients reach with a PIN and pay
// for by the minute from their credits. The settings are the aws:DirectChatSettings block nested in
// PhoneChat/GetSettings and SaveSettings, whose fields the documentation does not give: the project
// chose them (docs/directchat.md).

// The project's limits where the documentation gives none.
const (
	// MaxDirectChatCallMinutes bounds one call and MaxCallMinutes: a call longer than this is cut.
	MaxDirectChatCallMinutes = 240
)

// DayTime is a time of day in minutes after midnight, in the server's time zone (0 to 1439); it is
// written and read as "HH:MM".
type DayTime int

// MinutesPerDay bounds DayTime.
const MinutesPerDay = 24 * 60

func (d DayTime) String() string {
	if d < 0 || d >= MinutesPerDay {
		return strconv.Itoa(int(d))
	}
	return fmt.Sprintf("%02d:%02d", int(d)/60, int(d)%60)
}

// ParseDayTime reads "HH:MM" (hour 00–23, or a single digit, minutes 00–59).
func ParseDayTime(s string) (DayTime, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) < 1 || len(h) > 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("must be a time of day HH:MM, 00:00 to 23:59")
	}
	return DayTime(hh*60 + mm), nil
}

// DirectChatSettings are a performer's DirectChat settings. OfferDirectChat is PhoneChat's own field
// beside the nested block (api-v1.md §2.14); it lives here so that one row says whether the member is
// DirectChat (IsDirectChat in profiles and search), and the other fields are kept while it is off.
type DirectChatSettings struct {
	UserID          int64
	OfferDirectChat bool
	// PPM is what a client pays per minute of a call, in credits; the performer receives all of it.
	PPM Credits
	// AvailableNow is the performer's switch: off, the line refuses calls whatever the hours say.
	AvailableNow bool
	// AvailableFrom and AvailableUntil are the daily hours the line takes calls, in the server's zone:
	// [From, Until), wrapping past midnight when Until is before From; equal means all day.
	AvailableFrom  DayTime
	AvailableUntil DayTime
	// MaxCallMinutes caps one call (0: no cap but MaxDirectChatCallMinutes).
	MaxCallMinutes int
	UpdatedAt      time.Time // zero: never saved
}

// Enabled reports whether the member offers DirectChat: what IsDirectChat shows, and what creating a
// PIN for them needs.
func (s *DirectChatSettings) Enabled() bool { return s.OfferDirectChat }

// Check applies the rules of the settings block, naming each field as "DirectChat.<Field>", the
// block's name on the wire. The fields are checked whether or not DirectChat is offered, since they
// are stored either way; PPM must be above 0 only when it is.
func (s *DirectChatSettings) Check() error {
	var v Validation
	checkPPM(&v, "DirectChat.PPM", "OfferDirectChat", s.PPM, s.OfferDirectChat)
	for _, d := range []struct {
		field string
		t     DayTime
	}{{"DirectChat.AvailableFrom", s.AvailableFrom}, {"DirectChat.AvailableUntil", s.AvailableUntil}} {
		if d.t < 0 || d.t >= MinutesPerDay {
			v.Addf(d.field, "%s must be a time of day HH:MM, 00:00 to 23:59.", d.field)
		}
	}
	if s.MaxCallMinutes < 0 || s.MaxCallMinutes > MaxDirectChatCallMinutes {
		v.Addf("DirectChat.MaxCallMinutes", "DirectChat.MaxCallMinutes must be 0 (no limit) to %d.", MaxDirectChatCallMinutes)
	}
	return v.Err()
}

// AvailableAt reports whether the line takes calls at now, with hours counted in loc (the server's
// zone): DirectChat offered, AvailableNow on, and now within the daily hours.
func (s *DirectChatSettings) AvailableAt(now time.Time, loc *time.Location) bool {
	if !s.OfferDirectChat || !s.AvailableNow {
		return false
	}
	if s.AvailableFrom == s.AvailableUntil {
		return true
	}
	local := now.In(loc)
	t := DayTime(local.Hour()*60 + local.Minute())
	if s.AvailableFrom < s.AvailableUntil {
		return t >= s.AvailableFrom && t < s.AvailableUntil
	}
	return t >= s.AvailableFrom || t < s.AvailableUntil
}

// CallLimit is the longest call the settings allow, in minutes.
func (s *DirectChatSettings) CallLimit() int {
	if s.MaxCallMinutes > 0 {
		return s.MaxCallMinutes
	}
	return MaxDirectChatCallMinutes
}

// DirectChatSettingsStore keeps DirectChat settings. Saving writes the member's IsDirectChat flag
// (the settings' Enabled) in the same transaction, so profiles and search show what the settings say.
type DirectChatSettingsStore interface {
	// DirectChatSettings reads a member's settings; a member who never saved any has the zero
	// settings (UpdatedAt zero). An unknown member is KindNotFound.
	DirectChatSettings(ctx context.Context, userID int64) (DirectChatSettings, error)
	// SaveDirectChatSettings replaces a member's settings (already checked), sets their IsDirectChat
	// and answers the settings as stored (UpdatedAt to the microsecond). An unknown member is
	// KindNotFound.
	SaveDirectChatSettings(ctx context.Context, s DirectChatSettings) (DirectChatSettings, error)
}

// PINs (GetAllPINs, and the implied CreatePIN and DeletePIN).
const (
	// DirectChatPINDigits is the length of a PIN: digits only, so it can be keyed on any phone.
	DirectChatPINDigits = 6
	// MaxDirectChatPINs bounds the live PINs one client holds.
	MaxDirectChatPINs = 100
)

// NewDirectChatPIN draws a PIN of DirectChatPINDigits random digits. It is unique among live PINs
// because the store refuses a duplicate (KindConflict pin_taken) and the caller draws again.
func NewDirectChatPIN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// CheckDirectChatPIN names PIN unless pin has the format of a PIN.
func CheckDirectChatPIN(field, pin string) error {
	if len(pin) != DirectChatPINDigits || strings.Trim(pin, "0123456789") != "" {
		return InvalidField(field, "%s must be %d digits.", field, DirectChatPINDigits)
	}
	return nil
}

// DirectChatPIN is a PIN a client holds to call a performer's DirectChat line, with what its calls say.
type DirectChatPIN struct {
	PINID             int64
	PIN               string
	ClientID          int64
	PerformerID       int64
	PerformerNickname string
	CreatedAt         time.Time
	RemovedAt         time.Time // zero: live
	// Read from the PIN's calls.
	NumberOfCalls int
	LastCallDate  time.Time // the start of the latest call; zero: none
	InProgress    bool
}

// CanCreateDirectChatPIN reports why clientID may not get a PIN for the performer with these
// settings, holding held live PINs already: the performer must be another member who offers
// DirectChat, and the client may hold at most MaxDirectChatPINs.
func CanCreateDirectChatPIN(clientID int64, performer *DirectChatSettings, held int) error {
	switch {
	case clientID == performer.UserID:
		return InvalidField("UserID", "UserID must be another member than you: a PIN is to call a performer.")
	case !performer.Enabled():
		return Conflict("directchat_not_offered", "Member %d does not offer DirectChat.", performer.UserID)
	case held >= MaxDirectChatPINs:
		return Conflict("pin_limit_reached", "You may hold at most %d PINs; delete one first.", MaxDirectChatPINs)
	}
	return nil
}

// CanDelete reports why the PIN may not be removed: not while a call on it is in progress.
func (p *DirectChatPIN) CanDelete() error {
	if p.InProgress {
		return Conflict("call_in_progress", "A call on PIN %s is in progress; end it first.", p.PIN)
	}
	return nil
}

// Calls. A call is charged per started minute at the PPM in force when it starts: the first minute
// when it is answered, each further one as it starts. A minute the client's balance does not cover
// is never started: the call is cut at the last paid minute, so a balance never goes negative.

// DirectChatCall is one call made with a PIN.
type DirectChatCall struct {
	CallID      int64
	PINID       int64
	PIN         string
	ClientID    int64
	PerformerID int64
	PPM         Credits
	MaxMinutes  int // the performer's CallLimit when the call started
	StartedAt   time.Time
	EndedAt     time.Time // zero: in progress
	Minutes     int       // paid so far
	Credits     Credits   // paid so far: Minutes × PPM
	Cut         bool      // ended because the balance or MaxMinutes ran out
}

// InProgress reports whether the call has not ended.
func (c *DirectChatCall) InProgress() bool { return c.EndedAt.IsZero() }

// DirectChatLine is what a call decision reads under the PIN's lock: the PIN (without its call
// counters but InProgress), the performer's settings, the PIN's call in progress (if any) and the
// client's balance.
type DirectChatLine struct {
	PIN        DirectChatPIN
	Settings   DirectChatSettings
	InProgress *DirectChatCall
	Balance    Credits
}

// DirectChatCharge is what one step of a call moves: Minutes more minutes, Credits more credits,
// from the client to the performer. A zero charge moves nothing.
type DirectChatCharge struct {
	Minutes int
	Credits Credits
}

// Postings are the charge's ledger rows for call c: the client pays first, so a balance that does not
// cover it refuses the whole step, and the performer receives the same amount.
func (ch DirectChatCharge) Postings(c *DirectChatCall) []Posting {
	if ch.Credits == 0 {
		return nil
	}
	what := fmt.Sprintf("DirectChat call #%d on PIN %s: %d minutes at %s credits per minute", c.CallID, c.PIN, ch.Minutes, c.PPM)
	return []Posting{{UserID: c.ClientID, Amount: -ch.Credits, Description: what}, {UserID: c.PerformerID, Amount: ch.Credits, Description: what}}
}

// answerable reports why the line may not take a new call at now (hours counted in loc).
func (l *DirectChatLine) answerable(now time.Time, loc *time.Location) error {
	switch {
	case !l.PIN.RemovedAt.IsZero():
		return NotFound("The PIN")
	case l.InProgress != nil:
		return Conflict("call_in_progress", "A call on PIN %s is already in progress.", l.PIN.PIN)
	case !l.Settings.AvailableAt(now, loc) || l.Settings.PPM <= 0:
		return Conflict("directchat_unavailable", "Member %d's DirectChat line is not taking calls now.", l.PIN.PerformerID)
	case l.Balance < l.Settings.PPM:
		return Conflict("insufficient_credits", "The balance (%s) does not cover one minute at %s credits.", l.Balance, l.Settings.PPM)
	}
	return nil
}

func (l *DirectChatLine) newCall(now time.Time) DirectChatCall {
	return DirectChatCall{PINID: l.PIN.PINID, PIN: l.PIN.PIN, ClientID: l.PIN.ClientID, PerformerID: l.PIN.PerformerID,
		PPM: l.Settings.PPM, MaxMinutes: l.Settings.CallLimit(), StartedAt: StoredTime(now)}
}

// affordable is how many more minutes of c the balance pays for, at most want.
func affordable(c *DirectChatCall, balance Credits, want int) int {
	return max(0, min(want, int(balance/c.PPM)))
}

// StartCall answers a call on the line at now: its first minute is charged at once.
func (l *DirectChatLine) StartCall(now time.Time, loc *time.Location) (DirectChatCall, DirectChatCharge, error) {
	if err := l.answerable(now, loc); err != nil {
		return DirectChatCall{}, DirectChatCharge{}, err
	}
	c := l.newCall(now)
	c.Minutes, c.Credits = 1, c.PPM
	return c, DirectChatCharge{Minutes: 1, Credits: c.PPM}, nil
}

// EndCall ends the line's call in progress at now. Every minute started since it was answered is
// charged, up to MaxMinutes and what the balance covers; when either runs out first, the call is cut
// at the end of the last paid minute.
func (l *DirectChatLine) EndCall(now time.Time) (DirectChatCall, DirectChatCharge, error) {
	if l.InProgress == nil {
		return DirectChatCall{}, DirectChatCharge{}, Conflict("no_call_in_progress", "No call on PIN %s is in progress.", l.PIN.PIN)
	}
	c := *l.InProgress
	now = StoredTime(now)
	started := 1
	if d := now.Sub(c.StartedAt); d > 0 {
		started = int((d + time.Minute - 1) / time.Minute)
	}
	want := min(started, c.MaxMinutes) - c.Minutes
	pay := affordable(&c, l.Balance, want)
	c.Minutes += pay
	c.Credits += c.PPM * Credits(pay)
	c.EndedAt = now
	if c.Minutes < started {
		c.Cut, c.EndedAt = true, c.StartedAt.Add(time.Duration(c.Minutes)*time.Minute)
	}
	return c, DirectChatCharge{Minutes: pay, Credits: c.PPM * Credits(pay)}, nil
}

// PlaceCall records a whole call of minutes that has just ended (the sandbox's PlaceCall): it is
// answered as StartCall would answer it at its start, and charged as EndCall would, so a call longer
// than the balance or MaxMinutes allows is cut at the last paid minute.
func (l *DirectChatLine) PlaceCall(minutes int, now time.Time, loc *time.Location) (DirectChatCall, DirectChatCharge, error) {
	if minutes < 1 || minutes > MaxDirectChatCallMinutes {
		return DirectChatCall{}, DirectChatCharge{}, InvalidField("Minutes", "Minutes must be between 1 and %d.", MaxDirectChatCallMinutes)
	}
	if err := l.answerable(now, loc); err != nil {
		return DirectChatCall{}, DirectChatCharge{}, err
	}
	c := l.newCall(now)
	c.Minutes = affordable(&c, l.Balance, min(minutes, c.MaxMinutes))
	c.Credits = c.PPM * Credits(c.Minutes)
	c.Cut = c.Minutes < minutes
	c.EndedAt = StoredTime(now)
	c.StartedAt = c.EndedAt.Add(-time.Duration(c.Minutes) * time.Minute)
	return c, DirectChatCharge{Minutes: c.Minutes, Credits: c.Credits}, nil
}

// DirectChatStore is everything DirectChat stores. A call step runs in one transaction that locks the
// PIN's row (FOR UPDATE on PostgreSQL; SQLite's write transactions run one at a time), then reads the
// line and lets the domain decide: two calls on one PIN, on any number of instances, can neither both
// be in progress nor together spend more than the client's balance.
type DirectChatStore interface {
	DirectChatSettingsStore
	// CreateDirectChatPIN gives clientID a live PIN for performerID under the client's lock: when the
	// client already holds one for the performer it is answered (created false); otherwise check
	// decides with the performer's settings and the number of live PINs the client holds, and pin is
	// stored (a live duplicate: KindConflict pin_taken, so the caller draws another). An unknown or
	// inactive performer is KindNotFound.
	CreateDirectChatPIN(ctx context.Context, clientID, performerID int64, pin string, now time.Time,
		check func(performer *DirectChatSettings, held int) error) (p DirectChatPIN, created bool, err error)
	// DirectChatPINs lists a client's live PINs, newest first, with their call counters.
	DirectChatPINs(ctx context.Context, clientID int64) ([]DirectChatPIN, error)
	// DeleteDirectChatPIN removes a client's live PIN when check allows it; it stays in its calls'
	// records. Another member's PIN, or a removed one, is KindNotFound.
	DeleteDirectChatPIN(ctx context.Context, clientID int64, pin string, now time.Time, check func(p *DirectChatPIN) error) (DirectChatPIN, error)
	// ChargeDirectChatCall locks a live PIN, reads its line, lets decide start, end or place a call,
	// and stores the call with the charge's postings (DirectChatCharge.Postings) in one transaction; it
	// answers the call as stored and its ledger entries, the client's first. An unknown or removed PIN
	// is KindNotFound.
	ChargeDirectChatCall(ctx context.Context, pin string, now time.Time,
		decide func(l *DirectChatLine) (DirectChatCall, DirectChatCharge, error)) (DirectChatCall, []LedgerEntry, error)
	// DirectChatCalls lists a PIN's calls (by PINID), newest first.
	DirectChatCalls(ctx context.Context, pinID int64) ([]DirectChatCall, error)
	// InsertDirectChatSettings, InsertDirectChatPINs and InsertDirectChatCalls bulk-load the seed's data
	// with their IDs; settings set the members' IsDirectChat. Calls move no money.
	InsertDirectChatSettings(ctx context.Context, ss []DirectChatSettings) error
	InsertDirectChatPINs(ctx context.Context, ps []DirectChatPIN) error
	InsertDirectChatCalls(ctx context.Context, cs []DirectChatCall) error
}

// pinDraws bounds the draws CreateDirectChatPIN makes when PINs keep colliding; with a million PINs
// and far fewer live ones, a second draw is already rare.
const pinDraws = 10

// CreateDirectChatPIN gives clientID a PIN for performerID (CreatePIN): the one they hold for the
// performer, or a new one drawn with draw (NewDirectChatPIN) that no live PIN has, when
// CanCreateDirectChatPIN allows it. created says which.
func CreateDirectChatPIN(ctx context.Context, st DirectChatStore, clientID, performerID int64, now time.Time,
	draw func() string) (p DirectChatPIN, created bool, err error) {
	check := func(performer *DirectChatSettings, held int) error {
		return CanCreateDirectChatPIN(clientID, performer, held)
	}
	for range pinDraws {
		p, created, err = st.CreateDirectChatPIN(ctx, clientID, performerID, draw(), StoredTime(now), check)
		if ErrorCode(err) != "pin_taken" {
			return p, created, err
		}
	}
	return DirectChatPIN{}, false, fmt.Errorf("no free PIN in %d draws: %w", pinDraws, err)
}
