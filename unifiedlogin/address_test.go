package unifiedlogin

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestClientAddress: behind trusted proxies the client is the rightmost X-Forwarded-For address that
// is not a trusted proxy; what the client wrote to the left of it is never believed.
func TestClientAddress(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 127.0.0.1/32, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{cfg: Config{TrustedProxies: proxies}}
	for _, c := range []struct {
		name, peer string
		xff        []string // one X-Forwarded-For header per element
		want       string
	}{
		{"direct client", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"untrusted peer's header is ignored", "198.51.100.9:4000", []string{"203.0.113.5"}, "198.51.100.9"},
		{"one proxy", "10.0.0.2:4000", []string{"203.0.113.5"}, "203.0.113.5"},
		{"spoofed leftmost entry", "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.5"}, "203.0.113.5"},
		{"spoofed leftmost entries that look trusted", "10.0.0.2:4000", []string{"10.9.9.9, 127.0.0.1, 203.0.113.5"}, "203.0.113.5"},
		{"two proxies", "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.5, 10.0.0.7"}, "203.0.113.5"},
		{"loopback proxy", "127.0.0.1:4000", []string{"203.0.113.5"}, "203.0.113.5"},
		{"headers read as one list", "10.0.0.2:4000", []string{"6.6.6.6", "203.0.113.5"}, "203.0.113.5"},
		{"entry with a port", "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.5:5555"}, "203.0.113.5"},
		{"IPv6 client", "[2001:db8:ffff::1]:443", []string{"2001:db8:1::7"}, "2001:db8:1::7"},
		{"IPv6 client, bracketed with a port", "[2001:db8:ffff::1]:443", []string{"::1, [2001:db8:1::7]:5555"}, "2001:db8:1::7"},
		{"IPv6 proxy chain", "[2001:db8:ffff::1]:443", []string{"2001:db8:1::7, 2001:db8:ffff::2"}, "2001:db8:1::7"},
		{"IPv6 peer not trusted", "[2001:db8:1::9]:443", []string{"203.0.113.5"}, "2001:db8:1::9"},
		{"IPv4-mapped peer and entry", "[::ffff:10.0.0.2]:4000", []string{"::ffff:203.0.113.5"}, "203.0.113.5"},
		{"garbage on the right stops at the last address", "10.0.0.2:4000", []string{"203.0.113.5, garbage"}, "10.0.0.2"},
		{"garbage behind a second proxy", "10.0.0.2:4000", []string{"203.0.113.5, <script>, 10.0.0.7"}, "10.0.0.7"},
		{"garbage on the left is never reached", "10.0.0.2:4000", []string{"garbage, 203.0.113.5"}, "203.0.113.5"},
		{"empty entry", "10.0.0.2:4000", []string{"203.0.113.5, "}, "10.0.0.2"},
		{"empty header", "10.0.0.2:4000", []string{""}, "10.0.0.2"},
		{"zoned entry is not an address", "10.0.0.2:4000", []string{"fe80::1%eth0"}, "10.0.0.2"},
		{"hostname entry is not an address", "10.0.0.2:4000", []string{"client.example"}, "10.0.0.2"},
		{"every hop trusted: the leftmost", "10.0.0.2:4000", []string{"10.0.0.5, 10.0.0.6"}, "10.0.0.5"},
		{"no header from a proxy", "10.0.0.2:4000", nil, "10.0.0.2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/OAuth/Authorize", nil)
			r.RemoteAddr = c.peer
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := h.clientAddress(r); got != c.want {
				t.Fatalf("clientAddress = %q, want %q", got, c.want)
			}
		})
	}

	// Without trusted proxies the header is never read.
	none := &Handler{}
	r := httptest.NewRequest("POST", "/", nil)
	r.RemoteAddr = "127.0.0.1:4000"
	r.Header = http.Header{"X-Forwarded-For": {"203.0.113.5"}}
	if got := none.clientAddress(r); got != "127.0.0.1" {
		t.Fatalf("no trusted proxies: %q", got)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"10.0.0.0/8,127.0.0.1/32", []string{"10.0.0.0/8", "127.0.0.1/32"}, ""},
		{" 10.1.2.3/8 , , fd00::/8", []string{"10.0.0.0/8", "fd00::/8"}, ""},
		{"127.0.0.1,::1", []string{"127.0.0.1/32", "::1/128"}, ""},
		{"::ffff:10.0.0.0/104", []string{"10.0.0.0/8"}, ""},
		{"", nil, ""},
		{"10.0.0.0/33", nil, `"10.0.0.0/33"`},
		{"proxy.internal", nil, `"proxy.internal"`},
		{"10.0.0.0/8,*", nil, `"*"`},
		{"fe80::1%eth0", nil, `"fe80::1%eth0"`},
		{"::ffff:0.0.0.0/80", nil, `"::ffff:0.0.0.0/80"`},
	} {
		got, err := ParseTrustedProxies(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseTrustedProxies(%q) = %v, %v; want an error naming %s", c.in, got, err, c.err)
			}
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if err != nil || !slices.Equal(s, c.want) {
			t.Errorf("ParseTrustedProxies(%q) = %v, %v; want %v", c.in, s, err, c.want)
		}
	}
}
