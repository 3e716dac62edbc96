package httpapi

import (
	"context"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Blacklist: the members a member does not want to deal with. Nothing of it is documented beyond the
// scope and the dashboard's BlacklistedUserIds, so all three operations are implied (design.md §2);
// the documentation names no Group-manager variant, so there is none.

// blacklistArea serves the Blacklist.
type blacklistArea struct {
	blacklist awapi.BlacklistStore
}

func (s *blacklistArea) endpoints() []*web.Endpoint {
	ep := func(method, path, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeProfileBlacklist, Summary: summary, Implied: true}
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/Blacklist/GetBlacklist", "The IDs of the members you blacklisted, newest first, paged."), s.getBlacklist),
		web.Handle(ep("POST", "/v1/Blacklist/AddMembers", "Blacklist members, answering per item (at most 1000)."), s.addToBlacklist),
		web.Handle(ep("POST", "/v1/Blacklist/RemoveMembers", "Take members off your blacklist, answering per item."), s.removeFromBlacklist),
	}
}

type (
	// BlacklistOutput is one page of blacklisted member IDs, most recently added first.
	BlacklistOutput struct {
		SizedPaging
		BlacklistTotal int
		UserIDs        []int64
	}
	blacklistReq struct {
		PageSize   int `api:"min=1,max=100,default=50"`
		PageNumber int `api:"min=1,default=1"`
	}
	blacklistMembersReq struct {
		UserIDs []int `api:"required,items=1-100,min=1" doc:"Comma-separated member IDs, 1 to 100."`
	}
)

func (s *blacklistArea) getBlacklist(ctx context.Context, c *web.Call, req *blacklistReq) (BlacklistOutput, error) {
	page := awapi.Page{Number: req.PageNumber, Size: req.PageSize}
	ids, total, err := s.blacklist.Blacklist(ctx, c.Caller.ActingUserID, page)
	return BlacklistOutput{SizedPaging: sizedPagingOf(total, page), BlacklistTotal: total, UserIDs: ids}, err
}

func (s *blacklistArea) addToBlacklist(ctx context.Context, c *web.Call, req *blacklistMembersReq) ([]MemberAddOutput, error) {
	rs, err := s.blacklist.AddToBlacklist(ctx, c.Caller.ActingUserID, ids64(req.UserIDs), c.Now)
	return addOutputs(rs), err
}

func (s *blacklistArea) removeFromBlacklist(ctx context.Context, c *web.Call, req *blacklistMembersReq) ([]MemberRemoveOutput, error) {
	rs, err := s.blacklist.RemoveFromBlacklist(ctx, c.Caller.ActingUserID, ids64(req.UserIDs))
	return removeOutputs(rs), err
}
