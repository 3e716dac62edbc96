package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
)

// searchQueries are the SearchProfiles requests measured: a typical client query, a proximity query
// and a deep page of the typical one.
var searchQueries = []struct {
	name  string
	query string
	plan  func(now time.Time) awapi.ProfileQuery
}{
	{"typical (gender+age+country, 50)", "GenderIDs=1&MinAge=18&MaxAge=35&CountryID=158&ProfilesPerPage=50",
		func(now time.Time) awapi.ProfileQuery {
			return awapi.ProfileQuery{GenderIDs: []int{1}, MinAge: 18, MaxAge: 35, CountryID: 158, Order: awapi.OrderLastUpdated,
				Page: awapi.Page{Number: 1, Size: 50}, Now: now}
		}},
	{"proximity (SW1, 25 miles)", "LocationZipCode=SW1&LocationProximityMiles=25",
		func(now time.Time) awapi.ProfileQuery {
			near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(25))
			return awapi.ProfileQuery{Near: near, Order: awapi.OrderLastUpdated, Page: awapi.Page{Number: 1, Size: 50}, Now: now}
		}},
	{"deep page (typical, page 200)", "GenderIDs=1&MinAge=18&MaxAge=35&CountryID=158&ProfilesPerPage=50&PageNumber=200",
		func(now time.Time) awapi.ProfileQuery {
			return awapi.ProfileQuery{GenderIDs: []int{1}, MinAge: 18, MaxAge: 35, CountryID: 158, Order: awapi.OrderLastUpdated,
				Page: awapi.Page{Number: 200, Size: 50}, Now: now}
		}},
}

// searchLoad makes sure the planner has statistics (as awapi serve does), prints each query's plans,
// then measures SearchProfiles with the API key and reports the process's peak RSS while serving.
// With -compare a second server on a second store with the search cache off runs beside it, and
// each query is measured on both in turn.
func searchLoad(ctx context.Context, e *env, engine string, o options) error {
	start := time.Now()
	if err := e.st.Optimize(ctx); err != nil {
		return err
	}
	fmt.Printf("  %s: statistics checked in %s\n", engine, time.Since(start).Round(time.Millisecond))
	for _, q := range searchQueries {
		plans, err := e.st.ExplainProfileSearch(ctx, q.plan(time.Now()), false)
		if err != nil {
			return err
		}
		fmt.Printf("\n  plan, %s, %s:\n    count: %s\n    page:  %s\n", engine, q.name,
			strings.Join(plans.Count, "\n           "), strings.Join(plans.Page, "\n           "))
		if plans.Seek != nil {
			fmt.Printf("    seek:  %s\n", strings.Join(plans.Seek, "\n           "))
		}
	}
	servers := []struct{ name, base string }{{fmt.Sprintf("cache %s", o.searchTTL), e.base}}
	if o.compare {
		off, err := setUp(ctx, e.dsn, 0, false, false, 0)
		if err != nil {
			return err
		}
		defer off.close()
		servers = []struct{ name, base string }{{"count+OFFSET", off.base}, servers[0]}
	}
	// The seeding above ran in this process; reset the high-water mark so VmHWM is the serving peak.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	fmt.Printf("\nSearch/SearchProfiles, API key, %s, %d connections:\n", engine, o.concurrency)
	fmt.Printf("  %-34s %-14s %10s %10s %10s %8s %9s\n", "", "", "req/s", "p50", "p99", "total", "CPU/req")
	for _, q := range searchQueries {
		for _, srv := range servers {
			target := srv.base + "/v1/Search/SearchProfiles?" + q.query
			total, err := searchTotal(target, e.key)
			if err != nil {
				return err
			}
			before := cpuTime()
			r := load(o, func(c *http.Client) error { return get(c, target, -1, "X-ApiKey", e.key) }).result()
			cpu := (cpuTime() - before) / time.Duration(max(1, r.rps*o.duration.Seconds()))
			fmt.Printf("  %-34s %-14s %10.0f %10s %10s %8d %9s", q.name, srv.name, r.rps, r.p50.Round(time.Microsecond),
				r.p99.Round(time.Microsecond), total, cpu.Round(10*time.Microsecond))
			if r.errors > 0 {
				fmt.Printf("  (%d errors)", r.errors)
			}
			fmt.Println()
		}
	}
	fmt.Printf("  peak RSS while serving (VmHWM): %s\n", vmHWM())
	fmt.Println("  CPU/req: this process's CPU time (server and load generator; not PostgreSQL's) per request.")
	fmt.Println("  On a machine of its own, 16 connections on 2 cores wait about 8 × CPU/req on average.")
	return nil
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// searchTotal fetches one page and returns its ProfilesTotal, checking the query works.
func searchTotal(target, key string) (int, error) {
	b, _, err := fetch(target, "X-ApiKey", key)
	if err != nil {
		return 0, err
	}
	var total int
	if i := bytes.Index(b, []byte(`"ProfilesTotal":`)); i >= 0 {
		_, _ = fmt.Sscanf(string(b[i+len(`"ProfilesTotal":`):]), "%d", &total)
	}
	return total, nil
}

// vmHWM reads the process's peak resident set size from /proc/self/status.
func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
