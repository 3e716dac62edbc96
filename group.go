package awapi

import (
	"context"
	"time"
)

// Groups (agencies) in public (api-v1.md §2.9 getGroupDetails) and escort tours (§2.17 searchTours).

// GroupInfo is what a group's public page says about the agency beyond its name.
type GroupInfo struct {
	Details     string // the agency's own description
	Website     string // "" when not given
	PhoneNumber string // "" when not given
	CountryID   int    // 0: not given
	RegionID    int
	CountyID    int
	Town        string
	PostCode    string // outward code
}

// OpeningHours is one weekday's opening time. A group lists only the days it opens; the others are
// closed. Opens and Closes are minutes after midnight; Closes <= Opens means it closes after midnight.
type OpeningHours struct {
	Weekday       time.Weekday
	Opens, Closes int
}

// GroupImage is one of a group's images (numbers 1..MaxProfileImages); URLs derive from (GroupID, Number).
type GroupImage struct {
	Number      int
	Safe        bool // a moderator judged it suitable for minors (X-MaskImages)
	Description string
}

// GroupProfile is a group's public page: its name, details, opening hours and images.
type GroupProfile struct {
	Group
	GroupInfo
	OpeningHours []OpeningHours // Monday first, at most one per weekday
	Images       []GroupImage   // by Number
}

// Validate checks the rules the store relies on: opening hours within a day, one per weekday, and image
// numbers within range and distinct.
func (g *GroupProfile) Validate() error {
	var v Validation
	seen := map[time.Weekday]bool{}
	for _, h := range g.OpeningHours {
		if h.Weekday < time.Sunday || h.Weekday > time.Saturday || seen[h.Weekday] {
			v.Addf("OpeningHours", "weekday %d is out of range or repeated", h.Weekday)
		}
		seen[h.Weekday] = true
		if h.Opens < 0 || h.Opens >= 24*60 || h.Closes < 0 || h.Closes >= 24*60 {
			v.Addf("OpeningHours", "times must be minutes within a day")
		}
	}
	nums := map[int]bool{}
	for _, im := range g.Images {
		if im.Number < 1 || im.Number > MaxProfileImages || nums[im.Number] {
			v.Addf("Images", "image number %d is out of range or repeated", im.Number)
		}
		nums[im.Number] = true
	}
	return v.Err()
}

// RateBreakOneHour is the RateBreakID of "1 Hour" (api-v1.md §3.1), the rate inrates-*/outrates-*
// order group members by.
const RateBreakOneHour = 2

// EscortRate is a member's price for one escort rate break (refdata.EscortRateBreaks). InCall and
// OutCall are in credits' hundredths; 0 means the member does not offer that kind of call for it.
type EscortRate struct {
	UserID      int64
	RateBreakID int
	InCall      Credits
	OutCall     Credits
}

// The getGroupDetails member orderings beyond the SearchProfiles ones (profile.go). Members without a
// 1-hour rate of the kind ordered by come last in both directions. Ties break on UserID.
const (
	OrderRatingTotal  ProfileOrder = "ratingtotal"   // most ratings received first
	OrderInRatesAsc   ProfileOrder = "inrates-asc"   // cheapest 1-hour in-call first
	OrderInRatesDesc  ProfileOrder = "inrates-desc"  // dearest 1-hour in-call first
	OrderOutRatesAsc  ProfileOrder = "outrates-asc"  // cheapest 1-hour out-call first
	OrderOutRatesDesc ProfileOrder = "outrates-desc" // dearest 1-hour out-call first
)

// GroupMemberQuery pages a group's active members in one of the orderings.
type GroupMemberQuery struct {
	GroupID int64
	Order   ProfileOrder // any SearchProfiles ordering but distance, or one of the above
	Page    Page
	Now     time.Time // for IsOnTour
}

// GroupStore reads groups' public pages and their members.
type GroupStore interface {
	GroupReader
	EscortRateReader

	// SetGroupProfiles stores the groups' details, replacing their opening hours and images; the
	// groups must exist. One transaction.
	SetGroupProfiles(ctx context.Context, gs []GroupProfile) error
	// InsertEscortRates bulk-loads escort rates (the seeder); one transaction.
	InsertEscortRates(ctx context.Context, rs []EscortRate) error
}

// GroupReader reads groups' public pages and their members (Groups/getGroupDetails).
type GroupReader interface {
	// GroupByName finds a group by its name, case-insensitively.
	GroupByName(ctx context.Context, name string) (Group, error)
	// GroupProfile reads a group's page; an unknown group is KindNotFound.
	GroupProfile(ctx context.Context, groupID int64) (GroupProfile, error)
	// GroupMembers pages the group's active members, with the total count.
	GroupMembers(ctx context.Context, q GroupMemberQuery) ([]Profile, int, error)
}

// EscortRateReader reads members' escort rates (a group's members, a member's profile).
type EscortRateReader interface {
	// EscortRates lists the members' escort rates, by member then RateBreakID.
	EscortRates(ctx context.Context, userIDs []int64) ([]EscortRate, error)
}

// TourQuery is a searchTours query. CountryID and RegionID are required; zero fields of the rest do
// not filter. A tour matches when its days overlap From..To (either may be zero: unbounded).
type TourQuery struct {
	CountryID, RegionID, CountyID int
	Town                          string // case-insensitive substring of the tour's town
	UserID                        int64
	GenderID, OrientationID       int // of the touring member
	MinAge, MaxAge                int // of the touring member, inclusive, in whole years today
	From, To                      time.Time
	// Near restricts to tours whose outward post code is a key, the value being its distance in km
	// from the search centre (see NearDistricts); nil means no location filter.
	Near map[string]float64
	Page Page
	Now  time.Time
}

// TourHit is one searchTours result: the tour, the touring member's profile and, for a location
// search, the tour's distance from the centre.
type TourHit struct {
	Tour
	User       Profile
	DistanceKm *float64
}

// TourStore searches escort tours.
type TourStore interface {
	// SearchTours pages the tours of active members matching q, soonest first (DateFrom, then
	// TourID), with the total count.
	SearchTours(ctx context.Context, q TourQuery) ([]TourHit, int, error)
}
