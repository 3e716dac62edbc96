package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
)

// planShapes are the SearchProfiles query shapes whose plans must use the members_public_* indexes
// rather than scan members: every ordering, every filter (alone and in the typical combination),
// first and deep pages. docs/search-plans.md shows the measured ones at 1,000,000 members.
func planShapes(now time.Time) map[string]awapi.ProfileQuery {
	page := awapi.Page{Number: 1, Size: 50}
	deep := awapi.Page{Number: 20, Size: 50}
	near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(25))
	typical := awapi.ProfileQuery{GenderIDs: []int{1}, MinAge: 18, MaxAge: 35, CountryID: 158, Order: awapi.OrderLastUpdated, Page: page, Now: now}
	shapes := map[string]awapi.ProfileQuery{
		"gender+age+country page": typical,
		"proximity":               {Near: near, Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"proximity by distance":   {Near: near, Order: awapi.OrderDistance, Page: page, Now: now},
		"proximity+gender deep":   {Near: near, GenderIDs: []int{1}, Order: awapi.OrderLastUpdated, Page: awapi.Page{Number: 3, Size: 50}, Now: now},
		"no filter":               {Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"region":                  {RegionID: 7, Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"county":                  {CountyID: 31, Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"town":                    {CountryID: 158, Town: "ham", Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"nickname":                {Nickname: "bel", Order: awapi.OrderNicknameAsc, Page: page, Now: now},
		"orientation":             {OrientationIDs: []int{1, 2}, Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"services":                {Services: awapi.Services{IsEscort: true, IsWebcam: true}, HasGallery: true, Verified: true, Order: awapi.OrderLastUpdated, Page: page, Now: now},
		"available now":           {AvailableNowWebcam: true, AvailableNowPhoneChat: true, AvailableTodayEscort: true, Order: awapi.OrderLastUpdated, Page: page, Now: now},
	}
	for _, o := range []awapi.ProfileOrder{awapi.OrderLastUpdated, awapi.OrderRating, awapi.OrderViews, awapi.OrderAgeAsc,
		awapi.OrderAgeDesc, awapi.OrderNicknameAsc, awapi.OrderNicknameDesc, awapi.OrderRegisterDate} {
		shapes["order "+string(o)] = awapi.ProfileQuery{Order: o, Page: page, Now: now}
		shapes["order "+string(o)+" deep"] = awapi.ProfileQuery{Order: o, Page: deep, Now: now}
		q := typical
		q.Order, q.Page = o, deep
		shapes["typical by "+string(o)+" deep"] = q
	}
	return shapes
}

// TestSearchPlans seeds a sandbox, refreshes statistics and checks that every typical search shape
// reads members through an index on both engines (docs/search-plans.md shows the plans at 1,000,000).
func TestSearchPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a sandbox")
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			ctx := context.Background()
			if _, err := seed.Run(ctx, st, seed.Options{Users: 20000, Seed: 1, Now: now}); err != nil {
				t.Fatal(err)
			}
			if err := st.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
			for name, q := range planShapes(now) {
				plans, err := st.ExplainProfileSearch(ctx, q, true)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if q.Page.Number > 1 && plans.Seek == nil {
					t.Errorf("%s: no seek plan for page %d", name, q.Page.Number)
				}
				for part, plan := range map[string][]string{"count": plans.Count, "page": plans.Page, "seek": plans.Seek} {
					if plan == nil && part == "seek" {
						continue
					}
					text := strings.Join(plan, "\n")
					t.Logf("%s (%s):\n%s", name, part, text)
					if !strings.Contains(text, "members_public_") {
						t.Errorf("%s (%s) uses no members_public_* index:\n%s", name, part, text)
					}
					if fullScan(text) {
						t.Errorf("%s (%s) scans members:\n%s", name, part, text)
					}
				}
			}
		})
	}
}

// fullScan reports whether a plan reads the whole members table.
func fullScan(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "SCAN members") && !strings.Contains(line, "USING") { // SQLite
			return true
		}
		if strings.Contains(line, "Seq Scan on members") { // PostgreSQL
			return true
		}
	}
	return false
}
