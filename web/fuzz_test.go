package web

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

type fzItem struct {
	ID    int
	Notes []string
}

// fzReq has a parameter of every supported kind, and a cross-field rule.
type fzReq struct {
	Name      string        `api:"maxlen=10"`
	Type      string        `api:"required,enum=ProfileViews|EscortViews|WebcamViews"`
	PageSize  int           `api:"min=1,max=100,default=50"`
	Count     *int          `api:"min=0,max=5"`
	Big       int64         ``
	Strict    bool          ``
	Flag      *bool         ``
	Amount    awapi.Credits `api:"min=1"`
	GenderIDs []int         `api:"alias=GenderID,items=1-4,min=1,max=99"`
	When      time.Time     `api:"format=datetime"`
	Day       time.Time     `api:"format=date"`
	UKDay     *time.Time    `api:"format=ukdate"`
	Start     int           `api:"format=clock"`
	End       *int          `api:"format=clock"`
	Items     []fzItem      ``
	Odd       string        `api:"name=x-odd,alias=Odd2"`
}

func (r *fzReq) Validate(_ *Call, v *awapi.Validation) {
	if r.End != nil && *r.End < r.Start {
		v.Addf("End", "End must not be before Start.")
	}
}

var fzParams = paramsOf(reflect.TypeFor[fzReq]())

func FuzzBind(f *testing.F) {
	for _, s := range []struct{ query, body string }{
		{"Type=profileviews", ""},
		{"type=EscortViews&PageSize=7&Count=0&Big=-9&Strict=TRUE&Flag=0&Amount=12.5&GenderIDs=1,1,2", ""},
		{"Type=x&PageSize=0&Count=9&Amount=0.5&GenderIDs=1,2,3,4,5&When=2026-03-29%2001:30&Day=31-02-2026", ""},
		{"Type=WebcamViews&When=2026-10-25T01:30&Day=2026-02-28&UKDay=28-02-2026&Start=09:30&End=08:00", ""},
		{"GenderID=&x-odd=hi&Odd2=ho&Name=%C3%A9%C3%A9", ""},
		{"Items=x&PageSize=%20", ""},
		{"", `{"Type": "escortviews", "PageSize": "12", "GenderIDs": [3, 3, 4], "Items": [{"ID": 1, "Notes": ["a"]}]}`},
		{"", `{"TYPE": null, "pagesize": 1.5, "Amount": 1e3, "Items": {"ID": 1}, "When": 12}`},
		{"Type=ProfileViews", `{"Flag": true, "Strict": "maybe", "Count": "5", "End": "23:59", "Start": "24:00"}`},
		{"", `[1, 2]`},
		{"", `null`},
		{"", `{`},
		{"a=%zz;b", `{"Big": 9223372036854775808}`},
		{"Type=ProfileViews&Name=a%00b&x-odd=%FF", `{"Items": [{"Notes": ["\u0001", "\t"]}]}`},
	} {
		f.Add(s.query, []byte(s.body))
	}
	declared := map[string]bool{}
	for _, p := range fzParams {
		declared[p.name] = true
	}
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		src := &source{values: queryValues(query)}
		m, err := parseJSONBody(body)
		if err != nil {
			e, ok := errors.AsType[*awapi.Error](err)
			if !ok || e.Kind != awapi.KindInvalid || e.Code != "invalid_json" {
				t.Fatalf("parseJSONBody(%q) error %T %v, want invalid_json", body, err, err)
			}
		}
		src.json = m
		v, err := bind(reflect.TypeFor[fzReq](), fzParams, src, btCall())
		if err != nil {
			e, ok := errors.AsType[*awapi.Error](err)
			if !ok || e.Kind != awapi.KindInvalid {
				t.Fatalf("bind error %T %v, want a KindInvalid *awapi.Error", err, err)
			}
			if len(e.Fields) == 0 {
				t.Fatalf("bind error %v names no field", e)
			}
			for field, msgs := range e.Fields {
				if !declared[field] {
					t.Fatalf("bind error names undeclared field %q: %v", field, e)
				}
				if len(msgs) == 0 {
					t.Fatalf("bind error field %q without a message", field)
				}
			}
			return
		}
		r := v.Interface().(*fzReq)
		checkFzReq(t, r)
	})
}

func checkFzReq(t *testing.T, r *fzReq) {
	t.Helper()
	if err := nestedTextProblem(reflect.ValueOf(r).Elem(), "fzReq"); err != nil {
		t.Fatalf("bound text the API refuses: %v", err)
	}
	if n := utf8.RuneCountInString(r.Name); n > 10 {
		t.Fatalf("Name %q has %d characters, max 10", r.Name, n)
	}
	if !slices.Contains([]string{"ProfileViews", "EscortViews", "WebcamViews"}, r.Type) {
		t.Fatalf("Type %q is not in the declared form", r.Type)
	}
	if r.PageSize < 1 || r.PageSize > 100 {
		t.Fatalf("PageSize %d outside 1-100", r.PageSize)
	}
	if r.Count != nil && (*r.Count < 0 || *r.Count > 5) {
		t.Fatalf("Count %d outside 0-5", *r.Count)
	}
	if r.Amount != 0 && r.Amount < 100 {
		t.Fatalf("Amount %v below min 1", r.Amount)
	}
	if r.Amount > awapi.MaxCredits {
		t.Fatalf("Amount %d beyond MaxCredits", int64(r.Amount))
	}
	if r.GenderIDs != nil {
		if len(r.GenderIDs) < 1 || len(r.GenderIDs) > 4 {
			t.Fatalf("GenderIDs %v: %d items, want 1-4", r.GenderIDs, len(r.GenderIDs))
		}
		for i, id := range r.GenderIDs {
			if id < 1 || id > 99 {
				t.Fatalf("GenderIDs %v holds %d, outside 1-99", r.GenderIDs, id)
			}
			if slices.Contains(r.GenderIDs[:i], id) {
				t.Fatalf("GenderIDs %v not deduplicated", r.GenderIDs)
			}
		}
	}
	if !r.When.IsZero() && r.When.Location() != btLondon {
		t.Fatalf("When %v not in the server zone", r.When)
	}
	for _, d := range []*time.Time{&r.Day, r.UKDay} {
		if d != nil && !d.IsZero() && (d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0) {
			t.Fatalf("date %v is not midnight UTC", *d)
		}
	}
	if r.Start < 0 || r.Start >= 1440 || (r.End != nil && (*r.End < r.Start || *r.End >= 1440)) {
		t.Fatalf("Start %d / End %v invalid", r.Start, r.End)
	}
}

type fzPaged struct {
	PageSize   int `api:"min=1,max=100,default=50"`
	PageNumber int `api:"min=1,default=1"`
}

var fzPagedParams = paramsOf(reflect.TypeFor[fzPaged]())

// FuzzPageParams checks paging parameters against an oracle built from parse.Int64 and the declared
// rules, and that the query string and a JSON body bind alike.
func FuzzPageParams(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"1", "50"}, {"0", "0"}, {"-1", "101"}, {"2147483647", "100"},
		{"2147483648", "1"}, {" 3 ", "x"}, {"1.5", "1e2"}, {"+4", "-0"}, {"９", "  "}, {"1", "\f"}, {"\x00", "1"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, number, size string) {
		want := fzPaged{PageSize: 50, PageNumber: 1}
		wantErr := map[string]bool{}
		check := func(field, text string, lo, hi int64, dst *int) {
			if textProblem(text) != nil {
				wantErr[field] = true // every parameter is text first: no control characters, valid UTF-8
				return
			}
			if blank(text) {
				return // absent: the default
			}
			n, err := parse.Int64(text)
			if err != nil || n < lo || n > hi || n > 1<<31-1 {
				wantErr[field] = true
				return
			}
			*dst = int(n)
		}
		check("PageNumber", number, 1, 1<<62, &want.PageNumber)
		check("PageSize", size, 1, 100, &want.PageSize)

		body, _ := json.Marshal(map[string]string{"PageNumber": number, "PageSize": size})
		jsonSrc, err := parseJSONBody(body)
		if err != nil {
			t.Fatalf("parseJSONBody(%s): %v", body, err)
		}
		query := url.Values{"pagenumber": {number}, "PAGESIZE": {size}}.Encode()
		sources := map[string]*source{
			"query": {values: queryValues(query)},
			"json":  {json: jsonSrc},
		}
		for name, src := range sources {
			if name == "json" && (!utf8.ValidString(number) || !utf8.ValidString(size)) {
				continue // encoding/json replaces invalid UTF-8, so the texts differ
			}
			v, err := bind(reflect.TypeFor[fzPaged](), fzPagedParams, src, btCall())
			if err != nil {
				e, ok := errors.AsType[*awapi.Error](err)
				if !ok || e.Kind != awapi.KindInvalid {
					t.Fatalf("%s: bind error %T %v", name, err, err)
				}
				got := map[string]bool{}
				for k := range e.Fields {
					got[k] = true
				}
				if !reflect.DeepEqual(got, wantErr) {
					t.Fatalf("%s: bind(%q, %q) errors on %v, want %v (%v)", name, number, size, got, wantErr, e)
				}
				continue
			}
			if len(wantErr) > 0 {
				t.Fatalf("%s: bind(%q, %q) succeeded, want errors on %v", name, number, size, wantErr)
			}
			got := *v.Interface().(*fzPaged)
			if got != want {
				t.Fatalf("%s: bind(%q, %q) = %+v, want %+v", name, number, size, got, want)
			}
			if p := (awapi.Page{Number: got.PageNumber, Size: got.PageSize}); p.Offset() < 0 {
				t.Fatalf("%s: page %+v has negative offset %d", name, p, p.Offset())
			}
		}
	})
}
