package smoochtest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The v1.1 surface of the fake: both versions of every path, the operations v1.1 added (served under /v1.1
// only), basic authentication, the paged integration list, the deployments' life.

const (
	v11     = gen.APIVersionV11       // a path both versions serve, under v1.1
	v11Only = gen.APIVersion11OnlyV11 // a path only v1.1 serves
)

func TestEveryPathAnswersUnderBothVersionsAndV11OperationsUnderV11Only(t *testing.T) {
	srv := newServer(t)
	token := accountToken(t, srv.AccountKey())
	for _, version := range []string{"v1", "v1.1"} {
		status, body := rawRequest(t, srv, http.MethodGet, "/"+version+"/apps", token, "")
		assert.Equal(t, http.StatusOK, status, "%s: %s", version, body)
	}
	for _, target := range []string{"/v2/apps", "/v1/whatsapp/deployments", "/v1/apps/5f1e2d3c4b5a697887654321/sdks"} {
		status, body := rawRequest(t, srv, http.MethodGet, target, token, "")
		assert.Equal(t, http.StatusNotFound, status, "%s: %s", target, body)
		assert.Contains(t, body, `"not_found"`)
	}
	status, body := rawRequest(t, srv, http.MethodGet, "/v1.1/whatsapp/deployments", token, "")
	assert.Equal(t, http.StatusOK, status, body)
}

func TestBasicAuthenticationActsAsTheKeysOwner(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "basic")
	appKey := createAppKey(t, acct, app.ID, "basic")
	basic := func(id, secret string) *gen.ClientWithResponses {
		c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(&http.Client{Transport: contractCheck{t: t, base: http.DefaultTransport}}),
			gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
				req.SetBasicAuth(id, secret)
				return nil
			}))
		require.NoError(t, err)
		return c
	}
	account := basic(srv.AccountKey().ID, srv.AccountKey().Secret)
	list, err := account.ListAppsWithResponse(ctx, v11, nil)
	wantStatus(t, list, err, http.StatusOK)
	assert.Len(t, list.JSON200.Apps, 1)

	// An app key's basic credentials have app scope: its own webhooks, not the account's apps.
	appScoped := basic(appKey.ID, appKey.Secret)
	hooks, err := appScoped.ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, hooks, err, http.StatusOK)
	forbidden, err := appScoped.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, forbidden, err, http.StatusForbidden)

	for name, c := range map[string]*gen.ClientWithResponses{
		"wrong secret": basic(srv.AccountKey().ID, "not-the-secret"), "unknown key": basic("act_000000000000000000000000", "x"),
	} {
		r, err := c.ListAppsWithResponse(ctx, v1, nil)
		wantStatus(t, r, err, http.StatusUnauthorized)
		assert.NotContains(t, string(r.Body), "not-the-secret", name)
	}
	status, _ := rawRequestWithAuth(t, srv, http.MethodGet, "/v1/apps", "Basic "+base64.StdEncoding.EncodeToString([]byte("no-colon")))
	assert.Equal(t, http.StatusUnauthorized, status)
}

func TestTheIntegrationListIsPagedUnderV11Only(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "paged")
	for range 3 {
		var body gen.IntegrationCreate
		require.NoError(t, body.FromFrontendEmailIntegrationCreate(gen.FrontendEmailIntegrationCreate{}))
		r, err := acct.CreateIntegrationWithResponse(ctx, v1, app.ID, body)
		wantStatus(t, r, err, http.StatusCreated)
	}
	limit := 2
	first, err := acct.ListIntegrationsWithResponse(ctx, v11, app.ID, &gen.ListIntegrationsParams{Limit: &limit})
	wantStatus(t, first, err, http.StatusOK)
	assert.Len(t, first.JSON200.Integrations, 2)
	assert.True(t, *first.JSON200.HasMore)
	offset := 2
	rest, err := acct.ListIntegrationsWithResponse(ctx, v11, app.ID, &gen.ListIntegrationsParams{Limit: &limit, Offset: &offset})
	wantStatus(t, rest, err, http.StatusOK)
	assert.Len(t, rest.JSON200.Integrations, 1)
	assert.False(t, *rest.JSON200.HasMore)
	assert.Equal(t, 2, *rest.JSON200.Offset)

	all, err := acct.ListIntegrationsWithResponse(ctx, v1, app.ID, nil)
	wantStatus(t, all, err, http.StatusOK)
	assert.Len(t, all.JSON200.Integrations, 3)
	assert.Nil(t, all.JSON200.HasMore, "v1 answers as it always did")
	paged, err := acct.ListIntegrationsWithResponse(ctx, v1, app.ID, &gen.ListIntegrationsParams{Limit: &limit})
	wantStatus(t, paged, err, http.StatusBadRequest)
}

func TestAWebhookGetsThePayloadVersionOfItsPath(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "versions")
	target := srv.URL + "/hook"
	triggers := []gen.WebhookTrigger{gen.WebhookTriggerMessageAppUser}
	old, err := acct.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: target})
	wantStatus(t, old, err, http.StatusCreated)
	assert.Nil(t, old.JSON201.Webhook.Version, "v1 answers no version")
	yes := true
	hook, err := acct.CreateWebhookWithResponse(ctx, v11, app.ID, gen.WebhookCreate{Target: target, Triggers: &triggers, IncludeClient: &yes})
	wantStatus(t, hook, err, http.StatusCreated)
	assert.Equal(t, "v1.1", *hook.JSON201.Webhook.Version)
	assert.True(t, *hook.JSON201.Webhook.IncludeClient)

	list, err := acct.ListWebhooksWithResponse(ctx, v11, app.ID)
	wantStatus(t, list, err, http.StatusOK)
	require.Len(t, list.JSON200.Webhooks, 2)
	assert.Equal(t, "v1", *list.JSON200.Webhooks[0].Version, "the first was created through v1")
	assert.Equal(t, "v1.1", *list.JSON200.Webhooks[1].Version)

	noTriggers, err := acct.CreateWebhookWithResponse(ctx, v11, app.ID, gen.WebhookCreate{Target: target})
	wantStatus(t, noTriggers, err, http.StatusBadRequest)
}

func TestAppUpdateWithoutAName(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "kept")
	yes, days := true, 86400
	for _, version := range []gen.APIVersion{v1, v11} {
		r, err := acct.UpdateAppWithResponse(ctx, version, app.ID, gen.AppUpdate{Settings: &gen.AppSettings{EchoPostback: &yes, ConversationRetentionSeconds: &days}})
		wantStatus(t, r, err, http.StatusOK)
		assert.Equal(t, "kept", r.JSON200.App.Name)
		assert.True(t, *r.JSON200.App.Settings.EchoPostback)
	}
	empty, err := acct.UpdateAppWithResponse(ctx, v1, app.ID, gen.AppUpdate{})
	wantStatus(t, empty, err, http.StatusBadRequest)
}

func TestTheProfileItsPhotoAndTheSDKIDs(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "profile")
	var body gen.IntegrationCreate
	require.NoError(t, body.FromWhatsAppIntegrationCreate(gen.WhatsAppIntegrationCreate{BaseURL: ptr("https://wa.example.com"), Username: ptr("smooch"), Password: ptr("whatsapp-password-not-real")}))
	created, err := acct.CreateIntegrationWithResponse(ctx, v1, app.ID, body)
	wantStatus(t, created, err, http.StatusCreated)
	wa, err := created.JSON201.Integration.AsWhatsAppIntegration()
	require.NoError(t, err)

	about := "Open 9 to 5"
	set, err := acct.UpdateIntegrationProfileWithResponse(ctx, v11, app.ID, wa.ID, gen.IntegrationProfileUpdate{About: &about})
	wantStatus(t, set, err, http.StatusOK)
	got, err := acct.GetIntegrationProfileWithResponse(ctx, gen.GetIntegrationProfileParamsAPIVersionV11, app.ID, wa.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Equal(t, about, *got.JSON200.Profile.About)
	assert.Nil(t, got.JSON200.Profile.Email)

	upload := func(data []byte) *gen.UploadIntegrationProfilePhotoResponse {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		h := textproto.MIMEHeader{"Content-Disposition": {`form-data; name="source"; filename="photo"`}}
		part, err := w.CreatePart(h)
		require.NoError(t, err)
		_, _ = part.Write(data)
		require.NoError(t, w.Close())
		r, err := acct.UploadIntegrationProfilePhotoWithBodyWithResponse(ctx, v11Only, app.ID, wa.ID, w.FormDataContentType(), &b)
		require.NoError(t, err)
		return r
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	stored := upload(png)
	wantStatus(t, stored, nil, http.StatusOK)
	assert.True(t, strings.HasPrefix(stored.JSON200.PhotoURL, "https://media.smooch.io/apps/"+app.ID+"/"), stored.JSON200.PhotoURL)
	wantStatus(t, upload([]byte("GIF89a not a jpeg nor a png")), nil, http.StatusBadRequest)
	wantStatus(t, upload(nil), nil, http.StatusBadRequest)
	wantStatus(t, upload(append(png, make([]byte, 5<<20)...)), nil, http.StatusRequestEntityTooLarge)

	ids, err := acct.GetSdkIdsWithResponse(ctx, v11Only, app.ID)
	wantStatus(t, ids, err, http.StatusOK)
	again, err := acct.GetSdkIdsWithResponse(ctx, v11Only, app.ID)
	wantStatus(t, again, err, http.StatusOK)
	assert.Equal(t, *ids.JSON200, *again.JSON200, "the same ids every time")
	web, err := acct.GetIntegrationWithResponse(ctx, v1, app.ID, ids.JSON200.WebIntegrationID)
	wantStatus(t, web, err, http.StatusOK)
}

func TestADeploymentsLifeAsATestDrivesIt(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	created, err := acct.CreateDeploymentWithResponse(ctx, v11Only, gen.DeploymentCreate{Hosting: gen.DeploymentHostingSelf,
		BaseURL: ptr("https://wa.acme.example.com"), Username: ptr("smooch"), Password: ptr("whatsapp-password-not-real")})
	wantStatus(t, created, err, http.StatusCreated)
	d := created.JSON201.Deployment
	assert.Equal(t, gen.DeploymentStatusStarting, d.Status)
	assert.Nil(t, d.PhoneNumber)
	assert.NotContains(t, string(created.Body), "whatsapp-password-not-real")

	got, err := acct.GetDeploymentWithResponse(ctx, v11Only, d.ID)
	wantStatus(t, got, err, http.StatusOK)
	assert.Equal(t, gen.DeploymentStatusUnregistered, got.JSON200.Deployment.Status, "running from its first read")

	activation := gen.DeploymentActivatePhoneNumber{PhoneNumber: "+15145550100", VerifiedNameCertificate: "certificate-not-real", Method: gen.DeploymentActivationMethodSMS}
	pending, err := acct.ActivatePhoneNumberWithResponse(ctx, v11Only, d.ID, activation)
	wantStatus(t, pending, err, http.StatusOK)
	assert.Equal(t, gen.DeploymentStatusPending, pending.JSON200.Deployment.Status)
	twice, err := acct.ActivatePhoneNumberWithResponse(ctx, v11Only, d.ID, activation)
	wantStatus(t, twice, err, http.StatusConflict)

	wrong, err := acct.ConfirmCodeWithResponse(ctx, v11Only, d.ID, gen.DeploymentConfirmCode{Code: "000000x"})
	wantStatus(t, wrong, err, http.StatusBadRequest)
	code := srv.DeploymentCode(d.ID)
	require.Len(t, code, 6)
	registered, err := acct.ConfirmCodeWithResponse(ctx, v11Only, d.ID, gen.DeploymentConfirmCode{Code: code})
	wantStatus(t, registered, err, http.StatusOK)
	assert.Equal(t, gen.DeploymentStatusRegistered, registered.JSON200.Deployment.Status)
	assert.Equal(t, "+15145550100", *registered.JSON200.Deployment.PhoneNumber)

	// An integration on it makes it integrated, and it cannot be deleted while it is.
	app := createApp(t, acct, "whatsapp")
	var body gen.IntegrationCreate
	require.NoError(t, body.FromWhatsAppIntegrationCreate(gen.WhatsAppIntegrationCreate{DeploymentID: &d.ID}))
	integ, err := acct.CreateIntegrationWithResponse(ctx, v11, app.ID, body)
	wantStatus(t, integ, err, http.StatusCreated)
	wa, err := integ.JSON201.Integration.AsWhatsAppIntegration()
	require.NoError(t, err)
	assert.Equal(t, d.ID, *wa.DeploymentID)
	used, err := acct.GetDeploymentWithResponse(ctx, v11Only, d.ID)
	wantStatus(t, used, err, http.StatusOK)
	assert.Equal(t, gen.DeploymentStatusIntegrated, used.JSON200.Deployment.Status)
	assert.Equal(t, wa.ID, *used.JSON200.Deployment.IntegrationID)
	refused, err := acct.DeleteDeploymentWithResponse(ctx, v11Only, d.ID)
	wantStatus(t, refused, err, http.StatusConflict)

	del, err := acct.DeleteIntegrationWithResponse(ctx, v1, app.ID, wa.ID)
	wantStatus(t, del, err, http.StatusOK)
	deleting, err := acct.DeleteDeploymentWithResponse(ctx, v11Only, d.ID)
	wantStatus(t, deleting, err, http.StatusAccepted)
	assert.Equal(t, gen.DeploymentStatusDeleting, deleting.JSON202.Deployment.Status)
	gone, err := acct.GetDeploymentWithResponse(ctx, v11Only, d.ID)
	wantStatus(t, gone, err, http.StatusNotFound)

	// A failed one (as a test makes it) is deleted at once; the list shows what is left.
	failed, err := acct.CreateDeploymentWithResponse(ctx, v11Only, gen.DeploymentCreate{Hosting: gen.DeploymentHostingSmooch})
	wantStatus(t, failed, err, http.StatusCreated)
	require.NoError(t, srv.SetDeploymentStatus(failed.JSON201.Deployment.ID, smooch.DeploymentStatusError, ""))
	list, err := acct.ListDeploymentsWithResponse(ctx, v11Only)
	wantStatus(t, list, err, http.StatusOK)
	require.Len(t, list.JSON200.Deployments, 1)
	assert.Equal(t, gen.DeploymentStatusError, list.JSON200.Deployments[0].Status)
	now, err := acct.DeleteDeploymentWithResponse(ctx, v11Only, failed.JSON201.Deployment.ID)
	wantStatus(t, now, err, http.StatusOK)

	assert.Error(t, srv.SetDeploymentStatus("5f2a3b4c5d6e7f8091a2b3c4", smooch.DeploymentStatusRegistered, ""))
	assert.Error(t, srv.SetDeploymentStatus(d.ID, "flying", ""))

	// Hosting decides which fields a deployment takes.
	for _, bad := range []gen.DeploymentCreate{{Hosting: gen.DeploymentHostingSelf}, {Hosting: gen.DeploymentHostingSmooch, Username: ptr("smooch")}} {
		r, err := acct.CreateDeploymentWithResponse(ctx, v11Only, bad)
		wantStatus(t, r, err, http.StatusBadRequest)
	}
}

func TestTheNewChannels(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "channels")
	var ig gen.IntegrationCreate
	require.NoError(t, ig.FromInstagramIntegrationCreate(gen.InstagramIntegrationCreate{PageAccessToken: "ig-page-token-not-real", AppID: "1674554616147204", AppSecret: "ig-app-secret-not-real", DisplayName: ptr("Acme")}))
	r, err := acct.CreateIntegrationWithResponse(ctx, v11, app.ID, ig)
	wantStatus(t, r, err, http.StatusCreated)
	got, err := r.JSON201.Integration.AsInstagramIntegration()
	require.NoError(t, err)
	assert.Equal(t, "Acme", *got.DisplayName)
	assert.NotEmpty(t, *got.BusinessUsername)
	var apple gen.IntegrationCreate
	require.NoError(t, apple.FromAppleBusinessChatIntegrationCreate(gen.AppleBusinessChatIntegrationCreate{BusinessID: "acme", MSPID: "msp", APISecret: "apple-api-secret-not-real"}))
	r, err = acct.CreateIntegrationWithResponse(ctx, v11, app.ID, apple)
	wantStatus(t, r, err, http.StatusCreated)
	assert.NotContains(t, string(r.Body), "apple-api-secret-not-real")
	var line gen.IntegrationCreate
	require.NoError(t, line.FromLINEIntegrationCreate(gen.LINEIntegrationCreate{ChannelAccessToken: "line-token-not-real", ChannelSecret: "line-secret-not-real",
		SwitcherSecret: ptr("line-switcher-secret-not-real"), ServiceCode: ptr("1234567")}))
	r, err = acct.CreateIntegrationWithResponse(ctx, v11, app.ID, line)
	wantStatus(t, r, err, http.StatusCreated)
	assert.NotContains(t, string(r.Body), "line-switcher-secret-not-real")
	l, err := r.JSON201.Integration.AsLINEIntegration()
	require.NoError(t, err)
	qr := "https://qr-official.line.me/L/acme.png"
	upd, err := acct.UpdateIntegrationWithResponse(ctx, v11, app.ID, l.ID, gen.IntegrationUpdate{QRCodeURL: &qr, DisplayName: ptr("LINE")})
	wantStatus(t, upd, err, http.StatusOK)
	after, err := upd.JSON200.Integration.AsLINEIntegration()
	require.NoError(t, err)
	assert.Equal(t, qr, *after.QRCodeURL)
	assert.True(t, strings.HasPrefix(*after.LineID, "@"))
	assert.Equal(t, "1234567", *after.ServiceCode)
}

// rawRequestWithAuth is rawRequest with a whole Authorization header.
func rawRequestWithAuth(t *testing.T, srv *smoochtest.Server, method, target, authorization string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", authorization)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
