package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// profileFactColumns are the members columns of awapi.ProfileFacts (migration 00005), in the order of
// profileFactArgs and profileFactDests.
const profileFactColumns = `nationality_id, details, tvts, does_in_calls, does_out_calls, is_directcam, is_directchat,
	has_gallery, has_private_gallery, has_movie_clips, has_movie_rentals, has_sale_items, has_blog,
	available_escort_day, webcam_available_until, phonechat_available_until, phonechat_number_shown`

func profileFactArgs(f *awapi.ProfileFacts) []any {
	day := 0
	if !f.AvailableEscortOn.IsZero() {
		day = awapi.DayNumber(f.AvailableEscortOn)
	}
	return []any{f.NationalityID, f.Details, f.TVTS, f.DoesInCalls, f.DoesOutCalls, f.IsDirectCam, f.IsDirectChat,
		f.HasGallery, f.HasPrivateGallery, f.HasMovieClips, f.HasMovieRentals, f.HasSaleItems, f.HasBlog,
		day, micros(f.WebcamAvailableUntil), micros(f.PhoneChatAvailableUntil), f.ShowsPhoneChatNumber}
}

// factTimes holds the stored forms of ProfileFacts' times while scanning.
type factTimes struct {
	escortDay               int
	webcamUntil, phoneUntil int64
}

func (t *factTimes) apply(f *awapi.ProfileFacts) {
	f.AvailableEscortOn = fromDayNumber(t.escortDay)
	f.WebcamAvailableUntil, f.PhoneChatAvailableUntil = fromMicros(t.webcamUntil), fromMicros(t.phoneUntil)
}

func profileFactDests(f *awapi.ProfileFacts, t *factTimes) []any {
	return []any{&f.NationalityID, &f.Details, &f.TVTS, &f.DoesInCalls, &f.DoesOutCalls, &f.IsDirectCam, &f.IsDirectChat,
		&f.HasGallery, &f.HasPrivateGallery, &f.HasMovieClips, &f.HasMovieRentals, &f.HasSaleItems, &f.HasBlog,
		&t.escortDay, &t.webcamUntil, &t.phoneUntil, &f.ShowsPhoneChatNumber}
}

// fromDayNumber turns a stored yyyymmdd calendar day into its date (UTC midnight); 0 is the zero time.
func fromDayNumber(n int) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Date(n/10000, time.Month(n/100%100), n%100, 0, 0, 0, 0, time.UTC)
}

// dayNumber is the stored form of a date (UTC midnight); the zero time is stored as 0.
func dayNumber(d time.Time) int {
	if d.IsZero() {
		return 0
	}
	return awapi.DayNumber(d)
}

// today is now's calendar day in the server's zone, as stored.
func (s *DB) today(now time.Time) int { return awapi.DayNumber(now.In(s.loc)) }

// distinctIDs lists the distinct IDs among n items, sorted.
func distinctIDs(n int, id func(i int) int64) []int64 {
	ids := make([]int64, n)
	for i := range n {
		ids[i] = id(i)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// recountRatings recomputes the rating counters of the given members from their ratings, inside the
// transaction that changed those ratings. Every write to ratings must call it. Recounting (rather
// than incrementing) keeps the counters right whatever the change was.
func (s *DB) recountRatings(ctx context.Context, tx txConn, userIDs []int64) error {
	in, list := anyOf(s, "user_id", userIDs)
	_, err := tx.exec(ctx, `UPDATE members SET
			(rating_positive, rating_neutral, rating_negative, rating_disputes, rating_score) = (
				SELECT COALESCE(SUM(CASE WHEN r.score > 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.score = 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.score < 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(r.score), 0)
				FROM ratings r WHERE r.user_id = members.user_id)
			WHERE `+in, list)
	return err
}

// recountViews recomputes the given members' all-time profile-page views, inside the transaction that
// changed their daily counters. Every write to member_views must call it.
func (s *DB) recountViews(ctx context.Context, tx txConn, userIDs []int64) error {
	in, list := anyOf(s, "user_id", userIDs)
	_, err := tx.exec(ctx, `UPDATE members SET views = (
			SELECT COALESCE(SUM(v.views), 0) FROM member_views v
			WHERE v.user_id = members.user_id AND v.kind = `+strconv.Itoa(int(awapi.ViewsProfile))+`)
		WHERE `+in, list)
	return err
}

// profileColumns are what a Profile reads from members beyond the Member columns.
const profileColumns = memberColumns + `, views, rating_positive, rating_neutral, rating_negative, rating_disputes,
	COALESCE((SELECT g.group_name FROM groups g WHERE g.group_id = members.group_id), '')`

func scanProfile(row interface{ Scan(...any) error }) (awapi.Profile, error) {
	var p awapi.Profile
	r := &p.Ratings
	m, err := scanMember(rowWithTail{row, []any{&p.Views, &r.Positive, &r.Neutral, &r.Negative, &r.Disputes, &p.GroupName}})
	p.Member = m
	p.Email, p.PasswordHash = "", "" // never part of a public profile
	return p, err
}

// rowWithTail lets scanMember scan a row that has more columns after the Member ones.
type rowWithTail struct {
	row  interface{ Scan(...any) error }
	tail []any
}

func (r rowWithTail) Scan(dest ...any) error { return r.row.Scan(append(dest, r.tail...)...) }

// Profiles reads the public profiles of active members in the order of ids.
func (s *DB) Profiles(ctx context.Context, ids []int64, now time.Time) (_ []awapi.Profile, err error) {
	defer wrap(&err, "Profiles")
	if len(ids) == 0 {
		return []awapi.Profile{}, nil
	}
	byID := make(map[int64]*awapi.Profile, len(ids))
	var found []int64
	err = func() error {
		in, list := anyOf(s, "user_id", ids)
		rows, err := s.query(ctx, `SELECT `+profileColumns+` FROM members WHERE is_active AND `+in, list)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProfile(rows)
			if err != nil {
				return err
			}
			byID[p.UserID] = &p
			found = append(found, p.UserID)
		}
		return rows.Err()
	}()
	if err == nil {
		err = s.fillProfiles(ctx, byID, found, now)
	}
	if err != nil {
		return nil, err
	}
	out := make([]awapi.Profile, 0, len(found))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, *p)
		}
	}
	return out, nil
}

// fillProfiles adds the images and the on-tour flag to profiles read from members.
func (s *DB) fillProfiles(ctx context.Context, byID map[int64]*awapi.Profile, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	today := s.today(now)
	in, list := anyOf(s, "user_id", ids)
	rows, err := s.query(ctx, `SELECT user_id, image_no, safe, description FROM member_images
		WHERE `+in+` ORDER BY user_id, image_no`, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var im awapi.ProfileImage
		if err := rows.Scan(&im.UserID, &im.Number, &im.Safe, &im.Description); err != nil {
			return err
		}
		p := byID[im.UserID]
		p.Images = append(p.Images, im)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tours, err := s.query(ctx, `SELECT DISTINCT user_id FROM tours
		WHERE `+in+` AND date_to >= ? AND date_from <= ?`, list, today, today)
	if err != nil {
		return err
	}
	defer tours.Close()
	for tours.Next() {
		var id int64
		if err := tours.Scan(&id); err != nil {
			return err
		}
		byID[id].IsOnTour = true
	}
	return tours.Err()
}

// publicMembers is the predicate of every search and of the members_public_* partial indexes; it must
// stay literally the same as in migration 00005 for the planners to use them.
const publicMembers = `is_active AND user_type_id = 1`

// profileOrder is a SearchProfiles ordering: its sort keys, the last of which is unique, so a page
// can start right after the sort key of the previous page's last row (a seek).
type profileOrder []orderKey

type orderKey struct {
	col  string
	desc bool
}

// profileOrders are the SearchProfiles orderings; each matches an index.
var profileOrders = map[awapi.ProfileOrder]profileOrder{
	awapi.OrderLastUpdated:  {{"last_updated", true}, {"user_id", true}},
	awapi.OrderRating:       {{"rating_score", true}, {"user_id", true}},
	awapi.OrderViews:        {{"views", true}, {"user_id", true}},
	awapi.OrderAgeAsc:       {{"birth_date", true}, {"user_id", true}},
	awapi.OrderAgeDesc:      {{"birth_date", false}, {"user_id", false}},
	awapi.OrderNicknameAsc:  {{"nickname_lower", false}},
	awapi.OrderNicknameDesc: {{"nickname_lower", true}},
	awapi.OrderRegisterDate: {{"registered_at", true}, {"user_id", true}},
	awapi.OrderDistance:     {{"near.km", false}, {"last_updated", true}, {"user_id", true}},
}

// orderBy is the ORDER BY clause.
func (o profileOrder) orderBy() string {
	parts := make([]string, len(o))
	for i, k := range o {
		parts[i] = k.col
		if k.desc {
			parts[i] += " DESC"
		}
	}
	return strings.Join(parts, ", ")
}

// columns lists the sort keys, for the select list.
func (o profileOrder) columns() string {
	parts := make([]string, len(o))
	for i, k := range o {
		parts[i] = k.col
	}
	return strings.Join(parts, ", ")
}

// after is the condition "the row sorts after the row whose keys are end", with its arguments: a
// row-value comparison when every key runs the same way (which both engines answer with an index
// range), else the comparison spelt out key by key.
func (o profileOrder) after(end []any) (string, []any) {
	op := func(k orderKey) string {
		if k.desc {
			return "<"
		}
		return ">"
	}
	same := true
	for _, k := range o[1:] {
		same = same && k.desc == o[0].desc
	}
	if same {
		if len(o) == 1 {
			return o[0].col + " " + op(o[0]) + " ?", end
		}
		return "(" + o.columns() + ") " + op(o[0]) + " (" + marks(len(o)) + ")", end
	}
	var (
		ors  []string
		args []any
	)
	for i, k := range o {
		var ands []string
		for j := range i {
			ands = append(ands, o[j].col+" = ?")
			args = append(args, end[j])
		}
		ands = append(ands, k.col+" "+op(k)+" ?")
		args = append(args, end[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// birthDateBounds turns inclusive ages in whole years on today's date (in the server's zone) into
// bounds on birth_date (micros): born on or before maxBirth and after minBirth; nil means unbounded
// (not 0, which is a real birth date: 1 January 1970).
func (s *DB) birthDateBounds(now time.Time, minAge, maxAge int) (maxBirth, minBirth *int64) {
	today := now.In(s.loc)
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if minAge > 0 {
		v := micros(day.AddDate(-minAge, 0, 0))
		maxBirth = &v
	}
	if maxAge > 0 {
		v := micros(day.AddDate(-maxAge-1, 0, 0))
		minBirth = &v
	}
	return maxBirth, minBirth
}

// profileSearch builds a profile search: the members matching q, in q's order. The order must be
// one of profileOrders (distance only with Near).
//
// walk (SQLite, a location search in an order other than distance) builds the page to walk the
// ordering's index and test each member's post code against the districts, instead of probing the
// post code index for every district and sorting all the matches; SearchProfiles chooses it when
// the matches are dense enough that a page is found after a short walk (walkNear).
func (s *DB) profileSearch(q *awapi.ProfileQuery, walk bool) (*pagedQuery, error) {
	o, ok := profileOrders[q.Order]
	if !ok || (q.Order == awapi.OrderDistance && q.Near == nil) {
		return nil, fmt.Errorf("unsupported order %q", q.Order)
	}
	var (
		b strings.Builder
		p = &pagedQuery{cols: `user_id, 0.0, ` + o.columns(), order: o.orderBy()}
	)
	if walk {
		// The unary + keeps SQLite from probing the post code index with the list: it walks the
		// ordering's index (or a filter's) instead.
		p.from = `FROM members`
		b.WriteString(`WHERE ` + publicMembers + ` AND +post_code IN (SELECT key FROM json_each(?))`)
		p.args = []any{mustJSON(q.Near)}
	} else if q.Near != nil {
		// The districts within the radius, each with its distance, joined on the post_code index.
		p.with, p.args = s.nearWith(q.Near)
		p.cols = `user_id, near.km, ` + o.columns()
		// SQLite: CROSS JOIN fixes the join order (loop over the districts) and INDEXED BY the index
		// to probe for each, since with an ORDER BY its planner otherwise builds an automatic index
		// over every public member. PostgreSQL plans the join itself.
		members := `members`
		if s.engine == SQLite {
			members = `members INDEXED BY members_public_post_code`
		}
		p.from = `FROM near CROSS JOIN ` + members
		b.WriteString(`WHERE members.post_code = near.code AND ` + publicMembers)
		if s.engine == Postgres {
			// The same districts as an array gives PostgreSQL an index condition on
			// members_public_post_code instead of a hash join over every public member.
			b.WriteString(` AND members.post_code = ANY (CAST(? AS TEXT[]))`)
			p.args = append(p.args, slices.Sorted(maps.Keys(q.Near)))
		}
	} else {
		p.from = `FROM members`
		b.WriteString(`WHERE ` + publicMembers)
	}
	cond := func(sql string, a ...any) {
		b.WriteString(" AND " + sql)
		p.args = append(p.args, a...)
	}
	inInts := func(col string, ids []int) {
		if len(ids) > 0 {
			in, list := anyOf(s, col, ids)
			cond(in, list)
		}
	}
	if q.CountryID != 0 {
		cond(`country_id = ?`, q.CountryID)
	}
	inInts("gender_id", q.GenderIDs)
	maxBirth, minBirth := s.birthDateBounds(q.Now, q.MinAge, q.MaxAge)
	if maxBirth != nil {
		cond(`birth_date <= ?`, *maxBirth)
	}
	if minBirth != nil {
		cond(`birth_date > ?`, *minBirth)
	}
	inInts("orientation_id", q.OrientationIDs)
	if q.RegionID != 0 {
		cond(`region_id = ?`, q.RegionID)
	}
	if q.CountyID != 0 {
		cond(`county_id = ?`, q.CountyID)
	}
	if q.Town != "" {
		cond(`LOWER(town) LIKE ? ESCAPE '\'`, likeContains(q.Town))
	}
	if q.Nickname != "" {
		cond(`nickname_lower LIKE ? ESCAPE '\'`, likeContains(q.Nickname))
	}
	for _, f := range []struct {
		on  bool
		col string
	}{
		{q.Services.IsEscort, "is_escort"}, {q.Services.IsWebcam, "is_webcam"}, {q.Services.IsPhoneChat, "is_phone_chat"},
		{q.Services.IsSMSChat, "is_sms_chat"}, {q.Services.IsContent, "is_content"}, {q.Services.IsAlternative, "is_alternative"},
		{q.Services.IsOtherServices, "is_other_services"}, {q.HasGallery, "has_gallery"}, {q.Verified, "verified"},
	} {
		if f.on {
			b.WriteString(" AND " + f.col)
		}
	}
	if q.AvailableTodayEscort {
		cond(`available_escort_day = ?`, s.today(q.Now))
	}
	if q.AvailableNowWebcam {
		cond(`webcam_available_until > ?`, micros(q.Now))
	}
	if q.AvailableNowPhoneChat {
		cond(`phonechat_available_until > ?`, micros(q.Now))
	}
	p.where = b.String()
	return p, nil
}

// walkNear decides whether a location search's page walks the ordering's index (profileSearch's
// walk): on SQLite, in an order other than distance, when walking to the page's last row reads fewer
// entries than sorting every match would. With total matches among all public members, a walk reads
// about (rows × public / total) index entries and looks each member's post code up in the table,
// which costs about four times an entry the sort reads.
func (s *DB) walkNear(ctx context.Context, q *awapi.ProfileQuery, total, rows int) bool {
	if s.engine != SQLite || s.noWalk || q.Near == nil || q.Order == awapi.OrderDistance || total == 0 {
		return false
	}
	public, ok := s.publicMembers(ctx)
	return ok && 4*rows*public/total < total
}

// publicMembers is the planner's count of public members (sqlite_stat1's row for
// members_public_updated); false when there are no statistics.
func (s *DB) publicMembers(ctx context.Context) (int, bool) {
	var stat string
	if err := s.queryRow(ctx, `SELECT stat FROM sqlite_stat1 WHERE idx = 'members_public_updated'`).Scan(&stat); err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.Fields(stat + " x")[0])
	return n, err == nil
}

// likeContains is a LIKE pattern matching s anywhere, case-insensitively (compared with lower-cased
// text), with LIKE's wildcards in s escaped.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// SearchProfiles pages the active, offering members matching q: a count, then the page of IDs (both
// on the members_public_* indexes), then their profiles.
func (s *DB) SearchProfiles(ctx context.Context, q awapi.ProfileQuery) (_ []awapi.ProfileHit, _ int, err error) {
	defer wrap(&err, "SearchProfiles")
	if q.Near != nil && len(q.Near) == 0 {
		return nil, 0, nil
	}
	search, err := s.profileSearch(&q, false)
	if err != nil {
		return nil, 0, err
	}
	var (
		key   string
		now   = s.clock.Now()
		total int
	)
	if s.searches != nil {
		key = searchKey(string(q.Order), search)
		total, err = s.searches.total(ctx, key, now, func() (int, error) { return search.count(ctx, s.pool()) })
	} else {
		total, err = search.count(ctx, s.pool())
	}
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || q.Page.Offset() >= total {
		return nil, total, nil
	}
	// A page after one whose end is known starts there: it skips nothing it does not read.
	page, offset, from := search, q.Page.Offset(), 0
	var end []any
	if s.searches != nil {
		if from, end = s.searches.start(key, now, q.Page.Number); end != nil {
			offset = (q.Page.Number - 1 - from) * q.Page.Size
		}
	}
	walk := s.walkNear(ctx, &q, total, offset+q.Page.Size)
	if walk {
		if page, err = s.profileSearch(&q, true); err != nil {
			return nil, 0, err
		}
	}
	if end != nil {
		page = page.seek(profileOrders[q.Order], end)
	}
	// With the cache, a page read from an offset also reads the row before it: the previous page's
	// end, so the next request for this page seeks.
	before := 0
	if s.searches != nil && offset > 0 {
		before = 1
	}
	rows, err := page.page(ctx, s.pool(), q.Page.Size+before, offset-before)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var (
		ids  []int64
		km   = map[int64]float64{}
		keys = len(profileOrders[q.Order])
		last []any
	)
	for n := 0; rows.Next(); n++ {
		var (
			id int64
			d  float64
		)
		last = make([]any, keys)
		dest := []any{&id, &d}
		for i := range last {
			dest = append(dest, &last[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		if n < before {
			s.searches.ended(key, q.Page.Number-1, last)
			continue
		}
		ids = append(ids, id)
		km[id] = d
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if s.searches != nil && len(ids) == q.Page.Size {
		s.searches.ended(key, q.Page.Number, last)
	}
	ps, err := s.Profiles(ctx, ids, q.Now)
	if err != nil {
		return nil, 0, err
	}
	hits := make([]awapi.ProfileHit, len(ps))
	for i := range ps {
		hits[i].Profile = ps[i]
		if q.Near != nil {
			d := km[ps[i].UserID]
			if walk {
				d = q.Near[ps[i].PostCode]
			}
			hits[i].DistanceKm = &d
		}
	}
	return hits, total, nil
}

// InsertProfileImages bulk-inserts profile images.
func (s *DB) InsertProfileImages(ctx context.Context, ims []awapi.ProfileImage) (err error) {
	defer wrap(&err, "InsertProfileImages")
	return s.insertRows(ctx, "member_images", "user_id, image_no, safe, description", 4, len(ims), func(i int) []any {
		im := ims[i]
		return []any{im.UserID, im.Number, im.Safe, im.Description}
	})
}

// InsertTours bulk-inserts tours; the database assigns their TourIDs.
func (s *DB) InsertTours(ctx context.Context, ts []awapi.Tour) (err error) {
	defer wrap(&err, "InsertTours")
	return s.insertRows(ctx, "tours", "user_id, country_id, region_id, county_id, town, post_code, date_from, date_to, created", 9, len(ts), func(i int) []any {
		t := ts[i]
		return []any{t.UserID, t.CountryID, t.RegionID, t.CountyID, t.Town, t.PostCode, dayNumber(t.DateFrom), dayNumber(t.DateTo), micros(t.Created)}
	})
}

// ProfileActivity merges the member's latest ratings received and tours announced, newest first.
func (s *DB) ProfileActivity(ctx context.Context, userID int64, limit int) (_ []awapi.Activity, err error) {
	defer wrap(&err, "ProfileActivity")
	var out []awapi.Activity
	rows, err := s.query(ctx, `SELECT rater_id, service, score, feedback, rated_at, disputed FROM ratings
		WHERE user_id = ? ORDER BY rated_at DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r := awapi.Rating{UserID: userID}
		var at int64
		if err := rows.Scan(&r.RaterID, &r.Service, &r.Score, &r.Feedback, &at, &r.Disputed); err != nil {
			return nil, err
		}
		r.RatedAt = fromMicros(at)
		out = append(out, awapi.Activity{Type: awapi.ActivityRating, Date: r.RatedAt, Rating: &r})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tours, err := s.query(ctx, `SELECT tour_id, country_id, region_id, county_id, town, post_code, date_from, date_to, created
		FROM tours WHERE user_id = ? ORDER BY created DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer tours.Close()
	for tours.Next() {
		t := awapi.Tour{UserID: userID}
		var from, to int
		var created int64
		if err := tours.Scan(&t.TourID, &t.CountryID, &t.RegionID, &t.CountyID, &t.Town, &t.PostCode, &from, &to, &created); err != nil {
			return nil, err
		}
		t.DateFrom, t.DateTo, t.Created = fromDayNumber(from), fromDayNumber(to), fromMicros(created)
		out = append(out, awapi.Activity{Type: awapi.ActivityTour, Date: t.Created, Tour: &t})
	}
	if err := tours.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b awapi.Activity) int { return b.Date.Compare(a.Date) })
	return out[:min(len(out), limit)], nil
}

// SearchPlans are the engine's plans for the statements of one profile search.
type SearchPlans struct {
	Count []string // the count of matches
	Page  []string // the page read with OFFSET (no page end known)
	// Seek is the page read from where the previous page ended (the search cache knows that end);
	// nil for the first page, or when the previous page is empty.
	Seek []string
}

// ExplainProfileSearch returns the engine's query plans for a profile search's statements (EXPLAIN
// QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), for tests and the load harness that check the
// searches use indexes. noSeqScan makes PostgreSQL plan as if sequential scans were unavailable, so
// a test on a small table (where a scan is honestly cheapest) can check that an index serves the
// query; SQLite ignores it.
func (s *DB) ExplainProfileSearch(ctx context.Context, q awapi.ProfileQuery, noSeqScan bool) (_ SearchPlans, err error) {
	defer wrap(&err, "ExplainProfileSearch")
	var plans SearchPlans
	search, err := s.profileSearch(&q, false)
	if err != nil {
		return plans, err
	}
	// The page as SearchProfiles reads it, which for a location search depends on the count.
	page := search
	if q.Near != nil && s.engine == SQLite && q.Order != awapi.OrderDistance {
		total, err := search.count(ctx, s.pool())
		if err != nil {
			return plans, err
		}
		if s.walkNear(ctx, &q, total, q.Page.Size) {
			if page, err = s.profileSearch(&q, true); err != nil {
				return plans, err
			}
		}
	}
	order := profileOrders[q.Order]
	explain := `EXPLAIN QUERY PLAN `
	if s.engine == Postgres {
		explain = `EXPLAIN `
	}
	err = s.inTx(ctx, func(tx txConn) error {
		if noSeqScan && s.engine == Postgres {
			if _, err := tx.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		var err error
		if plans.Count, err = explainPlan(ctx, tx.conn, explain+search.countSQL(), search.args); err != nil {
			return err
		}
		if plans.Page, err = explainPlan(ctx, tx.conn, explain+page.pageSQL(), page.pageArgs(q.Page.Size, q.Page.Offset())); err != nil {
			return err
		}
		if q.Page.Number < 2 {
			return nil
		}
		// The previous page's last row, as SearchProfiles remembers it.
		end := make([]any, len(order))
		dest := []any{new(int64), new(float64)}
		for i := range end {
			dest = append(dest, &end[i])
		}
		err = tx.queryRowPlanned(ctx, page.pageSQL(), page.pageArgs(1, q.Page.Offset()-1)...).Scan(dest...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		seek := page.seek(order, end)
		plans.Seek, err = explainPlan(ctx, tx.conn, explain+seek.pageSQL(), seek.pageArgs(q.Page.Size, 0))
		return err
	})
	return plans, err
}

// explainPlan runs an EXPLAIN (planned for its values, as the search it explains) and returns the
// plan's lines: the detail column of SQLite's EXPLAIN QUERY PLAN, PostgreSQL's QUERY PLAN.
func explainPlan(ctx context.Context, c conn, query string, args []any) ([]string, error) {
	rows, err := c.queryPlanned(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprint(vals[len(vals)-1]))
	}
	return out, rows.Err()
}

// Analyze refreshes the planner's statistics after bulk loading; on PostgreSQL it also vacuums, so
// the visibility map lets counts use index-only scans.
func (s *DB) Analyze(ctx context.Context) (err error) {
	defer wrap(&err, "Analyze")
	stmt := `ANALYZE`
	if s.engine == Postgres {
		stmt = `VACUUM ANALYZE`
	}
	_, err = s.exec(ctx, stmt)
	return err
}
