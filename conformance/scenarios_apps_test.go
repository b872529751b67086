package conformance_test

import (
	"errors"
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// Scenarios of the apps API: the apps guide, every operation, paging.

// appsGuide is "Creating and Managing Apps": create an app, a webhook, a
// key, fetch an app JWT, connect a channel; then the app JWT works.
func appsGuide(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "guide")
	assert.Equal(t, h.name("guide"), app.Name)
	assert.NotEmpty(t, app.ID)

	hook, err := c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target})
	require.NoError(t, err)
	assert.Equal(t, h.s.target, hook.Target)
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage}, hook.Triggers, "the default trigger")
	assert.NotEmpty(t, hook.Secret)

	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "guide-key"})
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
	created, err := c.Apps.Create(ctx, smooch.AppCreate{Name: h.name("apps"), Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(true)}})
	require.NoError(t, err)
	h.createdApp(created.ID)
	require.NotNil(t, created.Settings)
	assert.Equal(t, smooch.Ptr(true), created.Settings.MaskCreditCardNumbers)

	got, err := c.Apps.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.Name, got.Name)

	updated, err := c.Apps.Update(ctx, created.ID, smooch.AppUpdate{Name: h.name("apps-renamed"), Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}})
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
	owner, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: h.name("paging-owner")})
	require.NoError(t, err)
	h.createdServiceAccount(owner.ID)
	key, err := c.ServiceAccountKeys.Create(ctx, owner.ID, smooch.SecretKeyCreate{Name: "paging-key"})
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
		sa, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: h.name(suffix)})
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
