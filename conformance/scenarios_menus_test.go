package conformance_test

import (
	"errors"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// Scenarios of the 2018 additions: integration updates, WhatsApp business profiles, app and integration menus.

// liveRefused reports whether a live API refused a channel with fake credentials (any 4xx): the exchange was
// validated, and what needed the channel is skipped. Recording and replay never refuse.
func (h *harness) liveRefused(err error, what string) bool {
	var apiErr *smooch.APIError
	if h.s.mode == modeLive && errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 {
		h.t.Logf("live API refused %s: %v", what, err)
		return true
	}
	return false
}

// integrationUpdates changes a Web Messenger's settings and a LINE integration's credentials, sets a WhatsApp
// business profile, and provokes the errors: a field that does not apply to the type, a profile for another
// type, and both on a deleted integration.
func integrationUpdates(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "integration-updates")
	web, err := c.Integrations.Create(ctx, app.ID, smooch.WebMessenger{BrandColor: "65758e", BusinessName: "Conformance"})
	require.NoError(t, err, "a Web Messenger needs no credentials")

	updated, err := c.Integrations.Update(ctx, app.ID, web.ID, smooch.IntegrationUpdate{
		BrandColor: "0099ff", FixedIntroPane: smooch.Ptr(false), DisplayStyle: smooch.DisplayStyleTab,
		OriginWhitelist: []string{"https://example.com", "http://localhost:8080"},
	})
	require.NoError(t, err)
	w, ok := updated.Channel().(*smooch.WebMessengerIntegration)
	require.True(t, ok, "%T", updated.Channel())
	assert.Equal(t, "0099ff", w.BrandColor)
	assert.Equal(t, smooch.DisplayStyleTab, w.DisplayStyle)
	assert.Equal(t, "Conformance", w.BusinessName, "what the update leaves out is kept")
	got, err := c.Integrations.Get(ctx, app.ID, web.ID)
	require.NoError(t, err)
	assert.Equal(t, "0099ff", got.Channel().(*smooch.WebMessengerIntegration).BrandColor)

	// A field that does not apply to the integration's type.
	_, err = c.Integrations.Update(ctx, app.ID, web.ID, smooch.IntegrationUpdate{HSMFallbackLanguage: "en_US"})
	h.wantClientError(err, 400, "a WhatsApp field on a Web Messenger")

	line, err := c.Integrations.Create(ctx, app.ID, smooch.LINE{ChannelID: "1000000001", ChannelAccessToken: "test-line-access-token-not-real",
		ChannelSecret: "test-line-secret-not-real"})
	if !h.liveRefused(err, "fake LINE credentials") {
		require.NoError(t, err)
		updatedLine, err := c.Integrations.Update(ctx, app.ID, line.ID, smooch.IntegrationUpdate{ChannelID: "1000000002", ChannelSecret: "test-new-line-secret-not-real"})
		require.NoError(t, err)
		assert.Equal(t, "1000000002", updatedLine.Channel().(*smooch.LINEIntegration).ChannelID)
	}

	whatsapp, err := c.Integrations.Create(ctx, app.ID, smooch.WhatsApp{BaseURL: "https://whatsapp.example.com:8443", Username: "smooch-conformance",
		Password: "test-whatsapp-password-not-real"})
	if h.liveRefused(err, "a WhatsApp API client that does not exist") {
		h.excuse("updateIntegrationProfile", "the live API refused the WhatsApp integration a business profile needs")
	} else {
		require.NoError(t, err)
		assert.Equal(t, smooch.IntegrationStatusActive, whatsapp.Status)
		require.NoError(t, c.Integrations.UpdateProfile(ctx, app.ID, whatsapp.ID, smooch.IntegrationProfileUpdate{
			About: "Open 9 to 5", Email: "support@example.com", Vertical: "Retail",
			Websites: []string{"https://example.com"},
		}))
		updatedWA, err := c.Integrations.Update(ctx, app.ID, whatsapp.ID, smooch.IntegrationUpdate{HSMFallbackLanguage: "fr_CA"})
		require.NoError(t, err)
		assert.Equal(t, "fr_CA", updatedWA.Channel().(*smooch.WhatsAppIntegration).HSMFallbackLanguage)
	}
	// A business profile is WhatsApp's only.
	err = c.Integrations.UpdateProfile(ctx, app.ID, web.ID, smooch.IntegrationProfileUpdate{About: "Open 9 to 5"})
	h.wantClientError(err, 400, "a business profile for a Web Messenger")

	require.NoError(t, c.Integrations.Delete(ctx, app.ID, web.ID))
	_, err = c.Integrations.Update(ctx, app.ID, web.ID, smooch.IntegrationUpdate{BrandColor: "fff"})
	h.wantStatus(err, 404, "update a deleted integration")
	err = c.Integrations.UpdateProfile(ctx, app.ID, web.ID, smooch.IntegrationProfileUpdate{About: "Open"})
	h.wantStatus(err, 404, "the profile of a deleted integration")
	require.NoError(t, c.Apps.Delete(ctx, app.ID))
}

// menus sets, reads and removes an app's menu (with a submenu), gives a Web Messenger a menu of its own that
// outlives the app's, and provokes the errors: a link without its uri, a second integration menu, menus of
// what does not exist.
func menus(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "menus")
	empty, err := c.Menus.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Empty(t, empty.Items, "a new app has no menu")

	appMenu := smooch.Menu{Items: []smooch.MenuItem{
		{Type: smooch.MenuItemTypeLink, Text: "Website", URI: "https://example.com"},
		{Type: smooch.MenuItemTypeSubmenu, Text: "Help", Items: []smooch.MenuSubItem{
			{Type: smooch.MenuItemTypePostback, Text: "Talk to a human", Payload: "HUMAN"},
			{Type: smooch.MenuItemTypeLink, Text: "FAQ", URI: "https://example.com/faq"},
		}},
	}}
	set, err := c.Menus.Set(ctx, app.ID, appMenu)
	require.NoError(t, err)
	require.Len(t, set.Items, 2)
	assert.Equal(t, "https://example.com", set.Items[0].URI)
	require.Len(t, set.Items[1].Items, 2)
	assert.Equal(t, "HUMAN", set.Items[1].Items[0].Payload)
	got, err := c.Menus.Get(ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, set, got)

	// The client refuses a link without its uri; the API must too, so the body is replaced below the client.
	h.tamper.once(withBody(`{"items":[{"type":"link","text":"Website"}]}`))
	_, err = c.Menus.Set(ctx, app.ID, appMenu)
	h.wantStatus(err, 400, "a menu link without its uri")

	web, err := c.Integrations.Create(ctx, app.ID, smooch.WebMessenger{BusinessName: "Conformance"})
	require.NoError(t, err, "a Web Messenger needs no credentials")
	_, err = c.IntegrationMenus.Get(ctx, app.ID, web.ID)
	h.wantClientError(err, 404, "the menu of an integration without one")

	ownMenu := smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypePostback, Text: "Book a demo", Payload: "DEMO"}}}
	own, err := c.IntegrationMenus.Create(ctx, app.ID, web.ID, ownMenu)
	require.NoError(t, err)
	require.Len(t, own.Items, 1)
	_, err = c.IntegrationMenus.Create(ctx, app.ID, web.ID, ownMenu)
	h.wantClientError(err, 409, "a second menu for one integration")
	own, err = c.IntegrationMenus.Update(ctx, app.ID, web.ID, appMenu)
	require.NoError(t, err)
	assert.Len(t, own.Items, 2)
	fetched, err := c.IntegrationMenus.Get(ctx, app.ID, web.ID)
	require.NoError(t, err)
	assert.Equal(t, own, fetched)

	// Removing the app's menu leaves an empty one, and the integration's own.
	removed, err := c.Menus.Remove(ctx, app.ID)
	require.NoError(t, err)
	assert.Empty(t, removed.Items)
	kept, err := c.IntegrationMenus.Get(ctx, app.ID, web.ID)
	require.NoError(t, err)
	assert.Equal(t, own, kept)

	require.NoError(t, c.IntegrationMenus.Delete(ctx, app.ID, web.ID))
	h.wantClientError(c.IntegrationMenus.Delete(ctx, app.ID, web.ID), 404, "delete a deleted integration menu")

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
	_, err = c.Menus.Get(ctx, app.ID)
	h.wantStatus(err, 404, "the menu of a deleted app")
	_, err = c.Menus.Set(ctx, app.ID, appMenu)
	h.wantStatus(err, 404, "set the menu of a deleted app")
	_, err = c.Menus.Remove(ctx, app.ID)
	h.wantStatus(err, 404, "remove the menu of a deleted app")
	_, err = c.IntegrationMenus.Create(ctx, app.ID, web.ID, ownMenu)
	h.wantStatus(err, 404, "a menu for an integration of a deleted app")
	_, err = c.IntegrationMenus.Update(ctx, app.ID, web.ID, ownMenu)
	h.wantStatus(err, 404, "update the menu of an integration of a deleted app")
}
