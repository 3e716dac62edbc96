package httpapi

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
	"github.com/awapi/awapi/web"
)

// The wire types every endpoint that shows a member shares (SearchProfiles, getProfileDetails,
// getUserSummary, getGroupDetails, getFieldReport, GetHotList …). Build them only with
// ProfileSummaryOf, RatingsOf, ImagesOf and escortRatesOf, so a member reads the same everywhere.

// ProfileSummary is the profile summary object (api-v1.md §5), field names exactly as clients read
// them (NickName included). Each image URL names its …Safe flag in its tag, so X-MaskImages masks it.
// The groups it embeds are written as its own members, in place; other member cards embed them too.
type ProfileSummary struct {
	Distance            // null unless the search gave a location
	HasProfileThumbnail bool
	ProfileThumbnail
	ProfileSquareSafe bool
	ProfileSquareURL  string `wire:"image,safe=ProfileSquareSafe"`
	UserID            int64
	NickName          string
	Nickname          string // NickName again: client code reads nickname in camelCase (api-v1.md §5)
	IsLoggedInNow     bool   // seen within the last 15 minutes; client code reads isLoggedInNow
	Summary           string
	Gender            string
	Age               int
	Orientation       string
	PlaceNames
	NationalityID         int
	Nationality           string
	NationalityISO2       string
	Views                 int64
	MemberSince           time.Time
	LastLoggedIn          time.Time
	Verified              bool
	IsEscort              bool
	DoesOutCalls          bool
	DoesInCalls           bool
	IsWebcam              bool
	IsPhoneChat           bool
	IsSMSChat             bool
	IsAlternative         bool
	IsOtherServices       bool
	IsDirectCam           bool
	IsDirectChat          bool
	AvailableTodayEscort  bool
	AvailableNowWebcam    bool
	AvailableNowPhoneChat bool
	HasGallery            bool
	HasPrivateGallery     bool
	HasMovieClips         bool
	HasMovieRentals       bool
	HasSaleItems          bool
	IsCouple              bool
	InGroup               bool
	GroupName             *string // null when not in a group
	GroupID               int64   // 0 when not in a group
	ProfileLinks
	HasBlog        bool
	LastUpdated    time.Time
	IsBlacklisted  bool // whether the calling member blacklisted this one; false for API-key calls
	IsOnTour       bool
	HasPhoneNumber bool
	Ratings        Ratings
}

// ProfileThumbnail is a member's profile picture on their cards: "" when they have none.
type ProfileThumbnail struct {
	ProfileThumbnailSafe bool
	ProfileThumbnailURL  string `wire:"image,safe=ProfileThumbnailSafe"`
}

// ProfileLinks are a member's profile and ratings pages, through the calling project's referral link.
type ProfileLinks struct {
	ProfileURL string
	RatingsURL string
}

// CardServices is what the shorter member cards (the newsfeed's, a field report's) say a member
// offers and when, with their Ratings block.
type CardServices struct {
	IsEscort              bool
	IsWebcam              bool
	IsPhoneChat           bool
	IsSMSChat             bool
	AvailableTodayEscort  bool
	AvailableNowWebcam    bool
	AvailableNowPhoneChat bool
	Ratings               Ratings
}

// cardServicesOf takes a card's services from the member's summary, so both read alike.
func cardServicesOf(s *ProfileSummary) CardServices {
	return CardServices{IsEscort: s.IsEscort, IsWebcam: s.IsWebcam, IsPhoneChat: s.IsPhoneChat, IsSMSChat: s.IsSMSChat,
		AvailableTodayEscort: s.AvailableTodayEscort, AvailableNowWebcam: s.AvailableNowWebcam,
		AvailableNowPhoneChat: s.AvailableNowPhoneChat, Ratings: s.Ratings}
}

// Ratings is the Ratings block (aws:ProfileRatings): Total is the net rating (positive minus
// negative), Ratings the number of ratings received, Disputes those under dispute.
type Ratings struct {
	Total, Positive, Neutral, Negative, Ratings, Disputes int
}

// RatingsOf renders a member's rating counters as the Ratings block.
func RatingsOf(r awapi.RatingCounts) Ratings {
	return Ratings{Total: r.Total(), Positive: r.Positive, Neutral: r.Neutral, Negative: r.Negative, Ratings: r.Ratings(), Disputes: r.Disputes}
}

// Contact is a member's contact block (getProfileDetails with ReturnContact; api-v1.md §5: client code
// reads Contact.HasMobileNumber and Contact.MobileNumber). HasMobileNumber is the summary's
// HasPhoneNumber: the member has a mobile number on their account. The number, and whether the site
// verified it, are null unless the member shows the number on their profile.
type Contact struct {
	HasMobileNumber      bool
	MobileNumber         *string
	MobileNumberVerified *bool
}

// ContactOf renders a member's contact block.
func ContactOf(p *awapi.Profile) Contact {
	c := Contact{HasMobileNumber: p.MobileNumber != ""}
	if number, ok := p.ShownMobileNumber(); ok {
		verified := p.MobileVerified
		c.MobileNumber, c.MobileNumberVerified = &number, &verified
	}
	return c
}

// Images is the Images block (api-v1.md §2.8, §2.16): profile images 1..awapi.MaxProfileImages, each
// with its safe flag (which governs all four of its URLs under X-MaskImages) and description. An image
// the member does not have has HasImageN false and empty URLs.
type Images struct {
	HasImage1          bool
	Image1Safe         bool
	Image1ThumbnailURL string `wire:"image,safe=Image1Safe"`
	Image1MediumURL    string `wire:"image,safe=Image1Safe"`
	Image1LargeURL     string `wire:"image,safe=Image1Safe"`
	Image1SquareURL    string `wire:"image,safe=Image1Safe"`
	Image1Description  string
	HasImage2          bool
	Image2Safe         bool
	Image2ThumbnailURL string `wire:"image,safe=Image2Safe"`
	Image2MediumURL    string `wire:"image,safe=Image2Safe"`
	Image2LargeURL     string `wire:"image,safe=Image2Safe"`
	Image2SquareURL    string `wire:"image,safe=Image2Safe"`
	Image2Description  string
	HasImage3          bool
	Image3Safe         bool
	Image3ThumbnailURL string `wire:"image,safe=Image3Safe"`
	Image3MediumURL    string `wire:"image,safe=Image3Safe"`
	Image3LargeURL     string `wire:"image,safe=Image3Safe"`
	Image3SquareURL    string `wire:"image,safe=Image3Safe"`
	Image3Description  string
	HasImage4          bool
	Image4Safe         bool
	Image4ThumbnailURL string `wire:"image,safe=Image4Safe"`
	Image4MediumURL    string `wire:"image,safe=Image4Safe"`
	Image4LargeURL     string `wire:"image,safe=Image4Safe"`
	Image4SquareURL    string `wire:"image,safe=Image4Safe"`
	Image4Description  string
	HasImage5          bool
	Image5Safe         bool
	Image5ThumbnailURL string `wire:"image,safe=Image5Safe"`
	Image5MediumURL    string `wire:"image,safe=Image5Safe"`
	Image5LargeURL     string `wire:"image,safe=Image5Safe"`
	Image5SquareURL    string `wire:"image,safe=Image5Safe"`
	Image5Description  string
}

// imageSlot is one image's fields in the Images block.
type imageSlot struct {
	has, safe                                *bool
	thumbnail, medium, large, square, detail *string
}

func (b *Images) slots() [awapi.MaxProfileImages]imageSlot {
	return [...]imageSlot{
		{&b.HasImage1, &b.Image1Safe, &b.Image1ThumbnailURL, &b.Image1MediumURL, &b.Image1LargeURL, &b.Image1SquareURL, &b.Image1Description},
		{&b.HasImage2, &b.Image2Safe, &b.Image2ThumbnailURL, &b.Image2MediumURL, &b.Image2LargeURL, &b.Image2SquareURL, &b.Image2Description},
		{&b.HasImage3, &b.Image3Safe, &b.Image3ThumbnailURL, &b.Image3MediumURL, &b.Image3LargeURL, &b.Image3SquareURL, &b.Image3Description},
		{&b.HasImage4, &b.Image4Safe, &b.Image4ThumbnailURL, &b.Image4MediumURL, &b.Image4LargeURL, &b.Image4SquareURL, &b.Image4Description},
		{&b.HasImage5, &b.Image5Safe, &b.Image5ThumbnailURL, &b.Image5MediumURL, &b.Image5LargeURL, &b.Image5SquareURL, &b.Image5Description},
	}
}

// set fills image n's fields, its URLs from url; an n outside the block's slots is left out.
func (b *Images) set(n int, safe bool, description string, url func(size ImageSize) string) {
	slots := b.slots()
	if n < 1 || n > len(slots) {
		return
	}
	s := slots[n-1]
	*s.has, *s.safe, *s.detail = true, safe, description
	*s.thumbnail, *s.medium, *s.large, *s.square = url(ImageThumbnail), url(ImageMedium), url(ImageLarge), url(ImageSquare)
}

// ImagesOf renders a member's profile images as the Images block.
func ImagesOf(p *awapi.Profile) Images {
	var b Images
	for _, im := range p.Images {
		b.set(im.Number, im.Safe, im.Description, func(size ImageSize) string { return ImageURL(size, p.UserID, im.Number) })
	}
	return b
}

// ImageSize selects one of the CDN's renditions of a profile image.
type ImageSize string

// The CDN's renditions (api-v1.md §1.1: images/{t,m,l,sq/40}/<UserID>_<n>.jpg).
const (
	ImageThumbnail ImageSize = "t"
	ImageMedium    ImageSize = "m"
	ImageLarge     ImageSize = "l"
	ImageSquare    ImageSize = "sq/40"
)

// ImageURL is the CDN address of image n of a member; URLs are derived, never stored.
func ImageURL(size ImageSize, userID int64, n int) string {
	return fmt.Sprintf("https://cdn.adultwork.com/images/%s/%d_%d.jpg", size, userID, n)
}

// ProfileURL is the member's profile page on the site; RatingsURL their ratings page.
func ProfileURL(userID int64) string {
	return "https://www.adultwork.com/ViewProfile.asp?UserID=" + strconv.FormatInt(userID, 10)
}

// RatingsURL is the member's ratings page on the site.
func RatingsURL(userID int64) string {
	return "https://www.adultwork.com/dlgViewRatings.asp?UserID=" + strconv.FormatInt(userID, 10)
}

// ReferralURL wraps a site address in the referral link of the calling project (api-v1.md §1.1), so
// visitors an application sends to the site are credited to it.
func ReferralURL(projectID int64, target string) string {
	return "http://refer.adultwork.com/?PID=" + strconv.FormatInt(projectID, 10) + "&T=" + url.QueryEscape(target)
}

// ProfileSummaryOf renders a profile as the summary object at the call's clock and zone. distanceKm is
// the member's distance from a location search's centre, or nil. IsBlacklisted is left false: the
// caller fills it when a member calls.
func ProfileSummaryOf(c *web.Call, p *awapi.Profile, distanceKm *float64) ProfileSummary {
	s := ProfileSummary{
		UserID: p.UserID, NickName: p.Nickname, Nickname: p.Nickname, IsLoggedInNow: p.IsLoggedInNow(c.Now), Summary: p.Summary, Age: p.Age(c.Now, c.Loc),
		NationalityID: p.NationalityID, Views: p.Views,
		MemberSince: p.RegisteredAt, LastLoggedIn: p.LastLogin, LastUpdated: p.LastUpdated, Verified: p.Verified,
		IsEscort: p.IsEscort, DoesOutCalls: p.DoesOutCalls, DoesInCalls: p.DoesInCalls, IsWebcam: p.IsWebcam,
		IsPhoneChat: p.IsPhoneChat, IsSMSChat: p.IsSMSChat, IsAlternative: p.IsAlternative,
		IsOtherServices: p.IsOtherServices, IsDirectCam: p.IsDirectCam, IsDirectChat: p.IsDirectChat,
		AvailableTodayEscort:  p.AvailableTodayEscort(c.Now, c.Loc),
		AvailableNowWebcam:    p.AvailableNowWebcam(c.Now),
		AvailableNowPhoneChat: p.AvailableNowPhoneChat(c.Now),
		HasGallery:            p.HasGallery, HasPrivateGallery: p.HasPrivateGallery, HasMovieClips: p.HasMovieClips,
		HasMovieRentals: p.HasMovieRentals, HasSaleItems: p.HasSaleItems, IsCouple: p.IsCouple(),
		InGroup: p.GroupID != 0, GroupID: p.GroupID, HasBlog: p.HasBlog, IsOnTour: p.IsOnTour,
		HasPhoneNumber: p.HasPhoneNumber(),
		ProfileLinks: ProfileLinks{ProfileURL: ReferralURL(c.Caller.Project.ProjectID, ProfileURL(p.UserID)),
			RatingsURL: ReferralURL(c.Caller.Project.ProjectID, RatingsURL(p.UserID))},
		Ratings:    RatingsOf(p.Ratings),
		Distance:   distanceOf(distanceKm),
		PlaceNames: placeNamesOf(p.CountryID, p.RegionID, p.CountyID, p.Town),
	}
	if im, ok := p.Image(1); ok {
		s.HasProfileThumbnail, s.ProfileThumbnailSafe, s.ProfileSquareSafe = true, im.Safe, im.Safe
		s.ProfileThumbnailURL, s.ProfileSquareURL = ImageURL(ImageThumbnail, p.UserID, 1), ImageURL(ImageSquare, p.UserID, 1)
	}
	if p.GroupID != 0 {
		name := p.GroupName
		s.GroupName = &name
	}
	s.Gender, s.Orientation = itemName(refdata.Gender(p.GenderID)), itemName(refdata.Orientation(p.OrientationID))
	if n, ok := refdata.CountryByID(p.NationalityID); ok {
		s.Nationality, s.NationalityISO2 = n.Nationality, n.CountryISO2
	}
	return s
}

func itemName(it refdata.Item, ok bool) string {
	if !ok {
		return ""
	}
	return it.Name
}

// EscortRate is a member's price for one rate break (getEscortRateBreaks), in credits; null where the
// member does not offer that kind of call.
type EscortRate struct {
	RateBreakID int
	RateBreak   string
	InCall      *awapi.Credits
	OutCall     *awapi.Credits
}

// escortRatesOf lists a member's rates in rate-break duration order (getEscortRateBreaks' order).
func escortRatesOf(rs []awapi.EscortRate) []EscortRate {
	out := make([]EscortRate, 0, len(rs))
	for _, b := range refdata.EscortRateBreaks() {
		for _, r := range rs {
			if r.RateBreakID != b.RateBreakID {
				continue
			}
			e := EscortRate{RateBreakID: b.RateBreakID, RateBreak: b.RateBreak}
			if r.InCall != 0 {
				e.InCall = &r.InCall
			}
			if r.OutCall != 0 {
				e.OutCall = &r.OutCall
			}
			out = append(out, e)
		}
	}
	return out
}
