package httpapi

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// An area's handlers need only its narrow stores, so they can be tested where a database adds
// nothing: here CreditHistory over an in-memory ledger, behind a gate that knows one token.

// fakeLedger is CreditHistory's store: awapi.CreditReader and awapi.MemberSettlement in memory. A
// settlement pays the member's pending session into the ledger, as the store pays ended sessions.
type fakeLedger struct {
	entries map[int64][]awapi.LedgerEntry
	pending map[int64]awapi.Credits
	settled []int64 // the members settled, in order
	reads   []string
}

func (l *fakeLedger) add(userID int64, amount awapi.Credits, description string, bookingID int64, at time.Time) {
	es := l.entries[userID]
	var balance awapi.Credits
	if len(es) > 0 {
		balance = es[len(es)-1].Balance
	}
	l.entries[userID] = append(es, awapi.LedgerEntry{EntryID: int64(len(es) + 1), UserID: userID, Amount: amount,
		Balance: balance + amount, Description: description, BookingID: bookingID, CreatedAt: at})
}

func (l *fakeLedger) SettleMemberBookings(_ context.Context, userID int64, now time.Time) (int, error) {
	l.settled = append(l.settled, userID)
	if p := l.pending[userID]; p != 0 {
		l.add(userID, p, "Webcam session", 42, now)
		delete(l.pending, userID)
		return 1, nil
	}
	return 0, nil
}

func (l *fakeLedger) CreditBalance(_ context.Context, userID int64) (awapi.Credits, error) {
	l.reads = append(l.reads, "balance")
	es, ok := l.entries[userID]
	if !ok {
		return 0, awapi.NotFound("The member")
	}
	return es[len(es)-1].Balance, nil
}

func (l *fakeLedger) CreditHistory(_ context.Context, userID int64, newestFirst bool, page awapi.Page) ([]awapi.LedgerEntry, int, error) {
	l.reads = append(l.reads, "history")
	es := slices.Clone(l.entries[userID])
	if newestFirst {
		slices.Reverse(es)
	}
	if page.Number == 0 { // the last page
		page.Number = max(1, awapi.PageCount(len(es), page.Size))
	}
	from := min(len(es), page.Offset())
	return es[from:min(len(es), from+page.Size)], len(es), nil
}

// fakeGate knows one token, of member 7 with the credits scope.
type fakeGate struct{ token string }

func (g fakeGate) AccessToken(_ context.Context, digest []byte, now time.Time) (awapi.AccessToken, awapi.Project, error) {
	if string(digest) != string(awapi.HashSecret(g.token)) {
		return awapi.AccessToken{}, awapi.Project{}, awapi.NotFound("The token")
	}
	return awapi.AccessToken{UserID: 7, ProjectID: 1, Scopes: awapi.ScopeSet{awapi.ScopeAccountCreditsHistory}, ExpiresAt: now.Add(time.Hour)},
		awapi.Project{ProjectID: 1}, nil
}

func (fakeGate) ProjectByAPIKey(context.Context, []byte) (awapi.Project, awapi.APISecret, error) {
	return awapi.Project{}, nil, awapi.NotFound("The project")
}

func (fakeGate) Member(context.Context, int64) (awapi.Member, error) {
	return awapi.Member{}, awapi.NotFound("The member")
}
func (fakeGate) ProjectOrigins(context.Context) ([]string, error) { return nil, nil }
func (fakeGate) Ping(context.Context) error                       { return nil }

// TestCreditHistoryOverAFakeStore serves the CreditHistory area alone over fakeLedger: a read settles
// the member's sessions before it reads, no PageNumber is the last page, and the ledger's booking
// shows as WebcamBookingID.
func TestCreditHistoryOverAFakeStore(t *testing.T) {
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	ledger := &fakeLedger{entries: map[int64][]awapi.LedgerEntry{}, pending: map[int64]awapi.Credits{7: 2500}}
	for i := range 4 {
		ledger.add(7, awapi.Credits(100*(i+1)), "Credits purchased", 0, start.Add(time.Duration(i)*time.Hour))
	}
	gate := fakeGate{token: "awt_fake"}
	srv := web.New(gate, web.Config{Clock: awapi.NewFakeClock(start.Add(24 * time.Hour))},
		(&creditHistoryArea{credits: ledger, settlement: ledger}).endpoints()...)
	get := func(target string) string {
		t.Helper()
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("Authorization", "bearer "+gate.token)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		return w.Body.String()
	}

	if got := get("/v1/CreditHistory/GetCurrentCreditBalance"); got != "35.00" {
		t.Errorf("balance = %s, want 35.00 (10.00 bought and the 25.00 session settled first)", got)
	}
	if !slices.Equal(ledger.settled, []int64{7}) || !slices.Equal(ledger.reads, []string{"balance"}) {
		t.Errorf("settled %v, reads %v: want member 7 settled before the balance is read", ledger.settled, ledger.reads)
	}

	var page struct {
		PageCount, PageNumber, PageSize int
		CreditHistory                   []struct {
			TransactionID   int64
			Credits         json.Number
			WebcamBookingID *int64
		}
	}
	if err := json.Unmarshal([]byte(get("/v1/CreditHistory/GetCreditsHistory?PageSize=2")), &page); err != nil {
		t.Fatal(err)
	}
	if page.PageCount != 3 || page.PageNumber != 3 || page.PageSize != 2 || len(page.CreditHistory) != 1 ||
		page.CreditHistory[0].TransactionID != 5 || page.CreditHistory[0].Credits != "25.00" ||
		page.CreditHistory[0].WebcamBookingID == nil || *page.CreditHistory[0].WebcamBookingID != 42 {
		t.Errorf("without PageNumber: %+v, want the last page (3 of 3) holding the settled session", page)
	}
	if err := json.Unmarshal([]byte(get("/v1/CreditHistory/GetCreditsHistory?PageSize=2&PageNumber=1&OrderBy=transactiondate-desc")), &page); err != nil {
		t.Fatal(err)
	}
	if page.PageNumber != 1 || len(page.CreditHistory) != 2 || page.CreditHistory[0].TransactionID != 5 ||
		page.CreditHistory[1].WebcamBookingID != nil {
		t.Errorf("newest first: %+v", page)
	}
	if !slices.Equal(ledger.settled, []int64{7, 7, 7}) {
		t.Errorf("settled %v: every read settles the member first", ledger.settled)
	}
}
