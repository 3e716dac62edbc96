// Package awapi holds the domain types and contracts of the awapi server: members, projects, tokens,
// credits, errors and the storage contract. It knows nothing about HTTP or SQL; the httpapi and
// sqlstore packages translate to and from it.
package awapi

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Kind classifies an error; httpapi maps each kind to one HTTP status in one place.
type Kind int

const (
	KindInternal             Kind = iota // a bug or an unavailable dependency: 500
	KindInvalid                          // malformed or invalid input: 400
	KindUnauthorized                     // missing or bad credentials: 401
	KindForbidden                        // credentials lack a permission: 403
	KindNotFound                         // unknown object, or one the caller may not see: 404
	KindConflict                         // a documented prerequisite fails: 409
	KindTooLarge                         // request body too large: 413
	KindRateLimited                      // too many requests: 429
	KindMethodNotAllowed                 // a known path with a verb it does not answer: 405
	KindUnsupportedMediaType             // a request body of a type the API does not read: 415
	KindHeaderTooLarge                   // request line and headers too large: 431
)

// Error is the one error type that crosses layers. Code is a stable snake_case identifier clients may
// switch on; Fields names every offending input field with its messages.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string][]string
	// Scope is the scope a KindForbidden error is missing, for the WWW-Authenticate challenge.
	Scope string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	msg := e.Message
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		for _, m := range e.Fields[f] {
			msg += "; " + f + ": " + m
		}
	}
	return msg
}

// Errorf builds an Error of the given kind and code.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports an object that does not exist or that the caller may not see.
func NotFound(what string) *Error {
	return Errorf(KindNotFound, "not_found", "%s was not found.", what)
}

// Conflict reports a failed documented prerequisite; code names the prerequisite.
func Conflict(code, format string, args ...any) *Error {
	return Errorf(KindConflict, code, format, args...)
}

// InvalidField reports one invalid input field.
func InvalidField(field, format string, args ...any) *Error {
	var v Validation
	v.Addf(field, format, args...)
	return v.err()
}

// ErrorKind returns the kind of err, KindInternal when err is not an *Error.
func ErrorKind(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return KindInternal
}

// ErrorCode returns the stable code of err, "internal_error" when err is not an *Error.
func ErrorCode(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return "internal_error"
}

// Validation collects field errors so that one answer names every offending field.
type Validation struct {
	fields map[string][]string
}

// Addf records a message against field.
func (v *Validation) Addf(field, format string, args ...any) {
	if v.fields == nil {
		v.fields = make(map[string][]string)
	}
	v.fields[field] = append(v.fields[field], fmt.Sprintf(format, args...))
}

// Include records the fields a check named in err (a KindInvalid *Error; anything else is ignored),
// so one answer names them all.
func (v *Validation) Include(err error) {
	if e, ok := err.(*Error); ok && e.Kind == KindInvalid {
		for field, msgs := range e.Fields {
			for _, m := range msgs {
				v.Addf(field, "%s", m)
			}
		}
	}
}

// Has reports whether field already has an error, so later checks can skip it.
func (v *Validation) Has(field string) bool { return len(v.fields[field]) > 0 }

// OK reports whether no error was recorded.
func (v *Validation) OK() bool { return len(v.fields) == 0 }

// Err returns the collected errors as one KindInvalid *Error, or nil.
func (v *Validation) Err() error {
	if v.OK() {
		return nil
	}
	return v.err()
}

func (v *Validation) err() *Error {
	return &Error{Kind: KindInvalid, Code: "invalid_request", Message: "The request is invalid.", Fields: v.fields}
}
