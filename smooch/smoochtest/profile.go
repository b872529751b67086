package smoochtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/smoochkit/smooch-go/gen"
)

// maxProfilePhoto is the largest profile photo the fake takes: 5 MiB, the contract's choice (WhatsApp's limit).
const maxProfilePhoto = 5 << 20

// GetIntegrationProfile answers a WhatsApp integration's business profile as UpdateIntegrationProfile set it
// (v1.1); other types have none (400).
func (b *backend) GetIntegrationProfile(ctx context.Context, req gen.GetIntegrationProfileRequestObject) (gen.GetIntegrationProfileResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.typ != gen.IntegrationTypeWhatsApp {
		return nil, badRequest("only WhatsApp integrations have a business profile; this one is %s", r.typ)
	}
	p := r.profile
	out := gen.IntegrationProfile{About: copyPtr(p.About), Address: copyPtr(p.Address), Description: copyPtr(p.Description),
		Email: copyPtr(p.Email), PhotoURL: copyPtr(p.PhotoURL), Vertical: copyPtr(p.Vertical)}
	if p.Websites != nil {
		out.Websites = ptr(slices.Clone(*p.Websites))
	}
	return gen.GetIntegrationProfile200JSONResponse{Profile: &out}, nil
}

// UploadIntegrationProfilePhoto stores a WhatsApp integration's profile photo (v1.1): one multipart file field,
// source, a JPEG or PNG image of at most 5 MiB. It answers where the photo is stored, and does not set the
// profile's photo (the contract's choice).
func (b *backend) UploadIntegrationProfilePhoto(ctx context.Context, req gen.UploadIntegrationProfilePhotoRequestObject) (gen.UploadIntegrationProfilePhotoResponseObject, error) {
	var photo []byte
	found := false
	for {
		part, err := req.Body.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, badRequest("request body is not multipart/form-data: %v", err)
		}
		if part.FormName() != "source" {
			continue
		}
		if photo, err = io.ReadAll(io.LimitReader(part, maxProfilePhoto+1)); err != nil {
			return nil, badRequest("reading the photo: %v", err)
		}
		found = true
	}
	switch mediaType := http.DetectContentType(photo); {
	case !found || len(photo) == 0:
		return nil, badRequest("source is required: the photo, as a file field")
	case len(photo) > maxProfilePhoto:
		return nil, newError(http.StatusRequestEntityTooLarge, "The photo is larger than %d MiB", maxProfilePhoto>>20)
	case mediaType != "image/jpeg" && mediaType != "image/png":
		return nil, badRequest("The photo is %s: a profile photo is a JPEG or PNG image", mediaType)
	}
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	_, r, err := b.visibleIntegration(ctx, req.AppID, req.IntegrationID)
	if err != nil {
		return nil, err
	}
	if r.typ != gen.IntegrationTypeWhatsApp {
		return nil, badRequest("only WhatsApp integrations have a business profile; this one is %s", r.typ)
	}
	ext := "png"
	if http.DetectContentType(photo) == "image/jpeg" {
		ext = "jpg"
	}
	url := fmt.Sprintf("https://media.smooch.io/apps/%s/integrations/%s/profile/photo-%s.%s", req.AppID, req.IntegrationID,
		digestHex(8, "profile photo", string(photo)), ext)
	return gen.UploadIntegrationProfilePhoto200JSONResponse{PhotoURL: url}, nil
}

// GetSdkIds answers the ids of the app's android, ios and web integrations (v1.1), creating those missing, as
// the contract decides. The web one is a Web Messenger integration like any other; the android and ios ones are
// SDK integrations the contract has no variant for, so the fake keeps their ids but lists them nowhere.
func (b *backend) GetSdkIds(ctx context.Context, req gen.GetSdkIdsRequestObject) (gen.GetSdkIdsResponseObject, error) {
	b.store.mu.Lock()
	defer b.store.mu.Unlock()
	a, err := b.visibleApp(principalFrom(ctx), req.AppID)
	if err != nil {
		return nil, err
	}
	if a.androidID == "" {
		a.androidID = b.ids.objectID()
	}
	if a.iosID == "" {
		a.iosID = b.ids.objectID()
	}
	web := slices.IndexFunc(a.integrations, func(r *integrationRecord) bool { return r.typ == gen.IntegrationTypeWeb })
	if web < 0 {
		rec := &integrationRecord{id: b.ids.objectID(), typ: gen.IntegrationTypeWeb}
		style, fixed := gen.DisplayStyleButton, false
		if err := rec.body.FromWebIntegration(gen.WebIntegration{ID: rec.id, Type: rec.typ, DisplayStyle: &style, FixedIntroPane: &fixed,
			Status: ptr(gen.IntegrationStatusActive)}); err != nil {
			return nil, err
		}
		a.integrations = append(a.integrations, rec)
		web = len(a.integrations) - 1
	}
	return gen.GetSdkIds200JSONResponse{AndroidIntegrationID: a.androidID, IOSIntegrationID: a.iosID, WebIntegrationID: a.integrations[web].id}, nil
}
