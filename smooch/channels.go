package smooch

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Channel is the arguments of a new integration, one type per messaging channel: Messenger, Twitter, Twilio,
// Telegram, LINE, Viber, WeChat, Mailgun, MessageBird, Email, APN, FCM, WebMessenger, WhatsApp, and since v1.1
// Instagram and AppleBusinessChat. Pass one to Integrations.Create.
// The set is closed: only this package's channel types implement Channel.
//
// Each checks its arguments before anything is sent: a missing or malformed one is a *ValidationError naming
// the channel and the field. Credential fields never print, log nor encode as JSON: %v, %+v, %#v, slog and
// json.Marshal show REDACTED.
type Channel interface {
	// Type is the channel's integration type, e.g. IntegrationTypeTelegram.
	Type() IntegrationType
	// Validate reports the first missing or malformed argument as a *ValidationError.
	Validate() error
	// fields is the channel's arguments as their generated type without methods, so that encoding them for
	// the request does not redact them.
	fields() any
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

// Type implements Channel.
func (WebMessenger) Type() IntegrationType { return IntegrationTypeWeb }

// Type implements Channel.
func (WhatsApp) Type() IntegrationType { return IntegrationTypeWhatsApp }

// Type implements Channel.
func (Instagram) Type() IntegrationType { return IntegrationTypeInstagram }

// Type implements Channel.
func (AppleBusinessChat) Type() IntegrationType { return IntegrationTypeAppleBusinessChat }

var (
	twilioAccountSID = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	twilioNumberSID  = regexp.MustCompile(`^PN[0-9a-fA-F]{32}$`)
	telegramToken    = matchFunc(isTelegramToken)
	phoneNumber      = regexp.MustCompile(`^\+?[0-9]{3,15}$`)
	e164             = regexp.MustCompile(`^\+[0-9]{7,15}$`)
	digits           = regexp.MustCompile(`^[0-9]+$`)
	wechatAESKey     = regexp.MustCompile(`^[A-Za-z0-9]{43}$`)
	domainName       = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
	// The contract's patterns for a Web Messenger's colours and allowed origins.
	hexColour = regexp.MustCompile(`^([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$`)
	origin    = regexp.MustCompile(`^https?://[^\s/?#:@]+(:[0-9]{1,5})?$`)
)

// A pattern is what a channel's field must match: a regular expression, or a matchFunc where one is on the
// path the benchmarks measure.
type pattern interface{ MatchString(string) bool }

type matchFunc func(string) bool

func (f matchFunc) MatchString(s string) bool { return f(s) }

// isTelegramToken matches ^[0-9]+:[A-Za-z0-9_-]+$ (the test holds the two equal) at a tenth of the regular
// expression's cost, which was a third of what creating a Telegram integration added to the HTTP call.
func isTelegramToken(s string) bool {
	id, secret, ok := strings.Cut(s, ":")
	if !ok || id == "" || secret == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	for i := 0; i < len(secret); i++ {
		c := secret[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func invalid(typ IntegrationType, field, format string, args ...any) error {
	return invalidf(string(typ), field, format, args...)
}

func invalidf(subject, field, format string, args ...any) error {
	return &ValidationError{Subject: subject, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// trimmed checks an optional string argument: absent, or without the white space of a bad copy and paste,
// and text that JSON can carry unchanged.
func trimmed(subject, field, value string) error {
	if strings.TrimSpace(value) != value {
		return invalidf(subject, field, "has leading or trailing white space")
	}
	if !utf8.ValidString(value) {
		return invalidf(subject, field, "is not valid UTF-8 (JSON would send it altered)")
	}
	return nil
}

// colour checks an optional colour: 3 or 6 hexadecimal digits, without "#".
func colour(subject, field, value string) error {
	if value != "" && !hexColour.MatchString(value) {
		return invalidf(subject, field, "must be 3 or 6 hexadecimal digits without #, like \"0099ff\", got %q", value)
	}
	return nil
}

// httpURL checks an optional URL: absolute, http or https, with a host.
func httpURL(subject, field, value string) error {
	if value == "" {
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || !strings.HasPrefix(value, u.Scheme+"://") || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(value, " \t\n") {
		return invalidf(subject, field, "must be an absolute http or https URL, got %q", value)
	}
	return nil
}

// displayStyle checks an optional Web Messenger display style.
func displayStyle(subject, field string, value DisplayStyle) error {
	if value != "" && !value.Valid() {
		return invalidf(subject, field, "must be %q or %q, got %q", DisplayStyleButton, DisplayStyleTab, string(value))
	}
	return nil
}

// origins checks a Web Messenger's allowed origins, each scheme://host[:port] with scheme http or https.
func origins(subject, field string, values []string) error {
	for i, v := range values {
		if !origin.MatchString(v) {
			return invalidf(subject, fmt.Sprintf("%s[%d]", field, i), "must be an origin scheme://host[:port] with scheme http or https (no path), like \"https://example.com\", got %q", v)
		}
	}
	return nil
}

// ids checks a list of ids: none empty nor padded.
func ids(subject, field string, values []string) error {
	for i, v := range values {
		if strings.TrimSpace(v) == "" || strings.TrimSpace(v) != v {
			return invalidf(subject, fmt.Sprintf("%s[%d]", field, i), "must be an integration id, got %q", v)
		}
	}
	return nil
}

// required checks a mandatory string argument: present, without the white space of a bad copy and paste,
// and text that JSON can carry unchanged.
func required(typ IntegrationType, field, value string) error {
	if value == "" {
		return invalid(typ, field, "is required")
	}
	if strings.TrimSpace(value) != value {
		return invalid(typ, field, "has leading or trailing white space")
	}
	return validText(typ, field, value)
}

// validText refuses a string that is not valid UTF-8: encoding/json would replace its bad bytes with U+FFFD,
// sending another credential than the one given. It never quotes the value, which may be a secret.
func validText(typ IntegrationType, field, value string) error {
	if !utf8.ValidString(value) {
		return invalid(typ, field, "is not valid UTF-8 (JSON would send it altered)")
	}
	return nil
}

// shaped checks a mandatory argument against a pattern; it never echoes secrets.
func shaped(typ IntegrationType, field, value string, pattern pattern, want string, echo bool) error {
	if err := required(typ, field, value); err != nil {
		return err
	}
	if !pattern.MatchString(value) {
		if echo {
			return invalid(typ, field, "must be %s, got %q", want, value)
		}
		return invalid(typ, field, "must be %s", want)
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
	return firstError(required(m.Type(), "pageAccessToken", m.PageAccessToken), required(m.Type(), "appId", m.AppID), required(m.Type(), "appSecret", m.AppSecret),
		displayName(m.Type(), m.DisplayName))
}

// displayName checks a channel's optional display name (v1.1): unpadded, and text JSON carries unchanged.
func displayName(typ IntegrationType, name string) error {
	return trimmed(string(typ), "displayName", name)
}

// Validate implements Channel.
func (t Twitter) Validate() error {
	err := firstError(required(t.Type(), "consumerKey", t.ConsumerKey), required(t.Type(), "consumerSecret", t.ConsumerSecret),
		required(t.Type(), "accessTokenKey", t.AccessTokenKey), required(t.Type(), "accessTokenSecret", t.AccessTokenSecret))
	switch {
	case err != nil:
		return err
	case t.Tier != "" && !t.Tier.Valid():
		return invalid(t.Type(), "tier", "must be %q or %q, got %q", TwitterTierPremium, TwitterTierEnterprise, string(t.Tier))
	case t.Tier == TwitterTierPremium && t.EnvName == "":
		return invalid(t.Type(), "envName", "is required when tier is %q: the Twitter dev environment's name", TwitterTierPremium)
	}
	return firstError(trimmed(string(t.Type()), "envName", t.EnvName), displayName(t.Type(), t.DisplayName))
}

// Validate implements Channel.
func (t Twilio) Validate() error {
	return firstError(
		shaped(t.Type(), "accountSid", t.AccountSID, twilioAccountSID, `"AC" and 32 hexadecimal digits`, true),
		required(t.Type(), "authToken", t.AuthToken),
		shaped(t.Type(), "phoneNumberSid", t.PhoneNumberSID, twilioNumberSID, `"PN" and 32 hexadecimal digits (the phone number's SID, not the number)`, true),
		displayName(t.Type(), t.DisplayName))
}

// Validate implements Channel.
func (t Telegram) Validate() error {
	return firstError(shaped(t.Type(), "token", t.Token, telegramToken, `a bot token like "123456789:AAE…" from BotFather`, false),
		displayName(t.Type(), t.DisplayName))
}

// Validate implements Channel.
func (l LINE) Validate() error {
	s := string(l.Type())
	err := firstError(required(l.Type(), "channelAccessToken", l.ChannelAccessToken), required(l.Type(), "channelSecret", l.ChannelSecret),
		trimmed(s, "serviceCode", l.ServiceCode), trimmed(s, "switcherSecret", l.SwitcherSecret), httpURL(s, "qrCodeUrl", l.QRCodeURL),
		trimmed(s, "displayName", l.DisplayName))
	if err == nil && l.ChannelID != "" && !digits.MatchString(l.ChannelID) {
		err = invalid(l.Type(), "channelId", "must be digits, got %q", l.ChannelID)
	}
	return err
}

// Validate implements Channel.
func (v Viber) Validate() error {
	return firstError(required(v.Type(), "token", v.Token), displayName(v.Type(), v.DisplayName))
}

// Validate implements Channel.
func (w WeChat) Validate() error {
	err := firstError(required(w.Type(), "appId", w.AppID), required(w.Type(), "appSecret", w.AppSecret))
	if err == nil && w.EncodingAESKey != "" && !wechatAESKey.MatchString(w.EncodingAESKey) {
		err = invalid(w.Type(), "encodingAesKey", "must be 43 letters and digits")
	}
	if err == nil {
		err = firstError(httpURL(string(w.Type()), "accessTokenUrl", w.AccessTokenURL), displayName(w.Type(), w.DisplayName))
	}
	return err
}

// Validate implements Channel.
func (m Mailgun) Validate() error {
	if err := firstError(required(m.Type(), "apiKey", m.APIKey), required(m.Type(), "domain", m.Domain), required(m.Type(), "incomingAddress", m.IncomingAddress)); err != nil {
		return err
	}
	if !domainName.MatchString(m.Domain) {
		return invalid(m.Type(), "domain", "must be a domain name like \"mg.example.com\", got %q", m.Domain)
	}
	addr, err := mail.ParseAddress(m.IncomingAddress)
	if err != nil || addr.Address != m.IncomingAddress {
		return invalid(m.Type(), "incomingAddress", "must be a bare email address like \"support@%s\", got %q", m.Domain, m.IncomingAddress)
	}
	at := strings.LastIndexByte(addr.Address, '@')
	if !strings.EqualFold(addr.Address[at+1:], m.Domain) {
		return invalid(m.Type(), "incomingAddress", "must be an address on domain %q, got %q", m.Domain, m.IncomingAddress)
	}
	if m.FromAddress != "" {
		if from, err := mail.ParseAddress(m.FromAddress); err != nil || from.Address != m.FromAddress {
			return invalid(m.Type(), "fromAddress", "must be a bare email address, got %q", m.FromAddress)
		}
	}
	return trimmed(string(m.Type()), "displayName", m.DisplayName)
}

// Validate implements Channel.
func (m MessageBird) Validate() error {
	return firstError(required(m.Type(), "accessKey", m.AccessKey),
		shaped(m.Type(), "originator", m.Originator, phoneNumber, "a phone number: 3 to 15 digits, optionally after a +", true),
		trimmed(string(m.Type()), "signingKey", m.SigningKey), trimmed(string(m.Type()), "displayName", m.DisplayName))
}

// Validate implements Channel.
func (e Email) Validate() error {
	if err := displayName(e.Type(), e.DisplayName); err != nil {
		return err
	}
	if e.FromAddress == "" {
		return nil
	}
	if _, err := mail.ParseAddress(e.FromAddress); err != nil {
		return invalid(e.Type(), "fromAddress", "must be an email address, got %q", e.FromAddress)
	}
	return nil
}

// Validate implements Channel.
func (a APN) Validate() error {
	if len(a.Certificate) == 0 {
		return invalid(a.Type(), "certificate", "is required: the .p12 file's bytes")
	}
	// A PKCS#12 file is a DER SEQUENCE: its first byte is 0x30. Base64 or PEM text starts with a letter or
	// a dash, the mistake of passing an already encoded certificate.
	if a.Certificate[0] != 0x30 {
		return invalid(a.Type(), "certificate", "must be the raw .p12 (PKCS#12) file's bytes; this looks like text (already base64 or PEM?)")
	}
	return firstError(validText(a.Type(), "password", a.Password), displayName(a.Type(), a.DisplayName))
}

// Validate implements Channel.
func (f FCM) Validate() error {
	return firstError(required(f.Type(), "serverKey", f.ServerKey), shaped(f.Type(), "senderId", f.SenderID, digits, "digits", true),
		displayName(f.Type(), f.DisplayName))
}

// Validate implements Channel. Every argument is optional; those given must be well formed.
func (w WebMessenger) Validate() error {
	s := string(w.Type())
	return firstError(
		colour(s, "brandColor", w.BrandColor), colour(s, "conversationColor", w.ConversationColor), colour(s, "actionColor", w.ActionColor),
		displayStyle(s, "displayStyle", w.DisplayStyle),
		httpURL(s, "buttonIconUrl", w.ButtonIconURL), trimmed(s, "buttonWidth", w.ButtonWidth), trimmed(s, "buttonHeight", w.ButtonHeight),
		ids(s, "integrationOrder", w.IntegrationOrder), trimmed(s, "businessName", w.BusinessName),
		httpURL(s, "businessIconUrl", w.BusinessIconURL), httpURL(s, "backgroundImageUrl", w.BackgroundImageURL),
		origins(s, "originWhitelist", w.OriginWhitelist), displayName(w.Type(), w.DisplayName))
}

// Validate implements Channel. A WhatsApp integration runs either on a WhatsApp deployment (DeploymentID, v1.1:
// see DeploymentsService) or on the business's own WhatsApp API client (BaseURL, Username and Password, the
// form the vendor deprecates), never both.
func (w WhatsApp) Validate() error {
	s := string(w.Type())
	if w.DeploymentID != "" {
		if w.BaseURL != "" && w.Username != "" && w.Password != "" {
			// The client's form is complete: the deployment is the one too many.
			return invalid(w.Type(), "deploymentId", "is for an integration on a deployment: leave it out with the client's baseUrl, username and password")
		}
		for _, f := range []struct{ name, value string }{{"baseUrl", w.BaseURL}, {"username", w.Username}, {"password", w.Password}} {
			if f.value != "" {
				return invalid(w.Type(), f.name, "is for an integration on the business's own client: leave it out with a deploymentId")
			}
		}
		return firstError(trimmed(s, "deploymentId", w.DeploymentID), trimmed(s, "hsmFallbackLanguage", w.HSMFallbackLanguage),
			trimmed(s, "displayName", w.DisplayName))
	}
	if w.BaseURL == "" && w.Username == "" && w.Password == "" {
		return invalid(w.Type(), "deploymentId", "is required (v1.1), or the business's own client's baseUrl, username and password")
	}
	err := firstError(required(w.Type(), "baseUrl", w.BaseURL), required(w.Type(), "username", w.Username), required(w.Type(), "password", w.Password))
	if err != nil {
		return err
	}
	return firstError(httpURL(s, "baseUrl", w.BaseURL), trimmed(s, "hsmFallbackLanguage", w.HSMFallbackLanguage), trimmed(s, "displayName", w.DisplayName))
}

// Validate implements Channel.
func (i Instagram) Validate() error {
	return firstError(required(i.Type(), "pageAccessToken", i.PageAccessToken), required(i.Type(), "appId", i.AppID),
		required(i.Type(), "appSecret", i.AppSecret), trimmed(string(i.Type()), "displayName", i.DisplayName))
}

// Validate implements Channel.
func (a AppleBusinessChat) Validate() error {
	return firstError(required(a.Type(), "businessId", a.BusinessID), required(a.Type(), "mspId", a.MSPID),
		required(a.Type(), "apiSecret", a.APISecret), trimmed(string(a.Type()), "displayName", a.DisplayName))
}

func (m Messenger) fields() any    { type fields Messenger; return fields(m) }
func (t Twitter) fields() any      { type fields Twitter; return fields(t) }
func (t Twilio) fields() any       { type fields Twilio; return fields(t) }
func (t Telegram) fields() any     { type fields Telegram; return fields(t) }
func (l LINE) fields() any         { type fields LINE; return fields(l) }
func (v Viber) fields() any        { type fields Viber; return fields(v) }
func (w WeChat) fields() any       { type fields WeChat; return fields(w) }
func (m Mailgun) fields() any      { type fields Mailgun; return fields(m) }
func (m MessageBird) fields() any  { type fields MessageBird; return fields(m) }
func (e Email) fields() any        { type fields Email; return fields(e) }
func (a APN) fields() any          { type fields APN; return fields(a) }
func (f FCM) fields() any          { type fields FCM; return fields(f) }
func (w WebMessenger) fields() any { type fields WebMessenger; return fields(w) }
func (w WhatsApp) fields() any     { type fields WhatsApp; return fields(w) }
func (i Instagram) fields() any    { type fields Instagram; return fields(i) }
func (a AppleBusinessChat) fields() any {
	type fields AppleBusinessChat
	return fields(a)
}

// channelBody validates ch and encodes the body of createIntegration: the channel's arguments and its type.
// Members come in name order, as in every request body of this package (encoding/json writes a struct's
// fields in their order, and the generated fields are sorted), so recordings stay stable.
func channelBody(ch Channel) ([]byte, error) {
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	encoded, err := json.Marshal(ch.fields())
	if err != nil {
		return nil, notPerformed(fmt.Errorf("smooch: %s: encoding the integration: %w", ch.Type(), err))
	}
	if err := sentAsGiven(string(ch.Type()), encoded, ch); err != nil {
		return nil, err
	}
	return insertMember(encoded, "type", string(ch.Type())), nil
}
