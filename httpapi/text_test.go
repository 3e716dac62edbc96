package httpapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/apitest"
	"github.com/awapi/awapi/web"
)

// badTexts are values no string parameter may take: each once through every source a method reads.
var badTexts = []struct{ name, value string }{
	{"NUL", "a\x00b"},
	{"control", "a\x1bb"},
	{"invalid UTF-8", "a\xffb"},
	{"noncharacter", "a\uffffb"},
}

// jsonString writes s as a JSON string literal with its bytes as they are: control characters
// escaped, invalid UTF-8 left raw (encoding/json would replace it before the server could see it).
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&0xf])
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestStringParamsRefuseBadText is generated from the endpoint declarations: every string parameter
// of every endpoint (and the UserID of every Group-manager variant) is sent each bad text, in the
// query for GET and as a form and a JSON body for POST and PUT, by a group manager whose token has
// every scope. Every call reaches binding, so every answer must be 400 naming the poisoned field, on
// both engines; none may be a 5xx.
func TestStringParamsRefuseBadText(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		var scopes []awapi.Scope
		for _, s := range awapi.Scopes {
			scopes = append(scopes, s.Scope)
		}
		auth := []string{"Authorization", "bearer " + f.Mint(2, scopes...)} // member 2 manages group 1
		covered := map[string]bool{}
		check := func(t *testing.T, method, path, field, value, extraQuery string) {
			t.Helper()
			covered[path+" "+field] = true
			type send struct{ name, target, body, ctype string }
			var sends []send
			q := url.QueryEscape(field) + "=" + url.QueryEscape(value)
			if extraQuery != "" {
				q = extraQuery + "&" + q
			}
			if method == "GET" {
				sends = []send{{"query", path + "?" + q, "", ""}}
			} else {
				target := path
				if extraQuery != "" {
					target += "?" + extraQuery
				}
				sends = []send{
					{"form", target, url.QueryEscape(field) + "=" + url.QueryEscape(value), "application/x-www-form-urlencoded"},
					{"json", target, "{" + jsonString(field) + ":" + jsonString(value) + "}", "application/json"},
				}
			}
			for _, s := range sends {
				headers := slices.Clone(auth)
				if s.ctype != "" {
					headers = append(headers, "Content-Type", s.ctype)
				}
				w := f.Do(method, s.target, s.body, headers...)
				if w.Code >= 500 || w.Code != 400 {
					t.Errorf("%s %s %s %s=%q: status %d; body %s", method, path, s.name, field, value, w.Code, w.Body)
					continue
				}
				if e := apitest.ReadError(t, w); len(e.ModelState[field]) == 0 {
					t.Errorf("%s %s %s %s=%q: ModelState %v does not name %s", method, path, s.name, field, value, e.ModelState, field)
				}
			}
		}
		for _, e := range f.srv.Endpoints() {
			for _, method := range e.Methods() {
				for _, bad := range badTexts {
					for _, p := range e.Params() {
						if p.Type != "string" {
							continue
						}
						check(t, method, e.Path, p.Name, bad.value, "")
						if e.GM == web.WithGM {
							check(t, method, e.GMPath(), p.Name, bad.value, "UserID=3")
						}
					}
					if e.GM == web.WithGM {
						check(t, method, e.GMPath(), "UserID", "3"+bad.value, "")
					}
				}
			}
		}
		// The fields of the issue, so the walk is known to reach them.
		for _, want := range []string{"/v1/Search/SearchProfiles Town", "/v1/Webcam/CreateBooking SignInNameOrEmail",
			"/v1/Account/Update Summary", "/v1/Account/Update Town", "/v1/Account/Update Details",
			"/v1/Groups/Account/Update UserID", "/v1/Groups/Account/Update Town"} {
			if !covered[want] {
				t.Errorf("%s was not generated", want)
			}
		}
	})
}

// TestCreateBookingRefusesBadSignInName is the booking: an otherwise valid CreateBooking whose
// SignInNameOrEmail holds NUL or invalid UTF-8 is a 400 naming it, and nothing is stored.
func TestCreateBookingRefusesBadSignInName(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		for _, bad := range badTexts {
			form := url.Values{}
			for k, v := range newBooking(f, "10,11", obj{"SignInNameOrEmail": bad.value}) {
				form.Set(k, fmt.Sprint(v))
			}
			body := "{"
			for k, v := range newBooking(f, "10,11", nil) {
				if k != "SignInNameOrEmail" {
					raw, _ := json.Marshal(v)
					body += jsonString(k) + ":" + string(raw) + ","
				}
			}
			body += `"SignInNameOrEmail":` + jsonString(bad.value) + "}"
			for _, send := range []struct{ ctype, body string }{
				{"application/x-www-form-urlencoded", form.Encode()},
				{"application/json", body},
			} {
				w := f.Do("POST", "/v1/Webcam/CreateBooking", send.body, f.Bearer("client", "Content-Type", send.ctype)...)
				apitest.WantStatus(t, w, 400)
				if e := apitest.ReadError(t, w); len(e.ModelState) != 1 || len(e.ModelState["SignInNameOrEmail"]) != 1 {
					t.Fatalf("%s %s: ModelState %v, want SignInNameOrEmail alone", bad.name, send.ctype, e.ModelState)
				}
			}
		}
		var page bookingsView
		if s := f.callWith(f.Tokens["client"], "GET", "/v1/Webcam/MadeBookings", nil, &page); s != 200 || page.BookingsTotal != 0 {
			t.Fatalf("MadeBookings: %d, %d stored", s, page.BookingsTotal)
		}
	})
}
