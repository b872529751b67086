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

// publicWebhook is a webhook as a request under version v sees it: v1 has no version member (it is v1.1's), so
// the payload version the webhook keeps is answered under v1.1 only.
func publicWebhook(w *gen.Webhook, v gen.APIVersion) gen.Webhook {
	out := *w
	out.Triggers = slices.Clone(w.Triggers)
	out.Version = nil
	if v == gen.APIVersionV11 && w.Version != nil {
		out.Version = ptr(*w.Version)
	}
	out.IncludeClient, out.IncludeFullAppUser = copyPtr(w.IncludeClient), copyPtr(w.IncludeFullAppUser)
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
	if req.APIVersion == gen.APIVersionV11 && req.Body.Triggers == nil {
		// v1.1 states no default trigger: the contract requires them there.
		return nil, badRequest("triggers are required under v1.1")
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
	// The payload version the webhook gets is the version of the path it was created through.
	w := &gen.Webhook{ID: b.ids.objectID(), Target: req.Body.Target, Triggers: triggers, Secret: b.ids.webhookSecret(),
		Version: ptr(string(req.APIVersion)), IncludeClient: copyPtr(req.Body.IncludeClient), IncludeFullAppUser: copyPtr(req.Body.IncludeFullAppUser)}
	a := b.store.apps[req.AppID]
	a.webhooks = append(a.webhooks, w)
	return gen.CreateWebhook201JSONResponse{Webhook: publicWebhook(w, req.APIVersion)}, nil
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
		out = append(out, publicWebhook(w, req.APIVersion))
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
	return gen.GetWebhook200JSONResponse{Webhook: publicWebhook(w, req.APIVersion)}, nil
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
	if req.Body.IncludeClient != nil {
		w.IncludeClient = copyPtr(req.Body.IncludeClient)
	}
	if req.Body.IncludeFullAppUser != nil {
		w.IncludeFullAppUser = copyPtr(req.Body.IncludeFullAppUser)
	}
	return gen.UpdateWebhook200JSONResponse{Webhook: publicWebhook(w, req.APIVersion)}, nil
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
