package smooch

import (
	"bytes"
	"context"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
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
	body, err := encode(op, key)
	if err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err = s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewCreateServiceAccountKeyRequestWithBody(server, serviceAccountID, jsonContent, bytes.NewReader(body))
	})
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
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewListServiceAccountKeysRequest(server, serviceAccountID)
	})
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
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewGetServiceAccountKeyRequest(server, serviceAccountID, keyID)
	})
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
	return s.c.call(ctx, op, opts, nil, func(server string) (*http.Request, error) {
		return gen.NewDeleteServiceAccountKeyRequest(server, serviceAccountID, keyID)
	})
}

// JWT returns an account-scoped JWT signed by the API with the service account's key. It is a bearer
// secret: never log it. Pass it to BearerToken to act as the service account.
func (s *ServiceAccountKeysService) JWT(ctx context.Context, serviceAccountID, keyID string, opts ...Option) (string, error) {
	op := opGetServiceAccountKeyJWT
	if err := s.c.begin(op, []string{serviceAccountID, keyID}); err != nil {
		return "", err
	}
	var resp jwtResponse
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewGetServiceAccountKeyJWTRequest(server, serviceAccountID, keyID)
	})
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
