package smoochtest

import (
	"context"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

func findIntegration(a *appRecord, id string) (*integrationRecord, error) {
	i := slices.IndexFunc(a.integrations, func(r *integrationRecord) bool { return r.id == id })
	if i < 0 {
		return nil, notFound("Integration")
	}
	return a.integrations[i], nil
}

func (b *backend) CreateIntegration(ctx context.Context, req gen.CreateIntegrationRequestObject) (gen.CreateIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	rec := &integrationRecord{id: b.ids.objectID()}
	rec.typ, rec.body, err = b.provision(rec.id, *req.Body)
	if err != nil {
		return nil, err
	}
	a.integrations = append(a.integrations, rec)
	return gen.CreateIntegration201JSONResponse{Integration: rec.body}, nil
}

// ListIntegrations lists the app's integrations in creation order, only those
// of the requested types if `types` is given.
func (b *backend) ListIntegrations(ctx context.Context, req gen.ListIntegrationsRequestObject) (gen.ListIntegrationsResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	out := make([]gen.Integration, 0, len(a.integrations))
	for _, r := range a.integrations {
		if req.Params.Types != nil && !slices.Contains(*req.Params.Types, r.typ) {
			continue
		}
		out = append(out, r.body)
	}
	return gen.ListIntegrations200JSONResponse{Integrations: out}, nil
}

func (b *backend) GetIntegration(ctx context.Context, req gen.GetIntegrationRequestObject) (gen.GetIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	r, err := findIntegration(a, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	return gen.GetIntegration200JSONResponse{Integration: r.body}, nil
}

func (b *backend) DeleteIntegration(ctx context.Context, req gen.DeleteIntegrationRequestObject) (gen.DeleteIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	r, err := findIntegration(a, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	a.integrations = slices.DeleteFunc(a.integrations, func(x *integrationRecord) bool { return x == r })
	return gen.DeleteIntegration200JSONResponse{}, nil
}
