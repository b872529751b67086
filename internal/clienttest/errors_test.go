package clienttest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func TestAPIErrorFromTheErrorBody(t *testing.T) {
	f := newFakeAPI(t, answer(404, `{"error":{"code":"not_found","description":"App not found"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Get(context.Background(), "app1")
	var apiErr *smooch.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "application/json", apiErr.Header.Get("Content-Type"), "the response's headers are kept")
	apiErr.Header = nil
	assert.Equal(t, &smooch.APIError{StatusCode: 404, Code: "not_found", Description: "App not found", Method: "GET", Path: "/v1/apps/app1"}, apiErr)
	assert.EqualError(t, err, "smooch: GET /v1/apps/app1: 404 Not Found: not_found: App not found")
	assert.True(t, smooch.IsNotFound(err))
	assert.False(t, smooch.IsUnauthorized(err))
}

func TestAPIErrorCarriesTheRequestID(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("X-Request-Id", "req-42")
		w.WriteHeader(http.StatusConflict)
		_, _ = io.WriteString(w, `{"error":{"code":"conflict","description":"busy"}}`)
	})
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Update(context.Background(), "a", smooch.AppUpdate{Name: "n"})
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "req-42", apiErr.RequestID)
	assert.True(t, smooch.IsConflict(err))
}

func TestAPIErrorKeepsANonJSONBody(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "<html><body>upstream\nfailed</body></html>")
	})
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.Empty(t, apiErr.Code)
	assert.Equal(t, "<html><body>upstream\nfailed</body></html>", string(apiErr.Body))
	assert.Equal(t, "POST", apiErr.Method)
	assert.EqualError(t, err, `smooch: POST /v1/apps: 500 Internal Server Error: "<html><body>upstream failed</body></html>"`)
	assert.True(t, smooch.IsServerError(err))
}

func TestAPIErrorWithAJSONContentTypeButBrokenBody(t *testing.T) {
	f := newFakeAPI(t, answer(400, `{"error":`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "n"})
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, smooch.IsBadRequest(err))
	assert.Equal(t, `{"error":`, string(apiErr.Body))
}

func TestStatusHelpers(t *testing.T) {
	for status, is := range map[int]func(error) bool{
		400: smooch.IsBadRequest, 401: smooch.IsUnauthorized, 402: smooch.IsPaymentRequired, 403: smooch.IsForbidden,
		404: smooch.IsNotFound, 409: smooch.IsConflict, 413: smooch.IsPayloadTooLarge, 429: smooch.IsRateLimited,
		503: smooch.IsServerError,
	} {
		f := newFakeAPI(t, answer(status, `{"error":{"code":"c","description":"d"}}`))
		c := newClient(t, f, accountCreds(), smooch.WithMaxRetries(0))
		_, err := c.Apps.Get(context.Background(), "a")
		assert.True(t, is(err), "status %d: %v", status, err)
		assert.False(t, smooch.IsNotFound(err) && status != 404)
	}
	assert.False(t, smooch.IsNotFound(nil))
	assert.False(t, smooch.IsNotFound(errors.New("other")))
}

func TestRateLimitedErrorCarriesRetryAfter(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(429)
		_, _ = io.WriteString(w, `{"error":{"code":"too_many_requests","description":"Rate limit exceeded"}}`)
	})
	c := newClient(t, f, accountCreds())
	start := time.Now()
	_, err := c.Apps.Get(context.Background(), "a")
	assert.Less(t, time.Since(start), 5*time.Second, "a Retry-After beyond the backoff cap is not waited for")
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, smooch.IsRateLimited(err))
	assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
	assert.Equal(t, 1, f.count())
	assert.EqualError(t, err, "smooch: GET /v1/apps/a: 429 Too Many Requests: too_many_requests: Rate limit exceeded (retry after 2m0s)")
}

func TestServiceUnavailableErrorCarriesRetryAfter(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(503)
	})
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Get(context.Background(), "a")
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 1, f.count(), "an hour is beyond the backoff cap: not waited for")
}

// The error shows the path as sent: an id holding "/" is one escaped segment, not two.
func TestAPIErrorShowsThePathAsSent(t *testing.T) {
	f := newFakeAPI(t, answer(404, `{"error":{"code":"not_found","description":"App not found"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Get(context.Background(), "a/b\n")
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "/v1/apps/a%2Fb%0A", apiErr.Path)
	assert.Contains(t, err.Error(), "GET /v1/apps/a%2Fb%0A: 404")
}
