package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
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
				tok := f.Mint(tc.user, tc.scopes...)
				w := f.Do("GET", "/v1/account/verifyCredentials", "", "Authorization", "bearer "+tok)
				apitest.WantStatus(t, w, 200)
				if got := w.Body.String(); got != tc.want {
					t.Fatalf("got  %s\nwant %s", got, tc.want)
				}
				w = f.Do("GET", "/v1/Account/VerifyCredentials", "", "Authorization", "bearer "+tok, "Accept", "application/xml")
				if !strings.Contains(w.Body.String(), `<VerifyCredentialsOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account">`) {
					t.Fatalf("XML: %s", w.Body)
				}
			})
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Account/VerifyCredentials", "", f.WithKey()...), 401)
	})
}

func TestGetPermissions(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tok := f.Mint(1, awapi.ScopeNickname, awapi.ScopeUserID, awapi.ScopeProfileAbout)
	w := f.Do("GET", "/v1/Account/GetPermissions", "", "Authorization", "bearer "+tok)
	apitest.WantStatus(t, w, 200)
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

func TestAccountServices(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.Mint(3, awapi.ScopeProfileServices)
		offering := obj{"IsOfferingServices": true, "IsEscort": false, "IsWebcam": true, "IsPhoneChat": false, "IsSMSChat": false,
			"IsContent": true, "IsAlternative": true, "Alternatives": "2,5", "IsOtherServices": false}
		var got AccountServices
		if s := f.callWith(tok, "PUT", "/v1/Account/UpdateServices", offering, &got); s != 200 || !got.IsOfferingServices || !got.IsWebcam ||
			!got.IsContent || got.IsEscort || len(got.Alternatives) != 2 || got.UserID != 3 {
			t.Fatalf("update: %d %+v %+v", s, got, f.lastError)
		}
		if f.callWith(tok, "GET", "/v1/account/getServices", nil, &got); !got.IsWebcam || got.Alternatives[1] != 5 || got.OtherServices != "" {
			t.Fatalf("get: %+v", got)
		}
		xmlGet(t, f, tok, "GET", "/v1/Account/GetServices", "", "<AccountServices ",
			`<Alternatives xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:int>2</a:int><a:int>5</a:int></Alternatives>`,
			"<IsOfferingServices>true</IsOfferingServices>")
		with := func(changes obj) obj {
			out := obj{}
			for k, v := range offering {
				out[k] = v
			}
			for k, v := range changes {
				if v == nil {
					delete(out, k)
				} else {
					out[k] = v
				}
			}
			return out
		}
		for _, bad := range []struct {
			body  obj
			field string
		}{
			{obj{}, "IsOfferingServices"},
			{with(obj{"IsWebcam": nil}), "IsWebcam"},
			{with(obj{"IsOtherServices": nil}), "IsOtherServices"},
			{with(obj{"IsOtherServices": true, "OtherServices": "1"}), "IsOtherServices"}, // other flags are on
			{with(obj{"IsWebcam": false, "IsContent": false, "IsAlternative": false, "IsOtherServices": true}), "OtherServices"},
			{with(obj{"Alternatives": nil}), "Alternatives"},
			{with(obj{"Alternatives": "0"}), "Alternatives"},
			{with(obj{"IsEscort": "maybe"}), "IsEscort"},
		} {
			wantField(t, f, 400, f.callWith(tok, "PUT", "/v1/Account/UpdateServices", bad.body, nil), bad.field, "")
		}
		// Other services alone; then seeking, which clears every service.
		if s := f.callWith(tok, "PUT", "/v1/Account/UpdateServices", with(obj{"IsWebcam": false, "IsContent": false, "IsAlternative": false,
			"IsOtherServices": true, "OtherServices": "4,7"}), &got); s != 200 || got.OtherServices != "4,7" || len(got.Alternatives) != 0 {
			t.Fatalf("other services: %d %+v", s, got)
		}
		if s := f.callWith(tok, "PUT", "/v1/Account/UpdateServices", obj{"IsOfferingServices": false, "IsEscort": true}, &got); s != 200 ||
			got.IsOfferingServices || got.IsEscort || got.IsOtherServices || got.OtherServices != "" {
			t.Fatalf("seeking: %d %+v", s, got)
		}
		if m, _ := f.St.Member(context.Background(), 3); m.UserTypeID != awapi.UserTypeSeeking {
			t.Fatalf("user type %d", m.UserTypeID)
		}
		// Group manager: for members of their own group only.
		mgr := f.Mint(2, awapi.ScopeProfileServices)
		if s := f.callWith(mgr, "PUT", "/v1/Groups/Account/UpdateServices?UserID=3", offering, &got); s != 200 || got.UserID != 3 || !got.IsWebcam {
			t.Fatalf("GM update: %d %+v", s, got)
		}
		if s := f.callWith(mgr, "GET", "/v1/Groups/Account/GetServices?UserID=3", nil, &got); s != 200 || !got.IsWebcam {
			t.Fatalf("GM get: %d %+v", s, got)
		}
		wantField(t, f, 404, f.callWith(mgr, "GET", "/v1/Groups/Account/GetServices?UserID=4", nil, nil), "", "not_found")
		wantField(t, f, 403, f.callWith(tok, "GET", "/v1/Groups/Account/GetServices?UserID=3", nil, nil), "", "not_group_manager")
		wantField(t, f, 403, f.callWith(f.Mint(3, awapi.ScopeProfileAbout), "GET", "/v1/Account/GetServices", nil, nil), "", "insufficient_scope")
	})
}

// accountView reads Account/Update's answer with its date as the wire spells it.
type accountView struct {
	AccountOutput
	LastUpdated string
}

func TestAccountUpdate(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.Mint(1, awapi.ScopeProfileAbout)
		details := strings.Repeat("Details! ", 7)
		var a accountView
		full := obj{"Summary": "Hello", "Details": details, "RegionID": 2, "CountyID": 4, "Town": "Chester", "PostCode": "ch1",
			"GenderID": 3, "TVTS": true, "OrientationID": 2, "EnjoysList": "1,3", "EnjoysWithList": "1,2", "InCalls": true, "OutCalls": false}
		if s := f.callWith(tok, "PUT", "/v1/Account/Update", full, &a); s != 200 {
			t.Fatalf("update: %d %+v", s, f.lastError)
		}
		want := AccountOutput{UserID: 1, Nickname: "Client", Summary: "Hello", Details: details, CountryID: 158, RegionID: 2, CountyID: 4,
			Town: "Chester", PostCode: "CH1", GenderID: 3, OrientationID: 2, TVTS: true, EnjoysList: "1,3", EnjoysWithList: "1,2", InCalls: true}
		if a.AccountOutput != want || a.LastUpdated != "2026-11-26T12:00:00" {
			t.Fatalf("update = %+v, want %+v", a, want)
		}
		// Partial: each field alone changes only itself.
		f.Clock.Advance(time.Hour)
		for _, c := range []struct {
			body   obj
			change func(*AccountOutput)
		}{
			{obj{"Town": "Crewe"}, func(a *AccountOutput) { a.Town = "Crewe" }},
			{obj{"summary": "Bye"}, func(a *AccountOutput) { a.Summary = "Bye" }},
			{obj{"OutCalls": true}, func(a *AccountOutput) { a.OutCalls = true }},
			{obj{"EnjoysList": "2"}, func(a *AccountOutput) { a.EnjoysList = "2" }},
			{obj{"CountyID": 5}, func(a *AccountOutput) { a.CountyID = 5 }}, // Cumbria, also North West
			{obj{"RegionID": 1}, func(a *AccountOutput) { a.RegionID, a.CountyID = 1, 0 }},
			{obj{}, func(*AccountOutput) {}},
		} {
			c.change(&want)
			if s := f.callWith(tok, "PUT", "/v1/Account/Update", c.body, &a); s != 200 || a.AccountOutput != want || a.LastUpdated != "2026-11-26T13:00:00" {
				t.Fatalf("%v: %d %+v, want %+v (%+v)", c.body, s, a.AccountOutput, want, f.lastError)
			}
		}
		for _, bad := range []struct {
			body  obj
			field string
		}{
			{obj{"Summary": strings.Repeat("s", 256)}, "Summary"},
			{obj{"Details": "too short"}, "Details"},
			{obj{"RegionID": 9999}, "RegionID"},
			{obj{"CountyID": 4}, "CountyID"}, // Cheshire is not in North East
			{obj{"RegionID": 2, "CountyID": 1}, "CountyID"},
			{obj{"Town": strings.Repeat("t", 51)}, "Town"},
			{obj{"PostCode": "CH1 2AB"}, "PostCode"},
			{obj{"PostCode": "12"}, "PostCode"},
			{obj{"GenderID": 99}, "GenderID"},
			{obj{"OrientationID": 99}, "OrientationID"},
			{obj{"EnjoysList": "1,999"}, "EnjoysList"},
			{obj{"EnjoysWithList": "42"}, "EnjoysWithList"},
			{obj{"TVTS": "perhaps"}, "TVTS"},
		} {
			wantField(t, f, 400, f.callWith(tok, "PUT", "/v1/Account/Update", bad.body, nil), bad.field, "")
		}
		if m, _ := f.St.Member(context.Background(), 1); m.Summary != "Bye" {
			t.Fatalf("a refused update changed the member: %+v", m)
		}
		xmlGet(t, f, tok, "PUT", "/v1/Account/Update", `{"Town":"Kendal"}`, `<AccountOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account">`,
			"<EnjoysList>2</EnjoysList>", "<Town>Kendal</Town>")
		// Group manager variant.
		mgr := f.Mint(2, awapi.ScopeProfileAbout)
		if s := f.callWith(mgr, "PUT", "/v1/Groups/Account/Update?UserID=3", obj{"Town": "Leeds"}, &a); s != 200 || a.UserID != 3 || a.Town != "Leeds" {
			t.Fatalf("GM: %d %+v", s, a)
		}
		wantField(t, f, 404, f.callWith(mgr, "PUT", "/v1/Groups/Account/Update?UserID=1", obj{"Town": "Leeds"}, nil), "", "not_found")
		wantField(t, f, 403, f.callWith(f.Mint(1, awapi.ScopeProfileServices), "PUT", "/v1/Account/Update", obj{"Town": "X"}, nil), "", "insufficient_scope")
	})
}

func TestGroupRegister(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		mgr := f.Mint(2, awapi.ScopeAccountInformation)
		adult := f.Clock.Now().AddDate(-18, 0, 0).Format("2006-01-02")
		body := func(changes obj) obj {
			out := obj{"GroupID": 1, "Nickname": "New_Girl", "Password": "secret-pw", "ConfirmPassword": "secret-pw",
				"EmailAddress": "new@example.test", "BirthDate": adult}
			for k, v := range changes {
				out[k] = v
			}
			return out
		}
		var r RegisterOutput
		if s := f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(nil), &r); s != 200 || r.UserID != 5 || r.Nickname != "New_Girl" {
			t.Fatalf("register: %d %+v %+v", s, r, f.lastError)
		}
		m, err := f.St.MemberByLogin(context.Background(), "new_girl")
		if err != nil || m.GroupID != 1 || m.UserTypeID != awapi.UserTypeSeeking || !awapi.VerifyPassword("secret-pw", m.PasswordHash) {
			t.Fatalf("stored member: %+v %v", m, err)
		}
		for _, bad := range []struct {
			changes obj
			field   string
		}{
			{obj{"Nickname": "abcdefghijklmnopqrstu"}, "Nickname"},
			{obj{"Nickname": "no spaces"}, "Nickname"},
			{obj{"Password": "short", "ConfirmPassword": "short"}, "Password"},
			{obj{"Password": strings.Repeat("p", 21)}, "Password"},
			{obj{"ConfirmPassword": "different"}, "ConfirmPassword"},
			{obj{"EmailAddress": "not-an-address"}, "EmailAddress"},
			{obj{"EmailAddress": strings.Repeat("e", 95) + "@x.com"}, "EmailAddress"},
			{obj{"BirthDate": f.Clock.Now().AddDate(-18, 0, 1).Format("2006-01-02")}, "BirthDate"},
			{obj{"BirthDate": "26-11-1990"}, "BirthDate"},
			{obj{"GroupID": nil}, "GroupID"},
		} {
			wantField(t, f, 400, f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(bad.changes), nil), bad.field, "")
		}
		wantField(t, f, 409, f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "CLIENT", "EmailAddress": "a@b.test"}), nil), "", "nickname_taken")
		wantField(t, f, 409, f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Another", "EmailAddress": "NEW@example.test"}), nil), "", "email_taken")
		// The manager's own address: refused when the group can log in, allowed when it cannot.
		wantField(t, f, 409, f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Another", "EmailAddress": "Manager@example.test", "GroupCanLogin": true}), nil), "", "email_taken")
		if s := f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Another", "EmailAddress": "Manager@example.test"}), &r); s != 200 || r.UserID != 6 {
			t.Fatalf("shared manager address: %d %+v", s, f.lastError)
		}
		// Another group is not found; a member who manages no group is forbidden; the scope is needed.
		wantField(t, f, 404, f.callWith(mgr, "POST", "/v1/Groups/Account/Register", body(obj{"GroupID": 2, "Nickname": "Third"}), nil), "", "not_found")
		wantField(t, f, 403, f.callWith(f.Mint(3, awapi.ScopeAccountInformation), "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Third"}), nil), "", "not_group_manager")
		wantField(t, f, 403, f.callWith(f.Mint(2, awapi.ScopeProfileAbout), "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Third"}), nil), "", "insufficient_scope")
		raw, _ := json.Marshal(body(obj{"Nickname": "XmlOne", "EmailAddress": "xml@example.test"}))
		xmlGet(t, f, mgr, "POST", "/v1/Groups/Account/Register", string(raw),
			`<RegisterOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account"><Nickname>XmlOne</Nickname><UserID>7</UserID></RegisterOutput>`)
	})
}
