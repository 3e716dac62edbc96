// Package refdata holds the immutable reference data served by the API's
// "Lists" endpoints: countries, regions, counties, genders, orientations,
// escort rate breaks and the other small id/name lists.
//
// The data is embedded in the binary as CSV files (see the data directory),
// parsed and validated once when the package is initialised. Because the data
// ships with the binary, a malformed file is a programming error and makes
// package initialisation panic; the package tests guard against that.
//
// Country IDs are the service's internal IDs (not ISO numeric codes); ISO
// codes and English short names follow ISO 3166-1, with common English names
// where the ISO name is unwieldy ("Bolivia", "Russia", "South Korea").
//
// Lookups of a single country, region or county are named CountryByID,
// RegionByID and CountyByID because Go does not allow a function to share its
// name with the Country, Region and County types.
//
// # Read-only results
//
// Functions returning slices return shared, package-owned slices so that the
// accessors do not allocate. Callers must treat them as read-only: never
// modify their elements. (Each slice is capped at its length, so appending to
// it copies rather than overwriting neighbouring data, but element writes
// would still be visible to every other caller.) Functions returning a single
// struct return a copy, which the caller may modify freely.
package refdata

import (
	"cmp"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// UnitedKingdomID is the service's CountryID for the United Kingdom.
const UnitedKingdomID = 158

// Country is a row of the Countries list.
type Country struct {
	CountryID               int
	CountryName             string
	CountryISO2             string // ISO 3166-1 alpha-2, e.g. "GB"
	CountryISO3             string // ISO 3166-1 alpha-3, e.g. "GBR"
	Nationality             string // English demonym, e.g. "British"
	AgeVerificationRequired bool
}

// Region is a row of the Regions list; it belongs to a Country.
type Region struct {
	RegionID   int
	CountryID  int
	RegionName string
}

// County is a row of the Counties list; it belongs to a Region.
type County struct {
	CountyID   int
	RegionID   int
	CountyName string
}

// Item is a generic id/name list row.
type Item struct {
	ID   int
	Name string
}

// RateBreak is a row of the escort rate breaks list.
type RateBreak struct {
	RateBreakID int
	RateBreak   string // display text, e.g. "1½ Hours"
	Hours       string // duration as decimal text without trailing zeros, e.g. "0.25", "1", "1.5"
	IsOvernight bool
}

// Town is a real town within a County, used for realistic sandbox seeding.
type Town struct {
	CountyID int
	Name     string
}

//go:embed data/*.csv
var dataFS embed.FS

// db is the parsed reference data. Initialisation panics if the embedded data
// is malformed.
var db = mustLoad(dataFS)

// Countries returns every country, ordered by CountryName (ignoring case and
// diacritics, as the API lists them). The slice is shared: do not modify it.
func Countries() []Country { return db.countries }

// CountryByID returns the country with the given CountryID.
func CountryByID(id int) (Country, bool) {
	i, ok := db.countryIdx[id]
	if !ok {
		return Country{}, false
	}
	return db.countries[i], true
}

// Regions returns the regions of a country ordered by RegionName, or nil if
// the country has none. The slice is shared: do not modify it.
func Regions(countryID int) []Region { return db.regionsByCountry[countryID] }

// RegionByID returns the region with the given RegionID.
func RegionByID(id int) (Region, bool) {
	r, ok := db.regionByID[id]
	return r, ok
}

// Counties returns the counties of a region ordered by CountyName, or nil if
// the region has none. The slice is shared: do not modify it.
func Counties(regionID int) []County { return db.countiesByRegion[regionID] }

// CountyByID returns the county with the given CountyID.
func CountyByID(id int) (County, bool) {
	c, ok := db.countyByID[id]
	return c, ok
}

// Towns returns a few real towns in the county (every UK and Irish county has
// some), or nil for an unknown county. The slice is shared: do not modify it.
func Towns(countyID int) []string { return db.towns[countyID] }

// Genders returns the member genders ordered by ID. The slice is shared: do
// not modify it.
func Genders() []Item { return db.genders.items }

// Gender returns the gender with the given ID.
func Gender(id int) (Item, bool) { return db.genders.get(id) }

// Orientations returns the sexual orientations ordered by ID. The slice is
// shared: do not modify it.
func Orientations() []Item { return db.orientations.items }

// Orientation returns the orientation with the given ID.
func Orientation(id int) (Item, bool) { return db.orientations.get(id) }

// Enjoys returns the "enjoys" list ordered by ID. The slice is shared: do not
// modify it.
func Enjoys() []Item { return db.enjoys.items }

// Enjoy returns the "enjoys" item with the given ID.
func Enjoy(id int) (Item, bool) { return db.enjoys.get(id) }

// Ethnicities returns the ethnicities ordered by ID. The slice is shared: do
// not modify it.
func Ethnicities() []Item { return db.ethnicities.items }

// DressSizes returns the UK dress sizes ordered by ID. The slice is shared: do
// not modify it.
func DressSizes() []Item { return db.dressSizes.items }

// BustSizes returns the bust sizes ordered by ID. The slice is shared: do not
// modify it.
func BustSizes() []Item { return db.bustSizes.items }

// AspectRatios returns the video aspect ratios ordered by ID. The slice is
// shared: do not modify it.
func AspectRatios() []Item { return db.aspectRatios.items }

// MovieFormats returns the accepted movie formats ordered by ID; Name is a
// MIME type such as "video/mp4". The slice is shared: do not modify it.
func MovieFormats() []Item { return db.movieFormats.items }

// ContentGenders returns the content genders ordered by ID, e.g.
// {3, "MF | Male & Female"}. The slice is shared: do not modify it.
func ContentGenders() []Item { return db.contentGenders.items }

// DirectcamCategories returns the DirectCam categories ordered by ID. The
// slice is shared: do not modify it.
func DirectcamCategories() []Item { return db.directcamCategories.items }

// EscortRateBreaks returns the escort rate breaks in duration order. The
// slice is shared: do not modify it.
func EscortRateBreaks() []RateBreak { return db.rateBreaks }

// itemList is an id/name list with an index by ID.
type itemList struct {
	items []Item
	byID  map[int]int
}

func (l itemList) get(id int) (Item, bool) {
	i, ok := l.byID[id]
	if !ok {
		return Item{}, false
	}
	return l.items[i], true
}

type tables struct {
	countries  []Country
	countryIdx map[int]int

	regionsByCountry map[int][]Region
	regionByID       map[int]Region

	countiesByRegion map[int][]County
	countyByID       map[int]County

	towns map[int][]string

	genders, orientations, enjoys, ethnicities, dressSizes, bustSizes,
	aspectRatios, movieFormats, contentGenders, directcamCategories itemList

	rateBreaks []RateBreak
}

func mustLoad(fsys fs.FS) *tables {
	t, err := load(fsys)
	if err != nil {
		panic("refdata: invalid embedded data: " + err.Error())
	}
	return t
}

// load parses and validates every data file in fsys.
func load(fsys fs.FS) (*tables, error) {
	t := &tables{}
	var err error

	if t.countries, t.countryIdx, err = loadCountries(fsys); err != nil {
		return nil, err
	}
	if t.regionsByCountry, t.regionByID, err = loadRegions(fsys, t.countryIdx); err != nil {
		return nil, err
	}
	if t.countiesByRegion, t.countyByID, err = loadCounties(fsys, t.regionByID); err != nil {
		return nil, err
	}
	if t.towns, err = loadTowns(fsys, t.countyByID); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		dst  *itemList
		file string
	}{
		{&t.genders, "genders.csv"},
		{&t.orientations, "orientations.csv"},
		{&t.enjoys, "enjoys.csv"},
		{&t.ethnicities, "ethnicities.csv"},
		{&t.dressSizes, "dress_sizes.csv"},
		{&t.bustSizes, "bust_sizes.csv"},
		{&t.aspectRatios, "aspect_ratios.csv"},
		{&t.movieFormats, "movie_formats.csv"},
		{&t.contentGenders, "content_genders.csv"},
		{&t.directcamCategories, "directcam_categories.csv"},
	} {
		if *l.dst, err = loadItems(fsys, l.file); err != nil {
			return nil, err
		}
	}
	if t.rateBreaks, err = loadRateBreaks(fsys); err != nil {
		return nil, err
	}
	return t, nil
}

// record is one data row with its file name and line number for errors.
type record struct {
	file   string
	line   int
	fields []string
}

func (r record) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// text returns field i, which must be non-empty and free of surrounding space.
func (r record) text(i int) (string, error) {
	s := r.fields[i]
	if s == "" || strings.TrimSpace(s) != s {
		return "", r.errorf("field %d: empty or padded text %q", i+1, s)
	}
	return s, nil
}

// id returns field i as a positive integer.
func (r record) id(i int) (int, error) {
	n, err := strconv.Atoi(r.fields[i])
	if err != nil || n <= 0 {
		return 0, r.errorf("field %d: invalid id %q", i+1, r.fields[i])
	}
	return n, nil
}

// bool returns field i, which must be "true" or "false".
func (r record) bool(i int) (bool, error) {
	switch r.fields[i] {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, r.errorf("field %d: invalid bool %q", i+1, r.fields[i])
}

// readCSV reads file from fsys, checks that its header is exactly header and
// returns the data rows.
func readCSV(fsys fs.FS, file string, header ...string) ([]record, error) {
	f, err := fsys.Open("data/" + file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = len(header)
	got, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", file, err)
	}
	if !slices.Equal(got, header) {
		return nil, fmt.Errorf("%s: header is %q, want %q", file, got, header)
	}
	var recs []record
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		recs = append(recs, record{file: file, line: line, fields: fields})
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no rows", file)
	}
	return recs, nil
}

// uniqueID records id in seen, failing on duplicates.
func uniqueID(seen map[int]int, id, idx int, r record) error {
	if _, dup := seen[id]; dup {
		return r.errorf("duplicate id %d", id)
	}
	seen[id] = idx
	return nil
}

func loadCountries(fsys fs.FS) ([]Country, map[int]int, error) {
	recs, err := readCSV(fsys, "countries.csv",
		"country_id", "country_name", "country_iso2", "country_iso3", "nationality", "age_verification_required")
	if err != nil {
		return nil, nil, err
	}
	countries := make([]Country, 0, len(recs))
	seenID := map[int]int{}
	seenISO := map[string]bool{}
	for _, r := range recs {
		var c Country
		if c.CountryID, err = r.id(0); err != nil {
			return nil, nil, err
		}
		if err = uniqueID(seenID, c.CountryID, 0, r); err != nil {
			return nil, nil, err
		}
		if c.CountryName, err = r.text(1); err != nil {
			return nil, nil, err
		}
		c.CountryISO2, c.CountryISO3 = r.fields[2], r.fields[3]
		if !isUpperCode(c.CountryISO2, 2) || !isUpperCode(c.CountryISO3, 3) {
			return nil, nil, r.errorf("invalid ISO codes %q/%q", c.CountryISO2, c.CountryISO3)
		}
		for _, code := range []string{c.CountryISO2, c.CountryISO3} {
			if seenISO[code] {
				return nil, nil, r.errorf("duplicate ISO code %q", code)
			}
			seenISO[code] = true
		}
		if c.Nationality, err = r.text(4); err != nil {
			return nil, nil, err
		}
		if c.AgeVerificationRequired, err = r.bool(5); err != nil {
			return nil, nil, err
		}
		countries = append(countries, c)
	}
	slices.SortStableFunc(countries, func(a, b Country) int { return compareNames(a.CountryName, b.CountryName) })
	idx := make(map[int]int, len(countries))
	for i, c := range countries {
		idx[c.CountryID] = i
	}
	if _, ok := idx[UnitedKingdomID]; !ok {
		return nil, nil, fmt.Errorf("countries.csv: no row for UnitedKingdomID %d", UnitedKingdomID)
	}
	return slices.Clip(countries), idx, nil
}

func isUpperCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func loadRegions(fsys fs.FS, countries map[int]int) (map[int][]Region, map[int]Region, error) {
	recs, err := readCSV(fsys, "regions.csv", "region_id", "country_id", "region_name")
	if err != nil {
		return nil, nil, err
	}
	all := make([]Region, 0, len(recs))
	byID := make(map[int]Region, len(recs))
	for _, r := range recs {
		var g Region
		if g.RegionID, err = r.id(0); err != nil {
			return nil, nil, err
		}
		if _, dup := byID[g.RegionID]; dup {
			return nil, nil, r.errorf("duplicate id %d", g.RegionID)
		}
		if g.CountryID, err = r.id(1); err != nil {
			return nil, nil, err
		}
		if _, ok := countries[g.CountryID]; !ok {
			return nil, nil, r.errorf("unknown country %d", g.CountryID)
		}
		if g.RegionName, err = r.text(2); err != nil {
			return nil, nil, err
		}
		byID[g.RegionID] = g
		all = append(all, g)
	}
	// Group by country (in first-appearance order), then by name, so each
	// country's regions are a contiguous sub-slice of one backing array.
	slices.SortStableFunc(all, func(a, b Region) int {
		return cmp.Or(cmp.Compare(a.CountryID, b.CountryID), compareNames(a.RegionName, b.RegionName))
	})
	return groupBy(all, func(g Region) int { return g.CountryID }), byID, nil
}

func loadCounties(fsys fs.FS, regions map[int]Region) (map[int][]County, map[int]County, error) {
	recs, err := readCSV(fsys, "counties.csv", "county_id", "region_id", "county_name")
	if err != nil {
		return nil, nil, err
	}
	all := make([]County, 0, len(recs))
	byID := make(map[int]County, len(recs))
	for _, r := range recs {
		var c County
		if c.CountyID, err = r.id(0); err != nil {
			return nil, nil, err
		}
		if _, dup := byID[c.CountyID]; dup {
			return nil, nil, r.errorf("duplicate id %d", c.CountyID)
		}
		if c.RegionID, err = r.id(1); err != nil {
			return nil, nil, err
		}
		if _, ok := regions[c.RegionID]; !ok {
			return nil, nil, r.errorf("unknown region %d", c.RegionID)
		}
		if c.CountyName, err = r.text(2); err != nil {
			return nil, nil, err
		}
		byID[c.CountyID] = c
		all = append(all, c)
	}
	slices.SortStableFunc(all, func(a, b County) int {
		return cmp.Or(cmp.Compare(a.RegionID, b.RegionID), compareNames(a.CountyName, b.CountyName))
	})
	return groupBy(all, func(c County) int { return c.RegionID }), byID, nil
}

func loadTowns(fsys fs.FS, counties map[int]County) (map[int][]string, error) {
	recs, err := readCSV(fsys, "towns.csv", "county_id", "town_name")
	if err != nil {
		return nil, err
	}
	all := make([]Town, 0, len(recs))
	seen := map[Town]bool{}
	for _, r := range recs {
		var t Town
		if t.CountyID, err = r.id(0); err != nil {
			return nil, err
		}
		if _, ok := counties[t.CountyID]; !ok {
			return nil, r.errorf("unknown county %d", t.CountyID)
		}
		if t.Name, err = r.text(1); err != nil {
			return nil, err
		}
		if seen[t] {
			return nil, r.errorf("duplicate town %q", t.Name)
		}
		seen[t] = true
		all = append(all, t)
	}
	// Keep file order within a county (largest towns are listed first).
	slices.SortStableFunc(all, func(a, b Town) int { return cmp.Compare(a.CountyID, b.CountyID) })
	names := make([]string, len(all))
	for i, t := range all {
		names[i] = t.Name
	}
	towns := map[int][]string{}
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].CountyID == all[i].CountyID {
			j++
		}
		towns[all[i].CountyID] = names[i:j:j]
		i = j
	}
	return towns, nil
}

// groupBy splits s, which must already be sorted by key, into capped
// sub-slices sharing s's backing array.
func groupBy[T any](s []T, key func(T) int) map[int][]T {
	m := map[int][]T{}
	for i := 0; i < len(s); {
		k := key(s[i])
		j := i + 1
		for j < len(s) && key(s[j]) == k {
			j++
		}
		m[k] = s[i:j:j]
		i = j
	}
	return m
}

func loadItems(fsys fs.FS, file string) (itemList, error) {
	recs, err := readCSV(fsys, file, "id", "name")
	if err != nil {
		return itemList{}, err
	}
	l := itemList{items: make([]Item, 0, len(recs)), byID: make(map[int]int, len(recs))}
	for i, r := range recs {
		var it Item
		if it.ID, err = r.id(0); err != nil {
			return itemList{}, err
		}
		if err = uniqueID(l.byID, it.ID, i, r); err != nil {
			return itemList{}, err
		}
		if it.Name, err = r.text(1); err != nil {
			return itemList{}, err
		}
		if i > 0 && it.ID < l.items[i-1].ID {
			return itemList{}, r.errorf("id %d out of order", it.ID)
		}
		l.items = append(l.items, it)
	}
	return l, nil
}

func loadRateBreaks(fsys fs.FS) ([]RateBreak, error) {
	recs, err := readCSV(fsys, "escort_rate_breaks.csv", "rate_break_id", "rate_break", "hours", "is_overnight")
	if err != nil {
		return nil, err
	}
	out := make([]RateBreak, 0, len(recs))
	seen := map[int]int{}
	prev := 0.0
	for i, r := range recs {
		var b RateBreak
		if b.RateBreakID, err = r.id(0); err != nil {
			return nil, err
		}
		if err = uniqueID(seen, b.RateBreakID, i, r); err != nil {
			return nil, err
		}
		if b.RateBreak, err = r.text(1); err != nil {
			return nil, err
		}
		b.Hours = r.fields[2]
		h, err := strconv.ParseFloat(b.Hours, 64)
		if err != nil || h <= 0 || strconv.FormatFloat(h, 'f', -1, 64) != b.Hours {
			return nil, r.errorf("invalid hours %q", b.Hours)
		}
		if h < prev {
			return nil, r.errorf("hours %s out of duration order", b.Hours)
		}
		prev = h
		if b.IsOvernight, err = r.bool(3); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// compareNames orders display names the way the API lists them: ignoring
// case and Latin diacritics ("Åland Islands" sorts with the A's), falling back
// to a byte comparison so the order is total.
func compareNames(a, b string) int {
	return cmp.Or(strings.Compare(foldName(a), foldName(b)), strings.Compare(a, b))
}

// foldName lower-cases s and strips diacritics from the accented Latin
// letters that occur in the data.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			return r
		}
		if f, ok := diacriticFold[r]; ok {
			return f
		}
		return r
	}, s)
}

var diacriticFold = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåÀÁÂÃÄÅ",
		'c': "çÇ",
		'e': "èéêëÈÉÊË",
		'i': "ìíîïÌÍÎÏ",
		'n': "ñÑ",
		'o': "òóôõöøÒÓÔÕÖØ",
		'u': "ùúûüÙÚÛÜ",
		'y': "ýÿÝ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
