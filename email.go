package awapi

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Email (api-v1.md §2.7): on-site messages between members. Every message is stored once per
// mailbox: the sender's copy in their Sent items, the recipient's in their Inbox, each with its own
// EmailID, folder and read flag, so what one member does to their copy never touches the other's.
// The rules here are the documented ones and, where the documentation is silent, the project's
// (docs/email.md); the store applies them in one transaction with the counters they change.

// The built-in folders (api-v1.md §3.1, §5). FolderDeleted is the store's: a deleted message stays
// there, out of every list, so that Manage can be repeated safely (Spam above all).
const (
	FolderInbox   int64 = 0
	FolderSent    int64 = -1
	FolderDeleted int64 = -2
)

// The project's limits where the documentation gives none.
const (
	MaxEmailSubjectLen    = 150   // characters of a Subject
	MaxEmailBodyLen       = 20000 // characters of a Body, stored as sent
	MaxEmailFolderNameLen = 50    // characters of a custom folder's name
	MaxEmailFolders       = 100   // custom folders one member may have
	MaxEmailSearchLen     = 100   // characters of GetEmails' Search
	MaxEmailSearchTerms   = 8     // words of a Search, all of which must match
	replyPrefix           = "Re: "
)

// Email is one copy of a message, as its owner sees it: Other is the other party (the sender of a
// received message, the recipient of a sent one).
type Email struct {
	EmailID          int64
	OwnerID          int64
	OtherUserID      int64
	OtherNickname    string
	OtherVerified    bool // the other member's identity is verified (Member.Verified)
	FolderID         int64
	Outgoing         bool // the owner sent it
	Read             bool
	Subject          string
	Body             string
	SentAt           time.Time
	AllowFacePicture bool
	ThreadID         int64 // the EmailID of the sender's copy of the thread's first message
}

// HomeFolder is the built-in folder the message belongs in: Sent items when the owner sent it.
func (e *Email) HomeFolder() int64 {
	if e.Outgoing {
		return FolderSent
	}
	return FolderInbox
}

// Deleted reports whether the owner deleted the message (or reported its sender as spam).
func (e *Email) Deleted() bool { return e.FolderID == FolderDeleted }

// EmailDisclaimerUnverified is the Disclaimer of a message received from a member whose identity
// is not verified. The documentation names Disclaimer as optional without saying what it holds.
const EmailDisclaimerUnverified = "This member has not verified their identity. Never send money, or details that identify you, " +
	"to someone you have not met."

// EmailDisclaimer is the warning a message carries, "" for none: only a received message from an
// unverified member carries one.
func EmailDisclaimer(e *Email) string {
	if e.Outgoing || e.OtherVerified {
		return ""
	}
	return EmailDisclaimerUnverified
}

// HasNegativeAlias is GetEmail's OtherHasNegativeAlias, which the documentation cuts off: the project
// reads it as "has received negative ratings".
func HasNegativeAlias(r RatingCounts) bool { return r.Negative > 0 }

// EmailFolder is a member's custom folder.
type EmailFolder struct {
	FolderID   int64
	OwnerID    int64
	FolderName string
	CreatedAt  time.Time
}

// EmailOrder is a GetEmails ordering (api-v1.md §3.2). Ties break on EmailID in the same direction.
type EmailOrder string

const (
	EmailOrderSentAsc      EmailOrder = "sentdate-asc" // the documented default
	EmailOrderSentDesc     EmailOrder = "sentdate-desc"
	EmailOrderNicknameAsc  EmailOrder = "othernickname-asc" // case-insensitive, then by date
	EmailOrderNicknameDesc EmailOrder = "othernickname-desc"
)

// EmailQuery is a GetEmails listing of one folder of one mailbox.
type EmailQuery struct {
	OwnerID    int64
	FolderID   int64 // FolderInbox, FolderSent or a custom folder of the owner
	UnreadOnly bool
	Terms      []string // from EmailSearchTerms; every one must occur in the subject or the body
	Order      EmailOrder
	WithBody   bool
	Page       Page
}

// EmailSearchTerms splits a Search into the words a full-text index holds: runs of letters and
// digits, lower-cased, each once, in order. Both engines' indexes split text the same way (SQLite
// FTS5's unicode61 tokenizer, PostgreSQL's 'simple' configuration), without stemming, so a word
// matches the same messages on both. A Search with no word is invalid: it could only match
// everything or nothing.
func EmailSearchTerms(search string) ([]string, error) {
	if utf8.RuneCountInString(search) > MaxEmailSearchLen {
		return nil, InvalidField("Search", "Search must be at most %d characters long.", MaxEmailSearchLen)
	}
	words := strings.FieldsFunc(strings.ToLower(search), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var terms []string
	for _, w := range words {
		if !containsString(terms, w) {
			terms = append(terms, w)
		}
	}
	switch {
	case len(terms) == 0:
		return nil, InvalidField("Search", "Search must hold at least one word (letters or digits).")
	case len(terms) > MaxEmailSearchTerms:
		return nil, InvalidField("Search", "Search may hold at most %d words.", MaxEmailSearchTerms)
	}
	return terms, nil
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// CheckListFolder checks GetEmails' FolderID: a built-in folder, or a custom one (which the store
// then looks up). The deleted messages are no folder a member can list.
func CheckListFolder(folderID int64) error {
	if folderID < FolderSent {
		return InvalidField("FolderID", "FolderID must be 0 (Inbox), -1 (Sent items) or the ID of one of your custom folders.")
	}
	return nil
}

// NewEmail is a message to send (Email/Send).
type NewEmail struct {
	SenderID         int64
	RecipientUserID  int64
	ReplyToEmailID   int64 // the sender's copy of the message replied to; 0 for a new message
	Subject          string
	Body             string
	AllowFacePicture bool
	SentAt           time.Time
}

// Check applies the rules that need nothing stored: the Subject is required unless replying (the
// reply then takes the original's, after ReplyTo), and no line breaks; the Body is required; both
// within the limits, and free of control characters other than line breaks and tabs in the Body.
// Nobody writes to themselves.
func (m *NewEmail) Check() error {
	var v Validation
	if m.RecipientUserID == m.SenderID {
		v.Addf("RecipientUserID", "RecipientUserID is you: a message goes to another member.")
	}
	if m.ReplyToEmailID < 0 {
		v.Addf("ReplyToEmailID", "ReplyToEmailID must be the EmailID of a message in your mailbox.")
	}
	checkText(&v, "Subject", m.Subject, MaxEmailSubjectLen, m.ReplyToEmailID == 0)
	if strings.ContainsFunc(m.Subject, unicode.IsControl) {
		v.Addf("Subject", "Subject must be one line without control characters.")
	}
	checkText(&v, "Body", m.Body, MaxEmailBodyLen, true)
	if strings.ContainsFunc(m.Body, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
		v.Addf("Body", "Body must not hold control characters other than line breaks and tabs.")
	}
	return v.Err()
}

// CanWrite applies the recipient's side: an inactive recipient is unknown (404, as an unknown one),
// and one who blacklisted the sender does not receive their messages (409 blacklisted).
func CanWrite(recipient *Member, blacklistedSender bool) error {
	if !recipient.IsActive {
		return NotFound("The recipient")
	}
	if blacklistedSender {
		return Conflict("blacklisted", "The recipient does not accept messages from you.")
	}
	return nil
}

// ReplyTo makes m a reply to orig, a message of the sender's mailbox (either one they received or
// one they sent): a deleted message cannot be replied to (404, as it is gone from every list), the
// reply goes to the other party of orig, the thread follows, and a reply sent without a Subject
// takes orig's, prefixed "Re: " once.
func (m *NewEmail) ReplyTo(orig *Email) error {
	if orig.OwnerID != m.SenderID || orig.Deleted() {
		return NotFound("The message ReplyToEmailID names")
	}
	if orig.OtherUserID != m.RecipientUserID {
		return InvalidField("RecipientUserID", "RecipientUserID must be %d, the other party of the message you reply to.", orig.OtherUserID)
	}
	if strings.TrimSpace(m.Subject) == "" {
		m.Subject = ReplySubject(orig.Subject)
	}
	return nil
}

// Admit applies every rule that needs what is stored: the recipient's side (CanWrite) and, for a
// reply, the message replied to (ReplyTo; nil for a new message).
func (m *NewEmail) Admit(recipient *Member, blacklistedSender bool, replyTo *Email) error {
	if err := CanWrite(recipient, blacklistedSender); err != nil {
		return err
	}
	if m.ReplyToEmailID != 0 {
		if replyTo == nil {
			return NotFound("The message ReplyToEmailID names")
		}
		return m.ReplyTo(replyTo)
	}
	return nil
}

// ReplySubject is the subject of a reply to a message with subject s: "Re: s", never "Re: Re: s".
func ReplySubject(s string) string {
	if strings.HasPrefix(strings.ToLower(s), strings.ToLower(replyPrefix)) {
		return s
	}
	out := replyPrefix + s
	if utf8.RuneCountInString(out) > MaxEmailSubjectLen {
		out = string([]rune(out)[:MaxEmailSubjectLen])
	}
	return out
}

// Copies are the two copies of a sent message: the sender's in Sent items (read), the recipient's
// in their Inbox (unread). The store fills in the IDs and the thread.
func (m *NewEmail) Copies(senderNickname, recipientNickname string) (sent, received Email) {
	base := Email{Subject: m.Subject, Body: m.Body, SentAt: StoredTime(m.SentAt), AllowFacePicture: m.AllowFacePicture}
	sent, received = base, base
	sent.OwnerID, sent.OtherUserID, sent.OtherNickname, sent.FolderID, sent.Outgoing, sent.Read =
		m.SenderID, m.RecipientUserID, recipientNickname, FolderSent, true, true
	received.OwnerID, received.OtherUserID, received.OtherNickname, received.FolderID =
		m.RecipientUserID, m.SenderID, senderNickname, FolderInbox
	return sent, received
}

// EmailAction is Email/Manage: exactly one of Spam, Delete or a move (Spam also deletes, so Spam
// with Delete is Spam).
type EmailAction struct {
	Spam         bool
	Delete       bool
	MoveFolderID *int64
}

// Check names the fields of an action that is empty or contradicts itself.
func (a *EmailAction) Check() error {
	var v Validation
	switch {
	case !a.Spam && !a.Delete && a.MoveFolderID == nil:
		v.Addf("Spam", "Say what to do: Spam, Delete or MoveFolderID.")
	case a.MoveFolderID != nil && (a.Spam || a.Delete):
		v.Addf("MoveFolderID", "MoveFolderID cannot be combined with Spam or Delete: a deleted message is in no folder.")
	case a.MoveFolderID != nil && *a.MoveFolderID < FolderSent:
		v.Addf("MoveFolderID", "MoveFolderID must be 0 (Inbox), -1 (Sent items) or the ID of one of your custom folders.")
	}
	return v.Err()
}

// Apply decides what the action does to e, one of the owner's messages (deleted ones included, so
// Delete and Spam may be repeated): the folder e goes to, and whether its sender is reported as a
// spammer (then all of the sender's messages leave the mailbox). custom reports whether a folder ID
// is one of the owner's custom folders.
func (a *EmailAction) Apply(e *Email, custom func(folderID int64) bool) (to int64, spam bool, err error) {
	switch {
	case a.Spam:
		if e.Outgoing {
			return 0, false, Conflict("not_received", "Only a message you received can be reported as spam.")
		}
		return FolderDeleted, true, nil
	case a.Delete:
		return FolderDeleted, false, nil
	}
	to = *a.MoveFolderID
	switch {
	case e.Deleted():
		return 0, false, NotFound("The message")
	case to == FolderInbox && e.Outgoing:
		return 0, false, InvalidField("MoveFolderID", "A message you sent cannot go to the Inbox; -1 is its built-in folder.")
	case to == FolderSent && !e.Outgoing:
		return 0, false, InvalidField("MoveFolderID", "A message you received cannot go to Sent items; 0 is its built-in folder.")
	case to > 0 && !custom(to):
		return 0, false, NotFound("The folder MoveFolderID names")
	}
	return to, false, nil
}

// FolderChanges is Email/CustomFolders: any combination, applied in this order in one transaction
// (create, move the contents of one folder into another, clear, delete), all or nothing.
type FolderChanges struct {
	NewFolderName  *string
	FromFolderID   *int64
	ToFolderID     *int64 // a built-in folder here means each message's own (HomeFolder)
	ClearFolderID  *int64 // its messages are deleted; the folder stays
	DeleteFolderID *int64 // a custom folder; its messages go back to their built-in folders
}

// Check applies every rule of the changes to the member's existing custom folders, naming each
// offending field: a name is required, at most MaxEmailFolderNameLen characters, one line, unique
// among the member's folders case-insensitively and none of the built-in folders' names; at most
// MaxEmailFolders folders; From and To come together, differ, and are not both built-in; the folders
// named exist (404 otherwise); only a custom folder is deleted.
func (ch *FolderChanges) Check(existing []EmailFolder) error {
	var v Validation
	custom := func(id int64) bool {
		for _, f := range existing {
			if f.FolderID == id {
				return true
			}
		}
		return false
	}
	if ch.NewFolderName == nil && ch.FromFolderID == nil && ch.ToFolderID == nil && ch.ClearFolderID == nil && ch.DeleteFolderID == nil {
		v.Addf("NewFolderName", "Say what to do: NewFolderName, DeleteFolderID, ClearFolderID, or FromFolderID with ToFolderID.")
		return v.Err()
	}
	if ch.NewFolderName != nil {
		name := strings.TrimSpace(*ch.NewFolderName)
		*ch.NewFolderName = name
		checkText(&v, "NewFolderName", name, MaxEmailFolderNameLen, true)
		switch {
		case v.Has("NewFolderName"):
		case strings.ContainsFunc(name, unicode.IsControl):
			v.Addf("NewFolderName", "NewFolderName must be one line without control characters.")
		case reservedFolderName(name):
			v.Addf("NewFolderName", "NewFolderName %q is the name of a built-in folder.", name)
		case len(existing) >= MaxEmailFolders:
			return Conflict("folder_limit_reached", "You have %d custom folders, the most a member may have.", MaxEmailFolders)
		default:
			for _, f := range existing {
				if strings.EqualFold(f.FolderName, name) {
					return Conflict("folder_name_taken", "You already have a folder named %q.", f.FolderName)
				}
			}
		}
	}
	if (ch.FromFolderID == nil) != (ch.ToFolderID == nil) {
		field := "ToFolderID"
		if ch.FromFolderID == nil {
			field = "FromFolderID"
		}
		v.Addf(field, "FromFolderID and ToFolderID go together: the contents of one folder move into the other.")
	} else if ch.FromFolderID != nil {
		from, to := *ch.FromFolderID, *ch.ToFolderID
		switch {
		case from == to:
			v.Addf("ToFolderID", "ToFolderID must differ from FromFolderID.")
		case from <= 0 && to <= 0:
			v.Addf("ToFolderID", "Moving between the built-in folders is not possible: each message has its own.")
		}
		checkFolderRef(&v, "FromFolderID", from)
		checkFolderRef(&v, "ToFolderID", to)
	}
	if ch.ClearFolderID != nil {
		checkFolderRef(&v, "ClearFolderID", *ch.ClearFolderID)
	}
	if ch.DeleteFolderID != nil && *ch.DeleteFolderID <= 0 {
		v.Addf("DeleteFolderID", "DeleteFolderID must be one of your custom folders: the built-in folders cannot be deleted.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, ref := range []struct {
		field string
		id    *int64
	}{{"FromFolderID", ch.FromFolderID}, {"ToFolderID", ch.ToFolderID}, {"ClearFolderID", ch.ClearFolderID}, {"DeleteFolderID", ch.DeleteFolderID}} {
		if ref.id != nil && *ref.id > 0 && !custom(*ref.id) {
			return NotFound("The folder " + ref.field + " names")
		}
	}
	return nil
}

func checkFolderRef(v *Validation, field string, id int64) {
	if id < FolderSent {
		v.Addf(field, "%s must be 0 (Inbox), -1 (Sent items) or the ID of one of your custom folders.", field)
	}
}

func reservedFolderName(name string) bool {
	n := strings.ToLower(name)
	for _, r := range []string{"inbox", "sent", "sent items", "deleted", "deleted items", "spam"} {
		if n == r {
			return true
		}
	}
	return false
}

// EmailStore keeps the mailboxes. Another member's message or folder is KindNotFound, never a
// conflict; every change and the counters it moves are one transaction, so the unread count (kept per
// member and folder, never counted from the mailbox) is exact after any interleaving.
type EmailStore interface {
	// Emails pages one folder of a mailbox, with the number of its messages that match.
	Emails(ctx context.Context, q EmailQuery) ([]Email, int, error)
	// EmailFolders lists a member's custom folders by name.
	EmailFolders(ctx context.Context, ownerID int64) ([]EmailFolder, error)
	// ReadEmail reads one message of the owner's mailbox (not a deleted one) and marks it read.
	ReadEmail(ctx context.Context, ownerID, emailID int64) (Email, error)
	// SendEmail stores both copies of a message once Admit approved it, reading the recipient, the
	// blacklist and the message replied to in the same transaction; it answers the sender's copy.
	SendEmail(ctx context.Context, m NewEmail) (Email, error)
	// ManageEmail applies an action to one message of the owner's mailbox (deleted ones included) and
	// answers the message as it is afterwards. Spam records the report and deletes every message the
	// sender sent the owner.
	ManageEmail(ctx context.Context, ownerID, emailID int64, a EmailAction, now time.Time) (Email, error)
	// UnreadEmails is the number of unread messages in the member's mailbox, from its counters.
	UnreadEmails(ctx context.Context, ownerID int64) (int, error)
	// ChangeEmailFolders applies the changes after Check approved them against the member's folders
	// (read in the same transaction), and answers the folders afterwards with the ID of the folder
	// it created (0 when none).
	ChangeEmailFolders(ctx context.Context, ownerID int64, ch FolderChanges, now time.Time) ([]EmailFolder, int64, error)
	// SpamReports lists the members ownerID reported as spammers.
	SpamReports(ctx context.Context, ownerID int64) ([]int64, error)

	// Bulk loading for the seeder: messages in pairs of copies, with their IDs, and folders.
	InsertEmailFolders(ctx context.Context, fs []EmailFolder) error
	InsertEmails(ctx context.Context, es []Email) error
}
