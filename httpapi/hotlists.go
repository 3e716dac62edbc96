package httpapi

import (
	"context"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// HotLists (api-v1.md §2.10) and the blacklist: member-owned lists of other members. Only GetHotList
// is documented; listing, creating, renaming and deleting lists, and adding, annotating and removing
// members are implied (design.md §2) and answered in the documented style. The documentation names no
// GM variant for either, so there is none.

type (
	// HotList answers GetHotList (aws:HotList).
	HotList struct {
		HotListDetails HotListDetails
		HotListMembers []HotListMember
	}
	// HotListDetails names a list and its owner.
	HotListDetails struct {
		UserID   int64
		ListID   int64
		ListName string
		UserName string
	}
	// HotListMember is one member on a list. InteractionCount is the number of webcam bookings between
	// the owner and the member in either direction; LastInteractionDate the latest one's creation.
	HotListMember struct {
		UserID              int64
		InteractionCount    int
		UserName            string
		Notes               string
		LastUpdated         time.Time
		LastInteractionDate time.Time
		Profile             *ProfileSummary // the member's profile summary when ReturnMemberProfiles, else null
	}
	// HotListsOutput lists the member's hotlists.
	HotListsOutput struct {
		HotLists []HotListSummary
	}
	// HotListSummary is one list with its member count (also the dashboard's Hotlists).
	HotListSummary struct {
		ListID      int64
		ListName    string
		MemberCount int
		LastUpdated time.Time
	}
	// HotListDeleteOutput answers DeleteHotList.
	HotListDeleteOutput struct {
		ListID  int64
		Deleted bool
	}
	// MemberAddOutput is one item of adding members to a hotlist or the blacklist: Added is false when
	// the member was already there (or the list is full), and Message says which.
	MemberAddOutput struct {
		UserID  int64
		Added   bool
		Message string
	}
	// MemberRemoveOutput is one item of removing members: Removed is false when it was not there.
	MemberRemoveOutput struct {
		UserID  int64
		Removed bool
		Message string
	}
)

type (
	getHotListReq struct {
		ListID               int64 `api:"required,min=1,alias=ListId" doc:"One of your hotlists."`
		ReturnMemberProfiles bool  `doc:"Fill each member's Profile with their profile summary."`
	}
	createHotListReq struct {
		ListName string `api:"required,maxlen=50" doc:"Unique among your hotlists, ignoring case; at most 50 characters."`
	}
	renameHotListReq struct {
		ListID   int64  `api:"required,min=1" doc:"One of your hotlists."`
		ListName string `api:"required,maxlen=50" doc:"The new name; unique among your hotlists, ignoring case."`
	}
	hotListIDReq struct {
		ListID int64 `api:"required,min=1" doc:"One of your hotlists."`
	}
	hotListMembersReq struct {
		ListID  int64 `api:"required,min=1" doc:"One of your hotlists."`
		UserIDs []int `api:"required,items=1-100,min=1" doc:"Comma-separated member IDs, 1 to 100."`
	}
	hotListNotesReq struct {
		ListID int64  `api:"required,min=1" doc:"One of your hotlists."`
		UserID int64  `api:"required,min=1" doc:"A member on the list."`
		Notes  string `api:"maxlen=1000" doc:"Your notes on the member, at most 1000 characters; leave it out to clear them."`
	}
)

func (s *api) hotListEndpoints() []*web.Endpoint {
	ep := func(method, path, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeProfileHotlist, Summary: summary, Implied: true}
	}
	get := ep("GET", "/v1/HotLists/GetHotList", "One of your hotlists with its members.")
	get.Implied = false
	return []*web.Endpoint{
		web.Handle(get, s.getHotList),
		web.Handle(ep("GET", "/v1/HotLists/GetHotLists", "Your hotlists with their member counts, by name."), s.getHotLists),
		web.Handle(ep("POST", "/v1/HotLists/CreateHotList", "Create a hotlist (at most 50 per member)."), s.createHotList),
		web.Handle(ep("POST", "/v1/HotLists/RenameHotList", "Rename one of your hotlists."), s.renameHotList),
		web.Handle(ep("POST", "/v1/HotLists/DeleteHotList", "Delete one of your hotlists and its entries."), s.deleteHotList),
		web.Handle(ep("POST", "/v1/HotLists/AddMembers", "Add members to a hotlist, answering per item (at most 500 per list)."), s.addHotListMembers),
		web.Handle(ep("POST", "/v1/HotLists/UpdateNotes", "Set your notes on a member of a hotlist."), s.updateHotListNotes),
		web.Handle(ep("POST", "/v1/HotLists/RemoveMembers", "Remove members from a hotlist, answering per item."), s.removeHotListMembers),
	}
}

func (s *api) getHotList(ctx context.Context, c *web.Call, req *getHotListReq) (HotList, error) {
	h, entries, err := s.store.HotList(ctx, c.Caller.ActingUserID, req.ListID)
	if err != nil {
		return HotList{}, err
	}
	var profiles map[int64]*ProfileSummary
	if req.ReturnMemberProfiles {
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.UserID
		}
		if profiles, err = s.profileSummaries(ctx, c, ids); err != nil {
			return HotList{}, err
		}
	}
	out := HotList{
		HotListDetails: HotListDetails{UserID: h.UserID, ListID: h.ListID, ListName: h.ListName, UserName: h.OwnerNickname},
		HotListMembers: make([]HotListMember, len(entries)),
	}
	for i, e := range entries {
		out.HotListMembers[i] = HotListMember{UserID: e.UserID, InteractionCount: e.InteractionCount, UserName: e.Nickname,
			Notes: e.Notes, LastUpdated: e.LastUpdated, LastInteractionDate: e.LastInteraction, Profile: profiles[e.UserID]}
	}
	return out, nil
}

// hotListSummaries reads the member's lists in the summary form the list and the dashboard share.
func (s *api) hotListSummaries(ctx context.Context, userID int64) ([]HotListSummary, error) {
	lists, err := s.store.HotLists(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]HotListSummary, len(lists))
	for i, h := range lists {
		out[i] = HotListSummary{ListID: h.ListID, ListName: h.ListName, MemberCount: h.MemberCount, LastUpdated: h.UpdatedAt}
	}
	return out, nil
}

func (s *api) getHotLists(ctx context.Context, c *web.Call, _ *noParams) (HotListsOutput, error) {
	lists, err := s.hotListSummaries(ctx, c.Caller.ActingUserID)
	return HotListsOutput{HotLists: lists}, err
}

func (s *api) createHotList(ctx context.Context, c *web.Call, req *createHotListReq) (HotListDetails, error) {
	h, err := s.store.CreateHotList(ctx, c.Caller.ActingUserID, strings.TrimSpace(req.ListName), c.Now)
	return HotListDetails{UserID: h.UserID, ListID: h.ListID, ListName: h.ListName, UserName: h.OwnerNickname}, err
}

func (s *api) renameHotList(ctx context.Context, c *web.Call, req *renameHotListReq) (HotListDetails, error) {
	h, err := s.store.RenameHotList(ctx, c.Caller.ActingUserID, req.ListID, strings.TrimSpace(req.ListName), c.Now)
	return HotListDetails{UserID: h.UserID, ListID: h.ListID, ListName: h.ListName, UserName: h.OwnerNickname}, err
}

func (s *api) deleteHotList(ctx context.Context, c *web.Call, req *hotListIDReq) (HotListDeleteOutput, error) {
	if err := s.store.DeleteHotList(ctx, c.Caller.ActingUserID, req.ListID); err != nil {
		return HotListDeleteOutput{}, err
	}
	return HotListDeleteOutput{ListID: req.ListID, Deleted: true}, nil
}

func (s *api) addHotListMembers(ctx context.Context, c *web.Call, req *hotListMembersReq) ([]MemberAddOutput, error) {
	rs, err := s.store.AddHotListMembers(ctx, c.Caller.ActingUserID, req.ListID, ids64(req.UserIDs), c.Now)
	return addOutputs(rs), err
}

func (s *api) updateHotListNotes(ctx context.Context, c *web.Call, req *hotListNotesReq) (HotListMember, error) {
	e, err := s.store.SetHotListNotes(ctx, c.Caller.ActingUserID, req.ListID, req.UserID, req.Notes, c.Now)
	return HotListMember{UserID: e.UserID, InteractionCount: e.InteractionCount, UserName: e.Nickname, Notes: e.Notes,
		LastUpdated: e.LastUpdated, LastInteractionDate: e.LastInteraction}, err
}

func (s *api) removeHotListMembers(ctx context.Context, c *web.Call, req *hotListMembersReq) ([]MemberRemoveOutput, error) {
	rs, err := s.store.RemoveHotListMembers(ctx, c.Caller.ActingUserID, req.ListID, ids64(req.UserIDs), c.Now)
	return removeOutputs(rs), err
}

func ids64(ids []int) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}

func addOutputs(rs []awapi.ItemResult) []MemberAddOutput {
	out := make([]MemberAddOutput, len(rs))
	for i, r := range rs {
		out[i] = MemberAddOutput{UserID: r.UserID, Added: r.Done, Message: r.Message}
	}
	return out
}

func removeOutputs(rs []awapi.ItemResult) []MemberRemoveOutput {
	out := make([]MemberRemoveOutput, len(rs))
	for i, r := range rs {
		out[i] = MemberRemoveOutput{UserID: r.UserID, Removed: r.Done, Message: r.Message}
	}
	return out
}

// Blacklist: the members a member does not want to deal with. Nothing of it is documented beyond the
// scope and the dashboard's BlacklistedUserIds, so all three operations are implied.

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

func (s *api) blacklistEndpoints() []*web.Endpoint {
	ep := func(method, path, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeProfileBlacklist, Summary: summary, Implied: true}
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/Blacklist/GetBlacklist", "The IDs of the members you blacklisted, newest first, paged."), s.getBlacklist),
		web.Handle(ep("POST", "/v1/Blacklist/AddMembers", "Blacklist members, answering per item (at most 1000)."), s.addToBlacklist),
		web.Handle(ep("POST", "/v1/Blacklist/RemoveMembers", "Take members off your blacklist, answering per item."), s.removeFromBlacklist),
	}
}

func (s *api) getBlacklist(ctx context.Context, c *web.Call, req *blacklistReq) (BlacklistOutput, error) {
	page := awapi.Page{Number: req.PageNumber, Size: req.PageSize}
	ids, total, err := s.store.Blacklist(ctx, c.Caller.ActingUserID, page)
	return BlacklistOutput{SizedPaging: sizedPagingOf(total, page), BlacklistTotal: total, UserIDs: ids}, err
}

func (s *api) addToBlacklist(ctx context.Context, c *web.Call, req *blacklistMembersReq) ([]MemberAddOutput, error) {
	rs, err := s.store.AddToBlacklist(ctx, c.Caller.ActingUserID, ids64(req.UserIDs), c.Now)
	return addOutputs(rs), err
}

func (s *api) removeFromBlacklist(ctx context.Context, c *web.Call, req *blacklistMembersReq) ([]MemberRemoveOutput, error) {
	rs, err := s.store.RemoveFromBlacklist(ctx, c.Caller.ActingUserID, ids64(req.UserIDs))
	return removeOutputs(rs), err
}
