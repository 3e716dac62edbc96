package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// cluster is a set of awapi server processes on one database, called round-robin.
type cluster struct {
	t      *testing.T
	bases  []string
	tokens map[int64]string
}

// call POSTs body as JSON on instance i%len(bases) as user and returns the status and decoded answer.
func (c *cluster) call(i int, user int64, path string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", c.bases[i%len(c.bases)]+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "bearer "+c.tokens[user])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// race starts n calls of fn together and counts their answers by status.
func (c *cluster) race(n int, fn func(i int) int) map[int]int {
	var (
		mu     sync.Mutex
		counts = map[int]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-start
			s := fn(i)
			mu.Lock()
			counts[s]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return counts
}

// TestThreeInstancesPhoneChatRace races phone-chat booking transitions over HTTP across three real
// server processes on one PostgreSQL database, as TestThreeInstancesRace does for webcam: one
// acceptance however many instances the performer (and an uninvited one) try, confirmations charged
// once, and confirmations racing the performer's cancellation and the client's leaving one outcome;
// the ledger equals every balance after each.
func TestThreeInstancesPhoneChatRace(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without AWAPI_TEST_POSTGRES
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms := []awapi.Member{storetest.NewMember(1, "Client")}
	for _, id := range []int64{2, 3} {
		m := storetest.NewMember(id, fmt.Sprintf("Phone%d", id))
		m.IsPhoneChat = true
		ms = append(ms, m)
	}
	must(t, st.InsertMembers(ctx, ms))
	_, _, err = st.SavePhoneChatSettings(ctx, awapi.PhoneChatSettings{UserID: 2, PhoneChatPPM: 50, OfferSkype: true, UpdatedAt: time.Now()},
		func(current awapi.DirectChatSettings) awapi.DirectChatSettings { return current })
	must(t, err)
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "race", APIKeyDigest: awapi.HashSecret("k"), APIKeyPrefix: "k", APISecretDigest: awapi.HashSecret("s")})
	must(t, err)
	c := &cluster{t: t, tokens: map[int64]string{}}
	for id := int64(1); id <= 3; id++ {
		c.tokens[id] = awapi.NewSecret(awapi.PrefixAccessToken)
		must(t, st.CreateAccessToken(ctx, awapi.HashSecret(c.tokens[id]), awapi.AccessToken{UserID: id, ProjectID: p.ProjectID,
			Scopes: awapi.ScopeSet{awapi.ScopeAccountPhonechatBookings, awapi.ScopeAccountCreditsHistory}, ExpiresAt: time.Now().Add(time.Hour)}))
	}
	bin := awapiBinary(t)
	for range 3 {
		c.bases = append(c.bases, startInstance(t, bin, dsn))
	}

	create := func() int64 {
		at := func(d time.Duration) string { return time.Now().Add(d).In(testdb.London).Format("2006-01-02 15:04") }
		status, out := c.call(0, 1, "/v1/PhoneChat/CreateBooking", map[string]any{"BookUserID": 2, "SessionDate": at(48 * time.Hour),
			"Duration": 20, "Method": 3, "SkypeName": "client", "Credits": "10.00", "AcceptBy": at(24 * time.Hour)})
		if status != 200 {
			t.Fatalf("create: %d %v", status, out)
		}
		return int64(out["BookingID"].(float64))
	}
	accept := func(i int, id int64, price string) int {
		s, _ := c.call(i, 2, "/v1/PhoneChat/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": price})
		return s
	}
	ledgerOK := func() {
		t.Helper()
		for id := int64(1); id <= 3; id++ {
			bal, err1 := st.CreditBalance(ctx, id)
			sum, err2 := st.LedgerSum(ctx, id)
			if err1 != nil || err2 != nil || bal != sum || bal < 0 {
				t.Fatalf("member %d: balance %v, ledger %v (%v %v)", id, bal, sum, err1, err2)
			}
		}
	}

	t.Run("one acceptance across instances", func(t *testing.T) {
		id := create()
		counts := c.race(24, func(i int) int {
			if i%4 == 3 { // the uninvited performer never finds the booking
				s, _ := c.call(i, 3, "/v1/PhoneChat/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": "12.00"})
				return s
			}
			return accept(i, id, "12.00")
		})
		if counts[200] != 1 || counts[409] != 17 || counts[404] != 6 {
			t.Fatalf("answers %v, want one 200, 17 409 and 6 404", counts)
		}
		ledgerOK()
	})

	t.Run("concurrent confirms charge once", func(t *testing.T) {
		_, err := st.AddCredits(ctx, 1, 10000, "top-up", time.Now())
		must(t, err)
		id := create()
		if s := accept(1, id, "12.00"); s != 200 {
			t.Fatalf("accept: %d", s)
		}
		before, _ := st.CreditBalance(ctx, 1)
		counts := c.race(24, func(i int) int {
			s, _ := c.call(i, 1, "/v1/PhoneChat/ConfirmMadeBooking", map[string]any{"BookingID": id})
			return s
		})
		after, _ := st.CreditBalance(ctx, 1)
		if counts[200] != 1 || counts[409] != 23 || before-after != 1200 {
			t.Fatalf("answers %v, balance %v -> %v", counts, before, after)
		}
		ledgerOK()
	})

	for _, canceller := range []struct {
		name string
		user int64
		path string
	}{{"performer", 2, "/v1/PhoneChat/CancelReceivedBooking"}, {"client", 1, "/v1/PhoneChat/CancelMadeBooking"}} {
		t.Run("confirms racing the "+canceller.name+"'s cancel", func(t *testing.T) {
			for round := range 3 {
				id := create()
				if s := accept(round, id, "15.00"); s != 200 {
					t.Fatalf("accept: %d", s)
				}
				before, _ := st.CreditBalance(ctx, 1)
				var mu sync.Mutex
				confirms, cancels := 0, 0
				c.race(20, func(i int) int {
					var s int
					if i%2 == 0 {
						s, _ = c.call(i, 1, "/v1/PhoneChat/ConfirmMadeBooking", map[string]any{"BookingID": id})
					} else {
						s, _ = c.call(i, canceller.user, canceller.path, map[string]any{"BookingID": id, "Reason": "race"})
					}
					mu.Lock()
					if s == 200 && i%2 == 0 {
						confirms++
					} else if s == 200 {
						cancels++
					}
					mu.Unlock()
					return s
				})
				b, err := st.Booking(ctx, awapi.ServicePhoneChat, awapi.ClientSide, 1, id)
				must(t, err)
				after, _ := st.CreditBalance(ctx, 1)
				switch {
				case confirms > 1 || cancels > 1:
					t.Fatalf("round %d: %d confirms, %d cancels", round, confirms, cancels)
				case b.Status == awapi.StatusConfirmed && (confirms != 1 || cancels != 0 || before-after != 1500):
					t.Fatalf("round %d: confirmed with %d confirms, %d cancels, balance %v -> %v", round, confirms, cancels, before, after)
				case b.Status == awapi.StatusCancelled && (cancels != 1 || after != before):
					t.Fatalf("round %d: cancelled with %d cancels, balance %v -> %v", round, cancels, before, after)
				case b.Status != awapi.StatusConfirmed && b.Status != awapi.StatusCancelled:
					t.Fatalf("round %d: left %s", round, b.Status)
				}
				ledgerOK()
			}
		})
	}
}
