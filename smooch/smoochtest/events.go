package smoochtest

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
)

// The methods of this file make happen, in an app of the fake, what Smooch reports to webhooks: each builds the
// payload the v1 reference documents for it, and calls every webhook of the app subscribed to its trigger with
// it (see Event and DeliveryPolicy).

// SendAppUserMessage makes an app user send a message (message:appUser): a text (Text), an image (Type
// smooch.MessageTypeImage, MediaURL), a location (Coordinates), … What m leaves empty is filled in as Smooch
// does: an ID, Received (now), Role appUser, AuthorID the app user's, Source messenger, Type text.
func (s *Server) SendAppUserMessage(appID, appUserID string, m smooch.Message) (*Event, error) {
	return s.TriggerEvent(appID, &smooch.MessagePayload{
		Trigger: smooch.WebhookTriggerMessageAppUser, AppUser: smooch.AppUser{ID: appUserID}, Messages: []smooch.Message{m}})
}

// TapPostback makes an app user tap a postback button whose payload is payload (postback), as from a persistent
// menu, whose postbacks carry no message; TriggerEvent sends one with its message.
func (s *Server) TapPostback(appID, appUserID, payload string) (*Event, error) {
	return s.TriggerEvent(appID, &smooch.PostbackPayload{AppUser: smooch.AppUser{ID: appUserID},
		Postbacks: []smooch.Postback{{Action: smooch.MessageAction{Type: smooch.MessageActionTypePostback, Text: payload, Payload: payload}}}})
}

// ReadConversation makes an app user read the conversation (conversation:read), on Messenger.
func (s *Server) ReadConversation(appID, appUserID string) (*Event, error) {
	return s.TriggerEvent(appID, &smooch.ConversationPayload{Trigger: smooch.WebhookTriggerConversationRead,
		AppUser: smooch.AppUser{ID: appUserID}})
}

// ReportDelivery reports the delivery of the business's message m to an app user's channel: delivered
// (delivery:success) when failure is nil, failed with failure otherwise (delivery:failure). m is completed
// as SendAppUserMessage does, with Role appMaker and Source api.
func (s *Server) ReportDelivery(appID, appUserID string, m smooch.Message, failure *smooch.ChannelError) (*Event, error) {
	trigger := smooch.WebhookTriggerDeliverySuccess
	if failure != nil {
		trigger = smooch.WebhookTriggerDeliveryFailure
	}
	return s.TriggerEvent(appID, &smooch.DeliveryPayload{Trigger: trigger, AppUser: smooch.AppUser{ID: appUserID},
		Messages: []smooch.Message{m}, Error: failure})
}

// TriggerEvent makes happen in the app what payload reports, for any trigger of the v1 reference, and calls
// the app's webhooks subscribed to its trigger (`*` and `message` included) with it. It fills in what payload
// leaves empty as Smooch would, and refuses, with an error saying what is wrong and calling nobody, a payload
// that is not one Smooch sends (checked against the contract's WebhookPayload schema):
//
//   - App is the app's (another app's id is an error).
//   - Trigger: for *MessagePayload message:appUser, for *DeliveryPayload and *LinkPayload the success (or,
//     with an Error, the failure), for *ConversationPayload conversation:read (or, with a Referral,
//     conversation:referral); the others have one trigger.
//   - The app user (or the surviving one of a merge) needs an ID. Where the reference sends the full app
//     user (message, postback and conversation:start events), SignedUpAt (when the fake first saw the user),
//     Properties and one client of the event's channel are filled in when empty.
//   - Messages: an ID, Received (now), Role (appUser for message:appUser, appMaker otherwise), AuthorID (the
//     app user's for appUser, the app maker's otherwise), Source (messenger for appUser, api otherwise), Type
//     text. Actions get an ID and, in a postback, type postback; buy actions of payments type buy.
//   - Timestamp is now; a source or destination is messenger; a payment's charge gets an ID; a link's
//     channel is messenger and its criteria {}.
//
// payload is not modified. A trigger no webhook is subscribed to is no error: the Event has no deliveries.
func (s *Server) TriggerEvent(appID string, payload smooch.WebhookPayload) (*Event, error) {
	if payload == nil {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: nil payload")
	}
	now := time.Now()
	c := completer{ids: s.backend.ids, now: now, appID: appID, users: &s.appUsers}
	full, err := c.complete(payload)
	if err != nil {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: %w", err)
	}
	body, err := json.Marshal(full)
	if err != nil {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: %w", err)
	}
	if err := s.validator.ValidateWebhookPayload(body); err != nil {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: the payload is not one Smooch sends: %w", err)
	}
	var event smooch.WebhookEvent
	if err := json.Unmarshal(body, &event); err != nil { // the SDK reads what the fake sends
		return nil, fmt.Errorf("smoochtest: TriggerEvent: %w", err)
	}
	e := &Event{Trigger: event.Trigger, AppID: appID, Payload: body, done: make(chan struct{})}
	s.store.mu.Lock()
	a, ok := s.store.apps[appID]
	if ok {
		for _, w := range a.webhooks {
			triggers := make([]smooch.WebhookTrigger, 0, len(w.Triggers))
			for _, t := range w.Triggers {
				triggers = append(triggers, smooch.WebhookTrigger(t))
			}
			if subscribed(triggers, e.Trigger) {
				e.deliveries = append(e.deliveries, &delivery{hook: webhookCall{id: w.ID, target: w.Target, secret: w.Secret},
					status: Delivery{WebhookID: w.ID, Target: w.Target}})
			}
		}
	}
	s.store.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: no app %s", appID)
	}
	if !s.delivery.start(e) {
		return nil, fmt.Errorf("smoochtest: TriggerEvent: the server is closed")
	}
	return e, nil
}

// appUsers remembers when the fake first saw each app user, and the id of its client, so that the full app
// user of later events says the same.
type appUsers struct {
	mu   sync.Mutex
	seen map[[2]string]appUserSeen // by app id and app user id
}

type appUserSeen struct {
	signedUpAt time.Time
	clientID   string
}

func (u *appUsers) get(appID, appUserID string, ids *idSource, now time.Time) appUserSeen {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen == nil {
		u.seen = map[[2]string]appUserSeen{}
	}
	key := [2]string{appID, appUserID}
	seen, ok := u.seen[key]
	if !ok {
		seen = appUserSeen{signedUpAt: now.UTC().Truncate(time.Millisecond), clientID: ids.objectID()}
		u.seen[key] = seen
	}
	return seen
}
