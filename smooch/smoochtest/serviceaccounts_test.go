package smoochtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
)

func TestServiceAccountsLifecycle(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)

	created, err := c.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "My Service Account"})
	wantStatus(t, created, err, http.StatusCreated)
	sa := created.JSON201.ServiceAccount
	if !hex24.MatchString(sa.ID) || sa.Name != "My Service Account" {
		t.Fatalf("created %+v", sa)
	}
	dup, err := c.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "My Service Account"})
	if e := wantStatus(t, dup, err, http.StatusConflict); e.Code != "conflict" {
		t.Errorf("duplicate name: %+v", e)
	}

	got, err := c.GetServiceAccountWithResponse(ctx, v1, sa.ID)
	wantStatus(t, got, err, http.StatusOK)
	if got.JSON200.ServiceAccount != sa {
		t.Errorf("get = %+v, want %+v", got.JSON200.ServiceAccount, sa)
	}
	upd, err := c.UpdateServiceAccountWithResponse(ctx, v1, sa.ID, gen.ServiceAccountUpdate{Name: "Renamed"})
	wantStatus(t, upd, err, http.StatusOK)
	if upd.JSON200.ServiceAccount.Name != "Renamed" {
		t.Errorf("update = %+v", upd.JSON200.ServiceAccount)
	}
	other, err := c.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "Other"})
	wantStatus(t, other, err, http.StatusCreated)
	clash, err := c.UpdateServiceAccountWithResponse(ctx, v1, other.JSON201.ServiceAccount.ID, gen.ServiceAccountUpdate{Name: "Renamed"})
	wantStatus(t, clash, err, http.StatusConflict)

	// Keys.
	key, err := c.CreateServiceAccountKeyWithResponse(ctx, v1, sa.ID, gen.SecretKeyCreate{Name: "My Key"})
	wantStatus(t, key, err, http.StatusCreated)
	k := key.JSON201.Key
	if !svcKeyIDRe.MatchString(k.ID) || !secretRe.MatchString(k.Secret) || k.Name != "My Key" {
		t.Fatalf("created key %+v", k)
	}
	keys, err := c.ListServiceAccountKeysWithResponse(ctx, v1, sa.ID)
	wantStatus(t, keys, err, http.StatusOK)
	if len(keys.JSON200.Keys) != 1 || keys.JSON200.Keys[0] != k {
		t.Errorf("keys = %+v", keys.JSON200.Keys)
	}
	gk, err := c.GetServiceAccountKeyWithResponse(ctx, v1, sa.ID, k.ID)
	wantStatus(t, gk, err, http.StatusOK)
	if gk.JSON200.Key != k {
		t.Errorf("get key = %+v", gk.JSON200.Key)
	}
	missing, err := c.GetServiceAccountKeyWithResponse(ctx, v1, sa.ID, "svc_000000000000000000000000")
	wantStatus(t, missing, err, http.StatusNotFound)

	// The JWT endpoint signs an account token the fake accepts as the service account.
	tok, err := c.GetServiceAccountKeyJWTWithResponse(ctx, v1, sa.ID, k.ID)
	wantStatus(t, tok, err, http.StatusOK)
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(tok.JSON200.JWT, claims, func(*jwt.Token) (any, error) { return []byte(k.Secret), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	if err != nil || parsed.Header["kid"] != k.ID || claims["scope"] != "account" {
		t.Fatalf("issued JWT: err %v, header %v, claims %v", err, parsed.Header, claims)
	}
	svc := client(t, srv, tok.JSON200.JWT)
	mine := createApp(t, svc, "svc app")

	// Service accounts cannot manage service accounts.
	for _, call := range []func() (response, error){
		func() (response, error) { return svc.ListServiceAccountsWithResponse(ctx, v1, nil) },
		func() (response, error) { return svc.GetServiceAccountWithResponse(ctx, v1, sa.ID) },
		func() (response, error) {
			return svc.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "escalate"})
		},
		func() (response, error) { return svc.GetServiceAccountKeyJWTWithResponse(ctx, v1, sa.ID, k.ID) },
		func() (response, error) { return svc.DeleteServiceAccountWithResponse(ctx, v1, sa.ID) },
	} {
		resp, err := call()
		if e := wantStatus(t, resp, err, http.StatusForbidden); e.Code != "forbidden" || !strings.Contains(e.Description, "user account") {
			t.Errorf("svc key on a user-account-only op: %+v", e)
		}
	}

	// Deleting the key revokes its JWTs; deleting the account removes its keys.
	delKey, err := c.DeleteServiceAccountKeyWithResponse(ctx, v1, sa.ID, k.ID)
	wantStatus(t, delKey, err, http.StatusOK)
	r, err := svc.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusUnauthorized)

	key2, err := c.CreateServiceAccountKeyWithResponse(ctx, v1, sa.ID, gen.SecretKeyCreate{Name: "second"})
	wantStatus(t, key2, err, http.StatusCreated)
	svc2 := client(t, srv, sign(t, keyOf(key2.JSON201.Key), jwt.MapClaims{"scope": "account"}))
	r, err = svc2.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)

	del, err := c.DeleteServiceAccountWithResponse(ctx, v1, sa.ID)
	wantStatus(t, del, err, http.StatusOK)
	r, err = svc2.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusUnauthorized)
	gone, err := c.GetServiceAccountWithResponse(ctx, v1, sa.ID)
	wantStatus(t, gone, err, http.StatusNotFound)
	goneKeys, err := c.ListServiceAccountKeysWithResponse(ctx, v1, sa.ID)
	wantStatus(t, goneKeys, err, http.StatusNotFound)
	// The apps it created stay with the account.
	app, err := c.GetAppWithResponse(ctx, v1, mine.ID)
	wantStatus(t, app, err, http.StatusOK)
}

func TestServiceAccountSeesOnlyItsApps(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	ownerApp := createApp(t, acct, "owner's")
	saID, _, svc := serviceAccount(t, srv, "one")
	_, _, otherSvc := serviceAccount(t, srv, "two")
	mine := createApp(t, svc, "mine")
	theirs := createApp(t, otherSvc, "theirs")

	list, err := svc.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Apps) != 1 || list.JSON200.Apps[0].ID != mine.ID {
		t.Errorf("service account lists %+v, want only %s", list.JSON200.Apps, mine.ID)
	}
	for _, id := range []string{ownerApp.ID, theirs.ID} {
		for _, call := range []func() (response, error){
			func() (response, error) { return svc.GetAppWithResponse(ctx, v1, id) },
			func() (response, error) { return svc.DeleteAppWithResponse(ctx, v1, id) },
			func() (response, error) { return svc.ListAppKeysWithResponse(ctx, v1, id) },
			func() (response, error) { return svc.ListIntegrationsWithResponse(ctx, v1, id, nil) },
			func() (response, error) { return svc.ListWebhooksWithResponse(ctx, v1, id) },
		} {
			resp, err := call()
			if e := wantStatus(t, resp, err, http.StatusNotFound); e.Code != "not_found" {
				t.Errorf("other app %s: %+v", id, e)
			}
		}
	}
	// Its own app's subresources work.
	keyResp, err := svc.CreateAppKeyWithResponse(ctx, v1, mine.ID, gen.SecretKeyCreate{Name: "k"})
	wantStatus(t, keyResp, err, http.StatusCreated)

	// The user account sees everything, and can narrow to one service account.
	all, err := acct.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, all, err, http.StatusOK)
	if len(all.JSON200.Apps) != 3 {
		t.Errorf("account lists %d apps, want 3", len(all.JSON200.Apps))
	}
	narrowed, err := acct.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{ServiceAccountID: &saID})
	wantStatus(t, narrowed, err, http.StatusOK)
	if len(narrowed.JSON200.Apps) != 1 || narrowed.JSON200.Apps[0].ID != mine.ID {
		t.Errorf("serviceAccountId filter gives %+v", narrowed.JSON200.Apps)
	}
}

func TestListServiceAccountsPaging(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	var ids []string
	for i := range 27 {
		r, err := c.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: fmt.Sprintf("sa %d", i)})
		wantStatus(t, r, err, http.StatusCreated)
		ids = append(ids, r.JSON201.ServiceAccount.ID)
	}
	first, err := c.ListServiceAccountsWithResponse(ctx, v1, nil)
	wantStatus(t, first, err, http.StatusOK)
	if len(first.JSON200.ServiceAccounts) != 25 || !first.JSON200.HasMore || first.JSON200.ServiceAccounts[24].ID != ids[24] {
		t.Errorf("first page: %d, hasMore %v", len(first.JSON200.ServiceAccounts), first.JSON200.HasMore)
	}
	limit, offset := 5, 25
	rest, err := c.ListServiceAccountsWithResponse(ctx, v1, &gen.ListServiceAccountsParams{Limit: &limit, Offset: &offset})
	wantStatus(t, rest, err, http.StatusOK)
	if len(rest.JSON200.ServiceAccounts) != 2 || rest.JSON200.HasMore || rest.JSON200.Offset != 25 || rest.JSON200.ServiceAccounts[1].ID != ids[26] {
		t.Errorf("second page: %+v", rest.JSON200)
	}
	zero := 0
	bad, err := c.ListServiceAccountsWithResponse(ctx, v1, &gen.ListServiceAccountsParams{Limit: &zero})
	if e := wantStatus(t, bad, err, http.StatusBadRequest); !strings.Contains(e.Description, "limit") {
		t.Errorf("limit 0: %+v", e)
	}
}
