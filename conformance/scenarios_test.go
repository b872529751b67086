package conformance_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/smooch"
)

// TestConformance drives the smooch client through every operation of the
// contract and the documented flows, one cassette per scenario, validating
// every exchange against openapi/smooch.yaml. SMOOCH_CONFORMANCE picks the
// mode: replay (default, offline), record (against a deterministic
// smoochtest, rewriting cassettes/) or live (against SMOOCH_API_URL).
func TestConformance(t *testing.T) {
	s := newSuite(t)
	scenarios := []struct {
		name string
		run  func(h *harness)
	}{
		{"apps_guide", appsGuide},
		{"apps", apps},
		{"paging", paging},
		{"app_keys", appKeys},
		{"service_accounts", serviceAccounts},
		{"channels", channels},
		{"webhooks", webhooks},
		{"auth", auth},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(s.scenario(t, sc.name)) })
	}
	s.checkRun(t, len(scenarios))
}

// wantStatus asserts that err is the API's answer with the given status.
func (h *harness) wantStatus(err error, status int, doing string) {
	h.t.Helper()
	var apiErr *smooch.APIError
	if assert.ErrorAs(h.t, err, &apiErr, "%s: want the API's %d", doing, status) {
		assert.Equal(h.t, status, apiErr.StatusCode, "%s: %v", doing, err)
		assert.NotEmpty(h.t, apiErr.Code, "%s: the error body has a code", doing)
	}
}

// wantClientError asserts that err is an API answer with a 4xx status. The
// live API's choice among them is not pinned down by the contract.
func (h *harness) wantClientError(err error, recorded int, doing string) {
	h.t.Helper()
	if h.s.mode != modeLive {
		h.wantStatus(err, recorded, doing)
		return
	}
	var apiErr *smooch.APIError
	if assert.ErrorAs(h.t, err, &apiErr, doing) {
		assert.True(h.t, apiErr.StatusCode >= 400 && apiErr.StatusCode < 500, "%s: %v", doing, err)
	}
}

func (h *harness) newApp(c *smooch.Client, suffix string) *smooch.App {
	h.t.Helper()
	app, err := c.Apps.Create(h.ctx, smooch.AppCreate{Name: h.name(suffix)})
	require.NoError(h.t, err)
	h.createdApp(app.ID)
	return app
}

// appsGuide is "Creating and Managing Apps": create an app, a webhook, a
// key, fetch an app JWT, connect a channel; then the app JWT works.
func appsGuide(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "guide")
	assert.Equal(t, h.name("guide"), app.Name)
	assert.NotEmpty(t, app.ID)

	hook, err := c.Webhooks.Create(ctx, app.ID, h.s.target)
	require.NoError(t, err)
	assert.Equal(t, h.s.target, hook.Target)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage}, hook.Triggers, "the default trigger")
	assert.NotEmpty(t, hook.Secret)

	key, err := c.AppKeys.Create(ctx, app.ID, "guide-key")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(key.ID, "app_"), key.ID)
	assert.NotEmpty(t, key.Secret)

	jwt, err := c.AppKeys.JWT(ctx, app.ID, key.ID)
	require.NoError(t, err)
	assert.Len(t, strings.Split(jwt, "."), 3, "a JWT")

	integration, err := c.Integrations.Create(ctx, app.ID, smooch.Email{})
	require.NoError(t, err)
	assert.Equal(t, smooch.IntegrationTypeFrontendEmail, integration.Type)

	// The app JWT, and a JWT signed with the key's secret, reach the app's webhooks.
	for _, creds := range []smooch.Credentials{smooch.BearerToken(jwt), smooch.AppKey(key.ID, key.Secret)} {
		hooks, err := h.client(creds).Webhooks.List(ctx, app.ID)
		require.NoError(t, err)
		require.Len(t, hooks, 1)
		assert.Equal(t, hook.ID, hooks[0].ID)
	}

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Apps.Get(ctx, app.ID)
	h.wantStatus(err, 404, "get a deleted app")
}

// apps is the apps API: every operation, and its errors.
func apps(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	created, err := c.Apps.Create(ctx, smooch.AppCreate{Name: h.name("apps"), Settings: &smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(true)}})
	require.NoError(t, err)
	h.createdApp(created.ID)
	require.NotNil(t, created.Settings)
	assert.Equal(t, smooch.Ptr(true), created.Settings.MaskCreditCardNumbers)

	got, err := c.Apps.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.Name, got.Name)

	updated, err := c.Apps.Update(ctx, created.ID, smooch.AppUpdate{Name: h.name("apps-renamed"), Settings: &smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}})
	require.NoError(t, err)
	assert.Equal(t, h.name("apps-renamed"), updated.Name)
	assert.Equal(t, created.ID, updated.ID)

	page, err := c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: smooch.MaxLimit}})
	require.NoError(t, err)
	if h.s.mode != modeLive { // a live account may hold more apps than one page
		require.Len(t, page.Items, 1)
		assert.Equal(t, h.name("apps-renamed"), page.Items[0].Name)
		assert.False(t, page.HasMore)
	}

	require.NoError(t, c.Apps.Delete(ctx, created.ID))
	_, err = c.Apps.Get(ctx, created.ID)
	h.wantStatus(err, 404, "get a deleted app")
	_, err = c.Apps.Update(ctx, created.ID, smooch.AppUpdate{Name: h.name("apps-gone")})
	h.wantStatus(err, 404, "update a deleted app")
	h.wantStatus(c.Apps.Delete(ctx, created.ID), 404, "delete a deleted app")

	// The client refuses an app without a name; the API must too, so the name is removed below the client.
	h.tamper.once(withoutField("name"))
	nameless, err := c.Apps.Create(ctx, smooch.AppCreate{Name: h.name("nameless")})
	if err == nil {
		h.createdApp(nameless.ID)
	}
	h.wantStatus(err, 400, "create an app without a name")
	var apiErr *smooch.APIError
	if errors.As(err, &apiErr) && h.s.mode != modeLive {
		assert.Contains(t, apiErr.Description, "name")
	}
}

// paging walks apps and service accounts across several pages. The apps
// belong to a fresh service account and are listed with its filter: a list
// nobody else writes to, so it pages the same way on a live account holding
// hundreds of apps (walking those two at a time would take hundreds of calls).
func paging(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	owner, err := c.ServiceAccounts.Create(ctx, h.name("paging-owner"))
	require.NoError(t, err)
	h.createdServiceAccount(owner.ID)
	key, err := c.ServiceAccountKeys.Create(ctx, owner.ID, "paging-key")
	require.NoError(t, err)
	svc := h.client(key.Credentials())
	var ids []string
	for _, suffix := range []string{"paging-1", "paging-2", "paging-3", "paging-4", "paging-5"} {
		ids = append(ids, h.newApp(svc, suffix).ID)
	}
	owned := func(offset int) *smooch.AppListOptions {
		return &smooch.AppListOptions{ServiceAccountID: owner.ID, ListOptions: smooch.ListOptions{Limit: 2, Offset: offset}}
	}

	// Page by page, as a caller would by hand.
	var seen []string
	pages := 0
	opts := owned(0)
	for {
		page, err := c.Apps.List(ctx, opts)
		require.NoError(t, err)
		pages++
		assert.LessOrEqual(t, len(page.Items), 2)
		assert.Equal(t, opts.Offset, page.Offset)
		for _, app := range page.Items {
			seen = append(seen, app.ID)
		}
		if !page.HasMore {
			break
		}
		opts.Offset = page.NextOffset()
	}
	assert.Equal(t, 3, pages, "5 apps, 2 per page")
	assert.ElementsMatch(t, ids, seen)
	if h.s.mode != modeLive { // the contract does not promise an order
		assert.Equal(t, ids, seen)
	}
	// With the iterator, and with the service account's own key (it sees only its apps).
	var iterated []string
	for app, err := range c.Apps.All(ctx, owned(0)) {
		require.NoError(t, err)
		iterated = append(iterated, app.ID)
	}
	assert.Equal(t, seen, iterated)
	var own []string
	for app, err := range svc.Apps.All(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 2}}) {
		require.NoError(t, err)
		own = append(own, app.ID)
	}
	assert.ElementsMatch(t, ids, own)

	// Past the end: an empty last page.
	past, err := c.Apps.List(ctx, owned(len(seen)))
	require.NoError(t, err)
	assert.Empty(t, past.Items)
	assert.False(t, past.HasMore)

	accounts := []string{owner.ID}
	for _, suffix := range []string{"paging-sa-2", "paging-sa-3"} {
		sa, err := c.ServiceAccounts.Create(ctx, h.name(suffix))
		require.NoError(t, err)
		h.createdServiceAccount(sa.ID)
		accounts = append(accounts, sa.ID)
	}
	var listed []string
	for sa, err := range c.ServiceAccounts.All(ctx, &smooch.ListOptions{Limit: 2}) {
		require.NoError(t, err)
		listed = append(listed, sa.ID)
	}
	for _, id := range accounts {
		assert.Equal(t, 1, countOf(listed, id), "service account %s listed once", id)
	}
	if h.s.mode != modeLive {
		assert.Equal(t, accounts, listed, "3 service accounts over 2 pages")
	}

	for _, id := range ids {
		require.NoError(t, c.Apps.Delete(ctx, id))
	}
	for _, id := range accounts {
		require.NoError(t, c.ServiceAccounts.Delete(ctx, id))
	}
}

func countOf(ids []string, id string) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

// appKeys is the app keys API: every operation, and 404s once gone.
func appKeys(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "app-keys")
	first, err := c.AppKeys.Create(ctx, app.ID, "key-1")
	require.NoError(t, err)
	second, err := c.AppKeys.Create(ctx, app.ID, "key-2")
	require.NoError(t, err)

	got, err := c.AppKeys.Get(ctx, app.ID, first.ID)
	require.NoError(t, err)
	assert.Equal(t, "key-1", got.Name)
	keys, err := c.AppKeys.List(ctx, app.ID)
	require.NoError(t, err)
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	assert.ElementsMatch(t, []string{"key-1", "key-2"}, names)
	jwt, err := c.AppKeys.JWT(ctx, app.ID, second.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, jwt)

	require.NoError(t, c.AppKeys.Delete(ctx, app.ID, first.ID))
	_, err = c.AppKeys.Get(ctx, app.ID, first.ID)
	h.wantStatus(err, 404, "get a deleted key")
	_, err = c.AppKeys.JWT(ctx, app.ID, first.ID)
	h.wantStatus(err, 404, "JWT of a deleted key")
	h.wantStatus(c.AppKeys.Delete(ctx, app.ID, first.ID), 404, "delete a deleted key")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.AppKeys.Create(ctx, app.ID, "key-3")
	h.wantStatus(err, 404, "create a key for a deleted app")
	_, err = c.AppKeys.List(ctx, app.ID)
	h.wantStatus(err, 404, "list the keys of a deleted app")
}

// serviceAccounts is the service accounts and service account keys APIs,
// with a service account acting on its own apps.
func serviceAccounts(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	sa, err := c.ServiceAccounts.Create(ctx, h.name("svc"))
	require.NoError(t, err)
	h.createdServiceAccount(sa.ID)
	assert.Equal(t, h.name("svc"), sa.Name)

	got, err := c.ServiceAccounts.Get(ctx, sa.ID)
	require.NoError(t, err)
	assert.Equal(t, sa.Name, got.Name)
	renamed, err := c.ServiceAccounts.Update(ctx, sa.ID, h.name("svc-renamed"))
	require.NoError(t, err)
	assert.Equal(t, h.name("svc-renamed"), renamed.Name)
	page, err := c.ServiceAccounts.List(ctx, &smooch.ListOptions{Limit: smooch.MaxLimit})
	require.NoError(t, err)
	if h.s.mode != modeLive {
		require.Len(t, page.Items, 1)
		assert.Equal(t, sa.ID, page.Items[0].ID)
	}

	key, err := c.ServiceAccountKeys.Create(ctx, sa.ID, "svc-key")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(key.ID, "svc_"), key.ID)
	gotKey, err := c.ServiceAccountKeys.Get(ctx, sa.ID, key.ID)
	require.NoError(t, err)
	assert.Equal(t, "svc-key", gotKey.Name)
	keys, err := c.ServiceAccountKeys.List(ctx, sa.ID)
	require.NoError(t, err)
	require.Len(t, keys, 1)
	jwt, err := c.ServiceAccountKeys.JWT(ctx, sa.ID, key.ID)
	require.NoError(t, err)

	// The service account creates an app with its own key; its user account sees it under the service account.
	svc := h.client(key.Credentials())
	app, err := svc.Apps.Create(ctx, smooch.AppCreate{Name: h.name("svc-app")})
	require.NoError(t, err)
	h.createdApp(app.ID)
	owned, err := c.Apps.List(ctx, &smooch.AppListOptions{ServiceAccountID: sa.ID})
	require.NoError(t, err)
	require.Len(t, owned.Items, 1)
	assert.Equal(t, app.ID, owned.Items[0].ID)
	// So does the JWT the API issued for the key.
	viaJWT, err := h.client(smooch.BearerToken(jwt)).Apps.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, app.ID, viaJWT.ID)

	// Service accounts are managed with user account keys only. The client refuses a svc_ key before sending;
	// the API must refuse it too, so the token is swapped below the client.
	svcToken, err := smooch.SignJWT(key.ID, key.Secret, smooch.ScopeAccount, "")
	require.NoError(t, err)
	h.tamper.once(withToken(svcToken))
	forbidden, err := c.ServiceAccounts.Create(ctx, h.name("svc-forbidden"))
	if err == nil {
		h.createdServiceAccount(forbidden.ID)
	}
	h.wantStatus(err, 403, "a service account key creating a service account")
	var scopeErr *smooch.ScopeError
	_, err = svc.ServiceAccounts.Create(ctx, h.name("svc-refused"))
	assert.ErrorAs(t, err, &scopeErr, "the client refuses it before sending")

	require.NoError(t, c.ServiceAccountKeys.Delete(ctx, sa.ID, key.ID))
	_, err = c.ServiceAccountKeys.Get(ctx, sa.ID, key.ID)
	h.wantStatus(err, 404, "get a deleted service account key")
	_, err = c.ServiceAccountKeys.JWT(ctx, sa.ID, key.ID)
	h.wantStatus(err, 404, "JWT of a deleted service account key")
	h.wantStatus(c.ServiceAccountKeys.Delete(ctx, sa.ID, key.ID), 404, "delete a deleted service account key")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	require.NoError(t, c.ServiceAccounts.Delete(ctx, sa.ID))
	_, err = c.ServiceAccounts.Get(ctx, sa.ID)
	h.wantStatus(err, 404, "get a deleted service account")
	_, err = c.ServiceAccounts.Update(ctx, sa.ID, h.name("svc-gone"))
	h.wantStatus(err, 404, "update a deleted service account")
	h.wantStatus(c.ServiceAccounts.Delete(ctx, sa.ID), 404, "delete a deleted service account")
	_, err = c.ServiceAccountKeys.Create(ctx, sa.ID, "svc-key-2")
	h.wantStatus(err, 404, "create a key for a deleted service account")
	_, err = c.ServiceAccountKeys.List(ctx, sa.ID)
	h.wantStatus(err, 404, "list the keys of a deleted service account")
}

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

	all, err := c.Integrations.List(ctx, app.ID)
	require.NoError(t, err)
	assert.Len(t, all, len(byType))
	only, err := c.Integrations.List(ctx, app.ID, smooch.IntegrationTypeFrontendEmail, smooch.IntegrationTypeTelegram)
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
	email, ok := got.Channel().(*smooch.FrontendEmailIntegration)
	require.True(t, ok, "%T", got.Channel())
	assert.Equal(t, emailID, email.ID)

	require.NoError(t, c.Integrations.Delete(ctx, app.ID, emailID))
	_, err = c.Integrations.Get(ctx, app.ID, emailID)
	h.wantStatus(err, 404, "get a deleted integration")
	h.wantStatus(c.Integrations.Delete(ctx, app.ID, emailID), 404, "delete a deleted integration")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Integrations.Create(ctx, app.ID, smooch.Email{})
	h.wantStatus(err, 404, "connect a channel to a deleted app")
	_, err = c.Integrations.List(ctx, app.ID)
	h.wantStatus(err, 404, "list the integrations of a deleted app")
}

// webhooks is the webhooks API, with an app key, the 10-webhook limit and
// an unreachable target.
func webhooks(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "webhooks")
	hook, err := c.Webhooks.Create(ctx, app.ID, h.s.target, smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback)
	require.NoError(t, err)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage, smooch.WebhookTriggerPostback}, hook.Triggers)

	got, err := c.Webhooks.Get(ctx, app.ID, hook.ID)
	require.NoError(t, err)
	assert.Equal(t, hook.Target, got.Target)
	updated, err := c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{
		Target: smooch.Ptr(h.s.target + "?v=2"), Triggers: &[]smooch.WebhookTrigger{smooch.WebhookTriggerAll}})
	require.NoError(t, err)
	assert.Equal(t, h.s.target+"?v=2", updated.Target)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerAll}, updated.Triggers)

	// An app key reaches its own app's webhooks.
	key, err := c.AppKeys.Create(ctx, app.ID, "webhooks-key")
	require.NoError(t, err)
	hooks, err := h.client(key.Credentials()).Webhooks.List(ctx, app.ID)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Equal(t, hook.ID, hooks[0].ID)

	// An app has at most 10 webhooks.
	for i := 2; i <= 10; i++ {
		_, err := c.Webhooks.Create(ctx, app.ID, h.s.target)
		require.NoError(t, err, "webhook %d of 10", i)
	}
	_, err = c.Webhooks.Create(ctx, app.ID, h.s.target)
	h.wantClientError(err, 400, "an 11th webhook")
	hooks, err = c.Webhooks.List(ctx, app.ID)
	require.NoError(t, err)
	assert.Len(t, hooks, 10)

	// A target that does not answer is refused.
	require.NoError(t, c.Webhooks.Delete(ctx, app.ID, hooks[9].ID))
	_, err = c.Webhooks.Create(ctx, app.ID, unreachableTarget)
	h.wantClientError(err, 400, "a webhook whose target does not answer")

	require.NoError(t, c.Webhooks.Delete(ctx, app.ID, hook.ID))
	_, err = c.Webhooks.Get(ctx, app.ID, hook.ID)
	h.wantStatus(err, 404, "get a deleted webhook")
	_, err = c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{Target: smooch.Ptr(h.s.target)})
	h.wantStatus(err, 404, "update a deleted webhook")
	h.wantStatus(c.Webhooks.Delete(ctx, app.ID, hook.ID), 404, "delete a deleted webhook")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Webhooks.Create(ctx, app.ID, h.s.target)
	h.wantStatus(err, 404, "a webhook for a deleted app")
	_, err = c.Webhooks.List(ctx, app.ID)
	h.wantStatus(err, 404, "list the webhooks of a deleted app")
}

// auth is authentication and scopes: 401 for a wrong secret, 403 for a
// token of the wrong scope.
func auth(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "auth")
	key, err := c.AppKeys.Create(ctx, app.ID, "auth-key")
	require.NoError(t, err)

	wrong := h.client(smooch.AccountKey(h.keyID, "wrong-secret-not-real"))
	_, err = wrong.Apps.List(ctx, nil)
	h.wantStatus(err, 401, "list apps with a wrong secret")
	assert.True(t, smooch.IsUnauthorized(err))
	_, err = wrong.Apps.Get(ctx, app.ID)
	h.wantStatus(err, 401, "get an app with a wrong secret")
	_, err = wrong.ServiceAccounts.List(ctx, nil)
	h.wantStatus(err, 401, "list service accounts with a wrong secret")
	_, err = wrong.Apps.Create(ctx, smooch.AppCreate{Name: h.name("auth-unauthorized")})
	h.wantStatus(err, 401, "create an app with a wrong secret")

	// An app-scoped token reaches its app's webhooks only. The client refuses other calls before sending them;
	// the API must refuse them too, so the token is swapped below the client.
	appToken, err := smooch.SignJWT(key.ID, key.Secret, smooch.ScopeApp, "")
	require.NoError(t, err)
	h.tamper.once(withToken(appToken))
	_, err = c.Apps.List(ctx, nil)
	h.wantStatus(err, 403, "list apps with an app-scoped token")
	assert.True(t, smooch.IsForbidden(err))
	h.tamper.once(withToken(appToken))
	_, err = c.Apps.Get(ctx, app.ID)
	h.wantStatus(err, 403, "get an app with an app-scoped token")
	var scopeErr *smooch.ScopeError
	_, err = h.client(key.Credentials()).Apps.List(ctx, nil)
	assert.ErrorAs(t, err, &scopeErr, "the client refuses it before sending")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
}

// checkRun judges the run's cassettes as a whole: all valid, no secret, every
// operation covered; in replay and record, no stale cassette.
// Coverage and staleness are judged only when all of the suite's scenarios
// ran: a run narrowed with -run (TestConformance/webhooks) covers little and
// leaves the other cassettes unread, which says nothing about them.
func (s *suite) checkRun(t *testing.T, scenarios int) {
	cassettes, err := conformance.LoadCassettes(s.scenarios...)
	require.NoError(t, err)
	total, violations := s.checker.CheckCassettes(context.Background(), cassettes)
	for _, v := range violations {
		if v.Warning {
			t.Log(v)
		} else {
			t.Error(v)
		}
	}
	findings, err := conformance.ScanSecrets(s.scenarios...)
	require.NoError(t, err)
	for _, f := range findings {
		t.Errorf("secret in a cassette: %s", f)
	}
	coverage := conformance.NewCoverage(s.checker.Validator().Doc())
	coverage.AddCassettes(s.checker, cassettes)
	var table strings.Builder
	require.NoError(t, coverage.WriteTable(&table))
	t.Logf("%d interactions in %d cassettes\n%s", total, len(cassettes), table.String())
	whole := len(s.scenarios) == scenarios
	if whole {
		for _, gap := range coverage.Gaps() {
			t.Errorf("not covered: %s", gap)
		}
	} else {
		t.Logf("%d of %d scenarios ran: coverage and stale cassettes are judged on full runs only", len(s.scenarios), scenarios)
	}

	if s.mode == modeLive {
		// What a scenario left behind is judged by sweepLeftovers, which runs after this.
		t.Logf("cassettes of this live run: %s", s.dir)
		return
	}
	if whole {
		entries, err := os.ReadDir(s.dir)
		require.NoError(t, err)
		for _, e := range entries {
			if path := filepath.Join(s.dir, e.Name()); !slices.Contains(s.scenarios, path) {
				t.Errorf("%s belongs to no scenario: delete it, or re-record", path)
			}
		}
	}
}
