package geo

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestOutward(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means invalid
	}{
		{"m1 1ae", "M1"},
		{"SW1A1AA", "SW1A"},
		{"EC1A 1BB", "EC1A"},
		{"W1", "W1"},
		{"B33 8TH", "B33"},
		{" SW1A 1AA", "SW1A"},
		{"sw1a", "SW1A"},
		{"m1", "M1"},
		{"M11AE", "M1"},
		{"M11", "M11"},
		{"b338th", "B33"},
		{"W1A 1AA", "W1A"},
		{"w1a1aa", "W1A"},
		{"N1C 4AG", "N1C"},
		{"E1W", "E1W"},
		{"CR0 2XX", "CR0"},
		{"  le1   7rh  ", "LE1"},
		{"M1\t1AE", "M1"},
		{"M1\u00a01AE", "M1"}, // no-break space
		{"M1 1", "M1"},        // sector
		{"M1 1A", "M1"},
		{"DN55 1PT", "DN55"},
		{"GY9 3AA", "GY9"},
		{"BT1 1AA", "BT1"},

		{"", ""},
		{"   ", ""},
		{"12345", ""},
		{"ABCDE", ""},
		{"M", ""},
		{"SW", ""},
		{"1M", ""},
		{"M1 1AEX", ""},
		{"M1 AE", ""},
		{"M1 1A1", ""},
		{"SW1A 1AA X", ""},
		{"S W1A 1AA", ""},
		{"Q1", ""},   // Q never starts a postcode
		{"AI1", ""},  // I is never the second letter
		{"W1Z", ""},  // Z never follows the digit of A9A
		{"EC1C", ""}, // C never follows the digit of AA9A
		{"SW123", ""},
		{"M1A1", ""},
		{"ÄB1", ""},
		{"M1-1AE", ""},
	}
	for _, tt := range tests {
		got, ok := Outward(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("Outward(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.want != "")
		}
	}
}

// allAreas are the 121 postcode areas of the UK plus the Crown Dependencies.
var allAreas = strings.Fields(`AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE
	DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE
	LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN
	SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE GY JE IM`)

func TestEmbeddedDistricts(t *testing.T) {
	ds := Districts()
	if len(ds) < 1000 {
		t.Fatalf("only %d districts", len(ds))
	}
	seen := make(map[string]bool)
	areas := make(map[string]int)
	for i, d := range ds {
		code := d.OutwardCode
		if seen[code] {
			t.Errorf("duplicate %s", code)
		}
		seen[code] = true
		if got, ok := Outward(code); !ok || got != code {
			t.Errorf("%s: Outward = %q, %v", code, got, ok)
		}
		if d.PostTown == "" {
			t.Errorf("%s: no post town", code)
		}
		if i > 0 && compareOutward(ds[i-1].OutwardCode, code) >= 0 {
			t.Errorf("%s sorts after %s", ds[i-1].OutwardCode, code)
		}
		a := area(code)
		areas[a]++
		p := d.Point
		var inside bool
		switch a {
		case "GY", "JE": // Channel Islands, south of the mainland box
			inside = p.Lat >= 49.1 && p.Lat <= 49.8 && p.Lon >= -2.7 && p.Lon <= -2.0
		case "IM":
			inside = p.Lat >= 54.0 && p.Lat <= 54.45 && p.Lon >= -4.85 && p.Lon <= -4.3
		default:
			inside = p.Lat >= 49.8 && p.Lat <= 60.9 && p.Lon >= -8.7 && p.Lon <= 1.8
		}
		if !inside {
			t.Errorf("%s: %v is outside the expected box", code, p)
		}
	}
	for _, a := range allAreas {
		if areas[a] == 0 {
			t.Errorf("area %s has no districts", a)
		}
		delete(areas, a)
	}
	if len(areas) > 0 {
		t.Errorf("unexpected areas: %v", areas)
	}
	if d := Districts(); &d[0] != &ds[0] || cap(d) != len(d) {
		t.Error("Districts should return the shared, clipped slice")
	}
}

// TestDistrictsConsistent guards against typing slips in the data file: the
// districts of one post town within one area lie close together, and no
// district is far from every other district of its area.
func TestDistrictsConsistent(t *testing.T) {
	type key struct{ area, town string }
	groups := make(map[key][]District)
	byArea := make(map[string][]District)
	for _, d := range Districts() {
		a := area(d.OutwardCode)
		groups[key{a, d.PostTown}] = append(groups[key{a, d.PostTown}], d)
		byArea[a] = append(byArea[a], d)
	}
	for k, ds := range groups {
		m := mean(ds)
		for _, d := range ds {
			if km := DistanceKm(d.Point, m); km > 45 {
				t.Errorf("%s is %.0f km from the other %s districts of %s", d.OutwardCode, km, k.area, k.town)
			}
		}
	}
	for a, ds := range byArea {
		for _, d := range ds {
			nearest := math.Inf(1)
			for _, o := range ds {
				if o.OutwardCode != d.OutwardCode {
					nearest = min(nearest, DistanceKm(d.Point, o.Point))
				}
			}
			if len(ds) > 1 && nearest > 50 {
				t.Errorf("%s is %.0f km from the nearest other %s district", d.OutwardCode, nearest, a)
			}
		}
	}
}

func mean(ds []District) Point {
	var p Point
	for _, d := range ds {
		p.Lat += d.Point.Lat
		p.Lon += d.Point.Lon
	}
	return Point{p.Lat / float64(len(ds)), p.Lon / float64(len(ds))}
}

func mustLookup(t *testing.T, code string) Point {
	t.Helper()
	d, exact, ok := Lookup(code)
	if !ok || !exact {
		t.Fatalf("Lookup(%q) = %v, exact=%v, ok=%v", code, d, exact, ok)
	}
	return d.Point
}

func TestKnownDistances(t *testing.T) {
	tests := []struct {
		a, b      string
		km, tolKm float64
	}{
		{"WC2N", "M1", 262, 15},  // London to Manchester
		{"EH1", "G1", 67, 8},     // Edinburgh to Glasgow
		{"BS1", "CF10", 45, 8},   // Bristol to Cardiff
		{"SW1A", "EH1", 534, 20}, // London to Edinburgh
		{"B1", "LS1", 160, 12},   // Birmingham to Leeds
		{"L1", "M1", 50, 6},      // Liverpool to Manchester
		{"BT1", "G1", 173, 15},   // Belfast to Glasgow
		{"TR18", "NR1", 530, 25}, // Penzance to Norwich
		{"AB10", "IV1", 144, 12}, // Aberdeen to Inverness (straight line)
		{"ZE1", "KW15", 166, 12}, // Lerwick to Kirkwall
		{"GY1", "JE2", 44, 8},    // St Peter Port to St Helier
		{"IM1", "BT1", 106, 10},  // Douglas to Belfast
		{"NE1", "SR1", 17, 4},    // Newcastle to Sunderland
		{"CB2", "OX1", 107, 10},  // Cambridge to Oxford
	}
	for _, tt := range tests {
		got := DistanceKm(mustLookup(t, tt.a), mustLookup(t, tt.b))
		if math.Abs(got-tt.km) > tt.tolKm {
			t.Errorf("%s to %s: %.1f km, want %.0f±%.0f", tt.a, tt.b, got, tt.km, tt.tolKm)
		}
	}
}

func TestDistanceKm(t *testing.T) {
	p := Point{51.5, -0.12}
	if d := DistanceKm(p, p); d != 0 {
		t.Errorf("distance to itself = %v", d)
	}
	q := Point{53.48, -2.24}
	if a, b := DistanceKm(p, q), DistanceKm(q, p); math.Abs(a-b) > 1e-9 {
		t.Errorf("not symmetric: %v, %v", a, b)
	}
	// A degree of latitude is EarthRadiusKm·π/180 km.
	if d, want := DistanceKm(Point{50, 1}, Point{51, 1}), EarthRadiusKm*math.Pi/180; math.Abs(d-want) > 1e-9 {
		t.Errorf("one degree of latitude = %v, want %v", d, want)
	}
	// Antipodes are half the circumference apart.
	if d, want := DistanceKm(Point{10, 20}, Point{-10, -160}), EarthRadiusKm*math.Pi; math.Abs(d-want) > 1e-6 {
		t.Errorf("antipodes = %v, want %v", d, want)
	}
}

func TestUnits(t *testing.T) {
	if got := KmToMiles(1.609344); math.Abs(got-1) > 1e-12 {
		t.Errorf("KmToMiles(1.609344) = %v", got)
	}
	if got := MilesToKm(10); math.Abs(got-16.09344) > 1e-12 {
		t.Errorf("MilesToKm(10) = %v", got)
	}
	for _, x := range []float64{0, 1, 25, 262.5} {
		if got := KmToMiles(MilesToKm(x)); math.Abs(got-x) > 1e-9 {
			t.Errorf("round trip of %v = %v", x, got)
		}
	}
}

func TestLookup(t *testing.T) {
	mArea := func() Point {
		var ds []District
		for _, d := range Districts() {
			if area(d.OutwardCode) == "M" {
				ds = append(ds, d)
			}
		}
		return mean(ds)
	}()
	tests := []struct {
		in        string
		want      District
		exact, ok bool
	}{
		{"m1 1ae", District{"M1", "Manchester", Point{53.478, -2.235}}, true, true},
		{"SW1A 1AA", District{"SW1A", "London", Point{51.502, -0.137}}, true, true},
		{"M99 1AA", District{"M", "", mArea}, false, true}, // unknown district of a known area
		{"m99", District{"M", "", mArea}, false, true},
		{"m", District{"M", "", mArea}, false, true}, // an area on its own
		{" m ", District{"M", "", mArea}, false, true},
		{"AA1 1AA", District{}, false, false}, // no area AA
		{"BF1 3AA", District{}, false, false}, // forces postcodes are not located
		{"", District{}, false, false},
		{"12345", District{}, false, false},
		{"ABC", District{}, false, false},
		{"QQ", District{}, false, false},
	}
	for _, tt := range tests {
		d, exact, ok := Lookup(tt.in)
		if d != tt.want || exact != tt.exact || ok != tt.ok {
			t.Errorf("Lookup(%q) = %v, %v, %v; want %v, %v, %v", tt.in, d, exact, ok, tt.want, tt.exact, tt.ok)
		}
	}
}

// destination returns the point km from p on the initial bearing (degrees).
func destination(p Point, bearing, km float64) Point {
	d := km / EarthRadiusKm
	φ1, λ1, θ := radians(p.Lat), radians(p.Lon), radians(bearing)
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(d) + math.Cos(φ1)*math.Sin(d)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(d)*math.Cos(φ1), math.Cos(d)-math.Sin(φ1)*math.Sin(φ2))
	lon := math.Mod(degrees(λ2)+540, 360) - 180
	return Point{degrees(φ2), lon}
}

func TestBoundingBox(t *testing.T) {
	points := []Point{
		{51.5074, -0.1278}, // London
		{60.155, -1.15},    // Lerwick
		{49.915, -6.31},    // Scilly
		{0, 0},
		{-33.9, 151.2},
		{89.9, 10},    // near the pole
		{10, 179.95},  // near the antimeridian
		{10, -179.95}, // and the other side
	}
	for _, p := range points {
		for _, km := range []float64{0, 0.5, 10, 100, 1000} {
			minLat, maxLat, minLon, maxLon := BoundingBox(p, km)
			if minLat > maxLat || minLon > maxLon || minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180 {
				t.Errorf("BoundingBox(%v, %v) = [%v,%v]x[%v,%v] is malformed", p, km, minLat, maxLat, minLon, maxLon)
				continue
			}
			for bearing := 0.0; bearing < 360; bearing += 5 { // N, E, S and W included
				q := destination(p, bearing, km)
				if q.Lat < minLat || q.Lat > maxLat || q.Lon < minLon || q.Lon > maxLon {
					t.Errorf("BoundingBox(%v, %v) = [%v,%v]x[%v,%v] misses %v at bearing %v",
						p, km, minLat, maxLat, minLon, maxLon, q, bearing)
				}
				if got := DistanceKm(p, q); math.Abs(got-km) > 1e-6 {
					t.Fatalf("test helper: destination is %v km away, want %v", got, km)
				}
			}
			// Not needlessly loose where the box is bounded: the latitude
			// extent is exactly the radius.
			if maxLat < 90 && minLat > -90 {
				if want := degrees(km / EarthRadiusKm); math.Abs((maxLat-p.Lat)-want) > 1e-6 || math.Abs((p.Lat-minLat)-want) > 1e-6 {
					t.Errorf("BoundingBox(%v, %v) latitudes [%v,%v], want ±%v", p, km, minLat, maxLat, want)
				}
			}
		}
	}
	// In the UK, 10 km is about 0.09° of latitude and 0.14° of longitude.
	minLat, maxLat, minLon, maxLon := BoundingBox(Point{52, -1}, 10)
	if w := maxLon - minLon; w < 0.28 || w > 0.30 {
		t.Errorf("longitude width at 52°N for 10 km = %v", w)
	}
	if h := maxLat - minLat; h < 0.17 || h > 0.19 {
		t.Errorf("latitude height for 10 km = %v", h)
	}
	// A negative radius is taken as zero.
	minLat, maxLat, minLon, maxLon = BoundingBox(Point{52, -1}, -5)
	if math.Abs(minLat-52) > 1e-6 || math.Abs(maxLat-52) > 1e-6 || math.Abs(minLon+1) > 1e-6 || math.Abs(maxLon+1) > 1e-6 {
		t.Errorf("BoundingBox with negative km = [%v,%v]x[%v,%v]", minLat, maxLat, minLon, maxLon)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	const header = "outward_code,latitude,longitude,post_town\n"
	tests := map[string]string{
		"empty":           "",
		"header only":     header,
		"wrong header":    "code,lat,lon,town\nM1,53.4,-2.2,Manchester\n",
		"too few fields":  header + "M1,53.4,-2.2\n",
		"too many fields": header + "M1,53.4,-2.2,Manchester,x\n",
		"bad code":        header + "M1X,53.4,-2.2,Manchester\n",
		"lower case code": header + "m1,53.4,-2.2,Manchester\n",
		"padded code":     header + " M1,53.4,-2.2,Manchester\n",
		"duplicate":       header + "M1,53.4,-2.2,Manchester\nM1,53.5,-2.2,Manchester\n",
		"bad latitude":    header + "M1,north,-2.2,Manchester\n",
		"bad longitude":   header + "M1,53.4,,Manchester\n",
		"NaN":             header + "M1,NaN,-2.2,Manchester\n",
		"outside the UK":  header + "M1,40.7,-74.0,Manchester\n",
		"swapped":         header + "M1,-2.2,53.4,Manchester\n",
		"no town":         header + "M1,53.4,-2.2,\n",
		"padded town":     header + "M1,53.4,-2.2, Manchester\n",
	}
	for name, src := range tests {
		if _, err := parse(strings.NewReader(src)); err == nil {
			t.Errorf("%s: parse accepted %q", name, src)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("mustParse did not panic on a malformed file")
			}
		}()
		mustParse(header + "M1,53.4,-2.2\n")
	}()
	tbl, err := parse(strings.NewReader(header + "M10,53.5,-2.2,Manchester\nM2,53.4,-2.2,Manchester\nL1,53.4,-3.0,Liverpool\n"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, d := range tbl.districts {
		codes = append(codes, d.OutwardCode)
	}
	if want := []string{"L1", "M2", "M10"}; !slices.Equal(codes, want) {
		t.Errorf("order %v, want %v", codes, want)
	}
	if got, want := tbl.areas["M"], (Point{53.45, -2.2}); math.Abs(got.Lat-want.Lat) > 1e-9 || math.Abs(got.Lon-want.Lon) > 1e-9 {
		t.Errorf("centroid of M = %v, want %v", got, want)
	}
}

// TestSeedPostcodes checks that every outward code the seed data assigns to a
// town (seed/postcodes.go) resolves to an exact district.
func TestSeedPostcodes(t *testing.T) {
	path := filepath.Join("..", "seed", "postcodes.go")
	src, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("%s not found", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || (vs.Names[0].Name != "ukPostcodes" && vs.Names[0].Name != "regionPostcodes") {
			return true
		}
		found = true
		for _, v := range vs.Values {
			ast.Inspect(v, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				// "Town:CODE CODE; Town:CODE" or a bare code.
				for entry := range strings.SplitSeq(s, ";") {
					_, list, hasTown := strings.Cut(entry, ":")
					if !hasTown {
						list = entry
					}
					codes = append(codes, strings.Fields(list)...)
				}
				return false
			})
		}
		return false
	})
	if !found {
		t.Skipf("%s no longer declares ukPostcodes or regionPostcodes", path)
	}
	if len(codes) < 100 {
		t.Fatalf("found only %d codes in %s", len(codes), path)
	}
	for _, c := range codes {
		if d, exact, ok := Lookup(c); !ok || !exact || d.OutwardCode != c {
			t.Errorf("seed code %q: Lookup = %v, exact=%v, ok=%v", c, d, exact, ok)
		}
	}
}
