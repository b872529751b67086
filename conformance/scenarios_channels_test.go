package conformance_test

import (
	"errors"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// Scenarios of what an app connects: channel integrations and webhooks.

// fakeChannels are obviously fake credentials for every channel type, each
// in the shape the client accepts.
var fakeChannels = []smooch.Channel{
	smooch.Messenger{PageAccessToken: "test-page-access-token-not-real", AppID: "100000000000001", AppSecret: "test-app-secret-not-real"},
	smooch.Twitter{ConsumerKey: "test-consumer-key", ConsumerSecret: "test-consumer-secret-not-real",
		AccessTokenKey: "test-access-token-key", AccessTokenSecret: "test-access-token-secret-not-real"},
	smooch.Twilio{AccountSID: "AC00000000000000000000000000000001", AuthToken: "test-auth-token-not-real",
		PhoneNumberSID: "PN00000000000000000000000000000001"},
	smooch.Telegram{Token: "123456789:test-telegram-token-not-real"},
	smooch.LINE{ChannelAccessToken: "test-line-access-token-not-real", ChannelSecret: "test-line-secret-not-real"},
	smooch.Viber{Token: "test-viber-token-not-real"},
	smooch.WeChat{AppID: "wx00000000000001", AppSecret: "test-wechat-secret-not-real"},
	smooch.Mailgun{APIKey: "test-mailgun-key-not-real", Domain: "mg.example.com", IncomingAddress: "support@mg.example.com"},
	smooch.MessageBird{AccessKey: "test-messagebird-key-not-real", Originator: "+15550000001"},
	smooch.Email{FromAddress: "support@example.com"},
	smooch.APN{Certificate: []byte{0x30, 0x82, 0x00, 0x04, 't', 'e', 's', 't'}, Password: "test-apn-password-not-real"},
	smooch.FCM{ServerKey: "test-fcm-server-key-not-real", SenderID: "100000000001"},
	smooch.WebMessenger{BrandColor: "65758e", DisplayStyle: smooch.DisplayStyleTab, BusinessName: "Conformance",
		OriginWhitelist: []string{"https://example.com"}},
	smooch.WhatsApp{BaseURL: "https://whatsapp.example.com:8443", Username: "smooch-conformance", Password: "test-whatsapp-password-not-real",
		HSMFallbackLanguage: "en_US"},
}

// channels connects every channel type, lists, fetches and deletes them.
func channels(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "channels")
	byType := map[smooch.IntegrationType]string{}
	for _, ch := range fakeChannels {
		integration, err := c.Integrations.Create(ctx, app.ID, ch)
		var apiErr *smooch.APIError
		if h.s.mode == modeLive && errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 {
			// The live API checks credentials with the channel's provider; fake ones may be refused. The
			// exchange was still validated against the contract.
			t.Logf("live API refused fake %s credentials: %v", ch.Type(), err)
			continue
		}
		require.NoError(t, err, "create a %s integration", ch.Type())
		assert.Equal(t, ch.Type(), integration.Type)
		assert.NotEmpty(t, integration.ID)
		byType[ch.Type()] = integration.ID
	}
	if h.s.mode != modeLive {
		require.Len(t, byType, len(fakeChannels), "every channel type")
	}

	all, err := c.Integrations.List(ctx, app.ID, nil)
	require.NoError(t, err)
	assert.Len(t, all, len(byType))
	only, err := c.Integrations.List(ctx, app.ID, &smooch.IntegrationListOptions{Types: []smooch.IntegrationType{smooch.IntegrationTypeFrontendEmail, smooch.IntegrationTypeTelegram}})
	require.NoError(t, err)
	var filtered, want []smooch.IntegrationType
	for _, i := range only {
		filtered = append(filtered, i.Type)
	}
	for _, typ := range []smooch.IntegrationType{smooch.IntegrationTypeFrontendEmail, smooch.IntegrationTypeTelegram} {
		if _, created := byType[typ]; created {
			want = append(want, typ)
		}
	}
	assert.ElementsMatch(t, want, filtered, "the types filter keeps exactly those channels")

	emailID, ok := byType[smooch.IntegrationTypeFrontendEmail]
	require.True(t, ok, "the email channel needs no credentials, so it is created in every mode")
	got, err := c.Integrations.Get(ctx, app.ID, emailID)
	require.NoError(t, err)
	email, ok := got.Channel().(*smooch.EmailIntegration)
	require.True(t, ok, "%T", got.Channel())
	assert.Equal(t, emailID, email.ID)

	require.NoError(t, c.Integrations.Delete(ctx, app.ID, emailID))
	_, err = c.Integrations.Get(ctx, app.ID, emailID)
	h.wantStatus(err, 404, "get a deleted integration")
	h.wantStatus(c.Integrations.Delete(ctx, app.ID, emailID), 404, "delete a deleted integration")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Integrations.Create(ctx, app.ID, smooch.Email{})
	h.wantStatus(err, 404, "connect a channel to a deleted app")
	_, err = c.Integrations.List(ctx, app.ID, nil)
	h.wantStatus(err, 404, "list the integrations of a deleted app")
}

// webhooks is the webhooks API, with an app key, the 10-webhook limit and
// an unreachable target.
func webhooks(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "webhooks")
	hook, err := c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target, Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback}})
	require.NoError(t, err)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback}, hook.Triggers)

	got, err := c.Webhooks.Get(ctx, app.ID, hook.ID)
	require.NoError(t, err)
	assert.Equal(t, hook.Target, got.Target)
	updated, err := c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{
		Target: h.s.target + "?v=2", Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerAll}})
	require.NoError(t, err)
	assert.Equal(t, h.s.target+"?v=2", updated.Target)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerAll}, updated.Triggers)

	// An app key reaches its own app's webhooks.
	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "webhooks-key"})
	require.NoError(t, err)
	hooks, err := h.client(key.Credentials()).Webhooks.List(ctx, app.ID)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Equal(t, hook.ID, hooks[0].ID)

	// An app has at most 10 webhooks.
	for i := 2; i <= 10; i++ {
		_, err := c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target})
		require.NoError(t, err, "webhook %d of 10", i)
	}
	_, err = c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target})
	h.wantClientError(err, 400, "an 11th webhook")
	hooks, err = c.Webhooks.List(ctx, app.ID)
	require.NoError(t, err)
	assert.Len(t, hooks, 10)

	// A target that does not answer is refused.
	require.NoError(t, c.Webhooks.Delete(ctx, app.ID, hooks[9].ID))
	_, err = c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: unreachableTarget})
	h.wantClientError(err, 400, "a webhook whose target does not answer")

	require.NoError(t, c.Webhooks.Delete(ctx, app.ID, hook.ID))
	_, err = c.Webhooks.Get(ctx, app.ID, hook.ID)
	h.wantStatus(err, 404, "get a deleted webhook")
	_, err = c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{Target: h.s.target})
	h.wantStatus(err, 404, "update a deleted webhook")
	h.wantStatus(c.Webhooks.Delete(ctx, app.ID, hook.ID), 404, "delete a deleted webhook")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target})
	h.wantStatus(err, 404, "a webhook for a deleted app")
	_, err = c.Webhooks.List(ctx, app.ID)
	h.wantStatus(err, 404, "list the webhooks of a deleted app")
}
