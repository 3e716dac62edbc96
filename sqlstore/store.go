package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// Meta reads an installation fact.
func (s *DB) Meta(ctx context.Context, key string) (_ string, _ bool, err error) {
	defer wrap(&err, "Meta")
	var v string
	err = s.queryRow(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

// SetMeta records an installation fact.
func (s *DB) SetMeta(ctx context.Context, key, value string) (err error) {
	defer wrap(&err, "SetMeta")
	_, err = s.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SetMetaIfAbsent records a fact unless the key is already set.
func (s *DB) SetMetaIfAbsent(ctx context.Context, key, value string) (err error) {
	defer wrap(&err, "SetMetaIfAbsent")
	_, err = s.exec(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	return err
}

// CreateProject registers a project with its hashed API key and secret.
func (s *DB) CreateProject(ctx context.Context, p awapi.NewProject) (_ awapi.Project, err error) {
	defer wrap(&err, "CreateProject")
	var id int64
	err = s.queryRow(ctx, `INSERT INTO projects (name, api_key_digest, api_key_prefix, api_secret_digest, approved, created_at, origins)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING project_id`,
		p.Name, p.APIKeyDigest, p.APIKeyPrefix, p.APISecretDigest, p.Approved, micros(s.clock.Now()), strings.Join(p.Origins, "\n")).Scan(&id)
	if err != nil {
		return awapi.Project{}, err
	}
	return awapi.Project{ProjectID: id, Name: p.Name, Approved: p.Approved, Origins: slices.Clone(p.Origins)}, nil
}

// ProjectByAPIKey finds a project by the digest of its API key.
func (s *DB) ProjectByAPIKey(ctx context.Context, keyDigest []byte) (_ awapi.Project, _ awapi.APISecret, err error) {
	defer wrap(&err, "ProjectByAPIKey")
	var (
		p       awapi.Project
		secret  []byte
		origins string
	)
	err = s.queryRow(ctx, `SELECT project_id, name, approved, api_secret_digest, origins FROM projects WHERE api_key_digest = ?`,
		keyDigest).Scan(&p.ProjectID, &p.Name, &p.Approved, &secret, &origins)
	p.Origins = splitLines(origins)
	return p, secret, notFound(err, "The API key")
}

// CreateAccessToken records an issued bearer token by its digest.
func (s *DB) CreateAccessToken(ctx context.Context, digest []byte, t awapi.AccessToken) (err error) {
	defer wrap(&err, "CreateAccessToken")
	_, err = s.exec(ctx, `INSERT INTO access_tokens (token_digest, user_id, project_id, scopes, expires_at)
		VALUES (?, ?, ?, ?, ?)`, digest, t.UserID, t.ProjectID, t.Scopes.String(), micros(t.ExpiresAt))
	return err
}

// AccessToken finds a live token and its project with one indexed lookup.
func (s *DB) AccessToken(ctx context.Context, digest []byte, now time.Time) (_ awapi.AccessToken, _ awapi.Project, err error) {
	defer wrap(&err, "AccessToken")
	var (
		t       awapi.AccessToken
		p       awapi.Project
		scopes  string
		expires int64
		origins string
	)
	err = s.queryRow(ctx, `SELECT t.user_id, t.project_id, t.scopes, t.expires_at, p.name, p.approved, p.origins
		FROM access_tokens t JOIN projects p ON p.project_id = t.project_id
		WHERE t.token_digest = ? AND NOT t.revoked AND t.expires_at > ?`, digest, micros(now)).
		Scan(&t.UserID, &t.ProjectID, &scopes, &expires, &p.Name, &p.Approved, &origins)
	if err != nil {
		return t, p, notFound(err, "The access token")
	}
	t.Scopes = awapi.ParseScopes(scopes)
	t.ExpiresAt = fromMicros(expires)
	p.ProjectID = t.ProjectID
	p.Origins = splitLines(origins)
	return t, p, nil
}

// ProjectOrigins lists the origins all projects registered, each once, sorted. Projects are few, so
// this reads them all; the server caches the answer for its CORS preflights.
func (s *DB) ProjectOrigins(ctx context.Context) (_ []string, err error) {
	defer wrap(&err, "ProjectOrigins")
	rows, err := s.query(ctx, `SELECT origins FROM projects WHERE origins <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var origins string
		if err := rows.Scan(&origins); err != nil {
			return nil, err
		}
		out = append(out, splitLines(origins)...)
	}
	slices.Sort(out)
	return slices.Compact(out), rows.Err()
}

// CreateGroup creates an agency group, with the given ID when it is set.
func (s *DB) CreateGroup(ctx context.Context, g awapi.Group) (_ awapi.Group, err error) {
	defer wrap(&err, "CreateGroup")
	if g.GroupID != 0 {
		_, err := s.exec(ctx, `INSERT INTO groups (group_id, group_name) VALUES (?, ?)`, g.GroupID, g.GroupName)
		if err == nil {
			err = s.resetIdentity(ctx, "groups", "group_id")
		}
		return g, err
	}
	err = s.queryRow(ctx, `INSERT INTO groups (group_name) VALUES (?) RETURNING group_id`, g.GroupName).Scan(&g.GroupID)
	return g, err
}

// Group reads one group.
func (s *DB) Group(ctx context.Context, groupID int64) (_ awapi.Group, err error) {
	defer wrap(&err, "Group")
	g := awapi.Group{GroupID: groupID}
	err = s.queryRow(ctx, `SELECT group_name FROM groups WHERE group_id = ?`, groupID).Scan(&g.GroupName)
	return g, notFound(err, "The group")
}

// resetIdentity moves a PostgreSQL identity past explicitly inserted IDs; SQLite needs nothing.
func (s *DB) resetIdentity(ctx context.Context, table, column string) error {
	if s.engine != Postgres {
		return nil
	}
	_, err := s.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', '`+column+`'),
		GREATEST((SELECT COALESCE(MAX(`+column+`), 0) FROM `+table+`), 1))`)
	return err
}

const memberColumns = `user_id, nickname, nickname_lower, email, password_hash, birth_date, user_type_id, gender_id,
	orientation_id, country_id, region_id, county_id, town, post_code, group_id, is_group_manager, is_age_verified,
	is_active, verified, summary, is_escort, is_webcam, is_phone_chat, is_sms_chat, is_content, is_alternative,
	is_other_services, directchat_only, registered_at, last_login, last_updated, mobile_number, mobile_verified,
	show_mobile_number, ` + profileFactColumns

var memberColumnCount = strings.Count(memberColumns, ",") + 1

func memberArgs(m *awapi.Member) []any {
	var group any
	if m.GroupID != 0 {
		group = m.GroupID
	}
	args := []any{m.UserID, m.Nickname, strings.ToLower(m.Nickname), m.Email, m.PasswordHash, micros(m.BirthDate),
		m.UserTypeID, m.GenderID, m.OrientationID, m.CountryID, m.RegionID, m.CountyID, m.Town, m.PostCode, group,
		m.IsGroupManager, m.IsAgeVerified, m.IsActive, m.Verified, m.Summary, m.IsEscort, m.IsWebcam, m.IsPhoneChat,
		m.IsSMSChat, m.IsContent, m.IsAlternative, m.IsOtherServices, m.DirectChatOnly, micros(m.RegisteredAt),
		micros(m.LastLogin), micros(m.LastUpdated), m.MobileNumber, m.MobileVerified, m.ShowMobileNumber}
	return append(args, profileFactArgs(&m.ProfileFacts)...)
}

func scanMember(row interface{ Scan(...any) error }) (awapi.Member, error) {
	var (
		m                             awapi.Member
		lower                         string
		group                         sql.NullInt64
		birth, registered, login, upd int64
		facts                         factTimes
	)
	dests := []any{&m.UserID, &m.Nickname, &lower, &m.Email, &m.PasswordHash, &birth, &m.UserTypeID, &m.GenderID,
		&m.OrientationID, &m.CountryID, &m.RegionID, &m.CountyID, &m.Town, &m.PostCode, &group, &m.IsGroupManager,
		&m.IsAgeVerified, &m.IsActive, &m.Verified, &m.Summary, &m.IsEscort, &m.IsWebcam, &m.IsPhoneChat, &m.IsSMSChat,
		&m.IsContent, &m.IsAlternative, &m.IsOtherServices, &m.DirectChatOnly, &registered, &login, &upd,
		&m.MobileNumber, &m.MobileVerified, &m.ShowMobileNumber}
	err := row.Scan(append(dests, profileFactDests(&m.ProfileFacts, &facts)...)...)
	facts.apply(&m.ProfileFacts)
	m.GroupID = group.Int64
	m.BirthDate, m.RegisteredAt, m.LastLogin, m.LastUpdated = fromMicros(birth), fromMicros(registered), fromMicros(login), fromMicros(upd)
	return m, err
}

// CreateMember inserts one member; a zero UserID is assigned by the database.
func (s *DB) CreateMember(ctx context.Context, m awapi.Member) (_ awapi.Member, err error) {
	defer wrap(&err, "CreateMember")
	err = s.inTx(ctx, func(tx txConn) error {
		if err := s.lockMemberIDs(ctx, tx); err != nil {
			return err
		}
		return s.insertNewMember(ctx, tx, &m)
	})
	if err != nil {
		return m, err
	}
	return m, s.resetIdentity(ctx, "members", "user_id")
}

// Member reads one member.
func (s *DB) Member(ctx context.Context, userID int64) (_ awapi.Member, err error) {
	defer wrap(&err, "Member")
	m, err := scanMember(s.queryRow(ctx, `SELECT `+memberColumns+` FROM members WHERE user_id = ?`, userID))
	return m, notFound(err, "The member")
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// InsertMembers bulk-inserts members with their IDs.
func (s *DB) InsertMembers(ctx context.Context, ms []awapi.Member) (err error) {
	defer wrap(&err, "InsertMembers")
	err = s.insertRows(ctx, "members", memberColumns, memberColumnCount, len(ms), func(i int) []any { return memberArgs(&ms[i]) })
	if err == nil {
		err = s.resetIdentity(ctx, "members", "user_id")
	}
	return err
}

// InsertWebcamSettings bulk-inserts performers' webcam settings.
func (s *DB) InsertWebcamSettings(ctx context.Context, ws []awapi.WebcamSettings) (err error) {
	defer wrap(&err, "InsertWebcamSettings")
	return s.insertRows(ctx, "webcam_settings", "user_id, software_types, minimum_duration", 3, len(ws), func(i int) []any {
		return []any{ws[i].UserID, parse.FormatIntList(ws[i].SoftwareTypeIDs), ws[i].MinimumDuration}
	})
}

// InsertRatings bulk-inserts ratings; each is dated in the server's zone for calendar ranges. The rated
// members' rating counters are recounted in the same transaction.
func (s *DB) InsertRatings(ctx context.Context, rs []awapi.Rating) (err error) {
	defer wrap(&err, "InsertRatings")
	return s.inBulkTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, "ratings", "user_id, rater_id, service, score, feedback, rated_at, rated_day, disputed", 8, len(rs), func(i int) []any {
			r := rs[i]
			return []any{r.UserID, r.RaterID, r.Service, r.Score, r.Feedback, micros(r.RatedAt), awapi.DayNumber(r.RatedAt.In(s.loc)), r.Disputed}
		})
		if err != nil {
			return err
		}
		if s.bulk.Load() {
			return nil // EndBulkLoad recounts
		}
		return s.recountRatings(ctx, tx, distinctIDs(len(rs), func(i int) int64 { return rs[i].UserID }))
	})
}

// InsertDailyViews bulk-inserts daily view counters; the members' total views are recounted in the
// same transaction.
func (s *DB) InsertDailyViews(ctx context.Context, vs []awapi.DailyViews) (err error) {
	defer wrap(&err, "InsertDailyViews")
	return s.inBulkTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, "member_views", "user_id, kind, day, views", 4, len(vs), func(i int) []any {
			v := vs[i]
			return []any{v.UserID, int(v.Kind), awapi.DayNumber(v.Day), v.Views}
		})
		if err != nil {
			return err
		}
		if s.bulk.Load() {
			return nil // EndBulkLoad recounts
		}
		return s.recountViews(ctx, tx, distinctIDs(len(vs), func(i int) int64 { return vs[i].UserID }))
	})
}

// insertRows inserts n rows in one transaction with multi-row INSERT statements, staying under both
// engines' limits on bound parameters.
func (s *DB) insertRows(ctx context.Context, table, columns string, width, n int, row func(i int) []any) error {
	return s.inBulkTx(ctx, func(tx txConn) error { return s.insertRowsTx(ctx, tx, table, columns, width, n, row) })
}

// insertRowsTx is insertRows inside a transaction the caller holds. Its texts vary with the number of
// rows, so they stay out of the statement caches: each is prepared once for the chunks of its size
// (prepareOnce) and closed. Inside inBulkTx on PostgreSQL the rows go by COPY instead.
func (s *DB) insertRowsTx(ctx context.Context, tx txConn, table, columns string, width, n int, row func(i int) []any) error {
	if tx.raw != nil && n > 1 {
		return copyRows(ctx, tx.raw, table, columns, n, row)
	}
	const maxParams = 30000
	per := max(1, maxParams/width)
	placeholder := "(" + marks(width) + ")"
	var (
		stmt   *onceStmt // the statement of the current chunk size, prepared once for all its chunks
		stmtOf int
	)
	defer func() {
		if stmt != nil {
			stmt.close()
		}
	}()
	args := make([]any, 0, min(n, per)*width)
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		if stmt == nil || stmtOf != end-start {
			if stmt != nil {
				stmt.close()
			}
			var b strings.Builder
			b.WriteString("INSERT INTO " + table + " (" + columns + ") VALUES ")
			for i := start; i < end; i++ {
				if i > start {
					b.WriteByte(',')
				}
				b.WriteString(placeholder)
			}
			var err error
			if stmt, err = tx.prepareOnce(ctx, b.String()); err != nil {
				stmt = nil
				return err
			}
			stmtOf = end - start
		}
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, row(i)...)
		}
		if err := stmt.exec(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// TopList ranks active members by views or by ratings in a period.
func (s *DB) TopList(ctx context.Context, q awapi.TopListQuery) (_ []awapi.TopListEntry, err error) {
	defer wrap(&err, "TopList")
	from, to := 0, 99991231
	if !q.Period.From.IsZero() {
		from = awapi.DayNumber(q.Period.From)
	}
	if !q.Period.To.IsZero() {
		to = awapi.DayNumber(q.Period.To) - 1 // half-open: yyyymmdd-1 is still below the next day
	}
	var rows *sql.Rows
	if kind, ok := q.Type.ViewKind(); ok {
		// Planned for their values, as searches are: a period's rows vary widely.
		rows, err = s.pool().queryPlanned(ctx, `SELECT v.user_id, m.nickname, SUM(v.views) AS score, 0, 0, 0
			FROM member_views v JOIN members m ON m.user_id = v.user_id
			WHERE v.kind = ? AND v.day BETWEEN ? AND ? AND m.is_active
			GROUP BY v.user_id, m.nickname
			ORDER BY score DESC, v.user_id LIMIT ?`, int(kind), from, to, q.Limit)
	} else {
		service, _ := q.Type.RatingService()
		rows, err = s.pool().queryPlanned(ctx, `SELECT r.user_id, m.nickname,
				SUM(r.score) AS score,
				SUM(CASE WHEN r.score > 0 THEN 1 ELSE 0 END),
				SUM(CASE WHEN r.score = 0 THEN 1 ELSE 0 END),
				SUM(CASE WHEN r.score < 0 THEN 1 ELSE 0 END) AS negative
			FROM ratings r JOIN members m ON m.user_id = r.user_id
			WHERE r.service = ? AND r.rated_day BETWEEN ? AND ? AND m.is_active
			GROUP BY r.user_id, m.nickname
			ORDER BY score DESC, negative, r.user_id LIMIT ?`, service, from, to, q.Limit)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []awapi.TopListEntry
	for rows.Next() {
		var e awapi.TopListEntry
		if err := rows.Scan(&e.UserID, &e.Nickname, &e.Score, &e.Positive, &e.Neutral, &e.Negative); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
