package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awapi/awapi"
)

// Ratings feedback and field reports (migration 00006).

// RatingSummary counts an active member's ratings per service on the ratings_user_service index.
func (s *DB) RatingSummary(ctx context.Context, userID int64) (_ awapi.RatingSummary, err error) {
	defer wrap(&err, "RatingSummary")
	var out awapi.RatingSummary
	var active bool
	if err := s.queryRow(ctx, `SELECT is_active FROM members WHERE user_id = ?`, userID).Scan(&active); err != nil || !active {
		if err == nil || err == sql.ErrNoRows {
			err = awapi.NotFound("The member")
		}
		return out, err
	}
	rows, err := s.query(ctx, `SELECT service,
			SUM(CASE WHEN score > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN score = 0 THEN 1 ELSE 0 END),
			SUM(CASE WHEN score < 0 THEN 1 ELSE 0 END), SUM(CASE WHEN disputed THEN 1 ELSE 0 END), MAX(rated_at)
		FROM ratings WHERE user_id = ? GROUP BY service`, userID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var last int64
	for rows.Next() {
		var (
			c  awapi.ServiceRatingCounts
			at int64
		)
		if err := rows.Scan(&c.Service, &c.Positive, &c.Neutral, &c.Negative, &c.Disputes, &at); err != nil {
			return out, err
		}
		last = max(last, at)
		out.ByService = append(out.ByService, c)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	// Known services first, in their documented order; any other service after them by name.
	rank := func(svc string) int {
		if i := slices.Index(awapi.RatingServices, svc); i >= 0 {
			return i
		}
		return len(awapi.RatingServices)
	}
	slices.SortFunc(out.ByService, func(a, b awapi.ServiceRatingCounts) int {
		if d := rank(a.Service) - rank(b.Service); d != 0 {
			return d
		}
		return strings.Compare(a.Service, b.Service)
	})
	out.LastRatingAt = fromMicros(last)
	return out, nil
}

// feedbackOrders are the ORDER BY clauses of the getRatings orderings.
var feedbackOrders = map[awapi.FeedbackOrder]string{
	awapi.FeedbackNewest:       `r.rated_at DESC, r.rating_id DESC`,
	awapi.FeedbackOldest:       `r.rated_at, r.rating_id`,
	awapi.FeedbackNicknameAsc:  `m.nickname_lower, r.rating_id DESC`,
	awapi.FeedbackNicknameDesc: `m.nickname_lower DESC, r.rating_id DESC`,
}

// Feedback pages a member's ratings for some services: the count and the page both read the
// ratings_user_service index for the member's rows.
func (s *DB) Feedback(ctx context.Context, q awapi.FeedbackQuery) (_ []awapi.Feedback, _ int, err error) {
	defer wrap(&err, "Feedback")
	order, ok := feedbackOrders[q.Order]
	if !ok || len(q.Services) == 0 {
		return nil, 0, fmt.Errorf("unsupported order %q or no services", q.Order)
	}
	services, list := anyOf(s, "r.service", q.Services)
	search := &pagedQuery{from: `FROM ratings r`, joins: ` JOIN members m ON m.user_id = r.rater_id`,
		where: `WHERE r.user_id = ? AND ` + services, args: []any{q.UserID, list},
		cols: `r.rating_id, r.rater_id, m.nickname, r.service, r.score, r.feedback, r.rated_at, r.disputed`, order: order}
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
	var out []awapi.Feedback
	for rows.Next() {
		f := awapi.Feedback{Rating: awapi.Rating{UserID: q.UserID}}
		var at int64
		if err := rows.Scan(&f.RatingID, &f.RaterID, &f.RaterNickname, &f.Service, &f.Score, &f.Feedback, &at, &f.Disputed); err != nil {
			return nil, 0, err
		}
		f.RatedAt = fromMicros(at)
		out = append(out, f)
	}
	return out, total, rows.Err()
}

// SetRatingDisputed changes a rating's dispute flag and recounts its member's counters in the same
// transaction.
func (s *DB) SetRatingDisputed(ctx context.Context, ratingID int64, disputed bool) (err error) {
	defer wrap(&err, "SetRatingDisputed")
	return s.inTx(ctx, func(tx txConn) error {
		var userID int64
		err := tx.queryRow(ctx, `UPDATE ratings SET disputed = ? WHERE rating_id = ? RETURNING user_id`, disputed, ratingID).Scan(&userID)
		if err == sql.ErrNoRows {
			return awapi.NotFound("The rating")
		}
		if err != nil {
			return err
		}
		return s.recountRatings(ctx, tx, []int64{userID})
	})
}

// fieldReportColumns are what a FieldReport reads, with the author's nickname; r is field_reports,
// a the author.
const fieldReportColumns = `r.report_id, r.user_id, r.author_id, a.nickname, r.created, r.meet_day, r.in_call, r.out_call,
	r.recommended, r.visit_again, r.rating, r.title, r.report, r.country_id, r.region_id, r.county_id, r.town`

func scanFieldReport(row interface{ Scan(...any) error }) (awapi.FieldReport, error) {
	var (
		f       awapi.FieldReport
		created int64
		meet    int
	)
	err := row.Scan(&f.ReportID, &f.UserID, &f.AuthorID, &f.AuthorNickname, &created, &meet, &f.InCall, &f.OutCall,
		&f.Recommended, &f.VisitAgain, &f.Rating, &f.Title, &f.Report, &f.CountryID, &f.RegionID, &f.CountyID, &f.Town)
	f.Created, f.MeetDate = fromMicros(created), fromDayNumber(meet)
	return f, err
}

// FieldReport reads one report on an active member.
func (s *DB) FieldReport(ctx context.Context, reportID int64) (_ awapi.FieldReport, err error) {
	defer wrap(&err, "FieldReport")
	f, err := scanFieldReport(s.queryRow(ctx, `SELECT `+fieldReportColumns+`
		FROM field_reports r JOIN members a ON a.user_id = r.author_id JOIN members m ON m.user_id = r.user_id
		WHERE r.report_id = ? AND m.is_active`, reportID))
	if err == sql.ErrNoRows {
		return f, awapi.NotFound("The field report")
	}
	return f, err
}

// fieldReportOrders are the ORDER BY clauses of the searchFieldReports orderings.
var fieldReportOrders = map[awapi.FieldReportOrder]string{
	awapi.ReportsNewest:       `r.created DESC, r.report_id DESC`,
	awapi.ReportsOldest:       `r.created, r.report_id`,
	awapi.ReportsMeetDesc:     `r.meet_day DESC, r.report_id DESC`,
	awapi.ReportsMeetAsc:      `r.meet_day, r.report_id`,
	awapi.ReportsNicknameAsc:  `m.nickname_lower, r.report_id DESC`,
	awapi.ReportsNicknameDesc: `m.nickname_lower DESC, r.report_id DESC`,
}

// fieldReportSearch builds a report search (r the report, m the reviewed member) in the given order.
// The page's rows are read first (on the indexes), then the authors' nicknames joined to those rows
// only.
func fieldReportSearch(q *awapi.FieldReportQuery, order string) *pagedQuery {
	var (
		b      strings.Builder
		search = &pagedQuery{from: `FROM field_reports r JOIN members m ON m.user_id = r.user_id`, cols: `r.*`, order: order}
	)
	search.outer = func(page string) string {
		return `SELECT ` + fieldReportColumns + ` FROM (` + page + `) r
			JOIN members m ON m.user_id = r.user_id JOIN members a ON a.user_id = r.author_id ORDER BY ` + order
	}
	b.WriteString(`WHERE m.is_active`)
	cond := func(sql string, a any) {
		b.WriteString(" AND " + sql)
		search.args = append(search.args, a)
	}
	if q.ReportID != 0 {
		cond(`r.report_id = ?`, q.ReportID)
	}
	if q.UserID != 0 {
		cond(`r.user_id = ?`, q.UserID)
	}
	if q.CountryID != 0 {
		cond(`r.country_id = ?`, q.CountryID)
	}
	if q.RegionID != 0 {
		cond(`r.region_id = ?`, q.RegionID)
	}
	if q.CountyID != 0 {
		cond(`r.county_id = ?`, q.CountyID)
	}
	for _, d := range []struct {
		col, op string
		day     time.Time
	}{
		{"r.created_day", ">=", q.CreatedFrom}, {"r.created_day", "<=", q.CreatedTo},
		{"r.meet_day", ">=", q.MeetFrom}, {"r.meet_day", "<=", q.MeetTo},
	} {
		if !d.day.IsZero() {
			cond(d.col+` `+d.op+` ?`, dayNumber(d.day))
		}
	}
	if q.GenderID != 0 {
		cond(`m.gender_id = ?`, q.GenderID)
	}
	if q.Nickname != "" {
		cond(`m.nickname_lower LIKE ? ESCAPE '\'`, likeContains(q.Nickname))
	}
	if q.MinReports > 0 {
		cond(`m.field_report_count >= ?`, q.MinReports)
	}
	for _, f := range []struct {
		on  bool
		col string
	}{{q.InCall, "r.in_call"}, {q.OutCall, "r.out_call"}, {q.Recommended, "r.recommended"}, {q.VisitAgain, "r.visit_again"}} {
		if f.on {
			b.WriteString(" AND " + f.col)
		}
	}
	search.where = b.String()
	return search
}

// SearchFieldReports pages the reports on active members matching q: a count, then the page.
func (s *DB) SearchFieldReports(ctx context.Context, q awapi.FieldReportQuery) (_ []awapi.FieldReport, _ int, err error) {
	defer wrap(&err, "SearchFieldReports")
	order, ok := fieldReportOrders[q.Order]
	if !ok {
		return nil, 0, fmt.Errorf("unsupported order %q", q.Order)
	}
	search := fieldReportSearch(&q, order)
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
	var out []awapi.FieldReport
	for rows.Next() {
		f, err := scanFieldReport(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, f)
	}
	return out, total, rows.Err()
}

// InsertFieldReports bulk-inserts reports and recounts the reviewed members' report counts in the
// same transaction.
func (s *DB) InsertFieldReports(ctx context.Context, rs []awapi.FieldReport) (err error) {
	defer wrap(&err, "InsertFieldReports")
	return s.inBulkTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, "field_reports", `user_id, author_id, created, created_day, meet_day, in_call, out_call,
			recommended, visit_again, rating, title, report, country_id, region_id, county_id, town`, 16, len(rs), func(i int) []any {
			f := rs[i]
			return []any{f.UserID, f.AuthorID, micros(f.Created), awapi.DayNumber(f.Created.In(s.loc)), dayNumber(f.MeetDate),
				f.InCall, f.OutCall, f.Recommended, f.VisitAgain, f.Rating, f.Title, f.Report, f.CountryID, f.RegionID, f.CountyID, f.Town}
		})
		if err != nil {
			return err
		}
		if s.bulk.Load() {
			return nil // EndBulkLoad recounts
		}
		in, list := anyOf(s, "user_id", distinctIDs(len(rs), func(i int) int64 { return rs[i].UserID }))
		_, err = tx.exec(ctx, `UPDATE members SET field_report_count =
			(SELECT COUNT(*) FROM field_reports f WHERE f.user_id = members.user_id) WHERE `+in, list)
		return err
	})
}
