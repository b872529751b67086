package smoochtest_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The service accounts guide: a user account creates a service account and a key for it; the service
// account then provisions apps of its own.
func Example_serviceAccounts() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	ctx := context.Background()
	admin, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}

	sa, err := admin.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "provisioning-robot"})
	if err != nil {
		log.Fatal(err)
	}
	saKey, err := admin.ServiceAccountKeys.Create(ctx, sa.ID, smooch.SecretKeyCreate{Name: "robot-key"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("service account key:", strings.HasPrefix(saKey.ID, "svc_"))

	robot, err := smooch.New(saKey.Credentials(), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	app, err := robot.Apps.Create(ctx, smooch.AppCreate{Name: "Customer 42"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("robot created", app.Name)

	// Service accounts cannot manage service accounts: refused before any request.
	_, err = robot.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "another-robot"})
	fmt.Println(err)
	// Output:
	// service account key: true
	// robot created Customer 42
	// smooch: ServiceAccounts.Create needs an account-scoped JWT signed with a user account key (act_…); service account keys (svc_…) cannot manage service accounts
}

// WithLogger logs every attempt at debug level, never a header, a body, a token or a secret.
func Example_withLogger() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()

	handler := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" || a.Key == "wait" {
				return slog.Attr{} // vary from run to run
			}
			return a
		},
	})
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret),
		smooch.WithBaseURL(srv.URL),
		smooch.WithLogger(slog.New(handler)),
	)
	if err != nil {
		log.Fatal(err)
	}
	srv.FailNext("listApps", 1, smoochtest.Fault{Status: 503})
	if _, err := client.Apps.List(context.Background(), nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level=DEBUG msg="smooch: request" method=GET path=/v1/apps attempt=1 status=503
	// level=DEBUG msg="smooch: retrying" method=GET path=/v1/apps retry=1
	// level=DEBUG msg="smooch: request" method=GET path=/v1/apps attempt=2 status=200
}

// Per-call options apply to one call; Client.Do calls any path with the client's credentials, retries and
// error decoding. The README quotes it.
func Example_withResponseInto() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	client, err := smooch.New(smooch.AccountKey(srv.AccountKey().ID, srv.AccountKey().Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	if err != nil {
		log.Fatal(err)
	}
	appID := created.ID

	var resp *http.Response
	app, err := client.Apps.Get(ctx, appID, smooch.WithMaxRetries(0), smooch.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(app.Name, resp.StatusCode)

	var raw struct {
		App map[string]any `json:"app"`
	}
	if err := client.Do(ctx, http.MethodGet, "/v1/apps/"+url.PathEscape(appID), nil, &raw); err != nil {
		log.Fatal(err)
	}
	fmt.Println(raw.App["name"])
	// Output:
	// Acme 200
	// Acme
}
