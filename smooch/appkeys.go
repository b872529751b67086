package smooch

import (
	"bytes"
	"context"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
)

// AppKeysService manages the secret keys of an app (app_…), which sign app and appUser JWTs. Every method
// needs account scope.
type AppKeysService struct{ c *Client }

// Create creates a secret key for an app. The response carries the secret: keep it safe.
func (s *AppKeysService) Create(ctx context.Context, appID string, key SecretKeyCreate, opts ...Option) (*SecretKey, error) {
	op := opCreateAppKey
	if err := s.c.begin(op, []string{appID}, requireName(op, key.Name)); err != nil {
		return nil, err
	}
	body, err := encode(op, key)
	if err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err = s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewCreateAppKeyRequestWithBody(server, appID, jsonContent, bytes.NewReader(body))
	})
	if err != nil {
		return nil, err
	}
	return &resp.Key, nil
}

// List lists the secret keys of an app.
func (s *AppKeysService) List(ctx context.Context, appID string, opts ...Option) ([]SecretKey, error) {
	op := opListAppKeys
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var resp secretKeyListResponse
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewListAppKeysRequest(server, appID)
	})
	if err != nil {
		return nil, err
	}
	return resp.Keys, nil
}

// Get fetches a secret key of an app.
func (s *AppKeysService) Get(ctx context.Context, appID, keyID string, opts ...Option) (*SecretKey, error) {
	op := opGetAppKey
	if err := s.c.begin(op, []string{appID, keyID}); err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewGetAppKeyRequest(server, appID, keyID)
	})
	if err != nil {
		return nil, err
	}
	return &resp.Key, nil
}

// Delete deletes a secret key of an app; JWTs signed with it stop being accepted.
func (s *AppKeysService) Delete(ctx context.Context, appID, keyID string, opts ...Option) error {
	op := opDeleteAppKey
	if err := s.c.begin(op, []string{appID, keyID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, opts, nil, func(server string) (*http.Request, error) {
		return gen.NewDeleteAppKeyRequest(server, appID, keyID)
	})
}

// JWT returns an app-scoped JWT signed by the API with the key. It is a bearer secret: never log it. To use
// it, pass it to BearerToken; to sign one yourself from the key's secret, call SignJWT.
func (s *AppKeysService) JWT(ctx context.Context, appID, keyID string, opts ...Option) (string, error) {
	op := opGetAppKeyJWT
	if err := s.c.begin(op, []string{appID, keyID}); err != nil {
		return "", err
	}
	var resp jwtResponse
	err := s.c.call(ctx, op, opts, &resp, func(server string) (*http.Request, error) {
		return gen.NewGetAppKeyJWTRequest(server, appID, keyID)
	})
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
