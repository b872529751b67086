package clienttest_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// failFirst answers status for the first n requests, then 200 with body.
func failFirst(n, status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, i int) {
		w.Header().Set("Content-Type", "application/json")
		if i < n {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, `{"error":{"code":"service_unavailable","description":"try again"}}`)
			return
		}
		w.WriteHeader(200)
		_, _ = io.WriteString(w, body)
	}
}

const appBody = `{"app":{"_id":"a","name":"n"}}`

func TestIdempotentMethodsRetryOnTransientStatuses(t *testing.T) {
	for _, status := range []int{429, 502, 503, 504} {
		f := newFakeAPI(t, failFirst(2, status, appBody))
		c := newClient(t, f, accountCreds())
		app, err := c.Apps.Get(context.Background(), "a")
		require.NoError(t, err, "status %d", status)
		assert.Equal(t, "a", app.ID)
		assert.Equal(t, 3, f.count(), "two retries by default")
	}
}

func TestRetriesGiveUpAfterMaxRetries(t *testing.T) {
	f := newFakeAPI(t, failFirst(10, 503, appBody))
	c := newClient(t, f, accountCreds(), smooch.WithMaxRetries(3))
	_, err := c.Apps.Get(context.Background(), "a")
	assert.True(t, smooch.IsServerError(err))
	assert.Equal(t, 4, f.count())
}

func TestZeroRetriesDisables(t *testing.T) {
	f := newFakeAPI(t, failFirst(10, 503, appBody))
	c := newClient(t, f, accountCreds(), smooch.WithMaxRetries(0))
	_, err := c.Apps.Get(context.Background(), "a")
	assert.Error(t, err)
	assert.Equal(t, 1, f.count())
}

func TestOtherStatusesAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 500} {
		f := newFakeAPI(t, failFirst(10, status, appBody))
		c := newClient(t, f, accountCreds())
		_, err := c.Apps.Get(context.Background(), "a")
		assert.Error(t, err)
		assert.Equal(t, 1, f.count(), "status %d", status)
	}
}

func TestPostIsNeverRetriedOnAmbiguousStatuses(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		f := newFakeAPI(t, failFirst(10, status, appBody))
		c := newClient(t, f, accountCreds())
		_, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
		assert.True(t, smooch.IsServerError(err))
		assert.Equal(t, 1, f.count(), "a create must not be duplicated (status %d)", status)
	}
}

func TestPostIsRetriedWhenRateLimited(t *testing.T) {
	f := newFakeAPI(t, failFirst(1, 429, `{"app":{"_id":"a","name":"n"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
	require.NoError(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{"name":"n"}`, string(reqs[1].Body), "the body is sent again in full")
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
}

func TestPutBodyIsReplayed(t *testing.T) {
	f := newFakeAPI(t, failFirst(2, 503, `{"app":{"_id":"a","name":"renamed"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Update(context.Background(), "a", smooch.AppUpdate{Name: "renamed"})
	require.NoError(t, err)
	for _, r := range f.requests() {
		assert.JSONEq(t, `{"name":"renamed"}`, string(r.Body))
	}
	assert.Equal(t, 3, f.count())
}

func TestRetryAfterIsHonoured(t *testing.T) {
	// In a synctest bubble the client's wait passes on the bubble's clock, at once: the server answers in
	// memory (no network goroutine to wait for), so time advances as soon as the client sleeps.
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			calls++
			if calls == 1 {
				resp := jsonResponse(r, http.StatusTooManyRequests, `{"error":{"code":"too_many_requests","description":"Slow down"}}`)
				resp.Header.Set("Retry-After", "1")
				return resp, nil
			}
			return jsonResponse(r, http.StatusOK, appBody), nil
		})
		c, err := smooch.New(accountCreds(), smooch.WithBaseURL("http://api.invalid"),
			smooch.WithHTTPClient(&http.Client{Transport: transport}), smooch.WithBackoff(time.Millisecond, 2*time.Second))
		require.NoError(t, err)
		start := time.Now()
		_, err = c.Apps.Get(context.Background(), "a")
		require.NoError(t, err)
		assert.Equal(t, 2, calls)
		assert.Equal(t, time.Second, time.Since(start), "waited as Retry-After asked, not the 1ms backoff")
	})
}

// flakyTransport fails the first n round trips with err, then uses the default transport.
type flakyTransport struct {
	n     int32
	err   error
	calls atomic.Int32
}

func (ft *flakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if ft.calls.Add(1) <= ft.n {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		return nil, ft.err
	}
	return http.DefaultTransport.RoundTrip(r)
}

var (
	dialRefused = &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	connReset   = &net.OpError{Op: "read", Net: "tcp", Err: errors.New("read: connection reset by peer")}
)

func TestConnectionErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		post      bool
		wantCalls int32
		wantOK    bool
	}{
		{"GET after a refused dial", dialRefused, false, 2, true},
		{"GET after a reset", connReset, false, 2, true},
		{"POST after a refused dial", dialRefused, true, 2, true},
		{"POST after a reset is not resent", connReset, true, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{"app":{"_id":"a","name":"n"}}`))
			ft := &flakyTransport{n: 1, err: tc.err}
			c := newClient(t, f, accountCreds(), smooch.WithHTTPClient(&http.Client{Transport: ft}))
			var err error
			if tc.post {
				_, err = c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
			} else {
				_, err = c.Apps.Get(context.Background(), "a")
			}
			assert.Equal(t, tc.wantCalls, ft.calls.Load())
			if tc.wantOK {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "smooch: Apps.Create:")
				assert.ErrorContains(t, err, "connection reset")
			}
		})
	}
}

func TestRealRefusedConnectionIsRetriedForPost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now
	c, err := smooch.New(accountCreds(), smooch.WithBaseURL("http://"+addr), fastRetries, smooch.WithMaxRetries(2))
	require.NoError(t, err)
	_, err = c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
	require.Error(t, err)
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.Equal(t, "dial", op.Op)
}

// onMessage is a slog handler that calls do when a record with the given message is logged.
type onMessage struct {
	msg string
	do  func()
}

func (h onMessage) Enabled(context.Context, slog.Level) bool { return true }
func (h onMessage) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		h.do()
	}
	return nil
}
func (h onMessage) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h onMessage) WithGroup(string) slog.Handler      { return h }

func TestCancellingStopsDuringBackoff(t *testing.T) {
	f := newFakeAPI(t, failFirst(10, 503, appBody))
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel exactly when the client announces its wait, so that the cancellation lands in the backoff.
	logger := slog.New(onMessage{msg: "smooch: retrying", do: cancel})
	c := newClient(t, f, accountCreds(), smooch.WithBackoff(10*time.Second, 10*time.Second), smooch.WithLogger(logger))
	start := time.Now()
	_, err := c.Apps.Get(ctx, "a")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.Equal(t, 1, f.count())
}

func TestCancelledContextSendsNothing(t *testing.T) {
	f := newFakeAPI(t, answer(200, appBody))
	c := newClient(t, f, accountCreds())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Apps.Get(ctx, "a")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, f.count())
}

func TestDeadlineDuringRequestIsNotRetried(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		<-r.Context().Done()
	})
	c := newClient(t, f, accountCreds())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Apps.Get(ctx, "a")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, f.count())
}

// closeTracker counts the response bodies handed out and closed.
type closeTracker struct {
	opened, closed atomic.Int32
}

type trackedBody struct {
	io.ReadCloser
	t *closeTracker
}

func (b trackedBody) Close() error { b.t.closed.Add(1); return b.ReadCloser.Close() }

func (ct *closeTracker) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		ct.opened.Add(1)
		resp.Body = trackedBody{resp.Body, ct}
	}
	return resp, err
}

func TestEveryResponseBodyIsClosed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		respond func(http.ResponseWriter, *http.Request, int)
		opened  int32
	}{
		{"retried then answered", failFirst(2, 503, appBody), 3},
		{"retries exhausted", failFirst(10, 503, appBody), 3},
		{"Retry-After beyond the cap", func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(429)
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, tc.respond)
			ct := &closeTracker{}
			c := newClient(t, f, accountCreds(), smooch.WithHTTPClient(&http.Client{Transport: ct}))
			_, _ = c.Apps.Get(context.Background(), "a")
			assert.Equal(t, tc.opened, ct.opened.Load())
			assert.Equal(t, ct.opened.Load(), ct.closed.Load(), "a body left open leaks its connection")
		})
	}
}

// A call cancelled while it waits to retry says what it was retrying, and is still the context's error.
func TestCancelledWhileWaitingToRetrySaysWhy(t *testing.T) {
	f := newFakeAPI(t, answer(503, `{"error":{"code":"service_unavailable","description":"busy"}}`))
	c := newClient(t, f, accountCreds(), smooch.WithBackoff(time.Second, time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Apps.List(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualError(t, err, "smooch: Apps.List: context deadline exceeded, while waiting to retry after 503 Service Unavailable")
	assert.Equal(t, 1, f.count())
}
