package smooch

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// FuzzEachMember holds the scanner decodeEnvelope uses to the encoding/json parser it stands in for: on any
// valid JSON, it reports an object exactly when json.Unmarshal decodes one, and the same members with the same
// values.
func FuzzEachMember(f *testing.F) {
	for _, seed := range []string{
		`{}`, `null`, `[]`, `"x"`, `12`, ` { "app" : null } `, `{"app":{"_id":"a","n":[1,{"}":"]"}]},"hasMore":false}`,
		`{"a\"b":"c\\","d":"\u007d"}`, `{"k":-1.5e3,"l":true,"m":nullx}`, "{\t\"k\"\r\n:\n[ ]\n}",
		`{"`, `{"a`, `{"a\"`, `{"a":`, `{"a":1,`, `{1}`, `{"a":{"b":[`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			// Not what the decoder hands it, but it must still stop without reading out of bounds.
			eachMember(data, func([]byte, int, []byte) {})
			return
		}
		var want map[string]json.RawMessage
		wantObject := json.Unmarshal(data, &want) == nil && want != nil
		got := map[string]string{} // name → value (the last occurrence wins, as in the decoder)
		isObject := eachMember(data, func(name []byte, _ int, value []byte) {
			var unquoted string
			if err := json.Unmarshal([]byte(`"`+string(name)+`"`), &unquoted); err != nil {
				t.Fatalf("the name %q is not a JSON string's contents: %v", name, err)
			}
			got[unquoted] = string(value)
		})
		if isObject != wantObject {
			t.Fatalf("eachMember(%s) says object %v, json.Unmarshal %v", data, isObject, wantObject)
		}
		if !isObject {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("eachMember(%s) found %d members, json.Unmarshal %d", data, len(got), len(want))
		}
		for name, raw := range want {
			value, ok := got[name]
			if !ok || value != strings.TrimSpace(string(raw)) {
				t.Fatalf("eachMember(%s): member %q found %v, value %s; json.Unmarshal has %s", data, name, ok, value, raw)
			}
		}
	})
}

func TestDecodeEnvelopeWantsTheResource(t *testing.T) {
	for body, want := range map[string]string{
		`{"app":{"_id":"a1","name":"n"}}`:      "",
		`{"APP":{"_id":"a1","name":"n"}}`:      "", // encoding/json ignores case; so does the check
		`{"\u0061pp":{"_id":"a1","name":"n"}}`: "",
		`{}`:                                   `the response has no "app" member`,
		`{"app":null}`:                         `the response has no "app" member`,
		`{"app":{"_id":"a1"},"app":null}`:      `the response has no "app" member`,
		`{"apps":[{"_id":"a1"}]}`:              `the response has no "app" member`,
		`null`:                                 "the response is not a JSON object",
		`{"app":{"_id":"a1","name":"n"}, "extra": [1]}`: "",
	} {
		var out appResponse
		err := decodeEnvelope([]byte(body), &out)
		if got := errorText(err); got != want {
			t.Errorf("decodeEnvelope(%s) = %q, want %q", body, got, want)
		}
	}
	var list appListResponse
	if err := decodeEnvelope([]byte(`{"apps":[],"hasMore":false,"offset":0}`), &list); err != nil {
		t.Errorf("an empty page: %v", err)
	}
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FuzzIntegrationOnePass holds Integration's one-pass decoding (the type read by the scanner, then one
// json.Unmarshal into the channel's model) to the two-pass decoding it replaced, which decodes the members every
// integration has first and the model after: the same integration or an error from both. The two-pass decoding
// is decodeHead, kept as the fallback for what the scanner cannot decide (an unknown, escaped or non-string
// type): for those inputs both sides run it, and what is compared is the scanner's choice to fall back. And
// UnmarshalJSON, exported, may be called directly with what the decoder would have refused: an error, never
// a panic.
func FuzzIntegrationOnePass(f *testing.F) {
	for _, seed := range []string{
		`{"_id":"i1","type":"telegram","username":"bot","status":"error","error":"revoked"}`,
		`{"_id":"i1","TYPE":"telegram"}`, `{"_id":"i1","type":"tele\u0067ram"}`, `{"type":"telegram","type":"viber"}`,
		`{"type":"viber","type":null}`, `{"type":5}`, `{"type":"telegram","username":5}`, `{"_id":"i1"}`,
		`{"_id":"i1","type":"pigeon","wings":2}`, `null`, `[]`, `{"type":"twilio","status":3}`,
		// Not JSON: UnmarshalJSON called directly used to index past the end of these.
		`{"`, `{"a`, `{1}`, `{"type":`, `{"type":"telegram",`, `{"a\"`, `{"type":"telegram"`, `{"a":}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			var i Integration
			if err := i.UnmarshalJSON(data); err == nil {
				t.Fatalf("%q is not JSON, yet decodes as %#v", data, i)
			}
			return
		}
		var onePass, twoPass Integration
		errOne, errTwo := onePass.UnmarshalJSON(data), twoPass.decodeHead(data)
		if (errOne == nil) != (errTwo == nil) {
			t.Fatalf("%s: one pass: %v; two passes: %v", data, errOne, errTwo)
		}
		if errOne == nil && !reflect.DeepEqual(onePass, twoPass) {
			t.Fatalf("%s: one pass: %#v; two passes: %#v", data, onePass, twoPass)
		}
	})
}
