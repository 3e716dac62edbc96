package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/geo"
	"github.com/awapi/awapi/internal/testdb"
	"github.com/awapi/awapi/sqlstore"
	"github.com/awapi/awapi/sqlstore/storetest"
)

// TestMaxConns: PostgreSQL's pool holds Options.MaxConns connections, DefaultMaxConns when unset.
func TestMaxConns(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without AWAPI_TEST_POSTGRES
	for _, tc := range []struct{ set, want int }{{0, sqlstore.DefaultMaxConns}, {4, 4}, {64, 64}} {
		st, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{MaxConns: tc.set})
		if err != nil {
			t.Fatal(err)
		}
		if got := st.SQL().Stats().MaxOpenConnections; got != tc.want {
			t.Errorf("MaxConns %d: the pool holds %d connections, want %d", tc.set, got, tc.want)
		}
		st.Close()
	}
}

// TestAnyOf: a list of values is one parameter on both engines; the empty list matches nothing,
// duplicates and unknown values are harmless, 1,000 values work, every length runs the same text,
// and the primary key serves the lookup.
func TestAnyOf(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			var ms []awapi.Member
			for id := int64(1); id <= 1200; id++ {
				m := storetest.NewMember(id, fmt.Sprintf("m%04d", id))
				m.GenderID = int(id%3) + 1
				ms = append(ms, m)
			}
			if err := st.InsertMembers(ctx, ms); err != nil {
				t.Fatal(err)
			}
			thousand := make([]int64, 1000)
			for i := range thousand {
				thousand[i] = int64(1200 - i) // 1200 down to 201
			}
			want1000 := slices.Clone(thousand)
			slices.Sort(want1000)
			ids := []struct {
				name      string
				ids, want []int64
			}{
				{"nil", nil, nil},
				{"empty", []int64{}, nil},
				{"one", []int64{7}, []int64{7}},
				{"many", []int64{9, 3, 5}, []int64{3, 5, 9}},
				{"duplicates", []int64{4, 4, 2, 4}, []int64{2, 4}},
				{"unknown", []int64{0, -1, 5000, 11}, []int64{11}},
				{"1000", thousand, want1000},
			}
			texts := func() int { ts, _ := st.Texts(); return len(ts) }
			before := -1
			for _, tc := range ids {
				got, err := sqlstore.MembersAmong(ctx, st, "user_id", tc.ids)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s: got %v, want %v", tc.name, short(got), short(tc.want))
				}
				if before < 0 {
					before = texts()
				} else if n := texts(); n != before {
					t.Errorf("%s: the executor ran %d texts, %d before: the list changed the text", tc.name, n, before)
				}
			}
			names, err := sqlstore.MembersAmong(ctx, st, "nickname", []string{"m0010", "m0002", "m0010", "nobody", `o'hara "x"`})
			if err != nil || !slices.Equal(names, []int64{2, 10}) {
				t.Errorf("strings: %v %v", names, err)
			}
			genders, err := sqlstore.MembersAmong(ctx, st, "gender_id", []int{3})
			if err != nil || len(genders) != 400 || genders[0] != 2 {
				t.Errorf("ints: %d members from %v, %v", len(genders), short(genders), err)
			}
			plan, err := sqlstore.ExplainMembersAmong(ctx, st, "user_id", []int64{1, 2, 3})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			if !strings.Contains(text, "INTEGER PRIMARY KEY") && !strings.Contains(text, "members_pkey") {
				t.Errorf("the list does not probe the primary key:\n%s", text)
			}
		})
	}
}

func short(ids []int64) []int64 {
	if len(ids) > 6 {
		return append(slices.Clone(ids[:6]), -999)
	}
	return ids
}

// TestStatementsPreparedOnce: running the same store methods again compiles nothing new, whatever
// the lengths of their lists: on SQLite the store's statement cache counts what it compiles; on
// PostgreSQL pg_prepared_statements lists each statement of the connection once, with the plans it
// ran. Key lookups keep a cached (generic) plan there, while searches never become prepared
// statements: PostgreSQL plans them for their values on every run.
func TestStatementsPreparedOnce(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			// One connection, so what it prepared is what every call reuses (and all
			// pg_prepared_statements shows).
			st.SQL().SetMaxOpenConns(1)
			var ms []awapi.Member
			for id := int64(1); id <= 60; id++ {
				m := storetest.NewMember(id, fmt.Sprintf("m%d", id))
				m.IsWebcam, m.PostCode = true, "SW1A"
				ms = append(ms, m)
			}
			must(t, st.InsertMembers(ctx, ms))
			p, err := st.CreateProject(ctx, awapi.NewProject{Name: "p", APIKeyDigest: []byte("key"), APIKeyPrefix: "awk_p",
				APISecretDigest: []byte("secret")})
			must(t, err)
			digest := []byte("0123456789abcdef0123456789abcdef")
			must(t, st.CreateAccessToken(ctx, digest, awapi.AccessToken{UserID: 1, ProjectID: p.ProjectID,
				Scopes: awapi.ScopeSet{awapi.ScopeUserID}, ExpiresAt: now.Add(time.Hour)}))
			near, _ := awapi.NearDistricts("SW1", geo.MilesToKm(5))
			work := func(i int) {
				if _, _, err := st.AccessToken(ctx, digest, now); err != nil {
					t.Fatal(err)
				}
				ids := make([]int64, i%50+1) // 1 to 50 performers
				for j := range ids {
					ids[j] = int64(j + 1)
				}
				if ps, err := st.WebcamPerformers(ctx, ids); err != nil || len(ps) != len(ids) {
					t.Fatal(len(ps), err)
				}
				// A proximity search over a varying number of districts.
				some := map[string]float64{}
				for code, km := range near {
					if len(some) <= i%len(near) {
						some[code] = km
					}
				}
				some["SW1A"] = 0.5
				if _, _, err := st.SearchProfiles(ctx, awapi.ProfileQuery{Near: some, Order: awapi.OrderDistance,
					Page: awapi.Page{Number: 1, Size: 10}, Now: now}); err != nil {
					t.Fatal(err)
				}
			}
			work(0)
			prepared := st.Prepares()
			const runs = 100
			for i := 1; i <= runs; i++ {
				work(i)
			}
			switch st.Engine() {
			case sqlstore.SQLite:
				if n := st.Prepares() - prepared; n != 0 {
					t.Errorf("%d more statements compiled over %d more runs; want none", n, runs)
				}
			case sqlstore.Postgres:
				rows, err := st.SQL().QueryContext(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`)
				must(t, err)
				defer rows.Close()
				seen := map[string]int{}
				for rows.Next() {
					var (
						text            string
						generic, custom int64
					)
					must(t, rows.Scan(&text, &generic, &custom))
					for _, s := range []string{"FROM access_tokens t JOIN projects", "LEFT JOIN webcam_settings", "FROM near"} {
						if !strings.Contains(text, s) {
							continue
						}
						seen[s]++
						if s == "FROM access_tokens t JOIN projects" && (generic+custom != runs+1 || generic == 0) {
							t.Errorf("AccessToken's statement ran %d generic and %d custom plans; want %d runs, most of them on the cached plan",
								generic, custom, runs+1)
						}
					}
				}
				must(t, rows.Err())
				if seen["FROM access_tokens t JOIN projects"] != 1 || seen["LEFT JOIN webcam_settings"] != 1 {
					t.Errorf("prepared statements per method: %v; want 1 each", seen)
				}
				if seen["FROM near"] != 0 {
					t.Errorf("%d proximity search statements kept prepared; want none (planned per run)", seen["FROM near"])
				}
			}
		})
	}
}

// TestStatementTextsBounded runs the conformance suite and counts the distinct texts the executor
// ran: they are a bounded set (no text embeds a list) that fits a connection's statement cache.
func TestStatementTextsBounded(t *testing.T) {
	var (
		mu     sync.Mutex
		stores []*sqlstore.DB
	)
	t.Run("suite", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) awapi.Store {
			st := testdb.SQLite(tb)
			mu.Lock()
			defer mu.Unlock()
			stores = append(stores, st)
			return st
		})
	})
	all := map[string]bool{}
	for _, st := range stores {
		texts, overflow := st.Texts()
		if overflow != 0 {
			t.Errorf("%d runs found the executor's text map full", overflow)
		}
		for _, text := range texts {
			all[text] = true
		}
	}
	t.Logf("%d distinct statement texts over %d stores", len(all), len(stores))
	if len(all) > sqlstore.StmtCacheSize {
		t.Errorf("%d distinct statement texts; a connection caches %d", len(all), sqlstore.StmtCacheSize)
	}
	for text := range all {
		// A list written as placeholders: IN (?, ?, …) or multi-row VALUES (…), (…).
		if strings.Contains(text, "IN (?") || strings.Contains(text, "), (?") || strings.Contains(text, "),(?") {
			t.Errorf("a text with a list of placeholders: %.200s", text)
		}
	}
}

// TestErrorsNameTheOperation calls every exported store method on a closed store: each unexpected
// error names the method it came from, while the domain's errors pass unchanged.
func TestErrorsNameTheOperation(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			st := e.Open(t)
			_, err := st.Member(ctx, 999)
			var domain *awapi.Error
			if !errors.As(err, &domain) || err.Error() != awapi.NotFound("The member").Error() {
				t.Errorf("a missing member: %v; want the domain's not-found error unchanged", err)
			}
			must(t, st.Close())
			v := reflect.ValueOf(st)
			errType := reflect.TypeFor[error]()
			wrapped := 0
			for i := range v.NumMethod() {
				m, name := v.Method(i), v.Type().Method(i).Name
				mt := m.Type()
				if name == "Close" || mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != errType {
					continue
				}
				args := make([]reflect.Value, mt.NumIn())
				for j := range args {
					args[j] = reflect.Zero(mt.In(j))
					if mt.In(j) == reflect.TypeFor[context.Context]() {
						args[j] = reflect.ValueOf(ctx)
					}
				}
				out := m.Call(args)
				err, _ := out[len(out)-1].Interface().(error)
				switch {
				case err == nil || errors.As(err, &domain):
					// Nothing to read (an empty list), or refused before reading.
				case !strings.HasPrefix(err.Error(), "sqlstore: "+name+": "):
					t.Errorf("%s: %q does not name the operation", name, err)
				case errors.Unwrap(err) == nil:
					t.Errorf("%s: %q does not wrap its cause", name, err)
				default:
					wrapped++
				}
			}
			if wrapped < 70 {
				t.Errorf("only %d methods failed on the closed store", wrapped)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
