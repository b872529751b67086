package smooch

// The channels' printing and logging: credential fields show as REDACTED (or "" when empty).

import (
	"fmt"
	"log/slog"
)

func (m Messenger) fields() []field {
	return []field{{name: "PageAccessToken", value: m.PageAccessToken, secret: true}, {name: "AppID", value: m.AppID}, {name: "AppSecret", value: m.AppSecret, secret: true}}
}

// Format prints the Messenger arguments with its credentials redacted, for every verb.
func (m Messenger) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Messenger", m.fields()) }

// GoString is %#v, redacted.
func (m Messenger) GoString() string { return goStringRedacted("Messenger", m.fields()) }

// LogValue logs the Messenger arguments with its credentials redacted.
func (m Messenger) LogValue() slog.Value { return logValueRedacted(m.fields()) }

func (t Twitter) fields() []field {
	return []field{{name: "ConsumerKey", value: t.ConsumerKey}, {name: "ConsumerSecret", value: t.ConsumerSecret, secret: true}, {name: "AccessTokenKey", value: t.AccessTokenKey}, {name: "AccessTokenSecret", value: t.AccessTokenSecret, secret: true}}
}

// Format prints the Twitter arguments with its credentials redacted, for every verb.
func (t Twitter) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Twitter", t.fields()) }

// GoString is %#v, redacted.
func (t Twitter) GoString() string { return goStringRedacted("Twitter", t.fields()) }

// LogValue logs the Twitter arguments with its credentials redacted.
func (t Twitter) LogValue() slog.Value { return logValueRedacted(t.fields()) }

func (t Twilio) fields() []field {
	return []field{{name: "AccountSID", value: t.AccountSID}, {name: "AuthToken", value: t.AuthToken, secret: true}, {name: "PhoneNumberSID", value: t.PhoneNumberSID}}
}

// Format prints the Twilio arguments with its credentials redacted, for every verb.
func (t Twilio) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Twilio", t.fields()) }

// GoString is %#v, redacted.
func (t Twilio) GoString() string { return goStringRedacted("Twilio", t.fields()) }

// LogValue logs the Twilio arguments with its credentials redacted.
func (t Twilio) LogValue() slog.Value { return logValueRedacted(t.fields()) }

func (t Telegram) fields() []field { return []field{{name: "Token", value: t.Token, secret: true}} }

// Format prints the Telegram arguments with its credentials redacted, for every verb.
func (t Telegram) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Telegram", t.fields()) }

// GoString is %#v, redacted.
func (t Telegram) GoString() string { return goStringRedacted("Telegram", t.fields()) }

// LogValue logs the Telegram arguments with its credentials redacted.
func (t Telegram) LogValue() slog.Value { return logValueRedacted(t.fields()) }

func (l LINE) fields() []field {
	return []field{{name: "ChannelAccessToken", value: l.ChannelAccessToken, secret: true}, {name: "ChannelSecret", value: l.ChannelSecret, secret: true}}
}

// Format prints the LINE arguments with its credentials redacted, for every verb.
func (l LINE) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "LINE", l.fields()) }

// GoString is %#v, redacted.
func (l LINE) GoString() string { return goStringRedacted("LINE", l.fields()) }

// LogValue logs the LINE arguments with its credentials redacted.
func (l LINE) LogValue() slog.Value { return logValueRedacted(l.fields()) }

func (v Viber) fields() []field { return []field{{name: "Token", value: v.Token, secret: true}} }

// Format prints the Viber arguments with its credentials redacted, for every verb.
func (v Viber) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Viber", v.fields()) }

// GoString is %#v, redacted.
func (v Viber) GoString() string { return goStringRedacted("Viber", v.fields()) }

// LogValue logs the Viber arguments with its credentials redacted.
func (v Viber) LogValue() slog.Value { return logValueRedacted(v.fields()) }

func (w WeChat) fields() []field {
	return []field{{name: "AppID", value: w.AppID}, {name: "AppSecret", value: w.AppSecret, secret: true}, {name: "EncodingAESKey", value: w.EncodingAESKey, secret: true}}
}

// Format prints the WeChat arguments with its credentials redacted, for every verb.
func (w WeChat) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "WeChat", w.fields()) }

// GoString is %#v, redacted.
func (w WeChat) GoString() string { return goStringRedacted("WeChat", w.fields()) }

// LogValue logs the WeChat arguments with its credentials redacted.
func (w WeChat) LogValue() slog.Value { return logValueRedacted(w.fields()) }

func (m Mailgun) fields() []field {
	return []field{{name: "APIKey", value: m.APIKey, secret: true}, {name: "Domain", value: m.Domain}, {name: "IncomingAddress", value: m.IncomingAddress}}
}

// Format prints the Mailgun arguments with its credentials redacted, for every verb.
func (m Mailgun) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Mailgun", m.fields()) }

// GoString is %#v, redacted.
func (m Mailgun) GoString() string { return goStringRedacted("Mailgun", m.fields()) }

// LogValue logs the Mailgun arguments with its credentials redacted.
func (m Mailgun) LogValue() slog.Value { return logValueRedacted(m.fields()) }

func (m MessageBird) fields() []field {
	return []field{{name: "AccessKey", value: m.AccessKey, secret: true}, {name: "Originator", value: m.Originator}}
}

// Format prints the MessageBird arguments with its credentials redacted, for every verb.
func (m MessageBird) Format(s fmt.State, verb rune) {
	formatRedacted(s, verb, "MessageBird", m.fields())
}

// GoString is %#v, redacted.
func (m MessageBird) GoString() string { return goStringRedacted("MessageBird", m.fields()) }

// LogValue logs the MessageBird arguments with its credentials redacted.
func (m MessageBird) LogValue() slog.Value { return logValueRedacted(m.fields()) }

func (e Email) fields() []field { return []field{{name: "FromAddress", value: e.FromAddress}} }

// Format prints the Email arguments with its credentials redacted, for every verb.
func (e Email) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Email", e.fields()) }

// GoString is %#v, redacted.
func (e Email) GoString() string { return goStringRedacted("Email", e.fields()) }

// LogValue logs the Email arguments with its credentials redacted.
func (e Email) LogValue() slog.Value { return logValueRedacted(e.fields()) }

func (a APN) fields() []field {
	return []field{{name: "Certificate", value: a.Certificate, secret: true}, {name: "Password", value: a.Password, secret: true}, {name: "AutoUpdateBadge", value: a.AutoUpdateBadge}}
}

// Format prints the APN arguments with its credentials redacted, for every verb.
func (a APN) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "APN", a.fields()) }

// GoString is %#v, redacted.
func (a APN) GoString() string { return goStringRedacted("APN", a.fields()) }

// LogValue logs the APN arguments with its credentials redacted.
func (a APN) LogValue() slog.Value { return logValueRedacted(a.fields()) }

func (f FCM) fields() []field {
	return []field{{name: "ServerKey", value: f.ServerKey, secret: true}, {name: "SenderID", value: f.SenderID}}
}

// Format prints the FCM arguments with its credentials redacted, for every verb.
func (f FCM) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "FCM", f.fields()) }

// GoString is %#v, redacted.
func (f FCM) GoString() string { return goStringRedacted("FCM", f.fields()) }

// LogValue logs the FCM arguments with its credentials redacted.
func (f FCM) LogValue() slog.Value { return logValueRedacted(f.fields()) }
