package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestThreeInstancesRace runs three real awapi server processes on one PostgreSQL database and
// races booking transitions across them over HTTP: exactly one acceptance, one confirmation charged
// once, a cancel racing accepts, confirms racing top-ups; the ledger must equal every balance after.
func TestThreeInstancesRace(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without AWAPI_TEST_POSTGRES
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms := []awapi.Member{storetest.NewMember(1, "Client")}
	for id := int64(2); id <= 5; id++ {
		m := storetest.NewMember(id, fmt.Sprintf("Perf%d", id))
		m.IsWebcam = true
		ms = append(ms, m)
	}
	must(t, st.InsertMembers(ctx, ms))
	var ws []awapi.WebcamSettings
	for id := int64(2); id <= 5; id++ {
		ws = append(ws, awapi.WebcamSettings{UserID: id, SoftwareTypeIDs: []int{awapi.SoftwareSkype}, MinimumDuration: 5})
	}
	must(t, st.InsertWebcamSettings(ctx, ws))
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "race", APIKeyDigest: awapi.HashSecret("k"), APIKeyPrefix: "k", APISecretDigest: awapi.HashSecret("s")})
	must(t, err)
	tokens := map[int64]string{}
	for id := int64(1); id <= 5; id++ {
		tokens[id] = awapi.NewSecret(awapi.PrefixAccessToken)
		must(t, st.CreateAccessToken(ctx, awapi.HashSecret(tokens[id]), awapi.AccessToken{UserID: id, ProjectID: p.ProjectID,
			Scopes: awapi.ScopeSet{awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountCreditsHistory}, ExpiresAt: time.Now().Add(time.Hour)}))
	}

	bin := awapiBinary(t)
	var bases []string
	for range 3 {
		bases = append(bases, startInstance(t, bin, dsn))
	}

	call := func(i int, user int64, path string, body any) (int, map[string]any) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", bases[i%3]+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "bearer "+tokens[user])
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
	create := func() int64 {
		status, out := call(0, 1, "/v1/Webcam/CreateBooking", map[string]any{"BookUserIDs": "2,3,4,5",
			"SessionDate": time.Now().Add(48 * time.Hour).In(testdb.London).Format("2006-01-02 15:04"), "Duration": 30,
			"Credits": "10.00", "SoftwareTypeID": 3, "SignInNameOrEmail": "client"})
		if status != 200 {
			t.Fatalf("create: %d %v", status, out)
		}
		return int64(out["WebcamBookingID"].(float64))
	}
	// race starts n calls together and counts the answers by status.
	race := func(n int, fn func(i int) int) map[int]int {
		var (
			mu     sync.Mutex
			counts = map[int]int{}
			wg     sync.WaitGroup
			start  = make(chan struct{})
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s := fn(i)
				mu.Lock()
				counts[s]++
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		return counts
	}
	ledgerOK := func() {
		t.Helper()
		for id := int64(1); id <= 5; id++ {
			bal, err1 := st.CreditBalance(ctx, id)
			sum, err2 := st.LedgerSum(ctx, id)
			if err1 != nil || err2 != nil || bal != sum || bal < 0 {
				t.Fatalf("member %d: balance %v, ledger %v (%v %v)", id, bal, sum, err1, err2)
			}
		}
	}

	t.Run("accepts by every invited performer on every instance", func(t *testing.T) {
		id := create()
		counts := race(24, func(i int) int {
			s, _ := call(i, int64(2+i%4), "/v1/Webcam/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": "12.00"})
			return s
		})
		if counts[200] != 1 || counts[409] != 23 {
			t.Fatalf("answers %v, want one 200 and 23 409", counts)
		}
	})

	t.Run("concurrent confirms charge once", func(t *testing.T) {
		_, err := st.AddCredits(ctx, 1, 5000, "top-up", time.Now())
		must(t, err)
		id := create()
		if s, out := call(1, 2, "/v1/Webcam/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": "12.00"}); s != 200 {
			t.Fatalf("accept: %d %v", s, out)
		}
		before, _ := st.CreditBalance(ctx, 1)
		counts := race(24, func(i int) int {
			s, _ := call(i, 1, "/v1/Webcam/ConfirmMadeBooking", map[string]any{"BookingID": id})
			return s
		})
		after, _ := st.CreditBalance(ctx, 1)
		if counts[200] != 1 || before-after != 1200 {
			t.Fatalf("answers %v, balance %v -> %v", counts, before, after)
		}
		ledgerOK()
	})

	t.Run("client cancel racing accepts", func(t *testing.T) {
		id := create()
		var accepted, cancelled int
		var mu sync.Mutex
		race(20, func(i int) int {
			var s int
			if i%2 == 0 {
				s, _ = call(i, 1, "/v1/Webcam/CancelMadeBooking", map[string]any{"BookingID": id, "Reason": "race"})
			} else {
				s, _ = call(i, int64(2+i%4), "/v1/Webcam/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": "10.00"})
			}
			mu.Lock()
			if s == 200 && i%2 == 0 {
				cancelled++
			} else if s == 200 {
				accepted++
			}
			mu.Unlock()
			return s
		})
		b, err := st.Booking(ctx, awapi.ServiceWebcam, awapi.ClientSide, 1, id)
		must(t, err)
		if cancelled != 1 || accepted > 1 || b.Status != awapi.StatusCancelled {
			t.Fatalf("cancelled %d accepted %d status %s", cancelled, accepted, b.Status)
		}
		for _, inv := range b.Invitations {
			if inv.Status == awapi.StatusPending {
				t.Fatalf("invitation left pending: %+v", inv)
			}
		}
	})

	t.Run("confirms racing top-ups", func(t *testing.T) {
		id := create()
		if s, out := call(2, 3, "/v1/Webcam/AcceptReceivedBooking", map[string]any{"BookingID": id, "Credits": "15.00"}); s != 200 {
			t.Fatalf("accept: %d %v", s, out)
		}
		before, _ := st.CreditBalance(ctx, 1)
		confirms := 0
		var mu sync.Mutex
		race(20, func(i int) int {
			if i%2 == 0 {
				_, err := st.AddCredits(ctx, 1, 100, "top-up", time.Now())
				if err != nil {
					t.Error(err)
				}
				return 0
			}
			s, _ := call(i, 1, "/v1/Webcam/ConfirmMadeBooking", map[string]any{"BookingID": id})
			if s == 200 {
				mu.Lock()
				confirms++
				mu.Unlock()
			}
			return s
		})
		after, _ := st.CreditBalance(ctx, 1)
		if confirms != 1 || after != before+10*100-1500 {
			t.Fatalf("confirms %d, balance %v -> %v", confirms, before, after)
		}
		ledgerOK()
	})
}

// startInstance runs `awapi serve` on dsn and returns its base URL; the process gets SIGTERM at the end
// and must then exit cleanly: under -race the instances are race-built, and a race they detect makes
// them exit 66 with a report, which fails the test.
func startInstance(t *testing.T, bin, dsn string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--no-seed", "--log-format", "json")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil || strings.Contains(stderr.String(), "DATA RACE") {
			t.Errorf("instance %s exited with %v:\n%s", cmd, err, stderr.String())
		}
	})
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "awapi listening on "); ok {
			base, _, _ := strings.Cut(rest, " ")
			go io.Copy(io.Discard, stdout)
			return base
		}
	}
	t.Fatalf("instance exited: %s", stderr.String())
	return ""
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
