package smooch

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
)

// TestOperationTableMatchesTheContract holds the operation table to the contract's paths, x-smooch-scopes and
// x-smooch-user-account-only, so that a change of the contract cannot silently leave the pre-checks stale.
func TestOperationTableMatchesTheContract(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	byID := map[string]operation{}
	for _, op := range allOperations {
		byID[op.id] = op
	}
	seen := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			seen++
			mine, ok := byID[op.OperationID]
			if !assert.True(t, ok, "operation %s of the contract has no entry", op.OperationID) {
				continue
			}
			// The path names the ids a call checks (begin): it must be the contract's, parameters included.
			// The client builds its requests from the table's method and path (client.call).
			assert.Equal(t, path, mine.path, "path of %s", op.OperationID)
			assert.Equal(t, method, mine.httpMethod, "method of %s", op.OperationID)
			var scopes []Scope
			raw, _ := op.Extensions["x-smooch-scopes"].([]any)
			for _, s := range raw {
				scopes = append(scopes, Scope(s.(string)))
			}
			assert.Equal(t, scopes, mine.scopes, "x-smooch-scopes of %s", op.OperationID)
			only, _ := op.Extensions["x-smooch-user-account-only"].(bool)
			assert.Equal(t, only, mine.userAccountOnly, "x-smooch-user-account-only of %s", op.OperationID)
		}
	}
	assert.Equal(t, len(allOperations), seen)
}

// TestTokenIsSignedOnce: New signs the JWT; requests never sign again.
func TestTokenIsSignedOnce(t *testing.T) {
	var signs atomic.Int32
	orig := signJWT
	signJWT = func(keyID, secret string, scope Scope, userID string) (string, error) {
		signs.Add(1)
		return orig(keyID, secret, scope, userID)
	}
	t.Cleanup(func() { signJWT = orig })

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"app":{"_id":"a","name":"n"}}`))
	}))
	defer srv.Close()
	c, err := New(AccountKey("act_5963ceb97cde542d000dbdb1", "test-secret-not-real"), WithBaseURL(srv.URL))
	require.NoError(t, err)
	for range 5 {
		_, err := c.Apps.Get(context.Background(), "a")
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), signs.Load())
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	} {
		got, ok := parseRetryAfter(tc.in, now)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	p := retryPolicy{maxRetries: 10, baseDelay: 100 * time.Millisecond, maxDelay: time.Second}
	for attempt, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		full *= time.Millisecond
		for range 50 {
			d, ok := p.delay(attempt, nil, time.Now())
			require.True(t, ok)
			assert.GreaterOrEqual(t, d, full/2, "attempt %d", attempt)
			assert.LessOrEqual(t, d, full, "attempt %d", attempt)
		}
	}
	// Jitter: the waits of one attempt differ, so that clients hit by one outage do not retry in lockstep.
	seen := map[time.Duration]bool{}
	for range 50 {
		d, _ := p.delay(2, nil, time.Now())
		seen[d] = true
	}
	assert.Greater(t, len(seen), 1, "50 waits for the same attempt were all equal: no jitter")

	d, ok := p.delay(100, nil, time.Now())
	assert.True(t, ok)
	assert.LessOrEqual(t, d, time.Second, "no overflow for large attempts")

	resp := &http.Response{Header: http.Header{"Retry-After": {"1"}}}
	d, ok = p.delay(0, resp, time.Now())
	assert.True(t, ok)
	assert.Equal(t, time.Second, d, "Retry-After replaces the backoff")
	resp.Header.Set("Retry-After", "2")
	_, ok = p.delay(0, resp, time.Now())
	assert.False(t, ok, "a Retry-After beyond the cap is not waited for")
}

func TestRetryableOutcomes(t *testing.T) {
	resp := func(status int) *http.Response { return &http.Response{StatusCode: status} }
	for _, tc := range []struct {
		method string
		status int
		want   bool
	}{
		{"GET", 429, true}, {"GET", 502, true}, {"GET", 503, true}, {"GET", 504, true}, {"GET", 500, false}, {"GET", 404, false},
		{"PUT", 503, true}, {"DELETE", 504, true},
		{"POST", 429, true}, {"POST", 502, false}, {"POST", 503, false}, {"POST", 504, false}, {"POST", 500, false},
	} {
		assert.Equal(t, tc.want, retryable(tc.method, resp(tc.status), nil), "%s %d", tc.method, tc.status)
	}
}

// TestIntegrationTypesMatchTheContract: Integration decodes by integrationTypes, which must name exactly the
// types of the contract's discriminator mapping, each decoding to a model of its own (not the unknown case).
func TestIntegrationTypesMatchTheContract(t *testing.T) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	mapping := doc.Components.Schemas["Integration"].Value.Discriminator.Mapping
	require.NotEmpty(t, mapping)
	for name := range mapping {
		newModel, ok := integrationTypes[IntegrationType(name)]
		if assert.True(t, ok, "the contract's integration type %q has no model", name) {
			assert.True(t, IntegrationType(name).Valid())
			_, unknown := newModel().(*UnknownIntegration)
			assert.False(t, unknown, name)
		}
	}
	assert.Len(t, integrationTypes, len(mapping))
	assert.Len(t, doc.Components.Schemas["IntegrationType"].Value.Enum, len(mapping), "the list filter's enum names every type")
}

// TestBodiesWithoutGetBodyAreBuffered: a body http.NewRequest cannot rewind is buffered once and replayed.
func TestBodiesWithoutGetBodyAreBuffered(t *testing.T) {
	var (
		mu     sync.Mutex
		bodies []string
		n      atomic.Int32
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	c := &Client{auth: &auth{token: "t"}}
	cfg := defaultConfig()
	cfg.httpClient = srv.Client()
	cfg.retry = retryPolicy{maxRetries: 1, baseDelay: time.Millisecond, maxDelay: time.Millisecond}
	req, err := http.NewRequest(http.MethodPut, srv.URL, io.NopCloser(strings.NewReader(`{"name":"x"}`)))
	require.NoError(t, err)
	require.Nil(t, req.GetBody)
	resp, err := c.send(&cfg, req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{`{"name":"x"}`, `{"name":"x"}`}, bodies)
}

func TestInsertMemberKeepsNameOrder(t *testing.T) {
	for _, tc := range []struct{ obj, want string }{
		{`{}`, `{"type":"x"}`},
		{`{"a":1}`, `{"a":1,"type":"x"}`},
		{`{"z":1}`, `{"type":"x","z":1}`},
		{`{"token":"t","zone":2}`, `{"token":"t","type":"x","zone":2}`},
		{`{"a":{"zz":"}","y":[1,{"q":"\"]"}]},"u":"\\"}`, `{"a":{"zz":"}","y":[1,{"q":"\"]"}]},"type":"x","u":"\\"}`},
		{`{"a":"type","b":["type","zzz"]}`, `{"a":"type","b":["type","zzz"],"type":"x"}`},
	} {
		got := insertMember([]byte(tc.obj), "type", "x")
		assert.Equal(t, tc.want, string(got), tc.obj)
		assert.True(t, json.Valid(got), string(got))
	}
}

// isTelegramToken stands in for a regular expression: every string of up to six characters over an alphabet
// with one character of each class that matters gets the same answer from both.
func TestTelegramTokenMatchesItsPattern(t *testing.T) {
	want := regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	alphabet := []string{"7", ":", "a", "Z", "_", "-", "/", "é"}
	var walk func(prefix string, depth int)
	checked := 0
	walk = func(prefix string, depth int) {
		checked++
		if got := isTelegramToken(prefix); got != want.MatchString(prefix) {
			t.Fatalf("isTelegramToken(%q) = %v, the pattern says %v", prefix, got, !got)
		}
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			walk(prefix+c, depth-1)
		}
	}
	walk("", 6)
	if checked != 299_593 { // 1 + 8 + … + 8^6
		t.Fatalf("only %d strings checked", checked)
	}
}
