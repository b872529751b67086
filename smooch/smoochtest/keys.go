package smoochtest

import (
	"context"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

func findKey(keys []*keyRecord, id string) (*keyRecord, error) {
	i := slices.IndexFunc(keys, func(k *keyRecord) bool { return k.id == id })
	if i < 0 {
		return nil, notFound("Key")
	}
	return keys[i], nil
}

func publicKeys(keys []*keyRecord) []gen.SecretKey {
	out := make([]gen.SecretKey, 0, len(keys))
	for _, k := range keys {
		out = append(out, k.public())
	}
	return out
}

func (b *backend) CreateAppKey(ctx context.Context, req gen.CreateAppKeyRequestObject) (gen.CreateAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	k := b.store.newKey(appKey, req.Body.Name, req.AppID)
	a.keys = append(a.keys, k)
	return gen.CreateAppKey201JSONResponse{Key: k.public()}, nil
}

func (b *backend) ListAppKeys(ctx context.Context, req gen.ListAppKeysRequestObject) (gen.ListAppKeysResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	return gen.ListAppKeys200JSONResponse{Keys: publicKeys(a.keys)}, nil
}

func (b *backend) GetAppKey(ctx context.Context, req gen.GetAppKeyRequestObject) (gen.GetAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(a.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetAppKey200JSONResponse{Key: k.public()}, nil
}

// DeleteAppKey removes the key; JWTs signed with it stop being accepted.
func (b *backend) DeleteAppKey(ctx context.Context, req gen.DeleteAppKeyRequestObject) (gen.DeleteAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(a.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	a.keys = slices.DeleteFunc(a.keys, func(x *keyRecord) bool { return x == k })
	delete(b.store.keys, k.id)
	return gen.DeleteAppKey200JSONResponse{}, nil
}

// GetAppKeyJWT signs an app-scoped JWT with the key, which the fake accepts
// for that app's app-level APIs.
func (b *backend) GetAppKeyJWT(ctx context.Context, req gen.GetAppKeyJWTRequestObject) (gen.GetAppKeyJWTResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(a.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	t, err := signJWT(k.id, k.secret, scopeApp)
	if err != nil {
		return nil, err
	}
	return gen.GetAppKeyJWT200JSONResponse{JWT: t}, nil
}
