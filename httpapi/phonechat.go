package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// PhoneChat (api-v1.md §2.14): a client books one performer for a phone or Skype chat. The eleven
// documented methods with their Group-manager variants, the received side and payment implied by
// symmetry with Webcam (§4.2), and the sandbox's RunSession. Bookings are the shared engine's
// (awapi/booking.go, served by bookingHandlers); the creation rules and the settings are PhoneChat's
// own (awapi/phonechat.go). The decisions where the documentation is silent are in docs/phonechat.md.

// phoneChatArea serves PhoneChat and its sandbox helper.
type phoneChatArea struct {
	members    awapi.MemberReader
	phoneChat  awapi.PhoneChatStore
	directChat awapi.DirectChatSettingsStore
	credits    awapi.CreditReader
	bookingHandlers[PhoneChatBooking]
}

func newPhoneChatArea(store awapi.Store) *phoneChatArea {
	return &phoneChatArea{members: store, phoneChat: store, directChat: store, credits: store, bookingHandlers: bookingHandlers[PhoneChatBooking]{
		engine: awapi.Bookings{Store: store, Service: awapi.ServicePhoneChat}, out: phoneChatBookingOut, lead: awapi.PhoneChatRescheduleLead}}
}

const phoneChatNamespace = "API.Models.PhoneChat"

func (s *phoneChatArea) endpoints() []*web.Endpoint {
	ep := func(method, path string, gm web.GMMode, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountPhonechatBookings, GM: gm,
			Summary: summary, XMLNamespace: phoneChatNamespace}
	}
	implied := func(e web.Endpoint) web.Endpoint { e.Implied = true; return e }
	deletes := func(path, summary string) web.Endpoint {
		e := ep("POST", path, web.NoGM, summary)
		e.XMLRoot = "ArrayOfBookingDeleteOutput"
		return e
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/PhoneChat/GetUserBookingRequirements", web.NoGM,
			"A performer's price per minute (VAT included; null when not set) and the contact methods they take."), s.getUserBookingRequirements),
		web.Handle(ep("POST", "/v1/PhoneChat/CreateBooking", web.NoGM,
			"Request a phone chat with one performer; Credits must reach PhoneChatPPM × Duration when the performer set a PPM."), s.createBooking),
		web.Handle(ep("GET", "/v1/PhoneChat/MadeBookings", web.WithGM, "The phone-chat bookings you made, paged."), s.phoneChatList(awapi.ClientSide)),
		web.Handle(ep("GET", "/v1/PhoneChat/MadeBookingDetails", web.WithGM, "One phone-chat booking you made."), s.details(awapi.ClientSide)),
		web.Handle(implied(ep("POST", "/v1/PhoneChat/ConfirmMadeBooking", web.NoGM,
			"Confirm an accepted booking: the agreed credits are reserved from your balance.")), s.confirm),
		web.Handle(ep("POST", "/v1/PhoneChat/CancelMadeBooking", web.NoGM,
			"Cancel a booking you made; a confirmed one only before its session, refunded in full."), s.cancelMade),
		web.Handle(ep("POST", "/v1/PhoneChat/RescheduleMadeBooking", web.NoGM,
			"Copy a booking whose session date has passed into a new one starting 5 to 10 minutes from now; your balance must cover the offer."), s.reschedule),
		web.Handle(implied(deletes("/v1/PhoneChat/DeleteMadeBookings", "Delete finished bookings you made, answering per item.")), s.delete(awapi.ClientSide)),
		web.Handle(implied(ep("GET", "/v1/PhoneChat/ReceivedBookings", web.WithGM, "The phone-chat bookings you received, paged.")),
			s.phoneChatList(awapi.PerformerSide)),
		web.Handle(implied(ep("GET", "/v1/PhoneChat/ReceivedBookingDetails", web.WithGM, "One phone-chat booking you received.")),
			s.details(awapi.PerformerSide)),
		web.Handle(ep("POST", "/v1/PhoneChat/AcceptReceivedBooking", web.NoGM,
			"Accept a pending booking before its AcceptBy, at the client's offer or your own price."), s.accept),
		web.Handle(implied(ep("POST", "/v1/PhoneChat/RejectReceivedBooking", web.NoGM, "Reject a pending booking.")), s.reject),
		web.Handle(implied(ep("POST", "/v1/PhoneChat/CancelReceivedBooking", web.NoGM,
			"Cancel a booking you accepted that the client has not confirmed, before its session.")), s.cancelReceived),
		web.Handle(ep("POST", "/v1/PhoneChat/ReInvite", web.NoGM,
			"Reject a pending booking whose session date has passed and invite the client to book again."), s.reInvite),
		web.Handle(deletes("/v1/PhoneChat/DeleteReceivedBooking", "Delete finished received bookings, answering per item (the documented path is singular)."),
			s.delete(awapi.PerformerSide)),
		web.Handle(ep("GET", "/v1/PhoneChat/GetSettings", web.WithGM,
			"Your phone-chat settings; PhoneChatPPM and LastUpdated are null until you save some."), s.getSettings),
		web.Handle(ep("POST", "/v1/PhoneChat/SaveSettings", web.WithGM,
			"Replace your phone-chat settings; saving them makes you a phone-chat performer in profiles and search. "+
				"Only a member who offers services may save them."), s.saveSettings),
		web.Handle(web.Endpoint{Method: "POST", Path: "/v1/Sandbox/PhoneChat/RunSession", Auth: web.AuthKey, Sandbox: true,
			XMLNamespace: phoneChatNamespace,
			Summary: "Mark a confirmed phone-chat booking's session as having run: the performer is paid the reserved credits now, " +
				"through the ledger, as settlement would at the session's end."}, s.runSession),
	}
}

type (
	// PhoneChatRequirements answers GetUserBookingRequirements.
	PhoneChatRequirements struct {
		UserID          int64
		Nickname        string
		PhoneChatPPM    *awapi.Credits // VAT included; null when the performer has not set one
		MinimumDuration int
		Methods         []PhoneChatMethod
	}
	// PhoneChatMethod is one contact method (aws:PhoneChatMethod) and whether the performer takes it.
	PhoneChatMethod struct {
		Method    int
		Name      string
		Available bool
	}
	// PhoneChatBooking is the booking object every PhoneChat booking method returns.
	PhoneChatBooking struct {
		BookingID        int64
		BookUserID       int64 // the performer
		BookUserNickname string
		Duration         int
		Credits          awapi.Credits // the agreed price once accepted, the offer before
		OfferedCredits   awapi.Credits
		Status           string
		Method           int
		PhoneNumber      *string // the client's, for Method 1
		SkypeName        *string // the client's, for Method 3
		Comments         *string
		CreateDate       time.Time
		SessionDate      time.Time
		AcceptBy         time.Time
		AcceptedDate     *time.Time
		Reason           *string
		ReInvited        bool // the performer rejected the lapsed booking and invites you to book again
		RescheduledFrom  *int64
		CompletedDate    *time.Time // when the performer was paid for the session
		// The performer's view names the client.
		ClientUserID   *int64  `wire:"omitempty"`
		ClientNickname *string `wire:"omitempty"`
	}
	// PhoneChatBookingsOutput is one page of bookings.
	PhoneChatBookingsOutput struct {
		SizedPaging
		BookingsTotal int
		Bookings      []PhoneChatBooking
	}
	// PhoneChatSettings answers GetSettings and SaveSettings.
	PhoneChatSettings struct {
		UserID          int64
		OfferDirectChat bool
		// DirectChat is present only when DirectChat is offered (documented).
		DirectChat          *DirectChatSettings `wire:"omitempty"`
		PhoneChatNumber     *string
		ShowPhoneChatNumber bool
		PhoneChatPPM        *awapi.Credits // null until saved
		OfferSkype          bool
		AvailableNowUntil   *time.Time
		LastUpdated         *time.Time // null until saved
	}
	// DirectChatSettings is the nested aws:DirectChatSettings block, whose fields the documentation
	// does not give (docs/directchat.md).
	DirectChatSettings struct {
		PPM            awapi.Credits `doc:"Credits per minute of a DirectChat call; more than 0."`
		AvailableNow   bool          `doc:"The line takes calls (within the daily hours)."`
		AvailableFrom  string        `doc:"HH:MM in the server's zone: the daily hours start."`
		AvailableUntil string        `doc:"HH:MM: the daily hours end; the same as AvailableFrom means all day, an earlier one wraps past midnight."`
		MaxCallMinutes int           `doc:"Longest call in minutes, 0 (no limit but 240) to 240."`
	}
	// PhoneChatSessionOutput answers the sandbox's RunSession.
	PhoneChatSessionOutput struct {
		BookingID        int64
		ClientUserID     int64
		PerformerUserID  int64
		Credits          awapi.Credits // what the performer received
		CompletedDate    time.Time
		ClientBalance    awapi.Credits
		PerformerBalance awapi.Credits
	}
)

type (
	bookUserIDReq struct {
		BookUserID int64 `api:"required,min=1" doc:"The performer."`
	}
	phoneChatListReq struct {
		StartDate       *time.Time `api:"format=date" doc:"Only bookings created on or after this date (yyyy-MM-dd)."`
		OrderBy         string     `api:"enum=date-desc|date-asc|nickname-asc|nickname-desc|sessiondate-asc|sessiondate-desc,default=date-desc" doc:"date is the creation date; nickname the other party's."`
		BookingsPerPage int        `api:"min=1,max=100,default=50"`
		PageNumber      int        `api:"min=1,default=1"`
	}
	createPhoneChatBookingReq struct {
		BookUserID  int64         `api:"required,min=1" doc:"The performer: offers phone chat and is not DirectChat Only."`
		SessionDate time.Time     `api:"required,format=datetime" doc:"YYYY-MM-DD HH:MM in the server's zone; future, at most 3 months ahead."`
		Duration    int           `api:"required,min=1,max=1440" doc:"Minutes, 5 to 240."`
		Method      int           `api:"required" doc:"1 the performer calls you (needs PhoneNumber); 2 you call the performer; 3 Skype (needs SkypeName)."`
		PhoneNumber string        `api:"maxlen=20" doc:"Your number, 10 or 11 digits; required and kept only with Method 1."`
		SkypeName   string        `api:"maxlen=100" doc:"Your Skype name; required and kept only with Method 3."`
		Credits     awapi.Credits `api:"required" doc:"Your offer; at least PhoneChatPPM × Duration when the performer set a PPM."`
		AcceptBy    time.Time     `api:"required,format=datetime" doc:"YYYY-MM-DD HH:MM; future and before SessionDate. Not accepted by then, the booking is rejected."`
		Comments    string        `api:"maxlen=1000" doc:"Optional; performers using SMS may not see it."`
	}
	reInviteReq struct {
		BookingID int64  `api:"required,min=1" doc:"The booking: Pending, with its session date passed."`
		Reason    string `api:"maxlen=500" doc:"Shown to the client; a default text when not sent."`
	}
	savePhoneChatSettingsReq struct {
		OfferDirectChat     bool                `api:"required" doc:"Offer DirectChat; DirectChat is then required, and allowed only then."`
		DirectChat          *DirectChatSettings `doc:"Your DirectChat settings (aws:DirectChatSettings): PPM, AvailableNow, AvailableFrom and AvailableUntil (HH:MM), MaxCallMinutes. Required when OfferDirectChat is true, refused otherwise; without it your DirectChat fields are kept, switched off."`
		PhoneChatNumber     string              `api:"maxlen=20" doc:"The number clients call (Method 2): digits with an optional leading +, including the country code. Not sent: you place every call."`
		ShowPhoneChatNumber bool                `doc:"Show the number on your profile (HasPhoneNumber); needs PhoneChatNumber."`
		PhoneChatPPM        awapi.Credits       `api:"required" doc:"Credits per minute, VAT included; more than 0 and at most 100."`
		OfferSkype          bool                `doc:"Take Skype calls (Method 3)."`
		AvailableNowMinutes int                 `api:"min=0,max=720" doc:"Available for phone chat now for this many minutes (AvailableNowPhoneChat); 0 or not sent: not available now."`

		input    awapi.PhoneChatSettingsInput // built and checked by Validate
		settings awapi.PhoneChatSettings
	}
)

// Validate reads the DirectChat block's hours and checks every rule of the settings.
func (r *savePhoneChatSettingsReq) Validate(c *web.Call, v *awapi.Validation) {
	r.input = awapi.PhoneChatSettingsInput{OfferDirectChat: r.OfferDirectChat, PhoneChatNumber: r.PhoneChatNumber,
		ShowPhoneChatNumber: r.ShowPhoneChatNumber, PhoneChatPPM: r.PhoneChatPPM, OfferSkype: r.OfferSkype,
		AvailableNowMinutes: r.AvailableNowMinutes}
	if b := r.DirectChat; b != nil {
		dc := awapi.DirectChatSettings{PPM: b.PPM, AvailableNow: b.AvailableNow, MaxCallMinutes: b.MaxCallMinutes}
		for _, t := range []struct {
			field, text string
			dst         *awapi.DayTime
		}{{"DirectChat.AvailableFrom", b.AvailableFrom, &dc.AvailableFrom}, {"DirectChat.AvailableUntil", b.AvailableUntil, &dc.AvailableUntil}} {
			if d, err := awapi.ParseDayTime(t.text); err != nil {
				v.Addf(t.field, "%s %s.", t.field, err)
			} else {
				*t.dst = d
			}
		}
		r.input.DirectChat = &dc
	}
	st, err := r.input.Settings(c.Caller.ActingUserID, c.Now)
	v.Include(err)
	r.settings = st
}

func (s *phoneChatArea) getUserBookingRequirements(ctx context.Context, _ *web.Call, req *bookUserIDReq) (PhoneChatRequirements, error) {
	p, err := s.phoneChat.PhoneChatPerformer(ctx, req.BookUserID)
	if awapi.ErrorKind(err) == awapi.KindNotFound || err == nil && !p.Bookable() {
		return PhoneChatRequirements{}, awapi.Conflict("performer_not_available",
			"Member %d does not take phone-chat bookings (not a phone-chat performer, DirectChat Only, or unknown).", req.BookUserID)
	}
	if err != nil {
		return PhoneChatRequirements{}, err
	}
	out := PhoneChatRequirements{UserID: p.UserID, Nickname: p.Nickname, MinimumDuration: awapi.PhoneChatMinimumDuration}
	if ppm, ok := p.PPM(); ok {
		out.PhoneChatPPM = &ppm
	}
	for _, m := range awapi.PhoneChatMethods {
		out.Methods = append(out.Methods, PhoneChatMethod{Method: m.ID, Name: m.Name, Available: p.Offers(m.ID)})
	}
	return out, nil
}

func (s *phoneChatArea) createBooking(ctx context.Context, c *web.Call, req *createPhoneChatBookingReq) (PhoneChatBooking, error) {
	r := awapi.PhoneChatRequest{ClientID: c.Caller.ActingUserID, BookUserID: req.BookUserID, SessionDate: req.SessionDate,
		Duration: req.Duration, Method: req.Method, PhoneNumber: req.PhoneNumber, SkypeName: req.SkypeName, Credits: req.Credits,
		AcceptBy: req.AcceptBy, Comments: req.Comments}
	var performer *awapi.PhoneChatPerformer
	switch p, err := s.phoneChat.PhoneChatPerformer(ctx, req.BookUserID); {
	case err == nil:
		performer = &p
	case awapi.ErrorKind(err) != awapi.KindNotFound:
		return PhoneChatBooking{}, err
	}
	b, err := r.Booking(performer, c.Now)
	if err != nil {
		return PhoneChatBooking{}, err
	}
	created, err := s.engine.Store.CreateBooking(ctx, b, 0)
	return s.answer(awapi.ClientSide, c, created, err)
}

func (s *phoneChatArea) reInvite(ctx context.Context, c *web.Call, req *reInviteReq) (PhoneChatBooking, error) {
	reason := req.Reason
	if reason == "" {
		reason = awapi.DefaultReInviteReason
	}
	b, err := s.engine.ReInvite(ctx, c.Caller.ActingUserID, req.BookingID, reason, c.Now)
	return s.answer(awapi.PerformerSide, c, b, err)
}

// phoneChatBookingOut shapes a booking for one side; viewer is the member on that side.
func phoneChatBookingOut(b *awapi.Booking, side awapi.BookingSide, viewer int64, now time.Time) PhoneChatBooking {
	d := &b.Details
	out := PhoneChatBooking{BookingID: b.BookingID, Duration: b.Duration, Credits: b.Price(), OfferedCredits: b.Credits,
		Status: string(b.SideStatusAt(side, viewer, now)), Method: d.Method, CreateDate: b.CreatedAt, SessionDate: b.SessionDate,
		AcceptBy: b.AcceptBy, ReInvited: d.ReInvited}
	if len(b.Invitations) > 0 {
		out.BookUserID, out.BookUserNickname = b.Invitations[0].PerformerID, b.Invitations[0].Nickname
	}
	if d.PhoneNumber != "" {
		out.PhoneNumber = &d.PhoneNumber
	}
	if d.SkypeName != "" {
		out.SkypeName = &d.SkypeName
	}
	if d.Comments != "" {
		out.Comments = &d.Comments
	}
	if b.AcceptedBy != 0 {
		out.AcceptedDate = &b.AcceptedAt
	}
	if b.RescheduledFrom != 0 {
		out.RescheduledFrom = &b.RescheduledFrom
	}
	if !b.SettledAt.IsZero() {
		out.CompletedDate = &b.SettledAt
	}
	if reason := b.ReasonAt(now); reason != "" {
		out.Reason = &reason
	}
	if side == awapi.PerformerSide {
		out.ClientUserID, out.ClientNickname = &b.ClientID, &b.ClientNickname
	}
	return out
}

func (s *phoneChatArea) phoneChatList(side awapi.BookingSide) func(context.Context, *web.Call, *phoneChatListReq) (PhoneChatBookingsOutput, error) {
	return func(ctx context.Context, c *web.Call, req *phoneChatListReq) (PhoneChatBookingsOutput, error) {
		bs, paging, total, err := s.list(ctx, c, side, req.StartDate, req.OrderBy, awapi.Page{Number: req.PageNumber, Size: req.BookingsPerPage})
		if err != nil {
			return PhoneChatBookingsOutput{}, err
		}
		return PhoneChatBookingsOutput{SizedPaging: paging, BookingsTotal: total, Bookings: bs}, nil
	}
}

func phoneChatSettingsOut(st *awapi.PhoneChatSettings, dc *awapi.DirectChatSettings, now time.Time) PhoneChatSettings {
	out := PhoneChatSettings{UserID: st.UserID, OfferDirectChat: dc.OfferDirectChat, ShowPhoneChatNumber: st.ShowPhoneChatNumber,
		OfferSkype: st.OfferSkype}
	if dc.OfferDirectChat {
		out.DirectChat = &DirectChatSettings{PPM: dc.PPM, AvailableNow: dc.AvailableNow, AvailableFrom: dc.AvailableFrom.String(),
			AvailableUntil: dc.AvailableUntil.String(), MaxCallMinutes: dc.MaxCallMinutes}
	}
	if st.PhoneChatNumber != "" {
		out.PhoneChatNumber = &st.PhoneChatNumber
	}
	if st.Saved() {
		out.PhoneChatPPM, out.LastUpdated = &st.PhoneChatPPM, &st.UpdatedAt
	}
	if st.AvailableUntil.After(now) {
		out.AvailableNowUntil = &st.AvailableUntil
	}
	return out
}

func (s *phoneChatArea) getSettings(ctx context.Context, c *web.Call, _ *noParams) (PhoneChatSettings, error) {
	st, err := s.phoneChat.PhoneChatSettings(ctx, c.Caller.ActingUserID)
	if err != nil {
		return PhoneChatSettings{}, err
	}
	dc, err := s.directChat.DirectChatSettings(ctx, c.Caller.ActingUserID)
	if err != nil {
		return PhoneChatSettings{}, err
	}
	return phoneChatSettingsOut(&st, &dc, c.Now), nil
}

func (s *phoneChatArea) saveSettings(ctx context.Context, c *web.Call, req *savePhoneChatSettingsReq) (PhoneChatSettings, error) {
	m, err := s.members.Member(ctx, c.Caller.ActingUserID)
	if err != nil {
		return PhoneChatSettings{}, err
	}
	if err := awapi.CanOfferPhoneChat(&m); err != nil {
		return PhoneChatSettings{}, err
	}
	st, dc, err := s.phoneChat.SavePhoneChatSettings(ctx, req.settings, func(current awapi.DirectChatSettings) awapi.DirectChatSettings {
		return req.input.DirectChatSettings(current, c.Now)
	})
	if err != nil {
		return PhoneChatSettings{}, err
	}
	return phoneChatSettingsOut(&st, &dc, c.Now), nil
}

func (s *phoneChatArea) runSession(ctx context.Context, c *web.Call, req *bookingIDReq) (PhoneChatSessionOutput, error) {
	b, err := s.engine.MarkRun(ctx, req.BookingID, c.Now)
	if err != nil {
		return PhoneChatSessionOutput{}, err
	}
	out := PhoneChatSessionOutput{BookingID: b.BookingID, ClientUserID: b.ClientID, PerformerUserID: b.AcceptedBy,
		Credits: b.AcceptedCredits, CompletedDate: b.SettledAt}
	if out.ClientBalance, err = s.credits.CreditBalance(ctx, b.ClientID); err != nil {
		return PhoneChatSessionOutput{}, err
	}
	if out.PerformerBalance, err = s.credits.CreditBalance(ctx, b.AcceptedBy); err != nil {
		return PhoneChatSessionOutput{}, err
	}
	return out, nil
}
