package awapi

import "github.com/awapi/awapi/refdata"

// Checks of the Lists' IDs a request names: a place (country, region, county), genders and
// orientations. Every method that takes one checks it here, so each is checked, and worded, once.
// Each check names its field in v; the message points at the Lists method that lists the IDs.

// CheckCountry reports whether countryID is a country, naming CountryID in v when it is not.
func CheckCountry(v *Validation, countryID int) bool {
	if _, ok := refdata.CountryByID(countryID); !ok {
		v.Addf("CountryID", "CountryID %d is not a country (see Lists/GetCountries).", countryID)
		return false
	}
	return true
}

// CheckRegion reports whether regionID is a region and lies in countryID (any country when 0),
// naming RegionID in v when not.
func CheckRegion(v *Validation, regionID, countryID int) bool {
	r, ok := refdata.RegionByID(regionID)
	switch {
	case !ok:
		v.Addf("RegionID", "RegionID %d is not a region (see Lists/GetRegions).", regionID)
	case countryID != 0 && r.CountryID != countryID:
		v.Addf("RegionID", "RegionID %d is not in CountryID %d.", regionID, countryID)
	default:
		return true
	}
	return false
}

// CheckCounty reports whether countyID is a county and lies in regionID (any region when 0), naming
// CountyID in v when not.
func CheckCounty(v *Validation, countyID, regionID int) bool {
	c, ok := refdata.CountyByID(countyID)
	switch {
	case !ok:
		v.Addf("CountyID", "CountyID %d is not a county (see Lists/GetCounties).", countyID)
	case regionID != 0 && c.RegionID != regionID:
		v.Addf("CountyID", "CountyID %d is not in RegionID %d.", countyID, regionID)
	default:
		return true
	}
	return false
}

// CheckPlace checks the IDs of a place a search names, each only when given (not 0): each must
// exist, the region must lie in the country and the county in the region.
func CheckPlace(v *Validation, countryID, regionID, countyID int) {
	if countryID != 0 {
		CheckCountry(v, countryID)
	}
	if regionID != 0 {
		CheckRegion(v, regionID, countryID)
	}
	if countyID != 0 {
		CheckCounty(v, countyID, regionID)
	}
}

// CheckGenders names field in v for each of ids that is not a gender.
func CheckGenders(v *Validation, field string, ids ...int) {
	for _, id := range ids {
		if _, ok := refdata.Gender(id); !ok {
			v.Addf(field, "GenderID %d is not a gender (see Lists/GetGenders).", id)
		}
	}
}

// CheckOrientations names field in v for each of ids that is not an orientation.
func CheckOrientations(v *Validation, field string, ids ...int) {
	for _, id := range ids {
		if _, ok := refdata.Orientation(id); !ok {
			v.Addf(field, "OrientationID %d is not an orientation (see Lists/GetOrientations).", id)
		}
	}
}
