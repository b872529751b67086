package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The events API: what smoochtest's Server.TriggerEvent and Event.Wait do in Go, over HTTP, for the tests of
// webhook receivers written in other languages. It lives under eventsPath, outside the paths of the API, and
// takes the account JWT the banner prints (SMOOCH_JWT):
//
//	POST eventsPath/apps/{appId}/events   a webhook payload, as TriggerEvent takes it (its trigger required):
//	                                       the fake fills in the rest, calls the app's subscribed webhooks, and
//	                                       answers 201 {"event": …}
//	GET  eventsPath/events/{eventId}       {"event": …} as it is now; ?wait=10s waits up to 10 s for its calls
//	                                       to end (at most maxEventWait)
//
// An event is {"id", "trigger", "appId", "payload", "done", "deliveries": [{"webhookId", "target",
// "delivered", "done", "attempts": [{"status", "error", "sent", "tookMs", "headers", "body"}]}]}. Errors are
// the API's {"error": {"code", "description"}}.
const eventsPath = "/_smoochtest"

// maxEventWait bounds ?wait: the longest a delivery takes is 6 calls of 20 s and the waits between them.
const maxEventWait = 5 * time.Minute

// eventsAPI serves the events API for a fake.
type eventsAPI struct {
	fake *smoochtest.Server
	jwt  string

	mu     sync.Mutex
	events map[string]*smoochtest.Event
	next   int
}

func newEventsAPI(fake *smoochtest.Server) *eventsAPI {
	return &eventsAPI{fake: fake, jwt: fake.AccountJWT(), events: map[string]*smoochtest.Event{}}
}

// handler routes eventsPath to the events API and everything else to the fake, as it is: a ServeMux in front
// of the fake would redirect the paths it cleans (dot segments, double slashes), which the fake answers 404
// as the API does.
func (api *eventsAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+eventsPath+"/apps/{appId}/events", api.authorized(api.create))
	mux.HandleFunc("GET "+eventsPath+"/events/{eventId}", api.authorized(api.get))
	mux.HandleFunc(eventsPath+"/", api.authorized(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such path of the events API: POST "+eventsPath+"/apps/{appId}/events, GET "+eventsPath+"/events/{eventId}")
	}))
	fake := api.fake.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.EscapedPath(), eventsPath+"/") {
			mux.ServeHTTP(w, r)
			return
		}
		fake.ServeHTTP(w, r)
	})
}

func (api *eventsAPI) authorized(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(api.jwt)) != 1 {
			writeError(w, http.StatusUnauthorized, "the events API takes the account JWT the banner prints (SMOOCH_JWT) as a Bearer token")
			return
		}
		next(w, r)
	}
}

func (api *eventsAPI) create(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	var payload smooch.WebhookEvent
	if err := json.Unmarshal(body, &payload); err != nil {
		writeError(w, http.StatusBadRequest, "the body is no webhook payload: "+err.Error())
		return
	}
	e, err := api.fake.TriggerEvent(r.PathValue("appId"), payload.Payload())
	if err != nil {
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "no app ") {
			status = http.StatusNotFound
		}
		writeError(w, status, err.Error())
		return
	}
	api.mu.Lock()
	api.next++
	id := strconv.Itoa(api.next)
	api.events[id] = e
	api.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"event": eventJSON(id, e)})
}

func (api *eventsAPI) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("eventId")
	api.mu.Lock()
	e, ok := api.events[id]
	api.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "no event "+id)
		return
	}
	if wait := r.URL.Query().Get("wait"); wait != "" {
		d, err := time.ParseDuration(wait)
		if err != nil || d < 0 || d > maxEventWait {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("wait must be a duration from 0s to %v, e.g. 10s; got %q", maxEventWait, wait))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		_, _ = e.Wait(ctx) // the deliveries so far are answered either way; "done" tells
		cancel()
	}
	writeJSON(w, http.StatusOK, map[string]any{"event": eventJSON(id, e)})
}

type attemptJSON struct {
	Status  int               `json:"status"`
	Error   string            `json:"error,omitempty"`
	Sent    time.Time         `json:"sent"`
	TookMs  int64             `json:"tookMs"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

type deliveryJSON struct {
	WebhookID string        `json:"webhookId"`
	Target    string        `json:"target"`
	Delivered bool          `json:"delivered"`
	Done      bool          `json:"done"`
	Attempts  []attemptJSON `json:"attempts"`
}

func eventJSON(id string, e *smoochtest.Event) map[string]any {
	deliveries := []deliveryJSON{}
	done := true
	for _, d := range e.Deliveries() {
		out := deliveryJSON{WebhookID: d.WebhookID, Target: d.Target, Delivered: d.Delivered, Done: d.Done, Attempts: []attemptJSON{}}
		done = done && d.Done
		for _, a := range d.Attempts {
			headers := map[string]string{}
			for k := range a.Header {
				headers[k] = a.Header.Get(k)
			}
			aj := attemptJSON{Status: a.Status, Sent: a.Sent.UTC(), TookMs: a.Took.Milliseconds(), Headers: headers, Body: a.Body}
			if a.Err != nil {
				aj.Error = a.Err.Error()
			}
			out.Attempts = append(out.Attempts, aj)
		}
		deliveries = append(deliveries, out)
	}
	return map[string]any{"id": id, "trigger": e.Trigger, "appId": e.AppID, "payload": json.RawMessage(e.Payload),
		"done": done, "deliveries": deliveries}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, description string) {
	code := strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "description": description}})
}

// deliveryPolicy is the fake's policy for the -deliver-* flags.
func deliveryPolicy(firstWait, timeout time.Duration, to string) (smoochtest.DeliveryPolicy, error) {
	p := smoochtest.DeliveryPolicy{FirstRetryWait: firstWait, Timeout: timeout}
	switch {
	case firstWait <= 0:
		return p, fmt.Errorf("-deliver-wait must be positive, got %v", firstWait)
	case timeout <= 0:
		return p, fmt.Errorf("-deliver-timeout must be positive, got %v", timeout)
	}
	switch to {
	case "loopback": // smoochtest's default client
	case "any":
		p.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	default:
		return p, errors.New(`-deliver-to must be "loopback" or "any", got ` + strconv.Quote(to))
	}
	return p, nil
}
