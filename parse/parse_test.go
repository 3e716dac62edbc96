package parse

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the host's zoneinfo
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// list builds "1,2,...,n".
func list(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = strconv.Itoa(i + 1)
	}
	return strings.Join(items, ",")
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"42", 42, false},
		{" 42 ", 42, false},
		{"\t7\n", 7, false},
		{"-7", -7, false},
		{"+7", 7, false},
		{"0", 0, false},
		{"007", 7, false},
		{"2147483647", 2147483647, false},
		{"-2147483648", -2147483648, false},
		{"2147483648", 0, true},
		{"-2147483649", 0, true},
		{"99999999999999999999", 0, true},
		{"", 0, true},
		{"   ", 0, true},
		{"abc", 0, true},
		{"1.0", 0, true},
		{"1e3", 0, true},
		{"0x10", 0, true},
		{"1_000", 0, true},
		{"1 2", 0, true},
		{"--1", 0, true},
		{"１", 0, true}, // a full-width digit
	}
	for _, tt := range tests {
		got, err := Int(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Int(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			if err.Error() != "must be a whole number" {
				t.Errorf("Int(%q) error = %q, want %q", tt.in, err, "must be a whole number")
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Int(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestInt64(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"42", 42, false},
		{" -42 ", -42, false},
		{"2147483648", 2147483648, false},
		{"9223372036854775807", 9223372036854775807, false},
		{"-9223372036854775808", -9223372036854775808, false},
		{"9223372036854775808", 0, true},
		{"", 0, true},
		{"1.5", 0, true},
		{"12abc", 0, true},
	}
	for _, tt := range tests {
		got, err := Int64(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Int64(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got != tt.want {
			t.Errorf("Int64(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr bool
	}{
		{"True", true, false},
		{"true", true, false},
		{"TRUE", true, false},
		{"FALSE", false, false},
		{"false", false, false},
		{"fAlSe", false, false},
		{"1", true, false},
		{"0", false, false},
		{" true ", true, false},
		{"\t0\n", false, false},
		{"yes", false, true},
		{"no", false, true},
		{"on", false, true},
		{"t", false, true},
		{"f", false, true},
		{"2", false, true},
		{"01", false, true},
		{"-1", false, true},
		{"", false, true},
		{"truee", false, true},
	}
	for _, tt := range tests {
		got, err := Bool(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Bool(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			if err.Error() != "must be true or false" {
				t.Errorf("Bool(%q) error = %q", tt.in, err)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Bool(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIntList(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []int
		wantErr string // substring of the error; "" means success
	}{
		{"plain", "1,2,3", []int{1, 2, 3}, ""},
		{"spaces", " 1 , 2 ", []int{1, 2}, ""},
		{"single", "42", []int{42}, ""},
		{"duplicates kept", "1,1,2", []int{1, 1, 2}, ""},
		{"negative and plus", "-1,+2", []int{-1, 2}, ""},
		{"int32 bounds", "2147483647,-2147483648", []int{2147483647, -2147483648}, ""},
		{"empty", "", nil, ""},
		{"blank", "   ", nil, ""},
		{"only comma", ",", nil, "is not one"},
		{"double comma", "1,,2", nil, `"" is not one`},
		{"trailing comma", "1,2,", nil, "is not one"},
		{"leading comma", ",1", nil, "is not one"},
		{"blank item", "1, ,2", nil, "is not one"},
		{"letter", "1,a", nil, `"a" is not one`},
		{"decimal", "1,2.5", nil, `"2.5" is not one`},
		{"hex", "0x1", nil, "is not one"},
		{"overflow int32", "1,2147483648", nil, `"2147483648" is not one`},
		{"underflow int32", "-2147483649", nil, "is not one"},
		{"overflow int64", "99999999999999999999", nil, "is not one"},
		{"semicolons", "1;2", nil, "is not one"},
		{"long item truncated", "1," + strings.Repeat("x", 50), nil, `"` + strings.Repeat("x", 20) + `…" is not one`},
		{"max items", list(MaxListItems), seq(MaxListItems), ""},
		{"too many items", list(MaxListItems + 1), nil, "at most 1000 IDs"},
		{"too many blank items", strings.Repeat(",", MaxListItems), nil, "at most 1000 IDs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IntList(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("IntList(%.40q) = %v, want error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("IntList(%.40q) error = %q, want it to contain %q", tt.in, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "must ") {
					t.Errorf("error %q does not follow a field name (must start with \"must \")", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("IntList(%.40q) error = %v", tt.in, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("IntList(%.40q) = %v, want %v", tt.in, got, tt.want)
			}
			if tt.want == nil && got != nil {
				t.Fatalf("IntList(%q) = %#v, want nil", tt.in, got)
			}
		})
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		in, layout string
		want       time.Time
		wantErr    string
	}{
		{"2026-03-29", LayoutISODate, time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), ""},
		{" 2026-03-29 ", LayoutISODate, time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), ""},
		{"2024-02-29", LayoutISODate, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"0001-01-01", LayoutISODate, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"9999-12-31", LayoutISODate, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{"2026-02-29", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026-02-31", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026-13-01", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026-00-10", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026-1-2", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"29-03-2026", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026-03-29 10:00", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"2026/03/29", LayoutISODate, time.Time{}, "yyyy-MM-dd"},
		{"", LayoutISODate, time.Time{}, "yyyy-MM-dd"},

		{"29-03-2026", LayoutUKDate, time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), ""},
		{"31-12-2026", LayoutUKDate, time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), ""},
		{"\t01-02-2026\n", LayoutUKDate, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), ""},
		{"29-02-2024", LayoutUKDate, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"31-02-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"29-02-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"31-04-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"32-01-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"12-13-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"1-2-2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"2026-03-29", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"29/03/2026", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"29-03-26", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
		{"", LayoutUKDate, time.Time{}, "dd-MM-yyyy"},
	}
	for _, tt := range tests {
		got, err := Date(tt.in, tt.layout)
		if tt.wantErr != "" {
			if err == nil {
				t.Errorf("Date(%q, %q) = %v, want error", tt.in, tt.layout, got)
			} else if want := "must be a date in the form " + tt.wantErr; err.Error() != want {
				t.Errorf("Date(%q, %q) error = %q, want %q", tt.in, tt.layout, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("Date(%q, %q) error = %v", tt.in, tt.layout, err)
			continue
		}
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Date(%q, %q) = %v, want %v (midnight UTC)", tt.in, tt.layout, got, tt.want)
		}
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"00:00", 0, false},
		{"23:59", 23*60 + 59, false},
		{"12:00", 720, false},
		{"07:05", 425, false},
		{" 09:30 ", 570, false},
		{"7:05", 425, false}, // a one-digit hour is tolerated (time.Parse's "15")
		{"24:00", 0, true},
		{"7:5", 0, true}, // minutes need two digits
		{"12:60", 0, true},
		{"12:5", 0, true},
		{"12:00:00", 0, true},
		{"1200", 0, true},
		{"12.00", 0, true},
		{"-1:00", 0, true},
		{"12:00 PM", 0, true},
		{"", 0, true},
		{":", 0, true},
	}
	for _, tt := range tests {
		got, err := Clock(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("Clock(%q) = %d, %v; wantErr %v", tt.in, got, err, tt.wantErr)
			continue
		}
		if err != nil {
			if err.Error() != "must be a time in the form HH:mm" {
				t.Errorf("Clock(%q) error = %q", tt.in, err)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Clock(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDateTime(t *testing.T) {
	london := mustLoc(t, "Europe/London")
	lordHowe := mustLoc(t, "Australia/Lord_Howe") // half-hour daylight saving
	apia := mustLoc(t, "Pacific/Apia")            // skipped the whole of 2011-12-30
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		name    string
		in      string
		loc     *time.Location
		want    time.Time // the UTC instant
		wantOff int       // the zone offset of the result, seconds east of UTC
		wantErr string    // substring of the error
	}{
		{"winter", "2026-01-15 12:00", london, utc(2026, 1, 15, 12, 0, 0), 0, ""},
		{"summer", "2026-07-15 12:00", london, utc(2026, 7, 15, 11, 0, 0), 3600, ""},
		{"T separator", "2026-07-15T12:00", london, utc(2026, 7, 15, 11, 0, 0), 3600, ""},
		{"seconds", "2026-07-15 12:00:30", london, utc(2026, 7, 15, 11, 0, 30), 3600, ""},
		{"T and seconds", "2026-01-15T23:59:59", london, utc(2026, 1, 15, 23, 59, 59), 0, ""},
		{"surrounding space", "  2026-01-15 12:00\t", london, utc(2026, 1, 15, 12, 0, 0), 0, ""},
		{"midnight", "2026-07-15 00:00", london, utc(2026, 7, 14, 23, 0, 0), 3600, ""},
		{"two spaces tolerated", "2026-07-15  12:00", london, utc(2026, 7, 15, 11, 0, 0), 3600, ""}, // time.Parse skips runs of spaces

		// Spring forward: 2026-03-29 01:00 GMT becomes 02:00 BST.
		{"before the gap", "2026-03-29 00:59", london, utc(2026, 3, 29, 0, 59, 0), 0, ""},
		{"gap start", "2026-03-29 01:00", london, time.Time{}, 0, "Europe/London"},
		{"gap", "2026-03-29 01:30", london, time.Time{}, 0, "Europe/London"},
		{"gap with seconds", "2026-03-29T01:59:59", london, time.Time{}, 0, "Europe/London"},
		{"after the gap", "2026-03-29 02:00", london, utc(2026, 3, 29, 1, 0, 0), 3600, ""},

		// Fall back: 2026-10-25 02:00 BST becomes 01:00 GMT; 01:00-01:59 happen twice.
		{"before the overlap", "2026-10-25 00:59", london, utc(2026, 10, 24, 23, 59, 0), 3600, ""},
		{"overlap start", "2026-10-25 01:00", london, utc(2026, 10, 25, 0, 0, 0), 3600, ""},
		{"overlap", "2026-10-25 01:30", london, utc(2026, 10, 25, 0, 30, 0), 3600, ""},
		{"overlap end", "2026-10-25 01:59:59", london, utc(2026, 10, 25, 0, 59, 59), 3600, ""},
		{"after the overlap", "2026-10-25 02:00", london, utc(2026, 10, 25, 2, 0, 0), 0, ""},

		{"half-hour overlap", "2026-04-05 01:45", lordHowe, utc(2026, 4, 4, 14, 45, 0), 39600, ""},
		{"half-hour gap", "2026-10-04 02:15", lordHowe, time.Time{}, 0, "Australia/Lord_Howe"},
		{"skipped day", "2011-12-30 12:00", apia, time.Time{}, 0, "Pacific/Apia"},
		{"before skipped day", "2011-12-29 23:59", apia, utc(2011, 12, 30, 9, 59, 0), -36000, ""},
		{"after skipped day", "2011-12-31 00:00", apia, utc(2011, 12, 30, 10, 0, 0), 50400, ""},

		{"UTC", "2026-07-15 12:00", time.UTC, utc(2026, 7, 15, 12, 0, 0), 0, ""},

		{"date only", "2026-07-15", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"UK date", "15-07-2026 12:00", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"hour 24", "2026-07-15 24:00", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"bad day", "2026-02-30 12:00", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"zone suffix", "2026-07-15 12:00Z", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"offset suffix", "2026-07-15T12:00:00+01:00", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
		{"empty", "", london, time.Time{}, 0, "YYYY-MM-DD HH:MM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DateTime(tt.in, tt.loc)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("DateTime(%q, %s) = %v, want error", tt.in, tt.loc, got)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DateTime(%q, %s) error = %q, want it to mention %q", tt.in, tt.loc, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "must ") && !strings.HasPrefix(err.Error(), "does not exist") {
					t.Errorf("error %q does not read as following a field name", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DateTime(%q, %s) error = %v", tt.in, tt.loc, err)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("DateTime(%q, %s) = %v (%v UTC), want %v", tt.in, tt.loc, got, got.UTC(), tt.want)
			}
			if got.Location() != tt.loc {
				t.Errorf("DateTime(%q) location = %v, want %v", tt.in, got.Location(), tt.loc)
			}
			if _, off := got.Zone(); off != tt.wantOff {
				t.Errorf("DateTime(%q) offset = %d, want %d", tt.in, off, tt.wantOff)
			}
		})
	}
}

// BUG (parse.go, Local): the zero time.Time is used as the "no candidate yet" sentinel, so a wall time
// whose UTC instant is exactly 0001-01-01 00:00:00 UTC is reported as not existing.
func TestDateTimeZeroInstant(t *testing.T) {
	london := mustLoc(t, "Europe/London") // LMT, -0:01:15, applies that early
	for _, tt := range []struct {
		in  string
		loc *time.Location
	}{
		{"0001-01-01 00:00", time.UTC},
		{"0000-12-31 23:58:45", london},
	} {
		got, err := DateTime(tt.in, tt.loc)
		if err != nil {
			t.Errorf("DateTime(%q, %s) error = %v, want 0001-01-01 00:00:00 UTC", tt.in, tt.loc, err)
			continue
		}
		if !got.Equal(time.Time{}) {
			t.Errorf("DateTime(%q, %s) = %v, want 0001-01-01 00:00:00 UTC", tt.in, tt.loc, got.UTC())
		}
	}
}

func TestLocal(t *testing.T) {
	london := mustLoc(t, "Europe/London")
	wall := time.Date(2026, 10, 25, 1, 30, 15, 500, time.UTC)
	got, err := Local(wall, london)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 25, 0, 30, 15, 500, time.UTC); !got.Equal(want) {
		t.Fatalf("Local(%v) = %v, want %v (nanoseconds kept, first occurrence)", wall, got.UTC(), want)
	}
	if _, err := Local(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), london); err == nil {
		t.Fatal("Local in the spring-forward gap: want an error")
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{" abc ", 20, "abc"},
		{"abcdef", 3, "abc…"},
		{"abc", 3, "abc"},
	} {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// ---- fuzz targets ----

func FuzzInt(f *testing.F) {
	for _, s := range []string{"42", " 42 ", "-7", "+7", "2147483647", "2147483648", "-2147483649", "",
		"abc", "1.0", "1e3", "0x10", "9223372036854775807", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Int(s)
		want, werr := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
		if (err == nil) != (werr == nil) || (err == nil && int64(v) != want) {
			t.Fatalf("Int(%q) = %d, %v; strconv says %d, %v", s, v, err, want, werr)
		}
		if err == nil {
			if back, err := Int(strconv.Itoa(v)); err != nil || back != v {
				t.Fatalf("Int(Itoa(%d)) = %d, %v", v, back, err)
			}
		}
		v64, err64 := Int64(s)
		if err == nil && (err64 != nil || v64 != int64(v)) {
			t.Fatalf("Int(%q) = %d but Int64 = %d, %v", s, v, v64, err64)
		}
		if err64 == nil {
			if back, err := Int64(strconv.FormatInt(v64, 10)); err != nil || back != v64 {
				t.Fatalf("Int64 round trip of %d = %d, %v", v64, back, err)
			}
		}
	})
}

func FuzzBool(f *testing.F) {
	for _, s := range []string{"True", "FALSE", "1", "0", "yes", "", " true ", "t", "01", "TRUE\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Bool(s)
		norm := strings.ToLower(strings.TrimSpace(s))
		switch norm {
		case "true", "1":
			if err != nil || !b {
				t.Fatalf("Bool(%q) = %v, %v; want true", s, b, err)
			}
		case "false", "0":
			if err != nil || b {
				t.Fatalf("Bool(%q) = %v, %v; want false", s, b, err)
			}
		default:
			if err == nil {
				t.Fatalf("Bool(%q) = %v, want an error", s, b)
			}
		}
	})
}

func FuzzIntList(f *testing.F) {
	for _, s := range []string{"1,2,3", " 1 , 2 ", "", ",", "1,,2", "1,a", "2147483648", "-2147483648,2147483647",
		"+1,-1", list(20), strings.Repeat(",", 5), "1, 2,\t3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := IntList(s)
		if err != nil {
			if got != nil {
				t.Fatalf("IntList(%q) returned %v with error %v", s, got, err)
			}
			if !strings.HasPrefix(err.Error(), "must ") {
				t.Fatalf("IntList(%q) error %q does not start with \"must \"", s, err)
			}
			return
		}
		if strings.TrimSpace(s) == "" {
			if got != nil {
				t.Fatalf("IntList(%q) = %v, want nil", s, got)
			}
			return
		}
		if len(got) > MaxListItems || len(got) != strings.Count(s, ",")+1 {
			t.Fatalf("IntList(%q) returned %d items for %d commas", s, len(got), strings.Count(s, ","))
		}
		items := make([]string, len(got))
		for i, v := range got {
			if v < -1<<31 || v > 1<<31-1 {
				t.Fatalf("IntList(%q) item %d out of int32 range", s, v)
			}
			items[i] = strconv.Itoa(v)
		}
		again, err := IntList(strings.Join(items, ","))
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("IntList round trip of %v = %v, %v", got, again, err)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-03-29", "2024-02-29", "2026-02-29", "29-03-2026", "31-02-2026", "1-2-2026",
		" 01-02-2026 ", "", "0000-01-01", "9999-12-31"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, uk bool) {
		layout := LayoutISODate
		if uk {
			layout = LayoutUKDate
		}
		d, err := Date(s, layout)
		if err != nil {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("Date(%q, %q) = %v, not midnight UTC", s, layout, d)
		}
		text := d.Format(layout)
		if text != strings.TrimSpace(s) {
			t.Fatalf("Date(%q, %q) = %v, which formats as %q", s, layout, d, text)
		}
		if again, err := Date(text, layout); err != nil || !again.Equal(d) {
			t.Fatalf("Date round trip of %q = %v, %v", text, again, err)
		}
	})
}

func FuzzClock(f *testing.F) {
	for _, s := range []string{"23:59", "24:00", "7:5", "07:05", "7:05", "00:00", "12:60", "", " 09:30 ", "12:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Clock(s)
		if err != nil {
			return
		}
		if m < 0 || m >= 24*60 {
			t.Fatalf("Clock(%q) = %d minutes, outside a day", s, m)
		}
		text := fmt.Sprintf("%02d:%02d", m/60, m%60)
		if again, err := Clock(text); err != nil || again != m {
			t.Fatalf("Clock round trip of %q = %d, %v; want %d", text, again, err, m)
		}
	})
}

func FuzzDateTime(f *testing.F) {
	london := mustLoc(f, "Europe/London")
	for _, s := range []string{"2026-01-15 12:00", "2026-07-15 12:00", "2026-07-15T12:00", "2026-07-15 12:00:30",
		"2026-07-15T12:00:30", "2026-03-29 01:30", "2026-03-29 00:59", "2026-03-29 02:00", "2026-10-25 01:30",
		"2026-10-25 01:00", "2026-10-25 02:00", "1847-12-01 00:00", "0001-01-01 00:00", "9999-12-31 23:59", "",
		"2026-07-15", "2026-07-15 12:00:00.123"} {
		f.Add(s)
	}
	const exact = "2006-01-02 15:04:05.999999999"
	f.Fuzz(func(t *testing.T, s string) {
		got, err := DateTime(s, london)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "must be a date and time") && !strings.Contains(msg, "Europe/London") {
				t.Fatalf("DateTime(%q) error %q neither describes the form nor names the zone", s, msg)
			}
			return
		}
		if got.Location() != london {
			t.Fatalf("DateTime(%q) location = %v", s, got.Location())
		}
		text := got.In(london).Format(exact)
		again, err := DateTime(text, london)
		if err != nil {
			t.Fatalf("DateTime(%q) = %v, but its London wall time %q does not parse: %v", s, got, text, err)
		}
		if !again.Equal(got) {
			t.Fatalf("DateTime(%q) = %v; re-parsing %q gives %v", s, got.UTC(), text, again.UTC())
		}
		// First occurrence: no earlier instant shows the same wall clock.
		for _, d := range []time.Duration{75 * time.Second, 30 * time.Minute, time.Hour, 2 * time.Hour} {
			if earlier := got.Add(-d).In(london); earlier.Format(exact) == text {
				t.Fatalf("DateTime(%q) = %v, but %v shows the same wall time earlier", s, got.UTC(), earlier.UTC())
			}
		}
	})
}

func TestFormatIntList(t *testing.T) {
	for _, ids := range [][]int{nil, {}, {7}, {12, 34, 56}, {-1, 0, 2147483647}} {
		s := FormatIntList(ids)
		back, err := IntList(s)
		if err != nil || len(back) != len(ids) || (len(ids) > 0 && !slices.Equal(back, ids)) {
			t.Errorf("FormatIntList(%v) = %q, read back as %v, %v", ids, s, back, err)
		}
	}
	if got := FormatIntList([]int{12, 34, 56}); got != "12,34,56" {
		t.Errorf("FormatIntList = %q", got)
	}
}
