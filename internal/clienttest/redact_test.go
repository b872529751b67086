package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// modelsBySchema are this package's types for the contract's schemas that carry a credential. The test below
// fails for a schema of the contract with an x-smooch-secret property that is missing here, so that a new
// secret cannot go unchecked.
var modelsBySchema = map[string]any{
	"SecretKey":                      smooch.SecretKey{},
	"Webhook":                        smooch.Webhook{},
	"WeChatIntegration":              smooch.WeChatIntegration{},
	"MessageBirdIntegration":         smooch.MessageBirdIntegration{},
	"MessengerIntegrationCreate":     smooch.Messenger{},
	"TwitterIntegrationCreate":       smooch.Twitter{},
	"TwilioIntegrationCreate":        smooch.Twilio{},
	"TelegramIntegrationCreate":      smooch.Telegram{},
	"LINEIntegrationCreate":          smooch.LINE{},
	"ViberIntegrationCreate":         smooch.Viber{},
	"WeChatIntegrationCreate":        smooch.WeChat{},
	"MailgunIntegrationCreate":       smooch.Mailgun{},
	"MessageBirdIntegrationCreate":   smooch.MessageBird{},
	"FrontendEmailIntegrationCreate": smooch.Email{},
	"APNIntegrationCreate":           smooch.APN{},
	"FCMIntegrationCreate":           smooch.FCM{},
	"WhatsAppIntegrationCreate":      smooch.WhatsApp{},
	"IntegrationUpdate":              smooch.IntegrationUpdate{},
	// v1.1
	"LINEIntegration":                    smooch.LINEIntegration{},
	"InstagramIntegrationCreate":         smooch.Instagram{},
	"AppleBusinessChatIntegrationCreate": smooch.AppleBusinessChat{},
	"AppleBusinessChatIntegration":       smooch.AppleBusinessChatIntegration{},
	"Deployment":                         smooch.Deployment{},
	"DeploymentCreate":                   smooch.DeploymentCreate{},
	"DeploymentActivatePhoneNumber":      smooch.PhoneNumberActivation{},
}

// secretSchemas maps each schema of the contract to its properties marked x-smooch-secret: true.
func secretSchemas(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := openapi.Load()
	require.NoError(t, err)
	out := map[string][]string{}
	for name, ref := range doc.Components.Schemas {
		for prop, p := range ref.Value.Properties {
			if secret, _ := p.Value.Extensions["x-smooch-secret"].(bool); secret {
				out[name] = append(out[name], prop)
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// TestEverySecretOfTheContractIsRedacted fills every credential the contract marks with a known value and
// checks it appears in no fmt verb, in neither slog handler, and not in JSON, while staying readable in its
// field. It also proves the reverse: a field that is not a secret prints as is.
func TestEverySecretOfTheContractIsRedacted(t *testing.T) {
	for schema, props := range secretSchemas(t) {
		if schema == "JWTResponse" {
			continue // AppKeys.JWT and ServiceAccountKeys.JWT return the token as a string: documented as a bearer secret
		}
		model, ok := modelsBySchema[schema]
		if !assert.True(t, ok, "schema %s has secrets %v but no entry in modelsBySchema", schema, props) {
			continue
		}
		t.Run(schema, func(t *testing.T) {
			v := reflect.New(reflect.TypeOf(model)).Elem()
			var secrets []string
			for i := range v.NumField() {
				f := v.Type().Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				isSecret := contains(props, name)
				assert.Equal(t, isSecret, f.Tag.Get("smooch") == "secret", "%s.%s: the struct tag follows x-smooch-secret", schema, name)
				switch f.Type.Kind() {
				case reflect.String:
					value := "public-" + name
					if isSecret {
						value = "s3cr3t-" + name + "-not-real"
						secrets = append(secrets, value)
					}
					v.Field(i).SetString(value)
				case reflect.Slice:
					if f.Type.Elem().Kind() == reflect.Uint8 && isSecret {
						value := "s3cr3t-bytes-" + name
						v.Field(i).SetBytes([]byte(value))
						secrets = append(secrets, value, base64Of(value))
					}
				}
			}
			require.NotEmpty(t, secrets, "%s: found none of %v among the fields", schema, props)
			assertNoSecret(t, v.Interface(), secrets...)
			assertNoSecret(t, v.Addr().Interface(), secrets...)
			if public := fmt.Sprint(v.Interface()); strings.Count(mustJSON(t, v.Interface()), "public-") > 0 {
				assert.Contains(t, public, "public-", "fields that are not secret still print")
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func base64Of(s string) string {
	b, _ := json.Marshal([]byte(s))
	return strings.Trim(string(b), `"`)
}

// assertNoSecret checks every way a value leaves a program as text: fmt, slog (JSON and text) and JSON.
func assertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	outputs := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		outputs[verb] = fmt.Sprintf(verb, v)
	}
	var js, text bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("test", "v", v)
	slog.New(slog.NewTextHandler(&text, nil)).Info("test", "v", v)
	outputs["slog JSON"], outputs["slog text"] = js.String(), text.String()
	encoded, err := json.Marshal(v)
	require.NoError(t, err)
	outputs["json.Marshal"] = string(encoded)
	for how, out := range outputs {
		for _, s := range secrets {
			assert.NotContains(t, out, s, "%s of %T: %s", how, v, out)
		}
		assert.Contains(t, out, "REDACTED", "%s of %T", how, v)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	token, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeApp, "")
	require.NoError(t, err)

	assertNoSecret(t, smooch.AccountKey(accountKeyID, testSecret), testSecret)
	assertNoSecret(t, smooch.BearerToken(token), token)
	key := smooch.SecretKey{ID: appKeyID, Name: "key1", Secret: testSecret}

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
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("test", "client", c)
	assert.NotContains(t, logged.String(), token)

	assert.Equal(t, `smooch.Credentials{KeyID:"act_5963ceb97cde542d000dbdb1", Secret:"REDACTED", Scope:"account", UserID:"", Token:"", Basic:false}`,
		fmt.Sprintf("%#v", smooch.AccountKey(accountKeyID, testSecret)))
	assert.Equal(t, `{ID:app_5723a347f82ba0516cb4ea34 Name:key1 Secret:REDACTED}`, fmt.Sprint(key))
	assert.Equal(t, `smooch.SecretKey{ID:"app_5723a347f82ba0516cb4ea34", Name:"key1", Secret:"REDACTED"}`, fmt.Sprintf("%#v", key))
	assert.JSONEq(t, `{"_id":"app_5723a347f82ba0516cb4ea34","name":"key1","secret":"REDACTED"}`, mustJSON(t, key))
	assert.Equal(t, testSecret, key.Secret, "the secret stays readable")

	// An empty secret shows as empty, so that a forgotten one is visible while debugging.
	assert.Equal(t, `{ID: Name: Secret:}`, fmt.Sprint(smooch.SecretKey{}))
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestModelsPrintValuesNotAddresses: optional fields that are pointers print by value.
func TestModelsPrintValuesNotAddresses(t *testing.T) {
	app := smooch.App{ID: "a1", Name: "Acme", Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}}
	for _, verb := range []string{"%v", "%+v", "%s"} {
		out := fmt.Sprintf(verb, app)
		assert.NotContains(t, out, "0x", verb)
		assert.Contains(t, out, "MaskCreditCardNumbers:false", verb)
	}
	assert.Contains(t, fmt.Sprint(smooch.AppSettings{}), "MaskCreditCardNumbers:<nil>")
	assert.False(t, smooch.AppSettings{}.GetMaskCreditCardNumbers(), "the accessor is nil-safe")
	assert.True(t, smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(true)}.GetMaskCreditCardNumbers())
}

func TestSecretKeyCredentials(t *testing.T) {
	appKey := smooch.SecretKey{ID: appKeyID, Secret: testSecret}
	assert.Equal(t, smooch.AppKey(appKeyID, testSecret), appKey.Credentials())
	svcKey := smooch.SecretKey{ID: serviceKeyID, Secret: testSecret}
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

// TestAnErrorNeverCarriesTheToken: a server (or proxy) echoing the request's Authorization header in its error
// body or headers does not put the client's token into the *APIError, which is made to be printed.
func TestAnErrorNeverCarriesTheToken(t *testing.T) {
	f := newFakeAPI(t, nil)
	f.respond = func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"error":{"code":"bad_request","description":"bad header %s"}}`, r.Header.Get("Authorization"))
	}
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Get(context.Background(), "a")
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	token := strings.TrimPrefix(f.requests()[0].Header.Get("Authorization"), "Bearer ")
	require.NotEmpty(t, token)
	for _, out := range []string{err.Error(), fmt.Sprintf("%+v", apiErr), apiErr.Description, strings.Join(apiErr.Header.Values("X-Echo"), " "), mustJSON(t, apiErr)} {
		assert.NotContains(t, out, token)
	}
	assert.Contains(t, apiErr.Description, "bad header Bearer REDACTED")
}
