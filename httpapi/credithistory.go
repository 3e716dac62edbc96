package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// CreditHistory (api-v1.md §2.3): the member's balance and ledger.

// creditHistoryArea serves CreditHistory. A read settles the member's ended sessions first.
type creditHistoryArea struct {
	credits    awapi.CreditReader
	settlement awapi.MemberSettlement
}

func (s *creditHistoryArea) endpoints() []*web.Endpoint {
	ep := func(path, summary string) web.Endpoint {
		return web.Endpoint{Method: "GET", Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountCreditsHistory, Summary: summary}
	}
	return []*web.Endpoint{
		web.Handle(ep("/v1/CreditHistory/GetCreditsHistory", "Your credit transactions, paged; no PageNumber means the last page."), s.getCreditsHistory),
		web.Handle(ep("/v1/CreditHistory/GetCurrentCreditBalance", "Your current credit balance, as a bare decimal."), s.getCurrentCreditBalance),
	}
}

type (
	// CreditHistoryOutput is one page of the ledger.
	CreditHistoryOutput struct {
		SizedPaging
		CreditHistory []CreditHistory
	}
	// CreditHistory is one ledger entry: credits in (positive) or out (negative), and the balance after.
	CreditHistory struct {
		TransactionID   int64
		TransactionDate time.Time
		Description     string
		Credits         awapi.Credits
		Balance         awapi.Credits
		WebcamBookingID *int64
	}
	creditsHistoryReq struct {
		PageSize   int    `api:"min=1,max=100,default=50"`
		PageNumber *int   `api:"min=1" doc:"Leave it out for the last page."`
		OrderBy    string `api:"enum=transactiondate-asc|transactiondate-desc,default=transactiondate-asc"`
	}
)

// settle pays for the member's own sessions that have ended (as client or performer), so the balance
// and history they read now are current without depending on any one instance's timer. Other members'
// bookings are left to their own reads and to serve's periodic settling: a read costs the reader only.
func settle(ctx context.Context, settlement awapi.MemberSettlement, userID int64, now time.Time) error {
	_, err := settlement.SettleMemberBookings(ctx, userID, now)
	return err
}

func (s *creditHistoryArea) getCurrentCreditBalance(ctx context.Context, c *web.Call, _ *noParams) (awapi.Credits, error) {
	if err := settle(ctx, s.settlement, c.Caller.ActingUserID, c.Now); err != nil {
		return 0, err
	}
	return s.credits.CreditBalance(ctx, c.Caller.ActingUserID)
}

func (s *creditHistoryArea) getCreditsHistory(ctx context.Context, c *web.Call, req *creditsHistoryReq) (CreditHistoryOutput, error) {
	if err := settle(ctx, s.settlement, c.Caller.ActingUserID, c.Now); err != nil {
		return CreditHistoryOutput{}, err
	}
	// Without a PageNumber the documented default is the last page, which page number 0 asks of the store.
	page := awapi.Page{Size: req.PageSize}
	if req.PageNumber != nil {
		page.Number = *req.PageNumber
	}
	entries, total, err := s.credits.CreditHistory(ctx, c.Caller.ActingUserID, req.OrderBy == "transactiondate-desc", page)
	if err != nil {
		return CreditHistoryOutput{}, err
	}
	page = awapi.LastPage(req.PageNumber, total, req.PageSize)
	out := CreditHistoryOutput{SizedPaging: sizedPagingOf(total, page), CreditHistory: make([]CreditHistory, len(entries))}
	for i, e := range entries {
		h := CreditHistory{TransactionID: e.EntryID, TransactionDate: e.CreatedAt, Description: e.Description, Credits: e.Amount, Balance: e.Balance}
		if e.BookingID != 0 {
			h.WebcamBookingID = &e.BookingID
		}
		out.CreditHistory[i] = h
	}
	return out, nil
}
