package httpapi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
	"github.com/awapi/awapi/web"
)

// Account (api-v1.md §2.1): who is behind a token, and what it may do; the services a member offers,
// the profile basics, and the group manager's registration of new members. The rules live in awapi
// (auth.go, memberdata.go); the store applies them under the member's lock.

// accountArea serves Account (api-v1.md §2.1): who is behind a token and what it may do, the
// services a member offers and the profile basics, and a group manager's registration of members.
type accountArea struct {
	members  awapi.MemberReader
	accounts awapi.AccountStore
}

func (s *accountArea) endpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Account/VerifyCredentials", Auth: web.AuthBearer,
			Summary: "Identify the member behind a token; the group, email and age-verification members need their scopes."},
			s.verifyCredentials),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Account/GetPermissions", Auth: web.AuthBearer,
			Summary: "The scopes the member granted the project."}, getPermissions),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Account/GetServices", Auth: web.AuthBearer, Scope: awapi.ScopeProfileServices, GM: web.WithGM,
			Summary: "The services you offer."}, s.getServices),
		web.Handle(web.Endpoint{Method: "PUT", Path: "/v1/Account/UpdateServices", Auth: web.AuthBearer, Scope: awapi.ScopeProfileServices, GM: web.WithGM,
			Summary: "Set the services you offer; IsOfferingServices=false makes the account a seeking one."}, s.updateServices),
		// The scope of Update was not captured; profile_about ("About You") is the closest documented one.
		web.Handle(web.Endpoint{Method: "PUT", Path: "/v1/Account/Update", Auth: web.AuthBearer, Scope: awapi.ScopeProfileAbout, GM: web.WithGM,
			Summary: "Change the supplied profile basics; fields left out keep their values."}, s.updateAccount),
		// The scope of Register was not captured; account_information is the one that reveals the group.
		web.Handle(web.Endpoint{Method: "POST", Path: "/v1/Groups/Account/Register", Auth: web.AuthBearer, Scope: awapi.ScopeAccountInformation, GM: web.GMOnly,
			Summary: "A group manager creates a new member in their own group."}, s.registerGroupMember),
	}
}

// VerifyCredentialsOutput identifies the member behind a token. Members gated by a scope are left out
// when the token lacks it.
type VerifyCredentialsOutput struct {
	UserID         int64
	Nickname       *string `wire:"omitempty"` // nickname
	EmailAddress   *string `wire:"omitempty"` // account_email
	IsAgeVerified  *bool   `wire:"omitempty"` // account_age_verification
	GroupID        *int64  `wire:"omitempty"` // account_information
	GroupName      *string `wire:"omitempty"`
	IsGroupManager *bool   `wire:"omitempty"`
	UserTypeID     int
	UserType       string
}

// PermissionsOutput lists the scopes the member granted the project.
type PermissionsOutput struct {
	Permissions []Permissions
}

// Permissions is one scope and its status.
type Permissions struct {
	Permission string
	Status     string
}

type (
	// AccountServices answers getServices and UpdateServices.
	AccountServices struct {
		UserID             int64
		IsOfferingServices bool
		IsEscort           bool
		IsWebcam           bool
		IsPhoneChat        bool
		IsSMSChat          bool
		IsContent          bool
		IsAlternative      bool
		Alternatives       []int // the alternative-service IDs
		IsOtherServices    bool
		OtherServices      string // comma-separated IDs, as sent
	}
	// AccountOutput answers Account/Update with the account as it now is.
	AccountOutput struct {
		UserID         int64
		Nickname       string
		Summary        string
		Details        string
		CountryID      int
		RegionID       int
		CountyID       int
		Town           string
		PostCode       string
		GenderID       int
		OrientationID  int
		TVTS           bool
		EnjoysList     string // comma-separated EnjoyIDs
		EnjoysWithList string // comma-separated GenderIDs
		InCalls        bool
		OutCalls       bool
		LastUpdated    time.Time
	}
	// RegisterOutput answers Groups/Account/Register.
	RegisterOutput struct {
		UserID   int64
		Nickname string
	}
)

type (
	updateServicesReq struct {
		IsOfferingServices bool  `api:"required" doc:"false turns the account into a seeking (client) account with no services."`
		IsEscort           *bool `doc:"Required when IsOfferingServices is true."`
		IsWebcam           *bool `doc:"Required when IsOfferingServices is true."`
		IsPhoneChat        *bool `doc:"Required when IsOfferingServices is true."`
		IsSMSChat          *bool `doc:"Required when IsOfferingServices is true."`
		IsContent          *bool `doc:"Required when IsOfferingServices is true."`
		IsAlternative      *bool `doc:"Required when IsOfferingServices is true."`
		Alternatives       []int `api:"min=1" doc:"Required when IsAlternative is true: the alternative-service IDs, comma-separated or a JSON array (the UpdateAlternatives structure was not captured)."`
		IsOtherServices    *bool `doc:"Required when IsOfferingServices is true; true only when every other service flag is false."`
		OtherServices      []int `api:"min=1" doc:"Required when IsOtherServices is true: comma-separated IDs of the other services."`
	}
	updateAccountReq struct {
		Summary        *string `api:"maxlen=255" doc:"About-You summary."`
		Details        *string `api:"maxlen=5000" doc:"About-You details, at least 50 characters (at most 5000)."`
		RegionID       *int    `api:"min=1" doc:"A region of your country (Lists/GetRegions); a county outside it is cleared."`
		CountyID       *int    `api:"min=1" doc:"A county of your region, or of RegionID when both are sent (Lists/GetCounties)."`
		Town           *string `api:"maxlen=50"`
		PostCode       *string `api:"maxlen=8" doc:"The outward part only, e.g. M60 for \"M60 1FD\"."`
		GenderID       *int    `api:"min=1" doc:"Lists/GetGenders."`
		TVTS           *bool
		OrientationID  *int  `api:"min=1" doc:"Lists/GetOrientations."`
		EnjoysList     []int `api:"min=1" doc:"Comma-separated EnjoyIDs (Lists/GetEnjoys); replaces the list."`
		EnjoysWithList []int `api:"min=1" doc:"Comma-separated GenderIDs; replaces the list."`
		InCalls        *bool
		OutCalls       *bool
	}
	registerReq struct {
		GroupID         int64     `api:"required,min=1" doc:"Your own group."`
		Nickname        string    `api:"required,maxlen=20" doc:"Unique, ignoring case; letters, digits, '-' and '_'."`
		Password        string    `api:"required,maxlen=20" doc:"8 to 20 characters."`
		ConfirmPassword string    `api:"required,maxlen=20" doc:"Must equal Password."`
		EmailAddress    string    `api:"required,maxlen=100" doc:"Unique among members, except that your own address may be reused when GroupCanLogin is false."`
		GroupCanLogin   bool      `api:"default=false" doc:"Whether you, the manager, may sign in as the member."`
		BirthDate       time.Time `api:"required,format=date" doc:"yyyy-MM-dd; the member must be 18 or older."`
	}
)

// Validate checks the rules between the service fields.
func (r *updateServicesReq) Validate(_ *web.Call, v *awapi.Validation) {
	if !r.IsOfferingServices {
		return // everything else is cleared
	}
	for _, f := range []struct {
		name string
		val  *bool
	}{{"IsEscort", r.IsEscort}, {"IsWebcam", r.IsWebcam}, {"IsPhoneChat", r.IsPhoneChat}, {"IsSMSChat", r.IsSMSChat},
		{"IsContent", r.IsContent}, {"IsAlternative", r.IsAlternative}, {"IsOtherServices", r.IsOtherServices}} {
		if f.val == nil {
			v.Addf(f.name, "%s is required when IsOfferingServices is true.", f.name)
		}
	}
	if !v.OK() {
		return
	}
	u := r.update()
	if u.IsOtherServices && u.AnyServiceBesidesOther() {
		v.Addf("IsOtherServices", "IsOtherServices may be true only when every other service flag is false.")
	}
	if u.IsOtherServices && len(r.OtherServices) == 0 {
		v.Addf("OtherServices", "OtherServices is required when IsOtherServices is true.")
	}
	if u.IsAlternative && len(r.Alternatives) == 0 {
		v.Addf("Alternatives", "Alternatives is required when IsAlternative is true.")
	}
}

func (r *updateServicesReq) update() awapi.ServicesUpdate {
	val := func(b *bool) bool { return b != nil && *b }
	return awapi.ServicesUpdate{Offering: r.IsOfferingServices,
		Services: awapi.Services{IsEscort: val(r.IsEscort), IsWebcam: val(r.IsWebcam), IsPhoneChat: val(r.IsPhoneChat),
			IsSMSChat: val(r.IsSMSChat), IsContent: val(r.IsContent), IsAlternative: val(r.IsAlternative),
			IsOtherServices: val(r.IsOtherServices)},
		Alternatives: r.Alternatives, OtherServices: r.OtherServices}
}

// minPasswordLen is the project's minimum: the documentation gives only the maximum (20).
const minPasswordLen = 8

// Validate checks the registration rules that need more than one field or the clock.
func (r *registerReq) Validate(c *web.Call, v *awapi.Validation) {
	if utf8.RuneCountInString(r.Password) < minPasswordLen {
		v.Addf("Password", "Password must be at least %d characters long.", minPasswordLen)
	}
	if r.ConfirmPassword != r.Password {
		v.Addf("ConfirmPassword", "ConfirmPassword must equal Password.")
	}
	if !awapi.LooksLikeEmail(r.EmailAddress) {
		v.Addf("EmailAddress", "EmailAddress must be an email address.")
	}
	if strings.Trim(r.Nickname, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
		v.Addf("Nickname", "Nickname may hold only letters, digits, '-' and '_'.")
	}
	if !awapi.IsAdult(r.BirthDate, c.Now, c.Loc) {
		v.Addf("BirthDate", "The member must be at least %d years old.", awapi.AdultAge)
	}
}

func (s *accountArea) verifyCredentials(ctx context.Context, c *web.Call, _ *noParams) (VerifyCredentialsOutput, error) {
	m, err := s.members.Member(ctx, c.Caller.UserID)
	if err != nil {
		return VerifyCredentialsOutput{}, err
	}
	out := VerifyCredentialsOutput{UserID: m.UserID, UserTypeID: m.UserTypeID, UserType: awapi.UserTypeName(m.UserTypeID)}
	scopes := c.Caller.Scopes
	if scopes.Has(awapi.ScopeNickname) {
		out.Nickname = &m.Nickname
	}
	if scopes.Has(awapi.ScopeEmail) {
		out.EmailAddress = &m.Email
	}
	if scopes.Has(awapi.ScopeAgeVerification) {
		out.IsAgeVerified = &m.IsAgeVerified
	}
	if scopes.Has(awapi.ScopeAccountInformation) {
		out.GroupID, out.IsGroupManager = &m.GroupID, &m.IsGroupManager
		if m.GroupID != 0 {
			g, err := s.members.Group(ctx, m.GroupID)
			if err != nil {
				return out, err
			}
			out.GroupName = &g.GroupName
		}
	}
	return out, nil
}

func getPermissions(_ context.Context, c *web.Call, _ *noParams) (PermissionsOutput, error) {
	out := PermissionsOutput{Permissions: []Permissions{}}
	for _, info := range awapi.Scopes {
		if c.Caller.Scopes.Has(info.Scope) {
			out.Permissions = append(out.Permissions, Permissions{Permission: string(info.Scope), Status: "granted"})
		}
	}
	return out, nil
}

func servicesOutput(m awapi.Member, st awapi.AccountSettings) AccountServices {
	return AccountServices{UserID: m.UserID, IsOfferingServices: m.UserTypeID == awapi.UserTypeOffering,
		IsEscort: m.IsEscort, IsWebcam: m.IsWebcam, IsPhoneChat: m.IsPhoneChat, IsSMSChat: m.IsSMSChat, IsContent: m.IsContent,
		IsAlternative: m.IsAlternative, Alternatives: st.Alternatives, IsOtherServices: m.IsOtherServices,
		OtherServices: parse.FormatIntList(st.OtherServices)}
}

func (s *accountArea) getServices(ctx context.Context, c *web.Call, _ *noParams) (AccountServices, error) {
	m, err := s.members.Member(ctx, c.Caller.ActingUserID)
	if err != nil {
		return AccountServices{}, err
	}
	st, err := s.accounts.AccountSettings(ctx, m.UserID)
	return servicesOutput(m, st), err
}

func (s *accountArea) updateServices(ctx context.Context, c *web.Call, req *updateServicesReq) (AccountServices, error) {
	m, st, err := s.accounts.UpdateServices(ctx, c.Caller.ActingUserID, req.update(), c.Now)
	return servicesOutput(m, st), err
}

func (s *accountArea) updateAccount(ctx context.Context, c *web.Call, req *updateAccountReq) (AccountOutput, error) {
	m, st, err := s.accounts.UpdateAccount(ctx, c.Caller.ActingUserID, awapi.AccountUpdate{
		Summary: req.Summary, Details: req.Details, Town: req.Town, PostCode: req.PostCode, RegionID: req.RegionID,
		CountyID: req.CountyID, GenderID: req.GenderID, OrientationID: req.OrientationID, TVTS: req.TVTS,
		InCalls: req.InCalls, OutCalls: req.OutCalls, Enjoys: req.EnjoysList, EnjoysWith: req.EnjoysWithList,
	}, c.Now)
	if err != nil {
		return AccountOutput{}, err
	}
	return AccountOutput{UserID: m.UserID, Nickname: m.Nickname, Summary: m.Summary, Details: st.Details, CountryID: m.CountryID,
		RegionID: m.RegionID, CountyID: m.CountyID, Town: m.Town, PostCode: m.PostCode, GenderID: m.GenderID,
		OrientationID: m.OrientationID, TVTS: st.TVTS, EnjoysList: parse.FormatIntList(st.Enjoys), EnjoysWithList: parse.FormatIntList(st.EnjoysWith),
		InCalls: st.InCalls, OutCalls: st.OutCalls, LastUpdated: m.LastUpdated}, nil
}

// registerGroupMember creates a seeking member in the manager's group. GroupID must be the caller's
// own group: any other is "not found", so a manager cannot probe other groups.
func (s *accountArea) registerGroupMember(ctx context.Context, c *web.Call, req *registerReq) (RegisterOutput, error) {
	manager, err := s.members.Member(ctx, c.Caller.UserID)
	if err != nil {
		return RegisterOutput{}, err
	}
	if req.GroupID != manager.GroupID {
		return RegisterOutput{}, awapi.NotFound("The group")
	}
	var sharedEmailOwner int64
	if !req.GroupCanLogin {
		sharedEmailOwner = manager.UserID // the documented exception: the manager's address may be reused
	}
	now := c.Now.UTC()
	m, err := s.accounts.RegisterMember(ctx, awapi.Member{
		Nickname: req.Nickname, Email: strings.TrimSpace(req.EmailAddress), PasswordHash: awapi.HashPassword(req.Password),
		BirthDate: req.BirthDate, UserTypeID: awapi.UserTypeSeeking, CountryID: manager.CountryID, GroupID: manager.GroupID,
		IsActive: true, RegisteredAt: now, LastUpdated: now,
	}, awapi.AccountSettings{GroupCanLogin: req.GroupCanLogin}, sharedEmailOwner)
	return RegisterOutput{UserID: m.UserID, Nickname: m.Nickname}, err
}
