package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// profileFixture stores four members: 10 (in group 7, with facts, images, a tour covering t0's day),
// 11 (plain), 12 (inactive) and 13 (a client).
func profileFixture(t *testing.T, st awapi.Store) awapi.Member {
	t.Helper()
	_, err := st.CreateGroup(ctx, awapi.Group{GroupID: 7, GroupName: "Agency"})
	must(t, err)
	full := NewMember(10, "Bella")
	full.GroupID, full.Summary = 7, "Hello there"
	full.ProfileFacts = awapi.ProfileFacts{
		NationalityID: 158, Details: "About me, at some length.", TVTS: true, DoesInCalls: true, IsDirectCam: true,
		IsDirectChat: true, HasGallery: true, HasPrivateGallery: true, HasMovieClips: true, HasMovieRentals: true,
		HasSaleItems: true, HasBlog: true,
		AvailableEscortOn:       time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		WebcamAvailableUntil:    t0.Add(90 * time.Minute),
		PhoneChatAvailableUntil: t0.Add(-time.Minute),
	}
	full.MobileNumber, full.MobileVerified, full.ShowMobileNumber = "07700900010", true, true
	plain := NewMember(11, "Cara")
	plain.MobileNumber = "07700900011" // on the account, not shown
	inactive := NewMember(12, "Gone")
	inactive.IsActive = false
	client := NewMember(13, "Client")
	client.UserTypeID = awapi.UserTypeSeeking
	must(t, st.InsertMembers(ctx, []awapi.Member{full, plain, inactive, client}))
	must(t, st.InsertProfileImages(ctx, []awapi.ProfileImage{
		{UserID: 10, Number: 2, Safe: false, Description: "Second"},
		{UserID: 10, Number: 1, Safe: true, Description: "First"},
		{UserID: 11, Number: 3, Safe: true},
	}))
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	must(t, st.InsertTours(ctx, []awapi.Tour{
		{UserID: 10, CountryID: 158, RegionID: 7, Town: "Westminster", PostCode: "SW1A", DateFrom: day(25), DateTo: day(26), Created: t0},
		{UserID: 11, CountryID: 158, RegionID: 7, DateFrom: day(20), DateTo: day(25), Created: t0},
		{UserID: 11, CountryID: 158, RegionID: 7, DateFrom: day(27), DateTo: day(29), Created: t0},
	}))
	return full
}

func testProfiles(t *testing.T, st awapi.Store) {
	full := profileFixture(t, st)
	got, err := st.Profiles(ctx, []int64{11, 99, 12, 10, 13}, t0)
	must(t, err)
	var ids []int64
	for _, p := range got {
		ids = append(ids, p.UserID)
	}
	if want := []int64{11, 10, 13}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("Profiles order = %v, want %v (request order, unknown and inactive left out)", ids, want)
	}
	b := got[1]
	if !reflect.DeepEqual(b.ProfileFacts, full.ProfileFacts) {
		t.Errorf("ProfileFacts = %+v\nwant %+v", b.ProfileFacts, full.ProfileFacts)
	}
	if b.Email != "" || b.PasswordHash != "" {
		t.Errorf("profile carries private fields: %q %q", b.Email, b.PasswordHash)
	}
	if b.MobileNumber != "07700900010" || !b.MobileVerified || !b.ShowMobileNumber ||
		got[0].MobileNumber != "07700900011" || got[0].MobileVerified || got[0].ShowMobileNumber {
		t.Errorf("contact: %q %v %v, %q %v %v", b.MobileNumber, b.MobileVerified, b.ShowMobileNumber,
			got[0].MobileNumber, got[0].MobileVerified, got[0].ShowMobileNumber)
	}
	if b.GroupName != "Agency" || b.Summary != "Hello there" || !b.IsOnTour || got[0].IsOnTour {
		t.Errorf("GroupName %q Summary %q IsOnTour %v/%v", b.GroupName, b.Summary, b.IsOnTour, got[0].IsOnTour)
	}
	wantImages := []awapi.ProfileImage{{UserID: 10, Number: 1, Safe: true, Description: "First"}, {UserID: 10, Number: 2, Description: "Second"}}
	if !reflect.DeepEqual(b.Images, wantImages) {
		t.Errorf("Images = %+v, want %+v", b.Images, wantImages)
	}
	if im, ok := got[0].Image(3); !ok || im.Number != 3 || len(got[0].Images) != 1 {
		t.Errorf("Cara's images = %+v", got[0].Images)
	}
	// The tour covers 25-26 November in the store's zone; a day later it is over.
	later, err := st.Profiles(ctx, []int64{10}, t0.Add(24*time.Hour))
	must(t, err)
	if later[0].IsOnTour {
		t.Error("IsOnTour after the tour ended")
	}
	if none, err := st.Profiles(ctx, nil, t0); err != nil || len(none) != 0 {
		t.Errorf("Profiles(nil) = %v, %v", none, err)
	}
	// Member reads the facts back as well.
	m, err := st.Member(ctx, 10)
	must(t, err)
	if !reflect.DeepEqual(m.ProfileFacts, full.ProfileFacts) {
		t.Errorf("Member facts = %+v", m.ProfileFacts)
	}
}

// testProfileCounters checks that the denormalised rating and view counters follow every insert.
// profileOf reads one member's public profile as profiles and search show it at t0.
func profileOf(t *testing.T, st awapi.Store, userID int64) awapi.Profile {
	t.Helper()
	ps, err := st.Profiles(ctx, []int64{userID}, t0)
	must(t, err)
	if len(ps) != 1 {
		t.Fatalf("no profile of %d", userID)
	}
	return ps[0]
}

func testProfileCounters(t *testing.T, st awapi.Store) {
	profileFixture(t, st)
	rate := func(user int64, score int, disputed bool) awapi.Rating {
		return awapi.Rating{UserID: user, RaterID: 13, Service: awapi.ServiceEscort, Score: score, RatedAt: t0, Disputed: disputed}
	}
	counts := func(id int64) (awapi.RatingCounts, int64) {
		t.Helper()
		ps, err := st.Profiles(ctx, []int64{id}, t0)
		must(t, err)
		return ps[0].Ratings, ps[0].Views
	}
	if c, v := counts(10); c != (awapi.RatingCounts{}) || v != 0 {
		t.Fatalf("fresh counters = %+v, %d", c, v)
	}
	must(t, st.InsertRatings(ctx, []awapi.Rating{rate(10, 1, false), rate(10, 1, true), rate(10, 0, false), rate(11, -1, false)}))
	must(t, st.InsertRatings(ctx, []awapi.Rating{rate(10, -1, true), rate(10, 1, false)}))
	c, _ := counts(10)
	if want := (awapi.RatingCounts{Positive: 3, Neutral: 1, Negative: 1, Disputes: 2}); c != want {
		t.Errorf("counts(10) = %+v, want %+v", c, want)
	}
	if c.Total() != 2 || c.Ratings() != 5 {
		t.Errorf("Total %d Ratings %d, want 2 and 5", c.Total(), c.Ratings())
	}
	if c, _ := counts(11); c != (awapi.RatingCounts{Negative: 1}) {
		t.Errorf("counts(11) = %+v", c)
	}
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	must(t, st.InsertDailyViews(ctx, []awapi.DailyViews{
		{UserID: 10, Kind: awapi.ViewsProfile, Day: day(24), Views: 5},
		{UserID: 10, Kind: awapi.ViewsEscort, Day: day(24), Views: 100}, // not a profile-page view
	}))
	must(t, st.InsertDailyViews(ctx, []awapi.DailyViews{{UserID: 10, Kind: awapi.ViewsProfile, Day: day(25), Views: 7}}))
	if _, v := counts(10); v != 12 {
		t.Errorf("views = %d, want 12", v)
	}
}

func testSearchProfiles(t *testing.T, st awapi.Store) {
	profileFixture(t, st) // 10 Bella (SW1A, Westminster), 11 Cara, 12 inactive, 13 a client
	m := NewMember(14, "Max")
	m.GenderID, m.PostCode, m.Town, m.LastUpdated, m.IsEscort = 2, "M1", "Manchester", t0.Add(-time.Hour), true
	m.BirthDate = time.Date(2000, 11, 27, 0, 0, 0, 0, time.UTC) // 25 today, 26 tomorrow
	must(t, st.InsertMembers(ctx, []awapi.Member{m}))
	must(t, st.InsertRatings(ctx, []awapi.Rating{
		{UserID: 11, RaterID: 13, Service: awapi.ServiceEscort, Score: 1, RatedAt: t0},
		{UserID: 11, RaterID: 13, Service: awapi.ServiceEscort, Score: 1, RatedAt: t0},
		{UserID: 14, RaterID: 13, Service: awapi.ServiceEscort, Score: 1, RatedAt: t0},
	}))
	must(t, st.InsertDailyViews(ctx, []awapi.DailyViews{{UserID: 10, Kind: awapi.ViewsProfile, Day: t0, Views: 9}}))
	// Give Bella her location through the members row the fixture wrote.
	bella := NewMember(15, "Bellamy")
	bella.PostCode, bella.Town, bella.LastUpdated = "SW1A", "Westminster", t0.Add(-2*time.Hour)
	must(t, st.InsertMembers(ctx, []awapi.Member{bella}))

	page := awapi.Page{Number: 1, Size: 10}
	base := awapi.ProfileQuery{Order: awapi.OrderLastUpdated, Page: page, Now: t0}
	tests := []struct {
		name  string
		edit  func(q *awapi.ProfileQuery)
		want  []int64
		total int
	}{
		// Cara, Bella and Max share NewMember's LastUpdated except Max and Bellamy: ties break on UserID.
		{"all by last updated", func(q *awapi.ProfileQuery) {}, []int64{14, 15, 11, 10}, 4},
		{"page 2 of 3 per page", func(q *awapi.ProfileQuery) { q.Page = awapi.Page{Number: 2, Size: 3} }, []int64{10}, 4},
		{"beyond the last page", func(q *awapi.ProfileQuery) { q.Page = awapi.Page{Number: 3, Size: 3} }, nil, 4},
		{"gender", func(q *awapi.ProfileQuery) { q.GenderIDs = []int{2, 3} }, []int64{14}, 1},
		{"max age 25", func(q *awapi.ProfileQuery) { q.MaxAge = 25 }, []int64{14}, 1},
		{"min age 26", func(q *awapi.ProfileQuery) { q.MinAge = 26 }, []int64{15, 11, 10}, 3},
		{"max age 25 tomorrow", func(q *awapi.ProfileQuery) { q.MaxAge = 25; q.Now = t0.Add(24 * time.Hour) }, nil, 0},
		{"nickname substring", func(q *awapi.ProfileQuery) { q.Nickname = "ELL" }, []int64{15, 10}, 2},
		{"nickname wildcard is literal", func(q *awapi.ProfileQuery) { q.Nickname = "%" }, nil, 0},
		{"town", func(q *awapi.ProfileQuery) { q.Town = "minst" }, []int64{15}, 1},
		{"escort", func(q *awapi.ProfileQuery) { q.Services.IsEscort = true }, []int64{14}, 1},
		{"webcam now", func(q *awapi.ProfileQuery) { q.AvailableNowWebcam = true }, []int64{10}, 1},
		{"escort today", func(q *awapi.ProfileQuery) { q.AvailableTodayEscort = true }, []int64{10}, 1},
		{"gallery", func(q *awapi.ProfileQuery) { q.HasGallery = true }, []int64{10}, 1},
		{"country", func(q *awapi.ProfileQuery) { q.CountryID = 1 }, nil, 0},
		{"rating", func(q *awapi.ProfileQuery) { q.Order = awapi.OrderRating }, []int64{11, 14, 15, 10}, 4},
		{"views", func(q *awapi.ProfileQuery) { q.Order = awapi.OrderViews }, []int64{10, 15, 14, 11}, 4},
		{"age-asc", func(q *awapi.ProfileQuery) { q.Order = awapi.OrderAgeAsc }, []int64{14, 15, 11, 10}, 4},
		{"nickname-desc", func(q *awapi.ProfileQuery) { q.Order = awapi.OrderNicknameDesc }, []int64{14, 11, 15, 10}, 4},
		{"near, by distance", func(q *awapi.ProfileQuery) {
			q.Near, q.Order = map[string]float64{"M1": 262.5, "SW1A": 0.4}, awapi.OrderDistance
		}, []int64{15, 14}, 2},
		{"near nothing", func(q *awapi.ProfileQuery) { q.Near = map[string]float64{} }, nil, 0},
	}
	for _, tc := range tests {
		q := base
		tc.edit(&q)
		hits, total, err := st.SearchProfiles(ctx, q)
		must(t, err)
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.UserID)
			if (h.DistanceKm != nil) != (q.Near != nil) {
				t.Errorf("%s: DistanceKm %v", tc.name, h.DistanceKm)
			}
		}
		if !reflect.DeepEqual(ids, tc.want) || total != tc.total {
			t.Errorf("%s: ids %v total %d, want %v %d", tc.name, ids, total, tc.want, tc.total)
		}
		if tc.name == "near, by distance" && (*hits[0].DistanceKm != 0.4 || *hits[1].DistanceKm != 262.5) {
			t.Errorf("distances %v %v", *hits[0].DistanceKm, *hits[1].DistanceKm)
		}
	}
}
