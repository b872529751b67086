package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// createLog records every create a worker attempted: the name it used, and whether it must exist now.
type createLog struct {
	mu          sync.Mutex
	attempts    map[string]map[string]bool // kind -> name -> must exist (created, not deleted since)
	failedCalls int                        // creates that returned an error
	errs        []error                    // every error a call returned, to check each is one the faults explain
	lost        func(kind, name string) bool
}

// performed is how many of names' creates the server performed: those that succeeded and those whose
// response was lost.
func (l *createLog) performed(kind string, names []string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, name := range names {
		if l.attempts[kind][name] || l.lost(kind, name) {
			n++
		}
	}
	return n
}

func (l *createLog) record(kind, name string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.attempts == nil {
		l.attempts = map[string]map[string]bool{}
	}
	if l.attempts[kind] == nil {
		l.attempts[kind] = map[string]bool{}
	}
	l.attempts[kind][name] = err == nil
	if err != nil {
		l.failedCalls++
		l.errs = append(l.errs, err)
	}
}

// deleted records that a created resource was deleted: it must not exist any more.
func (l *createLog) deleted(kind, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.attempts[kind][name] = false
}

func (l *createLog) fail(err error) {
	if err != nil {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.errs = append(l.errs, err)
	}
}

// injected are the faults thrown at the shared client, by operation: every kind the client must absorb
// (retries) or report (a create that may not be retried).
var injected = map[string][]smoochtest.Fault{
	"createApp":               {{Status: 503}, {Status: 429, RetryAfter: "0"}, {DropConnection: true}, {Delay: 10 * time.Millisecond}, {Status: 500}},
	"getApp":                  {{Status: 503}, {Status: 502}, {DropConnection: true}},
	"updateApp":               {{Status: 504}, {Delay: 10 * time.Millisecond}, {DropConnection: true}},
	"deleteApp":               {{Status: 503}, {Status: 429, RetryAfter: "0"}},
	"listApps":                {{Status: 429, RetryAfter: "0"}, {Status: 502}},
	"createAppKey":            {{Status: 500}, {Status: 429, RetryAfter: "0"}, {DropConnection: true}},
	"getAppKeyJWT":            {{Status: 503}, {DropConnection: true}},
	"deleteAppKey":            {{Status: 502}},
	"createServiceAccount":    {{Status: 502}, {Status: 429, RetryAfter: "0"}},
	"updateServiceAccount":    {{Status: 503}},
	"createServiceAccountKey": {{DropConnection: true}, {Status: 503}},
	"getServiceAccountKeyJWT": {{Status: 504}},
	"createIntegration":       {{Status: 502}, {Delay: 10 * time.Millisecond}, {DropConnection: true}},
	"listIntegrations":        {{Status: 503}},
	"createWebhook":           {{Status: 503}, {Status: 429, RetryAfter: "0"}},
	"updateWebhook":           {{DropConnection: true}},
	"deleteWebhook":           {{Status: 504}},
}

// TestSharedClientUnderFaults: 64 goroutines share one client and call every operation of the API on
// smoochtest while faults are injected, before and during the run (run it with -race, as make test does).
// Each create that failed is tried again under a new name. Afterwards every create that returned success
// exists exactly once, and every create that returned an error left nothing behind: a create is never
// performed twice, and never silently. Every error is one the injected faults explain.
func TestSharedClientUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (64 goroutines calling every operation under faults): make test-e2e runs it")
	}
	const workers = 64
	srv := smoochtest.NewUnstartedServer(smoochtest.WithoutWebhookVerification())
	t.Cleanup(srv.Close)
	lossy := &lossyProxy{next: srv.Handler(), lost: map[string]bool{}}
	front := httptest.NewServer(lossy)
	t.Cleanup(front.Close)
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(front.URL),
		smooch.WithBackoff(time.Millisecond, 20*time.Millisecond), smooch.WithMaxRetries(4))
	require.NoError(t, err)

	inject := func(rounds int) {
		for op, faults := range injected {
			for _, f := range faults {
				srv.FailNext(op, rounds, f)
			}
		}
	}
	inject(4)
	done := make(chan struct{})
	var injector sync.WaitGroup
	injector.Add(1)
	go func() { // more faults while the workers run
		defer injector.Done()
		for range 8 {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				inject(1)
			}
		}
	}()

	log := &createLog{lost: lossy.wasLost}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sharedClientRound(context.Background(), c, w, log)
		}()
	}
	wg.Wait()
	close(done)
	injector.Wait()
	srv.ClearFaults()

	// Every error is one a fault explains: an injected status, a lost response, or a dropped connection.
	for _, err := range log.errs {
		var apiErr *smooch.APIError
		var urlErr *url.Error
		switch {
		case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadGateway && strings.Contains(string(apiErr.Body), "lost"):
		case errors.As(err, &apiErr):
			assert.Contains(t, []int{429, 500, 502, 503, 504}, apiErr.StatusCode, "%v", err)
			assert.Contains(t, apiErr.Description, "Injected fault", "%v", err)
		case errors.As(err, &urlErr):
		default:
			t.Errorf("an error no fault explains: %v", err)
		}
	}
	t.Logf("%d calls failed under the injected faults", len(log.errs))

	// Exactly once: list what exists and compare with what the calls reported.
	var apps []string
	for app, err := range c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 100}}) {
		require.NoError(t, err)
		apps = append(apps, app.Name)
	}
	var accounts []string
	for sa, err := range c.ServiceAccounts.All(context.Background(), &smooch.ListOptions{Limit: 100}) {
		require.NoError(t, err)
		accounts = append(accounts, sa.Name)
	}
	assertExactlyOnce(t, "app", log.attempts["app"], apps, lossy.wasLost)
	assertExactlyOnce(t, "service account", log.attempts["service account"], accounts, lossy.wasLost)
	assert.Positive(t, lossy.count(), "no create lost its response: the test proves nothing about duplicates")
	t.Logf("%d creates were performed but their response lost", lossy.count())
	for _, kind := range []string{"app key", "service account key", "webhook", "integration"} {
		assert.NotEmpty(t, log.attempts[kind], "no %s was created", kind) // the workers checked each against its list
	}
	assert.Positive(t, log.failedCalls, "no create failed: the faults did not bite")
	t.Logf("%d creates failed and were tried again under another name", log.failedCalls)
}

// assertExactlyOnce checks the names that exist against the creates: a successful create's name exists
// exactly once unless it was deleted since; a failed create's exists once if the server performed it and
// lost the response (which a retry would have performed twice), and not at all otherwise; nothing else exists.
func assertExactlyOnce(t *testing.T, kind string, attempts map[string]bool, existing []string, lost func(kind, name string) bool) {
	t.Helper()
	require.NotEmpty(t, attempts, "no %s was created", kind)
	count := map[string]int{}
	for _, name := range existing {
		count[name]++
	}
	for name, ok := range attempts {
		want := 0
		if ok || lost(kind, name) {
			want = 1
		}
		assert.Equal(t, want, count[name], "%s %q: must exist %v, response lost %v", kind, name, ok, lost(kind, name))
		delete(count, name)
	}
	var strays []string
	for name := range count {
		strays = append(strays, name)
	}
	sort.Strings(strays)
	assert.Empty(t, strays, "%ss that no call created", kind)
}

// createUntil calls create with fresh names, tag-kind-try, until it succeeds (at most 20 times: the faults
// are finite), logging each attempt; tried lists every name it used.
func createUntil(log *createLog, kind, tag string, create func(name string) error) (name string, ok bool, tried []string) {
	for try := range 20 {
		name := fmt.Sprintf("%s-%s-%d", tag, strings.ReplaceAll(kind, " ", "-"), try)
		tried = append(tried, name)
		err := create(name)
		log.record(kind, name, err)
		if err == nil {
			return name, true, tried
		}
	}
	return "", false, tried
}

// sharedClientRound is one worker's round over every operation. After creating keys, a webhook or an
// integration, the worker checks that its app lists exactly as many as the server performed (created, or
// created with the response lost): a retried create would make one more.
func sharedClientRound(ctx context.Context, c *smooch.Client, w int, log *createLog) {
	tag := fmt.Sprintf("w%02d", w)
	var app *smooch.App
	appName, ok, _ := createUntil(log, "app", tag, func(name string) (err error) {
		app, err = c.Apps.Create(ctx, smooch.AppCreate{Name: name})
		return err
	})
	if !ok {
		return
	}
	_, err := c.Apps.Get(ctx, app.ID)
	log.fail(err)
	_, err = c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 5, Offset: w}})
	log.fail(err)
	check := func(kind string, listed int, listErr error, tried []string) {
		if listErr != nil {
			log.fail(listErr)
			return
		}
		if want := log.performed(kind, tried); listed != want {
			log.fail(fmt.Errorf("worker %d: %d %ss listed, %d performed", w, listed, kind, want))
		}
	}

	// App keys: create two, check the list, fetch one, sign with it, delete it.
	var keyIDs, keyNames []string
	for round := range 2 {
		_, _, tried := createUntil(log, "app key", fmt.Sprintf("%s-%d", tag, round), func(name string) error {
			k, err := c.AppKeys.Create(ctx, app.ID, smooch.SecretKeyCreate{Name: name})
			if err == nil {
				keyIDs = append(keyIDs, k.ID)
			}
			return err
		})
		keyNames = append(keyNames, tried...)
	}
	keys, err := c.AppKeys.List(ctx, app.ID)
	check("app key", len(keys), err, keyNames)
	if len(keyIDs) > 0 {
		_, err = c.AppKeys.Get(ctx, app.ID, keyIDs[0])
		log.fail(err)
		_, err = c.AppKeys.JWT(ctx, app.ID, keyIDs[0])
		log.fail(err)
		log.fail(c.AppKeys.Delete(ctx, app.ID, keyIDs[0]))
	}

	// Webhooks: create, check, fetch, update, delete.
	var hook *smooch.Webhook
	_, ok, tried := createUntil(log, "webhook", tag, func(name string) (err error) {
		hook, err = c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: "https://example.com/" + name})
		return err
	})
	hooks, err := c.Webhooks.List(ctx, app.ID)
	check("webhook", len(hooks), err, tried)
	if ok {
		_, err = c.Webhooks.Get(ctx, app.ID, hook.ID)
		log.fail(err)
		_, err = c.Webhooks.Update(ctx, app.ID, hook.ID, smooch.WebhookUpdate{Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerAll}})
		log.fail(err)
		log.fail(c.Webhooks.Delete(ctx, app.ID, hook.ID))
	}

	// Integrations (a Telegram bot whose token carries the attempt's name): create, check, fetch, delete.
	var integration *smooch.Integration
	_, ok, tried = createUntil(log, "integration", tag, func(name string) (err error) {
		integration, err = c.Integrations.Create(ctx, app.ID, smooch.Telegram{Token: "1:" + strings.ReplaceAll(name, "-", "_")})
		return err
	})
	integrations, err := c.Integrations.List(ctx, app.ID, nil)
	check("integration", len(integrations), err, tried)
	if ok {
		_, err = c.Integrations.Get(ctx, app.ID, integration.ID)
		log.fail(err)
		log.fail(c.Integrations.Delete(ctx, app.ID, integration.ID))
	}

	// A service account and a key of its own; the account is deleted at the end.
	var sa *smooch.ServiceAccount
	saName, ok, _ := createUntil(log, "service account", tag, func(name string) (err error) {
		sa, err = c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: name})
		return err
	})
	if ok {
		// Renamed to the same name: the final listing finds it by the name it was created with.
		_, err = c.ServiceAccounts.Update(ctx, sa.ID, smooch.ServiceAccountUpdate{Name: saName})
		log.fail(err)
		_, err = c.ServiceAccounts.Get(ctx, sa.ID)
		log.fail(err)
		_, err = c.ServiceAccounts.List(ctx, &smooch.ListOptions{Limit: 3})
		log.fail(err)
		var saKey *smooch.SecretKey
		_, ok, tried := createUntil(log, "service account key", tag, func(name string) (err error) {
			saKey, err = c.ServiceAccountKeys.Create(ctx, sa.ID, smooch.SecretKeyCreate{Name: name})
			return err
		})
		saKeys, err := c.ServiceAccountKeys.List(ctx, sa.ID)
		check("service account key", len(saKeys), err, tried)
		if ok {
			_, err = c.ServiceAccountKeys.Get(ctx, sa.ID, saKey.ID)
			log.fail(err)
			_, err = c.ServiceAccountKeys.JWT(ctx, sa.ID, saKey.ID)
			log.fail(err)
			log.fail(c.ServiceAccountKeys.Delete(ctx, sa.ID, saKey.ID))
		}
		if err := c.ServiceAccounts.Delete(ctx, sa.ID); err == nil {
			log.deleted("service account", saName)
		} else {
			log.fail(err)
		}
	}

	// The app is renamed to its own name and kept, except every other worker's, which is deleted.
	_, err = c.Apps.Update(ctx, app.ID, smooch.AppUpdate{Name: appName})
	log.fail(err)
	if w%2 == 1 {
		if err := c.Apps.Delete(ctx, app.ID); err == nil {
			log.deleted("app", appName)
		} else {
			log.fail(err)
		}
	}
}

// lossyProxy serves the fake's handler, and loses the response of every fifth create after the fake has
// performed it: it answers 502 with an HTML page, or drops the connection. That is the case in which a
// client that resent a create would create twice.
type lossyProxy struct {
	next http.Handler
	mu   sync.Mutex
	n    int
	lost map[string]bool // kind + " " + name of the creates performed whose response was lost
}

// kindOf names what a POST to path creates, as createUntil's kinds do.
func kindOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/") // v1 apps {id} keys
	switch {
	case len(parts) == 2 && parts[1] == "apps":
		return "app"
	case len(parts) == 2:
		return "service account"
	case parts[1] == "apps" && parts[3] == "keys":
		return "app key"
	case parts[1] == "apps" && parts[3] == "webhooks":
		return "webhook"
	case parts[1] == "apps":
		return "integration"
	}
	return "service account key"
}

func (p *lossyProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		p.next.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	p.n++
	lose, drop := p.n%5 == 0, p.n%10 == 0
	p.mu.Unlock()
	if !lose {
		p.next.ServeHTTP(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	p.next.ServeHTTP(rec, r) // a DropConnection fault panics with http.ErrAbortHandler here: nothing performed
	if rec.Code/100 == 2 {
		var in struct{ Name, Target, Token string }
		_ = json.Unmarshal(body, &in)
		name := in.Name
		switch {
		case in.Target != "":
			name = strings.TrimPrefix(in.Target, "https://example.com/")
		case in.Token != "":
			name = strings.ReplaceAll(strings.TrimPrefix(in.Token, "1:"), "_", "-")
		}
		p.mu.Lock()
		p.lost[kindOf(r.URL.Path)+" "+name] = true
		p.mu.Unlock()
	}
	if drop {
		panic(http.ErrAbortHandler) // net/http closes the connection without an answer
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "<html><body>502: the upstream answer was lost</body></html>")
}

func (p *lossyProxy) wasLost(kind, name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lost[kind+" "+name]
}

func (p *lossyProxy) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.lost)
}
