// Package parse holds the parsers every endpoint shares: comma-separated integer lists, booleans,
// integers, the documented date and time formats, and content negotiation. They never panic; each
// returns an error worded to follow the offending field's name ("BookUserIDs must be ...").
package parse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Int parses a base-10 integer that fits in 32 bits, as the API's int parameters do.
func Int(s string) (int, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, errors.New("must be a whole number")
	}
	return int(v), nil
}

// Int64 parses a base-10 64-bit integer (bigint parameters such as sizes in bytes).
func Int64(s string) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, errors.New("must be a whole number")
	}
	return v, nil
}

// Bool parses true/false in any case, and 1/0.
func Bool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errors.New("must be true or false")
}

// MaxListItems bounds any comma-separated list so a hostile request cannot make the server allocate
// without limit; endpoints set their own, smaller limits on top.
const MaxListItems = 1000

// FormatIntList writes ids as IntList reads them: "12,34,56"; no IDs is "".
func FormatIntList(ids []int) string {
	b := make([]byte, 0, 4*len(ids))
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return string(b)
}

// IntList parses a comma-separated list of integers such as "12, 34,56". Blank items are an error
// (",," is a typo, not an empty list); an entirely blank string is an empty list.
func IntList(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	n := strings.Count(s, ",") + 1
	if n > MaxListItems {
		return nil, fmt.Errorf("must list at most %d IDs", MaxListItems)
	}
	out := make([]int, 0, n)
	for item := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseInt(strings.TrimSpace(item), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("must be a comma-separated list of whole numbers; %q is not one", truncate(item, 20))
		}
		out = append(out, int(v))
	}
	return out, nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Date layouts the documentation uses (api-v1.md §1.9).
const (
	LayoutISODate     = "2006-01-02"       // yyyy-MM-dd: search filters, StartDate
	LayoutUKDate      = "02-01-2006"       // dd-MM-yyyy: escort bookings
	LayoutDateTime    = "2006-01-02 15:04" // YYYY-MM-DD HH:MM: session dates
	LayoutClock       = "15:04"            // HH:mm
	layoutDateTimeT   = "2006-01-02T15:04"
	layoutDateTimeSec = "2006-01-02 15:04:05"
	layoutDateTimeTS  = "2006-01-02T15:04:05"
)

// Date parses a calendar date in the given layout and returns it as midnight UTC.
func Date(s, layout string) (time.Time, error) {
	t, err := time.Parse(layout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("must be a date in the form %s", humanLayout(layout))
	}
	return t, nil
}

// Clock parses an HH:mm time of day and returns it as minutes after midnight.
func Clock(s string) (int, error) {
	t, err := time.Parse(LayoutClock, strings.TrimSpace(s))
	if err != nil {
		return 0, errors.New("must be a time in the form HH:mm")
	}
	return t.Hour()*60 + t.Minute(), nil
}

// DateTime parses a zone-less "YYYY-MM-DD HH:MM" (a "T" separator and seconds are tolerated) as a wall
// time in loc. A wall time that does not exist (the hour skipped when clocks go forward) is an error;
// one that exists twice (the hour repeated when clocks go back) resolves to its first occurrence.
func DateTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	var (
		wall time.Time
		err  error
	)
	for _, layout := range []string{LayoutDateTime, layoutDateTimeT, layoutDateTimeSec, layoutDateTimeTS} {
		if wall, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, errors.New("must be a date and time in the form YYYY-MM-DD HH:MM")
	}
	return Local(wall, loc)
}

// Local interprets the wall clock of wall (its UTC fields) in loc, handling daylight-saving gaps and
// overlaps explicitly instead of leaving the choice to time.Date.
func Local(wall time.Time, loc *time.Location) (time.Time, error) {
	var (
		first time.Time
		found bool
	)
	// The offsets in force a day either side cover any transition near the wall time.
	for _, probe := range []time.Time{wall.Add(-26 * time.Hour), wall, wall.Add(26 * time.Hour)} {
		_, offset := probe.In(loc).Zone()
		cand := wall.Add(-time.Duration(offset) * time.Second)
		if !sameWall(cand.In(loc), wall) {
			continue
		}
		if !found || cand.Before(first) {
			first, found = cand, true
		}
	}
	if !found {
		return time.Time{}, fmt.Errorf("does not exist in the %s time zone (the clocks go forward then)", loc)
	}
	return first.In(loc), nil
}

func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}

func humanLayout(layout string) string {
	switch layout {
	case LayoutISODate:
		return "yyyy-MM-dd"
	case LayoutUKDate:
		return "dd-MM-yyyy"
	}
	return layout
}
