package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Unified Login (OAuth 2.0) storage.
//
// Concurrency: every change to a grant's tokens (issuing, rotating, revoking) first locks the grant's
// row (SELECT … FOR UPDATE on PostgreSQL; SQLite's immediate transactions already serialise writers),
// so a revocation can never miss a token issued beside it, and locks are always taken grant first.
// The state changes two requests race for are compare-and-set updates (`… WHERE used_at = 0`,
// `… WHERE rotated_at = 0`) that must touch exactly one row.

var _ awapi.UnifiedLogin = (*DB)(nil)

// stamp stores a moment that marks a state change; it is never 0, which means "not yet".
func stamp(t time.Time) int64 { return max(micros(t), 1) }

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// CreateClient registers a project with its API key and OAuth client credentials.
func (s *DB) CreateClient(ctx context.Context, c awapi.NewClient) (_ awapi.Client, err error) {
	defer wrap(&err, "CreateClient")
	var id int64
	err = s.queryRow(ctx, `INSERT INTO projects (name, api_key_digest, api_key_prefix, api_secret_digest, approved,
			created_at, client_id, client_secret_digest, redirect_uris, allowed_scopes, is_public, origins)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING project_id`,
		c.Name, c.APIKeyDigest, c.APIKeyPrefix, c.APISecretDigest, c.Approved, micros(s.clock.Now()),
		nullString(c.ClientID), nullBytes(c.ClientSecretDigest), strings.Join(c.RedirectURIs, "\n"),
		c.Scopes.String(), c.Public, strings.Join(c.Origins, "\n")).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return awapi.Client{}, awapi.Conflict("client_exists", "A project with this client ID or API key already exists.")
		}
		return awapi.Client{}, err
	}
	return awapi.Client{
		Project:  awapi.Project{ProjectID: id, Name: c.Name, Approved: c.Approved, Origins: slices.Clone(c.Origins)},
		ClientID: c.ClientID, ClientSecretDigest: c.ClientSecretDigest,
		RedirectURIs: append([]string(nil), c.RedirectURIs...), Scopes: append(awapi.ScopeSet(nil), c.Scopes...),
		Public: c.Public,
	}, nil
}

// ClientByID finds a project by its OAuth client_id.
func (s *DB) ClientByID(ctx context.Context, clientID string) (_ awapi.Client, err error) {
	defer wrap(&err, "ClientByID")
	var (
		c            awapi.Client
		id           sql.NullString
		uris, scopes string
		origins      string
	)
	err = s.queryRow(ctx, `SELECT project_id, name, approved, client_id, client_secret_digest, redirect_uris,
			allowed_scopes, is_public, origins
		FROM projects WHERE client_id = ?`, clientID).
		Scan(&c.ProjectID, &c.Name, &c.Approved, &id, &c.ClientSecretDigest, &uris, &scopes, &c.Public, &origins)
	if err != nil {
		return awapi.Client{}, notFound(err, "The client")
	}
	c.ClientID = id.String
	c.RedirectURIs = splitLines(uris)
	c.Origins = splitLines(origins)
	c.Scopes = awapi.ParseScopes(scopes)
	return c, nil
}

// MemberByLogin finds a member by nickname or email address, case-insensitively. A nickname match
// wins over an email match; among members sharing an email address, the oldest account answers.
func (s *DB) MemberByLogin(ctx context.Context, login string) (_ awapi.Member, err error) {
	defer wrap(&err, "MemberByLogin")
	login = strings.TrimSpace(login)
	if login == "" {
		return awapi.Member{}, awapi.NotFound("The member")
	}
	// nickname_lower is folded in Go when a member is stored; the email is folded by the engine's
	// lower() on both sides, so the expression index members_email_lower serves the lookup.
	lower := strings.ToLower(login)
	m, err := scanMember(s.queryRow(ctx, `SELECT `+memberColumns+` FROM members
		WHERE nickname_lower = ? OR lower(email) = lower(?)
		ORDER BY CASE WHEN nickname_lower = ? THEN 0 ELSE 1 END, user_id LIMIT 1`, lower, login, lower))
	return m, notFound(err, "The member")
}

// SetPassword stores a member's password hash.
func (s *DB) SetPassword(ctx context.Context, userID int64, hash string) (err error) {
	defer wrap(&err, "SetPassword")
	n, err := s.pool().execCount(ctx, `UPDATE members SET password_hash = ? WHERE user_id = ?`, hash, userID)
	if err != nil {
		return err
	}
	if n == 0 {
		return awapi.NotFound("The member")
	}
	return nil
}

// Authorize records a grant and, in the same transaction, its authorization code or (the implicit
// flow) its access token.
func (s *DB) Authorize(ctx context.Context, g awapi.Grant, codeDigest []byte, code *awapi.AuthCode, access *awapi.IssuedToken) (_ awapi.Grant, err error) {
	defer wrap(&err, "Authorize")
	g.RevokedAt = time.Time{}
	err = s.inTx(ctx, func(tx txConn) error {
		if err := tx.queryRow(ctx, `INSERT INTO grants (user_id, project_id, scopes, created_at)
			VALUES (?, ?, ?, ?) RETURNING grant_id`, g.UserID, g.ProjectID, g.Scopes.String(), micros(g.CreatedAt)).
			Scan(&g.GrantID); err != nil {
			return err
		}
		switch {
		case code != nil:
			if len(codeDigest) == 0 {
				return errors.New("sqlstore: Authorize: authorization code without a digest")
			}
			_, err := tx.exec(ctx, `INSERT INTO auth_codes (code_digest, grant_id, redirect_uri, code_challenge,
				code_challenge_method, expires_at) VALUES (?, ?, ?, ?, ?, ?)`, codeDigest, g.GrantID, code.RedirectURI,
				code.CodeChallenge, code.CodeChallengeMethod, micros(code.ExpiresAt))
			return err
		case access != nil:
			return s.insertAccess(ctx, tx, g, *access)
		}
		return nil
	})
	if err != nil {
		return awapi.Grant{}, err
	}
	return g, nil
}

func (s *DB) insertAccess(ctx context.Context, tx txConn, g awapi.Grant, t awapi.IssuedToken) error {
	scopes := t.Scopes
	if len(scopes) == 0 {
		scopes = g.Scopes
	}
	_, err := tx.exec(ctx, `INSERT INTO access_tokens (token_digest, user_id, project_id, scopes, expires_at, grant_id)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Digest, g.UserID, g.ProjectID, scopes.String(), micros(t.ExpiresAt), g.GrantID)
	return err
}

func (s *DB) insertRefresh(ctx context.Context, tx txConn, g awapi.Grant, t awapi.IssuedToken, now time.Time) error {
	scopes := t.Scopes
	if len(scopes) == 0 {
		scopes = g.Scopes
	}
	_, err := tx.exec(ctx, `INSERT INTO refresh_tokens (token_digest, grant_id, project_id, scopes, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Digest, g.GrantID, g.ProjectID, scopes.String(), micros(t.ExpiresAt), micros(now))
	return err
}

const grantColumns = `grant_id, user_id, project_id, scopes, created_at, revoked_at`

func scanGrant(row interface{ Scan(...any) error }) (awapi.Grant, error) {
	var (
		g                awapi.Grant
		scopes           string
		created, revoked int64
	)
	err := row.Scan(&g.GrantID, &g.UserID, &g.ProjectID, &scopes, &created, &revoked)
	g.Scopes, g.CreatedAt, g.RevokedAt = awapi.ParseScopes(scopes), fromMicros(created), fromMicros(revoked)
	return g, err
}

// lockGrant reads an active grant and locks its row until the transaction ends; a missing or revoked
// grant is not found.
func (s *DB) lockGrant(ctx context.Context, tx txConn, grantID int64) (awapi.Grant, error) {
	g, err := scanGrant(tx.queryRow(ctx, `SELECT `+grantColumns+` FROM grants WHERE grant_id = ?`+s.forUpdate(), grantID))
	if err != nil {
		return g, notFound(err, "The grant")
	}
	if !g.RevokedAt.IsZero() {
		return g, awapi.NotFound("The grant")
	}
	return g, nil
}

// revokeGrant revokes a grant and kills every token issued from it, in the caller's transaction.
func (s *DB) revokeGrant(ctx context.Context, tx txConn, grantID int64, now time.Time) error {
	at := stamp(now)
	// The UPDATE takes the grant's row lock first, like every other change to the grant's tokens.
	if _, err := tx.exec(ctx, `UPDATE grants SET revoked_at = ? WHERE grant_id = ? AND revoked_at = 0`, at, grantID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE access_tokens SET revoked = TRUE WHERE grant_id = ? AND NOT revoked`, grantID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE refresh_tokens SET rotated_at = ? WHERE grant_id = ? AND rotated_at = 0`, at, grantID)
	return err
}

// RedeemAuthCode marks an unexpired code used (compare-and-set) and returns it with its grant. A
// replayed code revokes its grant; the revocation is committed before the conflict is reported.
func (s *DB) RedeemAuthCode(ctx context.Context, codeDigest []byte, now time.Time) (_ awapi.AuthCode, _ awapi.Grant, err error) {
	defer wrap(&err, "RedeemAuthCode")
	var (
		ac     awapi.AuthCode
		g      awapi.Grant
		reused bool
	)
	err = s.inTx(ctx, func(tx txConn) error {
		n, err := tx.execCount(ctx, `UPDATE auth_codes SET used_at = ?
			WHERE code_digest = ? AND used_at = 0 AND expires_at > ?`, stamp(now), codeDigest, micros(now))
		if err != nil {
			return err
		}
		if n == 0 {
			var grantID, used int64
			err := tx.queryRow(ctx, `SELECT grant_id, used_at FROM auth_codes WHERE code_digest = ?`, codeDigest).
				Scan(&grantID, &used)
			if err != nil {
				return notFound(err, "The authorization code")
			}
			if used == 0 { // expired, never used
				return awapi.NotFound("The authorization code")
			}
			reused = true
			return s.revokeGrant(ctx, tx, grantID, now)
		}
		var expires int64
		err = tx.queryRow(ctx, `SELECT grant_id, redirect_uri, code_challenge, code_challenge_method, expires_at
			FROM auth_codes WHERE code_digest = ?`, codeDigest).
			Scan(&ac.GrantID, &ac.RedirectURI, &ac.CodeChallenge, &ac.CodeChallengeMethod, &expires)
		if err != nil {
			return err
		}
		ac.ExpiresAt = fromMicros(expires)
		g, err = scanGrant(tx.queryRow(ctx, `SELECT `+grantColumns+` FROM grants WHERE grant_id = ?`, ac.GrantID))
		if err != nil {
			return notFound(err, "The authorization code")
		}
		if !g.RevokedAt.IsZero() {
			return awapi.NotFound("The authorization code")
		}
		return nil
	})
	switch {
	case err != nil:
		return awapi.AuthCode{}, awapi.Grant{}, err
	case reused:
		return awapi.AuthCode{}, awapi.Grant{}, awapi.Conflict("code_reused",
			"The authorization code was already used; every token issued from it is revoked.")
	}
	return ac, g, nil
}

// IssueTokens stores a new access and refresh token for an active grant.
func (s *DB) IssueTokens(ctx context.Context, grantID int64, access, refresh awapi.IssuedToken) (err error) {
	defer wrap(&err, "IssueTokens")
	return s.inTx(ctx, func(tx txConn) error {
		g, err := s.lockGrant(ctx, tx, grantID)
		if err != nil {
			return err
		}
		if err := s.insertAccess(ctx, tx, g, access); err != nil {
			return err
		}
		return s.insertRefresh(ctx, tx, g, refresh, s.clock.Now())
	})
}

// RotateRefreshToken swaps a live refresh token for a new pair (compare-and-set on rotated_at). The
// new tokens carry the requested scopes, which must be a subset of the old token's (KindInvalid
// "invalid_scope" otherwise); no scopes means the old token's. The returned grant's Scopes are the
// scopes the new tokens carry. A reused token revokes the grant, committed before the conflict is
// reported.
func (s *DB) RotateRefreshToken(ctx context.Context, oldDigest []byte, now time.Time, access, refresh awapi.IssuedToken) (_ awapi.Grant, err error) {
	defer wrap(&err, "RotateRefreshToken")
	var (
		g      awapi.Grant
		reused bool
	)
	err = s.inTx(ctx, func(tx txConn) error {
		var grantID int64
		err := tx.queryRow(ctx, `SELECT grant_id FROM refresh_tokens WHERE token_digest = ?`, oldDigest).Scan(&grantID)
		if err != nil {
			return notFound(err, "The refresh token")
		}
		if g, err = s.lockGrant(ctx, tx, grantID); err != nil {
			if awapi.ErrorKind(err) == awapi.KindNotFound { // the grant is revoked
				return awapi.NotFound("The refresh token")
			}
			return err
		}
		// Read the token again under the grant's lock: another rotation may have just committed.
		var (
			scopes           string
			expires, rotated int64
		)
		if err := tx.queryRow(ctx, `SELECT scopes, expires_at, rotated_at FROM refresh_tokens WHERE token_digest = ?`,
			oldDigest).Scan(&scopes, &expires, &rotated); err != nil {
			return err
		}
		if rotated != 0 {
			reused = true
			return s.revokeGrant(ctx, tx, grantID, now)
		}
		if expires <= micros(now) {
			return awapi.Conflict("refresh_token_has_expired", "The refresh token has expired.")
		}
		have := awapi.ParseScopes(scopes)
		want := access.Scopes
		if len(want) == 0 {
			want = have
		}
		if !want.Subset(have) || !refresh.Scopes.Subset(have) {
			return awapi.Errorf(awapi.KindInvalid, "invalid_scope", "A refresh cannot add scopes the member did not grant.")
		}
		n, err := tx.execCount(ctx, `UPDATE refresh_tokens SET rotated_at = ? WHERE token_digest = ? AND rotated_at = 0`,
			stamp(now), oldDigest)
		if err != nil {
			return err
		}
		if n != 1 { // lost a race: the token was spent beside us, which is a reuse
			reused = true
			return s.revokeGrant(ctx, tx, grantID, now)
		}
		access.Scopes = want
		if len(refresh.Scopes) == 0 {
			refresh.Scopes = want
		}
		if err := s.insertAccess(ctx, tx, g, access); err != nil {
			return err
		}
		if err := s.insertRefresh(ctx, tx, g, refresh, now); err != nil {
			return err
		}
		g.Scopes = want
		return nil
	})
	switch {
	case err != nil:
		return awapi.Grant{}, err
	case reused:
		return awapi.Grant{}, awapi.Conflict("refresh_token_reused",
			"The refresh token was already used; every token of its grant is revoked.")
	}
	return g, nil
}

// RevokeToken revokes an access token, or a refresh token with its whole grant, when projectID owns
// it. Unknown tokens and other projects' tokens are left alone without error (RFC 7009 §2.2).
func (s *DB) RevokeToken(ctx context.Context, projectID int64, digest []byte, now time.Time) (err error) {
	defer wrap(&err, "RevokeToken")
	return s.inTx(ctx, func(tx txConn) error {
		n, err := tx.execCount(ctx, `UPDATE access_tokens SET revoked = TRUE WHERE token_digest = ? AND project_id = ?`,
			digest, projectID)
		if err != nil || n > 0 {
			return err
		}
		var grantID int64
		err = tx.queryRow(ctx, `SELECT grant_id FROM refresh_tokens WHERE token_digest = ? AND project_id = ?`,
			digest, projectID).Scan(&grantID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.revokeGrant(ctx, tx, grantID, now)
	})
}

// Grants lists a member's active grants with their project names, newest first.
func (s *DB) Grants(ctx context.Context, userID int64) (_ []awapi.GrantInfo, err error) {
	defer wrap(&err, "Grants")
	rows, err := s.query(ctx, `SELECT g.grant_id, g.user_id, g.project_id, g.scopes, g.created_at, g.revoked_at, p.name
		FROM grants g JOIN projects p ON p.project_id = g.project_id
		WHERE g.user_id = ? AND g.revoked_at = 0
		ORDER BY g.created_at DESC, g.grant_id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []awapi.GrantInfo
	for rows.Next() {
		var (
			gi               awapi.GrantInfo
			scopes           string
			created, revoked int64
		)
		if err := rows.Scan(&gi.GrantID, &gi.UserID, &gi.ProjectID, &scopes, &created, &revoked, &gi.ProjectName); err != nil {
			return nil, err
		}
		gi.Scopes, gi.CreatedAt, gi.RevokedAt = awapi.ParseScopes(scopes), fromMicros(created), fromMicros(revoked)
		out = append(out, gi)
	}
	return out, rows.Err()
}

// RevokeProject revokes every grant a member gave a project, and their tokens.
func (s *DB) RevokeProject(ctx context.Context, userID, projectID int64, now time.Time) (err error) {
	defer wrap(&err, "RevokeProject")
	return s.inTx(ctx, func(tx txConn) error {
		rows, err := tx.query(ctx, `SELECT grant_id FROM grants
			WHERE user_id = ? AND project_id = ? AND revoked_at = 0 ORDER BY grant_id`, userID, projectID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// One grant at a time in ID order, so concurrent revocations lock rows in the same order.
		for _, id := range ids {
			if err := s.revokeGrant(ctx, tx, id, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReserveLoginAttempt counts the attempts against each key and records one more against each, in
// one transaction that holds every key's lock: a transaction-scoped advisory lock per key on
// PostgreSQL, taken in key order so two reservations cannot deadlock; SQLite's immediate
// transactions already run one at a time, across processes too. Rows older than since are pruned
// first, for every key: all keys share one throttling window.
func (s *DB) ReserveLoginAttempt(ctx context.Context, limits []awapi.LoginLimit, now, since time.Time) (_ awapi.LoginAttempt, err error) {
	defer wrap(&err, "ReserveLoginAttempt")
	if err := s.prune(ctx, "login_attempts", `DELETE FROM login_attempts WHERE attempted_at < ?`, micros(since)); err != nil {
		return awapi.LoginAttempt{}, err
	}
	limits = slices.Clone(limits)
	slices.SortFunc(limits, func(a, b awapi.LoginLimit) int { return strings.Compare(a.Key, b.Key) })
	ids, err := inTxValue(ctx, s, func(tx txConn) ([]int64, error) {
		if s.engine == Postgres {
			for _, l := range limits {
				if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, "login_attempts:"+l.Key); err != nil {
					return nil, err
				}
			}
		}
		for _, l := range limits {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM login_attempts WHERE key = ? AND attempted_at >= ?`,
				l.Key, micros(since)).Scan(&n); err != nil {
				return nil, err
			}
			if n >= l.Limit {
				return nil, awapi.Errorf(awapi.KindRateLimited, "too_many_attempts", "Too many sign-in attempts.")
			}
		}
		ids := make([]int64, len(limits))
		for i, l := range limits {
			if err := tx.queryRow(ctx, `INSERT INTO login_attempts (key, attempted_at) VALUES (?, ?) RETURNING attempt_id`,
				l.Key, micros(now)).Scan(&ids[i]); err != nil {
				return nil, err
			}
		}
		return ids, nil
	})
	if err != nil {
		return awapi.LoginAttempt{}, err
	}
	return awapi.LoginAttempt{IDs: ids}, nil
}

// ReleaseLoginAttempt deletes a reserved attempt's rows.
func (s *DB) ReleaseLoginAttempt(ctx context.Context, a awapi.LoginAttempt) (err error) {
	defer wrap(&err, "ReleaseLoginAttempt")
	if len(a.IDs) == 0 {
		return nil
	}
	in, list := anyOf(s, "attempt_id", a.IDs)
	_, err = s.exec(ctx, `DELETE FROM login_attempts WHERE `+in, list)
	return err
}

// spentTicketMargin is how long a spent ticket is remembered past its expiry, so an instance whose
// clock runs behind, and still takes the ticket for unexpired, finds it spent.
const spentTicketMargin = time.Hour

// SpendTicket records a ticket's digest; the primary key makes a second record fail, on any instance.
func (s *DB) SpendTicket(ctx context.Context, digest []byte, expires, now time.Time) (err error) {
	defer wrap(&err, "SpendTicket")
	if err := s.prune(ctx, "spent_tickets", `DELETE FROM spent_tickets WHERE expires_at < ?`, micros(now.Add(-spentTicketMargin))); err != nil {
		return err
	}
	n, err := s.pool().execCount(ctx, `INSERT INTO spent_tickets (ticket_digest, expires_at) VALUES (?, ?)
		ON CONFLICT (ticket_digest) DO NOTHING`, digest, micros(expires))
	if err != nil {
		return err
	}
	if n == 0 {
		return awapi.Conflict("ticket_spent", "The form was already submitted.")
	}
	return nil
}

// prune runs a housekeeping DELETE of expired rows. On PostgreSQL only one instance prunes a table at
// a time (the others skip: the rows are the same), so concurrent prunes never wait on each other's
// row locks, let alone deadlock.
func (s *DB) prune(ctx context.Context, table, query string, args ...any) error {
	return s.inTx(ctx, func(tx txConn) error {
		if s.engine == Postgres {
			var mine bool
			if err := tx.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))`, "prune:"+table).Scan(&mine); err != nil {
				return err
			}
			if !mine {
				return nil
			}
		}
		_, err := tx.exec(ctx, query, args...)
		return err
	})
}
