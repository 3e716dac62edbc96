package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// Member-owned data conformance tests: hotlists, the blacklist, account settings and registration.

// memberDataSetup creates members 1 "Owner", 2 "Second", 3 "Third" and 4 "Fourth".
func memberDataSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	must(t, st.InsertMembers(ctx, []awapi.Member{NewMember(1, "Owner"), NewMember(2, "Second"), NewMember(3, "Third"), NewMember(4, "Fourth")}))
}

func doneIDs(rs []awapi.ItemResult) (done, not []int64) {
	for _, r := range rs {
		if r.Done {
			done = append(done, r.UserID)
		} else {
			not = append(not, r.UserID)
		}
	}
	return done, not
}

func entryIDs(es []awapi.HotListEntry) []int64 {
	out := []int64{}
	for _, e := range es {
		out = append(out, e.UserID)
	}
	return out
}

func testHotLists(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	fav, err := st.CreateHotList(ctx, 1, "Favourites", t0)
	must(t, err)
	if fav.ListID == 0 || fav.UserID != 1 || fav.OwnerNickname != "Owner" || fav.ListName != "Favourites" || fav.MemberCount != 0 || !fav.CreatedAt.Equal(t0) {
		t.Fatalf("CreateHotList = %+v", fav)
	}
	// Names are unique per owner, case-insensitively; another owner may reuse one.
	_, err = st.CreateHotList(ctx, 1, "FAVOURITES", t0)
	wantCode(t, err, awapi.KindConflict, "hotlist_name_taken")
	theirs, err := st.CreateHotList(ctx, 2, "favourites", t0)
	must(t, err)
	later, err := st.CreateHotList(ctx, 1, "later", t0)
	must(t, err)

	// Adding: the owner and unknown members refuse the whole batch, naming the field, writing nothing.
	_, err = st.AddHotListMembers(ctx, 1, fav.ListID, []int64{2, 1}, t0)
	wantKind(t, err, awapi.KindInvalid)
	_, err = st.AddHotListMembers(ctx, 1, fav.ListID, []int64{2, 99}, t0)
	if e, ok := err.(*awapi.Error); !ok || e.Kind != awapi.KindInvalid || !strings.Contains(strings.Join(e.Fields["UserIDs"], ""), "99") {
		t.Fatalf("unknown member: %v", err)
	}
	if _, es, err := st.HotList(ctx, 1, fav.ListID); err != nil || len(es) != 0 {
		t.Fatalf("after refused batches: %v %v", es, err)
	}
	rs, err := st.AddHotListMembers(ctx, 1, fav.ListID, []int64{3, 2}, t0.Add(time.Minute))
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{3, 2}) || not != nil {
		t.Fatalf("add = %+v", rs)
	}
	rs, err = st.AddHotListMembers(ctx, 1, fav.ListID, []int64{2, 4}, t0.Add(2*time.Minute))
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{4}) || !slices.Equal(not, []int64{2}) || rs[0].Message == "" {
		t.Fatalf("add again = %+v", rs)
	}
	// Another member's list does not exist for this member, whatever the operation.
	_, _, err = st.HotList(ctx, 1, theirs.ListID)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.AddHotListMembers(ctx, 1, theirs.ListID, []int64{3}, t0)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.RenameHotList(ctx, 1, theirs.ListID, "mine", t0)
	wantKind(t, err, awapi.KindNotFound)
	wantKind(t, st.DeleteHotList(ctx, 1, theirs.ListID), awapi.KindNotFound)
	_, err = st.SetHotListNotes(ctx, 1, theirs.ListID, 3, "x", t0)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.RemoveHotListMembers(ctx, 1, theirs.ListID, []int64{3}, t0)
	wantKind(t, err, awapi.KindNotFound)

	// Notes; an entry not on the list is not found.
	e, err := st.SetHotListNotes(ctx, 1, fav.ListID, 2, "Great chat", t0.Add(3*time.Minute))
	must(t, err)
	if e.UserID != 2 || e.Nickname != "Second" || e.Notes != "Great chat" || !e.LastUpdated.Equal(t0.Add(3*time.Minute)) || !e.AddedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("SetHotListNotes = %+v", e)
	}
	_, err = st.SetHotListNotes(ctx, 1, later.ListID, 2, "x", t0)
	wantKind(t, err, awapi.KindNotFound)

	// Entries come in the order they were added, by UserID among those added together.
	h, es, err := st.HotList(ctx, 1, fav.ListID)
	must(t, err)
	if h.MemberCount != 3 || !slices.Equal(entryIDs(es), []int64{2, 3, 4}) || es[0].Notes != "Great chat" || es[1].Notes != "" {
		t.Fatalf("HotList = %+v %+v", h, es)
	}
	for _, e := range es {
		if e.InteractionCount != 0 || !e.LastInteraction.IsZero() {
			t.Fatalf("interaction without bookings: %+v", e)
		}
	}

	// Renaming: to a name taken by another of the owner's lists is refused; a change of case is not.
	_, err = st.RenameHotList(ctx, 1, later.ListID, "favourites", t0)
	wantCode(t, err, awapi.KindConflict, "hotlist_name_taken")
	r, err := st.RenameHotList(ctx, 1, later.ListID, "Later On", t0.Add(time.Hour))
	must(t, err)
	if r.ListName != "Later On" || !r.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("RenameHotList = %+v", r)
	}
	if _, err := st.RenameHotList(ctx, 1, later.ListID, "LATER ON", t0); err != nil {
		t.Fatalf("rename to a case variant of its own name: %v", err)
	}
	lists, err := st.HotLists(ctx, 1)
	must(t, err)
	if len(lists) != 2 || lists[0].ListName != "Favourites" || lists[0].MemberCount != 3 || lists[1].ListName != "LATER ON" || lists[1].MemberCount != 0 {
		t.Fatalf("HotLists = %+v", lists)
	}

	// Removing answers per item.
	rs, err = st.RemoveHotListMembers(ctx, 1, fav.ListID, []int64{3, 99}, t0)
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{3}) || !slices.Equal(not, []int64{99}) {
		t.Fatalf("remove = %+v", rs)
	}
	must(t, st.DeleteHotList(ctx, 1, fav.ListID))
	_, _, err = st.HotList(ctx, 1, fav.ListID)
	wantKind(t, err, awapi.KindNotFound)
	if lists, _ := st.HotLists(ctx, 1); len(lists) != 1 {
		t.Fatalf("after delete: %+v", lists)
	}
	// The name of a deleted list is free again.
	_, err = st.CreateHotList(ctx, 1, "favourites", t0)
	must(t, err)
}

func testHotListLimits(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	for i := range awapi.MaxHotListsPerUser {
		_, err := st.CreateHotList(ctx, 1, fmt.Sprintf("List %d", i), t0)
		must(t, err)
	}
	_, err := st.CreateHotList(ctx, 1, "One too many", t0)
	wantCode(t, err, awapi.KindConflict, "hotlist_limit_reached")
	_, err = st.CreateHotList(ctx, 9, "Nobody", t0)
	wantKind(t, err, awapi.KindNotFound)

	// A full list answers the items beyond its room per item and adds the rest.
	ms := make([]awapi.Member, 0, awapi.MaxHotListMembers)
	ids := make([]int64, 0, awapi.MaxHotListMembers)
	for i := range awapi.MaxHotListMembers - 1 {
		id := int64(100 + i)
		ms, ids = append(ms, NewMember(id, fmt.Sprintf("m%d", id))), append(ids, id)
	}
	must(t, st.InsertMembers(ctx, ms))
	h, err := st.CreateHotList(ctx, 2, "Big", t0)
	must(t, err)
	rs, err := st.AddHotListMembers(ctx, 2, h.ListID, ids, t0)
	must(t, err)
	if done, _ := doneIDs(rs); len(done) != len(ids) {
		t.Fatalf("filled %d of %d", len(done), len(ids))
	}
	rs, err = st.AddHotListMembers(ctx, 2, h.ListID, []int64{3, 4}, t0)
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{3}) || !slices.Equal(not, []int64{4}) || !strings.Contains(rs[1].Message, "full") {
		t.Fatalf("beyond the limit: %+v", rs)
	}
}

func testHotListInteractions(t *testing.T, st awapi.Store) {
	webcamSetup(t, st) // clients 1, 2; performers 10, 11
	h, err := st.CreateHotList(ctx, 1, "Cams", t0)
	must(t, err)
	_, err = st.AddHotListMembers(ctx, 1, h.ListID, []int64{10, 11, 2}, t0)
	must(t, err)
	createWebcam(t, st, newWebcamBooking(1, t0.Add(time.Hour), 10, 11))
	createWebcam(t, st, newWebcamBooking(1, t0.Add(2*time.Hour), 10))
	createWebcam(t, st, newWebcamBooking(2, t0.Add(5*time.Hour), 10)) // not between 1 and 10
	// The reverse direction counts too: the owner (as a performer) invited by a member on the list.
	h2, err := st.CreateHotList(ctx, 10, "Clients", t0)
	must(t, err)
	_, err = st.AddHotListMembers(ctx, 10, h2.ListID, []int64{1, 2}, t0)
	must(t, err)

	_, es, err := st.HotList(ctx, 1, h.ListID)
	must(t, err)
	got := map[int64]awapi.HotListEntry{}
	for _, e := range es {
		got[e.UserID] = e
	}
	if got[10].InteractionCount != 2 || !got[10].LastInteraction.Equal(t0.Add(2*time.Hour)) ||
		got[11].InteractionCount != 1 || !got[11].LastInteraction.Equal(t0.Add(time.Hour)) ||
		got[2].InteractionCount != 0 || !got[2].LastInteraction.IsZero() {
		t.Fatalf("interactions: %+v", es)
	}
	_, es, err = st.HotList(ctx, 10, h2.ListID)
	must(t, err)
	if es[0].UserID != 1 || es[0].InteractionCount != 2 || es[1].UserID != 2 || es[1].InteractionCount != 1 ||
		!es[1].LastInteraction.Equal(t0.Add(5*time.Hour)) {
		t.Fatalf("reverse interactions: %+v", es)
	}
}

// testHotListAddRace: many requests add the same member to one list at once; exactly one adds it.
func testHotListAddRace(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	h, err := st.CreateHotList(ctx, 1, "Race", t0)
	must(t, err)
	const n = 16
	results := make([][]awapi.ItemResult, n)
	errs := webcamRace(n, func(i int) error {
		var err error
		results[i], err = st.AddHotListMembers(ctx, 1, h.ListID, []int64{2}, t0)
		return err
	})
	added := 0
	for i, err := range errs {
		must(t, err)
		if results[i][0].Done {
			added++
		}
	}
	_, es, err := st.HotList(ctx, 1, h.ListID)
	must(t, err)
	if added != 1 || len(es) != 1 {
		t.Fatalf("%d requests added the member, list holds %d entries; want 1 and 1", added, len(es))
	}
}

// testHotListCreateRace: many requests create lists with the same name at once; exactly one wins.
func testHotListCreateRace(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	const n = 16
	errs := webcamRace(n, func(i int) error {
		_, err := st.CreateHotList(ctx, 1, []string{"Same", "SAME", "same"}[i%3], t0)
		return err
	})
	if w := wins(t, errs, "hotlist_name_taken"); w != 1 {
		t.Fatalf("%d creates won, want 1", w)
	}
	if lists, err := st.HotLists(ctx, 1); err != nil || len(lists) != 1 {
		t.Fatalf("lists after the race: %+v %v", lists, err)
	}
}

func testBlacklist(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	_, err := st.AddToBlacklist(ctx, 1, []int64{1}, t0)
	wantKind(t, err, awapi.KindInvalid)
	_, err = st.AddToBlacklist(ctx, 1, []int64{2, 42}, t0)
	wantKind(t, err, awapi.KindInvalid)
	rs, err := st.AddToBlacklist(ctx, 1, []int64{2, 3}, t0)
	must(t, err)
	if done, _ := doneIDs(rs); !slices.Equal(done, []int64{2, 3}) {
		t.Fatalf("add = %+v", rs)
	}
	rs, err = st.AddToBlacklist(ctx, 1, []int64{3, 4}, t0.Add(time.Minute))
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{4}) || !slices.Equal(not, []int64{3}) {
		t.Fatalf("add again = %+v", rs)
	}
	// Newest first, then by ID descending among those added together.
	ids, total, err := st.Blacklist(ctx, 1, awapi.Page{Number: 1, Size: 2})
	must(t, err)
	if total != 3 || !slices.Equal(ids, []int64{4, 3}) {
		t.Fatalf("page 1 = %v of %d", ids, total)
	}
	ids, _, err = st.Blacklist(ctx, 1, awapi.Page{Number: 2, Size: 2})
	must(t, err)
	if !slices.Equal(ids, []int64{2}) {
		t.Fatalf("page 2 = %v", ids)
	}
	among, err := st.BlacklistedAmong(ctx, 1, []int64{2, 4, 5, 1})
	must(t, err)
	if len(among) != 2 || !among[2] || !among[4] {
		t.Fatalf("BlacklistedAmong = %v", among)
	}
	if among, _ := st.BlacklistedAmong(ctx, 2, []int64{1, 3}); len(among) != 0 {
		t.Fatalf("someone else's blacklist leaked: %v", among)
	}
	rs, err = st.RemoveFromBlacklist(ctx, 1, []int64{2, 2000})
	must(t, err)
	if done, not := doneIDs(rs); !slices.Equal(done, []int64{2}) || !slices.Equal(not, []int64{2000}) {
		t.Fatalf("remove = %+v", rs)
	}
	if _, total, _ := st.Blacklist(ctx, 1, awapi.Page{Number: 1, Size: 50}); total != 2 {
		t.Fatalf("after remove: %d", total)
	}
}

func testUpdateServices(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	m, set, err := st.UpdateServices(ctx, 1, awapi.ServicesUpdate{Offering: true,
		Services: awapi.Services{IsWebcam: true, IsAlternative: true}, Alternatives: []int{3, 5}, OtherServices: []int{9}}, t0)
	must(t, err)
	// OtherServices is dropped: IsOtherServices is false.
	if m.UserTypeID != awapi.UserTypeOffering || !m.IsWebcam || m.IsEscort || !m.IsAlternative ||
		!slices.Equal(set.Alternatives, []int{3, 5}) || len(set.OtherServices) != 0 || !m.LastUpdated.Equal(t0) {
		t.Fatalf("UpdateServices = %+v %+v", m, set)
	}
	got, err := st.Member(ctx, 1)
	must(t, err)
	stored, err := st.AccountSettings(ctx, 1)
	must(t, err)
	if !got.IsWebcam || !slices.Equal(stored.Alternatives, []int{3, 5}) {
		t.Fatalf("stored = %+v %+v", got, stored)
	}
	// Not offering: a seeking account with no services.
	m, set, err = st.UpdateServices(ctx, 1, awapi.ServicesUpdate{Offering: false, Services: awapi.Services{IsEscort: true}}, t0)
	must(t, err)
	if m.UserTypeID != awapi.UserTypeSeeking || m.Services != (awapi.Services{}) || len(set.Alternatives) != 0 {
		t.Fatalf("seeking = %+v %+v", m, set)
	}
	_, _, err = st.UpdateServices(ctx, 99, awapi.ServicesUpdate{}, t0)
	wantKind(t, err, awapi.KindNotFound)
}

func testUpdateAccount(t *testing.T, st awapi.Store) {
	memberDataSetup(t, st)
	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	yes := true
	details := strings.Repeat("About me. ", 6)
	// North West (2) holds Cheshire (4).
	m, set, err := st.UpdateAccount(ctx, 1, awapi.AccountUpdate{Summary: str("Hi"), Details: &details, RegionID: num(2),
		CountyID: num(4), Town: str("Chester"), PostCode: str(" ch1 "), GenderID: num(2), OrientationID: num(3),
		TVTS: &yes, InCalls: &yes, Enjoys: []int{1, 2}, EnjoysWith: []int{1, 4}}, t0)
	must(t, err)
	if m.Summary != "Hi" || m.RegionID != 2 || m.CountyID != 4 || m.Town != "Chester" || m.PostCode != "CH1" || m.GenderID != 2 ||
		m.OrientationID != 3 || set.Details != details || !set.TVTS || !set.InCalls || set.OutCalls ||
		!slices.Equal(set.Enjoys, []int{1, 2}) || !slices.Equal(set.EnjoysWith, []int{1, 4}) {
		t.Fatalf("UpdateAccount = %+v %+v", m, set)
	}
	// A partial update changes only what it names.
	m, set, err = st.UpdateAccount(ctx, 1, awapi.AccountUpdate{Town: str("Crewe")}, t0.Add(time.Hour))
	must(t, err)
	if m.Town != "Crewe" || m.Summary != "Hi" || m.CountyID != 4 || m.PostCode != "CH1" || set.Details != details ||
		!slices.Equal(set.Enjoys, []int{1, 2}) || !set.TVTS || !m.LastUpdated.Equal(t0.Add(time.Hour)) {
		t.Fatalf("partial = %+v %+v", m, set)
	}
	// The public profile shows what the account update wrote.
	ps, err := st.Profiles(ctx, []int64{1}, t0)
	must(t, err)
	if len(ps) != 1 || ps[0].Details != details || !ps[0].TVTS || !ps[0].DoesInCalls || ps[0].DoesOutCalls || ps[0].Town != "Crewe" {
		t.Fatalf("profile after update = %+v", ps)
	}
	// A county outside the member's region, bad IDs, short details and a full postcode are refused,
	// every field named, and nothing changes.
	_, _, err = st.UpdateAccount(ctx, 1, awapi.AccountUpdate{CountyID: num(1), GenderID: num(99), Details: str("short"),
		PostCode: str("CH1 2AB"), Summary: str("changed")}, t0)
	e, ok := err.(*awapi.Error)
	if !ok || e.Kind != awapi.KindInvalid || len(e.Fields["CountyID"]) == 0 || len(e.Fields["GenderID"]) == 0 ||
		len(e.Fields["Details"]) == 0 || len(e.Fields["PostCode"]) == 0 {
		t.Fatalf("invalid update: %v", err)
	}
	if got, _ := st.Member(ctx, 1); got.Summary != "Hi" {
		t.Fatalf("a refused update wrote: %+v", got)
	}
	// A new region drops a county it does not hold.
	m, _, err = st.UpdateAccount(ctx, 1, awapi.AccountUpdate{RegionID: num(1)}, t0)
	must(t, err)
	if m.RegionID != 1 || m.CountyID != 0 {
		t.Fatalf("region change = %+v", m)
	}
}

func testRegisterMember(t *testing.T, st awapi.Store) {
	_, err := st.CreateGroup(ctx, awapi.Group{GroupID: 1, GroupName: "Agency"})
	must(t, err)
	manager := NewMember(1, "Boss")
	manager.GroupID, manager.IsGroupManager = 1, true
	must(t, st.InsertMembers(ctx, []awapi.Member{manager, NewMember(2, "Taken")}))
	newMember := func(nick, email string) awapi.Member {
		m := NewMember(0, nick)
		m.Email, m.GroupID, m.PasswordHash = email, 1, "hash"
		return m
	}
	m, err := st.RegisterMember(ctx, newMember("Newbie", "newbie@example.test"), awapi.AccountSettings{GroupCanLogin: true}, 0)
	must(t, err)
	if m.UserID != 3 {
		t.Fatalf("UserID = %d, want 3", m.UserID)
	}
	got, err := st.Member(ctx, 3)
	must(t, err)
	set, err := st.AccountSettings(ctx, 3)
	must(t, err)
	if got.Nickname != "Newbie" || got.GroupID != 1 || got.PasswordHash != "hash" || !set.GroupCanLogin {
		t.Fatalf("registered = %+v %+v", got, set)
	}
	_, err = st.RegisterMember(ctx, newMember("TAKEN", "x@example.test"), awapi.AccountSettings{}, 0)
	wantCode(t, err, awapi.KindConflict, "nickname_taken")
	_, err = st.RegisterMember(ctx, newMember("Other", "NEWBIE@example.test"), awapi.AccountSettings{}, 0)
	wantCode(t, err, awapi.KindConflict, "email_taken")
	// The manager's own address may be shared when the store is told so, and only then.
	_, err = st.RegisterMember(ctx, newMember("Other", "boss@example.test"), awapi.AccountSettings{}, 0)
	wantCode(t, err, awapi.KindConflict, "email_taken")
	m, err = st.RegisterMember(ctx, newMember("Other", "Boss@example.test"), awapi.AccountSettings{}, 1)
	must(t, err)
	if m.UserID != 4 {
		t.Fatalf("second UserID = %d", m.UserID)
	}
	// Concurrent registrations get distinct IDs.
	errs := webcamRace(8, func(i int) error {
		_, err := st.RegisterMember(ctx, newMember(fmt.Sprintf("Racer%d", i), fmt.Sprintf("r%d@example.test", i)), awapi.AccountSettings{}, 0)
		return err
	})
	if w := wins(t, errs); w != 8 {
		t.Fatalf("%d of 8 registrations succeeded", w)
	}
}
