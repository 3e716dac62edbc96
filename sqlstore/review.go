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
func (s *DB) RatingSummary(ctx context.Context, userID int64) (awapi.RatingSummary, error) {
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
func (s *DB) Feedback(ctx context.Context, q awapi.FeedbackQuery) ([]awapi.Feedback, int, error) {
	order, ok := feedbackOrders[q.Order]
	if !ok || len(q.Services) == 0 {
		return nil, 0, fmt.Errorf("Feedback: unsupported order %q or no services", q.Order)
	}
	args := []any{q.UserID}
	for _, svc := range q.Services {
		args = append(args, svc)
	}
	where := `r.user_id = ? AND r.service IN (` + strings.TrimSuffix(strings.Repeat("?,", len(q.Services)), ",") + `)`
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM ratings r WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || q.Page.Offset() >= total {
		return nil, total, nil
	}
	rows, err := s.query(ctx, `SELECT r.rating_id, r.rater_id, m.nickname, r.service, r.score, r.feedback, r.rated_at, r.disputed
		FROM ratings r JOIN members m ON m.user_id = r.rater_id
		WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, q.Page.Size, q.Page.Offset())...)
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
func (s *DB) SetRatingDisputed(ctx context.Context, ratingID int64, disputed bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx, s.q(`UPDATE ratings SET disputed = ? WHERE rating_id = ? RETURNING user_id`), disputed, ratingID).Scan(&userID)
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
func (s *DB) FieldReport(ctx context.Context, reportID int64) (awapi.FieldReport, error) {
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

// fieldReportSearchSQL builds the FROM/WHERE part of a report search (r the report, m the reviewed
// member) and its arguments.
func fieldReportSearchSQL(q *awapi.FieldReportQuery) (string, []any) {
	var (
		b    strings.Builder
		args []any
	)
	b.WriteString(`FROM field_reports r JOIN members m ON m.user_id = r.user_id WHERE m.is_active`)
	cond := func(sql string, a any) {
		b.WriteString(" AND " + sql)
		args = append(args, a)
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
	return b.String(), args
}

// SearchFieldReports pages the reports on active members matching q: a count, then the page.
func (s *DB) SearchFieldReports(ctx context.Context, q awapi.FieldReportQuery) ([]awapi.FieldReport, int, error) {
	order, ok := fieldReportOrders[q.Order]
	if !ok {
		return nil, 0, fmt.Errorf("SearchFieldReports: unsupported order %q", q.Order)
	}
	from, args := fieldReportSearchSQL(&q)
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) `+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || q.Page.Offset() >= total {
		return nil, total, nil
	}
	// The page's rows first (on the indexes), then the authors' nicknames joined to those rows only.
	rows, err := s.query(ctx, `SELECT `+fieldReportColumns+` FROM (SELECT r.* `+from+` ORDER BY `+order+` LIMIT ? OFFSET ?) r
		JOIN members m ON m.user_id = r.user_id JOIN members a ON a.user_id = r.author_id ORDER BY `+order,
		append(args, q.Page.Size, q.Page.Offset())...)
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
func (s *DB) InsertFieldReports(ctx context.Context, rs []awapi.FieldReport) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.insertRowsTx(ctx, tx, "field_reports", `user_id, author_id, created, created_day, meet_day, in_call, out_call,
			recommended, visit_again, rating, title, report, country_id, region_id, county_id, town`, 16, len(rs), func(i int) []any {
			f := rs[i]
			return []any{f.UserID, f.AuthorID, micros(f.Created), awapi.DayNumber(f.Created.In(s.loc)), dayNumber(f.MeetDate),
				f.InCall, f.OutCall, f.Recommended, f.VisitAgain, f.Rating, f.Title, f.Report, f.CountryID, f.RegionID, f.CountyID, f.Town}
		})
		if err != nil {
			return err
		}
		return inChunks(distinctIDs(len(rs), func(i int) int64 { return rs[i].UserID }), func(marks string, args []any) error {
			_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET field_report_count =
				(SELECT COUNT(*) FROM field_reports f WHERE f.user_id = members.user_id) WHERE user_id IN (`+marks+`)`), args...)
			return err
		})
	})
}
