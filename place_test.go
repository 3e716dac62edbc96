package awapi

import (
	"maps"
	"slices"
	"testing"
)

// TestCheckPlace checks the one place check every method uses: each given ID must exist, a region
// lie in the country and a county in the region, each error naming its field, in one wording.
func TestCheckPlace(t *testing.T) {
	for _, tc := range []struct {
		name                          string
		countryID, regionID, countyID int
		want                          map[string]string
	}{
		{"nothing given", 0, 0, 0, nil},
		{"a place that nests", 158, 2, 4, nil},
		{"a county alone", 0, 0, 4, nil},
		{"unknown country", 9999, 0, 0, map[string]string{"CountryID": "CountryID 9999 is not a country (see Lists/GetCountries)."}},
		{"unknown region", 158, 9999, 0, map[string]string{"RegionID": "RegionID 9999 is not a region (see Lists/GetRegions)."}},
		{"unknown county", 0, 0, 9999, map[string]string{"CountyID": "CountyID 9999 is not a county (see Lists/GetCounties)."}},
		{"region of another country", 1, 2, 0, map[string]string{"RegionID": "RegionID 2 is not in CountryID 1."}},
		{"county of another region", 158, 1, 4, map[string]string{"CountyID": "CountyID 4 is not in RegionID 1."}},
	} {
		var v Validation
		CheckPlace(&v, tc.countryID, tc.regionID, tc.countyID)
		checkMessages(t, tc.name, &v, tc.want)
	}
}

// TestCheckGendersAndOrientations checks the gender and orientation checks name the field given,
// once per unknown ID.
func TestCheckGendersAndOrientations(t *testing.T) {
	var v Validation
	CheckGenders(&v, "GenderIDs", 1, 99, 2)
	CheckOrientations(&v, "OrientationID", 98)
	CheckGenders(&v, "GenderID", 3)
	checkMessages(t, "genders and orientations", &v, map[string]string{
		"GenderIDs":     "GenderID 99 is not a gender (see Lists/GetGenders).",
		"OrientationID": "OrientationID 98 is not an orientation (see Lists/GetOrientations).",
	})
}

// TestResolveChecksPlaces checks Account/Update's resolution uses the same checks: a region must lie
// in the member's country, a county in the region the member ends up in, and a county sent with a
// wrong region is only checked to exist.
func TestResolveChecksPlaces(t *testing.T) {
	current := Member{CountryID: 158, RegionID: 2, CountyID: 4}
	ptr := func(n int) *int { return &n }
	for _, tc := range []struct {
		name           string
		u              AccountUpdate
		region, county int
		want           map[string]string
	}{
		{"new region clears a county outside it", AccountUpdate{RegionID: ptr(1)}, 1, 0, nil},
		{"county in the new region", AccountUpdate{RegionID: ptr(1), CountyID: ptr(3)}, 1, 3, nil},
		{"county outside the region", AccountUpdate{CountyID: ptr(1)}, 2, 4,
			map[string]string{"CountyID": "CountyID 1 is not in RegionID 2."}},
		{"unknown region", AccountUpdate{RegionID: ptr(9999), CountyID: ptr(1)}, 2, 4,
			map[string]string{"RegionID": "RegionID 9999 is not a region (see Lists/GetRegions)."}},
		{"unknown region and county", AccountUpdate{RegionID: ptr(9999), CountyID: ptr(9999)}, 2, 4,
			map[string]string{"RegionID": "RegionID 9999 is not a region (see Lists/GetRegions).",
				"CountyID": "CountyID 9999 is not a county (see Lists/GetCounties)."}},
		{"gender and orientation", AccountUpdate{GenderID: ptr(99), OrientationID: ptr(98)}, 2, 4,
			map[string]string{"GenderID": "GenderID 99 is not a gender (see Lists/GetGenders).",
				"OrientationID": "OrientationID 98 is not an orientation (see Lists/GetOrientations)."}},
	} {
		var v Validation
		region, county := tc.u.Resolve(current, &v)
		checkMessages(t, tc.name, &v, tc.want)
		if tc.want == nil && (region != tc.region || county != tc.county) {
			t.Errorf("%s: region %d county %d, want %d %d", tc.name, region, county, tc.region, tc.county)
		}
	}
}

func checkMessages(t *testing.T, name string, v *Validation, want map[string]string) {
	t.Helper()
	if got, exp := slices.Sorted(maps.Keys(v.fields)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, exp) {
		t.Errorf("%s: fields %v, want %v (%v)", name, got, exp, v.fields)
		return
	}
	for field, msg := range want {
		if got := v.fields[field]; len(got) != 1 || got[0] != msg {
			t.Errorf("%s: %s = %q, want %q", name, field, got, msg)
		}
	}
}
