package smoochtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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

// completer fills in a payload as TriggerEvent says.
type completer struct {
	ids   *idSource
	now   time.Time
	appID string
	users *appUsers
}

func (c completer) timestamp() smooch.Timestamp {
	return smooch.Timestamp(float64(c.now.UnixMilli()) / 1000)
}

func (c completer) app(app smooch.WebhookApp) (smooch.WebhookApp, error) {
	if app.ID != "" && app.ID != c.appID {
		return app, fmt.Errorf("the payload's app is %s, not %s", app.ID, c.appID)
	}
	return smooch.WebhookApp{ID: c.appID}, nil
}

// appUser checks the app user's id and, for the triggers whose payload has the full app user, fills it in.
func (c completer) appUser(u smooch.AppUser, what string, full bool, channel string) (smooch.AppUser, error) {
	if u.ID == "" {
		return u, fmt.Errorf("the %s has no ID", what)
	}
	if !full {
		return u, nil
	}
	seen := c.users.get(c.appID, u.ID, c.ids, c.now)
	if u.SignedUpAt.IsZero() {
		u.SignedUpAt = seen.signedUpAt
	}
	if u.Properties == nil {
		u.Properties = map[string]any{}
	}
	if len(u.Clients) == 0 {
		u.Clients = []smooch.AppUserClient{{ID: seen.clientID, Platform: channel, Active: true, LastSeen: c.now.UTC().Truncate(time.Millisecond)}}
	}
	return u, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// message fills in a message of the app user (role appUser) or of the business.
func (c completer) message(m smooch.Message, role smooch.MessageRole, appUserID string) smooch.Message {
	m.ID = orDefault(m.ID, c.ids.objectID())
	if m.Received == 0 {
		m.Received = c.timestamp()
	}
	if m.Role == "" {
		m.Role = role
	}
	if m.Type == "" {
		m.Type = smooch.MessageTypeText
	}
	if m.Role == smooch.MessageRoleAppUser {
		m.AuthorID = orDefault(m.AuthorID, appUserID)
		m.Source.Type = orDefault(m.Source.Type, "messenger")
	} else {
		m.AuthorID = orDefault(m.AuthorID, "smoochtest-app-maker-"+digestHex(8, c.appID))
		m.Source.Type = orDefault(m.Source.Type, "api")
	}
	m.Actions = c.actions(m.Actions, "")
	if len(m.Items) > 0 {
		items := slices.Clone(m.Items)
		for i := range items {
			items[i].ID = orDefault(items[i].ID, c.ids.objectID())
			items[i].Actions = c.actions(items[i].Actions, "")
		}
		m.Items = items
	}
	m.Raw = nil
	return m
}

func (c completer) actions(actions []smooch.MessageAction, typ smooch.MessageActionType) []smooch.MessageAction {
	if len(actions) == 0 {
		return actions
	}
	out := slices.Clone(actions)
	for i := range out {
		out[i] = c.action(out[i], typ)
	}
	return out
}

func (c completer) action(a smooch.MessageAction, typ smooch.MessageActionType) smooch.MessageAction {
	a.ID = orDefault(a.ID, c.ids.objectID())
	if a.Type == "" {
		a.Type = typ
	}
	return a
}

func (c completer) messages(ms []smooch.Message, role smooch.MessageRole, appUserID string) ([]smooch.Message, error) {
	if len(ms) == 0 {
		return nil, fmt.Errorf("the payload has no messages")
	}
	out := make([]smooch.Message, len(ms))
	for i, m := range ms {
		out[i] = c.message(m, role, appUserID)
	}
	return out, nil
}

// complete returns a filled-in copy of p.
func (c completer) complete(p smooch.WebhookPayload) (smooch.WebhookPayload, error) {
	var err error
	switch p := p.(type) {
	case *smooch.MessagePayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerMessageAppUser
		}
		role := smooch.MessageRoleAppMaker
		if out.Trigger == smooch.WebhookTriggerMessageAppUser {
			role = smooch.MessageRoleAppUser
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		channel := "messenger"
		if len(out.Messages) > 0 && role == smooch.MessageRoleAppUser && out.Messages[0].Source.Type != "" {
			channel = out.Messages[0].Source.Type
		}
		if out.AppUser, err = c.appUser(out.AppUser, "app user", true, channel); err != nil {
			return nil, err
		}
		if out.Messages, err = c.messages(out.Messages, role, out.AppUser.ID); err != nil {
			return nil, err
		}
		return &out, nil
	case *smooch.PostbackPayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerPostback
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		if out.AppUser, err = c.appUser(out.AppUser, "app user", true, "messenger"); err != nil {
			return nil, err
		}
		if len(out.Postbacks) == 0 {
			return nil, fmt.Errorf("the payload has no postbacks")
		}
		out.Postbacks = slices.Clone(out.Postbacks)
		for i, pb := range out.Postbacks {
			pb.Action = c.action(pb.Action, smooch.MessageActionTypePostback)
			if pb.Message != nil {
				m := c.message(*pb.Message, smooch.MessageRoleAppMaker, out.AppUser.ID)
				pb.Message = &m
			}
			out.Postbacks[i] = pb
		}
		return &out, nil
	case *smooch.ConversationPayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerConversationRead
			if out.Referral.Code != "" {
				out.Trigger = smooch.WebhookTriggerConversationReferral
			}
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		out.Source.Type = orDefault(out.Source.Type, "messenger")
		full := out.Trigger == smooch.WebhookTriggerConversationStart
		if out.AppUser, err = c.appUser(out.AppUser, "app user", full, out.Source.Type); err != nil {
			return nil, err
		}
		if out.Timestamp == 0 {
			out.Timestamp = c.timestamp()
		}
		return &out, nil
	case *smooch.MergePayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerMergeAppUser
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		if out.Surviving, err = c.appUser(out.Surviving, "surviving app user", false, ""); err != nil {
			return nil, err
		}
		if len(out.Discarded) == 0 {
			return nil, fmt.Errorf("the payload has no discarded app users")
		}
		for i, u := range out.Discarded {
			if _, err := c.appUser(u, fmt.Sprintf("discarded app user %d", i), false, ""); err != nil {
				return nil, err
			}
		}
		return &out, nil
	case *smooch.DeliveryPayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerDeliverySuccess
			if out.Error != nil {
				out.Trigger = smooch.WebhookTriggerDeliveryFailure
			}
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		if out.AppUser, err = c.appUser(out.AppUser, "app user", false, ""); err != nil {
			return nil, err
		}
		out.Destination.Type = orDefault(out.Destination.Type, "messenger")
		if out.Messages, err = c.messages(out.Messages, smooch.MessageRoleAppMaker, out.AppUser.ID); err != nil {
			return nil, err
		}
		if out.Timestamp == 0 {
			out.Timestamp = c.timestamp()
		}
		return &out, nil
	case *smooch.PaymentPayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerPaymentSuccess
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		if out.AppUser, err = c.appUser(out.AppUser, "app user", false, ""); err != nil {
			return nil, err
		}
		if len(out.Payments) == 0 {
			return nil, fmt.Errorf("the payload has no payments")
		}
		out.Payments = slices.Clone(out.Payments)
		for i, pay := range out.Payments {
			pay.Source.Type = orDefault(pay.Source.Type, "messenger")
			pay.Action = c.action(pay.Action, smooch.MessageActionTypeBuy)
			pay.Charge.ID = orDefault(pay.Charge.ID, "ch_"+c.ids.objectID())
			if pay.Message != nil {
				m := c.message(*pay.Message, smooch.MessageRoleAppMaker, out.AppUser.ID)
				pay.Message = &m
			}
			out.Payments[i] = pay
		}
		if out.Timestamp == 0 {
			out.Timestamp = c.timestamp()
		}
		return &out, nil
	case *smooch.LinkPayload:
		out := *p
		if out.Trigger == "" {
			out.Trigger = smooch.WebhookTriggerLinkSuccess
			if out.Error != nil {
				out.Trigger = smooch.WebhookTriggerLinkFailure
			}
		}
		if out.App, err = c.app(out.App); err != nil {
			return nil, err
		}
		if out.AppUser, err = c.appUser(out.AppUser, "app user", false, ""); err != nil {
			return nil, err
		}
		out.Channel = orDefault(out.Channel, "messenger")
		if out.Criteria == nil {
			out.Criteria = map[string]any{}
		} else {
			out.Criteria = maps.Clone(out.Criteria)
		}
		return &out, nil
	case *smooch.UnknownPayload:
		return nil, fmt.Errorf("trigger %q is not one of the v1 reference: the fake sends only payloads it documents", p.Trigger)
	}
	return nil, fmt.Errorf("unknown payload type %T", p)
}
