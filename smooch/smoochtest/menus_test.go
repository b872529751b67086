package smoochtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
)

// menuItems decodes a menu answer into plain maps, to check exactly what went over the wire.
func menuItems(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var resp struct {
		Menu struct {
			Items []map[string]any `json:"items"`
		} `json:"menu"`
	}
	require.NoError(t, json.Unmarshal(body, &resp), "%s", body)
	require.NotNil(t, resp.Menu.Items, "a menu always has items, empty or not: %s", body)
	return resp.Menu.Items
}

func createEmail(t *testing.T, c *gen.ClientWithResponses, appID string) string {
	t.Helper()
	r, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, appID, "application/json", strings.NewReader(`{"type":"frontendEmail"}`))
	wantStatus(t, r, err, http.StatusCreated)
	email, err := r.JSON201.Integration.AsFrontendEmailIntegration()
	require.NoError(t, err)
	return email.ID
}

const (
	submenuBody = `{"items":[{"type":"link","text":"Website","uri":"https://acme.example.com"},` +
		`{"type":"submenu","text":"Help","items":[{"type":"postback","text":"Talk to a human","payload":"HUMAN"},` +
		`{"type":"link","text":"FAQ","uri":"https://acme.example.com/faq"}]}]}`
	postbackBody = `{"items":[{"type":"postback","text":"Hello","payload":"HELLO","_id":"sent-ids-are-ignored"}]}`
)

func TestAppMenu(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "menus")

	// An app that never had a menu has an empty one.
	got, err := c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Empty(t, menuItems(t, got.Body))

	set, err := c.UpdateAppMenuWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(submenuBody))
	wantStatus(t, set, err, http.StatusOK)
	items := menuItems(t, set.Body)
	require.Len(t, items, 2)
	assert.Equal(t, "https://acme.example.com", items[0]["uri"])
	assert.Equal(t, "submenu", items[1]["type"])
	subs := items[1]["items"].([]any)
	require.Len(t, subs, 2)
	assert.Equal(t, "HUMAN", subs[0].(map[string]any)["payload"])
	for _, item := range []map[string]any{items[0], items[1], subs[0].(map[string]any), subs[1].(map[string]any)} {
		assert.Regexp(t, hex24, item["_id"], "every stored item gets an id")
	}

	got, err = c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.JSONEq(t, string(set.Body), string(got.Body), "GET answers what PUT stored")

	// PUT replaces the whole menu, with new ids; ids sent by the client are not kept.
	set, err = c.UpdateAppMenuWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(postbackBody))
	wantStatus(t, set, err, http.StatusOK)
	items = menuItems(t, set.Body)
	require.Len(t, items, 1)
	assert.NotEqual(t, "sent-ids-are-ignored", items[0]["_id"])

	// Removing the menu answers what is left: an empty menu.
	removed, err := c.DeleteAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, removed, err, http.StatusOK)
	assert.JSONEq(t, `{"menu":{"items":[]}}`, string(removed.Body))
	got, err = c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Empty(t, menuItems(t, got.Body))

	for body, want := range map[string]string{
		`{"items":[{"type":"link","text":"Website"}]}`:                                         `"uri"`,
		`{"items":[{"type":"postback","text":"Hello"}]}`:                                       `"payload"`,
		`{"items":[{"type":"submenu","text":"More"}]}`:                                         `"items"`,
		`{"items":[{"type":"submenu","text":"More","items":[{"type":"submenu","text":"x"}]}]}`: "/items/0/items/0",
		`{"items":[]}`: "at least one item",
	} {
		r, err := c.UpdateAppMenuWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(body))
		e := wantStatus(t, r, err, http.StatusBadRequest)
		assert.Contains(t, e.Description, want, body)
	}
	got, err = c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Empty(t, menuItems(t, got.Body), "refused menus change nothing")

	// The app menu is an app-level resource: an app key reaches its own app's, not another's.
	key := createAppKey(t, c, app.ID, "menu key")
	appClient := client(t, srv, sign(t, keyOf(key), jwt.MapClaims{"scope": "app"}))
	set2, err := appClient.UpdateAppMenuWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(postbackBody))
	wantStatus(t, set2, err, http.StatusOK)
	other := createApp(t, c, "other")
	denied, err := appClient.GetAppMenuWithResponse(ctx, v1, other.ID)
	wantStatus(t, denied, err, http.StatusNotFound)

	// Gone with the app.
	del, err := c.DeleteAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, del, err, http.StatusOK)
	gone, err := c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, gone, err, http.StatusNotFound)
	gone2, err := c.DeleteAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, gone2, err, http.StatusNotFound)
}

func TestIntegrationMenuOverridesTheAppMenu(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "menus")
	integrationID := createEmail(t, c, app.ID)
	set, err := c.UpdateAppMenuWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(submenuBody))
	wantStatus(t, set, err, http.StatusOK)

	// No menu of its own: the app's applies, and the integration's answers 404.
	none, err := c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	e := wantStatus(t, none, err, http.StatusNotFound)
	assert.Contains(t, e.Description, "Integration menu")
	delNone, err := c.DeleteIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, delNone, err, http.StatusNotFound)

	created, err := c.CreateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, integrationID, "application/json", strings.NewReader(postbackBody))
	wantStatus(t, created, err, http.StatusCreated)
	require.Len(t, menuItems(t, created.Body), 1)
	again, err := c.CreateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, integrationID, "application/json", strings.NewReader(submenuBody))
	wantStatus(t, again, err, http.StatusConflict)

	got, err := c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, got, err, http.StatusOK)
	assert.JSONEq(t, string(created.Body), string(got.Body))
	appMenu, err := c.GetAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, appMenu, err, http.StatusOK)
	assert.Len(t, menuItems(t, appMenu.Body), 2, "an integration's menu leaves the app's as it was")

	updated, err := c.UpdateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, integrationID, "application/json", strings.NewReader(submenuBody))
	wantStatus(t, updated, err, http.StatusOK)
	assert.Len(t, menuItems(t, updated.Body), 2)

	// Removing the app's menu leaves the integration's.
	removed, err := c.DeleteAppMenuWithResponse(ctx, v1, app.ID)
	wantStatus(t, removed, err, http.StatusOK)
	got, err = c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, got, err, http.StatusOK)
	assert.JSONEq(t, string(updated.Body), string(got.Body))

	deleted, err := c.DeleteIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, deleted, err, http.StatusOK)
	assert.JSONEq(t, `{}`, string(deleted.Body))
	gone, err := c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, gone, err, http.StatusNotFound)

	// PUT creates the menu of an integration that has none.
	upserted, err := c.UpdateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, integrationID, "application/json", strings.NewReader(postbackBody))
	wantStatus(t, upserted, err, http.StatusOK)
	got, err = c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Len(t, menuItems(t, got.Body), 1)

	bad, err := c.UpdateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, integrationID, "application/json", strings.NewReader(`{"items":[{"type":"link","text":"x","uri":"not a url"}]}`))
	wantStatus(t, bad, err, http.StatusBadRequest)
	unknown, err := c.CreateIntegrationMenuWithBodyWithResponse(ctx, v1, app.ID, "000000000000000000000000", "application/json", strings.NewReader(postbackBody))
	wantStatus(t, unknown, err, http.StatusNotFound)

	// An integration's menu is the integration's: account scope only, and gone with it.
	key := createAppKey(t, c, app.ID, "menu key")
	appClient := client(t, srv, sign(t, keyOf(key), jwt.MapClaims{"scope": "app"}))
	forbidden, err := appClient.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, forbidden, err, http.StatusForbidden)
	del, err := c.DeleteIntegrationWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, del, err, http.StatusOK)
	afterDelete, err := c.GetIntegrationMenuWithResponse(ctx, v1, app.ID, integrationID)
	wantStatus(t, afterDelete, err, http.StatusNotFound)
}
