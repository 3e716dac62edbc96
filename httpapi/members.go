package httpapi

import (
	"context"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Reading the members an answer shows: one active profile, or several as summaries marked for the
// calling member's blacklist.

// activeProfile reads one active member's profile; unknown and inactive members are not found.
func activeProfile(ctx context.Context, profiles awapi.ProfileReader, c *web.Call, userID int64) (awapi.Profile, error) {
	ps, err := profiles.Profiles(ctx, []int64{userID}, c.Now)
	if err != nil {
		return awapi.Profile{}, err
	}
	if len(ps) == 0 {
		return awapi.Profile{}, awapi.NotFound("The member")
	}
	return ps[0], nil
}

// profileSummaries renders the listed members as profile summaries keyed by UserID, leaving out
// unknown or inactive ones, with IsBlacklisted marked for the calling member.
func profileSummaries(ctx context.Context, profiles awapi.ProfileReader, blacklist awapi.BlacklistLookup, c *web.Call, userIDs []int64) (map[int64]*ProfileSummary, error) {
	ps, err := profiles.Profiles(ctx, userIDs, c.Now)
	if err != nil {
		return nil, err
	}
	list := make([]ProfileSummary, len(ps))
	for i := range ps {
		list[i] = ProfileSummaryOf(c, &ps[i], nil)
	}
	if err := markBlacklisted(ctx, blacklist, c, len(list), func(i int) *ProfileSummary { return &list[i] }); err != nil {
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
func markBlacklisted(ctx context.Context, blacklist awapi.BlacklistLookup, c *web.Call, n int, at func(i int) *ProfileSummary) error {
	if c.Caller.ActingUserID == 0 || n == 0 {
		return nil
	}
	ids := make([]int64, n)
	for i := range n {
		ids[i] = at(i).UserID
	}
	blacklisted, err := blacklist.BlacklistedAmong(ctx, c.Caller.ActingUserID, ids)
	if err != nil {
		return err
	}
	for i := range n {
		at(i).IsBlacklisted = blacklisted[ids[i]]
	}
	return nil
}
