package smooch

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// transport is the gen.HttpRequestDoer every generated call goes through: it authenticates each request,
// retries what may be retried, and logs attempts. It is immutable after New, so safe for concurrent use.
type transport struct {
	hc        *http.Client
	token     string
	userAgent string
	retry     retryPolicy
	logger    *slog.Logger
}

// Do sends req, retrying per the retry policy. It returns the last response whatever its status; the caller
// turns non-2xx statuses into *APIError.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := replayable(req); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		r := req.Clone(ctx)
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		r.Header.Set("Authorization", "Bearer "+t.token)
		r.Header.Set("User-Agent", t.userAgent)
		r.Header.Set("Accept", "application/json")

		start := time.Now()
		resp, err := t.hc.Do(r)
		t.log(ctx, r, resp, err, attempt, time.Since(start))
		if err != nil && ctx.Err() != nil {
			return nil, err // cancelled or timed out by the caller: stop at once
		}
		if attempt >= t.retry.maxRetries || !retryable(r.Method, resp, err) {
			return resp, err
		}
		wait, ok := t.retry.delay(attempt, resp, time.Now())
		if !ok {
			return resp, err // Retry-After is longer than we are willing to wait: let the caller decide
		}
		if resp != nil {
			drain(resp.Body)
		}
		if t.logger != nil {
			t.logger.DebugContext(ctx, "smooch: retrying", "method", r.Method, "path", r.URL.Path, "wait", wait, "retry", attempt+1)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
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

func (t *transport) log(ctx context.Context, r *http.Request, resp *http.Response, err error, attempt int, d time.Duration) {
	if t.logger == nil || !t.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"method", r.Method, "path", r.URL.Path, "duration", d, "attempt", attempt + 1}
	if err != nil {
		// Transport errors name the URL (no credentials are ever in it) and the network failure.
		attrs = append(attrs, "error", err.Error())
	} else {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	t.logger.DebugContext(ctx, "smooch: request", attrs...)
}
