package smooch

import (
	"context"
	"iter"
)

// ServiceAccountsService manages service accounts: accounts for server-to-server use, which reach only the
// apps they create. Every method needs an account-scoped JWT signed with a user account key (act_…); a
// service account key (svc_…) is refused before the request is sent.
type ServiceAccountsService struct{ c *Client }

// Create creates a service account with a unique name.
func (s *ServiceAccountsService) Create(ctx context.Context, account ServiceAccountCreate, opts ...Option) (*ServiceAccount, error) {
	op := opCreateServiceAccount
	if err := s.c.begin(op, nil, requireName(op, account.Name)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, account)
	if err != nil {
		return nil, err
	}
	var resp serviceAccountResponse
	err = s.c.call(ctx, op, nil, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// List returns one page of service accounts; opts may be nil (the first page, of the API's default size).
func (s *ServiceAccountsService) List(ctx context.Context, opts *ListOptions, callOpts ...Option) (*Page[ServiceAccount], error) {
	op := opListServiceAccounts
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if err := s.c.begin(op, nil, o.validate(op)); err != nil {
		return nil, err
	}
	query := o.values().Encode()
	var resp serviceAccountListResponse
	err := s.c.call(ctx, op, nil, query, nil, callOpts, &resp)
	if err != nil {
		return nil, err
	}
	return &Page[ServiceAccount]{Items: resp.ServiceAccounts, HasMore: resp.HasMore, Offset: resp.Offset}, nil
}

// All iterates over every service account from opts on (nil: from the start), fetching pages lazily. The
// loop ends after the last one, or after yielding an error. Ranging over the sequence again starts over.
// Paging is by offset: deleting service accounts while ranging skips some (see AppsService.All).
func (s *ServiceAccountsService) All(ctx context.Context, opts *ListOptions, callOpts ...Option) iter.Seq2[ServiceAccount, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o, func(ctx context.Context, lo ListOptions) (*Page[ServiceAccount], error) {
		return s.List(ctx, &lo, callOpts...)
	})
}

// Get fetches a service account.
func (s *ServiceAccountsService) Get(ctx context.Context, serviceAccountID string, opts ...Option) (*ServiceAccount, error) {
	op := opGetServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return nil, err
	}
	var resp serviceAccountResponse
	err := s.c.call(ctx, op, []string{serviceAccountID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// Update renames a service account.
func (s *ServiceAccountsService) Update(ctx context.Context, serviceAccountID string, account ServiceAccountUpdate, opts ...Option) (*ServiceAccount, error) {
	op := opUpdateServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}, requireName(op, account.Name)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, account)
	if err != nil {
		return nil, err
	}
	var resp serviceAccountResponse
	err = s.c.call(ctx, op, []string{serviceAccountID}, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.ServiceAccount, nil
}

// Delete deletes a service account and its keys; the apps it created remain.
func (s *ServiceAccountsService) Delete(ctx context.Context, serviceAccountID string, opts ...Option) error {
	op := opDeleteServiceAccount
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{serviceAccountID}, "", nil, opts, nil)
}
