package awapi

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi/refdata"
)

// validSettings are settings that pass every rule; each test case changes one thing.
func validSettings() DirectCamSettings {
	return DirectCamSettings{UserID: 2, DoesFree: true, AllowGuestFreePreview: true, FreeTimeMins: 10, FreeTimePeriod: 60,
		DoesGroup: true, GroupPPM: 150, DoesPrivate: true, PrivatePPM: 300, DoesAudioPrivate: true,
		WebcamCategoryID: 1, ShowLiveThumbnails: ThumbnailsEveryone, Title: "Evenings live"}
}

// wantFieldError checks that err is a 400 naming field, or nil when field is "".
func wantFieldError(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	e, ok := err.(*Error)
	if !ok || e.Kind != KindInvalid || len(e.Fields[field]) == 0 {
		t.Fatalf("error %v, want one naming %s", err, field)
	}
}

// TestFreeTimeAllowedValues: exactly the documented values are accepted, every other value refused.
func TestFreeTimeAllowedValues(t *testing.T) {
	documentedMins := []int{0, 5, 10, 15, 20, 30, 45}
	for m := -5; m <= 1500; m++ {
		s := validSettings()
		s.FreeTimeMins, s.FreeTimePeriod = m, 0
		err := s.Check()
		if slices.Contains(documentedMins, m) {
			wantFieldError(t, err, "")
		} else {
			wantFieldError(t, err, "FreeTimeMins")
		}
		s = validSettings()
		s.FreeTimeMins, s.FreeTimePeriod = 0, m
		err = s.Check()
		if m == 0 || m == 15 || m == 30 || m >= 60 && m <= 1440 && m%60 == 0 {
			wantFieldError(t, err, "")
		} else {
			wantFieldError(t, err, "FreeTimePeriod")
		}
	}
	if len(FreeTimePeriodValues) != 27 || FreeTimePeriodValues[26] != 1440 {
		t.Fatalf("FreeTimePeriodValues = %v", FreeTimePeriodValues)
	}
}

// TestDirectCamSettingsRules checks every rule of SaveSettings on its own.
func TestDirectCamSettingsRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *DirectCamSettings)
		field  string // "" means allowed
	}{
		{"valid", func(*DirectCamSettings) {}, ""},
		{"nothing offered is allowed: DirectCam off", func(s *DirectCamSettings) {
			s.DoesFree, s.AllowGuestFreePreview, s.DoesGroup, s.DoesPrivate = false, false, false, false
		}, ""},
		{"free cap within its window", func(s *DirectCamSettings) { s.FreeTimeMins, s.FreeTimePeriod = 45, 60 }, ""},
		{"free cap larger than its window", func(s *DirectCamSettings) { s.FreeTimeMins, s.FreeTimePeriod = 30, 15 }, "FreeTimeMins"},
		{"free cap equal to its window", func(s *DirectCamSettings) { s.FreeTimeMins, s.FreeTimePeriod = 15, 15 }, ""},
		{"unlimited window with a cap", func(s *DirectCamSettings) { s.FreeTimeMins, s.FreeTimePeriod = 45, 0 }, ""},
		{"group without a rate", func(s *DirectCamSettings) { s.GroupPPM = 0 }, "GroupPPM"},
		{"private without a rate", func(s *DirectCamSettings) { s.PrivatePPM = 0 }, "PrivatePPM"},
		{"a rate kept for a mode not offered", func(s *DirectCamSettings) { s.DoesGroup = false }, ""},
		{"no rate for a mode not offered", func(s *DirectCamSettings) { s.DoesPrivate, s.PrivatePPM = false, 0 }, ""},
		{"negative rate", func(s *DirectCamSettings) { s.DoesGroup, s.GroupPPM = false, -1 }, "GroupPPM"},
		{"rate at the maximum", func(s *DirectCamSettings) { s.GroupPPM, s.PrivatePPM = MaxPPM, MaxPPM }, ""},
		{"rate over the maximum", func(s *DirectCamSettings) { s.PrivatePPM = MaxPPM + 1 }, "PrivatePPM"},
		{"group dearer than private", func(s *DirectCamSettings) { s.GroupPPM = 301 }, "GroupPPM"},
		{"group dearer than a private rate not offered", func(s *DirectCamSettings) { s.GroupPPM, s.DoesPrivate = 301, false }, ""},
		{"chat only with free audio", func(s *DirectCamSettings) { s.ChatOnly, s.DoesAudioPrivate, s.DoesAudioFree = true, false, true }, "DoesAudioFree"},
		{"chat only with group audio", func(s *DirectCamSettings) { s.ChatOnly, s.DoesAudioPrivate, s.DoesAudioGroup = true, false, true }, "DoesAudioGroup"},
		{"chat only with private audio", func(s *DirectCamSettings) { s.ChatOnly = true }, "DoesAudioPrivate"},
		{"chat only without audio", func(s *DirectCamSettings) { s.ChatOnly, s.DoesAudioPrivate = true, false }, ""},
		{"guest preview without a free show", func(s *DirectCamSettings) { s.DoesFree = false }, "AllowGuestFreePreview"},
		{"unknown category", func(s *DirectCamSettings) { s.WebcamCategoryID = 12 }, "WebcamCategoryID"},
		{"no category", func(s *DirectCamSettings) { s.WebcamCategoryID = 0 }, "WebcamCategoryID"},
		{"last category", func(s *DirectCamSettings) { s.WebcamCategoryID = 11 }, ""},
		{"blank title", func(s *DirectCamSettings) { s.Title = "  " }, "Title"},
		{"title of 50 characters", func(s *DirectCamSettings) { s.Title = strings.Repeat("é", 50) }, ""},
		{"title of 51 characters", func(s *DirectCamSettings) { s.Title = strings.Repeat("é", 51) }, "Title"},
		{"thumbnails out of range", func(s *DirectCamSettings) { s.ShowLiveThumbnails = 3 }, "ShowLiveThumbnails"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validSettings()
			tc.change(&s)
			wantFieldError(t, s.Check(), tc.field)
		})
	}
	// The categories are exactly those Lists/GetDirectcamCategories lists.
	for _, c := range refdata.DirectcamCategories() {
		s := validSettings()
		s.WebcamCategoryID = c.ID
		in := validInput()
		in.WebcamCategoryID = c.ID
		if name, ok := WebcamCategory(c.ID); !ok || name != c.Name || s.Check() != nil || in.Check(showNow, london) != nil {
			t.Errorf("category %d %s refused", c.ID, c.Name)
		}
	}
	s := validSettings()
	if !s.Enabled() {
		t.Fatal("settings offering shows are not Enabled")
	}
	for _, only := range []func(*DirectCamSettings){
		func(s *DirectCamSettings) { s.DoesFree = true }, func(s *DirectCamSettings) { s.DoesGroup = true },
		func(s *DirectCamSettings) { s.DoesPrivate = true },
	} {
		var s DirectCamSettings
		if s.Enabled() {
			t.Fatal("zero settings are Enabled")
		}
		if only(&s); !s.Enabled() {
			t.Fatalf("%+v is not Enabled", s)
		}
		if err := CanScheduleShows(&s); err != nil {
			t.Fatal(err)
		}
	}
	if err := CanScheduleShows(&DirectCamSettings{}); ErrorCode(err) != "directcam_not_enabled" {
		t.Fatalf("scheduling without DirectCam: %v", err)
	}
	if err := CanSetUpDirectCam(&Member{UserTypeID: UserTypeSeeking}); ErrorCode(err) != "not_offering_services" {
		t.Fatalf("a client setting up DirectCam: %v", err)
	}
	if err := CanSetUpDirectCam(&Member{UserTypeID: UserTypeOffering}); err != nil {
		t.Fatal(err)
	}
}

func TestParseShowLiveThumbnails(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ShowLiveThumbnails
		ok   bool
	}{
		{"0", ThumbnailsNever, true}, {"1", ThumbnailsMembers, true}, {"2", ThumbnailsEveryone, true},
		{"never", ThumbnailsNever, true}, {"Members", ThumbnailsMembers, true}, {" EVERYONE ", ThumbnailsEveryone, true},
		{"true", ThumbnailsEveryone, true}, {"False", ThumbnailsNever, true},
		{"3", 0, false}, {"-1", 0, false}, {"yes", 0, false}, {`{"Value":1}`, 0, false}, {"", 0, false}, {"01", 0, false},
	} {
		got, err := ParseShowLiveThumbnails(tc.in)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseShowLiveThumbnails(%q) = %v, %v", tc.in, got, err)
		}
	}
	if ThumbnailsMembers.String() != "Members" {
		t.Fatal(ThumbnailsMembers.String())
	}
}

var (
	showNow = time.Date(2026, 11, 27, 12, 7, 0, 0, time.UTC)
	london  = mustLoad("Europe/London")
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func validInput() ShowInput {
	return ShowInput{ScheduledDate: time.Date(2026, 11, 28, 20, 0, 0, 0, london), EstimatedLengthInMinutes: 60,
		Title: "Friday night", Summary: "Dancing", Details: "[b]Come along[/b]", WebcamCategoryID: 2}
}

// TestShowInputRules checks every rule of a show's fields, with each allowed and refused length.
func TestShowInputRules(t *testing.T) {
	at := func(d time.Duration) func(*ShowInput) {
		return func(in *ShowInput) { in.ScheduledDate = showNow.Add(d) }
	}
	tests := []struct {
		name   string
		change func(in *ShowInput)
		field  string
	}{
		{"valid", func(*ShowInput) {}, ""},
		{"past", at(-53 * time.Minute), "ScheduledDate"},
		{"now", func(in *ShowInput) { in.ScheduledDate = showNow.Truncate(time.Minute) }, "ScheduledDate"},
		{"next quarter hour", at(8 * time.Minute), ""},
		{"half past", at(23 * time.Minute), ""},
		{"quarter to", at(38 * time.Minute), ""},
		{"on the hour", at(53 * time.Minute), ""},
		{"five past", at(58 * time.Minute), "ScheduledDate"},
		{"fourteen past", at(67 * time.Minute), "ScheduledDate"},
		{"with seconds", at(8*time.Minute + 30*time.Second), "ScheduledDate"},
		{"three months ahead", func(in *ShowInput) { in.ScheduledDate = time.Date(2027, 2, 27, 12, 0, 0, 0, time.UTC) }, ""},
		{"beyond three months", func(in *ShowInput) { in.ScheduledDate = time.Date(2027, 2, 27, 12, 15, 0, 0, time.UTC) }, "ScheduledDate"},
		{"blank title", func(in *ShowInput) { in.Title = "" }, "Title"},
		{"title of 51", func(in *ShowInput) { in.Title = strings.Repeat("x", 51) }, "Title"},
		{"title of 50", func(in *ShowInput) { in.Title = strings.Repeat("ü", 50) }, ""},
		{"blank summary", func(in *ShowInput) { in.Summary = " " }, "Summary"},
		{"summary of 51", func(in *ShowInput) { in.Summary = strings.Repeat("x", 51) }, "Summary"},
		{"summary of 50", func(in *ShowInput) { in.Summary = strings.Repeat("x", 50) }, ""},
		{"no details", func(in *ShowInput) { in.Details = "" }, ""},
		{"details of 5000", func(in *ShowInput) { in.Details = strings.Repeat("ß", 5000) }, ""},
		{"details of 5001", func(in *ShowInput) { in.Details = strings.Repeat("ß", 5001) }, "Details"},
		{"unknown category", func(in *ShowInput) { in.WebcamCategoryID = 99 }, "WebcamCategoryID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.change(&in)
			wantFieldError(t, in.Check(showNow, london), tc.field)
		})
	}
	for n := -1; n <= 200; n++ {
		in := validInput()
		in.EstimatedLengthInMinutes = n
		if slices.Contains([]int{5, 10, 15, 30, 45, 60, 90, 120}, n) {
			wantFieldError(t, in.Check(showNow, london), "")
		} else {
			wantFieldError(t, in.Check(showNow, london), "EstimatedLengthInMinutes")
		}
	}
}

// show is performer 2's show id starting at start for length minutes.
func show(id int64, start time.Time, length int) ScheduledShow {
	return ScheduledShow{ScheduledID: id, UserID: 2, ScheduledDate: start, EstimatedLengthInMinutes: length}
}

// TestShowOverlap: shows are half-open intervals [start, start+length); cancelled ones take no time.
func TestShowOverlap(t *testing.T) {
	base := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	a := show(1, base, 60) // 20:00-21:00
	cancelled := show(9, base, 60)
	cancelled.CancelledAt = showNow
	tests := []struct {
		name string
		b    ScheduledShow
		want bool
	}{
		{"identical", show(2, base, 60), true},
		{"ends as the other starts", show(2, at(-30), 30), false},
		{"starts as the other ends", show(2, at(60), 15), false},
		{"overlaps the start by a minute", show(2, at(-30), 31), true},
		{"overlaps the end", show(2, at(45), 30), true},
		{"inside", show(2, at(15), 15), true},
		{"around", show(2, at(-15), 120), true},
		{"well after", show(2, at(120), 5), false},
		{"cancelled", cancelled, false},
	}
	for _, tc := range tests {
		if got, back := a.Overlaps(&tc.b), tc.b.Overlaps(&a); got != tc.want || back != tc.want {
			t.Errorf("%s: Overlaps = %v, %v; want %v", tc.name, got, back, tc.want)
		}
	}
	// CheckSlot: the conflicting show is named, the show itself is skipped, cancelled ones never count.
	b := show(0, at(30), 60)
	if err := b.CheckSlot([]ScheduledShow{cancelled, show(3, at(-60), 60), a}, showNow); ErrorCode(err) != "show_overlaps" ||
		!strings.Contains(err.Error(), "show 1 ") {
		t.Fatalf("overlapping slot: %v", err)
	}
	if err := a.CheckSlot([]ScheduledShow{a, cancelled}, showNow); err != nil {
		t.Fatalf("a show overlaps itself: %v", err)
	}
}

// TestUpcomingShowLimit: a performer may have MaxUpcomingShows shows that have not finished;
// finished and cancelled ones do not count.
func TestUpcomingShowLimit(t *testing.T) {
	var others []ScheduledShow
	for i := range MaxUpcomingShows - 1 {
		others = append(others, show(int64(i+1), showNow.Add(time.Duration(i+1)*time.Hour), 30))
	}
	finished := show(100, showNow.Add(-2*time.Hour), 60)
	cancelled := show(101, showNow.Add(100*time.Hour), 60)
	cancelled.CancelledAt = showNow
	live := show(102, showNow.Add(-10*time.Minute), 60)
	next := show(0, showNow.Add(200*time.Hour), 30)
	if err := next.CheckSlot(append(others, finished, cancelled), showNow); err != nil {
		t.Fatalf("the %dth upcoming show: %v", MaxUpcomingShows, err)
	}
	if err := next.CheckSlot(append(others, live), showNow); ErrorCode(err) != "show_limit_reached" {
		t.Fatalf("one more than %d: %v", MaxUpcomingShows, err)
	}
	// Changing one of the performer's shows does not count it twice.
	if err := others[0].CheckSlot(append(others, finished), showNow); err != nil {
		t.Fatalf("changing show %d: %v", others[0].ScheduledID, err)
	}
}

// TestShowStatusAndTransitions: the status follows the clock; only a show that has not started may be
// changed or cancelled; only a cancelled or finished one may be deleted.
func TestShowStatusAndTransitions(t *testing.T) {
	start := showNow.Add(time.Hour)
	s := show(5, start, 30)
	for _, tc := range []struct {
		at   time.Time
		want ShowStatus
	}{
		{showNow, ShowScheduled}, {start.Add(-time.Microsecond), ShowScheduled}, {start, ShowLive},
		{start.Add(29 * time.Minute), ShowLive}, {start.Add(30 * time.Minute), ShowFinished},
	} {
		if got := s.StatusAt(tc.at); got != tc.want {
			t.Errorf("StatusAt(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
	in := validInput()
	tests := []struct {
		name   string
		now    time.Time
		cancel bool
		update string // code of Update ("" allowed)
		delete string // code of CanDelete
	}{
		{"scheduled", showNow, false, "", "show_not_finished"},
		{"live", start.Add(time.Minute), false, "show_started", "show_not_finished"},
		{"finished", start.Add(time.Hour), false, "show_started", ""},
		{"cancelled", showNow, true, "show_cancelled", ""},
	}
	for _, tc := range tests {
		s := show(5, start, 30)
		s.ImageFormat, s.ImageSafe = ImageJPEG, true
		if tc.cancel {
			s.CancelledAt = showNow
		}
		if err := s.CanDelete(tc.now); ErrorCode(err) != tc.delete && !(err == nil && tc.delete == "") {
			t.Errorf("%s: CanDelete = %v, want %s", tc.name, err, tc.delete)
		}
		c := s
		err := c.Cancel(tc.now)
		if tc.update == "" && (err != nil || c.StatusAt(tc.now) != ShowCancelled || !c.CancelledAt.Equal(tc.now)) {
			t.Errorf("%s: Cancel = %v, %+v", tc.name, err, c)
		}
		if tc.update != "" && ErrorCode(err) != tc.update {
			t.Errorf("%s: Cancel = %v, want %s", tc.name, err, tc.update)
		}
		u := s
		err = u.Update(&in, ImagePNG, nil, tc.now)
		if tc.update != "" {
			if ErrorCode(err) != tc.update || u.Title != s.Title {
				t.Errorf("%s: Update = %v, %+v", tc.name, err, u)
			}
			continue
		}
		if err != nil || u.Title != in.Title || !u.ScheduledDate.Equal(in.ScheduledDate) || u.ImageFormat != ImagePNG || u.ImageSafe {
			t.Errorf("%s: Update = %v, %+v", tc.name, err, u)
		}
	}
	// Updating without an image keeps the image and its safe flag.
	u := show(5, start, 30)
	u.ImageFormat, u.ImageSafe = ImageJPEG, true
	if err := u.Update(&in, "", nil, showNow); err != nil || u.ImageFormat != ImageJPEG || !u.ImageSafe {
		t.Fatalf("update without an image: %v %+v", err, u)
	}
	// The new slot is checked against the performer's other shows.
	other := show(6, in.ScheduledDate.Add(30*time.Minute), 30)
	if err := u.Update(&in, "", []ScheduledShow{other}, showNow); ErrorCode(err) != "show_overlaps" {
		t.Fatalf("update into another show: %v", err)
	}
}

// TestDirectCamSessionPricing: a session costs Minutes × the mode's PPM, moves the same amount from
// the client to the performer, and needs the mode offered.
func TestDirectCamSessionPricing(t *testing.T) {
	s := validSettings()
	sess, err := NewDirectCamSession(&s, 1, ModePrivate, 12, showNow)
	if err != nil || sess.PPM != 300 || sess.Credits != 3600 || sess.PerformerID != 2 || sess.ClientID != 1 {
		t.Fatalf("private: %+v %v", sess, err)
	}
	sess.SessionID = 7
	ps := sess.Postings()
	if len(ps) != 2 || ps[0].UserID != 1 || ps[0].Amount != -3600 || ps[1].UserID != 2 || ps[1].Amount != 3600 ||
		!strings.Contains(ps[0].Description, "#7") {
		t.Fatalf("postings %+v", ps)
	}
	if sess, err = NewDirectCamSession(&s, 1, ModeGroup, 7, showNow); err != nil || sess.Credits != 1050 {
		t.Fatalf("group: %+v %v", sess, err)
	}
	s.DoesGroup = false
	if _, err := NewDirectCamSession(&s, 1, ModeGroup, 7, showNow); ErrorCode(err) != "mode_not_offered" {
		t.Fatalf("group not offered: %v", err)
	}
	for _, tc := range []struct {
		client  int64
		minutes int
		field   string
	}{{2, 10, "ClientUserID"}, {1, 0, "Minutes"}, {1, MaxSessionMinutes + 1, "Minutes"}, {1, MaxSessionMinutes, ""}} {
		_, err := NewDirectCamSession(&s, tc.client, ModePrivate, tc.minutes, showNow)
		wantFieldError(t, err, tc.field)
	}
}
