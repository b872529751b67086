package smooch

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
)

// redacted replaces a secret wherever one of this package's types is printed, logged or encoded as JSON.
const redacted = "REDACTED"

// A struct field tagged `smooch:"secret"` holds a credential. The generated models carry the tag on every
// property the contract marks x-smooch-secret: true (openapi/smooch-models.overlay.yaml), and the generated
// Format, LogValue and MarshalJSON methods of their types (openapi/templates/typedef.tmpl) call the helpers
// below, so that what the contract calls a secret is redacted everywhere without a list kept by hand.
func isSecret(f reflect.StructField) bool { return f.Tag.Get("smooch") == "secret" }

// shownValue is what printing and logging show of a field: a secret as REDACTED (or empty when it is, so that
// a forgotten secret is still visible while debugging), raw JSON as its text, a pointer as its value (nil when
// absent).
func shownValue(f reflect.StructField, v reflect.Value) any {
	if isSecret(f) {
		if v.IsZero() || (v.Kind() == reflect.Slice && v.Len() == 0) {
			return v.Interface()
		}
		return redacted
	}
	if raw, ok := v.Interface().(json.RawMessage); ok && raw != nil {
		return string(raw) // JSON as received: text, not bytes
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		return v.Elem().Interface()
	}
	return v.Interface()
}

// formatModel implements fmt.Formatter for the models: every verb prints the exported fields with their
// names, {Name:value …}, and %#v as Go syntax, smooch.Type{Name:value, …}; secrets are redacted and pointers
// shown by value.
func formatModel(s fmt.State, verb rune, model any) {
	formatAs(s, verb, reflect.TypeOf(model).Name(), model)
}

// formatAs is formatModel for a type that prints the fields of another, named name in %#v.
func formatAs(s fmt.State, verb rune, name string, model any) {
	v := reflect.ValueOf(model)
	t := v.Type()
	goSyntax := verb == 'v' && s.Flag('#')
	inner := "%v"
	switch {
	case goSyntax:
		inner = "%#v"
	case verb == 'v' && s.Flag('+'):
		inner = "%+v"
	}
	var b strings.Builder
	if goSyntax {
		b.WriteString("smooch.")
		b.WriteString(name)
	}
	b.WriteByte('{')
	n := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if n > 0 {
			if goSyntax {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		n++
		b.WriteString(f.Name)
		b.WriteByte(':')
		fmt.Fprintf(&b, inner, shownValue(f, v.Field(i)))
	}
	b.WriteByte('}')
	_, _ = s.Write([]byte(b.String()))
}

// logModel implements slog.LogValuer for the models: a group of the exported fields, secrets redacted.
func logModel(model any) slog.Value {
	v := reflect.ValueOf(model)
	t := v.Type()
	attrs := make([]slog.Attr, 0, t.NumField())
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			attrs = append(attrs, slog.Any(f.Name, shownValue(f, v.Field(i))))
		}
	}
	return slog.GroupValue(attrs...)
}

// marshalRedacted encodes a model as JSON with its secrets replaced: a secret string becomes REDACTED and
// secret bytes null. model must be of a type without a MarshalJSON method (the generated methods pass their
// value converted to a local type with the same fields), or this would recurse.
func marshalRedacted(model any) ([]byte, error) {
	v := reflect.ValueOf(model)
	t := v.Type()
	var copied reflect.Value // allocated on the first secret that needs replacing
	for i := range t.NumField() {
		f := t.Field(i)
		if !isSecret(f) || v.Field(i).IsZero() {
			continue
		}
		if !copied.IsValid() {
			copied = reflect.New(t).Elem()
			copied.Set(v)
		}
		switch f.Type.Kind() {
		case reflect.String:
			copied.Field(i).SetString(redacted)
		default:
			copied.Field(i).SetZero()
		}
	}
	if copied.IsValid() {
		model = copied.Interface()
	}
	return json.Marshal(model)
}

// minScrubbed is the length under which a credential is not scrubbed from error text: replacing "x" or "ab"
// everywhere would garble the message, and a credential that short protects nothing anyway.
const minScrubbed = 6

// secretValues lists the credentials of model, a struct whose secret fields are tagged `smooch:"secret"`, in
// every form a server echoing the request could show them: as the text itself, as escaped in the JSON body,
// and bytes as JSON's base64.
func secretValues(model any) []string {
	v := reflect.Indirect(reflect.ValueOf(model))
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	add := func(s string) {
		if len(s) >= minScrubbed {
			out = append(out, s)
		}
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !isSecret(f) || v.Field(i).IsZero() {
			continue
		}
		switch f.Type.Kind() {
		case reflect.String:
			s := v.Field(i).String()
			add(s)
			if quoted, err := json.Marshal(s); err == nil {
				add(string(quoted[1 : len(quoted)-1]))
			}
		case reflect.Slice:
			if b, ok := v.Field(i).Interface().([]byte); ok {
				add(base64.StdEncoding.EncodeToString(b))
			}
		}
	}
	return out
}
