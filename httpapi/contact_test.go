package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestProfileDetailsContact: getProfileDetails with ReturnContact answers a top-level Contact block, read
// the way a sandbox scraper reads it (api-v1.md §5); the number shows only when the member shows it, and
// the members that may be read are the profile's own (active ones).
func TestProfileDetailsContact(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		type contact struct {
			number          string
			verified, shown bool
			inactive        bool
		}
		members := map[int64]contact{
			30: {number: "07700900030", verified: true, shown: true},
			31: {number: "07700900031", shown: true},
			32: {number: "07700900032", verified: true}, // on the account, not shown
			33: {},                                      // no number
			34: {number: "07700900034", shown: true, inactive: true},
		}
		var ms []awapi.Member
		for id, c := range members {
			m := storetest.NewMember(id, fmt.Sprintf("Contact%d", id))
			m.MobileNumber, m.MobileVerified, m.ShowMobileNumber, m.IsActive = c.number, c.verified, c.shown, !c.inactive
			ms = append(ms, m)
		}
		if err := f.st.InsertMembers(context.Background(), ms); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			query  string
			status int
			json   string // the Contact member of the answer
			xml    string
		}{
			{"ReturnContact=true&userID=30", 200, `{"HasMobileNumber":true,"MobileNumber":"07700900030","MobileNumberVerified":true}`,
				`<Contact><HasMobileNumber>true</HasMobileNumber><MobileNumber>07700900030</MobileNumber><MobileNumberVerified>true</MobileNumberVerified></Contact>`},
			{"ReturnContact=true&userID=31", 200, `{"HasMobileNumber":true,"MobileNumber":"07700900031","MobileNumberVerified":false}`,
				`<Contact><HasMobileNumber>true</HasMobileNumber><MobileNumber>07700900031</MobileNumber><MobileNumberVerified>false</MobileNumberVerified></Contact>`},
			{"ReturnContact=true&userID=32", 200, `{"HasMobileNumber":true,"MobileNumber":null,"MobileNumberVerified":null}`,
				`<Contact><HasMobileNumber>true</HasMobileNumber><MobileNumber i:nil="true"/><MobileNumberVerified i:nil="true"/></Contact>`},
			{"ReturnContact=true&userID=33", 200, `{"HasMobileNumber":false,"MobileNumber":null,"MobileNumberVerified":null}`,
				`<Contact><HasMobileNumber>false</HasMobileNumber><MobileNumber i:nil="true"/><MobileNumberVerified i:nil="true"/></Contact>`},
			{"userID=30", 200, `null`, `<Contact i:nil="true"/>`},
			{"ReturnContact=false&userID=30", 200, `null`, `<Contact i:nil="true"/>`},
			{"ReturnContact=true&userID=34", 404, "", ""}, // inactive: no profile, so no contact
			{"ReturnContact=true&userID=99", 404, "", ""},
		}
		for _, tc := range tests {
			target := "/v1/profile/getProfileDetails?apiKey=" + url.QueryEscape(f.key) + "&" + tc.query
			w := f.do("GET", target, "", "Accept", "application/json")
			wantStatus(t, w, tc.status)
			if tc.status != 200 {
				continue
			}
			var out map[string]json.RawMessage
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if got := string(out["Contact"]); got != tc.json {
				t.Errorf("%s: Contact %s, want %s", tc.query, got, tc.json)
			}
			w = f.do("GET", target, "", "Accept", "application/xml")
			wantStatus(t, w, 200)
			if !strings.Contains(w.Body.String(), tc.xml) {
				t.Errorf("%s: XML lacks %s:\n%s", tc.query, tc.xml, w.Body)
			}
		}
		w := f.do("GET", "/v1/Profile/getProfileDetails?UserID=30&ReturnContact=maybe", "", f.withKey()...)
		wantStatus(t, w, 400)
		if e := readError(t, w); len(e.ModelState["ReturnContact"]) == 0 {
			t.Errorf("a bad ReturnContact is not named: %+v", e)
		}
	})
}
