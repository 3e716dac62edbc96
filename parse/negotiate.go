package parse

import (
	"iter"
	"strconv"
	"strings"
)

// Format is a response format the API speaks.
type Format int

const (
	JSON Format = iota
	XML
)

// Negotiate picks the response format: a format query parameter ("xml" or "json") wins, so a browser
// can ask for XML; otherwise the Accept header's most preferred of application/json,
// application/xml and text/xml. Anything else, or nothing, means JSON.
func Negotiate(accept, formatParam string) Format {
	switch strings.ToLower(strings.TrimSpace(formatParam)) {
	case "xml":
		return XML
	case "json":
		return JSON
	}
	if accept == "" {
		return JSON
	}
	best, bestQ := JSON, -1.0
	for mediaType, q := range mediaRanges(accept) {
		var f Format
		switch mediaType {
		case "application/json", "text/json", "application/*", "*/*":
			f = JSON
		case "application/xml", "text/xml":
			f = XML
		default:
			continue
		}
		// On equal preference JSON wins, the API's default.
		if q > bestQ || (q == bestQ && f == JSON) {
			best, bestQ = f, q
		}
	}
	if bestQ <= 0 {
		return JSON
	}
	return best
}

// XMLMediaType is the XML type an Accept header prefers, to answer XML in: text/xml or
// application/xml, and application/xml, the API's own, on equal preference.
func XMLMediaType(accept string) string {
	best, bestQ := "application/xml", -1.0
	for mediaType, q := range mediaRanges(accept) {
		if (mediaType == "application/xml" || mediaType == "text/xml") &&
			(q > bestQ || q == bestQ && mediaType == "application/xml") {
			best, bestQ = mediaType, q
		}
	}
	return best
}

// mediaRanges yields each media range of an Accept header, lower-cased, with its quality: 1 when
// none is given, 0 (refused) when it is not a number in [0, 1].
func mediaRanges(accept string) iter.Seq2[string, float64] {
	return func(yield func(string, float64) bool) {
		for part := range strings.SplitSeq(accept, ",") {
			mediaType, params, _ := strings.Cut(part, ";")
			q := 1.0
			for p := range strings.SplitSeq(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
						q = f
					} else {
						q = 0
					}
				}
			}
			if !yield(strings.ToLower(strings.TrimSpace(mediaType)), q) {
				return
			}
		}
	}
}
