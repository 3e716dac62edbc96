package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/awapi/awapi"
)

// DirectChat data (migration 00016): every performer the profile stream made DirectChat (a quarter of
// phone-chat performers, and every one with DirectChat Only on) gets settings offering DirectChat, so
// IsDirectChat and the settings agree; about 60% of them have PINs held by earlier members, each with
// up to six calls in the last two months. Seeded calls are history: they predate the sandbox's ledger
// and move no credits. SandboxPerformer and DirectChatDiana always offer DirectChat, all day, and
// SandboxClient holds a PIN for each (demoDirectChat). Everything draws from a stream of its own, so
// adding it left every other generated value unchanged.

// directChatKey tells the DirectChat stream apart (keyed like the contact stream; see contactKey).
const directChatKey = 0xd1ec7c4a7d1ec7c4

// Demo PINs: SandboxClient's, for DirectChatDiana (with calls) and SandboxPerformer (none yet).
const (
	DemoPINDiana     = "246810"
	DemoPINPerformer = "135790"
)

// demoDirectChatIDs are the demo performers who always offer DirectChat.
var demoDirectChatIDs = map[int64]bool{2: true, 6: true}

// maxSeededPINs keeps generated PINs well inside the million six-digit ones, so CreatePIN still finds
// a free PIN in a draw or two on the largest sandbox.
const maxSeededPINs = 300_000

func (g *generator) directChatStream(id int64) *rand.Rand {
	h := mix(hash(g.seed, id, streamMember) ^ directChatKey)
	g.pcg.Seed(h, mix(h^0x5be0cd19137e2179))
	return g.r
}

// seededPIN is the PIN of the seed's n-th PIN: a permutation of the six-digit numbers (7919 is prime
// to 10⁶), so no two seeded PINs are the same; the demo PINs are skipped.
func seededPIN(n int64) string {
	return fmt.Sprintf("%06d", (n*7919+104729)%1_000_000)
}

// directChat gives member m DirectChat settings, and PINs with calls, when they are DirectChat.
func (g *generator) directChat(m *awapi.Member, b *batch) {
	if demoDirectChatIDs[m.UserID] {
		m.IsDirectChat = true
		g.demoDirectChat(m, b)
		return
	}
	if !m.IsDirectChat {
		return
	}
	r := g.directChatStream(m.UserID)
	s := awapi.DirectChatSettings{UserID: m.UserID, OfferDirectChat: true, PPM: awapi.Credits(50 + 10*r.IntN(26)), // 0.50 to 3.00
		AvailableNow: r.Float64() < 0.8, MaxCallMinutes: []int{0, 0, 30, 60, 90, 120}[r.IntN(6)],
		UpdatedAt: g.now.Add(-time.Duration(1+r.IntN(60*24)) * time.Hour).Truncate(time.Second)}
	if r.Float64() < 0.6 { // evening hours, some past midnight
		s.AvailableFrom = awapi.DayTime((17 + r.IntN(5)) * 60)
		s.AvailableUntil = awapi.DayTime(((22 + r.IntN(6)) % 24) * 60)
	}
	b.directChats = append(b.directChats, s)
	if r.Float64() >= 0.6 || m.UserID < firstGenerated+2 {
		return
	}
	holders := map[int64]bool{}
	for range 1 + r.IntN(5) {
		client := 1 + r.Int64N(m.UserID-1)
		if client == m.UserID || holders[client] || g.pinID >= maxSeededPINs {
			continue
		}
		holders[client] = true
		g.addPIN(b, r, client, m, &s, r.IntN(7))
	}
}

// addPIN gives client a PIN for performer m, created some days ago, with calls calls since.
func (g *generator) addPIN(b *batch, r *rand.Rand, client int64, m *awapi.Member, s *awapi.DirectChatSettings, calls int) {
	g.pinID++
	pin := seededPIN(g.pinID)
	for pin == DemoPINDiana || pin == DemoPINPerformer {
		g.pinID++
		pin = seededPIN(g.pinID)
	}
	created := g.now.Add(-time.Duration(calls*8+1+r.IntN(10)) * day).Truncate(time.Minute)
	p := awapi.DirectChatPIN{PINID: g.pinID, PIN: pin, ClientID: client, PerformerID: m.UserID, CreatedAt: created}
	b.pins = append(b.pins, p)
	at := created
	for range calls {
		at = at.Add(time.Duration(1+r.IntN(7*24)) * time.Hour).Add(time.Duration(r.IntN(60)) * time.Minute)
		if !at.Before(g.now.Add(-time.Hour)) {
			break
		}
		g.addCall(b, &p, s, at, 1+r.IntN(30))
	}
}

func (g *generator) addCall(b *batch, p *awapi.DirectChatPIN, s *awapi.DirectChatSettings, start time.Time, minutes int) {
	g.callID++
	minutes = min(minutes, s.CallLimit())
	b.calls = append(b.calls, awapi.DirectChatCall{CallID: g.callID, PINID: p.PINID, PIN: p.PIN, ClientID: p.ClientID,
		PerformerID: p.PerformerID, PPM: s.PPM, MaxMinutes: s.CallLimit(), StartedAt: start,
		EndedAt: start.Add(time.Duration(minutes)*time.Minute + 20*time.Second), Minutes: minutes, Credits: s.PPM * awapi.Credits(minutes)})
}

// demoDirectChat is a demo performer's fixed DirectChat, taking calls all day: DirectChatDiana at 1.20
// a minute, SandboxClient's PIN DemoPINDiana with three calls; SandboxPerformer at 2.00, PIN
// DemoPINPerformer without calls yet.
func (g *generator) demoDirectChat(m *awapi.Member, b *batch) {
	updated := g.now.Add(-3 * day).Truncate(time.Hour)
	s := awapi.DirectChatSettings{UserID: m.UserID, OfferDirectChat: true, PPM: 200, AvailableNow: true, MaxCallMinutes: 60, UpdatedAt: updated}
	pin := DemoPINPerformer
	if m.UserID == 6 {
		s.PPM, s.MaxCallMinutes, pin = 120, 0, DemoPINDiana
	}
	b.directChats = append(b.directChats, s)
	// PIN IDs of the demo PINs are the first two; generated ones follow (see addPIN).
	id := int64(1)
	if m.UserID == 6 {
		id = 2
	}
	g.pinID = max(g.pinID, id)
	p := awapi.DirectChatPIN{PINID: id, PIN: pin, ClientID: 1, PerformerID: m.UserID, CreatedAt: g.now.Add(-20 * day).Truncate(time.Hour)}
	b.pins = append(b.pins, p)
	if m.UserID == 6 {
		for i, minutes := range []int{12, 5, 25} {
			g.addCall(b, &p, &s, g.now.Add(-time.Duration(14-5*i)*day).Truncate(time.Hour).Add(21*time.Hour), minutes)
		}
	}
}
