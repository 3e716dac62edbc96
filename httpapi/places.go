package httpapi

import (
	"math"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// Places and proximity, shared by every search and every object that names a place. Whether the IDs
// of a place exist and nest is the domain's check (awapi.CheckPlace).

// kmPerMile is the international mile.
const kmPerMile = 1.609344

// Place is where something is, by the Lists' IDs and their names, and the town (GroupDetails, Tour,
// FieldReportDetails).
type Place struct {
	CountryID int
	Country   string
	RegionID  int
	Region    string
	CountyID  int
	County    string
	Town      string
}

// PlaceNames is where a member is, by name only (the profile summary, the newsfeed card, a field
// report in a search).
type PlaceNames struct {
	Country string
	Region  string
	County  string
	Town    string
}

// placeOf names the country, region and county ("" for unknown or unset IDs).
func placeOf(countryID, regionID, countyID int, town string) Place {
	n := placeNamesOf(countryID, regionID, countyID, town)
	return Place{CountryID: countryID, Country: n.Country, RegionID: regionID, Region: n.Region, CountyID: countyID,
		County: n.County, Town: town}
}

// placeNamesOf names the country, region and county ("" for unknown or unset IDs).
func placeNamesOf(countryID, regionID, countyID int, town string) PlaceNames {
	n := PlaceNames{Town: town}
	if c, ok := refdata.CountryByID(countryID); ok {
		n.Country = c.CountryName
	}
	if r, ok := refdata.RegionByID(regionID); ok {
		n.Region = r.RegionName
	}
	if c, ok := refdata.CountyByID(countyID); ok {
		n.County = c.CountyName
	}
	return n
}

// locationSearch is the parameter group of a search around a UK postcode (SearchProfiles,
// searchTours), declared once and embedded in their request models.
type locationSearch struct {
	LocationZipCode             string `api:"maxlen=10" doc:"A UK outward postcode (SW1A) or full postcode; needs a proximity."`
	LocationProximityMiles      *int   `api:"min=1,max=99" doc:"Radius in miles around LocationZipCode."`
	LocationProximityKilometres *int   `api:"min=1,max=160" doc:"Radius in kilometres around LocationZipCode (160 km is about 99 miles)."`
}

// validate checks a location search: the zip code needs exactly one radius, and a radius needs the
// zip code. (Not Validate: the request models embedding the group have their own.)
func (l *locationSearch) validate(v *awapi.Validation) {
	radius := l.LocationProximityMiles != nil || l.LocationProximityKilometres != nil
	switch {
	case l.LocationProximityMiles != nil && l.LocationProximityKilometres != nil:
		v.Addf("LocationProximityKilometres", "Give LocationProximityMiles or LocationProximityKilometres, not both.")
	case radius && l.LocationZipCode == "":
		v.Addf("LocationZipCode", "LocationZipCode is required with a proximity.")
	case !radius && l.LocationZipCode != "":
		v.Addf("LocationProximityMiles", "LocationProximityMiles or LocationProximityKilometres is required with LocationZipCode.")
	}
}

// near resolves a validated location search to the districts within its radius; nil without one.
func (l *locationSearch) near() (map[string]float64, error) {
	if l.LocationZipCode == "" {
		return nil, nil
	}
	radius := 0.0
	if l.LocationProximityMiles != nil {
		radius = float64(*l.LocationProximityMiles) * kmPerMile
	} else {
		radius = float64(*l.LocationProximityKilometres)
	}
	near, ok := awapi.NearDistricts(l.LocationZipCode, radius)
	if !ok {
		return nil, awapi.InvalidField("LocationZipCode", "LocationZipCode %q is not a known UK postcode or outward code.", l.LocationZipCode)
	}
	return near, nil
}

// Distance is how far a search result lies from the location searched around, to one decimal;
// both are null without a location.
type Distance struct {
	LocationProximityMiles      *float64
	LocationProximityKilometres *float64
}

// distanceOf renders a distance in km (nil: no location search).
func distanceOf(km *float64) Distance {
	if km == nil {
		return Distance{}
	}
	k := math.Round(*km*10) / 10
	m := math.Round(*km/kmPerMile*10) / 10
	return Distance{LocationProximityMiles: &m, LocationProximityKilometres: &k}
}
