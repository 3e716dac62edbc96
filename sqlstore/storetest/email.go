package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Email conformance tests (awapi/email.go): both copies of a message, reading marks read, the
// counters after every change and after races, search through the full-text index, Manage (Spam
// repeatable), and CustomFolders' combined changes, all or nothing.

// emailSetup creates clients 1 and 2 ("Adam", "bella"), performer 3 ("Cara"), inactive member 4.
func emailSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	a, b, c, d := NewMember(1, "Adam"), NewMember(2, "bella"), NewMember(3, "Cara"), NewMember(4, "Gone")
	d.IsActive = false
	must(t, st.InsertMembers(ctx, []awapi.Member{a, b, c, d}))
}

func send(t *testing.T, st awapi.Store, from, to int64, subject, body string, at time.Duration) awapi.Email {
	t.Helper()
	e, err := st.SendEmail(ctx, awapi.NewEmail{SenderID: from, RecipientUserID: to, Subject: subject, Body: body, SentAt: t0.Add(at)})
	must(t, err)
	return e
}

// inbox pages a folder and answers the subjects in order with the total.
func subjects(t *testing.T, st awapi.Store, q awapi.EmailQuery) ([]string, int) {
	t.Helper()
	if q.Page.Size == 0 {
		q.Page = awapi.Page{Number: 1, Size: 100}
	}
	es, total, err := st.Emails(ctx, q)
	must(t, err)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Subject
	}
	return out, total
}

func unread(t *testing.T, st awapi.Store, userID int64) int {
	t.Helper()
	n, err := st.UnreadEmails(ctx, userID)
	must(t, err)
	return n
}

// received is the recipient's copy of a message just sent to them, the newest of their inbox.
func received(t *testing.T, st awapi.Store, userID int64) awapi.Email {
	t.Helper()
	es, _, err := st.Emails(ctx, awapi.EmailQuery{OwnerID: userID, Order: awapi.EmailOrderSentDesc, Page: awapi.Page{Number: 1, Size: 1}, WithBody: true})
	must(t, err)
	if len(es) != 1 {
		t.Fatalf("no message in %d's inbox", userID)
	}
	return es[0]
}

func testEmailSendAndRead(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	sent := send(t, st, 1, 2, "Friday", "Are you free on <b>Friday</b>?", time.Minute)
	if sent.OwnerID != 1 || sent.OtherUserID != 2 || sent.OtherNickname != "bella" || sent.FolderID != awapi.FolderSent ||
		!sent.Read || !sent.Outgoing || sent.ThreadID != sent.EmailID || !sent.SentAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("sender's copy = %+v", sent)
	}
	got := received(t, st, 2)
	if got.EmailID == sent.EmailID || got.OtherUserID != 1 || got.OtherNickname != "Adam" || got.FolderID != awapi.FolderInbox ||
		got.Read || got.Outgoing || got.Body != "Are you free on <b>Friday</b>?" || got.ThreadID != sent.ThreadID {
		t.Fatalf("recipient's copy = %+v", got)
	}
	if unread(t, st, 2) != 1 || unread(t, st, 1) != 0 {
		t.Fatalf("unread = %d, %d; want 1, 0", unread(t, st, 2), unread(t, st, 1))
	}
	// Another member's message is not found; the owner's is read and marked read, once.
	for _, owner := range []int64{1, 3} {
		_, err := st.ReadEmail(ctx, owner, got.EmailID)
		wantKind(t, err, awapi.KindNotFound)
	}
	for range 2 {
		r, err := st.ReadEmail(ctx, 2, got.EmailID)
		must(t, err)
		if !r.Read || r.Subject != "Friday" {
			t.Fatalf("read = %+v", r)
		}
		if n := unread(t, st, 2); n != 0 {
			t.Fatalf("unread after reading = %d", n)
		}
	}
	// The recipient's side.
	for _, tc := range []struct {
		to   int64
		kind awapi.Kind
	}{{4, awapi.KindNotFound}, {99, awapi.KindNotFound}} {
		_, err := st.SendEmail(ctx, awapi.NewEmail{SenderID: 1, RecipientUserID: tc.to, Subject: "s", Body: "b", SentAt: t0})
		wantKind(t, err, tc.kind)
	}
	_, err := st.AddToBlacklist(ctx, 3, []int64{1}, t0)
	must(t, err)
	_, err = st.SendEmail(ctx, awapi.NewEmail{SenderID: 1, RecipientUserID: 3, Subject: "s", Body: "b", SentAt: t0})
	wantKind(t, err, awapi.KindConflict)
	if awapi.ErrorCode(err) != "blacklisted" {
		t.Fatalf("blacklisted: %v", err)
	}
	// A reply: the thread and the subject follow; only to a message of the sender's own mailbox.
	reply, err := st.SendEmail(ctx, awapi.NewEmail{SenderID: 2, RecipientUserID: 1, ReplyToEmailID: got.EmailID, Body: "Yes", SentAt: t0.Add(2 * time.Minute)})
	must(t, err)
	if reply.Subject != "Re: Friday" || reply.ThreadID != sent.ThreadID || reply.OtherUserID != 1 {
		t.Fatalf("reply = %+v", reply)
	}
	if r := received(t, st, 1); r.Subject != "Re: Friday" || r.ThreadID != sent.ThreadID || r.Read {
		t.Fatalf("reply received = %+v", r)
	}
	_, err = st.SendEmail(ctx, awapi.NewEmail{SenderID: 3, RecipientUserID: 1, ReplyToEmailID: got.EmailID, Body: "x", SentAt: t0})
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.SendEmail(ctx, awapi.NewEmail{SenderID: 2, RecipientUserID: 3, ReplyToEmailID: got.EmailID, Body: "x", SentAt: t0})
	wantKind(t, err, awapi.KindInvalid)
	if n := unread(t, st, 1); n != 1 {
		t.Fatalf("Adam's unread = %d, want 1", n)
	}
}

func testEmailList(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	send(t, st, 3, 1, "Tuesday booking", "See you at the hotel", 3*time.Minute)
	send(t, st, 2, 1, "Photos", "The new gallery is up, HOTEL shoot included", 1*time.Minute)
	send(t, st, 3, 1, "Rates", "My rates changed", 2*time.Minute)
	send(t, st, 1, 2, "Question", "About the hotel", 4*time.Minute)
	inbox := awapi.EmailQuery{OwnerID: 1}
	for _, tc := range []struct {
		order awapi.EmailOrder
		want  []string
	}{
		{awapi.EmailOrderSentAsc, []string{"Photos", "Rates", "Tuesday booking"}},
		{awapi.EmailOrderSentDesc, []string{"Tuesday booking", "Rates", "Photos"}},
		{awapi.EmailOrderNicknameAsc, []string{"Photos", "Rates", "Tuesday booking"}}, // bella before Cara: case-insensitive
		{awapi.EmailOrderNicknameDesc, []string{"Tuesday booking", "Rates", "Photos"}},
	} {
		q := inbox
		q.Order = tc.order
		if got, total := subjects(t, st, q); !slices.Equal(got, tc.want) || total != 3 {
			t.Errorf("%s: %q (%d), want %q", tc.order, got, total, tc.want)
		}
	}
	// Pages, and a page past the end.
	q := inbox
	q.Page = awapi.Page{Number: 2, Size: 2}
	if got, total := subjects(t, st, q); !slices.Equal(got, []string{"Tuesday booking"}) || total != 3 {
		t.Errorf("page 2: %q (%d)", got, total)
	}
	q.Page.Number = 3
	if got, total := subjects(t, st, q); len(got) != 0 || total != 3 {
		t.Errorf("page 3: %q (%d)", got, total)
	}
	// Bodies only when asked.
	es, _, err := st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	if es[0].Body != "" {
		t.Errorf("body without WithBody: %q", es[0].Body)
	}
	// Search: every word, in the subject or the body, any case; only in this folder of this mailbox.
	for _, tc := range []struct {
		terms []string
		want  []string
	}{
		{[]string{"hotel"}, []string{"Photos", "Tuesday booking"}},
		{[]string{"rates"}, []string{"Rates"}},
		{[]string{"hotel", "gallery"}, []string{"Photos"}},
		{[]string{"hote"}, []string{}}, // whole words, as the index holds them
		{[]string{"question"}, []string{}},
		{[]string{"u1"}, []string{}}, // the index's word for the owner is not a word of the messages
		{[]string{"a"}, []string{}},
	} {
		q := inbox
		q.Terms = tc.terms
		if got, total := subjects(t, st, q); !slices.Equal(got, tc.want) || total != len(tc.want) {
			t.Errorf("search %q: %q (%d), want %q", tc.terms, got, total, tc.want)
		}
	}
	if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: awapi.FolderSent, Terms: []string{"hotel"}}); !slices.Equal(got, []string{"Question"}) || total != 1 {
		t.Errorf("search of Sent items: %q (%d)", got, total)
	}
	// Unread only.
	_, err = st.ReadEmail(ctx, 1, received(t, st, 1).EmailID)
	must(t, err)
	if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, UnreadOnly: true}); !slices.Equal(got, []string{"Photos", "Rates"}) || total != 2 {
		t.Errorf("unread only: %q (%d)", got, total)
	}
	// Folders: unknown, another member's, the deleted messages.
	fs, _, err := st.ChangeEmailFolders(ctx, 2, awapi.FolderChanges{NewFolderName: ptr("Bella's")}, t0)
	must(t, err)
	for _, folder := range []int64{fs[0].FolderID, 999} {
		_, _, err = st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, FolderID: folder, Page: awapi.Page{Number: 1, Size: 10}})
		wantKind(t, err, awapi.KindNotFound)
	}
	_, _, err = st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, FolderID: awapi.FolderDeleted, Page: awapi.Page{Number: 1, Size: 10}})
	wantKind(t, err, awapi.KindInvalid)
}

func ptr[T any](v T) *T { return &v }

func testEmailManage(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	for i := range 3 {
		send(t, st, 3, 1, fmt.Sprintf("Offer %d", i), "Cheap", time.Duration(i)*time.Minute)
	}
	send(t, st, 2, 1, "Hello", "From Bella", 5*time.Minute)
	mine := send(t, st, 1, 3, "Stop", "Please stop", 6*time.Minute)
	fs, _, err := st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("Keep")}, t0)
	must(t, err)
	keep := fs[0].FolderID
	bella := received(t, st, 1)
	// Move an unread message: the unread count moves with it and the total stays.
	moved, err := st.ManageEmail(ctx, 1, bella.EmailID, awapi.EmailAction{MoveFolderID: &keep}, t0)
	must(t, err)
	if moved.FolderID != keep || unread(t, st, 1) != 4 {
		t.Fatalf("moved = %+v, unread %d", moved, unread(t, st, 1))
	}
	if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: keep, UnreadOnly: true}); !slices.Equal(got, []string{"Hello"}) || total != 1 {
		t.Fatalf("Keep: %q (%d)", got, total)
	}
	// Moves the domain refuses, and another member's folder.
	_, err = st.ManageEmail(ctx, 1, bella.EmailID, awapi.EmailAction{MoveFolderID: ptr(awapi.FolderSent)}, t0)
	wantKind(t, err, awapi.KindInvalid)
	other, _, err := st.ChangeEmailFolders(ctx, 2, awapi.FolderChanges{NewFolderName: ptr("Theirs")}, t0)
	must(t, err)
	_, err = st.ManageEmail(ctx, 1, bella.EmailID, awapi.EmailAction{MoveFolderID: &other[0].FolderID}, t0)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.ManageEmail(ctx, 2, bella.EmailID, awapi.EmailAction{Delete: true}, t0)
	wantKind(t, err, awapi.KindNotFound)
	// Spam: the sender is reported and all of their messages leave the mailbox; again is the same.
	offers, _, err := st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	for range 2 {
		e, err := st.ManageEmail(ctx, 1, offers[0].EmailID, awapi.EmailAction{Spam: true}, t0)
		must(t, err)
		if !e.Deleted() {
			t.Fatalf("spam left %+v", e)
		}
		if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1}); len(got) != 0 || total != 0 {
			t.Fatalf("inbox after spam: %q (%d)", got, total)
		}
		if n := unread(t, st, 1); n != 1 {
			t.Fatalf("unread after spam = %d, want 1 (Bella's)", n)
		}
	}
	if reps, err := st.SpamReports(ctx, 1); err != nil || !slices.Equal(reps, []int64{3}) {
		t.Fatalf("spam reports = %v, %v", reps, err)
	}
	// The caller's own message to the spammer stays, and cannot itself be reported.
	if got, _ := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: awapi.FolderSent}); !slices.Equal(got, []string{"Stop"}) {
		t.Fatalf("sent after spam: %q", got)
	}
	_, err = st.ManageEmail(ctx, 1, mine.EmailID, awapi.EmailAction{Spam: true}, t0)
	wantKind(t, err, awapi.KindConflict)
	// The spammer's own copies are untouched.
	if got, _ := subjects(t, st, awapi.EmailQuery{OwnerID: 3, FolderID: awapi.FolderSent}); len(got) != 3 {
		t.Fatalf("the sender's Sent items: %q", got)
	}
	// Delete, twice; a deleted message is not read, moved or listed.
	for range 2 {
		e, err := st.ManageEmail(ctx, 1, bella.EmailID, awapi.EmailAction{Delete: true}, t0)
		must(t, err)
		if !e.Deleted() {
			t.Fatalf("delete left %+v", e)
		}
	}
	if n := unread(t, st, 1); n != 0 {
		t.Fatalf("unread after deleting = %d", n)
	}
	_, err = st.ReadEmail(ctx, 1, bella.EmailID)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.ManageEmail(ctx, 1, bella.EmailID, awapi.EmailAction{MoveFolderID: ptr(awapi.FolderInbox)}, t0)
	wantKind(t, err, awapi.KindNotFound)
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: keep}); total != 0 {
		t.Fatalf("Keep after delete holds %d", total)
	}
}

func testEmailFolders(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	fs, _, err := st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr(" Regulars ")}, t0)
	must(t, err)
	if len(fs) != 1 || fs[0].FolderName != "Regulars" || fs[0].FolderID <= 0 {
		t.Fatalf("folders = %+v", fs)
	}
	regulars := fs[0].FolderID
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("REGULARS")}, t0)
	wantKind(t, err, awapi.KindConflict)
	_, _, err = st.ChangeEmailFolders(ctx, 2, awapi.FolderChanges{NewFolderName: ptr("Regulars")}, t0) // unique per member only
	must(t, err)
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{DeleteFolderID: ptr(awapi.FolderInbox)}, t0)
	wantKind(t, err, awapi.KindInvalid)

	for i := range 4 {
		send(t, st, 2, 1, fmt.Sprintf("In %d", i), "b", time.Duration(i)*time.Minute)
	}
	send(t, st, 1, 2, "Out", "b", 10*time.Minute)
	// Everything into Regulars, the sent message too.
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{FromFolderID: ptr(awapi.FolderInbox), ToFolderID: &regulars}, t0)
	must(t, err)
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{FromFolderID: ptr(awapi.FolderSent), ToFolderID: &regulars}, t0)
	must(t, err)
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: regulars}); total != 5 || unread(t, st, 1) != 4 {
		t.Fatalf("Regulars holds %d, unread %d", total, unread(t, st, 1))
	}
	// A combination that fails in its last part changes nothing, the new folder included.
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("Archive"), ClearFolderID: &regulars, DeleteFolderID: ptr(int64(999))}, t0)
	wantKind(t, err, awapi.KindNotFound)
	if fs, _ := st.EmailFolders(ctx, 1); len(fs) != 1 {
		t.Fatalf("a failed call left folders %+v", fs)
	}
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: regulars}); total != 5 {
		t.Fatalf("a failed call cleared Regulars: %d", total)
	}
	// Create, move everything home, and delete the emptied folder, in one call.
	fs, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("Archive"), FromFolderID: &regulars,
		ToFolderID: ptr(awapi.FolderInbox), DeleteFolderID: &regulars}, t0)
	must(t, err)
	if len(fs) != 1 || fs[0].FolderName != "Archive" {
		t.Fatalf("folders = %+v", fs)
	}
	if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1}); total != 4 || len(got) != 4 {
		t.Fatalf("inbox after moving home: %q (%d)", got, total)
	}
	if got, _ := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: awapi.FolderSent}); !slices.Equal(got, []string{"Out"}) {
		t.Fatalf("sent after moving home: %q", got)
	}
	// Deleting a folder sends its messages home; clearing deletes them.
	archive := fs[0].FolderID
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{FromFolderID: ptr(awapi.FolderInbox), ToFolderID: &archive}, t0)
	must(t, err)
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{DeleteFolderID: &archive}, t0)
	must(t, err)
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1}); total != 4 || unread(t, st, 1) != 4 {
		t.Fatalf("inbox after deleting its folder: %d, unread %d", total, unread(t, st, 1))
	}
	_, _, err = st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{ClearFolderID: ptr(awapi.FolderInbox)}, t0)
	must(t, err)
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1}); total != 0 || unread(t, st, 1) != 0 {
		t.Fatalf("inbox after clearing: %d, unread %d", total, unread(t, st, 1))
	}
	if fs, _ := st.EmailFolders(ctx, 1); len(fs) != 0 {
		t.Fatalf("folders left: %+v", fs)
	}
}

// testEmailRace: sends into one mailbox, reads of its messages (each twice at once) and moves of
// them to a folder and back, all at once, leave the counters exact.
func testEmailRace(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	const before, during = 24, 24
	for i := range before {
		send(t, st, 2, 1, fmt.Sprintf("Before %d", i), "b", time.Duration(i)*time.Second)
	}
	old, _, err := st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, Page: awapi.Page{Number: 1, Size: 100}})
	must(t, err)
	fs, _, err := st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("Busy")}, t0)
	must(t, err)
	busy := fs[0].FolderID
	errs := webcamRace(during+2*before+before/2, func(i int) error {
		switch {
		case i < during:
			from := int64(2 + i%2)
			_, err := st.SendEmail(ctx, awapi.NewEmail{SenderID: from, RecipientUserID: 1, Subject: fmt.Sprintf("During %d", i), Body: "b", SentAt: t0.Add(time.Hour)})
			return err
		case i < during+2*before:
			_, err := st.ReadEmail(ctx, 1, old[(i-during)%before].EmailID)
			return err
		default:
			e := old[2*(i-during-2*before)]
			if _, err := st.ManageEmail(ctx, 1, e.EmailID, awapi.EmailAction{MoveFolderID: &busy}, t0); err != nil {
				return err
			}
			_, err := st.ManageEmail(ctx, 1, e.EmailID, awapi.EmailAction{MoveFolderID: ptr(awapi.FolderInbox)}, t0)
			return err
		}
	})
	for _, err := range errs {
		must(t, err)
	}
	if n := unread(t, st, 1); n != during {
		t.Fatalf("unread = %d, want %d", n, during)
	}
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1}); total != before+during {
		t.Fatalf("inbox total = %d, want %d", total, before+during)
	}
	// The counters agree with the rows.
	got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, UnreadOnly: true})
	if len(got) != during || total != during {
		t.Fatalf("unread listing: %d rows, total %d", len(got), total)
	}
	if n := unread(t, st, 2) + unread(t, st, 3); n != 0 {
		t.Fatalf("senders' unread = %d", n)
	}
	if _, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: busy}); total != 0 {
		t.Fatalf("Busy holds %d", total)
	}
}

// testInsertEmails: the seeder's messages keep their IDs, are counted, searchable, and later
// messages are numbered after them.
func testInsertEmails(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	must(t, st.InsertEmailFolders(ctx, []awapi.EmailFolder{{FolderID: 50, OwnerID: 1, FolderName: "Seeded", CreatedAt: t0}}))
	es := []awapi.Email{
		{EmailID: 100, OwnerID: 2, OtherUserID: 1, FolderID: awapi.FolderSent, Outgoing: true, Read: true, Subject: "Seed", Body: "needle", SentAt: t0, ThreadID: 100},
		{EmailID: 101, OwnerID: 1, OtherUserID: 2, FolderID: 50, Subject: "Seed", Body: "needle", SentAt: t0, ThreadID: 100},
		{EmailID: 102, OwnerID: 1, OtherUserID: 3, FolderID: awapi.FolderInbox, Read: true, Subject: "Other", Body: "hay", SentAt: t0, ThreadID: 102},
	}
	must(t, st.InsertEmails(ctx, es))
	if n := unread(t, st, 1); n != 1 {
		t.Fatalf("unread = %d", n)
	}
	if got, total := subjects(t, st, awapi.EmailQuery{OwnerID: 1, FolderID: 50, Terms: []string{"needle"}}); !slices.Equal(got, []string{"Seed"}) || total != 1 {
		t.Fatalf("search of seeded: %q (%d)", got, total)
	}
	next := send(t, st, 1, 2, "After", "b", time.Hour)
	if next.EmailID <= 102 {
		t.Fatalf("next EmailID %d", next.EmailID)
	}
	fs, _, err := st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: ptr("Later")}, t0)
	must(t, err)
	if fs[0].FolderName != "Later" || fs[0].FolderID <= 50 {
		t.Fatalf("folders = %+v", fs)
	}
}

// testEmailFolderRace: one member creating the same folder many times at once gets exactly one.
func testEmailFolderRace(t *testing.T, st awapi.Store) {
	emailSetup(t, st)
	errs := webcamRace(8, func(i int) error {
		name := "Same"
		if i%2 == 1 {
			name = "SAME"
		}
		_, _, err := st.ChangeEmailFolders(ctx, 1, awapi.FolderChanges{NewFolderName: &name}, t0)
		return err
	})
	if won := wins(t, errs, "folder_name_taken"); won != 1 {
		t.Fatalf("%d folders named Same created", won)
	}
	if fs, err := st.EmailFolders(ctx, 1); err != nil || len(fs) != 1 {
		t.Fatalf("folders = %+v, %v", fs, err)
	}
}
