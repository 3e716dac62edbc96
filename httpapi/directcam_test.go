package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/reftest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// directCamFixture is the fixture with room for images in a body (the server's default 8 MiB, not the
// fixture's 64 KiB), as a sandbox or not, and a client member 20 who offers no services.
func directCamFixture(t *testing.T, open func(testing.TB) *sqlstore.DB, sandbox bool) *fixture {
	t.Helper()
	f := newFixture(t, open)
	f.srv = newAPI(f.St, web.Config{Location: testdb.London, Clock: f.Clock, Sandbox: sandbox})
	f.Handler = f.srv
	client := storetest.NewMember(20, "Seeker")
	client.UserTypeID = awapi.UserTypeSeeking
	if err := f.St.InsertMembers(context.Background(), []awapi.Member{client}); err != nil {
		t.Fatal(err)
	}
	return f
}

func forDirectCamEngines(t *testing.T, sandbox bool, fn func(t *testing.T, f *fixture)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, directCamFixture(t, e.Open, sandbox)) })
	}
}

func pngImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegImage(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func b64(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

// camSettingsBody is a valid SaveSettings body offering free, group and private shows.
func camSettingsBody(extra obj) obj {
	b := obj{"DoesFree": true, "AllowGuestFreePreview": true, "FreeTimeMins": 10, "FreeTimePeriod": 60, "DoesGroup": true,
		"GroupPPM": "1.50", "DoesPrivate": true, "PrivatePPM": 3, "ChatOnly": false, "DoesAudioPrivate": true,
		"DoesAudioGroup": false, "DoesAudioFree": false, "WebcamCategoryID": 2, "ShowLiveThumbnails": "Members", "Title": "Evenings live"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// showAt is the wire form of the time d after the fixture clock, in the server's zone.
func showAt(f *fixture, d time.Duration) string {
	return f.Clock.Now().Add(d).In(testdb.London).Format("2006-01-02 15:04")
}

// showBody is a valid ScheduleShow body for a show starting d from now.
func showBody(t testing.TB, f *fixture, d time.Duration, length int, extra obj) obj {
	b := obj{"ScheduledDate": showAt(f, d), "EstimatedLengthInMinutes": length, "Title": "Late show", "WebcamCategoryID": 4,
		"Summary": "Fitness", "Details": "[b]Bring water[/b]", "Image": b64(pngImage(t, 16, 9))}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

type settingsView struct {
	DirectCamSettings
	LastUpdated *string
}

type showView struct {
	ScheduledShow
	ScheduledDate, EndDate, CreatedDate, LastUpdated string
	CancelledDate                                    *string
}

type showsView struct {
	ScheduledShowsOutput
	Shows []showView
}

// enableDirectCam saves settings offering every mode for user.
func enableDirectCam(t *testing.T, f *fixture, user int64) {
	t.Helper()
	if s := f.call(user, "POST", "/v1/DirectCam/SaveSettings", camSettingsBody(nil), nil); s != 200 {
		t.Fatalf("SaveSettings for %d: %d %+v", user, s, f.lastError)
	}
}

func schedule(t *testing.T, f *fixture, user int64, body obj) showView {
	t.Helper()
	var v showView
	if s := f.call(user, "POST", "/v1/DirectCam/ScheduleShow", body, &v); s != 200 {
		t.Fatalf("ScheduleShow: %d %+v", s, f.lastError)
	}
	return v
}

func profileIsDirectCam(t *testing.T, f *fixture, user int64) bool {
	t.Helper()
	w := f.Do("GET", fmt.Sprintf("/v1/Profile/getProfileDetails?UserID=%d", user), "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	var v struct{ Profile struct{ IsDirectCam bool } }
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	w = f.Do("GET", "/v1/Search/SearchProfiles?ProfilesPerPage=100", "", f.WithKey()...)
	var page struct {
		Profiles []struct {
			UserID      int64
			IsDirectCam bool
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Profiles {
		if p.UserID == user && p.IsDirectCam != v.Profile.IsDirectCam {
			t.Fatalf("search says IsDirectCam %v, the profile %v", p.IsDirectCam, v.Profile.IsDirectCam)
		}
	}
	return v.Profile.IsDirectCam
}

// TestDirectCamSettings: GetSettings and SaveSettings in both formats, IsDirectCam following them in
// profiles and search, the performer rule, the scope and the Group-manager variants.
func TestDirectCamSettings(t *testing.T) {
	forDirectCamEngines(t, false, func(t *testing.T, f *fixture) {
		var got settingsView
		if s := f.call(3, "GET", "/v1/DirectCam/GetSettings", nil, &got); s != 200 || got.UserID != 3 || got.LastUpdated != nil ||
			got.DoesFree || got.Title != "" || got.WebcamCategoryID != 0 {
			t.Fatalf("never saved: %d %+v", s, got)
		}
		if profileIsDirectCam(t, f, 3) {
			t.Fatal("DirectCam before any settings")
		}
		var saved settingsView
		if s := f.call(3, "POST", "/v1/DirectCam/SaveSettings", camSettingsBody(nil), &saved); s != 200 {
			t.Fatalf("SaveSettings: %d %+v", s, f.lastError)
		}
		f.call(3, "GET", "/v1/DirectCam/GetSettings", nil, &got)
		want := DirectCamSettings{UserID: 3, DoesFree: true, AllowGuestFreePreview: true, FreeTimeMins: 10, FreeTimePeriod: 60,
			DoesGroup: true, GroupPPM: 150, DoesPrivate: true, PrivatePPM: 300, DoesAudioPrivate: true, WebcamCategoryID: 2,
			ShowLiveThumbnails: 1, Title: "Evenings live"}
		if got.DirectCamSettings != want || saved.DirectCamSettings != want || got.LastUpdated == nil || *got.LastUpdated != f.local(f.Clock.Now()) {
			t.Fatalf("read back %+v (saved %+v), want %+v", got, saved, want)
		}
		if !profileIsDirectCam(t, f, 3) {
			t.Fatal("not DirectCam after saving settings that offer shows")
		}
		xmlGet(t, f, f.userTokens[3], "GET", "/v1/DirectCam/GetSettings", "",
			`<DirectCamSettings xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectCam">`,
			`<GroupPPM>1.50</GroupPPM>`, `<ShowLiveThumbnails>1</ShowLiveThumbnails>`, `<Title>Evenings live</Title>`)

		// Saving replaces everything: a bool left out is false. Offering nothing switches DirectCam off.
		off := camSettingsBody(obj{"DoesFree": false, "AllowGuestFreePreview": false, "DoesGroup": nil, "DoesPrivate": nil})
		delete(off, "DoesGroup")
		delete(off, "DoesPrivate")
		if s := f.call(3, "POST", "/v1/DirectCam/SaveSettings", off, &saved); s != 200 || saved.DoesGroup || saved.DoesPrivate ||
			saved.GroupPPM != 150 || saved.PrivatePPM != 300 {
			t.Fatalf("off: %d %+v %+v", s, saved, f.lastError)
		}
		if profileIsDirectCam(t, f, 3) {
			t.Fatal("still DirectCam with nothing offered")
		}

		// Only performers; the scope; the Group-manager variants for the manager's own members only.
		if s := f.call(20, "POST", "/v1/DirectCam/SaveSettings", camSettingsBody(nil), nil); s != 409 || f.lastError.Code != "not_offering_services" {
			t.Fatalf("a client saving settings: %d %+v", s, f.lastError)
		}
		if w := f.Do("GET", "/v1/DirectCam/GetSettings", "", f.Bearer("noscope")...); w.Code != 403 {
			t.Fatalf("without the scope: %d", w.Code)
		}
		body := camSettingsBody(obj{"UserID": 3, "Title": "Set by my manager", "ShowLiveThumbnails": true})
		if s := f.call(2, "POST", "/v1/Groups/DirectCam/SaveSettings", body, &saved); s != 200 || saved.UserID != 3 ||
			saved.Title != "Set by my manager" || saved.ShowLiveThumbnails != 2 {
			t.Fatalf("GM SaveSettings: %d %+v %+v", s, saved, f.lastError)
		}
		if s := f.call(2, "GET", "/v1/Groups/DirectCam/GetSettings?UserID=3", nil, &got); s != 200 || got.Title != "Set by my manager" {
			t.Fatalf("GM GetSettings: %d %+v", s, got)
		}
		if s := f.call(2, "GET", "/v1/DirectCam/GetSettings", nil, &got); s != 200 || got.UserID != 2 || got.LastUpdated != nil {
			t.Fatalf("the manager's own settings changed: %+v", got)
		}
		if s := f.call(2, "GET", "/v1/Groups/DirectCam/GetSettings?UserID=4", nil, nil); s != 404 {
			t.Fatalf("GM for another group's member: %d", s)
		}
		if s := f.call(1, "GET", "/v1/Groups/DirectCam/GetSettings?UserID=3", nil, nil); s != 403 && s != 404 {
			t.Fatalf("GM path for a non-manager: %d", s)
		}
	})
}

// TestSaveDirectCamSettingsRules: every rule of SaveSettings at the wire, each a 400 naming its field.
func TestSaveDirectCamSettingsRules(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, false)
	tests := []struct {
		name  string
		body  obj
		field string // "" means accepted
	}{
		{"valid", camSettingsBody(nil), ""},
		{"FreeTimeMins not a documented value", camSettingsBody(obj{"FreeTimeMins": 7}), "FreeTimeMins"},
		{"FreeTimeMins over 45", camSettingsBody(obj{"FreeTimeMins": 60}), "FreeTimeMins"},
		{"FreeTimePeriod not hourly", camSettingsBody(obj{"FreeTimePeriod": 90}), "FreeTimePeriod"},
		{"FreeTimePeriod of a day", camSettingsBody(obj{"FreeTimePeriod": 1440}), ""},
		{"cap over its window", camSettingsBody(obj{"FreeTimeMins": 30, "FreeTimePeriod": 15}), "FreeTimeMins"},
		{"group without a rate", camSettingsBody(obj{"GroupPPM": nil}), "GroupPPM"},
		{"private at 0", camSettingsBody(obj{"PrivatePPM": 0}), "PrivatePPM"},
		{"group dearer than private", camSettingsBody(obj{"GroupPPM": "3.01"}), "GroupPPM"},
		{"rate over 100", camSettingsBody(obj{"DoesPrivate": false, "PrivatePPM": "100.01"}), "PrivatePPM"},
		{"rate with three decimals", camSettingsBody(obj{"PrivatePPM": "3.001"}), "PrivatePPM"},
		{"chat only with audio", camSettingsBody(obj{"ChatOnly": true}), "DoesAudioPrivate"},
		{"guest preview without free", camSettingsBody(obj{"DoesFree": false}), "AllowGuestFreePreview"},
		{"unknown category", camSettingsBody(obj{"WebcamCategoryID": 12}), "WebcamCategoryID"},
		{"title too long", camSettingsBody(obj{"Title": strings.Repeat("x", 51)}), "Title"},
		{"title missing", camSettingsBody(obj{"Title": " "}), "Title"},
		{"thumbnails unknown", camSettingsBody(obj{"ShowLiveThumbnails": "sometimes"}), "ShowLiveThumbnails"},
		{"thumbnails out of range", camSettingsBody(obj{"ShowLiveThumbnails": 3}), "ShowLiveThumbnails"},
		{"thumbnails as a number", camSettingsBody(obj{"ShowLiveThumbnails": 0}), ""},
		{"DoesFree missing", camSettingsBody(obj{"DoesFree": nil}), "DoesFree"},
		{"ChatOnly missing", camSettingsBody(obj{"ChatOnly": nil}), "ChatOnly"},
		{"DoesAudioFree missing", camSettingsBody(obj{"DoesAudioFree": nil}), "DoesAudioFree"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			for k, v := range body {
				if v == nil {
					delete(body, k)
				}
			}
			s := f.call(3, "POST", "/v1/DirectCam/SaveSettings", body, nil)
			if tc.field == "" {
				if s != 200 {
					t.Fatalf("refused: %d %+v", s, f.lastError)
				}
				return
			}
			wantField(t, f, 400, s, tc.field, "")
		})
	}
	// One answer names every offending field.
	s := f.call(3, "POST", "/v1/DirectCam/SaveSettings", camSettingsBody(obj{"FreeTimeMins": 7, "WebcamCategoryID": 99, "ShowLiveThumbnails": "x"}), nil)
	wantField(t, f, 400, s, "FreeTimeMins", "")
	if len(f.lastError.ModelState["WebcamCategoryID"]) == 0 || len(f.lastError.ModelState["ShowLiveThumbnails"]) == 0 {
		t.Fatalf("not every field named: %+v", f.lastError)
	}
	// A form body works too.
	w := f.Do("POST", "/v1/DirectCam/SaveSettings", "DoesFree=true&AllowGuestFreePreview=false&FreeTimeMins=0&FreeTimePeriod=0&ChatOnly=true"+
		"&DoesAudioPrivate=false&DoesAudioGroup=false&DoesAudioFree=false&WebcamCategoryID=1&ShowLiveThumbnails=Never&Title=Form",
		"Authorization", "bearer "+f.userTokens[3], "Content-Type", "application/x-www-form-urlencoded")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"Title":"Form"`) {
		t.Fatalf("form: %d %s", w.Code, w.Body)
	}
}

// TestScheduleShow: a show needs DirectCam on; it is answered in both formats with its image URL,
// masked under X-MaskImages; overlapping shows are refused, also when sent at once; the image is kept
// as sent; the Group-manager variant schedules for the member.
func TestScheduleShow(t *testing.T) {
	forDirectCamEngines(t, true, func(t *testing.T, f *fixture) {
		body := showBody(t, f, 24*time.Hour, 60, nil)
		if s := f.call(3, "POST", "/v1/DirectCam/ScheduleShow", body, nil); s != 409 || f.lastError.Code != "directcam_not_enabled" {
			t.Fatalf("without DirectCam: %d %+v", s, f.lastError)
		}
		if s := f.call(20, "POST", "/v1/DirectCam/ScheduleShow", body, nil); s != 409 || f.lastError.Code != "not_offering_services" {
			t.Fatalf("a client: %d %+v", s, f.lastError)
		}
		enableDirectCam(t, f, 3)
		v := schedule(t, f, 3, body)
		start := f.Clock.Now().Add(24 * time.Hour)
		if v.ScheduledID == 0 || v.UserID != 3 || v.Nickname != "MemberOne" || v.ScheduledDate != f.local(start) ||
			v.EndDate != f.local(start.Add(time.Hour)) || v.EstimatedLengthInMinutes != 60 || v.Title != "Late show" ||
			v.Summary != "Fitness" || v.Details != "[b]Bring water[/b]" || v.WebcamCategoryID != 4 || v.WebcamCategoryName != "Fitness" ||
			v.ImageSafe || v.ImageURL != fmt.Sprintf("https://cdn.adultwork.com/images/shows/%d.png", v.ScheduledID) ||
			v.Status != "Scheduled" || v.CreatedDate != f.local(f.Clock.Now()) || v.CancelledDate != nil {
			t.Fatalf("scheduled %+v", v)
		}
		// The image is kept as sent (the sandbox serves it).
		var img ShowImageOutput
		w := f.Do("GET", fmt.Sprintf("/v1/Sandbox/DirectCam/GetShowImage?ScheduledID=%d", v.ScheduledID), "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		if err := json.Unmarshal(w.Body.Bytes(), &img); err != nil || img.ContentType != "image/png" || img.Width != 16 ||
			img.Height != 9 || img.Image != body["Image"] {
			t.Fatalf("image %+v %v", img, err)
		}
		// Overlaps are refused; a show may start as another ends.
		if s := f.call(3, "POST", "/v1/DirectCam/ScheduleShow", showBody(t, f, 24*time.Hour+45*time.Minute, 30, nil), nil); s != 409 ||
			f.lastError.Code != "show_overlaps" || !strings.Contains(f.lastError.Message, fmt.Sprint(v.ScheduledID)) {
			t.Fatalf("overlap: %d %+v", s, f.lastError)
		}
		next := schedule(t, f, 3, showBody(t, f, 25*time.Hour, 15, obj{"Image": b64(jpegImage(t, 8, 8))}))
		if !strings.HasSuffix(next.ImageURL, ".jpg") {
			t.Fatalf("JPEG show %+v", next)
		}
		// XML, and masking: the image is not judged safe.
		w = f.Do("POST", "/v1/DirectCam/ScheduleShow", mustJSON(showBody(t, f, 30*time.Hour, 30, nil)),
			"Authorization", "bearer "+f.userTokens[3], "Accept", "application/xml", "X-MaskImages", "1")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `<ScheduledShow xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectCam">`) ||
			!strings.Contains(w.Body.String(), "<ImageURL>"+web.MaskedImageURL+"</ImageURL>") || !strings.Contains(w.Body.String(), `<CancelledDate i:nil="true"/>`) {
			t.Fatalf("XML: %d %s", w.Code, w.Body)
		}
		// Ten requests for overlapping slots at once: one show is stored.
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		tok := f.userTokens[3]
		for i := range 10 {
			wg.Go(func() {
				w := f.Do("POST", "/v1/DirectCam/ScheduleShow", mustJSON(showBody(t, f, 48*time.Hour+time.Duration(i%4)*15*time.Minute, 60, nil)),
					"Authorization", "bearer "+tok)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case w.Code == 200:
					wins++
				case w.Code != 409 || !strings.Contains(w.Body.String(), "show_overlaps"):
					t.Errorf("racing ScheduleShow: %d %s", w.Code, w.Body)
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d of 10 overlapping shows stored", wins)
		}
		// The Group manager schedules for member 3; the manager's own shows are untouched.
		gm := schedule(t, f, 2, showBody(t, f, 72*time.Hour, 30, obj{"UserID": 3}))
		if gm.UserID != 3 {
			t.Fatalf("GM ScheduleShow made %+v", gm)
		}
		if s := f.call(2, "POST", "/v1/Groups/DirectCam/ScheduleShow", showBody(t, f, 96*time.Hour, 30, obj{"UserID": 4}), nil); s != 404 {
			t.Fatalf("GM for another group's member: %d", s)
		}
	})
}

// TestScheduleShowRules: every rule of a show's fields and image at the wire.
func TestScheduleShowRules(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, false)
	enableDirectCam(t, f, 3)
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	pngData := pngImage(t, 16, 9)
	bomb := pngImage(t, 1, 1)
	// The header now says 30000×30000 (with its checksum mended); the data is still one pixel's.
	copy(bomb[16:24], []byte{0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	tests := []struct {
		name  string
		body  obj
		field string
	}{
		{"in the past", showBody(t, f, -time.Hour, 60, nil), "ScheduledDate"},
		{"not on a quarter hour", showBody(t, f, 24*time.Hour+10*time.Minute, 60, nil), "ScheduledDate"},
		{"with seconds", showBody(t, f, 24*time.Hour, 60, obj{"ScheduledDate": showAt(f, 24*time.Hour) + ":30"}), "ScheduledDate"},
		{"beyond three months", showBody(t, f, 24*time.Hour*93, 60, nil), "ScheduledDate"},
		{"not a date", showBody(t, f, 24*time.Hour, 60, obj{"ScheduledDate": "tomorrow"}), "ScheduledDate"},
		{"length not allowed", showBody(t, f, 24*time.Hour, 20, nil), "EstimatedLengthInMinutes"},
		{"length too long", showBody(t, f, 24*time.Hour, 180, nil), "EstimatedLengthInMinutes"},
		{"title too long", showBody(t, f, 24*time.Hour, 60, obj{"Title": strings.Repeat("t", 51)}), "Title"},
		{"no summary", showBody(t, f, 24*time.Hour, 60, obj{"Summary": ""}), "Summary"},
		{"summary too long", showBody(t, f, 24*time.Hour, 60, obj{"Summary": strings.Repeat("s", 51)}), "Summary"},
		{"details too long", showBody(t, f, 24*time.Hour, 60, obj{"Details": strings.Repeat("d", 5001)}), "Details"},
		{"unknown category", showBody(t, f, 24*time.Hour, 60, obj{"WebcamCategoryID": 42}), "WebcamCategoryID"},
		{"no image", showBody(t, f, 24*time.Hour, 60, obj{"Image": ""}), "Image"},
		{"a GIF", showBody(t, f, 24*time.Hour, 60, obj{"Image": b64(gifData.Bytes())}), "Image"},
		{"bad base64", showBody(t, f, 24*time.Hour, 60, obj{"Image": "not*base64"}), "Image"},
		{"over 2 MiB", showBody(t, f, 24*time.Hour, 60, obj{"Image": b64(append(pngData, make([]byte, awapi.MaxShowImageBytes)...))}), "Image"},
		{"too large a picture", showBody(t, f, 24*time.Hour, 60, obj{"Image": b64(pngImage(t, 2001, 1))}), "Image"},
		{"a bomb's header", showBody(t, f, 24*time.Hour, 60, obj{"Image": b64(bomb)}), "Image"},
		{"a damaged PNG", showBody(t, f, 24*time.Hour, 60, obj{"Image": b64(pngData[:len(pngData)-20])}), "Image"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := f.call(3, "POST", "/v1/DirectCam/ScheduleShow", tc.body, nil)
			wantField(t, f, 400, s, tc.field, "")
		})
	}
	s := f.call(3, "POST", "/v1/DirectCam/ScheduleShow", showBody(t, f, time.Minute, 7, obj{"Image": "x"}), nil)
	wantField(t, f, 400, s, "ScheduledDate", "")
	if len(f.lastError.ModelState["EstimatedLengthInMinutes"]) == 0 || len(f.lastError.ModelState["Image"]) == 0 {
		t.Fatalf("not every field named: %+v", f.lastError)
	}
	if !strings.Contains(f.lastError.ModelState["Image"][0], "base64") {
		t.Fatalf("image message %q", f.lastError.ModelState["Image"])
	}
	// Nothing was stored.
	w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3&IncludeFinished=true&IncludeCancelled=true", "", f.WithKey()...)
	if !strings.Contains(w.Body.String(), `"ShowsTotal":0`) {
		t.Fatalf("refused shows stored: %s", w.Body)
	}
}

// TestChangeScheduledShows: UpdateScheduledShow (image optional), CancelScheduledShow and
// DeleteScheduledShow with their preconditions, and their Group-manager variants.
func TestChangeScheduledShows(t *testing.T) {
	forDirectCamEngines(t, true, func(t *testing.T, f *fixture) {
		enableDirectCam(t, f, 3)
		enableDirectCam(t, f, 1)
		a := schedule(t, f, 3, showBody(t, f, 24*time.Hour, 60, nil))
		b := schedule(t, f, 3, showBody(t, f, 26*time.Hour, 30, nil))
		theirs := schedule(t, f, 1, showBody(t, f, 24*time.Hour, 60, nil))
		update := func(user int64, path string, id int64, d time.Duration, length int, extra obj) (showView, int) {
			body := showBody(t, f, d, length, extra)
			delete(body, "Image")
			if img, ok := extra["Image"]; ok {
				body["Image"] = img
			}
			body["ScheduledID"] = id
			var v showView
			return v, f.call(user, "PUT", path, body, &v)
		}
		// Without an image the image stays; with one it is replaced.
		v, s := update(3, "/v1/DirectCam/UpdateScheduledShow", a.ScheduledID, 24*time.Hour+15*time.Minute, 90, obj{"Title": "Moved"})
		if s != 200 || v.Title != "Moved" || v.ScheduledDate != f.local(f.Clock.Now().Add(24*time.Hour+15*time.Minute)) ||
			v.EstimatedLengthInMinutes != 90 || v.ImageURL != a.ImageURL || v.CreatedDate != a.CreatedDate {
			t.Fatalf("update: %d %+v %+v", s, v, f.lastError)
		}
		// 24:15 + 90 min overlaps b at 26:00? No: it ends at 25:45. Moving it to 25:30 does.
		if _, s := update(3, "/v1/DirectCam/UpdateScheduledShow", a.ScheduledID, 25*time.Hour+30*time.Minute, 60, nil); s != 409 ||
			f.lastError.Code != "show_overlaps" {
			t.Fatalf("update into b: %d %+v", s, f.lastError)
		}
		jpegData := b64(jpegImage(t, 10, 20))
		if v, s = update(3, "/v1/DirectCam/UpdateScheduledShow", a.ScheduledID, 24*time.Hour, 60, obj{"Image": jpegData}); s != 200 ||
			!strings.HasSuffix(v.ImageURL, ".jpg") {
			t.Fatalf("new image: %d %+v", s, v)
		}
		w := f.Do("GET", fmt.Sprintf("/v1/Sandbox/DirectCam/GetShowImage?ScheduledID=%d", a.ScheduledID), "", f.WithKey()...)
		if !strings.Contains(w.Body.String(), `"Image":"`+jpegData+`"`) || !strings.Contains(w.Body.String(), `"ContentType":"image/jpeg"`) {
			t.Fatalf("replaced image: %s", w.Body)
		}
		if _, s := update(3, "/v1/DirectCam/UpdateScheduledShow", a.ScheduledID, 24*time.Hour, 60, obj{"Image": "R0lGODlh"}); s != 400 ||
			len(f.lastError.ModelState["Image"]) == 0 {
			t.Fatalf("update with a GIF: %d %+v", s, f.lastError)
		}
		// Another performer's show is not found, for every operation.
		if _, s := update(3, "/v1/DirectCam/UpdateScheduledShow", theirs.ScheduledID, 30*time.Hour, 60, nil); s != 404 {
			t.Fatalf("updating another's show: %d", s)
		}
		for _, op := range []string{"CancelScheduledShow", "DeleteScheduledShow"} {
			if s := f.call(3, "POST", "/v1/DirectCam/"+op, obj{"ScheduledID": theirs.ScheduledID}, nil); s != 404 {
				t.Fatalf("%s of another's show: %d", op, s)
			}
		}
		// Delete needs a cancelled or finished show; cancel needs one that has not started.
		if s := f.call(3, "POST", "/v1/DirectCam/DeleteScheduledShow", obj{"ScheduledID": b.ScheduledID}, nil); s != 409 || f.lastError.Code != "show_not_finished" {
			t.Fatalf("deleting an upcoming show: %d %+v", s, f.lastError)
		}
		var c showView
		if s := f.call(3, "POST", "/v1/DirectCam/CancelScheduledShow", obj{"ScheduledID": b.ScheduledID}, &c); s != 200 || c.Status != "Cancelled" ||
			c.CancelledDate == nil || *c.CancelledDate != f.local(f.Clock.Now()) {
			t.Fatalf("cancel: %d %+v %+v", s, c, f.lastError)
		}
		if s := f.call(3, "POST", "/v1/DirectCam/CancelScheduledShow", obj{"ScheduledID": b.ScheduledID}, nil); s != 409 || f.lastError.Code != "show_cancelled" {
			t.Fatalf("cancel twice: %d %+v", s, f.lastError)
		}
		if _, s := update(3, "/v1/DirectCam/UpdateScheduledShow", b.ScheduledID, 40*time.Hour, 60, nil); s != 409 || f.lastError.Code != "show_cancelled" {
			t.Fatalf("update a cancelled show: %d %+v", s, f.lastError)
		}
		// The cancelled slot is free again.
		schedule(t, f, 3, showBody(t, f, 26*time.Hour, 30, nil))
		var del ScheduledShowDeleteOutput
		if s := f.call(3, "POST", "/v1/DirectCam/DeleteScheduledShow", obj{"ScheduledID": b.ScheduledID}, &del); s != 200 || !del.Deleted ||
			del.ScheduledID != b.ScheduledID {
			t.Fatalf("delete: %d %+v %+v", s, del, f.lastError)
		}
		if s := f.call(3, "POST", "/v1/DirectCam/DeleteScheduledShow", obj{"ScheduledID": b.ScheduledID}, nil); s != 404 {
			t.Fatalf("delete twice: %d", s)
		}
		// Once a show has started it can neither change nor be cancelled, and once it has finished it
		// can be deleted.
		f.Clock.Advance(24*time.Hour + time.Minute)
		const q = 14 * time.Minute // from now on, now is a minute past a quarter hour
		if _, s := update(3, "/v1/DirectCam/UpdateScheduledShow", a.ScheduledID, 40*time.Hour+q, 60, nil); s != 409 || f.lastError.Code != "show_started" {
			t.Fatalf("update a live show: %d %+v", s, f.lastError)
		}
		if s := f.call(3, "POST", "/v1/DirectCam/CancelScheduledShow", obj{"ScheduledID": a.ScheduledID}, nil); s != 409 || f.lastError.Code != "show_started" {
			t.Fatalf("cancel a live show: %d %+v", s, f.lastError)
		}
		var page showsView
		w = f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3", "", f.WithKey()...)
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Shows[0].ScheduledID != a.ScheduledID || page.Shows[0].Status != "Live" {
			t.Fatalf("live show listed as %s", w.Body)
		}
		f.Clock.Advance(time.Hour)
		if s := f.call(3, "POST", "/v1/DirectCam/DeleteScheduledShow", obj{"ScheduledID": a.ScheduledID}, nil); s != 200 {
			t.Fatalf("delete a finished show: %d %+v", s, f.lastError)
		}
		// The Group-manager variants act for member 3 only.
		c3 := schedule(t, f, 3, showBody(t, f, 24*time.Hour+q, 30, nil))
		if v, s := update(2, "/v1/Groups/DirectCam/UpdateScheduledShow", c3.ScheduledID, 24*time.Hour+q, 45, obj{"UserID": 3, "Title": "By GM"}); s != 200 ||
			v.Title != "By GM" || v.UserID != 3 {
			t.Fatalf("GM update: %d %+v %+v", s, v, f.lastError)
		}
		if _, s := update(2, "/v1/Groups/DirectCam/UpdateScheduledShow", theirs.ScheduledID, 24*time.Hour+q, 45, obj{"UserID": 1}); s != 404 {
			t.Fatalf("GM update for a member outside the group: %d", s)
		}
		if s := f.call(2, "POST", "/v1/Groups/DirectCam/CancelScheduledShow", obj{"UserID": 3, "ScheduledID": c3.ScheduledID}, nil); s != 200 {
			t.Fatalf("GM cancel: %d %+v", s, f.lastError)
		}
		if s := f.call(2, "POST", "/v1/Groups/DirectCam/DeleteScheduledShow", obj{"UserID": 3, "ScheduledID": c3.ScheduledID}, nil); s != 200 {
			t.Fatalf("GM delete: %d %+v", s, f.lastError)
		}
	})
}

// TestGetScheduledShowsForUser: public (API key, or a token in its place), soonest first, filtered,
// ordered and paged; an unknown member is a 404.
func TestGetScheduledShowsForUser(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, false)
	enableDirectCam(t, f, 3)
	var ids []int64
	for i := range 5 {
		ids = append(ids, schedule(t, f, 3, showBody(t, f, time.Duration(i+1)*time.Hour, 30, nil)).ScheduledID)
	}
	if s := f.call(3, "POST", "/v1/DirectCam/CancelScheduledShow", obj{"ScheduledID": ids[4]}, nil); s != 200 {
		t.Fatal(s)
	}
	f.Clock.Advance(125 * time.Minute) // show 0 has finished, show 1 is live
	list := func(query string) showsView {
		t.Helper()
		w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?"+query, "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		var v showsView
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	got := func(v showsView) string {
		var out []string
		for _, s := range v.Shows {
			out = append(out, fmt.Sprintf("%d:%s", s.ScheduledID-ids[0], s.Status))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ query, want string }{
		{"UserID=3", "1:Live 2:Scheduled 3:Scheduled"},
		{"userid=3&includefinished=true", "0:Finished 1:Live 2:Scheduled 3:Scheduled"},
		{"UserID=3&IncludeCancelled=true&OrderBy=scheduleddate-desc", "4:Cancelled 3:Scheduled 2:Scheduled 1:Live"},
		{"UserID=3&IncludeCancelled=true&IncludeFinished=true&PageSize=2&PageNumber=3", "4:Cancelled"},
		{"UserID=1", ""},
	} {
		if v := list(tc.query); got(v) != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got(v), tc.want)
		}
	}
	v := list("UserID=3&PageSize=2")
	if v.UserID != 3 || v.Nickname != "MemberOne" || v.ShowsTotal != 3 || v.PageCount != 2 || v.PageSize != 2 || v.PageNumber != 1 {
		t.Fatalf("page %+v", v.ScheduledShowsOutput)
	}
	if w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=999", "", f.WithKey()...); w.Code != 404 {
		t.Fatalf("unknown member: %d", w.Code)
	}
	if w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3", ""); w.Code != 401 {
		t.Fatalf("without a key: %d", w.Code)
	}
	if w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3", "", "Authorization", "bearer "+f.Mint(1)); w.Code != 200 {
		t.Fatalf("with a token instead of the key: %d", w.Code)
	}
	for _, bad := range []string{"", "UserID=3&OrderBy=title", "UserID=3&PageSize=101", "UserID=0"} {
		if w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?"+bad, "", f.WithKey()...); w.Code != 400 {
			t.Errorf("%q: %d", bad, w.Code)
		}
	}
	w := f.Do("GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3", "", f.WithKey("Accept", "application/xml")...)
	if !strings.Contains(w.Body.String(), `<ScheduledShowsOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectCam">`) ||
		!strings.Contains(w.Body.String(), "<Shows><ScheduledShow>") || !strings.Contains(w.Body.String(), "<Status>Live</Status>") {
		t.Fatalf("XML: %s", w.Body)
	}
}

type sessionView struct {
	DirectCamSessionOutput
	SessionDate string
}

// TestDirectCamRunSession: the sandbox's RunSession charges the client and pays the performer through
// the ledger, refuses rather than overdraw, and exists only on a sandbox.
func TestDirectCamRunSession(t *testing.T) {
	forDirectCamEngines(t, true, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		enableDirectCam(t, f, 3)
		run := func(body obj, out any) int {
			t.Helper()
			w := f.Do("POST", "/v1/Sandbox/DirectCam/RunSession", mustJSON(body), f.WithKey()...)
			if w.Code == 200 && out != nil {
				if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
					t.Fatal(err)
				}
			}
			if w.Code != 200 {
				f.lastError = apitest.ReadError(t, w)
			}
			return w.Code
		}
		session := obj{"ClientUserID": 20, "PerformerUserID": 3, "Mode": "private", "Minutes": 12}
		if s := run(session, nil); s != 409 || f.lastError.Code != "insufficient_credits" {
			t.Fatalf("without credits: %d %+v", s, f.lastError)
		}
		if _, err := f.St.AddCredits(ctx, 20, 5000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		var v sessionView
		if s := run(session, &v); s != 200 || v.SessionID == 0 || v.PPM != 300 || v.Credits != 3600 || v.ClientBalance != 1400 ||
			v.PerformerBalance != 3600 || v.Mode != "private" || v.SessionDate != f.local(f.Clock.Now()) {
			t.Fatalf("private session: %d %+v %+v", s, v, f.lastError)
		}
		if s := run(obj{"ClientUserID": 20, "PerformerUserID": 3, "Mode": "GROUP", "Minutes": 2}, &v); s != 200 || v.Credits != 300 || v.Mode != "group" {
			t.Fatalf("group session: %d %+v", s, v)
		}
		if s := run(session, nil); s != 409 || f.lastError.Code != "insufficient_credits" {
			t.Fatalf("beyond the balance: %d %+v", s, f.lastError)
		}
		wantBalance(t, f, 20, "11.00")
		wantBalance(t, f, 3, "39.00")
		for _, id := range []int64{20, 3} {
			bal, _ := f.St.CreditBalance(ctx, id)
			if sum, _ := f.St.LedgerSum(ctx, id); sum != bal {
				t.Fatalf("member %d: balance %s, ledger %s", id, bal, sum)
			}
		}
		var hist creditHistoryView
		if s := f.call(3, "GET", "/v1/CreditHistory/GetCreditsHistory", nil, &hist); s != 200 || len(hist.CreditHistory) != 2 ||
			!strings.Contains(hist.CreditHistory[0].Description, "DirectCam private session") {
			t.Fatalf("performer's history: %d %+v", s, hist)
		}
		// The performer's modes, the members, the minutes.
		if _, err := f.St.SaveDirectCamSettings(ctx, awapi.DirectCamSettings{UserID: 4, DoesFree: true, WebcamCategoryID: 1, Title: "Free only"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			body   obj
			status int
			code   string
		}{
			{obj{"ClientUserID": 20, "PerformerUserID": 4, "Mode": "private", "Minutes": 1}, 409, "mode_not_offered"},
			{obj{"ClientUserID": 20, "PerformerUserID": 999, "Mode": "private", "Minutes": 1}, 404, "not_found"},
			{obj{"ClientUserID": 999, "PerformerUserID": 3, "Mode": "private", "Minutes": 1}, 404, "not_found"},
			{obj{"ClientUserID": 3, "PerformerUserID": 3, "Mode": "private", "Minutes": 1}, 400, "invalid_request"},
			{obj{"ClientUserID": 20, "PerformerUserID": 3, "Mode": "free", "Minutes": 1}, 400, "invalid_request"},
			{obj{"ClientUserID": 20, "PerformerUserID": 3, "Mode": "private", "Minutes": 241}, 400, "invalid_request"},
		} {
			if s := run(tc.body, nil); s != tc.status || f.lastError.Code != tc.code {
				t.Errorf("%v: %d %+v", tc.body, s, f.lastError)
			}
		}
		w := f.Do("POST", "/v1/Sandbox/DirectCam/RunSession", mustJSON(obj{"ClientUserID": 20, "PerformerUserID": 3, "Mode": "group", "Minutes": 1}),
			f.WithKey("Accept", "application/xml")...)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "<DirectCamSessionOutput") || !strings.Contains(w.Body.String(), "<Credits>1.50</Credits>") {
			t.Fatalf("XML: %d %s", w.Code, w.Body)
		}
	})
}

// TestDirectCamSandboxHelpersOnlyInSandbox: a production server answers 404 for the helpers and leaves
// them out of its reference; a sandbox describes them under the Sandbox tag, with samples that pass
// their rules.
func TestDirectCamSandboxHelpersOnlyInSandbox(t *testing.T) {
	for _, sandbox := range []bool{false, true} {
		f := directCamFixture(t, testdbSQLite, sandbox)
		for _, call := range []struct{ method, path string }{
			{"POST", "/v1/Sandbox/DirectCam/RunSession"}, {"GET", "/v1/Sandbox/DirectCam/GetShowImage?ScheduledID=1"},
		} {
			w := f.Do(call.method, call.path, "", f.WithKey()...)
			if sandbox && w.Code == 404 && strings.Contains(w.Body.String(), "no_such_method") || !sandbox && w.Code != 404 {
				t.Errorf("sandbox %v: %s %s = %d %s", sandbox, call.method, call.path, w.Code, w.Body)
			}
		}
		doc, raw := reftest.OpenAPI(t, f.srv)
		for _, path := range []string{"/v1/Sandbox/DirectCam/RunSession", "/v1/Sandbox/DirectCam/GetShowImage"} {
			op := reftest.At(doc, "paths", path)
			if (op != nil) != sandbox {
				t.Errorf("sandbox %v: %s described: %v", sandbox, path, op != nil)
			}
		}
		if sandbox {
			if tags := reftest.At(doc, "paths", "/v1/Sandbox/DirectCam/RunSession", "post", "tags", "0"); tags != "Sandbox" ||
				!strings.Contains(string(raw), `"x-sandbox": true`) {
				t.Errorf("RunSession tagged %v", tags)
			}
			if err := f.srv.CheckSamples(); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestDirectCamXML: every DirectCam answer in XML, under its root element and the DirectCam namespace.
func TestDirectCamXML(t *testing.T) {
	f := directCamFixture(t, testdbSQLite, true)
	enableDirectCam(t, f, 3)
	show := schedule(t, f, 3, showBody(t, f, 24*time.Hour, 30, nil))
	update := showBody(t, f, 24*time.Hour, 45, obj{"ScheduledID": show.ScheduledID})
	delete(update, "Image")
	ns := ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectCam">`
	tok := f.userTokens[3]
	for _, tc := range []struct {
		method, target string
		body           any
		root           string
		key            bool
	}{
		{"GET", "/v1/DirectCam/GetSettings", nil, "DirectCamSettings", false},
		{"POST", "/v1/DirectCam/SaveSettings", camSettingsBody(nil), "DirectCamSettings", false},
		{"POST", "/v1/DirectCam/ScheduleShow", showBody(t, f, 48*time.Hour, 30, nil), "ScheduledShow", false},
		{"PUT", "/v1/DirectCam/UpdateScheduledShow", update, "ScheduledShow", false},
		{"POST", "/v1/DirectCam/CancelScheduledShow", obj{"ScheduledID": show.ScheduledID}, "ScheduledShow", false},
		{"POST", "/v1/DirectCam/DeleteScheduledShow", obj{"ScheduledID": show.ScheduledID}, "ScheduledShowDeleteOutput", false},
		{"GET", "/v1/DirectCam/getScheduledShowsForUser?UserID=3", nil, "ScheduledShowsOutput", true},
		{"GET", "/v1/Sandbox/DirectCam/GetShowImage?ScheduledID=" + fmt.Sprint(show.ScheduledID+1), nil, "ShowImageOutput", true},
	} {
		headers := []string{"Authorization", "bearer " + tok, "Accept", "application/xml"}
		if tc.key {
			headers = f.WithKey("Accept", "application/xml")
		}
		body := ""
		if tc.body != nil {
			body = mustJSON(tc.body)
		}
		w := f.Do(tc.method, tc.target, body, headers...)
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `<?xml version="1.0" encoding="utf-8"?><`+tc.root+ns) {
			t.Errorf("%s %s: %d %s", tc.method, tc.target, w.Code, w.Body)
		}
	}
}
