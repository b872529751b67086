package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestSweepCommand(t *testing.T) {
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	defer srv.Close()
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	for _, name := range []string{"keep-me", "smooch-conformance-0a1b2c3d-guide"} {
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: name})
		require.NoError(t, err)
	}
	env := map[string]string{"SMOOCH_API_URL": srv.URL, "SMOOCH_KEY_ID": key.ID, "SMOOCH_SECRET": key.Secret}
	sweepWith := func(env map[string]string, args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := sweep(args, func(k string) string { return env[k] }, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, stdout, stderr := sweepWith(env, "-n")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "would delete app ")
	assert.Contains(t, stdout, "(smooch-conformance-0a1b2c3d-guide)")
	assert.Contains(t, stdout, "1 resource named smooch-conformance-… on "+srv.URL)

	code, stdout, stderr = sweepWith(env)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "deleted app ")
	page, err := c.Apps.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, "keep-me", page.Items[0].Name)

	code, _, stderr = sweepWith(map[string]string{"SMOOCH_API_URL": srv.URL})
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "SMOOCH_KEY_ID")
	code, _, stderr = sweepWith(env, "-prefix", "keep")
	assert.Equal(t, 2, code)
	assert.Equal(t, "smooch-conformance sweep: sweep prefix \"keep\" must start with \"smooch-conformance-\", so that nothing else is deleted\n", stderr)
	code, _, stderr = sweepWith(map[string]string{"SMOOCH_API_URL": srv.URL, "SMOOCH_KEY_ID": key.ID, "SMOOCH_SECRET": "wrong-secret-not-real"})
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "401")
	assert.True(t, strings.HasPrefix(stderr, "smooch-conformance sweep: list apps: "), "one prefix: %s", stderr)
	code, _, _ = sweepWith(env, "extra")
	assert.Equal(t, 2, code)
}
