package smooch

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
)

// WebhookSecretHeader is the header in which Smooch sends, with every webhook call, the secret of the webhook
// (Webhook.Secret).
const WebhookSecretHeader = "X-API-Key"

const (
	// DefaultWebhookBodyLimit is how much of a webhook call's body a WebhookReceiver reads, unless
	// WithWebhookBodyLimit says otherwise: 1 MiB, far above the few kilobytes of a payload.
	DefaultWebhookBodyLimit = 1 << 20
	// DefaultWebhookTimeout is how long a WebhookReceiver's handler waits for the function handling an event,
	// unless WithWebhookTimeout says otherwise: well within the 20 seconds Smooch waits for an answer, so
	// that Smooch hears "retry later" rather than nothing.
	DefaultWebhookTimeout = 15 * time.Second
)

// ErrWebhookRejected, returned (or wrapped) by the function handling a webhook event, refuses the event for
// good: the receiver answers 406 Not Acceptable, which Smooch does not retry ("the target exists, and rejected
// webhook intentionally"). Return it for an event that no retry can make acceptable, such as one for an app
// the business no longer serves. Any other error means "retry later".
var ErrWebhookRejected = errors.New("smooch: webhook event rejected")

// WebhookRequestError is why a WebhookReceiver refused a request before decoding an event from it. Its Status
// is the answer: 401 and 400 are statuses Smooch does not retry, as no retry of the same call can succeed;
// 405 answers what is no call of Smooch's at all.
type WebhookRequestError struct {
	// Status is the HTTP status to answer: 401 for a missing or wrong secret, 400 for a body that is no
	// webhook payload (too large, not JSON, without a trigger, of another content type), 405 for a method
	// other than POST.
	Status int
	// Reason says what is wrong. It never quotes the secret the request carried.
	Reason string
}

func (e *WebhookRequestError) Error() string {
	return fmt.Sprintf("smooch: webhook request refused with %d %s: %s", e.Status, http.StatusText(e.Status), e.Reason)
}

// WebhookStatus is the HTTP status that answers a webhook call, given the error of receiving it
// (WebhookReceiver.Receive) or of handling its event, as Smooch's retry policy reads it:
//
//   - nil: 200 OK. Smooch is done.
//   - a *WebhookRequestError: its Status (401, 400 or 405). Smooch does not retry 400 and 401.
//   - ErrWebhookRejected, or an error wrapping it: 406 Not Acceptable. Smooch does not retry it.
//   - any other error: 503 Service Unavailable. Smooch retries, up to 5 times, at growing intervals.
//
// WebhookReceiver.Handler answers with it; call it yourself to answer from another router.
func WebhookStatus(err error) int {
	var refused *WebhookRequestError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &refused):
		return refused.Status
	case errors.Is(err, ErrWebhookRejected):
		return http.StatusNotAcceptable
	default:
		return http.StatusServiceUnavailable
	}
}

// WebhookReceiver verifies and decodes Smooch's webhook calls: it accepts a call only with one of its secrets
// in the X-API-Key header, compared in constant time, reads a bounded body, and decodes it into a WebhookEvent.
// It holds digests of the secrets, never the secrets. It is safe for concurrent use.
//
// Give it every secret a call may carry: to rotate a webhook's secret (by creating a new webhook and deleting
// the old one), receive with the old and the new, then drop the old once its webhook is gone.
type WebhookReceiver struct {
	digests   [][sha256.Size]byte
	bodyLimit int64
	timeout   time.Duration
}

// A WebhookOption configures a WebhookReceiver.
type WebhookOption func(*WebhookReceiver)

// WithWebhookBodyLimit sets how many bytes of a call's body the receiver reads at most (default
// DefaultWebhookBodyLimit); a larger body is refused with 400.
func WithWebhookBodyLimit(n int64) WebhookOption { return func(r *WebhookReceiver) { r.bodyLimit = n } }

// WithWebhookTimeout sets how long the handler waits for the function handling an event (default
// DefaultWebhookTimeout) before answering 503, so that Smooch retries the call: keep it below the 20 seconds
// Smooch waits. The function's context is cancelled then.
func WithWebhookTimeout(d time.Duration) WebhookOption {
	return func(r *WebhookReceiver) { r.timeout = d }
}

// NewWebhookReceiver returns a receiver accepting the calls that carry one of secrets (the Secret of each
// webhook whose calls it receives). It refuses, with a *ValidationError, an empty list, an empty secret, a
// secret with white space around it (a secret read from a file or an environment variable with its newline
// would match no call) and options out of range.
func NewWebhookReceiver(secrets []string, opts ...WebhookOption) (*WebhookReceiver, error) {
	const subject = "NewWebhookReceiver"
	if len(secrets) == 0 {
		return nil, &ValidationError{Subject: subject, Field: "secrets", Problem: "is empty: give the secret of each webhook whose calls it receives"}
	}
	r := &WebhookReceiver{bodyLimit: DefaultWebhookBodyLimit, timeout: DefaultWebhookTimeout}
	for i, s := range secrets {
		field := fmt.Sprintf("secrets[%d]", i)
		switch {
		case s == "":
			return nil, &ValidationError{Subject: subject, Field: field, Problem: "is empty"}
		case strings.TrimSpace(s) != s:
			return nil, &ValidationError{Subject: subject, Field: field, Problem: "has white space around it, which no webhook secret has"}
		}
		r.digests = append(r.digests, sha256.Sum256([]byte(s)))
	}
	for _, o := range opts {
		o(r)
	}
	if r.bodyLimit < 1 {
		return nil, &ValidationError{Subject: "WithWebhookBodyLimit", Field: "n", Problem: fmt.Sprintf("must be positive, got %d", r.bodyLimit)}
	}
	if r.timeout <= 0 {
		return nil, &ValidationError{Subject: "WithWebhookTimeout", Field: "d", Problem: fmt.Sprintf("must be positive, got %v", r.timeout)}
	}
	return r, nil
}

// Receive verifies a webhook call and decodes its event, for routers other than net/http's (in a net/http
// server, use Handler). It reads the request's body. A call it refuses is a *WebhookRequestError, whose
// Status is the answer to give (WebhookStatus(err) says it too):
//
//	event, err := receiver.Receive(c.Request)
//	if err == nil {
//		err = handle(c.Request.Context(), event)
//	}
//	c.Status(smooch.WebhookStatus(err))
//
// Nothing of a refused call is decoded: a call without the right secret is not read at all.
func (r *WebhookReceiver) Receive(req *http.Request) (*WebhookEvent, error) {
	if req.Method != http.MethodPost {
		return nil, &WebhookRequestError{Status: http.StatusMethodNotAllowed, Reason: "Smooch calls webhooks with POST, not " + req.Method}
	}
	if err := r.verify(req.Header.Values(WebhookSecretHeader)); err != nil {
		return nil, err
	}
	if ct := req.Header.Get("Content-Type"); ct != "" {
		mediaType, _, err := mime.ParseMediaType(ct)
		if err != nil || (mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json")) {
			return nil, refusedBody("its Content-Type is not application/json")
		}
	}
	if req.ContentLength > r.bodyLimit {
		return nil, refusedBody(fmt.Sprintf("its body of %d bytes is over the limit of %d", req.ContentLength, r.bodyLimit))
	}
	if req.Body == nil {
		return nil, refusedBody("it has no body")
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, r.bodyLimit+1))
	if err != nil {
		// The connection failed while the body was read: Smooch sees no answer and retries.
		return nil, fmt.Errorf("smooch: reading a webhook call's body: %w", err)
	}
	if int64(len(body)) > r.bodyLimit {
		return nil, refusedBody(fmt.Sprintf("its body is over the limit of %d bytes", r.bodyLimit))
	}
	event := new(WebhookEvent)
	if err := json.Unmarshal(body, event); err != nil {
		return nil, refusedBody(err.Error())
	}
	return event, nil
}

func refusedBody(reason string) *WebhookRequestError {
	return &WebhookRequestError{Status: http.StatusBadRequest, Reason: "the call is no webhook payload: " + reason}
}

// verify checks the X-API-Key values of a call against every secret, in time that depends on neither the key
// nor the secrets: it compares SHA-256 digests, of one length, each with crypto/subtle, and never stops early.
func (r *WebhookReceiver) verify(keys []string) error {
	switch len(keys) {
	case 0:
		return &WebhookRequestError{Status: http.StatusUnauthorized, Reason: "it has no " + WebhookSecretHeader + " header"}
	case 1:
	default:
		return &WebhookRequestError{Status: http.StatusUnauthorized, Reason: "it has more than one " + WebhookSecretHeader + " header"}
	}
	got := sha256.Sum256([]byte(keys[0]))
	match := 0
	for _, want := range r.digests {
		match |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	if match != 1 {
		return &WebhookRequestError{Status: http.StatusUnauthorized, Reason: "its " + WebhookSecretHeader + " is none of the receiver's secrets"}
	}
	return nil
}

// Handler returns an http.Handler that receives each call (as Receive does), passes its event to handle, and
// answers as WebhookStatus says: 200 when handle returns nil, 406 when it returns ErrWebhookRejected (not
// retried), 503 for any other error (retried later), and, for a refused call, the refusal's status without
// calling handle. A handle that runs longer than the receiver's timeout (WithWebhookTimeout) gets 503 answered
// for it and its context cancelled; Smooch then calls again, so make handle idempotent (a message's ID tells
// a call already handled). A panic in handle is the handler's, as net/http's server reports it. It panics if
// handle is nil.
func (r *WebhookReceiver) Handler(handle func(ctx context.Context, event *WebhookEvent) error) http.Handler {
	if handle == nil {
		panic("smooch: WebhookReceiver.Handler: nil handle function")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		event, err := r.Receive(req)
		if err == nil {
			err = r.run(req.Context(), handle, event)
		}
		status := WebhookStatus(err)
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		if status == http.StatusOK {
			w.WriteHeader(status)
			return
		}
		text := http.StatusText(status)
		var refused *WebhookRequestError
		if errors.As(err, &refused) {
			text = refused.Reason // what the caller sent is wrong: say what; a handler's error stays private
		}
		http.Error(w, text, status)
	})
}

// errWebhookTimeout is the error of a handle function that outran the receiver's timeout.
var errWebhookTimeout = errors.New("smooch: the webhook event's handler did not finish in time")

// run calls handle in a goroutine of its own, so that the call is answered when the timeout passes even if
// handle does not return; a panic in it is raised again here, in the server's goroutine, which recovers it.
func (r *WebhookReceiver) run(ctx context.Context, handle func(context.Context, *WebhookEvent) error, event *WebhookEvent) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	done := make(chan error, 1)
	panicked := make(chan any, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				panicked <- p
			}
		}()
		done <- handle(ctx, event)
	}()
	select {
	case err := <-done:
		return err
	case p := <-panicked:
		panic(p)
	case <-ctx.Done():
		return errWebhookTimeout
	}
}

// Format prints the receiver's settings, its secrets as REDACTED.
func (r WebhookReceiver) Format(s fmt.State, verb rune) {
	formatAs(s, verb, "WebhookReceiver", r.shown())
}

// LogValue logs the receiver's settings, its secrets as REDACTED.
func (r WebhookReceiver) LogValue() slog.Value { return logModel(r.shown()) }

type shownReceiver struct {
	Secrets   string
	BodyLimit int64
	Timeout   time.Duration
}

func (r WebhookReceiver) shown() shownReceiver {
	return shownReceiver{Secrets: fmt.Sprintf("%d %s", len(r.digests), redacted), BodyLimit: r.bodyLimit, Timeout: r.timeout}
}
