package awapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Unified Login (OAuth 2.0, RFC 6749) rules. They decide; sqlstore persists; httpapi/oauth speaks HTTP.

// Lifetimes of OAuth credentials.
const (
	AuthCodeTTL        = 10 * time.Minute    // RFC 6749 §4.1.2 recommends at most 10 minutes
	RefreshTokenTTL    = 14 * 24 * time.Hour // documented: each refresh returns a token valid 14 days
	DefaultAccessTTL   = time.Hour           // the documented sample's expires_in: 3600
	PrefixClientID     = "awc_"
	PrefixClientSecret = "awcs_"
	PrefixAuthCode     = "awa_"
	PrefixRefreshToken = "awr_"
)

// Client is a project as the authorization server sees it.
type Client struct {
	Project
	ClientID           string
	ClientSecretDigest []byte // empty for public clients
	RedirectURIs       []string
	Scopes             ScopeSet // the scopes the project may request
	Public             bool     // a browser client: no secret, PKCE required
}

// RedirectAllowed reports whether uri is registered, compared exactly (RFC 6749 §3.1.2.3): no prefix,
// no case folding, no normalisation.
func (c *Client) RedirectAllowed(uri string) bool {
	return slices.Contains(c.RedirectURIs, uri)
}

// ValidRedirectURI checks a URI a project registers: absolute, no fragment (RFC 6749 §3.1.2), and
// https unless it points at the local machine.
func ValidRedirectURI(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Fragment != "" || u.Host == "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return h == "localhost" || h == "127.0.0.1" || h == "::1"
	}
	return false
}

// Grant is a member's consent for a project to use some scopes; every token issued for it dies with it.
type Grant struct {
	GrantID   int64
	UserID    int64
	ProjectID int64
	Scopes    ScopeSet
	CreatedAt time.Time
	RevokedAt time.Time // zero while active
}

// AuthCode is an issued authorization code (stored by digest).
type AuthCode struct {
	GrantID             int64
	RedirectURI         string
	CodeChallenge       string // PKCE S256 challenge, empty when PKCE was not used
	CodeChallengeMethod string
	ExpiresAt           time.Time
}

// PKCEMatches verifies an RFC 7636 S256 code verifier against its challenge in constant time.
func PKCEMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, c := range verifier {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

// ValidCodeChallenge checks the form of an S256 challenge: 43 base64url characters.
func ValidCodeChallenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil
}

// Subset reports whether every scope in want is in have: a refresh can never widen a grant.
func (set ScopeSet) Subset(have ScopeSet) bool {
	for _, s := range set {
		if !have.Has(s) {
			return false
		}
	}
	return true
}

// TokenPair is what a successful grant issues: stored by digests, shown once to the client.
type TokenPair struct {
	AccessToken      string
	RefreshToken     string // empty for the implicit flow, which never issues one
	AccessExpiresAt  time.Time
	RefreshExpiresAt time.Time
	Scopes           ScopeSet
}
