package smoochtest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// A test starts a fake Smooch and points the smooch client at it with the
// fake's account key, exactly as it would point it at the real API with a
// real key.
func Example() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "My App"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.Name, len(app.ID))

	_, err = client.Apps.Get(ctx, "000000000000000000000000")
	fmt.Println("not found:", smooch.IsNotFound(err))
	// Output:
	// My App 24
	// not found: true
}

// NewServer verifies webhook targets with a real HEAD request, as the API does: tests that create webhooks
// serve their targets (an httptest server) or turn the check off. FailNext makes the next calls of an
// operation fail. The README quotes it.
func ExampleNewServer() {
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	srv.FailNext("createApp", 1, smoochtest.Fault{Status: http.StatusServiceUnavailable})

	ctx := context.Background()
	_, err = client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	fmt.Println(smooch.IsServerError(err)) // a create is never retried on 503: the app may exist
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	if err != nil {
		log.Fatal(err)
	}
	hook, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: "https://acme.example.com/smooch"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hook.Triggers)
	// Output:
	// true
	// [message]
}

// FailNext makes the next calls to an operation fail, to test how code
// handles errors and retries. The smooch client never repeats a create on a
// 503 (the app may exist), so the error reaches the caller.
func ExampleServer_FailNext() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	srv.FailNext("createApp", 1, smoochtest.Fault{Status: http.StatusServiceUnavailable})

	ctx := context.Background()
	_, err = client.Apps.Create(ctx, smooch.AppCreate{Name: "My App"})
	var apiErr *smooch.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "My App"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.Name, srv.PendingFaults("createApp"))
	// Output:
	// 503 service_unavailable
	// My App 0
}

// WithSeed (or Deterministic) makes ids and secrets the same on every run, for
// golden files and recorded cassettes.
func ExampleWithSeed() {
	a := smoochtest.NewUnstartedServer(smoochtest.WithSeed(7))
	b := smoochtest.NewUnstartedServer(smoochtest.WithSeed(7))
	fmt.Println(a.AccountKey() == b.AccountKey())
	// Output: true
}
