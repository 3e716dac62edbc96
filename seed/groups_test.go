package seed

import (
	"context"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

func TestGroupPagesAndEscortRates(t *testing.T) {
	a, sum := seeded(t, 1200, 42)
	b, _ := seeded(t, 1200, 42)
	db := a.SQL()
	const (
		pages = `SELECT g.group_id, details, website, phone_number, country_id, region_id, county_id, town, post_code,
			(SELECT COUNT(*) FROM group_opening_hours h WHERE h.group_id = g.group_id),
			(SELECT COUNT(*) FROM group_images i WHERE i.group_id = g.group_id) FROM groups g WHERE g.group_id <= ? ORDER BY g.group_id`
		rates = `SELECT user_id, rate_break_id, in_call, out_call FROM member_escort_rates WHERE user_id <= ? ORDER BY user_id, rate_break_id`
	)
	for _, q := range []string{pages, rates} {
		if digest(t, db, q, 2000) != digest(t, b.SQL(), q, 2000) {
			t.Fatalf("same seed, different rows: %s", q)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM groups WHERE details = ''`); n != 0 || sum.Groups < 3 {
		t.Errorf("%d of %d groups without details", n, sum.Groups)
	}
	if n := count(t, db, `SELECT COUNT(DISTINCT group_id) FROM group_opening_hours`); n == 0 {
		t.Error("no group has opening hours")
	}
	g1, err := a.GroupProfile(context.Background(), 1)
	if err != nil || g1.GroupName != SandboxGroupName || g1.Town != "Leeds" || g1.PostCode != "LS1" {
		t.Errorf("group 1 = %+v, %v", g1, err)
	}

	// Every escort offering a kind of call has a 1-hour rate for it, and no rate for a kind they do not offer.
	escorts := `FROM members m WHERE m.is_escort AND m.user_type_id = 1`
	if n, withRate := count(t, db, `SELECT COUNT(*) `+escorts),
		count(t, db, `SELECT COUNT(*) `+escorts+` AND EXISTS (SELECT 1 FROM member_escort_rates r
			WHERE r.user_id = m.user_id AND r.rate_break_id = ?)`, awapi.RateBreakOneHour); n == 0 || withRate != n {
		t.Errorf("%d escorts, %d with a 1-hour rate", n, withRate)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM member_escort_rates r JOIN members m ON m.user_id = r.user_id
		WHERE (r.in_call IS NOT NULL AND NOT m.does_in_calls) OR (r.out_call IS NOT NULL AND NOT m.does_out_calls)
		OR NOT m.is_escort OR r.in_call % 500 <> 0 OR r.out_call % 500 <> 0`); n != 0 {
		t.Errorf("%d rates contradict the member's services or are not whole 5 credits", n)
	}

	// The demo agency lists its members by rate.
	ps, total, err := a.GroupMembers(context.Background(), awapi.GroupMemberQuery{GroupID: 1, Order: awapi.OrderInRatesAsc,
		Page: awapi.Page{Number: 1, Size: 100}, Now: testNow.Add(time.Hour)})
	if err != nil || total < 3 || len(ps) != total {
		t.Fatalf("group 1 members: %d of %d, %v", len(ps), total, err)
	}
}
