package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

type ratingsView struct {
	UserID   int64
	Nickname string
	Overview *struct {
		Ratings                                    Ratings
		Escort, WebcamIM, PhoneChat, SalesAuctions int
		LastRatingDate, RatingsURL                 string
	}
	Ratings  *struct{ Escort, WebcamIM, PhoneChat, SalesAuctions Ratings }
	Feedback *struct {
		PageCount, PageNumber, FeedbackPerPage, FeedbackTotal int
		Items                                                 []struct {
			RatingID, RaterUserID                   int64
			RaterNickname, Service, Rating, Comment string
			RatingDate                              string
			Disputed                                bool
		}
	}
}

func TestGetRatings(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addReviews(t, f)
		get := func(t *testing.T, w interface{ Bytes() []byte }) ratingsView {
			t.Helper()
			var v ratingsView
			if err := json.Unmarshal(w.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		// No switch: only who; every block null.
		w := f.Do("GET", "/v1/profile/getRatings?UserID=20", "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		if v := get(t, w.Body); v.UserID != 20 || v.Nickname != "Scarlett" || v.Overview != nil || v.Ratings != nil || v.Feedback != nil {
			t.Errorf("bare getRatings = %s", w.Body)
		}

		query := "UserID=20&ReturnOverview=true&ReturnRatings=true&ReturnEscortFeedback=true&FeedbackPerPage=3&PageNumber=2&OrderBy=ratingdate-asc"
		body := `{"UserID":20,"ReturnOverview":true,"ReturnRatings":true,"ReturnEscortFeedback":true,"FeedbackPerPage":3,"PageNumber":2,"OrderBy":"ratingdate-asc"}`
		for _, w := range []*struct {
			name string
			fn   func() []byte
		}{
			{"GET", func() []byte { return f.Do("GET", "/v1/Profile/getRatings?"+query, "", f.WithKey()...).Body.Bytes() }},
			{"POST", func() []byte {
				return f.Do("POST", "/v1/Profile/getRatings", body, f.WithKey("Content-Type", "application/json")...).Body.Bytes()
			}},
		} {
			var v ratingsView
			if err := json.Unmarshal(w.fn(), &v); err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			o := v.Overview
			if o == nil || o.Ratings != (Ratings{Total: 2, Positive: 3, Neutral: 1, Negative: 1, Ratings: 5, Disputes: 1}) ||
				o.Escort != 1 || o.WebcamIM != 1 || o.PhoneChat != 0 || o.LastRatingDate != "2026-11-26T13:00:00" ||
				!strings.Contains(o.RatingsURL, "dlgViewRatings.asp") {
				t.Errorf("%s: Overview = %+v", w.name, o)
			}
			if r := v.Ratings; r == nil || r.Escort != (Ratings{Total: 1, Positive: 2, Neutral: 1, Negative: 1, Ratings: 4, Disputes: 1}) ||
				r.WebcamIM != (Ratings{Total: 1, Positive: 1, Ratings: 1}) || r.PhoneChat != (Ratings{}) {
				t.Errorf("%s: Ratings = %+v", w.name, r)
			}
			// Escort only: four ratings, page 2 of 3-per-page holds the fourth.
			fb := v.Feedback
			if fb == nil || fb.FeedbackTotal != 4 || fb.PageCount != 2 || fb.PageNumber != 2 || fb.FeedbackPerPage != 3 || len(fb.Items) != 1 {
				t.Fatalf("%s: Feedback = %+v", w.name, fb)
			}
			it := fb.Items[0]
			if it.RaterUserID != 1 || it.RaterNickname != "Client" || it.Service != "Escort" || it.Rating != "Negative" ||
				!it.Disputed || it.RatingDate != "2026-11-26T12:00:00" || it.RatingID == 0 {
				t.Errorf("%s: item = %+v", w.name, it)
			}
		}

		// ReturnFeedback selects every service; the webcam rating is the newest.
		w = f.Do("GET", "/v1/Profile/getRatings?UserID=20&ReturnFeedback=true&ReturnEscortFeedback=false", "", f.WithKey()...)
		v := get(t, w.Body)
		if v.Feedback == nil || v.Feedback.FeedbackTotal != 5 || v.Feedback.Items[0].Comment != "Great cam" || v.Feedback.Items[0].Rating != "Positive" {
			t.Errorf("all feedback = %s", w.Body)
		}
		w = f.Do("GET", "/v1/Profile/getRatings?UserID=20&ReturnSalesAuctionsFeedback=true", "", f.WithKey()...)
		if v := get(t, w.Body); v.Feedback == nil || v.Feedback.FeedbackTotal != 0 || v.Feedback.PageCount != 0 || len(v.Feedback.Items) != 0 {
			t.Errorf("sales feedback = %s", w.Body)
		}
		w = f.Do("GET", "/v1/Profile/getRatings?UserID=20&ReturnWebcamIMFeedback=true&ReturnPhoneChatFeedback=true&OrderBy=nickname-desc", "", f.WithKey()...)
		if v := get(t, w.Body); v.Feedback == nil || v.Feedback.FeedbackTotal != 1 || v.Feedback.Items[0].RaterNickname != "MemberOne" {
			t.Errorf("webcam+phone feedback = %s", w.Body)
		}

		// XML: root and namespace; a block not asked for is i:nil.
		w = f.Do("GET", "/v1/Profile/getRatings?UserID=20&ReturnOverview=true", "", f.WithKey("Accept", "application/xml")...)
		apitest.WantStatus(t, w, 200)
		var x struct {
			XMLName  xml.Name `xml:"RatingsOutput"`
			Overview struct{ Ratings struct{ Total, Disputes int } }
			Feedback struct {
				Nil string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != "http://schemas.datacontract.org/2004/07/API.Models.Profile" || x.Overview.Ratings.Total != 2 ||
			x.Overview.Ratings.Disputes != 1 || x.Feedback.Nil != "true" {
			t.Errorf("XML = %s", w.Body)
		}

		for _, tc := range []struct{ query, field string }{
			{"", "UserID"},
			{"UserID=0", "UserID"},
			{"UserID=20&FeedbackPerPage=0", "FeedbackPerPage"},
			{"UserID=20&FeedbackPerPage=1001", "FeedbackPerPage"},
			{"UserID=20&PageNumber=0", "PageNumber"},
			{"UserID=20&OrderBy=rating", "OrderBy"},
			{"UserID=20&ReturnFeedback=maybe", "ReturnFeedback"},
		} {
			for _, format := range []string{"application/json", "application/xml"} {
				w := f.Do("GET", "/v1/Profile/getRatings?"+tc.query, "", f.WithKey("Accept", format)...)
				apitest.WantStatus(t, w, 400)
				if e := apitest.ReadError(t, w); len(e.ModelState[tc.field]) == 0 {
					t.Errorf("%q (%s): error %+v does not name %s", tc.query, format, e, tc.field)
				}
			}
		}
		w = f.Do("POST", "/v1/Profile/getRatings", `{"UserID":20,"FeedbackPerPage":5000}`, f.WithKey("Content-Type", "application/json")...)
		apitest.WantStatus(t, w, 400)
		if e := apitest.ReadError(t, w); len(e.ModelState["FeedbackPerPage"]) == 0 {
			t.Errorf("POST error %+v", e)
		}
		// Unknown and inactive members; and the key is required.
		for _, id := range []string{"99", "12345"} { // unknown
			apitest.WantStatus(t, f.Do("GET", "/v1/Profile/getRatings?UserID="+id+"&ReturnOverview=true", "", f.WithKey()...), 404)
		}
		gone := storetest.NewMember(21, "Gone")
		gone.IsActive = false
		if err := f.St.InsertMembers(context.Background(), []awapi.Member{gone}); err != nil {
			t.Fatal(err)
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Profile/getRatings?UserID=21", "", f.WithKey()...), 404)
		apitest.WantStatus(t, f.Do("GET", "/v1/Profile/getRatings?UserID=20", ""), 401)
	})
}

func TestProfileDetailsAndUserSummary(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f)
		for _, fm := range apitest.Formats {
			apitest.WantStatus(t, f.Do("GET", "/v1/Profile/getProfileDetails?UserID=99", "", f.WithKey("Accept", fm.Accept)...), 404)
			apitest.WantStatus(t, f.Do("GET", "/v1/Newsfeed/getUserSummary?UserID=99", "", f.WithKey("Accept", fm.Accept)...), 404)
			w := f.Do("GET", "/v1/Profile/getProfileDetails", "", f.WithKey("Accept", fm.Accept)...)
			apitest.WantStatus(t, w, 400)
			if e := apitest.ReadError(t, w); len(e.ModelState["UserID"]) == 0 {
				t.Errorf("%s: missing UserID not named: %+v", fm.Name, e)
			}
		}
		if err := f.St.InsertEscortRates(context.Background(), []awapi.EscortRate{
			{UserID: 20, RateBreakID: awapi.RateBreakOneHour, InCall: 150_00},
			{UserID: 20, RateBreakID: 7, InCall: 60_00, OutCall: 75_50}, // 15 mins: listed first
		}); err != nil {
			t.Fatal(err)
		}
		var d struct {
			Profile     struct{ NickName string }
			Details     string
			EscortRates []EscortRate
			Images      *struct{ HasImage1, HasImage2, HasImage3 bool }
		}
		getJSON(t, f, "/v1/Profile/getProfileDetails?UserID=20", &d)
		if r := d.EscortRates; d.Profile.NickName != "Scarlett" || d.Images != nil || len(r) != 2 ||
			r[0].RateBreak != "15 mins" || *r[0].InCall != 60_00 || *r[0].OutCall != 75_50 ||
			r[1].RateBreakID != awapi.RateBreakOneHour || *r[1].InCall != 150_00 || r[1].OutCall != nil {
			t.Errorf("details = %+v", d)
		}
		getJSON(t, f, "/v1/Profile/getProfileDetails?UserID=20&ReturnImages=true", &d)
		if d.Images == nil || !d.Images.HasImage1 || !d.Images.HasImage2 || d.Images.HasImage3 {
			t.Errorf("details images = %+v", d.Images)
		}

		var s struct {
			User struct {
				Nickname string
				Ratings  Ratings
				Gender   string
			}
			Summary []struct{ Type, Description, Date string }
		}
		getJSON(t, f, "/v1/Newsfeed/getUserSummary?UserID=20", &s)
		if s.User.Nickname != "Scarlett" || s.User.Gender != "Female" || s.User.Ratings.Total != 1 || len(s.Summary) != 5 {
			t.Fatalf("summary = %+v", s)
		}
		kinds := map[string]int{}
		for _, it := range s.Summary {
			kinds[it.Type]++
			if it.Description == "" || it.Date != "2026-11-26T12:00:00" {
				t.Errorf("item %+v", it)
			}
		}
		if kinds["Rating"] != 4 || kinds["Tour"] != 1 {
			t.Errorf("summary kinds %v", kinds)
		}
		// X-MaskImages applies to the newsfeed card (image 1 is not safe).
		w := f.Do("GET", "/v1/Newsfeed/getUserSummary?UserID=20", "", f.WithKey("X-MaskImages", "1")...)
		if !strings.Contains(w.Body.String(), web.MaskedImageURL) || strings.Contains(w.Body.String(), "images/t/20_1.jpg") {
			t.Errorf("masked summary: %s", w.Body)
		}
	})
}

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
		if err := f.St.InsertMembers(context.Background(), ms); err != nil {
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
			target := "/v1/profile/getProfileDetails?apiKey=" + url.QueryEscape(f.Key) + "&" + tc.query
			w := f.Do("GET", target, "", "Accept", "application/json")
			apitest.WantStatus(t, w, tc.status)
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
			w = f.Do("GET", target, "", "Accept", "application/xml")
			apitest.WantStatus(t, w, 200)
			if !strings.Contains(w.Body.String(), tc.xml) {
				t.Errorf("%s: XML lacks %s:\n%s", tc.query, tc.xml, w.Body)
			}
		}
		w := f.Do("GET", "/v1/Profile/getProfileDetails?UserID=30&ReturnContact=maybe", "", f.WithKey()...)
		apitest.WantStatus(t, w, 400)
		if e := apitest.ReadError(t, w); len(e.ModelState["ReturnContact"]) == 0 {
			t.Errorf("a bad ReturnContact is not named: %+v", e)
		}
	})
}
