package web

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/apitest"
)

// TestErrorsInBothFormats checks the authentication, routing and validation answers: status, error
// code, the field named, WWW-Authenticate, and that the body is in the negotiated format.
func TestErrorsInBothFormats(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			name      string
			method    string
			target    string
			body      string
			headers   []string
			status    int
			code      string
			field     string // a ModelState member that must be present
			challenge string // a substring of WWW-Authenticate
		}{
			{"no api key", "GET", "/v1/Test/List", "", nil, 401, "api_key_required", "", ""},
			{"unknown api key", "GET", "/v1/Test/List", "", []string{"X-ApiKey", "awk_nope"}, 401, "invalid_api_key", "", ""},
			{"wrong api secret", "GET", "/v1/Test/List", "", f.WithKey("X-ApiSecret", "aws_wrong"), 401, "invalid_api_secret", "", ""},
			{"no token", "GET", "/v1/Test/Whoami", "", nil, 401, "token_required", "", `Bearer realm="awapi"`},
			{"api key is not a token", "GET", "/v1/Test/Whoami", "", f.WithKey(), 401, "token_required", "", `Bearer`},
			{"invalid token", "GET", "/v1/Test/Whoami", "", []string{"Authorization", "Bearer awt_nope"}, 401, "invalid_token", "", `error="invalid_token"`},
			{"expired token", "GET", "/v1/Test/Whoami", "", f.Bearer("expired"), 401, "invalid_token", "", `error="invalid_token"`},
			{"empty bearer", "GET", "/v1/Test/Whoami", "", []string{"Authorization", "Bearer "}, 401, "invalid_token", "", `error="invalid_token"`},
			{"missing scope", "GET", "/v1/Test/Whoami", "", f.Bearer("noscope"), 403, "insufficient_scope", "", `error="insufficient_scope", scope="account_webcam_bookings"`},
			{"token with another project's key", "GET", "/v1/Test/Whoami", "", f.Bearer("client", "X-ApiKey", f.OtherKey), 401, "invalid_token", "", `error="invalid_token"`},
			{"unknown method", "GET", "/v1/Test/Nothing", "", f.WithKey(), 404, "no_such_method", "", ""},
			{"wrong verb", "POST", "/v1/Test/List", "", f.WithKey(), 405, "method_not_allowed", "", ""},
			{"options before CORS", "OPTIONS", "/v1/Test/List", "", f.WithKey(), 405, "method_not_allowed", "", ""},
			{"required param", "GET", "/v1/Test/Regions", "", f.WithKey(), 400, "invalid_request", "CountryID", ""},
			{"malformed int", "GET", "/v1/Test/Regions?CountryID=abc", "", f.WithKey(), 400, "invalid_request", "CountryID", ""},
			{"unknown country", "GET", "/v1/Test/Regions?CountryID=9999", "", f.WithKey(), 400, "invalid_request", "CountryID", ""},
			{"malformed csv", "GET", "/v1/Test/Regions?CountryID=158&ExcludeRegionIDs=1,,x", "", f.WithKey(), 400, "invalid_request", "ExcludeRegionIDs", ""},
			{"bad OrderBy", "GET", "/v1/Test/Paged?OrderBy=name-asc", "", f.WithKey(), 400, "invalid_request", "OrderBy", ""},
			{"page size too big", "GET", "/v1/Test/Paged?PageSize=101", "", f.WithKey(), 400, "invalid_request", "PageSize", ""},
			{"page number zero", "GET", "/v1/Test/Paged?PageNumber=0", "", f.WithKey(), 400, "invalid_request", "PageNumber", ""},
			{"malformed json", "POST", "/v1/Test/Echo", `{"Name":`, f.Bearer("client"), 400, "invalid_json", "", ""},
			{"json not an object", "POST", "/v1/Test/Echo", `[1,2]`, f.Bearer("client"), 400, "invalid_json", "", ""},
			{"json field errors", "POST", "/v1/Test/Echo", `{"Name":"toolong","Credits":"1.234","SessionDate":"2026-13-01 10:00","IDs":"1,2,3,4,5"}`, f.Bearer("client"), 400, "invalid_request", "SessionDate", ""},
			{"dst gap", "POST", "/v1/Test/Echo", `{"Name":"a","Credits":1,"SessionDate":"2026-03-29 01:30"}`, f.Bearer("client"), 400, "invalid_request", "SessionDate", ""},
			{"xml body", "POST", "/v1/Test/Echo", `<Echo><Name>a</Name></Echo>`, f.Bearer("client", "Content-Type", "application/xml"), 415, "unsupported_media_type", "", ""},
			{"multipart body", "POST", "/v1/Test/Echo", "--b\r\nContent-Disposition: form-data; name=\"Name\"\r\n\r\na\r\n--b--\r\n",
				f.Bearer("client", "Content-Type", "multipart/form-data; boundary=b"), 415, "unsupported_media_type", "", ""},
			{"header too large", "GET", "/v1/Test/List", "", f.WithKey("X-Padding", strings.Repeat("p", 16<<10)), 431, "request_header_too_large", "", ""},
			{"body too large", "POST", "/v1/Test/Echo", `{"Name":"` + strings.Repeat("a", 1<<16) + `"}`, f.Bearer("client"), 413, "request_too_large", "", ""},
			{"panic", "GET", "/v1/Test/Panic", "", nil, 500, "internal_error", "", ""},
		}
		for _, tc := range tests {
			for _, fm := range apitest.Formats {
				t.Run(tc.name+"/"+fm.Name, func(t *testing.T) {
					w := f.Do(tc.method, tc.target, tc.body, append([]string{"Accept", fm.Accept}, tc.headers...)...)
					apitest.WantStatus(t, w, tc.status)
					if ct := w.Header().Get("Content-Type"); ct != fm.CType {
						t.Fatalf("Content-Type = %q, want %q", ct, fm.CType)
					}
					e := apitest.ReadError(t, w)
					if e.Code != tc.code || e.Message == "" {
						t.Fatalf("error = %+v, want code %q", e, tc.code)
					}
					if tc.field != "" && len(e.ModelState[tc.field]) == 0 {
						t.Fatalf("ModelState %v does not name %s", e.ModelState, tc.field)
					}
					if got := w.Header().Get("WWW-Authenticate"); !strings.Contains(got, tc.challenge) || (tc.challenge == "" && got != "") {
						t.Fatalf("WWW-Authenticate = %q, want it to contain %q", got, tc.challenge)
					}
					if w.Header().Get("X-Request-ID") == "" {
						t.Fatal("no X-Request-ID")
					}
				})
			}
		}
	})
}

// TestAllFieldErrorsReported checks that one answer names every offending field.
func TestAllFieldErrorsReported(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	w := f.Do("POST", "/v1/Test/Echo", `{"Name":"toolong","Credits":"1.234","SessionDate":"tomorrow","IDs":"1,2,3,4,5"}`, f.Bearer("client")...)
	apitest.WantStatus(t, w, 400)
	e := apitest.ReadError(t, w)
	for _, field := range []string{"Name", "Credits", "SessionDate", "IDs"} {
		if len(e.ModelState[field]) == 0 || !strings.Contains(e.ModelState[field][0], field) {
			t.Errorf("ModelState[%s] = %v, want a message naming it", field, e.ModelState[field])
		}
	}
}

// TestAPIKeyForms accepts the three documented ways of sending the key, a matching secret, and a bearer
// token in place of the key.
func TestAPIKeyForms(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tests := []struct {
		name    string
		target  string
		headers []string
	}{
		{"X-ApiKey", "/v1/Test/List", []string{"X-ApiKey", f.Key}},
		{"ApiKey", "/v1/Test/List", []string{"ApiKey", f.Key}},
		{"apiKey query", "/v1/Test/List?apiKey=" + f.Key, nil},
		{"APIKEY query any case", "/v1/Test/List?APIKEY=" + f.Key, nil},
		{"X-ApiSecret matches", "/v1/Test/List", []string{"X-ApiKey", f.Key, "X-ApiSecret", f.Secret}},
		{"ApiSecret matches", "/v1/Test/List", []string{"ApiKey", f.Key, "ApiSecret", f.Secret}},
		{"bearer instead of key", "/v1/Test/List", f.Bearer("client")},
		{"bearer without scope on key endpoint", "/v1/Test/List", f.Bearer("noscope")},
		{"BEARER scheme any case", "/v1/Test/Whoami", []string{"Authorization", "BEARER " + f.Tokens["client"]}},
		{"bearer with its own project's key", "/v1/Test/Whoami", f.Bearer("client", "X-ApiKey", f.Key)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			apitest.WantStatus(t, f.Do("GET", tc.target, "", tc.headers...), 200)
		})
	}
}

// TestCaseInsensitiveNames covers paths, query names and JSON body names.
func TestCaseInsensitiveNames(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	for _, target := range []string{"/v1/Test/Regions?CountryID=158", "/v1/test/regions?countryid=158",
		"/V1/TEST/REGIONS?COUNTRYID=158", "/v1/Test/Regions?countryId=158"} {
		w := f.Do("GET", target, "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		var out struct{ Regions []Region }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || len(out.Regions) == 0 {
			t.Fatalf("%s: %v %s", target, err, w.Body)
		}
	}
	w := f.Do("POST", "/v1/test/ECHO", `{"name":"abc","CREDITS":"12.5","sessionDate":"2026-12-01 18:30","ids":"3,1,3"}`, f.Bearer("client")...)
	apitest.WantStatus(t, w, 200)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out["Name"] != "abc" || out["Credits"] != 12.5 || out["SessionDate"] != "2026-12-01T18:30:00" {
		t.Fatalf("echo = %v", out)
	}
	if ids, _ := json.Marshal(out["IDs"]); string(ids) != "[3,1]" {
		t.Fatalf("IDs = %s, want duplicates counted once in request order", ids)
	}
}

// TestJSONShape checks PascalCase keys, decimals with two places, dates, nulls and camelCase.
func TestJSONShape(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	body := `{"Name":"abc","Credits":12,"SessionDate":"2026-07-01 18:30","Items":[{"BookingID":7,"IsConfirmed":true}]}`
	w := f.Do("POST", "/v1/Test/Echo", body, f.Bearer("client")...)
	apitest.WantStatus(t, w, 200)
	want := `{"Name":"abc","Credits":12.00,"SessionDate":"2026-07-01T18:30:00","Never":"0001-01-01T00:00:00","IDs":[],` +
		`"Flag":null,"Missing":null,"Items":[{"BookingID":7,"IsConfirmed":true}],"IsMulitple":false}`
	if got := w.Body.String(); got != want {
		t.Fatalf("JSON\n got %s\nwant %s", got, want)
	}
	w = f.Do("POST", "/v1/Test/Echo", body, f.Bearer("client", "X-CaseType", "camelcase")...)
	// Json.NET's rule: only the leading run of capitals is lowered (IDs→iDs, BookingID→bookingID).
	for _, key := range []string{`"name":`, `"credits":12.00`, `"sessionDate":`, `"iDs":[]`, `"items":[{"bookingID":7,"isConfirmed":true}]`, `"isMulitple":false`} {
		if !strings.Contains(w.Body.String(), key) {
			t.Fatalf("camelCase body %s lacks %s", w.Body, key)
		}
	}
	// Dictionary keys too: the error's ModelState names its fields in camelCase.
	w = f.Do("GET", "/v1/Test/Regions?CountryID=abc", "", f.WithKey("X-CaseType", "camelcase")...)
	apitest.WantStatus(t, w, 400)
	var e struct {
		ModelState map[string][]string `json:"modelState"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || !strings.HasPrefix(w.Body.String(), `{"message":`) || len(e.ModelState["countryID"]) != 1 {
		t.Fatalf("camelCase error body %s (%v)", w.Body, err)
	}
}

// TestXMLShape checks the DataContract conventions on a list, a nested model and a bare array.
func TestXMLShape(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	w := f.Do("GET", "/v1/Test/Regions?CountryID=158", "", f.WithKey("Accept", "application/xml")...)
	apitest.WantStatus(t, w, 200)
	body := w.Body.String()
	for _, want := range []string{
		`<RegionsOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Test">`,
		`<Regions><Region><CountryID>158</CountryID><RegionID>`,
	} {
		if !strings.Contains(body, want) {
			t.Fatalf("XML lacks %s:\n%s", want, body[:min(len(body), 400)])
		}
	}
	w = f.Do("POST", "/v1/Test/Echo", `{"Name":"a&b","Credits":"0.5","SessionDate":"2026-01-10 09:05","IDs":"4,2","Items":[{"BookingID":7}]}`,
		f.Bearer("client", "Accept", "text/xml")...)
	apitest.WantStatus(t, w, 200)
	want := `<?xml version="1.0" encoding="utf-8"?><EchoOutput xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Test">` +
		`<Credits>0.50</Credits><Flag i:nil="true"/>` +
		`<IDs xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:int>4</a:int><a:int>2</a:int></IDs>` +
		`<IsMulitple>false</IsMulitple><Items><EchoItemOut><BookingID>7</BookingID><IsConfirmed>false</IsConfirmed></EchoItemOut></Items>` +
		`<Missing i:nil="true"/><Name>a&amp;b</Name><Never>0001-01-01T00:00:00</Never><SessionDate>2026-01-10T09:05:00</SessionDate></EchoOutput>`
	if got := w.Body.String(); got != want {
		t.Fatalf("XML\n got %s\nwant %s", got, want)
	}
	var doc struct{ Name string }
	if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc.Name != "a&b" {
		t.Fatalf("XML does not parse back: %v %+v", err, doc)
	}
	// A bare array answers ArrayOf<Item>.
	w = f.Do("GET", "/v1/Test/Array", "", f.WithKey("Accept", "application/xml")...)
	if !strings.Contains(w.Body.String(), `<ArrayOfListItem xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Test"><ListItem><ItemID>1</ItemID><ItemName>Female</ItemName></ListItem>`) {
		t.Fatalf("bare array XML: %s", w.Body.String())
	}
}

// TestNegotiation covers Accept, the format override and the default.
func TestNegotiation(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tests := []struct{ target, accept, want string }{
		{"/v1/Test/List", "", "application/json"},
		{"/v1/Test/List", "application/json", "application/json"},
		{"/v1/Test/List", "text/xml", "text/xml"},
		{"/v1/Test/List", "application/xml", "application/xml"},
		{"/v1/Test/List", "text/xml, application/xml", "application/xml"},
		{"/v1/Test/List", "application/xml;q=0.5, text/xml", "text/xml"},
		{"/v1/Test/List", "text/xml;q=0.9, application/xml;q=abc", "text/xml"},
		{"/v1/Test/List?format=xml", "text/xml", "application/xml"},
		{"/v1/Test/Regions", "text/xml", "text/xml"}, // an error answers as asked too
		{"/v1/Test/Regions?format=xml", "", "application/xml"},
		{"/v1/Test/List", "application/xml;q=0.4, application/json", "application/json"},
		{"/v1/Test/List", "text/html,application/xml;q=0.9,*/*;q=0.8", "application/xml"},
		{"/v1/Test/List?format=xml", "application/json", "application/xml"},
		{"/v1/Test/List?FORMAT=json", "application/xml", "application/json"},
	}
	for _, tc := range tests {
		w := f.Do("GET", tc.target, "", f.WithKey("Accept", tc.accept)...)
		if ct := w.Header().Get("Content-Type"); ct != tc.want+"; charset=utf-8" {
			t.Errorf("%s Accept %q: Content-Type %q, want %s", tc.target, tc.accept, ct, tc.want)
		}
	}
}

// TestMethodNotAllowed checks ASP.NET's answer to a known path with a verb it does not answer: 405,
// its message, and an Allow header that is sorted, stable and offers HEAD wherever GET is. OPTIONS is
// such a verb until CORS preflights are answered.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tests := []struct{ method, target, allow string }{
		{"POST", "/v1/Test/List", "GET, HEAD"},
		{"OPTIONS", "/v1/Test/List", "GET, HEAD"},
		{"PUT", "/v1/test/list/", "GET, HEAD"},
		{"GET", "/v1/Test/Echo", "POST"},
		{"HEAD", "/v1/Test/Echo", "POST"},
		{"DELETE", "/v1/Test/Echo", "POST"},
		{"GET", "/v1/Test/Update", "PUT"},
		{"PUT", "/v1/Test/Either", "GET, HEAD, POST"},
		{"DELETE", "/v1/Groups/Test/Update?UserID=3", "PUT"},
		{"POST", "/v1/Groups/Test/Whoami?UserID=3", "GET, HEAD"},
	}
	for _, tc := range tests {
		for _, fm := range apitest.Formats {
			for range 3 { // the same every time, whatever map order does
				w := f.Do(tc.method, tc.target, "", f.Bearer("manager", "Accept", fm.Accept)...)
				apitest.WantStatus(t, w, http.StatusMethodNotAllowed)
				if got := w.Header().Get("Allow"); got != tc.allow {
					t.Fatalf("%s %s: Allow %q, want %q", tc.method, tc.target, got, tc.allow)
				}
				if ct := w.Header().Get("Content-Type"); ct != fm.CType {
					t.Fatalf("%s %s: Content-Type %q, want %q", tc.method, tc.target, ct, fm.CType)
				}
				if tc.method == "HEAD" {
					continue // no body to read
				}
				want := "The requested resource does not support http method '" + tc.method + "'."
				if e := apitest.ReadError(t, w); e.Message != want || e.Code != "method_not_allowed" {
					t.Fatalf("%s %s: %+v, want %q", tc.method, tc.target, e, want)
				}
			}
		}
	}
}

// TestTrailingSlash checks that a trailing slash reaches the same method, counted under its route.
func TestTrailingSlash(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	plain := f.Do("GET", "/v1/Test/Regions?CountryID=158", "", f.WithKey()...)
	apitest.WantStatus(t, plain, 200)
	for _, target := range []string{"/v1/Test/Regions/?CountryID=158", "/v1/test/regions/?countryid=158"} {
		w := f.Do("GET", target, "", f.WithKey()...)
		apitest.WantStatus(t, w, 200)
		if w.Body.String() != plain.Body.String() {
			t.Fatalf("%s answered %s", target, w.Body)
		}
	}
	w := f.Do("HEAD", "/v1/Test/List/", "", f.WithKey()...)
	apitest.WantStatus(t, w, 200)
	w = f.Do("POST", "/v1/Test/Echo/", `{"Name":"a","Credits":1,"SessionDate":"2026-12-01 10:00"}`, f.Bearer("client")...)
	apitest.WantStatus(t, w, 200)
	w = f.Do("GET", "/v1/Groups/Test/Whoami/?UserID=3", "", f.Bearer("manager")...)
	apitest.WantStatus(t, w, 200)
	var who Whoami
	if err := json.Unmarshal(w.Body.Bytes(), &who); err != nil || who.ActingUserID != 3 {
		t.Fatalf("GM variant with a trailing slash: %s", w.Body)
	}
	apitest.WantStatus(t, f.Do("GET", "/v1/Test/List//", "", f.WithKey()...), 404)
	metrics := f.Do("GET", "/metrics", "").Body.String()
	if !strings.Contains(metrics, `awapi_http_requests_total{method="GET",route="/v1/Test/Regions",status="200"} 3`) {
		t.Fatalf("trailing-slash requests not counted under their route:\n%s", grep(metrics, "Test/Regions"))
	}
}

// TestRequestBodyTypes checks which bodies are read: JSON (also without a Content-Type, and as
// text/plain) and forms; any other type is 415 in the API's error shape, naming the accepted types,
// as is a body that is not JSON where JSON was expected.
func TestRequestBodyTypes(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	const jsonBody = `{"Name":"a","Credits":1,"SessionDate":"2026-12-01 10:00"}`
	const formBody = `Name=a&Credits=1&SessionDate=2026-12-01+10:00`
	tests := []struct {
		name, ctype, body string
		status            int
		code              string
	}{
		{"json", "application/json", jsonBody, 200, ""},
		{"json with charset", "application/json; charset=utf-8", jsonBody, 200, ""},
		{"json with a malformed parameter", "application/json; charset", jsonBody, 200, ""},
		{"json without Content-Type", "", jsonBody, 200, ""},
		{"text/json", "text/json", jsonBody, 200, ""},
		{"json suffix", "application/vnd.example+json", jsonBody, 200, ""},
		{"json as text/plain", "text/plain;charset=UTF-8", jsonBody, 200, ""},
		{"form", "application/x-www-form-urlencoded", formBody, 200, ""},
		{"form any case", "Application/X-WWW-Form-Urlencoded; charset=utf-8", formBody, 200, ""},
		{"xml", "application/xml", `<Echo><Name>a</Name></Echo>`, 415, "unsupported_media_type"},
		{"text/xml", "text/xml", `<Echo/>`, 415, "unsupported_media_type"},
		{"multipart", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"Name\"\r\n\r\na\r\n--b--\r\n", 415, "unsupported_media_type"},
		{"plain text", "text/plain", "Name=a", 415, "unsupported_media_type"},
		{"malformed Content-Type", "application/", jsonBody, 415, "unsupported_media_type"},
		{"not JSON without Content-Type", "", `<Echo/>`, 400, "invalid_json"},
		{"not JSON as JSON", "application/json", `Name=a`, 400, "invalid_json"},
		{"empty body of another type", "application/xml", "", 400, "invalid_request"}, // nothing to read: binding answers
	}
	for _, tc := range tests {
		for _, fm := range apitest.Formats {
			headers := f.Bearer("client", "Accept", fm.Accept)
			if tc.ctype != "" {
				headers = append(headers, "Content-Type", tc.ctype)
			}
			w := f.Do("POST", "/v1/Test/Echo", tc.body, headers...)
			if w.Code != tc.status {
				t.Fatalf("%s/%s: status %d, want %d; body %s", tc.name, fm.Name, w.Code, tc.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != fm.CType {
				t.Fatalf("%s/%s: Content-Type %q, want %q", tc.name, fm.Name, ct, fm.CType)
			}
			if tc.status == 200 {
				continue
			}
			e := apitest.ReadError(t, w)
			if e.Code != tc.code {
				t.Fatalf("%s/%s: code %q, want %q (%s)", tc.name, fm.Name, e.Code, tc.code, e.Message)
			}
			if tc.code != "invalid_request" && (!strings.Contains(e.Message, "application/json") || !strings.Contains(e.Message, "application/x-www-form-urlencoded")) {
				t.Fatalf("%s/%s: message %q does not say which bodies are accepted", tc.name, fm.Name, e.Message)
			}
		}
	}
}

// TestHeaderLimit checks the server's own limit on the request line and headers: 431 in the error
// shape of the negotiated format, for the headers and for a long query string, at the configured size.
func TestHeaderLimit(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	pad := func(n int) string { return strings.Repeat("p", n) }
	apitest.WantStatus(t, f.Do("GET", "/v1/Test/List", "", f.WithKey("X-Padding", pad(15<<10))...), 200)
	for _, fm := range apitest.Formats {
		for name, w := range map[string]*httptest.ResponseRecorder{
			"header":       f.Do("GET", "/v1/Test/List", "", f.WithKey("Accept", fm.Accept, "X-Padding", pad(16<<10))...),
			"query":        f.Do("GET", "/v1/Test/List?x="+pad(16<<10), "", f.WithKey("Accept", fm.Accept)...),
			"unknown path": f.Do("GET", "/nowhere", "", "Accept", fm.Accept, "X-Padding", pad(16<<10)),
			"many headers": f.Do("GET", "/v1/Test/List", "", append(f.WithKey("Accept", fm.Accept), manyHeaders(500)...)...),
			"ops path":     f.Do("GET", "/healthz", "", "Accept", fm.Accept, "Cookie", pad(16<<10)),
		} {
			apitest.WantStatus(t, w, http.StatusRequestHeaderFieldsTooLarge)
			if ct := w.Header().Get("Content-Type"); ct != fm.CType {
				t.Fatalf("%s/%s: Content-Type %q", name, fm.Name, ct)
			}
			if e := apitest.ReadError(t, w); e.Code != "request_header_too_large" || !strings.Contains(e.Message, "16384 bytes") {
				t.Fatalf("%s/%s: %+v", name, fm.Name, e)
			}
		}
	}
	small := New(f.St, Config{MaxHeaderBytes: 1 << 10}, testEndpoints()...)
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/v1/Test/List", nil)
	r.Header.Set("X-Padding", pad(1<<10))
	small.ServeHTTP(w, r)
	apitest.WantStatus(t, w, http.StatusRequestHeaderFieldsTooLarge)
}

// manyHeaders makes n short headers, about 40 bytes each.
func manyHeaders(n int) []string {
	var out []string
	for i := range n {
		out = append(out, "X-Header-"+itoa(i), strings.Repeat("v", 24))
	}
	return out
}

// TestPaging checks 1-based pages, the page size and PageCount, and OrderBy.
func TestPaging(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	tests := []struct {
		query     string
		pageCount int
		items     string
	}{
		{"PageSize=50&Total=120", 3, "1..50"},
		{"PageSize=50&PageNumber=3&Total=120", 3, "101..120"},
		{"PageSize=50&PageNumber=4&Total=120", 3, ""},
		{"PageSize=100&Total=100", 1, "1..100"},
		{"PageSize=1&PageNumber=2&Total=3&OrderBy=ID-DESC", 3, "2..2"},
		{"Total=0", 0, ""},
	}
	for _, tc := range tests {
		for _, fm := range apitest.Formats {
			w := f.Do("GET", "/v1/Test/Paged?"+tc.query, "", f.WithKey("Accept", fm.Accept)...)
			apitest.WantStatus(t, w, 200)
			var out struct {
				PageCount, PageNumber, PageSize int
				Items                           []int `xml:"Items>int"`
			}
			var err error
			if fm.Name == "json" {
				err = json.Unmarshal(w.Body.Bytes(), &out)
			} else {
				err = xml.Unmarshal(w.Body.Bytes(), &out)
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(out.Items) > 0 {
				got = strings.Join([]string{itoa(out.Items[0]), itoa(out.Items[len(out.Items)-1])}, "..")
			}
			if out.PageCount != tc.pageCount || got != tc.items {
				t.Errorf("%s %s: PageCount %d items %s, want %d %s", fm.Name, tc.query, out.PageCount, got, tc.pageCount, tc.items)
			}
		}
	}
}

// TestGroupManager checks the /v1/Groups/... variant: only for members of the manager's own group.
func TestGroupManager(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tests := []struct {
			name   string
			target string
			token  string
			status int
			acting int64
		}{
			{"own member", "/v1/Groups/Test/Whoami?UserID=3", "manager", 200, 3},
			{"any case, camel name", "/v1/groups/test/whoami?userId=3", "manager", 200, 3},
			{"manager acts for self", "/v1/Groups/Test/Whoami?UserID=2", "manager", 200, 2},
			{"other group's member", "/v1/Groups/Test/Whoami?UserID=4", "manager", 404, 0},
			{"member outside any group", "/v1/Groups/Test/Whoami?UserID=1", "manager", 404, 0},
			{"no such member", "/v1/Groups/Test/Whoami?UserID=999", "manager", 404, 0},
			{"missing UserID", "/v1/Groups/Test/Whoami", "manager", 400, 0},
			{"not a manager", "/v1/Groups/Test/Whoami?UserID=3", "member", 403, 0},
			{"plain call", "/v1/Test/Whoami?UserID=3", "member", 200, 3},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				w := f.Do("GET", tc.target, "", f.Bearer(tc.token)...)
				apitest.WantStatus(t, w, tc.status)
				if tc.status != 200 {
					return
				}
				var out Whoami
				if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.ActingUserID != tc.acting {
					t.Fatalf("whoami = %+v (%v), want acting %d", out, err, tc.acting)
				}
			})
		}
	})
}

// TestMaskImages checks that X-MaskImages replaces exactly the image URLs not marked safe.
func TestMaskImages(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	for _, fm := range apitest.Formats {
		for _, mask := range []string{"", "0", "1", "true"} {
			w := f.Do("GET", "/v1/Test/Images", "", f.WithKey("Accept", fm.Accept, "X-MaskImages", mask)...)
			apitest.WantStatus(t, w, 200)
			body := w.Body.String()
			masked := mask == "1" || mask == "true"
			checks := []struct {
				url    string
				masked bool
			}{
				{"images/l/1_1.jpg", false}, {"images/t/1_1.jpg", masked}, {"images/t/1_2.jpg", false}, {"rentals.adultwork.com/1.jpg", masked},
			}
			for _, c := range checks {
				if strings.Contains(body, c.url) == c.masked {
					t.Errorf("%s X-MaskImages=%q: %s masked=%v, body %s", fm.Name, mask, c.url, !strings.Contains(body, c.url), body)
				}
			}
			if strings.Contains(body, MaskedImageURL) != masked {
				t.Errorf("%s X-MaskImages=%q: masked URL present=%v", fm.Name, mask, !masked)
			}
		}
	}
}

// TestRequestID echoes a caller's request ID and makes one otherwise.
func TestRequestID(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	if got := f.Do("GET", "/healthz", "", "X-Request-ID", "abc-123").Header().Get("X-Request-ID"); got != "abc-123" {
		t.Fatalf("X-Request-ID = %q", got)
	}
	a := f.Do("GET", "/healthz", "", "X-Request-ID", "bad id\r\nx").Header().Get("X-Request-ID")
	b := f.Do("GET", "/healthz", "").Header().Get("X-Request-ID")
	if len(a) != 16 || len(b) != 16 || a == b {
		t.Fatalf("generated IDs %q %q", a, b)
	}
}

// TestMetricsByRoutePattern checks that metrics are labelled by the declared pattern, never the raw path.
func TestMetricsByRoutePattern(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	f.Do("GET", "/v1/test/LIST", "", f.WithKey()...)
	f.Do("GET", "/v1/no/such/thing-12345", "")
	w := f.Do("GET", "/metrics", "")
	apitest.WantStatus(t, w, 200)
	body := w.Body.String()
	if !strings.Contains(body, `awapi_http_requests_total{method="GET",route="/v1/Test/List",status="200"} 1`) {
		t.Fatalf("metrics lack the route pattern:\n%s", grep(body, "awapi_http_requests_total"))
	}
	if strings.Contains(body, "GETGENDERS") || strings.Contains(body, "thing-12345") {
		t.Fatal("a raw path leaked into metric labels")
	}
}

func TestHealth(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	apitest.WantStatus(t, f.Do("GET", "/healthz", ""), 200)
	apitest.WantStatus(t, f.Do("GET", "/readyz", ""), 200)
	f.St.Close()
	apitest.WantStatus(t, f.Do("GET", "/readyz", ""), http.StatusServiceUnavailable)
}

func grep(s, substr string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
