package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/awapi/awapi/internal/reftest"
)

// TestCamelCase checks camelCase against Json.NET's CamelCasePropertyNamesContractResolver: the real
// API's field names (a client keyed on userID or profileThumbnailURL must find them), then Json.NET's
// own test vectors (StringUtilsTests.ToCamelCaseTest).
func TestCamelCase(t *testing.T) {
	tests := []struct{ in, want string }{
		// Field names of this API.
		{"UserID", "userID"},
		{"ProfileThumbnailURL", "profileThumbnailURL"},
		{"ProfileSquareURL", "profileSquareURL"},
		{"ProfileURL", "profileURL"},
		{"RatingsURL", "ratingsURL"},
		{"NickName", "nickName"},
		{"Nickname", "nickname"},
		{"IsMulitple", "isMulitple"},
		{"IsLoggedInNow", "isLoggedInNow"},
		{"BookingID", "bookingID"},
		{"BookingIDs", "bookingIDs"},
		{"BookUserIDs", "bookUserIDs"},
		{"ClientUserID", "clientUserID"},
		{"WebcamBookingID", "webcamBookingID"},
		{"GenderIDs", "genderIDs"},
		{"SoftwareTypeIDs", "softwareTypeIDs"},
		{"ExcludeCountryIDs", "excludeCountryIDs"},
		{"CountryISO2", "countryISO2"},
		{"CountryISO3", "countryISO3"},
		{"NationalityISO2", "nationalityISO2"},
		{"ImageURL", "imageURL"},
		{"Image1ThumbnailURL", "image1ThumbnailURL"},
		{"Image2LargeURL", "image2LargeURL"},
		{"IsSMSChat", "isSMSChat"},
		{"SendSMSOnAccept", "sendSMSOnAccept"},
		{"ReturnWebcamIMFeedback", "returnWebcamIMFeedback"},
		{"SoftwareMSN", "softwareMSN"},
		{"TVTS", "tvts"},
		{"UBROutput", "ubrOutput"},
		{"VATUserID", "vatUserID"},
		{"VATIPAddress", "vatipAddress"},
		{"IDs", "iDs"},
		{"OfferedCredits", "offeredCredits"},
		{"SessionDate", "sessionDate"},
		{"PageCount", "pageCount"},
		{"ModelState", "modelState"},
		{"Message", "message"},
		{"Code", "code"},
		{"Items[0].BookingID", "items[0].BookingID"}, // a ModelState key: only its start changes
		// Json.NET's own vectors.
		{"URLValue", "urlValue"},
		{"URL", "url"},
		{"ID", "id"},
		{"I", "i"},
		{"", ""},
		{"Person", "person"},
		{"iPhone", "iPhone"},
		{"IPhone", "iPhone"},
		{"I Phone", "i Phone"},
		{"I  Phone", "i  Phone"},
		{" IPhone", " IPhone"},
		{"IsCIA", "isCIA"},
		{"VmQ", "vmQ"},
		{"Xml2Json", "xml2Json"},
		{"SnAkEcAsE", "snAkEcAsE"},
		{"SnA__kEcAsE", "snA__kEcAsE"},
		{"SnA__ kEcAsE", "snA__ kEcAsE"},
		{"already_snake_case_ ", "already_snake_case_ "},
		{"IsJSONProperty", "isJSONProperty"},
		{"SHOUTING_CASE", "shoutinG_CASE"},
		{"9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999Z"},
		{"Hi!! This is text. Time to test.", "hi!! This is text. Time to test."},
		{"FOO bar", "foo bar"},
	}
	for _, tc := range tests {
		if got := camelCase(tc.in); got != tc.want {
			t.Errorf("camelCase(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestOpenAPICaseTypeHeader checks that the OpenAPI document declares X-CaseType on every operation and
// states Json.NET's rule, so a client generated from it expects userID, not userId.
func TestOpenAPICaseTypeHeader(t *testing.T) {
	s := newRefServer(t)
	doc, _ := reftest.OpenAPI(t, s)
	p := reftest.At(doc, "components", "parameters", "CaseType")
	desc, _ := reftest.At(p, "description").(string)
	if reftest.At(p, "name") != "X-CaseType" || reftest.At(p, "in") != "header" || reftest.Compact(t, reftest.At(p, "schema", "enum")) != `["camelcase"]` {
		t.Fatalf("CaseType parameter = %s", reftest.Compact(t, p))
	}
	for _, want := range []string{"Json.NET", "UserID becomes userID", "ProfileThumbnailURL becomes profileThumbnailURL", "ModelState"} {
		if !strings.Contains(desc, want) {
			t.Errorf("X-CaseType description %q does not say %q", desc, want)
		}
	}
	if info, _ := reftest.At(doc, "info", "description").(string); !strings.Contains(info, "`UserID` becomes `userID`") {
		t.Errorf("the document's description does not state the camelCase rule: %s", info)
	}
	for path, item := range doc["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			params, _ := reftest.At(op, "parameters").([]any)
			if !slices.ContainsFunc(params, func(p any) bool { return reftest.At(p, "$ref") == "#/components/parameters/CaseType" }) {
				t.Errorf("%s %s does not declare X-CaseType", method, path)
			}
		}
	}
}
