package cli

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestThreeInstancesLoginFlood: 50 wrong passwords for one account at once, spread over three real
// server processes on one PostgreSQL database. Every attempt is recorded in the database before its
// hash, so across the three processes exactly 5 hashes are ever computed (each process counts its own
// in awapi_password_checks_total on /metrics) and the other 45 attempts answer 429.
func TestThreeInstancesLoginFlood(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without AWAPI_TEST_POSTGRES
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: testdb.London})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bob := storetest.NewMember(1, "bob")
	must(t, st.InsertMembers(ctx, []awapi.Member{bob}))
	must(t, st.SetPassword(ctx, 1, awapi.HashPassword("the right one")))
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	client, err := st.CreateClient(ctx, awapi.NewClient{
		NewProject: awapi.NewProject{Name: "flood", APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:8],
			APISecretDigest: awapi.HashSecret("s")},
		ClientID: awapi.NewSecret(awapi.PrefixClientID), RedirectURIs: []string{"https://app.example/cb"},
		Scopes: awapi.ScopeSet{awapi.ScopeUserID}, Public: true,
	})
	must(t, err)

	bin := awapiBinary(t)
	var bases []string
	for range 3 {
		bases = append(bases, startInstance(t, bin, dsn))
	}
	authorize := "/OAuth/Authorize?" + url.Values{"response_type": {"code"}, "client_id": {client.ClientID},
		"redirect_uri": {"https://app.example/cb"}, "scope": {"userid"}, "state": {"s"},
		"code_challenge": {"E9Melhoe2OwvFWa3JIrl7tnlvYVGQp7R9JNlI3AMkR8"}, "code_challenge_method": {"S256"}}.Encode()

	// Each attempt is its own browser: it fetches the login page (its single-use ticket and CSRF
	// cookie) first, then all 50 post at once.
	type attempt struct {
		c    *http.Client
		base string
		form url.Values
	}
	attempts := make([]attempt, 50)
	for i := range attempts {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		base := bases[i%3]
		resp, err := c.Get(base + authorize)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("login page: %d %s", resp.StatusCode, page)
		}
		form := url.Values{}
		for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
			form.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		form.Set("login", []string{"bob", "BOB", "bob@example.test"}[i%3])
		form.Set("password", fmt.Sprintf("wrong %d", i))
		attempts[i] = attempt{c, base, form}
	}
	statuses := make([]int, len(attempts))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, a := range attempts {
		wg.Go(func() {
			<-start
			resp, err := a.c.PostForm(a.base+"/OAuth/Authorize", a.form)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	hashes := 0
	for _, base := range bases {
		hashes += passwordChecks(t, base)
	}
	if hashes != 5 || counts[401] != 5 || counts[429] != 45 {
		t.Fatalf("%d hashes computed over three processes, answers %v; want 5 hashes, 5×401 and 45×429", hashes, counts)
	}
}

// passwordChecks reads awapi_password_checks_total from an instance's /metrics.
func passwordChecks(t *testing.T, base string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "awapi_password_checks_total "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
	}
	t.Fatalf("%s/metrics has no awapi_password_checks_total", base)
	return 0
}
