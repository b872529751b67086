package smoochtest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// A product team registers its server as an app's webhook and receives what the app's users send: the fake
// calls the webhook as Smooch would, and smooch.WebhookReceiver verifies and decodes the call. The README
// quotes it.
func Example_receiveWebhooks() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	server := httptest.NewServer(mux) // the business's server, which the fake verifies and calls
	defer server.Close()

	hook, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{
		Target:   server.URL + "/smooch",
		Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessageAppUser},
	})
	if err != nil {
		log.Fatal(err)
	}
	receiver, err := smooch.NewWebhookReceiver([]string{hook.Secret}) // during a rotation: the old and the new
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("/smooch", receiver.Handler(func(ctx context.Context, event *smooch.WebhookEvent) error {
		switch p := event.Payload().(type) {
		case *smooch.MessagePayload:
			for _, m := range p.Messages {
				fmt.Printf("%s sent %s %q\n", event.AppUser.ID, m.Type, m.Text)
			}
		case *smooch.UnknownPayload:
			log.Printf("trigger %s is newer than this SDK", p.Trigger)
		}
		return nil // 200; smooch.ErrWebhookRejected: 406, not retried; any other error: 503, retried
	}))

	event, err := srv.SendAppUserMessage(app.ID, "c7f6e6d6c3a637261bd9656f", smooch.Message{Text: "Hi! Do you have time to chat?"})
	if err != nil {
		log.Fatal(err)
	}
	deliveries, err := event.Wait(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range deliveries {
		fmt.Println(len(d.Attempts), "call, answered", d.Attempts[0].Status)
	}
	// Output:
	// c7f6e6d6c3a637261bd9656f sent text "Hi! Do you have time to chat?"
	// 1 call, answered 200
}
