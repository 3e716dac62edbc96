package seed

import (
	"fmt"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// Groups' public pages and escorts' rates (migration 00007). Both draw from streams of their own,
// appended after the others, so adding them left every other generated value unchanged.
const (
	streamGroupPage  = streamProfile + 1 + iota // keyed by GroupID
	streamEscortRate                            // keyed by UserID
)

var groupDetailTexts = []string{
	"A small, friendly agency representing independent companions. Every booking is handled personally.",
	"An established agency with experienced, verified members and discreet, reliable service.",
	"We look after our members and our clients alike: clear rates, honest profiles and prompt replies.",
	"A boutique agency. Call or message during opening hours and we will find the right companion for you.",
}

// groupPages generates the pages of groups 1..n: group 1, the Sandbox Agency, is fixed in Leeds with
// its manager; the others get a place, contact details, opening hours and images from their stream.
func (g *generator) groupPages(n int) []awapi.GroupProfile {
	out := make([]awapi.GroupProfile, 0, n)
	for id := int64(1); id <= int64(n); id++ {
		r := g.stream(id, streamGroupPage)
		p := awapi.GroupProfile{Group: awapi.Group{GroupID: id}}
		var place awapi.Member
		g.location(&place, r)
		if id == 1 {
			place = awapi.Member{CountryID: refdata.UnitedKingdomID, RegionID: 3, CountyID: 12, Town: "Leeds", PostCode: "LS1"}
		}
		p.GroupInfo = awapi.GroupInfo{Details: groupDetailTexts[r.IntN(len(groupDetailTexts))],
			CountryID: place.CountryID, RegionID: place.RegionID, CountyID: place.CountyID, Town: place.Town, PostCode: place.PostCode}
		if r.Float64() < 0.7 {
			p.Website = fmt.Sprintf("https://agency%d.sandbox.awapi.test", id)
		}
		if place.CountryID == refdata.UnitedKingdomID && r.Float64() < 0.8 {
			// Ofcom's drama range: numbers that are never in service.
			p.PhoneNumber = fmt.Sprintf("0113 496 %04d", r.IntN(1000))
		}
		if r.Float64() < 0.85 {
			opens, closes := (9+r.IntN(4))*60, ((20+r.IntN(8))%24)*60+30*r.IntN(2)
			for d := time.Sunday; d <= time.Saturday; d++ {
				if d == time.Sunday && r.Float64() < 0.5 {
					continue // closed on Sundays
				}
				p.OpeningHours = append(p.OpeningHours, awapi.OpeningHours{Weekday: d, Opens: opens, Closes: closes})
			}
		}
		for k := 1; k <= r.IntN(4); k++ {
			p.Images = append(p.Images, awapi.GroupImage{Number: k, Safe: r.Float64() < 0.7,
				Description: []string{"Reception", "Our lounge", "The team", "Logo"}[r.IntN(4)]})
		}
		out = append(out, p)
	}
	return out
}

// rateBreakShare is each rate break's price as a multiple of the 1-hour price (RateBreakIDs per
// api-v1.md §3.1: 7 15 mins, 1 ½ hour, 2 1 hour, 8 1½ hours, 3 2 hours, 4 3 hours).
var rateBreakShare = []struct {
	id    int
	share float64
	p     float64 // chance the escort lists it (the 1-hour rate always)
}{{7, 0.4, 0.15}, {1, 0.65, 0.6}, {awapi.RateBreakOneHour, 1, 1}, {8, 1.4, 0.3}, {3, 1.8, 0.6}, {4, 2.5, 0.4}}

// escortRates appends an escort's prices: a 1-hour rate of 80-300 credits and the other breaks in
// proportion, rounded to 5 credits; out-calls cost a fifth more. Only the kinds of call offered.
func (g *generator) escortRates(out []awapi.EscortRate, m *awapi.Member) []awapi.EscortRate {
	if !m.IsEscort || m.UserTypeID != awapi.UserTypeOffering {
		return out
	}
	r := g.stream(m.UserID, streamEscortRate)
	hour := float64(80 + 10*r.IntN(23))
	round5 := func(x float64) awapi.Credits { return awapi.Credits(int64(x/5+0.5) * 5 * 100) }
	for _, b := range rateBreakShare {
		if r.Float64() >= b.p {
			continue
		}
		rt := awapi.EscortRate{UserID: m.UserID, RateBreakID: b.id}
		if m.DoesInCalls {
			rt.InCall = round5(hour * b.share)
		}
		if m.DoesOutCalls {
			rt.OutCall = round5(hour * b.share * 1.2)
		}
		if rt.InCall != 0 || rt.OutCall != 0 {
			out = append(out, rt)
		}
	}
	return out
}
