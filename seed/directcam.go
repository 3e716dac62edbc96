package seed

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// DirectCam data (migration 00014): every performer the profile stream made DirectCam (about 30% of
// webcam performers) gets DirectCam settings that offer a show, so IsDirectCam and the settings agree;
// about half of them have scheduled shows: one to three in the next three weeks, and sometimes one
// that finished in the last fortnight. Two demo performers are always DirectCam, with fixed settings
// and shows (demoDirectCam). Everything draws from a stream of its own, so adding it left every
// other generated value unchanged.

// directCamKey tells the DirectCam stream apart (keyed like the contact stream; see contactKey).
const directCamKey = 0xd1ec7ca3d1ec7ca3

// demoDirectCamIDs are the demo performers who are always DirectCam: SandboxPerformer, and AgencyAmber
// (in group 1, so the manager's Group-manager variants have a member to act for).
var demoDirectCamIDs = map[int64]bool{2: true, 4: true}

// directCamStream points the generator's random source at member id's DirectCam stream.
func (g *generator) directCamStream(id int64) *rand.Rand {
	h := mix(hash(g.seed, id, streamMember) ^ directCamKey)
	g.pcg.Seed(h, mix(h^0xda3e39cb94b95bdb))
	return g.r
}

// showImages are the seeded shows' images: a small flat PNG per DirectCam category, made once.
var showImages = func() map[int]awapi.ShowImage {
	out := map[int]awapi.ShowImage{}
	for _, c := range refdata.DirectcamCategories() {
		img := image.NewNRGBA(image.Rect(0, 0, 64, 36))
		shade := color.NRGBA{R: uint8(40 + 19*c.ID), G: uint8(200 - 13*c.ID), B: uint8(90 + 11*c.ID), A: 255}
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = shade.R, shade.G, shade.B, shade.A
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			panic(err)
		}
		out[c.ID] = awapi.ShowImage{Format: awapi.ImagePNG, Width: 64, Height: 36, Data: b.Bytes()}
	}
	return out
}()

var (
	directCamTitles = []string{"Live and chatty", "Late-night cam", "Come and say hello", "Relaxed evenings on cam",
		"Fun, flirty and friendly", "Your favourite cam company", "Live most evenings", "Chat, laughs and more"}
	showTitles = []string{"Friday night in", "Sunday chill-out", "Midweek pick-me-up", "Late show", "Happy hour",
		"Dress-up party", "Workout together", "Q&A and chat", "Music request night", "Cosy evening"}
	showSummaries = []string{"Chat and requests", "Dancing to your playlist", "Cosplay: you pick the character",
		"A gentle workout", "Questions answered live", "New outfits, your votes", "Games and giggles", "Karaoke, badly"}
	showDetails = []string{"", "", "[b]All welcome[/b], come early for a good seat.",
		"Bring your questions: [i]nothing is off the table[/i].", "Tips decide the next song.",
		"[u]Group show[/u]: join from the start for the best bits."}
)

// directCam gives member m DirectCam settings and shows when they are DirectCam, appending them to
// the batch. The demo performers in demoDirectCamIDs are made DirectCam first.
func (g *generator) directCam(m *awapi.Member, b *batch) {
	if demoDirectCamIDs[m.UserID] {
		m.IsDirectCam = true
		settings, shows := g.demoDirectCam(m)
		b.directCams = append(b.directCams, settings)
		b.addShows(g, shows)
		return
	}
	if !m.IsDirectCam {
		return
	}
	r := g.directCamStream(m.UserID)
	s := awapi.DirectCamSettings{UserID: m.UserID, DoesFree: r.Float64() < 0.7, DoesGroup: r.Float64() < 0.5,
		DoesPrivate: r.Float64() < 0.85, WebcamCategoryID: 1 + r.IntN(len(refdata.DirectcamCategories())),
		ShowLiveThumbnails: awapi.ShowLiveThumbnails(r.IntN(3)), Title: directCamTitles[r.IntN(len(directCamTitles))],
		UpdatedAt: g.now.Add(-time.Duration(1+r.IntN(60*24)) * time.Hour).Truncate(time.Second)}
	if !s.Enabled() {
		s.DoesPrivate = true
	}
	s.AllowGuestFreePreview = s.DoesFree && r.Float64() < 0.6
	s.FreeTimeMins = awapi.FreeTimeMinsValues[r.IntN(len(awapi.FreeTimeMinsValues))]
	s.FreeTimePeriod = awapi.FreeTimePeriodValues[r.IntN(len(awapi.FreeTimePeriodValues))]
	if s.FreeTimePeriod != 0 && s.FreeTimeMins > s.FreeTimePeriod {
		s.FreeTimePeriod = 60
	}
	s.PrivatePPM = awapi.Credits(100 + 25*r.IntN(17)) // 1.00 to 5.00 in quarters
	if s.DoesGroup || r.Float64() < 0.3 {
		s.GroupPPM = max(50, s.PrivatePPM*awapi.Credits(40+r.IntN(41))/100/5*5) // 40-80% of private, to 0.05
	}
	if !s.DoesPrivate && r.Float64() < 0.5 {
		s.PrivatePPM = 0
	}
	s.ChatOnly = r.Float64() < 0.1
	if !s.ChatOnly {
		s.DoesAudioPrivate, s.DoesAudioGroup, s.DoesAudioFree = r.Float64() < 0.7, r.Float64() < 0.5, r.Float64() < 0.3
	}
	b.directCams = append(b.directCams, s)
	if r.Float64() >= 0.5 {
		return
	}
	var shows []awapi.ScheduledShow
	if r.Float64() < 0.3 { // one that finished in the last fortnight
		start := g.quarterHour(g.now.Add(-time.Duration(1+r.IntN(14))*day), 17+r.IntN(6), r.IntN(4)*15)
		shows = append(shows, g.show(m, r, &s, start))
	}
	start := g.quarterHour(g.now.Add(time.Duration(1+r.IntN(7))*day), 17+r.IntN(6), r.IntN(4)*15)
	for range 1 + r.IntN(3) {
		sh := g.show(m, r, &s, start)
		shows = append(shows, sh)
		start = g.quarterHour(sh.End().Add(time.Duration(1+r.IntN(4))*day), 17+r.IntN(6), r.IntN(4)*15)
	}
	b.addShows(g, shows)
}

// quarterHour is hour:minute in the server's zone on the calendar day of t.
func (g *generator) quarterHour(t time.Time, hour, minute int) time.Time {
	local := t.In(g.loc)
	return time.Date(local.Year(), local.Month(), local.Day(), hour, minute, 0, 0, g.loc).UTC()
}

// show is a generated show of m's starting at start, announced some days before it (never after now).
func (g *generator) show(m *awapi.Member, r *rand.Rand, s *awapi.DirectCamSettings, start time.Time) awapi.ScheduledShow {
	category := s.WebcamCategoryID
	if r.Float64() < 0.3 {
		category = 1 + r.IntN(len(refdata.DirectcamCategories()))
	}
	created := earlier(g.now, start).Add(-time.Duration(1+r.IntN(5*24)) * time.Hour).Truncate(time.Minute)
	return awapi.ScheduledShow{UserID: m.UserID, Nickname: m.Nickname, ScheduledDate: start,
		EstimatedLengthInMinutes: awapi.ShowLengths[3+r.IntN(len(awapi.ShowLengths)-3)], // 30 minutes or more
		Title:                    showTitles[r.IntN(len(showTitles))], Summary: showSummaries[r.IntN(len(showSummaries))],
		Details: showDetails[r.IntN(len(showDetails))], WebcamCategoryID: category, ImageFormat: awapi.ImagePNG,
		ImageSafe: r.Float64() < 0.5, CreatedAt: created, UpdatedAt: created}
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// addShows numbers shows in generation order (the seed is generated in member order, so the IDs are
// the same for a seed whatever the batch size) and appends them with their images.
func (b *batch) addShows(g *generator, shows []awapi.ScheduledShow) {
	for _, sh := range shows {
		g.showID++
		sh.ScheduledID = g.showID
		b.shows = append(b.shows, sh)
		b.showImages = append(b.showImages, showImages[sh.WebcamCategoryID])
	}
}

// demoDirectCam is a demo performer's fixed DirectCam: SandboxPerformer offers every mode, with two
// upcoming shows and one that finished yesterday; AgencyAmber offers private shows only, with one
// show in two days.
func (g *generator) demoDirectCam(m *awapi.Member) (awapi.DirectCamSettings, []awapi.ScheduledShow) {
	updated := g.now.Add(-3 * day).Truncate(time.Hour)
	at := func(days, hour, minute int) time.Time { return g.quarterHour(g.now.AddDate(0, 0, days), hour, minute) }
	show := func(start time.Time, length int, title, summary, details string, category int, safe bool) awapi.ScheduledShow {
		created := earlier(g.now, start).Add(-2 * day).Truncate(time.Hour)
		return awapi.ScheduledShow{UserID: m.UserID, Nickname: m.Nickname, ScheduledDate: start, EstimatedLengthInMinutes: length,
			Title: title, Summary: summary, Details: details, WebcamCategoryID: category, ImageFormat: awapi.ImagePNG,
			ImageSafe: safe, CreatedAt: created, UpdatedAt: created}
	}
	if m.UserID == 2 {
		return awapi.DirectCamSettings{UserID: 2, DoesFree: true, AllowGuestFreePreview: true, FreeTimeMins: 10, FreeTimePeriod: 60,
				DoesGroup: true, GroupPPM: 150, DoesPrivate: true, PrivatePPM: 300, DoesAudioPrivate: true, DoesAudioGroup: true,
				WebcamCategoryID: 1, ShowLiveThumbnails: awapi.ThumbnailsEveryone, Title: "SandboxPerformer live from Manchester",
				UpdatedAt: updated},
			[]awapi.ScheduledShow{
				show(at(-1, 20, 0), 45, "Last night's chat", "Chat and requests", "", 1, true),
				show(at(1, 20, 0), 60, "Friday night in", "Chat and requests", "[b]All welcome[/b]: free preview for the first 10 minutes.", 1, true),
				show(at(3, 21, 30), 30, "Music request night", "Karaoke, badly", "Tips decide the next song.", 10, false),
			}
	}
	return awapi.DirectCamSettings{UserID: m.UserID, DoesPrivate: true, PrivatePPM: 250, DoesAudioPrivate: true,
			WebcamCategoryID: 2, ShowLiveThumbnails: awapi.ThumbnailsMembers, Title: fmt.Sprintf("%s dances", m.Nickname),
			UpdatedAt: updated},
		[]awapi.ScheduledShow{show(at(2, 19, 0), 45, "Dance floor", "Dancing to your playlist", "", 2, false)}
}
