package httpapi

import (
	"context"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Account (api-v1.md §2.1): who is behind a token, and what it may do.

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

func (s *api) accountEndpoints() []*web.Endpoint {
	return []*web.Endpoint{
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Account/VerifyCredentials", Auth: web.AuthBearer,
			Summary: "Identify the member behind a token; the group, email and age-verification members need their scopes."},
			s.verifyCredentials),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Account/GetPermissions", Auth: web.AuthBearer,
			Summary: "The scopes the member granted the project."}, getPermissions),
	}
}

func (s *api) verifyCredentials(ctx context.Context, c *web.Call, _ *noParams) (VerifyCredentialsOutput, error) {
	m, err := s.store.Member(ctx, c.Caller.UserID)
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
			g, err := s.store.Group(ctx, m.GroupID)
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
