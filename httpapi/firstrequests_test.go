package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awapi/awapi"
)

// forgetPlans empties the process-wide encoder caches, so the next server starts as a freshly
// started process does. Tests in this package do not run in parallel, so nothing encodes meanwhile.
func forgetPlans() {
	jsonPlans.Clear()
	xmlPlans.Clear()
}

// fireAtOnce sends n copies of one request to h from n goroutines released together and returns the
// answers.
func fireAtOnce(h *Server, n int, method, target, body string, headers ...string) []*httptest.ResponseRecorder {
	out := make([]*httptest.ResponseRecorder, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		for j := 0; j+1 < len(headers); j += 2 {
			req.Header.Set(headers[j], headers[j+1])
		}
		out[i] = httptest.NewRecorder()
		wg.Go(func() {
			<-start
			h.ServeHTTP(out[i], req)
		})
	}
	close(start)
	wg.Wait()
	return out
}

// TestFirstConcurrentRequests hits many fresh servers, each with the process's encoder plans
// forgotten, with 16 identical first requests at once: every one must get its own answer, never a
// 500 from a plan that was not built yet. CreateBooking is the case from the issue (a booking stored
// and answered 500); GetTopList answers an interface, whose dynamic type no server can prepare.
func TestFirstConcurrentRequests(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		webcamFixture(t, f)
		client := f.mint(1, awapi.ScopeAccountWebcamBookings)
		booking, _ := json.Marshal(newBooking(f, "10,11", nil))
		requests := []struct {
			name, method, target, body string
			headers                    []string
			status                     int
		}{
			{"json", "GET", "/v1/Lists/GetRegions?CountryID=158", "", f.withKey(), 200},
			{"xml", "GET", "/v1/Lists/GetRegions?CountryID=158", "", f.withKey("Accept", "application/xml"), 200},
			{"error", "GET", "/v1/Lists/GetRegions", "", f.withKey(), 400},
			{"error xml", "GET", "/v1/Lists/GetRegions", "", f.withKey("Accept", "text/xml"), 400},
			{"large model", "GET", "/v1/Search/searchTours?CountryID=158&RegionID=7", "", f.withKey(), 200},
			{"large model xml", "GET", "/v1/Groups/getGroupDetails?GroupID=1", "", f.withKey("Accept", "application/xml"), 200},
			{"interface answer", "GET", "/v1/Lists/GetTopList?Type=WebcamViews&DateRange=Today", "", f.withKey(), 200},
			{"interface answer xml", "GET", "/v1/Lists/GetTopList?Type=EscortRatings&DateRange=Today", "", f.withKey("Accept", "application/xml"), 200},
			{"create booking", "POST", "/v1/Webcam/CreateBooking", string(booking),
				[]string{"Authorization", "bearer " + client, "Content-Type", "application/json"}, 200},
		}
		const rounds, concurrent = 20, 16
		for _, rq := range requests {
			t.Run(rq.name, func(t *testing.T) {
				bad := map[int]int{}
				for range rounds {
					forgetPlans()
					srv := NewAPI(f.st, Config{Location: f.srv.cfg.Location, Clock: f.clock})
					for _, w := range fireAtOnce(srv, concurrent, rq.method, rq.target, rq.body, rq.headers...) {
						if w.Code != rq.status {
							bad[w.Code]++
						}
					}
				}
				if len(bad) > 0 {
					t.Fatalf("%d rounds of %d first requests: unexpected statuses %v (want all %d)", rounds, concurrent, bad, rq.status)
				}
			})
		}
	})
}

// planTree is recursive through a pointer, a slice and a map, the shapes that meet their own plan
// while it is being built.
type planTree struct {
	Name     string
	Next     *planTree
	Children []planTree
	ByName   map[string]*planTree
	Any      any
}

// TestEncoderPlansConcurrentFirstUse builds the plans of fresh types from many goroutines at once,
// with no server to prepare them: every encode must succeed and write the same bytes.
func TestEncoderPlansConcurrentFirstUse(t *testing.T) {
	value := planTree{Name: "root", Next: &planTree{Name: "next"}, Children: []planTree{{Name: "child"}},
		ByName: map[string]*planTree{"k": {Name: "mapped"}}, Any: &planTree{Name: "dynamic"}}
	encode := func(xml bool) (out string, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		e := &encoder{opts: encOptions{loc: time.UTC}}
		if xml {
			e.xmlRoot(value, "planTree", "ns")
		} else {
			e.jsonValue(value)
		}
		return string(e.buf), nil
	}
	forgetPlans()
	wantJSON, err1 := encode(false)
	wantXML, err2 := encode(true)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for round := range 200 {
		forgetPlans()
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, 32)
		for i := range 32 {
			wg.Go(func() {
				<-start
				xml := i%2 == 1
				got, err := encode(xml)
				if want := map[bool]string{false: wantJSON, true: wantXML}[xml]; err == nil && got != want {
					err = fmt.Errorf("wrote %s, want %s", got, want)
				}
				if err != nil {
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// TestEncoderPlanPanicIsNotCached checks that a type the encoder cannot write panics on every use,
// rather than leaving a forwarder that waits for ever.
func TestEncoderPlanPanicIsNotCached(t *testing.T) {
	type bad struct{ F func() }
	for range 2 {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic for an unencodable type")
				}
			}()
			jsonEncoder(reflect.TypeFor[bad]())
		}()
	}
}
