package httpapi

import (
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
)

// TestPlaceChecksWordedOnce sends the same unknown place, gender and orientation to every method that
// takes them: each answer names the field with the same message, from the one check in the domain.
func TestPlaceChecksWordedOnce(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tok := f.Mint(1, awapi.ScopeProfileAbout)
	type call struct {
		target string
		update obj // a PUT /v1/Account/Update body instead of a GET of target
		field  string
	}
	message := func(t *testing.T, c call, id string) string {
		t.Helper()
		var status int
		if c.update != nil {
			status = f.callWith(tok, "PUT", "/v1/Account/Update", c.update, nil)
		} else {
			w := f.Do("GET", c.target, "", f.WithKey()...)
			if status = w.Code; status != 200 {
				f.lastError = apitest.ReadError(t, w)
			}
		}
		if status != 400 {
			t.Fatalf("%v: status %d", c, status)
		}
		for _, m := range f.lastError.ModelState[c.field] {
			if strings.Contains(m, " "+id+" ") {
				return m
			}
		}
		t.Fatalf("%v: ModelState %v names no %s %s", c, f.lastError.ModelState, c.field, id)
		return ""
	}
	for _, tc := range []struct {
		id    string
		calls []call
	}{
		{"9999", []call{ // a country
			{target: "/v1/Search/SearchProfiles?CountryID=9999", field: "CountryID"},
			{target: "/v1/Search/searchFieldReports?CountryID=9999", field: "CountryID"},
			{target: "/v1/Search/searchTours?CountryID=9999&RegionID=1", field: "CountryID"},
			{target: "/v1/Lists/GetRegions?CountryID=9999", field: "CountryID"},
		}},
		{"9998", []call{ // a region
			{target: "/v1/Search/SearchProfiles?RegionID=9998", field: "RegionID"},
			{target: "/v1/Search/searchFieldReports?RegionID=9998", field: "RegionID"},
			{target: "/v1/Search/searchTours?CountryID=158&RegionID=9998", field: "RegionID"},
			{target: "/v1/Lists/GetCounties?RegionID=9998", field: "RegionID"},
			{update: obj{"RegionID": 9998}, field: "RegionID"},
		}},
		{"9997", []call{ // a county
			{target: "/v1/Search/SearchProfiles?CountyID=9997", field: "CountyID"},
			{target: "/v1/Search/searchFieldReports?CountyID=9997", field: "CountyID"},
			{target: "/v1/Search/searchTours?CountryID=158&RegionID=1&CountyID=9997", field: "CountyID"},
			{update: obj{"CountyID": 9997}, field: "CountyID"},
		}},
		{"99", []call{ // a gender
			{target: "/v1/Search/SearchProfiles?GenderIDs=1,99", field: "GenderIDs"},
			{target: "/v1/Search/searchFieldReports?GenderID=99", field: "GenderID"},
			{target: "/v1/Search/searchTours?CountryID=158&RegionID=1&GenderID=99", field: "GenderID"},
			{update: obj{"GenderID": 99}, field: "GenderID"},
		}},
		{"98", []call{ // an orientation
			{target: "/v1/Search/SearchProfiles?OrientationIds=98", field: "OrientationIds"},
			{target: "/v1/Search/searchTours?CountryID=158&RegionID=1&OrientationID=98", field: "OrientationID"},
			{update: obj{"OrientationID": 98}, field: "OrientationID"},
		}},
		{"1", []call{ // a region outside the country
			{target: "/v1/Search/SearchProfiles?CountryID=1&RegionID=1", field: "RegionID"},
			{target: "/v1/Search/searchTours?CountryID=1&RegionID=1", field: "RegionID"},
		}},
	} {
		want := message(t, tc.calls[0], tc.id)
		for _, c := range tc.calls[1:] {
			if got := message(t, c, tc.id); got != want {
				t.Errorf("%v: %q, but %v says %q", c, got, tc.calls[0], want)
			}
		}
	}
}
