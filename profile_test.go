package awapi

import (
	"testing"
	"time"
)

func TestIsLoggedInNow(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lastLogin time.Time
		want      bool
	}{
		{now, true},
		{now.Add(-LoggedInWindow + time.Second), true},
		{now.Add(-LoggedInWindow), false},
		{now.Add(-24 * time.Hour), false},
		{now.Add(time.Minute), false}, // a future login is bad data, not presence
		{time.Time{}, false},
	} {
		p := Profile{Member: Member{LastLogin: tc.lastLogin}}
		if got := p.IsLoggedInNow(now); got != tc.want {
			t.Errorf("last login %v: IsLoggedInNow = %v, want %v", tc.lastLogin, got, tc.want)
		}
	}
}
