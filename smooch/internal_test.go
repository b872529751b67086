package smooch

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

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
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for range 5 {
		_, err := c.Apps.Get(context.Background(), "a")
		if err != nil {
			t.Fatalf("Apps.Get: %v", err)
		}
	}
	if signs.Load() != 1 {
		t.Errorf("the JWT was signed %d times for 5 requests, want once (by New)", signs.Load())
	}
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
		if !reflect.DeepEqual(ok, tc.ok) {
			t.Errorf("%q: got %v, want %v", tc.in, ok, tc.ok)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBackoffIsCappedAndJittered(t *testing.T) {
	p := retryPolicy{maxRetries: 10, baseDelay: 100 * time.Millisecond, maxDelay: time.Second}
	for attempt, full := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		full *= time.Millisecond
		for range 50 {
			d, ok := p.delay(attempt, nil, time.Now())
			if !(ok) {
				t.Fatalf("attempt %d: delay says not to wait", attempt)
			}
			if !(d >= full/2) {
				t.Errorf("attempt %d: want %v >= %v", attempt, d, full/2)
			}
			if !(d <= full) {
				t.Errorf("attempt %d: want %v <= %v", attempt, d, full)
			}
		}
	}
	// Jitter: the waits of one attempt differ, so that clients hit by one outage do not retry in lockstep.
	seen := map[time.Duration]bool{}
	for range 50 {
		d, _ := p.delay(2, nil, time.Now())
		seen[d] = true
	}
	if !(len(seen) > 1) {
		t.Errorf("50 waits for the same attempt were all equal: no jitter: want %v > %v", len(seen), 1)
	}

	d, ok := p.delay(100, nil, time.Now())
	if !(ok) {
		t.Errorf("attempt 100: delay says not to wait")
	}
	if !(d <= time.Second) {
		t.Errorf("no overflow for large attempts: want %v <= %v", d, time.Second)
	}

	resp := &http.Response{Header: http.Header{"Retry-After": {"1"}}}
	d, ok = p.delay(0, resp, time.Now())
	if !(ok) {
		t.Errorf("Retry-After: 1 within the cap: delay says not to wait")
	}
	if !reflect.DeepEqual(d, time.Second) {
		t.Errorf("Retry-After replaces the backoff: got %v, want %v", d, time.Second)
	}
	resp.Header.Set("Retry-After", "2")
	_, ok = p.delay(0, resp, time.Now())
	if ok {
		t.Errorf("a Retry-After beyond the cap is not waited for")
	}
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
		if !reflect.DeepEqual(retryable(tc.method, resp(tc.status), nil), tc.want) {
			t.Errorf("%s %d: got %v, want %v", tc.method, tc.status, retryable(tc.method, resp(tc.status), nil), tc.want)
		}
	}
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
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	if req.GetBody != nil {
		t.Fatal("req.GetBody is set: the test needs a body http.NewRequest cannot rewind")
	}
	resp, err := c.send(&cfg, req)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d after the retry, want 200", resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(bodies, []string{`{"name":"x"}`, `{"name":"x"}`}) {
		t.Errorf("got %v, want %v", bodies, []string{`{"name":"x"}`, `{"name":"x"}`})
	}
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
		if !reflect.DeepEqual(string(got), tc.want) {
			t.Errorf("%s: got %v, want %v", tc.obj, string(got), tc.want)
		}
		if !(json.Valid(got)) {
			t.Errorf("insertMember(%s) = %s: not valid JSON", tc.obj, got)
		}
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
