package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/awapi/awapi"
)

// DirectChat (api-v1.md §2.6, §4.2, migration 00016): performers' settings, clients' PINs and the
// calls made with them. The rules live in the domain (awapi/directchat.go).

var _ awapi.DirectChatSettingsStore = (*DB)(nil)

const directChatSettingsColumns = `offer_directchat, ppm, available_now, available_from, available_until, max_call_minutes, updated_at`

func directChatSettingsArgs(s *awapi.DirectChatSettings) []any {
	return []any{s.UserID, s.OfferDirectChat, int64(s.PPM), s.AvailableNow, int(s.AvailableFrom), int(s.AvailableUntil),
		s.MaxCallMinutes, micros(s.UpdatedAt)}
}

// DirectChatSettings reads a member's settings; a member without a row has the zero settings.
func (s *DB) DirectChatSettings(ctx context.Context, userID int64) (_ awapi.DirectChatSettings, err error) {
	defer wrap(&err, "DirectChatSettings")
	if _, err := s.Member(ctx, userID); err != nil {
		return awapi.DirectChatSettings{}, err
	}
	return s.directChatSettings(ctx, s.pool(), userID)
}

// directChatSettings reads a member's settings with c (the pool or a transaction).
func (s *DB) directChatSettings(ctx context.Context, c conn, userID int64) (awapi.DirectChatSettings, error) {
	st := awapi.DirectChatSettings{UserID: userID}
	var ppm, updated int64
	var from, until int
	err := c.queryRow(ctx, `SELECT `+directChatSettingsColumns+` FROM directchat_settings WHERE user_id = ?`, userID).Scan(
		&st.OfferDirectChat, &ppm, &st.AvailableNow, &from, &until, &st.MaxCallMinutes, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return awapi.DirectChatSettings{UserID: userID}, nil
	}
	st.PPM, st.AvailableFrom, st.AvailableUntil, st.UpdatedAt = awapi.Credits(ppm), awapi.DayTime(from), awapi.DayTime(until), fromMicros(updated)
	return st, err
}

// SaveDirectChatSettings replaces a member's settings and sets their IsDirectChat from them, in one
// transaction.
func (s *DB) SaveDirectChatSettings(ctx context.Context, st awapi.DirectChatSettings) (_ awapi.DirectChatSettings, err error) {
	defer wrap(&err, "SaveDirectChatSettings")
	st.UpdatedAt = fromMicros(micros(st.UpdatedAt))
	err = s.inTx(ctx, func(tx txConn) error { return s.saveDirectChatSettings(ctx, tx, &st) })
	return st, err
}

// saveDirectChatSettings writes st and the member's IsDirectChat in tx, so that a caller saving more
// (PhoneChat/SaveSettings) can make it part of its own transaction.
func (s *DB) saveDirectChatSettings(ctx context.Context, tx txConn, st *awapi.DirectChatSettings) error {
	n, err := tx.execCount(ctx, `UPDATE members SET is_directchat = ? WHERE user_id = ?`, st.Enabled(), st.UserID)
	if err != nil {
		return err
	}
	if n != 1 {
		return awapi.NotFound("The member")
	}
	_, err = tx.exec(ctx, `INSERT INTO directchat_settings (user_id, `+directChatSettingsColumns+`) VALUES (`+marks(8)+`)
		ON CONFLICT (user_id) DO UPDATE SET offer_directchat = excluded.offer_directchat, ppm = excluded.ppm,
			available_now = excluded.available_now, available_from = excluded.available_from,
			available_until = excluded.available_until, max_call_minutes = excluded.max_call_minutes,
			updated_at = excluded.updated_at`,
		directChatSettingsArgs(st)...)
	return err
}
