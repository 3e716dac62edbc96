package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// webcamFixture adds webcam performers to the fixture: 10 and 11 (Skype and MSN, minimum 10 minutes),
// 12 (Yahoo only, minimum 30), 13 (Skype, no minimum set), 14 DirectChat Only, 15 not on webcam.
func webcamFixture(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	var ms []awapi.Member
	for id := int64(10); id <= 15; id++ {
		m := storetest.NewMember(id, fmt.Sprintf("Perf%d", id))
		m.IsWebcam = id != 15
		m.DirectChatOnly = id == 14
		ms = append(ms, m)
	}
	if err := f.St.InsertMembers(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if err := f.St.InsertWebcamSettings(ctx, []awapi.WebcamSettings{
		{UserID: 10, SoftwareTypeIDs: []int{1, 3}, MinimumDuration: 10},
		{UserID: 11, SoftwareTypeIDs: []int{1, 3}, MinimumDuration: 10},
		{UserID: 12, SoftwareTypeIDs: []int{2}, MinimumDuration: 30},
		{UserID: 13, SoftwareTypeIDs: []int{3}},
		{UserID: 14, SoftwareTypeIDs: []int{3}, MinimumDuration: 5},
	}); err != nil {
		t.Fatal(err)
	}
}

// call sends a bearer request for user with the webcam and credits scopes and decodes the JSON answer.
func (f *fixture) call(user int64, method, target string, body any, out any) int {
	f.T.Helper()
	tok := f.userTokens[user]
	if tok == "" {
		tok = f.Mint(user, awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountCreditsHistory)
		f.userTokens[user] = tok
	}
	return f.callWith(tok, method, target, body, out)
}

// callWith sends body as JSON with the bearer token tok, decodes a 200 answer into out and records
// any other answer's error in f.lastError.
func (f *fixture) callWith(tok, method, target string, body any, out any) int {
	f.T.Helper()
	var b string
	if body != nil {
		raw, _ := json.Marshal(body)
		b = string(raw)
	}
	w := f.Do(method, target, b, "Authorization", "bearer "+tok)
	if out != nil && w.Code == 200 {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			f.T.Fatalf("%s %s: %v %s", method, target, err, w.Body)
		}
	}
	if w.Code != 200 {
		f.lastError = apitest.ReadError(f.T, w)
	}
	return w.Code
}

type obj = map[string]any

// bookingView reads a WebcamBooking answer with its dates as the wire spells them: local time in the
// server's zone without an offset, which time.Time's JSON decoding refuses.
type bookingView struct {
	WebcamBooking
	CreateDate, SessionDate, AcceptBy string
	AcceptedDate                      *string
}

type bookingsView struct {
	WebcamBookingsOutput
	Bookings []bookingView
}

type creditHistoryView struct {
	CreditHistoryOutput
	CreditHistory []struct {
		CreditHistory
		TransactionDate string
	}
}

// local formats t as the wire does.
func (f *fixture) local(t time.Time) string {
	return t.In(testdb.London).Format("2006-01-02T15:04:05")
}

func sessionIn(f *fixture, d time.Duration) string {
	return f.Clock.Now().Add(d).In(testdb.London).Format("2006-01-02 15:04")
}

func newBooking(f *fixture, performers string, extra obj) obj {
	b := obj{"BookUserIDs": performers, "SessionDate": sessionIn(f, 24*time.Hour), "Duration": 20, "Credits": "25.00",
		"SoftwareTypeID": 3, "SignInNameOrEmail": "client.skype"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func TestGetUserBookingRequirements(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		var out UBROutput
		if s := f.call(1, "GET", "/v1/WebCam/GetUserBookingRequirements?BookUserIDs=12,14,15,10", nil, &out); s != 200 {
			t.Fatalf("status %d", s)
		}
		want := UBROutput{Users: []WebCamUser{
			{UserID: 12, MinimumDuration: 30, SoftwareTypeIDs: []SoftwareType{{1, false}, {2, true}, {3, false}}},
			{UserID: 10, MinimumDuration: 10, SoftwareTypeIDs: []SoftwareType{{1, true}, {2, false}, {3, true}}},
		}}
		if got, _ := json.Marshal(out); string(got) != mustJSON(want) {
			t.Fatalf("got %s\nwant %s", got, mustJSON(want))
		}
		// Duplicates count once, so five copies of one ID are within the limit of four.
		if s := f.call(1, "GET", "/v1/webcam/getuserbookingrequirements?bookuserids=13,13,13,13,13", nil, &out); s != 200 ||
			len(out.Users) != 1 || out.Users[0].MinimumDuration != awapi.WebcamMinimumDuration {
			t.Fatalf("duplicates: %d %+v", s, out)
		}
		for _, bad := range []string{"", "1,2,3,4,5", "10,x", "0", "10,,11"} {
			if s := f.call(1, "GET", "/v1/WebCam/GetUserBookingRequirements?BookUserIDs="+url.QueryEscape(bad), nil, nil); s != 400 ||
				len(f.lastError.ModelState["BookUserIDs"]) == 0 {
				t.Errorf("BookUserIDs=%q: %d %+v", bad, s, f.lastError)
			}
		}
		w := f.Do("GET", "/v1/WebCam/GetUserBookingRequirements?BookUserIDs=10", "", "Authorization", "bearer "+f.userTokens[1], "Accept", "application/xml")
		wantXML := `<?xml version="1.0" encoding="utf-8"?><UBROutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Webcam.UserBookingRequirements">` +
			`<Users><WebCamUser><MinimumDuration>10</MinimumDuration><SoftwareTypeIDs>` +
			`<SoftwareType><Available>true</Available><SoftwareTypeID>1</SoftwareTypeID></SoftwareType>` +
			`<SoftwareType><Available>false</Available><SoftwareTypeID>2</SoftwareTypeID></SoftwareType>` +
			`<SoftwareType><Available>true</Available><SoftwareTypeID>3</SoftwareTypeID></SoftwareType>` +
			`</SoftwareTypeIDs><UserID>10</UserID></WebCamUser></Users></UBROutput>`
		if w.Body.String() != wantXML {
			t.Fatalf("XML\n got %s\nwant %s", w.Body, wantXML)
		}
		if w := f.Do("GET", "/v1/WebCam/GetUserBookingRequirements?BookUserIDs=10", "", f.Bearer("noscope")...); w.Code != 403 {
			t.Fatalf("without the scope: %d", w.Code)
		}
	})
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestCreateWebcamBookingRules(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	webcamFixture(t, f)
	tests := []struct {
		name   string
		body   obj
		status int
		field  string // ModelState member (400) or Code (409)
	}{
		{"past session", newBooking(f, "10", obj{"SessionDate": sessionIn(f, -time.Hour)}), 400, "SessionDate"},
		{"more than 3 months ahead", newBooking(f, "10", obj{"SessionDate": sessionIn(f, 24*time.Hour*95)}), 400, "SessionDate"},
		{"MSN needs an email", newBooking(f, "10", obj{"SoftwareTypeID": 1, "SignInNameOrEmail": "not-an-email"}), 400, "SignInNameOrEmail"},
		{"phone chat needs a number", newBooking(f, "10", obj{"AlsoPhoneChat": true}), 400, "PhoneNumber"},
		{"bad phone number", newBooking(f, "10", obj{"AlsoPhoneChat": true, "PhoneNumber": "12ab"}), 400, "PhoneNumber"},
		{"below the minimum", newBooking(f, "10,11", obj{"Duration": 5}), 400, "Duration"},
		{"five performers", newBooking(f, "10,11,12,13,1", nil), 400, "BookUserIDs"},
		{"yourself", newBooking(f, "10,1", nil), 400, "BookUserIDs"},
		{"unknown software", newBooking(f, "10", obj{"SoftwareTypeID": 4}), 400, "SoftwareTypeID"},
		{"zero offer", newBooking(f, "10", obj{"Credits": 0}), 400, "Credits"},
		{"missing fields", obj{}, 400, "SessionDate"},
		{"DirectChat Only", newBooking(f, "10,14", nil), 409, "performer_not_available"},
		{"not on webcam", newBooking(f, "15", nil), 409, "performer_not_available"},
		{"unknown member", newBooking(f, "999", nil), 409, "performer_not_available"},
		{"software not offered", newBooking(f, "10,12", nil), 409, "software_not_offered"},
		{"SMS without a verified mobile", newBooking(f, "10", obj{"SendSMSOnAccept": true}), 409, "mobile_not_verified"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := f.call(1, "POST", "/v1/Webcam/CreateBooking", tc.body, nil)
			if s != tc.status {
				t.Fatalf("status %d, want %d (%+v)", s, tc.status, f.lastError)
			}
			if tc.status == 400 && len(f.lastError.ModelState[tc.field]) == 0 || tc.status == 409 && f.lastError.Code != tc.field {
				t.Fatalf("error %+v, want %s", f.lastError, tc.field)
			}
		})
	}
	var b bookingView
	if s := f.call(1, "POST", "/v1/Webcam/CreateBooking", newBooking(f, "10,11,13", obj{"AlsoPhoneChat": true, "PhoneNumber": "+447700900123"}), &b); s != 200 {
		t.Fatalf("create: %d %+v", s, f.lastError)
	}
	if b.Status != "Pending" || !b.IsMulitple || b.Credits != 2500 || len(b.BookedUsers) != 3 || b.BookedUsers[2].Nickname != "Perf13" ||
		b.PhoneNumber == nil || b.AcceptBy != f.local(f.Clock.Now().Add(24*time.Hour).Truncate(time.Minute)) || b.AcceptedDate != nil {
		t.Fatalf("created %+v", b)
	}
}

// TestWebcamLifecycle walks one booking through every documented step, checking money at each.
func TestWebcamLifecycle(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		ctx := context.Background()
		var b bookingView
		if s := f.call(1, "POST", "/v1/Webcam/CreateBooking", newBooking(f, "10,11", nil), &b); s != 200 {
			t.Fatalf("create: %d %+v", s, f.lastError)
		}
		id := fmt.Sprint(b.WebcamBookingID)
		// Visibility: each invited performer sees it, nobody else does.
		var page bookingsView
		if s := f.call(10, "GET", "/v1/Webcam/ReceivedBookings", nil, &page); s != 200 || page.BookingsTotal != 1 ||
			*page.Bookings[0].ClientNickname != "Client" || page.Bookings[0].Status != "Pending" {
			t.Fatalf("performer 10 list: %d %+v", s, page)
		}
		for _, u := range []int64{12, 3} {
			if s := f.call(u, "GET", "/v1/Webcam/ReceivedBookingDetails?BookingID="+id, nil, nil); s != 404 {
				t.Fatalf("uninvited %d sees the booking: %d", u, s)
			}
			if s := f.call(u, "GET", "/v1/Webcam/MadeBookingDetails?BookingID="+id, nil, nil); s != 404 {
				t.Fatalf("member %d sees another's booking: %d", u, s)
			}
		}
		// Performer 11 accepts at a higher price; performer 10's invitation is cancelled.
		if s := f.call(11, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": "30.00"}, &b); s != 200 ||
			b.Status != "Accepted" || b.Credits != 3000 || b.OfferedCredits != 2500 || b.AcceptedDate == nil || *b.AcceptedDate != f.local(f.Clock.Now()) {
			t.Fatalf("accept: %d %+v %+v", s, b, f.lastError)
		}
		var seen bookingView
		f.call(10, "GET", "/v1/Webcam/ReceivedBookingDetails?BookingID="+id, nil, &seen)
		if seen.Status != "Cancelled" {
			t.Fatalf("the other performer sees %s", seen.Status)
		}
		if s := f.call(10, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": 20}, nil); s != 409 {
			t.Fatalf("second acceptance: %d", s)
		}
		// Confirming needs the credits.
		if s := f.call(1, "POST", "/v1/Webcam/ConfirmMadeBooking", obj{"BookingID": b.WebcamBookingID}, nil); s != 409 || f.lastError.Code != "insufficient_credits" {
			t.Fatalf("confirm without credits: %d %+v", s, f.lastError)
		}
		if _, err := f.St.AddCredits(ctx, 1, 5000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if s := f.call(1, "POST", "/v1/Webcam/ConfirmMadeBooking", obj{"BookingID": b.WebcamBookingID}, &b); s != 200 || b.Status != "Confirmed" {
			t.Fatalf("confirm: %d %+v", s, f.lastError)
		}
		if s := f.call(1, "POST", "/v1/Webcam/ConfirmMadeBooking", obj{"BookingID": b.WebcamBookingID}, nil); s != 409 || f.lastError.Code != "booking_not_accepted" {
			t.Fatalf("second confirm: %d %+v", s, f.lastError)
		}
		wantBalance(t, f, 1, "20.00")
		wantBalance(t, f, 11, "0.00")
		// When the session is over the performer is paid, exactly once.
		f.Clock.Advance(24*time.Hour + 21*time.Minute)
		wantBalance(t, f, 11, "30.00")
		wantBalance(t, f, 11, "30.00")
		wantBalance(t, f, 1, "20.00")
		// The client's history: purchase, then the reservation.
		var hist creditHistoryView
		if s := f.call(1, "GET", "/v1/CreditHistory/GetCreditsHistory", nil, &hist); s != 200 || len(hist.CreditHistory) != 2 ||
			hist.CreditHistory[0].Credits != 5000 || hist.CreditHistory[1].Credits != -3000 || hist.CreditHistory[1].Balance != 2000 ||
			*hist.CreditHistory[1].WebcamBookingID != b.WebcamBookingID {
			t.Fatalf("history: %d %+v", s, hist)
		}
		// Delete: finished bookings go; the list no longer shows it.
		var del []BookingDeleteOutput
		if s := f.call(1, "POST", "/v1/Webcam/DeleteMadeBookings", obj{"BookingIDs": id + ",999999"}, &del); s != 200 ||
			len(del) != 2 || !del[0].Deleted || del[1].Deleted || del[1].Message == "" {
			t.Fatalf("delete: %d %+v", s, del)
		}
		if s := f.call(1, "GET", "/v1/Webcam/MadeBookingDetails?BookingID="+id, nil, nil); s != 404 {
			t.Fatalf("deleted booking still visible: %d", s)
		}
	})
}

func wantBalance(t *testing.T, f *fixture, user int64, want string) {
	t.Helper()
	tok := f.userTokens[user]
	if tok == "" {
		f.call(user, "GET", "/v1/CreditHistory/GetCurrentCreditBalance", nil, nil)
		tok = f.userTokens[user]
	}
	for _, fm := range apitest.Formats {
		w := f.Do("GET", "/v1/CreditHistory/GetCurrentCreditBalance", "", "Authorization", "bearer "+tok, "Accept", fm.Accept)
		body := w.Body.String()
		if fm.Name == "xml" {
			body = strings.TrimSuffix(strings.TrimPrefix(body, `<?xml version="1.0" encoding="utf-8"?><decimal xmlns="http://schemas.microsoft.com/2003/10/Serialization/">`), "</decimal>")
		}
		if w.Code != 200 || body != want {
			t.Fatalf("balance of %d (%s) = %d %s, want %s", user, fm.Name, w.Code, w.Body, want)
		}
	}
}

// TestWebcamPreconditions covers expiry, rejection, cancellation and rescheduling.
func TestWebcamPreconditions(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		ctx := context.Background()
		if _, err := f.St.AddCredits(ctx, 1, 10000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		create := func(performers string) (bookingView, string) {
			var b bookingView
			if s := f.call(1, "POST", "/v1/Webcam/CreateBooking", newBooking(f, performers, obj{"SessionDate": sessionIn(f, 72*time.Hour)}), &b); s != 200 {
				t.Fatalf("create: %d %+v", s, f.lastError)
			}
			return b, fmt.Sprint(b.WebcamBookingID)
		}
		// Expiry: 48 hours without an answer and the invitation lapses, on every read and write.
		b, id := create("10,11")
		f.Clock.Advance(48*time.Hour + time.Minute)
		var got bookingView
		f.call(1, "GET", "/v1/Webcam/MadeBookingDetails?BookingID="+id, nil, &got)
		if got.Status != "Rejected" || got.Reason == nil || *got.Reason != awapi.ExpiredReason {
			t.Fatalf("lapsed booking shows %+v", got)
		}
		if s := f.call(10, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": 25}, nil); s != 409 || f.lastError.Code != "accept_by_passed" {
			t.Fatalf("accepting a lapsed invitation: %d %+v", s, f.lastError)
		}
		if s := f.call(1, "POST", "/v1/Webcam/CancelMadeBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "x"}, nil); s != 409 || f.lastError.Code != "booking_rejected" {
			t.Fatalf("cancelling a lapsed booking: %d %+v", s, f.lastError)
		}
		// Rescheduling copies it to start in five minutes.
		var again bookingView
		if s := f.call(1, "POST", "/v1/Webcam/RescheduleMadeBooking", obj{"BookingID": b.WebcamBookingID}, &again); s != 200 ||
			again.Status != "Pending" || again.SessionDate != f.local(f.Clock.Now().Add(5*time.Minute)) || *again.RescheduledFrom != b.WebcamBookingID || len(again.BookedUsers) != 2 {
			t.Fatalf("reschedule: %d %+v %+v", s, again, f.lastError)
		}
		if s := f.call(1, "POST", "/v1/Webcam/RescheduleMadeBooking", obj{"BookingID": again.WebcamBookingID}, nil); s != 409 || f.lastError.Code != "session_not_started" {
			t.Fatalf("rescheduling a live booking: %d %+v", s, f.lastError)
		}
		// Both performers reject: the booking is Rejected.
		b, id = create("10,11")
		for _, p := range []int64{10, 11} {
			if s := f.call(p, "POST", "/v1/Webcam/RejectReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "busy"}, nil); s != 200 {
				t.Fatalf("reject by %d: %d %+v", p, s, f.lastError)
			}
		}
		f.call(1, "GET", "/v1/Webcam/MadeBookingDetails?BookingID="+id, nil, &got)
		if got.Status != "Rejected" {
			t.Fatalf("after both rejected: %s", got.Status)
		}
		if s := f.call(10, "POST", "/v1/Webcam/RejectReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "x"}, nil); s != 409 {
			t.Fatalf("second rejection: %d", s)
		}
		// Performer cancels an accepted booking; then the client cannot cancel it again.
		b, _ = create("10")
		f.call(10, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": 25}, nil)
		if s := f.call(10, "POST", "/v1/Webcam/CancelReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "ill"}, &got); s != 200 || got.Status != "Cancelled" {
			t.Fatalf("performer cancel: %d %+v", s, f.lastError)
		}
		if s := f.call(1, "POST", "/v1/Webcam/CancelMadeBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "x"}, nil); s != 409 || f.lastError.Code != "booking_cancelled" {
			t.Fatalf("cancel twice: %d %+v", s, f.lastError)
		}
		// Client cancels a confirmed booking before its session: refunded in full.
		b, _ = create("11")
		f.call(11, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": "40.50"}, nil)
		f.call(1, "POST", "/v1/Webcam/ConfirmMadeBooking", obj{"BookingID": b.WebcamBookingID}, nil)
		wantBalance(t, f, 1, "59.50")
		if s := f.call(1, "POST", "/v1/Webcam/CancelMadeBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "changed my mind"}, &got); s != 200 || got.Status != "Cancelled" {
			t.Fatalf("client cancel: %d %+v", s, f.lastError)
		}
		wantBalance(t, f, 1, "100.00")
		if s := f.call(11, "POST", "/v1/Webcam/CancelReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Reason": "x"}, nil); s != 409 || f.lastError.Code != "booking_not_accepted" {
			t.Fatalf("performer cancel of a cancelled booking: %d %+v", s, f.lastError)
		}
		// Missing reason is a 400 naming it.
		if s := f.call(1, "POST", "/v1/Webcam/CancelMadeBooking", obj{"BookingID": b.WebcamBookingID}, nil); s != 400 || len(f.lastError.ModelState["Reason"]) == 0 {
			t.Fatalf("no reason: %d %+v", s, f.lastError)
		}
		// Pending bookings cannot be deleted.
		b, id = create("10")
		var del []BookingDeleteOutput
		if f.call(1, "POST", "/v1/Webcam/DeleteMadeBookings", obj{"BookingIDs": id}, &del); len(del) != 1 || del[0].Deleted || !strings.Contains(del[0].Message, "Pending") {
			t.Fatalf("deleting a pending booking: %+v", del)
		}
	})
}

// TestWebcamListsAndGroupManager pages, orders and filters, and reads through the GM variant.
func TestWebcamListsAndGroupManager(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	webcamFixture(t, f)
	for i := range 5 {
		f.Clock.Advance(time.Hour)
		if s := f.call(3, "POST", "/v1/Webcam/CreateBooking", newBooking(f, fmt.Sprint(10+i%2), nil), nil); s != 200 {
			t.Fatalf("create %d: %d %+v", i, s, f.lastError)
		}
	}
	var page bookingsView
	if s := f.call(3, "GET", "/v1/Webcam/MadeBookings?BookingsPerPage=2&PageNumber=3", nil, &page); s != 200 ||
		page.PageCount != 3 || page.BookingsTotal != 5 || len(page.Bookings) != 1 {
		t.Fatalf("paging: %d %+v", s, page)
	}
	f.call(3, "GET", "/v1/Webcam/MadeBookings?OrderBy=createddate-asc", nil, &page)
	if page.Bookings[0].CreateDate >= page.Bookings[4].CreateDate {
		t.Fatalf("createddate-asc: %+v", page.Bookings)
	}
	f.call(3, "GET", "/v1/Webcam/MadeBookings?OrderBy=nickname-desc", nil, &page)
	if page.Bookings[0].BookedUsers[0].Nickname != "Perf11" || page.Bookings[4].BookedUsers[0].Nickname != "Perf10" {
		t.Fatalf("nickname-desc: %+v", page.Bookings)
	}
	today := f.Clock.Now().In(testdb.London).AddDate(0, 0, 1).Format("2006-01-02")
	if f.call(3, "GET", "/v1/Webcam/MadeBookings?StartDate="+today, nil, &page); page.BookingsTotal != 0 {
		t.Fatalf("StartDate tomorrow: %+v", page)
	}
	if s := f.call(3, "GET", "/v1/Webcam/MadeBookings?OrderBy=price", nil, nil); s != 400 || len(f.lastError.ModelState["OrderBy"]) == 0 {
		t.Fatalf("bad OrderBy: %d", s)
	}
	// The group manager (2) reads member 3's bookings; not member 4's (another group).
	if s := f.call(2, "GET", "/v1/Groups/Webcam/MadeBookings?UserID=3", nil, &page); s != 200 || page.BookingsTotal != 5 {
		t.Fatalf("GM MadeBookings: %d %+v", s, page)
	}
	id := fmt.Sprint(page.Bookings[0].WebcamBookingID)
	if s := f.call(2, "GET", "/v1/Groups/Webcam/MadeBookingDetails?UserID=3&BookingID="+id, nil, nil); s != 200 {
		t.Fatalf("GM details: %d", s)
	}
	if s := f.call(2, "GET", "/v1/Groups/Webcam/MadeBookings?UserID=4", nil, nil); s != 404 {
		t.Fatalf("GM for another group's member: %d", s)
	}
}
