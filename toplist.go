package awapi

import (
	"strings"
	"time"
)

// TopListType is the documented lists/getTopList Type: member views or member ratings.
type TopListType string

// TopListTypes are the documented member types; the movie-views variant's names were not captured.
var TopListTypes = []TopListType{
	"ProfileViews", "EscortViews", "PhoneChatViews", "WebcamViews",
	"EscortRatings", "PhoneChatRatings", "WebcamRatings",
}

// ViewKind returns the views counted by a views type, and false for a ratings type.
func (t TopListType) ViewKind() (ViewKind, bool) {
	switch t {
	case "ProfileViews":
		return ViewsProfile, true
	case "EscortViews":
		return ViewsEscort, true
	case "PhoneChatViews":
		return ViewsPhoneChat, true
	case "WebcamViews":
		return ViewsWebcam, true
	}
	return 0, false
}

// RatingService returns the service rated by a ratings type, and false for a views type.
func (t TopListType) RatingService() (string, bool) {
	s, ok := strings.CutSuffix(string(t), "Ratings")
	return s, ok
}

// DateRanges are the documented lists/getTopList DateRange values.
var DateRanges = []string{"AllTime", "LastYear", "LastMonth", "LastWeek", "ThisYear", "ThisMonth", "ThisWeek", "Today", "Yesterday"}

// Period is a half-open range of calendar days [From, To) in the server's time zone; a zero From
// means since the beginning and a zero To means without end.
type Period struct {
	From, To time.Time
}

// DateRangePeriod turns a DateRange into calendar days in loc, as a member of the site would read it:
// "ThisWeek" starts on Monday, "LastMonth" is the whole previous calendar month, and so on.
func DateRangePeriod(dateRange string, now time.Time, loc *time.Location) Period {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	tomorrow := today.AddDate(0, 0, 1)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc)
	switch dateRange {
	case "Today":
		return Period{today, tomorrow}
	case "Yesterday":
		return Period{today.AddDate(0, 0, -1), today}
	case "ThisWeek":
		return Period{monday, tomorrow}
	case "LastWeek":
		return Period{monday.AddDate(0, 0, -7), monday}
	case "ThisMonth":
		return Period{month, tomorrow}
	case "LastMonth":
		return Period{month.AddDate(0, -1, 0), month}
	case "ThisYear":
		return Period{year, tomorrow}
	case "LastYear":
		return Period{year.AddDate(-1, 0, 0), year}
	}
	return Period{}
}

// DayNumber is a calendar date as the integer yyyymmdd, the form daily counters are stored in.
func DayNumber(t time.Time) int {
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// TopListQuery asks for the top members of one type in a period.
type TopListQuery struct {
	Type   TopListType
	Period Period
	Limit  int
}

// TopListEntry is one ranked member. Score is the view count, or positive minus negative ratings.
type TopListEntry struct {
	UserID   int64
	Nickname string
	Score    int
	Positive int
	Neutral  int
	Negative int
}
