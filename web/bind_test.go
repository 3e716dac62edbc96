package web

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// btLondon is the server zone the binding tests run in.
var btLondon = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

func btCall() *Call {
	return &Call{Now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), Loc: btLondon}
}

type btItem struct {
	ID   int
	Note string
}

// btAll has a parameter of every kind the binder supports, none required.
type btAll struct {
	PageNumber int           `api:"min=1,default=1"`
	PageSize   int           `api:"min=1,max=100,default=50"`
	GenderIDs  []int         `api:"alias=GenderID,items=1-4,min=1"`
	Name       string        `api:"maxlen=5"`
	Type       string        `api:"enum=ProfileViews|EscortViews,default=escortviews"`
	Flag       *bool         ``
	Strict     bool          ``
	Count      *int          `api:"min=0,max=5"`
	Big        int64         `api:"min=-1"`
	Amount     awapi.Credits `api:"min=1"`
	When       time.Time     `api:"format=datetime"`
	Day        *time.Time    `api:"format=date"`
	UKDay      time.Time     `api:"format=ukdate"`
	Start      int           `api:"format=clock"`
	Items      []btItem      ``
	Odd        string        `api:"name=x-odd"`
}

type btRequired struct {
	UserID int    `api:"required,min=1"`
	Title  string `api:"required,minlen=2"`
	Note   string
}

// btRange has a cross-field rule; validated records whether Validate ran.
type btRange struct {
	From      int `api:"required"`
	To        int `api:"required,max=100"`
	validated bool
}

func (r *btRange) Validate(_ *Call, v *awapi.Validation) {
	r.validated = true
	if r.To < r.From {
		v.Addf("To", "To must not be before From.")
	}
}

// btSource builds a source the way the server does: the query string through queryValues and the body
// through parseJSONBody.
func btSource(t testing.TB, query, body string) *source {
	t.Helper()
	var err error
	src := &source{values: queryValues(query)}
	if src.json, err = parseJSONBody([]byte(body)); err != nil {
		t.Fatalf("parseJSONBody(%q): %v", body, err)
	}
	return src
}

func btBind[T any](t testing.TB, query, body string) (*T, *awapi.Error) {
	t.Helper()
	typ := reflect.TypeFor[T]()
	v, err := bind(typ, paramsOf(typ), btSource(t, query, body), btCall())
	if err == nil {
		return v.Interface().(*T), nil
	}
	e, ok := errors.AsType[*awapi.Error](err)
	if !ok {
		t.Fatalf("bind returned %T %v, want *awapi.Error", err, err)
	}
	if e.Kind != awapi.KindInvalid || e.Code != "invalid_request" {
		t.Fatalf("bind error kind %v code %q, want KindInvalid invalid_request", e.Kind, e.Code)
	}
	return v.Interface().(*T), e
}

func btDefaults() btAll {
	return btAll{PageNumber: 1, PageSize: 50, Type: "EscortViews"}
}

func TestBindValues(t *testing.T) {
	ptrInt := func(n int) *int { return &n }
	ptrBool := func(b bool) *bool { return &b }
	tests := []struct {
		name        string
		query, body string
		want        func(*btAll) // edits btDefaults() into the expected model
	}{
		{"nothing", "", "", func(*btAll) {}},
		{"exact name", "PageNumber=3", "", func(w *btAll) { w.PageNumber = 3 }},
		{"lower-case name", "pagenumber=3", "", func(w *btAll) { w.PageNumber = 3 }},
		{"upper-case name", "PAGENUMBER=3", "", func(w *btAll) { w.PageNumber = 3 }},
		{"JSON any case", "", `{"PAGESIZE": 7, "pagenumber": 2}`, func(w *btAll) { w.PageNumber, w.PageSize = 2, 7 }},
		{"value with spaces", "PageSize=%2012%20", "", func(w *btAll) { w.PageSize = 12 }},
		{"empty value is absent", "PageSize=&Type=&Count=&Flag=", "", func(*btAll) {}},
		{"blank value is absent", "PageSize=%20%20&GenderIDs=%20", "", func(*btAll) {}},
		{"first of repeated values", "PageSize=10&PageSize=20", "", func(w *btAll) { w.PageSize = 10 }},
		{"enum normalised", "Type=profileVIEWS", "", func(w *btAll) { w.Type = "ProfileViews" }},
		{"enum trimmed", "Type=%20ProfileViews%20", "", func(w *btAll) { w.Type = "ProfileViews" }},
		{"enum default normalised", "", "", func(w *btAll) { w.Type = "EscortViews" }},
		{"list", "GenderIDs=1,2,3", "", func(w *btAll) { w.GenderIDs = []int{1, 2, 3} }},
		{"list alias", "GenderID=3", "", func(w *btAll) { w.GenderIDs = []int{3} }},
		{"list alias any case", "genderid=4,2", "", func(w *btAll) { w.GenderIDs = []int{4, 2} }},
		{"list deduplicated before the limit", "GenderIDs=1,1,1,1,1", "", func(w *btAll) { w.GenderIDs = []int{1} }},
		{"list of four after dedupe", "GenderIDs=1,2,3,4,4,3,2,1", "", func(w *btAll) { w.GenderIDs = []int{1, 2, 3, 4} }},
		{"list as JSON string", "", `{"GenderIDs": "5, 6"}`, func(w *btAll) { w.GenderIDs = []int{5, 6} }},
		{"list as JSON array", "", `{"GenderIDs": [7, 7, 8]}`, func(w *btAll) { w.GenderIDs = []int{7, 8} }},
		{"string", "Name=abc", "", func(w *btAll) { w.Name = "abc" }},
		{"string length in characters", "Name=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", "", func(w *btAll) { w.Name = "ééééé" }},
		{"wire name", "x-odd=hi", "", func(w *btAll) { w.Odd = "hi" }},
		{"Go name is not the wire name", "Odd=hi", "", func(*btAll) {}},
		{"pointer bool", "Flag=TRUE", "", func(w *btAll) { w.Flag = ptrBool(true) }},
		{"pointer bool false", "flag=0", "", func(w *btAll) { w.Flag = ptrBool(false) }},
		{"bool", "Strict=1", "", func(w *btAll) { w.Strict = true }},
		{"JSON bool", "", `{"Strict": true, "Flag": false}`, func(w *btAll) { w.Strict, w.Flag = true, ptrBool(false) }},
		{"pointer int zero", "Count=0", "", func(w *btAll) { w.Count = ptrInt(0) }},
		{"int64", "Big=9223372036854775807", "", func(w *btAll) { w.Big = 9223372036854775807 }},
		{"credits", "Amount=12.5", "", func(w *btAll) { w.Amount = 1250 }},
		{"JSON credits number", "", `{"Amount": 1.05}`, func(w *btAll) { w.Amount = 105 }},
		{"datetime winter", "When=2026-01-15%2012:00", "", func(w *btAll) { w.When = time.Date(2026, 1, 15, 12, 0, 0, 0, btLondon) }},
		{"datetime summer", "When=2026-07-15T12:00", "", func(w *btAll) { w.When = time.Date(2026, 7, 15, 12, 0, 0, 0, btLondon) }},
		{"datetime overlap", "", `{"When": "2026-10-25 01:30"}`, func(w *btAll) {
			w.When = time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC).In(btLondon)
		}},
		{"date", "Day=2026-02-28", "", func(w *btAll) { d := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC); w.Day = &d }},
		{"ukdate", "UKDay=28-02-2026", "", func(w *btAll) { w.UKDay = time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC) }},
		{"clock", "Start=09:30", "", func(w *btAll) { w.Start = 570 }},
		{"JSON string numbers", "", `{"PageNumber": "12", "PageSize": " 20 ", "Big": "-1"}`, func(w *btAll) {
			w.PageNumber, w.PageSize, w.Big = 12, 20, -1
		}},
		{"JSON null is absent", "", `{"PageSize": null, "Count": null, "Type": null, "Items": null}`, func(*btAll) {}},
		{"JSON empty string is absent", "", `{"PageSize": "", "Name": ""}`, func(*btAll) {}},
		{"JSON objects", "", `{"Items": [{"ID": 1, "Note": "a"}, {"id": 2}]}`, func(w *btAll) {
			w.Items = []btItem{{1, "a"}, {2, ""}}
		}},
		{"JSON wins over the query", "PageSize=10", `{"PageSize": 20}`, func(w *btAll) { w.PageSize = 20 }},
		{"query is a fallback", "PageSize=10", `{"PageNumber": 2}`, func(w *btAll) { w.PageNumber, w.PageSize = 2, 10 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := btBind[btAll](t, tt.query, tt.body)
			if err != nil {
				t.Fatalf("bind(%q, %q) error: %v", tt.query, tt.body, err)
			}
			want := btDefaults()
			tt.want(&want)
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("bind(%q, %q) =\n%+v\nwant\n%+v", tt.query, tt.body, *got, want)
			}
		})
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		name        string
		query, body string
		want        map[string]string // field -> substring of its message
	}{
		{"page number below min", "PageNumber=0", "", map[string]string{"PageNumber": "PageNumber must be at least 1."}},
		{"page size above max", "pagesize=101", "", map[string]string{"PageSize": "PageSize must be between 1 and 100."}},
		{"page size below min", "PageSize=-5", "", map[string]string{"PageSize": "PageSize must be between 1 and 100."}},
		{"not a number", "PageSize=ten", "", map[string]string{"PageSize": "PageSize must be a whole number."}},
		{"decimal int", "", `{"PageSize": 1.5}`, map[string]string{"PageSize": "PageSize must be a whole number."}},
		{"int out of 32 bits", "PageNumber=2147483648", "", map[string]string{"PageNumber": "PageNumber is out of range."}},
		{"int64 out of range", "Big=9223372036854775808", "", map[string]string{"Big": "Big must be a whole number."}},
		{"int64 below min", "Big=-2", "", map[string]string{"Big": "Big must be at least -1."}},
		{"pointer int above max", "Count=6", "", map[string]string{"Count": "Count must be between 0 and 5."}},
		{"enum", "Type=Sideways", "", map[string]string{"Type": "Type must be one of ProfileViews, EscortViews."}},
		{"maxlen", "Name=abcdef", "", map[string]string{"Name": "Name must be at most 5 characters long."}},
		{"maxlen in characters", "Name=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", "", map[string]string{"Name": "at most 5 characters"}},
		{"bool", "Flag=yes", "", map[string]string{"Flag": "Flag must be true or false."}},
		{"too many IDs", "GenderIDs=1,2,3,4,5", "", map[string]string{"GenderIDs": "GenderIDs must list at most 4 IDs."}},
		{"too many IDs via alias", "GenderID=1,2,3,4,5", "", map[string]string{"GenderIDs": "at most 4 IDs"}},
		{"bad list", "GenderIDs=1,,2", "", map[string]string{"GenderIDs": "GenderIDs must be a comma-separated list"}},
		{"bad JSON list", "", `{"GenderIDs": [1, "x"]}`, map[string]string{"GenderIDs": "comma-separated list"}},
		{"ID below min", "GenderIDs=0,1", "", map[string]string{"GenderIDs": "GenderIDs must hold only IDs"}},
		{"credits", "Amount=1.234", "", map[string]string{"Amount": "Amount must be a decimal amount"}},
		{"credits below min", "Amount=0.99", "", map[string]string{"Amount": "Amount must be at least 1."}},
		{"credits too large", "Amount=1000000001", "", map[string]string{"Amount": "Amount is too large."}},
		{"datetime", "When=2026-07-15", "", map[string]string{"When": "When must be a date and time in the form YYYY-MM-DD HH:MM."}},
		{"datetime gap", "When=2026-03-29%2001:30", "", map[string]string{"When": "When does not exist in the Europe/London time zone"}},
		{"date", "Day=15-07-2026", "", map[string]string{"Day": "Day must be a date in the form yyyy-MM-dd."}},
		{"ukdate", "UKDay=31-02-2026", "", map[string]string{"UKDay": "UKDay must be a date in the form dd-MM-yyyy."}},
		{"clock", "Start=24:00", "", map[string]string{"Start": "Start must be a time in the form HH:mm."}},
		{"JSON field from the query", "Items=x", "", map[string]string{"Items": "Items must be sent in a JSON body."}},
		{"JSON field of the wrong shape", "", `{"Items": {"ID": 1}}`, map[string]string{"Items": "Items is not in the expected form"}},
		{"JSON field item of the wrong shape", "", `{"Items": [{"ID": "x"}]}`, map[string]string{"Items": "Items is not in the expected form"}},
		{"multiple bad fields", "PageSize=0&PageNumber=x&Type=up&GenderIDs=a&Start=7:5", "", map[string]string{
			"PageSize": "between 1 and 100", "PageNumber": "whole number", "Type": "must be one of",
			"GenderIDs": "comma-separated", "Start": "HH:mm"}},
		{"multiple bad fields in JSON", "", `{"PageSize": 0, "Strict": "maybe", "When": "soon", "Amount": "1e3"}`, map[string]string{
			"PageSize": "between", "Strict": "true or false", "When": "YYYY-MM-DD HH:MM", "Amount": "decimal amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := btBind[btAll](t, tt.query, tt.body)
			if err == nil {
				t.Fatalf("bind(%q, %q) succeeded, want errors on %v", tt.query, tt.body, slices.Sorted(maps.Keys(tt.want)))
			}
			btCheckFields(t, err, tt.want)
		})
	}
}

// TestBindRefusesBadText checks the text rule of every parameter kind and source: invalid UTF-8, NUL,
// other C0 controls and U+FFFE/U+FFFF are a 400 naming the field (nested strings by their path); tab,
// CR and LF pass.
func TestBindRefusesBadText(t *testing.T) {
	const ctl, utf = "must not contain control characters other than tab, CR and LF", "must be valid UTF-8 text"
	tests := []struct {
		name        string
		query, body string
		want        map[string]string // nil: binds
	}{
		{"NUL in query", "Name=a%00b", "", map[string]string{"Name": ctl}},
		{"NUL in JSON", "", `{"Name": "a\u0000b"}`, map[string]string{"Name": ctl}},
		{"escape in query", "Name=a%1Bb", "", map[string]string{"Name": ctl}},
		{"invalid UTF-8 in query", "Name=a%FFb", "", map[string]string{"Name": utf}},
		{"invalid UTF-8 in JSON", "", "{\"Name\": \"a\xffb\"}", map[string]string{"Name": utf}},
		{"overlong UTF-8", "Name=%C0%80", "", map[string]string{"Name": utf}},
		{"encoded surrogate", "Name=%ED%A0%80", "", map[string]string{"Name": utf}},
		{"noncharacter", "Name=%EF%BF%BF", "", map[string]string{"Name": "U+FFFE and U+FFFF"}},
		{"NUL in an enum", "Type=EscortViews%00", "", map[string]string{"Type": ctl}},
		{"NUL in a number", "PageSize=5%00", "", map[string]string{"PageSize": ctl}},
		{"NUL in a date", "Day=2026-07-15%00", "", map[string]string{"Day": ctl}},
		{"NUL in a list", "GenderIDs=1,2%00", "", map[string]string{"GenderIDs": ctl}},
		{"NUL in a renamed field", "x-odd=%00", "", map[string]string{"x-odd": ctl}},
		{"NUL nested in a JSON field", "", `{"Items": [{"ID": 1, "Note": "ok"}, {"ID": 2, "Note": "a\u0000b"}]}`,
			map[string]string{"Items": "Items[1].Note " + ctl}},
		{"invalid UTF-8 nested in a JSON field", "", "{\"Items\": [{\"Note\": \"\xff\"}]}", map[string]string{"Items": utf}},
		{"several fields", "Name=%00&Type=%FF", "", map[string]string{"Name": ctl, "Type": utf}},
		{"tab, CR and LF pass", "Name=a%09b%0D%0A", `{"Items": [{"Note": "line\r\nline\tend"}]}`, nil},
		{"DEL and U+FFFD pass", "Name=%7F%EF%BF%BD", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := btBind[btAll](t, tt.query, tt.body)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("bind(%q, %q): %v", tt.query, tt.body, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("bind(%q, %q) succeeded, want errors on %v", tt.query, tt.body, slices.Sorted(maps.Keys(tt.want)))
			}
			btCheckFields(t, err, tt.want)
		})
	}
}

// btCheckFields checks that err names exactly the fields of want, each message containing its text and
// starting with the field name.
func btCheckFields(t *testing.T, err *awapi.Error, want map[string]string) {
	t.Helper()
	if got, exp := slices.Sorted(maps.Keys(err.Fields)), slices.Sorted(maps.Keys(want)); !slices.Equal(got, exp) {
		t.Fatalf("error fields = %v, want %v (%v)", got, exp, err)
	}
	for field, text := range want {
		msgs := err.Fields[field]
		if len(msgs) != 1 {
			t.Errorf("%s: %d messages %q, want 1", field, len(msgs), msgs)
			continue
		}
		if !strings.Contains(msgs[0], text) {
			t.Errorf("%s: message %q does not contain %q", field, msgs[0], text)
		}
		if !strings.HasPrefix(msgs[0], field+" ") || !strings.HasSuffix(msgs[0], ".") {
			t.Errorf("%s: message %q should be a sentence starting with the field name", field, msgs[0])
		}
	}
}

func TestBindRequired(t *testing.T) {
	tests := []struct {
		name        string
		query, body string
		want        map[string]string
	}{
		{"all missing", "", "", map[string]string{"UserID": "UserID is required.", "Title": "Title is required."}},
		{"one missing", "userid=3", "", map[string]string{"Title": "Title is required."}},
		{"empty is missing", "UserID=&Title=ok", "", map[string]string{"UserID": "UserID is required."}},
		{"blank is missing", "UserID=3&Title=%20%20", "", map[string]string{"Title": "Title is required."}},
		{"JSON null is missing", "", `{"UserID": null, "Title": "ok"}`, map[string]string{"UserID": "UserID is required."}},
		{"JSON empty string is missing", "", `{"UserID": 3, "Title": ""}`, map[string]string{"Title": "Title is required."}},
		{"present but invalid", "UserID=0&Title=x", "", map[string]string{
			"UserID": "UserID must be at least 1.", "Title": "Title must be at least 2 characters long."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := btBind[btRequired](t, tt.query, tt.body)
			if err == nil {
				t.Fatal("bind succeeded, want errors")
			}
			btCheckFields(t, err, tt.want)
		})
	}
	got, err := btBind[btRequired](t, "UserID=3&TITLE=Hello", "")
	if err != nil {
		t.Fatal(err)
	}
	if *got != (btRequired{UserID: 3, Title: "Hello"}) {
		t.Fatalf("bind = %+v", *got)
	}
}

func TestBindValidator(t *testing.T) {
	tests := []struct {
		name          string
		query         string
		wantValidated bool
		want          map[string]string // nil: success
	}{
		{"valid", "From=1&To=2", true, nil},
		{"cross-field rule", "From=5&To=2", true, map[string]string{"To": "To must not be before From."}},
		{"field invalid: no Validate", "From=5&To=200", false, map[string]string{"To": "To must be at most 100."}},
		{"field missing: no Validate", "From=5", false, map[string]string{"To": "To is required."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := btBind[btRange](t, tt.query, "")
			if got.validated != tt.wantValidated {
				t.Errorf("Validate called = %v, want %v", got.validated, tt.wantValidated)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("bind error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("bind succeeded, want errors")
			}
			btCheckFields(t, err, tt.want)
		})
	}
}

func TestParseJSONBody(t *testing.T) {
	tests := []struct {
		body    string
		wantErr string // substring of the message; "" means success
		want    map[string]string
	}{
		{"", "", nil},
		{" \n\t", "", nil},
		{"{}", "", map[string]string{}},
		{`{"PageSize": 5, "Name": "x"}`, "", map[string]string{"pagesize": "5", "name": `"x"`}},
		{"null", "null is not an object", nil},
		{"[1, 2]", "found array instead of an object", nil},
		{`"text"`, "found string instead of an object", nil},
		{"12", "found number instead of an object", nil},
		{"true", "found bool instead of an object", nil},
		{"{", "syntax error", nil},
		{`{"a": 1} {"b": 2}`, "syntax error", nil},
		{"PageSize=5", "syntax error", nil},
	}
	for _, tt := range tests {
		got, err := parseJSONBody([]byte(tt.body))
		if tt.wantErr != "" {
			e, ok := errors.AsType[*awapi.Error](err)
			if !ok {
				t.Errorf("parseJSONBody(%q) = %v, %v; want an *awapi.Error", tt.body, got, err)
				continue
			}
			if e.Kind != awapi.KindInvalid || e.Code != "invalid_json" || !strings.Contains(e.Message, tt.wantErr) {
				t.Errorf("parseJSONBody(%q) error = kind %v code %q %q; want invalid_json containing %q",
					tt.body, e.Kind, e.Code, e.Message, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseJSONBody(%q) error: %v", tt.body, err)
			continue
		}
		if (got == nil) != (tt.want == nil) || len(got) != len(tt.want) {
			t.Errorf("parseJSONBody(%q) = %v, want %v", tt.body, got, tt.want)
			continue
		}
		for k, v := range tt.want {
			if string(got[k]) != v {
				t.Errorf("parseJSONBody(%q)[%q] = %s, want %s", tt.body, k, got[k], v)
			}
		}
	}
}

func TestQueryValues(t *testing.T) {
	got := queryValues("PageSize=5&pagesize=6&Name=&bad=%zz&&Empty")
	want := map[string]string{"pagesize": "5", "name": "", "empty": ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("queryValues = %v, want %v", got, want)
	}
}

// BUG (bind.go, queryValues and parseJSONBody): names that differ only in case are folded into one
// key by iterating a Go map, so which value wins changes from one call to the next: the same request
// binds differently at random.
func TestBindCaseVariantsDeterministic(t *testing.T) {
	for _, tt := range []struct{ query, body string }{
		{"pagesize=10&PageSize=20", ""},
		{"", `{"pagesize": 10, "PageSize": 20}`},
	} {
		seen := map[int]bool{}
		for range 200 {
			got, err := btBind[btAll](t, tt.query, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			seen[got.PageSize] = true
		}
		if len(seen) > 1 {
			t.Errorf("bind(%q, %q) gave PageSize %v on different runs; want one answer", tt.query, tt.body, slices.Sorted(maps.Keys(seen)))
		}
	}
}

// BUG (bind.go, param.set kindIntList / intList): the JSON-array form of an ID list skips the limits the
// comma-separated form has: parse.MaxListItems (the allocation bound) and the 32-bit range of each ID.
// Deduplication (quadratic) also runs over the whole unbounded array before the items limit is checked.
func TestBindJSONListLimits(t *testing.T) {
	type req struct {
		IDs []int
	}
	ids := make([]string, parse.MaxListItems+1)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	for _, tt := range []struct{ name, list string }{
		{"more than MaxListItems", strings.Join(ids, ",")},
		{"beyond 32 bits", "4294967296"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The same list as a comma-separated string is rejected.
			if _, err := btBind[req](t, "", `{"IDs": "`+tt.list+`"}`); err == nil {
				t.Fatal("comma-separated form accepted; the test's premise is wrong")
			}
			got, err := btBind[req](t, "", `{"IDs": [`+tt.list+`]}`)
			if err == nil {
				t.Errorf("JSON array form accepted (%d IDs, first %d); want the comma-separated form's error", len(got.IDs), got.IDs[0])
			}
		})
	}
}

// BUG (bind.go, param.set kindCredits): the max= rule the tag documentation promises for numbers is
// ignored for awapi.Credits; only min= is checked.
func TestBindCreditsMax(t *testing.T) {
	type req struct {
		Amount awapi.Credits `api:"min=1,max=100"`
	}
	got, err := btBind[req](t, "Amount=150", "")
	if err == nil {
		t.Fatalf("Amount=150 with max=100 bound to %v; want \"Amount must be at most 100.\"", got.Amount)
	}
}

// BUG (bind.go, param.set kindIntList): the per-ID range message is built by stripping "must " from
// checkRange's text, giving "must hold only IDs that be at least 1".
func TestBindListRangeMessage(t *testing.T) {
	_, err := btBind[btAll](t, "GenderIDs=0", "")
	if err == nil {
		t.Fatal("GenderIDs=0 with min=1 accepted")
	}
	msg := err.Fields["GenderIDs"][0]
	if strings.Contains(msg, "that be ") {
		t.Errorf("message %q is ungrammatical; want e.g. \"GenderIDs must hold only IDs that are at least 1.\"", msg)
	}
}

// BUG (bind.go, param.set): kinds are chosen by reflect.Kind, but values are set as the predeclared
// type, so a named type (type Order string, type Minutes int) panics inside bind on every request
// instead of binding or being rejected by paramsOf at registration.
func TestBindNamedTypes(t *testing.T) {
	type order string
	type req struct {
		Order order `api:"enum=Asc|Desc"`
	}
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("bind panicked on a named string type: %v", r)
		}
	}()
	got, err := btBind[req](t, "Order=asc", "")
	if err != nil || got.Order != "Asc" {
		t.Errorf("bind = %+v, %v; want Order Asc", got, err)
	}
}

func TestParamsOfTags(t *testing.T) {
	params := paramsOf(reflect.TypeFor[btAll]())
	byName := map[string]param{}
	for _, p := range params {
		byName[p.name] = p
	}
	kinds := map[string]paramKind{
		"PageNumber": kindInt, "Big": kindInt64, "Flag": kindBool, "Amount": kindCredits, "GenderIDs": kindIntList,
		"When": kindTime, "Day": kindTime, "Start": kindClock, "Items": kindJSON, "Name": kindString, "x-odd": kindString,
	}
	for name, kind := range kinds {
		p, ok := byName[name]
		if !ok {
			t.Errorf("no parameter %q in %v", name, slices.Collect(maps.Keys(byName)))
			continue
		}
		if p.kind != kind {
			t.Errorf("%s kind = %d, want %d", name, p.kind, kind)
		}
	}
	if g := byName["GenderIDs"]; !slices.Equal(g.keys, []string{"genderids", "genderid"}) || g.minItems != 1 || g.maxItems != 4 {
		t.Errorf("GenderIDs = keys %v items %d-%d", g.keys, g.minItems, g.maxItems)
	}
	if p := byName["Flag"]; !p.optional {
		t.Error("*bool Flag not optional")
	}
	if p := byName["PageSize"]; p.min == nil || *p.min != 1 || p.max == nil || *p.max != 100 || !p.hasDefault || p.def != "50" {
		t.Errorf("PageSize rules = %+v", p)
	}
	for _, bad := range []any{struct {
		X int `api:"bogus"`
	}{}, struct {
		T time.Time
	}{}, struct {
		X int `api:"min=one"`
	}{}, 3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("paramsOf(%T) did not panic", bad)
				}
			}()
			paramsOf(reflect.TypeOf(bad))
		}()
	}
}
