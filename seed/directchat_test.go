package seed

import (
	"context"
	"strconv"
	"testing"

	"github.com/awapi/awapi"
)

const (
	directChatSettingsQuery = `SELECT user_id, offer_directchat, ppm, available_now, available_from, available_until, max_call_minutes,
		updated_at FROM directchat_settings WHERE user_id <= ? ORDER BY user_id`
	pinsQuery = `SELECT p.pin_id, p.pin, p.client_id, p.performer_id, p.created_at FROM directchat_pins p
		WHERE p.performer_id <= ? ORDER BY p.pin_id`
	callsQuery = `SELECT c.call_id, c.pin_id, c.ppm, c.started_at, c.ended_at, c.minutes, c.credits FROM directchat_calls c
		WHERE c.performer_id <= ? ORDER BY c.call_id`
)

// TestDirectChatData: every DirectChat performer, and only they, has settings offering DirectChat
// that pass every rule; PINs are unique, each held by another member, with calls that are over, in
// the past, priced at the performer's rate; the shares are realistic; the demo accounts' DirectChat is
// fixed; the data is deterministic.
func TestDirectChatData(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db, ctx := st.SQL(), context.Background()
	for what, query := range map[string]string{
		"DirectChat members without settings": `SELECT COUNT(*) FROM members m WHERE m.is_directchat
			AND NOT EXISTS (SELECT 1 FROM directchat_settings d WHERE d.user_id = m.user_id AND d.offer_directchat)`,
		"settings of members not DirectChat": `SELECT COUNT(*) FROM directchat_settings d JOIN members m ON m.user_id = d.user_id
			WHERE NOT m.is_directchat OR NOT d.offer_directchat`,
		"PINs for members not DirectChat": `SELECT COUNT(*) FROM directchat_pins p JOIN members m ON m.user_id = p.performer_id
			WHERE NOT m.is_directchat`,
		"PINs held by their performer":   `SELECT COUNT(*) FROM directchat_pins WHERE client_id = performer_id`,
		"duplicate PINs":                 `SELECT COUNT(*) - COUNT(DISTINCT pin) FROM directchat_pins`,
		"two PINs for one pair":          `SELECT COUNT(*) - COUNT(DISTINCT client_id * 10000000 + performer_id) FROM directchat_pins`,
		"calls in progress or in future": `SELECT COUNT(*) FROM directchat_calls WHERE ended_at = 0 OR ended_at > ` + strconv.FormatInt(testNow.UnixMicro(), 10),
		"calls at another rate": `SELECT COUNT(*) FROM directchat_calls c JOIN directchat_settings s ON s.user_id = c.performer_id
			WHERE c.ppm <> s.ppm OR c.credits <> c.ppm * c.minutes`,
		"calls before their PIN": `SELECT COUNT(*) FROM directchat_calls c JOIN directchat_pins p ON p.pin_id = c.pin_id
			WHERE c.started_at < p.created_at OR c.client_id <> p.client_id OR c.performer_id <> p.performer_id`,
	} {
		if n := count(t, db, query); n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}
	phone := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND is_phone_chat`)
	directChat := count(t, db, `SELECT COUNT(*) FROM members WHERE is_directchat`)
	withPINs := count(t, db, `SELECT COUNT(DISTINCT performer_id) FROM directchat_pins`)
	if p := float64(directChat) / float64(phone); p < 0.15 || p > 0.4 {
		t.Errorf("phone-chat performers on DirectChat: %d of %d", directChat, phone)
	}
	if p := float64(withPINs) / float64(directChat); p < 0.4 || p > 0.75 {
		t.Errorf("DirectChat performers with PINs: %d of %d", withPINs, directChat)
	}
	if calls := count(t, db, `SELECT COUNT(*) FROM directchat_calls`); calls < withPINs {
		t.Errorf("%d calls for %d performers with PINs", calls, withPINs)
	}
	rows, err := db.Query(`SELECT user_id FROM directchat_settings ORDER BY user_id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		s := must(st.DirectChatSettings(ctx, id))
		if err := s.Check(); err != nil || !s.Enabled() {
			t.Fatalf("settings of %d: %v (%+v)", id, err, s)
		}
	}

	// The demo client's PINs, as GetAllPINs lists them.
	pins := must(st.DirectChatPINs(ctx, 1))
	byPIN := map[string]awapi.DirectChatPIN{}
	for _, p := range pins {
		byPIN[p.PIN] = p
	}
	diana, performer := byPIN[DemoPINDiana], byPIN[DemoPINPerformer]
	if diana.PerformerID != 6 || diana.PerformerNickname != "DirectChatDiana" || diana.NumberOfCalls != 3 || diana.InProgress ||
		performer.PerformerID != 2 || performer.NumberOfCalls != 0 {
		t.Fatalf("demo PINs: %+v", pins)
	}
	if s := must(st.DirectChatSettings(ctx, 6)); s.PPM != 120 || !s.AvailableAt(testNow, testNow.Location()) {
		t.Fatalf("DirectChatDiana: %+v", s)
	}

	// The demo accounts' DirectChat does not depend on the seed; the rest does, deterministically.
	again, _ := seeded(t, 1000, 5)
	other, _ := seeded(t, 1000, 6)
	for _, q := range []string{directChatSettingsQuery, pinsQuery, callsQuery} {
		if digest(t, again.SQL(), q, 1000) != digest(t, db, q, 1000) {
			t.Errorf("same seed, different data: %s", q)
		}
		if digest(t, other.SQL(), q, 1000) == digest(t, db, q, 1000) {
			t.Errorf("a different seed gave the same data: %s", q)
		}
		if digest(t, other.SQL(), q, 6) != digest(t, db, q, 6) {
			t.Errorf("the demo accounts' data depends on the seed: %s", q)
		}
	}
}
