// Command provision walks the flow of Smooch's "Creating and Managing Apps"
// guide with the smooch client: create an app, register a webhook, create an
// app key, get an app JWT and use it, connect messaging channels, and clean up.
//
// By default it runs against an embedded smoochtest server, so it needs no
// account. With SMOOCH_KEY_ID and SMOOCH_SECRET set (an account key: act_… or
// svc_…) it runs against the live API (SMOOCH_API_URL, default
// https://api.smooch.io); there the webhook target must be a server of yours
// that answers HEAD (-webhook), and only the channels you pass credentials for
// are connected (-telegram-token), plus Smooch's own email channel.
//
//	go run ./examples/provision
//	SMOOCH_KEY_ID=act_… SMOOCH_SECRET=… go run ./examples/provision -webhook https://example.com/smooch
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

type config struct {
	keyID, secret, apiURL string // empty keyID: embedded smoochtest
	webhookTarget         string
	telegramToken         string
}

func main() {
	cfg := config{
		keyID:  os.Getenv("SMOOCH_KEY_ID"),
		secret: os.Getenv("SMOOCH_SECRET"),
		apiURL: os.Getenv("SMOOCH_API_URL"),
	}
	flag.StringVar(&cfg.webhookTarget, "webhook", "", "webhook target URL (live mode; must answer HEAD)")
	flag.StringVar(&cfg.telegramToken, "telegram-token", "", "a Telegram bot token to connect (live mode)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "provision:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) (err error) {
	var opts []smooch.Option
	creds := smooch.AccountKey(cfg.keyID, cfg.secret)
	channels := []smooch.Channel{smooch.Email{}}
	if cfg.keyID == "" {
		// Embedded mode: a fake Smooch, and a loopback webhook target it can verify with HEAD.
		target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		defer target.Close()
		srv := smoochtest.NewServer()
		defer srv.Close()
		key := srv.AccountKey()
		creds = smooch.AccountKey(key.ID, key.Secret)
		opts = append(opts, smooch.WithBaseURL(srv.URL))
		cfg.webhookTarget = target.URL + "/smooch/events"
		channels = append(channels,
			smooch.Telegram{Token: "123456789:AAfake-token-for-the-example"},
			smooch.Twilio{AccountSID: "AC" + hex32, AuthToken: "fake-auth-token", PhoneNumberSID: "PN" + hex32})
		fmt.Fprintln(out, "using an embedded smoochtest server at", srv.URL)
	} else {
		if cfg.apiURL != "" {
			opts = append(opts, smooch.WithBaseURL(cfg.apiURL))
		}
		if cfg.webhookTarget == "" {
			return errors.New("live mode needs -webhook: a URL of yours that answers HEAD, since Smooch verifies it")
		}
		if cfg.telegramToken != "" {
			channels = append(channels, smooch.Telegram{Token: cfg.telegramToken})
		}
	}

	client, err := smooch.New(creds, opts...)
	if err != nil {
		return err
	}

	// 1. Create an app (account scope).
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "provision-example-" + time.Now().UTC().Format("20060102-150405")})
	if err != nil {
		return fmt.Errorf("create app: %w", err)
	}
	fmt.Fprintf(out, "created app %s (%s)\n", app.ID, app.Name)
	defer func() {
		// Clean up even when a later step failed; deleting the app removes its keys, integrations and webhooks.
		cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if derr := client.Apps.Delete(cleanup, app.ID); derr != nil {
			err = errors.Join(err, fmt.Errorf("delete app %s: %w", app.ID, derr))
			return
		}
		fmt.Fprintf(out, "deleted app %s\n", app.ID)
	}()

	// 2. Register a webhook; Smooch checks the target's domain with a HEAD request.
	hook, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: cfg.webhookTarget, Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessageAppUser, smooch.WebhookTriggerConversationStart}})
	if err != nil {
		return fmt.Errorf("create webhook: %w", err)
	}
	fmt.Fprintf(out, "created webhook %s -> %s for %v\n", hook.ID, hook.Target, hook.Triggers)

	// 3. Create an app key, and get an app-scoped JWT for it from the API.
	key, err := client.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: "provision-example"})
	if err != nil {
		return fmt.Errorf("create app key: %w", err)
	}
	fmt.Fprintf(out, "created app key %s\n", key.ID)
	jwt, err := client.AppKeys.JWT(ctx, app.ID, key.ID)
	if err != nil {
		return fmt.Errorf("get app JWT: %w", err)
	}

	// 4. The app JWT is what you would hand to the app's own backend: it reaches this app's webhooks.
	appClient, err := smooch.New(smooch.BearerToken(jwt), opts...)
	if err != nil {
		return err
	}
	hooks, err := appClient.Webhooks.List(ctx, app.ID)
	if err != nil {
		return fmt.Errorf("list webhooks with the app JWT: %w", err)
	}
	fmt.Fprintf(out, "the app JWT sees %d webhook(s)\n", len(hooks))
	if _, err := appClient.Apps.List(ctx, nil); err != nil {
		fmt.Fprintf(out, "the app JWT cannot list apps, as expected: %v\n", err)
	}

	// 5. Connect messaging channels.
	for _, ch := range channels {
		integration, err := client.Integrations.Create(ctx, app.ID, ch)
		if err != nil {
			return fmt.Errorf("create %s integration: %w", ch.Type(), err)
		}
		fmt.Fprintf(out, "connected %s integration %s: %s\n", integration.Type, integration.ID, describe(integration))
	}
	return nil
}

// describe reads a channel's details with a type switch on the typed value.
func describe(i *smooch.Integration) string {
	switch ch := i.Channel().(type) {
	case *smooch.TelegramIntegration:
		return "bot @" + orNotGiven(ch.Username)
	case *smooch.TwilioIntegration:
		return "number " + orNotGiven(ch.PhoneNumber)
	case *smooch.EmailIntegration:
		return "address " + orNotGiven(ch.SmoochAddress)
	default:
		return fmt.Sprintf("%T", ch)
	}
}

// orNotGiven shows an optional field: the API leaves it out (empty) when the channel does not report it.
func orNotGiven(s string) string {
	if s == "" {
		return "(not given)"
	}
	return s
}

const hex32 = "0123456789abcdef0123456789abcdef"
