package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

const (
	firstGenerated = 7   // IDs 1..6 are the demo accounts
	groupBlock     = 500 // generated group g (g >= 2) belongs to the block of 500 IDs starting at firstGenerated+500*(g-2)
	day            = 24 * time.Hour
)

// Random streams: each member's data comes from its own PCG streams derived from (Seed, UserID), so a
// member is the same whatever the total size or batch boundaries.
const (
	streamMember uint64 = iota
	streamRatings
	streamViews
	saltRole
	saltWords
	streamProfile // appended last: the values above must not change
	streamReviews
	streamDisputes
)

// mix is the SplitMix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func hash(seed uint64, id int64, salt uint64) uint64 {
	return mix(mix(seed^0x5eed5eed5eed5eed) ^ mix(uint64(id)<<3|salt))
}

// cumulative is a table of cumulative weights for weighted choices.
type cumulative []float64

func weights(ws ...float64) cumulative {
	c := make(cumulative, len(ws))
	total := 0.0
	for i, w := range ws {
		total += w
		c[i] = total
	}
	return c
}

func (c cumulative) pick(r *rand.Rand) int {
	return min(sort.SearchFloat64s(c, r.Float64()*c[len(c)-1]), len(c)-1)
}

// weightedItems picks refdata item IDs by weight.
type weightedItems struct {
	ids []int
	w   cumulative
}

func itemWeights(items []refdata.Item, w map[int]float64) weightedItems {
	var out weightedItems
	ws := make([]float64, 0, len(items))
	for _, it := range items {
		out.ids = append(out.ids, it.ID)
		if v, ok := w[it.ID]; ok {
			ws = append(ws, v)
		} else {
			ws = append(ws, 1)
		}
	}
	out.w = weights(ws...)
	return out
}

func (w weightedItems) pick(r *rand.Rand) int { return w.ids[w.w.pick(r)] }

type ukCounty struct {
	id    int
	towns []string
	townW cumulative
}

type ukRegion struct {
	id        int
	counties  []ukCounty
	countiesW cumulative
}

// generator makes members and their rows. It is not safe for concurrent use.
type generator struct {
	seed       uint64
	now        time.Time // UTC
	loc        *time.Location
	today      time.Time // Now's calendar day (in Now's zone) as UTC midnight
	todayStart time.Time // the instant Now's day began, in Now's zone
	sixYears   time.Duration

	pcg *rand.PCG
	r   *rand.Rand

	female, male, couple nameSpace
	groups               groupNamer

	ukRegions  []ukRegion
	ukRegionsW cumulative
	abroad     []int // CountryIDs; the last weight is "any other country"
	abroadW    cumulative
	others     []int // every country but the UK and those in abroad

	showID int64 // the last ScheduledID given (directcam.go); members are generated in order

	pinID, callID int64 // the last DirectChat PINID and CallID given (directchat.go)
	// Mail (email.go): the last EmailID and folder ID given, and the active performers generated so
	// far, whom later clients write to.
	emailID, mailFolderID int64
	mailPerformers        []int64
}

var (
	// UK regions by rough share of population (RegionIDs 1..14); unknown regions weigh 1.
	ukRegionWeight = map[int]float64{1: 4, 2: 11, 3: 8, 4: 7, 5: 9, 6: 9, 7: 14, 8: 14, 9: 8.5, 10: 4.5, 11: 8, 12: 2.7, 13: 0.2, 14: 0.1}
	// Counties holding a big city weigh more.
	bigCityCounty = map[int]bool{3: true, 6: true, 8: true, 11: true, 12: true, 23: true, 45: true, 58: true, 64: true, 74: true, 92: true}
	// Countries other than the UK, with weights in percent of all members (15 in total with "others").
	abroadCountries = []struct {
		id     int
		weight float64
	}{{102, 3}, {299, 2}, {52, 1.5}, {270, 1.2}, {18, 1.2}, {197, 0.8}, {44, 0.8}, {181, 0.8}, {228, 0.7}, {76, 0.5}, {41, 0.5}, {140, 0.5}}

	// Genders: 1 Female, 2 Male, 3 Trans, 4-6 couples; orientations 1 Straight ... 6 Prefer not to say.
	// IDs refdata adds later weigh 1.
	performerGenders = itemWeights(refdata.Genders(), map[int]float64{1: 82, 2: 8, 3: 5, 4: 3, 5: 1.5, 6: 0.5})
	clientGenders    = itemWeights(refdata.Genders(), map[int]float64{1: 5, 2: 88, 3: 2, 4: 4, 5: 0.5, 6: 0.5})
	orientations     = itemWeights(refdata.Orientations(), map[int]float64{1: 60, 2: 20, 3: 7, 4: 8, 5: 3, 6: 2})
	minimumDurations = []int{5, 10, 15, 20, 30}
	durationWeights  = weights(20, 35, 25, 10, 10)
)

func newGenerator(seed uint64, now time.Time) *generator {
	loc := now.Location()
	local := now.In(loc)
	g := &generator{
		seed:       seed,
		now:        now.UTC(),
		loc:        loc,
		today:      time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC),
		todayStart: time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc),
		sixYears:   now.Sub(now.AddDate(-6, 0, 0)),
		pcg:        rand.NewPCG(0, 0),
	}
	g.r = rand.New(g.pcg)
	words := rand.New(rand.NewPCG(seed, hash(seed, 0, saltWords)))
	g.female = newNameSpace(words, femaleAdjectives, femaleNames)
	g.male = newNameSpace(words, maleAdjectives, maleNames)
	g.couple = newNameSpace(words, coupleAdjectives, coupleWords)
	g.groups = newGroupNamer(words)

	var rw []float64
	for _, reg := range refdata.Regions(refdata.UnitedKingdomID) {
		region := ukRegion{id: reg.RegionID}
		var cw []float64
		for _, c := range refdata.Counties(reg.RegionID) {
			towns := refdata.Towns(c.CountyID)
			if len(towns) == 0 {
				continue
			}
			tw := make([]float64, len(towns))
			for i := range tw {
				tw[i] = 1
			}
			tw[0] = 3 // the first town listed is the county's main town
			region.counties = append(region.counties, ukCounty{id: c.CountyID, towns: towns, townW: weights(tw...)})
			w := 1.0
			if bigCityCounty[c.CountyID] {
				w = 3
			}
			cw = append(cw, w)
		}
		if len(region.counties) == 0 {
			continue
		}
		region.countiesW = weights(cw...)
		g.ukRegions = append(g.ukRegions, region)
		w, ok := ukRegionWeight[reg.RegionID]
		if !ok {
			w = 1
		}
		rw = append(rw, w)
	}
	g.ukRegionsW = weights(rw...)

	var aw []float64
	listed := map[int]bool{refdata.UnitedKingdomID: true}
	for _, c := range abroadCountries {
		if _, ok := refdata.CountryByID(c.id); ok {
			g.abroad = append(g.abroad, c.id)
			aw = append(aw, c.weight)
			listed[c.id] = true
		}
	}
	for _, c := range refdata.Countries() {
		if !listed[c.CountryID] {
			g.others = append(g.others, c.CountryID)
		}
	}
	g.abroadW = weights(append(aw, 1.5)...)
	return g
}

// stream points the generator's random source at one of a member's streams.
func (g *generator) stream(id int64, stream uint64) *rand.Rand {
	h := hash(g.seed, id, stream)
	g.pcg.Seed(h, mix(h^0xda3e39cb94b95bdb))
	return g.r
}

// isPerformer reports whether a member offers services; it is cheap, so raters can be checked
// without generating them.
func (g *generator) isPerformer(id int64) bool {
	switch {
	case id == 1:
		return false
	case id < firstGenerated:
		return true
	case (id-firstGenerated)%groupBlock == 0: // a generated group's manager
		return true
	}
	return float64(hash(g.seed, id, saltRole)>>11)/(1<<53) < 0.40
}

// groupCount is the number of groups for a sandbox of users members: group 1 and one per block.
func groupCount(users int) int {
	return 1 + (users-firstGenerated+groupBlock)/groupBlock
}

// member generates member id (id >= firstGenerated), with webcam settings when it offers webcam.
func (g *generator) member(id int64) (awapi.Member, *awapi.WebcamSettings) {
	r := g.stream(id, streamMember)
	m := awapi.Member{UserID: id, UserTypeID: awapi.UserTypeSeeking, IsActive: r.Float64() < 0.95}
	performer := g.isPerformer(id)
	var age int
	if performer {
		m.UserTypeID = awapi.UserTypeOffering
		m.GenderID = performerGenders.pick(r)
		age = 18 + int(48*pow(r.Float64(), 1.8))
	} else {
		m.GenderID = clientGenders.pick(r)
		age = 18 + int(48*(r.Float64()+r.Float64())/2)
	}
	m.OrientationID = orientations.pick(r)
	m.BirthDate = g.birthDate(age, r)
	g.location(&m, r)

	// Registered over the six years before now; last login skewed recent; last update between them.
	reg := g.now.Add(-time.Duration(r.Float64() * float64(g.sixYears))).Truncate(time.Second)
	since := g.now.Sub(reg)
	m.RegisteredAt = reg
	m.LastLogin = g.now.Add(-time.Duration(pow(r.Float64(), 3) * float64(since))).Truncate(time.Second)
	m.LastUpdated = reg.Add(time.Duration(r.Float64() * float64(m.LastLogin.Sub(reg)))).Truncate(time.Second)

	// A third of clients gave a mobile number and half of those verified it (derived from the ID, so
	// the member's random stream, and everything drawn from it, is unchanged).
	if !performer && id%3 == 0 {
		m.MobileNumber, m.MobileVerified = fmt.Sprintf("07700%06d", id%1_000_000), id%6 == 0
	}

	var ws *awapi.WebcamSettings
	if performer {
		s := &m.Services
		s.IsEscort = r.Float64() < 0.60
		s.IsWebcam = r.Float64() < 0.45
		s.IsPhoneChat = r.Float64() < 0.35
		s.IsSMSChat = r.Float64() < 0.15
		s.IsContent = r.Float64() < 0.30
		s.IsAlternative = r.Float64() < 0.05
		if *s == (awapi.Services{}) {
			switch u := r.Float64(); {
			case u < 0.4:
				s.IsOtherServices = true
			case u < 0.6:
				s.IsEscort = true
			case u < 0.8:
				s.IsWebcam = true
			default:
				s.IsPhoneChat = true
			}
		}
		m.DirectChatOnly = s.IsPhoneChat && r.Float64() < 0.05
		m.Verified = r.Float64() < 0.50
		m.IsAgeVerified = m.Verified || r.Float64() < 0.6
		g.group(&m, r)
		if s.IsWebcam {
			ws = g.webcam(id, r)
		}
	} else {
		m.Verified = r.Float64() < 0.05
		m.IsAgeVerified = m.Verified || r.Float64() < 0.6
	}
	m.Summary = summary(&m, r)
	m.Nickname = g.nickname(&m)
	m.Email = strings.ToLower(m.Nickname) + "@sandbox.awapi.test"
	return m, ws
}

func pow(x, y float64) float64 {
	switch y {
	case 2:
		return x * x
	case 3:
		return x * x * x
	}
	return math.Pow(x, y)
}

// birthDate returns a date on which someone born is exactly age years old on Now's day.
func (g *generator) birthDate(age int, r *rand.Rand) time.Time {
	latest := yearsBefore(g.today, age)
	earliest := yearsBefore(g.today, age+1).AddDate(0, 0, 1)
	days := int(latest.Sub(earliest) / day)
	return earliest.AddDate(0, 0, r.IntN(days+1))
}

// yearsBefore moves a UTC date back n years, turning 29 February into 28 February in common years.
func yearsBefore(d time.Time, n int) time.Time {
	y, m, dd := d.Year()-n, d.Month(), d.Day()
	if m == time.February && dd == 29 && !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		dd = 28
	}
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

func (g *generator) location(m *awapi.Member, r *rand.Rand) {
	if r.Float64() < 0.85 && len(g.ukRegions) > 0 {
		reg := &g.ukRegions[g.ukRegionsW.pick(r)]
		c := &reg.counties[reg.countiesW.pick(r)]
		m.CountryID, m.RegionID, m.CountyID = refdata.UnitedKingdomID, reg.id, c.id
		m.Town = c.towns[c.townW.pick(r)]
		codes := townPostcodes(c.id, m.Town)
		if codes == nil {
			codes = regionPostcodes[reg.id]
		}
		if len(codes) > 0 {
			m.PostCode = codes[r.IntN(len(codes))]
		}
		return
	}
	if i := g.abroadW.pick(r); i < len(g.abroad) {
		m.CountryID = g.abroad[i]
	} else {
		m.CountryID = g.others[r.IntN(len(g.others))]
	}
	regions := refdata.Regions(m.CountryID)
	if len(regions) == 0 {
		return
	}
	m.RegionID = regions[r.IntN(len(regions))].RegionID
	counties := refdata.Counties(m.RegionID)
	if len(counties) == 0 {
		return
	}
	m.CountyID = counties[r.IntN(len(counties))].CountyID
	if towns := refdata.Towns(m.CountyID); len(towns) > 0 {
		m.Town = towns[r.IntN(len(towns))]
	}
}

// group puts a performer in a group: the first ID of each block manages the block's group; about 10%
// of the other performers join their own block's group or an earlier one (early ones also group 1).
func (g *generator) group(m *awapi.Member, r *rand.Rand) {
	block := (m.UserID - firstGenerated) / groupBlock
	if (m.UserID-firstGenerated)%groupBlock == 0 {
		m.GroupID, m.IsGroupManager = block+2, true
		return
	}
	if r.Float64() >= 0.10 {
		return
	}
	switch u := r.Float64(); {
	case block <= 1 && u < 0.15:
		m.GroupID = 1
	case u < 0.60:
		m.GroupID = block + 2
	default:
		m.GroupID = 2 + r.Int64N(block+1)
	}
}

func (g *generator) webcam(id int64, r *rand.Rand) *awapi.WebcamSettings {
	ws := &awapi.WebcamSettings{UserID: id}
	msn, yahoo, skype := r.Float64() < 0.35, r.Float64() < 0.20, r.Float64() < 0.85
	if msn {
		ws.SoftwareTypeIDs = append(ws.SoftwareTypeIDs, 1)
	}
	if yahoo {
		ws.SoftwareTypeIDs = append(ws.SoftwareTypeIDs, 2)
	}
	if skype || len(ws.SoftwareTypeIDs) == 0 {
		ws.SoftwareTypeIDs = append(ws.SoftwareTypeIDs, 3)
	}
	ws.MinimumDuration = minimumDurations[durationWeights.pick(r)]
	return ws
}

func (g *generator) nickname(m *awapi.Member) string {
	i := m.UserID - firstGenerated
	switch m.GenderID {
	case 1, 3:
		return g.female.name(i)
	case 2:
		return g.male.name(i)
	}
	return g.couple.name(i)
}

var performerSummaries = []string{
	"Friendly and down-to-earth, based in %s.",
	"Warm, chatty and easy to get on with. %s based.",
	"Classy, discreet and always punctual. Based in %s.",
	"New to the site and happy to say hello. Based in %s.",
	"Good conversation and a great sense of humour, from %s.",
	"Relaxed, genuine and professional, from %s.",
	"Bubbly personality with a big smile, from %s.",
	"Independent and reliable; please read my profile before booking. %s.",
	"Elegant company for dinner dates and events around %s.",
	"Easy-going and fun, with a love of travel. Home is %s.",
}

var clientSummaries = []string{
	"Polite, respectful member from %s.",
	"Easy-going and genuine, based in %s.",
	"Discreet professional who travels for work; home is %s.",
	"Just browsing for now. Based in %s.",
	"Respectful member who always leaves honest feedback. %s.",
	"Friendly, punctual and easy to talk to. %s based.",
	"Down-to-earth and good company. %s based.",
}

// summary writes a short, tasteful one-line profile summary.
func summary(m *awapi.Member, r *rand.Rand) string {
	place := m.Town
	if place == "" {
		if reg, ok := refdata.RegionByID(m.RegionID); ok {
			place = reg.RegionName
		} else if c, ok := refdata.CountryByID(m.CountryID); ok {
			place = c.CountryName
		}
	}
	if m.UserTypeID != awapi.UserTypeOffering {
		return strings.Replace(clientSummaries[r.IntN(len(clientSummaries))], "%s", place, 1)
	}
	s := strings.Replace(performerSummaries[r.IntN(len(performerSummaries))], "%s", place, 1)
	var offers []string
	if m.IsEscort {
		offers = append(offers, "escort")
	}
	if m.IsWebcam {
		offers = append(offers, "webcam")
	}
	if m.IsPhoneChat {
		offers = append(offers, "phone chat")
	}
	if m.IsSMSChat {
		offers = append(offers, "SMS chat")
	}
	switch len(offers) {
	case 0:
		return s
	case 1:
		return s + " Offering " + offers[0] + "."
	}
	return s + " Offering " + strings.Join(offers[:len(offers)-1], ", ") + " and " + offers[len(offers)-1] + "."
}

// ratedServices lists the rating services a performer offers.
func ratedServices(m *awapi.Member) []string {
	var s []string
	if m.IsEscort {
		s = append(s, awapi.ServiceEscort)
	}
	if m.IsWebcam {
		s = append(s, awapi.ServiceWebcam)
	}
	if m.IsPhoneChat {
		s = append(s, awapi.ServicePhoneChat)
	}
	return s
}

var (
	positiveFeedback = []string{
		"Lovely person, would definitely book again.",
		"Friendly, punctual and exactly as described.",
		"Great conversation and a real pleasure.",
		"Highly recommended, thank you!",
		"Warm, welcoming and very professional.",
		"A genuinely lovely experience from start to finish.",
	}
	servicePositive = map[string]string{
		awapi.ServiceEscort:    "Punctual, friendly and just like the photos.",
		awapi.ServiceWebcam:    "Great webcam session, clear picture and lovely chat.",
		awapi.ServicePhoneChat: "Lovely voice and great fun to talk to.",
	}
	neutralFeedback = []string{
		"Okay overall, started a little late.",
		"Pleasant enough, but communication could be better.",
		"Fine, nothing special.",
	}
	negativeFeedback = []string{
		"Did not turn up at the agreed time.",
		"Cancelled at the last minute.",
		"Not as described, unfortunately.",
	}
)

func feedback(service string, score int, r *rand.Rand) string {
	switch score {
	case 1:
		if i := r.IntN(len(positiveFeedback) + 1); i < len(positiveFeedback) {
			return positiveFeedback[i]
		}
		return servicePositive[service]
	case 0:
		return neutralFeedback[r.IntN(len(neutralFeedback))]
	}
	return negativeFeedback[r.IntN(len(negativeFeedback))]
}

// rater picks a client with a lower ID than the rated member (so it exists whatever the batching),
// or the demo client.
func (g *generator) rater(id int64, r *rand.Rand) int64 {
	if id > firstGenerated {
		for range 8 {
			c := firstGenerated + r.Int64N(id-firstGenerated)
			if !g.isPerformer(c) {
				return c
			}
		}
	}
	return 1
}

// ratings appends the ratings member m received: 0-30, skewed towards few, from the last two years.
// Demo performers get a fixed number, one of them today.
func (g *generator) ratings(out []awapi.Rating, m *awapi.Member, demo bool) []awapi.Rating {
	services := ratedServices(m)
	if len(services) == 0 {
		return out
	}
	r := g.stream(m.UserID, streamRatings)
	n := int(31 * pow(r.Float64(), 3))
	if demo {
		n = 8
	}
	earliest := g.now.Add(-730 * day)
	if m.RegisteredAt.After(earliest) {
		earliest = m.RegisteredAt
	}
	for k := range n {
		rt := awapi.Rating{UserID: m.UserID, RaterID: g.rater(m.UserID, r), Service: services[r.IntN(len(services))]}
		switch u := r.Float64(); {
		case u < 0.85:
			rt.Score = 1
		case u < 0.94:
			rt.Score = 0
		default:
			rt.Score = -1
		}
		rt.Feedback = feedback(rt.Service, rt.Score, r)
		var lo time.Time
		switch u := r.Float64(); {
		case u < 0.04 || (demo && k == 0):
			lo = g.todayStart // today
		case u < 0.12:
			lo = g.now.Add(-7 * day) // this week
		}
		if lo.IsZero() {
			rt.RatedAt = g.now.Add(-time.Duration(pow(r.Float64(), 2) * float64(g.now.Sub(earliest))))
		} else {
			if lo.Before(earliest) {
				lo = earliest
			}
			rt.RatedAt = lo.Add(time.Duration(r.Float64() * float64(g.now.Sub(lo))))
		}
		rt.RatedAt = rt.RatedAt.Truncate(time.Second).UTC()
		out = append(out, rt)
	}
	return out
}

// views appends a performer's daily view counters: 3-8 (kind, day) rows over the last 400 days,
// biased to recent days; demo performers always have today's and yesterday's counters.
func (g *generator) views(out []awapi.DailyViews, m *awapi.Member, demo bool) []awapi.DailyViews {
	kinds := []awapi.ViewKind{awapi.ViewsProfile}
	if m.IsEscort {
		kinds = append(kinds, awapi.ViewsEscort)
	}
	if m.IsPhoneChat {
		kinds = append(kinds, awapi.ViewsPhoneChat)
	}
	if m.IsWebcam {
		kinds = append(kinds, awapi.ViewsWebcam)
	}
	r := g.stream(m.UserID, streamViews)
	reg := m.RegisteredAt.In(g.loc)
	maxOff := min(399, max(0, int(g.today.Sub(time.Date(reg.Year(), reg.Month(), reg.Day(), 0, 0, 0, 0, time.UTC))/day)))
	type key struct {
		kind awapi.ViewKind
		off  int
	}
	var seen []key
	add := func(k key, views int) {
		if slices.Contains(seen, k) {
			return
		}
		seen = append(seen, k)
		out = append(out, awapi.DailyViews{UserID: m.UserID, Kind: k.kind, Day: g.today.AddDate(0, 0, -k.off), Views: views})
	}
	if demo {
		for _, kind := range kinds {
			add(key{kind, 0}, 5+r.IntN(60))
			add(key{kind, 1}, 5+r.IntN(60))
		}
	}
	n := 3 + r.IntN(6)
	for j := range n {
		for range 8 {
			k := key{kind: awapi.ViewsProfile}
			if j > 0 {
				k.kind = kinds[r.IntN(len(kinds))]
			}
			switch u := r.Float64(); {
			case u < 0.15:
				k.off = 0
			case u < 0.27:
				k.off = 1
			default:
				k.off = int(400 * pow(r.Float64(), 2))
			}
			if k.off > maxOff {
				k.off = r.IntN(maxOff + 1)
			}
			if !slices.Contains(seen, k) {
				add(k, 1+int(199*pow(r.Float64(), 2)))
				break
			}
		}
	}
	return out
}
