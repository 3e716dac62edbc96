package storetest

import (
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Webcam booking conformance tests.

// webcamSetup creates clients 1 "Client" (verified mobile) and 2 "Other", and webcam performers
// 10 "Zed", 11 "amy", 12 "Max" and 13 "bea" (13 without webcam settings).
func webcamSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	client := NewMember(1, "Client")
	client.MobileNumber, client.MobileVerified = "+447700900123", true
	ms := []awapi.Member{client, NewMember(2, "Other")}
	for _, p := range []struct {
		id   int64
		nick string
	}{{10, "Zed"}, {11, "amy"}, {12, "Max"}, {13, "bea"}} {
		m := NewMember(p.id, p.nick)
		m.IsWebcam = true
		ms = append(ms, m)
	}
	must(t, st.InsertMembers(ctx, ms))
	must(t, st.InsertWebcamSettings(ctx, []awapi.WebcamSettings{
		{UserID: 10, SoftwareTypeIDs: []int{awapi.SoftwareMSN, awapi.SoftwareSkype}, MinimumDuration: 10},
		{UserID: 11, SoftwareTypeIDs: []int{awapi.SoftwareSkype}, MinimumDuration: 5},
		{UserID: 12, SoftwareTypeIDs: []int{awapi.SoftwareYahoo}},
	}))
}

// Every booking of these tests is created at a moment c, for a session at c+72h (AcceptBy c+48h) of 30
// minutes, offering 25.00 credits.
const (
	webcamLead     = 72 * time.Hour
	webcamAcceptBy = 48 * time.Hour
	webcamDuration = 30
	webcamOffer    = awapi.Credits(2500)
)

// webcam is the booking engine for webcam bookings, as the handlers use it.
func webcam(st awapi.Store) awapi.Bookings {
	return awapi.Bookings{Store: st, Service: awapi.ServiceWebcam}
}

// settlement pays for ended sessions, as serve and every balance read do.
func settlement(st awapi.Store) awapi.Settlement { return awapi.Settlement{Store: st} }

func newWebcamBooking(client int64, created time.Time, performers ...int64) awapi.Booking {
	session := created.Add(webcamLead)
	b := awapi.Booking{Service: awapi.ServiceWebcam, ClientID: client, SessionDate: session, Duration: webcamDuration,
		Credits: webcamOffer, Status: awapi.StatusPending, CreatedAt: created, AcceptBy: awapi.AcceptByFor(created, session),
		Details: awapi.BookingDetails{SoftwareTypeID: awapi.SoftwareSkype, SignInNameOrEmail: "client.skype"}}
	for _, p := range performers {
		b.Invitations = append(b.Invitations, awapi.Invitation{PerformerID: p})
	}
	return b
}

func createWebcam(t *testing.T, st awapi.Store, b awapi.Booking) awapi.Booking {
	t.Helper()
	got, err := st.CreateBooking(ctx, b, 0)
	must(t, err)
	return got
}

func clientView(t *testing.T, st awapi.Store, clientID, bookingID int64) awapi.Booking {
	t.Helper()
	b, err := st.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, clientID, bookingID)
	must(t, err)
	return b
}

func invitationStatuses(b awapi.Booking) map[int64]awapi.BookingStatus {
	out := map[int64]awapi.BookingStatus{}
	for _, inv := range b.Invitations {
		out[inv.PerformerID] = inv.Status
	}
	return out
}

func wantStatus(t *testing.T, b awapi.Booking, status awapi.BookingStatus, invitations map[int64]awapi.BookingStatus) {
	t.Helper()
	got := invitationStatuses(b)
	if b.Status != status || len(got) != len(invitations) {
		t.Fatalf("booking %d is %s with invitations %v, want %s with %v", b.BookingID, b.Status, got, status, invitations)
	}
	for id, s := range invitations {
		if got[id] != s {
			t.Fatalf("booking %d is %s with invitations %v, want %s with %v", b.BookingID, b.Status, got, status, invitations)
		}
	}
}

func ledgerEntries(t *testing.T, st awapi.Store, userID int64) []awapi.LedgerEntry {
	t.Helper()
	es, _ := history(t, st, userID, false, awapi.Page{Number: 1, Size: 100})
	return es
}

// webcamRace runs fn n times at once, released together by a barrier, and returns each call's error.
func webcamRace(n int, fn func(i int) error) []error {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// wins counts the successes among errs and fails the test on any error but a conflict with one of codes.
func wins(t *testing.T, errs []error, codes ...string) int {
	t.Helper()
	n := 0
	for _, err := range errs {
		switch {
		case err == nil:
			n++
		case awapi.ErrorKind(err) == awapi.KindConflict && slices.Contains(codes, awapi.ErrorCode(err)):
		default:
			t.Errorf("unexpected error: %v (code %s)", err, awapi.ErrorCode(err))
		}
	}
	return n
}

func testWebcamPerformers(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	ps, err := st.WebcamPerformers(ctx, []int64{13, 10, 999, 12})
	must(t, err)
	slices.SortFunc(ps, func(a, b awapi.WebcamPerformer) int { return int(a.UserID - b.UserID) })
	if len(ps) != 3 || ps[0].UserID != 10 || ps[0].Nickname != "Zed" || !ps[0].IsActive || !ps[0].IsWebcam ||
		ps[0].DirectChatOnly || !slices.Equal(ps[0].SoftwareTypeIDs, []int{1, 3}) || ps[0].MinimumDuration != 10 {
		t.Fatalf("WebcamPerformers = %+v", ps)
	}
	if !slices.Equal(ps[1].SoftwareTypeIDs, []int{2}) || ps[1].MinimumDuration != 0 {
		t.Fatalf("performer 12 = %+v", ps[1])
	}
	if ps[2].UserID != 13 || len(ps[2].SoftwareTypeIDs) != 0 || ps[2].MinimumDuration != 0 || ps[2].Offers(awapi.SoftwareSkype) {
		t.Fatalf("performer without settings = %+v", ps[2])
	}
	if ps, err := st.WebcamPerformers(ctx, nil); err != nil || len(ps) != 0 {
		t.Fatalf("WebcamPerformers(nil) = %+v, %v", ps, err)
	}
	if ok, err := st.MobileVerified(ctx, 1); err != nil || !ok {
		t.Fatalf("MobileVerified(1) = %v, %v", ok, err)
	}
	if ok, err := st.MobileVerified(ctx, 2); err != nil || ok {
		t.Fatalf("MobileVerified(2) = %v, %v", ok, err)
	}
	_, err = st.MobileVerified(ctx, 999)
	wantKind(t, err, awapi.KindNotFound)
}

func testWebcamCreateAndRead(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	in := newWebcamBooking(1, t0, 11, 10, 11) // a performer listed twice is invited once
	in.Details.AlsoPhoneChat, in.Details.PhoneNumber, in.Details.SendSMSOnAccept, in.Details.SoftwareTypeID = true, "+447700900123", true, awapi.SoftwareMSN
	b := createWebcam(t, st, in)
	if b.BookingID == 0 || b.ClientID != 1 || b.ClientNickname != "Client" || !b.SessionDate.Equal(t0.Add(webcamLead)) ||
		b.Duration != webcamDuration || b.Credits != webcamOffer || b.AcceptedCredits != 0 || b.Status != awapi.StatusPending ||
		b.Details.SoftwareTypeID != awapi.SoftwareMSN || b.Details.SignInNameOrEmail != "client.skype" || !b.Details.AlsoPhoneChat ||
		b.Details.PhoneNumber != "+447700900123" || !b.Details.SendSMSOnAccept || !b.CreatedAt.Equal(t0) ||
		!b.AcceptBy.Equal(t0.Add(webcamAcceptBy)) || !b.AcceptedAt.IsZero() || b.AcceptedBy != 0 ||
		!b.ConfirmedAt.IsZero() || !b.CancelledAt.IsZero() || b.Reason != "" || b.Reserved != 0 || !b.SettledAt.IsZero() ||
		b.RescheduledFrom != 0 || b.ClientDeleted {
		t.Fatalf("created %+v", b)
	}
	// Invitations keep the order the client listed the performers in.
	if len(b.Invitations) != 2 || b.Invitations[0].PerformerID != 11 || b.Invitations[0].Nickname != "amy" ||
		b.Invitations[1].PerformerID != 10 || b.Invitations[1].Nickname != "Zed" || !b.IsMultiple() {
		t.Fatalf("invitations %+v", b.Invitations)
	}
	for _, inv := range b.Invitations {
		if inv.Status != awapi.StatusPending || inv.Reason != "" || !inv.DecidedAt.IsZero() || inv.PerformerDeleted {
			t.Fatalf("invitation %+v", inv)
		}
	}
	for _, v := range []struct {
		side awapi.BookingSide
		user int64
	}{{awapi.ClientSide, 1}, {awapi.PerformerSide, 10}, {awapi.PerformerSide, 11}} {
		got, err := st.Booking(ctx, awapi.ServiceWebcam, v.side, v.user, b.BookingID)
		must(t, err)
		if got.BookingID != b.BookingID || got.ClientNickname != "Client" || len(got.Invitations) != 2 || !got.AcceptBy.Equal(b.AcceptBy) {
			t.Fatalf("side %d user %d reads %+v", v.side, v.user, got)
		}
	}
	// Another client, an uninvited performer, a performer asking as a client, an unknown booking.
	for _, v := range []struct {
		side     awapi.BookingSide
		user, id int64
	}{{awapi.ClientSide, 2, b.BookingID}, {awapi.PerformerSide, 12, b.BookingID}, {awapi.PerformerSide, 1, b.BookingID},
		{awapi.ClientSide, 10, b.BookingID}, {awapi.ClientSide, 1, b.BookingID + 100}} {
		_, err := st.Booking(ctx, awapi.ServiceWebcam, v.side, v.user, v.id)
		wantKind(t, err, awapi.KindNotFound)
	}
	// Unknown performers are refused.
	_, err := st.CreateBooking(ctx, newWebcamBooking(1, t0, 999), 0)
	wantKind(t, err, awapi.KindNotFound)
}

func testWebcamAccept(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11, 12))
	now := t0.Add(time.Hour)
	// An uninvited performer may not even see it.
	_, err := webcam(st).Accept(ctx, 13, b.BookingID, 3000, now)
	wantKind(t, err, awapi.KindNotFound)
	_, err = webcam(st).Accept(ctx, 10, b.BookingID+100, 3000, now)
	wantKind(t, err, awapi.KindNotFound)
	_, err = webcam(st).Accept(ctx, 10, b.BookingID, -1, now)
	wantKind(t, err, awapi.KindInvalid)
	// Performer 12 rejects; performer 11 accepts at a higher price.
	_, err = webcam(st).Reject(ctx, 12, b.BookingID, "busy", now)
	must(t, err)
	got, err := webcam(st).Accept(ctx, 11, b.BookingID, 3000, now)
	must(t, err)
	wantStatus(t, got, awapi.StatusAccepted, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled, 11: awapi.StatusAccepted, 12: awapi.StatusRejected})
	if got.AcceptedBy != 11 || got.AcceptedCredits != 3000 || got.Credits != webcamOffer || !got.AcceptedAt.Equal(now) {
		t.Fatalf("accepted %+v", got)
	}
	for _, inv := range got.Invitations {
		switch inv.PerformerID {
		case 10:
			if inv.Reason != "Another performer accepted the booking" || !inv.DecidedAt.Equal(now) {
				t.Fatalf("cancelled invitation %+v", inv)
			}
		case 11:
			if !inv.DecidedAt.Equal(now) {
				t.Fatalf("accepted invitation %+v", inv)
			}
		case 12:
			if inv.Reason != "busy" {
				t.Fatalf("rejected invitation %+v", inv)
			}
		}
	}
	if again := clientView(t, st, 1, b.BookingID); again.Status != awapi.StatusAccepted || again.AcceptedBy != 11 {
		t.Fatalf("client reads %+v", again)
	}
	// Nobody can accept it again.
	for _, p := range []int64{10, 11, 12} {
		_, err = webcam(st).Accept(ctx, p, b.BookingID, 2500, now)
		wantCode(t, err, awapi.KindConflict, "booking_not_pending")
	}
	// A rejected invitation of a booking still Pending.
	b2 := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Reject(ctx, 10, b2.BookingID, "no", now)
	must(t, err)
	_, err = webcam(st).Accept(ctx, 10, b2.BookingID, 2500, now)
	wantCode(t, err, awapi.KindConflict, "invitation_not_pending")
	// AcceptBy is exclusive.
	_, err = webcam(st).Accept(ctx, 11, b2.BookingID, 2500, b2.AcceptBy)
	wantCode(t, err, awapi.KindConflict, "accept_by_passed")
	// A booking whose AcceptBy is after its session (stored as given) still cannot be accepted once the session began.
	odd := newWebcamBooking(1, t0, 10)
	odd.AcceptBy = odd.SessionDate.Add(time.Hour)
	b3 := createWebcam(t, st, odd)
	_, err = webcam(st).Accept(ctx, 10, b3.BookingID, 2500, b3.SessionDate)
	wantCode(t, err, awapi.KindConflict, "session_date_passed")
	// Nothing changed on the failed attempts.
	wantStatus(t, clientView(t, st, 1, b2.BookingID), awapi.StatusPending, map[int64]awapi.BookingStatus{10: awapi.StatusRejected, 11: awapi.StatusPending})
	wantStatus(t, clientView(t, st, 1, b3.BookingID), awapi.StatusPending, map[int64]awapi.BookingStatus{10: awapi.StatusPending})
}

func testWebcamReject(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	now := t0.Add(time.Hour)
	_, err := webcam(st).Reject(ctx, 12, b.BookingID, "x", now)
	wantKind(t, err, awapi.KindNotFound)
	got, err := webcam(st).Reject(ctx, 10, b.BookingID, "busy", now)
	must(t, err)
	wantStatus(t, got, awapi.StatusPending, map[int64]awapi.BookingStatus{10: awapi.StatusRejected, 11: awapi.StatusPending})
	if inv, _ := got.Invitation(10); inv.Reason != "busy" || !inv.DecidedAt.Equal(now) || got.Reason != "" {
		t.Fatalf("after one rejection: %+v", got)
	}
	_, err = webcam(st).Reject(ctx, 10, b.BookingID, "again", now)
	wantCode(t, err, awapi.KindConflict, "invitation_not_pending")
	// The last open invitation rejected rejects the booking.
	got, err = webcam(st).Reject(ctx, 11, b.BookingID, "away", now)
	must(t, err)
	wantStatus(t, got, awapi.StatusRejected, map[int64]awapi.BookingStatus{10: awapi.StatusRejected, 11: awapi.StatusRejected})
	if got.Reason != "away" {
		t.Fatalf("rejected booking reason %q", got.Reason)
	}
	_, err = webcam(st).Reject(ctx, 11, b.BookingID, "again", now)
	wantCode(t, err, awapi.KindConflict, "booking_not_pending")
	// A lapsed invitation cannot be rejected any more.
	b2 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Reject(ctx, 10, b2.BookingID, "late", b2.AcceptBy)
	wantCode(t, err, awapi.KindConflict, "accept_by_passed")
	// Another performer's acceptance leaves nothing to reject.
	b3 := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Accept(ctx, 11, b3.BookingID, 2500, now)
	must(t, err)
	_, err = webcam(st).Reject(ctx, 10, b3.BookingID, "late", now)
	wantCode(t, err, awapi.KindConflict, "booking_not_pending")
}

func testWebcamCancelReceived(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err := webcam(st).CancelReceived(ctx, 10, b.BookingID, "ill", now)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted") // still Pending
	_, err = webcam(st).Accept(ctx, 10, b.BookingID, 2000, now)
	must(t, err)
	_, err = webcam(st).CancelReceived(ctx, 11, b.BookingID, "not mine", now)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted")
	_, err = webcam(st).CancelReceived(ctx, 12, b.BookingID, "uninvited", now)
	wantKind(t, err, awapi.KindNotFound)
	_, err = webcam(st).CancelReceived(ctx, 10, b.BookingID, "too late", b.SessionDate)
	wantCode(t, err, awapi.KindConflict, "session_date_passed")
	later := now.Add(time.Hour)
	got, err := webcam(st).CancelReceived(ctx, 10, b.BookingID, "ill", later)
	must(t, err)
	wantStatus(t, got, awapi.StatusCancelled, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled, 11: awapi.StatusCancelled})
	if got.Reason != "ill" || !got.CancelledAt.Equal(later) || got.AcceptedBy != 10 {
		t.Fatalf("cancelled %+v", got)
	}
	_, err = webcam(st).CancelReceived(ctx, 10, b.BookingID, "again", later)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted")
	// A confirmed booking is past the performer's cancellation.
	_, err = st.AddCredits(ctx, 1, 5000, "Credits purchased", now)
	must(t, err)
	b2 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Accept(ctx, 10, b2.BookingID, 2000, now)
	must(t, err)
	_, err = webcam(st).Confirm(ctx, 1, b2.BookingID, now)
	must(t, err)
	_, err = webcam(st).CancelReceived(ctx, 10, b2.BookingID, "x", now)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted")
	ledgerConsistent(t, st, 1, 10)
}

func testWebcamConfirm(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err := webcam(st).Confirm(ctx, 1, b.BookingID, now)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted") // Pending
	_, err = webcam(st).Accept(ctx, 11, b.BookingID, 3000, now)
	must(t, err)
	_, err = webcam(st).Confirm(ctx, 2, b.BookingID, now)
	wantKind(t, err, awapi.KindNotFound)
	_, err = webcam(st).Confirm(ctx, 11, b.BookingID, now)
	wantKind(t, err, awapi.KindNotFound)
	// Without the credits nothing changes.
	_, err = st.AddCredits(ctx, 1, 2999, "Credits purchased", now)
	must(t, err)
	_, err = webcam(st).Confirm(ctx, 1, b.BookingID, now)
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	if got := clientView(t, st, 1, b.BookingID); got.Status != awapi.StatusAccepted || got.Reserved != 0 {
		t.Fatalf("after a refused confirmation: %+v", got)
	}
	wantBalance(t, st, 1, 2999)
	if es := ledgerEntries(t, st, 1); len(es) != 1 {
		t.Fatalf("ledger after a refused confirmation: %+v", es)
	}
	_, err = st.AddCredits(ctx, 1, 2001, "Credits purchased", now)
	must(t, err)
	// The session date is exclusive.
	_, err = webcam(st).Confirm(ctx, 1, b.BookingID, b.SessionDate)
	wantCode(t, err, awapi.KindConflict, "session_date_passed")
	got, err := webcam(st).Confirm(ctx, 1, b.BookingID, now)
	must(t, err)
	wantStatus(t, got, awapi.StatusConfirmed, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled, 11: awapi.StatusAccepted})
	if got.Reserved != 3000 || !got.ConfirmedAt.Equal(now) || got.AcceptedCredits != 3000 {
		t.Fatalf("confirmed %+v", got)
	}
	wantBalance(t, st, 1, 2000)
	es := ledgerEntries(t, st, 1)
	if last := es[len(es)-1]; len(es) != 3 || last.Amount != -3000 || last.Balance != 2000 || last.BookingID != b.BookingID ||
		last.Description != "Webcam booking #"+itoa(b.BookingID)+" confirmed" || !last.CreatedAt.Equal(now) {
		t.Fatalf("ledger %+v", es)
	}
	_, err = webcam(st).Confirm(ctx, 1, b.BookingID, now)
	wantCode(t, err, awapi.KindConflict, "booking_not_accepted")
	wantBalance(t, st, 1, 2000)
	// A lapsed booking.
	b2 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Confirm(ctx, 1, b2.BookingID, b2.AcceptBy)
	wantCode(t, err, awapi.KindConflict, "accept_by_passed")
	ledgerConsistent(t, st, 1, 10, 11)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func testWebcamCancelMade(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	// Pending: every invitation is cancelled with the client's reason.
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Reject(ctx, 11, b.BookingID, "busy", now)
	must(t, err)
	_, err = webcam(st).CancelMade(ctx, 2, b.BookingID, "not mine", now)
	wantKind(t, err, awapi.KindNotFound)
	got, err := webcam(st).CancelMade(ctx, 1, b.BookingID, "changed my mind", now)
	must(t, err)
	wantStatus(t, got, awapi.StatusCancelled, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled, 11: awapi.StatusRejected})
	if inv, _ := got.Invitation(10); got.Reason != "changed my mind" || !got.CancelledAt.Equal(now) || inv.Reason != "changed my mind" {
		t.Fatalf("cancelled %+v", got)
	}
	_, err = webcam(st).CancelMade(ctx, 1, b.BookingID, "again", now)
	wantCode(t, err, awapi.KindConflict, "booking_cancelled")
	// Rejected, and lapsed.
	b2 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Reject(ctx, 10, b2.BookingID, "no", now)
	must(t, err)
	_, err = webcam(st).CancelMade(ctx, 1, b2.BookingID, "x", now)
	wantCode(t, err, awapi.KindConflict, "booking_rejected")
	b3 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).CancelMade(ctx, 1, b3.BookingID, "x", b3.AcceptBy)
	wantCode(t, err, awapi.KindConflict, "booking_rejected")
	// Accepted: no credits have moved.
	b4 := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Accept(ctx, 10, b4.BookingID, 2000, now)
	must(t, err)
	got, err = webcam(st).CancelMade(ctx, 1, b4.BookingID, "sorry", now)
	must(t, err)
	wantStatus(t, got, awapi.StatusCancelled, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled, 11: awapi.StatusCancelled})
	wantBalance(t, st, 1, 10000)
	// Confirmed: refunded in full while the session has not started, and not after.
	b5 := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Accept(ctx, 10, b5.BookingID, 4050, now)
	must(t, err)
	_, err = webcam(st).Confirm(ctx, 1, b5.BookingID, now)
	must(t, err)
	wantBalance(t, st, 1, 5950)
	_, err = webcam(st).CancelMade(ctx, 1, b5.BookingID, "late", b5.SessionDate)
	wantCode(t, err, awapi.KindConflict, "session_date_passed")
	later := now.Add(time.Hour)
	got, err = webcam(st).CancelMade(ctx, 1, b5.BookingID, "changed my mind", later)
	must(t, err)
	wantStatus(t, got, awapi.StatusCancelled, map[int64]awapi.BookingStatus{10: awapi.StatusCancelled})
	if got.Reserved != 0 {
		t.Fatalf("reserved after refund: %+v", got)
	}
	wantBalance(t, st, 1, 10000)
	es := ledgerEntries(t, st, 1)
	if last := es[len(es)-1]; last.Amount != 4050 || last.Balance != 10000 || last.BookingID != b5.BookingID ||
		last.Description != "Webcam booking #"+itoa(b5.BookingID)+" cancelled: refund" || !last.CreatedAt.Equal(later) {
		t.Fatalf("refund entry %+v", last)
	}
	// A refunded booking is never settled.
	if n, err := settlement(st).SettleAll(ctx, b5.SessionEnd().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("SettleWebcamBookings = %d, %v", n, err)
	}
	wantBalance(t, st, 10, 0)
	ledgerConsistent(t, st, 1, 10, 11)
}

func testWebcamReschedule(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	in := newWebcamBooking(1, t0, 11, 10)
	in.Details.AlsoPhoneChat, in.Details.PhoneNumber = true, "+447700900123"
	b := createWebcam(t, st, in)
	now := t0.Add(time.Hour)
	_, err := webcam(st).Reschedule(ctx, 1, b.BookingID, now, awapi.RescheduleLead)
	wantCode(t, err, awapi.KindConflict, "session_not_started")
	_, err = webcam(st).Reschedule(ctx, 2, b.BookingID, now, awapi.RescheduleLead)
	wantKind(t, err, awapi.KindNotFound)
	// Lapsed: allowed, once the balance covers the offer (nothing is debited).
	lapsed := b.AcceptBy.Add(time.Minute)
	_, err = st.AddCredits(ctx, 1, webcamOffer-1, "Credits purchased", now)
	must(t, err)
	_, err = webcam(st).Reschedule(ctx, 1, b.BookingID, lapsed, awapi.RescheduleLead)
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	_, err = st.AddCredits(ctx, 1, 1, "Credits purchased", now)
	must(t, err)
	nb, err := webcam(st).Reschedule(ctx, 1, b.BookingID, lapsed, awapi.RescheduleLead)
	must(t, err)
	session := lapsed.Add(awapi.RescheduleLead)
	if nb.BookingID == b.BookingID || nb.RescheduledFrom != b.BookingID || nb.Status != awapi.StatusPending ||
		!nb.SessionDate.Equal(session) || !nb.CreatedAt.Equal(lapsed) || !nb.AcceptBy.Equal(awapi.AcceptByFor(lapsed, session)) ||
		nb.Duration != b.Duration || nb.Credits != b.Credits || nb.Details.SoftwareTypeID != b.Details.SoftwareTypeID ||
		nb.Details.SignInNameOrEmail != b.Details.SignInNameOrEmail || !nb.Details.AlsoPhoneChat || nb.Details.PhoneNumber != b.Details.PhoneNumber || nb.ClientID != 1 {
		t.Fatalf("rescheduled %+v", nb)
	}
	if len(nb.Invitations) != 2 || nb.Invitations[0].PerformerID != 11 || nb.Invitations[1].PerformerID != 10 {
		t.Fatalf("rescheduled invitations %+v", nb.Invitations)
	}
	wantStatus(t, nb, awapi.StatusPending, map[int64]awapi.BookingStatus{10: awapi.StatusPending, 11: awapi.StatusPending})
	wantBalance(t, st, 1, webcamOffer)
	// The copy is live, so it cannot be rescheduled; the original is unchanged.
	_, err = webcam(st).Reschedule(ctx, 1, nb.BookingID, lapsed, awapi.RescheduleLead)
	wantCode(t, err, awapi.KindConflict, "session_not_started")
	if got := clientView(t, st, 1, b.BookingID); got.Status != awapi.StatusPending {
		t.Fatalf("original after reschedule: %+v", got)
	}
	// Rejected, cancelled and past sessions may be rescheduled too.
	rejected := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Reject(ctx, 10, rejected.BookingID, "no", now)
	must(t, err)
	cancelled := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).CancelMade(ctx, 1, cancelled.BookingID, "oops", now)
	must(t, err)
	for _, id := range []int64{rejected.BookingID, cancelled.BookingID} {
		if _, err := webcam(st).Reschedule(ctx, 1, id, now, awapi.RescheduleLead); err != nil {
			t.Fatalf("reschedule %d: %v", id, err)
		}
	}
	past := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Accept(ctx, 10, past.BookingID, 2000, now)
	must(t, err)
	_, err = webcam(st).Reschedule(ctx, 1, past.BookingID, now, awapi.RescheduleLead)
	wantCode(t, err, awapi.KindConflict, "session_not_started")
	if _, err := webcam(st).Reschedule(ctx, 1, past.BookingID, past.SessionDate, awapi.RescheduleLead); err != nil {
		t.Fatalf("reschedule after the session date: %v", err)
	}
	ledgerConsistent(t, st, 1)
}

func testWebcamDelete(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	pending := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	cancelled := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err := webcam(st).CancelMade(ctx, 1, cancelled.BookingID, "x", now)
	must(t, err)
	lapsed := createWebcam(t, st, newWebcamBooking(1, t0.Add(-webcamAcceptBy), 10))
	accepted := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Accept(ctx, 11, accepted.BookingID, 2000, now)
	must(t, err)
	others := createWebcam(t, st, newWebcamBooking(2, t0, 10))
	_, err = webcam(st).CancelMade(ctx, 2, others.BookingID, "x", now)
	must(t, err)

	res, err := webcam(st).Delete(ctx, awapi.ClientSide, 1,
		[]int64{pending.BookingID, cancelled.BookingID, 999999, lapsed.BookingID, accepted.BookingID, others.BookingID, cancelled.BookingID}, now)
	must(t, err)
	want := []awapi.DeleteResult{
		{BookingID: pending.BookingID, Message: "Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is Pending."},
		{BookingID: cancelled.BookingID, Deleted: true},
		{BookingID: 999999, Message: "The booking was not found."},
		{BookingID: lapsed.BookingID, Deleted: true},
		{BookingID: accepted.BookingID, Message: "Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is Accepted."},
		{BookingID: others.BookingID, Message: "The booking was not found."},
		{BookingID: cancelled.BookingID, Message: "The booking was not found."}, // already deleted
	}
	if !slices.Equal(res, want) {
		t.Fatalf("DeleteWebcamBookings =\n%+v\nwant\n%+v", res, want)
	}
	// Deleted bookings are gone for the client, not for the performers, nor for the other client.
	for _, id := range []int64{cancelled.BookingID, lapsed.BookingID} {
		_, err := st.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, 1, id)
		wantKind(t, err, awapi.KindNotFound)
		_, err = st.Booking(ctx, awapi.ServiceWebcam, awapi.PerformerSide, 10, id)
		must(t, err)
	}
	clientView(t, st, 2, others.BookingID)
	// Transitions on a deleted booking are not found either.
	_, err = webcam(st).CancelMade(ctx, 1, cancelled.BookingID, "x", now)
	wantKind(t, err, awapi.KindNotFound)
	_, err = webcam(st).Reschedule(ctx, 1, cancelled.BookingID, now, awapi.RescheduleLead)
	wantKind(t, err, awapi.KindNotFound)

	// The performer side hides only the performer's invitation, and the invitation's status as that
	// performer sees it decides: 10's invitation to the booking 11 accepted is Cancelled for 10.
	res, err = webcam(st).Delete(ctx, awapi.PerformerSide, 10,
		[]int64{cancelled.BookingID, pending.BookingID, accepted.BookingID, others.BookingID}, now)
	must(t, err)
	want = []awapi.DeleteResult{
		{BookingID: cancelled.BookingID, Deleted: true},
		{BookingID: pending.BookingID, Message: "Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is Pending."},
		{BookingID: accepted.BookingID, Deleted: true},
		{BookingID: others.BookingID, Deleted: true},
	}
	if !slices.Equal(res, want) {
		t.Fatalf("performer DeleteWebcamBookings =\n%+v\nwant\n%+v", res, want)
	}
	res, err = webcam(st).Delete(ctx, awapi.PerformerSide, 11, []int64{accepted.BookingID}, now)
	must(t, err)
	if want := "Only Rejected, Confirmed or Cancelled bookings can be deleted; this one is Accepted."; len(res) != 1 || res[0].Deleted || res[0].Message != want {
		t.Fatalf("the winner deleting an accepted booking = %+v", res)
	}
	_, err = st.Booking(ctx, awapi.ServiceWebcam, awapi.PerformerSide, 10, cancelled.BookingID)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.Booking(ctx, awapi.ServiceWebcam, awapi.PerformerSide, 11, cancelled.BookingID)
	must(t, err)
	clientView(t, st, 2, others.BookingID)
	res, err = webcam(st).Delete(ctx, awapi.PerformerSide, 12, []int64{cancelled.BookingID}, now)
	must(t, err)
	if len(res) != 1 || res[0].Deleted || res[0].Message != "The booking was not found." {
		t.Fatalf("uninvited performer delete = %+v", res)
	}
	_, total, err := st.Bookings(ctx, awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, Page: awapi.Page{Number: 1, Size: 50}})
	must(t, err)
	if total != 2 { // pending, lapsed
		t.Fatalf("performer 10 lists %d bookings, want 2", total)
	}
	if res, err := webcam(st).Delete(ctx, awapi.ClientSide, 1, nil, now); err != nil || len(res) != 0 {
		t.Fatalf("empty delete = %+v, %v", res, err)
	}
}

func bookingIDs(bs []awapi.Booking) []int64 {
	out := []int64{}
	for _, b := range bs {
		out = append(out, b.BookingID)
	}
	return out
}

func testWebcamLists(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	// Five bookings of client 1 an hour apart (b[0] oldest) and one of client 2.
	//   b[0]: Zed(10), amy(11) — accepted by amy at +10h
	//   b[1]: Max(12)          — pending
	//   b[2]: bea(13), Zed(10) — accepted by Zed at +8h
	//   b[3]: amy(11)          — pending
	//   b[4]: Zed(10)          — accepted by Zed at +9h
	performers := [][]int64{{10, 11}, {12}, {13, 10}, {11}, {10}}
	var b []awapi.Booking
	for i, ps := range performers {
		b = append(b, createWebcam(t, st, newWebcamBooking(1, t0.Add(time.Duration(i)*time.Hour), ps...)))
	}
	otherClient := createWebcam(t, st, newWebcamBooking(2, t0, 10))
	for _, a := range []struct {
		i         int
		performer int64
		at        time.Duration
	}{{0, 11, 10 * time.Hour}, {2, 10, 8 * time.Hour}, {4, 10, 9 * time.Hour}} {
		_, err := webcam(st).Accept(ctx, a.performer, b[a.i].BookingID, 2500, t0.Add(a.at))
		must(t, err)
	}
	ids := func(is ...int) []int64 {
		out := []int64{}
		for _, i := range is {
			out = append(out, b[i].BookingID)
		}
		return out
	}
	list := func(q awapi.BookingQuery) ([]awapi.Booking, int) {
		t.Helper()
		bs, total, err := st.Bookings(ctx, q)
		must(t, err)
		return bs, total
	}
	all := awapi.Page{Number: 1, Size: 50}
	tests := []struct {
		name  string
		q     awapi.BookingQuery
		want  []int64
		total int
	}{
		{"client default", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, Page: all}, ids(4, 3, 2, 1, 0), 5},
		{"client unknown order", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("bogus-asc"), Page: all}, ids(4, 3, 2, 1, 0), 5},
		{"client createddate-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: all}, ids(0, 1, 2, 3, 4), 5},
		{"client createddate-desc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("CreatedDate-Desc"), Page: all}, ids(4, 3, 2, 1, 0), 5},
		// Never accepted last in both directions, newest ID first among them when descending.
		{"client acceptdate-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("acceptdate-asc"), Page: all}, ids(2, 4, 0, 1, 3), 5},
		{"client acceptdate-desc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("acceptdate-desc"), Page: all}, ids(0, 4, 2, 3, 1), 5},
		// The accepting performer's nickname, else the first invited: amy(0), Max(1), Zed(2), amy(3), Zed(4).
		{"client nickname-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("nickname-asc"), Page: all}, ids(0, 3, 1, 2, 4), 5},
		{"client nickname-desc", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("nickname-desc"), Page: all}, ids(4, 2, 1, 3, 0), 5},
		{"client created from", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, CreatedFrom: t0.Add(2 * time.Hour), OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: all}, ids(2, 3, 4), 3},
		{"client page 2", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: awapi.Page{Number: 2, Size: 2}}, ids(2, 3), 5},
		{"client last page", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: awapi.Page{Number: 3, Size: 2}}, ids(4), 5},
		{"client past the end", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, Page: awapi.Page{Number: 9, Size: 2}}, ids(), 5},
		{"other client", awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 2, Page: all}, []int64{otherClient.BookingID}, 1},
		{"performer default", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, Page: all}, append(ids(4, 2), otherClient.BookingID, b[0].BookingID), 4},
		{"performer createddate-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: all},
			append(ids(0), otherClient.BookingID, b[2].BookingID, b[4].BookingID), 4},
		{"performer acceptdate-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, OrderBy: awapi.BookingOrderOf("acceptdate-asc"), Page: all},
			append(ids(2, 4, 0), otherClient.BookingID), 4},
		// The client's nickname: Client < Other.
		{"performer nickname-asc", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, OrderBy: awapi.BookingOrderOf("nickname-asc"), Page: all},
			append(ids(0, 2, 4), otherClient.BookingID), 4},
		{"performer nickname-desc", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, OrderBy: awapi.BookingOrderOf("nickname-desc"), Page: all},
			append([]int64{otherClient.BookingID}, ids(4, 2, 0)...), 4},
		{"performer created from", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, CreatedFrom: t0.Add(time.Hour), Page: all}, ids(4, 2), 2},
		{"performer page", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 10, Page: awapi.Page{Number: 2, Size: 3}}, ids(0), 4},
		{"performer 11", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 11, Page: all}, ids(3, 0), 2},
		{"uninvolved", awapi.BookingQuery{Service: awapi.ServiceWebcam, Side: awapi.PerformerSide, UserID: 2, Page: all}, ids(), 0},
	}
	for _, tc := range tests {
		bs, total := list(tc.q)
		if !slices.Equal(bookingIDs(bs), tc.want) || total != tc.total {
			t.Fatalf("%s: %v total %d, want %v total %d", tc.name, bookingIDs(bs), total, tc.want, tc.total)
		}
	}
	// Listed bookings carry their invitations and the client's nickname.
	bs, _ := list(awapi.BookingQuery{Service: awapi.ServiceWebcam, UserID: 1, OrderBy: awapi.BookingOrderOf("createddate-asc"), Page: all})
	for i, got := range bs {
		if got.ClientNickname != "Client" || len(got.Invitations) != len(performers[i]) {
			t.Fatalf("listed booking %d = %+v", i, got)
		}
		for j, inv := range got.Invitations {
			if inv.PerformerID != performers[i][j] || inv.Nickname == "" {
				t.Fatalf("listed booking %d invitations %+v", i, got.Invitations)
			}
		}
	}
	if inv, _ := bs[0].Invitation(10); inv.Status != awapi.StatusCancelled || bs[0].AcceptedBy != 11 {
		t.Fatalf("listed booking 0 = %+v", bs[0])
	}
}

func testWebcamSettle(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10, 11))
	_, err = webcam(st).Accept(ctx, 11, b.BookingID, 3000, now)
	must(t, err)
	// An accepted booking that was never confirmed is never paid.
	unconfirmed := createWebcam(t, st, newWebcamBooking(1, t0, 11))
	_, err = webcam(st).Accept(ctx, 11, unconfirmed.BookingID, 1000, now)
	must(t, err)
	_, err = webcam(st).Confirm(ctx, 1, b.BookingID, now)
	must(t, err)
	end := b.SessionEnd()
	if n, err := settlement(st).SettleAll(ctx, end.Add(-time.Microsecond)); err != nil || n != 0 {
		t.Fatalf("settle before the end = %d, %v", n, err)
	}
	wantBalance(t, st, 11, 0)
	if n, err := settlement(st).SettleAll(ctx, end); err != nil || n != 1 {
		t.Fatalf("settle at the end = %d, %v", n, err)
	}
	wantBalance(t, st, 11, 3000)
	wantBalance(t, st, 1, 7000)
	if n, err := settlement(st).SettleAll(ctx, end.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("settle again = %d, %v", n, err)
	}
	wantBalance(t, st, 11, 3000)
	got := clientView(t, st, 1, b.BookingID)
	if got.Status != awapi.StatusConfirmed || got.Reserved != 0 || !got.SettledAt.Equal(end) {
		t.Fatalf("settled booking %+v", got)
	}
	es := ledgerEntries(t, st, 11)
	if len(es) != 1 || es[0].Amount != 3000 || es[0].Balance != 3000 || es[0].BookingID != b.BookingID ||
		es[0].Description != "Webcam booking #"+itoa(b.BookingID)+" completed" || !es[0].CreatedAt.Equal(end) {
		t.Fatalf("performer ledger %+v", es)
	}
	// Settled: the client can no longer cancel it, even with a clock that runs behind.
	_, err = webcam(st).CancelMade(ctx, 1, b.BookingID, "x", now)
	wantCode(t, err, awapi.KindConflict, "session_date_passed")
	ledgerConsistent(t, st, 1, 10, 11)
}

// testWebcamSettleMember: a member's settling pays only the due bookings they made or perform; another
// member's due booking waits for its own members (or the settler of everything).
func testWebcamSettleMember(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	for _, client := range []int64{1, 2} {
		_, err := st.AddCredits(ctx, client, 10000, "Credits purchased", now)
		must(t, err)
	}
	confirmed := func(client, performer int64, price awapi.Credits, invited ...int64) awapi.Booking {
		b := createWebcam(t, st, newWebcamBooking(client, t0, append([]int64{performer}, invited...)...))
		_, err := webcam(st).Accept(ctx, performer, b.BookingID, price, now)
		must(t, err)
		_, err = webcam(st).Confirm(ctx, client, b.BookingID, now)
		must(t, err)
		return b
	}
	a := confirmed(1, 10, 3000)
	b := confirmed(2, 11, 2000, 12) // 12 was invited too, but 11 accepted
	end := a.SessionEnd()
	settled := func(client int64, booking awapi.Booking) bool {
		return !clientView(t, st, client, booking.BookingID).SettledAt.IsZero()
	}
	steps := []struct {
		member   int64
		settles  int
		aSettled bool
		bSettled bool
	}{
		{1, 1, true, false},  // client 1's read pays their performer 10 and leaves client 2's booking alone
		{1, 0, true, false},  // once only
		{12, 0, true, false}, // an invitation that was not accepted is not the member's booking
		{10, 0, true, false},
		{11, 1, true, true}, // the performer's own read pays them
	}
	for _, s := range steps {
		n, err := settlement(st).SettleMemberBookings(ctx, s.member, end)
		must(t, err)
		if n != s.settles || settled(1, a) != s.aSettled || settled(2, b) != s.bSettled {
			t.Fatalf("member %d settled %d (A settled %v, B settled %v), want %d (%v, %v)",
				s.member, n, settled(1, a), settled(2, b), s.settles, s.aSettled, s.bSettled)
		}
	}
	wantBalance(t, st, 10, 3000)
	wantBalance(t, st, 11, 2000)
	wantBalance(t, st, 12, 0)
	if n, err := settlement(st).SettleAll(ctx, end.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("settle everything afterwards = %d, %v", n, err)
	}
	ledgerConsistent(t, st, 1, 2, 10, 11, 12)
}

// testWebcamAcceptRaceSame: one performer accepts one booking from 20 goroutines; exactly one wins.
func testWebcamAcceptRaceSame(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	now := t0.Add(time.Hour)
	errs := webcamRace(20, func(int) error {
		_, err := webcam(st).Accept(ctx, 10, b.BookingID, 3000, now)
		return err
	})
	if n := wins(t, errs, "booking_not_pending", "invitation_not_pending"); n != 1 {
		t.Fatalf("%d acceptances won, want 1", n)
	}
	got := clientView(t, st, 1, b.BookingID)
	wantStatus(t, got, awapi.StatusAccepted, map[int64]awapi.BookingStatus{10: awapi.StatusAccepted})
	ledgerConsistent(t, st, 1, 10)
}

// testWebcamAcceptRaceMany: four invited performers accept at once; one booking acceptance, the other
// invitations Cancelled.
func testWebcamAcceptRaceMany(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	performers := []int64{10, 11, 12, 13}
	b := createWebcam(t, st, newWebcamBooking(1, t0, performers...))
	now := t0.Add(time.Hour)
	winners := make([]int64, 20)
	errs := webcamRace(20, func(i int) error {
		p := performers[i%4]
		_, err := webcam(st).Accept(ctx, p, b.BookingID, awapi.Credits(1000+100*p), now)
		if err == nil {
			winners[i] = p
		}
		return err
	})
	if n := wins(t, errs, "booking_not_pending", "invitation_not_pending"); n != 1 {
		t.Fatalf("%d acceptances won, want 1", n)
	}
	var winner int64
	for _, w := range winners {
		winner = max(winner, w)
	}
	got := clientView(t, st, 1, b.BookingID)
	want := map[int64]awapi.BookingStatus{}
	for _, p := range performers {
		want[p] = awapi.StatusCancelled
	}
	want[winner] = awapi.StatusAccepted
	wantStatus(t, got, awapi.StatusAccepted, want)
	if got.AcceptedBy != winner || got.AcceptedCredits != awapi.Credits(1000+100*winner) {
		t.Fatalf("accepted %+v, winner %d", got, winner)
	}
	ledgerConsistent(t, st, 1, 10, 11, 12, 13)
}

// testWebcamAcceptCancelRace: performers accept while the client cancels. Exactly one cancellation
// wins, at most one acceptance (which must then precede it), and nothing is left open.
func testWebcamAcceptCancelRace(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	performers := []int64{10, 11, 12, 13}
	for round := range 3 {
		b := createWebcam(t, st, newWebcamBooking(1, t0, performers...))
		now := t0.Add(time.Hour)
		var accepted, cancelled int
		var mu sync.Mutex
		errs := webcamRace(20, func(i int) error {
			var err error
			if i%2 == 0 {
				_, err = webcam(st).CancelMade(ctx, 1, b.BookingID, "race", now)
			} else {
				_, err = webcam(st).Accept(ctx, performers[i/2%4], b.BookingID, 2500, now)
			}
			if err == nil {
				mu.Lock()
				if i%2 == 0 {
					cancelled++
				} else {
					accepted++
				}
				mu.Unlock()
			}
			return err
		})
		wins(t, errs, "booking_not_pending", "invitation_not_pending", "booking_cancelled")
		got := clientView(t, st, 1, b.BookingID)
		if cancelled != 1 || accepted > 1 || got.Status != awapi.StatusCancelled || (accepted == 1) != (got.AcceptedBy != 0) {
			t.Fatalf("round %d: cancelled %d accepted %d, booking %+v", round, cancelled, accepted, got)
		}
		for _, inv := range got.Invitations {
			if inv.Status != awapi.StatusCancelled {
				t.Fatalf("round %d: invitation left %s: %+v", round, inv.Status, got)
			}
		}
	}
	ledgerConsistent(t, st, 1, 10, 11, 12, 13)
}

// testWebcamConfirmRace: 20 concurrent confirmations charge the client exactly once.
func testWebcamConfirmRace(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Accept(ctx, 10, b.BookingID, 3000, now)
	must(t, err)
	errs := webcamRace(20, func(int) error {
		_, err := webcam(st).Confirm(ctx, 1, b.BookingID, now)
		return err
	})
	if n := wins(t, errs, "booking_not_accepted"); n != 1 {
		t.Fatalf("%d confirmations won, want 1", n)
	}
	wantBalance(t, st, 1, 7000)
	if es := ledgerEntries(t, st, 1); len(es) != 2 || es[1].Amount != -3000 {
		t.Fatalf("ledger %+v", es)
	}
	if got := clientView(t, st, 1, b.BookingID); got.Status != awapi.StatusConfirmed || got.Reserved != 3000 {
		t.Fatalf("confirmed %+v", got)
	}
	ledgerConsistent(t, st, 1, 10)
}

// testWebcamConfirmTopUpRace: confirmations race top-ups starting below the price; the balance ends
// as initial + top-ups - one charge, equal to the ledger.
func testWebcamConfirmTopUpRace(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	const initial, price, topUp = awapi.Credits(2500), awapi.Credits(3000), awapi.Credits(100)
	_, err := st.AddCredits(ctx, 1, initial, "Credits purchased", now)
	must(t, err)
	b := createWebcam(t, st, newWebcamBooking(1, t0, 10))
	_, err = webcam(st).Accept(ctx, 10, b.BookingID, price, now)
	must(t, err)
	errs := webcamRace(20, func(i int) error {
		if i%2 == 0 {
			_, err := st.AddCredits(ctx, 1, topUp, "Top-up", now)
			return err
		}
		_, err := webcam(st).Confirm(ctx, 1, b.BookingID, now)
		return err
	})
	confirmed := wins(t, errs, "booking_not_accepted", "insufficient_credits") - 10
	if confirmed > 1 {
		t.Fatalf("%d confirmations won", confirmed)
	}
	if confirmed == 0 { // every confirmation came before enough top-ups: confirm now
		_, err := webcam(st).Confirm(ctx, 1, b.BookingID, now)
		must(t, err)
	}
	wantBalance(t, st, 1, initial+10*topUp-price)
	if got := clientView(t, st, 1, b.BookingID); got.Status != awapi.StatusConfirmed || got.Reserved != price {
		t.Fatalf("confirmed %+v", got)
	}
	ledgerConsistent(t, st, 1, 10)
}

// testWebcamSettleRace: settlers on many instances pay each performer exactly once.
func testWebcamSettleRace(t *testing.T, st awapi.Store) {
	webcamSetup(t, st)
	now := t0.Add(time.Hour)
	_, err := st.AddCredits(ctx, 1, 10000, "Credits purchased", now)
	must(t, err)
	var end time.Time
	for i, p := range []int64{10, 11, 10} {
		b := createWebcam(t, st, newWebcamBooking(1, t0, p))
		_, err = webcam(st).Accept(ctx, p, b.BookingID, awapi.Credits(1000*(i+1)), now)
		must(t, err)
		_, err = webcam(st).Confirm(ctx, 1, b.BookingID, now)
		must(t, err)
		end = b.SessionEnd()
	}
	// Settlers of everything race the client's and the performers' own reads.
	counts := make([]int, 20)
	errs := webcamRace(20, func(i int) error {
		var err error
		switch member := []int64{0, 1, 10, 11}[i%4]; member {
		case 0:
			counts[i], err = settlement(st).SettleAll(ctx, end)
		default:
			counts[i], err = settlement(st).SettleMemberBookings(ctx, member, end)
		}
		return err
	})
	wins(t, errs)
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != 3 {
		t.Fatalf("settled %d times in all, want 3", total)
	}
	wantBalance(t, st, 10, 4000)
	wantBalance(t, st, 11, 2000)
	wantBalance(t, st, 1, 4000)
	if es := ledgerEntries(t, st, 10); len(es) != 2 {
		t.Fatalf("performer 10 ledger %+v", es)
	}
	ledgerConsistent(t, st, 1, 10, 11)
}
