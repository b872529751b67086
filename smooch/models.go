package smooch

import (
	"fmt"
	"log/slog"

	"github.com/smoochkit/smooch-go/gen"
)

// The API's models, generated from the contract (package gen) and re-exported here so that this package is
// the only import a user needs.
type (
	// App is a Smooch app: the container of conversations, integrations, keys and webhooks.
	App = gen.App
	// AppCreate is the body of Apps.Create.
	AppCreate = gen.AppCreate
	// AppUpdate is the body of Apps.Update.
	AppUpdate = gen.AppUpdate
	// AppSettings are an app's customizable settings.
	AppSettings = gen.AppSettings
	// ServiceAccount is an account for server-to-server use, with keys of its own (svc_…).
	ServiceAccount = gen.ServiceAccount
	// WebhookTrigger is an event a webhook subscribes to; see the WebhookTrigger… constants.
	WebhookTrigger = gen.WebhookTrigger
	// WebhookUpdate is the body of Webhooks.Update: nil fields are kept as they are.
	WebhookUpdate = gen.WebhookUpdate
	// IntegrationType names a messaging channel; see the IntegrationType… constants.
	IntegrationType = gen.IntegrationType
)

// Webhook triggers, as the API spells them (case sensitive).
const (
	WebhookTriggerMessage              WebhookTrigger = "message"               // every message, from app users and app makers
	WebhookTriggerMessageAppUser       WebhookTrigger = "message:appUser"       // messages from app users
	WebhookTriggerMessageAppMaker      WebhookTrigger = "message:appMaker"      // messages from app makers (the business)
	WebhookTriggerConversationStart    WebhookTrigger = "conversation:start"    // a user starts a conversation
	WebhookTriggerConversationRead     WebhookTrigger = "conversation:read"     // a user reads the conversation
	WebhookTriggerConversationReferral WebhookTrigger = "conversation:referral" // a user arrives through a referral
	WebhookTriggerPostback             WebhookTrigger = "postback"              // a user taps a postback button
	WebhookTriggerMergeAppUser         WebhookTrigger = "merge:appUser"         // two app users are merged
	WebhookTriggerDeliverySuccess      WebhookTrigger = "delivery:success"      // a message reached the channel
	WebhookTriggerDeliveryFailure      WebhookTrigger = "delivery:failure"      // a message failed to reach the channel
	WebhookTriggerPaymentSuccess       WebhookTrigger = "payment:success"       // a payment succeeded
	WebhookTriggerLinkSuccess          WebhookTrigger = "link:success"          // a channel link succeeded
	WebhookTriggerLinkFailure          WebhookTrigger = "link:failure"          // a channel link failed
	WebhookTriggerLinkMatch            WebhookTrigger = "link:match"            // a channel link matched a user
	WebhookTriggerAll                  WebhookTrigger = "*"                     // every trigger
)

// Integration types: the messaging channels, as the API's `type` field names them.
const (
	IntegrationTypeMessenger     IntegrationType = "messenger"     // Facebook Messenger
	IntegrationTypeTwitter       IntegrationType = "twitter"       // Twitter DM
	IntegrationTypeTwilio        IntegrationType = "twilio"        // Twilio SMS
	IntegrationTypeTelegram      IntegrationType = "telegram"      // Telegram
	IntegrationTypeLINE          IntegrationType = "line"          // LINE
	IntegrationTypeViber         IntegrationType = "viber"         // Viber
	IntegrationTypeWeChat        IntegrationType = "wechat"        // WeChat
	IntegrationTypeMailgun       IntegrationType = "mailgun"       // Mailgun email
	IntegrationTypeMessageBird   IntegrationType = "messagebird"   // MessageBird SMS
	IntegrationTypeFrontendEmail IntegrationType = "frontendEmail" // Smooch's own email (the Email channel)
	IntegrationTypeAPN           IntegrationType = "apn"           // Apple Push Notification
	IntegrationTypeFCM           IntegrationType = "fcm"           // Firebase Cloud Messaging
)

// SecretKey is a secret key pair (app key app_…, service account key svc_…) as the API returns it. It is the
// generated model with printing and logging that never show the secret: %v, %+v, %#v and slog print
// Secret as REDACTED. Read key.Secret to use it.
type SecretKey struct {
	gen.SecretKey
}

// Credentials returns credentials signing with this key: AppKey for an app key, AccountKey for a service
// account key.
func (k SecretKey) Credentials() Credentials {
	if kindOfKey(k.ID) == keyApp {
		return AppKey(k.ID, k.Secret)
	}
	return AccountKey(k.ID, k.Secret)
}

func (k SecretKey) fields() []field {
	return []field{{name: "ID", value: k.ID}, {name: "Name", value: k.Name}, {name: "Secret", value: k.Secret, secret: true}}
}

// Format prints the key with its secret redacted, for every verb.
func (k SecretKey) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "SecretKey", k.fields()) }

// GoString is %#v, redacted.
func (k SecretKey) GoString() string { return goStringRedacted("SecretKey", k.fields()) }

// LogValue logs the key with its secret redacted.
func (k SecretKey) LogValue() slog.Value { return logValueRedacted(k.fields()) }

// Webhook is an app's webhook as the API returns it, with the shared secret sent to its target as the
// X-API-Key header. Printing and logging show Secret as REDACTED; read webhook.Secret to verify callers.
type Webhook struct {
	gen.Webhook
}

func (w Webhook) fields() []field {
	return []field{{name: "ID", value: w.ID}, {name: "Target", value: w.Target}, {name: "Triggers", value: w.Triggers}, {name: "Secret", value: w.Secret, secret: true}}
}

// Format prints the webhook with its secret redacted, for every verb.
func (w Webhook) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Webhook", w.fields()) }

// GoString is %#v, redacted.
func (w Webhook) GoString() string { return goStringRedacted("Webhook", w.fields()) }

// LogValue logs the webhook with its secret redacted.
func (w Webhook) LogValue() slog.Value { return logValueRedacted(w.fields()) }

// Ptr returns a pointer to v, for the optional fields of the models, e.g.
// WebhookUpdate{Target: smooch.Ptr("https://example.com/hook")}.
func Ptr[T any](v T) *T { return &v }

func wrapKeys(keys []gen.SecretKey) []SecretKey {
	out := make([]SecretKey, len(keys))
	for i, k := range keys {
		out[i] = SecretKey{k}
	}
	return out
}
