package awapi

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"slices"
	"strings"
	"time"
)

// Scope is an OAuth 2.0 scope name as the API documents it.
type Scope string

// The scopes seen in the API documentation (api-v1.md §1.6). The email and age-verification scopes'
// names were not captured; ScopeEmail and ScopeAgeVerification are this project's names for them.
const (
	ScopeUserID                   Scope = "userid"
	ScopeNickname                 Scope = "nickname"
	ScopeProfileAbout             Scope = "profile_about"
	ScopeAccountInformation       Scope = "account_information"
	ScopeAccountCommunications    Scope = "account_communications"
	ScopeAccountEscortBookings    Scope = "account_escort_bookings"
	ScopeAccountCreditsHistory    Scope = "account_credits_history"
	ScopeAccountWebcamBookings    Scope = "account_webcam_bookings"
	ScopeAccountPhonechatBookings Scope = "account_phonechat_bookings"
	ScopeProfileHotlist           Scope = "profile_hotlist"
	ScopeProfileBlacklist         Scope = "profile_blacklist"
	ScopeProfileServices          Scope = "profile_services"
	ScopeProfileGallery           Scope = "profile_gallery"
	ScopeEmail                    Scope = "account_email"
	ScopeAgeVerification          Scope = "account_age_verification"
)

// ScopeInfo describes a scope in plain words, for the consent page and the API reference.
type ScopeInfo struct {
	Scope       Scope
	Description string
}

// Scopes lists every scope the server knows, in the order a consent page shows them.
var Scopes = []ScopeInfo{
	{ScopeUserID, "Know your member ID"},
	{ScopeNickname, "Know your nickname"},
	{ScopeEmail, "Know your email address"},
	{ScopeAgeVerification, "Know whether your age is verified"},
	{ScopeAccountInformation, "Read your account information, including your group"},
	{ScopeProfileAbout, "Read and change the About You text of your profile"},
	{ScopeProfileServices, "Read and change the services you offer"},
	{ScopeProfileGallery, "Manage your picture galleries and albums"},
	{ScopeProfileHotlist, "Read and manage your hotlists"},
	{ScopeProfileBlacklist, "Read and manage your blacklist"},
	{ScopeAccountCommunications, "Read and send your site emails"},
	{ScopeAccountEscortBookings, "Read and manage your escort bookings"},
	{ScopeAccountWebcamBookings, "Read and manage your webcam bookings and DirectCam settings"},
	{ScopeAccountPhonechatBookings, "Read and manage your phone chat bookings and DirectChat settings"},
	{ScopeAccountCreditsHistory, "Read your credit balance and credit history"},
}

// KnownScope reports whether s is a scope the server knows.
func KnownScope(s Scope) bool {
	return slices.ContainsFunc(Scopes, func(i ScopeInfo) bool { return i.Scope == s })
}

// ScopeSet is a set of granted scopes, stored as a space-separated string (RFC 6749 §3.3).
type ScopeSet []Scope

// ParseScopes splits a space- or comma-separated scope string, dropping duplicates and blanks.
func ParseScopes(s string) ScopeSet {
	var set ScopeSet
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		if sc := Scope(f); !slices.Contains(set, sc) {
			set = append(set, sc)
		}
	}
	return set
}

// Has reports whether the set contains s.
func (set ScopeSet) Has(s Scope) bool { return slices.Contains(set, s) }

// String renders the set space-separated.
func (set ScopeSet) String() string {
	parts := make([]string, len(set))
	for i, s := range set {
		parts[i] = string(s)
	}
	return strings.Join(parts, " ")
}

// Project is a developer's registered application: it owns an API key and, for Unified Login, OAuth
// client credentials.
type Project struct {
	ProjectID int64
	Name      string
	Approved  bool // passed review; needed by a few endpoints (api-v1.md §1.2)
	// Origins are the web origins (as ParseOrigin returns them) whose pages may call the API with
	// this project's key or tokens (CORS).
	Origins []string
}

// AccessToken is what the store records for an issued bearer token (api-v1.md §1.5).
type AccessToken struct {
	UserID    int64
	ProjectID int64
	Scopes    ScopeSet
	ExpiresAt time.Time
}

// Caller is who is calling an endpoint: always a project, and a member when a bearer token was used.
type Caller struct {
	Project Project
	UserID  int64 // 0 when the call is authenticated by API key alone
	Scopes  ScopeSet
	// ActingUserID is the member the call acts for: UserID, or the group member a group manager
	// impersonates through a /v1/Groups/... variant.
	ActingUserID int64
}

// Secret prefixes make leaked credentials recognisable (and greppable by secret scanners).
const (
	PrefixAPIKey      = "awk_"
	PrefixAPISecret   = "aws_"
	PrefixAccessToken = "awt_"
)

// NewSecret returns prefix followed by 32 random bytes, base64url-encoded.
func NewSecret(prefix string) string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the SHA-256 of a high-entropy secret. Random 256-bit secrets need no slow hash;
// storing only the digest means a database leak reveals no usable credential.
func HashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// SecretMatches compares a presented secret with a stored digest in constant time.
func SecretMatches(presented string, digest []byte) bool {
	return subtle.ConstantTimeCompare(HashSecret(presented), digest) == 1
}
