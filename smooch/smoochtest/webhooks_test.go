package smoochtest_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// target is a loopback webhook target that records the requests it gets.
type target struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // "METHOD path"
}

func newTarget(t testing.TB) *target {
	tg := &target{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.mu.Lock()
		tg.seen = append(tg.seen, r.Method+" "+r.URL.Path)
		tg.mu.Unlock()
	}))
	t.Cleanup(tg.Close)
	return tg
}

func (tg *target) requests() []string {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return slices.Clone(tg.seen)
}

// deadURL is a loopback URL nobody listens on.
func deadURL(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String()
	l.Close()
	return u
}

func TestWebhooksLifecycle(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	tg := newTarget(t)
	app := createApp(t, c, "app")

	created, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: tg.URL + "/callback"})
	wantStatus(t, created, err, http.StatusCreated)
	w := created.JSON201.Webhook
	if !hex24.MatchString(w.ID) || !hex40.MatchString(w.Secret) || w.Target != tg.URL+"/callback" {
		t.Errorf("webhook = %+v", w)
	}
	if !slices.Equal(w.Triggers, []gen.WebhookTrigger{gen.WebhookTriggerMessage}) {
		t.Errorf("default triggers = %v, want [message]", w.Triggers)
	}
	// Verified with a HEAD to the target's domain, not its path.
	if got := tg.requests(); !slices.Equal(got, []string{"HEAD /"}) {
		t.Errorf("target saw %v, want [HEAD /]", got)
	}

	triggers := []gen.WebhookTrigger{gen.WebhookTriggerMessageAppUser, gen.WebhookTriggerPostback}
	second, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: tg.URL + "/two", Triggers: &triggers})
	wantStatus(t, second, err, http.StatusCreated)
	if !slices.Equal(second.JSON201.Webhook.Triggers, triggers) {
		t.Errorf("triggers = %v", second.JSON201.Webhook.Triggers)
	}

	list, err := c.ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Webhooks) != 2 || list.JSON200.Webhooks[0].ID != w.ID {
		t.Errorf("list = %+v", list.JSON200.Webhooks)
	}

	// Update keeps what the body leaves out.
	all := []gen.WebhookTrigger{gen.WebhookTriggerAll}
	upd, err := c.UpdateWebhookWithResponse(ctx, v1, app.ID, w.ID, gen.WebhookUpdate{Triggers: &all})
	wantStatus(t, upd, err, http.StatusOK)
	if u := upd.JSON200.Webhook; u.Target != w.Target || u.Secret != w.Secret || !slices.Equal(u.Triggers, all) {
		t.Errorf("triggers-only update = %+v", u)
	}
	newTarget := tg.URL + "/moved"
	upd, err = c.UpdateWebhookWithResponse(ctx, v1, app.ID, w.ID, gen.WebhookUpdate{Target: &newTarget})
	wantStatus(t, upd, err, http.StatusOK)
	if u := upd.JSON200.Webhook; u.Target != newTarget || !slices.Equal(u.Triggers, all) {
		t.Errorf("target-only update = %+v", u)
	}
	dead := deadURL(t) + "/x"
	upd, err = c.UpdateWebhookWithResponse(ctx, v1, app.ID, w.ID, gen.WebhookUpdate{Target: &dead})
	if e := wantStatus(t, upd, err, http.StatusBadRequest); !strings.Contains(e.Description, dead) {
		t.Errorf("unverifiable update: %+v", e)
	}

	got, err := c.GetWebhookWithResponse(ctx, v1, app.ID, w.ID)
	wantStatus(t, got, err, http.StatusOK)
	if got.JSON200.Webhook.Target != newTarget {
		t.Errorf("get after updates = %+v", got.JSON200.Webhook)
	}

	del, err := c.DeleteWebhookWithResponse(ctx, v1, app.ID, w.ID)
	wantStatus(t, del, err, http.StatusOK)
	gone, err := c.GetWebhookWithResponse(ctx, v1, app.ID, w.ID)
	if e := wantStatus(t, gone, err, http.StatusNotFound); e.Code != "not_found" {
		t.Errorf("deleted webhook: %+v", e)
	}
	for _, call := range []func() (response, error){
		func() (response, error) { return c.DeleteWebhookWithResponse(ctx, v1, app.ID, w.ID) },
		func() (response, error) {
			return c.UpdateWebhookWithResponse(ctx, v1, app.ID, w.ID, gen.WebhookUpdate{})
		},
	} {
		resp, err := call()
		wantStatus(t, resp, err, http.StatusNotFound)
	}
}

func TestWebhookVerificationFailure(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	dead := deadURL(t) + "/callback"
	resp, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: dead})
	if e := wantStatus(t, resp, err, http.StatusBadRequest); e.Code != "bad_request" || !strings.Contains(e.Description, dead) {
		t.Errorf("error = %+v, want bad_request naming %s", e, dead)
	}
	// A target whose domain answers 5xx fails too.
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer broken.Close()
	resp, err = c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: broken.URL + "/hook"})
	wantStatus(t, resp, err, http.StatusBadRequest)
	// The loopback-only verifier refuses other hosts without contacting them.
	resp, err = c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "http://example.com/callback"})
	if e := wantStatus(t, resp, err, http.StatusBadRequest); !strings.Contains(e.Description, "example.com") ||
		!strings.Contains(e.Description, "WithoutWebhookVerification in Go") || !strings.Contains(e.Description, "-verify off for smooch-fake") {
		t.Errorf("non-loopback target: %+v, want the host and what a test can do", e)
	}
	// Not an http(s) URL.
	resp, err = c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "ftp://127.0.0.1/x"})
	wantStatus(t, resp, err, http.StatusBadRequest)

	list, err := c.ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Webhooks) != 0 {
		t.Errorf("failed creates stored %d webhooks", len(list.JSON200.Webhooks))
	}
}

func TestWebhookVerifierOption(t *testing.T) {
	var mu sync.Mutex
	var origins []string
	srv := smoochtest.NewServer(smoochtest.WithWebhookVerifier(func(ctx context.Context, origin *url.URL) error {
		mu.Lock()
		defer mu.Unlock()
		origins = append(origins, origin.String())
		if origin.Host == "refused.example" {
			return errors.New("nobody home")
		}
		return nil
	}))
	defer srv.Close()
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	ok, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "https://hooks.example:8443/a/b?c=d"})
	wantStatus(t, ok, err, http.StatusCreated)
	bad, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "https://refused.example/x"})
	if e := wantStatus(t, bad, err, http.StatusBadRequest); !strings.Contains(e.Description, "nobody home") || !strings.Contains(e.Description, "https://refused.example/x") {
		t.Errorf("error = %+v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(origins, []string{"https://hooks.example:8443", "https://refused.example"}) {
		t.Errorf("verifier saw %v", origins)
	}

	off := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	defer off.Close()
	oc := accountClient(t, off)
	app2 := createApp(t, oc, "app")
	r, err := oc.CreateWebhookWithResponse(ctx, v1, app2.ID, gen.WebhookCreate{Target: "http://example.com/callback"})
	wantStatus(t, r, err, http.StatusCreated)
}

func TestWebhookLimit(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	tg := newTarget(t)
	app := createApp(t, c, "app")
	for range 10 {
		r, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: tg.URL})
		wantStatus(t, r, err, http.StatusCreated)
	}
	before := len(tg.requests())
	r, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: tg.URL})
	if e := wantStatus(t, r, err, http.StatusBadRequest); !strings.Contains(e.Description, "limited to 10 webhooks") {
		t.Errorf("11th webhook: %+v", e)
	}
	if after := len(tg.requests()); after != before {
		t.Errorf("a refused webhook was still verified (%d HEAD requests)", after-before)
	}
	// Other apps have their own limit.
	other := createApp(t, c, "other")
	r, err = c.CreateWebhookWithResponse(ctx, v1, other.ID, gen.WebhookCreate{Target: tg.URL})
	wantStatus(t, r, err, http.StatusCreated)
}

func TestWebhookInvalidBody(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	for body, field := range map[string]string{
		`{}`: `"target"`,
		`{"target":"http://127.0.0.1/x","triggers":["nope"]}`: "triggers",
		`{"target":"http://127.0.0.1/x","triggers":[]}`:       "triggers",
	} {
		r, err := c.CreateWebhookWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(body))
		if e := wantStatus(t, r, err, http.StatusBadRequest); !strings.Contains(e.Description, field) {
			t.Errorf("%s: description %q does not name %s", body, e.Description, field)
		}
	}
	// App keys use the app-scoped path like account keys.
	k := createAppKey(t, c, app.ID, "k")
	ac := client(t, srv, sign(t, keyOf(k), jwt.MapClaims{"scope": "app"}))
	r, err := ac.CreateWebhookWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(`{}`))
	wantStatus(t, r, err, http.StatusBadRequest)
}

// A target that never answers fails verification once the verifier's client
// gives up, instead of holding the create.
func TestWebhookVerificationTimeout(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	srv := newServer(t, smoochtest.WithWebhookVerifier(smoochtest.HEADVerifier(&http.Client{Timeout: 50 * time.Millisecond})))
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	start := time.Now()
	r, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: hang.URL + "/hook"})
	if e := wantStatus(t, r, err, http.StatusBadRequest); !strings.Contains(e.Description, hang.URL) {
		t.Errorf("error = %+v, want one naming the target", e)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("verification took %v; the client's 50ms timeout did not apply", d)
	}
}
