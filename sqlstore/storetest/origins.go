package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// testProjectOrigins checks that a project's registered CORS origins come back with the project on
// every path a request authenticates by (API key, access token, client ID), and that ProjectOrigins
// lists every project's origins once.
func testProjectOrigins(t *testing.T, st awapi.Store) {
	if got, err := st.ProjectOrigins(ctx); err != nil || len(got) != 0 {
		t.Fatalf("ProjectOrigins of an empty store = %v, %v", got, err)
	}
	_, err := st.CreateMember(ctx, NewMember(1, "Alice"))
	must(t, err)
	a, err := st.CreateProject(ctx, awapi.NewProject{Name: "A", APIKeyDigest: awapi.HashSecret("ka"), APIKeyPrefix: "ka",
		APISecretDigest: awapi.HashSecret("sa"), Origins: []string{"https://a.example", "https://shared.example"}})
	must(t, err)
	b, err := st.CreateClient(ctx, awapi.NewClient{NewProject: awapi.NewProject{Name: "B", APIKeyDigest: awapi.HashSecret("kb"),
		APIKeyPrefix: "kb", APISecretDigest: awapi.HashSecret("sb"), Origins: []string{"https://shared.example", "http://localhost:3000"}},
		ClientID: "awc_b", RedirectURIs: []string{"https://b.example/cb"}, Scopes: awapi.ScopeSet{awapi.ScopeUserID}})
	must(t, err)
	_, err = st.CreateProject(ctx, awapi.NewProject{Name: "None", APIKeyDigest: awapi.HashSecret("kn"), APIKeyPrefix: "kn",
		APISecretDigest: awapi.HashSecret("sn")})
	must(t, err)
	if !slices.Equal(a.Origins, []string{"https://a.example", "https://shared.example"}) || len(b.Origins) != 2 {
		t.Fatalf("created projects' origins = %v, %v", a.Origins, b.Origins)
	}

	p, _, err := st.ProjectByAPIKey(ctx, awapi.HashSecret("ka"))
	must(t, err)
	if !slices.Equal(p.Origins, a.Origins) {
		t.Errorf("ProjectByAPIKey origins = %v, want %v", p.Origins, a.Origins)
	}
	if p, _, err := st.ProjectByAPIKey(ctx, awapi.HashSecret("kn")); err != nil || len(p.Origins) != 0 {
		t.Errorf("a project without origins answers %v, %v", p.Origins, err)
	}
	c, err := st.ClientByID(ctx, "awc_b")
	must(t, err)
	if !slices.Equal(c.Origins, []string{"https://shared.example", "http://localhost:3000"}) {
		t.Errorf("ClientByID origins = %v", c.Origins)
	}
	tok := awapi.HashSecret("awt_origins")
	must(t, st.CreateAccessToken(ctx, tok, awapi.AccessToken{UserID: 1, ProjectID: b.ProjectID, Scopes: awapi.ScopeSet{awapi.ScopeUserID},
		ExpiresAt: t0.Add(time.Hour)}))
	_, tp, err := st.AccessToken(ctx, tok, t0)
	must(t, err)
	if !slices.Equal(tp.Origins, c.Origins) {
		t.Errorf("AccessToken project origins = %v, want %v", tp.Origins, c.Origins)
	}

	got, err := st.ProjectOrigins(ctx)
	must(t, err)
	if want := []string{"http://localhost:3000", "https://a.example", "https://shared.example"}; !slices.Equal(got, want) {
		t.Errorf("ProjectOrigins = %v, want %v", got, want)
	}
}
