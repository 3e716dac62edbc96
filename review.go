package awapi

import (
	"context"
	"time"
)

// Reviews: the ratings members receive (Profile/getRatings, api-v1.md §2.16) and field reports, a
// client's written review of a meeting with a performer (FieldReport/getFieldReport §2.8,
// Search/searchFieldReports §2.17).

// ServiceSalesAuctions names ratings left after a sale or auction (getRatings'
// ReturnSalesAuctionsFeedback); the other services are in member.go.
const ServiceSalesAuctions = "SalesAuctions"

// RatingServices lists every rated service in the order responses show them.
var RatingServices = []string{ServiceEscort, ServiceWebcam, ServicePhoneChat, ServiceSalesAuctions}

// FeedbackOrder is a getRatings feedback ordering. Ties break on the rating's ID so pages never overlap.
type FeedbackOrder string

// The getRatings orderings (api-v1.md §3.2).
const (
	FeedbackNewest       FeedbackOrder = "ratingdate-desc" // the default
	FeedbackOldest       FeedbackOrder = "ratingdate-asc"
	FeedbackNicknameAsc  FeedbackOrder = "nickname-asc"  // by the rater's nickname, case-insensitive
	FeedbackNicknameDesc FeedbackOrder = "nickname-desc" // by the rater's nickname, case-insensitive
)

// FeedbackQuery pages the ratings a member received for some services.
type FeedbackQuery struct {
	UserID   int64
	Services []string // at least one
	Order    FeedbackOrder
	Page     Page
}

// Feedback is one rating as its member's feedback list shows it: the rating, its ID and the rater's
// nickname.
type Feedback struct {
	Rating
	RatingID      int64
	RaterNickname string
}

// ServiceRatingCounts are a member's rating counters for one service.
type ServiceRatingCounts struct {
	Service string
	RatingCounts
}

// RatingSummary is what a member's ratings add up to per service, with the newest rating's date (zero
// when there is none). Services without ratings are left out.
type RatingSummary struct {
	ByService    []ServiceRatingCounts // in RatingServices order
	LastRatingAt time.Time
}

// Field report limits, enforced by the store's callers and the seeder.
const (
	FieldReportMinRating = 1 // Rating is out of 10
	FieldReportMaxRating = 10
)

// FieldReport is a client's review of a meeting with a performer.
type FieldReport struct {
	ReportID int64
	UserID   int64 // the reviewed member
	AuthorID int64 // the client who wrote it
	// AuthorNickname is filled in when read.
	AuthorNickname string
	Created        time.Time
	MeetDate       time.Time // a calendar day (UTC midnight)
	InCall         bool      // the meeting was at the performer's place
	OutCall        bool      // the performer visited the client
	Recommended    bool
	VisitAgain     bool
	Rating         int // FieldReportMinRating..FieldReportMaxRating
	Title          string
	Report         string // the review's text
	CountryID      int    // where the meeting took place
	RegionID       int
	CountyID       int
	Town           string
}

// FieldReportOrder is a searchFieldReports ordering. Ties break on ReportID (newest first).
type FieldReportOrder string

// The searchFieldReports orderings.
const (
	ReportsNewest       FieldReportOrder = "createddate-desc" // the default
	ReportsOldest       FieldReportOrder = "createddate-asc"
	ReportsMeetDesc     FieldReportOrder = "meetdate-desc"
	ReportsMeetAsc      FieldReportOrder = "meetdate-asc"
	ReportsNicknameAsc  FieldReportOrder = "nickname-asc"  // the reviewed member's nickname
	ReportsNicknameDesc FieldReportOrder = "nickname-desc" // the reviewed member's nickname
)

// FieldReportQuery is a searchFieldReports query over reports on active members. Zero fields do not
// filter; a true bool requires it. Date bounds are inclusive calendar days (UTC midnight) in the
// server's zone.
type FieldReportQuery struct {
	UserID                        int64
	Nickname                      string // case-insensitive substring of the reviewed member's nickname
	GenderID                      int    // the reviewed member's gender
	ReportID                      int64
	CreatedFrom, CreatedTo        time.Time
	MeetFrom, MeetTo              time.Time
	InCall, OutCall               bool
	Recommended, VisitAgain       bool
	MinReports                    int // the reviewed member has received at least this many reports
	CountryID, RegionID, CountyID int // where the meeting took place
	Order                         FieldReportOrder
	Page                          Page
}

// ReviewStore reads ratings and field reports. Every write to ratings keeps the members' rating
// counters (RatingCounts, including Disputes) in step in the same transaction, and every write to
// field reports keeps the reviewed members' report counts in step the same way.
type ReviewStore interface {
	RatingReader
	FieldReportReader
	FieldReportSearcher
	// SetRatingDisputed opens (true) or closes (false) a dispute on a rating; KindNotFound if there
	// is no such rating.
	SetRatingDisputed(ctx context.Context, ratingID int64, disputed bool) error
	// InsertFieldReports bulk-inserts reports in one transaction (the seeder); the database assigns
	// their ReportIDs.
	InsertFieldReports(ctx context.Context, rs []FieldReport) error
}

// RatingReader reads the ratings a member received (Profile/getRatings).
type RatingReader interface {
	// RatingSummary counts an active member's ratings per service (KindNotFound for an unknown or
	// inactive member).
	RatingSummary(ctx context.Context, userID int64) (RatingSummary, error)
	// Feedback pages the ratings a member received for q.Services, with the total count.
	Feedback(ctx context.Context, q FeedbackQuery) ([]Feedback, int, error)
}

// FieldReportReader reads one field report (FieldReport/getFieldReport).
type FieldReportReader interface {
	// FieldReport reads a report on an active member (KindNotFound otherwise).
	FieldReport(ctx context.Context, reportID int64) (FieldReport, error)
}

// FieldReportSearcher searches field reports (Search/searchFieldReports).
type FieldReportSearcher interface {
	// SearchFieldReports pages the reports matching q, with the total count.
	SearchFieldReports(ctx context.Context, q FieldReportQuery) ([]FieldReport, int, error)
}
