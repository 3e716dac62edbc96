package httpapi

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// DirectCam (api-v1.md §2.5): a performer's live-cam settings and the shows they schedule. The four
// documented methods and their Group-manager variants, the named getScheduledShowsForUser, and the
// implied cancel and delete of a show. The scope of GetSettings (account_webcam_bookings) is taken for
// every bearer method, as the documentation presumes. The rules live in the domain (awapi/directcam.go
// and awapi/showimage.go); the store applies the overlap rule under the performer's lock.
//
// Where the documentation is silent (each also in the endpoints' text):
//   - GetSettings of a member who never saved settings answers the zero settings with LastUpdated null.
//   - SaveSettings replaces the whole settings, as ASP.NET binding would (a bool not sent is false),
//     and only a member who offers services may save them (409 not_offering_services). A member is
//     DirectCam (IsDirectCam in profiles and search) while their settings offer a free, group or
//     private show; saving settings that offer none switches DirectCam off.
//   - ShowLiveThumbnails is an enumeration: 0 Never, 1 Members, 2 Everyone, sent as the number, the
//     name or a bool (true Everyone, false Never), answered as the number.
//   - ScheduleShow needs DirectCam on (409 directcam_not_enabled). Shows start at most 3 months ahead;
//     a performer has at most 50 upcoming shows. The answer is the show.
//   - A show's Status is Scheduled, Live (between its start and its estimated end), Finished or
//     Cancelled. Only a Scheduled show may be updated or cancelled (409 show_started, show_cancelled);
//     only a Cancelled or Finished one deleted (409 show_not_finished).
//   - The image is served at https://cdn.adultwork.com/images/shows/<ScheduledID>.<jpg|png>;
//     uploaded images are not moderated, so ImageSafe is false and X-MaskImages masks them.

// directCamArea serves DirectCam and its sandbox helpers.
type directCamArea struct {
	members  awapi.MemberReader
	settings awapi.DirectCamSettingsStore
	shows    awapi.ShowStore
	profiles awapi.ProfileReader
	sessions awapi.DirectCamSessionRecorder
}

const directCamNamespace = "API.Models.DirectCam"

func (s *directCamArea) endpoints() []*web.Endpoint {
	ep := func(method, path string, implied bool, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountWebcamBookings, GM: web.WithGM,
			Implied: implied, Summary: summary, XMLNamespace: directCamNamespace}
	}
	helper := func(method, path, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthKey, Sandbox: true, Summary: summary, XMLNamespace: directCamNamespace}
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/DirectCam/GetSettings", false,
			"Your DirectCam settings; the zero settings, with LastUpdated null, until you save some."), s.getSettings),
		web.Handle(ep("POST", "/v1/DirectCam/SaveSettings", false,
			"Replace your DirectCam settings. Settings that offer a free, group or private show make you DirectCam in profiles and search; "+
				"settings that offer none switch it off. Only a member who offers services may save them."), s.saveSettings),
		web.Handle(ep("POST", "/v1/DirectCam/ScheduleShow", false,
			"Schedule a show that overlaps none of your others; needs DirectCam on. Answers the show."), s.scheduleShow),
		web.Handle(ep("PUT", "/v1/DirectCam/UpdateScheduledShow", false,
			"Change a show that has not started; the image only when sent. Answers the show."), s.updateScheduledShow),
		web.Handle(ep("POST", "/v1/DirectCam/CancelScheduledShow", true,
			"Cancel a show that has not started; it stays listed as Cancelled until you delete it."), s.cancelScheduledShow),
		web.Handle(ep("POST", "/v1/DirectCam/DeleteScheduledShow", true,
			"Delete a Cancelled or Finished show, with its image."), s.deleteScheduledShow),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/DirectCam/getScheduledShowsForUser", Auth: web.AuthKey, Implied: true,
			XMLNamespace: directCamNamespace,
			Summary:      "A performer's shows, soonest first: those Scheduled or Live, and on request the Finished and Cancelled ones, paged."},
			s.getScheduledShowsForUser),
		web.Handle(helper("POST", "/v1/Sandbox/DirectCam/RunSession",
			"Mark a paid DirectCam session as having run: the client pays Minutes × the performer's PrivatePPM or GroupPPM, and the "+
				"performer receives it, in one ledger transaction (409 insufficient_credits rather than overdraw)."), s.runSession),
		web.Handle(helper("GET", "/v1/Sandbox/DirectCam/GetShowImage",
			"The image stored for a show, base64-encoded, as the CDN would serve it at ImageURL."), s.getShowImage),
	}
}

type (
	// DirectCamSettings answers GetSettings and SaveSettings: the SaveSettings fields, with the member
	// and when they were saved.
	DirectCamSettings struct {
		UserID                int64
		DoesFree              bool
		AllowGuestFreePreview bool
		FreeTimeMins          int
		FreeTimePeriod        int
		DoesGroup             bool
		GroupPPM              awapi.Credits
		DoesPrivate           bool
		PrivatePPM            awapi.Credits
		ChatOnly              bool
		DoesAudioPrivate      bool
		DoesAudioGroup        bool
		DoesAudioFree         bool
		WebcamCategoryID      int
		ShowLiveThumbnails    int // 0 Never, 1 Members, 2 Everyone
		Title                 string
		LastUpdated           *time.Time // null until saved
	}
	// ScheduledShow is one show, as every DirectCam method answers it.
	ScheduledShow struct {
		ScheduledID              int64
		UserID                   int64
		Nickname                 string
		ScheduledDate            time.Time
		EstimatedLengthInMinutes int
		EndDate                  time.Time // ScheduledDate + EstimatedLengthInMinutes
		Title                    string
		Summary                  string
		Details                  string // BBCode, as sent
		WebcamCategoryID         int
		WebcamCategoryName       string
		ImageSafe                bool
		ImageURL                 string `wire:"image,safe=ImageSafe"`
		Status                   string // Scheduled, Live, Finished or Cancelled
		CreatedDate              time.Time
		LastUpdated              time.Time
		CancelledDate            *time.Time
	}
	// ScheduledShowsOutput answers getScheduledShowsForUser.
	ScheduledShowsOutput struct {
		UserID   int64
		Nickname string
		SizedPaging
		ShowsTotal int
		Shows      []ScheduledShow
	}
	// ScheduledShowDeleteOutput answers DeleteScheduledShow.
	ScheduledShowDeleteOutput struct {
		ScheduledID int64
		Deleted     bool
	}
	// DirectCamSessionOutput answers the sandbox's RunSession.
	DirectCamSessionOutput struct {
		SessionID        int64
		ClientUserID     int64
		PerformerUserID  int64
		Mode             string
		Minutes          int
		PPM              awapi.Credits
		Credits          awapi.Credits // what the client paid and the performer received
		SessionDate      time.Time
		ClientBalance    awapi.Credits // after the session
		PerformerBalance awapi.Credits
	}
	// ShowImageOutput answers the sandbox's GetShowImage.
	ShowImageOutput struct {
		ScheduledID int64
		ContentType string // image/jpeg or image/png
		Width       int
		Height      int
		Image       string // base64
	}
)

type (
	saveDirectCamSettingsReq struct {
		DoesFree              bool          `api:"required" doc:"Free clothed preview chat."`
		AllowGuestFreePreview bool          `api:"required" doc:"Unregistered visitors may use the free preview; needs DoesFree."`
		FreeTimeMins          int           `api:"required,min=0,max=45" doc:"Free minutes per client: 0 (unlimited), 5, 10, 15, 20, 30 or 45; at most FreeTimePeriod when both are set."`
		FreeTimePeriod        int           `api:"required,min=0,max=1440" doc:"The window FreeTimeMins applies to, in minutes: 0 (unlimited), 15, 30, or 60 to 1440 in steps of 60."`
		DoesGroup             bool          `doc:"Group cam at a reduced rate; false when not sent."`
		GroupPPM              awapi.Credits `api:"min=0,max=100" doc:"Credits per minute in group; required, more than 0 and at most PrivatePPM, when DoesGroup is true. Kept when DoesGroup is false."`
		DoesPrivate           bool          `doc:"Private one-to-one; false when not sent."`
		PrivatePPM            awapi.Credits `api:"min=0,max=100" doc:"Credits per minute in private; required, and more than 0, when DoesPrivate is true. Kept when DoesPrivate is false."`
		ChatOnly              bool          `api:"required" doc:"Text chat only: every DoesAudio… must then be false."`
		DoesAudioPrivate      bool          `api:"required"`
		DoesAudioGroup        bool          `api:"required"`
		DoesAudioFree         bool          `api:"required"`
		WebcamCategoryID      int           `api:"required,min=1" doc:"Lists/GetDirectcamCategories."`
		ShowLiveThumbnails    string        `api:"required,maxlen=20" doc:"Who sees live thumbnails: 0 or Never, 1 or Members (signed-in members), 2 or Everyone; true means Everyone and false Never (the aws:ShowLiveThumbnails structure was not captured)."`
		Title                 string        `api:"required,maxlen=50" doc:"Your DirectCam title."`

		settings awapi.DirectCamSettings // built and checked by Validate
	}
	showFields struct {
		ScheduledDate            time.Time `api:"required,format=datetime" doc:"YYYY-MM-dd HH:mm in the server's zone: in the future, at most 3 months ahead, minutes 00, 15, 30 or 45."`
		EstimatedLengthInMinutes int       `api:"required,min=5,max=120" doc:"5, 10, 15, 30, 45, 60, 90 or 120; the show may not overlap another of yours that is not cancelled (see getScheduledShowsForUser)."`
		Title                    string    `api:"required,maxlen=50"`
		WebcamCategoryID         int       `api:"required,min=1" doc:"Lists/GetDirectcamCategories."`
		Summary                  string    `api:"required,maxlen=50" doc:"The theme of the show."`
		Details                  string    `api:"maxlen=5000" doc:"BBCode allowed, stored as sent."`
	}
	scheduleShowReq struct {
		showFields
		Image string `api:"required" doc:"A JPEG or PNG of at most 2 MiB and 2000 pixels a side, base64-encoded (padding optional, line breaks ignored, a data: URL prefix allowed)."`

		input awapi.ShowInput // built and checked by Validate
		image awapi.ShowImage
	}
	updateScheduledShowReq struct {
		ScheduledID int64 `api:"required,min=1" doc:"The show; only one that has not started."`
		showFields
		Image *string `doc:"A new image, as in ScheduleShow; the image stays when this is not sent."`

		input awapi.ShowInput
		image *awapi.ShowImage
	}
	scheduledIDReq struct {
		ScheduledID int64 `api:"required,min=1" doc:"The show."`
	}
	scheduledShowsReq struct {
		UserID           int64  `api:"required,min=1" doc:"The performer."`
		IncludeFinished  bool   `api:"default=false" doc:"Also list the shows whose estimated end has passed."`
		IncludeCancelled bool   `api:"default=false" doc:"Also list the cancelled shows."`
		OrderBy          string `api:"enum=scheduleddate-asc|scheduleddate-desc,default=scheduleddate-asc"`
		PageSize         int    `api:"min=1,max=100,default=50"`
		PageNumber       int    `api:"min=1,default=1"`
	}
	runSessionReq struct {
		ClientUserID    int64  `api:"required,min=1" doc:"The member who watched and pays; top them up with awapi credits add."`
		PerformerUserID int64  `api:"required,min=1" doc:"The performer, whose DirectCam settings must offer Mode."`
		Mode            string `api:"required,enum=private|group" doc:"private pays PrivatePPM, group GroupPPM."`
		Minutes         int    `api:"required,min=1,max=240"`
	}
)

// addInvalid copies the fields a domain check named into v, so one answer names them all.
func addInvalid(v *awapi.Validation, err error) { v.Include(err) }

// Validate reads ShowLiveThumbnails and checks every rule of the settings.
func (r *saveDirectCamSettingsReq) Validate(c *web.Call, v *awapi.Validation) {
	thumbnails, err := awapi.ParseShowLiveThumbnails(r.ShowLiveThumbnails)
	if err != nil {
		v.Addf("ShowLiveThumbnails", "ShowLiveThumbnails %s.", err)
	}
	r.settings = awapi.DirectCamSettings{UserID: c.Caller.ActingUserID, DoesFree: r.DoesFree, AllowGuestFreePreview: r.AllowGuestFreePreview,
		FreeTimeMins: r.FreeTimeMins, FreeTimePeriod: r.FreeTimePeriod, DoesGroup: r.DoesGroup, GroupPPM: r.GroupPPM,
		DoesPrivate: r.DoesPrivate, PrivatePPM: r.PrivatePPM, ChatOnly: r.ChatOnly, DoesAudioPrivate: r.DoesAudioPrivate,
		DoesAudioGroup: r.DoesAudioGroup, DoesAudioFree: r.DoesAudioFree, WebcamCategoryID: r.WebcamCategoryID,
		ShowLiveThumbnails: thumbnails, Title: r.Title, UpdatedAt: awapi.StoredTime(c.Now)}
	addInvalid(v, r.settings.Check())
}

func (f *showFields) input() awapi.ShowInput {
	return awapi.ShowInput{ScheduledDate: f.ScheduledDate, EstimatedLengthInMinutes: f.EstimatedLengthInMinutes, Title: f.Title,
		Summary: f.Summary, Details: f.Details, WebcamCategoryID: f.WebcamCategoryID}
}

// Validate checks the show's fields and decodes its image.
func (r *scheduleShowReq) Validate(c *web.Call, v *awapi.Validation) {
	r.input = r.showFields.input()
	addInvalid(v, r.input.Check(c.Now, c.Loc))
	img, err := awapi.DecodeShowImage("Image", r.Image)
	addInvalid(v, err)
	r.image = img
}

// Validate checks the show's fields and decodes a new image, if one was sent.
func (r *updateScheduledShowReq) Validate(c *web.Call, v *awapi.Validation) {
	r.input = r.showFields.input()
	addInvalid(v, r.input.Check(c.Now, c.Loc))
	if r.Image != nil {
		img, err := awapi.DecodeShowImage("Image", *r.Image)
		addInvalid(v, err)
		r.image = &img
	}
}

func settingsOut(st awapi.DirectCamSettings) DirectCamSettings {
	out := DirectCamSettings{UserID: st.UserID, DoesFree: st.DoesFree, AllowGuestFreePreview: st.AllowGuestFreePreview,
		FreeTimeMins: st.FreeTimeMins, FreeTimePeriod: st.FreeTimePeriod, DoesGroup: st.DoesGroup, GroupPPM: st.GroupPPM,
		DoesPrivate: st.DoesPrivate, PrivatePPM: st.PrivatePPM, ChatOnly: st.ChatOnly, DoesAudioPrivate: st.DoesAudioPrivate,
		DoesAudioGroup: st.DoesAudioGroup, DoesAudioFree: st.DoesAudioFree, WebcamCategoryID: st.WebcamCategoryID,
		ShowLiveThumbnails: int(st.ShowLiveThumbnails), Title: st.Title}
	if !st.UpdatedAt.IsZero() {
		out.LastUpdated = &st.UpdatedAt
	}
	return out
}

// ShowImageURL is where the CDN serves a show's image.
func ShowImageURL(scheduledID int64, format string) string {
	return fmt.Sprintf("https://cdn.adultwork.com/images/shows/%d.%s", scheduledID, awapi.ExtensionOf(format))
}

func showOut(sh *awapi.ScheduledShow, now time.Time) ScheduledShow {
	category, _ := awapi.WebcamCategory(sh.WebcamCategoryID)
	out := ScheduledShow{ScheduledID: sh.ScheduledID, UserID: sh.UserID, Nickname: sh.Nickname, ScheduledDate: sh.ScheduledDate,
		EstimatedLengthInMinutes: sh.EstimatedLengthInMinutes, EndDate: sh.End(), Title: sh.Title, Summary: sh.Summary,
		Details: sh.Details, WebcamCategoryID: sh.WebcamCategoryID, WebcamCategoryName: category, ImageSafe: sh.ImageSafe,
		ImageURL: ShowImageURL(sh.ScheduledID, sh.ImageFormat), Status: string(sh.StatusAt(now)), CreatedDate: sh.CreatedAt,
		LastUpdated: sh.UpdatedAt}
	if !sh.CancelledAt.IsZero() {
		out.CancelledDate = &sh.CancelledAt
	}
	return out
}

func (s *directCamArea) answer(c *web.Call, sh awapi.ScheduledShow, err error) (ScheduledShow, error) {
	if err != nil {
		return ScheduledShow{}, err
	}
	return showOut(&sh, c.Now), nil
}

func (s *directCamArea) getSettings(ctx context.Context, c *web.Call, _ *noParams) (DirectCamSettings, error) {
	st, err := s.settings.DirectCamSettings(ctx, c.Caller.ActingUserID)
	return settingsOut(st), err
}

// performer reads the acting member and checks they may use DirectCam.
func (s *directCamArea) performer(ctx context.Context, c *web.Call) error {
	m, err := s.members.Member(ctx, c.Caller.ActingUserID)
	if err != nil {
		return err
	}
	return awapi.CanSetUpDirectCam(&m)
}

func (s *directCamArea) saveSettings(ctx context.Context, c *web.Call, req *saveDirectCamSettingsReq) (DirectCamSettings, error) {
	if err := s.performer(ctx, c); err != nil {
		return DirectCamSettings{}, err
	}
	st, err := s.settings.SaveDirectCamSettings(ctx, req.settings)
	return settingsOut(st), err
}

func (s *directCamArea) scheduleShow(ctx context.Context, c *web.Call, req *scheduleShowReq) (ScheduledShow, error) {
	if err := s.performer(ctx, c); err != nil {
		return ScheduledShow{}, err
	}
	st, err := s.settings.DirectCamSettings(ctx, c.Caller.ActingUserID)
	if err != nil {
		return ScheduledShow{}, err
	}
	if err := awapi.CanScheduleShows(&st); err != nil {
		return ScheduledShow{}, err
	}
	show := awapi.NewScheduledShow(c.Caller.ActingUserID, &req.input, req.image.Format, c.Now)
	created, err := s.shows.CreateScheduledShow(ctx, show, req.image, c.Now, func(upcoming []awapi.ScheduledShow) error {
		return show.CheckSlot(upcoming, c.Now)
	})
	return s.answer(c, created, err)
}

func (s *directCamArea) updateScheduledShow(ctx context.Context, c *web.Call, req *updateScheduledShowReq) (ScheduledShow, error) {
	format := ""
	if req.image != nil {
		format = req.image.Format
	}
	sh, err := s.shows.ChangeScheduledShow(ctx, c.Caller.ActingUserID, req.ScheduledID, req.image, c.Now,
		func(sh *awapi.ScheduledShow, upcoming []awapi.ScheduledShow) error {
			return sh.Update(&req.input, format, upcoming, c.Now)
		})
	return s.answer(c, sh, err)
}

func (s *directCamArea) cancelScheduledShow(ctx context.Context, c *web.Call, req *scheduledIDReq) (ScheduledShow, error) {
	sh, err := s.shows.ChangeScheduledShow(ctx, c.Caller.ActingUserID, req.ScheduledID, nil, c.Now,
		func(sh *awapi.ScheduledShow, _ []awapi.ScheduledShow) error { return sh.Cancel(c.Now) })
	return s.answer(c, sh, err)
}

func (s *directCamArea) deleteScheduledShow(ctx context.Context, c *web.Call, req *scheduledIDReq) (ScheduledShowDeleteOutput, error) {
	err := s.shows.DeleteScheduledShow(ctx, c.Caller.ActingUserID, req.ScheduledID, func(sh *awapi.ScheduledShow) error {
		return sh.CanDelete(c.Now)
	})
	if err != nil {
		return ScheduledShowDeleteOutput{}, err
	}
	return ScheduledShowDeleteOutput{ScheduledID: req.ScheduledID, Deleted: true}, nil
}

func (s *directCamArea) getScheduledShowsForUser(ctx context.Context, c *web.Call, req *scheduledShowsReq) (ScheduledShowsOutput, error) {
	p, err := activeProfile(ctx, s.profiles, c, req.UserID)
	if err != nil {
		return ScheduledShowsOutput{}, err
	}
	page := awapi.Page{Number: req.PageNumber, Size: req.PageSize}
	shows, total, err := s.shows.ScheduledShows(ctx, awapi.ShowQuery{UserID: p.UserID, IncludeFinished: req.IncludeFinished,
		IncludeCancelled: req.IncludeCancelled, Desc: req.OrderBy == "scheduleddate-desc", Now: c.Now, Page: page})
	if err != nil {
		return ScheduledShowsOutput{}, err
	}
	out := ScheduledShowsOutput{UserID: p.UserID, Nickname: p.Nickname, SizedPaging: sizedPagingOf(total, page), ShowsTotal: total,
		Shows: make([]ScheduledShow, len(shows))}
	for i := range shows {
		out.Shows[i] = showOut(&shows[i], c.Now)
	}
	return out, nil
}

func (s *directCamArea) runSession(ctx context.Context, c *web.Call, req *runSessionReq) (DirectCamSessionOutput, error) {
	st, err := s.settings.DirectCamSettings(ctx, req.PerformerUserID)
	if err != nil {
		return DirectCamSessionOutput{}, err
	}
	sess, err := awapi.NewDirectCamSession(&st, req.ClientUserID, awapi.DirectCamMode(req.Mode), req.Minutes, c.Now)
	if err != nil {
		return DirectCamSessionOutput{}, err
	}
	sess, entries, err := s.sessions.RecordDirectCamSession(ctx, sess, c.Now)
	if err != nil {
		return DirectCamSessionOutput{}, err
	}
	return DirectCamSessionOutput{SessionID: sess.SessionID, ClientUserID: sess.ClientID, PerformerUserID: sess.PerformerID,
		Mode: string(sess.Mode), Minutes: sess.Minutes, PPM: sess.PPM, Credits: sess.Credits, SessionDate: sess.RanAt,
		ClientBalance: entries[0].Balance, PerformerBalance: entries[1].Balance}, nil
}

func (s *directCamArea) getShowImage(ctx context.Context, _ *web.Call, req *scheduledIDReq) (ShowImageOutput, error) {
	img, err := s.shows.ShowImage(ctx, req.ScheduledID)
	if err != nil {
		return ShowImageOutput{}, err
	}
	return ShowImageOutput{ScheduledID: req.ScheduledID, ContentType: "image/" + img.Format, Width: img.Width, Height: img.Height,
		Image: base64.StdEncoding.EncodeToString(img.Data)}, nil
}
