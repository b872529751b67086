package clienttest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The client's v1.1: the version chosen per client (and per call), basic authentication, the paged integration
// list, the profile photo, the deployments and the wait for their status.

func TestTheAPIVersionIsTheClientsChoice(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"apps":[],"hasMore":false,"offset":0}`))
	v1 := newClient(t, f, accountCreds())
	assert.Equal(t, smooch.APIVersion1, v1.APIVersion(), "v1 unless told otherwise")
	_, err := v1.Apps.List(context.Background(), nil)
	require.NoError(t, err)
	v11 := newClient(t, f, accountCreds(), smooch.WithAPIVersion(smooch.APIVersion1_1))
	assert.Equal(t, smooch.APIVersion1_1, v11.APIVersion())
	_, err = v11.Apps.List(context.Background(), nil)
	require.NoError(t, err)
	_, err = v1.Apps.List(context.Background(), nil, smooch.WithAPIVersion(smooch.APIVersion1_1))
	require.NoError(t, err)
	var paths []string
	for _, r := range f.requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{"/v1/apps", "/v1.1/apps", "/v1.1/apps"}, paths, "per client, and per call")

	_, err = smooch.New(accountCreds(), smooch.WithAPIVersion("v2"))
	assert.EqualError(t, err, `smooch: WithAPIVersion: version is "v2": want "v1" or "v1.1"`)
	_, err = smooch.New(accountCreds(), smooch.WithBaseURL("https://api.smooch.io/v1.1"))
	var ve *smooch.ValidationError
	assert.ErrorAs(t, err, &ve)
}

// An operation v1 does not serve is refused before anything is sent, naming the versions that serve it.
func TestAnOperationTheVersionDoesNotServeIsRefusedBeforeSending(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"Deployments.Create": func() error {
			_, err := c.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSmooch})
			return err
		},
		"Deployments.List":               func() error { _, err := c.Deployments.List(ctx); return err },
		"Deployments.Get":                func() error { _, err := c.Deployments.Get(ctx, "d1"); return err },
		"Deployments.Delete":             func() error { return c.Deployments.Delete(ctx, "d1") },
		"Integrations.GetProfile":        func() error { _, err := c.Integrations.GetProfile(ctx, "a", "i"); return err },
		"Integrations.SDKIntegrationIDs": func() error { _, err := c.Integrations.SDKIntegrationIDs(ctx, "a"); return err },
		"Integrations.UploadProfilePhoto": func() error {
			_, err := c.Integrations.UploadProfilePhoto(ctx, "a", "i", bytes.NewReader(pngPhoto))
			return err
		},
		"Deployments.ActivatePhoneNumber": func() error {
			_, err := c.Deployments.ActivatePhoneNumber(ctx, "d1", smooch.PhoneNumberActivation{PhoneNumber: "+15145550100",
				VerifiedNameCertificate: "c", Method: smooch.DeploymentActivationMethodSMS})
			return err
		},
		"Deployments.ConfirmCode": func() error {
			_, err := c.Deployments.ConfirmCode(ctx, "d1", smooch.ActivationCode{Code: "1"})
			return err
		},
	} {
		err := call()
		var ve *smooch.ValidationError
		if assert.ErrorAs(t, err, &ve, name) {
			assert.Equal(t, name, ve.Subject)
			assert.Equal(t, `smooch: `+name+`: API version is v1, which does not serve it: only v1.1 does (pass smooch.WithAPIVersion(smooch.APIVersion1_1) to New or to the call)`, err.Error())
		}
	}
	assert.Zero(t, f.count(), "nothing was sent")
}

func TestBasicAuthenticationIsCheckedAtNewAndSentAsIs(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"apps":[],"hasMore":false,"offset":0}`))
	c := newClient(t, f, smooch.BasicAuth(accountKeyID, testSecret))
	assert.Equal(t, smooch.ScopeAccount, c.Scope())
	_, err := c.Apps.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(accountKeyID+":"+testSecret)), f.requests()[0].Header.Get("Authorization"))

	app := newClient(t, f, smooch.BasicAuth(appKeyID, testSecret))
	assert.Equal(t, smooch.ScopeApp, app.Scope(), "the scope follows the key's owner")
	_, err = app.Apps.List(context.Background(), nil)
	var scope *smooch.ScopeError
	assert.ErrorAs(t, err, &scope, "app scope cannot list apps: refused before sending")

	for name, creds := range map[string]smooch.Credentials{
		"a key id that is not one": smooch.BasicAuth("key_1", testSecret),
		"an empty secret":          smooch.BasicAuth(accountKeyID, ""),
		"swapped":                  smooch.BasicAuth(testSecret, accountKeyID),
		"a JWT as the secret":      smooch.BasicAuth(accountKeyID, "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.c2ln"),
		"another scope":            {KeyID: accountKeyID, Secret: testSecret, Basic: true, Scope: smooch.ScopeApp},
		"a user":                   {KeyID: appKeyID, Secret: testSecret, Basic: true, UserID: "u1"},
		"a token":                  {Token: "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.c2ln", Basic: true},
	} {
		_, err := smooch.New(creds)
		var ce *smooch.CredentialsError
		assert.ErrorAs(t, err, &ce, name)
		assert.NotContains(t, err.Error(), testSecret, name)
	}
	assert.Equal(t, 1, f.count())
}

// An error from a server echoing basic credentials carries neither the encoded header nor the secret.
func TestBasicCredentialsNeverLeaveThroughAnError(t *testing.T) {
	encoded := base64.StdEncoding.EncodeToString([]byte(accountKeyID + ":" + testSecret))
	f := newFakeAPI(t, answer(401, `{"error":{"code":"unauthorized","description":"you sent Basic `+encoded+` (`+testSecret+`)"}}`))
	c := newClient(t, f, smooch.BasicAuth(accountKeyID, testSecret))
	_, err := c.Apps.List(context.Background(), nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), encoded)
	assert.NotContains(t, err.Error(), testSecret)
}

func TestTheIntegrationListIsPagedUnderV11(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		pages := []string{
			`{"integrations":[{"_id":"i1","type":"telegram"},{"_id":"i2","type":"telegram"}],"hasMore":true,"offset":0}`,
			`{"integrations":[{"_id":"i3","type":"telegram"}],"hasMore":false,"offset":2}`,
		}
		answer(200, pages[n%2])(w, r, n)
	})
	c := newClient(t, f, accountCreds(), smooch.WithAPIVersion(smooch.APIVersion1_1))
	all, err := c.Integrations.List(context.Background(), "app1", &smooch.IntegrationListOptions{ListOptions: smooch.ListOptions{Limit: 2},
		Types: []smooch.IntegrationType{smooch.IntegrationTypeTelegram}})
	require.NoError(t, err)
	require.Len(t, all, 3, "List follows every page, as it returned everything under v1")
	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "limit=2&types=telegram", reqs[0].RawQuery)
	assert.Equal(t, "limit=2&offset=2&types=telegram", reqs[1].RawQuery)

	var ids []string
	for i, err := range c.Integrations.All(context.Background(), "app1", nil) {
		require.NoError(t, err)
		ids = append(ids, i.ID)
		break // All fetches lazily: one page, then stop
	}
	assert.Equal(t, []string{"i1"}, ids)
	assert.Len(t, f.requests(), 3)

	// v1 lists everything at once, and takes no paging.
	v1 := newClient(t, newFakeAPI(t, answer(200, `{"integrations":[{"_id":"i1","type":"telegram"}]}`)), accountCreds())
	one, err := v1.Integrations.List(context.Background(), "app1", nil)
	require.NoError(t, err)
	assert.Len(t, one, 1)
	_, err = v1.Integrations.List(context.Background(), "app1", &smooch.IntegrationListOptions{ListOptions: smooch.ListOptions{Offset: 5}})
	var ve *smooch.ValidationError
	assert.ErrorAs(t, err, &ve)
}

// pngPhoto is a PNG signature and nothing more: what http.DetectContentType needs.
var pngPhoto = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

// TestTheProfilePhotoIsSentAsMultipart: the upload is one multipart file field, source, with the image's
// content type; the same photo is always the same body (cassettes match requests by body); a file the API
// cannot take is refused before sending.
func TestTheProfilePhotoIsSentAsMultipart(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"photoUrl":"https://media.smooch.io/p.png"}`))
	c := newClient(t, f, accountCreds(), smooch.WithAPIVersion(smooch.APIVersion1_1))
	url, err := c.Integrations.UploadProfilePhoto(context.Background(), "app1", "i1", bytes.NewReader(pngPhoto))
	require.NoError(t, err)
	assert.Equal(t, "https://media.smooch.io/p.png", url)
	r := f.requests()[0]
	assert.Equal(t, "PUT", r.Method)
	assert.Equal(t, "/v1.1/apps/app1/integrations/i1/profile/photo", r.Path)
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mediaType)
	part, err := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"]).NextPart()
	require.NoError(t, err)
	assert.Equal(t, "source", part.FormName())
	assert.Equal(t, "photo.png", part.FileName())
	assert.Equal(t, "image/png", part.Header.Get("Content-Type"))
	data, err := io.ReadAll(part)
	require.NoError(t, err)
	assert.Equal(t, pngPhoto, data)

	_, err = c.Integrations.UploadProfilePhoto(context.Background(), "app1", "i1", bytes.NewReader(pngPhoto))
	require.NoError(t, err)
	assert.Equal(t, r.Body, f.requests()[1].Body, "the same photo, the same body")

	for name, photo := range map[string]io.Reader{
		"empty":     bytes.NewReader(nil),
		"a GIF":     strings.NewReader("GIF89a\x01\x00\x01\x00"),
		"text":      strings.NewReader("not an image at all"),
		"too large": io.MultiReader(bytes.NewReader(pngPhoto), bytes.NewReader(make([]byte, smooch.MaxProfilePhoto))),
		"nil":       nil,
	} {
		_, err := c.Integrations.UploadProfilePhoto(context.Background(), "app1", "i1", photo)
		var ve *smooch.ValidationError
		if assert.ErrorAs(t, err, &ve, name) {
			assert.Equal(t, "photo", ve.Field, name)
		}
	}
	assert.Len(t, f.requests(), 2, "nothing else was sent")
}

func TestAppsUpdateWithoutAName(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a1","name":"Kept"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Update(context.Background(), "a1", smooch.AppUpdate{Settings: smooch.AppSettings{EchoPostback: smooch.Ptr(true)}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"settings":{"echoPostback":true}}`, string(f.requests()[0].Body), "under v1 too, as the API has it since 2018")
	_, err = c.Apps.Update(context.Background(), "a1", smooch.AppUpdate{})
	var ve *smooch.ValidationError
	assert.ErrorAs(t, err, &ve)
	assert.Equal(t, 1, f.count())
}

func TestWhatsAppRunsOnADeploymentOrOnItsOwnClient(t *testing.T) {
	assert.NoError(t, smooch.WhatsApp{DeploymentID: "d1"}.Validate())
	assert.NoError(t, smooch.WhatsApp{BaseURL: "https://wa.example.com", Username: "u", Password: "p"}.Validate())
	assert.ErrorContains(t, smooch.WhatsApp{}.Validate(), "deploymentId is required")
	assert.ErrorContains(t, smooch.WhatsApp{DeploymentID: "d1", Username: "u"}.Validate(), "username is for an integration on the business's own client")
}

func TestDeploymentArgumentsAreChecked(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{}`))
	c := newClient(t, f, accountCreds(), smooch.WithAPIVersion(smooch.APIVersion1_1))
	ctx := context.Background()
	for want, d := range map[string]smooch.DeploymentCreate{
		"hosting is required":                   {},
		`hosting must be "self" or "smooch"`:    {Hosting: "cloud"},
		"baseUrl is required for hosting self":  {Hosting: smooch.DeploymentHostingSelf},
		"password is for hosting self only":     {Hosting: smooch.DeploymentHostingSmooch, Password: "whatsapp-password-not-real"},
		"callbackUrl must be an absolute http":  {Hosting: smooch.DeploymentHostingSmooch, CallbackURL: "example.com/cb"},
		"baseUrl must be an absolute http or h": {Hosting: smooch.DeploymentHostingSelf, BaseURL: "wa.example.com", Username: "u", Password: "p"},
	} {
		_, err := c.Deployments.Create(ctx, d)
		assert.ErrorContains(t, err, want)
	}
	_, err := c.Deployments.ActivatePhoneNumber(ctx, "d1", smooch.PhoneNumberActivation{PhoneNumber: "5145550100", VerifiedNameCertificate: "c", Method: smooch.DeploymentActivationMethodSMS})
	assert.ErrorContains(t, err, "phoneNumber must be in E.164 form")
	_, err = c.Deployments.ActivatePhoneNumber(ctx, "d1", smooch.PhoneNumberActivation{PhoneNumber: "+15145550100", VerifiedNameCertificate: "c", Method: "pigeon"})
	assert.ErrorContains(t, err, "method must be")
	_, err = c.Deployments.ConfirmCode(ctx, "d1", smooch.ActivationCode{})
	assert.ErrorContains(t, err, "code is required")
	_, err = c.Deployments.Get(ctx, "..")
	assert.ErrorContains(t, err, "deploymentId")
	assert.Zero(t, f.count())
}

// WaitForStatus polls at its interval until the status is wanted, and stops early on a failed deployment, on a
// failed read, and when the context ends: in a synctest bubble, with an in-memory transport, no real time.
func TestWaitForStatusPollsUntilTheStatusOrTheContextEnds(t *testing.T) {
	statuses := func(seq ...string) (http.RoundTripper, *atomic.Int32) {
		var reads atomic.Int32
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := int(reads.Add(1)) - 1
			status := seq[min(n, len(seq)-1)]
			if status == "404" {
				return jsonResponse(r, 404, `{"error":{"code":"not_found","description":"Deployment not found"}}`), nil
			}
			return jsonResponse(r, 200, `{"deployment":{"_id":"d1","hosting":"smooch","status":"`+status+`"}}`), nil
		}), &reads
	}
	client := func(t *testing.T, rt http.RoundTripper) *smooch.Client {
		c, err := smooch.New(accountCreds(), smooch.WithHTTPClient(&http.Client{Transport: rt}), smooch.WithAPIVersion(smooch.APIVersion1_1),
			smooch.WithPollInterval(5*time.Second))
		require.NoError(t, err)
		return c
	}
	want := []smooch.DeploymentStatus{smooch.DeploymentStatusUnregistered}
	synctest.Test(t, func(t *testing.T) {
		rt, reads := statuses("starting", "starting", "unregistered")
		start := time.Now()
		d, err := client(t, rt).Deployments.WaitForStatus(context.Background(), "d1", want)
		require.NoError(t, err)
		assert.Equal(t, smooch.DeploymentStatusUnregistered, d.Status)
		assert.Equal(t, int32(3), reads.Load())
		assert.Equal(t, 10*time.Second, time.Since(start), "two waits of the poll interval")
	})
	synctest.Test(t, func(t *testing.T) {
		rt, _ := statuses("starting", "error")
		d, err := client(t, rt).Deployments.WaitForStatus(context.Background(), "d1", want)
		assert.ErrorIs(t, err, smooch.ErrDeploymentFailed)
		assert.Equal(t, smooch.DeploymentStatusError, d.Status)
	})
	synctest.Test(t, func(t *testing.T) {
		rt, _ := statuses("deleting", "404")
		_, err := client(t, rt).Deployments.WaitForStatus(context.Background(), "d1", want)
		assert.True(t, smooch.IsNotFound(err), "%v", err)
	})
	synctest.Test(t, func(t *testing.T) {
		rt, reads := statuses("starting")
		ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
		defer cancel()
		d, err := client(t, rt).Deployments.WaitForStatus(ctx, "d1", want)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "deployment d1 is starting, still not unregistered")
		assert.Equal(t, smooch.DeploymentStatusStarting, d.Status, "the last read")
		assert.Equal(t, int32(3), reads.Load(), "reads at 0, 5 and 10 seconds, then the deadline")
	})
	c := client(t, roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") }))
	_, err := c.Deployments.WaitForStatus(context.Background(), "d1", nil)
	assert.ErrorContains(t, err, "want is empty")
	_, err = c.Deployments.WaitForStatus(context.Background(), "d1", []smooch.DeploymentStatus{"flying"})
	assert.ErrorContains(t, err, `unknown status "flying"`)
	_, err = smooch.New(accountCreds(), smooch.WithPollInterval(0))
	assert.ErrorContains(t, err, "WithPollInterval")
}

// Against the fake, a deployment's whole life as the README tells it: create, wait until it runs, activate a
// number, confirm the code, put an integration on it.
func TestADeploymentsLifeAgainstTheFake(t *testing.T) {
	srv := smoochtest.NewServer()
	t.Cleanup(srv.Close)
	key := srv.AccountKey()
	c, err := smooch.New(smooch.BasicAuth(key.ID, key.Secret), smooch.WithBaseURL(srv.URL), smooch.WithAPIVersion(smooch.APIVersion1_1))
	require.NoError(t, err)
	ctx := context.Background()
	d, err := c.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSmooch})
	require.NoError(t, err)
	d, err = c.Deployments.WaitForStatus(ctx, d.ID, []smooch.DeploymentStatus{smooch.DeploymentStatusUnregistered})
	require.NoError(t, err)
	_, err = c.Deployments.ActivatePhoneNumber(ctx, d.ID, smooch.PhoneNumberActivation{PhoneNumber: "+15145550100",
		VerifiedNameCertificate: "certificate-not-real", Method: smooch.DeploymentActivationMethodVoice})
	require.NoError(t, err)
	d, err = c.Deployments.ConfirmCode(ctx, d.ID, smooch.ActivationCode{Code: srv.DeploymentCode(d.ID)})
	require.NoError(t, err)
	assert.Equal(t, "+15145550100", d.PhoneNumber)
	app, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	require.NoError(t, err)
	integration, err := c.Integrations.Create(ctx, app.ID, smooch.WhatsApp{DeploymentID: d.ID})
	require.NoError(t, err)
	d, err = c.Deployments.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, smooch.DeploymentStatusIntegrated, d.Status)
	assert.Equal(t, integration.ID, d.IntegrationID)
	assert.Equal(t, app.ID, d.AppID)
}
