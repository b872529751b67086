package conformance_test

import (
	"net/http"
	"net/url"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// appScopePaths is the older form of the webhooks and app menu APIs that the 2017 reference documents for
// app-scoped tokens, and that Smooch's own JavaScript client (smooch-core) still calls: /v1/webhooks,
// /v1/webhooks/{webhookId} and /v1/menu, the app being the token's. The Go client has no method for them
// (it calls /v1/apps/{appId}/…), so the scenario calls them with Client.Do and an app key; what it does there
// must show under the app's id.
func appScopePaths(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "app-scope")
	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "app-scope-key"})
	require.NoError(t, err)
	appClient := h.client(key.Credentials())

	type webhookAnswer struct {
		Webhook smooch.Webhook `json:"webhook"`
	}
	var created webhookAnswer
	require.NoError(t, appClient.Do(ctx, http.MethodPost, "/v1/webhooks", smooch.WebhookCreate{Target: h.s.target}, &created))
	hook := created.Webhook
	assert.Equal(t, h.s.target, hook.Target)

	var list struct {
		Webhooks []smooch.Webhook `json:"webhooks"`
	}
	require.NoError(t, appClient.Do(ctx, http.MethodGet, "/v1/webhooks", nil, &list))
	require.Len(t, list.Webhooks, 1)
	assert.Equal(t, hook.ID, list.Webhooks[0].ID)
	// The same webhook, under the app's id.
	viaApp, err := c.Webhooks.Get(ctx, app.ID, hook.ID)
	require.NoError(t, err)
	assert.Equal(t, hook.Target, viaApp.Target)

	path := "/v1/webhooks/" + url.PathEscape(hook.ID)
	var got webhookAnswer
	require.NoError(t, appClient.Do(ctx, http.MethodGet, path, nil, &got))
	assert.Equal(t, hook.ID, got.Webhook.ID)
	var updated webhookAnswer
	require.NoError(t, appClient.Do(ctx, http.MethodPut, path, smooch.WebhookUpdate{Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerAll}}, &updated))
	assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerAll}, updated.Webhook.Triggers)
	require.NoError(t, appClient.Do(ctx, http.MethodDelete, path, nil, nil))
	h.wantStatus(appClient.Do(ctx, http.MethodGet, path, nil, nil), 404, "get a deleted webhook by its app-scope path")
	h.wantStatus(appClient.Do(ctx, http.MethodPut, path, smooch.WebhookUpdate{Target: h.s.target}, nil), 404, "update a deleted webhook by its app-scope path")
	h.wantStatus(appClient.Do(ctx, http.MethodDelete, path, nil, nil), 404, "delete a deleted webhook by its app-scope path")
	h.wantClientError(appClient.Do(ctx, http.MethodPost, "/v1/webhooks", smooch.WebhookCreate{Target: unreachableTarget}, nil), 400,
		"a webhook whose target does not answer, by the app-scope path")
	// An account token names no app.
	h.wantClientError(c.Do(ctx, http.MethodGet, "/v1/webhooks", nil, nil), 403, "list webhooks by the app-scope path with an account token")

	menu := smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypePostback, Text: "Talk to a human", Payload: "HUMAN"}}}
	var set struct {
		Menu smooch.Menu `json:"menu"`
	}
	require.NoError(t, appClient.Do(ctx, http.MethodPut, "/v1/menu", menu, &set))
	require.Len(t, set.Menu.Items, 1)
	assert.Equal(t, "HUMAN", set.Menu.Items[0].Payload)
	// The same menu, under the app's id.
	viaAppMenu, err := c.Menus.Get(ctx, app.ID)
	require.NoError(t, err)
	require.Len(t, viaAppMenu.Items, 1)
	assert.Equal(t, "Talk to a human", viaAppMenu.Items[0].Text)
	var read struct {
		Menu smooch.Menu `json:"menu"`
	}
	require.NoError(t, appClient.Do(ctx, http.MethodGet, "/v1/menu", nil, &read))
	require.Len(t, read.Menu.Items, 1)
	var removed struct {
		Menu smooch.Menu `json:"menu"`
	}
	require.NoError(t, appClient.Do(ctx, http.MethodDelete, "/v1/menu", nil, &removed))
	assert.Empty(t, removed.Menu.Items)
	// A link without its URL, which the typed Menus.Set would refuse before sending.
	h.wantClientError(appClient.Do(ctx, http.MethodPut, "/v1/menu", []byte(`{"items":[{"type":"link","text":"Website"}]}`), nil), 400,
		"a menu link without its URL, by the app-scope path")
	h.wantClientError(c.Do(ctx, http.MethodGet, "/v1/menu", nil, nil), 403, "get the menu by the app-scope path with an account token")
	h.wantClientError(c.Do(ctx, http.MethodDelete, "/v1/menu", nil, nil), 403, "remove the menu by the app-scope path with an account token")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
}
