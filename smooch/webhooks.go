package smooch

import (
	"context"
	"fmt"
	"net/url"
)

// WebhooksService manages an app's webhooks (at most 10 per app). Its methods accept account scope (any app
// the account reaches) or app scope (the key's own app).
type WebhooksService struct{ c *Client }

// Create creates a webhook calling hook.Target on hook.Triggers (under v1, none is the API's default,
// message; v1.1 states no default, and Create requires them there). Smooch checks that the target answers
// before accepting it. The response carries the webhook's secret, sent to the target as the X-API-Key header.
// The webhook receives the payload version of the API version it was created through (Webhook.Version under
// v1.1).
func (s *WebhooksService) Create(ctx context.Context, appID string, hook WebhookCreate, opts ...Option) (*Webhook, error) {
	op := opCreateWebhook
	var triggersNeeded error
	if len(hook.Triggers) == 0 {
		if cfg, err := s.c.callConfig(opts); err == nil && cfg.apiVersion == APIVersion1_1 {
			triggersNeeded = &ValidationError{Subject: op.method, Field: "triggers", Problem: "are required under v1.1, which states no default trigger"}
		}
	}
	if err := s.c.begin(op, []string{appID}, checkTarget(op, hook.Target), checkTriggers(op, hook.Triggers), triggersNeeded); err != nil {
		return nil, err
	}
	body, err := encode(op.method, hook)
	if err != nil {
		return nil, err
	}
	var resp webhookResponse
	err = s.c.call(ctx, op, []string{appID}, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Webhook, nil
}

// List lists an app's webhooks.
func (s *WebhooksService) List(ctx context.Context, appID string, opts ...Option) ([]Webhook, error) {
	op := opListWebhooks
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var resp webhookListResponse
	err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return resp.Webhooks, nil
}

// Get fetches a webhook.
func (s *WebhooksService) Get(ctx context.Context, appID, webhookID string, opts ...Option) (*Webhook, error) {
	op := opGetWebhook
	if err := s.c.begin(op, []string{appID, webhookID}); err != nil {
		return nil, err
	}
	var resp webhookResponse
	err := s.c.call(ctx, op, []string{appID, webhookID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Webhook, nil
}

// Update changes a webhook's target, triggers and flags; an empty field of update (a nil flag) is kept as it
// is.
func (s *WebhooksService) Update(ctx context.Context, appID, webhookID string, update WebhookUpdate, opts ...Option) (*Webhook, error) {
	op := opUpdateWebhook
	var checks []error
	if update.Target == "" && len(update.Triggers) == 0 && update.IncludeClient == nil && update.IncludeFullAppUser == nil {
		checks = append(checks, &ValidationError{Subject: op.method, Field: "target, triggers and flags", Problem: "are all empty: nothing to update"})
	}
	if update.Target != "" {
		checks = append(checks, checkTarget(op, update.Target))
	}
	checks = append(checks, checkTriggers(op, update.Triggers))
	if err := s.c.begin(op, []string{appID, webhookID}, checks...); err != nil {
		return nil, err
	}
	body, err := encode(op.method, update)
	if err != nil {
		return nil, err
	}
	var resp webhookResponse
	err = s.c.call(ctx, op, []string{appID, webhookID}, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Webhook, nil
}

// Delete deletes a webhook.
func (s *WebhooksService) Delete(ctx context.Context, appID, webhookID string, opts ...Option) error {
	op := opDeleteWebhook
	if err := s.c.begin(op, []string{appID, webhookID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{appID, webhookID}, "", nil, opts, nil)
}

func checkTarget(op operation, target string) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &ValidationError{Subject: op.method, Field: "target", Problem: fmt.Sprintf("must be an absolute http or https URL, got %q", target)}
	}
	return nil
}

func checkTriggers(op operation, triggers []WebhookTrigger) error {
	for _, t := range triggers {
		if !t.Valid() {
			return &ValidationError{Subject: op.method, Field: "triggers", Problem: fmt.Sprintf("has unknown trigger %q (see the WebhookTrigger constants; triggers are case sensitive)", string(t))}
		}
	}
	return nil
}
