package clienttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smoochkit/smooch-go/smooch"
)

// The fuzz targets of package smooch. Their seeds (f.Add below, and testdata/fuzz/<target>/, the documented
// responses of the contract among them) run as plain tests with go test; make fuzz explores each for
// FUZZTIME. Every target asserts properties, not only the absence of a panic.

// decodeCalls are the ways the client decodes a response: one per model it returns, the integration
// discriminator twice (one and a list), a bare JWT string, and a DELETE that reads no body.
var decodeCalls = []struct {
	name string
	call func(ctx context.Context, c *smooch.Client) (any, error)
}{
	{"Apps.Get", func(ctx context.Context, c *smooch.Client) (any, error) { return c.Apps.Get(ctx, "a1") }},
	{"Apps.List", func(ctx context.Context, c *smooch.Client) (any, error) { return c.Apps.List(ctx, nil) }},
	{"AppKeys.Create", func(ctx context.Context, c *smooch.Client) (any, error) {
		return c.AppKeys.Create(ctx, "a1", smooch.SecretKeyCreate{Name: "k"})
	}},
	{"AppKeys.List", func(ctx context.Context, c *smooch.Client) (any, error) { return c.AppKeys.List(ctx, "a1") }},
	{"AppKeys.JWT", func(ctx context.Context, c *smooch.Client) (any, error) { return c.AppKeys.JWT(ctx, "a1", "k1") }},
	{"ServiceAccounts.List", func(ctx context.Context, c *smooch.Client) (any, error) { return c.ServiceAccounts.List(ctx, nil) }},
	{"Integrations.Get", func(ctx context.Context, c *smooch.Client) (any, error) { return c.Integrations.Get(ctx, "a1", "i1") }},
	{"Integrations.List", func(ctx context.Context, c *smooch.Client) (any, error) { return c.Integrations.List(ctx, "a1", nil) }},
	{"Webhooks.List", func(ctx context.Context, c *smooch.Client) (any, error) { return c.Webhooks.List(ctx, "a1") }},
	{"Webhooks.Create", func(ctx context.Context, c *smooch.Client) (any, error) {
		return c.Webhooks.Create(ctx, "a1", smooch.WebhookCreate{Target: "https://example.com/h"})
	}},
	{"Apps.Delete", func(ctx context.Context, c *smooch.Client) (any, error) { return nil, c.Apps.Delete(ctx, "a1") }},
}

// FuzzResponseDecoding answers one of decodeCalls with any status, Content-Type and body. Whatever arrives:
// no panic; a non-2xx status is an *APIError with that status that carries neither the bearer token nor more
// than 4 KiB of body; a 2xx either decodes, with every integration given a channel, or is an error that says
// the response could not be decoded, names the method and quotes none of the body's long strings (which may
// be credentials).
func FuzzResponseDecoding(f *testing.F) {
	for _, seed := range []struct {
		status int
		body   string
	}{
		{200, `{"app":{"_id":"a1","name":"n","settings":{"maskCreditCardNumbers":true}}}`},
		{200, `{"integrations":[{"_id":"i1","type":"telegram","username":"bot"},{"_id":"i2","type":"future","x":[1,{}]}]}`},
		{200, `{"integration":{"_id":"i1"}}`},
		{200, `{"integration":{"_id":"i1","type":"wechat","webhookSecret":12}}`},
		{201, `{"key":{"_id":"app_1","name":"k","secret":"s3cr3t-not-real-0123456789"}}`},
		{200, `{"jwt":"eyJhbGciOiJIUzI1NiJ9.e30.c2ln"}`},
		{200, ``}, {200, `null`}, {200, `[]`}, {200, `{"app":`}, {200, `<html>502</html>`},
		{404, `{"error":{"code":"not_found","description":"App not found"}}`},
		{429, `{"error":{"code":"too_many_requests"}}`}, {500, `<html><body>oops</body></html>`}, {503, ``},
		{400, `{"error":"flat"}`}, {302, ``}, {204, ``},
	} {
		for i := range decodeCalls {
			f.Add(seed.status, "application/json", []byte(seed.body), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte, which uint8) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400 // net/http hands the client final statuses only
		}
		dc := decodeCalls[int(which)%len(decodeCalls)]
		var sentToken string
		transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sentToken = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			resp := jsonResponse(r, status, string(body))
			resp.Header.Set("Content-Type", contentType)
			return resp, nil
		})
		c, err := smooch.New(accountCreds(), smooch.WithBaseURL("http://fuzz.invalid"), smooch.WithMaxRetries(0),
			smooch.WithHTTPClient(&http.Client{Transport: transport}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := dc.call(context.Background(), c)

		if status < 200 || status > 299 {
			var apiErr *smooch.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%s answered %d: %T %v, want an *APIError", dc.name, status, err, err)
			}
			if apiErr.StatusCode != status || !strings.HasPrefix(err.Error(), "smooch: ") || len(apiErr.Body) > 4<<10 {
				t.Fatalf("%s answered %d: %+v", dc.name, status, apiErr)
			}
			for _, text := range []string{err.Error(), apiErr.Description, apiErr.Code, string(apiErr.Body)} {
				if strings.Contains(text, sentToken) {
					t.Fatalf("the *APIError carries the bearer token: %q", text)
				}
			}
			return
		}
		if err != nil {
			if want := "smooch: " + dc.name + ": decoding the response: "; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("%s answered %d %q: %v, want an error starting %q", dc.name, status, body, err, want)
			}
			if s := quotedValue(err.Error(), body, 12); s != "" {
				t.Fatalf("the error quotes the body's %q: %v", s, err)
			}
			return
		}
		var integrations []smooch.Integration
		switch v := got.(type) {
		case *smooch.Integration:
			integrations = []smooch.Integration{*v}
		case []smooch.Integration:
			integrations = v
		}
		for _, i := range integrations {
			checkIntegration(t, i)
		}
	})
}

// quotedValue returns a JSON string value of data of at least n bytes that msg quotes, or "" if none (or if
// data is not JSON). Ids (`_id` members, in any case, as encoding/json matches them) are left out, and
// taken out of msg first: errors name an id on purpose (quoted), and ids are not secret.
func quotedValue(msg string, data []byte, n int) string {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	var values, ids []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if len(v) >= n {
				values = append(values, v)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				if id, ok := e.(string); ok && strings.EqualFold(k, "_id") {
					ids = append(ids, id)
					continue
				}
				walk(e)
			}
		}
	}
	walk(v)
	for _, id := range ids {
		msg = strings.ReplaceAll(msg, strconv.Quote(id), `"<id>"`)
	}
	for _, s := range values {
		if strings.Contains(msg, s) {
			return s
		}
	}
	return ""
}

// checkIntegration holds an integration the client returned to the discriminator's promises: a type and a
// channel of the type's model (or *UnknownIntegration with the raw JSON of an unknown type), and an encoding
// that decodes back to the same integration and is stable from then on.
func checkIntegration(t *testing.T, i smooch.Integration) {
	t.Helper()
	ch := i.Channel()
	if i.Type == "" || ch == nil {
		t.Fatalf("integration %+v without a type or a channel", i)
	}
	unknown, isUnknown := ch.(*smooch.UnknownIntegration)
	if isUnknown == i.Type.Valid() {
		t.Fatalf("type %q decoded into %T", i.Type, ch)
	}
	if isUnknown && (!json.Valid(unknown.Raw) || unknown.Type != i.Type || unknown.ID != i.ID) {
		t.Fatalf("unknown integration %q: %+v", i.Type, unknown)
	}
	encoded, err := json.Marshal(i)
	if err != nil {
		t.Fatalf("encoding %v: %v", i, err)
	}
	var again smooch.Integration
	if err := json.Unmarshal(encoded, &again); err != nil {
		t.Fatalf("%s does not decode again: %v", encoded, err)
	}
	if again.ID != i.ID || again.Type != i.Type || reflect.TypeOf(again.Channel()) != reflect.TypeOf(ch) {
		t.Fatalf("decode(encode(x)) is %+v, x is %+v", again, i)
	}
	reencoded, err := json.Marshal(again)
	if err != nil || string(reencoded) != string(encoded) {
		t.Fatalf("encoding is not stable: %s then %s (%v)", encoded, reencoded, err)
	}
	if isUnknown && !jsonEqual(encoded, unknown.Raw) {
		t.Fatalf("an unknown integration encodes as %s, not as received (%s)", encoded, unknown.Raw)
	}
	if !isUnknown {
		checkRedacted(t, reflect.ValueOf(ch).Elem())
	}
	_ = fmt.Sprintf("%v %+v %#v %s", i, i, i, i) // printing never panics
}

// jsonEqual: a and b are the same JSON value (json.Marshal escapes <, > and & in what a MarshalJSON
// returns, and so writes an unknown integration's raw bytes equivalently rather than identically).
func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// checkRedacted: a model prints and encodes exactly as the same model with each non-empty secret replaced
// by REDACTED, whatever the secret's value; so no secret can show through.
func checkRedacted(t *testing.T, v reflect.Value) {
	t.Helper()
	redacted := reflect.New(v.Type()).Elem()
	redacted.Set(v)
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("smooch") != "secret" || v.Field(i).IsZero() {
			continue
		}
		switch v.Field(i).Kind() {
		case reflect.String:
			redacted.Field(i).SetString("REDACTED")
		default:
			redacted.Field(i).SetZero()
		}
	}
	a, b := v.Interface(), redacted.Interface()
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil || string(ja) != string(jb) {
		t.Fatalf("JSON of %T: %s (%v), with its secrets replaced: %s (%v)", a, ja, errA, jb, errB)
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if x, y := fmt.Sprintf(verb, a), fmt.Sprintf(verb, b); x != y && !(v.Type().Kind() == reflect.Struct && hasSecretBytes(v)) {
			t.Fatalf("%s of %T: %s, with its secrets replaced: %s", verb, a, x, y)
		}
	}
}

// hasSecretBytes: a secret []byte prints REDACTED where the replaced model shows it empty; fmt outputs differ.
func hasSecretBytes(v reflect.Value) bool {
	for i := range v.NumField() {
		if v.Type().Field(i).Tag.Get("smooch") == "secret" && v.Field(i).Kind() == reflect.Slice && !v.Field(i).IsZero() {
			return true
		}
	}
	return false
}

// FuzzIntegrationJSON decodes any JSON as an Integration. What decodes has a type and a channel, encodes,
// decodes back to the same id, type and channel model, encodes the same from then on, encodes an unknown
// type exactly as received, and prints and encodes every credential of a known type as REDACTED. What does
// not decode is an error, never a panic, and never quotes the object.
func FuzzIntegrationJSON(f *testing.F) {
	for _, tc := range validChannels() {
		f.Add([]byte(fmt.Sprintf(`{"_id":"i1","type":%q}`, tc.ch.Type())))
	}
	for _, seed := range []string{
		`{"_id":"i1","type":"wechat","appId":"wx","webhookSecret":"s3cr3t-wechat-not-real"}`,
		`{"_id":"i2","type":"messagebird","originator":"+1555","webhookSecret":"s3cr3t-bird-not-real"}`,
		`{"_id":"i3","type":"twilio","phoneNumberSid":"PN1","phoneNumber":"+1","name":"n","accountSid":"AC1"}`,
		`{"_id":"i9","type":"android","nested":{"a":[1,null,"x"]},"secret":"maybe"}`,
		`{"_id":"i1"}`, `{"type":""}`, `{"type":7}`, `{"_id":["x"],"type":"line"}`, `{"type":"line","channelId":{}}`,
		`{"type":"apn","autoUpdateBadge":"yes"}`, `null`, `[]`, `"telegram"`, `{`, `{"type":"\u0000"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var i smooch.Integration
		if err := json.Unmarshal(data, &i); err != nil {
			if s := quotedValue(err.Error(), data, 12); s != "" {
				t.Fatalf("the error quotes %q: %v", s, err)
			}
			return
		}
		if string(data) == "null" {
			return // json leaves the zero Integration alone
		}
		checkIntegration(t, i)
	})
}

// channelOf builds the channel of kind k (of the 12), its string fields taken in order from s and its bytes
// (APN's certificate) from b; autoUpdateBadge from flag.
func channelOf(k uint8, s [4]string, b []byte, flag bool) smooch.Channel {
	channels := []smooch.Channel{smooch.Messenger{}, smooch.Twitter{}, smooch.Twilio{}, smooch.Telegram{}, smooch.LINE{},
		smooch.Viber{}, smooch.WeChat{}, smooch.Mailgun{}, smooch.MessageBird{}, smooch.Email{}, smooch.APN{}, smooch.FCM{}}
	v := reflect.New(reflect.TypeOf(channels[int(k)%len(channels)])).Elem()
	next := 0
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			if next < len(s) {
				f.SetString(s[next])
				next++
			}
		case reflect.Slice:
			f.SetBytes(b)
		case reflect.Bool:
			f.SetBool(flag)
		}
	}
	return v.Interface().(smooch.Channel)
}

// FuzzChannelBuilders fills any channel with any arguments. Validate either passes, and then
// Integrations.Create sends a body of the channel's type whose every argument decodes to exactly the value
// given; or it fails with a *ValidationError naming the channel and one of its fields, that never quotes a
// credential, and nothing is sent. Either way the channel prints and encodes its credentials as REDACTED.
func FuzzChannelBuilders(f *testing.F) {
	f.Add(uint8(0), "page-token", "fb-app", "fb-secret", "", []byte(nil), false)
	f.Add(uint8(2), "ACa1b4c65ee0722712fab89867cb14eac7", "auth", "PN0674df0ecee0c9819bca0ff0bc0a159e", "", []byte(nil), false)
	f.Add(uint8(3), "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s", "", "", "", []byte(nil), false)
	f.Add(uint8(6), "wx", "secret", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK012345", "", []byte(nil), false)
	f.Add(uint8(7), "key", "mg.example.com", "support@mg.example.com", "", []byte(nil), false)
	f.Add(uint8(8), "key", "+15551234567", "", "", []byte(nil), false)
	f.Add(uint8(9), "Support <support@example.com>", "", "", "", []byte(nil), false)
	f.Add(uint8(10), "p12-password", "", "", "", []byte{0x30, 0x82, 1, 2}, true)
	f.Add(uint8(11), "server-key", "1429457686312", "", "", []byte(nil), false)
	f.Add(uint8(1), "ck", "s3cr3t\xff", " at", "ats\n", []byte(nil), false)
	f.Fuzz(func(t *testing.T, kind uint8, a, b, c, d string, cert []byte, flag bool) {
		ch := channelOf(kind, [4]string{a, b, c, d}, cert, flag)
		v := reflect.ValueOf(ch)
		checkRedacted(t, v)
		var sent []byte
		transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent, _ = io.ReadAll(r.Body)
			return jsonResponse(r, 201, fmt.Sprintf(`{"integration":{"_id":"i1","type":%q}}`, ch.Type())), nil
		})
		client, err := smooch.New(accountCreds(), smooch.WithBaseURL("http://fuzz.invalid"), smooch.WithHTTPClient(&http.Client{Transport: transport}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = client.Integrations.Create(context.Background(), "app1", ch)
		if verr := ch.Validate(); verr != nil {
			var ve *smooch.ValidationError
			if !errors.As(verr, &ve) || ve.Subject != string(ch.Type()) || fieldIndex(v.Type(), ve.Field) < 0 || ve.Problem == "" {
				t.Fatalf("Validate of %T: %T %v: want a *ValidationError naming the channel and a field", ch, verr, verr)
			}
			if err == nil || err.Error() != verr.Error() || sent != nil {
				t.Fatalf("Create of an invalid %T: %v, sent %q", ch, err, sent)
			}
			// A credential in the message must come from elsewhere (the message's own text, another field):
			// with the credential replaced, the message still holds that text.
			for i := range v.NumField() {
				secret, isString := v.Field(i).Interface().(string)
				if !isString || v.Type().Field(i).Tag.Get("smooch") != "secret" || len(secret) < 4 || !strings.Contains(verr.Error(), secret) {
					continue
				}
				other := reflect.New(v.Type()).Elem()
				other.Set(v)
				other.Field(i).SetString("zz-replaced-zz")
				if oerr := other.Interface().(smooch.Channel).Validate(); oerr == nil || !strings.Contains(oerr.Error(), secret) {
					t.Fatalf("the error quotes the credential %s: %v", v.Type().Field(i).Name, verr)
				}
			}
			return
		}
		if err != nil {
			t.Fatalf("Create of a valid %T: %v", ch, err)
		}
		var body map[string]any
		if err := json.Unmarshal(sent, &body); err != nil || body["type"] != string(ch.Type()) {
			t.Fatalf("sent %s (%v)", sent, err)
		}
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if s, ok := v.Field(i).Interface().(string); ok && s != "" {
				if !utf8.ValidString(s) || body[name] != s {
					t.Fatalf("%s %q was sent as %q", name, s, body[name])
				}
			}
		}
	})
}

// TestAnAnswerWithoutItsResourceIsAnError: a 2xx body without the member the contract requires (`{}`,
// `null`, another operation's answer) used to decode into an empty model with no error, and into an
// Integration whose Channel() was nil although documented never to be. FuzzResponseDecoding's seeds found it.
func TestAnAnswerWithoutItsResourceIsAnError(t *testing.T) {
	for _, tc := range []struct{ body, call, want string }{
		{`{}`, "Apps.Get", `the response has no "app" member`},
		{`null`, "Apps.Get", "the response is not a JSON object"},
		{`{"app":null}`, "Apps.Get", `the response has no "app" member`},
		{`{"apps":[]}`, "Apps.List", `the response has no "hasMore" member`},
		{`{"app":{"_id":"a1","name":"n"}}`, "Integrations.Get", `the response has no "integration" member`},
		{`{"integrations":[]}`, "Integrations.Get", `the response has no "integration" member`},
		{`{"key":{"_id":"k1"}}`, "AppKeys.JWT", `the response has no "jwt" member`},
		{`[]`, "Webhooks.List", "json: cannot unmarshal array"},
	} {
		for _, dc := range decodeCalls {
			if dc.name != tc.call {
				continue
			}
			f := newFakeAPI(t, answer(200, tc.body))
			got, err := dc.call(context.Background(), newClient(t, f, accountCreds()))
			if err == nil {
				t.Errorf("%s answered %s: %+v, no error", tc.call, tc.body, got)
				continue
			}
			if want := "smooch: " + tc.call + ": decoding the response: " + tc.want; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s answered %s: %v, want %q", tc.call, tc.body, err, want)
			}
		}
	}
}

// TestMakeFuzzRunsEveryTarget: make fuzz (and CI) runs the targets FUZZ_TARGETS lists in the Makefile; it
// must list every Fuzz function of the repository (every module), and only those, each with a budget counted in executions.
func TestMakeFuzzRunsEveryTarget(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^FUZZ_TARGETS := ((?:.*\\\n)*.*)$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile has no FUZZ_TARGETS")
	}
	var listed []string // package:Func, each with its budget of executions
	for _, entry := range strings.Fields(strings.ReplaceAll(string(m[1]), "\\\n", " ")) {
		pkg, rest, _ := strings.Cut(entry, ":")
		name, budget, _ := strings.Cut(rest, ":")
		if !regexp.MustCompile(`^[1-9][0-9]*x$`).MatchString(budget) {
			t.Errorf("FUZZ_TARGETS: %s has budget %q, want a count of executions (e.g. 20000x): a duration may fail a clean run (golang/go#75804)", entry, budget)
		}
		listed = append(listed, pkg+":"+name)
	}
	var found []string
	fuzzFunc := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(f \*testing\.F\)`)
	for path, src := range repoTestFiles(t) {
		for _, fn := range fuzzFunc.FindAllSubmatch(src, -1) {
			dir, _ := filepath.Rel(repoRoot, filepath.Dir(path))
			found = append(found, "./"+filepath.ToSlash(dir)+":"+string(fn[1]))
		}
	}
	sort.Strings(listed)
	sort.Strings(found)
	if !reflect.DeepEqual(listed, found) {
		t.Errorf("FUZZ_TARGETS in the Makefile lists\n\t%v\nbut the repository's fuzz targets are\n\t%v", listed, found)
	}

	// A seed corpus runs only beside its target: go test reads testdata/fuzz/FuzzX of FuzzX's own package, and
	// silently ignores one anywhere else (a corpus left behind when a target moves).
	corpora, err := filepath.Glob(filepath.Join(repoRoot, "*", "testdata", "fuzz", "*"))
	if err != nil {
		t.Fatal(err)
	}
	deeper, _ := filepath.Glob(filepath.Join(repoRoot, "*", "*", "testdata", "fuzz", "*"))
	for _, corpus := range append(corpora, deeper...) {
		pkgDir, _ := filepath.Rel(repoRoot, filepath.Dir(filepath.Dir(filepath.Dir(corpus))))
		target := "./" + filepath.ToSlash(pkgDir) + ":" + filepath.Base(corpus)
		if !slices.Contains(found, target) {
			t.Errorf("%s is a seed corpus of no fuzz target: there is no %s in ./%s, so go test never runs it", corpus, filepath.Base(corpus), pkgDir)
		}
	}
	if len(corpora)+len(deeper) == 0 {
		t.Error("found no seed corpus (testdata/fuzz/FuzzX) at all: the glob is wrong")
	}
}
