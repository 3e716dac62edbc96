package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
	"github.com/awapi/awapi/web"
)

// Newsfeed/getUserSummary (api-v1.md §2.13): a member's newsfeed card and recent activity.

// newsfeedArea serves Newsfeed.
type newsfeedArea struct {
	profiles awapi.ProfileReader
	activity awapi.ActivityReader
}

func (s *newsfeedArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Newsfeed/getUserSummary", Auth: web.AuthKey,
			Summary: "A member's newsfeed card and their recent activity (ratings received, tours)."}, s.getUserSummary),
	}
}

type userSummaryReq struct {
	UserID int64 `api:"required,min=1" doc:"The member."`
}

// NewsFeedUser is a member's card in the newsfeed (aws:NewsFeedUser, api-v1.md §2.13).
type NewsFeedUser struct {
	UserID   int64
	Nickname string
	Gender   string
	Age      int
	CardServices
	ProfileThumbnail
	ProfileLinks
	Orientation string
	PlaceNames
	Nationality string
}

// NewsFeedSummary is one item of a member's recent activity (aws:NewsFeedSummary; its fields were
// not captured): Type is Rating or Tour.
type NewsFeedSummary struct {
	Type        string
	Description string
	Date        time.Time
}

// UserSummaryOutput answers getUserSummary.
type UserSummaryOutput struct {
	User    NewsFeedUser
	Summary []NewsFeedSummary
}

// userSummaryItems is how many activity items getUserSummary returns.
const userSummaryItems = 10

func (s *newsfeedArea) getUserSummary(ctx context.Context, c *web.Call, r *userSummaryReq) (UserSummaryOutput, error) {
	p, err := activeProfile(ctx, s.profiles, c, r.UserID)
	if err != nil {
		return UserSummaryOutput{}, err
	}
	acts, err := s.activity.ProfileActivity(ctx, p.UserID, userSummaryItems)
	if err != nil {
		return UserSummaryOutput{}, err
	}
	sum := ProfileSummaryOf(c, &p, nil)
	out := UserSummaryOutput{User: NewsFeedUser{UserID: sum.UserID, Nickname: sum.NickName, Gender: sum.Gender, Age: sum.Age,
		CardServices: cardServicesOf(&sum), ProfileThumbnail: sum.ProfileThumbnail, ProfileLinks: sum.ProfileLinks,
		Orientation: sum.Orientation, PlaceNames: sum.PlaceNames, Nationality: sum.Nationality,
	}, Summary: make([]NewsFeedSummary, 0, len(acts))}
	for _, a := range acts {
		out.Summary = append(out.Summary, NewsFeedSummary{Type: a.Type, Date: a.Date, Description: activityText(&a)})
	}
	return out, nil
}

// activityText describes an activity item in a sentence.
func activityText(a *awapi.Activity) string {
	switch {
	case a.Rating != nil:
		outcome := map[int]string{1: "positive", 0: "neutral", -1: "negative"}[a.Rating.Score]
		return fmt.Sprintf("Received a %s %s rating.", outcome, a.Rating.Service)
	case a.Tour != nil:
		place := a.Tour.Town
		if place == "" {
			if reg, ok := refdata.RegionByID(a.Tour.RegionID); ok {
				place = reg.RegionName
			}
		}
		return fmt.Sprintf("Touring %s from %s to %s.", place, a.Tour.DateFrom.Format("2 Jan 2006"), a.Tour.DateTo.Format("2 Jan 2006"))
	}
	return ""
}
