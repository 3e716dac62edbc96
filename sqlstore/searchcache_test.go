package sqlstore_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
)

// TestSearchCache opens two stores on one seeded database, one counting every search and paging with
// OFFSET (and reading location searches through the post code index), one with the search cache
// (and, on SQLite, walking an ordering's index for dense location searches), and checks that every ordering gives the same pages on both,
// whether read in turn (each page seeks to where the previous one ended), jumped to, or read again;
// and that the cached total is reused for the TTL only.
func TestSearchCache(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a sandbox")
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "awapi.db") }}}
	if len(testdb.Engines()) > 1 {
		engines = append(engines, struct {
			name string
			dsn  func(t *testing.T) string
		}{"postgres", func(t *testing.T) string { return testdb.PostgresDSN(t) }})
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.dsn(t)
			clock := awapi.NewFakeClock(now)
			plain, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London, Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			defer plain.Close()
			plain.NoNearWalk()
			cached, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London, Clock: clock, SearchCacheTTL: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			defer cached.Close()
			if _, err := seed.Run(ctx, plain, seed.Options{Users: 3000, Seed: 1, Now: now}); err != nil {
				t.Fatal(err)
			}
			near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(100))
			for _, order := range []awapi.ProfileOrder{awapi.OrderLastUpdated, awapi.OrderRating, awapi.OrderViews,
				awapi.OrderAgeAsc, awapi.OrderAgeDesc, awapi.OrderNicknameAsc, awapi.OrderNicknameDesc,
				awapi.OrderRegisterDate, awapi.OrderDistance} {
				for _, shape := range []awapi.ProfileQuery{{}, {GenderIDs: []int{1}, CountryID: 158}, {Near: near}} {
					if order == awapi.OrderDistance && shape.Near == nil {
						continue
					}
					q := shape
					q.Order, q.Now = order, now
					// In turn, then a jump back, a jump ahead past the known ends, and the same page again.
					for _, n := range []int{1, 2, 3, 4, 5, 6, 2, 9, 9, 5} {
						q.Page = awapi.Page{Number: n, Size: 17}
						want, wantTotal, err := plain.SearchProfiles(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						got, total, err := cached.SearchProfiles(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						if total != wantTotal || !slices.Equal(hitIDs(got), hitIDs(want)) || !slices.Equal(hitKms(got), hitKms(want)) {
							t.Fatalf("%s %+v page %d: total %d %v, want %d %v", order, shape, n, total, hitIDs(got), wantTotal, hitIDs(want))
						}
						if len(want) == 0 {
							t.Fatalf("%s %+v page %d: no profiles; the test needs more", order, shape, n)
						}
					}
				}
			}

			// A member who stops offering leaves the total at once for the uncached store, after the TTL
			// for the cached one.
			q := awapi.ProfileQuery{Order: awapi.OrderLastUpdated, Page: awapi.Page{Number: 1, Size: 10}, Now: now}
			_, before, err := cached.SearchProfiles(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := plain.SQL().ExecContext(ctx, `UPDATE members SET is_active = false WHERE user_id = 2`); err != nil {
				t.Fatal(err)
			}
			if _, total, _ := cached.SearchProfiles(ctx, q); total != before {
				t.Errorf("within the TTL: total %d, want the cached %d", total, before)
			}
			clock.Advance(time.Minute)
			if _, total, _ := cached.SearchProfiles(ctx, q); total != before-1 {
				t.Errorf("after the TTL: total %d, want %d", total, before-1)
			}
		})
	}
}

func hitIDs(hs []awapi.ProfileHit) []int64 {
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.UserID
	}
	return ids
}

func hitKms(hs []awapi.ProfileHit) []float64 {
	kms := make([]float64, len(hs))
	for i, h := range hs {
		if h.DistanceKm != nil {
			kms[i] = *h.DistanceKm
		}
	}
	return kms
}
