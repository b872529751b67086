package smooch_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func TestIntegrationsWithAWebhookSecretPrintItRedacted(t *testing.T) {
	const secret = "3889794ab2fd4a70940a97c4b4a6372e"
	for _, raw := range []string{
		`{"_id": "5735ddfd48011972d621dc0a", "type": "wechat", "appId": "c69175d6d125b772b", "webhookSecret": "` + secret + `"}`,
		`{"_id": "594850b82e4a8e5e04ef2a11", "type": "messagebird", "originator": "12262121021", "webhookSecret": "` + secret + `"}`,
	} {
		var in smooch.Integration
		require.NoError(t, json.Unmarshal([]byte(raw), &in))
		ch := in.Channel()
		switch ch := ch.(type) {
		case *smooch.WeChatIntegration:
			assert.Equal(t, secret, *ch.WebhookSecret, "the secret stays readable")
			assert.Equal(t, "c69175d6d125b772b", *ch.AppID)
		case *smooch.MessageBirdIntegration:
			assert.Equal(t, secret, *ch.WebhookSecret, "the secret stays readable")
			assert.Equal(t, "12262121021", *ch.Originator)
		default:
			t.Fatalf("Channel() is %T", ch)
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, ch)
			assert.NotContains(t, out, secret, verb)
			assert.Contains(t, out, "REDACTED", verb)
		}
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("integration", "channel", ch)
		assert.NotContains(t, logged.String(), secret)
		assert.Contains(t, logged.String(), "REDACTED")
	}
}
