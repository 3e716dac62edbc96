package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/web"
)

type searchPage struct {
	PageCount, PageNumber, ProfilesTotal, ProfilesPerPage, TotalResults int
	Profiles                                                            []struct {
		UserID                      int64
		NickName                    string
		LocationProximityMiles      *float64
		LocationProximityKilometres *float64
	}
}

func searchJSON(t *testing.T, f *fixture, query string) searchPage {
	t.Helper()
	w := f.Do("GET", "/v1/Search/SearchProfiles?"+query, "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	var p searchPage
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSearchProfiles(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f) // member 20 in SW1A; members 1-4 have no post code
		p := searchJSON(t, f, "GenderIDs=1&MinAge=18&MaxAge=40&CountryID=158&ProfilesPerPage=2")
		if p.ProfilesTotal != 5 || p.TotalResults != 5 || p.PageCount != 3 || p.PageNumber != 1 || p.ProfilesPerPage != 2 || len(p.Profiles) != 2 {
			t.Fatalf("page = %+v", p)
		}
		if p.Profiles[0].LocationProximityMiles != nil {
			t.Errorf("proximity filled without a location: %+v", p.Profiles[0])
		}
		p = searchJSON(t, f, "LocationZipCode="+url.QueryEscape("sw1a 1aa")+"&LocationProximityMiles=5&OrderBy=distance")
		if p.ProfilesTotal != 1 || p.Profiles[0].UserID != 20 || p.Profiles[0].LocationProximityMiles == nil ||
			*p.Profiles[0].LocationProximityMiles != 0 || *p.Profiles[0].LocationProximityKilometres != 0 {
			t.Fatalf("proximity page = %+v", p)
		}
		if p := searchJSON(t, f, "LocationZipCode=M1&LocationProximityKilometres=20"); p.ProfilesTotal != 0 {
			t.Errorf("20 km from M1 found %+v", p)
		}
		if p := searchJSON(t, f, "Nickname=scar&PageSize=1&PageNumber=1"); p.ProfilesTotal != 1 || p.ProfilesPerPage != 1 || p.Profiles[0].NickName != "Scarlett" {
			t.Errorf("nickname search = %+v", p)
		}
		if p := searchJSON(t, f, "OrderBy=rating&ProfilesPerPage=1"); p.Profiles[0].UserID != 20 {
			t.Errorf("rating order first = %+v", p.Profiles)
		}

		bad := []struct{ query, field string }{
			{"MinAge=17", "MinAge"},
			{"MaxAge=100", "MaxAge"},
			{"MinAge=40&MaxAge=30", "MinAge"},
			{"GenderIDs=1,99", "GenderIDs"},
			{"OrientationIds=77", "OrientationIds"},
			{"CountryID=99999", "CountryID"},
			{"CountryID=158&RegionID=99999", "RegionID"},
			{"LocationProximityMiles=5", "LocationZipCode"},
			{"LocationZipCode=SW1", "LocationProximityMiles"},
			{"LocationZipCode=SW1&LocationProximityMiles=5&LocationProximityKilometres=5", "LocationProximityKilometres"},
			{"LocationZipCode=SW1&LocationProximityMiles=100", "LocationProximityMiles"},
			{"LocationZipCode=SW1&LocationProximityKilometres=0", "LocationProximityKilometres"},
			{"LocationZipCode=SW1&LocationProximityKilometres=161", "LocationProximityKilometres"},
			{"LocationZipCode=nowhere&LocationProximityMiles=5", "LocationZipCode"},
			{"OrderBy=distance", "OrderBy"},
			{"OrderBy=price", "OrderBy"},
			{"ProfilesPerPage=101", "ProfilesPerPage"},
			{"PageNumber=0", "PageNumber"},
			{"Nickname=" + strings.Repeat("n", 21), "Nickname"},
		}
		for _, fm := range apitest.Formats {
			for _, b := range bad {
				w := f.Do("GET", "/v1/Search/SearchProfiles?"+b.query, "", f.WithKey("Accept", fm.Accept)...)
				apitest.WantStatus(t, w, 400)
				if e := apitest.ReadError(t, w); len(e.ModelState[b.field]) == 0 {
					t.Errorf("%s %s: error %+v does not name %s", fm.Name, b.query, e, b.field)
				}
			}
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Search/SearchProfiles", ""), 401)

		w := f.Do("GET", "/v1/Search/SearchProfiles?Nickname=Scarlett", "", f.WithKey("Accept", "application/xml")...)
		var x struct {
			XMLName       xml.Name `xml:"SearchProfilesOutput"`
			ProfilesTotal int
			Profiles      struct {
				Items []struct {
					NickName string
					Ratings  Ratings
				} `xml:"ProfileSummary"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != web.NamespaceBase+"API.Models.Search" || x.ProfilesTotal != 1 || len(x.Profiles.Items) != 1 ||
			x.Profiles.Items[0].NickName != "Scarlett" || x.Profiles.Items[0].Ratings.Ratings != 4 {
			t.Errorf("XML = %+v\n%s", x, w.Body)
		}
	})
}

// TestClientCompatibility replays requests the way real client code sends them (api-v1.md §5):
// lower-case paths, lower-camel query names, either key header, camelCase JSON, Accept: application/json.
func TestClientCompatibility(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f)
		for _, header := range []string{"X-ApiKey", "ApiKey"} {
			w := f.Do("GET", "/v1/search/searchProfiles?genderIds=1&minAge=18&maxAge=60&countryId=158&pageNumber=1&pageSize=3&orderBy=lastupdated&isEscort=true",
				"", header, f.Key, "X-CaseType", "camelcase", "Accept", "application/json")
			apitest.WantStatus(t, w, 200)
			if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
			var p struct {
				PageCount, PageNumber, ProfilesTotal, ProfilesPerPage, TotalResults *int
				Profiles                                                            []map[string]any
			}
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			_ = json.Unmarshal(w.Body.Bytes(), &raw)
			for _, k := range []string{"pageCount", "pageNumber", "profilesTotal", "profilesPerPage", "totalResults", "profiles"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("%s: key %q missing from %v", header, k, raw)
				}
			}
			if len(p.Profiles) != 1 || *p.TotalResults != 1 || *p.ProfilesPerPage != 3 {
				t.Fatalf("%s: %s", header, w.Body)
			}
			for _, k := range []string{"userID", "nickName", "nickname", "isLoggedInNow", "profileThumbnailURL", "isEscort", "ratings", "locationProximityMiles"} {
				if _, ok := p.Profiles[0][k]; !ok {
					t.Errorf("%s: profile key %q missing", header, k)
				}
			}
		}
		// A bearer token alone stands in for the API key, as real client apps call search; the calling
		// member then sees which results they blacklisted.
		if _, err := f.St.AddToBlacklist(context.Background(), 1, []int64{20}, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		w := f.Do("GET", "/v1/Search/SearchProfiles?nickname=scar", "", "Authorization", "bearer "+f.Tokens["client"], "Accept", "application/json")
		apitest.WantStatus(t, w, 200)
		if !strings.Contains(w.Body.String(), `"IsBlacklisted":true`) {
			t.Errorf("bearer search does not mark the blacklisted member: %s", w.Body)
		}
		w = f.Do("GET", "/v1/Search/SearchProfiles?nickname=scar", "", f.WithKey()...)
		if !strings.Contains(w.Body.String(), `"IsBlacklisted":false`) {
			t.Errorf("API-key search marks a blacklist: %s", w.Body)
		}
		// Errors answer JSON too, in camelCase.
		w = f.Do("GET", "/v1/search/searchprofiles?minAge=10", "", "ApiKey", f.Key, "X-CaseType", "camelcase", "Accept", "application/json")
		apitest.WantStatus(t, w, 400)
		if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "application/json") {
			t.Errorf("error Content-Type %q", ct)
		}
		// The Lists clients call.
		for _, path := range []string{"/v1/Lists/GetGenders", "/v1/lists/getOrientations", "/v1/lists/getcountries", "/v1/Lists/GetRegions?countryId=158"} {
			w := f.Do("GET", path, "", "ApiKey", f.Key, "X-CaseType", "camelcase", "Accept", "application/json")
			apitest.WantStatus(t, w, 200)
			var raw map[string][]map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil || len(raw) != 1 {
				t.Fatalf("%s: %v %s", path, err, w.Body)
			}
			for k, items := range raw {
				if k != strings.ToLower(k[:1])+k[1:] || len(items) == 0 {
					t.Errorf("%s: key %q with %d items", path, k, len(items))
				}
				for ik := range items[0] {
					if ik[:1] != strings.ToLower(ik[:1]) {
						t.Errorf("%s: item key %q not camelCase", path, ik)
					}
				}
			}
		}
	})
}

func TestSearchFieldReports(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		ids := addReviews(t, f)
		type page struct {
			PageCount, PageNumber, ReportsTotal, ReportsPerPage int
			FieldReports                                        []struct {
				ReportID int64
				User     struct {
					UserID               int64
					Nickname             string
					ProfileThumbnailSafe bool
					ProfileThumbnailURL  string
					Ratings              Ratings
				}
				Author              FieldReportAuthor
				Title, Town, Region string
				Rating              int
			}
		}
		search := func(t *testing.T, query string, headers ...string) page {
			t.Helper()
			w := f.Do("GET", "/v1/search/searchFieldReports?"+query, "", f.WithKey(headers...)...)
			apitest.WantStatus(t, w, 200)
			var p page
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		reportIDs := func(p page) []int64 {
			var out []int64
			for _, r := range p.FieldReports {
				out = append(out, r.ReportID)
			}
			return out
		}
		for _, tc := range []struct {
			query string
			want  []int64
		}{
			{"", []int64{ids[1], ids[0]}},
			{"OrderBy=createddate-asc", []int64{ids[0], ids[1]}},
			{"OrderBy=meetdate-desc", []int64{ids[1], ids[0]}},
			{"OrderBy=meetdate-asc", []int64{ids[0], ids[1]}},
			{"OrderBy=nickname-asc", []int64{ids[1], ids[0]}},
			{"InCall=true", []int64{ids[0]}},
			{"outCall=true", []int64{ids[1]}},
			{"Recommended=true&VisitAgain=true", []int64{ids[0]}},
			{"Nickname=SCAR&GenderID=1&UserID=20", []int64{ids[1], ids[0]}},
			{"GenderID=2", nil},
			{"ReportID=" + strconv.FormatInt(ids[1], 10), []int64{ids[1]}},
			{"CreatedDateFrom=2026-11-25", []int64{ids[1]}},
			{"CreatedDateTo=2026-11-24", []int64{ids[0]}},
			{"MeetDateFrom=2026-11-19&MeetDateTo=2026-11-20", []int64{ids[0]}},
			{"MinReports=2", []int64{ids[1], ids[0]}},
			{"MinReports=3", nil},
			{"CountryID=158&RegionID=7&CountyID=31", []int64{ids[0]}},
			{"PageSize=1&PageNumber=2", []int64{ids[0]}},
		} {
			if got := reportIDs(search(t, tc.query)); !slices.Equal(got, tc.want) {
				t.Errorf("%q: reports %v, want %v", tc.query, got, tc.want)
			}
		}
		p := search(t, "ReportsPerPage=1", "X-MaskImages", "1")
		if p.PageCount != 2 || p.PageNumber != 1 || p.ReportsTotal != 2 || p.ReportsPerPage != 1 || len(p.FieldReports) != 1 {
			t.Fatalf("page = %+v", p)
		}
		r := p.FieldReports[0]
		if r.User.UserID != 20 || r.User.Nickname != "Scarlett" || r.User.ProfileThumbnailURL != web.MaskedImageURL ||
			r.User.Ratings.Total != 2 || r.Author.Nickname != "MemberTwo" || r.Title != "Fine" || r.Region != "London" || r.Rating != 5 {
			t.Errorf("summary = %+v", r)
		}

		w := f.Do("GET", "/v1/Search/searchFieldReports?MinReports=1", "", f.WithKey("Accept", "application/xml")...)
		apitest.WantStatus(t, w, 200)
		var x struct {
			XMLName      xml.Name `xml:"SearchFieldReportsOutput"`
			ReportsTotal int
			FieldReports struct {
				Items []struct{ Title string } `xml:"FieldReportSummary"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != "http://schemas.datacontract.org/2004/07/API.Models.Search" || x.ReportsTotal != 2 ||
			len(x.FieldReports.Items) != 2 || x.FieldReports.Items[0].Title != "Fine" {
			t.Errorf("XML = %s", w.Body)
		}

		for _, tc := range []struct{ query, field string }{
			{"UserID=-1", "UserID"},
			{"ReportID=-1", "ReportID"},
			{"GenderID=99", "GenderID"},
			{"Nickname=" + strings.Repeat("a", 21), "Nickname"},
			{"CreatedDateFrom=26-11-2026", "CreatedDateFrom"},
			{"CreatedDateTo=2026-13-01", "CreatedDateTo"},
			{"MeetDateFrom=tomorrow", "MeetDateFrom"},
			{"MeetDateTo=2026-02-30", "MeetDateTo"},
			{"CreatedDateFrom=2026-11-25&CreatedDateTo=2026-11-24", "CreatedDateFrom"},
			{"MeetDateFrom=2026-11-25&MeetDateTo=2026-11-24", "MeetDateFrom"},
			{"InCall=yes", "InCall"},
			{"MinReports=-1", "MinReports"},
			{"CountryID=99999", "CountryID"},
			{"CountryID=158&RegionID=99999", "RegionID"},
			{"RegionID=7&CountyID=99999", "CountyID"},
			{"OrderBy=rating", "OrderBy"},
			{"ReportsPerPage=101", "ReportsPerPage"},
			{"ReportsPerPage=0", "ReportsPerPage"},
			{"PageNumber=0", "PageNumber"},
		} {
			for _, format := range []string{"application/json", "application/xml"} {
				w := f.Do("GET", "/v1/Search/searchFieldReports?"+tc.query, "", f.WithKey("Accept", format)...)
				apitest.WantStatus(t, w, 400)
				if e := apitest.ReadError(t, w); len(e.ModelState[tc.field]) == 0 {
					t.Errorf("%q (%s): error %+v does not name %s", tc.query, format, e, tc.field)
				}
			}
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Search/searchFieldReports", ""), 401)
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
	w := f.Do("GET", "/v1/search/searchtours?"+query, "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
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
				DateFrom: day(from), DateTo: day(to), Created: apitest.Now}
		}
		// Today is 26 November. TourIDs 1..5 in this order.
		if err := f.St.InsertTours(context.Background(), []awapi.Tour{
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

		for _, fm := range apitest.Formats {
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
				w := f.Do("GET", "/v1/Search/searchTours?"+b.query, "", f.WithKey("Accept", fm.Accept)...)
				apitest.WantStatus(t, w, 400)
				e := apitest.ReadError(t, w)
				for _, fld := range b.fields {
					if len(e.ModelState[fld]) == 0 {
						t.Errorf("%s %q: ModelState %v lacks %s", fm.Name, b.query, e.ModelState, fld)
					}
				}
			}
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Search/searchTours?CountryID=158&RegionID=7", ""), 401)

		w := f.Do("GET", "/v1/Search/searchTours?CountryID=158&RegionID=7&LocationZipCode=SW1A&LocationProximityMiles=10", "",
			f.WithKey("Accept", "application/xml")...)
		apitest.WantStatus(t, w, 200)
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
