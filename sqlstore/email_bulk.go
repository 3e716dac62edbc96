package sqlstore

import (
	"context"

	"github.com/awapi/awapi"
)

// Bulk loading of mailboxes for the load harness (cmd/awapi-load -email): millions of messages in
// large transactions of multi-row inserts, with the indexes, the full-text index and the counters
// built once afterwards rather than row by row. Not for a database that is serving.

// emailIndexes are migration 00017's indexes on emails that LoadEmails drops and rebuilds, per engine.
var emailIndexes = map[Engine][]struct{ name, create string }{
	SQLite: {
		{"emails_folder", `CREATE INDEX emails_folder ON emails (owner_id, folder_id, sent_at, email_id)`},
		{"emails_unread", `CREATE INDEX emails_unread ON emails (owner_id, folder_id, sent_at, email_id) WHERE NOT is_read`},
		{"emails_other", `CREATE INDEX emails_other ON emails (owner_id, other_id)`},
	},
	Postgres: {
		{"emails_folder", `CREATE INDEX emails_folder ON emails (owner_id, folder_id, sent_at, email_id)`},
		{"emails_unread", `CREATE INDEX emails_unread ON emails (owner_id, folder_id, sent_at, email_id) WHERE NOT is_read`},
		{"emails_other", `CREATE INDEX emails_other ON emails (owner_id, other_id)`},
		{"emails_search", `CREATE INDEX emails_search ON emails USING GIN (search)`},
	},
}

// emailFTSInsertTrigger is migration 00017's trigger that indexes a new message on SQLite.
const emailFTSInsertTrigger = `CREATE TRIGGER emails_fts_insert AFTER INSERT ON emails BEGIN
    INSERT INTO emails_fts (rowid, owner, subject, body) VALUES (new.email_id, 'u' || new.owner_id, new.subject, new.body);
END`

// LoadEmails bulk-loads the messages next yields, batch after batch, each batch in one transaction.
// A message whose EmailID is 0 is numbered after every stored one (and is its own thread when its
// ThreadID is 0). The mailbox indexes (and on SQLite the full-text trigger) are dropped first and
// rebuilt at the end with the full-text index and every member's counters.
func (s *DB) LoadEmails(ctx context.Context, next func() ([]awapi.Email, bool)) (n int, err error) {
	defer wrap(&err, "LoadEmails")
	var id int64
	if err := s.queryRow(ctx, `SELECT COALESCE(MAX(email_id), 0) FROM emails`).Scan(&id); err != nil {
		return 0, err
	}
	for _, ix := range emailIndexes[s.engine] {
		if _, err := s.exec(ctx, `DROP INDEX IF EXISTS `+ix.name); err != nil {
			return 0, err
		}
	}
	if s.engine == SQLite {
		if _, err := s.exec(ctx, `DROP TRIGGER IF EXISTS emails_fts_insert`); err != nil {
			return 0, err
		}
	}
	for {
		es, ok := next()
		if !ok {
			break
		}
		for i := range es {
			if es[i].EmailID == 0 {
				id++
				es[i].EmailID = id
			}
			if es[i].ThreadID == 0 {
				es[i].ThreadID = es[i].EmailID
			}
		}
		if err := s.inTx(ctx, func(tx txConn) error { return s.insertEmailRows(ctx, tx, es) }); err != nil {
			return n, err
		}
		n += len(es)
	}
	for _, ix := range emailIndexes[s.engine] {
		if _, err := s.exec(ctx, ix.create); err != nil {
			return n, err
		}
	}
	if s.engine == SQLite {
		if _, err := s.exec(ctx, `INSERT INTO emails_fts (emails_fts) VALUES ('rebuild')`); err != nil {
			return n, err
		}
		if _, err := s.exec(ctx, emailFTSInsertTrigger); err != nil {
			return n, err
		}
	}
	err = s.inTx(ctx, func(tx txConn) error { return s.recount(ctx, tx, `WHERE TRUE`) })
	if err == nil {
		err = s.resetIdentity(ctx, "emails", "email_id")
	}
	return n, err
}
