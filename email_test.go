package awapi

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func ptr64(v int64) *int64  { return &v }
func pstr(s string) *string { return &s }

// fieldOf is the one field an invalid error names, or its kind and code otherwise.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	e, ok := err.(*Error)
	if !ok {
		return "?" + err.Error()
	}
	if e.Kind != KindInvalid {
		return e.Code
	}
	var fs []string
	for f := range e.Fields {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return strings.Join(fs, ",")
}

func TestEmailSearchTerms(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"Hello", []string{"hello"}, ""},
		{"  hello,   World! hello ", []string{"hello", "world"}, ""},
		{"don't", []string{"don", "t"}, ""},
		{"Café 42", []string{"café", "42"}, ""},
		{"%_*\"'", nil, "Search"},
		{"", nil, "Search"},
		{"a b c d e f g h i", nil, "Search"},
		{strings.Repeat("x", MaxEmailSearchLen+1), nil, "Search"},
		{strings.Repeat("x", MaxEmailSearchLen), []string{strings.Repeat("x", MaxEmailSearchLen)}, ""},
	}
	for _, tc := range tests {
		got, err := EmailSearchTerms(tc.in)
		if fieldOf(err) != tc.wantErr || !slices.Equal(got, tc.want) {
			t.Errorf("EmailSearchTerms(%q) = %q, %v; want %q, %s", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestCheckListFolder(t *testing.T) {
	for id, want := range map[int64]string{0: "", -1: "", 7: "", -2: "FolderID", -100: "FolderID"} {
		if got := fieldOf(CheckListFolder(id)); got != want {
			t.Errorf("CheckListFolder(%d) = %s, want %s", id, got, want)
		}
	}
}

func TestNewEmailCheck(t *testing.T) {
	ok := NewEmail{SenderID: 1, RecipientUserID: 2, Subject: "Hi", Body: "Hello there"}
	tests := []struct {
		name string
		edit func(m *NewEmail)
		want string
	}{
		{"valid", func(*NewEmail) {}, ""},
		{"to self", func(m *NewEmail) { m.RecipientUserID = 1 }, "RecipientUserID"},
		{"no subject", func(m *NewEmail) { m.Subject = "  " }, "Subject"},
		{"no subject in a reply", func(m *NewEmail) { m.Subject, m.ReplyToEmailID = "", 9 }, ""},
		{"negative reply", func(m *NewEmail) { m.ReplyToEmailID = -3 }, "ReplyToEmailID"},
		{"subject at limit", func(m *NewEmail) { m.Subject = strings.Repeat("é", MaxEmailSubjectLen) }, ""},
		{"subject too long", func(m *NewEmail) { m.Subject = strings.Repeat("é", MaxEmailSubjectLen+1) }, "Subject"},
		{"subject two lines", func(m *NewEmail) { m.Subject = "a\nb" }, "Subject"},
		{"no body", func(m *NewEmail) { m.Body = "" }, "Body"},
		{"body at limit", func(m *NewEmail) { m.Body = strings.Repeat("b", MaxEmailBodyLen) }, ""},
		{"body too long", func(m *NewEmail) { m.Body = strings.Repeat("b", MaxEmailBodyLen+1) }, "Body"},
		{"body with lines and tabs", func(m *NewEmail) { m.Body = "a\r\n\tb" }, ""},
		{"body with NUL", func(m *NewEmail) { m.Body = "a\x00b" }, "Body"},
		{"body with HTML is stored as sent", func(m *NewEmail) { m.Body = "<script>alert(1)</script>" }, ""},
		{"every field", func(m *NewEmail) { m.RecipientUserID, m.Subject, m.Body = 1, "", "" }, "Body,RecipientUserID,Subject"},
	}
	for _, tc := range tests {
		m := ok
		tc.edit(&m)
		if got := fieldOf(m.Check()); got != tc.want {
			t.Errorf("%s: Check = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestCanWrite(t *testing.T) {
	active, inactive := Member{UserID: 2, IsActive: true}, Member{UserID: 2}
	tests := []struct {
		name        string
		m           Member
		blacklisted bool
		want        string
	}{
		{"active", active, false, ""},
		{"inactive", inactive, false, "not_found"},
		{"blacklisted", active, true, "blacklisted"},
		{"inactive and blacklisted", inactive, true, "not_found"},
	}
	for _, tc := range tests {
		if got := fieldOf(CanWrite(&tc.m, tc.blacklisted)); got != tc.want {
			t.Errorf("%s: CanWrite = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestReplyTo(t *testing.T) {
	received := Email{EmailID: 10, OwnerID: 1, OtherUserID: 2, FolderID: FolderInbox, Subject: "Booking on Friday", ThreadID: 4}
	tests := []struct {
		name        string
		orig        Email
		recipient   int64
		subject     string
		want        string
		wantSubject string
	}{
		{"received", received, 2, "", "", "Re: Booking on Friday"},
		{"own subject kept", received, 2, "Other", "", "Other"},
		{"sent copy", Email{OwnerID: 1, OtherUserID: 2, Outgoing: true, FolderID: FolderSent, Subject: "x"}, 2, "", "", "Re: x"},
		{"already Re", Email{OwnerID: 1, OtherUserID: 2, Subject: "RE: x"}, 2, "", "", "RE: x"},
		{"another member's", Email{OwnerID: 3, OtherUserID: 2}, 2, "", "not_found", ""},
		{"deleted", Email{OwnerID: 1, OtherUserID: 2, FolderID: FolderDeleted}, 2, "", "not_found", ""},
		{"wrong recipient", received, 5, "", "RecipientUserID", ""},
	}
	for _, tc := range tests {
		m := NewEmail{SenderID: 1, RecipientUserID: tc.recipient, ReplyToEmailID: tc.orig.EmailID, Subject: tc.subject, Body: "b"}
		err := m.ReplyTo(&tc.orig)
		if got := fieldOf(err); got != tc.want {
			t.Errorf("%s: ReplyTo = %s, want %s", tc.name, got, tc.want)
		}
		if err == nil && m.Subject != tc.wantSubject {
			t.Errorf("%s: Subject = %q, want %q", tc.name, m.Subject, tc.wantSubject)
		}
	}
	if got := ReplySubject(strings.Repeat("s", MaxEmailSubjectLen)); len([]rune(got)) != MaxEmailSubjectLen {
		t.Errorf("a reply to a subject at the limit has %d characters", len([]rune(got)))
	}
}

func TestCopies(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 123456789, time.UTC)
	m := NewEmail{SenderID: 1, RecipientUserID: 2, Subject: "s", Body: "b", AllowFacePicture: true, SentAt: now}
	sent, rcv := m.Copies("alice", "bob")
	if sent.OwnerID != 1 || sent.OtherUserID != 2 || sent.OtherNickname != "bob" || sent.FolderID != FolderSent || !sent.Outgoing || !sent.Read {
		t.Errorf("sender's copy = %+v", sent)
	}
	if rcv.OwnerID != 2 || rcv.OtherUserID != 1 || rcv.OtherNickname != "alice" || rcv.FolderID != FolderInbox || rcv.Outgoing || rcv.Read {
		t.Errorf("recipient's copy = %+v", rcv)
	}
	if !rcv.AllowFacePicture || !sent.SentAt.Equal(StoredTime(now)) || sent.HomeFolder() != FolderSent || rcv.HomeFolder() != FolderInbox {
		t.Errorf("copies = %+v %+v", sent, rcv)
	}
}

func TestEmailActionCheck(t *testing.T) {
	tests := []struct {
		name string
		a    EmailAction
		want string
	}{
		{"nothing", EmailAction{}, "Spam"},
		{"spam", EmailAction{Spam: true}, ""},
		{"spam and delete", EmailAction{Spam: true, Delete: true}, ""},
		{"delete", EmailAction{Delete: true}, ""},
		{"move", EmailAction{MoveFolderID: ptr64(5)}, ""},
		{"move and delete", EmailAction{Delete: true, MoveFolderID: ptr64(5)}, "MoveFolderID"},
		{"move to deleted", EmailAction{MoveFolderID: ptr64(FolderDeleted)}, "MoveFolderID"},
	}
	for _, tc := range tests {
		if got := fieldOf(tc.a.Check()); got != tc.want {
			t.Errorf("%s: Check = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestEmailActionApply(t *testing.T) {
	received := Email{OwnerID: 1, OtherUserID: 2, FolderID: FolderInbox}
	sent := Email{OwnerID: 1, OtherUserID: 2, FolderID: FolderSent, Outgoing: true}
	deleted := Email{OwnerID: 1, OtherUserID: 2, FolderID: FolderDeleted}
	custom := func(id int64) bool { return id == 7 }
	tests := []struct {
		name     string
		a        EmailAction
		e        Email
		wantTo   int64
		wantSpam bool
		want     string
	}{
		{"spam", EmailAction{Spam: true}, received, FolderDeleted, true, ""},
		{"spam again", EmailAction{Spam: true}, deleted, FolderDeleted, true, ""},
		{"spam own", EmailAction{Spam: true}, sent, 0, false, "not_received"},
		{"delete", EmailAction{Delete: true}, sent, FolderDeleted, false, ""},
		{"delete again", EmailAction{Delete: true}, deleted, FolderDeleted, false, ""},
		{"to custom", EmailAction{MoveFolderID: ptr64(7)}, received, 7, false, ""},
		{"sent to custom", EmailAction{MoveFolderID: ptr64(7)}, sent, 7, false, ""},
		{"to unknown", EmailAction{MoveFolderID: ptr64(8)}, received, 0, false, "not_found"},
		{"received to sent", EmailAction{MoveFolderID: ptr64(FolderSent)}, received, 0, false, "MoveFolderID"},
		{"sent to inbox", EmailAction{MoveFolderID: ptr64(FolderInbox)}, sent, 0, false, "MoveFolderID"},
		{"back to inbox", EmailAction{MoveFolderID: ptr64(FolderInbox)}, Email{FolderID: 7}, FolderInbox, false, ""},
		{"move deleted", EmailAction{MoveFolderID: ptr64(7)}, deleted, 0, false, "not_found"},
	}
	for _, tc := range tests {
		to, spam, err := tc.a.Apply(&tc.e, custom)
		if got := fieldOf(err); got != tc.want || (err == nil && (to != tc.wantTo || spam != tc.wantSpam)) {
			t.Errorf("%s: Apply = %d, %v, %v; want %d, %v, %s", tc.name, to, spam, err, tc.wantTo, tc.wantSpam, tc.want)
		}
	}
}

func TestFolderChangesCheck(t *testing.T) {
	existing := []EmailFolder{{FolderID: 7, FolderName: "Regulars"}, {FolderID: 9, FolderName: "Old"}}
	many := make([]EmailFolder, MaxEmailFolders)
	for i := range many {
		many[i] = EmailFolder{FolderID: int64(i + 1), FolderName: strings.Repeat("f", i+1)}
	}
	tests := []struct {
		name     string
		ch       FolderChanges
		existing []EmailFolder
		want     string
	}{
		{"nothing", FolderChanges{}, existing, "NewFolderName"},
		{"create", FolderChanges{NewFolderName: pstr(" Clients ")}, existing, ""},
		{"blank name", FolderChanges{NewFolderName: pstr("  ")}, existing, "NewFolderName"},
		{"long name", FolderChanges{NewFolderName: pstr(strings.Repeat("n", MaxEmailFolderNameLen+1))}, existing, "NewFolderName"},
		{"name at limit", FolderChanges{NewFolderName: pstr(strings.Repeat("n", MaxEmailFolderNameLen))}, existing, ""},
		{"two lines", FolderChanges{NewFolderName: pstr("a\nb")}, existing, "NewFolderName"},
		{"reserved", FolderChanges{NewFolderName: pstr("INBOX")}, existing, "NewFolderName"},
		{"taken, other case", FolderChanges{NewFolderName: pstr("regulars")}, existing, "folder_name_taken"},
		{"limit", FolderChanges{NewFolderName: pstr("one more")}, many, "folder_limit_reached"},
		{"move", FolderChanges{FromFolderID: ptr64(0), ToFolderID: ptr64(7)}, existing, ""},
		{"move home", FolderChanges{FromFolderID: ptr64(7), ToFolderID: ptr64(0)}, existing, ""},
		{"from alone", FolderChanges{FromFolderID: ptr64(7)}, existing, "ToFolderID"},
		{"to alone", FolderChanges{ToFolderID: ptr64(7)}, existing, "FromFolderID"},
		{"same", FolderChanges{FromFolderID: ptr64(7), ToFolderID: ptr64(7)}, existing, "ToFolderID"},
		{"built-in to built-in", FolderChanges{FromFolderID: ptr64(0), ToFolderID: ptr64(-1)}, existing, "ToFolderID"},
		{"from deleted", FolderChanges{FromFolderID: ptr64(-2), ToFolderID: ptr64(7)}, existing, "FromFolderID"},
		{"to unknown", FolderChanges{FromFolderID: ptr64(0), ToFolderID: ptr64(8)}, existing, "not_found"},
		{"clear inbox", FolderChanges{ClearFolderID: ptr64(0)}, existing, ""},
		{"clear unknown", FolderChanges{ClearFolderID: ptr64(8)}, existing, "not_found"},
		{"clear deleted", FolderChanges{ClearFolderID: ptr64(-2)}, existing, "ClearFolderID"},
		{"delete", FolderChanges{DeleteFolderID: ptr64(9)}, existing, ""},
		{"delete inbox", FolderChanges{DeleteFolderID: ptr64(0)}, existing, "DeleteFolderID"},
		{"delete sent", FolderChanges{DeleteFolderID: ptr64(-1)}, existing, "DeleteFolderID"},
		{"delete unknown", FolderChanges{DeleteFolderID: ptr64(8)}, existing, "not_found"},
		{"everything", FolderChanges{NewFolderName: pstr("New"), FromFolderID: ptr64(9), ToFolderID: ptr64(7), ClearFolderID: ptr64(7), DeleteFolderID: ptr64(9)}, existing, ""},
		{"every field wrong", FolderChanges{NewFolderName: pstr(""), FromFolderID: ptr64(-5), ToFolderID: ptr64(-5), ClearFolderID: ptr64(-3), DeleteFolderID: ptr64(0)}, existing,
			"ClearFolderID,DeleteFolderID,FromFolderID,NewFolderName,ToFolderID"},
	}
	for _, tc := range tests {
		if got := fieldOf(tc.ch.Check(tc.existing)); got != tc.want {
			t.Errorf("%s: Check = %s, want %s", tc.name, got, tc.want)
		}
	}
	ch := FolderChanges{NewFolderName: pstr("  Trimmed ")}
	if err := ch.Check(existing); err != nil || *ch.NewFolderName != "Trimmed" {
		t.Errorf("the name is stored trimmed: %q, %v", *ch.NewFolderName, err)
	}
}

func TestAdmit(t *testing.T) {
	active := Member{UserID: 2, IsActive: true}
	orig := Email{EmailID: 5, OwnerID: 1, OtherUserID: 2, Subject: "Hello"}
	tests := []struct {
		name    string
		m       NewEmail
		replyTo *Email
		bl      bool
		want    string
	}{
		{"new", NewEmail{SenderID: 1, RecipientUserID: 2, Subject: "s"}, nil, false, ""},
		{"blacklisted", NewEmail{SenderID: 1, RecipientUserID: 2, Subject: "s"}, nil, true, "blacklisted"},
		{"reply", NewEmail{SenderID: 1, RecipientUserID: 2, ReplyToEmailID: 5}, &orig, false, ""},
		{"reply to nothing", NewEmail{SenderID: 1, RecipientUserID: 2, ReplyToEmailID: 6}, nil, false, "not_found"},
	}
	for _, tc := range tests {
		if got := fieldOf(tc.m.Admit(&active, tc.bl, tc.replyTo)); got != tc.want {
			t.Errorf("%s: Admit = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestEmailDisclaimer(t *testing.T) {
	tests := []struct {
		e    Email
		want string
	}{
		{Email{}, EmailDisclaimerUnverified},
		{Email{OtherVerified: true}, ""},
		{Email{Outgoing: true}, ""},
	}
	for _, tc := range tests {
		if got := EmailDisclaimer(&tc.e); got != tc.want {
			t.Errorf("EmailDisclaimer(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
	if HasNegativeAlias(RatingCounts{Positive: 5}) || !HasNegativeAlias(RatingCounts{Positive: 5, Negative: 1}) {
		t.Error("HasNegativeAlias is having any negative rating")
	}
}
