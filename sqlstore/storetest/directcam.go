package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// DirectCam conformance tests (awapi/directcam.go): settings and IsDirectCam, scheduled shows under
// the performer's lock, their images, and paid sessions through the ledger.

// directCamSetup creates performers 10 and 11 and client 1.
func directCamSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	client := NewMember(1, "Client")
	client.UserTypeID = awapi.UserTypeSeeking
	p10, p11 := NewMember(10, "Cam10"), NewMember(11, "Cam11")
	p10.IsWebcam, p11.IsWebcam = true, true
	must(t, st.InsertMembers(ctx, []awapi.Member{client, p10, p11}))
}

func camSettings(userID int64) awapi.DirectCamSettings {
	return awapi.DirectCamSettings{UserID: userID, DoesFree: true, AllowGuestFreePreview: true, FreeTimeMins: 10,
		FreeTimePeriod: 60, DoesGroup: true, GroupPPM: 125, DoesPrivate: true, PrivatePPM: 350, DoesAudioPrivate: true,
		WebcamCategoryID: 3, ShowLiveThumbnails: awapi.ThumbnailsMembers, Title: "Late shows", UpdatedAt: t0}
}

func testDirectCamSettings(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	got, err := st.DirectCamSettings(ctx, 10)
	must(t, err)
	if got != (awapi.DirectCamSettings{UserID: 10}) {
		t.Fatalf("never saved: %+v", got)
	}
	_, err = st.DirectCamSettings(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.SaveDirectCamSettings(ctx, camSettings(99))
	wantKind(t, err, awapi.KindNotFound)

	want := camSettings(10)
	want.UpdatedAt = t0.Add(1234567 * time.Nanosecond) // stored to the microsecond
	saved, err := st.SaveDirectCamSettings(ctx, want)
	must(t, err)
	want.UpdatedAt = want.UpdatedAt.Truncate(time.Microsecond)
	if got, err = st.DirectCamSettings(ctx, 10); err != nil || got != want || saved != want {
		t.Fatalf("read back %+v (saved %+v), want %+v: %v", got, saved, want, err)
	}
	if !profileOf(t, st, 10).IsDirectCam || profileOf(t, st, 11).IsDirectCam {
		t.Fatal("IsDirectCam does not follow the settings")
	}
	// Saving replaces every field; settings that offer no show switch DirectCam off.
	off := awapi.DirectCamSettings{UserID: 10, FreeTimeMins: 5, FreeTimePeriod: 1440, GroupPPM: 99, ChatOnly: true,
		WebcamCategoryID: 11, ShowLiveThumbnails: awapi.ThumbnailsNever, Title: "Off", UpdatedAt: t0.Add(time.Hour)}
	_, err = st.SaveDirectCamSettings(ctx, off)
	must(t, err)
	if got, _ = st.DirectCamSettings(ctx, 10); got != off {
		t.Fatalf("replaced: %+v, want %+v", got, off)
	}
	if profileOf(t, st, 10).IsDirectCam {
		t.Fatal("DirectCam still on with nothing offered")
	}
	// The seeder's bulk load sets the flag from the settings, either way.
	m := NewMember(12, "Flagged")
	m.IsDirectCam = true
	must(t, st.InsertMembers(ctx, []awapi.Member{m}))
	quiet := camSettings(12)
	quiet.DoesFree, quiet.AllowGuestFreePreview, quiet.DoesGroup, quiet.DoesPrivate = false, false, false, false
	must(t, st.InsertDirectCamSettings(ctx, []awapi.DirectCamSettings{camSettings(11), quiet}))
	if !profileOf(t, st, 11).IsDirectCam || profileOf(t, st, 12).IsDirectCam {
		t.Fatal("InsertDirectCamSettings does not set IsDirectCam from the settings")
	}
	if got, _ = st.DirectCamSettings(ctx, 11); got != camSettings(11) {
		t.Fatalf("bulk-loaded %+v", got)
	}
}

var (
	showPNG  = awapi.ShowImage{Format: awapi.ImagePNG, Width: 2, Height: 1, Data: []byte("\x89PNG\r\n\x1a\nfirst")}
	showJPEG = awapi.ShowImage{Format: awapi.ImageJPEG, Width: 3, Height: 4, Data: []byte{0xFF, 0xD8, 0xFF, 0, 1, 2, 0}}
)

// newShow is performer's show of length minutes starting hours after t0.
func newShow(performer int64, hours float64, length int) awapi.ScheduledShow {
	in := awapi.ShowInput{ScheduledDate: t0.Add(time.Duration(hours * float64(time.Hour))), EstimatedLengthInMinutes: length,
		Title: fmt.Sprintf("Show at +%vh", hours), Summary: "Summary", Details: "[i]Details[/i]", WebcamCategoryID: 2}
	return awapi.NewScheduledShow(performer, &in, awapi.ImagePNG, t0)
}

// slot is the domain's check of a new show among the upcoming ones.
func slot(s awapi.ScheduledShow) func([]awapi.ScheduledShow) error {
	return func(upcoming []awapi.ScheduledShow) error { return s.CheckSlot(upcoming, t0) }
}

func createShow(t *testing.T, st awapi.Store, s awapi.ScheduledShow) awapi.ScheduledShow {
	t.Helper()
	got, err := st.CreateScheduledShow(ctx, s, showPNG, t0, slot(s))
	must(t, err)
	return got
}

func showIDs(ss []awapi.ScheduledShow) []int64 {
	out := []int64{}
	for _, s := range ss {
		out = append(out, s.ScheduledID)
	}
	return out
}

func listShows(t *testing.T, st awapi.Store, q awapi.ShowQuery) ([]int64, int) {
	t.Helper()
	if q.Page.Size == 0 {
		q.Page = awapi.Page{Number: 1, Size: 50}
	}
	ss, total, err := st.ScheduledShows(ctx, q)
	must(t, err)
	return showIDs(ss), total
}

func testScheduledShows(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	a := createShow(t, st, newShow(10, 2, 60))
	if a.ScheduledID == 0 || a.Nickname != "Cam10" || a.Title != "Show at +2h" || a.Details != "[i]Details[/i]" ||
		!a.ScheduledDate.Equal(t0.Add(2*time.Hour)) || a.EstimatedLengthInMinutes != 60 || a.ImageFormat != awapi.ImagePNG ||
		a.ImageSafe || !a.CreatedAt.Equal(t0) || !a.CancelledAt.IsZero() {
		t.Fatalf("created %+v", a)
	}
	if img, err := st.ShowImage(ctx, a.ScheduledID); err != nil || !bytes.Equal(img.Data, showPNG.Data) || img.Format != awapi.ImagePNG ||
		img.Width != 2 || img.Height != 1 {
		t.Fatalf("image %+v, %v", img, err)
	}
	_, err := st.ShowImage(ctx, 999)
	wantKind(t, err, awapi.KindNotFound)
	// The check sees exactly the performer's shows that are neither cancelled nor finished, and a
	// refusal stores nothing.
	past := createShow(t, st, newShow(10, -3, 60)) // stored as finished: the store decides nothing itself
	b := createShow(t, st, newShow(10, 4, 30))
	cancelled := createShow(t, st, newShow(10, 6, 30))
	_, err = st.ChangeScheduledShow(ctx, 10, cancelled.ScheduledID, nil, t0, func(s *awapi.ScheduledShow, _ []awapi.ScheduledShow) error {
		return s.Cancel(t0)
	})
	must(t, err)
	createShow(t, st, newShow(11, 2, 60)) // another performer's shows are not read
	var seen []int64
	_, err = st.CreateScheduledShow(ctx, newShow(10, 8, 5), showPNG, t0, func(up []awapi.ScheduledShow) error {
		seen = showIDs(up)
		return awapi.Conflict("refused", "No.")
	})
	wantCode(t, err, awapi.KindConflict, "refused")
	if fmt.Sprint(seen) != fmt.Sprint([]int64{a.ScheduledID, b.ScheduledID}) {
		t.Fatalf("the check saw %v, want %v", seen, []int64{a.ScheduledID, b.ScheduledID})
	}
	if _, err := st.CreateScheduledShow(ctx, newShow(10, 2.5, 15), showPNG, t0, slot(newShow(10, 2.5, 15))); awapi.ErrorCode(err) != "show_overlaps" {
		t.Fatalf("overlap stored: %v", err)
	}
	_, err = st.CreateScheduledShow(ctx, newShow(99, 2, 15), showPNG, t0, slot(newShow(99, 2, 15)))
	wantKind(t, err, awapi.KindNotFound)

	// Listing: upcoming by default, soonest first; cancelled and finished on request; paged.
	for _, tc := range []struct {
		q    awapi.ShowQuery
		want []int64
	}{
		{awapi.ShowQuery{UserID: 10, Now: t0}, []int64{a.ScheduledID, b.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0, IncludeCancelled: true}, []int64{a.ScheduledID, b.ScheduledID, cancelled.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0, IncludeFinished: true}, []int64{past.ScheduledID, a.ScheduledID, b.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0, IncludeFinished: true, IncludeCancelled: true, Desc: true},
			[]int64{cancelled.ScheduledID, b.ScheduledID, a.ScheduledID, past.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0.Add(2*time.Hour + 59*time.Minute)}, []int64{a.ScheduledID, b.ScheduledID}}, // a is live
		{awapi.ShowQuery{UserID: 10, Now: t0.Add(3 * time.Hour)}, []int64{b.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0, IncludeFinished: true, Page: awapi.Page{Number: 2, Size: 2}}, []int64{b.ScheduledID}},
		{awapi.ShowQuery{UserID: 10, Now: t0, Page: awapi.Page{Number: 5, Size: 2}}, []int64{}},
		{awapi.ShowQuery{UserID: 1, Now: t0}, []int64{}},
	} {
		got, total := listShows(t, st, tc.q)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
		}
		if tc.q.Page.Size == 0 && total != len(tc.want) {
			t.Errorf("%+v: total %d", tc.q, total)
		}
	}
}

func testChangeAndDeleteShows(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	a := createShow(t, st, newShow(10, 2, 60))
	b := createShow(t, st, newShow(10, 4, 30))
	other := createShow(t, st, newShow(11, 2, 60))
	// Only the performer's own show changes; anyone else's is not found.
	for _, tc := range []struct{ performer, id int64 }{{11, a.ScheduledID}, {10, other.ScheduledID}, {10, 999}} {
		_, err := st.ChangeScheduledShow(ctx, tc.performer, tc.id, nil, t0, func(*awapi.ScheduledShow, []awapi.ScheduledShow) error { return nil })
		wantKind(t, err, awapi.KindNotFound)
		wantKind(t, st.DeleteScheduledShow(ctx, tc.performer, tc.id, func(*awapi.ScheduledShow) error { return nil }), awapi.KindNotFound)
	}
	// The change sees the show and the performer's upcoming shows (itself among them); a refusal
	// writes nothing.
	moved := awapi.ShowInput{ScheduledDate: t0.Add(5 * time.Hour), EstimatedLengthInMinutes: 90, Title: "Moved", Summary: "New",
		Details: "", WebcamCategoryID: 9}
	var seen []int64
	_, err := st.ChangeScheduledShow(ctx, 10, a.ScheduledID, &showJPEG, t0, func(s *awapi.ScheduledShow, up []awapi.ScheduledShow) error {
		seen = showIDs(up)
		if err := s.Update(&moved, awapi.ImageJPEG, up, t0.Add(time.Minute)); err != nil {
			return err
		}
		return awapi.Conflict("refused", "No.")
	})
	wantCode(t, err, awapi.KindConflict, "refused")
	if fmt.Sprint(seen) != fmt.Sprint([]int64{a.ScheduledID, b.ScheduledID}) {
		t.Fatalf("the change saw %v", seen)
	}
	if got, _ := listShows(t, st, awapi.ShowQuery{UserID: 10, Now: t0}); fmt.Sprint(got) != fmt.Sprint([]int64{a.ScheduledID, b.ScheduledID}) {
		t.Fatalf("a refused change moved the show: %v", got)
	}
	if img, _ := st.ShowImage(ctx, a.ScheduledID); img.Format != awapi.ImagePNG {
		t.Fatalf("a refused change replaced the image: %+v", img)
	}
	// Moving a onto b overlaps; moving it after b is stored with the new image.
	into := moved
	into.ScheduledDate = t0.Add(4 * time.Hour)
	_, err = st.ChangeScheduledShow(ctx, 10, a.ScheduledID, nil, t0, func(s *awapi.ScheduledShow, up []awapi.ScheduledShow) error {
		return s.Update(&into, "", up, t0)
	})
	wantCode(t, err, awapi.KindConflict, "show_overlaps")
	got, err := st.ChangeScheduledShow(ctx, 10, a.ScheduledID, &showJPEG, t0.Add(time.Minute), func(s *awapi.ScheduledShow, up []awapi.ScheduledShow) error {
		return s.Update(&moved, showJPEG.Format, up, t0.Add(time.Minute))
	})
	must(t, err)
	if got.Title != "Moved" || !got.ScheduledDate.Equal(t0.Add(5*time.Hour)) || got.EstimatedLengthInMinutes != 90 || got.Details != "" ||
		got.WebcamCategoryID != 9 || got.ImageFormat != awapi.ImageJPEG || !got.UpdatedAt.Equal(t0.Add(time.Minute)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("updated %+v", got)
	}
	if img, _ := st.ShowImage(ctx, a.ScheduledID); !bytes.Equal(img.Data, showJPEG.Data) || img.Format != awapi.ImageJPEG || img.Width != 3 {
		t.Fatalf("image after update %+v", img)
	}
	// Without an image the image stays.
	_, err = st.ChangeScheduledShow(ctx, 10, a.ScheduledID, nil, t0, func(s *awapi.ScheduledShow, up []awapi.ScheduledShow) error {
		s.Title = "Renamed"
		return nil
	})
	must(t, err)
	if img, _ := st.ShowImage(ctx, a.ScheduledID); !bytes.Equal(img.Data, showJPEG.Data) {
		t.Fatalf("image replaced without one: %+v", img)
	}
	// Delete: a refusal keeps the show; otherwise it goes with its image.
	wantCode(t, st.DeleteScheduledShow(ctx, 10, b.ScheduledID, func(s *awapi.ScheduledShow) error { return s.CanDelete(t0) }),
		awapi.KindConflict, "show_not_finished")
	_, err = st.ChangeScheduledShow(ctx, 10, b.ScheduledID, nil, t0, func(s *awapi.ScheduledShow, _ []awapi.ScheduledShow) error { return s.Cancel(t0) })
	must(t, err)
	must(t, st.DeleteScheduledShow(ctx, 10, b.ScheduledID, func(s *awapi.ScheduledShow) error { return s.CanDelete(t0) }))
	_, err = st.ShowImage(ctx, b.ScheduledID)
	wantKind(t, err, awapi.KindNotFound)
	if got, _ := listShows(t, st, awapi.ShowQuery{UserID: 10, Now: t0, IncludeCancelled: true, IncludeFinished: true}); fmt.Sprint(got) != fmt.Sprint([]int64{a.ScheduledID}) {
		t.Fatalf("after delete: %v", got)
	}
	// The slot b had is free again.
	createShow(t, st, newShow(10, 4, 30))
}

// testShowOverlapRace: many requests for overlapping slots of one performer at once: exactly one is
// stored; requests for slots that do not overlap all are.
func testShowOverlapRace(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	const n = 16
	// First shows that do not overlap (back to back), which also opens the pool's connections, so the
	// next round starts together.
	errs := webcamRace(n, func(i int) error {
		s := newShow(11, 20+float64(i), 60)
		_, err := st.CreateScheduledShow(ctx, s, showPNG, t0, slot(s))
		return err
	})
	if won := wins(t, errs); won != n {
		t.Fatalf("%d of %d separate shows stored", won, n)
	}
	errs = webcamRace(n, func(i int) error {
		s := newShow(10, 10+float64(i%4)*0.25, 60) // 10:00, 10:15, 10:30, 10:45 after t0: all overlap
		_, err := st.CreateScheduledShow(ctx, s, showPNG, t0, slot(s))
		return err
	})
	if won := wins(t, errs, "show_overlaps"); won != 1 {
		t.Fatalf("%d overlapping shows stored, want 1", won)
	}
	// Moving several shows into the same free slot at once: one wins.
	ids, _ := listShows(t, st, awapi.ShowQuery{UserID: 11, Now: t0})
	target := awapi.ShowInput{ScheduledDate: t0.Add(100 * time.Hour), EstimatedLengthInMinutes: 30, Title: "Here", Summary: "S", WebcamCategoryID: 1}
	errs = webcamRace(8, func(i int) error {
		_, err := st.ChangeScheduledShow(ctx, 11, ids[i], nil, t0, func(s *awapi.ScheduledShow, up []awapi.ScheduledShow) error {
			return s.Update(&target, "", up, t0)
		})
		return err
	})
	if won := wins(t, errs, "show_overlaps"); won != 1 {
		t.Fatalf("%d shows moved into one slot, want 1", won)
	}
	all, _ := listShows(t, st, awapi.ShowQuery{UserID: 11, Now: t0, Page: awapi.Page{Number: 1, Size: 100}})
	shows, _, err := st.ScheduledShows(ctx, awapi.ShowQuery{UserID: 11, Now: t0, Page: awapi.Page{Number: 1, Size: 100}})
	must(t, err)
	for i := range shows {
		for j := range i {
			if shows[i].Overlaps(&shows[j]) {
				t.Fatalf("shows %d and %d overlap among %v", shows[i].ScheduledID, shows[j].ScheduledID, all)
			}
		}
	}
}

// testInsertScheduledShows: the seeder's shows keep their IDs and images, and later shows are
// numbered after them.
func testInsertScheduledShows(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	a, b := newShow(10, 2, 30), newShow(11, 3, 45)
	a.ScheduledID, b.ScheduledID, b.ImageSafe = 40, 41, true
	b.CancelledAt = t0
	must(t, st.InsertScheduledShows(ctx, []awapi.ScheduledShow{a, b}, []awapi.ShowImage{showPNG, showJPEG}))
	if img, err := st.ShowImage(ctx, 41); err != nil || !bytes.Equal(img.Data, showJPEG.Data) {
		t.Fatalf("image of 41: %+v %v", img, err)
	}
	ss, _, err := st.ScheduledShows(ctx, awapi.ShowQuery{UserID: 11, Now: t0, IncludeCancelled: true, Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	if len(ss) != 1 || !ss[0].ImageSafe || !ss[0].CancelledAt.Equal(t0) || ss[0].Nickname != "Cam11" {
		t.Fatalf("bulk-loaded %+v", ss)
	}
	if next := createShow(t, st, newShow(10, 5, 30)); next.ScheduledID != 42 {
		t.Fatalf("next ScheduledID %d, want 42", next.ScheduledID)
	}
}

// testDirectCamSessions: a session moves its price from the client to the performer through the
// ledger, in one transaction, and never overdraws, however many run at once.
func testDirectCamSessions(t *testing.T, st awapi.Store) {
	directCamSetup(t, st)
	settings := camSettings(10)
	sess, err := awapi.NewDirectCamSession(&settings, 1, awapi.ModePrivate, 10, t0) // 35.00
	must(t, err)
	_, _, err = st.RecordDirectCamSession(ctx, sess, t0)
	wantCode(t, err, awapi.KindConflict, "insufficient_credits")
	if es := ledgerEntries(t, st, 10); len(es) != 0 {
		t.Fatalf("a refused session paid the performer: %+v", es)
	}
	_, err = st.AddCredits(ctx, 1, 10000, "Credits purchased", t0)
	must(t, err)
	got, entries, err := st.RecordDirectCamSession(ctx, sess, t0)
	must(t, err)
	if got.SessionID == 0 || len(entries) != 2 || entries[0].UserID != 1 || entries[0].Amount != -3500 || entries[0].Balance != 6500 ||
		entries[1].UserID != 10 || entries[1].Amount != 3500 || entries[1].Balance != 3500 || entries[0].Description != entries[1].Description {
		t.Fatalf("session %+v, entries %+v", got, entries)
	}
	again, _, err := st.RecordDirectCamSession(ctx, sess, t0)
	must(t, err)
	if again.SessionID <= got.SessionID {
		t.Fatalf("session IDs %d then %d", got.SessionID, again.SessionID)
	}
	unknown := sess
	unknown.ClientID = 99
	_, _, err = st.RecordDirectCamSession(ctx, unknown, t0)
	wantKind(t, err, awapi.KindNotFound)
	wantBalance(t, st, 1, 3000)
	wantBalance(t, st, 10, 7000)
	// 3000 left: of 20 concurrent sessions at 3.50 a minute for 2 minutes (7.00), exactly 4 fit.
	short, err := awapi.NewDirectCamSession(&settings, 1, awapi.ModePrivate, 2, t0)
	must(t, err)
	errs := webcamRace(20, func(int) error {
		_, _, err := st.RecordDirectCamSession(ctx, short, t0)
		return err
	})
	if won := wins(t, errs, "insufficient_credits"); won != 4 {
		t.Fatalf("%d sessions paid from 30.00 at 7.00, want 4", won)
	}
	wantBalance(t, st, 1, 200)
	wantBalance(t, st, 10, 9800)
	ledgerConsistent(t, st, 1, 10)
}
