package web

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/awapi/awapi"
)

// The wire encoders write response models as the original service does: JSON with PascalCase keys (or
// camelCase on request) and .NET DataContract XML. Plans are compiled once per Go type and cached, so
// an encode does no reflection beyond reading field values.

const (
	nsInstance = "http://www.w3.org/2001/XMLSchema-instance"
	nsArrays   = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
	nsScalars  = "http://schemas.microsoft.com/2003/10/Serialization/"
	// NamespaceBase prefixes every model namespace: NamespaceBase + "API.Models.Lists".
	NamespaceBase = "http://schemas.datacontract.org/2004/07/"
)

// MaskedImageURL replaces an image URL that is not safe for minors when X-MaskImages is set.
const MaskedImageURL = "https://cdn.adultwork.com/images/masked.jpg"

type encOptions struct {
	camel bool
	mask  bool
	loc   *time.Location
}

type encoder struct {
	buf  []byte
	opts encOptions
}

type encodeFn func(e *encoder, v reflect.Value, masked bool)

type fieldPlan struct {
	index     []int // the field's path from the planned struct: several steps through embedded groups
	typ       reflect.Type
	pascal    string // JSON key and XML element name
	camel     string
	omitEmpty bool  // omitted when nil: scope-gated members
	image     bool  // an image URL (wire:"image")
	safeIndex []int // the bool that marks the image (or, for images, everything inside) safe; nil: none
	maskAll   bool  // wire:"images": a value whose image URLs are all masked unless its safe flag is set
	json, xml encodeFn
	xmlItem   string // element name of each item when the field is a slice
	xmlArrNS  bool   // slice of primitives: items in the Arrays namespace
}

var (
	jsonPlans sync.Map // reflect.Type -> encodeFn
	xmlPlans  sync.Map
)

var (
	creditsType = reflect.TypeFor[awapi.Credits]()
	timeType    = reflect.TypeFor[time.Time]()
)

func (e *encoder) jsonValue(v any) {
	if v == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	rv := reflect.ValueOf(v)
	jsonEncoder(rv.Type())(e, rv, false)
}

func jsonEncoder(t reflect.Type) encodeFn { return cachedEncoder(&jsonPlans, t, buildJSON) }

// cachedEncoder returns the plan for t from cache, building it once however many requests ask at the
// same moment. While t is being built its entry is a forwarder that waits for the real plan: that is
// what a recursive type meets inside its own build, and what a concurrent first request gets (as in
// encoding/json). Forwarders are only called to encode, never during a build, so nothing waits on
// itself.
func cachedEncoder(cache *sync.Map, t reflect.Type, build func(reflect.Type) encodeFn) encodeFn {
	if f, ok := cache.Load(t); ok {
		return f.(encodeFn)
	}
	var (
		ready sync.WaitGroup
		real  encodeFn
	)
	ready.Add(1)
	forward, loaded := cache.LoadOrStore(t, encodeFn(func(e *encoder, v reflect.Value, m bool) {
		ready.Wait()
		real(e, v, m)
	}))
	if loaded {
		return forward.(encodeFn)
	}
	defer func() {
		if p := recover(); p != nil {
			// A type the encoder cannot write: whoever holds the forwarder gets the same panic, and the
			// next lookup tries again rather than waiting for ever.
			real = func(*encoder, reflect.Value, bool) { panic(p) }
			cache.Delete(t)
			ready.Done()
			panic(p)
		}
	}()
	real = build(t)
	ready.Done()
	cache.Store(t, real)
	return real
}

// preparePlans builds the JSON and XML plans of a response type before any request needs them.
func preparePlans(t reflect.Type) {
	if t == nil || t.Kind() == reflect.Interface {
		return // the dynamic type is known only per answer
	}
	jsonEncoder(t)
	xmlEncoder(derefType(t)) // xmlRoot writes the value behind a pointer
}

// scalarEncoder writes the values that look the same in JSON and XML: credits, booleans and numbers.
func scalarEncoder(t reflect.Type) encodeFn {
	if t == creditsType {
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = awapi.Credits(v.Int()).Append(e.buf) }
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = strconv.AppendBool(e.buf, v.Bool()) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = strconv.AppendInt(e.buf, v.Int(), 10) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = strconv.AppendUint(e.buf, v.Uint(), 10) }
	case reflect.Float32, reflect.Float64:
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = strconv.AppendFloat(e.buf, v.Float(), 'f', -1, 64) }
	}
	return nil
}

func buildJSON(t reflect.Type) encodeFn {
	if f := scalarEncoder(t); f != nil {
		return f
	}
	if t == timeType {
		return func(e *encoder, v reflect.Value, _ bool) {
			e.buf = append(e.buf, '"')
			e.buf = appendDate(e.buf, v.Interface().(time.Time), e.opts.loc)
			e.buf = append(e.buf, '"')
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(e *encoder, v reflect.Value, masked bool) { e.buf = appendJSONString(e.buf, v.String()) }
	case reflect.Pointer:
		elem := jsonEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return
			}
			elem(e, v.Elem(), m)
		}
	case reflect.Interface:
		return func(e *encoder, v reflect.Value, m bool) {
			if v.IsNil() {
				e.buf = append(e.buf, "null"...)
				return
			}
			jsonEncoder(v.Elem().Type())(e, v.Elem(), m)
		}
	case reflect.Slice, reflect.Array:
		elem := jsonEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			e.buf = append(e.buf, '[')
			for i := range v.Len() {
				if i > 0 {
					e.buf = append(e.buf, ',')
				}
				elem(e, v.Index(i), m)
			}
			e.buf = append(e.buf, ']')
		}
	case reflect.Map:
		// Only ModelState-like maps with string keys appear in responses; keys are sorted for stable output.
		// camelCase applies to their keys too, as Json.NET's resolver does to dictionary keys.
		elem := jsonEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			e.buf = append(e.buf, '{')
			for i, k := range keys {
				if i > 0 {
					e.buf = append(e.buf, ',')
				}
				if e.opts.camel {
					e.buf = appendJSONString(e.buf, camelCase(k.String()))
				} else {
					e.buf = appendJSONString(e.buf, k.String())
				}
				e.buf = append(e.buf, ':')
				elem(e, v.MapIndex(k), m)
			}
			e.buf = append(e.buf, '}')
		}
	case reflect.Struct:
		fields := structFields(t)
		for i := range fields {
			fields[i].json = jsonEncoder(fields[i].typ)
		}
		return func(e *encoder, v reflect.Value, masked bool) {
			e.buf = append(e.buf, '{')
			first := true
			for i := range fields {
				f := &fields[i]
				fv := fieldValue(v, f.index)
				if f.omitEmpty && isNil(fv) {
					continue
				}
				if !first {
					e.buf = append(e.buf, ',')
				}
				first = false
				if e.opts.camel {
					e.buf = appendJSONString(e.buf, f.camel)
				} else {
					e.buf = appendJSONString(e.buf, f.pascal)
				}
				e.buf = append(e.buf, ':')
				if url, ok := e.maskedURL(f, v, fv, masked); ok {
					e.buf = appendJSONString(e.buf, url)
					continue
				}
				f.json(e, fv, masked || e.maskChildren(f, v))
			}
			e.buf = append(e.buf, '}')
		}
	}
	panic("web: cannot encode " + t.String())
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}

// fieldValue reads the field at index, a path through embedded groups (never pointers, so it
// cannot meet a nil).
func fieldValue(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	return v.FieldByIndex(index)
}

// maskedURL reports the replacement for an image URL field when masking applies: X-MaskImages is on
// and the image is not marked safe (its flag is false or it has none), or an enclosing images field
// already said its images are not.
func (e *encoder) maskedURL(f *fieldPlan, parent, fv reflect.Value, inherited bool) (string, bool) {
	if !e.opts.mask || !f.image || fv.Len() == 0 {
		return "", false
	}
	if inherited || f.safeIndex == nil || !fieldValue(parent, f.safeIndex).Bool() {
		return MaskedImageURL, true
	}
	return "", false
}

// maskChildren reports whether every image URL inside a field must be masked (an images field whose
// safe flag is false).
func (e *encoder) maskChildren(f *fieldPlan, parent reflect.Value) bool {
	return e.opts.mask && f.maskAll && !fieldValue(parent, f.safeIndex).Bool()
}

// structFields lists the members of t the encoders write, in declaration order, with their names and
// image-safety links. Like encoding/json, an embedded struct's members are written as the parent's
// own, in its place, so field groups shared by several models are declared once; a member declared
// nearer the top shadows a deeper one of the same name, and two at the same depth are a declaration
// error. The `wire` tag, comma-separated:
//
//   - the field is never written (on an embedded struct: none of its members)
//     omitempty      the field is left out when nil (scope-gated members)
//     image          a string holding an image URL: under X-MaskImages it is replaced unless safe=
//     names a bool member of the model (after flattening) that is true
//     images         a field holding image URLs (a slice, a block): under X-MaskImages, when the bool
//     member safe= names is false, every image member inside is replaced
//     safe=Name      the flag of image and images
//
// A tag that names a missing or non-bool flag panics when the plan is built, at server start.
func structFields(t reflect.Type) []fieldPlan {
	var out []fieldPlan
	for _, ff := range flattenFields(t, "wire") {
		sf := ff.field
		f := fieldPlan{index: ff.index, typ: sf.Type, pascal: sf.Name, camel: camelCase(sf.Name)}
		var safe string
		for opt := range strings.SplitSeq(sf.Tag.Get("wire"), ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(opt), "=")
			switch k {
			case "":
			case "omitempty":
				f.omitEmpty = true
			case "image":
				if sf.Type.Kind() != reflect.String {
					panic("web: wire:\"image\" on " + t.String() + "." + sf.Name + ", which is not a string")
				}
				f.image = true
			case "images":
				f.maskAll = true
			case "safe":
				safe = v
			default:
				panic("web: unknown wire tag option " + k + " on " + t.String() + "." + sf.Name)
			}
		}
		switch {
		case f.maskAll && safe == "":
			panic("web: wire:\"images\" on " + t.String() + "." + sf.Name + " needs safe=<bool member>")
		case safe != "" && !f.image && !f.maskAll:
			panic("web: safe= on " + t.String() + "." + sf.Name + " needs image or images")
		case safe != "":
			f.safeIndex = safeFlag(t, sf.Name, safe)
		}
		if ft := derefType(sf.Type); ft.Kind() == reflect.Slice && ft != reflect.TypeFor[[]byte]() {
			item := derefType(ft.Elem())
			if name, ok := primitiveXMLName(item); ok {
				f.xmlItem, f.xmlArrNS = name, true
			} else {
				f.xmlItem = item.Name()
			}
		}
		out = append(out, f)
	}
	return out
}

// safeFlag finds the bool member named by a safe= option among the members of t.
func safeFlag(t reflect.Type, field, name string) []int {
	for _, ff := range flattenFields(t, "wire") {
		if ff.field.Name != name {
			continue
		}
		if ff.field.Type.Kind() != reflect.Bool {
			panic("web: safe=" + name + " on " + t.String() + "." + field + " names a member that is not a bool")
		}
		return ff.index
	}
	panic("web: safe=" + name + " on " + t.String() + "." + field + " names no member of " + t.String())
}

// flatField is one member of a struct after flattening: the field and its path from the struct.
type flatField struct {
	field reflect.StructField
	index []int
}

// flattenFields lists the exported fields of t, an embedded struct's fields in its place, as
// encoding/json promotes them: the field nearest the top wins a name, and two at the same depth
// panic (encoding/json would drop both without a word). An embedded struct tagged "-" in tagKey is
// left out whole; embedded pointers are refused, so reading a member never meets a nil.
func flattenFields(t reflect.Type, tagKey string) []flatField {
	type found struct {
		flatField
		depth int
	}
	var all []found
	var walk func(t reflect.Type, prefix []int, depth int)
	walk = func(t reflect.Type, prefix []int, depth int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			index := append(append([]int(nil), prefix...), i)
			if sf.Anonymous {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
					panic("web: embedded pointer " + t.String() + "." + sf.Name + ": embed the struct itself")
				}
				if ft.Kind() == reflect.Struct {
					if sf.Tag.Get(tagKey) == "-" {
						continue
					}
					if sf.Tag.Get(tagKey) != "" {
						panic("web: embedded " + t.String() + "." + sf.Name + " takes no " + tagKey + " tag but \"-\"")
					}
					walk(ft, index, depth+1)
					continue
				}
			}
			if !sf.IsExported() || sf.Tag.Get(tagKey) == "-" {
				continue
			}
			all = append(all, found{flatField{sf, index}, depth})
		}
	}
	walk(t, nil, 0)
	out := make([]flatField, 0, len(all))
	for i, f := range all {
		shadowed := false
		for j, g := range all {
			if i == j || g.field.Name != f.field.Name {
				continue
			}
			if g.depth == f.depth {
				panic("web: " + t.String() + " has two members named " + f.field.Name + " at the same depth")
			}
			shadowed = shadowed || g.depth < f.depth
		}
		if !shadowed {
			out = append(out, f.flatField)
		}
	}
	return out
}

func derefType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// primitiveXMLName names the DataContract element of a primitive array item.
func primitiveXMLName(t reflect.Type) (string, bool) {
	switch {
	case t == creditsType:
		return "decimal", true
	case t == timeType:
		return "dateTime", true
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean", true
	case reflect.Int, reflect.Int32:
		return "int", true
	case reflect.Int64:
		return "long", true
	case reflect.String:
		return "string", true
	case reflect.Float64:
		return "double", true
	}
	return "", false
}

// camelCase turns a PascalCase API name into camelCase by Json.NET's rule
// (CamelCasePropertyNamesContractResolver, StringUtils.ToCamelCase), which the real service's clients
// read: only the leading run of capitals is lowered, and when that run is followed by a lower-case
// letter its last capital starts the next word. UserID→userID, ProfileThumbnailURL→profileThumbnailURL,
// URLValue→urlValue, PPM→ppm, IDs→iDs. A separator (space) after a capital ends the run after
// lowering it. Names not starting with a capital are left as they are.
func camelCase(s string) string {
	runes := []rune(s)
	if len(runes) == 0 || !unicode.IsUpper(runes[0]) {
		return s
	}
	for i := range runes {
		if i == 1 && !unicode.IsUpper(runes[i]) {
			break
		}
		if i > 0 && i+1 < len(runes) && !unicode.IsUpper(runes[i+1]) {
			if unicode.Is(unicode.Z, runes[i+1]) { // .NET char.IsSeparator: Zs, Zl, Zp
				runes[i] = unicode.ToLower(runes[i])
			}
			break
		}
		runes[i] = unicode.ToLower(runes[i])
	}
	return string(runes)
}

// appendDate renders a time as the API does: local wall time without zone, trailing fractional zeros
// dropped (2016-03-26T18:20:55.14); the zero time is .NET's DateTime.MinValue.
func appendDate(b []byte, t time.Time, loc *time.Location) []byte {
	if t.IsZero() {
		return append(b, "0001-01-01T00:00:00"...)
	}
	if loc != nil {
		t = t.In(loc)
	}
	b = t.AppendFormat(b, "2006-01-02T15:04:05")
	if ms := t.Nanosecond() / 1e6; ms > 0 {
		frac := []byte{'.', byte('0' + ms/100), byte('0' + ms/10%10), byte('0' + ms%10)}
		for frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		b = append(b, frac...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = append(b, hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
