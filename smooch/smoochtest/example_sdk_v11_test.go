package smoochtest_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// v1.1 with basic authentication: a WhatsApp deployment taken through its life, then a WhatsApp integration on
// it, its business profile read back and its photo uploaded. The README quotes it.
func Example_v11() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()
	key := srv.AccountKey()
	keyID, secret, baseURL := key.ID, key.Secret, srv.URL
	ctx := context.Background()
	logo := bytes.NewReader([]byte("\x89PNG\r\n\x1a\n a logo"))
	certificate := "verified-name-certificate-not-real" // WhatsApp's, for the number

	client, err := smooch.New(smooch.BasicAuth(keyID, secret), smooch.WithBaseURL(baseURL),
		smooch.WithAPIVersion(smooch.APIVersion1_1))
	if err != nil {
		log.Fatal(err)
	}
	d, err := client.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSmooch})
	if err != nil {
		log.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	d, err = client.Deployments.WaitForStatus(wait, d.ID, []smooch.DeploymentStatus{smooch.DeploymentStatusUnregistered})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Deployments.ActivatePhoneNumber(ctx, d.ID, smooch.PhoneNumberActivation{
		PhoneNumber:             "+15145550100",
		VerifiedNameCertificate: certificate,
		Method:                  smooch.DeploymentActivationMethodSMS,
	})
	if err != nil {
		log.Fatal(err)
	}
	code := srv.DeploymentCode(d.ID) // with the real API: the code the number received
	d, err = client.Deployments.ConfirmCode(ctx, d.ID, smooch.ActivationCode{Code: code})
	if err != nil {
		log.Fatal(err)
	}
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}
	integration, err := client.Integrations.Create(ctx, app.ID, smooch.WhatsApp{DeploymentID: d.ID})
	if err != nil {
		log.Fatal(err)
	}
	photoURL, err := client.Integrations.UploadProfilePhoto(ctx, app.ID, integration.ID, logo) // JPEG or PNG, at most 5 MiB
	if err != nil {
		log.Fatal(err)
	}
	err = client.Integrations.UpdateProfile(ctx, app.ID, integration.ID, smooch.IntegrationProfileUpdate{PhotoURL: photoURL})
	if err != nil {
		log.Fatal(err)
	}
	profile, err := client.Integrations.GetProfile(ctx, app.ID, integration.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Status, d.PhoneNumber, profile.PhotoURL == photoURL)
	fmt.Println(d) // the callbacks' secret prints as REDACTED
	// Output:
	// registered +15145550100 true
	// {ID:80399258eddb55ec4c896950 AppID: BaseURL: CallbackSecret:REDACTED CallbackURL: Hosting:smooch IntegrationID: PhoneNumber:+15145550100 Status:registered Username:}
}

// Under v1 the operations v1.1 added are refused before anything is sent, and a client's other calls go to /v1
// as they always did.
func Example_v11OnlyOperations() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Deployments.List(context.Background())
	fmt.Println(client.APIVersion(), err)
	deployments, err := client.Deployments.List(context.Background(), smooch.WithAPIVersion(smooch.APIVersion1_1))
	fmt.Println(len(deployments), err)
	// Output:
	// v1 smooch: Deployments.List: API version is v1, which does not serve it: only v1.1 does (pass smooch.WithAPIVersion(smooch.APIVersion1_1) to New or to the call)
	// 0 <nil>
}
