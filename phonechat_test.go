package awapi

import (
	"testing"
	"time"
)

// wantOutcome checks err against a table row: a 400 naming field, a 409 with code, or success.
func wantOutcome(t *testing.T, err error, field, code string) {
	t.Helper()
	switch {
	case field != "":
		if e, ok := err.(*Error); !ok || e.Kind != KindInvalid || len(e.Fields[field]) == 0 {
			t.Fatalf("want a 400 naming %s, got %v", field, err)
		}
	case code != "":
		if ErrorKind(err) != KindConflict || ErrorCode(err) != code {
			t.Fatalf("want %s, got %v", code, err)
		}
	case err != nil:
		t.Fatal(err)
	}
}

func TestPhoneChatRequest(t *testing.T) {
	now := bookingNow
	saved := PhoneChatSettings{UserID: 10, PhoneChatPPM: 150, PhoneChatNumber: "+447700900999", OfferSkype: true, UpdatedAt: now.Add(-time.Hour)}
	performers := map[int64]*PhoneChatPerformer{
		10: {UserID: 10, Nickname: "Zed", IsActive: true, IsPhoneChat: true, Settings: saved},
		11: {UserID: 11, IsActive: true, IsPhoneChat: true}, // never saved settings: no PPM, only Method 1
		12: {UserID: 12, IsActive: true, IsPhoneChat: true, DirectChatOnly: true, Settings: saved},
		13: {UserID: 13, IsActive: false, IsPhoneChat: true, Settings: saved},
		14: {UserID: 14, IsActive: true, IsPhoneChat: false, Settings: saved},
	}
	valid := func() PhoneChatRequest {
		return PhoneChatRequest{ClientID: 1, BookUserID: 10, SessionDate: now.Add(24 * time.Hour), Duration: 20, Method: MethodPerformerCalls,
			PhoneNumber: "07700900123", Credits: 3000, AcceptBy: now.Add(12 * time.Hour), Comments: "Call me"}
	}
	tests := []struct {
		name  string
		edit  func(r *PhoneChatRequest)
		field string
		code  string
	}{
		{name: "valid", edit: func(r *PhoneChatRequest) {}},
		{name: "session now", edit: func(r *PhoneChatRequest) { r.SessionDate = now }, field: "SessionDate"},
		{name: "session beyond 3 months", edit: func(r *PhoneChatRequest) { r.SessionDate = now.AddDate(0, 3, 1) }, field: "SessionDate"},
		{name: "AcceptBy now", edit: func(r *PhoneChatRequest) { r.AcceptBy = now }, field: "AcceptBy"},
		{name: "AcceptBy at the session", edit: func(r *PhoneChatRequest) { r.AcceptBy = r.SessionDate }, field: "AcceptBy"},
		{name: "AcceptBy after the session", edit: func(r *PhoneChatRequest) { r.AcceptBy = r.SessionDate.Add(time.Minute) }, field: "AcceptBy"},
		{name: "AcceptBy a minute before", edit: func(r *PhoneChatRequest) { r.AcceptBy = r.SessionDate.Add(-time.Minute) }},
		{name: "4 minutes", edit: func(r *PhoneChatRequest) { r.Duration = 4; r.Credits = 1000 }, field: "Duration"},
		{name: "5 minutes", edit: func(r *PhoneChatRequest) { r.Duration = 5 }},
		{name: "too long", edit: func(r *PhoneChatRequest) { r.Duration = MaxPhoneChatDuration + 1 }, field: "Duration"},
		{name: "method 0", edit: func(r *PhoneChatRequest) { r.Method = 0 }, field: "Method"},
		{name: "method 4", edit: func(r *PhoneChatRequest) { r.Method = 4 }, field: "Method"},
		{name: "method 1 without a number", edit: func(r *PhoneChatRequest) { r.PhoneNumber = "" }, field: "PhoneNumber"},
		{name: "method 1, 9 digits", edit: func(r *PhoneChatRequest) { r.PhoneNumber = "077009001" }, field: "PhoneNumber"},
		{name: "method 1, 12 digits", edit: func(r *PhoneChatRequest) { r.PhoneNumber = "077009001234" }, field: "PhoneNumber"},
		{name: "method 1, a plus", edit: func(r *PhoneChatRequest) { r.PhoneNumber = "+4477009001" }, field: "PhoneNumber"},
		{name: "method 1, 10 digits", edit: func(r *PhoneChatRequest) { r.PhoneNumber = "0770090012" }},
		{name: "method 2 needs nothing", edit: func(r *PhoneChatRequest) { r.Method, r.PhoneNumber = MethodClientCalls, "" }},
		{name: "method 3 without a Skype name", edit: func(r *PhoneChatRequest) { r.Method = MethodSkype }, field: "SkypeName"},
		{name: "method 3, blank Skype name", edit: func(r *PhoneChatRequest) { r.Method, r.SkypeName = MethodSkype, "  " }, field: "SkypeName"},
		{name: "method 3", edit: func(r *PhoneChatRequest) { r.Method, r.SkypeName = MethodSkype, "me.on.skype" }},
		{name: "no credits", edit: func(r *PhoneChatRequest) { r.Credits = 0 }, field: "Credits"},
		{name: "below PPM × Duration", edit: func(r *PhoneChatRequest) { r.Credits = 2999 }, field: "Credits"},
		{name: "exactly PPM × Duration", edit: func(r *PhoneChatRequest) { r.Credits = 3000 }},
		{name: "no PPM: any offer", edit: func(r *PhoneChatRequest) { r.BookUserID, r.Credits = 11, 1 }},
		{name: "comments too long", edit: func(r *PhoneChatRequest) { r.Comments = string(make([]byte, MaxPhoneChatComments+1)) }, field: "Comments"},
		{name: "booking yourself", edit: func(r *PhoneChatRequest) { r.BookUserID = 1 }, field: "BookUserID"},
		{name: "unknown performer", edit: func(r *PhoneChatRequest) { r.BookUserID = 99 }, code: "performer_not_available"},
		{name: "DirectChat Only", edit: func(r *PhoneChatRequest) { r.BookUserID = 12 }, code: "performer_not_available"},
		{name: "inactive", edit: func(r *PhoneChatRequest) { r.BookUserID = 13 }, code: "performer_not_available"},
		{name: "not phone chat", edit: func(r *PhoneChatRequest) { r.BookUserID = 14 }, code: "performer_not_available"},
		{name: "method 2 without the performer's number", edit: func(r *PhoneChatRequest) { r.BookUserID, r.Method = 11, MethodClientCalls }, code: "method_not_offered"},
		{name: "Skype not offered", edit: func(r *PhoneChatRequest) { r.BookUserID, r.Method, r.SkypeName = 11, MethodSkype, "me" }, code: "method_not_offered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := valid()
			tc.edit(&r)
			b, err := r.Booking(performers[r.BookUserID], now)
			wantOutcome(t, err, tc.field, tc.code)
			if err != nil {
				return
			}
			if b.Service != ServicePhoneChat || b.Status != StatusPending || b.ClientID != 1 || len(b.Invitations) != 1 ||
				b.Invitations[0].PerformerID != r.BookUserID || !b.CreatedAt.Equal(now) || !b.AcceptBy.Equal(r.AcceptBy) ||
				b.Details.Method != r.Method || b.Details.Comments != r.Comments {
				t.Errorf("booking %+v", b)
			}
			// Each method keeps only the contact it uses.
			if (b.Details.PhoneNumber != "") != (r.Method == MethodPerformerCalls) || (b.Details.SkypeName != "") != (r.Method == MethodSkype) {
				t.Errorf("details %+v for method %d", b.Details, r.Method)
			}
		})
	}
}

func TestPhoneChatSettingsRules(t *testing.T) {
	now := bookingNow
	valid := func() PhoneChatSettingsInput {
		return PhoneChatSettingsInput{PhoneChatNumber: "+447700900999", ShowPhoneChatNumber: true, PhoneChatPPM: 150, AvailableNowMinutes: 60}
	}
	tests := []struct {
		name  string
		edit  func(in *PhoneChatSettingsInput)
		field string
	}{
		{"valid", func(in *PhoneChatSettingsInput) {}, ""},
		{"DirectChat offered with its block", func(in *PhoneChatSettingsInput) {
			in.OfferDirectChat, in.DirectChat = true, &DirectChatSettings{PPM: 100}
		}, ""},
		{"DirectChat offered without its block", func(in *PhoneChatSettingsInput) { in.OfferDirectChat = true }, "DirectChat"},
		{"a DirectChat block not offered", func(in *PhoneChatSettingsInput) { in.DirectChat = &DirectChatSettings{PPM: 100} }, "DirectChat"},
		{"the block's rules, named within it", func(in *PhoneChatSettingsInput) { in.OfferDirectChat, in.DirectChat = true, &DirectChatSettings{} }, "DirectChat.PPM"},
		{"no PPM", func(in *PhoneChatSettingsInput) { in.PhoneChatPPM = 0 }, "PhoneChatPPM"},
		{"negative PPM", func(in *PhoneChatSettingsInput) { in.PhoneChatPPM = -1 }, "PhoneChatPPM"},
		{"PPM at the maximum", func(in *PhoneChatSettingsInput) { in.PhoneChatPPM = MaxPPM }, ""},
		{"PPM beyond the maximum", func(in *PhoneChatSettingsInput) { in.PhoneChatPPM = MaxPPM + 1 }, "PhoneChatPPM"},
		{"no number, not shown", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber, in.ShowPhoneChatNumber = "", false }, ""},
		{"no number, shown", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber = "" }, "ShowPhoneChatNumber"},
		{"a number without the plus", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber = "447700900999" }, ""},
		{"a national number", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber = "07700900999" }, "PhoneChatNumber"},
		{"letters", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber = "+44770090099x" }, "PhoneChatNumber"},
		{"too short", func(in *PhoneChatSettingsInput) { in.PhoneChatNumber = "+44770090" }, "PhoneChatNumber"},
		{"available a negative time", func(in *PhoneChatSettingsInput) { in.AvailableNowMinutes = -1 }, "AvailableNowMinutes"},
		{"available too long", func(in *PhoneChatSettingsInput) { in.AvailableNowMinutes = MaxAvailableNowMinutes + 1 }, "AvailableNowMinutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			st, err := in.Settings(10, now)
			wantOutcome(t, err, tc.field, "")
			if err != nil {
				return
			}
			if st.UserID != 10 || !st.UpdatedAt.Equal(now) || st.PhoneChatPPM != in.PhoneChatPPM ||
				st.PhoneChatNumber != in.PhoneChatNumber || !st.Saved() {
				t.Errorf("settings %+v", st)
			}
			if want := now.Add(time.Duration(in.AvailableNowMinutes) * time.Minute); in.AvailableNowMinutes > 0 && !st.AvailableUntil.Equal(want) ||
				in.AvailableNowMinutes == 0 && !st.AvailableUntil.IsZero() {
				t.Errorf("available until %v for %d minutes", st.AvailableUntil, in.AvailableNowMinutes)
			}
			if st.ShowsNumber() != (in.ShowPhoneChatNumber && in.PhoneChatNumber != "") {
				t.Errorf("ShowsNumber %v", st.ShowsNumber())
			}
		})
	}
}

// TestPhoneChatDirectChatBlock: saving with the block offers DirectChat with the block's fields;
// saving without it switches DirectChat off and keeps the fields for the next time.
func TestPhoneChatDirectChatBlock(t *testing.T) {
	now := bookingNow
	current := DirectChatSettings{UserID: 10, OfferDirectChat: true, PPM: 150, AvailableNow: true, AvailableFrom: 600, AvailableUntil: 1200,
		MaxCallMinutes: 30, UpdatedAt: now.Add(-time.Hour)}
	on := PhoneChatSettingsInput{OfferDirectChat: true, DirectChat: &DirectChatSettings{UserID: 99, PPM: 90, MaxCallMinutes: 10}}
	got := on.DirectChatSettings(current, now)
	if want := (DirectChatSettings{UserID: 10, OfferDirectChat: true, PPM: 90, MaxCallMinutes: 10, UpdatedAt: now}); got != want {
		t.Errorf("offered: %+v, want %+v", got, want)
	}
	off := PhoneChatSettingsInput{}
	got = off.DirectChatSettings(current, now)
	want := current
	want.OfferDirectChat, want.UpdatedAt = false, now
	if got != want {
		t.Errorf("switched off: %+v, want %+v", got, want)
	}
}

func TestPhoneChatPerformer(t *testing.T) {
	unsaved := PhoneChatPerformer{UserID: 10, IsActive: true, IsPhoneChat: true}
	if _, ok := unsaved.PPM(); ok || unsaved.MinimumCredits(30) != 0 {
		t.Errorf("a performer without settings has a PPM")
	}
	if !unsaved.Offers(MethodPerformerCalls) || unsaved.Offers(MethodClientCalls) || unsaved.Offers(MethodSkype) || unsaved.Offers(4) {
		t.Errorf("methods of a performer without settings")
	}
	saved := unsaved
	saved.Settings = PhoneChatSettings{PhoneChatPPM: 125, PhoneChatNumber: "+447700900999", OfferSkype: true, UpdatedAt: bookingNow}
	if ppm, ok := saved.PPM(); !ok || ppm != 125 || saved.MinimumCredits(30) != 3750 {
		t.Errorf("PPM %v %v, minimum %v", ppm, ok, saved.MinimumCredits(30))
	}
	if !saved.Offers(MethodClientCalls) || !saved.Offers(MethodSkype) {
		t.Errorf("methods of a performer with a number and Skype")
	}
	for _, p := range []PhoneChatPerformer{{IsActive: true, IsPhoneChat: true, DirectChatOnly: true}, {IsPhoneChat: true}, {IsActive: true}} {
		if p.Bookable() {
			t.Errorf("%+v is bookable", p)
		}
	}
	if err := CanOfferPhoneChat(&Member{UserTypeID: UserTypeSeeking}); ErrorCode(err) != "not_offering_services" {
		t.Errorf("a client may offer phone chat: %v", err)
	}
	if err := CanOfferPhoneChat(&Member{UserTypeID: UserTypeOffering}); err != nil {
		t.Error(err)
	}
}

// TestPhoneChatRescheduleLead: a rescheduled session starts on a whole five minutes, 5 to 10 minutes
// from now.
func TestPhoneChatRescheduleLead(t *testing.T) {
	base := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		now  time.Duration
		want time.Duration
	}{
		{0, 5 * time.Minute},
		{time.Second, 10*time.Minute - time.Second},
		{2*time.Minute + 30*time.Second, 7*time.Minute + 30*time.Second},
		{4*time.Minute + 59*time.Second, 5*time.Minute + time.Second},
		{5 * time.Minute, 5 * time.Minute},
	} {
		now := base.Add(tc.now)
		if got := PhoneChatRescheduleLead(now); got != tc.want {
			t.Errorf("at %s: lead %s, want %s", now.Format("15:04:05"), got, tc.want)
		}
	}
}

// phoneChatBooking is a pending phone-chat booking of client 1 with performer 10.
func phoneChatBooking() *Booking {
	b := testBooking(StatusPending, StatusPending)
	b.Service, b.Details = ServicePhoneChat, BookingDetails{Method: MethodSkype, SkypeName: "me"}
	return b
}

func TestReInvite(t *testing.T) {
	now := bookingNow
	passed := func() *Booking {
		b := phoneChatBooking()
		b.SessionDate, b.AcceptBy = now.Add(-time.Minute), now.Add(-2*time.Minute)
		return b
	}
	future := phoneChatBooking()
	accepted := passed()
	accepted.Status, accepted.Invitations[0].Status, accepted.AcceptedBy = StatusAccepted, StatusAccepted, 10
	rejected := passed()
	rejected.Status, rejected.Invitations[0].Status = StatusRejected, StatusRejected
	tests := []struct {
		name      string
		b         *Booking
		performer int64
		code      string
	}{
		{"lapsed with its session passed", passed(), 10, ""},
		{"session still to come", future, 10, "session_not_started"},
		{"accepted", accepted, 10, "booking_not_pending"},
		{"already rejected", rejected, 10, "booking_not_pending"},
		{"not invited", passed(), 11, "invitation_not_pending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := *tc.b
			err := tc.b.ReInvite(tc.performer, "Sorry", now)
			wantOutcome(t, err, "", tc.code)
			if err != nil {
				if tc.b.Status != before.Status || tc.b.Details.ReInvited {
					t.Errorf("a refused ReInvite changed the booking: %+v", tc.b)
				}
				return
			}
			if tc.b.Status != StatusRejected || tc.b.Reason != "Sorry" || !tc.b.Details.ReInvited ||
				tc.b.Invitations[0].Status != StatusRejected || !tc.b.Invitations[0].DecidedAt.Equal(now) {
				t.Errorf("re-invited %+v", tc.b)
			}
			// The re-invited client may reschedule; the copy is not re-invited itself.
			nb, err := tc.b.Rescheduled(now, PhoneChatRescheduleLead(now))
			if err != nil || nb.Details.ReInvited || nb.Details.SkypeName != "me" || nb.RescheduledFrom != tc.b.BookingID {
				t.Errorf("rescheduled %+v, %v", nb, err)
			}
		})
	}
}

// TestPhoneChatCanReschedule: a phone-chat booking is copied only once its session date has passed,
// whatever its status; webcam keeps its wider rule.
func TestPhoneChatCanReschedule(t *testing.T) {
	now := bookingNow
	cancelled := phoneChatBooking()
	cancelled.Status = StatusCancelled
	lapsed := phoneChatBooking()
	lapsed.AcceptBy = now
	passed := phoneChatBooking()
	passed.Status, passed.SessionDate = StatusConfirmed, now
	webcamCancelled := testBooking(StatusCancelled, StatusCancelled)
	for _, tc := range []struct {
		name string
		b    *Booking
		code string
	}{
		{"phone chat cancelled before its session", cancelled, "session_not_started"},
		{"phone chat lapsed before its session", lapsed, "session_not_started"},
		{"phone chat pending", phoneChatBooking(), "session_not_started"},
		{"phone chat at its session date", passed, ""},
		{"webcam cancelled before its session", webcamCancelled, ""},
	} {
		t.Run(tc.name, func(t *testing.T) { wantOutcome(t, tc.b.CanReschedule(now), "", tc.code) })
	}
}

// TestMarkRun: the sandbox pays a confirmed session once, before or after its date, and nothing else.
func TestMarkRun(t *testing.T) {
	now := bookingNow
	confirmed := func() *Booking {
		b := phoneChatBooking()
		b.Status, b.AcceptedBy, b.AcceptedCredits, b.Reserved = StatusConfirmed, 10, 3000, 3000
		b.Invitations[0].Status = StatusAccepted
		return b
	}
	b := confirmed()
	ps, err := b.MarkRun(now)
	if err != nil || len(ps) != 1 || ps[0].UserID != 10 || ps[0].Amount != 3000 || b.Reserved != 0 || !b.SettledAt.Equal(now) {
		t.Fatalf("mark run: %+v %+v %v", b, ps, err)
	}
	if _, err := b.MarkRun(now); ErrorCode(err) != "booking_settled" {
		t.Errorf("second run: %v", err)
	}
	if err := b.CanCancelMade(now); ErrorCode(err) != "session_date_passed" {
		t.Errorf("cancelling a session that ran: %v", err)
	}
	if _, err := b.Settle(b.SessionEnd()); ErrorCode(err) != "booking_settled" {
		t.Errorf("settling a session that ran: %v", err)
	}
	accepted := confirmed()
	accepted.Status, accepted.Reserved = StatusAccepted, 0
	if _, err := accepted.MarkRun(now); ErrorCode(err) != "booking_not_confirmed" {
		t.Errorf("running an unconfirmed booking: %v", err)
	}
}
