package unifiedlogin

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore/storetest"
)

var loopbackProxy = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// outcome is one answer of a parallel login.
type outcome struct {
	status     int
	retryAfter string
}

// parallelLogins prepares n logins (login page, CSRF cookie, form), then posts them all at once and
// returns the answers. Login i goes to instance i%len(fs), from client address 203.0.113.<i> behind
// the loopback proxy, with login(i) and password(i).
func parallelLogins(t *testing.T, fs []*fixture, n int, login, password func(i int) string) []outcome {
	t.Helper()
	authorize := authorizeQuery(fs[0].app.id, "code", appRedirect, scope)
	type prepared struct {
		b    *browser
		form url.Values
	}
	ready := make([]prepared, n)
	for i := range n {
		b := fs[i%len(fs)].browser()
		b.forwardedFor = fmt.Sprintf("203.0.113.%d", i)
		p := b.get(authorize)
		if p.status != 200 {
			t.Fatalf("authorize page: %d", p.status)
		}
		form := p.hidden()
		form.Set("login", login(i))
		form.Set("password", password(i))
		ready[i] = prepared{b, form}
	}
	out := make([]outcome, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			p, err := ready[i].b.tryPost("/OAuth/Authorize", ready[i].form)
			if err != nil {
				t.Error(err)
			}
			out[i] = outcome{p.status, p.header.Get("Retry-After")}
		})
	}
	close(start)
	wg.Wait()
	return out
}

// TestParallelWrongPasswords: 50 wrong passwords for one account at once, typed as its nickname or
// its email address in any case, from 50 addresses, on one instance or spread over three sharing the
// database: at most 5 are ever hashed and the rest answer 429 before any hash.
func TestParallelWrongPasswords(t *testing.T) {
	for _, e := range testdb.Engines() {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/%d instances", e.Name, n), func(t *testing.T) {
				// The queue wait is a deadline far away: here no login may give up for want of a slot.
				fs := instances(t, e.Name, n, Config{TrustedProxies: loopbackProxy, HashQueueWait: time.Minute})
				names := []string{"bob", "BOB", "bob@example.test", "Bob@Example.TEST"}
				got := parallelLogins(t, fs, 50, func(i int) string { return names[i%len(names)] },
					func(i int) string { return fmt.Sprintf("wrong %d", i) })
				counts := map[int]int{}
				for _, o := range got {
					counts[o.status]++
					if o.status == 429 && o.retryAfter != "900" {
						t.Errorf("429 with Retry-After %q", o.retryAfter)
					}
				}
				if h := fs[0].hashes.Load(); h != 5 || counts[401] != 5 || counts[429] != 45 {
					t.Fatalf("%d hashes evaluated, answers %v; want 5 hashes, 5×401 and 45×429", h, counts)
				}
				// The account is locked whichever name is typed, on every instance, even with the
				// right password, and without another hash.
				for i, f := range fs {
					b := f.browser()
					b.forwardedFor = "198.51.100.1"
					p := b.signIn(authorizeQuery(f.app.id, "code", appRedirect, scope), names[(i+1)%len(names)], password)
					if p.status != 429 || p.header.Get("Retry-After") == "" {
						t.Fatalf("instance %d, right password after the flood: %d", i, p.status)
					}
				}
				if h := fs[0].hashes.Load(); h != 5 {
					t.Fatalf("%d hashes after the lock-out, want 5", h)
				}
			})
		}
	}
}

// TestThrottleSemantics: a successful sign-in does not count as a failure, an unknown name is
// throttled like an account and counts against the address, and every name of a member shares one
// counter.
func TestThrottleSemantics(t *testing.T) {
	f := newFixtureWith(t, testdb.SQLite, Config{TrustedProxies: loopbackProxy})
	authorize := authorizeQuery(f.app.id, "code", appRedirect, scope)
	from := func(addr string) *browser {
		b := f.browser()
		b.forwardedFor = addr
		return b
	}
	attempt := func(addr, login, pw string, want int) {
		t.Helper()
		if p := from(addr).signIn(authorize, login, pw); p.status != want {
			t.Fatalf("%s as %q from %s: %d, want %d", pw, login, addr, p.status, want)
		}
	}
	// Four failures by nickname, a success, then one more failure still fits: the success was
	// released. The sixth attempt, by email address, is refused: one counter per member.
	for i := range 4 {
		attempt(fmt.Sprintf("192.0.2.%d", i), "carol", "wrong", 401)
	}
	attempt("192.0.2.10", "carol", password, 200)
	attempt("192.0.2.11", "CAROL@example.test", "wrong", 401)
	attempt("192.0.2.12", "carol@example.test", password, 429)

	// An unknown name is locked after 5 failures like a real one, whatever its case.
	before := f.hashes.Load()
	for i := range 5 {
		attempt(fmt.Sprintf("198.51.100.%d", i), "NoSuchMember", "wrong", 401)
	}
	attempt("198.51.100.9", "nosuchmember", "wrong", 429)
	if h := f.hashes.Load() - before; h != 5 {
		t.Fatalf("unknown names hashed %d times, want 5 (they cost what a real login costs)", h)
	}
	// And unknown names count against the address.
	for i := range 20 {
		attempt("203.0.113.99", fmt.Sprintf("ghost%d", i), "wrong", 401)
	}
	attempt("203.0.113.99", "alice", password, 429)
}

// TestHashConcurrencyBound: an instance computes at most MaxConcurrentHashes password hashes at once;
// a login that finds no free slot within HashQueueWait answers 429 with Retry-After instead of
// holding another hash's memory.
func TestHashConcurrencyBound(t *testing.T) {
	f := newFixtureWith(t, testdb.SQLite, Config{TrustedProxies: loopbackProxy, MaxConcurrentHashes: 2,
		HashQueueWait: time.Millisecond})
	var inFlight atomic.Int32
	entered := make(chan struct{}, 10)
	exceeded := make(chan struct{}, 1)
	release := make(chan struct{})
	f.h.verifyPassword = func(pw, encoded string) bool {
		if inFlight.Add(1) > 2 {
			select {
			case exceeded <- struct{}{}:
			default:
			}
		}
		entered <- struct{}{}
		<-release // the two slots stay taken until every other login has answered
		inFlight.Add(-1)
		return awapi.VerifyPassword(pw, encoded)
	}
	results := make(chan outcome, 10)
	var wg sync.WaitGroup
	authorize := authorizeQuery(f.app.id, "code", appRedirect, scope)
	for i := range 10 {
		b := f.browser()
		b.forwardedFor = fmt.Sprintf("203.0.113.%d", i)
		form := b.get(authorize).hidden()
		form.Set("login", fmt.Sprintf("stranger%d", i)) // no credentials at all
		form.Set("password", "wrong")
		wg.Go(func() {
			p, err := b.tryPost("/OAuth/Authorize", form)
			if err != nil {
				t.Error(err)
			}
			results <- outcome{p.status, p.header.Get("Retry-After")}
		})
	}
	releaseAll := sync.OnceFunc(func() { close(release) })
	defer wg.Wait() // after release: no login outlives the test
	defer releaseAll()
	<-entered
	<-entered
	for range 8 {
		select {
		case o := <-results:
			if o.status != 429 || o.retryAfter != "1" {
				t.Fatalf("a login without a hashing slot: %d, Retry-After %q", o.status, o.retryAfter)
			}
		case <-exceeded:
			t.Fatal("a third password hash started beside the two holding the slots")
		}
	}
	releaseAll()
	for range 2 {
		if o := <-results; o.status != 401 {
			t.Fatalf("a login holding a slot: %d", o.status)
		}
	}
}

// TestLoginFloodMemory: 50 logins at once, half of them with no credentials at all, with 16 MiB
// hashes. The instance hashes two at a time, so its heap grows by a few hashes' worth, not by 50.
// The peak is sampled from the runtime's heap metrics while the flood runs (without the bound it is
// some 700 MiB).
func TestLoginFloodMemory(t *testing.T) {
	const hashMiB = 16
	saved := awapi.PasswordParams
	awapi.PasswordParams = awapi.Argon2Params{Memory: hashMiB << 10, Time: 1, Threads: 1}
	t.Cleanup(func() { awapi.PasswordParams = saved })
	f := newFixtureWith(t, testdb.SQLite, Config{TrustedProxies: loopbackProxy, MaxConcurrentHashes: 2,
		HashQueueWait: time.Minute, AccountFailures: 1000, AddressFailures: 1000})
	heavy := storetest.NewMember(10, "Heavy")
	heavy.PasswordHash = awapi.HashPassword(password)
	if _, err := f.st.CreateMember(context.Background(), heavy); err != nil {
		t.Fatal(err)
	}

	// Collect garbage promptly, so the heap measures the hashes alive at once more than GC pacing.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := heap()
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if h := heap(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	got := parallelLogins(t, []*fixture{f}, 50, func(i int) string {
		if i%2 == 0 {
			return "heavy"
		}
		return fmt.Sprintf("nobody%d", i)
	}, func(int) string { return "wrong" })
	close(done)
	<-sampled
	for i, o := range got {
		if o.status != 401 {
			t.Fatalf("login %d: %d", i, o.status)
		}
	}
	if h := f.hashes.Load(); h != 50 {
		t.Fatalf("%d hashes, want 50", h)
	}
	growth := (peak.Load() - min(base, peak.Load())) >> 20
	t.Logf("heap %d MiB before the flood, peak %d MiB above it", base>>20, growth)
	if growth > 8*hashMiB {
		t.Fatalf("the heap grew by %d MiB during the flood: more than 8 hashes of %d MiB (2 at a time)", growth, hashMiB)
	}
}

// TestNewComputesNoHash: starting the handler computes no password hash (one held 64 MiB of an idle
// server's heap); the hash an unknown name is checked against is made when needed.
func TestNewComputesNoHash(t *testing.T) {
	saved := awapi.PasswordParams
	awapi.PasswordParams = awapi.Argon2Params{Memory: 64 << 10, Time: 1, Threads: 2}
	t.Cleanup(func() { awapi.PasswordParams = saved })
	st := testdb.SQLite(t)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := New(context.Background(), st, Config{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n := (after.TotalAlloc - before.TotalAlloc) >> 20; n > 8 {
		t.Fatalf("New allocated %d MiB", n)
	}
}

// TestClientSecretThrottling: wrong client secrets at /OAuth/token are throttled like passwords: per
// client, recorded before the check, so parallel guesses cannot outrun the count; a right secret is
// never counted.
func TestClientSecretThrottling(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			f := newFixture(t, e.Open)
			call := func(c clientCreds) (int, map[string]any, http.Header) {
				return f.tokenCall(url.Values{"grant_type": {"authorization_code"}, "code": {"awa_unknown"},
					"redirect_uri": {appRedirect}, "client_id": {c.id}, "client_secret": {c.secret}}, nil)
			}
			wrong := f.app
			wrong.secret = "awcs_wrong"

			// Four wrong secrets, the right one (the client is authenticated; the code is unknown),
			// then the fifth wrong one still answers 401, and the sixth attempt is refused.
			for range 4 {
				if s, out, _ := call(wrong); s != 401 || str(out, "error") != "invalid_client" {
					t.Fatalf("wrong secret: %d %v", s, out)
				}
			}
			if s, out, _ := call(f.app); s != 400 || str(out, "error") != "invalid_grant" {
				t.Fatalf("right secret: %d %v", s, out)
			}
			if s, _, _ := call(wrong); s != 401 {
				t.Fatalf("fifth wrong secret: %d", s)
			}
			s, out, hdr := call(f.app)
			if s != 429 || str(out, "error") != "temporarily_unavailable" || hdr.Get("Retry-After") != "900" {
				t.Fatalf("after 5 wrong secrets: %d %v %v", s, out, hdr)
			}
			f.clock.Advance(16 * time.Minute)
			if s, out, _ := call(f.app); s != 400 {
				t.Fatalf("after the window: %d %v", s, out)
			}

			// 30 wrong secrets at once for another client: 5 are checked, 25 refused.
			bad := f.other
			bad.secret = "awcs_guess"
			var (
				wg     sync.WaitGroup
				mu     sync.Mutex
				counts = map[int]int{}
				start  = make(chan struct{})
			)
			for range 30 {
				wg.Go(func() {
					<-start
					s, _, _ := call(bad)
					mu.Lock()
					counts[s]++
					mu.Unlock()
				})
			}
			close(start)
			wg.Wait()
			if counts[401] != 5 || counts[429] != 25 {
				t.Fatalf("30 parallel wrong secrets: %v, want 5×401 and 25×429", counts)
			}
		})
	}
}
