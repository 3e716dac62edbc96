// Package storetest is the storage conformance suite: every implementation of awapi.Store must pass
// it, on every engine, so the engines cannot drift apart.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Run runs the whole suite; open must return a fresh, empty, migrated store.
func Run(t *testing.T, open func(testing.TB) awapi.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, awapi.Store)
	}{
		{"Meta", testMeta},
		{"Projects", testProjects},
		{"AccessTokens", testAccessTokens},
		{"ProjectOrigins", testProjectOrigins},
		{"Members", testMembers},
		{"CreateMemberRace", testCreateMemberRace},
		{"BulkInsertAcrossStatements", testBulkInsert},
		{"TopListViews", testTopListViews},
		{"TopListRatings", testTopListRatings},
		{"Profiles", testProfiles},
		{"ProfileCounters", testProfileCounters},
		{"SearchProfiles", testSearchProfiles},
		{"OAuthClients", testOAuthClients},
		{"MemberByLogin", testMemberByLogin},
		{"AuthCodeRedeem", testAuthCodeRedeem},
		{"AuthCodeExpired", testAuthCodeExpired},
		{"ImplicitGrant", testImplicitGrant},
		{"RefreshRotation", testRefreshRotation},
		{"RefreshExpired", testRefreshExpired},
		{"RevokeToken", testRevokeToken},
		{"GrantsAndRevokeProject", testGrantsAndRevokeProject},
		{"LoginAttempts", testLoginAttempts},
		{"SpendTicket", testSpendTicket},
		{"RedeemRace", testRedeemRace},
		{"RotateRace", testRotateRace},
		{"Credits", testCredits},
		{"WebcamPerformers", testWebcamPerformers},
		{"WebcamCreateAndRead", testWebcamCreateAndRead},
		{"WebcamAccept", testWebcamAccept},
		{"WebcamReject", testWebcamReject},
		{"WebcamCancelReceived", testWebcamCancelReceived},
		{"WebcamConfirm", testWebcamConfirm},
		{"WebcamCancelMade", testWebcamCancelMade},
		{"WebcamReschedule", testWebcamReschedule},
		{"WebcamDelete", testWebcamDelete},
		{"WebcamLists", testWebcamLists},
		{"WebcamSettle", testWebcamSettle},
		{"WebcamSettleMember", testWebcamSettleMember},
		{"WebcamAcceptRaceSame", testWebcamAcceptRaceSame},
		{"WebcamAcceptRaceMany", testWebcamAcceptRaceMany},
		{"WebcamAcceptCancelRace", testWebcamAcceptCancelRace},
		{"WebcamConfirmRace", testWebcamConfirmRace},
		{"WebcamConfirmTopUpRace", testWebcamConfirmTopUpRace},
		{"WebcamSettleRace", testWebcamSettleRace},
		{"HotLists", testHotLists}, {"HotListLimits", testHotListLimits}, {"HotListInteractions", testHotListInteractions},
		{"HotListAddRace", testHotListAddRace}, {"HotListCreateRace", testHotListCreateRace}, {"Blacklist", testBlacklist},
		{"UpdateServices", testUpdateServices}, {"UpdateAccount", testUpdateAccount}, {"RegisterMember", testRegisterMember},
		{"RatingFeedback", testRatingFeedback}, {"FieldReports", testFieldReports}, {"SearchFieldReports", testSearchFieldReports},
		{"GroupProfiles", testGroupProfiles}, {"GroupMembers", testGroupMembers}, {"SearchTours", testSearchTours},
		{"DirectCamSettings", testDirectCamSettings}, {"ScheduledShows", testScheduledShows},
		{"ChangeAndDeleteShows", testChangeAndDeleteShows}, {"ShowOverlapRace", testShowOverlapRace},
		{"InsertScheduledShows", testInsertScheduledShows}, {"DirectCamSessions", testDirectCamSessions},
		{"PhoneChatSettings", testPhoneChatSettings}, {"InsertPhoneChatSettings", testInsertPhoneChatSettings},
		{"PhoneChatLifecycle", testPhoneChatLifecycle}, {"PhoneChatReInviteAndReschedule", testPhoneChatReInviteAndReschedule},
		{"PhoneChatAcceptRace", testPhoneChatAcceptRace}, {"PhoneChatConfirmCancelRace", testPhoneChatConfirmCancelRace},
		{"PhoneChatRunSettleRace", testPhoneChatRunSettleRace}, {"PhoneChatRunCancelRace", testPhoneChatRunCancelRace},
		{"DirectChatSettings", testDirectChatSettings}, {"DirectChatPINs", testDirectChatPINs},
		{"DirectChatCalls", testDirectChatCalls}, {"DirectChatCallRace", testDirectChatCallRace},
		{"EmailSendAndRead", testEmailSendAndRead}, {"EmailList", testEmailList}, {"EmailManage", testEmailManage},
		{"EmailFolders", testEmailFolders}, {"EmailRace", testEmailRace}, {"InsertEmails", testInsertEmails},
		{"EmailFolderRace", testEmailFolderRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
)

// NewMember returns a valid member for tests.
func NewMember(id int64, nickname string) awapi.Member {
	return awapi.Member{
		UserID: id, Nickname: nickname, Email: fmt.Sprintf("%s@example.test", nickname),
		BirthDate: time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), UserTypeID: awapi.UserTypeOffering,
		GenderID: 1, OrientationID: 1, CountryID: 158, IsActive: true,
		RegisteredAt: t0.AddDate(-1, 0, 0), LastLogin: t0.Add(-time.Hour), LastUpdated: t0.AddDate(0, -1, 0),
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantKind(t *testing.T, err error, kind awapi.Kind) {
	t.Helper()
	if got := awapi.ErrorKind(err); err == nil || got != kind {
		t.Fatalf("error = %v (kind %d), want kind %d", err, got, kind)
	}
}

func testMeta(t *testing.T, st awapi.Store) {
	if _, ok, err := st.Meta(ctx, "sandbox"); err != nil || ok {
		t.Fatalf("fresh store has meta sandbox: ok=%v err=%v", ok, err)
	}
	must(t, st.SetMeta(ctx, "sandbox", "true"))
	must(t, st.SetMeta(ctx, "sandbox", "false")) // upsert
	v, ok, err := st.Meta(ctx, "sandbox")
	if err != nil || !ok || v != "false" {
		t.Fatalf("Meta = %q, %v, %v; want false", v, ok, err)
	}
}

func testProjects(t *testing.T, st awapi.Store) {
	key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixAPISecret)
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "Demo", APIKeyDigest: awapi.HashSecret(key),
		APIKeyPrefix: key[:8], APISecretDigest: awapi.HashSecret(secret)})
	must(t, err)
	got, digest, err := st.ProjectByAPIKey(ctx, awapi.HashSecret(key))
	must(t, err)
	if got.ProjectID != p.ProjectID || got.Name != "Demo" || !awapi.SecretMatches(secret, digest) {
		t.Fatalf("ProjectByAPIKey = %+v, secret match %v", got, awapi.SecretMatches(secret, digest))
	}
	_, _, err = st.ProjectByAPIKey(ctx, awapi.HashSecret(key+"x"))
	wantKind(t, err, awapi.KindNotFound)
	// A second project with the same key digest must be refused.
	_, err = st.CreateProject(ctx, awapi.NewProject{Name: "Dup", APIKeyDigest: awapi.HashSecret(key),
		APIKeyPrefix: key[:8], APISecretDigest: awapi.HashSecret(secret)})
	if err == nil {
		t.Fatal("duplicate API key accepted")
	}
}

func testAccessTokens(t *testing.T, st awapi.Store) {
	_, err := st.CreateMember(ctx, NewMember(1, "Alice"))
	must(t, err)
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "P", APIKeyDigest: awapi.HashSecret("k"), APIKeyPrefix: "k", APISecretDigest: awapi.HashSecret("s")})
	must(t, err)
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	must(t, st.CreateAccessToken(ctx, awapi.HashSecret(tok), awapi.AccessToken{
		UserID: 1, ProjectID: p.ProjectID, Scopes: awapi.ScopeSet{awapi.ScopeUserID, awapi.ScopeAccountWebcamBookings}, ExpiresAt: t0.Add(time.Hour),
	}))
	at, proj, err := st.AccessToken(ctx, awapi.HashSecret(tok), t0)
	must(t, err)
	if at.UserID != 1 || proj.ProjectID != p.ProjectID || proj.Name != "P" || !at.Scopes.Has(awapi.ScopeAccountWebcamBookings) || !at.ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("AccessToken = %+v %+v", at, proj)
	}
	_, _, err = st.AccessToken(ctx, awapi.HashSecret(tok), t0.Add(time.Hour)) // expiry is exclusive
	wantKind(t, err, awapi.KindNotFound)
	_, _, err = st.AccessToken(ctx, awapi.HashSecret("awt_unknown"), t0)
	wantKind(t, err, awapi.KindNotFound)
}

// testCreateMemberRace creates members concurrently without IDs: each gets its own, numbered 1..n.
func testCreateMemberRace(t *testing.T, st awapi.Store) {
	const n = 12
	ids := make([]int64, n)
	errs := webcamRace(n, func(i int) error {
		m, err := st.CreateMember(ctx, NewMember(0, "Racer"+strconv.Itoa(i)))
		ids[i] = m.UserID
		return err
	})
	for _, err := range errs {
		must(t, err)
	}
	slices.Sort(ids)
	for i, id := range ids {
		if id != int64(i+1) {
			t.Fatalf("concurrent CreateMember IDs = %v, want 1..%d", ids, n)
		}
	}
	// A taken nickname is still answered as such.
	_, err := st.CreateMember(ctx, NewMember(0, "RACER0"))
	wantCode(t, err, awapi.KindConflict, "nickname_taken")
}

func testMembers(t *testing.T, st awapi.Store) {
	g, err := st.CreateGroup(ctx, awapi.Group{GroupID: 7, GroupName: "Agency"})
	must(t, err)
	m := NewMember(10, "Bella")
	m.GroupID, m.IsGroupManager, m.Summary, m.IsWebcam, m.DirectChatOnly = g.GroupID, true, "Hello", true, true
	_, err = st.CreateMember(ctx, m)
	must(t, err)
	got, err := st.Member(ctx, 10)
	must(t, err)
	if got.Nickname != "Bella" || got.GroupID != 7 || !got.IsGroupManager || !got.IsWebcam || !got.DirectChatOnly ||
		got.Summary != "Hello" || !got.BirthDate.Equal(m.BirthDate) || !got.LastLogin.Equal(m.LastLogin) {
		t.Fatalf("Member = %+v", got)
	}
	_, err = st.Member(ctx, 11)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.CreateMember(ctx, NewMember(0, "BELLA"))
	wantKind(t, err, awapi.KindConflict)
	auto, err := st.CreateMember(ctx, NewMember(0, "Cara"))
	must(t, err)
	if auto.UserID != 11 {
		t.Fatalf("auto UserID = %d, want 11 (after the highest)", auto.UserID)
	}
	if got, err := st.Group(ctx, 7); err != nil || got.GroupName != "Agency" {
		t.Fatalf("Group(7) = %+v, %v", got, err)
	}
	_, err = st.Group(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)
	g2, err := st.CreateGroup(ctx, awapi.Group{GroupName: "Second"})
	must(t, err)
	if g2.GroupID <= 7 {
		t.Fatalf("auto GroupID = %d, want > 7", g2.GroupID)
	}
}

func testBulkInsert(t *testing.T, st awapi.Store) {
	const n = 2500 // more rows than one statement may carry
	ms := make([]awapi.Member, n)
	for i := range ms {
		ms[i] = NewMember(int64(i+1), fmt.Sprintf("m%05d", i+1))
	}
	must(t, st.InsertMembers(ctx, ms))
	got, err := st.Member(ctx, n)
	must(t, err)
	if got.Nickname != fmt.Sprintf("m%05d", n) {
		t.Fatalf("last member = %+v", got)
	}
}

func testTopListViews(t *testing.T, st awapi.Store) {
	loc, _ := time.LoadLocation("Europe/London")
	ms := []awapi.Member{NewMember(1, "A"), NewMember(2, "B"), NewMember(3, "C")}
	ms[2].IsActive = false // inactive members never rank
	must(t, st.InsertMembers(ctx, ms))
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, loc) }
	must(t, st.InsertDailyViews(ctx, []awapi.DailyViews{
		{UserID: 1, Kind: awapi.ViewsProfile, Day: day(26), Views: 5},
		{UserID: 1, Kind: awapi.ViewsProfile, Day: day(20), Views: 50},
		{UserID: 2, Kind: awapi.ViewsProfile, Day: day(26), Views: 9},
		{UserID: 2, Kind: awapi.ViewsWebcam, Day: day(26), Views: 900},
		{UserID: 3, Kind: awapi.ViewsProfile, Day: day(26), Views: 1000},
	}))
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, loc)
	tests := []struct {
		dateRange string
		want      []int64
		scores    []int
	}{
		{"Today", []int64{2, 1}, []int{9, 5}},
		{"AllTime", []int64{1, 2}, []int{55, 9}},
		{"LastWeek", []int64{1}, []int{50}}, // 2026-11-16..22
		{"Yesterday", nil, nil},
	}
	for _, tc := range tests {
		got, err := st.TopList(ctx, awapi.TopListQuery{Type: "ProfileViews", Period: awapi.DateRangePeriod(tc.dateRange, now, loc), Limit: 10})
		must(t, err)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: got %+v, want users %v", tc.dateRange, got, tc.want)
		}
		for i := range got {
			if got[i].UserID != tc.want[i] || got[i].Score != tc.scores[i] {
				t.Fatalf("%s: got %+v, want users %v scores %v", tc.dateRange, got, tc.want, tc.scores)
			}
		}
	}
	got, err := st.TopList(ctx, awapi.TopListQuery{Type: "ProfileViews", Limit: 1})
	must(t, err)
	if len(got) != 1 || got[0].UserID != 1 {
		t.Fatalf("Limit 1: %+v", got)
	}
}

func testTopListRatings(t *testing.T, st awapi.Store) {
	must(t, st.InsertMembers(ctx, []awapi.Member{NewMember(1, "A"), NewMember(2, "B"), NewMember(3, "Client")}))
	r := func(user int64, score int, at time.Time) awapi.Rating {
		return awapi.Rating{UserID: user, RaterID: 3, Service: awapi.ServiceWebcam, Score: score, RatedAt: at}
	}
	must(t, st.InsertRatings(ctx, []awapi.Rating{
		r(1, 1, t0), r(1, 1, t0), r(1, -1, t0), r(1, 0, t0),
		r(2, 1, t0), r(2, 1, t0),
		{UserID: 2, RaterID: 3, Service: awapi.ServiceEscort, Score: 1, RatedAt: t0},
	}))
	got, err := st.TopList(ctx, awapi.TopListQuery{Type: "WebcamRatings", Limit: 10})
	must(t, err)
	// B leads with a score of +2; A has +1 (two positive, one neutral, one negative).
	if len(got) != 2 || got[0].UserID != 2 || got[0].Positive != 2 || got[1].UserID != 1 ||
		got[1].Positive != 2 || got[1].Negative != 1 || got[1].Neutral != 1 {
		t.Fatalf("WebcamRatings = %+v", got)
	}
	got, err = st.TopList(ctx, awapi.TopListQuery{Type: "EscortRatings", Limit: 10})
	must(t, err)
	if len(got) != 1 || got[0].UserID != 2 {
		t.Fatalf("EscortRatings = %+v", got)
	}
}
