package httpapi

import (
	"context"
	"slices"
	"strconv"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/refdata"
	"github.com/awapi/awapi/web"
)

// Lists: reference data (api-v1.md §2.11). All take the API key. Only getCountries,
// getEscortRateBreaks and getTopList are documented; the others follow their style, each answering an
// object with one array named after the list.

// listsArea serves the Lists; only the top list reads the store.
type listsArea struct {
	topList awapi.TopListReader
}

func (s *listsArea) endpoints() []*web.Endpoint {
	key := func(path, summary string) web.Endpoint {
		return web.Endpoint{Method: "GET", Path: path, Auth: web.AuthKey, Summary: summary}
	}
	implied := func(path, summary string) web.Endpoint {
		e := key(path, summary)
		e.Implied = true
		return e
	}
	items := refdata.Genders()
	genders := GendersOutput{mapItems(items, func(i refdata.Item) Gender { return Gender{i.ID, i.Name} })}
	return []*web.Endpoint{
		web.Handle(key("/v1/Lists/GetCountries", "Countries, with the age-verification flag."), getCountries),
		web.Handle(implied("/v1/Lists/GetRegions", "The regions of a country."), getRegions),
		web.Handle(implied("/v1/Lists/GetCounties", "The counties of a region."), getCounties),
		web.Handle(implied("/v1/Lists/GetGenders", "Member genders, single and couples."), static(genders)),
		web.Handle(implied("/v1/Lists/GetOrientations", "Sexual orientations."), static(OrientationsOutput{
			mapItems(refdata.Orientations(), func(i refdata.Item) Orientation { return Orientation{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetEnjoys", "What members enjoy (Account/Update EnjoysList)."), static(EnjoysOutput{
			mapItems(refdata.Enjoys(), func(i refdata.Item) Enjoy { return Enjoy{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetEthnicity", "Ethnicities (searchPictures Ethnicity)."), static(EthnicitiesOutput{
			mapItems(refdata.Ethnicities(), func(i refdata.Item) Ethnicity { return Ethnicity{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetDressSizes", "Dress sizes (searchPictures DressSize)."), static(DressSizesOutput{
			mapItems(refdata.DressSizes(), func(i refdata.Item) DressSize { return DressSize{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetBustSizes", "Bust sizes (searchPictures BustSize)."), static(BustSizesOutput{
			mapItems(refdata.BustSizes(), func(i refdata.Item) BustSize { return BustSize{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetAspectRatio", "Movie aspect ratios (searchRentals AspectRatio)."), static(AspectRatiosOutput{
			mapItems(refdata.AspectRatios(), func(i refdata.Item) AspectRatio { return AspectRatio{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetMovieFormats", "Movie formats as MIME types (searchMovies Format)."), static(MovieFormatsOutput{
			mapItems(refdata.MovieFormats(), func(i refdata.Item) MovieFormat { return MovieFormat{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetContentGenders", "Genders appearing in content (searchMovies GenderIDInClip)."), static(ContentGendersOutput{
			mapItems(refdata.ContentGenders(), func(i refdata.Item) Gender { return Gender{i.ID, i.Name} })})),
		web.Handle(implied("/v1/Lists/GetDirectcamCategories", "DirectCam categories (WebcamCategoryID)."), static(DirectcamCategoriesOutput{
			mapItems(refdata.DirectcamCategories(), func(i refdata.Item) DirectcamCategory { return DirectcamCategory{i.ID, i.Name} })})),
		web.Handle(web.Endpoint{Method: "GET", Path: "/v1/Lists/GetEscortRateBreaks", Auth: web.AuthKey, XMLRoot: "ArrayOfRateBreaks",
			Summary: "The standard escort rate durations."}, static(mapItems(refdata.EscortRateBreaks(), rateBreak))),
		web.Handle(key("/v1/Lists/GetTopList", "Top members by views or ratings in a period; only active members."), s.getTopList),
	}
}

type (
	Country struct {
		CountryID               int
		CountryName             string
		CountryISO2             string
		CountryISO3             string
		Nationality             string
		AgeVerificationRequired bool
	}
	CountriesOutput struct{ Countries []Country }
	Region          struct {
		RegionID   int
		RegionName string
		CountryID  int
	}
	RegionsOutput struct{ Regions []Region }
	County        struct {
		CountyID   int
		CountyName string
		RegionID   int
	}
	CountiesOutput struct{ Counties []County }
	Gender         struct {
		GenderID   int
		GenderName string
	}
	GendersOutput struct{ Genders []Gender }
	Orientation   struct {
		OrientationID   int
		OrientationName string
	}
	OrientationsOutput struct{ Orientations []Orientation }
	Enjoy              struct {
		EnjoyID   int
		EnjoyName string
	}
	EnjoysOutput struct{ Enjoys []Enjoy }
	Ethnicity    struct {
		EthnicityID int
		Ethnicity   string
	}
	EthnicitiesOutput struct{ Ethnicities []Ethnicity }
	DressSize         struct {
		DressSizeID int
		DressSize   string
	}
	DressSizesOutput struct{ DressSizes []DressSize }
	BustSize         struct {
		BustSizeID int
		BustSize   string
	}
	BustSizesOutput struct{ BustSizes []BustSize }
	AspectRatio     struct {
		AspectRatioID int
		AspectRatio   string
	}
	AspectRatiosOutput struct{ AspectRatios []AspectRatio }
	MovieFormat        struct {
		MovieFormatID int
		Format        string
	}
	MovieFormatsOutput   struct{ MovieFormats []MovieFormat }
	ContentGendersOutput struct{ ContentGenders []Gender }
	DirectcamCategory    struct {
		WebcamCategoryID   int
		WebcamCategoryName string
	}
	DirectcamCategoriesOutput struct{ DirectcamCategories []DirectcamCategory }
	RateBreaks                struct {
		RateBreakID int
		RateBreak   string
		Hours       float64
		IsOvernight bool
	}
)

type (
	getCountriesReq struct {
		ExcludeCountryIDs []int `doc:"Comma-separated CountryIDs to leave out, e.g. 134,154,161."`
	}
	getRegionsReq struct {
		CountryID int `api:"required,min=1" doc:"The country whose regions to list (see getCountries)."`
	}
	getCountiesReq struct {
		RegionID int `api:"required,min=1" doc:"The region whose counties to list (see getRegions)."`
	}
)

// mapItems converts reference rows to wire rows.
func mapItems[T, W any](rows []T, f func(T) W) []W {
	out := make([]W, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

// static answers a fixed value, keeping its type for the reference documents.
func static[T any](v T) func(context.Context, *web.Call, *noParams) (T, error) {
	return func(context.Context, *web.Call, *noParams) (T, error) { return v, nil }
}

func rateBreak(r refdata.RateBreak) RateBreaks {
	hours, _ := strconv.ParseFloat(r.Hours, 64) // validated by refdata's tests
	return RateBreaks{r.RateBreakID, r.RateBreak, hours, r.IsOvernight}
}

func getCountries(_ context.Context, _ *web.Call, req *getCountriesReq) (CountriesOutput, error) {
	out := CountriesOutput{Countries: make([]Country, 0, len(refdata.Countries()))}
	for _, c := range refdata.Countries() {
		if slices.Contains(req.ExcludeCountryIDs, c.CountryID) {
			continue
		}
		out.Countries = append(out.Countries, Country(c))
	}
	return out, nil
}

func getRegions(_ context.Context, _ *web.Call, req *getRegionsReq) (RegionsOutput, error) {
	var v awapi.Validation
	if !awapi.CheckCountry(&v, req.CountryID) {
		return RegionsOutput{}, v.Err()
	}
	return RegionsOutput{mapItems(refdata.Regions(req.CountryID), func(r refdata.Region) Region {
		return Region{r.RegionID, r.RegionName, r.CountryID}
	})}, nil
}

func getCounties(_ context.Context, _ *web.Call, req *getCountiesReq) (CountiesOutput, error) {
	var v awapi.Validation
	if !awapi.CheckRegion(&v, req.RegionID, 0) {
		return CountiesOutput{}, v.Err()
	}
	return CountiesOutput{mapItems(refdata.Counties(req.RegionID), func(c refdata.County) County {
		return County{c.CountyID, c.CountyName, c.RegionID}
	})}, nil
}

type getTopListReq struct {
	NumberOfRecords int    `api:"min=1,max=100,default=10" doc:"How many members to return."`
	Type            string `api:"required,enum=ProfileViews|EscortViews|PhoneChatViews|WebcamViews|EscortRatings|PhoneChatRatings|WebcamRatings" doc:"What to rank by."`
	DateRange       string `api:"required,enum=AllTime|LastYear|LastMonth|LastWeek|ThisYear|ThisMonth|ThisWeek|Today|Yesterday" doc:"The calendar period, in the server's time zone."`
	VATIPAddress    string `doc:"Accepted for compatibility; member top lists carry no prices."`
	VATUserID       *int   `doc:"Accepted for compatibility; member top lists carry no prices."`
}

type (
	// TopListViewsOutput answers the *Views types.
	TopListViewsOutput struct {
		Type, DateRange string
		Users           []TopListViewsUser
	}
	TopListViewsUser struct {
		Position int
		UserID   int64
		Nickname string
		Views    int
	}
	// TopListRatingsOutput answers the *Ratings types.
	TopListRatingsOutput struct {
		Type, DateRange string
		Users           []TopListRatingsUser
	}
	TopListRatingsUser struct {
		Position int
		UserID   int64
		Nickname string
		Ratings  TopListRatings
	}
	TopListRatings struct {
		Total, Positive, Neutral, Negative int
	}
)

func (s *listsArea) getTopList(ctx context.Context, c *web.Call, req *getTopListReq) (any, error) {
	t := awapi.TopListType(req.Type)
	entries, err := s.topList.TopList(ctx, awapi.TopListQuery{
		Type: t, Period: awapi.DateRangePeriod(req.DateRange, c.Now, c.Loc), Limit: req.NumberOfRecords,
	})
	if err != nil {
		return nil, err
	}
	if _, views := t.ViewKind(); views {
		out := TopListViewsOutput{Type: req.Type, DateRange: req.DateRange, Users: []TopListViewsUser{}}
		for i, e := range entries {
			out.Users = append(out.Users, TopListViewsUser{i + 1, e.UserID, e.Nickname, e.Score})
		}
		return out, nil
	}
	out := TopListRatingsOutput{Type: req.Type, DateRange: req.DateRange, Users: []TopListRatingsUser{}}
	for i, e := range entries {
		out.Users = append(out.Users, TopListRatingsUser{i + 1, e.UserID, e.Nickname,
			TopListRatings{e.Positive + e.Neutral + e.Negative, e.Positive, e.Neutral, e.Negative}})
	}
	return out, nil
}
