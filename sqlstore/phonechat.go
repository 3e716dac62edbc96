package sqlstore

import (
	"context"
	"database/sql"

	"github.com/awapi/awapi"
)

// PhoneChat (api-v1.md §2.14, migration 00015): performers' phone-chat settings. Phone-chat bookings
// are the booking engine's (bookings.go); the rules are the domain's (awapi/phonechat.go). Saving
// settings also writes, in the same transaction, the nested DirectChat settings (directchat.go) and
// the member columns profiles and search read (is_phone_chat, phonechat_available_until,
// phonechat_number_shown; is_directchat by DirectChat's save), so a profile never disagrees with the
// settings.

var _ awapi.PhoneChatStore = (*DB)(nil)

const phoneChatSettingsColumns = `phonechat_number, show_phonechat_number, phonechat_ppm, offer_skype, available_until, updated_at`

func phoneChatSettingsArgs(s *awapi.PhoneChatSettings) []any {
	return []any{s.UserID, s.PhoneChatNumber, s.ShowPhoneChatNumber, int64(s.PhoneChatPPM), s.OfferSkype,
		micros(s.AvailableUntil), micros(s.UpdatedAt)}
}

// PhoneChatPerformer describes a member for the booking rules, with their settings.
func (s *DB) PhoneChatPerformer(ctx context.Context, userID int64) (_ awapi.PhoneChatPerformer, err error) {
	defer wrap(&err, "PhoneChatPerformer")
	p := awapi.PhoneChatPerformer{UserID: userID}
	var (
		show, skype     sql.NullBool
		number          sql.NullString
		ppm, until, upd sql.NullInt64
	)
	err = s.queryRow(ctx, `SELECT m.nickname, m.is_active, m.is_phone_chat, m.directchat_only,
			p.phonechat_number, p.show_phonechat_number, p.phonechat_ppm, p.offer_skype, p.available_until, p.updated_at
		FROM members m LEFT JOIN phonechat_settings p ON p.user_id = m.user_id WHERE m.user_id = ?`, userID).Scan(
		&p.Nickname, &p.IsActive, &p.IsPhoneChat, &p.DirectChatOnly, &number, &show, &ppm, &skype, &until, &upd)
	if err != nil {
		return awapi.PhoneChatPerformer{}, notFound(err, "The member")
	}
	p.Settings = awapi.PhoneChatSettings{UserID: userID, PhoneChatNumber: number.String,
		ShowPhoneChatNumber: show.Bool, PhoneChatPPM: awapi.Credits(ppm.Int64), OfferSkype: skype.Bool,
		AvailableUntil: fromMicros(until.Int64), UpdatedAt: fromMicros(upd.Int64)}
	return p, nil
}

// PhoneChatSettings reads a member's settings; a member without a row has the zero settings.
func (s *DB) PhoneChatSettings(ctx context.Context, userID int64) (_ awapi.PhoneChatSettings, err error) {
	defer wrap(&err, "PhoneChatSettings")
	p, err := s.PhoneChatPerformer(ctx, userID)
	return p.Settings, err
}

// SavePhoneChatSettings replaces a member's settings, their DirectChat settings (DirectChat's own
// saveDirectChatSettings, which writes IsDirectChat) and the member facts that follow from them, in one
// transaction.
func (s *DB) SavePhoneChatSettings(ctx context.Context, st awapi.PhoneChatSettings,
	directChat func(current awapi.DirectChatSettings) awapi.DirectChatSettings) (_ awapi.PhoneChatSettings, _ awapi.DirectChatSettings, err error) {
	defer wrap(&err, "SavePhoneChatSettings")
	st.UpdatedAt, st.AvailableUntil = fromMicros(micros(st.UpdatedAt)), fromMicros(micros(st.AvailableUntil))
	var dc awapi.DirectChatSettings
	err = s.inTx(ctx, func(tx txConn) error {
		n, err := tx.execCount(ctx, `UPDATE members SET is_phone_chat = TRUE, phonechat_available_until = ?, phonechat_number_shown = ?
			WHERE user_id = ?`, micros(st.AvailableUntil), st.ShowsNumber(), st.UserID)
		if err != nil {
			return err
		}
		if n != 1 {
			return awapi.NotFound("The member")
		}
		current, err := s.directChatSettings(ctx, tx.conn, st.UserID)
		if err != nil {
			return err
		}
		dc = directChat(current)
		dc.UpdatedAt = fromMicros(micros(dc.UpdatedAt))
		if err := s.saveDirectChatSettings(ctx, tx, &dc); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO phonechat_settings (user_id, `+phoneChatSettingsColumns+`) VALUES (`+marks(7)+`)
			ON CONFLICT (user_id) DO UPDATE SET phonechat_number = excluded.phonechat_number,
				show_phonechat_number = excluded.show_phonechat_number, phonechat_ppm = excluded.phonechat_ppm,
				offer_skype = excluded.offer_skype, available_until = excluded.available_until, updated_at = excluded.updated_at`,
			phoneChatSettingsArgs(&st)...)
		return err
	})
	if err != nil {
		return awapi.PhoneChatSettings{}, awapi.DirectChatSettings{}, err
	}
	return st, dc, nil
}

// InsertPhoneChatSettings bulk-inserts settings and sets the members' facts from them, in one
// transaction.
func (s *DB) InsertPhoneChatSettings(ctx context.Context, ss []awapi.PhoneChatSettings) (err error) {
	defer wrap(&err, "InsertPhoneChatSettings")
	if len(ss) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, "phonechat_settings", "user_id, "+phoneChatSettingsColumns, 7, len(ss), func(i int) []any {
			return phoneChatSettingsArgs(&ss[i])
		})
		if err != nil {
			return err
		}
		ids := make([]int64, len(ss))
		for i := range ss {
			ids[i] = ss[i].UserID
		}
		in, list := anyOf(s, "user_id", ids)
		_, err = tx.exec(ctx, `UPDATE members SET is_phone_chat = TRUE,
				phonechat_available_until = (SELECT p.available_until FROM phonechat_settings p WHERE p.user_id = members.user_id),
				phonechat_number_shown = (SELECT p.show_phonechat_number AND p.phonechat_number <> ''
					FROM phonechat_settings p WHERE p.user_id = members.user_id)
			WHERE `+in, list)
		return err
	})
}
