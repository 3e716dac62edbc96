package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/reftest"
)

// DirectChat tests: the PINs over the wire in both formats, and the sandbox's calls moving money
// through the ledger. The rules are the domain's (directchat_test.go), the locking the store's
// (storetest/directchat.go).

// offerDirectChat saves settings for user: DirectChat offered or not, all day, at ppm a minute.
func offerDirectChat(t *testing.T, f *fixture, user int64, offered bool, ppm awapi.Credits) {
	t.Helper()
	_, err := f.St.SaveDirectChatSettings(context.Background(), awapi.DirectChatSettings{UserID: user, OfferDirectChat: offered,
		PPM: ppm, AvailableNow: true, MaxCallMinutes: 60, UpdatedAt: f.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
}

// chatToken is a token of user with the DirectChat scope and CreditHistory's.
func chatToken(f *fixture, user int64) string {
	return f.Mint(user, awapi.ScopeAccountPhonechatBookings, awapi.ScopeAccountCreditsHistory)
}

type pinView struct {
	DirectChatPIN
	CreatedDate  string
	LastCallDate *string
}

type callView struct {
	DirectChatCall
	StartedDate string
	EndedDate   *string
}

func profileIsDirectChat(t *testing.T, f *fixture, user int64) bool {
	t.Helper()
	w := f.Do("GET", fmt.Sprintf("/v1/Profile/getProfileDetails?UserID=%d", user), "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	var v struct{ Profile struct{ IsDirectChat bool } }
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	w = f.Do("GET", "/v1/Search/SearchProfiles?ProfilesPerPage=100", "", f.WithKey()...)
	var page struct {
		Profiles []struct {
			UserID       int64
			IsDirectChat bool
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range page.Profiles {
		if p.UserID == user {
			found = true
			if p.IsDirectChat != v.Profile.IsDirectChat {
				t.Fatalf("search says IsDirectChat %v, the profile %v", p.IsDirectChat, v.Profile.IsDirectChat)
			}
		}
	}
	if !found {
		t.Fatalf("member %d not in the search", user)
	}
	return v.Profile.IsDirectChat
}

// TestDirectChatPINs: GetAllPINs (with the documented User {Id, Username} casing), the implied
// CreatePIN and DeletePIN, in both formats, with every refusal naming its field or prerequisite.
func TestDirectChatPINs(t *testing.T) {
	forDirectCamEngines(t, false, func(t *testing.T, f *fixture) {
		offerDirectChat(t, f, 3, true, 150)
		offerDirectChat(t, f, 4, false, 150)
		if !profileIsDirectChat(t, f, 3) || profileIsDirectChat(t, f, 4) {
			t.Fatal("IsDirectChat does not follow the settings")
		}
		tok, other := chatToken(f, 20), chatToken(f, 1)
		w := f.Do("GET", "/v1/DirectChat/GetAllPINs", "", "Authorization", "bearer "+tok)
		if w.Code != 200 || strings.TrimSpace(w.Body.String()) != "[]" {
			t.Fatalf("no PINs: %d %s", w.Code, w.Body)
		}

		var p pinView
		if s := f.callWith(tok, "POST", "/v1/DirectChat/CreatePIN", obj{"UserID": 3}, &p); s != 200 || len(p.PIN) != 6 ||
			p.User != (DirectChatPINUser{Id: 3, Username: "MemberOne"}) || p.CreatedDate != f.local(f.Clock.Now()) ||
			p.NumberOfCalls != 0 || p.LastCallDate != nil || p.InProgress {
			t.Fatalf("CreatePIN: %d %+v %+v", s, p, f.lastError)
		}
		f.Clock.Advance(time.Hour)
		var again pinView
		if s := f.callWith(tok, "POST", "/v1/DirectChat/CreatePIN", obj{"UserID": 3}, &again); s != 200 || again != p {
			t.Fatalf("CreatePIN again: %d %+v, want %+v", s, again, p)
		}
		for _, tc := range []struct {
			body        obj
			status      int
			field, code string
		}{
			{obj{"UserID": 4}, 409, "", "directchat_not_offered"},
			{obj{"UserID": 999}, 404, "", "not_found"},
			{obj{"UserID": 20}, 400, "UserID", ""},
			{obj{"UserID": 0}, 400, "UserID", ""},
			{obj{}, 400, "UserID", ""},
			{obj{"UserID": "three"}, 400, "UserID", ""},
		} {
			s := f.callWith(tok, "POST", "/v1/DirectChat/CreatePIN", tc.body, nil)
			wantField(t, f, tc.status, s, tc.field, tc.code)
		}

		w = f.Do("GET", "/v1/DirectChat/GetAllPINs", "", "Authorization", "bearer "+tok)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"User":{"Id":3,"Username":"MemberOne"},"PIN":"`+p.PIN+`"`) ||
			!strings.Contains(w.Body.String(), `"LastCallDate":null`) {
			t.Fatalf("GetAllPINs: %d %s", w.Code, w.Body)
		}
		xmlGet(t, f, tok, "GET", "/v1/DirectChat/GetAllPINs", "",
			`<ArrayOfDirectChatPIN xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectChat">`,
			`<PIN>`+p.PIN+`</PIN><User><Id>3</Id><Username>MemberOne</Username></User></DirectChatPIN>`, // DataContract order
			`<LastCallDate i:nil="true"/>`, `<InProgress>false</InProgress>`)
		// Another member sees none of them, and cannot delete them.
		var theirs []pinView
		if s := f.callWith(other, "GET", "/v1/DirectChat/GetAllPINs", nil, &theirs); s != 200 || len(theirs) != 0 {
			t.Fatalf("another member's list: %d %+v", s, theirs)
		}
		wantField(t, f, 404, f.callWith(other, "POST", "/v1/DirectChat/DeletePIN", obj{"PIN": p.PIN}, nil), "", "not_found")
		for _, bad := range []obj{{"PIN": "12ab56"}, {"PIN": "12345"}, {}, {"PIN": "1234567"}} {
			wantField(t, f, 400, f.callWith(tok, "POST", "/v1/DirectChat/DeletePIN", bad, nil), "PIN", "")
		}
		// The scope.
		webcamOnly := f.Mint(20, awapi.ScopeAccountWebcamBookings)
		if w := f.Do("GET", "/v1/DirectChat/GetAllPINs", "", "Authorization", "bearer "+webcamOnly); w.Code != 403 {
			t.Fatalf("without account_phonechat_bookings: %d", w.Code)
		}

		var del DirectChatPINDeleteOutput
		if s := f.callWith(tok, "POST", "/v1/DirectChat/DeletePIN", obj{"PIN": p.PIN}, &del); s != 200 || del != (DirectChatPINDeleteOutput{p.PIN, true}) {
			t.Fatalf("DeletePIN: %d %+v %+v", s, del, f.lastError)
		}
		wantField(t, f, 404, f.callWith(tok, "POST", "/v1/DirectChat/DeletePIN", obj{"PIN": p.PIN}, nil), "", "not_found")
		var left []pinView
		if s := f.callWith(tok, "GET", "/v1/DirectChat/GetAllPINs", nil, &left); s != 200 || len(left) != 0 {
			t.Fatalf("after DeletePIN: %d %+v", s, left)
		}
		xmlGet(t, f, tok, "POST", "/v1/DirectChat/CreatePIN", mustJSON(obj{"UserID": 3}),
			`<DirectChatPIN xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectChat">`,
			`<NumberOfCalls>0</NumberOfCalls>`)
		// Settings that stop offering DirectChat switch IsDirectChat off, and no new PIN is given.
		offerDirectChat(t, f, 3, false, 150)
		if profileIsDirectChat(t, f, 3) {
			t.Fatal("still DirectChat when not offered")
		}
		wantField(t, f, 409, f.callWith(chatToken(f, 1), "POST", "/v1/DirectChat/CreatePIN", obj{"UserID": 3}, nil), "", "directchat_not_offered")
	})
}

// TestDirectChatSandboxCalls: the sandbox's PlaceCall, StartCall and EndCall charge the client per
// started minute and pay the performer through the ledger, cut a call at the last paid minute, and
// show in GetAllPINs and CreditHistory.
func TestDirectChatSandboxCalls(t *testing.T) {
	forDirectCamEngines(t, true, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		offerDirectChat(t, f, 3, true, 150)
		tok := chatToken(f, 20)
		var p pinView
		if s := f.callWith(tok, "POST", "/v1/DirectChat/CreatePIN", obj{"UserID": 3}, &p); s != 200 {
			t.Fatalf("CreatePIN: %d %+v", s, f.lastError)
		}
		helper := func(path string, body obj, out any) int {
			t.Helper()
			w := f.Do("POST", "/v1/Sandbox/DirectChat/"+path, mustJSON(body), f.WithKey()...)
			if w.Code == 200 && out != nil {
				if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
					t.Fatal(err)
				}
			}
			if w.Code != 200 {
				f.lastError = apitest.ReadError(t, w)
			}
			return w.Code
		}
		pin := obj{"PIN": p.PIN}
		wantField(t, f, 409, helper("PlaceCall", obj{"PIN": p.PIN, "Minutes": 4}, nil), "", "insufficient_credits")
		if _, err := f.St.AddCredits(ctx, 20, 1000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}

		var c callView
		if s := helper("PlaceCall", obj{"PIN": p.PIN, "Minutes": 4}, &c); s != 200 || c.CallID == 0 || c.Minutes != 4 || c.Credits != 600 ||
			c.PPM != 150 || c.Cut || c.InProgress || c.EndedDate == nil || *c.EndedDate != f.local(f.Clock.Now()) ||
			c.StartedDate != f.local(f.Clock.Now().Add(-4*time.Minute)) || c.ClientBalance != 400 || c.PerformerBalance != 600 ||
			c.ClientUserID != 20 || c.PerformerUserID != 3 || c.ChargedCredits != 600 {
			t.Fatalf("PlaceCall: %d %+v %+v", s, c, f.lastError)
		}
		f.Clock.Advance(time.Hour)
		started := f.Clock.Now()
		if s := helper("StartCall", pin, &c); s != 200 || c.Minutes != 1 || c.Credits != 150 || !c.InProgress || c.EndedDate != nil ||
			c.ClientBalance != 250 {
			t.Fatalf("StartCall: %d %+v %+v", s, c, f.lastError)
		}
		var ps []pinView
		if s := f.callWith(tok, "GET", "/v1/DirectChat/GetAllPINs", nil, &ps); s != 200 || len(ps) != 1 || ps[0].NumberOfCalls != 2 ||
			!ps[0].InProgress || ps[0].LastCallDate == nil || *ps[0].LastCallDate != f.local(started) {
			t.Fatalf("during the call: %d %+v", s, ps)
		}
		wantField(t, f, 409, helper("StartCall", pin, nil), "", "call_in_progress")
		wantField(t, f, 409, helper("PlaceCall", obj{"PIN": p.PIN, "Minutes": 1}, nil), "", "call_in_progress")
		wantField(t, f, 409, f.callWith(tok, "POST", "/v1/DirectChat/DeletePIN", pin, nil), "", "call_in_progress")

		// 2m30s: three started minutes, but 2.50 pays only one more; cut at the end of the second.
		f.Clock.Advance(2*time.Minute + 30*time.Second)
		if s := helper("EndCall", pin, &c); s != 200 || c.Minutes != 2 || c.Credits != 300 || !c.Cut || c.InProgress ||
			c.EndedDate == nil || *c.EndedDate != f.local(started.Add(2*time.Minute)) || c.ChargedMinutes != 1 ||
			c.ClientBalance != 100 || c.PerformerBalance != 900 {
			t.Fatalf("EndCall: %d %+v %+v", s, c, f.lastError)
		}
		wantField(t, f, 409, helper("EndCall", pin, nil), "", "no_call_in_progress")
		wantField(t, f, 409, helper("StartCall", pin, nil), "", "insufficient_credits")

		// The line's hours and switch.
		if _, err := f.St.AddCredits(ctx, 20, 1000, "Credits purchased", f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.St.SaveDirectChatSettings(ctx, awapi.DirectChatSettings{UserID: 3, OfferDirectChat: true, PPM: 150}); err != nil {
			t.Fatal(err)
		}
		wantField(t, f, 409, helper("PlaceCall", obj{"PIN": p.PIN, "Minutes": 1}, nil), "", "directchat_unavailable")

		for _, tc := range []struct {
			path        string
			body        obj
			status      int
			field, code string
		}{
			{"PlaceCall", obj{"PIN": p.PIN, "Minutes": 0}, 400, "Minutes", ""},
			{"PlaceCall", obj{"PIN": p.PIN, "Minutes": 241}, 400, "Minutes", ""},
			{"PlaceCall", obj{"PIN": p.PIN}, 400, "Minutes", ""},
			{"PlaceCall", obj{"PIN": "abcdef", "Minutes": 1}, 400, "PIN", ""},
			{"StartCall", obj{}, 400, "PIN", ""},
			{"EndCall", obj{"PIN": "00000a"}, 400, "PIN", ""},
			{"StartCall", obj{"PIN": "000000"}, 404, "", "not_found"},
		} {
			wantField(t, f, tc.status, helper(tc.path, tc.body, nil), tc.field, tc.code)
		}

		var hist creditHistoryView
		if s := f.call(3, "GET", "/v1/CreditHistory/GetCreditsHistory", nil, &hist); s != 200 || len(hist.CreditHistory) != 3 ||
			!strings.Contains(hist.CreditHistory[0].Description, "DirectChat call") {
			t.Fatalf("performer's history: %d %+v", s, hist)
		}
		for _, id := range []int64{20, 3} {
			bal, _ := f.St.CreditBalance(ctx, id)
			if sum, _ := f.St.LedgerSum(ctx, id); sum != bal {
				t.Fatalf("member %d: balance %s, ledger %s", id, bal, sum)
			}
		}
		offerDirectChat(t, f, 3, true, 150)
		w := f.Do("POST", "/v1/Sandbox/DirectChat/PlaceCall", mustJSON(obj{"PIN": p.PIN, "Minutes": 1}), f.WithKey("Accept", "application/xml")...)
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `<?xml version="1.0" encoding="utf-8"?><DirectChatCall xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.DirectChat">`) ||
			!strings.Contains(w.Body.String(), "<Credits>1.50</Credits>") {
			t.Fatalf("XML: %d %s", w.Code, w.Body)
		}
	})
}

// TestDirectChatSandboxHelpersOnlyInSandbox: a production server answers 404 for the call helpers and
// leaves them out of its reference; a sandbox lists them under the Sandbox tag, with samples that bind.
func TestDirectChatSandboxHelpersOnlyInSandbox(t *testing.T) {
	paths := []string{"/v1/Sandbox/DirectChat/PlaceCall", "/v1/Sandbox/DirectChat/StartCall", "/v1/Sandbox/DirectChat/EndCall"}
	for _, sandbox := range []bool{false, true} {
		f := directCamFixture(t, testdbSQLite, sandbox)
		for _, path := range paths {
			w := f.Do("POST", path, "", f.WithKey()...)
			if sandbox && w.Code == 404 && strings.Contains(w.Body.String(), "no_such_method") || !sandbox && w.Code != 404 {
				t.Errorf("sandbox %v: %s = %d %s", sandbox, path, w.Code, w.Body)
			}
		}
		doc, _ := reftest.OpenAPI(t, f.srv)
		for _, path := range paths {
			op := reftest.At(doc, "paths", path)
			if (op != nil) != sandbox {
				t.Errorf("sandbox %v: %s described: %v", sandbox, path, op != nil)
			}
			if sandbox {
				if tag := reftest.At(doc, "paths", path, "post", "tags", "0"); tag != "Sandbox" {
					t.Errorf("%s tagged %v", path, tag)
				}
			}
		}
		for _, path := range []string{"/v1/DirectChat/GetAllPINs", "/v1/DirectChat/CreatePIN", "/v1/DirectChat/DeletePIN"} {
			if reftest.At(doc, "paths", path) == nil || reftest.At(doc, "paths", "/v1/Groups"+strings.TrimPrefix(path, "/v1")) != nil {
				t.Errorf("%s: described without a Group-manager variant? %v", path, reftest.At(doc, "paths", path) != nil)
			}
		}
		if err := f.srv.CheckSamples(); err != nil {
			t.Error(err)
		}
	}
}
