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

// A create that failed may still have been performed: its answer was lost, timed out or replaced by a
// gateway's 5xx. errors.Is tells the two cases apart: on ErrMaybePerformed look for what the create made
// before making it again; on ErrNotPerformed nothing was made, and calling again is safe. The README quotes
// it.
func Example_createMayHaveBeenPerformed() {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// The fake creates the app, then loses the answer with the connection; the next create is refused (429).
	srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, DropConnection: true})
	srv.FailNext("createApp", 1, smoochtest.Fault{Status: http.StatusTooManyRequests})

	createOnce := func(name string) (*smooch.App, error) {
		app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: name}, smooch.WithMaxRetries(0))
		switch {
		case errors.Is(err, smooch.ErrMaybePerformed):
			// The app may exist: look for it before creating it again.
			for existing, err := range client.Apps.All(ctx, nil) {
				if err != nil {
					return nil, err
				}
				if existing.Name == name {
					fmt.Println(name + ": found after a lost answer")
					return &existing, nil
				}
			}
			return client.Apps.Create(ctx, smooch.AppCreate{Name: name})
		case errors.Is(err, smooch.ErrNotPerformed):
			// Nothing was created: creating again is safe.
			fmt.Println(name + ": not created, creating again")
			return client.Apps.Create(ctx, smooch.AppCreate{Name: name})
		}
		return app, err
	}
	for _, name := range []string{"Acme Support", "Acme Sales"} {
		if _, err := createOnce(name); err != nil {
			log.Fatal(err)
		}
	}
	page, err := client.Apps.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items), "apps")
	// Output:
	// Acme Support: found after a lost answer
	// Acme Sales: not created, creating again
	// 2 apps
}
