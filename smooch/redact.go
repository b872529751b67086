package smooch

import (
	"fmt"
	"log/slog"
	"strings"
)

// redacted replaces a secret wherever one of this package's types is printed or logged.
const redacted = "REDACTED"

// field is one field of a value as it may be shown: secrets are shown only as REDACTED (or "" when empty,
// so that a forgotten secret is still visible while debugging).
type field struct {
	name   string
	value  any
	secret bool
}

func (f field) shown() any {
	if !f.secret {
		return f.value
	}
	if s, ok := f.value.(string); ok && s == "" {
		return ""
	}
	if b, ok := f.value.([]byte); ok && len(b) == 0 {
		return ""
	}
	return redacted
}

// formatRedacted implements fmt.Formatter for the types holding secrets, so that %v, %+v, %#v and %s all
// print the same fields with the secrets replaced.
func formatRedacted(s fmt.State, verb rune, typeName string, fields []field) {
	var b strings.Builder
	goSyntax := verb == 'v' && s.Flag('#')
	if goSyntax {
		b.WriteString("smooch.")
		b.WriteString(typeName)
	}
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			if goSyntax {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(f.name)
		b.WriteByte(':')
		if goSyntax {
			fmt.Fprintf(&b, "%#v", f.shown())
		} else {
			fmt.Fprintf(&b, "%v", f.shown())
		}
	}
	b.WriteByte('}')
	_, _ = s.Write([]byte(b.String()))
}

// goStringRedacted implements fmt.GoStringer with the same output as %#v.
func goStringRedacted(typeName string, fields []field) string {
	return fmt.Sprintf("%#v", redactedValue{typeName, fields})
}

// logValueRedacted implements slog.LogValuer: a group of the fields, secrets replaced.
func logValueRedacted(fields []field) slog.Value {
	attrs := make([]slog.Attr, 0, len(fields))
	for _, f := range fields {
		attrs = append(attrs, slog.Any(f.name, f.shown()))
	}
	return slog.GroupValue(attrs...)
}

type redactedValue struct {
	typeName string
	fields   []field
}

func (r redactedValue) Format(s fmt.State, verb rune) { formatRedacted(s, verb, r.typeName, r.fields) }
