package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// The -email measurement: mailboxes at scale. After the seed (members and their mail history), it
// bulk-loads -messages more message copies (sqlstore.LoadEmails: large transactions of multi-row
// inserts, indexes and full-text index built afterwards), -big of them in one member's inbox, then
// measures GetEmails' first page, a deep page, Search for a word and GetUnreadEmails for that member,
// each as req/s with p50 and p99, on each engine.
//
//	go run ./cmd/awapi-load -email -users 1000000 -messages 5000000 -big 100000 -pg 'postgres://…'

// bigMailbox is the member whose mailbox is measured: SandboxPerformer, a demo account.
const bigMailbox = 2

// searchWord occurs in one loaded message in 200; the measured Search looks for it.
const searchWord = "invoice"

var loadWords = strings.Fields("booking friday hotel tonight webcam rates thanks gallery tour phone chat evening weekend " +
	"photos london manchester private show soon lovely morning later again message reply deposit station confirm " +
	"outfit music dinner drinks travel airport train parking address favourite happy sunday monday tuesday")

// loadMessages yields n message copies in batches: pairs of a sender's and a recipient's copy
// between random members, the first big recipients' copies in bigMailbox's inbox.
func loadMessages(users, n, big int, now time.Time) func() ([]awapi.Email, bool) {
	r := rand.New(rand.NewPCG(1, 2))
	const batch = 50000
	done := 0
	buf := make([]awapi.Email, 0, batch)
	body := func() string {
		var b strings.Builder
		for i := range 8 + r.IntN(24) {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(loadWords[r.IntN(len(loadWords))])
		}
		if r.IntN(200) == 0 {
			b.WriteString(" " + searchWord)
		}
		return b.String()
	}
	return func() ([]awapi.Email, bool) {
		if done >= n {
			return nil, false
		}
		buf = buf[:0]
		for len(buf) < batch && done < n {
			from, to := 1+r.Int64N(int64(users)), 1+r.Int64N(int64(users))
			if done/2 < big {
				to = bigMailbox
			}
			if from == to {
				from = to%int64(users) + 1
			}
			at := now.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Second)
			subject := loadWords[r.IntN(len(loadWords))] + " " + loadWords[r.IntN(len(loadWords))]
			text := body()
			read := r.IntN(4) != 0
			buf = append(buf,
				awapi.Email{OwnerID: from, OtherUserID: to, FolderID: awapi.FolderSent, Outgoing: true, Read: true, Subject: subject, Body: text, SentAt: at},
				awapi.Email{OwnerID: to, OtherUserID: from, FolderID: awapi.FolderInbox, Read: read, Subject: subject, Body: text, SentAt: at})
			done += 2
		}
		return buf, true
	}
}

// emailLoad loads the messages and measures the four requests for bigMailbox.
func emailLoad(ctx context.Context, e *env, engine string, o options) error {
	start := time.Now()
	n, err := e.st.LoadEmails(ctx, loadMessages(o.users, o.messages, o.big, e.now))
	if err != nil {
		return err
	}
	fmt.Printf("  %s: loaded %d message copies in %s\n", engine, n, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	if err := e.st.Analyze(ctx); err != nil {
		return err
	}
	fmt.Printf("  %s: analyzed in %s\n", engine, time.Since(start).Round(time.Millisecond))
	var total int
	if err := e.st.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM emails`).Scan(&total); err != nil {
		return err
	}
	p, _, err := e.st.ProjectByAPIKey(ctx, awapi.HashSecret(e.key))
	if err != nil {
		return err
	}
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := e.st.CreateAccessToken(ctx, awapi.HashSecret(tok), awapi.AccessToken{UserID: bigMailbox, ProjectID: p.ProjectID,
		Scopes: awapi.ScopeSet{awapi.ScopeAccountCommunications}, ExpiresAt: time.Now().Add(24 * time.Hour)}); err != nil {
		return err
	}
	_, inbox, err := e.st.Emails(ctx, awapi.EmailQuery{OwnerID: bigMailbox, Page: awapi.Page{Number: 1, Size: 1}})
	if err != nil {
		return err
	}
	deep := max(1, awapi.PageCount(inbox, 50)*9/10)
	requests := []struct {
		name, query string
		q           *awapi.EmailQuery
	}{
		{"GetEmails, first page", "/v1/Email/GetEmails", &awapi.EmailQuery{OwnerID: bigMailbox, Page: awapi.Page{Number: 1, Size: 50}}},
		{fmt.Sprintf("GetEmails, page %d", deep), fmt.Sprintf("/v1/Email/GetEmails?PageNumber=%d", deep),
			&awapi.EmailQuery{OwnerID: bigMailbox, Page: awapi.Page{Number: deep, Size: 50}}},
		{"GetEmails, Search=" + searchWord, "/v1/Email/GetEmails?Search=" + searchWord,
			&awapi.EmailQuery{OwnerID: bigMailbox, Terms: []string{searchWord}, Page: awapi.Page{Number: 1, Size: 50}}},
		{"GetEmails, Search=hotel", "/v1/Email/GetEmails?Search=hotel",
			&awapi.EmailQuery{OwnerID: bigMailbox, Terms: []string{"hotel"}, Page: awapi.Page{Number: 1, Size: 50}}},
		{"GetUnreadEmails", "/v1/Email/GetUnreadEmails", nil},
	}
	for _, rq := range requests {
		if rq.q == nil {
			continue
		}
		count, page, err := e.st.ExplainEmails(ctx, *rq.q)
		if err != nil {
			return err
		}
		fmt.Printf("\n  plan, %s, %s:\n    count: %s\n    page:  %s\n", engine, rq.name,
			strings.Join(count, "\n           "), strings.Join(page, "\n           "))
	}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	fmt.Printf("\nEmail, bearer token, %s, %d members, %d message copies, member %d's inbox %d, %d connections:\n",
		engine, o.users, total, bigMailbox, inbox, o.concurrency)
	fmt.Printf("  %-34s %10s %10s %10s %8s\n", "", "req/s", "p50", "p99", "total")
	for _, rq := range requests {
		target := e.base + rq.query
		body, _, err := fetch(target, "Authorization", "bearer "+tok)
		if err != nil {
			return err
		}
		matched := "-"
		if rq.q != nil {
			var t int
			if i := strings.Index(string(body), `"EmailsTotal":`); i >= 0 {
				_, _ = fmt.Sscanf(string(body[i+len(`"EmailsTotal":`):]), "%d", &t)
			}
			matched = fmt.Sprint(t)
		}
		r := load(o, func(c *http.Client) error { return get(c, target, -1, "Authorization", "bearer "+tok) }).result()
		fmt.Printf("  %-34s %10.0f %10s %10s %8s", rq.name, r.rps, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond), matched)
		if r.errors > 0 {
			fmt.Printf("  (%d errors)", r.errors)
		}
		fmt.Println()
	}
	fmt.Printf("  peak RSS while serving (VmHWM): %s\n", vmHWM())
	return nil
}
