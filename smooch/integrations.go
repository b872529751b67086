package smooch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"

	"github.com/smoochkit/smooch-go/gen"
)

// IntegrationsService connects messaging channels to an app. Every method needs account scope.
type IntegrationsService struct{ c *Client }

// IntegrationListOptions select the integrations Integrations.List returns.
type IntegrationListOptions struct {
	// Types, when not empty, lists only the integrations of these types.
	Types []IntegrationType
}

// Integration is a messaging channel configured on an app, as the API returns it. Credentials sent at
// creation are never returned. Reach the channel's details with a type switch on Channel, which the compiler
// checks: a case that can never match (a value instead of a pointer, a Channel builder instead of the
// integration) does not compile.
//
//	switch ch := integration.Channel().(type) {
//	case *smooch.TelegramIntegration:
//		fmt.Println("bot:", ch.Username)
//	case *smooch.TwilioIntegration:
//		fmt.Println("number:", ch.PhoneNumber)
//	case *smooch.UnknownIntegration:
//		fmt.Println("a newer channel:", ch.Type)
//	}
type Integration struct {
	// ID is the integration's id.
	ID string
	// Type is the integration's type, e.g. IntegrationTypeTelegram (or a type unknown to this package).
	Type IntegrationType

	channel IntegrationChannel
}

// IntegrationChannel is the channel-specific part of an Integration: one of *MessengerIntegration,
// *TwitterIntegration, *TwilioIntegration, *TelegramIntegration, *LINEIntegration, *ViberIntegration,
// *WeChatIntegration, *MailgunIntegration, *MessageBirdIntegration, *FrontendEmailIntegration,
// *APNIntegration, *FCMIntegration, or *UnknownIntegration for a type this package does not know. No other
// type implements it.
type IntegrationChannel interface {
	isIntegrationChannel()
}

func (*MessengerIntegration) isIntegrationChannel()     {}
func (*TwitterIntegration) isIntegrationChannel()       {}
func (*TwilioIntegration) isIntegrationChannel()        {}
func (*TelegramIntegration) isIntegrationChannel()      {}
func (*LINEIntegration) isIntegrationChannel()          {}
func (*ViberIntegration) isIntegrationChannel()         {}
func (*WeChatIntegration) isIntegrationChannel()        {}
func (*MailgunIntegration) isIntegrationChannel()       {}
func (*MessageBirdIntegration) isIntegrationChannel()   {}
func (*FrontendEmailIntegration) isIntegrationChannel() {}
func (*APNIntegration) isIntegrationChannel()           {}
func (*FCMIntegration) isIntegrationChannel()           {}
func (*UnknownIntegration) isIntegrationChannel()       {}

// integrationTypes maps each type this package knows to a new value of its model. Integration decodes by
// this table, the contract's discriminator mapping (a test holds them equal).
var integrationTypes = map[IntegrationType]func() IntegrationChannel{
	IntegrationTypeMessenger:     func() IntegrationChannel { return new(MessengerIntegration) },
	IntegrationTypeTwitter:       func() IntegrationChannel { return new(TwitterIntegration) },
	IntegrationTypeTwilio:        func() IntegrationChannel { return new(TwilioIntegration) },
	IntegrationTypeTelegram:      func() IntegrationChannel { return new(TelegramIntegration) },
	IntegrationTypeLINE:          func() IntegrationChannel { return new(LINEIntegration) },
	IntegrationTypeViber:         func() IntegrationChannel { return new(ViberIntegration) },
	IntegrationTypeWeChat:        func() IntegrationChannel { return new(WeChatIntegration) },
	IntegrationTypeMailgun:       func() IntegrationChannel { return new(MailgunIntegration) },
	IntegrationTypeMessageBird:   func() IntegrationChannel { return new(MessageBirdIntegration) },
	IntegrationTypeFrontendEmail: func() IntegrationChannel { return new(FrontendEmailIntegration) },
	IntegrationTypeAPN:           func() IntegrationChannel { return new(APNIntegration) },
	IntegrationTypeFCM:           func() IntegrationChannel { return new(FCMIntegration) },
}

// UnknownIntegration is an integration of a type this version of the package does not know, e.g. a channel
// added to the API later. Like the known channels' models it has an ID and a Type; decode Raw for the rest.
type UnknownIntegration struct {
	// ID is the integration's id.
	ID string
	// Type is the integration's type, one no IntegrationType… constant names.
	Type IntegrationType
	// Raw is the integration's JSON object as received. This package cannot know which of its members are
	// credentials: do not log it.
	Raw json.RawMessage
}

// Channel returns the channel's details, chosen by the integration's type. It is never nil for an
// Integration returned by this package.
func (i Integration) Channel() IntegrationChannel { return i.channel }

// MarshalJSON encodes the channel's details (credentials redacted), or the raw object of an unknown type.
func (i Integration) MarshalJSON() ([]byte, error) {
	if u, ok := i.channel.(*UnknownIntegration); ok {
		return u.Raw, nil
	}
	if i.channel == nil {
		return []byte("null"), nil
	}
	return json.Marshal(i.channel)
}

// UnmarshalJSON decodes an integration object, choosing its channel's model by the `type` member.
func (i *Integration) UnmarshalJSON(b []byte) error {
	var head struct {
		ID   string          `json:"_id"`
		Type IntegrationType `json:"type"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	if head.Type == "" {
		// Not quoted: the object may hold credentials (WeChat's and MessageBird's webhookSecret).
		return fmt.Errorf("smooch: an integration without a type (id %q)", head.ID)
	}
	out := Integration{ID: head.ID, Type: head.Type}
	newModel, known := integrationTypes[head.Type]
	if !known {
		out.channel = &UnknownIntegration{ID: head.ID, Type: head.Type, Raw: append(json.RawMessage(nil), b...)}
		*i = out
		return nil
	}
	model := newModel()
	if err := json.Unmarshal(b, model); err != nil {
		return fmt.Errorf("smooch: decoding a %s integration: %w", head.Type, err)
	}
	out.channel = model
	*i = out
	return nil
}

// Format prints the integration's id, type and channel details, credentials redacted.
func (i Integration) Format(s fmt.State, verb rune) {
	type fields struct {
		ID      string
		Type    IntegrationType
		Channel IntegrationChannel
	}
	formatModel(s, verb, fields{ID: i.ID, Type: i.Type, Channel: i.channel})
}

// LogValue logs the integration's id and type.
func (i Integration) LogValue() slog.Value {
	return slog.GroupValue(slog.String("ID", i.ID), slog.String("Type", string(i.Type)))
}

type integrationResponse struct {
	Integration Integration `json:"integration"`
}

type integrationListResponse struct {
	Integrations []Integration `json:"integrations"`
}

// Create connects a channel to an app, e.g.
//
//	integration, err := client.Integrations.Create(ctx, appID, smooch.Telegram{Token: token})
//
// The channel's arguments are checked first: a missing or malformed one is a *ValidationError and nothing is
// sent.
func (s *IntegrationsService) Create(ctx context.Context, appID string, ch Channel, opts ...Option) (*Integration, error) {
	op := opCreateIntegration
	if err := s.c.begin(op, []string{appID}, checkChannel(op, ch)); err != nil {
		return nil, err
	}
	body, err := channelBody(ch)
	if err != nil {
		return nil, err
	}
	var resp integrationResponse
	// The channel's credentials stay out of an *APIError, should the server echo the request in its error.
	opts = append(opts[:len(opts):len(opts)], scrubbing(secretValues(ch)))
	err = s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewCreateIntegrationRequestWithBody(server, appID, jsonContent, bytes.NewReader(body))
	})
	if err != nil {
		return nil, err
	}
	return &resp.Integration, nil
}

// checkChannel refuses a nil channel, including a nil *Telegram (pointers have the value methods).
func checkChannel(op operation, ch Channel) error {
	if v := reflect.ValueOf(ch); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return &ValidationError{Subject: op.method, Field: "channel", Problem: "is nil"}
	}
	return nil
}

// List lists an app's integrations; opts may be nil (all of them).
func (s *IntegrationsService) List(ctx context.Context, appID string, opts *IntegrationListOptions, callOpts ...Option) ([]Integration, error) {
	op := opListIntegrations
	var o IntegrationListOptions
	if opts != nil {
		o = *opts
	}
	var checks []error
	for _, t := range o.Types {
		if !t.Valid() {
			checks = append(checks, &ValidationError{Subject: op.method, Field: "types", Problem: fmt.Sprintf("has unknown type %q (see the IntegrationType constants)", string(t))})
		}
	}
	if err := s.c.begin(op, []string{appID}, checks...); err != nil {
		return nil, err
	}
	params := &gen.ListIntegrationsParams{}
	if len(o.Types) > 0 {
		types := make([]gen.IntegrationType, len(o.Types))
		for i, t := range o.Types {
			types[i] = gen.IntegrationType(t)
		}
		params.Types = &types
	}
	var resp integrationListResponse
	err := s.c.call(ctx, op, callOpts, &resp, func(server string) (*http.Request, error) {
		return gen.NewListIntegrationsRequest(server, appID, params)
	})
	if err != nil {
		return nil, err
	}
	return resp.Integrations, nil
}

// Get fetches an integration.
func (s *IntegrationsService) Get(ctx context.Context, appID, integrationID string, opts ...Option) (*Integration, error) {
	op := opGetIntegration
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return nil, err
	}
	var resp integrationResponse
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewGetIntegrationRequest(server, appID, integrationID)
	})
	if err != nil {
		return nil, err
	}
	return &resp.Integration, nil
}

// Delete removes an integration from an app.
func (s *IntegrationsService) Delete(ctx context.Context, appID, integrationID string, opts ...Option) error {
	op := opDeleteIntegration
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, opts, nil, func(server string) (*http.Request, error) {
		return gen.NewDeleteIntegrationRequest(server, appID, integrationID)
	})
}
