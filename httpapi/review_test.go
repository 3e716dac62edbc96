package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// addReviews stores, beside addProfileMember's member 20 (four escort ratings by Client, one disputed),
// a webcam rating by MemberOne and two field reports on 20 by Client (1) and MemberTwo (4).
func addReviews(t *testing.T, f *fixture) (reportIDs []int64) {
	t.Helper()
	addProfileMember(t, f)
	ctx := context.Background()
	if err := f.st.InsertRatings(ctx, []awapi.Rating{{UserID: 20, RaterID: 3, Service: awapi.ServiceWebcam, Score: 1,
		Feedback: "Great cam", RatedAt: fixtureNow.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.InsertFieldReports(ctx, []awapi.FieldReport{
		{UserID: 20, AuthorID: 1, Created: fixtureNow.Add(-48 * time.Hour), MeetDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
			InCall: true, Recommended: true, VisitAgain: true, Rating: 9, Title: "Lovely", Report: "A lovely evening.",
			CountryID: 158, RegionID: 7, CountyID: 31, Town: "Westminster"},
		{UserID: 20, AuthorID: 4, Created: fixtureNow.Add(-time.Hour), MeetDate: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
			OutCall: true, Rating: 5, Title: "Fine", Report: "Fine.", CountryID: 158, RegionID: 7},
	}); err != nil {
		t.Fatal(err)
	}
	fs, _, err := f.st.SearchFieldReports(ctx, awapi.FieldReportQuery{Order: awapi.ReportsOldest, Page: awapi.Page{Number: 1, Size: 10}})
	if err != nil || len(fs) != 2 {
		t.Fatalf("reports: %v %v", fs, err)
	}
	return []int64{fs[0].ReportID, fs[1].ReportID}
}

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
		w := f.do("GET", "/v1/profile/getRatings?UserID=20", "", f.withKey()...)
		wantStatus(t, w, 200)
		if v := get(t, w.Body); v.UserID != 20 || v.Nickname != "Scarlett" || v.Overview != nil || v.Ratings != nil || v.Feedback != nil {
			t.Errorf("bare getRatings = %s", w.Body)
		}

		query := "UserID=20&ReturnOverview=true&ReturnRatings=true&ReturnEscortFeedback=true&FeedbackPerPage=3&PageNumber=2&OrderBy=ratingdate-asc"
		body := `{"UserID":20,"ReturnOverview":true,"ReturnRatings":true,"ReturnEscortFeedback":true,"FeedbackPerPage":3,"PageNumber":2,"OrderBy":"ratingdate-asc"}`
		for _, w := range []*struct {
			name string
			fn   func() []byte
		}{
			{"GET", func() []byte { return f.do("GET", "/v1/Profile/getRatings?"+query, "", f.withKey()...).Body.Bytes() }},
			{"POST", func() []byte {
				return f.do("POST", "/v1/Profile/getRatings", body, f.withKey("Content-Type", "application/json")...).Body.Bytes()
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
		w = f.do("GET", "/v1/Profile/getRatings?UserID=20&ReturnFeedback=true&ReturnEscortFeedback=false", "", f.withKey()...)
		v := get(t, w.Body)
		if v.Feedback == nil || v.Feedback.FeedbackTotal != 5 || v.Feedback.Items[0].Comment != "Great cam" || v.Feedback.Items[0].Rating != "Positive" {
			t.Errorf("all feedback = %s", w.Body)
		}
		w = f.do("GET", "/v1/Profile/getRatings?UserID=20&ReturnSalesAuctionsFeedback=true", "", f.withKey()...)
		if v := get(t, w.Body); v.Feedback == nil || v.Feedback.FeedbackTotal != 0 || v.Feedback.PageCount != 0 || len(v.Feedback.Items) != 0 {
			t.Errorf("sales feedback = %s", w.Body)
		}
		w = f.do("GET", "/v1/Profile/getRatings?UserID=20&ReturnWebcamIMFeedback=true&ReturnPhoneChatFeedback=true&OrderBy=nickname-desc", "", f.withKey()...)
		if v := get(t, w.Body); v.Feedback == nil || v.Feedback.FeedbackTotal != 1 || v.Feedback.Items[0].RaterNickname != "MemberOne" {
			t.Errorf("webcam+phone feedback = %s", w.Body)
		}

		// XML: root and namespace; a block not asked for is i:nil.
		w = f.do("GET", "/v1/Profile/getRatings?UserID=20&ReturnOverview=true", "", f.withKey("Accept", "application/xml")...)
		wantStatus(t, w, 200)
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
				w := f.do("GET", "/v1/Profile/getRatings?"+tc.query, "", f.withKey("Accept", format)...)
				wantStatus(t, w, 400)
				if e := readError(t, w); len(e.ModelState[tc.field]) == 0 {
					t.Errorf("%q (%s): error %+v does not name %s", tc.query, format, e, tc.field)
				}
			}
		}
		w = f.do("POST", "/v1/Profile/getRatings", `{"UserID":20,"FeedbackPerPage":5000}`, f.withKey("Content-Type", "application/json")...)
		wantStatus(t, w, 400)
		if e := readError(t, w); len(e.ModelState["FeedbackPerPage"]) == 0 {
			t.Errorf("POST error %+v", e)
		}
		// Unknown and inactive members; and the key is required.
		for _, id := range []string{"99", "12345"} { // unknown
			wantStatus(t, f.do("GET", "/v1/Profile/getRatings?UserID="+id+"&ReturnOverview=true", "", f.withKey()...), 404)
		}
		gone := storetest.NewMember(21, "Gone")
		gone.IsActive = false
		if err := f.st.InsertMembers(context.Background(), []awapi.Member{gone}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, f.do("GET", "/v1/Profile/getRatings?UserID=21", "", f.withKey()...), 404)
		wantStatus(t, f.do("GET", "/v1/Profile/getRatings?UserID=20", ""), 401)
	})
}

type fieldReportView struct {
	FieldReport struct {
		ReportID int64
		User     struct {
			UserID                                 int64
			Nickname                               string
			IsEscort, IsWebcam, AvailableNowWebcam bool
			Ratings                                Ratings
			Images                                 map[string]any
		}
		Author                                       FieldReportAuthor
		CreatedDate, MeetDate                        string
		InCall, OutCall, Recommended, VisitAgain     bool
		Rating                                       int
		Title, Report, Country, Region, County, Town string
		CountryID, RegionID, CountyID                int
	}
}

func TestGetFieldReport(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		ids := addReviews(t, f)
		w := f.do("GET", "/v1/fieldreport/getFieldReport?ReportID="+strconv.FormatInt(ids[0], 10), "", f.withKey()...)
		wantStatus(t, w, 200)
		var v fieldReportView
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		r := v.FieldReport
		if r.ReportID != ids[0] || r.User.UserID != 20 || r.User.Nickname != "Scarlett" || !r.User.IsEscort || !r.User.IsWebcam ||
			!r.User.AvailableNowWebcam || r.User.Ratings.Ratings != 5 || r.Author != (FieldReportAuthor{UserID: 1, Nickname: "Client"}) ||
			r.CreatedDate != "2026-11-24T12:00:00" || r.MeetDate != "2026-11-20T00:00:00" || !r.InCall || r.OutCall ||
			!r.Recommended || !r.VisitAgain || r.Rating != 9 || r.Title != "Lovely" || r.Report != "A lovely evening." ||
			r.Country != "United Kingdom" || r.Region != "London" || r.County != "Central London" || r.Town != "Westminster" {
			t.Errorf("report = %+v", r)
		}
		im := r.User.Images
		if im["HasImage1"] != true || im["Image1ThumbnailURL"] != "https://cdn.adultwork.com/images/t/20_1.jpg" ||
			im["Image2Description"] != "Dressed" || im["HasImage3"] != false {
			t.Errorf("images = %v", im)
		}

		// X-MaskImages: image 1 is not safe (all four URLs masked), image 2 is.
		w = f.do("GET", "/v1/FieldReport/getFieldReport?ReportID="+strconv.FormatInt(ids[0], 10), "", f.withKey("X-MaskImages", "1")...)
		v = fieldReportView{}
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		im = v.FieldReport.User.Images
		for _, k := range []string{"Image1ThumbnailURL", "Image1MediumURL", "Image1LargeURL", "Image1SquareURL"} {
			if im[k] != web.MaskedImageURL {
				t.Errorf("masked %s = %v", k, im[k])
			}
		}
		if im["Image2LargeURL"] != "https://cdn.adultwork.com/images/l/20_2.jpg" {
			t.Errorf("safe image masked: %v", im["Image2LargeURL"])
		}

		w = f.do("GET", "/v1/FieldReport/getFieldReport?ReportID="+strconv.FormatInt(ids[1], 10), "", f.withKey("Accept", "application/xml")...)
		wantStatus(t, w, 200)
		var x struct {
			XMLName     xml.Name `xml:"FieldReportOutput"`
			FieldReport struct {
				ReportID int64
				Author   struct{ Nickname string }
				OutCall  bool
				User     struct{ Images struct{ HasImage2 bool } }
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != "http://schemas.datacontract.org/2004/07/API.Models.FieldReport" || x.FieldReport.ReportID != ids[1] ||
			x.FieldReport.Author.Nickname != "MemberTwo" || !x.FieldReport.OutCall || !x.FieldReport.User.Images.HasImage2 {
			t.Errorf("XML = %s", w.Body)
		}

		wantStatus(t, f.do("GET", "/v1/FieldReport/getFieldReport?ReportID=999999", "", f.withKey()...), 404)
		for _, q := range []string{"", "ReportID=0", "ReportID=abc"} {
			w := f.do("GET", "/v1/FieldReport/getFieldReport?"+q, "", f.withKey()...)
			wantStatus(t, w, 400)
			if e := readError(t, w); len(e.ModelState["ReportID"]) == 0 {
				t.Errorf("%q: %+v", q, e)
			}
		}
	})
}

func TestSearchFieldReports(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		ids := addReviews(t, f)
		type page struct {
			PageCount, PageNumber, ReportsTotal, ReportsPerPage int
			FieldReports                                        []struct {
				ReportID int64
				User     struct {
					UserID               int64
					Nickname             string
					ProfileThumbnailSafe bool
					ProfileThumbnailURL  string
					Ratings              Ratings
				}
				Author              FieldReportAuthor
				Title, Town, Region string
				Rating              int
			}
		}
		search := func(t *testing.T, query string, headers ...string) page {
			t.Helper()
			w := f.do("GET", "/v1/search/searchFieldReports?"+query, "", f.withKey(headers...)...)
			wantStatus(t, w, 200)
			var p page
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		reportIDs := func(p page) []int64 {
			var out []int64
			for _, r := range p.FieldReports {
				out = append(out, r.ReportID)
			}
			return out
		}
		for _, tc := range []struct {
			query string
			want  []int64
		}{
			{"", []int64{ids[1], ids[0]}},
			{"OrderBy=createddate-asc", []int64{ids[0], ids[1]}},
			{"OrderBy=meetdate-desc", []int64{ids[1], ids[0]}},
			{"OrderBy=meetdate-asc", []int64{ids[0], ids[1]}},
			{"OrderBy=nickname-asc", []int64{ids[1], ids[0]}},
			{"InCall=true", []int64{ids[0]}},
			{"outCall=true", []int64{ids[1]}},
			{"Recommended=true&VisitAgain=true", []int64{ids[0]}},
			{"Nickname=SCAR&GenderID=1&UserID=20", []int64{ids[1], ids[0]}},
			{"GenderID=2", nil},
			{"ReportID=" + strconv.FormatInt(ids[1], 10), []int64{ids[1]}},
			{"CreatedDateFrom=2026-11-25", []int64{ids[1]}},
			{"CreatedDateTo=2026-11-24", []int64{ids[0]}},
			{"MeetDateFrom=2026-11-19&MeetDateTo=2026-11-20", []int64{ids[0]}},
			{"MinReports=2", []int64{ids[1], ids[0]}},
			{"MinReports=3", nil},
			{"CountryID=158&RegionID=7&CountyID=31", []int64{ids[0]}},
			{"PageSize=1&PageNumber=2", []int64{ids[0]}},
		} {
			if got := reportIDs(search(t, tc.query)); !slices.Equal(got, tc.want) {
				t.Errorf("%q: reports %v, want %v", tc.query, got, tc.want)
			}
		}
		p := search(t, "ReportsPerPage=1", "X-MaskImages", "1")
		if p.PageCount != 2 || p.PageNumber != 1 || p.ReportsTotal != 2 || p.ReportsPerPage != 1 || len(p.FieldReports) != 1 {
			t.Fatalf("page = %+v", p)
		}
		r := p.FieldReports[0]
		if r.User.UserID != 20 || r.User.Nickname != "Scarlett" || r.User.ProfileThumbnailURL != web.MaskedImageURL ||
			r.User.Ratings.Total != 2 || r.Author.Nickname != "MemberTwo" || r.Title != "Fine" || r.Region != "London" || r.Rating != 5 {
			t.Errorf("summary = %+v", r)
		}

		w := f.do("GET", "/v1/Search/searchFieldReports?MinReports=1", "", f.withKey("Accept", "application/xml")...)
		wantStatus(t, w, 200)
		var x struct {
			XMLName      xml.Name `xml:"SearchFieldReportsOutput"`
			ReportsTotal int
			FieldReports struct {
				Items []struct{ Title string } `xml:"FieldReportSummary"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != "http://schemas.datacontract.org/2004/07/API.Models.Search" || x.ReportsTotal != 2 ||
			len(x.FieldReports.Items) != 2 || x.FieldReports.Items[0].Title != "Fine" {
			t.Errorf("XML = %s", w.Body)
		}

		for _, tc := range []struct{ query, field string }{
			{"UserID=-1", "UserID"},
			{"ReportID=-1", "ReportID"},
			{"GenderID=99", "GenderID"},
			{"Nickname=" + strings.Repeat("a", 21), "Nickname"},
			{"CreatedDateFrom=26-11-2026", "CreatedDateFrom"},
			{"CreatedDateTo=2026-13-01", "CreatedDateTo"},
			{"MeetDateFrom=tomorrow", "MeetDateFrom"},
			{"MeetDateTo=2026-02-30", "MeetDateTo"},
			{"CreatedDateFrom=2026-11-25&CreatedDateTo=2026-11-24", "CreatedDateFrom"},
			{"MeetDateFrom=2026-11-25&MeetDateTo=2026-11-24", "MeetDateFrom"},
			{"InCall=yes", "InCall"},
			{"MinReports=-1", "MinReports"},
			{"CountryID=99999", "CountryID"},
			{"CountryID=158&RegionID=99999", "RegionID"},
			{"RegionID=7&CountyID=99999", "CountyID"},
			{"OrderBy=rating", "OrderBy"},
			{"ReportsPerPage=101", "ReportsPerPage"},
			{"ReportsPerPage=0", "ReportsPerPage"},
			{"PageNumber=0", "PageNumber"},
		} {
			for _, format := range []string{"application/json", "application/xml"} {
				w := f.do("GET", "/v1/Search/searchFieldReports?"+tc.query, "", f.withKey("Accept", format)...)
				wantStatus(t, w, 400)
				if e := readError(t, w); len(e.ModelState[tc.field]) == 0 {
					t.Errorf("%q (%s): error %+v does not name %s", tc.query, format, e, tc.field)
				}
			}
		}
		wantStatus(t, f.do("GET", "/v1/Search/searchFieldReports", ""), 401)
	})
}
