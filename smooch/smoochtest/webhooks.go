package smoochtest

import (
	"context"
	"net/url"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

// maxWebhooks is the per-app limit the webhooks reference states.
const maxWebhooks = 10

func findWebhook(a *appRecord, id string) (*gen.Webhook, error) {
	i := slices.IndexFunc(a.webhooks, func(w *gen.Webhook) bool { return w.ID == id })
	if i < 0 {
		return nil, notFound("Webhook")
	}
	return a.webhooks[i], nil
}

func publicWebhook(w *gen.Webhook) gen.Webhook {
	out := *w
	out.Triggers = slices.Clone(w.Triggers)
	return out
}

// verifyTarget checks a webhook target's form and then, through the
// configured verifier, that its domain answers. It runs without the store
// lock: verification may wait on the network.
func (b *backend) verifyTarget(ctx context.Context, target string) error {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badRequest("target %q must be an absolute http or https URL", target)
	}
	if b.verifier == nil {
		return nil
	}
	origin := &url.URL{Scheme: u.Scheme, Host: u.Host}
	if err := b.verifier(ctx, origin); err != nil {
		// The API's answer, and then what a test can do about it: the fake contacted (or refused to contact)
		// a host the test may never have meant to reach.
		return badRequest("Could not verify webhook target %s: %v (smoochtest: serve the target on loopback, e.g. with httptest, or turn verification off: WithoutWebhookVerification in Go, -verify off for smooch-fake)", target, err)
	}
	return nil
}

func (b *backend) CreateWebhook(ctx context.Context, req gen.CreateWebhookRequestObject) (gen.CreateWebhookResponseObject, error) {
	p := principalFrom(ctx)
	full := func() error {
		a, err := b.visibleApp(p, req.AppID)
		if err != nil {
			return err
		}
		if len(a.webhooks) >= maxWebhooks {
			return badRequest("An app is limited to %d webhooks; delete one before creating another", maxWebhooks)
		}
		return nil
	}
	// Check before verifying, so that a refused call contacts nobody.
	b.store.mu.Lock()
	err := full()
	b.store.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := b.verifyTarget(ctx, req.Body.Target); err != nil {
		return nil, err
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	if err := full(); err != nil { // the app may have changed meanwhile
		return nil, err
	}
	triggers := []gen.WebhookTrigger{gen.WebhookTriggerMessage}
	if req.Body.Triggers != nil {
		triggers = slices.Clone(*req.Body.Triggers)
	}
	w := &gen.Webhook{ID: b.ids.objectID(), Target: req.Body.Target, Triggers: triggers, Secret: b.ids.webhookSecret()}
	a := b.store.apps[req.AppID]
	a.webhooks = append(a.webhooks, w)
	return gen.CreateWebhook201JSONResponse{Webhook: publicWebhook(w)}, nil
}

func (b *backend) ListWebhooks(ctx context.Context, req gen.ListWebhooksRequestObject) (gen.ListWebhooksResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	out := make([]gen.Webhook, 0, len(a.webhooks))
	for _, w := range a.webhooks {
		out = append(out, publicWebhook(w))
	}
	return gen.ListWebhooks200JSONResponse{Webhooks: out}, nil
}

func (b *backend) GetWebhook(ctx context.Context, req gen.GetWebhookRequestObject) (gen.GetWebhookResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	w, err := findWebhook(a, req.WebhookID)
	if err != nil {
		return nil, err
	}
	return gen.GetWebhook200JSONResponse{Webhook: publicWebhook(w)}, nil
}

// UpdateWebhook changes what the body gives and keeps what it leaves out. A
// new target is verified like a new webhook's.
func (b *backend) UpdateWebhook(ctx context.Context, req gen.UpdateWebhookRequestObject) (gen.UpdateWebhookResponseObject, error) {
	p := principalFrom(ctx)
	find := func() (*gen.Webhook, error) {
		a, err := b.visibleApp(p, req.AppID)
		if err != nil {
			return nil, err
		}
		return findWebhook(a, req.WebhookID)
	}
	b.store.mu.Lock()
	_, err := find()
	b.store.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if req.Body.Target != nil {
		if err := b.verifyTarget(ctx, *req.Body.Target); err != nil {
			return nil, err
		}
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	w, err := find()
	if err != nil {
		return nil, err
	}
	if req.Body.Target != nil {
		w.Target = *req.Body.Target
	}
	if req.Body.Triggers != nil {
		w.Triggers = slices.Clone(*req.Body.Triggers)
	}
	return gen.UpdateWebhook200JSONResponse{Webhook: publicWebhook(w)}, nil
}

func (b *backend) DeleteWebhook(ctx context.Context, req gen.DeleteWebhookRequestObject) (gen.DeleteWebhookResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	w, err := findWebhook(a, req.WebhookID)
	if err != nil {
		return nil, err
	}
	a.webhooks = slices.DeleteFunc(a.webhooks, func(x *gen.Webhook) bool { return x == w })
	return gen.DeleteWebhook200JSONResponse{}, nil
}
