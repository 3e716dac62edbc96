package httpapi

import (
	"context"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// HotLists (api-v1.md §2.10): a member's named lists of other members. Only GetHotList is documented;
// listing, creating, renaming and deleting lists, and adding, annotating and removing members are
// implied (design.md §2) and answered in the documented style. The documentation names no GM variant,
// so there is none.

// hotListsArea serves HotLists; with ReturnMemberProfiles it renders the members' summaries.
type hotListsArea struct {
	lists     awapi.HotListStore
	profiles  awapi.ProfileReader
	blacklist awapi.BlacklistLookup
}

func (s *hotListsArea) endpoints() []*web.Endpoint {
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

func (s *hotListsArea) getHotList(ctx context.Context, c *web.Call, req *getHotListReq) (HotList, error) {
	h, entries, err := s.lists.HotList(ctx, c.Caller.ActingUserID, req.ListID)
	if err != nil {
		return HotList{}, err
	}
	var profiles map[int64]*ProfileSummary
	if req.ReturnMemberProfiles {
		ids := make([]int64, len(entries))
		for i, e := range entries {
			ids[i] = e.UserID
		}
		if profiles, err = profileSummaries(ctx, s.profiles, s.blacklist, c, ids); err != nil {
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
func hotListSummaries(ctx context.Context, store awapi.HotListStore, userID int64) ([]HotListSummary, error) {
	lists, err := store.HotLists(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := make([]HotListSummary, len(lists))
	for i, h := range lists {
		out[i] = HotListSummary{ListID: h.ListID, ListName: h.ListName, MemberCount: h.MemberCount, LastUpdated: h.UpdatedAt}
	}
	return out, nil
}

func (s *hotListsArea) getHotLists(ctx context.Context, c *web.Call, _ *noParams) (HotListsOutput, error) {
	lists, err := hotListSummaries(ctx, s.lists, c.Caller.ActingUserID)
	return HotListsOutput{HotLists: lists}, err
}

func (s *hotListsArea) createHotList(ctx context.Context, c *web.Call, req *createHotListReq) (HotListDetails, error) {
	h, err := s.lists.CreateHotList(ctx, c.Caller.ActingUserID, strings.TrimSpace(req.ListName), c.Now)
	return HotListDetails{UserID: h.UserID, ListID: h.ListID, ListName: h.ListName, UserName: h.OwnerNickname}, err
}

func (s *hotListsArea) renameHotList(ctx context.Context, c *web.Call, req *renameHotListReq) (HotListDetails, error) {
	h, err := s.lists.RenameHotList(ctx, c.Caller.ActingUserID, req.ListID, strings.TrimSpace(req.ListName), c.Now)
	return HotListDetails{UserID: h.UserID, ListID: h.ListID, ListName: h.ListName, UserName: h.OwnerNickname}, err
}

func (s *hotListsArea) deleteHotList(ctx context.Context, c *web.Call, req *hotListIDReq) (HotListDeleteOutput, error) {
	if err := s.lists.DeleteHotList(ctx, c.Caller.ActingUserID, req.ListID); err != nil {
		return HotListDeleteOutput{}, err
	}
	return HotListDeleteOutput{ListID: req.ListID, Deleted: true}, nil
}

func (s *hotListsArea) addHotListMembers(ctx context.Context, c *web.Call, req *hotListMembersReq) ([]MemberAddOutput, error) {
	rs, err := s.lists.AddHotListMembers(ctx, c.Caller.ActingUserID, req.ListID, ids64(req.UserIDs), c.Now)
	return addOutputs(rs), err
}

func (s *hotListsArea) updateHotListNotes(ctx context.Context, c *web.Call, req *hotListNotesReq) (HotListMember, error) {
	e, err := s.lists.SetHotListNotes(ctx, c.Caller.ActingUserID, req.ListID, req.UserID, req.Notes, c.Now)
	return HotListMember{UserID: e.UserID, InteractionCount: e.InteractionCount, UserName: e.Nickname, Notes: e.Notes,
		LastUpdated: e.LastUpdated, LastInteractionDate: e.LastInteraction}, err
}

func (s *hotListsArea) removeHotListMembers(ctx context.Context, c *web.Call, req *hotListMembersReq) ([]MemberRemoveOutput, error) {
	rs, err := s.lists.RemoveHotListMembers(ctx, c.Caller.ActingUserID, req.ListID, ids64(req.UserIDs), c.Now)
	return removeOutputs(rs), err
}
