package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// FieldReport/getFieldReport (api-v1.md §2.8): one field report, a client's review of a meeting. The
// report's own fields were not captured; they follow the documented responses' style. Search's
// searchFieldReports lists reports with the same parts (search.go).

// fieldReportArea serves FieldReport.
type fieldReportArea struct {
	reports  awapi.FieldReportReader
	profiles awapi.ProfileReader
}

func (s *fieldReportArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/FieldReport/getFieldReport", Auth: web.AuthKey,
			Summary: "One field report (a client's review of a meeting) with the reviewed member's card and images."}, s.getFieldReport),
	}
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
	ReportID int64
	User     FieldReportUser
	FieldReportFacts
	Report string
	Place
}

// FieldReportFacts is what a report says about the meeting, beside who wrote it: the report and its
// summary in a search (FieldReportSummary) both show them.
type FieldReportFacts struct {
	Author      FieldReportAuthor
	CreatedDate time.Time
	MeetDate    time.Time
	InCall      bool
	OutCall     bool
	Recommended bool
	VisitAgain  bool
	Rating      int
	Title       string
}

func fieldReportFactsOf(f *awapi.FieldReport) FieldReportFacts {
	return FieldReportFacts{Author: FieldReportAuthor{UserID: f.AuthorID, Nickname: f.AuthorNickname},
		CreatedDate: f.Created, MeetDate: f.MeetDate, InCall: f.InCall, OutCall: f.OutCall, Recommended: f.Recommended,
		VisitAgain: f.VisitAgain, Rating: f.Rating, Title: f.Title}
}

// fieldReportDetails renders a report and its reviewed member's profile.
func fieldReportDetails(c *web.Call, f *awapi.FieldReport, p *awapi.Profile) FieldReportDetails {
	sum := ProfileSummaryOf(c, p, nil)
	return FieldReportDetails{ReportID: f.ReportID,
		User:             FieldReportUser{UserID: p.UserID, Nickname: p.Nickname, CardServices: cardServicesOf(&sum), Images: ImagesOf(p)},
		FieldReportFacts: fieldReportFactsOf(f), Report: f.Report, Place: placeOf(f.CountryID, f.RegionID, f.CountyID, f.Town)}
}

func (s *fieldReportArea) getFieldReport(ctx context.Context, c *web.Call, r *getFieldReportReq) (FieldReportOutput, error) {
	f, err := s.reports.FieldReport(ctx, r.ReportID)
	if err != nil {
		return FieldReportOutput{}, err
	}
	p, err := activeProfile(ctx, s.profiles, c, f.UserID)
	if err != nil {
		return FieldReportOutput{}, err
	}
	return FieldReportOutput{FieldReport: fieldReportDetails(c, &f, &p)}, nil
}
