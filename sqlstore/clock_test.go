package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestClockStampsRecords: the methods whose caller passes no moment stamp their rows with the store's
// clock, never the wall clock, so a store on a fake clock records the fake time.
func TestClockStampsRecords(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(testing.TB) string
	}{
		{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "awapi.db") }},
		{"postgres", testdb.PostgresDSN},
	}
	fake := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC) // far from any wall-clock run
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := sqlstore.Open(ctx, e.dsn(t), sqlstore.Options{Location: testdb.London, Clock: awapi.NewFakeClock(fake)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if _, err := st.CreateMember(ctx, storetest.NewMember(1, "Alice")); err != nil {
				t.Fatal(err)
			}
			secret := func(prefix string) []byte { return awapi.HashSecret(awapi.NewSecret(prefix)) }
			project, err := st.CreateProject(ctx, awapi.NewProject{Name: "p", APIKeyDigest: secret(awapi.PrefixAPIKey),
				APIKeyPrefix: "awk_p", APISecretDigest: secret(awapi.PrefixAPISecret)})
			if err != nil {
				t.Fatal(err)
			}
			client, err := st.CreateClient(ctx, awapi.NewClient{
				NewProject: awapi.NewProject{Name: "c", APIKeyDigest: secret(awapi.PrefixAPIKey), APIKeyPrefix: "awk_c",
					APISecretDigest: secret(awapi.PrefixAPISecret)},
				ClientID: awapi.NewSecret(awapi.PrefixClientID), RedirectURIs: []string{"https://c.example/cb"},
				Scopes: awapi.ScopeSet{awapi.ScopeUserID},
			})
			if err != nil {
				t.Fatal(err)
			}
			g, err := st.Authorize(ctx, awapi.Grant{UserID: 1, ProjectID: client.ProjectID, Scopes: awapi.ScopeSet{awapi.ScopeUserID}, CreatedAt: fake},
				secret(awapi.PrefixAuthCode), &awapi.AuthCode{RedirectURI: "https://c.example/cb", ExpiresAt: fake.Add(time.Minute)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			refresh := awapi.IssuedToken{Digest: secret(awapi.PrefixRefreshToken), ExpiresAt: fake.Add(awapi.RefreshTokenTTL)}
			if err := st.IssueTokens(ctx, g.GrantID, awapi.IssuedToken{Digest: secret(awapi.PrefixAccessToken), ExpiresAt: fake.Add(time.Hour)}, refresh); err != nil {
				t.Fatal(err)
			}
			stamps := []struct {
				what  string
				query string
				arg   any
			}{
				{"CreateProject", `SELECT created_at FROM projects WHERE project_id = $1`, project.ProjectID},
				{"CreateClient", `SELECT created_at FROM projects WHERE project_id = $1`, client.ProjectID},
				{"IssueTokens", `SELECT created_at FROM refresh_tokens WHERE token_digest = $1`, refresh.Digest},
			}
			for _, s := range stamps {
				var got int64
				if err := st.SQL().QueryRowContext(ctx, s.query, s.arg).Scan(&got); err != nil {
					t.Fatalf("%s: %v", s.what, err)
				}
				if !time.UnixMicro(got).Equal(fake) {
					t.Errorf("%s stamped %s, want the store clock's %s", s.what, time.UnixMicro(got).UTC(), fake)
				}
			}
		})
	}
}
