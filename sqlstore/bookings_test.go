package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestChangeBookingDecidesOnLatestState proves what the store enforces for the booking engine: a
// decision is written only over the state it was taken on. Each case lets a competing transition
// commit exactly between the first transition's decision and its write (the store's test hook), which
// no timing can do reliably. The first write must then find the version moved, decide again on the new
// state and answer its conflict, leaving the competitor's outcome and money alone. With the version
// guard left out of the UPDATE, the first transition overwrites the second: two performers win, or a
// cancelled booking is confirmed and charged.
func TestChangeBookingDecidesOnLatestState(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	type step func(st *sqlstore.DB, bookingID int64) (awapi.Booking, error)
	webcam := func(st *sqlstore.DB) awapi.Bookings { return awapi.Bookings{Store: st, Service: awapi.ServiceWebcam} }
	accept := func(performer int64) step {
		return func(st *sqlstore.DB, id int64) (awapi.Booking, error) {
			return webcam(st).Accept(ctx, performer, id, 3000, now)
		}
	}
	confirm := func(st *sqlstore.DB, id int64) (awapi.Booking, error) { return webcam(st).Confirm(ctx, 1, id, now) }
	cancelMade := func(st *sqlstore.DB, id int64) (awapi.Booking, error) {
		return webcam(st).CancelMade(ctx, 1, id, "no", now)
	}
	cancelReceived := func(st *sqlstore.DB, id int64) (awapi.Booking, error) {
		return webcam(st).CancelReceived(ctx, 10, id, "ill", now)
	}
	tests := []struct {
		name          string
		accepted      bool // the booking was accepted by performer 10 before the race
		first, second step
		code          string // the first transition's answer once it decides again
		check         func(t *testing.T, b awapi.Booking, balance awapi.Credits)
	}{
		{
			name: "two performers accept", first: accept(10), second: accept(11), code: "booking_not_pending",
			check: func(t *testing.T, b awapi.Booking, _ awapi.Credits) {
				if b.AcceptedBy != 11 || b.Status != awapi.StatusAccepted {
					t.Errorf("accepted by %d, %s; want the second performer, who committed first", b.AcceptedBy, b.Status)
				}
				if inv, _ := b.Invitation(10); inv.Status != awapi.StatusCancelled {
					t.Errorf("the loser's invitation is %s", inv.Status)
				}
			},
		},
		{
			name: "the client confirms while cancelling", accepted: true, first: confirm, second: cancelMade, code: "booking_not_accepted",
			check: func(t *testing.T, b awapi.Booking, balance awapi.Credits) {
				if b.Status != awapi.StatusCancelled || b.Reserved != 0 || balance != 10000 {
					t.Errorf("%s, reserved %s, balance %s; want Cancelled and nothing charged", b.Status, b.Reserved, balance)
				}
			},
		},
		{
			name: "the client confirms while the performer cancels", accepted: true, first: confirm, second: cancelReceived,
			code: "booking_not_accepted",
			check: func(t *testing.T, b awapi.Booking, balance awapi.Credits) {
				if b.Status != awapi.StatusCancelled || balance != 10000 {
					t.Errorf("%s, balance %s; want Cancelled and nothing charged", b.Status, balance)
				}
			},
		},
		{
			name: "the client cancels while confirming", accepted: true, first: cancelMade, second: confirm, code: "",
			check: func(t *testing.T, b awapi.Booking, balance awapi.Credits) {
				// Cancelling a confirmed booking before its session is allowed: decided again, it
				// refunds what the confirmation took.
				if b.Status != awapi.StatusCancelled || b.Reserved != 0 || balance != 10000 {
					t.Errorf("%s, reserved %s, balance %s; want Cancelled and refunded", b.Status, b.Reserved, balance)
				}
			},
		},
	}
	for _, e := range testdb.Engines() {
		for _, tc := range tests {
			t.Run(e.Name+"/"+tc.name, func(t *testing.T) {
				st := e.Open(t)
				client := storetest.NewMember(1, "Client")
				p10, p11 := storetest.NewMember(10, "Zed"), storetest.NewMember(11, "Amy")
				p10.IsWebcam, p11.IsWebcam = true, true
				if err := st.InsertMembers(ctx, []awapi.Member{client, p10, p11}); err != nil {
					t.Fatal(err)
				}
				if _, err := st.AddCredits(ctx, 1, 10000, "top-up", now); err != nil {
					t.Fatal(err)
				}
				session := now.Add(72 * time.Hour)
				b, err := st.CreateBooking(ctx, awapi.Booking{Service: awapi.ServiceWebcam, ClientID: 1, SessionDate: session,
					Duration: 30, Credits: 2500, Status: awapi.StatusPending, CreatedAt: now, AcceptBy: awapi.AcceptByFor(now, session),
					Invitations: []awapi.Invitation{{PerformerID: 10}, {PerformerID: 11}}}, 0)
				if err != nil {
					t.Fatal(err)
				}
				if tc.accepted {
					if _, err := accept(10)(st, b.BookingID); err != nil {
						t.Fatal(err)
					}
				}
				raced := false
				st.BeforeBookingWrite(func() {
					if raced {
						return
					}
					raced = true
					if _, err := tc.second(st, b.BookingID); err != nil {
						t.Errorf("the competing transition: %v", err)
					}
				})
				_, err = tc.first(st, b.BookingID)
				st.BeforeBookingWrite(nil)
				if !raced {
					t.Fatal("the hook never ran")
				}
				if tc.code == "" && err != nil || tc.code != "" && awapi.ErrorCode(err) != tc.code {
					t.Fatalf("the first transition answered %v, want %q", err, tc.code)
				}
				got, err := st.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, 1, b.BookingID)
				if err != nil {
					t.Fatal(err)
				}
				balance, err := st.CreditBalance(ctx, 1)
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, got, balance)
				if sum, err := st.LedgerSum(ctx, 1); err != nil || sum != balance {
					t.Errorf("ledger sum %s, balance %s, %v", sum, balance, err)
				}
			})
		}
	}
}
