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

// line is a PIN of client 1 on performer 2's line at 1.50 a minute, all day, 30 minutes at most.
func line(balance Credits) DirectChatLine {
	s := validChatSettings()
	s.AvailableFrom, s.AvailableUntil = 0, 0
	return DirectChatLine{PIN: DirectChatPIN{PINID: 7, PIN: "123456", ClientID: 1, PerformerID: 2}, Settings: s, Balance: balance}
}

var callT0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func TestDirectChatStartCall(t *testing.T) {
	busy := line(1000)
	busy.InProgress = &DirectChatCall{CallID: 3}
	closed := line(1000)
	closed.Settings.AvailableNow = false
	removed := line(1000)
	removed.PIN.RemovedAt = callT0
	for _, tc := range []struct {
		name string
		l    DirectChatLine
		code string
	}{
		{"answered", line(150), ""},
		{"less than a minute's credit", line(149), "insufficient_credits"},
		{"busy", busy, "call_in_progress"},
		{"not taking calls", closed, "directchat_unavailable"},
		{"removed PIN", removed, "not_found"},
	} {
		c, ch, err := tc.l.StartCall(callT0, time.UTC)
		if ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
			continue
		}
		if tc.code == "" && (c.Minutes != 1 || c.Credits != 150 || ch != (DirectChatCharge{1, 150}) || !c.InProgress() ||
			c.MaxMinutes != 30 || c.PIN != "123456" || c.ClientID != 1 || c.PerformerID != 2) {
			t.Errorf("%s: call %+v, charge %+v", tc.name, c, ch)
		}
	}
}

func TestDirectChatEndCall(t *testing.T) {
	started := DirectChatCall{CallID: 3, PIN: "123456", ClientID: 1, PerformerID: 2, PPM: 150, MaxMinutes: 30, StartedAt: callT0,
		Minutes: 1, Credits: 150}
	for _, tc := range []struct {
		name           string
		after          time.Duration
		balance        Credits
		minutes, extra int
		cut            bool
		ended          time.Duration // from the start
	}{
		{"within the first minute", 40 * time.Second, 0, 1, 0, false, 40 * time.Second},
		{"exactly one minute", time.Minute, 0, 1, 0, false, time.Minute},
		{"a second into the second minute", time.Minute + time.Second, 1000, 2, 1, false, time.Minute + time.Second},
		{"2m10s", 2*time.Minute + 10*time.Second, 1000, 3, 2, false, 2*time.Minute + 10*time.Second},
		{"balance for one more of two", 2*time.Minute + 10*time.Second, 299, 2, 1, true, 2 * time.Minute},
		{"no balance left", 5 * time.Minute, 149, 1, 0, true, time.Minute},
		{"past MaxMinutes", 45 * time.Minute, 100000, 30, 29, true, 30 * time.Minute},
		{"clock behind the start", -time.Minute, 1000, 1, 0, false, -time.Minute},
	} {
		l := line(tc.balance)
		c := started
		l.InProgress = &c
		got, ch, err := l.EndCall(callT0.Add(tc.after))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Minutes != tc.minutes || got.Credits != 150*Credits(tc.minutes) || ch.Minutes != tc.extra ||
			ch.Credits != 150*Credits(tc.extra) || got.Cut != tc.cut || !got.EndedAt.Equal(callT0.Add(tc.ended)) {
			t.Errorf("%s: call %+v, charge %+v", tc.name, got, ch)
		}
		if tc.balance-ch.Credits < 0 {
			t.Errorf("%s: overdrawn", tc.name)
		}
	}
	l := line(1000)
	if _, _, err := l.EndCall(callT0); ErrorCode(err) != "no_call_in_progress" {
		t.Fatalf("ending no call: %v", err)
	}
}

func TestDirectChatPlaceCall(t *testing.T) {
	for _, tc := range []struct {
		name        string
		minutes     int
		balance     Credits
		paid        int
		cut         bool
		field, code string
	}{
		{"paid whole", 10, 1500, 10, false, "", ""},
		{"cut by the balance", 10, 1499, 9, true, "", ""},
		{"cut by MaxMinutes", 45, 100000, 30, true, "", ""},
		{"one minute", 1, 150, 1, false, "", ""},
		{"not one minute's credit", 1, 149, 0, false, "", "insufficient_credits"},
		{"0 minutes", 0, 1000, 0, false, "Minutes", ""},
		{"too long", MaxDirectChatCallMinutes + 1, 1000, 0, false, "Minutes", ""},
	} {
		l := line(tc.balance)
		c, ch, err := l.PlaceCall(tc.minutes, callT0, time.UTC)
		switch {
		case tc.field != "":
			wantFieldError(t, err, tc.field)
		case tc.code != "":
			if ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case c.Minutes != tc.paid || c.Credits != 150*Credits(tc.paid) || ch != (DirectChatCharge{tc.paid, c.Credits}) || c.Cut != tc.cut ||
			!c.EndedAt.Equal(callT0) || !c.StartedAt.Equal(callT0.Add(-time.Duration(tc.paid)*time.Minute)) || c.InProgress():
			t.Errorf("%s: call %+v, charge %+v", tc.name, c, ch)
		}
	}
}

func TestDirectChatPINRules(t *testing.T) {
	offered := validChatSettings()
	notOffered := validChatSettings()
	notOffered.OfferDirectChat = false
	for _, tc := range []struct {
		name        string
		client      int64
		s           DirectChatSettings
		held        int
		field, code string
	}{
		{"allowed", 1, offered, 0, "", ""},
		{"one below the limit", 1, offered, MaxDirectChatPINs - 1, "", ""},
		{"at the limit", 1, offered, MaxDirectChatPINs, "", "pin_limit_reached"},
		{"not offered", 1, notOffered, 0, "", "directchat_not_offered"},
		{"yourself", 2, offered, 0, "UserID", ""},
	} {
		err := CanCreateDirectChatPIN(tc.client, &tc.s, tc.held)
		if tc.field != "" {
			wantFieldError(t, err, tc.field)
		} else if ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
	}
	seen := map[string]bool{}
	for range 50 {
		p := NewDirectChatPIN()
		if err := CheckDirectChatPIN("PIN", p); err != nil {
			t.Fatalf("drawn %q: %v", p, err)
		}
		seen[p] = true
	}
	if len(seen) < 45 {
		t.Fatalf("%d distinct PINs in 50 draws", len(seen))
	}
	for _, bad := range []string{"", "12345", "1234567", "12345a", " 12345", "１２３４５６"} {
		wantFieldError(t, CheckDirectChatPIN("PIN", bad), "PIN")
	}
	if (&DirectChatPIN{InProgress: true}).CanDelete() == nil || (&DirectChatPIN{}).CanDelete() != nil {
		t.Fatal("CanDelete")
	}
	// The postings move the charge from the client to the performer, and nothing for a zero charge.
	c := DirectChatCall{CallID: 4, PIN: "123456", ClientID: 1, PerformerID: 2, PPM: 150}
	ps := (DirectChatCharge{2, 300}).Postings(&c)
	if len(ps) != 2 || ps[0].UserID != 1 || ps[0].Amount != -300 || ps[1].UserID != 2 || ps[1].Amount != 300 ||
		(DirectChatCharge{}).Postings(&c) != nil {
		t.Fatalf("postings %+v", ps)
	}
}
