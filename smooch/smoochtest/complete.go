package smoochtest

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
)

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
