// Package httpapi is the API's areas: one file for each area the documentation names (account.go,
// credithistory.go, search.go, webcam.go, …) holding its wire models, its endpoint declarations and
// its handlers, which translate between the wire and the domain and hold no SQL. Each area is a small
// struct holding only the narrow store contracts it uses (awapi.WebcamStore, awapi.ProfileReader, …);
// renderings several areas share have files of their own (summary.go, places.go, paging.go, …). The
// endpoint framework they declare with is package web.
package httpapi

import (
	"github.com/awapi/awapi"
	"github.com/awapi/awapi/web"
)

// NewAPI builds the server with every area's endpoints over store.
func NewAPI(store awapi.Store, cfg web.Config) *web.Server {
	return newAPI(store, cfg)
}

// newAPI builds the server with the areas' endpoints, in the documentation's order of areas, and
// any extra ones (tests declare some).
func newAPI(store awapi.Store, cfg web.Config, extra ...*web.Endpoint) *web.Server {
	var endpoints []*web.Endpoint
	for _, area := range [][]*web.Endpoint{
		(&accountArea{members: store, accounts: store}).endpoints(),
		(&blacklistArea{blacklist: store}).endpoints(),
		(&creditHistoryArea{credits: store, settlement: awapi.Settlement{Store: store}}).endpoints(),
		(&dashboardArea{credits: store, settlement: awapi.Settlement{Store: store}, blacklist: store, hotLists: store, mail: store}).endpoints(),
		(&emailArea{mail: store, profiles: store}).endpoints(),
		(&directCamArea{members: store, settings: store, shows: store, profiles: store, sessions: store}).endpoints(),
		(&directChatArea{store: store, credits: store, draw: awapi.NewDirectChatPIN}).endpoints(),
		(&fieldReportArea{reports: store, profiles: store}).endpoints(),
		(&groupsArea{groups: store, rates: store, blacklist: store}).endpoints(),
		(&hotListsArea{lists: store, profiles: store, blacklist: store}).endpoints(),
		(&listsArea{topList: store}).endpoints(),
		(&newsfeedArea{profiles: store, activity: store}).endpoints(),
		newPhoneChatArea(store).endpoints(),
		(&profileArea{profiles: store, rates: store, ratings: store}).endpoints(),
		(&searchArea{search: store, reports: store, tours: store, profiles: store, blacklist: store}).endpoints(),
		newWebcamArea(store, store).endpoints(),
		extra,
	} {
		endpoints = append(endpoints, area...)
	}
	return web.New(store, cfg, endpoints...)
}
