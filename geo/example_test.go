package geo_test

import (
	"fmt"

	"github.com/awapi/awapi/geo"
)

// A proximity search: the bounding box is a cheap, index-friendly prefilter
// (in SQL: latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?), and the
// exact distance decides.
func ExampleBoundingBox() {
	centre, _, ok := geo.Lookup("m1 1ae")
	if !ok {
		return
	}
	radius := geo.MilesToKm(10)
	minLat, maxLat, minLon, maxLon := geo.BoundingBox(centre.Point, radius)
	within := func(code string) bool {
		d, _, _ := geo.Lookup(code)
		p := d.Point
		if p.Lat < minLat || p.Lat > maxLat || p.Lon < minLon || p.Lon > maxLon {
			return false
		}
		return geo.DistanceKm(centre.Point, p) <= radius
	}
	for _, code := range []string{"SK1", "BL1", "L1", "LS1"} {
		fmt.Printf("%s within 10 miles of %s: %v\n", code, centre.OutwardCode, within(code))
	}
	// Output:
	// SK1 within 10 miles of M1: true
	// BL1 within 10 miles of M1: false
	// L1 within 10 miles of M1: false
	// LS1 within 10 miles of M1: false
}

func ExampleLookup() {
	d, exact, ok := geo.Lookup("SW1A 1AA")
	fmt.Println(d.OutwardCode, d.PostTown, exact, ok)
	d, exact, ok = geo.Lookup("M99 1AA") // not a district in the table: area centroid
	fmt.Println(d.OutwardCode, exact, ok)
	_, _, ok = geo.Lookup("not a postcode")
	fmt.Println(ok)
	// Output:
	// SW1A London true true
	// M false true
	// false
}
