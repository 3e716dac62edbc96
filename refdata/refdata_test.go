package refdata

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestEmbeddedDataLoads guards the embedded CSV files: package init panics on
// bad data, but loading explicitly gives a readable error.
func TestEmbeddedDataLoads(t *testing.T) {
	if _, err := load(dataFS); err != nil {
		t.Fatal(err)
	}
}

func TestDocumentedCountries(t *testing.T) {
	tests := []Country{
		{58, "Afghanistan", "AF", "AFG", "Afghan", false},
		{108, "Albania", "AL", "ALB", "Albanian", false},
		{1, "Algeria", "DZ", "DZA", "Algerian", false},
		{UnitedKingdomID, "United Kingdom", "GB", "GBR", "British", true},
	}
	for _, want := range tests {
		t.Run(want.CountryName, func(t *testing.T) {
			got, ok := CountryByID(want.CountryID)
			if !ok || got != want {
				t.Errorf("CountryByID(%d) = %+v, %v; want %+v", want.CountryID, got, ok, want)
			}
		})
	}
	if UnitedKingdomID != 158 {
		t.Errorf("UnitedKingdomID = %d, want 158", UnitedKingdomID)
	}
}

func TestCountries(t *testing.T) {
	cs := Countries()
	if len(cs) < 245 || len(cs) > 260 {
		t.Errorf("len(Countries()) = %d, want about 249", len(cs))
	}
	ids := map[int]bool{}
	iso := map[string]string{}
	for _, c := range cs {
		if ids[c.CountryID] {
			t.Errorf("duplicate CountryID %d", c.CountryID)
		}
		ids[c.CountryID] = true
		if c.CountryID < 1 || c.CountryID > 300 {
			t.Errorf("%s: CountryID %d outside 1..300", c.CountryName, c.CountryID)
		}
		if !isUpperCode(c.CountryISO2, 2) || !isUpperCode(c.CountryISO3, 3) {
			t.Errorf("%s: bad ISO codes %q %q", c.CountryName, c.CountryISO2, c.CountryISO3)
		}
		for _, code := range []string{c.CountryISO2, c.CountryISO3} {
			if prev, dup := iso[code]; dup {
				t.Errorf("ISO code %q used by %s and %s", code, prev, c.CountryName)
			}
			iso[code] = c.CountryName
		}
		if c.CountryName == "" || c.Nationality == "" {
			t.Errorf("country %d: empty name or nationality: %+v", c.CountryID, c)
		}
		if got, ok := CountryByID(c.CountryID); !ok || got != c {
			t.Errorf("CountryByID(%d) = %+v, %v; want %+v", c.CountryID, got, ok, c)
		}
	}
	if !slices.IsSortedFunc(cs, func(a, b Country) int { return compareNames(a.CountryName, b.CountryName) }) {
		t.Error("Countries() not sorted by CountryName")
	}
	if _, ok := CountryByID(0); ok {
		t.Error("CountryByID(0) found")
	}
}

func TestAgeVerification(t *testing.T) {
	want := []string{"AU", "DE", "FR", "GB", "IE", "IT", "US"}
	var got []string
	for _, c := range Countries() {
		if c.AgeVerificationRequired {
			got = append(got, c.CountryISO2)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("age-verification countries = %v, want %v", got, want)
	}
}

func TestRegionsAndCounties(t *testing.T) {
	regionIDs := map[int]bool{}
	countyIDs := map[int]bool{}
	for _, c := range Countries() {
		rs := Regions(c.CountryID)
		if !slices.IsSortedFunc(rs, func(a, b Region) int { return compareNames(a.RegionName, b.RegionName) }) {
			t.Errorf("Regions(%d) not sorted by name", c.CountryID)
		}
		for _, r := range rs {
			if regionIDs[r.RegionID] {
				t.Errorf("duplicate RegionID %d", r.RegionID)
			}
			regionIDs[r.RegionID] = true
			if r.CountryID != c.CountryID {
				t.Errorf("Regions(%d) returned %+v", c.CountryID, r)
			}
			if got, ok := RegionByID(r.RegionID); !ok || got != r {
				t.Errorf("RegionByID(%d) = %+v, %v; want %+v", r.RegionID, got, ok, r)
			}
			cs := Counties(r.RegionID)
			if !slices.IsSortedFunc(cs, func(a, b County) int { return compareNames(a.CountyName, b.CountyName) }) {
				t.Errorf("Counties(%d) not sorted by name", r.RegionID)
			}
			if c.CountryID == UnitedKingdomID && len(cs) == 0 {
				t.Errorf("UK region %q has no counties", r.RegionName)
			}
			for _, k := range cs {
				if countyIDs[k.CountyID] {
					t.Errorf("duplicate CountyID %d", k.CountyID)
				}
				countyIDs[k.CountyID] = true
				if k.RegionID != r.RegionID {
					t.Errorf("Counties(%d) returned %+v", r.RegionID, k)
				}
				if got, ok := CountyByID(k.CountyID); !ok || got != k {
					t.Errorf("CountyByID(%d) = %+v, %v; want %+v", k.CountyID, got, ok, k)
				}
				towns := Towns(k.CountyID)
				if c.CountryID == UnitedKingdomID && (len(towns) < 2 || len(towns) > 6) {
					t.Errorf("county %q has %d towns, want 2..6", k.CountyName, len(towns))
				}
				for _, name := range towns {
					if name == "" || strings.TrimSpace(name) != name {
						t.Errorf("county %q: bad town %q", k.CountyName, name)
					}
				}
			}
		}
	}
	// Every region and county is reachable from a country, i.e. each
	// region's country and each county's region exists.
	if n := len(db.regionByID); n != len(regionIDs) {
		t.Errorf("%d regions, but only %d reachable via Countries()/Regions()", n, len(regionIDs))
	}
	if n := len(db.countyByID); n != len(countyIDs) {
		t.Errorf("%d counties, but only %d reachable via Regions()/Counties()", n, len(countyIDs))
	}
	for id := range db.towns {
		if !countyIDs[id] {
			t.Errorf("towns for unknown county %d", id)
		}
	}
	if Regions(0) != nil || Counties(0) != nil || Towns(0) != nil {
		t.Error("unknown parent returned non-nil list")
	}
}

func TestUKRegions(t *testing.T) {
	var got []string
	for _, r := range Regions(UnitedKingdomID) {
		got = append(got, r.RegionName)
	}
	for _, want := range []string{
		"North East", "North West", "Yorkshire and the Humber", "East Midlands",
		"West Midlands", "East of England", "London", "South East", "South West",
		"Wales", "Scotland", "Northern Ireland",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("UK regions %v missing %q", got, want)
		}
	}
	// Other countries have regions too.
	for _, iso := range []string{"IE", "FR", "DE", "ES", "US"} {
		found := false
		for _, c := range Countries() {
			if c.CountryISO2 == iso {
				found = len(Regions(c.CountryID)) > 0
			}
		}
		if !found {
			t.Errorf("no regions for %s", iso)
		}
	}
}

func TestItemLists(t *testing.T) {
	tests := []struct {
		name     string
		items    []Item
		min, max int
		lookup   func(int) (Item, bool)
	}{
		{"Genders", Genders(), 6, 6, Gender},
		{"Orientations", Orientations(), 3, 10, Orientation},
		{"Enjoys", Enjoys(), 25, 40, Enjoy},
		{"Ethnicities", Ethnicities(), 5, 20, nil},
		{"DressSizes", DressSizes(), 14, 14, nil},
		{"BustSizes", BustSizes(), 20, 100, nil},
		{"AspectRatios", AspectRatios(), 3, 10, nil},
		{"MovieFormats", MovieFormats(), 6, 6, nil},
		{"ContentGenders", ContentGenders(), 6, 10, nil},
		{"DirectcamCategories", DirectcamCategories(), 8, 15, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := len(tt.items); n < tt.min || n > tt.max {
				t.Errorf("len = %d, want %d..%d", n, tt.min, tt.max)
			}
			seenID := map[int]bool{}
			seenName := map[string]bool{}
			for _, it := range tt.items {
				if it.ID <= 0 || seenID[it.ID] {
					t.Errorf("bad or duplicate ID %d", it.ID)
				}
				if it.Name == "" || seenName[it.Name] {
					t.Errorf("empty or duplicate name %q", it.Name)
				}
				seenID[it.ID], seenName[it.Name] = true, true
				if tt.lookup != nil {
					if got, ok := tt.lookup(it.ID); !ok || got != it {
						t.Errorf("lookup(%d) = %+v, %v; want %+v", it.ID, got, ok, it)
					}
				}
			}
			if !slices.IsSortedFunc(tt.items, func(a, b Item) int { return a.ID - b.ID }) {
				t.Error("not ordered by ID")
			}
			if tt.lookup != nil {
				if _, ok := tt.lookup(0); ok {
					t.Error("lookup(0) found")
				}
			}
		})
	}
}

func TestExactItems(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  []Item
	}{
		{"Genders", Genders(), []Item{
			{1, "Female"}, {2, "Male"}, {3, "Trans (TV/TS)"},
			{4, "Couple (Male/Female)"}, {5, "Couple (Female/Female)"}, {6, "Couple (Male/Male)"},
		}},
		{"MovieFormats", MovieFormats(), []Item{
			{1, "video/quicktime"}, {2, "video/mp4"}, {3, "video/x-ms-wmv"},
			{4, "video/x-flv"}, {5, "video/mpeg"}, {6, "video/avi"},
		}},
		{"ContentGenders", ContentGenders()[:6], []Item{
			{1, "F | Female"}, {2, "M | Male"}, {3, "MF | Male & Female"},
			{4, "FF | Female & Female"}, {5, "MM | Male & Male"}, {6, "TS | Trans"},
		}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.items, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.items, tt.want)
		}
	}
	if !slices.Contains(ContentGenders(), Item{3, "MF | Male & Female"}) {
		t.Error(`ContentGenders lacks {3, "MF | Male & Female"}`)
	}
}

func TestEscortRateBreaks(t *testing.T) {
	want := []RateBreak{
		{7, "15 mins", "0.25", false},
		{1, "½ Hour", "0.5", false},
		{2, "1 Hour", "1", false},
		{8, "1½ Hours", "1.5", false},
		{3, "2 Hours", "2", false},
		{4, "3 Hours", "3", false},
		{9, "4 Hours", "4", false},
		{10, "6 Hours", "6", false},
		{5, "Overnight", "12", true},
		{6, "24 Hours", "24", false},
		{11, "48 Hours", "48", false},
	}
	if got := EscortRateBreaks(); !slices.Equal(got, want) {
		t.Errorf("EscortRateBreaks() =\n%v\nwant\n%v", got, want)
	}
}

func TestSharedSlicesAreCapped(t *testing.T) {
	// Appending to a returned slice must not clobber a neighbouring group.
	for _, r := range Regions(UnitedKingdomID) {
		cs := Counties(r.RegionID)
		if cap(cs) != len(cs) {
			t.Errorf("Counties(%d): cap %d != len %d", r.RegionID, cap(cs), len(cs))
		}
		for _, k := range cs {
			if ts := Towns(k.CountyID); cap(ts) != len(ts) {
				t.Errorf("Towns(%d): cap %d != len %d", k.CountyID, cap(ts), len(ts))
			}
		}
	}
	if rs := Regions(UnitedKingdomID); cap(rs) != len(rs) {
		t.Errorf("Regions(UK): cap %d != len %d", cap(rs), len(rs))
	}
}

func TestAccessorsDoNotAllocate(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_ = Countries()
		_, _ = CountryByID(UnitedKingdomID)
		_ = Regions(UnitedKingdomID)
		_, _ = RegionByID(1)
		_ = Counties(1)
		_, _ = CountyByID(1)
		_ = Towns(1)
		_ = Genders()
		_, _ = Enjoy(1)
		_ = EscortRateBreaks()
	})
	if n != 0 {
		t.Errorf("accessors allocate %v times per run", n)
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	good := fstest.MapFS{}
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := dataFS.ReadFile("data/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		good["data/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	if _, err := load(good); err != nil {
		t.Fatalf("load(copy of embedded data): %v", err)
	}
	tests := []struct {
		name, file, data, wantErr string
	}{
		{"duplicate id", "genders.csv", "id,name\n1,Female\n1,Male\n", "duplicate id"},
		{"bad header", "genders.csv", "ID,Name\n1,Female\n", "header"},
		{"bad id", "genders.csv", "id,name\nx,Female\n", "invalid id"},
		{"empty name", "genders.csv", "id,name\n1,\n", "empty"},
		{"no rows", "genders.csv", "id,name\n", "no rows"},
		{"field count", "genders.csv", "id,name\n1,Female,extra\n", "wrong number of fields"},
		{"bad iso", "countries.csv", "country_id,country_name,country_iso2,country_iso3,nationality,age_verification_required\n158,United Kingdom,gb,GBR,British,true\n", "ISO"},
		{"bad bool", "countries.csv", "country_id,country_name,country_iso2,country_iso3,nationality,age_verification_required\n158,United Kingdom,GB,GBR,British,yes\n", "bool"},
		{"no UK", "countries.csv", "country_id,country_name,country_iso2,country_iso3,nationality,age_verification_required\n1,Algeria,DZ,DZA,Algerian,false\n", "UnitedKingdomID"},
		{"unknown country", "regions.csv", "region_id,country_id,region_name\n1,999,Nowhere\n", "unknown country"},
		{"unknown region", "counties.csv", "county_id,region_id,county_name\n1,999,Nowhere\n", "unknown region"},
		{"unknown county", "towns.csv", "county_id,town_name\n99999,Nowhere\n", "unknown county"},
		{"hours trailing zero", "escort_rate_breaks.csv", "rate_break_id,rate_break,hours,is_overnight\n1,½ Hour,0.50,false\n", "invalid hours"},
		{"hours out of order", "escort_rate_breaks.csv", "rate_break_id,rate_break,hours,is_overnight\n2,1 Hour,1,false\n1,½ Hour,0.5,false\n", "duration order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for k, v := range good {
				fsys[k] = v
			}
			fsys["data/"+tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			_, err := load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("load() error = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}
