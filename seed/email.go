package seed

import (
	"math/rand/v2"
	"time"

	"github.com/awapi/awapi"
)

// Mail (migration 00017): threads between clients and performers. About a third of generated
// clients start one to three threads, each with a performer of a lower ID (so both mailboxes exist
// when the batch is inserted) and each of one to six messages alternating between the two; the last
// message of a thread is often unread; one client in five files a performer's replies in a custom
// folder. The demo client has fixed threads with the demo performers, some unread and some in a
// folder "Bookings". Everything draws from a stream of its own, so the rest of the seed is unchanged;
// EmailIDs and folder IDs are given in generation order, the same whatever the batch size.

// mailKey tells the mail stream apart (keyed like the contact stream; see contactKey).
const mailKey = 0x3a11b0c5e3a11b0c

func (g *generator) mailStream(id int64) *rand.Rand {
	h := mix(hash(g.seed, id, streamMember) ^ mailKey)
	g.pcg.Seed(h, mix(h^0x6d61696c6d61696c))
	return g.r
}

// A thread is a client's opening message and the replies; the topics give searchable words.
type mailTopic struct {
	subject string
	opening []string // the client's first message, one of these
	replies []string // alternate messages, performer first
}

var mailTopics = []mailTopic{
	{"Booking this Friday", []string{
		"Hi, are you free this Friday evening? I was thinking of two hours at a hotel in town.",
		"Hello, I'd love to book you for Friday night. What time suits you?"}, []string{
		"Hi! Friday works. Which hotel are you staying at?",
		"The Grand, near the station. Would 8pm be OK?",
		"8pm is perfect. Please confirm the booking through the site.",
		"Done, booking sent. Looking forward to it.",
		"Confirmed, see you Friday x"}},
	{"Webcam show tonight?", []string{
		"Are you on webcam tonight? I'd like a private show around 10.",
		"Hi, will you be online for a cam session later?"}, []string{
		"I'll be online from 9 tonight, send me an invitation when you're ready.",
		"Great, I'll book 20 minutes on Skype.",
		"Lovely, accepted. See you on cam!"}},
	{"Your rates", []string{
		"Hi, could you tell me your rates for an overnight?",
		"Hello, what are your rates for an hour outcall?"}, []string{
		"Hi, my rates are on my profile; overnight is by arrangement.",
		"Thanks, is a deposit needed?",
		"No deposit for verified members, just book through the site.",
		"Perfect, thank you."}},
	{"Thank you", []string{
		"Just wanted to say thank you for a lovely evening, I left you a rating.",
		"Thanks again for yesterday, hope to see you soon."}, []string{
		"Thank you so much, it was a pleasure. Come back soon!",
		"Will do, next month probably."}},
	{"Phone chat", []string{
		"Do you do phone chat in the mornings? My evenings are busy.",
		"Hi, is your phone chat line open on Sundays?"}, []string{
		"Yes, mornings from 10 and Sundays too. Book a slot and I'll call you.",
		"Brilliant, booked for Sunday at 11."}},
	{"Photos in your gallery", []string{
		"Your new gallery photos are stunning. Any more coming soon?",
		"Loved the latest pictures, did you take them at the beach?"}, []string{
		"Thank you! A new set goes up next week.",
		"Can't wait to see them."}},
	{"Tour dates", []string{
		"Are you touring in Manchester next month? I'd like to meet.",
		"When are you next in London on tour?"}, []string{
		"I'm in Manchester from the 12th for three days, dates are on my tour page.",
		"I'll book the 13th then.",
		"Lovely, see you then."}},
}

// mailFolderNames are the folders generated clients file replies in.
var mailFolderNames = []string{"Favourites", "Regulars", "Bookings", "Keep", "Later"}

// mail generates member m's threads (as the client who starts them) into the batch, and remembers
// performers as possible partners for later members.
func (g *generator) mail(m *awapi.Member, b *batch) {
	defer func() {
		if m.UserTypeID == awapi.UserTypeOffering && m.IsActive {
			g.mailPerformers = append(g.mailPerformers, m.UserID)
		}
	}()
	if m.UserID < firstGenerated {
		if m.UserID == 1 {
			g.demoMail(b)
		}
		return
	}
	if m.UserTypeID == awapi.UserTypeOffering || len(g.mailPerformers) == 0 {
		return
	}
	r := g.mailStream(m.UserID)
	if r.Float64() >= 0.35 {
		return
	}
	var folder int64
	if r.Float64() < 0.2 {
		g.mailFolderID++
		folder = g.mailFolderID
		b.folders = append(b.folders, awapi.EmailFolder{FolderID: folder, OwnerID: m.UserID,
			FolderName: mailFolderNames[r.IntN(len(mailFolderNames))], CreatedAt: g.now.Add(-time.Duration(1+r.IntN(200)) * day).Truncate(time.Second)})
	}
	for range 1 + r.IntN(3) {
		performer := g.mailPerformers[r.IntN(len(g.mailPerformers))]
		start := g.now.Add(-time.Duration(1+r.IntN(180*24)) * time.Hour).Add(-time.Duration(r.IntN(3600)) * time.Second).Truncate(time.Second)
		topic := &mailTopics[r.IntN(len(mailTopics))]
		n := 1 + r.IntN(min(6, len(topic.replies)+1))
		toFolder := folder != 0 && r.Float64() < 0.6
		g.thread(b, r, m.UserID, performer, topic, n, start, r.Float64() < 0.4, func(owner int64) int64 {
			if toFolder && owner == m.UserID {
				return folder
			}
			return 0
		})
	}
}

// thread appends n messages of a thread between client and performer, the client writing first,
// each a few hours after the last but never after now. The last message is left unread when
// lastUnread; every other received copy is read. folderOf files an owner's received copies.
func (g *generator) thread(b *batch, r *rand.Rand, client, performer int64, topic *mailTopic, n int, at time.Time, lastUnread bool,
	folderOf func(owner int64) int64) {
	var threadID int64
	for i := range n {
		from, to := client, performer
		body := topic.opening[r.IntN(len(topic.opening))]
		if i > 0 {
			body = topic.replies[i-1]
			if i%2 == 1 {
				from, to = performer, client
			}
		}
		subject := topic.subject
		if i > 0 {
			subject = awapi.ReplySubject(topic.subject)
		}
		if at.After(g.now) {
			at = g.now.Add(-time.Duration(n-i) * time.Minute).Truncate(time.Second)
		}
		g.emailID++
		sentID := g.emailID
		if threadID == 0 {
			threadID = sentID
		}
		allowFace := r.Float64() < 0.3
		b.emails = append(b.emails, awapi.Email{EmailID: sentID, OwnerID: from, OtherUserID: to, FolderID: awapi.FolderSent,
			Outgoing: true, Read: true, Subject: subject, Body: body, SentAt: at, AllowFacePicture: allowFace, ThreadID: threadID})
		g.emailID++
		folder := awapi.FolderInbox
		if f := folderOf(to); f != 0 {
			folder = f
		}
		b.emails = append(b.emails, awapi.Email{EmailID: g.emailID, OwnerID: to, OtherUserID: from, FolderID: folder,
			Read: i < n-1 || !lastUnread, Subject: subject, Body: body, SentAt: at, AllowFacePicture: allowFace, ThreadID: threadID})
		at = at.Add(time.Duration(1+r.IntN(20))*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	}
}

// demoMail gives the demo client (1) fixed threads with the demo performers: SandboxPerformer (2)
// and AgencyAmber (4) with unread replies, AgencyBella (5) filed in the client's folder "Bookings",
// and DirectChatDiana (6) with everything read.
func (g *generator) demoMail(b *batch) {
	r := g.mailStream(1)
	g.mailFolderID++
	bookings := g.mailFolderID
	b.folders = append(b.folders, awapi.EmailFolder{FolderID: bookings, OwnerID: 1, FolderName: "Bookings", CreatedAt: g.now.Add(-60 * day).Truncate(time.Hour)})
	for i, t := range []struct {
		performer  int64
		topic      int
		n          int
		daysAgo    int
		lastUnread bool
		folder     int64
	}{
		{2, 0, 4, 3, true, 0}, {2, 1, 3, 20, true, 0}, {4, 2, 4, 9, true, 0}, {5, 6, 3, 40, false, bookings},
		{6, 4, 2, 70, false, 0}, {2, 3, 2, 90, false, bookings},
	} {
		start := g.now.Add(-time.Duration(t.daysAgo)*day - time.Duration(i)*time.Hour).Truncate(time.Minute)
		g.thread(b, r, 1, t.performer, &mailTopics[t.topic], t.n, start, t.lastUnread, func(owner int64) int64 {
			if owner == 1 {
				return t.folder
			}
			return 0
		})
	}
}
