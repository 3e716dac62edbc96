package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// groupFixture stores group 7 "Kensington Angels" with members 20-24 (23 inactive), member 25 in group
// 8, and escort rates for 20-22 and 25.
func groupFixture(t *testing.T, st awapi.Store) {
	t.Helper()
	for _, g := range []awapi.Group{{GroupID: 7, GroupName: "Kensington Angels"}, {GroupID: 8, GroupName: "Other"}} {
		_, err := st.CreateGroup(ctx, g)
		must(t, err)
	}
	mk := func(id int64, nick string, updatedDaysAgo, birthYear, registeredDaysAgo int) awapi.Member {
		m := NewMember(id, nick)
		m.GroupID = 7
		m.LastUpdated = t0.AddDate(0, 0, -updatedDaysAgo)
		m.BirthDate = time.Date(birthYear, 3, 1, 0, 0, 0, 0, time.UTC)
		m.RegisteredAt = t0.AddDate(0, 0, -registeredDaysAgo)
		return m
	}
	ms := []awapi.Member{
		mk(20, "Zara", 1, 1990, 300), mk(21, "amy", 3, 1999, 100), mk(22, "Beth", 2, 1985, 200),
		mk(23, "Gone", 0, 1990, 10), mk(24, "Cleo", 4, 1995, 50), mk(25, "Elsewhere", 0, 1990, 10),
	}
	ms[3].IsActive = false
	ms[5].GroupID = 8
	must(t, st.InsertMembers(ctx, ms))
	rate := func(user int64, score int) awapi.Rating {
		return awapi.Rating{UserID: user, RaterID: 25, Service: awapi.ServiceEscort, Score: score, RatedAt: t0}
	}
	// Net rating: 22 +2, 24 +1, 21 -1 (3 ratings), 20 0.
	must(t, st.InsertRatings(ctx, []awapi.Rating{rate(22, 1), rate(22, 1), rate(24, 1), rate(21, -1), rate(21, 0), rate(21, 0)}))
	must(t, st.InsertDailyViews(ctx, []awapi.DailyViews{
		{UserID: 24, Kind: awapi.ViewsProfile, Day: t0, Views: 50}, {UserID: 20, Kind: awapi.ViewsProfile, Day: t0, Views: 10},
	}))
	must(t, st.InsertEscortRates(ctx, []awapi.EscortRate{
		{UserID: 20, RateBreakID: awapi.RateBreakOneHour, InCall: 150_00, OutCall: 200_00},
		{UserID: 20, RateBreakID: 1, InCall: 90_00},
		{UserID: 21, RateBreakID: awapi.RateBreakOneHour, InCall: 100_00},
		{UserID: 22, RateBreakID: awapi.RateBreakOneHour, OutCall: 120_00},
		{UserID: 24, RateBreakID: 3, InCall: 250_00, OutCall: 300_00}, // no 1-hour rate
		{UserID: 25, RateBreakID: awapi.RateBreakOneHour, InCall: 1_00},
	}))
}

func testGroupProfiles(t *testing.T, st awapi.Store) {
	groupFixture(t, st)
	for _, name := range []string{"Kensington Angels", "kensington ANGELS"} {
		g, err := st.GroupByName(ctx, name)
		must(t, err)
		if g.GroupID != 7 || g.GroupName != "Kensington Angels" {
			t.Errorf("GroupByName(%q) = %+v", name, g)
		}
	}
	_, err := st.GroupByName(ctx, "Kensington")
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.GroupProfile(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)

	bare, err := st.GroupProfile(ctx, 8)
	must(t, err)
	if !reflect.DeepEqual(bare, awapi.GroupProfile{Group: awapi.Group{GroupID: 8, GroupName: "Other"}}) {
		t.Errorf("a group without details = %+v", bare)
	}
	want := awapi.GroupProfile{
		Group: awapi.Group{GroupID: 7, GroupName: "Kensington Angels"},
		GroupInfo: awapi.GroupInfo{Details: "An agency.", Website: "https://angels.example", PhoneNumber: "020 7946 0000",
			CountryID: 158, RegionID: 7, CountyID: 31, Town: "Kensington", PostCode: "W8"},
		// Stored out of order: read back Monday first, Sunday last.
		OpeningHours: []awapi.OpeningHours{{Weekday: time.Sunday, Opens: 12 * 60, Closes: 18 * 60},
			{Weekday: time.Monday, Opens: 10 * 60, Closes: 2 * 60}, {Weekday: time.Friday, Opens: 10 * 60, Closes: 23*60 + 30}},
		Images: []awapi.GroupImage{{Number: 2, Description: "Reception"}, {Number: 1, Safe: true, Description: "Logo"}},
	}
	must(t, st.SetGroupProfiles(ctx, []awapi.GroupProfile{want}))
	got, err := st.GroupProfile(ctx, 7)
	must(t, err)
	want.OpeningHours = []awapi.OpeningHours{want.OpeningHours[1], want.OpeningHours[2], want.OpeningHours[0]}
	want.Images = []awapi.GroupImage{want.Images[1], want.Images[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GroupProfile = %+v\nwant %+v", got, want)
	}
	// Setting again replaces hours and images.
	again := want
	again.OpeningHours, again.Images = []awapi.OpeningHours{{Weekday: time.Tuesday, Opens: 9 * 60, Closes: 17 * 60}}, nil
	must(t, st.SetGroupProfiles(ctx, []awapi.GroupProfile{again}))
	got, err = st.GroupProfile(ctx, 7)
	must(t, err)
	if !reflect.DeepEqual(got, again) {
		t.Errorf("after replacing = %+v", got)
	}
	// Bad rows and unknown groups write nothing.
	for _, bad := range []awapi.GroupProfile{
		{Group: awapi.Group{GroupID: 7}, OpeningHours: []awapi.OpeningHours{{Weekday: time.Monday, Opens: 24 * 60}}},
		{Group: awapi.Group{GroupID: 7}, Images: []awapi.GroupImage{{Number: 6}}},
		{Group: awapi.Group{GroupID: 7}, OpeningHours: []awapi.OpeningHours{{Weekday: time.Monday}, {Weekday: time.Monday}}},
	} {
		wantKind(t, st.SetGroupProfiles(ctx, []awapi.GroupProfile{bad}), awapi.KindInvalid)
	}
	wantKind(t, st.SetGroupProfiles(ctx, []awapi.GroupProfile{{Group: awapi.Group{GroupID: 8}, GroupInfo: awapi.GroupInfo{Details: "x"}},
		{Group: awapi.Group{GroupID: 99}}}), awapi.KindNotFound)
	if g, _ := st.GroupProfile(ctx, 8); g.Details != "" {
		t.Error("a failed SetGroupProfiles wrote part of its batch")
	}
	if g, _ := st.GroupProfile(ctx, 7); !reflect.DeepEqual(g, again) {
		t.Errorf("a rejected SetGroupProfiles changed the group: %+v", g)
	}

	rates, err := st.EscortRates(ctx, []int64{21, 20, 23, 20})
	must(t, err)
	wantRates := []awapi.EscortRate{
		{UserID: 20, RateBreakID: 1, InCall: 90_00},
		{UserID: 20, RateBreakID: 2, InCall: 150_00, OutCall: 200_00},
		{UserID: 21, RateBreakID: 2, InCall: 100_00},
	}
	if !reflect.DeepEqual(rates, wantRates) {
		t.Errorf("EscortRates = %+v", rates)
	}
}

func testGroupMembers(t *testing.T, st awapi.Store) {
	groupFixture(t, st) // active members of group 7: 20 Zara, 21 amy, 22 Beth, 24 Cleo
	page := awapi.Page{Number: 1, Size: 10}
	tests := []struct {
		order awapi.ProfileOrder
		page  awapi.Page
		want  []int64
	}{
		{awapi.OrderLastUpdated, page, []int64{20, 22, 21, 24}},
		{awapi.OrderLastUpdated, awapi.Page{Number: 2, Size: 3}, []int64{24}},
		{awapi.OrderLastUpdated, awapi.Page{Number: 3, Size: 3}, nil},
		{awapi.OrderRating, page, []int64{22, 24, 20, 21}},
		{awapi.OrderRatingTotal, page, []int64{21, 22, 24, 20}},
		{awapi.OrderRegisterDate, page, []int64{24, 21, 22, 20}},
		{awapi.OrderViews, page, []int64{24, 20, 22, 21}},
		{awapi.OrderAgeAsc, page, []int64{21, 24, 20, 22}},
		{awapi.OrderAgeDesc, page, []int64{22, 20, 24, 21}},
		{awapi.OrderNicknameAsc, page, []int64{21, 22, 24, 20}},
		{awapi.OrderNicknameDesc, page, []int64{20, 24, 22, 21}},
		// 1-hour in-call: 21 100, 20 150; none for 22 and 24, who come last (by UserID) both ways.
		{awapi.OrderInRatesAsc, page, []int64{21, 20, 22, 24}},
		{awapi.OrderInRatesDesc, page, []int64{20, 21, 22, 24}},
		// 1-hour out-call: 22 120, 20 200.
		{awapi.OrderOutRatesAsc, page, []int64{22, 20, 21, 24}},
		{awapi.OrderOutRatesDesc, page, []int64{20, 22, 21, 24}},
		{awapi.OrderInRatesAsc, awapi.Page{Number: 2, Size: 2}, []int64{22, 24}},
	}
	for _, tc := range tests {
		ps, total, err := st.GroupMembers(ctx, awapi.GroupMemberQuery{GroupID: 7, Order: tc.order, Page: tc.page, Now: t0})
		must(t, err)
		var ids []int64
		for _, p := range ps {
			ids = append(ids, p.UserID)
			if p.GroupName != "Kensington Angels" {
				t.Errorf("%s: member %d GroupName %q", tc.order, p.UserID, p.GroupName)
			}
		}
		if !reflect.DeepEqual(ids, tc.want) || total != 4 {
			t.Errorf("%s page %d: %v (total %d), want %v (4)", tc.order, tc.page.Number, ids, total, tc.want)
		}
	}
	if ps, total, err := st.GroupMembers(ctx, awapi.GroupMemberQuery{GroupID: 99, Order: awapi.OrderLastUpdated, Page: page, Now: t0}); err != nil || total != 0 || len(ps) != 0 {
		t.Errorf("empty group: %v %d %v", ps, total, err)
	}
	if _, _, err := st.GroupMembers(ctx, awapi.GroupMemberQuery{GroupID: 7, Order: awapi.OrderDistance, Page: page}); err == nil {
		t.Error("GroupMembers accepted the distance order")
	}
}

func testSearchTours(t *testing.T, st awapi.Store) {
	ms := []awapi.Member{NewMember(30, "Touring"), NewMember(31, "Roaming"), NewMember(32, "Resting")}
	ms[1].GenderID, ms[1].OrientationID = 2, 3
	ms[1].BirthDate = time.Date(2000, 11, 27, 0, 0, 0, 0, time.UTC) // 25 on t0, 26 the day after
	ms[2].IsActive = false
	must(t, st.InsertMembers(ctx, ms))
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	tour := func(user int64, region, county int, town, code string, from, to int) awapi.Tour {
		return awapi.Tour{UserID: user, CountryID: 158, RegionID: region, CountyID: county, Town: town, PostCode: code,
			DateFrom: day(from), DateTo: day(to), Created: t0}
	}
	// TourIDs are assigned in this order, 1..6.
	must(t, st.InsertTours(ctx, []awapi.Tour{
		tour(30, 7, 31, "Westminster", "SW1A", 26, 28), // 1
		tour(31, 7, 35, "Chiswick", "W4", 24, 26),      // 2
		tour(30, 7, 35, "Chiswick", "W4", 20, 22),      // 3: over before the 24th
		tour(31, 2, 6, "Manchester", "M1", 26, 27),     // 4: another region
		tour(32, 7, 31, "Westminster", "SW1A", 26, 26), // 5: an inactive member
		tour(30, 7, 31, "Soho", "W1D", 30, 30),         // 6
	}))
	base := awapi.TourQuery{CountryID: 158, RegionID: 7, Page: awapi.Page{Number: 1, Size: 10}, Now: t0}
	tests := []struct {
		name  string
		edit  func(q *awapi.TourQuery)
		want  []int64
		total int
	}{
		{"region, soonest first", func(q *awapi.TourQuery) {}, []int64{3, 2, 1, 6}, 4},
		{"page 2", func(q *awapi.TourQuery) { q.Page = awapi.Page{Number: 2, Size: 3} }, []int64{6}, 4},
		{"beyond the last page", func(q *awapi.TourQuery) { q.Page = awapi.Page{Number: 5, Size: 1} }, nil, 4},
		{"other region", func(q *awapi.TourQuery) { q.RegionID = 2 }, []int64{4}, 1},
		{"other country", func(q *awapi.TourQuery) { q.CountryID = 1 }, nil, 0},
		{"county", func(q *awapi.TourQuery) { q.CountyID = 35 }, []int64{3, 2}, 2},
		{"town substring", func(q *awapi.TourQuery) { q.Town = "MINST" }, []int64{1}, 1},
		{"town wildcard is literal", func(q *awapi.TourQuery) { q.Town = "_" }, nil, 0},
		{"from overlaps", func(q *awapi.TourQuery) { q.From = day(26) }, []int64{2, 1, 6}, 3},
		{"to overlaps", func(q *awapi.TourQuery) { q.To = day(24) }, []int64{3, 2}, 2},
		{"one day", func(q *awapi.TourQuery) { q.From, q.To = day(27), day(29) }, []int64{1}, 1},
		{"gap between tours", func(q *awapi.TourQuery) { q.From, q.To = day(23), day(23) }, nil, 0},
		{"user", func(q *awapi.TourQuery) { q.UserID = 31 }, []int64{2}, 1},
		{"gender", func(q *awapi.TourQuery) { q.GenderID = 2 }, []int64{2}, 1},
		{"orientation", func(q *awapi.TourQuery) { q.OrientationID = 1 }, []int64{3, 1, 6}, 3},
		{"max age 25", func(q *awapi.TourQuery) { q.MaxAge = 25 }, []int64{2}, 1},
		{"max age 25 tomorrow", func(q *awapi.TourQuery) { q.MaxAge = 25; q.Now = t0.Add(24 * time.Hour) }, nil, 0},
		{"min age 26", func(q *awapi.TourQuery) { q.MinAge = 26 }, []int64{3, 1, 6}, 3},
		{"near", func(q *awapi.TourQuery) { q.Near = map[string]float64{"SW1A": 0.5, "W1D": 1.9} }, []int64{1, 6}, 2},
		{"near nothing", func(q *awapi.TourQuery) { q.Near = map[string]float64{} }, nil, 0},
	}
	for _, tc := range tests {
		q := base
		tc.edit(&q)
		hits, total, err := st.SearchTours(ctx, q)
		must(t, err)
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.TourID)
			if h.User.UserID != h.UserID || h.User.Nickname == "" {
				t.Errorf("%s: tour %d has user %+v", tc.name, h.TourID, h.User.Member)
			}
			if (h.DistanceKm != nil) != (q.Near != nil) {
				t.Errorf("%s: DistanceKm %v", tc.name, h.DistanceKm)
			}
		}
		if !reflect.DeepEqual(ids, tc.want) || total != tc.total {
			t.Errorf("%s: tours %v total %d, want %v %d", tc.name, ids, total, tc.want, tc.total)
		}
	}
	hits, _, err := st.SearchTours(ctx, awapi.TourQuery{CountryID: 158, RegionID: 7, Town: "soho",
		Near: map[string]float64{"W1D": 1.9}, Page: awapi.Page{Number: 1, Size: 1}, Now: t0})
	must(t, err)
	want := tour(30, 7, 31, "Soho", "W1D", 30, 30)
	want.TourID = 6
	if len(hits) != 1 || !reflect.DeepEqual(hits[0].Tour, want) || *hits[0].DistanceKm != 1.9 || !hits[0].User.IsActive {
		t.Errorf("hit = %+v", hits)
	}
}
