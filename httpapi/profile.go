package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Profile (api-v1.md §2.16): a member's full public profile (getProfileDetails, implied) and their
// ratings (getRatings, GET or POST). getRatings' response was not captured; it follows the documented
// responses' style. Both take the API key (or a bearer token in its place).

// profileArea serves Profile.
type profileArea struct {
	profiles awapi.ProfileReader
	rates    awapi.EscortRateReader
	ratings  awapi.RatingReader
}

func (s *profileArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Profile/getProfileDetails", Auth: web.AuthKey, Implied: true,
			Summary: "A member's full public profile, with the Images block when ReturnImages is true and the Contact block " +
				"(HasMobileNumber; MobileNumber and MobileNumberVerified, null unless the member shows their number) when ReturnContact is true."},
			s.getProfileDetails),
		web.Handle(web.Endpoint{Method: "GET POST", Path: "/v1/Profile/getRatings", Auth: web.AuthKey,
			Summary: "A member's rating overview, per-service counts and feedback, paged; each block on request."}, s.getRatings),
	}
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

func (s *profileArea) getProfileDetails(ctx context.Context, c *web.Call, r *profileDetailsReq) (ProfileDetailsOutput, error) {
	p, err := activeProfile(ctx, s.profiles, c, r.UserID)
	if err != nil {
		return ProfileDetailsOutput{}, err
	}
	rates, err := s.rates.EscortRates(ctx, []int64{p.UserID})
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

func (s *profileArea) getRatings(ctx context.Context, c *web.Call, r *getRatingsReq) (RatingsOutput, error) {
	p, err := activeProfile(ctx, s.profiles, c, r.UserID)
	if err != nil {
		return RatingsOutput{}, err
	}
	out := RatingsOutput{UserID: p.UserID, Nickname: p.Nickname}
	if r.ReturnOverview || r.ReturnRatings {
		sum, err := s.ratings.RatingSummary(ctx, p.UserID)
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
		fs, total, err := s.ratings.Feedback(ctx, awapi.FeedbackQuery{UserID: p.UserID, Services: services,
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
