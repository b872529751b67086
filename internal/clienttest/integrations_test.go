package clienttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// TestDocumentedIntegrationResponsesDecode decodes each channel's documented createIntegration response into
// its typed channel value.
func TestDocumentedIntegrationResponsesDecode(t *testing.T) {
	for _, tc := range []struct {
		json  string
		check func(t *testing.T, ch any)
	}{
		{`{"_id":"582dedf230e788746891281a","type":"messenger","pageId":"841556169307254","appId":"1674554616147204"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "841556169307254", ch.(*smooch.MessengerIntegration).PageID)
		}},
		{`{"_id":"58ecfde7e2aa9fda95fa122c","type":"twitter","userId":"0000000000","username":"Mike Mikeson","accessTokenKey":"your_access_token_key","consumerKey":"your_consumer_key"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "Mike Mikeson", ch.(*smooch.TwitterIntegration).Username)
		}},
		{`{"_id":"5735ddf948011972d621dc08","type":"twilio","phoneNumberSid":"PN0674df0ecee0c9819bca0ff0bc0a159e","phoneNumber":"+15146125236","name":"Mike's Account","accountSid":"ACa1b4c65ee0722712fab89867cb14eac7"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "Mike's Account", ch.(*smooch.TwilioIntegration).Name)
		}},
		{`{"_id":"5735ddfb48011972d621dc09","type":"telegram","username":"mikes_smooch_bot"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "mikes_smooch_bot", ch.(*smooch.TelegramIntegration).Username)
		}},
		{`{"_id":"5735ddfd48011972d621dc0a","type":"line","botName":"Mike Bot"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "Mike Bot", ch.(*smooch.LINEIntegration).BotName)
		}},
		{`{"_id":"5818fa177682fcb51368635d","type":"viber","uri":"MikesBusiness"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "MikesBusiness", ch.(*smooch.ViberIntegration).URI)
		}},
		{`{"_id":"5735ddfd48011972d621dc0a","type":"wechat","appId":"c69175d6d125b772b","webhookSecret":"3889794ab2fd4a70940a97c4b4a6372e"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "3889794ab2fd4a70940a97c4b4a6372e", ch.(*smooch.WeChatIntegration).WebhookSecret)
		}},
		{`{"type":"mailgun","domain":"sandbox123.mailgun.org","incomingAddress":"mytestemail@sandbox123.mailgun.org","_id":"58adf047b90af0f747cff1d2"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "sandbox123.mailgun.org", ch.(*smooch.MailgunIntegration).Domain)
		}},
		{`{"type":"messagebird","webhookSecret":"72ade38394d1da51566cede33bd1e67e","originator":"12262121021","_id":"594850b82e4a8e5e04ef2a11"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "12262121021", ch.(*smooch.MessageBirdIntegration).Originator)
		}},
		{`{"_id":"5735ddfd48011972d621dc0a","type":"frontendEmail","shortId":"tki1106","smoochAddress":"app.tki1106@mail.smooch.io"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "app.tki1106@mail.smooch.io", ch.(*smooch.EmailIntegration).SmoochAddress)
		}},
		{`{"type":"apn","_id":"58878a8842fadcdb7b70b74c","production":false,"autoUpdateBadge":false}`, func(t *testing.T, ch any) {
			assert.False(t, ch.(*smooch.APNIntegration).Production)
		}},
		{`{"_id":"5876a3d4abf286d0c0af1467","type":"fcm","senderId":"1429457686312"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "1429457686312", ch.(*smooch.FCMIntegration).SenderID)
		}},
		{`{"_id":"5b1f3e4a8f7d9c0012a3b4c5","type":"web","status":"active","brandColor":"65758e","fixedIntroPane":false,"displayStyle":"button","originWhitelist":["https://acme.example.com"]}`, func(t *testing.T, ch any) {
			web := ch.(*smooch.WebMessengerIntegration)
			assert.Equal(t, "65758e", web.BrandColor)
			assert.Equal(t, smooch.DisplayStyleButton, web.DisplayStyle)
			assert.Equal(t, []string{"https://acme.example.com"}, web.OriginWhitelist)
			assert.Equal(t, smooch.IntegrationStatusActive, web.Status)
		}},
		{`{"_id":"5b1f3e4a8f7d9c0012a3b4c6","type":"whatsapp","status":"active","baseUrl":"https://whatsapp.acme.example.com:8443","username":"smooch","hsmFallbackLanguage":"en_US"}`, func(t *testing.T, ch any) {
			wa := ch.(*smooch.WhatsAppIntegration)
			assert.Equal(t, "https://whatsapp.acme.example.com:8443", wa.BaseURL)
			assert.Equal(t, "smooch", wa.Username)
			assert.Equal(t, "en_US", wa.HSMFallbackLanguage)
		}},
		{`{"_id":"5b1f3e4a8f7d9c0012a3b4c7","type":"wechat","appId":"wx4d7c9e1a2b3f5a6c","accessTokenUrl":"https://tokens.acme.example.com/wechat"}`, func(t *testing.T, ch any) {
			assert.Equal(t, "https://tokens.acme.example.com/wechat", ch.(*smooch.WeChatIntegration).AccessTokenURL)
		}},
	} {
		var head struct{ ID, Type string }
		require.NoError(t, json.Unmarshal([]byte(tc.json), &struct {
			ID   *string `json:"_id"`
			Type *string `json:"type"`
		}{&head.ID, &head.Type}))
		t.Run(head.Type, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{"integration":`+tc.json+`}`))
			c := newClient(t, f, accountCreds())
			i, err := c.Integrations.Get(context.Background(), "app", head.ID)
			require.NoError(t, err)
			assert.Equal(t, head.ID, i.ID)
			assert.Equal(t, smooch.IntegrationType(head.Type), i.Type)
			tc.check(t, i.Channel())
			raw, err := json.Marshal(i)
			require.NoError(t, err)
			assert.JSONEq(t, mustJSON(t, i.Channel()), string(raw), "MarshalJSON encodes the channel's details")
			assert.NotContains(t, string(raw), "3889794ab2fd4a70940a97c4b4a6372e", "credentials redacted")
			assert.NotContains(t, string(raw), "72ade38394d1da51566cede33bd1e67e", "credentials redacted")
		})
	}
}

func TestUnknownIntegrationTypeDecodesGenerically(t *testing.T) {
	const future = `{"_id":"i9","type":"android","phoneNumber":"+15551234567","nested":{"a":[1,null]}}`
	f := newFakeAPI(t, answer(200, `{"integrations":[`+future+`,{"_id":"i1","type":"telegram","username":null,"unknownField":1}]}`))
	c := newClient(t, f, accountCreds())
	list, err := c.Integrations.List(context.Background(), "app", nil)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "i9", list[0].ID)
	unknown, ok := list[0].Channel().(*smooch.UnknownIntegration)
	require.True(t, ok, "got %T", list[0].Channel())
	assert.Equal(t, "i9", unknown.ID, "an unknown channel has an ID like the known ones")
	assert.Equal(t, smooch.IntegrationType("android"), unknown.Type)
	assert.JSONEq(t, future, string(unknown.Raw))
	assert.JSONEq(t, future, mustJSON(t, list[0]), "an unknown channel encodes as received")

	tg := list[1].Channel().(*smooch.TelegramIntegration)
	assert.Empty(t, tg.Username, "null decodes as absent")
	assert.Equal(t, "", f.requests()[0].RawQuery, "no types filter when none given")
}

func TestIntegrationWithoutTypeIsAnError(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"integration":{"_id":"i1"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Integrations.Get(context.Background(), "app", "i1")
	assert.EqualError(t, err, `smooch: Integrations.Get: decoding the response: smooch: an integration without a type (id "i1")`)
}

func TestIntegrationUnmarshalJSONAndPrinting(t *testing.T) {
	var i smooch.Integration
	require.NoError(t, json.Unmarshal([]byte(`{"_id":"i1","type":"wechat","webhookSecret":"wechat-secret-not-real"}`), &i))
	assert.Equal(t, smooch.IntegrationTypeWeChat, i.Type)
	assert.IsType(t, &smooch.WeChatIntegration{}, i.Channel())
	assert.Equal(t, `smooch.Integration{ID:"i1", Type:"wechat", Status:"", Error:"", Channel:smooch.WeChatIntegration{ID:"i1", AccessTokenURL:"", AppID:"", DisplayName:"", Error:"", Status:"", Type:"wechat", WebhookSecret:"REDACTED"}}`, fmt.Sprintf("%#v", i))
	out := fmt.Sprintf("%v %+v %#v", i, i, i)
	assert.NotContains(t, out, "wechat-secret-not-real")
	assert.Contains(t, out, "i1")
}

// TestIntegrationStatusAndError: every integration's status and error are read with its id and type, whatever
// its channel (an unknown one included), and absent in the answers of the API before 2018.
func TestIntegrationStatusAndError(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"integrations":[
		{"_id":"i1","type":"telegram","status":"error","error":"Telegram refused the bot token","username":"acme_bot"},
		{"_id":"i2","type":"whatsapp","status":"inactive","baseUrl":"https://wa.example.com","username":"smooch"},
		{"_id":"i3","type":"android","status":"active"},
		{"_id":"i4","type":"viber","uri":"acme"}]}`))
	c := newClient(t, f, accountCreds())
	list, err := c.Integrations.List(context.Background(), "app", nil)
	require.NoError(t, err)
	require.Len(t, list, 4)

	assert.Equal(t, smooch.IntegrationStatusError, list[0].Status)
	assert.Equal(t, "Telegram refused the bot token", list[0].Error)
	assert.Equal(t, list[0].Error, list[0].Channel().(*smooch.TelegramIntegration).Error, "the channel's model has it too")
	assert.Equal(t, smooch.IntegrationStatusInactive, list[1].Status)
	assert.Empty(t, list[1].Error)
	assert.Equal(t, smooch.IntegrationStatusActive, list[2].Status, "an unknown channel has a status too")
	assert.IsType(t, &smooch.UnknownIntegration{}, list[2].Channel())
	assert.Equal(t, smooch.IntegrationStatus(""), list[3].Status, "absent: the API did not say")

	assert.Contains(t, fmt.Sprint(list[0]), "Status:error Error:Telegram refused the bot token")
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("integration", "i", list[0])
	assert.Contains(t, logged.String(), "i.Status=error")
	assert.Contains(t, logged.String(), `i.Error="Telegram refused the bot token"`)
}
