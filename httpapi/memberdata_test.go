package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Tests of the member-owned data endpoints: hotlists, blacklist, dashboard and account settings.

// hotListView reads GetHotList with its dates as the wire spells them.
type hotListView struct {
	HotListDetails HotListDetails
	HotListMembers []struct {
		HotListMember
		LastUpdated, LastInteractionDate string
		Profile                          json.RawMessage
	}
}

// wantField checks that the last call failed with status and named field (or the code when field is "").
func wantField(t *testing.T, f *fixture, status, got int, field, code string) {
	t.Helper()
	if got != status {
		t.Fatalf("status %d, want %d (%+v)", got, status, f.lastError)
	}
	if field != "" && len(f.lastError.ModelState[field]) == 0 {
		t.Fatalf("error does not name %s: %+v", field, f.lastError)
	}
	if code != "" && f.lastError.Code != code {
		t.Fatalf("code %q, want %q (%+v)", f.lastError.Code, code, f.lastError)
	}
}

// xmlGet fetches target as XML with tok and checks the answer holds every want.
func xmlGet(t *testing.T, f *fixture, tok, method, target, body string, want ...string) {
	t.Helper()
	w := f.do(method, target, body, "Authorization", "bearer "+tok, "Accept", "application/xml")
	if w.Code != 200 {
		t.Fatalf("XML %s: %d %s", target, w.Code, w.Body)
	}
	for _, s := range want {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("XML %s lacks %s:\n%s", target, s, w.Body)
		}
	}
}

func TestHotListEndpoints(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		owner, stranger := f.mint(1, awapi.ScopeProfileHotlist), f.mint(3, awapi.ScopeProfileHotlist)
		var d HotListDetails
		if s := f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": "  Favourites "}, &d); s != 200 ||
			d.ListName != "Favourites" || d.UserID != 1 || d.UserName != "Client" || d.ListID == 0 {
			t.Fatalf("create: %d %+v %+v", s, d, f.lastError)
		}
		list := "ListID=" + itoa(int(d.ListID))
		wantField(t, f, 409, f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"listname": "FAVOURITES"}, nil), "", "hotlist_name_taken")
		wantField(t, f, 400, f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": strings.Repeat("x", 51)}, nil), "ListName", "")
		wantField(t, f, 400, f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": "  "}, nil), "ListName", "")

		var added []MemberAddOutput
		if s := f.callWith(owner, "POST", "/v1/HotLists/AddMembers", obj{"ListID": d.ListID, "UserIDs": "3,4"}, &added); s != 200 ||
			len(added) != 2 || !added[0].Added || !added[1].Added {
			t.Fatalf("add: %d %+v", s, added)
		}
		if f.callWith(owner, "POST", "/v1/HotLists/AddMembers", obj{"ListID": d.ListID, "UserIDs": "4"}, &added); added[0].Added || added[0].Message == "" {
			t.Fatalf("add again: %+v", added)
		}
		for _, bad := range []struct {
			body  obj
			field string
		}{
			{obj{"ListID": d.ListID, "UserIDs": "1"}, "UserIDs"},
			{obj{"ListID": d.ListID, "UserIDs": "2,99"}, "UserIDs"},
			{obj{"ListID": d.ListID}, "UserIDs"},
			{obj{"UserIDs": "2"}, "ListID"},
			{obj{"ListID": 0, "UserIDs": "2"}, "ListID"},
		} {
			wantField(t, f, 400, f.callWith(owner, "POST", "/v1/HotLists/AddMembers", bad.body, nil), bad.field, "")
		}
		var e hotListView
		if s := f.callWith(owner, "POST", "/v1/HotLists/UpdateNotes", obj{"ListID": d.ListID, "UserID": 3, "Notes": "Lovely"}, nil); s != 200 {
			t.Fatalf("notes: %d %+v", s, f.lastError)
		}
		wantField(t, f, 400, f.callWith(owner, "POST", "/v1/HotLists/UpdateNotes", obj{"ListID": d.ListID, "UserID": 3, "Notes": strings.Repeat("n", 1001)}, nil), "Notes", "")
		wantField(t, f, 404, f.callWith(owner, "POST", "/v1/HotLists/UpdateNotes", obj{"ListID": d.ListID, "UserID": 2, "Notes": "x"}, nil), "", "not_found")

		// The sample's spelling ListId binds too; LastInteractionDate is DateTime.MinValue without bookings.
		if s := f.callWith(owner, "GET", "/v1/hotlists/gethotlist?ListId="+itoa(int(d.ListID)), nil, &e); s != 200 {
			t.Fatalf("get: %d %+v", s, f.lastError)
		}
		if e.HotListDetails != d || len(e.HotListMembers) != 2 || e.HotListMembers[0].UserID != 3 || e.HotListMembers[0].UserName != "MemberOne" ||
			e.HotListMembers[0].Notes != "Lovely" || e.HotListMembers[0].LastInteractionDate != "0001-01-01T00:00:00" ||
			e.HotListMembers[1].LastUpdated != "2026-11-26T12:00:00" || string(e.HotListMembers[0].Profile) != "null" {
			t.Fatalf("get = %+v", e)
		}
		xmlGet(t, f, owner, "GET", "/v1/HotLists/GetHotList?"+list, "",
			`<HotList xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.HotLists">`,
			"<HotListDetails><ListID>"+itoa(int(d.ListID))+"</ListID><ListName>Favourites</ListName><UserID>1</UserID><UserName>Client</UserName></HotListDetails>",
			"<HotListMembers><HotListMember><InteractionCount>0</InteractionCount><LastInteractionDate>0001-01-01T00:00:00</LastInteractionDate>",
			`<Notes>Lovely</Notes><Profile i:nil="true"/><UserID>3</UserID>`)

		// ReturnMemberProfiles fills each Profile with the member's summary, marking whom the owner blacklisted.
		if _, err := f.st.AddToBlacklist(context.Background(), 1, []int64{4}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var withProfiles struct {
			HotListMembers []struct {
				Profile *struct {
					UserID        int64
					NickName      string
					IsBlacklisted bool
				}
			}
		}
		if s := f.callWith(owner, "GET", "/v1/HotLists/GetHotList?ReturnMemberProfiles=true&"+list, nil, &withProfiles); s != 200 {
			t.Fatalf("profiles: %d %+v", s, f.lastError)
		}
		if m := withProfiles.HotListMembers; len(m) != 2 || m[0].Profile == nil || m[1].Profile == nil ||
			*m[0].Profile != struct {
				UserID        int64
				NickName      string
				IsBlacklisted bool
			}{3, "MemberOne", false} ||
			*m[1].Profile != struct {
				UserID        int64
				NickName      string
				IsBlacklisted bool
			}{4, "MemberTwo", true} {
			t.Fatalf("profiles: %+v", m)
		}

		// Another member's list is not found, for every operation.
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/HotLists/GetHotList?" + list}, {"POST", "/v1/HotLists/RenameHotList?ListName=Mine&" + list},
			{"POST", "/v1/HotLists/DeleteHotList?" + list}, {"POST", "/v1/HotLists/AddMembers?UserIDs=4&" + list},
			{"POST", "/v1/HotLists/RemoveMembers?UserIDs=4&" + list}, {"POST", "/v1/HotLists/UpdateNotes?UserID=4&" + list},
		} {
			wantField(t, f, 404, f.callWith(stranger, c.method, c.path, nil, nil), "", "not_found")
		}

		var rs HotListDetails
		if s := f.callWith(owner, "POST", "/v1/HotLists/RenameHotList", obj{"ListID": d.ListID, "ListName": "Best"}, &rs); s != 200 || rs.ListName != "Best" {
			t.Fatalf("rename: %d %+v", s, rs)
		}
		f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": "Another"}, nil)
		wantField(t, f, 409, f.callWith(owner, "POST", "/v1/HotLists/RenameHotList", obj{"ListID": d.ListID, "ListName": "another"}, nil), "", "hotlist_name_taken")
		var lists struct {
			HotLists []struct {
				HotListSummary
				LastUpdated string
			}
		}
		if f.callWith(owner, "GET", "/v1/HotLists/GetHotLists", nil, &lists); len(lists.HotLists) != 2 || lists.HotLists[0].ListName != "Another" ||
			lists.HotLists[1].MemberCount != 2 {
			t.Fatalf("lists: %+v", lists)
		}
		xmlGet(t, f, owner, "GET", "/v1/HotLists/GetHotLists", "", "<HotListsOutput ", "<HotLists><HotListSummary><LastUpdated>")

		var removed []MemberRemoveOutput
		if s := f.callWith(owner, "POST", "/v1/HotLists/RemoveMembers", obj{"ListID": d.ListID, "UserIDs": "3,2"}, &removed); s != 200 ||
			!removed[0].Removed || removed[1].Removed || removed[1].Message == "" {
			t.Fatalf("remove: %d %+v", s, removed)
		}
		xmlGet(t, f, owner, "POST", "/v1/HotLists/RemoveMembers", `{"ListID":`+itoa(int(d.ListID))+`,"UserIDs":"4"}`,
			"<ArrayOfMemberRemoveOutput ", "<MemberRemoveOutput><Message></Message><Removed>true</Removed><UserID>4</UserID></MemberRemoveOutput>")
		var del HotListDeleteOutput
		if s := f.callWith(owner, "POST", "/v1/HotLists/DeleteHotList", obj{"ListID": d.ListID}, &del); s != 200 || !del.Deleted {
			t.Fatalf("delete: %d %+v", s, del)
		}
		wantField(t, f, 404, f.callWith(owner, "GET", "/v1/HotLists/GetHotList?"+list, nil, nil), "", "not_found")

		// The scope is required; the 403 names it.
		w := f.do("GET", "/v1/HotLists/GetHotLists", "", "Authorization", "bearer "+f.mint(1, awapi.ScopeProfileBlacklist))
		if w.Code != 403 || !strings.Contains(w.Header().Get("WWW-Authenticate"), `scope="profile_hotlist"`) {
			t.Fatalf("without scope: %d %v", w.Code, w.Header())
		}
	})
}

// TestHotListConcurrentAdd adds one member to one list from many requests at once: exactly one adds
// it, every other answers Added=false, and the list holds it once.
func TestHotListConcurrentAdd(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		owner := f.mint(1, awapi.ScopeProfileHotlist)
		var d HotListDetails
		f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": "Race"}, &d)
		const n = 12
		codes, outs := make([]int, n), make([][]MemberAddOutput, n)
		start := make(chan struct{})
		done := make(chan int)
		for i := range n {
			go func() {
				<-start
				w := f.do("POST", "/v1/HotLists/AddMembers", `{"ListID":`+itoa(int(d.ListID))+`,"UserIDs":"3"}`, "Authorization", "bearer "+owner)
				codes[i] = w.Code
				_ = json.Unmarshal(w.Body.Bytes(), &outs[i])
				done <- i
			}()
		}
		close(start)
		for range n {
			<-done
		}
		added := 0
		for i := range n {
			if codes[i] != 200 || len(outs[i]) != 1 {
				t.Fatalf("request %d: %d %+v", i, codes[i], outs[i])
			}
			if outs[i][0].Added {
				added++
			}
		}
		var e hotListView
		f.callWith(owner, "GET", "/v1/HotLists/GetHotList?ListID="+itoa(int(d.ListID)), nil, &e)
		if added != 1 || len(e.HotListMembers) != 1 {
			t.Fatalf("%d adds won, list holds %d", added, len(e.HotListMembers))
		}
	})
}

func TestBlacklistEndpoints(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.mint(1, awapi.ScopeProfileBlacklist)
		var added []MemberAddOutput
		if s := f.callWith(tok, "POST", "/v1/Blacklist/AddMembers", obj{"UserIDs": "2,3"}, &added); s != 200 || len(added) != 2 || !added[0].Added {
			t.Fatalf("add: %d %+v", s, added)
		}
		f.clock.Advance(time.Minute)
		if f.callWith(tok, "POST", "/v1/Blacklist/AddMembers", obj{"UserIDs": []int{3, 4}}, &added); added[0].Added || !added[1].Added {
			t.Fatalf("add again: %+v", added)
		}
		wantField(t, f, 400, f.callWith(tok, "POST", "/v1/Blacklist/AddMembers", obj{"UserIDs": "1"}, nil), "UserIDs", "")
		wantField(t, f, 400, f.callWith(tok, "POST", "/v1/Blacklist/AddMembers", obj{"UserIDs": "77"}, nil), "UserIDs", "")
		var page BlacklistOutput
		if s := f.callWith(tok, "GET", "/v1/Blacklist/GetBlacklist?PageSize=2", nil, &page); s != 200 || page.BlacklistTotal != 3 ||
			page.PageCount != 2 || len(page.UserIDs) != 2 || page.UserIDs[0] != 4 {
			t.Fatalf("page: %d %+v", s, page)
		}
		wantField(t, f, 400, f.callWith(tok, "GET", "/v1/Blacklist/GetBlacklist?PageSize=101", nil, nil), "PageSize", "")
		xmlGet(t, f, tok, "GET", "/v1/Blacklist/GetBlacklist?PageSize=1&PageNumber=3",
			"", `xmlns="http://schemas.datacontract.org/2004/07/API.Models.Blacklist"`,
			`<UserIDs xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:long>2</a:long></UserIDs>`)
		var removed []MemberRemoveOutput
		if s := f.callWith(tok, "POST", "/v1/Blacklist/RemoveMembers", obj{"UserIDs": "2,4"}, &removed); s != 200 || !removed[0].Removed || !removed[1].Removed {
			t.Fatalf("remove: %d %+v", s, removed)
		}
		if f.callWith(tok, "GET", "/v1/Blacklist/GetBlacklist", nil, &page); page.BlacklistTotal != 1 || page.UserIDs[0] != 3 {
			t.Fatalf("after remove: %+v", page)
		}
	})
}

func TestDashboard(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		all := f.mint(1, awapi.ScopeAccountCommunications, awapi.ScopeAccountEscortBookings, awapi.ScopeAccountCreditsHistory,
			awapi.ScopeProfileBlacklist, awapi.ScopeProfileHotlist)
		if _, err := f.st.AddCredits(context.Background(), 1, 1250, "Credits purchased", f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.AddToBlacklist(context.Background(), 1, []int64{4}, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.CreateHotList(context.Background(), 1, "Faves", f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if s := f.callWith(all, "GET", "/v1/Dashboard/GetDashboard?Options=31", nil, &raw); s != 200 {
			t.Fatalf("31: %d %+v", s, f.lastError)
		}
		want := map[string]string{"UnreadEmails": "0", "UnreadEscortBookingCount": "0", "CurrentCreditsBalance": "12.50", "BlacklistedUserIds": "[4]"}
		for k, v := range want {
			if string(raw[k]) != v {
				t.Errorf("%s = %s, want %s", k, raw[k], v)
			}
		}
		if !strings.Contains(string(raw["Hotlists"]), `"ListName":"Faves","MemberCount":0`) {
			t.Errorf("Hotlists = %s", raw["Hotlists"])
		}
		// Only the requested members are filled; the others are null.
		f.callWith(all, "GET", "/v1/Dashboard/GetDashboard?options=12", nil, &raw)
		for k, v := range map[string]string{"UnreadEmails": "null", "UnreadEscortBookingCount": "null", "CurrentCreditsBalance": "12.50",
			"BlacklistedUserIds": "[4]", "Hotlists": "null"} {
			if string(raw[k]) != v {
				t.Errorf("Options=12: %s = %s, want %s", k, raw[k], v)
			}
		}
		xmlGet(t, f, all, "GET", "/v1/Dashboard/GetDashboard?Options=31", "",
			`<Dashboard xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Dashboard">`,
			`<BlacklistedUserIds xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:long>4</a:long></BlacklistedUserIds>`,
			"<CurrentCreditsBalance>12.50</CurrentCreditsBalance>", "<Hotlists><HotListSummary>", "<UnreadEmails>0</UnreadEmails>")
		xmlGet(t, f, all, "GET", "/v1/Dashboard/GetDashboard?Options=1", "", `<Hotlists i:nil="true"/>`)
		for _, bad := range []string{"", "Options=0", "Options=32", "Options=x"} {
			wantField(t, f, 400, f.callWith(all, "GET", "/v1/Dashboard/GetDashboard?"+bad, nil, nil), "Options", "")
		}
		// A bit whose scope the token lacks: 403 naming every missing scope, in both formats.
		hot := f.mint(1, awapi.ScopeProfileHotlist)
		for _, fm := range formats {
			w := f.do("GET", "/v1/Dashboard/GetDashboard?Options=21", "", "Authorization", "bearer "+hot, "Accept", fm.accept)
			e := readError(t, w)
			if w.Code != 403 || e.Code != "insufficient_scope" || !strings.Contains(e.Message, "account_communications, account_credits_history") ||
				w.Header().Get("WWW-Authenticate") != `Bearer realm="awapi", error="insufficient_scope", scope="account_communications account_credits_history"` {
				t.Fatalf("%s: %d %+v %v", fm.name, w.Code, e, w.Header())
			}
		}
		if s := f.callWith(hot, "GET", "/v1/Dashboard/GetDashboard?Options=16", nil, &raw); s != 200 || string(raw["CurrentCreditsBalance"]) != "null" {
			t.Fatalf("Options=16 with its scope: %d %s", s, raw["CurrentCreditsBalance"])
		}
	})
}

func TestAccountServices(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.mint(3, awapi.ScopeProfileServices)
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
		if m, _ := f.st.Member(context.Background(), 3); m.UserTypeID != awapi.UserTypeSeeking {
			t.Fatalf("user type %d", m.UserTypeID)
		}
		// Group manager: for members of their own group only.
		mgr := f.mint(2, awapi.ScopeProfileServices)
		if s := f.callWith(mgr, "PUT", "/v1/Groups/Account/UpdateServices?UserID=3", offering, &got); s != 200 || got.UserID != 3 || !got.IsWebcam {
			t.Fatalf("GM update: %d %+v", s, got)
		}
		if s := f.callWith(mgr, "GET", "/v1/Groups/Account/GetServices?UserID=3", nil, &got); s != 200 || !got.IsWebcam {
			t.Fatalf("GM get: %d %+v", s, got)
		}
		wantField(t, f, 404, f.callWith(mgr, "GET", "/v1/Groups/Account/GetServices?UserID=4", nil, nil), "", "not_found")
		wantField(t, f, 403, f.callWith(tok, "GET", "/v1/Groups/Account/GetServices?UserID=3", nil, nil), "", "not_group_manager")
		wantField(t, f, 403, f.callWith(f.mint(3, awapi.ScopeProfileAbout), "GET", "/v1/Account/GetServices", nil, nil), "", "insufficient_scope")
	})
}

// accountView reads Account/Update's answer with its date as the wire spells it.
type accountView struct {
	AccountOutput
	LastUpdated string
}

func TestAccountUpdate(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.mint(1, awapi.ScopeProfileAbout)
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
		f.clock.Advance(time.Hour)
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
		if m, _ := f.st.Member(context.Background(), 1); m.Summary != "Bye" {
			t.Fatalf("a refused update changed the member: %+v", m)
		}
		xmlGet(t, f, tok, "PUT", "/v1/Account/Update", `{"Town":"Kendal"}`, `<AccountOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account">`,
			"<EnjoysList>2</EnjoysList>", "<Town>Kendal</Town>")
		// Group manager variant.
		mgr := f.mint(2, awapi.ScopeProfileAbout)
		if s := f.callWith(mgr, "PUT", "/v1/Groups/Account/Update?UserID=3", obj{"Town": "Leeds"}, &a); s != 200 || a.UserID != 3 || a.Town != "Leeds" {
			t.Fatalf("GM: %d %+v", s, a)
		}
		wantField(t, f, 404, f.callWith(mgr, "PUT", "/v1/Groups/Account/Update?UserID=1", obj{"Town": "Leeds"}, nil), "", "not_found")
		wantField(t, f, 403, f.callWith(f.mint(1, awapi.ScopeProfileServices), "PUT", "/v1/Account/Update", obj{"Town": "X"}, nil), "", "insufficient_scope")
	})
}

func TestGroupRegister(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		mgr := f.mint(2, awapi.ScopeAccountInformation)
		adult := f.clock.Now().AddDate(-18, 0, 0).Format("2006-01-02")
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
		m, err := f.st.MemberByLogin(context.Background(), "new_girl")
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
			{obj{"BirthDate": f.clock.Now().AddDate(-18, 0, 1).Format("2006-01-02")}, "BirthDate"},
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
		wantField(t, f, 403, f.callWith(f.mint(3, awapi.ScopeAccountInformation), "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Third"}), nil), "", "not_group_manager")
		wantField(t, f, 403, f.callWith(f.mint(2, awapi.ScopeProfileAbout), "POST", "/v1/Groups/Account/Register", body(obj{"Nickname": "Third"}), nil), "", "insufficient_scope")
		raw, _ := json.Marshal(body(obj{"Nickname": "XmlOne", "EmailAddress": "xml@example.test"}))
		xmlGet(t, f, mgr, "POST", "/v1/Groups/Account/Register", string(raw),
			`<RegisterOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Account"><Nickname>XmlOne</Nickname><UserID>7</UserID></RegisterOutput>`)
	})
}
