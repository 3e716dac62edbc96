package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The reference documents describe the wire exactly as the encoders write it: the schemas below
// follow buildJSON and structFields, and the samples are produced by the JSON encoder itself.

const (
	// datePattern matches the dates the encoder writes (appendDate).
	datePattern     = `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$`
	dateDescription = "Local date and time in the server's time zone, without offset, e.g. 2016-03-26T18:20:55.14 " +
		"(trailing fractional zeros dropped); never is 0001-01-01T00:00:00."
	anyDescription = "The shape depends on the request."
)

// schemaGen builds JSON Schemas (OpenAPI 3.1) of response models. Named struct types become
// components.schemas entries referenced by $ref; recursive types resolve through the name.
type schemaGen struct {
	names     map[reflect.Type]string
	taken     map[string]reflect.Type
	defs      map[string]*jsonObject
	preferred map[reflect.Type]string
}

func newSchemaGen() *schemaGen {
	return &schemaGen{
		names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}, defs: map[string]*jsonObject{},
		preferred: map[reflect.Type]string{reflect.TypeFor[ErrorBody](): "Error"},
	}
}

func schemaRef(name string) string { return "#/components/schemas/" + name }

// schema returns the schema of values of type t as the JSON encoder writes them.
func (g *schemaGen) schema(t reflect.Type) *jsonObject {
	switch t {
	case creditsType:
		return object("type", "number", "multipleOf", 0.01)
	case timeType:
		return object("type", "string", "pattern", datePattern, "description", dateDescription)
	}
	switch t.Kind() {
	case reflect.Bool:
		return object("type", "boolean")
	case reflect.Int, reflect.Int8, reflect.Int16:
		return object("type", "integer")
	case reflect.Int32:
		return object("type", "integer", "format", "int32")
	case reflect.Int64:
		return object("type", "integer", "format", "int64")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return object("type", "integer", "minimum", 0)
	case reflect.Float32, reflect.Float64:
		return object("type", "number")
	case reflect.String:
		return object("type", "string")
	case reflect.Pointer:
		return nullable(g.schema(t.Elem()))
	case reflect.Interface:
		return object("description", anyDescription)
	case reflect.Slice, reflect.Array:
		return object("type", "array", "items", g.schema(t.Elem()))
	case reflect.Map:
		return object("type", "object", "additionalProperties", g.schema(t.Elem()))
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		return object("$ref", schemaRef(g.named(t)))
	}
	return object() // the encoder cannot write it either
}

// named returns the component name of a named struct type, building its schema on first use.
func (g *schemaGen) named(t reflect.Type) string {
	if n, ok := g.names[t]; ok {
		return n
	}
	n := g.pickName(t)
	g.names[t], g.taken[n] = n, t // before building, so a recursive reference finds the name
	g.defs[n] = g.structSchema(t)
	return n
}

func (g *schemaGen) pickName(t reflect.Type) string {
	base := g.preferred[t]
	if base == "" {
		base = componentName(t.Name())
	}
	if _, clash := g.taken[base]; !clash {
		return base
	}
	qualified := componentName(path.Base(t.PkgPath())) + "." + base
	if _, clash := g.taken[qualified]; !clash {
		return qualified
	}
	for i := 2; ; i++ {
		if n := qualified + strconv.Itoa(i); g.taken[n] == nil {
			return n
		}
	}
}

// componentName makes a Go type name a valid component key: Page[pkg.Item] becomes PageOfItem.
func componentName(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 && strings.HasSuffix(name, "]") {
		args := strings.Split(name[i+1:len(name)-1], ",")
		for j, a := range args {
			args[j] = a[strings.LastIndexAny(a, "./]")+1:]
		}
		name = name[:i] + "Of" + strings.Join(args, "And")
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, name)
}

// structSchema lists the members the encoder writes, in its order; only `wire:"omitempty"` members
// may be missing.
func (g *schemaGen) structSchema(t reflect.Type) *jsonObject {
	props := object()
	required := []string{}
	for _, f := range structFields(t) {
		s := g.schema(f.typ)
		if f.omitEmpty {
			s.set("description", "Present only when available to the caller (e.g. when the token grants the scope that reveals it).")
		} else {
			required = append(required, f.pascal)
		}
		props.set(f.pascal, s)
	}
	s := object("type", "object", "properties", props)
	if len(required) > 0 {
		s.set("required", required)
	}
	return s
}

// nullable adds null to a schema: 3.1 type arrays, or anyOf around a reference.
func nullable(s *jsonObject) *jsonObject {
	switch typ := s.get("type").(type) {
	case string:
		return s.set("type", []string{typ, "null"})
	case []string:
		if slices.Contains(typ, "null") {
			return s
		}
		return s.set("type", append(append([]string(nil), typ...), "null"))
	}
	if s.has("$ref") || s.has("anyOf") {
		return object("anyOf", []any{s, object("type", "null")})
	}
	return s // the empty schema already allows null
}

// components returns the collected schemas sorted by name.
func (g *schemaGen) components() *jsonObject {
	names := make([]string, 0, len(g.defs))
	for n := range g.defs {
		names = append(names, n)
	}
	slices.Sort(names)
	out := object()
	for _, n := range names {
		out.set(n, g.defs[n])
	}
	return out
}

// requestSchema describes a structured JSON body parameter, which is decoded by encoding/json: field
// names or json tags, RFC 3339 times. It is inlined, since request models are not shared.
func requestSchema(t reflect.Type, seen map[reflect.Type]bool) *jsonObject {
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		if t == timeType {
			return object("type", "string", "format", "date-time")
		}
		return object()
	}
	switch t.Kind() {
	case reflect.Bool:
		return object("type", "boolean")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return object("type", "integer")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return object("type", "integer", "minimum", 0)
	case reflect.Float32, reflect.Float64:
		return object("type", "number")
	case reflect.String:
		return object("type", "string")
	case reflect.Pointer:
		return nullable(requestSchema(t.Elem(), seen))
	case reflect.Slice, reflect.Array:
		return object("type", "array", "items", requestSchema(t.Elem(), seen))
	case reflect.Map:
		return object("type", "object", "additionalProperties", requestSchema(t.Elem(), seen))
	case reflect.Struct:
		if seen[t] {
			return object("type", "object")
		}
		seen[t] = true
		defer delete(seen, t)
		props := object()
		requestProps(t, props, seen)
		return object("type", "object", "properties", props)
	}
	return object()
}

func requestProps(t reflect.Type, props *jsonObject, seen map[reflect.Type]bool) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if sf.Anonymous && name == "" && derefType(sf.Type).Kind() == reflect.Struct {
			requestProps(derefType(sf.Type), props, seen) // encoding/json promotes embedded fields
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		props.set(name, requestSchema(sf.Type, seen))
	}
}

// Parameters.

// formatHint documents an `api:"format=…"` option.
type formatHint struct {
	human, pattern, example, format string
}

var formatHints = map[string]formatHint{
	"datetime": {"YYYY-MM-DD HH:MM in the server's time zone", `^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?$`, "2026-12-01 20:00", ""},
	"date":     {"yyyy-MM-dd", `^\d{4}-\d{2}-\d{2}$`, "2026-12-01", "date"},
	"ukdate":   {"dd-MM-yyyy", `^\d{2}-\d{2}-\d{4}$`, "01-12-2026", ""},
	"clock":    {"HH:mm", `^\d{1,2}:\d{2}$`, "20:00", ""},
}

const (
	typeIntList = "string (comma-separated integers)"
	typeJSON    = "array"
)

// paramFields returns the Go type of each parameter, in the order of Params.
func paramFields(e *Endpoint) []reflect.Type {
	out := make([]reflect.Type, len(e.params))
	for i, p := range e.params {
		out[i] = derefType(p.typ)
	}
	return out
}

func fieldAt(types []reflect.Type, i int) reflect.Type {
	if i < len(types) {
		return types[i]
	}
	return nil
}

// paramSchema describes one parameter; inBody also allows the JSON array form of an ID list.
func paramSchema(p ParamDoc, ft reflect.Type, inBody bool) *jsonObject {
	var s *jsonObject
	switch p.Type {
	case "integer":
		s = object("type", "integer")
		if ft != nil && ft.Kind() == reflect.Int64 {
			s.set("format", "int64")
		} else {
			s.set("format", "int32")
		}
		setRange(s, p)
		if n, err := strconv.ParseInt(p.Default, 10, 64); err == nil {
			s.set("default", n)
		}
	case "boolean":
		s = object("type", "boolean")
		if b, err := strconv.ParseBool(p.Default); err == nil {
			s.set("default", b)
		}
	case "decimal":
		s = object("type", "number", "multipleOf", 0.01)
		setRange(s, p)
		if p.Default != "" {
			s.set("default", json.Number(p.Default))
		}
	case typeIntList:
		s = object("type", "string", "pattern", `^\s*-?\d+(\s*,\s*-?\d+)*\s*$`, "examples", []string{exampleIDs(p)})
		if inBody {
			items := object("type", "integer")
			setRange(items, p)
			arr := object("type", "array", "items", items)
			if p.ItemsMin > 0 {
				arr.set("minItems", p.ItemsMin)
			}
			if p.ItemsMax > 0 {
				arr.set("maxItems", p.ItemsMax)
			}
			s = object("anyOf", []any{s, arr})
		}
	case typeJSON:
		if ft == nil {
			s = object()
		} else {
			s = requestSchema(ft, map[reflect.Type]bool{})
		}
	default:
		s = object("type", "string")
		if h, ok := formatHints[p.Format]; ok {
			if h.format != "" {
				s.set("format", h.format)
			}
			s.set("pattern", h.pattern)
			s.set("examples", []string{h.example})
		}
		if p.MaxLen > 0 {
			s.set("maxLength", p.MaxLen)
		}
		if len(p.Enum) > 0 {
			s.set("enum", p.Enum)
		}
		if p.Default != "" {
			s.set("default", p.Default)
		}
	}
	return s
}

func setRange(s *jsonObject, p ParamDoc) {
	if p.Min != nil {
		s.set("minimum", *p.Min)
	}
	if p.Max != nil {
		s.set("maximum", *p.Max)
	}
}

// paramDescription is the doc text plus what the schema cannot say.
func paramDescription(p ParamDoc) string {
	parts := []string{}
	if p.Doc != "" {
		parts = append(parts, strings.TrimSpace(p.Doc))
	}
	if p.Type == typeIntList {
		s := "Comma-separated IDs"
		if r := itemsRule(p); r != "" {
			s += ", " + r
		}
		if r := rangeRule(p); r != "" {
			s += ", each " + r
		}
		parts = append(parts, s+".")
	}
	if h, ok := formatHints[p.Format]; ok {
		parts = append(parts, "Format: "+h.human+".")
	}
	if len(p.Enum) > 0 {
		parts = append(parts, "Matched case-insensitively.")
	}
	return strings.Join(parts, " ")
}

// Human-readable rules, for the HTML reference.

func rangeRule(p ParamDoc) string {
	switch {
	case p.Min != nil && p.Max != nil:
		return fmt.Sprintf("between %d and %d", *p.Min, *p.Max)
	case p.Min != nil:
		return fmt.Sprintf("at least %d", *p.Min)
	case p.Max != nil:
		return fmt.Sprintf("at most %d", *p.Max)
	}
	return ""
}

func itemsRule(p ParamDoc) string {
	switch {
	case p.ItemsMin > 0 && p.ItemsMax > 0:
		return fmt.Sprintf("between %d and %d IDs", p.ItemsMin, p.ItemsMax)
	case p.ItemsMax > 0:
		return fmt.Sprintf("at most %d IDs", p.ItemsMax)
	case p.ItemsMin > 0:
		return fmt.Sprintf("at least %d IDs", p.ItemsMin)
	}
	return ""
}

func paramRules(p ParamDoc) []string {
	var rules []string
	if r := rangeRule(p); r != "" {
		if p.Type == typeIntList {
			r = "each ID " + r
		}
		rules = append(rules, r)
	}
	if p.MaxLen > 0 {
		rules = append(rules, fmt.Sprintf("at most %d characters", p.MaxLen))
	}
	if r := itemsRule(p); r != "" {
		rules = append(rules, r)
	}
	if len(p.Enum) > 0 {
		rules = append(rules, "one of "+strings.Join(p.Enum, ", "))
	}
	if p.Default != "" {
		rules = append(rules, "default "+p.Default)
	}
	if h, ok := formatHints[p.Format]; ok {
		rules = append(rules, "format "+h.human)
	}
	return rules
}

// Example values, for the sample requests.

func exampleIDs(p ParamDoc) string {
	n := int64(1)
	if p.Min != nil && *p.Min > n {
		n = *p.Min
	}
	count := max(p.ItemsMin, 2)
	if p.ItemsMax > 0 && count > p.ItemsMax {
		count = p.ItemsMax
	}
	ids := make([]string, count)
	for i := range ids {
		ids[i] = strconv.FormatInt(n+int64(i), 10)
	}
	return strings.Join(ids, ",")
}

// exampleValue returns a value the parameter accepts, as query text and as a JSON value.
func exampleValue(p ParamDoc, ft reflect.Type) (string, any) {
	if p.Default != "" && p.Type != "boolean" && p.Type != "integer" && p.Type != "decimal" {
		return p.Default, p.Default
	}
	switch p.Type {
	case "integer":
		n := int64(1)
		if p.Default != "" {
			n, _ = strconv.ParseInt(p.Default, 10, 64)
		}
		if p.Min != nil && n < *p.Min {
			n = *p.Min
		}
		if p.Max != nil && n > *p.Max {
			n = *p.Max
		}
		return strconv.FormatInt(n, 10), n
	case "boolean":
		if p.Default != "" {
			return p.Default, p.Default == "true"
		}
		return "true", true
	case "decimal":
		v := "10.00"
		if p.Default != "" {
			v = p.Default
		} else if p.Min != nil && *p.Min > 10 {
			v = strconv.FormatInt(*p.Min, 10) + ".00"
		}
		return v, json.Number(v)
	case typeIntList:
		ids := exampleIDs(p)
		return ids, ids
	case typeJSON:
		raw := sampleRequestJSON(ft)
		return string(raw), raw
	}
	if len(p.Enum) > 0 {
		return p.Enum[0], p.Enum[0]
	}
	if h, ok := formatHints[p.Format]; ok {
		return h.example, h.example
	}
	v := "example"
	if p.MaxLen > 0 && p.MaxLen < len(v) {
		v = v[:p.MaxLen]
	}
	return v, v
}

// Samples: a value of the model filled with placeholders, written by the real encoder.

var sampleTime = time.Date(2016, 3, 26, 18, 20, 55, 140_000_000, time.UTC)

// sampleResponse is the indented JSON the encoder writes for a placeholder value of t; false when
// the shape depends on the request.
func sampleResponse(t reflect.Type) (_ string, ok bool) {
	if t == nil || t.Kind() == reflect.Interface {
		return "", false
	}
	defer func() {
		if recover() != nil { // a type the encoder cannot write: no sample rather than no page
			ok = false
		}
	}()
	v := reflect.New(t).Elem()
	fillSample(v, map[reflect.Type]bool{})
	e := &encoder{opts: encOptions{loc: time.UTC}}
	jsonEncoder(t)(e, v, false)
	var out bytes.Buffer
	if err := json.Indent(&out, e.buf, "", "  "); err != nil {
		return "", false
	}
	return out.String(), true
}

// sampleRequestJSON is a placeholder value of a structured body parameter, as encoding/json reads it.
func sampleRequestJSON(t reflect.Type) json.RawMessage {
	if t == nil {
		return json.RawMessage("null")
	}
	v := reflect.New(t).Elem()
	fillSample(v, map[reflect.Type]bool{})
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}

// fillSample gives every member a placeholder: strings "string", credits 12.50, dates the documented
// example, one item per slice and map, pointers set except where a type would recurse.
func fillSample(v reflect.Value, stack map[reflect.Type]bool) {
	t := v.Type()
	switch t {
	case creditsType:
		v.SetInt(1250)
		return
	case timeType:
		v.Set(reflect.ValueOf(sampleTime))
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString("string")
	case reflect.Pointer:
		if stack[derefType(t)] {
			return
		}
		p := reflect.New(t.Elem())
		fillSample(p.Elem(), stack)
		v.Set(p)
	case reflect.Slice:
		if stack[derefType(t.Elem())] || t.Elem().Kind() == reflect.Uint8 {
			v.Set(reflect.MakeSlice(t, 0, 0))
			return
		}
		s := reflect.MakeSlice(t, 1, 1)
		fillSample(s.Index(0), stack)
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			fillSample(v.Index(i), stack)
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String || stack[derefType(t.Elem())] {
			return
		}
		m := reflect.MakeMapWithSize(t, 1)
		k := reflect.New(t.Key()).Elem()
		k.SetString("Field")
		val := reflect.New(t.Elem()).Elem()
		fillSample(val, stack)
		m.SetMapIndex(k, val)
		v.Set(m)
	case reflect.Struct:
		if stack[t] {
			return
		}
		stack[t] = true
		defer delete(stack, t)
		for _, f := range structFields(t) {
			fillSample(fieldValue(v, f.index), stack)
		}
	}
}
