package sqlstore

import (
	"testing"
	"time"
)

// TestBirthDateBounds: ages are whole years on today's date in the server's zone, and a bound that
// falls on 1 January 1970 (0 microseconds) is still a bound.
func TestBirthDateBounds(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	s := &DB{loc: london}
	day := func(y int, m time.Month, d int) int64 { return micros(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) }
	tests := []struct {
		name               string
		now                time.Time
		minAge, maxAge     int
		maxBirth, minBirth *int64
	}{
		{"none", time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), 0, 0, nil, nil},
		{"18 to 35", time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), 18, 35, ptr(day(2008, 11, 27)), ptr(day(1990, 11, 27))},
		{"the epoch is a bound", time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), 56, 0, ptr(int64(0)), nil},
		// 23:30 UTC on 31 March is already 1 April in London (BST).
		{"the server's day", time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), 18, 0, ptr(day(2008, 4, 1)), nil},
	}
	for _, tc := range tests {
		maxBirth, minBirth := s.birthDateBounds(tc.now, tc.minAge, tc.maxAge)
		if !samePtr(maxBirth, tc.maxBirth) || !samePtr(minBirth, tc.minBirth) {
			t.Errorf("%s: got %v %v, want %v %v", tc.name, deref(maxBirth), deref(minBirth), deref(tc.maxBirth), deref(tc.minBirth))
		}
	}
}

func ptr[T any](v T) *T { return &v }

func samePtr(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
