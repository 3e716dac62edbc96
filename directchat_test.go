package awapi

import (
	"testing"
	"time"
)

func validChatSettings() DirectChatSettings {
	return DirectChatSettings{UserID: 2, OfferDirectChat: true, PPM: 150, AvailableNow: true, AvailableFrom: 9 * 60,
		AvailableUntil: 17 * 60, MaxCallMinutes: 30}
}

// TestDirectChatSettingsRules checks every rule of the settings block on its own.
func TestDirectChatSettingsRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *DirectChatSettings)
		field  string
	}{
		{"valid", func(s *DirectChatSettings) {}, ""},
		{"PPM required when offered", func(s *DirectChatSettings) { s.PPM = 0 }, "DirectChat.PPM"},
		{"PPM may be 0 when not offered", func(s *DirectChatSettings) { s.PPM, s.OfferDirectChat = 0, false }, ""},
		{"PPM negative", func(s *DirectChatSettings) { s.PPM, s.OfferDirectChat = -1, false }, "DirectChat.PPM"},
		{"PPM at the maximum", func(s *DirectChatSettings) { s.PPM = MaxPPM }, ""},
		{"PPM above the maximum", func(s *DirectChatSettings) { s.PPM = MaxPPM + 1 }, "DirectChat.PPM"},
		{"PPM of one hundredth", func(s *DirectChatSettings) { s.PPM = 1 }, ""},
		{"AvailableFrom negative", func(s *DirectChatSettings) { s.AvailableFrom = -1 }, "DirectChat.AvailableFrom"},
		{"AvailableFrom 24:00", func(s *DirectChatSettings) { s.AvailableFrom = MinutesPerDay }, "DirectChat.AvailableFrom"},
		{"AvailableUntil 24:00", func(s *DirectChatSettings) { s.AvailableUntil = MinutesPerDay }, "DirectChat.AvailableUntil"},
		{"AvailableUntil 23:59", func(s *DirectChatSettings) { s.AvailableUntil = MinutesPerDay - 1 }, ""},
		{"hours wrap past midnight", func(s *DirectChatSettings) { s.AvailableFrom, s.AvailableUntil = 22*60, 3*60 }, ""},
		{"MaxCallMinutes 0 is no cap", func(s *DirectChatSettings) { s.MaxCallMinutes = 0 }, ""},
		{"MaxCallMinutes at the maximum", func(s *DirectChatSettings) { s.MaxCallMinutes = MaxDirectChatCallMinutes }, ""},
		{"MaxCallMinutes above", func(s *DirectChatSettings) { s.MaxCallMinutes = MaxDirectChatCallMinutes + 1 }, "DirectChat.MaxCallMinutes"},
		{"MaxCallMinutes negative", func(s *DirectChatSettings) { s.MaxCallMinutes = -1 }, "DirectChat.MaxCallMinutes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validChatSettings()
			tc.change(&s)
			wantFieldError(t, s.Check(), tc.field)
		})
	}
	// Every offending field is named in one answer.
	s := DirectChatSettings{OfferDirectChat: true, AvailableFrom: -1, AvailableUntil: 2000, MaxCallMinutes: -3}
	e := s.Check().(*Error)
	if len(e.Fields) != 4 {
		t.Fatalf("fields %v, want PPM, AvailableFrom, AvailableUntil and MaxCallMinutes", e.Fields)
	}
}

func TestDirectChatAvailableAt(t *testing.T) {
	loc := time.FixedZone("server", 3600)
	at := func(hh, mm int) time.Time { return time.Date(2026, 12, 2, hh, mm, 0, 0, loc).UTC() }
	day := validChatSettings() // 09:00–17:00
	night := validChatSettings()
	night.AvailableFrom, night.AvailableUntil = 22*60, 3*60
	allDay := validChatSettings()
	allDay.AvailableFrom, allDay.AvailableUntil = 5*60, 5*60
	off := validChatSettings()
	off.AvailableNow = false
	notOffered := validChatSettings()
	notOffered.OfferDirectChat = false
	tests := []struct {
		name string
		s    DirectChatSettings
		at   time.Time
		want bool
	}{
		{"day, before", day, at(8, 59), false},
		{"day, at the start", day, at(9, 0), true},
		{"day, last minute", day, at(16, 59), true},
		{"day, at the end", day, at(17, 0), false},
		{"night, evening", night, at(23, 30), true},
		{"night, after midnight", night, at(2, 59), true},
		{"night, at the end", night, at(3, 0), false},
		{"night, afternoon", night, at(15, 0), false},
		{"all day", allDay, at(4, 0), true},
		{"switched off", off, at(12, 0), false},
		{"not offered", notOffered, at(12, 0), false},
	}
	for _, tc := range tests {
		if got := tc.s.AvailableAt(tc.at, loc); got != tc.want {
			t.Errorf("%s: AvailableAt = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDayTime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want DayTime
		ok   bool
	}{
		{"00:00", 0, true}, {"9:05", 545, true}, {"23:59", 1439, true}, {" 18:30 ", 1110, true},
		{"24:00", 0, false}, {"12:60", 0, false}, {"12", 0, false}, {"12:5", 0, false}, {"-1:00", 0, false},
		{"", 0, false}, {"ab:cd", 0, false}, {"123:00", 0, false},
	} {
		got, err := ParseDayTime(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDayTime(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok {
			if back, _ := ParseDayTime(got.String()); back != got {
				t.Errorf("%q does not round-trip through %q", tc.in, got)
			}
		}
	}
	if DayTime(545).String() != "09:05" || DayTime(1439).String() != "23:59" {
		t.Fatal("DayTime.String")
	}
	s := validChatSettings()
	if s.CallLimit() != 30 {
		t.Fatal("CallLimit with a cap")
	}
	s.MaxCallMinutes = 0
	if s.CallLimit() != MaxDirectChatCallMinutes {
		t.Fatal("CallLimit without a cap")
	}
}
