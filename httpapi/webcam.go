package httpapi

import (
	"context"
	"slices"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Webcam (api-v1.md §2.18): the client books up to four performers; the first to accept wins. The
// rules live in the domain (awapi/webcam.go for creation, awapi/booking.go for the engine every
// service shares); these handlers translate.

// webcamArea serves Webcam.
type webcamArea struct {
	performers awapi.WebcamStore
	bookingHandlers[WebcamBooking]
}

func newWebcamArea(performers awapi.WebcamStore, bookings awapi.BookingStore) *webcamArea {
	return &webcamArea{performers: performers, bookingHandlers: bookingHandlers[WebcamBooking]{
		engine: awapi.Bookings{Store: bookings, Service: awapi.ServiceWebcam}, out: webcamBookingOut,
		lead: func(time.Time) time.Duration { return awapi.RescheduleLead }}}
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
		web.Handle(ep("GET", "/v1/Webcam/MadeBookingDetails", web.WithGM, "One booking you made."), s.details(awapi.ClientSide)),
		web.Handle(ep("POST", "/v1/Webcam/ConfirmMadeBooking", web.NoGM, "Confirm an accepted booking: the agreed credits are reserved."), s.confirm),
		web.Handle(ep("POST", "/v1/Webcam/CancelMadeBooking", web.NoGM, "Cancel a booking you made; a confirmed one is refunded before its session."), s.cancelMade),
		web.Handle(ep("POST", "/v1/Webcam/RescheduleMadeBooking", web.NoGM, "Copy a finished booking to start in 5 minutes."), s.reschedule),
		web.Handle(deletes("/v1/Webcam/DeleteMadeBookings", "Delete finished bookings you made, answering per item."), s.delete(awapi.ClientSide)),
		web.Handle(implied(ep("GET", "/v1/Webcam/ReceivedBookings", web.WithGM, "The booking invitations you received, paged.")), s.webcamList(awapi.PerformerSide)),
		web.Handle(ep("GET", "/v1/Webcam/ReceivedBookingDetails", web.WithGM, "One booking invitation you received."), s.details(awapi.PerformerSide)),
		web.Handle(ep("POST", "/v1/Webcam/AcceptReceivedBooking", web.NoGM, "Accept an invitation at your price; the other invited performers are cancelled."), s.accept),
		web.Handle(ep("POST", "/v1/Webcam/RejectReceivedBooking", web.NoGM, "Reject a pending invitation."), s.reject),
		web.Handle(ep("POST", "/v1/Webcam/CancelReceivedBooking", web.NoGM, "Cancel a booking you accepted, before its session."), s.cancelReceived),
		web.Handle(deletes("/v1/Webcam/DeleteReceivedBookings", "Delete finished received bookings, answering per item."), s.delete(awapi.PerformerSide)),
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
)

type (
	bookUserIDsReq struct {
		BookUserIDs []int `api:"required,items=1-4,min=1" doc:"Comma-separated IDs of 1 to 4 performers; duplicates count once."`
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

func (r *acceptReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.Credits <= 0 {
		v.Addf("Credits", "Credits must be more than 0.")
	}
}

// performers loads the requested members in request order, leaving out unknown IDs.
func (s *webcamArea) performersOf(ctx context.Context, ids []int) ([]awapi.WebcamPerformer, error) {
	ids64 := make([]int64, len(ids))
	for i, id := range ids {
		ids64[i] = int64(id)
	}
	found, err := s.performers.WebcamPerformers(ctx, ids64)
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
	ps, err := s.performersOf(ctx, req.BookUserIDs)
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
	r := awapi.WebcamRequest{ClientID: c.Caller.ActingUserID, BookUserIDs: ids64(req.BookUserIDs), SessionDate: req.SessionDate,
		Duration: req.Duration, Credits: req.Credits, SoftwareTypeID: req.SoftwareTypeID, SignInNameOrEmail: req.SignInNameOrEmail,
		AlsoPhoneChat: req.AlsoPhoneChat, PhoneNumber: req.PhoneNumber, SendSMSOnAccept: req.SendSMSOnAccept}
	ps, err := s.performersOf(ctx, req.BookUserIDs)
	if err != nil {
		return WebcamBooking{}, err
	}
	verified := false
	if req.SendSMSOnAccept {
		if verified, err = s.performers.MobileVerified(ctx, r.ClientID); err != nil {
			return WebcamBooking{}, err
		}
	}
	b, err := r.Booking(ps, verified, c.Now)
	if err != nil {
		return WebcamBooking{}, err
	}
	created, err := s.engine.Store.CreateBooking(ctx, b, 0)
	return s.answer(awapi.ClientSide, c, created, err)
}

// webcamBookingOut shapes a booking for one side; performer is the viewing performer on that side.
func webcamBookingOut(b *awapi.Booking, side awapi.BookingSide, performer int64, now time.Time) WebcamBooking {
	d := &b.Details
	out := WebcamBooking{
		WebcamBookingID: b.BookingID, Duration: b.Duration, Credits: b.Credits, OfferedCredits: b.Credits,
		Status: string(b.StatusAt(now)), IsMulitple: b.IsMultiple(), SoftwareTypeID: d.SoftwareTypeID,
		SignInNameOrEmail: d.SignInNameOrEmail, AlsoPhoneChat: d.AlsoPhoneChat, SendSMSOnAccept: d.SendSMSOnAccept,
		CreateDate: b.CreatedAt, SessionDate: b.SessionDate, AcceptBy: b.AcceptBy,
	}
	if b.AcceptedBy != 0 {
		out.Credits = b.AcceptedCredits
		out.AcceptedDate = &b.AcceptedAt
	}
	if d.PhoneNumber != "" {
		out.PhoneNumber = &d.PhoneNumber
	}
	if b.RescheduledFrom != 0 {
		out.RescheduledFrom = &b.RescheduledFrom
	}
	reason := b.ReasonAt(now)
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
		bs, paging, total, err := s.list(ctx, c, side, req.StartDate, req.OrderBy, awapi.Page{Number: req.PageNumber, Size: req.BookingsPerPage})
		if err != nil {
			return WebcamBookingsOutput{}, err
		}
		return WebcamBookingsOutput{SizedPaging: paging, BookingsTotal: total, Bookings: bs}, nil
	}
}
