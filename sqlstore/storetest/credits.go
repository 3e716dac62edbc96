package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Credit ledger conformance tests.

// ledgerConsistent checks, for every member given, that the balance is not negative and equals the
// sum of the member's ledger.
func ledgerConsistent(t *testing.T, st awapi.Store, userIDs ...int64) {
	t.Helper()
	for _, id := range userIDs {
		bal, err := st.CreditBalance(ctx, id)
		must(t, err)
		sum, err := st.LedgerSum(ctx, id)
		must(t, err)
		if bal != sum || bal < 0 {
			t.Fatalf("member %d: balance %s, ledger sum %s", id, bal, sum)
		}
	}
}

func wantBalance(t *testing.T, st awapi.Store, userID int64, want awapi.Credits) {
	t.Helper()
	bal, err := st.CreditBalance(ctx, userID)
	must(t, err)
	if bal != want {
		t.Fatalf("balance of %d = %s, want %s", userID, bal, want)
	}
}

func history(t *testing.T, st awapi.Store, userID int64, newestFirst bool, page awapi.Page) ([]awapi.LedgerEntry, int) {
	t.Helper()
	es, total, err := st.CreditHistory(ctx, userID, newestFirst, page)
	must(t, err)
	return es, total
}

func testCredits(t *testing.T, st awapi.Store) {
	must(t, st.InsertMembers(ctx, []awapi.Member{NewMember(1, "Alice"), NewMember(2, "Bob")}))
	// A member who never had credits has 0 and an empty ledger.
	wantBalance(t, st, 1, 0)
	if es, total := history(t, st, 1, false, awapi.Page{Number: 1, Size: 10}); len(es) != 0 || total != 0 {
		t.Fatalf("fresh history = %+v, %d", es, total)
	}
	ledgerConsistent(t, st, 1)

	e, err := st.AddCredits(ctx, 1, 1250, "Credits purchased", t0)
	must(t, err)
	if e.EntryID == 0 || e.UserID != 1 || e.Amount != 1250 || e.Balance != 1250 || e.Description != "Credits purchased" ||
		e.BookingID != 0 || !e.CreatedAt.Equal(t0) {
		t.Fatalf("AddCredits = %+v", e)
	}
	// An adjustment may take credits away, but never overdraw.
	e, err = st.AddCredits(ctx, 1, -250, "Adjustment", t0.Add(time.Minute))
	must(t, err)
	if e.Balance != 1000 || e.Amount != -250 {
		t.Fatalf("negative AddCredits = %+v", e)
	}
	_, err = st.AddCredits(ctx, 1, -1001, "Too much", t0.Add(2*time.Minute))
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	_, err = st.AddCredits(ctx, 2, -1, "Nothing there", t0)
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	_, err = st.AddCredits(ctx, 1, 0, "Nothing", t0)
	wantKind(t, err, awapi.KindInvalid)
	_, err = st.AddCredits(ctx, 99, 100, "Unknown member", t0)
	wantKind(t, err, awapi.KindNotFound)
	e, err = st.AddCredits(ctx, 1, -1000, "Everything", t0.Add(3*time.Minute))
	must(t, err)
	if e.Balance != 0 {
		t.Fatalf("draining AddCredits = %+v", e)
	}
	wantBalance(t, st, 1, 0)
	wantBalance(t, st, 2, 0)
	ledgerConsistent(t, st, 1, 2)

	// Seven entries in all; page through them both ways.
	for i := range 4 {
		_, err := st.AddCredits(ctx, 1, awapi.Credits(100*(i+1)), "Top-up", t0.Add(time.Duration(10+i)*time.Minute))
		must(t, err)
	}
	_, err = st.AddCredits(ctx, 2, 500, "Bob's", t0)
	must(t, err)
	amounts := func(es []awapi.LedgerEntry) []awapi.Credits {
		var out []awapi.Credits
		for _, e := range es {
			out = append(out, e.Amount)
		}
		return out
	}
	all, total := history(t, st, 1, false, awapi.Page{Number: 1, Size: 100})
	if total != 7 || !slices.Equal(amounts(all), []awapi.Credits{1250, -250, -1000, 100, 200, 300, 400}) {
		t.Fatalf("history = %v, total %d", amounts(all), total)
	}
	var running awapi.Credits
	for i, e := range all {
		running += e.Amount
		if e.Balance != running || e.UserID != 1 || (i > 0 && e.EntryID <= all[i-1].EntryID) {
			t.Fatalf("entry %d = %+v, running balance %s", i, e, running)
		}
	}
	tests := []struct {
		newest bool
		page   awapi.Page
		want   []awapi.Credits
	}{
		{false, awapi.Page{Number: 1, Size: 3}, []awapi.Credits{1250, -250, -1000}},
		{false, awapi.Page{Number: 3, Size: 3}, []awapi.Credits{400}},
		{false, awapi.Page{Number: 4, Size: 3}, nil},
		{true, awapi.Page{Number: 1, Size: 3}, []awapi.Credits{400, 300, 200}},
		{true, awapi.Page{Number: 2, Size: 3}, []awapi.Credits{100, -1000, -250}},
		{true, awapi.Page{Number: 3, Size: 3}, []awapi.Credits{1250}},
		// Number 0 is the last page (GetCreditsHistory without a PageNumber).
		{false, awapi.Page{Number: 0, Size: 3}, []awapi.Credits{400}},
		{true, awapi.Page{Number: 0, Size: 3}, []awapi.Credits{1250}},
		{false, awapi.Page{Number: 0, Size: 7}, []awapi.Credits{1250, -250, -1000, 100, 200, 300, 400}},
	}
	for _, tc := range tests {
		es, total := history(t, st, 1, tc.newest, tc.page)
		if total != 7 || !slices.Equal(amounts(es), tc.want) {
			t.Fatalf("newest=%v page %+v: %v total %d, want %v", tc.newest, tc.page, amounts(es), total, tc.want)
		}
	}
	wantBalance(t, st, 1, 1000)
	ledgerConsistent(t, st, 1, 2)
}
