package httpapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Groups/getGroupDetails (api-v1.md §2.9): an agency group's public page. The response was not
// captured; it is shaped in the documented style (see the README). Members are rendered with
// ProfileSummaryOf and ImagesOf, as everywhere else.

// groupsArea serves Groups.
type groupsArea struct {
	groups    awapi.GroupReader
	rates     awapi.EscortRateReader
	blacklist awapi.BlacklistLookup
}

func (s *groupsArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Groups/getGroupDetails", Auth: web.AuthKey,
			Summary: "An agency group's public page: details, images, opening hours and a page of its members."}, s.getGroupDetails),
	}
}

type groupDetailsReq struct {
	GroupID                 *int64 `api:"min=1" doc:"The group. Required when GroupName is empty."`
	GroupName               string `api:"maxlen=100" doc:"The group's name, matched case-insensitively. Required when GroupID is empty; with both, they must name the same group."`
	ReturnDetails           bool   `doc:"Include Details (description, contact, place)."`
	ReturnImages            bool   `doc:"Include the group's Images block."`
	ReturnOpeningHours      bool   `doc:"Include OpeningHours, Monday to Sunday."`
	ReturnMembers           bool   `doc:"Include a page of the group's active members."`
	ReturnMemberImages      bool   `doc:"With ReturnMembers: each member's Images block."`
	ReturnMemberEscortRates bool   `doc:"With ReturnMembers: each member's EscortRates."`
	MembersPerPage          int    `api:"min=1,max=100,default=50" doc:"Members per page."`
	PageNumber              int    `api:"min=1,default=1" doc:"1-based page of members."`
	OrderBy                 string `api:"enum=lastupdated|rating|ratingtotal|registerdate|views|inrates-asc|inrates-desc|outrates-asc|outrates-desc|age-asc|age-desc|nickname-asc|nickname-desc,default=lastupdated" doc:"Member ordering. rating is the net rating, ratingtotal the number of ratings; inrates/outrates use the member's 1-hour in-call/out-call rate, members without one last."`
}

func (r *groupDetailsReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.GroupID == nil && strings.TrimSpace(r.GroupName) == "" {
		v.Addf("GroupID", "GroupID is required when GroupName is empty.")
		v.Addf("GroupName", "GroupName is required when GroupID is empty.")
	}
}

// Group answers getGroupDetails. Each optional part is null unless its Return… switch is on.
type Group struct {
	GroupID      int64
	GroupName    string
	Details      *GroupDetails
	Images       *Images
	OpeningHours *[]OpeningDay // a pointer so that "not asked for" is null: the encoders write nil lists as []
	Members      *GroupMembers
}

// GroupDetails is what the group says about itself. Website and PhoneNumber are null when not given.
type GroupDetails struct {
	Details     string
	Website     *string
	PhoneNumber *string
	Place
	PostCode string
}

// OpeningDay is one weekday's opening hours ("HH:mm", server's zone); both times are null on a closed
// day. ClosesAt earlier than OpensAt means closing after midnight.
type OpeningDay struct {
	DayOfWeek string
	IsOpen    bool
	OpensAt   *string
	ClosesAt  *string
}

// GroupMembers is a page of the group's active members.
type GroupMembers struct {
	Paging
	MembersPerPage int
	MembersTotal   int
	Members        []GroupMember
}

// GroupMember is a member's summary with, when asked for, their Images block and escort rates (null
// otherwise).
type GroupMember struct {
	Profile     ProfileSummary
	Images      *Images
	EscortRates *[]EscortRate // null unless asked for (see Group.OpeningHours)
}

func (s *groupsArea) getGroupDetails(ctx context.Context, c *web.Call, r *groupDetailsReq) (Group, error) {
	name := strings.TrimSpace(r.GroupName)
	var id int64
	if r.GroupID != nil {
		id = *r.GroupID
	} else {
		g, err := s.groups.GroupByName(ctx, name)
		if err != nil {
			return Group{}, err
		}
		id = g.GroupID
	}
	g, err := s.groups.GroupProfile(ctx, id)
	if err != nil {
		return Group{}, err
	}
	if name != "" && !strings.EqualFold(name, g.GroupName) {
		return Group{}, awapi.NotFound("The group")
	}
	out := Group{GroupID: g.GroupID, GroupName: g.GroupName}
	if r.ReturnDetails {
		out.Details = groupDetailsOf(&g.GroupInfo)
	}
	if r.ReturnImages {
		images := groupImagesOf(&g)
		out.Images = &images
	}
	if r.ReturnOpeningHours {
		days := openingDaysOf(g.OpeningHours)
		out.OpeningHours = &days
	}
	if r.ReturnMembers {
		if out.Members, err = s.groupMembers(ctx, c, r, g.GroupID); err != nil {
			return Group{}, err
		}
	}
	return out, nil
}

func (s *groupsArea) groupMembers(ctx context.Context, c *web.Call, r *groupDetailsReq, groupID int64) (*GroupMembers, error) {
	page := awapi.Page{Number: r.PageNumber, Size: r.MembersPerPage}
	ps, total, err := s.groups.GroupMembers(ctx, awapi.GroupMemberQuery{GroupID: groupID, Order: awapi.ProfileOrder(r.OrderBy), Page: page, Now: c.Now})
	if err != nil {
		return nil, err
	}
	rates := map[int64][]awapi.EscortRate{}
	if r.ReturnMemberEscortRates && len(ps) > 0 {
		ids := make([]int64, len(ps))
		for i := range ps {
			ids[i] = ps[i].UserID
		}
		rs, err := s.rates.EscortRates(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, rt := range rs {
			rates[rt.UserID] = append(rates[rt.UserID], rt)
		}
	}
	out := &GroupMembers{Paging: pagingOf(total, page), MembersPerPage: page.Size, MembersTotal: total,
		Members: make([]GroupMember, len(ps))}
	for i := range ps {
		m := GroupMember{Profile: ProfileSummaryOf(c, &ps[i], nil)}
		if r.ReturnMemberImages {
			images := ImagesOf(&ps[i])
			m.Images = &images
		}
		if r.ReturnMemberEscortRates {
			rs := escortRatesOf(rates[ps[i].UserID])
			m.EscortRates = &rs
		}
		out.Members[i] = m
	}
	if err := markBlacklisted(ctx, s.blacklist, c, len(out.Members), func(i int) *ProfileSummary { return &out.Members[i].Profile }); err != nil {
		return nil, err
	}
	return out, nil
}

func groupDetailsOf(i *awapi.GroupInfo) *GroupDetails {
	return &GroupDetails{Details: i.Details, Website: nullIfEmpty(i.Website), PhoneNumber: nullIfEmpty(i.PhoneNumber),
		Place: placeOf(i.CountryID, i.RegionID, i.CountyID, i.Town), PostCode: i.PostCode}
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// GroupImageURL is the CDN address of a group's image n, beside the members' images.
func GroupImageURL(size ImageSize, groupID int64, n int) string {
	return fmt.Sprintf("https://cdn.adultwork.com/images/groups/%s/%d_%d.jpg", size, groupID, n)
}

// groupImagesOf renders a group's images as the Images block.
func groupImagesOf(g *awapi.GroupProfile) Images {
	var b Images
	for _, im := range g.Images {
		b.set(im.Number, im.Safe, im.Description, func(size ImageSize) string { return GroupImageURL(size, g.GroupID, im.Number) })
	}
	return b
}

// openingDaysOf lays the opening hours out over the week, Monday to Sunday; a group that gave none
// gets an empty list (unknown), not seven closed days.
func openingDaysOf(hs []awapi.OpeningHours) []OpeningDay {
	out := []OpeningDay{}
	if len(hs) == 0 {
		return out
	}
	clock := func(m int) *string { s := fmt.Sprintf("%02d:%02d", m/60, m%60); return &s }
	for i := range 7 {
		d := OpeningDay{DayOfWeek: time.Weekday((i + 1) % 7).String()}
		for _, h := range hs {
			if int(h.Weekday) == (i+1)%7 {
				d.IsOpen, d.OpensAt, d.ClosesAt = true, clock(h.Opens), clock(h.Closes)
			}
		}
		out = append(out, d)
	}
	return out
}
