package awapi

import (
	"context"
	"time"
)

// Store is the storage contract. sqlstore implements it for SQLite and PostgreSQL, and one
// conformance suite (sqlstore/storetest) runs against both. Lookups of missing objects return a
// KindNotFound *Error.
//
// Store is the union of the narrow contracts below and beside the domain types: each API area, the
// endpoint framework (web.Gate) and the Unified Login take only the part they use, so a reader sees
// what each touches and a test can hand it a small fake.
type Store interface {
	Ping(ctx context.Context) error
	Close() error

	// Meta reads and writes installation facts such as whether the database is a sandbox.
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMeta(ctx context.Context, key, value string) error
	// SetMetaIfAbsent records a fact unless one is already recorded under key (first writer wins).
	SetMetaIfAbsent(ctx context.Context, key, value string) error

	CreateProject(ctx context.Context, p NewProject) (Project, error)
	// CreateClient registers a project with OAuth client credentials and an API key (all as digests).
	CreateClient(ctx context.Context, c NewClient) (Client, error)
	// ProjectByAPIKey finds the project whose API key has this digest.
	ProjectByAPIKey(ctx context.Context, keyDigest []byte) (Project, APISecret, error)
	CreateAccessToken(ctx context.Context, tokenDigest []byte, t AccessToken) error
	// AccessToken finds a live token by digest: one indexed lookup, as every bearer call pays it.
	AccessToken(ctx context.Context, tokenDigest []byte, now time.Time) (AccessToken, Project, error)
	// ProjectOrigins lists every origin any project registered, each once, sorted.
	ProjectOrigins(ctx context.Context) ([]string, error)

	CreateGroup(ctx context.Context, g Group) (Group, error)
	CreateMember(ctx context.Context, m Member) (Member, error)
	// SetPassword stores a member's password hash.
	SetPassword(ctx context.Context, userID int64, hash string) error
	MemberReader

	// Bulk loading, used by the seeder: each call inserts many rows in one transaction.
	InsertMembers(ctx context.Context, ms []Member) error
	InsertWebcamSettings(ctx context.Context, ws []WebcamSettings) error
	InsertRatings(ctx context.Context, rs []Rating) error
	InsertDailyViews(ctx context.Context, vs []DailyViews) error

	TopListReader
	UnifiedLogin
	BookingStore
	WebcamStore
	PhoneChatStore
	ProfileStore
	CreditStore
	MemberDataStore
	ReviewStore
	GroupStore
	TourStore
	DirectCamStore
	DirectChatStore
	EmailStore
}

// MemberReader reads members and groups by ID.
type MemberReader interface {
	Member(ctx context.Context, userID int64) (Member, error)
	Group(ctx context.Context, groupID int64) (Group, error)
}

// TopListReader ranks members (Lists/GetTopList).
type TopListReader interface {
	TopList(ctx context.Context, q TopListQuery) ([]TopListEntry, error)
}

// WebcamStore is what webcam bookings read beyond the booking engine (BookingStore).
type WebcamStore interface {
	// WebcamPerformers describes the given members for booking rules; unknown IDs are left out.
	WebcamPerformers(ctx context.Context, userIDs []int64) ([]WebcamPerformer, error)
	// MobileVerified reports whether the member has a verified mobile number (SendSMSOnAccept).
	MobileVerified(ctx context.Context, userID int64) (bool, error)
}

// CreditStore keeps the credit ledger: every balance change is a ledger row written in the same
// transaction, a balance never goes negative, and a balance always equals the sum of its ledger.
type CreditStore interface {
	CreditReader
	// AddCredits records a top-up (positive) or an adjustment; a negative amount may not overdraw.
	AddCredits(ctx context.Context, userID int64, amount Credits, description string, now time.Time) (LedgerEntry, error)
	// LedgerSum and the balance are equal by construction; tests compare them for every member.
	LedgerSum(ctx context.Context, userID int64) (Credits, error)
}

// CreditReader reads a member's balance and ledger (CreditHistory, the dashboard).
type CreditReader interface {
	CreditBalance(ctx context.Context, userID int64) (Credits, error)
	// CreditHistory pages a member's ledger, oldest first unless newestFirst, with the total count.
	// Page number 0 is the last page (awapi.LastPage), so that costs no second query.
	CreditHistory(ctx context.Context, userID int64, newestFirst bool, page Page) ([]LedgerEntry, int, error)
}

// UnifiedLogin is the part of the storage contract the OAuth 2.0 authorization server reads and
// writes (registering clients and setting passwords are the operator's, in Store). Every method that
// changes more than one row does so in one transaction, and every state change that two requests
// could race for (redeeming a code, rotating a refresh token) is a compare-and-set.
type UnifiedLogin interface {
	// ClientByID finds a project by its OAuth client_id.
	ClientByID(ctx context.Context, clientID string) (Client, error)
	// MemberByLogin finds a member by nickname or email address, case-insensitively.
	MemberByLogin(ctx context.Context, nicknameOrEmail string) (Member, error)

	// Authorize records a member's consent as a new grant and, in the same transaction, either an
	// authorization code (code != nil) or an access token (the implicit flow).
	Authorize(ctx context.Context, g Grant, codeDigest []byte, code *AuthCode, access *IssuedToken) (Grant, error)
	// RedeemAuthCode marks an unexpired code used and returns it with its grant. A code already used
	// revokes its grant and every token issued from it, and answers KindConflict "code_reused"; an
	// unknown or expired code answers KindNotFound.
	RedeemAuthCode(ctx context.Context, codeDigest []byte, now time.Time) (AuthCode, Grant, error)
	// IssueTokens stores a new access token and refresh token for an active grant.
	IssueTokens(ctx context.Context, grantID int64, access IssuedToken, refresh IssuedToken) error
	// RotateRefreshToken swaps a live refresh token for a new pair. Reusing an already rotated token
	// revokes the whole grant (KindConflict "refresh_token_reused"); an expired one answers KindConflict
	// "refresh_token_has_expired"; an unknown one or one of a revoked grant, KindNotFound.
	RotateRefreshToken(ctx context.Context, oldDigest []byte, now time.Time, access, refresh IssuedToken) (Grant, error)
	// RevokeToken revokes the access or refresh token with this digest, if the project owns it; a
	// refresh token takes its whole grant with it (RFC 7009 §2.1). Unknown tokens are not an error.
	RevokeToken(ctx context.Context, projectID int64, digest []byte, now time.Time) error
	// Grants lists a member's active grants with their project names, newest first.
	Grants(ctx context.Context, userID int64) ([]GrantInfo, error)
	// RevokeProject revokes every grant (and token) a member gave a project.
	RevokeProject(ctx context.Context, userID, projectID int64, now time.Time) error

	// ReserveLoginAttempt records a sign-in attempt against every limit's key before the credentials
	// are checked. Counting and recording are one atomic step across instances: when any key already
	// has Limit attempts since since, nothing is recorded and the answer is KindRateLimited
	// "too_many_attempts". The recorded attempt counts as a failure unless ReleaseLoginAttempt
	// removes it.
	ReserveLoginAttempt(ctx context.Context, limits []LoginLimit, now, since time.Time) (LoginAttempt, error)
	// ReleaseLoginAttempt removes a reserved attempt: its credentials were right, or were never checked.
	ReleaseLoginAttempt(ctx context.Context, a LoginAttempt) error

	// SpendTicket marks a single-use login-page ticket (by digest) spent, atomically across
	// instances; one spent before answers KindConflict "ticket_spent". The record is kept until
	// some time after expires.
	SpendTicket(ctx context.Context, digest []byte, expires, now time.Time) error
}

// LoginLimit is one throttling counter: at most Limit attempts against Key within the window.
type LoginLimit struct {
	Key   string // "member:<UserID>", "address:<IP>", …
	Limit int
}

// LoginAttempt is a reserved sign-in attempt: its rows, one per key.
type LoginAttempt struct {
	IDs []int64
}

// NewClient is what registering an OAuth project records; secrets arrive as digests.
type NewClient struct {
	NewProject
	ClientID           string
	ClientSecretDigest []byte // nil for a public client
	RedirectURIs       []string
	Scopes             ScopeSet
	Public             bool
}

// IssuedToken is a token to store: its digest, expiry and scopes.
type IssuedToken struct {
	Digest    []byte
	ExpiresAt time.Time
	Scopes    ScopeSet
}

// GrantInfo is a grant as its member sees it in the list of authorised projects.
type GrantInfo struct {
	Grant
	ProjectName string
}

// NewProject is what creating a project records; secrets arrive already hashed.
type NewProject struct {
	Name            string
	APIKeyDigest    []byte
	APIKeyPrefix    string // the first characters of the key, so operators can tell keys apart
	APISecretDigest []byte
	Approved        bool
	Origins         []string // web origins allowed to call the API with the project's credentials (CORS)
}

// APISecret is the stored digest of a project's API secret.
type APISecret []byte
