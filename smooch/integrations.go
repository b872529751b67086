package smooch

import (
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

// What the API returns for each channel: the generated models, re-exported. Integration.Channel returns a
// pointer to one of them.
type (
	MessengerIntegration     = gen.MessengerIntegration
	TwitterIntegration       = gen.TwitterIntegration
	TwilioIntegration        = gen.TwilioIntegration
	TelegramIntegration      = gen.TelegramIntegration
	LINEIntegration          = gen.LINEIntegration
	ViberIntegration         = gen.ViberIntegration
	MailgunIntegration       = gen.MailgunIntegration
	FrontendEmailIntegration = gen.FrontendEmailIntegration
	APNIntegration           = gen.APNIntegration
	FCMIntegration           = gen.FCMIntegration
)

// UnknownIntegration is an integration of a type this version of the package does not know, e.g. a channel
// added to the API later. Like the known channels' models it has an ID and a Type; decode Raw for the rest.
type UnknownIntegration struct {
	// ID is the integration's id.
	ID string
	// Type is the integration's type, one no IntegrationType… constant names.
	Type IntegrationType
	// Raw is the integration's JSON object as received.
	Raw json.RawMessage
}

// Integration is a messaging channel configured on an app, as the API returns it. Credentials sent at
// creation are never returned. Reach the channel's details with a type switch on Channel:
//
//	switch ch := integration.Channel().(type) {
//	case *smooch.TelegramIntegration:
//		fmt.Println("bot:", *ch.Username)
//	case *smooch.TwilioIntegration:
//		fmt.Println("number:", *ch.PhoneNumber)
//	case *smooch.UnknownIntegration:
//		fmt.Println("a newer channel:", ch.Type)
//	}
type Integration struct {
	// ID is the integration's id.
	ID string
	// Type is the integration's type, e.g. IntegrationTypeTelegram (or a type unknown to this package).
	Type IntegrationType

	channel any
	raw     json.RawMessage
}

// Channel returns the channel's details, chosen by the integration's type: *MessengerIntegration,
// *TwitterIntegration, *TwilioIntegration, *TelegramIntegration, *LINEIntegration, *ViberIntegration,
// *WeChatIntegration, *MailgunIntegration, *MessageBirdIntegration, *FrontendEmailIntegration,
// *APNIntegration, *FCMIntegration, or *UnknownIntegration for a type this package does not know.
func (i Integration) Channel() any { return i.channel }

// MarshalJSON returns the integration's JSON object as the API sent it.
func (i Integration) MarshalJSON() ([]byte, error) {
	if i.raw == nil {
		return []byte("null"), nil
	}
	return i.raw, nil
}

// UnmarshalJSON decodes an integration object, choosing its channel type by the `type` field.
func (i *Integration) UnmarshalJSON(b []byte) error {
	var u gen.Integration
	if err := u.UnmarshalJSON(b); err != nil {
		return err
	}
	decoded, err := decodeIntegration(u)
	if err != nil {
		return fmt.Errorf("smooch: %w", err)
	}
	*i = decoded
	return nil
}

func (i Integration) fields() []field {
	return []field{{name: "ID", value: i.ID}, {name: "Type", value: i.Type}}
}

// Format prints the integration's id and type; print Channel() for its details.
func (i Integration) Format(s fmt.State, verb rune) {
	formatRedacted(s, verb, "Integration", i.fields())
}

// LogValue logs the integration's id and type.
func (i Integration) LogValue() slog.Value { return logValueRedacted(i.fields()) }

// decodeIntegration switches on the discriminator, not on what As… accepts (As… decodes any object).
func decodeIntegration(u gen.Integration) (Integration, error) {
	raw, err := u.MarshalJSON()
	if err != nil {
		return Integration{}, err
	}
	var head struct {
		ID   *string `json:"_id"`
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return Integration{}, fmt.Errorf("decoding an integration: %w", err)
	}
	if head.Type == nil {
		return Integration{}, fmt.Errorf("decoding an integration: no type in %s", truncate(raw))
	}
	out := Integration{Type: IntegrationType(*head.Type), raw: json.RawMessage(raw)}
	if head.ID != nil {
		out.ID = *head.ID
	}
	decode := func(v any) (any, error) { return v, json.Unmarshal(raw, v) }
	switch out.Type {
	case IntegrationTypeMessenger:
		out.channel, err = decode(&MessengerIntegration{})
	case IntegrationTypeTwitter:
		out.channel, err = decode(&TwitterIntegration{})
	case IntegrationTypeTwilio:
		out.channel, err = decode(&TwilioIntegration{})
	case IntegrationTypeTelegram:
		out.channel, err = decode(&TelegramIntegration{})
	case IntegrationTypeLINE:
		out.channel, err = decode(&LINEIntegration{})
	case IntegrationTypeViber:
		out.channel, err = decode(&ViberIntegration{})
	case IntegrationTypeWeChat:
		out.channel, err = decode(&WeChatIntegration{})
	case IntegrationTypeMailgun:
		out.channel, err = decode(&MailgunIntegration{})
	case IntegrationTypeMessageBird:
		out.channel, err = decode(&MessageBirdIntegration{})
	case IntegrationTypeFrontendEmail:
		out.channel, err = decode(&FrontendEmailIntegration{})
	case IntegrationTypeAPN:
		out.channel, err = decode(&APNIntegration{})
	case IntegrationTypeFCM:
		out.channel, err = decode(&FCMIntegration{})
	default:
		out.channel = &UnknownIntegration{ID: out.ID, Type: out.Type, Raw: out.raw}
	}
	if err != nil {
		return Integration{}, fmt.Errorf("decoding a %s integration: %w", out.Type, err)
	}
	return out, nil
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Create connects a channel to an app, e.g.
//
//	integration, err := client.Integrations.Create(ctx, appID, smooch.Telegram{Token: token})
//
// The channel's arguments are checked first: a missing or malformed one is a *ValidationError and nothing is
// sent.
func (s *IntegrationsService) Create(ctx context.Context, appID string, ch Channel) (*Integration, error) {
	op := opCreateIntegration
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	// A nil *Telegram satisfies Channel too (pointers have the value methods): refuse it rather than panic.
	if v := reflect.ValueOf(ch); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return nil, &ValidationError{Subject: op.method, Field: "channel", Problem: "is nil"}
	}
	body, err := ch.body()
	if err != nil {
		return nil, err
	}
	resp, err := call[gen.IntegrationResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateIntegration(ctx, appID, body)
	})
	if err != nil {
		return nil, err
	}
	return decodeOne(op, resp.Integration)
}

// List lists an app's integrations, only those of the given types if any are given.
func (s *IntegrationsService) List(ctx context.Context, appID string, types ...IntegrationType) ([]Integration, error) {
	op := opListIntegrations
	var checks []error
	for _, t := range types {
		if !t.Valid() {
			checks = append(checks, &ValidationError{Subject: op.method, Field: "types", Problem: fmt.Sprintf("has unknown type %q (see the IntegrationType constants)", string(t))})
		}
	}
	if err := s.c.begin(op, []string{appID}, checks...); err != nil {
		return nil, err
	}
	params := &gen.ListIntegrationsParams{}
	if len(types) > 0 {
		params.Types = &types
	}
	resp, err := call[gen.IntegrationListResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListIntegrations(ctx, appID, params)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Integration, 0, len(resp.Integrations))
	for _, u := range resp.Integrations {
		i, err := decodeOne(op, u)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, nil
}

// Get fetches an integration.
func (s *IntegrationsService) Get(ctx context.Context, appID, integrationID string) (*Integration, error) {
	op := opGetIntegration
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.IntegrationResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetIntegration(ctx, appID, integrationID)
	})
	if err != nil {
		return nil, err
	}
	return decodeOne(op, resp.Integration)
}

// Delete removes an integration from an app.
func (s *IntegrationsService) Delete(ctx context.Context, appID, integrationID string) error {
	op := opDeleteIntegration
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteIntegration(ctx, appID, integrationID)
	})
}

func decodeOne(op operation, u gen.Integration) (*Integration, error) {
	i, err := decodeIntegration(u)
	if err != nil {
		return nil, fmt.Errorf("smooch: %s: %w", op.method, err)
	}
	return &i, nil
}
