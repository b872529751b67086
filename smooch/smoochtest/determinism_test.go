package smoochtest_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// session runs a fixed provisioning script against a fresh server and returns
// the raw answers, the starting account key and the account JWT.
func session(t *testing.T, opts ...smoochtest.Option) string {
	t.Helper()
	srv := newServer(t, append(opts, smoochtest.WithoutWebhookVerification())...)
	c := client(t, srv, srv.AccountJWT())
	var out bytes.Buffer
	fmt.Fprintf(&out, "key %s %s\njwt %s\n", srv.AccountKey().ID, srv.AccountKey().Secret, srv.AccountJWT())
	record := func(r response, err error) {
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%d %s", r.StatusCode(), bodyOf(r))
	}
	app, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "A"})
	record(app, err)
	id := app.JSON201.App.ID
	key, err := c.CreateAppKeyWithResponse(ctx, v1, id, gen.SecretKeyCreate{Name: "k"})
	record(key, err)
	record(c.GetAppKeyJWTWithResponse(ctx, v1, id, key.JSON201.Key.ID))
	sa, err := c.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: "S"})
	record(sa, err)
	sk, err := c.CreateServiceAccountKeyWithResponse(ctx, v1, sa.JSON201.ServiceAccount.ID, gen.SecretKeyCreate{Name: "sk"})
	record(sk, err)
	record(c.GetServiceAccountKeyJWTWithResponse(ctx, v1, sa.JSON201.ServiceAccount.ID, sk.JSON201.Key.ID))
	record(c.CreateWebhookWithResponse(ctx, v1, id, gen.WebhookCreate{Target: "https://example.com/hook"}))
	for _, tc := range channelCases {
		record(c.CreateIntegrationWithBodyWithResponse(ctx, v1, id, "application/json", strings.NewReader(tc.body)))
	}
	for i := range 3 {
		record(c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: fmt.Sprint(i)}))
	}
	record(c.ListAppsWithResponse(ctx, v1, nil))
	record(c.ListIntegrationsWithResponse(ctx, v1, id, nil))
	return out.String()
}

func TestDeterministicServersAreByteStable(t *testing.T) {
	a := session(t, smoochtest.WithSeed(42))
	b := session(t, smoochtest.WithSeed(42))
	if a != b {
		t.Fatalf("same seed, different sessions:\n%s\n---\n%s", a, b)
	}
	if c := session(t, smoochtest.WithSeed(43)); c == a {
		t.Error("different seeds gave identical sessions")
	}
	// Two servers each: the sessions are compared, not one call with itself.
	if d1, d2 := session(t, smoochtest.Deterministic()), session(t, smoochtest.Deterministic()); d1 != d2 {
		t.Error("Deterministic() is not deterministic")
	}
	if u1, u2 := session(t), session(t); u1 == u2 {
		t.Error("unseeded servers gave identical sessions")
	}
}

func TestStartingAccountKey(t *testing.T) {
	srv := smoochtest.NewServer()
	defer srv.Close()
	k := srv.AccountKey()
	if !actKeyIDRe.MatchString(k.ID) || !secretRe.MatchString(k.Secret) {
		t.Errorf("account key %+v: want act_<24 hex> and a 24 character secret", k)
	}
	if !loopbackURL.MatchString(srv.URL) {
		t.Errorf("URL %q is not on loopback", srv.URL)
	}
	r, err := client(t, srv, srv.AccountJWT()).ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)
}
