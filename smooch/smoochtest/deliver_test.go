package smoochtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// inProcess serves a request with h without a network, for tests in a synctest bubble.
func inProcess(h http.Handler) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result(), nil
	})
}

// sdkClient is a smooch client of srv's account, served in process.
func sdkClient(t testing.TB, srv *smoochtest.Server) *smooch.Client {
	t.Helper()
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL("http://smoochtest.invalid"),
		smooch.WithHTTPClient(&http.Client{Transport: inProcess(srv.Handler())}))
	require.NoError(t, err)
	return c
}

// appWithWebhooks creates an app with one webhook per target, each subscribed to triggers (none: the default).
func appWithWebhooks(t testing.TB, c *smooch.Client, triggers []smooch.WebhookTrigger, targets ...string) (string, []smooch.Webhook) {
	t.Helper()
	ctx := context.Background()
	app, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
	require.NoError(t, err)
	var hooks []smooch.Webhook
	for _, target := range targets {
		hook, err := c.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: target, Triggers: triggers})
		require.NoError(t, err)
		hooks = append(hooks, *hook)
	}
	return app.ID, hooks
}

// TestDeliveryAttemptsFollowTheRetryPolicy counts the calls of one event per class of the target's answer, in
// fake time: a 2xx and each final status of the contract get one call; any other status (5xx, 429, a redirect)
// and no answer get the first call and the 5 retries, at waits doubling from the first (1s, 2s, 4s, 8s, 16s),
// each unanswered call given up after the 20 s timeout.
func TestDeliveryAttemptsFollowTheRetryPolicy(t *testing.T) {
	call, err := contract.Webhook()
	require.NoError(t, err)
	require.Equal(t, call.Retries+1, smoochtest.DeliveryAttempts, "the first call and the contract's retries")
	require.Equal(t, time.Duration(call.TimeoutSeconds)*time.Second, smoochtest.DefaultDeliveryTimeout)

	type class struct {
		name   string
		status int // 0: never answers
		calls  int
	}
	classes := []class{{"200", 200, 1}, {"204", 204, 1}}
	for _, status := range call.FinalStatuses {
		classes = append(classes, class{fmt.Sprint(status), status, 1})
	}
	classes = append(classes, class{"500", 500, 6}, class{"503", 503, 6}, class{"429", 429, 6}, class{"302", 302, 6},
		class{"405", 405, 6}, class{"no answer", 0, 6})
	for _, tc := range classes {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var mu sync.Mutex
				var seen []*http.Request
				target := roundTripFunc(func(r *http.Request) (*http.Response, error) {
					mu.Lock()
					seen = append(seen, r)
					mu.Unlock()
					if tc.status == 0 {
						<-r.Context().Done()
						return nil, r.Context().Err()
					}
					return &http.Response{StatusCode: tc.status, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
				})
				srv := smoochtest.NewUnstartedServer(smoochtest.WithoutWebhookVerification(),
					smoochtest.WithDeliveryPolicy(smoochtest.DeliveryPolicy{Client: &http.Client{Transport: target}}))
				defer srv.Close()
				appID, hooks := appWithWebhooks(t, sdkClient(t, srv), nil, "https://acme.example.com/smooch")

				event, err := srv.SendAppUserMessage(appID, "c7f6e6d6c3a637261bd9656f", smooch.Message{Text: "Hi"})
				require.NoError(t, err)
				deliveries, err := event.Wait(context.Background())
				require.NoError(t, err)
				require.Len(t, deliveries, 1)
				d := deliveries[0]
				assert.True(t, d.Done)
				assert.Equal(t, tc.status >= 200 && tc.status < 300, d.Delivered)
				require.Len(t, d.Attempts, tc.calls)
				assert.Len(t, seen, tc.calls)
				wait := smoochtest.DefaultFirstRetryWait
				for i, a := range d.Attempts {
					assert.Equal(t, tc.status, a.Status, "attempt %d", i)
					assert.Equal(t, hooks[0].Secret, a.Header.Get(smooch.WebhookSecretHeader), "attempt %d", i)
					assert.Equal(t, "application/json", a.Header.Get("Content-Type"))
					assert.JSONEq(t, string(event.Payload), string(a.Body))
					if tc.status == 0 {
						assert.Equal(t, smoochtest.DefaultDeliveryTimeout, a.Took, "attempt %d", i)
						assert.ErrorContains(t, a.Err, "no answer within 20s")
					} else {
						assert.NoError(t, a.Err)
					}
					if i > 0 {
						gap := a.Sent.Sub(d.Attempts[i-1].Sent) - d.Attempts[i-1].Took
						assert.Equal(t, wait, gap, "the wait before attempt %d", i)
						wait *= 2
					}
				}
			})
		})
	}
}

// TestDeliveriesReachTheSubscribedWebhooks: an event calls the webhooks subscribed to its trigger, `*`, and
// `message` (the default) for both message triggers, each with its own secret, and no other.
func TestDeliveriesReachTheSubscribedWebhooks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		calls := map[string][]string{} // by target path: the triggers it was called for
		target := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			var head struct{ Trigger string }
			_ = json.NewDecoder(r.Body).Decode(&head)
			mu.Lock()
			calls[r.URL.Path] = append(calls[r.URL.Path], head.Trigger)
			mu.Unlock()
			return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}}, nil
		})
		srv := smoochtest.NewUnstartedServer(smoochtest.WithoutWebhookVerification(),
			smoochtest.WithDeliveryPolicy(smoochtest.DeliveryPolicy{Client: &http.Client{Transport: target}}))
		defer srv.Close()
		c := sdkClient(t, srv)
		ctx := context.Background()
		appID, _ := appWithWebhooks(t, c, nil, "http://hooks.test/default")
		for path, triggers := range map[string][]smooch.WebhookTrigger{
			"/all":      {smooch.WebhookTriggerAll},
			"/appUser":  {smooch.WebhookTriggerMessageAppUser},
			"/appMaker": {smooch.WebhookTriggerMessageAppMaker},
			"/postback": {smooch.WebhookTriggerPostback, smooch.WebhookTriggerConversationRead},
		} {
			_, err := c.Webhooks.Create(ctx, appID, smooch.WebhookCreate{Target: "http://hooks.test" + path, Triggers: triggers})
			require.NoError(t, err)
		}
		other, _ := appWithWebhooks(t, c, []smooch.WebhookTrigger{smooch.WebhookTriggerAll}, "http://hooks.test/other-app")

		const user = "c7f6e6d6c3a637261bd9656f"
		var events []*smoochtest.Event
		for _, happen := range []func() (*smoochtest.Event, error){
			func() (*smoochtest.Event, error) {
				return srv.SendAppUserMessage(appID, user, smooch.Message{Text: "Hi"})
			},
			func() (*smoochtest.Event, error) {
				return srv.TriggerEvent(appID, &smooch.MessagePayload{Trigger: smooch.WebhookTriggerMessageAppMaker,
					AppUser: smooch.AppUser{ID: user}, Messages: []smooch.Message{{Text: "Hello!", Role: smooch.MessageRoleWhisper}}})
			},
			func() (*smoochtest.Event, error) { return srv.TapPostback(appID, user, "YES") },
			func() (*smoochtest.Event, error) { return srv.ReadConversation(appID, user) },
			func() (*smoochtest.Event, error) {
				return srv.ReportDelivery(appID, user, smooch.Message{Text: "Hello!"}, &smooch.ChannelError{Code: "unauthorized"})
			},
		} {
			e, err := happen()
			require.NoError(t, err)
			_, err = e.Wait(ctx)
			require.NoError(t, err)
			events = append(events, e)
		}
		assert.Equal(t, map[string][]string{
			"/default":  {"message:appUser", "message:appMaker"},
			"/all":      {"message:appUser", "message:appMaker", "postback", "conversation:read", "delivery:failure"},
			"/appUser":  {"message:appUser"},
			"/appMaker": {"message:appMaker"},
			"/postback": {"postback", "conversation:read"},
		}, calls)
		assert.Len(t, events[0].Deliveries(), 3, "default, all, appUser")
		_ = other
	})
}

// TestTriggerEventBuildsTheDocumentedPayload: what a test leaves empty is filled in, the result passes the
// contract, and the SDK decodes it to the payload the test described; what cannot be sent is refused, calling
// nobody.
func TestTriggerEventBuildsTheDocumentedPayload(t *testing.T) {
	srv := smoochtest.NewUnstartedServer(smoochtest.WithoutWebhookVerification())
	defer srv.Close()
	appID, _ := appWithWebhooks(t, sdkClient(t, srv), nil)
	const user = "c7f6e6d6c3a637261bd9656f"

	e, err := srv.SendAppUserMessage(appID, user, smooch.Message{Type: smooch.MessageTypeImage, MediaURL: "https://acme.example.com/taco.png"})
	require.NoError(t, err)
	assert.Equal(t, smooch.WebhookTriggerMessageAppUser, e.Trigger)
	require.NoError(t, contract.ValidateWebhookPayload(e.Payload))
	var event smooch.WebhookEvent
	require.NoError(t, json.Unmarshal(e.Payload, &event))
	assert.Equal(t, appID, event.App.ID)
	assert.Equal(t, user, event.AppUser.ID)
	require.Len(t, event.AppUser.Clients, 1, "a message event carries the full app user")
	assert.Equal(t, "messenger", event.AppUser.Clients[0].Platform)
	msg := event.Payload().(*smooch.MessagePayload).Messages[0]
	assert.Equal(t, smooch.MessageTypeImage, msg.Type)
	assert.Equal(t, "https://acme.example.com/taco.png", msg.MediaURL)
	assert.Equal(t, smooch.MessageRoleAppUser, msg.Role)
	assert.Equal(t, user, msg.AuthorID)
	assert.Len(t, msg.ID, 24)
	assert.WithinDuration(t, time.Now(), msg.Received.Time(), time.Minute)

	// The same app user has the same sign-up time in the next event.
	e2, err := srv.TapPostback(appID, user, "YES")
	require.NoError(t, err)
	var event2 smooch.WebhookEvent
	require.NoError(t, json.Unmarshal(e2.Payload, &event2))
	assert.Equal(t, event.AppUser.SignedUpAt, event2.AppUser.SignedUpAt)
	assert.Equal(t, "YES", event2.Payload().(*smooch.PostbackPayload).Postbacks[0].Action.Payload)

	for _, tc := range []struct {
		name    string
		appID   string
		payload smooch.WebhookPayload
		want    string
	}{
		{"no app", "000000000000000000000000", &smooch.PostbackPayload{AppUser: smooch.AppUser{ID: user},
			Postbacks: []smooch.Postback{{Action: smooch.MessageAction{Payload: "YES"}}}}, "no app 000000000000000000000000"},
		{"another app", appID, &smooch.LinkPayload{App: smooch.WebhookApp{ID: "other"}, AppUser: smooch.AppUser{ID: user}}, "the payload's app is other"},
		{"no app user", appID, &smooch.MessagePayload{Messages: []smooch.Message{{Text: "Hi"}}}, "the app user has no ID"},
		{"no messages", appID, &smooch.MessagePayload{AppUser: smooch.AppUser{ID: user}}, "no messages"},
		{"a trigger of another payload", appID, &smooch.MessagePayload{Trigger: smooch.WebhookTriggerPostback,
			AppUser: smooch.AppUser{ID: user}, Messages: []smooch.Message{{Text: "Hi"}}}, "not one Smooch sends"},
		{"an unknown message type", appID, &smooch.MessagePayload{AppUser: smooch.AppUser{ID: user},
			Messages: []smooch.Message{{Type: "form"}}}, "not one Smooch sends"},
		{"an unknown trigger", appID, &smooch.UnknownPayload{Trigger: "typing:appUser"}, `trigger "typing:appUser"`},
		{"nil", appID, nil, "nil payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.TriggerEvent(tc.appID, tc.payload)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestDeliveriesStayOnLoopback: the default client calls loopback targets only; one elsewhere fails at once,
// without a retry and without a connection.
func TestDeliveriesStayOnLoopback(t *testing.T) {
	var got []string
	var mu sync.Mutex
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get(smooch.WebhookSecretHeader))
		mu.Unlock()
	}))
	defer hook.Close()
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification(),
		smoochtest.WithDeliveryPolicy(smoochtest.DeliveryPolicy{FirstRetryWait: time.Millisecond, Timeout: 5 * time.Second}))
	defer srv.Close()
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	appID, hooks := appWithWebhooks(t, c, nil, hook.URL+"/smooch", "http://192.0.2.1/smooch")

	e, err := srv.SendAppUserMessage(appID, "u1", smooch.Message{Text: "Hi"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ds, err := e.Wait(ctx)
	require.NoError(t, err)
	require.Len(t, ds, 2)
	assert.True(t, ds[0].Delivered)
	assert.Equal(t, []string{hooks[0].Secret}, got)
	assert.False(t, ds[1].Delivered)
	require.Len(t, ds[1].Attempts, 1)
	assert.ErrorContains(t, ds[1].Attempts[0].Err, "loopback webhook targets only")
}

// TestCloseStopsDeliveries: Close cancels the calls under way and the waits between them; Wait then returns,
// and no event can happen any more.
func TestCloseStopsDeliveries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		target := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 503, Body: http.NoBody, Header: http.Header{}}, nil
		})
		srv := smoochtest.NewUnstartedServer(smoochtest.WithoutWebhookVerification(),
			smoochtest.WithDeliveryPolicy(smoochtest.DeliveryPolicy{Client: &http.Client{Transport: target}}))
		appID, _ := appWithWebhooks(t, sdkClient(t, srv), nil, "http://hooks.test/")
		e, err := srv.SendAppUserMessage(appID, "u1", smooch.Message{Text: "Hi"})
		require.NoError(t, err)
		time.Sleep(1500 * time.Millisecond) // the first call and the first wait
		srv.Close()
		ds, err := e.Wait(context.Background())
		require.NoError(t, err)
		assert.Len(t, ds[0].Attempts, 2)
		assert.True(t, ds[0].Done)
		_, err = srv.SendAppUserMessage(appID, "u1", smooch.Message{Text: "Hi"})
		assert.ErrorContains(t, err, "closed")
		assert.True(t, slices.ContainsFunc(ds, func(d smoochtest.Delivery) bool { return !d.Delivered }))
	})
}
