package clienttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// badIDs are ids of every kind a caller may pass on from untrusted input, beyond the dot segments of
// hostileIDs: separators and delimiters of URLs, escapes, white space, control characters, Unicode (right to
// left override included), bytes that are not UTF-8, and 10,000 characters.
var badIDs = []string{
	"/", "a/b", "/a", "a/", "//", "?", "a?b=c", "?limit=100", "#", "a#b", "%", "%2F", "%2f..", "a%00b", "%zz", ";", "a;b=c",
	" ", " a", "a b", "\t", "\x00", "a\x00b", "\n", "a\r\nX-Injected: 1", "\x7f", "é", "日本語", "😀", "a\u202eb", "\u200b",
	"\xff", "a\xc3", "..\u2215..", "．．", strings.Repeat("a", 10000), strings.Repeat("é/", 2500),
}

// TestBadIDsNeverLeaveTheirRoute: for every operation of the contract that takes an id, and every
// parameter, each bad id is refused before sending with a *ValidationError naming the parameter, or reaches
// the raw listener as exactly one segment that unescapes to the id: never another route, a query, a fragment
// or a header.
func TestBadIDsNeverLeaveTheirRoute(t *testing.T) {
	checkIDsStayOnTheirRoute(t, badIDs)
}

// TestDoRefusesAFragment: Client.Do takes an escaped path. A '#' in it is an id that was not escaped: net/http
// would drop it and what follows, and send the request to the parent of the resource meant.
func TestDoRefusesAFragment(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	for _, path := range []string{"/v1/apps/a#b", "/v1/apps/#", "/v1/apps/a?x=1#frag"} {
		err := c.Do(context.Background(), "DELETE", path, nil, nil)
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, path)
		assert.Equal(t, "path", ve.Field)
		assert.Contains(t, err.Error(), "escape ids with url.PathEscape")
	}
	for _, path := range []string{"/v1/apps/a\x00b", "/v1/apps/a\nb"} {
		err := c.Do(context.Background(), "GET", path, nil, nil)
		assert.Error(t, err, "%q", path)
	}
	assert.Zero(t, f.count(), "nothing was sent")
	require.NoError(t, c.Do(context.Background(), "DELETE", "/v1/apps/a%23b", nil, nil), "an escaped # is an id's")
	assert.Equal(t, "/v1/apps/a%23b", f.requests()[0].Path)
}

// badStrings are values no argument should be garbled by: sent exactly, or refused.
var badStrings = []string{
	"", " ", "   ", "\t", " x", "x ", "x\n", "\nx", "x\ny", "x\x00y", "\x00", "x\x7fy", "\"quoted\"", `back\slash`,
	"</script><script>", "{\"type\":\"sms\"}", "é", "日本語", "😀", "a\u202eb", "\u200b", "\u2028", "\xff", "x\xc3",
	strings.Repeat("x", 10000), strings.Repeat("é", 100000),
}

// TestChannelArgumentsAreSentExactlyOrRefused sets every string field of every channel, in turn, to each
// of badStrings, the others staying valid. Each value is either refused before sending, with a
// *ValidationError naming the channel and that field (and not quoting a credential), or sent so that the
// JSON body decodes to exactly that value: never altered (JSON would replace bytes that are not UTF-8).
func TestChannelArgumentsAreSentExactlyOrRefused(t *testing.T) {
	for _, tc := range validChannels() {
		t.Run(string(tc.ch.Type()), func(t *testing.T) {
			t.Parallel() // each channel has a fake of its own; its fields are tried one after the other
			f := newFakeAPI(t, nil)
			f.respond = func(w http.ResponseWriter, r *http.Request, n int) {
				var in struct {
					Type string `json:"type"`
				}
				_ = json.Unmarshal(f.requests()[n].Body, &in) // the fake read the body already
				answer(201, fmt.Sprintf(`{"integration":{"_id":"i1","type":%q}}`, in.Type))(w, r, 0)
			}
			c := newClient(t, f, accountCreds())
			channelArgumentsAreSentExactlyOrRefused(t, f, c, tc.ch)
		})
	}
}

func channelArgumentsAreSentExactlyOrRefused(t *testing.T, f *fakeAPI, c *smooch.Client, valid smooch.Channel) {
	v := reflect.ValueOf(valid)
	for i := range v.NumField() {
		field := v.Type().Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if field.Type.Kind() != reflect.String {
			continue
		}
		if name == "displayName" && valid.Type() != smooch.IntegrationTypeMessenger {
			continue // v1.1's display name, which every channel checks with the same function: one channel takes them all
		}
		secret := field.Tag.Get("smooch") == "secret"
		for _, bad := range badStrings {
			if secret && bad != "" {
				bad = "s3cr3t" + bad // recognisable, if an error quoted it
			}
			t.Run(fmt.Sprintf("%s=%.20q", name, bad), func(t *testing.T) {
				edited := reflect.New(v.Type()).Elem()
				edited.Set(v)
				edited.Field(i).SetString(bad)
				ch := edited.Interface().(smooch.Channel)
				before := f.count()
				_, err := c.Integrations.Create(context.Background(), "app1", ch)
				if err != nil {
					var ve *smooch.ValidationError
					require.ErrorAs(t, err, &ve)
					assert.Equal(t, string(valid.Type()), ve.Subject)
					assert.Equal(t, name, ve.Field, "the error names the field: %v", err)
					if secret && len(bad) > len("s3cr3t") {
						assert.NotContains(t, err.Error(), bad, "a credential is never quoted")
					}
					assert.Equal(t, before, f.count(), "nothing was sent")
					assert.Equal(t, err, ch.Validate(), "Validate says the same")
					return
				}
				reqs := f.requests()
				require.Len(t, reqs, before+1)
				var sent map[string]any
				require.NoError(t, json.Unmarshal(reqs[before].Body, &sent))
				if bad == "" {
					assert.NotContains(t, sent, name, "an empty optional field is left out")
					return
				}
				assert.Equal(t, bad, sent[name], "sent exactly")
			})
		}
	}
}

// TestEveryRequiredChannelFieldIsChecked drives the required lists of the contract's channel schemas: each
// required property, zero, is refused with a *ValidationError naming it, before anything is sent.
func TestEveryRequiredChannelFieldIsChecked(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	f := newFakeAPI(t, answer(201, `{}`))
	c := newClient(t, f, accountCreds())
	checked := map[smooch.IntegrationType]bool{}
	for _, tc := range validChannels() {
		if checked[tc.ch.Type()] {
			continue
		}
		checked[tc.ch.Type()] = true
		schema := schemaForType(t, doc.Components.Schemas, string(tc.ch.Type()))
		v := reflect.ValueOf(tc.ch)
		for _, prop := range schema.required {
			if prop == "type" {
				continue
			}
			i := fieldIndex(v.Type(), prop)
			require.GreaterOrEqual(t, i, 0, "%s: required property %s has no field", tc.ch.Type(), prop)
			edited := reflect.New(v.Type()).Elem()
			edited.Set(v)
			edited.Field(i).SetZero()
			_, err := c.Integrations.Create(context.Background(), "app1", edited.Interface().(smooch.Channel))
			var ve *smooch.ValidationError
			if assert.ErrorAs(t, err, &ve, "%s without %s", tc.ch.Type(), prop) {
				assert.Equal(t, prop, ve.Field)
				assert.Contains(t, ve.Problem, "is required")
			}
		}
	}
	want := 0
	for name, ref := range doc.Components.Schemas {
		if strings.HasSuffix(name, "IntegrationCreate") && ref.Value.Properties["type"] != nil { // not the union
			want++
		}
	}
	assert.Len(t, checked, want, "every channel of the contract")
	assert.Zero(t, f.count())
}

type channelSchema struct{ required []string }

// schemaForType finds the create schema whose type enum is typ.
func schemaForType(t *testing.T, schemas openapi3.Schemas, typ string) channelSchema {
	t.Helper()
	for name, ref := range schemas {
		if !strings.HasSuffix(name, "IntegrationCreate") || ref.Value.Properties["type"] == nil {
			continue
		}
		for _, e := range ref.Value.Properties["type"].Value.Enum {
			if e == typ {
				return channelSchema{required: ref.Value.Required}
			}
		}
	}
	t.Fatalf("no create schema for type %s", typ)
	return channelSchema{}
}

// fieldIndex finds the field of a struct whose JSON name is prop.
func fieldIndex(typ reflect.Type, prop string) int {
	for i := range typ.NumField() {
		if name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ","); name == prop {
			return i
		}
	}
	return -1
}

// TestNamesAreSentExactlyOrRefused: every name a create or update takes, set to each of badStrings (and a
// megabyte), is refused with a *ValidationError naming it before anything is sent, or sent so that the body
// decodes to exactly that name.
func TestNamesAreSentExactlyOrRefused(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a1","name":"n"},"key":{"_id":"k1","name":"k","secret":"s"},"serviceAccount":{"_id":"sa1","name":"n"}}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	calls := map[string]func(name string) error{
		"Apps.Create": func(n string) error { _, err := c.Apps.Create(ctx, smooch.AppCreate{Name: n}); return err },
		"Apps.Update": func(n string) error { _, err := c.Apps.Update(ctx, "a1", smooch.AppUpdate{Name: n}); return err },
		"AppKeys.Create": func(n string) error {
			_, err := c.AppKeys.Create(ctx, "a1", smooch.SecretKeyCreate{Name: n})
			return err
		},
		"ServiceAccounts.Create": func(n string) error {
			_, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: n})
			return err
		},
		"ServiceAccounts.Update": func(n string) error {
			_, err := c.ServiceAccounts.Update(ctx, "sa1", smooch.ServiceAccountUpdate{Name: n})
			return err
		},
		"ServiceAccountKeys.Create": func(n string) error {
			_, err := c.ServiceAccountKeys.Create(ctx, "sa1", smooch.SecretKeyCreate{Name: n})
			return err
		},
	}
	for method, call := range calls {
		for _, name := range append(badStrings, strings.Repeat("n", 1<<20)) {
			before := f.count()
			err := call(name)
			if err != nil {
				var ve *smooch.ValidationError
				require.ErrorAs(t, err, &ve, "%s(%.20q)", method, name)
				assert.Equal(t, method, ve.Subject)
				if method == "Apps.Update" && name == "" {
					// A name is optional in an update (kept when left out): with nothing else, nothing to update.
					assert.Equal(t, "app", ve.Field)
				} else {
					assert.Equal(t, "name", ve.Field)
				}
				assert.Equal(t, before, f.count(), "nothing was sent")
				continue
			}
			reqs := f.requests()
			require.Len(t, reqs, before+1)
			var sent struct{ Name string }
			require.NoError(t, json.Unmarshal(reqs[before].Body, &sent))
			assert.Equal(t, name, sent.Name, "%s(%.20q): sent exactly", method, name)
			assert.True(t, utf8.ValidString(name))
		}
	}
}

// TestInvalidListOptionsSendNothing: a page size outside 1..100 or a negative offset, at the extremes too, is
// a *ValidationError naming it, from List and from All, before anything is sent. The extremes that are valid
// are sent as they are.
func TestInvalidListOptionsSendNothing(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"apps":[],"serviceAccounts":[],"hasMore":false,"offset":0}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	for _, tc := range []struct {
		opts  smooch.ListOptions
		field string
	}{
		{smooch.ListOptions{Limit: -1}, "limit"}, {smooch.ListOptions{Limit: 101}, "limit"},
		{smooch.ListOptions{Limit: math.MaxInt}, "limit"}, {smooch.ListOptions{Limit: math.MinInt}, "limit"},
		{smooch.ListOptions{Offset: -1}, "offset"}, {smooch.ListOptions{Offset: math.MinInt}, "offset"},
	} {
		var errs []error
		_, err := c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: tc.opts})
		errs = append(errs, err)
		_, err = c.ServiceAccounts.List(ctx, &tc.opts)
		errs = append(errs, err)
		for _, err := range c.Apps.All(ctx, &smooch.AppListOptions{ListOptions: tc.opts}) {
			errs = append(errs, err)
		}
		for _, err := range c.ServiceAccounts.All(ctx, &tc.opts) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 4)
		for _, err := range errs {
			var ve *smooch.ValidationError
			if assert.ErrorAs(t, err, &ve, "%+v", tc.opts) {
				assert.Equal(t, tc.field, ve.Field)
			}
		}
	}
	assert.Zero(t, f.count())

	for _, tc := range []struct {
		opts  smooch.ListOptions
		query string
	}{
		{smooch.ListOptions{Limit: 1}, "limit=1"}, {smooch.ListOptions{Limit: 100}, "limit=100"},
		{smooch.ListOptions{Offset: math.MaxInt}, fmt.Sprintf("offset=%d", math.MaxInt)}, {smooch.ListOptions{}, ""},
	} {
		_, err := c.ServiceAccounts.List(ctx, &tc.opts)
		require.NoError(t, err)
		reqs := f.requests()
		assert.Equal(t, tc.query, reqs[len(reqs)-1].RawQuery)
	}

	// An integration type filter is checked too, a comma smuggled into one included.
	for _, types := range [][]smooch.IntegrationType{{""}, {"twilio,line"}, {"Twilio"}, {"sms"}, {smooch.IntegrationTypeLINE, "x y"}} {
		before := f.count()
		_, err := c.Integrations.List(ctx, "a1", &smooch.IntegrationListOptions{Types: types})
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, "%q", types)
		assert.Equal(t, "types", ve.Field)
		assert.Equal(t, before, f.count())
	}
}

// TestWebhookTargetsAreSentExactlyOrRefused: a webhook target is an absolute http(s) URL; anything else,
// control characters and other schemes included, is refused before sending. What is accepted is sent as is.
func TestWebhookTargetsAreSentExactlyOrRefused(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"webhook":{"_id":"w1","target":"x","triggers":["message"],"secret":"s"}}`))
	c := newClient(t, f, accountCreds())
	for _, target := range []string{"", " ", "example.com/hook", "/hook", "ftp://example.com/", "javascript:alert(1)",
		"https://", "https://example.com/\n", "https://exa mple.com/", "https://example.com/\x00", "http://[::1", "\xff"} {
		before := f.count()
		_, err := c.Webhooks.Create(context.Background(), "a1", smooch.WebhookCreate{Target: target})
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, "%q", target)
		assert.Equal(t, "target", ve.Field)
		assert.Equal(t, before, f.count())
	}
	for _, target := range []string{"https://example.com/hook?a=1&b=2#x", "http://127.0.0.1:8080/h", "https://bücher.example/é", "https://example.com/" + strings.Repeat("p", 10000)} {
		_, err := c.Webhooks.Create(context.Background(), "a1", smooch.WebhookCreate{Target: target})
		require.NoError(t, err, "%q", target)
		reqs := f.requests()
		var sent struct{ Target string }
		require.NoError(t, json.Unmarshal(reqs[len(reqs)-1].Body, &sent))
		assert.Equal(t, target, sent.Target)
	}
}
