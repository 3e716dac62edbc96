package httpapi

import (
	"context"
	"strings"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Dashboard (api-v1.md §2.4): several figures in one call. Each Options bit needs its own scope, so
// the endpoint declares none and checks the requested bits itself.

// dashboardArea serves the Dashboard: one figure from each of the stores it reads.
type dashboardArea struct {
	credits    awapi.CreditReader
	settlement awapi.MemberSettlement
	blacklist  awapi.BlacklistStore
	hotLists   awapi.HotListStore
	mail       awapi.EmailStore
}

func (s *dashboardArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Dashboard/GetDashboard", Auth: web.AuthBearer,
			Summary: "Several figures in one call; each Options bit needs its scope, and unrequested members are null."},
			s.getDashboard),
	}
}

// Dashboard answers GetDashboard (aws:Dashboard). A member whose bit was not requested is null.
type Dashboard struct {
	UnreadEmails             *int
	UnreadEscortBookingCount *int
	CurrentCreditsBalance    *awapi.Credits
	BlacklistedUserIds       *[]int64
	Hotlists                 *[]HotListSummary
}

type dashboardReq struct {
	Options int `api:"required,min=1,max=31" doc:"Bitmask: 1 UnreadEmails (account_communications), 2 UnreadEscortBookingCount (account_escort_bookings), 4 CurrentCreditsBalance (account_credits_history), 8 BlacklistedUserIds (profile_blacklist), 16 Hotlists (profile_hotlist)."`
}

// dashboardOptions are the documented bits, each with the scope it needs and what fills it.
var dashboardOptions = []struct {
	bit   int
	scope awapi.Scope
	fill  func(s *dashboardArea, ctx context.Context, c *web.Call, d *Dashboard) error
}{
	{1, awapi.ScopeAccountCommunications, func(s *dashboardArea, ctx context.Context, c *web.Call, d *Dashboard) error {
		n, err := s.mail.UnreadEmails(ctx, c.Caller.ActingUserID) // the count Email/GetUnreadEmails answers
		d.UnreadEmails = &n
		return err
	}},
	{2, awapi.ScopeAccountEscortBookings, func(_ *dashboardArea, _ context.Context, _ *web.Call, d *Dashboard) error {
		// There are no escort bookings yet (api-v1.md §2.2 is not built), so none is unread.
		d.UnreadEscortBookingCount = ptr(0)
		return nil
	}},
	{4, awapi.ScopeAccountCreditsHistory, func(s *dashboardArea, ctx context.Context, c *web.Call, d *Dashboard) error {
		if err := settle(ctx, s.settlement, c.Caller.ActingUserID, c.Now); err != nil { // as GetCurrentCreditBalance: current, not stale
			return err
		}
		bal, err := s.credits.CreditBalance(ctx, c.Caller.ActingUserID)
		d.CurrentCreditsBalance = &bal
		return err
	}},
	{8, awapi.ScopeProfileBlacklist, func(s *dashboardArea, ctx context.Context, c *web.Call, d *Dashboard) error {
		ids, _, err := s.blacklist.Blacklist(ctx, c.Caller.ActingUserID, awapi.Page{Number: 1, Size: awapi.MaxBlacklist})
		d.BlacklistedUserIds = &ids
		return err
	}},
	{16, awapi.ScopeProfileHotlist, func(s *dashboardArea, ctx context.Context, c *web.Call, d *Dashboard) error {
		lists, err := hotListSummaries(ctx, s.hotLists, c.Caller.ActingUserID)
		d.Hotlists = &lists
		return err
	}},
}

func (s *dashboardArea) getDashboard(ctx context.Context, c *web.Call, req *dashboardReq) (Dashboard, error) {
	// Every missing scope is named before anything is read, as one 403.
	var missing []string
	for _, o := range dashboardOptions {
		if req.Options&o.bit != 0 && !c.Caller.Scopes.Has(o.scope) {
			missing = append(missing, string(o.scope))
		}
	}
	if len(missing) > 0 {
		return Dashboard{}, &awapi.Error{Kind: awapi.KindForbidden, Code: "insufficient_scope", Scope: strings.Join(missing, " "),
			Message: "The access token does not grant the " + strings.Join(missing, ", ") + " scope these Options need."}
	}
	var d Dashboard
	for _, o := range dashboardOptions {
		if req.Options&o.bit != 0 {
			if err := o.fill(s, ctx, c, &d); err != nil {
				return Dashboard{}, err
			}
		}
	}
	return d, nil
}
