package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
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
// 500 from a plan that was not built yet. A body method is the case from the issue (a booking stored
// and answered 500); Test/Any answers an interface, whose dynamic type no server can prepare, and
// Test/Tree a recursive model.
func TestFirstConcurrentRequests(t *testing.T) {
	forEngines(t, func(t *testing.T, f *fixture) {
		tree := Handle(Endpoint{Method: "GET", Path: "/v1/Test/Tree", Auth: AuthKey},
			func(context.Context, *Call, *noParams) (planTree, error) {
				return planTree{Name: "root", Next: &planTree{Name: "next"}, Children: []planTree{{Name: "child"}},
					ByName: map[string]*planTree{"k": {Name: "mapped"}}, Any: &planTree{Name: "dynamic"}}, nil
			})
		echo := `{"Name":"abc","Credits":12,"SessionDate":"2026-12-01 18:30","IDs":"1,2","Items":[{"BookingID":7}]}`
		requests := []struct {
			name, method, target, body string
			headers                    []string
			status                     int
		}{
			{"json", "GET", "/v1/Test/Regions?CountryID=158", "", f.WithKey(), 200},
			{"xml", "GET", "/v1/Test/Regions?CountryID=158", "", f.WithKey("Accept", "application/xml"), 200},
			{"error", "GET", "/v1/Test/Regions", "", f.WithKey(), 400},
			{"error xml", "GET", "/v1/Test/Regions", "", f.WithKey("Accept", "text/xml"), 400},
			{"recursive model", "GET", "/v1/Test/Tree", "", f.WithKey(), 200},
			{"recursive model xml", "GET", "/v1/Test/Tree", "", f.WithKey("Accept", "application/xml"), 200},
			{"images", "GET", "/v1/Test/Images", "", f.WithKey("X-MaskImages", "1"), 200},
			{"interface answer", "GET", "/v1/Test/Any", "", f.WithKey(), 200},
			{"interface answer xml", "GET", "/v1/Test/Any", "", f.WithKey("Accept", "application/xml"), 200},
			{"body method", "POST", "/v1/Test/Echo", echo, f.Bearer("client", "Content-Type", "application/json"), 200},
		}
		const rounds, concurrent = 20, 16
		for _, rq := range requests {
			t.Run(rq.name, func(t *testing.T) {
				bad := map[int]int{}
				for range rounds {
					forgetPlans()
					srv := New(f.St, Config{Location: f.srv.cfg.Location, Clock: f.Clock}, append(testEndpoints(), tree)...)
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
