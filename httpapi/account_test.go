package httpapi

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/awapi/awapi"
)

func TestVerifyCredentials(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			name   string
			user   int64
			scopes []awapi.Scope
			want   string // the exact JSON
		}{
			{"no scopes", 2, nil, `{"UserID":2,"UserTypeID":1,"UserType":"Offering Services"}`},
			{"account_information", 2, []awapi.Scope{awapi.ScopeAccountInformation},
				`{"UserID":2,"GroupID":1,"GroupName":"One","IsGroupManager":true,"UserTypeID":1,"UserType":"Offering Services"}`},
			{"not in a group", 1, []awapi.Scope{awapi.ScopeAccountInformation},
				`{"UserID":1,"GroupID":0,"IsGroupManager":false,"UserTypeID":1,"UserType":"Offering Services"}`},
			{"email, age, nickname", 3, []awapi.Scope{awapi.ScopeEmail, awapi.ScopeAgeVerification, awapi.ScopeNickname},
				`{"UserID":3,"Nickname":"MemberOne","EmailAddress":"MemberOne@example.test","IsAgeVerified":false,"UserTypeID":1,"UserType":"Offering Services"}`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tok := f.mint(tc.user, tc.scopes...)
				w := f.do("GET", "/v1/account/verifyCredentials", "", "Authorization", "bearer "+tok)
				wantStatus(t, w, 200)
				if got := w.Body.String(); got != tc.want {
					t.Fatalf("got  %s\nwant %s", got, tc.want)
				}
				w = f.do("GET", "/v1/Account/VerifyCredentials", "", "Authorization", "bearer "+tok, "Accept", "application/xml")
				if !strings.Contains(w.Body.String(), `<VerifyCredentialsOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account">`) {
					t.Fatalf("XML: %s", w.Body)
				}
			})
		}
		wantStatus(t, f.do("GET", "/v1/Account/VerifyCredentials", "", f.withKey()...), 401)
	})
}

func TestGetPermissions(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tok := f.mint(1, awapi.ScopeNickname, awapi.ScopeUserID, awapi.ScopeProfileAbout)
	w := f.do("GET", "/v1/Account/GetPermissions", "", "Authorization", "bearer "+tok)
	wantStatus(t, w, 200)
	var out PermissionsOutput
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	want := []Permissions{{"userid", "granted"}, {"nickname", "granted"}, {"profile_about", "granted"}}
	if len(out.Permissions) != len(want) {
		t.Fatalf("permissions %+v", out.Permissions)
	}
	for i := range want {
		if out.Permissions[i] != want[i] {
			t.Fatalf("permissions %+v, want %+v", out.Permissions, want)
		}
	}
}
