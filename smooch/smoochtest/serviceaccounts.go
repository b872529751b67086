package smoochtest

import (
	"context"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

// Service account operations are user-account-only in the contract; the
// authorization middleware has refused svc_ and app keys before these run.

func (b *backend) serviceAccount(id string) (*serviceAccountRecord, error) {
	sa, ok := b.store.serviceAccounts[id]
	if !ok {
		return nil, notFound("Service account")
	}
	return sa, nil
}

// nameTaken reports whether another service account has the name; the API
// requires unique names.
func (b *backend) nameTaken(name, exceptID string) bool {
	for id, sa := range b.store.serviceAccounts {
		if id != exceptID && sa.account.Name == name {
			return true
		}
	}
	return false
}

func (b *backend) CreateServiceAccount(ctx context.Context, req gen.CreateServiceAccountRequestObject) (gen.CreateServiceAccountResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	if b.nameTaken(req.Body.Name, "") {
		return nil, conflict("A service account named %q already exists", req.Body.Name)
	}
	sa := &serviceAccountRecord{account: gen.ServiceAccount{ID: b.ids.objectID(), Name: req.Body.Name}}
	b.store.serviceAccounts[sa.account.ID] = sa
	b.store.saOrder = append(b.store.saOrder, sa.account.ID)
	return gen.CreateServiceAccount201JSONResponse{ServiceAccount: sa.account}, nil
}

func (b *backend) ListServiceAccounts(ctx context.Context, req gen.ListServiceAccountsRequestObject) (gen.ListServiceAccountsResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	start, end, more, off := page(len(b.store.saOrder), req.Params.Limit, req.Params.Offset)
	out := make([]gen.ServiceAccount, 0, end-start)
	for _, id := range b.store.saOrder[start:end] {
		out = append(out, b.store.serviceAccounts[id].account)
	}
	return gen.ListServiceAccounts200JSONResponse{ServiceAccounts: out, HasMore: more, Offset: off}, nil
}

func (b *backend) GetServiceAccount(ctx context.Context, req gen.GetServiceAccountRequestObject) (gen.GetServiceAccountResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	return gen.GetServiceAccount200JSONResponse{ServiceAccount: sa.account}, nil
}

func (b *backend) UpdateServiceAccount(ctx context.Context, req gen.UpdateServiceAccountRequestObject) (gen.UpdateServiceAccountResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	if b.nameTaken(req.Body.Name, sa.account.ID) {
		return nil, conflict("A service account named %q already exists", req.Body.Name)
	}
	sa.account.Name = req.Body.Name
	return gen.UpdateServiceAccount200JSONResponse{ServiceAccount: sa.account}, nil
}

// DeleteServiceAccount removes the service account and its keys. The apps it
// created stay, reachable by the user account.
func (b *backend) DeleteServiceAccount(ctx context.Context, req gen.DeleteServiceAccountRequestObject) (gen.DeleteServiceAccountResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	for _, k := range sa.keys {
		delete(b.store.keys, k.id)
	}
	delete(b.store.serviceAccounts, req.ServiceAccountID)
	b.store.saOrder = removeID(b.store.saOrder, req.ServiceAccountID)
	return gen.DeleteServiceAccount200JSONResponse{}, nil
}

func (b *backend) CreateServiceAccountKey(ctx context.Context, req gen.CreateServiceAccountKeyRequestObject) (gen.CreateServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	k := b.store.newKey(serviceAccountKey, req.Body.Name, sa.account.ID)
	sa.keys = append(sa.keys, k)
	return gen.CreateServiceAccountKey201JSONResponse{Key: k.public()}, nil
}

func (b *backend) ListServiceAccountKeys(ctx context.Context, req gen.ListServiceAccountKeysRequestObject) (gen.ListServiceAccountKeysResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	return gen.ListServiceAccountKeys200JSONResponse{Keys: publicKeys(sa.keys)}, nil
}

func (b *backend) GetServiceAccountKey(ctx context.Context, req gen.GetServiceAccountKeyRequestObject) (gen.GetServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(sa.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	return gen.GetServiceAccountKey200JSONResponse{Key: k.public()}, nil
}

func (b *backend) DeleteServiceAccountKey(ctx context.Context, req gen.DeleteServiceAccountKeyRequestObject) (gen.DeleteServiceAccountKeyResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(sa.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	sa.keys = slices.DeleteFunc(sa.keys, func(x *keyRecord) bool { return x == k })
	delete(b.store.keys, k.id)
	return gen.DeleteServiceAccountKey200JSONResponse{}, nil
}

// GetServiceAccountKeyJWT signs an account-scoped JWT with the service
// account's key; the fake accepts it as that service account.
func (b *backend) GetServiceAccountKeyJWT(ctx context.Context, req gen.GetServiceAccountKeyJWTRequestObject) (gen.GetServiceAccountKeyJWTResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	k, err := findKey(sa.keys, req.KeyID)
	if err != nil {
		return nil, err
	}
	t, err := signJWT(k.id, k.secret, scopeAccount)
	if err != nil {
		return nil, err
	}
	return gen.GetServiceAccountKeyJWT200JSONResponse{JWT: t}, nil
}
