package sqlstore

import (
	"context"

	"github.com/awapi/awapi"
)

// What webcam bookings read beyond the booking engine (bookings.go).

var _ awapi.WebcamStore = (*DB)(nil)

// WebcamPerformers describes members for the booking rules; unknown IDs are left out, and a member
// without webcam settings offers no software and has no minimum.
func (s *DB) WebcamPerformers(ctx context.Context, userIDs []int64) (_ []awapi.WebcamPerformer, err error) {
	defer wrap(&err, "WebcamPerformers")
	if len(userIDs) == 0 {
		return []awapi.WebcamPerformer{}, nil
	}
	in, list := anyOf(s, "m.user_id", userIDs)
	rows, err := s.query(ctx, `SELECT m.user_id, m.nickname, m.is_active, m.is_webcam, m.directchat_only,
			COALESCE(w.software_types, ''), COALESCE(w.minimum_duration, 0)
		FROM members m LEFT JOIN webcam_settings w ON w.user_id = m.user_id
		WHERE `+in+` ORDER BY m.user_id`, list)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []awapi.WebcamPerformer{}
	for rows.Next() {
		var (
			p        awapi.WebcamPerformer
			software string
		)
		if err := rows.Scan(&p.UserID, &p.Nickname, &p.IsActive, &p.IsWebcam, &p.DirectChatOnly, &software, &p.MinimumDuration); err != nil {
			return nil, err
		}
		p.SoftwareTypeIDs = parseIDs(software)
		out = append(out, p)
	}
	return out, rows.Err()
}

// MobileVerified reports whether the member has a verified mobile number.
func (s *DB) MobileVerified(ctx context.Context, userID int64) (_ bool, err error) {
	defer wrap(&err, "MobileVerified")
	var ok bool
	err = s.queryRow(ctx, `SELECT mobile_verified FROM members WHERE user_id = ?`, userID).Scan(&ok)
	return ok, notFound(err, "The member")
}
