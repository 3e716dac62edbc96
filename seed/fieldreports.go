package seed

import (
	"time"

	"github.com/awapi/awapi"
)

// Field reports and rating disputes (migration 00006). Both draw from the member's own
// streamReviews, so adding them left every other generated value unchanged.

var (
	reportTitles = map[bool][]string{
		true:  {"Wonderful time", "Highly recommended", "Exactly as described", "A real pleasure", "Will be back"},
		false: {"Not for me", "Mixed experience", "Disappointing", "Could have been better"},
	}
	reportOpeners = []string{
		"Booked through the site a few days ahead and the arrangements were clear.",
		"Made contact by message and had a quick, friendly reply.",
		"Arranged at short notice, which was handled well.",
	}
	reportBodies = map[bool][]string{
		true: {"Punctual, friendly and exactly as the pictures show.", "Relaxed, easy company and a good conversation throughout.",
			"Discreet location, clean and comfortable, and no clock-watching."},
		false: {"Arrived late and seemed distracted.", "The location was hard to find and not as described.",
			"Pleasant enough, but it felt rushed."},
	}
)

// fieldReports appends the field reports escort m received: about one escort in six has 1-8, written
// by clients with lower IDs (so they exist whatever the batching) over the last two years.
func (g *generator) fieldReports(out []awapi.FieldReport, m *awapi.Member) []awapi.FieldReport {
	if m.UserTypeID != awapi.UserTypeOffering || !m.IsEscort {
		return out
	}
	r := g.stream(m.UserID, streamReviews)
	if r.Float64() >= 0.17 {
		return out
	}
	n := 1 + int(8*pow(r.Float64(), 2))
	earliest := g.now.Add(-730 * day)
	if m.RegisteredAt.After(earliest) {
		earliest = m.RegisteredAt
	}
	for range n {
		f := awapi.FieldReport{UserID: m.UserID, AuthorID: g.rater(m.UserID, r)}
		f.Created = g.now.Add(-time.Duration(r.Float64() * float64(g.now.Sub(earliest)))).Truncate(time.Second).UTC()
		meet := f.Created.AddDate(0, 0, -r.IntN(15))
		f.MeetDate = time.Date(meet.Year(), meet.Month(), meet.Day(), 0, 0, 0, 0, time.UTC)
		f.Rating = awapi.FieldReportMaxRating - int(9*pow(r.Float64(), 2.5))
		good := f.Rating >= 6
		f.Recommended = good && r.Float64() < 0.9
		f.VisitAgain = good && r.Float64() < 0.8
		f.InCall = m.DoesInCalls && (!m.DoesOutCalls || r.Float64() < 0.6)
		f.OutCall = !f.InCall
		titles, bodies := reportTitles[good], reportBodies[good]
		f.Title = titles[r.IntN(len(titles))]
		f.Report = reportOpeners[r.IntN(len(reportOpeners))] + " " + bodies[r.IntN(len(bodies))]
		// The meeting was where the escort is based (out calls too: a nearby visit).
		f.CountryID, f.RegionID, f.CountyID, f.Town = m.CountryID, m.RegionID, m.CountyID, m.Town
		out = append(out, f)
	}
	return out
}

// disputes marks about a third of a member's negative ratings as under dispute.
func (g *generator) disputes(rs []awapi.Rating, userID int64) {
	r := g.stream(userID, streamDisputes)
	for i := range rs {
		if rs[i].Score < 0 && r.Float64() < 0.35 {
			rs[i].Disputed = true
		}
	}
}
