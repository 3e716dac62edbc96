package httpapi

import "github.com/awapi/awapi"

// NewAPI builds the server with every API area's endpoints.
func NewAPI(store awapi.Store, cfg Config) *Server {
	s := New(store, cfg)
	for _, area := range [][]*Endpoint{s.listEndpoints(), s.accountEndpoints(), s.webcamEndpoints(), s.creditEndpoints(),
		s.profileEndpoints(), s.hotListEndpoints(), s.blacklistEndpoints(), s.dashboardEndpoints(), s.accountSettingsEndpoints(),
		s.reviewEndpoints(), s.groupEndpoints()} {
		for _, e := range area {
			s.register(e)
		}
	}
	return s
}
