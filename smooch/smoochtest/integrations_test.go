package smoochtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// channelCase is one channel: its create body (credentials obviously fake),
// the credential fields that must never come back, and what the answer must
// show.
type channelCase struct {
	typ     gen.IntegrationType
	body    string
	secrets []string
	want    map[string]*regexp.Regexp // response field -> pattern
}

var channelCases = []channelCase{
	{gen.IntegrationTypeMessenger, `{"type":"messenger","pageAccessToken":"test-page-token-not-real","appId":"1674554616147204","appSecret":"test-app-secret-not-real"}`,
		[]string{"pageAccessToken", "appSecret"},
		map[string]*regexp.Regexp{"pageId": regexp.MustCompile(`^[1-9]\d{14}$`), "appId": regexp.MustCompile(`^1674554616147204$`)}},
	{gen.IntegrationTypeTwitter, `{"type":"twitter","consumerKey":"test-consumer-key","consumerSecret":"test-consumer-secret-not-real","accessTokenKey":"test-access-token-key","accessTokenSecret":"test-access-secret-not-real"}`,
		[]string{"consumerSecret", "accessTokenSecret"},
		map[string]*regexp.Regexp{"userId": regexp.MustCompile(`^\d{18}$`), "username": regexp.MustCompile(`^twitter_[0-9a-f]{8}$`),
			"accessTokenKey": regexp.MustCompile(`^test-access-token-key$`), "consumerKey": regexp.MustCompile(`^test-consumer-key$`)}},
	{gen.IntegrationTypeTwilio, `{"type":"twilio","accountSid":"ACtest","authToken":"test-auth-token-not-real","phoneNumberSid":"PNtest"}`,
		[]string{"authToken"},
		map[string]*regexp.Regexp{"accountSid": regexp.MustCompile(`^ACtest$`), "phoneNumberSid": regexp.MustCompile(`^PNtest$`),
			"phoneNumber": regexp.MustCompile(`^\+1\d{10}$`), "name": regexp.MustCompile(`.+`)}},
	{gen.IntegrationTypeTelegram, `{"type":"telegram","token":"test-bot-token-not-real"}`,
		[]string{"token"},
		map[string]*regexp.Regexp{"username": regexp.MustCompile(`^bot_[0-9a-f]{8}_bot$`)}},
	{gen.IntegrationTypeLINE, `{"type":"line","channelAccessToken":"test-line-token-not-real","channelSecret":"test-line-secret-not-real"}`,
		[]string{"channelAccessToken", "channelSecret"},
		map[string]*regexp.Regexp{"botName": regexp.MustCompile(`.+`), "mid": regexp.MustCompile(`^u[0-9a-f]{32}$`), "channelId": regexp.MustCompile(`^\d{10}$`)}},
	{gen.IntegrationTypeViber, `{"type":"viber","token":"test-viber-token-not-real"}`,
		[]string{"token"},
		map[string]*regexp.Regexp{"uri": regexp.MustCompile(`.+`)}},
	{gen.IntegrationTypeWeChat, `{"type":"wechat","appId":"wx-test-app","appSecret":"test-wechat-secret-not-real","encodingAesKey":"test-aes-key-not-real"}`,
		[]string{"appSecret", "encodingAesKey"},
		map[string]*regexp.Regexp{"appId": regexp.MustCompile(`^wx-test-app$`), "webhookSecret": regexp.MustCompile(`^[0-9a-f]{32}$`)}},
	{gen.IntegrationTypeMailgun, `{"type":"mailgun","apiKey":"test-mailgun-key-not-real","domain":"sandbox123.mailgun.org","incomingAddress":"mytestemail@sandbox123.mailgun.org"}`,
		[]string{"apiKey"},
		map[string]*regexp.Regexp{"domain": regexp.MustCompile(`^sandbox123\.mailgun\.org$`), "incomingAddress": regexp.MustCompile(`^mytestemail@sandbox123\.mailgun\.org$`)}},
	{gen.IntegrationTypeMessageBird, `{"type":"messagebird","accessKey":"test-messagebird-key-not-real","originator":"12262121021"}`,
		[]string{"accessKey"},
		map[string]*regexp.Regexp{"originator": regexp.MustCompile(`^12262121021$`), "webhookSecret": regexp.MustCompile(`^[0-9a-f]{32}$`)}},
	{gen.IntegrationTypeFrontendEmail, `{"type":"frontendEmail","fromAddress":"support@example.com"}`,
		nil,
		map[string]*regexp.Regexp{"shortId": regexp.MustCompile(`^[a-z]{3}\d{4}$`), "smoochAddress": regexp.MustCompile(`^app\.[a-z]{3}\d{4}@mail\.smooch\.io$`),
			"fromAddress": regexp.MustCompile(`^support@example\.com$`)}},
	{gen.IntegrationTypeAPN, `{"type":"apn","certificate":"dGVzdC1jZXJ0LW5vdC1yZWFs","password":"test-password-not-real","autoUpdateBadge":true}`,
		[]string{"certificate", "password"},
		map[string]*regexp.Regexp{"production": regexp.MustCompile(`^false$`), "autoUpdateBadge": regexp.MustCompile(`^true$`)}},
	{gen.IntegrationTypeFCM, `{"type":"fcm","serverKey":"test-server-key-not-real","senderId":"1429457686312"}`,
		[]string{"serverKey"},
		map[string]*regexp.Regexp{"senderId": regexp.MustCompile(`^1429457686312$`)}},
	{gen.IntegrationTypeWeb, `{"type":"web","brandColor":"65758e","actionColor":"0af","businessName":"Acme","originWhitelist":["https://acme.example.com","http://localhost:8080"]}`,
		nil,
		map[string]*regexp.Regexp{"brandColor": regexp.MustCompile(`^65758e$`), "actionColor": regexp.MustCompile(`^0af$`), "businessName": regexp.MustCompile(`^Acme$`),
			"originWhitelist": regexp.MustCompile(`^\["https://acme\.example\.com","http://localhost:8080"\]$`),
			"displayStyle":    regexp.MustCompile(`^button$`), "fixedIntroPane": regexp.MustCompile(`^false$`)}},
	{gen.IntegrationTypeWhatsApp, `{"type":"whatsapp","baseUrl":"https://whatsapp.example.com:8443","username":"smooch","password":"test-whatsapp-password-not-real","hsmFallbackLanguage":"en_US"}`,
		[]string{"password"},
		map[string]*regexp.Regexp{"baseUrl": regexp.MustCompile(`^https://whatsapp\.example\.com:8443$`), "username": regexp.MustCompile(`^smooch$`),
			"hsmFallbackLanguage": regexp.MustCompile(`^en_US$`)}},
}

func TestIntegrationsEveryChannel(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	var ids []string
	for _, tc := range channelCases {
		t.Run(string(tc.typ), func(t *testing.T) {
			resp, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(tc.body))
			wantStatus(t, resp, err, http.StatusCreated)
			var raw struct{ Integration map[string]any }
			if err := json.Unmarshal(resp.Body, &raw); err != nil {
				t.Fatal(err)
			}
			got := raw.Integration
			if got["type"] != string(tc.typ) || !hex24.MatchString(got["_id"].(string)) {
				t.Errorf("integration = %v", got)
			}
			if got["status"] != "active" || got["error"] != nil {
				t.Errorf("a new integration is active, without error: status %v, error %v", got["status"], got["error"])
			}
			for field, re := range tc.want {
				v, ok := got[field]
				if s, _ := json.Marshal(v); !ok || !re.Match([]byte(strings.Trim(string(s), `"`))) {
					t.Errorf("%s = %v, want %v", field, v, re)
				}
			}
			for _, secret := range tc.secrets {
				if _, ok := got[secret]; ok {
					t.Errorf("credential %q returned", secret)
				}
			}
			if strings.Contains(string(resp.Body), "not-real") {
				t.Errorf("a credential value came back: %s", resp.Body)
			}
			// The generated union decodes it by its discriminator.
			if d, err := resp.JSON201.Integration.Discriminator(); err != nil || d != string(tc.typ) {
				t.Errorf("discriminator = %q, %v", d, err)
			}
			ids = append(ids, got["_id"].(string))
		})
	}

	list, err := c.ListIntegrationsWithResponse(ctx, v1, app.ID, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Integrations) != len(channelCases) {
		t.Fatalf("listed %d integrations, want %d", len(list.JSON200.Integrations), len(channelCases))
	}
	types := []gen.IntegrationType{gen.IntegrationTypeTwilio, gen.IntegrationTypeLINE}
	filtered, err := c.ListIntegrationsWithResponse(ctx, v1, app.ID, &gen.ListIntegrationsParams{Types: &types})
	wantStatus(t, filtered, err, http.StatusOK)
	var gotTypes []string
	for _, in := range filtered.JSON200.Integrations {
		d, _ := in.Discriminator()
		gotTypes = append(gotTypes, d)
	}
	if !slices.Equal(gotTypes, []string{"twilio", "line"}) {
		t.Errorf("types=twilio,line lists %v", gotTypes)
	}

	get, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, ids[3])
	wantStatus(t, get, err, http.StatusOK)
	tg, err := get.JSON200.Integration.AsTelegramIntegration()
	if err != nil || tg.ID != ids[3] || tg.Username == nil {
		t.Errorf("get telegram = %+v, %v", tg, err)
	}
	del, err := c.DeleteIntegrationWithResponse(ctx, v1, app.ID, ids[3])
	wantStatus(t, del, err, http.StatusOK)
	gone, err := c.GetIntegrationWithResponse(ctx, v1, app.ID, ids[3])
	wantStatus(t, gone, err, http.StatusNotFound)
	gone2, err := c.DeleteIntegrationWithResponse(ctx, v1, app.ID, ids[3])
	wantStatus(t, gone2, err, http.StatusNotFound)
}

func TestIntegrationDerivedValuesAreStable(t *testing.T) {
	// What the real API learns from the channel is derived from the
	// credential: the same token gives the same bot on any server.
	var names []string
	for range 2 {
		srv := newServer(t)
		c := accountClient(t, srv)
		app := createApp(t, c, "app")
		var ic gen.IntegrationCreate
		if err := ic.FromTelegramIntegrationCreate(gen.TelegramIntegrationCreate{Token: "test-token-not-real"}); err != nil {
			t.Fatal(err)
		}
		r, err := c.CreateIntegrationWithResponse(ctx, v1, app.ID, ic)
		wantStatus(t, r, err, http.StatusCreated)
		tg, _ := r.JSON201.Integration.AsTelegramIntegration()
		names = append(names, *tg.Username)
	}
	if names[0] != names[1] {
		t.Errorf("same token, different bots: %v", names)
	}
}

func TestIntegrationInvalidBodies(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "app")
	for body, want := range map[string]string{
		`{"type":"twilio","accountSid":"ACtest","phoneNumberSid":"PNtest"}`:                            `"authToken"`,
		`{"type":"carrier-pigeon"}`:                                                                    `"type"`,
		`{"type":"mailgun","apiKey":"k","domain":"a.example","incomingAddress":"me@b.example"}`:        "domain",
		`{"type":"messenger","pageAccessToken":"","appId":"1","appSecret":"test-app-secret-not-real"}`: "pageAccessToken",
	} {
		r, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, app.ID, "application/json", strings.NewReader(body))
		if e := wantStatus(t, r, err, http.StatusBadRequest); !strings.Contains(e.Description, want) {
			t.Errorf("%s: description %q does not mention %s", body, e.Description, want)
		}
	}
	unknown, err := c.CreateIntegrationWithBodyWithResponse(ctx, v1, "000000000000000000000000", "application/json", strings.NewReader(channelCases[0].body))
	wantStatus(t, unknown, err, http.StatusNotFound)
	list, err := c.ListIntegrationsWithResponse(ctx, v1, app.ID, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Integrations) != 0 {
		t.Errorf("invalid creates stored %d integrations", len(list.JSON200.Integrations))
	}
}

// TestCredentialsAreNeverReturned creates an integration of every channel from the contract's own request
// example and checks that no value of a property the contract marks x-smooch-secret comes back, from the
// create, the get or the list.
func TestCredentialsAreNeverReturned(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "secrets")
	doc := contract.Doc()
	op := doc.Paths.Find("/{apiVersion}/apps/{appId}/integrations").Post
	examples := op.RequestBody.Value.Content.Get("application/json").Examples
	mapping := doc.Components.Schemas["IntegrationCreate"].Value.Discriminator.Mapping
	require.NotEmpty(t, mapping)
	token := accountToken(t, srv.AccountKey())
	for channel, ref := range mapping {
		schema := doc.Components.Schemas[strings.TrimPrefix(ref.Ref, "#/components/schemas/")].Value
		example, ok := examples[channel]
		require.True(t, ok, "the contract has no request example for %s", channel)
		body := example.Value.Value.(map[string]any)
		var secrets []string
		for name, prop := range schema.Properties {
			if marked, _ := prop.Value.Extensions["x-smooch-secret"].(bool); marked {
				if v, ok := body[name].(string); ok {
					secrets = append(secrets, v)
				}
			}
		}
		if len(secrets) == 0 {
			continue // frontendEmail: nothing to keep secret
		}
		created := rawCall(t, srv, token, http.MethodPost, "/v1/apps/"+app.ID+"/integrations", body, http.StatusCreated)
		var resp struct {
			Integration struct {
				ID string `json:"_id"`
			} `json:"integration"`
		}
		require.NoError(t, json.Unmarshal(created, &resp))
		got := rawCall(t, srv, token, http.MethodGet, "/v1/apps/"+app.ID+"/integrations/"+resp.Integration.ID, nil, http.StatusOK)
		var list struct {
			Integrations []json.RawMessage `json:"integrations"`
		}
		require.NoError(t, json.Unmarshal(rawCall(t, srv, token, http.MethodGet, "/v1/apps/"+app.ID+"/integrations", nil, http.StatusOK), &list))
		var listed []byte // this integration's object in the list: others may hold look-alike values
		for _, item := range list.Integrations {
			if strings.Contains(string(item), resp.Integration.ID) {
				listed = item
			}
		}
		require.NotNil(t, listed, "%s is not listed", channel)
		for _, out := range [][]byte{created, got, listed} {
			for _, secret := range secrets {
				assert.NotContains(t, string(out), secret, "%s returns a credential", channel)
			}
		}
	}
}

// rawCall sends body as JSON with token and returns the response body, failing unless the status is want.
func rawCall(t *testing.T, srv *smoochtest.Server, token, method, path string, body any, want int) []byte {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, want, resp.StatusCode, "%s %s: %s", method, path, out)
	return out
}
