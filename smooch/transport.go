package smooch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// send sends req with the call's configuration: it authenticates each attempt, retries what may be retried,
// and logs attempts. It returns the last response whatever its status (exchange turns non-2xx statuses into
// *APIError), and what the attempts say about whether the API may have performed the request: trace watches
// them, and req's context carries it (traceSends).
func (c *Client) send(cfg *config, req *http.Request, trace *sendTrace) (*http.Response, sent, error) {
	ctx := req.Context()
	var so sent
	if err := replayable(req); err != nil {
		return nil, sent{unsent: true}, err
	}
	req.Header.Set("Authorization", c.auth.header)
	req.Header.Set("User-Agent", cfg.userAgent)
	req.Header.Set("Accept", jsonContent)
	for key, values := range cfg.header {
		req.Header[key] = values
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			// Ended before this attempt: nothing more is sent. (net/http would send nothing either, but
			// would not tell it apart from a request cut off after it was written.)
			so.unsent = true
			return nil, so, err
		}
		trace.reset()
		r := req // the first attempt sends the request as built; a retry sends a copy with a fresh body
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					so.unsent = true
					return nil, so, err
				}
				r.Body = body
			}
		}

		start := time.Now()
		resp, err := cfg.httpClient.Do(r) // a client withoutRedirects
		logAttempt(ctx, cfg.logger, r, resp, err, attempt, time.Since(start))
		so.unsent = err != nil && trace.unsent(err)
		if err != nil && ctx.Err() != nil {
			return nil, so, err // cancelled or timed out by the caller: stop at once
		}
		if attempt >= cfg.retry.maxRetries || !retryable(r.Method, resp, err, so.unsent) {
			return resp, so, err
		}
		wait, ok := cfg.retry.delay(attempt, resp, time.Now())
		if !ok {
			return resp, so, err // Retry-After is longer than we are willing to wait: let the caller decide
		}
		so.earlier = so.earlier || attemptMayHaveActed(resp, err, so.unsent)
		if resp != nil {
			drain(resp.Body)
		}
		if cfg.logger != nil {
			cfg.logger.DebugContext(ctx, "smooch: retrying", "method", r.Method, "path", r.URL.EscapedPath(), "wait", wait, "retry", attempt+1)
		}
		if cerr := sleep(ctx, wait); cerr != nil {
			// Cancelled while waiting: say what was being retried, which the caller would otherwise never see.
			so.unsent = true // the wait sent nothing; so.earlier holds what the attempts did
			if err != nil {
				// %v, not %w: the error is the context's; the earlier attempt's (a timeout, say) is only told.
				return nil, so, fmt.Errorf("%w, while waiting to retry after: %v", cerr, err)
			}
			return nil, so, fmt.Errorf("%w, while waiting to retry after %d %s", cerr, resp.StatusCode, http.StatusText(resp.StatusCode))
		}
	}
}

// sent is what a call's attempts say about whether the API may have performed its request.
type sent struct {
	earlier bool // an attempt before the last one may have been performed
	unsent  bool // with an error: the last attempt (or the wait for it) sent nothing
}

// withoutRedirects is hc, copied (once, by New or the call's WithHTTPClient), made to return a redirect as the response instead of following it. The API
// never redirects: a 30x comes from something else (a proxy, a base URL typed with http:// for https://), and
// following it would send the bearer token to another host, port or scheme (net/http keeps the Authorization
// header for the same host name whatever the port or scheme), act on a resource the caller did not name, or
// turn a POST into a GET whose answer decodes as an empty model. exchange turns it into an *APIError.
func withoutRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// replayable makes sure every attempt can send the whole body again.
func replayable(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return nil
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return err
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	req.Body, _ = req.GetBody()
	return nil
}

// drain reads a little of a discarded body so that its connection can be reused, then closes it.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func logAttempt(ctx context.Context, logger *slog.Logger, r *http.Request, resp *http.Response, err error, attempt int, d time.Duration) {
	if logger == nil || !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"method", r.Method, "path", r.URL.EscapedPath(), "duration", d, "attempt", attempt + 1}
	if err != nil {
		// Transport errors name the URL (no credentials are ever in it) and the network failure.
		attrs = append(attrs, "error", err.Error())
	} else {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	logger.DebugContext(ctx, "smooch: request", attrs...)
}
