package awapi

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/refdata"
)

// Member-owned data (api-v1.md §2.1, §2.4, §2.10): hotlists, the blacklist and the account settings a
// member edits through Account/Update and Account/UpdateServices. The rules live here; httpapi binds
// the wire and sqlstore persists.

// Limits the documentation leaves open; the project's choices (README, "Member-owned data").
const (
	MaxHotListNameLen  = 50   // documented nowhere; the ListName of the sample is short
	MaxHotListsPerUser = 50   // lists one member may own
	MaxHotListMembers  = 500  // members on one list; GetHotList answers a whole list, unpaged
	MaxHotListNotesLen = 1000 // characters of Notes on one entry
	MaxBlacklist       = 1000 // members one member may blacklist; the dashboard lists them all
)

// HotList is a member's named favourites list.
type HotList struct {
	ListID        int64
	UserID        int64 // the owner
	OwnerNickname string
	ListName      string
	MemberCount   int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// HotListEntry is one member on a hotlist. InteractionCount and LastInteraction are derived from the
// webcam bookings between the owner and the member, in either direction (one booking invitation, as
// client or as performer, counts once); LastInteraction is the zero time when there is none.
type HotListEntry struct {
	UserID           int64
	Nickname         string
	Notes            string
	AddedAt          time.Time
	LastUpdated      time.Time // when the entry was added or its notes last changed
	InteractionCount int
	LastInteraction  time.Time
}

// ItemResult is the per-item outcome of a batch change (adding or removing members): Done says
// whether this call changed anything for the item, Message why not.
type ItemResult struct {
	UserID  int64
	Done    bool
	Message string
}

// MemberDataStore persists hotlists, the blacklist and account settings. A hotlist another member
// owns is KindNotFound, never a conflict. Failed prerequisites are KindConflict with these codes:
// hotlist_name_taken, hotlist_limit_reached, hotlist_full, blacklist_full, nickname_taken, email_taken.
// Unknown members named in a batch are KindInvalid naming the field, and nothing is written.
type MemberDataStore interface {
	HotListStore
	BlacklistStore
	BlacklistLookup
	AccountStore
}

// HotListStore keeps a member's hotlists (the HotLists area).
type HotListStore interface {
	// HotLists lists a member's hotlists with their member counts, by name.
	HotLists(ctx context.Context, userID int64) ([]HotList, error)
	// HotList reads one of the member's hotlists with its entries in the order they were added.
	HotList(ctx context.Context, userID, listID int64) (HotList, []HotListEntry, error)
	// CreateHotList creates a list; names are unique per owner case-insensitively.
	CreateHotList(ctx context.Context, userID int64, name string, now time.Time) (HotList, error)
	RenameHotList(ctx context.Context, userID, listID int64, name string, now time.Time) (HotList, error)
	// DeleteHotList deletes a list with its entries.
	DeleteHotList(ctx context.Context, userID, listID int64) error
	// AddHotListMembers adds members, answering per item: a member already on the list is not added
	// again (Done false). The owner and unknown members are KindInvalid on field "UserIDs".
	AddHotListMembers(ctx context.Context, userID, listID int64, memberIDs []int64, now time.Time) ([]ItemResult, error)
	// SetHotListNotes replaces the notes of one entry; a member not on the list is KindNotFound.
	SetHotListNotes(ctx context.Context, userID, listID, memberID int64, notes string, now time.Time) (HotListEntry, error)
	// RemoveHotListMembers removes members, answering per item (Done false: was not on the list).
	RemoveHotListMembers(ctx context.Context, userID, listID int64, memberIDs []int64, now time.Time) ([]ItemResult, error)
}

// BlacklistStore keeps a member's blacklist (the Blacklist area).
type BlacklistStore interface {
	// Blacklist pages the IDs a member blacklisted, most recently added first, with the total.
	Blacklist(ctx context.Context, userID int64, page Page) ([]int64, int, error)
	// AddToBlacklist adds members, answering per item like AddHotListMembers.
	AddToBlacklist(ctx context.Context, userID int64, memberIDs []int64, now time.Time) ([]ItemResult, error)
	RemoveFromBlacklist(ctx context.Context, userID int64, memberIDs []int64) ([]ItemResult, error)
}

// BlacklistLookup tells which members a member blacklisted.
type BlacklistLookup interface {
	// BlacklistedAmong returns which of candidates userID has blacklisted: the one call other areas
	// (search, profiles) use to leave blacklisted members out or flag them.
	BlacklistedAmong(ctx context.Context, userID int64, candidates []int64) (map[int64]bool, error)
}

// AccountStore keeps what a member edits about their account, and a group manager's registrations
// (the Account area).
type AccountStore interface {
	// AccountSettings reads the settings kept beside the member row (none stored: the zero settings).
	AccountSettings(ctx context.Context, userID int64) (AccountSettings, error)
	// UpdateServices applies Account/UpdateServices in one transaction.
	UpdateServices(ctx context.Context, userID int64, u ServicesUpdate, now time.Time) (Member, AccountSettings, error)
	// UpdateAccount applies the supplied fields of Account/Update in one transaction; the others keep
	// their values.
	UpdateAccount(ctx context.Context, userID int64, u AccountUpdate, now time.Time) (Member, AccountSettings, error)
	// RegisterMember creates a member in a group (Groups/Account/Register). The nickname must be free
	// (nickname_taken) and the email address unused (email_taken), except that sharedEmailOwner's own
	// address may be reused when it is not 0. The check and the insert are one serialised transaction.
	RegisterMember(ctx context.Context, m Member, settings AccountSettings, sharedEmailOwner int64) (Member, error)
}

// AccountSettings are the About-You and service details that have no column on members.
type AccountSettings struct {
	Details       string
	TVTS          bool
	Enjoys        []int // EnjoyIDs
	EnjoysWith    []int // GenderIDs
	InCalls       bool
	OutCalls      bool
	Alternatives  []int // alternative-service IDs (the UpdateAlternatives structure was not captured)
	OtherServices []int // other-service IDs
	GroupCanLogin bool  // Groups/Account/Register: the group manager may sign in as the member
}

// ServicesUpdate is Account/UpdateServices. Offering=false turns the account into a seeking one and
// clears every service.
type ServicesUpdate struct {
	Offering bool
	Services
	Alternatives  []int
	OtherServices []int
}

// Normalize clears what a seeking account cannot keep, so the stored state is consistent.
func (u *ServicesUpdate) Normalize() {
	if !u.Offering {
		*u = ServicesUpdate{}
		return
	}
	if !u.IsAlternative {
		u.Alternatives = nil
	}
	if !u.IsOtherServices {
		u.OtherServices = nil
	}
}

// AnyServiceBesidesOther reports whether a service flag other than IsOtherServices is set: the
// documentation allows IsOtherServices only when every other flag is false.
func (s Services) AnyServiceBesidesOther() bool {
	return s.IsEscort || s.IsWebcam || s.IsPhoneChat || s.IsSMSChat || s.IsContent || s.IsAlternative
}

// AccountUpdate is Account/Update: nil fields are left unchanged.
type AccountUpdate struct {
	Summary, Details, Town, PostCode *string
	RegionID, CountyID               *int
	GenderID, OrientationID          *int
	TVTS, InCalls, OutCalls          *bool
	Enjoys, EnjoysWith               []int // nil: unchanged
}

// Resolve checks the update against refdata and the member's current location, collecting every
// field error in v, and returns the region and county the member ends up with. A new RegionID whose
// region does not hold the stored county clears the county (0); a CountyID must lie in the region the
// member ends up in; a region must lie in the member's country.
func (u *AccountUpdate) Resolve(current Member, v *Validation) (regionID, countyID int) {
	regionID, countyID = current.RegionID, current.CountyID
	if u.RegionID != nil && CheckRegion(v, *u.RegionID, current.CountryID) {
		regionID = *u.RegionID
		if c, ok := refdata.CountyByID(countyID); !ok || c.RegionID != regionID {
			countyID = 0
		}
	}
	if u.CountyID != nil {
		if v.Has("RegionID") {
			CheckCounty(v, *u.CountyID, 0) // the region sent is wrong: say only whether the county exists
		} else if CheckCounty(v, *u.CountyID, regionID) {
			countyID = *u.CountyID
		}
	}
	if u.Details != nil && utf8.RuneCountInString(strings.TrimSpace(*u.Details)) < MinDetailsLen {
		v.Addf("Details", "Details must be at least %d characters long.", MinDetailsLen)
	}
	if u.PostCode != nil {
		pc := NormalizeOutward(*u.PostCode)
		if !IsOutwardCode(pc) {
			v.Addf("PostCode", "PostCode must be the outward part of a UK postcode only, e.g. M60 for \"M60 1FD\".")
		}
		u.PostCode = &pc
	}
	if u.GenderID != nil {
		CheckGenders(v, "GenderID", *u.GenderID)
	}
	if u.OrientationID != nil {
		CheckOrientations(v, "OrientationID", *u.OrientationID)
	}
	for _, id := range u.Enjoys {
		if _, ok := refdata.Enjoy(id); !ok {
			v.Addf("EnjoysList", "EnjoysList holds %d, which is not an Enjoy ID (see Lists/GetEnjoys).", id)
		}
	}
	for _, id := range u.EnjoysWith {
		if _, ok := refdata.Gender(id); !ok {
			v.Addf("EnjoysWithList", "EnjoysWithList holds %d, which is not a GenderID (see Lists/GetGenders).", id)
		}
	}
	return regionID, countyID
}

// MinDetailsLen is the documented minimum length of the About-You details.
const MinDetailsLen = 50

// NormalizeOutward upper-cases a postcode and trims its spaces.
func NormalizeOutward(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// IsOutwardCode reports whether s (normalised) is the outward part of a UK postcode alone, by the
// Royal Mail patterns geo.Outward checks. The district need not be in geo's table: the documented
// example "MA60" is not a real district, and new districts appear.
func IsOutwardCode(s string) bool {
	code, ok := geo.Outward(s)
	return ok && code == s
}

// IsAdult reports whether a member born on birth (a date) is 18 or older on today's date in loc.
func IsAdult(birth, now time.Time, loc *time.Location) bool {
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return !birth.AddDate(AdultAge, 0, 0).After(today)
}

// AdultAge is the minimum age of a member.
const AdultAge = 18
