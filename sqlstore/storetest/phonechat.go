package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// PhoneChat conformance tests: the settings and the member facts they write, and phone-chat bookings
// on the shared engine (the transitions webcam's tests prove are not repeated; what phone chat adds
// is: its own service, ReInvite, details that change, rescheduling with enough credits, MarkRun, and
// the races on one performer's booking).

// phoneChatSetup creates client 1 "Client" (no phone), client 2 "Other", phone-chat performers 10
// "Zed" (settings saved: PPM 1.50, a number, Skype) and 11 "amy" (no settings), and 12 "Max", who
// is not a phone-chat performer.
func phoneChatSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	ms := []awapi.Member{NewMember(1, "Client"), NewMember(2, "Other")}
	for _, p := range []struct {
		id    int64
		nick  string
		phone bool
	}{{10, "Zed", true}, {11, "amy", true}, {12, "Max", false}} {
		m := NewMember(p.id, p.nick)
		m.IsPhoneChat = p.phone
		ms = append(ms, m)
	}
	must(t, st.InsertMembers(ctx, ms))
	_, _, err := savePhoneChat(st, awapi.PhoneChatSettings{UserID: 10, PhoneChatNumber: "+447700900999",
		PhoneChatPPM: 150, OfferSkype: true, UpdatedAt: t0}, nil)
	must(t, err)
}

// savePhoneChat saves s as SaveSettings does, with the DirectChat block dc (nil: not offered).
func savePhoneChat(st awapi.Store, s awapi.PhoneChatSettings, dc *awapi.DirectChatSettings) (awapi.PhoneChatSettings, awapi.DirectChatSettings, error) {
	in := awapi.PhoneChatSettingsInput{OfferDirectChat: dc != nil, DirectChat: dc}
	return st.SavePhoneChatSettings(ctx, s, func(current awapi.DirectChatSettings) awapi.DirectChatSettings {
		return in.DirectChatSettings(current, s.UpdatedAt)
	})
}

// phoneChat is the booking engine for phone-chat bookings, as the handlers use it.
func phoneChat(st awapi.Store) awapi.Bookings {
	return awapi.Bookings{Store: st, Service: awapi.ServicePhoneChat}
}

// createPhoneChat books performer for client through the domain's creation rules: a Skype session at
// c+72h for 30 minutes, offering 45.00 credits, to be accepted by c+48h.
func createPhoneChat(t *testing.T, st awapi.Store, client, performer int64, created time.Time) awapi.Booking {
	t.Helper()
	p, err := st.PhoneChatPerformer(ctx, performer)
	must(t, err)
	r := awapi.PhoneChatRequest{ClientID: client, BookUserID: performer, SessionDate: created.Add(72 * time.Hour), Duration: 30,
		Method: awapi.MethodSkype, SkypeName: "client.skype", Credits: 4500, AcceptBy: created.Add(48 * time.Hour), Comments: "Hi"}
	b, err := r.Booking(&p, created)
	must(t, err)
	got, err := st.CreateBooking(ctx, b, 0)
	must(t, err)
	return got
}

func testPhoneChatSettings(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	_, err := st.PhoneChatSettings(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)
	_, _, err = savePhoneChat(st, awapi.PhoneChatSettings{UserID: 99, PhoneChatPPM: 100, UpdatedAt: t0}, nil)
	wantKind(t, err, awapi.KindNotFound)

	// A member who never saved settings has the zero settings.
	got, err := st.PhoneChatSettings(ctx, 11)
	must(t, err)
	if got != (awapi.PhoneChatSettings{UserID: 11}) || got.Saved() {
		t.Fatalf("unsaved settings %+v", got)
	}

	// Saving writes the settings, the DirectChat block and, in the same transaction, the member facts
	// profiles read.
	saved := awapi.PhoneChatSettings{UserID: 12, PhoneChatNumber: "+447700900111", ShowPhoneChatNumber: true,
		PhoneChatPPM: 275, OfferSkype: true, AvailableUntil: t0.Add(2 * time.Hour), UpdatedAt: t0.Add(time.Second)}
	block := awapi.DirectChatSettings{PPM: 120, AvailableNow: true, AvailableFrom: 18 * 60, AvailableUntil: 2 * 60, MaxCallMinutes: 30}
	out, dc, err := savePhoneChat(st, saved, &block)
	must(t, err)
	got, err = st.PhoneChatSettings(ctx, 12)
	must(t, err)
	if got != saved || out != saved {
		t.Fatalf("settings %+v, saved %+v, answered %+v", got, saved, out)
	}
	wantBlock := block
	wantBlock.UserID, wantBlock.OfferDirectChat, wantBlock.UpdatedAt = 12, true, saved.UpdatedAt
	if stored, err := st.DirectChatSettings(ctx, 12); err != nil || stored != wantBlock || dc != wantBlock {
		t.Fatalf("DirectChat settings %+v (answered %+v), want %+v (%v)", stored, dc, wantBlock, err)
	}
	m, err := st.Member(ctx, 12)
	must(t, err)
	if !m.IsPhoneChat || !m.IsDirectChat || !m.PhoneChatAvailableUntil.Equal(saved.AvailableUntil) || !m.ShowsPhoneChatNumber {
		t.Fatalf("member facts after saving %+v", m)
	}
	p, err := st.PhoneChatPerformer(ctx, 12)
	must(t, err)
	if !p.Bookable() || p.Nickname != "Max" || p.Settings != saved {
		t.Fatalf("performer %+v", p)
	}

	// Saving again without the block replaces everything, switches DirectChat off and keeps its fields.
	replaced := awapi.PhoneChatSettings{UserID: 12, PhoneChatPPM: 100, UpdatedAt: t0.Add(time.Minute)}
	_, _, err = savePhoneChat(st, replaced, nil)
	must(t, err)
	got, err = st.PhoneChatSettings(ctx, 12)
	must(t, err)
	m, err = st.Member(ctx, 12)
	must(t, err)
	if got != replaced || m.IsDirectChat || !m.PhoneChatAvailableUntil.IsZero() || m.ShowsPhoneChatNumber || !m.IsPhoneChat {
		t.Fatalf("replaced settings %+v, member %+v", got, m)
	}
	wantBlock.OfferDirectChat, wantBlock.UpdatedAt = false, replaced.UpdatedAt
	if stored, err := st.DirectChatSettings(ctx, 12); err != nil || stored != wantBlock {
		t.Fatalf("DirectChat settings switched off %+v, want %+v (%v)", stored, wantBlock, err)
	}

	// Search finds members by the facts the settings wrote.
	_, _, err = savePhoneChat(st, awapi.PhoneChatSettings{UserID: 11, PhoneChatPPM: 100, AvailableUntil: t0.Add(time.Hour), UpdatedAt: t0}, nil)
	must(t, err)
	hits, total, err := st.SearchProfiles(ctx, awapi.ProfileQuery{AvailableNowPhoneChat: true, Order: awapi.OrderLastUpdated, Now: t0, Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	if total != 1 || hits[0].UserID != 11 {
		t.Fatalf("available now: %d hits %+v", total, hits)
	}
	hits, total, err = st.SearchProfiles(ctx, awapi.ProfileQuery{AvailableNowPhoneChat: true, Order: awapi.OrderLastUpdated, Now: t0.Add(time.Hour), Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	if total != 0 {
		t.Fatalf("available an hour later: %d hits %+v", total, hits)
	}
}

func testInsertPhoneChatSettings(t *testing.T, st awapi.Store) {
	var ms []awapi.Member
	for id := int64(20); id < 25; id++ {
		ms = append(ms, NewMember(id, "P"+itoa(id)))
	}
	must(t, st.InsertMembers(ctx, ms))
	ss := []awapi.PhoneChatSettings{
		{UserID: 20, PhoneChatPPM: 100, UpdatedAt: t0},
		{UserID: 21, PhoneChatNumber: "+447700900121", ShowPhoneChatNumber: true, PhoneChatPPM: 200, UpdatedAt: t0},
		{UserID: 22, PhoneChatNumber: "+447700900122", PhoneChatPPM: 300, AvailableUntil: t0.Add(time.Hour), UpdatedAt: t0},
	}
	must(t, st.InsertPhoneChatSettings(ctx, ss))
	for _, s := range ss {
		got, err := st.PhoneChatSettings(ctx, s.UserID)
		must(t, err)
		m, err := st.Member(ctx, s.UserID)
		must(t, err)
		if got != s || !m.IsPhoneChat || m.ShowsPhoneChatNumber != s.ShowsNumber() ||
			!m.PhoneChatAvailableUntil.Equal(s.AvailableUntil) {
			t.Errorf("member %d: settings %+v, facts %+v", s.UserID, got, m)
		}
	}
	if m, err := st.Member(ctx, 23); err != nil || m.IsPhoneChat {
		t.Errorf("a member without settings became phone chat: %+v %v", m, err)
	}
}

// testPhoneChatLifecycle: create, accept at another price, confirm (one ledger row), the sandbox
// runs the session (the performer is paid once), delete on both sides; phone-chat bookings are
// invisible as webcam bookings and the other way round.
func testPhoneChatLifecycle(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	b := createPhoneChat(t, st, 1, 10, t0)
	if b.Service != awapi.ServicePhoneChat || b.Details.SkypeName != "client.skype" || b.Details.Comments != "Hi" ||
		!b.AcceptBy.Equal(t0.Add(48*time.Hour)) || len(b.Invitations) != 1 || b.Invitations[0].Nickname != "Zed" {
		t.Fatalf("created %+v", b)
	}
	_, err = st.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, 1, b.BookingID)
	wantKind(t, err, awapi.KindNotFound)
	if bs, total, err := st.Bookings(ctx, awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, Page: awapi.Page{Number: 1, Size: 10}}); err != nil || total != 0 || len(bs) != 0 {
		t.Fatalf("webcam list of a phone-chat client: %d %v", total, err)
	}
	if bs, total, err := st.Bookings(ctx, awapi.BookingQuery{Service: awapi.ServicePhoneChat, Side: awapi.PerformerSide, UserID: 10,
		Page: awapi.Page{Number: 1, Size: 10}}); err != nil || total != 1 || bs[0].BookingID != b.BookingID {
		t.Fatalf("received list: %d %v", total, err)
	}
	_, err = phoneChat(st).Accept(ctx, 10, b.BookingID, 5000, now)
	must(t, err)
	_, err = phoneChat(st).Confirm(ctx, 1, b.BookingID, now)
	must(t, err)
	wantBalance(t, st, 1, 5000)
	got, err := phoneChat(st).MarkRun(ctx, b.BookingID, now.Add(time.Minute))
	must(t, err)
	if got.Reserved != 0 || got.SettledAt.IsZero() {
		t.Fatalf("ran %+v", got)
	}
	wantBalance(t, st, 10, 5000)
	_, err = phoneChat(st).MarkRun(ctx, b.BookingID, now.Add(2*time.Minute))
	if awapi.ErrorCode(err) != "booking_settled" {
		t.Fatalf("second run: %v", err)
	}
	if n, err := settlement(st).SettleAll(ctx, b.SessionEnd()); err != nil || n != 0 {
		t.Fatalf("settled %d after the session ran (%v)", n, err)
	}
	_, err = phoneChat(st).CancelMade(ctx, 1, b.BookingID, "too late", now.Add(3*time.Minute))
	if awapi.ErrorCode(err) != "session_date_passed" {
		t.Fatalf("cancelling a session that ran: %v", err)
	}
	wantBalance(t, st, 1, 5000)
	wantBalance(t, st, 10, 5000)
	for _, side := range []struct {
		side awapi.BookingSide
		user int64
	}{{awapi.ClientSide, 1}, {awapi.PerformerSide, 10}} {
		res, err := phoneChat(st).Delete(ctx, side.side, side.user, []int64{b.BookingID}, now)
		must(t, err)
		if !res[0].Deleted {
			t.Fatalf("delete %+v", res)
		}
	}
	// A webcam booking's ID is not a phone-chat booking.
	_, err = phoneChat(st).MarkRun(ctx, b.BookingID+1000, now)
	wantKind(t, err, awapi.KindNotFound)
	ledgerConsistent(t, st, 1, 10)
}

// testPhoneChatReInviteAndReschedule: the performer re-invites a lapsed booking (stored, with its
// details), the client reschedules it into a session 5–10 minutes ahead only with the credits to
// cover the offer.
func testPhoneChatReInviteAndReschedule(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	b := createPhoneChat(t, st, 1, 10, t0)
	before := b.SessionDate.Add(-time.Minute)
	_, err := phoneChat(st).ReInvite(ctx, 10, b.BookingID, "Sorry", before)
	if awapi.ErrorCode(err) != "session_not_started" {
		t.Fatalf("re-invite before the session: %v", err)
	}
	_, err = phoneChat(st).Reschedule(ctx, 1, b.BookingID, before, awapi.PhoneChatRescheduleLead(before))
	if awapi.ErrorCode(err) != "session_not_started" {
		t.Fatalf("reschedule before the session: %v", err)
	}
	after := b.SessionDate.Add(time.Minute)
	_, err = phoneChat(st).ReInvite(ctx, 11, b.BookingID, "Sorry", after)
	wantKind(t, err, awapi.KindNotFound)
	_, err = phoneChat(st).ReInvite(ctx, 10, b.BookingID, "Sorry", after)
	must(t, err)
	got, err := st.Booking(ctx, awapi.ServicePhoneChat, awapi.ClientSide, 1, b.BookingID)
	must(t, err)
	if got.Status != awapi.StatusRejected || got.Reason != "Sorry" || !got.Details.ReInvited || got.Details.SkypeName != "client.skype" {
		t.Fatalf("re-invited booking as stored %+v", got)
	}
	_, err = phoneChat(st).ReInvite(ctx, 10, b.BookingID, "Again", after)
	if awapi.ErrorCode(err) != "booking_not_pending" {
		t.Fatalf("second re-invite: %v", err)
	}

	// The client has no credits: rescheduling needs the offer covered.
	_, err = phoneChat(st).Reschedule(ctx, 1, b.BookingID, after, awapi.PhoneChatRescheduleLead(after))
	if awapi.ErrorCode(err) != "insufficient_credits" {
		t.Fatalf("reschedule without credits: %v", err)
	}
	_, err = st.AddCredits(ctx, 1, 4500, "Credits purchased", after)
	must(t, err)
	nb, err := phoneChat(st).Reschedule(ctx, 1, b.BookingID, after, awapi.PhoneChatRescheduleLead(after))
	must(t, err)
	lead := nb.SessionDate.Sub(after)
	if nb.RescheduledFrom != b.BookingID || nb.Status != awapi.StatusPending || nb.Details.ReInvited ||
		nb.Details.SkypeName != "client.skype" || lead < 5*time.Minute || lead > 10*time.Minute || !nb.AcceptBy.Equal(nb.SessionDate) ||
		len(nb.Invitations) != 1 || nb.Invitations[0].PerformerID != 10 || nb.Credits != 4500 {
		t.Fatalf("rescheduled %+v (lead %s)", nb, lead)
	}
	wantBalance(t, st, 1, 4500) // rescheduling checks the balance; it charges nothing
	ledgerConsistent(t, st, 1, 10)
}

// testPhoneChatAcceptRace: the booked performer accepts many times at once while another performer
// tries too: one acceptance, the other performer never finds the booking.
func testPhoneChatAcceptRace(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	b := createPhoneChat(t, st, 1, 10, t0)
	now := t0.Add(time.Hour)
	errs := webcamRace(20, func(i int) error {
		_, err := phoneChat(st).Accept(ctx, []int64{10, 11}[i%2], b.BookingID, awapi.Credits(4000+i), now)
		if i%2 == 1 {
			if awapi.ErrorKind(err) != awapi.KindNotFound {
				t.Errorf("an uninvited performer's acceptance: %v", err)
			}
			return nil
		}
		return err
	})
	if n := wins(t, errs, "booking_not_pending", "invitation_not_pending") - 10; n != 1 {
		t.Fatalf("%d acceptances won, want 1", n)
	}
	got, err := st.Booking(ctx, awapi.ServicePhoneChat, awapi.ClientSide, 1, b.BookingID)
	must(t, err)
	if got.Status != awapi.StatusAccepted || got.AcceptedBy != 10 || got.Invitations[0].Status != awapi.StatusAccepted {
		t.Fatalf("accepted %+v", got)
	}
	ledgerConsistent(t, st, 1, 10, 11)
}

// testPhoneChatConfirmCancelRace: the client's confirmations race the performer's cancellation and
// the client's own: each round ends Confirmed (charged once) or Cancelled (with every reserved credit
// back), and the ledger equals every balance.
func testPhoneChatConfirmCancelRace(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	now := t0.Add(time.Hour)
	const price = awapi.Credits(4500)
	_, err := st.AddCredits(ctx, 1, 20*price, "Credits purchased", now)
	must(t, err)
	for round := range 6 {
		b := createPhoneChat(t, st, 1, 10, t0)
		_, err := phoneChat(st).Accept(ctx, 10, b.BookingID, price, now)
		must(t, err)
		before, err := st.CreditBalance(ctx, 1)
		must(t, err)
		var (
			mu                   sync.Mutex
			confirms, cancels    int
			performerCancelsRace = round%2 == 0
		)
		errs := webcamRace(20, func(i int) error {
			var err error
			switch {
			case i%2 == 0:
				_, err = phoneChat(st).Confirm(ctx, 1, b.BookingID, now)
			case performerCancelsRace:
				_, err = phoneChat(st).CancelReceived(ctx, 10, b.BookingID, "race", now)
			default:
				_, err = phoneChat(st).CancelMade(ctx, 1, b.BookingID, "race", now)
			}
			if err == nil {
				mu.Lock()
				if i%2 == 0 {
					confirms++
				} else {
					cancels++
				}
				mu.Unlock()
			}
			return err
		})
		wins(t, errs, "booking_not_accepted", "booking_cancelled")
		got, err := st.Booking(ctx, awapi.ServicePhoneChat, awapi.ClientSide, 1, b.BookingID)
		must(t, err)
		after, err := st.CreditBalance(ctx, 1)
		must(t, err)
		switch {
		case confirms > 1 || cancels > 1:
			t.Fatalf("round %d: %d confirmations and %d cancellations won", round, confirms, cancels)
		case got.Status == awapi.StatusConfirmed:
			// Confirmed, and no cancellation won (a performer cannot cancel a confirmed booking; a
			// client's cancellation after the confirmation would have made it Cancelled).
			if confirms != 1 || cancels != 0 || got.Reserved != price || after != before-price {
				t.Fatalf("round %d: confirmed %+v, balance %v -> %v", round, got, before, after)
			}
		case got.Status == awapi.StatusCancelled:
			// Cancelled, and whatever a confirmation reserved was refunded.
			if cancels != 1 || got.Reserved != 0 || after != before {
				t.Fatalf("round %d: cancelled %+v (confirms %d), balance %v -> %v", round, got, confirms, before, after)
			}
			if performerCancelsRace && confirms != 0 {
				t.Fatalf("round %d: the performer cancelled a confirmed booking", round)
			}
		default:
			t.Fatalf("round %d: booking left %s", round, got.Status)
		}
		ledgerConsistent(t, st, 1, 10)
	}
}

// testPhoneChatRunSettleRace: the sandbox's RunSession racing settlers pays the performer once.
func testPhoneChatRunSettleRace(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	b := createPhoneChat(t, st, 1, 10, t0)
	_, err = phoneChat(st).Accept(ctx, 10, b.BookingID, 4500, now)
	must(t, err)
	_, err = phoneChat(st).Confirm(ctx, 1, b.BookingID, now)
	must(t, err)
	var (
		mu   sync.Mutex
		paid int
	)
	errs := webcamRace(20, func(i int) error {
		var (
			n   int
			err error
		)
		if i%2 == 0 {
			_, err = phoneChat(st).MarkRun(ctx, b.BookingID, b.SessionEnd())
			if err == nil {
				n = 1
			}
		} else {
			n, err = settlement(st).SettleAll(ctx, b.SessionEnd())
		}
		mu.Lock()
		paid += n
		mu.Unlock()
		return err
	})
	wins(t, errs, "booking_settled")
	if paid != 1 {
		t.Fatalf("paid %d times, want 1", paid)
	}
	wantBalance(t, st, 10, 4500)
	wantBalance(t, st, 1, 5500)
	ledgerConsistent(t, st, 1, 10)
}

// testPhoneChatRunCancelRace: the sandbox's RunSession races the client's cancellation of a confirmed
// booking before its session: either the performer is paid (and the cancellation refused) or the
// client is refunded (and the run refused), never both; the ledger equals every balance.
func testPhoneChatRunCancelRace(t *testing.T, st awapi.Store) {
	phoneChatSetup(t, st)
	now := t0.Add(time.Hour)
	const price = awapi.Credits(4500)
	_, err := st.AddCredits(ctx, 1, 10*price, "Credits purchased", now)
	must(t, err)
	paidTotal := awapi.Credits(0)
	for round := range 6 {
		b := createPhoneChat(t, st, 1, 10, t0)
		_, err := phoneChat(st).Accept(ctx, 10, b.BookingID, price, now)
		must(t, err)
		_, err = phoneChat(st).Confirm(ctx, 1, b.BookingID, now)
		must(t, err)
		var (
			mu          sync.Mutex
			runs, drops int
		)
		errs := webcamRace(20, func(i int) error {
			var err error
			if i%2 == 0 {
				_, err = phoneChat(st).MarkRun(ctx, b.BookingID, now)
			} else {
				_, err = phoneChat(st).CancelMade(ctx, 1, b.BookingID, "race", now)
			}
			if err == nil {
				mu.Lock()
				if i%2 == 0 {
					runs++
				} else {
					drops++
				}
				mu.Unlock()
			}
			return err
		})
		wins(t, errs, "booking_settled", "booking_not_confirmed", "booking_cancelled", "session_date_passed")
		got, err := st.Booking(ctx, awapi.ServicePhoneChat, awapi.ClientSide, 1, b.BookingID)
		must(t, err)
		switch {
		case runs+drops != 1:
			t.Fatalf("round %d: %d runs and %d cancellations won", round, runs, drops)
		case runs == 1 && (got.Status != awapi.StatusConfirmed || got.SettledAt.IsZero()):
			t.Fatalf("round %d: ran, booking %+v", round, got)
		case drops == 1 && (got.Status != awapi.StatusCancelled || !got.SettledAt.IsZero() || got.Reserved != 0):
			t.Fatalf("round %d: cancelled, booking %+v", round, got)
		}
		if runs == 1 {
			paidTotal += price
		}
		wantBalance(t, st, 10, paidTotal)
		wantBalance(t, st, 1, 10*price-paidTotal)
		ledgerConsistent(t, st, 1, 10)
	}
}
