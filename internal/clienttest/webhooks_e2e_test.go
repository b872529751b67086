package clienttest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// receivedEvents is a webhook target's record of the events its handler was given.
type receivedEvents struct {
	mu     sync.Mutex
	events []*smooch.WebhookEvent
	result error // what the handler answers
}

func (r *receivedEvents) handle(_ context.Context, e *smooch.WebhookEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return r.result
}

func (r *receivedEvents) answer(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.result = err
}

func (r *receivedEvents) take() []*smooch.WebhookEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// TestWebhooksEndToEnd: a product team's receiver, registered as an app's webhook in the fake, is called by
// the fake for what happens in the app, over loopback: it gets each event typed as the SDK decodes it, with
// the webhook's secret verified, and its answers drive the fake's retries as they would Smooch's.
func TestWebhooksEndToEnd(t *testing.T) {
	srv := smoochtest.NewServer(smoochtest.WithDeliveryPolicy(smoochtest.DeliveryPolicy{FirstRetryWait: time.Millisecond, Timeout: 5 * time.Second}))
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	mux := http.NewServeMux()
	target := httptest.NewServer(mux) // the fake verifies the target's origin with a HEAD request: it answers 404
	defer target.Close()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	require.NoError(t, err)
	hook, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: target.URL + "/smooch",
		Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerAll}})
	require.NoError(t, err)
	var received receivedEvents
	receiver, err := smooch.NewWebhookReceiver([]string{hook.Secret})
	require.NoError(t, err)
	mux.Handle("/smooch", receiver.Handler(received.handle))

	const user = "c7f6e6d6c3a637261bd9656f"
	// happen(t)(srv.Method(…)) waits for the calls of the event, made by one webhook, and returns them with the
	// event the receiver was given, if any.
	happen := func(t *testing.T) func(*smoochtest.Event, error) (smoochtest.Delivery, *smooch.WebhookEvent) {
		return func(e *smoochtest.Event, err error) (smoochtest.Delivery, *smooch.WebhookEvent) {
			t.Helper()
			require.NoError(t, err)
			deliveries, err := e.Wait(ctx)
			require.NoError(t, err)
			require.Len(t, deliveries, 1)
			d := deliveries[0]
			assert.Equal(t, hook.ID, d.WebhookID)
			got := received.take()
			if !d.Delivered {
				return d, nil
			}
			require.Len(t, got, 1)
			assert.JSONEq(t, string(e.Payload), string(got[0].Raw), "the receiver got the payload the fake sent")
			assert.Equal(t, app.ID, got[0].App.ID)
			return d, got[0]
		}
	}
	// delivered(t)(srv.Method(…)) is happen, for an event delivered with one call answered 200.
	delivered := func(t *testing.T) func(*smoochtest.Event, error) *smooch.WebhookEvent {
		return func(e *smoochtest.Event, err error) *smooch.WebhookEvent {
			t.Helper()
			d, got := happen(t)(e, err)
			require.True(t, d.Delivered)
			require.Len(t, d.Attempts, 1)
			assert.Equal(t, http.StatusOK, d.Attempts[0].Status)
			return got
		}
	}

	t.Run("an app user sends a text", func(t *testing.T) {
		e := delivered(t)(srv.SendAppUserMessage(app.ID, user, smooch.Message{Text: "Hi! Do you have time to chat?"}))
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, "Hi! Do you have time to chat?", m.Text)
		assert.Equal(t, user, m.AuthorID)
		assert.Equal(t, user, e.AppUser.ID)
	})
	t.Run("an app user sends an image", func(t *testing.T) {
		e := delivered(t)(srv.SendAppUserMessage(app.ID, user, smooch.Message{Type: smooch.MessageTypeImage,
			MediaURL: "https://acme.example.com/taco.png", Source: smooch.MessageSource{Type: "telegram"}}))
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, smooch.MessageTypeImage, m.Type)
		assert.Equal(t, "telegram", m.Source.Type)
	})
	t.Run("an app user taps a postback", func(t *testing.T) {
		e := delivered(t)(srv.TapPostback(app.ID, user, "TACOS"))
		p := payloadOf[*smooch.PostbackPayload](t, e, smooch.WebhookTriggerPostback)
		assert.Equal(t, "TACOS", p.Postbacks[0].Action.Payload)
		assert.Nil(t, p.Postbacks[0].Message)
	})
	t.Run("an app user reads the conversation", func(t *testing.T) {
		e := delivered(t)(srv.ReadConversation(app.ID, user))
		payloadOf[*smooch.ConversationPayload](t, e, smooch.WebhookTriggerConversationRead)
		assert.WithinDuration(t, time.Now(), e.Timestamp.Time(), time.Minute)
	})
	t.Run("a delivery succeeds and one fails", func(t *testing.T) {
		e := delivered(t)(srv.ReportDelivery(app.ID, user, smooch.Message{Text: "Hello!"}, nil))
		p := payloadOf[*smooch.DeliveryPayload](t, e, smooch.WebhookTriggerDeliverySuccess)
		assert.Equal(t, smooch.MessageRoleAppMaker, p.Messages[0].Role)
		e = delivered(t)(srv.ReportDelivery(app.ID, user, smooch.Message{Text: "Hello!"}, &smooch.ChannelError{Code: "unauthorized", Message: "invalid token"}))
		p = payloadOf[*smooch.DeliveryPayload](t, e, smooch.WebhookTriggerDeliveryFailure)
		assert.Equal(t, "invalid token", p.Error.Message)
	})
	t.Run("the other triggers", func(t *testing.T) {
		for trigger, payload := range map[smooch.WebhookTrigger]smooch.WebhookPayload{
			smooch.WebhookTriggerMessageAppMaker: &smooch.MessagePayload{Trigger: smooch.WebhookTriggerMessageAppMaker, AppUser: smooch.AppUser{ID: user},
				Messages: []smooch.Message{{Type: smooch.MessageTypeCarousel, Items: []smooch.MessageItem{{Title: "Tacos",
					Actions: []smooch.MessageAction{{Type: smooch.MessageActionTypePostback, Text: "Oh yeah!", Payload: "TACOS"}}}}}}},
			smooch.WebhookTriggerConversationStart: &smooch.ConversationPayload{Trigger: smooch.WebhookTriggerConversationStart, AppUser: smooch.AppUser{ID: user}},
			smooch.WebhookTriggerConversationReferral: &smooch.ConversationPayload{AppUser: smooch.AppUser{ID: user},
				Referral: smooch.Referral{Code: "my-ref-code", Details: smooch.ReferralDetails{Source: "MESSENGER_CODE", Type: "OPEN_THREAD"}}},
			smooch.WebhookTriggerMergeAppUser: &smooch.MergePayload{Surviving: smooch.AppUser{ID: user, ConversationStarted: true},
				Discarded: []smooch.AppUser{{ID: "1ac30dad829178f6378f61f4"}}},
			smooch.WebhookTriggerPaymentSuccess: &smooch.PaymentPayload{AppUser: smooch.AppUser{ID: user},
				Payments: []smooch.Payment{{Action: smooch.MessageAction{Text: "Buy vinegar", Amount: 1000, Currency: "usd", State: "paid"}}}},
			smooch.WebhookTriggerLinkMatch: &smooch.LinkPayload{Trigger: smooch.WebhookTriggerLinkMatch, AppUser: smooch.AppUser{ID: user},
				Criteria: map[string]any{"phoneNumber": "+15141234567"}},
			smooch.WebhookTriggerLinkFailure: &smooch.LinkPayload{AppUser: smooch.AppUser{ID: user},
				Error: &smooch.ChannelError{Code: "bad_request", Message: "(#100) No matching user found"}},
		} {
			e := delivered(t)(srv.TriggerEvent(app.ID, payload))
			assert.Equal(t, trigger, e.Trigger)
			assert.NotNil(t, e.Payload())
		}
	})

	// The receiver's answers, as the fake's retry policy reads them.
	t.Run("the handler fails: retried", func(t *testing.T) {
		received.answer(errors.New("the database is down"))
		defer received.answer(nil)
		d, _ := happen(t)(srv.SendAppUserMessage(app.ID, user, smooch.Message{Text: "Hi"}))
		assert.False(t, d.Delivered)
		require.Len(t, d.Attempts, smoochtest.DeliveryAttempts)
		for _, a := range d.Attempts {
			assert.Equal(t, http.StatusServiceUnavailable, a.Status)
		}
	})
	t.Run("the handler rejects the event: not retried", func(t *testing.T) {
		received.answer(smooch.ErrWebhookRejected)
		defer received.answer(nil)
		d, _ := happen(t)(srv.SendAppUserMessage(app.ID, user, smooch.Message{Text: "Hi"}))
		require.Len(t, d.Attempts, 1)
		assert.Equal(t, http.StatusNotAcceptable, d.Attempts[0].Status)
	})
	t.Run("a receiver without the webhook's secret: 401, not retried, not handled", func(t *testing.T) {
		other, err := client.Webhooks.Create(ctx, app.ID, smooch.WebhookCreate{Target: target.URL + "/rotated",
			Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerConversationRead}})
		require.NoError(t, err)
		stale, err := smooch.NewWebhookReceiver([]string{oldHookSecret}) // the secret of a webhook since deleted
		require.NoError(t, err)
		var handled receivedEvents
		mux.Handle("/rotated", stale.Handler(handled.handle))
		e, err := srv.ReadConversation(app.ID, user)
		require.NoError(t, err)
		deliveries, err := e.Wait(ctx)
		require.NoError(t, err)
		require.Len(t, deliveries, 2, "the first webhook (*) and this one")
		d := deliveries[1]
		assert.Equal(t, other.ID, d.WebhookID)
		require.Len(t, d.Attempts, 1)
		assert.Equal(t, http.StatusUnauthorized, d.Attempts[0].Status)
		assert.Equal(t, other.Secret, d.Attempts[0].Header.Get(smooch.WebhookSecretHeader))
		assert.Empty(t, handled.take())
		assert.Len(t, received.take(), 1, "the first webhook's receiver got it")
	})
}
