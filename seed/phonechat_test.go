package seed

import (
	"context"
	"testing"

	"github.com/awapi/awapi"
)

// TestPhoneChatData: a realistic share of phone-chat performers have settings, which pass the rules
// and agree with what profiles show (AvailableNowPhoneChat, HasPhoneNumber); some clients
// have phone-chat bookings, every one of them at least PPM × Duration and with a ledger that equals
// every balance; the demo client has one booking of each state with SandboxPerformer.
func TestPhoneChatData(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db, ctx := st.SQL(), context.Background()
	for what, query := range map[string]string{
		"settings of members not phone chat": `SELECT COUNT(*) FROM phonechat_settings p JOIN members m ON m.user_id = p.user_id
			WHERE NOT m.is_phone_chat OR m.user_type_id <> 1`,
		"settings disagreeing with the profile": `SELECT COUNT(*) FROM phonechat_settings p JOIN members m ON m.user_id = p.user_id
			WHERE p.available_until <> m.phonechat_available_until
			OR (p.show_phonechat_number AND p.phonechat_number <> '') <> m.phonechat_number_shown`,
		"numbers shown without settings": `SELECT COUNT(*) FROM members m WHERE m.phonechat_number_shown
			AND NOT EXISTS (SELECT 1 FROM phonechat_settings p WHERE p.user_id = m.user_id)`,
		"offers below PPM × Duration": `SELECT COUNT(*) FROM bookings b JOIN booking_invitations i ON i.booking_id = b.booking_id
			JOIN phonechat_settings p ON p.user_id = i.performer_id WHERE b.service = 'PhoneChat' AND b.credits < p.phonechat_ppm * b.duration`,
		"bookings of inactive members": `SELECT COUNT(*) FROM bookings b JOIN booking_invitations i ON i.booking_id = b.booking_id
			JOIN members c ON c.user_id = b.client_id JOIN members p ON p.user_id = i.performer_id
			WHERE b.service = 'PhoneChat' AND NOT (c.is_active AND p.is_active AND NOT p.directchat_only)`,
		"bookings of performers without settings": `SELECT COUNT(*) FROM bookings b JOIN booking_invitations i ON i.booking_id = b.booking_id
			WHERE b.service = 'PhoneChat' AND NOT EXISTS (SELECT 1 FROM phonechat_settings p WHERE p.user_id = i.performer_id)`,
	} {
		if n := count(t, db, query); n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}
	phone := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND is_phone_chat`)
	withSettings := count(t, db, `SELECT COUNT(*) FROM phonechat_settings`)
	clients := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 2`)
	booked := count(t, db, `SELECT COUNT(DISTINCT client_id) FROM bookings WHERE service = 'PhoneChat' AND client_id <> 1`)
	if p := float64(withSettings) / float64(phone); p < 0.7 || p > 0.9 {
		t.Errorf("phone-chat performers with settings: %d of %d", withSettings, phone)
	}
	if booked == 0 || float64(booked)/float64(clients) > 0.03 {
		t.Errorf("clients with phone-chat bookings: %d of %d", booked, clients)
	}
	for what, query := range map[string]string{
		"accepted":  `SELECT COUNT(*) FROM bookings WHERE service = 'PhoneChat' AND status = 'Accepted'`,
		"confirmed": `SELECT COUNT(*) FROM bookings WHERE service = 'PhoneChat' AND status = 'Confirmed' AND settled_at = 0`,
		"paid":      `SELECT COUNT(*) FROM bookings WHERE service = 'PhoneChat' AND settled_at > 0`,
	} {
		if count(t, db, query) == 0 {
			t.Errorf("no %s phone-chat bookings", what)
		}
	}
	rows, err := db.Query(`SELECT DISTINCT user_id FROM credit_ledger`)
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
		bal, err1 := st.CreditBalance(ctx, id)
		sum, err2 := st.LedgerSum(ctx, id)
		if err1 != nil || err2 != nil || bal != sum || bal < 0 {
			t.Errorf("member %d: balance %v, ledger %v (%v %v)", id, bal, sum, err1, err2)
		}
	}

	// The demo client's bookings, one of each state, as the client sees them now.
	bs, total, err := st.Bookings(ctx, awapi.BookingQuery{Service: awapi.ServicePhoneChat, UserID: 1,
		OrderBy: awapi.BookingOrderOf("date-asc"), Page: awapi.Page{Number: 1, Size: 10}})
	if err != nil || total != 5 {
		t.Fatalf("demo bookings: %d (%v)", total, err)
	}
	var states []awapi.BookingStatus
	paid := 0
	for _, b := range bs {
		states = append(states, b.StatusAt(testNow))
		if !b.SettledAt.IsZero() {
			paid++
		}
		if b.Invitations[0].PerformerID != 2 {
			t.Errorf("demo booking with %d", b.Invitations[0].PerformerID)
		}
	}
	want := map[awapi.BookingStatus]int{awapi.StatusPending: 1, awapi.StatusAccepted: 1, awapi.StatusConfirmed: 2, awapi.StatusRejected: 1}
	got := map[awapi.BookingStatus]int{}
	for _, s := range states {
		got[s]++
	}
	if len(got) != len(want) || paid != 1 {
		t.Fatalf("demo states %v (paid %d), want %v and one paid", states, paid, want)
	}
	for s, n := range want {
		if got[s] != n {
			t.Fatalf("demo states %v, want %v", states, want)
		}
	}
	if bal, _ := st.CreditBalance(ctx, 1); bal < 100_00 {
		t.Errorf("the demo client has %v credits", bal)
	}
	p, err := st.PhoneChatPerformer(ctx, 2)
	if err != nil || !p.Bookable() || p.Settings.PhoneChatPPM != 150 || !p.Offers(awapi.MethodSkype) || !p.Offers(awapi.MethodClientCalls) {
		t.Errorf("SandboxPerformer: %+v %v", p, err)
	}
}
