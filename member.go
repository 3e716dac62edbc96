package awapi

import "time"

// UserTypeID values: a member either offers services (a performer) or seeks them (a client).
const (
	UserTypeOffering = 1
	UserTypeSeeking  = 2
)

// UserTypeName returns the API's text for a UserTypeID.
func UserTypeName(id int) string {
	if id == UserTypeOffering {
		return "Offering Services"
	}
	return "Seeking Services"
}

// Services are the services a member offers (Account/UpdateServices).
type Services struct {
	IsEscort, IsWebcam, IsPhoneChat, IsSMSChat, IsContent, IsAlternative, IsOtherServices bool
}

// Member is a site member: a performer (offering services) or a client (seeking them).
type Member struct {
	UserID         int64
	Nickname       string
	Email          string
	PasswordHash   string
	BirthDate      time.Time // a date, UTC midnight
	UserTypeID     int
	GenderID       int
	OrientationID  int
	CountryID      int
	RegionID       int
	CountyID       int
	Town           string
	PostCode       string // outward part only
	GroupID        int64  // 0: not in a group
	IsGroupManager bool
	IsAgeVerified  bool
	IsActive       bool
	Verified       bool
	Summary        string
	Services
	ProfileFacts
	DirectChatOnly bool
	MobileNumber   string
	MobileVerified bool
	RegisteredAt   time.Time
	LastLogin      time.Time
	LastUpdated    time.Time

	// ShowMobileNumber: the member shows MobileNumber on their profile (getProfileDetails' Contact).
	ShowMobileNumber bool
}

// Group is an agency group; its manager may act for its members (api-v1.md §1.10).
type Group struct {
	GroupID   int64
	GroupName string
}

// WebcamSettings are a performer's webcam booking settings.
type WebcamSettings struct {
	UserID          int64
	SoftwareTypeIDs []int // offered SoftwareTypeIDs: 1 MSN Messenger, 2 Yahoo Messenger, 3 Skype
	MinimumDuration int   // minutes
}

// Rating services, as the ratings and top lists name them.
const (
	ServiceEscort    = "Escort"
	ServiceWebcam    = "Webcam"
	ServicePhoneChat = "PhoneChat"
)

// Rating is one member's rating of another after a service.
type Rating struct {
	UserID   int64 // the rated member
	RaterID  int64
	Service  string
	Score    int // +1 positive, 0 neutral, -1 negative
	Feedback string
	RatedAt  time.Time
	Disputed bool // under dispute; counted in RatingCounts.Disputes
}

// ViewKind says which page a profile view counts against.
type ViewKind int

const (
	ViewsProfile ViewKind = iota + 1
	ViewsEscort
	ViewsPhoneChat
	ViewsWebcam
)

// DailyViews is the number of views a member had on one day (UTC).
type DailyViews struct {
	UserID int64
	Kind   ViewKind
	Day    time.Time
	Views  int
}
