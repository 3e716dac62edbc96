package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
)

// TestGroupManagerSampleFormEndpoints: on real endpoints the sample form answers what the /v1/Groups/
// path answers, with UserID in the query or in a JSON body.
func TestGroupManagerSampleFormEndpoints(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		for i := range 3 {
			if s := f.call(3, "POST", "/v1/Webcam/CreateBooking", newBooking(f, fmt.Sprint([]int{10, 11, 13}[i]), nil), nil); s != 200 {
				t.Fatalf("create: %d %+v", s, f.lastError)
			}
		}
		if s := f.call(1, "POST", "/v1/Webcam/CreateBooking", newBooking(f, "10", nil), nil); s != 200 {
			t.Fatalf("create: %d %+v", s, f.lastError)
		}
		body := func(user int64, target string) string {
			t.Helper()
			f.call(user, "GET", target, nil, nil) // mints the user's token
			w := f.Do("GET", target, "", "Authorization", "bearer "+f.userTokens[user])
			apitest.WantStatus(t, w, 200)
			return w.Body.String()
		}
		total := func(answer string) int {
			t.Helper()
			var page bookingsView
			if err := json.Unmarshal([]byte(answer), &page); err != nil {
				t.Fatal(err)
			}
			return page.BookingsTotal
		}
		groups := body(2, "/v1/Groups/Webcam/MadeBookings?UserID=3")
		if sample := body(2, "/v1/Webcam/MadeBookings?UserID=3"); sample != groups || total(sample) != 3 {
			t.Fatalf("sample form answered %s\nthe Groups path %s", sample, groups)
		}
		if s := f.call(2, "GET", "/v1/Webcam/MadeBookings?UserID=4", nil, nil); s != 404 {
			t.Fatalf("manager for another group's member: %d", s)
		}
		if own := body(2, "/v1/Webcam/MadeBookings"); total(own) != 0 {
			t.Fatalf("manager without UserID read %s", own)
		}
		if own, sample := body(1, "/v1/Webcam/MadeBookings"), body(1, "/v1/Webcam/MadeBookings?UserID=3"); sample != own || total(own) != 1 {
			t.Fatalf("non-manager with UserID read %s, own %s", sample, own)
		}

		// A PUT with UserID in the JSON body changes the member, not the manager.
		mgr := f.Mint(2, awapi.ScopeProfileServices)
		var got AccountServices
		if s := f.callWith(mgr, "PUT", "/v1/Account/UpdateServices", obj{"UserID": 3, "IsOfferingServices": true, "IsEscort": false, "IsWebcam": false,
			"IsPhoneChat": true, "IsSMSChat": false, "IsContent": false, "IsAlternative": false, "IsOtherServices": false}, &got); s != 200 ||
			got.UserID != 3 || !got.IsPhoneChat {
			t.Fatalf("sample-form update: %d %+v %+v", s, got, f.lastError)
		}
		if m, _ := f.St.Member(context.Background(), 2); m.IsPhoneChat {
			t.Fatal("the sample-form update changed the manager")
		}
	})
}
