package storetest

import (
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// DirectChat conformance tests (awapi/directchat.go): settings and IsDirectChat, PINs, and calls
// charged through the ledger.

// directChatSetup creates performers 20 and 21, and clients 1 and 2.
func directChatSetup(t *testing.T, st awapi.Store) {
	t.Helper()
	c1, c2 := NewMember(1, "Caller1"), NewMember(2, "Caller2")
	c1.UserTypeID, c2.UserTypeID = awapi.UserTypeSeeking, awapi.UserTypeSeeking
	p20, p21 := NewMember(20, "Line20"), NewMember(21, "Line21")
	p20.IsPhoneChat, p21.IsPhoneChat = true, true
	must(t, st.InsertMembers(ctx, []awapi.Member{c1, c2, p20, p21}))
}

func chatSettings(userID int64) awapi.DirectChatSettings {
	return awapi.DirectChatSettings{UserID: userID, OfferDirectChat: true, PPM: 150, AvailableNow: true,
		AvailableFrom: 18 * 60, AvailableUntil: 2 * 60, MaxCallMinutes: 60, UpdatedAt: t0}
}

// isDirectChat reads IsDirectChat as profiles show it.
func isDirectChat(t *testing.T, st awapi.Store, userID int64) bool {
	t.Helper()
	ps, err := st.Profiles(ctx, []int64{userID}, t0)
	must(t, err)
	if len(ps) != 1 {
		t.Fatalf("no profile of %d", userID)
	}
	return ps[0].IsDirectChat
}

func testDirectChatSettings(t *testing.T, st awapi.Store) {
	directChatSetup(t, st)
	got, err := st.DirectChatSettings(ctx, 20)
	must(t, err)
	if got != (awapi.DirectChatSettings{UserID: 20}) {
		t.Fatalf("never saved: %+v", got)
	}
	_, err = st.DirectChatSettings(ctx, 99)
	wantKind(t, err, awapi.KindNotFound)
	_, err = st.SaveDirectChatSettings(ctx, chatSettings(99))
	wantKind(t, err, awapi.KindNotFound)

	want := chatSettings(20)
	want.UpdatedAt = t0.Add(1234567 * time.Nanosecond) // stored to the microsecond
	saved, err := st.SaveDirectChatSettings(ctx, want)
	must(t, err)
	want.UpdatedAt = want.UpdatedAt.Truncate(time.Microsecond)
	if got, err = st.DirectChatSettings(ctx, 20); err != nil || got != want || saved != want {
		t.Fatalf("read back %+v (saved %+v), want %+v: %v", got, saved, want, err)
	}
	if !isDirectChat(t, st, 20) || isDirectChat(t, st, 21) {
		t.Fatal("IsDirectChat does not follow the settings")
	}
	// Saving replaces every field; settings that do not offer DirectChat switch it off and keep the rest.
	off := awapi.DirectChatSettings{UserID: 20, PPM: 99, AvailableFrom: 0, AvailableUntil: 1439, MaxCallMinutes: 5,
		UpdatedAt: t0.Add(time.Hour)}
	_, err = st.SaveDirectChatSettings(ctx, off)
	must(t, err)
	if got, _ = st.DirectChatSettings(ctx, 20); got != off {
		t.Fatalf("replaced: %+v, want %+v", got, off)
	}
	if isDirectChat(t, st, 20) {
		t.Fatal("DirectChat still on when not offered")
	}
}
