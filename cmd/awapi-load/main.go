// Command awapi-load is the load harness: it starts the server on a freshly seeded database and
// measures, side by side in one run (interleaved rounds, so a noisy machine slows both alike):
//
//   - Webcam/GetUserBookingRequirements with 4 IDs against a bare net/http handler returning the same
//     bytes, on each engine, and (with -prism) against Prism mocking awapi's own OpenAPI document;
//   - complete booking lifecycles (create → accept → confirm) per second through HTTP against the
//     same transactions called on the store in-process (no HTTP, same driver): the floor HTTP adds to.
//
// It ends with the issue 11 table: the figures before that work, today's, and each goal. With -search
// it measures Search/SearchProfiles instead (see search.go), and with -email mailboxes at scale (see
// email.go). It needs no external tool.
//
//	go run ./cmd/awapi-load -duration 10s
//	go run ./cmd/awapi-load -pg 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//	go run ./cmd/awapi-load -prism "$(npm root)/.bin/prism"
//	go run ./cmd/awapi-load -search -users 1000000 -pg 'postgres://…'
//	go run ./cmd/awapi-load -email -users 1000000 -messages 5000000 -big 100000 -pg 'postgres://…'
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
	"os/exec"
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
	"github.com/awapi/awapi/internal/cli"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/seed"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/web"
)

type options struct {
	users       int
	duration    time.Duration
	concurrency int
	readConns   int
	pg          string
	search      bool
	email       bool
	messages    int           // -email: message copies to bulk-load after the seed
	big         int           // -email: how many of them land in the measured member's inbox
	db          string        // an already seeded database to measure instead of seeding fresh ones
	rounds      int           // each side-by-side measurement alternates its two sides this many times
	prism       string        // the prism CLI, to compare with Prism mocking awapi's OpenAPI document
	cpuProfile  string        // write a CPU profile of the whole run here
	searchTTL   time.Duration // the server's search cache TTL
	compare     bool          // -search: each query with the search cache off and on
}

func main() {
	var o options
	flag.IntVar(&o.users, "users", 5000, "members to seed")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long each measurement runs")
	flag.IntVar(&o.concurrency, "concurrency", 16, "concurrent client connections (lifecycles, search)")
	flag.IntVar(&o.readConns, "read-concurrency", 64, "concurrent client connections for GetUserBookingRequirements")
	flag.IntVar(&o.rounds, "rounds", 3, "alternating rounds per side-by-side measurement")
	flag.StringVar(&o.prism, "prism", "", "path to the prism CLI (npm @stoplight/prism-cli): also measure Prism mocking /openapi.json")
	flag.StringVar(&o.pg, "pg", "", "PostgreSQL admin DSN; a fresh database is created and dropped for the run")
	flag.BoolVar(&o.search, "search", false, "measure Search/SearchProfiles instead of webcam bookings")
	flag.BoolVar(&o.email, "email", false, "measure Email (GetEmails, a deep page, Search, GetUnreadEmails) on a mailbox at scale instead")
	flag.IntVar(&o.messages, "messages", 5_000_000, "with -email: message copies to bulk-load after the seed")
	flag.IntVar(&o.big, "big", 100_000, "with -email: how many of them land in one member's inbox")
	flag.DurationVar(&o.searchTTL, "search-cache-ttl", 30*time.Second, "the server's search cache TTL, as awapi serve's --search-cache-ttl")
	flag.BoolVar(&o.compare, "compare", false, "with -search: measure each query with the search cache off (a count and OFFSET every request) and on, side by side")
	flag.StringVar(&o.db, "db", "", "with -search: measure this already seeded database (SQLite file or postgres:// DSN) instead of seeding")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (server and load generator) to this file")
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
		fmt.Fprintln(os.Stderr, "awapi-load:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	fmt.Printf("awapi-load: %d members, %s per measurement in %d alternating rounds, GOMAXPROCS %d, %s/%s\n  machine: %s\n",
		o.users, o.duration, o.rounds, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, machine())
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
	var t table
	for _, e := range engines {
		env, err := setUp(ctx, e.dsn, o.users, !o.search && !o.email, o.db == "", o.searchTTL)
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		if o.email {
			err := emailLoad(ctx, env, e.name, o)
			env.close()
			if err != nil {
				return fmt.Errorf("%s email: %w", e.name, err)
			}
			continue
		}
		if o.search {
			err := searchLoad(ctx, env, e.name, o)
			env.close()
			if err != nil {
				return fmt.Errorf("%s search: %w", e.name, err)
			}
			continue
		}
		if err := requirements(env, e.name, o, &t); err != nil {
			return fmt.Errorf("%s requirements: %w", e.name, err)
		}
		if err := lifecycles(ctx, env, e.name, o, &t); err != nil {
			return fmt.Errorf("%s lifecycles: %w", e.name, err)
		}
		env.close()
	}
	t.print()
	return nil
}

// machine names the CPU, its count and the memory, from /proc, for the record.
func machine() string {
	model, mem := "unknown CPU", "unknown memory"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.0f GB", float64(kb)/(1<<20))
		}
	}
	return fmt.Sprintf("%d × %s, %s, %s", runtime.NumCPU(), model, mem, runtime.Version())
}

// table is the issue 11 table: each measurement with the figure before that work (taken from the
// issue, on this same kind of machine), today's, its reference in the same run, and the goal.
type table struct{ rows [][5]string }

func (t *table) add(name, before, now, reference, goal string) {
	t.rows = append(t.rows, [5]string{name, before, now, reference, goal})
}

func (t *table) print() {
	if len(t.rows) == 0 {
		return
	}
	head := [5]string{"Measurement", "Before (issue 11)", "Now", "Reference, same run", "Goal"}
	width := [5]int{}
	for _, r := range append([][5]string{head}, t.rows...) {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	fmt.Println()
	for i, r := range append([][5]string{head}, t.rows...) {
		for j, c := range r {
			fmt.Printf("| %s%s ", c, strings.Repeat(" ", width[j]-len([]rune(c))))
		}
		fmt.Println("|")
		if i == 0 {
			for j := range r {
				fmt.Printf("|%s", strings.Repeat("-", width[j]+2))
			}
			fmt.Println("|")
		}
	}
}

// env is a running server over a seeded store.
type env struct {
	st        *sqlstore.DB
	dsn       string
	base      string
	srv       *http.Server
	key       string // the load project's API key
	token     func(user int64) string
	perf      []int64 // webcam performers that take Skype bookings
	phonePerf []int64 // phone-chat performers who take bookings
	clients   []int64 // members in neither list, to book them
	now       time.Time
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
	e := &env{st: st, dsn: dsn, now: now, key: key}
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
		if len(e.phonePerf) == 64 {
			break
		}
		if _, found := slices.BinarySearch(e.perf, id); found {
			continue
		}
		if p, err := st.PhoneChatPerformer(ctx, id); err == nil && p.Bookable() {
			e.phonePerf = append(e.phonePerf, id)
		}
	}
	if webcam && len(e.phonePerf) < 8 {
		return nil, errors.New("too few phone-chat performers; seed more members")
	}
	for _, id := range ids {
		_, webcam := slices.BinarySearch(e.perf, id)
		if !webcam && !slices.Contains(e.phonePerf, id) {
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
			Scopes:    awapi.ScopeSet{awapi.ScopeAccountWebcamBookings, awapi.ScopeAccountPhonechatBookings, awapi.ScopeAccountCreditsHistory},
			ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
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
	// Configured as `awapi serve` configures production (not the sandbox helpers, not CORS).
	e.srv = &http.Server{Handler: httpapi.NewAPI(st, web.Config{Location: loc, AuthCacheTTL: cli.DefaultAuthCacheTTL}), ReadHeaderTimeout: 10 * time.Second}
	go e.srv.Serve(ln)
	return e, nil
}

// requirements compares GetUserBookingRequirements with a bare handler serving the same bytes and,
// with -prism, with Prism mocking the same operation from awapi's own OpenAPI document.
func requirements(e *env, engine string, o options, t *table) error {
	path := "/v1/WebCam/GetUserBookingRequirements?BookUserIDs=" + url.QueryEscape(fmt.Sprintf("%d,%d,%d,%d", e.perf[0], e.perf[1], e.perf[2], e.perf[3]))
	target := e.base + path
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
	ro := o
	ro.concurrency = o.readConns
	fmt.Printf("\nGetUserBookingRequirements (4 IDs, %d bytes), bearer token, %s, %d connections:\n", len(body), engine, ro.concurrency)
	api, raw := sideBySide(ro,
		func(c *http.Client) error { return get(c, target, len(body), "Authorization", token) },
		func(c *http.Client) error { return get(c, "http://"+ln.Addr().String()+"/", len(body)) })
	fmt.Printf("  %-28s %10s %10s %10s\n", "", "req/s", "p50", "p99")
	api.print("awapi")
	raw.print("bare net/http, same bytes")
	fmt.Printf("  awapi throughput is %.0f%% of the bare handler's; p50 %.1fx\n", 100*api.rps/raw.rps, float64(api.p50)/float64(raw.p50))
	before, goal := "7,224 req/s, p99 27 ms (22%)", "≥ 60% of bare"
	reference := fmt.Sprintf("bare net/http %s req/s", thousands(raw.rps))
	if engine == "postgres" {
		before, goal = "1,465 req/s, p99 127 ms (4%)", "≥ 40% of bare"
		// The floor under this row: PostgreSQL alone answering the request's one query, from as many
		// clients, on the same cores, with nothing else to do.
		if floor, err := pgbenchQuery(e.dsn, ro, e.perf[:4]); err != nil {
			fmt.Println("  pgbench floor not measured:", err)
		} else {
			fmt.Printf("  pgbench, the request's one query alone, %d clients: %s/s (awapi reaches %.0f%% of it)\n", ro.concurrency, thousands(floor), 100*api.rps/floor)
			reference += fmt.Sprintf("; pgbench, its one query alone: %s/s", thousands(floor))
		}
	}
	t.add("GetUserBookingRequirements, 4 IDs, "+engine, before,
		fmt.Sprintf("%s req/s, p99 %s (%.0f%%)", thousands(api.rps), ms(api.p99), 100*api.rps/raw.rps), reference, goal)
	if o.prism == "" {
		return nil
	}
	mock, stop, err := startPrism(e, o.prism)
	if err != nil {
		return fmt.Errorf("prism: %w", err)
	}
	defer stop()
	mockTarget := mock + path
	// Prism checks the security scheme's prefix as written ("Bearer"); awapi takes any case.
	mockToken := "Bearer " + strings.TrimPrefix(token, "bearer ")
	if _, _, err := fetch(mockTarget, "Authorization", mockToken); err != nil {
		return fmt.Errorf("prism: %w", err)
	}
	api, prism := sideBySide(ro,
		func(c *http.Client) error { return get(c, target, len(body), "Authorization", token) },
		func(c *http.Client) error { return get(c, mockTarget, -1, "Authorization", mockToken) })
	api.print("awapi")
	prism.print("Prism mocking /openapi.json")
	fmt.Printf("  awapi serves %.1f× Prism's throughput\n", api.rps/prism.rps)
	t.add("GetUserBookingRequirements vs Prism, "+engine, "8.1× (Prism 927 req/s)",
		fmt.Sprintf("%.1f×", api.rps/prism.rps), fmt.Sprintf("Prism %s req/s", thousands(prism.rps)), "≥ 10×")
	return nil
}

// pgbenchQuery runs pgbench (prepared statements, o.concurrency clients, o.duration) on the query
// GetUserBookingRequirements sends for ids, and returns its transactions per second.
func pgbenchQuery(dsn string, o options, ids []int64) (float64, error) {
	path, err := exec.LookPath("pgbench")
	if err != nil {
		return 0, err
	}
	f, err := os.CreateTemp("", "awapi-ubr-*.sql")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	list := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(ids)), ","), "[]")
	fmt.Fprintf(f, `SELECT m.user_id, m.nickname, m.is_active, m.is_webcam, m.directchat_only,
	COALESCE(w.software_types, ''), COALESCE(w.minimum_duration, 0)
	FROM members m LEFT JOIN webcam_settings w ON w.user_id = m.user_id
	WHERE m.user_id = ANY ('{%s}'::bigint[]) ORDER BY m.user_id;
`, list)
	f.Close()
	out, err := exec.Command(path, "-n", "-M", "prepared", "-c", fmt.Sprint(o.concurrency), "-j", fmt.Sprint(runtime.NumCPU()),
		"-T", fmt.Sprint(max(1, int(o.duration.Seconds()))), "-f", f.Name(), dsn).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%w: %s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		var tps float64
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "tps = %f", &tps); err == nil {
			return tps, nil
		}
	}
	return 0, fmt.Errorf("no tps in pgbench output: %s", out)
}

// startPrism runs `prism mock` on awapi's own OpenAPI document and waits until it answers.
func startPrism(e *env, prismCLI string) (base string, stop func(), err error) {
	doc, _, err := fetch(e.base + "/openapi.json")
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp("", "awapi-openapi-*.json")
	if err != nil {
		return "", nil, err
	}
	if _, err := f.Write(doc); err != nil {
		return "", nil, err
	}
	f.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(prismCLI, "mock", "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--errors", "false", f.Name())
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); os.Remove(f.Name()) }
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if resp, err := http.Get(base + "/v1/Lists/GetGenders"); err == nil {
			resp.Body.Close()
			return base, stop, nil
		}
		time.Sleep(200 * time.Millisecond) // polling an external process until it listens
	}
	stop()
	return "", nil, errors.New("prism did not start within 60 s")
}

// lifecycles runs create → accept → confirm loops through HTTP and, alternating with them, the same
// three transactions called on the store in-process, each worker with its own client and performer
// so the measurement is of the work, not of contention on one row.
func lifecycles(ctx context.Context, e *env, engine string, o options, t *table) error {
	workers := min(o.concurrency, len(e.perf), len(e.clients))
	for w := range workers {
		if _, err := e.st.AddCredits(ctx, e.clients[w], 1_000_000_00, "load test credits", e.now); err != nil {
			return err
		}
	}
	var i atomic.Int64
	overHTTP := func(w int, c *http.Client) error {
		client, performer := e.clients[w], e.perf[w]
		return lifecycle(c, e, "bearer "+e.token(client), "bearer "+e.token(performer), performer, int(i.Add(1)))
	}
	inProcess := func(w int, _ *http.Client) error {
		return storeLifecycle(ctx, e, e.clients[w], e.perf[w], int(i.Add(1)))
	}
	phoneWorkers := min(workers, len(e.phonePerf))
	phoneOverHTTP := func(w int, c *http.Client) error {
		client, performer := e.clients[w], e.phonePerf[w]
		return phoneChatLifecycle(c, e, "bearer "+e.token(client), "bearer "+e.token(performer), performer, int(i.Add(1)))
	}
	var viaHTTP, viaStore, phone count
	round := o.duration / time.Duration(o.rounds)
	for range o.rounds {
		viaHTTP.add(workLoop(workers, round, overHTTP))
		viaStore.add(workLoop(workers, round, inProcess))
		phone.add(workLoop(phoneWorkers, round, phoneOverHTTP))
	}
	fmt.Printf("\nbooking lifecycles (create → accept → confirm), %s, %d workers:\n", engine, workers)
	fmt.Printf("  webcam over HTTP (3 requests each):        %s\n", viaHTTP)
	fmt.Printf("  the same transactions on the store:        %s\n", viaStore)
	fmt.Printf("  phone chat over HTTP (%2d workers):          %s\n", phoneWorkers, phone)
	fmt.Printf("  HTTP keeps %.0f%% of the store's rate; phone chat runs %.0f%% of webcam's\n",
		100*viaHTTP.rate()/viaStore.rate(), 100*phone.rate()/viaHTTP.rate())
	before, goal := "446–483/s", "≥ 1,000/s"
	if engine == "postgres" {
		before, goal = "138–203/s", "≥ 60% of the floor"
	}
	t.add("booking lifecycles, "+engine, before, fmt.Sprintf("%s/s (%.0f%%)", thousands(viaHTTP.rate()), 100*viaHTTP.rate()/viaStore.rate()),
		fmt.Sprintf("same transactions, no HTTP: %s/s", thousands(viaStore.rate())), goal)
	t.add("phone-chat lifecycles, "+engine, "none", fmt.Sprintf("%s/s", thousands(phone.rate())),
		fmt.Sprintf("webcam over HTTP: %s/s", thousands(viaHTTP.rate())), "measured")
	return nil
}

// count is how many units of work finished (and failed) in how long.
type count struct {
	done, failed int64
	elapsed      time.Duration
	firstErr     error
}

func (c *count) add(o count) {
	c.done, c.failed, c.elapsed = c.done+o.done, c.failed+o.failed, c.elapsed+o.elapsed
	if c.firstErr == nil {
		c.firstErr = o.firstErr
	}
}

func (c count) rate() float64 { return float64(c.done) / c.elapsed.Seconds() }

func (c count) String() string {
	s := fmt.Sprintf("%.0f/s (%d in %s, %d failed)", c.rate(), c.done, c.elapsed.Round(time.Millisecond), c.failed)
	if c.firstErr != nil {
		s += "; first failure: " + c.firstErr.Error()
	}
	return s
}

// workLoop runs fn from workers goroutines (each with its own index and HTTP client) for d.
func workLoop(workers int, d time.Duration, fn func(w int, c *http.Client) error) count {
	var done, failed atomic.Int64
	var first atomic.Pointer[error]
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := newClient(1)
			for time.Now().Before(deadline) {
				if err := fn(w, c); err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, &err)
					continue
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	r := count{done: done.Load(), failed: failed.Load(), elapsed: time.Since(start)}
	if p := first.Load(); p != nil {
		r.firstErr = *p
	}
	return r
}

// storeLifecycle is lifecycle without HTTP: the same domain rules and store calls the handlers make.
func storeLifecycle(ctx context.Context, e *env, client, performer int64, i int) error {
	now := time.Now()
	ps, err := e.st.WebcamPerformers(ctx, []int64{performer})
	if err != nil {
		return err
	}
	r := awapi.WebcamRequest{ClientID: client, BookUserIDs: []int64{performer}, SessionDate: sessionDate(now, i),
		Duration: 30, Credits: 20_00, SoftwareTypeID: awapi.SoftwareSkype, SignInNameOrEmail: "load.test"}
	b, err := r.Booking(ps, false, now)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if b, err = e.st.CreateBooking(ctx, b, 0); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	engine := awapi.Bookings{Store: e.st, Service: awapi.ServiceWebcam}
	if _, err := engine.Accept(ctx, performer, b.BookingID, 20_00, time.Now()); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if _, err := engine.Confirm(ctx, client, b.BookingID, time.Now()); err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	return nil
}

// sessionDate spreads the measured bookings over the next three weeks, on whole minutes.
func sessionDate(now time.Time, i int) time.Time {
	return now.Add(time.Duration(24+i%500) * time.Hour).Truncate(time.Minute)
}

func lifecycle(c *http.Client, e *env, clientTok, perfTok string, performer int64, i int) error {
	session := sessionDate(time.Now(), i)
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

// phoneChatLifecycle is the phone-chat lifecycle: the performer calls the client (Method 1, which every
// phone-chat performer takes), 30 minutes for 100.00 credits (above any seeded PPM × 30).
func phoneChatLifecycle(c *http.Client, e *env, clientTok, perfTok string, performer int64, i int) error {
	session := sessionDate(time.Now(), i)
	loc, _ := time.LoadLocation("Europe/London")
	var b struct{ BookingID int64 }
	err := post(c, e.base+"/v1/PhoneChat/CreateBooking", clientTok, map[string]any{
		"BookUserID": performer, "SessionDate": session.In(loc).Format("2006-01-02 15:04"), "Duration": 30, "Method": awapi.MethodPerformerCalls,
		"PhoneNumber": "07700900123", "Credits": "100.00", "AcceptBy": session.Add(-time.Hour).In(loc).Format("2006-01-02 15:04")}, &b)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if err := post(c, e.base+"/v1/PhoneChat/AcceptReceivedBooking", perfTok, map[string]any{"BookingID": b.BookingID, "Credits": "100.00"}, nil); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if err := post(c, e.base+"/v1/PhoneChat/ConfirmMadeBooking", clientTok, map[string]any{"BookingID": b.BookingID}, nil); err != nil {
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

// sideBySide measures a and b in o.rounds alternating rounds of o.duration/o.rounds each, so that
// whatever else the machine does weighs on both alike.
func sideBySide(o options, a, b func(*http.Client) error) (result, result) {
	var la, lb latencies
	per := o
	per.duration = o.duration / time.Duration(o.rounds)
	for range o.rounds {
		la.add(load(per, a))
		lb.add(load(per, b))
	}
	return la.result(), lb.result()
}

// latencies are the timings of the successful requests of one or more load rounds.
type latencies struct {
	times   []time.Duration
	elapsed time.Duration
	errors  int
}

func (l *latencies) add(o latencies) {
	l.times, l.elapsed, l.errors = append(l.times, o.times...), l.elapsed+o.elapsed, l.errors+o.errors
}

func (l latencies) result() result {
	slices.Sort(l.times)
	r := result{rps: float64(len(l.times)) / l.elapsed.Seconds(), errors: l.errors}
	if n := len(l.times); n > 0 {
		r.p50, r.p99 = l.times[n/2], l.times[n*99/100]
	}
	return r
}

// load runs fn from o.concurrency goroutines for o.duration and collects the latencies.
func load(o options, fn func(*http.Client) error) latencies {
	var (
		mu  sync.Mutex
		all latencies
	)
	c := newClient(o.concurrency)
	deadline := time.Now().Add(o.duration)
	start := time.Now()
	var wg sync.WaitGroup
	for range o.concurrency {
		wg.Go(func() {
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
			all.times = append(all.times, mine...)
			all.errors += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all
}

// thousands writes a rate as a whole number with thousands separators (7,224).
func thousands(f float64) string {
	s := fmt.Sprintf("%.0f", f)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

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
