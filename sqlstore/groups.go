package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Groups' public pages, their members and escort rates (migration 00007), and searchTours.

// GroupByName finds a group by name, case-insensitively, on the groups_name_lower index.
func (s *DB) GroupByName(ctx context.Context, name string) (_ awapi.Group, err error) {
	defer wrap(&err, "GroupByName")
	var g awapi.Group
	err = s.queryRow(ctx, `SELECT group_id, group_name FROM groups WHERE LOWER(group_name) = LOWER(CAST(? AS TEXT))
		ORDER BY group_id LIMIT 1`, name).Scan(&g.GroupID, &g.GroupName)
	return g, notFound(err, "The group")
}

// GroupProfile reads a group's details, opening hours (Monday first) and images.
func (s *DB) GroupProfile(ctx context.Context, groupID int64) (_ awapi.GroupProfile, err error) {
	defer wrap(&err, "GroupProfile")
	g := awapi.GroupProfile{Group: awapi.Group{GroupID: groupID}}
	i := &g.GroupInfo
	err = s.queryRow(ctx, `SELECT group_name, details, website, phone_number, country_id, region_id, county_id, town, post_code
		FROM groups WHERE group_id = ?`, groupID).Scan(&g.GroupName, &i.Details, &i.Website, &i.PhoneNumber,
		&i.CountryID, &i.RegionID, &i.CountyID, &i.Town, &i.PostCode)
	if err != nil {
		return g, notFound(err, "The group")
	}
	rows, err := s.query(ctx, `SELECT weekday, opens, closes FROM group_opening_hours WHERE group_id = ?`, groupID)
	if err != nil {
		return g, err
	}
	defer rows.Close()
	for rows.Next() {
		var h awapi.OpeningHours
		if err := rows.Scan(&h.Weekday, &h.Opens, &h.Closes); err != nil {
			return g, err
		}
		g.OpeningHours = append(g.OpeningHours, h)
	}
	if err := rows.Err(); err != nil {
		return g, err
	}
	// The week as the UK calendar shows it: Monday first, Sunday last.
	mondayFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	slices.SortFunc(g.OpeningHours, func(a, b awapi.OpeningHours) int { return mondayFirst(a.Weekday) - mondayFirst(b.Weekday) })
	ims, err := s.query(ctx, `SELECT image_no, safe, description FROM group_images WHERE group_id = ? ORDER BY image_no`, groupID)
	if err != nil {
		return g, err
	}
	defer ims.Close()
	for ims.Next() {
		var im awapi.GroupImage
		if err := ims.Scan(&im.Number, &im.Safe, &im.Description); err != nil {
			return g, err
		}
		g.Images = append(g.Images, im)
	}
	return g, ims.Err()
}

// SetGroupProfiles updates the groups' details and replaces their opening hours and images.
func (s *DB) SetGroupProfiles(ctx context.Context, gs []awapi.GroupProfile) (err error) {
	defer wrap(&err, "SetGroupProfiles")
	for i := range gs {
		if err := gs[i].Validate(); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx txConn) error {
		var hours, images int
		for _, g := range gs {
			i := g.GroupInfo
			n, err := tx.execCount(ctx, `UPDATE groups SET details = ?, website = ?, phone_number = ?, country_id = ?,
				region_id = ?, county_id = ?, town = ?, post_code = ? WHERE group_id = ?`,
				i.Details, i.Website, i.PhoneNumber, i.CountryID, i.RegionID, i.CountyID, i.Town, i.PostCode, g.GroupID)
			if err != nil {
				return err
			}
			if n != 1 {
				return awapi.NotFound("The group")
			}
			for _, table := range []string{"group_opening_hours", "group_images"} {
				if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE group_id = ?`, g.GroupID); err != nil {
					return err
				}
			}
			hours += len(g.OpeningHours)
			images += len(g.Images)
		}
		type hourRow struct {
			id int64
			h  awapi.OpeningHours
		}
		type imageRow struct {
			id int64
			im awapi.GroupImage
		}
		hs, ims := make([]hourRow, 0, hours), make([]imageRow, 0, images)
		for _, g := range gs {
			for _, h := range g.OpeningHours {
				hs = append(hs, hourRow{g.GroupID, h})
			}
			for _, im := range g.Images {
				ims = append(ims, imageRow{g.GroupID, im})
			}
		}
		if err := s.insertRowsTx(ctx, tx, "group_opening_hours", "group_id, weekday, opens, closes", 4, len(hs), func(i int) []any {
			return []any{hs[i].id, int(hs[i].h.Weekday), hs[i].h.Opens, hs[i].h.Closes}
		}); err != nil {
			return err
		}
		return s.insertRowsTx(ctx, tx, "group_images", "group_id, image_no, safe, description", 4, len(ims), func(i int) []any {
			return []any{ims[i].id, ims[i].im.Number, ims[i].im.Safe, ims[i].im.Description}
		})
	})
}

// oneHourRate is the member's 1-hour price of one kind of call (in_call or out_call), NULL when not
// offered; the rate orderings sort on it, NULLs last in both directions.
func oneHourRate(column string) string {
	return `(SELECT r.` + column + ` FROM member_escort_rates r WHERE r.user_id = members.user_id AND r.rate_break_id = ` +
		strconv.Itoa(awapi.RateBreakOneHour) + `)`
}

// groupOrders are getGroupDetails' member orderings: the SearchProfiles ones (but distance) and the
// group-only ones, over the columns of the members_in_group derived table.
var groupOrders = func() map[awapi.ProfileOrder]string {
	m := map[awapi.ProfileOrder]string{
		awapi.OrderRatingTotal:  `rating_positive + rating_neutral + rating_negative DESC, user_id DESC`,
		awapi.OrderInRatesAsc:   `in_rate IS NULL, in_rate, user_id`,
		awapi.OrderInRatesDesc:  `in_rate IS NULL, in_rate DESC, user_id`,
		awapi.OrderOutRatesAsc:  `out_rate IS NULL, out_rate, user_id`,
		awapi.OrderOutRatesDesc: `out_rate IS NULL, out_rate DESC, user_id`,
	}
	for o, sql := range profileOrders {
		if o != awapi.OrderDistance {
			m[o] = sql.orderBy()
		}
	}
	// Nickname orders are unique already; the others break ties on user_id (see profileOrders).
	return m
}()

// GroupMembers pages a group's active members: a count, the page of IDs, then their profiles.
func (s *DB) GroupMembers(ctx context.Context, q awapi.GroupMemberQuery) (_ []awapi.Profile, _ int, err error) {
	defer wrap(&err, "GroupMembers")
	order, ok := groupOrders[q.Order]
	if !ok {
		return nil, 0, fmt.Errorf("unsupported order %q", q.Order)
	}
	search := &pagedQuery{from: `FROM members`, where: `WHERE group_id = ? AND is_active`, args: []any{q.GroupID},
		cols: `user_id`, order: order}
	if strings.Contains(order, "_rate") {
		// The rate orders sort on the 1-hour rates, which a derived table names (the count does not
		// read them: both engines flatten the derived table).
		search.from = `FROM (SELECT user_id, ` + oneHourRate("in_call") + ` AS in_rate, ` + oneHourRate("out_call") +
			` AS out_rate FROM members ` + search.where + `) members_in_group`
		search.where = ``
	}
	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || q.Page.Offset() >= total {
		return nil, total, nil
	}
	rows, err := search.page(ctx, s.pool(), q.Page.Size, q.Page.Offset())
	if err != nil {
		return nil, 0, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return nil, 0, err
	}
	ps, err := s.Profiles(ctx, ids, q.Now)
	return ps, total, err
}

// scanIDs reads a one-column result of IDs and closes it.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// EscortRates lists the members' escort rates by member, then RateBreakID.
func (s *DB) EscortRates(ctx context.Context, userIDs []int64) (_ []awapi.EscortRate, err error) {
	defer wrap(&err, "EscortRates")
	if len(userIDs) == 0 {
		return nil, nil
	}
	in, list := anyOf(s, "user_id", userIDs)
	rows, err := s.query(ctx, `SELECT user_id, rate_break_id, in_call, out_call FROM member_escort_rates
		WHERE `+in+` ORDER BY user_id, rate_break_id`, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []awapi.EscortRate
	for rows.Next() {
		var (
			r           awapi.EscortRate
			in, outCall sql.NullInt64
		)
		if err := rows.Scan(&r.UserID, &r.RateBreakID, &in, &outCall); err != nil {
			return nil, err
		}
		r.InCall, r.OutCall = awapi.Credits(in.Int64), awapi.Credits(outCall.Int64)
		out = append(out, r)
	}
	return out, rows.Err()
}

// nullCredits stores an amount not offered (0) as NULL.
func nullCredits(c awapi.Credits) any {
	if c == 0 {
		return nil
	}
	return int64(c)
}

// InsertEscortRates bulk-inserts escort rates.
func (s *DB) InsertEscortRates(ctx context.Context, rs []awapi.EscortRate) (err error) {
	defer wrap(&err, "InsertEscortRates")
	return s.insertRows(ctx, "member_escort_rates", "user_id, rate_break_id, in_call, out_call", 4, len(rs), func(i int) []any {
		r := rs[i]
		return []any{r.UserID, r.RateBreakID, nullCredits(r.InCall), nullCredits(r.OutCall)}
	})
}

// SearchTours pages the tours of active members matching q, soonest first, on the tours_place index
// (or tours_post_code for a location search).
func (s *DB) SearchTours(ctx context.Context, q awapi.TourQuery) (_ []awapi.TourHit, _ int, err error) {
	defer wrap(&err, "SearchTours")
	if q.Near != nil && len(q.Near) == 0 {
		return nil, 0, nil
	}
	var (
		b      strings.Builder
		search = &pagedQuery{from: `FROM tours t JOIN members m ON m.user_id = t.user_id`, order: `t.date_from, t.tour_id`}
		km     = `0.0`
	)
	if q.Near != nil {
		search.with, search.args = s.nearWith(q.Near)
		search.from = `FROM tours t JOIN near ON near.code = t.post_code JOIN members m ON m.user_id = t.user_id`
		km = `near.km`
	}
	search.cols = `t.tour_id, t.user_id, t.country_id, t.region_id, t.county_id, t.town, t.post_code, t.date_from,
		t.date_to, t.created, ` + km
	b.WriteString(`WHERE m.is_active AND t.country_id = ? AND t.region_id = ?`)
	search.args = append(search.args, q.CountryID, q.RegionID)
	cond := func(sql string, a any) {
		b.WriteString(" AND " + sql)
		search.args = append(search.args, a)
	}
	if !q.From.IsZero() {
		cond(`t.date_to >= ?`, awapi.DayNumber(q.From))
	}
	if !q.To.IsZero() {
		cond(`t.date_from <= ?`, awapi.DayNumber(q.To))
	}
	if q.CountyID != 0 {
		cond(`t.county_id = ?`, q.CountyID)
	}
	if q.Town != "" {
		cond(`LOWER(t.town) LIKE ? ESCAPE '\'`, likeContains(q.Town))
	}
	if q.UserID != 0 {
		cond(`t.user_id = ?`, q.UserID)
	}
	if q.GenderID != 0 {
		cond(`m.gender_id = ?`, q.GenderID)
	}
	if q.OrientationID != 0 {
		cond(`m.orientation_id = ?`, q.OrientationID)
	}
	maxBirth, minBirth := s.birthDateBounds(q.Now, q.MinAge, q.MaxAge)
	if maxBirth != nil {
		cond(`m.birth_date <= ?`, *maxBirth)
	}
	if minBirth != nil {
		cond(`m.birth_date > ?`, *minBirth)
	}
	search.where = b.String()
	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || q.Page.Offset() >= total {
		return nil, total, nil
	}
	rows, err := search.page(ctx, s.pool(), q.Page.Size, q.Page.Offset())
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var hits []awapi.TourHit
	for rows.Next() {
		var (
			h          awapi.TourHit
			t          = &h.Tour
			from, to   int
			created    int64
			distanceKm float64
		)
		if err := rows.Scan(&t.TourID, &t.UserID, &t.CountryID, &t.RegionID, &t.CountyID, &t.Town, &t.PostCode,
			&from, &to, &created, &distanceKm); err != nil {
			return nil, 0, err
		}
		t.DateFrom, t.DateTo, t.Created = fromDayNumber(from), fromDayNumber(to), fromMicros(created)
		if q.Near != nil {
			h.DistanceKm = &distanceKm
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	ps, err := s.Profiles(ctx, distinctIDs(len(hits), func(i int) int64 { return hits[i].UserID }), q.Now)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]*awapi.Profile, len(ps))
	for i := range ps {
		byID[ps[i].UserID] = &ps[i]
	}
	for i := range hits {
		// The member was active in the query; should they have gone inactive since, the tour keeps
		// its place in the page with what is known of them.
		if p, ok := byID[hits[i].UserID]; ok {
			hits[i].User = *p
		} else {
			hits[i].User.UserID = hits[i].UserID
		}
	}
	return hits, total, nil
}
