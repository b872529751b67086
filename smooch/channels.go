package smooch

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Channel is the arguments of a new integration, one type per messaging channel: Messenger, Twitter, Twilio,
// Telegram, LINE, Viber, WeChat, Mailgun, MessageBird, Email, APN and FCM. Pass one to Integrations.Create.
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

// required checks a mandatory string argument: present, without the white space of a bad copy and paste,
// and text that JSON can carry unchanged.
func required(ch Channel, field, value string) error {
	if value == "" {
		return invalid(ch, field, "is required")
	}
	if strings.TrimSpace(value) != value {
		return invalid(ch, field, "has leading or trailing white space")
	}
	return validText(ch, field, value)
}

// validText refuses a string that is not valid UTF-8: encoding/json would replace its bad bytes with U+FFFD,
// sending another credential than the one given. It never quotes the value, which may be a secret.
func validText(ch Channel, field, value string) error {
	if !utf8.ValidString(value) {
		return invalid(ch, field, "is not valid UTF-8 (JSON would send it altered)")
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
	return validText(a, "password", a.Password)
}

// Validate implements Channel.
func (f FCM) Validate() error {
	return firstError(required(f, "serverKey", f.ServerKey), shaped(f, "senderId", f.SenderID, digits, "digits", true))
}

func (m Messenger) fields() any   { type fields Messenger; return fields(m) }
func (t Twitter) fields() any     { type fields Twitter; return fields(t) }
func (t Twilio) fields() any      { type fields Twilio; return fields(t) }
func (t Telegram) fields() any    { type fields Telegram; return fields(t) }
func (l LINE) fields() any        { type fields LINE; return fields(l) }
func (v Viber) fields() any       { type fields Viber; return fields(v) }
func (w WeChat) fields() any      { type fields WeChat; return fields(w) }
func (m Mailgun) fields() any     { type fields Mailgun; return fields(m) }
func (m MessageBird) fields() any { type fields MessageBird; return fields(m) }
func (e Email) fields() any       { type fields Email; return fields(e) }
func (a APN) fields() any         { type fields APN; return fields(a) }
func (f FCM) fields() any         { type fields FCM; return fields(f) }

// channelBody validates ch and encodes the body of createIntegration: the channel's arguments and its type.
// Members come in name order, as every request body of this package does, so recordings stay stable.
func channelBody(ch Channel) ([]byte, error) {
	if err := ch.Validate(); err != nil {
		return nil, err
	}
	encoded, err := json.Marshal(ch.fields())
	if err != nil {
		return nil, fmt.Errorf("smooch: %s: encoding the integration: %w", ch.Type(), err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(encoded, &members); err != nil {
		return nil, fmt.Errorf("smooch: %s: encoding the integration: %w", ch.Type(), err)
	}
	members["type"], _ = json.Marshal(ch.Type())
	return json.Marshal(members)
}
