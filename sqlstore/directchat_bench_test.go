package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// BenchmarkDirectChat times, on each engine, a DirectChat call placed whole (one transaction: PIN
// lock, balance lock, call row, two ledger rows), a call answered then ended (two such
// transactions), and beside them a DirectCam session (the same two ledger rows without the locks
// and reads), so the cost of the locking reads shows as a ratio; and GetAllPINs of a client holding
// 100 PINs with 10 calls each (the counters are read per PIN from the calls' index).
func BenchmarkDirectChat(b *testing.B) {
	setup := func(b *testing.B, st *sqlstore.DB, performers int) {
		ctx := context.Background()
		client := storetest.NewMember(1, "Caller")
		ms := []awapi.Member{client}
		var ss []awapi.DirectChatSettings
		for id := int64(2); id < int64(2+performers); id++ {
			ms = append(ms, storetest.NewMember(id, fmt.Sprintf("Line%d", id)))
			ss = append(ss, awapi.DirectChatSettings{UserID: id, OfferDirectChat: true, PPM: 1, AvailableNow: true})
		}
		if err := st.InsertMembers(ctx, ms); err != nil {
			b.Fatal(err)
		}
		if err := st.InsertDirectChatSettings(ctx, ss); err != nil {
			b.Fatal(err)
		}
		if _, err := st.AddCredits(ctx, 1, awapi.MaxCredits, "top-up", benchNow); err != nil {
			b.Fatal(err)
		}
	}
	place := func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
		return l.PlaceCall(3, benchNow, time.UTC)
	}
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		setup(b, st, 100)
		var pins []string
		for id := int64(2); id < 102; id++ {
			p, _, err := awapi.CreateDirectChatPIN(ctx, st, 1, id, benchNow, awapi.NewDirectChatPIN)
			if err != nil {
				b.Fatal(err)
			}
			pins = append(pins, p.PIN)
			for range 10 {
				if _, _, err := st.ChargeDirectChatCall(ctx, p.PIN, benchNow, place); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run("PlaceCall", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := st.ChargeDirectChatCall(ctx, pins[0], benchNow, place); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("StartAndEndCall", func(b *testing.B) {
			for b.Loop() {
				if _, _, err := st.ChargeDirectChatCall(ctx, pins[1], benchNow, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
					return l.StartCall(benchNow, time.UTC)
				}); err != nil {
					b.Fatal(err)
				}
				if _, _, err := st.ChargeDirectChatCall(ctx, pins[1], benchNow, func(l *awapi.DirectChatLine) (awapi.DirectChatCall, awapi.DirectChatCharge, error) {
					return l.EndCall(benchNow.Add(150 * time.Second))
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("DirectCamSessionBaseline", func(b *testing.B) {
			sess := awapi.DirectCamSession{PerformerID: 2, ClientID: 1, Mode: awapi.ModePrivate, Minutes: 3, PPM: 1, Credits: 3, RanAt: benchNow}
			for b.Loop() {
				if _, _, err := st.RecordDirectCamSession(ctx, sess, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("GetAllPINs100", func(b *testing.B) {
			for b.Loop() {
				if ps, err := st.DirectChatPINs(ctx, 1); err != nil || len(ps) != 100 {
					b.Fatal(len(ps), err)
				}
			}
		})
	})
}
