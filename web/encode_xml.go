package web

import (
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// xmlRoot writes v as a DataContract document: root element name, the model namespace as default
// namespace, xmlns:i for nils; members in alphabetical order; arrays as a wrapper holding one element
// per item named after the item type; bare scalars in the serialization namespace.
func (e *encoder) xmlRoot(v any, name, ns string) {
	e.buf = append(e.buf, `<?xml version="1.0" encoding="utf-8"?>`...)
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	t := rv.Type()
	if prim, ok := primitiveXMLName(t); ok {
		e.buf = append(e.buf, '<')
		e.buf = append(e.buf, prim...)
		e.buf = append(e.buf, ` xmlns="`+nsScalars+`">`...)
		xmlEncoder(t)(e, rv, false)
		e.buf = append(e.buf, "</"...)
		e.buf = append(e.buf, prim...)
		e.buf = append(e.buf, '>')
		return
	}
	if t.Kind() == reflect.Slice {
		item := derefType(t.Elem())
		if prim, ok := primitiveXMLName(item); ok {
			name, ns = "ArrayOf"+prim, nsArrays
		} else if name == "" {
			name = "ArrayOf" + item.Name()
		}
	}
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, ` xmlns:i="`+nsInstance+`" xmlns="`...)
	e.buf = appendXMLText(e.buf, ns)
	e.buf = append(e.buf, `">`...)
	xmlEncoder(t)(e, rv, false)
	e.buf = append(e.buf, "</"...)
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
}

// xmlEncoder returns the function that writes the content (not the tags) of a value of type t.
func xmlEncoder(t reflect.Type) encodeFn { return cachedEncoder(&xmlPlans, t, buildXML) }

func buildXML(t reflect.Type) encodeFn {
	if f := scalarEncoder(t); f != nil {
		return f
	}
	if t == timeType {
		return func(e *encoder, v reflect.Value, _ bool) {
			e.buf = appendDate(e.buf, v.Interface().(time.Time), e.opts.loc)
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(e *encoder, v reflect.Value, _ bool) { e.buf = appendXMLText(e.buf, v.String()) }
	case reflect.Pointer:
		elem := xmlEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			if !v.IsNil() {
				elem(e, v.Elem(), m)
			}
		}
	case reflect.Interface:
		return func(e *encoder, v reflect.Value, m bool) {
			if !v.IsNil() {
				xmlEncoder(v.Elem().Type())(e, v.Elem(), m)
			}
		}
	case reflect.Slice, reflect.Array:
		item := derefType(t.Elem())
		name, prim := primitiveXMLName(item)
		if !prim {
			name = item.Name()
			if name == "" {
				name = "Item"
			}
		}
		if prim {
			name = "a:" + name
		}
		elem := xmlEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			for i := range v.Len() {
				e.element(name, v.Index(i), elem, m)
			}
		}
	case reflect.Map:
		elem := xmlEncoder(t.Elem())
		return func(e *encoder, v reflect.Value, m bool) {
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				name := xmlName(k.String())
				val := v.MapIndex(k)
				if val.Kind() == reflect.Slice {
					// A key with several messages repeats its element once per message.
					for i := range val.Len() {
						e.element(name, val.Index(i), xmlEncoder(val.Type().Elem()), m)
					}
					continue
				}
				e.element(name, val, elem, m)
			}
		}
	case reflect.Struct:
		fields := structFields(t)
		slices.SortFunc(fields, func(a, b fieldPlan) int { return strings.Compare(a.pascal, b.pascal) })
		for i := range fields {
			fields[i].xml = xmlEncoder(fields[i].typ)
		}
		return func(e *encoder, v reflect.Value, masked bool) {
			for i := range fields {
				f := &fields[i]
				fv := fieldValue(v, f.index)
				if isNil(fv) {
					if f.omitEmpty {
						continue
					}
					if fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Interface {
						e.buf = append(e.buf, '<')
						e.buf = append(e.buf, f.pascal...)
						e.buf = append(e.buf, ` i:nil="true"/>`...)
						continue
					}
				}
				if url, ok := e.maskedURL(f, v, fv, masked); ok {
					e.element(f.pascal, reflect.ValueOf(url), xmlEncoder(fv.Type()), false)
					continue
				}
				childMask := masked || e.maskChildren(f, v)
				if f.xmlArrNS {
					e.buf = append(e.buf, '<')
					e.buf = append(e.buf, f.pascal...)
					e.buf = append(e.buf, ` xmlns:a="`+nsArrays+`">`...)
					f.xml(e, fv, childMask)
					e.closeTag(f.pascal)
					continue
				}
				e.element(f.pascal, fv, f.xml, childMask)
			}
		}
	}
	panic("web: cannot encode " + t.String() + " as XML")
}

func (e *encoder) element(name string, v reflect.Value, content encodeFn, masked bool) {
	if isNil(v) && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		e.buf = append(e.buf, '<')
		e.buf = append(e.buf, name...)
		e.buf = append(e.buf, ` i:nil="true"/>`...)
		return
	}
	e.buf = append(e.buf, '<')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
	content(e, v, masked)
	e.closeTag(name)
}

func (e *encoder) closeTag(name string) {
	e.buf = append(e.buf, "</"...)
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '>')
}

// xmlName makes an arbitrary key (a ModelState field path) a valid element name.
func xmlName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' ||
			i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '-')
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// appendXMLText escapes s for element content and attribute values; characters XML cannot carry
// (most control characters, invalid UTF-8) become U+FFFD.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			b = append(b, "\uFFFD"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}
