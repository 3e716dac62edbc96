package awapi

import (
	"time"

	"github.com/awapi/awapi/geo"
)

// MaxProfileImages is how many profile images a member may have (image numbers 1..MaxProfileImages).
// Image 1 is the profile picture: the summary's ProfileThumbnail and ProfileSquare.
const MaxProfileImages = 5

// ProfileFacts is what a member's public profile records beyond the core account columns. It is part
// of Member (stored as members columns), so the seeder and account updates write it with the member.
type ProfileFacts struct {
	NationalityID int    // a CountryID; 0: not given
	Details       string // the About-You details text
	TVTS          bool
	DoesInCalls   bool
	DoesOutCalls  bool
	IsDirectCam   bool
	IsDirectChat  bool

	HasGallery, HasPrivateGallery, HasMovieClips, HasMovieRentals, HasSaleItems, HasBlog bool

	// AvailableEscortOn is the calendar day (UTC midnight) an escort said they are available; zero: none.
	AvailableEscortOn time.Time
	// WebcamAvailableUntil and PhoneChatAvailableUntil: "available now" until these instants.
	WebcamAvailableUntil    time.Time
	PhoneChatAvailableUntil time.Time
	// ShowsPhoneChatNumber: the member's phone-chat settings show a PhoneChatNumber on their profile.
	ShowsPhoneChatNumber bool
}

// AvailableTodayEscort reports whether the escort availability day is today in the server's zone.
func (f ProfileFacts) AvailableTodayEscort(now time.Time, loc *time.Location) bool {
	return !f.AvailableEscortOn.IsZero() && DayNumber(f.AvailableEscortOn) == DayNumber(now.In(loc))
}

// AvailableNowWebcam reports whether the webcam availability runs past now.
func (f ProfileFacts) AvailableNowWebcam(now time.Time) bool {
	return f.WebcamAvailableUntil.After(now)
}

// AvailableNowPhoneChat reports whether the phone-chat availability runs past now.
func (f ProfileFacts) AvailableNowPhoneChat(now time.Time) bool {
	return f.PhoneChatAvailableUntil.After(now)
}

// RatingCounts are a member's ratings by outcome, kept as counters beside the member so ordering by
// rating is cheap. A disputed rating still counts under its score until the dispute is resolved;
// Disputes counts those under dispute.
type RatingCounts struct {
	Positive, Neutral, Negative, Disputes int
}

// Total is the member's net rating, the figure the Ratings block calls Total and search orders by:
// positive ratings minus negative ones (neutral ones count for neither).
func (r RatingCounts) Total() int { return r.Positive - r.Negative }

// Ratings is the number of ratings received, whatever their score.
func (r RatingCounts) Ratings() int { return r.Positive + r.Neutral + r.Negative }

// ProfileImage is one of a member's profile images. Its URLs are derived from (UserID, Number).
type ProfileImage struct {
	UserID      int64
	Number      int  // 1..MaxProfileImages
	Safe        bool // a moderator judged it suitable for minors (X-MaskImages)
	Description string
}

// Tour is an escort's visit to a place on calendar days DateFrom..DateTo (inclusive, dates as UTC
// midnight, counted in the server's zone).
type Tour struct {
	TourID    int64
	UserID    int64
	CountryID int
	RegionID  int
	CountyID  int
	Town      string
	PostCode  string // outward code, for proximity
	DateFrom  time.Time
	DateTo    time.Time
	Created   time.Time
}

// Profile is the public read model of a member: everything the profile summary (api-v1.md §5), the
// newsfeed card (§2.13) and the full profile show. Email and PasswordHash are left empty.
type Profile struct {
	Member
	GroupName string // "" when not in a group
	Views     int64  // all-time profile-page views
	Ratings   RatingCounts
	Images    []ProfileImage // by Number; Images[0] is the profile picture when its Number is 1
	IsOnTour  bool           // a tour covers today (in the server's zone) as of the read
}

// Image returns image n, if the member has it.
func (p *Profile) Image(n int) (ProfileImage, bool) {
	for _, im := range p.Images {
		if im.Number == n {
			return im, true
		}
	}
	return ProfileImage{}, false
}

// ShownMobileNumber is the mobile number the member shows on their profile; ok is false when they have
// none or keep it to their account (ShowMobileNumber off).
func (p *Profile) ShownMobileNumber() (number string, ok bool) {
	if p.MobileNumber == "" || !p.ShowMobileNumber {
		return "", false
	}
	return p.MobileNumber, true
}

// HasPhoneNumber reports whether the member has a phone number a client could see or use: a mobile
// number on their account, or a phone-chat number their settings show (PhoneChat/SaveSettings).
func (p *Profile) HasPhoneNumber() bool { return p.MobileNumber != "" || p.ShowsPhoneChatNumber }

// IsCouple reports whether the member's gender is one of the couple genders (refdata 4-6).
func (p *Profile) IsCouple() bool { return p.GenderID >= 4 && p.GenderID <= 6 }

// LoggedInWindow is how recently a member must have been seen to count as logged in now: the site
// has no presence channel, so the last login (refreshed on activity) stands in for it.
const LoggedInWindow = 15 * time.Minute

// IsLoggedInNow reports whether the member was seen within LoggedInWindow of now.
func (p *Profile) IsLoggedInNow(now time.Time) bool {
	return !p.LastLogin.After(now) && now.Sub(p.LastLogin) < LoggedInWindow
}

// Age is the member's age in whole years on today's date in the server's zone.
func (p *Profile) Age(now time.Time, loc *time.Location) int {
	return AgeOn(p.BirthDate, now.In(loc))
}

// AgeOn is the age in whole years of someone born on birth (a date) on the calendar day of t.
func AgeOn(birth, t time.Time) int {
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

// ProfileOrder is a SearchProfiles ordering.
type ProfileOrder string

// The SearchProfiles orderings. Ties break on UserID so pages never overlap.
const (
	OrderLastUpdated  ProfileOrder = "lastupdated"   // most recently updated first (the default)
	OrderRating       ProfileOrder = "rating"        // highest RatingCounts.Total first
	OrderViews        ProfileOrder = "views"         // most viewed first
	OrderAgeAsc       ProfileOrder = "age-asc"       // youngest first
	OrderAgeDesc      ProfileOrder = "age-desc"      // oldest first
	OrderNicknameAsc  ProfileOrder = "nickname-asc"  // case-insensitive
	OrderNicknameDesc ProfileOrder = "nickname-desc" // case-insensitive
	OrderDistance     ProfileOrder = "distance"      // nearest first; only with a location
	OrderRegisterDate ProfileOrder = "registerdate"  // newest members first
)

// ProfileQuery is a SearchProfiles query over active members offering services. Zero fields do not
// filter; a true service or availability flag requires it.
type ProfileQuery struct {
	GenderIDs      []int
	OrientationIDs []int
	MinAge, MaxAge int // inclusive ages in whole years today; 0: unbounded
	CountryID      int
	RegionID       int
	CountyID       int
	Town           string // case-insensitive substring
	Nickname       string // case-insensitive substring
	Services       Services
	// AvailableTodayEscort, AvailableNowWebcam, AvailableNowPhoneChat are evaluated at Now.
	AvailableTodayEscort, AvailableNowWebcam, AvailableNowPhoneChat bool
	HasGallery, Verified                                            bool
	// Near restricts to members whose outward post code is a key, the value being that district's
	// distance in km from the search centre; nil means no location filter.
	Near  map[string]float64
	Order ProfileOrder
	Page  Page
	Now   time.Time
}

// ProfileHit is one SearchProfiles result: the profile and, for a location search, its distance.
type ProfileHit struct {
	Profile
	DistanceKm *float64
}

// NearDistricts finds the UK postcode districts whose centroids lie within km of the district of
// postcode (an outward code or a full postcode), each with its distance in km, for
// ProfileQuery.Near. ok is false when the postcode is not a known UK district or area. The bounding
// box is a cheap prefilter before the exact great-circle distance.
func NearDistricts(postcode string, km float64) (near map[string]float64, ok bool) {
	centre, _, ok := geo.Lookup(postcode)
	if !ok {
		return nil, false
	}
	minLat, maxLat, minLon, maxLon := geo.BoundingBox(centre.Point, km)
	near = map[string]float64{}
	for _, d := range geo.Districts() {
		p := d.Point
		if p.Lat < minLat || p.Lat > maxLat || p.Lon < minLon || p.Lon > maxLon {
			continue
		}
		if dist := geo.DistanceKm(centre.Point, p); dist <= km {
			near[d.OutwardCode] = dist
		}
	}
	return near, true
}

// Activity kinds of a member's newsfeed summary.
const (
	ActivityRating = "Rating" // the member received a rating
	ActivityTour   = "Tour"   // the member announced a tour
)

// Activity is one item of a member's recent public activity.
type Activity struct {
	Type   string // ActivityRating or ActivityTour
	Date   time.Time
	Rating *Rating // for ActivityRating
	Tour   *Tour   // for ActivityTour
}
