package storetest

import (
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// DirectChat conformance tests (awapi/directchat.go): settings and IsDirectChat, PINs, and calls
// charged through the ledger.

// directChatSetup creates performers 20 and 21, and clients 1 and 2.
func directChatSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	c1, c2 := NewMember(1, "Caller1"), NewMember(2, "Caller2")
	c1.UserTypeID, c2.UserTypeID = awapi.UserTypeSeeking, awapi.UserTypeSeeking
	p20, p21 := NewMember(20, "Line20"), NewMember(21, "Line21")
	p20.IsPhoneChat, p21.IsPhoneChat = true, true
	must(t, st.InsertMembers(ctx, []awapi.Member{c1, c2, p20, p21}))
}

func chatSettings(userID int64) awapi.DirectChatSettings {
	return awapi.DirectChatSettings{UserID: userID, OfferDirectChat: true, PPM: 150, AvailableNow: true,
		AvailableFrom: 18 * 60, AvailableUntil: 2 * 60, MaxCallMinutes: 60, UpdatedAt: t0}
}

func testDirectChatSettings(t *testing.T, st awapi.Store) {
	directChatSetup(t, st)
	got, err := st.DirectChatSettings(ctx, 20)
	must(t, err)
	if got != (awapi.DirectChatSettings{UserID: 20}) {
		t.Fatalf("never saved: %+v", got)
	}
	_, err = st.DirectChatSettings(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.SaveDirectChatSettings(ctx, chatSettings(99))
	wantKind(t, err, awapi.KindNotFound)

	want := chatSettings(20)
	want.UpdatedAt = t0.Add(1234567 * time.Nanosecond) // stored to the microsecond
	saved, err := st.SaveDirectChatSettings(ctx, want)
	must(t, err)
	want.UpdatedAt = want.UpdatedAt.Truncate(time.Microsecond)
	if got, err = st.DirectChatSettings(ctx, 20); err != nil || got != want || saved != want {
		t.Fatalf("read back %+v (saved %+v), want %+v: %v", got, saved, want, err)
	}
	if !profileOf(t, st, 20).IsDirectChat || profileOf(t, st, 21).IsDirectChat {
		t.Fatal("IsDirectChat does not follow the settings")
	}
	// Saving replaces every field; settings that do not offer DirectChat switch it off and keep the rest.
	off := awapi.DirectChatSettings{UserID: 20, PPM: 99, AvailableFrom: 0, AvailableUntil: 1439, MaxCallMinutes: 5,
		UpdatedAt: t0.Add(time.Hour)}
	_, err = st.SaveDirectChatSettings(ctx, off)
	must(t, err)
	if got, _ = st.DirectChatSettings(ctx, 20); got != off {
		t.Fatalf("replaced: %+v, want %+v", got, off)
	}
	if profileOf(t, st, 20).IsDirectChat {
		t.Fatal("DirectChat still on when not offered")
	}
}

// allDay are settings whose line takes calls at any time, at 1.50 credits a minute, at most 60 minutes.
func allDay(userID int64) awapi.DirectChatSettings {
	s := chatSettings(userID)
	s.AvailableFrom, s.AvailableUntil = 0, 0
	return s
}

// draws hands out the given PINs in turn.
func draws(pins ...string) func() string {
	i := 0
	return func() string {
		p := pins[i%len(pins)]
		i++
		return p
	}
}

func createPIN(t *testing.T, st awapi.Store, client, performer int64, pin string) awapi.DirectChatPIN {
	t.Helper()
	p, created, err := awapi.CreateDirectChatPIN(ctx, st, client, performer, t0, draws(pin))
	must(t, err)
	if !created || p.PIN != pin {
		t.Fatalf("PIN %+v (created %v), want a new %s", p, created, pin)
	}
	return p
}

func listPINs(t *testing.T, st awapi.Store, client int64) []awapi.DirectChatPIN {
	t.Helper()
	ps, err := st.DirectChatPINs(ctx, client)
	must(t, err)
	return ps
}

func testDirectChatPINs(t *testing.T, st awapi.Store) {
	directChatSetup(t, st)
	_, err := st.SaveDirectChatSettings(ctx, allDay(20))
	must(t, err)
	off := allDay(21)
	off.OfferDirectChat = false
	_, err = st.SaveDirectChatSettings(ctx, off)
	must(t, err)

	p := createPIN(t, st, 1, 20, "111111")
	if p.PINID == 0 || p.ClientID != 1 || p.PerformerID != 20 || p.PerformerNickname != "Line20" || !p.CreatedAt.Equal(t0) ||
		p.NumberOfCalls != 0 || !p.LastCallDate.IsZero() || p.InProgress {
		t.Fatalf("created %+v", p)
	}
	// Asking again answers the PIN the client holds.
	again, created, err := awapi.CreateDirectChatPIN(ctx, st, 1, 20, t0.Add(time.Hour), draws("999999"))
	must(t, err)
	if created || again != p {
		t.Fatalf("again: %+v (created %v), want %+v", again, created, p)
	}
	// A live PIN is never drawn twice: the draw is repeated.
	if q, _, err := awapi.CreateDirectChatPIN(ctx, st, 2, 20, t0, draws("111111", "333333")); err != nil || q.PIN != "333333" {
		t.Fatalf("second client: %+v, %v", q, err)
	}
	_, _, err = awapi.CreateDirectChatPIN(ctx, st, 1, 21, t0, draws("444444"))
	wantCode(t, err, awapi.KindConflict, "directchat_not_offered")
	_, _, err = awapi.CreateDirectChatPIN(ctx, st, 1, 99, t0, draws("444444"))
	wantKind(t, err, awapi.KindNotFound)
	gone := NewMember(22, "Gone")
	gone.IsActive = false
	must(t, st.InsertMembers(ctx, []awapi.Member{gone}))
	_, err = st.SaveDirectChatSettings(ctx, allDay(22))
	must(t, err)
	_, _, err = awapi.CreateDirectChatPIN(ctx, st, 1, 22, t0, draws("444444"))
	wantKind(t, err, awapi.KindNotFound) // inactive
	_, _, err = awapi.CreateDirectChatPIN(ctx, st, 20, 20, t0, draws("444444"))
	wantKind(t, err, awapi.KindInvalid)
	if ps := listPINs(t, st, 1); len(ps) != 1 || ps[0] != p {
		t.Fatalf("client 1's PINs: %+v", ps)
	}

	allow := func(*awapi.DirectChatPIN) error { return nil }
	_, err = st.DeleteDirectChatPIN(ctx, 2, "111111", t0, allow)
	wantKind(t, err, awapi.KindNotFound) // another client's
	_, err = st.DeleteDirectChatPIN(ctx, 1, "111111", t0, func(*awapi.DirectChatPIN) error { return awapi.Conflict("no", "no") })
	wantCode(t, err, awapi.KindConflict, "no")
	deleted, err := st.DeleteDirectChatPIN(ctx, 1, "111111", t0.Add(time.Minute), allow)
	must(t, err)
	if deleted.PINID != p.PINID || !deleted.RemovedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("deleted %+v", deleted)
	}
	if ps := listPINs(t, st, 1); len(ps) != 0 {
		t.Fatalf("a deleted PIN is listed: %+v", ps)
	}
	_, err = st.DeleteDirectChatPIN(ctx, 1, "111111", t0, allow)
	wantKind(t, err, awapi.KindNotFound)
	// A removed PIN's digits are free again, and the client may get a new PIN for the performer.
	createPIN(t, st, 1, 20, "111111")
	if ps := listPINs(t, st, 2); len(ps) != 1 || ps[0].PIN != "333333" {
		t.Fatalf("client 2's PINs: %+v", ps)
	}
}

var utc = time.UTC

func start(l *awapi.DirectChatLine, at time.Time) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
	return l.StartCall(at, utc)
}

func testDirectChatCalls(t *testing.T, st awapi.Store) {
	directChatSetup(t, st)
	_, err := st.SaveDirectChatSettings(ctx, allDay(20))
	must(t, err)
	p := createPIN(t, st, 1, 20, "123456")
	call := func(at time.Time, decide func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error)) (awapi.DirectChatCall, []awapi.LedgerEntry, error) {
		return st.ChargeDirectChatCall(ctx, "123456", at, decide)
	}
	startAt := func(at time.Time) func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return start(l, at)
		}
	}
	endAt := func(at time.Time) func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return l.EndCall(at)
		}
	}
	placeAt := func(at time.Time, minutes int) func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return l.PlaceCall(minutes, at, utc)
		}
	}

	_, _, err = call(t0, startAt(t0))
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	_, _, err = st.ChargeDirectChatCall(ctx, "000000", t0, startAt(t0))
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.AddCredits(ctx, 1, 1000, "Credits purchased", t0)
	must(t, err)

	// Answered: the first minute is paid at once.
	c, entries, err := call(t0, startAt(t0))
	must(t, err)
	if c.CallID == 0 || c.PINID != p.PINID || c.PIN != "123456" || c.PPM != 150 || c.MaxMinutes != 60 || c.Minutes != 1 ||
		c.Credits != 150 || !c.InProgress() || !c.StartedAt.Equal(t0) || len(entries) != 2 || entries[0].Balance != 850 ||
		entries[1].UserID != 20 || entries[1].Amount != 150 {
		t.Fatalf("started %+v, entries %+v", c, entries)
	}
	if ps := listPINs(t, st, 1); ps[0].NumberOfCalls != 1 || !ps[0].LastCallDate.Equal(t0) || !ps[0].InProgress {
		t.Fatalf("PIN during the call: %+v", ps[0])
	}
	_, _, err = call(t0, startAt(t0.Add(time.Minute)))
	wantCode(t, err, awapi.KindConflict, "call_in_progress")
	_, _, err = call(t0, placeAt(t0.Add(time.Minute), 1))
	wantCode(t, err, awapi.KindConflict, "call_in_progress")
	_, err = st.DeleteDirectChatPIN(ctx, 1, "123456", t0, (*awapi.DirectChatPIN).CanDelete)
	wantCode(t, err, awapi.KindConflict, "call_in_progress")

	// Ended after 2m10s: three started minutes, two more paid.
	end := t0.Add(2*time.Minute + 10*time.Second)
	c, entries, err = call(end, endAt(end))
	must(t, err)
	if c.Minutes != 3 || c.Credits != 450 || c.Cut || !c.EndedAt.Equal(end) || len(entries) != 2 || entries[0].Amount != -300 {
		t.Fatalf("ended %+v, entries %+v", c, entries)
	}
	wantBalance(t, st, 1, 550)
	_, _, err = call(end, endAt(end))
	wantCode(t, err, awapi.KindConflict, "no_call_in_progress")

	// A placed call of 10 minutes: 5.50 pays for 3, so it is cut there.
	at := t0.Add(time.Hour)
	c, _, err = call(at, placeAt(at, 10))
	must(t, err)
	if c.Minutes != 3 || c.Credits != 450 || !c.Cut || !c.EndedAt.Equal(at) || !c.StartedAt.Equal(at.Add(-3*time.Minute)) {
		t.Fatalf("placed %+v", c)
	}
	wantBalance(t, st, 1, 100)
	_, _, err = call(at, placeAt(at, 1))
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")

	// The balance runs out during a call: it is cut at the end of its last paid minute.
	_, err = st.AddCredits(ctx, 1, 200, "Credits purchased", at) // 3.00
	must(t, err)
	at = t0.Add(2 * time.Hour)
	_, _, err = call(at, startAt(at)) // 1.50 left
	must(t, err)
	_, err = st.AddCredits(ctx, 1, -100, "Adjustment", at) // 0.50 left
	must(t, err)
	c, entries, err = call(at, endAt(at.Add(5*time.Minute)))
	must(t, err)
	if c.Minutes != 1 || c.Credits != 150 || !c.Cut || !c.EndedAt.Equal(at.Add(time.Minute)) || len(entries) != 0 {
		t.Fatalf("cut %+v, entries %+v", c, entries)
	}
	wantBalance(t, st, 1, 50)
	wantBalance(t, st, 20, 150+300+450+150)

	calls, err := st.DirectChatCalls(ctx, p.PINID)
	must(t, err)
	if len(calls) != 3 || calls[0].StartedAt != at || calls[0] != c {
		t.Fatalf("calls %+v", calls)
	}
	if ps := listPINs(t, st, 1); ps[0].NumberOfCalls != 3 || !ps[0].LastCallDate.Equal(at) || ps[0].InProgress {
		t.Fatalf("PIN after the calls: %+v", ps[0])
	}
	ledgerConsistent(t, st, 1, 20)
}

// testDirectChatCallRace: calls racing on one PIN, and on two PINs of one client, never overdraw.
func testDirectChatCallRace(t *testing.T, st awapi.Store) {
	directChatSetup(t, st)
	for _, id := range []int64{20, 21} {
		_, err := st.SaveDirectChatSettings(ctx, allDay(id))
		must(t, err)
	}
	createPIN(t, st, 1, 20, "200001")
	createPIN(t, st, 1, 21, "210001")
	_, err := st.AddCredits(ctx, 1, 1000, "Credits purchased", t0)
	must(t, err)

	// Ten calls of 4 minutes (6.00) on one PIN from 10.00: one is paid whole, one cut at 2 minutes
	// (3.00), the rest refused; 1.00 remains whatever the order.
	var paid [10]awapi.DirectChatCall
	errs := webcamRace(10, func(i int) error {
		c, _, err := st.ChargeDirectChatCall(ctx, "200001", t0, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return l.PlaceCall(4, t0, utc)
		})
		paid[i] = c
		return err
	})
	if won := wins(t, errs, "insufficient_credits"); won != 2 {
		t.Fatalf("%d calls paid from 10.00, want 2", won)
	}
	total := awapi.Credits(0)
	for _, c := range paid {
		total += c.Credits
	}
	if total != 900 {
		t.Fatalf("the calls paid %s, want 9.00", total)
	}
	wantBalance(t, st, 1, 100)
	ledgerConsistent(t, st, 1, 20)

	// Ten answers on one PIN: one call is in progress, the others find the line busy.
	_, err = st.AddCredits(ctx, 1, 1000, "Credits purchased", t0)
	must(t, err)
	errs = webcamRace(10, func(int) error {
		_, _, err := st.ChargeDirectChatCall(ctx, "200001", t0, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return start(l, t0)
		})
		return err
	})
	if won := wins(t, errs, "call_in_progress"); won != 1 {
		t.Fatalf("%d calls in progress on one PIN, want 1", won)
	}
	ledgerConsistent(t, st, 1, 20)

	// Calls on the client's two PINs share one balance (9.50 after the answer): ending the first
	// after 10 minutes and placing 10 minutes on the second race; together they never take more.
	errs = webcamRace(2, func(i int) error {
		pin := []string{"200001", "210001"}[i]
		_, _, err := st.ChargeDirectChatCall(ctx, pin, t0, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			if l.InProgress != nil {
				return l.EndCall(t0.Add(10 * time.Minute))
			}
			return l.PlaceCall(10, t0, utc)
		})
		return err
	})
	// The end always runs (it cuts what it cannot charge); the placed call is refused when the end
	// took the balance first. Either way 9.50 pays 6 minutes at 1.50 (9.00) and no more.
	if won := wins(t, errs, "insufficient_credits"); won < 1 || errs[0] != nil {
		t.Fatalf("steps: %v", errs)
	}
	wantBalance(t, st, 1, 50)
	ledgerConsistent(t, st, 1, 20, 21)

	// Ten ends of one call: one ends it, the others find no call in progress (on PostgreSQL, a step
	// that waited for the PIN's lock must see the call the winner ended).
	_, err = st.AddCredits(ctx, 1, 1000, "Credits purchased", t0)
	must(t, err)
	_, _, err = st.ChargeDirectChatCall(ctx, "200001", t0, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return start(l, t0)
	})
	must(t, err)
	errs = webcamRace(10, func(int) error {
		_, _, err := st.ChargeDirectChatCall(ctx, "200001", t0, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
			return l.EndCall(t0.Add(3 * time.Minute))
		})
		return err
	})
	if won := wins(t, errs, "no_call_in_progress"); won != 1 {
		t.Fatalf("%d ends of one call, want 1", won)
	}
	wantBalance(t, st, 1, 1050-450)
	ledgerConsistent(t, st, 1, 20, 21)
}
