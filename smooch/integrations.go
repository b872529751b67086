package smooch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/mail"
	"net/url"
	"reflect"
	"strings"
	"unicode/utf8"
)

// IntegrationsService connects messaging channels to an app, changes their settings and sets a WhatsApp
// integration's business profile. Every method needs account scope.
type IntegrationsService struct{ c *Client }

// IntegrationListOptions select the integrations Integrations.List and All return.
type IntegrationListOptions struct {
	// ListOptions select a page under v1.1, which pages the list (25 by default): Limit is the page size, and
	// Offset where List and All start. v1 lists every integration at once and takes neither: they are refused
	// there.
	ListOptions
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
	// Status says whether the integration works: IntegrationStatusActive, IntegrationStatusInactive or
	// IntegrationStatusError. Empty when the API does not say (its answers before 2018 did not).
	Status IntegrationStatus
	// Error says what failed when Status is IntegrationStatusError.
	Error string

	channel IntegrationChannel
}

// IntegrationChannel is the channel-specific part of an Integration: one of *MessengerIntegration,
// *TwitterIntegration, *TwilioIntegration, *TelegramIntegration, *LINEIntegration, *ViberIntegration,
// *WeChatIntegration, *MailgunIntegration, *MessageBirdIntegration, *EmailIntegration,
// *APNIntegration, *FCMIntegration, *WebMessengerIntegration, *WhatsAppIntegration, *InstagramIntegration,
// *AppleBusinessChatIntegration, or *UnknownIntegration for a type this package does not know. No other type
// implements it.
type IntegrationChannel interface {
	head() integrationHead
}

// integrationHead is what every integration has, whatever its type.
type integrationHead struct {
	ID     string
	Type   IntegrationType
	Status IntegrationStatus
	Error  string
}

func (m *MessengerIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *TwitterIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *TwilioIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *TelegramIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *LINEIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *ViberIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *WeChatIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *MailgunIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *MessageBirdIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *EmailIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *APNIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *FCMIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *WebMessengerIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *WhatsAppIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *InstagramIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *AppleBusinessChatIntegration) head() integrationHead {
	return integrationHead{m.ID, m.Type, m.Status, m.Error}
}
func (m *UnknownIntegration) head() integrationHead { return integrationHead{ID: m.ID, Type: m.Type} }

// integrationTypes maps each type this package knows to a new value of its model. Integration decodes by
// this table, the contract's discriminator mapping (a test holds them equal).
var integrationTypes = map[IntegrationType]func() IntegrationChannel{
	IntegrationTypeMessenger:         func() IntegrationChannel { return new(MessengerIntegration) },
	IntegrationTypeTwitter:           func() IntegrationChannel { return new(TwitterIntegration) },
	IntegrationTypeTwilio:            func() IntegrationChannel { return new(TwilioIntegration) },
	IntegrationTypeTelegram:          func() IntegrationChannel { return new(TelegramIntegration) },
	IntegrationTypeLINE:              func() IntegrationChannel { return new(LINEIntegration) },
	IntegrationTypeViber:             func() IntegrationChannel { return new(ViberIntegration) },
	IntegrationTypeWeChat:            func() IntegrationChannel { return new(WeChatIntegration) },
	IntegrationTypeMailgun:           func() IntegrationChannel { return new(MailgunIntegration) },
	IntegrationTypeMessageBird:       func() IntegrationChannel { return new(MessageBirdIntegration) },
	IntegrationTypeFrontendEmail:     func() IntegrationChannel { return new(EmailIntegration) },
	IntegrationTypeAPN:               func() IntegrationChannel { return new(APNIntegration) },
	IntegrationTypeFCM:               func() IntegrationChannel { return new(FCMIntegration) },
	IntegrationTypeWeb:               func() IntegrationChannel { return new(WebMessengerIntegration) },
	IntegrationTypeWhatsApp:          func() IntegrationChannel { return new(WhatsAppIntegration) },
	IntegrationTypeInstagram:         func() IntegrationChannel { return new(InstagramIntegration) },
	IntegrationTypeAppleBusinessChat: func() IntegrationChannel { return new(AppleBusinessChatIntegration) },
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
	typ := typeOf(b)
	newModel, known := integrationTypes[typ]
	if !known {
		return i.decodeHead(b)
	}
	// One pass: the model holds the members every integration has.
	model := newModel()
	if err := json.Unmarshal(b, model); err != nil {
		return fmt.Errorf("smooch: decoding a %s integration: %w", typ, err)
	}
	h := model.head()
	*i = Integration{ID: h.ID, Type: h.Type, Status: h.Status, Error: h.Error, channel: model}
	return nil
}

// typeOf returns the value of the object's "type" member, as encoding/json would decode it into a field
// named type (any case, the last one wins) when the value is a plain string, and "" when it is anything else
// (absent, null, escaped, not a string, not an object), for decodeHead to decode or explain.
func typeOf(b []byte) IntegrationType {
	var typ []byte
	eachMember(b, func(name []byte, _ int, value []byte) {
		if matchesName(name, "type") {
			typ = value
		}
	})
	if len(typ) < 2 || typ[0] != '"' || bytes.IndexByte(typ, '\\') >= 0 {
		return ""
	}
	return IntegrationType(typ[1 : len(typ)-1])
}

// decodeHead decodes an integration of a type this package does not know, or one typeOf could not read.
func (i *Integration) decodeHead(b []byte) error {
	var head integrationHead
	if err := json.Unmarshal(b, &struct {
		ID     *string            `json:"_id"`
		Type   *IntegrationType   `json:"type"`
		Status *IntegrationStatus `json:"status"`
		Error  *string            `json:"error"`
	}{&head.ID, &head.Type, &head.Status, &head.Error}); err != nil {
		return err
	}
	if head.Type == "" {
		// Not quoted: the object may hold credentials (WeChat's and MessageBird's webhookSecret).
		return fmt.Errorf("smooch: an integration without a type (id %q)", head.ID)
	}
	if newModel, known := integrationTypes[head.Type]; known { // the type was escaped: decode it now
		model := newModel()
		if err := json.Unmarshal(b, model); err != nil {
			return fmt.Errorf("smooch: decoding a %s integration: %w", head.Type, err)
		}
		*i = Integration{ID: head.ID, Type: head.Type, Status: head.Status, Error: head.Error, channel: model}
		return nil
	}
	*i = Integration{ID: head.ID, Type: head.Type, Status: head.Status, Error: head.Error,
		channel: &UnknownIntegration{ID: head.ID, Type: head.Type, Raw: append(json.RawMessage(nil), b...)}}
	return nil
}

// Format prints the integration's id, type, status, error and channel details, credentials redacted.
func (i Integration) Format(s fmt.State, verb rune) {
	type fields struct {
		ID      string
		Type    IntegrationType
		Status  IntegrationStatus
		Error   string
		Channel IntegrationChannel
	}
	formatAs(s, verb, "Integration", fields{ID: i.ID, Type: i.Type, Status: i.Status, Error: i.Error, Channel: i.channel})
}

// LogValue logs the integration's id, type and status (and error, if any).
func (i Integration) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("ID", i.ID), slog.String("Type", string(i.Type)), slog.String("Status", string(i.Status))}
	if i.Error != "" {
		attrs = append(attrs, slog.String("Error", i.Error))
	}
	return slog.GroupValue(attrs...)
}

type integrationResponse struct {
	Integration Integration `json:"integration"`
}

type integrationListResponse struct {
	Integrations []Integration `json:"integrations"`
	HasMore      bool          `json:"hasMore,omitempty"` // v1.1 only
	Offset       int           `json:"offset,omitempty"`  // v1.1 only
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
	err = s.c.callSending(ctx, op, []string{appID}, "", body, ch, opts, &resp)
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

// List lists an app's integrations, every one of them; opts may be nil. Under v1.1, which pages the list, it
// fetches page after page (of opts.Limit integrations, the API's 25 by default) from opts.Offset on, until the
// last: as under v1, which answers them all at once, it returns them all. To handle one at a time as pages
// arrive, range over All.
func (s *IntegrationsService) List(ctx context.Context, appID string, opts *IntegrationListOptions, callOpts ...Option) ([]Integration, error) {
	var all []Integration
	for integration, err := range s.All(ctx, appID, opts, callOpts...) {
		if err != nil {
			return nil, err
		}
		all = append(all, integration)
	}
	if all == nil {
		all = []Integration{}
	}
	return all, nil
}

// All iterates over an app's integrations (opts may be nil), fetching pages lazily as the loop goes under v1.1,
// and the one answer under v1. The loop ends after the last integration, or after yielding an error. Paging is
// by offset, as for Apps.All: deleting integrations while ranging skips some.
func (s *IntegrationsService) All(ctx context.Context, appID string, opts *IntegrationListOptions, callOpts ...Option) iter.Seq2[Integration, error] {
	var o IntegrationListOptions
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.ListOptions, func(ctx context.Context, lo ListOptions) (*Page[Integration], error) {
		page := o
		page.ListOptions = lo
		return s.page(ctx, appID, page, callOpts)
	})
}

// page fetches one page of the list: under v1, the whole list.
func (s *IntegrationsService) page(ctx context.Context, appID string, o IntegrationListOptions, callOpts []Option) (*Page[Integration], error) {
	op := opListIntegrations
	checks := []error{o.validate(op)}
	for _, t := range o.Types {
		if !t.Valid() {
			checks = append(checks, &ValidationError{Subject: op.method, Field: "types", Problem: fmt.Sprintf("has unknown type %q (see the IntegrationType constants)", string(t))})
		}
	}
	if err := s.c.begin(op, []string{appID}, checks...); err != nil {
		return nil, err
	}
	cfg, err := s.c.callConfig(callOpts)
	if err != nil {
		return nil, err
	}
	if cfg.apiVersion == APIVersion1 && (o.Limit != 0 || o.Offset != 0) {
		return nil, &ValidationError{Subject: op.method, Field: "limit and offset", Problem: "are v1.1's: v1 lists every integration at once (pass smooch.WithAPIVersion(smooch.APIVersion1_1) to page)"}
	}
	// One comma-separated parameter (style form, explode false): ?types=twilio,line.
	query := o.values().Encode()
	if len(o.Types) > 0 {
		types := make([]string, len(o.Types))
		for i, t := range o.Types {
			types[i] = url.QueryEscape(string(t))
		}
		if query != "" {
			query += "&"
		}
		query += "types=" + strings.Join(types, ",")
	}
	var resp integrationListResponse
	if err := s.c.send2xx(ctx, cfg, op, []string{appID}, query, nil, jsonContent, nil, &resp); err != nil {
		return nil, err
	}
	// v1 answers neither hasMore nor offset: its one page holds them all.
	return &Page[Integration]{Items: resp.Integrations, HasMore: resp.HasMore, Offset: resp.Offset}, nil
}

// Get fetches an integration.
func (s *IntegrationsService) Get(ctx context.Context, appID, integrationID string, opts ...Option) (*Integration, error) {
	op := opGetIntegration
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return nil, err
	}
	var resp integrationResponse
	err := s.c.call(ctx, op, []string{appID, integrationID}, "", nil, opts, &resp)
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
	return s.c.call(ctx, op, []string{appID, integrationID}, "", nil, opts, nil)
}

// Update changes an integration's settings; the fields of update left empty are kept. Which fields apply
// depends on the integration's type: a Web Messenger (IntegrationTypeWeb) takes the display settings, a LINE
// integration ChannelID and ChannelSecret, a WhatsApp integration HSMFallbackLanguage; the API refuses a
// field that does not apply (400). The fields given are checked first, as the WebMessenger builder checks
// them: a malformed one is a *ValidationError naming it, and nothing is sent.
func (s *IntegrationsService) Update(ctx context.Context, appID, integrationID string, update IntegrationUpdate, opts ...Option) (*Integration, error) {
	op := opUpdateIntegration
	if err := s.c.begin(op, []string{appID, integrationID}, checkIntegrationUpdate(op.method, update)); err != nil {
		return nil, err
	}
	type fields IntegrationUpdate // without the MarshalJSON that redacts ChannelSecret
	body, err := encode(op.method, fields(update))
	if err != nil {
		return nil, err
	}
	var resp integrationResponse
	err = s.c.callSending(ctx, op, []string{appID, integrationID}, "", body, update, opts, &resp) // ChannelSecret, as in Create
	if err != nil {
		return nil, err
	}
	return &resp.Integration, nil
}

func checkIntegrationUpdate(subject string, u IntegrationUpdate) error {
	if isEmptyUpdate(u) {
		return invalidf(subject, "update", "is empty: nothing to update")
	}
	err := firstError(
		trimmed(subject, "displayName", u.DisplayName), trimmed(subject, "serviceCode", u.ServiceCode),
		trimmed(subject, "switcherSecret", u.SwitcherSecret), httpURL(subject, "qrCodeUrl", u.QRCodeURL),
		colour(subject, "brandColor", u.BrandColor), colour(subject, "conversationColor", u.ConversationColor),
		colour(subject, "actionColor", u.ActionColor), displayStyle(subject, "displayStyle", u.DisplayStyle),
		httpURL(subject, "buttonIconUrl", u.ButtonIconURL), trimmed(subject, "buttonWidth", u.ButtonWidth),
		trimmed(subject, "buttonHeight", u.ButtonHeight), ids(subject, "integrationOrder", u.IntegrationOrder),
		trimmed(subject, "businessName", u.BusinessName), httpURL(subject, "businessIconUrl", u.BusinessIconURL),
		httpURL(subject, "backgroundImageUrl", u.BackgroundImageURL), origins(subject, "originWhitelist", u.OriginWhitelist),
		trimmed(subject, "channelSecret", u.ChannelSecret), trimmed(subject, "hsmFallbackLanguage", u.HSMFallbackLanguage))
	if err == nil && u.ChannelID != "" && !digits.MatchString(u.ChannelID) {
		err = invalidf(subject, "channelId", "must be digits, got %q", u.ChannelID)
	}
	if err == nil && u.FromAddress != "" {
		if from, perr := mail.ParseAddress(u.FromAddress); perr != nil || from.Address != u.FromAddress {
			err = invalidf(subject, "fromAddress", "must be a bare email address, got %q", u.FromAddress)
		}
	}
	return err
}

// isEmptyUpdate reports whether encoding u sends no member at all (empty lists are left out like absent ones).
func isEmptyUpdate(u IntegrationUpdate) bool {
	type fields IntegrationUpdate
	b, err := json.Marshal(fields(u))
	return err == nil && string(b) == "{}"
}

// The limits of a WhatsApp business profile, in characters.
const (
	maxProfileAbout       = 139
	maxProfileAddress     = 256
	maxProfileDescription = 256
	maxProfileEmail       = 128
	maxProfileVertical    = 128
	maxProfileWebsites    = 2
)

// UpdateProfile sets a WhatsApp integration's business profile, what WhatsApp shows its users about the
// business; the fields of profile left empty are kept. Only WhatsApp integrations have one: the API refuses
// another (400). WhatsApp's limits are checked first: a field over its limit (About 139 characters, Address
// and Description 256, Email and Vertical 128, 2 Websites) or malformed (an Email that is not an address, a
// PhotoURL or website that is not an http or https URL) is a *ValidationError naming it, and nothing is sent.
func (s *IntegrationsService) UpdateProfile(ctx context.Context, appID, integrationID string, profile IntegrationProfileUpdate, opts ...Option) error {
	op := opUpdateIntegrationProfile
	if err := s.c.begin(op, []string{appID, integrationID}, checkProfile(op.method, profile)); err != nil {
		return err
	}
	body, err := encode(op.method, profile)
	if err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{appID, integrationID}, "", body, opts, nil)
}

func checkProfile(subject string, p IntegrationProfileUpdate) error {
	if b, err := json.Marshal(p); err == nil && string(b) == "{}" {
		return invalidf(subject, "profile", "is empty: nothing to update")
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"about", p.About, maxProfileAbout}, {"address", p.Address, maxProfileAddress},
		{"description", p.Description, maxProfileDescription}, {"email", p.Email, maxProfileEmail},
		{"vertical", p.Vertical, maxProfileVertical},
	} {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return invalidf(subject, f.name, "is %d characters long: at most %d", n, f.max)
		}
	}
	if p.Email != "" {
		if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != p.Email {
			return invalidf(subject, "email", "must be a bare email address like \"support@example.com\", got %q", p.Email)
		}
	}
	if err := httpURL(subject, "photoUrl", p.PhotoURL); err != nil {
		return err
	}
	if len(p.Websites) > maxProfileWebsites {
		return invalidf(subject, "websites", "has %d websites: at most %d", len(p.Websites), maxProfileWebsites)
	}
	for i, w := range p.Websites {
		if w == "" {
			return invalidf(subject, fmt.Sprintf("websites[%d]", i), "is empty")
		}
		if err := httpURL(subject, fmt.Sprintf("websites[%d]", i), w); err != nil {
			return err
		}
	}
	return nil
}
