package awapi

import (
	"context"
	"fmt"
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

// DirectChatStore is everything DirectChat stores.
type DirectChatStore interface {
	DirectChatSettingsStore
}
