package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// mailboxWords are the words the plan test's messages are made of; "needle" is rare.
var mailboxWords = strings.Fields("booking friday hotel tonight webcam rates thanks gallery tour phone chat evening " +
	"weekend photos london manchester private show soon lovely")

// fillMailboxes gives member 1 a mailbox of big messages from 199 other members, and every other member
// a few, with "needle" in one message in 400.
func fillMailboxes(t *testing.T, st *sqlstore.DB, big int) {
	t.Helper()
	ctx := context.Background()
	ms := make([]awapi.Member, 200)
	for i := range ms {
		ms[i] = storetest.NewMember(int64(i+1), fmt.Sprintf("Member%d", i+1))
	}
	if err := st.InsertMembers(ctx, ms); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []awapi.Email
	id := int64(0)
	add := func(owner, other int64, i int) {
		id++
		body := fmt.Sprintf("%s %s %s", mailboxWords[i%len(mailboxWords)], mailboxWords[(i/7)%len(mailboxWords)], mailboxWords[(i/3)%len(mailboxWords)])
		if i%400 == 0 {
			body += " needle"
		}
		es = append(es, awapi.Email{EmailID: id, OwnerID: owner, OtherUserID: other, FolderID: awapi.FolderInbox, Read: i%3 == 0,
			Subject: mailboxWords[(i/11)%len(mailboxWords)], Body: body, SentAt: t0.Add(time.Duration(i) * time.Minute), ThreadID: id})
	}
	for i := range big {
		add(1, int64(2+i%199), i)
	}
	for owner := int64(2); owner <= 200; owner++ {
		for i := range 20 {
			add(owner, 1+(owner+int64(i))%199, int(owner)*20+i)
		}
	}
	// The harness's bulk load (LoadEmails), checked below: numbered, counted and searchable.
	for i := range es {
		es[i].EmailID, es[i].ThreadID = 0, 0
	}
	rest := es
	n, err := st.LoadEmails(ctx, func() ([]awapi.Email, bool) {
		if len(rest) == 0 {
			return nil, false
		}
		b := rest[:min(len(rest), 3000)]
		rest = rest[len(b):]
		return b, true
	})
	if err != nil || n != len(es) {
		t.Fatalf("LoadEmails = %d, %v", n, err)
	}
	unread := 0
	for _, e := range es[:big] {
		if !e.Read {
			unread++
		}
	}
	if got, err := st.UnreadEmails(ctx, 1); err != nil || got != unread {
		t.Fatalf("unread after LoadEmails = %d, %v; want %d", got, err, unread)
	}
	if _, total, err := st.Emails(ctx, awapi.EmailQuery{OwnerID: 1, Terms: []string{"needle"}, Page: awapi.Page{Number: 1, Size: 10}}); err != nil || total != big/400 {
		t.Fatalf("search after LoadEmails = %d, %v; want %d", total, err, big/400)
	}
	if next, err := st.SendEmail(ctx, awapi.NewEmail{SenderID: 2, RecipientUserID: 1, Subject: "s", Body: "needle", SentAt: t0}); err != nil ||
		next.EmailID <= int64(len(es)) {
		t.Fatalf("a message after LoadEmails: %+v %v", next, err)
	}
	if err := st.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestEmailPlans: a folder's pages read the folder index, Search goes through each engine's
// full-text index (FTS5's virtual table, the GIN index), never a scan of the messages, and the
// unread count reads the counters alone.
func TestEmailPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a mailbox")
	}
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			ctx := context.Background()
			fillMailboxes(t, st, 20000)
			page := awapi.Page{Number: 1, Size: 50}
			for name, tc := range map[string]struct {
				q        awapi.EmailQuery
				fullText bool
			}{
				"first page":     {awapi.EmailQuery{OwnerID: 1, Page: page}, false},
				"deep page":      {awapi.EmailQuery{OwnerID: 1, Order: awapi.EmailOrderSentDesc, Page: awapi.Page{Number: 300, Size: 50}}, false},
				"unread only":    {awapi.EmailQuery{OwnerID: 1, UnreadOnly: true, Page: page}, false},
				"search":         {awapi.EmailQuery{OwnerID: 1, Terms: []string{"needle"}, Page: page}, true},
				"search 2 words": {awapi.EmailQuery{OwnerID: 1, Terms: []string{"needle", "hotel"}, Page: page}, true},
				"search small":   {awapi.EmailQuery{OwnerID: 7, Terms: []string{"needle"}, Page: page}, true},
			} {
				count, pagePlan, err := st.ExplainEmails(ctx, tc.q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				parts := map[string][]string{"page": pagePlan}
				if tc.fullText { // without a Search the total is the folder's counter: no count runs
					parts["count"] = count
				}
				for part, plan := range parts {
					text := strings.Join(plan, "\n")
					t.Logf("%s (%s):\n%s", name, part, text)
					if scansEmails(text) {
						t.Errorf("%s (%s) scans the messages:\n%s", name, part, text)
					}
					if tc.fullText && !usesFullText(text) {
						t.Errorf("%s (%s) does not use the full-text index:\n%s", name, part, text)
					}
					if !tc.fullText && !strings.Contains(text, "emails_folder") && !strings.Contains(text, "emails_unread") {
						t.Errorf("%s (%s) does not read the folder index:\n%s", name, part, text)
					}
				}
			}
			plan, err := st.ExplainUnreadEmails(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			t.Logf("unread:\n%s", text)
			if !strings.Contains(text, "email_counts") || strings.Contains(strings.ReplaceAll(text, "email_counts", ""), "emails") {
				t.Errorf("the unread count reads more than the counters:\n%s", text)
			}
		})
	}
}

// scansEmails reports whether a plan reads the whole messages table.
func scansEmails(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		line = strings.TrimSpace(line)
		if (strings.Contains(line, "SCAN e ") || strings.HasSuffix(line, "SCAN e")) && !strings.Contains(line, "USING") { // SQLite
			return true
		}
		if strings.Contains(line, "Seq Scan on emails") { // PostgreSQL
			return true
		}
	}
	return false
}

// usesFullText reports whether a plan matches through the engine's full-text index.
func usesFullText(plan string) bool {
	return strings.Contains(plan, "emails_fts VIRTUAL TABLE INDEX") || // SQLite FTS5
		strings.Contains(plan, "Bitmap Index Scan on emails_search") // PostgreSQL GIN
}
