// Package geo locates UK outward postcodes (the "M1" of "M1 1AE") and measures
// great-circle distances, for proximity searches such as "within 10 miles of
// SW1A".
//
// The centroids come from an embedded CSV (data/postcode_districts.csv) with
// one row per postcode district: its outward code, the approximate latitude
// and longitude of its centre (WGS84 degrees) and its Royal Mail post town.
// The table covers every postcode area of Great Britain and Northern Ireland
// plus the Channel Islands (GY, JE) and the Isle of Man (IM). The coordinates
// are approximate: they were compiled by hand from general geographic
// knowledge rather than from an official gazetteer, and are meant to be
// within a few kilometres of the true centroids. That is ample for "within N
// miles" searches but not for routing or anything that needs precision.
// Non-geographic districts (PO boxes, large users, such as BX1 or M99) are
// mostly absent; Lookup falls back to the centroid of their area.
//
// The file is parsed and validated once, on first use. Because it ships with
// the binary, a malformed file is a programming error and makes that first
// use panic; the package tests guard against it.
//
// Distances use the haversine formula on a sphere of radius EarthRadiusKm,
// which is within about 0.5% of the true ellipsoidal distance.
package geo

import (
	"cmp"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// EarthRadiusKm is the mean radius of the Earth (IUGG) used for distances.
const EarthRadiusKm = 6371.0088

// kmPerMile is the international mile in kilometres.
const kmPerMile = 1.609344

// Point is a position in WGS84 degrees.
type Point struct{ Lat, Lon float64 }

// District is a UK postcode district: its outward code ("M1", "SW1A"), its
// Royal Mail post town and the approximate centre of the district.
type District struct {
	OutwardCode, PostTown string
	Point                 Point
}

//go:embed data/postcode_districts.csv
var districtsCSV string

// csvHeader is the required first line of the districts file.
var csvHeader = []string{"outward_code", "latitude", "longitude", "post_town"}

// table is the parsed districts file with its indexes.
type table struct {
	districts []District       // sorted by compareOutward
	byCode    map[string]int   // outward code -> index in districts
	areas     map[string]Point // area ("M", "SW") -> mean of its districts
}

var load = sync.OnceValue(func() *table { return mustParse(districtsCSV) })

// mustParse parses the embedded file, panicking if it is malformed.
func mustParse(src string) *table {
	t, err := parse(strings.NewReader(src))
	if err != nil {
		panic("geo: malformed embedded data/postcode_districts.csv: " + err.Error())
	}
	return t
}

// parse reads and validates a districts CSV.
func parse(r io.Reader) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(csvHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	if !slices.Equal(header, csvHeader) {
		return nil, fmt.Errorf("header is %q, want %q", header, csvHeader)
	}
	t := &table{byCode: make(map[string]int)}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		code, latText, lonText, town := rec[0], rec[1], rec[2], rec[3]
		if c, ok := Outward(code); !ok || c != code {
			return nil, fmt.Errorf("line %d: %q is not a normalised outward code", line, code)
		}
		if _, dup := t.byCode[code]; dup {
			return nil, fmt.Errorf("line %d: duplicate outward code %q", line, code)
		}
		lat, err := strconv.ParseFloat(latText, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: latitude: %w", line, err)
		}
		lon, err := strconv.ParseFloat(lonText, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: longitude: %w", line, err)
		}
		// The British Isles, Channel Islands included; the comparisons are
		// written so that NaN fails them.
		if !(lat >= 49 && lat <= 61) || !(lon >= -8.7 && lon <= 2) {
			return nil, fmt.Errorf("line %d: %s: (%v, %v) is outside the British Isles", line, code, lat, lon)
		}
		if town == "" || strings.TrimSpace(town) != town {
			return nil, fmt.Errorf("line %d: %s: bad post town %q", line, code, town)
		}
		t.byCode[code] = -1
		t.districts = append(t.districts, District{OutwardCode: code, PostTown: town, Point: Point{lat, lon}})
	}
	if len(t.districts) == 0 {
		return nil, errors.New("no districts")
	}
	slices.SortFunc(t.districts, func(a, b District) int { return compareOutward(a.OutwardCode, b.OutwardCode) })
	t.districts = slices.Clip(t.districts)

	t.areas = make(map[string]Point)
	perArea := make(map[string][]int)
	for i, d := range t.districts {
		t.byCode[d.OutwardCode] = i
		a := area(d.OutwardCode)
		perArea[a] = append(perArea[a], i)
	}
	for a, idx := range perArea {
		var sumLat, sumLon float64
		for _, i := range idx {
			sumLat += t.districts[i].Point.Lat
			sumLon += t.districts[i].Point.Lon
		}
		n := float64(len(idx))
		t.areas[a] = Point{sumLat / n, sumLon / n}
	}
	return t, nil
}

// Outward normalises user input ("m1", " SW1A 1AA", "sw1a", "b338th") to the
// outward code ("M1", "SW1A", "B33"); ok is false if the input is not the
// shape of a UK postcode. Accepted are an outward code alone, a full postcode
// with or without the space, and an outward code followed by a space and a
// partial inward code ("M1 1", "M1 1A"). Case and surrounding or repeated
// whitespace are ignored. The outward code must follow the Royal Mail
// patterns (A9, A99, A9A, AA9, AA99, AA9A, with their letter restrictions);
// the inward code is only checked for its digit-letter-letter shape. Whether
// the district exists is not checked: see Lookup.
func Outward(postcode string) (string, bool) {
	fields := strings.Fields(postcode)
	switch len(fields) {
	case 1:
		s := strings.ToUpper(fields[0])
		if validOutward(s) {
			return s, true
		}
		if n := len(s); n >= 5 && validInward(s[n-3:], false) && validOutward(s[:n-3]) {
			return s[:n-3], true
		}
	case 2:
		out, in := strings.ToUpper(fields[0]), strings.ToUpper(fields[1])
		if validOutward(out) && validInward(in, true) {
			return out, true
		}
	}
	return "", false
}

func isLetter(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// validOutward reports whether s (upper case) is an outward code: A9, A99,
// A9A, AA9, AA99 or AA9A, where the first letter is not Q, V or X, the second
// is not I, J or Z, a letter after the digit of A9A is one of ABCDEFGHJKPSTUW
// and one after the digit of AA9A is one of ABEHMNPRVWXY.
func validOutward(s string) bool {
	n := len(s)
	if n < 2 || n > 4 || !isLetter(s[0]) || strings.IndexByte("QVX", s[0]) >= 0 {
		return false
	}
	if isDigit(s[1]) { // A9, A99, A9A
		switch n {
		case 2:
			return true
		case 3:
			return isDigit(s[2]) || strings.IndexByte("ABCDEFGHJKPSTUW", s[2]) >= 0
		}
		return false
	}
	if !isLetter(s[1]) || strings.IndexByte("IJZ", s[1]) >= 0 || n < 3 || !isDigit(s[2]) {
		return false
	}
	switch n { // AA9, AA99, AA9A
	case 3:
		return true
	case 4:
		return isDigit(s[3]) || strings.IndexByte("ABEHMNPRVWXY", s[3]) >= 0
	}
	return false
}

// validInward reports whether s (upper case) is an inward code (9AA) or, when
// partial is true, also a leading part of one (9, 9A).
func validInward(s string, partial bool) bool {
	if len(s) == 0 || len(s) > 3 || (!partial && len(s) != 3) || !isDigit(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return true
}

// area returns the leading letters of an outward code: "SW" for "SW1A".
func area(outward string) string {
	i := 0
	for i < len(outward) && isLetter(outward[i]) {
		i++
	}
	return outward[:i]
}

// compareOutward orders outward codes by area, then district number, then
// suffix letter, so that M2 sorts before M10 and SW1A before SW2.
func compareOutward(a, b string) int {
	aa, ab := area(a), area(b)
	if c := cmp.Compare(aa, ab); c != 0 {
		return c
	}
	na, sa := splitDistrict(a[len(aa):])
	nb, sb := splitDistrict(b[len(ab):])
	return cmp.Or(cmp.Compare(na, nb), cmp.Compare(sa, sb))
}

func splitDistrict(s string) (int, string) {
	i := 0
	n := 0
	for i < len(s) && isDigit(s[i]) {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:]
}

// Lookup finds the district of a postcode (any input Outward accepts) and
// returns it with exact set. When the district is not in the table (a
// non-geographic or new district such as M99) it falls back to the centroid
// of the postcode area, the mean of the area's districts, and reports
// exact=false; the returned District then has the area ("M") as OutwardCode
// and an empty PostTown, since an area spans several post towns. An area on
// its own ("M", "sw") is accepted too, with exact=false. ok is false when the
// input is not a postcode or its area is unknown.
func Lookup(postcode string) (d District, exact, ok bool) {
	t := load()
	code, valid := Outward(postcode)
	if !valid {
		a := strings.ToUpper(strings.TrimSpace(postcode))
		if len(a) == 0 || len(a) > 2 || !isLetter(a[0]) || !isLetter(a[len(a)-1]) {
			return District{}, false, false
		}
		code = a
	} else if i, found := t.byCode[code]; found {
		return t.districts[i], true, true
	}
	a := area(code)
	p, found := t.areas[a]
	if !found {
		return District{}, false, false
	}
	return District{OutwardCode: a, Point: p}, false, true
}

// Districts returns every district in the table, ordered by outward code
// (area, then district number, then suffix: M1, M2, …, M10). The slice is
// shared: callers must not modify its elements.
func Districts() []District { return load().districts }

// DistanceKm returns the great-circle (haversine) distance between two points
// in kilometres, on a sphere of radius EarthRadiusKm.
func DistanceKm(a, b Point) float64 {
	φ1, φ2 := radians(a.Lat), radians(b.Lat)
	sinΔφ := math.Sin((φ2 - φ1) / 2)
	sinΔλ := math.Sin(radians(b.Lon-a.Lon) / 2)
	h := sinΔφ*sinΔφ + math.Cos(φ1)*math.Cos(φ2)*sinΔλ*sinΔλ
	return 2 * EarthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// KmToMiles converts kilometres to (international) miles.
func KmToMiles(km float64) float64 { return km / kmPerMile }

// MilesToKm converts (international) miles to kilometres.
func MilesToKm(mi float64) float64 { return mi * kmPerMile }

// bboxPad widens bounding boxes by about 0.1 mm so that rounding cannot
// exclude a point lying exactly on the radius.
const bboxPad = 1e-9

// BoundingBox returns a latitude/longitude box (degrees) that contains every
// point within km of p on the sphere DistanceKm uses, for an index-friendly
// prefilter (lat BETWEEN minLat AND maxLat AND lon BETWEEN minLon AND maxLon)
// before the exact distance check. The longitude half-width is the largest
// one of the circle, asin(sin(d)/cos(lat)), which is slightly more than that
// at p's own latitude. When the circle reaches a pole or crosses the ±180°
// meridian the longitudes span the whole range [-180, 180] (and the latitudes
// are clamped to ±90), so minLon <= maxLon always holds. A negative km is
// taken as 0.
func BoundingBox(p Point, km float64) (minLat, maxLat, minLon, maxLon float64) {
	if !(km > 0) {
		km = 0
	}
	d := km / EarthRadiusKm // angular radius
	lat := radians(p.Lat)
	minφ, maxφ := lat-d, lat+d
	if minφ <= -math.Pi/2 || maxφ >= math.Pi/2 {
		return max(degrees(minφ)-bboxPad, -90), min(degrees(maxφ)+bboxPad, 90), -180, 180
	}
	Δλ := degrees(math.Asin(math.Sin(d) / math.Cos(lat)))
	minLon, maxLon = p.Lon-Δλ-bboxPad, p.Lon+Δλ+bboxPad
	if minLon < -180 || maxLon > 180 {
		minLon, maxLon = -180, 180
	}
	return degrees(minφ) - bboxPad, degrees(maxφ) + bboxPad, minLon, maxLon
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }
func degrees(rad float64) float64 { return rad * 180 / math.Pi }
