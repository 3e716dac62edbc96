package sqlstore_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// The benchmarks time the store calls issue 11 profiled, on each engine: a bearer token lookup (the
// cost of every authenticated request), a 4-performer WebcamPerformers (an IN list), a proximity
// search over the districts within 25 miles of SW1, and a webcam booking's lifecycle (transactions).
// They use only the exported API, so the same file runs against older versions of the store.

var benchNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func benchEngines(b *testing.B, fn func(b *testing.B, st *sqlstore.DB)) {
	for _, e := range testdb.Engines() {
		b.Run(e.Name, func(b *testing.B) { fn(b, e.Open(b)) })
	}
}

func BenchmarkAccessToken(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		if _, err := st.CreateMember(ctx, storetest.NewMember(1, "Alice")); err != nil {
			b.Fatal(err)
		}
		p, err := st.CreateProject(ctx, awapi.NewProject{Name: "p", APIKeyDigest: []byte("key"), APIKeyPrefix: "awk_p",
			APISecretDigest: []byte("secret")})
		if err != nil {
			b.Fatal(err)
		}
		digest := []byte("0123456789abcdef0123456789abcdef")
		if err := st.CreateAccessToken(ctx, digest, awapi.AccessToken{UserID: 1, ProjectID: p.ProjectID,
			Scopes: awapi.ScopeSet{awapi.ScopeUserID}, ExpiresAt: benchNow.Add(time.Hour)}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, _, err := st.AccessToken(ctx, digest, benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkWebcamPerformers4(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		var ms []awapi.Member
		for id := int64(1); id <= 8; id++ {
			m := storetest.NewMember(id, fmt.Sprintf("m%d", id))
			m.IsWebcam = true
			ms = append(ms, m)
		}
		if err := st.InsertMembers(ctx, ms); err != nil {
			b.Fatal(err)
		}
		ids := []int64{2, 3, 5, 7}
		b.ResetTimer()
		for b.Loop() {
			if ps, err := st.WebcamPerformers(ctx, ids); err != nil || len(ps) != 4 {
				b.Fatal(len(ps), err)
			}
		}
	})
}

func BenchmarkProximityDistricts(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		if _, err := seed.Run(ctx, st, seed.Options{Users: 2000, Seed: 1, Now: benchNow}); err != nil {
			b.Fatal(err)
		}
		if err := st.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
		near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(25))
		q := awapi.ProfileQuery{Near: near, Order: awapi.OrderDistance, Page: awapi.Page{Number: 1, Size: 20}, Now: benchNow}
		b.ReportMetric(float64(len(near)), "districts")
		b.ResetTimer()
		for b.Loop() {
			if _, _, err := st.SearchProfiles(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkProximityVarying is BenchmarkProximityDistricts with a different district list on every
// run (one of the 398 left out in turn), as searches from different places and radii have: a text
// that embeds the list never repeats.
func BenchmarkProximityVarying(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		if _, err := seed.Run(ctx, st, seed.Options{Users: 2000, Seed: 1, Now: benchNow}); err != nil {
			b.Fatal(err)
		}
		if err := st.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
		near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(25))
		codes := slices.Sorted(maps.Keys(near))
		b.ResetTimer()
		i := 0
		for b.Loop() {
			some := maps.Clone(near)
			delete(some, codes[i%len(codes)])
			i++
			q := awapi.ProfileQuery{Near: some, Order: awapi.OrderDistance, Page: awapi.Page{Number: 1, Size: 20}, Now: benchNow}
			if _, _, err := st.SearchProfiles(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWebcamLifecycle creates, accepts and confirms one booking per iteration: a creation, then
// two read–decide–write steps of the booking engine.
func BenchmarkWebcamLifecycle(b *testing.B) {
	benchEngines(b, func(b *testing.B, st *sqlstore.DB) {
		ctx := context.Background()
		performer := storetest.NewMember(2, "Performer")
		performer.IsWebcam = true
		if err := st.InsertMembers(ctx, []awapi.Member{storetest.NewMember(1, "Client"), performer}); err != nil {
			b.Fatal(err)
		}
		if _, err := st.AddCredits(ctx, 1, awapi.MaxCredits, "top-up", benchNow); err != nil {
			b.Fatal(err)
		}
		session := benchNow.Add(72 * time.Hour)
		nb := awapi.Booking{Service: awapi.ServiceWebcam, ClientID: 1, SessionDate: session, Duration: 30, Credits: 1,
			Status: awapi.StatusPending, CreatedAt: benchNow, AcceptBy: awapi.AcceptByFor(benchNow, session),
			Details:     awapi.BookingDetails{SoftwareTypeID: awapi.SoftwareSkype},
			Invitations: []awapi.Invitation{{PerformerID: 2}}}
		webcam := awapi.Bookings{Store: st, Service: awapi.ServiceWebcam}
		b.ResetTimer()
		for b.Loop() {
			bk, err := st.CreateBooking(ctx, nb, 0)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := webcam.Accept(ctx, 2, bk.BookingID, 1, benchNow); err != nil {
				b.Fatal(err)
			}
			if _, err := webcam.Confirm(ctx, 1, bk.BookingID, benchNow); err != nil {
				b.Fatal(err)
			}
		}
	})
}
