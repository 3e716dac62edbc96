package seed

import (
	"context"
	"strings"
	"testing"
)

// unchangedQueries fingerprint every row the seeder wrote before contact data was added (migration
// 00011), column by column, leaving out only the members' contact columns of performers.
var unchangedQueries = []string{
	`SELECT ` + memberColumnsForTest + `, nationality_id, details, tvts, does_in_calls, does_out_calls, is_directcam,
		is_directchat, has_gallery, has_private_gallery, has_movie_clips, has_movie_rentals, has_sale_items, has_blog,
		available_escort_day, webcam_available_until, phonechat_available_until, views, rating_positive, rating_neutral,
		rating_negative, rating_disputes, rating_score, field_report_count FROM members ORDER BY user_id`,
	`SELECT user_id, mobile_number, mobile_verified FROM members WHERE user_type_id = 2 ORDER BY user_id`,
	`SELECT group_id, group_name, details, website, phone_number, country_id, region_id, county_id, town, post_code
		FROM groups ORDER BY group_id`,
	`SELECT group_id, weekday, opens, closes FROM group_opening_hours ORDER BY group_id, weekday`,
	`SELECT group_id, image_no, safe, description FROM group_images ORDER BY group_id, image_no`,
	`SELECT user_id, software_types, minimum_duration FROM webcam_settings ORDER BY user_id`,
	`SELECT rating_id, user_id, rater_id, service, score, feedback, rated_at, rated_day, disputed FROM ratings ORDER BY rating_id`,
	`SELECT user_id, kind, day, views FROM member_views ORDER BY user_id, kind, day`,
	`SELECT user_id, image_no, safe, description FROM member_images ORDER BY user_id, image_no`,
	`SELECT tour_id, user_id, country_id, region_id, county_id, town, post_code, date_from, date_to, created FROM tours ORDER BY tour_id`,
	`SELECT report_id, user_id, author_id, created, created_day, meet_day, in_call, out_call, recommended, visit_again,
		rating, title, report, country_id, region_id, county_id, town FROM field_reports ORDER BY report_id`,
	`SELECT user_id, rate_break_id, in_call, out_call FROM member_escort_rates ORDER BY user_id, rate_break_id`,
	`SELECT list_id, user_id, list_name, name_lower, created_at, updated_at FROM hotlists ORDER BY list_id`,
	`SELECT list_id, member_id, notes, added_at, updated_at FROM hotlist_members ORDER BY list_id, member_id`,
	`SELECT user_id, blocked_id, added_at FROM blacklist ORDER BY user_id, blocked_id`,
}

// TestContactLeavesTheSeedUnchanged: contact data draws from a stream of its own, so every value the
// seeder generated before it is the same for the same seed. The fingerprints were taken before contact
// data existed; a deliberate change to the seed updates them.
func TestContactLeavesTheSeedUnchanged(t *testing.T) {
	st, _ := seeded(t, 1200, 42)
	var got []string
	for _, q := range unchangedQueries {
		got = append(got, digest(t, st.SQL(), q))
	}
	want := []string{
		"1200 rows 6887d05e83341277", "710 rows bc7803207fe43716", "4 rows c3effa616c5af8f2", "19 rows 90de632b1fe3ec03",
		"1 rows 5caa1c01fa1d4729", "231 rows d826ff66e04994d7", "3034 rows 1d0f02371872f317", "2721 rows 12ac40a7af5cb727",
		"1181 rows 47f0cf7cf2c039a8", "23 rows 6be37f655adff1e9", "182 rows 0db8d926de4a1620", "876 rows 3f0b17fa29ae6835",
		"1 rows 3efd6873afbfa10b", "3 rows 5c0c36159b1596ec", "1 rows 0ed3e400cb96d824",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("seeded data changed:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestContactData: most performers have a mobile number, most of them verified and shown, all in
// Ofcom's drama range; clients never show theirs; the same seed gives the same numbers and the demo
// performers have fixed ones.
func TestContactData(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db := st.SQL()
	performers := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1`)
	withNumber := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND mobile_number <> ''`)
	shown := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND mobile_number <> '' AND show_mobile_number`)
	verified := count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND mobile_number <> '' AND mobile_verified`)
	for _, share := range []struct {
		what     string
		n, of    int
		min, max float64
	}{
		{"performers with a mobile number", withNumber, performers, 0.8, 0.9},
		{"numbers shown", shown, withNumber, 0.7, 0.9},
		{"numbers verified", verified, withNumber, 0.65, 0.85},
	} {
		if p := float64(share.n) / float64(share.of); p < share.min || p > share.max {
			t.Errorf("%s: %d of %d (%.2f), want %.2f-%.2f", share.what, share.n, share.of, p, share.min, share.max)
		}
	}
	for what, query := range map[string]string{
		"clients showing a number":        `SELECT COUNT(*) FROM members WHERE user_type_id = 2 AND show_mobile_number`,
		"shown without a number":          `SELECT COUNT(*) FROM members WHERE show_mobile_number AND mobile_number = ''`,
		"performer numbers outside range": `SELECT COUNT(*) FROM members WHERE user_type_id = 1 AND mobile_number <> '' AND mobile_number NOT LIKE '07700900___'`,
	} {
		if n := count(t, db, query); n != 0 {
			t.Errorf("%s: %d", what, n)
		}
	}

	const contacts = `SELECT user_id, mobile_number, mobile_verified, show_mobile_number FROM members WHERE user_id <= ? ORDER BY user_id`
	again, _ := seeded(t, 1000, 5)
	if digest(t, again.SQL(), contacts, 1000) != digest(t, db, contacts, 1000) {
		t.Error("same seed, different contact data")
	}
	other, _ := seeded(t, 1000, 6)
	if digest(t, other.SQL(), contacts, 1000) == digest(t, db, contacts, 1000) {
		t.Error("a different seed gave the same contact data")
	}
	if digest(t, other.SQL(), contacts, 6) != digest(t, db, contacts, 6) {
		t.Error("the demo accounts' contact data depends on the seed")
	}
	m := must(st.Member(context.Background(), 2))
	if m.MobileNumber != "07700900002" || !m.MobileVerified || !m.ShowMobileNumber {
		t.Errorf("SandboxPerformer contact %q %v %v", m.MobileNumber, m.MobileVerified, m.ShowMobileNumber)
	}
}
