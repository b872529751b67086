package clienttest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func TestBaseURLs(t *testing.T) {
	for _, tc := range []struct {
		opts []smooch.Option
		want string
	}{
		{nil, "https://api.smooch.io"},
		{[]smooch.Option{smooch.WithRegion("eu-1")}, "https://api.eu-1.smooch.io"},
		{[]smooch.Option{smooch.WithRegion("us")}, "https://api.smooch.io"},
		{[]smooch.Option{smooch.WithBaseURL("http://127.0.0.1:8080/")}, "http://127.0.0.1:8080"},
		{[]smooch.Option{smooch.WithRegion("eu-1"), smooch.WithBaseURL("http://127.0.0.1:1")}, "http://127.0.0.1:1"},
	} {
		c, err := smooch.New(accountCreds(), tc.opts...)
		require.NoError(t, err)
		assert.Equal(t, tc.want, c.BaseURL())
	}
}

func TestBaseURLWithAPathPrefixesRequests(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a","name":"n"}}`))
	c, err := smooch.New(accountCreds(), smooch.WithBaseURL(f.URL+"/proxy"))
	require.NoError(t, err)
	_, err = c.Apps.Get(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, "/proxy/v1/apps/a", f.requests()[0].Path)
}

func TestBadOptionsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		opt  smooch.Option
		want string
	}{
		{smooch.WithBaseURL("api.smooch.io"), `smooch: WithBaseURL: baseURL is "api.smooch.io": want an absolute http or https URL`},
		{smooch.WithBaseURL("ftp://api.smooch.io"), "want an absolute http or https URL"},
		{smooch.WithBaseURL("https://api.smooch.io?x=1"), "want no query"},
		{smooch.WithRegion("EU 1"), `smooch: WithRegion: region is "EU 1": want "us" or "eu-1"`},
		{smooch.WithHTTPClient(nil), "smooch: WithHTTPClient: client is nil"},
		{smooch.WithMaxRetries(-1), "smooch: WithMaxRetries: n is -1: want 0 or more"},
		{smooch.WithUserAgent("acme\r\nX-Injected: 1"), `smooch: WithUserAgent: product "acme\r\nX-Injected: 1" holds control characters, which cannot go in a header`},
		{smooch.WithHeader("X Bad", "v"), `smooch: WithHeader: key "X Bad" is not a header name`},
		{smooch.WithHeader("X-Trace", "a\r\nX-Injected: 1"), "smooch: WithHeader: value of X-Trace holds characters a header cannot carry"},
		{smooch.WithHeader("authorization", "Bearer x"), "smooch: WithHeader: key Authorization is set by the client, not by an option"},
		{smooch.WithTimeout(-time.Second), "smooch: WithTimeout: d is -1s: want 0 or more"},
		{smooch.WithResponseInto(nil), "smooch: WithResponseInto: dst is nil"},
		{smooch.WithResponseInto(new(*http.Response)), "smooch: New: WithResponseInto applies to one call: pass it to a method, not to New"},
		{smooch.WithBackoff(0, time.Second), "want 0 < base <= max"},
		{smooch.WithBackoff(time.Second, time.Millisecond), "want 0 < base <= max"},
	} {
		c, err := smooch.New(accountCreds(), tc.opt)
		assert.Nil(t, c)
		var ve *smooch.ValidationError
		assert.ErrorAs(t, err, &ve, tc.want)
		assert.ErrorContains(t, err, tc.want)
	}

	// A password in the base URL never reaches the error, whether the URL parses or not.
	for _, bad := range []string{"https://user:pw-not-real@api.smooch.io", "https://user:pw-not-real@api.smooch.io/%zz", "api.smooch.io:pw-not-real@x"} {
		_, err := smooch.New(accountCreds(), smooch.WithBaseURL(bad))
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "pw-not-real")
	}
}

func TestDefaultUserAgentAndCustomHTTPClient(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a","name":"n"}}`))
	var used bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := newClient(t, f, accountCreds(), smooch.WithHTTPClient(hc))
	_, err := c.Apps.Get(context.Background(), "a")
	require.NoError(t, err)
	assert.True(t, used)
	assert.Equal(t, "smooch-go/"+smooch.Version, f.requests()[0].Header.Get("User-Agent"))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
