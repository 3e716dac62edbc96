package sqlstore

import (
	"context"
	"database/sql"
	"errors"
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
	available_escort_day, webcam_available_until, phonechat_available_until`

func profileFactArgs(f *awapi.ProfileFacts) []any {
	day := 0
	if !f.AvailableEscortOn.IsZero() {
		day = awapi.DayNumber(f.AvailableEscortOn)
	}
	return []any{f.NationalityID, f.Details, f.TVTS, f.DoesInCalls, f.DoesOutCalls, f.IsDirectCam, f.IsDirectChat,
		f.HasGallery, f.HasPrivateGallery, f.HasMovieClips, f.HasMovieRentals, f.HasSaleItems, f.HasBlog,
		day, micros(f.WebcamAvailableUntil), micros(f.PhoneChatAvailableUntil)}
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
		&t.escortDay, &t.webcamUntil, &t.phoneUntil}
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

// maxInList bounds the IDs bound in one IN (...) list, well under both engines' parameter limits.
const maxInList = 1000

// inChunks calls fn with the IDs in chunks of at most maxInList, with the matching "?,?,…" list.
func inChunks(ids []int64, fn func(marks string, args []any) error) error {
	for start := 0; start < len(ids); start += maxInList {
		chunk := ids[start:min(len(ids), start+maxInList)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := fn(strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ","), args); err != nil {
			return err
		}
	}
	return nil
}

// recountRatings recomputes the rating counters of the given members from their ratings, inside the
// transaction that changed those ratings. Every write to ratings must call it. Recounting (rather
// than incrementing) keeps the counters right whatever the change was.
func (s *DB) recountRatings(ctx context.Context, tx *sql.Tx, userIDs []int64) error {
	return inChunks(userIDs, func(marks string, args []any) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET
			(rating_positive, rating_neutral, rating_negative, rating_disputes, rating_score) = (
				SELECT COALESCE(SUM(CASE WHEN r.score > 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.score = 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.score < 0 THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END), 0),
				       COALESCE(SUM(r.score), 0)
				FROM ratings r WHERE r.user_id = members.user_id)
			WHERE user_id IN (`+marks+`)`), args...)
		return err
	})
}

// recountViews recomputes the given members' all-time profile-page views, inside the transaction that
// changed their daily counters. Every write to member_views must call it.
func (s *DB) recountViews(ctx context.Context, tx *sql.Tx, userIDs []int64) error {
	return inChunks(userIDs, func(marks string, args []any) error {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE members SET views = (
				SELECT COALESCE(SUM(v.views), 0) FROM member_views v
				WHERE v.user_id = members.user_id AND v.kind = `+strconv.Itoa(int(awapi.ViewsProfile))+`)
			WHERE user_id IN (`+marks+`)`), args...)
		return err
	})
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
func (s *DB) Profiles(ctx context.Context, ids []int64, now time.Time) ([]awapi.Profile, error) {
	byID := make(map[int64]*awapi.Profile, len(ids))
	var found []int64
	err := inChunks(distinctIDs(len(ids), func(i int) int64 { return ids[i] }), func(marks string, args []any) error {
		rows, err := s.query(ctx, `SELECT `+profileColumns+` FROM members WHERE is_active AND user_id IN (`+marks+`)`, args...)
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
	})
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
	slices.Sort(ids)
	today := s.today(now)
	return inChunks(ids, func(marks string, args []any) error {
		rows, err := s.query(ctx, `SELECT user_id, image_no, safe, description FROM member_images
			WHERE user_id IN (`+marks+`) ORDER BY user_id, image_no`, args...)
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
			WHERE user_id IN (`+marks+`) AND date_to >= ? AND date_from <= ?`, append(args, today, today)...)
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
	})
}

// SearchProfiles pages the active, offering members matching q.
func (s *DB) SearchProfiles(ctx context.Context, q awapi.ProfileQuery) ([]awapi.ProfileHit, int, error) {
	return nil, 0, errors.New("SearchProfiles: not implemented yet")
}

// InsertProfileImages bulk-inserts profile images.
func (s *DB) InsertProfileImages(ctx context.Context, ims []awapi.ProfileImage) error {
	return s.insertRows(ctx, "member_images", "user_id, image_no, safe, description", 4, len(ims), func(i int) []any {
		im := ims[i]
		return []any{im.UserID, im.Number, im.Safe, im.Description}
	})
}

// InsertTours bulk-inserts tours; the database assigns their TourIDs.
func (s *DB) InsertTours(ctx context.Context, ts []awapi.Tour) error {
	return s.insertRows(ctx, "tours", "user_id, country_id, region_id, county_id, town, post_code, date_from, date_to, created", 9, len(ts), func(i int) []any {
		t := ts[i]
		return []any{t.UserID, t.CountryID, t.RegionID, t.CountyID, t.Town, t.PostCode, dayNumber(t.DateFrom), dayNumber(t.DateTo), micros(t.Created)}
	})
}
