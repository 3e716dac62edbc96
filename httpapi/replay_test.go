package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/unifiedlogin"
	"github.com/awapi/awapi/web"
)

// Client journeys (issue 9.9): the request patterns of real client code (api-v1.md §5), written down
// as data and replayed against a freshly seeded sandbox, through the real server with the Unified
// Login mounted, on every engine. Each step sends what the client sends, spelled as the client spells
// it (paths, query names, header names), and checks exactly what the client then reads, in the case it
// reads it: a renamed key, a header lost, a parameter no longer bound fails the journey.

// journeyStep is one request of a client and what the client reads from the answer.
type journeyStep struct {
	name   string
	method string
	// path as the client writes it. {key}, {page} and {id} are filled in; so are {key}, {secret},
	// {token} and {origin} in header values.
	path   string
	header []string // name, value pairs, as the client spells the names
	status int
	// reads are the keys the client reads (see readJSON): a.b descends into an object, a[] into every
	// item of an array (which must have some), a[0] into one item, x|y takes the first of two
	// spellings present. ":type" checks the value: number, string, bool, array, object, null, or
	// several joined by |.
	reads []string
	// want are values the client relies on, by the same paths (a[] means every item).
	want map[string]any
	// answer lists answer headers the client reads: name, then a substring the value must contain.
	answer []string
	// warns is the Warning header the sandbox must send: the parameters the method ignored. Empty
	// means none: every parameter the client sent was bound.
	warns string
	// pages makes the step a paging loop over the list it names: {page} = 1, 2, … until a page comes
	// back empty, as a scraper pages past PageCount.
	pages string
	// each is called for every item of the pages list, with {id} its UserID.
	each *journeyStep
	// some are reads that must hold for at least one of the calls of an each step.
	some []string
}

type journey struct {
	name  string
	steps []journeyStep
}

const (
	replayOrigin   = "http://localhost:3000" // a browser app's dev server
	replayRedirect = "http://localhost:3000/callback"
	aspNETMessage  = "The requested resource does not support http method '%s'."
	acceptJSON     = "application/json"
)

// profileSummaryKeys are the profile summary fields client code maps (api-v1.md §5, "Profile summary
// object").
var profileSummaryKeys = []string{
	"LocationProximityMiles:number|null", "LocationProximityKilometres:number|null", "HasProfileThumbnail:bool",
	"ProfileThumbnailSafe:bool", "ProfileThumbnailURL:string", "ProfileSquareSafe:bool", "ProfileSquareURL:string",
	"UserID:number", "NickName:string", "Summary:string", "Gender:string", "Age:number", "Orientation:string",
	"Country:string", "Region:string", "County:string", "Town:string", "NationalityID:number", "Nationality:string",
	"NationalityISO2:string", "Views:number", "MemberSince:string", "LastLoggedIn:string", "Verified:bool",
	"IsEscort:bool", "DoesOutCalls:bool", "DoesInCalls:bool", "IsWebcam:bool", "IsPhoneChat:bool", "IsSMSChat:bool",
	"IsAlternative:bool", "IsOtherServices:bool", "IsDirectCam:bool", "IsDirectChat:bool", "AvailableTodayEscort:bool",
	"AvailableNowWebcam:bool", "AvailableNowPhoneChat:bool", "HasGallery:bool", "HasPrivateGallery:bool",
	"HasMovieClips:bool", "HasMovieRentals:bool", "HasSaleItems:bool", "IsCouple:bool", "InGroup:bool",
	"GroupName:string|null", "GroupID:number", "ProfileURL:string", "RatingsURL:string", "HasBlog:bool",
	"LastUpdated:string", "IsBlacklisted:bool", "IsOnTour:bool", "HasPhoneNumber:bool", "Ratings.Total:number",
	"Ratings.Positive:number", "Ratings.Neutral:number", "Ratings.Negative:number", "Ratings.Ratings:number",
	"Ratings.Disputes:number",
}

func prefixed(prefix string, keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = prefix + k
	}
	return out
}

// clientJourneys are the journeys of api-v1.md §5.
func clientJourneys() []journey {
	proxyKey := []string{"X-ApiKey", "{key}", "X-ApiSecret", "{secret}"}
	plainKey := []string{"ApiKey", "{key}", "ApiSecret", "{secret}"}
	lists := func(header []string) []journeyStep {
		return []journeyStep{
			{name: "genders", method: "GET", path: "/v1/Lists/GetGenders", header: header, status: 200,
				reads: []string{"Genders[].GenderID:number", "Genders[].GenderName:string"},
				// The clients hard-code 1 Female, 2 Male, 3 Trans.
				want: map[string]any{"Genders[0].GenderID": 1, "Genders[0].GenderName": "Female", "Genders[1].GenderID": 2,
					"Genders[1].GenderName": "Male", "Genders[2].GenderID": 3}},
			{name: "orientations", method: "GET", path: "/v1/Lists/GetOrientations", header: header, status: 200,
				reads: []string{"Orientations[].OrientationID:number", "Orientations[].OrientationName:string"}},
			{name: "countries", method: "GET", path: "/v1/Lists/GetCountries", header: header, status: 200,
				reads: []string{"Countries[].CountryID:number", "Countries[].CountryName:string", "Countries[].CountryISO2:string",
					"Countries[].AgeVerificationRequired:bool"}},
			{name: "UK regions", method: "GET", path: "/v1/Lists/GetRegions?CountryID=158", header: header, status: 200,
				reads: []string{"Regions[].RegionID:number", "Regions[].RegionName:string"},
				want:  map[string]any{"Regions[].CountryID": 158}},
		}
	}
	return []journey{
		{"Next.js proxy: X-ApiKey and X-ApiSecret, lower-camel query names", append(lists(proxyKey),
			journeyStep{name: "search", method: "GET",
				path:   "/v1/search/searchProfiles?countryId=158&pageNumber=1&pageSize=24&genderId=1&minAge=18",
				header: append(slices.Clone(proxyKey), "Accept", acceptJSON), status: 200,
				reads: []string{"PageCount:number", "PageNumber:number", "ProfilesTotal:number", "ProfilesPerPage:number",
					"Profiles[].UserID:number", "Profiles[].NickName:string", "Profiles[].ProfileThumbnailURL:string",
					"Profiles[].Age:number", "Profiles[].Town:string"},
				// countryId, pageSize and genderId were bound, not ignored.
				want: map[string]any{"ProfilesPerPage": 24, "PageNumber": 1, "Profiles[].Gender": "Female",
					"Profiles[].Country": "United Kingdom"}},
			journeyStep{name: "the same search, other casing", method: "GET",
				path:   "/v1/Search/SearchProfiles?countryId=158&pageNumber=2&pageSize=24&genderId=1&minAge=18",
				header: proxyKey, status: 200, reads: []string{"Profiles[].UserID:number"},
				want: map[string]any{"PageNumber": 2, "ProfilesPerPage": 24, "Profiles[].Gender": "Female"}},
		)},
		{"serverless proxy: ApiKey and ApiSecret, every summary field", append(lists(plainKey),
			journeyStep{name: "search", method: "GET",
				path: "/v1/Search/SearchProfiles?GenderIDs=1,2,3&MinAge=18&MaxAge=60&CountryID=158&OrientationIds=1,2,3,4" +
					"&OrderBy=lastupdated&ProfilesPerPage=100&PageNumber=1",
				header: plainKey, status: 200,
				reads: append([]string{"PageCount:number", "PageNumber:number", "ProfilesTotal:number", "ProfilesPerPage:number"},
					prefixed("Profiles[].", profileSummaryKeys)...),
				want: map[string]any{"ProfilesPerPage": 100, "Profiles[].Country": "United Kingdom"}},
			journeyStep{name: "search near a postcode", method: "GET",
				path:   "/v1/Search/SearchProfiles?LocationZipCode=SW1A&LocationProximityMiles=99&ProfilesPerPage=10",
				header: plainKey, status: 200,
				reads: []string{"Profiles[].LocationProximityMiles:number", "Profiles[].LocationProximityKilometres:number"}},
		)},
		{"sandbox scraper: search, then details with ReturnContact, paging past PageCount", []journeyStep{
			{name: "search pages", method: "GET", path: "/v1/Search/SearchProfiles?apiKey={key}&CountryID=158&PageNumber={page}",
				status: 200, pages: "Profiles",
				reads: []string{"PageCount:number", "Profiles:array", "Profiles[].Nickname:string", "Profiles[].ProfileURL:string",
					"Profiles[].AvailableTodayEscort:bool", "Profiles[].LastLoggedIn:string", "Profiles[].UserID:number"},
				each: &journeyStep{name: "details", method: "GET",
					path:   "/v1/profile/getProfileDetails?apiKey={key}&ReturnContact=true&userID={id}",
					status: 200, reads: []string{"Contact.HasMobileNumber:bool", "Contact.MobileNumber:string|null"},
					some: []string{"Contact.MobileNumber:string"}}},
		}},
		{"JS SDK app: bearer token from the Unified Login, no API key", []journeyStep{
			{name: "verifyCredentials", method: "GET", path: "/v1/Account/VerifyCredentials",
				header: []string{"Authorization", "bearer {token}", "Accept", acceptJSON}, status: 200,
				reads: []string{"UserID:number", "Nickname:string", "GroupID:number", "IsGroupManager:bool", "UserTypeID:number", "UserType:string"},
				want:  map[string]any{"UserID": 1, "Nickname": "SandboxClient"}},
			{name: "verifyCredentials, documented casing", method: "GET", path: "/v1/account/verifyCredentials",
				header: []string{"Authorization", "bearer {token}", "Accept", acceptJSON}, status: 200,
				reads: []string{"UserID:number"}, want: map[string]any{"UserID": 1}},
			{name: "search with the token alone", method: "GET", path: "/v1/Search/SearchProfiles?CountryID=158&ProfilesPerPage=5",
				header: []string{"Authorization", "bearer {token}", "Accept", acceptJSON}, status: 200,
				reads: []string{"ProfilesTotal:number", "Profiles[].UserID:number"}},
			{name: "a token that is not valid", method: "GET", path: "/v1/Account/VerifyCredentials",
				header: []string{"Authorization", "bearer awt_revoked", "Accept", acceptJSON}, status: 401,
				reads: []string{"Message:string", "Code:string"}, answer: []string{"WWW-Authenticate", `error="invalid_token"`}},
		}},
		{"Cloudflare worker: X-CaseType: camelcase", []journeyStep{
			{name: "search", method: "GET", path: "/v1/Search/SearchProfiles?CountryID=158&ProfilesPerPage=20",
				header: []string{"X-ApiKey", "{key}", "X-CaseType", "camelcase", "Accept", acceptJSON}, status: 200,
				reads: []string{"totalResults:number", "profiles:array", "profiles[].userID|userId:number",
					"profiles[].profileThumbnailURL:string", "profiles[].nickname:string", "profiles[].isLoggedInNow:bool"}},
			{name: "a refused value, read in camelCase", method: "GET", path: "/v1/Search/SearchProfiles?CountryID=158&MinAge=5",
				header: []string{"X-ApiKey", "{key}", "X-CaseType", "camelcase", "Accept", acceptJSON}, status: 400,
				reads: []string{"message:string", "code:string", "modelState.minAge[]:string"}},
		}},
		{"browser app: preflight, then ?apikey= with X-ApiSecret from its page", []journeyStep{
			{name: "preflight", method: "OPTIONS", path: "/v1/Lists/GetGenders?apikey={key}",
				header: []string{"Origin", "{origin}", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-apisecret"},
				status: 204, answer: []string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "GET",
					"Access-Control-Allow-Headers", "X-ApiSecret"}},
			{name: "genders", method: "GET", path: "/v1/Lists/GetGenders?apikey={key}",
				header: []string{"Origin", "{origin}", "X-ApiSecret", "{secret}"}, status: 200,
				reads: []string{"Genders[].GenderID:number"}, answer: []string{"Access-Control-Allow-Origin", "*"}},
			{name: "search", method: "GET", path: "/v1/Search/SearchProfiles?apikey={key}&CountryID=158&ProfilesPerPage=10",
				header: []string{"Origin", "{origin}", "X-ApiSecret", "{secret}"}, status: 200,
				reads: []string{"Profiles[].UserID:number"}, answer: []string{"Access-Control-Allow-Origin", "*"}},
			{name: "an error the page can read", method: "GET", path: "/v1/Lists/GetGenders?apikey=awk_mistyped",
				header: []string{"Origin", "{origin}", "Accept", acceptJSON}, status: 401,
				reads: []string{"Message:string", "Code:string"}, answer: []string{"Access-Control-Allow-Origin", "*"}},
		}},
		{"errors are JSON when the client accepts JSON", []journeyStep{
			{name: "no key", method: "GET", path: "/v1/Lists/GetGenders", header: []string{"Accept", acceptJSON}, status: 401,
				reads: []string{"Message:string", "Code:string"}},
			{name: "unknown method", method: "GET", path: "/v1/Lists/GetNothing", header: []string{"X-ApiKey", "{key}", "Accept", acceptJSON},
				status: 404, reads: []string{"Message:string", "Code:string"}},
			{name: "unknown member", method: "GET", path: "/v1/profile/getProfileDetails?apiKey={key}&userID=999999",
				header: []string{"Accept", acceptJSON}, status: 404, reads: []string{"Message:string"}},
			{name: "refused value", method: "GET", path: "/v1/Search/SearchProfiles?CountryID=158&MinAge=5",
				header: []string{"X-ApiKey", "{key}", "Accept", acceptJSON}, status: 400,
				reads: []string{"Message:string", "ModelState.MinAge[]:string"}},
		}},
		{"wrong verb: 405 with ASP.NET's message", []journeyStep{
			{name: "POST to a GET method", method: "POST", path: "/v1/Lists/GetGenders", header: []string{"X-ApiKey", "{key}", "Accept", acceptJSON},
				status: 405, reads: []string{"Message:string"}, want: map[string]any{"Message": fmt.Sprintf(aspNETMessage, "POST")},
				answer: []string{"Allow", "GET, HEAD"}},
			{name: "DELETE", method: "DELETE", path: "/v1/search/searchprofiles", header: []string{"X-ApiKey", "{key}"},
				status: 405, want: map[string]any{"Message": fmt.Sprintf(aspNETMessage, "DELETE")},
				answer: []string{"Allow", "GET, HEAD"}},
		}},
	}
}

// replaySandbox is a freshly seeded sandbox served over HTTP, as `awapi serve` serves one.
type replaySandbox struct {
	url                   string
	key, secret, clientID string
	token                 string
	client                *http.Client
}

const replayUsers = 300

func newReplaySandbox(t *testing.T, e testdb.Engine) *replaySandbox {
	t.Helper()
	ctx := context.Background()
	st := e.Open(t)
	clock := awapi.NewFakeClock(apitest.Now)
	// One argon2id hash of the sandbox password for every member, as `awapi seed` does.
	if _, err := seed.Run(ctx, st, seed.Options{Users: replayUsers, Seed: 1, Now: apitest.Now.In(testdb.London),
		PasswordHash: awapi.HashPassword("sandbox-password")}); err != nil {
		t.Fatal(err)
	}
	sb := &replaySandbox{key: awapi.NewSecret(awapi.PrefixAPIKey), secret: awapi.NewSecret(awapi.PrefixAPISecret),
		clientID: awapi.NewSecret(awapi.PrefixClientID), client: &http.Client{}}
	secret := awapi.NewSecret(awapi.PrefixClientSecret)
	if _, err := st.CreateClient(ctx, awapi.NewClient{
		NewProject: awapi.NewProject{Name: "Sandbox Demo Project", APIKeyDigest: awapi.HashSecret(sb.key), APIKeyPrefix: sb.key[:10],
			APISecretDigest: awapi.HashSecret(sb.secret), Approved: true},
		ClientID: sb.clientID, ClientSecretDigest: awapi.HashSecret(secret), RedirectURIs: []string{replayRedirect},
		Scopes: awapi.ScopeSet{awapi.ScopeUserID, awapi.ScopeNickname, awapi.ScopeAccountInformation},
	}); err != nil {
		t.Fatal(err)
	}
	srv := NewAPI(st, web.Config{Location: testdb.London, Clock: clock, Sandbox: true, CORSOrigins: []string{"*"}})
	login, err := unifiedlogin.New(ctx, st, unifiedlogin.Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	for pattern, h := range login.Routes() {
		srv.Handle(pattern, h)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	sb.url = hs.URL
	sb.token = sb.signIn(t)
	return sb
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// signIn runs the JS SDK's implicit flow on the login pages, as SandboxClient, and returns the token
// the redirect carries in its fragment.
func (sb *replaySandbox) signIn(t *testing.T) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := func(resp *http.Response, err error) (url.Values, *http.Response) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		v := url.Values{}
		for _, m := range hiddenInput.FindAllStringSubmatch(string(b), -1) {
			v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		if resp.StatusCode != 200 && resp.StatusCode != http.StatusFound {
			t.Fatalf("%s: %d %s", resp.Request.URL, resp.StatusCode, b)
		}
		return v, resp
	}
	q := url.Values{"response_type": {"token"}, "client_id": {sb.clientID}, "redirect_uri": {replayRedirect},
		"scopes": {"userid nickname account_information"}, "state": {"sdk"}}
	login, _ := form(browser.Get(sb.url + "/OAuth/Authorize?" + q.Encode()))
	login.Set("login", "SandboxClient")
	login.Set("password", "sandbox-password")
	consent, _ := form(browser.PostForm(sb.url+"/OAuth/Authorize", login))
	consent.Set("decision", "approve")
	_, resp := form(browser.PostForm(sb.url+"/OAuth/Authorize/Consent", consent))
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	fragment, _ := url.ParseQuery(u.Fragment)
	if fragment.Get("access_token") == "" || fragment.Get("state") != "sdk" {
		t.Fatalf("the login ended at %q", u)
	}
	return fragment.Get("access_token")
}

// TestClientJourneys replays clientJourneys against a fresh sandbox on every engine.
func TestClientJourneys(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			sb := newReplaySandbox(t, e)
			for _, j := range clientJourneys() {
				t.Run(j.name, func(t *testing.T) {
					for _, s := range j.steps {
						t.Run(s.name, func(t *testing.T) {
							if s.pages != "" {
								sb.page(t, s)
							} else {
								sb.step(t, s, nil)
							}
						})
					}
				})
			}
		})
	}
}

// page runs a paging step as the scraper does: page after page until one is empty, each item of
// each page followed by the each step. The empty page must be the one after PageCount, a 200 with
// an empty list, and the pages must have held every match once.
func (sb *replaySandbox) page(t *testing.T, s journeyStep) {
	seen := map[string]bool{}
	var pageCount, total int
	someHeld := make([]bool, len(s.each.some))
	for page := 1; ; page++ {
		if page > 1000 {
			t.Fatal("the pages never ran out")
		}
		ps := s
		ps.path = strings.ReplaceAll(s.path, "{page}", strconv.Itoa(page))
		list := s.reads
		if page > pageCount && pageCount > 0 {
			list = []string{"PageCount:number", s.pages + ":array"} // past the end: no items to read
		}
		ps.reads = list
		body := sb.step(t, ps, nil)
		if page == 1 {
			pageCount = jsonInt(t, body, "PageCount")
			total = jsonInt(t, body, "ProfilesTotal")
			if pageCount < 2 {
				t.Fatalf("PageCount %d: the sandbox is too small for a paging journey", pageCount)
			}
		}
		items, _ := body[s.pages].([]any)
		if len(items) == 0 {
			if page != pageCount+1 {
				t.Fatalf("page %d is empty, PageCount is %d", page, pageCount)
			}
			if got, ok := body[s.pages].([]any); !ok || got == nil {
				t.Fatalf("the empty page's %s is %v, not []", s.pages, body[s.pages])
			}
			break
		}
		if page > pageCount {
			t.Fatalf("page %d past PageCount %d still has %d items", page, pageCount, len(items))
		}
		for _, it := range items {
			id := fmt.Sprint(it.(map[string]any)["UserID"])
			if seen[id] {
				t.Fatalf("member %s on two pages", id)
			}
			seen[id] = true
			es := *s.each
			es.path = strings.ReplaceAll(es.path, "{id}", url.QueryEscape(id))
			sb.step(t, es, someHeld)
		}
	}
	t.Logf("%d pages of %d members, each read with its details", pageCount, total)
	if len(seen) != total {
		t.Errorf("the pages held %d members, ProfilesTotal is %d", len(seen), total)
	}
	for i, held := range someHeld {
		if !held {
			t.Errorf("%s: no answer had %s", s.each.name, s.each.some[i])
		}
	}
}

func jsonInt(t *testing.T, body map[string]any, key string) int {
	t.Helper()
	n, err := strconv.Atoi(fmt.Sprint(body[key]))
	if err != nil {
		t.Fatalf("%s = %v", key, body[key])
	}
	return n
}

// step sends one request and checks what the client reads. someHeld records which of s.some held.
func (sb *replaySandbox) step(t *testing.T, s journeyStep, someHeld []bool) map[string]any {
	t.Helper()
	fill := strings.NewReplacer("{key}", sb.key, "{secret}", sb.secret, "{token}", sb.token, "{origin}", replayOrigin)
	req, err := http.NewRequest(s.method, sb.url+fill.Replace(s.path), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(s.header); i += 2 {
		req.Header[s.header[i]] = []string{fill.Replace(s.header[i+1])} // sent with the client's spelling
	}
	resp, err := sb.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	where := s.method + " " + s.path
	if resp.StatusCode != s.status {
		t.Fatalf("%s: status %d, want %d: %s", where, resp.StatusCode, s.status, raw)
	}
	for i := 0; i+1 < len(s.answer); i += 2 {
		if got := resp.Header.Get(s.answer[i]); !strings.Contains(got, s.answer[i+1]) {
			t.Errorf("%s: %s = %q, want it to contain %q", where, s.answer[i], got, s.answer[i+1])
		}
	}
	if got := strings.Join(resp.Header.Values("Warning"), ", "); got != s.warns {
		t.Errorf("%s: Warning %q, want %q", where, got, s.warns)
	}
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	// Clients check the type before they parse, errors included.
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, acceptJSON) {
		t.Fatalf("%s: Content-Type %q, want %s", where, ct, acceptJSON)
	}
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("%s: %v: %s", where, err, raw)
	}
	for _, r := range s.reads {
		if err := readJSON(body, r, nil); err != nil {
			t.Errorf("%s: the client reads %s: %v", where, r, err)
		}
	}
	for path, want := range s.want {
		if err := readJSON(body, path, want); err != nil {
			t.Errorf("%s: %s: %v", where, path, err)
		}
	}
	for i, r := range s.some {
		if someHeld != nil && readJSON(body, r, nil) == nil {
			someHeld[i] = true
		}
	}
	if t.Failed() {
		t.FailNow() // a later step would read what this one did not get
	}
	return body
}

// readJSON follows path (see journeyStep.reads) through v and checks the type after ":" and, when
// want is not nil, the value of everything the path reaches.
func readJSON(v any, path string, want any) error {
	path, types, _ := strings.Cut(path, ":")
	values, at := []any{v}, "the answer"
	for seg := range strings.SplitSeq(path, ".") {
		name, index, indexed := strings.Cut(seg, "[")
		var next []any
		for _, cur := range values {
			obj, ok := cur.(map[string]any)
			if !ok {
				return fmt.Errorf("%s is %s, not an object", at, replayKind(cur))
			}
			var got any
			found := false
			for alt := range strings.SplitSeq(name, "|") {
				if got, found = obj[alt]; found {
					break
				}
			}
			if !found {
				return fmt.Errorf("no member %s among %s", name, keysOf(obj))
			}
			if !indexed {
				next = append(next, got)
				continue
			}
			items, ok := got.([]any)
			if !ok {
				return fmt.Errorf("%s is %v, not an array", name, got)
			}
			if index == "]" {
				if len(items) == 0 {
					return fmt.Errorf("%s is empty", name)
				}
				next = append(next, items...)
				continue
			}
			i, err := strconv.Atoi(strings.TrimSuffix(index, "]"))
			if err != nil || i >= len(items) {
				return fmt.Errorf("%s has no item %s", name, index)
			}
			next = append(next, items[i])
		}
		values, at = next, seg
	}
	for _, got := range values {
		if types != "" && !slices.Contains(strings.Split(types, "|"), replayKind(got)) {
			return fmt.Errorf("%v is a %s, want %s", got, replayKind(got), types)
		}
		if want != nil && fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("%v, want %v", got, want)
		}
	}
	return nil
}

func replayKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case json.Number:
		return "number"
	case string:
		return "string"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func keysOf(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}
