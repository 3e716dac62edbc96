package awapi

import (
	"testing"
	"time"
)

// TestWebcamRequest checks the creation rules of a webcam booking, each on its own: the field a rule
// names (400) or the conflict it answers (409), and what a valid request becomes.
func TestWebcamRequest(t *testing.T) {
	now := bookingNow
	performers := []WebcamPerformer{
		{UserID: 10, IsActive: true, IsWebcam: true, SoftwareTypeIDs: []int{SoftwareMSN, SoftwareSkype}, MinimumDuration: 10},
		{UserID: 11, IsActive: true, IsWebcam: true, SoftwareTypeIDs: []int{SoftwareSkype}},
		{UserID: 12, IsActive: true, IsWebcam: true, DirectChatOnly: true, SoftwareTypeIDs: []int{SoftwareSkype}},
		{UserID: 13, IsActive: false, IsWebcam: true, SoftwareTypeIDs: []int{SoftwareSkype}},
		{UserID: 14, IsActive: true, IsWebcam: false, SoftwareTypeIDs: []int{SoftwareSkype}},
	}
	valid := func() WebcamRequest {
		return WebcamRequest{ClientID: 1, BookUserIDs: []int64{10, 11}, SessionDate: now.Add(24 * time.Hour), Duration: 20,
			Credits: 2500, SoftwareTypeID: SoftwareSkype, SignInNameOrEmail: "me.on.skype"}
	}
	tests := []struct {
		name     string
		edit     func(r *WebcamRequest)
		verified bool
		field    string // a 400 naming this field
		code     string // or a 409 with this code
	}{
		{name: "valid", edit: func(r *WebcamRequest) {}},
		{name: "session now", edit: func(r *WebcamRequest) { r.SessionDate = now }, field: "SessionDate"},
		{name: "session past", edit: func(r *WebcamRequest) { r.SessionDate = now.Add(-time.Minute) }, field: "SessionDate"},
		{name: "session beyond 3 months", edit: func(r *WebcamRequest) { r.SessionDate = now.AddDate(0, 3, 1) }, field: "SessionDate"},
		{name: "session at 3 months", edit: func(r *WebcamRequest) { r.SessionDate = now.AddDate(0, 3, 0) }},
		{name: "no credits", edit: func(r *WebcamRequest) { r.Credits = 0 }, field: "Credits"},
		{name: "credits beyond the maximum", edit: func(r *WebcamRequest) { r.Credits = MaxCredits + 1 }, field: "Credits"},
		{name: "MSN needs an email", edit: func(r *WebcamRequest) { r.SoftwareTypeID, r.BookUserIDs = SoftwareMSN, []int64{10} }, field: "SignInNameOrEmail"},
		{name: "MSN with an email", edit: func(r *WebcamRequest) {
			r.SoftwareTypeID, r.BookUserIDs, r.SignInNameOrEmail = SoftwareMSN, []int64{10}, "me@example.com"
		}},
		{name: "AlsoPhoneChat needs a number", edit: func(r *WebcamRequest) { r.AlsoPhoneChat = true }, field: "PhoneNumber"},
		{name: "a short number", edit: func(r *WebcamRequest) { r.PhoneNumber = "12345" }, field: "PhoneNumber"},
		{name: "a number with letters", edit: func(r *WebcamRequest) { r.PhoneNumber = "0770090012a" }, field: "PhoneNumber"},
		{name: "an international number", edit: func(r *WebcamRequest) { r.AlsoPhoneChat, r.PhoneNumber = true, "+447700900123" }},
		{name: "booking yourself", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{10, 1} }, field: "BookUserIDs"},
		{name: "five performers", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{10, 11, 12, 13, 14} }, field: "BookUserIDs"},
		{name: "no performer", edit: func(r *WebcamRequest) { r.BookUserIDs = nil }, field: "BookUserIDs"},
		{name: "an unknown performer", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{10, 99} }, code: "performer_not_available"},
		{name: "DirectChat Only", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{12} }, code: "performer_not_available"},
		{name: "an inactive performer", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{13} }, code: "performer_not_available"},
		{name: "not a webcam performer", edit: func(r *WebcamRequest) { r.BookUserIDs = []int64{14} }, code: "performer_not_available"},
		{name: "software not offered", edit: func(r *WebcamRequest) { r.SoftwareTypeID = SoftwareYahoo }, code: "software_not_offered"},
		{name: "shorter than a performer's minimum", edit: func(r *WebcamRequest) { r.Duration = 9 }, field: "Duration"},
		{name: "the default minimum", edit: func(r *WebcamRequest) { r.BookUserIDs, r.Duration = []int64{11}, WebcamMinimumDuration }},
		{name: "below the default minimum", edit: func(r *WebcamRequest) { r.BookUserIDs, r.Duration = []int64{11}, WebcamMinimumDuration-1 }, field: "Duration"},
		{name: "SMS without a verified mobile", edit: func(r *WebcamRequest) { r.SendSMSOnAccept = true }, code: "mobile_not_verified"},
		{name: "SMS with a verified mobile", edit: func(r *WebcamRequest) { r.SendSMSOnAccept = true }, verified: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := valid()
			tc.edit(&r)
			b, err := r.Booking(performers, tc.verified, now)
			switch {
			case tc.field != "":
				if e, ok := err.(*Error); !ok || e.Kind != KindInvalid || len(e.Fields[tc.field]) == 0 {
					t.Fatalf("want a 400 naming %s, got %v", tc.field, err)
				}
			case tc.code != "":
				if ErrorKind(err) != KindConflict || ErrorCode(err) != tc.code {
					t.Fatalf("want %s, got %v", tc.code, err)
				}
			case err != nil:
				t.Fatal(err)
			default:
				if b.Service != ServiceWebcam || b.Status != StatusPending || b.ClientID != 1 || len(b.Invitations) != len(r.BookUserIDs) ||
					!b.CreatedAt.Equal(now) || !b.AcceptBy.Equal(AcceptByFor(now, r.SessionDate)) || b.Details.SoftwareTypeID != r.SoftwareTypeID ||
					b.Details.SendSMSOnAccept != r.SendSMSOnAccept || b.Details.PhoneNumber != r.PhoneNumber {
					t.Errorf("booking %+v", b)
				}
			}
		})
	}
}

func TestAcceptByFor(t *testing.T) {
	created := bookingNow
	if got := AcceptByFor(created, created.Add(72*time.Hour)); !got.Equal(created.Add(MaxAcceptWindow)) {
		t.Errorf("a session in 3 days lapses at %s", got)
	}
	if got := AcceptByFor(created, created.Add(time.Hour)); !got.Equal(created.Add(time.Hour)) {
		t.Errorf("a session in an hour lapses at %s", got)
	}
}
