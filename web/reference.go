package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"runtime"
	"sync"
	"time"
	"weak"
)

// The reference documents (the OpenAPI document and the HTML page) are generated from s.endpoints
// on first request and kept until an endpoint is registered after that.

// openAPI serves the OpenAPI 3.1 document generated from the endpoint declarations.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	s.serveReference(w, r, &s.references().openAPI, s.buildOpenAPI, "application/json")
}

// docs serves the HTML API reference generated from the endpoint declarations.
func (s *Server) docs(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// The page is self-contained: nothing to load, nothing to run.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	s.serveReference(w, r, &s.references().html, s.buildDocs, "text/html; charset=utf-8")
}

func (s *Server) serveReference(w http.ResponseWriter, r *http.Request, doc *lazyDoc, build func() ([]byte, error), contentType string) {
	body, etag, err := doc.get(len(s.endpoints), build)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body)) // handles HEAD and If-None-Match
}

// lazyDoc is one generated document, built for a given number of endpoints.
type lazyDoc struct {
	mu        sync.Mutex
	endpoints int
	body      []byte
	etag      string
}

func (d *lazyDoc) get(endpoints int, build func() ([]byte, error)) ([]byte, string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.body == nil || d.endpoints != endpoints {
		body, err := build()
		if err != nil {
			return nil, "", err
		}
		sum := sha256.Sum256(body)
		d.body, d.endpoints, d.etag = body, endpoints, `"`+hex.EncodeToString(sum[:12])+`"`
	}
	return d.body, d.etag, nil
}

type referenceDocs struct {
	openAPI, html lazyDoc
}

// referenceCache holds each server's documents without keeping the server alive: the key is a weak
// pointer and the entry goes when the server is collected.
var referenceCache sync.Map // weak.Pointer[Server] -> *referenceDocs

func (s *Server) references() *referenceDocs {
	key := weak.Make(s)
	if v, ok := referenceCache.Load(key); ok {
		return v.(*referenceDocs)
	}
	v, loaded := referenceCache.LoadOrStore(key, &referenceDocs{})
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Server]) { referenceCache.Delete(k) }, key)
	}
	return v.(*referenceDocs)
}
