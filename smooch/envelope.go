package smooch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// decodeEnvelope decodes a 2xx body into out, one of the package's response envelopes ({"app": …},
// {"apps": […], "hasMore": …}), and checks that it has every member the contract requires of it (the
// envelope's fields without omitempty): an answer without its resource, `{}` or `null`, is an error, not an
// empty model.
func decodeEnvelope(body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return err
	}
	required := requiredMembers(reflect.TypeOf(out).Elem())
	var seen uint64 // bit i: required[i] is present and not null
	isObject := eachMember(body, func(name []byte, _ int, value []byte) {
		for i, want := range required {
			// encoding/json matched the member to its field ignoring case: so does this check.
			if matchesName(name, want) {
				if string(value) == "null" {
					seen &^= 1 << i
				} else {
					seen |= 1 << i
				}
			}
		}
	})
	if !isObject {
		return errors.New("the response is not a JSON object")
	}
	for i, want := range required {
		if seen&(1<<i) == 0 {
			return fmt.Errorf("the response has no %q member", want)
		}
	}
	return nil
}

// matchesName reports whether name, a member name as written in JSON, is want, ignoring case.
func matchesName(name []byte, want string) bool {
	if bytes.IndexByte(name, '\\') < 0 {
		return bytes.EqualFold(name, []byte(want))
	}
	var unquoted string // escaped: rare enough to pay for the allocation
	quoted := append(append([]byte{'"'}, name...), '"')
	return json.Unmarshal(quoted, &unquoted) == nil && strings.EqualFold(unquoted, want)
}

var requiredByType sync.Map // reflect.Type → []string

// requiredMembers lists the JSON names of t's fields without omitempty or omitzero: the members the contract
// requires of the envelope (the generator writes omitempty on every optional one). At most 64, which the
// envelopes' two or three never approach.
func requiredMembers(t reflect.Type) []string {
	if names, ok := requiredByType.Load(t); ok {
		return names.([]string)
	}
	var names []string
	for i := range t.NumField() {
		name, options, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || strings.Contains(options, "omitempty") || strings.Contains(options, "omitzero") {
			continue
		}
		names = append(names, name)
	}
	if len(names) > 64 {
		panic("smooch: an envelope with more than 64 required members: " + t.String())
	}
	requiredByType.Store(t, names)
	return names
}
