package smooch

import (
	"context"
)

// ServiceAccountKeysService manages the secret keys of service accounts (svc_…), which sign account-scoped
// JWTs on their behalf. Like ServiceAccountsService it needs a user account key (act_…).
type ServiceAccountKeysService struct{ c *Client }

// Create creates a secret key for a service account. The response carries the secret: keep it safe.
func (s *ServiceAccountKeysService) Create(ctx context.Context, serviceAccountID string, key SecretKeyCreate, opts ...Option) (*SecretKey, error) {
	op := opCreateServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID}, requireName(op, key.Name)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, key)
	if err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err = s.c.call(ctx, op, []string{serviceAccountID}, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Key, nil
}

// List lists the secret keys of a service account.
func (s *ServiceAccountKeysService) List(ctx context.Context, serviceAccountID string, opts ...Option) ([]SecretKey, error) {
	op := opListServiceAccountKeys
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return nil, err
	}
	var resp secretKeyListResponse
	err := s.c.call(ctx, op, []string{serviceAccountID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return resp.Keys, nil
}

// Get fetches a secret key of a service account.
func (s *ServiceAccountKeysService) Get(ctx context.Context, serviceAccountID, keyID string, opts ...Option) (*SecretKey, error) {
	op := opGetServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err := s.c.call(ctx, op, []string{serviceAccountID, keyID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.Key, nil
}

// Delete deletes a secret key of a service account; JWTs signed with it stop being accepted.
func (s *ServiceAccountKeysService) Delete(ctx context.Context, serviceAccountID, keyID string, opts ...Option) error {
	op := opDeleteServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{serviceAccountID, keyID}, "", nil, opts, nil)
}

// JWT returns an account-scoped JWT signed by the API with the service account's key. It is a bearer
// secret: never log it. Pass it to BearerToken to act as the service account.
func (s *ServiceAccountKeysService) JWT(ctx context.Context, serviceAccountID, keyID string, opts ...Option) (string, error) {
	op := opGetServiceAccountKeyJWT
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return "", err
	}
	var resp jwtResponse
	err := s.c.call(ctx, op, []string{serviceAccountID, keyID}, "", nil, opts, &resp)
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
