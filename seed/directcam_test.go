package seed

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

const (
	directCamSettingsQuery = `SELECT user_id, does_free, allow_guest_free_preview, free_time_mins, free_time_period, does_group,
		group_ppm, does_private, private_ppm, chat_only, does_audio_private, does_audio_group, does_audio_free,
		webcam_category_id, show_live_thumbnails, title, updated_at FROM directcam_settings WHERE user_id <= ? ORDER BY user_id`
	showsQuery = `SELECT s.scheduled_id, s.user_id, s.scheduled_date, s.length_minutes, s.end_at, s.title, s.summary, s.details,
		s.webcam_category_id, s.image_format, s.image_safe, s.created_at, s.updated_at, s.cancelled_at, i.width, i.height, i.data
		FROM directcam_shows s JOIN directcam_show_images i ON i.scheduled_id = s.scheduled_id
		WHERE s.user_id <= ? ORDER BY s.scheduled_id`
)

// TestDirectCamData: every DirectCam performer, and only they, has settings that offer a show, which
// pass every rule; about half have shows, which pass the rules, never overlap and carry real images;
// the shares are realistic; the demo performers' DirectCam is fixed; the data is deterministic.
func TestDirectCamData(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db, ctx := st.SQL(), context.Background()
	for what, query := range map[string]string{
		"DirectCam members without settings": `SELECT COUNT(*) FROM members m WHERE m.is_directcam
			AND NOT EXISTS (SELECT 1 FROM directcam_settings d WHERE d.user_id = m.user_id)`,
		"settings of members not DirectCam": `SELECT COUNT(*) FROM directcam_settings d JOIN members m ON m.user_id = d.user_id
			WHERE NOT m.is_directcam`,
		"settings offering no show":         `SELECT COUNT(*) FROM directcam_settings WHERE NOT (does_free OR does_group OR does_private)`,
		"shows of performers not DirectCam": `SELECT COUNT(*) FROM directcam_shows s JOIN members m ON m.user_id = s.user_id WHERE NOT m.is_directcam`,
		"shows without an image":            `SELECT COUNT(*) FROM directcam_shows s WHERE NOT EXISTS (SELECT 1 FROM directcam_show_images i WHERE i.scheduled_id = s.scheduled_id)`,
	} {
		if n := count(t, db, query); n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}
	webcam := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND is_webcam`)
	directCam := count(t, db, `SELECT COUNT(*) FROM members WHERE is_directcam`)
	withShows := count(t, db, `SELECT COUNT(DISTINCT user_id) FROM directcam_shows`)
	for _, share := range []struct {
		what     string
		n, of    int
		min, max float64
	}{
		{"webcam performers on DirectCam", directCam, webcam, 0.2, 0.4},
		{"DirectCam performers with shows", withShows, directCam, 0.35, 0.65},
	} {
		if p := float64(share.n) / float64(share.of); p < share.min || p > share.max {
			t.Errorf("%s: %d of %d (%.2f), want %.2f-%.2f", share.what, share.n, share.of, p, share.min, share.max)
		}
	}

	rows, err := db.Query(`SELECT user_id FROM directcam_settings ORDER BY user_id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	upcoming := 0
	for _, id := range ids {
		s := must(st.DirectCamSettings(ctx, id))
		if err := s.Check(); err != nil {
			t.Fatalf("settings of %d: %v (%+v)", id, err, s)
		}
		shows, _, err := st.ScheduledShows(ctx, awapi.ShowQuery{UserID: id, Now: testNow, IncludeFinished: true, Page: awapi.Page{Number: 1, Size: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range shows {
			sh := &shows[i]
			for j := range i {
				if sh.Overlaps(&shows[j]) {
					t.Fatalf("shows %d and %d of %d overlap", sh.ScheduledID, shows[j].ScheduledID, id)
				}
			}
			if sh.CreatedAt.After(testNow) || sh.CreatedAt.After(sh.ScheduledDate) {
				t.Fatalf("show %d announced at %v", sh.ScheduledID, sh.CreatedAt)
			}
			if sh.StatusAt(testNow) != awapi.ShowScheduled {
				continue
			}
			upcoming++
			in := awapi.ShowInput{ScheduledDate: sh.ScheduledDate, EstimatedLengthInMinutes: sh.EstimatedLengthInMinutes,
				Title: sh.Title, Summary: sh.Summary, Details: sh.Details, WebcamCategoryID: sh.WebcamCategoryID}
			if err := in.Check(testNow, time.UTC); err != nil {
				t.Fatalf("show %d: %v", sh.ScheduledID, err)
			}
			img := must(st.ShowImage(ctx, sh.ScheduledID))
			if got, err := awapi.DecodeShowImage("Image", base64.StdEncoding.EncodeToString(img.Data)); err != nil ||
				got.Format != img.Format || got.Width != img.Width || got.Height != img.Height {
				t.Fatalf("image of show %d: %+v %v", sh.ScheduledID, got, err)
			}
		}
	}
	if total := count(t, db, `SELECT COUNT(*) FROM directcam_shows`); upcoming < total/2 {
		t.Errorf("%d of %d shows upcoming", upcoming, total)
	}

	// The demo performers' DirectCam does not depend on the seed; the rest does, deterministically.
	again, _ := seeded(t, 1000, 5)
	other, _ := seeded(t, 1000, 6)
	for _, q := range []string{directCamSettingsQuery, showsQuery} {
		if digest(t, again.SQL(), q, 1000) != digest(t, db, q, 1000) {
			t.Errorf("same seed, different data: %s", q)
		}
		if digest(t, other.SQL(), q, 1000) == digest(t, db, q, 1000) {
			t.Errorf("a different seed gave the same data: %s", q)
		}
		fixed := strings.Replace(q, "user_id <= ?", "user_id IN (2, 4)", 1)
		if digest(t, other.SQL(), fixed) != digest(t, db, fixed) {
			t.Errorf("the demo performers' DirectCam depends on the seed: %s", q)
		}
	}
	for _, id := range []int64{2, 4} {
		if m := must(st.Member(ctx, id)); !m.IsDirectCam {
			t.Errorf("demo %d is not DirectCam", id)
		}
	}
	if s := must(st.DirectCamSettings(ctx, 2)); s.Title != "SandboxPerformer live from Manchester" || s.PrivatePPM != 300 || s.GroupPPM != 150 {
		t.Errorf("SandboxPerformer's settings %+v", s)
	}
	shows, total, err := st.ScheduledShows(ctx, awapi.ShowQuery{UserID: 2, Now: testNow, Page: awapi.Page{Number: 1, Size: 10}})
	if err != nil || total != 2 || !shows[0].ScheduledDate.Equal(time.Date(2026, 3, 19, 20, 0, 0, 0, time.UTC)) {
		t.Errorf("SandboxPerformer's upcoming shows %+v %v", shows, err)
	}
	if _, total, _ := st.ScheduledShows(ctx, awapi.ShowQuery{UserID: 2, Now: testNow, IncludeFinished: true, Page: awapi.Page{Number: 1, Size: 10}}); total != 3 {
		t.Errorf("SandboxPerformer has %d shows, want 3", total)
	}
}

// TestDirectCamBatching: show IDs are given in member order, so the batch size changes nothing.
func TestDirectCamBatching(t *testing.T) {
	defer func(n int) { batchSize = n }(batchSize)
	batchSize = 64
	small, _ := seeded(t, 400, 9)
	batchSize = 5000
	large, _ := seeded(t, 400, 9)
	for _, q := range []string{directCamSettingsQuery, showsQuery} {
		if digest(t, small.SQL(), q, 400) != digest(t, large.SQL(), q, 400) {
			t.Errorf("batch size changed %s", q)
		}
	}
}
