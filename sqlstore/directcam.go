package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/awapi/awapi"
)

// DirectCam (api-v1.md §2.5, migration 00014): settings, scheduled shows and their images, and the
// sandbox's paid sessions.
//
// The rules live in the domain (awapi/directcam.go). A show is written in one transaction that first
// locks the performer's member row (lockMember: FOR UPDATE on PostgreSQL; SQLite's write transactions
// are immediate, so one runs at a time), then reads the performer's shows that are neither cancelled
// nor finished and lets the domain decide on them: two overlapping shows for one performer can never
// both commit, on any number of instances. The SQL only narrows what the domain reads; the overlap
// rule is the domain's.

var _ awapi.DirectCamStore = (*DB)(nil)

const directCamSettingsColumns = `does_free, allow_guest_free_preview, free_time_mins, free_time_period, does_group,
	group_ppm, does_private, private_ppm, chat_only, does_audio_private, does_audio_group, does_audio_free,
	webcam_category_id, show_live_thumbnails, title, updated_at`

func directCamSettingsArgs(s *awapi.DirectCamSettings) []any {
	return []any{s.UserID, s.DoesFree, s.AllowGuestFreePreview, s.FreeTimeMins, s.FreeTimePeriod, s.DoesGroup,
		int64(s.GroupPPM), s.DoesPrivate, int64(s.PrivatePPM), s.ChatOnly, s.DoesAudioPrivate, s.DoesAudioGroup,
		s.DoesAudioFree, s.WebcamCategoryID, int(s.ShowLiveThumbnails), s.Title, micros(s.UpdatedAt)}
}

// DirectCamSettings reads a member's settings; a member without a row has the zero settings.
func (s *DB) DirectCamSettings(ctx context.Context, userID int64) (_ awapi.DirectCamSettings, err error) {
	defer wrap(&err, "DirectCamSettings")
	if _, err := s.Member(ctx, userID); err != nil {
		return awapi.DirectCamSettings{}, err
	}
	return s.directCamSettings(ctx, s.pool(), userID)
}

func (s *DB) directCamSettings(ctx context.Context, c conn, userID int64) (awapi.DirectCamSettings, error) {
	st := awapi.DirectCamSettings{UserID: userID}
	var (
		group, private, updated int64
		thumbnails              int
	)
	err := c.queryRow(ctx, `SELECT `+directCamSettingsColumns+` FROM directcam_settings WHERE user_id = ?`, userID).Scan(
		&st.DoesFree, &st.AllowGuestFreePreview, &st.FreeTimeMins, &st.FreeTimePeriod, &st.DoesGroup, &group,
		&st.DoesPrivate, &private, &st.ChatOnly, &st.DoesAudioPrivate, &st.DoesAudioGroup, &st.DoesAudioFree,
		&st.WebcamCategoryID, &thumbnails, &st.Title, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return awapi.DirectCamSettings{UserID: userID}, nil
	}
	st.GroupPPM, st.PrivatePPM, st.ShowLiveThumbnails = awapi.Credits(group), awapi.Credits(private), awapi.ShowLiveThumbnails(thumbnails)
	st.UpdatedAt = fromMicros(updated)
	return st, err
}

// SaveDirectCamSettings replaces a member's settings and sets their IsDirectCam from them, in one
// transaction.
func (s *DB) SaveDirectCamSettings(ctx context.Context, st awapi.DirectCamSettings) (_ awapi.DirectCamSettings, err error) {
	defer wrap(&err, "SaveDirectCamSettings")
	st.UpdatedAt = fromMicros(micros(st.UpdatedAt))
	err = s.inTx(ctx, func(tx txConn) error {
		n, err := tx.execCount(ctx, `UPDATE members SET is_directcam = ? WHERE user_id = ?`, st.Enabled(), st.UserID)
		if err != nil {
			return err
		}
		if n != 1 {
			return awapi.NotFound("The member")
		}
		_, err = tx.exec(ctx, `INSERT INTO directcam_settings (user_id, `+directCamSettingsColumns+`) VALUES (`+marks(17)+`)
			ON CONFLICT (user_id) DO UPDATE SET does_free = excluded.does_free,
				allow_guest_free_preview = excluded.allow_guest_free_preview, free_time_mins = excluded.free_time_mins,
				free_time_period = excluded.free_time_period, does_group = excluded.does_group, group_ppm = excluded.group_ppm,
				does_private = excluded.does_private, private_ppm = excluded.private_ppm, chat_only = excluded.chat_only,
				does_audio_private = excluded.does_audio_private, does_audio_group = excluded.does_audio_group,
				does_audio_free = excluded.does_audio_free, webcam_category_id = excluded.webcam_category_id,
				show_live_thumbnails = excluded.show_live_thumbnails, title = excluded.title, updated_at = excluded.updated_at`,
			directCamSettingsArgs(&st)...)
		return err
	})
	return st, err
}

// insertServiceSettings bulk-inserts one service's settings and sets each member's flag for that
// service (is_directcam, is_directchat: what profiles and search read) from them, in one transaction.
// offers says whose a row is and whether it offers the service.
func insertServiceSettings[T any](ctx context.Context, s *DB, table, columns string, width int, ss []T,
	args func(*T) []any, offers func(*T) (userID int64, enabled bool), flag string) error {
	return s.inBulkTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, table, columns, width, len(ss), func(i int) []any { return args(&ss[i]) })
		if err != nil {
			return err
		}
		var on, off []int64
		for i := range ss {
			if id, enabled := offers(&ss[i]); enabled {
				on = append(on, id)
			} else {
				off = append(off, id)
			}
		}
		for _, set := range []struct {
			flag bool
			ids  []int64
		}{{true, on}, {false, off}} {
			if len(set.ids) == 0 {
				continue
			}
			in, list := anyOf(s, "user_id", set.ids)
			if _, err := tx.exec(ctx, `UPDATE members SET `+flag+` = ? WHERE `+in, set.flag, list); err != nil {
				return err
			}
		}
		return nil
	})
}

// InsertDirectCamSettings bulk-inserts settings and sets the members' IsDirectCam from them, in one
// transaction.
func (s *DB) InsertDirectCamSettings(ctx context.Context, ss []awapi.DirectCamSettings) (err error) {
	defer wrap(&err, "InsertDirectCamSettings")
	return insertServiceSettings(ctx, s, "directcam_settings", "user_id, "+directCamSettingsColumns, 17, ss, directCamSettingsArgs,
		func(st *awapi.DirectCamSettings) (int64, bool) { return st.UserID, st.Enabled() }, "is_directcam")
}

const showColumns = `s.scheduled_id, s.user_id, m.nickname, s.scheduled_date, s.length_minutes, s.title, s.summary, s.details,
	s.webcam_category_id, s.image_format, s.image_safe, s.created_at, s.updated_at, s.cancelled_at`

func scanShow(row interface{ Scan(...any) error }) (awapi.ScheduledShow, error) {
	var (
		sh                                  awapi.ScheduledShow
		date, created, updated, cancelledAt int64
	)
	err := row.Scan(&sh.ScheduledID, &sh.UserID, &sh.Nickname, &date, &sh.EstimatedLengthInMinutes, &sh.Title, &sh.Summary,
		&sh.Details, &sh.WebcamCategoryID, &sh.ImageFormat, &sh.ImageSafe, &created, &updated, &cancelledAt)
	sh.ScheduledDate, sh.CreatedAt, sh.UpdatedAt, sh.CancelledAt = fromMicros(date), fromMicros(created), fromMicros(updated), fromMicros(cancelledAt)
	return sh, err
}

func scanShows(rows *sql.Rows) ([]awapi.ScheduledShow, error) {
	defer rows.Close()
	out := []awapi.ScheduledShow{}
	for rows.Next() {
		sh, err := scanShow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// upcomingShows reads, in tx, a performer's shows that are neither cancelled nor finished at now: the
// only ones a new slot can meet, since a show starts in the future.
func (s *DB) upcomingShows(ctx context.Context, tx txConn, userID int64, now time.Time) ([]awapi.ScheduledShow, error) {
	rows, err := tx.query(ctx, `SELECT `+showColumns+` FROM directcam_shows s JOIN members m ON m.user_id = s.user_id
		WHERE s.user_id = ? AND s.cancelled_at = 0 AND s.end_at > ? ORDER BY s.scheduled_date, s.scheduled_id`, userID, micros(now))
	if err != nil {
		return nil, err
	}
	return scanShows(rows)
}

func (s *DB) readShow(ctx context.Context, c conn, scheduledID int64) (awapi.ScheduledShow, error) {
	sh, err := scanShow(c.queryRow(ctx, `SELECT `+showColumns+` FROM directcam_shows s JOIN members m ON m.user_id = s.user_id
		WHERE s.scheduled_id = ?`, scheduledID))
	return sh, notFound(err, "The show")
}

// ownShow reads performerID's show in tx; another performer's show is not found.
func (s *DB) ownShow(ctx context.Context, tx txConn, performerID, scheduledID int64) (awapi.ScheduledShow, error) {
	sh, err := s.readShow(ctx, tx.conn, scheduledID)
	if err == nil && sh.UserID != performerID {
		err = awapi.NotFound("The show")
	}
	return sh, err
}

func (s *DB) saveShowImage(ctx context.Context, tx txConn, scheduledID int64, img *awapi.ShowImage) error {
	_, err := tx.exec(ctx, `INSERT INTO directcam_show_images (scheduled_id, width, height, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (scheduled_id) DO UPDATE SET width = excluded.width, height = excluded.height, data = excluded.data`,
		scheduledID, img.Width, img.Height, img.Data)
	return err
}

// CreateScheduledShow stores a show under the performer's lock when check allows it among their
// upcoming shows.
func (s *DB) CreateScheduledShow(ctx context.Context, sh awapi.ScheduledShow, img awapi.ShowImage, now time.Time,
	check func(upcoming []awapi.ScheduledShow) error) (_ awapi.ScheduledShow, err error) {
	defer wrap(&err, "CreateScheduledShow")
	return inTxValue(ctx, s, func(tx txConn) (awapi.ScheduledShow, error) {
		if err := s.lockMember(ctx, tx, sh.UserID); err != nil {
			return awapi.ScheduledShow{}, err
		}
		upcoming, err := s.upcomingShows(ctx, tx, sh.UserID, now)
		if err != nil {
			return awapi.ScheduledShow{}, err
		}
		if err := check(upcoming); err != nil {
			return awapi.ScheduledShow{}, err
		}
		var id int64
		err = tx.queryRow(ctx, `INSERT INTO directcam_shows (user_id, scheduled_date, length_minutes, end_at, title, summary,
				details, webcam_category_id, image_format, image_safe, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING scheduled_id`,
			sh.UserID, micros(sh.ScheduledDate), sh.EstimatedLengthInMinutes, micros(sh.End()), sh.Title, sh.Summary, sh.Details,
			sh.WebcamCategoryID, sh.ImageFormat, sh.ImageSafe, micros(sh.CreatedAt), micros(sh.UpdatedAt)).Scan(&id)
		if err != nil {
			return awapi.ScheduledShow{}, err
		}
		if err := s.saveShowImage(ctx, tx, id, &img); err != nil {
			return awapi.ScheduledShow{}, err
		}
		return s.readShow(ctx, tx.conn, id)
	})
}

// ChangeScheduledShow applies a domain change to a performer's show under their lock, with their
// upcoming shows, and stores it with its new image, if any.
func (s *DB) ChangeScheduledShow(ctx context.Context, performerID, scheduledID int64, img *awapi.ShowImage, now time.Time,
	change func(sh *awapi.ScheduledShow, upcoming []awapi.ScheduledShow) error) (_ awapi.ScheduledShow, err error) {
	defer wrap(&err, "ChangeScheduledShow")
	return inTxValue(ctx, s, func(tx txConn) (awapi.ScheduledShow, error) {
		if err := s.lockMember(ctx, tx, performerID); err != nil {
			return awapi.ScheduledShow{}, err
		}
		sh, err := s.ownShow(ctx, tx, performerID, scheduledID)
		if err != nil {
			return awapi.ScheduledShow{}, err
		}
		upcoming, err := s.upcomingShows(ctx, tx, performerID, now)
		if err != nil {
			return awapi.ScheduledShow{}, err
		}
		if err := change(&sh, upcoming); err != nil {
			return awapi.ScheduledShow{}, err
		}
		if _, err := tx.exec(ctx, `UPDATE directcam_shows SET scheduled_date = ?, length_minutes = ?, end_at = ?, title = ?,
				summary = ?, details = ?, webcam_category_id = ?, image_format = ?, image_safe = ?, updated_at = ?, cancelled_at = ?
			WHERE scheduled_id = ?`,
			micros(sh.ScheduledDate), sh.EstimatedLengthInMinutes, micros(sh.End()), sh.Title, sh.Summary, sh.Details,
			sh.WebcamCategoryID, sh.ImageFormat, sh.ImageSafe, micros(sh.UpdatedAt), micros(sh.CancelledAt), scheduledID); err != nil {
			return awapi.ScheduledShow{}, err
		}
		if img != nil {
			if err := s.saveShowImage(ctx, tx, scheduledID, img); err != nil {
				return awapi.ScheduledShow{}, err
			}
		}
		return s.readShow(ctx, tx.conn, scheduledID)
	})
}

// DeleteScheduledShow removes a performer's show and its image when check allows it.
func (s *DB) DeleteScheduledShow(ctx context.Context, performerID, scheduledID int64, check func(sh *awapi.ScheduledShow) error) (err error) {
	defer wrap(&err, "DeleteScheduledShow")
	return s.inTx(ctx, func(tx txConn) error {
		if err := s.lockMember(ctx, tx, performerID); err != nil {
			return err
		}
		sh, err := s.ownShow(ctx, tx, performerID, scheduledID)
		if err != nil {
			return err
		}
		if err := check(&sh); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM directcam_show_images WHERE scheduled_id = ?`, scheduledID); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `DELETE FROM directcam_shows WHERE scheduled_id = ?`, scheduledID)
		return err
	})
}

// ScheduledShows pages a performer's shows by start (ties by ID in the same direction), with the total.
func (s *DB) ScheduledShows(ctx context.Context, q awapi.ShowQuery) (_ []awapi.ScheduledShow, _ int, err error) {
	defer wrap(&err, "ScheduledShows")
	search := &pagedQuery{cols: showColumns, from: `FROM directcam_shows s JOIN members m ON m.user_id = s.user_id`,
		where: `WHERE s.user_id = ?`, args: []any{q.UserID}, order: `s.scheduled_date ASC, s.scheduled_id ASC`}
	if !q.IncludeCancelled {
		search.where += ` AND s.cancelled_at = 0`
	}
	if !q.IncludeFinished {
		// Cancelled shows are listed until their time has passed, as any other.
		search.where += ` AND s.end_at > ?`
		search.args = append(search.args, micros(q.Now))
	}
	if q.Desc {
		search.order = `s.scheduled_date DESC, s.scheduled_id DESC`
	}
	total, err := search.count(ctx, s.pool())
	if err != nil {
		return nil, 0, err
	}
	offset := max(0, q.Page.Offset())
	if q.Page.Size <= 0 || offset >= total {
		return []awapi.ScheduledShow{}, total, nil
	}
	rows, err := search.page(ctx, s.pool(), q.Page.Size, offset)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanShows(rows)
	return out, total, err
}

// ShowImage reads a show's image.
func (s *DB) ShowImage(ctx context.Context, scheduledID int64) (_ awapi.ShowImage, err error) {
	defer wrap(&err, "ShowImage")
	var img awapi.ShowImage
	err = s.queryRow(ctx, `SELECT s.image_format, i.width, i.height, i.data
		FROM directcam_show_images i JOIN directcam_shows s ON s.scheduled_id = i.scheduled_id WHERE i.scheduled_id = ?`,
		scheduledID).Scan(&img.Format, &img.Width, &img.Height, &img.Data)
	return img, notFound(err, "The show's image")
}

// InsertScheduledShows bulk-inserts shows with their IDs, then their images, in one transaction.
func (s *DB) InsertScheduledShows(ctx context.Context, shows []awapi.ScheduledShow, images []awapi.ShowImage) (err error) {
	defer wrap(&err, "InsertScheduledShows")
	if len(images) != len(shows) {
		return errors.New("one image per show")
	}
	err = s.inBulkTx(ctx, func(tx txConn) error {
		err := s.insertRowsTx(ctx, tx, "directcam_shows", `scheduled_id, user_id, scheduled_date, length_minutes, end_at, title,
			summary, details, webcam_category_id, image_format, image_safe, created_at, updated_at, cancelled_at`, 14, len(shows), func(i int) []any {
			sh := &shows[i]
			return []any{sh.ScheduledID, sh.UserID, micros(sh.ScheduledDate), sh.EstimatedLengthInMinutes, micros(sh.End()), sh.Title,
				sh.Summary, sh.Details, sh.WebcamCategoryID, sh.ImageFormat, sh.ImageSafe, micros(sh.CreatedAt), micros(sh.UpdatedAt),
				micros(sh.CancelledAt)}
		})
		if err != nil {
			return err
		}
		return s.insertRowsTx(ctx, tx, "directcam_show_images", "scheduled_id, width, height, data", 4, len(images), func(i int) []any {
			return []any{shows[i].ScheduledID, images[i].Width, images[i].Height, images[i].Data}
		})
	})
	if err == nil {
		err = s.resetIdentity(ctx, "directcam_shows", "scheduled_id")
	}
	return err
}

// RecordDirectCamSession stores a session and moves its credits through the ledger (changeBalance),
// all in one transaction: the client's debit first, so a balance that does not cover it records
// nothing.
func (s *DB) RecordDirectCamSession(ctx context.Context, sess awapi.DirectCamSession, now time.Time) (_ awapi.DirectCamSession, _ []awapi.LedgerEntry, err error) {
	defer wrap(&err, "RecordDirectCamSession")
	var entries []awapi.LedgerEntry
	err = s.inTx(ctx, func(tx txConn) error {
		entries = nil
		err := tx.queryRow(ctx, `INSERT INTO directcam_sessions (performer_id, client_id, mode, minutes, ppm, credits, ran_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING session_id`, sess.PerformerID, sess.ClientID, string(sess.Mode), sess.Minutes,
			int64(sess.PPM), int64(sess.Credits), micros(sess.RanAt)).Scan(&sess.SessionID)
		if err != nil {
			if isForeignKeyViolation(err) {
				return awapi.NotFound("The member")
			}
			return err
		}
		for _, p := range sess.Postings() {
			e, err := s.changeBalance(ctx, tx, p.UserID, p.Amount, p.Description, 0, now)
			if err != nil {
				return err
			}
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return awapi.DirectCamSession{}, nil, err
	}
	return sess, entries, nil
}
