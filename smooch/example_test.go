package smooch_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/smoochkit/smooch-go/smooch"
)

func ExampleNew() {
	client, err := smooch.New(
		smooch.AccountKey("act_5963ceb97cde542d000dbdb1", "test-secret-not-real"),
		smooch.WithRegion("eu-1"),
		smooch.WithUserAgent("acme-provisioner/1.2"),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL(), client.Scope())
	fmt.Println(client) // never shows the token

	// Mistakes are caught before any request.
	_, err = smooch.New(smooch.AccountKey("app_5723a347f82ba0516cb4ea34", "test-secret-not-real"))
	fmt.Println(err)
	// Output:
	// https://api.eu-1.smooch.io account
	// {BaseURL:https://api.eu-1.smooch.io Scope:account}
	// smooch: credentials for key app_5723a347f82ba0516cb4ea34: an app key (app_…) cannot sign JWTs of scope account (it signs app or appUser)
}

func ExampleSignJWT() {
	// An appUser token for one user's device, signed with an app key.
	token, err := smooch.SignJWT("app_5723a347f82ba0516cb4ea34", "test-secret-not-real", smooch.ScopeAppUser, "steveb@channel5.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(strings.Split(token, ".")), "parts")
	// Output: 3 parts
}

func ExampleValidationError() {
	client, err := smooch.New(smooch.AccountKey("act_5963ceb97cde542d000dbdb1", "test-secret-not-real"))
	if err != nil {
		log.Fatal(err)
	}
	// The incoming address is not on the Mailgun domain: refused before any request.
	_, err = client.Integrations.Create(context.Background(), "55c8d9758590aa1900b9b9f6", smooch.Mailgun{
		APIKey:          "key-not-real",
		Domain:          "mg.acme.example",
		IncomingAddress: "support@acme.example",
	})
	var invalid *smooch.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Subject, invalid.Field)
		fmt.Println(err)
	}
	// Output:
	// mailgun incomingAddress
	// smooch: mailgun: incomingAddress must be an address on domain "mg.acme.example", got "support@acme.example"
}

func ExampleCredentials() {
	creds := smooch.AccountKey("act_5963ceb97cde542d000dbdb1", "test-secret-not-real")
	fmt.Printf("%v\n", creds)
	fmt.Printf("%#v\n", creds)
	// Output:
	// {KeyID:act_5963ceb97cde542d000dbdb1 Secret:REDACTED Scope:account UserID: Token: Basic:false}
	// smooch.Credentials{KeyID:"act_5963ceb97cde542d000dbdb1", Secret:"REDACTED", Scope:"account", UserID:"", Token:"", Basic:false}
}

// An APN integration takes the .p12 file as it is on disk; it is base64-encoded for the API.
func ExampleAPN() {
	// certificate, err := os.ReadFile("push.p12")
	certificate := []byte{0x30, 0x82, 0x0a, 0x01} // the start of a PKCS#12 file, for the example
	apn := smooch.APN{Certificate: certificate, Password: "p12-password-not-real"}
	fmt.Println(apn.Validate())
	fmt.Println(apn) // credentials never print

	// The common mistake: passing the base64 text instead of the file.
	fmt.Println(smooch.APN{Certificate: []byte("MIIKAQ==")}.Validate())
	// Output:
	// <nil>
	// {AutoUpdateBadge:false Certificate:REDACTED DisplayName: Password:REDACTED Production:<nil>}
	// smooch: apn: certificate must be the raw .p12 (PKCS#12) file's bytes; this looks like text (already base64 or PEM?)
}
