package seed

import (
	"fmt"
	"math/rand/v2"

	"github.com/awapi/awapi"
)

// Contact data (migration 00011): most performers have a mobile number, most of those verified, and
// most show it on their profile (getProfileDetails' Contact). It draws from a stream of its own, so
// adding it left every other generated value unchanged.

// contactKey tells the contact stream apart. hash has room for eight 3-bit salts and all are taken
// (a ninth would alias the next member's streamMember), so this stream is keyed by mixing contactKey
// into the member's streamMember hash instead.
const contactKey = 0xc0a7ac7c0a7ac701

// demoContacts are the demo performers' numbers, in Ofcom's drama range (never in service): shown and
// verified, shown, shown but unverified, kept to the account, and none.
var demoContacts = map[int64]struct {
	number          string
	verified, shown bool
}{
	2: {"07700900002", true, true},
	3: {"07700900003", true, true},
	4: {"07700900004", false, true},
	5: {"07700900005", true, false},
}

// contact gives performer m their mobile number and whether it is verified and shown. Clients keep what
// member gave them (a number on the account, never shown).
func (g *generator) contact(m *awapi.Member) {
	if m.UserTypeID != awapi.UserTypeOffering {
		return
	}
	if m.UserID < firstGenerated {
		if c, ok := demoContacts[m.UserID]; ok {
			m.MobileNumber, m.MobileVerified, m.ShowMobileNumber = c.number, c.verified, c.shown
		}
		return
	}
	r := g.contactStream(m.UserID)
	if r.Float64() >= 0.85 {
		return
	}
	m.MobileNumber = fmt.Sprintf("07700900%03d", r.IntN(1000))
	m.MobileVerified = r.Float64() < 0.75
	m.ShowMobileNumber = r.Float64() < 0.80
}

// contactStream points the generator's random source at member id's contact stream.
func (g *generator) contactStream(id int64) *rand.Rand {
	h := mix(hash(g.seed, id, streamMember) ^ contactKey)
	g.pcg.Seed(h, mix(h^0xda3e39cb94b95bdb))
	return g.r
}
