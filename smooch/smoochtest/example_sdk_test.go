package smoochtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The apps guide's flow: create an app for a customer, subscribe a webhook, give the app a key, get an
// app-scoped JWT for the customer's servers, and connect a messaging channel. The README quotes it.
func Example_appsGuide() {
	// An in-memory Smooch stands in for https://api.smooch.io; with a real account, leave WithBaseURL out.
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification(), smoochtest.Deterministic())
	defer srv.Close()
	keyID, secret, baseURL := srv.AccountKey().ID, srv.AccountKey().Secret, srv.URL
	ctx := context.Background()

	client, err := smooch.New(smooch.AccountKey(keyID, secret), smooch.WithBaseURL(baseURL))
	if err != nil {
		log.Fatal(err) // credential mistakes (a malformed key id, swapped id and secret, ...) are caught here
	}
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}
	hook, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{
		Target:   "https://acme.example.com/smooch",
		Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessageAppUser},
	})
	if err != nil {
		log.Fatal(err)
	}
	key, err := client.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "acme-backend"})
	if err != nil {
		log.Fatal(err)
	}
	jwt, err := client.AppKeys.JWT(ctx, app.ID, key.ID) // an app-scoped token for the customer's servers
	if err != nil {
		log.Fatal(err)
	}
	integration, err := client.Integrations.Create(ctx, app.ID, smooch.Telegram{Token: "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"})
	if err != nil {
		log.Fatal(err)
	}
	if tg, ok := integration.Channel().(*smooch.TelegramIntegration); ok {
		fmt.Println("bot:", tg.Username != "")
	}
	for app, err := range client.Apps.All(ctx, nil) { // every page, fetched as the loop goes
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("app:", app.Name)
	}
	fmt.Println(hook) // secrets print as REDACTED

	// The customer's servers use the app JWT: it reaches that app's webhooks, and nothing account-wide.
	appClient, err := smooch.New(smooch.BearerToken(jwt), smooch.WithBaseURL(baseURL))
	if err != nil {
		log.Fatal(err)
	}
	hooks, err := appClient.Webhooks.List(ctx, app.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("app-scoped client sees", len(hooks), "webhook")
	_, err = appClient.Apps.List(ctx, nil)
	fmt.Println(err)
	// Output:
	// bot: true
	// app: Acme Support
	// {ID:52b1c28a08fa47cb9ad7455e IncludeClient:false IncludeFullAppUser:false Secret:REDACTED Target:https://acme.example.com/smooch Triggers:[message:appUser] Version:}
	// app-scoped client sees 1 webhook
	// smooch: Apps.List needs account scope, but the client's credentials have app scope
}

func Example_appsAll() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"one", "two", "three"} {
		if _, err := client.Apps.Create(ctx, smooch.AppCreate{Name: name}); err != nil {
			log.Fatal(err)
		}
	}

	// Two apps per page: All fetches the second page when the loop gets there.
	for app, err := range client.Apps.All(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 2}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(app.Name)
	}
	// Output:
	// one
	// two
	// three
}

func Example_integrationChannel() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	if err != nil {
		log.Fatal(err)
	}
	channels := []smooch.Channel{
		smooch.Twilio{AccountSID: "ACa1b4c65ee0722712fab89867cb14eac7", AuthToken: "test-token-not-real", PhoneNumberSID: "PN0674df0ecee0c9819bca0ff0bc0a159e"},
		smooch.Mailgun{APIKey: "key-not-real", Domain: "mg.acme.example", IncomingAddress: "support@mg.acme.example"},
	}
	for _, ch := range channels {
		if _, err := client.Integrations.Create(ctx, app.ID, ch); err != nil {
			log.Fatal(err)
		}
	}

	integrations, err := client.Integrations.List(ctx, app.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, integration := range integrations {
		switch ch := integration.Channel().(type) {
		case *smooch.TwilioIntegration:
			fmt.Println("twilio account", ch.AccountSID)
		case *smooch.MailgunIntegration:
			fmt.Println("mailgun inbox", ch.IncomingAddress)
		case *smooch.UnknownIntegration:
			fmt.Println("a channel newer than this SDK:", ch.Type)
		}
	}
	// Output:
	// twilio account ACa1b4c65ee0722712fab89867cb14eac7
	// mailgun inbox support@mg.acme.example
}

func Example_isNotFound() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Apps.Get(context.Background(), "5f0000000000000000000000")
	if smooch.IsNotFound(err) {
		fmt.Println("no such app")
	}
	var apiErr *smooch.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// no such app
	// 404 not_found
}
