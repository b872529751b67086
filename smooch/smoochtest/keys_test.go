package smoochtest_test

import (
	"net/http"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
)

func TestAppKeysLifecycle(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "app")

	k1 := createAppKey(t, c, app.ID, "key1")
	k2 := createAppKey(t, c, app.ID, "key2")
	for _, k := range []gen.SecretKey{k1, k2} {
		if !appKeyIDRe.MatchString(k.ID) || !secretRe.MatchString(k.Secret) {
			t.Errorf("key %+v: want id app_<24 hex> and a 24 character secret", k)
		}
	}
	list, err := c.ListAppKeysWithResponse(ctx, v1, app.ID)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Keys) != 2 || list.JSON200.Keys[0] != k1 || list.JSON200.Keys[1] != k2 {
		t.Errorf("keys = %+v", list.JSON200.Keys)
	}
	got, err := c.GetAppKeyWithResponse(ctx, v1, app.ID, k2.ID)
	wantStatus(t, got, err, http.StatusOK)
	if got.JSON200.Key != k2 {
		t.Errorf("get = %+v", got.JSON200.Key)
	}
	empty, err := c.CreateAppKeyWithResponse(ctx, v1, app.ID, gen.SecretKeyCreate{})
	wantStatus(t, empty, err, http.StatusBadRequest)

	del, err := c.DeleteAppKeyWithResponse(ctx, v1, app.ID, k1.ID)
	wantStatus(t, del, err, http.StatusOK)
	for _, call := range []func() (response, error){
		func() (response, error) { return c.GetAppKeyWithResponse(ctx, v1, app.ID, k1.ID) },
		func() (response, error) { return c.DeleteAppKeyWithResponse(ctx, v1, app.ID, k1.ID) },
		func() (response, error) { return c.GetAppKeyJWTWithResponse(ctx, v1, app.ID, k1.ID) },
		func() (response, error) { return c.GetAppKeyWithResponse(ctx, v1, "000000000000000000000000", k2.ID) },
	} {
		resp, err := call()
		wantStatus(t, resp, err, http.StatusNotFound)
	}
	// A key of one app is not reachable under another.
	other := createApp(t, c, "other")
	cross, err := c.GetAppKeyWithResponse(ctx, v1, other.ID, k2.ID)
	wantStatus(t, cross, err, http.StatusNotFound)
}

func TestDeleteAppCascades(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	target := newTarget(t)
	app := createApp(t, c, "doomed")
	k := createAppKey(t, c, app.ID, "k")
	appClient := client(t, srv, sign(t, keyOf(k), jwt.MapClaims{"scope": "app"}))

	hook, err := appClient.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: target.URL + "/hook"})
	wantStatus(t, hook, err, http.StatusCreated)
	var ic gen.IntegrationCreate
	if err := ic.FromTelegramIntegrationCreate(gen.TelegramIntegrationCreate{Token: "test-token-not-real"}); err != nil {
		t.Fatal(err)
	}
	integ, err := c.CreateIntegrationWithResponse(ctx, v1, app.ID, ic)
	wantStatus(t, integ, err, http.StatusCreated)

	del, err := c.DeleteAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, del, err, http.StatusOK)

	// The key's JWTs stop working at once.
	r, err := appClient.ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, r, err, http.StatusUnauthorized)
	for _, call := range []func() (response, error){
		func() (response, error) { return c.ListAppKeysWithResponse(ctx, v1, app.ID) },
		func() (response, error) { return c.ListWebhooksWithResponse(ctx, v1, app.ID) },
		func() (response, error) { return c.ListIntegrationsWithResponse(ctx, v1, app.ID, nil) },
	} {
		resp, err := call()
		wantStatus(t, resp, err, http.StatusNotFound)
	}
}
