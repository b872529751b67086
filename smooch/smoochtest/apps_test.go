package smoochtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/gen"
)

func TestAppsLifecycle(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)

	mask := true
	created, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "My App", Settings: &gen.AppSettings{MaskCreditCardNumbers: &mask}})
	wantStatus(t, created, err, http.StatusCreated)
	app := created.JSON201.App
	if !hex24.MatchString(app.ID) {
		t.Errorf("app id %q is not 24 hex digits", app.ID)
	}
	if app.AppToken == nil || !appTokenRe.MatchString(*app.AppToken) {
		t.Errorf("appToken %v is not 25 lowercase alphanumerics", app.AppToken)
	}
	if app.Name != "My App" || app.Settings == nil || !*app.Settings.MaskCreditCardNumbers {
		t.Errorf("created app = %+v", app)
	}

	got, err := c.GetAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	if got.JSON200.App.ID != app.ID || *got.JSON200.App.AppToken != *app.AppToken {
		t.Errorf("get = %+v, want %+v", got.JSON200.App, app)
	}

	// A rename keeps the settings left out.
	updated, err := c.UpdateAppWithResponse(ctx, v1, app.ID, gen.AppUpdate{Name: ptr("Renamed")})
	wantStatus(t, updated, err, http.StatusOK)
	if u := updated.JSON200.App; u.Name != "Renamed" || u.Settings == nil || u.Settings.MaskCreditCardNumbers == nil || !*u.Settings.MaskCreditCardNumbers {
		t.Errorf("updated app = %s, want name Renamed and maskCreditCardNumbers still true", updated.Body)
	}
	got, err = c.GetAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	if got.JSON200.App.Name != "Renamed" {
		t.Errorf("update did not stick: %+v", got.JSON200.App)
	}

	del, err := c.DeleteAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, del, err, http.StatusOK)
	if strings.TrimSpace(string(del.Body)) != "{}" {
		t.Errorf("delete body = %s, want {}", del.Body)
	}
	gone, err := c.GetAppWithResponse(ctx, v1, app.ID)
	if e := wantStatus(t, gone, err, http.StatusNotFound); e.Code != "not_found" {
		t.Errorf("code = %q, want not_found", e.Code)
	}
	again, err := c.DeleteAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, again, err, http.StatusNotFound)
	upd, err := c.UpdateAppWithResponse(ctx, v1, app.ID, gen.AppUpdate{Name: ptr("x")})
	wantStatus(t, upd, err, http.StatusNotFound)
}

func TestListAppsPaging(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	var ids []string
	for i := range 30 {
		ids = append(ids, createApp(t, c, fmt.Sprintf("app %02d", i)).ID)
	}

	first, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, first, err, http.StatusOK)
	if n := len(first.JSON200.Apps); n != 25 || !first.JSON200.HasMore || first.JSON200.Offset != 0 {
		t.Fatalf("default page: %d apps, hasMore %v, offset %d; want 25, true, 0", n, first.JSON200.HasMore, first.JSON200.Offset)
	}
	for i, a := range first.JSON200.Apps {
		if a.ID != ids[i] {
			t.Fatalf("apps[%d] = %s, want %s: lists keep creation order", i, a.ID, ids[i])
		}
	}

	limit, offset := 10, 25
	rest, err := c.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{Limit: &limit, Offset: &offset})
	wantStatus(t, rest, err, http.StatusOK)
	if n := len(rest.JSON200.Apps); n != 5 || rest.JSON200.HasMore || rest.JSON200.Offset != 25 {
		t.Fatalf("last page: %d apps, hasMore %v, offset %d; want 5, false, 25", n, rest.JSON200.HasMore, rest.JSON200.Offset)
	}
	if rest.JSON200.Apps[0].ID != ids[25] {
		t.Errorf("offset 25 starts at %s, want %s", rest.JSON200.Apps[0].ID, ids[25])
	}

	exact := 30
	all, err := c.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{Limit: &exact})
	wantStatus(t, all, err, http.StatusOK)
	if len(all.JSON200.Apps) != 30 || all.JSON200.HasMore {
		t.Errorf("limit 30 of 30: %d apps, hasMore %v", len(all.JSON200.Apps), all.JSON200.HasMore)
	}

	past := 100
	empty, err := c.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{Offset: &past})
	wantStatus(t, empty, err, http.StatusOK)
	if len(empty.JSON200.Apps) != 0 || empty.JSON200.HasMore || empty.JSON200.Offset != 100 {
		t.Errorf("offset past the end: %+v", empty.JSON200)
	}

	tooMany := 101
	bad, err := c.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{Limit: &tooMany})
	if e := wantStatus(t, bad, err, http.StatusBadRequest); !strings.Contains(e.Description, `"limit"`) {
		t.Errorf("description %q does not name limit", e.Description)
	}
}

func TestCreateAppInvalidBodyNamesField(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	resp, err := c.CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(`{"settings":{}}`))
	e := wantStatus(t, resp, err, http.StatusBadRequest)
	if e.Code != "bad_request" || !strings.Contains(e.Description, `property "name" is missing`) {
		t.Errorf("error = %+v, want bad_request naming the missing \"name\"", e)
	}
	if strings.Contains(e.Description, "#/components") {
		t.Errorf("description leaks schema details: %q", e.Description)
	}

	resp, err = c.CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(`{"name": 7}`))
	if e := wantStatus(t, resp, err, http.StatusBadRequest); !strings.Contains(e.Description, "name") {
		t.Errorf("description %q does not name the field", e.Description)
	}
	for _, malformed := range []string{`{"name": "x"`, `{"name": "x"} trailing`, `{"name": "x"}{"name": "y"}`} {
		resp, err = c.CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(malformed))
		wantStatus(t, resp, err, http.StatusBadRequest)
	}

	list, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Apps) != 0 {
		t.Errorf("invalid creates made %d apps", len(list.JSON200.Apps))
	}
}

func TestAppMetadataAndAnimalNames(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	created, err := c.CreateAppWithBodyWithResponse(ctx, v1, "application/json",
		strings.NewReader(`{"name":"Acme","settings":{"useAnimalNames":false},"metadata":{"plan":"gold","seats":3,"trial":true}}`))
	wantStatus(t, created, err, http.StatusCreated)
	app := created.JSON201.App
	if app.Settings == nil || app.Settings.UseAnimalNames == nil || *app.Settings.UseAnimalNames {
		t.Errorf("settings = %+v, want useAnimalNames false, kept as sent", app.Settings)
	}
	if app.Metadata == nil || (*app.Metadata)["plan"] != "gold" || (*app.Metadata)["seats"] != 3.0 || (*app.Metadata)["trial"] != true {
		t.Errorf("metadata = %v", app.Metadata)
	}
	got, err := c.GetAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	if !strings.Contains(string(got.Body), `"metadata":{"plan":"gold","seats":3,"trial":true}`) {
		t.Errorf("get = %s", got.Body)
	}
	// Metadata given replaces the app's (it is flat: nothing to merge); settings left out are kept.
	updated, err := c.UpdateAppWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(`{"name":"Acme","metadata":{"plan":"silver"}}`))
	wantStatus(t, updated, err, http.StatusOK)
	if m := updated.JSON200.App.Metadata; m == nil || len(*m) != 1 || (*m)["plan"] != "silver" {
		t.Errorf("updated metadata = %v", m)
	}
	if s := updated.JSON200.App.Settings; s == nil || s.UseAnimalNames == nil || *s.UseAnimalNames {
		t.Errorf("updated settings = %+v, want useAnimalNames false kept", s)
	}
	// A rename alone keeps both; a setting given changes that setting only.
	renamed, err := c.UpdateAppWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(`{"name":"Acme 2","settings":{"maskCreditCardNumbers":true}}`))
	wantStatus(t, renamed, err, http.StatusOK)
	if r := renamed.JSON200.App; r.Name != "Acme 2" || r.Metadata == nil || (*r.Metadata)["plan"] != "silver" ||
		r.Settings == nil || r.Settings.UseAnimalNames == nil || *r.Settings.UseAnimalNames ||
		r.Settings.MaskCreditCardNumbers == nil || !*r.Settings.MaskCreditCardNumbers {
		t.Errorf("renamed: %s, want metadata and useAnimalNames kept, maskCreditCardNumbers true", renamed.Body)
	}
	nested, err := c.UpdateAppWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(`{"name":"Acme","metadata":{"owner":{"name":"x"}}}`))
	if e := wantStatus(t, nested, err, http.StatusBadRequest); !strings.Contains(e.Description, "metadata") {
		t.Errorf("nested metadata: %q does not name metadata", e.Description)
	}
}
