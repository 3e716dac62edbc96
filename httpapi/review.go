package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Reviews: Profile/getRatings (api-v1.md §2.16, GET or POST), FieldReport/getFieldReport (§2.8) and
// Search/searchFieldReports (§2.17). The responses of getRatings and searchFieldReports and the
// report's own fields were not captured; they follow the documented responses' style. Members are
// rendered with ProfileSummaryOf, RatingsOf and ImagesOf (profile.go).

type getRatingsReq struct {
	UserID                      int64  `api:"required,min=1" doc:"The rated member."`
	ReturnOverview              bool   `doc:"Include Overview: the Ratings block, each service's net rating and the last rating's date."`
	ReturnRatings               bool   `doc:"Include Ratings: the Ratings block of each service."`
	ReturnFeedback              bool   `doc:"Include the feedback of every service."`
	ReturnEscortFeedback        bool   `doc:"Include escort feedback."`
	ReturnWebcamIMFeedback      bool   `doc:"Include webcam feedback."`
	ReturnPhoneChatFeedback     bool   `doc:"Include phone-chat feedback."`
	ReturnSalesAuctionsFeedback bool   `doc:"Include sales and auctions feedback."`
	OrderBy                     string `api:"enum=ratingdate-desc|ratingdate-asc|nickname-asc|nickname-desc,default=ratingdate-desc" doc:"Feedback ordering; nickname is the rater's."`
	FeedbackPerPage             int    `api:"min=1,max=1000,default=100" doc:"Feedback items per page."`
	PageNumber                  int    `api:"min=1,default=1" doc:"1-based page number of the feedback."`
}

// feedbackServices lists the services whose feedback the Return*Feedback switches ask for; none: the
// Feedback block is not wanted.
func (r *getRatingsReq) feedbackServices() []string {
	if r.ReturnFeedback {
		return awapi.RatingServices
	}
	var out []string
	for _, s := range []struct {
		on      bool
		service string
	}{
		{r.ReturnEscortFeedback, awapi.ServiceEscort}, {r.ReturnWebcamIMFeedback, awapi.ServiceWebcam},
		{r.ReturnPhoneChatFeedback, awapi.ServicePhoneChat}, {r.ReturnSalesAuctionsFeedback, awapi.ServiceSalesAuctions},
	} {
		if s.on {
			out = append(out, s.service)
		}
	}
	return out
}

// RatingsOutput answers getRatings. Each block is null unless its Return* switch asked for it.
type RatingsOutput struct {
	UserID   int64
	Nickname string
	Overview *RatingsOverview
	Ratings  *ServiceRatings
	Feedback *FeedbackPage
}

// RatingsOverview is a member's ratings at a glance: the Ratings block over every service, each
// service's net rating (positive minus negative) and when the member was last rated ("never" when not).
type RatingsOverview struct {
	Ratings        Ratings
	Escort         int
	WebcamIM       int
	PhoneChat      int
	SalesAuctions  int
	LastRatingDate time.Time
	RatingsURL     string
}

// ServiceRatings is the Ratings block of each service.
type ServiceRatings struct {
	Escort        Ratings
	WebcamIM      Ratings
	PhoneChat     Ratings
	SalesAuctions Ratings
}

// FeedbackPage is one page of the feedback the switches selected.
type FeedbackPage struct {
	Paging
	FeedbackPerPage int
	FeedbackTotal   int
	Items           []FeedbackItem
}

// FeedbackItem is one rating with its comment. Service is Escort, Webcam, PhoneChat or SalesAuctions;
// Rating is Positive, Neutral or Negative.
type FeedbackItem struct {
	RatingID      int64
	RaterUserID   int64
	RaterNickname string
	Service       string
	Rating        string
	Comment       string
	RatingDate    time.Time
	Disputed      bool
}

// ratingWords names a rating's score.
var ratingWords = map[int]string{1: "Positive", 0: "Neutral", -1: "Negative"}

func (s *api) getRatings(ctx context.Context, c *web.Call, r *getRatingsReq) (RatingsOutput, error) {
	p, err := s.profile(ctx, c, r.UserID)
	if err != nil {
		return RatingsOutput{}, err
	}
	out := RatingsOutput{UserID: p.UserID, Nickname: p.Nickname}
	if r.ReturnOverview || r.ReturnRatings {
		sum, err := s.store.RatingSummary(ctx, p.UserID)
		if err != nil {
			return RatingsOutput{}, err
		}
		var per ServiceRatings
		slot := map[string]*Ratings{awapi.ServiceEscort: &per.Escort, awapi.ServiceWebcam: &per.WebcamIM,
			awapi.ServicePhoneChat: &per.PhoneChat, awapi.ServiceSalesAuctions: &per.SalesAuctions}
		for _, sc := range sum.ByService {
			if b := slot[sc.Service]; b != nil {
				*b = RatingsOf(sc.RatingCounts)
			}
		}
		if r.ReturnOverview {
			out.Overview = &RatingsOverview{Ratings: RatingsOf(p.Ratings), Escort: per.Escort.Total, WebcamIM: per.WebcamIM.Total,
				PhoneChat: per.PhoneChat.Total, SalesAuctions: per.SalesAuctions.Total, LastRatingDate: sum.LastRatingAt,
				RatingsURL: ReferralURL(c.Caller.Project.ProjectID, RatingsURL(p.UserID))}
		}
		if r.ReturnRatings {
			out.Ratings = &per
		}
	}
	if services := r.feedbackServices(); len(services) > 0 {
		page := awapi.Page{Number: r.PageNumber, Size: r.FeedbackPerPage}
		fs, total, err := s.store.Feedback(ctx, awapi.FeedbackQuery{UserID: p.UserID, Services: services,
			Order: awapi.FeedbackOrder(r.OrderBy), Page: page})
		if err != nil {
			return RatingsOutput{}, err
		}
		fb := &FeedbackPage{Paging: pagingOf(total, page), FeedbackPerPage: page.Size, FeedbackTotal: total,
			Items: make([]FeedbackItem, len(fs))}
		for i, f := range fs {
			fb.Items[i] = FeedbackItem{RatingID: f.RatingID, RaterUserID: f.RaterID, RaterNickname: f.RaterNickname,
				Service: f.Service, Rating: ratingWords[f.Score], Comment: f.Feedback, RatingDate: f.RatedAt, Disputed: f.Disputed}
		}
		out.Feedback = fb
	}
	return out, nil
}

type getFieldReportReq struct {
	ReportID int64 `api:"required,min=1" doc:"The field report."`
}

// FieldReportOutput answers getFieldReport: the report as FieldReport (aws:FieldReportDetails), as
// getUserSummary answers with User (aws:NewsFeedUser).
type FieldReportOutput struct {
	FieldReport FieldReportDetails
}

// FieldReportUser is the reviewed member in a field report (api-v1.md §2.8).
type FieldReportUser struct {
	UserID   int64
	Nickname string
	CardServices
	Images Images
}

// FieldReportAuthor is the client who wrote a report.
type FieldReportAuthor struct {
	UserID   int64
	Nickname string
}

// FieldReportDetails is a field report (aws:FieldReportDetails): the documented ReportID and User,
// then the report's own fields. MeetDate is a date (midnight); Rating is out of 10; InCall: the meeting
// was at the performer's place, OutCall: the performer visited; the location is where they met.
type FieldReportDetails struct {
	ReportID    int64
	User        FieldReportUser
	Author      FieldReportAuthor
	CreatedDate time.Time
	MeetDate    time.Time
	InCall      bool
	OutCall     bool
	Recommended bool
	VisitAgain  bool
	Rating      int
	Title       string
	Report      string
	Place
}

// fieldReportDetails renders a report and its reviewed member's profile.
func fieldReportDetails(c *web.Call, f *awapi.FieldReport, p *awapi.Profile) FieldReportDetails {
	sum := ProfileSummaryOf(c, p, nil)
	d := FieldReportDetails{ReportID: f.ReportID,
		User:        FieldReportUser{UserID: p.UserID, Nickname: p.Nickname, CardServices: cardServicesOf(&sum), Images: ImagesOf(p)},
		Author:      FieldReportAuthor{UserID: f.AuthorID, Nickname: f.AuthorNickname},
		CreatedDate: f.Created, MeetDate: f.MeetDate, InCall: f.InCall, OutCall: f.OutCall, Recommended: f.Recommended,
		VisitAgain: f.VisitAgain, Rating: f.Rating, Title: f.Title, Report: f.Report,
		Place: placeOf(f.CountryID, f.RegionID, f.CountyID, f.Town)}
	return d
}

func (s *api) getFieldReport(ctx context.Context, c *web.Call, r *getFieldReportReq) (FieldReportOutput, error) {
	f, err := s.store.FieldReport(ctx, r.ReportID)
	if err != nil {
		return FieldReportOutput{}, err
	}
	p, err := s.profile(ctx, c, f.UserID)
	if err != nil {
		return FieldReportOutput{}, err
	}
	return FieldReportOutput{FieldReport: fieldReportDetails(c, &f, &p)}, nil
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
		genders.check(v, "GenderID", r.GenderID)
	}
	for _, d := range []struct {
		from, to *time.Time
		name     string
	}{{r.CreatedDateFrom, r.CreatedDateTo, "CreatedDate"}, {r.MeetDateFrom, r.MeetDateTo, "MeetDate"}} {
		if d.from != nil && d.to != nil && d.from.After(*d.to) {
			v.Addf(d.name+"From", "%sFrom must not be after %sTo.", d.name, d.name)
		}
	}
	validPlace(v, r.CountryID, r.RegionID, r.CountyID)
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
	ReportID    int64
	User        FieldReportSummaryUser
	Author      FieldReportAuthor
	CreatedDate time.Time
	MeetDate    time.Time
	InCall      bool
	OutCall     bool
	Recommended bool
	VisitAgain  bool
	Rating      int
	Title       string
	PlaceNames
}

func (s *api) searchFieldReports(ctx context.Context, c *web.Call, r *searchFieldReportsReq) (SearchFieldReportsOutput, error) {
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
	fs, total, err := s.store.SearchFieldReports(ctx, q)
	if err != nil {
		return SearchFieldReportsOutput{}, err
	}
	ids := make([]int64, len(fs))
	for i := range fs {
		ids[i] = fs[i].UserID
	}
	ps, err := s.store.Profiles(ctx, ids, c.Now)
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
		p := byID[fs[i].UserID]
		if p == nil { // deactivated between the two reads
			continue
		}
		d := fieldReportDetails(c, &fs[i], p)
		sum := ProfileSummaryOf(c, p, nil)
		out.FieldReports = append(out.FieldReports, FieldReportSummary{ReportID: d.ReportID,
			User:   FieldReportSummaryUser{UserID: p.UserID, Nickname: p.Nickname, ProfileThumbnail: sum.ProfileThumbnail, Ratings: sum.Ratings},
			Author: d.Author, CreatedDate: d.CreatedDate, MeetDate: d.MeetDate, InCall: d.InCall, OutCall: d.OutCall,
			Recommended: d.Recommended, VisitAgain: d.VisitAgain, Rating: d.Rating, Title: d.Title,
			PlaceNames: PlaceNames{Country: d.Country, Region: d.Region, County: d.County, Town: d.Town}})
	}
	return out, nil
}

func (s *api) reviewEndpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET POST", Path: "/v1/Profile/getRatings", Auth: web.AuthKey,
			Summary: "A member's rating overview, per-service counts and feedback, paged; each block on request."}, s.getRatings),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/FieldReport/getFieldReport", Auth: web.AuthKey,
			Summary: "One field report (a client's review of a meeting) with the reviewed member's card and images."}, s.getFieldReport),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Search/searchFieldReports", Auth: web.AuthKey,
			Summary: "Search field reports: member, dates, call type, recommendation, place, MinReports; six orderings."}, s.searchFieldReports),
	}
}
