package smooch

import (
	"context"
	"iter"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
)

// ServiceAccountsService manages service accounts: accounts for server-to-server use, which reach only the
// apps they create. Every method needs an account-scoped JWT signed with a user account key (act_…); a
// service account key (svc_…) is refused before the request is sent.
type ServiceAccountsService struct{ c *Client }

// Create creates a service account with a unique name.
func (s *ServiceAccountsService) Create(ctx context.Context, name string) (*ServiceAccount, error) {
	if err := s.c.begin(opCreateServiceAccount, nil, requireName(opCreateServiceAccount, name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.ServiceAccountResponse](ctx, s.c, opCreateServiceAccount, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateServiceAccount(ctx, gen.ServiceAccountCreate{Name: name})
	})
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// List returns one page of service accounts; opts may be nil.
func (s *ServiceAccountsService) List(ctx context.Context, opts *ListOptions) (*Page[ServiceAccount], error) {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if err := s.c.begin(opListServiceAccounts, nil, o.validate(opListServiceAccounts)); err != nil {
		return nil, err
	}
	params := &gen.ListServiceAccountsParams{}
	params.Limit, params.Offset = o.params()
	resp, err := call[gen.ServiceAccountListResponse](ctx, s.c, opListServiceAccounts, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListServiceAccounts(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return &Page[ServiceAccount]{Items: resp.ServiceAccounts, HasMore: resp.HasMore, Offset: resp.Offset}, nil
}

// All iterates over every service account from opts on (nil: from the start), fetching pages lazily. The
// loop ends after the last one, or after yielding an error. Ranging over the sequence again starts over.
func (s *ServiceAccountsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[ServiceAccount, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o, func(ctx context.Context, lo ListOptions) (*Page[ServiceAccount], error) {
		return s.List(ctx, &lo)
	})
}

// Get fetches a service account.
func (s *ServiceAccountsService) Get(ctx context.Context, serviceAccountID string) (*ServiceAccount, error) {
	op := opGetServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.ServiceAccountResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetServiceAccount(ctx, serviceAccountID)
	})
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// Update renames a service account.
func (s *ServiceAccountsService) Update(ctx context.Context, serviceAccountID, name string) (*ServiceAccount, error) {
	op := opUpdateServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}, requireName(op, name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.ServiceAccountResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.UpdateServiceAccount(ctx, serviceAccountID, gen.ServiceAccountUpdate{Name: name})
	})
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// Delete deletes a service account and its keys; the apps it created remain.
func (s *ServiceAccountsService) Delete(ctx context.Context, serviceAccountID string) error {
	op := opDeleteServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteServiceAccount(ctx, serviceAccountID)
	})
}
