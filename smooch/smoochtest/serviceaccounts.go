package smoochtest

import (
	"context"

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
	id := b.ids.objectID()
	sa := &serviceAccountRecord{account: gen.ServiceAccount{ID: id, Name: req.Body.Name}, keys: keyring{kind: serviceAccountKey, owner: id}}
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

// DeleteServiceAccount removes the service account and its keys (whose JWTs
// stop working at once). The apps it
// created stay, reachable by the user account.
func (b *backend) DeleteServiceAccount(ctx context.Context, req gen.DeleteServiceAccountRequestObject) (gen.DeleteServiceAccountResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	sa, err := b.serviceAccount(req.ServiceAccountID)
	if err != nil {
		return nil, err
	}
	b.store.removeAll(&sa.keys)
	delete(b.store.serviceAccounts, req.ServiceAccountID)
	b.store.saOrder = removeID(b.store.saOrder, req.ServiceAccountID)
	return gen.DeleteServiceAccount200JSONResponse{}, nil
}
