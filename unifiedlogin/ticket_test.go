package unifiedlogin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/awapi/awapi/internal/testdb"
)

// TestConsentSingleUse: a consent form takes effect once. Sent again, or many times at once to three
// instances sharing the database, it mints exactly one code (or token) and one grant.
func TestConsentSingleUse(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			fs := instances(t, e.Name, 3, Config{})
			f := fs[0]
			grants := func() int {
				t.Helper()
				gs, err := f.st.Grants(context.Background(), 1)
				if err != nil {
					t.Fatal(err)
				}
				return len(gs)
			}

			// Twice in a row: the second answer is a page saying so, not another redirect.
			b := f.browser()
			consent := b.signIn(authorizeQuery(f.app.id, "code", appRedirect, scope), "alice", password)
			form := consent.hidden()
			form.Set("decision", "approve")
			if p := b.post("/OAuth/Authorize/Consent", form); p.status != 302 || !strings.Contains(p.location, "code=") {
				t.Fatalf("first submission: %d %q", p.status, p.location)
			}
			for _, decision := range []string{"approve", "deny"} {
				form.Set("decision", decision)
				if p := b.post("/OAuth/Authorize/Consent", form); p.status != 409 || p.location != "" || !strings.Contains(p.body, "ticket_spent") {
					t.Fatalf("second submission (%s): %d %q", decision, p.status, p.location)
				}
			}
			if n := grants(); n != 1 {
				t.Fatalf("%d grants after a form sent twice, want 1", n)
			}

			// Twelve at once, spread over the three instances, for each flow.
			for _, c := range []struct {
				client       clientCreds
				responseType string
				redirect     string
				mark         string
			}{
				{f.app, "code", appRedirect, "code="},
				{f.spa, "token", "https://spa.example/", "access_token="},
			} {
				before := grants()
				b := f.browser()
				consent := b.signIn(authorizeQuery(c.client.id, c.responseType, c.redirect, "userid"), "alice", password)
				form := consent.hidden()
				if form.Get("ticket") == "" {
					t.Fatalf("%s: no consent form: %d %s", c.responseType, consent.status, consent.body)
				}
				form.Set("decision", "approve")
				var (
					wg     sync.WaitGroup
					mu     sync.Mutex
					counts = map[int]int{}
					issued int
					start  = make(chan struct{})
				)
				for i := range 12 {
					bi := *b
					bi.f = fs[i%3]
					wg.Go(func() {
						<-start
						p, err := bi.tryPost("/OAuth/Authorize/Consent", form)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						defer mu.Unlock()
						counts[p.status]++
						if strings.Contains(p.location, c.mark) {
							issued++
						}
					})
				}
				close(start)
				wg.Wait()
				if counts[302] != 1 || counts[409] != 11 || issued != 1 {
					t.Fatalf("%s: answers %v, %d issued; want one redirect with a %s and 11×409", c.responseType, counts, issued, strings.TrimSuffix(c.mark, "="))
				}
				if n := grants() - before; n != 1 {
					t.Fatalf("%s: %d grants from one form, want 1", c.responseType, n)
				}
			}
		})
	}
}

// TestGrantsTicketSingleUse: the authorised-applications page's ticket is single-use too.
func TestGrantsTicketSingleUse(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	f.browser().approve(authorizeQuery(f.app.id, "code", appRedirect, scope))
	b := f.browser()
	form := b.get("/OAuth/Grants").hidden()
	form.Set("login", "alice")
	form.Set("password", password)
	list := b.post("/OAuth/Grants", form)
	rev := list.hidden()
	rev.Set("project_id", fmt.Sprint(f.app.project.ProjectID))
	if p := b.post("/OAuth/Grants/Revoke", rev); p.status != 200 {
		t.Fatalf("revoke: %d", p.status)
	}
	if p := b.post("/OAuth/Grants/Revoke", rev); p.status != 409 {
		t.Fatalf("the same revoke form again: %d", p.status)
	}
}

// TestTicketWithoutNonce: a validly signed ticket without a nonce (issued before tickets had one)
// is refused rather than spent under the one digest all such tickets would share.
func TestTicketWithoutNonce(t *testing.T) {
	f := newFixture(t, testdb.SQLite)
	b := f.browser()
	consent := b.signIn(authorizeQuery(f.app.id, "code", appRedirect, scope), "alice", password)
	form := consent.hidden()
	tk, err := f.h.verify(form.Get("ticket"), "consent", form.Get("csrf"), f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(tk)
	var raw map[string]any
	_ = json.Unmarshal(body, &raw)
	delete(raw, "n")
	body, _ = json.Marshal(raw)
	mac := hmac.New(sha256.New, f.h.key)
	mac.Write(body)
	form.Set("ticket", base64.RawURLEncoding.EncodeToString(body)+"."+base64.RawURLEncoding.EncodeToString(mac.Sum(nil)))
	form.Set("decision", "approve")
	if p := b.post("/OAuth/Authorize/Consent", form); p.status != 403 || p.location != "" {
		t.Fatalf("ticket without a nonce: %d %q", p.status, p.location)
	}
}
