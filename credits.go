package awapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Credits is an amount of site credits in exact hundredths: 1250 is 12.50 credits. Money is never a float.
type Credits int64

// MaxCredits bounds any single amount so that sums of many amounts cannot overflow int64.
const MaxCredits Credits = 1_000_000_000_00

// String renders the amount with exactly two decimals, e.g. "12.50" or "-0.05".
func (c Credits) String() string {
	return string(c.Append(nil))
}

// Append appends the two-decimal text of c to b.
func (c Credits) Append(b []byte) []byte {
	v := int64(c)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	cents := v % 100
	return append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
}

// UnmarshalJSON reads an amount sent as a JSON number or string inside a structured body (price plans),
// exactly, with the same rules as ParseCredits.
func (c *Credits) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := ParseCredits(s)
	if err != nil {
		return fmt.Errorf("credits %s", err)
	}
	*c = v
	return nil
}

var errCredits = errors.New("must be a decimal amount with at most two decimal places")

// ParseCredits parses a decimal amount such as "12", "12.5", "12.50" or "-3.05". It rejects more than
// two decimal places rather than rounding, exponents, and amounts beyond MaxCredits.
func ParseCredits(s string) (Credits, error) {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, errCredits
	}
	if len(frac) > 2 || (hasDot && frac == "" && whole == "") {
		return 0, errCredits
	}
	var v int64
	for _, r := range whole {
		if r < '0' || r > '9' {
			return 0, errCredits
		}
		v = v*10 + int64(r-'0')
		if v > int64(MaxCredits)/100 {
			return 0, errors.New("is too large")
		}
	}
	v *= 100
	for i, r := range frac {
		if r < '0' || r > '9' {
			return 0, errCredits
		}
		if i == 0 {
			v += int64(r-'0') * 10
		} else {
			v += int64(r - '0')
		}
	}
	if v > int64(MaxCredits) {
		return 0, errors.New("is too large")
	}
	if neg {
		v = -v
	}
	return Credits(v), nil
}
