package smoochtest

import (
	"context"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

// keyring is the secret keys of one owner: an app (app_ keys, whose JWTs
// carry scope app) or a service account (svc_ keys, scope account). App keys
// and service account keys behave alike in every other way, so both sets of
// operations below are the same few lines over a keyring.
type keyring struct {
	kind  keyKind
	owner string // app id or service account id
	keys  []*keyRecord
}

// add makes a key for the keyring's owner; callers hold s.mu.
func (s *store) add(r *keyring, name string) gen.SecretKey {
	k := s.newKey(r.kind, name, r.owner)
	r.keys = append(r.keys, k)
	return k.public()
}

// remove deletes a key: JWTs signed with it stop being accepted at once.
// Callers hold s.mu.
func (s *store) remove(r *keyring, id string) error {
	k, err := r.get(id)
	if err != nil {
		return err
	}
	r.keys = slices.DeleteFunc(r.keys, func(x *keyRecord) bool { return x == k })
	delete(s.keys, k.id)
	return nil
}

// removeAll deletes every key of the keyring, when its owner goes.
func (s *store) removeAll(r *keyring) {
	for _, k := range r.keys {
		delete(s.keys, k.id)
	}
	r.keys = nil
}

func (r *keyring) get(id string) (*keyRecord, error) {
	i := slices.IndexFunc(r.keys, func(k *keyRecord) bool { return k.id == id })
	if i < 0 {
		return nil, notFound("Key")
	}
	return r.keys[i], nil
}

func (r *keyring) list() []gen.SecretKey {
	out := make([]gen.SecretKey, 0, len(r.keys))
	for _, k := range r.keys {
		out = append(out, k.public())
	}
	return out
}

// jwt signs a token with the key, as the …/jwt endpoints do: scope app for
// an app key, account for a service account key. The fake accepts it.
func (r *keyring) jwt(id string) (string, error) {
	k, err := r.get(id)
	if err != nil {
		return "", err
	}
	scope := scopeApp
	if r.kind == serviceAccountKey {
		scope = scopeAccount
	}
	return signJWT(k.id, k.secret, scope)
}

// appKeys is the keyring of an app the caller may reach; callers hold
// b.store.mu.
func (b *backend) appKeys(ctx context.Context, appID string) (*keyring, error) {
	a, err := b.visibleApp(principalFrom(ctx), appID)
	if err != nil {
		return nil, err
	}
	return &a.keys, nil
}

// serviceAccountKeys is the keyring of a service account; callers hold
// b.store.mu.
func (b *backend) serviceAccountKeys(id string) (*keyring, error) {
	sa, err := b.serviceAccount(id)
	if err != nil {
		return nil, err
	}
	return &sa.keys, nil
}

func (b *backend) CreateAppKey(ctx context.Context, req gen.CreateAppKeyRequestObject) (gen.CreateAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.appKeys(ctx, req.AppID)
	if err != nil {
		return nil, err
	}
	return gen.CreateAppKey201JSONResponse{Key: b.store.add(r, req.Body.Name)}, nil
}

func (b *backend) ListAppKeys(ctx context.Context, req gen.ListAppKeysRequestObject) (gen.ListAppKeysResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.appKeys(ctx, req.AppID)
	if err != nil {
		return nil, err
	}
	return gen.ListAppKeys200JSONResponse{Keys: r.list()}, nil
}

func (b *backend) GetAppKey(ctx context.Context, req gen.GetAppKeyRequestObject) (gen.GetAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.appKeys(ctx, req.AppID)
	if err != nil {
		return nil, err
	}
	k, err := r.get(req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetAppKey200JSONResponse{Key: k.public()}, nil
}

func (b *backend) DeleteAppKey(ctx context.Context, req gen.DeleteAppKeyRequestObject) (gen.DeleteAppKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.appKeys(ctx, req.AppID)
	if err != nil {
		return nil, err
	}
	if err := b.store.remove(r, req.KeyID); err != nil {
		return nil, err
	}
	return gen.DeleteAppKey200JSONResponse{}, nil
}

func (b *backend) GetAppKeyJWT(ctx context.Context, req gen.GetAppKeyJWTRequestObject) (gen.GetAppKeyJWTResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.appKeys(ctx, req.AppID)
	if err != nil {
		return nil, err
	}
	t, err := r.jwt(req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetAppKeyJWT200JSONResponse{JWT: t}, nil
}

func (b *backend) CreateServiceAccountKey(ctx context.Context, req gen.CreateServiceAccountKeyRequestObject) (gen.CreateServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.serviceAccountKeys(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	return gen.CreateServiceAccountKey201JSONResponse{Key: b.store.add(r, req.Body.Name)}, nil
}

func (b *backend) ListServiceAccountKeys(ctx context.Context, req gen.ListServiceAccountKeysRequestObject) (gen.ListServiceAccountKeysResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.serviceAccountKeys(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	return gen.ListServiceAccountKeys200JSONResponse{Keys: r.list()}, nil
}

func (b *backend) GetServiceAccountKey(ctx context.Context, req gen.GetServiceAccountKeyRequestObject) (gen.GetServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.serviceAccountKeys(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	k, err := r.get(req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetServiceAccountKey200JSONResponse{Key: k.public()}, nil
}

func (b *backend) DeleteServiceAccountKey(ctx context.Context, req gen.DeleteServiceAccountKeyRequestObject) (gen.DeleteServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.serviceAccountKeys(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	if err := b.store.remove(r, req.KeyID); err != nil {
		return nil, err
	}
	return gen.DeleteServiceAccountKey200JSONResponse{}, nil
}

func (b *backend) GetServiceAccountKeyJWT(ctx context.Context, req gen.GetServiceAccountKeyJWTRequestObject) (gen.GetServiceAccountKeyJWTResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	r, err := b.serviceAccountKeys(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	t, err := r.jwt(req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetServiceAccountKeyJWT200JSONResponse{JWT: t}, nil
}
