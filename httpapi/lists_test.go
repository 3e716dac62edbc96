package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/refdata"
)

// getJSON calls a key endpoint and decodes its JSON answer.
func getJSON(t *testing.T, f *fixture, target string, out any) {
	t.Helper()
	w := f.Do("GET", target, "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
}

func TestGetCountries(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	var out CountriesOutput
	getJSON(t, f, "/v1/lists/getCountries", &out)
	if len(out.Countries) != len(refdata.Countries()) || len(out.Countries) < 240 {
		t.Fatalf("%d countries", len(out.Countries))
	}
	byID := map[int]Country{}
	for _, c := range out.Countries {
		byID[c.CountryID] = c
	}
	// The rows the documentation shows.
	for _, want := range []Country{
		{58, "Afghanistan", "AF", "AFG", "Afghan", false},
		{108, "Albania", "AL", "ALB", "Albanian", false},
		{1, "Algeria", "DZ", "DZA", "Algerian", false},
	} {
		if byID[want.CountryID] != want {
			t.Errorf("country %d = %+v, want %+v", want.CountryID, byID[want.CountryID], want)
		}
	}
	if uk := byID[refdata.UnitedKingdomID]; uk.CountryISO2 != "GB" || !uk.AgeVerificationRequired {
		t.Errorf("UK = %+v", uk)
	}
	getJSON(t, f, "/v1/lists/getCountries?ExcludeCountryIDs=58,%20108,1", &out)
	for _, c := range out.Countries {
		if c.CountryID == 58 || c.CountryID == 108 || c.CountryID == 1 {
			t.Fatalf("excluded country %d returned", c.CountryID)
		}
	}
	if len(out.Countries) != len(refdata.Countries())-3 {
		t.Fatalf("%d countries after excluding 3", len(out.Countries))
	}
}

func TestGetRegionsAndCounties(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	var regions RegionsOutput
	getJSON(t, f, "/v1/Lists/GetRegions?CountryID=158", &regions)
	names := map[string]int{}
	for _, r := range regions.Regions {
		if r.CountryID != 158 {
			t.Fatalf("region %+v not in the UK", r)
		}
		names[r.RegionName] = r.RegionID
	}
	for _, want := range []string{"London", "South East", "Scotland", "Wales", "Northern Ireland", "Yorkshire and the Humber"} {
		if names[want] == 0 {
			t.Errorf("UK regions lack %s: %v", want, names)
		}
	}
	var counties CountiesOutput
	getJSON(t, f, "/v1/Lists/GetCounties?RegionID="+itoa(names["South East"]), &counties)
	got := map[string]bool{}
	for _, c := range counties.Counties {
		got[c.CountyName] = true
	}
	for _, want := range []string{"Kent", "Surrey", "Hampshire"} {
		if !got[want] {
			t.Errorf("South East counties lack %s: %v", want, got)
		}
	}
	w := f.Do("GET", "/v1/Lists/GetCounties?RegionID=999999", "", f.WithKey()...)
	apitest.WantStatus(t, w, 400)
}

// TestStaticLists checks every reference list answers a non-empty array with unique IDs, in both formats.
func TestStaticLists(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	lists := map[string]string{
		"GetGenders": "Genders", "GetOrientations": "Orientations", "GetEnjoys": "Enjoys", "GetEthnicity": "Ethnicities",
		"GetDressSizes": "DressSizes", "GetBustSizes": "BustSizes", "GetAspectRatio": "AspectRatios",
		"GetMovieFormats": "MovieFormats", "GetContentGenders": "ContentGenders", "GetDirectcamCategories": "DirectcamCategories",
	}
	for method, member := range lists {
		t.Run(method, func(t *testing.T) {
			var out map[string][]map[string]any
			getJSON(t, f, "/v1/Lists/"+method, &out)
			rows := out[member]
			if len(rows) == 0 {
				t.Fatalf("%s: no %s in %v", method, member, out)
			}
			seen := map[float64]bool{}
			for _, row := range rows {
				for k, v := range row {
					if strings.HasSuffix(k, "ID") {
						id := v.(float64)
						if seen[id] {
							t.Fatalf("duplicate ID %v", id)
						}
						seen[id] = true
					}
				}
			}
			w := f.Do("GET", "/v1/Lists/"+method, "", f.WithKey("Accept", "application/xml")...)
			if !strings.Contains(w.Body.String(), "<"+member+"><") {
				t.Fatalf("XML lacks the %s wrapper: %.300s", member, w.Body)
			}
		})
	}
	var genders GendersOutput
	getJSON(t, f, "/v1/Lists/GetGenders", &genders)
	if genders.Genders[0] != (Gender{1, "Female"}) || genders.Genders[1] != (Gender{2, "Male"}) {
		t.Fatalf("genders %v: clients rely on 1 Female, 2 Male", genders.Genders)
	}
}

func TestGetEscortRateBreaks(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	var out []RateBreaks
	getJSON(t, f, "/v1/Lists/GetEscortRateBreaks", &out)
	want := []RateBreaks{{7, "15 mins", 0.25, false}, {1, "½ Hour", 0.5, false}, {2, "1 Hour", 1, false},
		{8, "1½ Hours", 1.5, false}, {3, "2 Hours", 2, false}, {4, "3 Hours", 3, false}}
	if len(out) < len(want) {
		t.Fatalf("rate breaks %v", out)
	}
	for i, w := range want {
		if out[i] != w {
			t.Errorf("row %d = %+v, want %+v", i, out[i], w)
		}
	}
	if !out[len(out)-1].IsOvernight && !func() bool {
		for _, r := range out {
			if r.IsOvernight {
				return true
			}
		}
		return false
	}() {
		t.Error("no overnight rate break")
	}
}

// TestGetTopList seeds views and ratings and checks the ranking, the model per Type, and that every
// documented Type and DateRange is accepted.
func TestGetTopList(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		now := f.Clock.Now().In(testdb.London)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, testdb.London)
		if err := f.St.InsertDailyViews(ctx, []awapi.DailyViews{
			{UserID: 3, Kind: awapi.ViewsWebcam, Day: today, Views: 40},
			{UserID: 4, Kind: awapi.ViewsWebcam, Day: today, Views: 70},
			{UserID: 4, Kind: awapi.ViewsWebcam, Day: today.AddDate(0, 0, -1), Views: 5},
			{UserID: 2, Kind: awapi.ViewsWebcam, Day: today.AddDate(-2, 0, 0), Views: 500},
		}); err != nil {
			t.Fatal(err)
		}
		if err := f.St.InsertRatings(ctx, []awapi.Rating{
			{UserID: 3, RaterID: 1, Service: awapi.ServiceEscort, Score: 1, RatedAt: now.Add(-time.Hour)},
			{UserID: 3, RaterID: 1, Service: awapi.ServiceEscort, Score: -1, RatedAt: now.Add(-time.Hour)},
			{UserID: 4, RaterID: 1, Service: awapi.ServiceEscort, Score: 1, RatedAt: now.Add(-time.Hour)},
		}); err != nil {
			t.Fatal(err)
		}
		var views TopListViewsOutput
		getJSON(t, f, "/v1/Lists/GetTopList?Type=WebcamViews&DateRange=Today", &views)
		if len(views.Users) != 2 || views.Users[0] != (TopListViewsUser{1, 4, "MemberTwo", 70}) || views.Users[1].UserID != 3 {
			t.Fatalf("Today = %+v", views)
		}
		getJSON(t, f, "/v1/Lists/GetTopList?Type=WebcamViews&DateRange=AllTime&NumberOfRecords=1", &views)
		if len(views.Users) != 1 || views.Users[0].UserID != 2 || views.Users[0].Views != 500 {
			t.Fatalf("AllTime top 1 = %+v", views)
		}
		var ratings TopListRatingsOutput
		getJSON(t, f, "/v1/Lists/GetTopList?type=escortratings&daterange=thisweek", &ratings)
		if ratings.Type != "EscortRatings" || len(ratings.Users) != 2 || ratings.Users[0].UserID != 4 ||
			ratings.Users[1].Ratings != (TopListRatings{Total: 2, Positive: 1, Negative: 1}) {
			t.Fatalf("EscortRatings = %+v", ratings)
		}
		w := f.Do("GET", "/v1/Lists/GetTopList?Type=EscortRatings&DateRange=Today", "", f.WithKey("Accept", "application/xml")...)
		var x struct {
			XMLName xml.Name `xml:"TopListRatingsOutput"`
			Users   []struct {
				UserID  int64
				Ratings struct{ Positive int }
			} `xml:"Users>TopListRatingsUser"`
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil || len(x.Users) != 2 {
			t.Fatalf("XML top list: %v %s", err, w.Body)
		}
		for _, typ := range awapi.TopListTypes {
			for _, dr := range awapi.DateRanges {
				apitest.WantStatus(t, f.Do("GET", "/v1/Lists/GetTopList?Type="+string(typ)+"&DateRange="+dr, "", f.WithKey()...), 200)
			}
		}
	})
}

// TestListsConventions checks the Lists' answers the framework's convention tests once read from
// them: their errors name the field, in both formats, and their XML is the DataContract shape of
// API.Models.Lists, a bare array answering ArrayOfRateBreaks.
func TestListsConventions(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	for _, tc := range []struct{ target, field string }{
		{"/v1/Lists/GetRegions", "CountryID"},
		{"/v1/Lists/GetRegions?CountryID=abc", "CountryID"},
		{"/v1/Lists/GetRegions?CountryID=9999", "CountryID"},
		{"/v1/Lists/GetCountries?ExcludeCountryIDs=1,,x", "ExcludeCountryIDs"},
		{"/v1/Lists/GetTopList?Type=Nope&DateRange=Today", "Type"},
	} {
		for _, fm := range apitest.Formats {
			w := f.Do("GET", tc.target, "", f.WithKey("Accept", fm.Accept)...)
			apitest.WantStatus(t, w, 400)
			if e := apitest.ReadError(t, w); e.Code != "invalid_request" || len(e.ModelState[tc.field]) == 0 {
				t.Errorf("%s %s: %+v, want %s named", fm.Name, tc.target, e, tc.field)
			}
		}
	}
	w := f.Do("GET", "/v1/Lists/GetRegions?CountryID=158", "", f.WithKey("Accept", "application/xml")...)
	apitest.WantStatus(t, w, 200)
	for _, want := range []string{
		`<RegionsOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Lists">`,
		`<Regions><Region><CountryID>158</CountryID><RegionID>`,
	} {
		if !strings.Contains(w.Body.String(), want) {
			t.Fatalf("XML lacks %s:\n%.400s", want, w.Body)
		}
	}
	w = f.Do("GET", "/v1/Lists/GetEscortRateBreaks", "", f.WithKey("Accept", "application/xml")...)
	if !strings.Contains(w.Body.String(), `<ArrayOfRateBreaks xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Lists"><RateBreaks><Hours>0.25</Hours><IsOvernight>false</IsOvernight><RateBreak>15 mins</RateBreak><RateBreakID>7</RateBreakID></RateBreaks>`) {
		t.Fatalf("rate breaks XML: %.300s", w.Body)
	}
}
