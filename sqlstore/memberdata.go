package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// Member-owned data: hotlists, the blacklist and account settings (api-v1.md §2.1, §2.4, §2.10).
//
// Concurrency: every change that checks before it writes (list limits, name uniqueness, adding a
// member once) runs in one transaction that first locks the owner's member row (FOR UPDATE on
// PostgreSQL; SQLite's immediate transactions already run one writer at a time), so two requests for
// the same member are serialised on any number of instances. Name uniqueness is also a unique index,
// and an entry is inserted with ON CONFLICT DO NOTHING, so a duplicate can never be stored.

var _ awapi.MemberDataStore = (*DB)(nil)

// lockMember locks a member's row for the rest of tx; an unknown member is KindNotFound.
func (s *DB) lockMember(ctx context.Context, tx txConn, userID int64) error {
	var id int64
	err := tx.queryRow(ctx, `SELECT user_id FROM members WHERE user_id = ?`+s.forUpdate(), userID).Scan(&id)
	return notFound(err, "The member")
}

// ownedHotList checks, in tx, that listID belongs to userID; anyone else's list is not found.
func (s *DB) ownedHotList(ctx context.Context, q conn, userID, listID int64) error {
	var owner int64
	err := q.queryRow(ctx, `SELECT user_id FROM hotlists WHERE list_id = ?`, listID).Scan(&owner)
	if err == nil && owner != userID {
		err = sql.ErrNoRows
	}
	return notFound(err, "The hotlist")
}

const hotListColumns = `h.list_id, h.user_id, m.nickname, h.list_name, h.created_at, h.updated_at,
	(SELECT COUNT(*) FROM hotlist_members hm WHERE hm.list_id = h.list_id)`

func scanHotList(row interface{ Scan(...any) error }) (awapi.HotList, error) {
	var (
		h                awapi.HotList
		created, updated int64
	)
	err := row.Scan(&h.ListID, &h.UserID, &h.OwnerNickname, &h.ListName, &created, &updated, &h.MemberCount)
	h.CreatedAt, h.UpdatedAt = fromMicros(created), fromMicros(updated)
	return h, err
}

func (s *DB) readHotList(ctx context.Context, q conn, userID, listID int64) (awapi.HotList, error) {
	h, err := scanHotList(q.queryRow(ctx, `SELECT `+hotListColumns+`
		FROM hotlists h JOIN members m ON m.user_id = h.user_id WHERE h.list_id = ? AND h.user_id = ?`, listID, userID))
	return h, notFound(err, "The hotlist")
}

// HotLists lists a member's hotlists by name, with their member counts.
func (s *DB) HotLists(ctx context.Context, userID int64) (_ []awapi.HotList, err error) {
	defer wrap(&err, "HotLists")
	rows, err := s.query(ctx, `SELECT `+hotListColumns+`
		FROM hotlists h JOIN members m ON m.user_id = h.user_id WHERE h.user_id = ? ORDER BY h.name_lower, h.list_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.HotList{}
	for rows.Next() {
		h, err := scanHotList(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// interactions counts the bookings between the owner (?) and the entry's member, in either
// direction, and finds the latest; the two halves each use an index (client_id, performer_id).
const interactions = `
	FROM bookings b JOIN booking_invitations i ON i.booking_id = b.booking_id
	WHERE b.client_id = ? AND i.performer_id = e.member_id`
const interactionsReverse = `
	FROM bookings b JOIN booking_invitations i ON i.booking_id = b.booking_id
	WHERE i.performer_id = ? AND b.client_id = e.member_id`

// HotList reads one of the member's lists with its entries, oldest entry first.
func (s *DB) HotList(ctx context.Context, userID, listID int64) (_ awapi.HotList, _ []awapi.HotListEntry, err error) {
	defer wrap(&err, "HotList")
	h, err := s.readHotList(ctx, s.pool(), userID, listID)
	if err != nil {
		return h, nil, err
	}
	entries, err := s.hotListEntries(ctx, s.pool(), userID, listID, 0)
	return h, entries, err
}

// hotListEntries reads a list's entries, or only memberID's when it is not 0.
func (s *DB) hotListEntries(ctx context.Context, q conn, userID, listID, memberID int64) ([]awapi.HotListEntry, error) {
	filter := ""
	args := []any{userID, userID, userID, userID, listID}
	if memberID != 0 {
		filter, args = " AND e.member_id = ?", append(args, memberID)
	}
	rows, err := q.query(ctx, `SELECT e.member_id, m.nickname, e.notes, e.added_at, e.updated_at,
			(SELECT COUNT(*)`+interactions+`) + (SELECT COUNT(*)`+interactionsReverse+`),
			(SELECT COALESCE(MAX(b.created_at), 0)`+interactions+`),
			(SELECT COALESCE(MAX(b.created_at), 0)`+interactionsReverse+`)
		FROM hotlist_members e JOIN members m ON m.user_id = e.member_id
		WHERE e.list_id = ?`+filter+` ORDER BY e.added_at, e.member_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.HotListEntry{}
	for rows.Next() {
		var (
			e                      awapi.HotListEntry
			added, updated, l1, l2 int64
		)
		if err := rows.Scan(&e.UserID, &e.Nickname, &e.Notes, &added, &updated, &e.InteractionCount, &l1, &l2); err != nil {
			return nil, err
		}
		e.AddedAt, e.LastUpdated, e.LastInteraction = fromMicros(added), fromMicros(updated), fromMicros(max(l1, l2))
		out = append(out, e)
	}
	return out, rows.Err()
}

// CreateHotList creates a list after checking the owner's limit and the name, under the owner's lock.
func (s *DB) CreateHotList(ctx context.Context, userID int64, name string, now time.Time) (_ awapi.HotList, err error) {
	defer wrap(&err, "CreateHotList")
	return inTxValue(ctx, s, func(tx txConn) (awapi.HotList, error) {
		if err := s.lockMember(ctx, tx, userID); err != nil {
			return awapi.HotList{}, err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM hotlists WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return awapi.HotList{}, err
		}
		if n >= awapi.MaxHotListsPerUser {
			return awapi.HotList{}, awapi.Conflict("hotlist_limit_reached", "You already have %d hotlists, the most a member may have.", n)
		}
		var id int64
		err := tx.queryRow(ctx, `INSERT INTO hotlists (user_id, list_name, name_lower, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING list_id`, userID, name, strings.ToLower(name), micros(now), micros(now)).Scan(&id)
		if err != nil {
			return awapi.HotList{}, hotListNameTaken(err, name)
		}
		return s.readHotList(ctx, tx.conn, userID, id)
	})
}

func hotListNameTaken(err error, name string) error {
	if isUniqueViolation(err) {
		return awapi.Conflict("hotlist_name_taken", "You already have a hotlist named %q.", name)
	}
	return err
}

// RenameHotList renames one of the member's lists; the new name must be free among their lists.
func (s *DB) RenameHotList(ctx context.Context, userID, listID int64, name string, now time.Time) (_ awapi.HotList, err error) {
	defer wrap(&err, "RenameHotList")
	return inTxValue(ctx, s, func(tx txConn) (awapi.HotList, error) {
		if err := s.ownedHotList(ctx, tx.conn, userID, listID); err != nil {
			return awapi.HotList{}, err
		}
		if _, err := tx.exec(ctx, `UPDATE hotlists SET list_name = ?, name_lower = ?, updated_at = ? WHERE list_id = ?`,
			name, strings.ToLower(name), micros(now), listID); err != nil {
			return awapi.HotList{}, hotListNameTaken(err, name)
		}
		return s.readHotList(ctx, tx.conn, userID, listID)
	})
}

// DeleteHotList deletes one of the member's lists and its entries.
func (s *DB) DeleteHotList(ctx context.Context, userID, listID int64) (err error) {
	defer wrap(&err, "DeleteHotList")
	return s.inTx(ctx, func(tx txConn) error {
		if err := s.ownedHotList(ctx, tx.conn, userID, listID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM hotlist_members WHERE list_id = ?`, listID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM hotlists WHERE list_id = ?`, listID)
		return err
	})
}

// checkMembers rejects the owner and unknown members among ids, naming field: the whole batch is
// refused before anything is written.
func (s *DB) checkMembers(ctx context.Context, q conn, field string, userID int64, ids []int64) error {
	if slices.Contains(ids, userID) {
		return awapi.InvalidField(field, "%s cannot include yourself.", field)
	}
	in, list := anyOf(s, "user_id", ids)
	rows, err := q.query(ctx, `SELECT user_id FROM members WHERE `+in, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	known := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		known[id] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var unknown []string
	for _, id := range ids {
		if !known[id] {
			unknown = append(unknown, strconv.FormatInt(id, 10))
		}
	}
	if len(unknown) > 0 {
		return awapi.InvalidField(field, "%s holds unknown members: %s.", field, strings.Join(unknown, ", "))
	}
	return nil
}

// eachItem runs stmt once per member ID and answers per item: Done when it touched a row, else miss.
// At most room may be done (a negative room is no bound); the IDs beyond it answer full.
func (s *DB) eachItem(ctx context.Context, tx txConn, stmt string, ids []int64, args func(id int64) []any,
	miss string, room int, full string) ([]awapi.ItemResult, error) {
	out := make([]awapi.ItemResult, 0, len(ids))
	for _, id := range ids {
		if room == 0 {
			out = append(out, awapi.ItemResult{UserID: id, Message: full})
			continue
		}
		n, err := tx.execCount(ctx, stmt, args(id)...)
		if err != nil {
			return nil, err
		}
		r := awapi.ItemResult{UserID: id, Done: n == 1}
		if n == 1 {
			room--
		} else {
			r.Message = miss
		}
		out = append(out, r)
	}
	return out, nil
}

// AddHotListMembers adds members to one of the owner's lists, per item; the list's limit applies.
func (s *DB) AddHotListMembers(ctx context.Context, userID, listID int64, memberIDs []int64, now time.Time) (_ []awapi.ItemResult, err error) {
	defer wrap(&err, "AddHotListMembers")
	return inTxValue(ctx, s, func(tx txConn) ([]awapi.ItemResult, error) {
		if err := s.lockMember(ctx, tx, userID); err != nil {
			return nil, err
		}
		if err := s.ownedHotList(ctx, tx.conn, userID, listID); err != nil {
			return nil, err
		}
		if err := s.checkMembers(ctx, tx.conn, "UserIDs", userID, memberIDs); err != nil {
			return nil, err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM hotlist_members WHERE list_id = ?`, listID).Scan(&n); err != nil {
			return nil, err
		}
		out, err := s.eachItem(ctx, tx, `INSERT INTO hotlist_members (list_id, member_id, added_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, memberIDs, func(id int64) []any { return []any{listID, id, micros(now), micros(now)} },
			"Already on the list.", max(0, awapi.MaxHotListMembers-n), fmt.Sprintf("The hotlist is full (%d members).", awapi.MaxHotListMembers))
		if err != nil {
			return nil, err
		}
		return out, s.touchHotList(ctx, tx, listID, now)
	})
}

func (s *DB) touchHotList(ctx context.Context, tx txConn, listID int64, now time.Time) error {
	_, err := tx.exec(ctx, `UPDATE hotlists SET updated_at = ? WHERE list_id = ?`, micros(now), listID)
	return err
}

// SetHotListNotes replaces one entry's notes.
func (s *DB) SetHotListNotes(ctx context.Context, userID, listID, memberID int64, notes string, now time.Time) (_ awapi.HotListEntry, err error) {
	defer wrap(&err, "SetHotListNotes")
	return inTxValue(ctx, s, func(tx txConn) (awapi.HotListEntry, error) {
		if err := s.ownedHotList(ctx, tx.conn, userID, listID); err != nil {
			return awapi.HotListEntry{}, err
		}
		n, err := tx.execCount(ctx, `UPDATE hotlist_members SET notes = ?, updated_at = ? WHERE list_id = ? AND member_id = ?`,
			notes, micros(now), listID, memberID)
		if err != nil {
			return awapi.HotListEntry{}, err
		}
		if n == 0 {
			return awapi.HotListEntry{}, awapi.NotFound("The member on this hotlist")
		}
		es, err := s.hotListEntries(ctx, tx.conn, userID, listID, memberID)
		if err != nil {
			return awapi.HotListEntry{}, err
		}
		return es[0], s.touchHotList(ctx, tx, listID, now)
	})
}

// RemoveHotListMembers removes members from one of the owner's lists, per item.
func (s *DB) RemoveHotListMembers(ctx context.Context, userID, listID int64, memberIDs []int64, now time.Time) (_ []awapi.ItemResult, err error) {
	defer wrap(&err, "RemoveHotListMembers")
	return inTxValue(ctx, s, func(tx txConn) ([]awapi.ItemResult, error) {
		if err := s.ownedHotList(ctx, tx.conn, userID, listID); err != nil {
			return nil, err
		}
		out, err := s.eachItem(ctx, tx, `DELETE FROM hotlist_members WHERE list_id = ? AND member_id = ?`, memberIDs,
			func(id int64) []any { return []any{listID, id} }, "Not on the list.", -1, "")
		if err != nil {
			return nil, err
		}
		return out, s.touchHotList(ctx, tx, listID, now)
	})
}

// Blacklist pages the members userID blacklisted, most recently added first.
func (s *DB) Blacklist(ctx context.Context, userID int64, page awapi.Page) (_ []int64, _ int, err error) {
	defer wrap(&err, "Blacklist")
	search := &pagedQuery{from: `FROM blacklist`, where: `WHERE user_id = ?`, args: []any{userID}, cols: `blocked_id`,
		order: `added_at DESC, blocked_id DESC`}
	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	out := []int64{}
	if total == 0 || page.Size <= 0 {
		return out, total, nil
	}
	rows, err := search.page(ctx, s.pool(), page.Size, max(0, page.Offset()))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, err
		}
		out = append(out, id)
	}
	return out, total, rows.Err()
}

// AddToBlacklist blacklists members, per item, up to awapi.MaxBlacklist.
func (s *DB) AddToBlacklist(ctx context.Context, userID int64, memberIDs []int64, now time.Time) (_ []awapi.ItemResult, err error) {
	defer wrap(&err, "AddToBlacklist")
	return inTxValue(ctx, s, func(tx txConn) ([]awapi.ItemResult, error) {
		if err := s.lockMember(ctx, tx, userID); err != nil {
			return nil, err
		}
		if err := s.checkMembers(ctx, tx.conn, "UserIDs", userID, memberIDs); err != nil {
			return nil, err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM blacklist WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return nil, err
		}
		return s.eachItem(ctx, tx, `INSERT INTO blacklist (user_id, blocked_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			memberIDs, func(id int64) []any { return []any{userID, id, micros(now)} },
			"Already on the list.", max(0, awapi.MaxBlacklist-n), fmt.Sprintf("The blacklist is full (%d members).", awapi.MaxBlacklist))
	})
}

// RemoveFromBlacklist removes members from the blacklist, per item.
func (s *DB) RemoveFromBlacklist(ctx context.Context, userID int64, memberIDs []int64) (_ []awapi.ItemResult, err error) {
	defer wrap(&err, "RemoveFromBlacklist")
	return inTxValue(ctx, s, func(tx txConn) ([]awapi.ItemResult, error) {
		return s.eachItem(ctx, tx, `DELETE FROM blacklist WHERE user_id = ? AND blocked_id = ?`, memberIDs,
			func(id int64) []any { return []any{userID, id} }, "Not on the list.", -1, "")
	})
}

// BlacklistedAmong returns which candidates userID blacklisted, with one indexed query.
func (s *DB) BlacklistedAmong(ctx context.Context, userID int64, candidates []int64) (_ map[int64]bool, err error) {
	defer wrap(&err, "BlacklistedAmong")
	out := map[int64]bool{}
	if len(candidates) == 0 {
		return out, nil
	}
	in, list := anyOf(s, "blocked_id", candidates)
	rows, err := s.query(ctx, `SELECT blocked_id FROM blacklist WHERE user_id = ? AND `+in, userID, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// NotBlacklistedBy is the SQL condition, for queries over members aliased so that memberColumn names
// a member's user_id, that keeps out the members the viewer (the one ? it binds) blacklisted. Search
// composes it into its WHERE clause so exclusion is one anti-join on the blacklist's primary key.
func NotBlacklistedBy(memberColumn string) string {
	return `NOT EXISTS (SELECT 1 FROM blacklist bl WHERE bl.user_id = ? AND bl.blocked_id = ` + memberColumn + `)`
}

// Account settings.

// Details, TVTS and in/out calls are member columns the public profile reads too (migration 00005);
// the rest live in member_settings.
const settingsColumns = `enjoys, enjoys_with, alternatives, other_services, group_can_login`

// parseIDs reads a stored ID list (parse.FormatIntList), skipping anything that is not a number.
func parseIDs(s string) []int {
	out := []int{}
	for f := range strings.SplitSeq(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (s *DB) accountSettings(ctx context.Context, q conn, userID int64) (awapi.AccountSettings, error) {
	var (
		st                                    awapi.AccountSettings
		enjoys, with, alternatives, otherServ string
	)
	err := q.queryRow(ctx, `SELECT m.details, m.tvts, m.does_in_calls, m.does_out_calls,
			COALESCE(s.enjoys, ''), COALESCE(s.enjoys_with, ''), COALESCE(s.alternatives, ''),
			COALESCE(s.other_services, ''), COALESCE(s.group_can_login, FALSE)
		FROM members m LEFT JOIN member_settings s ON s.user_id = m.user_id WHERE m.user_id = ?`, userID).
		Scan(&st.Details, &st.TVTS, &st.InCalls, &st.OutCalls, &enjoys, &with, &alternatives, &otherServ, &st.GroupCanLogin)
	if errors.Is(err, sql.ErrNoRows) {
		return awapi.AccountSettings{Enjoys: []int{}, EnjoysWith: []int{}, Alternatives: []int{}, OtherServices: []int{}}, nil
	}
	st.Enjoys, st.EnjoysWith, st.Alternatives, st.OtherServices = parseIDs(enjoys), parseIDs(with), parseIDs(alternatives), parseIDs(otherServ)
	return st, err
}

// AccountSettings reads a member's settings; a member without a row has the zero settings.
func (s *DB) AccountSettings(ctx context.Context, userID int64) (_ awapi.AccountSettings, err error) {
	defer wrap(&err, "AccountSettings")
	if _, err := s.Member(ctx, userID); err != nil {
		return awapi.AccountSettings{}, err
	}
	return s.accountSettings(ctx, s.pool(), userID)
}

func (s *DB) saveSettings(ctx context.Context, tx txConn, userID int64, st awapi.AccountSettings) error {
	if _, err := tx.exec(ctx, `UPDATE members SET details = ?, tvts = ?, does_in_calls = ?, does_out_calls = ?
		WHERE user_id = ?`, st.Details, st.TVTS, st.InCalls, st.OutCalls, userID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO member_settings (user_id, `+settingsColumns+`)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET enjoys = excluded.enjoys, enjoys_with = excluded.enjoys_with,
			alternatives = excluded.alternatives, other_services = excluded.other_services,
			group_can_login = excluded.group_can_login`,
		userID, parse.FormatIntList(st.Enjoys), parse.FormatIntList(st.EnjoysWith), parse.FormatIntList(st.Alternatives), parse.FormatIntList(st.OtherServices), st.GroupCanLogin)
	return err
}

// updateMember runs a read-modify-write of a member and their settings in one transaction under the
// member's lock, so concurrent partial updates never lose each other's fields.
func (s *DB) updateMember(ctx context.Context, userID int64, now time.Time,
	change func(m *awapi.Member, st *awapi.AccountSettings) error) (awapi.Member, awapi.AccountSettings, error) {
	var (
		m  awapi.Member
		st awapi.AccountSettings
	)
	err := s.inTx(ctx, func(tx txConn) error {
		if err := s.lockMember(ctx, tx, userID); err != nil {
			return err
		}
		var err error
		if m, err = scanMember(tx.queryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE user_id = ?`, userID)); err != nil {
			return err
		}
		if st, err = s.accountSettings(ctx, tx.conn, userID); err != nil {
			return err
		}
		if err := change(&m, &st); err != nil {
			return err
		}
		m.LastUpdated = fromMicros(micros(now))
		if _, err := tx.exec(ctx, `UPDATE members SET summary = ?, region_id = ?, county_id = ?, town = ?,
				post_code = ?, gender_id = ?, orientation_id = ?, user_type_id = ?, is_escort = ?, is_webcam = ?,
				is_phone_chat = ?, is_sms_chat = ?, is_content = ?, is_alternative = ?, is_other_services = ?,
				last_updated = ?
			WHERE user_id = ?`,
			m.Summary, m.RegionID, m.CountyID, m.Town, m.PostCode, m.GenderID, m.OrientationID, m.UserTypeID,
			m.IsEscort, m.IsWebcam, m.IsPhoneChat, m.IsSMSChat, m.IsContent, m.IsAlternative, m.IsOtherServices,
			micros(now), userID); err != nil {
			return err
		}
		return s.saveSettings(ctx, tx, userID, st)
	})
	return m, st, err
}

// UpdateServices applies Account/UpdateServices: the user type, the flags and their ID lists.
func (s *DB) UpdateServices(ctx context.Context, userID int64, u awapi.ServicesUpdate, now time.Time) (_ awapi.Member, _ awapi.AccountSettings, err error) {
	defer wrap(&err, "UpdateServices")
	u.Normalize()
	return s.updateMember(ctx, userID, now, func(m *awapi.Member, st *awapi.AccountSettings) error {
		m.UserTypeID = awapi.UserTypeSeeking
		if u.Offering {
			m.UserTypeID = awapi.UserTypeOffering
		}
		m.Services = u.Services
		st.Alternatives, st.OtherServices = orEmpty(u.Alternatives), orEmpty(u.OtherServices)
		return nil
	})
}

func orEmpty(ids []int) []int {
	if ids == nil {
		return []int{}
	}
	return ids
}

// UpdateAccount applies the supplied fields of Account/Update. Location consistency is checked
// against the row read under the lock, so it holds however updates interleave.
func (s *DB) UpdateAccount(ctx context.Context, userID int64, u awapi.AccountUpdate, now time.Time) (_ awapi.Member, _ awapi.AccountSettings, err error) {
	defer wrap(&err, "UpdateAccount")
	return s.updateMember(ctx, userID, now, func(m *awapi.Member, st *awapi.AccountSettings) error {
		var v awapi.Validation
		region, county := u.Resolve(*m, &v)
		if err := v.Err(); err != nil {
			return err
		}
		m.RegionID, m.CountyID = region, county
		set(&m.Summary, u.Summary)
		set(&m.Town, u.Town)
		set(&m.PostCode, u.PostCode)
		set(&m.GenderID, u.GenderID)
		set(&m.OrientationID, u.OrientationID)
		set(&st.Details, u.Details)
		set(&st.TVTS, u.TVTS)
		set(&st.InCalls, u.InCalls)
		set(&st.OutCalls, u.OutCalls)
		if u.Enjoys != nil {
			st.Enjoys = u.Enjoys
		}
		if u.EnjoysWith != nil {
			st.EnjoysWith = u.EnjoysWith
		}
		return nil
	})
}

// set assigns *v to *dst when v is supplied.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// lockMemberIDs serialises the creation of members until tx ends: an advisory lock on PostgreSQL,
// while SQLite's immediate transactions already admit one writer at a time. New IDs are MAX+1 (so
// both engines number members alike), which is only safe under this lock.
func (s *DB) lockMemberIDs(ctx context.Context, tx txConn) error {
	if s.engine != Postgres {
		return nil
	}
	_, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(8008)`)
	return err
}

// insertNewMember inserts m under lockMemberIDs, numbering it MAX+1 when it has no ID yet.
func (s *DB) insertNewMember(ctx context.Context, tx txConn, m *awapi.Member) error {
	if m.UserID == 0 {
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(user_id), 0) + 1 FROM members`).Scan(&m.UserID); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO members (`+memberColumns+`) VALUES (`+marks(memberColumnCount)+`)`,
		memberArgs(m)...); err != nil {
		if isUniqueViolation(err) {
			return awapi.Conflict("nickname_taken", "The nickname %q is already taken.", m.Nickname)
		}
		return err
	}
	return nil
}

// RegisterMember creates a group member. Registrations are serialised (lockMemberIDs), so the email
// check, the ID and the insert cannot race.
func (s *DB) RegisterMember(ctx context.Context, m awapi.Member, st awapi.AccountSettings, sharedEmailOwner int64) (_ awapi.Member, err error) {
	defer wrap(&err, "RegisterMember")
	err = s.inTx(ctx, func(tx txConn) error {
		if err := s.lockMemberIDs(ctx, tx); err != nil {
			return err
		}
		var taken int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM members WHERE nickname_lower = ?`, strings.ToLower(m.Nickname)).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return awapi.Conflict("nickname_taken", "The nickname %q is already taken.", m.Nickname)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM members WHERE lower(email) = lower(?) AND user_id <> ?`,
			m.Email, sharedEmailOwner).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return awapi.Conflict("email_taken", "The email address is already used by another member.")
		}
		m.UserID = 0
		if err := s.insertNewMember(ctx, tx, &m); err != nil {
			return err
		}
		return s.saveSettings(ctx, tx, m.UserID, st)
	})
	if err != nil {
		return awapi.Member{}, err
	}
	return m, s.resetIdentity(ctx, "members", "user_id")
}
