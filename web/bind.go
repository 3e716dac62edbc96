package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/awapi/awapi"
	"github.com/awapi/awapi/parse"
)

// Request models are plain structs; each exported field is a parameter named as the API names it.
// The `api` tag adds rules, comma-separated:
//
//	required            the parameter must be present and non-blank
//	min=N, max=N        bounds of a number
//	minlen=N, maxlen=N  bounds of a string's length in characters
//	items=A-B           bounds of a comma-separated list's length (duplicates counted once)
//	default=V           value used when the parameter is absent
//	enum=a|b|c          allowed values, matched case-insensitively and stored in the listed form
//	format=F            for time.Time: datetime (YYYY-MM-DD HH:MM, server zone), date (yyyy-MM-dd),
//	                    ukdate (dd-MM-yyyy); for int: clock (HH:mm, stored as minutes after midnight)
//	alias=Name          another accepted name (clients send GenderID for GenderIDs)
//	name=Name           the wire name when it is not a valid Go identifier
//
// An embedded struct is a group of parameters declared once for several methods (a location search's
// zip code and radius): its fields are the method's own, in its place (see flattenFields).
//
// The `doc` tag describes the parameter in the reference. Optional parameters are pointers, so a handler
// can tell "absent" from "zero". Names match case-insensitively, from the query string for GET and from
// the JSON (or form) body otherwise. After binding, a request that implements Validator checks the rules
// that involve several fields.
//
// Every value, of every kind and wherever it comes from (query, form, JSON, strings nested in a
// structured JSON body), must be text the API can store and give back in both formats: valid UTF-8,
// with no character XML 1.0 cannot carry. So NUL and the other C0 control characters are refused,
// except tab, LF and CR, which free text (a Summary, Details) may hold; so are U+FFFE and U+FFFF. A
// refused value is a 400 naming its field, on either engine, before any handler or database sees it.
// (PostgreSQL itself refuses NUL in text, and SQLite would store it raw.)

// Validator is implemented by request models with cross-field rules.
type Validator interface {
	Validate(c *Call, v *awapi.Validation)
}

type paramKind int

const (
	kindString paramKind = iota
	kindInt
	kindInt64
	kindBool
	kindCredits
	kindIntList
	kindTime
	kindClock
	kindJSON // arrays of objects and other structured JSON bodies
)

type param struct {
	index      []int // path from the request model, through embedded parameter groups
	name       string
	keys       []string // lower-cased name and aliases
	kind       paramKind
	optional   bool // a pointer field
	required   bool
	min, max   *int64
	minLen     int
	maxLen     int
	minItems   int
	maxItems   int
	def        string
	hasDefault bool
	enum       []string
	format     string
	docText    string
	typ        reflect.Type
}

// ParamDoc describes a parameter for the reference documents.
type ParamDoc struct {
	Name, Type, Doc, Default, Format string
	Required                         bool
	Min, Max                         *int64
	MaxLen                           int
	Enum                             []string
	ItemsMin, ItemsMax               int
}

func (p param) doc() ParamDoc {
	d := ParamDoc{Name: p.name, Doc: p.docText, Required: p.required, Min: p.min, Max: p.max, MaxLen: p.maxLen,
		Enum: p.enum, Format: p.format, ItemsMin: p.minItems, ItemsMax: p.maxItems}
	if p.hasDefault {
		d.Default = p.def
	}
	d.Type = [...]string{"string", "integer", "integer", "boolean", "decimal", "string (comma-separated integers)",
		"string", "string", "array"}[p.kind]
	return d
}

func paramsOf(t reflect.Type) []param {
	if t.Kind() != reflect.Struct {
		panic("web: request model " + t.String() + " must be a struct")
	}
	var out []param
	for _, ff := range flattenFields(t, "api") {
		sf := ff.field
		p := param{index: ff.index, name: sf.Name, docText: sf.Tag.Get("doc"), typ: sf.Type}
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			p.optional, ft = true, ft.Elem()
		}
		var aliases []string
		for opt := range strings.SplitSeq(sf.Tag.Get("api"), ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(opt), "=")
			switch k {
			case "":
			case "required":
				p.required = true
			case "min":
				p.min = ptr(mustInt(v))
			case "max":
				p.max = ptr(mustInt(v))
			case "minlen":
				p.minLen = int(mustInt(v))
			case "maxlen":
				p.maxLen = int(mustInt(v))
			case "items":
				a, b, _ := strings.Cut(v, "-")
				p.minItems, p.maxItems = int(mustInt(a)), int(mustInt(b))
			case "default":
				p.def, p.hasDefault = v, true
			case "enum":
				p.enum = strings.Split(v, "|")
			case "format":
				p.format = v
			case "alias":
				aliases = append(aliases, v)
			case "name":
				p.name = v
			default:
				panic("web: unknown api tag option " + k + " on " + t.String() + "." + sf.Name)
			}
		}
		p.keys = []string{strings.ToLower(p.name)}
		for _, a := range aliases {
			p.keys = append(p.keys, strings.ToLower(a))
		}
		switch {
		case ft == creditsType:
			p.kind = kindCredits
		case ft == timeType:
			p.kind = kindTime
			if p.format == "" {
				panic("web: time parameter " + sf.Name + " needs a format")
			}
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Int:
			p.kind = kindIntList
		case ft.Kind() == reflect.String:
			p.kind = kindString
		case ft.Kind() == reflect.Bool:
			p.kind = kindBool
		case ft.Kind() == reflect.Int && p.format == "clock":
			p.kind = kindClock
		case ft.Kind() == reflect.Int:
			p.kind = kindInt
		case ft.Kind() == reflect.Int64:
			p.kind = kindInt64
		default:
			p.kind = kindJSON
		}
		out = append(out, p)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func mustInt(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic("web: bad number in api tag: " + s)
	}
	return v
}

// source is where parameter values come from: the query string, a form, or a JSON object. Keys are
// lower-cased so names match case-insensitively.
type source struct {
	values map[string]string          // query or form
	json   map[string]json.RawMessage // JSON body
}

// queryValues reads a query string or form body. Names are lower-cased; when a name repeats, in any
// mix of cases, its first occurrence wins (as ASP.NET binding does), so the answer never depends on
// map order. Malformed pairs are skipped, as net/url does.
func queryValues(raw string) map[string]string {
	m := make(map[string]string, strings.Count(raw, "&")+1)
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue
		}
		key = strings.ToLower(key)
		if _, dup := m[key]; !dup {
			m[key] = val
		}
	}
	return m
}

// parseJSONBody reads a JSON object body; an empty body is an empty object. Names are lower-cased and,
// as with the query string, the first of several names differing only in case wins.
func parseJSONBody(body []byte) (map[string]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, awapi.Errorf(awapi.KindInvalid, "invalid_json", "The request body is not a JSON object (%s): "+acceptedBodies+".", jsonProblem(err))
	}
	// The body is valid; walk it again in order to resolve names that differ only in case.
	m := make(map[string]json.RawMessage, len(raw))
	dec := json.NewDecoder(bytes.NewReader(body))
	_, _ = dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		key := strings.ToLower(tok.(string))
		if _, dup := m[key]; !dup {
			m[key] = v
		}
	}
	return m, nil
}

func jsonProblem(err error) string {
	if err == nil {
		return "null is not an object"
	}
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return "found " + te.Value + " instead of an object"
	}
	return "it could not be read"
}

// lookup returns the raw text of a parameter and whether it was given (JSON null counts as absent).
// raw JSON strings are unquoted; other JSON values keep their literal text.
func (s *source) lookup(keys []string) (text string, raw json.RawMessage, ok bool) {
	for _, k := range keys {
		if s.json != nil {
			if r, found := s.json[k]; found {
				r = bytes.TrimSpace(r)
				if string(r) == "null" {
					return "", nil, false
				}
				if len(r) > 0 && r[0] == '"' {
					var str string
					if json.Unmarshal(r, &str) == nil {
						return str, r, true
					}
				}
				return string(r), r, true
			}
		}
		if v, found := s.values[k]; found {
			return v, nil, true
		}
	}
	return "", nil, false
}

// bind fills a new request model from src, collecting every field error.
func bind(t reflect.Type, params []param, src *source, c *Call) (reflect.Value, error) {
	ptrV := reflect.New(t)
	v := ptrV.Elem()
	var val awapi.Validation
	for i := range params {
		p := &params[i]
		text, raw, ok := src.lookup(p.keys)
		if ok && p.kind != kindJSON && blank(text) {
			ok = false // an empty query value is the same as an absent one (ASP.NET binding)
		}
		if !ok {
			if p.required {
				val.Addf(p.name, "%s is required.", p.name)
				continue
			}
			if !p.hasDefault {
				continue
			}
			text, raw = p.def, nil
		}
		if err := p.set(fieldValue(v, p.index), text, raw, c); err != nil {
			val.Addf(p.name, "%s %s.", p.name, err)
		}
	}
	if val.OK() {
		if vr, ok := ptrV.Interface().(Validator); ok {
			vr.Validate(c, &val)
		}
	}
	return ptrV, val.Err()
}

func (p *param) set(field reflect.Value, text string, raw json.RawMessage, c *Call) error {
	// encoding/json would quietly turn invalid UTF-8 in a JSON string into U+FFFD: look at the raw bytes.
	if raw != nil && !utf8.Valid(raw) {
		return errNotUTF8
	}
	if p.kind != kindJSON {
		if err := textProblem(text); err != nil {
			return err
		}
	}
	var value reflect.Value
	switch p.kind {
	case kindString:
		n := len([]rune(text))
		if p.maxLen > 0 && n > p.maxLen {
			return fmt.Errorf("must be at most %d characters long", p.maxLen)
		}
		if n < p.minLen {
			return fmt.Errorf("must be at least %d characters long", p.minLen)
		}
		if p.enum != nil {
			i := slices.IndexFunc(p.enum, func(e string) bool { return strings.EqualFold(e, strings.TrimSpace(text)) })
			if i < 0 {
				return fmt.Errorf("must be one of %s", strings.Join(p.enum, ", "))
			}
			text = p.enum[i]
		}
		value = reflect.ValueOf(text)
	case kindInt, kindInt64:
		n, err := parse.Int64(text)
		if err != nil {
			return err
		}
		if p.kind == kindInt && (n < -1<<31 || n > 1<<31-1) {
			return fmt.Errorf("is out of range")
		}
		if err := p.checkRange(n); err != nil {
			return err
		}
		if p.kind == kindInt {
			value = reflect.ValueOf(int(n))
		} else {
			value = reflect.ValueOf(n)
		}
	case kindBool:
		b, err := parse.Bool(text)
		if err != nil {
			return err
		}
		value = reflect.ValueOf(b)
	case kindCredits:
		cr, err := awapi.ParseCredits(text)
		if err != nil {
			return err
		}
		if err := p.checkRange(int64(cr) / 100); err != nil || (p.max != nil && int64(cr) > *p.max*100) {
			return p.rangeError()
		}
		value = reflect.ValueOf(cr)
	case kindIntList:
		list, err := intList(text, raw)
		if err != nil {
			return err
		}
		list = dedupe(list)
		if p.maxItems > 0 && len(list) > p.maxItems {
			return fmt.Errorf("must list at most %d IDs", p.maxItems)
		}
		if len(list) < p.minItems {
			return fmt.Errorf("must list at least %d IDs", p.minItems)
		}
		for _, n := range list {
			if p.checkRange(int64(n)) != nil {
				return fmt.Errorf("must hold only IDs that are %s", p.rangePhrase())
			}
		}
		value = reflect.ValueOf(list)
	case kindTime:
		var (
			t   time.Time
			err error
		)
		switch p.format {
		case "datetime":
			t, err = parse.DateTime(text, c.Loc)
		case "date":
			t, err = parse.Date(text, parse.LayoutISODate)
		case "ukdate":
			t, err = parse.Date(text, parse.LayoutUKDate)
		default:
			panic("web: unknown time format " + p.format)
		}
		if err != nil {
			return err
		}
		value = reflect.ValueOf(t)
	case kindClock:
		m, err := parse.Clock(text)
		if err != nil {
			return err
		}
		value = reflect.ValueOf(m)
	case kindJSON:
		if raw == nil {
			return fmt.Errorf("must be sent in a JSON body")
		}
		target := reflect.New(field.Type())
		if err := json.Unmarshal(raw, target.Interface()); err != nil {
			return fmt.Errorf("is not in the expected form (%s)", jsonFieldProblem(err))
		}
		if err := nestedTextProblem(target.Elem(), p.name); err != nil {
			return fmt.Errorf("holds text that is not allowed: %w", err)
		}
		field.Set(target.Elem())
		return nil
	}
	// Convert to the field's own type, so named types (type orderBy string) bind like their kind.
	if p.optional {
		pv := reflect.New(field.Type().Elem())
		pv.Elem().Set(value.Convert(field.Type().Elem()))
		value = pv
	} else {
		value = value.Convert(field.Type())
	}
	field.Set(value)
	return nil
}

var errNotUTF8 = errors.New("must be valid UTF-8 text")

// blank reports whether a value holds nothing but spaces, tabs and line breaks, which binds as absent.
// Other white space (form feed, U+00A0) is not blank: a form feed is refused as a control character.
func blank(s string) bool { return strings.Trim(s, " \t\r\n") == "" }

// textProblem says why s is not text the API accepts (see the package comment above), or nil.
func textProblem(s string) error {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if c < 0x20 {
			return errors.New("must not contain control characters other than tab, CR and LF")
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return errNotUTF8
		case r == 0xFFFE || r == 0xFFFF:
			return errors.New("must not contain the noncharacters U+FFFE and U+FFFF")
		}
		i += size
	}
	return nil
}

// nestedTextProblem checks every string inside a decoded structured body, naming the first bad one
// by its path (Items[2].Note).
func nestedTextProblem(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.String:
		if err := textProblem(v.String()); err != nil {
			return fmt.Errorf("%s %w", path, err)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nestedTextProblem(v.Elem(), path)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := nestedTextProblem(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			at := fmt.Sprintf("%s[%q]", path, fmt.Sprint(k))
			if err := nestedTextProblem(k, at); err != nil {
				return err
			}
			if err := nestedTextProblem(v.MapIndex(k), at); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				if err := nestedTextProblem(v.Field(i), path+"."+t.Field(i).Name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (p *param) checkRange(n int64) error {
	if p.min != nil && n < *p.min || p.max != nil && n > *p.max {
		return p.rangeError()
	}
	return nil
}

func (p *param) rangeError() error { return errors.New("must be " + p.rangePhrase()) }

// rangePhrase words the parameter's bounds: "between 1 and 100", "at least 1", "at most 4".
func (p *param) rangePhrase() string {
	switch {
	case p.min != nil && p.max != nil:
		return fmt.Sprintf("between %d and %d", *p.min, *p.max)
	case p.min != nil:
		return fmt.Sprintf("at least %d", *p.min)
	case p.max != nil:
		return fmt.Sprintf("at most %d", *p.max)
	}
	return "in range"
}

// intList accepts the documented comma-separated string, and a JSON array of numbers as a courtesy.
// The array form has the same limits as the string: at most parse.MaxListItems 32-bit IDs.
func intList(text string, raw json.RawMessage) ([]int, error) {
	if len(raw) > 0 && raw[0] == '[' {
		var list []int32
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("must be a comma-separated list of whole numbers")
		}
		if len(list) > parse.MaxListItems {
			return nil, fmt.Errorf("must list at most %d IDs", parse.MaxListItems)
		}
		out := make([]int, len(list))
		for i, n := range list {
			out[i] = int(n)
		}
		return out, nil
	}
	return parse.IntList(text)
}

// dedupe drops repeated IDs, keeping the first of each in order.
func dedupe(list []int) []int {
	seen := make(map[int]struct{}, len(list))
	out := list[:0:0]
	for _, n := range list {
		if _, dup := seen[n]; !dup {
			seen[n] = struct{}{}
			out = append(out, n)
		}
	}
	return out
}

func jsonFieldProblem(err error) string {
	if te, ok := err.(*json.UnmarshalTypeError); ok && te.Field != "" {
		return fmt.Sprintf("%s cannot be %s", te.Field, te.Value)
	}
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		return "found " + te.Value
	}
	return "malformed JSON"
}

var reflectInt64 = reflect.TypeFor[int64]()

// bindInto binds one stand-alone parameter (the Group-manager UserID) into dst.
func (p *param) bindInto(src *source, c *Call, dst any) error {
	text, raw, ok := src.lookup(p.keys)
	if !ok || blank(text) {
		return awapi.InvalidField(p.name, "%s is required.", p.name)
	}
	if err := p.set(reflect.ValueOf(dst).Elem(), text, raw, c); err != nil {
		return awapi.InvalidField(p.name, "%s %s.", p.name, err)
	}
	return nil
}

// conventionalParams are names any method accepts beyond its own parameters: the API key and the
// format override. The Group-manager variants also take UserID.
var conventionalParams = []string{"apikey", "format"}

// ignored lists, sorted, the names in src that no parameter (or alias) of the method binds. ASP.NET
// ignores them silently, as awapi does; a sandbox names them in Warning headers (warnIgnored), so a
// client sending postcode to a method without one learns why its results are national. actedFor
// says a group manager's call read UserID to act for a member.
func (s *source) ignored(params []param, actedFor bool) []string {
	var out []string
	check := func(k string) {
		if k == "" || slices.Contains(conventionalParams, k) || actedFor && k == "userid" {
			return
		}
		for i := range params {
			if slices.Contains(params[i].keys, k) {
				return
			}
		}
		out = append(out, k)
	}
	for k := range s.values {
		check(k)
	}
	for k := range s.json {
		if _, dup := s.values[k]; !dup {
			check(k)
		}
	}
	slices.Sort(out)
	return out
}

// maxWarnings bounds the Warning headers of one answer, so a request with thousands of made-up names
// does not get a huge answer.
const maxWarnings = 20

// warnIgnored adds one RFC 7234 Warning per ignored name: 299 (a persistent warning) from agent
// "awapi", naming the parameter as received (lower-cased). Names are client input: quotes and
// backslashes are escaped and anything outside printable ASCII is percent-encoded.
func warnIgnored(h http.Header, names []string) {
	for i, name := range names {
		if i == maxWarnings {
			h.Add("Warning", fmt.Sprintf(`299 awapi "ignored %d more parameters"`, len(names)-i))
			return
		}
		if len(name) > 100 {
			name = name[:100] + "..."
		}
		h.Add("Warning", `299 awapi "ignored parameter: `+warnText(name)+`"`)
	}
}

func warnText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f || c == '%':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
