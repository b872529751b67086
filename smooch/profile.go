package smooch

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
)

// GetProfile fetches a WhatsApp integration's business profile, as UpdateProfile set it; the fields never set
// are empty. Only WhatsApp integrations have one: the API refuses another (400). v1.1 only.
func (s *IntegrationsService) GetProfile(ctx context.Context, appID, integrationID string, opts ...Option) (*IntegrationProfile, error) {
	op := opGetIntegrationProfile
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return nil, err
	}
	var resp integrationProfileResponse
	if err := s.c.call(ctx, op, []string{appID, integrationID}, "", nil, opts, &resp); err != nil {
		return nil, err
	}
	return &resp.Profile, nil
}

// MaxProfilePhoto is the largest profile photo UploadProfilePhoto sends: 5 MiB, WhatsApp's limit.
const MaxProfilePhoto = 5 << 20

// UploadProfilePhoto uploads a photo for a WhatsApp integration's business profile, read from photo: a JPEG or
// PNG image of at most MaxProfilePhoto bytes (WhatsApp advises 640×640 pixels). It returns the URL the photo is
// stored at; set it as the profile's photo with UpdateProfile(…, IntegrationProfileUpdate{PhotoURL: url}).
//
// photo is read whole before anything is sent, and checked: an empty file, a larger one, or one that is not a
// JPEG or PNG image (by its first bytes, whatever its name) is a *ValidationError naming the photo. The body is
// sent as multipart/form-data, the file in its `source` field. v1.1 only.
func (s *IntegrationsService) UploadProfilePhoto(ctx context.Context, appID, integrationID string, photo io.Reader, opts ...Option) (string, error) {
	op := opUploadIntegrationProfilePhoto
	if photo == nil {
		return "", s.c.begin(op, []string{appID, integrationID}, invalidf(op.method, "photo", "is nil"))
	}
	if err := s.c.begin(op, []string{appID, integrationID}); err != nil {
		return "", err
	}
	data, err := io.ReadAll(io.LimitReader(photo, MaxProfilePhoto+1))
	if err != nil {
		return "", fmt.Errorf("smooch: %s: reading the photo: %w", op.method, err)
	}
	body, contentType, err := photoBody(op.method, data)
	if err != nil {
		return "", err
	}
	cfg, err := s.c.callConfig(opts)
	if err != nil {
		return "", err
	}
	var resp profilePhotoResponse
	if err := s.c.send2xx(ctx, cfg, op, []string{appID, integrationID}, "", body, contentType, nil, &resp); err != nil {
		return "", err
	}
	return resp.PhotoURL, nil
}

// photoBody checks a photo and writes the multipart body carrying it, with its content type.
func photoBody(subject string, data []byte) ([]byte, string, error) {
	switch {
	case len(data) == 0:
		return nil, "", invalidf(subject, "photo", "is empty")
	case len(data) > MaxProfilePhoto:
		return nil, "", invalidf(subject, "photo", "is larger than %d MiB, WhatsApp's limit for a profile photo", MaxProfilePhoto>>20)
	}
	mediaType := http.DetectContentType(data)
	ext := map[string]string{"image/jpeg": "jpg", "image/png": "png"}[mediaType]
	if ext == "" {
		return nil, "", invalidf(subject, "photo", "is %s: a profile photo must be a JPEG or PNG image", mediaType)
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	// A random boundary (the writer's own) would make every upload of the same photo a different body.
	if err := w.SetBoundary(boundaryFor(data)); err != nil {
		return nil, "", fmt.Errorf("smooch: %s: %w", subject, err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="source"; filename="photo.%s"`, ext))
	h.Set("Content-Type", mediaType)
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", fmt.Errorf("smooch: %s: %w", subject, err)
	}
	if _, err := part.Write(data); err != nil {
		return nil, "", fmt.Errorf("smooch: %s: %w", subject, err)
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("smooch: %s: %w", subject, err)
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

// boundaryFor is a multipart boundary that does not occur in data: derived from it, so that the same photo is
// always sent as the same body (cassettes match requests by body), and checked.
func boundaryFor(data []byte) string {
	h := fnv.New128a()
	_, _ = h.Write(data)
	boundary := "smooch-photo-" + hex.EncodeToString(h.Sum(nil))
	for bytes.Contains(data, []byte(boundary)) {
		var extra [8]byte
		_, _ = rand.Read(extra[:])
		boundary += hex.EncodeToString(extra[:])
	}
	return boundary
}

// SDKIntegrationIDs returns the ids of the app's android, ios and web integrations, which initialise the Android
// and iOS SDKs and the Web Messenger; the API creates those missing. v1.1 only.
func (s *IntegrationsService) SDKIntegrationIDs(ctx context.Context, appID string, opts ...Option) (*SDKIntegrationIDs, error) {
	op := opGetSdkIds
	if err := s.c.begin(op, []string{appID}); err != nil {
		return nil, err
	}
	var ids SDKIntegrationIDs
	if err := s.c.call(ctx, op, []string{appID}, "", nil, opts, &ids); err != nil {
		return nil, err
	}
	return &ids, nil
}
