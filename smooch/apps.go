package smooch

import (
	"context"
	"iter"
	"net/http"

	"github.com/smoochkit/smooch-go/gen"
)

// AppsService provisions apps. Every method needs account scope.
type AppsService struct{ c *Client }

// AppListOptions select a page of apps.
type AppListOptions struct {
	ListOptions
	// ServiceAccountID, when set, lists only the apps of that service account (for user account keys).
	ServiceAccountID string
}

// Create creates an app. The response carries its ID, used by the app-level APIs and the client SDKs.
func (s *AppsService) Create(ctx context.Context, app AppCreate) (*App, error) {
	if err := s.c.begin(opCreateApp, nil, requireName(opCreateApp, app.Name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.AppResponse](ctx, s.c, opCreateApp, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.CreateApp(ctx, app)
	})
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// List returns one page of apps; opts may be nil. A service account sees only the apps it can access.
func (s *AppsService) List(ctx context.Context, opts *AppListOptions) (*Page[App], error) {
	var o AppListOptions
	if opts != nil {
		o = *opts
	}
	if err := s.c.begin(opListApps, nil, o.validate(opListApps)); err != nil {
		return nil, err
	}
	params := &gen.ListAppsParams{}
	params.Limit, params.Offset = o.params()
	if o.ServiceAccountID != "" {
		params.ServiceAccountID = &o.ServiceAccountID
	}
	resp, err := call[gen.AppListResponse](ctx, s.c, opListApps, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.ListApps(ctx, params)
	})
	if err != nil {
		return nil, err
	}
	return &Page[App]{Items: resp.Apps, HasMore: resp.HasMore, Offset: resp.Offset}, nil
}

// All iterates over every app from opts on (nil: from the start), fetching pages lazily as the loop goes.
// The loop ends after the last app, or after yielding an error. Ranging over the sequence again starts over.
//
//	for app, err := range client.Apps.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(app.Name)
//	}
func (s *AppsService) All(ctx context.Context, opts *AppListOptions) iter.Seq2[App, error] {
	var o AppListOptions
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.ListOptions, func(ctx context.Context, lo ListOptions) (*Page[App], error) {
		page := o // a copy per page: concurrent ranges over the sequence share nothing
		page.ListOptions = lo
		return s.List(ctx, &page)
	})
}

// Get fetches an app.
func (s *AppsService) Get(ctx context.Context, appID string) (*App, error) {
	if err := s.c.begin(opGetApp, []string{appID}); err != nil {
		return nil, err
	}
	resp, err := call[gen.AppResponse](ctx, s.c, opGetApp, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.GetApp(ctx, appID)
	})
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// Update updates an app's name and settings.
func (s *AppsService) Update(ctx context.Context, appID string, app AppUpdate) (*App, error) {
	if err := s.c.begin(opUpdateApp, []string{appID}, requireName(opUpdateApp, app.Name)); err != nil {
		return nil, err
	}
	resp, err := call[gen.AppResponse](ctx, s.c, opUpdateApp, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.UpdateApp(ctx, appID, app)
	})
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// Delete deletes an app with its integrations, keys and webhooks.
func (s *AppsService) Delete(ctx context.Context, appID string) error {
	if err := s.c.begin(opDeleteApp, []string{appID}); err != nil {
		return err
	}
	return callNoBody(ctx, s.c, opDeleteApp, func(ctx context.Context) (*http.Response, error) {
		return s.c.api.DeleteApp(ctx, appID)
	})
}
