package awapi

import (
	"context"
	"time"
)

// ProfileStore reads the public profile model (profile.go). The denormalised counters it reads
// (views, ratings) are kept in step by InsertDailyViews and InsertRatings, and by any other method that
// writes those rows, in the same transaction.
type ProfileStore interface {
	ProfileReader
	ProfileSearcher
	ActivityReader

	// Bulk loading for the seeder; each call is one transaction.
	InsertProfileImages(ctx context.Context, ims []ProfileImage) error
	InsertTours(ctx context.Context, ts []Tour) error
}

// ProfileReader reads public profiles by ID: every area that shows a member does.
type ProfileReader interface {
	// Profiles reads active members' public profiles in the order of ids, leaving out unknown and
	// inactive members. IsOnTour is evaluated at now.
	Profiles(ctx context.Context, ids []int64, now time.Time) ([]Profile, error)
}

// ProfileSearcher searches public profiles (Search/SearchProfiles).
type ProfileSearcher interface {
	// SearchProfiles pages the active, offering members matching q, with the total count.
	SearchProfiles(ctx context.Context, q ProfileQuery) ([]ProfileHit, int, error)
}

// ActivityReader reads a member's public activity (the newsfeed).
type ActivityReader interface {
	// ProfileActivity lists a member's most recent public activity (ratings received, tours
	// announced), newest first, at most limit items.
	ProfileActivity(ctx context.Context, userID int64, limit int) ([]Activity, error)
}
