package awapi

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// Web origins (RFC 6454) a browser app calls the API from. The server answers CORS for origins the
// operator configures and for those a project registers; both are kept in the form browsers send in
// the Origin header, so a lookup is one string comparison.

// ParseOrigin checks an origin and returns it as browsers serialise it: scheme "http" or "https", a
// host, an optional port, and nothing else (a trailing slash is tolerated). Scheme and host are
// lower-cased and a default port is dropped: "https://App.example:443/" is "https://app.example".
func ParseOrigin(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || u.Host == "" {
		return "", errors.New("must be scheme://host[:port]")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", errors.New("must be an http or https origin")
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("must be only scheme://host[:port], without user, path, query or fragment")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", errors.New("must name a host")
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", errors.New("has an invalid port")
		}
		if !(scheme == "http" && n == 80 || scheme == "https" && n == 443) {
			host += ":" + strconv.Itoa(n)
		}
	}
	return scheme + "://" + host, nil
}

// SecureOrigin reports whether a project may register origin (as ParseOrigin returns it): https, or
// http on the local machine only, the rule redirect URIs follow.
func SecureOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if u.Scheme == "https" {
		return true
	}
	h := u.Hostname()
	return u.Scheme == "http" && (h == "localhost" || h == "127.0.0.1" || h == "::1")
}
