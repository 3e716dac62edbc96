package sqlstore

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"
)

// searchCache remembers, for each profile search (its count statement and arguments), the number
// of matches and the sort keys that end the pages served, for a short time (Options.SearchCacheTTL).
// Counting every match of a broad search at 1,000,000 members is most of its cost
// (docs/search-plans.md), and a deep page read with OFFSET walks every row it skips; with the cache
// a search counts once per TTL, however many requests ask, and a page whose predecessor (or any
// earlier page) was served seeks to where that one ended.
type searchCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]*searchEntry
}

// maxSearchEntries bounds the searches remembered; past it, expired entries go, then all.
const maxSearchEntries = 10000

// maxPageEnds bounds the page ends one search remembers.
const maxPageEnds = 1000

type searchEntry struct {
	at    time.Time
	done  chan struct{} // closed once total is known
	total int
	err   error
	ends  map[int][]any // page number → sort key of the page's last row, under searchCache.mu
}

// total answers the search's number of matches: counted by count at most ttl before now, once for
// all the requests that ask meanwhile.
func (c *searchCache) total(ctx context.Context, key string, now time.Time, count func() (int, error)) (int, error) {
	c.mu.Lock()
	e := c.m[key]
	if e == nil || now.Sub(e.at) >= c.ttl || now.Before(e.at) {
		if len(c.m) >= maxSearchEntries {
			for k, old := range c.m {
				if now.Sub(old.at) >= c.ttl {
					delete(c.m, k)
				}
			}
			if len(c.m) >= maxSearchEntries {
				clear(c.m)
			}
		}
		e = &searchEntry{at: now, done: make(chan struct{}), ends: map[int][]any{}}
		c.m[key] = e
		c.mu.Unlock()
		e.total, e.err = count()
		if e.err != nil {
			c.mu.Lock()
			if c.m[key] == e {
				delete(c.m, key)
			}
			c.mu.Unlock()
		}
		close(e.done)
		return e.total, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.total, e.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// start answers the nearest page before page whose end is known, and that end's sort key; 0 and
// nil when none is.
func (c *searchCache) start(key string, now time.Time, page int) (int, []any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[key]
	if e == nil || now.Sub(e.at) >= c.ttl {
		return 0, nil
	}
	if end, ok := e.ends[page-1]; ok { // the usual case: the client reads the pages in turn
		return page - 1, end
	}
	best := 0
	for p := range e.ends {
		if p < page && p > best {
			best = p
		}
	}
	return best, e.ends[best]
}

// ended records the sort key of page's last row.
func (c *searchCache) ended(key string, page int, end []any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[key]; e != nil && len(e.ends) < maxPageEnds {
		e.ends[page] = end
	}
}

// searchKey identifies a search by its ordering, count statement and arguments: their SHA-256, so
// an entry costs the same small key whatever the search (a location search's districts are kilobytes).
func searchKey(order string, q *pagedQuery) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s", order, q.countSQL())
	for _, a := range q.args {
		fmt.Fprintf(h, "\x00%T:%v", a, a)
	}
	return string(h.Sum(nil))
}
