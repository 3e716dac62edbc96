package awapi

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awapi/awapi/refdata"
)

// DirectCam (api-v1.md §2.5): a performer's live-cam settings and the shows they schedule. The rules
// here are the documented ones and, where the documentation is silent, the project's (each says so);
// the store applies them under a lock on the performer, so the checks and the writes cannot race.

// The documented allowed values (api-v1.md §2.5, §3.1).
var (
	// FreeTimeMinsValues caps the free minutes per client; 0 is unlimited.
	FreeTimeMinsValues = []int{0, 5, 10, 15, 20, 30, 45}
	// FreeTimePeriodValues is the window, in minutes, that FreeTimeMins applies to; 0 is unlimited.
	// The documentation lists 240 twice; the list is 0, 15, 30, then 60 to 1440 in hourly steps.
	FreeTimePeriodValues = freeTimePeriods()
	// ShowLengths are the allowed EstimatedLengthInMinutes of a scheduled show.
	ShowLengths = []int{5, 10, 15, 30, 45, 60, 90, 120}
)

func freeTimePeriods() []int {
	out := []int{0, 15, 30}
	for m := 60; m <= 1440; m += 60 {
		out = append(out, m)
	}
	return out
}

// The project's limits where the documentation gives none.
const (
	MaxDirectCamTitle  = 50              // SaveSettings Title: the documented limit of a show's Title
	MaxPPM             = Credits(100_00) // credits per minute, group or private
	MaxShowTitle       = 50              // documented
	MaxShowSummary     = 50              // documented
	MaxShowDetails     = 5000            // BBCode, stored as sent; as Account/Update's Details
	MaxShowAheadMonths = 3               // a show starts at most this far ahead, as a webcam session
	MaxUpcomingShows   = 50              // shows not cancelled and not finished, per performer
	ShowSlotMinutes    = 15              // ScheduledDate minutes are 00, 15, 30 or 45 (documented)
	MaxSessionMinutes  = 240             // the sandbox's RunSession
)

// ShowLiveThumbnails says who sees live thumbnails of the performer's cam. The documentation names
// the type (aws:ShowLiveThumbnails) without its structure; the project makes it an enumeration
// answered as its number, and reads the number, the name (any case) or a bool (true: Everyone,
// false: Never), which covers what a client is likely to send.
type ShowLiveThumbnails int

const (
	ThumbnailsNever    ShowLiveThumbnails = iota // no live thumbnails
	ThumbnailsMembers                            // shown to signed-in members only
	ThumbnailsEveryone                           // shown to everyone, guests included
)

var thumbnailNames = []string{"Never", "Members", "Everyone"}

func (t ShowLiveThumbnails) String() string {
	if t >= 0 && int(t) < len(thumbnailNames) {
		return thumbnailNames[t]
	}
	return strconv.Itoa(int(t))
}

// ParseShowLiveThumbnails reads ShowLiveThumbnails in any of the forms it accepts.
func ParseShowLiveThumbnails(s string) (ShowLiveThumbnails, error) {
	s = strings.TrimSpace(s)
	for i, name := range thumbnailNames {
		if strings.EqualFold(s, name) || s == strconv.Itoa(i) {
			return ShowLiveThumbnails(i), nil
		}
	}
	switch strings.ToLower(s) {
	case "true":
		return ThumbnailsEveryone, nil
	case "false":
		return ThumbnailsNever, nil
	}
	return 0, fmt.Errorf("must be 0 (Never), 1 (Members) or 2 (Everyone), as a number, a name or a bool")
}

// DirectCamSettings are a performer's DirectCam settings (SaveSettings, GetSettings).
type DirectCamSettings struct {
	UserID                int64
	DoesFree              bool // free clothed preview chat
	AllowGuestFreePreview bool // unregistered visitors may use the free preview
	FreeTimeMins          int  // free minutes per client within FreeTimePeriod; 0 unlimited
	FreeTimePeriod        int  // minutes; 0 unlimited
	DoesGroup             bool
	GroupPPM              Credits // credits per minute; kept when DoesGroup is false
	DoesPrivate           bool
	PrivatePPM            Credits
	ChatOnly              bool // text chat only
	DoesAudioPrivate      bool
	DoesAudioGroup        bool
	DoesAudioFree         bool
	WebcamCategoryID      int
	ShowLiveThumbnails    ShowLiveThumbnails
	Title                 string
	UpdatedAt             time.Time // zero: never saved
}

// Enabled reports whether the settings offer a show of any kind (free, group or private): that is
// what makes a member DirectCam (IsDirectCam in profiles and search), so saving settings that offer
// none switches DirectCam off.
func (s *DirectCamSettings) Enabled() bool { return s.DoesFree || s.DoesGroup || s.DoesPrivate }

// Check applies every rule of SaveSettings, naming each offending field.
func (s *DirectCamSettings) Check() error {
	var v Validation
	if !slices.Contains(FreeTimeMinsValues, s.FreeTimeMins) {
		v.Addf("FreeTimeMins", "FreeTimeMins must be one of %s.", joinInts(FreeTimeMinsValues))
	}
	if !slices.Contains(FreeTimePeriodValues, s.FreeTimePeriod) {
		v.Addf("FreeTimePeriod", "FreeTimePeriod must be 0 (unlimited), 15, 30, or 60 to 1440 in steps of 60.")
	}
	// The project's rule: a cap larger than its window is meaningless.
	if !v.Has("FreeTimeMins") && !v.Has("FreeTimePeriod") && s.FreeTimeMins > 0 && s.FreeTimePeriod > 0 && s.FreeTimeMins > s.FreeTimePeriod {
		v.Addf("FreeTimeMins", "FreeTimeMins (%d) must not exceed FreeTimePeriod (%d).", s.FreeTimeMins, s.FreeTimePeriod)
	}
	checkPPM(&v, "GroupPPM", "DoesGroup", s.GroupPPM, s.DoesGroup)
	checkPPM(&v, "PrivatePPM", "DoesPrivate", s.PrivatePPM, s.DoesPrivate)
	// "Group cam at a reduced rate" (documented): the group rate may not exceed the private one.
	if s.DoesGroup && s.DoesPrivate && !v.Has("GroupPPM") && !v.Has("PrivatePPM") && s.GroupPPM > s.PrivatePPM {
		v.Addf("GroupPPM", "GroupPPM (%s) must not exceed PrivatePPM (%s): group cam is at a reduced rate.", s.GroupPPM, s.PrivatePPM)
	}
	// The project's reading of "text chat only": no audio in any mode.
	if s.ChatOnly {
		for _, a := range []struct {
			field string
			on    bool
		}{{"DoesAudioFree", s.DoesAudioFree}, {"DoesAudioGroup", s.DoesAudioGroup}, {"DoesAudioPrivate", s.DoesAudioPrivate}} {
			if a.on {
				v.Addf(a.field, "%s must be false when ChatOnly is true (text chat only).", a.field)
			}
		}
	}
	if s.AllowGuestFreePreview && !s.DoesFree {
		v.Addf("AllowGuestFreePreview", "AllowGuestFreePreview needs DoesFree: guests can only use a free preview you offer.")
	}
	CheckWebcamCategory(&v, s.WebcamCategoryID)
	checkText(&v, "Title", s.Title, MaxDirectCamTitle, true)
	if s.ShowLiveThumbnails < ThumbnailsNever || s.ShowLiveThumbnails > ThumbnailsEveryone {
		v.Addf("ShowLiveThumbnails", "ShowLiveThumbnails must be 0 (Never), 1 (Members) or 2 (Everyone).")
	}
	return v.Err()
}

func checkPPM(v *Validation, field, flag string, ppm Credits, offered bool) {
	switch {
	case ppm < 0 || ppm > MaxPPM:
		v.Addf(field, "%s must be between 0 and %s credits per minute.", field, MaxPPM)
	case offered && ppm == 0:
		v.Addf(field, "%s is required, and more than 0, when %s is true.", field, flag)
	}
}

// checkText checks a required (or optional) single text against its maximum length in characters.
func checkText(v *Validation, field, s string, maxLen int, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case required && strings.TrimSpace(s) == "":
		v.Addf(field, "%s is required.", field)
	case n > maxLen:
		v.Addf(field, "%s must be at most %d characters long.", field, maxLen)
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// CheckWebcamCategory reports whether id is a DirectCam category (Lists/GetDirectcamCategories),
// naming WebcamCategoryID in v when it is not.
func CheckWebcamCategory(v *Validation, id int) bool {
	if _, ok := WebcamCategory(id); !ok {
		v.Addf("WebcamCategoryID", "WebcamCategoryID %d is not a DirectCam category (see Lists/GetDirectcamCategories).", id)
		return false
	}
	return true
}

// WebcamCategory returns the name of a DirectCam category.
func WebcamCategory(id int) (string, bool) {
	for _, it := range refdata.DirectcamCategories() {
		if it.ID == id {
			return it.Name, true
		}
	}
	return "", false
}

// CanSetUpDirectCam reports why a member may not save DirectCam settings or schedule shows: only a
// member who offers services (a performer) may (the project's rule; the documentation calls DirectCam
// the performer's live cam).
func CanSetUpDirectCam(m *Member) error {
	if m.UserTypeID != UserTypeOffering {
		return Conflict("not_offering_services", "Only a member who offers services can use DirectCam (Account/UpdateServices IsOfferingServices).")
	}
	return nil
}

// CanScheduleShows reports why a performer with these settings may not schedule a show: DirectCam
// must be on (Enabled), which is also what makes them DirectCam in profiles.
func CanScheduleShows(s *DirectCamSettings) error {
	if !s.Enabled() {
		return Conflict("directcam_not_enabled",
			"Scheduling a show needs DirectCam settings that offer a free, group or private show (DirectCam/SaveSettings).")
	}
	return nil
}

// ShowStatus is a scheduled show's state as the API shows it. Only cancellation is stored; the rest
// follows from the clock, so every instance sees a show start and finish at the same moment.
type ShowStatus string

const (
	ShowScheduled ShowStatus = "Scheduled" // not started yet
	ShowLive      ShowStatus = "Live"      // between its start and its estimated end
	ShowFinished  ShowStatus = "Finished"  // its estimated end has passed
	ShowCancelled ShowStatus = "Cancelled"
)

// ScheduledShow is a DirectCam show a performer announced (ScheduleShow).
type ScheduledShow struct {
	ScheduledID              int64
	UserID                   int64 // the performer
	Nickname                 string
	ScheduledDate            time.Time
	EstimatedLengthInMinutes int
	Title                    string
	Summary                  string
	Details                  string // BBCode, stored as sent
	WebcamCategoryID         int
	ImageFormat              string // ImageJPEG or ImagePNG
	ImageSafe                bool   // a moderator judged the image suitable for minors; uploads are not judged
	CreatedAt                time.Time
	UpdatedAt                time.Time
	CancelledAt              time.Time // zero: not cancelled
}

// End is the show's estimated end: [ScheduledDate, End) is the time it takes.
func (s *ScheduledShow) End() time.Time {
	return s.ScheduledDate.Add(time.Duration(s.EstimatedLengthInMinutes) * time.Minute)
}

// StatusAt is the show's status at now.
func (s *ScheduledShow) StatusAt(now time.Time) ShowStatus {
	switch {
	case !s.CancelledAt.IsZero():
		return ShowCancelled
	case now.Before(s.ScheduledDate):
		return ShowScheduled
	case now.Before(s.End()):
		return ShowLive
	}
	return ShowFinished
}

// Overlaps reports whether two shows' times intersect: the half-open intervals [start, end) meet, so
// a show may start the minute another ends. A cancelled show overlaps nothing.
func (s *ScheduledShow) Overlaps(o *ScheduledShow) bool {
	if !s.CancelledAt.IsZero() || !o.CancelledAt.IsZero() {
		return false
	}
	return s.ScheduledDate.Before(o.End()) && o.ScheduledDate.Before(s.End())
}

// CheckSlot reports why the show may not take its time among the performer's other shows (those the
// store read under the performer's lock; the show itself, when among them, is skipped): it must not
// overlap any that is not cancelled (409 show_overlaps), and the performer may have at most
// MaxUpcomingShows that have not finished (409 show_limit_reached).
func (s *ScheduledShow) CheckSlot(others []ScheduledShow, now time.Time) error {
	upcoming := 1
	for i := range others {
		o := &others[i]
		if o.ScheduledID == s.ScheduledID && s.ScheduledID != 0 {
			continue
		}
		if s.Overlaps(o) {
			return Conflict("show_overlaps", "The show overlaps your show %d (%s, %d minutes).",
				o.ScheduledID, o.ScheduledDate.Format("2006-01-02 15:04 MST"), o.EstimatedLengthInMinutes)
		}
		if st := o.StatusAt(now); st == ShowScheduled || st == ShowLive {
			upcoming++
		}
	}
	if upcoming > MaxUpcomingShows {
		return Conflict("show_limit_reached", "You may have at most %d upcoming shows.", MaxUpcomingShows)
	}
	return nil
}

// canChange reports why the show may no longer be changed or cancelled: only a show that has not
// started and is not cancelled may.
func (s *ScheduledShow) canChange(now time.Time) error {
	switch st := s.StatusAt(now); st {
	case ShowCancelled:
		return Conflict("show_cancelled", "The show was cancelled.")
	case ShowLive, ShowFinished:
		return Conflict("show_started", "The show has already started (it is %s).", st)
	}
	return nil
}

// ShowInput is what ScheduleShow and UpdateScheduledShow send (Image is decoded separately).
type ShowInput struct {
	ScheduledDate            time.Time
	EstimatedLengthInMinutes int
	Title                    string
	Summary                  string
	Details                  string
	WebcamCategoryID         int
}

// Check applies the rules of a show's fields at now, with minutes counted in loc (the server's zone):
// ScheduledDate in the future, at most MaxShowAheadMonths ahead, on a quarter hour (seconds 0);
// EstimatedLengthInMinutes one of ShowLengths; Title and Summary required and at most 50 characters;
// Details at most MaxShowDetails; WebcamCategoryID a DirectCam category.
func (in *ShowInput) Check(now time.Time, loc *time.Location) error {
	var v Validation
	local := in.ScheduledDate.In(loc)
	switch {
	case !in.ScheduledDate.After(now):
		v.Addf("ScheduledDate", "ScheduledDate must be in the future.")
	case in.ScheduledDate.After(now.AddDate(0, MaxShowAheadMonths, 0)):
		v.Addf("ScheduledDate", "ScheduledDate must be at most %d months ahead.", MaxShowAheadMonths)
	case local.Minute()%ShowSlotMinutes != 0 || local.Second() != 0 || local.Nanosecond() != 0:
		v.Addf("ScheduledDate", "ScheduledDate must start on a quarter hour: minutes 00, 15, 30 or 45.")
	}
	if !slices.Contains(ShowLengths, in.EstimatedLengthInMinutes) {
		v.Addf("EstimatedLengthInMinutes", "EstimatedLengthInMinutes must be one of %s.", joinInts(ShowLengths))
	}
	checkText(&v, "Title", in.Title, MaxShowTitle, true)
	checkText(&v, "Summary", in.Summary, MaxShowSummary, true)
	checkText(&v, "Details", in.Details, MaxShowDetails, false)
	CheckWebcamCategory(&v, in.WebcamCategoryID)
	return v.Err()
}

// NewScheduledShow is the show performerID schedules with in (already checked) and an image of
// format, created at now.
func NewScheduledShow(performerID int64, in *ShowInput, imageFormat string, now time.Time) ScheduledShow {
	now = StoredTime(now)
	s := ScheduledShow{UserID: performerID, ImageFormat: imageFormat, CreatedAt: now}
	s.apply(in, now)
	return s
}

func (s *ScheduledShow) apply(in *ShowInput, now time.Time) {
	s.ScheduledDate, s.EstimatedLengthInMinutes = in.ScheduledDate, in.EstimatedLengthInMinutes
	s.Title, s.Summary, s.Details, s.WebcamCategoryID = in.Title, in.Summary, in.Details, in.WebcamCategoryID
	s.UpdatedAt = StoredTime(now)
}

// Update changes a show that has not started to in (already checked), with a new image when
// imageFormat is not empty, then checks its new slot among the performer's other shows.
func (s *ScheduledShow) Update(in *ShowInput, imageFormat string, others []ScheduledShow, now time.Time) error {
	if err := s.canChange(now); err != nil {
		return err
	}
	s.apply(in, now)
	if imageFormat != "" {
		s.ImageFormat, s.ImageSafe = imageFormat, false // a new image has not been judged
	}
	return s.CheckSlot(others, now)
}

// Cancel cancels a show that has not started; it keeps its place in the lists, as Cancelled.
func (s *ScheduledShow) Cancel(now time.Time) error {
	if err := s.canChange(now); err != nil {
		return err
	}
	s.CancelledAt, s.UpdatedAt = StoredTime(now), StoredTime(now)
	return nil
}

// CanDelete reports why the show may not be deleted: as with bookings, only a finished one, here a
// show that was cancelled or has finished (cancel an upcoming show first).
func (s *ScheduledShow) CanDelete(now time.Time) error {
	if st := s.StatusAt(now); st != ShowCancelled && st != ShowFinished {
		return Conflict("show_not_finished", "Only a Cancelled or Finished show can be deleted; this one is %s (cancel it first).", st)
	}
	return nil
}

// ShowQuery pages one performer's shows, soonest first unless Desc.
type ShowQuery struct {
	UserID           int64
	IncludeFinished  bool // shows whose estimated end has passed
	IncludeCancelled bool
	Desc             bool
	Now              time.Time
	Page             Page
}

// DirectCamMode is a paid kind of DirectCam session.
type DirectCamMode string

const (
	ModePrivate DirectCamMode = "private"
	ModeGroup   DirectCamMode = "group"
)

// DirectCamSession is a paid DirectCam session that ran: the client paid Minutes × PPM and the
// performer received the same. Without a video server, the sandbox's RunSession records one.
type DirectCamSession struct {
	SessionID   int64
	PerformerID int64
	ClientID    int64
	Mode        DirectCamMode
	Minutes     int
	PPM         Credits
	Credits     Credits
	RanAt       time.Time
}

// NewDirectCamSession prices a session of minutes in mode with the performer's settings: the mode
// must be offered (409 mode_not_offered), the client another member, and minutes 1 to
// MaxSessionMinutes.
func NewDirectCamSession(settings *DirectCamSettings, clientID int64, mode DirectCamMode, minutes int, now time.Time) (DirectCamSession, error) {
	var v Validation
	if clientID == settings.UserID {
		v.Addf("ClientUserID", "ClientUserID must be another member than the performer.")
	}
	if minutes < 1 || minutes > MaxSessionMinutes {
		v.Addf("Minutes", "Minutes must be between 1 and %d.", MaxSessionMinutes)
	}
	if err := v.Err(); err != nil {
		return DirectCamSession{}, err
	}
	var ppm Credits
	switch {
	case mode == ModePrivate && settings.DoesPrivate:
		ppm = settings.PrivatePPM
	case mode == ModeGroup && settings.DoesGroup:
		ppm = settings.GroupPPM
	}
	if ppm <= 0 {
		return DirectCamSession{}, Conflict("mode_not_offered", "Member %d does not offer %s DirectCam shows.", settings.UserID, mode)
	}
	return DirectCamSession{PerformerID: settings.UserID, ClientID: clientID, Mode: mode, Minutes: minutes, PPM: ppm,
		Credits: ppm * Credits(minutes), RanAt: StoredTime(now)}, nil
}

// Postings are the session's money: the client pays first (a balance that does not cover it refuses
// the whole session, insufficient_credits), and the performer receives the same amount.
func (s *DirectCamSession) Postings() []Posting {
	what := fmt.Sprintf("DirectCam %s session #%d: %d minutes at %s credits per minute", s.Mode, s.SessionID, s.Minutes, s.PPM)
	return []Posting{{UserID: s.ClientID, Amount: -s.Credits, Description: what}, {UserID: s.PerformerID, Amount: s.Credits, Description: what}}
}

// DirectCamSettingsStore keeps DirectCam settings. Saving writes the member's IsDirectCam flag (the
// settings' Enabled) in the same transaction, so profiles and search show what the settings say.
type DirectCamSettingsStore interface {
	// DirectCamSettings reads a member's settings; a member who never saved any has the zero
	// settings (UpdatedAt zero). An unknown member is KindNotFound.
	DirectCamSettings(ctx context.Context, userID int64) (DirectCamSettings, error)
	// SaveDirectCamSettings replaces a member's settings (already checked) and sets their IsDirectCam.
	SaveDirectCamSettings(ctx context.Context, s DirectCamSettings) (DirectCamSettings, error)
}

// ShowStore keeps scheduled shows. Every write runs in one transaction that first locks the
// performer (a row lock on PostgreSQL; SQLite's write transactions run one at a time), then reads the
// performer's shows that are not cancelled and have not finished, and lets the domain decide on them
// (check or change): so two overlapping shows can never both be stored, on any number of instances.
// A show of another performer is KindNotFound.
type ShowStore interface {
	// CreateScheduledShow stores s with its image when check, given the performer's upcoming shows,
	// allows it, and returns it as stored.
	CreateScheduledShow(ctx context.Context, s ScheduledShow, image ShowImage, now time.Time,
		check func(upcoming []ScheduledShow) error) (ScheduledShow, error)
	// ChangeScheduledShow lets change decide and apply a change to performerID's show, given their
	// upcoming shows, and stores it, replacing the image when image is not nil.
	ChangeScheduledShow(ctx context.Context, performerID, scheduledID int64, image *ShowImage, now time.Time,
		change func(s *ScheduledShow, upcoming []ScheduledShow) error) (ScheduledShow, error)
	// DeleteScheduledShow removes performerID's show, with its image, when check allows it.
	DeleteScheduledShow(ctx context.Context, performerID, scheduledID int64, check func(s *ScheduledShow) error) error
	// ScheduledShows pages a performer's shows with the total count.
	ScheduledShows(ctx context.Context, q ShowQuery) ([]ScheduledShow, int, error)
	// ShowImage reads a show's image.
	ShowImage(ctx context.Context, scheduledID int64) (ShowImage, error)
}

// DirectCamSessionRecorder records paid DirectCam sessions (the sandbox's RunSession).
type DirectCamSessionRecorder interface {
	// RecordDirectCamSession stores a session and its postings (Postings, stamped now) in one
	// transaction, and answers it with its ledger entries, the client's first. A balance that does not
	// cover the price refuses it all (KindConflict insufficient_credits); an unknown member is
	// KindNotFound.
	RecordDirectCamSession(ctx context.Context, s DirectCamSession, now time.Time) (DirectCamSession, []LedgerEntry, error)
}

// DirectCamStore is everything DirectCam stores, with the seeder's bulk loading.
type DirectCamStore interface {
	DirectCamSettingsStore
	ShowStore
	DirectCamSessionRecorder
	// InsertDirectCamSettings bulk-inserts settings and sets the members' IsDirectCam from them.
	InsertDirectCamSettings(ctx context.Context, ss []DirectCamSettings) error
	// InsertScheduledShows bulk-inserts shows with their IDs and images (images[i] is shows[i]'s).
	InsertScheduledShows(ctx context.Context, shows []ScheduledShow, images []ShowImage) error
}
