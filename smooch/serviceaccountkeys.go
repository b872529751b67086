package smooch

import (
	"context"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
)

// ServiceAccountKeysService manages the secret keys of service accounts (svc_…), which sign account-scoped
// JWTs on their behalf. Like ServiceAccountsService it needs a user account key (act_…).
type ServiceAccountKeysService struct{ c *Client }

// Create creates a secret key for a service account. The response carries the secret: keep it safe.
func (s *ServiceAccountKeysService) Create(ctx context.Context, serviceAccountID, name string) (*SecretKey, error) {
	op := opCreateServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID}, requireName(op, name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateServiceAccountKey(ctx, serviceAccountID, gen.SecretKeyCreate{Name: name})
	})
	if err != nil {
		return nil, err
	}
	return &SecretKey{resp.Key}, nil
}

// List lists the secret keys of a service account.
func (s *ServiceAccountKeysService) List(ctx context.Context, serviceAccountID string) ([]SecretKey, error) {
	op := opListServiceAccountKeys
	if err := s.c.begin(op, []string{serviceAccountID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyListResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListServiceAccountKeys(ctx, serviceAccountID)
	})
	if err != nil {
		return nil, err
	}
	return wrapKeys(resp.Keys), nil
}

// Get fetches a secret key of a service account.
func (s *ServiceAccountKeysService) Get(ctx context.Context, serviceAccountID, keyID string) (*SecretKey, error) {
	op := opGetServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetServiceAccountKey(ctx, serviceAccountID, keyID)
	})
	if err != nil {
		return nil, err
	}
	return &SecretKey{resp.Key}, nil
}

// Delete deletes a secret key of a service account; JWTs signed with it stop being accepted.
func (s *ServiceAccountKeysService) Delete(ctx context.Context, serviceAccountID, keyID string) error {
	op := opDeleteServiceAccountKey
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteServiceAccountKey(ctx, serviceAccountID, keyID)
	})
}

// JWT returns an account-scoped JWT signed by the API with the service account's key. It is a bearer
// secret: never log it. Pass it to BearerToken to act as the service account.
func (s *ServiceAccountKeysService) JWT(ctx context.Context, serviceAccountID, keyID string) (string, error) {
	op := opGetServiceAccountKeyJWT
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return "", err
	}
	resp, err := call[gen.JWTResponse](ctx, s.c, op, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetServiceAccountKeyJWT(ctx, serviceAccountID, keyID)
	})
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
