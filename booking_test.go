package awapi

import (
	"slices"
	"testing"
	"time"
)

var bookingNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// testBooking is a booking of client 1 for a session tomorrow, lapsing in an hour, with one invitation
// per status given (performers 10, 11, …).
func testBooking(status BookingStatus, invitations ...BookingStatus) *Booking {
	b := &Booking{BookingID: 7, Service: ServiceWebcam, ClientID: 1, Status: status, Credits: 2500,
		SessionDate: bookingNow.Add(24 * time.Hour), AcceptBy: bookingNow.Add(time.Hour), Duration: 30}
	for i, s := range invitations {
		b.Invitations = append(b.Invitations, Invitation{PerformerID: int64(10 + i), Status: s})
	}
	return b
}

// TestBookingPreconditions checks each transition's rule on its own, with the code it answers; the
// store's conformance suite checks that the rules are applied to the latest state under concurrency.
func TestBookingPreconditions(t *testing.T) {
	now := bookingNow
	lapsed := testBooking(StatusPending, StatusPending)
	lapsed.AcceptBy = now
	started := testBooking(StatusPending, StatusPending)
	started.SessionDate, started.AcceptBy = now, now.Add(time.Hour)
	acceptedBy10 := testBooking(StatusAccepted, StatusAccepted, StatusCancelled)
	acceptedBy10.AcceptedBy = 10
	confirmedStarted := testBooking(StatusConfirmed, StatusAccepted)
	confirmedStarted.SessionDate = now
	settled := testBooking(StatusConfirmed, StatusAccepted)
	settled.SettledAt = now
	ended := testBooking(StatusConfirmed, StatusAccepted)
	ended.SessionDate = now.Add(-30 * time.Minute)
	running := testBooking(StatusConfirmed, StatusAccepted)
	running.SessionDate = now.Add(-29 * time.Minute)
	tests := []struct {
		name string
		err  error
		code string // "" means allowed
	}{
		{"accept a pending invitation", testBooking(StatusPending, StatusPending).CanAccept(10, now), ""},
		{"accept after AcceptBy", lapsed.CanAccept(10, now), "accept_by_passed"},
		{"accept after the session date", started.CanAccept(10, now), "session_date_passed"},
		{"accept an accepted booking", acceptedBy10.CanAccept(11, now), "booking_not_pending"},
		{"accept a rejected invitation", testBooking(StatusPending, StatusRejected, StatusPending).CanAccept(10, now), "invitation_not_pending"},
		{"accept uninvited", testBooking(StatusPending, StatusPending).CanAccept(99, now), "invitation_not_pending"},
		{"reject a pending invitation", testBooking(StatusPending, StatusPending).CanReject(10, now), ""},
		{"reject after AcceptBy", lapsed.CanReject(10, now), "accept_by_passed"},
		{"reject twice", testBooking(StatusPending, StatusRejected, StatusPending).CanReject(10, now), "invitation_not_pending"},
		{"performer cancels what they accepted", acceptedBy10.CanCancelReceived(10, now), ""},
		{"performer cancels what another accepted", acceptedBy10.CanCancelReceived(11, now), "booking_not_accepted"},
		{"performer cancels a confirmed booking", testBooking(StatusConfirmed, StatusAccepted).CanCancelReceived(10, now), "booking_not_accepted"},
		{"confirm an accepted booking", acceptedBy10.CanConfirm(now), ""},
		{"confirm a pending booking", testBooking(StatusPending, StatusPending).CanConfirm(now), "booking_not_accepted"},
		{"confirm a lapsed booking", lapsed.CanConfirm(now), "accept_by_passed"},
		{"client cancels a pending booking", testBooking(StatusPending, StatusPending).CanCancelMade(now), ""},
		{"client cancels a confirmed booking before its session", testBooking(StatusConfirmed, StatusAccepted).CanCancelMade(now), ""},
		{"client cancels a confirmed booking after its session date", confirmedStarted.CanCancelMade(now), "session_date_passed"},
		{"client cancels a settled booking", settled.CanCancelMade(now), "session_date_passed"},
		{"client cancels twice", testBooking(StatusCancelled, StatusCancelled).CanCancelMade(now), "booking_cancelled"},
		{"client cancels a lapsed booking", lapsed.CanCancelMade(now), "booking_rejected"},
		{"reschedule a lapsed booking", lapsed.CanReschedule(now), ""},
		{"reschedule a cancelled booking", testBooking(StatusCancelled, StatusCancelled).CanReschedule(now), ""},
		{"reschedule a started session", confirmedStarted.CanReschedule(now), ""},
		{"reschedule a live booking", testBooking(StatusPending, StatusPending).CanReschedule(now), "session_not_started"},
		{"settle an ended session", ended.CanSettle(now), ""},
		{"settle a running session", running.CanSettle(now), "session_not_ended"},
		{"settle twice", settled.CanSettle(now.Add(48 * time.Hour)), "booking_settled"},
		{"settle an accepted booking", acceptedBy10.CanSettle(now.Add(48 * time.Hour)), "booking_not_confirmed"},
	}
	for _, tc := range tests {
		if tc.code == "" && tc.err != nil || tc.code != "" && (ErrorKind(tc.err) != KindConflict || ErrorCode(tc.err) != tc.code) {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.code)
		}
	}
}

func statuses(b *Booking) []BookingStatus {
	out := []BookingStatus{b.Status}
	for _, inv := range b.Invitations {
		out = append(out, inv.Status)
	}
	return out
}

// TestBookingTransitions checks what each allowed transition changes and the money it moves.
func TestBookingTransitions(t *testing.T) {
	now := bookingNow
	accepted := func() *Booking {
		b := testBooking(StatusPending, StatusPending, StatusPending, StatusRejected)
		if err := b.Accept(11, 3000, now); err != nil {
			t.Fatal(err)
		}
		return b
	}
	confirmed := func() *Booking {
		b := accepted()
		if _, err := b.Confirm(now); err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name     string
		run      func(b *Booking) ([]Posting, error)
		from     func() *Booking
		statuses []BookingStatus // booking, then each invitation
		postings []Posting
		check    func(t *testing.T, b *Booking)
	}{
		{
			name:     "the first to accept wins; the other open invitations are cancelled",
			from:     func() *Booking { return testBooking(StatusPending, StatusPending, StatusPending, StatusRejected) },
			run:      func(b *Booking) ([]Posting, error) { return nil, b.Accept(11, 3000, now) },
			statuses: []BookingStatus{StatusAccepted, StatusCancelled, StatusAccepted, StatusRejected},
			check: func(t *testing.T, b *Booking) {
				if b.AcceptedBy != 11 || b.AcceptedCredits != 3000 || b.Price() != 3000 || !b.AcceptedAt.Equal(now) {
					t.Errorf("accepted by %d at %s on %s", b.AcceptedBy, b.AcceptedCredits, b.AcceptedAt)
				}
				if b.Invitations[0].Reason != AcceptedElsewhereReason {
					t.Errorf("the other invitation's reason is %q", b.Invitations[0].Reason)
				}
			},
		},
		{
			name:     "a rejection leaves the booking open while another invitation is",
			from:     func() *Booking { return testBooking(StatusPending, StatusPending, StatusPending) },
			run:      func(b *Booking) ([]Posting, error) { return nil, b.Reject(10, "busy", now) },
			statuses: []BookingStatus{StatusPending, StatusRejected, StatusPending},
		},
		{
			name:     "the last rejection rejects the booking",
			from:     func() *Booking { return testBooking(StatusPending, StatusRejected, StatusPending) },
			run:      func(b *Booking) ([]Posting, error) { return nil, b.Reject(11, "busy", now) },
			statuses: []BookingStatus{StatusRejected, StatusRejected, StatusRejected},
			check: func(t *testing.T, b *Booking) {
				if b.Reason != "busy" {
					t.Errorf("reason %q", b.Reason)
				}
			},
		},
		{
			name:     "confirming reserves the agreed price from the client",
			from:     accepted,
			run:      func(b *Booking) ([]Posting, error) { return b.Confirm(now) },
			statuses: []BookingStatus{StatusConfirmed, StatusCancelled, StatusAccepted, StatusRejected},
			postings: []Posting{{UserID: 1, Amount: -3000, Description: "Webcam booking #7 confirmed"}},
			check: func(t *testing.T, b *Booking) {
				if b.Reserved != 3000 {
					t.Errorf("reserved %s", b.Reserved)
				}
			},
		},
		{
			name:     "the client's cancellation refunds what was reserved",
			from:     confirmed,
			run:      func(b *Booking) ([]Posting, error) { return b.CancelMade("changed my mind", now) },
			statuses: []BookingStatus{StatusCancelled, StatusCancelled, StatusCancelled, StatusRejected},
			postings: []Posting{{UserID: 1, Amount: 3000, Description: "Webcam booking #7 cancelled: refund"}},
			check: func(t *testing.T, b *Booking) {
				if b.Reserved != 0 || !b.CancelledAt.Equal(now) {
					t.Errorf("reserved %s, cancelled at %s", b.Reserved, b.CancelledAt)
				}
			},
		},
		{
			name:     "cancelling an unpaid booking moves no money",
			from:     accepted,
			run:      func(b *Booking) ([]Posting, error) { return b.CancelMade("no", now) },
			statuses: []BookingStatus{StatusCancelled, StatusCancelled, StatusCancelled, StatusRejected},
		},
		{
			name:     "the performer's cancellation moves no money",
			from:     accepted,
			run:      func(b *Booking) ([]Posting, error) { return nil, b.CancelReceived(11, "ill", now) },
			statuses: []BookingStatus{StatusCancelled, StatusCancelled, StatusCancelled, StatusRejected},
		},
		{
			name:     "settling pays the accepting performer once the session ended",
			from:     confirmed,
			run:      func(b *Booking) ([]Posting, error) { return b.Settle(b.SessionEnd()) },
			statuses: []BookingStatus{StatusConfirmed, StatusCancelled, StatusAccepted, StatusRejected},
			postings: []Posting{{UserID: 11, Amount: 3000, Description: "Webcam booking #7 completed"}},
			check: func(t *testing.T, b *Booking) {
				if b.Reserved != 0 || b.SettledAt.IsZero() {
					t.Errorf("reserved %s, settled %s", b.Reserved, b.SettledAt)
				}
				if _, err := b.Settle(b.SessionEnd()); ErrorCode(err) != "booking_settled" {
					t.Errorf("second settlement: %v", err)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.from()
			postings, err := tc.run(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := statuses(b); !slices.Equal(got, tc.statuses) {
				t.Errorf("statuses %v, want %v", got, tc.statuses)
			}
			if !slices.Equal(postings, tc.postings) {
				t.Errorf("postings %+v, want %+v", postings, tc.postings)
			}
			if tc.check != nil {
				tc.check(t, b)
			}
		})
	}
}

// TestRefusedTransitionChangesNothing: a transition that is not allowed leaves the booking as it was,
// so the store can never write half a decision.
func TestRefusedTransitionChangesNothing(t *testing.T) {
	b := testBooking(StatusPending, StatusPending)
	b.AcceptBy = bookingNow
	before := *b
	before.Invitations = slices.Clone(b.Invitations)
	if err := b.Accept(10, 100, bookingNow); err == nil {
		t.Fatal("accepted a lapsed booking")
	}
	if _, err := b.Confirm(bookingNow); err == nil {
		t.Fatal("confirmed a lapsed booking")
	}
	if err := b.Accept(10, 0, bookingNow.Add(-2*time.Hour)); ErrorKind(err) != KindInvalid {
		t.Fatalf("accept at 0 credits: %v", err)
	}
	if b.Status != before.Status || b.AcceptedBy != 0 || !slices.Equal(b.Invitations, before.Invitations) {
		t.Errorf("changed: %+v", b)
	}
}

// TestBookingVisibilityAndDeletion: who sees a booking, and which side's status decides a deletion.
func TestBookingVisibilityAndDeletion(t *testing.T) {
	now := bookingNow
	b := testBooking(StatusPending, StatusPending, StatusPending)
	if err := b.Accept(10, 100, now); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		side    BookingSide
		user    int64
		visible bool
	}{
		{ClientSide, 1, true}, {ClientSide, 10, false}, {PerformerSide, 10, true}, {PerformerSide, 11, true},
		{PerformerSide, 12, false}, {PerformerSide, 1, false}, {EngineSide, 0, true},
	} {
		if got := b.VisibleTo(tc.side, tc.user); got != tc.visible {
			t.Errorf("side %d user %d: visible %v", tc.side, tc.user, got)
		}
	}
	// Performer 11 lost the booking: their invitation is Cancelled, so they may delete it while the
	// booking goes on; the winner and the client may not.
	if err := b.Delete(PerformerSide, 11, now); err != nil {
		t.Errorf("loser deletes: %v", err)
	}
	if b.VisibleTo(PerformerSide, 11) {
		t.Error("deleted, still visible")
	}
	if err := b.Delete(PerformerSide, 10, now); ErrorCode(err) != "booking_not_finished" {
		t.Errorf("winner deletes an accepted booking: %v", err)
	}
	if err := b.Delete(ClientSide, 1, now); ErrorCode(err) != "booking_not_finished" {
		t.Errorf("client deletes an accepted booking: %v", err)
	}
	if !b.VisibleTo(EngineSide, 0) {
		t.Error("the engine must see every booking")
	}
}

// TestRescheduled: the copy keeps the performers, details and offer, starts lead from now, and points
// back at the original.
func TestRescheduled(t *testing.T) {
	b := testBooking(StatusCancelled, StatusCancelled, StatusRejected)
	b.Details = BookingDetails{SoftwareTypeID: 3, SignInNameOrEmail: "me"}
	nb, err := b.Rescheduled(bookingNow, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if nb.Status != StatusPending || nb.RescheduledFrom != 7 || nb.Credits != 2500 || nb.Details != b.Details ||
		!nb.SessionDate.Equal(bookingNow.Add(5*time.Minute)) || !nb.AcceptBy.Equal(nb.SessionDate) || nb.BookingID != 0 {
		t.Errorf("copy %+v", nb)
	}
	if got := statuses(&nb); !slices.Equal(got, []BookingStatus{StatusPending, StatusPending, StatusPending}) {
		t.Errorf("statuses %v", got)
	}
}
