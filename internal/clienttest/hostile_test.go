package clienttest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// methodClasses are the four ways the client calls the API, each by one typed method: reads (GET), updates
// (PUT), deletes (DELETE) and creates (POST), which retry differently.
var methodClasses = []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPost}

// callClass calls the typed method of the class on app "a1" (apps: every class has one).
func callClass(ctx context.Context, c *smooch.Client, method string, opts ...smooch.Option) error {
	switch method {
	case http.MethodGet:
		_, err := c.Apps.Get(ctx, "a1", opts...)
		return err
	case http.MethodPut:
		_, err := c.Apps.Update(ctx, "a1", smooch.AppUpdate{Name: "renamed"}, opts...)
		return err
	case http.MethodDelete:
		return c.Apps.Delete(ctx, "a1", opts...)
	case http.MethodPost:
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "created"}, opts...)
		return err
	}
	panic("no method class " + method)
}

// within fails the test if f has not returned after limit: a generous bound for calls that must not hang
// (the test would otherwise block until go test's own timeout).
func within(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("still running after %v", limit)
	}
}

// TestRedirectsAreNeverFollowed: the API never redirects, so a 30x comes from something else (a proxy, a
// captive portal, a base URL typed with http:// instead of https://). Following it would send the bearer token
// to another host, port or scheme, resend a create, or turn a POST into a GET whose answer decodes into an
// empty model as if the create had worked. The client returns it as an *APIError instead, whatever the
// http.Client's CheckRedirect: the other end never sees a request, let alone the Authorization header.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s %s%s received the Authorization header", r.Method, r.Host, r.URL.Path)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"app":{"_id":"elsewhere","name":"elsewhere"},"apps":[],"hasMore":false,"offset":0}`)
	}))
	t.Cleanup(other.Close)
	_, port, _ := net.SplitHostPort(other.Listener.Addr().String())

	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, dest := range []struct{ name, location string }{
			{"another host", "http://localhost:" + port + "/v1/apps/a1"},
			{"another port", other.URL + "/v1/apps/a1"},
			{"the same server, another resource", "/v1/apps/someone-elses-app"},
		} {
			for _, method := range methodClasses {
				for _, hc := range []struct {
					name string
					opt  smooch.Option
				}{
					{"default client", nil},
					{"a client that follows redirects", smooch.WithHTTPClient(&http.Client{CheckRedirect: func(_ *http.Request, via []*http.Request) error {
						if len(via) >= 10 {
							return errors.New("stopped after 10 redirects")
						}
						return nil
					}})},
				} {
					t.Run(fmt.Sprintf("%d to %s/%s/%s", status, dest.name, method, hc.name), func(t *testing.T) {
						before := elsewhere.Load()
						f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
							if n > 0 {
								t.Errorf("the redirect was followed to the same server: %s %s", r.Method, r.URL.Path)
							}
							w.Header().Set("Location", dest.location)
							w.WriteHeader(status)
						})
						c := newClient(t, f, accountCreds(), hc.opt)
						err := callClass(context.Background(), c, method)
						var apiErr *smooch.APIError
						require.ErrorAs(t, err, &apiErr)
						assert.Equal(t, status, apiErr.StatusCode)
						assert.Equal(t, dest.location, apiErr.Header.Get("Location"), "the caller can see where it pointed")
						assert.Contains(t, err.Error(), fmt.Sprintf("%s /v1/apps", method))
						assert.Equal(t, 1, f.count(), "one request, not retried")
						assert.Equal(t, before, elsewhere.Load(), "nothing reached the other server")
					})
				}
			}
		}
	}
}

// TestRetryAfterOfADayIsNotWaitedFor: a Retry-After longer than the backoff cap (WithBackoff's max, 30s by
// default) is returned at once as an *APIError that says how long to wait, whether in seconds or as a date.
func TestRetryAfterOfADayIsNotWaitedFor(t *testing.T) {
	for _, ra := range []struct {
		name  string
		value func() string
	}{
		{"seconds", func() string { return "86400" }},
		{"HTTP date", func() string { return time.Now().Add(24 * time.Hour).UTC().Format(http.TimeFormat) }},
	} {
		for _, method := range methodClasses {
			t.Run(ra.name+"/"+method, func(t *testing.T) {
				f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Retry-After", ra.value())
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusTooManyRequests)
					_, _ = io.WriteString(w, `{"error":{"code":"too_many_requests","description":"Come back tomorrow"}}`)
				})
				c := newClient(t, f, accountCreds(), smooch.WithBackoff(smooch.DefaultBaseDelay, smooch.DefaultMaxDelay))
				// A minute bounds the call: if the client waited for the Retry-After, the deadline would end
				// it with context.DeadlineExceeded instead of the 429.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				var err error
				within(t, 2*time.Minute, func() { err = callClass(ctx, c, method) })
				var apiErr *smooch.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.True(t, smooch.IsRateLimited(err))
				assert.InDelta(t, (24 * time.Hour).Seconds(), apiErr.RetryAfter.Seconds(), 120, "the error says how long to wait")
				assert.Contains(t, err.Error(), "(retry after 2")
				assert.Equal(t, 1, f.count(), "not retried")
			})
		}
	}

	// The cap is WithBackoff's max: a Retry-After under it is waited for, one over it is not.
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		w.Header().Set("Retry-After", []string{"1", "3"}[n%2])
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newClient(t, f, accountCreds(), smooch.WithBackoff(time.Millisecond, 2*time.Second), smooch.WithMaxRetries(5))
	start := time.Now()
	err := callClass(context.Background(), c, http.MethodGet)
	assert.True(t, smooch.IsRateLimited(err))
	assert.Equal(t, 2, f.count(), "Retry-After 1 waited for, then Retry-After 3 (over the 2s cap) returned")
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
}

// TestAServerThatNeverAnswers: a server that accepts the connection and reads the request, then says nothing,
// holds a call no longer than the call's WithTimeout, the context's deadline, or (per attempt) the
// http.Client's Timeout, DefaultTimeout (60s) for the client New makes.
func TestAServerThatNeverAnswers(t *testing.T) {
	for _, method := range methodClasses {
		t.Run(method, func(t *testing.T) {
			t.Parallel() // each waits out timeouts: no CPU to share
			s := newScriptServer(t, nil)
			s.script = func(*net.TCPConn, seenRequest) bool { s.hang(); return false }
			received := func(n int) {
				t.Helper()
				assert.Eventually(t, func() bool { return len(s.requests()) >= n }, 10*time.Second, 5*time.Millisecond)
				assert.Len(t, s.requests(), n)
			}
			c, err := smooch.New(accountCreds(), smooch.WithBaseURL(s.url), fastRetries)
			require.NoError(t, err)

			within(t, 30*time.Second, func() { err = callClass(context.Background(), c, method, smooch.WithTimeout(200*time.Millisecond)) })
			assert.ErrorIs(t, err, context.DeadlineExceeded, "WithTimeout")
			received(1) // the call's deadline ends it: no retry

			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			within(t, 30*time.Second, func() { err = callClass(ctx, c, method) })
			assert.ErrorIs(t, err, context.DeadlineExceeded, "the context's deadline")
			received(2)

			// The http.Client's timeout is per attempt: a read may be retried, a create may not.
			perAttempt := smooch.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond})
			within(t, 30*time.Second, func() { err = callClass(context.Background(), c, method, perAttempt) })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Client.Timeout exceeded")
			want := 1 + smooch.DefaultMaxRetries
			if method == http.MethodPost {
				want = 1
			}
			received(2 + want)
		})
	}

	t.Run("a body that trickles forever", func(t *testing.T) {
		t.Parallel()
		s := newScriptServer(t, nil)
		s.script = func(conn *net.TCPConn, _ seenRequest) bool {
			_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
			for {
				select {
				case <-s.done:
					return false
				case <-time.After(20 * time.Millisecond):
					if _, err := io.WriteString(conn, " "); err != nil {
						return false
					}
				}
			}
		}
		c, err := smooch.New(accountCreds(), smooch.WithBaseURL(s.url))
		require.NoError(t, err)
		within(t, 30*time.Second, func() { _, err = c.Apps.Get(context.Background(), "a1", smooch.WithTimeout(300*time.Millisecond)) })
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "smooch: Apps.Get: reading the response")
	})
}

// TestAGigabyteResponseIsNotReadIntoMemory streams 1 GiB from a test server, with and without a
// Content-Length, to a read and to a create. The client reads at most 32 MiB (the documented limit) before giving
// up with an error, so the memory it allocates stays a small multiple of that, nowhere near a gigabyte, and
// it stops reading: the server cannot write most of what it meant to.
func TestAGigabyteResponseIsNotReadIntoMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (streams a 1 GiB response): make test-e2e runs it")
	}
	const size = 1 << 30
	const limitMiB = 32
	chunk := []byte(strings.Repeat(" ", 64<<10))
	for _, declared := range []bool{true, false} {
		// A read and a create (TestFaultMatrix reads a 40 MiB body with every method class).
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			t.Run(fmt.Sprintf("Content-Length %v/%s", declared, method), func(t *testing.T) {
				var sent atomic.Int64
				f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Content-Type", "application/json")
					if declared {
						w.Header().Set("Content-Length", fmt.Sprint(size))
					}
					for sent.Load() < size {
						n, err := w.Write(chunk)
						sent.Add(int64(n))
						if err != nil {
							return
						}
					}
				})
				c := newClient(t, f, accountCreds())
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				err := callClass(context.Background(), c, method)
				runtime.ReadMemStats(&after)

				require.Error(t, err)
				assert.Contains(t, err.Error(), fmt.Sprintf("the response is larger than %d MiB", limitMiB))
				var apiErr *smooch.APIError
				assert.False(t, errors.As(err, &apiErr), "not an answer of the API")
				assert.Equal(t, 1, f.count(), "a 200 is not retried")
				allocated := after.TotalAlloc - before.TotalAlloc
				t.Logf("allocated %d MiB while the server sent %d MiB", allocated>>20, sent.Load()>>20)
				// About 2.3 times the limit (io.ReadAll's growth), twice that under the race detector: 8 times is
				// generous, and a quarter of what reading the whole response would take.
				assert.Less(t, allocated, uint64(8*limitMiB<<20), "memory grew past a small multiple of the limit")
				assert.Less(t, sent.Load(), int64(size/4), "the client stopped reading")
			})
		}
	}
}
