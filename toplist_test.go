package awapi

import (
	"testing"
	"time"
)

func TestDateRangePeriod(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// Thursday 26 November 2026, 00:30 in London (00:30 UTC): early enough that a UTC-based day would
	// still agree, so also check a BST instant where it would not.
	now := time.Date(2026, 11, 26, 0, 30, 0, 0, london)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, london) }
	tests := []struct {
		dateRange string
		from, to  time.Time
	}{
		{"Today", day(2026, 11, 26), day(2026, 11, 27)},
		{"Yesterday", day(2026, 11, 25), day(2026, 11, 26)},
		{"ThisWeek", day(2026, 11, 23), day(2026, 11, 27)},
		{"LastWeek", day(2026, 11, 16), day(2026, 11, 23)},
		{"ThisMonth", day(2026, 11, 1), day(2026, 11, 27)},
		{"LastMonth", day(2026, 10, 1), day(2026, 11, 1)},
		{"ThisYear", day(2026, 1, 1), day(2026, 11, 27)},
		{"LastYear", day(2025, 1, 1), day(2026, 1, 1)},
		{"AllTime", time.Time{}, time.Time{}},
	}
	for _, tc := range tests {
		p := DateRangePeriod(tc.dateRange, now, london)
		if !p.From.Equal(tc.from) || !p.To.Equal(tc.to) {
			t.Errorf("%s = [%v, %v), want [%v, %v)", tc.dateRange, p.From, p.To, tc.from, tc.to)
		}
	}
	// 23:30 UTC on 30 June is already 1 July in London (BST): "Today" is 1 July.
	p := DateRangePeriod("Today", time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), london)
	if DayNumber(p.From) != 20260701 {
		t.Errorf("Today in BST starts %v", p.From)
	}
	// A Sunday belongs to the week that began the Monday before.
	p = DateRangePeriod("ThisWeek", time.Date(2026, 11, 29, 12, 0, 0, 0, london), london)
	if DayNumber(p.From) != 20261123 {
		t.Errorf("ThisWeek on a Sunday starts %v", p.From)
	}
}

func TestTopListTypes(t *testing.T) {
	for _, typ := range TopListTypes {
		_, views := typ.ViewKind()
		service, ratings := typ.RatingService()
		if views == ratings {
			t.Errorf("%s: views %v ratings %v", typ, views, ratings)
		}
		if ratings && service != ServiceEscort && service != ServiceWebcam && service != ServicePhoneChat {
			t.Errorf("%s: service %q", typ, service)
		}
	}
}
