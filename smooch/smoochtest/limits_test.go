package smoochtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestBodyTooLarge(t *testing.T) {
	srv := newServer(t, smoochtest.WithMaxBodyBytes(1024))
	c := accountClient(t, srv)
	big := `{"name":"` + strings.Repeat("x", 2048) + `"}`
	r, err := c.CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(big))
	if e := wantStatus(t, r, err, http.StatusRequestEntityTooLarge); e.Code != "request_entity_too_large" {
		t.Errorf("%+v", e)
	}
	// Under the limit is fine.
	r, err = c.CreateAppWithBodyWithResponse(ctx, v1, "application/json", strings.NewReader(`{"name":"small"}`))
	wantStatus(t, r, err, http.StatusCreated)
}

func TestBodyTooLargeWithoutContentLength(t *testing.T) {
	srv := newServer(t, smoochtest.WithMaxBodyBytes(1024))
	body := strings.NewReader(`{"name":"` + strings.Repeat("x", 4096) + `"}`)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/v1/apps", struct{ *strings.Reader }{body}) // hides Len: chunked
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+srv.AccountJWT())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || req.ContentLength != 0 {
		t.Errorf("chunked oversize body: status %d (content length %d)", resp.StatusCode, req.ContentLength)
	}
}

// Operations without a request body ignore one: the contract declares no
// 413 (nor 400) for them, and every answer must still be one it declares.
func TestBodyIgnoredWhereNoneIsTaken(t *testing.T) {
	srv := newServer(t, smoochtest.WithMaxBodyBytes(1024))
	app := createApp(t, accountClient(t, srv), "app")
	hc := &http.Client{Transport: contractCheck{t: t, base: http.DefaultTransport}}
	for _, tc := range []struct {
		method, path, body string
	}{
		{http.MethodGet, "/v1/apps/" + app.ID, strings.Repeat("x", 4096)},
		{http.MethodGet, "/v1/apps", "{not json"},
		{http.MethodDelete, "/v1/apps/" + app.ID, `{"name":"` + strings.Repeat("x", 4096) + `"}`},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+srv.AccountJWT())
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s with a %d byte body: status %d, want 200", tc.method, tc.path, len(tc.body), resp.StatusCode)
		}
	}
}

// Unrouted requests are outside the contract; they get the API's 404 with the
// documented error body, whatever the method.
func TestUnknownRoute(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/v1/widgets"},
		{http.MethodPatch, "/v1/apps"},
		{http.MethodHead, "/v1/apps"},
		{http.MethodGet, "/"},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+srv.AccountJWT())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e gen.Error
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if tc.method != http.MethodHead && (e.Detail.Code != "not_found" || !strings.Contains(e.Detail.Description, tc.path)) {
			t.Errorf("%s %s: error body %+v", tc.method, tc.path, e.Detail)
		}
	}
}
