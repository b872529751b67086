package smooch

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"time"
)

// WebhookEvent is one webhook call of Smooch, decoded: what happened (Trigger), in which app, to which app
// user and when, and the trigger's own content, typed, in Payload. WebhookReceiver decodes it from a verified
// request; json.Unmarshal decodes it from a payload read elsewhere (a queue, a log).
//
// Reach the trigger's content with a type switch on Payload, which the compiler checks: a case that can never
// match does not compile, and a trigger this package does not know arrives as *UnknownPayload, with its JSON,
// instead of failing.
//
//	switch p := event.Payload().(type) {
//	case *smooch.MessagePayload:
//		for _, m := range p.Messages {
//			fmt.Println(m.Role, m.Type, m.Text)
//		}
//	case *smooch.PostbackPayload:
//		fmt.Println("tapped:", p.Postbacks[0].Action.Payload)
//	case *smooch.UnknownPayload:
//		fmt.Println("a newer trigger:", p.Trigger)
//	}
type WebhookEvent struct {
	// Trigger names the event, e.g. WebhookTriggerMessageAppUser, or a trigger unknown to this package.
	Trigger WebhookTrigger
	// App is the app the event happened in.
	App WebhookApp
	// Version is the payload version the webhook was created with; empty in v1 payloads, which carry none.
	Version string
	// AppUser is the app user the event is about, in full or truncated as the trigger's payload has it; zero
	// for merge:appUser, whose payload has the surviving and discarded app users instead.
	AppUser AppUser
	// Timestamp is when the event happened, for the triggers whose payload says (conversation, delivery and
	// payment events); zero otherwise: each message has its own Received time.
	Timestamp Timestamp
	// Raw is the payload as received, for storing or forwarding it as it was. It holds no credential: the
	// webhook's secret travels in a header.
	Raw json.RawMessage

	payload WebhookPayload
}

// WebhookPayload is the trigger-specific content of a WebhookEvent: one of *MessagePayload,
// *PostbackPayload, *ConversationPayload, *MergePayload, *DeliveryPayload, *PaymentPayload, *LinkPayload,
// or *UnknownPayload for a trigger this package does not know. No other type implements it.
type WebhookPayload interface {
	webhookHead() webhookHead
}

// webhookHead is what WebhookEvent takes from every payload.
type webhookHead struct {
	Trigger   WebhookTrigger
	App       WebhookApp
	Version   string
	AppUser   AppUser
	Timestamp Timestamp
}

func (p *MessagePayload) webhookHead() webhookHead {
	return webhookHead{Trigger: p.Trigger, App: p.App, Version: p.Version, AppUser: p.AppUser}
}
func (p *PostbackPayload) webhookHead() webhookHead {
	return webhookHead{Trigger: p.Trigger, App: p.App, Version: p.Version, AppUser: p.AppUser}
}
func (p *ConversationPayload) webhookHead() webhookHead {
	return webhookHead{p.Trigger, p.App, p.Version, p.AppUser, p.Timestamp}
}
func (p *MergePayload) webhookHead() webhookHead {
	return webhookHead{Trigger: p.Trigger, App: p.App, Version: p.Version}
}
func (p *DeliveryPayload) webhookHead() webhookHead {
	return webhookHead{p.Trigger, p.App, p.Version, p.AppUser, p.Timestamp}
}
func (p *PaymentPayload) webhookHead() webhookHead {
	return webhookHead{p.Trigger, p.App, p.Version, p.AppUser, p.Timestamp}
}
func (p *LinkPayload) webhookHead() webhookHead {
	return webhookHead{Trigger: p.Trigger, App: p.App, Version: p.Version, AppUser: p.AppUser}
}
func (p *UnknownPayload) webhookHead() webhookHead {
	return webhookHead{Trigger: p.Trigger, App: p.App, Version: p.Version}
}

// webhookPayloads maps each trigger of a v1 payload to a new value of its variant: the contract's
// discriminator mapping of WebhookPayload (a test holds them equal).
//
// A second payload version is a second table, not a change to this one: UnmarshalJSON reads the payload's
// `version` member first (absent in v1 payloads) and picks the table of that version (v1.1: its
// message:delivery:* triggers, whose payloads carry one `message`, are variants of their own). Members a later
// version adds to a variant of v1 (v1.1's `conversation`) become optional fields of it in the contract, and
// arrive empty from v1 webhooks.
var webhookPayloads = map[WebhookTrigger]func() WebhookPayload{
	WebhookTriggerMessageAppUser:       func() WebhookPayload { return new(MessagePayload) },
	WebhookTriggerMessageAppMaker:      func() WebhookPayload { return new(MessagePayload) },
	WebhookTriggerPostback:             func() WebhookPayload { return new(PostbackPayload) },
	WebhookTriggerConversationStart:    func() WebhookPayload { return new(ConversationPayload) },
	WebhookTriggerConversationRead:     func() WebhookPayload { return new(ConversationPayload) },
	WebhookTriggerConversationReferral: func() WebhookPayload { return new(ConversationPayload) },
	WebhookTriggerMergeAppUser:         func() WebhookPayload { return new(MergePayload) },
	WebhookTriggerDeliverySuccess:      func() WebhookPayload { return new(DeliveryPayload) },
	WebhookTriggerDeliveryFailure:      func() WebhookPayload { return new(DeliveryPayload) },
	WebhookTriggerPaymentSuccess:       func() WebhookPayload { return new(PaymentPayload) },
	WebhookTriggerLinkSuccess:          func() WebhookPayload { return new(LinkPayload) },
	WebhookTriggerLinkMatch:            func() WebhookPayload { return new(LinkPayload) },
	WebhookTriggerLinkFailure:          func() WebhookPayload { return new(LinkPayload) },
}

// UnknownPayload is the payload of a trigger this version of the package does not know, e.g. one the API
// added later (typing:appUser, client:add, …). Like the known payloads it has a Trigger, an App and a
// Version; decode Raw for the rest.
type UnknownPayload struct {
	// Trigger is the payload's trigger, one no variant of this package is for.
	Trigger WebhookTrigger
	// App is the app the event happened in.
	App WebhookApp
	// Version is the payload version; empty when the payload has none.
	Version string
	// Raw is the payload's JSON object as received.
	Raw json.RawMessage
}

// Payload returns the trigger's content, chosen by the event's trigger. It is never nil for a WebhookEvent
// decoded by this package.
func (e *WebhookEvent) Payload() WebhookPayload { return e.payload }

// UnmarshalJSON decodes a webhook payload, choosing its variant by the `trigger` member. A trigger this
// package does not know decodes to *UnknownPayload; a payload that is not a JSON object with a string
// `trigger`, or whose known trigger's members have the wrong JSON types, is an error.
func (e *WebhookEvent) UnmarshalJSON(b []byte) error {
	var head struct {
		Trigger *WebhookTrigger `json:"trigger"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("smooch: decoding a webhook payload: %w", err)
	}
	if head.Trigger == nil || *head.Trigger == "" {
		return fmt.Errorf("smooch: decoding a webhook payload: it has no trigger")
	}
	trigger := *head.Trigger
	raw := append(json.RawMessage(nil), b...)
	newPayload, known := webhookPayloads[trigger]
	if !known {
		unknown := &UnknownPayload{Trigger: trigger, Raw: raw}
		// The members every payload has, as far as they decode: a trigger this package does not know may
		// give them shapes it does not know either, and must not fail.
		var rest struct {
			App       json.RawMessage `json:"app"`
			Version   json.RawMessage `json:"version"`
			AppUser   json.RawMessage `json:"appUser"`
			Timestamp json.RawMessage `json:"timestamp"`
		}
		_ = json.Unmarshal(b, &rest)
		*e = WebhookEvent{Trigger: trigger, Raw: raw, payload: unknown}
		if json.Unmarshal(rest.App, &unknown.App) != nil {
			unknown.App = WebhookApp{}
		}
		if json.Unmarshal(rest.Version, &unknown.Version) != nil {
			unknown.Version = ""
		}
		e.App, e.Version = unknown.App, unknown.Version
		if json.Unmarshal(rest.AppUser, &e.AppUser) != nil {
			e.AppUser = AppUser{}
		}
		if json.Unmarshal(rest.Timestamp, &e.Timestamp) != nil {
			e.Timestamp = 0
		}
		return nil
	}
	payload := newPayload()
	if err := json.Unmarshal(b, payload); err != nil {
		return fmt.Errorf("smooch: decoding a %s webhook payload: %w", trigger, err)
	}
	h := payload.webhookHead()
	*e = WebhookEvent{Trigger: h.Trigger, App: h.App, Version: h.Version, AppUser: h.AppUser, Timestamp: h.Timestamp,
		Raw: raw, payload: payload}
	return nil
}

// MarshalJSON encodes the event as the payload it was decoded from (Raw), or, for an event built in code, as
// its payload.
func (e WebhookEvent) MarshalJSON() ([]byte, error) {
	if e.Raw != nil {
		return e.Raw, nil
	}
	if e.payload == nil {
		return []byte("null"), nil
	}
	return json.Marshal(e.payload)
}

// Format prints the event's trigger, app, version, app user, timestamp and payload; Raw is left out, as the
// payload shows what it holds.
func (e WebhookEvent) Format(s fmt.State, verb rune) {
	type fields struct {
		Trigger   WebhookTrigger
		App       WebhookApp
		Version   string
		AppUser   AppUser
		Timestamp Timestamp
		Payload   WebhookPayload
	}
	formatAs(s, verb, "WebhookEvent", fields{e.Trigger, e.App, e.Version, e.AppUser, e.Timestamp, e.payload})
}

// LogValue logs the event's trigger, app id, app user id and timestamp (when it has one): what tells events
// apart in a log, without the messages' content.
func (e WebhookEvent) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("Trigger", string(e.Trigger)), slog.String("App", e.App.ID)}
	if e.AppUser.ID != "" {
		attrs = append(attrs, slog.String("AppUser", e.AppUser.ID))
	}
	if e.Timestamp != 0 {
		attrs = append(attrs, slog.Time("Timestamp", e.Timestamp.Time()))
	}
	return slog.GroupValue(attrs...)
}

// UnmarshalJSON decodes a message; one of a type this package does not know keeps its JSON object in Raw.
func (m *Message) UnmarshalJSON(b []byte) error {
	type fields Message // the same fields, without this method
	var f fields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if !f.Type.Valid() {
		f.Raw = append(json.RawMessage(nil), b...)
	}
	*m = Message(f)
	return nil
}

// Format prints the message's fields, Raw as text, for every verb.
func (m Message) Format(f fmt.State, verb rune) { formatModel(f, verb, m) }

// Timestamp is a time as webhook payloads give it: seconds since the Unix epoch with a fraction, e.g.
// 1444348338.704. It keeps the number as received, so that a payload encoded again is the one received;
// Time converts it.
type Timestamp float64

// Time returns the timestamp as a time in UTC, to the microsecond (a float64 holds no more of today's times);
// the zero Timestamp is the zero time.
func (t Timestamp) Time() time.Time {
	if t == 0 {
		return time.Time{}
	}
	micros := math.Round(float64(t) * 1e6)
	return time.UnixMicro(int64(micros)).UTC()
}

// String formats the timestamp as RFC 3339 in UTC, e.g. 2015-10-08T23:52:18.704Z, or 0 for the zero one.
func (t Timestamp) String() string {
	if t == 0 {
		return "0"
	}
	return t.Time().Format(time.RFC3339Nano)
}
