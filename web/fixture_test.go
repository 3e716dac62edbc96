package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// fixture is a server over a real store (for credentials and group membership) with a project,
// members in two groups, tokens, and the test endpoints below: the framework is tested on its own,
// without the API's areas.
type fixture struct {
	t        *testing.T
	st       *sqlstore.DB
	srv      *Server
	clock    *awapi.FakeClock
	key      string // the main project's API key
	secret   string
	otherKey string            // another project's key
	tokens   map[string]string // by name: client, noscope, manager, member, expired, other

	userTokens map[int64]string // per member, with the webcam and credits scopes (see call)
	lastError  wireError        // the error of the last failed call
}

var fixtureNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, open func(testing.TB) *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, st: open(t), clock: awapi.NewFakeClock(fixtureNow), tokens: map[string]string{}, userTokens: map[int64]string{}}
	f.srv = New(f.st, Config{Location: testdb.London, Clock: f.clock, MaxBodyBytes: 1 << 16}, testEndpoints()...)
	for _, g := range []awapi.Group{{GroupID: 1, GroupName: "One"}, {GroupID: 2, GroupName: "Two"}} {
		if _, err := f.st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	members := []awapi.Member{
		storetest.NewMember(1, "Client"), storetest.NewMember(2, "Manager"),
		storetest.NewMember(3, "MemberOne"), storetest.NewMember(4, "MemberTwo"),
	}
	members[1].GroupID, members[1].IsGroupManager = 1, true
	members[2].GroupID = 1
	members[3].GroupID = 2
	if err := f.st.InsertMembers(ctx, members); err != nil {
		t.Fatal(err)
	}
	project := func(name string) (awapi.Project, string, string) {
		key, secret := awapi.NewSecret(awapi.PrefixAPIKey), awapi.NewSecret(awapi.PrefixAPISecret)
		p, err := f.st.CreateProject(ctx, awapi.NewProject{Name: name, APIKeyDigest: awapi.HashSecret(key),
			APIKeyPrefix: key[:10], APISecretDigest: awapi.HashSecret(secret)})
		if err != nil {
			t.Fatal(err)
		}
		return p, key, secret
	}
	main, key, secret := project("Main")
	other, otherKey, _ := project("Other")
	f.key, f.secret, f.otherKey = key, secret, otherKey
	mint := func(name string, user int64, p awapi.Project, ttl time.Duration, scopes ...awapi.Scope) {
		tok := awapi.NewSecret(awapi.PrefixAccessToken)
		if err := f.st.CreateAccessToken(ctx, awapi.HashSecret(tok), awapi.AccessToken{
			UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: fixtureNow.Add(ttl)}); err != nil {
			t.Fatal(err)
		}
		f.tokens[name] = tok
	}
	mint("client", 1, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("noscope", 1, main, time.Hour)
	mint("manager", 2, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("member", 3, main, time.Hour, awapi.ScopeAccountWebcamBookings)
	mint("expired", 1, main, -time.Second, awapi.ScopeAccountWebcamBookings)
	mint("other", 1, other, time.Hour, awapi.ScopeAccountWebcamBookings)
	return f
}

// mint issues a token for user on the main project with the given scopes.
func (f *fixture) mint(user int64, scopes ...awapi.Scope) string {
	f.t.Helper()
	p, _, err := f.st.ProjectByAPIKey(context.Background(), awapi.HashSecret(f.key))
	if err != nil {
		f.t.Fatal(err)
	}
	tok := awapi.NewSecret(awapi.PrefixAccessToken)
	if err := f.st.CreateAccessToken(context.Background(), awapi.HashSecret(tok), awapi.AccessToken{
		UserID: user, ProjectID: p.ProjectID, Scopes: scopes, ExpiresAt: f.clock.Now().AddDate(1, 0, 0)}); err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// do sends one request through the server; headers are name/value pairs.
func (f *fixture) do(method, target, body string, headers ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func (f *fixture) withKey(extra ...string) []string {
	return append([]string{"X-ApiKey", f.key}, extra...)
}

func (f *fixture) bearer(name string, extra ...string) []string {
	return append([]string{"Authorization", "bearer " + f.tokens[name]}, extra...)
}

// wireError is the error body read back from either format.
type wireError struct {
	Message    string
	Code       string
	ModelState map[string][]string
}

// readError decodes an error body in the format its Content-Type says.
func readError(t *testing.T, w *httptest.ResponseRecorder) wireError {
	t.Helper()
	var e wireError
	ct := w.Header().Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatalf("error body is not JSON: %v\n%s", err, w.Body)
		}
	case strings.HasPrefix(ct, "application/xml"), strings.HasPrefix(ct, "text/xml"):
		var x struct {
			XMLName    xml.Name `xml:"Error"`
			Message    string
			Code       string
			ModelState struct {
				Fields []struct {
					XMLName xml.Name
					Text    string `xml:",chardata"`
				} `xml:",any"`
			}
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &x); err != nil {
			t.Fatalf("error body is not XML: %v\n%s", err, w.Body)
		}
		e.Message, e.Code = x.Message, x.Code
		for _, fld := range x.ModelState.Fields {
			if e.ModelState == nil {
				e.ModelState = map[string][]string{}
			}
			e.ModelState[fld.XMLName.Local] = append(e.ModelState[fld.XMLName.Local], fld.Text)
		}
	default:
		t.Fatalf("error answered with Content-Type %q", ct)
	}
	return e
}

// formats are the two wire formats every convention is checked in.
var formats = []struct {
	name   string
	accept string
	ctype  string
}{
	{"json", "application/json", "application/json; charset=utf-8"},
	{"xml", "application/xml", "application/xml; charset=utf-8"},
}

// Test-only endpoints: a key-only list (Test/List, Test/Array), a lookup with a required parameter
// (Test/Regions), a bearer method acting for group members (Test/Whoami), a body method (Test/Echo),
// other verbs (Test/Update, Test/Either), images, paging, an answer of dynamic type and a panic.

type noParams struct{}

type whoamiReq struct{}

// ListOutput is an object with one array, as the Lists answer.
type ListOutput struct{ Items []ListItem }

type ListItem struct {
	ItemID   int
	ItemName string
}

var listItems = []ListItem{{1, "Female"}, {2, "Male"}, {3, "Trans"}}

type regionsReq struct {
	CountryID        int   `api:"required,min=1" doc:"The country whose regions to list."`
	ExcludeRegionIDs []int `doc:"Comma-separated RegionIDs to leave out."`
}

type RegionsOutput struct{ Regions []Region }

type Region struct {
	RegionID   int
	RegionName string
	CountryID  int
}

type updateReq struct {
	Summary *string `api:"maxlen=255"`
}

type Whoami struct {
	UserID       int64
	ActingUserID int64
}

type echoReq struct {
	Name        string        `api:"required,maxlen=5"`
	Credits     awapi.Credits `api:"required"`
	SessionDate time.Time     `api:"required,format=datetime"`
	IDs         []int         `api:"items=1-4,min=1"`
	Flag        *bool
	Items       []echoItem
}

type echoItem struct {
	BookingID   int
	IsConfirmed bool
}

type EchoOutput struct {
	Name        string
	Credits     awapi.Credits
	SessionDate time.Time
	Never       time.Time
	IDs         []int
	Flag        *bool
	Missing     *EchoItemOut
	Items       []EchoItemOut
	IsMulitple  bool
}

type EchoItemOut struct {
	BookingID   int
	IsConfirmed bool
}

type ImagesOutput struct {
	ImageURL           string `wire:"image,safe=ImageSafe"`
	ImageSafe          bool
	Image1ThumbnailURL string `wire:"image,safe=Image1Safe"`
	Image1Safe         bool
	Image2ThumbnailURL string `wire:"image,safe=Image2Safe"`
	Image2Safe         bool
	Images             []ImageItem `wire:"images,safe=ImagesSafe"`
	ImagesSafe         bool
}

type ImageItem struct {
	URL string `wire:"image"`
}

type pagedReq struct {
	PageSize   int    `api:"min=1,max=100,default=50"`
	PageNumber int    `api:"min=1,default=1"`
	OrderBy    string `api:"enum=id-asc|id-desc,default=id-asc"`
	Total      int    `api:"min=0,max=1000,default=120"`
}

type PagedOutput struct {
	PageCount, PageNumber, PageSize int
	Items                           []int
}

func testEndpoints() []*Endpoint {
	return []*Endpoint{
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/List", Auth: AuthKey, Summary: "A fixed list."},
			func(context.Context, *Call, *noParams) (ListOutput, error) { return ListOutput{listItems}, nil }),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Array", Auth: AuthKey},
			func(context.Context, *Call, *noParams) ([]ListItem, error) { return listItems, nil }),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Regions", Auth: AuthKey, Implied: true, Summary: "The regions of a country."},
			func(_ context.Context, _ *Call, r *regionsReq) (RegionsOutput, error) {
				if r.CountryID != 158 {
					return RegionsOutput{}, awapi.InvalidField("CountryID", "CountryID %d is not a country.", r.CountryID)
				}
				out := RegionsOutput{Regions: []Region{}}
				for id, name := range map[int]string{1: "Channel Islands", 2: "London"} {
					if !slices.Contains(r.ExcludeRegionIDs, id) {
						out.Regions = append(out.Regions, Region{id, name, 158})
					}
				}
				slices.SortFunc(out.Regions, func(a, b Region) int { return a.RegionID - b.RegionID })
				return out, nil
			}),
		Handle(Endpoint{Method: "PUT", Path: "/v1/Test/Update", Auth: AuthBearer, Scope: awapi.ScopeAccountWebcamBookings, GM: WithGM},
			func(_ context.Context, c *Call, _ *updateReq) (Whoami, error) {
				return Whoami{c.Caller.UserID, c.Caller.ActingUserID}, nil
			}),
		Handle(Endpoint{Method: "GET POST", Path: "/v1/Test/Either", Auth: AuthKey},
			func(context.Context, *Call, *noParams) (ListOutput, error) { return ListOutput{listItems}, nil }),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Any", Auth: AuthKey},
			func(context.Context, *Call, *noParams) (any, error) { return ListOutput{listItems}, nil }),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Whoami", Auth: AuthBearer, Scope: awapi.ScopeAccountWebcamBookings, GM: WithGM},
			func(_ context.Context, c *Call, _ *whoamiReq) (Whoami, error) {
				return Whoami{c.Caller.UserID, c.Caller.ActingUserID}, nil
			}),
		Handle(Endpoint{Method: "POST", Path: "/v1/Test/Echo", Auth: AuthBearer, Scope: awapi.ScopeAccountWebcamBookings},
			func(_ context.Context, c *Call, r *echoReq) (EchoOutput, error) {
				out := EchoOutput{Name: r.Name, Credits: r.Credits, SessionDate: r.SessionDate, IDs: r.IDs, Flag: r.Flag}
				for _, it := range r.Items {
					out.Items = append(out.Items, EchoItemOut(it))
				}
				return out, nil
			}),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Images", Auth: AuthKey},
			func(context.Context, *Call, *noParams) (ImagesOutput, error) {
				return ImagesOutput{
					ImageURL: "https://cdn.adultwork.com/images/l/1_1.jpg", ImageSafe: true,
					Image1ThumbnailURL: "https://cdn.adultwork.com/images/t/1_1.jpg", Image1Safe: false,
					Image2ThumbnailURL: "https://cdn.adultwork.com/images/t/1_2.jpg", Image2Safe: true,
					Images: []ImageItem{{"https://rentals.adultwork.com/1.jpg"}}, ImagesSafe: false,
				}, nil
			}),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Paged", Auth: AuthKey},
			func(_ context.Context, _ *Call, r *pagedReq) (PagedOutput, error) {
				p := awapi.Page{Number: r.PageNumber, Size: r.PageSize}
				out := PagedOutput{PageCount: awapi.PageCount(r.Total, r.PageSize), PageNumber: p.Number, PageSize: p.Size, Items: []int{}}
				for i := p.Offset(); i < min(r.Total, p.Offset()+p.Size); i++ {
					item := i + 1
					if r.OrderBy == "id-desc" {
						item = r.Total - i
					}
					out.Items = append(out.Items, item)
				}
				return out, nil
			}),
		Handle(Endpoint{Method: "GET", Path: "/v1/Test/Panic", Auth: AuthNone},
			func(context.Context, *Call, *noParams) (Whoami, error) { panic("boom") }),
	}
}

// forEngines runs fn against a fixture on every configured engine.
func forEngines(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, newFixture(t, e.Open)) })
	}
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body: %s", w.Code, status, w.Body)
	}
}

var _ = http.StatusOK

// testdbSQLite opens a fresh SQLite store; tests that are engine-independent use it alone.
var testdbSQLite = testdb.SQLite
