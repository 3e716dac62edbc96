package httpapi

import (
	"context"

	"github.com/awapi/awapi/web"
)

// profileSummaries renders the listed members as profile summaries keyed by UserID, leaving out
// unknown or inactive ones, with IsBlacklisted marked for the calling member.
func (s *api) profileSummaries(ctx context.Context, c *web.Call, userIDs []int64) (map[int64]*ProfileSummary, error) {
	ps, err := s.store.Profiles(ctx, userIDs, c.Now)
	if err != nil {
		return nil, err
	}
	list := make([]ProfileSummary, len(ps))
	for i := range ps {
		list[i] = ProfileSummaryOf(c, &ps[i], nil)
	}
	if err := s.markBlacklisted(ctx, c, len(list), func(i int) *ProfileSummary { return &list[i] }); err != nil {
		return nil, err
	}
	out := make(map[int64]*ProfileSummary, len(list))
	for i := range list {
		out[list[i].UserID] = &list[i]
	}
	return out, nil
}

// markBlacklisted sets IsBlacklisted on the n summaries at(0..n-1) (wherever an answer holds them)
// for the members the calling member blacklisted; an API-key call has no member, so none is marked.
func (s *api) markBlacklisted(ctx context.Context, c *web.Call, n int, at func(i int) *ProfileSummary) error {
	if c.Caller.ActingUserID == 0 || n == 0 {
		return nil
	}
	ids := make([]int64, n)
	for i := range n {
		ids[i] = at(i).UserID
	}
	blacklisted, err := s.store.BlacklistedAmong(ctx, c.Caller.ActingUserID, ids)
	if err != nil {
		return err
	}
	for i := range n {
		at(i).IsBlacklisted = blacklisted[ids[i]]
	}
	return nil
}
