package web

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
)

// fixture is a server with the test endpoints below over the shared fixture's store (for
// credentials and group membership): the framework is tested on its own, without the API's areas.
type fixture struct {
	*apitest.Fixture
	srv *Server
}

func newFixture(t *testing.T, open func(testing.TB) *sqlstore.DB) *fixture {
	t.Helper()
	f := &fixture{Fixture: apitest.New(t, open)}
	f.configure(Config{})
	return f
}

// configure rebuilds the fixture's server over the same store and clock with cfg.
func (f *fixture) configure(cfg Config) {
	cfg.Location, cfg.Clock, cfg.MaxBodyBytes = testdb.London, f.Clock, 1<<16
	f.srv = New(f.St, cfg, testEndpoints()...)
	f.Handler = f.srv
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

// testdbSQLite opens a fresh SQLite store; tests that are engine-independent use it alone.
var testdbSQLite = testdb.SQLite
