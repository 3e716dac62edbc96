package httpapi

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// groupView is getGroupDetails read back from JSON.
type groupView struct {
	GroupID   int64
	GroupName string
	Details   *struct {
		Details, Country, Region, County, Town, PostCode string
		Website, PhoneNumber                             *string
	}
	Images *struct {
		HasImage1, Image1Safe, HasImage2   bool
		Image1ThumbnailURL, Image2LargeURL string
	}
	OpeningHours []struct {
		DayOfWeek         string
		IsOpen            bool
		OpensAt, ClosesAt *string
	}
	Members *struct {
		PageCount, PageNumber, MembersPerPage, MembersTotal int
		Members                                             []struct {
			Profile struct {
				UserID    int64
				NickName  string
				GroupName *string
			}
			Images *struct {
				HasImage1          bool
				Image1ThumbnailURL string
			}
			EscortRates []struct {
				RateBreakID     int
				RateBreak       string
				InCall, OutCall *float64
			}
		}
	}
}

// addGroupData gives group 1 ("One": 2 Manager, 3 MemberOne, 21 Nadia) a page, opening hours, images
// and its members escort rates.
func addGroupData(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	nadia := storetest.NewMember(21, "Nadia")
	nadia.GroupID = 1
	nadia.LastUpdated = fixtureNow.Add(-time.Hour) // most recently updated of the group
	if err := f.st.InsertMembers(ctx, []awapi.Member{nadia}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.InsertProfileImages(ctx, []awapi.ProfileImage{{UserID: 3, Number: 1, Safe: true}}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetGroupProfiles(ctx, []awapi.GroupProfile{{
		Group: awapi.Group{GroupID: 1},
		GroupInfo: awapi.GroupInfo{Details: "A friendly agency.", Website: "https://one.example", CountryID: 158, RegionID: 7,
			CountyID: 31, Town: "Westminster", PostCode: "SW1A"},
		OpeningHours: []awapi.OpeningHours{{Weekday: time.Monday, Opens: 10 * 60, Closes: 2 * 60}, {Weekday: time.Sunday, Opens: 12 * 60, Closes: 18*60 + 30}},
		Images:       []awapi.GroupImage{{Number: 1, Safe: false, Description: "Front"}, {Number: 2, Safe: true}},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.InsertEscortRates(ctx, []awapi.EscortRate{
		{UserID: 3, RateBreakID: awapi.RateBreakOneHour, InCall: 150_00, OutCall: 180_50},
		{UserID: 3, RateBreakID: 7, InCall: 60_00}, // 15 mins: listed first (duration order)
		{UserID: 2, RateBreakID: awapi.RateBreakOneHour, InCall: 120_00},
	}); err != nil {
		t.Fatal(err)
	}
}

func getGroup(t *testing.T, f *fixture, query string, headers ...string) groupView {
	t.Helper()
	w := f.do("GET", "/v1/Groups/getGroupDetails?"+query, "", f.withKey(headers...)...)
	wantStatus(t, w, 200)
	var g groupView
	if err := json.Unmarshal(w.Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGetGroupDetails(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addGroupData(t, f)
		all := "ReturnDetails=true&ReturnImages=true&ReturnOpeningHours=true&ReturnMembers=true&ReturnMemberImages=true&ReturnMemberEscortRates=true"
		g := getGroup(t, f, "GroupID=1&"+all)
		if g.GroupID != 1 || g.GroupName != "One" || g.Details == nil || g.Details.Details != "A friendly agency." ||
			*g.Details.Website != "https://one.example" || g.Details.PhoneNumber != nil || g.Details.Region != "London" ||
			g.Details.Country != "United Kingdom" || g.Details.Town != "Westminster" {
			t.Fatalf("group = %+v details %+v", g, g.Details)
		}
		var days []string
		for _, d := range g.OpeningHours {
			days = append(days, d.DayOfWeek)
		}
		if want := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}; !reflect.DeepEqual(days, want) {
			t.Errorf("OpeningHours days = %v", days)
		}
		mon, tue, sun := g.OpeningHours[0], g.OpeningHours[1], g.OpeningHours[6]
		if !mon.IsOpen || *mon.OpensAt != "10:00" || *mon.ClosesAt != "02:00" || tue.IsOpen || tue.OpensAt != nil || *sun.ClosesAt != "18:30" {
			t.Errorf("Monday %+v Tuesday %+v Sunday %+v", mon, tue, sun)
		}
		if im := g.Images; im == nil || !im.HasImage1 || im.Image1Safe || !im.HasImage2 ||
			im.Image1ThumbnailURL != "https://cdn.adultwork.com/images/groups/t/1_1.jpg" {
			t.Errorf("Images = %+v", g.Images)
		}
		ms := g.Members
		if ms == nil || ms.MembersTotal != 3 || ms.PageCount != 1 || ms.PageNumber != 1 || ms.MembersPerPage != 50 || len(ms.Members) != 3 {
			t.Fatalf("Members = %+v", ms)
		}
		// Default order: last updated first, ties newest UserID first.
		var ids []int64
		for _, m := range ms.Members {
			ids = append(ids, m.Profile.UserID)
		}
		if !reflect.DeepEqual(ids, []int64{21, 3, 2}) {
			t.Errorf("member order = %v", ids)
		}
		m3 := ms.Members[1]
		if *m3.Profile.GroupName != "One" || m3.Images == nil || !m3.Images.HasImage1 || ms.Members[0].Images.HasImage1 {
			t.Errorf("member 3 = %+v", m3)
		}
		if r := m3.EscortRates; len(r) != 2 || r[0].RateBreakID != 7 || r[1].RateBreak != "1 Hour" || *r[1].InCall != 150 ||
			*r[1].OutCall != 180.5 || r[0].OutCall != nil {
			t.Errorf("member 3 EscortRates = %+v", r)
		}
		if r := ms.Members[0].EscortRates; r == nil || len(r) != 0 {
			t.Errorf("member without rates: %+v (want an empty list)", r)
		}

		// Nothing asked for: every part null.
		w := f.do("GET", "/v1/groups/getgroupdetails?groupname=oNE", "", f.withKey()...)
		wantStatus(t, w, 200)
		if want := `{"GroupID":1,"GroupName":"One","Details":null,"Images":null,"OpeningHours":null,"Members":null}`; w.Body.String() != want {
			t.Errorf("bare group = %s", w.Body)
		}
		if g := getGroup(t, f, "GroupID=1&GroupName=one&ReturnMembers=true&ReturnOpeningHours=true&GroupID=1"); g.Members.Members[0].Images != nil ||
			g.Members.Members[0].EscortRates != nil {
			t.Errorf("member images or rates without their switches: %+v", g.Members.Members[0])
		}
		// A group without opening hours answers an empty list, not seven closed days.
		if g := getGroup(t, f, "GroupID=2&ReturnOpeningHours=true&ReturnDetails=true"); g.OpeningHours == nil || len(g.OpeningHours) != 0 ||
			g.Details.Website != nil {
			t.Errorf("group 2 = %+v", g)
		}

		// Orderings and paging.
		order := func(query string) []int64 {
			t.Helper()
			var ids []int64
			for _, m := range getGroup(t, f, "GroupID=1&ReturnMembers=true&"+query).Members.Members {
				ids = append(ids, m.Profile.UserID)
			}
			return ids
		}
		for _, tc := range []struct {
			query string
			want  []int64
		}{
			{"OrderBy=inrates-asc", []int64{2, 3, 21}},
			{"OrderBy=INRATES-DESC", []int64{3, 2, 21}},
			{"OrderBy=outrates-asc", []int64{3, 2, 21}},
			{"OrderBy=nickname-asc", []int64{2, 3, 21}},
			{"OrderBy=inrates-asc&MembersPerPage=2&PageNumber=2", []int64{21}},
			{"MembersPerPage=2&PageNumber=3", nil},
		} {
			if got := order(tc.query); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
			}
		}
		if ms := getGroup(t, f, "GroupID=1&ReturnMembers=true&MembersPerPage=2").Members; ms.PageCount != 2 || ms.MembersPerPage != 2 {
			t.Errorf("paging = %+v", ms)
		}

		// X-MaskImages masks the group's unsafe image 1 and leaves the safe image 2.
		if im := getGroup(t, f, "GroupID=1&ReturnImages=true", "X-MaskImages", "1").Images; im.Image1ThumbnailURL != web.MaskedImageURL ||
			im.Image2LargeURL != "https://cdn.adultwork.com/images/groups/l/1_2.jpg" {
			t.Errorf("masked Images = %+v", im)
		}

		for _, fm := range formats {
			for _, q := range []string{"GroupID=99", "GroupName=Nobody", "GroupID=1&GroupName=Two"} {
				w := f.do("GET", "/v1/Groups/getGroupDetails?"+q, "", f.withKey("Accept", fm.accept)...)
				wantStatus(t, w, 404)
				if e := readError(t, w); e.Code != "not_found" {
					t.Errorf("%s %s: %+v", fm.name, q, e)
				}
			}
			bad := []struct {
				query  string
				fields []string
			}{
				{"", []string{"GroupID", "GroupName"}},
				{"GroupName=%20%20", []string{"GroupID", "GroupName"}},
				{"GroupID=0", []string{"GroupID"}},
				{"GroupID=x", []string{"GroupID"}},
				{"GroupID=1&MembersPerPage=0", []string{"MembersPerPage"}},
				{"GroupID=1&MembersPerPage=101", []string{"MembersPerPage"}},
				{"GroupID=1&PageNumber=0", []string{"PageNumber"}},
				{"GroupID=1&OrderBy=distance", []string{"OrderBy"}},
				{"GroupID=1&ReturnMembers=maybe", []string{"ReturnMembers"}},
				{"GroupName=" + strings.Repeat("g", 101), []string{"GroupName"}},
			}
			for _, b := range bad {
				w := f.do("GET", "/v1/Groups/getGroupDetails?"+b.query, "", f.withKey("Accept", fm.accept)...)
				wantStatus(t, w, 400)
				e := readError(t, w)
				for _, fld := range b.fields {
					if len(e.ModelState[fld]) == 0 {
						t.Errorf("%s %q: ModelState %v lacks %s", fm.name, b.query, e.ModelState, fld)
					}
				}
			}
		}
		wantStatus(t, f.do("GET", "/v1/Groups/getGroupDetails?GroupID=1", ""), 401)

		// XML: DataContract root and namespace, arrays wrapped, nulls as i:nil.
		w = f.do("GET", "/v1/Groups/getGroupDetails?GroupID=1&"+all, "", f.withKey("Accept", "application/xml")...)
		wantStatus(t, w, 200)
		body := w.Body.String()
		for _, want := range []string{
			`<Group xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Groups">`,
			`<OpeningHours><OpeningDay><ClosesAt>02:00</ClosesAt><DayOfWeek>Monday</DayOfWeek><IsOpen>true</IsOpen><OpensAt>10:00</OpensAt></OpeningDay>`,
			`<OpeningDay><ClosesAt i:nil="true"/><DayOfWeek>Tuesday</DayOfWeek>`,
			`<Members><Members><GroupMember><EscortRates></EscortRates><Images>`,
			`<EscortRate><InCall>60.00</InCall><OutCall i:nil="true"/><RateBreak>15 mins</RateBreak><RateBreakID>7</RateBreakID></EscortRate>`,
			`<MembersTotal>3</MembersTotal>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("XML lacks %s\n%s", want, body)
			}
		}
	})
}

// tourView is a searchTours page read back from JSON.
type tourView struct {
	PageCount, PageNumber, PageSize, ToursTotal int
	Tours                                       []struct {
		TourID                                              int64
		DateFrom, DateTo                                    string
		Country, Region, County, Town                       string
		LocationProximityMiles, LocationProximityKilometres *float64
		User                                                struct {
			UserID                 int64
			NickName               string
			LocationProximityMiles *float64
		}
	}
}

func (v tourView) ids() []int64 {
	var ids []int64
	for _, t := range v.Tours {
		ids = append(ids, t.TourID)
	}
	return ids
}

func searchToursJSON(t *testing.T, f *fixture, query string) tourView {
	t.Helper()
	w := f.do("GET", "/v1/search/searchtours?"+query, "", f.withKey()...)
	wantStatus(t, w, 200)
	var v tourView
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSearchTours(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
		tour := func(user int64, region, county int, town, code string, from, to int) awapi.Tour {
			return awapi.Tour{UserID: user, CountryID: 158, RegionID: region, CountyID: county, Town: town, PostCode: code,
				DateFrom: day(from), DateTo: day(to), Created: fixtureNow}
		}
		// Today is 26 November. TourIDs 1..5 in this order.
		if err := f.st.InsertTours(context.Background(), []awapi.Tour{
			tour(3, 7, 31, "Westminster", "SW1A", 26, 28), // 1
			tour(4, 7, 35, "Chiswick", "W4", 27, 29),      // 2
			tour(3, 7, 31, "Westminster", "SW1A", 20, 22), // 3: over
			tour(4, 2, 6, "Manchester", "M1", 28, 30),     // 4
			tour(2, 11, 64, "Edinburgh", "EH1", 26, 26),   // 5
		}); err != nil {
			t.Fatal(err)
		}
		v := searchToursJSON(t, f, "CountryID=158&RegionID=7")
		if v.ToursTotal != 2 || v.PageCount != 1 || v.PageSize != 50 || v.PageNumber != 1 || !reflect.DeepEqual(v.ids(), []int64{1, 2}) {
			t.Fatalf("London tours not yet over = %+v", v)
		}
		first := v.Tours[0]
		if first.DateFrom != "2026-11-26T00:00:00" || first.DateTo != "2026-11-28T00:00:00" || first.Region != "London" ||
			first.Town != "Westminster" || first.User.UserID != 3 || first.User.NickName != "MemberOne" || first.LocationProximityMiles != nil {
			t.Errorf("first tour = %+v", first)
		}
		for _, tc := range []struct {
			query string
			want  []int64
			total int
		}{
			{"CountryID=158&RegionID=7&TourDateFrom=2026-11-01", []int64{3, 1, 2}, 3},
			{"CountryID=158&RegionID=7&TourDateTo=2026-11-21", []int64{3}, 1},
			{"CountryID=158&RegionID=7&TourDateFrom=2026-11-29&TourDateTo=2026-12-31", []int64{2}, 1},
			{"CountryID=158&RegionID=7&TourDateFrom=2026-11-23&TourDateTo=2026-11-25", nil, 0},
			{"CountryID=158&RegionID=7&Town=CHIS", []int64{2}, 1},
			{"CountryID=158&RegionID=7&CountyID=31&TourDateFrom=2026-01-01", []int64{3, 1}, 2},
			{"CountryID=158&RegionID=7&UserID=4", []int64{2}, 1},
			{"CountryID=158&RegionID=7&PageSize=1&PageNumber=2", []int64{2}, 2},
			{"CountryID=158&RegionID=2", []int64{4}, 1},
			{"CountryID=158&RegionID=7&GenderID=2", nil, 0},
			{"CountryID=158&RegionID=7&MinAge=37", nil, 0},
			{"CountryID=158&RegionID=7&MaxAge=36", []int64{1, 2}, 2},
		} {
			if v := searchToursJSON(t, f, tc.query); !reflect.DeepEqual(v.ids(), tc.want) || v.ToursTotal != tc.total {
				t.Errorf("%s: %v (%d), want %v (%d)", tc.query, v.ids(), v.ToursTotal, tc.want, tc.total)
			}
		}

		// Proximity from real district centroids: SW1A is 0 km from itself and a few km from W4;
		// M1 and EH1 are far beyond 99 miles of London.
		point := func(code string) geo.Point {
			d, _, ok := geo.Lookup(code)
			if !ok {
				t.Fatalf("geo has no %s", code)
			}
			return d.Point
		}
		round := func(x float64) float64 { return math.Round(x*10) / 10 }
		w4 := geo.DistanceKm(point("SW1A"), point("W4"))
		v = searchToursJSON(t, f, "CountryID=158&RegionID=7&LocationZipCode=sw1a+1aa&LocationProximityMiles=10")
		if !reflect.DeepEqual(v.ids(), []int64{1, 2}) || *v.Tours[0].LocationProximityKilometres != 0 ||
			*v.Tours[1].LocationProximityKilometres != round(w4) || *v.Tours[1].LocationProximityMiles != round(geo.KmToMiles(w4)) ||
			v.Tours[1].User.LocationProximityMiles != nil {
			t.Errorf("near SW1A = %+v", v)
		}
		if w4 < 5 || w4 > 15 {
			t.Fatalf("SW1A-W4 is %.1f km; the centroids are wrong", w4)
		}
		// A radius just short of W4 leaves it out; in kilometres as in miles.
		if v := searchToursJSON(t, f, "CountryID=158&RegionID=7&LocationZipCode=SW1A&LocationProximityKilometres="+strconv.Itoa(int(w4))); !reflect.DeepEqual(v.ids(), []int64{1}) {
			t.Errorf("within %d km of SW1A: %v", int(w4), v.ids())
		}
		m1, eh1 := geo.DistanceKm(point("SW1A"), point("M1")), geo.DistanceKm(point("M1"), point("EH1"))
		if m1 < 99*1.609344 || eh1 < 160 {
			t.Fatalf("SW1A-M1 %.0f km, M1-EH1 %.0f km: expected beyond the largest radii", m1, eh1)
		}
		if v := searchToursJSON(t, f, "CountryID=158&RegionID=7&LocationZipCode=M1&LocationProximityMiles=99"); v.ToursTotal != 0 {
			t.Errorf("London tours within 99 miles of M1: %v", v.ids())
		}
		if v := searchToursJSON(t, f, "CountryID=158&RegionID=2&LocationZipCode=EH1&LocationProximityKilometres=160"); v.ToursTotal != 0 {
			t.Errorf("Manchester tours within 160 km of EH1: %v", v.ids())
		}
		if v := searchToursJSON(t, f, "CountryID=158&RegionID=2&LocationZipCode=M1&LocationProximityMiles=1"); !reflect.DeepEqual(v.ids(), []int64{4}) {
			t.Errorf("Manchester tours near M1: %v", v.ids())
		}

		for _, fm := range formats {
			bad := []struct {
				query  string
				fields []string
			}{
				{"", []string{"CountryID", "RegionID"}},
				{"CountryID=158", []string{"RegionID"}},
				{"RegionID=7", []string{"CountryID"}},
				{"CountryID=99999&RegionID=7", []string{"CountryID"}},
				{"CountryID=158&RegionID=99999", []string{"RegionID"}},
				{"CountryID=1&RegionID=7", []string{"RegionID"}},
				{"CountryID=158&RegionID=7&CountyID=6", []string{"CountyID"}},
				{"CountryID=158&RegionID=7&TourDateFrom=26-11-2026", []string{"TourDateFrom"}},
				{"CountryID=158&RegionID=7&TourDateTo=2026-02-30", []string{"TourDateTo"}},
				{"CountryID=158&RegionID=7&TourDateFrom=2026-11-27&TourDateTo=2026-11-26", []string{"TourDateTo"}},
				{"CountryID=158&RegionID=7&LocationProximityMiles=5", []string{"LocationZipCode"}},
				{"CountryID=158&RegionID=7&LocationZipCode=SW1", []string{"LocationProximityMiles"}},
				{"CountryID=158&RegionID=7&LocationZipCode=SW1&LocationProximityMiles=100", []string{"LocationProximityMiles"}},
				{"CountryID=158&RegionID=7&LocationZipCode=SW1&LocationProximityKilometres=161", []string{"LocationProximityKilometres"}},
				{"CountryID=158&RegionID=7&LocationZipCode=SW1&LocationProximityMiles=5&LocationProximityKilometres=5", []string{"LocationProximityKilometres"}},
				{"CountryID=158&RegionID=7&LocationZipCode=ZZ99&LocationProximityMiles=5", []string{"LocationZipCode"}},
				{"CountryID=158&RegionID=7&PageSize=0", []string{"PageSize"}},
				{"CountryID=158&RegionID=7&PageSize=101", []string{"PageSize"}},
				{"CountryID=158&RegionID=7&PageNumber=0", []string{"PageNumber"}},
				{"CountryID=158&RegionID=7&GenderID=99", []string{"GenderID"}},
				{"CountryID=158&RegionID=7&OrientationID=99", []string{"OrientationID"}},
				{"CountryID=158&RegionID=7&MinAge=17", []string{"MinAge"}},
				{"CountryID=158&RegionID=7&MinAge=40&MaxAge=30", []string{"MinAge"}},
				{"CountryID=158&RegionID=7&UserID=-1", []string{"UserID"}},
				{"CountryID=158&RegionID=7&Town=" + strings.Repeat("t", 51), []string{"Town"}},
			}
			for _, b := range bad {
				w := f.do("GET", "/v1/Search/searchTours?"+b.query, "", f.withKey("Accept", fm.accept)...)
				wantStatus(t, w, 400)
				e := readError(t, w)
				for _, fld := range b.fields {
					if len(e.ModelState[fld]) == 0 {
						t.Errorf("%s %q: ModelState %v lacks %s", fm.name, b.query, e.ModelState, fld)
					}
				}
			}
		}
		wantStatus(t, f.do("GET", "/v1/Search/searchTours?CountryID=158&RegionID=7", ""), 401)

		w := f.do("GET", "/v1/Search/searchTours?CountryID=158&RegionID=7&LocationZipCode=SW1A&LocationProximityMiles=10", "",
			f.withKey("Accept", "application/xml")...)
		wantStatus(t, w, 200)
		body := w.Body.String()
		for _, want := range []string{
			`<SearchToursOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Search">`,
			`<Tours><Tour><Country>United Kingdom</Country><CountryID>158</CountryID><County>Central London</County>`,
			`<DateFrom>2026-11-26T00:00:00</DateFrom>`,
			`<LocationProximityKilometres>0</LocationProximityKilometres>`,
			`<ToursTotal>2</ToursTotal>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("XML lacks %s\n%s", want, body)
			}
		}
	})
}

// TestGroupAndTourBlacklistMarks: a member calling with a token sees IsBlacklisted on the group
// members and touring members they blacklisted; an API-key call marks nobody.
func TestGroupAndTourBlacklistMarks(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addGroupData(t, f)
		ctx := context.Background()
		if err := f.st.InsertTours(ctx, []awapi.Tour{{UserID: 3, CountryID: 158, RegionID: 7, CountyID: 31, Town: "Westminster",
			PostCode: "SW1A", DateFrom: fixtureNow, DateTo: fixtureNow.AddDate(0, 0, 2), Created: fixtureNow}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.AddToBlacklist(ctx, 1, []int64{3}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		marked := func(path string, auth ...string) map[int64]bool {
			w := f.do("GET", path, "", auth...)
			wantStatus(t, w, 200)
			var v struct {
				Members *struct {
					Members []struct {
						Profile struct {
							UserID        int64
							IsBlacklisted bool
						}
					}
				}
				Tours []struct {
					User struct {
						UserID        int64
						IsBlacklisted bool
					}
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			if v.Members != nil {
				for _, m := range v.Members.Members {
					out[m.Profile.UserID] = m.Profile.IsBlacklisted
				}
			}
			for _, tr := range v.Tours {
				out[tr.User.UserID] = tr.User.IsBlacklisted
			}
			return out
		}
		group, tours := "/v1/Groups/getGroupDetails?GroupID=1&ReturnMembers=true", "/v1/Search/searchTours?CountryID=158&RegionID=7"
		if got := marked(group, f.bearer("client")...); len(got) != 3 || !got[3] || got[2] || got[21] {
			t.Errorf("group members as member 1: %v", got)
		}
		if got := marked(tours, f.bearer("client")...); len(got) != 1 || !got[3] {
			t.Errorf("tours as member 1: %v", got)
		}
		if got := marked(group, f.withKey()...); len(got) != 3 || got[3] {
			t.Errorf("group members with the API key: %v", got)
		}
	})
}
