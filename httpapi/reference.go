package httpapi

import "net/http"

// openAPI serves the OpenAPI 3.1 document generated from the endpoint declarations.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}

// docs serves the HTML API reference generated from the endpoint declarations.
func (s *Server) docs(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}
