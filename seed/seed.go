// Package seed fills a store with deterministic, realistic sandbox data at any size from 10 to
// millions of members: agency groups, the fixed demo accounts, generated performers and clients with
// UK (mostly) locations, services, webcam settings, ratings and daily view counters.
//
// Every generated member draws from its own random streams, derived from (Seed, UserID) with
// math/rand/v2's PCG, so member N is identical whatever the total size, and generation runs in
// fixed-size batches with bounded memory. Rows only reference members with lower IDs (raters,
// group managers) or groups created up front, so foreign keys hold batch by batch.
package seed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
)

// MinUsers is the smallest sandbox Run creates.
const MinUsers = 10

// batchSize is the most members (with their settings, ratings and views) one insert round takes.
var batchSize = 5000 // a variable so tests can check batching does not change the data

// roundSize is how many members go in one insert round: a tenth of the sandbox, so a small seed
// reports progress (and can be interrupted) between rounds too, within [100, batchSize].
func roundSize(users int) int { return min(batchSize, max(users/10, 100)) }

// SandboxGroupName is the name of group 1, the demo agency.
const SandboxGroupName = "Sandbox Agency"

// Options configure Run.
type Options struct {
	Users    int                   // total members, including the fixed demo accounts; minimum 10
	Seed     uint64                // same Seed and Users => identical data
	Now      time.Time             // the reference "now"; its zone decides calendar days (zero: time.Now())
	Progress func(done, total int) // optional; called after each batch with members inserted so far
	// PasswordHash, when set, is every member's password hash: one argon2id hash of the documented
	// sandbox password, computed once (hashing a million passwords would take hours).
	PasswordHash string
}

// Summary counts what Run created.
type Summary struct {
	Members, Performers, Clients, Groups, Ratings, Views int
}

// Demo is a fixed, documented sandbox member.
type Demo struct {
	UserID   int64
	Nickname string
	Role     string
}

// DemoAccounts are the fixed, documented sandbox members, created first with these IDs.
var DemoAccounts = []Demo{
	{1, "SandboxClient", "client (seeking services)"},
	{2, "SandboxPerformer", "performer: escort, webcam (MSN, Skype; 10 min minimum), phone chat (1.50 a minute, all three methods, " +
		"bookings from SandboxClient in every state), DirectCam with scheduled shows, DirectChat"},
	{3, "SandboxManager", `manager of group 1 "Sandbox Agency"`},
	{4, "AgencyAmber", "performer in group 1, DirectCam with a scheduled show"},
	{5, "AgencyBella", "performer in group 1, phone chat (1.20 a minute, she places the calls)"},
	{6, "DirectChatDiana", "performer with DirectChat Only on, taking DirectChat calls at 1.20 a minute (SandboxClient holds PIN 246810)"},
}

// BulkLoader is a store that loads faster when told a bulk load begins and ends: sqlstore drops
// secondary indexes at the start and builds them, then refreshes the planner's statistics, at the end.
type BulkLoader interface {
	BeginBulkLoad(ctx context.Context) error
	EndBulkLoad(ctx context.Context) error
}

// Run seeds an empty store. The same Seed, Users and Now always give the same data.
func Run(ctx context.Context, st awapi.Store, opt Options) (Summary, error) {
	var sum Summary
	if opt.Users < MinUsers {
		return sum, fmt.Errorf("seed: Users must be at least %d, got %d", MinUsers, opt.Users)
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	g := newGenerator(opt.Seed, opt.Now)

	// Groups first: members reference them.
	if _, err := st.CreateGroup(ctx, awapi.Group{GroupID: 1, GroupName: SandboxGroupName}); err != nil {
		return sum, fmt.Errorf("seed: create group 1: %w", err)
	}
	n := groupCount(opt.Users)
	for id := 2; id <= n; id++ {
		if _, err := st.CreateGroup(ctx, awapi.Group{GroupID: int64(id), GroupName: g.groups.name(id - 2)}); err != nil {
			return sum, fmt.Errorf("seed: create group %d: %w", id, err)
		}
	}
	sum.Groups = n
	if err := st.SetGroupProfiles(ctx, g.groupPages(n)); err != nil {
		return sum, fmt.Errorf("seed: group pages: %w", err)
	}

	bulk, _ := st.(BulkLoader)
	if bulk != nil {
		if err := bulk.BeginBulkLoad(ctx); err != nil {
			return sum, fmt.Errorf("seed: %w", err)
		}
	}

	// Generate the next batch while the previous one is inserted: two buffers take turns.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *batch, 2)
	free <- new(batch)
	free <- new(batch)
	ready := make(chan *batch, 1)
	go func() {
		defer close(ready)
		size := roundSize(opt.Users)
		for lo := 1; lo <= opt.Users; lo += size {
			var b *batch
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			b.fill(g, int64(lo), int64(min(opt.Users, lo+size-1)))
			select {
			case ready <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	for b := range ready {
		for i := range b.members {
			b.members[i].PasswordHash = opt.PasswordHash
		}
		if err := b.insert(ctx, st); err != nil {
			cancel()
			for range ready { // let the producer finish
			}
			return sum, fmt.Errorf("seed: members %d-%d: %w", b.members[0].UserID, b.members[len(b.members)-1].UserID, err)
		}
		sum.Members += len(b.members)
		sum.Performers += b.performers
		sum.Clients += len(b.members) - b.performers
		sum.Ratings += len(b.ratings)
		sum.Views += len(b.views)
		if opt.Progress != nil {
			opt.Progress(sum.Members, opt.Users)
		}
		free <- b
	}
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if sum.Members != opt.Users {
		return sum, errors.New("seed: generation stopped early")
	}
	if bulk != nil {
		if err := bulk.EndBulkLoad(ctx); err != nil {
			return sum, fmt.Errorf("seed: %w", err)
		}
	}
	if err := demoMemberData(ctx, st, opt.Now); err != nil {
		return sum, fmt.Errorf("seed: the demo client's hotlist and blacklist: %w", err)
	}
	if err := demoPhoneBookings(ctx, st, g); err != nil {
		return sum, fmt.Errorf("seed: the demo client's phone-chat bookings: %w", err)
	}
	return sum, nil
}

// batch holds one round of rows; its slices are reused.
type batch struct {
	members     []awapi.Member
	webcams     []awapi.WebcamSettings
	ratings     []awapi.Rating
	views       []awapi.DailyViews
	images      []awapi.ProfileImage
	tours       []awapi.Tour
	reports     []awapi.FieldReport
	rates       []awapi.EscortRate
	directCams  []awapi.DirectCamSettings
	shows       []awapi.ScheduledShow
	showImages  []awapi.ShowImage
	directChats []awapi.DirectChatSettings
	pins        []awapi.DirectChatPIN
	calls       []awapi.DirectChatCall
	// phoneChatSettings are the batch's phone-chat settings, phoneChats those a client may book (active,
	// not DirectChat Only), and phoneBookings the active clients' bookings with them.
	phoneChatSettings []awapi.PhoneChatSettings
	phoneChats        []awapi.PhoneChatSettings
	phoneBookings     []seedBooking
	now               time.Time
	folders           []awapi.EmailFolder
	emails            []awapi.Email
	performers        int
}

func (b *batch) fill(g *generator, lo, hi int64) {
	b.members, b.webcams, b.ratings, b.views, b.performers = b.members[:0], b.webcams[:0], b.ratings[:0], b.views[:0], 0
	b.images, b.tours, b.reports, b.rates = b.images[:0], b.tours[:0], b.reports[:0], b.rates[:0]
	b.directCams, b.shows, b.showImages = b.directCams[:0], b.shows[:0], b.showImages[:0]
	b.directChats, b.pins, b.calls = b.directChats[:0], b.pins[:0], b.calls[:0]
	b.phoneChatSettings, b.phoneChats, b.phoneBookings, b.now = b.phoneChatSettings[:0], b.phoneChats[:0], b.phoneBookings[:0], g.now
	b.folders, b.emails = b.folders[:0], b.emails[:0]
	var demos []demoMember
	if lo < firstGenerated {
		demos = demoMembers(g)
	}
	for id := lo; id <= hi; id++ {
		var (
			m    awapi.Member
			ws   *awapi.WebcamSettings
			demo = id < firstGenerated
		)
		if demo {
			m, ws = demos[id-1].member, demos[id-1].webcam
		} else {
			m, ws = g.member(id)
		}
		b.images, b.tours = g.profile(&m, b.images, b.tours)
		b.rates = g.escortRates(b.rates, &m)
		g.contact(&m)
		g.directCam(&m, b)
		g.directChat(&m, b)
		g.phoneChat(&m, b)
		g.mail(&m, b)
		b.members = append(b.members, m)
		if ws != nil {
			b.webcams = append(b.webcams, *ws)
		}
		if m.UserTypeID == awapi.UserTypeOffering {
			b.performers++
			first := len(b.ratings)
			b.ratings = g.ratings(b.ratings, &m, demo)
			g.disputes(b.ratings[first:], m.UserID)
			b.reports = g.fieldReports(b.reports, &m)
			b.views = g.views(b.views, &m, demo)
		}
	}
}

func (b *batch) insert(ctx context.Context, st awapi.Store) error {
	// In this order: rows reference the members inserted first.
	for _, t := range []struct {
		what   string
		rows   int
		insert func() error
	}{
		{"members", len(b.members), func() error { return st.InsertMembers(ctx, b.members) }},
		{"webcam settings", len(b.webcams), func() error { return st.InsertWebcamSettings(ctx, b.webcams) }},
		{"ratings", len(b.ratings), func() error { return st.InsertRatings(ctx, b.ratings) }},
		{"daily views", len(b.views), func() error { return st.InsertDailyViews(ctx, b.views) }},
		{"profile images", len(b.images), func() error { return st.InsertProfileImages(ctx, b.images) }},
		{"tours", len(b.tours), func() error { return st.InsertTours(ctx, b.tours) }},
		{"field reports", len(b.reports), func() error { return st.InsertFieldReports(ctx, b.reports) }},
		{"escort rates", len(b.rates), func() error { return st.InsertEscortRates(ctx, b.rates) }},
		{"DirectCam settings", len(b.directCams), func() error { return st.InsertDirectCamSettings(ctx, b.directCams) }},
		{"scheduled shows", len(b.shows), func() error { return st.InsertScheduledShows(ctx, b.shows, b.showImages) }},
		{"DirectChat settings", len(b.directChats), func() error { return st.InsertDirectChatSettings(ctx, b.directChats) }},
		{"DirectChat PINs", len(b.pins), func() error { return st.InsertDirectChatPINs(ctx, b.pins) }},
		{"DirectChat calls", len(b.calls), func() error { return st.InsertDirectChatCalls(ctx, b.calls) }},
		{"phone-chat settings", len(b.phoneChatSettings), func() error { return st.InsertPhoneChatSettings(ctx, b.phoneChatSettings) }},
		{"phone-chat bookings", len(b.phoneBookings), func() error { return insertPhoneBookings(ctx, st, b.phoneBookings, b.now) }},
		{"mail folders", len(b.folders), func() error { return st.InsertEmailFolders(ctx, b.folders) }},
		{"mail", len(b.emails), func() error { return st.InsertEmails(ctx, b.emails) }},
	} {
		if t.rows == 0 {
			continue
		}
		if err := t.insert(); err != nil {
			return fmt.Errorf("insert %s: %w", t.what, err)
		}
	}
	return nil
}

type demoMember struct {
	member awapi.Member
	webcam *awapi.WebcamSettings
}

// demoMembers builds the fixed demo accounts, dated relative to Now.
func demoMembers(g *generator) []demoMember {
	type spec struct {
		gender, orientation, age int
		region, county           int
		town, postcode           string
		registeredDaysAgo        int
		services                 awapi.Services
		group                    int64
		manager, directChatOnly  bool
		summary                  string
		softwareTypes            []int
		minimumDuration          int
	}
	specs := []spec{
		{gender: 2, orientation: 1, age: 34, region: 7, county: 31, town: "Westminster", postcode: "SW1A", registeredDaysAgo: 1100,
			summary: "The sandbox's demo client: make bookings, send messages and leave ratings."},
		{gender: 1, orientation: 2, age: 28, region: 2, county: 6, town: "Manchester", postcode: "M1", registeredDaysAgo: 900,
			services:      awapi.Services{IsEscort: true, IsWebcam: true, IsPhoneChat: true},
			summary:       "The sandbox's demo performer: escort, webcam and phone chat bookings welcome.",
			softwareTypes: []int{1, 3}, minimumDuration: 10},
		{gender: 1, orientation: 1, age: 41, region: 3, county: 12, town: "Leeds", postcode: "LS1", registeredDaysAgo: 1500,
			services: awapi.Services{IsEscort: true}, group: 1, manager: true,
			summary: "Manager of the Sandbox Agency; friendly, professional and always happy to help."},
		{gender: 1, orientation: 1, age: 25, region: 7, county: 35, town: "Chiswick", postcode: "W4", registeredDaysAgo: 600,
			services: awapi.Services{IsEscort: true, IsWebcam: true}, group: 1,
			summary:       "Sandbox Agency performer based in Chiswick. Offering escort and webcam.",
			softwareTypes: []int{3}, minimumDuration: 15},
		{gender: 1, orientation: 2, age: 31, region: 9, county: 45, town: "Clifton", postcode: "BS8", registeredDaysAgo: 450,
			services: awapi.Services{IsWebcam: true, IsPhoneChat: true}, group: 1,
			summary:       "Sandbox Agency performer from Clifton. Offering webcam and phone chat.",
			softwareTypes: []int{2, 3}, minimumDuration: 5},
		{gender: 1, orientation: 1, age: 36, region: 11, county: 64, town: "Edinburgh", postcode: "EH1", registeredDaysAgo: 800,
			services: awapi.Services{IsWebcam: true, IsPhoneChat: true}, directChatOnly: true,
			summary:       "Phone chat through DirectChat only, and webcam shows. Edinburgh based.",
			softwareTypes: []int{3}, minimumDuration: 20},
	}
	out := make([]demoMember, len(specs))
	for i, s := range specs {
		d := DemoAccounts[i]
		reg := g.now.Add(-time.Duration(s.registeredDaysAgo) * day).Truncate(time.Hour)
		m := awapi.Member{
			UserID: d.UserID, Nickname: d.Nickname, Email: strings.ToLower(d.Nickname) + "@sandbox.awapi.test",
			BirthDate:  yearsBefore(g.today, s.age).AddDate(0, 0, -100),
			UserTypeID: awapi.UserTypeOffering, GenderID: s.gender, OrientationID: s.orientation,
			CountryID: refdata.UnitedKingdomID, RegionID: s.region, CountyID: s.county, Town: s.town, PostCode: s.postcode,
			GroupID: s.group, IsGroupManager: s.manager, IsAgeVerified: true, IsActive: true, Verified: true,
			Summary: s.summary, Services: s.services, DirectChatOnly: s.directChatOnly,
			RegisteredAt: reg, LastLogin: g.now.Add(-time.Duration(i+1) * time.Hour).Truncate(time.Minute),
			LastUpdated: g.now.Add(-time.Duration(10*(i+1)) * day).Truncate(time.Hour),
		}
		if d.UserID == 1 {
			// The demo client has a verified mobile, so SendSMSOnAccept works for it.
			m.UserTypeID, m.Verified, m.MobileNumber, m.MobileVerified = awapi.UserTypeSeeking, false, "07700900001", true
		}
		out[i].member = m
		if s.services.IsWebcam {
			out[i].webcam = &awapi.WebcamSettings{UserID: d.UserID, SoftwareTypeIDs: s.softwareTypes, MinimumDuration: s.minimumDuration}
		}
	}
	return out
}
