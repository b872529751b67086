package conformance_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// keyServer answers two operations with fresh secrets, a real-looking JWT and
// a Date header: everything a recording must not keep.
func keyServer(t *testing.T) *httptest.Server {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/apps/a1/keys":
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"key":{"_id":"app_1","name":"k","secret":"test-secret-not-real-%d"}}`, calls.Add(1))
		case r.Method == http.MethodGet && r.URL.Path == "/v1/apps/a1/keys/app_1/jwt":
			fmt.Fprintf(w, `{"jwt":%q}`, fakeJWT)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"code":"not_found","description":"nope"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

const canonicalBase = "https://api.smooch.io"

func call(t *testing.T, client *http.Client, base, method, path, body string) (int, string, error) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, base+path, reader)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+fakeJWT)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data), nil
}

func record(t *testing.T, path string) {
	t.Helper()
	srv := keyServer(t)
	rec, err := conformance.NewRecorder(path, http.DefaultTransport, conformance.RewriteBaseURL(srv.URL, canonicalBase))
	require.NoError(t, err)
	client := &http.Client{Transport: rec}

	status, body, err := call(t, client, srv.URL, "POST", "/v1/apps/a1/keys", `{"name":"k"}`)
	require.NoError(t, err)
	assert.Equal(t, 201, status)
	assert.Contains(t, body, `"secret":"test-secret-not-real-1"`, "while recording, the client sees the real secret")
	status, body, err = call(t, client, srv.URL, "GET", "/v1/apps/a1/keys/app_1/jwt", "")
	require.NoError(t, err)
	assert.Equal(t, 200, status)
	assert.Contains(t, body, fakeJWT)
	require.NoError(t, rec.Stop())
}

func TestRecordingIsRedactedRepeatableAndValid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.yaml")
	record(t, path)
	first, err := os.ReadFile(path)
	require.NoError(t, err)

	findings, err := conformance.ScanSecrets(path)
	require.NoError(t, err)
	assert.Empty(t, findings)
	text := string(first)
	assert.Contains(t, text, "url: https://api.smooch.io/v1/apps/a1/keys\n", "the fake's loopback address is not recorded")
	assert.NotContains(t, text, "127.0.0.1")
	assert.NotContains(t, text, "Date:")
	assert.Contains(t, text, "duration: 0s")
	assert.Contains(t, text, "- Bearer REDACTED")

	// go-vcr v2 appends to an existing cassette; NewRecorder starts afresh, so
	// a second recording (another fake, another port) is byte-identical.
	record(t, path)
	second, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second))

	v, err := openapi.NewValidator()
	require.NoError(t, err)
	cassettes, err := conformance.LoadCassettes(path)
	require.NoError(t, err)
	total, violations := conformance.NewChecker(v).CheckCassettes(context.Background(), cassettes)
	assert.Equal(t, 2, total)
	assert.Empty(t, violations)
}

func TestReplayServesTheCassetteOfflineAndReportsMismatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.yaml")
	record(t, path)

	t.Run("every interaction used", func(t *testing.T) {
		player, err := conformance.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: player}
		// Members in another order and another credential value still match: bodies compare as redacted JSON.
		status, body, err := call(t, client, canonicalBase, "POST", "/v1/apps/a1/keys", `{ "name" : "k" }`)
		require.NoError(t, err)
		assert.Equal(t, 201, status)
		assert.JSONEq(t, `{"key":{"_id":"app_1","name":"k","secret":"REDACTED"}}`, body)
		status, body, err = call(t, client, canonicalBase, "GET", "/v1/apps/a1/keys/app_1/jwt", "")
		require.NoError(t, err)
		assert.Equal(t, 200, status)
		assert.JSONEq(t, `{"jwt":"`+conformance.RedactedJWT+`"}`, body)
		assert.Empty(t, player.Unused())
		assert.NoError(t, player.Finish())
	})

	t.Run("an interaction is served once", func(t *testing.T) {
		player, err := conformance.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: player}
		_, _, err = call(t, client, canonicalBase, "POST", "/v1/apps/a1/keys", `{"name":"k"}`)
		require.NoError(t, err)
		_, _, err = call(t, client, canonicalBase, "POST", "/v1/apps/a1/keys", `{"name":"k"}`)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `has no unused interaction for POST https://api.smooch.io/v1/apps/a1/keys {"name":"k"}`)
	})

	t.Run("unmatched request and unused interaction", func(t *testing.T) {
		player, err := conformance.NewReplayer(path)
		require.NoError(t, err)
		client := &http.Client{Transport: player}
		_, _, err = call(t, client, canonicalBase, "POST", "/v1/apps/a1/keys", `{"name":"other"}`)
		require.Error(t, err, "a different body does not match")
		assert.Contains(t, err.Error(), `{"name":"other"}`)
		_, _, err = call(t, client, "https://api.eu-1.smooch.io", "GET", "/v1/apps/a1/keys/app_1/jwt", "")
		require.Error(t, err, "a different host does not match")

		assert.Equal(t, []int{0, 1}, player.Unused())
		err = player.Finish()
		require.Error(t, err)
		for _, want := range []string{
			`unmatched request: POST https://api.smooch.io/v1/apps/a1/keys {"name":"other"}`,
			"unmatched request: GET https://api.eu-1.smooch.io/v1/apps/a1/keys/app_1/jwt",
			"interaction 0 never used: POST https://api.smooch.io/v1/apps/a1/keys",
			"interaction 1 never used: GET https://api.smooch.io/v1/apps/a1/keys/app_1/jwt",
		} {
			assert.Contains(t, err.Error(), want)
		}
	})

	t.Run("recorded latency is not replayed", func(t *testing.T) {
		c, err := conformance.LoadCassette(path)
		require.NoError(t, err)
		for _, in := range c.Interactions {
			in.Response.Duration = time.Hour
		}
		require.NoError(t, c.Save())
		player, err := conformance.NewReplayer(path)
		require.NoError(t, err)
		start := time.Now()
		_, _, err = call(t, &http.Client{Transport: player}, canonicalBase, "GET", "/v1/apps/a1/keys/app_1/jwt", "")
		require.NoError(t, err)
		assert.Less(t, time.Since(start), 10*time.Second)
	})

	t.Run("missing cassette", func(t *testing.T) {
		_, err := conformance.NewReplayer(filepath.Join(t.TempDir(), "nope.yaml"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "SMOOCH_CONFORMANCE=record")
	})
}

func TestJSONEqual(t *testing.T) {
	assert.True(t, conformance.JSONEqual([]byte(`{"a":1,"b":[1,2]}`), []byte(`{"b":[1,2], "a":1.0}`)))
	assert.False(t, conformance.JSONEqual([]byte(`{"a":1,"b":[2,1]}`), []byte(`{"b":[1,2],"a":1}`)))
	assert.True(t, conformance.JSONEqual([]byte(`{"type":"telegram","token":"live-token"}`), []byte(`{"token":"REDACTED","type":"telegram"}`)))
	assert.True(t, conformance.JSONEqual([]byte(`{"note":"`+fakeJWT+`"}`), []byte(`{"note":"`+conformance.RedactedJWT+`"}`)), "a JWT under any name")
	assert.True(t, conformance.JSONEqual(nil, []byte("  ")))
	assert.False(t, conformance.JSONEqual(nil, []byte(`{}`)))
	assert.True(t, conformance.JSONEqual([]byte("a=b"), []byte("a=b")))
	assert.False(t, conformance.JSONEqual([]byte("a=b"), []byte("a=c")))
}

func TestMatchRequestComparesRedactedURLs(t *testing.T) {
	live, err := http.NewRequest("GET", "https://api.smooch.io/v1/apps?token=test-token-not-real&limit=1", nil)
	require.NoError(t, err)
	assert.True(t, conformance.MatchRequest(live, cassette.Request{Method: "GET", URL: "https://api.smooch.io/v1/apps?limit=1&token=REDACTED"}))
	assert.False(t, conformance.MatchRequest(live, cassette.Request{Method: "GET", URL: "https://api.smooch.io/v1/apps?limit=2&token=REDACTED"}))
}
