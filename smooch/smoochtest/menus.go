package smoochtest

import (
	"context"

	"github.com/smoochkit/smooch-go/gen"
)

// Menus, as the contract decides where the API's behaviour is not stated: an
// app's menu is empty until set and after removal; an integration's own menu
// overrides the app's on its channel, and without one (never created, or
// deleted) its GET and DELETE answer 404 and the app's menu applies; POST
// refuses to overwrite an existing one (409), PUT replaces or creates it. The
// API gives every item it stores an _id; the fake gives new ones each time a
// menu is set. A menu without items is refused (400): remove the menu instead.

// storeMenu copies the items of a request with fresh ids, so that answers
// never alias the request nor what the client sent as _id.
func (b *backend) storeMenu(in gen.Menu) ([]gen.MenuItem, error) {
	if len(in.Items) == 0 {
		return nil, badRequest("a menu needs at least one item: to have none, remove the menu")
	}
	out := make([]gen.MenuItem, 0, len(in.Items))
	for _, item := range in.Items {
		stored := gen.MenuItem{ID: ptr(b.ids.objectID()), Type: item.Type, Text: item.Text, URI: copyPtr(item.URI), Payload: copyPtr(item.Payload)}
		if item.Items != nil {
			subs := make([]gen.MenuSubItem, 0, len(*item.Items))
			for _, sub := range *item.Items {
				subs = append(subs, gen.MenuSubItem{ID: ptr(b.ids.objectID()), Type: sub.Type, Text: sub.Text, URI: copyPtr(sub.URI), Payload: copyPtr(sub.Payload)})
			}
			stored.Items = &subs
		}
		out = append(out, stored)
	}
	return out, nil
}

// menuOf is the answer for a stored menu; nil is the empty menu.
func menuOf(items []gen.MenuItem) gen.MenuResponse {
	return gen.MenuResponse{Menu: gen.Menu{Items: append([]gen.MenuItem{}, items...)}}
}

func copyPtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func (b *backend) GetAppMenu(ctx context.Context, req gen.GetAppMenuRequestObject) (gen.GetAppMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	return gen.GetAppMenu200JSONResponse(menuOf(a.menu)), nil
}

func (b *backend) UpdateAppMenu(ctx context.Context, req gen.UpdateAppMenuRequestObject) (gen.UpdateAppMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	items, err := b.storeMenu(*req.Body)
	if err != nil {
		return nil, err
	}
	a.menu = items
	return gen.UpdateAppMenu200JSONResponse(menuOf(a.menu)), nil
}

// DeleteAppMenu leaves the app an empty menu, and answers with it. The menus
// of its integrations stay.
func (b *backend) DeleteAppMenu(ctx context.Context, req gen.DeleteAppMenuRequestObject) (gen.DeleteAppMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	a.menu = nil
	return gen.DeleteAppMenu200JSONResponse(menuOf(nil)), nil
}

func noMenu() *apiError { return notFound("Integration menu") }

func (b *backend) GetIntegrationMenu(ctx context.Context, req gen.GetIntegrationMenuRequestObject) (gen.GetIntegrationMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.menu == nil {
		return nil, noMenu()
	}
	return gen.GetIntegrationMenu200JSONResponse(menuOf(r.menu)), nil
}

func (b *backend) CreateIntegrationMenu(ctx context.Context, req gen.CreateIntegrationMenuRequestObject) (gen.CreateIntegrationMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.menu != nil {
		return nil, conflict("the integration has a menu already: update it (PUT) or delete it first")
	}
	items, err := b.storeMenu(*req.Body)
	if err != nil {
		return nil, err
	}
	r.menu = items
	return gen.CreateIntegrationMenu201JSONResponse(menuOf(r.menu)), nil
}

func (b *backend) UpdateIntegrationMenu(ctx context.Context, req gen.UpdateIntegrationMenuRequestObject) (gen.UpdateIntegrationMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	items, err := b.storeMenu(*req.Body)
	if err != nil {
		return nil, err
	}
	r.menu = items
	return gen.UpdateIntegrationMenu200JSONResponse(menuOf(r.menu)), nil
}

func (b *backend) DeleteIntegrationMenu(ctx context.Context, req gen.DeleteIntegrationMenuRequestObject) (gen.DeleteIntegrationMenuResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.menu == nil {
		return nil, noMenu()
	}
	r.menu = nil
	return gen.DeleteIntegrationMenu200JSONResponse{}, nil
}
