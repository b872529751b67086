package smooch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
)

// What a failed call's error says about its request, for errors.Is. Every error a call returns (a method of a
// service, an iteration of All, Client.Do) matches exactly one of the two:
//
//	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: name})
//	switch {
//	case errors.Is(err, smooch.ErrMaybePerformed):
//		// the app may exist: list the apps and look for it before creating it again
//	case errors.Is(err, smooch.ErrNotPerformed):
//		// nothing was created: it is safe to call again (later, for a 429)
//	}
//
// They are targets for errors.Is, never returned themselves: the error keeps its type (an *APIError, a
// *url.Error, …) for errors.As, and its message.
var (
	// ErrMaybePerformed is matched by the error of a call the API may have performed: the request (or
	// some of it) was sent and no answer said it was refused. That is a transport error once the request
	// was written (a connection reset or closed, a timeout, a cancelled context), a 5xx or 3xx status (a
	// gateway's 502 or 504 may come after the API acted), a 2xx answer that could not be read or decoded
	// (the call was performed), and any failure after an earlier attempt of the same call that may have
	// been performed. A create may then exist: look for it before creating it again.
	ErrMaybePerformed = errors.New("smooch: the request may have been performed")
	// ErrNotPerformed is matched by the error of a call the API certainly did not perform: it was refused
	// before sending (a *ValidationError, a *ScopeError, a body that cannot be encoded), never left (the
	// connection could not be made, no byte of the request was written, the context ended before it was
	// sent), or was refused by a 4xx status (400, 401, 403, 404, 409, 413, 429, …), and no earlier attempt
	// may have been performed. Calling again sends it anew.
	ErrNotPerformed = errors.New("smooch: the request was not performed")
)

// outcomeIs is the Is method of the errors that know their outcome.
func outcomeIs(maybe bool, target error) bool {
	if maybe {
		return target == ErrMaybePerformed
	}
	return target == ErrNotPerformed
}

// outcomeError is a failed call's error that is not an *APIError, a *ValidationError or a *ScopeError, with
// what it says about the request. It prints and unwraps as the error it holds.
type outcomeError struct {
	err   error
	maybe bool
}

func (e *outcomeError) Error() string        { return e.err.Error() }
func (e *outcomeError) Unwrap() error        { return e.err }
func (e *outcomeError) Is(target error) bool { return outcomeIs(e.maybe, target) }

func notPerformed(err error) error   { return &outcomeError{err: err} }
func maybePerformed(err error) error { return &outcomeError{err: err, maybe: true} }

func withOutcome(err error, maybe bool) error { return &outcomeError{err: err, maybe: maybe} }

// statusMayHaveActed reports whether an answer's status leaves open that the API acted on the request:
// anything but a 4xx, which is a refusal.
func statusMayHaveActed(status int) bool { return status < 400 || status > 499 }

// Is reports whether the error matches ErrMaybePerformed or ErrNotPerformed, as APIError's documentation says.
func (e *APIError) Is(target error) bool {
	return outcomeIs(e.afterMaybe || statusMayHaveActed(e.StatusCode), target)
}

// Is matches ErrNotPerformed: a ValidationError is found before anything is sent.
func (e *ValidationError) Is(target error) bool { return target == ErrNotPerformed }

// Is matches ErrNotPerformed: a ScopeError is found before anything is sent.
func (e *ScopeError) Is(target error) bool { return target == ErrNotPerformed }

// sendTrace watches a call's attempts through net/http's client trace: whether the transport began to get a
// connection, and whether it wrote the request's headers. A transport that began and wrote nothing sent
// nothing the server could act on. Attempts are sequential: reset starts each.
type sendTrace struct {
	began, wrote atomic.Bool
	hooks        httptrace.ClientTrace // its hooks set the two flags
}

func newSendTrace() *sendTrace {
	s := &sendTrace{}
	s.hooks = httptrace.ClientTrace{
		GetConn:      func(string) { s.began.Store(true) },
		WroteHeaders: func() { s.wrote.Store(true) },
	}
	return s
}

// sendTraces keeps traces for reuse: a trace and its hooks cost four allocations, which every call would
// otherwise pay. A hook that fires late (a write still under way when a cancelled attempt returned) can only
// set wrote, on a later call's trace: that call then thinks its request may have left, the cautious mistake.
var sendTraces = sync.Pool{New: func() any { return newSendTrace() }}

// traceSends returns ctx with a trace of the call's attempts. pooled tells the caller to put the trace back
// in sendTraces once the call is over. A context that has a trace of its own (the caller's) gets a trace of
// its own too: WithClientTrace makes the new trace's hooks call the old ones, which must not outlive the call.
func traceSends(ctx context.Context) (_ context.Context, _ *sendTrace, pooled bool) {
	if httptrace.ContextClientTrace(ctx) != nil {
		s := newSendTrace()
		return httptrace.WithClientTrace(ctx, &s.hooks), s, false
	}
	s := sendTraces.Get().(*sendTrace)
	s.reset()
	return httptrace.WithClientTrace(ctx, &s.hooks), s, true
}

func (s *sendTrace) reset() {
	s.began.Store(false)
	s.wrote.Store(false)
}

// unsent reports whether an attempt that failed with err certainly sent nothing: the connection could not be
// made, or a transport that reports through the client trace (net/http's does) wrote no header. A transport
// that reports nothing is believed only for a dial error.
func (s *sendTrace) unsent(err error) bool {
	return isDialError(err) || (s.began.Load() && !s.wrote.Load())
}

// attemptMayHaveActed is what one attempt says: a transport error after sending, or a status that is not a
// refusal.
func attemptMayHaveActed(resp *http.Response, err error, unsent bool) bool {
	if err != nil {
		return !unsent
	}
	return statusMayHaveActed(resp.StatusCode)
}
