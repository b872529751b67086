package conformance_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// Obviously fake credentials, shaped like real ones.
const (
	fakeJWT    = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFjdF90ZXN0IiwidHlwIjoiSldUIn0.eyJzY29wZSI6ImFjY291bnQifQ.not-a-real-signature"
	fakeSecret = "test-secret-not-real"
)

func leakyInteraction() *cassette.Interaction {
	return &cassette.Interaction{
		Request: cassette.Request{
			Method: "POST",
			URL:    "https://api.smooch.io/v1/apps/a1/integrations",
			Headers: http.Header{
				"Authorization": {"Bearer " + fakeJWT},
				"X-Api-Key":     {"test-webhook-secret-not-real"},
				"Content-Type":  {"application/json"},
			},
			Body: `{"type": "messenger", "pageAccessToken": "test-page-token-not-real", "appId": "123", "appSecret": "test-app-secret-not-real"}`,
		},
		Response: cassette.Response{
			Code:   201,
			Status: "201 Created",
			Headers: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"999"},
				"Set-Cookie":     {"session=test-session-not-real"},
			},
			Body: `{"keys": [{"_id": "app_1", "name": "k", "secret": "` + fakeSecret + `"}, {"_id": "app_2", "name": "k\"2", "secret": "a\"b"}],` +
				` "jwt": "` + fakeJWT + `", "webhook": {"secret": "` + fakeSecret + `", "target": "https://example.test/hook"},` +
				` "integration": {"_id": "i", "type": "wechat", "appId": "wx1", "webhookSecret": "test-wechat-token-not-real"}}`,
		},
	}
}

func TestRedactRemovesEveryCredentialAndKeepsEverythingElse(t *testing.T) {
	in := leakyInteraction()
	liveHeader := in.Request.Headers
	require.NoError(t, conformance.Redact(in))

	assert.Equal(t, "Bearer REDACTED", in.Request.Headers.Get("Authorization"))
	assert.Equal(t, "REDACTED", in.Request.Headers.Get("X-Api-Key"))
	assert.Equal(t, "REDACTED", in.Response.Headers.Get("Set-Cookie"))
	assert.Equal(t, "Bearer "+fakeJWT, liveHeader.Get("Authorization"), "the request's own header map is not modified")

	assert.Equal(t, `{"type": "messenger", "pageAccessToken": "REDACTED", "appId": "123", "appSecret": "REDACTED"}`, in.Request.Body,
		"only credential values change; spacing, order and other members stay")
	assert.Equal(t, `{"keys": [{"_id": "app_1", "name": "k", "secret": "REDACTED"}, {"_id": "app_2", "name": "k\"2", "secret": "REDACTED"}],`+
		` "jwt": "`+conformance.RedactedJWT+`", "webhook": {"secret": "REDACTED", "target": "https://example.test/hook"},`+
		` "integration": {"_id": "i", "type": "wechat", "appId": "wx1", "webhookSecret": "REDACTED"}}`, in.Response.Body)
	assert.Equal(t, []string{strconv.Itoa(len(in.Response.Body))}, in.Response.Headers["Content-Length"], "Content-Length follows the redacted body")

	again := *in
	require.NoError(t, conformance.Redact(&again))
	assert.Equal(t, in.Response.Body, again.Response.Body, "redaction is idempotent")
}

func TestRedactJSONLeavesNonJSONAlone(t *testing.T) {
	for _, body := range []string{"", "not json", `{"secret": `, `"secret"`, `["secret", "x"]`, `{"secret": 42}`} {
		out, err := conformance.RedactJSON([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, body, string(out))
	}
}

func TestScanSecretsFindsEveryLeak(t *testing.T) {
	dir := t.TempDir()
	leaky := cassette.New(filepath.Join(dir, "leaky"))
	leaky.AddInteraction(leakyInteraction())
	require.NoError(t, leaky.Save())

	findings, err := conformance.ScanSecrets(dir)
	require.NoError(t, err)
	all := strings.Join(findings, "\n")
	for _, want := range []string{
		"JWT \"eyJhbG…\"",
		"request header Authorization",
		"request header X-Api-Key",
		"response header Set-Cookie",
		`request body: "pageAccessToken" is`,
		`request body: "appSecret" is`,
		`response body: "secret" is "test-s…"`,
		`response body: "jwt" is`,
		`response body: "webhookSecret" is`,
	} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, all, fakeSecret, "a finding does not repeat the secret")
	for _, f := range findings {
		assert.True(t, strings.HasPrefix(f, filepath.Join(dir, "leaky.yaml")+": "), f)
	}

	// The same cassette after the save filter is clean.
	clean := cassette.New(filepath.Join(t.TempDir(), "clean"))
	clean.SaveFilters = append(clean.SaveFilters, conformance.Redact)
	clean.AddInteraction(leakyInteraction())
	require.NoError(t, clean.Save())
	findings, err = conformance.ScanSecrets(clean.File)
	require.NoError(t, err)
	assert.Empty(t, findings)

	findings, err = conformance.ScanSecrets("testdata")
	require.NoError(t, err)
	assert.Empty(t, findings)
}

func TestScanSecretsFindsAJWTUnderAnyName(t *testing.T) {
	c := cassette.New(filepath.Join(t.TempDir(), "note"))
	c.AddInteraction(&cassette.Interaction{
		Request:  cassette.Request{Method: "GET", URL: "https://api.smooch.io/v1/apps", Headers: http.Header{"Authorization": {"Bearer REDACTED"}}},
		Response: cassette.Response{Code: 200, Body: `{"apps":[],"hasMore":false,"offset":0,"note":"` + fakeJWT + `"}`},
	})
	require.NoError(t, c.Save())
	findings, err := conformance.ScanSecrets(c.File)
	require.NoError(t, err)
	require.Len(t, findings, 1)
	assert.Contains(t, findings[0], `JWT "eyJhbG…"`)
}

func TestScanSecretsReadsNonJSONBodies(t *testing.T) {
	c := cassette.New(filepath.Join(t.TempDir(), "form"))
	c.AddInteraction(&cassette.Interaction{
		Request:  cassette.Request{Method: "POST", URL: "https://api.smooch.io/v1/apps", Body: `garbage {"secret": "test-secret-not-real"`},
		Response: cassette.Response{Code: 400, Body: `<html>"jwt": "abc"</html>`},
	})
	require.NoError(t, c.Save())
	findings, err := conformance.ScanSecrets(c.File)
	require.NoError(t, err)
	assert.Len(t, findings, 2, strings.Join(findings, "\n"))
}

// Credentials outside the members and headers Redact knows by name: a JWT
// under any name, in any header, URL or body; credential query parameters
// and user info; a member named like a credential that the contract does not
// know yet. Each is redacted, and the scan flags each when left in.
func TestRedactAndScanFindCredentialsAnywhere(t *testing.T) {
	leaky := func() *cassette.Interaction {
		return &cassette.Interaction{
			Request: cassette.Request{
				Method: "GET",
				URL:    "https://user:test-password-not-real@api.smooch.io/v1/apps?limit=1&token=test-token-not-real&next=" + fakeJWT,
				Headers: http.Header{
					"Authorization":    {"Bearer "},
					"X-Webhook-Secret": {"test-webhook-secret-not-real"},
					"Link":             {"<https://example.test/?t=" + fakeJWT + ">"},
				},
			},
			Response: cassette.Response{
				Code:    400,
				Headers: http.Header{"Content-Type": {"application/json"}},
				Body: `{"error": {"code": "bad_request", "description": "token ` + fakeJWT + ` expired"},` +
					` "signingSecret": "test-signing-secret-not-real", "appToken": "public-app-token", "accessTokenKey": "public-half"}`,
			},
		}
	}

	in := leaky()
	require.NoError(t, conformance.Redact(in))
	assert.Equal(t, "https://user:REDACTED@api.smooch.io/v1/apps?limit=1&next="+conformance.RedactedJWT+"&token=REDACTED", in.Request.URL)
	assert.Equal(t, "Bearer ", in.Request.Headers.Get("Authorization"), "an empty bearer header hides nothing and stays malformed")
	assert.Equal(t, "REDACTED", in.Request.Headers.Get("X-Webhook-Secret"))
	assert.Equal(t, "<https://example.test/?t="+conformance.RedactedJWT+">", in.Request.Headers.Get("Link"))
	assert.Equal(t, `{"error": {"code": "bad_request", "description": "token `+conformance.RedactedJWT+` expired"},`+
		` "signingSecret": "REDACTED", "appToken": "public-app-token", "accessTokenKey": "public-half"}`, in.Response.Body)

	dir := t.TempDir()
	for name, redact := range map[string]bool{"leaky": false, "redacted": true} {
		c := cassette.New(filepath.Join(dir, name))
		if redact {
			c.SaveFilters = append(c.SaveFilters, conformance.Redact)
		}
		c.AddInteraction(leaky())
		require.NoError(t, c.Save())
	}
	findings, err := conformance.ScanSecrets(filepath.Join(dir, "redacted.yaml"))
	require.NoError(t, err)
	assert.Empty(t, findings)
	findings, err = conformance.ScanSecrets(filepath.Join(dir, "leaky.yaml"))
	require.NoError(t, err)
	all := strings.Join(findings, "\n")
	for _, want := range []string{
		`JWT "eyJhbG…"`,
		"the URL holds a credential",
		"request header X-Webhook-Secret",
		`response body: "signingSecret" is`,
	} {
		assert.Contains(t, all, want)
	}
	for _, public := range []string{"Authorization", "appToken", "accessTokenKey", "Link"} {
		assert.NotContains(t, all, public)
	}
	for _, secret := range []string{"test-password-not-real", "test-token-not-real", "test-webhook-secret-not-real", "test-signing-secret-not-real"} {
		assert.NotContains(t, all, secret, "a finding does not repeat the secret")
	}
}

// A credential echoed under a name and in a shape the scan cannot know is
// still found by its value, once seen on the wire.
func TestSeenSecretsFindsAnEchoedCredential(t *testing.T) {
	const token = "123456789:test-telegram-token-not-real"
	var seen conformance.SeenSecrets
	seen.Add("short") // too short to search for without false alarms
	seen.AddExchange(conformance.Exchange{
		Method: "POST", URL: "https://api.smooch.io/v1/apps/a1/integrations",
		Header: http.Header{"Authorization": {"Bearer " + fakeJWT}},
		Body:   []byte(`{"type":"telegram","token":"` + token + `"}`),
		Status: 400, RespBody: []byte(`{"error":{"code":"bad_request","description":"short"}}`),
	})

	c := cassette.New(filepath.Join(t.TempDir(), "echo"))
	c.SaveFilters = append(c.SaveFilters, conformance.Redact)
	c.AddInteraction(&cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://api.smooch.io/v1/apps/a1/integrations",
			Headers: http.Header{"Authorization": {"Bearer " + fakeJWT}}, Body: `{"type":"telegram","token":"` + token + `"}`},
		Response: cassette.Response{Code: 400, Body: `{"error":{"code":"bad_request","description":"Telegram refused ` + token + `"}}`},
	})
	require.NoError(t, c.Save())

	findings, err := conformance.ScanSecrets(c.File)
	require.NoError(t, err)
	assert.Empty(t, findings, "by names and shapes, nothing is left")
	findings, err = seen.Find(c.File)
	require.NoError(t, err)
	require.Len(t, findings, 1, strings.Join(findings, "\n"))
	assert.Contains(t, findings[0], `holds a secret seen on the wire: "123456…"`)
}

// TestRedactKnowsEverySecretOfTheContract: every property the contract marks x-smooch-secret: true is
// redacted, whatever its name looks like, and ScanSecrets flags it unredacted; a property marked false is
// kept. Nothing in this package lists them: the contract does.
func TestRedactKnowsEverySecretOfTheContract(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback
	doc, err := openapi.Load()
	require.NoError(t, err)
	secret, public := map[string]bool{}, map[string]bool{}
	for _, schema := range doc.Components.Schemas {
		for name, prop := range schema.Value.Properties {
			switch marked, ok := prop.Value.Extensions["x-smooch-secret"].(bool); {
			case ok && marked:
				secret[name] = true
			case ok:
				public[name] = true
			}
		}
	}
	require.NotEmpty(t, secret)
	require.NotEmpty(t, public)
	// The 2018 additions among them: WhatsApp's password and LINE's channelSecret (also in an integration
	// update) are secrets, WeChat's accessTokenUrl an address named like a credential.
	assert.True(t, secret["password"] && secret["channelSecret"], "the contract marks the WhatsApp password and the LINE channel secret")
	assert.True(t, public["accessTokenUrl"], "the contract marks WeChat's accessTokenUrl public")
	members := map[string]string{}
	for name := range secret {
		members[name] = "value-of-" + name + "-not-real"
	}
	for name := range public {
		members[name] = "public-" + name
	}
	body, err := json.Marshal(members)
	require.NoError(t, err)

	leaky := cassette.New(filepath.Join(t.TempDir(), "leaky"))
	leaky.AddInteraction(&cassette.Interaction{
		Request:  cassette.Request{Method: "POST", URL: "https://api.smooch.io/v1/apps/a1/integrations", Body: string(body)},
		Response: cassette.Response{Code: 400, Body: "{}"},
	})
	require.NoError(t, leaky.Save())
	findings, err := conformance.ScanSecrets(leaky.File)
	require.NoError(t, err)
	for name := range secret {
		assert.True(t, containsAny(findings, `"`+name+`"`), "ScanSecrets misses an unredacted %s: %v", name, findings)
	}

	redacted, err := conformance.RedactJSON(body)
	require.NoError(t, err)
	var got map[string]string
	require.NoError(t, json.Unmarshal(redacted, &got))
	for name := range secret {
		assert.Equal(t, conformance.Redacted, got[name], name)
	}
	for name := range public {
		if !secret[name] {
			assert.Equal(t, "public-"+name, got[name], "%s is public in the contract", name)
		}
	}
}

func containsAny(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func TestNormalizeMakesRecordingsRepeatable(t *testing.T) {
	in := &cassette.Interaction{
		Request: cassette.Request{Headers: http.Header{
			"User-Agent": {"acme-provisioner/2.1 smooch-go/1.4.0"},
		}},
		Response: cassette.Response{
			Headers:  http.Header{"Date": {"Tue, 24 Nov 2026 10:00:00 GMT"}, "Content-Type": {"application/json"}},
			Duration: 1234,
		},
	}
	original := in.Request.Headers // the caller's map: go-vcr may still send it

	require.NoError(t, conformance.Normalize(in))

	assert.Equal(t, []string{"acme-provisioner/2.1 smooch-go"}, in.Request.Headers.Values("User-Agent"), "the SDK version is dropped, the caller's product kept")
	assert.Empty(t, in.Response.Headers.Get("Date"))
	assert.Equal(t, "application/json", in.Response.Headers.Get("Content-Type"))
	assert.Zero(t, in.Response.Duration)
	assert.Equal(t, "acme-provisioner/2.1 smooch-go/1.4.0", original.Get("User-Agent"), "the request itself is left alone")
}
