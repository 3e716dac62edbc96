package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// reviewFixture stores performers 20 Perf (female), 21 Zoe (male), 22 Gone (inactive) and clients
// 30 alice, 31 Bob, 32 carl.
func reviewFixture(t *testing.T, st awapi.Store) {
	t.Helper()
	zoe, gone := NewMember(21, "Zoe"), NewMember(22, "Gone")
	zoe.GenderID, gone.IsActive = 2, false
	ms := []awapi.Member{NewMember(20, "Perf"), zoe, gone}
	for i, nick := range []string{"alice", "Bob", "carl"} {
		c := NewMember(int64(30+i), nick)
		c.UserTypeID = awapi.UserTypeSeeking
		ms = append(ms, c)
	}
	must(t, st.InsertMembers(ctx, ms))
}

func testRatingFeedback(t *testing.T, st awapi.Store) {
	reviewFixture(t, st)
	at := func(h int) time.Time { return t0.Add(-time.Duration(h) * time.Hour) }
	must(t, st.InsertRatings(ctx, []awapi.Rating{
		{UserID: 20, RaterID: 31, Service: awapi.ServiceEscort, Score: 1, Feedback: "b-escort", RatedAt: at(5)},
		{UserID: 20, RaterID: 30, Service: awapi.ServiceWebcam, Score: -1, Feedback: "a-webcam", RatedAt: at(1)},
		{UserID: 20, RaterID: 32, Service: awapi.ServiceEscort, Score: 0, Feedback: "c-escort", RatedAt: at(3)},
		{UserID: 20, RaterID: 30, Service: awapi.ServicePhoneChat, Score: 1, Feedback: "a-phone", RatedAt: at(4)},
		{UserID: 20, RaterID: 30, Service: awapi.ServiceEscort, Score: 1, Feedback: "a-escort", RatedAt: at(2)},
		{UserID: 21, RaterID: 30, Service: awapi.ServiceEscort, Score: 1, Feedback: "zoe", RatedAt: at(1)},
	}))

	sum, err := st.RatingSummary(ctx, 20)
	must(t, err)
	want := awapi.RatingSummary{LastRatingAt: at(1), ByService: []awapi.ServiceRatingCounts{
		{Service: awapi.ServiceEscort, RatingCounts: awapi.RatingCounts{Positive: 2, Neutral: 1}},
		{Service: awapi.ServiceWebcam, RatingCounts: awapi.RatingCounts{Negative: 1}},
		{Service: awapi.ServicePhoneChat, RatingCounts: awapi.RatingCounts{Positive: 1}},
	}}
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("RatingSummary = %+v\nwant %+v", sum, want)
	}
	for _, id := range []int64{22, 99} {
		_, err := st.RatingSummary(ctx, id)
		wantKind(t, err, awapi.KindNotFound)
	}
	if sum, err := st.RatingSummary(ctx, 30); err != nil || len(sum.ByService) != 0 || !sum.LastRatingAt.IsZero() {
		t.Errorf("summary of a member without ratings = %+v, %v", sum, err)
	}

	all := []string{awapi.ServiceEscort, awapi.ServiceWebcam, awapi.ServicePhoneChat, awapi.ServiceSalesAuctions}
	texts := func(q awapi.FeedbackQuery) ([]string, int) {
		t.Helper()
		fs, total, err := st.Feedback(ctx, q)
		must(t, err)
		var out []string
		for _, f := range fs {
			out = append(out, f.Feedback)
		}
		return out, total
	}
	for _, tc := range []struct {
		name     string
		services []string
		order    awapi.FeedbackOrder
		page     awapi.Page
		want     []string
		total    int
	}{
		{"newest", all, awapi.FeedbackNewest, awapi.Page{Number: 1, Size: 10}, []string{"a-webcam", "a-escort", "c-escort", "a-phone", "b-escort"}, 5},
		{"oldest", all, awapi.FeedbackOldest, awapi.Page{Number: 1, Size: 10}, []string{"b-escort", "a-phone", "c-escort", "a-escort", "a-webcam"}, 5},
		// Same rater: the newer rating (higher ID) first.
		{"nickname asc", all, awapi.FeedbackNicknameAsc, awapi.Page{Number: 1, Size: 10}, []string{"a-escort", "a-phone", "a-webcam", "b-escort", "c-escort"}, 5},
		{"nickname desc", all, awapi.FeedbackNicknameDesc, awapi.Page{Number: 1, Size: 10}, []string{"c-escort", "b-escort", "a-escort", "a-phone", "a-webcam"}, 5},
		{"escort only", []string{awapi.ServiceEscort}, awapi.FeedbackNewest, awapi.Page{Number: 1, Size: 10}, []string{"a-escort", "c-escort", "b-escort"}, 3},
		{"two services", []string{awapi.ServiceWebcam, awapi.ServicePhoneChat}, awapi.FeedbackNewest, awapi.Page{Number: 1, Size: 10}, []string{"a-webcam", "a-phone"}, 2},
		{"none for the service", []string{awapi.ServiceSalesAuctions}, awapi.FeedbackNewest, awapi.Page{Number: 1, Size: 10}, nil, 0},
		{"page 2", all, awapi.FeedbackNewest, awapi.Page{Number: 2, Size: 2}, []string{"c-escort", "a-phone"}, 5},
		{"last page", all, awapi.FeedbackNewest, awapi.Page{Number: 3, Size: 2}, []string{"b-escort"}, 5},
		{"past the end", all, awapi.FeedbackNewest, awapi.Page{Number: 4, Size: 2}, nil, 5},
	} {
		got, total := texts(awapi.FeedbackQuery{UserID: 20, Services: tc.services, Order: tc.order, Page: tc.page})
		if !reflect.DeepEqual(got, tc.want) || total != tc.total {
			t.Errorf("%s: feedback %v (total %d), want %v (total %d)", tc.name, got, total, tc.want, tc.total)
		}
	}
	fs, _, err := st.Feedback(ctx, awapi.FeedbackQuery{UserID: 20, Services: all, Order: awapi.FeedbackNewest, Page: awapi.Page{Number: 1, Size: 1}})
	must(t, err)
	f := fs[0]
	if f.RatingID == 0 || f.RaterID != 30 || f.RaterNickname != "alice" || f.Service != awapi.ServiceWebcam || f.Score != -1 ||
		!f.RatedAt.Equal(at(1)) || f.Disputed || f.UserID != 20 {
		t.Errorf("feedback item = %+v", f)
	}

	// Disputes: the flag and the member's counter move together; closing the dispute restores both.
	counters := func() awapi.RatingCounts {
		t.Helper()
		ps, err := st.Profiles(ctx, []int64{20}, t0)
		must(t, err)
		return ps[0].Ratings
	}
	must(t, st.SetRatingDisputed(ctx, f.RatingID, true))
	if c := counters(); c != (awapi.RatingCounts{Positive: 3, Neutral: 1, Negative: 1, Disputes: 1}) {
		t.Errorf("counters after dispute = %+v", c)
	}
	fs, _, err = st.Feedback(ctx, awapi.FeedbackQuery{UserID: 20, Services: []string{awapi.ServiceWebcam}, Order: awapi.FeedbackNewest, Page: awapi.Page{Number: 1, Size: 1}})
	must(t, err)
	if !fs[0].Disputed {
		t.Error("disputed rating reads as undisputed")
	}
	if sum, _ := st.RatingSummary(ctx, 20); sum.ByService[1].Disputes != 1 {
		t.Errorf("webcam summary after dispute = %+v", sum.ByService[1])
	}
	must(t, st.SetRatingDisputed(ctx, f.RatingID, false))
	if c := counters(); c.Disputes != 0 {
		t.Errorf("counters after the dispute closed = %+v", c)
	}
	wantKind(t, st.SetRatingDisputed(ctx, 999999, true), awapi.KindNotFound)
}

// reportFixture adds five reports to reviewFixture's members and returns their IDs in insert order.
func reportFixture(t *testing.T, st awapi.Store) []int64 {
	t.Helper()
	reviewFixture(t, st)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	reports := []awapi.FieldReport{
		{UserID: 20, AuthorID: 30, Created: t0.Add(-48 * time.Hour), MeetDate: day(20), InCall: true, Recommended: true, VisitAgain: true,
			Rating: 9, Title: "Lovely", Report: "A lovely evening.", CountryID: 158, RegionID: 7, CountyID: 0, Town: "Westminster"},
		{UserID: 20, AuthorID: 31, Created: t0.Add(-24 * time.Hour), MeetDate: day(22), OutCall: true, Recommended: true,
			Rating: 7, Title: "Good", Report: "Good company.", CountryID: 158, RegionID: 7},
		{UserID: 21, AuthorID: 30, Created: t0.Add(-72 * time.Hour), MeetDate: day(24), InCall: true,
			Rating: 4, Title: "Late", Report: "Arrived late.", CountryID: 158, RegionID: 3},
		{UserID: 20, AuthorID: 32, Created: t0.Add(-time.Hour), MeetDate: day(18), InCall: true, VisitAgain: true,
			Rating: 8, Title: "Fine", Report: "Fine.", CountryID: 158, RegionID: 3},
		{UserID: 22, AuthorID: 30, Created: t0, MeetDate: day(25), Rating: 5, Title: "Hidden", Report: "On an inactive member.", CountryID: 158},
	}
	must(t, st.InsertFieldReports(ctx, reports[:2]))
	must(t, st.InsertFieldReports(ctx, reports[2:]))
	found, total, err := st.SearchFieldReports(ctx, awapi.FieldReportQuery{Order: awapi.ReportsOldest, Page: awapi.Page{Number: 1, Size: 10}})
	must(t, err)
	if total != 4 {
		t.Fatalf("reports on active members = %d, want 4", total)
	}
	ids := make([]int64, 5)
	for _, f := range found {
		for i, r := range reports {
			if r.Title == f.Title {
				ids[i] = f.ReportID
			}
		}
	}
	return ids
}

func testFieldReports(t *testing.T, st awapi.Store) {
	ids := reportFixture(t, st)
	got, err := st.FieldReport(ctx, ids[0])
	must(t, err)
	want := awapi.FieldReport{ReportID: ids[0], UserID: 20, AuthorID: 30, AuthorNickname: "alice", Created: t0.Add(-48 * time.Hour),
		MeetDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), InCall: true, Recommended: true, VisitAgain: true,
		Rating: 9, Title: "Lovely", Report: "A lovely evening.", CountryID: 158, RegionID: 7, Town: "Westminster"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FieldReport = %+v\nwant %+v", got, want)
	}
	// The report on the inactive member is stored (it has the next ID) but is not found.
	_, err = st.FieldReport(ctx, ids[3]+1)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.FieldReport(ctx, 999999)
	wantKind(t, err, awapi.KindNotFound)
}

func testSearchFieldReports(t *testing.T, st awapi.Store) {
	ids := reportFixture(t, st) // 0 Lovely, 1 Good, 2 Late (Zoe), 3 Fine; 4 Hidden is on an inactive member
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	page := awapi.Page{Number: 1, Size: 10}
	for _, tc := range []struct {
		name  string
		q     awapi.FieldReportQuery
		want  []int // indexes into ids, in order
		total int
	}{
		{"all, newest first", awapi.FieldReportQuery{}, []int{3, 1, 0, 2}, 4},
		{"oldest first", awapi.FieldReportQuery{Order: awapi.ReportsOldest}, []int{2, 0, 1, 3}, 4},
		{"meet date desc", awapi.FieldReportQuery{Order: awapi.ReportsMeetDesc}, []int{2, 1, 0, 3}, 4},
		{"meet date asc", awapi.FieldReportQuery{Order: awapi.ReportsMeetAsc}, []int{3, 0, 1, 2}, 4},
		{"nickname asc, newest report first", awapi.FieldReportQuery{Order: awapi.ReportsNicknameAsc}, []int{3, 1, 0, 2}, 4},
		{"nickname desc", awapi.FieldReportQuery{Order: awapi.ReportsNicknameDesc}, []int{2, 3, 1, 0}, 4},
		{"UserID", awapi.FieldReportQuery{UserID: 21}, []int{2}, 1},
		{"UserID of an inactive member", awapi.FieldReportQuery{UserID: 22}, nil, 0},
		{"Nickname part, any case", awapi.FieldReportQuery{Nickname: "ER"}, []int{3, 1, 0}, 3},
		{"GenderID", awapi.FieldReportQuery{GenderID: 2}, []int{2}, 1},
		{"ReportID", awapi.FieldReportQuery{ReportID: ids[1]}, []int{1}, 1},
		{"created from (whole day)", awapi.FieldReportQuery{CreatedFrom: day(25)}, []int{3, 1}, 2},
		{"created to", awapi.FieldReportQuery{CreatedTo: day(24)}, []int{0, 2}, 2},
		{"created on one day", awapi.FieldReportQuery{CreatedFrom: day(24), CreatedTo: day(24)}, []int{0}, 1},
		{"meet from", awapi.FieldReportQuery{MeetFrom: day(22)}, []int{1, 2}, 2},
		{"meet range", awapi.FieldReportQuery{MeetFrom: day(19), MeetTo: day(22)}, []int{1, 0}, 2},
		{"InCall", awapi.FieldReportQuery{InCall: true}, []int{3, 0, 2}, 3},
		{"OutCall", awapi.FieldReportQuery{OutCall: true}, []int{1}, 1},
		{"Recommended", awapi.FieldReportQuery{Recommended: true}, []int{1, 0}, 2},
		{"VisitAgain and InCall", awapi.FieldReportQuery{VisitAgain: true, InCall: true}, []int{3, 0}, 2},
		{"MinReports 3", awapi.FieldReportQuery{MinReports: 3}, []int{3, 1, 0}, 3},
		{"MinReports 4", awapi.FieldReportQuery{MinReports: 4}, nil, 0},
		{"MinReports 1", awapi.FieldReportQuery{MinReports: 1}, []int{3, 1, 0, 2}, 4},
		{"CountryID", awapi.FieldReportQuery{CountryID: 158}, []int{3, 1, 0, 2}, 4},
		{"RegionID", awapi.FieldReportQuery{RegionID: 3}, []int{3, 2}, 2},
		{"CountyID", awapi.FieldReportQuery{CountyID: 5}, nil, 0},
		{"page 2 of 3", awapi.FieldReportQuery{Page: awapi.Page{Number: 2, Size: 3}}, []int{2}, 4},
		{"past the end", awapi.FieldReportQuery{Page: awapi.Page{Number: 3, Size: 3}}, nil, 4},
	} {
		q := tc.q
		if q.Order == "" {
			q.Order = awapi.ReportsNewest
		}
		if q.Page == (awapi.Page{}) {
			q.Page = page
		}
		fs, total, err := st.SearchFieldReports(ctx, q)
		must(t, err)
		var got []int64
		for _, f := range fs {
			got = append(got, f.ReportID)
		}
		var want []int64
		for _, i := range tc.want {
			want = append(want, ids[i])
		}
		if !reflect.DeepEqual(got, want) || total != tc.total {
			t.Errorf("%s: reports %v (total %d), want %v (total %d)", tc.name, got, total, want, tc.total)
		}
	}
	fs, _, err := st.SearchFieldReports(ctx, awapi.FieldReportQuery{ReportID: ids[2], Order: awapi.ReportsNewest, Page: page})
	must(t, err)
	if len(fs) != 1 || fs[0].AuthorNickname != "alice" || fs[0].Report != "Arrived late." || fs[0].UserID != 21 {
		t.Errorf("search result = %+v", fs)
	}
}
