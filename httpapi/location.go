package httpapi

import (
	"math"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// Places, proximity and the Lists' IDs, shared by every search and every object that names a place.

// refList is a Lists code table that filters name by ID.
type refList struct {
	idName, noun, method string
	lookup               func(id int) (refdata.Item, bool)
}

var (
	genders      = refList{"GenderID", "a gender", "getGenders", refdata.Gender}
	orientations = refList{"OrientationID", "an orientation", "getOrientations", refdata.Orientation}
)

// check names field for each of ids the list does not hold.
func (l refList) check(v *awapi.Validation, field string, ids ...int) {
	for _, id := range ids {
		if _, ok := l.lookup(id); !ok {
			v.Addf(field, "%s %d is not %s (see %s).", l.idName, id, l.noun, l.method)
		}
	}
}

// kmPerMile is the international mile.
const kmPerMile = 1.609344

// validPlace checks that the country, region and county exist and nest.
func validPlace(v *awapi.Validation, countryID, regionID, countyID int) {
	if countryID != 0 {
		if _, ok := refdata.CountryByID(countryID); !ok {
			v.Addf("CountryID", "CountryID %d is not a country (see getCountries).", countryID)
		}
	}
	if regionID != 0 {
		if reg, ok := refdata.RegionByID(regionID); !ok {
			v.Addf("RegionID", "RegionID %d is not a region (see getRegions).", regionID)
		} else if countryID != 0 && reg.CountryID != countryID {
			v.Addf("RegionID", "RegionID %d is not in CountryID %d.", regionID, countryID)
		}
	}
	if countyID != 0 {
		if c, ok := refdata.CountyByID(countyID); !ok {
			v.Addf("CountyID", "CountyID %d is not a county (see getCounties).", countyID)
		} else if regionID != 0 && c.RegionID != regionID {
			v.Addf("CountyID", "CountyID %d is not in RegionID %d.", countyID, regionID)
		}
	}
}

// placeNames are the names of a country, region and county ("" for unknown or unset IDs).
func placeNames(countryID, regionID, countyID int) (country, region, county string) {
	if c, ok := refdata.CountryByID(countryID); ok {
		country = c.CountryName
	}
	if r, ok := refdata.RegionByID(regionID); ok {
		region = r.RegionName
	}
	if c, ok := refdata.CountyByID(countyID); ok {
		county = c.CountyName
	}
	return country, region, county
}

// validProximity checks a location search: the zip code needs exactly one radius, and a radius needs
// the zip code.
func validProximity(v *awapi.Validation, zip string, miles, km *int) {
	radius := miles != nil || km != nil
	switch {
	case miles != nil && km != nil:
		v.Addf("LocationProximityKilometres", "Give LocationProximityMiles or LocationProximityKilometres, not both.")
	case radius && zip == "":
		v.Addf("LocationZipCode", "LocationZipCode is required with a proximity.")
	case !radius && zip != "":
		v.Addf("LocationProximityMiles", "LocationProximityMiles or LocationProximityKilometres is required with LocationZipCode.")
	}
}

// nearZip resolves a validated location search to the districts within its radius.
func nearZip(zip string, miles, km *int) (map[string]float64, error) {
	radius := 0.0
	if miles != nil {
		radius = float64(*miles) * kmPerMile
	} else {
		radius = float64(*km)
	}
	near, ok := awapi.NearDistricts(zip, radius)
	if !ok {
		return nil, awapi.InvalidField("LocationZipCode", "LocationZipCode %q is not a known UK postcode or outward code.", zip)
	}
	return near, nil
}

// distanceFields renders a distance in km as the Miles and Kilometres fields, to one decimal.
func distanceFields(km *float64) (miles, kilometres *float64) {
	if km == nil {
		return nil, nil
	}
	k := math.Round(*km*10) / 10
	m := math.Round(*km/kmPerMile*10) / 10
	return &m, &k
}
