package smooch

import (
	"context"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
)

// AppKeysService manages the secret keys of an app (app_…), which sign app and appUser JWTs. Every method
// needs account scope.
type AppKeysService struct{ c *Client }

// Create creates a secret key for an app. The response carries the secret: keep it safe.
func (s *AppKeysService) Create(ctx context.Context, appID, name string) (*SecretKey, error) {
	if err := s.c.begin(opCreateAppKey, []string{appID}, requireName(opCreateAppKey, name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyResponse](ctx, s.c, opCreateAppKey, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateAppKey(ctx, appID, gen.SecretKeyCreate{Name: name})
	})
	if err != nil {
		return nil, err
	}
	return &SecretKey{resp.Key}, nil
}

// List lists the secret keys of an app.
func (s *AppKeysService) List(ctx context.Context, appID string) ([]SecretKey, error) {
	if err := s.c.begin(opListAppKeys, []string{appID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyListResponse](ctx, s.c, opListAppKeys, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListAppKeys(ctx, appID)
	})
	if err != nil {
		return nil, err
	}
	return wrapKeys(resp.Keys), nil
}

// Get fetches a secret key of an app.
func (s *AppKeysService) Get(ctx context.Context, appID, keyID string) (*SecretKey, error) {
	if err := s.c.begin(opGetAppKey, []string{appID, keyID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.SecretKeyResponse](ctx, s.c, opGetAppKey, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetAppKey(ctx, appID, keyID)
	})
	if err != nil {
		return nil, err
	}
	return &SecretKey{resp.Key}, nil
}

// Delete deletes a secret key of an app; JWTs signed with it stop being accepted.
func (s *AppKeysService) Delete(ctx context.Context, appID, keyID string) error {
	if err := s.c.begin(opDeleteAppKey, []string{appID, keyID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, opDeleteAppKey, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteAppKey(ctx, appID, keyID)
	})
}

// JWT returns an app-scoped JWT signed by the API with the key. It is a bearer secret: never log it. To use
// it, pass it to BearerToken; to sign one yourself from the key's secret, call SignJWT.
func (s *AppKeysService) JWT(ctx context.Context, appID, keyID string) (string, error) {
	if err := s.c.begin(opGetAppKeyJWT, []string{appID, keyID}); err != nil {
		return "", err
	}
	resp, err := call[gen.JWTResponse](ctx, s.c, opGetAppKeyJWT, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetAppKeyJWT(ctx, appID, keyID)
	})
	if err != nil {
		return "", err
	}
	return resp.JWT, nil
}
