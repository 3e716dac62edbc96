package seed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/awapi/awapi"
)

// PhoneChat data (migration 00015): about 80% of phone-chat performers saved phone-chat settings (the
// rest show a null PPM and take only calls they place); their "available now" is the profile's
// AvailableNowPhoneChat, so the settings and profiles agree, and a few show their number
// (HasPhoneNumber). OfferDirectChat is DirectChat's settings (seed/directchat.go). About 1% of clients have a phone-chat booking with a performer of
// their batch, in any state, made through the booking engine and the ledger. The demo client has one
// booking of each state with SandboxPerformer. Everything draws from a stream of its own, so every
// other generated value is unchanged.

// phoneChatKey tells the PhoneChat stream apart (keyed like the contact stream; see contactKey).
const phoneChatKey = 0x9c0ec4a79c0ec4a7

// demoPhoneChat are the demo performers' fixed settings (AvailableUntil follows their profile).
var demoPhoneChat = map[int64]awapi.PhoneChatSettings{
	2: {PhoneChatNumber: "+447700900002", ShowPhoneChatNumber: true, PhoneChatPPM: 150, OfferSkype: true},
	5: {PhoneChatPPM: 120},
	6: {PhoneChatNumber: "+447700900006", PhoneChatPPM: 200},
}

func (g *generator) phoneChatStream(id int64) *rand.Rand {
	h := mix(hash(g.seed, id, streamMember) ^ phoneChatKey)
	g.pcg.Seed(h, mix(h^0x7f4a7c159e3779b9))
	return g.r
}

// seedBooking is a generated phone-chat booking, created and moved to its state when inserted.
type seedBooking struct {
	booking awapi.Booking
	price   awapi.Credits
	// state is the state to reach: Pending, Accepted, Confirmed (future session), Completed (a
	// confirmed session that ended and was paid), or Rejected.
	state    string
	acceptAt time.Time // the performer accepts (or rejects) then, and the client confirms 20 minutes later
}

// phoneChat gives a phone-chat performer settings, and a client now and then a booking with one of the
// batch's phone-chat performers seen so far.
func (g *generator) phoneChat(m *awapi.Member, b *batch) {
	if m.UserTypeID != awapi.UserTypeOffering {
		if m.UserID >= firstGenerated && m.IsActive && len(b.phoneChats) > 0 {
			if r := g.phoneChatStream(m.UserID); r.Float64() < 0.01 {
				states := []string{"Pending", "Accepted", "Confirmed", "Completed", "Completed", "Rejected"}
				state := states[r.IntN(len(states))]
				b.phoneBookings = append(b.phoneBookings, g.phoneBooking(r, state, m.UserID, &b.phoneChats[r.IntN(len(b.phoneChats))]))
			}
		}
		return
	}
	if !m.IsPhoneChat {
		return
	}
	s, demo := demoPhoneChat[m.UserID]
	if !demo {
		r := g.phoneChatStream(m.UserID)
		if r.Float64() >= 0.8 {
			return
		}
		s.PhoneChatPPM = awapi.Credits(50 + 5*r.IntN(41)) // 0.50 to 2.50 in 0.05 steps
		if r.Float64() < 0.6 {
			s.PhoneChatNumber = fmt.Sprintf("+447700900%03d", r.IntN(1000)) // Ofcom's drama range
			s.ShowPhoneChatNumber = r.Float64() < 0.3
		}
		s.OfferSkype = r.Float64() < 0.4
	}
	s.UserID, s.AvailableUntil = m.UserID, m.PhoneChatAvailableUntil
	s.UpdatedAt = m.LastUpdated
	m.ShowsPhoneChatNumber = s.ShowsNumber()
	if m.IsActive && !m.DirectChatOnly {
		b.phoneChats = append(b.phoneChats, s)
	}
	b.phoneChatSettings = append(b.phoneChatSettings, s)
}

// phoneBooking is a booking of client with the performer of s, to reach state, drawn from r: a past
// session for Completed and Rejected, a session in the coming week otherwise.
func (g *generator) phoneBooking(r *rand.Rand, state string, client int64, s *awapi.PhoneChatSettings) seedBooking {
	duration := 10 + 5*r.IntN(11) // 10 to 60 minutes
	var created, session time.Time
	if state == "Completed" || state == "Rejected" {
		created = g.now.Add(-time.Duration(3+r.IntN(27)) * day).Truncate(time.Minute)
		session = created.Add(time.Duration(1+r.IntN(3)) * day)
	} else {
		created = g.now.Add(-time.Duration(1+r.IntN(47)) * time.Hour).Truncate(time.Minute)
		session = g.now.Add(time.Duration(1+r.IntN(7)) * day).Truncate(time.Hour)
	}
	offer := s.PhoneChatPPM * awapi.Credits(duration)
	price := offer
	if r.Float64() < 0.3 {
		price = offer * 11 / 10 / 5 * 5
	}
	method := []int{awapi.MethodPerformerCalls, awapi.MethodPerformerCalls, awapi.MethodClientCalls, awapi.MethodSkype}[r.IntN(4)]
	switch {
	case method == awapi.MethodClientCalls && s.PhoneChatNumber == "", method == awapi.MethodSkype && !s.OfferSkype:
		method = awapi.MethodPerformerCalls
	}
	d := awapi.BookingDetails{Method: method}
	switch method {
	case awapi.MethodPerformerCalls:
		d.PhoneNumber = fmt.Sprintf("07700900%03d", client%1000)
	case awapi.MethodSkype:
		d.SkypeName = fmt.Sprintf("client.%d", client)
	}
	if r.Float64() < 0.4 {
		d.Comments = showSummaries[r.IntN(len(showSummaries))]
	}
	return seedBooking{state: state, price: price, acceptAt: created.Add(20 * time.Minute), booking: awapi.Booking{
		Service: awapi.ServicePhoneChat, ClientID: client, SessionDate: session, Duration: duration, Credits: offer,
		Status: awapi.StatusPending, CreatedAt: created, AcceptBy: session.Add(-30 * time.Minute), Details: d,
		Invitations: []awapi.Invitation{{PerformerID: s.UserID, Status: awapi.StatusPending}},
	}}
}

// insertPhoneBookings creates the bookings and moves each to its state through the engine, paying
// through the ledger: a client who confirms first buys the credits.
func insertPhoneBookings(ctx context.Context, st awapi.Store, bs []seedBooking, now time.Time) error {
	engine := awapi.Bookings{Store: st, Service: awapi.ServicePhoneChat}
	for _, sb := range bs {
		b, err := st.CreateBooking(ctx, sb.booking, 0)
		if err != nil {
			return err
		}
		performer, client := b.Invitations[0].PerformerID, b.ClientID
		switch sb.state {
		case "Pending":
			continue
		case "Rejected":
			_, err = engine.Reject(ctx, performer, b.BookingID, "Sorry, I am not available then.", sb.acceptAt)
			if err != nil {
				return err
			}
			continue
		}
		if _, err := engine.Accept(ctx, performer, b.BookingID, sb.price, sb.acceptAt); err != nil {
			return err
		}
		if sb.state == "Accepted" {
			continue
		}
		confirmAt := sb.acceptAt.Add(20 * time.Minute) // bookings are made an hour or more before now
		if _, err := st.AddCredits(ctx, client, sb.price, "Credits purchased", confirmAt); err != nil {
			return err
		}
		if _, err := engine.Confirm(ctx, client, b.BookingID, confirmAt); err != nil {
			return err
		}
		if sb.state == "Completed" {
			if _, err := (awapi.Settlement{Store: st}).SettleMemberBookings(ctx, client, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoPhoneBookings gives the demo client one phone-chat booking of each state with SandboxPerformer,
// and credits to confirm the accepted one: Pending (to accept), Accepted (to confirm), Confirmed (for
// the sandbox's RunSession), Completed, and one whose session passed unanswered (to ReInvite and
// reschedule).
func demoPhoneBookings(ctx context.Context, st awapi.Store, g *generator) error {
	s := demoPhoneChat[2]
	s.UserID = 2
	var bs []seedBooking
	for i, state := range []string{"Pending", "Accepted", "Confirmed", "Completed", "Lapsed"} {
		r := rand.New(rand.NewPCG(uint64(i), phoneChatKey))
		sb := g.phoneBooking(r, state, 1, &s)
		if state == "Lapsed" {
			sb.booking.CreatedAt = g.now.Add(-3 * day).Truncate(time.Minute)
			sb.booking.SessionDate = g.now.Add(-2 * day).Truncate(time.Hour)
			sb.booking.AcceptBy = sb.booking.SessionDate.Add(-time.Hour)
			sb.state = "Pending"
		}
		bs = append(bs, sb)
	}
	if err := insertPhoneBookings(ctx, st, bs, g.now); err != nil {
		return err
	}
	_, err := st.AddCredits(ctx, 1, 100_00, "Sandbox credits", g.now)
	return err
}
