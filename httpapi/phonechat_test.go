package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/reftest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// phoneChatFixture adds, to the sandbox fixture (member 20 a client who offers no services), the
// phone-chat performers 10 (settings saved through the API: PPM 1.50, a number clients call, Skype),
// 11 (phone chat without settings), 12 (DirectChat Only) and 13 (no phone chat), and gives every
// member a token with the phone-chat, webcam and credits scopes.
func phoneChatFixture(t *testing.T, f *fixture) {
	t.Helper()
	var ms []awapi.Member
	for id := int64(10); id <= 13; id++ {
		m := storetest.NewMember(id, fmt.Sprintf("Phone%d", id))
		m.IsPhoneChat, m.DirectChatOnly = id != 13, id == 12
		ms = append(ms, m)
	}
	if err := f.St.InsertMembers(context.Background(), ms); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2, 3, 4, 10, 11, 12, 13, 20} {
		f.userTokens[id] = f.Mint(id, awapi.ScopeAccountPhonechatBookings, awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountCreditsHistory)
	}
	if s := f.call(10, "POST", "/v1/PhoneChat/SaveSettings", phoneSettingsBody(nil), nil); s != 200 {
		t.Fatalf("SaveSettings: %d %+v", s, f.lastError)
	}
}

func forPhoneChatEngines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	forDirectCamEngines(t, true, func(t *testing.T, f *fixture) {
		phoneChatFixture(t, f)
		fn(t, f)
	})
}

func phoneSettingsBody(extra obj) obj {
	b := obj{"OfferDirectChat": false, "PhoneChatNumber": "+447700900999", "ShowPhoneChatNumber": true, "PhoneChatPPM": "1.50",
		"OfferSkype": true, "AvailableNowMinutes": 90}
	for k, v := range extra {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// phoneBooking is a CreateBooking body for performer: Skype, 20 minutes tomorrow, 30.00 credits
// (exactly PPM × Duration for performer 10), to be accepted within 12 hours.
func phoneBooking(f *fixture, performer int64, extra obj) obj {
	b := obj{"BookUserID": performer, "SessionDate": sessionIn(f, 24*time.Hour), "Duration": 20, "Method": 3,
		"SkypeName": "client.skype", "Credits": "30.00", "AcceptBy": sessionIn(f, 12*time.Hour), "Comments": "Looking forward"}
	for k, v := range extra {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// phoneBookingView reads a PhoneChatBooking with its dates as the wire spells them.
type phoneBookingView struct {
	PhoneChatBooking
	CreateDate, SessionDate, AcceptBy string
	AcceptedDate, CompletedDate       *string
}

// phoneSettingsView reads PhoneChatSettings with its dates as the wire spells them.
type phoneSettingsView struct {
	PhoneChatSettings
	AvailableNowUntil, LastUpdated *string
}

type phoneBookingsView struct {
	PhoneChatBookingsOutput
	Bookings []phoneBookingView
}

func createPhoneBooking(t *testing.T, f *fixture, client int64, body obj) phoneBookingView {
	t.Helper()
	var b phoneBookingView
	if s := f.call(client, "POST", "/v1/PhoneChat/CreateBooking", body, &b); s != 200 {
		t.Fatalf("CreateBooking: %d %+v", s, f.lastError)
	}
	return b
}

func TestPhoneChatUserBookingRequirements(t *testing.T) {
	forPhoneChatEngines(t, func(t *testing.T, f *fixture) {
		var out PhoneChatRequirements
		if s := f.call(1, "GET", "/v1/PhoneChat/GetUserBookingRequirements?BookUserID=10", nil, &out); s != 200 {
			t.Fatalf("status %d %+v", s, f.lastError)
		}
		ppm := awapi.Credits(150)
		want := PhoneChatRequirements{UserID: 10, Nickname: "Phone10", PhoneChatPPM: &ppm, MinimumDuration: 5, Methods: []PhoneChatMethod{
			{1, "Performer calls you", true}, {2, "You call the performer", true}, {3, "Skype", true}}}
		if mustJSON(out) != mustJSON(want) {
			t.Fatalf("got %s\nwant %s", mustJSON(out), mustJSON(want))
		}
		// Without settings: no PPM (null on the wire), and only the performer can place the call.
		w := f.Do("GET", "/v1/phonechat/getuserbookingrequirements?bookuserid=11", "", "Authorization", "bearer "+f.userTokens[1])
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"PhoneChatPPM":null`) ||
			!strings.Contains(w.Body.String(), `{"Method":2,"Name":"You call the performer","Available":false}`) {
			t.Fatalf("performer without settings: %d %s", w.Code, w.Body)
		}
		for _, id := range []string{"12", "13", "999"} {
			if s := f.call(1, "GET", "/v1/PhoneChat/GetUserBookingRequirements?BookUserID="+id, nil, nil); s != 409 ||
				f.lastError.Code != "performer_not_available" {
				t.Errorf("BookUserID=%s: %d %+v", id, s, f.lastError)
			}
		}
		s := f.call(1, "GET", "/v1/PhoneChat/GetUserBookingRequirements", nil, nil)
		wantField(t, f, 400, s, "BookUserID", "")
		// The scope is the phone-chat one.
		tok := f.Mint(1, awapi.ScopeAccountWebcamBookings)
		if s := f.callWith(tok, "GET", "/v1/PhoneChat/GetUserBookingRequirements?BookUserID=10", nil, nil); s != 403 {
			t.Fatalf("without the scope: %d", s)
		}
	})
}

func TestCreatePhoneChatBookingRules(t *testing.T) {
	forPhoneChatEngines(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			name   string
			body   obj
			status int
			field  string
			code   string
		}{
			{"no BookUserID", phoneBooking(f, 10, obj{"BookUserID": nil}), 400, "BookUserID", ""},
			{"no SessionDate", phoneBooking(f, 10, obj{"SessionDate": nil}), 400, "SessionDate", ""},
			{"SessionDate past", phoneBooking(f, 10, obj{"SessionDate": sessionIn(f, -time.Hour)}), 400, "SessionDate", ""},
			{"SessionDate badly written", phoneBooking(f, 10, obj{"SessionDate": "tomorrow"}), 400, "SessionDate", ""},
			{"no Duration", phoneBooking(f, 10, obj{"Duration": nil}), 400, "Duration", ""},
			{"4 minutes", phoneBooking(f, 10, obj{"Duration": 4}), 400, "Duration", ""},
			{"no Method", phoneBooking(f, 10, obj{"Method": nil}), 400, "Method", ""},
			{"Method 4", phoneBooking(f, 10, obj{"Method": 4}), 400, "Method", ""},
			{"Method 1 without PhoneNumber", phoneBooking(f, 10, obj{"Method": 1}), 400, "PhoneNumber", ""},
			{"Method 1, 9 digits", phoneBooking(f, 10, obj{"Method": 1, "PhoneNumber": "077009001"}), 400, "PhoneNumber", ""},
			{"Method 3 without SkypeName", phoneBooking(f, 10, obj{"SkypeName": nil}), 400, "SkypeName", ""},
			{"no Credits", phoneBooking(f, 10, obj{"Credits": nil}), 400, "Credits", ""},
			{"Credits below PPM × Duration", phoneBooking(f, 10, obj{"Credits": "29.99"}), 400, "Credits", ""},
			{"no AcceptBy", phoneBooking(f, 10, obj{"AcceptBy": nil}), 400, "AcceptBy", ""},
			{"AcceptBy past", phoneBooking(f, 10, obj{"AcceptBy": sessionIn(f, -time.Hour)}), 400, "AcceptBy", ""},
			{"AcceptBy after SessionDate", phoneBooking(f, 10, obj{"AcceptBy": sessionIn(f, 25*time.Hour)}), 400, "AcceptBy", ""},
			{"Comments too long", phoneBooking(f, 10, obj{"Comments": strings.Repeat("x", 1001)}), 400, "Comments", ""},
			{"booking yourself", phoneBooking(f, 1, nil), 400, "BookUserID", ""},
			{"DirectChat Only", phoneBooking(f, 12, nil), 409, "", "performer_not_available"},
			{"not phone chat", phoneBooking(f, 13, nil), 409, "", "performer_not_available"},
			{"unknown", phoneBooking(f, 999, nil), 409, "", "performer_not_available"},
			{"Method 2 without the performer's number", phoneBooking(f, 11, obj{"Method": 2}), 409, "", "method_not_offered"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				s := f.call(1, "POST", "/v1/PhoneChat/CreateBooking", tc.body, nil)
				wantField(t, f, tc.status, s, tc.field, tc.code)
			})
		}
		// Nothing was stored by the refusals.
		var page phoneBookingsView
		if s := f.call(1, "GET", "/v1/PhoneChat/MadeBookings", nil, &page); s != 200 || page.BookingsTotal != 0 {
			t.Fatalf("after refusals: %d %+v", s, page)
		}
		// Method 1 keeps the number and drops a Skype name sent with it; no PPM means any offer.
		b := createPhoneBooking(t, f, 1, phoneBooking(f, 11, obj{"Method": 1, "PhoneNumber": "07700900123", "Credits": "1.00"}))
		if b.PhoneNumber == nil || *b.PhoneNumber != "07700900123" || b.SkypeName != nil || b.Method != 1 || b.Credits != 100 ||
			b.Status != "Pending" || b.BookUserID != 11 || b.BookUserNickname != "Phone11" || b.Comments == nil {
			t.Fatalf("created %+v", b)
		}
		if b.AcceptBy != strings.Replace(sessionIn(f, 12*time.Hour), " ", "T", 1)+":00" {
			t.Fatalf("AcceptBy %s", b.AcceptBy)
		}
	})
}

// TestPhoneChatLifecycle: create, accept at another price, confirm (the client pays once), the
// sandbox runs the session (the performer is paid), both sides list and delete it; the answers name
// BookingID, never WebcamBookingID.
func TestPhoneChatLifecycle(t *testing.T) {
	forPhoneChatEngines(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		if _, err := f.St.AddCredits(ctx, 1, 5000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		b := createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
		w := f.Do("GET", "/v1/PhoneChat/MadeBookingDetails?BookingID="+fmt.Sprint(b.BookingID), "", "Authorization", "bearer "+f.userTokens[1])
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"BookingID":`) || strings.Contains(w.Body.String(), "WebcamBookingID") {
			t.Fatalf("details: %d %s", w.Code, w.Body)
		}
		// The performer sees it received, with the client.
		var recv phoneBookingsView
		if s := f.call(10, "GET", "/v1/PhoneChat/ReceivedBookings", nil, &recv); s != 200 || recv.BookingsTotal != 1 ||
			recv.Bookings[0].ClientUserID == nil || *recv.Bookings[0].ClientUserID != 1 || *recv.Bookings[0].ClientNickname != "Client" {
			t.Fatalf("received: %d %+v", s, recv)
		}
		var got phoneBookingView
		id := obj{"BookingID": b.BookingID}
		if s := f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "35.00"}, &got); s != 200 ||
			got.Status != "Accepted" || got.Credits != 3500 || got.OfferedCredits != 3000 || got.AcceptedDate == nil {
			t.Fatalf("accept: %d %+v %+v", s, got, f.lastError)
		}
		if s := f.call(1, "POST", "/v1/PhoneChat/ConfirmMadeBooking", id, &got); s != 200 || got.Status != "Confirmed" {
			t.Fatalf("confirm: %d %+v", s, f.lastError)
		}
		wantBalance(t, f, 1, "15.00")
		if s := f.call(1, "POST", "/v1/PhoneChat/ConfirmMadeBooking", id, nil); s != 409 || f.lastError.Code != "booking_not_accepted" {
			t.Fatalf("second confirm: %d %+v", s, f.lastError)
		}
		var run struct {
			PhoneChatSessionOutput
			CompletedDate string
		}
		rw := f.Do("POST", "/v1/Sandbox/PhoneChat/RunSession", mustJSON(id), f.WithKey()...)
		if err := json.Unmarshal(rw.Body.Bytes(), &run); rw.Code != 200 || err != nil || run.Credits != 3500 || run.PerformerBalance != 3500 ||
			run.ClientBalance != 1500 || run.PerformerUserID != 10 || run.ClientUserID != 1 || run.CompletedDate != f.local(f.Clock.Now()) {
			t.Fatalf("run: %d %s (%v)", rw.Code, rw.Body, err)
		}
		rw = f.Do("POST", "/v1/Sandbox/PhoneChat/RunSession", mustJSON(id), f.WithKey()...)
		if rw.Code != 409 || apitest.ReadError(t, rw).Code != "booking_settled" {
			t.Fatalf("second run: %d %s", rw.Code, rw.Body)
		}
		wantBalance(t, f, 10, "35.00")
		if s := f.call(1, "GET", "/v1/PhoneChat/MadeBookingDetails?BookingID="+fmt.Sprint(b.BookingID), nil, &got); s != 200 || got.CompletedDate == nil {
			t.Fatalf("details after the session: %d %+v", s, got)
		}
		if s := f.call(1, "POST", "/v1/PhoneChat/CancelMadeBooking", obj{"BookingID": b.BookingID, "Reason": "late"}, nil); s != 409 {
			t.Fatalf("cancelling a session that ran: %d", s)
		}
		var hist creditHistoryView
		if s := f.call(10, "GET", "/v1/CreditHistory/GetCreditsHistory", nil, &hist); s != 200 || len(hist.CreditHistory) != 1 ||
			!strings.Contains(hist.CreditHistory[0].Description, "PhoneChat booking") {
			t.Fatalf("performer's history: %d %+v", s, hist)
		}
		// Deleting: the client's path is plural, the performer's singular (documented).
		var del []BookingDeleteOutput
		if s := f.call(1, "POST", "/v1/PhoneChat/DeleteMadeBookings", obj{"BookingIDs": fmt.Sprintf("%d,999", b.BookingID)}, &del); s != 200 ||
			len(del) != 2 || !del[0].Deleted || del[1].Deleted || del[1].Message == "" {
			t.Fatalf("delete made: %d %+v", s, del)
		}
		if s := f.call(10, "POST", "/v1/PhoneChat/DeleteReceivedBooking", obj{"BookingIDs": fmt.Sprint(b.BookingID)}, &del); s != 200 || !del[0].Deleted {
			t.Fatalf("delete received: %d %+v", s, del)
		}
		if s := f.call(10, "POST", "/v1/PhoneChat/DeleteReceivedBookings", obj{"BookingIDs": "1"}, nil); s != 404 {
			t.Fatalf("the plural received path: %d", s)
		}
		// A phone-chat booking is not a webcam booking.
		if s := f.call(1, "GET", "/v1/Webcam/MadeBookingDetails?BookingID="+fmt.Sprint(b.BookingID), nil, nil); s != 404 {
			t.Fatalf("as a webcam booking: %d", s)
		}
		for _, id := range []int64{1, 10} {
			bal, _ := f.St.CreditBalance(ctx, id)
			if sum, _ := f.St.LedgerSum(ctx, id); sum != bal {
				t.Fatalf("member %d: balance %s, ledger %s", id, bal, sum)
			}
		}
	})
}

// TestPhoneChatPreconditions: rejection, cancellation on either side (a refund before the session),
// ReInvite and RescheduleMadeBooking with their documented preconditions.
func TestPhoneChatPreconditions(t *testing.T) {
	forPhoneChatEngines(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		if _, err := f.St.AddCredits(ctx, 1, 10000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		// Reject, then nothing more.
		b := createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
		s := f.call(10, "POST", "/v1/PhoneChat/RejectReceivedBooking", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 400, s, "Reason", "")
		var got phoneBookingView
		if s := f.call(10, "POST", "/v1/PhoneChat/RejectReceivedBooking", obj{"BookingID": b.BookingID, "Reason": "Busy"}, &got); s != 200 ||
			got.Status != "Rejected" || got.Reason == nil || *got.Reason != "Busy" {
			t.Fatalf("reject: %d %+v", s, got)
		}
		s = f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, nil)
		wantField(t, f, 409, s, "", "booking_not_pending")
		s = f.call(11, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, nil)
		wantField(t, f, 404, s, "", "")
		s = f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 400, s, "Credits", "")

		// The performer cancels what they accepted; the client cancels a confirmed booking and is refunded.
		b = createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
		f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, nil)
		if s := f.call(10, "POST", "/v1/PhoneChat/CancelReceivedBooking", obj{"BookingID": b.BookingID, "Reason": "Ill"}, &got); s != 200 || got.Status != "Cancelled" {
			t.Fatalf("performer cancels: %d %+v", s, f.lastError)
		}
		b = createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
		f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, nil)
		f.call(1, "POST", "/v1/PhoneChat/ConfirmMadeBooking", obj{"BookingID": b.BookingID}, nil)
		wantBalance(t, f, 1, "70.00")
		s = f.call(10, "POST", "/v1/PhoneChat/CancelReceivedBooking", obj{"BookingID": b.BookingID, "Reason": "Ill"}, nil)
		wantField(t, f, 409, s, "", "booking_not_accepted")
		s = f.call(1, "POST", "/v1/PhoneChat/CancelMadeBooking", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 400, s, "Reason", "")
		if s := f.call(1, "POST", "/v1/PhoneChat/CancelMadeBooking", obj{"BookingID": b.BookingID, "Reason": "Changed my mind"}, &got); s != 200 || got.Status != "Cancelled" {
			t.Fatalf("client cancels: %d %+v", s, f.lastError)
		}
		wantBalance(t, f, 1, "100.00")
		s = f.call(1, "POST", "/v1/PhoneChat/CancelMadeBooking", obj{"BookingID": b.BookingID, "Reason": "again"}, nil)
		wantField(t, f, 409, s, "", "booking_cancelled")

		// A booking left pending past its session: ReInvite only then, and only by its performer.
		b = createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
		s = f.call(10, "POST", "/v1/PhoneChat/ReInvite", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 409, s, "", "session_not_started")
		s = f.call(1, "POST", "/v1/PhoneChat/RescheduleMadeBooking", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 409, s, "", "session_not_started")
		f.Clock.Advance(24*time.Hour + time.Minute)
		if s := f.call(1, "GET", "/v1/PhoneChat/MadeBookingDetails?BookingID="+fmt.Sprint(b.BookingID), nil, &got); s != 200 ||
			got.Status != "Rejected" || *got.Reason != awapi.ExpiredReason {
			t.Fatalf("lapsed: %d %+v", s, got)
		}
		s = f.call(11, "POST", "/v1/PhoneChat/ReInvite", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 404, s, "", "")
		if s := f.call(10, "POST", "/v1/PhoneChat/ReInvite", obj{"BookingID": b.BookingID}, &got); s != 200 || got.Status != "Rejected" ||
			!got.ReInvited || *got.Reason != awapi.DefaultReInviteReason {
			t.Fatalf("re-invite: %d %+v %+v", s, got, f.lastError)
		}
		s = f.call(10, "POST", "/v1/PhoneChat/ReInvite", obj{"BookingID": b.BookingID, "Reason": "again"}, nil)
		wantField(t, f, 409, s, "", "booking_not_pending")
		if s := f.call(1, "GET", "/v1/PhoneChat/MadeBookingDetails?BookingID="+fmt.Sprint(b.BookingID), nil, &got); s != 200 || !got.ReInvited {
			t.Fatalf("the client sees the re-invitation: %d %+v", s, got)
		}
		// Rescheduling: a copy 5 to 10 minutes ahead, when the balance covers the offer.
		var nb phoneBookingView
		if s := f.call(1, "POST", "/v1/PhoneChat/RescheduleMadeBooking", obj{"BookingID": b.BookingID}, &nb); s != 200 ||
			nb.RescheduledFrom == nil || *nb.RescheduledFrom != b.BookingID || nb.Status != "Pending" || nb.ReInvited ||
			nb.SkypeName == nil || nb.Credits != 3000 {
			t.Fatalf("reschedule: %d %+v %+v", s, nb, f.lastError)
		}
		session, err := time.ParseInLocation("2006-01-02T15:04:05", nb.SessionDate, testdb.London)
		if lead := session.Sub(f.Clock.Now()); err != nil || lead < 5*time.Minute || lead > 10*time.Minute || session.Minute()%5 != 0 {
			t.Fatalf("rescheduled to %s, %s from now (%v)", nb.SessionDate, lead, err)
		}
		// The client spends down to less than the offer: rescheduling is refused.
		bal, _ := f.St.CreditBalance(ctx, 1)
		if _, err := f.St.AddCredits(ctx, 1, -(bal - 100), "Spent", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		s = f.call(1, "POST", "/v1/PhoneChat/RescheduleMadeBooking", obj{"BookingID": b.BookingID}, nil)
		wantField(t, f, 409, s, "", "insufficient_credits")
	})
}

// TestPhoneChatSettingsAPI: GetSettings and SaveSettings, their rules naming fields, the performer
// rule, profiles and search following the settings, and the Group-manager variants.
func TestPhoneChatSettingsAPI(t *testing.T) {
	forPhoneChatEngines(t, func(t *testing.T, f *fixture) {
		var got phoneSettingsView
		w := f.Do("GET", "/v1/PhoneChat/GetSettings", "", "Authorization", "bearer "+f.userTokens[11])
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"PhoneChatPPM":null`) || !strings.Contains(w.Body.String(), `"LastUpdated":null`) {
			t.Fatalf("unsaved: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct {
			name  string
			body  obj
			field string
		}{
			{"no OfferDirectChat", phoneSettingsBody(obj{"OfferDirectChat": nil}), "OfferDirectChat"},
			{"no PhoneChatPPM", phoneSettingsBody(obj{"PhoneChatPPM": nil}), "PhoneChatPPM"},
			{"PhoneChatPPM 0", phoneSettingsBody(obj{"PhoneChatPPM": "0"}), "PhoneChatPPM"},
			{"PhoneChatPPM too high", phoneSettingsBody(obj{"PhoneChatPPM": "100.01"}), "PhoneChatPPM"},
			{"a national number", phoneSettingsBody(obj{"PhoneChatNumber": "07700900999"}), "PhoneChatNumber"},
			{"shown without a number", phoneSettingsBody(obj{"PhoneChatNumber": nil}), "ShowPhoneChatNumber"},
			{"DirectChat offered without its settings", phoneSettingsBody(obj{"OfferDirectChat": true}), "DirectChat"},
			{"available too long", phoneSettingsBody(obj{"AvailableNowMinutes": 721}), "AvailableNowMinutes"},
		} {
			s := f.call(11, "POST", "/v1/PhoneChat/SaveSettings", tc.body, nil)
			if s != 400 || len(f.lastError.ModelState[tc.field]) == 0 {
				t.Errorf("%s: %d %+v", tc.name, s, f.lastError)
			}
		}
		if s := f.call(11, "GET", "/v1/PhoneChat/GetSettings", nil, &got); s != 200 || got.LastUpdated != nil {
			t.Fatalf("a refused save stored something: %+v", got)
		}
		s := f.call(20, "POST", "/v1/PhoneChat/SaveSettings", phoneSettingsBody(nil), nil)
		wantField(t, f, 409, s, "", "not_offering_services")

		// Member 13 does not offer phone chat; saving settings makes them a phone-chat performer,
		// available now and with a phone number, in profiles and search.
		before := phoneProfile(t, f, 13)
		if before.IsPhoneChat || before.AvailableNowPhoneChat || before.HasPhoneNumber {
			t.Fatalf("before: %+v", before)
		}
		w = f.Do("POST", "/v1/PhoneChat/SaveSettings", mustJSON(phoneSettingsBody(nil)), "Authorization", "bearer "+f.userTokens[13])
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"PhoneChatPPM":1.50`) || !strings.Contains(w.Body.String(), `"PhoneChatNumber":"+447700900999"`) {
			t.Fatalf("save: %d %s", w.Code, w.Body)
		}
		after := phoneProfile(t, f, 13)
		if !after.IsPhoneChat || !after.AvailableNowPhoneChat || !after.HasPhoneNumber || after.IsDirectChat {
			t.Fatalf("after: %+v", after)
		}
		f.Clock.Advance(91 * time.Minute)
		if p := phoneProfile(t, f, 13); p.AvailableNowPhoneChat {
			t.Fatalf("still available after 90 minutes: %+v", p)
		}
		if s := f.call(13, "GET", "/v1/PhoneChat/GetSettings", nil, &got); s != 200 || got.AvailableNowUntil != nil || got.PhoneChatPPM == nil || *got.PhoneChatPPM != 150 {
			t.Fatalf("settings later: %d %+v", s, got)
		}
		// The number no longer shown: HasPhoneNumber follows.
		f.call(13, "POST", "/v1/PhoneChat/SaveSettings", phoneSettingsBody(obj{"ShowPhoneChatNumber": false}), nil)
		if p := phoneProfile(t, f, 13); p.HasPhoneNumber {
			t.Fatalf("number hidden: %+v", p)
		}

		// The nested DirectChat block: required with OfferDirectChat, refused without, its fields named
		// within it; saved with the settings, it makes the member DirectChat.
		block := obj{"PPM": "1.20", "AvailableNow": true, "AvailableFrom": "18:00", "AvailableUntil": "02:00", "MaxCallMinutes": 30}
		for _, tc := range []struct {
			name  string
			body  obj
			field string
		}{
			{"a block without OfferDirectChat", phoneSettingsBody(obj{"DirectChat": block}), "DirectChat"},
			{"hours out of range", phoneSettingsBody(obj{"OfferDirectChat": true, "DirectChat": obj{"PPM": "1.20", "AvailableFrom": "25:00", "AvailableUntil": "02:00"}}), "DirectChat.AvailableFrom"},
			{"no DirectChat PPM", phoneSettingsBody(obj{"OfferDirectChat": true, "DirectChat": obj{"AvailableFrom": "00:00", "AvailableUntil": "00:00"}}), "DirectChat.PPM"},
			{"a call limit too long", phoneSettingsBody(obj{"OfferDirectChat": true, "DirectChat": obj{"PPM": "1", "AvailableFrom": "00:00", "AvailableUntil": "00:00", "MaxCallMinutes": 241}}), "DirectChat.MaxCallMinutes"},
			{"a block that is not an object", phoneSettingsBody(obj{"OfferDirectChat": true, "DirectChat": "yes"}), "DirectChat"},
		} {
			s := f.call(13, "POST", "/v1/PhoneChat/SaveSettings", tc.body, nil)
			if s != 400 || len(f.lastError.ModelState[tc.field]) == 0 {
				t.Errorf("%s: %d %+v", tc.name, s, f.lastError)
			}
		}
		w = f.Do("POST", "/v1/PhoneChat/SaveSettings", mustJSON(phoneSettingsBody(obj{"OfferDirectChat": true, "DirectChat": block})),
			"Authorization", "bearer "+f.userTokens[13])
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"OfferDirectChat":true,"DirectChat":{"PPM":1.20,"AvailableNow":true,"AvailableFrom":"18:00","AvailableUntil":"02:00","MaxCallMinutes":30}`) {
			t.Fatalf("save with DirectChat: %d %s", w.Code, w.Body)
		}
		if p := phoneProfile(t, f, 13); !p.IsDirectChat {
			t.Fatalf("DirectChat offered, the profile says %+v", p)
		}
		xmlGet(t, f, f.userTokens[13], "GET", "/v1/PhoneChat/GetSettings", "", "<DirectChat><AvailableFrom>18:00</AvailableFrom><AvailableNow>true</AvailableNow>",
			"<PPM>1.20</PPM></DirectChat>", "<OfferDirectChat>true</OfferDirectChat>")
		w = f.Do("POST", "/v1/PhoneChat/SaveSettings", mustJSON(phoneSettingsBody(nil)), "Authorization", "bearer "+f.userTokens[13])
		if w.Code != 200 || strings.Contains(w.Body.String(), `"DirectChat":`) || !strings.Contains(w.Body.String(), `"OfferDirectChat":false`) {
			t.Fatalf("save without DirectChat: %d %s", w.Code, w.Body)
		}
		if p := phoneProfile(t, f, 13); p.IsDirectChat {
			t.Fatalf("DirectChat switched off, the profile says %+v", p)
		}
		if dc, err := f.St.DirectChatSettings(context.Background(), 13); err != nil || dc.OfferDirectChat || dc.PPM != 120 || dc.MaxCallMinutes != 30 {
			t.Fatalf("DirectChat's fields are kept while it is off: %+v %v", dc, err)
		}

		// Group manager 2 acts for member 3 (group 1), not for member 4 (group 2).
		var saved phoneSettingsView
		if s := f.call(2, "POST", "/v1/Groups/PhoneChat/SaveSettings", phoneSettingsBody(obj{"UserID": 3, "PhoneChatPPM": "2.25"}), &saved); s != 200 ||
			saved.UserID != 3 || *saved.PhoneChatPPM != 225 {
			t.Fatalf("GM save: %d %+v %+v", s, saved, f.lastError)
		}
		if s := f.call(2, "GET", "/v1/Groups/PhoneChat/GetSettings?UserID=3", nil, &got); s != 200 || *got.PhoneChatPPM != 225 {
			t.Fatalf("GM get: %d %+v", s, got)
		}
		if s := f.call(2, "GET", "/v1/Groups/PhoneChat/GetSettings?UserID=4", nil, nil); s != 404 {
			t.Fatalf("GM for another group: %d", s)
		}
	})
}

type phoneProfileView struct {
	IsPhoneChat, IsDirectChat, AvailableNowPhoneChat, HasPhoneNumber bool
}

// phoneProfile reads a member's phone-chat facts from getProfileDetails and checks search says the same.
func phoneProfile(t *testing.T, f *fixture, user int64) phoneProfileView {
	t.Helper()
	w := f.Do("GET", fmt.Sprintf("/v1/Profile/getProfileDetails?UserID=%d", user), "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	var v struct{ Profile phoneProfileView }
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	w = f.Do("GET", "/v1/Search/SearchProfiles?ProfilesPerPage=100", "", f.WithKey()...)
	var page struct {
		Profiles []struct {
			UserID int64
			phoneProfileView
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Profiles {
		if p.UserID == user && p.phoneProfileView != v.Profile {
			t.Fatalf("search says %+v, the profile %+v", p.phoneProfileView, v.Profile)
		}
	}
	return v.Profile
}

func TestPhoneChatListsAndGroupManager(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, true)
	phoneChatFixture(t, f)
	for i := range 5 {
		f.Clock.Advance(time.Hour)
		createPhoneBooking(t, f, 3, phoneBooking(f, int64(10+i%2), obj{"SessionDate": sessionIn(f, time.Duration(24+i%3)*time.Hour),
			"Method": 1, "PhoneNumber": "07700900123"}))
	}
	var page phoneBookingsView
	if s := f.call(3, "GET", "/v1/PhoneChat/MadeBookings?BookingsPerPage=2&PageNumber=3", nil, &page); s != 200 ||
		page.PageCount != 3 || page.BookingsTotal != 5 || len(page.Bookings) != 1 {
		t.Fatalf("paging: %d %+v", s, page)
	}
	f.call(3, "GET", "/v1/PhoneChat/MadeBookings", nil, &page)
	if page.Bookings[0].CreateDate <= page.Bookings[4].CreateDate {
		t.Fatalf("default date-desc: %+v", page.Bookings)
	}
	f.call(3, "GET", "/v1/PhoneChat/MadeBookings?OrderBy=date-asc", nil, &page)
	if page.Bookings[0].CreateDate >= page.Bookings[4].CreateDate {
		t.Fatalf("date-asc: %+v", page.Bookings)
	}
	f.call(3, "GET", "/v1/PhoneChat/MadeBookings?OrderBy=sessiondate-desc", nil, &page)
	for i := 1; i < 5; i++ {
		if page.Bookings[i-1].SessionDate < page.Bookings[i].SessionDate {
			t.Fatalf("sessiondate-desc: %+v", page.Bookings)
		}
	}
	f.call(3, "GET", "/v1/PhoneChat/MadeBookings?OrderBy=nickname-desc", nil, &page)
	if page.Bookings[0].BookUserNickname != "Phone11" || page.Bookings[4].BookUserNickname != "Phone10" {
		t.Fatalf("nickname-desc: %+v", page.Bookings)
	}
	if s := f.call(3, "GET", "/v1/PhoneChat/MadeBookings?OrderBy=createddate-desc", nil, nil); s != 400 || len(f.lastError.ModelState["OrderBy"]) == 0 {
		t.Fatalf("webcam's OrderBy: %d", s)
	}
	today := f.Clock.Now().In(testdb.London).AddDate(0, 0, 1).Format("2006-01-02")
	if f.call(3, "GET", "/v1/PhoneChat/MadeBookings?StartDate="+today, nil, &page); page.BookingsTotal != 0 {
		t.Fatalf("StartDate tomorrow: %+v", page)
	}
	var recv phoneBookingsView
	if s := f.call(10, "GET", "/v1/PhoneChat/ReceivedBookings", nil, &recv); s != 200 || recv.BookingsTotal != 3 {
		t.Fatalf("received: %d %+v", s, recv)
	}
	// The group manager (2) reads member 3's bookings; not member 4's (another group).
	if s := f.call(2, "GET", "/v1/Groups/PhoneChat/MadeBookings?UserID=3", nil, &page); s != 200 || page.BookingsTotal != 5 {
		t.Fatalf("GM MadeBookings: %d %+v", s, page)
	}
	id := fmt.Sprint(page.Bookings[0].BookingID)
	if s := f.call(2, "GET", "/v1/Groups/PhoneChat/MadeBookingDetails?UserID=3&BookingID="+id, nil, nil); s != 200 {
		t.Fatalf("GM details: %d", s)
	}
	if s := f.call(2, "GET", "/v1/Groups/PhoneChat/MadeBookings?UserID=4", nil, nil); s != 404 {
		t.Fatalf("GM for another group's member: %d", s)
	}
	if s := f.call(1, "GET", "/v1/PhoneChat/MadeBookingDetails?BookingID="+id, nil, nil); s != 404 {
		t.Fatalf("another client's booking: %d", s)
	}
}

// TestPhoneChatXML: every PhoneChat answer in XML, under its root element and the PhoneChat namespace.
func TestPhoneChatXML(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, true)
	phoneChatFixture(t, f)
	if _, err := f.St.AddCredits(context.Background(), 1, 10000, "Credits purchased", f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	b := createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
	id := obj{"BookingID": b.BookingID}
	ns := ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.PhoneChat">`
	for _, tc := range []struct {
		user           int64
		method, target string
		body           any
		root           string
	}{
		{1, "GET", "/v1/PhoneChat/GetUserBookingRequirements?BookUserID=10", nil, "PhoneChatRequirements"},
		{1, "POST", "/v1/PhoneChat/CreateBooking", phoneBooking(f, 10, nil), "PhoneChatBooking"},
		{1, "GET", "/v1/PhoneChat/MadeBookings", nil, "PhoneChatBookingsOutput"},
		{1, "GET", fmt.Sprintf("/v1/PhoneChat/MadeBookingDetails?BookingID=%d", b.BookingID), nil, "PhoneChatBooking"},
		{10, "GET", "/v1/PhoneChat/ReceivedBookings", nil, "PhoneChatBookingsOutput"},
		{10, "GET", fmt.Sprintf("/v1/PhoneChat/ReceivedBookingDetails?BookingID=%d", b.BookingID), nil, "PhoneChatBooking"},
		{10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, "PhoneChatBooking"},
		{1, "POST", "/v1/PhoneChat/ConfirmMadeBooking", id, "PhoneChatBooking"},
		{1, "POST", "/v1/PhoneChat/CancelMadeBooking", obj{"BookingID": b.BookingID, "Reason": "no"}, "PhoneChatBooking"},
		{1, "POST", "/v1/PhoneChat/DeleteMadeBookings", obj{"BookingIDs": fmt.Sprint(b.BookingID)}, "ArrayOfBookingDeleteOutput"},
		{10, "POST", "/v1/PhoneChat/DeleteReceivedBooking", obj{"BookingIDs": fmt.Sprint(b.BookingID)}, "ArrayOfBookingDeleteOutput"},
		{10, "POST", "/v1/PhoneChat/RejectReceivedBooking", obj{"BookingID": b.BookingID + 1, "Reason": "no"}, "PhoneChatBooking"},
		{10, "GET", "/v1/PhoneChat/GetSettings", nil, "PhoneChatSettings"},
		{10, "POST", "/v1/PhoneChat/SaveSettings", phoneSettingsBody(nil), "PhoneChatSettings"},
	} {
		body := ""
		if tc.body != nil {
			body = mustJSON(tc.body)
		}
		w := f.Do(tc.method, tc.target, body, "Authorization", "bearer "+f.userTokens[tc.user], "Accept", "application/xml")
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `<?xml version="1.0" encoding="utf-8"?><`+tc.root+ns) {
			t.Errorf("%s %s: %d %s", tc.method, tc.target, w.Code, w.Body)
		}
	}
	// The sandbox's RunSession, in XML too.
	b = createPhoneBooking(t, f, 1, phoneBooking(f, 10, nil))
	f.call(10, "POST", "/v1/PhoneChat/AcceptReceivedBooking", obj{"BookingID": b.BookingID, "Credits": "30.00"}, nil)
	f.call(1, "POST", "/v1/PhoneChat/ConfirmMadeBooking", obj{"BookingID": b.BookingID}, nil)
	w := f.Do("POST", "/v1/Sandbox/PhoneChat/RunSession", mustJSON(obj{"BookingID": b.BookingID}), f.WithKey("Accept", "application/xml")...)
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `<?xml version="1.0" encoding="utf-8"?><PhoneChatSessionOutput`+ns) ||
		!strings.Contains(w.Body.String(), "<Credits>30.00</Credits>") {
		t.Fatalf("XML RunSession: %d %s", w.Code, w.Body)
	}
}

// TestPhoneChatSandboxHelperOnlyInSandbox: production answers 404 for RunSession and leaves it out
// of its reference; a sandbox describes it under the Sandbox tag, and every PhoneChat method with its
// GM variant is in the OpenAPI document.
func TestPhoneChatSandboxHelperOnlyInSandbox(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		f := directCamFixture(t, testdbSQLite, sandbox)
		w := f.Do("POST", "/v1/Sandbox/PhoneChat/RunSession", `{"BookingID":1}`, f.WithKey()...)
		if sandbox && w.Code == 404 && strings.Contains(w.Body.String(), "no_such_method") || !sandbox && w.Code != 404 {
			t.Errorf("sandbox %v: RunSession = %d %s", sandbox, w.Code, w.Body)
		}
		doc, _ := reftest.OpenAPI(t, f.srv)
		if op := reftest.At(doc, "paths", "/v1/Sandbox/PhoneChat/RunSession"); (op != nil) != sandbox {
			t.Errorf("sandbox %v: RunSession described: %v", sandbox, op != nil)
		}
		for _, path := range []string{"GetUserBookingRequirements", "CreateBooking", "MadeBookings", "MadeBookingDetails", "CancelMadeBooking",
			"RescheduleMadeBooking", "AcceptReceivedBooking", "ReInvite", "DeleteReceivedBooking", "GetSettings", "SaveSettings",
			"ReceivedBookings", "ReceivedBookingDetails", "RejectReceivedBooking", "CancelReceivedBooking", "ConfirmMadeBooking", "DeleteMadeBookings"} {
			if reftest.At(doc, "paths", "/v1/PhoneChat/"+path) == nil {
				t.Errorf("/v1/PhoneChat/%s is not described", path)
			}
		}
		for _, path := range []string{"MadeBookings", "MadeBookingDetails", "GetSettings", "SaveSettings"} {
			if reftest.At(doc, "paths", "/v1/Groups/PhoneChat/"+path) == nil {
				t.Errorf("the GM variant of %s is not described", path)
			}
		}
		if sandbox {
			if err := f.srv.CheckSamples(); err != nil {
				t.Error(err)
			}
		}
	}
}
