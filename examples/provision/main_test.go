package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestEmbeddedRunWalksTheGuide(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, config{}))
	for _, step := range []string{"created app", "created webhook", "created app key", "the app JWT sees 1 webhook(s)",
		"cannot list apps", "connected frontendEmail", "connected telegram", "connected twilio", "deleted app"} {
		assert.Contains(t, out.String(), step)
	}
}

// The live path, pointed at a fake we own, leaves nothing behind, also when a step fails.
func TestLiveRunCleansUp(t *testing.T) {
	srv := smoochtest.NewServer()
	defer srv.Close()
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer target.Close()
	key := srv.AccountKey()
	cfg := config{keyID: key.ID, secret: key.Secret, apiURL: srv.URL, webhookTarget: target.URL, telegramToken: "123:AAfake"}
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, cfg))
	assert.Contains(t, out.String(), "connected telegram")
	assertNoApps(t, client)

	srv.FailNext("createIntegration", 1, smoochtest.Fault{Status: http.StatusInternalServerError})
	err = run(context.Background(), &out, cfg)
	require.Error(t, err)
	assert.True(t, smooch.IsServerError(err), "got %v", err)
	assertNoApps(t, client)
}

func TestLiveRunNeedsAWebhookTarget(t *testing.T) {
	err := run(context.Background(), &bytes.Buffer{}, config{keyID: "act_000000000000000000000000", secret: "not-a-real-secret"})
	require.ErrorContains(t, err, "-webhook")
}

func assertNoApps(t *testing.T, client *smooch.Client) {
	t.Helper()
	page, err := client.Apps.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, page.Items, "the example left apps behind")
}
