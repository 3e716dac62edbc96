package awapi

import (
	"context"
	"time"
)

// Store is the storage contract. sqlstore implements it for SQLite and PostgreSQL, and one
// conformance suite (sqlstore/storetest) runs against both. Lookups of missing objects return a
// KindNotFound *Error.
type Store interface {
	Ping(ctx context.Context) error
	Close() error

	// Meta reads and writes installation facts such as whether the database is a sandbox.
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMeta(ctx context.Context, key, value string) error

	CreateProject(ctx context.Context, p NewProject) (Project, error)
	// ProjectByAPIKey finds the project whose API key has this digest.
	ProjectByAPIKey(ctx context.Context, keyDigest []byte) (Project, APISecret, error)
	CreateAccessToken(ctx context.Context, tokenDigest []byte, t AccessToken) error
	// AccessToken finds a live token by digest: one indexed lookup, as every bearer call pays it.
	AccessToken(ctx context.Context, tokenDigest []byte, now time.Time) (AccessToken, Project, error)

	CreateGroup(ctx context.Context, g Group) (Group, error)
	CreateMember(ctx context.Context, m Member) (Member, error)
	Member(ctx context.Context, userID int64) (Member, error)

	// Bulk loading, used by the seeder: each call inserts many rows in one transaction.
	InsertMembers(ctx context.Context, ms []Member) error
	InsertWebcamSettings(ctx context.Context, ws []WebcamSettings) error
	InsertRatings(ctx context.Context, rs []Rating) error
	InsertDailyViews(ctx context.Context, vs []DailyViews) error

	TopList(ctx context.Context, q TopListQuery) ([]TopListEntry, error)
}

// NewProject is what creating a project records; secrets arrive already hashed.
type NewProject struct {
	Name            string
	APIKeyDigest    []byte
	APIKeyPrefix    string // the first characters of the key, so operators can tell keys apart
	APISecretDigest []byte
	Approved        bool
}

// APISecret is the stored digest of a project's API secret.
type APISecret []byte
