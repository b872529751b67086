package smoochtest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestConcurrentClients(t *testing.T) {
	const workers, perWorker = 20, 15
	srv := newServer(t, smoochtest.WithoutWebhookVerification())
	c := accountClient(t, srv)
	shared := createApp(t, c, "shared")
	srv.FailNext("listApps", 5, smoochtest.Fault{Status: http.StatusServiceUnavailable})

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				if err := oneRound(c, shared.ID, w, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	var apps []gen.App
	for offset, limit := 0, 100; ; offset += limit {
		page, err := c.ListAppsWithResponse(ctx, v1, &gen.ListAppsParams{Limit: &limit, Offset: &offset})
		wantStatus(t, page, err, http.StatusOK)
		apps = append(apps, page.JSON200.Apps...)
		if !page.JSON200.HasMore {
			break
		}
	}
	// shared + every app a worker made and did not delete (every third).
	if got, want := len(apps), 1+workers*perWorker-workers*((perWorker+2)/3); got != want {
		t.Errorf("%d apps after the run, want %d", got, want)
	}
	keys, err := c.ListAppKeysWithResponse(ctx, v1, shared.ID)
	wantStatus(t, keys, err, http.StatusOK)
	if len(keys.JSON200.Keys) != workers*perWorker {
		t.Errorf("%d keys on the shared app, want %d", len(keys.JSON200.Keys), workers*perWorker)
	}
	ids := map[string]bool{}
	for _, k := range keys.JSON200.Keys {
		if ids[k.ID] {
			t.Errorf("duplicate key id %s", k.ID)
		}
		ids[k.ID] = true
	}
}

// oneRound creates an app and a key on the shared app, lists, and deletes
// every third app it made, checking each answer.
func oneRound(c *gen.ClientWithResponses, shared string, w, i int) error {
	app, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: fmt.Sprintf("w%d-%d", w, i)})
	if err != nil || app.StatusCode() != http.StatusCreated {
		return fmt.Errorf("worker %d: create app: %v %v", w, err, statusOf(app))
	}
	key, err := c.CreateAppKeyWithResponse(ctx, v1, shared, gen.SecretKeyCreate{Name: fmt.Sprintf("w%d-%d", w, i)})
	if err != nil || key.StatusCode() != http.StatusCreated {
		return fmt.Errorf("worker %d: create key: %v %v", w, err, statusOf(key))
	}
	list, err := c.ListAppsWithResponse(ctx, v1, nil)
	if err != nil || (list.StatusCode() != http.StatusOK && list.StatusCode() != http.StatusServiceUnavailable) {
		return fmt.Errorf("worker %d: list: %v %v", w, err, statusOf(list))
	}
	if i%3 == 0 {
		del, err := c.DeleteAppWithResponse(ctx, v1, app.JSON201.App.ID)
		if err != nil || del.StatusCode() != http.StatusOK {
			return fmt.Errorf("worker %d: delete: %v %v", w, err, statusOf(del))
		}
	}
	return nil
}

func statusOf(r response) any {
	if r == nil || reflect.ValueOf(r).IsNil() {
		return nil
	}
	return r.StatusCode()
}

// The webhook limit holds when creates race: verification runs outside the
// store's lock, so the limit is checked again once it is done.
func TestWebhookLimitUnderConcurrentCreates(t *testing.T) {
	const creates = 25
	slow := func(ctx context.Context, _ *url.URL) error {
		time.Sleep(5 * time.Millisecond) // every create is verifying at once
		return nil
	}
	srv := newServer(t, smoochtest.WithWebhookVerifier(slow))
	c := accountClient(t, srv)
	app := createApp(t, c, "app")

	statuses := make(chan int, creates)
	var wg sync.WaitGroup
	for range creates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "https://example.com/hook"})
			if err != nil {
				t.Error(err)
				return
			}
			statuses <- r.StatusCode()
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != 10 || count[http.StatusBadRequest] != creates-10 {
		t.Errorf("statuses %v, want 10×201 and %d×400", count, creates-10)
	}
	list, err := c.ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, list, err, http.StatusOK)
	if n := len(list.JSON200.Webhooks); n != 10 {
		t.Errorf("%d webhooks stored, want 10", n)
	}
}
