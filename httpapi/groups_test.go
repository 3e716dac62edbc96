package httpapi

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/sqlstore/storetest"
	"github.com/awapi/awapi/web"
)

// groupView is getGroupDetails read back from JSON.
type groupView struct {
	GroupID   int64
	GroupName string
	Details   *struct {
		Details, Country, Region, County, Town, PostCode string
		Website, PhoneNumber                             *string
	}
	Images *struct {
		HasImage1, Image1Safe, HasImage2   bool
		Image1ThumbnailURL, Image2LargeURL string
	}
	OpeningHours []struct {
		DayOfWeek         string
		IsOpen            bool
		OpensAt, ClosesAt *string
	}
	Members *struct {
		PageCount, PageNumber, MembersPerPage, MembersTotal int
		Members                                             []struct {
			Profile struct {
				UserID    int64
				NickName  string
				GroupName *string
			}
			Images *struct {
				HasImage1          bool
				Image1ThumbnailURL string
			}
			EscortRates []struct {
				RateBreakID     int
				RateBreak       string
				InCall, OutCall *float64
			}
		}
	}
}

// addGroupData gives group 1 ("One": 2 Manager, 3 MemberOne, 21 Nadia) a page, opening hours, images
// and its members escort rates.
func addGroupData(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	nadia := storetest.NewMember(21, "Nadia")
	nadia.GroupID = 1
	nadia.LastUpdated = apitest.Now.Add(-time.Hour) // most recently updated of the group
	if err := f.St.InsertMembers(ctx, []awapi.Member{nadia}); err != nil {
		t.Fatal(err)
	}
	if err := f.St.InsertProfileImages(ctx, []awapi.ProfileImage{{UserID: 3, Number: 1, Safe: true}}); err != nil {
		t.Fatal(err)
	}
	if err := f.St.SetGroupProfiles(ctx, []awapi.GroupProfile{{
		Group: awapi.Group{GroupID: 1},
		GroupInfo: awapi.GroupInfo{Details: "A friendly agency.", Website: "https://one.example", CountryID: 158, RegionID: 7,
			CountyID: 31, Town: "Westminster", PostCode: "SW1A"},
		OpeningHours: []awapi.OpeningHours{{Weekday: time.Monday, Opens: 10 * 60, Closes: 2 * 60}, {Weekday: time.Sunday, Opens: 12 * 60, Closes: 18*60 + 30}},
		Images:       []awapi.GroupImage{{Number: 1, Safe: false, Description: "Front"}, {Number: 2, Safe: true}},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := f.St.InsertEscortRates(ctx, []awapi.EscortRate{
		{UserID: 3, RateBreakID: awapi.RateBreakOneHour, InCall: 150_00, OutCall: 180_50},
		{UserID: 3, RateBreakID: 7, InCall: 60_00}, // 15 mins: listed first (duration order)
		{UserID: 2, RateBreakID: awapi.RateBreakOneHour, InCall: 120_00},
	}); err != nil {
		t.Fatal(err)
	}
}

func getGroup(t *testing.T, f *fixture, query string, headers ...string) groupView {
	t.Helper()
	w := f.Do("GET", "/v1/Groups/getGroupDetails?"+query, "", f.WithKey(headers...)...)
	apitest.WantStatus(t, w, 200)
	var g groupView
	if err := json.Unmarshal(w.Body.Bytes(), &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGetGroupDetails(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addGroupData(t, f)
		all := "ReturnDetails=true&ReturnImages=true&ReturnOpeningHours=true&ReturnMembers=true&ReturnMemberImages=true&ReturnMemberEscortRates=true"
		g := getGroup(t, f, "GroupID=1&"+all)
		if g.GroupID != 1 || g.GroupName != "One" || g.Details == nil || g.Details.Details != "A friendly agency." ||
			*g.Details.Website != "https://one.example" || g.Details.PhoneNumber != nil || g.Details.Region != "London" ||
			g.Details.Country != "United Kingdom" || g.Details.Town != "Westminster" {
			t.Fatalf("group = %+v details %+v", g, g.Details)
		}
		var days []string
		for _, d := range g.OpeningHours {
			days = append(days, d.DayOfWeek)
		}
		if want := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}; !reflect.DeepEqual(days, want) {
			t.Errorf("OpeningHours days = %v", days)
		}
		mon, tue, sun := g.OpeningHours[0], g.OpeningHours[1], g.OpeningHours[6]
		if !mon.IsOpen || *mon.OpensAt != "10:00" || *mon.ClosesAt != "02:00" || tue.IsOpen || tue.OpensAt != nil || *sun.ClosesAt != "18:30" {
			t.Errorf("Monday %+v Tuesday %+v Sunday %+v", mon, tue, sun)
		}
		if im := g.Images; im == nil || !im.HasImage1 || im.Image1Safe || !im.HasImage2 ||
			im.Image1ThumbnailURL != "https://cdn.adultwork.com/images/groups/t/1_1.jpg" {
			t.Errorf("Images = %+v", g.Images)
		}
		ms := g.Members
		if ms == nil || ms.MembersTotal != 3 || ms.PageCount != 1 || ms.PageNumber != 1 || ms.MembersPerPage != 50 || len(ms.Members) != 3 {
			t.Fatalf("Members = %+v", ms)
		}
		// Default order: last updated first, ties newest UserID first.
		var ids []int64
		for _, m := range ms.Members {
			ids = append(ids, m.Profile.UserID)
		}
		if !reflect.DeepEqual(ids, []int64{21, 3, 2}) {
			t.Errorf("member order = %v", ids)
		}
		m3 := ms.Members[1]
		if *m3.Profile.GroupName != "One" || m3.Images == nil || !m3.Images.HasImage1 || ms.Members[0].Images.HasImage1 {
			t.Errorf("member 3 = %+v", m3)
		}
		if r := m3.EscortRates; len(r) != 2 || r[0].RateBreakID != 7 || r[1].RateBreak != "1 Hour" || *r[1].InCall != 150 ||
			*r[1].OutCall != 180.5 || r[0].OutCall != nil {
			t.Errorf("member 3 EscortRates = %+v", r)
		}
		if r := ms.Members[0].EscortRates; r == nil || len(r) != 0 {
			t.Errorf("member without rates: %+v (want an empty list)", r)
		}

		// Nothing asked for: every part null.
		w := f.Do("GET", "/v1/groups/getgroupdetails?groupname=oNE", "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		if want := `{"GroupID":1,"GroupName":"One","Details":null,"Images":null,"OpeningHours":null,"Members":null}`; w.Body.String() != want {
			t.Errorf("bare group = %s", w.Body)
		}
		if g := getGroup(t, f, "GroupID=1&GroupName=one&ReturnMembers=true&ReturnOpeningHours=true&GroupID=1"); g.Members.Members[0].Images != nil ||
			g.Members.Members[0].EscortRates != nil {
			t.Errorf("member images or rates without their switches: %+v", g.Members.Members[0])
		}
		// A group without opening hours answers an empty list, not seven closed days.
		if g := getGroup(t, f, "GroupID=2&ReturnOpeningHours=true&ReturnDetails=true"); g.OpeningHours == nil || len(g.OpeningHours) != 0 ||
			g.Details.Website != nil {
			t.Errorf("group 2 = %+v", g)
		}

		// Orderings and paging.
		order := func(query string) []int64 {
			t.Helper()
			var ids []int64
			for _, m := range getGroup(t, f, "GroupID=1&ReturnMembers=true&"+query).Members.Members {
				ids = append(ids, m.Profile.UserID)
			}
			return ids
		}
		for _, tc := range []struct {
			query string
			want  []int64
		}{
			{"OrderBy=inrates-asc", []int64{2, 3, 21}},
			{"OrderBy=INRATES-DESC", []int64{3, 2, 21}},
			{"OrderBy=outrates-asc", []int64{3, 2, 21}},
			{"OrderBy=nickname-asc", []int64{2, 3, 21}},
			{"OrderBy=inrates-asc&MembersPerPage=2&PageNumber=2", []int64{21}},
			{"MembersPerPage=2&PageNumber=3", nil},
		} {
			if got := order(tc.query); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
			}
		}
		if ms := getGroup(t, f, "GroupID=1&ReturnMembers=true&MembersPerPage=2").Members; ms.PageCount != 2 || ms.MembersPerPage != 2 {
			t.Errorf("paging = %+v", ms)
		}

		// X-MaskImages masks the group's unsafe image 1 and leaves the safe image 2.
		if im := getGroup(t, f, "GroupID=1&ReturnImages=true", "X-MaskImages", "1").Images; im.Image1ThumbnailURL != web.MaskedImageURL ||
			im.Image2LargeURL != "https://cdn.adultwork.com/images/groups/l/1_2.jpg" {
			t.Errorf("masked Images = %+v", im)
		}

		for _, fm := range apitest.Formats {
			for _, q := range []string{"GroupID=99", "GroupName=Nobody", "GroupID=1&GroupName=Two"} {
				w := f.Do("GET", "/v1/Groups/getGroupDetails?"+q, "", f.WithKey("Accept", fm.Accept)...)
				apitest.WantStatus(t, w, 404)
				if e := apitest.ReadError(t, w); e.Code != "not_found" {
					t.Errorf("%s %s: %+v", fm.Name, q, e)
				}
			}
			bad := []struct {
				query  string
				fields []string
			}{
				{"", []string{"GroupID", "GroupName"}},
				{"GroupName=%20%20", []string{"GroupID", "GroupName"}},
				{"GroupID=0", []string{"GroupID"}},
				{"GroupID=x", []string{"GroupID"}},
				{"GroupID=1&MembersPerPage=0", []string{"MembersPerPage"}},
				{"GroupID=1&MembersPerPage=101", []string{"MembersPerPage"}},
				{"GroupID=1&PageNumber=0", []string{"PageNumber"}},
				{"GroupID=1&OrderBy=distance", []string{"OrderBy"}},
				{"GroupID=1&ReturnMembers=maybe", []string{"ReturnMembers"}},
				{"GroupName=" + strings.Repeat("g", 101), []string{"GroupName"}},
			}
			for _, b := range bad {
				w := f.Do("GET", "/v1/Groups/getGroupDetails?"+b.query, "", f.WithKey("Accept", fm.Accept)...)
				apitest.WantStatus(t, w, 400)
				e := apitest.ReadError(t, w)
				for _, fld := range b.fields {
					if len(e.ModelState[fld]) == 0 {
						t.Errorf("%s %q: ModelState %v lacks %s", fm.Name, b.query, e.ModelState, fld)
					}
				}
			}
		}
		apitest.WantStatus(t, f.Do("GET", "/v1/Groups/getGroupDetails?GroupID=1", ""), 401)

		// XML: DataContract root and namespace, arrays wrapped, nulls as i:nil.
		w = f.Do("GET", "/v1/Groups/getGroupDetails?GroupID=1&"+all, "", f.WithKey("Accept", "application/xml")...)
		apitest.WantStatus(t, w, 200)
		body := w.Body.String()
		for _, want := range []string{
			`<Group xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Groups">`,
			`<OpeningHours><OpeningDay><ClosesAt>02:00</ClosesAt><DayOfWeek>Monday</DayOfWeek><IsOpen>true</IsOpen><OpensAt>10:00</OpensAt></OpeningDay>`,
			`<OpeningDay><ClosesAt i:nil="true"/><DayOfWeek>Tuesday</DayOfWeek>`,
			`<Members><Members><GroupMember><EscortRates></EscortRates><Images>`,
			`<EscortRate><InCall>60.00</InCall><OutCall i:nil="true"/><RateBreak>15 mins</RateBreak><RateBreakID>7</RateBreakID></EscortRate>`,
			`<MembersTotal>3</MembersTotal>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("XML lacks %s\n%s", want, body)
			}
		}
	})
}

// TestGroupAndTourBlacklistMarks: a member calling with a token sees IsBlacklisted on the group
// members and touring members they blacklisted; an API-key call marks nobody.
func TestGroupAndTourBlacklistMarks(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		addGroupData(t, f)
		ctx := context.Background()
		if err := f.St.InsertTours(ctx, []awapi.Tour{{UserID: 3, CountryID: 158, RegionID: 7, CountyID: 31, Town: "Westminster",
			PostCode: "SW1A", DateFrom: apitest.Now, DateTo: apitest.Now.AddDate(0, 0, 2), Created: apitest.Now}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.St.AddToBlacklist(ctx, 1, []int64{3}, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		marked := func(path string, auth ...string) map[int64]bool {
			w := f.Do("GET", path, "", auth...)
			apitest.WantStatus(t, w, 200)
			var v struct {
				Members *struct {
					Members []struct {
						Profile struct {
							UserID        int64
							IsBlacklisted bool
						}
					}
				}
				Tours []struct {
					User struct {
						UserID        int64
						IsBlacklisted bool
					}
				}
			}
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			out := map[int64]bool{}
			if v.Members != nil {
				for _, m := range v.Members.Members {
					out[m.Profile.UserID] = m.Profile.IsBlacklisted
				}
			}
			for _, tr := range v.Tours {
				out[tr.User.UserID] = tr.User.IsBlacklisted
			}
			return out
		}
		group, tours := "/v1/Groups/getGroupDetails?GroupID=1&ReturnMembers=true", "/v1/Search/searchTours?CountryID=158&RegionID=7"
		if got := marked(group, f.Bearer("client")...); len(got) != 3 || !got[3] || got[2] || got[21] {
			t.Errorf("group members as member 1: %v", got)
		}
		if got := marked(tours, f.Bearer("client")...); len(got) != 1 || !got[3] {
			t.Errorf("tours as member 1: %v", got)
		}
		if got := marked(group, f.WithKey()...); len(got) != 3 || got[3] {
			t.Errorf("group members with the API key: %v", got)
		}
	})
}
