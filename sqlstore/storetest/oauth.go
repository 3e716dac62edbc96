package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Unified Login (OAuth 2.0) conformance tests.

var (
	scopesAB = awapi.ScopeSet{awapi.ScopeUserID, awapi.ScopeNickname}
	scopesA  = awapi.ScopeSet{awapi.ScopeUserID}
)

// newClient registers an OAuth client; name must be unique within the store.
func newClient(t *testing.T, st awapi.Store, name string) awapi.Client {
	t.Helper()
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	c, err := st.CreateClient(ctx, awapi.NewClient{
		NewProject: awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:8],
			APISecretDigest: awapi.HashSecret(awapi.NewSecret(awapi.PrefixAPISecret))},
		ClientID:           awapi.NewSecret(awapi.PrefixClientID),
		ClientSecretDigest: awapi.HashSecret(awapi.NewSecret(awapi.PrefixClientSecret)),
		RedirectURIs:       []string{"https://" + name + ".example/cb"},
		Scopes:             scopesAB,
	})
	must(t, err)
	return c
}

// oauthSetup creates member 1 and one client.
func oauthSetup(t *testing.T, st awapi.Store) awapi.Client {
	t.Helper()
	_, err := st.CreateMember(ctx, NewMember(1, "Alice"))
	must(t, err)
	return newClient(t, st, "app")
}

// digest returns a new random secret's digest.
func digest(prefix string) []byte { return awapi.HashSecret(awapi.NewSecret(prefix)) }

func issued(prefix string, expires time.Time, scopes awapi.ScopeSet) awapi.IssuedToken {
	return awapi.IssuedToken{Digest: digest(prefix), ExpiresAt: expires, Scopes: scopes}
}

// authorizeCode records a grant with an authorization code issued at t0 and returns the code digest.
func authorizeCode(t *testing.T, st awapi.Store, userID, projectID int64) (awapi.Grant, []byte) {
	t.Helper()
	code := digest(awapi.PrefixAuthCode)
	g, err := st.Authorize(ctx, awapi.Grant{UserID: userID, ProjectID: projectID, Scopes: scopesAB, CreatedAt: t0}, code,
		&awapi.AuthCode{RedirectURI: "https://app.example/cb", CodeChallenge: "challenge", CodeChallengeMethod: "S256",
			ExpiresAt: t0.Add(awapi.AuthCodeTTL)}, nil)
	must(t, err)
	if g.GrantID == 0 {
		t.Fatal("Authorize returned no grant ID")
	}
	return g, code
}

// grantWithTokens authorizes a code grant and issues an access and a refresh token for it.
func grantWithTokens(t *testing.T, st awapi.Store, userID, projectID int64) (g awapi.Grant, access, refresh awapi.IssuedToken) {
	t.Helper()
	g, _ = authorizeCode(t, st, userID, projectID)
	access = issued(awapi.PrefixAccessToken, t0.Add(time.Hour), scopesAB)
	refresh = issued(awapi.PrefixRefreshToken, t0.Add(awapi.RefreshTokenTTL), scopesAB)
	must(t, st.IssueTokens(ctx, g.GrantID, access, refresh))
	return g, access, refresh
}

func wantCode(t *testing.T, err error, kind awapi.Kind, code string) {
	t.Helper()
	wantKind(t, err, kind)
	if got := awapi.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func tokenLive(t *testing.T, st awapi.Store, d []byte, now time.Time) bool {
	t.Helper()
	_, _, err := st.AccessToken(ctx, d, now)
	if err != nil && awapi.ErrorKind(err) != awapi.KindNotFound {
		t.Fatal(err)
	}
	return err == nil
}

func testOAuthClients(t *testing.T, st awapi.Store) {
	key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixClientSecret)
	nc := awapi.NewClient{
		NewProject: awapi.NewProject{Name: "Demo", APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:8],
			APISecretDigest: awapi.HashSecret("s"), Approved: true},
		ClientID:           "awc_demo",
		ClientSecretDigest: awapi.HashSecret(secret),
		RedirectURIs:       []string{"https://demo.example/cb", "http://localhost:8080/cb"},
		Scopes:             awapi.ScopeSet{awapi.ScopeUserID, awapi.ScopeAccountWebcamBookings},
	}
	c, err := st.CreateClient(ctx, nc)
	must(t, err)
	got, err := st.ClientByID(ctx, "awc_demo")
	must(t, err)
	if got.ProjectID != c.ProjectID || got.Name != "Demo" || !got.Approved || got.ClientID != "awc_demo" ||
		!awapi.SecretMatches(secret, got.ClientSecretDigest) || !slices.Equal(got.RedirectURIs, nc.RedirectURIs) ||
		!slices.Equal(got.Scopes, nc.Scopes) || got.Public {
		t.Fatalf("ClientByID = %+v", got)
	}
	if p, _, err := st.ProjectByAPIKey(ctx, awapi.HashSecret(key)); err != nil || p.ProjectID != c.ProjectID {
		t.Fatalf("ProjectByAPIKey of a client = %+v, %v", p, err)
	}

	// A public client has no secret.
	key2 := awapi.NewSecret(awapi.PrefixAPIKey)
	_, err = st.CreateClient(ctx, awapi.NewClient{
		NewProject: awapi.NewProject{Name: "SPA", APIKeyDigest: awapi.HashSecret(key2), APIKeyPrefix: key2[:8],
			APISecretDigest: awapi.HashSecret("s2")},
		ClientID: "awc_spa", RedirectURIs: []string{"https://spa.example/"}, Scopes: scopesA, Public: true,
	})
	must(t, err)
	spa, err := st.ClientByID(ctx, "awc_spa")
	must(t, err)
	if !spa.Public || len(spa.ClientSecretDigest) != 0 || len(spa.RedirectURIs) != 1 {
		t.Fatalf("public client = %+v", spa)
	}

	// API-key-only projects have no client ID and may be many.
	for _, k := range []string{"k1", "k2"} {
		_, err = st.CreateProject(ctx, awapi.NewProject{Name: k, APIKeyDigest: awapi.HashSecret(k), APIKeyPrefix: k, APISecretDigest: awapi.HashSecret(k)})
		must(t, err)
	}
	for _, id := range []string{"", "awc_unknown", "AWC_DEMO"} {
		_, err = st.ClientByID(ctx, id)
		wantKind(t, err, awapi.KindNotFound)
	}
	// A client ID is unique.
	key3 := awapi.NewSecret(awapi.PrefixAPIKey)
	nc.APIKeyDigest = awapi.HashSecret(key3)
	_, err = st.CreateClient(ctx, nc)
	wantKind(t, err, awapi.KindConflict)
}

func testMemberByLogin(t *testing.T, st awapi.Store) {
	_, err := st.CreateMember(ctx, NewMember(1, "Alice"))
	must(t, err)
	bob := NewMember(2, "Bob")
	bob.Email = "Bob.Smith@Example.TEST"
	_, err = st.CreateMember(ctx, bob)
	must(t, err)
	for login, want := range map[string]int64{"alice": 1, "ALICE": 1, "Alice@Example.Test": 1, "bob": 2,
		"bob.smith@example.test": 2, "BOB.SMITH@EXAMPLE.TEST": 2} {
		m, err := st.MemberByLogin(ctx, login)
		must(t, err)
		if m.UserID != want {
			t.Fatalf("MemberByLogin(%q) = %d, want %d", login, m.UserID, want)
		}
	}
	for _, login := range []string{"", "carol", "bob.smith", "alice@example"} {
		_, err = st.MemberByLogin(ctx, login)
		wantKind(t, err, awapi.KindNotFound)
	}
	must(t, st.SetPassword(ctx, 2, "hash-2"))
	if m, err := st.MemberByLogin(ctx, "BOB"); err != nil || m.PasswordHash != "hash-2" {
		t.Fatalf("after SetPassword: %+v, %v", m, err)
	}
	wantKind(t, st.SetPassword(ctx, 99, "x"), awapi.KindNotFound)
}

func testAuthCodeRedeem(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	g, code := authorizeCode(t, st, 1, c.ProjectID)
	if g.UserID != 1 || g.ProjectID != c.ProjectID || !slices.Equal(g.Scopes, scopesAB) || !g.CreatedAt.Equal(t0) {
		t.Fatalf("Authorize = %+v", g)
	}
	ac, rg, err := st.RedeemAuthCode(ctx, code, t0.Add(time.Minute))
	must(t, err)
	if ac.GrantID != g.GrantID || ac.RedirectURI != "https://app.example/cb" || ac.CodeChallenge != "challenge" ||
		ac.CodeChallengeMethod != "S256" || !ac.ExpiresAt.Equal(t0.Add(awapi.AuthCodeTTL)) {
		t.Fatalf("RedeemAuthCode code = %+v", ac)
	}
	if rg.GrantID != g.GrantID || rg.UserID != 1 || rg.ProjectID != c.ProjectID || !slices.Equal(rg.Scopes, scopesAB) ||
		!rg.CreatedAt.Equal(t0) || !rg.RevokedAt.IsZero() {
		t.Fatalf("RedeemAuthCode grant = %+v", rg)
	}
	access := issued(awapi.PrefixAccessToken, t0.Add(time.Hour), scopesAB)
	refresh := issued(awapi.PrefixRefreshToken, t0.Add(awapi.RefreshTokenTTL), scopesAB)
	must(t, st.IssueTokens(ctx, g.GrantID, access, refresh))
	at, p, err := st.AccessToken(ctx, access.Digest, t0.Add(2*time.Minute))
	must(t, err)
	if at.UserID != 1 || p.ProjectID != c.ProjectID || !slices.Equal(at.Scopes, scopesAB) {
		t.Fatalf("AccessToken = %+v %+v", at, p)
	}

	// The replay revokes the grant and every token issued from it.
	_, _, err = st.RedeemAuthCode(ctx, code, t0.Add(3*time.Minute))
	wantCode(t, err, awapi.KindConflict, "code_reused")
	if tokenLive(t, st, access.Digest, t0.Add(4*time.Minute)) {
		t.Fatal("access token still works after the code was replayed")
	}
	_, err = st.RotateRefreshToken(ctx, refresh.Digest, t0.Add(4*time.Minute),
		issued(awapi.PrefixAccessToken, t0.Add(2*time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, t0.Add(48*time.Hour), scopesAB))
	wantKind(t, err, awapi.KindNotFound)
	wantKind(t, st.IssueTokens(ctx, g.GrantID, issued(awapi.PrefixAccessToken, t0.Add(time.Hour), scopesAB),
		issued(awapi.PrefixRefreshToken, t0.Add(time.Hour), scopesAB)), awapi.KindNotFound)
	if gs, err := st.Grants(ctx, 1); err != nil || len(gs) != 0 {
		t.Fatalf("Grants after replay = %+v, %v", gs, err)
	}
	// A third try still answers a conflict.
	_, _, err = st.RedeemAuthCode(ctx, code, t0.Add(5*time.Minute))
	wantCode(t, err, awapi.KindConflict, "code_reused")
}

func testAuthCodeExpired(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	g, code := authorizeCode(t, st, 1, c.ProjectID)
	_, _, err := st.RedeemAuthCode(ctx, code, t0.Add(awapi.AuthCodeTTL)) // expiry is exclusive
	wantKind(t, err, awapi.KindNotFound)
	_, _, err = st.RedeemAuthCode(ctx, digest(awapi.PrefixAuthCode), t0)
	wantKind(t, err, awapi.KindNotFound)
	// An expired code is not a replay: the grant stays (and the code stays unusable).
	gs, err := st.Grants(ctx, 1)
	must(t, err)
	if len(gs) != 1 || gs[0].GrantID != g.GrantID {
		t.Fatalf("Grants = %+v", gs)
	}
	_, _, err = st.RedeemAuthCode(ctx, code, t0.Add(awapi.AuthCodeTTL+time.Minute))
	wantKind(t, err, awapi.KindNotFound)
}

func testImplicitGrant(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	access := issued(awapi.PrefixAccessToken, t0.Add(time.Hour), scopesA)
	g, err := st.Authorize(ctx, awapi.Grant{UserID: 1, ProjectID: c.ProjectID, Scopes: scopesA, CreatedAt: t0}, nil, nil, &access)
	must(t, err)
	at, p, err := st.AccessToken(ctx, access.Digest, t0)
	must(t, err)
	if at.UserID != 1 || p.ProjectID != c.ProjectID || p.Name != "app" || !slices.Equal(at.Scopes, scopesA) || !at.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("AccessToken = %+v %+v", at, p)
	}
	gs, err := st.Grants(ctx, 1)
	must(t, err)
	if len(gs) != 1 || gs[0].GrantID != g.GrantID || gs[0].ProjectName != "app" {
		t.Fatalf("Grants = %+v", gs)
	}
	// Revoking the project's grants kills the implicit token.
	must(t, st.RevokeProject(ctx, 1, c.ProjectID, t0.Add(time.Minute)))
	if tokenLive(t, st, access.Digest, t0.Add(2*time.Minute)) {
		t.Fatal("implicit access token survived RevokeProject")
	}
}

func testRefreshRotation(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	g, access1, refresh1 := grantWithTokens(t, st, 1, c.ProjectID)
	now := t0.Add(30 * time.Minute)
	access2 := issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesA) // narrowing is allowed
	refresh2 := issued(awapi.PrefixRefreshToken, now.Add(awapi.RefreshTokenTTL), scopesA)
	rg, err := st.RotateRefreshToken(ctx, refresh1.Digest, now, access2, refresh2)
	must(t, err)
	if rg.GrantID != g.GrantID || rg.UserID != 1 || rg.ProjectID != c.ProjectID || !slices.Equal(rg.Scopes, scopesA) {
		t.Fatalf("RotateRefreshToken = %+v", rg)
	}
	at, _, err := st.AccessToken(ctx, access2.Digest, now)
	must(t, err)
	if !slices.Equal(at.Scopes, scopesA) || at.UserID != 1 {
		t.Fatalf("new access token = %+v", at)
	}
	if !tokenLive(t, st, access1.Digest, now) {
		t.Fatal("the old access token should live until it expires")
	}
	// A refresh can never widen: the rotated token only carries scopesA.
	_, err = st.RotateRefreshToken(ctx, refresh2.Digest, now.Add(time.Minute),
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesAB))
	wantCode(t, err, awapi.KindInvalid, "invalid_scope")
	// Asking for no scopes keeps the token's scopes.
	access3 := issued(awapi.PrefixAccessToken, now.Add(time.Hour), nil)
	refresh3 := issued(awapi.PrefixRefreshToken, now.Add(awapi.RefreshTokenTTL), nil)
	rg, err = st.RotateRefreshToken(ctx, refresh2.Digest, now.Add(2*time.Minute), access3, refresh3)
	must(t, err)
	if !slices.Equal(rg.Scopes, scopesA) {
		t.Fatalf("rotation without scopes = %+v", rg)
	}
	if at, _, err := st.AccessToken(ctx, access3.Digest, now); err != nil || !slices.Equal(at.Scopes, scopesA) {
		t.Fatalf("access token without scopes = %+v, %v", at, err)
	}

	// Presenting a rotated token again is theft: the whole grant dies, new tokens included.
	_, err = st.RotateRefreshToken(ctx, refresh1.Digest, now.Add(3*time.Minute),
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesA), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesA))
	wantCode(t, err, awapi.KindConflict, "refresh_token_reused")
	for i, d := range [][]byte{access1.Digest, access2.Digest, access3.Digest} {
		if tokenLive(t, st, d, now.Add(4*time.Minute)) {
			t.Fatalf("access token %d survived refresh token reuse", i+1)
		}
	}
	_, err = st.RotateRefreshToken(ctx, refresh3.Digest, now.Add(5*time.Minute),
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesA), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesA))
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.RotateRefreshToken(ctx, digest(awapi.PrefixRefreshToken), now,
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesA), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesA))
	wantKind(t, err, awapi.KindNotFound)
}

func testRefreshExpired(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	_, _, refresh := grantWithTokens(t, st, 1, c.ProjectID)
	rotate := func(at time.Time) (awapi.Grant, error) {
		return st.RotateRefreshToken(ctx, refresh.Digest, at,
			issued(awapi.PrefixAccessToken, at.Add(time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, at.Add(awapi.RefreshTokenTTL), scopesAB))
	}
	_, err := rotate(refresh.ExpiresAt) // expiry is exclusive
	wantCode(t, err, awapi.KindConflict, "refresh_token_has_expired")
	_, err = rotate(refresh.ExpiresAt.Add(time.Hour))
	wantCode(t, err, awapi.KindConflict, "refresh_token_has_expired")
	// An expired token is not a reuse: the grant stays.
	if gs, err := st.Grants(ctx, 1); err != nil || len(gs) != 1 {
		t.Fatalf("Grants = %+v, %v", gs, err)
	}
}

func testRevokeToken(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	other := newClient(t, st, "other")
	_, access, refresh := grantWithTokens(t, st, 1, c.ProjectID)
	now := t0.Add(time.Minute)

	// Another project's revocation changes nothing; unknown tokens are no error.
	must(t, st.RevokeToken(ctx, other.ProjectID, access.Digest, now))
	must(t, st.RevokeToken(ctx, other.ProjectID, refresh.Digest, now))
	must(t, st.RevokeToken(ctx, c.ProjectID, digest(awapi.PrefixAccessToken), now))
	if !tokenLive(t, st, access.Digest, now) {
		t.Fatal("another project revoked the access token")
	}
	if gs, err := st.Grants(ctx, 1); err != nil || len(gs) != 1 {
		t.Fatalf("another project revoked the grant: %+v, %v", gs, err)
	}

	// Revoking an access token leaves its grant and refresh token alone.
	must(t, st.RevokeToken(ctx, c.ProjectID, access.Digest, now))
	if tokenLive(t, st, access.Digest, now) {
		t.Fatal("revoked access token still works")
	}
	access2 := issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesAB)
	refresh2 := issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesAB)
	_, err := st.RotateRefreshToken(ctx, refresh.Digest, now, access2, refresh2)
	must(t, err)

	// Revoking a refresh token takes the whole grant with it.
	must(t, st.RevokeToken(ctx, c.ProjectID, refresh2.Digest, now.Add(time.Minute)))
	if tokenLive(t, st, access2.Digest, now.Add(time.Minute)) {
		t.Fatal("access token survived the revocation of its refresh token")
	}
	if gs, err := st.Grants(ctx, 1); err != nil || len(gs) != 0 {
		t.Fatalf("Grants after revoking the refresh token = %+v, %v", gs, err)
	}
	_, err = st.RotateRefreshToken(ctx, refresh2.Digest, now.Add(2*time.Minute),
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesAB))
	wantKind(t, err, awapi.KindNotFound)
	// Revoking twice is fine.
	must(t, st.RevokeToken(ctx, c.ProjectID, refresh2.Digest, now.Add(3*time.Minute)))
}

func testGrantsAndRevokeProject(t *testing.T, st awapi.Store) {
	a := oauthSetup(t, st)
	b := newClient(t, st, "bee")
	_, err := st.CreateMember(ctx, NewMember(2, "Bob"))
	must(t, err)
	grant := func(user, project int64, at time.Time) (awapi.Grant, awapi.IssuedToken) {
		access := issued(awapi.PrefixAccessToken, t0.Add(24*time.Hour), scopesA)
		g, err := st.Authorize(ctx, awapi.Grant{UserID: user, ProjectID: project, Scopes: scopesA, CreatedAt: at}, nil, nil, &access)
		must(t, err)
		return g, access
	}
	a1, a1Tok := grant(1, a.ProjectID, t0)
	b1, b1Tok := grant(1, b.ProjectID, t0.Add(time.Hour))
	a2, a2Tok := grant(1, a.ProjectID, t0.Add(2*time.Hour))
	_, bobTok := grant(2, a.ProjectID, t0.Add(3*time.Hour))
	// A code grant with a refresh token for project a, too.
	a3, _, a3Refresh := grantWithTokens(t, st, 1, a.ProjectID) // created at t0, after a1 by ID

	gs, err := st.Grants(ctx, 1)
	must(t, err)
	var ids []int64
	for _, g := range gs {
		ids = append(ids, g.GrantID)
		if g.UserID != 1 || !g.RevokedAt.IsZero() || (g.ProjectID == a.ProjectID) != (g.ProjectName == "app") {
			t.Fatalf("grant %+v", g)
		}
	}
	if want := []int64{a2.GrantID, b1.GrantID, a3.GrantID, a1.GrantID}; !slices.Equal(ids, want) {
		t.Fatalf("Grants = %v, want %v (newest first)", ids, want)
	}

	now := t0.Add(4 * time.Hour)
	must(t, st.RevokeProject(ctx, 1, a.ProjectID, now))
	gs, err = st.Grants(ctx, 1)
	must(t, err)
	if len(gs) != 1 || gs[0].GrantID != b1.GrantID || gs[0].ProjectName != "bee" {
		t.Fatalf("Grants after RevokeProject = %+v", gs)
	}
	for _, d := range [][]byte{a1Tok.Digest, a2Tok.Digest} {
		if tokenLive(t, st, d, now) {
			t.Fatal("token of a revoked project still works")
		}
	}
	if !tokenLive(t, st, b1Tok.Digest, now) || !tokenLive(t, st, bobTok.Digest, now) {
		t.Fatal("RevokeProject killed another project's or member's token")
	}
	_, err = st.RotateRefreshToken(ctx, a3Refresh.Digest, now,
		issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesAB))
	wantKind(t, err, awapi.KindNotFound)
	if gs, err := st.Grants(ctx, 2); err != nil || len(gs) != 1 {
		t.Fatalf("Bob's grants = %+v, %v", gs, err)
	}
	// Nothing left to revoke is fine.
	must(t, st.RevokeProject(ctx, 1, a.ProjectID, now))
	must(t, st.RevokeProject(ctx, 3, a.ProjectID, now))
}

func testLoginAttempts(t *testing.T, st awapi.Store) {
	const window = 15 * time.Minute
	alice, addr := awapi.LoginLimit{Key: "member:1", Limit: 3}, awapi.LoginLimit{Key: "address:192.0.2.1", Limit: 4}
	reserve := func(at time.Time, limits ...awapi.LoginLimit) (awapi.LoginAttempt, error) {
		return st.ReserveLoginAttempt(ctx, limits, at, at.Add(-window))
	}
	ok := func(at time.Time, limits ...awapi.LoginLimit) awapi.LoginAttempt {
		t.Helper()
		a, err := reserve(at, limits...)
		must(t, err)
		if len(a.IDs) != len(limits) {
			t.Fatalf("reserved %v for %d keys", a.IDs, len(limits))
		}
		return a
	}
	refused := func(at time.Time, limits ...awapi.LoginLimit) {
		t.Helper()
		a, err := reserve(at, limits...)
		wantCode(t, err, awapi.KindRateLimited, "too_many_attempts")
		if len(a.IDs) != 0 {
			t.Fatalf("a refused reservation returned %v", a.IDs)
		}
	}
	for i := range 3 {
		ok(t0.Add(time.Duration(i)*time.Minute), alice, addr)
	}
	refused(t0.Add(3*time.Minute), alice, addr)
	// The address has 3 of 4: a refusal on the account recorded nothing against the address, so one
	// more attempt on another account fits, and then the address is full too.
	bob := awapi.LoginLimit{Key: "member:2", Limit: 3}
	ok(t0.Add(3*time.Minute), addr, bob)
	refused(t0.Add(3*time.Minute), bob, addr)
	ok(t0.Add(3*time.Minute), bob) // the same account from elsewhere

	// Releasing an attempt (the password was right) frees its slots at once.
	released := ok(t0.Add(4*time.Minute), awapi.LoginLimit{Key: "member:3", Limit: 1}, awapi.LoginLimit{Key: "address:198.51.100.1", Limit: 1})
	refused(t0.Add(4*time.Minute), awapi.LoginLimit{Key: "member:3", Limit: 1})
	must(t, st.ReleaseLoginAttempt(ctx, released))
	ok(t0.Add(4*time.Minute), awapi.LoginLimit{Key: "member:3", Limit: 1}, awapi.LoginLimit{Key: "address:198.51.100.1", Limit: 1})
	must(t, st.ReleaseLoginAttempt(ctx, awapi.LoginAttempt{}))

	// Attempts age out of the window (since is inclusive): at t0+window the first one no longer counts.
	refused(t0.Add(window-time.Second), alice)
	ok(t0.Add(window+time.Second), alice)
	refused(t0.Add(window+time.Second), alice)

	// Concurrent attempts against one key: exactly Limit get through, however many race. Two rounds:
	// the first one also opens the pool's connections, so the second races for real.
	later := t0.Add(time.Hour)
	for _, key := range []string{"member:8", "member:9"} {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			wins  int
			start = make(chan struct{})
		)
		for i := range 30 {
			wg.Go(func() {
				<-start
				_, err := reserve(later, awapi.LoginLimit{Key: key, Limit: 5}, awapi.LoginLimit{Key: fmt.Sprintf("address:203.0.113.%d", i), Limit: 10})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					wins++
				case awapi.ErrorKind(err) != awapi.KindRateLimited:
					t.Errorf("ReserveLoginAttempt: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		if wins != 5 {
			t.Fatalf("%s: %d concurrent reservations got through, want exactly 5", key, wins)
		}
	}
}

// testRedeemRace redeems one code from many goroutines at once: exactly one wins.
func testRedeemRace(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	_, code := authorizeCode(t, st, 1, c.ProjectID)
	const n = 20
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		start = make(chan struct{})
	)
	for range n {
		wg.Go(func() {
			<-start
			_, _, err := st.RedeemAuthCode(ctx, code, t0.Add(time.Minute))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case awapi.ErrorCode(err) == "code_reused" || awapi.ErrorKind(err) == awapi.KindNotFound:
			default:
				t.Errorf("RedeemAuthCode: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent redemptions succeeded, want exactly 1", wins)
	}
	// The losers were replays, so the grant is gone.
	if gs, err := st.Grants(ctx, 1); err != nil || len(gs) != 0 {
		t.Fatalf("Grants after replays = %+v, %v", gs, err)
	}
}

// testRotateRace rotates one refresh token from many goroutines at once: exactly one wins.
func testRotateRace(t *testing.T, st awapi.Store) {
	c := oauthSetup(t, st)
	_, _, refresh := grantWithTokens(t, st, 1, c.ProjectID)
	const n = 20
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		start = make(chan struct{})
	)
	now := t0.Add(time.Minute)
	for range n {
		wg.Go(func() {
			<-start
			_, err := st.RotateRefreshToken(ctx, refresh.Digest, now,
				issued(awapi.PrefixAccessToken, now.Add(time.Hour), scopesAB), issued(awapi.PrefixRefreshToken, now.Add(time.Hour), scopesAB))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case awapi.ErrorCode(err) == "refresh_token_reused" || awapi.ErrorKind(err) == awapi.KindNotFound:
			default:
				t.Errorf("RotateRefreshToken: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent rotations succeeded, want exactly 1", wins)
	}
}

// testSpendTicket: a ticket is spent once, however many requests race for it, and is remembered
// until well after it expired.
func testSpendTicket(t *testing.T, st awapi.Store) {
	d1, d2 := digest("ticket"), digest("ticket")
	must(t, st.SpendTicket(ctx, d1, t0.Add(10*time.Minute), t0))
	wantCode(t, st.SpendTicket(ctx, d1, t0.Add(10*time.Minute), t0.Add(time.Minute)), awapi.KindConflict, "ticket_spent")
	must(t, st.SpendTicket(ctx, d2, t0.Add(10*time.Minute), t0))

	// Still remembered a while after it expired (an instance's clock may run behind) ...
	wantCode(t, st.SpendTicket(ctx, d1, t0.Add(10*time.Minute), t0.Add(40*time.Minute)), awapi.KindConflict, "ticket_spent")
	// ... and forgotten later: by then every instance refuses the ticket as expired.
	must(t, st.SpendTicket(ctx, digest("ticket"), t0.Add(3*time.Hour), t0.Add(2*time.Hour)))
	must(t, st.SpendTicket(ctx, d1, t0.Add(10*time.Minute), t0.Add(2*time.Hour)))

	d3 := digest("ticket")
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		wins  int
		start = make(chan struct{})
	)
	for range 20 {
		wg.Go(func() {
			<-start
			err := st.SpendTicket(ctx, d3, t0.Add(time.Hour), t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case awapi.ErrorCode(err) != "ticket_spent":
				t.Errorf("SpendTicket: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent spends of one ticket succeeded, want exactly 1", wins)
	}
}
