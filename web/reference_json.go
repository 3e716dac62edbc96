package web

import (
	"bytes"
	"encoding/json"
)

// jsonObject is a JSON object that keeps its members in insertion order, so the reference documents
// list properties as declared and the same declarations always give the same bytes.
type jsonObject struct {
	members []jsonMember
}

type jsonMember struct {
	key   string
	value any
}

// object builds a jsonObject from key, value pairs.
func object(kv ...any) *jsonObject {
	o := &jsonObject{members: make([]jsonMember, 0, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

// set replaces the value of key in place, or appends the member.
func (o *jsonObject) set(key string, value any) *jsonObject {
	for i := range o.members {
		if o.members[i].key == key {
			o.members[i].value = value
			return o
		}
	}
	o.members = append(o.members, jsonMember{key, value})
	return o
}

func (o *jsonObject) get(key string) any {
	for _, m := range o.members {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

func (o *jsonObject) has(key string) bool {
	for _, m := range o.members {
		if m.key == key {
			return true
		}
	}
	return false
}

// clone copies the top level of o.
func (o *jsonObject) clone() *jsonObject {
	return &jsonObject{members: append([]jsonMember(nil), o.members...)}
}

func (o *jsonObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, m := range o.members {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := marshalJSON(m.key, false)
		if err != nil {
			return nil, err
		}
		v, err := marshalJSON(m.value, false)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// marshalJSON encodes v without HTML escaping (descriptions say "<token>"), optionally indented.
func marshalJSON(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
