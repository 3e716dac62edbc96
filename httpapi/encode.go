package httpapi

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
	index     int
	pascal    string // JSON key and XML element name
	camel     string
	omitEmpty bool // omitted when nil: scope-gated members
	safeIndex int  // index of the sibling …Safe flag of an image URL, or -1
	maskAll   bool // a slice whose …Safe flag covers every URL inside it
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
			fields[i].json = jsonEncoder(t.Field(fields[i].index).Type)
		}
		return func(e *encoder, v reflect.Value, masked bool) {
			e.buf = append(e.buf, '{')
			first := true
			for i := range fields {
				f := &fields[i]
				fv := v.Field(f.index)
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
	panic("httpapi: cannot encode " + t.String())
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}

// maskedURL reports the replacement for an image URL field when masking applies: X-MaskImages is on
// and the image is not marked safe (or an enclosing …Safe flag already said the images are not).
func (e *encoder) maskedURL(f *fieldPlan, parent, fv reflect.Value, inherited bool) (string, bool) {
	if !e.opts.mask || fv.Kind() != reflect.String || fv.Len() == 0 {
		return "", false
	}
	if inherited && strings.HasSuffix(f.pascal, "URL") {
		return MaskedImageURL, true
	}
	if f.safeIndex >= 0 && !parent.Field(f.safeIndex).Bool() {
		return MaskedImageURL, true
	}
	return "", false
}

// maskChildren reports whether every URL inside a field must be masked (Images[] with ImagesSafe=false).
func (e *encoder) maskChildren(f *fieldPlan, parent reflect.Value) bool {
	return e.opts.mask && f.maskAll && !parent.Field(f.safeIndex).Bool()
}

// structFields lists the exported fields of t in declaration order with their names and image-safety
// links. A field tagged `wire:"omitempty"` is left out when nil; `wire:"-"` hides a field.
func structFields(t reflect.Type) []fieldPlan {
	var out []fieldPlan
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("wire")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		f := fieldPlan{index: i, pascal: sf.Name, camel: camelCase(sf.Name), omitEmpty: tag == "omitempty", safeIndex: -1}
		f.safeIndex, f.maskAll = safeFlag(t, sf)
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

// safeFlag finds the …Safe sibling of an image URL field: the flag's name is the URL field's name with
// its URL suffix (and size word) replaced, i.e. the longest prefix P of the name with a bool field
// P+"Safe" (ImageURL→ImageSafe, Image1ThumbnailURL→Image1Safe). A slice field X with a bool XSafe
// (Images/ImagesSafe) covers all URLs inside it.
func safeFlag(t reflect.Type, sf reflect.StructField) (int, bool) {
	isURL := sf.Type.Kind() == reflect.String && strings.HasSuffix(sf.Name, "URL")
	isSlice := sf.Type.Kind() == reflect.Slice
	if !isURL && !isSlice {
		return -1, false
	}
	name := sf.Name
	for n := len(name); n > 0; n-- {
		flag, ok := t.FieldByName(name[:n] + "Safe")
		if ok && flag.Type.Kind() == reflect.Bool && len(flag.Index) == 1 {
			if isSlice && n != len(name) {
				return -1, false
			}
			return flag.Index[0], isSlice
		}
		if isSlice {
			break
		}
	}
	return -1, false
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
