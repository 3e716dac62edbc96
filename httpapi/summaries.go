package httpapi

import (
	"context"
)

// profileSummaries renders the listed members as profile summaries keyed by UserID, leaving out
// unknown or inactive ones. When a member calls, IsBlacklisted says whether they blacklisted each one.
func (s *Server) profileSummaries(ctx context.Context, c *Call, userIDs []int64) (map[int64]*ProfileSummary, error) {
	ps, err := s.store.Profiles(ctx, userIDs, c.Now)
	if err != nil {
		return nil, err
	}
	var blacklisted map[int64]bool
	if c.Caller.ActingUserID != 0 && len(ps) > 0 {
		if blacklisted, err = s.store.BlacklistedAmong(ctx, c.Caller.ActingUserID, userIDs); err != nil {
			return nil, err
		}
	}
	out := make(map[int64]*ProfileSummary, len(ps))
	for i := range ps {
		sum := ProfileSummaryOf(c, &ps[i], nil)
		sum.IsBlacklisted = blacklisted[ps[i].UserID]
		out[ps[i].UserID] = &sum
	}
	return out, nil
}
