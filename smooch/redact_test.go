package smooch_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch"
)

// logJSON logs v under key with a JSON slog handler and returns the output.
func logJSON(t *testing.T, key string, v any) string {
	t.Helper()
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("test", key, v)
	return buf.String()
}

func assertRedacted(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, v)
		for _, s := range secrets {
			assert.NotContains(t, out, s, "%s of %T: %s", verb, v, out)
		}
		assert.Contains(t, out, "REDACTED", "%s of %T", verb, v)
	}
	logged := logJSON(t, "v", v)
	for _, s := range secrets {
		assert.NotContains(t, logged, s, "slog of %T", v)
	}
	assert.Contains(t, logged, "REDACTED")
}

func TestSecretsNeverPrint(t *testing.T) {
	token, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeApp, "")
	require.NoError(t, err)

	assertRedacted(t, smooch.AccountKey(accountKeyID, testSecret), testSecret)
	assertRedacted(t, smooch.BearerToken(token), token)
	key := smooch.SecretKey{SecretKey: gen.SecretKey{ID: appKeyID, Name: "key1", Secret: testSecret}}
	assertRedacted(t, key, testSecret)
	assertRedacted(t, &key, testSecret)
	hook := smooch.Webhook{Webhook: gen.Webhook{ID: "w", Target: "https://example.com", Secret: testSecret}}
	assertRedacted(t, hook, testSecret)

	c, err := smooch.New(smooch.AppKey(appKeyID, testSecret))
	require.NoError(t, err)
	assert.Equal(t, `{BaseURL:https://api.smooch.io Scope:app}`, fmt.Sprint(c))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c, c.Apps, *c.Apps} { // a copy of the Client too
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, token, "%s of %T", verb, v)
			assert.NotContains(t, out, testSecret, "%s of %T", verb, v)
		}
	}
	assert.NotContains(t, logJSON(t, "client", c), token)

	assert.Equal(t, `smooch.Credentials{KeyID:"act_5963ceb97cde542d000dbdb1", Secret:"REDACTED", Scope:"account", UserID:"", Token:""}`,
		fmt.Sprintf("%#v", smooch.AccountKey(accountKeyID, testSecret)))
	assert.Equal(t, fmt.Sprintf("%#v", key), key.GoString())
	assert.Equal(t, `{ID:app_5723a347f82ba0516cb4ea34 Name:key1 Secret:REDACTED}`, fmt.Sprint(key))
	assert.Equal(t, testSecret, key.Secret, "the secret stays readable")
}

func TestSecretKeyCredentials(t *testing.T) {
	appKey := smooch.SecretKey{SecretKey: gen.SecretKey{ID: appKeyID, Secret: testSecret}}
	assert.Equal(t, smooch.AppKey(appKeyID, testSecret), appKey.Credentials())
	svcKey := smooch.SecretKey{SecretKey: gen.SecretKey{ID: serviceKeyID, Secret: testSecret}}
	assert.Equal(t, smooch.AccountKey(serviceKeyID, testSecret), svcKey.Credentials())
}

func TestDebugLogsNeverCarrySecrets(t *testing.T) {
	f := newFakeAPI(t, answer(404, `{"error":{"code":"not_found","description":"App not found"}}`))
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, f, accountCreds(), smooch.WithLogger(logger))
	_, err := c.Apps.Get(context.Background(), "app1")
	require.True(t, smooch.IsNotFound(err))

	out := buf.String()
	assert.Contains(t, out, `"method":"GET"`)
	assert.Contains(t, out, `"path":"/v1/apps/app1"`)
	assert.Contains(t, out, `"status":404`)
	assert.Contains(t, out, `"duration"`)
	token := f.requests()[0].Header.Get("Authorization")[len("Bearer "):]
	assert.NotContains(t, out, token)
	assert.NotContains(t, out, testSecret)
	assert.NotContains(t, err.Error(), token)
}

func TestNoLoggerLogsNothingAndInfoLevelSkipsDebug(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a","name":"n"}}`))
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c := newClient(t, f, accountCreds(), smooch.WithLogger(logger))
	_, err := c.Apps.Get(context.Background(), "a")
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestGoStringMatchesSharpV(t *testing.T) {
	values := []fmt.GoStringer{smooch.AccountKey(accountKeyID, testSecret), smooch.SecretKey{}, smooch.Webhook{}}
	for _, tc := range validChannels() {
		values = append(values, tc.ch.(fmt.GoStringer))
	}
	c, err := smooch.New(accountCreds())
	require.NoError(t, err)
	values = append(values, c)
	for _, v := range values {
		assert.Equal(t, fmt.Sprintf("%#v", v), v.GoString())
		assert.NotContains(t, v.GoString(), testSecret)
	}
	assert.Equal(t, "{KeyID:act_5963ceb97cde542d000dbdb1 Secret:REDACTED Scope:account UserID: Token:}", smooch.AccountKey(accountKeyID, testSecret).String())
}
