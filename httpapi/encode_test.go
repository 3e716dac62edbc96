package httpapi

import "testing"

func TestCamelCase(t *testing.T) {
	tests := map[string]string{
		"UserID": "userId", "CountryISO2": "countryIso2", "IsMulitple": "isMulitple", "PPM": "ppm",
		"PhoneChatPPM": "phoneChatPpm", "IDs": "ids", "SoftwareTypeIDs": "softwareTypeIds", "IDList": "idList",
		"ProfileThumbnailURL": "profileThumbnailUrl", "Image1ThumbnailURL": "image1ThumbnailUrl", "NickName": "nickName",
		"IsLoggedInNow": "isLoggedInNow", "X": "x", "BlacklistedUserIds": "blacklistedUserIds", "UBROutput": "ubrOutput",
	}
	for in, want := range tests {
		if got := camelCase(in); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", in, got, want)
		}
	}
}
