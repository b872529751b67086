package smooch

import (
	"context"
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
	body, err := encode(op.method, key)
	if err != nil {
		return nil, err
	}
	var resp secretKeyResponse
	err = s.c.call(ctx, op, []string{appID}, "", body, opts, &resp)
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
	err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &resp)
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
	err := s.c.call(ctx, op, []string{appID, keyID}, "", nil, opts, &resp)
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
	return s.c.call(ctx, op, []string{appID, keyID}, "", nil, opts, nil)
}

// JWT returns an app-scoped JWT signed by the API with the key. It is a bearer secret: never log it. To use
// it, pass it to BearerToken; to sign one yourself from the key's secret, call SignJWT.
func (s *AppKeysService) JWT(ctx context.Context, appID, keyID string, opts ...Option) (string, error) {
	op := opGetAppKeyJWT
	if err := s.c.begin(op, []string{appID, keyID}); err != nil {
		return "", err
	}
	var resp jwtResponse
	err := s.c.call(ctx, op, []string{appID, keyID}, "", nil, opts, &resp)
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
