package conformance_test

import (
	"strings"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// Scenarios of keys and credentials: app keys, service accounts and their keys, authentication and scopes.

// appKeys is the app keys API: every operation, and 404s once gone.
func appKeys(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "app-keys")
	first, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "key-1"})
	require.NoError(t, err)
	second, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "key-2"})
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
	_, err = c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "key-3"})
	h.wantStatus(err, 404, "create a key for a deleted app")
	_, err = c.AppKeys.List(ctx, app.ID)
	h.wantStatus(err, 404, "list the keys of a deleted app")
}

// serviceAccounts is the service accounts and service account keys APIs,
// with a service account acting on its own apps.
func serviceAccounts(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	sa, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: h.name("svc")})
	require.NoError(t, err)
	h.createdServiceAccount(sa.ID)
	assert.Equal(t, h.name("svc"), sa.Name)

	got, err := c.ServiceAccounts.Get(ctx, sa.ID)
	require.NoError(t, err)
	assert.Equal(t, sa.Name, got.Name)
	renamed, err := c.ServiceAccounts.Update(ctx, sa.ID, smooch.ServiceAccountUpdate{Name: h.name("svc-renamed")})
	require.NoError(t, err)
	assert.Equal(t, h.name("svc-renamed"), renamed.Name)
	page, err := c.ServiceAccounts.List(ctx, &smooch.ListOptions{Limit: smooch.MaxLimit})
	require.NoError(t, err)
	if h.s.mode != modeLive {
		require.Len(t, page.Items, 1)
		assert.Equal(t, sa.ID, page.Items[0].ID)
	}

	key, err := c.ServiceAccountKeys.Create(ctx, sa.ID, smooch.SecretKeyCreate{Name: "svc-key"})
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
	forbidden, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: h.name("svc-forbidden")})
	if err == nil {
		h.createdServiceAccount(forbidden.ID)
	}
	h.wantStatus(err, 403, "a service account key creating a service account")
	var scopeErr *smooch.ScopeError
	_, err = svc.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: h.name("svc-refused")})
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
	_, err = c.ServiceAccounts.Update(ctx, sa.ID, smooch.ServiceAccountUpdate{Name: h.name("svc-gone")})
	h.wantStatus(err, 404, "update a deleted service account")
	h.wantStatus(c.ServiceAccounts.Delete(ctx, sa.ID), 404, "delete a deleted service account")
	_, err = c.ServiceAccountKeys.Create(ctx, sa.ID, smooch.SecretKeyCreate{Name: "svc-key-2"})
	h.wantStatus(err, 404, "create a key for a deleted service account")
	_, err = c.ServiceAccountKeys.List(ctx, sa.ID)
	h.wantStatus(err, 404, "list the keys of a deleted service account")
}

// auth is authentication and scopes: 401 for a wrong secret, 403 for a
// token of the wrong scope.
func auth(h *harness) {
	t, ctx, c := h.t, h.ctx, h.account()
	app := h.newApp(c, "auth")
	key, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "auth-key"})
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
