package smoochtest

import (
	"context"
	"maps"

	"github.com/smoochkit/smooch-go/gen"
)

// visibleApp returns the app if the caller may reach it; callers hold
// b.store.mu. An app the caller cannot reach answers 404 exactly like one
// that does not exist, as the service accounts guide says: a service account
// sees only the apps it created, and an app key only its own app, and neither
// learns whether other apps exist.
func (b *backend) visibleApp(p principal, appID string) (*appRecord, error) {
	a, ok := b.store.apps[appID]
	if !ok {
		return nil, notFound("App")
	}
	switch p.kind {
	case serviceAccountKey:
		if a.createdBy != p.serviceAccountID {
			return nil, notFound("App")
		}
	case appKey:
		if p.appID != appID {
			return nil, notFound("App")
		}
	}
	return a, nil
}

func copySettings(in *gen.AppSettings) *gen.AppSettings {
	if in == nil {
		return nil
	}
	out := *in
	out.MaskCreditCardNumbers = copyPtr(in.MaskCreditCardNumbers)
	out.UseAnimalNames = copyPtr(in.UseAnimalNames)
	out.ConversationRetentionSeconds = copyPtr(in.ConversationRetentionSeconds)
	out.EchoPostback = copyPtr(in.EchoPostback)
	out.IgnoreAutoConversationStart = copyPtr(in.IgnoreAutoConversationStart)
	return &out
}

// copyMetadata copies an app's metadata, which is flat: copying the map copies every value.
func copyMetadata(in *gen.AppMetadata) *gen.AppMetadata {
	if in == nil {
		return nil
	}
	out := maps.Clone(*in)
	return &out
}

// publicApp copies an app so that answers never alias the store.
func publicApp(a *appRecord) gen.App {
	out := a.app
	if a.app.AppToken != nil {
		t := *a.app.AppToken
		out.AppToken = &t
	}
	out.Settings = copySettings(a.app.Settings)
	out.Metadata = copyMetadata(a.app.Metadata)
	return out
}

func (b *backend) CreateApp(ctx context.Context, req gen.CreateAppRequestObject) (gen.CreateAppResponseObject, error) {
	p := principalFrom(ctx)
	token := b.ids.appToken()
	id := b.ids.objectID()
	a := &appRecord{
		app: gen.App{ID: id, AppToken: &token, Name: req.Body.Name, Settings: copySettings(req.Body.Settings),
			Metadata: copyMetadata(req.Body.Metadata)},
		createdBy: p.serviceAccountID,
		keys:      keyring{kind: appKey, owner: id},
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	b.store.apps[a.app.ID] = a
	b.store.appOrder = append(b.store.appOrder, a.app.ID)
	b.store.appsBy[a.createdBy] = append(b.store.appsBy[a.createdBy], a.app.ID)
	return gen.CreateApp201JSONResponse{App: publicApp(a)}, nil
}

// ListApps answers one page in O(page): the apps a caller sees are either every app (the user account) or
// those of one creator (a service account, or the serviceAccountId filter), each kept in creation order.
func (b *backend) ListApps(ctx context.Context, req gen.ListAppsRequestObject) (gen.ListAppsResponseObject, error) {
	p := principalFrom(ctx)
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	order := b.store.appOrder
	creator, byCreator := "", false
	if p.kind == serviceAccountKey {
		creator, byCreator = p.serviceAccountID, true
	}
	if sa := req.Params.ServiceAccountID; sa != nil {
		if byCreator && *sa != creator {
			order, byCreator = nil, false // another service account's apps: none the caller may see
		} else {
			creator, byCreator = *sa, true
		}
	}
	if byCreator {
		order = b.store.appsBy[creator]
	}
	start, end, more, off := page(len(order), req.Params.Limit, req.Params.Offset)
	apps := make([]gen.App, 0, end-start)
	for _, id := range order[start:end] {
		apps = append(apps, publicApp(b.store.apps[id]))
	}
	return gen.ListApps200JSONResponse{Apps: apps, HasMore: more, Offset: off}, nil
}

func (b *backend) GetApp(ctx context.Context, req gen.GetAppRequestObject) (gen.GetAppResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	return gen.GetApp200JSONResponse{App: publicApp(a)}, nil
}

// UpdateApp sets what the body holds of the app's name, settings and metadata:
// a name left out is kept (optional since the vendor's 3.4), a setting left out
// keeps its value (as the contract's AppSettings says), metadata given replaces
// the app's, left out is kept.
func (b *backend) UpdateApp(ctx context.Context, req gen.UpdateAppRequestObject) (gen.UpdateAppResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	if req.Body.Name != nil {
		a.app.Name = *req.Body.Name
	}
	if in := req.Body.Settings; in != nil {
		merged := copySettings(a.app.Settings)
		if merged == nil {
			merged = &gen.AppSettings{}
		}
		for _, f := range []struct{ to, from **bool }{
			{&merged.MaskCreditCardNumbers, &in.MaskCreditCardNumbers}, {&merged.UseAnimalNames, &in.UseAnimalNames},
			{&merged.EchoPostback, &in.EchoPostback}, {&merged.IgnoreAutoConversationStart, &in.IgnoreAutoConversationStart},
		} {
			if *f.from != nil {
				*f.to = copyPtr(*f.from)
			}
		}
		if in.ConversationRetentionSeconds != nil {
			merged.ConversationRetentionSeconds = copyPtr(in.ConversationRetentionSeconds)
		}
		a.app.Settings = merged
	}
	if req.Body.Metadata != nil {
		a.app.Metadata = copyMetadata(req.Body.Metadata)
	}
	return gen.UpdateApp200JSONResponse{App: publicApp(a)}, nil
}

// DeleteApp removes the app with its keys (whose JWTs stop working at once),
// integrations and webhooks.
func (b *backend) DeleteApp(ctx context.Context, req gen.DeleteAppRequestObject) (gen.DeleteAppResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	b.store.removeAll(&a.keys)
	for _, r := range a.integrations {
		b.releaseDeployment(r.id)
	}
	delete(b.store.apps, req.AppID)
	b.store.appOrder = removeID(b.store.appOrder, req.AppID)
	b.store.appsBy[a.createdBy] = removeID(b.store.appsBy[a.createdBy], req.AppID)
	return gen.DeleteApp200JSONResponse{}, nil
}
