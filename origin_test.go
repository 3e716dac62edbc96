package awapi

import "testing"

func TestParseOrigin(t *testing.T) {
	tests := []struct {
		in, want string
		secure   bool
	}{
		{"https://app.example", "https://app.example", true},
		{"HTTPS://App.Example:443/", "https://app.example", true},
		{"http://app.example:80", "http://app.example", false},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000", true},
		{"http://localhost:8080", "http://localhost:8080", true},
		{"http://[::1]:5173", "http://[::1]:5173", true},
		{"https://app.example:8443", "https://app.example:8443", true},
		{" https://app.example ", "https://app.example", true},
	}
	for _, tc := range tests {
		got, err := ParseOrigin(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			continue
		}
		if SecureOrigin(got) != tc.secure {
			t.Errorf("SecureOrigin(%q) = %v, want %v", got, !tc.secure, tc.secure)
		}
	}
	for _, bad := range []string{"", "*", "null", "app.example", "ftp://app.example", "https://app.example/path",
		"https://user@app.example", "https://app.example?x=1", "https://app.example#f", "https://app.example:0",
		"https://app.example:99999", "https://", "javascript:alert(1)"} {
		if got, err := ParseOrigin(bad); err == nil {
			t.Errorf("ParseOrigin(%q) = %q, want an error", bad, got)
		}
	}
}
