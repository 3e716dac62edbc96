package awapi

import (
	"testing"
	"time"
)

// TestWebcamPreconditions checks each transition's rule on its own, with the code it answers; the
// store's conformance suite checks the same rules against concurrent writers.
func TestWebcamPreconditions(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	booking := func(status BookingStatus, invitations ...BookingStatus) *WebcamBooking {
		b := &WebcamBooking{Status: status, SessionDate: now.Add(24 * time.Hour), AcceptBy: now.Add(time.Hour)}
		for i, s := range invitations {
			b.Invitations = append(b.Invitations, WebcamInvitation{PerformerID: int64(10 + i), Status: s})
		}
		return b
	}
	lapsed := booking(StatusPending, StatusPending)
	lapsed.AcceptBy = now
	started := booking(StatusPending, StatusPending)
	started.SessionDate, started.AcceptBy = now, now.Add(time.Hour)
	acceptedBy10 := booking(StatusAccepted, StatusAccepted, StatusCancelled)
	acceptedBy10.AcceptedBy = 10
	confirmedStarted := booking(StatusConfirmed, StatusAccepted)
	confirmedStarted.SessionDate = now
	settled := booking(StatusConfirmed, StatusAccepted)
	settled.SettledAt = now
	tests := []struct {
		name string
		err  error
		code string // "" means allowed
	}{
		{"accept a pending invitation", booking(StatusPending, StatusPending).CanAccept(10, now), ""},
		{"accept after AcceptBy", lapsed.CanAccept(10, now), "accept_by_passed"},
		{"accept after the session date", started.CanAccept(10, now), "session_date_passed"},
		{"accept an accepted booking", acceptedBy10.CanAccept(11, now), "booking_not_pending"},
		{"accept a rejected invitation", booking(StatusPending, StatusRejected, StatusPending).CanAccept(10, now), "invitation_not_pending"},
		{"accept uninvited", booking(StatusPending, StatusPending).CanAccept(99, now), "invitation_not_pending"},
		{"reject a pending invitation", booking(StatusPending, StatusPending).CanReject(10, now), ""},
		{"reject after AcceptBy", lapsed.CanReject(10, now), "accept_by_passed"},
		{"reject twice", booking(StatusPending, StatusRejected, StatusPending).CanReject(10, now), "invitation_not_pending"},
		{"performer cancels what they accepted", acceptedBy10.CanCancelReceived(10, now), ""},
		{"performer cancels what another accepted", acceptedBy10.CanCancelReceived(11, now), "booking_not_accepted"},
		{"performer cancels a confirmed booking", booking(StatusConfirmed, StatusAccepted).CanCancelReceived(10, now), "booking_not_accepted"},
		{"confirm an accepted booking", acceptedBy10.CanConfirm(now), ""},
		{"confirm a pending booking", booking(StatusPending, StatusPending).CanConfirm(now), "booking_not_accepted"},
		{"confirm a lapsed booking", lapsed.CanConfirm(now), "accept_by_passed"},
		{"client cancels a pending booking", booking(StatusPending, StatusPending).CanCancelMade(now), ""},
		{"client cancels a confirmed booking before its session", booking(StatusConfirmed, StatusAccepted).CanCancelMade(now), ""},
		{"client cancels a confirmed booking after its session date", confirmedStarted.CanCancelMade(now), "session_date_passed"},
		{"client cancels a settled booking", settled.CanCancelMade(now), "session_date_passed"},
		{"client cancels twice", booking(StatusCancelled, StatusCancelled).CanCancelMade(now), "booking_cancelled"},
		{"client cancels a lapsed booking", lapsed.CanCancelMade(now), "booking_rejected"},
		{"reschedule a lapsed booking", lapsed.CanReschedule(now), ""},
		{"reschedule a cancelled booking", booking(StatusCancelled, StatusCancelled).CanReschedule(now), ""},
		{"reschedule a started session", confirmedStarted.CanReschedule(now), ""},
		{"reschedule a live booking", booking(StatusPending, StatusPending).CanReschedule(now), "session_not_started"},
	}
	for _, tc := range tests {
		if tc.code == "" && tc.err != nil || tc.code != "" && (ErrorKind(tc.err) != KindConflict || ErrorCode(tc.err) != tc.code) {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.code)
		}
	}
}
