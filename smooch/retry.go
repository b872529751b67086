package smooch

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"time"
)

type retryPolicy struct {
	maxRetries int
	baseDelay  time.Duration
	maxDelay   time.Duration
}

// idempotent methods may be resent whenever the outcome is unknown: sending them twice changes nothing more.
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// retryable reports whether an attempt's outcome may be retried, whatever the count of attempts so far.
// unsent tells, for an error, that the attempt certainly sent nothing.
func retryable(method string, resp *http.Response, err error, unsent bool) bool {
	if err != nil {
		if idempotent(method) {
			return true
		}
		// A POST is resent only when it certainly never left: the connection could not be made, or no byte
		// of the request was written.
		return unsent
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true // a rate-limited request was refused, not performed
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return idempotent(method)
	}
	return false
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// delay is the wait before retry number attempt (0 for the first retry): the response's Retry-After when it
// has one, else jittered exponential backoff. ok is false when Retry-After asks for more than maxDelay.
func (p retryPolicy) delay(attempt int, resp *http.Response, now time.Time) (d time.Duration, ok bool) {
	if resp != nil {
		if ra, has := parseRetryAfter(resp.Header.Get("Retry-After"), now); has {
			return ra, ra <= p.maxDelay
		}
	}
	d = p.maxDelay
	if attempt < 32 {
		if exp := p.baseDelay << attempt; exp > 0 && exp < p.maxDelay {
			d = exp
		}
	}
	// Equal jitter: half fixed, half random, so that clients hit by the same outage spread out.
	half := d / 2
	return half + rand.N(d-half+1), true
}
