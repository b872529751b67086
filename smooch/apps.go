package smooch

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
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
func (s *AppsService) Create(ctx context.Context, app AppCreate, opts ...Option) (*App, error) {
	op := opCreateApp
	if err := s.c.begin(op, nil, requireName(op, app.Name), checkMetadata(op, app.Metadata)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, app)
	if err != nil {
		return nil, err
	}
	var resp appResponse
	err = s.c.call(ctx, op, nil, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// List returns one page of apps; opts may be nil (the first page, of the API's default size). A service
// account sees only the apps it can access.
func (s *AppsService) List(ctx context.Context, opts *AppListOptions, callOpts ...Option) (*Page[App], error) {
	op := opListApps
	var o AppListOptions
	if opts != nil {
		o = *opts
	}
	if err := s.c.begin(op, nil, o.validate(op)); err != nil {
		return nil, err
	}
	q := o.values()
	if o.ServiceAccountID != "" {
		q.Set("serviceAccountId", o.ServiceAccountID)
	}
	query := q.Encode()
	var resp appListResponse
	err := s.c.call(ctx, op, nil, query, nil, callOpts, &resp)
	if err != nil {
		return nil, err
	}
	return &Page[App]{Items: resp.Apps, HasMore: resp.HasMore, Offset: resp.Offset}, nil
}

// All iterates over every app from opts on (nil: from the start), fetching pages lazily as the loop goes.
// The loop ends after the last app, or after yielding an error. Ranging over the sequence again starts over.
//
// Paging is by offset, as the API pages: deleting apps while ranging shifts the apps after them to lower
// offsets, so the next page starts past some of them and the loop skips them. To delete every app, collect
// the ids first (slices.Collect over the ids), or list the first page again until it is empty.
//
//	for app, err := range client.Apps.All(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(app.Name)
//	}
func (s *AppsService) All(ctx context.Context, opts *AppListOptions, callOpts ...Option) iter.Seq2[App, error] {
	var o AppListOptions
	if opts != nil {
		o = *opts
	}
	return paginate(ctx, o.ListOptions, func(ctx context.Context, lo ListOptions) (*Page[App], error) {
		page := o // a copy per page: concurrent ranges over the sequence share nothing
		page.ListOptions = lo
		return s.List(ctx, &page, callOpts...)
	})
}

// Get fetches an app.
func (s *AppsService) Get(ctx context.Context, appID string, opts ...Option) (*App, error) {
	op := opGetApp
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var resp appResponse
	err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// Update changes what app gives of an app's name, settings and metadata, and keeps the rest: an empty Name keeps
// the name (the API has taken an update without one since 2018, under v1 as under v1.1), a setting left nil
// keeps its value, and Metadata, when not empty, replaces the app's. An update that changes nothing is refused
// before sending.
func (s *AppsService) Update(ctx context.Context, appID string, app AppUpdate, opts ...Option) (*App, error) {
	op := opUpdateApp
	var nameCheck error
	if app.Name != "" {
		nameCheck = requireName(op, app.Name)
	}
	if err := s.c.begin(op, []string{appID}, nameCheck, checkMetadata(op, app.Metadata), checkUpdate(op, app)); err != nil {
		return nil, err
	}
	body, err := encode(op.method, app)
	if err != nil {
		return nil, err
	}
	var resp appResponse
	err = s.c.call(ctx, op, []string{appID}, "", body, opts, &resp)
	if err != nil {
		return nil, err
	}
	return &resp.App, nil
}

// checkUpdate refuses an app update that would send nothing to change ({}), which the API refuses.
func checkUpdate(op operation, app AppUpdate) error {
	if b, err := json.Marshal(app); err == nil && (string(b) == "{}" || string(b) == `{"settings":{}}`) {
		return &ValidationError{Subject: op.method, Field: "app", Problem: "is empty: give a name, settings or metadata to change"}
	}
	return nil
}

// Delete deletes an app with its integrations, keys and webhooks.
func (s *AppsService) Delete(ctx context.Context, appID string, opts ...Option) error {
	op := opDeleteApp
	if err := s.c.begin(op, []string{appID}); err != nil {
		return err
	}
	return s.c.call(ctx, op, []string{appID}, "", nil, opts, nil)
}

// checkMetadata refuses metadata the API would refuse: it is a flat object, each value a string, a number or
// a boolean. Keys are checked in order, so that the error is the same on every run.
func checkMetadata(op operation, md AppMetadata) error {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch v := md[k].(type) {
		case string, bool, json.Number,
			int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		case nil:
			return &ValidationError{Subject: op.method, Field: "metadata." + k, Problem: "is nil: a value is a string, a number or a boolean"}
		default:
			return &ValidationError{Subject: op.method, Field: "metadata." + k, Problem: fmt.Sprintf("is a %T: metadata is flat, each value a string, a number or a boolean", v)}
		}
	}
	return nil
}
