package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/awapi/awapi"
)

// mailer calls the Email area as a member with the account_communications scope.
type mailer struct {
	f    *fixture
	toks map[int64]string
}

func newMailer(f *fixture) *mailer { return &mailer{f: f, toks: map[int64]string{}} }

func (m *mailer) tok(user int64) string {
	if m.toks[user] == "" {
		m.toks[user] = m.f.Mint(user, awapi.ScopeAccountCommunications)
	}
	return m.toks[user]
}

func (m *mailer) call(user int64, method, target string, body, out any) int {
	m.f.T.Helper()
	return m.f.callWith(m.tok(user), method, target, body, out)
}

type emailView struct {
	Email
	SentDate string
}

type emailsView struct {
	EmailsOutput
	Emails        []emailView
	CustomFolders *[]struct {
		FolderID    int64
		FolderName  string
		CreatedDate string
	}
}

type foldersView struct {
	NewFolderID   *int64
	CustomFolders []struct {
		FolderID    int64
		FolderName  string
		CreatedDate string
	}
}

type emailDetailsView struct {
	EmailDetails
	SentDate string
}

func (m *mailer) send(from, to int64, subject, body string) emailView {
	m.f.T.Helper()
	var out emailView
	if s := m.call(from, "POST", "/v1/Email/Send", obj{"RecipientUserID": to, "Subject": subject, "Body": body}, &out); s != 200 {
		m.f.T.Fatalf("Send %d→%d: %d %+v", from, to, s, m.f.lastError)
	}
	return out
}

func (m *mailer) unread(user int64) int {
	m.f.T.Helper()
	var n int
	if s := m.call(user, "GET", "/v1/Email/GetUnreadEmails", nil, &n); s != 200 {
		m.f.T.Fatalf("GetUnreadEmails: %d %+v", s, m.f.lastError)
	}
	return n
}

func (m *mailer) list(user int64, query string) emailsView {
	m.f.T.Helper()
	var out emailsView
	if s := m.call(user, "GET", "/v1/Email/GetEmails?"+query, nil, &out); s != 200 {
		m.f.T.Fatalf("GetEmails?%s: %d %+v", query, s, m.f.lastError)
	}
	return out
}

func TestEmail(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		m := newMailer(f)
		html := `<script>alert("x")</script> & <b>bold</b>`
		sent := m.send(1, 3, "Saturday evening", "Are you free on Saturday? "+html)
		if sent.FolderID != awapi.FolderSent || sent.Read != 1 || sent.OtherUserID != 3 || sent.OtherNickname != "MemberOne" ||
			sent.Body == nil || !strings.HasSuffix(*sent.Body, html) || sent.Disclaimer != nil || sent.SentDate != f.local(f.Clock.Now()) {
			t.Fatalf("Send answered %+v", sent)
		}
		// The bare count, in both formats, and the Dashboard's.
		if n := m.unread(3); n != 1 {
			t.Fatalf("unread = %d", n)
		}
		w := f.Do("GET", "/v1/Email/GetUnreadEmails", "", "Authorization", "bearer "+m.tok(3))
		if strings.TrimSpace(w.Body.String()) != "1" || !strings.Contains(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("JSON count: %q %s", w.Body, w.Header().Get("Content-Type"))
		}
		xmlGet(t, f, m.tok(3), "GET", "/v1/Email/GetUnreadEmails", "",
			`<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">1</int>`)
		var dash Dashboard
		if s := m.call(3, "GET", "/v1/Dashboard/GetDashboard?Options=1", nil, &dash); s != 200 || dash.UnreadEmails == nil || *dash.UnreadEmails != 1 {
			t.Fatalf("Dashboard: %d %+v", s, dash)
		}

		// The page shape, with and without bodies and folders.
		w = f.Do("GET", "/v1/Email/GetEmails", "", "Authorization", "bearer "+m.tok(3))
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"PageCount", "PageNumber", "EmailsPerPage", "EmailsTotal", "Emails", "CustomFolders"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("GetEmails lacks %s: %s", k, w.Body)
			}
		}
		page := m.list(3, "")
		if page.PageCount != 1 || page.PageNumber != 1 || page.EmailsPerPage != 50 || page.EmailsTotal != 1 || len(page.Emails) != 1 ||
			page.CustomFolders != nil {
			t.Fatalf("inbox = %+v", page)
		}
		got := page.Emails[0]
		if got.Body != nil || got.Read != 0 || got.FolderID != 0 || got.OtherUserID != 1 || got.OtherNickname != "Client" ||
			got.Disclaimer == nil || *got.Disclaimer != awapi.EmailDisclaimerUnverified || got.EmailID == sent.EmailID {
			t.Fatalf("inbox item = %+v", got)
		}
		page = m.list(3, "ReturnEmailBody=true&ReturnCustomFolders=true")
		if page.Emails[0].Body == nil || *page.Emails[0].Body != *sent.Body || page.CustomFolders == nil || len(*page.CustomFolders) != 0 {
			t.Fatalf("with body and folders = %+v", page)
		}

		// GetEmail: the documented fields, marks read; another member's message is 404.
		var det emailDetailsView
		if s := m.call(1, "GET", "/v1/Email/GetEmail?EmailID="+fmt.Sprint(got.EmailID), nil, nil); s != 404 {
			t.Fatalf("another member's message: %d", s)
		}
		w = f.Do("GET", "/v1/Email/GetEmail?EmailID="+fmt.Sprint(got.EmailID), "", "Authorization", "bearer "+m.tok(3))
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"EmailID", "Read", "Subject", "Body", "SentDate", "OtherUserID", "OtherNickname", "OtherRatings",
			"OtherLogins", "OtherHasNegativeAlias"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("GetEmail lacks %s: %s", k, w.Body)
			}
		}
		if string(raw["Read"]) != "1" || !strings.Contains(string(raw["OtherRatings"]), `"Positive"`) {
			t.Errorf("GetEmail: Read %s, OtherRatings %s", raw["Read"], raw["OtherRatings"])
		}
		if n := m.unread(3); n != 0 {
			t.Fatalf("unread after GetEmail = %d", n)
		}
		if s := m.call(3, "GET", "/v1/Email/GetEmail?EmailID="+fmt.Sprint(got.EmailID), nil, &det); s != 200 || det.Read != 1 ||
			det.Body != *sent.Body || det.OtherHasNegativeAlias {
			t.Fatalf("GetEmail again: %d %+v", s, det)
		}

		// A reply follows the thread and the subject.
		var reply emailView
		if s := m.call(3, "POST", "/v1/Email/Send", obj{"RecipientUserID": 1, "ReplyToEmailID": got.EmailID, "Body": "Yes, 8pm"}, &reply); s != 200 ||
			reply.Subject != "Re: Saturday evening" || reply.ThreadID != sent.ThreadID {
			t.Fatalf("reply: %d %+v %+v", s, reply, f.lastError)
		}
		if page := m.list(1, "Search=8pm"); page.EmailsTotal != 1 || page.Emails[0].Subject != "Re: Saturday evening" {
			t.Fatalf("search of the reply: %+v", page)
		}
		if page := m.list(1, "Search=SATURDAY&FolderID=-1"); page.EmailsTotal != 1 {
			t.Fatalf("search of Sent items: %+v", page)
		}
		if page := m.list(1, "Search=sunday"); page.EmailsTotal != 0 || len(page.Emails) != 0 {
			t.Fatalf("search for a missing word: %+v", page)
		}
	})
}

func TestEmailInvalid(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		m := newMailer(f)
		first := m.send(3, 1, "Hello", "Hi")
		if _, err := f.St.AddToBlacklist(context.Background(), 4, []int64{1}, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			body   obj
			status int
			field  string
			code   string
		}{
			{"no body", obj{"RecipientUserID": 3, "Subject": "s"}, 400, "Body", ""},
			{"no subject", obj{"RecipientUserID": 3, "Body": "b"}, 400, "Subject", ""},
			{"no recipient", obj{"Subject": "s", "Body": "b"}, 400, "RecipientUserID", ""},
			{"to self", obj{"RecipientUserID": 1, "Subject": "s", "Body": "b"}, 400, "RecipientUserID", ""},
			{"long subject", obj{"RecipientUserID": 3, "Subject": strings.Repeat("s", awapi.MaxEmailSubjectLen+1), "Body": "b"}, 400, "Subject", ""},
			{"long body", obj{"RecipientUserID": 3, "Subject": "s", "Body": strings.Repeat("b", awapi.MaxEmailBodyLen+1)}, 400, "Body", ""},
			{"unknown recipient", obj{"RecipientUserID": 999, "Subject": "s", "Body": "b"}, 404, "", "not_found"},
			{"blacklisted", obj{"RecipientUserID": 4, "Subject": "s", "Body": "b"}, 409, "", "blacklisted"},
			{"reply to another's", obj{"RecipientUserID": 3, "ReplyToEmailID": first.EmailID, "Body": "b"}, 404, "", "not_found"},
		} {
			s := m.call(1, "POST", "/v1/Email/Send", tc.body, nil)
			t.Run(tc.name, func(t *testing.T) { wantField(t, f, tc.status, s, tc.field, tc.code) })
		}
		for _, tc := range []struct {
			query  string
			status int
			field  string
		}{
			{"GetEmails?Search=%25%25", 400, "Search"},
			{"GetEmails?FolderID=-2", 400, "FolderID"},
			{"GetEmails?FolderID=77", 404, ""},
			{"GetEmails?EmailsPerPage=101", 400, "EmailsPerPage"},
			{"GetEmails?OrderBy=subject-asc", 400, "OrderBy"},
			{"GetEmail", 400, "EmailID"},
			{"Manage?EmailID=1", 400, "Spam"},
			{"Manage?EmailID=1&Delete=true&MoveFolderID=5", 400, "MoveFolderID"},
			{"Manage?EmailID=999&Delete=true", 404, ""},
		} {
			s := m.call(1, "GET", "/v1/Email/"+tc.query, nil, nil)
			t.Run(tc.query, func(t *testing.T) { wantField(t, f, tc.status, s, tc.field, "") })
		}
		for _, tc := range []struct {
			body   obj
			status int
			field  string
			code   string
		}{
			{obj{}, 400, "NewFolderName", ""},
			{obj{"DeleteFolderID": 0}, 400, "DeleteFolderID", ""},
			{obj{"DeleteFolderID": -1}, 400, "DeleteFolderID", ""},
			{obj{"FromFolderID": 0}, 400, "ToFolderID", ""},
			{obj{"NewFolderName": "Inbox"}, 400, "NewFolderName", ""},
			{obj{"ClearFolderID": 55}, 404, "", "not_found"},
		} {
			s := m.call(1, "POST", "/v1/Email/CustomFolders", tc.body, nil)
			t.Run(fmt.Sprint(tc.body), func(t *testing.T) { wantField(t, f, tc.status, s, tc.field, tc.code) })
		}
		if w := f.Do("GET", "/v1/Email/GetUnreadEmails", "", f.Bearer("client")...); w.Code != 403 {
			t.Fatalf("without the scope: %d", w.Code)
		}
	})
}

func TestEmailManageAndFolders(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		m := newMailer(f)
		for i := range 3 {
			m.send(3, 1, fmt.Sprintf("Offer %d", i), "Cheap")
		}
		m.send(4, 1, "Hello", "A real message")
		var folders foldersView
		if s := m.call(1, "POST", "/v1/Email/CustomFolders", obj{"NewFolderName": "Keep"}, &folders); s != 200 || folders.NewFolderID == nil ||
			len(folders.CustomFolders) != 1 || folders.CustomFolders[0].FolderName != "Keep" {
			t.Fatalf("create: %d %+v %+v", s, folders, f.lastError)
		}
		keep := *folders.NewFolderID
		if s := m.call(1, "POST", "/v1/Email/CustomFolders", obj{"NewFolderName": "keep"}, nil); s != 409 || f.lastError.Code != "folder_name_taken" {
			t.Fatalf("a second Keep: %d %+v", s, f.lastError)
		}
		inbox := m.list(1, "OrderBy=sentdate-desc")
		hello := inbox.Emails[0]
		var moved EmailManageOutput
		if s := m.call(1, "GET", fmt.Sprintf("/v1/Email/Manage?EmailID=%d&MoveFolderID=%d", hello.EmailID, keep), nil, &moved); s != 200 ||
			moved.FolderID == nil || *moved.FolderID != keep || moved.Deleted {
			t.Fatalf("move: %d %+v %+v", s, moved, f.lastError)
		}
		if page := m.list(1, fmt.Sprintf("FolderID=%d&UnreadOnly=true", keep)); page.EmailsTotal != 1 || page.Emails[0].Subject != "Hello" {
			t.Fatalf("Keep: %+v", page)
		}
		// Spam, twice: the same answer, and only the spammer's messages are gone.
		offer := inbox.Emails[1]
		for range 2 {
			var out EmailManageOutput
			if s := m.call(1, "GET", fmt.Sprintf("/v1/Email/Manage?EmailID=%d&Spam=true", offer.EmailID), nil, &out); s != 200 ||
				!out.Deleted || !out.SpamReported || out.FolderID != nil {
				t.Fatalf("spam: %d %+v %+v", s, out, f.lastError)
			}
			if page := m.list(1, ""); page.EmailsTotal != 0 {
				t.Fatalf("inbox after spam: %+v", page)
			}
			if n := m.unread(1); n != 1 {
				t.Fatalf("unread after spam = %d", n)
			}
		}
		if s := m.call(1, "GET", fmt.Sprintf("/v1/Email/GetEmail?EmailID=%d", offer.EmailID), nil, nil); s != 404 {
			t.Fatalf("a deleted message is read: %d", s)
		}
		// Combined: create Archive, move Keep into the Inbox, delete Keep.
		body := obj{"NewFolderName": "Archive", "FromFolderID": keep, "ToFolderID": 0, "DeleteFolderID": keep}
		if s := m.call(1, "POST", "/v1/Email/CustomFolders", body, &folders); s != 200 || len(folders.CustomFolders) != 1 ||
			folders.CustomFolders[0].FolderName != "Archive" {
			t.Fatalf("combined: %d %+v %+v", s, folders, f.lastError)
		}
		if page := m.list(1, "ReturnCustomFolders=true"); page.EmailsTotal != 1 || len(*page.CustomFolders) != 1 {
			t.Fatalf("after combined: %+v", page)
		}
		// The GM variants act for the manager's own members only.
		var n int
		m.send(1, 3, "To the member", "b")
		if s := m.call(2, "GET", "/v1/Groups/Email/GetUnreadEmails?UserID=3", nil, &n); s != 200 || n != 1 {
			t.Fatalf("GM GetUnreadEmails: %d %d %+v", s, n, f.lastError)
		}
		if s := m.call(2, "GET", "/v1/Groups/Email/GetUnreadEmails?UserID=4", nil, nil); s != 404 {
			t.Fatalf("GM for another group's member: %d", s)
		}
		var gm emailView
		if s := m.call(2, "POST", "/v1/Groups/Email/Send", obj{"UserID": 3, "RecipientUserID": 1, "Subject": "From my agency", "Body": "b"}, &gm); s != 200 ||
			gm.OtherUserID != 1 {
			t.Fatalf("GM Send: %d %+v %+v", s, gm, f.lastError)
		}
		if page := m.list(1, "OrderBy=sentdate-desc"); page.Emails[0].OtherUserID != 3 || page.Emails[0].Subject != "From my agency" {
			t.Fatalf("the GM's message: %+v", page.Emails[0])
		}
		var gmPage emailsView
		if s := m.call(2, "GET", "/v1/Groups/Email/GetEmails?UserID=3&FolderID=-1", nil, &gmPage); s != 200 || gmPage.EmailsTotal != 4 {
			t.Fatalf("GM GetEmails: %d %+v", s, gmPage)
		}
		for _, path := range []string{"GetEmail?EmailID=1", "Manage?EmailID=1&Delete=true"} {
			if s := m.call(2, "GET", "/v1/Groups/Email/"+path+"&UserID=4", nil, nil); s != 404 {
				t.Fatalf("GM %s for another group's member: %d", path, s)
			}
		}
		if s := m.call(2, "POST", "/v1/Groups/Email/CustomFolders", obj{"UserID": 3, "NewFolderName": "Agency"}, &folders); s != 200 {
			t.Fatalf("GM CustomFolders: %d %+v", s, f.lastError)
		}
	})
}

// TestEmailXML: every answer in XML, under its root and the Email namespace.
func TestEmailXML(t *testing.T) {
	f := newFixture(t, testdbSQLite)
	m := newMailer(f)
	sent := m.send(1, 3, "Hi", "Body & <more>")
	ns := `xmlns="http://schemas.datacontract.org/2004/07/API.Models.Email"`
	xmlGet(t, f, m.tok(3), "GET", "/v1/Email/GetEmails?ReturnEmailBody=true&ReturnCustomFolders=true", "",
		"<EmailsOutput ", ns, "<EmailsPerPage>50</EmailsPerPage>", "<Emails><Email><AllowFacePicture>false</AllowFacePicture><Body>Body &amp; &lt;more&gt;</Body>",
		"<CustomFolders></CustomFolders>", "<Read>0</Read>")
	page := m.list(3, "")
	xmlGet(t, f, m.tok(3), "GET", "/v1/Email/GetEmail?EmailID="+fmt.Sprint(page.Emails[0].EmailID), "",
		"<EmailDetails ", ns, "<OtherRatings><Disputes>0</Disputes>", "<Read>1</Read>", "<OtherLogins>0</OtherLogins>")
	xmlGet(t, f, m.tok(1), "GET", "/v1/Email/Manage?EmailID="+fmt.Sprint(sent.EmailID)+"&Delete=true", "",
		"<EmailManageOutput ", ns, "<Deleted>true</Deleted>", `<FolderID i:nil="true"/>`)
	w := f.Do("POST", "/v1/Email/CustomFolders", `{"NewFolderName":"X"}`, "Authorization", "bearer "+m.tok(1), "Accept", "application/xml")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<CustomFoldersOutput ") || !strings.Contains(w.Body.String(), ns) || !strings.Contains(w.Body.String(), "<EmailFolder>") {
		t.Fatalf("CustomFolders XML: %d %s", w.Code, w.Body)
	}
	w = f.Do("POST", "/v1/Email/Send", url.Values{"RecipientUserID": {"1"}, "Subject": {"s"}}.Encode(), "Authorization", "bearer "+m.tok(3),
		"Accept", "application/xml", "Content-Type", "application/x-www-form-urlencoded")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "Body") {
		t.Fatalf("Send XML error: %d %s", w.Code, w.Body)
	}
}

// TestEmailRace: concurrent sends to one member and reads of their messages, over HTTP on both
// engines, leave GetUnreadEmails and the Dashboard exact.
func TestEmailRace(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		m := newMailer(f)
		const pre, during = 16, 16
		for i := range pre {
			m.send(3, 1, fmt.Sprintf("Pre %d", i), "b")
		}
		page := m.list(1, "")
		for _, u := range []int64{1, 3, 4} {
			m.tok(u)
		}
		var wg sync.WaitGroup
		statuses := make([]int, pre*2+during)
		for i := range statuses {
			wg.Go(func() {
				var w int
				switch {
				case i < during:
					w = f.Do("POST", "/v1/Email/Send", fmt.Sprintf(`{"RecipientUserID":1,"Subject":"During %d","Body":"b"}`, i),
						"Authorization", "bearer "+m.toks[int64(3+i%2)]).Code
				default:
					w = f.Do("GET", fmt.Sprintf("/v1/Email/GetEmail?EmailID=%d", page.Emails[(i-during)%pre].EmailID), "",
						"Authorization", "bearer "+m.toks[1]).Code
				}
				statuses[i] = w
			})
		}
		wg.Wait()
		for i, s := range statuses {
			if s != 200 {
				t.Fatalf("request %d: %d", i, s)
			}
		}
		if n := m.unread(1); n != during {
			t.Fatalf("unread = %d, want %d", n, during)
		}
		var dash Dashboard
		if s := m.call(1, "GET", "/v1/Dashboard/GetDashboard?Options=1", nil, &dash); s != 200 || *dash.UnreadEmails != during {
			t.Fatalf("Dashboard: %d %+v", s, dash)
		}
		if page := m.list(1, "UnreadOnly=true&EmailsPerPage=100"); page.EmailsTotal != during || len(page.Emails) != during {
			t.Fatalf("unread listing: %d of %d", len(page.Emails), page.EmailsTotal)
		}
	})
}
