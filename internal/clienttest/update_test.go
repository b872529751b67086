package clienttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// TestIntegrationUpdateIsCheckedBeforeSending breaks each rule of an integration update once: a
// *ValidationError names the field, and nothing is sent.
func TestIntegrationUpdateIsCheckedBeforeSending(t *testing.T) {
	for _, tc := range []struct {
		update smooch.IntegrationUpdate
		field  string
		want   string
	}{
		{smooch.IntegrationUpdate{}, "update", "is empty: nothing to update"},
		{smooch.IntegrationUpdate{OriginWhitelist: []string{}}, "update", "is empty: nothing to update"},
		{smooch.IntegrationUpdate{BrandColor: "#fff"}, "brandColor", `must be 3 or 6 hexadecimal digits without #, like "0099ff", got "#fff"`},
		{smooch.IntegrationUpdate{ConversationColor: "ff"}, "conversationColor", "must be 3 or 6 hexadecimal digits"},
		{smooch.IntegrationUpdate{ActionColor: "fffffff"}, "actionColor", "must be 3 or 6 hexadecimal digits"},
		{smooch.IntegrationUpdate{DisplayStyle: "Tab"}, "displayStyle", `must be "button" or "tab", got "Tab"`},
		{smooch.IntegrationUpdate{OriginWhitelist: []string{"https://acme.example.com/"}}, "originWhitelist[0]", "must be an origin scheme://host[:port]"},
		{smooch.IntegrationUpdate{BusinessIconURL: "//acme.example.com/icon.png"}, "businessIconUrl", "must be an absolute http or https URL"},
		{smooch.IntegrationUpdate{IntegrationOrder: []string{"a", " b"}}, "integrationOrder[1]", "must be an integration id"},
		{smooch.IntegrationUpdate{ChannelID: "12ab"}, "channelId", `must be digits, got "12ab"`},
		{smooch.IntegrationUpdate{ChannelSecret: " s3cret-not-real"}, "channelSecret", "has leading or trailing white space"},
		{smooch.IntegrationUpdate{HSMFallbackLanguage: "en_US\n"}, "hsmFallbackLanguage", "has leading or trailing white space"},
	} {
		t.Run(tc.field+" "+tc.want, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{}`))
			c := newClient(t, f, accountCreds())
			_, err := c.Integrations.Update(context.Background(), "app", "int", tc.update)
			var ve *smooch.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "Integrations.Update", ve.Subject)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, ve.Problem, tc.want)
			assert.NotContains(t, err.Error(), "s3cret", "a secret is never echoed")
			assert.Zero(t, f.count(), "nothing is sent")
		})
	}
}

// TestIntegrationUpdateSendsItsSecretAndFalse: the update's credential is sent as is (only printing redacts
// it), and FixedIntroPane sends false when set to false, nothing when nil.
func TestIntegrationUpdateSendsItsSecretAndFalse(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"integration":{"_id":"i1","type":"line","status":"active","channelId":"1462776483"}}`))
	c := newClient(t, f, accountCreds())
	update := smooch.IntegrationUpdate{ChannelID: "1462776483", ChannelSecret: "line-secret-not-real"}
	got, err := c.Integrations.Update(context.Background(), "app", "i1", update)
	require.NoError(t, err)
	assert.JSONEq(t, `{"channelId":"1462776483","channelSecret":"line-secret-not-real"}`, string(f.requests()[0].Body))
	assert.Equal(t, "1462776483", got.Channel().(*smooch.LINEIntegration).ChannelID)
	assert.NotContains(t, fmt.Sprint(update), "line-secret-not-real")
	assert.NotContains(t, mustJSON(t, update), "line-secret-not-real")

	_, err = c.Integrations.Update(context.Background(), "app", "i1", smooch.IntegrationUpdate{FixedIntroPane: smooch.Ptr(false)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"fixedIntroPane":false}`, string(f.requests()[1].Body))
	_, err = c.Integrations.Update(context.Background(), "app", "i1", smooch.IntegrationUpdate{BusinessName: "Acme"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"businessName":"Acme"}`, string(f.requests()[2].Body))
}

// TestProfileLimitsAreCheckedBeforeSending goes one past each of WhatsApp's limits, in characters (not bytes),
// and breaks each format: a *ValidationError names the field, and nothing is sent. At the limit, it is sent.
func TestProfileLimitsAreCheckedBeforeSending(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // 2 bytes a character
	for _, tc := range []struct {
		profile smooch.IntegrationProfileUpdate
		field   string
		want    string
	}{
		{smooch.IntegrationProfileUpdate{}, "profile", "is empty: nothing to update"},
		{smooch.IntegrationProfileUpdate{About: long(140)}, "about", "is 140 characters long: at most 139"},
		{smooch.IntegrationProfileUpdate{Address: long(257)}, "address", "is 257 characters long: at most 256"},
		{smooch.IntegrationProfileUpdate{Description: long(257)}, "description", "is 257 characters long: at most 256"},
		{smooch.IntegrationProfileUpdate{Email: long(117) + "@example.com"}, "email", "is 129 characters long: at most 128"},
		{smooch.IntegrationProfileUpdate{Vertical: long(129)}, "vertical", "is 129 characters long: at most 128"},
		{smooch.IntegrationProfileUpdate{Email: "Support <support@acme.example>"}, "email", "must be a bare email address"},
		{smooch.IntegrationProfileUpdate{Email: "support"}, "email", "must be a bare email address"},
		{smooch.IntegrationProfileUpdate{PhotoURL: "logo.png"}, "photoUrl", `must be an absolute http or https URL, got "logo.png"`},
		{smooch.IntegrationProfileUpdate{Websites: []string{"https://a.example", "https://b.example", "https://c.example"}}, "websites", "has 3 websites: at most 2"},
		{smooch.IntegrationProfileUpdate{Websites: []string{"https://a.example", "b.example"}}, "websites[1]", "must be an absolute http or https URL"},
		{smooch.IntegrationProfileUpdate{Websites: []string{""}}, "websites[0]", "is empty"},
	} {
		t.Run(tc.field+" "+tc.want, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{}`))
			c := newClient(t, f, accountCreds())
			err := c.Integrations.UpdateProfile(context.Background(), "app", "int", tc.profile)
			var ve *smooch.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "Integrations.UpdateProfile", ve.Subject)
			assert.Equal(t, tc.field, ve.Field)
			assert.Contains(t, ve.Problem, tc.want)
			assert.Zero(t, f.count(), "nothing is sent")
		})
	}

	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	atTheLimits := smooch.IntegrationProfileUpdate{About: long(139), Address: long(256), Description: long(256), Vertical: long(128),
		Email: long(116) + "@example.com", PhotoURL: "https://acme.example.com/logo.png", Websites: []string{"https://a.example", "http://b.example"}}
	require.NoError(t, c.Integrations.UpdateProfile(context.Background(), "app", "int", atTheLimits))
	var sent map[string]any
	require.NoError(t, json.Unmarshal(f.requests()[0].Body, &sent))
	assert.Len(t, sent, 7)
	assert.Equal(t, long(139), sent["about"])
}

// TestAppMetadataIsFlat: metadata values are strings, numbers and booleans; anything else is refused before
// sending, naming the key.
func TestAppMetadataIsFlat(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"app":{"_id":"a1","name":"Acme","metadata":{"plan":"gold","seats":3,"trial":false}}}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	app, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme", Metadata: smooch.AppMetadata{"plan": "gold", "seats": 3, "trial": false}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Acme","metadata":{"plan":"gold","seats":3,"trial":false}}`, string(f.requests()[0].Body))
	assert.Equal(t, smooch.AppMetadata{"plan": "gold", "seats": 3.0, "trial": false}, app.Metadata)

	for md, want := range map[string]smooch.AppMetadata{
		"metadata.owner": {"a": 1, "owner": map[string]any{"name": "x"}},
		"metadata.tags":  {"tags": []string{"x"}},
		"metadata.none":  {"none": nil},
	} {
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme", Metadata: want})
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, md)
		assert.Equal(t, md, ve.Field)
		_, err = c.Apps.Update(ctx, "a1", smooch.AppUpdate{Name: "Acme", Metadata: want})
		require.ErrorAs(t, err, &ve, md)
		assert.Equal(t, "Apps.Update", ve.Subject)
	}
	assert.Equal(t, 1, f.count(), "refused metadata is never sent")
}

func TestUseAnimalNamesIsSentWhenFalse(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"app":{"_id":"a1","name":"Acme","settings":{"useAnimalNames":false}}}`))
	c := newClient(t, f, accountCreds())
	app, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "Acme", Settings: smooch.AppSettings{UseAnimalNames: smooch.Ptr(false)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Acme","settings":{"useAnimalNames":false}}`, string(f.requests()[0].Body))
	require.NotNil(t, app.Settings.UseAnimalNames)
	assert.False(t, app.Settings.GetUseAnimalNames())
	assert.Nil(t, app.Settings.MaskCreditCardNumbers, "absent stays absent")
}
