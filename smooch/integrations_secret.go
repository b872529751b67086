package smooch

import (
	"fmt"
	"log/slog"

	"github.com/smoochkit/smooch-go/gen"
)

// The channels whose details carry a secret are wrapped, like SecretKey and Webhook, so that printing or
// logging an integration never shows it. Fields are promoted: read ch.WebhookSecret to use it.

// WeChatIntegration is a WeChat integration as the API returns it. WebhookSecret is the Token the customer
// sets in the WeChat dashboard; printing and logging show it as REDACTED.
type WeChatIntegration struct {
	gen.WeChatIntegration
}

func (w WeChatIntegration) fields() []field {
	return []field{{name: "ID", value: w.ID}, {name: "Type", value: w.Type}, {name: "AppID", value: deref(w.AppID)},
		{name: "WebhookSecret", value: deref(w.WebhookSecret), secret: true}}
}

// Format prints the integration with WebhookSecret redacted, for %v, %+v, %#v and %s.
func (w WeChatIntegration) Format(s fmt.State, verb rune) {
	formatRedacted(s, verb, "WeChatIntegration", w.fields())
}

// GoString is %#v, redacted.
func (w WeChatIntegration) GoString() string {
	return goStringRedacted("WeChatIntegration", w.fields())
}

// LogValue logs the integration with WebhookSecret redacted.
func (w WeChatIntegration) LogValue() slog.Value { return logValueRedacted(w.fields()) }

// MessageBirdIntegration is a MessageBird integration as the API returns it. WebhookSecret is part of the
// forwarding URL to configure in MessageBird; printing and logging show it as REDACTED.
type MessageBirdIntegration struct {
	gen.MessageBirdIntegration
}

func (m MessageBirdIntegration) fields() []field {
	return []field{{name: "ID", value: m.ID}, {name: "Type", value: m.Type}, {name: "Originator", value: deref(m.Originator)},
		{name: "WebhookSecret", value: deref(m.WebhookSecret), secret: true}}
}

// Format prints the integration with WebhookSecret redacted, for %v, %+v, %#v and %s.
func (m MessageBirdIntegration) Format(s fmt.State, verb rune) {
	formatRedacted(s, verb, "MessageBirdIntegration", m.fields())
}

// GoString is %#v, redacted.
func (m MessageBirdIntegration) GoString() string {
	return goStringRedacted("MessageBirdIntegration", m.fields())
}

// LogValue logs the integration with WebhookSecret redacted.
func (m MessageBirdIntegration) LogValue() slog.Value { return logValueRedacted(m.fields()) }

// deref shows an optional field: its value, or "" when the API left it out.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
