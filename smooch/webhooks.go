package smooch

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/smoochkit/smooch-go/gen"
)

// WebhooksService manages an app's webhooks (at most 10 per app). Its methods accept account scope (any app
// the account reaches) or app scope (the key's own app).
type WebhooksService struct{ c *Client }

// Create creates a webhook calling target on the given triggers (none: the API's default, message). Smooch
// checks that target answers before accepting it. The response carries the webhook's secret, sent to target
// as the X-API-Key header.
func (s *WebhooksService) Create(ctx context.Context, appID, target string, triggers ...WebhookTrigger) (*Webhook, error) {
	op := opCreateWebhook
	body := gen.WebhookCreate{Target: target}
	if len(triggers) > 0 {
		body.Triggers = &triggers
	}
	if err := s.c.begin(op, []string{appID}, checkTarget(op, target), checkTriggers(op, triggers)); err != nil {
		return nil, err
	}
	resp, err := call[gen.WebhookResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateWebhook(ctx, appID, body)
	})
	if err != nil {
		return nil, err
	}
	return &Webhook{resp.Webhook}, nil
}

// List lists an app's webhooks.
func (s *WebhooksService) List(ctx context.Context, appID string) ([]Webhook, error) {
	op := opListWebhooks
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.WebhookListResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListWebhooks(ctx, appID)
	})
	if err != nil {
		return nil, err
	}
	out := make([]Webhook, len(resp.Webhooks))
	for i, w := range resp.Webhooks {
		out[i] = Webhook{w}
	}
	return out, nil
}

// Get fetches a webhook.
func (s *WebhooksService) Get(ctx context.Context, appID, webhookID string) (*Webhook, error) {
	op := opGetWebhook
	if err := s.c.begin(op, []string{appID, webhookID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.WebhookResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetWebhook(ctx, appID, webhookID)
	})
	if err != nil {
		return nil, err
	}
	return &Webhook{resp.Webhook}, nil
}

// Update changes a webhook's target and/or triggers; nil fields of update are kept.
func (s *WebhooksService) Update(ctx context.Context, appID, webhookID string, update WebhookUpdate) (*Webhook, error) {
	op := opUpdateWebhook
	var checks []error
	if update.Target == nil && update.Triggers == nil {
		checks = append(checks, &ValidationError{Subject: op.method, Field: "target and triggers", Problem: "are both nil: nothing to update"})
	}
	if update.Target != nil {
		checks = append(checks, checkTarget(op, *update.Target))
	}
	if update.Triggers != nil {
		if len(*update.Triggers) == 0 {
			checks = append(checks, &ValidationError{Subject: op.method, Field: "triggers", Problem: "is empty: give at least one trigger, or nil to keep them"})
		}
		checks = append(checks, checkTriggers(op, *update.Triggers))
	}
	if err := s.c.begin(op, []string{appID, webhookID}, checks...); err != nil {
		return nil, err
	}
	resp, err := call[gen.WebhookResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.UpdateWebhook(ctx, appID, webhookID, update)
	})
	if err != nil {
		return nil, err
	}
	return &Webhook{resp.Webhook}, nil
}

// Delete deletes a webhook.
func (s *WebhooksService) Delete(ctx context.Context, appID, webhookID string) error {
	op := opDeleteWebhook
	if err := s.c.begin(op, []string{appID, webhookID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteWebhook(ctx, appID, webhookID)
	})
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
