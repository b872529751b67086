package smoochtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch"
)

func findIntegration(a *appRecord, id string) (*integrationRecord, error) {
	i := slices.IndexFunc(a.integrations, func(r *integrationRecord) bool { return r.id == id })
	if i < 0 {
		return nil, notFound("Integration")
	}
	return a.integrations[i], nil
}

// visibleIntegration returns the app and the integration if the caller may
// reach them; callers hold b.store.mu.
func (b *backend) visibleIntegration(ctx context.Context, appID, integrationID string) (*appRecord, *integrationRecord, error) {
	a, err := b.visibleApp(principalFrom(ctx), appID)
	if err != nil {
		return nil, nil, err
	}
	r, err := findIntegration(a, integrationID)
	return a, r, err
}

func (b *backend) CreateIntegration(ctx context.Context, req gen.CreateIntegrationRequestObject) (gen.CreateIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	rec := &integrationRecord{id: b.ids.objectID()}
	rec.typ, rec.body, err = b.provision(rec.id, *req.Body)
	if err != nil {
		return nil, err
	}
	shown, err := echoed(rec.typ, *req.Body)
	if err != nil {
		return nil, err
	}
	if deployment, ok := shown["deploymentId"].(string); ok {
		if err := b.useDeployment(deployment, a.app.ID, rec.id); err != nil {
			return nil, err
		}
	}
	// The fake's channels always connect: a new integration is active (SetIntegrationStatus changes it).
	shown["status"] = gen.IntegrationStatusActive
	if err := editIntegration(&rec.body, shown); err != nil {
		return nil, err
	}
	a.integrations = append(a.integrations, rec)
	return gen.CreateIntegration201JSONResponse{Integration: rec.body}, nil
}

// ListIntegrations lists the app's integrations in creation order, only those
// of the requested types if `types` is given. Under v1.1 the list is paged
// (limit, offset, 25 by default; types filters first, the contract's choice);
// v1 answers every integration at once, without hasMore or offset, as it always
// did, and takes no paging parameter (400).
func (b *backend) ListIntegrations(ctx context.Context, req gen.ListIntegrationsRequestObject) (gen.ListIntegrationsResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	out := make([]gen.Integration, 0, len(a.integrations))
	for _, r := range a.integrations {
		if req.Params.Types != nil && !slices.Contains(*req.Params.Types, r.typ) {
			continue
		}
		out = append(out, r.body)
	}
	if req.APIVersion == gen.APIVersionV1 {
		if req.Params.Limit != nil || req.Params.Offset != nil {
			return nil, badRequest("limit and offset are v1.1's: v1 lists every integration at once")
		}
		return gen.ListIntegrations200JSONResponse{Integrations: out}, nil
	}
	start, end, more, off := page(len(out), req.Params.Limit, req.Params.Offset)
	return gen.ListIntegrations200JSONResponse{Integrations: out[start:end], HasMore: &more, Offset: &off}, nil
}

func (b *backend) GetIntegration(ctx context.Context, req gen.GetIntegrationRequestObject) (gen.GetIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	return gen.GetIntegration200JSONResponse{Integration: r.body}, nil
}

// updatable lists, per integration type, the members of an integration update
// that apply to it, and whether the integration shows them afterwards (a
// credential is applied, never shown).
var updatable = map[gen.IntegrationType]map[string]bool{
	gen.IntegrationTypeWeb: {
		"brandColor": true, "conversationColor": true, "actionColor": true, "fixedIntroPane": true,
		"displayStyle": true, "buttonIconUrl": true, "buttonWidth": true, "buttonHeight": true,
		"integrationOrder": true, "businessName": true, "businessIconUrl": true, "backgroundImageUrl": true,
		"originWhitelist": true,
	},
	gen.IntegrationTypeLINE: {"channelId": true, "channelSecret": false,
		"serviceCode": true, "switcherSecret": false, "qrCodeUrl": true}, // v1.1
	gen.IntegrationTypeWhatsApp: {"hsmFallbackLanguage": true},
	gen.IntegrationTypeMailgun:  {"hideUnsubscribeLink": true, "fromAddress": true}, // v1.1
	gen.IntegrationTypeAPN:      {"production": true},                               // v1.1
}

// updatableByAll are the members of an integration update every type takes (v1.1's displayName).
var updatableByAll = map[string]bool{"displayName": true}

// echoedOnCreate lists, per type, the create arguments an integration shows as sent (v1.1's and a few older
// ones); the display name is every type's. Credentials are never shown.
var echoedOnCreate = map[gen.IntegrationType][]string{
	gen.IntegrationTypeLINE:     {"serviceCode", "qrCodeUrl"},
	gen.IntegrationTypeMailgun:  {"hideUnsubscribeLink", "fromAddress"},
	gen.IntegrationTypeWhatsApp: {"deploymentId"},
}

// echoed are the members of a create body the new integration shows: its displayName, and its type's
// echoedOnCreate; a LINE qrCodeUrl also gives the integration its lineId, as Smooch fills it in.
func echoed(typ gen.IntegrationType, body gen.IntegrationCreate) (map[string]any, error) {
	raw, err := body.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var members map[string]any
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, name := range append([]string{"displayName"}, echoedOnCreate[typ]...) {
		if v, ok := members[name]; ok {
			out[name] = v
		}
	}
	if qr, ok := out["qrCodeUrl"].(string); ok {
		out["lineId"] = "@" + digestHex(8, "line basic id", qr)
	}
	return out, nil
}

// UpdateIntegration applies the members that apply to the integration's type
// and keeps the others. A member that does not apply is refused, naming it,
// and nothing changes: the contract's choice where the API's answer is not
// stated.
func (b *backend) UpdateIntegration(ctx context.Context, req gen.UpdateIntegrationRequestObject) (gen.UpdateIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(req.Body)
	if err != nil {
		return nil, err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(members))
	for name := range members {
		names = append(names, name)
	}
	slices.Sort(names)
	shown := map[string]any{}
	for _, name := range names {
		show, applies := updatable[r.typ][name]
		if updatableByAll[name] {
			show, applies = true, true
		}
		if !applies {
			return nil, badRequest("%s does not apply to a %s integration", name, r.typ)
		}
		if show {
			shown[name] = members[name]
		}
	}
	if qr, ok := shown["qrCodeUrl"]; ok {
		var url string
		_ = json.Unmarshal(qr.(json.RawMessage), &url)
		shown["lineId"] = "@" + digestHex(8, "line basic id", url)
	}
	if err := editIntegration(&r.body, shown); err != nil {
		return nil, err
	}
	return gen.UpdateIntegration200JSONResponse{Integration: r.body}, nil
}

// UpdateIntegrationProfile keeps a WhatsApp integration's business profile
// (the v1 API has no operation that reads it back). Other types have none:
// 400, the contract's choice where the API's answer is not stated.
func (b *backend) UpdateIntegrationProfile(ctx context.Context, req gen.UpdateIntegrationProfileRequestObject) (gen.UpdateIntegrationProfileResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.typ != gen.IntegrationTypeWhatsApp {
		return nil, badRequest("only WhatsApp integrations have a business profile; this one is %s", r.typ)
	}
	p, u := &r.profile, req.Body
	for _, f := range []struct{ to, from **string }{
		{&p.About, &u.About}, {&p.Address, &u.Address}, {&p.Description, &u.Description}, {&p.Email, &u.Email},
		{&p.PhotoURL, &u.PhotoURL}, {&p.Vertical, &u.Vertical},
	} {
		if *f.from != nil {
			*f.to = ptr(**f.from)
		}
	}
	if u.Websites != nil {
		p.Websites = ptr(slices.Clone(*u.Websites))
	}
	return gen.UpdateIntegrationProfile200JSONResponse{}, nil
}

func (b *backend) DeleteIntegration(ctx context.Context, req gen.DeleteIntegrationRequestObject) (gen.DeleteIntegrationResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	a.integrations = slices.DeleteFunc(a.integrations, func(x *integrationRecord) bool { return x == r })
	b.releaseDeployment(r.id)
	return gen.DeleteIntegration200JSONResponse{}, nil
}

// editIntegration sets members of an integration's answer (a nil value
// removes the member), keeping the others as they are.
func editIntegration(body *gen.Integration, set map[string]any) error {
	raw, err := body.MarshalJSON()
	if err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return err
	}
	for name, value := range set {
		if value == nil {
			delete(members, name)
			continue
		}
		if members[name], err = json.Marshal(value); err != nil {
			return err
		}
	}
	if raw, err = json.Marshal(members); err != nil {
		return err
	}
	return body.UnmarshalJSON(raw)
}

// SetIntegrationStatus changes what the API reports of an integration's health,
// as if its channel had changed; errorText (for smooch.IntegrationStatusError)
// says what failed, and is dropped for the other statuses. New integrations are
// active. It fails when the app or the integration does not exist, or the
// status is not one the API reports.
func (s *Server) SetIntegrationStatus(appID, integrationID string, status smooch.IntegrationStatus, errorText string) error {
	if !status.Valid() {
		return fmt.Errorf("smoochtest: integration status %q: want active, inactive or error", status)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	a, ok := s.store.apps[appID]
	if !ok {
		return fmt.Errorf("smoochtest: no app %s", appID)
	}
	r, err := findIntegration(a, integrationID)
	if err != nil {
		return fmt.Errorf("smoochtest: app %s has no integration %s", appID, integrationID)
	}
	var errorMember any
	if status == smooch.IntegrationStatusError && errorText != "" {
		errorMember = errorText
	}
	return editIntegration(&r.body, map[string]any{"status": string(status), "error": errorMember})
}
