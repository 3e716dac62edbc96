package httpapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Webcam (api-v1.md §2.18): the client books up to four performers; the first to accept wins. The
// rules live in awapi (webcam.go) and in the store's compare-and-set transitions; these handlers
// validate input and translate.

// webcamArea serves Webcam.
type webcamArea struct {
	bookings awapi.WebcamStore
}

func (s *webcamArea) endpoints() []*web.Endpoint {
	ep := func(method, path string, gm web.GMMode, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountWebcamBookings, GM: gm,
			Summary: summary, XMLNamespace: webcamNamespace}
	}
	implied := func(e web.Endpoint) web.Endpoint { e.Implied = true; return e }
	ubr := ep("GET", "/v1/WebCam/GetUserBookingRequirements", web.NoGM, "Software and minimum session length for up to 4 performers.")
	ubr.XMLNamespace = webcamNamespace + ".UserBookingRequirements"
	deletes := func(path, summary string) web.Endpoint {
		e := ep("POST", path, web.NoGM, summary)
		e.XMLRoot = "ArrayOfBookingDeleteOutput"
		return e
	}
	return []*web.Endpoint{
		web.Handle(ubr, s.getUserBookingRequirements),
		web.Handle(ep("POST", "/v1/Webcam/CreateBooking", web.NoGM, "Request a webcam session with up to 4 performers; the first to accept wins."), s.createWebcamBooking),
		web.Handle(ep("GET", "/v1/Webcam/MadeBookings", web.WithGM, "The bookings you made, paged."), s.webcamList(awapi.ClientSide)),
		web.Handle(ep("GET", "/v1/Webcam/MadeBookingDetails", web.WithGM, "One booking you made."), s.webcamDetails(awapi.ClientSide)),
		web.Handle(ep("POST", "/v1/Webcam/ConfirmMadeBooking", web.NoGM, "Confirm an accepted booking: the agreed credits are reserved."), s.confirmWebcamBooking),
		web.Handle(ep("POST", "/v1/Webcam/CancelMadeBooking", web.NoGM, "Cancel a booking you made; a confirmed one is refunded before its session."), s.cancelMadeWebcamBooking),
		web.Handle(ep("POST", "/v1/Webcam/RescheduleMadeBooking", web.NoGM, "Copy a finished booking to start in 5 minutes."), s.rescheduleWebcamBooking),
		web.Handle(deletes("/v1/Webcam/DeleteMadeBookings", "Delete finished bookings you made, answering per item."), s.deleteWebcamBookings(awapi.ClientSide)),
		web.Handle(implied(ep("GET", "/v1/Webcam/ReceivedBookings", web.WithGM, "The booking invitations you received, paged.")), s.webcamList(awapi.PerformerSide)),
		web.Handle(ep("GET", "/v1/Webcam/ReceivedBookingDetails", web.WithGM, "One booking invitation you received."), s.webcamDetails(awapi.PerformerSide)),
		web.Handle(ep("POST", "/v1/Webcam/AcceptReceivedBooking", web.NoGM, "Accept an invitation at your price; the other invited performers are cancelled."), s.acceptWebcamBooking),
		web.Handle(ep("POST", "/v1/Webcam/RejectReceivedBooking", web.NoGM, "Reject a pending invitation."), s.rejectWebcamBooking),
		web.Handle(ep("POST", "/v1/Webcam/CancelReceivedBooking", web.NoGM, "Cancel a booking you accepted, before its session."), s.cancelReceivedWebcamBooking),
		web.Handle(deletes("/v1/Webcam/DeleteReceivedBookings", "Delete finished received bookings, answering per item."), s.deleteWebcamBookings(awapi.PerformerSide)),
	}
}

const webcamNamespace = "API.Models.Webcam"

type (
	// UBROutput answers GetUserBookingRequirements.
	UBROutput struct {
		Users []WebCamUser
	}
	// WebCamUser is one performer's webcam requirements.
	WebCamUser struct {
		UserID          int64
		SoftwareTypeIDs []SoftwareType
		MinimumDuration int
	}
	// SoftwareType says whether the performer takes bookings on one messenger.
	SoftwareType struct {
		SoftwareTypeID int
		Available      bool
	}
	// WebcamBooking is the booking object every Webcam method returns.
	WebcamBooking struct {
		WebcamBookingID   int64
		Duration          int
		Credits           awapi.Credits // the agreed price once accepted, the offer before
		OfferedCredits    awapi.Credits
		Status            string
		IsMulitple        bool // sic: the documented spelling
		SoftwareTypeID    int
		SignInNameOrEmail string
		AlsoPhoneChat     bool
		PhoneNumber       *string
		SendSMSOnAccept   bool
		CreateDate        time.Time
		SessionDate       time.Time
		AcceptBy          time.Time
		AcceptedDate      *time.Time // null until a performer accepts
		Reason            *string
		RescheduledFrom   *int64
		// The client's view lists the invited performers; the performer's view names the client.
		BookedUsers    []WebcamBookedUser `wire:"omitempty"`
		ClientUserID   *int64             `wire:"omitempty"`
		ClientNickname *string            `wire:"omitempty"`
	}
	// WebcamBookedUser is one invited performer and their answer.
	WebcamBookedUser struct {
		UserID   int64
		Nickname string
		Status   string
	}
	// WebcamBookingsOutput is one page of bookings.
	WebcamBookingsOutput struct {
		SizedPaging
		BookingsTotal int
		Bookings      []WebcamBooking
	}
	// BookingDeleteOutput is one item of a batch deletion.
	BookingDeleteOutput struct {
		BookingID int64
		Deleted   bool
		Message   string
	}
)

type (
	bookUserIDsReq struct {
		BookUserIDs []int `api:"required,items=1-4,min=1" doc:"Comma-separated IDs of 1 to 4 performers; duplicates count once."`
	}
	bookingIDReq struct {
		BookingID int64 `api:"required,min=1" doc:"The webcam booking."`
	}
	bookingReasonReq struct {
		BookingID int64  `api:"required,min=1" doc:"The webcam booking."`
		Reason    string `api:"required,maxlen=500" doc:"Why; shown to the other party."`
	}
	acceptReq struct {
		BookingID int64         `api:"required,min=1" doc:"The webcam booking."`
		Credits   awapi.Credits `api:"required" doc:"Your price; it may equal the client's offer."`
	}
	bookingIDsReq struct {
		BookingIDs []int `api:"required,items=1-100,min=1" doc:"Comma-separated booking IDs."`
	}
	webcamListReq struct {
		StartDate       *time.Time `api:"format=date" doc:"Only bookings created on or after this date (yyyy-MM-dd)."`
		OrderBy         string     `api:"enum=createddate-desc|createddate-asc|acceptdate-asc|acceptdate-desc|nickname-asc|nickname-desc,default=createddate-desc"`
		BookingsPerPage int        `api:"min=1,max=100,default=50"`
		PageNumber      int        `api:"min=1,default=1"`
	}
	createWebcamBookingReq struct {
		BookUserIDs       []int         `api:"required,items=1-4,min=1" doc:"Comma-separated IDs of 1 to 4 performers, each set up for webcam; the first to accept wins."`
		AlsoPhoneChat     bool          `doc:"Also a phone chat; needs PhoneNumber."`
		PhoneNumber       string        `api:"maxlen=20" doc:"Your phone number, digits with an optional leading +."`
		SessionDate       time.Time     `api:"required,format=datetime" doc:"YYYY-MM-DD HH:MM in the server's zone; future, at most 3 months ahead."`
		Duration          int           `api:"required,min=1,max=1440" doc:"Minutes; at least each performer's minimum."`
		Credits           awapi.Credits `api:"required" doc:"Your offer in credits."`
		SoftwareTypeID    int           `api:"required,min=1,max=3" doc:"1 MSN Messenger, 2 Yahoo Messenger, 3 Skype."`
		SignInNameOrEmail string        `api:"required,maxlen=100" doc:"Your messenger handle; an email address for MSN."`
		SendSMSOnAccept   bool          `doc:"Text you when a performer accepts; needs a verified mobile number."`
	}
)

// Validate checks the rules between fields and against the clock.
func (r *createWebcamBookingReq) Validate(c *web.Call, v *awapi.Validation) {
	if !r.SessionDate.After(c.Now) {
		v.Addf("SessionDate", "SessionDate must be in the future.")
	} else if r.SessionDate.After(c.Now.AddDate(0, awapi.MaxSessionAhead, 0)) {
		v.Addf("SessionDate", "SessionDate must be at most %d months ahead.", awapi.MaxSessionAhead)
	}
	if r.Credits <= 0 {
		v.Addf("Credits", "Credits must be more than 0.")
	}
	if r.SoftwareTypeID == awapi.SoftwareMSN && !looksLikeEmail(r.SignInNameOrEmail) {
		v.Addf("SignInNameOrEmail", "SignInNameOrEmail must be an email address for MSN Messenger.")
	}
	if r.AlsoPhoneChat && r.PhoneNumber == "" {
		v.Addf("PhoneNumber", "PhoneNumber is required when AlsoPhoneChat is true.")
	}
	if r.PhoneNumber != "" && !validPhone(r.PhoneNumber) {
		v.Addf("PhoneNumber", "PhoneNumber must be 10 to 15 digits, with an optional leading +.")
	}
}

func (r *acceptReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.Credits <= 0 {
		v.Addf("Credits", "Credits must be more than 0.")
	}
}

func validPhone(s string) bool {
	digits := strings.TrimPrefix(s, "+")
	if len(digits) < 10 || len(digits) > 15 {
		return false
	}
	return strings.Trim(digits, "0123456789") == ""
}

// performers loads the requested members in request order, leaving out unknown IDs.
func (s *webcamArea) performers(ctx context.Context, ids []int) ([]awapi.WebcamPerformer, error) {
	ids64 := make([]int64, len(ids))
	for i, id := range ids {
		ids64[i] = int64(id)
	}
	found, err := s.bookings.WebcamPerformers(ctx, ids64)
	if err != nil {
		return nil, err
	}
	out := make([]awapi.WebcamPerformer, 0, len(found))
	for _, id := range ids64 {
		if i := slices.IndexFunc(found, func(p awapi.WebcamPerformer) bool { return p.UserID == id }); i >= 0 {
			out = append(out, found[i])
		}
	}
	return out, nil
}

func (s *webcamArea) getUserBookingRequirements(ctx context.Context, _ *web.Call, req *bookUserIDsReq) (UBROutput, error) {
	ps, err := s.performers(ctx, req.BookUserIDs)
	if err != nil {
		return UBROutput{}, err
	}
	out := UBROutput{Users: []WebCamUser{}}
	for _, p := range ps {
		if !p.Bookable() {
			continue
		}
		u := WebCamUser{UserID: p.UserID, MinimumDuration: p.Minimum()}
		for _, sw := range awapi.SoftwareTypes {
			u.SoftwareTypeIDs = append(u.SoftwareTypeIDs, SoftwareType{sw.ID, p.Offers(sw.ID)})
		}
		out.Users = append(out.Users, u)
	}
	return out, nil
}

func (s *webcamArea) createWebcamBooking(ctx context.Context, c *web.Call, req *createWebcamBookingReq) (WebcamBooking, error) {
	client := c.Caller.ActingUserID
	if slices.Contains(req.BookUserIDs, int(client)) {
		return WebcamBooking{}, awapi.InvalidField("BookUserIDs", "BookUserIDs cannot include yourself.")
	}
	ps, err := s.performers(ctx, req.BookUserIDs)
	if err != nil {
		return WebcamBooking{}, err
	}
	var v awapi.Validation
	for _, id := range req.BookUserIDs {
		i := slices.IndexFunc(ps, func(p awapi.WebcamPerformer) bool { return p.UserID == int64(id) })
		switch {
		case i < 0 || !ps[i].Bookable():
			return WebcamBooking{}, awapi.Conflict("performer_not_available",
				"Member %d does not take webcam bookings (not a webcam performer, DirectChat Only, or unknown).", id)
		case !ps[i].Offers(req.SoftwareTypeID):
			return WebcamBooking{}, awapi.Conflict("software_not_offered",
				"Member %d does not offer SoftwareTypeID %d.", id, req.SoftwareTypeID)
		case req.Duration < ps[i].Minimum():
			v.Addf("Duration", "Duration must be at least %d minutes for member %d.", ps[i].Minimum(), id)
		}
	}
	if err := v.Err(); err != nil {
		return WebcamBooking{}, err
	}
	if req.SendSMSOnAccept {
		ok, err := s.bookings.MobileVerified(ctx, client)
		if err != nil {
			return WebcamBooking{}, err
		}
		if !ok {
			return WebcamBooking{}, awapi.Conflict("mobile_not_verified", "SendSMSOnAccept needs a verified mobile number on your account.")
		}
	}
	b := awapi.WebcamBooking{
		ClientID: client, SessionDate: req.SessionDate, Duration: req.Duration, Credits: req.Credits,
		SoftwareTypeID: req.SoftwareTypeID, SignInNameOrEmail: req.SignInNameOrEmail, AlsoPhoneChat: req.AlsoPhoneChat,
		PhoneNumber: req.PhoneNumber, SendSMSOnAccept: req.SendSMSOnAccept, CreatedAt: c.Now,
		AcceptBy: awapi.AcceptByFor(c.Now, req.SessionDate),
	}
	for _, id := range req.BookUserIDs {
		b.Invitations = append(b.Invitations, awapi.WebcamInvitation{PerformerID: int64(id)})
	}
	created, err := s.bookings.CreateWebcamBooking(ctx, b)
	return transition(awapi.ClientSide, c, created, err)
}

// webcamBookingOut shapes a booking for one side; performer is the viewing performer on that side.
func webcamBookingOut(b *awapi.WebcamBooking, side awapi.BookingSide, performer int64, now time.Time) WebcamBooking {
	out := WebcamBooking{
		WebcamBookingID: b.BookingID, Duration: b.Duration, Credits: b.Credits, OfferedCredits: b.Credits,
		Status: string(b.StatusAt(now)), IsMulitple: b.IsMultiple(), SoftwareTypeID: b.SoftwareTypeID,
		SignInNameOrEmail: b.SignInNameOrEmail, AlsoPhoneChat: b.AlsoPhoneChat, SendSMSOnAccept: b.SendSMSOnAccept,
		CreateDate: b.CreatedAt, SessionDate: b.SessionDate, AcceptBy: b.AcceptBy,
	}
	if b.AcceptedBy != 0 {
		out.Credits = b.AcceptedCredits
		out.AcceptedDate = &b.AcceptedAt
	}
	if b.PhoneNumber != "" {
		out.PhoneNumber = &b.PhoneNumber
	}
	if b.RescheduledFrom != 0 {
		out.RescheduledFrom = &b.RescheduledFrom
	}
	reason := b.Reason
	if b.Expired(now) {
		reason = awapi.ExpiredReason
	}
	if side == awapi.ClientSide {
		out.BookedUsers = []WebcamBookedUser{}
		for _, inv := range b.Invitations {
			out.BookedUsers = append(out.BookedUsers, WebcamBookedUser{inv.PerformerID, inv.Nickname, string(b.InvitationStatusAt(inv, now))})
		}
	} else {
		out.ClientUserID, out.ClientNickname = &b.ClientID, &b.ClientNickname
		// The performer sees their own invitation's status: another performer's acceptance cancels theirs.
		if inv, ok := b.Invitation(performer); ok {
			out.Status = string(b.InvitationStatusAt(inv, now))
			if inv.Reason != "" && inv.Status != awapi.StatusPending {
				reason = inv.Reason
			}
			if b.AcceptedBy != performer {
				out.Credits = b.Credits
			}
		}
	}
	if reason != "" {
		out.Reason = &reason
	}
	return out
}

func (s *webcamArea) webcamList(side awapi.BookingSide) func(context.Context, *web.Call, *webcamListReq) (WebcamBookingsOutput, error) {
	return func(ctx context.Context, c *web.Call, req *webcamListReq) (WebcamBookingsOutput, error) {
		q := awapi.WebcamBookingQuery{Side: side, UserID: c.Caller.ActingUserID, OrderBy: req.OrderBy,
			Page: awapi.Page{Number: req.PageNumber, Size: req.BookingsPerPage}}
		if req.StartDate != nil {
			q.CreatedFrom = startOfDay(*req.StartDate, c.Loc)
		}
		bs, total, err := s.bookings.WebcamBookings(ctx, q)
		if err != nil {
			return WebcamBookingsOutput{}, err
		}
		out := WebcamBookingsOutput{SizedPaging: sizedPagingOf(total, q.Page), BookingsTotal: total, Bookings: make([]WebcamBooking, len(bs))}
		for i := range bs {
			out.Bookings[i] = webcamBookingOut(&bs[i], side, q.UserID, c.Now)
		}
		return out, nil
	}
}

// startOfDay is midnight of a calendar date in the server's zone.
func startOfDay(date time.Time, loc *time.Location) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc)
}

func (s *webcamArea) webcamDetails(side awapi.BookingSide) func(context.Context, *web.Call, *bookingIDReq) (WebcamBooking, error) {
	return func(ctx context.Context, c *web.Call, req *bookingIDReq) (WebcamBooking, error) {
		b, err := s.bookings.WebcamBooking(ctx, side, c.Caller.ActingUserID, req.BookingID)
		return transition(side, c, b, err)
	}
}

// transition runs one state change and answers the booking as side sees it afterwards.
func transition(side awapi.BookingSide, c *web.Call, b awapi.WebcamBooking, err error) (WebcamBooking, error) {
	if err != nil {
		return WebcamBooking{}, err
	}
	return webcamBookingOut(&b, side, c.Caller.ActingUserID, c.Now), nil
}

func (s *webcamArea) confirmWebcamBooking(ctx context.Context, c *web.Call, req *bookingIDReq) (WebcamBooking, error) {
	b, err := s.bookings.ConfirmWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, c.Now)
	return transition(awapi.ClientSide, c, b, err)
}

func (s *webcamArea) cancelMadeWebcamBooking(ctx context.Context, c *web.Call, req *bookingReasonReq) (WebcamBooking, error) {
	b, err := s.bookings.CancelMadeWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return transition(awapi.ClientSide, c, b, err)
}

func (s *webcamArea) rescheduleWebcamBooking(ctx context.Context, c *web.Call, req *bookingIDReq) (WebcamBooking, error) {
	b, err := s.bookings.RescheduleWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, c.Now)
	return transition(awapi.ClientSide, c, b, err)
}

func (s *webcamArea) acceptWebcamBooking(ctx context.Context, c *web.Call, req *acceptReq) (WebcamBooking, error) {
	b, err := s.bookings.AcceptWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, req.Credits, c.Now)
	return transition(awapi.PerformerSide, c, b, err)
}

func (s *webcamArea) rejectWebcamBooking(ctx context.Context, c *web.Call, req *bookingReasonReq) (WebcamBooking, error) {
	b, err := s.bookings.RejectWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return transition(awapi.PerformerSide, c, b, err)
}

func (s *webcamArea) cancelReceivedWebcamBooking(ctx context.Context, c *web.Call, req *bookingReasonReq) (WebcamBooking, error) {
	b, err := s.bookings.CancelReceivedWebcamBooking(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return transition(awapi.PerformerSide, c, b, err)
}

func (s *webcamArea) deleteWebcamBookings(side awapi.BookingSide) func(context.Context, *web.Call, *bookingIDsReq) ([]BookingDeleteOutput, error) {
	return func(ctx context.Context, c *web.Call, req *bookingIDsReq) ([]BookingDeleteOutput, error) {
		ids := make([]int64, len(req.BookingIDs))
		for i, id := range req.BookingIDs {
			ids[i] = int64(id)
		}
		results, err := s.bookings.DeleteWebcamBookings(ctx, side, c.Caller.ActingUserID, ids, c.Now)
		if err != nil {
			return nil, err
		}
		out := make([]BookingDeleteOutput, len(results))
		for i, r := range results {
			out[i] = BookingDeleteOutput(r)
		}
		return out, nil
	}
}
