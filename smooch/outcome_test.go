package smooch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
)

// Obviously fake credentials.
const (
	outcomeKeyID  = "act_5963ceb97cde542d000dbdb1"
	outcomeSecret = "test-secret-not-real"
)

// outcomeOf is the one sentinel err matches; it fails the test if err matches both or neither.
func outcomeOf(t *testing.T, err error) error {
	t.Helper()
	maybe, not := errors.Is(err, smooch.ErrMaybePerformed), errors.Is(err, smooch.ErrNotPerformed)
	switch {
	case maybe && not:
		t.Fatalf("%v matches both ErrMaybePerformed and ErrNotPerformed", err)
	case maybe:
		return smooch.ErrMaybePerformed
	case not:
		return smooch.ErrNotPerformed
	}
	t.Fatalf("%v (%T) matches neither ErrMaybePerformed nor ErrNotPerformed", err, err)
	return nil
}

func outcomeClient(t *testing.T, baseURL string, opts ...smooch.Option) *smooch.Client {
	t.Helper()
	opts = append([]smooch.Option{smooch.WithBaseURL(baseURL), smooch.WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := smooch.New(smooch.AccountKey(outcomeKeyID, outcomeSecret), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// counting answers every request with respond and counts them.
func counting(t *testing.T, respond func(w http.ResponseWriter, r *http.Request, n int32)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		respond(w, r, n.Add(1))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string) func(http.ResponseWriter, *http.Request, int32) {
	return func(w http.ResponseWriter, _ *http.Request, _ int32) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// TestEveryStatusSaysWhetherTheCreateMayHaveBeenPerformed: a 4xx is a refusal; any other failing status leaves
// open that the API acted (a gateway's 502 or 504 may come after it did), and so does a 2xx whose body cannot
// be decoded, which was performed.
func TestEveryStatusSaysWhetherTheCreateMayHaveBeenPerformed(t *testing.T) {
	errBody := `{"error":{"code":"x","description":"scripted"}}`
	for _, tc := range []struct {
		status int
		body   string
		want   error
	}{
		{400, errBody, smooch.ErrNotPerformed}, {401, errBody, smooch.ErrNotPerformed}, {403, errBody, smooch.ErrNotPerformed},
		{404, errBody, smooch.ErrNotPerformed}, {409, errBody, smooch.ErrNotPerformed}, {413, errBody, smooch.ErrNotPerformed},
		{429, errBody, smooch.ErrNotPerformed},
		{500, errBody, smooch.ErrMaybePerformed}, {502, errBody, smooch.ErrMaybePerformed}, {503, errBody, smooch.ErrMaybePerformed},
		{504, errBody, smooch.ErrMaybePerformed}, {501, errBody, smooch.ErrMaybePerformed},
		{303, "", smooch.ErrMaybePerformed}, // a server may answer a create it performed with See Other
		{201, `{"app":{"_id":"a1","na`, smooch.ErrMaybePerformed},
		{201, ``, smooch.ErrMaybePerformed},
		{201, `{}`, smooch.ErrMaybePerformed},
	} {
		t.Run(fmt.Sprintf("%d %.10s", tc.status, tc.body), func(t *testing.T) {
			srv, n := counting(t, status(tc.status, tc.body))
			_, err := outcomeClient(t, srv.URL, smooch.WithMaxRetries(0)).Apps.Create(context.Background(), smooch.AppCreate{Name: "Acme"})
			if err == nil {
				t.Fatal("the create succeeded")
			}
			if got := outcomeOf(t, err); got != tc.want {
				t.Errorf("%v: %v, want %v", err, got, tc.want)
			}
			if n.Load() != 1 {
				t.Errorf("%d requests, want 1", n.Load())
			}
		})
	}
}

// TestTransportFailuresSayWhetherTheRequestLeft: a connection that could not be made, or one on which no byte
// of the request was written, sent nothing (and a POST is retried); a connection that broke once the request
// was written, or a timeout, may have delivered it (and a POST is not retried).
func TestTransportFailuresSayWhetherTheRequestLeft(t *testing.T) {
	ctx := context.Background()
	create := func(c *smooch.Client) error {
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
		return err
	}

	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		err = create(outcomeClient(t, "http://"+addr))
		if got := outcomeOf(t, err); got != smooch.ErrNotPerformed {
			t.Errorf("%v: %v", err, got)
		}
	})

	t.Run("TLS handshake with a plain HTTP server", func(t *testing.T) {
		// No header is written before the handshake, which fails: the POST certainly never left, and is
		// retried like a refused connection.
		srv, n := counting(t, status(201, `{"app":{"_id":"a1","name":"Acme"}}`))
		err := create(outcomeClient(t, strings.Replace(srv.URL, "http://", "https://", 1)))
		if got := outcomeOf(t, err); got != smooch.ErrNotPerformed {
			t.Errorf("%v: %v", err, got)
		}
		if n.Load() != 0 {
			t.Errorf("the server served %d requests", n.Load())
		}
	})

	t.Run("connection closed once the request was read", func(t *testing.T) {
		srv, n := counting(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		})
		err := create(outcomeClient(t, srv.URL))
		if got := outcomeOf(t, err); got != smooch.ErrMaybePerformed {
			t.Errorf("%v: %v", err, got)
		}
		if n.Load() != 1 {
			t.Errorf("%d requests: a POST that may have been performed is not retried", n.Load())
		}
	})

	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv, _ := counting(t, func(http.ResponseWriter, *http.Request, int32) { <-release })
		defer close(release)
		err := create(outcomeClient(t, srv.URL, smooch.WithTimeout(50*time.Millisecond)))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%v is not a timeout", err)
		}
		if got := outcomeOf(t, err); got != smooch.ErrMaybePerformed {
			t.Errorf("%v: %v", err, got)
		}
	})

	t.Run("context ended before sending", func(t *testing.T) {
		srv, n := counting(t, status(201, `{}`))
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, err := outcomeClient(t, srv.URL).Apps.Create(cancelled, smooch.AppCreate{Name: "Acme"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v", err)
		}
		if got := outcomeOf(t, err); got != smooch.ErrNotPerformed {
			t.Errorf("%v: %v", err, got)
		}
		if n.Load() != 0 {
			t.Errorf("%d requests", n.Load())
		}
	})

	t.Run("a transport that tells nothing", func(t *testing.T) {
		// A custom RoundTripper that reports no client trace: only a dial error is believed.
		c := outcomeClient(t, "http://api.example", smooch.WithMaxRetries(0), smooch.WithHTTPClient(&http.Client{
			Transport: roundTrip(func(*http.Request) (*http.Response, error) { return nil, io.ErrUnexpectedEOF }),
		}))
		if got := outcomeOf(t, create(c)); got != smooch.ErrMaybePerformed {
			t.Errorf("%v", got)
		}
		c = outcomeClient(t, "http://api.example", smooch.WithMaxRetries(0), smooch.WithHTTPClient(&http.Client{
			Transport: roundTrip(func(*http.Request) (*http.Response, error) {
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route to host")}
			}),
		}))
		if got := outcomeOf(t, create(c)); got != smooch.ErrNotPerformed {
			t.Errorf("%v", got)
		}
	})

	t.Run("the caller's own client trace still hears the request", func(t *testing.T) {
		srv, _ := counting(t, status(201, `{"app":{"_id":"a1","name":"Acme"}}`))
		var wrote atomic.Bool
		traced := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})
		if _, err := outcomeClient(t, srv.URL).Apps.Create(traced, smooch.AppCreate{Name: "Acme"}); err != nil {
			t.Fatal(err)
		}
		if !wrote.Load() {
			t.Error("the caller's WroteHeaders hook was not called")
		}
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestAnEarlierAttemptThatMayHaveActedCounts: a retried call may have been performed as soon as one of its
// attempts may have been, whatever the last one says.
func TestAnEarlierAttemptThatMayHaveActedCounts(t *testing.T) {
	ctx := context.Background()
	t.Run("DELETE answered 503, then 404", func(t *testing.T) {
		// The gateway's 503 may have come after the delete was performed: the retry then finds nothing.
		srv, n := counting(t, func(w http.ResponseWriter, r *http.Request, n int32) {
			if n == 1 {
				status(503, `{"error":{"code":"service_unavailable","description":"scripted"}}`)(w, r, n)
				return
			}
			status(404, `{"error":{"code":"not_found","description":"App not found"}}`)(w, r, n)
		})
		err := outcomeClient(t, srv.URL).Apps.Delete(ctx, "a1")
		if !smooch.IsNotFound(err) {
			t.Fatalf("%v", err)
		}
		if got := outcomeOf(t, err); got != smooch.ErrMaybePerformed {
			t.Errorf("%v: %v", err, got)
		}
		if n.Load() != 2 {
			t.Errorf("%d requests", n.Load())
		}
	})
	t.Run("POST answered 429 three times", func(t *testing.T) {
		srv, n := counting(t, status(429, `{"error":{"code":"too_many_requests","description":"scripted"}}`))
		_, err := outcomeClient(t, srv.URL).Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
		if got := outcomeOf(t, err); got != smooch.ErrNotPerformed {
			t.Errorf("%v: %v", err, got)
		}
		if n.Load() != 1+smooch.DefaultMaxRetries {
			t.Errorf("%d requests", n.Load())
		}
	})
	for _, tc := range []struct {
		name   string
		status int
		call   func(context.Context, *smooch.Client) error
		want   error
	}{
		{"POST answered 429, cancelled while waiting to retry", 429, func(ctx context.Context, c *smooch.Client) error {
			_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "Acme"})
			return err
		}, smooch.ErrNotPerformed},
		{"PUT answered 503, cancelled while waiting to retry", 503, func(ctx context.Context, c *smooch.Client) error {
			_, err := c.Apps.Update(ctx, "a1", smooch.AppUpdate{Name: "Acme"})
			return err
		}, smooch.ErrMaybePerformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := counting(t, status(tc.status, `{"error":{"code":"x","description":"scripted"}}`))
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			c := outcomeClient(t, srv.URL, smooch.WithBackoff(time.Hour, time.Hour))
			err := tc.call(ctx, c)
			if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "while waiting to retry") {
				t.Fatalf("%v", err)
			}
			if got := outcomeOf(t, err); got != tc.want {
				t.Errorf("%v: %v, want %v", err, got, tc.want)
			}
		})
	}
}

// TestRefusedBeforeSendingIsNotPerformed: what the client refuses before sending says so, whatever its type.
func TestRefusedBeforeSendingIsNotPerformed(t *testing.T) {
	ctx := context.Background()
	var n atomic.Int32
	c := outcomeClient(t, "http://api.example", smooch.WithHTTPClient(&http.Client{
		Transport: roundTrip(func(*http.Request) (*http.Response, error) { n.Add(1); return nil, io.EOF }),
	}))
	app, err := smooch.New(smooch.AppKey("app_5723a347f82ba0516cb4ea34", outcomeSecret), smooch.WithBaseURL("http://api.example"))
	if err != nil {
		t.Fatal(err)
	}
	_, scopeErr := app.Apps.List(ctx, nil)
	_, emptyName := c.Apps.Create(ctx, smooch.AppCreate{})
	_, dotID := c.Apps.Get(ctx, "..")
	badOut := c.Do(ctx, http.MethodGet, "/v1/apps", nil, struct{}{})
	unencodable := c.Do(ctx, http.MethodPost, "/v1/apps", map[string]any{"name": func() {}}, nil)
	for i, err := range []error{scopeErr, emptyName, dotID, badOut, unencodable} {
		if err == nil {
			t.Fatalf("case %d: no error", i)
		}
		if got := outcomeOf(t, err); got != smooch.ErrNotPerformed {
			t.Errorf("%v (%T): %v", err, err, got)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests were sent", n.Load())
	}
}
