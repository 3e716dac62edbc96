package awapi

import (
	"testing"
	"time"
)

func TestIsOutwardCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"M1", true}, {"MA60", true}, {"SW1A", true}, {"B33", true}, {"EC1V", true}, {" ch1 ", true},
		{"M60 1FD", false}, {"M601FD", false}, {"12", false}, {"", false}, {"QA1", false}, {"ABCDE", false},
	} {
		if got := IsOutwardCode(NormalizeOutward(tc.in)); got != tc.want {
			t.Errorf("IsOutwardCode(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestIsAdult(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	// 23:30 UTC on 31 March is already 1 April in London (BST): the 18th birthday counts from then.
	now := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		birth string
		want  bool
	}{
		{"2008-03-31", true}, {"2008-04-01", true}, {"2008-04-02", false}, {"1990-01-01", true},
	} {
		b, _ := time.Parse("2006-01-02", tc.birth)
		if got := IsAdult(b, now, london); got != tc.want {
			t.Errorf("IsAdult(%s) = %v, want %v", tc.birth, got, tc.want)
		}
	}
	if IsAdult(time.Date(2008, 4, 1, 0, 0, 0, 0, time.UTC), now, time.UTC) {
		t.Error("in UTC it is still 31 March: not yet 18")
	}
}

func TestServicesUpdateNormalize(t *testing.T) {
	u := ServicesUpdate{Offering: true, Services: Services{IsWebcam: true}, Alternatives: []int{1}, OtherServices: []int{2}}
	u.Normalize()
	if u.Alternatives != nil || u.OtherServices != nil || !u.IsWebcam {
		t.Fatalf("offering without IsAlternative/IsOtherServices keeps their IDs: %+v", u)
	}
	u = ServicesUpdate{Services: Services{IsEscort: true, IsAlternative: true}, Alternatives: []int{1}}
	u.Normalize()
	if u.Services != (Services{}) || u.Alternatives != nil {
		t.Fatalf("seeking keeps services: %+v", u)
	}
	if (Services{IsOtherServices: true}).AnyServiceBesidesOther() || !(Services{IsSMSChat: true}).AnyServiceBesidesOther() {
		t.Fatal("AnyServiceBesidesOther")
	}
}
