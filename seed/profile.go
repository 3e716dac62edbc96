package seed

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// Public profile data (migration 00005): profile facts, images and tours. It draws from the member's
// own streamProfile, so adding it left every other generated value unchanged.

var detailOpeners = []string{
	"Thank you for visiting my profile.",
	"Hello and welcome to my page.",
	"Hi, and thanks for stopping by.",
	"Welcome! Please take a moment to read about me.",
}

var detailMiddles = []string{
	"I love good food, long walks and meeting new people, and I always make time for a proper conversation.",
	"I am easy-going and discreet, and I take pride in being reliable and on time for every booking.",
	"Outside the site I enjoy travel, live music and the theatre, so there is always something to talk about.",
	"I keep my profile and availability up to date, so what you read here is what you get.",
}

var detailClosers = []string{
	"Please read my ratings and get in touch through the site.",
	"Bookings through the site only, please; I reply to every message.",
	"I look forward to hearing from you.",
}

var imageDescriptions = []string{"Profile picture", "Evening out", "Holiday", "Dressed up", "Relaxing at home", "Portrait"}

// profile fills m's profile facts and appends its images and tours.
func (g *generator) profile(m *awapi.Member, images []awapi.ProfileImage, tours []awapi.Tour) ([]awapi.ProfileImage, []awapi.Tour) {
	r := g.stream(m.UserID, streamProfile)
	f := &m.ProfileFacts
	f.NationalityID = m.CountryID
	if m.CountryID == refdata.UnitedKingdomID && r.Float64() < 0.12 && len(g.abroad) > 0 {
		f.NationalityID = g.abroad[r.IntN(len(g.abroad))]
	}
	performer := m.UserTypeID == awapi.UserTypeOffering
	if !performer {
		if r.Float64() < 0.2 {
			images = append(images, awapi.ProfileImage{UserID: m.UserID, Number: 1, Safe: r.Float64() < 0.6, Description: "Profile picture"})
		}
		return images, tours
	}
	f.Details = strings.Join([]string{detailOpeners[r.IntN(len(detailOpeners))],
		detailMiddles[r.IntN(len(detailMiddles))], detailClosers[r.IntN(len(detailClosers))]}, " ")
	f.TVTS = m.GenderID == 3 && r.Float64() < 0.8
	if m.IsEscort {
		f.DoesInCalls, f.DoesOutCalls = r.Float64() < 0.7, r.Float64() < 0.6
		if !f.DoesInCalls && !f.DoesOutCalls {
			f.DoesOutCalls = true
		}
		if r.Float64() < 0.2 {
			f.AvailableEscortOn = g.today
		}
	}
	f.IsDirectCam = m.IsWebcam && r.Float64() < 0.3
	f.IsDirectChat = m.DirectChatOnly || (m.IsPhoneChat && r.Float64() < 0.25)
	if m.IsWebcam && r.Float64() < 0.1 {
		f.WebcamAvailableUntil = g.now.Add(time.Duration(30+r.IntN(210)) * time.Minute).Truncate(time.Minute)
	}
	if m.IsPhoneChat && r.Float64() < 0.1 {
		f.PhoneChatAvailableUntil = g.now.Add(time.Duration(30+r.IntN(210)) * time.Minute).Truncate(time.Minute)
	}
	f.HasGallery = r.Float64() < 0.55
	f.HasPrivateGallery = f.HasGallery && r.Float64() < 0.5
	f.HasMovieClips = m.IsContent && r.Float64() < 0.6
	f.HasMovieRentals = f.HasMovieClips && r.Float64() < 0.3
	f.HasSaleItems = r.Float64() < 0.1
	f.HasBlog = r.Float64() < 0.15

	if r.Float64() < 0.85 {
		n := 1 + int(5*pow(r.Float64(), 1.5))
		for k := 1; k <= min(n, awapi.MaxProfileImages); k++ {
			images = append(images, awapi.ProfileImage{UserID: m.UserID, Number: k, Safe: r.Float64() < 0.4,
				Description: imageDescriptions[r.IntN(len(imageDescriptions))]})
		}
	}
	if m.IsEscort && r.Float64() < 0.08 {
		tours = g.tour(m, r, tours)
	}
	return images, tours
}

// tour appends a visit by an escort to another UK place: a third are under way today, the rest start
// within the next two months; each lasts one to five days.
func (g *generator) tour(m *awapi.Member, r *rand.Rand, tours []awapi.Tour) []awapi.Tour {
	var place awapi.Member
	g.location(&place, r)
	if place.CountryID != refdata.UnitedKingdomID {
		return tours
	}
	from := g.today.AddDate(0, 0, 1+r.IntN(60))
	if r.Float64() < 0.33 {
		from = g.today.AddDate(0, 0, -r.IntN(2))
	}
	to := from.AddDate(0, 0, r.IntN(5))
	if to.Before(g.today) {
		to = g.today
	}
	return append(tours, awapi.Tour{UserID: m.UserID, CountryID: place.CountryID, RegionID: place.RegionID,
		CountyID: place.CountyID, Town: place.Town, PostCode: place.PostCode, DateFrom: from, DateTo: to,
		Created: g.now.Add(-time.Duration(1+r.IntN(30*24)) * time.Hour).Truncate(time.Second)})
}
