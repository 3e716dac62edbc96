package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/awapi/awapi"
)

// hotListView reads GetHotList with its dates as the wire spells them.
type hotListView struct {
	HotListDetails HotListDetails
	HotListMembers []struct {
		HotListMember
		LastUpdated, LastInteractionDate string
		Profile                          json.RawMessage
	}
}

func TestHotListEndpoints(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		owner, stranger := f.Mint(1, awapi.ScopeProfileHotlist), f.Mint(3, awapi.ScopeProfileHotlist)
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
		if _, err := f.St.AddToBlacklist(context.Background(), 1, []int64{4}, f.Clock.Now()); err != nil {
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
		w := f.Do("GET", "/v1/HotLists/GetHotLists", "", "Authorization", "bearer "+f.Mint(1, awapi.ScopeProfileBlacklist))
		if w.Code != 403 || !strings.Contains(w.Header().Get("WWW-Authenticate"), `scope="profile_hotlist"`) {
			t.Fatalf("without scope: %d %v", w.Code, w.Header())
		}
	})
}

// TestHotListConcurrentAdd adds one member to one list from many requests at once: exactly one adds
// it, every other answers Added=false, and the list holds it once.
func TestHotListConcurrentAdd(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		owner := f.Mint(1, awapi.ScopeProfileHotlist)
		var d HotListDetails
		f.callWith(owner, "POST", "/v1/HotLists/CreateHotList", obj{"ListName": "Race"}, &d)
		const n = 12
		codes, outs := make([]int, n), make([][]MemberAddOutput, n)
		start := make(chan struct{})
		done := make(chan int)
		for i := range n {
			go func() {
				<-start
				w := f.Do("POST", "/v1/HotLists/AddMembers", `{"ListID":`+itoa(int(d.ListID))+`,"UserIDs":"3"}`, "Authorization", "bearer "+owner)
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
