package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestThreeInstancesDirectChat runs three real sandbox server processes on one PostgreSQL database
// and races DirectChat calls across them through the sandbox's call helpers: calls on one PIN never
// overdraw the client, only one call is in progress on a PIN, and calls on two PINs share one
// balance without overdrawing it; the ledger equals every balance after each race.
func TestThreeInstancesDirectChat(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without AWAPI_TEST_POSTGRES
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	client := storetest.NewMember(1, "Caller")
	client.UserTypeID = awapi.UserTypeSeeking
	must(t, st.InsertMembers(ctx, []awapi.Member{client, storetest.NewMember(2, "LineTwo"), storetest.NewMember(3, "LineThree")}))
	for _, id := range []int64{2, 3} {
		_, err := st.SaveDirectChatSettings(ctx, awapi.DirectChatSettings{UserID: id, OfferDirectChat: true, PPM: 150,
			AvailableNow: true, MaxCallMinutes: 60, UpdatedAt: time.Now()})
		must(t, err)
	}
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	project, err := st.CreateProject(ctx, awapi.NewProject{Name: "race", APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:10],
		APISecretDigest: awapi.HashSecret("s"), Approved: true})
	must(t, err)
	// The call helpers exist only on a sandbox.
	must(t, st.SetMeta(ctx, metaSandbox, "true"))
	must(t, st.SetMeta(ctx, metaSandboxProject, strconv.FormatInt(project.ProjectID, 10)))
	must(t, st.SetMeta(ctx, metaInitialized, "sandbox "+time.Now().UTC().Format(time.RFC3339)))
	pins := map[int64]string{}
	for _, id := range []int64{2, 3} {
		p, _, err := awapi.CreateDirectChatPIN(ctx, st, 1, id, time.Now(), awapi.NewDirectChatPIN)
		must(t, err)
		pins[id] = p.PIN
	}
	_, err = st.AddCredits(ctx, 1, 1000, "top-up", time.Now())
	must(t, err)

	bin := awapiBinary(t)
	var bases []string
	for range 3 {
		bases = append(bases, startInstance(t, bin, dsn))
	}
	call := func(i int, path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", bases[i%3]+"/v1/Sandbox/DirectChat/"+path, bytes.NewReader(b))
		req.Header.Set("X-ApiKey", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer resp.Body.Close()
		var out map[string]any
		raw, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(raw, &out)
		return resp.StatusCode, out
	}
	type answer struct {
		status int
		out    map[string]any
	}
	race := func(n int, fn func(i int) (int, map[string]any)) []answer {
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			out   = make([]answer, n)
		)
		for i := range n {
			wg.Go(func() {
				<-start
				s, o := fn(i)
				out[i] = answer{s, o}
			})
		}
		close(start)
		wg.Wait()
		return out
	}
	count := func(as []answer, status int) int {
		n := 0
		for _, a := range as {
			if a.status == status {
				n++
			}
		}
		return n
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
	balance := func(id int64) awapi.Credits {
		b, err := st.CreditBalance(ctx, id)
		must(t, err)
		return b
	}

	t.Run("calls on one PIN never overdraw", func(t *testing.T) {
		// 24 calls of 4 minutes (6.00) from 10.00: one paid whole, one cut at 2 minutes, 1.00 left.
		as := race(24, func(i int) (int, map[string]any) {
			return call(i, "PlaceCall", map[string]any{"PIN": pins[2], "Minutes": 4})
		})
		if count(as, 200) != 2 || count(as, 409) != 22 || balance(1) != 100 || balance(2) != 900 {
			t.Fatalf("%d paid, %d refused; balances %s and %s", count(as, 200), count(as, 409), balance(1), balance(2))
		}
		ledgerOK()
	})

	t.Run("one call in progress per PIN", func(t *testing.T) {
		_, err := st.AddCredits(ctx, 1, 1000, "top-up", time.Now())
		must(t, err)
		as := race(24, func(i int) (int, map[string]any) { return call(i, "StartCall", map[string]any{"PIN": pins[2]}) })
		if count(as, 200) != 1 || count(as, 409) != 23 || balance(1) != 950 {
			t.Fatalf("%d started, %d refused; balance %s", count(as, 200), count(as, 409), balance(1))
		}
		ledgerOK()
	})

	t.Run("ends and calls on two PINs share one balance", func(t *testing.T) {
		// 9.50: ends of the call in progress (within its first minute, so nothing more to pay) race
		// calls of 10 minutes on the other PIN; one end and one cut call (6 minutes, 9.00) win.
		as := race(24, func(i int) (int, map[string]any) {
			if i%2 == 0 {
				return call(i, "EndCall", map[string]any{"PIN": pins[2]})
			}
			return call(i, "PlaceCall", map[string]any{"PIN": pins[3], "Minutes": 10})
		})
		ends, places := 0, 0
		for i, a := range as {
			if a.status == 200 && i%2 == 0 {
				ends++
			} else if a.status == 200 {
				places++
			} else if a.status != 409 {
				t.Errorf("answer %d: %d %v", i, a.status, a.out)
			}
		}
		if ends != 1 || places != 1 || balance(1) != 50 || balance(3) != 900 {
			t.Fatalf("%d ends, %d calls; balances %s and %s", ends, places, balance(1), balance(3))
		}
		ledgerOK()
	})
}
