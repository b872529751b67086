package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// call makes a request of the fake with its JWT and decodes the JSON answer into out.
func call(t *testing.T, banner map[string]string, method, path, body string, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, banner["SMOOCH_API_URL"]+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+banner["SMOOCH_JWT"])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

// TestEventsAPICallsTheWebhooksAsSmoochDoes: a receiver written in any language registers a webhook, makes
// events happen over HTTP, and reads back each call the fake made: the first answered 503 is retried, the
// next answered 200 ends the delivery.
func TestEventsAPICallsTheWebhooksAsSmoochDoes(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	var bodies []string
	answers := []int{http.StatusServiceUnavailable, http.StatusOK}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			return // the fake's HEAD verification of the origin
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		keys = append(keys, r.Header.Get("X-API-Key"))
		bodies = append(bodies, string(body))
		status := answers[0]
		answers = answers[1:]
		mu.Unlock()
		w.WriteHeader(status)
	}))
	defer receiver.Close()
	banner, stop := start(t, "-verify", "loopback", "-deliver-wait", "1ms", "-deliver-timeout", "5s")
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()

	var app struct {
		App struct {
			ID string `json:"_id"`
		} `json:"app"`
	}
	if status := call(t, banner, "POST", "/v1/apps", `{"name":"Acme"}`, &app); status != 201 {
		t.Fatalf("createApp: %d", status)
	}
	var hook struct {
		Webhook struct {
			ID     string `json:"_id"`
			Secret string `json:"secret"`
		} `json:"webhook"`
	}
	if status := call(t, banner, "POST", "/v1/apps/"+app.App.ID+"/webhooks", `{"target":"`+receiver.URL+`/smooch"}`, &hook); status != 201 {
		t.Fatalf("createWebhook: %d", status)
	}

	type event struct {
		Event struct {
			ID         string          `json:"id"`
			Trigger    string          `json:"trigger"`
			Payload    json.RawMessage `json:"payload"`
			Done       bool            `json:"done"`
			Deliveries []struct {
				WebhookID string `json:"webhookId"`
				Delivered bool   `json:"delivered"`
				Attempts  []struct {
					Status  int               `json:"status"`
					Headers map[string]string `json:"headers"`
					Body    json.RawMessage   `json:"body"`
				} `json:"attempts"`
			} `json:"deliveries"`
		} `json:"event"`
	}
	var created event
	status := call(t, banner, "POST", eventsPath+"/apps/"+app.App.ID+"/events",
		`{"trigger":"message:appUser","appUser":{"_id":"c7f6e6d6c3a637261bd9656f"},"messages":[{"text":"Hi"}]}`, &created)
	if status != 201 || created.Event.ID == "" || created.Event.Trigger != "message:appUser" {
		t.Fatalf("POST events: %d %+v", status, created)
	}
	var got event
	if status := call(t, banner, "GET", eventsPath+"/events/"+created.Event.ID+"?wait=10s", "", &got); status != 200 {
		t.Fatalf("GET event: %d", status)
	}
	if !got.Event.Done || len(got.Event.Deliveries) != 1 {
		t.Fatalf("event %+v: want one delivery, done", got.Event)
	}
	d := got.Event.Deliveries[0]
	if !d.Delivered || d.WebhookID != hook.Webhook.ID || len(d.Attempts) != 2 || d.Attempts[0].Status != 503 || d.Attempts[1].Status != 200 {
		t.Errorf("delivery %+v: want a 503, then a 200", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 2 || keys[0] != hook.Webhook.Secret || keys[1] != hook.Webhook.Secret {
		t.Errorf("the receiver got the keys %q, want the webhook's secret twice", keys)
	}
	for _, a := range d.Attempts {
		if a.Headers["X-Api-Key"] != hook.Webhook.Secret || !jsonEqual(a.Body, created.Event.Payload) {
			t.Errorf("attempt %+v: not the call the receiver got", a)
		}
	}
	if !strings.Contains(bodies[0], `"text":"Hi"`) || !strings.Contains(bodies[0], `"authorId":"c7f6e6d6c3a637261bd9656f"`) {
		t.Errorf("the payload %s is not the filled-in message", bodies[0])
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// TestEventsAPIRefusesWhatItCannotDo: without the JWT 401; a body that is no payload, or one Smooch does not
// send, 400; an unknown app, event or path 404; a wait out of range 400. Each answer is the API's error body.
func TestEventsAPIRefusesWhatItCannotDo(t *testing.T) {
	banner, stop := start(t, "-verify", "off")
	defer func() { _ = stop() }()
	var app struct {
		App struct {
			ID string `json:"_id"`
		} `json:"app"`
	}
	call(t, banner, "POST", "/v1/apps", `{"name":"Acme"}`, &app)
	events := eventsPath + "/apps/" + app.App.ID + "/events"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"not JSON", "POST", events, `{"trigger":`, 400, "no webhook payload"},
		{"no trigger", "POST", events, `{"appUser":{"_id":"u"}}`, 400, "no trigger"},
		{"an unknown trigger", "POST", events, `{"trigger":"typing:appUser"}`, 400, "not one of the v1 reference"},
		{"no app user", "POST", events, `{"trigger":"postback","postbacks":[{"action":{"payload":"YES"}}]}`, 400, "app user has no ID"},
		{"an unknown message type", "POST", events, `{"trigger":"message:appUser","appUser":{"_id":"u"},"messages":[{"type":"form"}]}`, 400, "not one Smooch sends"},
		{"an unknown app", "POST", eventsPath + "/apps/000000000000000000000000/events", `{"trigger":"conversation:read","appUser":{"_id":"u"}}`, 404, "no app"},
		{"an unknown event", "GET", eventsPath + "/events/42", "", 404, "no event 42"},
		{"a wait too long", "GET", eventsPath + "/events/1?wait=1h", "", 404, "no event 1"},
		{"an unknown path", "GET", eventsPath + "/nothing", "", 404, "no such path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				Error struct{ Code, Description string } `json:"error"`
			}
			status := call(t, banner, tc.method, tc.path, tc.body, &out)
			if status != tc.status || !strings.Contains(out.Error.Description, tc.want) || out.Error.Code == "" {
				t.Errorf("%d %+v: want %d and %q", status, out, tc.status, tc.want)
			}
		})
	}
	// A wait out of range, of an event that exists.
	var created struct {
		Event struct{ ID string } `json:"event"`
	}
	call(t, banner, "POST", events, `{"trigger":"conversation:read","appUser":{"_id":"u"}}`, &created)
	var out struct {
		Error struct{ Description string } `json:"error"`
	}
	if status := call(t, banner, "GET", eventsPath+"/events/"+created.Event.ID+"?wait=1h", "", &out); status != 400 || !strings.Contains(out.Error.Description, "wait must be") {
		t.Errorf("wait=1h: %d %+v", status, out)
	}
	// Without the JWT.
	resp, err := http.Post(banner["SMOOCH_API_URL"]+events, "application/json", strings.NewReader(`{"trigger":"conversation:read","appUser":{"_id":"u"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the JWT: %d", resp.StatusCode)
	}
}

// TestTheAPIsPathsReachTheFakeAsTheyAre: the events API in front of the fake changes nothing of the API's
// paths: one with a dot segment or a double slash is the fake's 404, not a redirect to the cleaned path.
func TestTheAPIsPathsReachTheFakeAsTheyAre(t *testing.T) {
	banner, stop := start(t, "-verify", "off")
	defer func() { _ = stop() }()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, path := range []string{"/v1/apps/../apps", "/v1//apps", "/v1/apps/./x", "/_smoochtest"} {
		req, err := http.NewRequest(http.MethodGet, banner["SMOOCH_API_URL"]+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = path // sent as written
		req.Header.Set("Authorization", "Bearer "+banner["SMOOCH_JWT"])
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want the fake's 404", path, resp.StatusCode)
		}
	}
}

func TestRefusesBadDeliveryFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "127.0.0.1:0", "-deliver-to", "everywhere"},
		{"-addr", "127.0.0.1:0", "-deliver-wait", "0s"},
		{"-addr", "127.0.0.1:0", "-deliver-timeout", "-1s"},
		{"-addr", "127.0.0.1:0", "-deliver-timeout", "soon"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error (exit status 2)", args, err)
		}
	}
}
