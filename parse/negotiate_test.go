package parse

import (
	"strings"
	"testing"
)

var negotiateTests = []struct {
	name, accept, format string
	want                 Format
}{
	{"no Accept", "", "", JSON},
	{"application/xml", "application/xml", "", XML},
	{"text/xml", "text/xml", "", XML},
	{"application/json", "application/json", "", JSON},
	{"text/json", "text/json", "", JSON},
	{"upper case", "APPLICATION/XML", "", XML},
	{"xml less preferred", "application/xml;q=0.5, application/json", "", JSON},
	{"json less preferred", "application/json;q=0.1, application/xml", "", XML},
	{"spaces around q", "application/xml ; q = 0.8, application/json;q=0.7", "", XML},
	{"upper-case Q", "application/xml;Q=0.9, application/json;q=0.1", "", XML},
	{"tie prefers JSON", "application/xml, application/json", "", JSON},
	{"tie prefers JSON, JSON first", "application/json, text/xml", "", JSON},
	{"any", "*/*", "", JSON},
	{"application any", "application/*", "", JSON},
	{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "", XML},
	{"xml with extra params", "application/xml; charset=utf-8", "", XML},
	{"xml refused", "application/xml;q=0", "", JSON},
	{"bad q is refusal", "application/xml;q=abc", "", JSON},
	{"q above 1 is refusal", "application/xml;q=2", "", JSON},
	{"negative q is refusal", "application/xml;q=-1", "", JSON},
	{"NaN q is refusal", "application/xml;q=NaN", "", JSON},
	{"bad q only refuses its own type", "application/json;q=x, text/xml;q=0.2", "", XML},
	{"unknown only", "text/html", "", JSON},
	{"garbage", ";;;,,,==", "", JSON},
	{"garbage 2", "\x00\xff,;q=", "", JSON},
	{"blank", "   ", "", JSON},

	{"format=xml overrides Accept", "application/json", "xml", XML},
	{"format=XML any case", "application/json", " XML ", XML},
	{"format=json overrides Accept", "application/xml", "json", JSON},
	{"format=xml without Accept", "", "xml", XML},
	{"unknown format ignored", "application/xml", "csv", XML},
	{"empty format ignored", "text/xml", "", XML},
}

func TestNegotiate(t *testing.T) {
	for _, tt := range negotiateTests {
		if got := Negotiate(tt.accept, tt.format); got != tt.want {
			t.Errorf("%s: Negotiate(%q, %q) = %v, want %v", tt.name, tt.accept, tt.format, got, tt.want)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, tt := range negotiateTests {
		f.Add(tt.accept, tt.format)
	}
	f.Fuzz(func(t *testing.T, accept, format string) {
		got := Negotiate(accept, format)
		if got != JSON && got != XML {
			t.Fatalf("Negotiate(%q, %q) = %d, neither JSON nor XML", accept, format, got)
		}
		switch strings.ToLower(strings.TrimSpace(format)) {
		case "xml":
			if got != XML {
				t.Fatalf("Negotiate(%q, %q) = JSON despite format=xml", accept, format)
			}
		case "json":
			if got != JSON {
				t.Fatalf("Negotiate(%q, %q) = XML despite format=json", accept, format)
			}
		default:
			if !strings.Contains(strings.ToLower(accept), "xml") && got != JSON {
				t.Fatalf("Negotiate(%q, %q) = XML though nothing asked for XML", accept, format)
			}
		}
	})
}
