package httpapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
)

func TestDashboard(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		all := f.Mint(1, awapi.ScopeAccountCommunications, awapi.ScopeAccountEscortBookings, awapi.ScopeAccountCreditsHistory,
			awapi.ScopeProfileBlacklist, awapi.ScopeProfileHotlist)
		if _, err := f.St.AddCredits(context.Background(), 1, 1250, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.St.AddToBlacklist(context.Background(), 1, []int64{4}, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.St.CreateHotList(context.Background(), 1, "Faves", f.Clock.Now()); err != nil {
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
		hot := f.Mint(1, awapi.ScopeProfileHotlist)
		for _, fm := range apitest.Formats {
			w := f.Do("GET", "/v1/Dashboard/GetDashboard?Options=21", "", "Authorization", "bearer "+hot, "Accept", fm.Accept)
			e := apitest.ReadError(t, w)
			if w.Code != 403 || e.Code != "insufficient_scope" || !strings.Contains(e.Message, "account_communications, account_credits_history") ||
				w.Header().Get("WWW-Authenticate") != `Bearer realm="awapi", error="insufficient_scope", scope="account_communications account_credits_history"` {
				t.Fatalf("%s: %d %+v %v", fm.Name, w.Code, e, w.Header())
			}
		}
		if s := f.callWith(hot, "GET", "/v1/Dashboard/GetDashboard?Options=16", nil, &raw); s != 200 || string(raw["CurrentCreditsBalance"]) != "null" {
			t.Fatalf("Options=16 with its scope: %d %s", s, raw["CurrentCreditsBalance"])
		}
	})
}
