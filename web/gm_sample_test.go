package web

import (
	"context"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
)

// TestGroupManagerSampleForm: some documented samples call a Group-manager method at its plain path
// with UserID (api-v1.md §1.10, §4.3). A group manager doing so acts for that member exactly as on the
// /v1/Groups/ path; anyone else's UserID is ignored, as before. Manager 2 runs group 1 (member 3);
// member 4 is in group 2 and member 1 in none.
func TestGroupManagerSampleForm(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		// Variant B: an endpoint whose own request model has a UserID keeps it as its own parameter.
		type ownUserIDReq struct {
			UserID int64 `api:"required,min=1"`
		}
		type OwnUserID struct{ UserID, ParamUserID, ActingUserID int64 }
		f.srv.register(Handle(Endpoint{Method: "GET", Path: "/v1/Test/OwnUserID", Auth: AuthBearer, Scope: awapi.ScopeAccountWebcamBookings, GM: WithGM},
			func(_ context.Context, c *Call, r *ownUserIDReq) (OwnUserID, error) {
				return OwnUserID{c.Caller.UserID, r.UserID, c.Caller.ActingUserID}, nil
			}))

		tests := []struct {
			name   string
			target string
			token  string
			status int
			field  string // the field a 400 names
			want   string // the JSON answer of a 200
		}{
			{"manager for a member of their group", "/v1/Test/Whoami?UserID=3", "manager", 200, "", `{"UserID":2,"ActingUserID":3}`},
			{"camel-case name", "/v1/test/whoami?userId=3", "manager", 200, "", `{"UserID":2,"ActingUserID":3}`},
			{"manager for themself", "/v1/Test/Whoami?UserID=2", "manager", 200, "", `{"UserID":2,"ActingUserID":2}`},
			{"manager for another group's member", "/v1/Test/Whoami?UserID=4", "manager", 404, "", ""},
			{"manager for a member in no group", "/v1/Test/Whoami?UserID=1", "manager", 404, "", ""},
			{"manager for no such member", "/v1/Test/Whoami?UserID=999", "manager", 404, "", ""},
			{"manager with a bad UserID", "/v1/Test/Whoami?UserID=x", "manager", 400, "UserID", ""},
			{"manager without UserID", "/v1/Test/Whoami", "manager", 200, "", `{"UserID":2,"ActingUserID":2}`},
			{"manager with an empty UserID", "/v1/Test/Whoami?UserID=", "manager", 200, "", `{"UserID":2,"ActingUserID":2}`},
			{"group member naming their manager", "/v1/Test/Whoami?UserID=2", "member", 200, "", `{"UserID":3,"ActingUserID":3}`},
			{"member in no group naming another", "/v1/Test/Whoami?UserID=3", "client", 200, "", `{"UserID":1,"ActingUserID":1}`},
			{"non-manager with a bad UserID", "/v1/Test/Whoami?UserID=x", "client", 200, "", `{"UserID":1,"ActingUserID":1}`},
			{"variant B: UserID is the endpoint's own", "/v1/Test/OwnUserID?UserID=4", "manager", 200, "", `{"UserID":2,"ParamUserID":4,"ActingUserID":2}`},
			{"variant B on the Groups path", "/v1/Groups/Test/OwnUserID?UserID=3", "manager", 200, "", `{"UserID":2,"ParamUserID":3,"ActingUserID":3}`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				w := f.Do("GET", tc.target, "", f.Bearer(tc.token)...)
				apitest.WantStatus(t, w, tc.status)
				switch tc.status {
				case 200:
					if got := w.Body.String(); got != tc.want {
						t.Fatalf("answer %s, want %s", got, tc.want)
					}
				case 400:
					if e := apitest.ReadError(t, w); len(e.ModelState[tc.field]) == 0 {
						t.Fatalf("error %+v does not name %s", e, tc.field)
					}
				}
			})
		}
	})
}
