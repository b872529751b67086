package clienttest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// End-to-end against smoochtest, which validates every request against the contract and checks the JWTs'
// signatures and scopes as Smooch does.

func newFake(t *testing.T) (*smoochtest.Server, *smooch.Client) {
	t.Helper()
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	t.Cleanup(srv.Close)
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL), fastRetries)
	require.NoError(t, err)
	return srv, c
}

func TestEndToEndEveryResource(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	app, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "First", Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(true)}})
	require.NoError(t, err)
	app, err = c.Apps.Update(ctx, app.ID, smooch.AppUpdate{Name: "Renamed"})
	require.NoError(t, err)
	got, err := c.Apps.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, "Renamed", got.Name)

	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "k1"})
	require.NoError(t, err)
	keys, err := c.AppKeys.List(ctx, app.ID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	fetched, err := c.AppKeys.Get(ctx, app.ID, key.ID)
	require.NoError(t, err)
	assert.Equal(t, key.Secret, fetched.Secret)

	// A locally signed app token works like the API's.
	appClient, err := smooch.New(key.Credentials(), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	hook, err := appClient.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: "https://example.com/hook", Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerAll}})
	require.NoError(t, err)
	hook, err = appClient.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback}})
	require.NoError(t, err)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback}, hook.Triggers)
	hooks, err := c.Webhooks.List(ctx, app.ID)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	_, err = c.Webhooks.Get(ctx, app.ID, hook.ID)
	require.NoError(t, err)
	require.NoError(t, appClient.Webhooks.Delete(ctx, app.ID, hook.ID))

	for _, tc := range validChannels() {
		if w, ok := tc.ch.(smooch.WhatsApp); ok && w.DeploymentID != "" {
			continue // runs on a deployment the fake does not have: the deployments' own tests take it there
		}
		i, err := c.Integrations.Create(ctx, app.ID, tc.ch)
		require.NoError(t, err, "%s", tc.ch.Type())
		assert.Equal(t, tc.ch.Type(), i.Type)
		assert.NotNil(t, i.Channel())
		_, isUnknown := i.Channel().(*smooch.UnknownIntegration)
		assert.False(t, isUnknown)
		got, err := c.Integrations.Get(ctx, app.ID, i.ID)
		require.NoError(t, err)
		assert.Equal(t, i.Type, got.Type)
		require.NoError(t, c.Integrations.Delete(ctx, app.ID, i.ID))
	}
	_, err = c.Integrations.Create(ctx, app.ID, smooch.Viber{Token: "viber-token-not-real"})
	require.NoError(t, err)
	_, err = c.Integrations.Create(ctx, app.ID, smooch.Telegram{Token: "1:telegram-token-not-real"})
	require.NoError(t, err)
	only, err := c.Integrations.List(ctx, app.ID, &smooch.IntegrationListOptions{Types: []smooch.IntegrationType{smooch.IntegrationTypeViber}})
	require.NoError(t, err)
	require.Len(t, only, 1)
	assert.Equal(t, smooch.IntegrationTypeViber, only[0].Type)

	jwt, err := c.AppKeys.JWT(ctx, app.ID, key.ID)
	require.NoError(t, err)
	byToken, err := smooch.New(smooch.BearerToken(jwt), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	assert.Equal(t, smooch.ScopeApp, byToken.Scope())
	_, err = byToken.Webhooks.List(ctx, app.ID)
	require.NoError(t, err)

	require.NoError(t, c.AppKeys.Delete(ctx, app.ID, key.ID))
	_, err = appClient.Webhooks.List(ctx, app.ID)
	assert.True(t, smooch.IsUnauthorized(err), "a deleted key's tokens are refused: %v", err)

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Apps.Get(ctx, app.ID)
	assert.True(t, smooch.IsNotFound(err))
}

func TestEndToEndServiceAccounts(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	sa, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "robot"})
	require.NoError(t, err)
	sa, err = c.ServiceAccounts.Update(ctx, sa.ID, smooch.ServiceAccountUpdate{Name: "robot-2"})
	require.NoError(t, err)
	assert.Equal(t, "robot-2", sa.Name)
	_, err = c.ServiceAccounts.Get(ctx, sa.ID)
	require.NoError(t, err)
	page, err := c.ServiceAccounts.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	key, err := c.ServiceAccountKeys.Create(ctx, sa.ID, smooch.SecretKeyCreate{Name: "robot-key"})
	require.NoError(t, err)
	assert.Contains(t, key.ID, "svc_")
	keys, err := c.ServiceAccountKeys.List(ctx, sa.ID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	_, err = c.ServiceAccountKeys.Get(ctx, sa.ID, key.ID)
	require.NoError(t, err)
	jwt, err := c.ServiceAccountKeys.JWT(ctx, sa.ID, key.ID)
	require.NoError(t, err)

	// The service account reaches only the apps it creates, and cannot manage service accounts.
	_, err = c.Apps.Create(ctx, smooch.AppCreate{Name: "not the robot's"})
	require.NoError(t, err)
	robot, err := smooch.New(key.Credentials(), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = robot.Apps.Create(ctx, smooch.AppCreate{Name: "robot's"})
	require.NoError(t, err)
	var names []string
	for app, err := range robot.Apps.All(ctx, nil) {
		require.NoError(t, err)
		names = append(names, app.Name)
	}
	assert.Equal(t, []string{"robot's"}, names)
	_, err = robot.ServiceAccounts.List(ctx, nil)
	var se *smooch.ScopeError
	require.ErrorAs(t, err, &se)
	assert.True(t, se.UserAccountOnly)

	// With the service account's server-signed token, the pre-check knows it from the kid too; an unchecked
	// token gets the API's 403.
	byToken, err := smooch.New(smooch.BearerToken(jwt), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = byToken.ServiceAccounts.List(ctx, nil)
	require.ErrorAs(t, err, &se)

	var userApps []string
	for app, err := range c.Apps.All(ctx, &smooch.AppListOptions{ServiceAccountID: sa.ID}) {
		require.NoError(t, err)
		userApps = append(userApps, app.Name)
	}
	assert.Equal(t, []string{"robot's"}, userApps)

	require.NoError(t, c.ServiceAccountKeys.Delete(ctx, sa.ID, key.ID))
	require.NoError(t, c.ServiceAccounts.Delete(ctx, sa.ID))
	_, err = c.ServiceAccounts.Get(ctx, sa.ID)
	assert.True(t, smooch.IsNotFound(err))
}

func TestEndToEndRetriesWithInjectedFaults(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()

	srv.FailNext("listApps", 2, smoochtest.Fault{Status: 503})
	_, err := c.Apps.List(ctx, nil)
	require.NoError(t, err, "two 503s are absorbed by the default two retries")

	srv.FailNext("createApp", 1, smoochtest.Fault{Status: 503})
	_, err = c.Apps.Create(ctx, smooch.AppCreate{Name: "once"})
	assert.True(t, smooch.IsServerError(err))
	page, err := c.Apps.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items, "the failed create was not resent")

	srv.FailNext("createApp", 1, smoochtest.Fault{Status: 429, RetryAfter: "0"})
	_, err = c.Apps.Create(ctx, smooch.AppCreate{Name: "after 429"})
	require.NoError(t, err, "a rate-limited create is resent")

	srv.FailNext("createApp", 1, smoochtest.Fault{DropConnection: true})
	_, err = c.Apps.Create(ctx, smooch.AppCreate{Name: "dropped"})
	assert.Error(t, err, "a dropped create may have happened: not resent")

	srv.FailNext("listApps", 1, smoochtest.Fault{DropConnection: true})
	page, err = c.Apps.List(ctx, nil)
	require.NoError(t, err, "a dropped list is resent")
	assert.Len(t, page.Items, 1)

	srv.FailNext("getApp", 3, smoochtest.Fault{Status: 429, RetryAfter: "0"})
	_, err = c.Apps.Get(ctx, page.Items[0].ID)
	assert.True(t, smooch.IsRateLimited(err))
}

// TestEndToEndTheSurfaceOf2018 drives the 2018 operations through the client against smoochtest, errors
// included: what the client sends, the fake (and so the contract) accepts, and what it answers decodes.
func TestEndToEndTheSurfaceOf2018(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	app, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "2018", Metadata: smooch.AppMetadata{"plan": "gold", "seats": 3},
		Settings: smooch.AppSettings{UseAnimalNames: smooch.Ptr(true)}})
	require.NoError(t, err)
	assert.Equal(t, smooch.AppMetadata{"plan": "gold", "seats": 3.0}, app.Metadata)
	assert.True(t, app.Settings.GetUseAnimalNames())

	web, err := c.Integrations.Create(ctx, app.ID, smooch.WebMessenger{BrandColor: "65758e", OriginWhitelist: []string{"https://acme.example.com"}})
	require.NoError(t, err)
	assert.Equal(t, smooch.IntegrationStatusActive, web.Status)
	wa, err := c.Integrations.Create(ctx, app.ID, smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: "smooch", Password: "wa-password-not-real"})
	require.NoError(t, err)
	tg, err := c.Integrations.Create(ctx, app.ID, smooch.Telegram{Token: "1:telegram-token-not-real"})
	require.NoError(t, err)

	updated, err := c.Integrations.Update(ctx, app.ID, web.ID, smooch.IntegrationUpdate{ActionColor: "09f", FixedIntroPane: smooch.Ptr(true)})
	require.NoError(t, err)
	w := updated.Channel().(*smooch.WebMessengerIntegration)
	assert.Equal(t, "09f", w.ActionColor)
	assert.True(t, w.FixedIntroPane)
	assert.Equal(t, "65758e", w.BrandColor)
	_, err = c.Integrations.Update(ctx, app.ID, tg.ID, smooch.IntegrationUpdate{BrandColor: "fff"})
	assert.True(t, smooch.IsBadRequest(err), "a field that does not apply: %v", err)

	require.NoError(t, c.Integrations.UpdateProfile(ctx, app.ID, wa.ID, smooch.IntegrationProfileUpdate{About: "Open", Websites: []string{"https://acme.example.com"}}))
	err = c.Integrations.UpdateProfile(ctx, app.ID, tg.ID, smooch.IntegrationProfileUpdate{About: "Open"})
	assert.True(t, smooch.IsBadRequest(err), "only WhatsApp has a profile: %v", err)

	require.NoError(t, srv.SetIntegrationStatus(app.ID, tg.ID, smooch.IntegrationStatusError, "Telegram refused the bot token"))
	failed, err := c.Integrations.Get(ctx, app.ID, tg.ID)
	require.NoError(t, err)
	assert.Equal(t, smooch.IntegrationStatusError, failed.Status)
	assert.Equal(t, "Telegram refused the bot token", failed.Error)

	empty, err := c.Menus.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Empty(t, empty.Items)
	menu := smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypeSubmenu, Text: "Help", Items: []smooch.MenuSubItem{
		{Type: smooch.MenuItemTypeLink, Text: "FAQ", URI: "https://acme.example.com/faq"}}}}}
	set, err := c.Menus.Set(ctx, app.ID, menu)
	require.NoError(t, err)
	require.Len(t, set.Items, 1)
	assert.NotEmpty(t, set.Items[0].ID)
	assert.NotEmpty(t, set.Items[0].Items[0].ID)
	got, err := c.Menus.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, set, got)

	_, err = c.IntegrationMenus.Get(ctx, app.ID, web.ID)
	assert.True(t, smooch.IsNotFound(err))
	own, err := c.IntegrationMenus.Create(ctx, app.ID, web.ID, smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypePostback, Text: "Demo", Payload: "DEMO"}}})
	require.NoError(t, err)
	assert.Equal(t, "DEMO", own.Items[0].Payload)
	_, err = c.IntegrationMenus.Create(ctx, app.ID, web.ID, menu)
	assert.True(t, smooch.IsConflict(err))
	own, err = c.IntegrationMenus.Update(ctx, app.ID, web.ID, menu)
	require.NoError(t, err)
	assert.Equal(t, "Help", own.Items[0].Text)

	removed, err := c.Menus.Remove(ctx, app.ID)
	require.NoError(t, err)
	assert.Empty(t, removed.Items)
	kept, err := c.IntegrationMenus.Get(ctx, app.ID, web.ID)
	require.NoError(t, err)
	assert.Equal(t, own, kept, "removing the app's menu keeps the integration's")
	require.NoError(t, c.IntegrationMenus.Delete(ctx, app.ID, web.ID))
	assert.True(t, smooch.IsNotFound(c.IntegrationMenus.Delete(ctx, app.ID, web.ID)))

	// The app menu with an app key; the integration menus need account scope (refused before sending).
	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "menus"})
	require.NoError(t, err)
	appClient, err := smooch.New(key.Credentials(), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = appClient.Menus.Set(ctx, app.ID, menu)
	require.NoError(t, err)
	var scopeErr *smooch.ScopeError
	_, err = appClient.IntegrationMenus.Get(ctx, app.ID, web.ID)
	assert.ErrorAs(t, err, &scopeErr)
}
