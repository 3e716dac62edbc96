package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// The operations every booking service has (the booking engine, awapi/booking.go), written once for
// any service's wire model: Webcam answers WebcamBooking and PhoneChat its own booking object, but
// reading, listing, accepting, rejecting, confirming, cancelling, rescheduling and deleting are the
// same.

type (
	bookingIDReq struct {
		BookingID int64 `api:"required,min=1" doc:"The booking."`
	}
	bookingReasonReq struct {
		BookingID int64  `api:"required,min=1" doc:"The booking."`
		Reason    string `api:"required,maxlen=500" doc:"Why; shown to the other party."`
	}
	acceptReq struct {
		BookingID int64         `api:"required,min=1" doc:"The booking."`
		Credits   awapi.Credits `api:"required" doc:"Your price; it may equal the client's offer."`
	}
	bookingIDsReq struct {
		BookingIDs []int `api:"required,items=1-100,min=1" doc:"Comma-separated booking IDs."`
	}
	// BookingDeleteOutput is one item of a batch deletion.
	BookingDeleteOutput struct {
		BookingID int64
		Deleted   bool
		Message   string
	}
)

// bookingOut renders a booking as one side sees it; viewer is the member on that side.
type bookingOut[Out any] func(b *awapi.Booking, side awapi.BookingSide, viewer int64, now time.Time) Out

// bookingHandlers serves one service's common operations through the engine.
type bookingHandlers[Out any] struct {
	engine awapi.Bookings
	out    bookingOut[Out]
	// lead is how far from now a rescheduled session starts, asked at now.
	lead func(now time.Time) time.Duration
}

// answer is the booking after a transition (or a read), as side sees it.
func (h bookingHandlers[Out]) answer(side awapi.BookingSide, c *web.Call, b awapi.Booking, err error) (Out, error) {
	if err != nil {
		var zero Out
		return zero, err
	}
	return h.out(&b, side, c.Caller.ActingUserID, c.Now), nil
}

func (h bookingHandlers[Out]) details(side awapi.BookingSide) func(context.Context, *web.Call, *bookingIDReq) (Out, error) {
	return func(ctx context.Context, c *web.Call, req *bookingIDReq) (Out, error) {
		b, err := h.engine.Store.Booking(ctx, h.engine.Service, side, c.Caller.ActingUserID, req.BookingID)
		return h.answer(side, c, b, err)
	}
}

// list reads one page of side's bookings, with its place among all of them and their number.
func (h bookingHandlers[Out]) list(ctx context.Context, c *web.Call, side awapi.BookingSide, startDate *time.Time, orderBy string,
	page awapi.Page) ([]Out, SizedPaging, int, error) {
	q := awapi.BookingQuery{Service: h.engine.Service, Side: side, UserID: c.Caller.ActingUserID,
		OrderBy: awapi.BookingOrderOf(orderBy), Page: page}
	if startDate != nil {
		q.CreatedFrom = startOfDay(*startDate, c.Loc)
	}
	bs, total, err := h.engine.Store.Bookings(ctx, q)
	if err != nil {
		return nil, SizedPaging{}, 0, err
	}
	out := make([]Out, len(bs))
	for i := range bs {
		out[i] = h.out(&bs[i], side, q.UserID, c.Now)
	}
	return out, sizedPagingOf(total, page), total, nil
}

// startOfDay is midnight of a calendar date in the server's zone.
func startOfDay(date time.Time, loc *time.Location) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc)
}

func (h bookingHandlers[Out]) confirm(ctx context.Context, c *web.Call, req *bookingIDReq) (Out, error) {
	b, err := h.engine.Confirm(ctx, c.Caller.ActingUserID, req.BookingID, c.Now)
	return h.answer(awapi.ClientSide, c, b, err)
}

func (h bookingHandlers[Out]) cancelMade(ctx context.Context, c *web.Call, req *bookingReasonReq) (Out, error) {
	b, err := h.engine.CancelMade(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return h.answer(awapi.ClientSide, c, b, err)
}

func (h bookingHandlers[Out]) reschedule(ctx context.Context, c *web.Call, req *bookingIDReq) (Out, error) {
	b, err := h.engine.Reschedule(ctx, c.Caller.ActingUserID, req.BookingID, c.Now, h.lead(c.Now))
	return h.answer(awapi.ClientSide, c, b, err)
}

func (h bookingHandlers[Out]) accept(ctx context.Context, c *web.Call, req *acceptReq) (Out, error) {
	b, err := h.engine.Accept(ctx, c.Caller.ActingUserID, req.BookingID, req.Credits, c.Now)
	return h.answer(awapi.PerformerSide, c, b, err)
}

func (h bookingHandlers[Out]) reject(ctx context.Context, c *web.Call, req *bookingReasonReq) (Out, error) {
	b, err := h.engine.Reject(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return h.answer(awapi.PerformerSide, c, b, err)
}

func (h bookingHandlers[Out]) cancelReceived(ctx context.Context, c *web.Call, req *bookingReasonReq) (Out, error) {
	b, err := h.engine.CancelReceived(ctx, c.Caller.ActingUserID, req.BookingID, req.Reason, c.Now)
	return h.answer(awapi.PerformerSide, c, b, err)
}

func (h bookingHandlers[Out]) delete(side awapi.BookingSide) func(context.Context, *web.Call, *bookingIDsReq) ([]BookingDeleteOutput, error) {
	return func(ctx context.Context, c *web.Call, req *bookingIDsReq) ([]BookingDeleteOutput, error) {
		results, err := h.engine.Delete(ctx, side, c.Caller.ActingUserID, ids64(req.BookingIDs), c.Now)
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
