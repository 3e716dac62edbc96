package httpapi

import "context"

// profileSummaries renders the listed members as profile summaries keyed by UserID, leaving out
// unknown or inactive ones, with IsBlacklisted marked for the calling member.
func (s *Server) profileSummaries(ctx context.Context, c *Call, userIDs []int64) (map[int64]*ProfileSummary, error) {
	ps, err := s.store.Profiles(ctx, userIDs, c.Now)
	if err != nil {
		return nil, err
	}
	list := make([]ProfileSummary, len(ps))
	for i := range ps {
		list[i] = ProfileSummaryOf(c, &ps[i], nil)
	}
	if err := s.markBlacklisted(ctx, c, list); err != nil {
		return nil, err
	}
	out := make(map[int64]*ProfileSummary, len(list))
	for i := range list {
		out[list[i].UserID] = &list[i]
	}
	return out, nil
}

// markBlacklisted sets IsBlacklisted on the summaries of members the calling member blacklisted; an
// API-key call has no member, so nothing is marked.
func (s *Server) markBlacklisted(ctx context.Context, c *Call, summaries []ProfileSummary) error {
	if c.Caller.ActingUserID == 0 || len(summaries) == 0 {
		return nil
	}
	ids := make([]int64, len(summaries))
	for i := range summaries {
		ids[i] = summaries[i].UserID
	}
	blacklisted, err := s.store.BlacklistedAmong(ctx, c.Caller.ActingUserID, ids)
	if err != nil {
		return err
	}
	for i := range summaries {
		summaries[i].IsBlacklisted = blacklisted[summaries[i].UserID]
	}
	return nil
}
