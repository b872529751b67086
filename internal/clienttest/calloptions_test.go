package clienttest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func TestACallsOptionsApplyToThatCallOnly(t *testing.T) {
	f := newFakeAPI(t, answer(200, appBody))
	c := newClient(t, f, accountCreds(), smooch.WithHeader("X-Client", "everywhere"))
	ctx := context.Background()
	_, err := c.Apps.Get(ctx, "a", smooch.WithHeader("X-Trace", "t-1"), smooch.WithUserAgent("batch/2"))
	require.NoError(t, err)
	_, err = c.Apps.Get(ctx, "a")
	require.NoError(t, err)

	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "t-1", reqs[0].Header.Get("X-Trace"))
	assert.Equal(t, "batch/2 smooch-go/"+smooch.Version, reqs[0].Header.Get("User-Agent"))
	assert.Empty(t, reqs[1].Header.Get("X-Trace"), "the next call does not inherit it")
	assert.Equal(t, "smooch-go/"+smooch.Version, reqs[1].Header.Get("User-Agent"))
	for _, r := range reqs {
		assert.Equal(t, "everywhere", r.Header.Get("X-Client"), "New's options apply to every call")
	}
}

func TestWithMaxRetriesPerCall(t *testing.T) {
	f := newFakeAPI(t, answer(503, `{"error":{"code":"service_unavailable","description":"down"}}`))
	c := newClient(t, f, accountCreds(), smooch.WithMaxRetries(2))
	_, err := c.Apps.Get(context.Background(), "a", smooch.WithMaxRetries(0))
	assert.True(t, smooch.IsServerError(err))
	assert.Equal(t, 1, f.count(), "no retry for this call")

	_, err = c.Apps.Get(context.Background(), "a")
	assert.True(t, smooch.IsServerError(err))
	assert.Equal(t, 1+3, f.count(), "the client's retries for the others")
}

func TestWithResponseIntoCapturesTheRawResponse(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		w.Header().Set("X-Request-Id", "req-"+string(rune('0'+n)))
		w.Header().Set("Content-Type", "application/json")
		if n == 0 {
			_, _ = io.WriteString(w, appBody)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"code":"not_found","description":"App not found"}}`)
	})
	c := newClient(t, f, accountCreds())

	var resp *http.Response
	app, err := c.Apps.Get(context.Background(), "a", smooch.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, "a", app.ID)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "req-0", resp.Header.Get("X-Request-Id"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.JSONEq(t, appBody, string(body), "the body can be read again")

	var failed *http.Response
	_, err = c.Apps.Get(context.Background(), "gone", smooch.WithResponseInto(&failed))
	assert.True(t, smooch.IsNotFound(err))
	require.NotNil(t, failed, "captured whatever the status")
	assert.Equal(t, http.StatusNotFound, failed.StatusCode)
}

func TestWithTimeoutBoundsTheWholeCall(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := newClient(t, f, accountCreds())
	start := time.Now()
	_, err := c.Apps.Get(context.Background(), "a", smooch.WithTimeout(50*time.Millisecond))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestWithBaseURLPerCall(t *testing.T) {
	main := newFakeAPI(t, answer(200, appBody))
	eu := newFakeAPI(t, answer(200, appBody))
	c := newClient(t, main, accountCreds())
	_, err := c.Apps.Get(context.Background(), "a", smooch.WithBaseURL(eu.URL))
	require.NoError(t, err)
	assert.Zero(t, main.count())
	assert.Equal(t, 1, eu.count())
}

func TestABadCallOptionSendsNothing(t *testing.T) {
	f := newFakeAPI(t, answer(200, appBody))
	c := newClient(t, f, accountCreds())
	var ve *smooch.ValidationError
	// The headers the client sets itself: a Content-Type of text/plain would make the API refuse a JSON body.
	for _, key := range []string{"Authorization", "host", "Content-Type", "accept", "User-Agent"} {
		_, err := c.Apps.Get(context.Background(), "a", smooch.WithHeader(key, "x"))
		require.ErrorAs(t, err, &ve, key)
		assert.Equal(t, "WithHeader", ve.Subject, key)
	}
	_, err := c.Apps.Get(context.Background(), "a", smooch.WithHeader("X-Trace", "t"))
	require.NoError(t, err, "another header is fine")
	require.Equal(t, 1, f.count())
	_, err = c.Apps.Get(context.Background(), "a", smooch.WithMaxRetries(-1))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 1, f.count(), "nothing more sent")
}

func TestDoCallsAnyPath(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"menu":{"items":[]}}`))
	c := newClient(t, f, accountCreds())
	var out struct {
		Menu json.RawMessage `json:"menu"`
	}
	require.NoError(t, c.Do(context.Background(), http.MethodGet, "/v1/apps/a%2Fb/menu?x=1", nil, &out, smooch.WithHeader("X-Trace", "t")))
	assert.JSONEq(t, `{"items":[]}`, string(out.Menu))

	r := f.requests()[0]
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "/v1/apps/a%2Fb/menu", r.Path)
	assert.Equal(t, "x=1", r.RawQuery)
	assert.Equal(t, "t", r.Header.Get("X-Trace"))
	checkBearer(t, r.Header.Get("Authorization"), accountKeyID, "account")

	var raw json.RawMessage
	require.NoError(t, c.Do(context.Background(), http.MethodPut, "/v1/apps/a/menu", map[string]any{"items": []any{}}, &raw))
	assert.JSONEq(t, `{"menu":{"items":[]}}`, string(raw))
	assert.JSONEq(t, `{"items":[]}`, string(f.requests()[1].Body))
	assert.Equal(t, "application/json", f.requests()[1].Header.Get("Content-Type"))

	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/v1/apps/a/menu", []byte(`{"items":[1]}`), nil))
	assert.Equal(t, `{"items":[1]}`, string(f.requests()[2].Body), "bytes are sent as they are")

	// Text that is not UTF-8, which JSON would send altered, is refused as by every other method: named
	// where the walk of the value finds it, else as the body (a MarshalText method's output, say).
	err := c.Do(context.Background(), http.MethodPost, "/v1/apps/a/menu", map[string]any{"items": []any{map[string]string{"text": "caf\xe9"}}}, nil)
	var ve *smooch.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "items[0].text", ve.Field)
	err = c.Do(context.Background(), http.MethodPost, "/v1/apps/a/menu", map[string]any{"name": latin1Text{[]byte("caf\xe9")}}, nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "body", ve.Field)
	assert.Equal(t, 3, f.count(), "nothing sent")
}

func TestDoDecodesErrorsAndRetries(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"code":"not_found","description":"Menu not found"}}`)
	})
	c := newClient(t, f, accountCreds())
	err := c.Do(context.Background(), http.MethodGet, "/v1/apps/a/menu", nil, nil)
	var apiErr *smooch.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "not_found", apiErr.Code)
	assert.Equal(t, 2, f.count(), "a GET is retried on 503")
}

func TestDoRefusesPathsThatLeaveTheirRoute(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	for _, path := range []string{"v1/apps", "/v1/apps/../serviceaccounts", "/v1/apps/./x", "/v1/apps//keys", "/v1/apps/%2e%2e", "/v1/apps/%zz"} {
		err := c.Do(context.Background(), http.MethodDelete, path, nil, nil)
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve, path)
		assert.Equal(t, "path", ve.Field)
	}
	err := c.Do(context.Background(), "GET /x", "/v1/apps", nil, nil)
	assert.ErrorContains(t, err, "is not an HTTP method")
	assert.Zero(t, f.count())
}

// Do's arguments are checked before anything is sent: a create must not happen only for its answer to be
// undecodable (a caller retrying on the error would create twice).
func TestDoChecksItsArgumentsBeforeSending(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"app":{"_id":"a1","name":"n"}}`))
	c := newClient(t, f, accountCreds())
	var out struct {
		App struct {
			ID string `json:"_id"`
		}
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name, field string
		call        func() error
	}{
		{"out not a pointer", "out", func() error { return c.Do(ctx, http.MethodPost, "/v1/apps", smooch.AppCreate{Name: "n"}, out) }},
		{"out a nil pointer", "out", func() error {
			return c.Do(ctx, http.MethodPost, "/v1/apps", smooch.AppCreate{Name: "n"}, (*struct{})(nil))
		}},
		{"out a nil *[]byte", "out", func() error { return c.Do(ctx, http.MethodPost, "/v1/apps", nil, (*[]byte)(nil)) }},
		{"method in lower case", "method", func() error { return c.Do(ctx, "post", "/v1/apps", smooch.AppCreate{Name: "n"}, &out) }},
		{"in a nil reader", "in", func() error { return c.Do(ctx, http.MethodPost, "/v1/apps", (*strings.Reader)(nil), &out) }},
	} {
		var ve *smooch.ValidationError
		require.ErrorAs(t, tc.call(), &ve, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
	}
	assert.Zero(t, f.count(), "nothing sent")

	// An io.Reader is sent as it reads.
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/v1/apps", strings.NewReader(`{"name":"r"}`), &out))
	assert.Equal(t, `{"name":"r"}`, string(f.requests()[0].Body))
	assert.Equal(t, "a1", out.App.ID)
}

// latin1Text encodes its unexported bytes through MarshalText, which the walk of a body does not see into.
type latin1Text struct{ b []byte }

func (l latin1Text) MarshalText() ([]byte, error) { return l.b, nil }
