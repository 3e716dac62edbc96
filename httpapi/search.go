package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
	"github.com/awapi/awapi/web"
)

// Public profiles: Search/SearchProfiles (api-v1.md §5; implied, as only client code shows it),
// Profile/getProfileDetails (implied, §2.16) and Newsfeed/getUserSummary (§2.13). All take the API
// key (or a bearer token in its place) and render members with ProfileSummaryOf.

type searchProfilesReq struct {
	GenderIDs       []int  `api:"alias=GenderID" doc:"Comma-separated GenderIDs (see getGenders)."`
	MinAge          *int   `api:"min=18,max=99" doc:"Youngest age, in whole years today."`
	MaxAge          *int   `api:"min=18,max=99" doc:"Oldest age, in whole years today (inclusive)."`
	OrientationIds  []int  `api:"alias=OrientationID" doc:"Comma-separated OrientationIDs (see getOrientations)."`
	CountryID       int    `api:"min=0" doc:"Members in this country (see getCountries; the United Kingdom is 158)."`
	RegionID        int    `api:"min=0" doc:"Members in this region (see getRegions)."`
	CountyID        int    `api:"min=0" doc:"Members in this county (see getCounties)."`
	Town            string `api:"maxlen=50" doc:"Part of the town name, case-insensitive."`
	Nickname        string `api:"maxlen=20" doc:"Part of the nickname, case-insensitive."`
	IsEscort        bool   `doc:"Only members offering escort services."`
	IsWebcam        bool   `doc:"Only members offering webcam."`
	IsPhoneChat     bool   `doc:"Only members offering phone chat."`
	IsSMSChat       bool   `doc:"Only members offering SMS chat."`
	IsAlternative   bool   `doc:"Only members offering alternative services."`
	IsOtherServices bool   `doc:"Only members offering other services."`

	AvailableTodayEscort  bool `doc:"Only escorts available today (server's zone)."`
	AvailableNowWebcam    bool `doc:"Only members available for webcam now."`
	AvailableNowPhoneChat bool `doc:"Only members available for phone chat now."`
	HasGallery            bool `doc:"Only members with a gallery."`
	Verified              bool `doc:"Only verified members."`

	locationSearch

	OrderBy         string `api:"enum=lastupdated|rating|views|age-asc|age-desc|nickname-asc|nickname-desc|distance|registerdate,default=lastupdated" doc:"Ordering; distance needs a location. rating is the net rating (positive minus negative)."`
	ProfilesPerPage int    `api:"min=1,max=100,default=50,alias=PageSize" doc:"Profiles per page (PageSize is accepted too)."`
	PageNumber      int    `api:"min=1,default=1" doc:"1-based page number."`
}

func (r *searchProfilesReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.MinAge != nil && r.MaxAge != nil && *r.MinAge > *r.MaxAge {
		v.Addf("MinAge", "MinAge must not be more than MaxAge.")
	}
	genders.check(v, "GenderIDs", r.GenderIDs...)
	orientations.check(v, "OrientationIds", r.OrientationIds...)
	validPlace(v, r.CountryID, r.RegionID, r.CountyID)
	r.locationSearch.validate(v)
	if r.OrderBy == string(awapi.OrderDistance) && r.LocationZipCode == "" {
		v.Addf("OrderBy", "OrderBy=distance needs LocationZipCode and a proximity.")
	}
}

// SearchProfilesOutput is a page of profile summaries. TotalResults repeats ProfilesTotal under the
// name some client code reads (api-v1.md §5: totalResults).
type SearchProfilesOutput struct {
	Paging
	ProfilesTotal   int
	ProfilesPerPage int
	TotalResults    int
	Profiles        []ProfileSummary
}

func (s *api) searchProfiles(ctx context.Context, c *web.Call, r *searchProfilesReq) (SearchProfilesOutput, error) {
	q := awapi.ProfileQuery{
		GenderIDs: r.GenderIDs, OrientationIDs: r.OrientationIds, CountryID: r.CountryID, RegionID: r.RegionID,
		CountyID: r.CountyID, Town: r.Town, Nickname: r.Nickname,
		Services: awapi.Services{IsEscort: r.IsEscort, IsWebcam: r.IsWebcam, IsPhoneChat: r.IsPhoneChat,
			IsSMSChat: r.IsSMSChat, IsAlternative: r.IsAlternative, IsOtherServices: r.IsOtherServices},
		AvailableTodayEscort: r.AvailableTodayEscort, AvailableNowWebcam: r.AvailableNowWebcam,
		AvailableNowPhoneChat: r.AvailableNowPhoneChat, HasGallery: r.HasGallery, Verified: r.Verified,
		Order: awapi.ProfileOrder(r.OrderBy), Page: awapi.Page{Number: r.PageNumber, Size: r.ProfilesPerPage}, Now: c.Now,
	}
	if r.MinAge != nil {
		q.MinAge = *r.MinAge
	}
	if r.MaxAge != nil {
		q.MaxAge = *r.MaxAge
	}
	near, err := r.near()
	if err != nil {
		return SearchProfilesOutput{}, err
	}
	q.Near = near
	hits, total, err := s.store.SearchProfiles(ctx, q)
	if err != nil {
		return SearchProfilesOutput{}, err
	}
	out := SearchProfilesOutput{Paging: pagingOf(total, q.Page), ProfilesTotal: total, TotalResults: total,
		ProfilesPerPage: q.Page.Size, Profiles: make([]ProfileSummary, len(hits))}
	for i := range hits {
		out.Profiles[i] = ProfileSummaryOf(c, &hits[i].Profile, hits[i].DistanceKm)
	}
	// A member calling with a token sees which results they blacklisted (IsBlacklisted).
	if err := s.markBlacklisted(ctx, c, len(out.Profiles), func(i int) *ProfileSummary { return &out.Profiles[i] }); err != nil {
		return SearchProfilesOutput{}, err
	}
	return out, nil
}

type profileDetailsReq struct {
	UserID        int64 `api:"required,min=1" doc:"The member."`
	ReturnImages  bool  `doc:"Include the Images block."`
	ReturnContact bool  `doc:"Include the Contact block: HasMobileNumber (the member has a mobile number), MobileNumber and MobileNumberVerified (both null unless the member shows the number on their profile)."`
}

// ProfileDetailsOutput is the full public profile: the summary, the About-You details and the
// services the summary leaves out, and the Images and Contact blocks when asked for (null otherwise).
type ProfileDetailsOutput struct {
	Profile     ProfileSummary
	Details     string
	TVTS        bool
	IsContent   bool
	EscortRates []EscortRate // by rate break, shortest first; empty for members without escort rates
	Images      *Images
	Contact     *Contact
}

// profile reads one active member's profile; unknown and inactive members are not found.
func (s *api) profile(ctx context.Context, c *web.Call, userID int64) (awapi.Profile, error) {
	ps, err := s.store.Profiles(ctx, []int64{userID}, c.Now)
	if err != nil {
		return awapi.Profile{}, err
	}
	if len(ps) == 0 {
		return awapi.Profile{}, awapi.NotFound("The member")
	}
	return ps[0], nil
}

func (s *api) getProfileDetails(ctx context.Context, c *web.Call, r *profileDetailsReq) (ProfileDetailsOutput, error) {
	p, err := s.profile(ctx, c, r.UserID)
	if err != nil {
		return ProfileDetailsOutput{}, err
	}
	rates, err := s.store.EscortRates(ctx, []int64{p.UserID})
	if err != nil {
		return ProfileDetailsOutput{}, err
	}
	out := ProfileDetailsOutput{Profile: ProfileSummaryOf(c, &p, nil), Details: p.Details, TVTS: p.TVTS, IsContent: p.IsContent,
		EscortRates: escortRatesOf(rates)}
	if r.ReturnImages {
		images := ImagesOf(&p)
		out.Images = &images
	}
	if r.ReturnContact {
		contact := ContactOf(&p)
		out.Contact = &contact
	}
	return out, nil
}

type userSummaryReq struct {
	UserID int64 `api:"required,min=1" doc:"The member."`
}

// NewsFeedUser is a member's card in the newsfeed (aws:NewsFeedUser, api-v1.md §2.13).
type NewsFeedUser struct {
	UserID   int64
	Nickname string
	Gender   string
	Age      int
	CardServices
	ProfileThumbnail
	ProfileLinks
	Orientation string
	PlaceNames
	Nationality string
}

// NewsFeedSummary is one item of a member's recent activity (aws:NewsFeedSummary; its fields were
// not captured): Type is Rating or Tour.
type NewsFeedSummary struct {
	Type        string
	Description string
	Date        time.Time
}

// UserSummaryOutput answers getUserSummary.
type UserSummaryOutput struct {
	User    NewsFeedUser
	Summary []NewsFeedSummary
}

// userSummaryItems is how many activity items getUserSummary returns.
const userSummaryItems = 10

func (s *api) getUserSummary(ctx context.Context, c *web.Call, r *userSummaryReq) (UserSummaryOutput, error) {
	p, err := s.profile(ctx, c, r.UserID)
	if err != nil {
		return UserSummaryOutput{}, err
	}
	acts, err := s.store.ProfileActivity(ctx, p.UserID, userSummaryItems)
	if err != nil {
		return UserSummaryOutput{}, err
	}
	sum := ProfileSummaryOf(c, &p, nil)
	out := UserSummaryOutput{User: NewsFeedUser{UserID: sum.UserID, Nickname: sum.NickName, Gender: sum.Gender, Age: sum.Age,
		CardServices: cardServicesOf(&sum), ProfileThumbnail: sum.ProfileThumbnail, ProfileLinks: sum.ProfileLinks,
		Orientation: sum.Orientation, PlaceNames: sum.PlaceNames, Nationality: sum.Nationality,
	}, Summary: make([]NewsFeedSummary, 0, len(acts))}
	for _, a := range acts {
		out.Summary = append(out.Summary, NewsFeedSummary{Type: a.Type, Date: a.Date, Description: activityText(&a)})
	}
	return out, nil
}

// activityText describes an activity item in a sentence.
func activityText(a *awapi.Activity) string {
	switch {
	case a.Rating != nil:
		outcome := map[int]string{1: "positive", 0: "neutral", -1: "negative"}[a.Rating.Score]
		return fmt.Sprintf("Received a %s %s rating.", outcome, a.Rating.Service)
	case a.Tour != nil:
		place := a.Tour.Town
		if place == "" {
			if reg, ok := refdata.RegionByID(a.Tour.RegionID); ok {
				place = reg.RegionName
			}
		}
		return fmt.Sprintf("Touring %s from %s to %s.", place, a.Tour.DateFrom.Format("2 Jan 2006"), a.Tour.DateTo.Format("2 Jan 2006"))
	}
	return ""
}

func (s *api) profileEndpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Search/SearchProfiles", Auth: web.AuthKey, Implied: true,
			Summary: "Search active members offering services: filters, nine orderings, UK proximity, paging."}, s.searchProfiles),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Profile/getProfileDetails", Auth: web.AuthKey, Implied: true,
			Summary: "A member's full public profile, with the Images block when ReturnImages is true and the Contact block " +
				"(HasMobileNumber; MobileNumber and MobileNumberVerified, null unless the member shows their number) when ReturnContact is true."},
			s.getProfileDetails),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Newsfeed/getUserSummary", Auth: web.AuthKey,
			Summary: "A member's newsfeed card and their recent activity (ratings received, tours)."}, s.getUserSummary),
	}
}
