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
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// summaryFields is every profile summary field api-v1.md §5 lists, as clients read them.
var summaryFields = strings.Fields(`LocationProximityMiles LocationProximityKilometres HasProfileThumbnail
	ProfileThumbnailSafe ProfileThumbnailURL ProfileSquareSafe ProfileSquareURL UserID NickName Summary Gender Age
	Orientation Country Region County Town NationalityID Nationality NationalityISO2 Views MemberSince LastLoggedIn
	Verified IsEscort DoesOutCalls DoesInCalls IsWebcam IsPhoneChat IsSMSChat IsAlternative IsOtherServices
	IsDirectCam IsDirectChat AvailableTodayEscort AvailableNowWebcam AvailableNowPhoneChat HasGallery
	HasPrivateGallery HasMovieClips HasMovieRentals HasSaleItems IsCouple InGroup GroupName GroupID ProfileURL
	RatingsURL HasBlog LastUpdated IsBlacklisted IsOnTour HasPhoneNumber Ratings`)

type profileTestReq struct {
	UserID         int64 `api:"required"`
	DistanceMetres int   // 0: not a location search
}

// ProfileTestOutput carries the summary and the Images block of one member.
type ProfileTestOutput struct {
	Profile ProfileSummary
	Images  Images
}

// addProfileMember stores member 20: a performer in group 1 with profile facts, image 1 unsafe and
// image 2 safe, a tour covering today and four ratings (one disputed).
func addProfileMember(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	m := storetest.NewMember(20, "Scarlett")
	m.GroupID, m.GenderID, m.OrientationID, m.RegionID, m.CountyID, m.Town, m.PostCode = 1, 1, 2, 7, 31, "Westminster", "SW1A"
	m.Summary, m.IsEscort, m.IsWebcam, m.MobileNumber = "Hello from Westminster.", true, true, "07700900020"
	m.ProfileFacts = awapi.ProfileFacts{NationalityID: 158, DoesInCalls: true, HasGallery: true, HasBlog: true,
		AvailableEscortOn: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), WebcamAvailableUntil: apitest.Now.Add(time.Hour),
		PhoneChatAvailableUntil: apitest.Now.Add(-time.Hour)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.St.InsertMembers(ctx, []awapi.Member{m}))
	must(f.St.InsertProfileImages(ctx, []awapi.ProfileImage{{UserID: 20, Number: 1, Description: "Me"}, {UserID: 20, Number: 2, Safe: true, Description: "Dressed"}}))
	must(f.St.InsertTours(ctx, []awapi.Tour{{UserID: 20, CountryID: 158, RegionID: 7, DateFrom: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		DateTo: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Created: apitest.Now}}))
	rate := func(score int, disputed bool) awapi.Rating {
		return awapi.Rating{UserID: 20, RaterID: 1, Service: awapi.ServiceEscort, Score: score, RatedAt: apitest.Now, Disputed: disputed}
	}
	must(f.St.InsertRatings(ctx, []awapi.Rating{rate(1, false), rate(1, false), rate(0, false), rate(-1, true)}))
}

// profileTestEndpoint answers a member's summary and Images block, which every area renders alike.
func profileTestEndpoint(f *fixture) *web.Endpoint {
	return web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Test/ProfileSummary", Auth: web.AuthKey},
		func(ctx context.Context, c *web.Call, r *profileTestReq) (ProfileTestOutput, error) {
			ps, err := f.St.Profiles(ctx, []int64{r.UserID}, c.Now)
			if err != nil || len(ps) == 0 {
				return ProfileTestOutput{}, awapi.NotFound("The member")
			}
			var km *float64
			if r.DistanceMetres > 0 {
				v := float64(r.DistanceMetres) / 1000
				km = &v
			}
			return ProfileTestOutput{Profile: ProfileSummaryOf(c, &ps[0], km), Images: ImagesOf(&ps[0])}, nil
		})
}

func TestProfileSummaryJSON(t *testing.T) {
	forEngines(t, testProfileSummaryJSON)
}

func testProfileSummaryJSON(t *testing.T, f *fixture) {
	addProfileMember(t, f)
	w := f.Do("GET", "/v1/Test/ProfileSummary?UserID=20&DistanceMetres=16093", "", f.WithKey()...)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var out struct {
		Profile map[string]any
		Images  map[string]any
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range out.Profile {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Beyond §5's list: the two names client code reads in camelCase (nickname, isLoggedInNow).
	want := slices.Sorted(slices.Values(append(slices.Clone(summaryFields), "Nickname", "IsLoggedInNow")))
	if !slices.Equal(keys, want) {
		t.Fatalf("summary fields\n got %v\nwant %v", keys, want)
	}
	p := out.Profile
	pid := f.projectID()
	checks := map[string]any{
		"UserID": 20.0, "NickName": "Scarlett", "Nickname": "Scarlett", "IsLoggedInNow": false, "Gender": "Female", "Orientation": "Bisexual", "Age": 36.0,
		"Country": "United Kingdom", "Region": "London", "County": "Central London", "Town": "Westminster",
		"NationalityID": 158.0, "Nationality": "British", "NationalityISO2": "GB",
		"LocationProximityKilometres": 16.1, "LocationProximityMiles": 10.0,
		"MemberSince": "2025-11-26T12:00:00", "LastLoggedIn": "2026-11-26T11:00:00", "LastUpdated": "2026-10-26T12:00:00",
		"HasProfileThumbnail": true, "ProfileThumbnailSafe": false,
		"ProfileThumbnailURL": "https://cdn.adultwork.com/images/t/20_1.jpg",
		"ProfileSquareURL":    "https://cdn.adultwork.com/images/sq/40/20_1.jpg",
		"InGroup":             true, "GroupID": 1.0, "GroupName": "One", "IsOnTour": true, "HasPhoneNumber": true,
		"AvailableTodayEscort": true, "AvailableNowWebcam": true, "AvailableNowPhoneChat": false,
		"IsCouple": false, "DoesInCalls": true, "DoesOutCalls": false, "HasGallery": true, "HasBlog": true,
		"ProfileURL": "http://refer.adultwork.com/?PID=" + pid + "&T=https%3A%2F%2Fwww.adultwork.com%2FViewProfile.asp%3FUserID%3D20",
		"Ratings":    map[string]any{"Total": 1.0, "Positive": 2.0, "Neutral": 1.0, "Negative": 1.0, "Ratings": 4.0, "Disputes": 1.0},
	}
	for k, v := range checks {
		if got := p[k]; !jsonEqual(got, v) {
			t.Errorf("%s = %#v, want %#v", k, got, v)
		}
	}
	img := out.Images
	if img["HasImage1"] != true || img["HasImage2"] != true || img["HasImage3"] != false ||
		img["Image2LargeURL"] != "https://cdn.adultwork.com/images/l/20_2.jpg" || img["Image2Description"] != "Dressed" ||
		img["Image3ThumbnailURL"] != "" {
		t.Errorf("Images = %v", img)
	}

	// Without a location the proximity fields are null.
	w = f.Do("GET", "/v1/Test/ProfileSummary?UserID=20", "", f.WithKey("X-CaseType", "camelcase")...)
	var camel struct{ Profile map[string]any }
	if err := json.Unmarshal(w.Body.Bytes(), &camel); err != nil {
		t.Fatal(err)
	}
	if v, ok := camel.Profile["locationProximityMiles"]; !ok || v != nil {
		t.Errorf("locationProximityMiles = %v (present %v), want null", v, ok)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// projectID is the main project's ID as text.
func (f *fixture) projectID() string {
	p, _, err := f.St.ProjectByAPIKey(context.Background(), awapi.HashSecret(f.Key))
	if err != nil {
		f.T.Fatal(err)
	}
	return strconv.FormatInt(p.ProjectID, 10)
}

// TestProfileSummaryMasking checks X-MaskImages on the summary and the Images block in both formats:
// image 1 is unsafe (so the profile thumbnail and square and Image1's four URLs are masked), image 2
// is safe, and the profile and ratings links are never images.
func TestProfileSummaryMasking(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addProfileMember(t, f)
		unsafe := []string{"images/t/20_1.jpg", "images/sq/40/20_1.jpg", "images/m/20_1.jpg", "images/l/20_1.jpg"}
		safe := []string{"images/t/20_2.jpg", "images/m/20_2.jpg", "images/l/20_2.jpg", "images/sq/40/20_2.jpg", "ViewProfile.asp"}
		for _, fm := range apitest.Formats {
			for _, mask := range []string{"", "1"} {
				w := f.Do("GET", "/v1/Test/ProfileSummary?UserID=20", "", f.WithKey("Accept", fm.Accept, "X-MaskImages", mask)...)
				body := w.Body.String()
				if w.Code != 200 || w.Header().Get("Content-Type") != fm.CType {
					t.Fatalf("%s: %d %s", fm.Name, w.Code, body)
				}
				for _, u := range unsafe {
					if strings.Contains(body, u) == (mask == "1") {
						t.Errorf("%s mask=%q: %s present=%v", fm.Name, mask, u, strings.Contains(body, u))
					}
				}
				for _, u := range safe {
					if !strings.Contains(body, u) {
						t.Errorf("%s mask=%q: safe %s missing", fm.Name, mask, u)
					}
				}
				// Profile thumbnail + square + Image1's four renditions.
				if n := strings.Count(body, web.MaskedImageURL); (mask == "1" && n != 6) || (mask == "" && n != 0) {
					t.Errorf("%s mask=%q: %d masked URLs", fm.Name, mask, n)
				}
			}
		}
		// XML: DataContract shape, null proximity, the Ratings block.
		w := f.Do("GET", "/v1/Test/ProfileSummary?UserID=20", "", f.WithKey("Accept", "application/xml")...)
		var x struct {
			XMLName xml.Name `xml:"ProfileTestOutput"`
			Profile struct {
				NickName               string
				LocationProximityMiles struct {
					Nil string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
				}
				GroupName string
				Ratings   Ratings
			}
			Images struct{ Image2Description string }
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("%v\n%s", err, w.Body)
		}
		if x.XMLName.Space != web.NamespaceBase+"API.Models.Test" || x.Profile.NickName != "Scarlett" ||
			x.Profile.LocationProximityMiles.Nil != "true" || x.Profile.GroupName != "One" ||
			x.Profile.Ratings != (Ratings{Total: 1, Positive: 2, Neutral: 1, Negative: 1, Ratings: 4, Disputes: 1}) ||
			x.Images.Image2Description != "Dressed" {
			t.Errorf("XML = %+v\n%s", x, w.Body)
		}
	})
}
