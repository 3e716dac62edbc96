package seed

import "testing"

const reportsQuery = `SELECT user_id, author_id, created, meet_day, in_call, out_call, recommended, visit_again, rating, title,
	report, country_id, region_id, county_id, town FROM field_reports WHERE user_id <= ? ORDER BY user_id, created, author_id`

func TestFieldReportsAndDisputes(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db := st.SQL()
	reports := count(t, db, `SELECT COUNT(*) FROM field_reports`)
	escorts := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND is_escort`)
	if reports == 0 || reports > escorts {
		t.Fatalf("%d field reports for %d escorts", reports, escorts)
	}
	// Every report is on an escort, by a client with a lower ID (or the demo client), met on or before
	// the day it was written, with a rating out of 10 and an in-call or an out-call.
	if n := count(t, db, `SELECT COUNT(*) FROM field_reports f JOIN members m ON m.user_id = f.user_id
		JOIN members a ON a.user_id = f.author_id
		WHERE NOT m.is_escort OR a.user_type_id = 1 OR (f.author_id >= f.user_id AND f.author_id <> 1)
		   OR f.meet_day > f.created_day OR f.rating NOT BETWEEN 1 AND 10 OR f.in_call = f.out_call`); n != 0 {
		t.Errorf("%d implausible field reports", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM members m WHERE field_report_count <>
		(SELECT COUNT(*) FROM field_reports f WHERE f.user_id = m.user_id)`); n != 0 {
		t.Errorf("%d members with a wrong field_report_count", n)
	}
	if count(t, db, `SELECT COUNT(*) FROM members WHERE field_report_count >= 2`) == 0 {
		t.Error("no member has several reports (MinReports has nothing to find)")
	}
	// Disputes: only on negative ratings, some of them, and counted on the member.
	disputed := count(t, db, `SELECT COUNT(*) FROM ratings WHERE disputed`)
	negative := count(t, db, `SELECT COUNT(*) FROM ratings WHERE score < 0`)
	if disputed == 0 || disputed >= negative || count(t, db, `SELECT COUNT(*) FROM ratings WHERE disputed AND score >= 0`) != 0 {
		t.Errorf("%d disputed of %d negative ratings", disputed, negative)
	}
	if sum := count(t, db, `SELECT SUM(rating_disputes) FROM members`); sum != disputed {
		t.Errorf("members count %d disputes, ratings %d", sum, disputed)
	}

	// Deterministic, and independent of the sandbox's size.
	small, _ := seeded(t, 1000, 5)
	if a, b := digest(t, small.SQL(), reportsQuery, 1000), digest(t, db, reportsQuery, 1000); a != b {
		t.Errorf("field reports depend on the size: %s vs %s", a, b)
	}
}
