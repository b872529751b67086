package smoochtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
)

// How the fake calls webhook targets: the retry policy of the v1 reference (the contract's x-webhooks), with
// waits and a timeout a test can shorten.
const (
	// DeliveryAttempts is how many times the fake calls a target for one event at most: the first call and the
	// 5 retries of Smooch's policy.
	DeliveryAttempts = 6
	// DefaultFirstRetryWait is the wait before the first retry; each later wait doubles the one before it
	// (1s, 2s, 4s, 8s, 16s). The reference says "exponentially increasing" without figures: these are the
	// fake's.
	DefaultFirstRetryWait = time.Second
	// DefaultDeliveryTimeout is how long the fake waits for a target's answer: the reference's 20 seconds.
	DefaultDeliveryTimeout = 20 * time.Second
)

// finalStatuses are the answers after which Smooch does not call again, besides a 2xx: the reference's
// non-recoverable errors (a test holds them to the contract).
var finalStatuses = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusNotAcceptable}

// DeliveryPolicy is how the fake calls webhook targets. Its zero value is Smooch's policy with the default
// waits: tests shorten them, e.g. DeliveryPolicy{FirstRetryWait: time.Millisecond, Timeout: time.Second}.
// The number of attempts and the final statuses are Smooch's, and fixed.
type DeliveryPolicy struct {
	// FirstRetryWait is the wait before the first retry; each later one doubles it. Zero means
	// DefaultFirstRetryWait.
	FirstRetryWait time.Duration
	// Timeout bounds each attempt: a target that has not answered by then has failed it, and is called again.
	// Zero means DefaultDeliveryTimeout.
	Timeout time.Duration
	// Client makes the calls. Nil means a client that calls loopback addresses only (a target elsewhere fails
	// at once, without a retry: a test should not reach the network unasked) and follows no redirect (a 3xx
	// is an answer like any other, and retried).
	Client *http.Client
}

// WithDeliveryPolicy sets how the fake calls webhook targets (see DeliveryPolicy).
func WithDeliveryPolicy(p DeliveryPolicy) Option {
	return func(c *config) { c.delivery = p }
}

// An Event is something a test made happen in the fake (an app user's message, a postback, a delivery, …):
// the payload Smooch would send, and the calls of the webhooks subscribed to its trigger. The calls run in the
// background; Wait waits for them to end.
type Event struct {
	// Trigger is the payload's trigger.
	Trigger smooch.WebhookTrigger
	// AppID is the app the event happened in.
	AppID string
	// Payload is the JSON body of every call, checked against the contract's WebhookPayload schema.
	Payload []byte

	deliveries []*delivery
	done       chan struct{} // closed when every delivery has ended
}

// A Delivery is the calls of one webhook for one event.
type Delivery struct {
	// WebhookID and Target are the webhook's.
	WebhookID, Target string
	// Attempts are the calls made, in order.
	Attempts []Attempt
	// Delivered says that the target answered a 2xx.
	Delivered bool
	// Done says that no call will follow: the target answered a 2xx or a final status, every attempt was
	// made, the target is not one the policy's client calls, or the server was closed.
	Done bool
}

// An Attempt is one call of a webhook's target.
type Attempt struct {
	// Status is the target's answer; 0 when there was none (Err says why).
	Status int
	// Err is why the target did not answer: a timeout, a refused connection, a target off loopback.
	Err error
	// Header and Body are the request's: Content-Type, the webhook's secret in X-API-Key (as the API returns
	// it: print it only in tests), the payload.
	Header http.Header
	Body   []byte
	// Sent is when the call was made, and Took how long its answer (or the failure) took.
	Sent time.Time
	Took time.Duration
}

type delivery struct {
	hook   webhookCall
	mu     sync.Mutex
	status Delivery
}

// webhookCall is what a delivery needs of its webhook, copied when the event happens: a webhook changed or
// deleted later does not change the calls of an event already under way, as Smooch queues them.
type webhookCall struct {
	id, target, secret string
}

// Wait waits until every call of the event has ended, or ctx is done, and returns the deliveries, one per
// subscribed webhook in the order the webhooks were created. When ctx ends first, the deliveries are those
// made so far and the error is ctx's.
func (e *Event) Wait(ctx context.Context) ([]Delivery, error) {
	select {
	case <-e.done:
		return e.Deliveries(), nil
	case <-ctx.Done():
		return e.Deliveries(), ctx.Err()
	}
}

// Deliveries returns the deliveries as they are now.
func (e *Event) Deliveries() []Delivery {
	out := make([]Delivery, 0, len(e.deliveries))
	for _, d := range e.deliveries {
		d.mu.Lock()
		s := d.status
		s.Attempts = slices.Clone(s.Attempts)
		d.mu.Unlock()
		out = append(out, s)
	}
	return out
}

// deliverer runs the webhook calls of a Server.
type deliverer struct {
	policy DeliveryPolicy
	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	closed bool
}

func newDeliverer(p DeliveryPolicy) *deliverer {
	if p.FirstRetryWait <= 0 {
		p.FirstRetryWait = DefaultFirstRetryWait
	}
	if p.Timeout <= 0 {
		p.Timeout = DefaultDeliveryTimeout
	}
	if p.Client == nil {
		p.Client = loopbackClient()
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &deliverer{policy: p, ctx: ctx, cancel: cancel}
}

// stop cancels the calls under way and waits for them to end.
func (d *deliverer) stop() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
	d.wg.Wait()
	d.policy.Client.CloseIdleConnections() // no connection to a target outlives the server
}

// start runs the deliveries of e in the background; false when the server is closed.
func (d *deliverer) start(e *Event) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	var running sync.WaitGroup
	for _, dl := range e.deliveries {
		running.Add(1)
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			defer running.Done()
			d.run(dl, e.Payload)
		}()
	}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		running.Wait()
		close(e.done)
	}()
	return true
}

// run makes the calls of one delivery as Smooch's retry policy says.
func (d *deliverer) run(dl *delivery, body []byte) {
	defer func() {
		dl.mu.Lock()
		dl.status.Done = true
		dl.mu.Unlock()
	}()
	wait := d.policy.FirstRetryWait
	for n := range DeliveryAttempts {
		if n > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-d.ctx.Done():
				t.Stop()
				return
			}
			wait *= 2
		}
		a := d.call(dl.hook, body)
		dl.mu.Lock()
		dl.status.Attempts = append(dl.status.Attempts, a)
		dl.status.Delivered = a.Status >= 200 && a.Status < 300
		dl.mu.Unlock()
		switch {
		case a.Status >= 200 && a.Status < 300, slices.Contains(finalStatuses, a.Status):
			return
		case errors.Is(a.Err, errOffLoopback), d.ctx.Err() != nil:
			return
		}
	}
}

// call makes one call of a webhook's target.
func (d *deliverer) call(hook webhookCall, body []byte) Attempt {
	ctx, cancel := context.WithTimeout(d.ctx, d.policy.Timeout)
	defer cancel()
	a := Attempt{Sent: time.Now(), Body: body}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.target, bytes.NewReader(body))
	if err != nil {
		a.Err = err
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "smoochtest")
	req.Header.Set(smooch.WebhookSecretHeader, hook.secret)
	a.Header = req.Header.Clone()
	resp, err := d.policy.Client.Do(req)
	switch {
	case err == nil:
		// An answer came: its status is what counts. Read (a little of) its body, as a client does.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		a.Status = resp.StatusCode
	case ctx.Err() == context.DeadlineExceeded && d.ctx.Err() == nil:
		a.Err = fmt.Errorf("no answer within %v: %w", d.policy.Timeout, err)
	default:
		a.Err = err
	}
	a.Took = time.Since(a.Sent)
	return a
}

// errOffLoopback fails a call of a target that is not on loopback, made by the default client.
var errOffLoopback = errors.New("smoochtest calls loopback webhook targets only (DeliveryPolicy.Client changes that)")

// loopbackClient dials loopback addresses only, whatever the target's host resolves to, through no proxy, and
// follows no redirect.
func loopbackClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return errOffLoopback
		}
		return nil
	}}
	transport := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	return &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// subscribed reports whether a webhook with these triggers is called for a payload's trigger: `*` is every
// trigger, `message` both message triggers (message:appMaker also carries whispers).
func subscribed(triggers []smooch.WebhookTrigger, trigger smooch.WebhookTrigger) bool {
	for _, t := range triggers {
		switch {
		case t == smooch.WebhookTriggerAll, t == trigger:
			return true
		case t == smooch.WebhookTriggerMessage && strings.HasPrefix(string(trigger), "message:"):
			return true
		}
	}
	return false
}
