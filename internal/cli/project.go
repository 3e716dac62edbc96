package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// clientCreds are a new project's credentials, shown once.
type clientCreds struct {
	ProjectID    int64    `json:"project_id"`
	Name         string   `json:"name"`
	APIKey       string   `json:"api_key"`
	APISecret    string   `json:"api_secret"`
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret,omitempty"`
	RedirectURIs []string `json:"redirect_uris"`
	Origins      []string `json:"origins,omitempty"`
	Scopes       string   `json:"scopes"`
	Public       bool     `json:"public"`
}

func allScopes() awapi.ScopeSet {
	set := make(awapi.ScopeSet, len(awapi.Scopes))
	for i, s := range awapi.Scopes {
		set[i] = s.Scope
	}
	return set
}

// createClient registers a project with an API key, API secret, OAuth client ID and (unless public)
// client secret; only their digests are stored.
// origins are the web origins whose pages may call the API with the project's credentials (CORS).
func createClient(ctx context.Context, st awapi.Store, name string, redirects []string, scopes awapi.ScopeSet, public bool, origins []string) (clientCreds, error) {
	c := clientCreds{Name: name, APIKey: awapi.NewSecret(awapi.PrefixAPIKey), APISecret: awapi.NewSecret(awapi.PrefixAPISecret),
		ClientID: awapi.NewSecret(awapi.PrefixClientID), RedirectURIs: redirects, Origins: origins, Scopes: scopes.String(), Public: public}
	nc := awapi.NewClient{
		NewProject: awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(c.APIKey),
			APIKeyPrefix: c.APIKey[:len(awapi.PrefixAPIKey)+6], APISecretDigest: awapi.HashSecret(c.APISecret), Approved: true,
			Origins: origins},
		ClientID: c.ClientID, RedirectURIs: redirects, Scopes: scopes, Public: public,
	}
	if !public {
		c.ClientSecret = awapi.NewSecret(awapi.PrefixClientSecret)
		nc.ClientSecretDigest = awapi.HashSecret(c.ClientSecret)
	}
	cl, err := st.CreateClient(ctx, nc)
	c.ProjectID = cl.ProjectID
	return c, err
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func projectCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{errors.New("usage: awapi project create --name NAME --redirect-uri URI [--redirect-uri URI] --scopes a,b [--public] [--origin ORIGIN…]")}
	}
	var c common
	fs := newFlags("project create", env, &c)
	name := fs.String("name", "", "project name (required)")
	var redirects stringList
	fs.Var(&redirects, "redirect-uri", "a redirect URI, matched exactly (repeatable; required)")
	scopes := fs.String("scopes", "", "comma-separated scopes the project may request (required)")
	public := fs.Bool("public", false, "a browser (public) client: no client secret, PKCE required")
	var rawOrigins stringList
	fs.Var(&rawOrigins, "origin", "a web origin (https://app.example) whose pages may call the API with this project's key or tokens (repeatable)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usageError{errors.New("--name is required")}
	}
	if len(redirects) == 0 {
		return usageError{errors.New("--redirect-uri is required")}
	}
	for _, u := range redirects {
		if !awapi.ValidRedirectURI(u) {
			return usageError{fmt.Errorf("--redirect-uri %q must be an absolute https URI without a fragment (http only for localhost)", u)}
		}
	}
	var origins []string
	for _, raw := range rawOrigins {
		o, err := awapi.ParseOrigin(raw)
		if err == nil && !awapi.SecureOrigin(o) {
			err = errors.New("must be https (http only for localhost)")
		}
		if err != nil {
			return usageError{fmt.Errorf("--origin %q %w", raw, err)}
		}
		if !slices.Contains(origins, o) {
			origins = append(origins, o)
		}
	}
	set := awapi.ParseScopes(*scopes)
	if len(set) == 0 {
		return usageError{errors.New("--scopes is required")}
	}
	for _, s := range set {
		if !awapi.KnownScope(s) {
			return usageError{fmt.Errorf("unknown scope %q", s)}
		}
	}
	st, _, err := c.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	creds, err := createClient(ctx, st, *name, redirects, set, *public, origins)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("project %d %q\napi key:       %s\napi secret:    %s\nclient id:     %s\n", creds.ProjectID, creds.Name,
		creds.APIKey, creds.APISecret, creds.ClientID)
	if !*public {
		text += "client secret: " + creds.ClientSecret + "\n"
	}
	c.output(env, creds, text+"(shown once: only their hashes are stored)\n")
	return nil
}

func userCmd(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{errors.New("usage: awapi user create --nickname N --email E --password P --birth-date YYYY-MM-DD [--offering] [--group-id ID] [--group-manager]")}
	}
	var c common
	fs := newFlags("user create", env, &c)
	nickname := fs.String("nickname", "", "unique nickname, at most 20 characters (required)")
	email := fs.String("email", "", "email address (required)")
	password := fs.String("password", "", "login password, 8 to 64 characters (required)")
	birth := fs.String("birth-date", "", "date of birth, YYYY-MM-DD; members are adults (required)")
	offering := fs.Bool("offering", false, "the member offers services (a performer); otherwise seeks them")
	groupID := fs.Int64("group-id", 0, "the group the member belongs to")
	manager := fs.Bool("group-manager", false, "the member manages their group")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var v awapi.Validation
	now := env.Clock.Now()
	born, err := parse.Date(*birth, parse.LayoutISODate)
	switch {
	case err != nil:
		v.Addf("--birth-date", "--birth-date %s", err)
	case born.AddDate(18, 0, 0).After(now):
		v.Addf("--birth-date", "members must be at least 18 years old")
	}
	if n := len([]rune(strings.TrimSpace(*nickname))); n == 0 || n > 20 {
		v.Addf("--nickname", "--nickname is required, at most 20 characters")
	}
	if at := strings.Index(*email, "@"); at < 1 || at == len(*email)-1 || len(*email) > 100 {
		v.Addf("--email", "--email must be an email address of at most 100 characters")
	}
	if n := len(*password); n < 8 || n > 64 {
		v.Addf("--password", "--password must be 8 to 64 characters")
	}
	if *manager && *groupID == 0 {
		v.Addf("--group-manager", "--group-manager needs --group-id")
	}
	if err := v.Err(); err != nil {
		return usageError{err}
	}
	st, _, err := c.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	if *groupID != 0 {
		if _, err := st.Group(ctx, *groupID); err != nil {
			return fmt.Errorf("--group-id %d: %w", *groupID, err)
		}
	}
	userType := awapi.UserTypeSeeking
	if *offering {
		userType = awapi.UserTypeOffering
	}
	m, err := st.CreateMember(ctx, awapi.Member{
		Nickname: strings.TrimSpace(*nickname), Email: *email, PasswordHash: awapi.HashPassword(*password), BirthDate: born,
		UserTypeID: userType, GenderID: 1, OrientationID: 1, CountryID: 158, GroupID: *groupID, IsGroupManager: *manager,
		IsActive: true, RegisteredAt: now, LastLogin: now, LastUpdated: now,
	})
	if err != nil {
		return err
	}
	c.output(env, map[string]any{"user_id": m.UserID, "nickname": m.Nickname, "user_type_id": m.UserTypeID},
		fmt.Sprintf("member %d %q created\n", m.UserID, m.Nickname))
	return nil
}
