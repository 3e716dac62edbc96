package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Search (api-v1.md §2.17): profiles (SearchProfiles; implied, as only client code shows it, §5),
// field reports (searchFieldReports) and escort tours (searchTours). The responses of the last two
// were not captured; they follow the documented responses' style (see the README). All take the API
// key (or a bearer token in its place) and render members with ProfileSummaryOf; a member calling
// with a token sees which results they blacklisted.

// searchArea serves Search.
type searchArea struct {
	search    awapi.ProfileSearcher
	reports   awapi.FieldReportSearcher
	tours     awapi.TourStore
	profiles  awapi.ProfileReader
	blacklist awapi.BlacklistLookup
}

func (s *searchArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Search/SearchProfiles", Auth: web.AuthKey, Implied: true,
			Summary: "Search active members offering services: filters, nine orderings, UK proximity, paging."}, s.searchProfiles),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Search/searchFieldReports", Auth: web.AuthKey,
			Summary: "Search field reports: member, dates, call type, recommendation, place, MinReports; six orderings."}, s.searchFieldReports),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Search/searchTours", Auth: web.AuthKey,
			Summary: "Escort tours in a country and region: dates overlapping a range, member filters, UK proximity, paging."}, s.searchTours),
	}
}

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
	awapi.CheckGenders(v, "GenderIDs", r.GenderIDs...)
	awapi.CheckOrientations(v, "OrientationIds", r.OrientationIds...)
	awapi.CheckPlace(v, r.CountryID, r.RegionID, r.CountyID)
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

func (s *searchArea) searchProfiles(ctx context.Context, c *web.Call, r *searchProfilesReq) (SearchProfilesOutput, error) {
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
	hits, total, err := s.search.SearchProfiles(ctx, q)
	if err != nil {
		return SearchProfilesOutput{}, err
	}
	out := SearchProfilesOutput{Paging: pagingOf(total, q.Page), ProfilesTotal: total, TotalResults: total,
		ProfilesPerPage: q.Page.Size, Profiles: make([]ProfileSummary, len(hits))}
	for i := range hits {
		out.Profiles[i] = ProfileSummaryOf(c, &hits[i].Profile, hits[i].DistanceKm)
	}
	// A member calling with a token sees which results they blacklisted (IsBlacklisted).
	if err := markBlacklisted(ctx, s.blacklist, c, len(out.Profiles), func(i int) *ProfileSummary { return &out.Profiles[i] }); err != nil {
		return SearchProfilesOutput{}, err
	}
	return out, nil
}

type searchFieldReportsReq struct {
	UserID          int64      `api:"min=0" doc:"Reports on this member."`
	Nickname        string     `api:"maxlen=20" doc:"Part of the reviewed member's nickname, case-insensitive."`
	GenderID        int        `api:"min=0" doc:"The reviewed member's GenderID (see getGenders)."`
	ReportID        int64      `api:"min=0" doc:"This report."`
	CreatedDateFrom *time.Time `api:"format=date" doc:"Written on or after this day (yyyy-MM-dd)."`
	CreatedDateTo   *time.Time `api:"format=date" doc:"Written on or before this day (yyyy-MM-dd)."`
	MeetDateFrom    *time.Time `api:"format=date" doc:"Met on or after this day (yyyy-MM-dd)."`
	MeetDateTo      *time.Time `api:"format=date" doc:"Met on or before this day (yyyy-MM-dd)."`
	InCall          bool       `doc:"Only in-call meetings."`
	OutCall         bool       `doc:"Only out-call meetings."`
	Recommended     bool       `doc:"Only reports recommending the member."`
	VisitAgain      bool       `doc:"Only reports whose author would visit again."`
	MinReports      int        `api:"min=0,max=10000" doc:"Only members who have received at least this many reports."`
	CountryID       int        `api:"min=0" doc:"Meetings in this country (see getCountries)."`
	RegionID        int        `api:"min=0" doc:"Meetings in this region (see getRegions)."`
	CountyID        int        `api:"min=0" doc:"Meetings in this county (see getCounties)."`
	OrderBy         string     `api:"enum=createddate-desc|createddate-asc|meetdate-desc|meetdate-asc|nickname-asc|nickname-desc,default=createddate-desc" doc:"Ordering; nickname is the reviewed member's."`
	ReportsPerPage  int        `api:"min=1,max=100,default=50,alias=PageSize" doc:"Reports per page (PageSize is accepted too)."`
	PageNumber      int        `api:"min=1,default=1" doc:"1-based page number."`
}

func (r *searchFieldReportsReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.GenderID != 0 {
		awapi.CheckGenders(v, "GenderID", r.GenderID)
	}
	for _, d := range []struct {
		from, to *time.Time
		name     string
	}{{r.CreatedDateFrom, r.CreatedDateTo, "CreatedDate"}, {r.MeetDateFrom, r.MeetDateTo, "MeetDate"}} {
		if d.from != nil && d.to != nil && d.from.After(*d.to) {
			v.Addf(d.name+"From", "%sFrom must not be after %sTo.", d.name, d.name)
		}
	}
	awapi.CheckPlace(v, r.CountryID, r.RegionID, r.CountyID)
}

// SearchFieldReportsOutput is a page of field report summaries.
type SearchFieldReportsOutput struct {
	Paging
	ReportsTotal   int
	ReportsPerPage int
	FieldReports   []FieldReportSummary
}

// FieldReportSummaryUser is the reviewed member in a search result: who, their profile picture and
// their Ratings block.
type FieldReportSummaryUser struct {
	UserID   int64
	Nickname string
	ProfileThumbnail
	Ratings Ratings
}

// FieldReportSummary is a search result: the report without its text, for a list.
type FieldReportSummary struct {
	ReportID int64
	User     FieldReportSummaryUser
	FieldReportFacts
	PlaceNames
}

func (s *searchArea) searchFieldReports(ctx context.Context, c *web.Call, r *searchFieldReportsReq) (SearchFieldReportsOutput, error) {
	q := awapi.FieldReportQuery{UserID: r.UserID, Nickname: r.Nickname, GenderID: r.GenderID, ReportID: r.ReportID,
		InCall: r.InCall, OutCall: r.OutCall, Recommended: r.Recommended, VisitAgain: r.VisitAgain, MinReports: r.MinReports,
		CountryID: r.CountryID, RegionID: r.RegionID, CountyID: r.CountyID, Order: awapi.FieldReportOrder(r.OrderBy),
		Page: awapi.Page{Number: r.PageNumber, Size: r.ReportsPerPage}}
	for _, d := range []struct {
		in  *time.Time
		out *time.Time
	}{{r.CreatedDateFrom, &q.CreatedFrom}, {r.CreatedDateTo, &q.CreatedTo}, {r.MeetDateFrom, &q.MeetFrom}, {r.MeetDateTo, &q.MeetTo}} {
		if d.in != nil {
			*d.out = *d.in
		}
	}
	fs, total, err := s.reports.SearchFieldReports(ctx, q)
	if err != nil {
		return SearchFieldReportsOutput{}, err
	}
	ids := make([]int64, len(fs))
	for i := range fs {
		ids[i] = fs[i].UserID
	}
	ps, err := s.profiles.Profiles(ctx, ids, c.Now)
	if err != nil {
		return SearchFieldReportsOutput{}, err
	}
	byID := make(map[int64]*awapi.Profile, len(ps))
	for i := range ps {
		byID[ps[i].UserID] = &ps[i]
	}
	out := SearchFieldReportsOutput{Paging: pagingOf(total, q.Page), ReportsTotal: total, ReportsPerPage: q.Page.Size,
		FieldReports: make([]FieldReportSummary, 0, len(fs))}
	for i := range fs {
		f, p := &fs[i], byID[fs[i].UserID]
		if p == nil { // deactivated between the two reads
			continue
		}
		sum := ProfileSummaryOf(c, p, nil)
		out.FieldReports = append(out.FieldReports, FieldReportSummary{ReportID: f.ReportID,
			User:             FieldReportSummaryUser{UserID: p.UserID, Nickname: p.Nickname, ProfileThumbnail: sum.ProfileThumbnail, Ratings: sum.Ratings},
			FieldReportFacts: fieldReportFactsOf(f), PlaceNames: placeNamesOf(f.CountryID, f.RegionID, f.CountyID, f.Town)})
	}
	return out, nil
}

type searchToursReq struct {
	PageSize      int        `api:"min=1,max=100,default=50" doc:"Tours per page."`
	PageNumber    int        `api:"min=1,default=1" doc:"1-based page number."`
	UserID        int64      `api:"min=0" doc:"Only this member's tours."`
	GenderID      int        `api:"min=0" doc:"Only members of this gender (see getGenders)."`
	OrientationID int        `api:"min=0" doc:"Only members of this orientation (see getOrientations)."`
	MinAge        *int       `api:"min=18,max=99" doc:"Youngest member age, in whole years today."`
	MaxAge        *int       `api:"min=18,max=99" doc:"Oldest member age, in whole years today (inclusive)."`
	CountryID     int        `api:"required,min=1" doc:"The country toured (see getCountries; the United Kingdom is 158)."`
	RegionID      int        `api:"required,min=1" doc:"The region toured, in CountryID (see getRegions)."`
	CountyID      int        `api:"min=0" doc:"The county toured, in RegionID (see getCounties)."`
	Town          string     `api:"maxlen=50" doc:"Part of the town toured, case-insensitive."`
	TourDateFrom  *time.Time `api:"format=date" doc:"yyyy-MM-dd: tours still running on or after this day. Without either date, tours not yet over."`
	TourDateTo    *time.Time `api:"format=date" doc:"yyyy-MM-dd: tours starting on or before this day; not before TourDateFrom."`
	locationSearch
}

func (r *searchToursReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.MinAge != nil && r.MaxAge != nil && *r.MinAge > *r.MaxAge {
		v.Addf("MinAge", "MinAge must not be more than MaxAge.")
	}
	if r.GenderID != 0 {
		awapi.CheckGenders(v, "GenderID", r.GenderID)
	}
	if r.OrientationID != 0 {
		awapi.CheckOrientations(v, "OrientationID", r.OrientationID)
	}
	awapi.CheckPlace(v, r.CountryID, r.RegionID, r.CountyID)
	if r.TourDateFrom != nil && r.TourDateTo != nil && r.TourDateFrom.After(*r.TourDateTo) {
		v.Addf("TourDateTo", "TourDateTo must not be before TourDateFrom.")
	}
	r.locationSearch.validate(v)
}

// SearchToursOutput is a page of tours, soonest first.
type SearchToursOutput struct {
	SizedPaging
	ToursTotal int
	Tours      []Tour
}

// Tour is an escort's visit to a place on DateFrom..DateTo (calendar days), with the touring member's
// summary. The distance fields are the tour's distance from LocationZipCode, null without a location.
type Tour struct {
	TourID   int64
	DateFrom time.Time
	DateTo   time.Time
	Place
	Distance
	User ProfileSummary
}

func (s *searchArea) searchTours(ctx context.Context, c *web.Call, r *searchToursReq) (SearchToursOutput, error) {
	q := awapi.TourQuery{CountryID: r.CountryID, RegionID: r.RegionID, CountyID: r.CountyID, Town: r.Town, UserID: r.UserID,
		GenderID: r.GenderID, OrientationID: r.OrientationID, Page: awapi.Page{Number: r.PageNumber, Size: r.PageSize}, Now: c.Now}
	if r.MinAge != nil {
		q.MinAge = *r.MinAge
	}
	if r.MaxAge != nil {
		q.MaxAge = *r.MaxAge
	}
	switch {
	case r.TourDateFrom == nil && r.TourDateTo == nil: // no dates: the tours not yet over
		local := c.Now.In(c.Loc)
		q.From = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	case r.TourDateFrom != nil:
		q.From = *r.TourDateFrom
	}
	if r.TourDateTo != nil {
		q.To = *r.TourDateTo
	}
	near, err := r.near()
	if err != nil {
		return SearchToursOutput{}, err
	}
	q.Near = near
	hits, total, err := s.tours.SearchTours(ctx, q)
	if err != nil {
		return SearchToursOutput{}, err
	}
	out := SearchToursOutput{SizedPaging: sizedPagingOf(total, q.Page), ToursTotal: total, Tours: make([]Tour, len(hits))}
	for i := range hits {
		h := &hits[i]
		out.Tours[i] = Tour{TourID: h.TourID, DateFrom: h.DateFrom, DateTo: h.DateTo,
			Place: placeOf(h.CountryID, h.RegionID, h.CountyID, h.Town), Distance: distanceOf(h.DistanceKm),
			User: ProfileSummaryOf(c, &h.User, nil)}
	}
	if err := markBlacklisted(ctx, s.blacklist, c, len(out.Tours), func(i int) *ProfileSummary { return &out.Tours[i].User }); err != nil {
		return SearchToursOutput{}, err
	}
	return out, nil
}
