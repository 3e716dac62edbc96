package httpapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strconv"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/web"
)

// addReviews stores, beside addProfileMember's member 20 (four escort ratings by Client, one disputed),
// a webcam rating by MemberOne and two field reports on 20 by Client (1) and MemberTwo (4).
func addReviews(t *testing.T, f *fixture) (reportIDs []int64) {
	t.Helper()
	addProfileMember(t, f)
	ctx := context.Background()
	if err := f.St.InsertRatings(ctx, []awapi.Rating{{UserID: 20, RaterID: 3, Service: awapi.ServiceWebcam, Score: 1,
		Feedback: "Great cam", RatedAt: apitest.Now.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if err := f.St.InsertFieldReports(ctx, []awapi.FieldReport{
		{UserID: 20, AuthorID: 1, Created: apitest.Now.Add(-48 * time.Hour), MeetDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
			InCall: true, Recommended: true, VisitAgain: true, Rating: 9, Title: "Lovely", Report: "A lovely evening.",
			CountryID: 158, RegionID: 7, CountyID: 31, Town: "Westminster"},
		{UserID: 20, AuthorID: 4, Created: apitest.Now.Add(-time.Hour), MeetDate: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
			OutCall: true, Rating: 5, Title: "Fine", Report: "Fine.", CountryID: 158, RegionID: 7},
	}); err != nil {
		t.Fatal(err)
	}
	fs, _, err := f.St.SearchFieldReports(ctx, awapi.FieldReportQuery{Order: awapi.ReportsOldest, Page: awapi.Page{Number: 1, Size: 10}})
	if err != nil || len(fs) != 2 {
		t.Fatalf("reports: %v %v", fs, err)
	}
	return []int64{fs[0].ReportID, fs[1].ReportID}
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
		w := f.Do("GET", "/v1/fieldreport/getFieldReport?ReportID="+strconv.FormatInt(ids[0], 10), "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
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
		w = f.Do("GET", "/v1/FieldReport/getFieldReport?ReportID="+strconv.FormatInt(ids[0], 10), "", f.WithKey("X-MaskImages", "1")...)
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

		w = f.Do("GET", "/v1/FieldReport/getFieldReport?ReportID="+strconv.FormatInt(ids[1], 10), "", f.WithKey("Accept", "application/xml")...)
		apitest.WantStatus(t, w, 200)
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

		apitest.WantStatus(t, f.Do("GET", "/v1/FieldReport/getFieldReport?ReportID=999999", "", f.WithKey()...), 404)
		for _, q := range []string{"", "ReportID=0", "ReportID=abc"} {
			w := f.Do("GET", "/v1/FieldReport/getFieldReport?"+q, "", f.WithKey()...)
			apitest.WantStatus(t, w, 400)
			if e := apitest.ReadError(t, w); len(e.ModelState["ReportID"]) == 0 {
				t.Errorf("%q: %+v", q, e)
			}
		}
	})
}
