// Command awapi-load is the load harness: it starts the server on a freshly seeded database and
// measures, in one run, (1) Webcam/GetUserBookingRequirements with 4 IDs against a bare net/http
// handler returning the same bytes, and (2) complete booking lifecycles (create → accept → confirm)
// per second, on SQLite and, with -pg, on PostgreSQL. With -search it measures Search/SearchProfiles
// instead (see search.go). It needs no external tool.
//
//	go run ./cmd/awapi-load -duration 10s -concurrency 16
//	go run ./cmd/awapi-load -pg 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//	go run ./cmd/awapi-load -search -users 1000000 -pg 'postgres://…'
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/httpapi"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/web"
)

type options struct {
	users       int
	duration    time.Duration
	concurrency int
	pg          string
	search      bool
	db          string // an already seeded database to measure instead of seeding fresh ones
	searchTTL   time.Duration
	compare     bool
	cpuProfile  string
}

func main() {
	var o options
	flag.IntVar(&o.users, "users", 5000, "members to seed")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measurement runs")
	flag.IntVar(&o.concurrency, "concurrency", 16, "concurrent client connections")
	flag.StringVar(&o.pg, "pg", "", "PostgreSQL admin DSN; a fresh database is created and dropped for the run")
	flag.BoolVar(&o.search, "search", false, "measure Search/SearchProfiles instead of webcam bookings")
	flag.DurationVar(&o.searchTTL, "search-cache-ttl", 30*time.Second, "the server's search cache TTL, as awapi serve's --search-cache-ttl")
	flag.BoolVar(&o.compare, "compare", false, "with -search: measure each query with the search cache off (a count and OFFSET every request) and on, side by side")
	flag.StringVar(&o.db, "db", "", "with -search: measure this already seeded database (SQLite file or postgres:// DSN) instead of seeding")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the measurements (server and load generator) to this file")
	flag.Parse()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "awapi-load:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), o); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "awapi-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	fmt.Printf("awapi-load: %d members, %s per measurement, %d connections, GOMAXPROCS %d, %s/%s\n",
		o.users, o.duration, o.concurrency, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	dir, err := os.MkdirTemp("", "awapi-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	engines := []struct{ name, dsn string }{{"sqlite", filepath.Join(dir, "load.db")}}
	if o.db != "" {
		engines = []struct{ name, dsn string }{{string(sqlstore.EngineOf(o.db)), o.db}}
	} else if o.pg != "" {
		dsn, drop, err := testdb.CreatePostgres(ctx, o.pg, "awapi_load_")
		if err != nil {
			return err
		}
		defer drop()
		engines = append(engines, struct{ name, dsn string }{"postgres", dsn})
	}
	for i, e := range engines {
		env, err := setUp(ctx, e.dsn, o.users, !o.search, o.db == "", o.searchTTL)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if o.search {
			err := searchLoad(ctx, env, e.name, o)
			env.close()
			if err != nil {
				return fmt.Errorf("%s search: %w", e.name, err)
			}
			continue
		}
		if i == 0 {
			if err := requirements(env, o); err != nil {
				return err
			}
		}
		if err := lifecycles(ctx, env, e.name, o); err != nil {
			return fmt.Errorf("%s lifecycles: %w", e.name, err)
		}
		env.close()
	}
	return nil
}

// env is a running server over a seeded store.
type env struct {
	st      *sqlstore.DB
	base    string
	srv     *http.Server
	key     string // the load project's API key
	token   func(user int64) string
	perf    []int64 // webcam performers that take Skype bookings
	clients []int64 // members that are not in perf, to book them
	now     time.Time
	dsnOf   string // the store's DSN
}

func (e *env) close() { _ = e.srv.Close(); _ = e.st.Close() }

// setUp seeds a store and serves it; webcam also collects the performers and clients to book.
func setUp(ctx context.Context, dsn string, users int, webcam, seedIt bool, searchTTL time.Duration) (*env, error) {
	loc, _ := time.LoadLocation("Europe/London")
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Location: loc, SearchCacheTTL: searchTTL})
	if err != nil {
		return nil, err
	}
	now := time.Now()
	start := time.Now()
	if seedIt {
		if _, err := seed.Run(ctx, st, seed.Options{Users: users, Seed: 1, Now: now.In(loc)}); err != nil {
			return nil, err
		}
		fmt.Printf("  %s: seeded %d members in %s\n", sqlstore.EngineOf(dsn), users, time.Since(start).Round(time.Millisecond))
	}
	key := awapi.NewSecret(awapi.PrefixAPIKey)
	p, err := st.CreateProject(ctx, awapi.NewProject{Name: "load", APIKeyDigest: awapi.HashSecret(key), APIKeyPrefix: key[:10],
		APISecretDigest: awapi.HashSecret("x")})
	if err != nil {
		return nil, err
	}
	e := &env{st: st, now: now, key: key, dsnOf: dsn}
	ids := make([]int64, 0, users)
	for id := int64(1); webcam && id <= int64(users); id++ {
		ids = append(ids, id)
	}
	ps, err := st.WebcamPerformers(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Bookable() && p.Offers(awapi.SoftwareSkype) && p.Minimum() <= 30 {
			e.perf = append(e.perf, p.UserID)
		}
	}
	slices.Sort(e.perf)
	if webcam && len(e.perf) < 8 {
		return nil, errors.New("too few webcam performers; seed more members")
	}
	for _, id := range ids {
		if _, found := slices.BinarySearch(e.perf, id); !found {
			e.clients = append(e.clients, id)
		}
	}
	var mu sync.Mutex
	tokens := map[int64]string{}
	e.token = func(user int64) string {
		mu.Lock()
		defer mu.Unlock()
		if t, ok := tokens[user]; ok {
			return t
		}
		t := awapi.NewSecret(awapi.PrefixAccessToken)
		if err := st.CreateAccessToken(ctx, awapi.HashSecret(t), awapi.AccessToken{UserID: user, ProjectID: p.ProjectID,
			Scopes: awapi.ScopeSet{awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountCreditsHistory}, ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
			panic(err)
		}
		tokens[user] = t
		return t
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	e.base = "http://" + ln.Addr().String()
	e.srv = &http.Server{Handler: httpapi.NewAPI(st, web.Config{Location: loc}), ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln)
	return e, nil
}

// requirements compares GetUserBookingRequirements with a bare handler serving the same bytes.
func requirements(e *env, o options) error {
	target := e.base + "/v1/WebCam/GetUserBookingRequirements?BookUserIDs=" + url.QueryEscape(fmt.Sprintf("%d,%d,%d,%d", e.perf[0], e.perf[1], e.perf[2], e.perf[3]))
	token := "bearer " + e.token(1)
	body, ctype, err := fetch(target, "Authorization", token)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	})}
	go bare.Serve(ln)
	defer bare.Close()
	fmt.Printf("\nGetUserBookingRequirements (4 IDs, %d bytes), bearer token, SQLite:\n", len(body))
	api := load(o, func(c *http.Client) error { return get(c, target, len(body), "Authorization", token) })
	raw := load(o, func(c *http.Client) error { return get(c, "http://"+ln.Addr().String()+"/", len(body)) })
	fmt.Printf("  %-28s %10s %10s %10s\n", "", "req/s", "p50", "p99")
	api.print("awapi")
	raw.print("bare net/http, same bytes")
	fmt.Printf("  awapi throughput is %.0f%% of the bare handler's; p50 %.1fx\n", 100*api.rps/raw.rps, float64(api.p50)/float64(raw.p50))
	return nil
}

// lifecycles runs create → accept → confirm loops, each worker with its own client and performer so
// the measurement is of the work, not of contention on one row.
func lifecycles(ctx context.Context, e *env, engine string, o options) error {
	workers := min(o.concurrency, len(e.perf), len(e.clients))
	for w := range workers {
		if _, err := e.st.AddCredits(ctx, e.clients[w], 1_000_000_00, "load test credits", e.now); err != nil {
			return err
		}
	}
	var done, failed atomic.Int64
	deadline := time.Now().Add(o.duration)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(1)
			client, performer := e.clients[w], e.perf[w]
			ct, pt := "bearer "+e.token(client), "bearer "+e.token(performer)
			for i := 0; time.Now().Before(deadline); i++ {
				if err := lifecycle(c, e, ct, pt, performer, i); err != nil {
					if failed.Add(1) == 1 {
						fmt.Println("  first failure:", err)
					}
					continue
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("\nbooking lifecycles (create → accept → confirm, 3 requests each), %s, %d workers:\n", engine, workers)
	fmt.Printf("  %.0f lifecycles/s (%d in %s, %d failed)\n", float64(done.Load())/elapsed.Seconds(), done.Load(), elapsed.Round(time.Millisecond), failed.Load())
	return nil
}

func lifecycle(c *http.Client, e *env, clientTok, perfTok string, performer int64, i int) error {
	session := time.Now().Add(time.Duration(24+i%500) * time.Hour).In(time.UTC)
	loc, _ := time.LoadLocation("Europe/London")
	var b struct{ WebcamBookingID int64 }
	err := post(c, e.base+"/v1/Webcam/CreateBooking", clientTok, map[string]any{
		"BookUserIDs": fmt.Sprint(performer), "SessionDate": session.In(loc).Format("2006-01-02 15:04"), "Duration": 30,
		"Credits": "20.00", "SoftwareTypeID": awapi.SoftwareSkype, "SignInNameOrEmail": "load.test"}, &b)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if err := post(c, e.base+"/v1/Webcam/AcceptReceivedBooking", perfTok, map[string]any{"BookingID": b.WebcamBookingID, "Credits": "20.00"}, nil); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if err := post(c, e.base+"/v1/Webcam/ConfirmMadeBooking", clientTok, map[string]any{"BookingID": b.WebcamBookingID}, nil); err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	return nil
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

func (r result) print(name string) {
	fmt.Printf("  %-28s %10.0f %10s %10s", name, r.rps, r.p50.Round(time.Microsecond), r.p99.Round(time.Microsecond))
	if r.errors > 0 {
		fmt.Printf("  (%d errors)", r.errors)
	}
	fmt.Println()
}

// load runs fn from o.concurrency goroutines for o.duration and summarises the latencies.
func load(o options, fn func(*http.Client) error) result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
	)
	c := newClient(o.concurrency)
	deadline := time.Now().Add(o.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := fn(c); err != nil {
					bad++
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	r := result{rps: float64(len(latencies)) / elapsed.Seconds(), errors: errs}
	if n := len(latencies); n > 0 {
		r.p50, r.p99 = latencies[n/2], latencies[n*99/100]
	}
	return r
}

func newClient(conns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}}
}

// fetch sends one GET with an optional header (name, value) and returns the body, which must come
// with 200, and its Content-Type.
func fetch(target string, header ...string) ([]byte, string, error) {
	resp, err := send(http.DefaultClient, target, header)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, "", fmt.Errorf("GET %s: %d %s", target, resp.StatusCode, b)
	}
	return b, resp.Header.Get("Content-Type"), err
}

// get is the request the load loops time: one GET with an optional header whose answer is discarded
// and must be 200 and, when size >= 0, exactly size bytes.
func get(c *http.Client, target string, size int, header ...string) error {
	resp, err := send(c, target, header)
	if err != nil {
		return err
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || size >= 0 && int(n) != size {
		return fmt.Errorf("status %d, %d bytes", resp.StatusCode, n)
	}
	return nil
}

func send(c *http.Client, target string, header []string) (*http.Response, error) {
	req, _ := http.NewRequest("GET", target, nil)
	if len(header) == 2 && header[1] != "" {
		req.Header.Set(header[0], header[1])
	}
	return c.Do(req)
}

func post(c *http.Client, target, token string, body, out any) error {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", target, bytes.NewReader(b))
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%d %s", resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}
