package seed

import (
	"context"
	"testing"

	"github.com/awapi/awapi"
)

const (
	emailsQuery = `SELECT email_id, owner_id, other_id, folder_id, outgoing, is_read, subject, body, sent_at, allow_face_picture, thread_id
		FROM emails WHERE owner_id <= ? AND other_id <= ? ORDER BY email_id`
	mailFoldersQuery = `SELECT folder_id, owner_id, folder_name, created_at FROM email_folders WHERE owner_id <= ? ORDER BY folder_id`
)

// TestMail: the mail history is deterministic whatever the size and batching, its threads run
// between clients and performers in both directions, some are unread and some filed in custom
// folders, the counters match the rows, and the demo client has its documented mailbox.
func TestMail(t *testing.T) {
	defer func(n int) { batchSize = n }(batchSize)
	a, _ := seeded(t, 600, 42)
	batchSize = 64
	b, _ := seeded(t, 600, 42)
	small, _ := seeded(t, 300, 42)
	for _, q := range []string{emailsQuery, mailFoldersQuery} {
		if da, db := digest(t, a.SQL(), q, 600, 600), digest(t, b.SQL(), q, 600, 600); da != db {
			t.Errorf("batching changed the mail: %s / %s", da, db)
		}
		if ds, dl := digest(t, small.SQL(), q, 300, 300), digest(t, a.SQL(), q, 300, 300); ds != dl {
			t.Errorf("size changed the first members' mail: %s / %s", ds, dl)
		}
	}
	db := a.SQL()
	total := count(t, db, `SELECT COUNT(*) FROM emails`)
	if total < 200 || total%2 != 0 {
		t.Fatalf("%d message copies", total)
	}
	// Every message has its two copies; senders and recipients are a client and a performer.
	if n := count(t, db, `SELECT COUNT(*) FROM emails s WHERE s.outgoing AND NOT EXISTS (SELECT 1 FROM emails r
		WHERE NOT r.outgoing AND r.thread_id = s.thread_id AND r.owner_id = s.other_id AND r.other_id = s.owner_id AND r.sent_at = s.sent_at)`); n != 0 {
		t.Errorf("%d messages without the recipient's copy", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM emails e JOIN members a ON a.user_id = e.owner_id JOIN members b ON b.user_id = e.other_id
		WHERE a.user_type_id = b.user_type_id`); n != 0 {
		t.Errorf("%d messages between two clients or two performers", n)
	}
	for what, q := range map[string]string{
		"performers writing":    `SELECT COUNT(*) FROM emails e JOIN members m ON m.user_id = e.owner_id WHERE e.outgoing AND m.user_type_id = 1`,
		"unread messages":       `SELECT COUNT(*) FROM emails WHERE NOT is_read`,
		"messages in a folder":  `SELECT COUNT(*) FROM emails WHERE folder_id > 0`,
		"replies in a thread":   `SELECT COUNT(*) FROM emails WHERE thread_id <> email_id AND outgoing`,
		"custom folders":        `SELECT COUNT(*) FROM email_folders`,
		"generated performers'": `SELECT COUNT(*) FROM emails WHERE owner_id >= 7 AND NOT outgoing`,
	} {
		if count(t, db, q) == 0 {
			t.Errorf("no %s", what)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM emails WHERE outgoing AND NOT is_read`); n != 0 {
		t.Errorf("%d unread sent copies", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM emails WHERE sent_at > ?`, testNow.UnixMicro()); n != 0 {
		t.Errorf("%d messages from the future", n)
	}
	// The counters are the rows'.
	if n := count(t, db, `SELECT COUNT(*) FROM (SELECT owner_id, folder_id, COUNT(*) AS total,
			SUM(CASE WHEN is_read THEN 0 ELSE 1 END) AS unread FROM emails GROUP BY owner_id, folder_id) x
		LEFT JOIN email_counts c ON c.owner_id = x.owner_id AND c.folder_id = x.folder_id
		WHERE c.total IS NULL OR c.total <> x.total OR c.unread <> x.unread`); n != 0 {
		t.Errorf("%d counters disagree with the rows", n)
	}
	// The demo client: unread replies, the folder Bookings, and nothing from the member they blacklisted.
	ctx := context.Background()
	unread, err := a.UnreadEmails(ctx, 1)
	if err != nil || unread != 2 {
		t.Errorf("the demo client has %d unread (%v), want 2", unread, err)
	}
	fs, err := a.EmailFolders(ctx, 1)
	if err != nil || len(fs) != 1 || fs[0].FolderName != "Bookings" {
		t.Fatalf("the demo client's folders: %+v %v", fs, err)
	}
	es, n, err := a.Emails(ctx, awapi.EmailQuery{OwnerID: 1, FolderID: fs[0].FolderID, Page: awapi.Page{Number: 1, Size: 50}})
	if err != nil || n == 0 || es[0].OtherUserID != 5 && es[0].OtherUserID != 2 {
		t.Errorf("Bookings: %d %+v %v", n, es, err)
	}
	if n, err := a.UnreadEmails(ctx, 2); err != nil || n == 0 {
		t.Errorf("SandboxPerformer has %d unread (%v)", n, err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM emails WHERE owner_id = 1 AND other_id = 7`); n != 0 {
		t.Errorf("the demo client has %d messages with the member they blacklisted", n)
	}
}
