package seed

import (
	"context"
	"time"

	"github.com/awapi/awapi"
)

// demoHotListName is the demo client's hotlist, documented in the README.
const demoHotListName = "Favourites"

// demoMemberData gives the demo client (1) what the member-owned endpoints show: a hotlist of the
// demo performers with a note, and one blacklisted member (the first generated one), so GetHotList,
// GetDashboard and IsBlacklisted have something to answer on a fresh sandbox.
func demoMemberData(ctx context.Context, st awapi.Store, now time.Time) error {
	l, err := st.CreateHotList(ctx, 1, demoHotListName, now)
	if err != nil {
		return err
	}
	if _, err := st.AddHotListMembers(ctx, 1, l.ListID, []int64{2, 4, 5}, now); err != nil {
		return err
	}
	if _, err := st.SetHotListNotes(ctx, 1, l.ListID, 2, "Great webcam sessions; books up fast at weekends.", now); err != nil {
		return err
	}
	_, err = st.AddToBlacklist(ctx, 1, []int64{firstGenerated}, now)
	return err
}
