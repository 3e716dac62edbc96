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
	inactive := NewMember(12, "Gone")
	inactive.IsActive = false
	client := NewMember(13, "Client")
	client.UserTypeID = awapi.UserTypeSeeking
	must(t, st.InsertMembers(ctx, []awapi.Member{full, NewMember(11, "Cara"), inactive, client}))
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
