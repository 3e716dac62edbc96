package httpapi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

func TestGetCreditsHistoryPaging(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		// Seven purchases of 1.00, 2.00, … 7.00, an hour apart.
		for i := int64(1); i <= 7; i++ {
			f.Clock.Advance(time.Hour)
			if _, err := f.St.AddCredits(ctx, 1, awapi.Credits(i*100), "Credits purchased", f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			query      string
			pageNumber int
			credits    []awapi.Credits // Credits of the entries on the page, in order
			balances   []awapi.Credits
		}{
			{"PageSize=3", 3, []awapi.Credits{700}, []awapi.Credits{2800}},
			{"PageSize=3&PageNumber=", 3, []awapi.Credits{700}, []awapi.Credits{2800}},
			{"PageSize=3&PageNumber=1", 1, []awapi.Credits{100, 200, 300}, []awapi.Credits{100, 300, 600}},
			{"pagesize=3&pagenumber=2&orderby=transactiondate-desc", 2, []awapi.Credits{400, 300, 200}, []awapi.Credits{1000, 600, 300}},
			{"PageSize=3&OrderBy=TransactionDate-Desc", 3, []awapi.Credits{100}, []awapi.Credits{100}},
			{"PageSize=3&PageNumber=9", 9, []awapi.Credits{}, []awapi.Credits{}},
			{"", 1, []awapi.Credits{100, 200, 300, 400, 500, 600, 700}, []awapi.Credits{100, 300, 600, 1000, 1500, 2100, 2800}},
		}
		for _, tc := range tests {
			var h creditHistoryView
			if s := f.call(1, "GET", "/v1/CreditHistory/GetCreditsHistory?"+tc.query, nil, &h); s != 200 {
				t.Fatalf("%s: %d %+v", tc.query, s, f.lastError)
			}
			var credits, balances []awapi.Credits
			for _, e := range h.CreditHistory {
				credits, balances = append(credits, e.Credits), append(balances, e.Balance)
			}
			if h.PageNumber != tc.pageNumber || !slices.Equal(credits, tc.credits) || !slices.Equal(balances, tc.balances) {
				t.Errorf("%s: page %d credits %v balances %v; want page %d %v %v", tc.query, h.PageNumber, credits, balances, tc.pageNumber, tc.credits, tc.balances)
			}
		}
		for _, bad := range []struct{ query, field string }{
			{"PageSize=0", "PageSize"}, {"PageSize=101", "PageSize"}, {"PageNumber=0", "PageNumber"},
			{"PageNumber=x", "PageNumber"}, {"OrderBy=amount", "OrderBy"},
		} {
			if s := f.call(1, "GET", "/v1/CreditHistory/GetCreditsHistory?"+bad.query, nil, nil); s != 400 || len(f.lastError.ModelState[bad.field]) == 0 {
				t.Errorf("%s: %d %+v", bad.query, s, f.lastError)
			}
		}
		// A member with no history: an empty first page.
		var empty creditHistoryView
		if f.call(2, "GET", "/v1/CreditHistory/GetCreditsHistory", nil, &empty); empty.PageCount != 0 || empty.PageNumber != 1 || len(empty.CreditHistory) != 0 {
			t.Fatalf("empty history: %+v", empty)
		}
		w := f.Do("GET", "/v1/CreditHistory/GetCreditsHistory?PageSize=1", "", "Authorization", "bearer "+f.userTokens[1], "Accept", "application/xml")
		if w.Code != 200 || !strings.Contains(w.Body.String(), "<CreditHistory><CreditHistory><Balance>28.00</Balance><Credits>7.00</Credits>") ||
			!strings.Contains(w.Body.String(), `<WebcamBookingID i:nil="true"/>`) {
			t.Fatalf("XML: %d %s", w.Code, w.Body)
		}
		if w := f.Do("GET", "/v1/CreditHistory/GetCurrentCreditBalance", "", "Authorization", "bearer "+f.Mint(1, awapi.ScopeAccountWebcamBookings)); w.Code != 403 {
			t.Fatalf("without the scope: %d", w.Code)
		}
	})
}

// TestCreditReadsSettleOwnBookings: every balance or history read settles the reader's own due
// bookings, as client or as performer, and leaves other members' due bookings to their own reads.
func TestCreditReadsSettleOwnBookings(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		ctx := context.Background()
		for _, client := range []int64{1, 3} {
			if _, err := f.St.AddCredits(ctx, client, 10000, "Credits purchased", f.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		confirmed := func(client, performer int64) int64 {
			t.Helper()
			var b bookingView
			if s := f.call(client, "POST", "/v1/Webcam/CreateBooking", newBooking(f, fmt.Sprint(performer), nil), &b); s != 200 {
				t.Fatalf("create: %d %+v", s, f.lastError)
			}
			if s := f.call(performer, "POST", "/v1/Webcam/AcceptReceivedBooking", obj{"BookingID": b.WebcamBookingID, "Credits": "10.00"}, nil); s != 200 {
				t.Fatalf("accept: %d %+v", s, f.lastError)
			}
			if s := f.call(client, "POST", "/v1/Webcam/ConfirmMadeBooking", obj{"BookingID": b.WebcamBookingID}, nil); s != 200 {
				t.Fatalf("confirm: %d %+v", s, f.lastError)
			}
			return b.WebcamBookingID
		}
		settled := func(client, id int64) bool {
			t.Helper()
			b, err := f.St.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, client, id)
			if err != nil {
				t.Fatal(err)
			}
			return !b.SettledAt.IsZero()
		}
		reads := []string{
			"/v1/CreditHistory/GetCurrentCreditBalance",
			"/v1/CreditHistory/GetCreditsHistory",
			"/v1/Dashboard/GetDashboard?Options=4",
		}
		for i, read := range reads {
			// Client 1 books performer 10 (A) and client 3 books performer 11 (B); both sessions end.
			a, b := confirmed(1, 10), confirmed(3, 11)
			f.Clock.Advance(25 * time.Hour)
			if s := f.call(1, "GET", read, nil, nil); s != 200 {
				t.Fatalf("%s by client 1: %d %+v", read, s, f.lastError)
			}
			if !settled(1, a) || settled(3, b) {
				t.Fatalf("%s by client 1: A settled %v, B settled %v; want only A", read, settled(1, a), settled(3, b))
			}
			// Performer 11's read settles their own pay.
			if s := f.call(11, "GET", read, nil, nil); s != 200 {
				t.Fatalf("%s by performer 11: %d %+v", read, s, f.lastError)
			}
			if !settled(3, b) {
				t.Fatalf("%s by performer 11 left B unsettled", read)
			}
			for _, performer := range []int64{10, 11} {
				if bal, err := f.St.CreditBalance(ctx, performer); err != nil || bal != awapi.Credits(1000*(i+1)) {
					t.Fatalf("after %s: performer %d has %s, %v", read, performer, bal, err)
				}
			}
		}
	})
}
