package openapi_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
)

// TestWebhookExamplesValidate: kin-openapi does not read x-webhooks, so nothing else checks its examples. Each
// documented payload matches WebhookPayload, declares every member it carries, and is the example of the
// trigger its name says; every trigger of the discriminator has at least one.
func TestWebhookExamplesValidate(t *testing.T) {
	v, err := openapi.NewValidator()
	require.NoError(t, err)
	call, err := v.Webhook()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(call.Examples), 17, "the reference's 16 examples and the Viber capture")
	covered := map[string]bool{}
	for name, body := range call.Examples {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, v.ValidateWebhookPayload(body))
			undeclared, err := v.UndeclaredWebhookFields(body)
			require.NoError(t, err)
			assert.Empty(t, undeclared)
			var head struct{ Trigger string }
			require.NoError(t, json.Unmarshal(body, &head))
			assert.True(t, strings.HasPrefix(strings.ToLower(name), strings.ToLower(strings.ReplaceAll(head.Trigger, ":", ""))),
				"example %s is of trigger %s", name, head.Trigger)
			covered[head.Trigger] = true
		})
	}
	for trigger := range v.Doc().Components.Schemas["WebhookPayload"].Value.Discriminator.Mapping {
		assert.True(t, covered[trigger], "trigger %s has no example", trigger)
	}
	assert.Equal(t, []int{400, 401, 403, 404, 406}, call.FinalStatuses)
	assert.Equal(t, 5, call.Retries)
	assert.Equal(t, 20, call.TimeoutSeconds)
}

// TestWebhookPayloadValidationRefusesWhatTheContractForbids: the discriminator really chooses the variant, and
// a variant's rules hold.
func TestWebhookPayloadValidationRefusesWhatTheContractForbids(t *testing.T) {
	v, err := openapi.NewValidator()
	require.NoError(t, err)
	const text = `{"trigger":"message:appUser","app":{"_id":"a"},"appUser":{"_id":"u"},"messages":[{"_id":"m","type":"text","text":"Hi","role":"appUser","authorId":"u","received":1.5,"source":{"type":"messenger"}}]}`
	require.NoError(t, v.ValidateWebhookPayload([]byte(text)))
	for _, tc := range []struct{ name, body, want string }{
		{"unknown trigger", strings.Replace(text, `message:appUser`, `typing:appUser`, 1), "discriminator"},
		{"another variant's trigger", strings.Replace(text, `message:appUser`, `postback`, 1), "postbacks"},
		{"no app", strings.Replace(text, `"app":{"_id":"a"},`, ``, 1), `"app"`},
		{"a message without an id", strings.Replace(text, `"_id":"m",`, ``, 1), `"_id"`},
		{"an unknown message type", strings.Replace(text, `"type":"text"`, `"type":"form"`, 1), "type"},
		{"a received that is not a number", strings.Replace(text, `1.5`, `"1.5"`, 1), "received"},
		{"not JSON", `{"trigger":`, "not JSON"},
		{"two values", text + ` {}`, "one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := v.ValidateWebhookPayload([]byte(tc.body))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	undeclared, err := v.UndeclaredWebhookFields([]byte(strings.Replace(text, `"text":"Hi",`, `"text":"Hi","mood":"happy",`, 1)))
	require.NoError(t, err)
	assert.True(t, slices.Contains(undeclared, "messages[0].mood") || slices.ContainsFunc(undeclared, func(s string) bool { return strings.Contains(s, "mood") }), "%v", undeclared)
}
