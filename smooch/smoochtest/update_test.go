package smoochtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch"
)

// createRaw creates an integration from a JSON body and returns its id.
func createRaw(t *testing.T, c *gen.ClientWithResponses, appID, body string) string {
	t.Helper()
	r, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, appID, "application/json", strings.NewReader(body))
	wantStatus(t, r, err, http.StatusCreated)
	var created struct {
		Integration struct {
			ID string `json:"_id"`
		} `json:"integration"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &created))
	return created.Integration.ID
}

// members decodes an integration answer ({"integration": …}) into its members.
func members(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var resp struct{ Integration map[string]any }
	require.NoError(t, json.Unmarshal(body, &resp), "%s", body)
	return resp.Integration
}

func TestUpdateIntegration(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "updates")
	web := createRaw(t, c, app.ID, `{"type":"web","brandColor":"65758e","businessName":"Acme"}`)
	line := createRaw(t, c, app.ID, `{"type":"line","channelAccessToken":"test-line-token-not-real","channelSecret":"test-line-secret-not-real"}`)
	whatsapp := createRaw(t, c, app.ID, `{"type":"whatsapp","baseUrl":"https://wa.example.com","username":"smooch","password":"test-whatsapp-password-not-real"}`)
	twilio := createRaw(t, c, app.ID, `{"type":"twilio","accountSid":"ACtest","authToken":"test-auth-token-not-real","phoneNumberSid":"PNtest"}`)
	update := func(id, body string) *gen.UpdateIntegrationResponse {
		r, err := c.UpdateIntegrationWithBodyWithResponse(ctx, v1, app.ID, id, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		return r
	}

	// Web Messenger: the display settings change, the others are kept; false is a value, not an absence.
	r := update(web, `{"brandColor":"fff","fixedIntroPane":false,"displayStyle":"tab","originWhitelist":["https://acme.example.com"]}`)
	wantStatus(t, r, nil, http.StatusOK)
	got := members(t, r.Body)
	assert.Equal(t, "fff", got["brandColor"])
	assert.Equal(t, "tab", got["displayStyle"])
	assert.Equal(t, false, got["fixedIntroPane"])
	assert.Equal(t, []any{"https://acme.example.com"}, got["originWhitelist"])
	assert.Equal(t, "Acme", got["businessName"], "what the update leaves out is kept")
	assert.Equal(t, "active", got["status"])
	fetched, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, web)
	wantStatus(t, fetched, err, http.StatusOK)
	assert.Equal(t, got, members(t, fetched.Body), "the update is stored")

	// LINE: the channel id shows, the secret is applied and never returned.
	r = update(line, `{"channelId":"1462776483","channelSecret":"test-new-line-secret-not-real"}`)
	wantStatus(t, r, nil, http.StatusOK)
	assert.Equal(t, "1462776483", members(t, r.Body)["channelId"])
	assert.NotContains(t, string(r.Body), "not-real")

	r = update(whatsapp, `{"hsmFallbackLanguage":"fr_CA"}`)
	wantStatus(t, r, nil, http.StatusOK)
	assert.Equal(t, "fr_CA", members(t, r.Body)["hsmFallbackLanguage"])
	assert.NotContains(t, string(r.Body), "password")

	// A field that does not apply to the type is refused, naming it, and nothing changes.
	for id, body := range map[string]string{
		twilio:   `{"brandColor":"fff"}`,
		web:      `{"brandColor":"000","hsmFallbackLanguage":"en_US"}`,
		whatsapp: `{"channelId":"1"}`,
	} {
		before, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, id)
		wantStatus(t, before, err, http.StatusOK)
		r := update(id, body)
		e := wantStatus(t, r, nil, http.StatusBadRequest)
		assert.Contains(t, e.Description, "does not apply")
		after, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, id)
		wantStatus(t, after, err, http.StatusOK)
		assert.JSONEq(t, string(before.Body), string(after.Body), "a refused update changes nothing")
	}
	e := wantStatus(t, update(twilio, `{"brandColor":"fff"}`), nil, http.StatusBadRequest)
	assert.Equal(t, "brandColor does not apply to a twilio integration", e.Description)

	wantStatus(t, update(web, `{}`), nil, http.StatusBadRequest)
	wantStatus(t, update(web, `{"brandColor":"#fff"}`), nil, http.StatusBadRequest)
	wantStatus(t, update("000000000000000000000000", `{"brandColor":"fff"}`), nil, http.StatusNotFound)
}

func TestUpdateIntegrationProfile(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "profiles")
	whatsapp := createRaw(t, c, app.ID, `{"type":"whatsapp","baseUrl":"https://wa.example.com","username":"smooch","password":"test-whatsapp-password-not-real"}`)
	telegram := createRaw(t, c, app.ID, `{"type":"telegram","token":"test-bot-token-not-real"}`)
	profile := func(id, body string) *gen.UpdateIntegrationProfileResponse {
		r, err := c.UpdateIntegrationProfileWithBodyWithResponse(ctx, v1, app.ID, id, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		return r
	}

	r := profile(whatsapp, `{"about":"Open 9 to 5","websites":["https://acme.example.com","https://shop.acme.example.com"]}`)
	wantStatus(t, r, nil, http.StatusOK)
	assert.JSONEq(t, `{}`, string(r.Body))

	e := wantStatus(t, profile(telegram, `{"about":"Open 9 to 5"}`), nil, http.StatusBadRequest)
	assert.Equal(t, "only WhatsApp integrations have a business profile; this one is telegram", e.Description)

	e = wantStatus(t, profile(whatsapp, `{"about":"`+strings.Repeat("a", 140)+`"}`), nil, http.StatusBadRequest)
	assert.Contains(t, e.Description, "about")
	e = wantStatus(t, profile(whatsapp, `{"websites":["https://a.example","https://b.example","https://c.example"]}`), nil, http.StatusBadRequest)
	assert.Contains(t, e.Description, "websites")
	wantStatus(t, profile("000000000000000000000000", `{"about":"x"}`), nil, http.StatusNotFound)
}

func TestIntegrationStatus(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "status")
	id := createRaw(t, c, app.ID, `{"type":"telegram","token":"test-bot-token-not-real"}`)

	get := func() map[string]any {
		r, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, id)
		wantStatus(t, r, err, http.StatusOK)
		return members(t, r.Body)
	}
	assert.Equal(t, "active", get()["status"], "active by default")

	require.NoError(t, srv.SetIntegrationStatus(app.ID, id, smooch.IntegrationStatusError, "Telegram refused the bot token"))
	got := get()
	assert.Equal(t, "error", got["status"])
	assert.Equal(t, "Telegram refused the bot token", got["error"])
	assert.NotEmpty(t, got["username"], "the channel's details stay")

	require.NoError(t, srv.SetIntegrationStatus(app.ID, id, smooch.IntegrationStatusInactive, "ignored unless error"))
	got = get()
	assert.Equal(t, "inactive", got["status"])
	assert.NotContains(t, got, "error", "no error unless the status is error")

	assert.ErrorContains(t, srv.SetIntegrationStatus(app.ID, id, "broken", ""), `"broken"`)
	assert.ErrorContains(t, srv.SetIntegrationStatus(app.ID, "000000000000000000000000", smooch.IntegrationStatusActive, ""), "no integration")
	assert.ErrorContains(t, srv.SetIntegrationStatus("000000000000000000000000", id, smooch.IntegrationStatusActive, ""), "no app")
}

func TestTwitterPremiumNeedsAnEnvironment(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "twitter")
	const creds = `"consumerKey":"k","consumerSecret":"test-secret-not-real","accessTokenKey":"a","accessTokenSecret":"test-secret-not-real"`
	r, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(`{"type":"twitter","tier":"premium",`+creds+`}`))
	e := wantStatus(t, r, err, http.StatusBadRequest)
	assert.Equal(t, "envName is required when tier is premium", e.Description)
	createRaw(t, c, app.ID, `{"type":"twitter","tier":"premium","envName":"production",`+creds+`}`)
	createRaw(t, c, app.ID, `{"type":"twitter","tier":"enterprise",`+creds+`}`)
}

func TestNewChannelArguments(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "arguments")
	line := createRaw(t, c, app.ID, `{"type":"line","channelId":"1462776483","channelAccessToken":"test-line-token-not-real","channelSecret":"test-line-secret-not-real"}`)
	wechat := createRaw(t, c, app.ID, `{"type":"wechat","appId":"wx1","appSecret":"test-wechat-secret-not-real","accessTokenUrl":"https://tokens.example.com/wechat"}`)
	for id, want := range map[string]map[string]any{
		line:   {"channelId": "1462776483"},
		wechat: {"accessTokenUrl": "https://tokens.example.com/wechat"},
	} {
		r, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, id)
		wantStatus(t, r, err, http.StatusOK)
		got := members(t, r.Body)
		for k, v := range want {
			assert.Equal(t, v, got[k], k)
		}
	}
}
