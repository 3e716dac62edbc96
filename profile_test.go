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

func TestShownMobileNumber(t *testing.T) {
	tests := []struct {
		number string
		show   bool
		want   string
		ok     bool
	}{
		{"07700900001", true, "07700900001", true},
		{"07700900001", false, "", false}, // kept to the account
		{"", true, "", false},             // nothing to show
		{"", false, "", false},
	}
	for _, tc := range tests {
		p := Profile{Member: Member{MobileNumber: tc.number, ShowMobileNumber: tc.show}}
		if got, ok := p.ShownMobileNumber(); got != tc.want || ok != tc.ok {
			t.Errorf("%q shown %v: %q %v, want %q %v", tc.number, tc.show, got, ok, tc.want, tc.ok)
		}
	}
}
