// Package httpapi is the API's areas: for each area the documentation names (Account, Webcam,
// Search, …) its wire models, its endpoint declarations and its handlers, which translate between
// the wire and the domain and hold no SQL. The endpoint framework they declare with is package web.
package httpapi

import (
	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// api holds what the handlers use.
type api struct {
	store awapi.Store
}

// NewAPI builds the server with every API area's endpoints.
func NewAPI(store awapi.Store, cfg web.Config) *web.Server {
	return newAPI(store, cfg)
}

// newAPI builds the server with the areas' endpoints and any extra ones (tests declare some).
func newAPI(store awapi.Store, cfg web.Config, extra ...*web.Endpoint) *web.Server {
	s := &api{store: store}
	var endpoints []*web.Endpoint
	for _, area := range [][]*web.Endpoint{s.listEndpoints(), s.accountEndpoints(), s.webcamEndpoints(), s.creditEndpoints(),
		s.profileEndpoints(), s.hotListEndpoints(), s.blacklistEndpoints(), s.dashboardEndpoints(), s.accountSettingsEndpoints(),
		s.reviewEndpoints(), s.groupEndpoints(), extra} {
		endpoints = append(endpoints, area...)
	}
	return web.New(store, cfg, endpoints...)
}

// Compatibility names for the callers that built the server before the framework moved to web.
type (
	Config = web.Config
	Server = web.Server
)

// New is web.New, for the same callers.
var New = web.New

func ptr[T any](v T) *T { return &v }
