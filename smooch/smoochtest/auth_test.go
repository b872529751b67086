package smoochtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestAuthenticationFailures(t *testing.T) {
	srv := newServer(t)
	acct := srv.AccountKey()
	app := createApp(t, accountClient(t, srv), "app")
	appKey := createAppKey(t, accountClient(t, srv), app.ID, "k")
	ak := smoochtest.Key{ID: appKey.ID, Secret: appKey.Secret}

	unsigned := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"scope": "account"})
		tok.Header["kid"] = acct.ID
		s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hs512 := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"scope": "account"})
		tok.Header["kid"] = acct.ID
		s, err := tok.SignedString([]byte(acct.Secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	noKid := func() string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"scope": "account"}).SignedString([]byte(acct.Secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	tests := []struct {
		name     string
		token    string
		code     string
		inDetail string
	}{
		{"no token", "", "unauthorized", "Authorization is required"},
		{"garbage", "not-a-jwt", "unauthorized", "malformed"},
		{"bad signature", sign(t, smoochtest.Key{ID: acct.ID, Secret: "test-secret-not-real"}, jwt.MapClaims{"scope": "account"}), "unauthorized", "signature is invalid"},
		{"alg none", unsigned(), "unauthorized", "HS256"},
		{"alg HS512", hs512(), "unauthorized", "HS256"},
		{"unknown kid", sign(t, smoochtest.Key{ID: "act_000000000000000000000000", Secret: acct.Secret}, jwt.MapClaims{"scope": "account"}), "unauthorized", "act_000000000000000000000000"},
		{"no kid", noKid(), "unauthorized", "kid"},
		// The kid is the caller's text: one that reads like another refusal is still named as the unknown key.
		{"unknown kid reading signing method", sign(t, smoochtest.Key{ID: "app_signing method", Secret: acct.Secret}, jwt.MapClaims{"scope": "account"}), "unauthorized", `no key with id "app_signing method"`},
		{"expired", sign(t, acct, jwt.MapClaims{"scope": "account", "exp": time.Now().Add(-time.Hour).Unix()}), "unauthorized", "expired"},
		{"no scope", sign(t, acct, jwt.MapClaims{}), "invalid_auth", "scope"},
		{"account key claims app", sign(t, acct, jwt.MapClaims{"scope": "app"}), "invalid_auth", "scope"},
		{"app key claims account", sign(t, ak, jwt.MapClaims{"scope": "account"}), "invalid_auth", "scope"},
		{"appUser without userId", sign(t, ak, jwt.MapClaims{"scope": "appUser"}), "invalid_auth", "userId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, srv, tt.token)
			resp, err := c.ListAppsWithResponse(ctx, v1, nil)
			e := wantStatus(t, resp, err, http.StatusUnauthorized)
			if e.Code != tt.code || !strings.Contains(e.Description, tt.inDetail) {
				t.Errorf("error = %+v, want code %q and a description containing %q", e, tt.code, tt.inDetail)
			}
		})
	}
}

func TestAppScope(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	mine := createApp(t, acct, "mine")
	other := createApp(t, acct, "other")
	key := createAppKey(t, acct, mine.ID, "k")

	jwtResp, err := acct.GetAppKeyJWTWithResponse(ctx, v1, mine.ID, key.ID)
	wantStatus(t, jwtResp, err, http.StatusOK)
	// The issued token is signed with the key and carries scope app only.
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(jwtResp.JSON200.JWT, claims, func(*jwt.Token) (any, error) { return []byte(key.Secret), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil || parsed.Header["kid"] != key.ID || claims["scope"] != "app" || len(claims) != 1 {
		t.Fatalf("issued JWT: err %v, header %v, claims %v", err, parsed.Header, claims)
	}
	app := client(t, srv, jwtResp.JSON200.JWT)

	// App-level APIs of its own app work.
	hook, err := app.ListWebhooksWithResponse(ctx, v1, mine.ID)
	wantStatus(t, hook, err, http.StatusOK)

	// Another app's webhooks: 404, as if the app did not exist.
	for _, e := range []gen.ErrorDetail{
		func() gen.ErrorDetail {
			r, err := app.ListWebhooksWithResponse(ctx, v1, other.ID)
			return wantStatus(t, r, err, 404)
		}(),
		func() gen.ErrorDetail {
			r, err := app.CreateWebhookWithResponse(ctx, v1, other.ID, gen.WebhookCreate{Target: "http://127.0.0.1:1/x"})
			return wantStatus(t, r, err, 404)
		}(),
	} {
		if e.Code != "not_found" {
			t.Errorf("other app's webhooks: %+v", e)
		}
	}

	// Account-only APIs: 403.
	forbidden := []struct {
		name string
		call func() (response, error)
	}{
		{"listApps", func() (response, error) { return app.ListAppsWithResponse(ctx, v1, nil) }},
		{"createApp", func() (response, error) { return app.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "x"}) }},
		{"getApp", func() (response, error) { return app.GetAppWithResponse(ctx, v1, mine.ID) }},
		{"listAppKeys", func() (response, error) { return app.ListAppKeysWithResponse(ctx, v1, mine.ID) }},
		{"getAppKeyJWT", func() (response, error) { return app.GetAppKeyJWTWithResponse(ctx, v1, mine.ID, key.ID) }},
		{"listIntegrations", func() (response, error) { return app.ListIntegrationsWithResponse(ctx, v1, mine.ID, nil) }},
		{"listServiceAccounts", func() (response, error) { return app.ListServiceAccountsWithResponse(ctx, v1, nil) }},
	}
	for _, f := range forbidden {
		resp, err := f.call()
		if e := wantStatus(t, resp, err, http.StatusForbidden); e.Code != "forbidden" || !strings.Contains(e.Description, "account scope") {
			t.Errorf("%s with an app JWT: %+v", f.name, e)
		}
	}

	// A user's token (scope appUser) reaches none of these operations.
	user := client(t, srv, sign(t, smoochtest.Key{ID: key.ID, Secret: key.Secret}, jwt.MapClaims{"scope": "appUser", "userId": "steveb@channel5.com"}))
	for _, call := range []func() (response, error){
		func() (response, error) { return user.ListWebhooksWithResponse(ctx, v1, mine.ID) },
		func() (response, error) { return user.GetAppWithResponse(ctx, v1, mine.ID) },
		func() (response, error) { return user.ListServiceAccountsWithResponse(ctx, v1, nil) },
	} {
		resp, err := call()
		if e := wantStatus(t, resp, err, http.StatusForbidden); e.Code != "forbidden" {
			t.Errorf("appUser: %+v", e)
		}
	}

	// Deleting the key revokes its JWTs.
	del, err := acct.DeleteAppKeyWithResponse(ctx, v1, mine.ID, key.ID)
	wantStatus(t, del, err, http.StatusOK)
	hook, err = app.ListWebhooksWithResponse(ctx, v1, mine.ID)
	wantStatus(t, hook, err, http.StatusUnauthorized)
}

func TestExtraAccountKeyAndAccountJWT(t *testing.T) {
	srv := newServer(t)
	k := srv.NewAccountKey("ci")
	if !actKeyIDRe.MatchString(k.ID) || !secretRe.MatchString(k.Secret) || k.ID == srv.AccountKey().ID {
		t.Fatalf("NewAccountKey = %+v", k)
	}
	// It is a user account key: it manages service accounts.
	sa, err := client(t, srv, accountToken(t, k)).CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "svc"})
	wantStatus(t, sa, err, http.StatusCreated)

	list, err := client(t, srv, srv.AccountJWT()).ListServiceAccountsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.ServiceAccounts) != 1 {
		t.Errorf("AccountJWT lists %d service accounts, want 1", len(list.JSON200.ServiceAccounts))
	}
}

// Credentials are judged before the request's shape: a bad token gets 401 and
// a token without the scope 403, even with a body that would get 400.
func TestAuthBeforeValidation(t *testing.T) {
	srv := newServer(t)
	app := createApp(t, accountClient(t, srv), "app")
	appKey := keyOf(createAppKey(t, accountClient(t, srv), app.ID, "k"))
	wrongSecret := sign(t, smoochtest.Key{ID: srv.AccountKey().ID, Secret: "test-secret-not-real"}, jwt.MapClaims{"scope": "account"})
	for token, status := range map[string]int{
		wrongSecret: http.StatusUnauthorized,
		sign(t, appKey, jwt.MapClaims{"scope": "app"}): http.StatusForbidden,
		accountToken(t, srv.AccountKey()):              http.StatusBadRequest,
	} {
		r, err := client(t, srv, token).CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(`{"settings":{}}`))
		wantStatus(t, r, err, status)
	}
}
