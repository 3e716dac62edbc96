package web

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
)

// CheckSamples binds the sample request the reference shows for every endpoint and method through
// the endpoint's own parameter rules (not its cross-field Validate rules, which are the handler's)
// and reports each sample that does not pass: a declaration whose rules the sample generator cannot
// meet, so the reference would show a request the server refuses. An API's tests run it over all
// its endpoints.
func (s *Server) CheckSamples() error {
	c := &Call{Now: s.cfg.Clock.Now(), Loc: s.cfg.Location}
	var errs []error
	for _, e := range s.endpoints {
		for _, m := range e.Methods() {
			target, body := sampleRequest(e, m, paramFields(e))
			u, err := url.Parse(target)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", m, target, err))
				continue
			}
			src := &source{values: queryValues(u.RawQuery)}
			if body != nil {
				b, err := marshalJSON(body, false)
				if err == nil {
					src.json, err = parseJSONBody(b)
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("%s %s: %w", m, e.Path, err))
					continue
				}
			}
			v := reflect.New(e.reqType).Elem()
			for i := range e.params {
				p := &e.params[i]
				text, raw, ok := src.lookup(p.keys)
				switch {
				case !ok && p.required:
					errs = append(errs, fmt.Errorf("%s %s: the sample lacks the required %s", m, e.Path, p.name))
				case !ok:
				default:
					if err := p.set(fieldValue(v, p.index), text, raw, c); err != nil {
						errs = append(errs, fmt.Errorf("%s %s: the sample's %s=%s %s", m, e.Path, p.name, text, err))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}
