package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"github.com/awapi/awapi"
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
	w := f.do("GET", "/v1/Search/SearchProfiles?"+query, "", f.withKey()...)
	wantStatus(t, w, 200)
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
		for _, fm := range formats {
			for _, b := range bad {
				w := f.do("GET", "/v1/Search/SearchProfiles?"+b.query, "", f.withKey("Accept", fm.accept)...)
				wantStatus(t, w, 400)
				if e := readError(t, w); len(e.ModelState[b.field]) == 0 {
					t.Errorf("%s %s: error %+v does not name %s", fm.name, b.query, e, b.field)
				}
			}
		}
		wantStatus(t, f.do("GET", "/v1/Search/SearchProfiles", ""), 401)

		w := f.do("GET", "/v1/Search/SearchProfiles?Nickname=Scarlett", "", f.withKey("Accept", "application/xml")...)
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

func TestProfileDetailsAndUserSummary(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f)
		for _, fm := range formats {
			wantStatus(t, f.do("GET", "/v1/Profile/getProfileDetails?UserID=99", "", f.withKey("Accept", fm.accept)...), 404)
			wantStatus(t, f.do("GET", "/v1/Newsfeed/getUserSummary?UserID=99", "", f.withKey("Accept", fm.accept)...), 404)
			w := f.do("GET", "/v1/Profile/getProfileDetails", "", f.withKey("Accept", fm.accept)...)
			wantStatus(t, w, 400)
			if e := readError(t, w); len(e.ModelState["UserID"]) == 0 {
				t.Errorf("%s: missing UserID not named: %+v", fm.name, e)
			}
		}
		if err := f.st.InsertEscortRates(context.Background(), []awapi.EscortRate{
			{UserID: 20, RateBreakID: awapi.RateBreakOneHour, InCall: 150_00},
			{UserID: 20, RateBreakID: 7, InCall: 60_00, OutCall: 75_50}, // 15 mins: listed first
		}); err != nil {
			t.Fatal(err)
		}
		var d struct {
			Profile     struct{ NickName string }
			Details     string
			EscortRates []EscortRate
			Images      *struct{ HasImage1, HasImage2, HasImage3 bool }
		}
		getJSON(t, f, "/v1/Profile/getProfileDetails?UserID=20", &d)
		if r := d.EscortRates; d.Profile.NickName != "Scarlett" || d.Images != nil || len(r) != 2 ||
			r[0].RateBreak != "15 mins" || *r[0].InCall != 60_00 || *r[0].OutCall != 75_50 ||
			r[1].RateBreakID != awapi.RateBreakOneHour || *r[1].InCall != 150_00 || r[1].OutCall != nil {
			t.Errorf("details = %+v", d)
		}
		getJSON(t, f, "/v1/Profile/getProfileDetails?UserID=20&ReturnImages=true", &d)
		if d.Images == nil || !d.Images.HasImage1 || !d.Images.HasImage2 || d.Images.HasImage3 {
			t.Errorf("details images = %+v", d.Images)
		}

		var s struct {
			User struct {
				Nickname string
				Ratings  Ratings
				Gender   string
			}
			Summary []struct{ Type, Description, Date string }
		}
		getJSON(t, f, "/v1/Newsfeed/getUserSummary?UserID=20", &s)
		if s.User.Nickname != "Scarlett" || s.User.Gender != "Female" || s.User.Ratings.Total != 1 || len(s.Summary) != 5 {
			t.Fatalf("summary = %+v", s)
		}
		kinds := map[string]int{}
		for _, it := range s.Summary {
			kinds[it.Type]++
			if it.Description == "" || it.Date != "2026-11-26T12:00:00" {
				t.Errorf("item %+v", it)
			}
		}
		if kinds["Rating"] != 4 || kinds["Tour"] != 1 {
			t.Errorf("summary kinds %v", kinds)
		}
		// X-MaskImages applies to the newsfeed card (image 1 is not safe).
		w := f.do("GET", "/v1/Newsfeed/getUserSummary?UserID=20", "", f.withKey("X-MaskImages", "1")...)
		if !strings.Contains(w.Body.String(), web.MaskedImageURL) || strings.Contains(w.Body.String(), "images/t/20_1.jpg") {
			t.Errorf("masked summary: %s", w.Body)
		}
	})
}

// TestClientCompatibility replays requests the way real client code sends them (api-v1.md §5):
// lower-case paths, lower-camel query names, either key header, camelCase JSON, Accept: application/json.
func TestClientCompatibility(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f)
		for _, header := range []string{"X-ApiKey", "ApiKey"} {
			w := f.do("GET", "/v1/search/searchProfiles?genderIds=1&minAge=18&maxAge=60&countryId=158&pageNumber=1&pageSize=3&orderBy=lastupdated&isEscort=true",
				"", header, f.key, "X-CaseType", "camelcase", "Accept", "application/json")
			wantStatus(t, w, 200)
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
		if _, err := f.st.AddToBlacklist(context.Background(), 1, []int64{20}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		w := f.do("GET", "/v1/Search/SearchProfiles?nickname=scar", "", "Authorization", "bearer "+f.tokens["client"], "Accept", "application/json")
		wantStatus(t, w, 200)
		if !strings.Contains(w.Body.String(), `"IsBlacklisted":true`) {
			t.Errorf("bearer search does not mark the blacklisted member: %s", w.Body)
		}
		w = f.do("GET", "/v1/Search/SearchProfiles?nickname=scar", "", f.withKey()...)
		if !strings.Contains(w.Body.String(), `"IsBlacklisted":false`) {
			t.Errorf("API-key search marks a blacklist: %s", w.Body)
		}
		// Errors answer JSON too, in camelCase.
		w = f.do("GET", "/v1/search/searchprofiles?minAge=10", "", "ApiKey", f.key, "X-CaseType", "camelcase", "Accept", "application/json")
		wantStatus(t, w, 400)
		if ct := w.Header().Get("Content-Type"); !strings.Contains(ct, "application/json") {
			t.Errorf("error Content-Type %q", ct)
		}
		// The Lists clients call.
		for _, path := range []string{"/v1/Lists/GetGenders", "/v1/lists/getOrientations", "/v1/lists/getcountries", "/v1/Lists/GetRegions?countryId=158"} {
			w := f.do("GET", path, "", "ApiKey", f.key, "X-CaseType", "camelcase", "Accept", "application/json")
			wantStatus(t, w, 200)
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
