package clienttest_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// A fake PKCS#12 file: it only has to start like DER.
var fakeP12 = []byte{0x30, 0x82, 0x01, 0x02, 0xde, 0xad, 0xbe, 0xef}

// validChannels are well-formed arguments for every channel, with the body each must send.
func validChannels() []struct {
	ch   smooch.Channel
	body string
} {
	return []struct {
		ch   smooch.Channel
		body string
	}{
		{smooch.Messenger{PageAccessToken: "your_access_token", AppID: "your_fb_app_id", AppSecret: "your_fb_app_secret"},
			`{"type":"messenger","pageAccessToken":"your_access_token","appId":"your_fb_app_id","appSecret":"your_fb_app_secret"}`},
		{smooch.Twitter{ConsumerKey: "ck", ConsumerSecret: "cs", AccessTokenKey: "atk", AccessTokenSecret: "ats"},
			`{"type":"twitter","consumerKey":"ck","consumerSecret":"cs","accessTokenKey":"atk","accessTokenSecret":"ats"}`},
		{smooch.Twilio{AccountSID: "ACa1b4c65ee0722712fab89867cb14eac7", AuthToken: "160c024303f53049e1e060fd67ca6aefc", PhoneNumberSID: "PN0674df0ecee0c9819bca0ff0bc0a159e"},
			`{"type":"twilio","accountSid":"ACa1b4c65ee0722712fab89867cb14eac7","authToken":"160c024303f53049e1e060fd67ca6aefc","phoneNumberSid":"PN0674df0ecee0c9819bca0ff0bc0a159e"}`},
		{smooch.Telegram{Token: "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}, `{"type":"telegram","token":"192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}`},
		{smooch.LINE{ChannelAccessToken: "jZak8gGEYxfy1gIxk869osf2SuT6o11rtLqZQnAx9TiKE7eFXwgnnL58dtwOd1ON9e11GPTDfq+b4hson3dvvYAnAaAnbXYjj1rCUIzgxAa4xVZwGqyS+2rzpswZnGhAuMBWQxCMsF9dwztolUr01wdB04t89/1O/w1cDnyilFU=", ChannelSecret: "b85cff984b26eac4297917abd365c4d6"},
			`{"type":"line","channelAccessToken":"jZak8gGEYxfy1gIxk869osf2SuT6o11rtLqZQnAx9TiKE7eFXwgnnL58dtwOd1ON9e11GPTDfq+b4hson3dvvYAnAaAnbXYjj1rCUIzgxAa4xVZwGqyS+2rzpswZnGhAuMBWQxCMsF9dwztolUr01wdB04t89/1O/w1cDnyilFU=","channelSecret":"b85cff984b26eac4297917abd365c4d6"}`},
		{smooch.Viber{Token: "df5f8c5233399561-92636b0c5ba30da9-16d4928fc004a72d"}, `{"type":"viber","token":"df5f8c5233399561-92636b0c5ba30da9-16d4928fc004a72d"}`},
		{smooch.WeChat{AppID: "wx123", AppSecret: "160c024303f53049e1e060fd67ca6aefc"}, `{"type":"wechat","appId":"wx123","appSecret":"160c024303f53049e1e060fd67ca6aefc"}`},
		{smooch.WeChat{AppID: "wx123", AppSecret: "s", EncodingAESKey: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJK012345"},
			`{"type":"wechat","appId":"wx123","appSecret":"s","encodingAesKey":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJK012345"}`},
		{smooch.Mailgun{APIKey: "key-f265hj32f0sd897lqd2j5keb96784043", Domain: "sandbox123.mailgun.org", IncomingAddress: "mytestemail@sandbox123.mailgun.org"},
			`{"type":"mailgun","apiKey":"key-f265hj32f0sd897lqd2j5keb96784043","domain":"sandbox123.mailgun.org","incomingAddress":"mytestemail@sandbox123.mailgun.org"}`},
		{smooch.MessageBird{AccessKey: "V0oSoktDijjGiAof265hj32fh", Originator: "12262121021"}, `{"type":"messagebird","accessKey":"V0oSoktDijjGiAof265hj32fh","originator":"12262121021"}`},
		{smooch.Email{}, `{"type":"frontendEmail"}`},
		{smooch.Email{FromAddress: "support@example.com"}, `{"type":"frontendEmail","fromAddress":"support@example.com"}`},
		{smooch.APN{Certificate: fakeP12}, `{"type":"apn","certificate":"` + base64.StdEncoding.EncodeToString(fakeP12) + `"}`},
		{smooch.APN{Certificate: fakeP12, Password: "p12-password-not-real", AutoUpdateBadge: true},
			`{"type":"apn","certificate":"MIIBAt6tvu8=","password":"p12-password-not-real","autoUpdateBadge":true}`},
		{smooch.FCM{ServerKey: "AAAA_hSf4g2J2Q3zDh2DbvSh27dhKlm2", SenderID: "1429457686312"}, `{"type":"fcm","serverKey":"AAAA_hSf4g2J2Q3zDh2DbvSh27dhKlm2","senderId":"1429457686312"}`},
		{smooch.WebMessenger{}, `{"type":"web"}`},
		{smooch.WebMessenger{BrandColor: "65758e", ConversationColor: "0099FF", ActionColor: "09f", FixedIntroPane: true, DisplayStyle: smooch.DisplayStyleTab,
			ButtonIconURL: "https://acme.example.com/button.png", ButtonWidth: "58", ButtonHeight: "58", IntegrationOrder: []string{"5735ddfb48011972d621dc09"},
			BusinessName: "Acme", BusinessIconURL: "https://acme.example.com/icon.png", BackgroundImageURL: "http://acme.example.com/bg.png",
			OriginWhitelist: []string{"https://acme.example.com", "http://localhost:8080"}},
			`{"type":"web","brandColor":"65758e","conversationColor":"0099FF","actionColor":"09f","fixedIntroPane":true,"displayStyle":"tab",` +
				`"buttonIconUrl":"https://acme.example.com/button.png","buttonWidth":"58","buttonHeight":"58","integrationOrder":["5735ddfb48011972d621dc09"],` +
				`"businessName":"Acme","businessIconUrl":"https://acme.example.com/icon.png","backgroundImageUrl":"http://acme.example.com/bg.png",` +
				`"originWhitelist":["https://acme.example.com","http://localhost:8080"]}`},
		{smooch.WhatsApp{BaseURL: "https://whatsapp.acme.example.com:8443", Username: "smooch", Password: "whatsapp-password-not-real"},
			`{"type":"whatsapp","baseUrl":"https://whatsapp.acme.example.com:8443","username":"smooch","password":"whatsapp-password-not-real"}`},
		{smooch.WhatsApp{BaseURL: "http://10.0.0.5", Username: "smooch", Password: "whatsapp-password-not-real", HSMFallbackLanguage: "en_US"},
			`{"type":"whatsapp","baseUrl":"http://10.0.0.5","username":"smooch","password":"whatsapp-password-not-real","hsmFallbackLanguage":"en_US"}`},
		{smooch.Twitter{ConsumerKey: "ck", ConsumerSecret: "cs", AccessTokenKey: "atk", AccessTokenSecret: "ats", Tier: smooch.TwitterTierPremium, EnvName: "production"},
			`{"type":"twitter","consumerKey":"ck","consumerSecret":"cs","accessTokenKey":"atk","accessTokenSecret":"ats","tier":"premium","envName":"production"}`},
		{smooch.Twitter{ConsumerKey: "ck", ConsumerSecret: "cs", AccessTokenKey: "atk", AccessTokenSecret: "ats", Tier: smooch.TwitterTierEnterprise},
			`{"type":"twitter","consumerKey":"ck","consumerSecret":"cs","accessTokenKey":"atk","accessTokenSecret":"ats","tier":"enterprise"}`},
		{smooch.LINE{ChannelID: "1462776483", ChannelAccessToken: "line-token-not-real", ChannelSecret: "b85cff984b26eac4297917abd365c4d6"},
			`{"type":"line","channelId":"1462776483","channelAccessToken":"line-token-not-real","channelSecret":"b85cff984b26eac4297917abd365c4d6"}`},
		{smooch.WeChat{AppID: "wx123", AppSecret: "s", AccessTokenURL: "https://tokens.acme.example.com/wechat"},
			`{"type":"wechat","appId":"wx123","appSecret":"s","accessTokenUrl":"https://tokens.acme.example.com/wechat"}`},
		// v1.1
		{smooch.Instagram{PageAccessToken: "ig-page-token-not-real", AppID: "1674554616147204", AppSecret: "ig-app-secret-not-real", DisplayName: "Acme"},
			`{"type":"instagram","appId":"1674554616147204","appSecret":"ig-app-secret-not-real","displayName":"Acme","pageAccessToken":"ig-page-token-not-real"}`},
		{smooch.AppleBusinessChat{BusinessID: "acme", MSPID: "msp", APISecret: "apple-api-secret-not-real"},
			`{"type":"apple","apiSecret":"apple-api-secret-not-real","businessId":"acme","mspId":"msp"}`},
		{smooch.WhatsApp{DeploymentID: "5f2a3b4c5d6e7f8091a2b3c4", HSMFallbackLanguage: "en_US"},
			`{"type":"whatsapp","deploymentId":"5f2a3b4c5d6e7f8091a2b3c4","hsmFallbackLanguage":"en_US"}`},
		{smooch.LINE{ChannelAccessToken: "line-token-not-real", ChannelSecret: "line-secret-not-real", ServiceCode: "1234567",
			SwitcherSecret: "line-switcher-secret-not-real", QRCodeURL: "https://qr-official.line.me/L/acme.png"},
			`{"type":"line","channelAccessToken":"line-token-not-real","channelSecret":"line-secret-not-real","qrCodeUrl":"https://qr-official.line.me/L/acme.png","serviceCode":"1234567","switcherSecret":"line-switcher-secret-not-real"}`},
		{smooch.MessageBird{AccessKey: "mb-access-key-not-real", Originator: "12262121021", SigningKey: "mb-signing-key-not-real"},
			`{"type":"messagebird","accessKey":"mb-access-key-not-real","originator":"12262121021","signingKey":"mb-signing-key-not-real"}`},
		{smooch.Mailgun{APIKey: "key-not-real", Domain: "mg.example.com", IncomingAddress: "in@mg.example.com", FromAddress: "help@example.com", HideUnsubscribeLink: true},
			`{"type":"mailgun","apiKey":"key-not-real","domain":"mg.example.com","fromAddress":"help@example.com","hideUnsubscribeLink":true,"incomingAddress":"in@mg.example.com"}`},
		{smooch.APN{Certificate: fakeP12, Production: smooch.Ptr(true)}, `{"type":"apn","certificate":"` + base64.StdEncoding.EncodeToString(fakeP12) + `","production":true}`},
	}
}

func TestEveryChannelSendsItsDocumentedBody(t *testing.T) {
	for _, tc := range validChannels() {
		t.Run(string(tc.ch.Type()), func(t *testing.T) {
			f := newFakeAPI(t, answer(201, `{"integration":{"_id":"i1","type":"`+string(tc.ch.Type())+`"}}`))
			c := newClient(t, f, accountCreds())
			got, err := c.Integrations.Create(context.Background(), "app1", tc.ch)
			require.NoError(t, err)
			assert.Equal(t, tc.ch.Type(), got.Type)
			assert.JSONEq(t, tc.body, string(f.requests()[0].Body))
		})
	}
}

func TestChannelValidation(t *testing.T) {
	validTwilio := smooch.Twilio{AccountSID: "ACa1b4c65ee0722712fab89867cb14eac7", AuthToken: "t", PhoneNumberSID: "PN0674df0ecee0c9819bca0ff0bc0a159e"}
	withTwilio := func(edit func(*smooch.Twilio)) smooch.Twilio { v := validTwilio; edit(&v); return v }
	for _, tc := range []struct {
		ch    smooch.Channel
		want  string
		field string // when set, the ValidationError's Field
	}{
		{smooch.Messenger{AppID: "a", AppSecret: "s"}, "messenger: pageAccessToken is required", ""},
		{smooch.Messenger{PageAccessToken: "t", AppSecret: "s"}, "messenger: appId is required", ""},
		{smooch.Messenger{PageAccessToken: "t", AppID: "a"}, "messenger: appSecret is required", ""},
		{smooch.Messenger{PageAccessToken: "t ", AppID: "a", AppSecret: "s"}, "messenger: pageAccessToken has leading or trailing white space", ""},
		{smooch.Twitter{ConsumerSecret: "b", AccessTokenKey: "c", AccessTokenSecret: "d"}, "twitter: consumerKey is required", ""},
		{smooch.Twitter{ConsumerKey: "a", AccessTokenKey: "c", AccessTokenSecret: "d"}, "twitter: consumerSecret is required", ""},
		{smooch.Twitter{ConsumerKey: "a", ConsumerSecret: "b", AccessTokenSecret: "d"}, "twitter: accessTokenKey is required", ""},
		{smooch.Twitter{ConsumerKey: "a", ConsumerSecret: "b", AccessTokenKey: "c"}, "twitter: accessTokenSecret is required", ""},
		{withTwilio(func(v *smooch.Twilio) { v.AccountSID = "" }), "twilio: accountSid is required", ""},
		{withTwilio(func(v *smooch.Twilio) { v.AccountSID = "PN0674df0ecee0c9819bca0ff0bc0a159e" }), `twilio: accountSid must be "AC" and 32 hexadecimal digits, got "PN0674df0ecee0c9819bca0ff0bc0a159e"`, ""},
		{withTwilio(func(v *smooch.Twilio) { v.AuthToken = "" }), "twilio: authToken is required", ""},
		{withTwilio(func(v *smooch.Twilio) { v.PhoneNumberSID = "+15146125236" }), `twilio: phoneNumberSid must be "PN" and 32 hexadecimal digits (the phone number's SID, not the number), got "+15146125236"`, ""},
		{smooch.Telegram{}, "telegram: token is required", ""},
		{smooch.Telegram{Token: "AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}, `telegram: token must be a bot token like "123456789:AAE…" from BotFather`, ""},
		{smooch.LINE{ChannelSecret: "s"}, "line: channelAccessToken is required", ""},
		{smooch.LINE{ChannelAccessToken: "t"}, "line: channelSecret is required", ""},
		{smooch.Viber{}, "viber: token is required", ""},
		{smooch.WeChat{AppSecret: "s"}, "wechat: appId is required", ""},
		{smooch.WeChat{AppID: "a"}, "wechat: appSecret is required", ""},
		{smooch.WeChat{AppID: "a", AppSecret: "s", EncodingAESKey: "short"}, "wechat: encodingAesKey must be 43 letters and digits", ""},
		{smooch.Mailgun{Domain: "mg.example.com", IncomingAddress: "a@mg.example.com"}, "mailgun: apiKey is required", ""},
		{smooch.Mailgun{APIKey: "k", IncomingAddress: "a@mg.example.com"}, "mailgun: domain is required", ""},
		{smooch.Mailgun{APIKey: "k", Domain: "mg.example.com"}, "mailgun: incomingAddress is required", ""},
		{smooch.Mailgun{APIKey: "k", Domain: "https://mg.example.com", IncomingAddress: "a@mg.example.com"}, `mailgun: domain must be a domain name like "mg.example.com", got "https://mg.example.com"`, ""},
		{smooch.Mailgun{APIKey: "k", Domain: "mg.example.com", IncomingAddress: "support"}, `mailgun: incomingAddress must be a bare email address like "support@mg.example.com", got "support"`, ""},
		{smooch.Mailgun{APIKey: "k", Domain: "mg.example.com", IncomingAddress: "Support <a@mg.example.com>"}, "mailgun: incomingAddress must be a bare email address", ""},
		{smooch.Mailgun{APIKey: "k", Domain: "mg.example.com", IncomingAddress: "support@example.com"}, `mailgun: incomingAddress must be an address on domain "mg.example.com", got "support@example.com"`, ""},
		{smooch.MessageBird{Originator: "12262121021"}, "messagebird: accessKey is required", ""},
		{smooch.MessageBird{AccessKey: "k"}, "messagebird: originator is required", ""},
		{smooch.MessageBird{AccessKey: "k", Originator: "Smooch"}, `messagebird: originator must be a phone number: 3 to 15 digits, optionally after a +, got "Smooch"`, ""},
		{smooch.Email{FromAddress: "not an address"}, `frontendEmail: fromAddress must be an email address, got "not an address"`, ""},
		{smooch.APN{}, "apn: certificate is required: the .p12 file's bytes", ""},
		{smooch.APN{Certificate: []byte(base64.StdEncoding.EncodeToString(fakeP12))}, "apn: certificate must be the raw .p12 (PKCS#12) file's bytes", ""},
		{smooch.FCM{SenderID: "1"}, "fcm: serverKey is required", ""},
		{smooch.FCM{ServerKey: "k"}, "fcm: senderId is required", ""},
		{smooch.FCM{ServerKey: "k", SenderID: "sender-1"}, `fcm: senderId must be digits, got "sender-1"`, ""},

		// The 2018 channels and arguments.
		{smooch.WebMessenger{BrandColor: "#0099ff"}, `web: brandColor must be 3 or 6 hexadecimal digits without #, like "0099ff", got "#0099ff"`, "brandColor"},
		{smooch.WebMessenger{ConversationColor: "0099f"}, `web: conversationColor must be 3 or 6 hexadecimal digits`, "conversationColor"},
		{smooch.WebMessenger{ActionColor: "blue"}, `web: actionColor must be 3 or 6 hexadecimal digits`, "actionColor"},
		{smooch.WebMessenger{DisplayStyle: "bubble"}, `web: displayStyle must be "button" or "tab", got "bubble"`, "displayStyle"},
		{smooch.WebMessenger{OriginWhitelist: []string{"https://acme.example.com", "https://acme.example.com/chat"}},
			`web: originWhitelist[1] must be an origin scheme://host[:port] with scheme http or https (no path), like "https://example.com", got "https://acme.example.com/chat"`, "originWhitelist[1]"},
		{smooch.WebMessenger{OriginWhitelist: []string{"ftp://acme.example.com"}}, `web: originWhitelist[0] must be an origin`, "originWhitelist[0]"},
		{smooch.WebMessenger{OriginWhitelist: []string{"acme.example.com"}}, `web: originWhitelist[0] must be an origin`, "originWhitelist[0]"},
		{smooch.WebMessenger{OriginWhitelist: []string{"https://acme.example.com:443333"}}, `web: originWhitelist[0] must be an origin`, "originWhitelist[0]"},
		{smooch.WebMessenger{ButtonIconURL: "icon.png"}, `web: buttonIconUrl must be an absolute http or https URL, got "icon.png"`, "buttonIconUrl"},
		{smooch.WebMessenger{BusinessIconURL: "ftp://acme.example.com/icon.png"}, `web: businessIconUrl must be an absolute http or https URL`, "businessIconUrl"},
		{smooch.WebMessenger{BackgroundImageURL: "https:///bg.png"}, `web: backgroundImageUrl must be an absolute http or https URL`, "backgroundImageUrl"},
		{smooch.WebMessenger{IntegrationOrder: []string{""}}, `web: integrationOrder[0] must be an integration id, got ""`, "integrationOrder[0]"},
		{smooch.WebMessenger{BusinessName: "Acme "}, `web: businessName has leading or trailing white space`, "businessName"},
		{smooch.WebMessenger{ButtonWidth: " 58"}, `web: buttonWidth has leading or trailing white space`, "buttonWidth"},
		{smooch.WebMessenger{ButtonHeight: "58\n"}, `web: buttonHeight has leading or trailing white space`, "buttonHeight"},
		{smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: "u", Password: "p", HSMFallbackLanguage: "en_US "},
			`whatsapp: hsmFallbackLanguage has leading or trailing white space`, "hsmFallbackLanguage"},
		{smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: " u", Password: "p"}, `whatsapp: username has leading or trailing white space`, "username"},
		{smooch.WhatsApp{Username: "u", Password: "p"}, "whatsapp: baseUrl is required", "baseUrl"},
		{smooch.WhatsApp{BaseURL: "https://wa.example.com", Password: "p"}, "whatsapp: username is required", "username"},
		{smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: "u"}, "whatsapp: password is required", "password"},
		{smooch.WhatsApp{BaseURL: "wa.example.com:8443", Username: "u", Password: "p"}, `whatsapp: baseUrl must be an absolute http or https URL, got "wa.example.com:8443"`, "baseUrl"},
		{smooch.WhatsApp{BaseURL: "ftp://wa.example.com", Username: "u", Password: "p"}, `whatsapp: baseUrl must be an absolute http or https URL`, "baseUrl"},
		{smooch.WhatsApp{BaseURL: "/v1", Username: "u", Password: "p"}, `whatsapp: baseUrl must be an absolute http or https URL`, "baseUrl"},
		{smooch.Twitter{ConsumerKey: "a", ConsumerSecret: "b", AccessTokenKey: "c", AccessTokenSecret: "d", Tier: "gold"}, `twitter: tier must be "premium" or "enterprise", got "gold"`, "tier"},
		{smooch.Twitter{ConsumerKey: "a", ConsumerSecret: "b", AccessTokenKey: "c", AccessTokenSecret: "d", Tier: smooch.TwitterTierPremium},
			`twitter: envName is required when tier is "premium"`, "envName"},
		{smooch.Twitter{ConsumerKey: "a", ConsumerSecret: "b", AccessTokenKey: "c", AccessTokenSecret: "d", Tier: smooch.TwitterTierPremium, EnvName: "prod "},
			`twitter: envName has leading or trailing white space`, "envName"},
		{smooch.LINE{ChannelAccessToken: "t", ChannelSecret: "s", ChannelID: "channel-1"}, `line: channelId must be digits, got "channel-1"`, "channelId"},
		{smooch.WeChat{AppID: "a", AppSecret: "s", AccessTokenURL: "tokens.example.com"}, `wechat: accessTokenUrl must be an absolute http or https URL, got "tokens.example.com"`, "accessTokenUrl"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			f := newFakeAPI(t, answer(201, `{}`))
			c := newClient(t, f, accountCreds())
			_, err := c.Integrations.Create(context.Background(), "app1", tc.ch)
			var ve *smooch.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, string(tc.ch.Type()), ve.Subject, "the error names the channel")
			if tc.field != "" {
				assert.Equal(t, tc.field, ve.Field, "the error names the field")
			}
			assert.Contains(t, err.Error(), "smooch: "+tc.want)
			assert.Equal(t, err, tc.ch.Validate(), "Validate reports the same")
			assert.Zero(t, f.count(), "no request is sent")
		})
	}
}

func TestValidationErrorsNeverEchoSecrets(t *testing.T) {
	err := smooch.Telegram{Token: "secret-token-not-real"}.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-token-not-real")
	err = smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: "u", Password: " secret-password-not-real"}.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-password-not-real")
}

// TestChannelsPrintRedacted shows the printed form; TestEverySecretOfTheContractIsRedacted covers every
// credential of every channel in every output.
func TestChannelsPrintRedacted(t *testing.T) {
	twilio := smooch.Twilio{AccountSID: "ACa1b4c65ee0722712fab89867cb14eac7", AuthToken: "x", PhoneNumberSID: "PN0674df0ecee0c9819bca0ff0bc0a159e"}
	assert.Equal(t, `smooch.Twilio{AccountSID:"ACa1b4c65ee0722712fab89867cb14eac7", AuthToken:"REDACTED", DisplayName:"", PhoneNumberSID:"PN0674df0ecee0c9819bca0ff0bc0a159e"}`,
		fmt.Sprintf("%#v", twilio))
	assert.JSONEq(t, `{"accountSid":"ACa1b4c65ee0722712fab89867cb14eac7","authToken":"REDACTED","phoneNumberSid":"PN0674df0ecee0c9819bca0ff0bc0a159e"}`, mustJSON(t, twilio))
	assert.Equal(t, `{DisplayName: Token:REDACTED}`, fmt.Sprint(smooch.Telegram{Token: "x"}))
	assert.Equal(t, `{DisplayName: Token:}`, fmt.Sprint(smooch.Telegram{}), "an empty secret shows as empty")
	assert.JSONEq(t, `{"certificate":null,"password":"REDACTED"}`, mustJSON(t, smooch.APN{Certificate: fakeP12, Password: "p"}))
}
