package httpapi

import (
	"testing"
	"time"

	"github.com/awapi/awapi"
)

func TestBlacklistEndpoints(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tok := f.Mint(1, awapi.ScopeProfileBlacklist)
		var added []MemberAddOutput
		if s := f.callWith(tok, "POST", "/v1/Blacklist/AddMembers", obj{"UserIDs": "2,3"}, &added); s != 200 || len(added) != 2 || !added[0].Added {
			t.Fatalf("add: %d %+v", s, added)
		}
		f.Clock.Advance(time.Minute)
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
