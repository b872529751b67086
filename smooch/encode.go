package smooch

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encode encodes a request body, refusing one that JSON would send altered; subject names the call in errors
// (Apps.Create, Client.Do).
func encode(subject string, params any) ([]byte, error) {
	b, err := json.Marshal(params)
	if err != nil {
		return nil, notPerformed(fmt.Errorf("smooch: %s: encoding the request: %w", subject, err))
	}
	if err := sentAsGiven(subject, b, params); err != nil {
		return nil, err
	}
	return b, nil
}

// sentAsGiven refuses v, encoded as encoded, if it holds text that is not valid UTF-8: encoding/json replaces
// each bad byte with U+FFFD, so the API would receive another name, URL or credential than the one given,
// and no error would say so. The error names the member (items[0].text, metadata.plan) and never quotes the
// value, which may be a secret. When the walk cannot name the member (text from a MarshalText or
// MarshalJSON method, an unexported embedded struct), the error names the body. An escape \ufffd that a
// json.RawMessage or MarshalJSON method writes itself is refused too: it cannot be told from a replaced byte.
func sentAsGiven(subject string, encoded []byte, v any) error {
	if !replacedText(encoded) {
		return nil
	}
	field := badText(reflect.ValueOf(v), "")
	if field == "" {
		field = "body"
	}
	return &ValidationError{Subject: subject, Field: field, Problem: "is not valid UTF-8 (JSON would send it altered)"}
}

// replacedText reports whether json.Marshal replaced a byte that is not UTF-8: it writes each one as the
// escape \ufffd, while it writes a genuine U+FFFD as is and escapes a backslash of the text as \\. An
// escape is a backslash preceded by an even number of backslashes. It allocates nothing.
func replacedText(encoded []byte) bool {
	const replaced = `\ufffd`
	backslashes := 0
	for i, c := range encoded {
		if c != '\\' {
			backslashes = 0
			continue
		}
		if backslashes%2 == 0 && len(encoded)-i >= len(replaced) && string(encoded[i:i+len(replaced)]) == replaced {
			return true
		}
		backslashes++
	}
	return false
}

// badText returns the JSON path, below path, of the first text in v that is not valid UTF-8 (a string, or a
// map key), or "" if none is. Only the fields encoding/json sends are visited, map keys in order.
func badText(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return path
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return badText(v.Elem(), path)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "" // []byte is sent as base64
		}
		for i := range v.Len() {
			if p := badText(v.Index(i), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if k.Kind() == reflect.String && !utf8.ValidString(k.String()) {
				return join(path, "(a key)")
			}
			if p := badText(v.MapIndex(k), join(path, k.String())); p != "" {
				return p
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			inner := join(path, cmp.Or(name, f.Name))
			if f.Anonymous && name == "" {
				inner = path // an embedded struct's fields are the outer object's
			}
			if p := badText(v.Field(i), inner); p != "" {
				return p
			}
		}
	}
	return ""
}

// join appends a member's name to a JSON path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
