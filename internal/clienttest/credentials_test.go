package clienttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func TestNewCatchesCredentialMistakes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		creds smooch.Credentials
		want  string
	}{
		{"zero", smooch.Credentials{}, "smooch: credentials: empty: pass AccountKey(keyID, secret), AppKey(keyID, secret) or BearerToken(jwt)"},
		{"empty key id", smooch.AccountKey("", testSecret), "smooch: credentials: key id is empty"},
		{"empty secret", smooch.AccountKey(accountKeyID, ""), "smooch: credentials for key " + accountKeyID + ": secret is empty"},
		{"padded secret", smooch.AccountKey(accountKeyID, testSecret+"\n"), "secret has leading or trailing white space"},
		{"padded key id", smooch.AccountKey(" "+accountKeyID, testSecret), "key id has leading or trailing white space"},
		{"app key for account scope", smooch.AccountKey(appKeyID, testSecret),
			"smooch: credentials for key " + appKeyID + ": an app key (app_…) cannot sign JWTs of scope account (it signs app or appUser)"},
		{"account key for app scope", smooch.AppKey(accountKeyID, testSecret), "a user account key (act_…) cannot sign JWTs of scope app (it signs account)"},
		{"service key for appUser scope", smooch.AppUserKey(serviceKeyID, testSecret, "u1"), "a service account key (svc_…) cannot sign JWTs of scope appUser"},
		{"appUser without user", smooch.AppUserKey(appKeyID, testSecret, ""), "appUser scope needs a UserID"},
		{"user id with app scope", smooch.Credentials{KeyID: appKeyID, Secret: testSecret, Scope: smooch.ScopeApp, UserID: "u1"}, "UserID is only for appUser scope, not app"},
		{"unknown scope", smooch.Credentials{KeyID: appKeyID, Secret: testSecret, Scope: "admin"}, `unknown scope "admin"`},
		{"bogus key id", smooch.AccountKey("bogus_123", testSecret), "the key id is not a key id: want act_, svc_ or app_ followed by 24 lowercase hexadecimal digits"},
		{"short key id", smooch.AccountKey("act_123", testSecret), "credentials for key act_123: is not a key id"},
		{"uppercase key id", smooch.AccountKey("act_5963CEB97CDE542D000DBDB1", testSecret), "is not a key id"},
		{"id and secret swapped", smooch.AccountKey("Y4SINFtAUzEjayxgUjJZoTjG", accountKeyID), "the key id and the secret look swapped"},
		{"id passed as the secret", smooch.AccountKey(accountKeyID, appKeyID), "the secret has the form of a key id"},
		{"JWT passed as the secret", smooch.AppKey(appKeyID, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"), "the secret is a JWT, not a key's secret: pass a JWT with BearerToken"},
		{"token and key", smooch.Credentials{KeyID: appKeyID, Secret: testSecret, Token: "a.b.c"}, "set either Token or KeyID and Secret, not both"},
		{"token with Bearer prefix", smooch.BearerToken("Bearer a.b.c"), "token contains white space"},
		{"token that is not a JWT", smooch.BearerToken("not-a-jwt"), "token is not a JWT: want three base64url segments"},
		{"token with two segments", smooch.BearerToken("eyJhbGciOiJIUzI1NiJ9.e30"), "token is not a JWT"},
		{"unsigned token", smooch.BearerToken("eyJhbGciOiJIUzI1NiJ9.e30."), "token is not a JWT"},
		{"token that is not base64url", smooch.BearerToken("a+b.c/d.e=f"), "token is not a JWT"},
		{"alg none token", smooch.BearerToken("eyJhbGciOiJub25lIn0.e30.c2ln"), `token is signed with "none": the API accepts HS256 JWTs only`},
		{"token with user id", smooch.Credentials{Token: "a.b.c", UserID: "u1"}, "UserID is carried by the token itself"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{}`))
			c, err := smooch.New(tc.creds, smooch.WithBaseURL(f.URL))
			assert.Nil(t, c)
			var ce *smooch.CredentialsError
			require.ErrorAs(t, err, &ce)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), testSecret)
			assert.NotContains(t, err.Error(), "Y4SINFtAUzEjayxgUjJZoTjG", "a secret is never shown, even one passed as the key id")
			assert.Zero(t, f.count(), "nothing was sent")
		})
	}
}

// TestNewCatchesOptionMistakes: a bad region or base URL is a typed error naming the option, before any request.
func TestNewCatchesOptionMistakes(t *testing.T) {
	for _, tc := range []struct {
		opt  smooch.Option
		want string
	}{
		{smooch.WithRegion("mars"), `smooch: WithRegion: region is "mars": want "us" or "eu-1"`},
		{smooch.WithBaseURL("api.smooch.io"), `smooch: WithBaseURL: baseURL is "api.smooch.io": want an absolute http or https URL, e.g. http://127.0.0.1:8089`},
		{smooch.WithBaseURL("127.0.0.1:8089"), `smooch: WithBaseURL: baseURL is not a URL (first path segment in URL cannot contain colon): want an absolute http or https URL, e.g. http://127.0.0.1:8089`},
		{smooch.WithBaseURL("http://127.0.0.1:8089/v1/"), `smooch: WithBaseURL: baseURL is "http://127.0.0.1:8089/v1/": leave out the API version (/v1, /v1.1), which every request path starts with (choose it with WithAPIVersion)`},
		{smooch.WithBaseURL("https://user:pw@api.smooch.io"), "smooch: WithBaseURL: baseURL is a URL with user info (not shown): want no query, fragment or user info"},
		{smooch.WithBaseURL("https://api.smooch.io/?x=1"), `smooch: WithBaseURL: baseURL is "https://api.smooch.io/?x=1": want no query, fragment or user info`},
	} {
		f := newFakeAPI(t, answer(200, `{}`))
		c, err := smooch.New(accountCreds(), smooch.WithBaseURL(f.URL), tc.opt)
		assert.Nil(t, c)
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, tc.want)
		assert.EqualError(t, err, tc.want)
		assert.NotContains(t, err.Error(), "pw")
		assert.Zero(t, f.count(), "nothing was sent")
	}
}

func TestScopeIsInferredFromTheKeyPrefix(t *testing.T) {
	for _, tc := range []struct {
		creds smooch.Credentials
		want  smooch.Scope
	}{
		{smooch.Credentials{KeyID: accountKeyID, Secret: testSecret}, smooch.ScopeAccount},
		{smooch.Credentials{KeyID: serviceKeyID, Secret: testSecret}, smooch.ScopeAccount},
		{smooch.Credentials{KeyID: appKeyID, Secret: testSecret}, smooch.ScopeApp},
		{smooch.Credentials{KeyID: appKeyID, Secret: testSecret, UserID: "u1"}, smooch.ScopeAppUser},
	} {
		c, err := smooch.New(tc.creds)
		require.NoError(t, err, "%v", tc.creds)
		assert.Equal(t, tc.want, c.Scope(), "%v", tc.creds)
	}
}

func TestSignJWT(t *testing.T) {
	token, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeAppUser, "steveb@channel5.com")
	require.NoError(t, err)
	claims := checkBearer(t, "Bearer "+token, appKeyID, "appUser")
	assert.Equal(t, "steveb@channel5.com", claims["userId"])
	assert.Len(t, claims, 2, "scope and userId only")

	token, err = smooch.SignJWT(accountKeyID, testSecret, smooch.ScopeAccount, "")
	require.NoError(t, err)
	claims = checkBearer(t, "Bearer "+token, accountKeyID, "account")
	assert.NotContains(t, claims, "userId")

	_, err = smooch.SignJWT(appKeyID, testSecret, "", "")
	assert.ErrorContains(t, err, "scope is empty")
	_, err = smooch.SignJWT(appKeyID, testSecret, smooch.ScopeAccount, "")
	assert.ErrorContains(t, err, "cannot sign JWTs of scope account")
	_, err = smooch.SignJWT(appKeyID, testSecret, smooch.ScopeAppUser, "")
	assert.ErrorContains(t, err, "appUser scope needs a UserID")
}

func TestBearerTokenIsSentAsIs(t *testing.T) {
	token, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeApp, "")
	require.NoError(t, err)
	f := newFakeAPI(t, answer(200, `{"webhooks":[]}`))
	c := newClient(t, f, smooch.BearerToken(token))
	assert.Equal(t, smooch.ScopeApp, c.Scope(), "read from the token's payload")
	_, err = c.Webhooks.List(context.Background(), "app")
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+token, f.requests()[0].Header.Get("Authorization"))

	// An app token stated as account contradicts its payload.
	_, err = smooch.New(smooch.Credentials{Token: token, Scope: smooch.ScopeAccount})
	assert.ErrorContains(t, err, "Scope is account but the token's scope claim is app")
}

// unscopedToken is a JWT whose payload states no scope: {"alg":"HS256"}.{}.signature.
const unscopedToken = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJlLW5vdC1yZWFs"

func TestTokenWithoutScopeIsNotPreChecked(t *testing.T) {
	f := newFakeAPI(t, answer(403, `{"error":{"code":"forbidden","description":"Forbidden"}}`))
	c := newClient(t, f, smooch.BearerToken(unscopedToken))
	assert.Equal(t, smooch.Scope(""), c.Scope())
	_, err := c.ServiceAccounts.Create(context.Background(), smooch.ServiceAccountCreate{Name: "sa"})
	assert.True(t, smooch.IsForbidden(err), "the API decides: %v", err)
	assert.Equal(t, 1, f.count())

	// Stating the scope turns the pre-checks on.
	c2 := newClient(t, f, smooch.Credentials{Token: unscopedToken, Scope: smooch.ScopeApp})
	_, err = c2.Apps.Create(context.Background(), smooch.AppCreate{Name: "x"})
	var se *smooch.ScopeError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, f.count(), "refused before sending")
}

func TestScopeIsCheckedBeforeSending(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"webhooks":[],"apps":[],"hasMore":false,"offset":0}`))
	ctx := context.Background()
	app := newClient(t, f, smooch.AppKey(appKeyID, testSecret))
	svc := newClient(t, f, smooch.AccountKey(serviceKeyID, testSecret))
	appUser := newClient(t, f, smooch.AppUserKey(appKeyID, testSecret, "u1"))
	svcToken, err := smooch.SignJWT(serviceKeyID, testSecret, smooch.ScopeAccount, "")
	require.NoError(t, err)
	svcByToken := newClient(t, f, smooch.BearerToken(svcToken))

	_, err = app.Apps.Create(ctx, smooch.AppCreate{Name: "x"})
	assert.EqualError(t, err, "smooch: Apps.Create needs account scope, but the client's credentials have app scope")
	_, err = app.Integrations.Create(ctx, "a", smooch.Telegram{Token: "1:x"})
	assert.EqualError(t, err, "smooch: Integrations.Create needs account scope, but the client's credentials have app scope")
	_, err = app.AppKeys.List(ctx, "a")
	assert.ErrorContains(t, err, "needs account scope")
	_, err = svc.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "sa"})
	assert.EqualError(t, err, "smooch: ServiceAccounts.Create needs an account-scoped JWT signed with a user account key (act_…); service account keys (svc_…) cannot manage service accounts")
	_, err = svc.ServiceAccountKeys.JWT(ctx, "sa", "svc_1")
	assert.ErrorContains(t, err, "user account key (act_…)")
	_, err = svcByToken.ServiceAccounts.List(ctx, nil)
	assert.ErrorContains(t, err, "user account key (act_…)", "the kid of a ready-made token tells a service account")
	_, err = appUser.Webhooks.List(ctx, "a")
	assert.EqualError(t, err, "smooch: Webhooks.List needs account or app scope, but the client's credentials have appUser scope")

	// The scope check comes before the arguments' checks.
	_, err = app.Apps.Create(ctx, smooch.AppCreate{})
	var se *smooch.ScopeError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, []smooch.Scope{smooch.ScopeAccount}, se.Needs)
	assert.Equal(t, smooch.ScopeApp, se.Have)
	assert.Zero(t, f.count(), "nothing may be sent")

	// What they may call goes through.
	_, err = app.Webhooks.List(ctx, "a")
	assert.NoError(t, err)
	_, err = svc.Apps.List(ctx, nil)
	assert.NoError(t, err)
	assert.Equal(t, 2, f.count())
}

func TestJWTHeaderNamesTheKey(t *testing.T) {
	token, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeApp, "")
	require.NoError(t, err)
	parsed, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": appKeyID}, parsed.Header)
}

func TestCredentialsMarshalJSONRedactsSecrets(t *testing.T) {
	for _, c := range []smooch.Credentials{
		smooch.AccountKey("act_000000000000000000000001", "test-secret-not-real"),
		smooch.BearerToken("eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.test-signature-not-real"),
	} {
		b, err := json.Marshal(struct{ Creds smooch.Credentials }{c})
		require.NoError(t, err)
		assert.NotContains(t, string(b), "not-real")
		assert.Contains(t, string(b), "REDACTED")
	}
}
