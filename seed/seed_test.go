package seed

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/refdata"
	"github.com/awapi/awapi/sqlstore"
)

var testNow = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

func openStore(t testing.TB) *sqlstore.DB {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func seeded(t testing.TB, users int, seed uint64) (*sqlstore.DB, Summary) {
	t.Helper()
	st := openStore(t)
	sum, err := Run(context.Background(), st, Options{Users: users, Seed: seed, Now: testNow})
	if err != nil {
		t.Fatalf("Run(%d, %d): %v", users, seed, err)
	}
	return st, sum
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// digest hashes every row a query returns.
func digest(t testing.TB, db *sql.DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%v\n", vals)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil)[:8]))
}

const (
	membersQuery = `SELECT ` + memberColumnsForTest + ` FROM members WHERE user_id <= ? ORDER BY user_id`
	ratingsQuery = `SELECT user_id, rater_id, service, score, feedback, rated_at, rated_day FROM ratings
		WHERE user_id <= ? ORDER BY user_id, rated_at, rater_id, service, score, feedback`
	viewsQuery   = `SELECT user_id, kind, day, views FROM member_views WHERE user_id <= ? ORDER BY user_id, kind, day`
	webcamsQuery = `SELECT user_id, software_types, minimum_duration FROM webcam_settings WHERE user_id <= ? ORDER BY user_id`
	groupsQuery  = `SELECT group_id, group_name FROM groups WHERE group_id <= ? ORDER BY group_id`
)

const memberColumnsForTest = `user_id, nickname, nickname_lower, email, password_hash, birth_date, user_type_id, gender_id,
	orientation_id, country_id, region_id, county_id, town, post_code, group_id, is_group_manager, is_age_verified,
	is_active, verified, summary, is_escort, is_webcam, is_phone_chat, is_sms_chat, is_content, is_alternative,
	is_other_services, directchat_only, registered_at, last_login, last_updated`

// allDigests fingerprints every seeded table for members up to maxID.
func allDigests(t testing.TB, db *sql.DB, maxID int) []string {
	t.Helper()
	var out []string
	for _, q := range []string{membersQuery, ratingsQuery, viewsQuery, webcamsQuery} {
		out = append(out, digest(t, db, q, maxID))
	}
	return out
}

func TestRunSummaryMatchesDatabase(t *testing.T) {
	var calls [][2]int
	st := openStore(t)
	sum, err := Run(context.Background(), st, Options{Users: 300, Seed: 7, Now: testNow,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	db := st.SQL()
	want := Summary{
		Members:    count(t, db, `SELECT COUNT(*) FROM members`),
		Performers: count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 1`),
		Clients:    count(t, db, `SELECT COUNT(*) FROM members WHERE user_type_id = 2`),
		Groups:     count(t, db, `SELECT COUNT(*) FROM groups`),
		Ratings:    count(t, db, `SELECT COUNT(*) FROM ratings`),
		Views:      count(t, db, `SELECT COUNT(*) FROM member_views`),
	}
	if sum != want {
		t.Fatalf("summary %+v, database %+v", sum, want)
	}
	if sum.Members != 300 || sum.Groups != 2 || sum.Ratings == 0 || sum.Views == 0 {
		t.Fatalf("summary %+v", sum)
	}
	if p := float64(sum.Performers) / float64(sum.Members); p < 0.3 || p > 0.5 {
		t.Errorf("performer share %.2f, want about 0.4", p)
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int{300, 300} {
		t.Errorf("progress calls %v", calls)
	}
}

func TestProgressAndBatching(t *testing.T) {
	defer func(n int) { batchSize = n }(batchSize)
	batchSize = 64
	var calls [][2]int
	st := openStore(t)
	if _, err := Run(context.Background(), st, Options{Users: 300, Seed: 7, Now: testNow,
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 5 {
		t.Fatalf("progress calls %v, want 5 batches", calls)
	}
	for i, c := range calls {
		if c[1] != 300 || (i > 0 && c[0] <= calls[i-1][0]) {
			t.Fatalf("progress calls %v", calls)
		}
	}
	if calls[len(calls)-1][0] != 300 {
		t.Fatalf("progress ends at %v", calls[len(calls)-1])
	}
	batchSize = 5000 // rounds of 100
	other, _ := seeded(t, 300, 7)
	if a, b := allDigests(t, st.SQL(), 300), allDigests(t, other.SQL(), 300); strings.Join(a, " ") != strings.Join(b, " ") {
		t.Fatalf("batch size changed the data:\n%v\n%v", a, b)
	}
}

// TestRoundSize checks that small sandboxes are seeded in several rounds, so their progress shows.
func TestRoundSize(t *testing.T) {
	for users, want := range map[int]int{10: 100, 2000: 200, 20000: 2000, 1000000: 5000} {
		if got := roundSize(users); got != want {
			t.Errorf("roundSize(%d) = %d, want %d", users, got, want)
		}
	}
}

func TestDemoAccounts(t *testing.T) {
	st, _ := seeded(t, 10, 1)
	ctx := context.Background()
	for _, d := range DemoAccounts {
		m, err := st.Member(ctx, d.UserID)
		if err != nil {
			t.Fatalf("demo %d: %v", d.UserID, err)
		}
		if m.Nickname != d.Nickname || m.Email != strings.ToLower(d.Nickname)+"@sandbox.awapi.test" || !m.IsActive {
			t.Errorf("demo %d: %+v", d.UserID, m)
		}
		client := strings.HasPrefix(d.Role, "client")
		if (m.UserTypeID == awapi.UserTypeSeeking) != client {
			t.Errorf("%s: user type %d for role %q", d.Nickname, m.UserTypeID, d.Role)
		}
		if m.CountryID != refdata.UnitedKingdomID {
			t.Errorf("%s: country %d", d.Nickname, m.CountryID)
		}
		if c, ok := refdata.CountyByID(m.CountyID); !ok || c.RegionID != m.RegionID || !contains(refdata.Towns(m.CountyID), m.Town) {
			t.Errorf("%s: location %d/%d/%s", d.Nickname, m.RegionID, m.CountyID, m.Town)
		}
	}
	m := must(st.Member(ctx, 1))
	if !m.IsAgeVerified || m.Services != (awapi.Services{}) {
		t.Errorf("SandboxClient %+v", m)
	}
	m = must(st.Member(ctx, 2))
	if !m.Verified || m.Services != (awapi.Services{IsEscort: true, IsWebcam: true, IsPhoneChat: true}) {
		t.Errorf("SandboxPerformer %+v", m)
	}
	var types string
	var minimum int
	if err := st.SQL().QueryRow(`SELECT software_types, minimum_duration FROM webcam_settings WHERE user_id = 2`).Scan(&types, &minimum); err != nil || types != "1,3" || minimum != 10 {
		t.Errorf("SandboxPerformer webcam settings %q %d %v", types, minimum, err)
	}
	m = must(st.Member(ctx, 3))
	if m.GroupID != 1 || !m.IsGroupManager || m.UserTypeID != awapi.UserTypeOffering {
		t.Errorf("SandboxManager %+v", m)
	}
	for _, id := range []int64{4, 5} {
		m = must(st.Member(ctx, id))
		if m.GroupID != 1 || m.IsGroupManager || !m.IsWebcam || m.UserTypeID != awapi.UserTypeOffering {
			t.Errorf("agency performer %+v", m)
		}
	}
	m = must(st.Member(ctx, 6))
	if !m.IsPhoneChat || !m.IsWebcam || !m.DirectChatOnly {
		t.Errorf("DirectChatDiana %+v", m)
	}
	// The demo client has a hotlist of the demo performers and one blacklisted member.
	lists := must(st.HotLists(ctx, 1))
	if len(lists) != 1 || lists[0].ListName != demoHotListName || lists[0].MemberCount != 3 {
		t.Errorf("demo hotlists %+v", lists)
	}
	if ids, total, err := st.Blacklist(ctx, 1, awapi.Page{Number: 1, Size: 10}); err != nil || total != 1 || ids[0] != firstGenerated {
		t.Errorf("demo blacklist %v %d %v", ids, total, err)
	}
	var name string
	if err := st.SQL().QueryRow(`SELECT group_name FROM groups WHERE group_id = 1`).Scan(&name); err != nil || name != "Sandbox Agency" {
		t.Errorf("group 1 %q %v", name, err)
	}
	// Even the smallest sandbox has top-list entries for today.
	for _, typ := range []awapi.TopListType{"ProfileViews", "WebcamViews", "WebcamRatings", "PhoneChatViews"} {
		list, err := st.TopList(ctx, awapi.TopListQuery{Type: typ, Period: awapi.DateRangePeriod("Today", testNow, time.UTC), Limit: 10})
		if err != nil || len(list) == 0 {
			t.Errorf("%s today: %v %v", typ, list, err)
		}
	}
	list, err := st.TopList(ctx, awapi.TopListQuery{Type: "ProfileViews", Period: awapi.DateRangePeriod("Yesterday", testNow, time.UTC), Limit: 10})
	if err != nil || len(list) == 0 {
		t.Errorf("ProfileViews yesterday: %v %v", list, err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDeterminism(t *testing.T) {
	a, _ := seeded(t, 200, 42)
	b, _ := seeded(t, 200, 42)
	da, db := allDigests(t, a.SQL(), 200), allDigests(t, b.SQL(), 200)
	if strings.Join(da, " ") != strings.Join(db, " ") {
		t.Fatalf("same seed, different data:\n%v\n%v", da, db)
	}
	if digest(t, a.SQL(), groupsQuery, 1000) != digest(t, b.SQL(), groupsQuery, 1000) {
		t.Fatal("same seed, different groups")
	}

	// Member N is the same whatever the size: compare the first 100 of a 100 and a 200 sandbox.
	small, _ := seeded(t, 100, 42)
	ds, dl := allDigests(t, small.SQL(), 100), allDigests(t, a.SQL(), 100)
	if strings.Join(ds, " ") != strings.Join(dl, " ") {
		t.Fatalf("size changed the first members:\n%v\n%v", ds, dl)
	}

	other, _ := seeded(t, 200, 43)
	if digest(t, other.SQL(), membersQuery, 200) == da[0] {
		t.Fatal("a different seed gave the same members")
	}
	// The demo accounts do not depend on the seed.
	if digest(t, other.SQL(), membersQuery, 6) != digest(t, a.SQL(), membersQuery, 6) {
		t.Fatal("the demo accounts depend on the seed")
	}
}

func TestGeneratedData(t *testing.T) {
	st, _ := seeded(t, 3000, 5)
	db := st.SQL()

	// Nicknames: unique ignoring case, readable, at most 20 characters.
	if n := count(t, db, `SELECT COUNT(*) FROM (SELECT LOWER(nickname) FROM members GROUP BY LOWER(nickname) HAVING COUNT(*) > 1)`); n != 0 {
		t.Errorf("%d duplicate nicknames", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM members WHERE LENGTH(nickname) > 20 OR LENGTH(nickname) < 3`); n != 0 {
		t.Errorf("%d nicknames of a bad length", n)
	}
	if n := count(t, db, `SELECT COUNT(DISTINCT email) FROM members`); n != 3000 {
		t.Errorf("%d distinct emails", n)
	}

	// Ages 18 to 65 on Now's day.
	rows, err := db.Query(`SELECT user_id, birth_date FROM members`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, micros int64
		if err := rows.Scan(&id, &micros); err != nil {
			t.Fatal(err)
		}
		b := time.UnixMicro(micros).UTC()
		age := testNow.Year() - b.Year()
		if testNow.Month() < b.Month() || (testNow.Month() == b.Month() && testNow.Day() < b.Day()) {
			age--
		}
		if age < 18 || age > 65 || b.Hour() != 0 {
			t.Errorf("member %d born %s is %d", id, b, age)
		}
	}
	rows.Close()

	checks := []struct {
		what  string
		query string
		want  int
	}{
		{"webcam performers without settings", `SELECT COUNT(*) FROM members m LEFT JOIN webcam_settings w ON w.user_id = m.user_id
			WHERE m.is_webcam AND w.user_id IS NULL`, 0},
		{"settings without webcam", `SELECT COUNT(*) FROM webcam_settings w JOIN members m ON m.user_id = w.user_id WHERE NOT m.is_webcam`, 0},
		{"bad webcam settings", `SELECT COUNT(*) FROM webcam_settings WHERE software_types = '' OR minimum_duration NOT IN (5, 10, 15, 20, 30)`, 0},
		{"clients offering services", `SELECT COUNT(*) FROM members WHERE user_type_id = 2 AND (is_escort OR is_webcam OR is_phone_chat
			OR is_sms_chat OR is_content OR is_alternative OR is_other_services OR directchat_only)`, 0},
		{"other services beside others", `SELECT COUNT(*) FROM members WHERE is_other_services AND (is_escort OR is_webcam OR is_phone_chat
			OR is_sms_chat OR is_content OR is_alternative)`, 0},
		{"directchat without phone chat", `SELECT COUNT(*) FROM members WHERE directchat_only AND NOT is_phone_chat`, 0},
		{"bad dates", `SELECT COUNT(*) FROM members WHERE registered_at > last_updated OR last_updated > last_login OR last_login > ?`, 0},
		{"raters that are not earlier clients", `SELECT COUNT(*) FROM ratings r JOIN members c ON c.user_id = r.rater_id
			WHERE c.user_type_id <> 2 OR r.rater_id >= r.user_id`, 0},
		{"ratings of clients", `SELECT COUNT(*) FROM ratings r JOIN members m ON m.user_id = r.user_id WHERE m.user_type_id <> 1`, 0},
		{"ratings of services not offered", `SELECT COUNT(*) FROM ratings r JOIN members m ON m.user_id = r.user_id WHERE
			(r.service = 'Escort' AND NOT m.is_escort) OR (r.service = 'Webcam' AND NOT m.is_webcam)
			OR (r.service = 'PhoneChat' AND NOT m.is_phone_chat)`, 0},
		{"ratings outside two years", `SELECT COUNT(*) FROM ratings WHERE rated_at > ? OR rated_at < ? - 731 * 86400000000`, 0},
		{"views of performers without a profile row", `SELECT COUNT(*) FROM members m WHERE m.user_type_id = 1 AND NOT EXISTS
			(SELECT 1 FROM member_views v WHERE v.user_id = m.user_id AND v.kind = 1)`, 0},
		{"views out of range", `SELECT COUNT(*) FROM member_views WHERE views < 1 OR views > 200 OR day > 20260318 OR day < 20250212`, 0},
		{"views of services not offered", `SELECT COUNT(*) FROM member_views v JOIN members m ON m.user_id = v.user_id WHERE
			(v.kind = 2 AND NOT m.is_escort) OR (v.kind = 3 AND NOT m.is_phone_chat) OR (v.kind = 4 AND NOT m.is_webcam)`, 0},
		{"groups without exactly one manager", `SELECT COUNT(*) FROM groups g WHERE (SELECT COUNT(*) FROM members m
			WHERE m.group_id = g.group_id AND m.is_group_manager) <> 1`, 0},
		{"managers that are not their group's first member", `SELECT COUNT(*) FROM members m WHERE m.is_group_manager AND EXISTS
			(SELECT 1 FROM members o WHERE o.group_id = m.group_id AND o.user_id < m.user_id)`, 0},
		{"clients in groups", `SELECT COUNT(*) FROM members WHERE group_id IS NOT NULL AND user_type_id <> 1`, 0},
	}
	for _, c := range checks {
		var args []any
		if strings.Count(c.query, "?") > 0 {
			args = append(args, testNow.UnixMicro())
			if strings.Count(c.query, "?") > 1 {
				args = append(args, testNow.UnixMicro())
			}
		}
		if got := count(t, db, c.query, args...); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}

	// Locations: mostly the UK, always a real region, county and town there, with a postcode.
	uk := count(t, db, `SELECT COUNT(*) FROM members WHERE country_id = ?`, refdata.UnitedKingdomID)
	if share := float64(uk) / 3000; share < 0.8 || share > 0.9 {
		t.Errorf("UK share %.2f", share)
	}
	rows, err = db.Query(`SELECT user_id, country_id, region_id, county_id, town, post_code FROM members`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, country, region, county int
			town, postcode              string
		)
		if err := rows.Scan(&id, &country, &region, &county, &town, &postcode); err != nil {
			t.Fatal(err)
		}
		if _, ok := refdata.CountryByID(country); !ok {
			t.Errorf("member %d: country %d", id, country)
		}
		if region != 0 {
			if r, ok := refdata.RegionByID(region); !ok || r.CountryID != country {
				t.Errorf("member %d: region %d in country %d", id, region, country)
			}
		}
		if county != 0 {
			if c, ok := refdata.CountyByID(county); !ok || c.RegionID != region || !contains(refdata.Towns(county), town) {
				t.Errorf("member %d: county %d town %q", id, county, town)
			}
		}
		if country == refdata.UnitedKingdomID && (county == 0 || postcode == "") {
			t.Errorf("member %d: UK without county or postcode", id)
		}
	}

	// Top lists have entries for the short ranges.
	for _, r := range []string{"Today", "Yesterday", "ThisWeek"} {
		for _, typ := range []awapi.TopListType{"ProfileViews", "EscortRatings"} {
			list, err := st.TopList(context.Background(), awapi.TopListQuery{Type: typ, Period: awapi.DateRangePeriod(r, testNow, time.UTC), Limit: 5})
			if err != nil || len(list) == 0 {
				t.Errorf("%s %s: %v %v", typ, r, list, err)
			}
		}
	}
}

// TestNicknameSpaces checks the guarantee behind nickname uniqueness: the word pairs of all spaces are
// distinct ignoring case, differ from the demo nicknames, and hold no digits; names within a space are
// distinct across cycles and stay within 20 characters.
func TestNicknameSpaces(t *testing.T) {
	g := newGenerator(1, testNow)
	seen := map[string]string{}
	for _, d := range DemoAccounts {
		seen[strings.ToLower(d.Nickname)] = "demo"
	}
	for name, s := range map[string]nameSpace{"female": g.female, "male": g.male, "couple": g.couple} {
		for _, w := range append(append([]string(nil), s.first...), s.second...) {
			if len(w) > 8 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
				t.Errorf("%s word %q", name, w)
			}
		}
		for i := range s.size() {
			n := strings.ToLower(s.name(i))
			if other, dup := seen[n]; dup {
				t.Errorf("%s nickname %q also in %s", name, n, other)
			}
			seen[n] = name
		}
		within := map[string]bool{}
		for _, i := range []int64{0, 1, s.size() - 1, s.size(), s.size() + 1, 2 * s.size(), 1_000_000, 1_000_001, 9_999_999} {
			n := s.name(i)
			if within[n] || len(n) > 20 || (i >= s.size()) != strings.ContainsAny(n, "0123456789") {
				t.Errorf("%s name(%d) = %q", name, i, n)
			}
			within[n] = true
		}
	}
}

func TestGroupNames(t *testing.T) {
	g := newGenerator(1, testNow)
	seen := map[string]bool{SandboxGroupName: true}
	for i := range 20000 {
		n := g.groups.name(i)
		if seen[n] {
			t.Fatalf("group name %d %q repeats", i, n)
		}
		seen[n] = true
	}
	if n := groupCount(1_000_000); n < 1900 || n > 2100 {
		t.Errorf("groupCount(1M) = %d", n)
	}
}

func TestPostcodesCoverEveryUKTown(t *testing.T) {
	for _, r := range refdata.Regions(refdata.UnitedKingdomID) {
		if len(regionPostcodes[r.RegionID]) == 0 {
			t.Errorf("region %d has no fallback postcodes", r.RegionID)
		}
		for _, c := range refdata.Counties(r.RegionID) {
			for _, town := range refdata.Towns(c.CountyID) {
				if len(townPostcodes(c.CountyID, town)) == 0 {
					t.Errorf("no postcode for %s (county %d)", town, c.CountyID)
				}
			}
		}
	}
}

func TestRejectsTooFewUsers(t *testing.T) {
	if _, err := Run(context.Background(), openStore(t), Options{Users: 9, Now: testNow}); err == nil {
		t.Fatal("Users 9 accepted")
	}
}

// TestEngines runs a small seed on every configured engine (PostgreSQL when AWAPI_TEST_POSTGRES is set).
func TestEngines(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			sum, err := Run(context.Background(), st, Options{Users: 120, Seed: 3, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if n := count(t, st.SQL(), `SELECT COUNT(*) FROM ratings`); n != sum.Ratings || sum.Members != 120 {
				t.Fatalf("summary %+v, %d ratings", sum, n)
			}
		})
	}
}

func BenchmarkSeed10k(b *testing.B) {
	const users = 10_000
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := openStore(b)
		b.StartTimer()
		start := time.Now()
		if _, err := Run(context.Background(), st, Options{Users: users, Seed: uint64(i), Now: testNow}); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(users*b.N)/elapsed.Seconds(), "members/s")
}
