package smooch

import (
	"encoding/base64"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/smoochkit/smooch-go/gen"
)

// Channel holds the arguments of a new integration, one type per messaging channel: Messenger, Twitter, Twilio,
// Telegram, LINE, Viber, WeChat, Mailgun, MessageBird, Email, APN and FCM. Pass one to Integrations.Create.
//
// Each checks its arguments before anything is sent: a missing or malformed one is a *ValidationError naming
// the channel and the field. Credential fields never print nor log: %v, %+v, %#v and slog show REDACTED.
type Channel interface {
	// Type is the channel's integration type, e.g. IntegrationTypeTelegram.
	Type() IntegrationType
	// Validate reports the first missing or malformed argument as a *ValidationError.
	Validate() error
	// body builds the request body; the interface is closed to this package's channels.
	body() (gen.IntegrationCreate, error)
}

// Messenger is a Facebook Messenger integration. The Facebook app must be approved for manage_pages and
// pages_messaging.
type Messenger struct {
	PageAccessToken string // a Facebook Page Access Token (secret)
	AppID           string // the Facebook App ID
	AppSecret       string // the Facebook App Secret (secret)
}

// Twitter is a Twitter DM integration. The Twitter app must be whitelisted for the Account Activity API.
type Twitter struct {
	ConsumerKey       string // the consumer key of your Twitter app
	ConsumerSecret    string // its consumer secret (secret)
	AccessTokenKey    string // the access token key obtained from your user via OAuth
	AccessTokenSecret string // the access token secret obtained from your user via OAuth (secret)
}

// Twilio is a Twilio SMS integration.
type Twilio struct {
	AccountSID     string // the Twilio Account SID: "AC" and 32 hexadecimal digits
	AuthToken      string // the Twilio Auth Token (secret)
	PhoneNumberSID string // the SID of the phone number: "PN" and 32 hexadecimal digits
}

// Telegram is a Telegram bot integration.
type Telegram struct {
	Token string // the bot token from BotFather, "123456789:AA…" (secret)
}

// LINE is a LINE integration. Point the bot's Callback URL at https://app.smooch.io:443/api/line/webhooks/{appId}
// first.
type LINE struct {
	ChannelAccessToken string // the LINE Channel Access Token (secret)
	ChannelSecret      string // the LINE Channel Secret (secret)
}

// Viber is a Viber Public Account integration.
type Viber struct {
	Token string // the Viber Public Account token (secret)
}

// WeChat is a WeChat integration. WeChat only forwards messages once its dashboard points at Smooch: after
// creating the integration, set the dashboard's URL to https://app.smooch.io/api/wechat/webhooks/{appId} and
// its Token to the returned WeChatIntegration's WebhookSecret.
type WeChat struct {
	AppID          string // the WeChat App ID
	AppSecret      string // the WeChat App Secret (secret)
	EncodingAESKey string // optional: the 43 character AES encoding key (secret)
}

// Mailgun is a Mailgun email integration.
type Mailgun struct {
	APIKey          string // the API key of your Mailgun account (secret)
	Domain          string // the domain relaying email, configured and verified in Mailgun, e.g. "mg.example.com"
	IncomingAddress string // the address Smooch receives email at, on Domain, e.g. "support@mg.example.com"
}

// MessageBird is a MessageBird SMS integration. Incoming messages reach Smooch only through a MessageBird
// flow: after creating the integration, make the number's flow forward (POST) to
// https://app.smooch.io/api/messagebird/webhooks/{appId}/{integrationId}/{webhookSecret}, with the returned
// MessageBirdIntegration's ID and WebhookSecret.
type MessageBird struct {
	AccessKey  string // the API access key of your MessageBird account (secret)
	Originator string // the phone number Smooch receives messages at, digits with an optional leading +
}

// Email is Smooch's own email integration (type frontendEmail): Smooch gives the app an address.
type Email struct {
	FromAddress string // optional: the address email appears to come from
}

// APN is an Apple Push Notification integration.
type APN struct {
	Certificate     []byte // the .p12 certificate file's bytes (not base64: it is encoded for you) (secret)
	Password        string // the certificate's password, if any (secret)
	AutoUpdateBadge bool   // use the conversation's unread count as the application badge
}

// FCM is a Firebase Cloud Messaging integration.
type FCM struct {
	ServerKey string // the server key from the FCM console (secret)
	SenderID  string // the sender id from the FCM console, digits
}

// Type implements Channel.
func (Messenger) Type() IntegrationType { return IntegrationTypeMessenger }

// Type implements Channel.
func (Twitter) Type() IntegrationType { return IntegrationTypeTwitter }

// Type implements Channel.
func (Twilio) Type() IntegrationType { return IntegrationTypeTwilio }

// Type implements Channel.
func (Telegram) Type() IntegrationType { return IntegrationTypeTelegram }

// Type implements Channel.
func (LINE) Type() IntegrationType { return IntegrationTypeLINE }

// Type implements Channel.
func (Viber) Type() IntegrationType { return IntegrationTypeViber }

// Type implements Channel.
func (WeChat) Type() IntegrationType { return IntegrationTypeWeChat }

// Type implements Channel.
func (Mailgun) Type() IntegrationType { return IntegrationTypeMailgun }

// Type implements Channel.
func (MessageBird) Type() IntegrationType { return IntegrationTypeMessageBird }

// Type implements Channel.
func (Email) Type() IntegrationType { return IntegrationTypeFrontendEmail }

// Type implements Channel.
func (APN) Type() IntegrationType { return IntegrationTypeAPN }

// Type implements Channel.
func (FCM) Type() IntegrationType { return IntegrationTypeFCM }

var (
	twilioAccountSID = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	twilioNumberSID  = regexp.MustCompile(`^PN[0-9a-fA-F]{32}$`)
	telegramToken    = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	phoneNumber      = regexp.MustCompile(`^\+?[0-9]{3,15}$`)
	digits           = regexp.MustCompile(`^[0-9]+$`)
	wechatAESKey     = regexp.MustCompile(`^[A-Za-z0-9]{43}$`)
	domainName       = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
)

func invalid(ch Channel, field, format string, args ...any) error {
	return &ValidationError{Subject: string(ch.Type()), Field: field, Problem: fmt.Sprintf(format, args...)}
}

// required checks a mandatory string argument: present, and without the white space of a bad copy and paste.
func required(ch Channel, field, value string) error {
	if value == "" {
		return invalid(ch, field, "is required")
	}
	if strings.TrimSpace(value) != value {
		return invalid(ch, field, "has leading or trailing white space")
	}
	return nil
}

// shaped checks a mandatory argument against a pattern; it never echoes secrets.
func shaped(ch Channel, field, value string, pattern *regexp.Regexp, want string, echo bool) error {
	if err := required(ch, field, value); err != nil {
		return err
	}
	if !pattern.MatchString(value) {
		if echo {
			return invalid(ch, field, "must be %s, got %q", want, value)
		}
		return invalid(ch, field, "must be %s", want)
	}
	return nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Validate implements Channel.
func (m Messenger) Validate() error {
	return firstError(required(m, "pageAccessToken", m.PageAccessToken), required(m, "appId", m.AppID), required(m, "appSecret", m.AppSecret))
}

// Validate implements Channel.
func (t Twitter) Validate() error {
	return firstError(required(t, "consumerKey", t.ConsumerKey), required(t, "consumerSecret", t.ConsumerSecret),
		required(t, "accessTokenKey", t.AccessTokenKey), required(t, "accessTokenSecret", t.AccessTokenSecret))
}

// Validate implements Channel.
func (t Twilio) Validate() error {
	return firstError(
		shaped(t, "accountSid", t.AccountSID, twilioAccountSID, `"AC" and 32 hexadecimal digits`, true),
		required(t, "authToken", t.AuthToken),
		shaped(t, "phoneNumberSid", t.PhoneNumberSID, twilioNumberSID, `"PN" and 32 hexadecimal digits (the phone number's SID, not the number)`, true))
}

// Validate implements Channel.
func (t Telegram) Validate() error {
	return shaped(t, "token", t.Token, telegramToken, `a bot token like "123456789:AAE…" from BotFather`, false)
}

// Validate implements Channel.
func (l LINE) Validate() error {
	return firstError(required(l, "channelAccessToken", l.ChannelAccessToken), required(l, "channelSecret", l.ChannelSecret))
}

// Validate implements Channel.
func (v Viber) Validate() error { return required(v, "token", v.Token) }

// Validate implements Channel.
func (w WeChat) Validate() error {
	err := firstError(required(w, "appId", w.AppID), required(w, "appSecret", w.AppSecret))
	if err == nil && w.EncodingAESKey != "" && !wechatAESKey.MatchString(w.EncodingAESKey) {
		err = invalid(w, "encodingAesKey", "must be 43 letters and digits")
	}
	return err
}

// Validate implements Channel.
func (m Mailgun) Validate() error {
	if err := firstError(required(m, "apiKey", m.APIKey), required(m, "domain", m.Domain), required(m, "incomingAddress", m.IncomingAddress)); err != nil {
		return err
	}
	if !domainName.MatchString(m.Domain) {
		return invalid(m, "domain", "must be a domain name like \"mg.example.com\", got %q", m.Domain)
	}
	addr, err := mail.ParseAddress(m.IncomingAddress)
	if err != nil || addr.Address != m.IncomingAddress {
		return invalid(m, "incomingAddress", "must be a bare email address like \"support@%s\", got %q", m.Domain, m.IncomingAddress)
	}
	at := strings.LastIndexByte(addr.Address, '@')
	if !strings.EqualFold(addr.Address[at+1:], m.Domain) {
		return invalid(m, "incomingAddress", "must be an address on domain %q, got %q", m.Domain, m.IncomingAddress)
	}
	return nil
}

// Validate implements Channel.
func (m MessageBird) Validate() error {
	return firstError(required(m, "accessKey", m.AccessKey),
		shaped(m, "originator", m.Originator, phoneNumber, "a phone number: 3 to 15 digits, optionally after a +", true))
}

// Validate implements Channel.
func (e Email) Validate() error {
	if e.FromAddress == "" {
		return nil
	}
	if _, err := mail.ParseAddress(e.FromAddress); err != nil {
		return invalid(e, "fromAddress", "must be an email address, got %q", e.FromAddress)
	}
	return nil
}

// Validate implements Channel.
func (a APN) Validate() error {
	if len(a.Certificate) == 0 {
		return invalid(a, "certificate", "is required: the .p12 file's bytes")
	}
	// A PKCS#12 file is a DER SEQUENCE: its first byte is 0x30. Base64 or PEM text starts with a letter or
	// a dash, the mistake of passing an already encoded certificate.
	if a.Certificate[0] != 0x30 {
		return invalid(a, "certificate", "must be the raw .p12 (PKCS#12) file's bytes; this looks like text (already base64 or PEM?)")
	}
	return nil
}

// Validate implements Channel.
func (f FCM) Validate() error {
	return firstError(required(f, "serverKey", f.ServerKey), shaped(f, "senderId", f.SenderID, digits, "digits", true))
}

// build validates ch and builds its body with the generated From… method, which writes the right type.
func build[T any](ch Channel, v T, from func(*gen.IntegrationCreate, T) error) (gen.IntegrationCreate, error) {
	var body gen.IntegrationCreate
	if err := ch.Validate(); err != nil {
		return body, err
	}
	if err := from(&body, v); err != nil {
		return body, fmt.Errorf("smooch: %s: encoding the integration: %w", ch.Type(), err)
	}
	return body, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (m Messenger) body() (gen.IntegrationCreate, error) {
	return build(m, gen.MessengerIntegrationCreate{PageAccessToken: m.PageAccessToken, AppID: m.AppID, AppSecret: m.AppSecret},
		(*gen.IntegrationCreate).FromMessengerIntegrationCreate)
}

func (t Twitter) body() (gen.IntegrationCreate, error) {
	return build(t, gen.TwitterIntegrationCreate{ConsumerKey: t.ConsumerKey, ConsumerSecret: t.ConsumerSecret,
		AccessTokenKey: t.AccessTokenKey, AccessTokenSecret: t.AccessTokenSecret},
		(*gen.IntegrationCreate).FromTwitterIntegrationCreate)
}

func (t Twilio) body() (gen.IntegrationCreate, error) {
	return build(t, gen.TwilioIntegrationCreate{AccountSID: t.AccountSID, AuthToken: t.AuthToken, PhoneNumberSID: t.PhoneNumberSID},
		(*gen.IntegrationCreate).FromTwilioIntegrationCreate)
}

func (t Telegram) body() (gen.IntegrationCreate, error) {
	return build(t, gen.TelegramIntegrationCreate{Token: t.Token}, (*gen.IntegrationCreate).FromTelegramIntegrationCreate)
}

func (l LINE) body() (gen.IntegrationCreate, error) {
	return build(l, gen.LINEIntegrationCreate{ChannelAccessToken: l.ChannelAccessToken, ChannelSecret: l.ChannelSecret},
		(*gen.IntegrationCreate).FromLINEIntegrationCreate)
}

func (v Viber) body() (gen.IntegrationCreate, error) {
	return build(v, gen.ViberIntegrationCreate{Token: v.Token}, (*gen.IntegrationCreate).FromViberIntegrationCreate)
}

func (w WeChat) body() (gen.IntegrationCreate, error) {
	return build(w, gen.WeChatIntegrationCreate{AppID: w.AppID, AppSecret: w.AppSecret, EncodingAESKey: optional(w.EncodingAESKey)},
		(*gen.IntegrationCreate).FromWeChatIntegrationCreate)
}

func (m Mailgun) body() (gen.IntegrationCreate, error) {
	return build(m, gen.MailgunIntegrationCreate{APIKey: m.APIKey, Domain: m.Domain, IncomingAddress: m.IncomingAddress},
		(*gen.IntegrationCreate).FromMailgunIntegrationCreate)
}

func (m MessageBird) body() (gen.IntegrationCreate, error) {
	return build(m, gen.MessageBirdIntegrationCreate{AccessKey: m.AccessKey, Originator: m.Originator},
		(*gen.IntegrationCreate).FromMessageBirdIntegrationCreate)
}

func (e Email) body() (gen.IntegrationCreate, error) {
	return build(e, gen.FrontendEmailIntegrationCreate{FromAddress: optional(e.FromAddress)},
		(*gen.IntegrationCreate).FromFrontendEmailIntegrationCreate)
}

func (a APN) body() (gen.IntegrationCreate, error) {
	v := gen.APNIntegrationCreate{Certificate: base64.StdEncoding.EncodeToString(a.Certificate), Password: optional(a.Password)}
	if a.AutoUpdateBadge {
		v.AutoUpdateBadge = &a.AutoUpdateBadge
	}
	return build(a, v, (*gen.IntegrationCreate).FromAPNIntegrationCreate)
}

func (f FCM) body() (gen.IntegrationCreate, error) {
	return build(f, gen.FCMIntegrationCreate{ServerKey: f.ServerKey, SenderID: f.SenderID}, (*gen.IntegrationCreate).FromFCMIntegrationCreate)
}
