package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Email (api-v1.md §2.7, migration 00017): one copy of each message per mailbox, custom folders,
// counters per member and folder, spam reports.
//
// Counting. email_counts holds each member's messages and unread messages per folder (deleted ones
// are not counted), changed in the same transaction as every change that moves them, so
// GetUnreadEmails and a folder's EmailsTotal read a few counter rows and never the mailbox. A change
// that moves existing messages first locks them (FOR UPDATE on PostgreSQL, in ID order so two such
// changes cannot deadlock; SQLite runs one write transaction at a time), computes what leaves and
// enters each folder from the rows it locked, and updates exactly those rows by ID: a message
// arriving meanwhile is neither moved nor counted twice, and a concurrent read of a locked message
// waits and then marks it read in the folder it ended up in. Counter rows are always changed in
// (member, folder) order, so transactions touching several never deadlock.
//
// Search. SQLite matches through the FTS5 table emails_fts (kept in step by triggers); PostgreSQL
// through the GIN index on the generated tsvector column. Both index the owner as one more word, and
// are queried with it and the words of awapi.EmailSearchTerms, all of which must match, so a search
// reads the owner's matches only; never with LIKE (TestEmailPlans).

var _ awapi.EmailStore = (*DB)(nil)

// emailColumns reads a message with the other party's nickname; body is "e.body" or "”".
func emailColumns(body string) string {
	return `e.email_id, e.owner_id, e.other_id, m.nickname, m.verified, e.folder_id, e.outgoing, e.is_read, e.subject, ` + body +
		`, e.sent_at, e.allow_face_picture, e.thread_id`
}

func scanEmail(row interface{ Scan(...any) error }) (awapi.Email, error) {
	var (
		e    awapi.Email
		sent int64
	)
	err := row.Scan(&e.EmailID, &e.OwnerID, &e.OtherUserID, &e.OtherNickname, &e.OtherVerified, &e.FolderID, &e.Outgoing, &e.Read, &e.Subject,
		&e.Body, &sent, &e.AllowFacePicture, &e.ThreadID)
	e.SentAt = fromMicros(sent)
	return e, err
}

// readEmail reads one message of the owner's mailbox, deleted ones included.
func (s *DB) readEmail(ctx context.Context, c conn, ownerID, emailID int64) (awapi.Email, error) {
	e, err := scanEmail(c.queryRow(ctx, `SELECT `+emailColumns("e.body")+` FROM emails e JOIN members m ON m.user_id = e.other_id
		WHERE e.email_id = ? AND e.owner_id = ?`, emailID, ownerID))
	return e, notFound(err, "The message")
}

// countDelta is a change of one counter row.
type countDelta struct {
	owner, folder int64
	total, unread int64
}

// counts accumulates counter changes by (member, folder).
type counts map[[2]int64]*countDelta

func (cs counts) add(owner, folder int64, total, unread int64) {
	if folder == awapi.FolderDeleted {
		return
	}
	k := [2]int64{owner, folder}
	d := cs[k]
	if d == nil {
		d = &countDelta{owner: owner, folder: folder}
		cs[k] = d
	}
	d.total += total
	d.unread += unread
}

// move counts one message leaving from and entering to.
func (cs counts) move(owner, from, to int64, read bool) {
	unread := int64(0)
	if !read {
		unread = 1
	}
	cs.add(owner, from, -1, -unread)
	cs.add(owner, to, 1, unread)
}

// apply writes the changes in (member, folder) order.
func (s *DB) applyCounts(ctx context.Context, tx txConn, cs counts) error {
	ds := make([]*countDelta, 0, len(cs))
	for _, d := range cs {
		if d.total != 0 || d.unread != 0 {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *countDelta) int {
		return cmp.Or(cmp.Compare(a.owner, b.owner), cmp.Compare(a.folder, b.folder))
	})
	for _, d := range ds {
		// A row a message leaves exists already; only an addition may create one (the engines check
		// the proposed row of an upsert before they find the conflict).
		query := `UPDATE email_counts SET total = total + ?, unread = unread + ? WHERE owner_id = ? AND folder_id = ?`
		args := []any{d.total, d.unread, d.owner, d.folder}
		if d.total >= 0 && d.unread >= 0 {
			query = `INSERT INTO email_counts (owner_id, folder_id, total, unread) VALUES (?, ?, ?, ?)
				ON CONFLICT (owner_id, folder_id) DO UPDATE SET total = email_counts.total + excluded.total,
					unread = email_counts.unread + excluded.unread`
			args = []any{d.owner, d.folder, d.total, d.unread}
		}
		n, err := tx.execCount(ctx, query, args...)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("email counters of member %d, folder %d are missing", d.owner, d.folder)
		}
	}
	return nil
}

// ftsQuery is the full-text query of terms within ownerID's mailbox: the owner's word and every term
// (terms are letters and digits only, so no term is an operator of either engine's query language).
func (s *DB) ftsQuery(ownerID int64, terms []string) string {
	owner := fmt.Sprintf("u%d", ownerID)
	if s.engine == Postgres {
		q := owner + ":A"
		for _, t := range terms {
			q += " & " + t + ":D"
		}
		return q
	}
	q := `owner : "` + owner + `"`
	for _, t := range terms {
		q += ` AND {subject body} : "` + t + `"`
	}
	return q
}

// emailSearch describes a GetEmails listing: the page selects IDs only (from the covering index
// when ordered by date), and the outer statement reads the page's messages and nicknames.
func (s *DB) emailSearch(q awapi.EmailQuery) *pagedQuery {
	search := &pagedQuery{cols: `e.email_id`, from: `FROM emails e`, where: `WHERE e.owner_id = ? AND e.folder_id = ?`,
		args: []any{q.OwnerID, q.FolderID}}
	switch {
	case len(q.Terms) == 0:
	case s.engine == Postgres:
		search.where += ` AND e.search @@ to_tsquery('simple', ?)`
		search.args = append(search.args, s.ftsQuery(q.OwnerID, q.Terms))
	default:
		// The index finds the owner's matching messages; CROSS JOIN keeps it the outer loop.
		search.from = `FROM emails_fts CROSS JOIN emails e ON e.email_id = emails_fts.rowid`
		search.where = `WHERE emails_fts MATCH ? AND e.owner_id = ? AND e.folder_id = ?`
		search.args = []any{s.ftsQuery(q.OwnerID, q.Terms), q.OwnerID, q.FolderID}
	}
	if q.UnreadOnly {
		search.where += ` AND NOT e.is_read`
	}
	inner, outer := `e.sent_at ASC, e.email_id ASC`, `e.sent_at ASC, e.email_id ASC`
	switch q.Order {
	case awapi.EmailOrderSentDesc:
		inner, outer = `e.sent_at DESC, e.email_id DESC`, `e.sent_at DESC, e.email_id DESC`
	case awapi.EmailOrderNicknameAsc:
		search.joins = ` JOIN members m ON m.user_id = e.other_id`
		inner, outer = `m.nickname_lower ASC, e.sent_at ASC, e.email_id ASC`, `m.nickname_lower ASC, e.sent_at ASC, e.email_id ASC`
	case awapi.EmailOrderNicknameDesc:
		search.joins = ` JOIN members m ON m.user_id = e.other_id`
		inner, outer = `m.nickname_lower DESC, e.sent_at DESC, e.email_id DESC`, `m.nickname_lower DESC, e.sent_at DESC, e.email_id DESC`
	}
	search.order = inner
	body := "''"
	if q.WithBody {
		body = "e.body"
	}
	search.outer = func(page string) string {
		return `SELECT ` + emailColumns(body) + ` FROM (` + page + `) p JOIN emails e ON e.email_id = p.email_id
			JOIN members m ON m.user_id = e.other_id ORDER BY ` + outer
	}
	return search
}

// ownFolder checks that a custom folder is the owner's; another member's is not found.
func (s *DB) ownFolder(ctx context.Context, c conn, ownerID, folderID int64, field string) error {
	if folderID <= 0 {
		return nil
	}
	var owner int64
	err := c.queryRow(ctx, `SELECT owner_id FROM email_folders WHERE folder_id = ?`, folderID).Scan(&owner)
	if err == nil && owner != ownerID {
		err = sql.ErrNoRows
	}
	return notFound(err, "The folder "+field+" names")
}

// folderCount reads a folder's counters.
func (s *DB) folderCount(ctx context.Context, c conn, ownerID, folderID int64) (total, unread int, err error) {
	err = c.queryRow(ctx, `SELECT total, unread FROM email_counts WHERE owner_id = ? AND folder_id = ?`, ownerID, folderID).
		Scan(&total, &unread)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return total, unread, err
}

// Emails pages one folder of a mailbox. Without a Search the total is the folder's counter.
func (s *DB) Emails(ctx context.Context, q awapi.EmailQuery) (_ []awapi.Email, _ int, err error) {
	defer wrap(&err, "Emails")
	if err := awapi.CheckListFolder(q.FolderID); err != nil {
		return nil, 0, err
	}
	c := s.pool()
	if err := s.ownFolder(ctx, c, q.OwnerID, q.FolderID, "FolderID"); err != nil {
		return nil, 0, err
	}
	search := s.emailSearch(q)
	var total int
	if len(q.Terms) > 0 {
		total, err = search.count(ctx, c)
	} else {
		var all, unread int
		all, unread, err = s.folderCount(ctx, c, q.OwnerID, q.FolderID)
		total = all
		if q.UnreadOnly {
			total = unread
		}
	}
	if err != nil {
		return nil, 0, err
	}
	offset := max(0, q.Page.Offset())
	if q.Page.Size <= 0 || offset >= total {
		return []awapi.Email{}, total, nil
	}
	rows, err := search.page(ctx, c, q.Page.Size, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []awapi.Email{}
	for rows.Next() {
		e, err := scanEmail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// ExplainEmails explains the statements Emails runs for q (count and page), for the plan tests.
func (s *DB) ExplainEmails(ctx context.Context, q awapi.EmailQuery) (count, page []string, err error) {
	defer wrap(&err, "ExplainEmails")
	search := s.emailSearch(q)
	if count, err = s.explain(ctx, search.countSQL(), search.args); err != nil {
		return nil, nil, err
	}
	page, err = s.explain(ctx, search.pageSQL(), search.pageArgs(q.Page.Size, q.Page.Offset()))
	return count, page, err
}

// ExplainUnreadEmails explains the statement UnreadEmails runs.
func (s *DB) ExplainUnreadEmails(ctx context.Context, ownerID int64) (_ []string, err error) {
	defer wrap(&err, "ExplainUnreadEmails")
	return s.explain(ctx, unreadSQL, []any{ownerID})
}

// EmailFolders lists a member's custom folders by name.
func (s *DB) EmailFolders(ctx context.Context, ownerID int64) (_ []awapi.EmailFolder, err error) {
	defer wrap(&err, "EmailFolders")
	return s.emailFolders(ctx, s.pool(), ownerID)
}

func (s *DB) emailFolders(ctx context.Context, c conn, ownerID int64) ([]awapi.EmailFolder, error) {
	rows, err := c.query(ctx, `SELECT folder_id, folder_name, created_at FROM email_folders WHERE owner_id = ?
		ORDER BY name_lower, folder_id`, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.EmailFolder{}
	for rows.Next() {
		f := awapi.EmailFolder{OwnerID: ownerID}
		var created int64
		if err := rows.Scan(&f.FolderID, &f.FolderName, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = fromMicros(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// ReadEmail reads one message and marks it read. A message already read costs no write.
func (s *DB) ReadEmail(ctx context.Context, ownerID, emailID int64) (_ awapi.Email, err error) {
	defer wrap(&err, "ReadEmail")
	e, err := s.readEmail(ctx, s.pool(), ownerID, emailID)
	if err == nil && e.Deleted() {
		err = awapi.NotFound("The message")
	}
	if err != nil || e.Read {
		return e, err
	}
	err = s.inTx(ctx, func(tx txConn) error {
		// The folder is read back from the row: a move that locked it first has committed by now.
		var folder int64
		err := tx.queryRow(ctx, `UPDATE emails SET is_read = TRUE WHERE email_id = ? AND owner_id = ? AND NOT is_read
			RETURNING folder_id`, emailID, ownerID).Scan(&folder)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // read meanwhile by another request, which counted it
		}
		if err != nil {
			return err
		}
		cs := counts{}
		cs.add(ownerID, folder, 0, -1)
		return s.applyCounts(ctx, tx, cs)
	})
	if err != nil {
		return awapi.Email{}, err
	}
	e, err = s.readEmail(ctx, s.pool(), ownerID, emailID)
	if err == nil && e.Deleted() {
		err = awapi.NotFound("The message")
	}
	return e, err
}

func (s *DB) memberTx(ctx context.Context, tx txConn, userID int64) (awapi.Member, error) {
	m, err := scanMember(tx.queryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE user_id = ?`, userID))
	return m, err
}

// SendEmail stores both copies of a message, with the counters, in one transaction.
func (s *DB) SendEmail(ctx context.Context, msg awapi.NewEmail) (_ awapi.Email, err error) {
	defer wrap(&err, "SendEmail")
	return inTxValue(ctx, s, func(tx txConn) (awapi.Email, error) {
		sender, err := s.memberTx(ctx, tx, msg.SenderID)
		if err != nil {
			return awapi.Email{}, notFound(err, "The member")
		}
		recipient, err := s.memberTx(ctx, tx, msg.RecipientUserID)
		if errors.Is(err, sql.ErrNoRows) {
			return awapi.Email{}, awapi.NotFound("The recipient")
		}
		if err != nil {
			return awapi.Email{}, err
		}
		var blocked int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM blacklist WHERE user_id = ? AND blocked_id = ?`,
			msg.RecipientUserID, msg.SenderID).Scan(&blocked); err != nil {
			return awapi.Email{}, err
		}
		var replyTo *awapi.Email
		if msg.ReplyToEmailID != 0 {
			orig, err := s.readEmail(ctx, tx.conn, msg.SenderID, msg.ReplyToEmailID)
			if err == nil {
				replyTo = &orig
			} else if awapi.ErrorKind(err) != awapi.KindNotFound {
				return awapi.Email{}, err
			}
		}
		if err := msg.Admit(&recipient, blocked > 0, replyTo); err != nil {
			return awapi.Email{}, err
		}
		sent, received := msg.Copies(sender.Nickname, recipient.Nickname)
		const insert = `INSERT INTO emails (owner_id, other_id, folder_id, outgoing, is_read, subject, body, sent_at,
			allow_face_picture, thread_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING email_id`
		args := func(e *awapi.Email) []any {
			return []any{e.OwnerID, e.OtherUserID, e.FolderID, e.Outgoing, e.Read, e.Subject, e.Body, micros(e.SentAt),
				e.AllowFacePicture, e.ThreadID}
		}
		if replyTo != nil {
			sent.ThreadID = replyTo.ThreadID
		}
		if err := tx.queryRow(ctx, insert, args(&sent)...).Scan(&sent.EmailID); err != nil {
			return awapi.Email{}, err
		}
		if sent.ThreadID == 0 { // a new thread is named after its first message
			sent.ThreadID = sent.EmailID
			if _, err := tx.exec(ctx, `UPDATE emails SET thread_id = ? WHERE email_id = ?`, sent.EmailID, sent.EmailID); err != nil {
				return awapi.Email{}, err
			}
		}
		received.ThreadID = sent.ThreadID
		if err := tx.queryRow(ctx, insert, args(&received)...).Scan(&received.EmailID); err != nil {
			return awapi.Email{}, err
		}
		cs := counts{}
		cs.add(sent.OwnerID, sent.FolderID, 1, 0)
		cs.add(received.OwnerID, received.FolderID, 1, 1)
		return sent, s.applyCounts(ctx, tx, cs)
	})
}

// relocate moves the owner's messages matching cond (on e) to folder to, or each to its built-in
// folder when home: it locks them, counts what leaves and enters each folder, and updates exactly
// the rows it locked.
func (s *DB) relocate(ctx context.Context, tx txConn, ownerID int64, cond string, args []any, to int64, home bool) error {
	rows, err := tx.query(ctx, `SELECT e.email_id, e.folder_id, e.outgoing, e.is_read FROM emails e
		WHERE e.owner_id = ? AND e.folder_id <> -2 AND `+cond+` ORDER BY e.email_id`+s.forUpdate(), append([]any{ownerID}, args...)...)
	if err != nil {
		return err
	}
	var ids []int64
	cs := counts{}
	for rows.Next() {
		var (
			id, folder     int64
			outgoing, read bool
		)
		if err := rows.Scan(&id, &folder, &outgoing, &read); err != nil {
			rows.Close()
			return err
		}
		dest := to
		if home {
			dest = (&awapi.Email{Outgoing: outgoing}).HomeFolder()
		}
		if dest != folder {
			ids = append(ids, id)
			cs.move(ownerID, folder, dest, read)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	in, list := anyOf(s, "email_id", ids)
	if home {
		_, err = tx.exec(ctx, `UPDATE emails SET folder_id = CASE WHEN outgoing THEN -1 ELSE 0 END WHERE `+in, list)
	} else {
		_, err = tx.exec(ctx, `UPDATE emails SET folder_id = ? WHERE `+in, to, list)
	}
	if err != nil {
		return err
	}
	return s.applyCounts(ctx, tx, cs)
}

// ManageEmail applies one action to one of the owner's messages in one transaction.
func (s *DB) ManageEmail(ctx context.Context, ownerID, emailID int64, a awapi.EmailAction, now time.Time) (_ awapi.Email, err error) {
	defer wrap(&err, "ManageEmail")
	return inTxValue(ctx, s, func(tx txConn) (awapi.Email, error) {
		e, err := s.readEmail(ctx, tx.conn, ownerID, emailID)
		if err != nil {
			return awapi.Email{}, err
		}
		to, spam, err := a.Apply(&e, func(folderID int64) bool {
			return s.ownFolder(ctx, tx.conn, ownerID, folderID, "MoveFolderID") == nil
		})
		if err != nil {
			return awapi.Email{}, err
		}
		if spam {
			if _, err := tx.exec(ctx, `INSERT INTO email_spam_reports (reporter_id, spammer_id, reported_at) VALUES (?, ?, ?)
				ON CONFLICT (reporter_id, spammer_id) DO NOTHING`, ownerID, e.OtherUserID, micros(now)); err != nil {
				return awapi.Email{}, err
			}
			err = s.relocate(ctx, tx, ownerID, `e.other_id = ? AND NOT e.outgoing`, []any{e.OtherUserID}, awapi.FolderDeleted, false)
		} else {
			err = s.relocate(ctx, tx, ownerID, `e.email_id = ?`, []any{emailID}, to, false)
		}
		if err != nil {
			return awapi.Email{}, err
		}
		return s.readEmail(ctx, tx.conn, ownerID, emailID)
	})
}

const unreadSQL = `SELECT COALESCE(SUM(unread), 0) FROM email_counts WHERE owner_id = ?`

// UnreadEmails sums the member's unread counters.
func (s *DB) UnreadEmails(ctx context.Context, ownerID int64) (_ int, err error) {
	defer wrap(&err, "UnreadEmails")
	var n int
	err = s.queryRow(ctx, unreadSQL, ownerID).Scan(&n)
	return n, err
}

// ChangeEmailFolders applies the changes in their documented order in one transaction, after Check
// approved them against the folders read in it.
func (s *DB) ChangeEmailFolders(ctx context.Context, ownerID int64, ch awapi.FolderChanges, now time.Time) (_ []awapi.EmailFolder, created int64, err error) {
	defer wrap(&err, "ChangeEmailFolders")
	fs, err := inTxValue(ctx, s, func(tx txConn) ([]awapi.EmailFolder, error) {
		created = 0
		// The member's row is locked so two calls cannot both create a 101st folder.
		if err := s.lockMember(ctx, tx, ownerID); err != nil {
			return nil, err
		}
		existing, err := s.emailFolders(ctx, tx.conn, ownerID)
		if err != nil {
			return nil, err
		}
		if err := ch.Check(existing); err != nil {
			return nil, err
		}
		if ch.NewFolderName != nil {
			if err := tx.queryRow(ctx, `INSERT INTO email_folders (owner_id, folder_name, name_lower, created_at) VALUES (?, ?, ?, ?)
				RETURNING folder_id`, ownerID, *ch.NewFolderName, strings.ToLower(*ch.NewFolderName), micros(now)).Scan(&created); err != nil {
				if isUniqueViolation(err) {
					return nil, awapi.Conflict("folder_name_taken", "You already have a folder named %q.", *ch.NewFolderName)
				}
				return nil, err
			}
		}
		if ch.FromFolderID != nil {
			to := *ch.ToFolderID
			if err := s.relocate(ctx, tx, ownerID, `e.folder_id = ?`, []any{*ch.FromFolderID}, to, to <= 0); err != nil {
				return nil, err
			}
		}
		if ch.ClearFolderID != nil {
			if err := s.relocate(ctx, tx, ownerID, `e.folder_id = ?`, []any{*ch.ClearFolderID}, awapi.FolderDeleted, false); err != nil {
				return nil, err
			}
		}
		if ch.DeleteFolderID != nil {
			id := *ch.DeleteFolderID
			if err := s.relocate(ctx, tx, ownerID, `e.folder_id = ?`, []any{id}, 0, true); err != nil {
				return nil, err
			}
			// Deleted messages that were in it stay deleted; they only lose a folder ID nobody lists.
			if _, err := tx.exec(ctx, `DELETE FROM email_counts WHERE owner_id = ? AND folder_id = ?`, ownerID, id); err != nil {
				return nil, err
			}
			if _, err := tx.exec(ctx, `DELETE FROM email_folders WHERE folder_id = ? AND owner_id = ?`, id, ownerID); err != nil {
				return nil, err
			}
		}
		return s.emailFolders(ctx, tx.conn, ownerID)
	})
	if err != nil {
		return nil, 0, err
	}
	return fs, created, nil
}

// SpamReports lists the members ownerID reported, by ID.
func (s *DB) SpamReports(ctx context.Context, ownerID int64) (_ []int64, err error) {
	defer wrap(&err, "SpamReports")
	rows, err := s.query(ctx, `SELECT spammer_id FROM email_spam_reports WHERE reporter_id = ? ORDER BY spammer_id`, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// InsertEmailFolders bulk-inserts folders with their IDs.
func (s *DB) InsertEmailFolders(ctx context.Context, fs []awapi.EmailFolder) (err error) {
	defer wrap(&err, "InsertEmailFolders")
	err = s.insertRows(ctx, "email_folders", "folder_id, owner_id, folder_name, name_lower, created_at", 5, len(fs), func(i int) []any {
		f := &fs[i]
		return []any{f.FolderID, f.OwnerID, f.FolderName, strings.ToLower(f.FolderName), micros(f.CreatedAt)}
	})
	if err == nil {
		err = s.resetIdentity(ctx, "email_folders", "folder_id")
	}
	return err
}

// InsertEmails bulk-inserts messages with their IDs and recounts their owners' counters, in one
// transaction.
func (s *DB) InsertEmails(ctx context.Context, es []awapi.Email) (err error) {
	defer wrap(&err, "InsertEmails")
	err = s.inTx(ctx, func(tx txConn) error {
		if err := s.insertEmailRows(ctx, tx, es); err != nil {
			return err
		}
		owners := make([]int64, 0, len(es))
		for i := range es {
			owners = append(owners, es[i].OwnerID)
		}
		slices.Sort(owners)
		in, list := anyOf(s, "owner_id", slices.Compact(owners))
		return s.recount(ctx, tx, `WHERE `+in, list)
	})
	if err == nil {
		err = s.resetIdentity(ctx, "emails", "email_id")
	}
	return err
}

func (s *DB) insertEmailRows(ctx context.Context, tx txConn, es []awapi.Email) error {
	return s.insertRowsTx(ctx, tx, "emails", `email_id, owner_id, other_id, folder_id, outgoing, is_read, subject, body, sent_at,
		allow_face_picture, thread_id`, 11, len(es), func(i int) []any {
		e := &es[i]
		return []any{e.EmailID, e.OwnerID, e.OtherUserID, e.FolderID, e.Outgoing, e.Read, e.Subject, e.Body, micros(e.SentAt),
			e.AllowFacePicture, e.ThreadID}
	})
}

// recount sets the counters of the owners matching where (on emails' owner_id) from their messages.
func (s *DB) recount(ctx context.Context, tx txConn, where string, args ...any) error {
	if _, err := tx.exec(ctx, `DELETE FROM email_counts `+where, args...); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO email_counts (owner_id, folder_id, total, unread)
		SELECT owner_id, folder_id, COUNT(*), SUM(CASE WHEN is_read THEN 0 ELSE 1 END) FROM emails
		`+where+` AND folder_id <> -2 GROUP BY owner_id, folder_id`, args...)
	return err
}

// explain explains one statement as the engine would plan it for args.
func (s *DB) explain(ctx context.Context, query string, args []any) ([]string, error) {
	explain := `EXPLAIN QUERY PLAN `
	if s.engine == Postgres {
		explain = `EXPLAIN `
	}
	return explainPlan(ctx, s.pool(), explain+query, args)
}
