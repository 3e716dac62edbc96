package httpapi

import (
	"context"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// Email (api-v1.md §2.7): on-site messaging. The six documented methods, each with its Group-manager
// variant, all under scope account_communications. The rules live in the domain (awapi/email.go);
// the store applies them with the counters in one transaction. Where the documentation is silent the
// decisions are in docs/email.md; in short:
//   - Each mailbox holds its own copy of a message with its own EmailID: the sender's in Sent items
//     (-1, read), the recipient's in the Inbox (0, unread).
//   - Read is 0 or 1 everywhere, as GetEmail types it. GetEmail marks the message read and answers
//     it as it is then (Read 1).
//   - Manage is a state-changing GET, as documented; each action may be repeated with the same
//     answer (a deleted message stays addressable by Manage, never listed or read).
//   - Bodies are stored and answered exactly as sent: no HTML is interpreted or stripped, and the
//     server's own pages never render them (clients escape them).

// emailArea serves Email.
type emailArea struct {
	mail     awapi.EmailStore
	profiles awapi.ProfileReader
}

func (s *emailArea) endpoints() []*web.Endpoint {
	ep := func(method, path, summary string) web.Endpoint {
		return web.Endpoint{Method: method, Path: path, Auth: web.AuthBearer, Scope: awapi.ScopeAccountCommunications, GM: web.WithGM,
			Summary: summary}
	}
	return []*web.Endpoint{
		web.Handle(ep("GET", "/v1/Email/GetEmails",
			"One page of a mailbox folder (0 Inbox, -1 Sent items, or a custom folder), optionally only unread messages or those "+
				"holding every word of Search in the subject or body; with ReturnCustomFolders, your custom folders too."), s.getEmails),
		web.Handle(ep("GET", "/v1/Email/GetEmail",
			"One of your messages, with the other member's ratings; reading it marks it read (Read 1). Another member's message is 404."), s.getEmail),
		web.Handle(ep("GET", "/v1/Email/Manage",
			"Delete a message, move it to a folder, or report its sender as spam (which deletes every message they sent you). "+
				"A state-changing GET, as documented; repeating it answers the same."), s.manage),
		web.Handle(ep("POST", "/v1/Email/Send",
			"Send a message, or a reply (ReplyToEmailID: the thread follows, and the subject when you send none). "+
				"Answers your copy, in Sent items."), s.send),
		web.Handle(ep("GET", "/v1/Email/GetUnreadEmails", "The number of unread messages in your mailbox, as a bare integer."), s.getUnreadEmails),
		web.Handle(ep("POST", "/v1/Email/CustomFolders",
			"Any combination of: create a folder, move the contents of one folder into another, clear a folder, delete a custom folder; "+
				"applied in that order, all or nothing. Answers your custom folders afterwards."), s.customFolders),
	}
}

type (
	// Email is one message in a list, and the answer of Send (the sender's copy).
	Email struct {
		EmailID          int64
		Read             int // 0 or 1, as GetEmail types it
		Subject          string
		Body             *string // null unless ReturnEmailBody
		SentDate         time.Time
		OtherUserID      int64 // the sender of a received message, the recipient of a sent one
		OtherNickname    string
		FolderID         int64 // 0 Inbox, -1 Sent items, or a custom folder
		Disclaimer       *string
		AllowFacePicture bool
		ThreadID         int64
	}
	// EmailsOutput is one page of a folder.
	EmailsOutput struct {
		Paging
		EmailsPerPage int
		EmailsTotal   int
		Emails        []Email
		CustomFolders *[]EmailFolder // null unless ReturnCustomFolders
	}
	// EmailFolder is one of the member's custom folders.
	EmailFolder struct {
		FolderID    int64
		FolderName  string
		CreatedDate time.Time
	}
	// EmailDetails answers GetEmail.
	EmailDetails struct {
		EmailID               int64
		Read                  int // documented as an integer
		Subject               string
		Body                  string
		SentDate              time.Time
		OtherUserID           int64
		OtherNickname         string
		OtherRatings          Ratings
		OtherLogins           int
		OtherHasNegativeAlias bool
		FolderID              int64
		Disclaimer            *string
		AllowFacePicture      bool
		ThreadID              int64
	}
	// EmailManageOutput answers Manage: where the message is now.
	EmailManageOutput struct {
		EmailID      int64
		FolderID     *int64 // null once deleted
		Deleted      bool
		SpamReported bool
	}
	// CustomFoldersOutput answers CustomFolders.
	CustomFoldersOutput struct {
		NewFolderID   *int64 // the folder NewFolderName created
		CustomFolders []EmailFolder
	}
)

type (
	getEmailsReq struct {
		Search              string `api:"maxlen=100" doc:"Words that must all occur in the subject or body (whole words, any case)."`
		UnreadOnly          bool   `api:"default=false"`
		FolderID            int64  `api:"min=-1,default=0" doc:"0 Inbox (default), -1 Sent items, or the ID of one of your custom folders."`
		ReturnCustomFolders bool   `api:"default=false" doc:"Also answer your custom folders (CustomFolders)."`
		ReturnEmailBody     bool   `api:"default=false" doc:"Answer each message's Body; null otherwise."`
		OrderBy             string `api:"enum=sentdate-asc|sentdate-desc|othernickname-asc|othernickname-desc,default=sentdate-asc"`
		EmailsPerPage       int    `api:"min=1,max=100,default=50"`
		PageNumber          int    `api:"min=1,default=1"`

		terms []string
	}
	emailIDReq struct {
		EmailID int64 `api:"required,min=1"`
	}
	manageEmailReq struct {
		EmailID      int64  `api:"required,min=1"`
		Spam         bool   `api:"default=false" doc:"Report the sender as a spammer: every message they sent you is deleted. Only for a message you received."`
		Delete       bool   `api:"default=false"`
		MoveFolderID *int64 `api:"min=-1" doc:"A custom folder, or the message's built-in folder (0 for a message you received, -1 for one you sent)."`

		action awapi.EmailAction
	}
	sendEmailReq struct {
		RecipientUserID  int64  `api:"required,min=1" doc:"The member you write to (the documentation calls it the ID of the email)."`
		ReplyToEmailID   *int64 `api:"min=1" doc:"A message of your mailbox you reply to; its other member must be RecipientUserID."`
		Subject          string `doc:"Required for a new message; a reply without one takes \"Re: \" and the original's. At most 150 characters, one line."`
		Body             string `api:"required" doc:"At most 20000 characters, stored and answered as sent (never interpreted as HTML)."`
		AllowFacePicture bool   `api:"default=false" doc:"Whether the recipient may see your face picture; stored and answered."`

		msg awapi.NewEmail
	}
	customFoldersReq struct {
		NewFolderName  *string `doc:"Create a folder: at most 50 characters, unique among your folders whatever the case."`
		DeleteFolderID *int64  `doc:"Delete a custom folder; its messages go back to the Inbox or Sent items."`
		ClearFolderID  *int64  `doc:"Delete every message in a folder (0 and -1 included); the folder stays."`
		FromFolderID   *int64  `doc:"With ToFolderID: move every message of this folder."`
		ToFolderID     *int64  `doc:"With FromFolderID: the folder they go to; 0 or -1 sends each back to its own built-in folder."`
	}
)

// Validate splits the Search into the words the index holds.
func (r *getEmailsReq) Validate(_ *web.Call, v *awapi.Validation) {
	if r.Search != "" {
		terms, err := awapi.EmailSearchTerms(r.Search)
		addInvalid(v, err)
		r.terms = terms
	}
}

// Validate checks the action is one the domain understands.
func (r *manageEmailReq) Validate(_ *web.Call, v *awapi.Validation) {
	r.action = awapi.EmailAction{Spam: r.Spam, Delete: r.Delete, MoveFolderID: r.MoveFolderID}
	addInvalid(v, r.action.Check())
}

// Validate checks the message's own rules.
func (r *sendEmailReq) Validate(c *web.Call, v *awapi.Validation) {
	r.msg = awapi.NewEmail{SenderID: c.Caller.ActingUserID, RecipientUserID: r.RecipientUserID, Subject: r.Subject, Body: r.Body,
		AllowFacePicture: r.AllowFacePicture, SentAt: c.Now}
	if r.ReplyToEmailID != nil {
		r.msg.ReplyToEmailID = *r.ReplyToEmailID
	}
	addInvalid(v, r.msg.Check())
}

func (r *customFoldersReq) changes() awapi.FolderChanges {
	return awapi.FolderChanges{NewFolderName: r.NewFolderName, FromFolderID: r.FromFolderID, ToFolderID: r.ToFolderID,
		ClearFolderID: r.ClearFolderID, DeleteFolderID: r.DeleteFolderID}
}

func read01(read bool) int {
	if read {
		return 1
	}
	return 0
}

func emailOut(e *awapi.Email, withBody bool) Email {
	out := Email{EmailID: e.EmailID, Read: read01(e.Read), Subject: e.Subject, SentDate: e.SentAt, OtherUserID: e.OtherUserID,
		OtherNickname: e.OtherNickname, FolderID: e.FolderID, AllowFacePicture: e.AllowFacePicture, ThreadID: e.ThreadID}
	if withBody {
		out.Body = &e.Body
	}
	if d := awapi.EmailDisclaimer(e); d != "" {
		out.Disclaimer = &d
	}
	return out
}

func foldersOut(fs []awapi.EmailFolder) []EmailFolder {
	out := make([]EmailFolder, len(fs))
	for i, f := range fs {
		out[i] = EmailFolder{FolderID: f.FolderID, FolderName: f.FolderName, CreatedDate: f.CreatedAt}
	}
	return out
}

func (s *emailArea) getEmails(ctx context.Context, c *web.Call, req *getEmailsReq) (EmailsOutput, error) {
	owner := c.Caller.ActingUserID
	page := awapi.Page{Number: req.PageNumber, Size: req.EmailsPerPage}
	es, total, err := s.mail.Emails(ctx, awapi.EmailQuery{OwnerID: owner, FolderID: req.FolderID, UnreadOnly: req.UnreadOnly,
		Terms: req.terms, Order: awapi.EmailOrder(req.OrderBy), WithBody: req.ReturnEmailBody, Page: page})
	if err != nil {
		return EmailsOutput{}, err
	}
	out := EmailsOutput{Paging: pagingOf(total, page), EmailsPerPage: page.Size, EmailsTotal: total, Emails: make([]Email, len(es))}
	for i := range es {
		out.Emails[i] = emailOut(&es[i], req.ReturnEmailBody)
	}
	if req.ReturnCustomFolders {
		fs, err := s.mail.EmailFolders(ctx, owner)
		if err != nil {
			return EmailsOutput{}, err
		}
		folders := foldersOut(fs)
		out.CustomFolders = &folders
	}
	return out, nil
}

func (s *emailArea) getEmail(ctx context.Context, c *web.Call, req *emailIDReq) (EmailDetails, error) {
	e, err := s.mail.ReadEmail(ctx, c.Caller.ActingUserID, req.EmailID)
	if err != nil {
		return EmailDetails{}, err
	}
	out := EmailDetails{EmailID: e.EmailID, Read: read01(e.Read), Subject: e.Subject, Body: e.Body, SentDate: e.SentAt,
		OtherUserID: e.OtherUserID, OtherNickname: e.OtherNickname, FolderID: e.FolderID, AllowFacePicture: e.AllowFacePicture,
		ThreadID: e.ThreadID}
	if d := awapi.EmailDisclaimer(&e); d != "" {
		out.Disclaimer = &d
	}
	// The other member's ratings; one no longer active has none to show.
	ps, err := s.profiles.Profiles(ctx, []int64{e.OtherUserID}, c.Now)
	if err != nil {
		return EmailDetails{}, err
	}
	if len(ps) == 1 {
		out.OtherRatings = RatingsOf(ps[0].Ratings)
		out.OtherHasNegativeAlias = awapi.HasNegativeAlias(ps[0].Ratings)
	}
	return out, nil
}

func (s *emailArea) manage(ctx context.Context, c *web.Call, req *manageEmailReq) (EmailManageOutput, error) {
	e, err := s.mail.ManageEmail(ctx, c.Caller.ActingUserID, req.EmailID, req.action, c.Now)
	if err != nil {
		return EmailManageOutput{}, err
	}
	out := EmailManageOutput{EmailID: e.EmailID, Deleted: e.Deleted(), SpamReported: req.Spam}
	if !e.Deleted() {
		out.FolderID = &e.FolderID
	}
	return out, nil
}

func (s *emailArea) send(ctx context.Context, _ *web.Call, req *sendEmailReq) (Email, error) {
	e, err := s.mail.SendEmail(ctx, req.msg)
	if err != nil {
		return Email{}, err
	}
	return emailOut(&e, true), nil
}

func (s *emailArea) getUnreadEmails(ctx context.Context, c *web.Call, _ *noParams) (int, error) {
	return s.mail.UnreadEmails(ctx, c.Caller.ActingUserID)
}

func (s *emailArea) customFolders(ctx context.Context, c *web.Call, req *customFoldersReq) (CustomFoldersOutput, error) {
	fs, created, err := s.mail.ChangeEmailFolders(ctx, c.Caller.ActingUserID, req.changes(), c.Now)
	if err != nil {
		return CustomFoldersOutput{}, err
	}
	out := CustomFoldersOutput{CustomFolders: foldersOut(fs)}
	if created != 0 {
		out.NewFolderID = &created
	}
	return out, nil
}
