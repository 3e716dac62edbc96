package web

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Field groups declared once and embedded: the encoders, the reference schema and the binder read
// an embedded struct's members as the parent's own, in its place, as encoding/json does.

type flatPage struct {
	PageCount  int
	PageNumber int
}

// flatSizedPage nests a group in a group.
type flatSizedPage struct {
	flatPage
	PageSize int
}

type FlatPlace struct {
	CountryID int
	Country   string
	Town      string
}

type FlatOutput struct {
	ItemID int64
	flatSizedPage
	Name string
	FlatPlace
	Town   string    // shadows FlatPlace.Town: the shallower member wins, in its own place
	Hidden FlatPlace `wire:"-"`
}

func flatValue() FlatOutput {
	return FlatOutput{ItemID: 7, flatSizedPage: flatSizedPage{flatPage{PageCount: 3, PageNumber: 2}, 50}, Name: "n",
		FlatPlace: FlatPlace{CountryID: 158, Country: "United Kingdom", Town: "inner"}, Town: "outer"}
}

func encodeJSON(t *testing.T, v any, opts encOptions) string {
	t.Helper()
	e := &encoder{opts: opts}
	e.jsonValue(v)
	return string(e.buf)
}

func encodeXML(t *testing.T, v any, opts encOptions) string {
	t.Helper()
	e := &encoder{opts: opts}
	e.xmlRoot(v, reflect.TypeOf(v).Name(), "ns")
	return string(e.buf)
}

// TestEncoderFlattensEmbedded checks the members of embedded groups in JSON (in declaration order,
// in both cases) and in XML (sorted, as DataContract members are).
func TestEncoderFlattensEmbedded(t *testing.T) {
	v := flatValue()
	utc := encOptions{loc: time.UTC}
	if got, want := encodeJSON(t, v, utc),
		`{"ItemID":7,"PageCount":3,"PageNumber":2,"PageSize":50,"Name":"n","CountryID":158,"Country":"United Kingdom","Town":"outer"}`; got != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
	if got, want := encodeJSON(t, v, encOptions{camel: true, loc: time.UTC}),
		`{"itemID":7,"pageCount":3,"pageNumber":2,"pageSize":50,"name":"n","countryID":158,"country":"United Kingdom","town":"outer"}`; got != want {
		t.Errorf("camelCase JSON\n got %s\nwant %s", got, want)
	}
	if got, want := encodeXML(t, v, utc), `<?xml version="1.0" encoding="utf-8"?><FlatOutput xmlns:i="`+nsInstance+`" xmlns="ns">`+
		`<Country>United Kingdom</Country><CountryID>158</CountryID><ItemID>7</ItemID><Name>n</Name><PageCount>3</PageCount>`+
		`<PageNumber>2</PageNumber><PageSize>50</PageSize><Town>outer</Town></FlatOutput>`; got != want {
		t.Errorf("XML\n got %s\nwant %s", got, want)
	}
}

// TestSchemaFlattensEmbedded checks that the reference schema lists the same members, in the same
// order, and makes no component of a group.
func TestSchemaFlattensEmbedded(t *testing.T) {
	g := newSchemaGen()
	g.schema(reflect.TypeFor[FlatOutput]())
	comps := g.components()
	var names []string
	for _, m := range comps.members {
		names = append(names, m.key)
	}
	if !slices.Equal(names, []string{"FlatOutput"}) {
		t.Fatalf("components = %v, want only FlatOutput", names)
	}
	s := comps.get("FlatOutput").(*jsonObject)
	var props []string
	for _, m := range s.get("properties").(*jsonObject).members {
		props = append(props, m.key)
	}
	want := []string{"ItemID", "PageCount", "PageNumber", "PageSize", "Name", "CountryID", "Country", "Town"}
	if !slices.Equal(props, want) || !slices.Equal(s.get("required").([]string), want) {
		t.Errorf("properties %v, required %v; want %v", props, s.get("required"), want)
	}
	if sample, _ := sampleResponse(reflect.TypeFor[FlatOutput]()); !strings.Contains(sample, `"PageSize": 0`) ||
		!strings.Contains(sample, `"Country": "string"`) {
		t.Errorf("sample does not fill the groups' members:\n%s", sample)
	}
}

type flatNear struct {
	LocationZipCode        string `api:"maxlen=4" doc:"Zip."`
	LocationProximityMiles *int   `api:"min=1,max=99"`
}

type flatReq struct {
	Name string `api:"required"`
	flatNear
	PageNumber int `api:"min=1,default=1"`
}

// TestBindFlattensEmbedded checks that a request model binds an embedded parameter group's members by
// their own names, in place, with their rules, and that the reference sees them.
func TestBindFlattensEmbedded(t *testing.T) {
	r, err := btBind[flatReq](t, "name=a&locationzipcode=SW1A&LocationProximityMiles=5", "")
	if err != nil || r.Name != "a" || r.LocationZipCode != "SW1A" || r.LocationProximityMiles == nil ||
		*r.LocationProximityMiles != 5 || r.PageNumber != 1 {
		t.Fatalf("bind = %+v, %v", r, err)
	}
	_, err = btBind[flatReq](t, "name=a&LocationZipCode=TOOLONG&LocationProximityMiles=100", "")
	if err == nil {
		t.Fatal("no error for a group member breaking its rules")
	}
	btCheckFields(t, err, map[string]string{"LocationZipCode": "at most 4", "LocationProximityMiles": "between 1 and 99"})
	var names []string
	for _, p := range paramsOf(reflect.TypeFor[flatReq]()) {
		names = append(names, p.name)
	}
	if !slices.Equal(names, []string{"Name", "LocationZipCode", "LocationProximityMiles", "PageNumber"}) {
		t.Errorf("parameters %v", names)
	}
	e := Handle(Endpoint{Method: "GET", Path: "/v1/Flat/Find", Auth: AuthKey},
		func(context.Context, *Call, *flatReq) (FlatOutput, error) { return FlatOutput{}, nil })
	if types := paramFields(e); len(types) != 4 || types[2] != reflect.TypeFor[int]() {
		t.Errorf("paramFields = %v", types)
	}
}

// TestFlattenRefusesAmbiguity checks that a declaration the flattening cannot read unambiguously
// panics when its plan is built (at server start), rather than losing a member as encoding/json does.
func TestFlattenRefusesAmbiguity(t *testing.T) {
	type twin struct{ Town string }
	type sameDepth struct {
		FlatPlace
		twin
	}
	type embeddedPointer struct {
		*FlatPlace
		Name string
	}
	type sameDepthReq struct {
		flatNear
		near2
	}
	for name, build := range map[string]func(){
		"two members at one depth":  func() { structFields(reflect.TypeFor[sameDepth]()) },
		"embedded pointer":          func() { structFields(reflect.TypeFor[embeddedPointer]()) },
		"two parameters at a depth": func() { paramsOf(reflect.TypeFor[sameDepthReq]()) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			build()
		}()
	}
}

type near2 struct {
	LocationZipCode string
}

// Image masking follows the wire tags, not the names: a URL is an image only when tagged image, and
// it is safe only when the flag its tag names is true.
type TagImages struct {
	Portrait    string `wire:"image,safe=Cleared"` // no PortraitSafe beside it
	Cleared     bool
	LogoURL     string // untagged: not an image, whatever its name and LogoSafe say
	LogoSafe    bool
	Banner      string     `wire:"image"` // no flag: never marked safe
	Gallery     []TagImage `wire:"images,safe=GallerySafe"`
	GallerySafe bool
	TagGroup
}

type TagImage struct {
	Link    string `wire:"image,safe=Safe"`
	Safe    bool
	Caption string // not an image: never masked, even in a masked gallery
}

// TagGroup is embedded: its image names a flag of the model it is flattened into.
type TagGroup struct {
	Cover string `wire:"image,safe=Cleared"`
}

// TestImageMaskingFollowsTags checks masking in both formats against the tags.
func TestImageMaskingFollowsTags(t *testing.T) {
	v := TagImages{Portrait: "https://x/portrait.jpg", LogoURL: "https://x/logo.jpg", Banner: "https://x/banner.jpg",
		Gallery:  []TagImage{{Link: "https://x/g1.jpg", Safe: true, Caption: "https://x/caption"}, {Link: "https://x/g2.jpg"}},
		TagGroup: TagGroup{Cover: "https://x/cover.jpg"}}
	cases := []struct {
		name                 string
		mask, cleared, gsafe bool
		masked, kept         []string
	}{
		{"no masking", false, false, false, nil,
			[]string{"portrait", "logo", "banner", "g1", "g2", "cover", "caption"}},
		{"nothing cleared", true, false, false, []string{"portrait", "banner", "g1", "g2", "cover"}, []string{"logo", "caption"}},
		{"flags set", true, true, true, []string{"banner", "g2"}, []string{"portrait", "logo", "g1", "cover", "caption"}},
	}
	for _, tc := range cases {
		v.Cleared, v.GallerySafe = tc.cleared, tc.gsafe
		opts := encOptions{mask: tc.mask, loc: time.UTC}
		for format, body := range map[string]string{"json": encodeJSON(t, v, opts), "xml": encodeXML(t, v, opts)} {
			for _, name := range tc.masked {
				if strings.Contains(body, "x/"+name) {
					t.Errorf("%s %s: %s not masked: %s", tc.name, format, name, body)
				}
			}
			for _, name := range tc.kept {
				if !strings.Contains(body, "x/"+name) {
					t.Errorf("%s %s: %s masked: %s", tc.name, format, name, body)
				}
			}
			if n := strings.Count(body, MaskedImageURL); n != len(tc.masked) {
				t.Errorf("%s %s: %d masked URLs, want %d: %s", tc.name, format, n, len(tc.masked), body)
			}
		}
	}
}

// TestImageTagsChecked checks that a tag naming no flag, or a flag that is not a bool, panics when
// the plan is built, so a renamed flag cannot quietly unmask images.
func TestImageTagsChecked(t *testing.T) {
	type missing struct {
		Photo string `wire:"image,safe=PhotoSafe"`
	}
	type notBool struct {
		Photo     string `wire:"image,safe=PhotoSafe"`
		PhotoSafe string
	}
	type imagesWithoutFlag struct {
		Photos []string `wire:"images"`
	}
	type imageNotString struct {
		Photo     int `wire:"image,safe=PhotoSafe"`
		PhotoSafe bool
	}
	type unknownOption struct {
		Photo string `wire:"picture"`
	}
	for name, typ := range map[string]reflect.Type{
		"missing flag": reflect.TypeFor[missing](), "flag not a bool": reflect.TypeFor[notBool](),
		"images without a flag": reflect.TypeFor[imagesWithoutFlag](), "image not a string": reflect.TypeFor[imageNotString](),
		"unknown option": reflect.TypeFor[unknownOption](),
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			structFields(typ)
		}()
	}
}
