package conformance_test

import (
	"bytes"
	"context"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// Scenarios of v1.1, recorded on /v1.1 paths: the operations it added (each with a 2xx and an error), basic
// authentication, the paged integration list, and the new fields.

// testPhoneNumber is the number the deployments scenario activates: reserved for fiction (+1 555 01xx), and
// the fake sends it its last six digits as the code.
const testPhoneNumber = "+15555550100"

// deployments takes a WhatsApp deployment through its life and provokes each operation's error: a second
// activation (409), a wrong code (400), deleting it while an integration uses it (409), reading it once gone
// (404), and listing or creating with a wrong secret (401).
func deployments(h *harness) {
	t, ctx, c := h.t, h.ctx, h.v11(false)
	wrong := h.client(smooch.AccountKey(h.keyID, "wrong-secret-not-real"))
	v11 := smooch.WithAPIVersion(smooch.APIVersion1_1)
	_, err := wrong.Deployments.List(ctx, v11)
	h.wantStatus(err, 401, "list deployments with a wrong secret")
	_, err = wrong.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSmooch}, v11)
	h.wantStatus(err, 401, "create a deployment with a wrong secret")

	d, err := c.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSmooch,
		CallbackURL: "https://example.com/smooch-conformance/deployments"})
	require.NoError(t, err)
	h.createdDeployment(d.ID)
	assert.Equal(t, smooch.DeploymentStatusStarting, d.Status)
	assert.NotEmpty(t, d.CallbackSecret, "the callbacks' secret comes with the create")

	wait, cancel := context.WithTimeout(ctx, 10*time.Minute) // a live client takes minutes to start
	defer cancel()
	running, err := c.Deployments.WaitForStatus(wait, d.ID, []smooch.DeploymentStatus{smooch.DeploymentStatusUnregistered})
	require.NoError(t, err)
	assert.Equal(t, d.ID, running.ID)
	all, err := c.Deployments.List(ctx)
	require.NoError(t, err)
	assert.Contains(t, deploymentIDs(all), d.ID)

	activation := smooch.PhoneNumberActivation{PhoneNumber: testPhoneNumber, VerifiedNameCertificate: "test-certificate-not-real",
		Method: smooch.DeploymentActivationMethodSMS}
	pending, err := c.Deployments.ActivatePhoneNumber(ctx, d.ID, activation)
	if h.liveRefused(err, "a fake verified-name certificate") {
		h.excuse("activatePhoneNumber", "the live API refuses a fake verified-name certificate")
		h.excuse("confirmCode", "no number can be activated with a fake certificate")
		h.excuse("deleteDeployment", "deleting a deployment that runs is asynchronous live")
		return
	}
	require.NoError(t, err)
	assert.Equal(t, smooch.DeploymentStatusPending, pending.Status)
	_, err = c.Deployments.ActivatePhoneNumber(ctx, d.ID, activation)
	h.wantClientError(err, 409, "activate a number on a pending deployment")

	_, err = c.Deployments.ConfirmCode(ctx, d.ID, smooch.ActivationCode{Code: "not-the-code"})
	h.wantClientError(err, 400, "confirm a wrong code")
	registered, err := c.Deployments.ConfirmCode(ctx, d.ID, smooch.ActivationCode{Code: testPhoneNumber[len(testPhoneNumber)-6:]})
	require.NoError(t, err)
	assert.Equal(t, smooch.DeploymentStatusRegistered, registered.Status)
	assert.Equal(t, testPhoneNumber, registered.PhoneNumber)

	// A WhatsApp integration on it makes it integrated, and it cannot be deleted while it is.
	app := h.newApp(c, "deployments")
	integration, err := c.Integrations.Create(ctx, app.ID, smooch.WhatsApp{DeploymentID: d.ID, HSMFallbackLanguage: "en_US"})
	require.NoError(t, err)
	wa, ok := integration.Channel().(*smooch.WhatsAppIntegration)
	require.True(t, ok, "%T", integration.Channel())
	assert.Equal(t, d.ID, wa.DeploymentID)
	used, err := c.Deployments.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, smooch.DeploymentStatusIntegrated, used.Status)
	assert.Equal(t, integration.ID, used.IntegrationID)
	err = c.Deployments.Delete(ctx, d.ID)
	h.wantClientError(err, 409, "delete a deployment an integration uses")

	require.NoError(t, c.Integrations.Delete(ctx, app.ID, integration.ID))
	require.NoError(t, c.Deployments.Delete(ctx, d.ID))
	_, err = c.Deployments.Get(ctx, d.ID)
	h.wantStatus(err, 404, "get a deleted deployment")
	_, err = c.Deployments.WaitForStatus(ctx, d.ID, []smooch.DeploymentStatus{smooch.DeploymentStatusRegistered})
	h.wantStatus(err, 404, "wait for a deleted deployment")

	// Under v1 the deployments do not exist: refused before anything is sent.
	_, err = h.account().Deployments.List(ctx)
	var invalid *smooch.ValidationError
	assert.ErrorAs(t, err, &invalid)
	require.NoError(t, c.Apps.Delete(ctx, app.ID))
}

func deploymentIDs(ds []smooch.Deployment) []string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

// testPhoto is the smallest PNG: a 1×1 transparent pixel.
var testPhoto = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41,
	0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
	0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

// v11Integrations uses basic authentication throughout: the paged integration list, the SDK ids, a WhatsApp
// integration's profile and photo (and both refused for another type), the new channels and fields, an app
// updated without its name, a webhook with v1.1's flags.
func v11Integrations(h *harness) {
	t, ctx, c := h.t, h.ctx, h.v11(true)
	app := h.newApp(c, "v1-1")

	updated, err := c.Apps.Update(ctx, app.ID, smooch.AppUpdate{Settings: smooch.AppSettings{EchoPostback: smooch.Ptr(true),
		ConversationRetentionSeconds: smooch.Ptr(86400), IgnoreAutoConversationStart: smooch.Ptr(false)}})
	require.NoError(t, err)
	assert.Equal(t, app.Name, updated.Name, "an update without a name keeps it")
	assert.True(t, updated.Settings.GetEchoPostback())

	email, err := c.Integrations.Create(ctx, app.ID, smooch.Email{DisplayName: "Conformance email"})
	require.NoError(t, err)
	whatsapp, err := c.Integrations.Create(ctx, app.ID, smooch.WhatsApp{BaseURL: "https://whatsapp.example.com:8443",
		Username: "smooch-conformance", Password: "test-whatsapp-password-not-real"})
	if h.liveRefused(err, "a WhatsApp client at a fake address") {
		h.excuse("getIntegrationProfile", "the live API refuses a fake WhatsApp client")
		h.excuse("uploadIntegrationProfilePhoto", "the live API refuses a fake WhatsApp client")
		whatsapp = nil
	} else {
		require.NoError(t, err)
	}
	for _, ch := range []smooch.Channel{
		smooch.Instagram{PageAccessToken: "test-page-access-token-not-real", AppID: "100000000000002", AppSecret: "test-app-secret-not-real"},
		smooch.AppleBusinessChat{BusinessID: "smooch-conformance", MSPID: "smooch-conformance-msp", APISecret: "test-apple-api-secret-not-real"},
		smooch.LINE{ChannelAccessToken: "test-line-access-token-not-real", ChannelSecret: "test-line-secret-not-real",
			ServiceCode: "1234567", SwitcherSecret: "test-line-switcher-secret-not-real", QRCodeURL: "https://qr-official.line.me/L/conformance.png"},
		smooch.MessageBird{AccessKey: "test-messagebird-key-not-real", Originator: "+15550000002", SigningKey: "test-messagebird-signing-key-not-real"},
	} {
		integration, err := c.Integrations.Create(ctx, app.ID, ch)
		if h.liveRefused(err, "fake "+string(ch.Type())+" credentials") {
			continue
		}
		require.NoError(t, err, "create a %s integration", ch.Type())
		assert.Equal(t, ch.Type(), integration.Type)
	}

	// The list, two at a time: All follows hasMore.
	var seen []string
	for integration, err := range c.Integrations.All(ctx, app.ID, &smooch.IntegrationListOptions{ListOptions: smooch.ListOptions{Limit: 2}}) {
		require.NoError(t, err)
		seen = append(seen, integration.ID)
	}
	assert.Contains(t, seen, email.ID)
	assert.GreaterOrEqual(t, len(seen), 2)

	ids, err := c.Integrations.SDKIntegrationIDs(ctx, app.ID)
	require.NoError(t, err)
	assert.NotEmpty(t, ids.WebIntegrationID)
	_, err = c.Integrations.SDKIntegrationIDs(ctx, "000000000000000000000000")
	h.wantClientError(err, 404, "get the SDK ids of an app that does not exist")

	_, err = c.Integrations.GetProfile(ctx, app.ID, email.ID)
	h.wantClientError(err, 400, "get the profile of an email integration")
	_, err = c.Integrations.UploadProfilePhoto(ctx, app.ID, email.ID, bytes.NewReader(testPhoto))
	h.wantClientError(err, 400, "upload a profile photo for an email integration")
	if whatsapp != nil {
		require.NoError(t, c.Integrations.UpdateProfile(ctx, app.ID, whatsapp.ID, smooch.IntegrationProfileUpdate{About: "Conformance"}))
		profile, err := c.Integrations.GetProfile(ctx, app.ID, whatsapp.ID)
		require.NoError(t, err)
		assert.Equal(t, "Conformance", profile.About)
		url, err := c.Integrations.UploadProfilePhoto(ctx, app.ID, whatsapp.ID, bytes.NewReader(testPhoto))
		require.NoError(t, err)
		assert.NotEmpty(t, url)
	}

	hook, err := c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: h.s.target,
		Triggers:      []smooch.WebhookTrigger{smooch.WebhookTriggerMessageAppUser, smooch.WebhookTriggerMessageDeliveryFailure},
		IncludeClient: true, IncludeFullAppUser: true})
	require.NoError(t, err)
	assert.Equal(t, smooch.APIVersion1_1, hook.Version, "a webhook created through v1.1 gets v1.1 payloads")
	assert.True(t, hook.IncludeClient)
	changed, err := c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{IncludeClient: smooch.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, changed.IncludeClient)

	require.NoError(t, c.Apps.Delete(ctx, app.ID))
}
