package smoochtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestBodyTooLarge(t *testing.T) {
	srv := newServer(t, smoochtest.WithMaxBodyBytes(1024))
	c := accountClient(t, srv)
	big := `{"name":"` + strings.Repeat("x", 2048) + `"}`
	r, err := c.CreateAppWithBodyWithResponse(ctx, "application/json", strings.NewReader(big))
	if e := wantStatus(t, r, err, http.StatusRequestEntityTooLarge); e.Code != "request_entity_too_large" {
		t.Errorf("%+v", e)
	}
	// Under the limit is fine.
	r, err = c.CreateAppWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"name":"small"}`))
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

func TestUnknownRoute(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/v1/widgets", http.StatusNotFound},
		{http.MethodPatch, "/v1/apps", http.StatusMethodNotAllowed},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+srv.AccountJWT())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
